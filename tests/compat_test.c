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
 * EPIPE; a client configured with an unknown version connects after
 * Version Negotiation.  Prints TAP.
 *
 * usage: compat_test CERTDIR
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quic_pair.h"

static int get_config(int sd, struct quic_config *c)
{
	socklen_t len = sizeof(*c);

	memset(c, 0, sizeof(*c));
	return getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, c, &len);
}

/* Reserved fields must be zero, so that they can get a meaning later;
 * the explicit padding of the stream and error structures is ignored
 * (programs fill those field by field in buffers they do not clear).
 */
static void test_reserved(void)
{
	struct quic_transport_param p;
	struct quic_config c;
	int sd, a, b;

	sd = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	memset(&p, 0, sizeof(p));
	p.reserved[1] = 1;
	a = setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p,
		       sizeof(p));
	memset(&c, 0, sizeof(c));
	c.reserved1[0] = 1;
	b = setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c, sizeof(c));
	CHECK(a < 0 && b < 0 && errno == EINVAL,
	      "TRANSPORT_PARAM and CONFIG with a reserved byte set: EINVAL");
	close(sd);
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

/* A handshake from @cl to @listener (bound, listening) at @to; the
 * accepted socket is closed, the peer's address as the client sees it
 * is left in @peer.
 */
static int handshake_with(int cl, int listener, const void *to,
			  socklen_t tolen, struct sockaddr_in6 *peer)
{
	struct accept_arg arg = { .listener = listener, .sd = -1 };
	socklen_t len = sizeof(*peer);
	pthread_t t;
	int ret;

	set_timeouts(cl, 10);
	set_timeouts(listener, 10);
	pthread_create(&t, NULL, accept_thread, &arg);
	ret = connect(cl, to, tolen) ? -errno :
	      quic_client_handshake(cl, quic_psk, NULL, "streamtest");
	if (ret)
		shutdown(listener, SHUT_RDWR);	/* let accept() return */
	pthread_join(t, NULL);
	memset(peer, 0, sizeof(*peer));
	if (!ret)
		getpeername(cl, (struct sockaddr *)peer, &len);
	if (arg.sd >= 0)
		close(arg.sd);
	return ret ?: arg.ret;
}

static int listener_at(int family, const void *addr, socklen_t len,
		       int v6only)
{
	int sd = socket(family, SOCK_DGRAM, IPPROTO_QUIC);

	if (sd < 0)
		return -1;
	if (v6only >= 0 && setsockopt(sd, SOL_IPV6, IPV6_V6ONLY, &v6only,
				      sizeof(v6only))) {
		close(sd);
		return -1;
	}
	if (bind(sd, addr, len) || listen(sd, 8)) {
		close(sd);
		return -1;
	}
	return sd;
}

static uint16_t port_of(int sd)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);

	getsockname(sd, (struct sockaddr *)&a, &len);
	return a.sin6_port;	/* at the same place in sockaddr_in */
}

/* AF_INET6 sockets with IPv4 addresses; IPV6_V6ONLY; SOL_IP options */
static void test_families(void)
{
	struct sockaddr_in6 any6 = { .sin6_family = AF_INET6 }, to6, peer;
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	int l4, l6, cl, ret, val;
	char str[INET6_ADDRSTRLEN];
	socklen_t len;

	v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l4 = listener_at(AF_INET, &v4, sizeof(v4), -1);
	CHECK(l4 >= 0, "an AF_INET listener on 127.0.0.1");
	if (l4 < 0)
		return;
	v4.sin_port = port_of(l4);

	cl = socket(AF_INET6, SOCK_DGRAM, IPPROTO_QUIC);
	ret = handshake_with(cl, l4, &v4, sizeof(v4), &peer);
	inet_ntop(AF_INET6, &peer.sin6_addr, str, sizeof(str));
	CHECK(!ret && peer.sin6_family == AF_INET6 &&
	      !strcmp(str, "::ffff:127.0.0.1") && peer.sin6_port == v4.sin_port,
	      "an AF_INET6 socket connects to an AF_INET address; getpeername() gives %s (%d)",
	      str, ret);
	close(cl);

	cl = socket(AF_INET6, SOCK_DGRAM, IPPROTO_QUIC);
	memset(&to6, 0, sizeof(to6));
	to6.sin6_family = AF_INET6;
	to6.sin6_port = v4.sin_port;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &to6.sin6_addr);
	ret = handshake_with(cl, l4, &to6, sizeof(to6), &peer);
	CHECK(!ret, "an AF_INET6 socket connects to ::ffff:127.0.0.1 (%d)",
	      ret);
	close(cl);

	cl = socket(AF_INET6, SOCK_DGRAM, IPPROTO_QUIC);
	val = 1;
	setsockopt(cl, SOL_IPV6, IPV6_V6ONLY, &val, sizeof(val));
	ret = connect(cl, (struct sockaddr *)&v4, sizeof(v4));
	CHECK(ret < 0 && errno == ENETUNREACH,
	      "an IPV6_V6ONLY socket cannot connect to IPv4: ENETUNREACH (%s)",
	      ret < 0 ? strerror(errno) : "connected");
	close(cl);
	close(l4);

	/* as smbd opens its listeners: [::] with IPV6_V6ONLY, then 0.0.0.0
	 * on the same port
	 */
	l6 = listener_at(AF_INET6, &any6, sizeof(any6), 1);
	CHECK(l6 >= 0, "a listener on [::] with IPV6_V6ONLY (%s)",
	      l6 < 0 ? strerror(errno) : "ok");
	if (l6 < 0)
		return;
	val = 0;
	len = sizeof(val);
	ret = getsockopt(l6, SOL_IPV6, IPV6_V6ONLY, &val, &len);
	CHECK(!ret && val == 1, "getsockopt(IPV6_V6ONLY) reads it back (%d)",
	      val);
	v4.sin_addr.s_addr = htonl(INADDR_ANY);
	v4.sin_port = port_of(l6);
	l4 = listener_at(AF_INET, &v4, sizeof(v4), -1);
	CHECK(l4 >= 0, "and one on 0.0.0.0 at the same port (%s)",
	      l4 < 0 ? strerror(errno) : "ok");
	if (l4 >= 0) {
		v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		cl = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
		ret = handshake_with(cl, l4, &v4, sizeof(v4), &peer);
		CHECK(!ret, "an IPv4 client reaches the 0.0.0.0 listener (%d)",
		      ret);
		close(cl);
		close(l4);
	}
	cl = socket(AF_INET6, SOCK_DGRAM, IPPROTO_QUIC);
	memset(&to6, 0, sizeof(to6));
	to6.sin6_family = AF_INET6;
	to6.sin6_port = port_of(l6);
	to6.sin6_addr = in6addr_loopback;
	ret = handshake_with(cl, l6, &to6, sizeof(to6), &peer);
	CHECK(!ret, "an IPv6 client reaches the [::] listener (%d)", ret);
	close(cl);
	close(l6);

	/* a dual-stack [::] listener takes IPv4 clients */
	l6 = listener_at(AF_INET6, &any6, sizeof(any6), 0);
	if (l6 >= 0) {
		v4.sin_port = port_of(l6);
		cl = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
		ret = handshake_with(cl, l6, &v4, sizeof(v4), &peer);
		CHECK(!ret, "an IPv4 client reaches a dual-stack [::] listener (%d)",
		      ret);
		/* the server's connection is in its closing period, the
		 * listener goes: a new 0.0.0.0 server on that port binds
		 */
		close(l6);
		v4.sin_addr.s_addr = htonl(INADDR_ANY);
		l4 = listener_at(AF_INET, &v4, sizeof(v4), -1);
		CHECK(l4 >= 0, "a closing period does not keep a new server from its port (%s)",
		      l4 < 0 ? strerror(errno) : "ok");
		if (l4 >= 0)
			close(l4);
		close(cl);
	}

	/* SOL_IP and SOL_IPV6 options, set and read back */
	cl = socket(AF_INET6, SOCK_DGRAM, IPPROTO_QUIC);
	val = 0x20;
	ret = setsockopt(cl, SOL_IPV6, IPV6_TCLASS, &val, sizeof(val));
	val = 0;
	len = sizeof(val);
	ret |= getsockopt(cl, SOL_IPV6, IPV6_TCLASS, &val, &len);
	CHECK(!ret && val == 0x20, "IPV6_TCLASS set and read back (%d)", val);
	close(cl);
	cl = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	val = 0x20;
	ret = setsockopt(cl, SOL_IP, IP_TOS, &val, sizeof(val));
	val = 0;
	len = sizeof(val);
	ret |= getsockopt(cl, SOL_IP, IP_TOS, &val, &len);
	CHECK(!ret && val == 0x20, "IP_TOS set and read back (%d)", val);
	ret = setsockopt(cl, SOL_IPV6, IPV6_V6ONLY, &val, sizeof(val));
	CHECK(ret < 0 && errno == ENOPROTOOPT,
	      "SOL_IPV6 on an AF_INET socket: ENOPROTOOPT (%s)",
	      ret < 0 ? strerror(errno) : "accepted");
	close(cl);
}

/* The DSCP (TOS or traffic class without ECN) of the first datagram to
 * UDP port @port (network order) seen by packet socket @ps, or -1.
 */
static int dscp_to(int ps, uint16_t port)
{
	struct pollfd p = { .fd = ps, .events = POLLIN };
	uint8_t b[2048];
	ssize_t n;
	int i;

	for (i = 0; i < 100 && poll(&p, 1, 2000) == 1; i++) {
		n = recv(ps, b, sizeof(b), 0);
		if (n >= 28 && b[0] >> 4 == 4 && b[9] == 17 &&
		    !memcmp(b + (b[0] & 0x0f) * 4 + 2, &port, 2))
			return b[1] & 0xfc;
		if (n >= 48 && b[0] >> 4 == 6 && b[6] == 17 &&
		    !memcmp(b + 42, &port, 2))
			return ((b[0] & 0x0f) << 4 | b[1] >> 4) & 0xfc;
	}
	return -1;
}

/* IP_TOS and IPV6_TCLASS set the DSCP of what the connection sends
 * (ECN stays ours), over IPv4 and IPv6.
 */
static void test_dscp(void)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 }, peer;
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	int fam, l, cl, ps, val = 0x20, got, ret;

	ll.sll_protocol = htons(ETH_P_ALL);
	ll.sll_ifindex = if_nametoindex("lo");
	for (fam = 0; fam < 2; fam++) {
		ps = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
		if (ps < 0 || bind(ps, (struct sockaddr *)&ll, sizeof(ll))) {
			CHECK(0, "a packet socket on lo");
			return;
		}
		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a6.sin6_addr = in6addr_loopback;
		l = fam ? listener_at(AF_INET6, &a6, sizeof(a6), 1) :
			  listener_at(AF_INET, &a4, sizeof(a4), -1);
		cl = socket(fam ? AF_INET6 : AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
		ret = fam ? setsockopt(cl, SOL_IPV6, IPV6_TCLASS, &val,
				       sizeof(val)) :
			    setsockopt(cl, SOL_IP, IP_TOS, &val, sizeof(val));
		a4.sin_port = l >= 0 ? port_of(l) : 0;
		a6.sin6_port = a4.sin_port;
		if (!ret && l >= 0)
			ret = fam ? handshake_with(cl, l, &a6, sizeof(a6), &peer) :
				    handshake_with(cl, l, &a4, sizeof(a4), &peer);
		got = ret ? -1 : dscp_to(ps, a4.sin_port);
		CHECK(!ret && got == val,
		      "%s 0x%x: the client's datagrams carry DSCP 0x%x (%d)",
		      fam ? "IPV6_TCLASS" : "IP_TOS", val, got, ret);
		close(cl);
		if (l >= 0)
			close(l);
		close(ps);
	}
}

/* /proc/net/quic/sks: a listener, as scripts wait for one */
static void test_proc(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char line[512], want[64], ino[32];
	int sd, found = 0, header = 0;
	struct stat st;
	FILE *f;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sd = listener_at(AF_INET, &a, sizeof(a), -1);
	if (sd < 0 || fstat(sd, &st)) {
		CHECK(0, "a listener for /proc (%s)", strerror(errno));
		return;
	}
	snprintf(want, sizeof(want), "127.0.0.1:%u\t", ntohs(port_of(sd)));
	snprintf(ino, sizeof(ino), "\t%lu\t", (unsigned long)st.st_ino);
	f = fopen("/proc/net/quic/sks", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "LOCAL_ADDRESS\t", 14))
			header = 1;
		if (!strncmp(line, want, strlen(want)) &&
		    strstr(line, "\tLISTEN\t") && strstr(line, ino))
			found = 1;
	}
	if (f)
		fclose(f);
	CHECK(header && found,
	      "/proc/net/quic/sks lists the listener at %s in LISTEN with its inode",
	      want);
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

#define LOAD_CLIENTS	12

struct load_client {
	int family, sd, ret;
	struct sockaddr_in6 to;	/* or a sockaddr_in */
	pthread_t t;
};

static void *load_client(void *arg)
{
	struct load_client *lc = arg;
	socklen_t len = lc->family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						 sizeof(struct sockaddr_in);

	lc->sd = socket(lc->family, SOCK_DGRAM, IPPROTO_QUIC);
	if (lc->sd < 0) {
		lc->ret = -errno;
		return NULL;
	}
	set_timeouts(lc->sd, 30);
	lc->ret = connect(lc->sd, (struct sockaddr *)&lc->to, len) ? -errno :
		  quic_client_handshake(lc->sd, quic_psk, NULL, "streamtest");
	return NULL;
}

static void *load_server(void *arg)
{
	struct accept_arg *a = arg;

	set_timeouts(a->sd, 30);
	a->ret = quic_server_handshake(a->sd, quic_psk, NULL, "streamtest");
	return NULL;
}

/* Handshakes under load: clients connect all at once, and the server
 * accepts each with a receive timeout of 3 s, as a server with a poll
 * loop does.  Once, accept() sometimes expired on IPv6 only.
 */
static void test_accept_load(int family)
{
	struct sockaddr_in6 lo6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in lo4 = { .sin_family = AF_INET };
	struct load_client c[LOAD_CLIENTS];
	struct accept_arg a[LOAD_CLIENTS];
	pthread_t st[LOAD_CLIENTS];
	int l, i, accepted = 0, timeouts = 0, ok = 0;
	const char *name = family == AF_INET6 ? "IPv6" : "IPv4";

	lo4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lo6.sin6_addr = in6addr_loopback;
	l = family == AF_INET6 ? listener_at(AF_INET6, &lo6, sizeof(lo6), 1) :
				 listener_at(AF_INET, &lo4, sizeof(lo4), -1);
	CHECK(l >= 0, "load: %s listener", name);
	if (l < 0)
		return;
	lo4.sin_port = port_of(l);
	lo6.sin6_port = lo4.sin_port;
	set_timeouts(l, 3);
	memset(c, 0, sizeof(c));
	for (i = 0; i < LOAD_CLIENTS; i++) {
		c[i].family = family;
		c[i].sd = -1;
		memcpy(&c[i].to, family == AF_INET6 ? (void *)&lo6 : (void *)&lo4,
		       family == AF_INET6 ? sizeof(lo6) : sizeof(lo4));
		pthread_create(&c[i].t, NULL, load_client, &c[i]);
	}
	for (i = 0; i < LOAD_CLIENTS; i++) {
		a[i].listener = l;
		a[i].ret = -1;
		a[i].sd = accept(l, NULL, NULL);
		if (a[i].sd < 0) {
			timeouts += errno == EAGAIN;
			continue;
		}
		pthread_create(&st[accepted], NULL, load_server, &a[i]);
		accepted++;
	}
	for (i = 0; i < accepted; i++)
		pthread_join(st[i], NULL);
	for (i = 0; i < LOAD_CLIENTS; i++) {
		pthread_join(c[i].t, NULL);
		ok += !c[i].ret;
		if (c[i].sd >= 0)
			close(c[i].sd);
		if (a[i].sd >= 0)
			close(a[i].sd);
	}
	CHECK(!timeouts && accepted == LOAD_CLIENTS && ok == LOAD_CLIENTS,
	      "load: %s, %d clients at once: each accept() within 3 s (%d expired), %d handshakes completed",
	      name, LOAD_CLIENTS, timeouts, ok);
	close(l);
}

/* A counter of /proc/net/quic/snmp, or -1 */
static long snmp(const char *name)
{
	char key[64];
	long v, ret = -1;
	FILE *f = fopen("/proc/net/quic/snmp", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &v) == 2)
		if (!strcmp(key, name))
			ret = v;
	fclose(f);
	return ret;
}

/* A client configured with a version nobody speaks (a reserved one, RFC
 * 9000 section 6.3) provokes Version Negotiation, then connects in a
 * version from the server's list (RFC 9368 section 2.1), through the
 * ordinary libquic call.
 */
static void test_unknown_version(void)
{
	struct sockaddr_in lo = { .sin_family = AF_INET };
	struct quic_config c = { .version = 0x1a2a3a4a }, d;
	long vn_snd = snmp("QuicVersionNegotiationSnd");
	long vn_rcv = snmp("QuicVersionNegotiationRcv");
	struct sockaddr_in6 peer;
	int l, cl, ret;

	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = listener_at(AF_INET, &lo, sizeof(lo), -1);
	cl = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	CHECK(l >= 0 && cl >= 0 &&
	      !setsockopt(cl, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c, sizeof(c)) &&
	      !get_config(cl, &d) && d.version == 0x1a2a3a4a,
	      "version: a client takes an unknown version (%#x)", d.version);
	if (l < 0 || cl < 0)
		goto out;
	lo.sin_port = port_of(l);
	ret = handshake_with(cl, l, &lo, sizeof(lo), &peer);
	get_config(cl, &d);
	CHECK(!ret && d.version == QUIC_VERSION_V2,
	      "version: after Version Negotiation the handshake completes in v2 (%s, version %#x)",
	      strerror(-ret), d.version);
	CHECK(snmp("QuicVersionNegotiationSnd") > vn_snd &&
	      snmp("QuicVersionNegotiationRcv") > vn_rcv,
	      "version: the server sent Version Negotiation and the client used it");
out:
	if (cl >= 0)
		close(cl);
	if (l >= 0)
		close(l);
}

int main(int argc, char **argv)
{
	if (pair_setup(argc, argv, "CERTDIR"))
		return 2;
	test_zero_keeps();
	test_reserved();
	test_before_handshake();
	test_active_stream();
	test_early_secret();
	test_families();
	test_dscp();
	test_proc();
	test_clean_close();
	test_unknown_version();
	test_accept_load(AF_INET);
	test_accept_load(AF_INET6);
	return tap_done("compat_test");
}
