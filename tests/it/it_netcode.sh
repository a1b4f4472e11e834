#!/usr/bin/env bash
# Netcode end to end, real processes on 127.0.0.1: a dedicated host with
# 3 bots, and three headless --bot clients that move on their own:
#   lag:   --fake-lag 60 --fake-jitter 15 (in-process fake lag)
#   relay: through tests/tool_relay adding 30 ms + 0..15 ms each way
#   stall: --fake-stall 400:4 (nothing arrives for 400 ms every 4 s)
# Their --stats lines must show interpolation at work (interp_delay_ms
# above one tick, growing with the jitter), the round trip the fake lag
# makes, no prediction mismatches, and for the stall client time spent
# extrapolating.
set -u
BIN="$1"
BUILD="${2:-$(dirname "$BIN")}"
RELAY="$BUILD/tests/tools/tool_relay"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_netcode"
rm -rf "$OUT"; mkdir -p "$OUT"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

port=$((20000 + RANDOM % 20000))
"$BIN" --host --headless --port $port --bots 3 --quit-after 14 2>"$OUT/host.log" >/dev/null &
host=$!
"$RELAY" 0 $port 30 15 14 >"$OUT/relay.out" 2>"$OUT/relay.log" &
relay=$!
for i in $(seq 1 50); do grep -q listening "$OUT/relay.out" 2>/dev/null && break; sleep 0.1; done
rport=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$OUT/relay.out")
[ -n "$rport" ] && ok || bad "relay did not start: $(cat "$OUT/relay.log")"
sleep 0.5

"$BIN" --join 127.0.0.1:$port --headless --bot --name Lagged --fake-lag 60 --fake-jitter 15 \
  --quit-after 10 --stats "$OUT/lag.jsonl" 2>"$OUT/lag.log" &
c1=$!
"$BIN" --join 127.0.0.1:${rport:-1} --headless --bot --name Relayed \
  --quit-after 10 --stats "$OUT/relay.jsonl" 2>"$OUT/relayc.log" &
c2=$!
"$BIN" --join 127.0.0.1:$port --headless --bot --name Stalled --fake-stall 400:4 \
  --quit-after 10 --stats "$OUT/stall.jsonl" 2>"$OUT/stall.log" &
c3=$!
for p in $c1 $c2 $c3; do wait $p; code=$?; [ "$code" -eq 0 ] && ok || bad "client exited $code"; done
kill $relay 2>/dev/null; wait $relay 2>/dev/null
wait $host; code=$?
[ "$code" -eq 0 ] && ok || bad "host exited $code"

field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a+0>b+0)}'; }
# Lines after the first 4 s: joined, delay settled, bots running.
settled() { awk -F'"t":' '{split($2,a,","); if (a[1]+0 >= 4) print}' "$1"; }

for who in lag relay; do
  n=0
  # Round trip the lag makes: 2 x 60 ms in-process, 2 x 30 ms through the relay.
  [ "$who" = lag ] && rtt_min=110 || rtt_min=55
  while IFS= read -r l; do
    n=$((n+1))
    d=$(field "$l" interp_delay_ms); j=$(field "$l" jitter_ms); r=$(field "$l" rtt_ms)
    m=$(field "$l" pred_mismatches); hz=$(field "$l" snapshot_hz)
    gt "$d" 20 && ok || bad "$who: interp_delay_ms $d not above one tick plus jitter: $l"
    # Bounded, not tight: a busy machine adds its own jitter, which the
    # delay rightly follows (bench_netcode has the figures of a quiet one).
    gt 300 "$d" && ok || bad "$who: interp_delay_ms $d too large for 15 ms jitter: $l"
    gt "$j" 3 && ok || bad "$who: jitter_ms $j does not show the 15 ms jitter: $l"
    gt "$r" $rtt_min && ok || bad "$who: rtt_ms $r below the round trip the lag makes: $l"
    [ "$m" = "0" ] && ok || bad "$who: pred_mismatches $m: $l"
    gt "$hz" 20 && ok || bad "$who: snapshot_hz $hz: $l"
  done < <(settled "$OUT/$who.jsonl")
  [ "$n" -ge 4 ] && ok || bad "$who: only $n settled stats lines"
done

# The stall client: extrapolation shows up, and still no mismatch.
ext=$(settled "$OUT/stall.jsonl" | sed -n 's/.*"extrapolating_ms_per_s":\([0-9.]*\).*/\1/p' | sort -g | tail -n 1)
gt "${ext:-0}" 20 && ok || bad "stall: extrapolating_ms_per_s peaked at ${ext:-none}"
m=$(tail -n 1 "$OUT/stall.jsonl" | sed -n 's/.*"pred_mismatches":\([0-9]*\).*/\1/p')
[ "$m" = "0" ] && ok || bad "stall: pred_mismatches $m"
grep -q "fake lag 60 ms, jitter 15 ms" "$OUT/lag.log" && ok || bad "lag client logs its fake lag"

echo "it_netcode: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
