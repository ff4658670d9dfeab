/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stateless reset (RFC 9000 section 10.3): the tokens of our connection
 * IDs, the table of the peers' tokens, and the reset itself.
 */

#ifndef __NET_QUIC_RESET_H
#define __NET_QUIC_RESET_H

#include <linux/rhashtable-types.h>
#include <linux/types.h>

#include "frame_wire.h"

struct quic_udp_sock;
struct sk_buff;
struct sock;
struct net;

/* A peer's token, in the table of tokens that end a connection. */
struct quic_token_node {
	struct rhash_head node;
	u64 hash;			/* the key: quic_token_hash(token) */
	u8 token[QUIC_RESET_TOKEN_LEN];
	struct sock *sk;
	bool hashed;
};

struct net;

void quic_reset_token(struct net *net, const u8 *cid, u8 len, u8 *token);

int quic_reset_hash_add(struct quic_token_node *n, struct sock *sk);
void quic_reset_hash_del(struct quic_token_node *n);
struct sock *quic_reset_lookup(struct net *net, const u8 *token);

void quic_reset_send(struct quic_udp_sock *us, struct sk_buff *skb);

int quic_reset_init(void);
void quic_reset_exit(void);

#endif /* __NET_QUIC_RESET_H */
