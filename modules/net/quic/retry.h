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

/* Tokens a client sends (a Retry's, or the user's from NEW_TOKEN): other
 * servers' reach 256 bytes (RSA-2048 sealed); bounded by what an Initial
 * packet of 1200 bytes can carry.
 */
#define QUIC_TOKEN_MAX_LEN	1024
#define QUIC_NEW_TOKEN_LEN	29	/* the NEW_TOKEN tokens we issue */

int quic_retry_send(struct quic_udp_sock *us, struct sk_buff *skb,
		    const struct quic_hdr *h);

unsigned int quic_retry_new_token(struct net *net,
				  const union quic_addr *local,
				  const union quic_addr *peer, u8 *token);
int quic_retry_token_check(struct sk_buff *skb, const struct quic_hdr *h,
			   struct quic_cid *odcid);
int quic_retry_net_init(struct net *net);
void quic_retry_net_exit(struct net *net);

#endif /* __NET_QUIC_RETRY_H */
