// SPDX-License-Identifier: GPL-2.0-or-later
/* sk_free_unlock_clone() frees a socket sk_clone_lock() made. */
#include <net/sock.h>

void quic_probe(struct sock *sk);
void quic_probe(struct sock *sk)
{
	sk_free_unlock_clone(sk);
}
