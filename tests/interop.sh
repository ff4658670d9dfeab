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
#     CRC-32 (across a key update aioquic starts), and a datagram echoed.
#
# aioquic comes from Debian trixie and runs in a chroot
# (QUIC_AIOQUIC_ROOT, default /var/cache/quic-dev/trixie-aioquic, made by
# setup-debian.sh); tests whose peer is missing are skipped.
#
# usage: interop.sh BINDIR CERTDIR     (BINDIR has quic-server, quic-client,
#                                       quic-perf)
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

show() {	# file prefix
	sed "s/^/# $2: /" "$1"
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

# --- aioquic --------------------------------------------------------------
aioquic() {	# args for aioquic_peer.py, run in the chroot
	chroot "$root" /usr/bin/python3 /mnt/aioquic_peer.py "$@"
}

if [ -x "$root/usr/bin/python3" ] &&
   mount --bind "$here/interop" "$root/mnt" 2>/dev/null; then
	if mount --bind "$CERTS" "$root/srv"; then
		# our client, aioquic server: v1, v2, and a v1 client that
		# prefers v2 with a server that has both (the server follows
		# the client's preference)
		for t in "1 1 0x00000001" "2 2 0x6b3343cf" "1 1,2 0x6b3343cf"; do
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
		port=$((port + 1))
		aioquic perf-server 127.0.0.1 $port --alpn perf --timeout 150 \
			--cert /srv/server.pem --key /srv/server.key \
			> "$log/server" 2>&1 &
		pid=$!
		wait_udp $port
		timeout 200 "$BIN/quic-perf" -C -l 1M -w 65536 127.0.0.1 \
			$port "$CERTS/ca.pem" > "$log/client" 2>&1
		rc=$?
		wait $pid
		show "$log/client" client
		show "$log/server" aioquic
		[ $rc = 0 ] && grep -q "server: OK 1048576 " "$log/client"
		result $? "our client moves 1 MiB to an aioquic server, CRC-32 checked"

		port=$((port + 1))
		"$BIN/quic-perf" -S -c 1 127.0.0.1 $port "$CERTS/server.key" \
			"$CERTS/server.pem" > "$log/server" 2>&1 &
		pid=$!
		sleep 0.3
		timeout 200 chroot "$root" /usr/bin/python3 \
			/mnt/aioquic_peer.py perf-client 127.0.0.1 $port \
			--alpn perf --ca /srv/ca.pem --bytes 1048576 \
			--timeout 150 > "$log/client" 2>&1
		rc=$?
		wait $pid
		src=$?
		show "$log/server" server
		show "$log/client" aioquic
		[ $rc = 0 ] && [ $src = 0 ] &&
			grep -q "datagram echoed" "$log/client"
		result $? "an aioquic client gets its datagram echoed by our server, then moves 1 MiB across a key update, CRC-32 checked"
		umount "$root/srv"
	fi
	umount "$root/mnt"
else
	echo "# skip: aioquic (no chroot at $root)"
fi
rm -rf "$log"
