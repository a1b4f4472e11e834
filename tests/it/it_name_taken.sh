#!/usr/bin/env bash
# A name the host refuses leads to the Name screen, not a dead end: one
# real window under Xvfb joins a game where its name is taken, lands on
# the Name screen with the reason, types a new name and Enter joins again.
# The app logs every change of mode at debug level ("app: A -> B").
# Everything runs on 127.0.0.1.
set -u
TEST=it_name_taken
BIN="$1"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/$TEST"
rm -rf "$OUT"; mkdir -p "$OUT"
fail=0; pass=0; pids=(); xvfb=""
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
finish() { echo "$TEST: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; kill $xvfb 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
for tool in Xvfb xdotool; do
  command -v $tool >/dev/null || { echo "$TEST: skipped, $tool missing"; exit 77; }
done
Xvfb -displayfd 3 -screen 0 900x600x24 -nolisten tcp 3>"$OUT/display" >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -s "$OUT/display" ] && break; sleep 0.1; done
[ -s "$OUT/display" ] || { bad "Xvfb did not start"; finish; exit 1; }
export DISPLAY=":$(head -n 1 "$OUT/display")" SDL_VIDEODRIVER=x11
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
xdotool mousemove 890 590
wait_log() { for _ in $(seq "${3:-150}"); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

port=$((20000 + RANDOM % 20000))
"$BIN" --host --headless --port $port --quit-after 40 --discovery-addr 127.0.0.1 >/dev/null 2>"$OUT/host.log" &
pids+=($!)
wait_log "$OUT/host.log" "Hosting" || bad "the host did not start"
"$BIN" --join 127.0.0.1:$port --headless --bot --name Bob --quit-after 40 >/dev/null 2>"$OUT/bob.log" &
pids+=($!)
wait_log "$OUT/host.log" "'Bob' joined" || bad "the first Bob did not join"

LANARENA_LOG=debug XDG_DATA_HOME="$OUT/w" "$BIN" --join 127.0.0.1:$port --name Bob --size 640x480 \
  --discovery-addr 127.0.0.1 2>"$OUT/w.log" &
pid=$!; pids+=($pid)
win=$(timeout 10 xdotool search --sync --pid "$pid" 2>/dev/null | head -n 1)
[ -n "$win" ] && ok || bad "no window"
wait_log "$OUT/w.log" "app: joining -> menu (Name)" && ok || bad "a taken name did not lead to the Name screen: $(grep -o 'app: joining -> .*' "$OUT/w.log" | tail -n 1)"
sleep 1
xdotool windowfocus --sync "$win"; sleep 0.2
xdotool key --delay 80 End BackSpace BackSpace BackSpace
xdotool type --delay 60 "Rob"
xdotool key --delay 80 Return
wait_log "$OUT/w.log" "app: menu -> joining" && ok || bad "saving the new name did not join again"
wait_log "$OUT/host.log" "'Rob' joined" && ok || bad "the host never saw Rob"
wait_log "$OUT/w.log" "-> playing" && ok || bad "the window never got into the game"
finish
