#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# "make bench" in one guest (or on a host that can load quic.ko): the
# accelerated crypto drivers loaded first, as udev loads them on a real
# machine, then quic-perf's rows (TCP, kTLS, QUIC, unencrypted QUIC)
# RUNS times, interleaved, and the median of each column; the CPU time
# the kernel spent per MB in each mode; 1000 streams on one connection
# against one; handshakes per second against TCP with TLS 1.3; memory
# per idle connection.  The write table comes twice: over loopback at
# its own MTU (65536), then at 1500.
# Numbers only: nothing here fails.
#
# usage: bench.sh QUIC_KO QUIC_PERF [RUNS]

KO=$1
PERF=$2
RUNS=${3:-3}
LEN=${QUIC_BENCH_LEN:-32M}

modprobe -a udp_tunnel ip6_udp_tunnel tls 2>/dev/null
# what udev loads for these CPU features (names of 6.1 to 7.x)
for m in aesni_intel ghash_clmulni_intel chacha_x86_64 poly1305_x86_64 \
	 sha256_ssse3 aes_x86_64; do
	modprobe "$m" 2>/dev/null
done
lsmod | grep -q '^quic ' && rmmod quic
insmod "$KO" || exit 1
ip link set lo up

echo "# bench: kernel $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%d)"
grep -q hypervisor /proc/cpuinfo && echo "# bench: in a virtual machine: compare rows, not machines"
sed 's/^/# bench: crypto: /' /proc/net/quic/crypto

out=$(mktemp -d)
# once first, unmeasured: the first use of an algorithm instantiates and
# self-tests it (kernel CPU time)
"$PERF" -l 1M -w 65536 > /dev/null 2>&1
for i in $(seq "$RUNS"); do
	"$PERF" -l "$LEN" -w 16384,65536 -v > "$out/run$i" 2>&1
done

# rows "WRITE tcp ktls quic plain ..." of quic-perf's output files: the
# median of each column per write size, as a table
table() {
	awk '
		$1 ~ /^[0-9]+$/ && NF >= 5 {
			k = ++n[$1]
			for (c = 2; c <= 5; c++)
				v[$1, c, k] = $c + 0
		}
		function median(w, c,    a, m, t, i, j) {
			m = n[w]
			for (i = 1; i <= m; i++)
				a[i] = v[w, c, i]
			for (i = 1; i <= m; i++)
				for (j = i + 1; j <= m; j++)
					if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return a[int((m + 1) / 2)]
		}
		END {
			print "| write | TCP MB/s | kTLS MB/s | QUIC MB/s | unencrypted QUIC MB/s | QUIC/kTLS | unencrypted QUIC/TCP |"
			print "| --- | --- | --- | --- | --- | --- | --- |"
			for (w = 1; w <= 1048576; w *= 2) {
				if (!(w in n))
					continue
				tcp = median(w, 2); ktls = median(w, 3)
				quic = median(w, 4); plain = median(w, 5)
				printf "| %d KiB | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |\n",
				       w / 1024, tcp, ktls, quic, plain,
				       ktls ? quic / ktls : 0, tcp ? plain / tcp : 0
			}
		}' "$@" | sed 's/^/# bench: /'
}

table "$out"/run*
grep -h '^# cpu' "$out"/run* | sed 's/^# /# bench: /'
grep -h 'quic-perf:' "$out"/run* | grep -v bytes | sed 's/^/# bench: /'
echo "# bench: medians of $RUNS runs of $LEN per mode and write size"

# the same over a loopback of Ethernet's MTU: datagrams of at most 1500
# bytes, so that the per-packet work weighs as on a LAN path (TCP keeps
# its 64 KB segments, as over a device with TSO; our GSO sends reach
# 15000 bytes)
mtu=$(cat /sys/class/net/lo/mtu)
if ip link set lo mtu 1500; then
	for i in $(seq "$RUNS"); do
		"$PERF" -l "$LEN" -w 65536 -v > "$out/mtu$i" 2>&1
	done
	ip link set lo mtu "$mtu"
	echo "# bench: loopback MTU 1500:"
	table "$out"/mtu*
	grep -h '^# cpu' "$out"/mtu* | sed 's/^# /# bench: MTU 1500: /'
fi

# 1000 concurrent streams on one connection against one stream
for i in $(seq "$RUNS"); do
	for n in 1 1000; do
		"$PERF" -m quic -l "$LEN" -w 65536 -s $n 2>&1 |
			awk -v n=$n '$1 == 65536 { print n, $4 }'
	done
done > "$out/streams"
awk '
	{ v[$1, ++k[$1]] = $2 }
	function median(n,    a, m, t, i, j) {
		m = k[n]
		for (i = 1; i <= m; i++)
			a[i] = v[n, i]
		for (i = 1; i <= m; i++)
			for (j = i + 1; j <= m; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return a[int((m + 1) / 2)]
	}
	END {
		one = median(1); many = median(1000)
		printf "streams: 1 stream %.1f MB/s, 1000 streams %.1f MB/s, ratio %.2f (QUIC, 64 KiB writes)\n",
		       one, many, one ? many / one : 0
	}' "$out/streams" | sed 's/^/# bench: /'

certs=$(dirname "$0")/certs
"$PERF" -H "${QUIC_BENCH_HANDSHAKES:-200}" "$certs/server.key" \
	"$certs/server.pem" "$certs/ca.pem" 2>&1 | sed 's/^/# bench: /'

"$PERF" -I 1000 2>&1 | sed 's/^/# bench: /'
rm -rf "$out"
rmmod quic
