#!/usr/bin/env bash
# Files named by the user are opened without blocking: a FIFO where
# settings.txt or the --stats file should be is refused with a sentence,
# the game carries on (settings) or exits 1 at once (--stats), and
# --quit-after still ends the run. The FIFO is left as it was.
# Everything runs on 127.0.0.1; each process is bounded by timeout.
set -u
BIN="$1"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_files"
rm -rf "$OUT"; mkdir -p "$OUT"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
port() { echo $((20000 + RANDOM % 20000)); }

# 1. settings.txt is a FIFO: the game starts with defaults, does not
#    replace it, and quits on time.
pref="$OUT/fifo/lanarena/LAN Arena"
mkdir -p "$pref"
mkfifo "$pref/settings.txt"
start=$(date +%s.%N)
XDG_DATA_HOME="$OUT/fifo" timeout 30 "$BIN" --discovery-addr 127.0.0.1 --size 640x480 --quit-after 1.5 \
  >"$OUT/settings.out" 2>"$OUT/settings.log"
rc=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
[ $rc -eq 0 ] && ok || bad "settings FIFO: exit $rc (want 0; 124 means it hung)"
[ "$(echo "$secs < 15" | bc)" = 1 ] && ok || bad "settings FIFO: took $secs s"
grep -q "not a regular file" "$OUT/settings.log" && ok || bad "settings FIFO not reported ($(grep -i settings "$OUT/settings.log" | head -n 2))"
[ -p "$pref/settings.txt" ] && ok || bad "the settings FIFO was replaced"

# 2. --stats is a FIFO: refused at once with the reason, exit 1.
mkfifo "$OUT/stats.fifo"
start=$(date +%s.%N)
timeout 30 "$BIN" --host --headless --port "$(port)" --discovery-addr 127.0.0.1 --stats "$OUT/stats.fifo" \
  --quit-after 2 >"$OUT/stats.out" 2>"$OUT/stats.log"
rc=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
[ $rc -eq 1 ] && ok || bad "--stats FIFO: exit $rc (want 1; 124 means it hung)"
[ "$(echo "$secs < 10" | bc)" = 1 ] && ok || bad "--stats FIFO: took $secs s"
grep -q "is not a regular file" "$OUT/stats.log" && ok || bad "--stats FIFO: no reason given ($(head -c 300 "$OUT/stats.log"))"
[ -p "$OUT/stats.fifo" ] && ok || bad "the --stats FIFO was replaced"

# 3. --stats is a device: refused the same way.
timeout 30 "$BIN" --host --headless --port "$(port)" --discovery-addr 127.0.0.1 --stats /dev/zero \
  --quit-after 2 >"$OUT/dev.out" 2>"$OUT/dev.log"
rc=$?
[ $rc -eq 1 ] && grep -q "is not a regular file" "$OUT/dev.log" && ok || bad "--stats /dev/zero: exit $rc ($(head -c 300 "$OUT/dev.log"))"

# 4. A regular --stats file still works.
timeout 30 "$BIN" --host --headless --port "$(port)" --discovery-addr 127.0.0.1 --stats "$OUT/ok.jsonl" \
  --quit-after 1.5 >"$OUT/ok.out" 2>"$OUT/ok.log"
rc=$?
[ $rc -eq 0 ] && grep -q "\"role\":\"server\"" "$OUT/ok.jsonl" && ok || bad "--stats regular file: exit $rc, $(wc -l <"$OUT/ok.jsonl" 2>/dev/null) lines"

echo "it_files: $pass passed, $fail failed"
[ $fail -eq 0 ]
