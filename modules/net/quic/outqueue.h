/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Send queue, loss detection and probe timeout, see outqueue.c.
 */

#ifndef __NET_QUIC_OUTQUEUE_H
#define __NET_QUIC_OUTQUEUE_H

#include <net/sock.h>

#include "connection.h"

unsigned long quic_conn_pto(struct sock *sk);
void quic_conn_arm_pto(struct sock *sk);
void quic_conn_pto_fire(struct sock *sk);

int quic_outq_crypto_queue(struct sock *sk, u8 level, struct iov_iter *from,
			   size_t len);
void quic_outq_ack(struct sock *sk, u8 space, const struct quic_frame *f);
void quic_outq_sent(struct sock *sk, u8 space, struct quic_sent *sent);
void quic_outq_unsent(struct sock *sk, u8 space, struct quic_sent *p);
/* What a connection holds besides skbs (stream and sent-packet records,
 * CRYPTO send buffers) is charged to the protocol's memory through
 * sk_forward_alloc, as queued send data is; under the socket lock.
 */
static inline bool quic_mem_charge(struct sock *sk, int size)
{
	if (!sk_wmem_schedule(sk, size))
		return false;
	sk_mem_charge(sk, size);
	return true;
}

static inline void quic_mem_uncharge(struct sock *sk, int size)
{
	sk_mem_uncharge(sk, size);
}

struct quic_sent *quic_sent_alloc(struct sock *sk);
void quic_sent_kfree(struct sock *sk, struct quic_sent *p);
void quic_sent_free(struct sock *sk, struct quic_sent *p);
void quic_sent_pool_trim(struct sock *sk, unsigned int keep);
void quic_outq_free(struct sock *sk);
void quic_outq_early_lost(struct sock *sk);
int quic_outq_stream_append(struct sock *sk, struct quic_stream *s,
			    struct iov_iter *from, size_t len, bool fin);
void quic_outq_skb_free(struct sock *sk, struct sk_buff *skb);
void quic_outq_purge(struct sock *sk, struct sk_buff_head *q);
int quic_outq_dgram_append(struct sock *sk, struct iov_iter *from,
			   size_t len);
bool quic_outq_app_data(struct sock *sk);
bool quic_outq_app_wants(struct sock *sk);
unsigned int quic_outq_app_burst(struct sock *sk, unsigned int size);
void quic_outq_flushed(struct sock *sk);
bool quic_outq_all_acked(struct sock *sk);
int quic_outq_app_fill(struct sock *sk, struct sk_buff *skb,
		       struct quic_sent *sent, unsigned int room);

#endif /* __NET_QUIC_OUTQUEUE_H */
