#!/usr/bin/env bash
# The installed game, with the source tree out of reach: copies the
# checkout elsewhere, builds and packages it there (.ci/package), deletes
# that copy, extracts the .deb into a temporary root, then runs the
# installed program from there: a headless host with bots, and an
# offscreen screenshot checked for the arena's players. Also checks the
# package's metadata and that no absolute build or system font path is
# compiled into the program.
#
#   tests/ci/install.sh [BUILD_ROOT]   (default: build-ci in the repo)
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${1:-${BUILD_ROOT:-$REPO/build-ci}}"
B="$ROOT/install"
rm -rf "$B"; mkdir -p "$B"
B="$(cd "$B" && pwd)"
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# 1. A copy of the tracked files, packaged, then gone.
COPY="$B/source-copy"
mkdir -p "$COPY"
(cd "$REPO" && git ls-files -z | xargs -0 cp --parents -t "$COPY") || { echo "install.sh: cannot copy the checkout"; exit 1; }
bash "$COPY/.ci/package" "$B/out" >"$B/package.log" 2>&1 || { tail -n 40 "$B/package.log"; echo "install.sh: packaging failed"; exit 1; }
rm -rf "$COPY"
DEB=$(ls "$B"/out/lanarena_*.deb 2>/dev/null | head -n1)
TGZ=$(ls "$B"/out/lanarena-*.tar.gz 2>/dev/null | head -n1)
check "a .deb and a .tar.gz were made" '[ -f "$DEB" ] && [ -f "$TGZ" ]'
[ -f "$DEB" ] || exit 1

# 2. What the package says and holds.
check "the .deb depends on Debian's SDL2 runtime" 'dpkg-deb -f "$DEB" Depends | grep -q "libsdl2-2.0-0"'
LIST=$(dpkg-deb -c "$DEB" | awk "{print \$6}")
for f in ./usr/bin/lanarena ./usr/share/applications/lanarena.desktop ./usr/share/icons/hicolor/64x64/apps/lanarena.png \
         ./usr/share/lanarena/assets/sprites.txt ./usr/share/lanarena/shaders/sprite.vert \
         ./usr/share/lanarena/fonts/DejaVuSans.ttf ./usr/share/lanarena/fonts/LICENSE-DejaVu.txt; do
  check "the .deb installs $f" 'printf "%s\n" "$LIST" | grep -qx "$f"'
done
check "the .tar.gz holds the program and its data" \
  'tar -tzf "$TGZ" | grep -q "bin/lanarena$" && tar -tzf "$TGZ" | grep -q "share/lanarena/fonts/DejaVuSans.ttf$"'

# 3. Installed into a temporary root; the source copy is gone.
R="$B/root"
dpkg-deb -x "$DEB" "$R"
BIN="$R/usr/bin/lanarena"
check "no build path or system font path in the program" \
  '! grep -qaE "source-copy|/usr/share/fonts|dejavu/" "$BIN"'
check "the desktop entry runs lanarena with its icon" \
  'grep -qx "Exec=lanarena" "$R/usr/share/applications/lanarena.desktop" && grep -qx "Icon=lanarena" "$R/usr/share/applications/lanarena.desktop"'

export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
unset LANARENA_DATA_DIR
cd "$B"
# A headless host with bots on a free loopback port.
PORT=$((20000 + RANDOM % 20000))
timeout 60 "$BIN" --host --headless --port "$PORT" --bots 3 --quit-after 3 --stats "$B/host.stats" >"$B/host.log" 2>&1
code=$?
check "the installed headless host ran and exited 0 (got $code)" '[ "$code" -eq 0 ]'
check "the installed host had its 3 bots in game" 'grep -q "\"players\": *3" "$B/host.stats"'
# A windowed host (offscreen GL) that saves a screenshot.
PORT=$((20000 + RANDOM % 20000))
timeout 60 "$BIN" --host --port "$PORT" --bots 2 --quit-after 3 --screenshot "$B/installed.png" >"$B/window.log" 2>&1
code=$?
check "the installed game drew a frame and saved a screenshot (exit $code)" '[ "$code" -eq 0 ] && [ -s "$B/installed.png" ]'
PNGCHECK="$REPO/build/tests/tools/tool_pngcheck"
if [ -x "$PNGCHECK" ]; then
  "$PNGCHECK" "$B/installed.png" >"$B/pngcheck.txt" 2>&1
  check "the screenshot shows the arena's 3 players" '[ "$(grep -c "^colour" "$B/pngcheck.txt")" -ge 3 ]'
fi
# Data missing: the error names where it looked.
mv "$R/usr/share/lanarena" "$R/usr/share/lanarena.away"
timeout 30 "$BIN" --host --port "$PORT" --quit-after 1 >"$B/nodata.log" 2>&1
code=$?
check "without its data the game exits non-zero naming where it looked" \
  '[ "$code" -ne 0 ] && grep -q "share/lanarena" "$B/nodata.log" && grep -q -- "--data-dir" "$B/nodata.log"'
check "--data-dir finds data elsewhere" \
  'timeout 60 "$BIN" --data-dir "$R/usr/share/lanarena.away" --host --port "$PORT" --quit-after 1 --screenshot "$B/datadir.png" >"$B/datadir.log" 2>&1 && [ -s "$B/datadir.png" ]'
mv "$R/usr/share/lanarena.away" "$R/usr/share/lanarena"

[ "$fail" -eq 0 ] && echo "install.sh: passed" || echo "install.sh: FAILED"
exit "$fail"
