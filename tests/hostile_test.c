// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A hostile peer and a hostile local user against the module: what they
 * can make it do must stay bounded.  The peer is a plain UDP socket that
 * builds its own client Initial packets (RFC 9001 section 5: keys from
 * the Destination Connection ID, AES-128-GCM and header protection, with
 * GnuTLS), checked first against the RFC 9001 appendix A sample.  Each
 * case asserts a bound and that the module still serves a normal
 * connection afterwards.  Prints TAP; run as root in a test guest.
 *
 *   - Initials with a Destination Connection ID shorter than 8 bytes
 *     make no connection (RFC 9000 section 7.2);
 *   - out-of-order CRYPTO data in 1-byte frames, as fast as the peer
 *     can send it, costs a bounded amount of kernel memory, and a
 *     ClientHello in overlapping pieces out of order is read whole;
 *   - what an unvalidated client sent counts once toward the 3x limit,
 *     also when part of its datagram waited for keys;
 *   - another user cannot listen on an address a listener holds, and
 *     listeners share an address only with SO_REUSEPORT and one owner;
 *   - listeners closed while Initials arrive close cleanly;
 *   - another network namespace cannot learn this one's stateless reset
 *     tokens;
 *   - closing records are bounded per namespace (net.quic.closing_max);
 *   - AEAD usage limits (RFC 9001 section 6.6): keys are updated after
 *     net.quic.key_update_packets packets, and a connection ends with
 *     AEAD_LIMIT_REACHED after net.quic.auth_failure_limit forged
 *     packets (captured on lo with a packet socket, altered, sent again);
 *   - past net.quic.retry_half_open half-open connections, Initials are
 *     answered with Retry;
 *   - with the client's 1-RTT keys (quic_forge.c): a flood of
 *     out-of-order STREAM frames stays within the receive memory and the
 *     stream still arrives whole; PATH_CHALLENGE from a spoofed address
 *     gets at most three times its bytes back.
 *
 * usage: hostile_test CERTDIR [measure]
 *
 * "measure" prints what 200 half-open connections from one spoofing peer
 * hold (slab growth per connection) instead of running the tests.
 */

#define _GNU_SOURCE	/* unshare() */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/tls.h>
#include <net/if.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "quic_forge.h"
#include "quic_pair.h"

/* ---- RFC 9001 section 5.2: client Initial keys ---- */

static const uint8_t salt_v1[20] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};

struct keys {
	uint8_t key[16], iv[12], hp[16];
};

static int expand_label(const gnutls_datum_t *secret, const char *label,
			uint8_t *out, size_t len)
{
	return forge_expand_label(GNUTLS_MAC_SHA256, secret, label, out, len);
}

static int client_keys(const uint8_t *dcid, size_t len, struct keys *k)
{
	uint8_t initial[32], client[32];
	gnutls_datum_t ikm = { (uint8_t *)dcid, len };
	gnutls_datum_t salt = { (uint8_t *)salt_v1, sizeof(salt_v1) };
	gnutls_datum_t s = { initial, sizeof(initial) };

	if (gnutls_hkdf_extract(GNUTLS_MAC_SHA256, &ikm, &salt, initial) ||
	    expand_label(&s, "client in", client, sizeof(client)))
		return -1;
	s.data = client;
	s.size = sizeof(client);
	return expand_label(&s, "quic key", k->key, sizeof(k->key)) ||
	       expand_label(&s, "quic iv", k->iv, sizeof(k->iv)) ||
	       expand_label(&s, "quic hp", k->hp, sizeof(k->hp)) ? -1 : 0;
}

/* AES-128 of one block: CBC with a zero IV. */
static int aes_block(const uint8_t *key, const uint8_t *in, uint8_t *out)
{
	uint8_t iv[16] = { 0 };
	gnutls_datum_t k = { (uint8_t *)key, 16 }, v = { iv, 16 };
	gnutls_cipher_hd_t h;
	int err;

	if (gnutls_cipher_init(&h, GNUTLS_CIPHER_AES_128_CBC, &k, &v))
		return -1;
	err = gnutls_cipher_encrypt2(h, in, 16, out, 16);
	gnutls_cipher_deinit(h);
	return err ? -1 : 0;
}

/*
 * A client long header packet in @out, of @type (0: Initial, with no
 * token; 1: 0-RTT), version 1, a 4-byte packet number, @payload padded
 * with PADDING frames to @padded bytes of plaintext, protected with @k.
 * Returns its length or -1.
 */
static ssize_t build_long(uint8_t *out, size_t size, uint8_t type,
			  const struct keys *k, const uint8_t *dcid,
			  uint8_t dcid_len, const uint8_t *scid,
			  uint8_t scid_len, uint32_t pn,
			  const uint8_t *payload, size_t plen, size_t padded)
{
	uint8_t nonce[12], mask[16], plain[1500];
	gnutls_aead_cipher_hd_t h;
	gnutls_datum_t key;
	size_t n = 0, pn_off, clen, i;
	int err;

	if (plen > padded || padded > sizeof(plain) ||
	    padded + 64 + dcid_len + scid_len > size)
		return -1;
	memcpy(plain, payload, plen);
	memset(plain + plen, 0, padded - plen);

	out[n++] = 0xc3 | type << 4;	/* 4-byte packet number */
	out[n++] = 0;
	out[n++] = 0;
	out[n++] = 0;
	out[n++] = 1;
	out[n++] = dcid_len;
	memcpy(out + n, dcid, dcid_len);
	n += dcid_len;
	out[n++] = scid_len;
	memcpy(out + n, scid, scid_len);
	n += scid_len;
	if (type == 0)
		out[n++] = 0;		/* Initial: token length */
	out[n++] = 0x40 | ((4 + padded + 16) >> 8);
	out[n++] = (4 + padded + 16) & 0xff;
	pn_off = n;
	out[n++] = pn >> 24;
	out[n++] = pn >> 16;
	out[n++] = pn >> 8;
	out[n++] = pn;

	memcpy(nonce, k->iv, sizeof(nonce));
	for (i = 0; i < 4; i++)
		nonce[8 + i] ^= out[pn_off + i];
	key.data = (uint8_t *)k->key;
	key.size = sizeof(k->key);
	if (gnutls_aead_cipher_init(&h, GNUTLS_CIPHER_AES_128_GCM, &key))
		return -1;
	clen = size - n;
	err = gnutls_aead_cipher_encrypt(h, nonce, sizeof(nonce), out, n, 16,
					 plain, padded, out + n, &clen);
	gnutls_aead_cipher_deinit(h);
	if (err)
		return -1;

	/* header protection: the sample starts 4 bytes after the number */
	if (aes_block(k->hp, out + pn_off + 4, mask))
		return -1;
	out[0] ^= mask[0] & 0x0f;
	for (i = 0; i < 4; i++)
		out[pn_off + i] ^= mask[1 + i];
	return n + clen;
}

/* A client Initial (type 0) to @dcid, with the keys it implies. */
static ssize_t build_initial(uint8_t *out, size_t size, const uint8_t *dcid,
			     uint8_t dcid_len, const uint8_t *scid,
			     uint8_t scid_len, uint32_t pn,
			     const uint8_t *payload, size_t plen,
			     size_t padded)
{
	struct keys k;

	if (client_keys(dcid, dcid_len, &k))
		return -1;
	return build_long(out, size, 0, &k, dcid, dcid_len, scid, scid_len,
			  pn, payload, plen, padded);
}

/* Plaintext of @dcid_len and @scid_len's Initial in a 1200-byte datagram. */
static size_t padded_for(uint8_t dcid_len, uint8_t scid_len)
{
	return 1200 - 14 - dcid_len - scid_len - 16;
}

/* RFC 9001 appendix A.2: the protected client Initial starts so. */
static void test_vector(void)
{
	static const uint8_t dcid[8] = {
		0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08,
	};
	/* the first 32 bytes of its 1162-byte payload: the sample */
	static const uint8_t frames[32] = {
		0x06, 0x00, 0x40, 0xf1, 0x01, 0x00, 0x00, 0xed, 0x03, 0x03,
		0xeb, 0xf8, 0xfa, 0x56, 0xf1, 0x29, 0x39, 0xb9, 0x58, 0x4a,
		0x38, 0x96, 0x47, 0x2e, 0xc4, 0x0b, 0xb8, 0x63, 0xcf, 0xd3,
		0xe8, 0x68,
	};
	static const uint8_t expect[38] = {
		0xc0, 0x00, 0x00, 0x00, 0x01, 0x08, 0x83, 0x94, 0xc8, 0xf0,
		0x3e, 0x51, 0x57, 0x08, 0x00, 0x00, 0x44, 0x9e, 0x7b, 0x9a,
		0xec, 0x34, 0xd1, 0xb1, 0xc9, 0x8d, 0xd7, 0x68, 0x9f, 0xb8,
		0xec, 0x11, 0xd2, 0x42, 0xb1, 0x23, 0xdc, 0x9b,
	};
	/* the keys of appendix A.1 */
	static const uint8_t key[16] = {
		0x1f, 0x36, 0x96, 0x13, 0xdd, 0x76, 0xd5, 0x46, 0x77, 0x30,
		0xef, 0xcb, 0xe3, 0xb1, 0xa2, 0x2d,
	};
	static const uint8_t hp[16] = {
		0x9f, 0x50, 0x44, 0x9e, 0x04, 0xa0, 0xe8, 0x10, 0x28, 0x3a,
		0x1e, 0x99, 0x33, 0xad, 0xed, 0xd2,
	};
	uint8_t pkt[1500];
	struct keys k;
	ssize_t n;

	CHECK(!client_keys(dcid, sizeof(dcid), &k) &&
	      !memcmp(k.key, key, 16) && !memcmp(k.hp, hp, 16),
	      "the client Initial keys of RFC 9001 appendix A.1");
	n = build_initial(pkt, sizeof(pkt), dcid, 8, NULL, 0, 2, frames,
			  sizeof(frames), padded_for(8, 0));
	CHECK(n == 1200 && !memcmp(pkt, expect, sizeof(expect)),
	      "a protected client Initial: 1200 bytes, the header and sample of appendix A.2 (%zd)",
	      n);
}

/* ---- the peer ---- */

static int listener_open(struct sockaddr_in *a, int reuse)
{
	socklen_t len = sizeof(*a);
	int sd;

	sd = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	if (sd < 0)
		return -1;
	if ((reuse && setsockopt(sd, SOL_SOCKET, SO_REUSEPORT, &reuse,
				 sizeof(reuse))) ||
	    bind(sd, (struct sockaddr *)a, len) ||
	    getsockname(sd, (struct sockaddr *)a, &len) || listen(sd, 8)) {
		close(sd);
		return -1;
	}
	return sd;
}

static int peer_open(const struct sockaddr_in *to)
{
	int sd = socket(AF_INET, SOCK_DGRAM, 0);

	if (sd >= 0 && connect(sd, (const struct sockaddr *)to, sizeof(*to))) {
		close(sd);
		return -1;
	}
	return sd;
}

/* A CRYPTO frame (offset and length as 4- and 2-byte varints). */
static size_t crypto_frame(uint8_t *p, uint32_t off, const uint8_t *data,
			   uint16_t len)
{
	p[0] = 0x06;
	p[1] = 0x80 | off >> 24;
	p[2] = off >> 16;
	p[3] = off >> 8;
	p[4] = off;
	p[5] = 0x40 | len >> 8;
	p[6] = len;
	memcpy(p + 7, data, len);
	return 7 + len;
}

/* A listener on the IPv4 loopback and a UDP socket connected to it:
 * 0, or -1 (reported, nothing left open).
 */
static int listener_and_peer(int *l, int *peer)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*l = listener_open(&a, 0);
	*peer = *l < 0 ? -1 : peer_open(&a);
	if (*peer >= 0)
		return 0;
	CHECK(0, "a listener and a UDP peer");
	if (*l >= 0)
		close(*l);
	return -1;
}

static bool readable(int sd, int ms)
{
	struct pollfd p = { .fd = sd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/* A ClientHello-sized CRYPTO frame at offset 0 in an Initial to @dcid. */
static int send_hello(int peer, const uint8_t *dcid, uint8_t len)
{
	static const uint8_t scid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t frame[300], hello[256], pkt[1500];
	ssize_t n;

	memset(hello, 0, sizeof(hello));
	hello[0] = 1;			/* ClientHello, as a start */
	n = build_initial(pkt, sizeof(pkt), dcid, len, scid, sizeof(scid), 0,
			  frame, crypto_frame(frame, 0, hello, sizeof(hello)),
			  padded_for(len, sizeof(scid)));
	return n > 0 && send(peer, pkt, n, 0) == n ? 0 : -1;
}

/* A short Destination Connection ID: dropped, no connection made; the
 * same Initial with 8 bytes makes one (so the packets are right).
 */
static void test_short_dcid(void)
{
	static const uint8_t dcid[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	int l, peer, sd;
	bool got;

	if (listener_and_peer(&l, &peer))
		return;
	/* first the one that works: the first connection may wait for
	 * crypto modules to load
	 */
	send_hello(peer, dcid, 8);
	got = readable(l, 10000);
	sd = got ? accept(l, NULL, NULL) : -1;
	CHECK(sd >= 0, "an Initial with an 8-byte Destination Connection ID makes a connection (accept: %d)",
	      sd);
	if (sd >= 0)
		close(sd);
	send_hello(peer, dcid + 4, 4);
	got = readable(l, 3000);
	CHECK(!got, "the same Initial with a 4-byte ID makes none");
	close(peer);
	close(l);
}

static long slab_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* A normal connection and a message on it, after an attack. */
static void still_serves(const char *after)
{
	struct pair p;
	char buf[8];
	int64_t id;
	uint32_t fl;
	int mf;

	if (!pair_ready(&p, NULL, after))
		return;
	CHECK(send_stream(p.c, "hello", 5, 0, MSG_QUIC_STREAM_FIN, 0) == 5 &&
	      recv_any(p.s, buf, sizeof(buf), &id, &fl, &mf, 0) == 5,
	      "a normal connection carries a message after %s", after);
	pair_close(&p);
}

/*
 * Out-of-order CRYPTO data in 1-byte frames with gaps (never offset 0,
 * so nothing is ever delivered), 140 frames per Initial, 170 Initials:
 * 23,800 frames inside the 64 KiB the receiver may buffer.  Before the
 * bound this grew the slab by about 30 MB on one connection that had not
 * even started its handshake.
 */
static void test_crypto_flood(void)
{
	static const uint8_t dcid[8] = { 0xc0, 0xff, 0xee, 1, 2, 3, 4, 5 };
	static const uint8_t scid[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	uint8_t payload[1200], pkt[1500], one = 0x42;
	long before, peak = 0, now;
	uint32_t off = 1, pn;
	int l, peer, i, sd;
	size_t plen;
	ssize_t n;

	if (listener_and_peer(&l, &peer))
		return;
	before = slab_kb();
	for (pn = 0; pn < 170; pn++) {
		plen = 0;
		for (i = 0; i < 140; i++, off += 2)
			plen += crypto_frame(payload + plen, off, &one, 1);
		n = build_initial(pkt, sizeof(pkt), dcid, sizeof(dcid), scid,
				  sizeof(scid), pn, payload, plen,
				  padded_for(sizeof(dcid), sizeof(scid)));
		if (n < 0 || send(peer, pkt, n, 0) != n)
			break;
		if (!(pn % 10)) {
			usleep(10000);
			now = slab_kb();
			if (now - before > peak)
				peak = now - before;
		}
	}
	usleep(300000);
	now = slab_kb();
	if (now - before > peak)
		peak = now - before;
	CHECK(pn == 170, "170 Initials of 140 out-of-order 1-byte CRYPTO frames sent");
	/* the bound: 128 KiB of buffers per level, plus the connection;
	 * 4 MB leaves room for whatever else the guest allocates meanwhile
	 */
	CHECK(before > 0 && peak < 4096,
	      "kernel slab grew by %ld kB at most (bound 4096 kB)", peak);
	/* the connection was made (and may be closed by now): take it */
	while (readable(l, 0) && (sd = accept(l, NULL, NULL)) >= 0)
		close(sd);
	close(peer);
	close(l);
	still_serves("a CRYPTO frame flood");
}

/*
 * A ClientHello in overlapping pieces, one CRYPTO frame per Initial, the
 * first one far from offset 0 (into an empty reassembly queue), one
 * piece twice: the accepted socket reads the 256 bytes in order, once.
 */
static void test_crypto_reorder(void)
{
	static const uint8_t dcid[8] = { 0x5e, 0x0e, 0xde, 1, 2, 3, 4, 5 };
	static const uint8_t scid[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	static const uint16_t piece[][2] = {
		{ 100, 180 }, { 200, 256 }, { 100, 180 }, { 150, 220 },
		{ 60, 120 }, { 0, 70 },
	};
	uint8_t hello[256], got[300], payload[400], pkt[1500];
	char cbuf[CMSG_SPACE(sizeof(struct quic_handshake_info))];
	struct iovec iov;
	struct msghdr m;
	size_t have = 0, plen;
	int l, peer, sd = -1;
	unsigned int i;
	ssize_t n;

	for (i = 0; i < sizeof(hello); i++)
		hello[i] = i * 7 + 3;
	hello[0] = 1;			/* ClientHello */
	if (listener_and_peer(&l, &peer))
		return;
	for (i = 0; i < sizeof(piece) / sizeof(piece[0]); i++) {
		plen = crypto_frame(payload, piece[i][0], hello + piece[i][0],
				    piece[i][1] - piece[i][0]);
		n = build_initial(pkt, sizeof(pkt), dcid, sizeof(dcid), scid,
				  sizeof(scid), i, payload, plen,
				  padded_for(sizeof(dcid), sizeof(scid)));
		if (n < 0 || send(peer, pkt, n, 0) != n)
			break;
		if (!i && readable(l, 10000))
			sd = accept(l, NULL, NULL);
		usleep(20000);
	}
	CHECK(sd >= 0, "a connection from Initials with CRYPTO data out of order (accept: %d)",
	      sd);
	while (sd >= 0 && have < sizeof(got) && readable(sd, 2000)) {
		iov.iov_base = got + have;
		iov.iov_len = sizeof(got) - have;
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		n = recvmsg(sd, &m, MSG_DONTWAIT);
		if (n <= 0)
			break;
		have += n;
	}
	CHECK(have == sizeof(hello) && !memcmp(got, hello, sizeof(hello)),
	      "its 256 bytes, sent in 6 overlapping pieces in reverse, are read in order, once (%zu)",
	      have);
	if (sd >= 0)
		close(sd);
	close(peer);
	close(l);
}

/*
 * Item: what an unvalidated client sent counts once toward the 3x
 * anti-amplification limit, even when part of its datagram waited for
 * keys.  One 1200-byte datagram: an Initial with a ClientHello and a
 * 0-RTT packet the server has no keys for yet (it waits).  The test, as
 * the server's TLS, installs the 0-RTT secret (the waiting packet is
 * processed) and has 20 kB of Initial CRYPTO data sent: what reaches the
 * client is at most 3x the datagram (before, the waiting packet counted
 * twice: about 5 datagrams instead of 3).
 */
static void test_amplification_replay(void)
{
	static const uint8_t dcid[8] = { 0xa3, 0x9f, 0x11, 1, 2, 3, 4, 5 };
	static const uint8_t scid[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	uint8_t frame[300], hello[256], pkt[1500], buf[2048], early[32];
	char cbuf[CMSG_SPACE(sizeof(struct quic_handshake_info))] = { 0 };
	struct quic_crypto_secret sec = {
		.level = QUIC_CRYPTO_EARLY,
		.type = TLS_CIPHER_AES_GCM_128,
	};
	struct quic_handshake_info *hi;
	static uint8_t data[20000];
	gnutls_datum_t d = { early, sizeof(early) };
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { 0 };
	struct cmsghdr *cm;
	long in, out = 0;
	ssize_t n, n0;
	struct keys k;
	int l, peer, sd;

	if (listener_and_peer(&l, &peer))
		return;
	memset(hello, 0, sizeof(hello));
	hello[0] = 1;
	memset(early, 0x5e, sizeof(early));
	memcpy(sec.secret, early, sizeof(early));
	n = build_initial(pkt, sizeof(pkt), dcid, 8, scid, 8, 0, frame,
			  crypto_frame(frame, 0, hello, sizeof(hello)), 300);
	frame[0] = 0x01;		/* PING */
	n0 = -1;
	if (n > 0 && !forge_expand_label(GNUTLS_MAC_SHA256, &d, "quic key",
					 k.key, sizeof(k.key)) &&
	    !forge_expand_label(GNUTLS_MAC_SHA256, &d, "quic iv", k.iv,
				sizeof(k.iv)) &&
	    !forge_expand_label(GNUTLS_MAC_SHA256, &d, "quic hp", k.hp,
				sizeof(k.hp)))
		n0 = build_long(pkt + n, sizeof(pkt) - n, 1, &k, dcid, 8,
				scid, 8, 0, frame, 1, 1200 - n - 40);
	in = n + n0;
	sd = -1;
	if (n0 > 0 && send(peer, pkt, in, 0) == in && readable(l, 10000))
		sd = accept(l, NULL, NULL);
	CHECK(sd >= 0 && in >= 1200,
	      "a %ld-byte datagram, an Initial and a 0-RTT packet without keys yet, makes a connection",
	      in);
	if (sd < 0)
		goto out;
	if (setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CRYPTO_SECRET, &sec,
		       sizeof(sec)))
		CHECK(0, "the 0-RTT secret installed (%s)", strerror(errno));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_QUIC;
	cm->cmsg_type = QUIC_HANDSHAKE_INFO;
	cm->cmsg_len = CMSG_LEN(sizeof(*hi));
	hi = (struct quic_handshake_info *)CMSG_DATA(cm);
	hi->crypto_level = QUIC_CRYPTO_INITIAL;
	n = sendmsg(sd, &m, MSG_DONTWAIT);
	while (readable(peer, 1500)) {
		n0 = recv(peer, buf, sizeof(buf), 0);
		if (n0 <= 0)
			break;
		out += n0;
	}
	CHECK(n > 0 && out > 0 && out <= 3 * in,
	      "20 kB of Initial data for that client: %ld bytes reach it, at most 3x its %ld (sendmsg %zd)",
	      out, in, n);
	close(sd);
out:
	close(peer);
	close(l);
}

/* ---- listeners ---- */

static void test_listener_owner(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, b;
	int l, l2, status;
	pid_t pid;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = listener_open(&a, 0);
	if (l < 0) {
		CHECK(0, "a listener");
		return;
	}
	b = a;
	l2 = listener_open(&b, 0);
	CHECK(l2 < 0 && errno == EADDRINUSE,
	      "a second listener on the address fails with EADDRINUSE");
	if (l2 >= 0)
		close(l2);
	b = a;
	l2 = listener_open(&b, 1);
	CHECK(l2 < 0 && errno == EADDRINUSE,
	      "... also with SO_REUSEPORT when the first has none");
	if (l2 >= 0)
		close(l2);
	close(l);

	a.sin_port = 0;
	l = listener_open(&a, 1);
	b = a;
	l2 = l < 0 ? -1 : listener_open(&b, 1);
	CHECK(l2 >= 0, "two listeners with SO_REUSEPORT of one user share an address");
	if (l2 >= 0)
		close(l2);

	/* another user, SO_REUSEPORT on both: no */
	pid = fork();
	if (!pid) {
		b = a;
		if (setgid(65534) || setuid(65534))
			_exit(2);
		l2 = listener_open(&b, 1);
		_exit(l2 < 0 && errno == EADDRINUSE ? 0 : 1);
	}
	status = -1;
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		status = WEXITSTATUS(status);
	CHECK(!status,
	      "another user's listener with SO_REUSEPORT on the address fails with EADDRINUSE (status %d)",
	      status);
	if (l >= 0)
		close(l);
	still_serves("the listener checks");
}

/*
 * Listeners closed while Initials for new connections arrive: the close
 * must not leave the work that makes connections running on what it
 * released.  Each of 100 rounds: a listener, a peer sending it 16
 * Initials of distinct connections, close.
 */
static void test_listener_close_race(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int round, i, l, peer, made = 0;
	uint8_t dcid[8] = { 0xdd };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (round = 0; round < 100; round++) {
		a.sin_port = 0;
		l = listener_open(&a, 0);
		peer = l < 0 ? -1 : peer_open(&a);
		if (peer < 0) {
			if (l >= 0)
				close(l);
			break;
		}
		for (i = 0; i < 16; i++) {
			dcid[1] = round;
			dcid[2] = i;
			send_hello(peer, dcid, sizeof(dcid));
		}
		if (round & 1)
			usleep(round * 50);
		made += readable(l, 0);
		close(l);
		close(peer);
	}
	CHECK(round == 100,
	      "100 listeners closed while Initials arrive (%d had a connection ready)",
	      made);
	still_serves("closing busy listeners");
}

/*
 * The stateless reset token of a connection ID, as this namespace's
 * module answers a short header packet for it on a port with a QUIC
 * socket: 0, or -1 when no reset came.
 */
static int reset_token_of(const uint8_t *cid, uint8_t *token)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	uint8_t pkt[64], buf[128];
	int q, peer, ret = -1;
	ssize_t n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	q = listener_open(&a, 0);
	peer = q < 0 ? -1 : peer_open(&a);
	if (peer >= 0) {
		memset(pkt, 0x5a, sizeof(pkt));
		pkt[0] = 0x40 | 0x15;	/* short header */
		memcpy(pkt + 1, cid, 8);
		if (send(peer, pkt, sizeof(pkt), 0) == sizeof(pkt) &&
		    readable(peer, 2000)) {
			n = recv(peer, buf, sizeof(buf), 0);
			if (n >= 21) {
				memcpy(token, buf + n - 16, 16);
				ret = 0;
			}
		}
		close(peer);
	}
	if (q >= 0)
		close(q);
	return ret;
}

/*
 * Namespaces do not share reset keys: the token a host's namespace
 * gives for a connection ID is not the one another namespace (any
 * user's) would answer with for the same ID.
 */
static void test_reset_namespaces(void)
{
	static const uint8_t cid[8] = { 0x7e, 0x57, 0x1d, 0, 1, 2, 3, 4 };
	uint8_t here[16], there[16], again[16];
	int fds[2], status = -1, got;
	pid_t pid;

	got = !reset_token_of(cid, here) && !reset_token_of(cid, again);
	CHECK(got && !memcmp(here, again, 16),
	      "a short header packet for an unknown ID is answered with a reset, the same token each time");
	if (!got || pipe(fds))
		return;
	pid = fork();
	if (!pid) {
		close(fds[0]);
		if (unshare(CLONE_NEWNET) ||
		    system("ip link set lo up") ||
		    reset_token_of(cid, there) ||
		    write(fds[1], there, 16) != 16)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	got = pid > 0 && read(fds[0], there, 16) == 16;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	CHECK(got && memcmp(here, there, 16),
	      "another network namespace answers the same ID with another token (status %d)",
	      status);
}

/* In a new network namespace with loopback up: 0 or -1. */
static int new_netns(void)
{
	return unshare(CLONE_NEWNET) || system("ip link set lo up") ? -1 : 0;
}

static int write_sysctl_str(const char *name, const char *val)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/quic/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (fprintf(f, "%s\n", val) < 0) {
		fclose(f);
		return -1;
	}
	return fclose(f) ? -1 : 0;
}

static int write_sysctl(const char *name, long val)
{
	char v[32];

	snprintf(v, sizeof(v), "%ld", val);
	return write_sysctl_str(name, v);
}

static int child_fail(const char *what)
{
	printf("# in the child: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	return -1;
}

/* Runs @fn in a child in a new namespace; its @n longs come back in @out.
 * Returns the child's exit status, or -1.
 */
static int in_netns(int (*fn)(long *out), long *out, size_t n)
{
	int fds[2], status = -1;
	bool got;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		close(fds[0]);
		if (new_netns() || fn(out) ||
		    write(fds[1], out, n * sizeof(long)) != (ssize_t)(n * sizeof(long)))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	got = pid > 0 && read(fds[0], out, n * sizeof(long)) ==
			 (ssize_t)(n * sizeof(long));
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return got ? status : -1;
}

/* Five servers close their connections while net.quic.closing_max
 * allows two closing records: records, refusals, memory.
 */
static int closing_child(long *out)
{
	struct pair p[5];
	long refused;
	int i;

	if (write_sysctl("closing_max", 2))
		return -1;
	refused = quic_mib("QuicClosingRefused");
	for (i = 0; i < 5; i++)
		if (pair_open(&p[i], NULL))
			return -1;
	for (i = 0; i < 5; i++) {
		close(p[i].s);	/* CONNECTION_CLOSE, then the socket goes */
		p[i].s = -1;
	}
	/* a socket still referenced elsewhere goes a little later */
	for (i = 0; i < 40; i++) {
		if (quic_mib("QuicClosingRecords") +
		    quic_mib("QuicClosingRefused") - refused >= 5)
			break;
		usleep(50000);
	}
	out[0] = quic_mib("QuicClosingRecords");
	out[1] = quic_mib("QuicClosingRefused") - refused;
	out[2] = quic_mib("QuicClosingMemory");
	for (i = 0; i < 5; i++)
		pair_close(&p[i]);
	return 0;
}

/*
 * Closing records are counted and bounded per namespace: another
 * namespace's limit and records leave this one's alone, and the records
 * of a namespace that goes away go with it.
 */
static void test_closing_limit(void)
{
	long records = quic_mib("QuicClosingRecords"), out[3] = { -1, -1, -1 };
	int status = in_netns(closing_child, out, 3);

	CHECK(!status && out[0] == 2 && out[1] == 3,
	      "net.quic.closing_max 2: five servers closing leave 2 closing records, 3 refused (%ld, %ld, status %d)",
	      out[0], out[1], status);
	CHECK(!status && out[2] > 0 && out[2] < 2 * 16384,
	      "QuicClosingMemory counts their bytes (%ld)", out[2]);
	CHECK(quic_mib("QuicClosingRecords") <= records,
	      "another namespace's records are not counted here (%ld, %ld before)",
	      quic_mib("QuicClosingRecords"), records);
}

/* The bytes stream 4 carries in test_stream_flood(). */
static uint8_t flood_byte(uint32_t off)
{
	return (off * 131 + (off >> 8)) & 0xff;
}

struct sink {
	int sd;
	int64_t fin_id;		/* read until this stream's FIN */
	bool check;		/* the bytes are flood_byte()'s */
	bool fin, intact;
	long got, events;
};

/* Reads a stream to its FIN, counting KEY_UPDATE notifications. */
static void *sink_run(void *arg)
{
	static uint8_t buf[65536];
	struct sink *k = arg;
	uint32_t sflags;
	int64_t id;
	ssize_t n, i;
	int mf;

	k->intact = true;
	for (;;) {
		n = recv_any(k->sd, buf, sizeof(buf), &id, &sflags, &mf, 0);
		if (n <= 0)
			return NULL;
		if (mf & MSG_QUIC_NOTIFICATION) {
			k->events += buf[0] == QUIC_EVENT_KEY_UPDATE;
			continue;
		}
		for (i = 0; k->check && i < n; i++)
			if (buf[i] != flood_byte(k->got + i))
				k->intact = false;
		k->got += n;
		k->fin = id == k->fin_id && (sflags & MSG_QUIC_STREAM_FIN);
		if (k->fin)
			return NULL;
	}
}

/* 4 MiB on stream 0 with FIN, client to server, @k reading them. */
static void send_4mib(struct pair *p, struct sink *k)
{
	static uint8_t buf[16384];
	size_t sent = 0;
	pthread_t t;
	ssize_t n;

	k->sd = p->s;
	pthread_create(&t, NULL, sink_run, k);
	while (sent < (4 << 20)) {
		n = send_stream(p->c, buf, sizeof(buf), 0,
				sent + sizeof(buf) == (4 << 20) ?
				MSG_QUIC_STREAM_FIN : 0, 0);
		if (n <= 0)
			break;
		sent += n;
	}
	pthread_join(t, NULL);
}

/* 4 MiB with net.quic.key_update_packets 40: bytes the server got, key
 * updates it was told of.
 */
static int key_update_child(long *out)
{
	struct sink k = { 0 };
	struct pair p;

	if (write_sysctl("key_update_packets", 40) || pair_open(&p, NULL) ||
	    enable_event(p.s, QUIC_EVENT_KEY_UPDATE))
		return -1;
	send_4mib(&p, &k);
	out[0] = k.got;
	out[1] = k.events;
	pair_close(&p);
	return 0;
}

/* Keys are updated before they have protected too many packets. */
static void test_key_update_limit(void)
{
	long out[2] = { -1, -1 };
	int status = in_netns(key_update_child, out, 2);

	CHECK(!status && out[0] == 4 << 20 && out[1] >= 2,
	      "net.quic.key_update_packets 40: 4 MiB arrive and the sender updated its keys by itself (%ld bytes, %ld updates, status %d)",
	      out[0], out[1], status);
}

/* A short header datagram of 64 bytes or more the client sent to @port,
 * captured on lo.
 */
static ssize_t capture_1rtt(int ps, uint16_t port, uint8_t *out, size_t size)
{
	uint8_t buf[65536];
	size_t ihl;
	ssize_t n;
	int i;

	for (i = 0; i < 200 && readable(ps, 2000); i++) {
		n = recv(ps, buf, sizeof(buf), 0);
		if (n < 28 || (buf[0] >> 4) != 4 || buf[9] != IPPROTO_UDP)
			continue;
		ihl = (buf[0] & 0x0f) * 4;
		/* 64 bytes or more: the last byte is beyond the header
		 * protection sample whatever the connection ID's length
		 */
		if ((size_t)n < ihl + 8 + 64 ||
		    buf[ihl + 2] != port >> 8 || buf[ihl + 3] != (port & 0xff) ||
		    (buf[ihl + 8] & 0x80))
			continue;
		n -= ihl + 8;
		if ((size_t)n > size)
			return -1;
		memcpy(out, buf + ihl + 8, n);
		return n;
	}
	return -1;
}

/* net.quic.auth_failure_limit 20: after 20 forged packets the
 * connection still carries data, the 21st and 22nd end it.  Out: it
 * worked after 20, the client's recv() errno after 22, the close code.
 */
static int auth_child(long *out)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	struct quic_connection_close cl;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	uint8_t pkt[2048], b[256];
	int ps, peer, i;
	ssize_t n, got;
	struct pair p;

	if (write_sysctl("auth_failure_limit", 20) || pair_open(&p, NULL) ||
	    getsockname(p.listener, (struct sockaddr *)&a, &len))
		return child_fail("a pair");
	ll.sll_protocol = htons(ETH_P_IP);
	ll.sll_ifindex = if_nametoindex("lo");
	ps = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	peer = peer_open(&a);
	if (ps < 0 || peer < 0 || bind(ps, (struct sockaddr *)&ll, sizeof(ll)))
		return child_fail("a packet socket on lo");
	memset(b, 'x', sizeof(b));
	if (send_stream(p.c, b, 200, 0, MSG_QUIC_STREAM_NEW, 0) != 200)
		return child_fail("a message");
	for (got = 0; got < 200; got += n) {
		n = recv(p.s, b, sizeof(b), 0);
		if (n <= 0)
			return child_fail("a message received");
	}
	n = capture_1rtt(ps, ntohs(a.sin_port), pkt, sizeof(pkt));
	close(ps);
	if (n < 0)
		return child_fail("a 1-RTT packet captured");
	pkt[n - 1] ^= 0x5a;		/* the tag no longer matches */
	for (i = 0; i < 20; i++)
		send(peer, pkt, n, 0);
	usleep(200000);
	out[0] = send_stream(p.c, "y", 1, 0, 0, 0) == 1 &&
		 recv(p.s, b, 1, 0) == 1;
	for (i = 0; i < 2; i++)
		send(peer, pkt, n, 0);
	set_timeouts(p.c, 5);
	out[1] = recv(p.c, b, 1, 0) < 0 ? errno : 0;
	memset(&cl, 0, sizeof(cl));
	len = sizeof(cl);
	getsockopt(p.c, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_CLOSE, &cl, &len);
	out[2] = cl.errcode;
	close(peer);
	pair_close(&p);
	return 0;
}

/* Forged packets of a connection are counted, and end it at the limit. */
static void test_auth_failure_limit(void)
{
	long out[3] = { -1, -1, -1 };
	int status = in_netns(auth_child, out, 3);

	CHECK(!status && out[0] == 1,
	      "net.quic.auth_failure_limit 20: a connection still carries data after 20 forged packets (status %d)",
	      status);
	CHECK(!status && out[2] == QUIC_TRANSPORT_ERROR_AEAD_LIMIT_REACHED &&
	      (out[1] == ECONNRESET || out[1] == ENOTCONN || out[1] == EPIPE),
	      "two more end it with AEAD_LIMIT_REACHED to the peer (code %ld, recv: %s)",
	      out[2], out[1] > 0 ? strerror(out[1]) : "no error");
}

/* ---- memory accounting ---- */

/* A socket's line of /proc/net/quic/sks, by inode: 0, or -1. */
struct skmem {
	long wmem_queued, sndbuf, rmem, rcvbuf;
};

static int sock_mem(ino_t ino, struct skmem *m)
{
	char line[512], a[128], b[128], c[128], st[32];
	unsigned long long inode;
	int ret = -1;
	long uid;
	FILE *f;

	f = fopen("/proc/net/quic/sks", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %127s %127s %31s %ld %llu %ld %ld %ld %ld",
			   a, b, c, st, &uid, &inode, &m->wmem_queued,
			   &m->sndbuf, &m->rmem, &m->rcvbuf) == 10 &&
		    inode == ino) {
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}


/* The QUIC line of /proc/net/protocols: memory (pages) and pressure. */
static int proto_mem(long *pages, char *pressure, size_t size)
{
	char line[512], name[32], press[16];
	long sz, socks;
	int ret = -1;
	FILE *f;

	f = fopen("/proc/net/protocols", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %ld %ld %ld %15s", name, &sz, &socks,
			   pages, press) == 5 && !strcmp(name, "QUIC")) {
			snprintf(pressure, size, "%s", press);
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/* net.quic.rmem "4096 65536 4194304", wmem "4096 65536 524288": buffers
 * before the handshake, then after 1.75 MiB left unread on 7 streams
 * (so that the protocol's memory shows it, beyond the 1 MB each CPU may
 * keep back) and 4 MiB on stream 0.  Out: client SO_RCVBUF and SO_SNDBUF
 * at the start, server RCVBUF and client SNDBUF after, bytes received,
 * the protocol's pages while the data waited.
 */
static int buffers_child(long *out)
{
	static uint8_t buf[65536];
	struct sink k = { 0 };
	socklen_t len = sizeof(int);
	struct stat c, sv;
	struct skmem m;
	long pages;
	int rb = 0, sb = 0, i;
	char press[16];
	struct pair p;
	int sd;

	if (write_sysctl_str("rmem", "4096 65536 4194304") ||
	    write_sysctl_str("wmem", "4096 65536 524288"))
		return child_fail("net.quic.rmem and wmem");
	sd = socket(AF_INET, SOCK_STREAM, IPPROTO_QUIC);
	getsockopt(sd, SOL_SOCKET, SO_RCVBUF, &rb, &len);
	len = sizeof(int);
	getsockopt(sd, SOL_SOCKET, SO_SNDBUF, &sb, &len);
	close(sd);
	out[0] = rb;
	out[1] = sb;
	if (pair_open(&p, NULL))
		return child_fail("a pair");
	fstat(p.c, &c);
	fstat(p.s, &sv);
	set_timeouts(p.c, 5);
	/* 256 KiB (a stream's window) on each of streams 4 to 28, unread */
	for (i = 0; i < 7 * 4; i++)
		if (send_stream(p.c, buf, sizeof(buf), 4 + i / 4 * 4,
				(i % 4 ? 0 : MSG_QUIC_STREAM_NEW) |
				(i % 4 == 3 ? MSG_QUIC_STREAM_FIN : 0), 0) !=
		    sizeof(buf))
			return child_fail("streams 4 to 28");
	usleep(500000);
	out[5] = proto_mem(&pages, press, sizeof(press)) ? -1 : pages;
	set_timeouts(p.c, 30);
	send_4mib(&p, &k);
	out[4] = k.got;
	out[2] = sock_mem(sv.st_ino, &m) ? -1 : m.rcvbuf;
	out[3] = sock_mem(c.st_ino, &m) ? -1 : m.sndbuf;
	pair_close(&p);
	return 0;
}

/*
 * Item: the protocol's memory is accounted (/proc/net/protocols shows
 * it, with a pressure state), and net.quic.rmem and net.quic.wmem give
 * the buffers' defaults and bound what autotuning makes of them.
 */
static void test_buffers(void)
{
	long out[6] = { -1, -1, -1, -1, -1, -1 }, pages = -1;
	char press[16] = "";
	int status;

	proto_mem(&pages, press, sizeof(press));
	CHECK(pages >= 0 && (!strcmp(press, "no") || !strcmp(press, "yes")),
	      "/proc/net/protocols: QUIC memory %ld pages, pressure %s (accounted)",
	      pages, press);
	status = in_netns(buffers_child, out, 6);
	CHECK(!status && out[0] == 65536 && out[1] == 65536,
	      "net.quic.rmem and wmem defaults 65536: a new socket's SO_RCVBUF %ld and SO_SNDBUF %ld",
	      out[0], out[1]);
	CHECK(!status && out[4] >= 4 << 20 && out[2] > 0 &&
	      out[2] <= 4194304 && out[3] > 0 && out[3] <= 524288,
	      "4 MiB more arrive (%ld bytes in all); autotuning kept the server's receive buffer at %ld (max 4194304, 6291456 without it) and the client's send buffer at %ld (max 524288)",
	      out[4], out[2], out[3]);
	CHECK(!status && out[5] > 0,
	      "the protocol's memory counted the unread data (%ld pages)",
	      out[5]);
}

/* ---- forged 1-RTT packets of a live connection ---- */

/* A pair, and the client's 1-RTT packets forged by the test: keys from
 * the secret libquic set (quic_forge.c), the server's connection ID from
 * a packet the client sent, captured on lo.  The forged packet numbers
 * start far above the client's own, so the server acknowledges numbers
 * the client never sent (which it ignores): the client is left idle and
 * the test speaks for it.
 */
struct live {
	struct pair p;
	struct forge f;
	struct sockaddr_in cli, srv;
	int raw;
};

static int live_open(struct live *l)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	socklen_t len = sizeof(l->srv);
	uint8_t pkt[2048], b[256];
	ssize_t n, got;
	int ps;

	l->raw = -1;
	if (pair_open(&l->p, NULL))
		return -1;
	len = sizeof(l->cli);
	if (getsockname(l->p.c, (struct sockaddr *)&l->cli, &len))
		goto err;
	len = sizeof(l->srv);
	if (getsockname(l->p.s, (struct sockaddr *)&l->srv, &len))
		goto err;
	ll.sll_protocol = htons(ETH_P_IP);
	ll.sll_ifindex = if_nametoindex("lo");
	ps = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (ps < 0 || bind(ps, (struct sockaddr *)&ll, sizeof(ll)))
		goto err;
	memset(b, 'x', sizeof(b));
	n = send_stream(l->p.c, b, 200, 0, MSG_QUIC_STREAM_NEW, 0);
	for (got = 0; n == 200 && got < 200; got += n)
		n = recv(l->p.s, b, sizeof(b), 0);
	n = n > 0 ? capture_1rtt(ps, ntohs(l->srv.sin_port), pkt,
				 sizeof(pkt)) : -1;
	close(ps);
	/* the module's connection IDs are 8 bytes */
	if (n < 9 || forge_init(&l->f, l->p.c, pkt + 1, 8, 1 << 24))
		goto err;
	l->raw = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (l->raw >= 0)
		return 0;
err:
	pair_close(&l->p);
	return -1;
}

static void live_close(struct live *l)
{
	if (l->raw >= 0)
		close(l->raw);
	pair_close(&l->p);
}

/* One forged packet with @payload from @from (the client if NULL). */
static int live_send(struct live *l, const struct sockaddr_in *from,
		     const uint8_t *payload, size_t plen)
{
	uint8_t pkt[1500];
	ssize_t n = forge_1rtt(&l->f, pkt, sizeof(pkt), payload, plen);

	return n < 0 ? -1 : forge_send(l->raw, from ?: &l->cli, &l->srv,
				       pkt, n);
}

#define FLOOD_STREAM	4
#define FLOOD_LEN	250000

/* Frames of stream 4's bytes [@from, @to), @step apart, @len long
 * (overlapping when @len > @step), @per to a packet, highest first if
 * @down.  Returns packets sent, or -1.
 */
static int flood_send(struct live *l, uint32_t from, uint32_t to,
		      uint32_t step, uint16_t len, int per, bool down,
		      long *max_rmem, ino_t ino)
{
	uint8_t payload[1400], data[1400];
	uint32_t n = (to - from + step - 1) / step, k, off, i;
	struct skmem m;
	size_t plen = 0;
	int sent = 0, in = 0;
	uint16_t dlen;

	for (k = 0; k < n; k++) {
		off = from + (down ? n - 1 - k : k) * step;
		dlen = off + len > to ? to - off : len;
		for (i = 0; i < dlen; i++)
			data[i] = flood_byte(off + i);
		plen += forge_stream_frame(payload + plen, FLOOD_STREAM, off,
					   data, dlen, off + dlen == FLOOD_LEN);
		if (++in < per && k + 1 < n)
			continue;
		while (plen < 8)
			payload[plen++] = 0;	/* PADDING: the sample */
		if (live_send(l, NULL, payload, plen))
			return -1;
		plen = 0;
		in = 0;
		/* the loopback device queues 1000 at most */
		if (!(++sent % 32)) {
			usleep(2000);
			if (max_rmem && !sock_mem(ino, &m) &&
			    m.rmem > *max_rmem)
				*max_rmem = m.rmem;
		}
	}
	return sent;
}

/* After a flood: the server's socket memory @m once the loopback has
 * delivered it, its receive memory counted in @max_rmem.
 */
static void flood_settle(ino_t ino, struct skmem *m, long *max_rmem)
{
	usleep(300000);
	sock_mem(ino, m);
	if (m->rmem > *max_rmem)
		*max_rmem = m->rmem;
}

/* Read stream 4 at the server with @r while its bytes [0, @to) are
 * sent in @step pieces, three times at most: the rounds it took.
 */
static int flood_read(struct live *l, struct sink *r, uint32_t to,
		      uint32_t step)
{
	pthread_t t;
	int round;

	r->sd = l->p.s;
	pthread_create(&t, NULL, sink_run, r);
	for (round = 0; round < 3 && !r->fin; round++) {
		flood_send(l, 0, to, step, step, 1, false, NULL, 0);
		usleep(500000);
	}
	if (!r->fin)
		shutdown(l->p.s, SHUT_RD);
	pthread_join(t, NULL);
	return round;
}

/*
 * Item: out-of-order STREAM data is bounded by memory and merged.  A
 * flood of 1-byte frames with gaps (never offset 0) on stream 4, as fast
 * as the loopback takes it: the receive memory stays within sk_rcvbuf,
 * the packets beyond it are not acknowledged (QuicPktRefused), and the
 * connection lives.  Then overlapping pieces in reverse, then the whole
 * stream in order: it is read whole, in order, each byte once.
 */
static void test_stream_flood(void)
{
	struct skmem m = { .rmem = -1, .rcvbuf = -1 };
	long max_rmem = 0, refused;
	struct sink r = { .check = true, .fin_id = FLOOD_STREAM };
	struct live l;
	struct stat stt;
	int sent, round;

	if (live_open(&l)) {
		CHECK(0, "a pair whose client packets the test forges");
		return;
	}
	fstat(l.p.s, &stt);
	refused = quic_mib("QuicPktRefused");
	sent = flood_send(&l, 2, FLOOD_LEN - 2, 2, 1, 100, false, &max_rmem,
			  stt.st_ino);
	flood_settle(stt.st_ino, &m, &max_rmem);
	refused = quic_mib("QuicPktRefused") - refused;
	CHECK(sent > 1000 && m.rcvbuf > 0 && max_rmem <= m.rcvbuf && refused > 0,
	      "%d packets of 1-byte STREAM frames with gaps: receive memory at most %ld of sk_rcvbuf %ld, %ld packets refused (not acknowledged)",
	      sent, max_rmem, m.rcvbuf, refused);

	/* overlapping 1200-byte pieces 1000 apart, the highest first */
	flood_send(&l, 100000, 150000, 1000, 1200, 1, true, NULL, 0);
	round = flood_read(&l, &r, FLOOD_LEN, 1100);
	CHECK(r.fin && r.intact && r.got == FLOOD_LEN,
	      "then the stream arrives whole, in order, each byte once (%ld of %d bytes, %s, FIN %s, %d rounds)",
	      r.got, FLOOD_LEN, r.intact ? "intact" : "altered",
	      r.fin ? "read" : "missing", round);
	live_close(&l);
}

/* live_open() with the server's SO_RCVBUF @val, its inode in @ino. */
static int live_open_rcvbuf(struct live *l, int val, ino_t *ino)
{
	struct stat stt;

	if (live_open(l)) {
		CHECK(0, "a pair whose client packets the test forges");
		return -1;
	}
	fstat(l->p.s, &stt);
	*ino = stt.st_ino;
	setsockopt(l->p.s, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));
	return 0;
}

/*
 * Item: out-of-order data within the window fits in the receive memory
 * however it was cut.  With SO_RCVBUF 256 KiB (sk_rcvbuf at most 512
 * KiB, net.core.rmem_max permitting) and the stream's window 256 KiB,
 * stream 4's bytes from 1000 on arrive as 200-byte frames, one to a
 * datagram: each piece would hold and charge a whole datagram, an
 * sk_buff and its data at least, together more than sk_rcvbuf (1245
 * pieces of more than 432 bytes).  They are collapsed into blocks
 * (QuicOooCollapsed) instead of refused, the receive memory stays within
 * sk_rcvbuf, and once the first 1000 bytes arrive the stream is read
 * whole.  Then, on another pair, pairs of contiguous 100-byte pieces
 * with a 200-byte gap after each, runs too short for a block: collapsing
 * never makes them take more, the receive memory stays within sk_rcvbuf
 * while the packets beyond it are refused.
 */
static void test_ooo_collapse(void)
{
	struct sink r = { .check = true, .fin_id = FLOOD_STREAM };
	struct skmem m = { .rcvbuf = -1 };
	long max_rmem = 0, refused, collapsed;
	int sent, val = 256 << 10;
	struct live l;
	ino_t ino;

	if (live_open_rcvbuf(&l, val, &ino))
		return;
	refused = quic_mib("QuicPktRefused");
	collapsed = quic_mib("QuicOooCollapsed");
	sent = flood_send(&l, 1000, FLOOD_LEN, 200, 200, 1, false, &max_rmem,
			  ino);
	flood_settle(ino, &m, &max_rmem);
	refused = quic_mib("QuicPktRefused") - refused;
	collapsed = quic_mib("QuicOooCollapsed") - collapsed;
	CHECK(sent > 1000 && m.rcvbuf > 0 && m.rcvbuf <= 2 * val &&
	      max_rmem <= m.rcvbuf &&
	      !refused && collapsed > 0,
	      "%d datagrams of 200 bytes out of order: collapsed %ld times, receive memory at most %ld of sk_rcvbuf %ld, %ld refused",
	      sent, collapsed, max_rmem, m.rcvbuf, refused);

	flood_read(&l, &r, 1000, 200);
	CHECK(r.fin && r.intact && r.got == FLOOD_LEN,
	      "then the first 1000 bytes: the stream is read whole, in order (%ld of %d bytes, %s, FIN %s)",
	      r.got, FLOOD_LEN, r.intact ? "intact" : "altered",
	      r.fin ? "read" : "missing");
	live_close(&l);

	/* pairs of 100-byte pieces, a 200-byte gap after each: runs too
	 * short for a block must not take more memory collapsed
	 */
	if (live_open_rcvbuf(&l, val, &ino))
		return;
	max_rmem = 0;
	refused = quic_mib("QuicPktRefused");
	sent = flood_send(&l, 1000, FLOOD_LEN - 1000, 400, 100, 1, false,
			  &max_rmem, ino);
	sent += flood_send(&l, 1100, FLOOD_LEN - 1000, 400, 100, 1, false,
			   &max_rmem, ino);
	flood_settle(ino, &m, &max_rmem);
	refused = quic_mib("QuicPktRefused") - refused;
	CHECK(sent > 1000 && m.rcvbuf > 0 && max_rmem <= m.rcvbuf,
	      "%d datagrams of 100 bytes in pairs between gaps: receive memory at most %ld of sk_rcvbuf %ld (%ld refused)",
	      sent, max_rmem, m.rcvbuf, refused);
	live_close(&l);
}

/*
 * Item: PATH_CHALLENGE from an address not validated, maybe spoofed,
 * gets at most three times its bytes back (RFC 9000 sections 8.2.2 and
 * 9.3): ten 60-byte challenges from 127.0.0.2, whatever the server sends
 * there counted.
 */
static void test_challenge_reflection(void)
{
	struct sockaddr_in from = { .sin_family = AF_INET };
	uint8_t payload[64] = { 0 }, buf[2048];
	socklen_t len = sizeof(from);
	long in = 0, out = 0, replies = 0;
	struct live l;
	int sd, i;
	ssize_t n;

	if (live_open(&l)) {
		CHECK(0, "a pair whose client packets the test forges");
		return;
	}
	from.sin_addr.s_addr = htonl(0x7f000002);
	sd = socket(AF_INET, SOCK_DGRAM, 0);
	if (sd < 0 || bind(sd, (struct sockaddr *)&from, sizeof(from)) ||
	    getsockname(sd, (struct sockaddr *)&from, &len)) {
		CHECK(0, "a UDP socket on 127.0.0.2");
		live_close(&l);
		return;
	}
	for (i = 0; i < 10; i++) {
		payload[0] = 0x1a;		/* PATH_CHALLENGE */
		memset(payload + 1, i + 1, 8);
		/* padded: the datagram is 1 + 8 + 4 + 15 + 16 + 28 = 72 */
		if (live_send(&l, &from, payload, 15))
			break;
		in += 1 + 8 + 4 + 15 + 16;
		usleep(50000);
	}
	while (readable(sd, 1500)) {
		n = recv(sd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		out += n;
		replies++;
	}
	CHECK(i == 10 && out <= 3 * in,
	      "PATH_CHALLENGE from an unvalidated address: %ld bytes back for %ld (%ld datagrams), at most 3x",
	      out, in, replies);
	CHECK(replies > 0, "... and it is answered (%ld datagrams)", replies);
	close(sd);
	live_close(&l);
}

/* net.quic.retry_half_open 4: twelve spoofable Initials, a listener
 * that does not accept.  Out: connections made, Retries counted for
 * load, Retry packets the peer got, the half-open gauge, and whether a
 * real client still connects (through a Retry).
 */
static int retry_load_child(long *out)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	uint8_t dcid[8] = { 0x4e, 0x77, 1, 2, 3, 4, 5, 0 }, b[1500];
	long opens, load, retry, made, sent;
	int l, peer, i, j;
	struct pair p;
	char m[8];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (write_sysctl("retry_half_open", 4))
		return child_fail("net.quic.retry_half_open");
	l = listener_open(&a, 0);
	peer = l < 0 ? -1 : peer_open(&a);
	if (peer < 0)
		return child_fail("a listener and a peer");
	opens = quic_mib("QuicConnPassiveOpens");
	load = quic_mib("QuicRetryLoad");
	retry = 0;
	for (i = 0; i < 12; i++) {
		dcid[7] = i;
		made = quic_mib("QuicConnPassiveOpens");
		sent = retry;
		send_hello(peer, dcid, sizeof(dcid));
		/* until the connection is made (a work item makes it) or
		 * the Retry is back, so that the next one finds it counted
		 */
		for (j = 0; j < 100; j++) {
			while (readable(peer, j ? 50 : 0))
				if (recv(peer, b, sizeof(b), 0) > 0 &&
				    (b[0] & 0xf0) == 0xf0)
					retry++;	/* v1 Retry: type 3 */
			if (retry > sent ||
			    quic_mib("QuicConnPassiveOpens") > made)
				break;
		}
	}
	usleep(200000);			/* the last answers */
	while (readable(peer, 0))
		if (recv(peer, b, sizeof(b), 0) > 0 && (b[0] & 0xf0) == 0xf0)
			retry++;
	out[0] = quic_mib("QuicConnPassiveOpens") - opens;
	out[1] = quic_mib("QuicRetryLoad") - load;
	out[2] = retry;
	out[3] = quic_mib("QuicHalfOpen");
	out[4] = !pair_open(&p, NULL) &&
		 send_stream(p.c, "r", 1, 0, MSG_QUIC_STREAM_FIN, 0) == 1 &&
		 recv(p.s, m, sizeof(m), 0) == 1;
	pair_close(&p);
	close(peer);
	close(l);
	return 0;
}

/* Past a number of half-open connections, Initials get a Retry rather
 * than a socket.
 */
static void test_retry_under_load(void)
{
	long out[5] = { -1, -1, -1, -1, -1 };
	int status = in_netns(retry_load_child, out, 5);

	CHECK(!status && out[0] == 4 && out[1] == 8 && out[2] == 8,
	      "net.quic.retry_half_open 4: of 12 Initials 4 make connections, 8 get a Retry (%ld, %ld counted, %ld received, status %d)",
	      out[0], out[1], out[2], status);
	CHECK(!status && out[3] == 4, "QuicHalfOpen counts the 4 (%ld)",
	      out[3]);

	CHECK(!status && out[4] == 1,
	      "a real client still connects, through the Retry");
}

/* What one spoofing peer makes a namespace hold: 200 half-open
 * connections from Initials (net.quic.retry_half_open raised to let them
 * all in), slab growth per connection.
 */
static int measure_child(long *out)
{
	uint8_t dcid[8] = { 0x3e, 0x55, 1, 2, 3, 4, 0, 0 };
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	long slab;
	int l, peer, i;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (write_sysctl("retry_half_open", 100000))
		return child_fail("net.quic.retry_half_open");
	l = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(l, 4096))
		return child_fail("a listener");
	getsockname(l, (struct sockaddr *)&a, &len);
	peer = peer_open(&a);
	sleep(1);
	slab = slab_kb();
	for (i = 0; i < 200; i++) {
		dcid[6] = i;
		send_hello(peer, dcid, sizeof(dcid));
		if (i % 16 == 15)
			usleep(100000);
	}
	sleep(3);
	out[0] = quic_mib("QuicHalfOpen");
	out[1] = slab_kb() - slab;
	close(peer);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	if (pair_setup(argc, argv, "CERTDIR"))
		return 1;
	if (gnutls_global_init())
		return 1;
	if (argc > 2 && !strcmp(argv[2], "measure")) {
		long out[2] = { -1, -1 };

		in_netns(measure_child, out, 2);
		printf("# half-open connections %ld, slab growth %ld kB, %ld B each\n",
		       out[0], out[1], out[0] > 0 ? out[1] * 1024 / out[0] : 0);
		return 0;
	}
	test_vector();
	test_short_dcid();
	test_crypto_reorder();
	test_crypto_flood();
	test_amplification_replay();
	test_listener_owner();
	test_listener_close_race();
	test_reset_namespaces();
	test_closing_limit();
	test_key_update_limit();
	test_auth_failure_limit();
	test_retry_under_load();
	test_buffers();
	test_stream_flood();
	test_ooo_collapse();
	test_challenge_reflection();
	still_serves("AEAD limits and Retry under load");
	gnutls_global_deinit();
	return tap_done("hostile_test");
}
