// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TLS handshake of one request: a GnuTLS session configured from the
 * request (role, authentication, key serials, peer name) and the
 * configuration (trust stores, default certificates), the ALPN list of
 * the socket, and libquic's step API driven with a deadline.
 */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <netinet/in.h>
#include <netinet/quic.h>

#include "handshaked.h"

#if __has_include(<linux/handshake.h>)
#include <linux/handshake.h>
#else
enum { HANDSHAKE_MSG_TYPE_UNSPEC, HANDSHAKE_MSG_TYPE_CLIENTHELLO,
       HANDSHAKE_MSG_TYPE_SERVERHELLO };
enum { HANDSHAKE_AUTH_UNSPEC, HANDSHAKE_AUTH_UNAUTH, HANDSHAKE_AUTH_PSK,
       HANDSHAKE_AUTH_X509 };
#endif

#ifndef IPPROTO_QUIC
#define IPPROTO_QUIC	261
#endif

/* the request of this process (one per child), for the PSK callback */
static struct hsd_request *hsd_psk_req;

static void hsd_free_key(void *data, size_t len)
{
	if (!data)
		return;
	memset(data, 0, len);
	free(data);
}

/* The certificate and key of two key serials (DER or PEM). */
static int hsd_x509_keys(gnutls_certificate_credentials_t cred,
			 int32_t cert, int32_t privkey)
{
	void *c = NULL, *k = NULL;
	size_t clen = 0, klen = 0;
	gnutls_datum_t dc, dk;
	int ret;

	if (!privkey) {
		hsd_err("certificate key %d without a private key", cert);
		return -ENOKEY;
	}
	ret = hsd_key_read(cert, &c, &clen);
	if (!ret)
		ret = hsd_key_read(privkey, &k, &klen);
	if (ret) {
		hsd_err("reading key %d or %d: %s", cert, privkey,
			strerror(-ret));
		ret = -ENOKEY;
		goto out;
	}
	dc.data = c;
	dc.size = (unsigned int)clen;
	dk.data = k;
	dk.size = (unsigned int)klen;
	ret = gnutls_certificate_set_x509_key_mem2(cred, &dc, &dk,
						   GNUTLS_X509_FMT_DER, NULL, 0);
	if (ret < 0)
		ret = gnutls_certificate_set_x509_key_mem2(cred, &dc, &dk,
							   GNUTLS_X509_FMT_PEM,
							   NULL, 0);
	if (ret < 0) {
		hsd_err("keys %d and %d: %s", cert, privkey,
			gnutls_strerror(ret));
		ret = -ENOKEY;
	} else {
		ret = 0;
	}
out:
	hsd_free_key(c, clen);
	hsd_free_key(k, klen);
	return ret;
}

static int hsd_x509(gnutls_session_t session, const struct hsd_config *cfg,
		    const struct hsd_request *req, int server,
		    gnutls_certificate_credentials_t *pcred)
{
	const struct hsd_side *side = server ? &cfg->server : &cfg->client;
	gnutls_certificate_credentials_t cred;
	int ret;

	if (gnutls_certificate_allocate_credentials(&cred))
		return -ENOMEM;
	*pcred = cred;
	ret = side->truststore ?
	      gnutls_certificate_set_x509_trust_file(cred, side->truststore,
						     GNUTLS_X509_FMT_PEM) :
	      gnutls_certificate_set_x509_system_trust(cred);
	if (ret <= 0)
		hsd_notice("trust store %s: %s", side->truststore ?: "(system)",
			   ret ? gnutls_strerror(ret) : "no certificate");
	if (req->cert) {
		ret = hsd_x509_keys(cred, req->cert, req->privkey);
		if (ret)
			return ret;
	} else if (req->auth_mode == HANDSHAKE_AUTH_UNAUTH && !server) {
		/* tls_client_hello_anon(): no client certificate */
	} else if (side->certificate && side->private_key) {
		ret = gnutls_certificate_set_x509_key_file(cred,
				side->certificate, side->private_key,
				GNUTLS_X509_FMT_PEM);
		if (ret < 0) {
			hsd_err("%s, %s: %s", side->certificate,
				side->private_key, gnutls_strerror(ret));
			return -ENOKEY;
		}
	} else if (server) {
		hsd_err("server handshake without a certificate: none in the request, none configured");
		return -ENOKEY;
	}
	if (gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, cred))
		return -EINVAL;
	if (!server) {
		if (req->peername[0] &&
		    gnutls_server_name_set(session, GNUTLS_NAME_DNS,
					   req->peername,
					   strlen(req->peername)))
			return -EINVAL;
		gnutls_session_set_verify_cert(session,
				req->peername[0] ? req->peername : NULL, 0);
	} else {
		struct quic_config qc = { 0 };
		socklen_t len = sizeof(qc);

		/* a client certificate, as the consumer set it on the socket */
		if (!getsockopt(req->sockfd, SOL_QUIC, QUIC_SOCKOPT_CONFIG,
				&qc, &len) &&
		    qc.certificate_request != QUIC_CERT_REQUEST_IGNORE) {
			gnutls_certificate_server_set_request(session,
				qc.certificate_request ==
				QUIC_CERT_REQUEST_REQUIRE ?
				GNUTLS_CERT_REQUIRE : GNUTLS_CERT_REQUEST);
			gnutls_session_set_verify_cert(session, NULL, 0);
		}
	}
	return 0;
}

static int hsd_psk_server_key(gnutls_session_t session, const char *username,
			      gnutls_datum_t *key)
{
	struct hsd_request *req = hsd_psk_req;
	char identity[HSD_NAME_MAX];
	unsigned int i;
	size_t len;
	void *data;

	(void)session;
	for (i = 0; req && i < req->num_peerids; i++) {
		if (hsd_key_identity(req->peerids[i], identity,
				     sizeof(identity)) ||
		    strcmp(identity, username))
			continue;
		if (hsd_key_read(req->peerids[i], &data, &len))
			break;
		key->data = gnutls_malloc(len ? len : 1);
		if (!key->data) {
			hsd_free_key(data, len);
			return -1;
		}
		memcpy(key->data, data, len);
		key->size = (unsigned int)len;
		hsd_free_key(data, len);
		req->remote[0] = req->peerids[i];
		req->num_remote = 1;
		return 0;
	}
	hsd_notice("PSK identity \"%s\" is not among the request's keys",
		   username);
	return -1;
}

static int hsd_psk(gnutls_session_t session, struct hsd_request *req,
		   int server, void **pcred)
{
	char identity[HSD_NAME_MAX];
	gnutls_datum_t key;
	size_t len;
	void *data;
	int ret;

	if (!req->num_peerids) {
		hsd_err("PSK handshake without a key");
		return -ENOKEY;
	}
	if (server) {
		gnutls_psk_server_credentials_t cred;

		if (gnutls_psk_allocate_server_credentials(&cred))
			return -ENOMEM;
		*pcred = cred;
		hsd_psk_req = req;
		gnutls_psk_set_server_credentials_function(cred,
							   hsd_psk_server_key);
		return gnutls_credentials_set(session, GNUTLS_CRD_PSK, cred) ?
		       -EINVAL : 0;
	}
	gnutls_psk_client_credentials_t cred;

	ret = hsd_key_identity(req->peerids[0], identity, sizeof(identity));
	if (!ret)
		ret = hsd_key_read(req->peerids[0], &data, &len);
	if (ret) {
		hsd_err("PSK key %d: %s", req->peerids[0], strerror(-ret));
		return -ENOKEY;
	}
	if (gnutls_psk_allocate_client_credentials(&cred)) {
		hsd_free_key(data, len);
		return -ENOMEM;
	}
	*pcred = cred;
	key.data = data;
	key.size = (unsigned int)len;
	ret = gnutls_psk_set_client_credentials(cred, identity, &key,
						GNUTLS_PSK_KEY_RAW);
	hsd_free_key(data, len);
	if (ret || gnutls_credentials_set(session, GNUTLS_CRD_PSK, cred))
		return -EINVAL;
	req->remote[0] = req->peerids[0];
	req->num_remote = 1;
	return 0;
}

static long hsd_ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* libquic's steps, receiving only what poll() says is there, until the
 * deadline.
 */
static int hsd_run(gnutls_session_t session, int fd, unsigned int timeout_ms)
{
	struct quic_handshake_step *step;
	struct timespec deadline;
	struct pollfd p;
	long left;
	ssize_t n;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	ret = quic_handshake_init(session, &step);
	while (!ret && step) {
		if (step->op == QUIC_HANDSHAKE_STEP_OP_SENDMSG) {
			n = sendmsg(fd, step->s_sendmsg.msg,
				    step->s_sendmsg.flags);
			step->s_sendmsg.retval = n < 0 ? -errno : n;
		} else {
			left = hsd_ms_left(&deadline);
			if (left <= 0) {
				ret = -ETIMEDOUT;
				break;
			}
			p.fd = fd;
			p.events = POLLIN;
			n = poll(&p, 1, (int)left);
			if (n <= 0) {
				if (n < 0 && errno != EINTR)
					ret = -errno;
				continue;
			}
			n = recvmsg(fd, step->s_recvmsg.msg,
				    step->s_recvmsg.flags | MSG_DONTWAIT);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			step->s_recvmsg.retval = n < 0 ? -errno : n;
		}
		ret = quic_handshake_step(session, &step);
	}
	quic_handshake_deinit(session);
	return ret;
}

/* A verified certificate of the peer, as a key for the consumer. */
static void hsd_peer_cert(gnutls_session_t session, struct hsd_request *req)
{
	const gnutls_datum_t *certs;
	gnutls_x509_crt_t crt;
	char dn[HSD_NAME_MAX] = "quic peer";
	size_t dnlen = sizeof(dn);
	unsigned int n = 0;
	int32_t serial;

	certs = gnutls_certificate_get_peers(session, &n);
	if (!certs || !n)
		return;
	if (!gnutls_x509_crt_init(&crt)) {
		if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) ||
		    gnutls_x509_crt_get_dn(crt, dn, &dnlen))
			strcpy(dn, "quic peer");
		gnutls_x509_crt_deinit(crt);
	}
	serial = hsd_key_add_peer(dn, certs[0].data, certs[0].size,
				  req->keyring);
	if (serial) {
		req->remote[0] = serial;
		req->num_remote = 1;
	}
}

static unsigned int hsd_status(int err)
{
	switch (err) {
	case 0:
		return 0;
	case -ETIMEDOUT:
	case -ENOKEY:
	case -EOPNOTSUPP:
	case -ENOMEM:
		return (unsigned int)-err;
	case -EKEYREJECTED:	/* certificate verification */
	case -EPROTO:		/* a TLS alert, a PSK not accepted */
	case -ENOPROTOOPT:	/* no common application protocol */
	case -ECONNRESET:
		return EACCES;
	default:
		return EIO;
	}
}

/**
 * hsd_handshake - run the handshake of a request on its socket
 * @cfg: the configuration
 * @req: the request; the peer identities found are added to it
 *
 * Return: 0, or the positive errno to report in DONE.
 */
unsigned int hsd_handshake(const struct hsd_config *cfg,
			   struct hsd_request *req)
{
	gnutls_certificate_credentials_t xcred = NULL;
	void *pcred = NULL;
	gnutls_session_t session;
	char alpn[256];
	int proto = 0, server, ret;
	socklen_t len = sizeof(proto);
	unsigned int timeout;

	if (getsockopt(req->sockfd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) ||
	    proto != IPPROTO_QUIC) {
		hsd_notice("request for a socket of protocol %d: not QUIC, refused",
			   proto);
		return EOPNOTSUPP;
	}
	if (req->msg_type != HANDSHAKE_MSG_TYPE_CLIENTHELLO &&
	    req->msg_type != HANDSHAKE_MSG_TYPE_SERVERHELLO)
		return EINVAL;
	server = req->msg_type == HANDSHAKE_MSG_TYPE_SERVERHELLO;
	if (req->keyring && hsd_key_link_session(req->keyring))
		hsd_notice("keyring %d: %s", req->keyring, strerror(errno));

	if (gnutls_init(&session, (server ? GNUTLS_SERVER : GNUTLS_CLIENT) |
			GNUTLS_NO_END_OF_EARLY_DATA))
		return ENOMEM;
	ret = gnutls_priority_set_direct(session, QUIC_PRIORITY, NULL) ?
	      -EINVAL : 0;
	if (!ret) {
		if (req->auth_mode == HANDSHAKE_AUTH_PSK)
			ret = hsd_psk(session, req, server, &pcred);
		else
			ret = hsd_x509(session, cfg, req, server, &xcred);
	}
	len = sizeof(alpn);
	if (!ret && !getsockopt(req->sockfd, SOL_QUIC, QUIC_SOCKOPT_ALPN,
				alpn, &len) && len)
		ret = quic_session_set_alpn(session, alpn, len);
	if (!ret) {
		timeout = req->timeout_ms ?: cfg->timeout_ms;
		hsd_debug("%s handshake, %s, peer \"%s\", %u ms",
			  server ? "server" : "client",
			  req->auth_mode == HANDSHAKE_AUTH_PSK ? "PSK" : "X.509",
			  req->peername, timeout);
		gnutls_transport_set_int(session, req->sockfd);
		ret = hsd_run(session, req->sockfd, timeout);
	}
	if (!ret && req->auth_mode != HANDSHAKE_AUTH_PSK)
		hsd_peer_cert(session, req);
	gnutls_deinit(session);
	if (xcred)
		gnutls_certificate_free_credentials(xcred);
	if (pcred && server)
		gnutls_psk_free_server_credentials(pcred);
	else if (pcred)
		gnutls_psk_free_client_credentials(pcred);
	if (ret)
		hsd_notice("%s handshake failed: %s",
			   server ? "server" : "client", strerror(-ret));
	return hsd_status(ret);
}
