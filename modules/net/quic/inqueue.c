// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Receive queue: CRYPTO frames reassembled per level and delivered in
 * order to recvmsg() with their level, DATAGRAM frames and events (stream
 * data is reassembled in stream.c), datagrams that wait for their keys
 * (RFC 9001 section 5.7), and what a client keeps for its later
 * connections: session tickets and NEW_TOKEN tokens.
 */

#include <net/sock.h>

#include "inqueue.h"
#include "mib.h"
#include "packet.h"
#include "socket.h"

struct quic_ooo_cb {
	u64 offset;
};

#define QUIC_OOO_CB(skb)	((struct quic_ooo_cb *)&((skb)->cb[0]))

/**
 * quic_inq_charge - make a received skb the socket's
 * @sk: the socket, owned or bh-locked
 * @skb: the skb
 *
 * Charged to sk_rmem_alloc and the protocol's memory (net.quic.mem),
 * uncharged when it is freed.
 *
 * Return: false when the protocol is over its memory limit.
 */
bool quic_inq_charge(struct sock *sk, struct sk_buff *skb)
{
	if (!sk_rmem_schedule(sk, skb, skb->truesize))
		return false;
	skb_set_owner_r(skb, sk);
	return true;
}

#define QUIC_EVENT_ROOM		(64 * 1024)	/* for events beyond data */

/**
 * quic_inq_event - queue a notification for recvmsg()
 * @sk: the connection
 * @type: enum quic_event_type
 * @data: the event's content
 * @len: its length
 *
 * Only events enabled with QUIC_SOCKOPT_EVENT are queued; recvmsg()
 * returns the type byte then the content, with MSG_QUIC_NOTIFICATION.
 *
 * Return: 0, or -ENOBUFS/-ENOMEM when it could not be queued.
 */
int quic_inq_event(struct sock *sk, u8 type, const void *data, u32 len)
{
	struct sk_buff *skb;

	if (!(quic_sk(sk)->events & BIT(type)))
		return 0;
	/* above what data may take (twice sk_rcvbuf, stream.c): a reader
	 * that lags behind a transfer still gets its key update and
	 * stream events
	 */
	if ((u64)atomic_read(&sk->sk_rmem_alloc) >
	    2ULL * READ_ONCE(sk->sk_rcvbuf) + QUIC_EVENT_ROOM)
		return -ENOBUFS;
	skb = alloc_skb(1 + len, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_put_u8(skb, type);
	skb_put_data(skb, data, len);
	memset(QUIC_RCV_CB(skb), 0, sizeof(struct quic_rcv_cb));
	QUIC_RCV_CB(skb)->event = 1;
	if (!quic_inq_charge(sk, skb)) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
	return 0;
}

/**
 * quic_inq_data - queue stream data or a datagram for recvmsg()
 * @sk: the connection
 * @skb: it, charged to the socket, its quic_rcv_cb set
 *
 * Before the handshake completes (0-RTT data on a server) it waits, so
 * that recvmsg() gives the handshake its messages first.
 */
void quic_inq_data(struct sock *sk, struct sk_buff *skb)
{
	if (!quic_conn(sk)->hs_complete) {
		skb_queue_tail(&quic_conn(sk)->early_q, skb);
		return;
	}
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
}

/**
 * quic_inq_handshake_done - the handshake completed: what waited is
 * readable
 * @sk: the connection
 */
void quic_inq_handshake_done(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	if (skb_queue_empty(&c->early_q))
		return;
	spin_lock_bh(&sk->sk_receive_queue.lock);
	skb_queue_splice_tail_init(&c->early_q, &sk->sk_receive_queue);
	spin_unlock_bh(&sk->sk_receive_queue.lock);
	sk->sk_data_ready(sk);
}

/**
 * quic_inq_dgram - a DATAGRAM frame arrived
 * @sk: the connection
 * @skb: the datagram it is in (linear)
 * @f: the frame, its data inside @skb
 *
 * Queued for recvmsg() as a clone trimmed to the frame's data; dropped
 * when the receive buffer is full (datagrams are unreliable).
 */
void quic_inq_dgram(struct sock *sk, struct sk_buff *skb,
		    const struct quic_frame *f)
{
	struct sk_buff *nskb;

	if (atomic_read(&sk->sk_rmem_alloc) > READ_ONCE(sk->sk_rcvbuf))
		return;
	nskb = skb_clone(skb, GFP_ATOMIC);
	if (!nskb)
		return;
	__skb_pull(nskb, f->data.data - skb->data);
	__skb_trim(nskb, f->data.len);
	memset(QUIC_RCV_CB(nskb), 0, sizeof(struct quic_rcv_cb));
	QUIC_RCV_CB(nskb)->dgram = 1;
	if (!quic_inq_charge(sk, nskb)) {
		kfree_skb(nskb);
		return;
	}
	quic_inq_data(sk, nskb);
}

/**
 * quic_inq_close - a CONNECTION_CLOSE frame arrived
 * @sk: the connection
 * @f: the frame
 *
 * The peer's code, frame type and reason phrase are kept for
 * getsockopt(QUIC_SOCKOPT_CONNECTION_CLOSE) and reported by the
 * CONNECTION_CLOSE event; the connection is over: EPIPE when the peer
 * closed without an error (code 0, transport or application), else
 * ECONNRESET.
 */
void quic_inq_close(struct sock *sk, const struct quic_frame *f)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_connection_close ev = {};
	u32 len = min_t(u64, f->close.reason_len, QUIC_CLOSE_PHRASE_MAX_LEN - 1);

	c->close_errcode = f->close.error;
	c->close_frame = f->close.frame_type;
	c->close_phrase_len = len;
	memcpy(c->close_phrase, f->close.reason, len);
	c->close_phrase[len] = 0;
	ev.errcode = c->close_errcode;
	ev.frame = c->close_frame;
	memcpy(ev.phrase, c->close_phrase, len + 1);
	quic_inq_event(sk, QUIC_EVENT_CONNECTION_CLOSE, &ev,
		       offsetof(struct quic_connection_close, phrase) + len + 1);
	quic_conn_abort(sk, f->close.error ? ECONNRESET : EPIPE);
}

/* A client keeps post-handshake messages (NewSessionTicket) for
 * QUIC_SOCKOPT_SESSION_TICKET instead of queueing them, and reports them
 * with the NEW_SESSION_TICKET event.  They replace session data the user
 * set (a kernel consumer's, for its handshake).
 */
static int quic_inq_ticket(struct sock *sk, const u8 *data, unsigned int len)
{
	struct quic_conn *c = quic_conn(sk);
	u8 *t;

	if (c->ticket_user) {
		kfree(c->ticket);
		c->ticket = NULL;
		c->ticket_len = 0;
		c->ticket_user = 0;
	}
	if (c->ticket_len + len > QUIC_TICKET_MAX_LEN)
		return 0;		/* keep the first tickets only */
	t = krealloc(c->ticket, c->ticket_len + len, GFP_ATOMIC);
	if (!t)
		return 0;
	memcpy(t + c->ticket_len, data, len);
	c->ticket = t;
	c->ticket_len += len;
	return 0;
}

/**
 * quic_inq_new_token - a client received a NEW_TOKEN frame
 * @sk: the connection
 * @f: the frame
 *
 * The last token is kept for QUIC_SOCKOPT_TOKEN, charged to the socket;
 * one too long to keep is ignored.
 */
void quic_inq_new_token(struct sock *sk, const struct quic_frame *f)
{
	struct quic_conn *c = quic_conn(sk);
	u8 *t;

	if (f->data.len > QUIC_NEW_TOKEN_MAX)
		return;
	t = sock_kmalloc(sk, f->data.len, GFP_ATOMIC);
	if (!t)
		return;
	memcpy(t, f->data.data, f->data.len);
	if (c->new_token)
		sock_kfree_s(sk, c->new_token, c->new_token_len);
	c->new_token = t;
	c->new_token_len = f->data.len;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_NEW_TOKEN_RCV);
	quic_inq_event(sk, QUIC_EVENT_NEW_TOKEN, t, f->data.len);
}

/* Queue @len bytes of level @level for recvmsg(). */
static int quic_inq_deliver(struct sock *sk, u8 level, const u8 *data,
			    unsigned int len)
{
	struct sk_buff *skb;

	if (!len)
		return 0;
	if (level == QUIC_CRYPTO_APP && !quic_conn(sk)->is_serv) {
		quic_inq_event(sk, QUIC_EVENT_NEW_SESSION_TICKET, data, len);
		return quic_inq_ticket(sk, data, len);
	}
	if (atomic_read(&sk->sk_rmem_alloc) > READ_ONCE(sk->sk_rcvbuf))
		return -ENOBUFS;
	skb = alloc_skb(len, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_put_data(skb, data, len);
	memset(QUIC_RCV_CB(skb), 0, sizeof(struct quic_rcv_cb));
	QUIC_RCV_CB(skb)->level = level;
	if (!quic_inq_charge(sk, skb)) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
	return 0;
}

/* Out-of-order CRYPTO data of one level is kept in skbs sorted by offset,
 * without overlaps, charged to the socket's receive memory.  The peer
 * decides how it splits CRYPTO data, and before the handshake it may be
 * anyone: what that costs us is bounded by QUIC_CRYPTO_BUF_MAX bytes ahead
 * of what was delivered and QUIC_CRYPTO_OOO_MEM of memory (truesize) per
 * level, so a flood of tiny frames ends the connection
 * (CRYPTO_BUFFER_EXCEEDED) instead of growing it; the walks are bounded by
 * the number of skbs that memory allows.
 */
#define QUIC_CRYPTO_OOO_MEM	(2 * QUIC_CRYPTO_BUF_MAX)

static void quic_inq_ooo_unlink(struct sock *sk, struct quic_crypto_rx *r,
				struct sk_buff *skb)
{
	__skb_unlink(skb, &r->ooo);
	r->ooo_bytes -= skb->len;
	r->ooo_mem -= skb->truesize;
	atomic_sub(skb->truesize, &sk->sk_rmem_alloc);
	sk_mem_uncharge(sk, skb->truesize);
}

/* Keep [@off, @off + @len) of @data, the part no skb has yet. */
static int quic_inq_ooo_add(struct sock *sk, struct quic_crypto_rx *r,
			    u64 off, const u8 *data, u32 len)
{
	struct sk_buff *skb, *pos, *first, *next;
	u64 end = off + len, e;
	u32 freed = 0;

	/* the first skb after @off (or the list head), and what the one
	 * before covers, if there is one
	 */
	skb_queue_walk(&r->ooo, pos)
		if (QUIC_OOO_CB(pos)->offset > off)
			break;
	skb = pos->prev;
	if (skb != (struct sk_buff *)&r->ooo) {
		e = QUIC_OOO_CB(skb)->offset + skb->len;
		if (e >= end)
			return 0;		/* a duplicate */
		if (e > off) {
			data += e - off;
			off = e;
		}
	}
	/* skbs inside the new range go (once the new one is in hand); the
	 * next one bounds it
	 */
	first = pos;
	for (; pos != (struct sk_buff *)&r->ooo; pos = pos->next) {
		if (QUIC_OOO_CB(pos)->offset >= end)
			break;
		e = QUIC_OOO_CB(pos)->offset + pos->len;
		if (e > end) {
			end = QUIC_OOO_CB(pos)->offset;
			break;
		}
		freed += pos->truesize;
	}
	len = end - off;
	if (!len)
		return 0;

	skb = alloc_skb(len, GFP_ATOMIC);
	if (!skb)
		return 0;			/* nothing changed */
	if (r->ooo_mem - freed + skb->truesize > QUIC_CRYPTO_OOO_MEM ||
	    atomic_read(&sk->sk_rmem_alloc) - freed + skb->truesize >
	    READ_ONCE(sk->sk_rcvbuf) ||
	    !sk_rmem_schedule(sk, skb, skb->truesize)) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	for (; first != pos; first = next) {
		next = first->next;
		quic_inq_ooo_unlink(sk, r, first);
		consume_skb(first);
	}
	skb_put_data(skb, data, len);
	QUIC_OOO_CB(skb)->offset = off;
	if (pos == (struct sk_buff *)&r->ooo)
		__skb_queue_tail(&r->ooo, skb);
	else
		__skb_queue_before(&r->ooo, pos, skb);
	r->ooo_bytes += len;
	r->ooo_mem += skb->truesize;
	atomic_add(skb->truesize, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, skb->truesize);
	return 0;
}

/**
 * quic_inq_crypto - a CRYPTO frame arrived
 * @sk: the connection
 * @level: its encryption level
 * @f: the frame
 *
 * Return: 0, or -ENOBUFS when the peer sends too far ahead or in too
 * many pieces (CRYPTO_BUFFER_EXCEEDED) or we cannot keep up.
 */
int quic_inq_crypto(struct sock *sk, u8 level, const struct quic_frame *f)
{
	struct quic_crypto_rx *r = &quic_conn(sk)->crx[quic_level_space(level)];
	u64 off = f->data.offset, end = off + f->data.len;
	struct sk_buff *skb;
	int err;

	if (end <= r->offset)
		return 0;			/* old data */
	if (end - r->offset > QUIC_CRYPTO_BUF_MAX)
		return -ENOBUFS;
	if (off > r->offset)
		return quic_inq_ooo_add(sk, r, off, f->data.data, f->data.len);
	err = quic_inq_deliver(sk, level, f->data.data + (r->offset - off),
			       end - r->offset);
	if (err)
		return err;
	r->offset = end;

	/* what was waiting may now be in order */
	while ((skb = skb_peek(&r->ooo)) &&
	       QUIC_OOO_CB(skb)->offset <= r->offset) {
		quic_inq_ooo_unlink(sk, r, skb);
		end = QUIC_OOO_CB(skb)->offset + skb->len;
		if (end > r->offset) {
			err = quic_inq_deliver(sk, level,
					       skb->data + (r->offset -
							    QUIC_OOO_CB(skb)->offset),
					       end - r->offset);
			if (!err)
				r->offset = end;
		}
		consume_skb(skb);
		if (err)
			return err;
	}
	return 0;
}

/**
 * quic_inq_crypto_purge - drop a level's out-of-order CRYPTO data
 * @sk: the connection
 * @space: the level's packet number space
 */
void quic_inq_crypto_purge(struct sock *sk, u8 space)
{
	struct quic_crypto_rx *r = &quic_conn(sk)->crx[space];
	struct sk_buff *skb;

	while ((skb = skb_peek(&r->ooo))) {
		quic_inq_ooo_unlink(sk, r, skb);
		consume_skb(skb);
	}
}

/**
 * quic_inq_replay_pending - process datagrams that waited for keys
 * @sk: the connection, owned by the caller (lock_sock())
 */
void quic_inq_replay_pending(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct sk_buff_head q;
	struct sk_buff *skb;

	__skb_queue_head_init(&q);
	spin_lock_bh(&c->pending.lock);
	skb_queue_splice_init(&c->pending, &q);
	spin_unlock_bh(&c->pending.lock);
	local_bh_disable();
	while ((skb = __skb_dequeue(&q)))
		quic_packet_rcv(sk, skb);
	local_bh_enable();
}
