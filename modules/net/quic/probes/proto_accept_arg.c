// SPDX-License-Identifier: GPL-2.0-or-later
/* struct proto's accept() takes its arguments in struct proto_accept_arg. */
#include <net/sock.h>

static struct sock *quic_probe_accept(struct sock *sk,
				      struct proto_accept_arg *arg)
{
	return NULL;
}

struct proto quic_probe = {
	.accept = quic_probe_accept,
};
