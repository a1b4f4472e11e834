#!/usr/bin/env bash
# Cancel returns to where the join was started from. One real window under
# Xvfb, driven with xdotool key presses; its own player lags 1 s each
# way (--fake-lag), so the Connecting screen stays up long enough to press
# Esc. The app logs every change of mode at debug level ("app: A -> B"):
#   1. Host game from the menu, Esc while connecting: back on the Host
#      screen;
#   2. Join game from the menu, Esc while connecting: back on Join;
#   3. --host on the command line, Esc while connecting: the main menu.
# Everything runs on 127.0.0.1.
set -u
TEST=it_cancel
BIN="$1"
. "$(dirname "$0")/../lib/one_window.sh"
export LANARENA_LOG=debug # every change of mode is logged
wait_log() { for _ in $(seq 100); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
window() { # case, then lanarena arguments; sets pid and win
  XDG_DATA_HOME="$OUT/$1" "$BIN" --discovery-addr 127.0.0.1 --size 640x480 --fake-lag 1000 "${@:2}" 2>"$OUT/$1.log" &
  pid=$!; pids+=($pid)
  win=$(timeout 10 xdotool search --sync --pid "$pid" 2>/dev/null | head -n 1)
  [ -n "$win" ] && ok || bad "$1: no window"
}
press() { xdotool windowfocus --sync "$win"; sleep 0.2; xdotool key --delay 80 "$@"; }
cancel() { # case, the mode while connecting, the screen Cancel must lead to
  wait_log "$OUT/$1.log" "app: .* -> $2" && ok || bad "$1: never in $2"
  press Escape
  wait_log "$OUT/$1.log" "app: $2 -> menu ($3)" && ok \
    || bad "$1: Cancel went to '$(grep -o "app: $2 -> .*" "$OUT/$1.log" | tail -n 1)', want menu ($3)"
  ! grep -q "client: welcomed" "$OUT/$1.log" && ok || bad "$1: welcomed before Esc; the lag did not hold"
}

# 1. Host game, then Enter on the Host screen (no password).
window menu_host --port $((20000 + RANDOM % 20000))
sleep 1   # let it draw its first frames, as a person would wait
press Home Return Return
cancel menu_host host-joining Host
kill $pid 2>/dev/null

# 2. Join game, type a running server's address, Enter.
port=$((20000 + RANDOM % 20000))
"$BIN" --host --headless --port $port --quit-after 20 --discovery-addr 127.0.0.1 >/dev/null 2>"$OUT/server.log" &
pids+=($!)
wait_log "$OUT/server.log" "Hosting" || bad "the server did not start"
window menu_join
sleep 1
press Home Down Return
sleep 0.3
xdotool type --delay 40 "127.0.0.1:$port"
press Return
cancel menu_join joining Join
kill $pid 2>/dev/null

# 3. --host from the command line.
window argv_host --host --port $((20000 + RANDOM % 20000))
cancel argv_host host-joining Main
kill $pid 2>/dev/null

finish
