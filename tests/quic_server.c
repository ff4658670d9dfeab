// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A QUIC server for interoperability tests: accepts COUNT connections on
 * ADDR:PORT, runs the TLS handshake on each with quic_server_handshake()
 * and reports the result, then keeps the connection open for LINGER
 * milliseconds so that the peer sees a working connection.
 *
 * usage: quic_server ADDR PORT KEYFILE CERTFILE ALPNS COUNT LINGER_MS [VERSION]
 * VERSION 2 makes the listener prefer QUIC v2 (compatible version
 * negotiation).  Exit status 0 when every handshake completed.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <netinet/quic.h>

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct timeval tv = { 30, 0 };
	int l, sd, i, count, linger, ret, failed = 0;
	socklen_t len;

	if (argc != 8 && argc != 9) {
		fprintf(stderr, "usage: %s ADDR PORT KEYFILE CERTFILE ALPNS COUNT LINGER_MS [VERSION]\n",
			argv[0]);
		return 2;
	}
	if (inet_pton(AF_INET6, argv[1], &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(atoi(argv[2]));
		len = sizeof(*a6);
	} else if (inet_pton(AF_INET, argv[1], &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(atoi(argv[2]));
		len = sizeof(*a4);
	} else {
		fprintf(stderr, "bad address %s\n", argv[1]);
		return 2;
	}
	count = atoi(argv[6]);
	linger = atoi(argv[7]);

	l = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_QUIC);
	if (l >= 0 && argc == 9) {
		struct quic_config cfg = { 0 };
		socklen_t clen = sizeof(cfg);

		if (getsockopt(l, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen))
			return 1;
		cfg.version = atoi(argv[8]) == 2 ? QUIC_VERSION_V2 :
						   QUIC_VERSION_V1;
		if (setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, clen))
			return 1;
	}
	if (l < 0 || bind(l, (struct sockaddr *)&ss, len) ||
	    setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_ALPN, argv[5],
		       strlen(argv[5])) ||
	    listen(l, 16)) {
		perror("quic_server: listen");
		return 1;
	}
	setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (getenv("QUIC_DEBUG"))
		quic_set_log_level(7);
	printf("quic_server: listening on %s port %s\n", argv[1], argv[2]);
	fflush(stdout);
	for (i = 0; i < count; i++) {
		sd = accept(l, NULL, NULL);
		if (sd < 0) {
			perror("quic_server: accept");
			return 1;
		}
		ret = quic_server_handshake(sd, argv[3], argv[4], NULL);
		{
			struct quic_config cfg = { 0 };
			socklen_t clen = sizeof(cfg);

			getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg,
				   &clen);
			printf("quic_server: connection %d: handshake %s (%d), QUIC version 0x%08x\n",
			       i + 1, ret ? "failed" : "completed", ret,
			       cfg.version);
		}
		fflush(stdout);
		failed |= !!ret;
		if (!ret)
			usleep(linger * 1000);
		close(sd);
	}
	close(l);
	return failed;
}
