// SPDX-License-Identifier: GPL-2.0-or-later
/* struct proto says where struct ipv6_pinfo sits in the socket. */
#include <net/sock.h>

struct proto quic_probe = {
	.ipv6_pinfo_offset = 0,
};
