// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A QUIC client for interoperability tests: connects to ADDR:PORT, runs
 * the TLS handshake with quic_handshake() on a GnuTLS session that trusts
 * CAFILE (server name "localhost") and offers ALPNS, reports the ALPN,
 * QUIC version and cipher, keeps the connection for LINGER milliseconds
 * and closes it.
 *
 * usage: quic_client ADDR PORT CAFILE ALPNS [VERSION [LINGER_MS]]
 * VERSION is 1 or 2 (the version of the first Initial).  Exit status 0
 * when the handshake completed.
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

static int client_session(int sd, const char *cafile, const char *alpns)
{
	gnutls_certificate_credentials_t cred;
	gnutls_session_t session;
	char alpn[256];
	size_t len;
	int ret;

	if (gnutls_certificate_allocate_credentials(&cred))
		return -ENOMEM;
	if (gnutls_init(&session, GNUTLS_CLIENT)) {
		gnutls_certificate_free_credentials(cred);
		return -ENOMEM;
	}
	ret = gnutls_certificate_set_x509_trust_file(cred, cafile,
						     GNUTLS_X509_FMT_PEM) > 0 ?
	      0 : -EINVAL;
	if (!ret)
		ret = gnutls_priority_set_direct(session, QUIC_PRIORITY, NULL) ?
		      -EINVAL : 0;
	if (!ret)
		ret = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE,
					     cred) ? -EINVAL : 0;
	if (!ret)
		ret = gnutls_server_name_set(session, GNUTLS_NAME_DNS,
					     "localhost", 9) ? -EINVAL : 0;
	if (!ret) {
		gnutls_session_set_verify_cert(session, "localhost", 0);
		ret = quic_session_set_alpn(session, alpns, strlen(alpns));
	}
	if (!ret) {
		gnutls_transport_set_int(session, sd);
		ret = quic_handshake(session);
	}
	if (!ret) {
		len = sizeof(alpn) - 1;
		if (quic_session_get_alpn(session, alpn, &len))
			len = 0;
		alpn[len] = '\0';
		printf("handshake complete: ALPN %s, cipher %s\n", alpn,
		       gnutls_cipher_get_name(gnutls_cipher_get(session)));
	}
	gnutls_deinit(session);
	gnutls_certificate_free_credentials(cred);
	return ret;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct quic_config cfg = { 0 };
	struct timeval tv = { 30, 0 };
	socklen_t len, clen = sizeof(cfg);
	int sd, ret, linger = 0;

	if (argc < 5 || argc > 7) {
		fprintf(stderr, "usage: %s ADDR PORT CAFILE ALPNS [VERSION [LINGER_MS]]\n",
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
	if (argc > 6)
		linger = atoi(argv[6]);

	sd = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_QUIC);
	if (sd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(sd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (argc > 5) {
		if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen)) {
			perror("getsockopt");
			return 1;
		}
		cfg.version = atoi(argv[5]) == 2 ? QUIC_VERSION_V2 :
						   QUIC_VERSION_V1;
		if (setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, clen)) {
			perror("setsockopt");
			return 1;
		}
	}
	if (connect(sd, (struct sockaddr *)&ss, len)) {
		perror("connect");
		return 1;
	}
	ret = client_session(sd, argv[3], argv[4]);
	if (ret) {
		fprintf(stderr, "handshake failed: %s\n", strerror(-ret));
		close(sd);
		return 1;
	}
	clen = sizeof(cfg);
	if (!getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen))
		printf("QUIC version 0x%08x\n", cfg.version);
	fflush(stdout);
	if (linger > 0)
		usleep(linger * 1000);
	close(sd);
	return 0;
}
