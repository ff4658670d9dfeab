// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quic_sample: a kernel consumer of QUIC sockets, written as a tutorial.
 *
 * A kernel subsystem (SMB, NFS, ...) that wants QUIC does four things,
 * each shown below:
 *
 *   1. create a QUIC socket with sock_create_kern() and set its options
 *      with quic_do_setsockopt() (the ALPN at least);
 *   2. connect it (client) or accept a connection on a listener (server),
 *      which in QUIC does not run the handshake yet;
 *   3. give the socket a file (sock_alloc_file()) and ask net/handshake
 *      for the TLS handshake: tls_client_hello_x509() and friends.  A
 *      userspace agent (quic-handshaked, or tlshd built with QUIC support)
 *      receives the socket, runs the handshake on it and reports the
 *      result to the callback given here;
 *   4. send and receive stream data with kernel_sendmsg() and
 *      kernel_recvmsg() and a QUIC_STREAM_INFO control message, as
 *      userspace does with sendmsg() and recvmsg().
 *
 * The module does its whole job at load time and reports the result as
 * the result of the load:
 *
 *   insmod quic_sample.ko role=client addr=127.0.0.1 port=4433 \
 *          peername=server.example alpn=sample
 *
 * connects, handshakes (X.509, the server's certificate verified against
 * the agent's trust store for the name "server.example"), sends a message
 * on a new bidirectional stream, reads the reply, checks that it is the
 * message echoed, and closes.  role=server accepts one connection on
 * addr:port, handshakes with the certificate and key in the keys cert= and
 * privkey= (or the agent's default ones), reads one message and echoes it.
 * psk=SERIAL selects pre-shared key authentication with that key.  Loading
 * fails with the error of the step that failed: -EOPNOTSUPP without
 * net/handshake (Linux 6.5 and later), -ESRCH when no agent listens,
 * -ETIMEDOUT when the handshake did not complete in timeout_ms, -EACCES
 * when the peer was not authenticated.
 *
 * Against another kernel tree, include <net/handshake.h> where this file
 * includes "compat.h" (which provides it, or stubs on kernels without it),
 * and write struct sockaddr_unsized (7.0 and later) or struct sockaddr
 * where this file writes struct quic_sockaddr.
 */

#include <linux/completion.h>
#include <linux/file.h>
#include <linux/inet.h>
#include <linux/in6.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/quic.h>
#include <linux/socket.h>
#include <net/sock.h>

#include "compat.h"

static char *role = "client";
module_param(role, charp, 0444);
MODULE_PARM_DESC(role, "client or server");

static char *addr = "127.0.0.1";
module_param(addr, charp, 0444);
MODULE_PARM_DESC(addr, "IPv4 or IPv6 address: the server's (client) or the one to listen on (server)");

static ushort port = 4433;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "UDP port");

static char *alpn = "sample";
module_param(alpn, charp, 0444);
MODULE_PARM_DESC(alpn, "application protocol (ALPN)");

static char *peername = "";
module_param(peername, charp, 0444);
MODULE_PARM_DESC(peername, "client: the server name to send and to verify its certificate against");

static int psk;
module_param(psk, int, 0444);
MODULE_PARM_DESC(psk, "serial of a pre-shared key: PSK authentication instead of X.509");

static int cert;
module_param(cert, int, 0444);
MODULE_PARM_DESC(cert, "serial of the key holding our certificate (0: the agent's default)");

static int privkey;
module_param(privkey, int, 0444);
MODULE_PARM_DESC(privkey, "serial of the key holding our private key");

static int keyring;
module_param(keyring, int, 0444);
MODULE_PARM_DESC(keyring, "serial of a keyring the agent links to read the keys (Linux 6.13 and later)");

static uint timeout_ms = 5000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "handshake and reply timeout, milliseconds");

static uint wait_ms = 30000;
module_param(wait_ms, uint, 0444);
MODULE_PARM_DESC(wait_ms, "server: how long to wait for a connection, milliseconds");

static char *message = "hello from the kernel";
module_param(message, charp, 0444);
MODULE_PARM_DESC(message, "client: the message to send");

#define SAMPLE_MSG_MAX	1024

/* Step 3: the handshake.  The agent's result arrives in a callback, from
 * the agent's DONE netlink request; the consumer waits for it with a
 * timeout of its own, since nothing else bounds how long an agent takes
 * (it may have been killed).
 */
struct sample_handshake {
	struct completion done;
	int status;
	key_serial_t peerid;
};

static void sample_handshake_done(void *data, int status, key_serial_t peerid)
{
	struct sample_handshake *hs = data;

	hs->status = status;	/* 0 or a negative errno */
	hs->peerid = peerid;	/* the PSK used, or a key with the peer's cert */
	complete(&hs->done);
}

static int sample_handshake(struct socket *sock, bool server)
{
	struct tls_handshake_args args = {
		.ta_sock = sock,
		.ta_done = sample_handshake_done,
		.ta_peername = *peername ? peername : NULL,
		.ta_timeout_ms = timeout_ms,
		.ta_keyring = keyring,
	};
	struct sample_handshake hs = {};
	unsigned long wait;
	long left;
	int err;

	init_completion(&hs.done);
	args.ta_data = &hs;
	if (psk) {
		args.ta_num_peerids = 1;
		args.ta_my_peerids[0] = psk;
		err = server ? tls_server_hello_psk(&args, GFP_KERNEL) :
			       tls_client_hello_psk(&args, GFP_KERNEL);
	} else {
		args.ta_my_cert = cert;
		args.ta_my_privkey = privkey;
		err = server ? tls_server_hello_x509(&args, GFP_KERNEL) :
			       tls_client_hello_x509(&args, GFP_KERNEL);
	}
	if (err) {
		/* -ESRCH: no agent listens; -EOPNOTSUPP: no net/handshake */
		pr_err("quic_sample: handshake request: %d\n", err);
		return err;
	}

	/* a little longer than the agent's own deadline */
	wait = msecs_to_jiffies(timeout_ms) + HZ;
	left = wait_for_completion_interruptible_timeout(&hs.done, wait);
	if (left <= 0) {
		/* cancelled: the callback will not run */
		if (tls_handshake_cancel(sock->sk)) {
			pr_err("quic_sample: handshake %s\n",
			       left ? "interrupted" : "timed out");
			return left ? -EINTR : -ETIMEDOUT;
		}
		/* too late to cancel: the agent's answer is being delivered */
		wait_for_completion(&hs.done);
	}
	if (hs.status) {
		pr_err("quic_sample: handshake failed: %d\n", hs.status);
		return hs.status;
	}
	pr_info("quic_sample: handshake done, peer identity key %d\n",
		hs.peerid);
	return 0;
}

/* Step 4: stream data.  The stream and its flags travel in a
 * QUIC_STREAM_INFO control message, as for userspace.
 */
static int sample_send(struct socket *sock, s64 stream_id, u32 flags,
		       void *data, size_t len)
{
	struct quic_stream_info info = {
		.stream_id = stream_id,
		.stream_flags = flags,
	};
	u8 cbuf[CMSG_SPACE(sizeof(info))] = {};
	struct kvec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = {
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_QUIC;
	cmsg->cmsg_type = QUIC_STREAM_INFO;
	cmsg->cmsg_len = CMSG_LEN(sizeof(info));
	memcpy(CMSG_DATA(cmsg), &info, sizeof(info));
	return kernel_sendmsg(sock, &msg, &iov, 1, len);
}

/* Reads one whole message: stream data up to the stream's FIN. */
static int sample_recv(struct socket *sock, s64 *stream_id, char *buf,
		       size_t size)
{
	struct quic_stream_info info;
	size_t got = 0;
	int ret;

	while (got < size) {
		u8 cbuf[CMSG_SPACE(sizeof(info))] = {};
		struct kvec iov = {
			.iov_base = buf + got,
			.iov_len = size - got,
		};
		struct msghdr msg = {
			.msg_control = cbuf,
			.msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *cmsg = (struct cmsghdr *)cbuf;

		ret = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len, 0);
		if (ret < 0)
			return ret;
		/* put_cmsg() moved msg_control on: read from the buffer */
		if (cmsg->cmsg_level != SOL_QUIC ||
		    cmsg->cmsg_type != QUIC_STREAM_INFO)
			return -EBADMSG;
		memcpy(&info, CMSG_DATA(cmsg), sizeof(info));
		*stream_id = info.stream_id;
		got += ret;
		if (info.stream_flags & MSG_QUIC_STREAM_FIN)
			return got;
		if (!ret)
			return -EPIPE;
	}
	return -EMSGSIZE;
}

/* Step 1: a kernel QUIC socket with its options. */
static int sample_socket(struct sockaddr_storage *ss, int *len,
			 struct socket **psock)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct socket *sock;
	int err;

	memset(ss, 0, sizeof(*ss));
	if (in4_pton(addr, -1, (u8 *)&sin->sin_addr, -1, NULL)) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
	} else if (in6_pton(addr, -1, sin6->sin6_addr.s6_addr, -1, NULL)) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
	} else {
		pr_err("quic_sample: addr=%s is no IP address\n", addr);
		return -EINVAL;
	}
	err = sock_create_kern(&init_net, ss->ss_family, SOCK_STREAM,
			       IPPROTO_QUIC, &sock);
	if (err) {
		pr_err("quic_sample: socket: %d (is quic.ko loaded?)\n", err);
		return err;
	}
	err = quic_do_setsockopt(sock->sk, QUIC_SOCKOPT_ALPN,
				 KERNEL_SOCKPTR(alpn), strlen(alpn));
	if (err) {
		pr_err("quic_sample: ALPN %s: %d\n", alpn, err);
		sock_release(sock);
		return err;
	}
	/* bounds every later recvmsg (and accept) on it */
	sock->sk->sk_rcvtimeo = msecs_to_jiffies(timeout_ms);
	*psock = sock;
	return 0;
}

static int sample_client(void)
{
	struct sockaddr_storage ss;
	char reply[SAMPLE_MSG_MAX];
	struct socket *sock;
	struct file *file;
	s64 stream_id;
	int err, len;

	err = sample_socket(&ss, &len, &sock);
	if (err)
		return err;
	/* Step 2: QUIC's connect() only sets the peer; no packet is sent */
	err = kernel_connect(sock, (struct quic_sockaddr *)&ss, len, 0);
	if (err) {
		pr_err("quic_sample: connect: %d\n", err);
		sock_release(sock);
		return err;
	}
	/* Step 3: the agent receives the socket as a file descriptor.  From
	 * here on the file owns the socket: fput(), not sock_release().
	 */
	file = sock_alloc_file(sock, 0, NULL);
	if (IS_ERR(file))
		return PTR_ERR(file);	/* the socket was released */
	err = sample_handshake(sock, false);
	if (err)
		goto out;

	/* Step 4: a new bidirectional stream (the client's first is 0),
	 * opened and finished by this one message
	 */
	err = sample_send(sock, 0, MSG_QUIC_STREAM_NEW | MSG_QUIC_STREAM_FIN,
			  message, strlen(message));
	if (err < 0) {
		pr_err("quic_sample: send: %d\n", err);
		goto out;
	}
	err = sample_recv(sock, &stream_id, reply, sizeof(reply) - 1);
	if (err < 0) {
		pr_err("quic_sample: receive: %d\n", err);
		goto out;
	}
	reply[err] = '\0';
	pr_info("quic_sample: reply on stream %lld: %s\n", stream_id, reply);
	err = strcmp(reply, message) ? -EBADMSG : 0;
out:
	fput(file);	/* closes the connection */
	return err;
}

static int sample_server(void)
{
	struct socket *lsock, *sock;
	struct sockaddr_storage ss;
	char buf[SAMPLE_MSG_MAX];
	struct file *file;
	s64 stream_id;
	int err, len, n;

	err = sample_socket(&ss, &len, &lsock);
	if (err)
		return err;
	err = kernel_bind(lsock, (struct quic_sockaddr *)&ss, len);
	if (!err)
		err = kernel_listen(lsock, 1);
	if (err) {
		pr_err("quic_sample: bind/listen: %d\n", err);
		goto out_listener;
	}
	pr_info("quic_sample: listening on %s port %u\n", addr, port);
	/* Step 2: accept() returns at a client's first packet; the accepted
	 * socket inherits the listener's options (the ALPN here)
	 */
	lsock->sk->sk_rcvtimeo = msecs_to_jiffies(wait_ms);
	err = kernel_accept(lsock, &sock, 0);
	if (err) {
		pr_err("quic_sample: accept: %d\n", err);
		goto out_listener;
	}
	file = sock_alloc_file(sock, 0, NULL);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out_listener;
	}
	err = sample_handshake(sock, true);
	if (err)
		goto out;
	n = sample_recv(sock, &stream_id, buf, sizeof(buf));
	if (n < 0) {
		err = n;
		pr_err("quic_sample: receive: %d\n", err);
		goto out;
	}
	pr_info("quic_sample: %d bytes on stream %lld, echoed\n", n, stream_id);
	err = sample_send(sock, stream_id, MSG_QUIC_STREAM_FIN, buf, n);
	if (err < 0) {
		pr_err("quic_sample: send: %d\n", err);
		goto out;
	}
	err = 0;
	/* let the client read the echo and close first */
	while (sample_recv(sock, &stream_id, buf, sizeof(buf)) >= 0)
		;
out:
	fput(file);
out_listener:
	sock_release(lsock);
	return err;
}

static int __init sample_init(void)
{
	if (!strcmp(role, "client"))
		return sample_client();
	if (!strcmp(role, "server"))
		return sample_server();
	pr_err("quic_sample: role=%s: client or server\n", role);
	return -EINVAL;
}

static void __exit sample_exit(void)
{
}

module_init(sample_init);
module_exit(sample_exit);

MODULE_DESCRIPTION("Sample kernel consumer of QUIC sockets (handshake through net/handshake)");
MODULE_LICENSE("GPL");
