#!/usr/bin/env bash
# The threaded tests built with ThreadSanitizer (-DLANARENA_SANITIZE=thread)
# in their own build dir: the transport and its threads (test_net, test_mq),
# the LAN responder and search threads (test_discovery),
# server + clients in one process (test_integration), the hostile-client
# and fault tests and the other script tests, whose lanarena processes
# (server thread, bot thread, connection and resolver threads) are TSan
# builds too. Any report fails it: each goes to a file under the build dir,
# and the output is also searched for "WARNING: ThreadSanitizer".
#
#   tests/ci/tsan.sh [BUILD_ROOT]   (default: build-ci in the repo)
#   TSAN_TESTS=REGEX                which ctest tests (default below)
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${1:-${BUILD_ROOT:-$REPO/build-ci}}"
B="$ROOT/tsan"
REPORTS="$B/sanitizer-reports"
TESTS="${TSAN_TESTS:-^(test_net|test_mq|test_discovery|test_integration|test_hostile|test_kick|it_cli|it_headless|it_faults)$}"

mkdir -p "$B"
cmake -S "$REPO" -B "$B" -DLANARENA_SANITIZE=thread >"$B/configure.log" 2>&1 ||
  { cat "$B/configure.log"; echo "tsan.sh: configure failed"; exit 1; }
cmake --build "$B" -j2 >"$B/build.log" 2>&1 || { tail -n 50 "$B/build.log"; echo "tsan.sh: build failed"; exit 1; }

rm -rf "$REPORTS"; mkdir -p "$REPORTS"
# Suppressions name system libraries only (see the file).
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$REPO/tests/ci/tsan.supp:log_path=$REPORTS/tsan"
ctest --test-dir "$B" --output-on-failure -R "$TESTS" 2>&1 | tee "$B/ctest.log"
code=${PIPESTATUS[0]}

reports=$(find "$REPORTS" -type f | sort)
if [ -n "$reports" ] || grep -q "WARNING: ThreadSanitizer" "$B/ctest.log"; then
  echo "tsan.sh: ThreadSanitizer reports:"
  for f in $reports; do echo "==== $f"; head -n 80 "$f"; done
  code=1
fi
[ "$code" -eq 0 ] && echo "tsan.sh: clean" || echo "tsan.sh: FAILED"
exit "$code"
