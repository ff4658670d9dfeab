// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libquic functional tests against the loaded module: real TLS 1.3
 * handshakes over QUIC sockets between a client and a server thread, with
 * X.509 and PSK, QUIC v1 and v2, each cipher suite, IPv4 and IPv6, ALPN
 * selection and mismatch, a certificate from an unknown CA, Retry,
 * resumption and compatible version negotiation.
 * Prints TAP.
 *
 * usage: libquic_test CERTDIR
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <netinet/quic.h>

#include "quic_tap.h"

static const char *certdir;


static char *path(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", certdir, name);
	return buf[i];
}

/* The version a connection uses, as QUIC_SOCKOPT_CONFIG reports it. */
static unsigned int config_version(int sd)
{
	struct quic_config cfg = { 0 };
	socklen_t len = sizeof(cfg);

	return getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &len) ?
	       0 : cfg.version;
}

struct server {
	int listener;
	int psk;
	int require_cert;	/* own session: client certificate, test CA */
	int validate;		/* validate_peer_address: Retry first */
	int keep;		/* leave the listener open after run() */
	int existing;		/* run() on the listener kept before */
	unsigned int version;	/* the listener's preferred version */
	const uint8_t *ticket_key;	/* QUIC_SOCKOPT_SESSION_TICKET, 64 */
	int key_ok;		/* the listener reported that key back */
	unsigned int got_version;	/* the connection's, after it */
	int no_early;		/* own session without 0-RTT: rejects it */
	int echo;		/* read a stream message, send it back */
	char got[64];		/* what it read */
	struct sockaddr_storage ss;
	socklen_t len;
	const char *alpns;
	int ret;
};

/* A server on its own GnuTLS session that requires a client certificate
 * signed by the test CA.
 */
static int server_require_cert(int sd, struct server *s)
{
	gnutls_certificate_credentials_t xcred;
	gnutls_session_t session;
	int ret;

	if (gnutls_init(&session, GNUTLS_SERVER | GNUTLS_NO_END_OF_EARLY_DATA))
		return -ENOMEM;
	gnutls_certificate_allocate_credentials(&xcred);
	ret = gnutls_priority_set_direct(session, QUIC_PRIORITY, NULL);
	if (!ret)
		ret = gnutls_certificate_set_x509_key_file(xcred,
				path("server.pem"), path("server.key"),
				GNUTLS_X509_FMT_PEM);
	if (!ret)
		ret = gnutls_certificate_set_x509_trust_file(xcred,
				path("ca.pem"), GNUTLS_X509_FMT_PEM) == 1 ? 0 : -1;
	if (!ret)
		ret = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE,
					     xcred);
	if (!ret)
		ret = quic_session_set_alpn(session, s->alpns,
					    strlen(s->alpns));
	if (!ret) {
		gnutls_certificate_server_set_request(session,
						      GNUTLS_CERT_REQUIRE);
		gnutls_session_set_verify_cert(session, NULL, 0);
		gnutls_transport_set_int(session, sd);
		ret = quic_handshake(session);
	} else {
		ret = -EINVAL;
	}
	gnutls_deinit(session);
	gnutls_certificate_free_credentials(xcred);
	return ret;
}

/* A server on its own GnuTLS session that resumes sessions under the
 * listener's ticket key but takes no early data: it rejects 0-RTT.
 */
static int server_no_early(int sd, struct server *s)
{
	gnutls_certificate_credentials_t xcred;
	gnutls_session_t session;
	uint8_t key[64];
	socklen_t klen = sizeof(key);
	gnutls_datum_t k = { key, sizeof(key) };
	int ret;

	if (gnutls_init(&session, GNUTLS_SERVER | GNUTLS_NO_END_OF_EARLY_DATA))
		return -ENOMEM;
	gnutls_certificate_allocate_credentials(&xcred);
	ret = gnutls_priority_set_direct(session, QUIC_PRIORITY, NULL);
	if (!ret)
		ret = gnutls_certificate_set_x509_key_file(xcred,
				path("server.pem"), path("server.key"),
				GNUTLS_X509_FMT_PEM);
	if (!ret)
		ret = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE,
					     xcred);
	if (!ret)
		ret = getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_SESSION_TICKET,
				 key, &klen) ? -1 :
		      gnutls_session_ticket_enable_server(session, &k);
	if (!ret)
		ret = quic_session_set_alpn(session, s->alpns,
					    strlen(s->alpns));
	if (!ret) {
		gnutls_transport_set_int(session, sd);
		ret = quic_handshake(session);
	} else {
		ret = -EINVAL;
	}
	gnutls_deinit(session);
	gnutls_certificate_free_credentials(xcred);
	return ret;
}

static void *server_thread(void *arg)
{
	struct server *s = arg;
	int sd = accept(s->listener, NULL, NULL);

	if (sd < 0) {
		s->ret = -errno;
		return NULL;
	}
	if (s->no_early)
		s->ret = server_no_early(sd, s);
	else if (s->require_cert)
		s->ret = server_require_cert(sd, s);
	else if (s->psk)
		s->ret = quic_server_handshake(sd, path("psk.txt"), NULL,
					       s->alpns);
	else
		s->ret = quic_server_handshake(sd, path("server.key"),
					       path("server.pem"), s->alpns);
	s->got_version = config_version(sd);
	if (!s->ret && s->echo) {
		uint32_t flags = 0;
		int64_t sid = -1;
		ssize_t n;

		n = quic_recvmsg(sd, s->got, sizeof(s->got) - 1, &sid, &flags);
		if (n > 0) {
			s->got[n] = '\0';
			quic_sendmsg(sd, s->got, n, sid, MSG_QUIC_STREAM_FIN);
		}
	}
	close(sd);
	return NULL;
}

struct client {
	int family;
	int psk;
	unsigned int version;
	unsigned int got_version;	/* in use after the handshake */
	int no_compat;		/* disable_compatible_version */
	const char *cipher;	/* GnuTLS priority name, or NULL for all */
	const char *alpns;
	const char *ca;
	int cert;		/* present the client certificate */
	int ret;
	int after;		/* recv() once the server is done: -errno */
	int want_ticket;	/* export resumption data after the handshake */
	uint8_t ticket[4096];
	size_t ticket_len;
	int want_token;		/* wait for a NEW_TOKEN token after it */
	int want_events;	/* NEW_TOKEN and NEW_SESSION_TICKET events */
	int got_token_event;	/* its content equals the token */
	int got_ticket_event;	/* starts with a NewSessionTicket */
	uint8_t token[512];
	socklen_t token_len;
	const uint8_t *use_token;	/* QUIC_SOCKOPT_TOKEN before connect */
	socklen_t use_token_len;
	const uint8_t *resume;	/* resume with this data */
	size_t resume_len;
	int resumed;
	int want_params;	/* keep the server's transport parameters */
	struct quic_transport_param params;
	const struct quic_transport_param *early_params;	/* 0-RTT */
	const char *early_data;	/* sent before the handshake */
	char reply[64];		/* the server's echo of it */
	char alpn[64];
	gnutls_cipher_algorithm_t negotiated;
};

/* Read notifications for up to 2 s, until both expected types came. */
static void read_events(int sd, struct client *c)
{
	uint8_t buf[4096], token[512];
	struct pollfd pfd = { .fd = sd, .events = POLLIN };
	struct msghdr msg = { 0 };
	struct iovec iov;
	socklen_t tlen;
	ssize_t n;
	int i;

	for (i = 0; i < 100 && !(c->got_token_event && c->got_ticket_event);
	     i++) {
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_flags = 0;
		n = recvmsg(sd, &msg, MSG_DONTWAIT);
		if (n < 1 || !(msg.msg_flags & MSG_QUIC_NOTIFICATION))
			break;
		if (buf[0] == QUIC_EVENT_NEW_TOKEN) {
			tlen = sizeof(token);
			c->got_token_event =
				!getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TOKEN,
					    token, &tlen) &&
				tlen == n - 1 && !memcmp(token, buf + 1, tlen);
		} else if (buf[0] == QUIC_EVENT_NEW_SESSION_TICKET) {
			/* TLS HandshakeType new_session_ticket(4) */
			c->got_ticket_event = n > 4 && buf[1] == 4;
		}
	}
}

static int client_handshake(int sd, struct client *c)
{
	gnutls_certificate_credentials_t xcred = NULL;
	gnutls_psk_client_credentials_t pcred = NULL;
	char prio[512], id[64], key[256];
	gnutls_session_t session;
	gnutls_datum_t k;
	size_t len;
	FILE *f;
	int ret;

	if (gnutls_init(&session, GNUTLS_CLIENT | GNUTLS_NO_END_OF_EARLY_DATA |
			(c->early_data ? GNUTLS_ENABLE_EARLY_DATA : 0)))
		return -ENOMEM;
	if (c->cipher)
		snprintf(prio, sizeof(prio), "%s:-CIPHER-ALL:+%s", QUIC_PRIORITY,
			 c->cipher);
	else
		snprintf(prio, sizeof(prio), "%s", QUIC_PRIORITY);
	ret = gnutls_priority_set_direct(session, prio, NULL);
	if (c->psk) {
		f = fopen(path("psk.txt"), "r");
		if (!f || fscanf(f, "%63[^:]:%255s", id, key) != 2)
			ret = -1;
		if (f)
			fclose(f);
		k.data = (unsigned char *)key;
		k.size = strlen(key);
		if (!ret)
			ret = gnutls_psk_allocate_client_credentials(&pcred);
		if (!ret)
			ret = gnutls_psk_set_client_credentials(pcred, id, &k,
								GNUTLS_PSK_KEY_HEX);
		if (!ret)
			ret = gnutls_credentials_set(session, GNUTLS_CRD_PSK, pcred);
	} else {
		if (!ret)
			ret = gnutls_certificate_allocate_credentials(&xcred);
		if (!ret)
			ret = gnutls_certificate_set_x509_trust_file(xcred,
					path(c->ca), GNUTLS_X509_FMT_PEM) == 1 ? 0 : -1;
		if (!ret && c->cert)
			ret = gnutls_certificate_set_x509_key_file(xcred,
					path("client.pem"), path("client.key"),
					GNUTLS_X509_FMT_PEM);
		if (!ret)
			ret = gnutls_credentials_set(session,
						     GNUTLS_CRD_CERTIFICATE, xcred);
		gnutls_server_name_set(session, GNUTLS_NAME_DNS, "localhost", 9);
		gnutls_session_set_verify_cert(session, "localhost", 0);
	}
	if (!ret && c->alpns)
		ret = quic_session_set_alpn(session, c->alpns, strlen(c->alpns));
	if (!ret && c->resume)
		ret = quic_session_set_data(session, c->resume, c->resume_len);
	if (ret) {
		ret = -EINVAL;
		goto out;
	}
	gnutls_transport_set_int(session, sd);
	ret = quic_handshake(session);
	if (!ret && c->want_events)
		read_events(sd, c);
	if (!ret) {
		len = sizeof(c->alpn) - 1;
		if (!quic_session_get_alpn(session, c->alpn, &len))
			c->alpn[len] = '\0';
		c->negotiated = gnutls_cipher_get(session);
		c->resumed = gnutls_session_is_resumed(session);
	}
	if (!ret && c->want_ticket) {
		socklen_t tlen;
		char t[4096];
		int i;

		/* the ticket comes after the handshake (allow 5 s: slow
		 * guests, every packet completed asynchronously)
		 */
		for (i = 0; i < 250; i++) {
			tlen = sizeof(t);
			if (!getsockopt(sd, SOL_QUIC,
					QUIC_SOCKOPT_SESSION_TICKET, t, &tlen) &&
			    tlen)
				break;
			usleep(20000);
		}
		c->ticket_len = sizeof(c->ticket);
		if (quic_session_get_data(session, c->ticket, &c->ticket_len))
			c->ticket_len = 0;
	}
	if (!ret && c->want_token) {
		int i;

		for (i = 0; i < 100; i++) {
			c->token_len = sizeof(c->token);
			if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TOKEN,
				       c->token, &c->token_len))
				c->token_len = 0;
			if (c->token_len)
				break;
			usleep(20000);
		}
	}
out:
	gnutls_deinit(session);
	if (xcred)
		gnutls_certificate_free_credentials(xcred);
	if (pcred)
		gnutls_psk_free_client_credentials(pcred);
	return ret;
}

/* One handshake; returns the client's result, the server's in *sret. */
static int run(struct client *c, struct server *s)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct quic_config cfg = { 0 };
	struct timeval tv = { 30, 0 };
	socklen_t len, clen = sizeof(cfg);
	pthread_t t;
	int sd;

	ss.ss_family = c->family;
	if (c->family == AF_INET6)
		a6->sin6_addr = in6addr_loopback;
	else
		a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	len = c->family == AF_INET6 ? sizeof(*a6) : sizeof(*a4);
	sd = socket(c->family, SOCK_DGRAM, IPPROTO_QUIC);
	if (s->existing) {
		ss = s->ss;
		len = s->len;
	} else {
		s->listener = socket(c->family, SOCK_DGRAM, IPPROTO_QUIC);
		if (s->listener < 0 || sd < 0)
			return -errno;
		/* the configuration is fixed by listen() */
		getsockopt(s->listener, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg,
			   &clen);
		cfg.validate_peer_address = s->validate;
		if (s->version)
			cfg.version = s->version;
		if (setsockopt(s->listener, SOL_QUIC, QUIC_SOCKOPT_CONFIG,
			       &cfg, clen) ||
		    bind(s->listener, (struct sockaddr *)&ss, len) ||
		    getsockname(s->listener, (struct sockaddr *)&ss, &len) ||
		    listen(s->listener, 4))
			return -errno;
		s->ss = ss;
		s->len = len;
		clen = sizeof(cfg);
		if (s->ticket_key) {
			uint8_t key[64];
			socklen_t klen = sizeof(key);

			if (setsockopt(s->listener, SOL_QUIC,
				       QUIC_SOCKOPT_SESSION_TICKET,
				       s->ticket_key, 64))
				return -errno;
			s->key_ok = !getsockopt(s->listener, SOL_QUIC,
						QUIC_SOCKOPT_SESSION_TICKET,
						key, &klen) &&
				    klen == 64 && !memcmp(key, s->ticket_key, 64);
		}
	}
	setsockopt(s->listener, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(sd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen);
	cfg.version = c->version;
	setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, clen);
	if (c->use_token &&
	    setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TOKEN, c->use_token,
		       c->use_token_len))
		return -errno;
	if (c->want_events) {
		struct quic_event_option ev = { QUIC_EVENT_NEW_TOKEN, 1 };

		if (setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_EVENT, &ev,
			       sizeof(ev)))
			return -errno;
		ev.type = QUIC_EVENT_NEW_SESSION_TICKET;
		if (setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_EVENT, &ev,
			       sizeof(ev)))
			return -errno;
	}
	if (c->no_compat) {
		struct quic_transport_param tp = { 0 };
		socklen_t tlen = sizeof(tp);

		getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &tp, &tlen);
		tp.disable_compatible_version = 1;
		setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &tp, tlen);
	}
	s->ret = -EINPROGRESS;
	pthread_create(&t, NULL, server_thread, s);
	if (connect(sd, (struct sockaddr *)&ss, len))
		c->ret = -errno;
	else if (c->early_params &&
		 setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM,
			    c->early_params, sizeof(*c->early_params)))
		c->ret = -errno;
	else if (c->early_data &&
		 quic_sendmsg(sd, c->early_data, strlen(c->early_data), -1,
			      MSG_QUIC_STREAM_NEW | MSG_QUIC_STREAM_FIN) < 0)
		c->ret = -errno;
	else
		c->ret = client_handshake(sd, c);
	if (!c->ret && c->want_params) {
		socklen_t plen = sizeof(c->params);

		c->params.remote = 1;
		if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM,
			       &c->params, &plen))
			c->ret = -errno;
	}
	if (!c->ret && c->early_data) {
		uint32_t flags = 0;
		int64_t sid = -1;
		ssize_t n;

		n = quic_recvmsg(sd, c->reply, sizeof(c->reply) - 1, &sid,
				 &flags);
		if (n < 0)
			c->ret = -errno;
		else
			c->reply[n] = '\0';
	}
	c->got_version = config_version(sd);
	/* a client that succeeded lets the server complete before closing;
	 * one that failed closes, which tells the server
	 */
	if (c->ret)
		close(sd);
	pthread_join(t, NULL);
	if (!c->ret) {
		struct pollfd pfd = { .fd = sd, .events = POLLIN };
		char b;

		poll(&pfd, 1, 2000);
		c->after = recv(sd, &b, 1, MSG_DONTWAIT) < 0 ? -errno : 0;
		close(sd);
	}
	if (!s->keep)
		close(s->listener);
	return c->ret;
}

/* Two listeners on one port (SO_REUSEPORT, one owner), told apart by
 * ALPN.
 */
static void test_alpn_dispatch(void)
{
	int one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct timeval tv = { 30, 0 };
	struct server s[2] = { { .alpns = NULL }, { .alpns = NULL } };
	const char *names[2] = { "alpha", "beta" };
	socklen_t len = sizeof(a);
	struct pollfd pfd;
	pthread_t t;
	int i, sd, other;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 2; i++) {
		s[i].listener = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
		if (setsockopt(s[i].listener, SOL_SOCKET, SO_REUSEPORT, &one,
			       sizeof(one)) ||
		    bind(s[i].listener, (struct sockaddr *)&a, len) ||
		    getsockname(s[i].listener, (struct sockaddr *)&a, &len) ||
		    setsockopt(s[i].listener, SOL_QUIC, QUIC_SOCKOPT_ALPN,
			       names[i], strlen(names[i])) ||
		    listen(s[i].listener, 4)) {
			CHECK(0, "two listeners on one port (errno %d)", errno);
			return;
		}
		setsockopt(s[i].listener, SOL_SOCKET, SO_RCVTIMEO, &tv,
			   sizeof(tv));
	}
	for (i = 1; i >= 0; i--) {
		struct client c = {
			.family = AF_INET, .version = QUIC_VERSION_V1,
			.alpns = names[i], .ca = "ca.pem",
		};

		other = s[!i].listener;
		s[i].ret = -EINPROGRESS;
		pthread_create(&t, NULL, server_thread, &s[i]);
		sd = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
		setsockopt(sd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		c.ret = connect(sd, (struct sockaddr *)&a, len) ? -errno :
			client_handshake(sd, &c);
		if (c.ret)
			close(sd);
		pthread_join(t, NULL);
		if (!c.ret)
			close(sd);
		pfd.fd = other;
		pfd.events = POLLIN;
		CHECK(!c.ret && !s[i].ret && !strcmp(c.alpn, names[i]) &&
		      poll(&pfd, 1, 0) == 0,
		      "ALPN %s reaches the listener for %s, not the other (client %d, server %d)",
		      names[i], names[i], c.ret, s[i].ret);
	}
	close(s[0].listener);
	close(s[1].listener);
}

/* 0-RTT: a resumed client sends stream data before the handshake; a
 * server that takes early data reads it from 0-RTT packets, one that
 * does not gets it again in 1-RTT packets.
 */
static void test_zero_rtt(void)
{
	static const char *const what[2] = { "accepted", "rejected" };
	int reject;

	for (reject = 0; reject < 2; reject++) {
		struct client c = {
			.family = AF_INET, .version = QUIC_VERSION_V1,
			.alpns = "quictest", .ca = "ca.pem", .want_ticket = 1,
			.want_params = 1,
		};
		struct server s = { .alpns = "quictest", .keep = 1 };
		struct client r = {
			.family = AF_INET, .version = QUIC_VERSION_V1,
			.alpns = "quictest", .ca = "ca.pem",
			.early_data = reject ? "early, rejected" : "early!",
		};
		struct server s2;
		long snd, rcv;

		run(&c, &s);
		s2 = s;
		s2.keep = 0;
		s2.existing = 1;
		s2.echo = 1;
		s2.no_early = reject;
		CHECK(!c.ret && !s.ret && c.ticket_len > 0 && c.params.max_data,
		      "0-RTT %s: the first connection yields session data and the server's transport parameters (client %d, server %d, %zu bytes)",
		      what[reject], c.ret, s.ret, c.ticket_len);
		if (!c.ticket_len) {
			close(s.listener);
			continue;
		}
		r.resume = c.ticket;
		r.resume_len = c.ticket_len;
		r.early_params = &c.params;
		snd = quic_mib("Quic0RttPktSnd");
		rcv = quic_mib("Quic0RttPktRcv");
		run(&r, &s2);
		CHECK(!r.ret && !s2.ret && r.resumed &&
		      quic_mib("Quic0RttPktSnd") > snd,
		      "0-RTT %s: the resumed client sends its data in 0-RTT packets (client %d, server %d, resumed %d)",
		      what[reject], r.ret, s2.ret, r.resumed);
		CHECK(reject ? quic_mib("Quic0RttPktRcv") == rcv :
			       quic_mib("Quic0RttPktRcv") > rcv,
		      "0-RTT %s: the server %s them", what[reject],
		      reject ? "drops" : "decrypts");
		CHECK(!strcmp(s2.got, r.early_data) &&
		      !strcmp(r.reply, r.early_data),
		      "0-RTT %s: the server reads the data and echoes it (\"%s\", \"%s\")",
		      what[reject], s2.got, r.reply);
	}
}

/* Two listeners given the same session ticket key resume each other's
 * sessions.
 */
static void test_shared_ticket_key(void)
{
	static const uint8_t key[64] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	struct client c = {
		.family = AF_INET, .version = QUIC_VERSION_V1,
		.alpns = "quictest", .ca = "ca.pem", .want_ticket = 1,
	};
	struct client r = {
		.family = AF_INET, .version = QUIC_VERSION_V1,
		.alpns = "quictest", .ca = "ca.pem",
	};
	struct server a = { .alpns = "quictest", .ticket_key = key };
	struct server b = { .alpns = "quictest", .ticket_key = key };

	run(&c, &a);
	CHECK(!c.ret && !a.ret && a.key_ok && c.ticket_len > 0,
	      "SESSION_TICKET: a listener takes a ticket key and reports it back (client %d, server %d)",
	      c.ret, a.ret);
	r.resume = c.ticket;
	r.resume_len = c.ticket_len;
	run(&r, &b);
	CHECK(!r.ret && !b.ret && r.resumed,
	      "SESSION_TICKET: another listener with the same key resumes the session (client %d, server %d, resumed %d)",
	      r.ret, b.ret, r.resumed);
}

/* Compatible version negotiation (RFC 9368): a server that prefers v2
 * moves a v1 client to v2 unless the client disables it.
 */
static void test_compatible_version(void)
{
	static const struct {
		unsigned int client, server;
		int family, psk, no_compat, validate;
		unsigned int want;
		const char *what;
	} t[] = {
		{ QUIC_VERSION_V1, QUIC_VERSION_V2, AF_INET, 0, 0, 0,
		  QUIC_VERSION_V2, "v1 client, v2 server: upgraded to v2" },
		{ QUIC_VERSION_V1, QUIC_VERSION_V2, AF_INET6, 1, 0, 0,
		  QUIC_VERSION_V2, "v1 client, v2 server, PSK, IPv6: upgraded to v2" },
		{ QUIC_VERSION_V1, QUIC_VERSION_V2, AF_INET, 0, 0, 1,
		  QUIC_VERSION_V2, "v1 client, v2 server after a Retry: upgraded to v2" },
		{ QUIC_VERSION_V2, QUIC_VERSION_V1, AF_INET, 0, 0, 0,
		  QUIC_VERSION_V2, "v2 client, v1 server: stays v2 (no downgrade)" },
		{ QUIC_VERSION_V1, QUIC_VERSION_V2, AF_INET, 0, 1, 0,
		  QUIC_VERSION_V1, "v1 client with disable_compatible_version, v2 server: stays v1" },
		{ QUIC_VERSION_V2, QUIC_VERSION_V2, AF_INET, 0, 0, 0,
		  QUIC_VERSION_V2, "v2 client, v2 server: v2" },
	};
	unsigned int i;
	long up;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct client c = {
			.family = t[i].family, .version = t[i].client,
			.psk = t[i].psk, .no_compat = t[i].no_compat,
			.alpns = "quictest", .ca = "ca.pem",
		};
		struct server s = {
			.alpns = "quictest", .psk = t[i].psk,
			.version = t[i].server, .validate = t[i].validate,
		};

		up = quic_mib("QuicVersionUpgraded");
		run(&c, &s);
		/* both ends count a change */
		CHECK(!c.ret && !s.ret && c.got_version == t[i].want &&
		      s.got_version == t[i].want &&
		      quic_mib("QuicVersionUpgraded") - up ==
		      (t[i].want != t[i].client ? 2 : 0),
		      "compatible VN: %s (client %d v%#x, server %d v%#x)",
		      t[i].what, c.ret, c.got_version, s.ret, s.got_version);
	}
}

/* NEW_TOKEN (RFC 9000 section 8.1.3): a server validating addresses hands
 * out a token; a later connection that presents it skips the Retry, one
 * that presents it again (section 8.1.4) or a forged token gets a Retry
 * and still connects.
 */
static void test_new_token(void)
{
	struct client c = {
		.family = AF_INET, .version = QUIC_VERSION_V1,
		.alpns = "quictest", .ca = "ca.pem", .want_token = 1,
	};
	struct server s = { .alpns = "quictest", .validate = 1, .keep = 1 };
	struct client r = c, f = c;
	struct server s2, s3;
	static uint8_t big[1025];
	uint8_t forged[29];
	long retries, ok;
	socklen_t len;
	int sd;

	run(&c, &s);
	CHECK(!c.ret && !s.ret && c.token_len > 0,
	      "NEW_TOKEN: the client reads the server's token with QUIC_SOCKOPT_TOKEN (%u bytes)",
	      (unsigned int)c.token_len);

	s2 = s;
	s2.existing = 1;
	r.want_token = 0;
	r.use_token = c.token;
	r.use_token_len = c.token_len;
	retries = quic_mib("QuicRetrySnd");
	ok = quic_mib("QuicTokenNewValid");
	run(&r, &s2);
	CHECK(!r.ret && !s2.ret && quic_mib("QuicRetrySnd") == retries &&
	      quic_mib("QuicTokenNewValid") == ok + 1,
	      "NEW_TOKEN: a connection with the token skips the Retry (client %d, server %d, Retry %ld)",
	      r.ret, s2.ret, quic_mib("QuicRetrySnd") - retries);

	/* the same token again, for another connection: a replay */
	s2 = s;
	s2.existing = 1;
	r.ret = 0;
	retries = quic_mib("QuicRetrySnd");
	ok = quic_mib("QuicTokenNewReplayed");
	run(&r, &s2);
	CHECK(!r.ret && !s2.ret && quic_mib("QuicRetrySnd") == retries + 1 &&
	      quic_mib("QuicTokenNewReplayed") == ok + 1,
	      "NEW_TOKEN: the token used again for another connection validates nothing: a Retry, then it connects (client %d, server %d)",
	      r.ret, s2.ret);

	s3 = s;
	s3.existing = 1;
	s3.keep = 0;
	memcpy(forged, c.token, sizeof(forged));
	forged[sizeof(forged) - 1] ^= 1;
	f.want_token = 0;
	f.use_token = forged;
	f.use_token_len = c.token_len < sizeof(forged) ? c.token_len :
			  sizeof(forged);
	retries = quic_mib("QuicRetrySnd");
	run(&f, &s3);
	CHECK(!f.ret && !s3.ret && quic_mib("QuicRetrySnd") == retries + 1,
	      "NEW_TOKEN: a forged token gets a Retry, then connects (client %d, server %d)",
	      f.ret, s3.ret);

	sd = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	memset(forged, 0, sizeof(forged));
	len = sizeof(forged);
	CHECK(!getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TOKEN, forged, &len) &&
	      len == 0 &&
	      setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TOKEN, big, sizeof(big)) < 0 &&
	      errno == EINVAL &&
	      !setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TOKEN, big, 256),
	      "QUIC_SOCKOPT_TOKEN: none kept yet; 1025 bytes are refused, 256 (other servers' size) taken");
	close(sd);
}

/* NEW_TOKEN and NEW_SESSION_TICKET events through recvmsg() with
 * MSG_QUIC_NOTIFICATION.
 */
static void test_events(void)
{
	struct client c = {
		.family = AF_INET6, .version = QUIC_VERSION_V2,
		.alpns = "quictest", .ca = "ca.pem", .want_events = 1,
	};
	struct server s = { .alpns = "quictest" };

	run(&c, &s);
	CHECK(!c.ret && !s.ret && c.got_token_event,
	      "events: NEW_TOKEN carries the token QUIC_SOCKOPT_TOKEN reads (client %d, server %d)",
	      c.ret, s.ret);
	CHECK(!c.ret && !s.ret && c.got_ticket_event,
	      "events: NEW_SESSION_TICKET carries the NewSessionTicket message");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *prio;
		gnutls_cipher_algorithm_t alg;
	} ciphers[] = {
		{ "AES-128-GCM", GNUTLS_CIPHER_AES_128_GCM },
		{ "AES-256-GCM", GNUTLS_CIPHER_AES_256_GCM },
		{ "CHACHA20-POLY1305", GNUTLS_CIPHER_CHACHA20_POLY1305 },
	};
	static const unsigned int versions[] = { QUIC_VERSION_V1, QUIC_VERSION_V2 };
	static const int families[] = { AF_INET, AF_INET6 };
	unsigned int p, v, i, f;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CERTDIR\n", argv[0]);
		return 2;
	}
	certdir = argv[1];
	if (getenv("QUIC_DEBUG"))
		quic_set_log_level(7);
	printf("TAP version 13\n");

	for (p = 0; p < 2; p++)
		for (v = 0; v < 2; v++)
			for (i = 0; i < 3; i++)
				for (f = 0; f < 2; f++) {
					/* GnuTLS binds external PSKs to SHA-256 */
					if (p && ciphers[i].alg ==
					    GNUTLS_CIPHER_AES_256_GCM)
						continue;
					struct client c = {
						.family = families[f], .psk = p,
						.version = versions[v],
						.cipher = ciphers[i].prio,
						.alpns = "quictest", .ca = "ca.pem",
					};
					struct server s = {
						.psk = p, .alpns = "h3,quictest",
					};

					run(&c, &s);
					CHECK(!c.ret && !s.ret &&
					      c.negotiated == ciphers[i].alg &&
					      !strcmp(c.alpn, "quictest"),
					      "%s, QUIC v%u, %s, %s: handshake (client %d, server %d)",
					      p ? "PSK" : "X.509", v + 1,
					      ciphers[i].prio,
					      f ? "IPv6" : "IPv4", c.ret, s.ret);
				}

	{
		struct client c = {
			.family = AF_INET, .version = QUIC_VERSION_V1,
			.alpns = "h3", .ca = "ca.pem",
		};
		struct server s = { .alpns = "smbd" };

		run(&c, &s);
		CHECK(c.ret == -ECONNRESET && s.ret == -ENOPROTOOPT,
		      "ALPN mismatch fails cleanly (client %d, server %d)",
		      c.ret, s.ret);
	}
	{
		struct client c = {
			.family = AF_INET, .version = QUIC_VERSION_V1,
			.alpns = "quictest", .ca = "other-ca.pem",
		};
		struct server s = { .alpns = "quictest" };

		run(&c, &s);
		CHECK(c.ret == -EKEYREJECTED && s.ret == -ECONNRESET,
		      "a certificate from an unknown CA is rejected (client %d, server %d)",
		      c.ret, s.ret);
	}
	{
		struct client c = {
			.family = AF_INET, .version = QUIC_VERSION_V1,
			.alpns = "quictest", .ca = "ca.pem", .cert = 1,
		};
		struct server s = { .alpns = "quictest", .require_cert = 1 };

		run(&c, &s);
		CHECK(!c.ret && !s.ret,
		      "client certificate required and presented (client %d, server %d)",
		      c.ret, s.ret);
	}
	{
		struct client c = {
			.family = AF_INET6, .version = QUIC_VERSION_V2,
			.alpns = "quictest", .ca = "ca.pem",
		};
		struct server s = { .alpns = "quictest", .require_cert = 1 };

		run(&c, &s);
		/* TLS 1.3: the client is done before the server checks */
		CHECK(s.ret < 0 && (c.ret < 0 || c.after == -ECONNRESET),
		      "client certificate required and missing: the server refuses, the client sees the connection reset (client %d/%d, server %d)",
		      c.ret, c.after, s.ret);
	}
	for (f = 0; f < 2; f++) {
		struct client c = {
			.family = families[f], .version = versions[f],
			.alpns = "quictest", .ca = "ca.pem",
		};
		struct server s = { .alpns = "quictest", .validate = 1 };
		long retries = quic_mib("QuicRetrySnd"), ok = quic_mib("QuicTokenRetryValid");

		run(&c, &s);
		CHECK(!c.ret && !s.ret && quic_mib("QuicRetrySnd") == retries + 1 &&
		      quic_mib("QuicTokenRetryValid") == ok + 1,
		      "Retry: a server validating addresses, QUIC v%u, %s (client %d, server %d)",
		      f + 1, f ? "IPv6" : "IPv4", c.ret, s.ret);
	}
	{
		struct client c = {
			.family = AF_INET, .version = QUIC_VERSION_V1,
			.alpns = "quictest", .ca = "ca.pem", .want_ticket = 1,
		};
		struct server s = { .alpns = "quictest", .keep = 1 };
		struct client r = {
			.family = AF_INET, .version = QUIC_VERSION_V1,
			.alpns = "quictest", .ca = "ca.pem",
		};
		struct server s2;

		run(&c, &s);
		s2 = s;
		s2.keep = 0;
		s2.existing = 1;
		CHECK(!c.ret && !s.ret && c.ticket_len > 0,
		      "resumption: the first connection yields session data (%zu bytes)",
		      c.ticket_len);
		r.resume = c.ticket;
		r.resume_len = c.ticket_len;
		if (c.ticket_len)
			run(&r, &s2);
		else
			close(s.listener);
		CHECK(c.ticket_len && !r.ret && !s2.ret && r.resumed,
		      "resumption: a second connection resumes the session (client %d, server %d, resumed %d)",
		      r.ret, s2.ret, r.resumed);
	}
	test_alpn_dispatch();
	test_shared_ticket_key();
	test_compatible_version();
	test_new_token();
	test_events();
	test_zero_rtt();
	return tap_done("libquic_test");
}
