// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Forging 1-RTT packets of a live connection, for the hostile-peer tests.
 *
 * The test program runs a real handshake through libquic and catches the
 * 1-RTT send secret libquic hands to the kernel (this file defines
 * setsockopt(), which libquic's calls reach first, and passes every call
 * on).  From the secret come the packet protection keys (RFC 9001
 * section 5.1, HKDF-Expand-Label "quic key", "quic iv", "quic hp"); a
 * packet is then built as RFC 9001 section 5.3 and 5.4 say: AEAD over the
 * payload with the header as associated data, the nonce the IV XOR the
 * packet number, and header protection from a sample of the ciphertext
 * (AES-ECB or ChaCha20).  forge_send() puts it on the wire from any
 * address through a raw socket, so that it arrives as the client's (or a
 * spoofed address's).
 */

#define _GNU_SOURCE	/* RTLD_NEXT */

#include <dlfcn.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <linux/tls.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include <netinet/quic.h>

#include "quic_forge.h"

/* ---- the secrets libquic sets ---- */

#define FORGE_SOCKETS	16

static struct {
	int sd;
	struct quic_crypto_secret s;
} seen[FORGE_SOCKETS];
static unsigned int nseen;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

int setsockopt(int sd, int level, int name, const void *val, socklen_t len)
{
	static int (*next)(int, int, int, const void *, socklen_t);
	const struct quic_crypto_secret *s = val;

	if (!next)
		next = (int (*)(int, int, int, const void *, socklen_t))
			dlsym(RTLD_NEXT, "setsockopt");
	if (level == SOL_QUIC && name == QUIC_SOCKOPT_CRYPTO_SECRET &&
	    len >= sizeof(*s) && s->send && s->level == QUIC_CRYPTO_APP) {
		pthread_mutex_lock(&seen_lock);
		seen[nseen % FORGE_SOCKETS].sd = sd;
		seen[nseen % FORGE_SOCKETS].s = *s;
		nseen++;
		pthread_mutex_unlock(&seen_lock);
	}
	return next(sd, level, name, val, len);
}

static int find_secret(int sd, struct quic_crypto_secret *out)
{
	unsigned int i;
	int ret = -1;

	pthread_mutex_lock(&seen_lock);
	for (i = 0; i < nseen && i < FORGE_SOCKETS; i++)
		if (seen[i].sd == sd) {
			*out = seen[i].s;
			ret = 0;
		}
	pthread_mutex_unlock(&seen_lock);
	return ret;
}

/* ---- keys ---- */

int forge_expand_label(int mac, const gnutls_datum_t *secret,
		       const char *label, uint8_t *out, size_t len)
{
	uint8_t info[64];
	size_t n = strlen(label), i = 0;
	gnutls_datum_t d;

	info[i++] = len >> 8;
	info[i++] = len;
	info[i++] = 6 + n;
	memcpy(info + i, "tls13 ", 6);
	memcpy(info + i + 6, label, n);
	i += 6 + n;
	info[i++] = 0;			/* no context */
	d.data = info;
	d.size = i;
	return gnutls_hkdf_expand(mac, secret, &d, out, len);
}

int forge_init(struct forge *f, int sd, const uint8_t *dcid, size_t len,
	       uint64_t first_pn)
{
	struct quic_crypto_secret s;
	gnutls_datum_t d;
	int mac;

	memset(f, 0, sizeof(*f));
	if (len > sizeof(f->dcid) || find_secret(sd, &s))
		return -1;
	switch (s.type) {
	case TLS_CIPHER_AES_GCM_128:
		f->aead = GNUTLS_CIPHER_AES_128_GCM;
		f->hp = GNUTLS_CIPHER_AES_128_CBC;
		f->klen = 16;
		mac = GNUTLS_MAC_SHA256;
		d.size = 32;
		break;
	case TLS_CIPHER_AES_GCM_256:
		f->aead = GNUTLS_CIPHER_AES_256_GCM;
		f->hp = GNUTLS_CIPHER_AES_256_CBC;
		f->klen = 32;
		mac = GNUTLS_MAC_SHA384;
		d.size = 48;
		break;
	case TLS_CIPHER_CHACHA20_POLY1305:
		f->aead = GNUTLS_CIPHER_CHACHA20_POLY1305;
		f->hp = GNUTLS_CIPHER_CHACHA20_32;
		f->klen = 32;
		mac = GNUTLS_MAC_SHA256;
		d.size = 32;
		break;
	default:
		return -1;
	}
	d.data = s.secret;
	if (forge_expand_label(mac, &d, "quic key", f->key, f->klen) ||
	    forge_expand_label(mac, &d, "quic iv", f->iv, sizeof(f->iv)) ||
	    forge_expand_label(mac, &d, "quic hp", f->hpkey, f->klen))
		return -1;
	memcpy(f->dcid, dcid, len);
	f->dcid_len = len;
	f->pn = first_pn;
	return 0;
}

/* The header protection mask of a 16-byte sample: AES of one block (CBC
 * with a zero IV), or ChaCha20 with the sample as counter and nonce.
 */
static int hp_mask(const struct forge *f, const uint8_t *sample,
		   uint8_t *mask)
{
	uint8_t iv[16] = { 0 }, zero[16] = { 0 };
	gnutls_datum_t k = { (uint8_t *)f->hpkey, f->klen };
	gnutls_datum_t v = { iv, 16 };
	gnutls_cipher_hd_t h;
	int err;

	if (f->hp == GNUTLS_CIPHER_CHACHA20_32)
		memcpy(iv, sample, 16);
	if (gnutls_cipher_init(&h, f->hp, &k, &v))
		return -1;
	if (f->hp == GNUTLS_CIPHER_CHACHA20_32)
		err = gnutls_cipher_encrypt2(h, zero, 16, mask, 16);
	else
		err = gnutls_cipher_encrypt2(h, sample, 16, mask, 16);
	gnutls_cipher_deinit(h);
	return err ? -1 : 0;
}

ssize_t forge_1rtt(struct forge *f, uint8_t *out, size_t size,
		   const uint8_t *payload, size_t plen)
{
	uint8_t nonce[12], mask[16];
	gnutls_aead_cipher_hd_t h;
	gnutls_datum_t key = { f->key, f->klen };
	size_t n = 0, pn_off, clen, i;
	uint64_t pn = f->pn;
	int err;

	/* the sample needs 4 bytes of payload after the packet number */
	if (plen < 4 || 1 + f->dcid_len + 4 + plen + 16 > size)
		return -1;
	out[n++] = 0x43;		/* short header, 4-byte number */
	memcpy(out + n, f->dcid, f->dcid_len);
	n += f->dcid_len;
	pn_off = n;
	for (i = 0; i < 4; i++)
		out[n++] = pn >> (24 - 8 * i);
	memcpy(nonce, f->iv, sizeof(nonce));
	for (i = 0; i < 8; i++)
		nonce[4 + i] ^= pn >> (56 - 8 * i);
	if (gnutls_aead_cipher_init(&h, f->aead, &key))
		return -1;
	clen = size - n;
	err = gnutls_aead_cipher_encrypt(h, nonce, sizeof(nonce), out, n, 16,
					 payload, plen, out + n, &clen);
	gnutls_aead_cipher_deinit(h);
	if (err || hp_mask(f, out + pn_off + 4, mask))
		return -1;
	out[0] ^= mask[0] & 0x1f;
	for (i = 0; i < 4; i++)
		out[pn_off + i] ^= mask[1 + i];
	f->pn++;
	return n + clen;
}

int forge_send(int raw, const struct sockaddr_in *from,
	       const struct sockaddr_in *to, const uint8_t *buf, size_t len)
{
	uint8_t pkt[2048];
	struct iphdr *ip = (struct iphdr *)pkt;
	struct udphdr *uh = (struct udphdr *)(pkt + sizeof(*ip));
	size_t n = sizeof(*ip) + sizeof(*uh) + len;

	if (n > sizeof(pkt))
		return -1;
	memset(pkt, 0, sizeof(*ip) + sizeof(*uh));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->frag_off = htons(0x4000);	/* DF */
	ip->tot_len = htons(n);		/* the kernel fills it and the sum */
	ip->saddr = from->sin_addr.s_addr;
	ip->daddr = to->sin_addr.s_addr;
	uh->source = from->sin_port;
	uh->dest = to->sin_port;
	uh->len = htons(sizeof(*uh) + len);
	uh->check = 0;			/* none, as IPv4 allows */
	memcpy(pkt + sizeof(*ip) + sizeof(*uh), buf, len);
	return sendto(raw, pkt, n, 0, (const struct sockaddr *)to,
		      sizeof(*to)) == (ssize_t)n ? 0 : -1;
}

static size_t varint4(uint8_t *p, uint32_t v)
{
	p[0] = 0x80 | v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
	return 4;
}

size_t forge_stream_frame(uint8_t *p, uint64_t id, uint64_t off,
			  const uint8_t *data, uint16_t len, int fin)
{
	size_t n = 0;

	p[n++] = 0x0e | !!fin;		/* STREAM with OFF and LEN */
	n += varint4(p + n, id);
	n += varint4(p + n, off);
	p[n++] = 0x40 | len >> 8;
	p[n++] = len;
	memcpy(p + n, data, len);
	return n + len;
}
