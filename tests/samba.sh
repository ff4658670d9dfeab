#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Samba as a consumer of the socket API: Debian unstable's smbd and
# smbclient (4.25, SMB3 over QUIC with their own copy of libquic on the
# kernel socket) from the sid chroot of tests/setup-debian.sh, run inside
# that chroot against the loaded module.  smbd listens on [::]:443
# (IPV6_V6ONLY) and 0.0.0.0:443 over QUIC; smbclient lists, puts and gets
# 20 MB over IPv4 and IPv6 (Samba tries QUIC only with a peer name:
# //localhost/share with -I), and Samba's userspace QUIC client (ngtcp2)
# downloads 20 MB from our smbd (QUIC_SAMBA_RUNS times, default 1: CI
# time).  Prints "ok - " and "not ok - " lines (kmod-tests.sh numbers
# them).
#
# usage: samba.sh CERTDIR [CHROOT]

CERTS=$1
R=${2:-${QUIC_KBUILD_DIR:-/var/cache/quic-dev}/kbuild-sid}
ok() { echo "ok - samba: $*"; }
notok() { echo "not ok - samba: $*"; }
check() {	# status description
	if [ "$1" = 0 ]; then ok "$2"; else notok "$2"; fi
}

if [ ! -x "$R/usr/sbin/smbd" ] || [ ! -x "$R/usr/bin/smbclient" ]; then
	echo "ok - samba: SMB3 over QUIC # SKIP no smbd/smbclient in $R (tests/setup-debian.sh installs them)"
	exit 0
fi

mounts=()
cleanup() {
	local m pid
	pid=$(cat "$R/tmp/run/smbd.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	for i in $(seq 50); do
		pgrep -x smbd > /dev/null || break
		sleep 0.1
	done
	pkill -9 -x smbd 2>/dev/null
	for ((m = ${#mounts[@]} - 1; m >= 0; m--)); do
		umount "${mounts[$m]}" 2>/dev/null
	done
}
trap cleanup EXIT
for d in tmp run var/lib/samba var/cache/samba var/log/samba; do
	mount -t tmpfs tmpfs "$R/$d" && mounts+=("$R/$d")
done
mount -t proc proc "$R/proc" && mounts+=("$R/proc")
mount --bind /dev "$R/dev" && mounts+=("$R/dev")

mkdir -p "$R"/tmp/{tls,share,private,lock,state,cache,run,ncalrpc}
cp "$CERTS/server.pem" "$R/tmp/tls/cert.pem"
cp "$CERTS/server.key" "$R/tmp/tls/key.pem"
cp "$CERTS/ca.pem" "$R/tmp/tls/ca.pem"
chmod 600 "$R/tmp/tls/key.pem"
cat > "$R/tmp/smb.conf" <<'EOF'
[global]
  server role = standalone server
  server smb transports = quic, tcp
  tls enabled = yes
  tls keyfile = /tmp/tls/key.pem
  tls certfile = /tmp/tls/cert.pem
  tls cafile = /tmp/tls/ca.pem
  tls verify peer = ca_and_name
  private dir = /tmp/private
  lock directory = /tmp/lock
  state directory = /tmp/state
  cache directory = /tmp/cache
  pid directory = /tmp/run
  ncalrpc dir = /tmp/ncalrpc
  log file = /tmp/log.%m
  log level = 1
  disable netbios = yes
  load printers = no
  printing = bsd
  printcap name = /dev/null
[share]
  path = /tmp/share
  read only = no
EOF
(echo pw; echo pw) | chroot "$R" smbpasswd -c /tmp/smb.conf -s -a root \
	> /dev/null 2>&1
chroot "$R" /usr/sbin/smbd -D -s /tmp/smb.conf
for i in $(seq 240); do
	[ "$(grep -c '	LISTEN	' /proc/net/quic/sks)" -ge 2 ] && break
	sleep 0.25
done
grep -q '^\[::\]:443	.*LISTEN' /proc/net/quic/sks &&
	grep -q '^0\.0\.0\.0:443	.*LISTEN' /proc/net/quic/sks
check $? "smbd listens over QUIC on [::]:443 (IPV6_V6ONLY) and 0.0.0.0:443"

head -c 20000000 /dev/urandom > "$R/tmp/f20"
smb() {	# ip option... -- commands
	local ip=$1
	shift
	timeout 120 chroot "$R" smbclient //localhost/share -U root%pw \
		-I "$ip" -s /tmp/smb.conf \
		--option='client smb transports=quic' "$@"
}
for ip in 127.0.0.1 ::1; do
	rm -f "$R/tmp/back" "$R/tmp/share/f20"
	start=$SECONDS
	out=$(smb "$ip" -c 'ls; put /tmp/f20 f20; get f20 /tmp/back' 2>&1)
	rc=$?
	echo "$out" | tail -n 3 | sed 's/^/# /'
	[ $rc = 0 ] && cmp -s "$R/tmp/f20" "$R/tmp/back"
	check $? "smbclient over QUIC to $ip: ls, put and get 20 MB, same bytes ($((SECONDS - start)) s)"
done

# Samba's userspace QUIC client (ngtcp2 over a UDP socket) downloading
# from our server
for n in $(seq "${QUIC_SAMBA_RUNS:-1}"); do
	rm -f "$R/tmp/back"
	lost=$(awk '$1 == "QuicPacketsLost" { print $2 }' /proc/net/quic/snmp)
	start=$SECONDS
	out=$(smb 127.0.0.1 \
		--option='client smb transport:force_ngtcp2_quic=yes' \
		-c 'get f20 /tmp/back' 2>&1)
	rc=$?
	lost=$(($(awk '$1 == "QuicPacketsLost" { print $2 }' \
		/proc/net/quic/snmp) - lost))
	echo "$out" | tail -n 2 | sed 's/^/# /'
	[ $rc = 0 ] && cmp -s "$R/tmp/f20" "$R/tmp/back"
	check $? "Samba's ngtcp2 client gets 20 MB from smbd, run $n ($((SECONDS - start)) s, $lost packets lost)"
done
grep -E 'ERR|error' "$R"/tmp/log.smbd 2>/dev/null | tail -n 5 | sed 's/^/# smbd: /'
exit 0
