#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tests of quic.ko on the running kernel, as root: load, the socket API
# selftests, leak checks, unload.  Prints TAP lines.  Run by run-check.sh,
# directly or inside a quic-vm guest.
#
# usage: kmod-tests.sh QUIC_KO SELFTEST_DIR [LIBQUIC_TEST CERT_DIR]

KO=$1
SELFTESTS=$2
LIBQUIC_TEST=${3:-}
CERTS=${4:-}
n=0
result() {	# status description
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - kmod: $2"
	else
		echo "not ok $n - kmod: $2"
	fi
}

# Run a script that prints "ok - " and "not ok - " lines: each becomes a
# result, the rest is passed through.
relay() {	# command...
	local out line
	out=$(mktemp)
	"$@" > "$out" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok - "*)	result 0 "${line#ok - }" ;;
		"not ok - "*)	result 1 "${line#not ok - }" ;;
		*)		echo "$line" ;;
		esac
	done < "$out"
	rm -f "$out"
}

# datagrams the network devices' backlogs dropped (softnet_stat, column 2)
softnet_dropped() {
	local cpu dropped rest total=0
	while read -r cpu dropped rest; do
		total=$((total + 16#$dropped))
	done < /proc/net/softnet_stat
	echo $total
}

# where the time goes (CI has a budget): seconds since the start
lap() {	# what just ended
	echo "# time: ${SECONDS}s at the end of $*"
}

kver=$(uname -r)
echo "# kernel $kver, module $KO"
grep -o 'slub_debug=[^ ]*\|init_on_free=[^ ]*' /proc/cmdline | sed 's/^/# boot: /'
dmesg_start=$(dmesg | wc -l)

lsmod | grep -q '^quic ' && rmmod quic
modprobe -a udp_tunnel ip6_udp_tunnel 2>/dev/null
insmod "$KO"
result $? "insmod quic.ko on $kver"
grep -q '^QUIC ' /proc/net/protocols && grep -q '^QUICv6 ' /proc/net/protocols
result $? "QUIC and QUICv6 are listed in /proc/net/protocols"
grep -q '^QuicConnEstablished[[:space:]]*0$' /proc/net/quic/snmp
result $? "/proc/net/quic/snmp lists the counters, all zero after load"

"$SELFTESTS/socket_test"
result $? "socket_test exits 0"
ip link set lo up
# the tracepoints (events/quic) record handshake_test's connections
tr=/sys/kernel/tracing
[ -d $tr/events ] || mount -t tracefs nodev $tr 2>/dev/null
[ -d $tr/events ] || tr=/sys/kernel/debug/tracing
# Enabling an event also hooks sched_switch and sched_wakeup to record
# task names (option record-cmd), which rewrites jump labels in the
# scheduler while every CPU runs through it: twice a 7.3 guest under TCG
# oopsed on a stale breakpoint there (RIP inside the patched NOP).
# Without the option only the event's own call sites are rewritten.
echo 0 > $tr/options/record-cmd 2>/dev/null
if [ -d $tr/events/quic ]; then
	echo > $tr/trace
	echo 1 > $tr/events/quic/enable
fi
timeout 300 "$SELFTESTS/handshake_test"
result $? "handshake_test exits 0"
if [ -d $tr/events/quic ]; then
	echo 0 > $tr/events/quic/enable
	grep -q ' quic_packet_sent: sk=' $tr/trace &&
		grep -q ' quic_packet_recv: sk=.* space=[a-z]* pn=' $tr/trace &&
		grep -q ' quic_cong: sk=.* cwnd=' $tr/trace
	result $? "tracepoints quic_packet_sent, quic_packet_recv and quic_cong recorded handshake_test's packets"
	echo > $tr/trace
else
	false
	result $? "tracepoints: events/quic in tracefs"
fi
if [ -n "$LIBQUIC_TEST" ]; then
	timeout 600 "$LIBQUIC_TEST" "$CERTS"
	result $? "libquic_test (TLS handshakes with GnuTLS) exits 0"
	lap libquic_test
	mib=64
	[ -n "${QUIC_KMOD_SMOKE:-}" ] && mib=8
	# Kernels whose tunnel transmit helpers count their nesting per CPU
	# (a drop reason RECURSION_LIMIT) drop every datagram of a CPU whose
	# count went wrong: none may be dropped so while the streams run
	# (the socket backlog sends from process context).
	ev=$tr/events/skb/kfree_skb
	recursion=$(sed -n 's/.*{ *\([0-9]*\), *"RECURSION_LIMIT" *}.*/\1/p' \
		"$ev/format" 2>/dev/null)
	if [ -n "$recursion" ]; then
		echo > $tr/trace
		echo "reason == $recursion" > "$ev/filter" &&
			echo 1 > "$ev/enable" || recursion=
	fi
	timeout 900 "$(dirname "$LIBQUIC_TEST")/stream_test" "$CERTS" $mib
	result $? "stream_test (streams, datagrams, close, $mib MiB transfers) exits 0"
	if [ -n "$recursion" ]; then
		echo 0 > "$ev/enable"
		echo 0 > "$ev/filter"
		drops=$(grep -c ' kfree_skb:' $tr/trace)
		echo > $tr/trace
		[ "$drops" = 0 ]
		result $? "no datagram dropped for transmit recursion during stream_test ($drops)"
	else
		echo "# no RECURSION_LIMIT drop reason on $kver: the per-CPU transmit nesting check is not looked at"
	fi
	lap stream_test
	timeout 300 "$(dirname "$LIBQUIC_TEST")/compat_test" "$CERTS"
	result $? "compat_test (behaviour programs written for the API rely on) exits 0"
	timeout 300 "$(dirname "$LIBQUIC_TEST")/hostile_test" "$CERTS"
	result $? "hostile_test (a hostile peer and local user: bounded, refused) exits 0"
	# Kernel consumers: quic_sample.ko's handshakes through net/handshake
	# and quic-handshaked (skipped, with the reason, on kernels without
	# the handshake netlink family)
	timeout 300 "$(dirname "$LIBQUIC_TEST")/consumer_test" "$CERTS" \
		"$(dirname "$KO")/quic_sample.ko" \
		"$(dirname "$LIBQUIC_TEST")/../handshaked/quic-handshaked"
	result $? "consumer_test (kernel consumers, net/handshake, quic-handshaked) exits 0"
	lap consumer_test
fi
# QUIC_KMOD_SMOKE=reason: the tests above and the unload checks below
# only (a kernel whose full run is known to fail, see the reason)
if [ -n "${QUIC_KMOD_SMOKE:-}" ]; then
	echo "# smoke run only: $QUIC_KMOD_SMOKE"
elif [ -n "$LIBQUIC_TEST" ]; then
	timeout 300 "$(dirname "$LIBQUIC_TEST")/path_test" "$CERTS"
	result $? "path_test (connection IDs, stateless reset, migration, preferred address) exits 0"
	lap path_test

	# Loss, reordering, duplication, corruption, delay and a blackhole
	# on loopback (tc netem): transfers intact, handshakes complete.
	relay "$(dirname "$0")/netem.sh" \
		"$(dirname "$LIBQUIC_TEST")/stream_test" "$CERTS" 16
	lap netem.sh

	# Path MTU discovery across a router: growth, ICMP errors.
	relay "$(dirname "$0")/pmtu.sh" \
		"$(dirname "$LIBQUIC_TEST")/../examples/quic-perf" "$CERTS"
	lap pmtu.sh

	# Receive offloads: datagrams merged by GRO on a veth, and UDP
	# GSO trains of garbage, cut back into datagrams; GSO sends cut
	# by the pacer over a delay.
	relay "$(dirname "$0")/gro.sh" \
		"$(dirname "$LIBQUIC_TEST")/../examples/quic-perf" "$CERTS"
	lap gro.sh

	# Unprotected 1-RTT packets (disable_1rtt_encryption) carry 4-byte
	# packet numbers: without an AEAD nothing would drop a late packet
	# whose short number decodes into a later one, and that later
	# packet would then be taken for a duplicate (tx.c).  Their first
	# byte is in the clear: nft counts short headers by number length.
	if nft -f - 2>/dev/null <<'EOF'
table inet qplain {
	counter pn4 { }
	counter pnshort { }
	chain out {
		type filter hook output priority 0;
		udp length > 8 @th,64,8 & 0x83 == 0x03 counter name pn4
		udp length > 8 @th,64,8 & 0x80 == 0x00 @th,64,8 & 0x03 != 0x03 counter name pnshort
	}
}
EOF
	then
		timeout 300 "$(dirname "$LIBQUIC_TEST")/../examples/quic-perf" \
			-P 0 -l 4M -w 65536 -m quic-plain > /dev/null 2>&1
		rc=$?
		pn4=$(nft list counter inet qplain pn4 |
			sed -n 's/.*packets \([0-9]*\).*/\1/p')
		short=$(nft list counter inet qplain pnshort |
			sed -n 's/.*packets \([0-9]*\).*/\1/p')
		nft delete table inet qplain
		[ $rc = 0 ] && [ "${pn4:-0}" -gt 0 ] && [ "$short" = 0 ]
		result $? "unencrypted 1-RTT packets carry 4-byte packet numbers ($pn4 with 4 bytes, $short shorter; quic-perf -P 0 -m quic-plain exit $rc)"
	fi

	# The benchmark: numbers for the log, never a failure.
	modprobe tls 2>/dev/null
	echo "# perf: quic-perf in this guest (emulated: compare rows, not machines)"
	timeout 600 "$(dirname "$LIBQUIC_TEST")/../examples/quic-perf" -l 32M \
		2>&1 | sed 's/^/# perf: /'
	# ... the QUIC row again, watched by a drop monitor: the skb
	# kfree_skb event (what dropwatch and perf's drop monitor count)
	# must not fire for datagrams processed normally (nothing else runs
	# in the guest meanwhile, so every drop counts)
	ev=$tr/events/skb/kfree_skb
	rcv=$(awk '$1 == "QuicPktRcv" { print $2 }' /proc/net/quic/snmp)
	backlog=$(softnet_dropped)
	[ -d "$ev" ] && echo > $tr/trace && echo 1 > "$ev/enable"
	timeout 300 "$(dirname "$LIBQUIC_TEST")/../examples/quic-perf" -l 16M \
		-s 8 -w 65536 -m quic 2>&1 | sed 's/^/# perf: /'
	if [ -d "$ev" ]; then
		echo 0 > "$ev/enable"
		rcv=$(($(awk '$1 == "QuicPktRcv" { print $2 }' \
			/proc/net/quic/snmp) - rcv))
		drops=$(grep -c ' kfree_skb:' $tr/trace)
		# the emulated loopback's own backlog (netdev_max_backlog)
		# overflows when the guest is slow: those drops are the
		# device's, counted in softnet_stat, not the module's
		backlog=$(($(softnet_dropped) - backlog))
		grep ' kfree_skb:' $tr/trace | sed -n \
			-e 's/.*\(location=[^ ]*\).*\(reason: [A-Z_0-9]*\).*/\1 \2/p' \
			-e 't' -e 's/.*\(location=[^ ]*\).*/\1/p' |
			sort | uniq -c | sort -rn | sed 's/^/#   drops: /' |
			head -n 5
		echo "#   loopback backlog drops: $backlog"
		echo > $tr/trace
		drops=$((drops - backlog))
		# losses under emulation are possible: at most 1 in 100
		[ "$rcv" -gt 1000 ] && [ $((drops * 100)) -le "$rcv" ]
		result $? "a 16 MiB transfer frees its datagrams as consumed, not dropped ($drops drops for $rcv packets, besides $backlog in the loopback backlog)"
	fi
	timeout 600 "$(dirname "$LIBQUIC_TEST")/../examples/quic-perf" -I 1000 \
		2>&1 | sed 's/^/# perf: /'
	lap quic-perf

	# Interop with ngtcp2 and aioquic, up to completed handshakes.
	relay "$(dirname "$0")/interop.sh" \
		"$(dirname "$LIBQUIC_TEST")/../examples" "$CERTS"
	lap interop.sh

	# Samba (sid chroot): SMB3 over QUIC, IPv4 and IPv6, and Samba's
	# userspace QUIC client against our server
	relay "$(dirname "$0")/samba.sh" "$CERTS"
	lap samba.sh
fi

# Packet protection against the RFC 9001 and RFC 9369 sample packets: the
# test module logs one TAP line per check.
crypto_test() {	# prefix
	local mark lines status desc
	mark=$(dmesg | wc -l)
	insmod "$crypto_test"
	result $? "insmod quic_crypto_test.ko$1"
	lines=$(dmesg | tail -n +"$((mark + 1))" |
		sed -n 's/.*quic_crypto_test: \(ok\|not ok\) [0-9]* - /\1|/p')
	[ -n "$lines" ]
	result $? "quic_crypto_test reported results$1"
	while IFS='|' read -r status desc; do
		[ -n "$status" ] || continue
		[ "$status" = ok ]
		result $? "crypto$1: $desc"
	done <<< "$lines"
	crypto_async=$(dmesg | tail -n +"$((mark + 1))" |
		sed -n 's/.*quic_crypto_test: # \([0-9]*\) operations completed asynchronously.*/\1/p')
	rmmod quic_crypto_test
	result $? "rmmod quic_crypto_test$1"
}
crypto_test=$(dirname "$KO")/quic_crypto_test.ko
sed 's/^/# crypto: /' /proc/net/quic/crypto
crypto_test ""

# The asynchronous AEAD paths (crypto.c, rx.c, tx.c): with async_aead_test
# every 1-RTT operation completes from a work item, as an asynchronous
# driver's do, and the completions send and receive the packets.  The
# vectors again, then connections.
param=/sys/module/quic/parameters/async_aead_test
echo 1 > $param
awk '$1 == "TLS_AES_128_GCM_SHA256" && $3 == "deferred"' \
	/proc/net/quic/crypto | grep -q .
result $? "async_aead_test: new 1-RTT keys complete asynchronously (/proc/net/quic/crypto)"
crypto_test " (deferred)"
[ "${crypto_async:-0}" -gt 0 ]
result $? "quic_crypto_test's 1-RTT operations completed asynchronously (${crypto_async:-0})"
if [ -n "$LIBQUIC_TEST" ] && [ -z "${QUIC_KMOD_SMOKE:-}" ]; then
	async=$(awk '$1 == "QuicCryptoAsync" { print $2 }' /proc/net/quic/snmp)
	timeout 600 "$(dirname "$LIBQUIC_TEST")/stream_test" "$CERTS" 8 \
		async > /tmp/stream-async.log 2>&1
	result $? "stream_test with every 1-RTT packet completed asynchronously exits 0"
	grep '^not ok' /tmp/stream-async.log | head -n 5 | sed 's/^/# /'
	timeout 600 "$LIBQUIC_TEST" "$CERTS" > /tmp/libquic-async.log 2>&1
	result $? "libquic_test (key update, 0-RTT, ...) so exits 0"
	grep '^not ok' /tmp/libquic-async.log | head -n 5 | sed 's/^/# /'
	async=$(($(awk '$1 == "QuicCryptoAsync" { print $2 }' \
		/proc/net/quic/snmp) - async))
	failed=$(awk '$1 == "QuicCryptoAsyncFailed" { print $2 }' \
		/proc/net/quic/snmp)
	[ "$async" -gt 1000 ] && [ "$failed" = 0 ]
	result $? "QuicCryptoAsync counts their packets ($async), none failed ($failed)"
	# a sealing refused at once (a full queue of an asynchronous
	# cipher): the packet never leaves, and what it carried must go
	# again, or the receiver waits for it until the idle timeout
	# loopback at 1500 bytes: the datagrams leave in GSO sends, whose
	# packets are each sealed by the work item
	unsent=$(awk '$1 == "QuicPktUnsent" { print $2 }' /proc/net/quic/snmp)
	refused=$(awk '$1 == "QuicCryptoRefused" { print $2 }' \
		/proc/net/quic/snmp)
	gso=$(awk '$1 == "QuicGsoSends" { print $2 }' /proc/net/quic/snmp)
	lomtu=$(cat /sys/class/net/lo/mtu)
	ip link set lo mtu 1500
	echo 97 > /sys/module/quic/parameters/async_aead_refuse
	log=$(mktemp -d)
	"$(dirname "$LIBQUIC_TEST")/../examples/quic-perf" -S -c 1 \
		127.0.0.1 4497 "$CERTS/server.key" "$CERTS/server.pem" \
		> "$log/server" 2>&1 &
	pid=$!
	sleep 0.5
	timeout 120 "$(dirname "$LIBQUIC_TEST")/../examples/quic-perf" -C \
		-l 8M -w 65536 127.0.0.1 4497 "$CERTS/ca.pem" \
		> "$log/client" 2>&1
	rc=$?
	wait $pid
	src=$?
	echo 0 > /sys/module/quic/parameters/async_aead_refuse
	ip link set lo mtu "$lomtu"
	unsent=$(($(awk '$1 == "QuicPktUnsent" { print $2 }' \
		/proc/net/quic/snmp) - unsent))
	refused=$(($(awk '$1 == "QuicCryptoRefused" { print $2 }' \
		/proc/net/quic/snmp) - refused))
	gso=$(($(awk '$1 == "QuicGsoSends" { print $2 }' \
		/proc/net/quic/snmp) - gso))
	sed 's/^/# /' "$log/server" "$log/client"
	[ $rc = 0 ] && [ $src = 0 ] && [ "$unsent" -gt 0 ] &&
		[ "$refused" -ge "$unsent" ] && [ "$gso" -gt 0 ] &&
		grep -q 'server: OK 8388608 ' "$log/client"
	result $? "one sealing in 97 refused, GSO sends sealed asynchronously: 8 MiB arrive whole, digest checked ($unsent packets sent again, $refused refusals counted, $gso GSO sends, quic-perf exit $rc/$src)"
	rm -rf "$log"
	lap async_aead_test
fi
echo 0 > $param

sed 's/^/# snmp: /' /proc/net/quic/snmp
# connections end asynchronously (work items, timers): allow 5 s
for i in $(seq 50); do
	sockets=$(awk '$1 == "QUIC" || $1 == "QUICv6" { s += $3 }
		       END { print s + 0 }' /proc/net/protocols)
	[ "$sockets" = 0 ] && break
	sleep 0.1
done
[ "$sockets" = 0 ]
result $? "no QUIC socket left in use after the tests ($sockets)"

rmmod quic
result $? "rmmod quic"
! lsmod | grep -q '^quic ' && [ ! -e /proc/net/quic ]
result $? "the module and /proc/net/quic are gone"

# Load and unload again with sockets open in between, closed before rmmod.
insmod "$KO" && "$SELFTESTS/socket_test" > /dev/null && rmmod quic
result $? "a second load, test run and unload"

# Unload under load: with 100 connections open and a transfer running,
# rmmod fails cleanly (the sockets hold the module); once the programs
# are killed it succeeds as soon as their connections are gone (closing
# periods, timers and work items included).  The log check at the end
# looks for oopses and warnings.
perf=$(dirname "${LIBQUIC_TEST:-.}")/../examples/quic-perf
if [ -n "$LIBQUIC_TEST" ] && [ -x "$perf" ]; then
	insmod "$KO"
	"$perf" -I 100 > /dev/null 2>&1 &
	idle=$!
	"$perf" -l 256M -w 65536 -m quic > /dev/null 2>&1 &
	busy=$!
	for i in $(seq 600); do
		sockets=$(awk '$1 == "QUIC" { print $3 }' /proc/net/protocols)
		[ "${sockets:-0}" -ge 150 ] && break
		sleep 0.1
	done
	rmmod quic 2> /dev/null
	busy_rc=$?
	lsmod | grep -q '^quic '
	loaded=$?
	kill -9 $idle $busy 2> /dev/null
	wait $idle $busy 2> /dev/null
	for i in $(seq 300); do
		rmmod quic 2> /dev/null && break
		sleep 0.1
	done
	! lsmod | grep -q '^quic '
	gone=$?
	[ "$busy_rc" != 0 ] && [ $loaded = 0 ] && [ $gone = 0 ]
	result $? "rmmod with $sockets sockets busy fails cleanly; after the programs are killed it succeeds (in $((i / 10)) s)"
fi

# A packaged (DKMS) module for this kernel, when one is installed.
if modinfo -k "$kver" -n quic 2>/dev/null | grep -q "^/lib/modules/$kver/"; then
	path=$(modinfo -k "$kver" -n quic)
	modprobe quic && "$SELFTESTS/socket_test" > /dev/null
	result $? "modprobe quic ($path), socket tests"
	# the packaged example programs (quic-tools), when installed
	if [ -x /usr/bin/quic-server ] && [ -x /usr/bin/quic-client ] &&
	   [ -n "$CERTS" ]; then
		log=$(mktemp -d)
		/usr/bin/quic-server -c 1 -l 200 127.0.0.1 4499 \
			"$CERTS/server.key" "$CERTS/server.pem" quictest \
			> "$log/server" 2>&1 &
		pid=$!
		sleep 0.5
		# the client waits before closing: its close must not
		# reach the server before the server's handshake ends
		timeout 60 /usr/bin/quic-client -v 2 -l 500 127.0.0.1 4499 \
			"$CERTS/ca.pem" quictest > "$log/client" 2>&1
		rc=$?
		wait $pid
		src=$?
		sed 's/^/# /' "$log/server" "$log/client"
		[ $rc = 0 ] && [ $src = 0 ] &&
			grep -q 'handshake complete: ALPN quictest' "$log/client"
		result $? "packaged quic-client and quic-server complete a handshake"
		rm -rf "$log"
	fi
	# a transfer with the packaged benchmark: the server checks the
	# digest of what it received and the client compares its answer
	if [ -x /usr/bin/quic-perf ] && [ -n "$CERTS" ]; then
		log=$(mktemp -d)
		/usr/bin/quic-perf -S -c 1 127.0.0.1 4498 \
			"$CERTS/server.key" "$CERTS/server.pem" \
			> "$log/server" 2>&1 &
		pid=$!
		sleep 0.5
		timeout 120 /usr/bin/quic-perf -C -l 4M -w 65536 127.0.0.1 4498 \
			"$CERTS/ca.pem" > "$log/client" 2>&1
		rc=$?
		wait $pid
		src=$?
		sed 's/^/# /' "$log/server" "$log/client"
		[ $rc = 0 ] && [ $src = 0 ] &&
			grep -q 'server: OK 4194304 ' "$log/client"
		result $? "packaged quic-perf moves 4 MiB to its server, digest checked"
		rm -rf "$log"
	fi
	# the packaged HTTP/3 examples: a 1 MB file, SHA-256 checked
	if [ -x /usr/bin/quic-h3-server ] && [ -x /usr/bin/quic-h3-client ] &&
	   [ -n "$CERTS" ]; then
		log=$(mktemp -d)
		mkdir "$log/www"
		head -c 1000000 /dev/urandom > "$log/www/f"
		/usr/bin/quic-h3-server -c 1 -t 60 -d "$log/www" 127.0.0.1 4497 \
			"$CERTS/server.key" "$CERTS/server.pem" \
			> "$log/server" 2>&1 &
		pid=$!
		sleep 0.5
		timeout 120 /usr/bin/quic-h3-client -c "$CERTS/ca.pem" \
			-o "$log/got" 127.0.0.1 4497 /f > "$log/client" 2>&1
		rc=$?
		wait $pid
		src=$?
		sed 's/^/# /' "$log/server" "$log/client"
		[ $rc = 0 ] && [ $src = 0 ] && cmp -s "$log/www/f" "$log/got"
		result $? "packaged quic-h3-client gets a 1 MB file from quic-h3-server over HTTP/3"
		rm -rf "$log"
	fi
	# the packaged agent and sample consumer (kernels with net/handshake)
	sample=$(modinfo -k "$kver" -n quic_sample 2>/dev/null)
	if [ -x /usr/sbin/quic-handshaked ] && [ -n "$CERTS" ] &&
	   grep -q ' tls_client_hello_x509$' /proc/kallsyms; then
		# consumer_test loads the file itself: uncompressed
		case $sample in
		*.xz)	xz -dc "$sample" > /tmp/quic_sample.ko ;;
		*.zst)	zstd -qdc "$sample" > /tmp/quic_sample.ko ;;
		*.gz)	gzip -dc "$sample" > /tmp/quic_sample.ko ;;
		*)	cp "$sample" /tmp/quic_sample.ko ;;
		esac
		[ -n "$sample" ] && timeout 300 \
			"$(dirname "$LIBQUIC_TEST")/consumer_test" "$CERTS" \
			/tmp/quic_sample.ko /usr/sbin/quic-handshaked > /dev/null
		result $? "packaged quic-handshaked and quic_sample (${sample:-not installed}): consumer_test"
		rm -f /tmp/quic_sample.ko
	fi
	sleep 0.5
	rmmod quic
	result $? "rmmod of the packaged module"
fi

new=$(dmesg | tail -n +"$((dmesg_start + 1))")
echo "$new" | sed 's/^/# dmesg: /'
! echo "$new" | grep -Eq 'BUG|WARNING|Oops|still has objects|leak|Call Trace'
result $? "no kernel warning, oops or leak report"
lap "the module tests"
