#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# libFuzzer targets of the module's wire decoders, built with clang from
# the module's own sources (ASan and UBSan on).
#
# usage: fuzz.sh build                  build every target in build/fuzz
#        fuzz.sh smoke [SECONDS]        run each target SECONDS (default 30)
#        fuzz.sh run TARGET [ARGS...]   run one target for as long as ARGS say,
#                                       e.g. fuzz.sh run frame -runs=10000000
#
# Run from the build directory; srcdir and CLANG come from the environment
# (make fuzz / make fuzz-smoke set them).  Crash inputs are kept in
# build/fuzz/artifacts, the corpus grown by a run in build/fuzz/corpus.

set -eu
srcdir=$(cd "${srcdir:-.}" && pwd)
CLANG=${CLANG:-clang}
out=build/fuzz
targets="header frame tparam alpn"
codecs="varint header frame_wire tparam alpn"

build() {
	local t c srcs
	mkdir -p "$out/artifacts"
	srcs=
	for c in $codecs; do
		srcs="$srcs $srcdir/modules/net/quic/$c.c"
	done
	for t in $targets; do
		# shellcheck disable=SC2086
		"$CLANG" -g -O1 -Wall -Wextra -Werror \
			-fsanitize=fuzzer,address,undefined \
			-fno-sanitize-recover=all \
			-I"$srcdir/tests/unit/shim" -I"$srcdir/modules/net/quic" \
			-I"$srcdir/modules/include" \
			"$srcdir/tests/fuzz/${t}_fuzz.c" $srcs -o "$out/${t}_fuzz"
		echo "built $out/${t}_fuzz"
	done
}

run() {	# target, libFuzzer arguments...
	local t=$1
	shift
	mkdir -p "$out/corpus/$t" "$out/artifacts"
	"$out/${t}_fuzz" -artifact_prefix="$out/artifacts/$t-" \
		-print_final_stats=1 "$@" \
		"$out/corpus/$t" "$srcdir/tests/fuzz/corpus/$t"
}

case "${1:-}" in
build)
	build
	;;
smoke)
	secs=${2:-30}
	fail=0
	for t in $targets; do
		[ -x "$out/${t}_fuzz" ] || build
		if run "$t" -max_total_time="$secs" > "$out/$t.log" 2>&1; then
			execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
				"$out/$t.log")
			echo "ok - fuzz: $t decoder, $execs executions in ${secs}s, no crash"
		else
			tail -n 40 "$out/$t.log"
			echo "not ok - fuzz: $t decoder crashed (input in $out/artifacts)"
			fail=1
		fi
	done
	exit $fail
	;;
run)
	shift
	[ $# -ge 1 ] || { echo "usage: fuzz.sh run TARGET [ARGS...]" >&2; exit 2; }
	t=$1
	shift
	[ -x "$out/${t}_fuzz" ] || build
	run "$t" "$@"
	;;
*)
	sed -n 's/^# \{0,1\}//; 4,12p' "$0"
	exit 2
	;;
esac
