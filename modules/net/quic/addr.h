/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Addresses of both families, see addr.c.
 */

#ifndef __NET_QUIC_ADDR_H
#define __NET_QUIC_ADDR_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/types.h>

#include "compat.h"

struct dst_cache;
struct net;
struct quic_preferred_address;
struct sk_buff;
struct sock;
struct udp_port_cfg;

/* An address and port of either family; an AF_INET6 socket keeps IPv4
 * peers and local addresses as AF_INET, the family of their datagrams.
 */
union quic_addr {
	struct sockaddr		sa;
	struct sockaddr_in	v4;
	struct sockaddr_in6	v6;
};

bool quic_addr_equal(const union quic_addr *a, const union quic_addr *b);
bool quic_addr_same_host(const union quic_addr *a, const union quic_addr *b);
bool quic_addr_mapped_equal(const union quic_addr *a,
			    const union quic_addr *b);
bool quic_addr_any(const union quic_addr *a);
bool quic_addr_unicast(const union quic_addr *a);
unsigned int quic_addr_len(const union quic_addr *a);
u32 quic_addr_hash(const struct net *net, const union quic_addr *a);
unsigned int quic_addr_put(u8 *buf, const union quic_addr *a);

void quic_addr_from_skb(const struct sk_buff *skb, union quic_addr *peer,
			union quic_addr *local, u8 *ecn);
void quic_addr_from_iph(const void *iph, union quic_addr *daddr);
void quic_addr_to_pref(const union quic_addr *a,
		       struct quic_preferred_address *pa);
bool quic_addr_from_pref(const struct quic_preferred_address *pa,
			 sa_family_t family, union quic_addr *a);

int quic_addr_from_user(struct sock *sk, const struct quic_sockaddr *uaddr,
			int addr_len, union quic_addr *a);
void quic_addr_to_sock(struct sock *sk, const union quic_addr *a, bool peer);
void quic_addr_of_sock(struct sock *sk, bool peer, union quic_addr *a);
bool quic_addr_reaches(const union quic_addr *local, bool v6only,
		       const union quic_addr *to);
void quic_addr_saddr(struct sock *sk, const union quic_addr *to,
		     union quic_addr *saddr);
u8 quic_addr_dsfield(struct sock *sk, const union quic_addr *to, u8 ecn);

bool quic_addr_v6only(const union quic_addr *a, bool v6only);
void quic_addr_udp_cfg(const union quic_addr *a, bool v6only,
		       struct udp_port_cfg *cfg);
unsigned int quic_addr_route_mtu(struct net *net, const union quic_addr *to,
				 int oif);
int quic_addr_xmit(struct sock *usk, struct sk_buff *skb,
		   const union quic_addr *saddr, const union quic_addr *to,
		   int oif, u8 tos, struct dst_cache *cache);

#endif /* __NET_QUIC_ADDR_H */
