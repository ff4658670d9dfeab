/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Streams (RFC 9000 sections 2-4): the table of a connection's streams,
 * their send and receive state machines, stream limits and flow control
 * at stream and connection level.
 */

#ifndef __NET_QUIC_STREAM_H
#define __NET_QUIC_STREAM_H

#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/xarray.h>

#define QUIC_RECV_WINDOW_MAX	(16 << 20)	/* autotuning's limit */
#define QUIC_STREAM_CHUNK	SKB_WITH_OVERHEAD(16384)	/* send buffer */

/* A send buffer chunk: the stream offset of its first byte and how many
 * of its bytes the peer acknowledged.
 */
struct quic_snd_cb {
	u64 offset;
	u32 acked;
};

#define QUIC_SND_CB(skb)	((struct quic_snd_cb *)&((skb)->cb[0]))

struct quic_stream {
	struct list_head send_node;	/* on quic_streams.send_list */
	s64 id;

	/* send side: offsets of the stream's bytes */
	u8 send_state;			/* QUIC_STREAM_SEND_STATE_* */
	u8 fin_queued:1;		/* the application ended the stream */
	u8 fin_sent:1;			/* in flight or acknowledged */
	u8 fin_acked:1;
	u8 reset_pending:1;		/* RESET_STREAM to send */
	u8 max_data_pending:1;		/* MAX_STREAM_DATA to send */
	u8 stop_pending:1;		/* STOP_SENDING to send */
	u8 blocked_pending:1;		/* STREAM_DATA_BLOCKED to send */
	u8 in_send_list:1;
	u32 send_errcode;		/* of our RESET_STREAM */
	u32 stop_errcode;		/* of our STOP_SENDING */
	u64 send_max;			/* the peer's MAX_STREAM_DATA */
	u64 send_len;			/* queued by the application */
	u64 send_off;			/* next byte sent for the first time */
	u64 send_acked;			/* acknowledged from the start */
	u64 send_blocked_at;		/* limit of the last BLOCKED sent */
	struct sk_buff_head sendq;	/* unacknowledged chunks, in order */

	/* receive side */
	u8 recv_state;			/* QUIC_STREAM_RECV_STATE_* */
	u8 recv_fin_delivered:1;	/* FIN queued for recvmsg() */
	u32 recv_errcode;		/* of the peer's RESET_STREAM */
	u64 recv_off;			/* delivered in order */
	u64 recv_highest;		/* largest offset received */
	u64 recv_max;			/* our MAX_STREAM_DATA */
	u64 recv_window;		/* grows with the rate (autotuning) */
	ktime_t recv_update;		/* when recv_max last moved */
	u64 recv_read;			/* read by the application */
	u64 final_size;			/* U64_MAX while unknown */
	struct rb_root ooo;		/* out of order, by offset, without
					 * overlaps (skb->rbnode)
					 */
	u32 ooo_grown;			/* truesize added to it since it was
					 * last collapsed
					 */
	struct sock *peeled;		/* its own socket (peeloff.c) */
};

struct quic_streams {
	struct xarray xa;		/* by quic_stream_index() */
	struct list_head send_list;	/* streams with frames to send */
	u32 count;

	/* streams we open: counts of each type, and the peer's limits */
	u64 next_bidi;
	u64 next_uni;
	u64 peer_max_bidi;
	u64 peer_max_uni;
	u8 streams_blocked_bidi:1;	/* STREAMS_BLOCKED to send */
	u8 streams_blocked_uni:1;
	/* streams the peer opens: counts opened and closed, our limits */
	u64 opened_bidi;
	u64 opened_uni;
	u64 closed_bidi;
	u64 closed_uni;
	u64 max_bidi;
	u64 max_uni;
	u64 limit_bidi;			/* concurrently open, advertised */
	u64 limit_uni;
	u8 max_streams_bidi_pending:1;
	u8 max_streams_uni_pending:1;
	s64 last_id;			/* default stream, -1 for none */

	/* connection flow control */
	u64 send_max;			/* the peer's MAX_DATA */
	u64 send_total;			/* new bytes sent, all streams */
	u64 send_blocked_at;
	u8 max_data_pending:1;
	u8 data_blocked_pending:1;
	u8 ready:1;			/* initialised at establishment */
	u64 recv_max;			/* our MAX_DATA */
	u64 recv_window;		/* grows with the rate (autotuning) */
	u64 recv_window_max;		/* how far it may grow */
	ktime_t recv_update;		/* when recv_max last moved */
	u64 recv_total;			/* highest offsets, all streams */
	u64 recv_read;
};

static inline bool quic_stream_is_uni(s64 id)
{
	return id & 0x02;
}

static inline bool quic_stream_is_server(s64 id)
{
	return id & 0x01;
}

struct sock;
struct quic_frame;

void quic_streams_init(struct quic_streams *st);

/* Every stream of a connection, in order of type then number; a stream
 * may be freed on the way.
 */
#define quic_streams_for_each(st, i, s)	xa_for_each(&(st)->xa, i, s)
void quic_streams_free(struct sock *sk);
void quic_streams_start(struct sock *sk);
void quic_streams_peer_params(struct sock *sk);
struct quic_stream *quic_stream_find(struct quic_streams *st, s64 id);
struct quic_stream *quic_stream_send_get(struct sock *sk, s64 id, u32 flags,
					 int *err);
bool quic_stream_send_get_ready(struct sock *sk, s64 id, u32 flags);
s64 quic_stream_open_next(struct sock *sk, bool uni);
void quic_stream_send_queue(struct quic_streams *st, struct quic_stream *s);
void quic_stream_try_free(struct sock *sk, struct quic_stream *s);
/* sendmsg() without a QUIC_STREAM_INFO cmsg: see quic_stream_send_get() */
#define QUIC_STREAM_ID_ACTIVE	(-2)

bool quic_stream_can_send(const struct quic_stream *s);
bool quic_stream_can_recv(const struct quic_stream *s);

int quic_stream_rcv(struct sock *sk, struct sk_buff *skb,
		    const struct quic_frame *f, u64 *errcode);
int quic_stream_rcv_reset(struct sock *sk, const struct quic_frame *f,
			  u64 *errcode);
int quic_stream_rcv_stop(struct sock *sk, const struct quic_frame *f,
			 u64 *errcode);
int quic_stream_rcv_limit(struct sock *sk, const struct quic_frame *f,
			  u64 *errcode);
void quic_stream_read(struct sock *sk, s64 id, u32 len, bool fin);
int quic_stream_reset(struct sock *sk, s64 id, u32 errcode);
int quic_stream_stop_sending(struct sock *sk, s64 id, u32 errcode);
struct sk_buff *quic_stream_chunk(struct quic_stream *s, u64 off);
void quic_stream_send_acked(struct sock *sk, s64 id, u64 off, u32 len,
			    bool fin);
void quic_stream_reset_acked(struct sock *sk, s64 id);

#endif /* __NET_QUIC_STREAM_H */
