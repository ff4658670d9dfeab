// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Streams (RFC 9000 sections 2-4): the connection's table of streams,
 * opening them (by us on send, by the peer implicitly with its frames,
 * within the limits each side advertised), the send and receive state
 * machines, and flow control.
 *
 * Receive: STREAM frames arrive from frame_rx.c.  Data in order is queued on
 * the socket's receive queue as clones of the datagram, trimmed to the
 * frame's bytes and tagged with the stream id; data out of order waits in
 * the stream's ooo tree, without overlaps (what is held already is cut
 * from what arrives, what arrives replaces what it covers).  Memory is
 * the bound, not bytes: data out of order is kept while the socket's
 * receive memory is within sk_rcvbuf, data in order (which the reader
 * frees) within twice that; a packet with a frame we could not keep is
 * not acknowledged, so the peer sends its frames again later, and the
 * rest of it (acknowledgments above all) still counts.  QUIC forbids
 * forgetting acknowledged data, so nothing held is ever pruned.
 * recvmsg() reports what it reads through
 * quic_stream_read(), which grows the receive windows (MAX_DATA,
 * MAX_STREAM_DATA).
 *
 * Send: sendmsg() appends chunks to a stream's sendq (outqueue.c) and
 * puts the stream on the send list; tx.c builds STREAM frames from
 * there within the peer's credit.  Acknowledged chunks are freed.
 *
 * Everything here runs under the socket lock or its bh lock.
 */

#include <linux/slab.h>
#include <net/sock.h>

#include "inqueue.h"
#include "mib.h"
#include "outqueue.h"
#include "socket.h"
#include "stream.h"

void quic_streams_init(struct quic_streams *st)
{
	memset(st, 0, sizeof(*st));
	/* process context (sendmsg(), recvmsg()) and bottom halves */
	xa_init_flags(&st->xa, XA_FLAGS_LOCK_BH);
	INIT_LIST_HEAD(&st->send_list);
	st->last_id = -1;
}

/* The index of stream @id in quic_streams.xa: its type in the top two
 * bits, its number below, so that the streams of a type are dense.
 */
#define QUIC_STREAM_NUM_MAX	(ULONG_MAX >> 2)

static unsigned long quic_stream_index(s64 id)
{
	return (unsigned long)(id & 3) << (BITS_PER_LONG - 2) |
	       ((u64)id >> 2 & QUIC_STREAM_NUM_MAX);
}

struct quic_stream *quic_stream_find(struct quic_streams *st, s64 id)
{
	struct quic_stream *s = xa_load(&st->xa, quic_stream_index(id));

	return s && s->id == id ? s : NULL;
}

static bool quic_stream_is_local(struct sock *sk, s64 id)
{
	return quic_stream_is_server(id) == !!quic_conn(sk)->is_serv;
}

/* The send side exists unless the peer opened a unidirectional stream,
 * the receive side unless we did.
 */
bool quic_stream_can_send(const struct quic_stream *s)
{
	return s->send_state <= QUIC_STREAM_SEND_STATE_SEND && !s->fin_queued;
}

bool quic_stream_can_recv(const struct quic_stream *s)
{
	return s->recv_state <= QUIC_STREAM_RECV_STATE_RECVD;
}

static struct quic_stream *quic_stream_create(struct sock *sk, s64 id)
{
	struct quic_transport_param *l = &quic_sk(sk)->local;
	struct quic_transport_param *r = &quic_sk(sk)->remote;
	struct quic_streams *st = &quic_conn(sk)->streams;
	bool local = quic_stream_is_local(sk, id);
	struct quic_stream *s;

	if ((u64)id >> 2 > QUIC_STREAM_NUM_MAX ||
	    !quic_mem_charge(sk, sizeof(*s)))
		return NULL;
	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s) {
		quic_mem_uncharge(sk, sizeof(*s));
		return NULL;
	}

	s->id = id;
	INIT_LIST_HEAD(&s->send_node);
	skb_queue_head_init(&s->sendq);
	s->ooo = RB_ROOT;
	s->final_size = U64_MAX;
	s->send_state = QUIC_STREAM_SEND_STATE_READY;
	s->recv_state = QUIC_STREAM_RECV_STATE_RECV;
	if (quic_stream_is_uni(id)) {
		if (local) {
			s->send_max = r->max_stream_data_uni;
			s->recv_state = QUIC_STREAM_RECV_STATE_READ;
		} else {
			s->recv_window = l->max_stream_data_uni;
			s->send_state = QUIC_STREAM_SEND_STATE_RECVD;
		}
	} else if (local) {
		s->send_max = r->max_stream_data_bidi_remote;
		s->recv_window = l->max_stream_data_bidi_local;
	} else {
		s->send_max = r->max_stream_data_bidi_local;
		s->recv_window = l->max_stream_data_bidi_remote;
	}
	s->recv_max = s->recv_window;
	s->recv_update = ktime_get();
	if (xa_is_err(xa_store_bh(&st->xa, quic_stream_index(id), s,
				  GFP_ATOMIC))) {
		kfree(s);
		quic_mem_uncharge(sk, sizeof(*s));
		return NULL;
	}
	st->count++;
	return s;
}

static s64 quic_stream_local_id(struct sock *sk, u64 n, bool uni)
{
	return (s64)(n << 2) | (uni ? QUIC_STREAM_TYPE_UNI_MASK : 0) |
	       (quic_conn(sk)->is_serv ? QUIC_STREAM_TYPE_SERVER_MASK : 0);
}

/* Open our streams up to and including number @n of a type: a stream
 * opens the lower numbered ones of its type too (RFC 9000 section 3.2).
 */
static struct quic_stream *quic_stream_open_local(struct sock *sk, u64 n,
						  bool uni, int *err)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	u64 *next = uni ? &st->next_uni : &st->next_bidi;
	u64 max = uni ? st->peer_max_uni : st->peer_max_bidi;
	struct quic_stream *s = NULL;

	if (n >= max) {
		if (uni)
			st->streams_blocked_uni = 1;
		else
			st->streams_blocked_bidi = 1;
		*err = -EAGAIN;		/* until MAX_STREAMS */
		return NULL;
	}
	while (*next <= n) {
		s = quic_stream_create(sk, quic_stream_local_id(sk, *next, uni));
		if (!s) {
			*err = -ENOMEM;
			return NULL;
		}
		(*next)++;
	}
	st->last_id = s->id;
	return s;
}

/**
 * quic_stream_open_next - open our next stream of a type
 * @sk: the connection, owned by the caller
 * @uni: unidirectional, else bidirectional
 *
 * Return: the stream id, -EAGAIN when the peer's limit is reached (after
 * queueing STREAMS_BLOCKED), or another negative error.
 */
s64 quic_stream_open_next(struct sock *sk, bool uni)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_stream *s;
	int err = 0;

	if (!st->ready)
		return -ENOTCONN;
	s = quic_stream_open_local(sk, uni ? st->next_uni : st->next_bidi, uni,
				   &err);
	return s ? s->id : err;
}

/**
 * quic_stream_send_get - the stream sendmsg() writes to
 * @sk: the connection, owned by the caller
 * @id: the stream id of the QUIC_STREAM_INFO cmsg, -1 for the default
 * @flags: its stream flags
 * @err: the error when NULL is returned
 *
 * -1 with MSG_QUIC_STREAM_NEW opens our next stream (unidirectional with
 * MSG_QUIC_STREAM_UNI); -1 alone is the stream last opened, or a new
 * bidirectional one.  An id of ours not opened yet opens it.
 * QUIC_STREAM_ID_ACTIVE (send() without a cmsg) is -1 alone; with
 * MSG_QUIC_STREAM_NEW it opens a stream only when the one last opened can
 * no longer send (-EINVAL while it can), so that programs that always
 * pass the flag keep writing to one stream.
 *
 * Return: the stream; NULL with *err -EAGAIN when the peer's stream
 * limit blocks opening it, -EINVAL for an id that cannot be sent on,
 * -EPIPE when the send side or the whole stream is closed.
 */
struct quic_stream *quic_stream_send_get(struct sock *sk, s64 id, u32 flags,
					 int *err)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_stream *s;
	bool uni;

	if (id == QUIC_STREAM_ID_ACTIVE) {
		s = st->last_id >= 0 ? quic_stream_find(st, st->last_id) : NULL;
		if ((flags & MSG_QUIC_STREAM_NEW) && s &&
		    (!quic_stream_is_uni(s->id) ||
		     quic_stream_is_local(sk, s->id)) &&
		    quic_stream_can_send(s)) {
			*err = -EINVAL;
			return NULL;
		}
		id = -1;
	}
	if (id == -1) {
		if (!(flags & MSG_QUIC_STREAM_NEW) && st->last_id >= 0) {
			id = st->last_id;
		} else {
			uni = flags & MSG_QUIC_STREAM_UNI;
			return quic_stream_open_local(sk, uni ? st->next_uni :
						      st->next_bidi, uni, err);
		}
	}
	*err = -EINVAL;
	if (id < 0 || id >= (s64)(QUIC_MAX_STREAMS_LIMIT << 2))
		return NULL;
	s = quic_stream_find(st, id);
	if (!s) {
		u64 n = (u64)id >> 2;

		uni = quic_stream_is_uni(id);
		if (!quic_stream_is_local(sk, id)) {
			/* one the peer opened and both sides closed */
			if (!uni && n < st->opened_bidi)
				*err = -EPIPE;
			return NULL;
		}
		if (n < (uni ? st->next_uni : st->next_bidi)) {
			*err = -EPIPE;	/* closed */
			return NULL;
		}
		return quic_stream_open_local(sk, n, uni, err);
	}
	if (quic_stream_is_uni(id) && !quic_stream_is_local(sk, id))
		return NULL;
	if (!quic_stream_can_send(s)) {
		*err = -EPIPE;
		return NULL;
	}
	return s;
}

/**
 * quic_stream_send_get_ready - would quic_stream_send_get() open the
 * stream without waiting for the peer's MAX_STREAMS?
 * @sk: the connection
 * @id: as for quic_stream_send_get()
 * @flags: likewise
 *
 * Return: true when the peer's limit lets it open.
 */
bool quic_stream_send_get_ready(struct sock *sk, s64 id, u32 flags)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	bool uni;
	u64 n;

	if (id == QUIC_STREAM_ID_ACTIVE)
		id = -1;	/* waited for only to open a new one */
	if (id == -1) {
		if (!(flags & MSG_QUIC_STREAM_NEW) && st->last_id >= 0)
			return true;
		uni = flags & MSG_QUIC_STREAM_UNI;
		n = uni ? st->next_uni : st->next_bidi;
	} else {
		uni = quic_stream_is_uni(id);
		n = (u64)id >> 2;
	}
	return n < (uni ? st->peer_max_uni : st->peer_max_bidi);
}

/* The stream a frame from the peer refers to, opened if it is the peer's
 * and new.  NULL with *errcode 0: a closed stream, ignore the frame.
 * @send: the frame is about our sending side.
 */
static struct quic_stream *quic_stream_rcv_get(struct sock *sk, s64 id,
					       bool send, u64 *errcode)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	bool uni = quic_stream_is_uni(id);
	struct quic_stream *s;
	u64 n = (u64)id >> 2, *opened, max;

	*errcode = QUIC_TRANSPORT_ERROR_STREAM_STATE;
	if (uni && quic_stream_is_local(sk, id) != send)
		return NULL;	/* that side does not exist */
	s = quic_stream_find(st, id);
	if (s) {
		*errcode = 0;
		return s;
	}
	if (quic_stream_is_local(sk, id)) {
		if (n >= (uni ? st->next_uni : st->next_bidi))
			return NULL;	/* not opened yet */
		*errcode = 0;
		return NULL;
	}
	opened = uni ? &st->opened_uni : &st->opened_bidi;
	max = uni ? st->max_uni : st->max_bidi;
	*errcode = 0;
	if (n < *opened)
		return NULL;		/* closed */
	if (n >= max) {
		*errcode = QUIC_TRANSPORT_ERROR_STREAM_LIMIT;
		return NULL;
	}
	while (*opened <= n) {
		s = quic_stream_create(sk, (s64)(*opened << 2) | (id & 0x03));
		if (!s) {
			*errcode = QUIC_TRANSPORT_ERROR_INTERNAL;
			return NULL;
		}
		(*opened)++;
	}
	if (!uni)
		st->last_id = s->id;	/* the default stream for send() */
	return s;
}

/**
 * quic_stream_send_queue - the stream has frames to send
 * @st: the connection's streams
 * @s: the stream
 */
void quic_stream_send_queue(struct quic_streams *st, struct quic_stream *s)
{
	if (!s->in_send_list) {
		list_add_tail(&s->send_node, &st->send_list);
		s->in_send_list = 1;
	}
}

static void quic_stream_update_event(struct sock *sk, struct quic_stream *s,
				     u8 state, u32 errcode, u64 finalsz)
{
	struct quic_stream_update u = {
		.id = s->id,
		.state = state,
		.errcode = errcode,
		.finalsz = finalsz,
	};

	quic_inq_event(sk, QUIC_EVENT_STREAM_UPDATE, &u, sizeof(u));
}

/* Drop what waited out of order (skb_rbtree_purge() is not exported). */
static void quic_stream_ooo_purge(struct quic_stream *s)
{
	struct rb_node *n = rb_first(&s->ooo);
	struct sk_buff *skb;

	while (n) {
		skb = rb_to_skb(n);
		n = rb_next(n);
		rb_erase(&skb->rbnode, &s->ooo);
		kfree_skb(skb);
	}
}

static void quic_stream_free(struct sock *sk, struct quic_stream *s)
{
	struct quic_streams *st = &quic_conn(sk)->streams;

	xa_erase_bh(&st->xa, quic_stream_index(s->id));
	if (s->in_send_list)
		list_del(&s->send_node);
	quic_outq_purge(sk, &s->sendq);
	quic_stream_ooo_purge(s);
	st->count--;
	kfree(s);
	quic_mem_uncharge(sk, sizeof(*s));
}

/**
 * quic_stream_try_free - forget a stream both sides of which are done
 * @sk: the connection
 * @s: the stream
 *
 * A stream the peer opened makes room for another: MAX_STREAMS goes out
 * with the new limit.
 */
void quic_stream_try_free(struct sock *sk, struct quic_stream *s)
{
	struct quic_streams *st = &quic_conn(sk)->streams;

	if ((s->send_state != QUIC_STREAM_SEND_STATE_RECVD &&
	     s->send_state != QUIC_STREAM_SEND_STATE_RESET_RECVD) ||
	    (s->recv_state != QUIC_STREAM_RECV_STATE_READ &&
	     s->recv_state != QUIC_STREAM_RECV_STATE_RESET_READ))
		return;
	if (!quic_stream_is_local(sk, s->id)) {
		if (quic_stream_is_uni(s->id)) {
			st->closed_uni++;
			st->max_uni = st->closed_uni + st->limit_uni;
			st->max_streams_uni_pending = 1;
		} else {
			st->closed_bidi++;
			st->max_bidi = st->closed_bidi + st->limit_bidi;
			st->max_streams_bidi_pending = 1;
		}
	}
	quic_stream_free(sk, s);
}

/* Autotuning: the receive buffer follows our windows (three times the
 * window, for the skbs' overhead and data out of order), the send buffer
 * what the peer lets us send (twice it), each within net.quic.rmem's or
 * net.quic.wmem's max and never when the application set it.
 */
static void quic_stream_rcvbuf_grow(struct sock *sk, u64 want)
{
	u64 max = READ_ONCE(quic_net(sock_net(sk))->rmem[2]);

	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		WRITE_ONCE(sk->sk_rcvbuf, max_t(u64, sk->sk_rcvbuf,
						min_t(u64, want, max)));
}

static void quic_stream_sndbuf_grow(struct sock *sk, u64 want)
{
	u64 max = READ_ONCE(quic_net(sock_net(sk))->wmem[2]);

	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		WRITE_ONCE(sk->sk_sndbuf, max_t(u64, sk->sk_sndbuf,
						min_t(u64, want, max)));
}

/**
 * quic_streams_start - the handshake is complete: streams may open
 * @sk: the connection
 *
 * Limits and credit come from both sides' transport parameters.  Unless
 * the application fixed them, the socket buffers are sized for the
 * receive window and the send window we may fill.
 */
void quic_streams_start(struct sock *sk)
{
	struct quic_transport_param *l = &quic_sk(sk)->local;
	struct quic_transport_param *r = &quic_sk(sk)->remote;
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_net *qn = quic_net(sock_net(sk));

	if (st->ready)
		return;
	st->peer_max_bidi = r->max_streams_bidi;
	st->peer_max_uni = r->max_streams_uni;
	st->send_max = r->max_data;
	st->limit_bidi = l->max_streams_bidi;
	st->limit_uni = l->max_streams_uni;
	st->max_bidi = st->limit_bidi;
	st->max_uni = st->limit_uni;
	st->recv_window = l->max_data;
	st->recv_max = l->max_data;
	st->recv_update = ktime_get();
	/* a receive buffer the application fixed bounds the window, else
	 * net.quic.rmem's max does: the window grows to half of it
	 */
	st->recv_window_max = sk->sk_userlocks & SOCK_RCVBUF_LOCK ?
			      l->max_data :
			      max_t(u64, l->max_data,
				    min_t(u64, QUIC_RECV_WINDOW_MAX,
					  READ_ONCE(qn->rmem[2]) / 2));
	st->ready = 1;
	quic_stream_rcvbuf_grow(sk, 3 * l->max_data);
	quic_stream_sndbuf_grow(sk, 2 * r->max_data);
}

/**
 * quic_streams_peer_params - the peer's transport parameters arrived
 * @sk: the connection
 *
 * Streams that started with remembered parameters (0-RTT) take the new
 * limits where they are larger; an accepting server never lowers them
 * (RFC 9000 section 7.4.1).
 */
void quic_streams_peer_params(struct sock *sk)
{
	struct quic_transport_param *r = &quic_sk(sk)->remote;
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_stream *s;
	unsigned long i;

	if (!st->ready)
		return;
	st->send_max = max_t(u64, st->send_max, r->max_data);
	st->peer_max_bidi = max_t(u64, st->peer_max_bidi, r->max_streams_bidi);
	st->peer_max_uni = max_t(u64, st->peer_max_uni, r->max_streams_uni);
	quic_streams_for_each(st, i, s)
		s->send_max = max_t(u64, s->send_max,
				    quic_stream_is_uni(s->id) ?
				    r->max_stream_data_uni :
				    r->max_stream_data_bidi_remote);
}

/**
 * quic_streams_free - free every stream of a connection
 * @sk: the connection
 */
void quic_streams_free(struct sock *sk)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_stream *s;
	unsigned long i;

	quic_streams_for_each(st, i, s)
		quic_stream_free(sk, s);
	xa_destroy(&st->xa);
}

/* Queue in-order bytes for recvmsg(): @skb, charged to the socket. */
static void quic_stream_deliver(struct sock *sk, struct quic_stream *s,
				struct sk_buff *skb)
{
	struct quic_rcv_cb *cb = QUIC_RCV_CB(skb);

	s->recv_off += skb->len;
	memset(cb, 0, sizeof(*cb));
	cb->stream_id = s->id;
	cb->stream = 1;
	cb->fin = s->recv_off == s->final_size;
	if (cb->fin) {
		s->recv_fin_delivered = 1;
		s->recv_state = QUIC_STREAM_RECV_STATE_RECVD;
	}
	if (s->peeled)
		quic_peeloff_deliver(s->peeled, skb);
	else
		quic_inq_data(sk, skb);
}

/* Deliver what waited out of order and is now in order. */
static void quic_stream_ooo_drain(struct sock *sk, struct quic_stream *s)
{
	struct sk_buff *skb;
	u64 off;

	while ((skb = skb_rb_first(&s->ooo))) {
		off = QUIC_RCV_CB(skb)->offset;
		if (off > s->recv_off)
			break;
		rb_erase(&skb->rbnode, &s->ooo);
		if (off + skb->len <= s->recv_off) {
			consume_skb(skb);	/* all delivered already */
			continue;
		}
		__skb_pull(skb, s->recv_off - off);
		QUIC_RCV_CB(skb)->offset = s->recv_off;
		quic_stream_deliver(sk, s, skb);
	}
}

/* @len bytes at @data in datagram @skb as an skb of their own: a clone
 * trimmed to them when they are most of the datagram, else a copy, so that
 * small frames of a large datagram do not each hold (and charge the
 * socket for) all of it.
 */
static struct sk_buff *quic_stream_rcv_skb(struct sk_buff *skb,
					   const u8 *data, u32 len)
{
	struct sk_buff *nskb;

	if (len >= skb->len / 2) {
		nskb = skb_clone(skb, GFP_ATOMIC);
		if (!nskb)
			return NULL;
		__skb_pull(nskb, data - skb->data);
		__skb_trim(nskb, len);
		return nskb;
	}
	nskb = alloc_skb(len, GFP_ATOMIC);
	if (nskb)
		skb_put_data(nskb, data, len);
	return nskb;
}

/* Can the socket take @nskb into its receive memory, up to @limit? */
static bool quic_stream_rcv_charge(struct sock *sk, struct sk_buff *nskb,
				   int freed, u64 limit)
{
	if ((s64)atomic_read(&sk->sk_rmem_alloc) - freed + nskb->truesize >
	    (s64)limit || !quic_inq_charge(sk, nskb)) {
		kfree_skb(nskb);
		quic_conn(sk)->rx_refused = 1;
		return false;
	}
	return true;
}

/* The largest buffer out-of-order data is collapsed into, and how much
 * must be added to a stream's tree before it is walked again.
 */
#define QUIC_OOO_BLOCK		SKB_WITH_OVERHEAD(16384)
#define QUIC_OOO_REWALK		(4 * 16384)

/* Copy runs of contiguous out-of-order data of @s into one buffer each,
 * of up to QUIC_OOO_BLOCK bytes, as TCP collapses its out-of-order
 * queue, when the receive memory is full.  A piece kept out of order
 * otherwise holds and charges a clone of its datagram: with small
 * datagrams, or retransmissions cut where the first transmissions were
 * not, the window we advertised can take more than sk_rcvbuf, and the
 * data that closes the gap before it could be refused with the rest, for
 * as long as the peer sends it behind the data we refuse.  A run goes
 * into its first piece when that is a buffer we allocated with room, else
 * into a new buffer sized for it when that charges less than the pieces
 * did; single pieces stay.  The tree is walked again only once it has
 * grown by QUIC_OOO_REWALK or 1/32 of sk_rcvbuf, so a peer sending pieces
 * that do not collapse makes us walk it at most once per that much data.
 * Stops at the first allocation or charge that fails: what was collapsed
 * stays collapsed.
 */
static void quic_stream_ooo_collapse(struct sock *sk, struct quic_stream *s)
{
	struct sk_buff *skb, *n, *blk;
	u32 len, truesize, pieces;
	u64 off;

	if (s->ooo_grown < max_t(u32, QUIC_OOO_REWALK,
				 READ_ONCE(sk->sk_rcvbuf) / 32))
		return;
	s->ooo_grown = 0;
	for (skb = skb_rb_first(&s->ooo); skb; skb = n) {
		/* the run from @skb that fits a block; @n after it */
		off = QUIC_RCV_CB(skb)->offset;
		len = 0;
		truesize = 0;
		pieces = 0;
		for (n = skb; n && QUIC_RCV_CB(n)->offset == off + len &&
		     len + n->len <= QUIC_OOO_BLOCK; n = skb_rb_next(n)) {
			len += n->len;
			truesize += n->truesize;
			pieces++;
		}
		if (pieces < 2) {
			n = skb_rb_next(skb);
			continue;
		}
		/* a buffer we allocated (never a clone of a datagram, whose
		 * head other skbs may still reference as a page fragment),
		 * with room for the run
		 */
		if (!skb->cloned && skb_tailroom(skb) >= len - skb->len) {
			blk = skb;
		} else {
			if (SKB_TRUESIZE(len) >= truesize)
				continue;
			blk = alloc_skb(len, GFP_ATOMIC | __GFP_NOWARN);
			if (!blk)
				return;
			if (blk->truesize >= truesize) {
				consume_skb(blk);	/* no smaller */
				continue;
			}
			if (!quic_inq_charge(sk, blk)) {
				kfree_skb(blk);
				return;
			}
			skb_copy_bits(skb, 0, skb_put(blk, skb->len), skb->len);
			QUIC_RCV_CB(blk)->offset = off;
			rb_replace_node(&skb->rbnode, &blk->rbnode, &s->ooo);
			consume_skb(skb);
		}
		while (blk->len < len) {
			skb = skb_rb_next(blk);
			skb_copy_bits(skb, 0, skb_put(blk, skb->len), skb->len);
			rb_erase(&skb->rbnode, &s->ooo);
			consume_skb(skb);
		}
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_OOO_COLLAPSED);
	}
}

/* Keep [@off, @off + @len) of @data, from datagram @skb, out of order:
 * the part no skb in the tree has, replacing the skbs it covers.
 */
static void quic_stream_ooo_add(struct sock *sk, struct quic_stream *s,
				struct sk_buff *skb, u64 off, const u8 *data,
				u32 len)
{
	struct rb_node **p = &s->ooo.rb_node, *parent = NULL, *n;
	struct sk_buff *pos, *nskb, *next;
	u64 end = off + len, e;
	int freed = 0;

	/* before the tree is walked: collapsing changes it */
	if ((s64)atomic_read(&sk->sk_rmem_alloc) + skb->truesize >
	    READ_ONCE(sk->sk_rcvbuf))
		quic_stream_ooo_collapse(sk, s);
	/* where it goes; an skb starting at or before it cuts its head */
	while (*p) {
		parent = *p;
		pos = rb_to_skb(parent);
		if (off < QUIC_RCV_CB(pos)->offset) {
			p = &parent->rb_left;
			continue;
		}
		e = QUIC_RCV_CB(pos)->offset + pos->len;
		if (end <= e)
			return;			/* held already */
		if (off < e) {
			data += e - off;
			off = e;
		}
		p = &parent->rb_right;
	}
	/* the skbs after it: those it covers go, the first it does not
	 * cover cuts its tail
	 */
	n = parent && p == &parent->rb_left ? parent :
	    parent ? rb_next(parent) : NULL;
	for (; n; n = rb_next(n)) {
		pos = rb_to_skb(n);
		if (QUIC_RCV_CB(pos)->offset >= end)
			break;
		e = QUIC_RCV_CB(pos)->offset + pos->len;
		if (e > end) {
			end = QUIC_RCV_CB(pos)->offset;
			break;
		}
		freed += pos->truesize;
	}
	if (end <= off)
		return;

	nskb = quic_stream_rcv_skb(skb, data, end - off);
	if (!nskb) {
		quic_conn(sk)->rx_refused = 1;
		return;
	}
	if (!quic_stream_rcv_charge(sk, nskb, freed, READ_ONCE(sk->sk_rcvbuf)))
		return;
	QUIC_RCV_CB(nskb)->offset = off;
	s->ooo_grown = min_t(u64, (u64)s->ooo_grown + nskb->truesize, U32_MAX);
	rb_link_node(&nskb->rbnode, parent, p);
	rb_insert_color(&nskb->rbnode, &s->ooo);
	for (pos = skb_rb_next(nskb); pos; pos = next) {
		if (QUIC_RCV_CB(pos)->offset >= end)
			break;
		next = skb_rb_next(pos);
		rb_erase(&pos->rbnode, &s->ooo);
		consume_skb(pos);
	}
}

/**
 * quic_stream_rcv - a STREAM frame arrived
 * @sk: the connection
 * @skb: the datagram the frame is in (linear)
 * @f: the frame; its data points into @skb
 * @errcode: the transport error on failure
 *
 * Return: 0, or a negative error with *errcode set (close the
 * connection).  Data that cannot be kept now sets rx_refused: the packet
 * is not acknowledged and the peer sends it again.
 */
int quic_stream_rcv(struct sock *sk, struct sk_buff *skb,
		    const struct quic_frame *f, u64 *errcode)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	u64 off = f->data.offset, end = off + f->data.len;
	struct quic_stream *s;
	struct sk_buff *nskb;
	u32 skip;

	s = quic_stream_rcv_get(sk, f->data.id, false, errcode);
	if (!s)
		return *errcode ? -EPROTO : 0;
	*errcode = QUIC_TRANSPORT_ERROR_FINAL_SIZE;
	if (end > s->final_size ||
	    (f->data.fin && s->final_size != U64_MAX && end != s->final_size) ||
	    (f->data.fin && end < s->recv_highest))
		return -EPROTO;
	*errcode = QUIC_TRANSPORT_ERROR_FLOW_CONTROL;
	if (end > s->recv_max)
		return -EPROTO;
	if (end > s->recv_highest) {
		if (st->recv_total + (end - s->recv_highest) > st->recv_max)
			return -EPROTO;
		st->recv_total += end - s->recv_highest;
		s->recv_highest = end;
	}
	*errcode = 0;
	if (f->data.fin && s->final_size == U64_MAX) {
		s->final_size = end;
		if (s->recv_state == QUIC_STREAM_RECV_STATE_RECV)
			s->recv_state = QUIC_STREAM_RECV_STATE_SIZE_KNOWN;
	}
	if (s->recv_state > QUIC_STREAM_RECV_STATE_SIZE_KNOWN)
		return 0;		/* all received, or reset */
	if (end < s->recv_off ||
	    (end == s->recv_off && (s->recv_off != s->final_size ||
				    s->recv_fin_delivered)))
		return 0;		/* nothing new */

	if (off > s->recv_off) {
		/* out of order; the final size, if this is the FIN, is
		 * known now, so an empty frame adds nothing
		 */
		if (end > off)
			quic_stream_ooo_add(sk, s, skb, off, f->data.data,
					    end - off);
		return 0;
	}
	/* in order, maybe with a head delivered already (or only the FIN) */
	skip = s->recv_off - off;
	nskb = quic_stream_rcv_skb(skb, f->data.data + skip, end - s->recv_off);
	if (!nskb) {
		quic_conn(sk)->rx_refused = 1;
		return 0;
	}
	if (!quic_stream_rcv_charge(sk, nskb, 0,
				    2ULL * READ_ONCE(sk->sk_rcvbuf)))
		return 0;
	QUIC_RCV_CB(nskb)->offset = s->recv_off;
	quic_stream_deliver(sk, s, nskb);
	quic_stream_ooo_drain(sk, s);
	return 0;
}

/**
 * quic_stream_rcv_reset - a RESET_STREAM frame arrived
 * @sk: the connection
 * @f: the frame
 * @errcode: the transport error on failure
 *
 * Data not delivered yet is dropped, and its flow control credit given
 * back; what was delivered stays readable.
 *
 * Return: 0, or a negative error with *errcode set.
 */
int quic_stream_rcv_reset(struct sock *sk, const struct quic_frame *f,
			  u64 *errcode)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	u64 size = f->reset.final_size;
	struct quic_stream *s;

	s = quic_stream_rcv_get(sk, f->reset.id, false, errcode);
	if (!s)
		return *errcode ? -EPROTO : 0;
	*errcode = QUIC_TRANSPORT_ERROR_FINAL_SIZE;
	if (size < s->recv_highest ||
	    (s->final_size != U64_MAX && size != s->final_size))
		return -EPROTO;
	*errcode = QUIC_TRANSPORT_ERROR_FLOW_CONTROL;
	if (size > s->recv_max ||
	    st->recv_total + (size - s->recv_highest) > st->recv_max)
		return -EPROTO;
	*errcode = 0;
	if (s->recv_state >= QUIC_STREAM_RECV_STATE_RECVD)
		return 0;		/* all delivered already, or reset */
	st->recv_total += size - s->recv_highest;
	s->recv_highest = size;
	s->final_size = size;
	/* the bytes never delivered will not be read: credit them */
	st->recv_read += size - s->recv_off;
	quic_stream_ooo_purge(s);
	s->recv_errcode = f->reset.error;
	s->recv_state = QUIC_STREAM_RECV_STATE_RESET_RECVD;
	quic_stream_update_event(sk, s, QUIC_STREAM_RECV_STATE_RESET_RECVD,
				 f->reset.error, size);
	s->recv_state = QUIC_STREAM_RECV_STATE_RESET_READ;
	quic_stream_try_free(sk, s);
	return 0;
}

/**
 * quic_stream_reset - reset our sending side of a stream
 * @sk: the connection, owned by the caller
 * @id: the stream
 * @errcode: the application error code for RESET_STREAM
 *
 * Return: 0, or -EINVAL for a stream we cannot send on.
 */
int quic_stream_reset(struct sock *sk, s64 id, u32 errcode)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_stream *s = quic_stream_find(st, id);

	if (!s || s->send_state >= QUIC_STREAM_SEND_STATE_RESET_SENT)
		return -EINVAL;
	if (s->send_state == QUIC_STREAM_SEND_STATE_RECVD)
		return -EINVAL;		/* all acknowledged: nothing to reset */
	s->send_state = QUIC_STREAM_SEND_STATE_RESET_SENT;
	s->send_errcode = errcode;
	s->reset_pending = 1;
	s->blocked_pending = 0;
	quic_outq_purge(sk, &s->sendq);
	quic_stream_send_queue(st, s);
	return 0;
}

/**
 * quic_stream_stop_sending - ask the peer to stop sending on a stream
 * @sk: the connection, owned by the caller
 * @id: the stream
 * @errcode: the application error code for STOP_SENDING
 *
 * Return: 0, or -EINVAL for a stream we do not receive on.
 */
int quic_stream_stop_sending(struct sock *sk, s64 id, u32 errcode)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_stream *s = quic_stream_find(st, id);

	if (!s || s->recv_state >= QUIC_STREAM_RECV_STATE_RECVD)
		return -EINVAL;
	s->stop_errcode = errcode;
	s->stop_pending = 1;
	quic_stream_send_queue(st, s);
	return 0;
}

/**
 * quic_stream_rcv_stop - a STOP_SENDING frame arrived
 * @sk: the connection
 * @f: the frame
 * @errcode: the transport error on failure
 *
 * We reset the stream with the peer's code (RFC 9000 section 3.5).
 *
 * Return: 0, or a negative error with *errcode set.
 */
int quic_stream_rcv_stop(struct sock *sk, const struct quic_frame *f,
			 u64 *errcode)
{
	struct quic_stream *s;

	s = quic_stream_rcv_get(sk, f->reset.id, true, errcode);
	if (!s)
		return *errcode ? -EPROTO : 0;
	if (s->send_state >= QUIC_STREAM_SEND_STATE_RECVD)
		return 0;
	if (quic_stream_reset(sk, s->id, f->reset.error))
		return 0;
	quic_stream_update_event(sk, s, QUIC_STREAM_SEND_STATE_RESET_SENT,
				 f->reset.error, 0);
	return 0;
}

/* The connection's credit grows: the streams that waited for it, and
 * left the send list, go back to sending.
 */
static void quic_streams_requeue(struct quic_streams *st)
{
	struct quic_stream *s;
	unsigned long i;

	quic_streams_for_each(st, i, s)
		if (s->send_off < s->send_len)
			quic_stream_send_queue(st, s);
}

/**
 * quic_stream_rcv_limit - MAX_DATA, MAX_STREAM_DATA, MAX_STREAMS or a
 * BLOCKED frame arrived
 * @sk: the connection
 * @f: the frame
 * @errcode: the transport error on failure
 *
 * Return: 0, or a negative error with *errcode set.
 */
int quic_stream_rcv_limit(struct sock *sk, const struct quic_frame *f,
			  u64 *errcode)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	u64 v = f->limit.value;
	struct quic_stream *s;

	*errcode = 0;
	switch (f->type) {
	case QUIC_FRAME_MAX_DATA:
		if (v > st->send_max) {
			if (st->send_total >= st->send_max)
				quic_streams_requeue(st);
			st->send_max = v;
			/* room to fill the peer's (autotuned) window */
			quic_stream_sndbuf_grow(sk, 2 * (v - st->send_total));
		}
		break;
	case QUIC_FRAME_MAX_STREAM_DATA:
		s = quic_stream_rcv_get(sk, f->limit.id, true, errcode);
		if (!s)
			return *errcode ? -EPROTO : 0;
		if (v > s->send_max) {
			struct quic_stream_max_data m = { .id = s->id,
							  .max_data = v };

			s->send_max = v;
			if (s->send_off < s->send_len || s->fin_queued)
				quic_stream_send_queue(st, s);
			quic_inq_event(sk, QUIC_EVENT_STREAM_MAX_DATA, &m,
				       sizeof(m));
		}
		break;
	case QUIC_FRAME_MAX_STREAMS_BIDI:
	case QUIC_FRAME_MAX_STREAMS_UNI: {
		bool uni = f->type == QUIC_FRAME_MAX_STREAMS_UNI;
		u64 *max = uni ? &st->peer_max_uni : &st->peer_max_bidi;

		if (v > *max) {
			u64 id = quic_stream_local_id(sk, v - 1, uni);

			*max = v;
			quic_inq_event(sk, QUIC_EVENT_STREAM_MAX_STREAM, &id,
				       sizeof(id));
			sk->sk_write_space(sk);
		}
		break;
	}
	case QUIC_FRAME_STREAM_DATA_BLOCKED:
		s = quic_stream_rcv_get(sk, f->limit.id, false, errcode);
		if (!s)
			return *errcode ? -EPROTO : 0;
		break;
	default:	/* DATA_BLOCKED, STREAMS_BLOCKED: nothing to do */
		break;
	}
	return 0;
}

/* Receive window autotuning: a window half used up within two round
 * trips of the last update limits the sender, so it doubles, up to @max.
 * The connection's receive buffer follows its window.
 */
static u64 quic_stream_window_grow(struct sock *sk, u64 window, u64 max,
				   ktime_t *last)
{
	u32 srtt = quic_conn(sk)->cong.srtt;
	ktime_t now = ktime_get();

	if (window < max &&
	    ktime_us_delta(now, *last) < 2 * (s64)max_t(u32, srtt, 1000))
		window = min(2 * window, max);
	*last = now;
	return window;
}

/**
 * quic_stream_read - the application read stream data
 * @sk: the connection, owned by the caller
 * @id: the stream
 * @len: bytes read
 * @fin: the stream's last byte was among them
 *
 * Half a window read opens a new window: MAX_STREAM_DATA and MAX_DATA
 * are queued (RFC 9000 section 4.2).  Windows read fast grow.
 */
void quic_stream_read(struct sock *sk, s64 id, u32 len, bool fin)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_stream *s;
	u64 w;

	st->recv_read += len;
	if (st->recv_max - st->recv_read < st->recv_window / 2) {
		w = quic_stream_window_grow(sk, st->recv_window,
					    st->recv_window_max,
					    &st->recv_update);
		if (w > st->recv_window)
			quic_stream_rcvbuf_grow(sk, 3 * w);
		st->recv_window = w;
		st->recv_max = st->recv_read + st->recv_window;
		st->max_data_pending = 1;
	}
	s = quic_stream_find(st, id);
	if (!s)
		return;
	s->recv_read += len;
	if (s->recv_state == QUIC_STREAM_RECV_STATE_RECV &&
	    s->recv_max - s->recv_read < s->recv_window / 2) {
		/* a stream's window grows up to the connection's */
		w = max(s->recv_window, st->recv_window);
		s->recv_window = quic_stream_window_grow(sk, s->recv_window, w,
							 &s->recv_update);
		s->recv_max = s->recv_read + s->recv_window;
		s->max_data_pending = 1;
		quic_stream_send_queue(st, s);
	}
	if (fin) {
		s->recv_state = QUIC_STREAM_RECV_STATE_READ;
		quic_stream_try_free(sk, s);
	}
}

/**
 * quic_stream_chunk - the chunk of the send buffer holding a byte
 * @s: the stream
 * @off: the byte's offset
 *
 * Searched from the nearer end: what is sent for the first time or
 * acknowledged is near the oldest unacknowledged chunk when the
 * application writes far ahead, near the newest otherwise.
 *
 * Return: the chunk, or NULL when no chunk holds @off.
 */
struct sk_buff *quic_stream_chunk(struct quic_stream *s, u64 off)
{
	struct sk_buff *head = skb_peek(&s->sendq);
	struct sk_buff *tail = skb_peek_tail(&s->sendq);
	struct sk_buff *skb;

	if (!head || off < QUIC_SND_CB(head)->offset ||
	    off >= QUIC_SND_CB(tail)->offset + tail->len)
		return NULL;
	if (off >= QUIC_SND_CB(tail)->offset)
		return tail;
	if (off - QUIC_SND_CB(head)->offset < QUIC_SND_CB(tail)->offset - off) {
		skb_queue_walk(&s->sendq, skb)
			if (off < QUIC_SND_CB(skb)->offset + skb->len)
				return skb;
		return NULL;
	}
	skb_queue_reverse_walk(&s->sendq, skb)
		if (QUIC_SND_CB(skb)->offset <= off)
			return skb;
	return NULL;
}

/**
 * quic_stream_send_acked - the peer acknowledged stream bytes
 * @sk: the connection
 * @id: the stream
 * @off: the offset of the first byte
 * @len: the bytes
 * @fin: the frame carried the FIN
 *
 * Fully acknowledged chunks are freed; once everything up to the FIN
 * is, the send side is done (Data Recvd).
 */
void quic_stream_send_acked(struct sock *sk, s64 id, u64 off, u32 len,
			    bool fin)
{
	struct quic_stream *s = quic_stream_find(&quic_conn(sk)->streams, id);
	struct sk_buff *skb;

	if (!s || s->send_state >= QUIC_STREAM_SEND_STATE_RECVD)
		return;
	skb = quic_stream_chunk(s, off);
	if (skb)
		QUIC_SND_CB(skb)->acked += len;
	while ((skb = skb_peek(&s->sendq)) &&
	       QUIC_SND_CB(skb)->acked >= skb->len) {
		__skb_unlink(skb, &s->sendq);
		s->send_acked = QUIC_SND_CB(skb)->offset + skb->len;
		quic_outq_skb_free(sk, skb);
		if (s->peeled)	/* room to write: wake its pollers */
			s->peeled->sk_write_space(s->peeled);
	}
	if (fin)
		s->fin_acked = 1;
	if (s->fin_acked && skb_queue_empty(&s->sendq) &&
	    s->send_acked == s->send_len) {
		s->send_state = QUIC_STREAM_SEND_STATE_RECVD;
		quic_stream_update_event(sk, s, QUIC_STREAM_SEND_STATE_RECVD,
					 0, s->send_len);
		quic_stream_try_free(sk, s);
	}
}

/**
 * quic_stream_reset_acked - the peer acknowledged our RESET_STREAM
 * @sk: the connection
 * @id: the stream
 */
void quic_stream_reset_acked(struct sock *sk, s64 id)
{
	struct quic_stream *s = quic_stream_find(&quic_conn(sk)->streams, id);

	if (!s || s->send_state != QUIC_STREAM_SEND_STATE_RESET_SENT)
		return;
	s->send_state = QUIC_STREAM_SEND_STATE_RESET_RECVD;
	quic_stream_update_event(sk, s, QUIC_STREAM_SEND_STATE_RESET_RECVD,
				 s->send_errcode, 0);
	quic_stream_try_free(sk, s);
}
