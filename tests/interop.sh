#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Interoperability with independent QUIC stacks, with quic.ko loaded:
#   - the ngtcp2 client (gtlsclient, HTTP/3, ALPN h3) against our server,
#     and our client against the ngtcp2 server (gtlsserver);
#   - aioquic both ways, raw QUIC with our own ALPN, v1 and v2, and
#     compatible version negotiation from v1 to v2, up to a completed
#     handshake (with aioquic as the client, a PING acknowledged in 1-RTT
#     packets);
#   - aioquic both ways with quic-perf: 1 MiB on a stream checked by
#     CRC-32 (across a key update either side starts, and with our client
#     moving to a new address halfway), and a datagram echoed, then both
#     again under 3% loss;
#   - quic-go both ways with quic-perf, v1 and v2: 1 MiB across the key
#     updates quic-go starts by itself, our key update in v2, a reserved
#     version (Version Negotiation) and our client moving to a new address;
#   - HTTP/3: our example client and server (nghttp3) against each other
#     and against ngtcp2 0.12 and 1.11 both ways, a 10 MB body checked
#     by SHA-256; the ngtcp2 clients also move during the body (with
#     path validation), are rebound before their request as by a NAT,
#     move to our server's preferred address and download under 3%
#     loss; our client moves to the ngtcp2 servers' preferred address.
#
# aioquic comes from Debian trixie and runs in a chroot
# (QUIC_AIOQUIC_ROOT, default /var/cache/quic-dev/trixie-aioquic, made by
# setup-debian.sh); ngtcp2 1.11 is unpacked from bookworm-backports
# (QUIC_NGTCP2_111, default /var/cache/quic-dev/ngtcp2-1.11); tests whose
# peer is missing are skipped.
#
# usage: interop.sh BINDIR CERTDIR     (BINDIR has quic-server, quic-client,
#                                       quic-perf, quic-h3-client/server)
# Prints TAP lines without numbers.

BIN=$1
CERTS=$2
here=$(cd "$(dirname "$0")" && pwd)
root=${QUIC_AIOQUIC_ROOT:-/var/cache/quic-dev/trixie-aioquic}
log=$(mktemp -d)
port=4440

result() {	# status description
	if [ "$1" = 0 ]; then
		echo "ok - interop: $2"
	else
		echo "not ok - interop: $2"
	fi
}

show() {	# file (- for stdin) prefix
	if [ "$1" = - ]; then
		sed "s/^/# $2: /"
	else
		sed "s/^/# $2: /" "$1"
	fi
}

snmp() {	# counter
	awk -v k="$1" '$1 == k { print $2 }' /proc/net/quic/snmp
}

# With $expect_pref set, a transfer passes only if one of our ends moved
# to (or was moved to) a server's preferred address meanwhile; with
# $expect_move, only if our server followed its client to a new address.
pref_count=0
move_count=0
pref_start() {
	pref_count=$(snmp QuicPreferredAddress)
	move_count=$(snmp QuicPeerMigrated)
}
pref_moved() {
	{ [ -z "$expect_pref" ] ||
		[ "$(snmp QuicPreferredAddress)" -gt "$pref_count" ]; } &&
	{ [ -z "$expect_move" ] ||
		[ "$(snmp QuicPeerMigrated)" -gt "$move_count" ]; }
}

# Wait until a UDP port has a listener (the peer is up), at most 60 s.
wait_udp() {
	local i
	for i in $(seq 300); do
		ss -Hlun "sport = :$1" 2>/dev/null | grep -q . && return 0
		sleep 0.2
	done
	return 1
}

# --- ngtcp2 -------------------------------------------------------------
if command -v gtlsclient > /dev/null; then
	port=$((port + 1))
	"$BIN/quic-server" -c 1 -l 1000 127.0.0.1 $port \
		"$CERTS/server.key" "$CERTS/server.pem" h3 > "$log/server" 2>&1 &
	pid=$!
	sleep 0.5
	timeout 90 gtlsclient --timeout=30s --exit-on-all-streams-close \
		127.0.0.1 $port https://localhost:$port/ > "$log/client" 2>&1
	wait $pid
	rc=$?
	show "$log/server" server
	grep -E 'handshake has|Negotiated' "$log/client" | sed 's/^/# ngtcp2: /'
	[ $rc = 0 ] && grep -q 'QUIC handshake has been confirmed' "$log/client"
	result $? "ngtcp2 client (gtlsclient) completes the handshake with our server"
else
	echo "# skip: ngtcp2 client (gtlsclient not installed)"
fi

if command -v gtlsserver > /dev/null; then
	port=$((port + 1))
	gtlsserver --timeout=10s 127.0.0.1 $port "$CERTS/server.key" \
		"$CERTS/server.pem" > "$log/server" 2>&1 &
	pid=$!
	sleep 0.5
	timeout 60 "$BIN/quic-client" -l 300 127.0.0.1 $port "$CERTS/ca.pem" h3 \
		> "$log/client" 2>&1
	rc=$?
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	show "$log/client" client
	grep -E 'handshake|Negotiated' "$log/server" | head -n 5 |
		sed 's/^/# ngtcp2: /'
	[ $rc = 0 ] && grep -q 'ALPN h3' "$log/client"
	result $? "our client completes the handshake with the ngtcp2 server (gtlsserver)"
else
	echo "# skip: ngtcp2 server (gtlsserver not installed)"
fi

# --- HTTP/3 ---------------------------------------------------------------
# A 10 MB body, checked by SHA-256, between our example programs
# (quic-h3-client, quic-h3-server, nghttp3 over our sockets) and the
# ngtcp2 ones: bookworm's 0.12 and the 1.11 unpacked by setup-debian.sh.
www=$log/www
mkdir -p "$www" "$log/dl"
head -c 10000000 /dev/urandom > "$www/body.bin"
want=$(sha256sum < "$www/body.bin")

same_body() {	# file
	[ -f "$1" ] && [ "$(sha256sum < "$1")" = "$want" ]
}

# our server and a client command, @PORT@ in its arguments replaced by
# the port; the client leaves the body in $log/dl/body.bin
h3_to_our_server() {	# description client...
	local desc=$1 rc src
	shift
	port=$((port + 1))
	set -- "${@//@PORT@/$port}"
	rm -f "$log/dl/body.bin"
	pref_start
	"$BIN/quic-h3-server" -c 1 -t 120 -d "$www" \
		${expect_pref:+-p 127.0.0.2:$((port + 500))} 127.0.0.1 $port \
		"$CERTS/server.key" "$CERTS/server.pem" > "$log/server" 2>&1 &
	pid=$!
	sleep 0.3
	timeout 200 "$@" > "$log/client" 2>&1
	rc=$?
	timeout 30 tail --pid=$pid -f /dev/null
	kill $pid 2>/dev/null
	wait $pid
	src=$?
	show "$log/server" server
	tail -n 5 "$log/client" | show - client
	[ $rc = 0 ] && [ $src = 0 ] && same_body "$log/dl/body.bin" &&
		pref_moved
	result $? "$desc"
}

h3_from_ngtcp2_server() {	# description env-and-server-command...
	local desc=$1 rc
	shift
	port=$((port + 1))
	rm -f "$log/dl/body.bin"
	pref_start
	timeout 250 "$@" -q -d "$www" --timeout=30s \
		${expect_pref:+--preferred-ipv4-addr=127.0.0.2:$((port + 500))} \
		127.0.0.1 $port \
		"$CERTS/server.key" "$CERTS/server.pem" > "$log/server" 2>&1 &
	pid=$!
	wait_udp $port
	timeout 200 "$BIN/quic-h3-client" -c "$CERTS/ca.pem" \
		-o "$log/dl/body.bin" 127.0.0.1 $port /body.bin \
		> "$log/client" 2>&1
	rc=$?
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	show "$log/client" client
	[ $rc = 0 ] && same_body "$log/dl/body.bin" && pref_moved
	result $? "$desc"
}

if [ -x "$BIN/quic-h3-server" ] && [ -x "$BIN/quic-h3-client" ]; then
	h3_to_our_server "HTTP/3: quic-h3-client gets a 10 MB body from quic-h3-server, SHA-256 checked" \
		"$BIN/quic-h3-client" -c "$CERTS/ca.pem" -o "$log/dl/body.bin" \
		127.0.0.1 @PORT@ /body.bin

	ng111=${QUIC_NGTCP2_111:-/var/cache/quic-dev/ngtcp2-1.11}
	for v in 0.12 1.11; do
		if [ $v = 0.12 ]; then
			run=(env)
			cli=$(command -v gtlsclient)
			srv=$(command -v gtlsserver)
		else
			run=(env LD_LIBRARY_PATH=$ng111/usr/lib/x86_64-linux-gnu)
			cli=$ng111/usr/bin/gtlsclient
			srv=$ng111/usr/sbin/gtlsserver
		fi
		if [ -x "$srv" ]; then
			h3_from_ngtcp2_server "HTTP/3: quic-h3-client gets a 10 MB body from the ngtcp2 $v server, SHA-256 checked" \
				"${run[@]}" "$srv"
			expect_pref=1
			h3_from_ngtcp2_server "HTTP/3: quic-h3-client moves to the ngtcp2 $v server's preferred address (--preferred-ipv4-addr) and gets a 10 MB body, SHA-256 checked" \
				"${run[@]}" "$srv"
			expect_pref=
		else
			echo "# skip: ngtcp2 $v server (no $srv)"
		fi
		if [ -x "$cli" ]; then
			h3_to_our_server "HTTP/3: the ngtcp2 $v client gets a 10 MB body from quic-h3-server, SHA-256 checked" \
				"${run[@]}" "$cli" -q --download="$log/dl" \
				--exit-on-all-streams-close --timeout=30s \
				127.0.0.1 @PORT@ https://localhost:@PORT@/body.bin
			# the client moves in the middle of the body, with
			# path validation: loopback limited to 20 Mbit/s
			# makes the body last 4 s on any machine, the move
			# comes 1 s after the handshake
			if tc qdisc add dev lo root netem rate 20mbit 2>/dev/null; then
				expect_move=1
				h3_to_our_server "HTTP/3: the ngtcp2 $v client moves to a new port during a 10 MB body (--change-local-addr), SHA-256 checked" \
					"${run[@]}" "$cli" -q --download="$log/dl" \
					--exit-on-all-streams-close --timeout=30s \
					--change-local-addr=1s \
					127.0.0.1 @PORT@ https://localhost:@PORT@/body.bin
				expect_move=
				tc qdisc del dev lo root
			else
				echo "# skip: ngtcp2 $v client moving (no tc netem)"
			fi
			# then as a NAT would rebind it: a new port without
			# path validation, between the handshake and the
			# request (--delay-stream).  After --nat-rebinding
			# the client ignores what reaches its old port: moved
			# while it has nothing to send, it would stay silent
			# for good (a real NAT rebinds with a client packet)
			expect_move=1
			h3_to_our_server "HTTP/3: the ngtcp2 $v client, rebound to a new port as behind a NAT before its request (--nat-rebinding), gets a 10 MB body, SHA-256 checked" \
				"${run[@]}" "$cli" -q --download="$log/dl" \
				--exit-on-all-streams-close --timeout=30s \
				--change-local-addr=500ms --nat-rebinding \
				--delay-stream=3s \
				127.0.0.1 @PORT@ https://localhost:@PORT@/body.bin
			expect_move=
			expect_pref=1
			h3_to_our_server "HTTP/3: the ngtcp2 $v client moves to quic-h3-server's preferred address (-p) and gets a 10 MB body, SHA-256 checked" \
				"${run[@]}" "$cli" -q --download="$log/dl" \
				--exit-on-all-streams-close --timeout=30s \
				127.0.0.1 @PORT@ https://localhost:@PORT@/body.bin
			expect_pref=
			if tc qdisc add dev lo root netem loss 3% 2>/dev/null; then
				h3_to_our_server "HTTP/3: the ngtcp2 $v client gets a 10 MB body under 3% loss (tc netem), SHA-256 checked" \
					"${run[@]}" "$cli" -q --download="$log/dl" \
					--exit-on-all-streams-close --timeout=30s \
					127.0.0.1 @PORT@ https://localhost:@PORT@/body.bin
				tc qdisc del dev lo root
			fi
		else
			echo "# skip: ngtcp2 $v client (no $cli)"
		fi
	done
else
	echo "# skip: HTTP/3 examples (built without nghttp3)"
fi

# --- aioquic --------------------------------------------------------------
aioquic() {	# args for aioquic_peer.py, run in the chroot
	chroot "$root" /usr/bin/python3 /mnt/aioquic_peer.py "$@"
}

# quic-perf client, aioquic perf server: 1 MiB checked by CRC-32.
perf_to_aioquic() {	# description [quic-perf options] [-- server options]
	local desc=$1 copts=() sopts=() rc
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		copts+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	sopts=("$@")
	port=$((port + 1))
	aioquic perf-server 127.0.0.1 $port --alpn perf --timeout 150 \
		"${sopts[@]}" --cert /srv/server.pem --key /srv/server.key \
		> "$log/server" 2>&1 &
	pid=$!
	wait_udp $port
	timeout 200 "$BIN/quic-perf" -C "${copts[@]}" -l 1M -w 65536 \
		127.0.0.1 $port "$CERTS/ca.pem" > "$log/client" 2>&1
	rc=$?
	wait $pid
	show "$log/client" client
	show "$log/server" aioquic
	[ $rc = 0 ] && grep -q "server: OK 1048576 " "$log/client"
	result $? "$desc"
}

# aioquic perf client, quic-perf server: a datagram echoed, then 1 MiB
# across a key update the client starts, checked by CRC-32.
aioquic_to_perf() {	# description [aioquic versions]
	local rc src versions=${2:-1,2}
	port=$((port + 1))
	"$BIN/quic-perf" -S -c 1 127.0.0.1 $port "$CERTS/server.key" \
		"$CERTS/server.pem" > "$log/server" 2>&1 &
	pid=$!
	sleep 0.3
	timeout 200 chroot "$root" /usr/bin/python3 \
		/mnt/aioquic_peer.py perf-client 127.0.0.1 $port \
		--alpn perf --ca /srv/ca.pem --bytes 1048576 \
		--versions "$versions" --timeout 150 > "$log/client" 2>&1
	rc=$?
	wait $pid
	src=$?
	show "$log/server" server
	show "$log/client" aioquic
	[ $rc = 0 ] && [ $src = 0 ] &&
		grep -q "datagram echoed" "$log/client"
	result $? "$1"
}

# quic-go (Debian trixie's sources, built in the aioquic chroot by
# setup-debian.sh as /usr/local/bin/quicgo-peer), which updates its keys
# on its own after its first 100 packets, so every transfer below crosses
# key updates it starts (RFC 9001 section 6: it closes with
# KEY_UPDATE_ERROR when we acknowledge new-phase packets from old-phase
# ones).  Our client against its server, and its client against ours.
# With $expect set, the client must fail and print it instead.
perf_to_quicgo() {	# description versions [quic-perf options]
	local desc=$1 versions=$2 rc src
	shift 2
	port=$((port + 1))
	timeout 200 chroot "$root" /usr/local/bin/quicgo-peer perf-server \
		127.0.0.1 $port -versions "$versions" -cert /srv/server.pem \
		-key /srv/server.key -timeout 90 > "$log/server" 2>&1 &
	pid=$!
	wait_udp $port
	timeout 200 "$BIN/quic-perf" -C "$@" -l 1M -w 65536 \
		127.0.0.1 $port "$CERTS/ca.pem" > "$log/client" 2>&1
	rc=$?
	[ -n "$expect" ] && kill $pid 2>/dev/null
	wait $pid
	src=$?
	show "$log/client" client
	show "$log/server" quic-go
	if [ -n "$expect" ]; then
		[ $rc != 0 ] && grep -q "$expect" "$log/client"
	else
		[ $rc = 0 ] && [ $src = 0 ] &&
			grep -q "server: OK 1048576 " "$log/client" &&
			grep -q "QUIC version $versions_want" "$log/client"
	fi
	result $? "$desc"
}

quicgo_to_perf() {	# description versions [quic-perf options]
	local desc=$1 versions=$2 rc src
	shift 2
	port=$((port + 1))
	"$BIN/quic-perf" -S -c 1 "$@" 127.0.0.1 $port "$CERTS/server.key" \
		"$CERTS/server.pem" > "$log/server" 2>&1 &
	pid=$!
	sleep 0.3
	timeout 200 chroot "$root" /usr/local/bin/quicgo-peer perf-client \
		127.0.0.1 $port -versions "$versions" -ca /srv/ca.pem \
		-bytes 1048576 -timeout 90 > "$log/client" 2>&1
	rc=$?
	wait $pid
	src=$?
	show "$log/server" server
	show "$log/client" quic-go
	[ $rc = 0 ] && [ $src = 0 ] &&
		grep -q "datagram echoed" "$log/client" &&
		grep -q "handshake perf $versions_want" "$log/client"
	result $? "$desc"
}

if [ -x "$root/usr/local/bin/quicgo-peer" ] &&
   mount --bind "$CERTS" "$root/srv" 2>/dev/null; then
	versions_want=0x00000001
	perf_to_quicgo "our client moves 1 MiB to a quic-go server (v1) across the key updates it starts, CRC-32 checked" 1
	quicgo_to_perf "a quic-go client gets its datagram echoed by our server (v1), then moves 1 MiB across the key updates it starts, CRC-32 checked" 1
	versions_want=0x6b3343cf
	perf_to_quicgo "our client in QUIC v2 from its first packet moves 1 MiB to a quic-go server, CRC-32 checked" 2 -V 2
	quicgo_to_perf "a quic-go client in QUIC v2 gets its datagram echoed by our server, then moves 1 MiB, CRC-32 checked" 2
	# once quic-go's own update showed its label, ours uses it too
	perf_to_quicgo "our client in v2 updates its keys halfway through 1 MiB to a quic-go server, CRC-32 checked" 2 -V 2 -u
	versions_want=0x00000001
	# quic-go sends no version_information: after Version
	# Negotiation RFC 9368 section 4 forbids completing the handshake
	expect="handshake: Protocol error" perf_to_quicgo "our client with a reserved version (0x1a2a3a4a) gets Version Negotiation from a quic-go server and refuses its handshake, which lacks version_information (RFC 9368 section 4)" 1 -V 0x1a2a3a4a
	# quic-go servers send disable_active_migration
	expect="migration: Operation not permitted" perf_to_quicgo "our client's move to a quic-go server, which disabled active migration, fails with EPERM (RFC 9000 section 9)" 1 -M 127.0.0.2
	umount "$root/srv"
else
	echo "# skip: quic-go (no quicgo-peer in $root)"
fi

if [ -x "$root/usr/bin/python3" ] &&
   mount --bind "$here/interop" "$root/mnt" 2>/dev/null; then
	if mount --bind "$CERTS" "$root/srv"; then
		# our client, aioquic server: v1, v2, a v1 client that
		# prefers v2 with a server that has both (the server follows
		# the client's preference), and a client with a reserved
		# version, which the server's Version Negotiation moves to v1
		for t in "1 1 0x00000001" "2 2 0x6b3343cf" "1 1,2 0x6b3343cf" \
			 "0x1a2a3a4a 1 0x00000001"; do
			set -- $t
			port=$((port + 1))
			aioquic server 127.0.0.1 $port --versions "$2" \
				--cert /srv/server.pem --key /srv/server.key \
				> "$log/server" 2>&1 &
			pid=$!
			wait_udp $port
			timeout 60 "$BIN/quic-client" -v "$1" -l 300 \
				127.0.0.1 $port "$CERTS/ca.pem" quictest \
				> "$log/client" 2>&1
			rc=$?
			wait $pid
			src=$?
			show "$log/client" client
			show "$log/server" aioquic
			[ $rc = 0 ] && [ $src = 0 ] &&
				grep -q "QUIC version $3" "$log/client"
			result $? "our client (v$1) and an aioquic server (versions $2) agree on $3"
		done

		# aioquic client, our server: v1, v2, and v1 offering v2 to a
		# server that prefers v2
		for t in "1 1 0x00000001" "2 1 0x6b3343cf" "1,2 2 0x6b3343cf"; do
			set -- $t
			port=$((port + 1))
			# Python starts slowly under emulation: wait long
			"$BIN/quic-server" -c 1 -l 2000 -t 180 -v "$2" 127.0.0.1 \
				$port "$CERTS/server.key" "$CERTS/server.pem" \
				quictest > "$log/server" 2>&1 &
			pid=$!
			sleep 0.3
			timeout 200 chroot "$root" /usr/bin/python3 \
				/mnt/aioquic_peer.py client 127.0.0.1 $port \
				--versions "$1" --ca /srv/ca.pem > "$log/client" 2>&1
			rc=$?
			wait $pid
			src=$?
			show "$log/server" server
			show "$log/client" aioquic
			[ $rc = 0 ] && [ $src = 0 ] &&
				grep -q "ping acknowledged" "$log/client" &&
				grep -q "QUIC version $3" "$log/server"
			result $? "aioquic client (versions $1) and our server (prefers v$2) agree on $3, 1-RTT PING acknowledged"
		done

		# stream data both ways across a key update, and a datagram:
		# quic-perf and aioquic_peer.py speak the same small protocol
		perf_to_aioquic "our client moves 1 MiB to an aioquic server, CRC-32 checked"

		# aioquic's Retry tokens are 256 bytes (RSA-2048 sealed)
		perf_to_aioquic "our client follows an aioquic server's Retry (a 256-byte token), then moves 1 MiB, CRC-32 checked" \
			-- --retry

		# our client updates its keys halfway
		perf_to_aioquic "our client moves 1 MiB to an aioquic server (v1) across a key update it starts, CRC-32 checked" \
			-u -- --versions 1

		# in v2 too: aioquic 1.2.0 derives the next v2 keys with
		# v1's label "quic ku" (RFC 9369 section 3.3.2 says "quicv2
		# ku"), so the update goes unanswered until our client, after
		# two probe timeouts, derives them again with that label
		perf_to_aioquic "our client in QUIC v2 moves 1 MiB to an aioquic server across a key update it starts, which the server reads only with v1's \"ku\" label, CRC-32 checked" \
			-u -V 2 -- --versions 2

		aioquic_to_perf "an aioquic client gets its datagram echoed by our server, then moves 1 MiB across a key update, CRC-32 checked"

		# in v2, aioquic 1.2.0 derives its next keys with v1's "quic
		# ku" label: our server finds that out and follows
		aioquic_to_perf "an aioquic client in QUIC v2 moves 1 MiB to our server across a key update it starts with v1's \"ku\" label, CRC-32 checked" 2

		# our client moves to 127.0.0.2 halfway.  aioquic 1.2.0 answers
		# a PATH_CHALLENGE only on the path it sends on, so the move
		# completes once a repeated challenge carries a PING (a
		# non-probing packet, which moves aioquic there)
		perf_to_aioquic "our client moves to a new address (127.0.0.2) halfway through 1 MiB to an aioquic server: CONNECTION_MIGRATION event, CRC-32 checked" \
			-M 127.0.0.2

		# again with 3% of the packets lost
		if tc qdisc add dev lo root netem loss 3% 2>/dev/null; then
			perf_to_aioquic "our client moves 1 MiB to an aioquic server under 3% loss (tc netem), CRC-32 checked"
			aioquic_to_perf "an aioquic client gets its datagram echoed by our server (sent again until it is) and moves 1 MiB across a key update under 3% loss (tc netem), CRC-32 checked"
			tc qdisc del dev lo root
		fi
		umount "$root/srv"
	fi
	umount "$root/mnt"
else
	echo "# skip: aioquic (no chroot at $root)"
fi
rm -rf "$log"
