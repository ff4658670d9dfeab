// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address validation (RFC 9000 section 8.1): Retry packets and tokens for
 * later connections (NEW_TOKEN).
 *
 * A listener with validate_peer_address set answers a first Initial that
 * carries no valid token with a Retry packet, without keeping any state:
 * the token binds the client's address and port, the server's, the
 * connection ID the client used first, the one it must use next, and an
 * expiry time, under a MAC keyed with a secret of the network namespace
 * (drawn when it is created: a token made in one namespace is worthless
 * in another).  The client's next Initial carries the token; the
 * connection is created only then.
 *
 * Token: 'R' | expiry (4, seconds, big endian) | ODCID length | ODCID |
 * MAC (16 bytes: two SipHash-2-4 values under independent keys).
 *
 * A server connection issues a token for later connections when asked
 * (QUIC_SOCKOPT_TOKEN); it binds the client's address but not its port,
 * which NATs change, the server's address and port, and lives an hour:
 * 'N' | expiry (4) | random (8) | MAC (16).  A client Initial carrying a
 * valid one skips the Retry and lifts the anti-amplification limit at
 * once; an invalid one is treated as no token (section 8.1.3).  Each
 * token makes one connection: the namespace remembers the tokens used
 * until they expire (the Initials of that connection may repeat it), so
 * a replayed token validates nothing (section 8.1.4).  When the memory
 * is full, tokens are refused (treated as none) until entries expire.
 *
 * Everything here is stateless: the server's connection state is not
 * touched.  A client's answer to a Retry is the connection's business
 * (quic_conn_retry_rcv() in connection.c).
 */

#include <crypto/algapi.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "crypto.h"
#include "mib.h"
#include "retry.h"
#include "udp.h"

#define QUIC_TOKEN_RETRY	'R'
#define QUIC_TOKEN_NEW		'N'
#define QUIC_TOKEN_LIFETIME	10	/* seconds, Retry */
#define QUIC_NEW_TOKEN_LIFETIME	3600
#define QUIC_TOKEN_MAC_LEN	16
#define QUIC_TOKEN_SEEN_PROBE	8	/* slots tried per token */

static void quic_token_put_expiry(u8 *p, u32 lifetime)
{
	u32 expiry = (u32)ktime_get_real_seconds() + lifetime;

	put_unaligned_be32(expiry, p);
}

static bool quic_token_expired(const u8 *p)
{
	return (s32)(get_unaligned_be32(p) - (u32)ktime_get_real_seconds()) < 0;
}

/* MAC, under @net's key, over the client's address (and port, for Retry
 * tokens), the server's address and port, the token body and, for Retry
 * tokens, the new DCID.
 */
static void quic_token_mac(struct net *net, const union quic_addr *local,
			   const union quic_addr *peer, const u8 *body,
			   unsigned int len, const u8 *dcid, u8 dcid_len,
			   u8 *mac)
{
	u8 buf[2 * (sizeof(struct in6_addr) + 2) + 1 + 4 + 1 +
	       2 * QUIC_CID_MAX_LEN + 1];
	const siphash_key_t *key = quic_net(net)->token_key;
	unsigned int n, i;
	u64 v;

	n = quic_addr_put(buf, peer);
	if (body[0] == QUIC_TOKEN_RETRY) {
		memcpy(buf + n, &peer->v4.sin_port, 2);
		n += 2;
	}
	n += quic_addr_put(buf + n, local);
	memcpy(buf + n, &local->v4.sin_port, 2);
	n += 2;
	memcpy(buf + n, body, len);
	n += len;
	buf[n++] = dcid_len;
	if (dcid_len)
		memcpy(buf + n, dcid, dcid_len);
	n += dcid_len;
	for (i = 0; i < 2; i++) {
		v = siphash(buf, n, &key[i]);
		memcpy(mac + 8 * i, &v, 8);
	}
}

/* The server's address and port a datagram reached. */
static void quic_token_local(struct sk_buff *skb, union quic_addr *local)
{
	quic_addr_from_skb(skb, NULL, local, NULL);
	local->v4.sin_port =
		inet_sk(QUIC_SKB_CB(skb)->udp->sock->sk)->inet_sport;
}

static struct net *quic_token_net(struct sk_buff *skb)
{
	return sock_net(QUIC_SKB_CB(skb)->udp->sock->sk);
}

/**
 * quic_retry_send - answer a first Initial with a Retry packet
 * @us: the tunnel socket it arrived on
 * @skb: the datagram (peer address in its control block)
 * @h: its parsed header
 *
 * Context: softirq.
 * Return: 0 or a negative error.
 */
int quic_retry_send(struct quic_udp_sock *us, struct sk_buff *skb,
		    const struct quic_hdr *h)
{
	u8 token[1 + 4 + 1 + QUIC_CID_MAX_LEN + QUIC_TOKEN_MAC_LEN];
	union quic_addr saddr = {}, local;
	struct sk_buff *nskb;
	struct quic_cid scid;
	unsigned int tlen;
	int n, err;

	quic_cid_random(&scid, QUIC_CID_LEN);
	token[0] = QUIC_TOKEN_RETRY;
	quic_token_put_expiry(token + 1, QUIC_TOKEN_LIFETIME);
	token[5] = h->dcid_len;
	memcpy(token + 6, h->dcid, h->dcid_len);
	tlen = 6 + h->dcid_len;
	quic_token_local(skb, &local);
	quic_token_mac(quic_token_net(skb), &local, &QUIC_SKB_CB(skb)->peer,
		       token, tlen, scid.data, scid.len, token + tlen);
	tlen += QUIC_TOKEN_MAC_LEN;

	nskb = alloc_skb(MAX_HEADER + sizeof(struct ipv6hdr) +
			 sizeof(struct udphdr) + 64 + QUIC_CID_MAX_LEN * 2 +
			 tlen, GFP_ATOMIC);
	if (!nskb)
		return -ENOMEM;
	skb_reserve(nskb, MAX_HEADER + sizeof(struct ipv6hdr) +
		    sizeof(struct udphdr));
	n = quic_retry_put(skb_tail_pointer(nskb), skb_tailroom(nskb),
			   get_random_u8(), h->version, h->scid, h->scid_len,
			   scid.data, scid.len, token, tlen);
	if (n < 0 || skb_tailroom(nskb) < n + QUIC_RETRY_TAG_LEN) {
		kfree_skb(nskb);
		return -EINVAL;
	}
	err = quic_crypto_retry_tag(h->version, h->dcid, h->dcid_len,
				    skb_tail_pointer(nskb), n,
				    skb_tail_pointer(nskb) + n);
	if (err) {
		kfree_skb(nskb);
		return err;
	}
	skb_put(nskb, n + QUIC_RETRY_TAG_LEN);
	quic_addr_from_skb(skb, NULL, &saddr, NULL);
	err = quic_udp_xmit(us->sock->sk, nskb, &saddr,
			    &QUIC_SKB_CB(skb)->peer, 0, 0, NULL);
	if (!err)
		QUIC_INC_STATS(sock_net(us->sock->sk), QUIC_MIB_RETRY_SND);
	return err;
}

/**
 * quic_retry_new_token - a token for the peer's later connections
 * @net: the server's namespace
 * @local: the server's address and port, as the client sends to them
 * @peer: the client's address
 * @token: room for QUIC_NEW_TOKEN_LEN bytes
 *
 * Return: its length, QUIC_NEW_TOKEN_LEN.
 */
unsigned int quic_retry_new_token(struct net *net,
				  const union quic_addr *local,
				  const union quic_addr *peer, u8 *token)
{
	token[0] = QUIC_TOKEN_NEW;
	quic_token_put_expiry(token + 1, QUIC_NEW_TOKEN_LIFETIME);
	get_random_bytes(token + 5, 8);
	quic_token_mac(net, local, peer, token, 13, NULL, 0, token + 13);
	return QUIC_NEW_TOKEN_LEN;
}

/* Has @token (valid) made a connection other than @dcid's?  Remembers it
 * otherwise.  Return: true when it may validate the connection.
 */
static bool quic_token_first_use(struct net *net, const u8 *token,
				 const u8 *dcid, u8 dcid_len)
{
	struct quic_net *qn = quic_net(net);
	u32 now = (u32)ktime_get_real_seconds(), i, slot;
	struct quic_token_seen *e, *free = NULL;
	bool ok = false;
	u64 id, d;

	memcpy(&id, token + 5, sizeof(id));
	d = siphash(dcid, dcid_len, &qn->token_key[0]);
	slot = (u32)siphash(&id, sizeof(id), &qn->token_key[1]);
	spin_lock_bh(&qn->token_lock);
	for (i = 0; i < QUIC_TOKEN_SEEN_PROBE; i++) {
		e = &qn->token_seen[(slot + i) % QUIC_TOKEN_SEEN_MAX];
		if ((s32)(e->expiry - now) < 0) {
			if (!free)
				free = e;
			continue;
		}
		if (e->id == id) {
			ok = e->dcid == d;	/* its own Initials again */
			goto out;
		}
	}
	if (free) {
		free->id = id;
		free->dcid = d;
		free->expiry = get_unaligned_be32(token + 1);
		ok = true;
	}
out:
	spin_unlock_bh(&qn->token_lock);
	return ok;
}

static int quic_new_token_check(struct sk_buff *skb, const struct quic_hdr *h)
{
	u8 mac[QUIC_TOKEN_MAC_LEN];
	union quic_addr local;

	BUILD_BUG_ON(13 + QUIC_TOKEN_MAC_LEN != QUIC_NEW_TOKEN_LEN);
	if (h->token_len != QUIC_NEW_TOKEN_LEN)
		return -EINVAL;
	quic_token_local(skb, &local);
	quic_token_mac(quic_token_net(skb), &local, &QUIC_SKB_CB(skb)->peer,
		       h->token, 13, NULL, 0, mac);
	if (crypto_memneq(mac, h->token + 13, QUIC_TOKEN_MAC_LEN) ||
	    quic_token_expired(h->token + 1))
		return -EINVAL;
	if (!quic_token_first_use(quic_token_net(skb), h->token, h->dcid,
				  h->dcid_len)) {
		QUIC_INC_STATS(quic_token_net(skb), QUIC_MIB_TOKEN_REPLAYED);
		return -EINVAL;
	}
	return 0;
}

/**
 * quic_retry_token_check - validate the token of an Initial
 * @skb: the datagram (peer address in its control block)
 * @h: the Initial's header, with its token
 * @odcid: set to the connection ID the client used first, for a Retry
 *	token; zero length for a NEW_TOKEN one
 *
 * Return: 0 for a valid token, -EINVAL otherwise.
 */
int quic_retry_token_check(struct sk_buff *skb, const struct quic_hdr *h,
			   struct quic_cid *odcid)
{
	u8 mac[QUIC_TOKEN_MAC_LEN];
	union quic_addr local;
	unsigned int body;

	odcid->len = 0;
	if (h->token_len && h->token[0] == QUIC_TOKEN_NEW)
		return quic_new_token_check(skb, h);
	if (h->token_len < 6 + QUIC_TOKEN_MAC_LEN ||
	    h->token_len > QUIC_TOKEN_MAX_LEN || h->token[0] != QUIC_TOKEN_RETRY)
		return -EINVAL;
	body = 6 + h->token[5];
	if (h->token[5] > QUIC_CID_MAX_LEN ||
	    h->token_len != body + QUIC_TOKEN_MAC_LEN)
		return -EINVAL;
	quic_token_local(skb, &local);
	quic_token_mac(quic_token_net(skb), &local, &QUIC_SKB_CB(skb)->peer,
		       h->token, body, h->dcid, h->dcid_len, mac);
	if (crypto_memneq(mac, h->token + body, QUIC_TOKEN_MAC_LEN) ||
	    quic_token_expired(h->token + 1))
		return -EINVAL;
	quic_cid_set(odcid, h->token + 6, h->token[5]);
	return 0;
}

/**
 * quic_retry_net_init - token keys and the memory of used tokens of a
 * namespace
 * @net: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int quic_retry_net_init(struct net *net)
{
	struct quic_net *qn = quic_net(net);

	get_random_bytes(qn->token_key, sizeof(qn->token_key));
	spin_lock_init(&qn->token_lock);
	qn->token_seen = kvcalloc(QUIC_TOKEN_SEEN_MAX,
				  sizeof(*qn->token_seen), GFP_KERNEL);
	return qn->token_seen ? 0 : -ENOMEM;
}

void quic_retry_net_exit(struct net *net)
{
	kvfree(quic_net(net)->token_seen);
	quic_net(net)->token_seen = NULL;
}
