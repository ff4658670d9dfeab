// SPDX-License-Identifier: GPL-2.0-or-later
/* udp_tunnel_xmit_skb() takes IPCB flags as its last argument. */
#include <net/udp_tunnel.h>

void quic_probe(struct rtable *rt, struct sock *sk, struct sk_buff *skb);
void quic_probe(struct rtable *rt, struct sock *sk, struct sk_buff *skb)
{
	udp_tunnel_xmit_skb(rt, sk, skb, 0, 0, 0, 64, 0, 0, 0, false, false,
			    0);
}
