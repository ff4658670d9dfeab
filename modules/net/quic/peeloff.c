// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stream peeloff (QUIC_SOCKOPT_STREAM_PEELOFF): a socket of its own for
 * one stream of a connection, used like a TCP socket: read()/write(),
 * send()/recv() and sendmsg()/recvmsg() without control messages, poll(),
 * shutdown() (SHUT_WR: FIN, SHUT_RD: STOP_SENDING) and close() (both,
 * as the stream's state allows).
 *
 * The stream socket holds a reference to the connection; everything it
 * does runs under the connection's lock.  The connection queues the
 * stream's received data on the stream socket's receive queue instead of
 * its own (quic_inq_data()), charged to the connection as before.
 */

#include <linux/file.h>
#include <linux/net.h>
#include <net/sock.h>

#include "inqueue.h"
#include "packet.h"
#include "socket.h"
#include "stream.h"

struct quic_psock {
	struct sock sk;			/* must be first */
	struct sock *conn;		/* the connection, held */
	s64 id;				/* its stream */
	u8 installed:1;			/* given to the application */
};

static inline struct quic_psock *quic_psk(struct sock *sk)
{
	return (struct quic_psock *)sk;
}

static struct proto quic_peeloff_prot = {
	.name		= "QUIC-STREAM",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct quic_psock),
};

/* The stream, if the connection still has it peeled off to @sk. */
static struct quic_stream *quic_peeloff_stream(struct sock *sk)
{
	struct quic_psock *ps = quic_psk(sk);
	struct quic_stream *s;

	s = quic_stream_find(&quic_conn(ps->conn)->streams, ps->id);
	return s && s->peeled == sk ? s : NULL;
}

/* FIN on the send side and/or STOP_SENDING on the receive side, as far as
 * the stream still has them.  Context: the connection owned.
 */
static void quic_peeloff_end(struct sock *sk, int how)
{
	struct quic_psock *ps = quic_psk(sk);
	struct sock *conn = ps->conn;
	struct quic_stream *s = quic_peeloff_stream(sk);

	if (!s || conn->sk_state != TCP_ESTABLISHED)
		return;
	if ((how & SEND_SHUTDOWN) && quic_stream_can_send(s)) {
		s->fin_queued = 1;
		if (s->send_state == QUIC_STREAM_SEND_STATE_READY)
			s->send_state = QUIC_STREAM_SEND_STATE_SEND;
		quic_stream_send_queue(&quic_conn(conn)->streams, s);
	}
	if ((how & RCV_SHUTDOWN) && !s->recv_fin_delivered &&
	    s->recv_state < QUIC_STREAM_RECV_STATE_RECVD)
		quic_stream_stop_sending(conn, ps->id, 0);
	local_bh_disable();
	quic_packet_flush(conn);
	local_bh_enable();
}

static int quic_peeloff_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct quic_stream *s;
	struct sock *conn;

	if (!sk)
		return 0;
	conn = quic_psk(sk)->conn;
	lock_sock(conn);
	if (quic_psk(sk)->installed)
		quic_peeloff_end(sk, SHUTDOWN_MASK);
	s = quic_peeloff_stream(sk);
	if (s) {
		s->peeled = NULL;	/* its data goes to the connection */
		if (!quic_psk(sk)->installed) {
			/* never given out: what moved here goes back */
			struct sk_buff_head q;

			__skb_queue_head_init(&q);
			spin_lock_bh(&sk->sk_receive_queue.lock);
			skb_queue_splice_init(&sk->sk_receive_queue, &q);
			spin_unlock_bh(&sk->sk_receive_queue.lock);
			spin_lock_bh(&conn->sk_receive_queue.lock);
			skb_queue_splice(&q, &conn->sk_receive_queue);
			spin_unlock_bh(&conn->sk_receive_queue.lock);
		}
	}
	/* charged to the connection: freed under its lock */
	skb_queue_purge(&sk->sk_receive_queue);
	release_sock(conn);
	sock_orphan(sk);
	sock->sk = NULL;
	sock_put(conn);
	sock_put(sk);
	return 0;
}

static int quic_peeloff_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	struct sock *conn = quic_psk(sk)->conn;

	how++;		/* SHUT_RD (0) to RCV_SHUTDOWN (1), and so on */
	if (how & ~SHUTDOWN_MASK)
		return -EINVAL;
	lock_sock(conn);
	quic_peeloff_end(sk, how);
	release_sock(conn);
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	sk->sk_state_change(sk);
	return 0;
}

static int quic_peeloff_sendmsg(struct socket *sock, struct msghdr *msg,
				size_t len)
{
	struct sock *sk = sock->sk;

	if (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN)
		return -EPIPE;
	if (msg->msg_controllen || (msg->msg_flags & MSG_QUIC_DATAGRAM))
		return -EINVAL;
	return quic_sock_sendmsg_stream(quic_psk(sk)->conn, msg, len,
					quic_psk(sk)->id,
					msg->msg_flags & MSG_QUIC_STREAM_FIN);
}

/* Readable, or nothing more will come. */
static bool quic_peeloff_readable(struct sock *sk)
{
	struct sock *conn = quic_psk(sk)->conn;

	return !skb_queue_empty_lockless(&sk->sk_receive_queue) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ||
	       READ_ONCE(conn->sk_err) || !quic_conn_active(conn);
}

/* Like TCP's: what is there, or with MSG_WAITALL until @len bytes, the
 * FIN, an error, a signal or the timeout.
 */
static int quic_peeloff_recvmsg(struct socket *sock, struct msghdr *msg,
				size_t len, int flags)
{
	bool waitall = (flags & (MSG_WAITALL | MSG_PEEK)) == MSG_WAITALL;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk;
	struct quic_psock *ps = quic_psk(sk);
	size_t copied = 0, chunk;
	struct sk_buff *skb;
	bool fin = false;
	long timeo;
	int err = 0, n;

	if (flags & ~(MSG_DONTWAIT | MSG_PEEK | MSG_WAITALL | MSG_NOSIGNAL |
		      MSG_CMSG_CLOEXEC | MSG_CMSG_COMPAT))
		return -EOPNOTSUPP;
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	for (;;) {
		add_wait_queue(sk_sleep(sk), &wait);
		while (skb_queue_empty(&sk->sk_receive_queue)) {
			if (quic_peeloff_readable(sk)) {
				/* the stream or the connection ended */
				err = READ_ONCE(ps->conn->sk_err) ?
				      -ECONNRESET : 0;
				break;
			}
			err = -EAGAIN;
			if (!timeo)
				break;
			err = sock_intr_errno(timeo);
			if (signal_pending(current))
				break;
			err = 0;
			timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		}
		remove_wait_queue(sk_sleep(sk), &wait);
		if (skb_queue_empty(&sk->sk_receive_queue))
			break;

		chunk = 0;
		lock_sock(ps->conn);
		while ((skb = skb_peek(&sk->sk_receive_queue)) &&
		       copied < len) {
			n = min_t(size_t, len - copied, skb->len);
			err = skb_copy_datagram_msg(skb, 0, msg, n);
			if (err)
				break;
			copied += n;
			chunk += n;
			if (n == skb->len && QUIC_RCV_CB(skb)->fin)
				fin = true;
			if (flags & MSG_PEEK)
				break;
			if (n < skb->len) {
				__skb_pull(skb, n);
			} else {
				skb_unlink(skb, &sk->sk_receive_queue);
				consume_skb(skb);
			}
			if (fin)
				break;
		}
		if (!(flags & MSG_PEEK) && chunk) {
			quic_stream_read(ps->conn, ps->id, chunk, fin);
			local_bh_disable();
			quic_packet_flush(ps->conn);
			local_bh_enable();
		}
		if (fin)
			WRITE_ONCE(sk->sk_shutdown,
				   sk->sk_shutdown | RCV_SHUTDOWN);
		release_sock(ps->conn);
		if (err || fin || copied == len || !waitall)
			break;
	}
	return copied ?: err;
}

static __poll_t quic_peeloff_poll(struct file *file, struct socket *sock,
				  poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct sock *conn = quic_psk(sk)->conn;
	__poll_t mask = 0;

	/* only our own wait queue: the connection's goes away with its
	 * file; the connection wakes us (quic_peeloff_wake(), and
	 * quic_stream_send_acked() for room to write)
	 */
	sock_poll_wait(file, sock, wait);
	if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (READ_ONCE(conn->sk_err))
		mask |= EPOLLERR;
	if (!quic_conn_active(conn)) {
		mask |= EPOLLHUP;
	} else if (!(READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) &&
		   sk_wmem_alloc_get(conn) < READ_ONCE(conn->sk_sndbuf)) {
		mask |= EPOLLOUT | EPOLLWRNORM;
	}
	return mask;
}

/* The addresses are the connection's: ask it. */
static int quic_peeloff_getname(struct socket *sock, struct sockaddr *uaddr,
				int peer)
{
	return -EOPNOTSUPP;
}

static const struct proto_ops quic_peeloff_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= quic_peeloff_release,
	.bind		= sock_no_bind,
	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= quic_peeloff_getname,
	.poll		= quic_peeloff_poll,
	.ioctl		= sock_no_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= quic_peeloff_shutdown,
	.sendmsg	= quic_peeloff_sendmsg,
	.recvmsg	= quic_peeloff_recvmsg,
	.mmap		= sock_no_mmap,
};

/* Move what the connection queued for the stream to the new socket. */
static void quic_peeloff_move(struct sock *conn, struct sock *sk, s64 id)
{
	struct sk_buff *skb, *tmp;
	struct sk_buff_head q;

	__skb_queue_head_init(&q);
	spin_lock_bh(&conn->sk_receive_queue.lock);
	skb_queue_walk_safe(&conn->sk_receive_queue, skb, tmp) {
		if (!QUIC_RCV_CB(skb)->stream ||
		    QUIC_RCV_CB(skb)->stream_id != id)
			continue;
		__skb_unlink(skb, &conn->sk_receive_queue);
		__skb_queue_tail(&q, skb);
	}
	spin_unlock_bh(&conn->sk_receive_queue.lock);
	spin_lock_bh(&sk->sk_receive_queue.lock);
	skb_queue_splice_tail_init(&q, &sk->sk_receive_queue);
	spin_unlock_bh(&sk->sk_receive_queue.lock);
}

/**
 * quic_peeloff - QUIC_SOCKOPT_STREAM_PEELOFF
 * @conn: the connection, not locked: creating the socket and its file
 *	may end in releasing them, which takes the connection's lock
 * @optval: struct quic_stream_peeloff in (stream_id, flags: O_CLOEXEC,
 *	O_NONBLOCK) and out (sd)
 * @optlen: its size
 *
 * Return: 0, -EINVAL for a stream that is not open, already peeled off
 * or a bad flag, -ENOTCONN, or another negative error.
 */
int quic_peeloff(struct sock *conn, sockptr_t optval, unsigned int *optlen)
{
	struct quic_stream_peeloff p;
	struct quic_stream *s;
	struct socket *sock;
	struct file *file;
	struct sock *sk;
	int fd, err;

	if (*optlen < sizeof(p))
		return -EINVAL;
	if (copy_from_sockptr(&p, optval, sizeof(p)))
		return -EFAULT;
	if (p.flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!quic_conn_active(conn))
		return -ENOTCONN;

	fd = get_unused_fd_flags(p.flags & O_CLOEXEC);
	if (fd < 0)
		return fd;
	err = -ENFILE;
	sock = sock_alloc();
	if (!sock)
		goto err_fd;
	err = -ENOMEM;
	sk = sk_alloc(sock_net(conn), conn->sk_family, GFP_KERNEL,
		      &quic_peeloff_prot, 0);
	if (!sk) {
		sock_release(sock);
		goto err_fd;
	}
	sock->type = SOCK_STREAM;
	sock_init_data(sock, sk);
	sk->sk_protocol = IPPROTO_QUIC;
	sk->sk_rcvtimeo = READ_ONCE(conn->sk_rcvtimeo);
	sk->sk_sndtimeo = READ_ONCE(conn->sk_sndtimeo);
	__module_get(THIS_MODULE);	/* put by sock_release() */
	sock->ops = &quic_peeloff_ops;
	sock_hold(conn);
	quic_psk(sk)->conn = conn;
	quic_psk(sk)->id = p.stream_id;
	file = sock_alloc_file(sock, p.flags, NULL);	/* releases on error */
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_fd;
	}

	lock_sock(conn);
	s = quic_stream_find(&quic_conn(conn)->streams, p.stream_id);
	err = conn->sk_state != TCP_ESTABLISHED ? -ENOTCONN :
	      !s || s->peeled ? -EINVAL : 0;
	if (!err) {
		s->peeled = sk;
		quic_peeloff_move(conn, sk, p.stream_id);
	}
	release_sock(conn);
	p.sd = fd;
	if (!err && copy_to_sockptr(optval, &p, sizeof(p)))
		err = -EFAULT;
	if (err) {
		fput(file);	/* unpeels it again */
		goto err_fd;
	}
	quic_psk(sk)->installed = 1;
	*optlen = sizeof(p);
	fd_install(fd, file);
	return 0;
err_fd:
	put_unused_fd(fd);
	return err;
}

/**
 * quic_peeloff_deliver - queue data of a peeled-off stream
 * @sk: the stream socket
 * @skb: the data, charged to the connection
 */
void quic_peeloff_deliver(struct sock *sk, struct sk_buff *skb)
{
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
}

/**
 * quic_peeloff_wake - the connection changed state: wake the stream
 * sockets' waiters
 * @conn: the connection
 */
void quic_peeloff_wake(struct sock *conn)
{
	struct quic_streams *st = &quic_conn(conn)->streams;
	struct quic_stream *s;
	unsigned long i;

	quic_streams_for_each(st, i, s)
		if (s->peeled)
			s->peeled->sk_state_change(s->peeled);
}
