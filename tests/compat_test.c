// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compatibility with programs written for the kernel QUIC socket API:
 * the behaviour such programs (test suites, Samba, HTTP/3 clients) rely
 * on, written the way they use the socket.  A zeroed QUIC_SOCKOPT_CONFIG
 * or QUIC_SOCKOPT_TRANSPORT_PARAM with a few fields set keeps the rest,
 * and both may be set after connect() and on an accepted socket until
 * its handshake; send() without a cmsg writes to the active stream and
 * MSG_QUIC_STREAM_NEW opens another only once it is finished; recvmsg()
 * ignores the flags a previous call returned; a send of only a FIN
 * returns 0; the 0-RTT secret of the direction a side never uses is
 * accepted; a peer's close without an error ends the connection with
 * EPIPE.  Prints TAP.
 *
 * usage: compat_test CERTDIR
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "quic_pair.h"

static int get_config(int sd, struct quic_config *c)
{
	socklen_t len = sizeof(*c);

	memset(c, 0, sizeof(*c));
	return getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, c, &len);
}

/* Zeroed structures with one field set, as programs write them. */
static void test_zero_keeps(void)
{
	struct quic_transport_param p, q;
	struct quic_config c, d;
	int sd, ret;

	sd = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	get_params(sd, &q);
	memset(&p, 0, sizeof(p));
	p.max_streams_uni = 9;
	ret = setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p,
			 sizeof(p));
	CHECK(!ret, "TRANSPORT_PARAM: a zeroed struct with max_streams_uni set is accepted (%s)",
	      ret ? strerror(errno) : "ok");
	get_params(sd, &p);
	CHECK(p.max_streams_uni == 9 &&
	      p.max_udp_payload_size == q.max_udp_payload_size &&
	      p.active_connection_id_limit == q.active_connection_id_limit &&
	      p.max_idle_timeout == q.max_idle_timeout &&
	      p.max_data == q.max_data,
	      "TRANSPORT_PARAM: the zero fields keep their values (payload %u, cid limit %u)",
	      p.max_udp_payload_size, p.active_connection_id_limit);

	get_config(sd, &d);
	memset(&c, 0, sizeof(c));
	c.keepalive_probe_interval = 20000000;
	ret = setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c, sizeof(c));
	CHECK(!ret, "CONFIG: a zeroed struct with keepalive set is accepted (%s)",
	      ret ? strerror(errno) : "ok");
	get_config(sd, &c);
	CHECK(c.keepalive_probe_interval == 20000000 &&
	      c.version == d.version &&
	      c.initial_smoothed_rtt == d.initial_smoothed_rtt &&
	      c.congestion_control_algo == d.congestion_control_algo,
	      "CONFIG: the zero fields keep their values (version %#x, rtt %u)",
	      c.version, c.initial_smoothed_rtt);
	close(sd);
}

struct server_arg {
	int listener, sd, ret, set, pref;
};

/* accept(), tune the new socket as a server does, then its handshake */
static void *server_thread(void *arg)
{
	struct server_arg *a = arg;
	struct quic_transport_param p = { .max_streams_bidi = 50 };
	struct quic_config c = { .keepalive_probe_interval = 25000000 };
	struct sockaddr_in pref = { .sin_family = AF_INET };

	a->sd = accept(a->listener, NULL, NULL);
	if (a->sd < 0) {
		a->ret = -errno;
		return NULL;
	}
	set_timeouts(a->sd, 30);
	a->set = setsockopt(a->sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p,
			    sizeof(p)) ? -errno : 0;
	if (!a->set)
		a->set = setsockopt(a->sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c,
				    sizeof(c)) ? -errno : 0;
	/* a preferred address of this connection's own */
	pref.sin_addr.s_addr = htonl(0x7f000002);
	a->pref = setsockopt(a->sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION,
			     &pref, sizeof(pref)) ? -errno : 0;
	a->ret = quic_server_handshake(a->sd, quic_psk, NULL, "streamtest");
	return NULL;
}

/* Options after connect(), listen() and accept(), before the handshake. */
static void test_before_handshake(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct quic_transport_param p = { .max_streams_uni = 11 };
	struct quic_config c = { .keepalive_probe_interval = 30000000 };
	struct server_arg arg = { .sd = -1 };
	socklen_t len = sizeof(a);
	int cl, ret, lret;
	char buf[16];
	pthread_t t;
	ssize_t n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	arg.listener = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	cl = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	if (bind(arg.listener, (struct sockaddr *)&a, len) ||
	    getsockname(arg.listener, (struct sockaddr *)&a, &len) ||
	    listen(arg.listener, 8)) {
		CHECK(0, "a listener (%s)", strerror(errno));
		return;
	}
	set_timeouts(arg.listener, 30);
	set_timeouts(cl, 30);
	lret = setsockopt(arg.listener, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM,
			  &p, sizeof(p));
	CHECK(!lret, "TRANSPORT_PARAM on a listener after listen() (%s)",
	      lret ? strerror(errno) : "ok");
	pthread_create(&t, NULL, server_thread, &arg);
	ret = connect(cl, (struct sockaddr *)&a, len);
	CHECK(!ret, "connect()");
	ret = setsockopt(cl, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p,
			 sizeof(p));
	CHECK(!ret, "TRANSPORT_PARAM after connect(), before the handshake (%s)",
	      ret ? strerror(errno) : "ok");
	ret = setsockopt(cl, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c, sizeof(c));
	CHECK(!ret, "CONFIG after connect(), before the handshake (%s)",
	      ret ? strerror(errno) : "ok");
	ret = quic_client_handshake(cl, quic_psk, NULL, "streamtest");
	pthread_join(t, NULL);
	CHECK(!ret && !arg.ret, "the handshake completes (%d, %d)", ret,
	      arg.ret);
	CHECK(!arg.set, "TRANSPORT_PARAM and CONFIG on an accepted socket before its handshake (%s)",
	      arg.set ? strerror(-arg.set) : "ok");
	memset(&p, 0, sizeof(p));
	p.remote = 1;
	len = sizeof(p);
	getsockopt(cl, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, &len);
	CHECK(p.max_streams_bidi == 50,
	      "the client sees the accepted socket's max_streams_bidi (%u)",
	      p.max_streams_bidi);
	CHECK(!arg.pref, "a preferred address on an accepted socket before its handshake (%s)",
	      arg.pref ? strerror(-arg.pref) : "ok");
	n = send_stream(cl, "hi", 2, -1, MSG_QUIC_STREAM_NEW, 0);
	n = n == 2 && arg.sd >= 0 ? recv(arg.sd, buf, sizeof(buf), 0) : -1;
	CHECK(n == 2, "data flows on that connection (%zd)", n);
	memset(&p, 0, sizeof(p));
	p.max_streams_uni = 12;
	ret = setsockopt(cl, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p,
			 sizeof(p));
	CHECK(ret < 0 && errno == EISCONN,
	      "after the handshake TRANSPORT_PARAM gives EISCONN (%s)",
	      ret < 0 ? strerror(errno) : "accepted");
	close(cl);
	if (arg.sd >= 0)
		close(arg.sd);
	close(arg.listener);
}

static ssize_t recv_flags(int sd, char *buf, size_t len, int64_t *id,
			  int *mflags, int flags)
{
	uint32_t sflags = 0;
	ssize_t n;

	n = recv_any(sd, buf, len, id, &sflags, mflags, flags);
	*mflags |= sflags;	/* the FIN: msg_flags and the cmsg */
	return n;
}

/* send() and sendmsg() without a cmsg, recvmsg() with returned flags */
static void test_active_stream(void)
{
	struct iovec iov;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int64_t id, first;
	struct pair p;
	char buf[64];
	int mflags;
	ssize_t n;

	if (!pair_ready(&p, NULL, "the active stream"))
		return;
	iov.iov_base = "one";
	iov.iov_len = 3;
	n = sendmsg(p.c, &m, MSG_QUIC_STREAM_NEW);
	CHECK(n == 3, "sendmsg() without a cmsg, MSG_QUIC_STREAM_NEW: opens a stream (%zd)",
	      n);
	n = recv_flags(p.s, buf, sizeof(buf), &first, &mflags, 0);
	CHECK(n == 3, "the server reads it (stream %lld)", (long long)first);
	iov.iov_base = "two";
	n = sendmsg(p.c, &m, MSG_QUIC_STREAM_NEW);
	CHECK(n < 0 && errno == EINVAL,
	      "again with MSG_QUIC_STREAM_NEW while that stream is open: EINVAL (%s)",
	      n < 0 ? strerror(errno) : "sent");
	n = send(p.c, "three", 5, 0);
	CHECK(n == 5, "send() without a cmsg goes on (%zd)", n);
	n = recv_flags(p.s, buf, sizeof(buf), &id, &mflags, 0);
	CHECK(n == 5 && id == first, "on the same stream (%lld)",
	      (long long)id);
	n = send_stream(p.c, NULL, 0, first, MSG_QUIC_STREAM_FIN, 0);
	CHECK(n == 0, "a send of only a FIN returns 0 (%zd, %s)", n,
	      n < 0 ? strerror(errno) : "ok");
	n = recv_flags(p.s, buf, sizeof(buf), &id, &mflags, 0);
	CHECK(n == 0 && id == first && (mflags & MSG_QUIC_STREAM_FIN),
	      "the server reads the FIN (%zd, flags %#x)", n, mflags);
	iov.iov_base = "four";
	iov.iov_len = 4;
	n = sendmsg(p.c, &m, MSG_QUIC_STREAM_NEW);
	CHECK(n == 4, "once it is finished MSG_QUIC_STREAM_NEW opens the next (%zd)",
	      n);
	/* the flags the previous recvmsg() returned, passed back in */
	n = recv_flags(p.s, buf, sizeof(buf), &id, &mflags,
		       MSG_QUIC_STREAM_FIN | MSG_EOR);
	CHECK(n == 4 && id == first + 4,
	      "recvmsg() with flags MSG_QUIC_STREAM_FIN | MSG_EOR (640) reads stream %lld (%zd, %s)",
	      (long long)id, n, n < 0 ? strerror(errno) : "ok");
	pair_close(&p);
}

/* The 0-RTT secret of the direction a side never uses. */
static void test_early_secret(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct quic_crypto_secret s = {
		.level = QUIC_CRYPTO_EARLY, .send = 0,
		.type = TLS_CIPHER_AES_GCM_128,
	};
	int sd, ret;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(9);
	sd = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	connect(sd, (struct sockaddr *)&a, sizeof(a));
	memset(s.secret, 7, sizeof(s.secret));
	ret = setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CRYPTO_SECRET, &s,
			 sizeof(s));
	CHECK(!ret, "a client accepts the 0-RTT receive secret and ignores it (%s)",
	      ret ? strerror(errno) : "ok");
	close(sd);
}

/* The peer closes without an error: EPIPE, not ECONNRESET. */
static void test_clean_close(void)
{
	struct pair p;
	char b;
	ssize_t n;

	if (!pair_ready(&p, NULL, "a clean close"))
		return;
	close(p.s);
	p.s = -1;
	n = recv(p.c, &b, 1, 0);
	CHECK(n < 0 && errno == EPIPE,
	      "the peer closed with no error: recv() gives EPIPE (%s)",
	      n < 0 ? strerror(errno) : "data");
	n = send(p.c, "x", 1, MSG_NOSIGNAL);
	CHECK(n < 0 && errno == EPIPE, "and send() EPIPE (%s)",
	      n < 0 ? strerror(errno) : "sent");
	pair_close(&p);
}

int main(int argc, char **argv)
{
	if (pair_setup(argc, argv, "CERTDIR"))
		return 2;
	test_zero_keeps();
	test_before_handshake();
	test_active_stream();
	test_early_secret();
	test_clean_close();
	return tap_done("compat_test");
}
