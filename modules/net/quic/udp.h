/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP encapsulation: the kernel UDP tunnel sockets QUIC sockets send and
 * receive through.  One tunnel socket serves every QUIC socket bound to the
 * same local address and port in a network namespace.
 */

#ifndef __NET_QUIC_UDP_H
#define __NET_QUIC_UDP_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>

#include "addr.h"

/* Room for the IP and UDP headers in front of a datagram we build. */
#define QUIC_HEADROOM	(MAX_HEADER + sizeof(struct ipv6hdr) + \
			 sizeof(struct udphdr))

#define QUIC_UDP_PTB_MAX	4	/* ICMP errors remembered per socket */
#define QUIC_UDP_PTB_DATA	26	/* first byte, version, DCID */

/* What an ICMP error quoted of a datagram we sent: where it went and the
 * start of its QUIC packet, enough to tell the connection (RFC 9000
 * section 14.2.1 asks to validate before acting on it).
 */
struct quic_udp_ptb {
	union quic_addr		peer;
	u8			len;
	u8			data[QUIC_UDP_PTB_DATA];
};

struct quic_udp_sock {
	struct hlist_node	node;
	union quic_addr		addr;	/* bound address, port filled in */
	refcount_t		refcnt;
	struct socket		*sock;
	bool			v6only;	/* [::] without IPv4 (IPV6_V6ONLY) */
	int			ifindex; /* bound to a device (SO_BINDTODEVICE) */
	struct hlist_head	listeners;	/* listening QUIC sockets, RCU */
	spinlock_t		listen_lock;	/* protects listeners updates */
	struct work_struct	work;
	struct rcu_head		rcu;
	spinlock_t		ptb_lock;	/* protects the two below */
	u32			ptb_gen;	/* ICMP errors recorded */
	struct quic_udp_ptb	ptb[QUIC_UDP_PTB_MAX];	/* the latest */
};

/* Per-datagram receive information, in skb->cb. */
struct quic_skb_cb {
	union quic_addr peer;		/* source of the datagram */
	struct quic_udp_sock *udp;	/* the tunnel socket it reached */
	u16 len;			/* the datagram's UDP payload */
	u8 ecn;				/* its ECN codepoint, INET_ECN_* */
	u8 rx_counted:1;		/* in bytes_rx (a replay is not) */
	u8 decrypted:1;			/* the packet at skb->data was
					 * decrypted asynchronously...
					 */
	u8 decrypt_err:1;		/* ... and failed */
};

#define QUIC_SKB_CB(skb)	((struct quic_skb_cb *)&((skb)->cb[0]))

struct dst_cache;
struct sock;

struct quic_udp_sock *quic_udp_sock_get(const struct sock *sk,
					union quic_addr *addr);
void quic_udp_sock_put(struct quic_udp_sock *us);

/* Another reference, for one who has one already. */
static inline void quic_udp_sock_hold(struct quic_udp_sock *us)
{
	refcount_inc(&us->refcnt);
}

bool quic_udp_ptb_find(struct quic_udp_sock *us, u32 *gen,
		       const union quic_addr *peer, const u8 *dcid, u8 len);

/* Whether ICMP errors came in since @gen: cheap, for every flush. */
static inline bool quic_udp_ptb_new(const struct quic_udp_sock *us, u32 gen)
{
	return READ_ONCE(us->ptb_gen) != gen;
}

bool quic_udp_queue_work(struct work_struct *work);
bool quic_udp_queue_delayed_work(struct delayed_work *dwork,
				 unsigned long delay);

int quic_udp_xmit(struct sock *usk, struct sk_buff *skb,
		  const union quic_addr *saddr, const union quic_addr *to,
		  int oif, u8 tos, struct dst_cache *cache);

int quic_udp_init(int (*rcv)(struct sock *usk, struct sk_buff *skb));
void quic_udp_exit(void);
void quic_udp_flush(void);
void quic_udp_net_exit(struct net *net);

#endif /* __NET_QUIC_UDP_H */
