/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection IDs (RFC 9000 section 5.1) and the table that maps the IDs
 * a datagram is addressed to onto the socket of its connection.
 */

#ifndef __NET_QUIC_CID_TABLE_H
#define __NET_QUIC_CID_TABLE_H

#include <linux/rhashtable-types.h>
#include <linux/types.h>

#include "header.h"

/* Length of the connection IDs this endpoint issues: what short headers
 * addressed to us carry.
 */
#define QUIC_CID_LEN		8

struct quic_cid {
	u8 len;
	u8 data[QUIC_CID_MAX_LEN];
};

/* An entry of the connection ID table, embedded in the connection. */
struct quic_cid_node {
	struct rhash_head node;
	struct quic_cid cid;	/* the key: len and zero-padded data */
	struct sock *sk;
	bool hashed;
};

void quic_cid_set(struct quic_cid *cid, const u8 *data, u8 len);
void quic_cid_random(struct quic_cid *cid, u8 len);
bool quic_cid_equal(const struct quic_cid *a, const u8 *data, u8 len);

int quic_cid_hash_add(struct quic_cid_node *n, struct sock *sk);
void quic_cid_hash_del(struct quic_cid_node *n);
struct sock *quic_cid_lookup(struct net *net, const u8 *data, u8 len);

int quic_cid_init(void);
void quic_cid_exit(void);

#endif /* __NET_QUIC_CID_TABLE_H */
