// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quic-perf: throughput of QUIC sockets, next to TCP and kTLS.
 *
 * Local mode (the default) runs a receiver thread and a sender in one
 * process over loopback and prints, for each write size, the MB/s of TCP,
 * kTLS (AES-128-GCM, static keys), QUIC, and QUIC with
 * disable_1rtt_encryption on both sides, and the ratios QUIC/kTLS and
 * unencrypted QUIC/TCP.  Server and client modes measure a QUIC transfer
 * between two hosts with X.509; the server reports the byte count and a
 * CRC-32 of the data back, so a transfer that went wrong fails.  See
 * quic-perf(1).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <netinet/quic.h>

#ifndef SOL_TLS
#define SOL_TLS		282
#endif
#ifndef TCP_ULP
#define TCP_ULP		31
#endif

#define PERF_ALPN	"perf"
#define MAX_STREAMS	4096	/* -s */

enum { M_TCP, M_KTLS, M_QUIC, M_QUIC_PLAIN, M_MAX };
static const char *const mode_name[M_MAX] = {
	"tcp", "ktls", "quic", "quic-plain",
};

static size_t total = 64 << 20;
static unsigned int count;	/* server: connections to serve, 0: all */
static unsigned int nstreams = 1;
static char psk_file[64];
static unsigned int pmtud = QUIC_MIN_PROBE_TIMEOUT;	/* -P, usec */
static int verbose;	/* -v: kernel CPU time per MB, the AEAD drivers */
static uint32_t version;	/* -V: the client's first version, or 0 */

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-l BYTES] [-w SIZE[,SIZE...]] [-s STREAMS] [-m MODES] [-P USEC] [-v]\n"
		"       %s -S [-c COUNT] [-s STREAMS] [-P USEC] [-V VERSION] ADDR PORT KEYFILE CERTFILE\n"
		"       %s -C [-l BYTES] [-w SIZE] [-s STREAMS] [-n NAME] [-u] [-M LOCALADDR] [-P USEC] [-V VERSION] ADDR PORT CAFILE\n"
		"       %s -I COUNT\n"
		"       %s -H COUNT KEYFILE CERTFILE CAFILE\n"
		"MODES: comma separated of tcp, ktls, quic, quic-plain (default all)\n",
		prog, prog, prog, prog, prog);
	exit(2);
}

static size_t parse_size(const char *s)
{
	char *end;
	size_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K':
		return v << 10;
	case 'm': case 'M':
		return v << 20;
	case 'g': case 'G':
		return v << 30;
	}
	return v;
}

/* CRC-32 as zlib computes it: the digest a server reports, which peers
 * in other languages can compute cheaply.
 */
static uint32_t crc_table[256];

static void crc32_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t len)
{
	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static double now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static int parse_addr(const char *host, const char *port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(atoi(port));
		*len = sizeof(*a6);
	} else if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(atoi(port));
		*len = sizeof(*a4);
	} else {
		return -1;
	}
	return 0;
}

/* -M: the client moves to this local address halfway (connection
 * migration); set once the call succeeded
 */
static const char *move_to;
static int moving;

static int quic_move(int sd)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (parse_addr(move_to, "0", &ss, &len))
		return -EINVAL;
	if (setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION, &ss,
		       len))
		return -errno;
	move_to = NULL;
	moving = 1;
	return 0;
}

/* Stream data through quic_sendmsg(): each write on the next stream of
 * @ids, FIN with each stream's last write.
 */
static int quic_send_all(int sd, size_t len, size_t wsize, uint32_t *digest,
			 int key_update)
{
	size_t sent = 0, chunk, per = (len + nstreams - 1) / nstreams;
	int64_t *ids = calloc(nstreams, sizeof(*ids));
	size_t *done = calloc(nstreams, sizeof(*done));
	uint8_t *buf = malloc(wsize);
	unsigned int i, k = 0;
	uint32_t flags;
	int ret = 0;
	ssize_t n;

	if (!buf || !ids || !done) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < wsize; i++)
		buf[i] = i * 7;
	for (i = 0; i < nstreams; i++) {
		struct quic_stream_info si = { .stream_id = -1 };
		socklen_t l = sizeof(si);

		if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_STREAM_OPEN, &si, &l)) {
			ret = -errno;
			goto out;
		}
		ids[i] = si.stream_id;
	}
	if (digest)
		*digest = 0;
	while (sent < len) {
		/* a key update halfway (retried until the handshake is
		 * confirmed)
		 */
		if (key_update && sent >= len / 2) {
			if (!setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_KEY_UPDATE,
					NULL, 0))
				key_update = 0;
			else if (errno != EAGAIN && errno != ENOTCONN) {
				ret = -errno;
				goto out;
			}
		}
		if (move_to && sent >= len / 2) {
			int err = quic_move(sd);

			if (err) {
				fprintf(stderr, "quic-perf: migration: %s\n",
					strerror(-err));
				ret = err;
				goto out;
			}
		}
		i = k++ % nstreams;
		if (done[i] >= per)
			continue;
		chunk = per - done[i] < wsize ? per - done[i] : wsize;
		if (chunk > len - sent)
			chunk = len - sent;
		flags = done[i] + chunk == per || sent + chunk == len ?
			MSG_QUIC_STREAM_FIN : 0;
		n = quic_sendmsg(sd, buf, chunk, ids[i], flags);
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (digest && nstreams == 1)
			*digest = crc32_update(*digest, buf, n);
		done[i] += n;
		sent += n;
		if ((size_t)n < chunk)	/* the rest of it next time */
			memmove(buf, buf + n, wsize - n);
	}
out:
	free(buf);
	free(ids);
	free(done);
	return ret;
}

/* Read until every stream ended; the digest covers a single stream. */
static int quic_recv_all(int sd, size_t *got, uint32_t *digest)
{
	static __thread uint8_t buf[1 << 16];
	unsigned int fins = 0;
	uint32_t flags;
	int64_t sid;
	ssize_t n;

	*got = 0;
	if (digest)
		*digest = 0;
	while (fins < nstreams) {
		flags = 0;
		n = quic_recvmsg(sd, buf, sizeof(buf), &sid, &flags);
		if (n < 0)
			return -errno;
		if (flags & MSG_QUIC_DATAGRAM) {
			/* echoed, for peers that test datagrams */
			quic_sendmsg(sd, buf, n, 0, MSG_QUIC_DATAGRAM);
			continue;
		}
		if (flags & MSG_QUIC_NOTIFICATION)
			continue;
		if (digest && nstreams == 1)
			*digest = crc32_update(*digest, buf, n);
		*got += n;
		if (flags & MSG_QUIC_STREAM_FIN)
			fins++;
	}
	return 0;
}

static int set_plain(int sd)
{
	struct quic_transport_param p = { 0 };
	socklen_t len = sizeof(p);

	if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, &len))
		return -1;
	p.disable_1rtt_encryption = 1;
	return setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, len);
}

/* Path MTU discovery on this socket, every @pmtud microseconds (0: off,
 * the socket's default).  On by default here: loopback and LAN paths
 * carry datagrams far larger than the 1200 bytes QUIC starts with.
 */
/* -s beyond the default limit of concurrent streams: the receiver
 * lets the sender open them all at once
 */
static int set_streams(int sd)
{
	struct quic_transport_param p = { 0 };
	socklen_t len = sizeof(p);

	if (nstreams <= 100)
		return 0;
	if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, &len))
		return -1;
	p.max_streams_bidi = nstreams;
	return setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, len);
}

static int set_pmtud(int sd)
{
	struct quic_config cfg;
	socklen_t len = sizeof(cfg);

	if (sd < 0 || getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &len))
		return -1;
	cfg.plpmtud_probe_interval = pmtud;
	if (version)
		cfg.version = version;
	return setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, len);
}

/* Local mode */

struct local {
	int mode;
	int listener;
	size_t wsize;
	size_t got;
	int ret;
};

static const uint8_t ktls_key[16] = "quic-perf-key-01";
static const uint8_t ktls_iv[8] = "ivivivi";
static const uint8_t ktls_salt[4] = "salt";

static int ktls_setup(int fd, int dir)
{
	struct tls12_crypto_info_aes_gcm_128 ci = { 0 };

	ci.info.version = TLS_1_3_VERSION;
	ci.info.cipher_type = TLS_CIPHER_AES_GCM_128;
	memcpy(ci.key, ktls_key, sizeof(ci.key));
	memcpy(ci.iv, ktls_iv, sizeof(ci.iv));
	memcpy(ci.salt, ktls_salt, sizeof(ci.salt));
	if (setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")))
		return -errno;
	if (setsockopt(fd, SOL_TLS, dir, &ci, sizeof(ci)))
		return -errno;
	return 0;
}

static void *local_receiver(void *arg)
{
	static __thread uint8_t buf[1 << 16];
	struct local *l = arg;
	int sd = accept(l->listener, NULL, NULL);
	ssize_t n;

	l->got = 0;
	if (sd < 0) {
		l->ret = -errno;
		return NULL;
	}
	if (l->mode == M_QUIC || l->mode == M_QUIC_PLAIN) {
		l->ret = quic_server_handshake(sd, psk_file, NULL, PERF_ALPN);
		if (!l->ret)
			l->ret = quic_recv_all(sd, &l->got, NULL);
	} else {
		l->ret = l->mode == M_KTLS ? ktls_setup(sd, TLS_RX) : 0;
		while (!l->ret && (n = recv(sd, buf, sizeof(buf), 0)) > 0)
			l->got += n;
	}
	close(sd);
	return NULL;
}

/* Kernel CPU time so far, all CPUs (system, irq and softirq), in s. */
static double kernel_cpu(void)
{
	unsigned long long v[7] = {};
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6]);
	fclose(f);
	if (n != 7)
		return 0;
	return (double)(v[2] + v[5] + v[6]) / sysconf(_SC_CLK_TCK);
}

static double cpu_ms_per_mb[M_MAX];	/* of the last local_run() */

/* One measurement: MB/s, or a negative errno. */
static double local_run(int mode, size_t wsize)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int quic = mode == M_QUIC || mode == M_QUIC_PLAIN;
	int type = quic ? SOCK_DGRAM : SOCK_STREAM;
	int proto = quic ? IPPROTO_QUIC : IPPROTO_TCP;
	struct local l = { .mode = mode, .wsize = wsize };
	socklen_t alen = sizeof(a);
	uint8_t *buf = NULL;
	double t0, t1, cpu;
	pthread_t t;
	int sd, ret;
	size_t sent = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l.listener = socket(AF_INET, type, proto);
	sd = socket(AF_INET, type, proto);
	if (l.listener < 0 || sd < 0)
		return -errno;
	if (mode == M_QUIC_PLAIN && (set_plain(l.listener) || set_plain(sd)))
		return -errno;
	if (quic && (set_pmtud(l.listener) || set_pmtud(sd) ||
		     set_streams(l.listener)))
		return -errno;
	if (bind(l.listener, (struct sockaddr *)&a, alen) ||
	    getsockname(l.listener, (struct sockaddr *)&a, &alen) ||
	    listen(l.listener, 1))
		return -errno;
	pthread_create(&t, NULL, local_receiver, &l);
	cpu = kernel_cpu();
	ret = connect(sd, (struct sockaddr *)&a, alen) ? -errno : 0;
	if (!ret && quic)
		ret = quic_client_handshake(sd, psk_file, NULL, PERF_ALPN);
	if (!ret && mode == M_KTLS)
		ret = ktls_setup(sd, TLS_TX);
	t0 = now();
	if (!ret && quic) {
		ret = quic_send_all(sd, total, wsize, NULL, 0);
	} else if (!ret) {
		buf = malloc(wsize);
		memset(buf, 0x5a, wsize);
		while (sent < total) {
			ssize_t n = send(sd, buf, total - sent < wsize ?
					 total - sent : wsize, 0);

			if (n < 0) {
				ret = -errno;
				break;
			}
			sent += n;
		}
		shutdown(sd, SHUT_WR);
	}
	if (ret)
		shutdown(l.listener, SHUT_RDWR);
	pthread_join(t, NULL);
	t1 = now();
	cpu_ms_per_mb[mode] = (kernel_cpu() - cpu) * 1e3 / (total / 1e6);
	close(sd);
	close(l.listener);
	free(buf);
	if (ret)
		return ret;
	if (l.ret)
		return l.ret;
	if (l.got != total)
		return -EIO;
	return total / (t1 - t0) / 1e6;
}

static int make_psk_file(void)
{
	int fd;

	snprintf(psk_file, sizeof(psk_file), "/tmp/quic-perf-psk.XXXXXX");
	fd = mkstemp(psk_file);
	if (fd < 0 || dprintf(fd, "perf:%s\n",
			      "000102030405060708090a0b0c0d0e0f"
			      "101112131415161718191a1b1c1d1e1f") < 0) {
		perror("quic-perf: PSK file");
		return -1;
	}
	close(fd);
	return 0;
}

/* Idle mode: what established, idle connections cost the kernel. */

/* A /proc/meminfo field in KiB, or -1. */
static long meminfo(const char *field)
{
	char line[128];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = atol(line + n + 1);
			break;
		}
	fclose(f);
	return v;
}

/* Memory in use by the kernel and this process's anonymous memory, KiB. */
static void mem_sample(long *kernel, long *slab)
{
	long anon = 0;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "RssAnon:", 8))
			anon = atol(line + 8);
	if (f)
		fclose(f);
	*kernel = meminfo("MemTotal") - meminfo("MemFree") -
		  meminfo("Buffers") - meminfo("Cached") - anon;
	*slab = meminfo("Slab");
}

struct idle {
	int listener;
	unsigned int n;
	int *fds;
	int ret;
};

static void *idle_server(void *arg)
{
	struct idle *d = arg;
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		d->fds[i] = accept(d->listener, NULL, NULL);
		if (d->fds[i] < 0) {
			d->ret = -errno;
			return NULL;
		}
		d->ret = quic_server_handshake(d->fds[i], psk_file, NULL,
					       PERF_ALPN);
		if (d->ret)
			return NULL;
	}
	return NULL;
}

static int idle_mode(unsigned int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	long k0, k1, s0, s1;
	struct idle d = { .n = n };
	socklen_t alen = sizeof(a);
	struct rlimit rl;
	unsigned int i;
	pthread_t t;
	int *fds, ret = 0;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 2 * n + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < 2 * n + 64) {
			fprintf(stderr, "quic-perf: %u connections need %u descriptors\n",
				n, 2 * n + 64);
			return 1;
		}
	}
	fds = calloc(n, sizeof(*fds));
	d.fds = calloc(n, sizeof(*d.fds));
	if (!fds || !d.fds || make_psk_file())
		return 1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d.listener = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	if (d.listener < 0 ||
	    bind(d.listener, (struct sockaddr *)&a, alen) ||
	    getsockname(d.listener, (struct sockaddr *)&a, &alen) ||
	    listen(d.listener, 64)) {
		perror("quic-perf: listener");
		return 1;
	}
	sleep(1);
	mem_sample(&k0, &s0);
	pthread_create(&t, NULL, idle_server, &d);
	for (i = 0; i < n && !ret; i++) {
		fds[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
		ret = fds[i] < 0 ||
		      connect(fds[i], (struct sockaddr *)&a, alen) ? -errno :
		      quic_client_handshake(fds[i], psk_file, NULL, PERF_ALPN);
	}
	if (ret)
		shutdown(d.listener, SHUT_RDWR);
	pthread_join(t, NULL);
	unlink(psk_file);
	if (ret || d.ret) {
		fprintf(stderr, "quic-perf: connection %u: %s\n", i,
			strerror(-(ret ?: d.ret)));
		return 1;
	}
	sleep(2);	/* acknowledgments, tickets, timers settle */
	mem_sample(&k1, &s1);
	printf("# quic-perf: %u idle connections over loopback (%u sockets)\n",
	       n, 2 * n);
	printf("kernel memory: +%ld KiB (slab +%ld KiB): %ld bytes per socket (slab %ld)\n",
	       k1 - k0, s1 - s0, (k1 - k0) * 1024 / (2 * (long)n),
	       (s1 - s0) * 1024 / (2 * (long)n));
	for (i = 0; i < n; i++) {
		close(fds[i]);
		close(d.fds[i]);
	}
	close(d.listener);
	free(fds);
	free(d.fds);
	return 0;
}

/* -H: handshakes per second over loopback, one connection at a time:
 * QUIC against TCP with TLS 1.3, both with GnuTLS, the same priorities,
 * X.509 certificate and verification of it; credentials are loaded once
 * for both, so that what differs is the transport.  Each connection ends
 * with one byte from the server, read by the client before it closes,
 * so that both ends completed their handshake (a client that closes at
 * once may end the server's before it read the client's Finished).
 */
struct hs {
	int quic;
	int listener;
	unsigned int n;
	gnutls_certificate_credentials_t cred;
	int ret;
};

static int hs_session(gnutls_session_t *s, unsigned int flags, int quic,
		      gnutls_certificate_credentials_t cred, int fd)
{
	if (gnutls_init(s, flags | GNUTLS_NO_AUTO_SEND_TICKET)) {
		*s = NULL;
		return -ENOMEM;
	}
	if (gnutls_priority_set_direct(*s, QUIC_PRIORITY, NULL) ||
	    gnutls_credentials_set(*s, GNUTLS_CRD_CERTIFICATE, cred) ||
	    (quic && quic_session_set_alpn(*s, PERF_ALPN, strlen(PERF_ALPN))))
		return -EINVAL;
	if (flags & GNUTLS_CLIENT) {
		if (gnutls_server_name_set(*s, GNUTLS_NAME_DNS, "localhost",
					   strlen("localhost")))
			return -EINVAL;
		gnutls_session_set_verify_cert(*s, "localhost", 0);
	}
	gnutls_transport_set_int(*s, fd);
	return 0;
}

/* A handshake that cannot complete fails rather than hangs the run. */
static void hs_timeout(int fd)
{
	struct timeval tv = { 10, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int hs_handshake(gnutls_session_t s, int quic)
{
	int ret;

	if (quic)
		return quic_handshake(s);
	do {
		ret = gnutls_handshake(s);
	} while (ret < 0 && !gnutls_error_is_fatal(ret));
	return ret ? -EPROTO : 0;
}

/* One byte from the server to the client; the server then waits for
 * the client to close.
 */
static int hs_byte(gnutls_session_t s, int quic, int fd, int server)
{
	uint32_t flags = 0;
	int64_t sid = -1;
	char b = 'k';

	if (quic && server) {
		if (quic_sendmsg(fd, &b, 1, -1, MSG_QUIC_STREAM_NEW |
				 MSG_QUIC_STREAM_FIN) != 1)
			return -errno;
		quic_recvmsg(fd, &b, 1, &sid, &flags);
		return 0;
	}
	if (quic)
		return quic_recvmsg(fd, &b, 1, &sid, &flags) == 1 ? 0 : -EIO;
	if (server) {
		if (gnutls_record_send(s, &b, 1) != 1)
			return -EIO;
		gnutls_record_recv(s, &b, 1);
		return 0;
	}
	return gnutls_record_recv(s, &b, 1) == 1 ? 0 : -EIO;
}

static void *hs_server(void *arg)
{
	struct hs *h = arg;
	gnutls_session_t s = NULL;
	unsigned int i;
	int sd;

	for (i = 0; i < h->n && !h->ret; i++) {
		sd = accept(h->listener, NULL, NULL);
		if (sd < 0) {
			h->ret = -errno;
			break;
		}
		hs_timeout(sd);
		h->ret = hs_session(&s, GNUTLS_SERVER, h->quic, h->cred, sd);
		if (!h->ret)
			h->ret = hs_handshake(s, h->quic);
		if (!h->ret)
			h->ret = hs_byte(s, h->quic, sd, 1);
		if (s)
			gnutls_deinit(s);
		s = NULL;
		close(sd);
	}
	return NULL;
}

/* Handshakes per second, or a negative errno. */
static double hs_run(int quic, unsigned int n,
		     gnutls_certificate_credentials_t server,
		     gnutls_certificate_credentials_t client)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct hs h = { .quic = quic, .n = n, .cred = server };
	int type = quic ? SOCK_DGRAM : SOCK_STREAM;
	int proto = quic ? IPPROTO_QUIC : IPPROTO_TCP;
	socklen_t alen = sizeof(a);
	gnutls_session_t s = NULL;
	unsigned int i;
	double t0, t1;
	pthread_t t;
	int sd, ret = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h.listener = socket(AF_INET, type, proto);
	if (h.listener < 0 ||
	    (quic && setsockopt(h.listener, SOL_QUIC, QUIC_SOCKOPT_ALPN,
				PERF_ALPN, strlen(PERF_ALPN))) ||
	    bind(h.listener, (struct sockaddr *)&a, alen) ||
	    getsockname(h.listener, (struct sockaddr *)&a, &alen) ||
	    listen(h.listener, 64))
		return -errno;
	pthread_create(&t, NULL, hs_server, &h);
	t0 = now();
	for (i = 0; i < n && !ret; i++) {
		sd = socket(AF_INET, type, proto);
		if (sd < 0 || connect(sd, (struct sockaddr *)&a, alen)) {
			ret = -errno;
			break;
		}
		hs_timeout(sd);
		ret = hs_session(&s, GNUTLS_CLIENT, quic, client, sd);
		if (!ret)
			ret = hs_handshake(s, quic);
		if (!ret)
			ret = hs_byte(s, quic, sd, 0);
		if (s)
			gnutls_deinit(s);
		s = NULL;
		close(sd);
	}
	if (ret)
		shutdown(h.listener, SHUT_RDWR);
	pthread_join(t, NULL);
	t1 = now();
	close(h.listener);
	if (ret || h.ret) {
		fprintf(stderr, "quic-perf: %s, connection %u: client %s, server %s\n",
			quic ? "quic" : "tcp+tls", i, strerror(-ret),
			strerror(-h.ret));
		return ret ?: h.ret;
	}
	return n / (t1 - t0);
}

static int handshake_mode(unsigned int n, char **argv)
{
	gnutls_certificate_credentials_t server, client;
	double q, t;

	if (gnutls_certificate_allocate_credentials(&server) ||
	    gnutls_certificate_allocate_credentials(&client) ||
	    gnutls_certificate_set_x509_key_file(server, argv[1], argv[0],
						 GNUTLS_X509_FMT_PEM) ||
	    gnutls_certificate_set_x509_trust_file(client, argv[2],
						   GNUTLS_X509_FMT_PEM) <= 0) {
		fprintf(stderr, "quic-perf: cannot load the certificates\n");
		return 1;
	}
	hs_run(1, 5, server, client);	/* warm-up, unmeasured */
	t = hs_run(0, n, server, client);
	q = hs_run(1, n, server, client);
	gnutls_certificate_free_credentials(server);
	gnutls_certificate_free_credentials(client);
	if (q < 0 || t < 0) {
		fprintf(stderr, "quic-perf: handshakes: %s\n",
			strerror((int)-(q < 0 ? q : t)));
		return 1;
	}
	printf("# quic-perf: %u handshakes over loopback, X.509, TLS 1.3, one at a time, each with a byte from the server\n",
	       n);
	printf("handshakes/s: tcp+tls %.1f quic %.1f quic/tcp+tls %.2f\n", t, q,
	       t > 0 ? q / t : 0);
	return 0;
}

/* -v: the AEAD implementations the module uses (/proc/net/quic/crypto) */
static void print_drivers(void)
{
	char line[256];
	FILE *f = fopen("/proc/net/quic/crypto", "r");

	while (f && fgets(line, sizeof(line), f))
		printf("# crypto: %s", line);
	if (f)
		fclose(f);
}

static int local_mode(const char *sizes, unsigned int modes)
{
	double r[M_MAX];
	char list[256], *tok, *save = NULL;
	int m, failed = 0;

	if (make_psk_file())
		return 1;
	printf("# quic-perf: %zu bytes per run over loopback, %u stream(s)\n",
	       total, nstreams);
	if (verbose)
		print_drivers();
	printf("%-10s %12s %12s %12s %12s %12s %16s\n", "write", "tcp MB/s",
	       "ktls MB/s", "quic MB/s", "plain MB/s", "quic/ktls",
	       "quic-plain/tcp");
	snprintf(list, sizeof(list), "%s", sizes);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t w = parse_size(tok);

		for (m = 0; m < M_MAX; m++) {
			r[m] = (modes & (1u << m)) ? local_run(m, w) : 0;
			if (r[m] < 0) {
				fprintf(stderr, "quic-perf: %s, %zu-byte writes: %s\n",
					mode_name[m], w, strerror((int)-r[m]));
				failed = 1;
			}
		}
		printf("%-10zu %12.1f %12.1f %12.1f %12.1f %12.2f %16.2f\n", w,
		       r[M_TCP], r[M_KTLS], r[M_QUIC], r[M_QUIC_PLAIN],
		       r[M_KTLS] > 0 ? r[M_QUIC] / r[M_KTLS] : 0,
		       r[M_TCP] > 0 ? r[M_QUIC_PLAIN] / r[M_TCP] : 0);
		if (verbose)
			printf("# cpu %zu: kernel ms/MB tcp %.2f ktls %.2f quic %.2f plain %.2f\n",
			       w, cpu_ms_per_mb[M_TCP], cpu_ms_per_mb[M_KTLS],
			       cpu_ms_per_mb[M_QUIC],
			       cpu_ms_per_mb[M_QUIC_PLAIN]);
		fflush(stdout);
	}
	unlink(psk_file);
	return failed;
}

/* Server and client modes: a transfer between two hosts */

static int server_mode(char **argv)
{
	struct sockaddr_storage ss;
	struct quic_transport_param p = { 0 };
	socklen_t plen = sizeof(p);
	char reply[128];
	uint32_t digest;
	socklen_t len;
	size_t got;
	int l, sd, ret;

	if (parse_addr(argv[0], argv[1], &ss, &len))
		usage("quic-perf");
	l = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_QUIC);
	/* datagrams are echoed: say we take them */
	if (l >= 0 &&
	    !getsockopt(l, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, &plen)) {
		p.max_datagram_frame_size = 1200;
		setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &p, plen);
	}
	if (l < 0 || set_pmtud(l) || set_streams(l) ||
	    bind(l, (struct sockaddr *)&ss, len) ||
	    setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_ALPN, PERF_ALPN,
		       strlen(PERF_ALPN)) || listen(l, 16)) {
		perror("quic-perf: listen");
		return 1;
	}
	printf("quic-perf: listening on %s port %s\n", argv[0], argv[1]);
	fflush(stdout);
	for (;;) {
		sd = accept(l, NULL, NULL);
		if (sd < 0) {
			perror("quic-perf: accept");
			return 1;
		}
		ret = quic_server_handshake(sd, argv[2], argv[3], NULL);
		if (!ret)
			ret = quic_recv_all(sd, &got, &digest);
		if (!ret) {
			snprintf(reply, sizeof(reply), "OK %zu %08x", got,
				 digest);
			ret = quic_sendmsg(sd, reply, strlen(reply), -1,
					   MSG_QUIC_STREAM_NEW |
					   MSG_QUIC_STREAM_FIN) < 0 ? -errno : 0;
		}
		printf("quic-perf: connection: %s\n",
		       ret ? strerror(-ret) : reply);
		fflush(stdout);
		if (!ret) {	/* the client closes once it has the reply */
			char b[8];
			int64_t sid;
			uint32_t flags = 0;

			quic_recvmsg(sd, b, sizeof(b), &sid, &flags);
		}
		close(sd);
		if (count && !--count)
			break;
	}
	close(l);
	return 0;
}

static int client_mode(char **argv, const char *name, size_t wsize,
		       int key_update)
{
	gnutls_certificate_credentials_t cred;
	struct sockaddr_storage ss;
	gnutls_session_t session;
	char reply[128], want[128];
	struct timeval tv = { 60, 0 };
	uint32_t digest;
	uint32_t flags = 0;
	int migrated = 0;
	int64_t sid;
	socklen_t len;
	double t0, t1;
	ssize_t n;
	int sd, ret;

	if (parse_addr(argv[0], argv[1], &ss, &len))
		usage("quic-perf");
	sd = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_QUIC);
	if (sd < 0 || set_pmtud(sd) ||
	    connect(sd, (struct sockaddr *)&ss, len)) {
		perror("quic-perf: connect");
		return 1;
	}
	setsockopt(sd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (gnutls_certificate_allocate_credentials(&cred) ||
	    gnutls_init(&session, GNUTLS_CLIENT))
		return 1;
	ret = gnutls_certificate_set_x509_trust_file(cred, argv[2],
						     GNUTLS_X509_FMT_PEM) > 0 &&
	      !gnutls_priority_set_direct(session, QUIC_PRIORITY, NULL) &&
	      !gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, cred) &&
	      !gnutls_server_name_set(session, GNUTLS_NAME_DNS, name,
				      strlen(name)) &&
	      !quic_session_set_alpn(session, PERF_ALPN, strlen(PERF_ALPN)) ?
	      0 : -EINVAL;
	if (!ret) {
		gnutls_session_set_verify_cert(session, name, 0);
		gnutls_transport_set_int(session, sd);
		ret = quic_handshake(session);
	}
	gnutls_deinit(session);
	gnutls_certificate_free_credentials(cred);
	if (ret) {
		fprintf(stderr, "quic-perf: handshake: %s\n", strerror(-ret));
		return 1;
	}
	{
		struct quic_config cfg;
		socklen_t clen = sizeof(cfg);

		if (!getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen))
			printf("quic-perf: QUIC version 0x%08x\n", cfg.version);
	}
	if (move_to) {
		struct quic_event_option ev = {
			.type = QUIC_EVENT_CONNECTION_MIGRATION, .on = 1,
		};

		setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_EVENT, &ev, sizeof(ev));
	}
	t0 = now();
	ret = quic_send_all(sd, total, wsize, &digest, key_update);
	if (ret) {
		fprintf(stderr, "quic-perf: send: %s\n", strerror(-ret));
		return 1;
	}
	do {
		flags = 0;
		n = quic_recvmsg(sd, reply, sizeof(reply) - 1, &sid, &flags);
		if (n > 0 && (flags & MSG_QUIC_NOTIFICATION) &&
		    (uint8_t)reply[0] == QUIC_EVENT_CONNECTION_MIGRATION)
			migrated = 1;
	} while (n >= 0 && (flags & MSG_QUIC_NOTIFICATION));
	t1 = now();
	if (n < 0) {
		perror("quic-perf: reply");
		return 1;
	}
	reply[n] = 0;
	/* the move's event, if it did not come before the reply */
	tv.tv_sec = 5;
	setsockopt(sd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (moving && !migrated) {
		char ev[64];

		flags = 0;
		if (quic_recvmsg(sd, ev, sizeof(ev), &sid, &flags) <= 0)
			break;
		if ((flags & MSG_QUIC_NOTIFICATION) &&
		    (uint8_t)ev[0] == QUIC_EVENT_CONNECTION_MIGRATION)
			migrated = 1;
	}
	if (moving)
		printf("quic-perf: connection migration: %s\n",
		       migrated ? "done (CONNECTION_MIGRATION event)" :
		       "no CONNECTION_MIGRATION event");
	close(sd);
	if (nstreams == 1)
		snprintf(want, sizeof(want), "OK %zu %08x", total, digest);
	else
		snprintf(want, sizeof(want), "OK %zu ", total);
	printf("quic-perf: %zu bytes in %.3f s: %.1f MB/s, server: %s\n",
	       total, t1 - t0, total / (t1 - t0) / 1e6, reply);
	if (strncmp(reply, want, strlen(want))) {
		fprintf(stderr, "quic-perf: the server got other data\n");
		return 1;
	}
	if (moving && !migrated)
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *sizes = "16384,65536", *name = "localhost";
	unsigned int modes = (1u << M_MAX) - 1;
	int opt, server = 0, client = 0, key_update = 0, m, idle = 0, hs = 0;
	char list[128], *tok, *save = NULL;

	while ((opt = getopt(argc, argv, "c:l:w:s:m:n:I:H:P:SCudM:vV:")) != -1) {
		switch (opt) {
		case 'c':
			count = atoi(optarg);
			break;
		case 'l':
			total = parse_size(optarg);
			break;
		case 'w':
			sizes = optarg;
			break;
		case 's':
			nstreams = atoi(optarg);
			if (nstreams < 1 || nstreams > MAX_STREAMS)
				usage(argv[0]);
			break;
		case 'm':
			modes = 0;
			snprintf(list, sizeof(list), "%s", optarg);
			for (tok = strtok_r(list, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				for (m = 0; m < M_MAX; m++)
					if (!strcmp(tok, mode_name[m]))
						modes |= 1u << m;
			}
			if (!modes)
				usage(argv[0]);
			break;
		case 'n':
			name = optarg;
			break;
		case 'P':
			pmtud = strtoul(optarg, NULL, 0);
			if (pmtud && pmtud < QUIC_MIN_PROBE_TIMEOUT)
				usage(argv[0]);
			break;
		case 'S':
			server = 1;
			break;
		case 'V':
			/* 1, 2, or another to provoke Version Negotiation */
			version = strtoul(optarg, NULL, 0);
			if (version == 1)
				version = QUIC_VERSION_V1;
			else if (version == 2)
				version = QUIC_VERSION_V2;
			else if (!version)
				usage(argv[0]);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'I':
			idle = atoi(optarg);
			if (idle < 1 || idle > 100000)
				usage(argv[0]);
			break;
		case 'H':
			hs = atoi(optarg);
			if (hs < 1)
				usage(argv[0]);
			break;
		case 'u':
			key_update = 1;
			break;
		case 'M':
			move_to = optarg;
			break;
		case 'C':
			client = 1;
			break;
		case 'd':
			quic_set_log_level(7);
			break;
		default:
			usage(argv[0]);
		}
	}
	argv += optind;
	argc -= optind;
	crc32_init();
	if (server)
		return argc == 4 ? server_mode(argv) : (usage("quic-perf"), 2);
	if (client)
		return argc == 3 ?
		       client_mode(argv, name, parse_size(sizes), key_update) :
		       (usage("quic-perf"), 2);
	if (hs)
		return argc == 3 ? handshake_mode(hs, argv) :
		       (usage("quic-perf"), 2);
	if (argc)
		usage("quic-perf");
	if (idle)
		return idle_mode(idle);
	return local_mode(sizes, modes);
}
