#!/usr/bin/env bash
# Playing together (chat, colours, passwords, names) in two real lanarena windows under Xvfb, driven only with
# xdotool key presses as a person would:
#   - A hosts from the Host screen with a password;
#   - B joins by address, is asked for the password, gives a wrong one
#     (refused again), then the right one, and plays;
#   - chat: B opens the line with T and sends; A opens it with Enter,
#     cancels one with Esc (never sent) and sends another; while A types
#     "wwww" into the chat line its player does not move;
#   - B leaves with Esc and joins again from the Join screen: no password
#     prompt (remembered for that host) and the host gives B's colour and
#     score back (the reconnect token);
#   - F11 switches A's window to fullscreen and back, and the choice is
#     saved. (Xvfb has no window manager here, so the X window keeps its
#     size; the check is SDL's window state and the settings file.)
# Each window logs the chat lines it shows ("chat: NAME: TEXT"), which is
# what the checks read. Screenshots are kept in $LANARENA_TEST_OUT/it_party.
set -u
TEST=it_party
BIN="$1"
BUILD="${2:-$(dirname "$BIN")}"
OUT="${LANARENA_TEST_OUT:-/tmp/lanarena-test}/it_party"
rm -rf "$OUT"; mkdir -p "$OUT/a" "$OUT/b"
. "$(dirname "$0")/../lib/two_windows.sh"
two_windows_start

# A: Host game; the password field is two up from the first (past Start
# hosting); a password, Enter.
press "$wa" Home Return Up Up
typ "$wa" "sesame"
press "$wa" Return
wait_count "$OUT/a.log" "client: welcomed" 1 && ok || bad "A did not start hosting"
grep -q "sesame" "$OUT/a.log" && bad "the password appears in A's log" || ok

# B: Join game, the address: refused, then asked for the password.
press "$wb" Home Down Return
typ "$wb" "127.0.0.1:$port"
press "$wb" Return
refused="netclient: .*failed: This game has a password"
wait_count "$OUT/b.log" "$refused" 1 && ok || bad "B was not told the game has a password"
typ "$wb" "open sesame"
press "$wb" Return
wait_count "$OUT/b.log" "$refused" 2 && ok || bad "a wrong password was not refused"
typ "$wb" "sesame"
press "$wb" Return
wait_count "$OUT/b.log" "client: welcomed" 1 && ok || bad "B did not get in with the right password"
# Two wrong passwords from one address: one line (one per address per 10 s).
[ "$(count "$OUT/a.log" "wrong or missing password")" -eq 1 ] && ok || bad "the host did not log the refusals once"
sleep 0.5

# Chat. B: T opens the line, Enter sends.
press "$wb" t
typ "$wb" "hello from bob"
press "$wb" Return
wait_count "$OUT/a.log" "chat: Bob: hello from bob" 1 && ok || bad "A did not show B's message"
wait_count "$OUT/b.log" "chat: Bob: hello from bob" 1 && ok || bad "B did not see its own message come back"
grep -q "chat: Bob: thello" "$OUT/a.log" && bad "the T that opened the line was typed into it" || ok

# A: Enter opens; "wwww" goes into the line, not to the player; Esc cancels.
shot "$wa" "$OUT/a.log" "$OUT/a_before_typing.png"
press "$wa" Return
typ "$wa" "wwww never sent"
sleep 0.3
shot "$wa" "$OUT/a.log" "$OUT/a_while_typing.png"
press "$wa" Escape
r0=$(pos "$OUT/a_before_typing.png" 0); r1=$(pos "$OUT/a_while_typing.png" 0)
[ -n "$r0" ] && [ "$r0" = "$r1" ] && ok || bad "typing in the chat line moved the player ('$r0' -> '$r1')"
press "$wa" Return
typ "$wa" "gg"
press "$wa" Return
wait_count "$OUT/b.log" "chat: Alice: gg" 1 && ok || bad "B did not show A's message"
grep -q "never sent" "$OUT/b.log" "$OUT/a.log" && bad "a cancelled message was sent" || ok
kill -0 $pa 2>/dev/null && kill -0 $pb 2>/dev/null && ok || bad "Esc in the chat line left the game"

# B leaves (Esc opens the game menu; its last item leaves) and comes back
# from the Join screen: the password and the reconnect token are
# remembered for that address.
press "$wb" Escape
sleep 0.3
grep -q "You left the game" "$OUT/b.log" && bad "Esc alone left the game" || ok
press "$wb" End Return
sleep 0.5
press "$wb" Home Down Return
sleep 0.3
press "$wb" Return
wait_count "$OUT/b.log" "client: welcomed" 2 && ok || bad "B could not rejoin"
[ "$(count "$OUT/b.log" "$refused")" -eq 2 ] && ok || bad "B was asked for the password again"
wait_count "$OUT/a.log" "'Bob' joined as player .*back with their colour and score" 1 && ok \
  || bad "the host did not give Bob his colour and score back"
sleep 0.5
shot "$wb" "$OUT/b.log" "$OUT/b_back.png"
[ -n "$(pos "$OUT/b_back.png" 1)" ] && ok || bad "Bob is not blue after coming back"

# F11: fullscreen and back, saved each time.
sa="$OUT/a/lanarena/LAN Arena/settings.txt"
press "$wa" F11
wait_count "$OUT/a.log" "window: fullscreen" 1 && ok || bad "F11 did not switch to fullscreen"
grep -q "^fullscreen = true$" "$sa" && ok || bad "fullscreen was not saved"
press "$wa" F11
wait_count "$OUT/a.log" "window: windowed" 1 && ok || bad "F11 again did not leave fullscreen"
grep -q "^fullscreen = false$" "$sa" && ok || bad "leaving fullscreen was not saved"

finish
