// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quic-server: an example QUIC server built on libquic.
 *
 * Listens on ADDR PORT, runs the TLS handshake of each connection with
 * quic_server_handshake() (X.509 certificate and key), reports the
 * result and the QUIC version, keeps the connection open for a while so
 * that the peer sees it working, and closes it.  See quic-server(1).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <netinet/quic.h>

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-c COUNT] [-l LINGER_MS] [-t SECONDS] [-v 1|2] [-e] [-d] ADDR PORT KEYFILE CERTFILE ALPNS\n",
		prog);
	exit(2);
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

static unsigned int conn_version(int sd)
{
	struct quic_config cfg = { 0 };
	socklen_t len = sizeof(cfg);

	return getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &len) ?
	       0 : cfg.version;
}

/* -e: read one message (stream data up to its FIN), send it back on the
 * same stream, and wait for the client to close.
 */
static int echo_one(int sd)
{
	char buf[4096];
	uint32_t flags = 0;
	int64_t sid = -1;
	size_t got = 0;
	ssize_t n;

	while (!(flags & MSG_QUIC_STREAM_FIN) && got < sizeof(buf)) {
		flags = 0;
		n = quic_recvmsg(sd, buf + got, sizeof(buf) - got, &sid, &flags);
		if (n < 0)
			return -errno;
		if (flags & MSG_QUIC_NOTIFICATION)
			flags = 0;	/* an event, not data */
		else
			got += (size_t)n;
		if (!n && !(flags & MSG_QUIC_STREAM_FIN))
			return -EPIPE;
	}
	if (quic_sendmsg(sd, buf, got, sid, MSG_QUIC_STREAM_FIN) < 0)
		return -errno;
	printf("quic-server: echoed %zu bytes on stream %lld\n", got,
	       (long long)sid);
	fflush(stdout);
	while (quic_recvmsg(sd, buf, sizeof(buf), &sid, &flags) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	int l, sd, opt, i, count = 1, linger = 1000, version = 0, ret, echo = 0;
	struct timeval tv = { 60, 0 };
	struct sockaddr_storage ss;
	int failed = 0;
	socklen_t len;

	while ((opt = getopt(argc, argv, "c:l:t:v:edh")) != -1) {
		switch (opt) {
		case 't':
			tv.tv_sec = atoi(optarg);
			break;
		case 'c':
			count = atoi(optarg);
			break;
		case 'l':
			linger = atoi(optarg);
			break;
		case 'v':
			version = atoi(optarg);
			if (version != 1 && version != 2)
				usage(argv[0]);
			break;
		case 'e':
			echo = 1;
			break;
		case 'd':
			quic_set_log_level(7);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc - optind != 5)
		usage(argv[0]);
	argv += optind;
	if (parse_addr(argv[0], argv[1], &ss, &len)) {
		fprintf(stderr, "quic-server: bad address %s\n", argv[0]);
		return 2;
	}

	l = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_QUIC);
	if (l < 0) {
		perror("quic-server: socket");
		return 1;
	}
	if (version) {
		struct quic_config cfg = { 0 };
		socklen_t clen = sizeof(cfg);

		/* v2 preferred: v1 clients that offer v2 move to it */
		if (getsockopt(l, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen))
			return 1;
		cfg.version = version == 2 ? QUIC_VERSION_V2 : QUIC_VERSION_V1;
		if (setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, clen)) {
			perror("quic-server: QUIC_SOCKOPT_CONFIG");
			return 1;
		}
	}
	if (bind(l, (struct sockaddr *)&ss, len) ||
	    setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_ALPN, argv[4],
		       strlen(argv[4])) ||
	    listen(l, 16)) {
		perror("quic-server: listen");
		return 1;
	}
	setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	printf("quic-server: listening on %s port %s\n", argv[0], argv[1]);
	fflush(stdout);
	for (i = 0; !count || i < count; i++) {
		sd = accept(l, NULL, NULL);
		if (sd < 0) {
			perror("quic-server: accept");
			return 1;
		}
		ret = quic_server_handshake(sd, argv[2], argv[3], NULL);
		printf("quic-server: connection %d: handshake %s (%d), QUIC version 0x%08x\n",
		       i + 1, ret ? "failed" : "completed", ret,
		       conn_version(sd));
		fflush(stdout);
		failed |= !!ret;
		if (!ret && echo) {
			setsockopt(sd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			ret = echo_one(sd);
			if (ret)
				fprintf(stderr, "quic-server: echo: %s\n",
					strerror(-ret));
			failed |= !!ret;
		} else if (!ret && linger > 0)
			usleep(linger * 1000);
		close(sd);
	}
	close(l);
	return failed;
}
