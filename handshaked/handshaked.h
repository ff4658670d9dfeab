/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * quic-handshaked: the userspace agent that runs the TLS handshake of
 * QUIC sockets created in the kernel.  A kernel consumer asks for a
 * handshake with tls_client_hello_*() or tls_server_hello_*()
 * (net/handshake); the kernel announces it on the "tlshd" multicast group
 * of the "handshake" generic netlink family; the agent accepts the
 * request (which installs the socket in its file table), runs the
 * handshake with libquic and answers DONE with the status and the peer's
 * identities.
 */

#ifndef QUIC_HANDSHAKED_H
#define QUIC_HANDSHAKED_H

#include <stdint.h>
#include <stdarg.h>

#define HSD_MAX_PEERIDS		5
#define HSD_NAME_MAX		256

struct hsd_side {
	char *truststore;		/* PEM file; NULL: the system's */
	char *certificate;		/* PEM file: default certificate */
	char *private_key;		/* PEM file: its key */
};

struct hsd_config {
	int loglevel;			/* 0 errors, 1 notices, 2 debug */
	unsigned int timeout_ms;	/* when the request names none */
	char *keyrings;			/* comma-separated keyring names */
	struct hsd_side client;
	struct hsd_side server;
};

/* One handshake request, as HANDSHAKE_CMD_ACCEPT returned it. */
struct hsd_request {
	int sockfd;
	uint32_t msg_type;		/* HANDSHAKE_MSG_TYPE_* */
	uint32_t auth_mode;		/* HANDSHAKE_AUTH_* */
	uint32_t timeout_ms;
	int32_t keyring;
	int32_t cert;			/* key serials, 0 for none */
	int32_t privkey;
	unsigned int num_peerids;
	int32_t peerids[HSD_MAX_PEERIDS];
	char peername[HSD_NAME_MAX];
	/* results, for DONE */
	unsigned int num_remote;
	int32_t remote[HSD_MAX_PEERIDS];
};

/* config.c */
int hsd_config_load(const char *path, struct hsd_config *cfg);
void hsd_config_free(struct hsd_config *cfg);

/* log (main.c) */
void hsd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define hsd_err(...)	hsd_log(0, __VA_ARGS__)
#define hsd_notice(...)	hsd_log(1, __VA_ARGS__)
#define hsd_debug(...)	hsd_log(2, __VA_ARGS__)

/* netlink.c */
struct hsd_nl;
struct hsd_nl *hsd_nl_open(void);
int hsd_nl_fd(struct hsd_nl *nl);
int hsd_nl_ready(struct hsd_nl *nl);
int hsd_nl_accept(struct hsd_request *req);
int hsd_nl_done(const struct hsd_request *req, unsigned int status);
void hsd_nl_close(struct hsd_nl *nl);

/* keys.c */
int hsd_key_read(int32_t serial, void **data, size_t *len);
int hsd_key_identity(int32_t serial, char *buf, size_t size);
int hsd_key_link_session(int32_t keyring);
void hsd_key_link_named(const char *names);
int32_t hsd_key_add_peer(const char *desc, const void *der, size_t len,
			 int32_t keyring);

/* tls.c */
unsigned int hsd_handshake(const struct hsd_config *cfg,
			   struct hsd_request *req);

#endif /* QUIC_HANDSHAKED_H */
