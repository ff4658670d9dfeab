/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Receive queue: CRYPTO data, datagrams, events, tickets and tokens,
 * see inqueue.c.
 */

#ifndef __NET_QUIC_INQUEUE_H
#define __NET_QUIC_INQUEUE_H

#include "connection.h"

int quic_inq_crypto(struct sock *sk, u8 level, const struct quic_frame *f);
void quic_inq_crypto_purge(struct sock *sk, u8 space);
void quic_inq_replay_pending(struct sock *sk);
void quic_inq_new_token(struct sock *sk, const struct quic_frame *f);
bool quic_inq_charge(struct sock *sk, struct sk_buff *skb);
int quic_inq_event(struct sock *sk, u8 type, const void *data, u32 len);
void quic_inq_close(struct sock *sk, const struct quic_frame *f);
void quic_inq_data(struct sock *sk, struct sk_buff *skb);
void quic_inq_handshake_done(struct sock *sk);
void quic_inq_dgram(struct sock *sk, struct sk_buff *skb,
		    const struct quic_frame *f);

#endif /* __NET_QUIC_INQUEUE_H */
