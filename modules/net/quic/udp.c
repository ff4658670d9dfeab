// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * UDP encapsulation for QUIC.
 *
 * QUIC sockets do not own UDP ports directly: binding a QUIC socket takes a
 * reference on a kernel UDP tunnel socket for the (namespace, address, port)
 * triple, creating it on first use.  Every later QUIC socket bound to the
 * same triple shares it; the last reference closes it.
 *
 * This is the bottom of the stack: it calls nothing above it.  Datagrams
 * received go to the entry point given to quic_udp_init() (rx.c); which
 * listener of a tunnel socket takes new connections is the socket layer's
 * choice (socket.c), as is making closing records give a port up.
 *
 * Locking: quic_udp_mutex serialises lookups and creation (both sleep);
 * quic_udp_lock protects the hash table against concurrent removal, which
 * may run in any context.  The socket itself is released from a work item
 * because sock_release() sleeps and the last reference may be dropped from
 * atomic context once connections are torn down by timers.
 */

#include <linux/hashtable.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/udp_tunnel.h>

#include "compat.h"
#include "udp.h"

#define QUIC_UDP_HASH_BITS	6

static DEFINE_HASHTABLE(quic_udp_table, QUIC_UDP_HASH_BITS);
static DEFINE_SPINLOCK(quic_udp_lock);
static DEFINE_MUTEX(quic_udp_mutex);
static struct workqueue_struct *quic_udp_wq;
/* the receive path's entry point, see quic_udp_init() */
static int (*quic_udp_encap_rcv)(struct sock *usk, struct sk_buff *skb)
	__ro_after_init;

static bool quic_udp_match(const struct quic_udp_sock *us,
			   const struct net *net, const union quic_addr *a,
			   bool v6only, int ifindex)
{
	return net_eq(sock_net(us->sock->sk), net) &&
	       quic_addr_equal(&us->addr, a) && us->ifindex == ifindex &&
	       us->v6only == quic_addr_v6only(a, v6only);
}

/* ICMP error for a datagram of ours, in softirq context: the UDP layer
 * has already updated the route's path MTU when it was a "packet too big";
 * remember what was quoted, the connection checks it is one of its
 * packets before it looks at the route again (see pmtu.c).  Any error
 * type is recorded: a route whose MTU did not fall changes nothing.
 */
static void quic_udp_err(QUIC_UDP_ERR_ARGS)
{
	struct quic_udp_sock *us = rcu_dereference_sk_user_data(sk);
	const struct udphdr *uh = QUIC_UDP_ERR_UH;
	unsigned int off = (const u8 *)(uh + 1) - skb->data;
	struct quic_udp_ptb ptb = {};
	const void *data;

	if (!us || off >= skb->len)
		return;
	quic_addr_from_iph(skb->data, &ptb.peer);
	ptb.peer.v4.sin_port = uh->dest;
	ptb.len = min_t(unsigned int, skb->len - off, QUIC_UDP_PTB_DATA);
	data = skb_header_pointer(skb, off, ptb.len, ptb.data);
	if (!data)
		return;
	if (data != ptb.data)
		memcpy(ptb.data, data, ptb.len);
	spin_lock(&us->ptb_lock);
	us->ptb[us->ptb_gen % QUIC_UDP_PTB_MAX] = ptb;
	WRITE_ONCE(us->ptb_gen, us->ptb_gen + 1);
	spin_unlock(&us->ptb_lock);
}

static bool quic_udp_ptb_match(const struct quic_udp_ptb *ptb,
			       const union quic_addr *peer, const u8 *dcid,
			       u8 len)
{
	const u8 *id = ptb->data + 1;

	if (ptb->peer.v4.sin_port != peer->v4.sin_port || !ptb->len ||
	    !quic_addr_mapped_equal(&ptb->peer, peer))
		return false;
	if (ptb->data[0] & 0x80) {		/* long header */
		if (ptb->len < 6 || ptb->data[5] != len)
			return false;
		id = ptb->data + 6;
	}
	return id + len <= ptb->data + ptb->len && !memcmp(id, dcid, len);
}

/**
 * quic_udp_ptb_find - did an ICMP error quote a packet of a connection
 * @us: the tunnel socket the connection sends from
 * @gen: the errors the connection has seen, updated
 * @peer: the connection's peer address
 * @dcid: the connection ID it sends to
 * @len: its length
 *
 * Context: any; takes the error lock with bottom halves off.
 * Return: true when one of the errors since @gen matches.
 */
bool quic_udp_ptb_find(struct quic_udp_sock *us, u32 *gen,
		       const union quic_addr *peer, const u8 *dcid, u8 len)
{
	bool found = false;
	u32 g;

	spin_lock_bh(&us->ptb_lock);
	g = us->ptb_gen - *gen > QUIC_UDP_PTB_MAX ?
	    us->ptb_gen - QUIC_UDP_PTB_MAX : *gen;
	for (; g != us->ptb_gen && !found; g++)
		found = quic_udp_ptb_match(&us->ptb[g % QUIC_UDP_PTB_MAX],
					   peer, dcid, len);
	*gen = us->ptb_gen;
	spin_unlock_bh(&us->ptb_lock);
	return found;
}

/**
 * quic_udp_queue_work - run work on the module's workqueue
 * @work: the work
 *
 * Module unload drains the workqueue.
 *
 * Return: false when @work was already queued.
 */
bool quic_udp_queue_work(struct work_struct *work)
{
	return queue_work(quic_udp_wq, work);
}

/**
 * quic_udp_queue_delayed_work - run work on the module's workqueue later
 * @dwork: the work
 * @delay: in jiffies
 *
 * Return: false when @dwork was already queued.
 */
bool quic_udp_queue_delayed_work(struct delayed_work *dwork,
				 unsigned long delay)
{
	return queue_delayed_work(quic_udp_wq, dwork, delay);
}

static void quic_udp_release_work(struct work_struct *work)
{
	struct quic_udp_sock *us = container_of(work, struct quic_udp_sock,
						work);

	/* The receive path finds us through sk_user_data and then uses
	 * us->sock->sk, which sock_release() clears: no reader may still
	 * run when it does.  Newer kernels' udp_tunnel_sock_release() no
	 * longer waits for them (a receive in softirq met a NULL sk on
	 * 7.3), so wait here, on every kernel.
	 */
	rcu_assign_sk_user_data(us->sock->sk, NULL);
	synchronize_rcu();
	quic_udp_tunnel_sock_release(us->sock);
	kfree_rcu(us, rcu);
}

static int quic_udp_sock_create(struct net *net, union quic_addr *a,
				bool v6only, int ifindex, struct socket **sockp)
{
	struct udp_port_cfg cfg = {};
	int err;

	quic_addr_udp_cfg(a, v6only, &cfg);
	cfg.bind_ifindex = ifindex;
	err = udp_sock_create(net, &cfg, sockp);
	/* DF on every IPv4 datagram, sized by QUIC's own path MTU
	 * discovery (pmtu.c): the route's MTU, which ICMP errors lower,
	 * does not drop them locally (IPv6 routes never fall below 1280)
	 */
	if (!err)
		ip_sock_set_mtu_discover((*sockp)->sk, IP_PMTUDISC_PROBE);
	return err;
}

/**
 * quic_udp_sock_get - find or create the tunnel socket for an address
 * @sk: the QUIC socket that binds: its namespace, its IPV6_V6ONLY (for the
 *	IPv6 wildcard address, whether IPv4 is left out) and its
 *	SO_BINDTODEVICE device choose the tunnel socket
 * @addr: local address; a zero port picks an ephemeral one, written back
 *
 * Context: process context, may sleep.
 * Return: a referenced tunnel socket or an ERR_PTR().
 */
struct quic_udp_sock *quic_udp_sock_get(const struct sock *sk,
					union quic_addr *addr)
{
	int ifindex = READ_ONCE(sk->sk_bound_dev_if);
	struct udp_tunnel_sock_cfg tcfg = {};
	bool v6only = sk->sk_ipv6only;
	struct net *net = sock_net(sk);
	struct quic_udp_sock *us;
	unsigned long flags;
	struct socket *sock;
	u32 hash;
	int err;

	mutex_lock(&quic_udp_mutex);
	if (addr->v4.sin_port) {
		hash = quic_addr_hash(net, addr);
		spin_lock_irqsave(&quic_udp_lock, flags);
		hash_for_each_possible(quic_udp_table, us, node, hash) {
			if (quic_udp_match(us, net, addr, v6only, ifindex) &&
			    refcount_inc_not_zero(&us->refcnt)) {
				spin_unlock_irqrestore(&quic_udp_lock, flags);
				mutex_unlock(&quic_udp_mutex);
				return us;
			}
		}
		spin_unlock_irqrestore(&quic_udp_lock, flags);
	}

	us = kzalloc(sizeof(*us), GFP_KERNEL);
	if (!us) {
		err = -ENOMEM;
		goto out;
	}

	err = quic_udp_sock_create(net, addr, v6only, ifindex, &sock);
	if (err) {
		kfree(us);
		goto out;
	}

	us->sock = sock;
	us->v6only = quic_addr_v6only(addr, v6only);
	us->ifindex = ifindex;
	us->addr = *addr;
	us->addr.v4.sin_port = inet_sk(sock->sk)->inet_sport;
	addr->v4.sin_port = us->addr.v4.sin_port;
	refcount_set(&us->refcnt, 1);
	INIT_WORK(&us->work, quic_udp_release_work);
	INIT_HLIST_HEAD(&us->listeners);
	spin_lock_init(&us->listen_lock);
	spin_lock_init(&us->ptb_lock);

	tcfg.sk_user_data = us;
	tcfg.encap_type = 1;
	tcfg.encap_rcv = quic_udp_encap_rcv;
	tcfg.encap_err_rcv = quic_udp_err;
	quic_setup_udp_tunnel_sock(net, sock, &tcfg);
	/* UDP_GRO: a device's GRO merges the datagrams of a flow to us, so
	 * that a train of them crosses IP and UDP once.  UDP cuts a train
	 * back into datagrams before it calls an encapsulation socket's
	 * quic_udp_rcv() (udp_unexpected_gso()), one after the other: the
	 * receive path sees datagrams only, also from local GSO sends.
	 */
	udp_set_bit(GRO_ENABLED, sock->sk);

	spin_lock_irqsave(&quic_udp_lock, flags);
	hash_add(quic_udp_table, &us->node, quic_addr_hash(net, &us->addr));
	spin_unlock_irqrestore(&quic_udp_lock, flags);
	mutex_unlock(&quic_udp_mutex);
	return us;

out:
	mutex_unlock(&quic_udp_mutex);
	return ERR_PTR(err);
}

/**
 * quic_udp_sock_put - drop a reference taken by quic_udp_sock_get()
 * @us: tunnel socket
 *
 * Context: any.  The socket is closed from a work item.
 */
void quic_udp_sock_put(struct quic_udp_sock *us)
{
	unsigned long flags;

	/* A lookup never revives a socket whose count reached zero. */
	if (!refcount_dec_and_test(&us->refcnt))
		return;
	spin_lock_irqsave(&quic_udp_lock, flags);
	hash_del(&us->node);
	spin_unlock_irqrestore(&quic_udp_lock, flags);
	queue_work(quic_udp_wq, &us->work);
}

/**
 * quic_udp_flush - wait for the tunnel sockets being released
 *
 * Context: process context, may sleep.
 */
void quic_udp_flush(void)
{
	flush_workqueue(quic_udp_wq);
}

/* A namespace going away must not leave its tunnel sockets queued. */
void quic_udp_net_exit(struct net *net)
{
	quic_udp_flush();
}

/**
 * quic_udp_init - set up the tunnel sockets' workqueue
 * @rcv: what UDP calls for each datagram that reaches a tunnel socket, in
 *	 softirq context under rcu_read_lock() (quic_packet_udp_rcv())
 *
 * Return: 0 or -ENOMEM.
 */
int quic_udp_init(int (*rcv)(struct sock *usk, struct sk_buff *skb))
{
	quic_udp_encap_rcv = rcv;
	quic_udp_wq = alloc_workqueue("quic_udp", WQ_UNBOUND, 0);
	return quic_udp_wq ? 0 : -ENOMEM;
}

void quic_udp_exit(void)
{
	destroy_workqueue(quic_udp_wq);	/* drains pending releases */
	rcu_barrier();			/* and the kfree_rcu() they queued */
}

/**
 * quic_udp_xmit - send a datagram from a tunnel socket
 * @usk: the tunnel socket, whose port is the source port
 * @skb: the datagram, with headroom for UDP and IP headers
 * @saddr: source address (any when unspecified)
 * @to: destination
 * @oif: output interface, or 0
 * @tos: the IPv4 TOS or IPv6 traffic class: DSCP and ECN codepoint
 * @cache: the route to @to from @usk when a connection has one, or NULL
 *
 * Context: any; process context with bottom halves enabled too (the
 * socket backlog runs so).  The tunnel helpers count their nesting in a
 * per-CPU counter (dev_xmit_recursion) and drop the datagram past a small
 * limit: a task that moved to another CPU between their increment and
 * decrement would leave one CPU's count too high and the other's wrapped
 * around, and every later datagram from that CPU would be dropped.  So
 * they run with bottom halves disabled, as in a device's ndo_start_xmit.
 *
 * Return: 0 or a negative error; @skb is consumed either way.
 */
int quic_udp_xmit(struct sock *usk, struct sk_buff *skb,
		  const union quic_addr *saddr, const union quic_addr *to,
		  int oif, u8 tos, struct dst_cache *cache)
{
	int err;

	local_bh_disable();
	err = quic_addr_xmit(usk, skb, saddr, to, oif, tos, cache);
	local_bh_enable();
	return err;
}
