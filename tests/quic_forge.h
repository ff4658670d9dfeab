/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Forging 1-RTT packets of a live connection, for the hostile-peer tests:
 * see quic_forge.c.
 */

#ifndef QUIC_FORGE_H
#define QUIC_FORGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <gnutls/gnutls.h>

struct forge {
	int aead, hp;			/* gnutls_cipher_algorithm_t */
	size_t klen;
	uint8_t key[32], iv[12], hpkey[32];
	uint8_t dcid[20];
	size_t dcid_len;
	uint64_t pn;			/* the next packet number */
};

/* HKDF-Expand-Label of TLS 1.3 with an empty context, @mac the
 * gnutls_mac_algorithm_t of the hash: 0 or a GnuTLS error.
 */
int forge_expand_label(int mac, const gnutls_datum_t *secret,
		       const char *label, uint8_t *out, size_t len);
/* The 1-RTT send keys libquic gave socket @sd (captured as it set them),
 * and @dcid: 0, or -1 when none were seen or the cipher is unknown.
 */
int forge_init(struct forge *f, int sd, const uint8_t *dcid, size_t len,
	       uint64_t first_pn);
/* A protected short header packet (key phase 0, 4-byte packet number)
 * carrying @payload: its length, or -1.
 */
ssize_t forge_1rtt(struct forge *f, uint8_t *out, size_t size,
		   const uint8_t *payload, size_t plen);
/* A UDP datagram from @from to @to through a raw IPv4 socket @raw
 * (socket(AF_INET, SOCK_RAW, IPPROTO_RAW)): 0 or -1.
 */
int forge_send(int raw, const struct sockaddr_in *from,
	       const struct sockaddr_in *to, const uint8_t *buf, size_t len);
/* A STREAM frame with offset and length (and FIN): its length. */
size_t forge_stream_frame(uint8_t *p, uint64_t id, uint64_t off,
			  const uint8_t *data, uint16_t len, int fin);

#endif /* QUIC_FORGE_H */
