#!/usr/bin/env bash
# The real-window test: two real lanarena windows under Xvfb, driven only
# with xdotool key presses as a person would. Window A hosts from the menu,
# window B joins by typing 127.0.0.1:PORT, each player moves, and each
# window's own F12 screenshot must show both players in different places,
# with the moved player somewhere else than before. Screenshots are kept
# in $LANARENA_TEST_OUT/it_window.
set -u
BIN="$1"
BUILD="${2:-$(dirname "$BIN")}"
PNGCHECK="$BUILD/tests/tool_pngcheck"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_window"
rm -rf "$OUT"; mkdir -p "$OUT/a" "$OUT/b"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

for tool in Xvfb xdotool; do
  command -v $tool >/dev/null || { echo "it_window: $tool missing"; echo "it_window: 0 passed, 1 failed"; exit 1; }
done

disp=":$((100 + RANDOM % 400))"
Xvfb "$disp" -screen 0 1700x600x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill $pa $pb 2>/dev/null; kill $xvfb 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
export DISPLAY="$disp" SDL_VIDEODRIVER=x11
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
xdotool mousemove 1690 590   # park the pointer where no window will be, so no hover picks a menu item

port=$((20000 + RANDOM % 20000))
XDG_DATA_HOME="$OUT/a" "$BIN" --name Alice --port $port --size 800x450 --discovery-addr 127.0.0.1 2>"$OUT/a.log" &
pa=$!
XDG_DATA_HOME="$OUT/b" "$BIN" --name Bob --size 800x450 --discovery-addr 127.0.0.1 2>"$OUT/b.log" &
pb=$!

win_of() { xdotool search --sync --pid "$1" 2>/dev/null | head -n 1; }
wa=$(timeout 10 bash -c "$(declare -f win_of); win_of $pa")
wb=$(timeout 10 bash -c "$(declare -f win_of); win_of $pb")
[ -n "$wa" ] && [ -n "$wb" ] && ok || { bad "windows did not appear"; echo "it_window: $pass passed, $fail failed"; exit 1; }
xdotool windowmove "$wa" 0 0 windowmove "$wb" 850 0
xdotool mousemove --sync 1690 590   # off both windows
sleep 1                      # let both windows draw their first frames, as a person would wait

press() { xdotool windowfocus --sync "$1"; sleep 0.2; shift; xdotool key --delay 80 "$@"; }
hold() { xdotool windowfocus --sync "$1"; sleep 0.2; xdotool keydown "$2"; sleep "$3"; xdotool keyup "$2"; }
wait_log() { for _ in $(seq 100); do grep -q "$2" "$1" && return 0; sleep 0.1; done; return 1; }
shot() { # window, log, destination
  local before; before=$(grep -c "screenshot saved to" "$2")
  press "$1" F12
  for _ in $(seq 50); do [ "$(grep -c "screenshot saved to" "$2")" -gt "$before" ] && break; sleep 0.1; done
  local p; p=$(grep "screenshot saved to" "$2" | tail -n 1 | sed 's/.*screenshot saved to //')
  [ -f "$p" ] && cp "$p" "$3"
}
pos() { "$PNGCHECK" "$1" | awk -v k="$2" '$1=="colour" && $2==k && $4>=25 {print $6, $8}'; }

# A: Home selects the first menu item, Host game; Return on the Host
# screen (no password) starts hosting.
press "$wa" Home Return Return
wait_log "$OUT/a.log" "client: welcomed" && ok || bad "window A did not start hosting"
# B: Down to Join game, Enter, type the address, Enter.
press "$wb" Home Down Return
sleep 0.3
xdotool type --delay 60 "127.0.0.1:$port"
press "$wb" Return
wait_log "$OUT/b.log" "client: welcomed" && ok || bad "window B did not join"
sleep 0.5

shot "$wb" "$OUT/b.log" "$OUT/b_before.png"
hold "$wb" a 0.8            # Bob walks left (he starts in a right-hand corner)
hold "$wa" s 0.8            # Alice walks down
sleep 0.4
shot "$wa" "$OUT/a.log" "$OUT/a_after.png"
shot "$wb" "$OUT/b.log" "$OUT/b_after.png"

for f in a_after b_after b_before; do
  [ -f "$OUT/$f.png" ] && ok || bad "screenshot $f missing"
done
for f in a_after b_after; do
  red=$(pos "$OUT/$f.png" 0); blue=$(pos "$OUT/$f.png" 1)
  [ -n "$red" ] && [ -n "$blue" ] && ok || bad "$f: both players visible (red='$red' blue='$blue')"
  [ -n "$red" ] && [ -n "$blue" ] && [ "$red" != "$blue" ] && ok || bad "$f: players in different places"
done
b0=$(pos "$OUT/b_before.png" 1); b1=$(pos "$OUT/b_after.png" 1)
moved=$(echo "$b0 $b1" | awk 'NF==4 {d=$3-$1; if (d<0) d=-d; print (d>20) ? "yes" : "no"}')
[ "$moved" = "yes" ] && ok || bad "Bob moved on screen (before '$b0', after '$b1')"
# Both windows show the same world: Alice's place agrees within a few pixels.
ra=$(pos "$OUT/a_after.png" 0); rb=$(pos "$OUT/b_after.png" 0)
same=$(echo "$ra $rb" | awk 'NF==4 {dx=$1-$3; dy=$2-$4; print (dx*dx+dy*dy < 100) ? "yes" : "no"}')
[ "$same" = "yes" ] && ok || bad "Alice is in the same place in both windows ('$ra' vs '$rb')"

echo "it_window: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
