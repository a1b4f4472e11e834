#!/usr/bin/env bash
# lanarena-server, the dedicated server: its ldd names no graphics, X,
# font, image or sound library (nor SDL, which on Debian links them all);
# it takes the hosting flags; a real `lanarena --join --headless` client
# plays a game on it; and --snapshot-hz caps the host and is a client's
# request, with each client's --stats reporting the rate it receives.
set -u
BIN="$1"
BUILD="$2"
SERVER="$BUILD/lanarena-server"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_server"
rm -rf "$OUT"; mkdir -p "$OUT"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

[ -x "$SERVER" ] && ok || { bad "no $SERVER"; echo "it_server: $pass passed, $fail failed"; exit 1; }

# 1. What it links.
ldd "$SERVER" >"$OUT/ldd.txt" 2>&1
for lib in libGL libOpenGL libEGL libGLX libX11 libxcb libwayland libSDL2_ttf libSDL2_image libfreetype \
           libasound libpulse libSDL2-2.0 libSDL2_net; do
  if grep -q "$lib" "$OUT/ldd.txt"; then bad "lanarena-server links $lib"; else ok; fi
done
grep -q "libc.so" "$OUT/ldd.txt" && ok || bad "ldd output looks wrong: $(cat "$OUT/ldd.txt")"
# The game itself still links them (so the check above can fail).
ldd "$BIN" | grep -q libSDL2_ttf && ok || bad "lanarena does not link SDL2_ttf?"

# 2. Flags: the hosting ones, and a sentence for the others.
"$SERVER" --help >"$OUT/help.txt"; code=$?
[ $code -eq 0 ] && grep -q -- "--snapshot-hz" "$OUT/help.txt" && grep -q -- "--bots" "$OUT/help.txt" && ok ||
  bad "--help exit $code"
"$SERVER" --version | grep -q "lanarena-server .*protocol" && ok || bad "--version"
"$SERVER" --join 127.0.0.1 2>"$OUT/err1.txt"; code=$?
[ $code -eq 2 ] && grep -q "not a server option" "$OUT/err1.txt" && ok || bad "--join: exit $code $(cat "$OUT/err1.txt")"
"$SERVER" --snapshot-hz 5 2>"$OUT/err2.txt"; code=$?
[ $code -eq 2 ] && grep -q "10 to 60" "$OUT/err2.txt" && ok || bad "--snapshot-hz 5: exit $code"
"$SERVER" --bogus 2>/dev/null; [ $? -eq 2 ] && ok || bad "unknown flag not exit 2"

field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN{exit !(v>=lo && v<=hi)}'; }
# The second-to-last client line: a whole second after everyone joined.
client_line() { grep '"role":"client"' "$1" | tail -n 2 | head -n 1; }

# 3. A game on it: one in-process bot and a real headless client, without
# a display (the server needs none).
port=$((20000 + RANDOM % 20000))
env -u DISPLAY -u WAYLAND_DISPLAY "$SERVER" --port $port --bots 1 --max-players 4 --quit-after 7 \
  --stats "$OUT/server.jsonl" 2>"$OUT/server.log" >"$OUT/server.out" &
srv=$!
sleep 0.5
"$BIN" --join 127.0.0.1:$port --headless --bot --name Visitor --quit-after 5 --stats "$OUT/c.jsonl" 2>"$OUT/c.log"
code=$?
[ $code -eq 0 ] && ok || bad "client exited $code: $(tail -n 3 "$OUT/c.log")"
hwm=$(grep VmHWM /proc/$srv/status 2>/dev/null | awk '{print $2}')
wait $srv; code=$?
[ $code -eq 0 ] && ok || bad "server exited $code: $(tail -n 3 "$OUT/server.log")"
grep -q "Hosting" "$OUT/server.out" && ok || bad "server did not say where it hosts"
l=$(client_line "$OUT/c.jsonl")
[ "$(field "$l" players)" = "2" ] && ok || bad "client players: $l"
hz=$(field "$l" snapshot_hz)
between "$hz" 50 70 && ok || bad "client snapshot_hz $hz on a clean link"
s=$(grep '"role":"server"' "$OUT/server.jsonl" | tail -n 4 | head -n 1)
[ "$(field "$s" players)" = "2" ] && ok || bad "server players: $s"
grep -q "'Visitor' (player [0-9]*) left: peer said GOODBYE" "$OUT/server.log" && ok || bad "no clean leave logged"
echo "  lanarena-server peak RSS with 2 players: ${hwm:-?} kB"

# 4. Rates: a host cap of 25, a client asking for 15 and one on Auto.
port=$((20000 + RANDOM % 20000))
"$SERVER" --port $port --quit-after 7 --snapshot-hz 25 2>"$OUT/server2.log" >/dev/null &
srv=$!
sleep 0.5
"$BIN" --join 127.0.0.1:$port --headless --bot --name Auto --quit-after 5 --stats "$OUT/auto.jsonl" 2>"$OUT/auto.log" &
a=$!
"$BIN" --join 127.0.0.1:$port --headless --bot --name Asks15 --snapshot-hz 15 --quit-after 5 \
  --stats "$OUT/asks15.jsonl" 2>"$OUT/asks15.log" &
b=$!
wait $a; ca=$?; wait $b; cb=$?; wait $srv; cs=$?
[ $ca -eq 0 ] && [ $cb -eq 0 ] && [ $cs -eq 0 ] && ok || bad "exit codes $ca $cb $cs"
hz=$(field "$(client_line "$OUT/auto.jsonl")" snapshot_hz)
between "$hz" 22 28 && ok || bad "Auto under a cap of 25 received $hz a second"
hz=$(field "$(client_line "$OUT/asks15.jsonl")" snapshot_hz)
between "$hz" 13 17 && ok || bad "a client asking for 15 received $hz a second"
grep -q "now sends 25 snapshots a second" "$OUT/auto.log" && ok || bad "Auto client not told its rate"

echo "it_server: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
