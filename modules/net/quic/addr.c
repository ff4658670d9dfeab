// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address families: everything that differs between IPv4 and IPv6, so
 * that the rest of the module handles a union quic_addr without asking
 * which one it is.
 *
 * An AF_INET6 socket also speaks IPv4 (unless IPV6_V6ONLY): its IPv4
 * peers and local addresses are kept as AF_INET, the family of their
 * datagrams, and shown to the application as ::ffff:a.b.c.d.
 */

#include <linux/jhash.h>
#include <net/dst_cache.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include <uapi/linux/quic.h>

#include "addr.h"
#include "compat.h"
#include "tparam.h"

static bool quic_addr_is6(const union quic_addr *a)
{
	return a->sa.sa_family == AF_INET6;
}

/* Same family, address and port. */
bool quic_addr_equal(const union quic_addr *a, const union quic_addr *b)
{
	if (a->sa.sa_family != b->sa.sa_family ||
	    a->v4.sin_port != b->v4.sin_port)
		return false;
	if (quic_addr_is6(a))
		return ipv6_addr_equal(&a->v6.sin6_addr, &b->v6.sin6_addr);
	return a->v4.sin_addr.s_addr == b->v4.sin_addr.s_addr;
}

/* Same family and address, any port. */
bool quic_addr_same_host(const union quic_addr *a, const union quic_addr *b)
{
	union quic_addr c = *b;

	c.v4.sin_port = a->v4.sin_port;
	return quic_addr_equal(a, &c);
}

/* Same address, any port, where @b may show an IPv4 @a as
 * ::ffff:a.b.c.d.
 */
bool quic_addr_mapped_equal(const union quic_addr *a,
			    const union quic_addr *b)
{
	const struct in6_addr *b6 = &b->v6.sin6_addr;

	if (quic_addr_is6(a))
		return quic_addr_is6(b) &&
		       ipv6_addr_equal(&a->v6.sin6_addr, b6);
	if (quic_addr_is6(b))
		return ipv6_addr_v4mapped(b6) &&
		       b6->s6_addr32[3] == a->v4.sin_addr.s_addr;
	return a->v4.sin_addr.s_addr == b->v4.sin_addr.s_addr;
}

/* The wildcard address of its family. */
bool quic_addr_any(const union quic_addr *a)
{
	return quic_addr_is6(a) ? ipv6_addr_any(&a->v6.sin6_addr) :
				  !a->v4.sin_addr.s_addr;
}

/* An address one host has: not the wildcard, nor IPv4 in IPv6's form. */
bool quic_addr_unicast(const union quic_addr *a)
{
	if (quic_addr_any(a))
		return false;
	return !quic_addr_is6(a) || !ipv6_addr_v4mapped(&a->v6.sin6_addr);
}

/* The size of the sockaddr of @a's family. */
unsigned int quic_addr_len(const union quic_addr *a)
{
	return quic_addr_is6(a) ? sizeof(a->v6) : sizeof(a->v4);
}

u32 quic_addr_hash(const struct net *net, const union quic_addr *a)
{
	u32 h = net_hash_mix(net) ^ (__force u16)a->v4.sin_port;

	if (quic_addr_is6(a))
		return jhash(&a->v6.sin6_addr, sizeof(a->v6.sin6_addr), h);
	return jhash_1word((__force u32)a->v4.sin_addr.s_addr, h);
}

/* The address alone, in network order, at @buf; returns its length. */
unsigned int quic_addr_put(u8 *buf, const union quic_addr *a)
{
	if (quic_addr_is6(a)) {
		memcpy(buf, &a->v6.sin6_addr, sizeof(struct in6_addr));
		return sizeof(struct in6_addr);
	}
	memcpy(buf, &a->v4.sin_addr, sizeof(struct in_addr));
	return sizeof(struct in_addr);
}

/**
 * quic_addr_from_skb - the addresses of a received datagram
 * @skb: the datagram, with its IP and UDP headers set
 * @peer: if not NULL, the sender's address and port
 * @local: if not NULL, the address it was sent to (the port is left 0)
 * @ecn: if not NULL, its ECN codepoint
 */
void quic_addr_from_skb(const struct sk_buff *skb, union quic_addr *peer,
			union quic_addr *local, u8 *ecn)
{
	const struct udphdr *uh = udp_hdr(skb);

	if (ip_hdr(skb)->version == 4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (peer) {
			memset(peer, 0, sizeof(*peer));
			peer->v4.sin_family = AF_INET;
			peer->v4.sin_addr.s_addr = iph->saddr;
			peer->v4.sin_port = uh->source;
		}
		if (local) {
			memset(local, 0, sizeof(*local));
			local->v4.sin_family = AF_INET;
			local->v4.sin_addr.s_addr = iph->daddr;
		}
		if (ecn)
			*ecn = iph->tos & INET_ECN_MASK;
		return;
	}
	if (peer) {
		memset(peer, 0, sizeof(*peer));
		peer->v6.sin6_family = AF_INET6;
		peer->v6.sin6_addr = ipv6_hdr(skb)->saddr;
		peer->v6.sin6_port = uh->source;
		if (ipv6_addr_type(&peer->v6.sin6_addr) & IPV6_ADDR_LINKLOCAL)
			peer->v6.sin6_scope_id = inet6_iif(skb);
	}
	if (local) {
		memset(local, 0, sizeof(*local));
		local->v6.sin6_family = AF_INET6;
		local->v6.sin6_addr = ipv6_hdr(skb)->daddr;
	}
	if (ecn)
		*ecn = ipv6_get_dsfield(ipv6_hdr(skb)) & INET_ECN_MASK;
}

/* The destination of the IP header at @iph (quoted by an ICMP error);
 * the port is left 0.
 */
void quic_addr_from_iph(const void *iph, union quic_addr *daddr)
{
	const struct iphdr *ip4 = iph;

	memset(daddr, 0, sizeof(*daddr));
	if (ip4->version == 6) {
		const struct ipv6hdr *ip6 = iph;

		daddr->v6.sin6_family = AF_INET6;
		daddr->v6.sin6_addr = ip6->daddr;
		return;
	}
	daddr->v4.sin_family = AF_INET;
	daddr->v4.sin_addr.s_addr = ip4->daddr;
}

/* A server's address in its preferred_address parameter; the other
 * family's part is left as it is (zero).
 */
void quic_addr_to_pref(const union quic_addr *a,
		       struct quic_preferred_address *pa)
{
	if (quic_addr_is6(a)) {
		memcpy(pa->ipv6, &a->v6.sin6_addr, sizeof(pa->ipv6));
		pa->port6 = ntohs(a->v6.sin6_port);
	} else {
		memcpy(pa->ipv4, &a->v4.sin_addr, sizeof(pa->ipv4));
		pa->port4 = ntohs(a->v4.sin_port);
	}
}

/* The address of @family in a preferred_address parameter, if it has
 * one.
 */
bool quic_addr_from_pref(const struct quic_preferred_address *pa,
			 sa_family_t family, union quic_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET6) {
		memcpy(&a->v6.sin6_addr, pa->ipv6, sizeof(pa->ipv6));
		if (ipv6_addr_any(&a->v6.sin6_addr) || !pa->port6)
			return false;
		a->v6.sin6_family = AF_INET6;
		a->v6.sin6_port = htons(pa->port6);
		return true;
	}
	memcpy(&a->v4.sin_addr, pa->ipv4, sizeof(pa->ipv4));
	if (!a->v4.sin_addr.s_addr || !pa->port4)
		return false;
	a->v4.sin_family = AF_INET;
	a->v4.sin_port = htons(pa->port4);
	return true;
}

/**
 * quic_addr_from_user - the address of bind() or connect()
 * @sk: the socket
 * @uaddr: the user's sockaddr
 * @addr_len: its length
 * @a: set to the address
 *
 * An AF_INET6 socket also takes IPv4 addresses, as AF_INET or as
 * ::ffff:a.b.c.d, unless it is IPV6_V6ONLY; they are kept as AF_INET.
 *
 * Return: 0 or a negative error.
 */
int quic_addr_from_user(struct sock *sk, const struct quic_sockaddr *uaddr,
			int addr_len, union quic_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sk->sk_family == AF_INET6 && addr_len >= (int)sizeof(a->sa) &&
	    uaddr->sa_family == AF_INET6) {
		if (addr_len < SIN6_LEN_RFC2133)
			return -EINVAL;
		memcpy(&a->v6, uaddr, min_t(int, addr_len, sizeof(a->v6)));
		a->v6.sin6_flowinfo = 0;
		if (ipv6_addr_type(&a->v6.sin6_addr) & IPV6_ADDR_MULTICAST)
			return -EINVAL;
		if (!ipv6_addr_v4mapped(&a->v6.sin6_addr))
			return 0;
		if (sk->sk_ipv6only)
			return -ENETUNREACH;
		a->v4.sin_family = AF_INET;
		a->v4.sin_addr.s_addr = a->v6.sin6_addr.s6_addr32[3];
		memset(&a->v6.sin6_addr, 0, sizeof(a->v6.sin6_addr));
		a->v6.sin6_scope_id = 0;
	} else {
		if (addr_len < (int)sizeof(struct sockaddr_in))
			return -EINVAL;
		if (uaddr->sa_family != AF_INET)
			return -EAFNOSUPPORT;
		if (sk->sk_family == AF_INET6 && sk->sk_ipv6only)
			return -ENETUNREACH;
		memcpy(&a->v4, uaddr, sizeof(struct sockaddr_in));
	}
	if (ipv4_is_multicast(a->v4.sin_addr.s_addr))
		return -EINVAL;
	return 0;
}

/**
 * quic_addr_to_sock - record a local or peer address in the socket
 * @sk: the socket
 * @a: the address (its port is the caller's to set)
 * @peer: the peer's, else the local one
 *
 * For getsockname(), getpeername() and /proc: an AF_INET6 socket shows
 * IPv4 addresses as ::ffff:a.b.c.d.
 */
void quic_addr_to_sock(struct sock *sk, const union quic_addr *a, bool peer)
{
	struct in6_addr v6;

	if (sk->sk_family == AF_INET6) {
		if (!quic_addr_is6(a))
			ipv6_addr_set_v4mapped(a->v4.sin_addr.s_addr, &v6);
		else
			v6 = a->v6.sin6_addr;
		if (peer) {
			sk->sk_v6_daddr = v6;
		} else {
			sk->sk_v6_rcv_saddr = v6;
			inet6_sk(sk)->saddr = v6;
		}
	}
	if (quic_addr_is6(a))
		return;
	if (peer) {
		inet_sk(sk)->inet_daddr = a->v4.sin_addr.s_addr;
	} else {
		inet_sk(sk)->inet_rcv_saddr = a->v4.sin_addr.s_addr;
		inet_sk(sk)->inet_saddr = a->v4.sin_addr.s_addr;
	}
}

/* An address of the socket as getsockname() or getpeername() see it. */
void quic_addr_of_sock(struct sock *sk, bool peer, union quic_addr *a)
{
	struct inet_sock *inet = inet_sk(sk);

	memset(a, 0, sizeof(*a));
	if (sk->sk_family == AF_INET6) {
		a->v6.sin6_family = AF_INET6;
		a->v6.sin6_addr = peer ? sk->sk_v6_daddr : sk->sk_v6_rcv_saddr;
	} else {
		a->v4.sin_family = AF_INET;
		a->v4.sin_addr.s_addr = peer ? inet->inet_daddr :
					       inet->inet_rcv_saddr;
	}
	a->v4.sin_port = peer ? inet->inet_dport : inet->inet_sport;
}

/* Can a socket bound to @local (@v6only: IPV6_V6ONLY) send to @to? */
bool quic_addr_reaches(const union quic_addr *local, bool v6only,
		       const union quic_addr *to)
{
	if (!quic_addr_is6(local))
		return !quic_addr_is6(to);
	return quic_addr_is6(to) || !v6only;
}

/* The source address of the socket's datagrams to @to, in @to's family:
 * an AF_INET6 socket keeps an IPv4 address as ::ffff:a.b.c.d.
 */
void quic_addr_saddr(struct sock *sk, const union quic_addr *to,
		     union quic_addr *saddr)
{
	memset(saddr, 0, sizeof(*saddr));
	saddr->sa.sa_family = to->sa.sa_family;
	if (sk->sk_family == AF_INET)
		saddr->v4.sin_addr.s_addr = inet_sk(sk)->inet_saddr;
	else if (quic_addr_is6(to))
		saddr->v6.sin6_addr = sk->sk_v6_rcv_saddr;
	else if (ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
		saddr->v4.sin_addr.s_addr = sk->sk_v6_rcv_saddr.s6_addr32[3];
}

/* The TOS (IPv4) or traffic class (IPv6) of what @sk sends to @to: the
 * DSCP the application set with IP_TOS or IPV6_TCLASS, with the ECN
 * codepoint @ecn.
 */
u8 quic_addr_dsfield(struct sock *sk, const union quic_addr *to, u8 ecn)
{
	u8 ds = READ_ONCE(inet_sk(sk)->tos);

	if (quic_addr_is6(to) && sk->sk_family == AF_INET6)
		ds = READ_ONCE(inet6_sk(sk)->tclass);
	return (ds & ~INET_ECN_MASK) | ecn;
}

/* An IPv6 wildcard socket takes IPv4 too unless it is IPV6_V6ONLY: the
 * two kinds are different tunnel sockets (only one can be bound).
 */
bool quic_addr_v6only(const union quic_addr *a, bool v6only)
{
	return quic_addr_is6(a) &&
	       (v6only || !ipv6_addr_any(&a->v6.sin6_addr));
}

/* The configuration of a UDP tunnel socket bound to @a. */
void quic_addr_udp_cfg(const union quic_addr *a, bool v6only,
		       struct udp_port_cfg *cfg)
{
	cfg->family = a->sa.sa_family;
	if (quic_addr_is6(a)) {
		cfg->local_ip6 = a->v6.sin6_addr;
		cfg->local_udp_port = a->v6.sin6_port;
		cfg->ipv6_v6only = quic_addr_v6only(a, v6only);
	} else {
		cfg->local_ip = a->v4.sin_addr;
		cfg->local_udp_port = a->v4.sin_port;
	}
}

/* The largest UDP payload the route to @to carries unfragmented, or 0. */
unsigned int quic_addr_route_mtu(struct net *net, const union quic_addr *to,
				 int oif)
{
	unsigned int mtu;

	if (quic_addr_is6(to)) {
		struct flowi6 fl6 = {
			.flowi6_oif = to->v6.sin6_scope_id ?: oif,
			.flowi6_proto = IPPROTO_UDP,
			.daddr = to->v6.sin6_addr,
		};
		struct dst_entry *dst;

		dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
		if (IS_ERR(dst))
			return 0;
		mtu = dst_mtu(dst) - sizeof(struct ipv6hdr) -
		      sizeof(struct udphdr);
		dst_release(dst);
	} else {
		struct flowi4 fl4 = {};
		struct rtable *rt;

		rt = ip_route_output_ports(net, &fl4, NULL,
					   to->v4.sin_addr.s_addr, 0,
					   to->v4.sin_port, 0, IPPROTO_UDP,
					   0, oif);
		if (IS_ERR(rt))
			return 0;
		mtu = dst_mtu(&rt->dst) - sizeof(struct iphdr) -
		      sizeof(struct udphdr);
		ip_rt_put(rt);
	}
	return mtu;
}

/**
 * quic_addr_xmit - route a datagram and hand it to the UDP tunnel
 * @usk: the tunnel socket, whose port is the source port
 * @skb: the datagram, with headroom for UDP and IP headers
 * @saddr: source address (any when unspecified)
 * @to: destination
 * @oif: output interface, or 0
 * @tos: the IPv4 TOS or IPv6 traffic class: DSCP and ECN codepoint
 * @cache: the route to @to from @usk when a connection has one, or NULL
 *
 * Context: bottom halves disabled (see quic_udp_xmit()).
 *
 * Return: 0 or a negative error; @skb is consumed either way.
 */
int quic_addr_xmit(struct sock *usk, struct sk_buff *skb,
		   const union quic_addr *saddr, const union quic_addr *to,
		   int oif, u8 tos, struct dst_cache *cache)
{
	__be16 sport = inet_sk(usk)->inet_sport;
	struct net *net = sock_net(usk);

	skb->ignore_df = 1;
	if (skb_is_gso(skb)) {
		/* segmentation fills in each datagram's checksum from the
		 * pseudo-header sum the tunnel helper writes, as for a UDP
		 * socket's UDP_SEGMENT: the sum starts at the UDP header
		 * pushed in front of the payload
		 */
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_headroom(skb) - sizeof(struct udphdr);
		skb->csum_offset = offsetof(struct udphdr, check);
	}
	if (quic_addr_is6(to)) {
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
