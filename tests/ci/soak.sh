#!/usr/bin/env bash
# The soak (tests/tools/tool_soak.c) under AddressSanitizer + UBSan: a headless
# host, SOAK_CLIENTS clients (default 64: 62 bot processes and 2 in-process
# observers) joining, leaving and being killed every second for
# SOAK_SECONDS (default 120). Fails if the soak's own checks fail (host
# crash, RSS growth, worlds that disagree, a client dropped that should not
# have been) or if any process wrote a sanitizer report (a leak in the host
# at its exit included).
#
#   tests/ci/soak.sh [BUILD_ROOT]   (default: build-ci in the repo; uses
#                                    BUILD_ROOT/asan, built if needed)
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${1:-${BUILD_ROOT:-$REPO/build-ci}}"
B="$ROOT/asan"
REPORTS="$B/soak-reports"
OUT="$B/soak-out"

mkdir -p "$B"
cmake -S "$REPO" -B "$B" -DLANARENA_SANITIZE=address,undefined >"$B/soak-configure.log" 2>&1 ||
  { cat "$B/soak-configure.log"; echo "soak.sh: configure failed"; exit 1; }
cmake --build "$B" -j2 --target tool_soak lanarena >"$B/soak-build.log" 2>&1 ||
  { tail -n 50 "$B/soak-build.log"; echo "soak.sh: build failed"; exit 1; }
cc -shared -fPIC -O1 -o "$B/keep_libs_loaded.so" "$REPO/tests/ci/keep_libs_loaded.c" ||
  { echo "soak.sh: cannot build the dlclose shim"; exit 1; }

rm -rf "$REPORTS" "$OUT"; mkdir -p "$REPORTS" "$OUT"
# A small quarantine: ASan keeps freed memory there for a while, and the
# default 256 MB would be counted as the host's RSS growth.
export ASAN_OPTIONS="verify_asan_link_order=0:halt_on_error=1:detect_leaks=1:quarantine_size_mb=16:log_path=$REPORTS/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$REPORTS/ubsan"
export LSAN_OPTIONS="suppressions=$REPO/tests/ci/lsan.supp:print_suppressions=0"
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy

LD_PRELOAD="$B/keep_libs_loaded.so" "$B/tests/tools/tool_soak" --seconds "${SOAK_SECONDS:-120}" \
  --clients "${SOAK_CLIENTS:-64}" --out "$OUT"
code=$?

reports=$(find "$REPORTS" -type f | sort)
if [ -n "$reports" ]; then
  echo "soak.sh: sanitizer reports:"
  for f in $reports; do echo "==== $f"; head -n 60 "$f"; done
  code=1
fi
[ "$code" -eq 0 ] && echo "soak.sh: passed" || echo "soak.sh: FAILED (logs in $OUT/soak)"
exit "$code"
