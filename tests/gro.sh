#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Receive offloads: the tunnel sockets ask for UDP GRO, so a device's
# GRO merges their datagrams into trains that cross IP and UDP once; UDP
# cuts a train back into datagrams before the QUIC receive path (udp.c).
# Two network namespaces joined by a veth pair whose server side has GRO
# on (which gives the veth a NAPI, so GRO merges what crosses it, see
# setup()); an
# nft counter at the server's ingress, which runs after GRO, counts the
# trains (UDP packets longer than the link's MTU).  Cases: transfers from
# the client to the server over IPv4 and IPv6 intact, in trains; a
# transfer over a delay, whose GSO sends the pacer cuts, intact; trains
# of garbage sent with UDP_SEGMENT to the listener's port dropped without
# harm (Initials that do not decrypt make no connection to accept), and
# a transfer after them intact.  Each case is one "ok - " or
# "not ok - " line, details as comments.  Run as root in a test guest,
# by kmod-tests.sh.
#
# usage: gro.sh QUIC_PERF CERT_DIR

PERF=$1
CERTS=$2
C=qgro-c
S=qgro-s
PORT=4498

. "$(dirname "$0")/lib.sh"

cleanup() {
	netns_del $C $S
}

setup() {
	cleanup
	ip netns add $C && ip netns add $S || return 1
	ip link add c0 netns $C type veth peer name s0 netns $S || return 1
	ip -n $C addr add 10.9.3.1/24 dev c0
	ip -n $S addr add 10.9.3.2/24 dev s0
	ip -n $C addr add fd00:9:3::1/64 dev c0 nodad
	ip -n $S addr add fd00:9:3::2/64 dev s0 nodad
	ip -n $C link set c0 up && ip -n $S link set s0 up || return 1
	ip -n $C link set lo up && ip -n $S link set lo up
	ip netns exec $S ethtool -K s0 gro on > /dev/null
	# a veth passes a datagram to its peer's GRO only when the sender
	# has no TSO (else just local TCP) or the peer forwards UDP by GRO
	ip netns exec $C ethtool -K c0 tso off > /dev/null
	ip netns exec $S nft -f - <<'NFT'
table netdev qgro {
	counter trains { }
	chain in {
		type filter hook ingress device s0 priority 0;
		meta l4proto udp meta length > 1600 counter name trains
	}
}
NFT
}

trains() {
	ip netns exec $S nft list counter netdev qgro trains |
		sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

server_start() {	# address
	ip netns exec $S timeout 200 "$PERF" -S -c 1 "$1" $PORT \
		"$CERTS/server.key" "$CERTS/server.pem" > "$tmp/server" 2>&1 &
	spid=$!
	sleep 0.5
}

transfer() {	# address bytes
	local rc

	ip netns exec $C timeout 180 "$PERF" -C -l "$2" -w 65536 \
		"$1" $PORT "$CERTS/ca.pem" > "$tmp/client" 2>&1
	rc=$?
	wait $spid
	details=$(cat "$tmp/client" "$tmp/server")
	return $rc
}

if ! ip netns add qgro-probe 2>/dev/null; then
	echo "# skip: network namespaces"
	exit 0
fi
ip netns del qgro-probe
if ! command -v ethtool > /dev/null || ! command -v nft > /dev/null; then
	echo "# skip: ethtool or nft"
	exit 0
fi
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

setup || { report 1 "gro: namespaces and veth set up"; exit 0; }
for addr in 10.9.3.2 fd00:9:3::2; do
	n=$(trains)
	server_start $addr
	transfer $addr 16M
	rc=$?
	n=$(($(trains) - n))
	[ $rc = 0 ] && [ $n -gt 0 ]
	report $? "gro: 16 MiB to $addr intact across a veth with GRO, the datagrams merged into $n trains on the way" "$details"
done

# Pacing with GSO: 50 ms of delay on the client's side makes the pacer
# slow enough (twice the window per round trip in slow start) to hold
# datagrams back while the window has room for a whole batch; a GSO send
# then ends at the datagram the pacer holds (QuicGsoPaced), and what the
# pacer passed later follows in sends of its own.  The data must arrive
# whole.
if tc -n $C qdisc add dev c0 root netem delay 50ms limit 10000 2>/dev/null; then
	paced=$(snmp $C QuicGsoPaced)
	sends=$(snmp $C QuicGsoSends)
	server_start 10.9.3.2
	transfer 10.9.3.2 2M
	rc=$?
	paced=$(($(snmp $C QuicGsoPaced) - paced))
	sends=$(($(snmp $C QuicGsoSends) - sends))
	tc -n $C qdisc del dev c0 root
	[ $rc = 0 ] && [ $paced -gt 0 ] && [ $sends -gt 0 ]
	report $? "gso: 2 MiB intact over 50 ms of delay, $paced batches ended by the pacer with the window open, $sends GSO sends" "$details"
else
	echo "# skip: gso pacing case (no netem)"
fi

# Garbage in UDP_SEGMENT trains of 20 datagrams (long and short header
# forms, lengths around 1200) to the listener, which then serves a
# transfer.
n=$(trains)
bad=$(snmp $S QuicConnInitialDropped)
server_start 10.9.3.2
ip netns exec $C python3 - 10.9.3.2 $PORT <<'EOF'
import os, socket, sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 103, 1200)	# UDP_SEGMENT
for i in range(200):
    seg = bytearray(os.urandom(1200))
    if i % 2:
        # an Initial header that parses (QUIC v1, 8-byte IDs, no
        # token, the rest its length) over random bytes that cannot
        # decrypt
        seg[0] = 0xc3
        seg[1:5] = b'\x00\x00\x00\x01'
        seg[5] = 8
        seg[14] = 8
        seg[23] = 0
        seg[24:26] = (0x4000 | (1200 - 26)).to_bytes(2, 'big')
    train = bytes(seg) * 19 + os.urandom(1 + i % 1200)
    s.sendto(train, (sys.argv[1], int(sys.argv[2])))
EOF
grc=$?
transfer 10.9.3.2 1M
rc=$?
n=$(($(trains) - n))
bad=$(($(snmp $S QuicConnInitialDropped) - bad))
[ $grc = 0 ] && [ $rc = 0 ] && [ $n -ge 200 ] && [ $bad -gt 0 ]
report $? "gro: garbage in 200 UDP_SEGMENT trains to a listener dropped, no connection made for its Initials ($bad), a transfer after them intact ($n trains in all)" "$details"
exit 0
