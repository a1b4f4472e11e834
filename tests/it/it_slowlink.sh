#!/usr/bin/env bash
# A player on a slow link stays in the game: its rate comes down to what
# the link carries instead of the host dropping it as too slow.
#
#   ns h (10.78.0.1) lanarena-server, 64 moving bots
#         | veth, each way a token bucket of 96 kbit/s
#   ns c (10.78.0.2) lanarena --join --headless --bot (Auto)
#
# 64 moving players at 60 snapshots a second are about three times what
# 96 kbit/s carries. The client must still be playing after 30 s (exit 0,
# no "too slow" in the host's log), must have been told a lower rate, and
# must settle at 10 snapshots a second or more. Bounds are generous: the
# figures themselves are bench_perf's (docs/PERFORMANCE.md).
#
# Every packet stays inside these two namespaces. Needs root; without it
# the test says SKIPPED and why, except under CI=true, where that fails.
set -u
BIN="$1"
BUILD="$2"
SERVER="$BUILD/lanarena-server"
TEST=it_slowlink
. "$(dirname "$0")/../lib/netns.sh"
command -v tc >/dev/null 2>&1 || cannot_run "the tc command (iproute2) is missing"

P="slow$$"
NS_H="$P-h"; NS_C="$P-c"
created=(); started=()
cleanup() {
  for p in "${started[@]}"; do kill -9 "$p" 2>/dev/null; { wait "$p"; } 2>/dev/null; done
  for n in "${created[@]}"; do ip netns del "$n" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 1' INT TERM
step() { "$@" 2>>"$OUT/setup.err" || cannot_run "cannot build the namespaces ('$*': $(tail -n 1 "$OUT/setup.err"))"; }
for n in "$NS_H" "$NS_C"; do step ip netns add "$n"; created+=("$n"); done
step ip -n "$NS_H" link add eth0 type veth peer name eth0 netns "$NS_C"
step ip -n "$NS_H" addr add 10.78.0.1/24 dev eth0
step ip -n "$NS_C" addr add 10.78.0.2/24 dev eth0
for n in "$NS_H" "$NS_C"; do
  step ip -n "$n" link set eth0 up
  step ip -n "$n" link set lo up
  step ip netns exec "$n" tc qdisc add dev eth0 root tbf rate 96kbit burst 4kb latency 400ms
done

port=27960
ip netns exec "$NS_H" "$SERVER" --port $port --bots 64 --max-players 66 --quit-after 40 \
  2>"$OUT/server.log" >/dev/null &
started+=($!); srv=$!
sleep 2
t0=$(date +%s)
ip netns exec "$NS_C" "$BIN" --join 10.78.0.1:$port --headless --bot --name Slowpoke --quit-after 30 \
  --stats "$OUT/client.jsonl" 2>"$OUT/client.log"
code=$?
t1=$(date +%s)
[ $code -eq 0 ] && ok || bad "the slow client exited $code after $((t1 - t0)) s: $(tail -n 2 "$OUT/client.log")"
grep -q "Slowpoke.*too slow" "$OUT/server.log" && bad "the host dropped it: $(grep 'too slow' "$OUT/server.log" | head -n 1)" || ok
grep -q "'Slowpoke' now gets" "$OUT/server.log" && ok || bad "the host never changed its rate"
grep -q "the host now sends" "$OUT/client.log" && ok || bad "the client was never told a lower rate"

field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
# The last ten seconds (the final line may be a partial second).
lines=$(grep '"role":"client"' "$OUT/client.jsonl" | tail -n 11 | head -n 10)
n=0; low=999; sum=0
while read -r l; do
  hz=$(field "$l" snapshot_hz); [ -n "$hz" ] || continue
  n=$((n+1)); sum=$(awk -v a="$sum" -v b="$hz" 'BEGIN{print a+b}')
  low=$(awk -v a="$low" -v b="$hz" 'BEGIN{print (b<a)?b:a}')
done <<<"$lines"
mean=$(awk -v s="$sum" -v n="$n" 'BEGIN{printf "%.1f", n ? s/n : 0}')
echo "  slow client: stayed $((t1 - t0)) s, last 10 s: mean $mean snapshots/s, lowest second $low"
[ "$n" -ge 8 ] && ok || bad "only $n stats lines in the last 10 s"
awk -v m="$mean" 'BEGIN{exit !(m>=10)}' && ok || bad "settled at $mean snapshots/s, below 10"
awk -v m="$mean" 'BEGIN{exit !(m<=45)}' && ok || bad "still at $mean snapshots/s: the rate never came down"
kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
echo "it_slowlink: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
