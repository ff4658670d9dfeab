// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quic-client: an example QUIC client built on libquic.
 *
 * Connects to ADDR PORT, runs the TLS handshake with quic_handshake() on
 * a GnuTLS session that trusts CAFILE and offers ALPNS, reports the
 * negotiated ALPN, cipher and QUIC version, keeps the connection for a
 * while and closes it.  See quic-client(1).
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
		"usage: %s [-n SERVER_NAME] [-l LINGER_MS] [-v 1|2|0xVERSION] [-d] ADDR PORT CAFILE ALPNS\n",
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

static int client_session(int sd, const char *name, const char *cafile,
			  const char *alpns)
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
		ret = gnutls_server_name_set(session, GNUTLS_NAME_DNS, name,
					     strlen(name)) ? -EINVAL : 0;
	if (!ret) {
		gnutls_session_set_verify_cert(session, name, 0);
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
		printf("quic-client: handshake complete: ALPN %s, cipher %s\n",
		       alpn,
		       gnutls_cipher_get_name(gnutls_cipher_get(session)));
	}
	gnutls_deinit(session);
	gnutls_certificate_free_credentials(cred);
	return ret;
}

int main(int argc, char **argv)
{
	int sd, opt, ret, linger = 0;
	unsigned long version = 0;
	struct timeval tv = { 30, 0 };
	const char *name = "localhost";
	struct quic_config cfg = { 0 };
	socklen_t len, clen = sizeof(cfg);
	struct sockaddr_storage ss;

	while ((opt = getopt(argc, argv, "n:l:v:dh")) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 'l':
			linger = atoi(optarg);
			break;
		case 'v':
			/* 1, 2, or any other (to provoke Version
			 * Negotiation), as 0x...
			 */
			version = strtoul(optarg, NULL, 0);
			if (!version || version > 0xffffffffUL)
				usage(argv[0]);
			break;
		case 'd':
			quic_set_log_level(7);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc - optind != 4)
		usage(argv[0]);
	argv += optind;
	if (parse_addr(argv[0], argv[1], &ss, &len)) {
		fprintf(stderr, "quic-client: bad address %s\n", argv[0]);
		return 2;
	}

	sd = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_QUIC);
	if (sd < 0) {
		perror("quic-client: socket");
		return 1;
	}
	setsockopt(sd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (version) {
		if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen))
			return 1;
		cfg.version = version == 1 ? QUIC_VERSION_V1 :
			      version == 2 ? QUIC_VERSION_V2 : version;
		if (setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, clen)) {
			perror("quic-client: QUIC_SOCKOPT_CONFIG");
			return 1;
		}
	}
	if (connect(sd, (struct sockaddr *)&ss, len)) {
		perror("quic-client: connect");
		return 1;
	}
	ret = client_session(sd, name, argv[2], argv[3]);
	if (ret) {
		fprintf(stderr, "quic-client: handshake failed: %s\n",
			strerror(-ret));
		close(sd);
		return 1;
	}
	clen = sizeof(cfg);
	if (!getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen))
		printf("quic-client: QUIC version 0x%08x\n", cfg.version);
	fflush(stdout);
	if (linger > 0)
		usleep(linger * 1000);
	close(sd);
	return 0;
}
