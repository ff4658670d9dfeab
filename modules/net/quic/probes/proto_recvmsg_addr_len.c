// SPDX-License-Identifier: GPL-2.0-or-later
/* struct proto's recvmsg() has an addr_len argument. */
#include <net/sock.h>

static int quic_probe_recvmsg(struct sock *sk, struct msghdr *msg,
			      size_t len, int flags, int *addr_len)
{
	return 0;
}

struct proto quic_probe = {
	.recvmsg = quic_probe_recvmsg,
};
