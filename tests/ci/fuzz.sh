#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang and
# -fsanitize=fuzzer,address,undefined, then runs each for FUZZ_SECONDS
# (default 60). Prints executions per target and the running total over
# every run kept in BUILD_ROOT/fuzz/totals.tsv; exits non-zero on any
# crash, sanitizer report, leak, timeout or out-of-memory.
#
#   tests/ci/fuzz.sh [BUILD_ROOT]     (default: build-ci in the repo)
#
# New inputs accumulate in BUILD_ROOT/fuzz/work/TARGET (never in the tree);
# a crashing input is saved as BUILD_ROOT/fuzz/artifacts/TARGET-crash-*.
# To add it to the seed corpus, copy it into tests/fuzz/corpus/TARGET/.
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${1:-${BUILD_ROOT:-$REPO/build-ci}}"
SECONDS_EACH="${FUZZ_SECONDS:-60}"
B="$ROOT/fuzz"
CC_FUZZ="${FUZZ_CC:-clang}"

mkdir -p "$B"
cmake -S "$REPO" -B "$B" -DCMAKE_C_COMPILER="$CC_FUZZ" -DLANARENA_FUZZ=ON \
  -DLANARENA_SANITIZE=fuzzer-no-link,address,undefined >"$B/configure.log" 2>&1 ||
  { cat "$B/configure.log"; echo "fuzz.sh: configure failed"; exit 1; }
cmake --build "$B" -j2 --target fuzz_frame fuzz_proto fuzz_server fuzz_client fuzz_discovery fuzz_settings make_corpus >"$B/build.log" 2>&1 ||
  { cat "$B/build.log"; echo "fuzz.sh: build failed"; exit 1; }

fail=0
totals="$B/totals.tsv"
for t in frame proto server client discovery settings; do
  work="$B/work/$t"; arts="$B/artifacts"
  mkdir -p "$work" "$arts"
  log="$B/fuzz_$t.log"
  # -timeout: one input running 10 s is a hang; -rss_limit_mb: a leak.
  "$B/tests/fuzz/fuzz_$t" "$work" "$REPO/tests/fuzz/corpus/$t" \
    -max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$arts/$t-" >"$log" 2>&1
  code=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  execs=${execs:-0}
  corpus=$(find "$work" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$execs" "$code" >>"$totals"
  total=$(awk -F'\t' -v t="$t" '$2==t {s+=$3} END {printf "%d", s}' "$totals")
  if [ "$code" -ne 0 ] || grep -qE "ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error:|invariant broken" "$log"; then
    echo "fuzz_$t: FAILED (exit $code) after $execs executions; see $log"
    grep -E "ERROR|runtime error|invariant|Test unit written" "$log" | head -n 20
    fail=1
  else
    echo "fuzz_$t: $execs executions in ${SECONDS_EACH} s, 0 crashes, corpus $corpus files; $total executions over all runs"
  fi
done
[ "$fail" -eq 0 ] && echo "fuzz.sh: all targets clean" || echo "fuzz.sh: FAILED"
exit "$fail"
