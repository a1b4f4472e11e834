#!/usr/bin/env bash
# bench_lan_flood: how often --list-lan finds a host while another machine
# floods the host's discovery port with queries. Three network namespaces
# on a bridge (as tests/it/it_lan.sh builds them): a dedicated host, a
# flooder (tool_qflood, RATE queries a second, unicast to the host) and an
# asker that runs --list-lan (a broadcast, inside the namespace LAN only)
# TRIES times. Needs root; every process is bounded by timeout.
#
#   bash tests/bench/bench_lan_flood.sh BUILD_DIR [RATE] [TRIES]
set -u
BUILD="${1:?usage: bench_lan_flood.sh BUILD_DIR [RATE] [TRIES]}"
RATE="${2:-3000}"; TRIES="${3:-10}"
BIN="$BUILD/lanarena"; FLOOD="${QFLOOD:-$BUILD/tests/tools/tool_qflood}"  # QFLOOD: another build's flooder
OUT="$BUILD/test-out/bench_lan_flood"; mkdir -p "$OUT"
[ "$(id -u)" = 0 ] || { echo "bench_lan_flood: needs root for network namespaces"; exit 77; }
P="lf$$"; NS_BR="$P-br"; NS_H="$P-h"; NS_F="$P-f"; NS_A="$P-a"
created=(); host=
cleanup() { [ -n "$host" ] && kill "$host" 2>/dev/null; wait 2>/dev/null; for n in "${created[@]}"; do ip netns del "$n" 2>/dev/null; done; }
trap cleanup EXIT
for n in "$NS_BR" "$NS_H" "$NS_F" "$NS_A"; do ip netns add "$n" && created+=("$n") || exit 1; done
ip -n "$NS_BR" link add br0 type bridge && ip -n "$NS_BR" link set br0 up
i=1
for n in "$NS_H" "$NS_F" "$NS_A"; do
  ip -n "$n" link add eth0 type veth peer name "p$i" netns "$NS_BR"
  ip -n "$NS_BR" link set "p$i" master br0 up
  ip -n "$n" addr add "10.78.0.$i/24" dev eth0
  ip -n "$n" link set eth0 up; ip -n "$n" link set lo up
  i=$((i+1))
done
ip netns exec "$NS_H" timeout 120 "$BIN" --host --headless --quit-after 110 >"$OUT/host.out" 2>"$OUT/host.log" &
host=$!
for _ in $(seq 100); do grep -q "answering LAN queries" "$OUT/host.log" && break; sleep 0.1; done
found_calm=0
for t in $(seq "$TRIES"); do
  ip netns exec "$NS_A" timeout 10 "$BIN" --list-lan 2>/dev/null | grep -q "10.78.0.1:" && found_calm=$((found_calm+1))
done
secs=$(( TRIES * 2 + 5 ))
ip netns exec "$NS_F" timeout $((secs + 10)) "$FLOOD" 10.78.0.1 27961 "$RATE" "$secs" >"$OUT/flood.out" &
flood=$!
sleep 1
found=0
for t in $(seq "$TRIES"); do
  ip netns exec "$NS_A" timeout 10 "$BIN" --list-lan 2>/dev/null | grep -q "10.78.0.1:" && found=$((found+1))
done
wait "$flood"
echo "bench_lan_flood: --list-lan found the host $found_calm of $TRIES times without a flood, $found of $TRIES during a flood of $RATE queries/s from another machine ($(cat "$OUT/flood.out"))"
