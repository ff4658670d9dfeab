// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connection ID table.
 *
 * Every connection ID a connection can be reached by (the IDs it issued,
 * and on a server the client's original Destination Connection ID until
 * the handshake completes) is a key in one resizable hash table, shared
 * by all namespaces: the IDs are random, the namespace is checked on
 * lookup.  Lookups run under RCU from the UDP receive path; insertion and
 * removal take the table's own locks and may run in any context.
 */

#include <linux/random.h>
#include <linux/rhashtable.h>
#include <net/sock.h>

#include "cid_table.h"

static struct rhashtable quic_cid_table;

static const struct rhashtable_params quic_cid_params = {
	.head_offset		= offsetof(struct quic_cid_node, node),
	.key_offset		= offsetof(struct quic_cid_node, cid),
	.key_len		= sizeof(struct quic_cid),
	.automatic_shrinking	= true,
};

/**
 * quic_cid_set - fill a connection ID
 * @cid: destination, zero-padded so that it can serve as a table key
 * @data: the ID bytes
 * @len: their count, at most QUIC_CID_MAX_LEN
 */
void quic_cid_set(struct quic_cid *cid, const u8 *data, u8 len)
{
	memset(cid, 0, sizeof(*cid));
	cid->len = min_t(u8, len, QUIC_CID_MAX_LEN);
	memcpy(cid->data, data, cid->len);
}

/**
 * quic_cid_random - a new random connection ID
 * @cid: destination
 * @len: length, at most QUIC_CID_MAX_LEN
 */
void quic_cid_random(struct quic_cid *cid, u8 len)
{
	memset(cid, 0, sizeof(*cid));
	cid->len = min_t(u8, len, QUIC_CID_MAX_LEN);
	get_random_bytes(cid->data, cid->len);
}

/**
 * quic_cid_equal - compare a connection ID with bytes from a packet
 * @a: the ID
 * @data: bytes
 * @len: their count
 *
 * Return: true when equal.
 */
bool quic_cid_equal(const struct quic_cid *a, const u8 *data, u8 len)
{
	return a->len == len && !memcmp(a->data, data, len);
}

/**
 * quic_cid_hash_add - make a connection reachable by an ID
 * @n: the node, with n->cid set
 * @sk: the connection's socket
 *
 * Return: 0, or -EEXIST when another connection has the ID.
 */
int quic_cid_hash_add(struct quic_cid_node *n, struct sock *sk)
{
	int err;

	n->sk = sk;
	err = rhashtable_lookup_insert_fast(&quic_cid_table, &n->node,
					    quic_cid_params);
	n->hashed = !err;
	return err;
}

/**
 * quic_cid_hash_del - remove an ID from the table, if it is there
 * @n: the node
 *
 * Lookups running under RCU may still return the socket; they take a
 * reference only if the socket is not yet being freed.
 */
void quic_cid_hash_del(struct quic_cid_node *n)
{
	if (!n->hashed)
		return;
	rhashtable_remove_fast(&quic_cid_table, &n->node, quic_cid_params);
	n->hashed = false;
}

/**
 * quic_cid_lookup - the connection a Destination Connection ID leads to
 * @net: namespace the datagram arrived in
 * @data: the ID
 * @len: its length
 *
 * Context: any.
 * Return: the socket with a reference held, or NULL.
 */
struct sock *quic_cid_lookup(struct net *net, const u8 *data, u8 len)
{
	struct quic_cid_node *n;
	struct quic_cid key;
	struct sock *sk = NULL;

	if (len > QUIC_CID_MAX_LEN)
		return NULL;
	quic_cid_set(&key, data, len);
	rcu_read_lock();
	n = rhashtable_lookup(&quic_cid_table, &key, quic_cid_params);
	if (n && net_eq(sock_net(n->sk), net) &&
	    refcount_inc_not_zero(&n->sk->sk_refcnt))
		sk = n->sk;
	rcu_read_unlock();
	return sk;
}

int quic_cid_init(void)
{
	return rhashtable_init(&quic_cid_table, &quic_cid_params);
}

void quic_cid_exit(void)
{
	rhashtable_destroy(&quic_cid_table);
}
