#!/usr/bin/env bash
# The command line as a user meets it: help, version, refusals (exit 2 with
# a message), a join to a closed port (clear error within 5 s, exit 1), and
# hosting on a port already in use (clear error, no crash).
set -u
BIN="$1"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

"$BIN" --help | grep -q -- "--join HOST" && ok || bad "--help lists --join"
"$BIN" --version | grep -q "protocol" && ok || bad "--version names the protocol"

for args in "--bogus" "--port 0" "--port" "--max-players 251" "--bots 2" "--host --join 1.2.3.4" "--quit-after nope" \
            "--host --round-seconds 4" "--host --round-seconds 3601" "--host --round-seconds x" \
            "--host --score-limit -1" "--host --score-limit 65536" "--round-seconds 10" "--join 127.0.0.1 --score-limit 3"; do
  out=$("$BIN" $args 2>&1 >/dev/null); code=$?
  [ "$code" -eq 2 ] && ok || bad "'$args' exited $code, want 2"
  [ -n "$out" ] && ok || bad "'$args' printed no message"
done

# A closed port on loopback: bind nothing there. Port 1 is never ours.
start=$(date +%s%N)
out=$(timeout 20 "$BIN" --join 127.0.0.1:1 --headless --name Tester 2>&1); code=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$code" -eq 1 ] && ok || bad "join to closed port exited $code, want 1"
echo "$out" | grep -qi "refused" && ok || bad "join to closed port says refused: $out"
[ "$ms" -lt 5000 ] && ok || bad "join to closed port took ${ms} ms"

# An unresolvable name is tested in it_faults.sh, inside a network
# namespace: resolving it here would send a DNS query off this machine.

# Hosting on a port in use: the first host holds it.
port=$((20000 + RANDOM % 20000))
"$BIN" --host --headless --port $port --quit-after 6 >/dev/null 2>&1 &
first=$!
sleep 1
out=$(timeout 10 "$BIN" --host --headless --port $port --quit-after 2 2>&1); code=$?
[ "$code" -eq 1 ] && ok || bad "second host on a busy port exited $code, want 1"
echo "$out" | grep -qi "in use" && ok || bad "busy port message: $out"
kill $first 2>/dev/null; wait $first 2>/dev/null

echo "it_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
