// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The TLS 1.3 handshake over a QUIC socket, with GnuTLS.
 *
 * GnuTLS runs the handshake without a record layer: it hands each
 * handshake message to be sent, with its encryption level, to a callback,
 * and takes received messages from gnutls_handshake_write().  The
 * messages travel through the kernel by sendmsg()/recvmsg() with a
 * QUIC_HANDSHAKE_INFO cmsg; the traffic secrets GnuTLS derives go to the
 * kernel with QUIC_SOCKOPT_CRYPTO_SECRET, and the quic_transport_parameters
 * extension comes from and goes to QUIC_SOCKOPT_TRANSPORT_PARAM_EXT.
 *
 * The step API (quic_handshake_init/step/deinit) exposes every sendmsg()
 * and recvmsg() to the caller's event loop; quic_handshake() runs the
 * same steps itself, blocking.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/tls.h>

#include <netinet/quic.h>

#include "internal.h"

#define QUIC_TP_EXT_ID		57	/* quic_transport_parameters */
#define QUIC_TP_EXT_MAX		1024
#define QUIC_HS_BUF		65536

struct quic_hs_msg {
	struct quic_hs_msg *next;
	uint8_t level;
	size_t len;
	uint8_t data[];
};

struct quic_hs {
	gnutls_session_t session;
	int sd;
	int is_serv;
	int done;
	int err;
	struct quic_hs_msg *head, *tail;

	/* the server installs its 1-RTT receive key when the handshake is
	 * complete: the kernel takes that as completion (RFC 9001 4.1.1)
	 */
	uint8_t app_rx_secret[48];
	size_t app_rx_len;
	uint32_t cipher;

	struct quic_handshake_step step;
	struct msghdr msg;
	struct iovec iov;
	char ctl[CMSG_SPACE(sizeof(struct quic_handshake_info))];
	uint8_t buf[QUIC_HS_BUF];
};

static struct quic_hs *quic_hs_get(gnutls_session_t session)
{
	return gnutls_session_get_ptr(session);
}

static uint8_t quic_level(gnutls_record_encryption_level_t level)
{
	switch (level) {
	case GNUTLS_ENCRYPTION_LEVEL_INITIAL:
		return QUIC_CRYPTO_INITIAL;
	case GNUTLS_ENCRYPTION_LEVEL_HANDSHAKE:
		return QUIC_CRYPTO_HANDSHAKE;
	case GNUTLS_ENCRYPTION_LEVEL_EARLY:
		return QUIC_CRYPTO_EARLY;
	default:
		return QUIC_CRYPTO_APP;
	}
}

static gnutls_record_encryption_level_t quic_gnutls_level(uint8_t level)
{
	switch (level) {
	case QUIC_CRYPTO_INITIAL:
		return GNUTLS_ENCRYPTION_LEVEL_INITIAL;
	case QUIC_CRYPTO_HANDSHAKE:
		return GNUTLS_ENCRYPTION_LEVEL_HANDSHAKE;
	case QUIC_CRYPTO_EARLY:
		return GNUTLS_ENCRYPTION_LEVEL_EARLY;
	default:
		return GNUTLS_ENCRYPTION_LEVEL_APPLICATION;
	}
}

/* The TLS_CIPHER_* of the keys of @level: for 0-RTT, the cipher suite of
 * the session being resumed.
 */
static uint32_t quic_cipher_type(gnutls_session_t session, uint8_t level)
{
	switch (level == QUIC_CRYPTO_EARLY ? gnutls_early_cipher_get(session) :
		gnutls_cipher_get(session)) {
	case GNUTLS_CIPHER_AES_128_GCM:
		return TLS_CIPHER_AES_GCM_128;
	case GNUTLS_CIPHER_AES_256_GCM:
		return TLS_CIPHER_AES_GCM_256;
	case GNUTLS_CIPHER_AES_128_CCM:
		return TLS_CIPHER_AES_CCM_128;
	case GNUTLS_CIPHER_CHACHA20_POLY1305:
		return TLS_CIPHER_CHACHA20_POLY1305;
	default:
		return 0;
	}
}

static int quic_set_secret(struct quic_hs *hs, uint8_t level, int send,
			   const void *secret, size_t len)
{
	struct quic_crypto_secret s = {
		.send = send, .level = level, .type = hs->cipher,
	};
	int ret;

	if (len > sizeof(s.secret))
		return -EINVAL;
	memcpy(s.secret, secret, len);
	ret = setsockopt(hs->sd, SOL_QUIC, QUIC_SOCKOPT_CRYPTO_SECRET, &s,
			 sizeof(s));
	memset(&s, 0, sizeof(s));
	if (ret) {
		ret = -errno;
		quic_log_error("handshake: installing a level %u %s secret: %s",
			       level, send ? "send" : "receive",
			       strerror(-ret));
	}
	return ret;
}

static int quic_secret_func(gnutls_session_t session,
			    gnutls_record_encryption_level_t glevel,
			    const void *rx, const void *tx, size_t len)
{
	struct quic_hs *hs = quic_hs_get(session);
	uint8_t level = quic_level(glevel);
	int ret;

	if (!hs)
		return 0;	/* after the handshake: nothing to install */
	quic_log_debug("handshake: level %u secrets:%s%s", level,
		       rx ? " receive" : "", tx ? " send" : "");
	hs->cipher = quic_cipher_type(session, level);
	if (!hs->cipher) {
		quic_log_error("handshake: cipher suite not usable with QUIC");
		hs->err = -EPROTONOSUPPORT;
		return -1;
	}
	if (tx) {
		ret = quic_set_secret(hs, level, 1, tx, len);
		if (ret)
			goto err;
	}
	if (rx) {
		if (hs->is_serv && level == QUIC_CRYPTO_APP) {
			if (len > sizeof(hs->app_rx_secret))
				goto err;
			memcpy(hs->app_rx_secret, rx, len);
			hs->app_rx_len = len;
			return 0;
		}
		ret = quic_set_secret(hs, level, 0, rx, len);
		if (ret)
			goto err;
	}
	return 0;
err:
	hs->err = hs->err ?: -EINVAL;
	return -1;
}

/* GnuTLS has a handshake message to send: queue it for a sendmsg step. */
static int quic_read_func(gnutls_session_t session,
			  gnutls_record_encryption_level_t level,
			  gnutls_handshake_description_t htype,
			  const void *data, size_t len)
{
	struct quic_hs *hs = quic_hs_get(session);
	struct quic_hs_msg *m;

	(void)htype;
	if (!len || !hs)
		return 0;
	m = malloc(sizeof(*m) + len);
	if (!m) {
		hs->err = -ENOMEM;
		return -1;
	}
	m->next = NULL;
	m->level = quic_level(level);
	m->len = len;
	memcpy(m->data, data, len);
	if (hs->tail)
		hs->tail->next = m;
	else
		hs->head = m;
	hs->tail = m;
	return 0;
}

static int quic_alert_func(gnutls_session_t session,
			   gnutls_record_encryption_level_t level,
			   gnutls_alert_level_t alert_level,
			   gnutls_alert_description_t desc)
{
	struct quic_hs *hs = quic_hs_get(session);

	(void)level;
	if (!hs)
		return 0;
	quic_log_error("handshake: TLS alert %s (%s)",
		       gnutls_alert_get_strname(desc),
		       alert_level == GNUTLS_AL_FATAL ? "fatal" : "warning");
	if (alert_level == GNUTLS_AL_FATAL && !hs->err)
		hs->err = desc == GNUTLS_A_NO_APPLICATION_PROTOCOL ?
			  -ENOPROTOOPT : -EPROTO;
	return 0;
}

static int quic_tp_send(gnutls_session_t session, gnutls_buffer_t extdata)
{
	struct quic_hs *hs = quic_hs_get(session);
	uint8_t buf[QUIC_TP_EXT_MAX];
	socklen_t len = sizeof(buf);

	if (getsockopt(hs->sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM_EXT, buf,
		       &len)) {
		hs->err = -errno;
		quic_log_error("handshake: local transport parameters: %s",
			       strerror(errno));
		return GNUTLS_E_INTERNAL_ERROR;
	}
	if (gnutls_buffer_append_data(extdata, buf, len))
		return GNUTLS_E_MEMORY_ERROR;
	return (int)len;
}

static int quic_tp_recv(gnutls_session_t session, const unsigned char *data,
			size_t len)
{
	struct quic_hs *hs = quic_hs_get(session);

	if (setsockopt(hs->sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM_EXT,
		       data, (socklen_t)len)) {
		hs->err = -errno;
		quic_log_error("handshake: peer transport parameters: %s",
			       strerror(errno));
		return GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER;
	}
	return 0;
}

static void quic_hs_free(struct quic_hs *hs)
{
	struct quic_hs_msg *m;

	while ((m = hs->head)) {
		hs->head = m->next;
		free(m);
	}
	memset(hs->app_rx_secret, 0, sizeof(hs->app_rx_secret));
	free(hs);
}

/* Fill hs->step with what the caller has to do next, or return NULL. */
static struct quic_handshake_step *quic_hs_next(struct quic_hs *hs)
{
	struct quic_handshake_info info;
	struct cmsghdr *cmsg;

	memset(&hs->msg, 0, sizeof(hs->msg));
	memset(hs->ctl, 0, sizeof(hs->ctl));
	hs->msg.msg_iov = &hs->iov;
	hs->msg.msg_iovlen = 1;
	hs->msg.msg_control = hs->ctl;
	hs->msg.msg_controllen = sizeof(hs->ctl);
	if (hs->head) {
		info.crypto_level = hs->head->level;
		cmsg = CMSG_FIRSTHDR(&hs->msg);
		cmsg->cmsg_level = SOL_QUIC;
		cmsg->cmsg_type = QUIC_HANDSHAKE_INFO;
		cmsg->cmsg_len = CMSG_LEN(sizeof(info));
		memcpy(CMSG_DATA(cmsg), &info, sizeof(info));
		hs->iov.iov_base = hs->head->data;
		hs->iov.iov_len = hs->head->len;
		hs->step.op = QUIC_HANDSHAKE_STEP_OP_SENDMSG;
		hs->step.s_sendmsg.msg = &hs->msg;
		hs->step.s_sendmsg.flags = 0;
		hs->step.s_sendmsg.retval = 0;
		return &hs->step;
	}
	if (hs->done)
		return NULL;
	hs->iov.iov_base = hs->buf;
	hs->iov.iov_len = sizeof(hs->buf);
	hs->step.op = QUIC_HANDSHAKE_STEP_OP_RECVMSG;
	hs->step.s_recvmsg.msg = &hs->msg;
	hs->step.s_recvmsg.flags = 0;
	hs->step.s_recvmsg.retval = 0;
	return &hs->step;
}

/* Run GnuTLS on what it has; mark completion. */
static int quic_hs_advance(struct quic_hs *hs)
{
	int ret;

	if (hs->done)
		return 0;
	ret = gnutls_handshake(hs->session);
	if (hs->err)
		return hs->err;
	if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED ||
	    (ret < 0 && !gnutls_error_is_fatal(ret)))
		return 0;
	if (ret < 0) {
		quic_log_error("handshake: %s", gnutls_strerror(ret));
		return ret == GNUTLS_E_NO_APPLICATION_PROTOCOL ? -ENOPROTOOPT :
		       ret == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR ||
		       ret == GNUTLS_E_CERTIFICATE_ERROR ? -EKEYREJECTED :
		       -EPROTO;
	}
	hs->done = 1;
	if (hs->is_serv && hs->app_rx_len) {
		ret = quic_set_secret(hs, QUIC_CRYPTO_APP, 0, hs->app_rx_secret,
				      hs->app_rx_len);
		if (ret)
			return ret;
	}
	/* a resumption ticket, when the session has a ticket key (with
	 * GNUTLS_NO_AUTO_SEND_TICKET, or GnuTLS sent one already)
	 */
	if (hs->is_serv && !gnutls_session_ticket_send(hs->session, 1, 0))
		quic_log_debug("handshake: session ticket queued");
	/* and an address validation token for the client's next connection
	 * (NEW_TOKEN); a kernel without them is no reason to fail
	 */
	if (hs->is_serv && !setsockopt(hs->sd, SOL_QUIC, QUIC_SOCKOPT_TOKEN,
				       NULL, 0))
		quic_log_debug("handshake: address validation token queued");
	quic_log_debug("handshake: complete");
	return 0;
}

/* A received handshake message, from the last recvmsg step. */
static int quic_hs_input(struct quic_hs *hs, ssize_t n)
{
	struct quic_handshake_info info;
	struct cmsghdr *cmsg;
	int ret;

	quic_log_debug("handshake: received %zd bytes", n);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ECONNRESET;
	for (cmsg = CMSG_FIRSTHDR(&hs->msg); cmsg;
	     cmsg = CMSG_NXTHDR(&hs->msg, cmsg))
		if (cmsg->cmsg_level == SOL_QUIC &&
		    cmsg->cmsg_type == QUIC_HANDSHAKE_INFO)
			break;
	if (!cmsg)
		return -EBADMSG;
	memcpy(&info, CMSG_DATA(cmsg), sizeof(info));
	ret = gnutls_handshake_write(hs->session,
				     quic_gnutls_level(info.crypto_level),
				     hs->buf, (size_t)n);
	if (ret) {
		quic_log_error("handshake: %s", gnutls_strerror(ret));
		return hs->err ?: -EPROTO;
	}
	return quic_hs_advance(hs);
}

/**
 * quic_handshake_init - prepare a handshake in steps
 * @session: GnuTLS session, configured, with the socket set as its
 *           transport (gnutls_transport_set_int())
 * @pstep: the first step to perform
 *
 * Return: 0 or a negative errno.
 */
QUIC_EXPORT int quic_handshake_init(gnutls_session_t session,
				    struct quic_handshake_step **pstep)
{
	struct quic_hs *hs;
	int ret;

	if (!session || !pstep)
		return -EINVAL;
	*pstep = NULL;
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	hs->session = session;
	hs->sd = gnutls_transport_get_int(session);
	gnutls_session_set_ptr(session, hs);
	gnutls_handshake_set_secret_function(session, quic_secret_func);
	gnutls_handshake_set_read_function(session, quic_read_func);
	gnutls_alert_set_read_function(session, quic_alert_func);
	ret = gnutls_session_ext_register(session, "quic_transport_parameters",
					  QUIC_TP_EXT_ID, GNUTLS_EXT_TLS,
					  quic_tp_recv, quic_tp_send, NULL,
					  NULL, NULL,
					  GNUTLS_EXT_FLAG_TLS |
					  GNUTLS_EXT_FLAG_CLIENT_HELLO |
					  GNUTLS_EXT_FLAG_EE);
	if (ret) {
		quic_log_error("handshake: %s", gnutls_strerror(ret));
		gnutls_session_set_ptr(session, NULL);
		quic_hs_free(hs);
		return -EINVAL;
	}
	ret = quic_hs_advance(hs);	/* the client's first flight */
	/* GnuTLS does not say which side it is: only a client has spoken */
	hs->is_serv = !hs->head;
	if (ret) {
		gnutls_session_set_ptr(session, NULL);
		quic_hs_free(hs);
		return ret;
	}
	*pstep = quic_hs_next(hs);
	return 0;
}

/**
 * quic_handshake_step - report the last step's result, get the next one
 * @session: the session given to quic_handshake_init()
 * @pstep: in: the step performed, with its retval (a negative errno on
 *         failure); out: the next step, or NULL when the handshake is done
 *
 * Return: 0 or a negative errno; on error the handshake is over.
 */
QUIC_EXPORT int quic_handshake_step(gnutls_session_t session,
				    struct quic_handshake_step **pstep)
{
	struct quic_hs *hs = session ? quic_hs_get(session) : NULL;
	struct quic_handshake_step *step;
	struct quic_hs_msg *m;
	int ret = 0;

	if (!hs || !pstep || !*pstep)
		return -EINVAL;
	step = *pstep;
	*pstep = NULL;
	if (step->op == QUIC_HANDSHAKE_STEP_OP_SENDMSG) {
		quic_log_debug("handshake: sent %zd bytes at level %u",
			       step->s_sendmsg.retval, hs->head->level);
		if (step->s_sendmsg.retval < 0 && hs->done &&
		    hs->head->level == QUIC_CRYPTO_APP) {
			/* a session ticket for a peer that closed first: the
			 * handshake itself is complete
			 */
			quic_log_debug("handshake: post-handshake message not sent: %s",
				       strerror((int)-step->s_sendmsg.retval));
			while ((m = hs->head)) {
				hs->head = m->next;
				free(m);
			}
			hs->tail = NULL;
			return 0;
		}
		if (step->s_sendmsg.retval < 0)
			return (int)step->s_sendmsg.retval;
		m = hs->head;
		hs->head = m->next;
		if (!hs->head)
			hs->tail = NULL;
		free(m);
	} else {
		ret = quic_hs_input(hs, step->s_recvmsg.retval);
		if (ret)
			return ret;
	}
	*pstep = quic_hs_next(hs);
	return 0;
}

/**
 * quic_handshake_deinit - release the step state of a session
 * @session: the session
 */
QUIC_EXPORT void quic_handshake_deinit(gnutls_session_t session)
{
	struct quic_hs *hs = session ? quic_hs_get(session) : NULL;

	if (!hs)
		return;
	gnutls_session_set_ptr(session, NULL);
	quic_hs_free(hs);
}

/**
 * quic_handshake - run the handshake on a configured GnuTLS session
 * @session: GnuTLS session with the QUIC socket as its transport
 *
 * Return: 0 or a negative errno.
 */
QUIC_EXPORT int quic_handshake(gnutls_session_t session)
{
	struct quic_handshake_step *step;
	int sd, ret;

	ret = quic_handshake_init(session, &step);
	if (ret)
		return ret;
	sd = gnutls_transport_get_int(session);
	while (step) {
		if (step->op == QUIC_HANDSHAKE_STEP_OP_SENDMSG) {
			ssize_t n = sendmsg(sd, step->s_sendmsg.msg,
					    step->s_sendmsg.flags);

			step->s_sendmsg.retval = n < 0 ? -errno : n;
		} else {
			ssize_t n = recvmsg(sd, step->s_recvmsg.msg,
					    step->s_recvmsg.flags);

			step->s_recvmsg.retval = n < 0 ? -errno : n;
		}
		ret = quic_handshake_step(session, &step);
		if (ret)
			break;
	}
	if (ret)
		quic_log_error("handshake failed: %s", strerror(-ret));
	quic_handshake_deinit(session);
	return ret;
}

/* A PSK file line "identity:hexkey", as gnutls_psk_set_server_credentials_file()
 * reads it; the client uses the first line.
 */
static int quic_psk_client(gnutls_session_t session, const char *file,
			   gnutls_psk_client_credentials_t *cred)
{
	char line[1024], *colon, *end;
	gnutls_datum_t key;
	FILE *f;
	int ret;

	f = fopen(file, "r");
	if (!f) {
		ret = -errno;
		quic_log_error("psk: %s: %s", file, strerror(errno));
		return ret;
	}
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		quic_log_error("psk: %s: empty", file);
		return -EINVAL;
	}
	fclose(f);
	colon = strchr(line, ':');
	end = line + strcspn(line, "\r\n");
	*end = '\0';
	if (!colon || colon == line || colon + 1 == end) {
		quic_log_error("psk: %s: expected identity:hexkey", file);
		return -EINVAL;
	}
	*colon = '\0';
	key.data = (unsigned char *)colon + 1;
	key.size = (unsigned int)(end - colon - 1);
	if (gnutls_psk_allocate_client_credentials(cred))
		return -ENOMEM;
	ret = gnutls_psk_set_client_credentials(*cred, line, &key,
						GNUTLS_PSK_KEY_HEX);
	memset(line, 0, sizeof(line));
	if (!ret)
		ret = gnutls_credentials_set(session, GNUTLS_CRD_PSK, *cred);
	if (ret) {
		quic_log_error("psk: %s", gnutls_strerror(ret));
		return -EINVAL;
	}
	return 0;
}

static int quic_session_alpns(gnutls_session_t session, int sd,
			      const char *alpns)
{
	char buf[256];
	socklen_t len = sizeof(buf);

	if (alpns && *alpns)
		return quic_session_set_alpn(session, alpns, strlen(alpns));
	/* a server takes the list set on the listening socket */
	if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_ALPN, buf, &len) || !len)
		return 0;
	return quic_session_set_alpn(session, buf, len);
}

/**
 * quic_client_handshake - run the client side of the handshake
 * @sd: a connected QUIC socket
 * @pkey_file: PSK file ("identity:hexkey") for PSK mode, or NULL for X.509
 * @hostname: server name to send and to verify the certificate against
 *            (X.509, against the system trust store), or NULL
 * @alpns: protocols to offer, separated by commas, or NULL
 *
 * Return: 0 or a negative errno.
 */
QUIC_EXPORT int quic_client_handshake(int sd, const char *pkey_file,
				      const char *hostname, const char *alpns)
{
	gnutls_certificate_credentials_t xcred = NULL;
	gnutls_psk_client_credentials_t pcred = NULL;
	gnutls_session_t session;
	int ret;

	if (gnutls_init(&session, GNUTLS_CLIENT | GNUTLS_NO_END_OF_EARLY_DATA))
		return -ENOMEM;
	ret = gnutls_priority_set_direct(session, QUIC_PRIORITY, NULL);
	if (ret)
		goto tls_err;
	if (pkey_file) {
		ret = quic_psk_client(session, pkey_file, &pcred);
		if (ret)
			goto out;
	} else {
		ret = gnutls_certificate_allocate_credentials(&xcred);
		if (!ret)
			ret = gnutls_certificate_set_x509_system_trust(xcred);
		if (ret < 0)
			goto tls_err;
		ret = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE,
					     xcred);
		if (ret)
			goto tls_err;
	}
	if (hostname) {
		ret = gnutls_server_name_set(session, GNUTLS_NAME_DNS, hostname,
					     strlen(hostname));
		if (ret)
			goto tls_err;
		if (!pkey_file)
			gnutls_session_set_verify_cert(session, hostname, 0);
	} else if (!pkey_file) {
		gnutls_session_set_verify_cert(session, NULL, 0);
	}
	ret = quic_session_alpns(session, sd, alpns);
	if (ret)
		goto out;
	gnutls_transport_set_int(session, sd);
	ret = quic_handshake(session);
	goto out;
tls_err:
	quic_log_error("client handshake: %s", gnutls_strerror(ret));
	ret = -EINVAL;
out:
	gnutls_deinit(session);
	if (xcred)
		gnutls_certificate_free_credentials(xcred);
	if (pcred)
		gnutls_psk_free_client_credentials(pcred);
	return ret;
}

/* Client certificates, as the socket's certificate_request config says
 * (set by kernel consumers, inherited from the listener); they are
 * verified against the system trust store.
 */
static int quic_server_cert_request(gnutls_session_t session,
				    gnutls_certificate_credentials_t xcred,
				    int sd)
{
	struct quic_config cfg = {};
	socklen_t len = sizeof(cfg);

	if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &len) ||
	    cfg.certificate_request == QUIC_CERT_REQUEST_IGNORE)
		return 0;
	if (gnutls_certificate_set_x509_system_trust(xcred) < 0)
		quic_log_notice("server handshake: no system trust store");
	gnutls_certificate_server_set_request(session,
		cfg.certificate_request == QUIC_CERT_REQUEST_REQUIRE ?
		GNUTLS_CERT_REQUIRE : GNUTLS_CERT_REQUEST);
	return 0;
}

/* 0-RTT anti-replay (RFC 8446 section 8): GnuTLS accepts early data only
 * with a context that remembers the ClientHellos it saw within the ticket
 * age window.  One per process, shared by every server session.
 */
#define QUIC_REPLAY_SLOTS	4096

static struct {
	uint64_t hash;
	time_t expires;
} quic_replay_seen[QUIC_REPLAY_SLOTS];
static pthread_mutex_t quic_replay_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t quic_replay_once = PTHREAD_ONCE_INIT;
static gnutls_anti_replay_t quic_replay;

static int quic_replay_add(void *ptr, time_t expires, const gnutls_datum_t *key,
			   const gnutls_datum_t *data)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	time_t now = time(NULL);
	unsigned int i, slot, victim;
	int ret = 0;

	(void)ptr;
	(void)data;
	for (i = 0; i < key->size; i++)
		h = (h ^ key->data[i]) * 0x100000001b3ULL;
	pthread_mutex_lock(&quic_replay_lock);
	victim = h % QUIC_REPLAY_SLOTS;
	for (i = 0; i < 8; i++) {
		slot = (h + i) % QUIC_REPLAY_SLOTS;
		if (quic_replay_seen[slot].hash == h &&
		    quic_replay_seen[slot].expires > now) {
			ret = GNUTLS_E_DB_ENTRY_EXISTS;
			goto out;
		}
		if (quic_replay_seen[slot].expires <
		    quic_replay_seen[victim].expires)
			victim = slot;
	}
	quic_replay_seen[victim].hash = h;
	quic_replay_seen[victim].expires = expires;
out:
	pthread_mutex_unlock(&quic_replay_lock);
	return ret;
}

static void quic_replay_init(void)
{
	if (gnutls_anti_replay_init(&quic_replay))
		return;
	gnutls_anti_replay_set_add_function(quic_replay, quic_replay_add);
}

/* Resumption tickets under the key of the listening socket, and 0-RTT
 * for the sessions they resume (QUIC asks max_early_data_size to be
 * 0xffffffff, RFC 9001 section 4.6.1).
 */
static int quic_server_tickets(gnutls_session_t session, int sd)
{
	uint8_t key[64];
	socklen_t len = sizeof(key);
	gnutls_datum_t k = { key, 0 };
	int ret;

	if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_SESSION_TICKET, key, &len) ||
	    len != sizeof(key))
		return 0;	/* no key: no tickets */
	k.size = len;
	ret = gnutls_session_ticket_enable_server(session, &k);
	memset(key, 0, sizeof(key));
	if (ret)
		return ret;
	pthread_once(&quic_replay_once, quic_replay_init);
	if (!quic_replay)
		return 0;	/* without anti-replay: no 0-RTT */
	gnutls_anti_replay_enable(session, quic_replay);
	return gnutls_record_set_max_early_data_size(session, 0xffffffffU);
}

/**
 * quic_server_handshake - run the server side of the handshake
 * @sd: an accepted QUIC socket
 * @pkey_file: private key file (X.509), or PSK file (identity:hexkey lines)
 * @cert_file: certificate chain file for X.509, or NULL for PSK mode
 * @alpns: protocols to accept, separated by commas, or NULL for the list
 *         set on the socket with QUIC_SOCKOPT_ALPN
 *
 * Return: 0 or a negative errno.
 */
QUIC_EXPORT int quic_server_handshake(int sd, const char *pkey_file,
				      const char *cert_file, const char *alpns)
{
	gnutls_certificate_credentials_t xcred = NULL;
	gnutls_psk_server_credentials_t pcred = NULL;
	gnutls_session_t session;
	int ret;

	if (!pkey_file)
		return -EINVAL;
	if (gnutls_init(&session, GNUTLS_SERVER | GNUTLS_NO_END_OF_EARLY_DATA |
			GNUTLS_ENABLE_EARLY_DATA | GNUTLS_NO_AUTO_SEND_TICKET))
		return -ENOMEM;
	ret = gnutls_priority_set_direct(session, QUIC_PRIORITY, NULL);
	if (ret)
		goto tls_err;
	ret = quic_server_tickets(session, sd);
	if (ret)
		goto tls_err;
	if (cert_file) {
		ret = gnutls_certificate_allocate_credentials(&xcred);
		if (!ret)
			ret = gnutls_certificate_set_x509_key_file(xcred,
					cert_file, pkey_file, GNUTLS_X509_FMT_PEM);
		if (!ret)
			ret = gnutls_credentials_set(session,
						     GNUTLS_CRD_CERTIFICATE,
						     xcred);
		if (!ret)
			ret = quic_server_cert_request(session, xcred, sd);
	} else {
		ret = gnutls_psk_allocate_server_credentials(&pcred);
		if (!ret)
			ret = gnutls_psk_set_server_credentials_file(pcred,
								     pkey_file);
		if (!ret)
			ret = gnutls_credentials_set(session, GNUTLS_CRD_PSK,
						     pcred);
	}
	if (ret)
		goto tls_err;
	ret = quic_session_alpns(session, sd, alpns);
	if (ret)
		goto out;
	gnutls_transport_set_int(session, sd);
	ret = quic_handshake(session);
	goto out;
tls_err:
	quic_log_error("server handshake: %s", gnutls_strerror(ret));
	ret = -EINVAL;
out:
	gnutls_deinit(session);
	if (xcred)
		gnutls_certificate_free_credentials(xcred);
	if (pcred)
		gnutls_psk_free_server_credentials(pcred);
	return ret;
}
