// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packets: the receive path from the UDP tunnel socket to frames, and the
 * send path from queued frames to UDP datagrams.
 *
 * Receive: quic_packet_udp_rcv() runs in softirq context for every
 * datagram on a tunnel socket.  It finds the connection by Destination
 * Connection ID, or a listener when a new connection's Initial arrives,
 * and passes the datagram to quic_packet_rcv() under the socket's bh lock,
 * or through the socket backlog when a task owns the socket.
 * quic_packet_rcv() walks the coalesced packets, removes their
 * protection, records their numbers and hands the frames to frame.c.
 * Packets whose keys are not installed yet wait in conn->pending.
 *
 * Send: quic_packet_flush() fills datagrams level by level (Initial,
 * Handshake, 1-RTT), coalescing packets, padding datagrams that carry an
 * ack-eliciting Initial packet to 1200 bytes, protecting each packet in
 * place, and hands them to the UDP tunnel.  Everything runs under the
 * socket lock (or bh lock) and never sleeps.
 */

#include <linux/ipv6.h>
#include <linux/wait_bit.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "alpn.h"
#include "closing.h"
#include "compat.h"
#include "frame.h"
#include "frame_wire.h"
#include "varint.h"
#include "mib.h"
#include "packet.h"
#include "retry.h"
#include "socket.h"
#include "tracepoints.h"
#include "version.h"

static void quic_packet_version_negotiation(struct quic_udp_sock *us,
					    struct sk_buff *skb,
					    const struct quic_hdr *h);

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
		 * would otherwise both seal and open every packet.
		 */
		if (READ_ONCE(c->rx_waiters) && !(skb->data[0] & 0x80) &&
		    skb_queue_len(&c->rx_defer) < QUIC_RX_DEFER_MAX) {
			skb_queue_tail(&c->rx_defer, skb);
			sk->sk_data_ready(sk);
		} else {
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
 * @sk: the socket, owned by the caller
 *
 * Context: process, as the socket backlog is processed.
 */
void quic_packet_rcv_deferred(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&c->rx_defer)))
		quic_packet_rcv(sk, skb);
}

static void quic_packet_set_peer(struct sk_buff *skb)
{
	struct quic_skb_cb *cb = QUIC_SKB_CB(skb);
	struct udphdr *uh = udp_hdr(skb);

	memset(cb, 0, sizeof(*cb));
	if (ip_hdr(skb)->version == 4) {
		cb->ecn = ip_hdr(skb)->tos & INET_ECN_MASK;
		cb->peer.v4.sin_family = AF_INET;
		cb->peer.v4.sin_addr.s_addr = ip_hdr(skb)->saddr;
		cb->peer.v4.sin_port = uh->source;
		return;
	}
	cb->ecn = ipv6_get_dsfield(ipv6_hdr(skb)) & INET_ECN_MASK;
	cb->peer.v6.sin6_family = AF_INET6;
	cb->peer.v6.sin6_addr = ipv6_hdr(skb)->saddr;
	cb->peer.v6.sin6_port = uh->source;
	if (ipv6_addr_type(&cb->peer.v6.sin6_addr) & IPV6_ADDR_LINKLOCAL)
		cb->peer.v6.sin6_scope_id = inet6_iif(skb);
}

/**
 * quic_packet_udp_rcv - a datagram arrived on a tunnel socket
 * @us: the tunnel socket
 * @skb: the datagram, data at the UDP header
 *
 * Context: softirq, under rcu_read_lock().  Consumes @skb.
 */
void quic_packet_udp_rcv(struct quic_udp_sock *us, struct sk_buff *skb)
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
	sk = quic_udp_listener(us);
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

/* A Version Negotiation packet reached a client (RFC 9000 section 6.2,
 * RFC 9368 section 4): without a version in common the attempt fails;
 * one that lists the version in use is ignored.
 */
static int quic_packet_rcv_vn(struct sock *sk, const struct quic_hdr *h)
{
	struct quic_conn *c = quic_conn(sk);
	unsigned int i;

	if (c->is_serv || c->dcid_final || sk->sk_state != TCP_SYN_SENT ||
	    !quic_cid_equal(&c->scid, h->dcid, h->dcid_len) ||
	    !quic_cid_equal(&c->dcid, h->scid, h->scid_len))
		return -EINVAL;
	for (i = 0; i < h->nversions; i++)
		if (quic_vn_version(h, i) == c->version)
			return -EINVAL;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_VN_RCV);
	quic_conn_abort(sk, EPROTONOSUPPORT);
	return -EPROTONOSUPPORT;
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
		return quic_packet_rcv_vn(sk, &h);
	if (!quic_connid_match(sk, h.dcid, h.dcid_len) &&
	    !(c->is_serv && !c->hs_confirmed &&
	      quic_cid_equal(&c->odcid_node.cid, h.dcid, h.dcid_len)))
		return -EINVAL;
	if (h.type == QUIC_PACKET_RETRY)
		return quic_retry_rcv(sk, skb, &h);
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
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_DECDROP);
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
			quic_outq_ack_later(sk);
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

/* Datagram building */

struct quic_pkt {
	unsigned int start;	/* offset of the packet in the datagram */
	unsigned int pn_offset;	/* of the packet number, in the datagram */
	u64 pn;
	u8 pn_len;
	u8 space;
	u8 open:1;
	u8 eliciting:1;
	u8 initial:1;
	u8 early:1;		/* 0-RTT */
	struct quic_crypto *cr;	/* its keys */
	struct quic_sent *sent;
};

/* Where a datagram goes; kept with its last packet's encryption when that
 * completes asynchronously (struct quic_crypto).
 */
struct quic_tx_ctx {
	union quic_addr saddr;
	union quic_addr to;
	struct quic_udp_sock *us;
	int oif;
	u8 tos;
	u8 cached:1;		/* the connection's path: its cached route */
	u8 keep:1;		/* CONNECTION_CLOSE: a copy for closing.c */
};

static bool quic_space_wants_send(struct sock *sk, u8 space)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto_tx *t = &c->ctx[space];

	if (c->space[space].discarded)
		return false;
	return (space == QUIC_PNSPACE_APP ? c->space[space].ack_now :
		c->space[space].ack_pending) || t->sent < t->len ||
	       (space == QUIC_PNSPACE_APP &&
		(c->hs_done_pending || c->new_token_pending ||
		 quic_outq_app_wants(sk))) ||
	       c->ping_pending;
}

/* The keys a packet of @space is sent with: a client sends 0-RTT packets
 * in the application space until it has 1-RTT keys.  While a key update
 * the peer started waits for its work item, no 1-RTT packet leaves: it
 * would acknowledge packets of the new phase in the old one, which peers
 * treat as an error (RFC 9001 section 6.2); the work item sends them.
 */
static struct quic_crypto *quic_space_tx_keys(struct quic_conn *c, u8 space)
{
	struct quic_crypto *cr = c->crypto[quic_space_level(space)];

	if (space == QUIC_PNSPACE_APP && c->key_update_rx)
		return NULL;
	if (cr && cr->tx.ready)
		return cr;
	cr = c->crypto[QUIC_CRYPTO_EARLY];
	if (space == QUIC_PNSPACE_APP && !c->is_serv && cr && cr->tx.ready)
		return cr;
	return NULL;
}

static int quic_pkt_open(struct quic_conn *c, struct sk_buff *skb,
			 struct quic_pkt *pkt, u8 space)
{
	static const u8 types[] = {
		QUIC_PACKET_INITIAL, QUIC_PACKET_HANDSHAKE, QUIC_PACKET_1RTT,
	};
	struct quic_crypto *cr = quic_space_tx_keys(c, space);
	bool early = cr && cr == c->crypto[QUIC_CRYPTO_EARLY];
	struct quic_pnspace *s = &c->space[space];
	struct quic_hdr_out ho = {
		.type = early ? QUIC_PACKET_0RTT : types[space],
		.version = c->version,
		.dcid = c->dcid.data, .dcid_len = c->dcid.len,
		.scid = c->scid.data, .scid_len = c->scid.len,
	};
	unsigned int pn_off;
	int n;

	if (space == QUIC_PNSPACE_INITIAL && !c->is_serv && c->token_len) {
		ho.token = c->token;
		ho.token_len = c->token_len;
	}
	memset(pkt, 0, sizeof(*pkt));
	pkt->pn = s->next_pn;
	n = quic_pn_encode_len(pkt->pn, s->largest_acked);
	pkt->pn_len = n > 0 ? n : 4;
	ho.length = pkt->pn_len + QUIC_TAG_LEN;	/* rewritten on close */
	n = quic_hdr_put(skb_tail_pointer(skb), skb_tailroom(skb), &ho,
			 pkt->pn, pkt->pn_len, &pn_off);
	if (n < 0)
		return n;
	pkt->start = skb->len;
	pkt->pn_offset = skb->len + pn_off;
	pkt->space = space;
	pkt->initial = space == QUIC_PNSPACE_INITIAL;
	pkt->early = early;
	pkt->cr = cr;
	pkt->open = 1;
	skb_put(skb, n);
	return 0;
}

static void quic_packet_encrypted(const struct quic_crypto_cb *cb,
				  struct sk_buff *skb, int err);

/* Pad to @total bytes of datagram (with the tag still to come), protect
 * and account the open packet.  The last packet of a datagram comes with
 * where the datagram goes (@tx): if its encryption is deferred, the
 * completion sends the datagram, and -EINPROGRESS says so.
 */
static int quic_pkt_close(struct sock *sk, struct sk_buff *skb,
			  struct quic_pkt *pkt, unsigned int total,
			  const struct quic_tx_ctx *tx)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto_pkt p = {};
	struct quic_crypto_cb cb = {};
	unsigned int payload, pad = 0;
	bool async;
	u8 *hdr;
	int err;

	payload = skb->len - pkt->pn_offset - pkt->pn_len;
	/* the header protection sample needs 4 bytes after the pn start */
	if (pkt->pn_len + payload < 4)
		pad = 4 - pkt->pn_len - payload;
	if (skb->len + pad + QUIC_TAG_LEN < total)
		pad = total - skb->len - QUIC_TAG_LEN;
	if (pad)
		skb_put_zero(skb, pad);		/* PADDING frames */
	payload += pad;

	hdr = skb->data + pkt->start;
	if (hdr[0] & QUIC_HDR_FORM_LONG) {
		u32 length = pkt->pn_len + payload + QUIC_TAG_LEN;

		/* the 2-byte Length field written by quic_hdr_put() */
		skb->data[pkt->pn_offset - 2] = 0x40 | (length >> 8);
		skb->data[pkt->pn_offset - 1] = length & 0xff;
	}
	p.start = pkt->start;
	p.pn_offset = pkt->pn_offset - pkt->start;
	p.pn_len = pkt->pn_len;
	p.pn = pkt->pn;
	p.len = skb->len - pkt->start;
	async = tx && quic_crypto_async(pkt->cr, true);
	if (async) {
		/* held until the completion, which sends the datagram */
		BUILD_BUG_ON(sizeof(*tx) > sizeof(cb.priv));
		cb.done = quic_packet_encrypted;
		cb.data = sk;
		memcpy(cb.priv, tx, sizeof(*tx));
		sock_hold(sk);
		quic_udp_sock_hold(tx->us);
	}
	err = quic_crypto_encrypt(pkt->cr, skb, &p, async ? &cb : NULL);
	pkt->open = 0;
	if (err == -EINPROGRESS) {
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CRYPTO_ASYNC);
		c->bytes_tx += p.start + p.len + QUIC_TAG_LEN;
	} else if (async) {
		quic_udp_sock_put(tx->us);
		__sock_put(sk);
	}
	if (err && err != -EINPROGRESS) {
		quic_sent_free(sk, pkt->sent);
		return err;
	}
	c->space[pkt->space].next_pn++;
	if (pkt->space == QUIC_PNSPACE_APP && !pkt->early)
		quic_conn_key_sent(sk);
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_SND);
	if (pkt->early)
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_0RTT_SND);
	if (pkt->sent) {
		pkt->sent->pn = pkt->pn;
		pkt->sent->early = pkt->early;
		pkt->sent->bytes = p.len + QUIC_TAG_LEN;
		quic_outq_sent(sk, pkt->space, pkt->sent);
	}
	return err;
}

/* Add the frames of @space that fit before @limit bytes of datagram. */
static int quic_pkt_fill(struct sock *sk, struct sk_buff *skb,
			 struct quic_pkt *pkt, unsigned int limit)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_pnspace *s = &c->space[pkt->space];
	struct quic_crypto_tx *t = &c->ctx[pkt->space];
	struct quic_frame f = {};
	unsigned int room;
	int n;

	room = limit - skb->len - QUIC_TAG_LEN;
	if (s->ack_pending && s->nranges && !pkt->early) {
		f.type = QUIC_FRAME_ACK;
		if (s->ecn_rx[0] || s->ecn_rx[1] || s->ecn_rx[2]) {
			f.type = QUIC_FRAME_ACK_ECN;
			memcpy(f.ack.ecn, s->ecn_rx, sizeof(f.ack.ecn));
		}
		f.ack.out = s->rx;
		f.ack.range_count = s->nranges - 1;
		n = quic_frame_encode(skb_tail_pointer(skb), room, &f);
		while (n == -ENOSPC && f.ack.range_count) {
			f.ack.range_count /= 2;
			n = quic_frame_encode(skb_tail_pointer(skb), room, &f);
		}
		if (n < 0)
			return n;
		skb_put(skb, n);
		room -= n;
		s->ack_pending = 0;
		s->ack_now = 0;
		s->ack_eliciting = 0;
	}

	if (t->sent < t->len && room > 16) {
		memset(&f, 0, sizeof(f));
		f.type = QUIC_FRAME_CRYPTO;
		f.data.offset = t->sent;
		f.data.len = min_t(u32, t->len - t->sent, room - 12);
		f.data.data = t->buf + t->sent;
		n = quic_frame_encode(skb_tail_pointer(skb), room, &f);
		if (n < 0)
			return n;
		skb_put(skb, n);
		room -= n;
		pkt->sent->crypto_off = t->sent;
		pkt->sent->crypto_len = f.data.len;
		t->sent += f.data.len;
		pkt->eliciting = 1;
	}

	if (pkt->space == QUIC_PNSPACE_APP && c->hs_done_pending && room) {
		skb_put_u8(skb, QUIC_FRAME_HANDSHAKE_DONE);
		room--;
		c->hs_done_pending = 0;
		pkt->sent->handshake_done = 1;
		pkt->eliciting = 1;
	}

	if (pkt->space == QUIC_PNSPACE_APP && c->new_token_pending &&
	    room > QUIC_NEW_TOKEN_LEN + 2) {
		u8 token[QUIC_NEW_TOKEN_LEN];

		memset(&f, 0, sizeof(f));
		f.type = QUIC_FRAME_NEW_TOKEN;
		f.data.data = token;
		f.data.len = quic_retry_new_token(sk, token);
		n = quic_frame_encode(skb_tail_pointer(skb), room, &f);
		if (n < 0)
			return n;
		skb_put(skb, n);
		room -= n;
		c->new_token_pending = 0;
		pkt->sent->new_token = 1;
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_NEW_TOKEN_SND);
		pkt->eliciting = 1;
	}

	if (pkt->space == QUIC_PNSPACE_APP && room > 16) {
		n = quic_outq_app_fill(sk, skb, pkt->sent, room);
		if (n > 0) {
			room -= n;
			pkt->eliciting = 1;
		}
	}

	if (c->ping_pending && !pkt->eliciting && room) {
		skb_put_u8(skb, QUIC_FRAME_PING);
		c->ping_pending = 0;
		pkt->eliciting = 1;
	}
	if (!pkt->eliciting) {
		quic_sent_free(sk, pkt->sent);
		pkt->sent = NULL;
	}
	return 0;
}

/* quic_udp_xmit() with bottom halves disabled */
static int __quic_udp_xmit(struct sock *usk, struct sk_buff *skb,
			   const union quic_addr *saddr,
			   const union quic_addr *to, int oif, u8 tos,
			   struct dst_cache *cache)
{
	__be16 sport = inet_sk(usk)->inet_sport;
	struct net *net = sock_net(usk);

	skb->ignore_df = 1;
	if (to->sa.sa_family == AF_INET6) {
		struct flowi6 fl6 = {
			.flowi6_oif = to->v6.sin6_scope_id ?: oif,
			.flowi6_proto = IPPROTO_UDP,
			.daddr = to->v6.sin6_addr,
			.saddr = saddr->v6.sin6_addr,
			.fl6_dport = to->v6.sin6_port,
			.fl6_sport = sport,
		};
		struct dst_entry *dst = NULL;

		if (cache)
			dst = dst_cache_get_ip6(cache, &fl6.saddr);
		if (!dst) {
			dst = ip6_dst_lookup_flow(net, usk, &fl6, NULL);
			if (IS_ERR(dst)) {
				kfree_skb(skb);
				return PTR_ERR(dst);
			}
			if (cache)
				dst_cache_set_ip6(cache, dst, &fl6.saddr);
		}
		quic_udp_tunnel6_xmit_skb(dst, usk, skb, NULL, &fl6.saddr,
					  &fl6.daddr, tos, ip6_dst_hoplimit(dst),
					  0, sport, to->v6.sin6_port, false);
	} else {
		struct flowi4 fl4 = {};
		struct rtable *rt = NULL;

		if (cache)
			rt = dst_cache_get_ip4(cache, &fl4.saddr);
		if (!rt) {
			rt = ip_route_output_ports(net, &fl4, NULL,
						   to->v4.sin_addr.s_addr,
						   saddr->v4.sin_addr.s_addr,
						   to->v4.sin_port, sport,
						   IPPROTO_UDP, 0, oif);
			if (IS_ERR(rt)) {
				kfree_skb(skb);
				return PTR_ERR(rt);
			}
			if (cache)
				dst_cache_set_ip4(cache, &rt->dst, fl4.saddr);
		}
		fl4.daddr = to->v4.sin_addr.s_addr;
		/* never fragmented on the way (RFC 9000 section 14) */
		quic_udp_tunnel_xmit_skb(rt, usk, skb, fl4.saddr, fl4.daddr,
					 tos, ip4_dst_hoplimit(&rt->dst),
					 htons(IP_DF), sport, to->v4.sin_port,
					 false, false);
	}
	return 0;
}

/**
 * quic_udp_xmit - send a datagram from a tunnel socket
 * @usk: the tunnel socket, whose port is the source port
 * @skb: the datagram, with headroom for UDP and IP headers
 * @saddr: source address (any when unspecified)
 * @to: destination
 * @oif: output interface, or 0
 * @tos: the IPv4 TOS or IPv6 traffic class: DSCP and ECN codepoint
 * @cache: the route to @to from @usk when a connection has one, or NULL
 *
 * Context: any; process context with bottom halves enabled too (the
 * socket backlog runs so).  The tunnel helpers count their nesting in a
 * per-CPU counter (dev_xmit_recursion) and drop the datagram past a small
 * limit: a task that moved to another CPU between their increment and
 * decrement would leave one CPU's count too high and the other's wrapped
 * around, and every later datagram from that CPU would be dropped.  So
 * they run with bottom halves disabled, as in a device's ndo_start_xmit.
 *
 * Return: 0 or a negative error; @skb is consumed either way.
 */
int quic_udp_xmit(struct sock *usk, struct sk_buff *skb,
		  const union quic_addr *saddr, const union quic_addr *to,
		  int oif, u8 tos, struct dst_cache *cache)
{
	int err;

	local_bh_disable();
	err = __quic_udp_xmit(usk, skb, saddr, to, oif, tos, cache);
	local_bh_enable();
	return err;
}

/* The source address of the socket's datagrams to @to, in @to's family:
 * an AF_INET6 socket keeps an IPv4 address as ::ffff:a.b.c.d.
 */
void quic_packet_saddr(struct sock *sk, const union quic_addr *to,
		       union quic_addr *saddr)
{
	memset(saddr, 0, sizeof(*saddr));
	saddr->sa.sa_family = to->sa.sa_family;
	if (sk->sk_family == AF_INET)
		saddr->v4.sin_addr.s_addr = inet_sk(sk)->inet_saddr;
	else if (to->sa.sa_family == AF_INET6)
		saddr->v6.sin6_addr = sk->sk_v6_rcv_saddr;
	else if (ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
		saddr->v4.sin_addr.s_addr = sk->sk_v6_rcv_saddr.s6_addr32[3];
}

/* The TOS (IPv4) or traffic class (IPv6) of what @sk sends to @to: the
 * DSCP the application set with IP_TOS or IPV6_TCLASS, with our ECN
 * codepoint.
 */
static u8 quic_packet_dsfield(struct sock *sk, const union quic_addr *to)
{
	u8 ds = READ_ONCE(inet_sk(sk)->tos);

	if (to->sa.sa_family == AF_INET6 && sk->sk_family == AF_INET6)
		ds = READ_ONCE(inet6_sk(sk)->tclass);
	return (ds & ~INET_ECN_MASK) | quic_ecn_codepoint(quic_conn(sk));
}

/* Where the connection's datagrams go: its peer, on its path. */
static void quic_packet_tx_ctx(struct sock *sk, struct quic_tx_ctx *tx)
{
	struct quic_conn *c = quic_conn(sk);

	/* the cached route is for one peer, tunnel socket and device */
	if (!quic_addr_equal(&c->dst_peer, &c->peer) ||
	    c->dst_udp != quic_sk(sk)->udp ||
	    c->dst_oif != sk->sk_bound_dev_if) {
		dst_cache_reset(&c->dst_cache);
		c->dst_peer = c->peer;
		c->dst_udp = quic_sk(sk)->udp;
		c->dst_oif = sk->sk_bound_dev_if;
	}
	memset(tx, 0, sizeof(*tx));
	quic_packet_saddr(sk, &c->peer, &tx->saddr);
	tx->to = c->peer;
	tx->us = quic_sk(sk)->udp;
	tx->oif = sk->sk_bound_dev_if;
	tx->tos = quic_packet_dsfield(sk, &c->peer);
	tx->cached = 1;
}

static int quic_packet_xmit(struct sock *sk, struct sk_buff *skb,
			    const struct quic_tx_ctx *tx)
{
	struct quic_conn *c = quic_conn(sk);
	unsigned int len = skb->len;
	int err;

	err = quic_udp_xmit(tx->us->sock->sk, skb, &tx->saddr, &tx->to,
			    tx->oif, tx->tos,
			    tx->cached ? &c->dst_cache : NULL);
	if (!err)
		c->bytes_tx += len;
	return err;
}

/* A datagram whose last packet was sealed asynchronously: send it.
 * Context: the crypto completion, bottom halves disabled.  The socket
 * and tunnel socket were held for it; the cached route is the socket
 * owner's, so the route is looked up.
 */
static void quic_packet_encrypted(const struct quic_crypto_cb *cb,
				  struct sk_buff *skb, int err)
{
	const struct quic_tx_ctx *tx = (const void *)cb->priv;
	struct sock *sk = cb->data;
	struct quic_conn *c = quic_conn(sk);

	if (err) {
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CRYPTO_ASYNC_FAIL);
		kfree_skb(skb);		/* lost, as far as recovery knows */
	} else {
		if (tx->keep)
			consume_skb(xchg(&c->close_dgram,
					 skb_copy(skb, GFP_ATOMIC)));
		quic_udp_xmit(tx->us->sock->sk, skb, &tx->saddr, &tx->to,
			      tx->oif, tx->tos, NULL);
	}
	if (tx->keep) {
		/* quic_sock_end() and quic_conn_free() wait for this */
		smp_store_release(&c->close_async, 0);
		wake_up_var(&c->close_async);
	}
	quic_udp_sock_put(tx->us);
	sock_put(sk);
}

/**
 * quic_packet_path_xmit - send a path frame in a datagram of its own
 * @sk: the connection
 * @f: PATH_CHALLENGE or PATH_RESPONSE
 * @us: the tunnel socket to send it from
 * @to: the peer's address on that path
 * @size: the datagram is padded to this size (RFC 9000 section 8.2.1
 *	wants 1200 bytes where anti-amplification allows)
 *
 * The 1-RTT packet is not kept for retransmission: path validation has
 * its own timer.
 *
 * Return: 0 or a negative error.
 */
int quic_packet_path_xmit(struct sock *sk, const struct quic_frame *f,
			  struct quic_udp_sock *us, const union quic_addr *to,
			  unsigned int size)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_tx_ctx tx = {};
	struct quic_pkt pkt = {};
	struct sk_buff *skb;
	int n, err;

	if (!c->crypto[QUIC_CRYPTO_APP] || !c->crypto[QUIC_CRYPTO_APP]->tx.ready)
		return -EAGAIN;		/* 1-RTT packets only */
	skb = alloc_skb(QUIC_HEADROOM + QUIC_MAX_DATAGRAM + QUIC_TAG_LEN,
			GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, QUIC_HEADROOM);
	err = quic_pkt_open(c, skb, &pkt, QUIC_PNSPACE_APP);
	if (err)
		goto err;
	n = quic_frame_encode(skb_tail_pointer(skb), skb_tailroom(skb), f);
	if (n < 0) {
		err = n;
		goto err;
	}
	skb_put(skb, n);
	if (us == quic_sk(sk)->udp)
		quic_packet_saddr(sk, to, &tx.saddr);
	else if (us->addr.sa.sa_family == to->sa.sa_family)
		tx.saddr = us->addr;	/* else [::] sending IPv4: any */
	tx.to = *to;
	tx.us = us;
	tx.oif = sk->sk_bound_dev_if;
	tx.tos = quic_packet_dsfield(sk, to);
	err = quic_pkt_close(sk, skb, &pkt, min_t(unsigned int, size,
						  QUIC_MAX_DATAGRAM), &tx);
	if (err == -EINPROGRESS)
		return 0;
	if (err)
		goto err;
	c->bytes_tx += skb->len;
	return quic_udp_xmit(us->sock->sk, skb, &tx.saddr, to, tx.oif, tx.tos,
			     NULL);
err:
	kfree_skb(skb);
	return err;
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
	if (ip_hdr(skb)->version == 4)
		saddr.v4.sin_addr.s_addr = ip_hdr(skb)->daddr;
	else
		saddr.v6.sin6_addr = ipv6_hdr(skb)->daddr;
	if (!quic_udp_xmit(us->sock->sk, nskb, &saddr,
			   &QUIC_SKB_CB(skb)->peer, 0, 0, NULL))
		QUIC_INC_STATS(sock_net(us->sock->sk), QUIC_MIB_VN_SND);
}

/* Build and send one datagram.  Returns 1 when one was sent, 0 when there
 * was nothing to send (or no room under the amplification limit).
 */
static int quic_packet_datagram(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	unsigned int limit = QUIC_MAX_DATAGRAM;
	struct quic_tx_ctx tx;
	struct quic_pkt pkt = {};
	bool initial = false;
	struct sk_buff *skb;
	u8 space;
	int err;

	if (c->is_serv && !c->addr_validated) {
		/* RFC 9000 section 8.1: three times what we received */
		if (c->bytes_tx + QUIC_MAX_DATAGRAM > 3 * c->bytes_rx)
			return 0;
	}
	for (space = 0; space < QUIC_PNSPACE_MAX; space++)
		if (quic_space_wants_send(sk, space) &&
		    quic_space_tx_keys(c, space))
			break;
	if (space == QUIC_PNSPACE_MAX)
		return 0;
	/* what the path was found to carry; on a path not validated, what
	 * the anti-amplification check above allowed
	 */
	if (space == QUIC_PNSPACE_APP && (!c->is_serv || c->addr_validated))
		limit = c->mtu;

	skb = alloc_skb(QUIC_HEADROOM + limit + QUIC_TAG_LEN, GFP_ATOMIC);
	if (!skb)
		return 0;
	skb_reserve(skb, QUIC_HEADROOM);

	for (; space < QUIC_PNSPACE_MAX; space++) {
		if (!quic_space_wants_send(sk, space) ||
		    !quic_space_tx_keys(c, space))
			continue;
		/* a short header packet cannot be followed by another */
		if (limit - skb->len < 64)
			break;
		if (pkt.open) {
			err = quic_pkt_close(sk, skb, &pkt, 0, NULL);
			if (err)
				goto err;
		}
		err = quic_pkt_open(c, skb, &pkt, space);
		if (err)
			goto err;
		pkt.sent = quic_sent_alloc(sk);
		if (!pkt.sent) {
			err = -ENOMEM;
			goto err;
		}
		err = quic_pkt_fill(sk, skb, &pkt, limit);
		if (err)
			goto err;
		if (skb->len == pkt.pn_offset + pkt.pn_len) {
			/* nothing to say after all: drop the packet */
			skb_trim(skb, pkt.start);
			pkt.open = 0;
			quic_sent_free(sk, pkt.sent);
			break;
		}
		/* RFC 9000 section 14.1: a client pads every datagram with
		 * an Initial packet, a server those with ack-eliciting ones
		 */
		if (pkt.initial && (pkt.eliciting || !c->is_serv))
			initial = true;
		/* more CRYPTO data than fits: the next datagram takes it */
		if (c->ctx[space].sent < c->ctx[space].len)
			break;
	}
	if (!pkt.open && !skb->len) {
		consume_skb(skb);
		return 0;
	}
	quic_packet_tx_ctx(sk, &tx);
	if (pkt.open) {
		err = quic_pkt_close(sk, skb, &pkt,
				     initial ? QUIC_MIN_INITIAL_SIZE : 0, &tx);
		if (err == -EINPROGRESS)
			return 1;	/* sent by the completion */
		if (err)
			goto err;
	}
	err = quic_packet_xmit(sk, skb, &tx);
	return err ? 0 : 1;
err:
	if (pkt.open)
		quic_sent_free(sk, pkt.sent);
	kfree_skb(skb);
	return 0;
}

/**
 * quic_packet_send_close - tell the peer the connection is closed
 * @sk: the connection
 * @errcode: transport error code for CONNECTION_CLOSE
 * @app: an application close instead: the code and phrase the application
 *	set, in 1-RTT packets; APPLICATION_ERROR in others
 *
 * One datagram with a CONNECTION_CLOSE frame at every level that still
 * has keys, so that a peer that lacks some of them can read one (RFC 9000
 * section 10.2.3).  Best effort: nothing is retransmitted.
 *
 * Context: socket lock or bh lock held.
 */
void quic_packet_send_close(struct sock *sk, u64 errcode, bool app)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_frame f = {
		.type = QUIC_FRAME_CONNECTION_CLOSE,
		.close.error = app ? QUIC_TRANSPORT_ERROR_APPLICATION : errcode,
	};
	struct quic_tx_ctx tx;
	struct quic_pkt pkt = {};
	bool initial = false;
	struct sk_buff *skb;
	int n, err;
	u8 space;

	skb = alloc_skb(QUIC_HEADROOM + QUIC_MAX_DATAGRAM + QUIC_TAG_LEN,
			GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, QUIC_HEADROOM);
	for (space = 0; space < QUIC_PNSPACE_MAX; space++) {
		if (c->space[space].discarded || !quic_space_tx_keys(c, space))
			continue;
		if (pkt.open && quic_pkt_close(sk, skb, &pkt, 0, NULL))
			goto err;
		if (quic_pkt_open(c, skb, &pkt, space))
			goto err;
		if (app && space == QUIC_PNSPACE_APP) {
			/* the application's code and phrase are for 1-RTT
			 * packets only (RFC 9000 section 10.2.3)
			 */
			f.type = QUIC_FRAME_CONNECTION_CLOSE_APP;
			f.close.error = c->close_errcode;
			f.close.reason = c->close_phrase;
			f.close.reason_len = c->close_phrase_len;
		}
		n = quic_frame_encode(skb_tail_pointer(skb),
				      QUIC_MAX_DATAGRAM - skb->len - QUIC_TAG_LEN,
				      &f);
		if (n < 0)
			goto err;
		skb_put(skb, n);
		initial |= space == QUIC_PNSPACE_INITIAL;
	}
	if (!pkt.open)
		goto err;
	/* a client pads every datagram with an Initial packet (section 14.1) */
	/* kept to answer the peer during the closing period (closing.c):
	 * three probe timeouts, and no less than a peer needs to notice
	 * on a fast path, where that is only milliseconds
	 */
	c->close_until = jiffies + max(3 * quic_conn_pto(sk),
				       QUIC_CLOSING_MIN);
	quic_packet_tx_ctx(sk, &tx);
	tx.keep = 1;
	WRITE_ONCE(c->close_async, 1);
	err = quic_pkt_close(sk, skb, &pkt, initial && !c->is_serv ?
			     QUIC_MIN_INITIAL_SIZE : 0, &tx);
	if (err == -EINPROGRESS)
		return;		/* the completion keeps the copy */
	WRITE_ONCE(c->close_async, 0);
	if (err)
		goto err;
	consume_skb(xchg(&c->close_dgram, skb_copy(skb, GFP_ATOMIC)));
	quic_packet_xmit(sk, skb, &tx);
	return;
err:
	kfree_skb(skb);
}

/**
 * quic_packet_flush_bh - quic_packet_flush() from process context
 * @sk: the socket, locked by the caller
 */
void quic_packet_flush_bh(struct sock *sk)
{
	local_bh_disable();
	quic_packet_flush(sk);
	local_bh_enable();
}

/**
 * quic_packet_probe_xmit - send a path MTU probe
 * @sk: the connection
 * @size: of the datagram: a PING padded to it
 *
 * The probe is in flight like any packet; acknowledged or lost, it is
 * reported to pmtu.c, never as a congestion signal.
 *
 * Return: 0 or a negative error.
 */
int quic_packet_probe_xmit(struct sock *sk, unsigned int size)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_tx_ctx tx;
	struct quic_pkt pkt = {};
	struct sk_buff *skb;
	int err = -ENOMEM;

	skb = alloc_skb(QUIC_HEADROOM + size + QUIC_TAG_LEN, GFP_ATOMIC);
	if (!skb)
		return err;
	skb_reserve(skb, QUIC_HEADROOM);
	err = quic_pkt_open(c, skb, &pkt, QUIC_PNSPACE_APP);
	if (err)
		goto err;
	pkt.sent = quic_sent_alloc(sk);
	if (!pkt.sent) {
		err = -ENOMEM;
		goto err;
	}
	pkt.sent->probe = size;
	skb_put_u8(skb, QUIC_FRAME_PING);
	quic_packet_tx_ctx(sk, &tx);
	err = quic_pkt_close(sk, skb, &pkt, size, &tx);
	if (err == -EINPROGRESS)
		return 0;
	if (err)
		goto err;
	return quic_packet_xmit(sk, skb, &tx);
err:
	if (pkt.open)
		quic_sent_free(sk, pkt.sent);
	kfree_skb(skb);
	return err;
}

/**
 * quic_packet_flush - send what the connection has queued
 * @sk: the socket
 *
 * Context: socket lock or bh lock held.
 */
void quic_packet_flush(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	unsigned int n;

	if (sk->sk_state != TCP_SYN_SENT && sk->sk_state != TCP_SYN_RECV &&
	    sk->sk_state != TCP_ESTABLISHED)
		return;
	if (c->vn_target)
		return;		/* the version is not settled: see version.c */
	quic_path_flush(sk);
	for (n = 0; n < 64; n++)
		if (!quic_packet_datagram(sk))
			break;
	quic_pmtu_flush(sk);
	quic_outq_flushed(sk);
	/* the client discards Initial keys once it sends Handshake packets */
	if (!c->is_serv && c->ctx[QUIC_PNSPACE_HANDSHAKE].sent &&
	    !c->space[QUIC_PNSPACE_INITIAL].discarded)
		quic_conn_discard(sk, QUIC_PNSPACE_INITIAL);
	quic_conn_arm_pto(sk);
}
