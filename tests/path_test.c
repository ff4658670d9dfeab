// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connection ID and stateless reset tests against the loaded module: a
 * client and a server over loopback switch to new connection IDs and
 * retire old ones through QUIC_SOCKOPT_CONNECTION_ID, with the
 * CONNECTION_ID event on the other side; a server whose connection is
 * gone without a trace answers the client with a stateless reset, for the
 * handshake's ID (stateless_reset_token parameter) and for one issued
 * later (NEW_CONNECTION_ID); a stray short-header datagram does not harm
 * the connection and is answered with a shorter reset; a client moves to
 * a new port (QUIC_SOCKOPT_CONNECTION_MIGRATION) and the server follows,
 * with the CONNECTION_MIGRATION event on both; a NAT (nftables) rebinds
 * the client's port, then its address, and the server follows.  Prints
 * TAP.
 *
 * usage: path_test CERTDIR
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pthread.h>

#include "quic_pair.h"

static int get_cid(int sd, int dest, struct quic_connection_id_info *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	info->dest = dest;
	return getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_ID, info,
			  &len);
}

static int set_cid(int sd, int dest, uint32_t active, uint32_t prior_to)
{
	struct quic_connection_id_info info = {
		.dest = dest, .active = active, .prior_to = prior_to,
	};

	return setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_ID, &info,
			  sizeof(info));
}

/* Events seen by recv_byte(), per descriptor: type, first content byte */
#define MAX_FD	64
static uint8_t seen[MAX_FD][QUIC_EVENT_MAX];
static uint8_t seen_byte[MAX_FD][QUIC_EVENT_MAX];

/* One byte of stream data; events on the way are noted. */
static ssize_t recv_byte(int sd, char *b, int64_t *id)
{
	char buf[256];
	int mflags, i;
	ssize_t n;

	for (i = 0; i < 100; i++) {
		n = recv_any(sd, buf, sizeof(buf), id, NULL, &mflags, 0);
		if (n < 0)
			return n;
		if (mflags & MSG_QUIC_NOTIFICATION) {
			if (sd < MAX_FD && n >= 2 &&
			    (uint8_t)buf[0] < QUIC_EVENT_MAX) {
				seen[sd][(uint8_t)buf[0]] = 1;
				seen_byte[sd][(uint8_t)buf[0]] = buf[1];
			}
			continue;
		}
		*b = buf[0];
		return n;
	}
	return -1;
}

/* One byte each way on a new stream: both sides have processed what the
 * other sent before.
 */
static bool ping_pong(struct pair *p, const char *what)
{
	char b = 0;
	int64_t id;
	ssize_t n;

	n = send_stream(p->c, "p", 1, -1, MSG_QUIC_STREAM_NEW, 0);
	if (n == 1)
		n = recv_byte(p->s, &b, &id);
	if (n == 1 && b == 'p')
		n = send_stream(p->s, "q", 1, id, 0, 0);
	if (n == 1)
		n = recv_byte(p->c, &b, NULL);
	CHECK(n == 1 && b == 'q', "data both ways %s (%zd, %s)", what, n,
	      n < 0 ? strerror(errno) : "ok");
	return n == 1 && b == 'q';
}

/* An event already noted by recv_byte(), or the next one of @type. */
static ssize_t event_byte(int sd, uint8_t type, uint8_t *b)
{
	if (sd < MAX_FD && seen[sd][type]) {
		seen[sd][type] = 0;
		*b = seen_byte[sd][type];
		return 1;
	}
	return wait_event(sd, type, b, 1);
}

/* Server transport parameters: the defaults, for changing one. */
static void server_params(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->sp.active_connection_id_limit = 7;
	o->sp.max_udp_payload_size = 65527;
	o->sp.ack_delay_exponent = 3;
	o->sp.max_idle_timeout = 30000000;
	o->sp.max_ack_delay = 25000;
	o->sp.max_streams_bidi = 100;
	o->sp.max_streams_uni = 100;
	o->sp.max_data = 65536 * 32;
	o->sp.max_stream_data_bidi_local = 65536 * 4;
	o->sp.max_stream_data_bidi_remote = 65536 * 4;
	o->sp.max_stream_data_uni = 65536 * 4;
	o->set_sp = 1;
}

static void test_cid_errors(void)
{
	struct quic_connection_id_info info;
	int sd = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	int ret;

	ret = get_cid(sd, 1, &info);
	CHECK(ret < 0 && errno == ENOTCONN,
	      "CONNECTION_ID get on an unconnected socket: ENOTCONN (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	ret = set_cid(sd, 1, 0, 0);
	CHECK(ret < 0 && errno == ENOTCONN,
	      "CONNECTION_ID set on an unconnected socket: ENOTCONN (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	close(sd);
}

static void test_cid_switch(void)
{
	struct quic_connection_id_info info, ev;
	struct quic_transport_param tp;
	long issued, retired;
	struct pair p;
	ssize_t n;
	int ret;

	if (!pair_ready(&p, NULL, "connection IDs"))
		return;
	issued = quic_mib("QuicConnIdIssued");
	retired = quic_mib("QuicConnIdRetired");
	enable_event(p.c, QUIC_EVENT_CONNECTION_ID);
	enable_event(p.s, QUIC_EVENT_CONNECTION_ID);
	if (!ping_pong(&p, "after the handshake"))
		goto out;

	get_params(p.c, &tp);
	CHECK(tp.active_connection_id_limit == 7,
	      "the local limit of IDs is the default 7 (%u)",
	      tp.active_connection_id_limit);
	ret = get_cid(p.c, 1, &info);
	CHECK(!ret && info.dest == 1 && info.active == 0 && !info.prior_to,
	      "client: sends to the server's ID 0, none retired (%d %u %u)",
	      ret, info.active, info.prior_to);
	ret = get_cid(p.s, 0, &info);
	CHECK(!ret && !info.dest && info.active == 0 && !info.prior_to,
	      "server: the client uses its ID 0 (%d %u %u)", ret,
	      info.active, info.prior_to);

	ret = getsockopt(p.c, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_ID, &info,
			 &(socklen_t){ 2 });
	CHECK(ret < 0 && errno == EINVAL, "a short optlen: EINVAL (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	ret = set_cid(p.c, 1, 1, 0);
	CHECK(!ret, "client: switches to the server's ID 1, issued by "
	      "NEW_CONNECTION_ID (%s)", ret ? strerror(errno) : "ok");
	ret = set_cid(p.c, 1, 9, 0);
	CHECK(ret < 0 && errno == EINVAL,
	      "client: an ID the server did not issue: EINVAL (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	if (!ping_pong(&p, "on the server's ID 1"))
		goto out;
	ret = get_cid(p.s, 0, &info);
	CHECK(!ret && info.active == 1,
	      "server: sees the client use its ID 1 (%u)", info.active);

	ret = set_cid(p.c, 1, 1, 1);
	CHECK(!ret, "client: retires the server's ID 0 (%s)",
	      ret ? strerror(errno) : "ok");
	ret = get_cid(p.c, 1, &info);
	CHECK(!ret && info.active == 1 && info.prior_to == 1,
	      "client: active 1, prior_to 1 (%u %u)", info.active,
	      info.prior_to);
	ret = set_cid(p.c, 1, 1, 0);
	CHECK(ret < 0 && errno == EINVAL,
	      "client: prior_to cannot go back: EINVAL (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	memset(&ev, 0, sizeof(ev));
	n = wait_event(p.s, QUIC_EVENT_CONNECTION_ID, &ev, sizeof(ev));
	CHECK(n == sizeof(ev) && !ev.dest && ev.active == 1 &&
	      ev.prior_to >= 1,
	      "server: CONNECTION_ID event, its ID 0 retired (%zd %u %u %u)",
	      n, ev.dest, ev.active, ev.prior_to);

	/* the server asks the client to drop its IDs below 4 */
	ret = set_cid(p.s, 0, 0, 4);
	CHECK(!ret, "server: Retire Prior To 4 on its IDs (%s)",
	      ret ? strerror(errno) : "ok");
	ret = set_cid(p.s, 0, 0, 99);
	CHECK(ret < 0 && errno == EINVAL,
	      "server: Retire Prior To beyond the IDs issued: EINVAL (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	memset(&ev, 0, sizeof(ev));
	n = wait_event(p.c, QUIC_EVENT_CONNECTION_ID, &ev, sizeof(ev));
	CHECK(n == sizeof(ev) && ev.dest == 1 && ev.active >= 4 &&
	      ev.prior_to >= 4,
	      "client: CONNECTION_ID event, moved to ID %u >= 4 (prior_to %u)",
	      ev.active, ev.prior_to);
	if (!ping_pong(&p, "after the server retired its IDs"))
		goto out;
	ret = get_cid(p.s, 0, &info);
	CHECK(!ret && info.active >= 4 && info.prior_to >= 4,
	      "server: the client uses ID %u >= 4, lowest %u", info.active,
	      info.prior_to);
	CHECK(quic_mib("QuicConnIdIssued") - issued >= 4,
	      "QuicConnIdIssued counts the IDs issued (%ld)",
	      quic_mib("QuicConnIdIssued") - issued);
	CHECK(quic_mib("QuicConnIdRetired") - retired >= 4,
	      "QuicConnIdRetired counts the IDs the peers retired (%ld)",
	      quic_mib("QuicConnIdRetired") - retired);
out:
	pair_close(&p);
}

/* The server's connection disappears without a CONNECTION_CLOSE reaching
 * the client (lo drops everything while it closes, and its closing period
 * passes); the listener's UDP port stays.  The client's next packet is
 * answered with a stateless reset it recognises.
 */
static void reset_case(bool token_param, bool switch_id)
{
	struct quic_transport_param tp;
	long snd, rcv;
	struct opts o;
	struct pair p;
	ssize_t n;
	char b;
	int ret;

	server_params(&o);
	o.sp.stateless_reset = token_param;
	if (!pair_ready(&p, &o, switch_id ? "a reset on ID 1" :
					    "a reset on ID 0"))
		return;
	get_params(p.c, &tp);
	tp.remote = 1;
	ret = getsockopt(p.c, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &tp,
			 &(socklen_t){ sizeof(tp) });
	CHECK(!ret && tp.stateless_reset == token_param,
	      "client: the server %s a stateless_reset_token (%u)",
	      token_param ? "sent" : "did not send", tp.stateless_reset);
	if (!ping_pong(&p, "before the reset"))
		goto out;
	if (switch_id) {
		ret = set_cid(p.c, 1, 1, 0);
		CHECK(!ret, "client: sends to the server's ID 1 (%s)",
		      ret ? strerror(errno) : "ok");
		if (!ping_pong(&p, "on ID 1"))
			goto out;
	}
	set_timeouts(p.c, 10);
	snd = quic_mib("QuicStatelessResetSnd");
	rcv = quic_mib("QuicStatelessResetRcv");
	ret = system("tc qdisc add dev lo root netem loss 100%");
	close(p.s);
	p.s = -1;
	sleep(3);		/* the closing period ends */
	ret |= system("tc qdisc del dev lo root");
	CHECK(!ret, "the server's connection is gone without a trace");
	n = send_stream(p.c, "x", 1, -1, MSG_QUIC_STREAM_NEW, 0);
	CHECK(n == 1, "the client, unaware, sends on a stream (%zd)", n);
	n = recv(p.c, &b, 1, 0);
	CHECK(n < 0 && errno == ECONNRESET,
	      "its recv() fails with ECONNRESET before the idle timeout (%s)",
	      n < 0 ? strerror(errno) : "data");
	CHECK(quic_mib("QuicStatelessResetSnd") > snd &&
	      quic_mib("QuicStatelessResetRcv") > rcv,
	      "QuicStatelessResetSnd and QuicStatelessResetRcv count it");
out:
	pair_close(&p);
}

static void test_stateless_reset(void)
{
	if (system("tc qdisc add dev lo root netem loss 100% 2>/dev/null")) {
		printf("# skip: stateless reset (no tc netem)\n");
		return;
	}
	system("tc qdisc del dev lo root");
	reset_case(true, false);
	reset_case(false, true);
}

/* A datagram from elsewhere that looks like a short header packet for
 * an unknown connection: answered with a shorter reset (too short: not
 * at all), and the connection it reached is unharmed.
 */
static void test_stray_datagram(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	unsigned char buf[64];
	struct pollfd pfd;
	struct pair p;
	ssize_t n;
	int u, i;

	if (!pair_ready(&p, NULL, "stray datagrams"))
		return;
	u = socket(AF_INET, SOCK_DGRAM, 0);
	getsockname(p.c, (struct sockaddr *)&a, &len);
	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = 0x40 | (i * 37);
	buf[0] = 0x41;
	n = sendto(u, buf, 50, 0, (struct sockaddr *)&a, len);
	pfd.fd = u;
	pfd.events = POLLIN;
	n = poll(&pfd, 1, 2000) == 1 ? recv(u, buf, sizeof(buf), 0) : -1;
	CHECK(n >= 21 && n < 50 && (buf[0] & 0xc0) == 0x40,
	      "a 50-byte stray datagram is answered with a %zd-byte reset",
	      n);
	memset(buf, 0x42, sizeof(buf));
	n = sendto(u, buf, 21, 0, (struct sockaddr *)&a, len);
	n = poll(&pfd, 1, 1000) == 1 ? recv(u, buf, sizeof(buf), 0) : 0;
	CHECK(n == 0, "a 21-byte one is not answered (%zd)", n);
	ping_pong(&p, "after the stray datagrams");
	close(u);
	pair_close(&p);
}

static int migrate(int sd, in_port_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION, &a,
			  sizeof(a));
}

/* The client moves to a new local port: it validates the path with
 * PATH_CHALLENGE from its new socket and switches; the server sees it
 * arrive from there, validates that address in turn and follows.
 */
static void test_migration(void)
{
	struct sockaddr_in before, after, peer;
	long validated, migrated;
	socklen_t len;
	struct opts o;
	struct pair p;
	uint8_t ev;
	ssize_t n;
	int ret;


	if (!pair_ready(&p, NULL, "migration"))
		return;
	validated = quic_mib("QuicPathValidated");
	migrated = quic_mib("QuicPeerMigrated");
	enable_event(p.c, QUIC_EVENT_CONNECTION_MIGRATION);
	enable_event(p.s, QUIC_EVENT_CONNECTION_MIGRATION);
	if (!ping_pong(&p, "before the migration"))
		goto out;
	ret = migrate(p.s, 0);
	CHECK(ret < 0 && errno == EOPNOTSUPP,
	      "a server does not move: EOPNOTSUPP (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	len = sizeof(before);
	getsockname(p.c, (struct sockaddr *)&before, &len);
	ret = migrate(p.c, 0);
	CHECK(!ret, "client: CONNECTION_MIGRATION to a new port (%s)",
	      ret ? strerror(errno) : "ok");
	n = event_byte(p.c, QUIC_EVENT_CONNECTION_MIGRATION, &ev);
	CHECK(n == 1 && ev == 1,
	      "client: CONNECTION_MIGRATION event, local (%zd %u)", n, ev);
	len = sizeof(after);
	getsockname(p.c, (struct sockaddr *)&after, &len);
	CHECK(after.sin_port && after.sin_port != before.sin_port,
	      "client: getsockname() gives the new port (%u, was %u)",
	      ntohs(after.sin_port), ntohs(before.sin_port));
	if (!ping_pong(&p, "from the new port"))
		goto out;
	n = event_byte(p.s, QUIC_EVENT_CONNECTION_MIGRATION, &ev);
	CHECK(n == 1 && ev == 0,
	      "server: CONNECTION_MIGRATION event, the peer moved (%zd %u)",
	      n, ev);
	len = sizeof(peer);
	getpeername(p.s, (struct sockaddr *)&peer, &len);
	CHECK(peer.sin_port == after.sin_port,
	      "server: getpeername() gives the client's new port (%u)",
	      ntohs(peer.sin_port));
	ping_pong(&p, "after both moved");
	CHECK(quic_mib("QuicPathValidated") - validated >= 2 &&
	      quic_mib("QuicPeerMigrated") - migrated >= 1,
	      "QuicPathValidated and QuicPeerMigrated count them");
out:
	pair_close(&p);

	server_params(&o);
	o.sp.disable_active_migration = 1;
	if (!pair_ready(&p, &o, "disable_active_migration"))
		return;
	ping_pong(&p, "with migration disabled");
	ret = migrate(p.c, 0);
	CHECK(ret < 0 && errno == EPERM,
	      "the server disabled active migration: EPERM (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	pair_close(&p);
}

/* Wait until @sd's local (or peer) address is 127.0.0.2, traffic going. */
static bool wait_addr(struct pair *p, int sd, bool peer,
		      struct sockaddr_in *a)
{
	socklen_t len;
	int i;

	for (i = 0; i < 50; i++) {
		len = sizeof(*a);
		if (peer)
			getpeername(sd, (struct sockaddr *)a, &len);
		else
			getsockname(sd, (struct sockaddr *)a, &len);
		if (a->sin_addr.s_addr == inet_addr("127.0.0.2"))
			return true;
		if (!ping_pong(p, "while moving"))
			return false;
		usleep(100000);
	}
	return false;
}

static int migrate_to(int sd, const char *ip)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	a.sin_addr.s_addr = inet_addr(ip);
	return setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION, &a,
			  sizeof(a));
}

struct bulk {
	int sd;
	size_t len;
	size_t sent;
};

/* @len bytes of 0x5a on the client's stream 0, FIN on the last */
static void *bulk_send(void *arg)
{
	struct bulk *b = arg;
	static char buf[16384];
	uint32_t flags = MSG_QUIC_STREAM_NEW;
	size_t chunk;
	ssize_t n;

	memset(buf, 0x5a, sizeof(buf));
	while (b->sent < b->len) {
		chunk = b->len - b->sent < sizeof(buf) ? b->len - b->sent :
							 sizeof(buf);
		if (b->sent + chunk == b->len)
			flags |= MSG_QUIC_STREAM_FIN;
		n = send_stream(b->sd, buf, chunk, 0, flags, 0);
		if (n <= 0)
			break;
		b->sent += (size_t)n;
		flags = 0;
	}
	return NULL;
}

/* As programs do: the client moves once, to another local address,
 * right after its handshake (HANDSHAKE_DONE and the server's
 * NEW_CONNECTION_ID frames may still be on their way: the call waits for
 * them), and again in the middle of a 1 MiB transfer, which arrives
 * whole.
 */
static void test_migration_programs(void)
{
	struct bulk b = { .len = 1 << 20 };
	struct pair p_mig;
	struct sockaddr_in a;
	size_t got = 0, bad = 0;
	char buf[65536];
	uint32_t sflags = 0;
	bool moved = false, delayed;
	pthread_t th;
	int64_t id;
	ssize_t n, i;
	int ret;

	/* 50 ms each way: the server's frames after its handshake reach
	 * the client well after the client's handshake returned
	 */
	delayed = !system("tc qdisc add dev lo root netem delay 50ms 2>/dev/null");
	if (!pair_ready(&p_mig, NULL, "migration right after the handshake")) {
		if (delayed && system("tc qdisc del dev lo root"))
			delayed = 0;
		return;
	}
	ret = migrate_to(p_mig.c, "127.0.0.2");
	CHECK(!ret, "client: CONNECTION_MIGRATION to 127.0.0.2 right after its handshake, %s (%s)",
	      delayed ? "50 ms from its server" : "no netem here",
	      ret ? strerror(errno) : "ok");
	if (delayed && system("tc qdisc del dev lo root"))
		delayed = 0;
	CHECK(!ret && wait_addr(&p_mig, p_mig.c, false, &a),
	      "... the client sends from 127.0.0.2");
	pair_close(&p_mig);

	if (!pair_ready(&p_mig, NULL, "migration in a transfer"))
		return;
	b.sd = p_mig.c;
	if (pthread_create(&th, NULL, bulk_send, &b)) {
		pair_close(&p_mig);
		return;
	}
	while (!(sflags & MSG_QUIC_STREAM_FIN)) {
		n = recv_any(p_mig.s, buf, sizeof(buf), &id, &sflags, NULL, 0);
		if (n < 0)
			break;
		for (i = 0; i < n; i++)
			bad += buf[i] != 0x5a;
		got += (size_t)n;
		if (!moved && got >= 256 * 1024) {
			moved = true;
			ret = migrate_to(p_mig.c, "127.0.0.2");
			CHECK(!ret, "client: CONNECTION_MIGRATION to 127.0.0.2 in the middle of a 1 MiB transfer (%s)",
			      ret ? strerror(errno) : "ok");
		}
	}
	pthread_join(th, NULL);
	CHECK(got == b.len && !bad && (sflags & MSG_QUIC_STREAM_FIN),
	      "... the transfer arrives whole (%zu of %zu bytes, %zu wrong)",
	      got, b.len, bad);
	CHECK(wait_addr(&p_mig, p_mig.c, false, &a) &&
	      wait_addr(&p_mig, p_mig.s, true, &a),
	      "... both ends use 127.0.0.2 afterwards");
	pair_close(&p_mig);
}

/* A server's preferred address (RFC 9000 section 9.6): set on the
 * listener; the client validates it once the handshake is confirmed and
 * moves there, the server sends from it when the client's packets come
 * there.
 */
static void test_preferred_address(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	long moved = quic_mib("QuicPreferredAddress");
	struct opts o = { 0 };
	struct pair p;
	int sd, ret;

	sd = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	ret = setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION, &a,
			 sizeof(a));
	CHECK(ret < 0 && errno == EINVAL,
	      "a wildcard preferred address: EINVAL (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	a6.sin6_addr = in6addr_loopback;
	ret = setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION, &a6,
			 sizeof(a6));
	CHECK(ret < 0 && errno == EAFNOSUPPORT,
	      "an IPv6 preferred address on an IPv4 socket: EAFNOSUPPORT (%s)",
	      ret < 0 ? strerror(errno) : "ok");
	a.sin_addr.s_addr = inet_addr("127.0.0.2");
	ret = setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION, &a,
			 sizeof(a));
	CHECK(!ret, "a preferred address before listen() (%s)",
	      ret ? strerror(errno) : "ok");
	close(sd);

	o.pref = a;
	if (!pair_ready(&p, &o, "a preferred address"))
		return;
	CHECK(wait_addr(&p, p.c, true, &a),
	      "client: moves to the server's preferred address (getpeername "
	      "%s)", inet_ntoa(a.sin_addr));
	CHECK(wait_addr(&p, p.s, false, &a),
	      "server: sends from its preferred address (getsockname %s)",
	      inet_ntoa(a.sin_addr));
	ping_pong(&p, "at the preferred address");
	CHECK(quic_mib("QuicPreferredAddress") - moved >= 2,
	      "QuicPreferredAddress counts both ends (%ld)",
	      quic_mib("QuicPreferredAddress") - moved);
	pair_close(&p);
}

static int nft(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* A NAT between client and server (nftables rewriting loopback packets
 * both ways) suddenly changes the client's port, or its address: the
 * server follows after validating the new one, and back when the NAT
 * forgets; the client notices nothing.
 */
static void rebind_case(bool address)
{
	struct sockaddr_in c, s;
	socklen_t len = sizeof(c);
	unsigned int port, alias;
	long migrated;
	struct pair p;
	uint8_t ev;
	ssize_t n;
	int ret;

	if (!pair_ready(&p, NULL, address ? "address rebinding" :
					    "port rebinding"))
		return;
	enable_event(p.s, QUIC_EVENT_CONNECTION_MIGRATION);
	if (!ping_pong(&p, "before the rebinding"))
		goto out;
	getsockname(p.c, (struct sockaddr *)&c, &len);
	port = ntohs(c.sin_port);
	alias = port < 60000 ? port + 1000 : port - 1000;
	migrated = quic_mib("QuicPeerMigrated");
	ret = nft("nft add table inet quic_test && "
		  "nft 'add chain inet quic_test out "
		  "{ type filter hook output priority -300; }'");
	if (address)
		ret |= nft("nft add rule inet quic_test out ip saddr 127.0.0.1 "
			   "udp sport %u ip saddr set 127.0.0.2 && "
			   "nft add rule inet quic_test out ip daddr 127.0.0.2 "
			   "udp dport %u ip daddr set 127.0.0.1", port, port);
	else
		ret |= nft("nft add rule inet quic_test out udp sport %u "
			   "udp sport set %u && "
			   "nft add rule inet quic_test out udp dport %u "
			   "udp dport set %u", port, alias, alias, port);
	CHECK(!ret, "nftables rewrites the client's %s", address ?
	      "address to 127.0.0.2" : "port");
	if (ret || !ping_pong(&p, "through the rebinding"))
		goto out;
	n = event_byte(p.s, QUIC_EVENT_CONNECTION_MIGRATION, &ev);
	CHECK(n == 1 && ev == 0,
	      "server: CONNECTION_MIGRATION event, the peer moved (%zd %u)",
	      n, ev);
	len = sizeof(s);
	getpeername(p.s, (struct sockaddr *)&s, &len);
	if (address)
		CHECK(s.sin_addr.s_addr == inet_addr("127.0.0.2") &&
		      ntohs(s.sin_port) == port,
		      "server: getpeername() gives %s:%u", inet_ntoa(s.sin_addr),
		      ntohs(s.sin_port));
	else
		CHECK(ntohs(s.sin_port) == alias,
		      "server: getpeername() gives the new port %u (%u)",
		      alias, ntohs(s.sin_port));
	nft("nft delete table inet quic_test");
	if (!ping_pong(&p, "once the NAT forgets"))
		goto out;
	n = event_byte(p.s, QUIC_EVENT_CONNECTION_MIGRATION, &ev);
	len = sizeof(s);
	getpeername(p.s, (struct sockaddr *)&s, &len);
	CHECK(n == 1 && ev == 0 && ntohs(s.sin_port) == port &&
	      s.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "server: back to the client's own address (%zd %u %u)", n, ev,
	      ntohs(s.sin_port));
	CHECK(quic_mib("QuicPeerMigrated") - migrated >= 2,
	      "QuicPeerMigrated counts both moves");
out:
	nft("nft delete table inet quic_test 2>/dev/null");
	pair_close(&p);
}

static void test_rebinding(void)
{
	if (nft("nft list tables >/dev/null 2>&1")) {
		printf("# skip: NAT rebinding (no nftables)\n");
		return;
	}
	rebind_case(false);
	rebind_case(true);
}

int main(int argc, char **argv)
{
	if (pair_setup(argc, argv, "CERTDIR"))
		return 2;
	test_cid_errors();
	test_cid_switch();
	test_stray_datagram();
	test_migration();
	test_migration_programs();
	test_preferred_address();
	test_rebinding();
	test_stateless_reset();
	return tap_done("path_test");
}
