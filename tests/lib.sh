# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Helpers the guest's shell tests (netem.sh, pmtu.sh, gro.sh) source:
# a TAP line per case, the module's MIB counters, network namespaces.

# One "ok - " or "not ok - " line, the details before it as comments.
report() {	# status description [details]
	[ -n "$3" ] && echo "$3" | sed 's/^/#   /'
	if [ "$1" = 0 ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
	fi
}

# A counter of /proc/net/quic/snmp, in a network namespace if one is
# named.
snmp() {	# [namespace] counter
	if [ $# -gt 1 ]; then
		ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' \
			/proc/net/quic/snmp
	else
		awk -v k="$1" '$1 == k { print $2 }' /proc/net/quic/snmp
	fi
}

netns_del() {	# namespace...
	local ns

	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
	done
}
