// SPDX-License-Identifier: GPL-2.0-or-later
/* bind() and connect() of struct proto and struct proto_ops take
 * struct sockaddr_unsized.
 */
#include <net/sock.h>

static int quic_probe_bind(struct sock *sk, struct sockaddr_unsized *a,
			   int len)
{
	return 0;
}

static int quic_probe_ops_bind(struct socket *sock,
			       struct sockaddr_unsized *a, int len)
{
	return 0;
}

struct proto quic_probe = {
	.bind = quic_probe_bind,
};

const struct proto_ops quic_probe_ops = {
	.bind = quic_probe_ops_bind,
};
