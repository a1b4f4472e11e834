# Sourced by the real-window tests (it_window.sh, it_party.sh): two real
# lanarena windows on a private Xvfb display, and the few things a person
# does to them (focus and press keys, hold a key, type, F12), plus checks
# on the windows' logs and screenshots.
#
# The sourcing script sets TEST (its name), BIN, BUILD and OUT, then calls
# two_windows_start (A_EXTRA and B_EXTRA, when set, are more arguments for
# each window, split on spaces); afterwards pa/pb are the processes, wa/wb the windows,
# port the host's port, and a.log/b.log in $OUT their logs. Every window
# aims LAN discovery at 127.0.0.1, so no test can broadcast.

PNGCHECK="$BUILD/tests/tools/tool_pngcheck"
fail=0; pass=0; pa=""; pb=""; xvfb=""
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
finish() { echo "$TEST: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
cleanup() { kill $pa $pb 2>/dev/null; kill $xvfb 2>/dev/null; wait 2>/dev/null; }

two_windows_start() {
  for tool in Xvfb xdotool; do
    command -v $tool >/dev/null || { bad "$tool missing"; finish; exit 1; }
  done
  local disp=":$((100 + RANDOM % 400))"
  Xvfb "$disp" -screen 0 1700x600x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  trap cleanup EXIT
  export DISPLAY="$disp" SDL_VIDEODRIVER=x11
  for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
  xdotool mousemove 1690 590   # where no window will be, so no hover picks a menu item

  port=$((20000 + RANDOM % 20000))
  XDG_DATA_HOME="$OUT/a" "$BIN" --name Alice --port $port --size 800x480 --discovery-addr 127.0.0.1 ${A_EXTRA:-} 2>"$OUT/a.log" &
  pa=$!
  XDG_DATA_HOME="$OUT/b" "$BIN" --name Bob --size 800x480 --discovery-addr 127.0.0.1 ${B_EXTRA:-} 2>"$OUT/b.log" &
  pb=$!
  wa=$(timeout 10 xdotool search --sync --pid "$pa" 2>/dev/null | head -n 1)
  wb=$(timeout 10 xdotool search --sync --pid "$pb" 2>/dev/null | head -n 1)
  [ -n "$wa" ] && [ -n "$wb" ] && ok || { bad "windows did not appear"; finish; exit 1; }
  xdotool windowmove "$wa" 0 0 windowmove "$wb" 850 0
  xdotool mousemove --sync 1690 590   # off both windows
  sleep 1                             # let both draw their first frames, as a person would wait
}

press() { xdotool windowfocus --sync "$1"; sleep 0.2; shift; xdotool key --delay 80 "$@"; }
hold() { xdotool windowfocus --sync "$1"; sleep 0.2; xdotool keydown "$2"; sleep "$3"; xdotool keyup "$2"; }
typ() { xdotool windowfocus --sync "$1"; sleep 0.2; xdotool type --delay 60 "$2"; }
count() { grep -c -- "$2" "$1" 2>/dev/null || true; }
wait_count() { # log, pattern, at least n
  for _ in $(seq 100); do [ "$(count "$1" "$2")" -ge "$3" ] && return 0; sleep 0.1; done; return 1
}
wait_log() { wait_count "$1" "$2" 1; }
shot() { # window, log, destination: the window's own F12 screenshot
  local before; before=$(count "$2" "screenshot saved to")
  press "$1" F12
  wait_count "$2" "screenshot saved to" $((before + 1))
  local p; p=$(grep "screenshot saved to" "$2" | tail -n 1 | sed 's/.*screenshot saved to //')
  [ -f "$p" ] && cp "$p" "$3"
}
# "X Y" centre of the sprite wearing palette colour K in a screenshot, or nothing.
pos() { "$PNGCHECK" "$1" | awk -v k="$2" '$1=="colour" && $2==k && $4>=25 {print $6, $8}'; }
