// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Receive path: from the UDP tunnel socket to the frames of each packet.
 *
 * quic_packet_udp_rcv() runs in softirq context for every datagram on a
 * tunnel socket.  It finds the connection by Destination Connection ID,
 * or a listener when a new connection's Initial arrives, and passes the
 * datagram to quic_packet_rcv() under the socket's bh lock, or through
 * the socket backlog when a task owns the socket (or to a reader asleep
 * in recvmsg(), which decrypts it on its own CPU).  quic_packet_rcv()
 * walks the coalesced packets, removes their protection (crypto.c; the
 * datagram comes back here when that completes asynchronously), records
 * their numbers (pnspace.c) and hands the frames to frame_rx.c.  Packets
 * whose keys are not installed yet wait in conn->pending.
 *
 * The send path is tx.c.
 */

#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/udp.h>

#include "alpn.h"
#include "closing.h"
#include "compat.h"
#include "frame_rx.h"
#include "frame_wire.h"
#include "inqueue.h"
#include "mib.h"
#include "packet.h"
#include "retry.h"
#include "socket.h"
#include "timer.h"
#include "tracepoints.h"
#include "version.h"

/* Does listener @sk answer Initials without a valid token with Retry?
 * Always with validate_peer_address; and while the namespace has
 * net.quic.retry_half_open server connections or more in their
 * handshake, so that spoofed Initials cannot make more sockets than that
 * (a client from a real address comes back with the token).
 */
static bool quic_packet_listen_retry(struct sock *sk)
{
	struct quic_net *qn = quic_net(sock_net(sk));

	if (READ_ONCE(quic_sk(sk)->config.validate_peer_address))
		return true;
	return atomic_read(&qn->half_open) >= READ_ONCE(qn->retry_half_open);
}

/* Deliver a datagram to a connection's socket, from softirq context.
 * While the owner holds the socket, the backlog (with the receive memory)
 * may reach what stream.c lets data take, twice sk_rcvbuf, plus room for
 * the acknowledgments of what we send; the memory the data of a datagram
 * may take is decided frame by frame, once it is decrypted.
 */
void quic_packet_deliver(struct sock *sk, struct sk_buff *skb)
{
	struct quic_conn *c = quic_conn(sk);
	u64 limit;

	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		/* A reader asleep in recvmsg() decrypts 1-RTT datagrams
		 * itself, on its own CPU: over loopback the sender's CPU
		 * would otherwise both seal and open every packet.  They
		 * are charged to its receive memory meanwhile.
		 */
		if (READ_ONCE(c->rx_waiters) && !(skb->data[0] & 0x80) &&
		    skb_queue_len(&c->rx_defer) < QUIC_RX_DEFER_MAX &&
		    atomic_read(&sk->sk_rmem_alloc) + skb->truesize <=
		    READ_ONCE(sk->sk_rcvbuf) && quic_inq_charge(sk, skb)) {
			skb_queue_tail(&c->rx_defer, skb);
			sk->sk_data_ready(sk);
		} else {
			quic_packet_rcv_deferred(sk);
			quic_packet_rcv(sk, skb);
		}
	} else {
		limit = 2ULL * READ_ONCE(sk->sk_rcvbuf) +
			READ_ONCE(sk->sk_sndbuf);
		if (sk_add_backlog(sk, skb, min_t(u64, limit, UINT_MAX)))
			kfree_skb(skb);
	}
	bh_unlock_sock(sk);
}

/**
 * quic_packet_rcv_deferred - process what quic_packet_deliver() left to
 *	a sleeping reader
 * @sk: the socket
 *
 * The reader does, once awake; and so does, first, whoever processes a
 * datagram that arrived after them: the peer's loss detection would take
 * a datagram processed ahead of up to QUIC_RX_DEFER_MAX others for a sign
 * that they were lost.
 *
 * Context: the socket's owner, or softirq under its bh lock.
 */
void quic_packet_rcv_deferred(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct sk_buff *skb;

	/* called for every datagram: no lock taken while the queue is empty */
	while (!skb_queue_empty_lockless(&c->rx_defer) &&
	       (skb = skb_dequeue(&c->rx_defer)))
		quic_packet_rcv(sk, skb);
}

/**
 * quic_packet_backlog_rcv - process a datagram from the socket backlog
 * @sk: the socket, owned by the caller
 * @skb: the datagram
 *
 * What waited for a sleeping reader goes first, as in
 * quic_packet_deliver().
 *
 * Return: 0.
 */
int quic_packet_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	quic_packet_rcv_deferred(sk);
	return quic_packet_rcv(sk, skb);
}

static void quic_packet_set_peer(struct sk_buff *skb)
{
	struct quic_skb_cb *cb = QUIC_SKB_CB(skb);
	u8 ecn;

	memset(cb, 0, sizeof(*cb));
	quic_addr_from_skb(skb, &cb->peer, NULL, &ecn);
	cb->ecn = ecn;
}

/* Answer a client's first datagram of a version we do not speak with the
 * versions we do (RFC 9000 section 6).
 */
static void quic_packet_version_negotiation(struct quic_udp_sock *us,
					    struct sk_buff *skb,
					    const struct quic_hdr *h)
{
	static const u32 versions[] = { QUIC_VERSION_V1, QUIC_VERSION_V2 };
	union quic_addr saddr = {};
	struct sk_buff *nskb;
	int n;

	nskb = alloc_skb(QUIC_HEADROOM + 7 + 2 * QUIC_CID_MAX_LEN_ANY +
			 sizeof(versions), GFP_ATOMIC);
	if (!nskb)
		return;
	skb_reserve(nskb, QUIC_HEADROOM);
	n = quic_vn_put(skb_tail_pointer(nskb), skb_tailroom(nskb),
			get_random_u8() & 0x7f, h->scid, h->scid_len, h->dcid,
			h->dcid_len, versions, ARRAY_SIZE(versions));
	if (n < 0) {
		kfree_skb(nskb);
		return;
	}
	skb_put(nskb, n);
	quic_addr_from_skb(skb, NULL, &saddr, NULL);
	if (!quic_udp_xmit(us->sock->sk, nskb, &saddr,
			   &QUIC_SKB_CB(skb)->peer, 0, 0, NULL))
		QUIC_INC_STATS(sock_net(us->sock->sk), QUIC_MIB_VN_SND);
}

/* A datagram on tunnel socket @us: to its connection, a closing record,
 * a listener, or answered statelessly.  Consumes @skb.
 */
static void quic_packet_udp_dispatch(struct quic_udp_sock *us,
				     struct sk_buff *skb)
{
	struct net *net = sock_net(us->sock->sk);
	struct quic_cid odcid;
	const u8 *dcid;
	struct quic_hdr h;
	struct sock *sk;
	u8 dcid_len;
	int err;

	if (skb_linearize(skb) || skb->len < sizeof(struct udphdr) + 1)
		goto drop;
	quic_packet_set_peer(skb);
	QUIC_SKB_CB(skb)->udp = us;
	__skb_pull(skb, sizeof(struct udphdr));
	QUIC_SKB_CB(skb)->len = min_t(unsigned int, skb->len, U16_MAX);

	if (skb->data[0] & QUIC_HDR_FORM_LONG) {
		err = quic_hdr_parse(skb->data, skb->len, QUIC_CID_LEN,
				     QUIC_HDR_GREASE_OK, &h);
		if (err == -EPROTONOSUPPORT) {
			/* a client trying a version we lack, if a listener
			 * could take it (and never in answer to a small
			 * datagram: no amplification)
			 */
			if (skb->len >= QUIC_MIN_INITIAL_SIZE &&
			    !hlist_empty(&us->listeners))
				quic_packet_version_negotiation(us, skb, &h);
			goto consumed;
		}
		if (err)
			goto drop;
		dcid = h.dcid;
		dcid_len = h.dcid_len;
	} else {
		if (skb->len < 1 + QUIC_CID_LEN)
			goto drop;
		h.type = QUIC_PACKET_1RTT;
		dcid = skb->data + 1;
		dcid_len = QUIC_CID_LEN;
	}

	sk = quic_cid_lookup(net, dcid, dcid_len);
	if (sk) {
		quic_packet_deliver(sk, skb);
		sock_put(sk);
		return;
	}
	if (quic_closing_rcv(net, dcid, dcid_len))
		goto consumed;		/* answered, or quietly: closing.c */
	if (h.type == QUIC_PACKET_1RTT) {
		/* a stateless reset ends with a token a peer gave us; a
		 * packet for a connection gone is answered with one
		 */
		sk = quic_reset_lookup(net, skb_tail_pointer(skb) -
					    QUIC_RESET_TOKEN_LEN);
		if (sk) {
			quic_packet_deliver(sk, skb);
			sock_put(sk);
			return;
		}
		quic_reset_send(us, skb);
		goto consumed;
	}
	/* a new connection: its first datagram is at least 1200 bytes and
	 * its Destination Connection ID at least 8 (RFC 9000 section 7.2)
	 */
	if (h.type != QUIC_PACKET_INITIAL || skb->len < QUIC_MIN_INITIAL_SIZE ||
	    h.dcid_len < QUIC_MIN_ODCID_LEN)
		goto drop;
	sk = quic_listener_get(us);
	if (!sk)
		goto drop;
	if (quic_packet_listen_retry(sk) &&
	    quic_retry_token_check(skb, &h, &odcid)) {
		if (!READ_ONCE(quic_sk(sk)->config.validate_peer_address))
			QUIC_INC_STATS(net, QUIC_MIB_RETRY_LOAD);
		quic_retry_send(us, skb, &h);	/* stateless */
		sock_put(sk);
		goto consumed;
	}
	quic_sock_listen_rcv(sk, skb);
	sock_put(sk);
	return;
consumed:
	consume_skb(skb);
	return;
drop:
	kfree_skb(skb);
}

/**
 * quic_packet_udp_rcv - a datagram arrived on a tunnel socket
 * @usk: the tunnel socket
 * @skb: the datagram, data at the UDP header
 *
 * The tunnel sockets' encap_rcv (see quic_udp_init()).
 *
 * Context: softirq, under rcu_read_lock().  Consumes @skb.
 * Return: 0, the datagram taken.
 */
int quic_packet_udp_rcv(struct sock *usk, struct sk_buff *skb)
{
	struct quic_udp_sock *us = rcu_dereference_sk_user_data(usk);

	if (!us) {
		kfree_skb(skb);
		return 0;
	}
	quic_packet_udp_dispatch(us, skb);
	return 0;
}

static u8 quic_packet_level(u8 type)
{
	switch (type) {
	case QUIC_PACKET_INITIAL:
		return QUIC_CRYPTO_INITIAL;
	case QUIC_PACKET_HANDSHAKE:
		return QUIC_CRYPTO_HANDSHAKE;
	case QUIC_PACKET_0RTT:
		return QUIC_CRYPTO_EARLY;
	default:
		return QUIC_CRYPTO_APP;
	}
}

/* Count the ECN codepoint of a packet for ACK_ECN frames (RFC 9000
 * section 13.4.1); a CE mark is acknowledged at once.
 */
static void quic_packet_ecn(struct sock *sk, struct quic_pnspace *space,
			    u8 ecn)
{
	switch (ecn) {
	case INET_ECN_ECT_0:
		space->ecn_rx[0]++;
		break;
	case INET_ECN_ECT_1:
		space->ecn_rx[1]++;
		break;
	case INET_ECN_CE:
		space->ecn_rx[2]++;
		space->ack_now = 1;
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_ECN_CE_RCV);
		break;
	}
}

/* A packet whose asynchronous decryption finished: its datagram (the
 * rest of it) comes back to the socket, which finds the result in the
 * control block.  Context: the crypto completion, bottom halves disabled.
 */
static void quic_packet_decrypted(const struct quic_crypto_cb *cb,
				  struct sk_buff *skb, int err)
{
	struct sock *sk = cb->data;

	QUIC_SKB_CB(skb)->decrypted = 1;
	QUIC_SKB_CB(skb)->decrypt_err = !!err;
	quic_packet_deliver(sk, skb);
	sock_put(sk);
}

static int quic_packet_decrypt(struct sock *sk, struct quic_crypto *cr,
			       struct sk_buff *skb, struct quic_crypto_pkt *p)
{
	struct quic_crypto_cb cb = {
		.done = quic_packet_decrypted,
		.data = sk,
	};
	int err;

	if (!quic_crypto_async(cr, false))
		return quic_crypto_decrypt(cr, skb, p, NULL);
	sock_hold(sk);		/* for the completion */
	err = quic_crypto_decrypt(cr, skb, p, &cb);
	if (err == -EINPROGRESS)
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CRYPTO_ASYNC);
	else
		__sock_put(sk);
	return err;
}

/* One packet at skb->data.  Returns its length in *len (0 when the rest
 * of the datagram cannot be parsed), and 0, -EAGAIN when its keys are not
 * there yet, -EINPROGRESS when its decryption was deferred (the skb is
 * the completion's), or another error for a dropped packet.
 */
static int quic_packet_rcv_one(struct sock *sk, struct sk_buff *skb,
			       unsigned int *len)
{
	struct quic_conn *c = quic_conn(sk);
	bool eliciting = false, probing = true;
	struct quic_crypto_pkt p = {};
	struct quic_pnspace *space;
	struct quic_crypto *cr;
	unsigned int hlen;
	struct quic_hdr h;
	u64 errcode = 0;
	s64 largest;
	u8 level;
	int err;

	*len = 0;
	if (quic_hdr_parse(skb->data, skb->len, QUIC_CID_LEN,
			   QUIC_HDR_GREASE_OK, &h))
		return -EINVAL;
	*len = h.len;
	if (h.type == QUIC_PACKET_VERSION_NEGOTIATION)
		return quic_version_rcv_vn(sk, &h);
	if (!quic_connid_match(sk, h.dcid, h.dcid_len) &&
	    !(c->is_serv && !c->hs_confirmed &&
	      quic_cid_equal(&c->odcid_node.cid, h.dcid, h.dcid_len)))
		return -EINVAL;
	if (h.type == QUIC_PACKET_RETRY)
		return quic_conn_retry_rcv(sk, skb, &h);
	if (h.type > QUIC_PACKET_1RTT ||
	    (h.type == QUIC_PACKET_0RTT &&
	     (!c->is_serv || h.version != c->version)))
		return -EINVAL;		/* 0-RTT goes to servers */

	level = quic_packet_level(h.type);
	space = &c->space[quic_level_space(level)];
	cr = c->crypto[level];
	if (h.type != QUIC_PACKET_1RTT && h.version != c->version) {
		cr = quic_version_rx_keys(sk, &h);	/* RFC 9368 */
		if (!cr)
			return -EINVAL;
	}
	if (space->discarded)
		return -EINVAL;
	if (!cr || !cr->rx.ready)
		return level == QUIC_CRYPTO_INITIAL ||
		       (level == QUIC_CRYPTO_EARLY && c->hs_complete) ?
		       -EINVAL : -EAGAIN;

	p.pn_offset = h.pn_offset;
	p.len = h.len;
	p.largest_pn = quic_pnspace_largest_rx(space);
	if (QUIC_SKB_CB(skb)->decrypted) {
		/* back from an asynchronous decryption */
		QUIC_SKB_CB(skb)->decrypted = 0;
		err = QUIC_SKB_CB(skb)->decrypt_err ? -EBADMSG :
			quic_crypto_resumed(cr, skb, &p);
	} else {
		err = quic_packet_decrypt(sk, cr, skb, &p);
		if (err == -EINPROGRESS)
			return err;
	}
	if (err) {
		/* a full queue (cryptd's, past 1000 requests of a CPU) or
		 * no memory: lost on the way, not a bad packet
		 */
		if (quic_crypto_refused(err))
			QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CRYPTO_REFUSED);
		else
			QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_DECDROP);
		if (err == -EBADMSG && h.type == QUIC_PACKET_1RTT)
			quic_conn_key_auth_failed(sk, skb->data[0]);
		if (err == -EBADMSG && quic_conn_auth_failed(sk, cr)) {
			quic_conn_close(sk,
					QUIC_TRANSPORT_ERROR_AEAD_LIMIT_REACHED);
			return -EPROTO;
		}
		return err;
	}
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_RCV);
	quic_connid_used(sk);
	if (level == QUIC_CRYPTO_EARLY)
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_0RTT_RCV);
	c->last_rx = jiffies;
	if (quic_hdr_check_reserved(skb->data[0])) {
		quic_conn_close(sk, QUIC_TRANSPORT_ERROR_PROTOCOL_VIOLATION);
		return -EPROTO;
	}
	if (cr == c->initial_alt)
		quic_version_client_switch(sk);
	if (h.type == QUIC_PACKET_1RTT)
		quic_conn_key_update_rx(sk, &p);
	largest = quic_pnspace_largest_rx(space);
	if (quic_pnspace_seen(space, p.pn))
		return 0;			/* duplicate */
	trace_quic_packet_recv(sk, quic_level_space(level), p.pn, h.len);

	if (!c->is_serv && h.type == QUIC_PACKET_INITIAL && !c->dcid_final) {
		/* the server's choice replaces ours (section 7.2) */
		quic_cid_set(&c->dcid, h.scid, h.scid_len);
		c->dcid_final = 1;
	}
	if (c->is_serv && h.type == QUIC_PACKET_HANDSHAKE) {
		c->addr_validated = 1;		/* section 8.1 */
		quic_conn_discard(sk, QUIC_PNSPACE_INITIAL);
	}

	hlen = h.pn_offset + p.pn_len;
	/* with the previous keys: it may not acknowledge our newer ones */
	c->rx_old_phase = h.type == QUIC_PACKET_1RTT && !p.key_update &&
			  p.key_phase != cr->rx.phase;
	c->rx_refused = 0;
	err = quic_frame_process(sk, skb, level, h.type, skb->data + hlen,
				 h.len - hlen - QUIC_TAG_LEN, &eliciting,
				 &probing, &errcode);
	c->rx_old_phase = 0;
	if (err) {
		quic_conn_close(sk, errcode);
		return err;
	}
	/* Data we could not keep (stream.c): the packet was not received,
	 * as far as acknowledgments go; the peer sends its frames again.
	 * What else it carried has been acted on, which a retransmission
	 * repeats harmlessly.
	 */
	if (c->rx_refused) {
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_REFUSED);
		return 0;
	}
	quic_pnspace_record(space, p.pn);
	quic_packet_ecn(sk, space, QUIC_SKB_CB(skb)->ecn);
	if (h.type == QUIC_PACKET_1RTT)
		quic_path_rcv(sk, skb, (s64)p.pn > largest, probing);
	if (eliciting) {
		space->ack_pending = 1;
		/* out of order, or not 1-RTT: acknowledge at once */
		if (level != QUIC_CRYPTO_APP || (s64)p.pn != largest + 1 ||
		    ++space->ack_eliciting >= 2)
			space->ack_now = 1;
		else
			quic_timer_ack_later(sk);
	}
	return 0;
}

/**
 * quic_packet_rcv - process a datagram addressed to a connection
 * @sk: the socket
 * @skb: the datagram, data at the first QUIC packet
 *
 * Context: under the socket's bh lock, or its owner (backlog, or a task
 * replaying pending packets).  Consumes @skb.
 *
 * Return: 0.
 */
int quic_packet_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct quic_conn *c = quic_conn(sk);
	u8 tail[QUIC_RESET_TOKEN_LEN];
	bool short_hdr, dropped = true;
	unsigned int len;
	int err;

	if (sk->sk_state != TCP_SYN_SENT && sk->sk_state != TCP_SYN_RECV &&
	    sk->sk_state != TCP_ESTABLISHED)
		goto out;
	/* what the peer sent, once: a datagram that waited for its keys
	 * (the rest of it) comes here again
	 */
	if (c->is_serv && !c->addr_validated && !QUIC_SKB_CB(skb)->rx_counted)
		c->bytes_rx += skb->len;
	QUIC_SKB_CB(skb)->rx_counted = 1;
	/* a short header packet is alone in its datagram: if it cannot be
	 * processed, it may be a stateless reset (RFC 9000 section 10.3.1)
	 */
	short_hdr = skb->len > QUIC_RESET_TOKEN_LEN &&
		    !(skb->data[0] & QUIC_HDR_FORM_LONG);
	if (short_hdr)
		memcpy(tail, skb_tail_pointer(skb) - QUIC_RESET_TOKEN_LEN,
		       QUIC_RESET_TOKEN_LEN);
	dropped = false;
	while (skb->len) {
		err = quic_packet_rcv_one(sk, skb, &len);
		if (err == -EINPROGRESS) {
			skb = NULL;	/* comes back: quic_packet_decrypted() */
			break;
		}
		if (err && err != -EAGAIN && short_hdr &&
		    quic_connid_is_reset(sk, tail)) {
			QUIC_INC_STATS(sock_net(sk), QUIC_MIB_RESET_RCV);
			quic_conn_abort(sk, ECONNRESET);	/* draining */
			break;
		}
		if (err && err != -EAGAIN)
			dropped = true;
		if (err == -EAGAIN) {
			/* keep the rest until the keys arrive (RFC 9001 5.7),
			 * charged to the socket
			 */
			if (skb_queue_len(&c->pending) < QUIC_PENDING_MAX &&
			    quic_inq_charge(sk, skb)) {
				skb_queue_tail(&c->pending, skb);
				skb = NULL;
			}
			break;
		}
		if (!len || sk->sk_state == TCP_CLOSE)
			break;
		__skb_pull(skb, len);
	}
	quic_packet_flush(sk);
out:
	/* drop monitors count what was not processed, not what was */
	if (dropped)
		kfree_skb(skb);
	else
		consume_skb(skb);
	return 0;
}

/**
 * quic_packet_client_alpn - the ALPN a new connection's client offers
 * @skb: the client's first datagram, data at its Initial packet
 * @h: the parsed header of that packet
 * @buf: room for the start of the ClientHello
 * @size: its size
 * @alpn: set to the ProtocolNameList, inside @buf
 * @alpn_len: its length
 *
 * Decrypts a copy of the packet with the Initial keys and reads the
 * ClientHello from its CRYPTO frames.  Context: process, may sleep.
 *
 * Return: 0 or a negative error (no ALPN, ClientHello not in this packet).
 */
int quic_packet_client_alpn(struct sk_buff *skb, const struct quic_hdr *h,
			    u8 *buf, size_t size, const u8 **alpn,
			    size_t *alpn_len)
{
	struct quic_crypto_pkt p = {};
	struct sk_buff *copy = NULL;
	struct quic_crypto *cr;
	size_t covered = 0, off, hlen, len;
	struct quic_frame f;
	bool more = true;
	int n, err;

	cr = kzalloc(sizeof(*cr), GFP_KERNEL);
	if (!cr)
		return -ENOMEM;
	quic_crypto_init(cr);
	err = quic_crypto_initial_keys(cr, h->dcid, h->dcid_len, h->version,
				       true);
	if (err)
		goto out;
	copy = skb_copy(skb, GFP_KERNEL);
	err = -ENOMEM;
	if (!copy)
		goto out;
	p.pn_offset = h->pn_offset;
	p.len = h->len;
	p.largest_pn = -1;
	err = quic_crypto_decrypt(cr, copy, &p, NULL);
	if (err)
		goto out;
	hlen = h->pn_offset + p.pn_len;
	/* CRYPTO frames may come in any order: grow the covered prefix
	 * until a pass adds nothing
	 */
	do {
		more = false;
		for (off = hlen; off < h->len - QUIC_TAG_LEN; off += n) {
			n = quic_frame_decode(copy->data + off,
					      h->len - QUIC_TAG_LEN - off, &f);
			if (n < 0)
				break;
			if (f.type != QUIC_FRAME_CRYPTO ||
			    f.data.offset > covered ||
			    f.data.offset + f.data.len <= covered ||
			    covered >= size)
				continue;
			len = min_t(size_t, f.data.offset + f.data.len, size) -
			      covered;
			memcpy(buf + covered,
			       f.data.data + (covered - f.data.offset), len);
			covered += len;
			more = true;
		}
	} while (more);
	err = quic_alpn_from_client_hello(buf, covered, alpn, alpn_len);
out:
	consume_skb(copy);
	quic_crypto_free(cr);
	kfree(cr);
	return err;
}
