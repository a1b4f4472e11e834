#!/usr/bin/env bash
# Settings that stick, with the real binary in offscreen windows
# (SDL_VIDEODRIVER=offscreen from ctest) and a private pref folder each:
#   1. a damaged settings file is reported and replaced by defaults, and the
#      game still starts;
#   2. name and colour from the file are used (the host's own player is
#      named from it and drawn in that colour on a screenshot);
#   3. --name is for that run only: the file keeps its name;
#   4. a first start invents a name and keeps it for the next start;
#   5. joining a game records the last address and the recent hosts.
# Everything runs on 127.0.0.1; each process quits by itself.
set -u
BIN="$1"
BUILD="${2:-$(dirname "$BIN")}"
PNGCHECK="$BUILD/tests/tools/tool_pngcheck"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_settings"
rm -rf "$OUT"; mkdir -p "$OUT"
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

prefdir() { echo "$OUT/$1/lanarena/LAN Arena"; }
port() { echo $((20000 + RANDOM % 20000)); }
run() { # case, then lanarena arguments
  local c="$1"; shift
  XDG_DATA_HOME="$OUT/$c" timeout 30 "$BIN" --discovery-addr 127.0.0.1 --size 640x480 "$@" >>"$OUT/$c.out" 2>>"$OUT/$c.log"
}

# 1. Damaged: binary junk and a line without '='.
mkdir -p "$(prefdir damaged)"
printf 'version = 1\nname = Ok\nthis line is broken\n\001\002\n' >"$(prefdir damaged)/settings.txt"
run damaged --quit-after 1.5 --screenshot "$OUT/damaged.png"
rc=$?
[ $rc -eq 0 ] && ok || bad "damaged settings: exit $rc (want 0)"
grep -q "is damaged (line 3" "$OUT/damaged.log" && ok || bad "damaged settings not reported with the line ($(grep -i settings "$OUT/damaged.log" | head -n 2))"
f="$(prefdir damaged)/settings.txt"
grep -q "^version = 1$" "$f" && ! grep -q "broken" "$f" && grep -q "^colour = -1$" "$f" && ok \
  || bad "damaged file not replaced by defaults: $(head -c 300 "$f" | tr '\n' '|')"
[ -f "$OUT/damaged.png" ] && ok || bad "no screenshot: the game did not draw"

# 2. Name and colour from the file, applied when hosting (5 = teal).
mkdir -p "$(prefdir zed)"
printf 'version = 1\nname = Zed\ncolour = 5\nrecent = 10.0.0.7:27960\n' >"$(prefdir zed)/settings.txt"
run zed --host --port "$(port)" --quit-after 2.5 --screenshot "$OUT/zed.png"
grep -q "'Zed' joined as player 0" "$OUT/zed.log" && ok || bad "the saved name was not used ($(grep joined "$OUT/zed.log"))"
colours=$("$PNGCHECK" "$OUT/zed.png" | awk '$1=="colour" && $4>=10 {print $2}' | tr '\n' ' ')
[ "$colours" = "5 " ] && ok || bad "the saved colour was not used: player colours on screen '$colours' (want '5 ')"
grep -q "^recent = 10.0.0.7:27960$" "$(prefdir zed)/settings.txt" && ok || bad "the recent host was lost"

# 3. --name for one run: used, but the file keeps Zed.
run zed --name Alice --host --port "$(port)" --quit-after 1.5
grep -q "'Alice' joined" "$OUT/zed.log" && ok || bad "--name was not used"
grep -q "^name = Zed$" "$(prefdir zed)/settings.txt" && ok || bad "--name overwrote the saved name"

# 4. First start: an invented name, kept for the next start.
run fresh --host --port "$(port)" --quit-after 1.5
name=$(sed -n 's/^name = //p' "$(prefdir fresh)/settings.txt")
[ -n "$name" ] && grep -q "'$name' joined" "$OUT/fresh.log" && ok || bad "no name kept on first start ('$name')"
: >"$OUT/fresh.log"
run fresh --host --port "$(port)" --quit-after 1.5
grep -q "'$name' joined" "$OUT/fresh.log" && ok || bad "the kept name '$name' was not used the second time"

# 5. Joining records the address (a dedicated server to join).
p=$(port)
XDG_DATA_HOME="$OUT/server" "$BIN" --host --headless --port "$p" --quit-after 8 --discovery-addr 127.0.0.1 \
  >"$OUT/server.out" 2>"$OUT/server.log" &
pids+=($!)
for _ in $(seq 50); do grep -q "Hosting" "$OUT/server.out" 2>/dev/null && break; sleep 0.1; done
run joiner --name Jo --join "127.0.0.1:$p" --quit-after 2
f="$(prefdir joiner)/settings.txt"
grep -q "client: welcomed" "$OUT/joiner.log" && ok || bad "the joiner did not get in"
grep -q "^last_address = 127.0.0.1:$p$" "$f" && grep -q "^recent = 127.0.0.1:$p$" "$f" && ok \
  || bad "the joined address was not kept: $(tr '\n' '|' <"$f" 2>/dev/null)"
grep -q "^name = " "$f" && ! grep -q "^name = Jo$" "$f" && ok || bad "--name Jo leaked into the saved settings"

echo "it_settings: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
