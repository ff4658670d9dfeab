// SPDX-License-Identifier: GPL-2.0-or-later
/* sk_uid() reads a socket's owner (sock_i_uid() before). */
#include <net/sock.h>

kuid_t quic_probe(const struct sock *sk);
kuid_t quic_probe(const struct sock *sk)
{
	return sk_uid(sk);
}
