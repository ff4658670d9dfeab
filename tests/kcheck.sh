#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Static checks of the module for each kernel given (default: every kernel
# with headers, here or in a chroot of tests/kbuild.sh): a W=1 build with
# sparse (C=1) that must print no warning, exports limited to the
# in-kernel API (quic_do_setsockopt, quic_do_getsockopt), checkpatch
# --strict on every source file, and no kernel version test anywhere
# (compat.h decides by feature probes).
#
# usage: kcheck.sh [KVER...]
#   CHECKPATCH=/path/to/checkpatch.pl (default: looked up on PATH)

set -u
srcdir=$(cd "$(dirname "$0")/.." && pwd)
status=0
kvers=("$@")
if [ ${#kvers[@]} = 0 ]; then
	mapfile -t kvers < <("$srcdir/tests/kbuild.sh" list | cut -d' ' -f1)
fi
command -v sparse >/dev/null || { echo "kcheck: sparse not found"; exit 1; }

for k in "${kvers[@]}"; do
	tmp=$(mktemp -d)
	out=$("$srcdir/tests/kbuild.sh" build "$k" "$tmp" W=1 C=1 2>&1)
	warn=$(echo "$out" | grep -E 'warning|error' | grep -v 'Skipping BTF')
	if [ -n "$warn" ]; then
		echo "kcheck: $k: W=1 C=1 is not clean:"
		echo "$warn"
		status=1
	elif ! [ -f "$tmp/modules/net/quic/quic.ko" ]; then
		echo "kcheck: $k: no quic.ko:"
		echo "$out" | tail -n 20
		status=1
	else
		echo "kcheck: $k: W=1 C=1 clean"
	fi
	# the in-kernel API is all quic.ko exports; what the self-test
	# module needs is in a namespace of its own
	exports=$(awk '$3 ~ /(^|\/)quic$/ && $5 != "QUIC_INTERNAL" &&
		       $5 != "\"QUIC_INTERNAL\"" { print $2 }' \
		"$tmp/modules/net/quic/Module.symvers" 2>/dev/null | sort |
		tr '\n' ' ')
	if [ "$exports" != "quic_do_getsockopt quic_do_setsockopt " ]; then
		echo "kcheck: $k: quic.ko exports more than its API: $exports"
		status=1
	fi
	rm -rf "$tmp"
done

cp=${CHECKPATCH:-$(command -v checkpatch.pl || true)}
if [ -n "$cp" ]; then
	cd "$srcdir/modules" || exit 1
	files=$(find net include -name '*.[ch]' ! -name '*.mod.c' \
		! -name compat_probes.h)
	if perl "$cp" --no-tree --strict --terse -q -f $files; then
		echo "kcheck: checkpatch --strict clean"
	else
		status=1
	fi
else
	echo "kcheck: checkpatch.pl not found (set CHECKPATCH)"
	status=1
fi
# Layering: the modules below the connection (wire codecs, crypto,
# congestion control, the tunnel sockets, stateless answers, counters)
# include only each other, so that no import cycle reaches them.
lower="addr alpn bbr cid_table closing cong crypto frame_wire header mib
       pnspace reset retry tparam udp varint"
allowed=" $(echo $lower) compat compat_probes tracepoints "
layered=1
for m in $lower; do
	for f in "$srcdir/modules/net/quic/$m".[ch]; do
		[ -f "$f" ] || continue
		for h in $(sed -n 's/^#include "\([a-z_0-9]*\)\.h"$/\1/p' "$f"); do
			case $allowed in
			*" $h "*) ;;
			*)
				echo "kcheck: ${f##*/} includes $h.h, above it"
				layered=0
				status=1
				;;
			esac
		done
	done
done
if [ $layered = 1 ]; then
	echo "kcheck: the lower modules include only each other"
fi
if grep -rn --include='*.[ch]' 'LINUX_VERSION_CODE\|KERNEL_VERSION(' \
	"$srcdir/modules/net"; then
	echo "kcheck: kernel version tests found (use a probe, see compat.h)"
	status=1
fi
exit $status
