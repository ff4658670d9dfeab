// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QUIC socket layer: struct proto callbacks (init, destroy, bind, close,
 * connect, listen, accept, sendmsg, recvmsg) and poll.  The SOL_QUIC
 * options are in sockopt.c.
 */

#include <linux/random.h>
#include <linux/wait_bit.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/udp.h>

#include "alpn.h"
#include "compat.h"
#include "closing.h"
#include "mib.h"
#include "outqueue.h"
#include "packet.h"
#include "retry.h"
#include "socket.h"
#include "timer.h"
#include "version.h"

static void quic_listen_work(struct work_struct *work);

/* Every socket of a namespace is listed in /proc/net/quic/sks. */
static void quic_sock_list_add(struct sock *sk)
{
	struct quic_net *qn = quic_net(sock_net(sk));

	spin_lock_bh(&qn->sk_lock);
	hlist_add_head(&quic_sk(sk)->proc_node, &qn->sk_list);
	spin_unlock_bh(&qn->sk_lock);
}

static void quic_sock_list_del(struct sock *sk)
{
	struct quic_net *qn = quic_net(sock_net(sk));

	spin_lock_bh(&qn->sk_lock);
	hlist_del_init(&quic_sk(sk)->proc_node);
	spin_unlock_bh(&qn->sk_lock);
}

/* Listener @sk takes the new connections of tunnel socket @us.
 * Listeners share an address (told apart by ALPN, quic_listen_select())
 * only as TCP and UDP listeners share a port: each set SO_REUSEPORT
 * before listen() and all belong to the same user.  Anything else would
 * let one user take connections meant for another's listener:
 * -EADDRINUSE when another listener holds the address.
 */
static int quic_listen_add(struct quic_udp_sock *us, struct sock *sk)
{
	struct quic_conn *c;
	struct sock *l;
	int err = 0;

	spin_lock_bh(&us->listen_lock);
	hlist_for_each_entry(c, &us->listeners, listen_node) {
		l = quic_conn_sk(c);
		if (!sk->sk_reuseport || !l->sk_reuseport ||
		    !uid_eq(sk_uid(sk), sk_uid(l))) {
			err = -EADDRINUSE;
			break;
		}
	}
	if (!err)
		hlist_add_head_rcu(&quic_conn(sk)->listen_node, &us->listeners);
	spin_unlock_bh(&us->listen_lock);
	return err;
}

/* Listener @sk stops taking the new connections of @us. */
static void quic_listen_del(struct quic_udp_sock *us, struct sock *sk)
{
	spin_lock_bh(&us->listen_lock);
	hlist_del_init_rcu(&quic_conn(sk)->listen_node);
	spin_unlock_bh(&us->listen_lock);
}

/**
 * quic_listener_get - the listener new connections on @us go to
 * @us: the tunnel socket
 *
 * Context: under rcu_read_lock().
 * Return: the listening socket with a reference held, or NULL.
 */
struct sock *quic_listener_get(struct quic_udp_sock *us)
{
	struct quic_conn *c;
	struct sock *sk;

	hlist_for_each_entry_rcu(c, &us->listeners, listen_node) {
		sk = quic_conn_sk(c);
		if (refcount_inc_not_zero(&sk->sk_refcnt))
			return sk;
	}
	return NULL;
}

/**
 * quic_sock_udp_get - the tunnel socket a QUIC socket sends from
 * @sk: the QUIC socket (see quic_udp_sock_get())
 * @addr: local address; a zero port picks an ephemeral one, written back
 *
 * A tunnel socket for the address may still be on its way out, or held
 * by closing records only, which give way to a new bind.
 *
 * Context: process context, may sleep.
 * Return: a referenced tunnel socket or an ERR_PTR().
 */
struct quic_udp_sock *quic_sock_udp_get(struct sock *sk,
					union quic_addr *addr)
{
	struct quic_udp_sock *us = quic_udp_sock_get(sk, addr);

	if (PTR_ERR_OR_ZERO(us) != -EADDRINUSE)
		return us;
	quic_closing_release_port(sock_net(sk), addr->v4.sin_port);
	quic_udp_flush();
	return quic_udp_sock_get(sk, addr);
}

static const char *const quic_state_names[] = {
	[TCP_ESTABLISHED]	= "ESTABLISHED",
	[TCP_SYN_SENT]		= "SYN_SENT",
	[TCP_SYN_RECV]		= "SYN_RECV",
	[TCP_CLOSE]		= "CLOSE",
	[TCP_LISTEN]		= "LISTEN",
};

/* An address of the socket, as getsockname() or getpeername() see it */
static void quic_sock_proc_addr(struct seq_file *seq, struct sock *sk,
				bool peer)
{
	union quic_addr a;

	quic_addr_of_sock(sk, peer, &a);
	seq_printf(seq, "%pISpc\t", &a);
}

/**
 * quic_sock_proc_show - /proc/net/quic/sks: one line per socket
 * @seq: the file
 * @v: unused
 *
 * Local and remote address, the tunnel socket's address, state, owner,
 * inode (as in /proc/PID/fd), then the send buffer in use and its size,
 * the received data queued and the receive buffer's size.
 *
 * Return: 0.
 */
int quic_sock_proc_show(struct seq_file *seq, void *v)
{
	struct quic_net *qn = quic_net(seq_file_single_net(seq));
	struct quic_udp_sock *us;
	struct quic_sock *qs;
	const char *state;
	struct sock *sk;

	seq_puts(seq, "LOCAL_ADDRESS\tREMOTE_ADDRESS\tUDP_ADDRESS\tSTATE\tUID\tINODE\tWMEM_QUEUED\tSNDBUF\tRMEM_ALLOC\tRCVBUF\tWMEM_ALLOC\tFWD_ALLOC\tBACKLOG\n");
	rcu_read_lock();	/* tunnel sockets are freed after a grace period */
	spin_lock_bh(&qn->sk_lock);
	hlist_for_each_entry(qs, &qn->sk_list, proc_node) {
		sk = &qs->inet.sk;
		quic_sock_proc_addr(seq, sk, false);
		quic_sock_proc_addr(seq, sk, true);
		us = READ_ONCE(qs->udp);
		if (us)
			seq_printf(seq, "%pISpc\t", &us->addr);
		else
			seq_puts(seq, "-\t");
		state = (unsigned int)sk->sk_state <
			ARRAY_SIZE(quic_state_names) ?
			quic_state_names[sk->sk_state] : NULL;
		seq_printf(seq, "%s\t%u\t%llu\t%d\t%d\t%d\t%d\t%d\t%d\t%u\n",
			   state ?: "?",
			   from_kuid_munged(seq_user_ns(seq), sk_uid(sk)),
			   (u64)sock_i_ino(sk), READ_ONCE(sk->sk_wmem_queued),
			   READ_ONCE(sk->sk_sndbuf), sk_rmem_alloc_get(sk),
			   READ_ONCE(sk->sk_rcvbuf), sk_wmem_alloc_get(sk),
			   READ_ONCE(sk->sk_forward_alloc),
			   READ_ONCE(sk->sk_backlog.len));
	}
	spin_unlock_bh(&qn->sk_lock);
	rcu_read_unlock();
	return 0;
}

static int quic_init_sock(struct sock *sk)
{
	struct quic_net *qn = quic_net(sock_net(sk));
	struct quic_sock *qs = quic_sk(sk);

	quic_sockopt_defaults(qs);	/* the connection starts from them */
	qs->config.congestion_control_algo = READ_ONCE(qn->cong_algo);
	qs->remote.remote = 1;
	quic_conn_init(sk);
	INIT_WORK(&qs->conn.req_work, quic_listen_work);
	/* found by connection ID lookups under RCU */
	sock_set_flag(sk, SOCK_RCU_FREE);

	sk->sk_destruct = inet_sock_destruct;
	/* buffers from net.quic.rmem and net.quic.wmem, unless set */
	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		WRITE_ONCE(sk->sk_rcvbuf, READ_ONCE(qn->rmem[1]));
	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		WRITE_ONCE(sk->sk_sndbuf, READ_ONCE(qn->wmem[1]));
	sk_sockets_allocated_inc(sk);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	quic_sock_list_add(sk);
	return 0;
}

/* A closing record answers for the connection of @sk, going away, to
 * the end of its closing period (closing.c); before the IDs and keys go.
 */
static void quic_sock_closing_add(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	union quic_addr saddr;

	if (!c->close_dgram || !quic_sk(sk)->udp)
		return;
	quic_addr_saddr(sk, &c->peer, &saddr);
	if (quic_closing_add(sock_net(sk), quic_sk(sk)->udp, &c->scid, &saddr,
			     &c->peer, c->close_dgram,
			     READ_ONCE(c->close_until)))
		c->close_dgram = NULL;		/* the record's now */
}

static void quic_destroy_sock(struct sock *sk)
{
	struct quic_sock *qs = quic_sk(sk);

	quic_conn_close_wait(sk);	/* our CONNECTION_CLOSE, sealed */
	quic_sock_closing_add(sk);
	quic_conn_half_open_end(sk);
	quic_conn_free(sk);
	if (qs->udp) {
		if (!hlist_unhashed(&qs->conn.listen_node))
			quic_listen_del(qs->udp, sk);
		quic_udp_sock_put(qs->udp);
		qs->udp = NULL;
	}
	if (qs->pref_udp) {
		quic_udp_sock_put(qs->pref_udp);
		qs->pref_udp = NULL;
	}
	if (qs->alpn) {
		sock_kfree_s(sk, qs->alpn, qs->alpn_size);
		qs->alpn = NULL;
	}
	quic_sock_list_del(sk);
	sk_sockets_allocated_dec(sk);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
}

/* Connections are not hashed yet; sk_common_release() still calls this. */
static int quic_hash(struct sock *sk)
{
	return 0;
}

static void quic_unhash(struct sock *sk)
{
}

static int quic_bind(struct sock *sk, struct quic_sockaddr *uaddr,
		     int addr_len)
{
	struct quic_sock *qs = quic_sk(sk);
	struct net *net = sock_net(sk);
	struct quic_udp_sock *us;
	union quic_addr a;
	int err;

	err = quic_addr_from_user(sk, uaddr, addr_len, &a);
	if (err)
		return err;
	if (inet_port_requires_bind_service(net, ntohs(a.v4.sin_port)) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	err = -EINVAL;
	if (qs->udp || sk->sk_state != TCP_CLOSE)
		goto out;

	us = quic_sock_udp_get(sk, &a);
	if (IS_ERR(us)) {
		err = PTR_ERR(us);
		goto out;
	}
	qs->udp = us;

	inet_sk(sk)->inet_sport = a.v4.sin_port;
	inet_sk(sk)->inet_num = ntohs(a.v4.sin_port);
	quic_addr_to_sock(sk, &a, false);
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* Flush what the connection queued, from process context. */
static void quic_sock_flush(struct sock *sk)
{
	quic_packet_flush_bh(sk);
}

/* What a sender waits for, the socket lock dropped meanwhile. */
enum quic_wait {
	QUIC_WAIT_SNDBUF,	/* room in the send buffer */
	QUIC_WAIT_STREAM,	/* the peer's limit lets the stream open */
	QUIC_WAIT_ACKED,	/* all stream data acknowledged */
};

static bool quic_wait_done(struct sock *sk, enum quic_wait what, s64 id,
			   u32 flags)
{
	if (sk->sk_err || !quic_conn_active(sk) ||
	    (sk->sk_shutdown & SEND_SHUTDOWN))
		return true;
	switch (what) {
	case QUIC_WAIT_SNDBUF:
		return sk_wmem_alloc_get(sk) < READ_ONCE(sk->sk_sndbuf);
	case QUIC_WAIT_STREAM:
		return quic_stream_send_get_ready(sk, id, flags);
	default:
		return quic_outq_all_acked(sk);
	}
}

/* Wait for @what or an error: 0, or -EAGAIN/-EINTR/-ERESTARTSYS. */
static int quic_sock_wait(struct sock *sk, long *timeo, enum quic_wait what,
			  s64 id, u32 flags)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	if (!*timeo)
		err = -EAGAIN;
	else if (signal_pending(current))
		err = sock_intr_errno(*timeo);
	else
		sk_wait_event(sk, timeo, quic_wait_done(sk, what, id, flags),
			      &wait);
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

/* The application ends the connection (close(), shutdown()): the
 * CONNECTION_CLOSE with its code and phrase, once (RFC 9000 section
 * 10.2.3), and the stream sockets learn of it.  Context: owned.
 */
static void quic_sock_end(struct sock *sk)
{
	if (!quic_conn_active(sk))
		return;
	local_bh_disable();
	quic_packet_send_close(sk, 0, true);
	local_bh_enable();
	/* a deferred encryption of it (crypto.c) is not long */
	wait_var_event_timeout(&quic_conn(sk)->close_async,
			       !quic_conn_close_async(quic_conn(sk)), HZ);
	inet_sk_set_state(sk, TCP_CLOSE);
	quic_timer_stop(sk);
	quic_peeloff_wake(sk);
}

/* Release a connection that was never accepted.  Its state changes under
 * its lock, so that the receive path, which checks it under the same
 * lock, is out of the way before the connection is torn down.
 */
static void quic_child_release(struct sock *sk)
{
	lock_sock_nested(sk, SINGLE_DEPTH_NESTING);
	inet_sk_set_state(sk, TCP_CLOSE);
	release_sock(sk);
	sk_common_release(sk);
}

static void quic_close(struct sock *sk, long timeout)
{
	struct quic_conn *c = quic_conn(sk), *child, *tmp;

	if (c->listened) {
		/* A listener leaves its tunnel socket's list first.  The
		 * receive path finds listeners there under RCU and queues
		 * new connections to req_work in the same read-side
		 * section: once a grace period has passed, nothing queues
		 * it again, and once it is cancelled nothing runs it
		 * (it uses the tunnel socket that destroy releases).
		 */
		lock_sock(sk);
		if (sk->sk_state == TCP_LISTEN) {
			quic_listen_del(quic_sk(sk)->udp, sk);
			inet_sk_set_state(sk, TCP_CLOSE);
		}
		release_sock(sk);
		synchronize_rcu();
	}
	if (cancel_work_sync(&c->req_work))
		sock_put(sk);		/* the reference of the queued work */
	quic_conn_cancel_work(sk);
	lock_sock(sk);
	list_for_each_entry_safe(child, tmp, &c->accept_q, accept_node) {
		list_del_init(&child->accept_node);
		sk_acceptq_removed(sk);
		quic_child_release(quic_conn_sk(child));
	}
	/* with SO_LINGER, stream data gets time to be delivered */
	if (quic_conn_active(sk) && sock_flag(sk, SOCK_LINGER) &&
	    sk->sk_lingertime && !(sk->sk_shutdown & SEND_SHUTDOWN)) {
		long timeo = sk->sk_lingertime;

		quic_sock_flush(sk);
		while (!quic_wait_done(sk, QUIC_WAIT_ACKED, 0, 0) &&
		       !quic_sock_wait(sk, &timeo, QUIC_WAIT_ACKED, 0, 0))
			;
	}
	quic_sock_end(sk);
	inet_sk_set_state(sk, TCP_CLOSE);	/* listeners too */
	release_sock(sk);
	sk_common_release(sk);
}

/**
 * quic_connect - start a client connection
 * @sk: the socket, owned by the caller
 * @uaddr: the server's address
 * @addr_len: its length
 *
 * Binds to an ephemeral port when needed, picks the connection IDs and
 * derives the Initial keys.  The Initial packet leaves with the first
 * handshake message given to sendmsg().
 *
 * Return: 0 or a negative error.
 */
static int quic_connect(struct sock *sk, struct quic_sockaddr *uaddr,
			int addr_len)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_conn *c = &qs->conn;
	struct quic_crypto *cr;
	struct quic_udp_sock *us;
	union quic_addr a, any;
	u32 version;
	int err;

	err = quic_addr_from_user(sk, uaddr, addr_len, &a);
	if (err)
		return err;
	if (sk->sk_state == TCP_LISTEN)
		return -EINVAL;
	if (sk->sk_state != TCP_CLOSE || c->crypto[QUIC_CRYPTO_INITIAL])
		return -EISCONN;
	version = qs->config.version ?: QUIC_VERSION_V1;

	/* bound to an address that cannot reach the peer's family */
	if (qs->udp && !quic_addr_reaches(&qs->udp->addr, qs->udp->v6only, &a))
		return -ENETUNREACH;
	if (!qs->udp) {
		memset(&any, 0, sizeof(any));
		any.sa.sa_family = sk->sk_family;
		us = quic_sock_udp_get(sk, &any);
		if (IS_ERR(us))
			return PTR_ERR(us);
		qs->udp = us;
		inet_sk(sk)->inet_sport = any.v4.sin_port;
		inet_sk(sk)->inet_num = ntohs(any.v4.sin_port);
	}

	cr = kzalloc(sizeof(*cr), GFP_KERNEL);
	if (!cr)
		return -ENOMEM;
	quic_crypto_init(cr);
	c->crypto[QUIC_CRYPTO_INITIAL] = cr;
	c->version = version;
	c->orig_version = version;
	c->peer = a;
	quic_cid_random(&c->scid, QUIC_CID_LEN);
	quic_cid_random(&c->dcid, QUIC_CID_LEN);	/* at least 8 bytes */
	c->odcid = c->dcid;
	/* a version we do not speak: its keys come after the probe */
	if (quic_version_connect(sk, version)) {
		err = quic_crypto_initial_keys(cr, c->dcid.data, c->dcid.len,
					       version, false);
		if (!err)
			err = quic_version_client_keys(sk);
		if (err)
			return err;
	}
	err = quic_connid_first(sk);
	if (err)
		return err;

	quic_addr_to_sock(sk, &a, true);
	inet_sk(sk)->inet_dport = a.v4.sin_port;
	c->last_rx = jiffies;		/* the idle timer starts now */
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CONN_ACTIVEOPENS);
	inet_sk_set_state(sk, TCP_SYN_SENT);
	return 0;
}

int quic_inet_connect(struct socket *sock, struct quic_sockaddr *uaddr,
		      int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	int err;

	lock_sock(sk);
	err = quic_connect(sk, uaddr, addr_len);
	if (!err)
		sock->state = SS_CONNECTING;
	release_sock(sk);
	return err;
}

int quic_inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct quic_sock *qs = quic_sk(sk);
	int err = -EINVAL;

	lock_sock(sk);
	if (!qs->udp || (sk->sk_state != TCP_CLOSE &&
			 sk->sk_state != TCP_LISTEN))
		goto out;
	if (sk->sk_state != TCP_LISTEN) {
		err = quic_listen_add(qs->udp, sk);
		if (err)
			goto out;
		inet_sk_set_state(sk, TCP_LISTEN);
		qs->conn.listened = 1;
	}
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	if (!qs->conn.ticket_key_set) {
		/* resumption tickets of this listener's connections */
		get_random_bytes(qs->conn.ticket_key, QUIC_TICKET_KEY_LEN);
		qs->conn.ticket_key_set = 1;
	}
	err = 0;
out:
	release_sock(sk);
	return err;
}

/**
 * quic_sock_listen_rcv - an Initial for a new connection reached a listener
 * @sk: the listener
 * @skb: the datagram
 *
 * Context: softirq.  The connection is created from a work item, since
 * setting up its keys may sleep.  Half-open connections waiting there are
 * bounded by the backlog (at least 16).
 */
void quic_sock_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct quic_conn *c = quic_conn(sk);

	if (skb_queue_len(&c->reqq) >=
	    max_t(u32, READ_ONCE(sk->sk_max_ack_backlog), 16)) {
		kfree_skb(skb);
		return;
	}
	skb_queue_tail(&c->reqq, skb);
	sock_hold(sk);
	if (!quic_udp_queue_work(&c->req_work))
		sock_put(sk);
}

/* A new server connection from the client's first Initial.  @odcid is
 * non-NULL when its token validated the address: the connection ID the
 * client used before a Retry, or an empty one for a NEW_TOKEN token.
 *
 * Context: process, the listener owned.  The clone comes bh-locked, so
 * what may sleep (transforms for the Initial keys) is done before it.
 */
static struct sock *quic_sock_child(struct sock *lsk, struct sk_buff *skb,
				    const struct quic_hdr *h,
				    const struct quic_cid *odcid)
{
	struct quic_sock *lqs = quic_sk(lsk), *qs;
	union quic_addr local;
	struct quic_crypto *cr;
	struct quic_conn *c;
	struct sock *sk;

	cr = kzalloc(sizeof(*cr), GFP_KERNEL);
	if (!cr)
		return NULL;
	quic_crypto_init(cr);
	if (quic_crypto_initial_keys(cr, h->dcid, h->dcid_len, h->version,
				     true)) {
		quic_crypto_free(cr);
		kfree(cr);
		return NULL;
	}
	sk = sk_clone_lock(lsk, GFP_KERNEL);
	if (!sk) {
		quic_crypto_free(cr);
		kfree(cr);
		return NULL;
	}
	__acquire(&sk->sk_lock.slock);	/* the clone comes bh-locked */
	qs = quic_sk(sk);
	c = &qs->conn;
	if (sk->sk_family == AF_INET6)
		inet_sk(sk)->pinet6 = &((struct quic6_sock *)sk)->inet6;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	quic_sock_list_add(sk);		/* its node is the listener's copy */
	refcount_inc(&qs->udp->refcnt);
	if (qs->pref_udp)
		refcount_inc(&qs->pref_udp->refcnt);
	quic_conn_init(sk);
	c->crypto[QUIC_CRYPTO_INITIAL] = cr;
	INIT_WORK(&c->req_work, quic_listen_work);
	qs->alpn = NULL;
	qs->alpn_len = 0;
	qs->alpn_size = 0;
	if (lqs->alpn) {
		qs->alpn = sock_kmalloc(sk, lqs->alpn_size, GFP_ATOMIC);
		if (!qs->alpn)
			goto err;
		memcpy(qs->alpn, lqs->alpn, lqs->alpn_size);
		qs->alpn_len = lqs->alpn_len;
		qs->alpn_size = lqs->alpn_size;
	}

	c->is_serv = 1;
	c->last_rx = jiffies;
	memcpy(c->ticket_key, lqs->conn.ticket_key, QUIC_TICKET_KEY_LEN);
	c->ticket_key_set = lqs->conn.ticket_key_set;
	quic_version_server_init(sk, h->version);
	c->peer = QUIC_SKB_CB(skb)->peer;
	quic_cid_set(&c->dcid, h->scid, h->scid_len);
	if (odcid && odcid->len) {
		/* validated by a Retry: the client's first ID was another */
		c->odcid = *odcid;
		quic_cid_set(&c->retry_scid, h->dcid, h->dcid_len);
		c->retried = 1;
		c->addr_validated = 1;
	} else {
		c->addr_validated = !!odcid;	/* a NEW_TOKEN token */
		quic_cid_set(&c->odcid, h->dcid, h->dcid_len);
	}
	quic_cid_random(&c->scid, QUIC_CID_LEN);
	/* the address the client reached, of its datagram's family (an
	 * AF_INET6 listener bound to [::] takes IPv4 too)
	 */
	quic_addr_from_skb(skb, NULL, &local, NULL);
	quic_addr_to_sock(sk, &local, false);
	quic_addr_to_sock(sk, &c->peer, true);
	inet_sk(sk)->inet_dport = c->peer.v4.sin_port;

	quic_cid_set(&c->odcid_node.cid, h->dcid, h->dcid_len);
	if (quic_connid_first(sk) ||
	    quic_cid_hash_add(&c->odcid_node, sk))
		goto err;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CONN_PASSIVEOPENS);
	c->half_open = 1;		/* see quic_packet_listen_retry() */
	atomic_inc(&quic_net(sock_net(sk))->half_open);
	if (odcid)
		QUIC_INC_STATS(sock_net(sk), odcid->len ?
			       QUIC_MIB_TOKEN_RETRY_OK : QUIC_MIB_TOKEN_NEW_OK);
	inet_sk_set_state(sk, TCP_SYN_RECV);
	bh_unlock_sock(sk);
	return sk;
err:
	quic_destroy_sock(sk);
	__release(&sk->sk_lock.slock);
	sk_free_unlock_clone(sk);
	return NULL;
}

#define QUIC_LISTEN_SCAN	8	/* listeners considered per port */

/* Does listener @sk accept one of @alpn's protocols?  No ALPN list at all
 * counts as a wildcard, reported in *any.
 */
static bool quic_listen_alpn(struct sock *sk, const u8 *alpn, size_t len,
			     bool *any)
{
	struct quic_sock *qs = quic_sk(sk);
	bool match = false;

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		if (!qs->alpn)
			*any = true;
		else
			match = quic_alpn_match(qs->alpn, qs->alpn_len, alpn,
						len);
	}
	release_sock(sk);
	return match;
}

/* The listener a new connection goes to.  Listeners sharing a port are
 * told apart by ALPN: the first whose list has one of the client's
 * protocols, else the first without a list, else @lsk, where TLS will
 * fail with no_application_protocol.  Returns a held socket.
 */
static struct sock *quic_listen_select(struct sock *lsk, struct sk_buff *skb,
				       const struct quic_hdr *h)
{
	struct quic_udp_sock *us = quic_sk(lsk)->udp;
	struct sock *cand[QUIC_LISTEN_SCAN], *pick = NULL, *wild = NULL;
	unsigned int n = 0, i;
	const u8 *alpn;
	struct quic_conn *c;
	size_t alpn_len;
	bool any;
	u8 *buf;

	rcu_read_lock();
	hlist_for_each_entry_rcu(c, &us->listeners, listen_node) {
		struct sock *sk = quic_conn_sk(c);

		if (n < QUIC_LISTEN_SCAN &&
		    refcount_inc_not_zero(&sk->sk_refcnt))
			cand[n++] = sk;
	}
	rcu_read_unlock();

	buf = n > 1 ? kmalloc(PAGE_SIZE, GFP_KERNEL) : NULL;
	if (buf && !quic_packet_client_alpn(skb, h, buf, PAGE_SIZE, &alpn,
					    &alpn_len)) {
		for (i = 0; i < n && !pick; i++) {
			any = false;
			if (quic_listen_alpn(cand[i], alpn, alpn_len, &any))
				pick = cand[i];
			else if (any && !wild)
				wild = cand[i];
		}
	}
	if (!pick)
		pick = wild ?: lsk;
	sock_hold(pick);
	kfree(buf);
	for (i = 0; i < n; i++)
		sock_put(cand[i]);
	return pick;
}

/* Connections of listener @sk that ended before accept() leave its full
 * queue, where they would keep the place of new ones.  Context: @sk
 * owned by the caller.
 */
static void quic_accept_prune(struct sock *sk)
{
	struct quic_conn *child, *tmp;

	list_for_each_entry_safe(child, tmp, &quic_conn(sk)->accept_q,
				 accept_node) {
		if (READ_ONCE(quic_conn_sk(child)->sk_state) != TCP_CLOSE)
			continue;
		list_del_init(&child->accept_node);
		sk_acceptq_removed(sk);
		quic_child_release(quic_conn_sk(child));
	}
}

/* Did the first Initial of new connection @sk decrypt? */
static bool quic_conn_initial_rcvd(struct sock *sk)
{
	struct quic_pnspace *s = &quic_conn(sk)->space[QUIC_PNSPACE_INITIAL];

	return quic_pnspace_largest_rx(s) >= 0;
}

/* New connections on the port: create each, on the listener its ALPN
 * selects, and queue it for accept().
 */
static void quic_listen_work(struct work_struct *work)
{
	struct quic_conn *c = container_of(work, struct quic_conn, req_work);
	struct sock *sk = quic_conn_sk(c), *nsk, *lsk;
	struct quic_cid odcid;
	struct sk_buff *skb;
	struct quic_hdr h;
	bool validated;

	while ((skb = skb_dequeue(&c->reqq))) {
		if (READ_ONCE(sk->sk_state) != TCP_LISTEN ||
		    quic_hdr_parse(skb->data, skb->len, QUIC_CID_LEN,
				   QUIC_HDR_GREASE_OK, &h)) {
			kfree_skb(skb);
			continue;
		}
		/* a retransmitted or second Initial of a connection made */
		nsk = quic_cid_lookup(sock_net(sk), h.dcid, h.dcid_len);
		if (nsk) {
			local_bh_disable();
			quic_packet_deliver(nsk, skb);
			local_bh_enable();
			sock_put(nsk);
			continue;
		}
		lsk = quic_listen_select(sk, skb, &h);
		lock_sock(lsk);
		nsk = NULL;
		validated = h.token_len &&
			    !quic_retry_token_check(skb, &h, &odcid);
		if (sk_acceptq_is_full(lsk))
			quic_accept_prune(lsk);
		if (lsk->sk_state == TCP_LISTEN && !sk_acceptq_is_full(lsk) &&
		    (validated || !quic_sk(lsk)->config.validate_peer_address))
			nsk = quic_sock_child(lsk, skb, &h,
					      validated ? &odcid : NULL);
		if (nsk) {
			local_bh_disable();
			quic_packet_deliver(nsk, skb);
			local_bh_enable();
		}
		/* An Initial whose protection did not come off (garbage, or
		 * a Destination Connection ID without the packet the keys
		 * from it protect) makes no connection: queued, it would
		 * take a place in the accept queue until its handshake timed
		 * out, and accept() could return it.  Initial keys are
		 * synchronous: the packet was processed by now.
		 */
		if (nsk && !quic_conn_initial_rcvd(nsk)) {
			QUIC_INC_STATS(sock_net(lsk), QUIC_MIB_CONN_INITIAL_BAD);
			quic_child_release(nsk);
			sock_put(nsk);	/* the clone's extra reference */
		} else if (nsk) {
			list_add_tail(&quic_conn(nsk)->accept_node,
				      &quic_conn(lsk)->accept_q);
			sk_acceptq_added(lsk);
			sock_put(nsk);	/* the clone's extra reference */
			lsk->sk_data_ready(lsk);
		} else {
			kfree_skb(skb);
		}
		release_sock(lsk);
		sock_put(lsk);
	}
	sock_put(sk);
}

static struct sock *quic_accept(QUIC_ACCEPT_ARGS)
{
	struct quic_conn *c = quic_conn(sk), *nc;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *nsk = NULL;
	long timeo;
	int ret;

	lock_sock(sk);
	ret = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	timeo = sock_rcvtimeo(sk, QUIC_ACCEPT_FLAGS & O_NONBLOCK);
	add_wait_queue(sk_sleep(sk), &wait);
	while (list_empty(&c->accept_q)) {
		ret = -EAGAIN;
		if (!timeo)
			break;
		ret = sock_intr_errno(timeo);
		if (signal_pending(current))
			break;
		ret = -EINVAL;
		sk_wait_event(sk, &timeo, !list_empty(&c->accept_q) ||
			      sk->sk_state != TCP_LISTEN, &wait);
		if (sk->sk_state != TCP_LISTEN)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	if (sk->sk_state == TCP_LISTEN && !list_empty(&c->accept_q)) {
		nc = list_first_entry(&c->accept_q, struct quic_conn,
				      accept_node);
		list_del_init(&nc->accept_node);
		sk_acceptq_removed(sk);
		nsk = quic_conn_sk(nc);
		ret = 0;
	}
out:
	release_sock(sk);
	*QUIC_ACCEPT_ERR = ret;
	return nsk;
}

/* Handshake messages: sendmsg() with a QUIC_HANDSHAKE_INFO cmsg. */
static int quic_sendmsg_handshake(struct sock *sk, struct msghdr *msg,
				  size_t len, struct quic_handshake_info *hinfo)
{
	int err;

	lock_sock(sk);
	err = sock_error(sk);		/* why the connection went away */
	if (err)
		goto out;
	err = -ENOTCONN;
	if (!quic_conn_active(sk))
		goto out;
	err = quic_version_settle(sk);	/* a probe first, maybe */
	if (err)
		goto out;
	err = quic_outq_crypto_queue(sk, hinfo->crypto_level, &msg->msg_iter,
				     len);
	if (err)
		goto out;
	quic_sock_flush(sk);
	err = len;
out:
	release_sock(sk);
	return err;
}

/* May stream data be queued?  Once established; and on a client before
 * that, as 0-RTT data, when the application set the server's remembered
 * transport parameters.
 */
static int quic_send_state(struct sock *sk)
{
	int err = sock_error(sk);

	if (err)
		return err;
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	if (sk->sk_state == TCP_SYN_SENT && quic_sk(sk)->remote_early) {
		quic_streams_start(sk);
		return 0;
	}
	if (sk->sk_state == TCP_CLOSE && quic_conn(sk)->hs_complete)
		return -EPIPE;		/* the connection ended */
	return sk->sk_state == TCP_ESTABLISHED ? 0 : -ENOTCONN;
}

#define QUIC_DGRAM_OVERHEAD	(1 + 1 + QUIC_CID_LEN + 4 + QUIC_TAG_LEN + 3)

/* A datagram: one DATAGRAM frame, within what the peer accepts. */
static int quic_sendmsg_dgram(struct sock *sk, struct msghdr *msg, size_t len)
{
	u32 max = quic_sk(sk)->remote.max_datagram_frame_size;
	long timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	int err;

	lock_sock(sk);
	err = quic_send_state(sk);
	if (err)
		goto out;
	err = -EINVAL;
	if (!max)
		goto out;	/* the peer takes none */
	err = -EMSGSIZE;
	if (len + 3 > max || len > QUIC_MSS - QUIC_DGRAM_OVERHEAD)
		goto out;
	while ((err = quic_outq_dgram_append(sk, &msg->msg_iter, len)) ==
	       -EAGAIN) {
		quic_sock_flush(sk);
		err = quic_sock_wait(sk, &timeo, QUIC_WAIT_SNDBUF, 0, 0);
		if (!err)
			err = quic_send_state(sk);
		if (err)
			goto out;
	}
	if (err)
		goto out;
	quic_sock_flush(sk);
	err = len;
out:
	release_sock(sk);
	return err;
}

#define QUIC_STREAM_FLAGS	(MSG_QUIC_STREAM_NEW | MSG_QUIC_STREAM_FIN | \
				 MSG_QUIC_STREAM_UNI | \
				 MSG_QUIC_STREAM_DONTWAIT | \
				 MSG_QUIC_STREAM_SNDBLOCK)

/* Stream data: the stream of the QUIC_STREAM_INFO cmsg, or the default
 * one for send() and write().  Blocks while the send buffer is full, and
 * while the peer's stream limit keeps the stream from opening unless
 * MSG_QUIC_STREAM_DONTWAIT.
 */
int quic_sock_sendmsg_stream(struct sock *sk, struct msghdr *msg, size_t len,
			     s64 id, u32 sflags)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	long timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	bool fin = sflags & MSG_QUIC_STREAM_FIN;
	struct quic_stream *s;
	size_t copied = 0;
	int err, n;

	lock_sock(sk);
	for (;;) {
		err = quic_send_state(sk);
		if (err)
			goto out;
		s = quic_stream_send_get(sk, id, sflags, &err);
		if (s || err != -EAGAIN)
			break;
		quic_sock_flush(sk);		/* STREAMS_BLOCKED */
		if (sflags & MSG_QUIC_STREAM_DONTWAIT)
			goto out;
		err = quic_sock_wait(sk, &timeo, QUIC_WAIT_STREAM, id, sflags);
		if (err)
			goto out;
	}
	if (!s)
		goto out;
	id = s->id;
	err = 0;	/* a zero-length send with only a FIN queues just it */
	do {
		if (sk_wmem_alloc_get(sk) >= READ_ONCE(sk->sk_sndbuf)) {
			quic_sock_flush(sk);
			err = quic_sock_wait(sk, &timeo, QUIC_WAIT_SNDBUF, 0,
					     0);
			if (!err)
				err = quic_send_state(sk);
			if (err)
				break;
			/* the stream may have been reset meanwhile */
			s = quic_stream_find(st, id);
			if (!s || !quic_stream_can_send(s)) {
				err = -EPIPE;
				break;
			}
			continue;
		}
		n = quic_outq_stream_append(sk, s, &msg->msg_iter,
					    min_t(size_t, len - copied,
						  QUIC_STREAM_CHUNK),
					    fin && len - copied <=
					    QUIC_STREAM_CHUNK);
		if (n < 0) {
			err = n;
			break;
		}
		copied += n;
	} while (copied < len);
	quic_sock_flush(sk);
out:
	release_sock(sk);
	return copied ?: err;
}

static int quic_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	struct quic_handshake_info *hinfo = NULL;
	struct quic_stream_info *sinfo = NULL;
	u32 sflags = msg->msg_flags & QUIC_STREAM_FLAGS;
	s64 id = QUIC_STREAM_ID_ACTIVE;
	struct cmsghdr *cmsg;

	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg))
			return -EINVAL;
		if (cmsg->cmsg_level != SOL_QUIC)
			continue;
		if (cmsg->cmsg_type == QUIC_HANDSHAKE_INFO &&
		    cmsg->cmsg_len == CMSG_LEN(sizeof(*hinfo)))
			hinfo = CMSG_DATA(cmsg);
		else if (cmsg->cmsg_type == QUIC_STREAM_INFO &&
			 cmsg->cmsg_len == CMSG_LEN(sizeof(*sinfo)))
			sinfo = CMSG_DATA(cmsg);
		else
			return -EINVAL;
	}
	if (hinfo)
		return sinfo ? -EINVAL :
		       quic_sendmsg_handshake(sk, msg, len, hinfo);
	if (msg->msg_flags & MSG_QUIC_DATAGRAM)
		return sinfo ? -EINVAL : quic_sendmsg_dgram(sk, msg, len);
	if (sinfo) {
		if (sinfo->stream_flags & ~QUIC_STREAM_FLAGS)
			return -EINVAL;
		sflags |= sinfo->stream_flags;
		id = sinfo->stream_id;
	}
	return quic_sock_sendmsg_stream(sk, msg, len, id, sflags);
}

/* Wait until the receive queue has something: 0 then; or the reason
 * there is nothing to wait for (0 at the end, an error, -EAGAIN, a
 * signal) with *@skb NULL.  Context: owned, the lock dropped meanwhile.
 */
static int quic_recv_wait(struct sock *sk, long *timeo, struct sk_buff **skb)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct quic_conn *c = quic_conn(sk);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (!(*skb = skb_peek(&sk->sk_receive_queue))) {
		err = sock_error(sk);
		if (err)
			break;
		err = 0;
		if (sk->sk_shutdown & RCV_SHUTDOWN)
			break;
		err = -ENOTCONN;
		if (!quic_conn_active(sk))
			break;
		err = -EAGAIN;
		if (!*timeo)
			break;
		err = sock_intr_errno(*timeo);
		if (signal_pending(current))
			break;
		/* datagrams for us are left to us meanwhile (rx.c) */
		WRITE_ONCE(c->rx_waiters, c->rx_waiters + 1);
		sk_wait_event(sk, timeo,
			      !skb_queue_empty(&sk->sk_receive_queue) ||
			      !skb_queue_empty(&c->rx_defer) ||
			      sk->sk_err || !quic_conn_active(sk) ||
			      (sk->sk_shutdown & RCV_SHUTDOWN), &wait);
		WRITE_ONCE(c->rx_waiters, c->rx_waiters - 1);
		quic_packet_rcv_deferred(sk);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return *skb ? 0 : err;
}

/* Stream data from the head of the receive queue: this and the next
 * buffers of the same stream, up to the FIN.  With MSG_WAITALL, more
 * of the stream is waited for until @len bytes, its FIN, an error, a
 * signal or the timeout, or until another stream's data comes next.
 * The windows grow with what is read, also while waiting.
 */
static int quic_recvmsg_stream(struct sock *sk, struct msghdr *msg,
			       size_t len, int flags, long *timeo)
{
	bool waitall = (flags & (MSG_WAITALL | MSG_PEEK)) == MSG_WAITALL;
	struct quic_stream_info sinfo = {};
	size_t copied = 0, chunk;
	struct sk_buff *skb, *tmp;
	bool fin = false;
	int n, err = 0;

	skb = skb_peek(&sk->sk_receive_queue);
	sinfo.stream_id = QUIC_RCV_CB(skb)->stream_id;
	for (;;) {
		chunk = 0;
		skb_queue_walk_safe(&sk->sk_receive_queue, skb, tmp) {
			struct quic_rcv_cb *cb = QUIC_RCV_CB(skb);

			if (!cb->stream || cb->stream_id != sinfo.stream_id)
				break;
			n = min_t(size_t, len - copied, skb->len);
			err = skb_copy_datagram_msg(skb, 0, msg, n);
			if (err)
				break;
			copied += n;
			chunk += n;
			if (n == skb->len && cb->fin)
				fin = true;
			if (!(flags & MSG_PEEK)) {
				if (n < skb->len) {
					__skb_pull(skb, n);
				} else {
					skb_unlink(skb, &sk->sk_receive_queue);
					consume_skb(skb);
				}
			}
			if (fin || copied == len)
				break;
		}
		if (!(flags & MSG_PEEK)) {
			quic_stream_read(sk, sinfo.stream_id, chunk, fin);
			quic_sock_flush(sk);
		}
		if (err || fin || copied == len || !waitall)
			break;
		err = quic_recv_wait(sk, timeo, &skb);
		if (err || !skb)
			break;
		if (!QUIC_RCV_CB(skb)->stream ||
		    QUIC_RCV_CB(skb)->stream_id != sinfo.stream_id)
			break;
	}
	if (!copied && err)
		return err;
	if (fin) {
		sinfo.stream_flags = MSG_QUIC_STREAM_FIN;
		msg->msg_flags |= MSG_EOR;
	}
	err = put_cmsg(msg, SOL_QUIC, QUIC_STREAM_INFO, sizeof(sinfo), &sinfo);
	return err ?: copied;
}

/* Handshake messages, datagrams and events: one buffer at a time, with
 * MSG_EOR once its end is read.
 */
static int quic_recvmsg_one(struct sock *sk, struct msghdr *msg, size_t len,
			    int flags)
{
	struct sk_buff *skb = skb_peek(&sk->sk_receive_queue);
	struct quic_rcv_cb *cb = QUIC_RCV_CB(skb);
	struct quic_handshake_info hinfo = {};
	int copied, err;

	copied = min_t(size_t, len, skb->len);
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err)
		return err;
	if (cb->event) {
		msg->msg_flags |= MSG_QUIC_NOTIFICATION;
	} else if (cb->dgram) {
		msg->msg_flags |= MSG_QUIC_DATAGRAM;
	} else {
		hinfo.crypto_level = cb->level;
		err = put_cmsg(msg, SOL_QUIC, QUIC_HANDSHAKE_INFO,
			       sizeof(hinfo), &hinfo);
		if (err)
			return err;
	}
	if (copied == skb->len)
		msg->msg_flags |= MSG_EOR;
	if (!(flags & MSG_PEEK)) {
		if (copied < skb->len) {
			__skb_pull(skb, copied);
		} else {
			skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
		}
	}
	return copied;
}

/* Handshake messages in order per level, with a QUIC_HANDSHAKE_INFO cmsg;
 * stream data with a QUIC_STREAM_INFO cmsg; datagrams and events flagged
 * in msg_flags.
 */
static int quic_recvmsg(QUIC_RECVMSG_ARGS)
{
	struct sk_buff *skb;
	long timeo;
	int err;

	/* Flags of no meaning here are ignored: programs pass back the
	 * msg_flags of their previous call (MSG_QUIC_STREAM_FIN, MSG_EOR).
	 */
	lock_sock(sk);
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	err = quic_recv_wait(sk, &timeo, &skb);
	if (skb)
		err = QUIC_RCV_CB(skb)->stream ?
		      quic_recvmsg_stream(sk, msg, len, flags, &timeo) :
		      quic_recvmsg_one(sk, msg, len, flags);
	release_sock(sk);
	return err;
}

__poll_t quic_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	if (sk->sk_state == TCP_LISTEN)
		return list_empty_careful(&quic_conn(sk)->accept_q) ? 0 :
		       EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (READ_ONCE(sk->sk_shutdown) == SHUTDOWN_MASK)
		mask |= EPOLLHUP;
	if (quic_conn_active(sk)) {
		/* handshake messages always; stream data with room */
		if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED ||
		    sk_wmem_alloc_get(sk) < READ_ONCE(sk->sk_sndbuf))
			mask |= EPOLLOUT | EPOLLWRNORM;
	} else if (quic_conn(sk)->crypto[QUIC_CRYPTO_INITIAL]) {
		mask |= EPOLLHUP;	/* was connected */
	}
	return mask;
}

/* shutdown(): SHUT_WR (and SHUT_RDWR) closes the connection with the
 * application's code; SHUT_RD drops what was received and what comes.
 * Blocked callers wake up either way.
 */
static void quic_shutdown(struct sock *sk, int how)
{
	if (how & RCV_SHUTDOWN)
		skb_queue_purge(&sk->sk_receive_queue);
	if (how & SEND_SHUTDOWN)
		quic_sock_end(sk);
	sk->sk_state_change(sk);
}

/* shutdown() of a listener or a connection still connecting. */
static int quic_disconnect(struct sock *sk, int flags)
{
	struct quic_sock *qs = quic_sk(sk);

	if (sk->sk_state == TCP_LISTEN) {
		quic_listen_del(qs->udp, sk);
		inet_sk_set_state(sk, TCP_CLOSE);
	} else {
		quic_sock_end(sk);
	}
	sk->sk_state_change(sk);
	return 0;
}

/* The protocol's memory, for every namespace (as TCP's and SCTP's): pages
 * charged through sk_forward_alloc for what sockets receive and queue to
 * send, against net.quic.mem (quic_sock_init() sizes it as tcp_mem is);
 * shown in /proc/net/protocols.  Each socket may hold QUIC_MEM_MIN
 * whatever the pressure.
 */
long quic_sysctl_mem[3];
static atomic_long_t quic_memory_allocated;
static DEFINE_PER_CPU(int, quic_memory_per_cpu_fw_alloc);
static struct percpu_counter quic_sockets_allocated;
static unsigned long quic_memory_pressure;
static int quic_mem_min[3] = { QUIC_MEM_MIN, QUIC_MEM_MIN, QUIC_MEM_MIN };

static void quic_enter_memory_pressure(struct sock *sk)
{
	WRITE_ONCE(quic_memory_pressure, 1);
}

static void quic_leave_memory_pressure(struct sock *sk)
{
	WRITE_ONCE(quic_memory_pressure, 0);
}

#define QUIC_PROTO_MEMORY						\
	.memory_allocated	= &quic_memory_allocated,		\
	.per_cpu_fw_alloc	= &quic_memory_per_cpu_fw_alloc,	\
	.sockets_allocated	= &quic_sockets_allocated,		\
	.memory_pressure	= &quic_memory_pressure,		\
	.enter_memory_pressure	= quic_enter_memory_pressure,		\
	.leave_memory_pressure	= quic_leave_memory_pressure,		\
	.sysctl_mem		= quic_sysctl_mem,			\
	.sysctl_rmem		= quic_mem_min,				\
	.sysctl_wmem		= quic_mem_min,

struct proto quic_prot = {
	.name		= "QUIC",
	.owner		= THIS_MODULE,
	.init		= quic_init_sock,
	.destroy	= quic_destroy_sock,
	.close		= quic_close,
	.bind		= quic_bind,
	.setsockopt	= quic_setsockopt,
	.getsockopt	= quic_getsockopt,
	.hash		= quic_hash,
	.unhash		= quic_unhash,
	.connect	= quic_connect,
	.disconnect	= quic_disconnect,
	.shutdown	= quic_shutdown,
	.accept		= quic_accept,
	.sendmsg	= quic_sendmsg,
	.recvmsg	= quic_recvmsg,
	.backlog_rcv	= quic_packet_backlog_rcv,
	.release_cb	= quic_timer_release_cb,
	.no_autobind	= true,
	.obj_size	= sizeof(struct quic_sock),
	QUIC_PROTO_MEMORY
};

struct proto quicv6_prot = {
	.name		= "QUICv6",
	.owner		= THIS_MODULE,
	.init		= quic_init_sock,
	.destroy	= quic_destroy_sock,
	.close		= quic_close,
	.bind		= quic_bind,
	.setsockopt	= quic_setsockopt,
	.getsockopt	= quic_getsockopt,
	.hash		= quic_hash,
	.unhash		= quic_unhash,
	.connect	= quic_connect,
	.disconnect	= quic_disconnect,
	.shutdown	= quic_shutdown,
	.accept		= quic_accept,
	.sendmsg	= quic_sendmsg,
	.recvmsg	= quic_recvmsg,
	.backlog_rcv	= quic_packet_backlog_rcv,
	.release_cb	= quic_timer_release_cb,
	.no_autobind	= true,
	.obj_size	= sizeof(struct quic6_sock),
	QUIC_PROTO_IPV6_PINFO(struct quic6_sock, inet6)
	QUIC_PROTO_MEMORY
};

int quic_sock_init(void)
{
	unsigned long limit;

	BUILD_BUG_ON(sizeof(struct quic_skb_cb) >
		     sizeof_field(struct sk_buff, cb));
	BUILD_BUG_ON(sizeof(struct quic_handshake_info) != 1);
	BUILD_BUG_ON(sizeof(struct quic_stream_info) != 16);
	BUILD_BUG_ON(sizeof(struct quic_transport_param) !=
		     QUIC_TRANSPORT_PARAM_SIZE_VER1);
	BUILD_BUG_ON(offsetof(struct quic_transport_param, reserved) !=
		     QUIC_TRANSPORT_PARAM_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct quic_config) != QUIC_CONFIG_SIZE_VER1);
	BUILD_BUG_ON(offsetof(struct quic_config, reserved1) !=
		     QUIC_CONFIG_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct quic_crypto_secret) != 56);
	BUILD_BUG_ON(sizeof(struct quic_errinfo) != 16);
	BUILD_BUG_ON(sizeof(struct quic_connection_id_info) != 12);
	BUILD_BUG_ON(sizeof(struct quic_event_option) != 2);
	BUILD_BUG_ON(sizeof(struct quic_stream_update) != 24);
	BUILD_BUG_ON(sizeof(struct quic_stream_max_data) != 16);
	BUILD_BUG_ON(sizeof(struct quic_connection_close) != 72);
	BUILD_BUG_ON(sizeof(struct quic_stream_peeloff) != 16);
	BUILD_BUG_ON(QUIC_EVENT_MAX > 32);

	/* as tcp_init_mem(): pressure at 1/16 of the buffer pages */
	limit = max(nr_free_buffer_pages() / 16, 128UL);
	quic_sysctl_mem[0] = limit / 4 * 3;
	quic_sysctl_mem[1] = limit;
	quic_sysctl_mem[2] = quic_sysctl_mem[0] * 2;
	return percpu_counter_init(&quic_sockets_allocated, 0, GFP_KERNEL);
}

void quic_sock_exit(void)
{
	percpu_counter_destroy(&quic_sockets_allocated);
}
