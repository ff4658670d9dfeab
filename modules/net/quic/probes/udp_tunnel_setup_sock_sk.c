// SPDX-License-Identifier: GPL-2.0-or-later
/* setup_udp_tunnel_sock() takes the tunnel's struct sock (before, its
 * struct socket).
 */
#include <net/udp_tunnel.h>

void quic_probe(struct net *net, struct sock *sk,
		struct udp_tunnel_sock_cfg *cfg);
void quic_probe(struct net *net, struct sock *sk,
		struct udp_tunnel_sock_cfg *cfg)
{
	setup_udp_tunnel_sock(net, sk, cfg);
}
