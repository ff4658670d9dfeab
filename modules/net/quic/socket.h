/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QUIC socket: per-connection state hung off struct sock.
 */

#ifndef __NET_QUIC_SOCKET_H
#define __NET_QUIC_SOCKET_H

#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <linux/quic.h>

#include "compat.h"
#include "connection.h"
#include "udp.h"

/* Longest ALPN list accepted by QUIC_SOCKOPT_ALPN, commas included */
#define QUIC_ALPN_MAX_LEN	255

struct quic_sock {
	struct inet_sock		inet;	/* must be first */

	struct quic_config		config;
	struct quic_transport_param	local;	/* our transport parameters */
	struct quic_transport_param	remote;	/* peer's, for 0-RTT */

	struct quic_udp_sock		*udp;	/* tunnel socket once bound */
	struct quic_udp_sock		*pref_udp;	/* server: the preferred
							 * address's
							 */
	u32				events;	/* enabled quic_event_type bits */
	u8				remote_early:1;	/* remote: remembered,
							 * 0-RTT may use it
							 */

	struct quic_conn		conn;

	struct hlist_node		proc_node;	/* quic_net's sk_list */

	char				*alpn;	/* comma separated, or NULL */
	u16				alpn_len;	/* without the NUL */
	u16				alpn_size;	/* allocated */
};

struct quic6_sock {
	struct quic_sock		quic;
	struct ipv6_pinfo		inet6;	/* must be last, see compat.h */
};

static inline struct quic_sock *quic_sk(const struct sock *sk)
{
	return (struct quic_sock *)sk;
}

static inline struct quic_conn *quic_conn(const struct sock *sk)
{
	return &quic_sk(sk)->conn;
}

static inline struct sock *quic_conn_sk(struct quic_conn *c)
{
	return &container_of(c, struct quic_sock, conn)->inet.sk;
}

static inline bool quic_conn_active(const struct sock *sk)
{
	return (1 << sk->sk_state) &
	       (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_ESTABLISHED);
}

/* Wake the socket's sleepers (a migration waiting for the frames it
 * needs) without calling sk_state_change(), which a kernel consumer may
 * have taken over and which means a change of state.
 */
static inline void quic_sock_wake(struct sock *sk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_all(&wq->wait);
	rcu_read_unlock();
}

extern struct proto quic_prot;
extern struct proto quicv6_prot;

int quic_sock_init(void);
void quic_sock_exit(void);
extern long quic_sysctl_mem[3];
int quic_sock_sendmsg_stream(struct sock *sk, struct msghdr *msg, size_t len,
			     s64 id, u32 sflags);
int quic_peeloff(struct sock *conn, sockptr_t optval, unsigned int *optlen);
void quic_peeloff_deliver(struct sock *sk, struct sk_buff *skb);
void quic_peeloff_wake(struct sock *conn);
void quic_sock_listen_rcv(struct sock *sk, struct sk_buff *skb);
struct seq_file;
int quic_sock_proc_show(struct seq_file *seq, void *v);
struct quic_udp_sock *quic_sock_udp_get(struct sock *sk,
					union quic_addr *addr);
struct sock *quic_listener_get(struct quic_udp_sock *us);
int quic_inet_connect(struct socket *sock, struct quic_sockaddr *uaddr,
		      int addr_len, int flags);
int quic_inet_listen(struct socket *sock, int backlog);
void quic_sockopt_defaults(struct quic_sock *qs);
int quic_setsockopt(struct sock *sk, int level, int optname,
		    sockptr_t optval, unsigned int optlen);
int quic_getsockopt(struct sock *sk, int level, int optname,
		    char __user *optval, int __user *optlen);
__poll_t quic_poll(struct file *file, struct socket *sock, poll_table *wait);

#endif /* __NET_QUIC_SOCKET_H */
