#!/usr/bin/env bash
# The lobby in two real lanarena windows under Xvfb, driven only with
# xdotool as a person would:
#   - A opens the Host screen, types a game name, a port below 1024
#     (refused in the window, nothing hosted), then a good port, two bots
#     and a 2-minute round, and hosts: the host's log and --stats show
#     that game, and LAN searches list it by its name;
#   - B joins it; A holds Tab, picks Bob on the scoreboard and presses K
#     twice: B's window says "Kicked by the host.", A's server has one
#     player fewer and carries on;
#   - A leaves and picks Practice vs bots on the main menu: a game with
#     three bots whose round starts at once;
#   - A leaves again and hosts from the Host screen, which remembers the
#     game (name, port), with no bots: alone in warmup, F5 starts the round.
# Screenshots (the Host screen with its error, the scoreboard asking to
# kick, B's kicked notice) are kept in $LANARENA_TEST_OUT/it_lobby.
set -u
TEST=it_lobby
BIN="$1"
BUILD="${2:-$(dirname "$BIN")}"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_lobby"
rm -rf "$OUT"; mkdir -p "$OUT/a" "$OUT/b"
. "$(dirname "$0")/../lib/two_windows.sh"
A_EXTRA="--stats $OUT/a_stats.jsonl"
two_windows_start
hport=$((port + 1))
stat_seen() { # pattern in a server line of A's stats, within 10 s
  for _ in $(seq 100); do grep '"role":"server"' "$OUT/a_stats.jsonl" 2>/dev/null | tail -n 2 | grep -q "$1" && return 0; sleep 0.1; done
  return 1
}
key_tab() { # window, keys...: pressed while Tab is held
  local w=$1; shift
  xdotool windowfocus --sync "$w"; sleep 0.2
  xdotool keydown Tab; sleep 0.3
  xdotool key --delay 150 "$@"
  sleep 0.3; xdotool keyup Tab
}

# A: the Host screen, on the game name.
press "$wa" Home Return
xdotool key --delay 30 $(printf 'BackSpace %.0s' $(seq 20))
typ "$wa" "Friday LAN"
press "$wa" Down BackSpace BackSpace BackSpace BackSpace BackSpace
typ "$wa" "80"
press "$wa" Return
sleep 0.5
shot "$wa" "$OUT/a.log" "$OUT/host_screen_refused.png"
grep -q "hosting '" "$OUT/a.log" && bad "a port below 1024 was hosted" || ok
"$PNGCHECK" "$OUT/host_screen_refused.png" >/dev/null 2>&1 && ok || bad "no screenshot of the Host screen"
# The port has the focus now: fix it, then two bots, a 2-minute round.
press "$wa" BackSpace BackSpace
typ "$wa" "$hport"
press "$wa" Down Down Right Right Down Left
sleep 0.3
shot "$wa" "$OUT/a.log" "$OUT/host_screen.png"
press "$wa" Return
wait_log "$OUT/a.log" "client: welcomed" && ok || bad "A did not start hosting"
grep -q "hosting 'Friday LAN' on port $hport: up to 32 players, 2 bots, round 120 s, score limit 0" "$OUT/a.log" \
  && ok || bad "the host's log does not show the game typed: $(grep "hosting '" "$OUT/a.log")"
stat_seen '"players":3' && ok || bad "the server's stats do not show the host and 2 bots"
stat_seen '"phase":"playing"' && ok || bad "the round did not start with the bots in"
if grep -q "LAN discovery is off" "$OUT/a.log"; then
  echo "$TEST: discovery's port is taken here; not checking the LAN list"
else
  "$BIN" --list-lan --discovery-addr 127.0.0.1 >"$OUT/list.txt" 2>&1
  grep -q ":$hport  Friday LAN  " "$OUT/list.txt" && ok || bad "LAN searches do not list 'Friday LAN': $(cat "$OUT/list.txt")"
fi

# B joins.
press "$wb" Home Down Return
typ "$wb" "127.0.0.1:$hport"
press "$wb" Return
wait_log "$OUT/b.log" "client: welcomed" && ok || bad "B did not join"
stat_seen '"players":4' && ok || bad "the server's stats do not show B"
sleep 0.5

# A: Tab held, walk the rows until K asks about Bob, then K again.
asked=no
for _ in $(seq 6); do
  before=$(count "$OUT/a.log" "kick: asking whether to kick")
  key_tab "$wa" k
  wait_count "$OUT/a.log" "kick: asking whether to kick" $((before + 1)) || break
  if grep "kick: asking whether to kick" "$OUT/a.log" | tail -n 1 | grep -q "'Bob'"; then asked=yes; break; fi
  key_tab "$wa" Down
done
[ "$asked" = yes ] && ok || bad "the host's scoreboard never asked about Bob"
# The question on screen (it waits 3 s for the second K), then the kick.
xdotool windowfocus --sync "$wa"
xdotool keydown Tab; sleep 0.3
xdotool key F12; sleep 0.5
xdotool key k; sleep 0.3
xdotool keyup Tab
wait_count "$OUT/a.log" "screenshot saved to" 3 && ok || bad "no screenshot of the scoreboard"
p=$(grep "screenshot saved to" "$OUT/a.log" | tail -n 1 | sed 's/.*screenshot saved to //'); [ -f "$p" ] && cp "$p" "$OUT/scoreboard_kick.png"
wait_log "$OUT/a.log" "server: the host kicked 'Bob'" && ok || bad "the host's server did not kick Bob"
wait_log "$OUT/b.log" "Kicked by the host." && ok || bad "B was not told it was kicked"
sleep 0.5
shot "$wb" "$OUT/b.log" "$OUT/b_kicked.png"
[ "$(count "$OUT/b.log" "client: welcomed")" -eq 1 ] && ok || bad "B came back by itself"
stat_seen '"players":3' && ok || bad "the server did not carry on with the host and its bots"
grep -q "server: the host kicked 'Alice'\|Bot [0-9]' (player [0-9]*) left" "$OUT/a.log" && bad "someone else left" || ok

# A leaves; Practice vs bots from the main menu.
press "$wa" Escape
press "$wa" End Return
wait_log "$OUT/a.log" "app: hosting -> menu" || sleep 1
press "$wa" Home Down Down Down Return
wait_count "$OUT/a.log" "client: welcomed" 2 && ok || bad "Practice did not start"
grep -q "hosting 'Practice' on port [0-9]*: up to 4 players, 3 bots" "$OUT/a.log" && ok || bad "Practice is not 3 bots"
stat_seen '"players":4' && ok || bad "Practice's stats do not show 3 bots"
stat_seen '"phase":"playing"' && ok || bad "Practice's round did not start"

# A leaves; the Host screen remembers the game; no bots; F5 starts the round.
press "$wa" Escape
press "$wa" End Return
sleep 0.5
press "$wa" Home Return Down Down Down Left Left Return
wait_count "$OUT/a.log" "client: welcomed" 3 && ok || bad "A did not host again"
grep -q "hosting 'Friday LAN' on port $hport: up to 32 players, 0 bots, round 120 s" "$OUT/a.log" \
  && ok || bad "the Host screen did not remember the game"
grep -q "host_name = Friday LAN" "$OUT/a/lanarena/LAN Arena/settings.txt" && ok || bad "settings.txt lacks the game"
stat_seen '"phase":"warmup"' && ok || bad "alone, the game is not in warmup"
sleep 0.5
press "$wa" F5
stat_seen '"phase":"playing"' && ok || bad "F5 did not start the round"

finish
