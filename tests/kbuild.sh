#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the module for one kernel wherever that kernel's headers are: in
# /lib/modules/KVER/build on this host, or in a chroot of the Debian
# release that built the kernel (its headers need that release's gcc),
# as tests/setup-debian.sh makes them under QUIC_KBUILD_DIR (default
# /var/cache/quic-dev/kbuild-*).
#
# usage: kbuild.sh list
#            the kernels with headers, one "KVER ROOT" line each (ROOT is
#            / for this host), this host's first
#        kbuild.sh build KVER DIR [MAKE ARGUMENTS...]
#            copies modules/net, modules/include and VERSION to DIR, runs
#            Kbuild there (make output on stdout), and leaves quic.ko and
#            quic_crypto_test.ko in DIR/modules/net/quic
#        kbuild.sh run KVER COMMAND...
#            runs COMMAND where KVER's headers are (in its chroot, with
#            /proc mounted for objtool and DKMS), for example dkms

set -u
srcdir=$(cd "$(dirname "$0")/.." && pwd)
kdir=${QUIC_KBUILD_DIR:-/var/cache/quic-dev}

list() {
	local d k r t
	for d in /lib/modules/*/build; do
		[ -f "$d/Makefile" ] || continue
		k=${d#/lib/modules/}
		echo "${k%/build} /"
	done | sort -V
	for r in "$kdir"/kbuild-*; do
		[ -d "$r/lib/modules" ] || continue
		for d in "$r"/lib/modules/*/build; do
			# an absolute link points inside the chroot
			t=$(readlink "$d") || continue
			case $t in
			/*) t=$r$t ;;
			*) t=$(dirname "$d")/$t ;;
			esac
			[ -f "$t/Makefile" ] || continue
			k=${d#"$r"/lib/modules/}
			k=${k%/build}
			[ -f "/lib/modules/$k/build/Makefile" ] || echo "$k $r"
		done
	done | sort -V
}

root_of() {	# kver -> where its headers are, or nothing
	list | awk -v k="$1" '$1 == k { print $2; exit }'
}

in_root() {	# root command... -> run there, /proc mounted privately
	local root=$1
	shift
	if [ "$root" = / ]; then
		"$@"
		return
	fi
	unshare --mount --propagation private -- sh -c '
		root=$1
		shift
		mount -t proc proc "$root/proc" || exit 1
		exec chroot "$root" "$@"' sh "$root" "$@"
}

cmd=${1:-}
case $cmd in
list)
	list
	;;
build)
	[ $# -ge 3 ] || { echo "usage: kbuild.sh build KVER DIR [ARGS]" >&2; exit 2; }
	k=$2
	out=$(realpath -m "$3")
	shift 3
	root=$(root_of "$k")
	[ -n "$root" ] || { echo "kbuild.sh: no headers for $k" >&2; exit 1; }
	if [ "$root" = / ]; then
		work=$out
	else
		work=$(mktemp -d "$root/var/tmp/quic-kbuild.XXXXXX")
	fi
	rm -rf "$work/modules"
	mkdir -p "$work/modules" "$out"
	cp -r "$srcdir/modules/net" "$srcdir/modules/include" "$work/modules/"
	cp "$srcdir/VERSION" "$work/"	# Kbuild reads ../../../VERSION
	rel=${work#"${root%/}"}
	in_root "$root" make -C "/lib/modules/$k/build" \
		M="$rel/modules/net/quic" "$@" modules
	status=$?
	if [ "$root" != / ]; then
		rm -rf "$out/modules"
		cp -r "$work/modules" "$out/"
		rm -rf "$work"
	fi
	exit $status
	;;
run)
	[ $# -ge 3 ] || { echo "usage: kbuild.sh run KVER COMMAND..." >&2; exit 2; }
	root=$(root_of "$2")
	[ -n "$root" ] || { echo "kbuild.sh: no headers for $2" >&2; exit 1; }
	shift 2
	in_root "$root" "$@"
	;;
*)
	sed -n '/^# usage:/,/^$/p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
