#!/usr/bin/env bash
# A GAME THAT SURVIVES ITS NETWORK, on a LAN built from network namespaces:
#
#   ns h (10.78.0.1) host: a windowed game (offscreen video), no bots
#   ns a (10.78.0.2) player Ari (headless bot), joins first: the successor
#   ns b (10.78.0.3) player Bea (headless bot)
#
# 1. kill -9 the host mid-game: Ari takes over in her own process and Bea
#    follows; both see each other, with their scores. Then kill -9 Ari:
#    Bea hosts herself and plays on alone, and exits 0 at --quit-after.
# 2. The host quits on purpose: it hands over at once (HOST_PLAN NOW).
# 3. Bea's link goes down for 3 s: she stays in the game. Ari's link (the
#    successor's) goes down for 20 s: she does not take the game over (her
#    own network is down), and comes back to the host by herself with her
#    score.
#
# The time from the kill to both players back in one game is printed
# (docs/PERFORMANCE.md records it); the assertion is a generous 10 s so a
# busy machine passes. Everything stays inside namespaces this test
# creates. Needs root and ip netns; without them it says SKIPPED (exit 77),
# except under CI=true, where that fails.
set -u
BIN="$1"
TEST=it_survive
. "$(dirname "$0")/../lib/netns.sh"

P="srv$$"
NS_BR="$P-br"; NS_H="$P-h"; NS_A="$P-a"; NS_B="$P-b"
created=()
started=()
cleanup() {
  for p in "${started[@]}"; do kill -9 "$p" 2>/dev/null; { wait "$p"; } 2>/dev/null; done
  for n in "${created[@]}"; do ip netns del "$n" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

step() { "$@" 2>>"$OUT/setup.err" || cannot_run "cannot build the namespace LAN ('$*': $(tail -n 1 "$OUT/setup.err"))"; }
for n in "$NS_BR" "$NS_H" "$NS_A" "$NS_B"; do
  step ip netns add "$n"
  created+=("$n")
done
step ip -n "$NS_BR" link add br0 type bridge
step ip -n "$NS_BR" link set br0 up
i=1
for n in "$NS_H" "$NS_A" "$NS_B"; do
  step ip -n "$n" link add eth0 type veth peer name "p$i" netns "$NS_BR"
  step ip -n "$NS_BR" link set "p$i" master br0 up
  step ip -n "$n" addr add "10.78.0.$i/24" dev eth0
  step ip -n "$n" link set eth0 up
  step ip -n "$n" link set lo up
  i=$((i+1))
done

now_ms() { date +%s%3N; }
wait_for() { # tries (0.1 s each), command...
  local tries=$1; shift
  for _ in $(seq "$tries"); do "$@" && return 0; sleep 0.1; done
  return 1
}
field() { echo "$1" | sed -n "s/.*\"$2\":\"\{0,1\}\([^,\"}]*\)\"\{0,1\}[,}].*/\1/p"; }
last_client() { grep '"role":"client"' "$1" 2>/dev/null | tail -n 1; }
cfield() { field "$(last_client "$1")" "$2"; } # file field -> on the newest client line

# start_game TAG HOST_QUIT_AFTER CLIENT_QUIT_AFTER: host, then Ari, then Bea.
start_game() {
  local tag=$1
  SDL_VIDEODRIVER=offscreen ip netns exec "$NS_H" "$BIN" --host --name "Hana" --size 640x480 \
    --quit-after "$2" --stats "$OUT/$tag-h.jsonl" >"$OUT/$tag-h.out" 2>"$OUT/$tag-h.log" &
  host=$!; started+=("$host"); disown "$host"
  wait_for 150 grep -q "server: hosting on port" "$OUT/$tag-h.log" || bad "$tag: host never started: $(tail -n 3 "$OUT/$tag-h.log")"
  ip netns exec "$NS_A" "$BIN" --join 10.78.0.1 --headless --bot --name "Ari" --quit-after "$3" \
    --stats "$OUT/$tag-a.jsonl" >"$OUT/$tag-a.out" 2>"$OUT/$tag-a.log" &
  ca=$!; started+=("$ca")
  wait_for 100 grep -q "welcomed as player" "$OUT/$tag-a.log" || bad "$tag: Ari was not welcomed"
  ip netns exec "$NS_B" "$BIN" --join 10.78.0.1 --headless --bot --name "Bea" --quit-after "$3" \
    --stats "$OUT/$tag-b.jsonl" >"$OUT/$tag-b.out" 2>"$OUT/$tag-b.log" &
  cb=$!; started+=("$cb")
  all_three() { [ "$(cfield "$OUT/$tag-a.jsonl" players)" = 3 ] && [ "$(cfield "$OUT/$tag-b.jsonl" players)" = 3 ]; }
  wait_for 200 all_three && ok || bad "$tag: the players did not see 3"
}
# Both back in one game: each logged its return and sees 2 players on the same host.
back_together() { # tag host_addr
  grep -q "client: back in the game on" "$OUT/$1-a.log" && grep -q "client: back in the game on" "$OUT/$1-b.log" &&
    [ "$(cfield "$OUT/$1-a.jsonl" players)" = 2 ] && [ "$(cfield "$OUT/$1-b.jsonl" players)" = 2 ] &&
    [ "$(cfield "$OUT/$1-a.jsonl" host_addr)" = "$2" ] && [ "$(cfield "$OUT/$1-b.jsonl" host_addr)" = "$2" ]
}

# ==== 1. the host is killed, then the new host is killed ====
start_game kill 120 25
sleep 4 # play: the bots collect gems
sa=$(cfield "$OUT/kill-a.jsonl" my_score); sb=$(cfield "$OUT/kill-b.jsonl" my_score)
echo "it_survive: before the kill Ari has ${sa:-?} and Bea ${sb:-?} points"
grep -q "10\.78\.0\.2.*'Ari'" "$OUT/kill-h.log" && ok || bad "Ari did not come from 10.78.0.2"
t0=$(now_ms)
kill -9 "$host"
back() { grep -q "client: back in the game on" "$OUT/kill-a.log" && grep -q "client: back in the game on" "$OUT/kill-b.log"; }
for _ in $(seq 750); do back && break; sleep 0.02; done
resumed=$(( $(now_ms) - t0 ))
back && ok || bad "the players were not back in one game 15 s after the host died"
wait_for 50 back_together kill "10.78.0.2:27960" && ok || bad "not together under 10.78.0.2:27960: a: $(last_client "$OUT/kill-a.jsonl") b: $(last_client "$OUT/kill-b.jsonl")"
echo "it_survive: after kill -9 of the host, both players were back in one game within $resumed ms (polled every 20 ms)"
[ "$resumed" -le 10000 ] && ok || bad "resuming took $resumed ms (> 10 s)"
grep -q "took over the game on port 27960" "$OUT/kill-a.log" && ok || bad "Ari did not take over on port 27960"
[ "$(cfield "$OUT/kill-a.jsonl" hosting)" = 1 ] && ok || bad "Ari does not say she hosts"
[ "$(cfield "$OUT/kill-b.jsonl" migrations)" = 1 ] && ok || bad "Bea did not count one migration"
grep -q "The host left. Ari hosts the game now (10.78.0.2:27960)" "$OUT/kill-b.log" && ok || bad "Bea was not told who hosts now"
grep -q "Bea' joined as player .*back with their colour and score" "$OUT/kill-a.log" && ok || bad "Ari's server did not give Bea her score back"
sleep 1.5
na=$(cfield "$OUT/kill-a.jsonl" my_score); nb=$(cfield "$OUT/kill-b.jsonl" my_score)
echo "it_survive: under the new host Ari has ${na:-?} and Bea ${nb:-?} points"
[ "${na:-0}" -ge "${sa:-1}" ] && [ "${nb:-0}" -ge "${sb:-1}" ] && ok || bad "a score was lost: Ari ${sa} -> ${na}, Bea ${sb} -> ${nb}"

# ... and the new host dies too: Bea plays on alone.
t0=$(now_ms)
kill -9 "$ca"
alone() { [ "$(cfield "$OUT/kill-b.jsonl" hosting)" = 1 ] && [ "$(cfield "$OUT/kill-b.jsonl" players)" = 1 ] &&
          [ "$(cfield "$OUT/kill-b.jsonl" migrations)" = 2 ]; }
wait_for 150 alone && ok || bad "Bea is not playing alone: $(last_client "$OUT/kill-b.jsonl")"
echo "it_survive: after kill -9 of the second host, Bea played on alone within $(( $(now_ms) - t0 )) ms"
lines=$(grep -c '"role":"client"' "$OUT/kill-b.jsonl")
sleep 2
[ "$(grep -c '"role":"client"' "$OUT/kill-b.jsonl")" -gt "$lines" ] && ok || bad "Bea stopped writing stats"
[ "$(cfield "$OUT/kill-b.jsonl" link)" = ok ] && ok || bad "Bea's link is not ok"
wait "$cb"; code=$?
[ "$code" -eq 0 ] && ok || bad "Bea exited $code at --quit-after (expected 0): $(tail -n 2 "$OUT/kill-b.log")"

# ==== 2. the host quits on purpose: it hands over at once ====
start_game quit 6 20
for _ in $(seq 500); do grep -q "handing the game over" "$OUT/quit-h.log" && break; sleep 0.02; done
grep -q "handing the game over" "$OUT/quit-h.log" && ok || bad "the host did not hand over: $(tail -n 3 "$OUT/quit-h.log")"
t0=$(now_ms)
qback() { grep -q "client: back in the game on" "$OUT/quit-a.log" && grep -q "client: back in the game on" "$OUT/quit-b.log"; }
for _ in $(seq 500); do qback && break; sleep 0.02; done
echo "it_survive: after the host quit, both players were back in one game within $(( $(now_ms) - t0 )) ms of its handover (polled every 20 ms)"
wait_for 100 back_together quit "10.78.0.2:27960" && ok || bad "no handover: a: $(last_client "$OUT/quit-a.jsonl") b: $(last_client "$OUT/quit-b.jsonl")"
grep -q "the host is leaving and hands the game over" "$OUT/quit-b.log" && ok || bad "Bea was not told of the handover"
! grep -q "Reconnecting\." "$OUT/quit-b.log" && ok || bad "Bea waited for a timeout instead of following at once"
wait "$ca"; ca_code=$?; wait "$cb"; cb_code=$?
[ "$ca_code" -eq 0 ] && [ "$cb_code" -eq 0 ] && ok || bad "quit: Ari exited $ca_code, Bea $cb_code"

# ==== 3. a player's link goes down ====
start_game link 90 60
sleep 2
wait_for 50 test -n "$(cfield "$OUT/link-b.jsonl" my_score)"
ip -n "$NS_B" link set eth0 down
sleep 3
ip -n "$NS_B" link set eth0 up
sleep 8 # TCP retransmits on its own backoff; well inside the 10 s timeout
[ "$(cfield "$OUT/link-b.jsonl" players)" = 3 ] && [ "$(cfield "$OUT/link-b.jsonl" link)" = ok ] && ok \
  || bad "after 3 s down, Bea is not in the game: $(last_client "$OUT/link-b.jsonl")"
! grep -q "Reconnecting\." "$OUT/link-b.log" && ok || bad "a 3 s outage made Bea reconnect"
! grep -q "'Bea' (player [0-9]*) left" "$OUT/link-h.log" && ok || bad "the host dropped Bea for a 3 s outage"
grep -q '"link":"quiet"' "$OUT/link-b.jsonl" && ok || bad "Bea never showed 'Connection problem' (link quiet) during the outage"

# The successor's own link, for 20 s: her network is down, so she does not
# take the game over; she reconnects to the host by herself, with her score.
sa=$(cfield "$OUT/link-a.jsonl" my_score)
ip -n "$NS_A" link set eth0 down
sleep 20
ip -n "$NS_A" link set eth0 up
t0=$(now_ms)
rejoined() { grep -q "client: back in the game on 10.78.0.1:27960" "$OUT/link-a.log" &&
             [ "$(cfield "$OUT/link-a.jsonl" players)" = 3 ] && [ "$(cfield "$OUT/link-a.jsonl" link)" = ok ]; }
wait_for 150 rejoined && ok || bad "Ari did not come back: $(last_client "$OUT/link-a.jsonl"); $(grep client: "$OUT/link-a.log" | tail -n 3)"
echo "it_survive: Ari was back $(( $(now_ms) - t0 )) ms after her link came up"
grep -q '"link":"rejoining"' "$OUT/link-a.jsonl" && ok || bad "Ari never showed 'Reconnecting'"
! grep -q "took over the game" "$OUT/link-a.log" && ok || bad "Ari took the game over while her own link was down"
grep -q "'Ari' joined as player .*back with their colour and score" "$OUT/link-h.log" && ok || bad "the host did not give Ari her score back"
na=$(cfield "$OUT/link-a.jsonl" my_score)
[ "${na:-0}" -ge "${sa:-1}" ] && ok || bad "Ari's score went from $sa to $na"

echo "it_survive: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
