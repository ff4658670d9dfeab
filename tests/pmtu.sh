#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Path MTU discovery across a router: three network namespaces (client,
# router, server) joined by veth pairs with a 9000-byte MTU, quic-perf
# transfers from the client to the server with PLPMTUD on (its default
# probe interval, 5 s).  Cases: datagrams grow to the path's size; the
# link behind the router shrinks in the middle of a transfer (the router
# answers with ICMP "fragmentation needed", the client follows it); a
# link below 1200 bytes for a moment (its ICMP error is ignored, and does
# not keep large datagrams from passing once the link is back); a router
# that silently drops large datagrams (black hole).  Datagrams of 1400
# bytes leave in GSO sends (case 2: the veth passes them whole, the
# router forwards them as they are; case 4: the client's veth has no UDP
# segmentation, so the stack cuts them in software first).  Each
# case is one "ok - " or "not ok - " line, details as comments.  Run as
# root in a test guest, by kmod-tests.sh.
#
# usage: pmtu.sh QUIC_PERF CERT_DIR

PERF=$1
CERTS=$2
C=qpmtu-c
R=qpmtu-r
S=qpmtu-s
SADDR=10.9.2.1
PORT=4499

. "$(dirname "$0")/lib.sh"

cleanup() {
	netns_del $C $R $S
}

setup() {
	cleanup
	ip netns add $C && ip netns add $R && ip netns add $S || return 1
	ip link add c0 netns $C type veth peer name r0 netns $R &&
	ip link add r1 netns $R type veth peer name s0 netns $S || return 1
	ip -n $C addr add 10.9.1.1/24 dev c0
	ip -n $R addr add 10.9.1.2/24 dev r0
	ip -n $R addr add 10.9.2.2/24 dev r1
	ip -n $S addr add $SADDR/24 dev s0
	ip -n $C link set c0 mtu 9000 up && ip -n $R link set r0 mtu 9000 up &&
	ip -n $R link set r1 mtu 9000 up && ip -n $S link set s0 mtu 9000 up ||
		return 1
	ip -n $C route add default via 10.9.1.2
	ip -n $S route add default via 10.9.2.2
	ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
	# about 6 MB/s towards the server: transfers last a few seconds
	ip netns exec $R tc qdisc add dev r1 root netem rate 50mbit \
		limit 2000
}

# Link MTU of the router's side towards the server, and the server's.
server_link_mtu() {
	ip -n $R link set r1 mtu "$1" && ip -n $S link set s0 mtu "$1"
}

# The router's side only: its route to the server carries no more, and
# what it had queued before still reaches the server.
router_link_mtu() {
	ip -n $R link set r1 mtu "$1"
}

server_start() {
	ip netns exec $S timeout 320 "$PERF" -S -c 1 $SADDR $PORT \
		"$CERTS/server.key" "$CERTS/server.pem" > "$tmp/server" 2>&1 &
	spid=$!
	sleep 0.5
}

client_start() {	# bytes
	ip netns exec $C timeout 300 "$PERF" -C -l "$1" -w 65536 \
		$SADDR $PORT "$CERTS/ca.pem" > "$tmp/client" 2>&1 &
	cpid=$!
}

# The counters of both ends that are not 0, for the details.
counters() {
	local ns

	for ns in $C $S; do
		echo "$ns: $(ip netns exec $ns awk '$2 != 0 { printf "%s=%s ", $1, $2 }' /proc/net/quic/snmp)"
	done
}

transfer_wait() {
	wait $cpid
	crc=$?
	wait $spid
	details=$(cat "$tmp/client" "$tmp/server"; counters)
	return $crc
}

# Wait until the client's datagrams grew (a probe was acknowledged).
raised_wait() {
	local n=0
	while [ $n -lt 100 ]; do
		[ "$(snmp $C QuicPmtuRaised)" -gt 0 ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

if ! ip netns add qpmtu-probe 2>/dev/null; then
	echo "# skip: network namespaces"
	exit 0
fi
ip netns del qpmtu-probe
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

# 1. Discovery: datagrams near 9000 bytes cross the router.  The router
#    sees a GSO send whole, its UDP length the sum of its datagrams: the
#    client's veth cuts them first, so that what is counted is datagrams.
setup || { report 1 "pmtu: namespaces and veth set up"; exit 0; }
ip netns exec $C ethtool -K c0 tx-udp-segmentation off > /dev/null
ip netns exec $R nft -f - <<'EOF'
table inet qpmtu {
	counter large { }
	chain qfwd {
		type filter hook forward priority 0;
		udp length > 8000 counter name large
	}
}
EOF
server_start
client_start 8M
transfer_wait
rc=$?
large=$(ip netns exec $R nft list counter inet qpmtu large |
	sed -n 's/.*packets \([0-9]*\).*/\1/p')
raised=$(snmp $C QuicPmtuRaised)
[ $rc = 0 ] && [ "${large:-0}" -gt 0 ] && [ "$raised" -gt 0 ]
report $? "pmtu: 8 MiB over a 9000-byte path: datagrams grow past 8000 bytes ($raised probes raised the size, $large such datagrams forwarded)" "$details"

# 2. The link behind the router shrinks to 1400 in the middle: the
#    router's ICMP error lowers the client's datagrams at once.  The
#    server's side keeps its MTU: were it lowered too, a veth drops the
#    large datagrams still queued behind the router's rate limit without
#    a word, a black hole whose losses can be declared before the client
#    sends a datagram the router answers with an ICMP error (the likely
#    cause of a failure seen once on 6.1: 0 errors followed, 1 black
#    hole; not traced).
setup
server_start
client_start 24M
raised_wait
router_link_mtu 1400
transfer_wait
rc=$?
ptb=$(snmp $C QuicPmtuPtb)
bh=$(snmp $C QuicPmtuBlackhole)
gso=$(snmp $C QuicGsoSegments)
[ $rc = 0 ] && [ "$ptb" -gt 0 ] && [ "$gso" -gt 0 ]
report $? "pmtu: 24 MiB intact when the path shrinks from 9000 to 1400 bytes in the middle, ICMP followed, smaller datagrams in GSO sends ($ptb ICMP errors followed, $bh black holes, $gso datagrams in GSO sends)" "$details"
# the GSO sends crossed the router whole and were cut at the server:
# every datagram was one packet that decrypted (segment boundaries), and
# each carried the ECT(0) mark the server counted in its ACK_ECN frames
# (ECN validation fails when the counts fall short of the packets
# acknowledged).  Packets the server's cipher refused (a full cryptd
# queue) were lost on the way, not cut wrong: they are no failure.
drop=$(snmp $S QuicPktDecryptDrop)
refused=$(snmp $S QuicCryptoRefused)
ecnfail=$(snmp $C QuicEcnFailed)
[ "$gso" -gt 0 ] && [ "$drop" = 0 ] && [ "$ecnfail" = 0 ]
report $? "pmtu: GSO sends arrive as whole packets with their ECN marks ($drop decryption failures at the server, $refused refused by its cipher, $ecnfail ECN validation failures)" "$(counters)"

# 3. The link behind the router is 1100 bytes for a moment: its ICMP
#    error asks for less than 1200 and is ignored; once the link is back
#    the client's large datagrams pass again (the route's lowered MTU,
#    which the kernel keeps for minutes, does not stop them).
setup
server_start
client_start 24M
raised_wait
server_link_mtu 1100
sleep 0.5
server_link_mtu 9000
transfer_wait
rc=$?
ign=$(snmp $C QuicPmtuPtbIgnored)
ptb=$(snmp $C QuicPmtuPtb)
[ $rc = 0 ] && [ "$ign" -gt 0 ] && [ "$ptb" = 0 ]
report $? "pmtu: 24 MiB intact when the path shrinks to 1100 bytes for 0.5 s: ICMP asking for less than 1200 bytes ignored ($ign ignored, $ptb followed)" "$details"

# 4. The router drops forwarded datagrams above 1400 bytes without a
#    word (a black hole): a run of lost large datagrams with none sent
#    after them acknowledged (or three probe timeouts in a row) brings
#    the client's datagrams back to 1200 bytes, and the next search
#    stops below 1400.  The router's rule sees datagrams, as on a real
#    network, where the NIC cuts GSO sends: the client's veth gets no
#    UDP segmentation, so the stack cuts them in software.
setup
ip netns exec $C ethtool -K c0 tx-udp-segmentation off > /dev/null
server_start
client_start 24M
raised_wait
ip netns exec $R nft -f - <<'EOF'
table inet qpmtu {
	chain qfwd {
		type filter hook forward priority 0;
		udp length > 1400 drop
	}
}
EOF
transfer_wait
rc=$?
bh=$(snmp $C QuicPmtuBlackhole)
ptb=$(snmp $C QuicPmtuPtb)
gso=$(snmp $C QuicGsoSegments)
# no packet fails to decrypt, either way: a packet that waits long in a
# backlog must still decode to its number (packet numbers of 2 bytes at
# least, tx.c); 1-byte ones made 30-130 such failures here per run
drop=$(($(snmp $S QuicPktDecryptDrop) + $(snmp $C QuicPktDecryptDrop)))
[ $rc = 0 ] && [ "$bh" -gt 0 ] && [ "$ptb" = 0 ] && [ "$gso" -gt 0 ] &&
	[ "$drop" = 0 ]
report $? "pmtu: 24 MiB intact through a black hole for datagrams above 1400 bytes, GSO sends cut in software ($bh fallbacks to 1200 bytes, $ptb ICMP errors followed, $gso datagrams in GSO sends, $drop decryption failures)" "$details"

# 5. CE marks on GSO sends: the path is 1400 bytes from the start and the
#    router's netem marks ECT datagrams CE where it would drop 2% of
#    them.  A GSO send crosses the router whole, so one mark covers all
#    its datagrams; the server counts each of them, echoes the counts in
#    ACK_ECN frames, and the client slows down for them and keeps ECN.
setup
server_link_mtu 1400
ip netns exec $R tc qdisc change dev r1 root netem rate 50mbit \
	loss 2% ecn limit 2000
server_start
client_start 8M
transfer_wait
rc=$?
gso=$(snmp $C QuicGsoSegments)
ce=$(snmp $S QuicEcnCeRcv)
cg=$(snmp $C QuicEcnCongestion)
ecnfail=$(snmp $C QuicEcnFailed)
drop=$(snmp $S QuicPktDecryptDrop)
refused=$(snmp $S QuicCryptoRefused)
[ $rc = 0 ] && [ "$gso" -gt 0 ] && [ "$ce" -gt 0 ] && [ "$cg" -gt 0 ] &&
	[ "$ecnfail" = 0 ] && [ "$drop" = 0 ]
report $? "pmtu: 8 MiB intact in GSO sends with CE marks on a 1400-byte path ($gso datagrams in GSO sends, $ce CE marks counted by the server, $cg window reductions, $ecnfail ECN validation failures, $drop decryption failures, $refused refused by the server's cipher)" "$details"

exit 0
