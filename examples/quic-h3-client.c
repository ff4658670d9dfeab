// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quic-h3-client: an HTTP/3 client over IPPROTO_QUIC sockets.
 *
 * GETs PATH from ADDR PORT: the TLS handshake with libquic (ALPN h3,
 * certificate checked against CAFILE or the system trust store), HTTP/3
 * framing and QPACK with nghttp3, and the QUIC protocol in the kernel.
 * The body goes to standard output or to the -o file; the status and
 * the transfer rate to standard error.  See quic-h3-client(1).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netinet/quic.h>

#include "h3.h"

struct client {
	struct h3 h3;
	int64_t id;		/* the request stream */
	int out;		/* where the body goes */
	int status;		/* :status of the response */
	uint64_t received;	/* body bytes */
	int err;
};

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-c CAFILE] [-n SERVER_NAME] [-o FILE] [-t SECONDS] [-v 1|2] [-d] ADDR PORT PATH\n",
		prog);
	exit(2);
}

static int on_header(nghttp3_conn *conn, int64_t id, int32_t token,
		     nghttp3_rcbuf *name, nghttp3_rcbuf *value, uint8_t flags,
		     void *user, void *stream_user)
{
	struct client *c = user;
	nghttp3_vec v = nghttp3_rcbuf_get_buf(value);
	char buf[4] = "";

	(void)conn; (void)name; (void)flags; (void)stream_user;
	if (id == c->id && token == NGHTTP3_QPACK_TOKEN__STATUS &&
	    v.len == 3) {
		memcpy(buf, v.base, 3);
		c->status = atoi(buf);
	}
	return 0;
}

static int on_data(nghttp3_conn *conn, int64_t id, const uint8_t *data,
		   size_t len, void *user, void *stream_user)
{
	struct client *c = user;
	ssize_t n;

	(void)conn; (void)stream_user;
	if (id != c->id)
		return 0;
	c->received += len;
	while (len) {
		n = write(c->out, data, len);
		if (n < 0) {
			c->err = -errno;
			return NGHTTP3_ERR_CALLBACK_FAILURE;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int on_end_stream(nghttp3_conn *conn, int64_t id, void *user,
			 void *stream_user)
{
	struct client *c = user;

	(void)conn; (void)stream_user;
	if (id == c->id)
		c->h3.done = true;
	return 0;
}

static int on_reset(nghttp3_conn *conn, int64_t id, uint64_t code,
		    void *user, void *stream_user)
{
	struct client *c = user;

	(void)conn; (void)stream_user;
	if (id == c->id) {
		fprintf(stderr, "quic-h3-client: request reset (0x%llx)\n",
			(unsigned long long)code);
		c->err = -ECONNRESET;
		c->h3.done = true;
	}
	return 0;
}

/* TLS 1.3 with ALPN h3, the server's certificate checked. */
static int client_handshake(int sd, const char *name, const char *cafile)
{
	gnutls_certificate_credentials_t cred;
	gnutls_session_t session;
	int ret;

	if (gnutls_certificate_allocate_credentials(&cred))
		return -ENOMEM;
	if (gnutls_init(&session, GNUTLS_CLIENT)) {
		gnutls_certificate_free_credentials(cred);
		return -ENOMEM;
	}
	ret = cafile ? gnutls_certificate_set_x509_trust_file(cred, cafile,
							GNUTLS_X509_FMT_PEM) :
	      gnutls_certificate_set_x509_system_trust(cred);
	ret = ret > 0 ? 0 : -EINVAL;
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
		ret = quic_session_set_alpn(session, H3_ALPN,
					    strlen(H3_ALPN));
	}
	if (!ret) {
		gnutls_transport_set_int(session, sd);
		ret = quic_handshake(session);
	}
	gnutls_deinit(session);
	gnutls_certificate_free_credentials(cred);
	return ret;
}

static int request(struct client *c, const char *authority, const char *path)
{
	nghttp3_callbacks cb = {
		.recv_header = on_header,
		.recv_data = on_data,
		.end_stream = on_end_stream,
		.reset_stream = on_reset,
	};
	nghttp3_settings settings;
	nghttp3_nv nv[5];
	int ret;

	nghttp3_settings_default(&settings);
	if (nghttp3_conn_client_new(&c->h3.conn, &cb, &settings, NULL, c))
		return -ENOMEM;
	ret = h3_bind_streams(&c->h3);
	if (!ret)
		ret = h3_open_stream(c->h3.sd, false, &c->id);
	if (ret)
		return ret;
	h3_nv(&nv[0], ":method", "GET");
	h3_nv(&nv[1], ":scheme", "https");
	h3_nv(&nv[2], ":authority", authority);
	h3_nv(&nv[3], ":path", path);
	h3_nv(&nv[4], "user-agent", "quic-h3-client");
	if (nghttp3_conn_submit_request(c->h3.conn, c->id, nv, 5, NULL, NULL))
		return -EINVAL;
	ret = h3_run(&c->h3);
	if (ret > 0)
		ret = -ECONNRESET;	/* closed before the response ended */
	return ret ?: c->err;
}

int main(int argc, char **argv)
{
	const char *name = "localhost", *cafile = NULL, *outfile = NULL;
	struct client c = { .out = STDOUT_FILENO, .h3.timeout_ms = 30000 };
	struct quic_config cfg = { 0 };
	socklen_t len, clen = sizeof(cfg);
	struct timespec t0, t1;
	struct sockaddr_storage ss;
	char authority[300];
	int opt, ret, version = 0;
	double secs;

	while ((opt = getopt(argc, argv, "c:n:o:t:v:dh")) != -1) {
		switch (opt) {
		case 'c':
			cafile = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'o':
			outfile = optarg;
			break;
		case 't':
			c.h3.timeout_ms = atoi(optarg) * 1000;
			break;
		case 'v':
			version = atoi(optarg);
			if (version != 1 && version != 2)
				usage(argv[0]);
			break;
		case 'd':
			quic_set_log_level(7);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc - optind != 3 || c.h3.timeout_ms <= 0)
		usage(argv[0]);
	argv += optind;
	if (h3_parse_addr(argv[0], argv[1], &ss, &len)) {
		fprintf(stderr, "quic-h3-client: bad address %s\n", argv[0]);
		return 2;
	}
	snprintf(authority, sizeof(authority), "%s:%s", name, argv[1]);
	if (outfile) {
		c.out = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (c.out < 0) {
			perror(outfile);
			return 1;
		}
	}

	c.h3.sd = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_QUIC);
	if (c.h3.sd < 0) {
		perror("quic-h3-client: socket");
		return 1;
	}
	if (version) {
		if (getsockopt(c.h3.sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg,
			       &clen))
			return 1;
		cfg.version = version == 2 ? QUIC_VERSION_V2 : QUIC_VERSION_V1;
		if (setsockopt(c.h3.sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg,
			       clen)) {
			perror("quic-h3-client: QUIC_SOCKOPT_CONFIG");
			return 1;
		}
	}
	if (connect(c.h3.sd, (struct sockaddr *)&ss, len)) {
		perror("quic-h3-client: connect");
		return 1;
	}
	ret = client_handshake(c.h3.sd, name, cafile);
	if (ret) {
		fprintf(stderr, "quic-h3-client: handshake failed: %s\n",
			strerror(-ret));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = request(&c, authority, argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret) {
		fprintf(stderr, "quic-h3-client: %s%s\n", strerror(-ret),
			ret == -EPROTO ? " (HTTP/3 error)" : "");
		h3_close(&c.h3, NGHTTP3_H3_INTERNAL_ERROR, "client error");
	} else {
		h3_close(&c.h3, NGHTTP3_H3_NO_ERROR, "");
	}
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr,
		"quic-h3-client: status %d, %llu bytes in %.3f s (%.1f MB/s)\n",
		c.status, (unsigned long long)c.received, secs,
		secs > 0 ? (double)c.received / secs / 1e6 : 0.0);
	nghttp3_conn_del(c.h3.conn);
	close(c.h3.sd);
	if (c.out != STDOUT_FILENO && close(c.out)) {
		perror(outfile);
		return 1;
	}
	return ret || c.status != 200;
}
