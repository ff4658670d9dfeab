#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install what building and testing this project needs on Debian 12
# (bookworm), as root: the toolchain, GnuTLS and libnl, QEMU, DKMS,
# busybox, two kernels with headers to test in guests, 6.1 from bookworm
# and 6.12 from bookworm-backports, nghttp3, the ngtcp2 peers (bookworm's
# 0.12 installed, bookworm-backports' 1.11 unpacked at QUIC_NGTCP2_111,
# default /var/cache/quic-dev/ngtcp2-1.11), and aioquic and quic-go
# (Debian trixie's, in a chroot at QUIC_AIOQUIC_ROOT, default
# /var/cache/quic-dev/trixie-aioquic).
#
# Kernels this host's compiler cannot build for (Debian builds each with
# the gcc of its own release) get a chroot of that release with their
# headers, the compiler, sparse and DKMS: kbuild-trixie (trixie's 6.12 and
# the newest trixie-backports kernel) and kbuild-sid (unstable's newest),
# under QUIC_KBUILD_DIR (default /var/cache/quic-dev); tests/kbuild.sh
# builds there.  The newest 7.x kernel of the two (QUIC_KVER_NEW to choose
# another) is also unpacked into /boot and /lib/modules, not installed
# (bookworm's dpkg cannot), so that the guests can boot it.
#
# The backports suite is added from the mirror this machine already uses.
# Set QUIC_KVER_612 to choose the 6.12 release (default: the one CI uses
# when available, else the newest).

set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

[ "$(id -u)" = 0 ] || { echo "setup-debian.sh: run as root" >&2; exit 1; }

mirror=
if [ -r /etc/apt/sources.list.d/debian.sources ]; then
	mirror=$(awk '/^URIs:/ { print $2; exit }' \
		/etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
	mirror=$(awk '$1 == "deb" && $3 ~ /^bookworm/ { print $2; exit }' \
		/etc/apt/sources.list)
fi
if [ -n "$mirror" ] &&
   ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	cat > /etc/apt/sources.list.d/quic-backports.sources <<EOT
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
fi

apt-get update -q

pkgs=(build-essential autoconf automake libtool pkg-config
	libgnutls28-dev libnl-3-dev libnl-genl-3-dev libnghttp3-dev
	qemu-system-x86 busybox-static dkms kmod cpio file xz-utils zstd
	iproute2 nftables ethtool sparse clang libclang-rt-dev ngtcp2-client ngtcp2-server
	debootstrap debhelper dh-dkms lintian rpm
	linux-image-amd64 linux-headers-amd64)

want=${QUIC_KVER_612:-6.12.95+deb12-amd64}
if ! apt-cache show "linux-headers-$want" >/dev/null 2>&1; then
	want=$(apt-cache search --names-only \
		'^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{ sub(/^linux-headers-/, "", $1); print $1 }' |
		sort -V | tail -n 1)
fi
if [ -n "$want" ]; then
	pkgs+=("linux-image-$want" "linux-headers-$want")
else
	echo "setup-debian.sh: no 6.12 kernel found in the archive" >&2
fi

# Versioned names without -t bookworm-backports, so that linux-libc-dev
# (the userspace kernel headers) stays at bookworm's version.
apt-get install -y -q --no-install-recommends "${pkgs[@]}"

# ngtcp2 1.11 from bookworm-backports beside bookworm's 0.12: unpacked,
# run with LD_LIBRARY_PATH (interop.sh).
ng=${QUIC_NGTCP2_111:-/var/cache/quic-dev/ngtcp2-1.11}
if [ ! -x "$ng/usr/sbin/gtlsserver" ]; then
	tmp=$(mktemp -d)
	if (cd "$tmp" && apt-get download -q \
		ngtcp2-client/bookworm-backports \
		ngtcp2-server/bookworm-backports \
		libngtcp2-16/bookworm-backports \
		libngtcp2-crypto-gnutls8/bookworm-backports \
		libnghttp3-9/bookworm-backports); then
		rm -rf "$ng"
		mkdir -p "$ng"
		for deb in "$tmp"/*.deb; do
			dpkg-deb -x "$deb" "$ng"
		done
	else
		echo "setup-debian.sh: no ngtcp2 1.11, its interop tests will be skipped" >&2
	fi
	rm -rf "$tmp"
fi

# aioquic needs trixie's Python: a minimal trixie chroot from the same
# mirror (debootstrap's resolver does not handle python3-cryptography's
# virtual dependencies, so apt installs it inside).
root=${QUIC_AIOQUIC_ROOT:-/var/cache/quic-dev/trixie-aioquic}
if [ -n "$mirror" ] &&
   ! chroot "$root" /usr/bin/python3 -c 'import aioquic' 2>/dev/null; then
	rm -rf "$root"
	mkdir -p "$(dirname "$root")"
	if debootstrap --variant=minbase trixie "$root" "$mirror" &&
	   chroot "$root" apt-get install -y -q --no-install-recommends \
		python3-aioquic; then
		chroot "$root" apt-get clean
	else
		echo "setup-debian.sh: no aioquic chroot, its interop tests will be skipped" >&2
		rm -rf "$root"
	fi
fi

# quic-go, for interop (tests/interop/quicgo_peer.go): trixie's Go and
# quic-go 0.50 sources, built in the same chroot in GOPATH mode (the
# Debian -dev packages are the sources; nothing is fetched).
here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$root/usr/bin/python3" ] &&
   { [ ! -x "$root/usr/local/bin/quicgo-peer" ] ||
     [ "$root/usr/local/bin/quicgo-peer" -ot "$here/interop/quicgo_peer.go" ]; }; then
	if chroot "$root" apt-get install -y -q --no-install-recommends \
		golang-go golang-github-lucas-clemente-quic-go-dev; then
		chroot "$root" apt-get clean
		mkdir -p "$root/tmp/quicgo"
		cp "$here/interop/quicgo_peer.go" "$root/tmp/quicgo/"
		mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
		chroot "$root" env GO111MODULE=off GOPATH=/usr/share/gocode \
			GOCACHE=/tmp/quicgo/cache HOME=/tmp GOFLAGS= \
			go build -o /usr/local/bin/quicgo-peer \
			/tmp/quicgo/quicgo_peer.go ||
			echo "setup-debian.sh: quic-go peer not built, its interop tests will be skipped" >&2
		umount "$root/proc" 2>/dev/null || true
		rm -rf "$root/tmp/quicgo"
	else
		echo "setup-debian.sh: no quic-go, its interop tests will be skipped" >&2
	fi
fi

# Kernel headers in chroots, for the newest kernels.  Their headers pull
# in an image; INITRD=No spares making an initramfs nobody boots.
export INITRD=No
kdir=${QUIC_KBUILD_DIR:-/var/cache/quic-dev}
kbuild_root() {	# suite [extra suite] -> a chroot with the toolchain
	local suite=$1 extra=${2:-} r=$kdir/kbuild-$1
	if [ ! -x "$r/usr/bin/make" ]; then
		rm -rf "$r"
		mkdir -p "$kdir"
		debootstrap --variant=minbase "$suite" "$r" "$mirror" >&2 ||
			return 1
	fi
	if [ -n "$extra" ]; then
		echo "deb $mirror $extra main" > "$r/etc/apt/sources.list.d/$extra.list"
	fi
	# (unstable's Release files may be past their Valid-Until on a mirror)
	chroot "$r" apt-get update -q -o Acquire::Check-Valid-Until=false >&2 &&
	chroot "$r" apt-get install -y -q --no-install-recommends \
		make gcc libc6-dev sparse dkms kmod xz-utils >&2 || return 1
	echo "$r"
}
newest() {	# root pattern -> newest version of packages matching it
	chroot "$1" apt-cache search --names-only "$2" |
		awk '{ print $1 }' | sed -E 's/^linux-[a-z]+-//' | sort -V |
		tail -n 1
}

if [ -n "$mirror" ]; then
	new=
	if tr=$(kbuild_root trixie trixie-backports); then
		tb=$(newest "$tr" '^linux-headers-[0-9.]+\+deb13-amd64$')
		chroot "$tr" apt-get install -y -q --no-install-recommends \
			linux-headers-amd64 ${tb:+"linux-headers-$tb"} ||
			echo "setup-debian.sh: no trixie kernel headers" >&2
		new=$tb
	else
		echo "setup-debian.sh: no trixie chroot for kernel builds" >&2
	fi
	if sr=$(kbuild_root sid); then
		chroot "$sr" apt-get install -y -q --no-install-recommends \
			linux-headers-amd64 ||
			echo "setup-debian.sh: no sid kernel headers" >&2
		# Samba 4.25 (SMB3 over QUIC on the kernel socket API) for
		# tests/samba.sh; its services are not started in a chroot
		printf '#!/bin/sh\nexit 101\n' > "$sr/usr/sbin/policy-rc.d"
		chmod +x "$sr/usr/sbin/policy-rc.d"
		chroot "$sr" apt-get install -y -q --no-install-recommends \
			samba smbclient ||
			echo "setup-debian.sh: no samba in the sid chroot" >&2
		sv=$(ls "$sr/lib/modules" 2>/dev/null | sort -V | tail -n 1)
		if [ -n "$sv" ] && { [ -z "$new" ] ||
		   [ "$(printf '%s\n' "$new" "$sv" | sort -V | tail -n 1)" = "$sv" ]; }; then
			new=$sv
		fi
	else
		echo "setup-debian.sh: no sid chroot for kernel builds" >&2
	fi
	new=${QUIC_KVER_NEW:-$new}

	# its image and modules for the guests, from whichever chroot has them
	if [ -n "$new" ] && [ ! -r "/lib/modules/$new/modules.dep" ]; then
		tmp=$(mktemp -d)
		for r in "$kdir"/kbuild-*; do
			rm -f "$r"/tmp/linux-*.deb
			chroot "$r" sh -c "cd /tmp && apt-get download -q \
				linux-binary-$new linux-modules-$new" >&2 || continue
			for deb in "$r"/tmp/linux-*.deb; do
				dpkg-deb -x "$deb" "$tmp"
			done
			rm -f "$r"/tmp/linux-*.deb
			break
		done
		if [ -r "$tmp/usr/lib/modules/$new/vmlinuz" ]; then
			mv "$tmp/usr/lib/modules/$new/vmlinuz" "/boot/vmlinuz-$new"
			rm -rf "/lib/modules/$new"
			cp -a "$tmp/usr/lib/modules/$new" /lib/modules/
			depmod "$new" 2>/dev/null
		else
			echo "setup-debian.sh: no image for $new" >&2
		fi
		rm -rf "$tmp"
	fi
fi
