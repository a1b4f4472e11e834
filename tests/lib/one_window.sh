# Shared by the tests that drive one real window under Xvfb (it_cancel,
# it_name_taken). Source it after setting TEST and BIN; it sets OUT,
# ok/bad/finish, starts Xvfb on a display it picks itself (-displayfd, so
# two tests never share one), exports DISPLAY, parks the mouse off the
# window and kills everything in pids[] (and Xvfb) on exit. Skips the
# test (exit 77) without Xvfb or xdotool.
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
xdotool mousemove 890 590 # off the window, so no hover picks a menu item
