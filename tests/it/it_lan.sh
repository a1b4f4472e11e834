#!/usr/bin/env bash
# THE LAN TEST: a small LAN built from network namespaces.
#
#   ns h (10.77.0.1 on eth0, 10.78.0.1 on eth1) host --+
#   ns a (10.77.0.2 and 10.78.0.2 on eth0)     client +-- bridge in ns br
#   ns b (10.77.0.3)                           client +   (veth pairs)
#
# Client A finds the host by --list-lan (the default 255.255.255.255
# query; there is no default route, as on a bare LAN-party switch, so it
# also reaches the subnet broadcasts 10.77.0.255 and 10.78.0.255). The
# host answers on both its interfaces, from two addresses, with one game
# id: the game is listed once, with its ping. Client B joins by typing
# the address. All three play and see each other (players == 3 in every
# --stats file). Then the host is SIGKILLed and both clients, which run
# with --no-migrate (it_survive.sh tests the game going on), must notice
# within 3 s and exit 1.
#
# Every packet, broadcasts included, stays inside these namespaces: nothing
# is created or sent in the machine's own namespace. Needs root; without it
# the test says SKIPPED and why, except under CI=true, where that fails.
set -u
BIN="$1"
TEST=it_lan
. "$(dirname "$0")/../lib/netns.sh"

# Unique names: the suite may run in several build trees at once.
P="lan$$"
NS_BR="$P-br"; NS_H="$P-h"; NS_A="$P-a"; NS_B="$P-b"
created=()
started=()
cleanup() {
  for p in "${started[@]}"; do kill -9 "$p" 2>/dev/null; { wait "$p"; } 2>/dev/null; done
  for n in "${created[@]}"; do ip netns del "$n" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- the LAN ----
step() { "$@" 2>>"$OUT/setup.err" || cannot_run "cannot build the namespace LAN ('$*': $(tail -n 1 "$OUT/setup.err"))"; }
for n in "$NS_BR" "$NS_H" "$NS_A" "$NS_B"; do
  step ip netns add "$n"
  created+=("$n")
done
step ip -n "$NS_BR" link add br0 type bridge
step ip -n "$NS_BR" link set br0 up
i=1
for n in "$NS_H" "$NS_A" "$NS_B"; do
  # The veth pair is born inside the namespaces: eth0 in the node, pN on the bridge.
  step ip -n "$n" link add eth0 type veth peer name "p$i" netns "$NS_BR"
  step ip -n "$NS_BR" link set "p$i" master br0 up
  step ip -n "$n" addr add "10.77.0.$i/24" dev eth0
  step ip -n "$n" link set eth0 up
  step ip -n "$n" link set lo up   # the host's own player joins over 127.0.0.1
  i=$((i+1))
done
# A second interface of the host on the same LAN, in a second subnet that
# client A also has: the host answers A from both 10.77.0.1 and 10.78.0.1.
step ip -n "$NS_H" link add eth1 type veth peer name p9 netns "$NS_BR"
step ip -n "$NS_BR" link set p9 master br0 up
step ip -n "$NS_H" addr add 10.78.0.1/24 dev eth1
step ip -n "$NS_H" link set eth1 up
step ip -n "$NS_A" addr add 10.78.0.2/24 dev eth0

now_ms() { date +%s%3N; }
# Waits (bounded) until a command succeeds; false if it never did.
wait_for() {
  local tries=$1; shift
  for _ in $(seq "$tries"); do "$@" && return 0; sleep 0.1; done
  return 1
}
field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
last_players() { # file role -> players on the newest line of that role
  field "$(grep "\"role\":\"$2\"" "$1" 2>/dev/null | tail -n 1)" players
}

# ---- the host: a real windowed game (offscreen video), its player named ----
SDL_VIDEODRIVER=offscreen ip netns exec "$NS_H" "$BIN" --host --name "LAN Host" --size 640x480 \
  --quit-after 60 --stats "$OUT/host.jsonl" >"$OUT/host.out" 2>"$OUT/host.log" &
host=$!; started+=("$host")
disown "$host" # it will be SIGKILLed on purpose: no job notice for that
wait_for 150 grep -q "discovery: answering LAN queries" "$OUT/host.log" && ok \
  || bad "host never started answering LAN queries: $(tail -n 3 "$OUT/host.log")"

# ---- client A finds the host by discovery ----
proto=$("$BIN" --version | sed -n 's/.*(protocol \([0-9]*\)).*/\1/p')  # the version the list shows
t0=$(now_ms)
ip netns exec "$NS_A" "$BIN" --list-lan >"$OUT/list1.txt" 2>"$OUT/list1.err"; code=$?
echo "it_lan: --list-lan took $(( $(now_ms) - t0 )) ms and printed:"; cat "$OUT/list1.txt"
[ "$code" -eq 0 ] && ok || bad "--list-lan exited $code: $(cat "$OUT/list1.err")"
[ "$(wc -l <"$OUT/list1.txt")" -eq 1 ] && ok || bad "--list-lan printed $(wc -l <"$OUT/list1.txt") lines"
# One line although two addresses answered: A dials whichever answered first.
grep -Eq "^10\\.7[78]\\.0\\.1:27960  LAN Host  [0-9]+/32  v$proto  [0-9]+ ms\$" "$OUT/list1.txt" && ok || bad "unexpected list line"
# Both of the host's addresses did answer, with one game id (A's debug log).
ip netns exec "$NS_A" env LANARENA_LOG=debug "$BIN" --list-lan >"$OUT/list1b.txt" 2>"$OUT/list1b.err"
[ "$(wc -l <"$OUT/list1b.txt")" -eq 1 ] && ok || bad "second --list-lan from A printed $(wc -l <"$OUT/list1b.txt") lines"
for from in 10.77.0.1 10.78.0.1; do
  grep -q "discovery: answer from $from " "$OUT/list1b.err" && ok || bad "no answer from $from"
done
ids=$(sed -n 's/.*discovery: answer from [0-9.]* (game \([0-9a-f]*\),.*/\1/p' "$OUT/list1b.err" | sort -u | wc -l)
[ "$ids" -eq 1 ] && ok || bad "answers carried $ids game ids"
found=$(head -n 1 "$OUT/list1.txt" | cut -d' ' -f1)

ip netns exec "$NS_A" "$BIN" --join "${found:-nothing-found}" --headless --bot --name "Finder" --no-migrate \
  --quit-after 60 --stats "$OUT/a.jsonl" 2>"$OUT/a.log" &
ca=$!; started+=("$ca")
# ---- client B types the host's address ----
ip netns exec "$NS_B" "$BIN" --join 10.77.0.1:27960 --headless --bot --name "Typist" --no-migrate \
  --quit-after 60 --stats "$OUT/b.jsonl" 2>"$OUT/b.log" &
cb=$!; started+=("$cb")

# ---- all three play and see each other ----
everyone_sees_three() {
  [ "$(last_players "$OUT/a.jsonl" client)" = 3 ] && [ "$(last_players "$OUT/b.jsonl" client)" = 3 ] &&
    [ "$(last_players "$OUT/host.jsonl" client)" = 3 ] && [ "$(last_players "$OUT/host.jsonl" server)" = 3 ]
}
wait_for 200 everyone_sees_three && ok || bad "not everyone saw 3 players"
sleep 3 # play a few seconds; the checks below read what was written meanwhile
for f in a b; do
  [ "$(last_players "$OUT/$f.jsonl" client)" = 3 ] && ok || bad "client $f: $(tail -n 1 "$OUT/$f.jsonl")"
  hz=$(field "$(tail -n 1 "$OUT/$f.jsonl")" snapshot_hz)
  awk -v h="${hz:-0}" 'BEGIN{exit !(h>30)}' && ok || bad "client $f snapshot_hz $hz"
done
[ "$(last_players "$OUT/host.jsonl" client)" = 3 ] && ok || bad "host's player does not see 3"
[ "$(last_players "$OUT/host.jsonl" server)" = 3 ] && ok || bad "host server does not count 3"
# They really came across the LAN, each from its own namespace.
grep -q "10\.7[78]\.0\.2.*'Finder'" "$OUT/host.log" && ok || bad "Finder did not arrive from 10.77.0.2 or 10.78.0.2"
grep -q "10\.77\.0\.3.*'Typist'" "$OUT/host.log" && ok || bad "Typist did not arrive from 10.77.0.3"
# Discovery reports the live player count (updated once a second).
ip netns exec "$NS_B" "$BIN" --list-lan >"$OUT/list2.txt" 2>"$OUT/list2.err"
grep -Eq "^10\\.77\\.0\\.1:27960  LAN Host  3/32  v$proto  [0-9]+ ms\$" "$OUT/list2.txt" && ok \
  || bad "second --list-lan: $(cat "$OUT/list2.txt" "$OUT/list2.err")"

# ---- the host dies; both clients notice ----
t0=$(now_ms)
kill -9 "$host"
gone() { ! kill -0 "$ca" 2>/dev/null && ! kill -0 "$cb" 2>/dev/null; }
wait_for 30 gone
noticed=$(( $(now_ms) - t0 ))
echo "it_lan: after SIGKILL of the host, the clients exited within $noticed ms"
gone && ok || bad "a client still runs 3 s after the host died"
for pair in "a:$ca" "b:$cb"; do
  name=${pair%%:*}; pid=${pair#*:}
  wait "$pid" 2>/dev/null; code=$?
  [ "$code" -ne 0 ] && ok || bad "client $name exited $code, expected non-zero"
  grep -Eq "lanarena: (Lost connection to the host|The host stopped responding)" "$OUT/$name.log" && ok \
    || bad "client $name did not say the host was lost: $(tail -n 2 "$OUT/$name.log")"
done

# ---- and the LAN is empty again ----
ip netns exec "$NS_A" "$BIN" --list-lan >"$OUT/list3.txt" 2>"$OUT/list3.err"; code=$?
[ "$code" -eq 1 ] && ok || bad "--list-lan with no host exited $code"
grep -q "no LAN games answered" "$OUT/list3.err" && ok || bad "no message: $(cat "$OUT/list3.err")"

echo "it_lan: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
