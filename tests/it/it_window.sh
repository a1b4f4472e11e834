#!/usr/bin/env bash
# The real-window test: two real lanarena windows under Xvfb, driven only
# with xdotool key presses as a person would. Window A hosts from the menu,
# window B joins by typing 127.0.0.1:PORT, each player moves, and each
# window's own F12 screenshot must show both players in different places,
# with the moved player somewhere else than before. Screenshots are kept
# in $LANARENA_TEST_OUT/it_window.
set -u
TEST=it_window
BIN="$1"
BUILD="${2:-$(dirname "$BIN")}"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_window"
rm -rf "$OUT"; mkdir -p "$OUT/a" "$OUT/b"
. "$(dirname "$0")/../lib/two_windows.sh"
two_windows_start

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
# Two players start round 1 after a 3 s countdown, which puts everyone
# back at spawn: walk after that.
wait_log "$OUT/a.log" "server: round 1 started" && ok || bad "round 1 did not start"
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

finish
