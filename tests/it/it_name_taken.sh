#!/usr/bin/env bash
# A name the host refuses leads to the Name screen, not a dead end: one
# real window under Xvfb joins a game where its name is taken, lands on
# the Name screen with the reason, types a new name and Enter joins again.
# The app logs every change of mode at debug level ("app: A -> B").
# Everything runs on 127.0.0.1.
set -u
TEST=it_name_taken
BIN="$1"
. "$(dirname "$0")/../lib/one_window.sh"
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
