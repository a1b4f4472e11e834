# Shared by the tests that build a LAN of network namespaces (it_lan,
# it_slowlink, it_survive). Source it after setting TEST; it sets OUT
# (emptied), ok/bad and the pass/fail counts, and cannot_run, then checks
# for root and ip. Without them the test is SKIPPED (exit 77, which ctest
# reports as skipped), except under CI=true, where that fails.
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/$TEST"
rm -rf "$OUT"; mkdir -p "$OUT"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

cannot_run() {
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL: $TEST cannot run: $1 (under CI=true this test must run)"
    exit 1
  fi
  echo "$TEST: SKIPPED: $1"
  exit 77
}

[ "$(id -u)" -eq 0 ] || cannot_run "not root (creating network namespaces needs root)"
command -v ip >/dev/null 2>&1 || cannot_run "the ip command (iproute2) is missing"
