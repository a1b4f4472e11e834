#!/usr/bin/env bash
# A whole match cycle through the real binary, by the contract: a host
# with --round-seconds 5 goes warmup -> playing -> intermission (about
# 8 s) -> playing round 2; its --stats lines carry phase, round and
# round_left_s; it logs one line per round end naming the winner (or a
# draw); a client's --stats lines carry my_score.
set -u
BIN="$1"
OUT="${LANARENA_TEST_OUT:-${2:-.}/test-out}/it_match"
mkdir -p "$OUT"
rm -f "$OUT"/*.jsonl "$OUT"/*.log
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

port=$((20000 + RANDOM % 20000))
timeout 60 "$BIN" --host --headless --port $port --bots 2 --round-seconds 5 --quit-after 24 \
  --stats "$OUT/host.jsonl" >"$OUT/host.log" 2>&1 &
host=$!
sleep 1
timeout 60 "$BIN" --join 127.0.0.1:$port --headless --bot --name Watcher --quit-after 21 \
  --stats "$OUT/client.jsonl" >"$OUT/client.log" 2>&1
code=$?
[ "$code" -eq 0 ] && ok || bad "client exited $code"
wait $host; code=$?
[ "$code" -eq 0 ] && ok || bad "host exited $code"

srv=$(grep '"role":"server"' "$OUT/host.jsonl")
for phase in warmup playing intermission; do
  echo "$srv" | grep -q "\"phase\":\"$phase\"" && ok || bad "no server line in phase $phase"
done
echo "$srv" | grep -q '"round":1,' && ok || bad "no round 1"
echo "$srv" | grep -q '"round":2,' && ok || bad "no round 2 after the intermission"
# While playing, at most 5 s are ever left; in the intermission at most 8.
over=$(echo "$srv" | grep '"phase":"playing"' | grep -Ev '"round_left_s":[0-5]}' | wc -l)
[ "$over" -eq 0 ] && ok || bad "$over playing lines with more than 5 s left"
over=$(echo "$srv" | grep '"phase":"intermission"' | grep -Ev '"round_left_s":[0-8]}' | wc -l)
[ "$over" -eq 0 ] && ok || bad "$over intermission lines with more than 8 s left"
# The intermission lasts about 8 s: 6 to 10 lines at one a second.
n=$(echo "$srv" | grep -c '"phase":"intermission","round":1,')
[ "$n" -ge 6 ] && [ "$n" -le 10 ] && ok || bad "round 1's intermission seen in $n stats lines, want about 8"
ends=$(grep -c "round 1 over: " "$OUT/host.log")
[ "$ends" -eq 1 ] && ok || bad "round 1's end logged $ends times"
grep -E "round 1 over: ('.+' wins with [0-9]+ points?|a draw at [0-9]+ points?)" "$OUT/host.log" >/dev/null \
  && ok || bad "round end line names no winner: $(grep 'over:' "$OUT/host.log")"
grep -q '"role":"client".*"my_score":[0-9]' "$OUT/client.jsonl" && ok || bad "client lines lack my_score"

echo "it_match: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
