#!/usr/bin/env bash
# The whole ctest suite built with AddressSanitizer + UndefinedBehavior-
# Sanitizer (-DLANARENA_SANITIZE=address,undefined), in its own build dir.
# Any sanitizer report fails it, including one from a lanarena process a
# script test started and whose exit code it does not check: every report
# goes to a file under the build dir, and any such file is a failure.
#
#   tests/ci/asan.sh [BUILD_ROOT]   (default: build-ci in the repo)
#   ASAN_CTEST_ARGS="-R test_net"   extra ctest arguments
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${1:-${BUILD_ROOT:-$REPO/build-ci}}"
B="$ROOT/asan"
REPORTS="$B/sanitizer-reports"

mkdir -p "$B"
cmake -S "$REPO" -B "$B" -DLANARENA_SANITIZE=address,undefined >"$B/configure.log" 2>&1 ||
  { cat "$B/configure.log"; echo "asan.sh: configure failed"; exit 1; }
cmake --build "$B" -j2 >"$B/build.log" 2>&1 || { tail -n 50 "$B/build.log"; echo "asan.sh: build failed"; exit 1; }

rm -rf "$REPORTS"; mkdir -p "$REPORTS"
# The OpenGL driver must stay loaded until LeakSanitizer has looked (see
# keep_libs_loaded.c); the shim goes first, so ASan's link-order check is off.
cc -shared -fPIC -O1 -o "$B/keep_libs_loaded.so" "$REPO/tests/ci/keep_libs_loaded.c" ||
  { echo "asan.sh: cannot build the dlclose shim"; exit 1; }
# halt_on_error with -fno-sanitize-recover=all: the first report ends the
# process with a non-zero status. Leaks are checked at every exit.
export ASAN_OPTIONS="verify_asan_link_order=0:halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:log_path=$REPORTS/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$REPORTS/ubsan"
# Only system libraries are suppressed there (see the file).
export LSAN_OPTIONS="suppressions=$REPO/tests/ci/lsan.supp:print_suppressions=0"

# shellcheck disable=SC2086
LD_PRELOAD="$B/keep_libs_loaded.so" ctest --test-dir "$B" --output-on-failure ${ASAN_CTEST_ARGS:-}
code=$?

reports=$(find "$REPORTS" -type f | sort)
if [ -n "$reports" ]; then
  echo "asan.sh: sanitizer reports:"
  for f in $reports; do echo "==== $f"; head -n 60 "$f"; done
  code=1
fi
[ "$code" -eq 0 ] && echo "asan.sh: clean" || echo "asan.sh: FAILED"
exit "$code"
