// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Send path: from the queued frames to UDP datagrams.
 *
 * quic_packet_flush() fills datagrams level by level (Initial,
 * Handshake, 1-RTT), coalescing packets, padding datagrams that carry an
 * ack-eliciting Initial packet to 1200 bytes; the frames of 1-RTT packets
 * come from the send queue (outqueue.c).  Each packet is protected in
 * place (crypto.c) and its datagram handed to the UDP tunnel with the
 * connection's cached route; when the AEAD completes asynchronously, its
 * completion sends the datagram.  Everything runs under the socket lock
 * (or bh lock) and never sleeps.
 *
 * Full 1-RTT datagrams leave in batches where the path's datagrams are
 * small: quic_packet_gso() builds up to net.quic.gso_segments of them
 * back to back in one skb, each exactly the path's datagram size but the
 * last, and hands UDP one GSO skb (SKB_GSO_UDP_L4, as a UDP socket's
 * UDP_SEGMENT does); a device without UDP segmentation gets them cut in
 * software by the stack.  The congestion window sizes the batch and the
 * pacer still passes each packet, as when they leave one by one.
 *
 * The receive path is rx.c.
 */

#include <linux/ipv6.h>
#include <linux/wait_bit.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "closing.h"
#include "compat.h"
#include "frame_wire.h"
#include "outqueue.h"
#include "varint.h"
#include "mib.h"
#include "packet.h"
#include "retry.h"
#include "socket.h"

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
	u8 gso:1;		/* one packet of a GSO send: the last of its
				 * sealings to complete sends (quic_gso_cb)
				 */
};

/* A GSO send while it is built: the builder holds one count and each
 * packet sealed asynchronously another; whoever drops the last sends the
 * skb, or drops it when a sealing failed.
 */
struct quic_gso_cb {
	atomic_t pending;
	u8 failed;
};

#define QUIC_GSO_CB(skb)	((struct quic_gso_cb *)&(skb)->cb[0])

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

	if (!cr)
		return -EAGAIN;	/* no keys, or a key update to follow first */
	if (space == QUIC_PNSPACE_INITIAL && !c->is_serv && c->token_len) {
		ho.token = c->token;
		ho.token_len = c->token_len;
	}
	memset(pkt, 0, sizeof(*pkt));
	pkt->pn = s->next_pn;
	n = quic_pn_encode_len(pkt->pn, s->largest_acked);
	/* Unprotected 1-RTT packets (disable_1rtt_encryption) carry the
	 * whole number: a packet that arrives so late that the receiver
	 * decodes a short number into a later one is no longer dropped by
	 * its AEAD, and the later packet would then be taken for a
	 * duplicate although acknowledged, leaving a hole in the stream.
	 */
	pkt->pn_len = n > 0 && !cr->plain ? max(n, QUIC_PN_LEN_MIN) : 4;
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
		if (tx->gso)
			atomic_inc(&QUIC_GSO_CB(skb)->pending);
	}
	err = quic_crypto_encrypt(pkt->cr, skb, &p, async ? &cb : NULL);
	pkt->open = 0;
	if (err == -EINPROGRESS) {
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CRYPTO_ASYNC);
		if (!tx->gso)	/* a GSO send counts all its bytes */
			c->bytes_tx += p.start + p.len + QUIC_TAG_LEN;
	} else if (async) {
		if (tx->gso)
			atomic_dec(&QUIC_GSO_CB(skb)->pending);
		quic_udp_sock_put(tx->us);
		__sock_put(sk);
	}
	if (err && err != -EINPROGRESS) {
		/* never left: what it carried goes out again */
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_UNSENT);
		if (quic_crypto_refused(err))
			QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CRYPTO_REFUSED);
		quic_outq_unsent(sk, pkt->space, pkt->sent);
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
		pkt->sent->ack = 1;
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
		union quic_addr local;

		quic_addr_saddr(sk, &c->peer, &local);
		local.v4.sin_port = inet_sk(sk)->inet_sport;
		memset(&f, 0, sizeof(f));
		f.type = QUIC_FRAME_NEW_TOKEN;
		f.data.data = token;
		f.data.len = quic_retry_new_token(sock_net(sk), &local,
						  &c->peer, token);
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
	quic_addr_saddr(sk, &c->peer, &tx->saddr);
	tx->to = c->peer;
	tx->us = quic_sk(sk)->udp;
	tx->oif = sk->sk_bound_dev_if;
	tx->tos = quic_addr_dsfield(sk, &c->peer, quic_ecn_codepoint(c));
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

	if (tx->gso) {
		struct quic_gso_cb *g = QUIC_GSO_CB(skb);

		if (err)
			WRITE_ONCE(g->failed, 1);
		/* fully ordered: every failure is seen by the last one */
		if (!atomic_dec_and_test(&g->pending))
			goto out;	/* the skb is not ours to touch */
		err = READ_ONCE(g->failed) ? -EBADMSG : 0;
	}
	if (err) {
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CRYPTO_ASYNC_FAIL);
		kfree_skb(skb);		/* lost, as far as recovery knows */
	} else {
		if (tx->keep) {
			consume_skb(xchg(&c->close_dgram,
					 skb_copy(skb, GFP_ATOMIC)));
			/* the closing period starts when it leaves */
			if (time_before(READ_ONCE(c->close_until),
					jiffies + QUIC_CLOSING_MIN))
				WRITE_ONCE(c->close_until,
					   jiffies + QUIC_CLOSING_MIN);
		}
		quic_udp_xmit(tx->us->sock->sk, skb, &tx->saddr, &tx->to,
			      tx->oif, tx->tos, NULL);
	}
	if (tx->keep) {
		/* quic_sock_end() and quic_conn_free() wait for this */
		smp_store_release(&c->close_async, 0);
		wake_up_var(&c->close_async);
	}
out:
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
 * @ping: add a PING, which makes the packet non-probing (RFC 9000
 *	section 9.1): a move, not only a probe
 *
 * The 1-RTT packet is not kept for retransmission: path validation has
 * its own timer.
 *
 * Return: 0 or a negative error.
 */
int quic_packet_path_xmit(struct sock *sk, const struct quic_frame *f,
			  struct quic_udp_sock *us, const union quic_addr *to,
			  unsigned int size, bool ping)
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
	if (ping)
		skb_put_u8(skb, QUIC_FRAME_PING);
	if (us == quic_sk(sk)->udp)
		quic_addr_saddr(sk, to, &tx.saddr);
	else if (us->addr.sa.sa_family == to->sa.sa_family)
		tx.saddr = us->addr;	/* else [::] sending IPv4: any */
	tx.to = *to;
	tx.us = us;
	tx.oif = sk->sk_bound_dev_if;
	tx.tos = quic_addr_dsfield(sk, to, quic_ecn_codepoint(c));
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

/**
 * quic_packet_vn_probe - a client's first datagram, in a version the
 * server may not speak
 * @sk: the client, owned by the caller
 *
 * 1200 bytes, so that a server answers with Version Negotiation (see
 * quic_probe_put()); nothing of it is kept.
 *
 * Context: process.
 * Return: 0 or a negative error.
 */
int quic_packet_vn_probe(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	union quic_addr saddr;
	struct sk_buff *skb;
	int n;
	u8 tos;

	skb = alloc_skb(QUIC_HEADROOM + QUIC_MIN_INITIAL_SIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, QUIC_HEADROOM);
	n = quic_probe_put(skb_put_zero(skb, QUIC_MIN_INITIAL_SIZE),
			   QUIC_MIN_INITIAL_SIZE, c->probe_version,
			   c->dcid.data, c->dcid.len, c->scid.data,
			   c->scid.len);
	if (n < 0) {
		kfree_skb(skb);
		return n;
	}
	quic_addr_saddr(sk, &c->peer, &saddr);
	tos = quic_addr_dsfield(sk, &c->peer, quic_ecn_codepoint(c));
	return quic_udp_xmit(quic_sk(sk)->udp->sock->sk, skb, &saddr,
			     &c->peer, sk->sk_bound_dev_if, tos, NULL);
}

/* How many datagrams of @size the next send may carry: 1 unless stream
 * data waits for more than one full datagram and the window has room.
 */
static unsigned int quic_packet_gso_segs(struct sock *sk, unsigned int size)
{
	unsigned int n = READ_ONCE(quic_net(sock_net(sk))->gso_segments);

	n = min3(n, QUIC_GSO_BYTES / size, quic_outq_app_burst(sk, size));
	return max(n, 1U);
}

/**
 * quic_packet_gso - more 1-RTT datagrams behind the first, one GSO send
 * @sk: the connection
 * @skb: holds one open 1-RTT packet, from its start, with room for @segs
 *	datagrams of @size
 * @pkt: that packet
 * @tx: where they go
 * @size: the path's datagram size: every datagram but the last has it
 * @segs: at most this many datagrams
 *
 * Each packet is padded to fill its datagram when another follows, and
 * sealed before the next is written behind it: an asynchronous sealing
 * works on its own bytes while the skb grows.
 *
 * Return: 1 when datagrams were sent (or will be, by the last sealing to
 * complete), 0 when none could be.
 */
static int quic_packet_gso(struct sock *sk, struct sk_buff *skb,
			   struct quic_pkt *pkt, struct quic_tx_ctx *tx,
			   unsigned int size, unsigned int segs)
{
	struct quic_gso_cb *g = QUIC_GSO_CB(skb);
	struct quic_conn *c = quic_conn(sk);
	unsigned int n = 1;
	bool more;
	int err;

	atomic_set(&g->pending, 1);
	g->failed = 0;
	tx->gso = 1;
	for (;;) {
		/* another only behind a full one: padding is for the
		 * datagram boundaries, not for packets with little to say
		 */
		more = n < segs && skb->len + QUIC_TAG_LEN + 64 >= n * size &&
		       quic_space_wants_send(sk, QUIC_PNSPACE_APP) &&
		       quic_space_tx_keys(c, QUIC_PNSPACE_APP);
		err = quic_pkt_close(sk, skb, pkt, more ? n * size : 0, tx);
		if (err && err != -EINPROGRESS) {
			skb_trim(skb, pkt->start);	/* not sent */
			break;
		}
		if (!more)
			break;
		if (quic_pkt_open(c, skb, pkt, QUIC_PNSPACE_APP))
			break;
		pkt->sent = quic_sent_alloc(sk);
		if (!pkt->sent ||
		    quic_pkt_fill(sk, skb, pkt, (n + 1) * size) ||
		    skb->len == pkt->pn_offset + pkt->pn_len) {
			/* nothing more after all, or the fill failed:
			 * frames it wrote go again
			 */
			quic_outq_unsent(sk, pkt->space, pkt->sent);
			skb_trim(skb, pkt->start);
			pkt->open = 0;
			break;
		}
		n++;
	}
	/* the window had room for @segs: data still waiting means the
	 * pacer ended the batch
	 */
	if (n < segs && quic_cong_paced(&c->cong) && quic_outq_app_data(sk))
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_GSO_PACED);
	n = DIV_ROUND_UP(skb->len, size);
	if (n > 1) {
		skb_shinfo(skb)->gso_size = size;
		skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
		skb_shinfo(skb)->gso_segs = n;
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_GSO_SND);
		QUIC_ADD_STATS(sock_net(sk), QUIC_MIB_GSO_SEGS, n);
	}
	c->bytes_tx += skb->len;
	if (!atomic_dec_and_test(&g->pending))
		return 1;	/* the last sealing sends */
	if (g->failed || !skb->len) {
		kfree_skb(skb);
		return 0;
	}
	return quic_udp_xmit(tx->us->sock->sk, skb, &tx->saddr, &tx->to,
			     tx->oif, tx->tos,
			     tx->cached ? &c->dst_cache : NULL) ? 0 : 1;
}

/* Build and send one datagram, or several in one GSO send.  Returns 1 when
 * something was sent, 0 when there was nothing to send (or no room under
 * the amplification limit).
 */
static int quic_packet_datagram(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	unsigned int limit = QUIC_MAX_DATAGRAM;
	struct quic_tx_ctx tx;
	struct quic_pkt pkt = {};
	unsigned int segs = 1;
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
	 * the anti-amplification check above allowed.  Acknowledgments and
	 * control frames alone take the smallest datagram: the buffer is
	 * allocated at the limit, and zeroed with init_on_alloc, so on a
	 * path of large datagrams each acknowledgment would cost a
	 * datagram's zeroing.
	 */
	if (space == QUIC_PNSPACE_APP && (!c->is_serv || c->addr_validated) &&
	    quic_outq_app_data(sk) && quic_cong_can_send(&c->cong)) {
		limit = c->mtu;
		segs = quic_packet_gso_segs(sk, limit);
	}

	skb = alloc_skb(QUIC_HEADROOM + segs * limit + QUIC_TAG_LEN,
			GFP_ATOMIC);
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
	if (segs > 1 && pkt.open && !pkt.start && !pkt.early)
		return quic_packet_gso(sk, skb, &pkt, &tx, limit, segs);
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
	if (pkt.open)	/* its frames may be written: not to be lost */
		quic_outq_unsent(sk, pkt.space, pkt.sent);
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
	WRITE_ONCE(c->close_until, jiffies + max(3 * quic_conn_pto(sk),
						 QUIC_CLOSING_MIN));
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
	/* before the data: an ICMP error sizes the datagrams built next,
	 * and a probe takes the window's room first, which a bulk sender
	 * would otherwise fill every time
	 */
	quic_pmtu_flush(sk);
	for (n = 0; n < 64; n++)
		if (!quic_packet_datagram(sk))
			break;
	quic_outq_flushed(sk);
	/* the client discards Initial keys once it sends Handshake packets */
	if (!c->is_serv && c->ctx[QUIC_PNSPACE_HANDSHAKE].sent &&
	    !c->space[QUIC_PNSPACE_INITIAL].discarded)
		quic_conn_discard(sk, QUIC_PNSPACE_INITIAL);
	quic_conn_arm_pto(sk);
}
