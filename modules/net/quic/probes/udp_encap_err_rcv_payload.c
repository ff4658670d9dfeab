// SPDX-License-Identifier: GPL-2.0-or-later
/* The ICMP error hook of UDP tunnel sockets gets a pointer past the
 * quoted UDP header (before, its offset).
 */
#include <net/udp_tunnel.h>

static void quic_probe_err(struct sock *sk, struct sk_buff *skb, int err,
			   __be16 port, u32 info, u8 *payload)
{
}

struct udp_tunnel_sock_cfg quic_probe = {
	.encap_err_rcv = quic_probe_err,
};
