// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Socket API tests for the QUIC module: socket(), bind(), getsockname(),
 * close(), the SOL_QUIC options that work before a connection exists and
 * the sysctls.  Output is TAP, as kselftests print it.  Needs quic.ko
 * loaded.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/quic.h>

#include "quic_tap.h"

/* The call fails with the given errno. */
#define FAILS_WITH(call, err) ((call) < 0 && errno == (err))

struct fam {
	int family;
	const char *name;
	const char *loopback;
};

static const struct fam fams[] = {
	{ AF_INET, "inet", "127.0.0.1" },
	{ AF_INET6, "inet6", "::1" },
};

static const struct {
	int type;
	const char *name;
} types[] = {
	{ SOCK_STREAM, "stream" },
	{ SOCK_DGRAM, "dgram" },
};

static socklen_t make_addr(const struct fam *f, const char *ip, uint16_t port,
			   struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (f->family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, ip ? ip : "0.0.0.0", &a->sin_addr);
		return sizeof(*a);
	}
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	a6->sin6_family = AF_INET6;
	a6->sin6_port = htons(port);
	inet_pton(AF_INET6, ip ? ip : "::", &a6->sin6_addr);
	return sizeof(*a6);
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* Is a UDP socket bound to this port listed in /proc/net/udp{,6}? */
static int udp_port_open(uint16_t port)
{
	static const char * const files[] = { "/proc/net/udp",
					      "/proc/net/udp6" };
	char line[512], want[8];
	unsigned int i;
	int found = 0;

	snprintf(want, sizeof(want), ":%04X ", port);
	for (i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			/* "sl: addr:port ..." -> the local port field */
			char *local = strchr(line, ':');

			if (local)
				local = strchr(local + 1, ':');
			if (local && !strncmp(local, want, strlen(want)))
				found = 1;
		}
		fclose(f);
	}
	return found;
}

static void test_socket(void)
{
	unsigned int i, j;
	int s;

	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			s = socket(fams[i].family, types[j].type, IPPROTO_QUIC);
			CHECK(s >= 0, "socket(%s, %s, IPPROTO_QUIC)",
			      fams[i].name, types[j].name);
			if (s >= 0)
				CHECK(close(s) == 0, "close %s %s socket",
				      fams[i].name, types[j].name);
		}
		s = socket(fams[i].family, SOCK_SEQPACKET, IPPROTO_QUIC);
		CHECK(s < 0 && (errno == EPROTONOSUPPORT ||
				errno == ESOCKTNOSUPPORT),
		      "socket(%s, SOCK_SEQPACKET, IPPROTO_QUIC) is refused",
		      fams[i].name);
		if (s >= 0)
			close(s);
	}
}

static void test_bind(const struct fam *f, int type, const char *tname)
{
	struct sockaddr_storage ss, got;
	socklen_t len, glen = sizeof(got);
	uint16_t port;
	int s, s2, s3;

	s = socket(f->family, type, IPPROTO_QUIC);
	if (s < 0) {
		CHECK(0, "%s %s: socket", f->name, tname);
		return;
	}

	/* port 0: the kernel picks one, getsockname() reports it */
	len = make_addr(f, f->loopback, 0, &ss);
	CHECK(bind(s, (struct sockaddr *)&ss, len) == 0,
	      "%s %s: bind to port 0", f->name, tname);
	CHECK(getsockname(s, (struct sockaddr *)&got, &glen) == 0 &&
	      got.ss_family == f->family && port_of(&got) != 0,
	      "%s %s: getsockname reports the chosen port", f->name, tname);
	port = port_of(&got);
	CHECK(udp_port_open(port), "%s %s: a UDP tunnel socket holds port %u",
	      f->name, tname, port);

	/* binding twice is refused, as for TCP */
	CHECK(FAILS_WITH(bind(s, (struct sockaddr *)&ss, len), EINVAL),
	      "%s %s: second bind gives EINVAL", f->name, tname);

	/* another QUIC socket may share the address and port */
	s2 = socket(f->family, type, IPPROTO_QUIC);
	len = make_addr(f, f->loopback, port, &ss);
	CHECK(s2 >= 0 && bind(s2, (struct sockaddr *)&ss, len) == 0,
	      "%s %s: second socket binds the same address and port",
	      f->name, tname);
	glen = sizeof(got);
	CHECK(getsockname(s2, (struct sockaddr *)&got, &glen) == 0 &&
	      port_of(&got) == port, "%s %s: both report the same port",
	      f->name, tname);

	close(s);
	CHECK(udp_port_open(port),
	      "%s %s: the shared UDP socket stays while one user is left",
	      f->name, tname);
	close(s2);
	usleep(100000);	/* the tunnel socket is released from a work item */
	CHECK(!udp_port_open(port),
	      "%s %s: the UDP socket is closed with its last user",
	      f->name, tname);

	/* the same port can be bound again right away */
	s3 = socket(f->family, type, IPPROTO_QUIC);
	CHECK(s3 >= 0 && bind(s3, (struct sockaddr *)&ss, len) == 0,
	      "%s %s: rebinding the released port works", f->name, tname);
	if (s3 >= 0)
		close(s3);
}

static void test_bind_errors(const struct fam *f)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s;

	s = socket(f->family, SOCK_DGRAM, IPPROTO_QUIC);
	if (s < 0) {
		CHECK(0, "%s: socket", f->name);
		return;
	}
	len = make_addr(f, f->loopback, 0, &ss);
	CHECK(FAILS_WITH(bind(s, (struct sockaddr *)&ss, 4), EINVAL),
	      "%s: bind with a short address gives EINVAL", f->name);
	/* (an AF_INET6 socket takes AF_INET addresses: see compat_test) */
	ss.ss_family = f->family == AF_INET ? AF_INET6 : AF_UNIX;
	CHECK(FAILS_WITH(bind(s, (struct sockaddr *)&ss, sizeof(ss)),
			 EAFNOSUPPORT),
	      "%s: bind with a family it does not take gives EAFNOSUPPORT",
	      f->name);
	CHECK(FAILS_WITH(bind(s, (struct sockaddr *)1, len), EFAULT),
	      "%s: bind with a bad pointer gives EFAULT", f->name);
	len = make_addr(f, f->family == AF_INET ? "192.0.2.1" : "2001:db8::1",
			0, &ss);
	CHECK(FAILS_WITH(bind(s, (struct sockaddr *)&ss, len), EADDRNOTAVAIL),
	      "%s: bind to a foreign address gives EADDRNOTAVAIL", f->name);
	len = make_addr(f, NULL, 0, &ss);
	CHECK(bind(s, (struct sockaddr *)&ss, len) == 0,
	      "%s: bind to the wildcard address", f->name);
	close(s);
}

/* net.quic.congestion_control: the controller new sockets start with */
static const char cong_sysctl[] = "/proc/sys/net/quic/congestion_control";

static int sysctl_read(void)
{
	FILE *f = fopen(cong_sysctl, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int sysctl_write(const char *v)
{
	int fd = open(cong_sysctl, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, v, strlen(v));
	close(fd);
	return n < 0 ? -1 : 0;
}

static void test_sysctl(void)
{
	struct quic_config c;
	socklen_t len = sizeof(c);
	int s, v;

	v = sysctl_read();
	CHECK(v == QUIC_CONG_ALG_RENO,
	      "sysctl congestion_control: NewReno by default (%d)", v);
	if (access(cong_sysctl, W_OK)) {
		printf("# skip: %s is not writable here\n", cong_sysctl);
		return;
	}
	CHECK(sysctl_write("2") == 0 && sysctl_read() == QUIC_CONG_ALG_BBR,
	      "sysctl congestion_control: set to 2");
	s = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	CHECK(s >= 0 &&
	      getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c, &len) == 0 &&
	      c.congestion_control_algo == QUIC_CONG_ALG_BBR,
	      "sysctl congestion_control: a new socket starts with BBR");
	if (s >= 0)
		close(s);
	CHECK(sysctl_write("3") < 0 && errno == EINVAL &&
	      sysctl_read() == QUIC_CONG_ALG_BBR,
	      "sysctl congestion_control: 3 is refused (EINVAL)");
	CHECK(sysctl_write("0") == 0 && sysctl_read() == QUIC_CONG_ALG_RENO,
	      "sysctl congestion_control: back to 0");
}

static void test_config(int s)
{
	struct quic_config c, d;
	unsigned char big[128];
	socklen_t len = sizeof(c);

	memset(&c, 0xff, sizeof(c));
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c, &len) == 0 &&
	      len == sizeof(c), "CONFIG: get returns %zu bytes", sizeof(c));
	CHECK(c.version == QUIC_VERSION_V1 && c.plpmtud_probe_interval == 0 &&
	      c.initial_smoothed_rtt == 333000 &&
	      c.congestion_control_algo == QUIC_CONG_ALG_RENO &&
	      c.payload_cipher_type == 0 && !c.validate_peer_address &&
	      !c.stream_data_nodelay && !c.receive_session_ticket &&
	      !c.certificate_request && !c.keepalive_probe_interval,
	      "CONFIG: defaults as the draft states");

	len = QUIC_CONFIG_SIZE_VER0;
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d, &len) == 0 &&
	      len == QUIC_CONFIG_SIZE_VER0,
	      "CONFIG: get with the first published size");
	len = sizeof(big);
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, big, &len) == 0 &&
	      len == sizeof(c), "CONFIG: a larger buffer gets the known size");
	len = QUIC_CONFIG_SIZE_VER0 - 1;
	CHECK(FAILS_WITH(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d, &len),
			 EINVAL), "CONFIG: get with a short buffer gives EINVAL");
	len = sizeof(d);
	CHECK(FAILS_WITH(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, NULL,
				    &len), EFAULT),
	      "CONFIG: get into NULL gives EFAULT");
	CHECK(FAILS_WITH(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d, NULL),
			 EFAULT), "CONFIG: get with NULL optlen gives EFAULT");

	c.version = QUIC_VERSION_V2;
	c.congestion_control_algo = QUIC_CONG_ALG_CUBIC;
	c.initial_smoothed_rtt = 200000;
	c.plpmtud_probe_interval = 10000000;
	c.payload_cipher_type = 52;	/* TLS_CIPHER_AES_GCM_256 */
	c.certificate_request = QUIC_CERT_REQUEST_REQUIRE;
	c.validate_peer_address = 1;
	c.keepalive_probe_interval = 15000000;
	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c, sizeof(c)) == 0,
	      "CONFIG: set valid values");
	len = sizeof(d);
	memset(&d, 0, sizeof(d));
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d, &len) == 0 &&
	      !memcmp(&c, &d, sizeof(c)), "CONFIG: get returns what was set");

	d = c;
	d.congestion_control_algo = QUIC_CONG_ALG_RENO;
	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d,
			 QUIC_CONFIG_SIZE_VER0) == 0,
	      "CONFIG: set with the first published size (28)");
	d.congestion_control_algo = QUIC_CONG_ALG_BBR;
	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d, sizeof(d)) == 0,
	      "CONFIG: BBR can be chosen");
	len = sizeof(d);
	memset(&d, 0, sizeof(d));
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d, &len) == 0 &&
	      d.congestion_control_algo == QUIC_CONG_ALG_BBR,
	      "CONFIG: BBR is what get returns after");

#define BAD_CONFIG(field, value, what) do {				\
		d = c;							\
		d.field = value;					\
		CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC,		\
					    QUIC_SOCKOPT_CONFIG, &d,	\
					    sizeof(d)), EINVAL),	\
		      "CONFIG: %s gives EINVAL", what);			\
	} while (0)
	/* a client probes with it, to provoke Version Negotiation */
	d = c;
	d.version = 0x1a2a3a4a;
	len = sizeof(d);
	CHECK(!setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d, sizeof(d)) &&
	      !getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &d, &len) &&
	      d.version == 0x1a2a3a4a &&
	      !setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c, sizeof(c)),
	      "CONFIG: an unknown version is taken (a client's probe)");
	BAD_CONFIG(plpmtud_probe_interval, 1000, "probe interval below 5 s");
	BAD_CONFIG(initial_smoothed_rtt, 99999, "initial RTT below 100 ms");
	BAD_CONFIG(initial_smoothed_rtt, 6000000, "initial RTT of 6 s");
	BAD_CONFIG(payload_cipher_type, 50, "unknown cipher");
	BAD_CONFIG(congestion_control_algo, QUIC_CONG_ALG_MAX,
		   "unknown congestion control");
	BAD_CONFIG(certificate_request, 3, "certificate_request 3");

	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &c,
				    QUIC_CONFIG_SIZE_VER0 - 1), EINVAL),
	      "CONFIG: set with a short length gives EINVAL");
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, NULL,
				    sizeof(c)), EFAULT),
	      "CONFIG: set from NULL gives EFAULT");
	memset(big, 0, sizeof(big));
	memcpy(big, &c, sizeof(c));
	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, big,
			 sizeof(big)) == 0,
	      "CONFIG: a longer struct with a zero tail is accepted");
	big[sizeof(c) + 3] = 1;
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_CONFIG, big,
				    sizeof(big)), E2BIG),
	      "CONFIG: a longer struct with a non-zero tail gives E2BIG");
}

static void test_transport_param(int s)
{
	struct quic_transport_param p, q;
	unsigned char big[128];
	socklen_t len = sizeof(p);

	memset(&p, 0, sizeof(p));
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p,
			 &len) == 0 && len == sizeof(p),
	      "TRANSPORT_PARAM: get returns %zu bytes", sizeof(p));
	CHECK(!p.remote && !p.disable_active_migration && !p.grease_quic_bit &&
	      !p.stateless_reset && !p.disable_1rtt_encryption &&
	      !p.disable_compatible_version &&
	      p.active_connection_id_limit == 7 && p.ack_delay_exponent == 3 &&
	      p.max_datagram_frame_size == 0 &&
	      p.max_udp_payload_size == 65527 &&
	      p.max_idle_timeout == 30000000 && p.max_ack_delay == 25000 &&
	      p.max_streams_bidi == 100 && p.max_streams_uni == 100 &&
	      p.max_data == 65536 * 32 &&
	      p.max_stream_data_bidi_local == 65536 * 4 &&
	      p.max_stream_data_bidi_remote == 65536 * 4 &&
	      p.max_stream_data_uni == 65536 * 4,
	      "TRANSPORT_PARAM: defaults as the draft states");

	p.max_idle_timeout = 5000000;
	p.max_datagram_frame_size = 1200;
	p.max_streams_bidi = 1000;
	p.max_data = 1 << 24;
	p.grease_quic_bit = 1;
	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p,
			 sizeof(p)) == 0, "TRANSPORT_PARAM: set valid values");
	len = sizeof(q);
	memset(&q, 0, sizeof(q));
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &q,
			 &len) == 0 && !memcmp(&p, &q, sizeof(p)),
	      "TRANSPORT_PARAM: get returns what was set");

	q = p;
	q.max_streams_uni = 7;
	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &q,
			 QUIC_TRANSPORT_PARAM_SIZE_VER0) == 0,
	      "TRANSPORT_PARAM: set with the first published size (56)");
	len = QUIC_TRANSPORT_PARAM_SIZE_VER0;
	memset(&q, 0, sizeof(q));
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &q,
			 &len) == 0 && len == QUIC_TRANSPORT_PARAM_SIZE_VER0 &&
	      q.max_streams_uni == 7,
	      "TRANSPORT_PARAM: get with the first published size");

	memset(&q, 0, sizeof(q));
	q.remote = 1;
	len = sizeof(q);
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &q,
			 &len) == 0 && q.remote == 1 && q.max_streams_bidi == 100,
	      "TRANSPORT_PARAM: remote parameters are kept apart");

#define BAD_PARAM(field, value, what) do {				\
		q = p;							\
		q.field = value;					\
		CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC,		\
				 QUIC_SOCKOPT_TRANSPORT_PARAM, &q,	\
				 sizeof(q)), EINVAL),			\
		      "TRANSPORT_PARAM: %s gives EINVAL", what);	\
	} while (0)
	BAD_PARAM(max_udp_payload_size, 1199, "max_udp_payload_size 1199");
	BAD_PARAM(max_udp_payload_size, 65528, "max_udp_payload_size 65528");
	BAD_PARAM(ack_delay_exponent, 21, "ack_delay_exponent 21");
	BAD_PARAM(max_ack_delay, 16384000, "max_ack_delay of 2^14 ms");
	BAD_PARAM(active_connection_id_limit, 1,
		  "active_connection_id_limit 1");
	BAD_PARAM(max_data, 1ULL << 62, "max_data of 2^62");
	BAD_PARAM(max_stream_data_uni, ~0ULL, "max_stream_data_uni of 2^64-1");

	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM,
				    &p, QUIC_TRANSPORT_PARAM_SIZE_VER0 - 1),
			 EINVAL),
	      "TRANSPORT_PARAM: set with a short length gives EINVAL");
	memset(big, 0, sizeof(big));
	memcpy(big, &p, sizeof(p));
	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, big,
			 sizeof(big)) == 0,
	      "TRANSPORT_PARAM: a longer struct with a zero tail is accepted");
	big[sizeof(big) - 1] = 1;
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM,
				    big, sizeof(big)), E2BIG),
	      "TRANSPORT_PARAM: a non-zero tail gives E2BIG");
	len = QUIC_TRANSPORT_PARAM_SIZE_VER0 - 1;
	CHECK(FAILS_WITH(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM,
				    &q, &len), EINVAL),
	      "TRANSPORT_PARAM: get with a short buffer gives EINVAL");
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM,
				    (void *)1, sizeof(p)), EFAULT),
	      "TRANSPORT_PARAM: set from a bad pointer gives EFAULT");
}

static void test_other_options(int s)
{
	struct quic_event_option ev = { QUIC_EVENT_STREAM_UPDATE, 1 };
	char alpn[300];
	socklen_t len;
	int v = 1;

	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_EVENT, &ev,
			 sizeof(ev)) == 0, "EVENT: enable an event");
	ev.on = 0;
	len = sizeof(ev);
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_EVENT, &ev, &len) == 0 &&
	      ev.on == 1, "EVENT: get reports it enabled");
	ev.type = QUIC_EVENT_MAX;
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_EVENT, &ev,
				    sizeof(ev)), EINVAL),
	      "EVENT: unknown event type gives EINVAL");

	CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_ALPN, "h3,smbd",
			 strlen("h3,smbd")) == 0, "ALPN: set a list");
	len = sizeof(alpn);
	CHECK(getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_ALPN, alpn, &len) == 0 &&
	      len == 7 && !memcmp(alpn, "h3,smbd", 7), "ALPN: get it back");
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_ALPN, "h3,,x", 5),
			 EINVAL), "ALPN: an empty entry gives EINVAL");
	memset(alpn, 'a', sizeof(alpn));
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_ALPN, alpn,
				    sizeof(alpn)), EINVAL),
	      "ALPN: an over-long list gives EINVAL");

	len = sizeof(v);
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, 99, &v, sizeof(v)),
			 ENOPROTOOPT) &&
	      FAILS_WITH(getsockopt(s, SOL_QUIC, 99, &v, &len), ENOPROTOOPT),
	      "unknown option name gives ENOPROTOOPT");
	CHECK(FAILS_WITH(setsockopt(s, IPPROTO_UDP, 1, &v, sizeof(v)),
			 ENOPROTOOPT),
	      "option at a foreign level gives ENOPROTOOPT");
	CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_KEY_UPDATE, NULL,
				    0), ENOTCONN),
	      "KEY_UPDATE before a connection gives ENOTCONN");
	{
		/* before listen(): a server's preferred address */
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
		int dom = 0;

		len = sizeof(dom);
		getsockopt(s, SOL_SOCKET, SO_DOMAIN, &dom, &len);
		a6.sin6_family = dom == AF_INET ? AF_INET6 : AF_INET;
		CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC,
					    QUIC_SOCKOPT_CONNECTION_MIGRATION,
					    &a6, sizeof(a6)), EAFNOSUPPORT),
		      "CONNECTION_MIGRATION of another family: EAFNOSUPPORT");
		CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC,
					    QUIC_SOCKOPT_CONNECTION_MIGRATION,
					    &a6, 8), EINVAL),
		      "CONNECTION_MIGRATION with a short address gives EINVAL");
	}
	{
		static const int conn_set[] = {
			QUIC_SOCKOPT_STREAM_RESET,
			QUIC_SOCKOPT_STREAM_STOP_SENDING,
			QUIC_SOCKOPT_CONNECTION_ID,
			QUIC_SOCKOPT_KEY_UPDATE,
			QUIC_SOCKOPT_TRANSPORT_PARAM_EXT,
		}, conn_get[] = {
			QUIC_SOCKOPT_STREAM_OPEN,
			QUIC_SOCKOPT_CONNECTION_ID,
			QUIC_SOCKOPT_STREAM_PEELOFF,
			QUIC_SOCKOPT_TRANSPORT_PARAM_EXT,
			QUIC_SOCKOPT_SESSION_TICKET,
		};
		char buf[64] = { 0 };
		unsigned int k;
		int bad = 0;

		for (k = 0; k < ARRAY_SIZE(conn_set); k++)
			if (!FAILS_WITH(setsockopt(s, SOL_QUIC, conn_set[k],
						   buf, 16), ENOTCONN))
				bad = conn_set[k];
		for (k = 0; k < ARRAY_SIZE(conn_get); k++) {
			len = sizeof(buf);
			if (!FAILS_WITH(getsockopt(s, SOL_QUIC, conn_get[k],
						   buf, &len), ENOTCONN))
				bad = conn_get[k];
		}
		CHECK(!bad,
		      "connection options before a connection give ENOTCONN (first wrong: %d)",
		      bad);
		{
			struct quic_connection_close cl = { .errcode = 5 };

			memcpy(cl.phrase, "done", 5);
			len = sizeof(cl);
			CHECK(!setsockopt(s, SOL_QUIC,
					  QUIC_SOCKOPT_CONNECTION_CLOSE, &cl,
					  sizeof(cl)) &&
			      !getsockopt(s, SOL_QUIC,
					  QUIC_SOCKOPT_CONNECTION_CLOSE, &cl,
					  &len) &&
			      cl.errcode == 5 && len == 8 + 5 &&
			      !strcmp((char *)cl.phrase, "done"),
			      "the close code and phrase are set before a connection, for close()");
			CHECK(FAILS_WITH(setsockopt(s, SOL_QUIC,
						    QUIC_SOCKOPT_CONNECTION_CLOSE,
						    &cl, 4), EINVAL),
			      "a close option shorter than its fixed part: EINVAL");
		}
		len = sizeof(buf);
		CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TOKEN, buf, 16) == 0 &&
		      getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TOKEN, buf, &len) == 0 &&
		      len == 0 &&
		      FAILS_WITH(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_TOKEN, buf,
					    4096), EINVAL),
		      "TOKEN: a client sets one before connect(); none received yet");
		{
			static char big[4097];
			char t[64];

			memset(buf, 0x5a, 16);
			len = sizeof(t);
			CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_SESSION_TICKET,
					 buf, 16) == 0 &&
			      getsockopt(s, SOL_QUIC, QUIC_SOCKOPT_SESSION_TICKET,
					 t, &len) == 0 &&
			      len == 16 && !memcmp(t, buf, 16) &&
			      FAILS_WITH(setsockopt(s, SOL_QUIC,
						    QUIC_SOCKOPT_SESSION_TICKET,
						    big, sizeof(big)), EINVAL),
			      "SESSION_TICKET: session data set on a client reads back; oversized data is refused");
			CHECK(setsockopt(s, SOL_QUIC, QUIC_SOCKOPT_SESSION_TICKET,
					 NULL, 0) == 0 &&
			      FAILS_WITH(getsockopt(s, SOL_QUIC,
						    QUIC_SOCKOPT_SESSION_TICKET,
						    t, &len), ENOTCONN),
			      "SESSION_TICKET: an empty value clears it");
		}
	}
	CHECK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) == 0,
	      "SOL_SOCKET options work");
}

int main(void)
{
	unsigned int i, j;
	int s;

	printf("TAP version 13\n");
	test_socket();
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++)
			test_bind(&fams[i], types[j].type, types[j].name);
		test_bind_errors(&fams[i]);
	}
	for (i = 0; i < 2; i++) {
		s = socket(fams[i].family, SOCK_DGRAM, IPPROTO_QUIC);
		if (s < 0) {
			CHECK(0, "%s: socket", fams[i].name);
			continue;
		}
		printf("# options on an %s socket\n", fams[i].name);
		test_config(s);
		test_transport_param(s);
		test_other_options(s);
		close(s);
	}
	test_sysctl();
	return tap_done("socket_test");
}
