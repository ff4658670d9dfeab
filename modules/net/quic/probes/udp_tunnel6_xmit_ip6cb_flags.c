// SPDX-License-Identifier: GPL-2.0-or-later
/* udp_tunnel6_xmit_skb() takes IP6CB flags as its last argument. */
#include <net/udp_tunnel.h>

void quic_probe(struct dst_entry *dst, struct sock *sk, struct sk_buff *skb,
		struct in6_addr *a);
void quic_probe(struct dst_entry *dst, struct sock *sk, struct sk_buff *skb,
		struct in6_addr *a)
{
	udp_tunnel6_xmit_skb(dst, sk, skb, NULL, a, a, 0, 64, 0, 0, 0, false,
			     0);
}
