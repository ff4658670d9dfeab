#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# "make check": host tests, then the module tests against the loaded module
# where this host can load quic.ko, else in a quic-vm guest for each kernel
# in KVERS (default: every kernel with headers, on this host or in a
# chroot of tests/kbuild.sh, and an image in /boot).  Ends with the
# line "N passed, N failed".
#
# usage: run-check.sh [--demo|--bench]   (run from the build directory)
#
# --bench: no tests, tests/bench.sh in one guest boot per kernel.

set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
builddir=$(pwd)
logdir=$builddir/tests/logs
mkdir -p "$logdir"
demo=0
[ "${1:-}" = --demo ] && demo=1
bench=0
[ "${1:-}" = --bench ] && bench=1

pass=0
fail=0
failures=$logdir/failures
: > "$failures"
# Each failure again at the end, with the diagnostics TAP puts around
# it, so that the tail of a long log tells what failed and where.
tally() {	# TAP file, where
	local p f
	p=$(grep -Ec '^ok ' "$1")
	f=$(grep -Ec '^not ok ' "$1")
	pass=$((pass + p))
	fail=$((fail + f))
	[ "$f" = 0 ] && return
	{
		echo "## $2"
		grep -B 3 -A 4 -E '^not ok ' "$1" | cut -c1-200
	} >> "$failures"
}
fail_one() {	# description
	echo "not ok - $1"
	echo "not ok - $1" >> "$failures"
	fail=$((fail + 1))
}

can_load_here() {
	[ -z "${QUIC_CHECK_VM:-}" ] && [ "$(id -u)" = 0 ] &&
		[ -r /proc/modules ] && [ -d "/lib/modules/$(uname -r)/build" ]
}

kernels() {	# with headers (here or in a chroot, see kbuild.sh) and an image
	local k root
	if [ -n "${KVERS:-}" ]; then
		echo "$KVERS"
		return
	fi
	"$srcdir/tests/kbuild.sh" list | while read -r k root; do
		[ -r "/boot/vmlinuz-$k" ] && [ -r "/lib/modules/$k/modules.dep" ] &&
			echo "$k"
	done
}

build_module() {	# kver -> path of quic.ko, built in a copy per kernel
	local k=$1 dir=$builddir/build/kmod/$1
	rm -rf "$dir"
	"$srcdir/tests/kbuild.sh" build "$k" "$dir" > "$logdir/build-$k.log" 2>&1 ||
		return 1
	echo "$dir/modules/net/quic/quic.ko"
}

selftests=$builddir/modules/tools/testing/selftests/net/quic

# Kernels in QUIC_SMOKE_KVERS get the smoke run of kmod-tests.sh only
# (load, socket API, handshakes, streams, compat, crypto vectors,
# unload), for the reason in QUIC_SMOKE_REASON.
smoke() {	# kver -> the reason, or nothing
	case " ${QUIC_SMOKE_KVERS:-} " in
	*" $1 "*) echo "${QUIC_SMOKE_REASON:-asked for}" ;;
	esac
}

# Kernels in QUIC_DEBUG_KVERS boot with the slab allocator's checks
# (red zones, poisoning, owner tracking, consistency) and memory wiped on
# free: a use after free or an overflow of the module's objects shows as
# a BUG report, which kmod-tests.sh fails on.
QUIC_DEBUG_ARGS=${QUIC_DEBUG_ARGS:-slub_debug=FZPU init_on_free=1}
debug_args() {	# kver -> kernel arguments, or nothing
	case " ${QUIC_DEBUG_KVERS:-} " in
	*" $1 "*) echo "$QUIC_DEBUG_ARGS" ;;
	esac
}

# The loss/delay matrix (netem.sh) is the longest part of the module
# tests, and the congestion controllers are the same code on every
# kernel: with several guests, the newest kernel runs it for NewReno,
# CUBIC and BBR, the others for NewReno alone (QUIC_NETEM_ALL=1: all on
# every kernel).
netem_algs() {	# kver
	local newest
	# shellcheck disable=SC2086
	newest=$(echo "$klist" | tr ' ' '\n' |
		grep -vxF -f <(printf '%s\n' ${QUIC_SMOKE_KVERS:-}) |
		sort -V | tail -n 1)
	if [ -n "${QUIC_NETEM_ALL:-}" ] || [ "$1" = "$newest" ]; then
		echo "0:reno 1:cubic 2:bbr"
	else
		echo "0:reno"
	fi
}

if [ $demo = 1 ]; then
	cmd=(bash -c 'set -e
		modprobe -a udp_tunnel ip6_udp_tunnel
		insmod "$0"
		echo "== quic.ko loaded on $(uname -r)"
		grep -E "^(protocol|QUIC)" /proc/net/protocols | cut -c1-40
		echo "== socket API selftest"
		"$1" | tail -n 3
		rmmod quic
		echo "== quic.ko unloaded"')
	if can_load_here; then
		ko=$(build_module "$(uname -r)") || { cat "$logdir"/build-*.log; exit 1; }
		exec "${cmd[@]}" "$ko" "$selftests/socket_test"
	fi
	k=$(kernels | head -n 1)
	[ -n "$k" ] || { echo "no kernel with headers found" >&2; exit 1; }
	ko=$(build_module "$k") || { cat "$logdir/build-$k.log"; exit 1; }
	exec "$srcdir/tests/vm/quic-vm" -k "$k" -d "$builddir" -- \
		"${cmd[@]}" "$ko" "$selftests/socket_test"
fi

if [ $bench = 1 ]; then
	if can_load_here; then
		klist=$(uname -r)
	else
		klist=$(kernels)
	fi
	for k in $klist; do
		ko=$(build_module "$k") || { cat "$logdir/build-$k.log"; exit 1; }
		if can_load_here; then
			"$srcdir/tests/bench.sh" "$ko" \
				"$builddir/examples/quic-perf"
		else
			"$srcdir/tests/vm/quic-vm" -k "$k" -d "$builddir" \
				-t 2700 -- "$srcdir/tests/bench.sh" "$ko" \
				"$builddir/examples/quic-perf"
		fi
	done
	exit 0
fi

echo "# host tests"
"$builddir/tests/abi_test" > "$logdir/abi.tap" 2>&1
cat "$logdir/abi.tap"
tally "$logdir/abi.tap" "host: abi_test"
for t in "$builddir"/tests/unit/*_test; do
	[ -x "$t" ] || continue
	"$t" > "$logdir/$(basename "$t").tap" 2>&1
	cat "$logdir/$(basename "$t").tap"
	tally "$logdir/$(basename "$t").tap" "host: $(basename "$t")"
done

if can_load_here; then
	klist=$(uname -r)
	mode=host
else
	klist=$(kernels)
	mode=vm
fi
[ -n "$klist" ] || fail_one "no kernel with headers to test the module on"

for k in $klist; do
	dbg=$(debug_args "$k")
	echo "# module tests on $k ($mode${dbg:+, $dbg})"
	if ! ko=$(build_module "$k"); then
		cat "$logdir/build-$k.log"
		fail_one "build quic.ko for $k"
		continue
	fi
	log=$logdir/kmod-$k.tap
	if [ $mode = host ]; then
		"$srcdir/tests/kmod-tests.sh" "$ko" "$selftests" \
			"$builddir/tests/libquic_test" "$srcdir/tests/certs" \
			> "$log" 2>&1
	else
		"$srcdir/tests/vm/quic-vm" -k "$k" -d "$builddir" -t 2700 \
			-a "$dbg" -- \
			env QUIC_NETEM_ALGS="$(netem_algs "$k")" \
			QUIC_KMOD_SMOKE="$(smoke "$k")" \
			"$srcdir/tests/kmod-tests.sh" "$ko" "$selftests" \
			"$builddir/tests/libquic_test" "$srcdir/tests/certs" \
			> "$log" 2>&1
	fi
	rc=$?
	cat "$log"
	tally "$log" "module tests on $k"
	[ $rc = 0 ] || [ $rc = 1 ] || fail_one "module tests on $k ran to the end (status $rc)"
done

if [ -s "$failures" ]; then
	echo "# what failed:"
	sed 's/^/# | /' "$failures"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
