// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the handshake transport of the QUIC module, without TLS:
 * connect(), listen(), accept(), handshake messages carried by
 * sendmsg()/recvmsg() with the QUIC_HANDSHAKE_INFO cmsg at each level,
 * secrets installed with QUIC_SOCKOPT_CRYPTO_SECRET (made-up secrets
 * that match on both sides), transport parameters exchanged with
 * QUIC_SOCKOPT_TRANSPORT_PARAM_EXT, and garbage datagrams thrown at the
 * listener.  Prints TAP.  Needs quic.ko loaded.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/quic.h>

#include "quic_tap.h"

union addr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

static ssize_t hs_send(int s, uint8_t level, const void *buf, size_t len)
{
	char ctl[CMSG_SPACE(sizeof(struct quic_handshake_info))] = { 0 };
	struct iovec iov = { (void *)buf, len };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	struct quic_handshake_info info = { .crypto_level = level };

	c->cmsg_level = SOL_QUIC;
	c->cmsg_type = QUIC_HANDSHAKE_INFO;
	c->cmsg_len = CMSG_LEN(sizeof(info));
	memcpy(CMSG_DATA(c), &info, sizeof(info));
	return sendmsg(s, &m, 0);
}

/* Receive exactly @len bytes of handshake data; all must be at @level. */
static int hs_recv(int s, uint8_t level, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		char ctl[CMSG_SPACE(sizeof(struct quic_handshake_info))];
		struct iovec iov = { (char *)buf + got, len - got };
		struct msghdr m = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl, .msg_controllen = sizeof(ctl),
		};
		struct quic_handshake_info info;
		struct cmsghdr *c;
		ssize_t n = recvmsg(s, &m, 0);

		if (n <= 0)
			return -1;
		c = CMSG_FIRSTHDR(&m);
		if (!c || c->cmsg_level != SOL_QUIC ||
		    c->cmsg_type != QUIC_HANDSHAKE_INFO)
			return -2;
		memcpy(&info, CMSG_DATA(c), sizeof(info));
		if (info.crypto_level != level)
			return -3;
		got += n;
	}
	return 0;
}

static int set_secret(int s, uint8_t level, int send, uint8_t fill,
		      uint32_t type)
{
	struct quic_crypto_secret sec = {
		.send = send, .level = level, .type = type,
	};

	memset(sec.secret, fill, sizeof(sec.secret));
	return setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CRYPTO_SECRET, &sec,
			  sizeof(sec));
}

static void set_timeout(int s, int secs)
{
	struct timeval tv = { secs, 0 };

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static void fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* The whole exchange between one client and the listener @l. */
static void test_exchange(int family, const char *name, uint32_t cipher,
			  const char *cname)
{
	static uint8_t a[20000], b[20000];
	union addr addr = { 0 };
	socklen_t alen;
	int l, c, s, v;
	unsigned char tp[1024];
	socklen_t tplen;
	struct pollfd pfd;

	l = socket(family, SOCK_DGRAM, IPPROTO_QUIC);
	c = socket(family, SOCK_DGRAM, IPPROTO_QUIC);
	addr.sa.sa_family = family;
	if (family == AF_INET6) {
		addr.v6.sin6_addr = in6addr_loopback;
		alen = sizeof(addr.v6);
	} else {
		addr.v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		alen = sizeof(addr.v4);
	}
	CHECK(l >= 0 && c >= 0 && !bind(l, &addr.sa, alen) &&
	      !getsockname(l, &addr.sa, &alen) && !listen(l, 8),
	      "%s %s: listener bound and listening", name, cname);
	set_timeout(l, 5);
	set_timeout(c, 5);

	CHECK(!connect(c, &addr.sa, alen), "%s %s: connect()", name, cname);
	CHECK(hs_send(c, QUIC_CRYPTO_INITIAL, a, 0) == 0,
	      "%s %s: an empty handshake message is accepted", name, cname);

	fill(a, 3000, 1);
	CHECK(hs_send(c, QUIC_CRYPTO_INITIAL, a, 3000) == 3000,
	      "%s %s: client sends a 3000-byte first flight", name, cname);
	s = accept(l, NULL, NULL);
	CHECK(s >= 0, "%s %s: accept() returns the new connection", name,
	      cname);
	if (s < 0)
		goto out;
	set_timeout(s, 5);
	CHECK(!hs_recv(s, QUIC_CRYPTO_INITIAL, b, 3000) && !memcmp(a, b, 3000),
	      "%s %s: server receives it, in order, at the Initial level",
	      name, cname);

	fill(a, 100, 2);
	CHECK(hs_send(s, QUIC_CRYPTO_INITIAL, a, 100) == 100 &&
	      !hs_recv(c, QUIC_CRYPTO_INITIAL, b, 100) && !memcmp(a, b, 100),
	      "%s %s: server's Initial data reaches the client", name, cname);

	/* Handshake keys: client sends with 0x11, server with 0x22 */
	CHECK(!set_secret(c, QUIC_CRYPTO_HANDSHAKE, 1, 0x11, cipher) &&
	      !set_secret(c, QUIC_CRYPTO_HANDSHAKE, 0, 0x22, cipher) &&
	      !set_secret(s, QUIC_CRYPTO_HANDSHAKE, 1, 0x22, cipher) &&
	      !set_secret(s, QUIC_CRYPTO_HANDSHAKE, 0, 0x11, cipher),
	      "%s %s: Handshake secrets installed", name, cname);
	fill(a, 6000, 3);
	CHECK(hs_send(s, QUIC_CRYPTO_HANDSHAKE, a, 6000) == 6000 &&
	      !hs_recv(c, QUIC_CRYPTO_HANDSHAKE, b, 6000) && !memcmp(a, b, 6000),
	      "%s %s: 6000 bytes at the Handshake level reach the client",
	      name, cname);

	tplen = sizeof(tp);
	CHECK(!getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM_EXT, tp,
			  &tplen) && tplen > 20 &&
	      !setsockopt(c, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM_EXT, tp,
			  tplen),
	      "%s %s: server transport parameters accepted by the client",
	      name, cname);
	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM_EXT, tp,
			 tplen) < 0 && errno == EINVAL,
	      "%s %s: server-only parameters from a client are refused",
	      name, cname);
	tplen = sizeof(tp);
	CHECK(!getsockopt(c, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM_EXT, tp,
			  &tplen) &&
	      !setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM_EXT, tp,
			  tplen),
	      "%s %s: client transport parameters accepted by the server",
	      name, cname);

	/* 1-RTT keys: the client first, then its Finished, then the server */
	CHECK(!set_secret(c, QUIC_CRYPTO_APP, 1, 0x33, cipher) &&
	      !set_secret(c, QUIC_CRYPTO_APP, 0, 0x44, cipher) &&
	      !set_secret(s, QUIC_CRYPTO_APP, 1, 0x44, cipher),
	      "%s %s: 1-RTT secrets installed", name, cname);
	fill(a, 52, 4);
	CHECK(hs_send(c, QUIC_CRYPTO_HANDSHAKE, a, 52) == 52 &&
	      !hs_recv(s, QUIC_CRYPTO_HANDSHAKE, b, 52) && !memcmp(a, b, 52),
	      "%s %s: client's last Handshake message reaches the server",
	      name, cname);
	CHECK(!set_secret(s, QUIC_CRYPTO_APP, 0, 0x33, cipher),
	      "%s %s: server completes the handshake", name, cname);

	/* post-handshake messages (NewSessionTicket) travel in 1-RTT
	 * packets; the client keeps them for QUIC_SOCKOPT_SESSION_TICKET
	 */
	fill(a, 200, 5);
	tplen = 0;
	if (hs_send(s, QUIC_CRYPTO_APP, a, 200) == 200) {
		for (v = 0; v < 100; v++) {
			tplen = sizeof(b);
			if (getsockopt(c, SOL_QUIC, QUIC_SOCKOPT_SESSION_TICKET,
				       b, &tplen) || tplen >= 200)
				break;
			usleep(20000);
		}
	}
	CHECK(tplen == 200 && !memcmp(a, b, 200),
	      "%s %s: a post-handshake message reaches the client's SESSION_TICKET",
	      name, cname);
	tplen = sizeof(tp);
	CHECK(!getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_SESSION_TICKET, tp,
			  &tplen) && tplen == 64,
	      "%s %s: the server has the listener's 64-byte ticket key", name,
	      cname);
	pfd.fd = c;
	pfd.events = POLLIN | POLLOUT;
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT,
	      "%s %s: poll() on the client: writable, nothing to read", name,
	      cname);
	close(s);
out:
	close(c);
	close(l);
}

static void test_errors(void)
{
	union addr addr = { 0 };
	socklen_t alen = sizeof(addr.v4);
	int l, u, c, n, i;
	char junk[1500];
	struct pollfd pfd;

	l = socket(AF_INET, SOCK_STREAM, IPPROTO_QUIC);
	addr.v4.sin_family = AF_INET;
	addr.v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(l >= 0 && listen(l, 1) < 0 && errno == EINVAL,
	      "listen() before bind() gives EINVAL");
	CHECK(!bind(l, &addr.sa, alen) && !getsockname(l, &addr.sa, &alen) &&
	      !listen(l, 4), "listener up");
	CHECK(connect(l, &addr.sa, alen) < 0 && errno == EINVAL,
	      "connect() on a listener gives EINVAL");
	CHECK(hs_send(l, QUIC_CRYPTO_INITIAL, junk, 10) < 0 && errno == ENOTCONN,
	      "handshake data on a listener gives ENOTCONN");

	/* garbage of every shape to the listener's port: all dropped */
	u = socket(AF_INET, SOCK_DGRAM, 0);
	srand(7);
	for (i = 0; i < 2000; i++) {
		int len = 1 + rand() % (int)sizeof(junk), j;

		for (j = 0; j < len; j++)
			junk[j] = rand();
		if (i % 3 == 0)
			junk[0] |= 0xc0;	/* long header */
		if (i % 6 == 0) {
			junk[1] = 0;		/* version 1 Initial */
			junk[2] = 0;
			junk[3] = 0;
			junk[4] = 1;
			junk[5] = 8;
		}
		sendto(u, junk, len, 0, &addr.sa, alen);
	}
	usleep(200000);
	pfd.fd = l;
	pfd.events = POLLIN;
	n = poll(&pfd, 1, 0);
	CHECK(n == 0, "2000 garbage datagrams create no connection");

	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	CHECK(!connect(c, &addr.sa, alen) &&
	      connect(c, &addr.sa, alen) < 0 && errno == EISCONN,
	      "a second connect() gives EISCONN");
	CHECK(hs_send(c, QUIC_CRYPTO_INITIAL, junk, 200) == 200 &&
	      (pfd.revents = 0, poll(&pfd, 1, 2000)) == 1,
	      "the listener still accepts a real Initial afterwards");
	CHECK(set_secret(c, QUIC_CRYPTO_INITIAL, 1, 1, TLS_CIPHER_AES_GCM_128) < 0 &&
	      errno == EINVAL, "Initial secrets cannot be set");
	CHECK(set_secret(c, QUIC_CRYPTO_HANDSHAKE, 1, 1, 9999) < 0 &&
	      errno == EINVAL, "an unknown cipher gives EINVAL");
	close(c);
	close(u);
	close(l);	/* with a connection still waiting to be accepted */
	CHECK(1, "listener closed with an unaccepted connection");
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* Version Negotiation: the server's answer to an unknown version, and a
 * client's reaction to one.
 */
static void test_version_negotiation(void)
{
	union addr addr = { 0 }, from;
	socklen_t alen = sizeof(addr.v4), flen;
	struct timeval tv = { 2, 0 };
	uint8_t pkt[1500], buf[1500];
	int l, u, c, n, i, vn_ok;

	addr.v4.sin_family = AF_INET;
	addr.v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(l >= 0 && u >= 0 && !bind(l, &addr.sa, alen) &&
	      !getsockname(l, &addr.sa, &alen) && !listen(l, 4),
	      "VN: listener up");
	setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0xc0;
	put32(pkt + 1, 0x1a2a3a4a);
	pkt[5] = 8;
	memset(pkt + 6, 0xaa, 8);
	pkt[14] = 5;
	memset(pkt + 15, 0xbb, 5);
	sendto(u, pkt, 100, 0, &addr.sa, alen);
	tv.tv_sec = 0;
	tv.tv_usec = 300000;
	setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	CHECK(recv(u, buf, sizeof(buf), 0) < 0,
	      "VN: no answer to a small datagram of an unknown version");
	tv.tv_sec = 2;
	setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	sendto(u, pkt, 1200, 0, &addr.sa, alen);
	n = recv(u, buf, sizeof(buf), 0);
	vn_ok = n == 7 + 5 + 8 + 8 && (buf[0] & 0x80) && !get32(buf + 1) &&
		buf[5] == 5 && buf[6] == 0xbb && buf[11] == 8 &&
		buf[12] == 0xaa;
	for (i = 20; vn_ok && i < n; i += 4)
		vn_ok = get32(buf + i) == QUIC_VERSION_V1 ||
			get32(buf + i) == QUIC_VERSION_V2;
	CHECK(vn_ok, "VN: an unknown version gets Version Negotiation with v1 and v2 (%d bytes)",
	      n);
	close(l);

	/* a server validating addresses answers a token-less Initial with a
	 * Retry, and creates no connection for it
	 */
	{
		static const uint8_t odcid[8] = {
			0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
		};
		struct quic_config cfg;
		socklen_t clen = sizeof(cfg);
		struct pollfd pfd;

		l = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
		addr.v4.sin_port = 0;
		alen = sizeof(addr.v4);
		getsockopt(l, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen);
		cfg.validate_peer_address = 1;
		CHECK(!setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, clen) &&
		      !bind(l, &addr.sa, alen) &&
		      !getsockname(l, &addr.sa, &alen) && !listen(l, 4),
		      "Retry: validating listener up");
		put32(pkt + 1, QUIC_VERSION_V1);
		pkt[0] = 0xc0;		/* Initial, no token, Length 0x4000 */
		pkt[20] = 0;
		pkt[21] = 0x44;
		pkt[22] = 0x80;
		sendto(u, pkt, 1200, 0, &addr.sa, alen);
		n = recv(u, buf, sizeof(buf), 0);
		/* the new connection ID is random: it may share bytes with
		 * the first one, not all of them
		 */
		CHECK(n > 7 + 5 + 8 + 16 && (buf[0] & 0xf0) == 0xf0 &&
		      get32(buf + 1) == QUIC_VERSION_V1 && buf[5] == 5 &&
		      buf[6] == 0xbb && buf[11] == 8 &&
		      memcmp(buf + 12, odcid, sizeof(odcid)),
		      "Retry: a token-less Initial gets a v1 Retry with a new connection ID (%d bytes)",
		      n);
		pfd.fd = l;
		pfd.events = POLLIN;
		CHECK(poll(&pfd, 1, 200) == 0,
		      "Retry: no connection is created before the token comes back");
		close(l);
	}

	/* a UDP socket plays a server that speaks another version */
	u = socket(AF_INET, SOCK_DGRAM, 0);
	addr.v4.sin_port = 0;
	alen = sizeof(addr.v4);
	bind(u, &addr.sa, alen);
	getsockname(u, &addr.sa, &alen);
	setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	set_timeout(c, 1);
	CHECK(!connect(c, &addr.sa, alen) &&
	      hs_send(c, QUIC_CRYPTO_INITIAL, buf, 200) == 200,
	      "VN: client sends its Initial");
	flen = sizeof(from);
	n = recvfrom(u, pkt, sizeof(pkt), 0, &from.sa, &flen);
	CHECK(n >= 1200 && (pkt[0] & 0x80) && get32(pkt + 1) == QUIC_VERSION_V1,
	      "VN: the client's Initial arrives (%d bytes)", n);
	if (n < 1200)
		goto out;
	/* swap the connection IDs of the Initial */
	buf[0] = 0x80;
	put32(buf + 1, 0);
	buf[5] = pkt[6 + pkt[5]];
	memcpy(buf + 6, pkt + 7 + pkt[5], buf[5]);
	n = 6 + buf[5];
	buf[n] = pkt[5];
	memcpy(buf + n + 1, pkt + 6, pkt[5]);
	n += 1 + pkt[5];
	put32(buf + n, QUIC_VERSION_V1);	/* lists our version: ignored */
	sendto(u, buf, n + 4, 0, &from.sa, flen);
	CHECK(recv(c, pkt, sizeof(pkt), 0) < 0 && errno == EAGAIN,
	      "VN: one listing the version in use is ignored");
	put32(buf + n, 0x1a2a3a4a);
	sendto(u, buf, n + 4, 0, &from.sa, flen);
	CHECK(recv(c, pkt, sizeof(pkt), 0) < 0 && errno == EPROTONOSUPPORT,
	      "VN: without a common version the connection fails with EPROTONOSUPPORT");
out:
	close(c);
	close(u);
}

/* A Version Negotiation answer to the long header packet @pkt: its
 * connection IDs swapped, listing @v then a reserved version.
 */
static int vn_answer(const uint8_t *pkt, uint8_t *vn, uint32_t v)
{
	int dl = pkt[5], sl = pkt[6 + dl], n;

	vn[0] = 0x80;
	put32(vn + 1, 0);
	vn[5] = sl;
	memcpy(vn + 6, pkt + 7 + dl, sl);
	n = 6 + sl;
	vn[n++] = dl;
	memcpy(vn + n, pkt + 6, dl);
	n += dl;
	put32(vn + n, v);
	put32(vn + n + 4, 0x5a5a5a5a);
	return n + 8;
}

/* A client configured with a version we do not speak probes with it
 * first (1200 bytes, its connection IDs), takes a version from the
 * Version Negotiation that answers and sends its first flight in that
 * version; a Version Negotiation for that attempt is ignored.  Without
 * an answer, the attempt ends after three probes.
 */
static void test_version_probe(void)
{
	struct quic_config cfg = { .version = 0x1a2a3a4a }, got;
	socklen_t alen = sizeof(struct sockaddr_in), flen, clen;
	uint8_t pkt[1500], vn[64], a[200] = { 0 };
	struct timeval tv = { 5, 0 };
	union addr addr = { 0 }, from;
	int u, c, n, m, status = -1, probes;
	pid_t pid;

	addr.v4.sin_family = AF_INET;
	addr.v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	bind(u, &addr.sa, alen);
	getsockname(u, &addr.sa, &alen);
	setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	set_timeout(c, 10);
	CHECK(!setsockopt(c, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, sizeof(cfg)) &&
	      !connect(c, &addr.sa, alen),
	      "VN probe: a client configured with version 0x1a2a3a4a connects");
	pid = fork();
	if (!pid) {
		/* the server: answer the probe, check the next packet */
		flen = sizeof(from);
		n = recvfrom(u, pkt, sizeof(pkt), 0, &from.sa, &flen);
		if (n != 1200 || !(pkt[0] & 0x80) ||
		    get32(pkt + 1) != 0x1a2a3a4a || pkt[5] < 8)
			_exit(1);
		m = vn_answer(pkt, vn, QUIC_VERSION_V1);
		sendto(u, vn, m, 0, &from.sa, flen);
		n = recv(u, pkt, sizeof(pkt), 0);
		if (n < 1200 || !(pkt[0] & 0x80) ||
		    get32(pkt + 1) != QUIC_VERSION_V1)
			_exit(2);
		sendto(u, vn, m, 0, &from.sa, flen);	/* again */
		_exit(0);
	}
	CHECK(hs_send(c, QUIC_CRYPTO_INITIAL, a, sizeof(a)) == sizeof(a),
	      "VN probe: the first handshake message goes out after Version Negotiation");
	if (pid > 0)
		waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
	      "VN probe: a 1200-byte probe in that version, then the Initial in v1, from the server's list (%d)",
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	clen = sizeof(got);
	CHECK(!getsockopt(c, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &got, &clen) &&
	      got.version == QUIC_VERSION_V1,
	      "VN probe: the socket's version is now v1 (%#x)", got.version);
	set_timeout(c, 1);
	CHECK(recv(c, pkt, sizeof(pkt), 0) < 0 && errno == EAGAIN,
	      "VN probe: a Version Negotiation for the new attempt is ignored (%s)",
	      strerror(errno));
	close(c);

	/* nobody answers */
	while (recv(u, pkt, sizeof(pkt), MSG_DONTWAIT) > 0)
		;
	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	set_timeout(c, 10);
	setsockopt(c, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, sizeof(cfg));
	connect(c, &addr.sa, alen);
	CHECK(hs_send(c, QUIC_CRYPTO_INITIAL, a, sizeof(a)) < 0 &&
	      errno == ETIMEDOUT,
	      "VN probe: without an answer the attempt fails with ETIMEDOUT (%s)",
	      strerror(errno));
	/* the first client's last datagrams (v1) may come in between */
	probes = 0;
	while ((n = recv(u, pkt, sizeof(pkt), MSG_DONTWAIT)) >= 0)
		probes += n == 1200 && get32(pkt + 1) == 0x1a2a3a4a;
	CHECK(probes == 3, "VN probe: after three probes (%d)", probes);
	close(c);
	close(u);
}

/* A server that never answers: the handshake ends with ETIMEDOUT once
 * the idle timeout (here 2 s, set in the local transport parameters)
 * expires, and the socket closes cleanly.
 */
static void test_idle_timeout(void)
{
	union addr addr = { 0 };
	socklen_t alen = sizeof(addr.v4), plen;
	struct quic_transport_param p;
	char buf[256];
	int u, c;

	addr.v4.sin_family = AF_INET;
	addr.v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	c = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	bind(u, &addr.sa, alen);
	getsockname(u, &addr.sa, &alen);
	plen = sizeof(p);
	CHECK(!getsockopt(c, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, &plen) &&
	      (p.max_idle_timeout = 2000000,
	       !setsockopt(c, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, plen)) &&
	      !connect(c, &addr.sa, alen) &&
	      hs_send(c, QUIC_CRYPTO_INITIAL, buf, 100) == 100,
	      "idle: a client Initial to a silent peer, idle timeout 2 s");
	CHECK(recv(c, buf, sizeof(buf), 0) < 0 && errno == ETIMEDOUT,
	      "idle: the handshake fails with ETIMEDOUT");
	close(c);
	close(u);
}

int main(void)
{
	static const struct {
		uint32_t type;
		const char *name;
	} ciphers[] = {
		{ TLS_CIPHER_AES_GCM_128, "AES-128-GCM" },
		{ TLS_CIPHER_AES_GCM_256, "AES-256-GCM" },
		{ TLS_CIPHER_CHACHA20_POLY1305, "ChaCha20-Poly1305" },
		{ TLS_CIPHER_AES_CCM_128, "AES-128-CCM" },
	};
	unsigned int i;

	printf("TAP version 13\n");
	for (i = 0; i < 4; i++)
		test_exchange(AF_INET, "IPv4", ciphers[i].type, ciphers[i].name);
	test_exchange(AF_INET6, "IPv6", TLS_CIPHER_AES_GCM_128, "AES-128-GCM");
	test_errors();
	test_version_negotiation();
	test_version_probe();
	test_idle_timeout();
	return tap_done("handshake_test");
}
