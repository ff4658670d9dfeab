/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address validation with Retry packets (RFC 9000 section 8.1.2), see
 * retry.c.
 */

#ifndef __NET_QUIC_RETRY_H
#define __NET_QUIC_RETRY_H

#include <linux/skbuff.h>

#include "cid_table.h"
#include "header.h"
#include "udp.h"

int quic_retry_send(struct quic_udp_sock *us, struct sk_buff *skb,
		    const struct quic_hdr *h);
#define QUIC_NEW_TOKEN_LEN	29

unsigned int quic_retry_new_token(struct sock *sk, u8 *token);
int quic_retry_token_check(struct sk_buff *skb, const struct quic_hdr *h,
			   struct quic_cid *odcid);
int quic_retry_rcv(struct sock *sk, struct sk_buff *skb,
		   const struct quic_hdr *h);
struct quic_conn;

void quic_retry_conn_init(struct quic_conn *c);
int quic_retry_net_init(struct net *net);
void quic_retry_net_exit(struct net *net);

#endif /* __NET_QUIC_RETRY_H */
