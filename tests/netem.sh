#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Transfers and handshakes over loopback impaired by tc netem: loss,
# reordering, duplication, corruption, delay (where the pacer must have
# held packets back), a blackhole in the middle of a transfer, CE marks,
# for each congestion controller (NewReno, CUBIC, BBR), with the share of
# a QUIC flow beside a TCP one on a slow link, and handshakes under heavy
# loss.  Each case is one
# "ok - " or "not ok - " line; the stream_test output (with the goodput of
# each direction) follows as comments.  Run as root in a test guest, by
# kmod-tests.sh.
#
# usage: netem.sh STREAM_TEST CERT_DIR [MIB]
#   QUIC_NETEM_ALGS="0:reno 1:cubic 2:bbr" (default) the controllers

ST=$1
CERTS=$2
MIB=${3:-16}

. "$(dirname "$0")/lib.sh"

modprobe sch_netem 2>/dev/null
if ! tc qdisc add dev lo root netem loss 0% 2>/dev/null; then
	echo "# skip: tc netem"
	exit 0
fi
tc qdisc del dev lo root

transfer() {	# description netem-arguments...
	local desc=$1 out rc paced
	shift
	paced=$(snmp QuicPacerWaits)
	tc qdisc add dev lo root netem "$@" limit 100000
	out=$(timeout 900 "$ST" "$CERTS" "$MIB" transfer 2>&1)
	rc=$?
	tc qdisc del dev lo root
	paced=$(($(snmp QuicPacerWaits) - paced))
	# 100 ms each way: the pacer spreads each window over the RTT
	case $desc in
	*delay) [ $rc = 0 ] && [ $paced -gt 0 ]; rc=$? ;;
	esac
	report $rc "$cc: $MIB MiB both ways intact under $desc (netem $*; the pacer held packets back $paced times)" "$out"
}

# Nothing passes for 3 s in the middle of a transfer (rate limited so
# that it is still running then).
blackhole() {
	local out rc pid

	tc qdisc add dev lo root netem rate 20mbit limit 100000
	out=$(mktemp)
	timeout 900 "$ST" "$CERTS" "$MIB" transfer > "$out" 2>&1 &
	pid=$!
	sleep 2
	tc qdisc change dev lo root netem rate 20mbit loss 100% limit 100000
	sleep 3
	tc qdisc change dev lo root netem rate 20mbit limit 100000
	wait $pid
	rc=$?
	tc qdisc del dev lo root
	report $rc "$cc: $MIB MiB both ways intact with a 3 s blackhole in the middle (netem rate 20mbit, then loss 100%)" "$(cat "$out")"
	rm -f "$out"
}

# ECN: netem marks ECT packets CE where it would drop them; the receivers
# echo the marks in ACK_ECN frames and the senders slow down for them.
ecn() {
	local ce=$(snmp QuicEcnCeRcv) cg=$(snmp QuicEcnCongestion)
	local fail=$(snmp QuicEcnFailed) lost=$(snmp QuicPacketsLost) out rc

	tc qdisc add dev lo root netem loss 3% ecn limit 100000
	out=$(timeout 900 "$ST" "$CERTS" "$MIB" transfer 2>&1)
	rc=$?
	tc qdisc del dev lo root
	ce=$(($(snmp QuicEcnCeRcv) - ce))
	cg=$(($(snmp QuicEcnCongestion) - cg))
	fail=$(($(snmp QuicEcnFailed) - fail))
	lost=$(($(snmp QuicPacketsLost) - lost))
	[ $rc = 0 ] && [ $ce -gt 0 ] && [ $cg -gt 0 ] && [ $fail = 0 ]
	report $? "$cc: $MIB MiB both ways intact with CE marks for ECT packets (netem loss 3% ecn): $ce marks received, $cg window reductions, $fail validation failures, $lost packets lost" "$out"
}

# each congestion controller (QUIC_CONG_ALG_ numbers, read by the tests),
# or those QUIC_NETEM_ALGS names ("0:reno 1:cubic 2:bbr" by default)
for alg in ${QUIC_NETEM_ALGS:-0:reno 1:cubic 2:bbr}; do
	export QUIC_TEST_CONG=${alg%%:*}
	cc=${alg#*:}
	transfer "1% loss" loss 1%
	transfer "5% loss" loss 5%
	transfer "20% loss" loss 20%
	transfer "reordering" delay 10ms reorder 25% 50%
	transfer "duplication" duplicate 5%
	transfer "1% corruption" corrupt 1%
	transfer "100 ms delay" delay 100ms
	blackhole
	ecn

	# A QUIC and a TCP (CUBIC) flow on a 50 Mbit/s link with a
	# 100-packet queue: the shares are printed, not judged.
	tc qdisc add dev lo root netem rate 50mbit delay 5ms limit 100
	out=$(timeout 120 "$ST" "$CERTS" 10 fairness 2>&1)
	rc=$?
	tc qdisc del dev lo root
	report $rc "$cc: a QUIC and a TCP flow share a 50 Mbit/s link (netem rate 50mbit delay 5ms limit 100)" "$out"
	echo "$out" | sed -n "s/^# fairness: /# fairness ($cc vs TCP cubic): /p"
done
unset QUIC_TEST_CONG

tc qdisc add dev lo root netem loss 30%
out=$(timeout 900 "$ST" "$CERTS" 10 handshake 2>&1)
rc=$?
tc qdisc del dev lo root
report $rc "10 handshakes complete under 30% loss (netem loss 30%)" "$out"

# CRYPTO data out of order: a quarter of the packets overtake the rest
tc qdisc add dev lo root netem delay 10ms reorder 25% 50%
out=$(timeout 900 "$ST" "$CERTS" 10 handshake 2>&1)
rc=$?
tc qdisc del dev lo root
report $rc "10 handshakes complete under reordering (netem delay 10ms reorder 25% 50%)" "$out"
