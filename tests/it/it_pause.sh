#!/usr/bin/env bash
# A host process that is stopped and resumed (SIGSTOP for 5 s, as a
# laptop that sleeps) keeps its own players: a dedicated host with three
# in-process bots must still have all three playing afterwards. Its
# server thread and the bots' connections wake together, and neither may
# take the pause for the other's silence (net/runclock.h).
set -u
BIN="$1"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_pause"
rm -rf "$OUT"; mkdir -p "$OUT"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
# The newest stats line's field (empty until there is one).
newest() { grep '"role":"server"' "$OUT/host.jsonl" 2>/dev/null | tail -n 1 | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
# Waits up to $2 s until the newest stats line shows $1 players.
wait_players() {
  local want=$1 limit=$2 i
  for ((i = 0; i < limit * 10; i++)); do
    [ "$(newest players)" = "$want" ] && return 0
    sleep 0.1
  done
  return 1
}

port=$((20000 + RANDOM % 20000))
"$BIN" --host --headless --port $port --bots 3 --quit-after 60 --stats "$OUT/host.jsonl" 2>"$OUT/host.log" &
host=$!
wait_players 3 15 && ok || bad "the bots did not join: $(tail -n 1 "$OUT/host.jsonl" 2>/dev/null)"

kill -STOP $host
sleep 5
kill -CONT $host
t_resume=$(date +%s.%N)
lines_before=$(grep -c '"role":"server"' "$OUT/host.jsonl")

# Six stats lines after the resume (they are written once a second), with
# every bot still in the game and the game still running.
for ((i = 0; i < 200; i++)); do
  [ "$(grep -c '"role":"server"' "$OUT/host.jsonl")" -ge $((lines_before + 6)) ] && break
  kill -0 $host 2>/dev/null || break
  sleep 0.1
done
kill -0 $host 2>/dev/null && ok || bad "the host died after the pause"
after=$(grep '"role":"server"' "$OUT/host.jsonl" | tail -n +$((lines_before + 1)))
[ "$(echo "$after" | grep -c .)" -ge 6 ] && ok || bad "fewer than 6 stats lines after the pause"
# The last three lines: everyone there, the game ticking and sending.
while read -r l; do
  [ -n "$l" ] || continue
  [ "$(field "$l" players)" = "3" ] && ok || bad "players after the pause: $l"
  hz=$(field "$l" snapshot_hz)
  awk -v h="${hz:-0}" 'BEGIN{exit !(h>30)}' && ok || bad "snapshot_hz after the pause: $l"
done <<<"$(echo "$after" | tail -n 3)"
t1=$(newest tick); sleep 1.5; t2=$(newest tick)
awk -v a="${t1:-0}" -v b="${t2:-0}" 'BEGIN{exit !(b>a)}' && ok || bad "the game stopped ticking ($t1 -> $t2)"
if grep -E "bot [0-9]+:|stopped responding|silent for|left:" "$OUT/host.log" >"$OUT/dropped.txt"; then
  bad "a player was dropped over the pause:"; cat "$OUT/dropped.txt"
else
  ok
fi
grep -q "did not run for a while" "$OUT/host.log" && ok || bad "the pause was not noticed in the log"

kill -TERM $host 2>/dev/null
wait $host; code=$?
[ "$code" -eq 0 ] && ok || bad "host exited $code"
echo "it_pause: $pass passed, $fail failed (resumed at $t_resume)"
[ "$fail" -eq 0 ]
