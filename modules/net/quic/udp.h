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
#include <linux/refcount.h>
#include <linux/workqueue.h>

union quic_addr {
	struct sockaddr		sa;
	struct sockaddr_in	v4;
	struct sockaddr_in6	v6;
};

struct quic_udp_sock {
	struct hlist_node	node;
	union quic_addr		addr;	/* bound address, port filled in */
	refcount_t		refcnt;
	struct socket		*sock;
	struct hlist_head	listeners;	/* listening QUIC sockets, RCU */
	spinlock_t		listen_lock;	/* protects listeners updates */
	struct work_struct	work;
	struct rcu_head		rcu;
};

struct quic_udp_sock *quic_udp_sock_get(struct net *net, union quic_addr *addr);
void quic_udp_sock_put(struct quic_udp_sock *us);

struct sock;

void quic_udp_listen_add(struct quic_udp_sock *us, struct sock *sk);
void quic_udp_listen_del(struct quic_udp_sock *us, struct sock *sk);
struct sock *quic_udp_listener(struct quic_udp_sock *us);
bool quic_udp_queue_work(struct work_struct *work);
bool quic_udp_queue_delayed_work(struct delayed_work *dwork,
				 unsigned long delay);

int quic_udp_init(void);
void quic_udp_exit(void);
void quic_udp_net_exit(struct net *net);

#endif /* __NET_QUIC_UDP_H */
