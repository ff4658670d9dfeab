#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Static checks of the module for each kernel given (default: every kernel
# with headers): a W=1 build with sparse (C=1) that must print no warning,
# and checkpatch --strict on every source file.
#
# usage: kcheck.sh [KVER...]
#   CHECKPATCH=/path/to/checkpatch.pl (default: looked up on PATH)

set -u
srcdir=$(cd "$(dirname "$0")/.." && pwd)
status=0
kvers=("$@")
if [ ${#kvers[@]} = 0 ]; then
	for d in /lib/modules/*/build; do
		[ -f "$d/Makefile" ] || continue
		k=${d#/lib/modules/}
		kvers+=("${k%/build}")
	done
fi
command -v sparse >/dev/null || { echo "kcheck: sparse not found"; exit 1; }

for k in "${kvers[@]}"; do
	tmp=$(mktemp -d)
	mkdir -p "$tmp/modules"
	cp -r "$srcdir/modules/net" "$srcdir/modules/include" "$tmp/modules/"
	cp "$srcdir/VERSION" "$tmp/"
	out=$(make -C "/lib/modules/$k/build" M="$tmp/modules/net/quic" \
		W=1 C=1 modules 2>&1)
	warn=$(echo "$out" | grep -E 'warning|error' | grep -v 'Skipping BTF')
	if [ -n "$warn" ]; then
		echo "kcheck: $k: W=1 C=1 is not clean:"
		echo "$warn"
		status=1
	else
		echo "kcheck: $k: W=1 C=1 clean"
	fi
	rm -rf "$tmp"
done

cp=${CHECKPATCH:-$(command -v checkpatch.pl || true)}
if [ -n "$cp" ]; then
	cd "$srcdir/modules" || exit 1
	files=$(find net include -name '*.[ch]' ! -name '*.mod.c' ! -name compat.h)
	# compat.h is the one place that compares LINUX_VERSION_CODE.
	if perl "$cp" --no-tree --strict --terse -q -f $files &&
	   perl "$cp" --no-tree --strict --terse -q \
		--ignore LINUX_VERSION_CODE -f net/quic/compat.h; then
		echo "kcheck: checkpatch --strict clean"
	else
		status=1
	fi
else
	echo "kcheck: checkpatch.pl not found (set CHECKPATCH)"
	status=1
fi
exit $status
