#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Packages: build them from the "make dist" tarball, check them, install
# them, and after the module tests remove them and look for leftovers.
#
#   packaging.sh build TARBALL OUTDIR   .debs with dpkg-buildpackage (lintian
#                                       must report no error or warning),
#                                       binary RPMs with rpmbuild
#   packaging.sh install OUTDIR         install quic-dkms, libquic1 and
#                                       quic-tools: DKMS builds the module
#                                       for every kernel with headers; also
#                                       quic-dkms in each kernel build
#                                       chroot (tests/kbuild.sh), with its
#                                       release's DKMS, and the modules
#                                       built there copied to this host's
#                                       /lib/modules for the guests
#   packaging.sh remove                 purge them; nothing may be left
#   packaging.sh clean                  purge what an interrupted earlier run
#                                       left installed (no check)
#
# Run as root on a Debian 12 machine set up by setup-debian.sh.

set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

pkgs=(quic-dkms libquic1 libquic-dev quic-tools)
kbuild=$(dirname "$0")/kbuild.sh

# the kernel build chroots: "KVER ROOT" for the kernels in one
chroot_kernels() {
	"$kbuild" list | awk '$2 != "/"'
}
chroot_roots() {
	chroot_kernels | awk '{ print $2 }' | sort -u
}

build() {
	local tarball out src rc
	tarball=$(realpath "$1")
	mkdir -p "$2"
	out=$(realpath "$2")
	src=$(mktemp -d)
	tar -C "$src" -xzf "$tarball"
	(cd "$src"/quic-* && dpkg-buildpackage -us -uc -b) \
		> "$out/dpkg-buildpackage.log" 2>&1 ||
		{ tail -n 40 "$out/dpkg-buildpackage.log"; return 1; }
	mv "$src"/*.deb "$src"/*.changes "$src"/*.buildinfo "$out/"
	echo "# debs: $(cd "$out" && echo ./*.deb)"
	# errors and warnings fail; informational and pedantic tags are shown
	if lintian --pedantic --fail-on error,warning --tag-display-limit 0 \
		"$out"/*.changes > "$out/lintian.log" 2>&1; then
		rc=0
	else
		rc=1
	fi
	grep -v 'running with root privileges' "$out/lintian.log" |
		sed 's/^/# lintian: /' || true
	[ $rc = 0 ] || { echo "lintian reports errors or warnings"; return 1; }
	echo "# lintian: no error, no warning"

	mkdir -p "$src/rpm/SOURCES"
	cp "$tarball" "$src/rpm/SOURCES/"
	tar -C "$src" -xzf "$tarball" --wildcards '*/rpm/quic.spec'
	# Debian has no RPM packages for the build dependencies
	rpmbuild -bb --nodeps --define "_topdir $src/rpm" "$src"/quic-*/rpm/quic.spec \
		> "$out/rpmbuild.log" 2>&1 ||
		{ tail -n 40 "$out/rpmbuild.log"; return 1; }
	find "$src/rpm/RPMS" -name '*.rpm' -exec mv {} "$out/" \;
	echo "# rpms: $(cd "$out" && echo ./*.rpm)"
	rm -rf "$src"
}

# A run that stopped before "remove" leaves the packages installed: apt
# would then call the new .debs "already the newest version" and DKMS
# would not build this tree.  Purge them and any DKMS remnants first.
clean_pkgs() {
	local stale version
	stale=$(dpkg-query -W -f '${Package} ${db:Status-Abbrev}\n' \
		"${pkgs[@]}" 2>/dev/null | awk '$2 !~ /^[up]n/ { print $1 }' ||
		true)
	if [ -n "$stale" ]; then
		echo "# purging packages left by an earlier run: $stale"
		# shellcheck disable=SC2086
		apt-get purge -y -q $stale
	fi
	for version in /var/lib/dkms/quic/[0-9]*; do
		[ -d "$version" ] || continue
		dkms remove -m quic -v "${version##*/}" --all >/dev/null 2>&1 ||
			true
	done
	rm -rf /var/lib/dkms/quic /usr/src/quic-*
	for root in $(chroot_roots); do
		chroot "$root" apt-get purge -y -q quic-dkms > /dev/null 2>&1 ||
			true
		rm -rf "$root"/var/lib/dkms/quic "$root"/usr/src/quic-*
	done
	chroot_kernels | while read -r k root; do
		rm -f "/lib/modules/$k/updates/dkms/quic.ko"* \
			"/lib/modules/$k/updates/dkms/quic_sample.ko"*
	done
}

# quic-dkms in each chroot: what "apt install quic-dkms" does on the
# release that ships that kernel
install_chroots() {
	local dir=$1 root k deb ko
	deb=$(echo "$dir"/quic-dkms_*_all.deb)
	for root in $(chroot_roots); do
		cp "$deb" "$root/tmp/"
		"$kbuild" run "$(chroot_kernels | awk -v r="$root" '$2 == r { print $1; exit }')" \
			sh -c "apt-get install -y -q --no-install-recommends /tmp/${deb##*/}" ||
			{ echo "quic-dkms does not install in $root"; return 1; }
		rm -f "$root/tmp/${deb##*/}"
	done
	chroot_kernels | while read -r k root; do
		# (no modules.dep in a chroot with headers alone: look for it)
		ko=$(cd "$root" && ls lib/modules/"$k"/updates/dkms/quic.ko* \
			2>/dev/null | head -n 1)
		if [ -z "$ko" ] ||
		   ! modinfo -F vermagic "$root/$ko" | grep -q "^$k "; then
			echo "DKMS did not install quic.ko for $k in $root"
			exit 1
		fi
		ko=/$ko
		echo "# DKMS in ${root##*/}: $ko"
		# the guests boot this host's /lib/modules
		if [ -r "/lib/modules/$k/modules.dep" ]; then
			mkdir -p "/lib/modules/$k/updates/dkms"
			cp "$root$ko" "/lib/modules/$k/updates/dkms/"
			# and the sample consumer built beside it
			cp "$root${ko%/*}"/quic_sample.ko* \
				"/lib/modules/$k/updates/dkms/" 2>/dev/null
			depmod "$k"
		fi
	done
}

remove_chroots() {
	local root k
	for root in $(chroot_roots); do
		chroot "$root" apt-get purge -y -q quic-dkms ||
			{ echo "quic-dkms does not purge in $root"; return 1; }
		if ls -d "$root"/usr/src/quic-* "$root"/var/lib/dkms/quic 2>/dev/null ||
		   find "$root"/lib/modules -path '*/updates/dkms/quic.ko*' |
			grep .; then
			echo "left behind in $root after purge"
			return 1
		fi
	done
	chroot_kernels | while read -r k root; do
		if ls "/lib/modules/$k/updates/dkms/quic.ko"* > /dev/null 2>&1; then
			rm -f "/lib/modules/$k/updates/dkms/quic.ko"* \
			"/lib/modules/$k/updates/dkms/quic_sample.ko"*
			depmod "$k"
		fi
	done
}

install_pkgs() {
	local dir
	dir=$(realpath "$1")
	apt-get install -y -q --no-install-recommends \
		"$dir"/quic-dkms_*_all.deb "$dir"/libquic1_*.deb \
		"$dir"/libquic-dev_*.deb "$dir"/quic-tools_*.deb
	dkms status -m quic
	install_chroots "$dir"
}

remove_pkgs() {
	local left
	remove_chroots
	apt-get purge -y -q "${pkgs[@]}"
	# (each lookup may find nothing and fail)
	left=$(
		set +e +o pipefail
		ls -d /usr/src/quic-* /var/lib/dkms/quic 2>/dev/null
		find /lib/modules -path '*/updates/dkms/quic.ko*' 2>/dev/null
		ls /usr/bin/quic-client /usr/bin/quic-server \
			/usr/include/netinet/quic.h 2>/dev/null
		find /usr/lib -name 'libquic.so*' 2>/dev/null
		dpkg -l "${pkgs[@]}" 2>/dev/null |
			awk '/^[a-z][a-z] / && $1 != "un" && $1 != "pn" { print $2 }'
		true
	)
	if [ -n "$left" ]; then
		echo "left behind after purge:"
		echo "$left"
		return 1
	fi
	echo "# packages purged, nothing left behind"
}

case ${1:-} in
build)		build "$2" "$3" ;;
install)	install_pkgs "$2" ;;
remove)		remove_pkgs ;;
clean)		clean_pkgs ;;
*)		sed -n 's/^#   //p' "$0" >&2; exit 2 ;;
esac
