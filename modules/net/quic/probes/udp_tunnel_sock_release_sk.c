// SPDX-License-Identifier: GPL-2.0-or-later
/* udp_tunnel_sock_release() takes the tunnel's struct sock (before, its
 * struct socket).
 */
#include <net/udp_tunnel.h>

void quic_probe(struct sock *sk);
void quic_probe(struct sock *sk)
{
	udp_tunnel_sock_release(sk);
}
