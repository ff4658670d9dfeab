// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The closing period of connections whose socket is gone.
 *
 * An endpoint that closed a connection answers the packets that still
 * arrive for it with its CONNECTION_CLOSE for three probe timeouts (RFC
 * 9000 section 10.2.1), in case the peer missed it.  When the socket is
 * released within that time (close() right after the connection ended,
 * the usual case), a small record takes over: the connection ID, the
 * addresses and a copy of the datagram that carried CONNECTION_CLOSE.
 * Records sit in their own hash table, looked up when a datagram matches
 * no connection, and expire on a timer.  Answers are rate limited: the
 * 1st, 2nd, 4th, 8th... packet received gets one.
 */

#include <linux/rhashtable.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <net/sock.h>

#include "compat.h"
#include "closing.h"
#include "cid_table.h"
#include "mib.h"
#include "udp.h"

/* Connection IDs are chosen per namespace: the namespace is in the key */
struct quic_closing_key {
	struct net *net;
	struct quic_cid cid;
};

struct quic_closing {
	struct rhash_head node;
	struct quic_closing_key key;
	struct list_head list;		/* quic_closing_list */
	struct list_head gc;		/* being flushed */
	struct quic_udp_sock *us;	/* held */
	union quic_addr saddr;
	union quic_addr peer;
	struct sk_buff *dgram;		/* the CONNECTION_CLOSE datagram */
	struct timer_list timer;	/* end of the closing period */
	atomic_t rx;			/* packets received */
	atomic_t next;			/* answered when rx reaches it */
	unsigned int mem;		/* charged to the namespace */
	bool dead;			/* out of the table */
	struct rcu_head rcu;
};

static const struct rhashtable_params quic_closing_params = {
	.head_offset		= offsetof(struct quic_closing, node),
	.key_offset		= offsetof(struct quic_closing, key),
	.key_len		= offsetofend(struct quic_closing_key, cid),
	.automatic_shrinking	= true,
};

static struct rhashtable quic_closing_table;
static LIST_HEAD(quic_closing_list);
static DEFINE_SPINLOCK(quic_closing_lock);

/* Records at once on the host, whatever each namespace allows: a user
 * can make namespaces, each with its own net.quic.closing_max.
 */
static atomic_t quic_closing_count = ATOMIC_INIT(0);

static void quic_closing_uncharge(struct net *net, unsigned int mem)
{
	struct quic_net *qn = quic_net(net);

	atomic_dec(&qn->closing_count);
	atomic_long_sub(mem, &qn->closing_mem);
	atomic_dec(&quic_closing_count);
}

static void quic_closing_free_rcu(struct rcu_head *head)
{
	struct quic_closing *r = container_of(head, struct quic_closing, rcu);

	quic_closing_uncharge(r->key.net, r->mem);
	consume_skb(r->dgram);
	quic_udp_sock_put(r->us);
	kfree(r);
}

/* Out of the table and the list.  Context: quic_closing_lock held. */
static bool quic_closing_unlink(struct quic_closing *r)
{
	if (r->dead)
		return false;
	r->dead = true;
	rhashtable_remove_fast(&quic_closing_table, &r->node,
			       quic_closing_params);
	list_del(&r->list);
	return true;
}

static void quic_closing_expire(struct timer_list *t)
{
	struct quic_closing *r = timer_container_of(r, t, timer);
	bool mine;

	spin_lock_bh(&quic_closing_lock);
	mine = quic_closing_unlink(r);
	spin_unlock_bh(&quic_closing_lock);
	if (mine)
		call_rcu(&r->rcu, quic_closing_free_rcu);
}

/**
 * quic_closing_add - a socket whose connection is closing goes away
 * @net: its namespace
 * @us: the tunnel socket it sends from, held by the record
 * @cid: its Connection ID, which the peer sends to
 * @saddr: the source address of its datagrams
 * @peer: where they go
 * @dgram: its CONNECTION_CLOSE datagram
 * @until: end of its closing period
 *
 * When the connection sent CONNECTION_CLOSE less than three probe
 * timeouts ago, a record answers for it until then, for QUIC_CLOSING_MAX_LIFE
 * at most.  Best effort: without memory, or past the namespace's
 * net.quic.closing_max records or the host's QUIC_CLOSING_MAX, the peer
 * finds out by its idle timeout instead (QuicClosingRefused counts it).
 * The record is charged to the memory cgroup of the task closing the
 * socket when there is one.  Context: any.
 *
 * Return: true when a record took @dgram.
 */
bool quic_closing_add(struct net *net, struct quic_udp_sock *us,
		      const struct quic_cid *cid, const union quic_addr *saddr,
		      const union quic_addr *peer, struct sk_buff *dgram,
		      unsigned long until)
{
	struct quic_net *qn = quic_net(net);
	struct quic_closing *r;
	unsigned int mem;
	int err;

	if (!time_before(jiffies, until))
		return false;
	if (time_after(until, jiffies + QUIC_CLOSING_MAX_LIFE))
		until = jiffies + QUIC_CLOSING_MAX_LIFE;
	mem = sizeof(*r) + dgram->truesize;
	atomic_inc(&quic_closing_count);
	atomic_inc(&qn->closing_count);
	atomic_long_add(mem, &qn->closing_mem);
	if (atomic_read(&quic_closing_count) > QUIC_CLOSING_MAX ||
	    atomic_read(&qn->closing_count) > READ_ONCE(qn->closing_max))
		goto err_count;
	r = kzalloc(sizeof(*r), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!r)
		goto err_count;
	r->key.cid = *cid;
	r->key.net = net;
	r->mem = mem;
	r->peer = *peer;
	r->saddr = *saddr;
	r->dgram = dgram;
	atomic_set(&r->next, 1);
	timer_setup(&r->timer, quic_closing_expire, 0);
	quic_udp_sock_hold(us);
	r->us = us;

	spin_lock_bh(&quic_closing_lock);
	err = rhashtable_lookup_insert_fast(&quic_closing_table, &r->node,
					    quic_closing_params);
	if (!err) {
		list_add(&r->list, &quic_closing_list);
		mod_timer(&r->timer, until);
	}
	spin_unlock_bh(&quic_closing_lock);
	if (err) {
		quic_udp_sock_put(r->us);
		kfree(r);
		goto err_count;
	}
	return true;

err_count:
	quic_closing_uncharge(net, mem);
	QUIC_INC_STATS(net, QUIC_MIB_CLOSING_REFUSED);
	return false;
}

/**
 * quic_closing_rcv - a datagram for no connection: one that is closing?
 * @net: its namespace
 * @dcid: its Destination Connection ID
 * @len: the ID's length
 *
 * Context: softirq, under RCU.
 *
 * Return: true when a record took it (the caller drops the datagram).
 */
bool quic_closing_rcv(struct net *net, const u8 *dcid, u8 len)
{
	struct quic_closing_key key = { .net = net };
	struct quic_closing *r;
	struct sk_buff *skb;
	int n;

	quic_cid_set(&key.cid, dcid, len);
	r = rhashtable_lookup(&quic_closing_table, &key, quic_closing_params);
	if (!r || READ_ONCE(r->dead))
		return false;
	n = atomic_inc_return(&r->rx);
	if (n != atomic_read(&r->next))
		return true;
	atomic_set(&r->next, n < (1 << 20) ? 2 * n : INT_MAX);
	skb = skb_copy(r->dgram, GFP_ATOMIC);
	if (skb && !quic_udp_xmit(r->us->sock->sk, skb, &r->saddr, &r->peer,
				  0, 0, NULL))
		QUIC_INC_STATS(net, QUIC_MIB_CLOSE_RESENT);
	return true;
}

/* The records of @net (all with NULL), or only those on tunnel sockets of
 * @port when it is not 0.
 */
static int quic_closing_flush(struct net *net, __be16 port)
{
	struct quic_closing *r, *tmp;
	LIST_HEAD(gc);
	int n = 0;

	spin_lock_bh(&quic_closing_lock);
	list_for_each_entry_safe(r, tmp, &quic_closing_list, list) {
		if (net && !net_eq(r->key.net, net))
			continue;
		if (port && r->us->addr.v4.sin_port != port)
			continue;
		quic_closing_unlink(r);
		list_add(&r->gc, &gc);
	}
	spin_unlock_bh(&quic_closing_lock);
	list_for_each_entry_safe(r, tmp, &gc, gc) {
		timer_delete_sync(&r->timer);	/* finds it dead if it runs */
		call_rcu(&r->rcu, quic_closing_free_rcu);
		n++;
	}
	return n;
}

/* A namespace goes away: its records first, and the tunnel socket
 * references they drop from RCU callbacks.  Records whose timer expired
 * just before are off the list but still counted until their callback
 * ran, which uncharges them from this namespace's quic_net.
 */
void quic_closing_net_exit(struct net *net)
{
	quic_closing_flush(net, 0);
	if (atomic_read(&quic_net(net)->closing_count))
		rcu_barrier();
}

/**
 * quic_closing_release_port - a bind() wants a port closing records hold
 * @net: the namespace
 * @port: the port
 *
 * The closing period is a courtesy to peers; it gives way to a new
 * socket, as TCP's TIME_WAIT does to SO_REUSEADDR: the records on
 * tunnel sockets of @port end now, and their references with them.
 *
 * Context: process context, may sleep.
 * Return: true when there were any.
 */
bool quic_closing_release_port(struct net *net, __be16 port)
{
	if (!port || !quic_closing_flush(net, port))
		return false;
	rcu_barrier();		/* the references drop from RCU callbacks */
	return true;
}

int quic_closing_init(void)
{
	return rhashtable_init(&quic_closing_table, &quic_closing_params);
}

void quic_closing_exit(void)
{
	quic_closing_flush(NULL, 0);
	rcu_barrier();
	rhashtable_destroy(&quic_closing_table);
}
