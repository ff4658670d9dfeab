// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stateless reset (RFC 9000 section 10.3).
 *
 * The token of each connection ID we issue is a keyed hash of the ID
 * (two SipHash-2-4 values under a key of the network namespace, drawn
 * when it is created: another namespace, whoever owns it, cannot compute
 * the tokens of this one's connections from their IDs), so a short
 * header packet for a connection this host no longer knows, after the
 * application that owned it restarted, can still be answered with the
 * token the peer was given: nothing is kept per connection to do so.
 *
 * The tokens peers gave us sit in a table of their own, looked up with
 * the last 16 bytes of a short header datagram that matches no
 * connection ID (a reset carries an unpredictable one).  The table is
 * keyed by a secret SipHash of the token and the token is then compared
 * in constant time, so how long a lookup takes tells nothing about the
 * tokens (RFC 9000 section 10.3.1).  A datagram that
 * matches an ID but fails to decrypt is compared with the tokens of its
 * connection (rx.c).
 */

#include <crypto/algapi.h>
#include <linux/ratelimit.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/siphash.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "cid_table.h"
#include "mib.h"
#include "reset.h"
#include "udp.h"

/* Size of the resets we send (RFC 9000 section 10.3 asks for at least
 * 21 bytes; 43 hides them among short packets), and the least a datagram
 * we answer must exceed: a reset is always shorter than what caused it,
 * so two endpoints cannot keep resetting each other.
 */
#define QUIC_RESET_LEN		43
#define QUIC_RESET_MIN_LEN	21

static siphash_key_t quic_token_hash_key;	/* the table's key */
static struct rhashtable quic_token_table;
static DEFINE_RATELIMIT_STATE(quic_reset_rs, HZ, 100);

static const struct rhashtable_params quic_token_params = {
	.head_offset		= offsetof(struct quic_token_node, node),
	.key_offset		= offsetof(struct quic_token_node, hash),
	.key_len		= sizeof(u64),
	.automatic_shrinking	= true,
};

static u64 quic_token_hash(const u8 *token)
{
	return siphash(token, QUIC_RESET_TOKEN_LEN, &quic_token_hash_key);
}

/**
 * quic_reset_token - the stateless reset token of one of our IDs
 * @net: the namespace of the connection
 * @cid: the connection ID
 * @len: its length
 * @token: QUIC_RESET_TOKEN_LEN bytes out
 */
void quic_reset_token(struct net *net, const u8 *cid, u8 len, u8 *token)
{
	const siphash_key_t *key = quic_net(net)->reset_key;
	__le64 t[2];

	t[0] = cpu_to_le64(siphash(cid, len, &key[0]));
	t[1] = cpu_to_le64(siphash(cid, len, &key[1]));
	memcpy(token, t, QUIC_RESET_TOKEN_LEN);
}

/**
 * quic_reset_hash_add - a peer's token that may end a connection
 * @n: the node, n->token set
 * @sk: the connection
 *
 * Return: 0, or -EEXIST when another connection has it (the token is
 * then only recognised in datagrams that reach the connection by ID).
 */
int quic_reset_hash_add(struct quic_token_node *n, struct sock *sk)
{
	int err;

	n->sk = sk;
	n->hash = quic_token_hash(n->token);
	err = rhashtable_lookup_insert_fast(&quic_token_table, &n->node,
					    quic_token_params);
	n->hashed = !err;
	return err;
}

/**
 * quic_reset_hash_del - forget a peer's token, if it is in the table
 * @n: the node
 */
void quic_reset_hash_del(struct quic_token_node *n)
{
	if (!n->hashed)
		return;
	rhashtable_remove_fast(&quic_token_table, &n->node, quic_token_params);
	n->hashed = false;
}

/**
 * quic_reset_lookup - the connection a stateless reset ends
 * @net: namespace the datagram arrived in
 * @token: its last QUIC_RESET_TOKEN_LEN bytes
 *
 * Context: any.
 * Return: the socket with a reference held, or NULL.
 */
struct sock *quic_reset_lookup(struct net *net, const u8 *token)
{
	u64 hash = quic_token_hash(token);
	struct quic_token_node *n;
	struct sock *sk = NULL;

	rcu_read_lock();
	n = rhashtable_lookup(&quic_token_table, &hash, quic_token_params);
	if (n && !crypto_memneq(n->token, token, QUIC_RESET_TOKEN_LEN) &&
	    net_eq(sock_net(n->sk), net) &&
	    refcount_inc_not_zero(&n->sk->sk_refcnt))
		sk = n->sk;
	rcu_read_unlock();
	return sk;
}

/**
 * quic_reset_send - answer a short header packet nobody here knows
 * @us: the tunnel socket it arrived on
 * @skb: the datagram, data at its first QUIC byte
 *
 * The reset looks like a short header packet: fixed bit set, random
 * bytes, and the token of the Destination Connection ID the datagram
 * carried.  Rate limited; never as long as the datagram.
 *
 * Context: softirq.
 */
void quic_reset_send(struct quic_udp_sock *us, struct sk_buff *skb)
{
	unsigned int len = min_t(unsigned int, skb->len - 1, QUIC_RESET_LEN);
	union quic_addr saddr = {};
	struct sk_buff *nskb;
	u8 *p;

	if (skb->len <= QUIC_RESET_MIN_LEN || skb->len < 1 + QUIC_CID_LEN ||
	    !__ratelimit(&quic_reset_rs))
		return;
	nskb = alloc_skb(QUIC_HEADROOM + QUIC_RESET_LEN, GFP_ATOMIC);
	if (!nskb)
		return;
	skb_reserve(nskb, QUIC_HEADROOM);
	p = skb_put(nskb, len);
	get_random_bytes(p, len - QUIC_RESET_TOKEN_LEN);
	p[0] = QUIC_HDR_FIXED_BIT | (p[0] & 0x3f);
	quic_reset_token(sock_net(us->sock->sk), skb->data + 1, QUIC_CID_LEN,
			 p + len - QUIC_RESET_TOKEN_LEN);
	quic_addr_from_skb(skb, NULL, &saddr, NULL);
	if (!quic_udp_xmit(us->sock->sk, nskb, &saddr,
			   &QUIC_SKB_CB(skb)->peer, 0, 0, NULL))
		QUIC_INC_STATS(sock_net(us->sock->sk), QUIC_MIB_RESET_SND);
}

int quic_reset_init(void)
{
	get_random_bytes(&quic_token_hash_key, sizeof(quic_token_hash_key));
	/* the limit is silent: no "callbacks suppressed" lines */
	ratelimit_set_flags(&quic_reset_rs, RATELIMIT_MSG_ON_RELEASE);
	return rhashtable_init(&quic_token_table, &quic_token_params);
}

void quic_reset_exit(void)
{
	rhashtable_destroy(&quic_token_table);
}
