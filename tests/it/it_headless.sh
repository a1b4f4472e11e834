#!/usr/bin/env bash
# Real processes on 127.0.0.1: a dedicated host with one in-process bot,
# and three headless bot clients, for a few seconds. Every process's
# --stats lines must show all 4 players and a full snapshot rate.
set -u
BIN="$1"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_headless"
rm -rf "$OUT"; mkdir -p "$OUT"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

port=$((20000 + RANDOM % 20000))
"$BIN" --host --headless --port $port --bots 1 --quit-after 7 --stats "$OUT/host.jsonl" 2>"$OUT/host.log" &
host=$!
sleep 0.5
pids=()
for i in 1 2 3; do
  "$BIN" --join 127.0.0.1:$port --headless --bot --name "Proc $i" --quit-after 5 --stats "$OUT/c$i.jsonl" 2>"$OUT/c$i.log" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; code=$?; [ "$code" -eq 0 ] && ok || bad "bot client exited $code"; done
wait $host; code=$?
[ "$code" -eq 0 ] && ok || bad "host exited $code"

# The last few lines of each file, after everyone has joined.
last() { tail -n 2 "$1" | head -n 1; }
field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
for i in 1 2 3; do
  l=$(last "$OUT/c$i.jsonl")
  [ "$(field "$l" players)" = "4" ] && ok || bad "client $i players: $l"
  hz=$(field "$l" snapshot_hz)
  awk -v h="$hz" 'BEGIN{exit !(h>50)}' && ok || bad "client $i snapshot_hz $hz"
  grep -q '"role":"client"' "$OUT/c$i.jsonl" && ok || bad "client role"
done
l=$(grep '"role":"server"' "$OUT/host.jsonl" | tail -n 3 | head -n 1)
[ "$(field "$l" players)" = "4" ] && ok || bad "server players: $l"
grep -q "left: peer said GOODBYE" "$OUT/host.log" && ok || bad "host logs clean leaves"
echo "it_headless: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
