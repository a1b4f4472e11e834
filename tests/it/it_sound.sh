#!/usr/bin/env bash
# The game can be heard: a windowed host with bots under SDL's disk audio
# driver writes non-silent sound to SDL_DISKAUDIOFILE and reports playing
# pickups; a dedicated (headless) server opens no audio device at all.
set -u
BIN="$1"
OUT="${LANARENA_TEST_OUT:-${2:-.}/test-out}/it_sound"
mkdir -p "$OUT"
rm -f "$OUT"/*
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

port=$((20000 + RANDOM % 20000))
SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$OUT/game.raw" SDL_VIDEODRIVER=offscreen \
  timeout 90 "$BIN" --host --bots 4 --port $port --quit-after 12 --size 640x480 >"$OUT/game.log" 2>&1
code=$?
[ "$code" -eq 0 ] && ok || bad "windowed host exited $code"
grep -q "sound: disk" "$OUT/game.log" && ok || bad "no disk audio device opened"
picks=$(sed -n 's/.*sound: played \([0-9]*\) pickup.*/\1/p' "$OUT/game.log")
[ -n "$picks" ] && [ "$picks" -gt 0 ] && ok || bad "no pickup sound played (${picks:-no summary line})"
[ -s "$OUT/game.raw" ] && ok || bad "the disk audio file is empty"
# 16-bit samples: the loudest must be well above silence.
peak=$(od -An -v -td2 -w2 "$OUT/game.raw" | awk '{v=$1<0?-$1:$1; if (v>p) p=v} END {print p+0}')
[ "$peak" -gt 2000 ] && ok || bad "audio peak $peak: silent"

# A dedicated server: no audio device, so the disk file never appears.
port=$((20000 + RANDOM % 20000))
SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$OUT/server.raw" \
  timeout 30 "$BIN" --host --headless --bots 2 --port $port --quit-after 3 >"$OUT/server.log" 2>&1
[ ! -e "$OUT/server.raw" ] && ok || bad "a headless server opened an audio device"
grep -q "sound:" "$OUT/server.log" && bad "a headless server logged sound" || ok

echo "it_sound: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
