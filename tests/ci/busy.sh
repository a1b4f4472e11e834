#!/usr/bin/env bash
# The whole ctest suite of an existing build again, with two CPU hogs
# (busy loops at the tests' own priority) on the machine's two cores the
# whole time: a laptop or CI machine is never idle, and no test may fail
# because the machine is slow.
#
#   tests/ci/busy.sh BUILD_DIR [HOGS]   (default: 2 hogs)
#   BUSY_CTEST_ARGS="-R test_net"       extra ctest arguments
set -u
B="${1:?usage: busy.sh BUILD_DIR [HOGS]}"
HOGS="${2:-2}"
[ -f "$B/CTestTestfile.cmake" ] || { echo "busy.sh: no ctest build in $B"; exit 1; }

pids=""
stop_hogs() { [ -n "$pids" ] && kill $pids 2>/dev/null; wait 2>/dev/null; pids=""; }
trap stop_hogs EXIT INT TERM
for _ in $(seq "$HOGS"); do
  # Bounded: a hog ends itself after 30 minutes even if this script dies.
  timeout 1800 sh -c 'while :; do :; done' &
  pids="$pids $!"
done
echo "busy.sh: $HOGS CPU hogs running (pids$pids)"
# shellcheck disable=SC2086
ctest --test-dir "$B" --output-on-failure ${BUSY_CTEST_ARGS:-}
code=$?
stop_hogs
[ "$code" -eq 0 ] && echo "busy.sh: passed under load" || echo "busy.sh: FAILED under load"
exit "$code"
