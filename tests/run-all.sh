#!/usr/bin/env bash
# The whole test suite, as CI runs it (README's second command):
#   1. the normal build and every ctest test (unit, integration over
#      127.0.0.1, real processes, the network-namespace LAN test, the
#      real-window test under Xvfb);
#   2. the same ctest suite again with two CPU hogs beside it
#      (tests/ci/busy.sh): nothing may fail because the machine is slow;
#   3. the same suite under AddressSanitizer + UBSan        (tests/ci/asan.sh);
#   4. the threaded tests under ThreadSanitizer             (tests/ci/tsan.sh);
#   5. every libFuzzer target for FUZZ_SECONDS (default 60) (tests/ci/fuzz.sh);
#   6. a SOAK_SECONDS (default 120) soak under ASan         (tests/ci/soak.sh);
#   7. the .deb built from a copy of the tree, installed into a temporary
#      root and run with the source tree gone              (tests/ci/install.sh);
#   8. the Windows cross build under Wine: its unit tests, Windows/Linux
#      cross play over 127.0.0.1 and a windowed screenshot (tests/ci/windows.sh).
# Every stage runs even if an earlier one failed, so one run shows all
# that is broken. Ends with "all: N passed, N failed" (stages).
#   LANARENA_STAGES="build asan"   runs only some stages.
set -u
cd "$(dirname "$0")/.."
ROOT="$PWD/build-ci"
mkdir -p "$ROOT"
stages="${LANARENA_STAGES:-build busy asan tsan fuzz soak install windows}"
passed=0; failed=0; failures=""

run_stage() {
  local name="$1"; shift
  local start=$SECONDS
  echo "=== stage $name: $*"
  if "$@"; then
    passed=$((passed+1)); echo "=== stage $name: passed in $((SECONDS-start)) s"
  else
    failed=$((failed+1)); failures="$failures $name"; echo "=== stage $name: FAILED in $((SECONDS-start)) s"
  fi
}

build_and_ctest() {
  cmake -S . -B build && cmake --build build -j2 && ctest --test-dir build --output-on-failure
}

busy_ctest() {
  cmake -S . -B build >/dev/null && cmake --build build -j2 >/dev/null && bash tests/ci/busy.sh build
}

# The Windows stage's dependencies (SDL2 and the rest, from Debian's
# sources) take minutes of CPU. Built from the start in the background at
# the lowest priority, they use what the other stages leave idle; the
# stage itself then finds them built (.ci/build-windows reuses its OUT).
prebuild=""
if [[ " $stages " == *" windows "* ]] && command -v x86_64-w64-mingw32-gcc >/dev/null; then
  mkdir -p "$ROOT/windows"
  nice -n 19 bash .ci/build-windows "$ROOT/windows" >"$ROOT/windows-prebuild.log" 2>&1 &
  prebuild=$!
fi

for s in $stages; do
  case "$s" in
    build) run_stage build build_and_ctest ;;
    busy)  run_stage busy busy_ctest ;;
    asan)  run_stage asan bash tests/ci/asan.sh "$ROOT" ;;
    tsan)  run_stage tsan bash tests/ci/tsan.sh "$ROOT" ;;
    fuzz)  run_stage fuzz bash tests/ci/fuzz.sh "$ROOT" ;;
    soak)  run_stage soak bash tests/ci/soak.sh "$ROOT" ;;
    install) run_stage install bash tests/ci/install.sh "$ROOT" ;;
    windows) [ -n "$prebuild" ] && wait "$prebuild"; run_stage windows bash tests/ci/windows.sh "$ROOT" ;;
    *) echo "unknown stage '$s'"; failed=$((failed+1)); failures="$failures $s" ;;
  esac
done
[ -n "$failures" ] && echo "failed stages:$failures"
echo "all: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
