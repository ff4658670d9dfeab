// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Self-test of QUIC packet protection against the sample packets of RFC
 * 9001 appendix A (version 1) and RFC 9369 appendix A (version 2): key
 * derivation, client and server Initial packets, Retry, ChaCha20-Poly1305
 * short header packet, byte for byte, through the module's own header
 * codec and crypto.  Then round trips, tampering and key updates with
 * every cipher suite.
 *
 * Loading quic_crypto_test.ko runs the tests and logs TAP lines prefixed
 * with "quic_crypto_test: "; it stays loaded so that unloading is tested
 * too.
 */

#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tls.h>
#include <crypto/hash.h>
#include <uapi/linux/quic.h>

#include "compat.h"
#include "crypto.h"
#include "frame_wire.h"
#include "header.h"
#include "crypto_test_vectors.h"

static unsigned int quic_test_run, quic_test_failed;

static void quic_test_ok(bool ok, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	quic_test_run++;
	if (!ok)
		quic_test_failed++;
	pr_info("quic_crypto_test: %s %u - %pV\n", ok ? "ok" : "not ok",
		quic_test_run, &vaf);
	va_end(args);
}

struct quic_vec {
	const u8 *p;
	unsigned int len;
};

struct quic_vectors {
	u32 version;
	const char *name;
	struct quic_vec initial_secret, client_secret, client_key, client_iv,
			client_hp, server_secret, server_key, server_iv,
			server_hp, client_payload, client_header, client_packet,
			server_payload, server_header, server_packet,
			retry_packet, chacha_secret, chacha_key, chacha_iv,
			chacha_hp, chacha_ku, chacha_packet;
};

#define V(x) { x, sizeof(x) }

#define QUIC_VECTORS(v, ver) {						\
	.version = ver, .name = #v,					\
	.initial_secret = V(v##_initial_secret),			\
	.client_secret = V(v##_client_secret),				\
	.client_key = V(v##_client_key), .client_iv = V(v##_client_iv),	\
	.client_hp = V(v##_client_hp),					\
	.server_secret = V(v##_server_secret),				\
	.server_key = V(v##_server_key), .server_iv = V(v##_server_iv),	\
	.server_hp = V(v##_server_hp),					\
	.client_payload = V(v##_client_payload),			\
	.client_header = V(v##_client_header),				\
	.client_packet = V(v##_client_packet),				\
	.server_payload = V(v##_server_payload),			\
	.server_header = V(v##_server_header),				\
	.server_packet = V(v##_server_packet),				\
	.retry_packet = V(v##_retry_packet),				\
	.chacha_secret = V(v##_chacha_secret),				\
	.chacha_key = V(v##_chacha_key), .chacha_iv = V(v##_chacha_iv),	\
	.chacha_hp = V(v##_chacha_hp), .chacha_ku = V(v##_chacha_ku),	\
	.chacha_packet = V(v##_chacha_packet),				\
}

static const struct quic_vectors quic_vectors[] = {
	QUIC_VECTORS(v1, QUIC_VERSION_V1),
	QUIC_VECTORS(v2, QUIC_VERSION_V2),
};

static const u8 quic_test_dcid[] = {
	0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08,
};

static const u8 quic_test_scid[] = {
	0xf0, 0x67, 0xa5, 0x50, 0x2a, 0x42, 0x62, 0xb5,
};

#define QUIC_TEST_BUF	1500

/* Scratch shared by the tests: decoded vectors and packet builders. */
/* The 1-RTT AEAD may complete asynchronously (always, with the module's
 * async_aead_test): wait for it, as the socket code would not.
 */
struct quic_test_wait {
	struct completion done;
	int err;
};

static void quic_test_done(const struct quic_crypto_cb *cb,
			   struct sk_buff *skb, int err)
{
	struct quic_test_wait *w = cb->data;

	w->err = err;
	complete(&w->done);
}

static unsigned int quic_test_async;

/* quic_crypto_encrypt() or quic_crypto_decrypt(), waited for */
static int quic_test_crypt(struct quic_crypto *c, struct sk_buff *skb,
			   struct quic_crypto_pkt *p, bool enc)
{
	struct quic_test_wait w;
	struct quic_crypto_cb cb = { .done = quic_test_done, .data = &w };
	int err;

	init_completion(&w.done);
	err = enc ? quic_crypto_encrypt(c, skb, p, &cb) :
		    quic_crypto_decrypt(c, skb, p, &cb);
	if (err == -EINPROGRESS) {
		quic_test_async++;
		wait_for_completion(&w.done);
		err = w.err;
		if (!err && !enc)
			err = quic_crypto_resumed(c, skb, p);
	}
	return err;
}

#define quic_test_encrypt(c, skb, p)	quic_test_crypt(c, skb, p, true)
#define quic_test_decrypt(c, skb, p)	quic_test_crypt(c, skb, p, false)

struct quic_test_ctx {
	u8 buf[QUIC_TEST_BUF];
	u8 tmp[QUIC_TEST_BUF];
	struct quic_crypto tx, rx;
	struct crypto_shash *sha256;
};

/* Copy vector @v into @out; returns its length in bytes. */
static unsigned int quic_vec_copy(u8 *out, const struct quic_vec *v)
{
	if (WARN_ON(v->len > QUIC_TEST_BUF))
		return 0;
	memcpy(out, v->p, v->len);
	return v->len;
}

static bool quic_match(const u8 *got, unsigned int len,
		       const struct quic_vec *want)
{
	if (len == want->len && !memcmp(got, want->p, len))
		return true;
	print_hex_dump(KERN_INFO, "quic_crypto_test: # got  ", DUMP_PREFIX_OFFSET,
		       16, 1, got, min(len, 64U), false);
	print_hex_dump(KERN_INFO, "quic_crypto_test: # want ", DUMP_PREFIX_OFFSET,
		       16, 1, want->p, min(want->len, 64U), false);
	return false;
}

/* The labels spelled out here, not taken from the code under test. */
struct quic_test_labels {
	const char *key, *iv, *hp, *ku;
};

static const struct quic_test_labels *quic_test_labels(u32 version)
{
	static const struct quic_test_labels v1 = {
		"quic key", "quic iv", "quic hp", "quic ku",
	}, v2 = {
		"quicv2 key", "quicv2 iv", "quicv2 hp", "quicv2 ku",
	};

	return version == QUIC_VERSION_V2 ? &v2 : &v1;
}

static void quic_test_keys(struct quic_test_ctx *t, const struct quic_vectors *v)
{
	const struct quic_test_labels *l = quic_test_labels(v->version);
	static const u8 salt_v1[] = {
		0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
		0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
	};
	static const u8 salt_v2[] = {
		0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
		0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
	};
	u8 initial[32], secret[32], out[32];
	int err;

	err = quic_hkdf_extract(t->sha256, v->version == QUIC_VERSION_V2 ?
				salt_v2 : salt_v1, 20, quic_test_dcid,
				sizeof(quic_test_dcid), initial);
	quic_test_ok(!err && quic_match(initial, 32, &v->initial_secret),
		     "%s: initial_secret = HKDF-Extract(initial_salt, cid)",
		     v->name);

	err = quic_hkdf_expand_label(t->sha256, initial, 32, "client in",
				     secret, 32);
	quic_test_ok(!err && quic_match(secret, 32, &v->client_secret),
		     "%s: client_initial_secret", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->key, out, 16);
	quic_test_ok(!err && quic_match(out, 16, &v->client_key),
		     "%s: client key", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->iv, out, 12);
	quic_test_ok(!err && quic_match(out, 12, &v->client_iv),
		     "%s: client iv", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->hp, out, 16);
	quic_test_ok(!err && quic_match(out, 16, &v->client_hp),
		     "%s: client hp", v->name);

	err = quic_hkdf_expand_label(t->sha256, initial, 32, "server in",
				     secret, 32);
	quic_test_ok(!err && quic_match(secret, 32, &v->server_secret),
		     "%s: server_initial_secret", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->key, out, 16);
	quic_test_ok(!err && quic_match(out, 16, &v->server_key),
		     "%s: server key", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->iv, out, 12);
	quic_test_ok(!err && quic_match(out, 12, &v->server_iv),
		     "%s: server iv", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->hp, out, 16);
	quic_test_ok(!err && quic_match(out, 16, &v->server_hp),
		     "%s: server hp", v->name);
}

static struct sk_buff *quic_test_skb(const u8 *data, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + QUIC_TAG_LEN, GFP_KERNEL);

	if (skb)
		skb_put_data(skb, data, len);
	return skb;
}

/* Build an Initial packet from the vector's fields with the header codec,
 * protect it as its sender would and compare; then parse and unprotect the
 * vector's packet as its receiver would.
 */
static void quic_test_initial(struct quic_test_ctx *t,
			      const struct quic_vectors *v, bool server)
{
	const char *who = server ? "server Initial" : "client Initial";
	struct quic_hdr_out ho = {
		.type = QUIC_PACKET_INITIAL,
		.version = v->version,
	};
	struct quic_crypto_pkt p = {};
	unsigned int plen, hlen, n;
	struct quic_frame f;
	struct sk_buff *skb;
	struct quic_hdr h;
	int len, err;

	if (server) {
		ho.scid = quic_test_scid;
		ho.scid_len = sizeof(quic_test_scid);
		plen = quic_vec_copy(t->tmp, &v->server_payload);
		p.pn = 1;
		p.pn_len = 2;
	} else {
		ho.dcid = quic_test_dcid;
		ho.dcid_len = sizeof(quic_test_dcid);
		plen = quic_vec_copy(t->tmp, &v->client_payload);
		memset(t->tmp + plen, 0, 1162 - plen);	/* PADDING */
		plen = 1162;
		p.pn = 2;
		p.pn_len = 4;
	}
	ho.length = p.pn_len + plen + QUIC_TAG_LEN;
	len = quic_hdr_put(t->buf, sizeof(t->buf), &ho, p.pn, p.pn_len,
			   &p.pn_offset);
	quic_test_ok(len > 0 && quic_match(t->buf, len, server ?
			&v->server_header : &v->client_header),
		     "%s: %s header built by quic_hdr_put()", v->name, who);
	if (len <= 0)
		return;
	hlen = len;
	memcpy(t->buf + hlen, t->tmp, plen);
	p.len = hlen + plen;

	err = quic_crypto_initial_keys(&t->tx, quic_test_dcid,
				       sizeof(quic_test_dcid), v->version,
				       server);
	quic_test_ok(!err, "%s: Initial keys installed (%d)", v->name, err);
	skb = quic_test_skb(t->buf, p.len);
	if (err || !skb)
		goto out;
	err = quic_test_encrypt(&t->tx, skb, &p);
	quic_test_ok(!err && quic_match(skb->data, skb->len, server ?
			&v->server_packet : &v->client_packet),
		     "%s: %s protected (%u bytes)", v->name, who, skb->len);
	kfree_skb(skb);

	/* the receiving side, from the vector's packet */
	n = quic_vec_copy(t->buf, server ? &v->server_packet :
			  &v->client_packet);
	err = quic_hdr_parse(t->buf, n, 0, 0, &h);
	quic_test_ok(!err && h.type == QUIC_PACKET_INITIAL &&
		     h.version == v->version && h.len == n &&
		     h.pn_offset == p.pn_offset &&
		     h.dcid_len == ho.dcid_len && h.scid_len == ho.scid_len &&
		     !h.token_len && h.length == ho.length,
		     "%s: %s header parsed", v->name, who);
	err = quic_crypto_initial_keys(&t->rx, quic_test_dcid,
				       sizeof(quic_test_dcid), v->version,
				       !server);
	skb = quic_test_skb(t->buf, n);
	if (err || !skb)
		goto out;
	memset(&p, 0, sizeof(p));
	p.pn_offset = h.pn_offset;
	p.len = h.len;
	p.largest_pn = server ? -1 : 0;
	err = quic_test_decrypt(&t->rx, skb, &p);
	quic_test_ok(!err && p.pn == (server ? 1 : 2) &&
		     p.pn_len == (server ? 2 : 4) &&
		     !quic_hdr_check_reserved(skb->data[0]) &&
		     !memcmp(skb->data + h.pn_offset + p.pn_len, t->tmp, plen),
		     "%s: %s unprotected, pn %llu", v->name, who, p.pn);
	if (!err) {
		u8 *pl = skb->data + h.pn_offset + p.pn_len;
		unsigned int off = 0, frames = 0, crypto = 0;

		while (off < plen) {
			len = quic_frame_decode(pl + off, plen - off, &f);
			if (len <= 0 ||
			    quic_frame_check(f.type, QUIC_PACKET_INITIAL, server))
				break;
			if (f.type == QUIC_FRAME_CRYPTO)
				crypto = f.data.len;
			off += len;
			frames++;
		}
		quic_test_ok(off == plen && crypto == (server ? 90 : 241),
			     "%s: %s frames decoded (%u frames, CRYPTO %u bytes)",
			     v->name, who, frames, crypto);
	}
	kfree_skb(skb);
out:
	quic_crypto_free(&t->tx);
	quic_crypto_free(&t->rx);
}

static void quic_test_retry(struct quic_test_ctx *t, const struct quic_vectors *v)
{
	static const u8 token[] = { 't', 'o', 'k', 'e', 'n' };
	u8 tag[QUIC_RETRY_TAG_LEN];
	struct quic_hdr h;
	int len, err;

	len = quic_retry_put(t->buf, sizeof(t->buf), 0x0f, v->version, NULL, 0,
			     quic_test_scid, sizeof(quic_test_scid), token,
			     sizeof(token));
	err = len < 0 ? len : quic_crypto_retry_tag(v->version, quic_test_dcid,
						    sizeof(quic_test_dcid),
						    t->buf, len, tag);
	if (!err)
		memcpy(t->buf + len, tag, sizeof(tag));
	quic_test_ok(!err && quic_match(t->buf, len + sizeof(tag),
					&v->retry_packet),
		     "%s: Retry packet and integrity tag", v->name);
	err = quic_hdr_parse(t->buf, len + sizeof(tag), 0, 0, &h);
	quic_test_ok(!err && h.type == QUIC_PACKET_RETRY &&
		     h.token_len == sizeof(token) && !h.dcid_len &&
		     h.scid_len == sizeof(quic_test_scid),
		     "%s: Retry packet parsed", v->name);
	t->buf[len + 3] ^= 1;	/* a tag made with another ODCID fails */
	err = quic_crypto_retry_tag(v->version, quic_test_scid,
				    sizeof(quic_test_scid), t->buf, len, tag);
	quic_test_ok(!err && memcmp(tag, t->buf + len, sizeof(tag)),
		     "%s: Retry tag depends on the Original DCID", v->name);
}

static void quic_test_chacha(struct quic_test_ctx *t,
			     const struct quic_vectors *v)
{
	const struct quic_test_labels *l = quic_test_labels(v->version);
	struct quic_hdr_out ho = { .type = QUIC_PACKET_1RTT };
	struct quic_crypto_pkt p = { .pn = 654360564, .pn_len = 3 };
	u8 secret[32], out[32];
	struct sk_buff *skb;
	struct quic_hdr h;
	int len, err;

	quic_vec_copy(secret, &v->chacha_secret);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->key, out, 32);
	quic_test_ok(!err && quic_match(out, 32, &v->chacha_key),
		     "%s: ChaCha20 key = HKDF-Expand-Label(secret, key)", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->iv, out, 12);
	quic_test_ok(!err && quic_match(out, 12, &v->chacha_iv),
		     "%s: ChaCha20 iv = HKDF-Expand-Label(secret, iv)", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->hp, out, 32);
	quic_test_ok(!err && quic_match(out, 32, &v->chacha_hp),
		     "%s: ChaCha20 hp = HKDF-Expand-Label(secret, hp)", v->name);
	err = quic_hkdf_expand_label(t->sha256, secret, 32, l->ku, out, 32);
	quic_test_ok(!err && quic_match(out, 32, &v->chacha_ku),
		     "%s: ChaCha20 ku = HKDF-Expand-Label(secret, ku)", v->name);

	err = quic_crypto_set_secret(&t->tx, TLS_CIPHER_CHACHA20_POLY1305,
				     v->version, secret, true, true);
	quic_test_ok(!err, "%s: ChaCha20-Poly1305 send secret installed (%d)",
		     v->name, err);
	len = quic_hdr_put(t->buf, sizeof(t->buf), &ho, p.pn, p.pn_len,
			   &p.pn_offset);
	t->buf[len] = QUIC_FRAME_PING;
	p.len = len + 1;
	skb = quic_test_skb(t->buf, p.len);
	if (err || len != 4 || !skb)
		goto out;
	err = quic_test_encrypt(&t->tx, skb, &p);
	quic_test_ok(!err && quic_match(skb->data, skb->len, &v->chacha_packet),
		     "%s: ChaCha20-Poly1305 short header packet protected",
		     v->name);
	kfree_skb(skb);

	err = quic_crypto_set_secret(&t->rx, TLS_CIPHER_CHACHA20_POLY1305,
				     v->version, secret, false, true);
	len = quic_vec_copy(t->buf, &v->chacha_packet);
	skb = quic_test_skb(t->buf, len);
	if (err || !skb)
		goto out;
	err = quic_hdr_parse(skb->data, skb->len, 0, 0, &h);
	memset(&p, 0, sizeof(p));
	p.pn_offset = h.pn_offset;
	p.len = h.len;
	p.largest_pn = 654360563;
	if (!err)
		err = quic_test_decrypt(&t->rx, skb, &p);
	quic_test_ok(!err && p.pn == 654360564 && p.pn_len == 3 &&
		     !p.key_phase && !p.key_update &&
		     skb->data[p.pn_offset + 3] == QUIC_FRAME_PING,
		     "%s: ChaCha20-Poly1305 short header packet unprotected",
		     v->name);
	kfree_skb(skb);
out:
	quic_crypto_free(&t->tx);
	quic_crypto_free(&t->rx);
}

#define QUIC_TEST_TAMPER	0x01	/* flip a bit of the tag in transit */
#define QUIC_TEST_FRAGS		0x02	/* receive the payload in a page frag */

/* Move all but the first @head bytes of linear @skb into a page frag. */
static struct sk_buff *quic_test_fragment(struct sk_buff *skb,
					  unsigned int head)
{
	struct sk_buff *nskb = alloc_skb(head, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);

	if (!nskb || !page || skb->len - head > PAGE_SIZE) {
		kfree_skb(nskb);
		if (page)
			__free_page(page);
		return NULL;
	}
	skb_put_data(nskb, skb->data, head);
	memcpy(page_address(page), skb->data + head, skb->len - head);
	skb_add_rx_frag(nskb, 0, page, 0, skb->len - head, PAGE_SIZE);
	return nskb;
}

/* Protect a 1-RTT packet on @a and check that @b unprotects it. */
static int quic_test_send(struct quic_crypto *a, struct quic_crypto *b,
			  u64 pn, unsigned int mode, struct quic_crypto_pkt *r)
{
	static const u8 payload[40] = { QUIC_FRAME_PING, 0, 0, 0, 7 };
	static const u8 dcid[4] = { 1, 2, 3, 4 };
	struct quic_hdr_out ho = {
		.type = QUIC_PACKET_1RTT, .dcid = dcid, .dcid_len = 4,
	};
	struct quic_crypto_pkt p = { .pn = pn, .pn_len = 2 };
	struct sk_buff *skb, *nskb;
	u8 hdr[32], got[sizeof(payload)];
	int len, err;

	len = quic_hdr_put(hdr, sizeof(hdr), &ho, pn, 2, &p.pn_offset);
	skb = alloc_skb(len + sizeof(payload) + QUIC_TAG_LEN, GFP_KERNEL);
	if (len < 0 || !skb) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	skb_put_data(skb, hdr, len);
	skb_put_data(skb, payload, sizeof(payload));
	p.len = skb->len;
	err = quic_test_encrypt(a, skb, &p);
	if (err)
		goto out;
	if (mode & QUIC_TEST_TAMPER)
		skb->data[skb->len - 1] ^= 0x80;
	if (mode & QUIC_TEST_FRAGS) {
		nskb = quic_test_fragment(skb, 8);
		kfree_skb(skb);
		skb = nskb;
		if (!skb || !skb_is_nonlinear(skb))
			return -ENOMEM;
	}
	memset(r, 0, sizeof(*r));
	r->pn_offset = 5;
	r->len = skb->len;
	r->largest_pn = pn - 1;
	err = quic_test_decrypt(b, skb, r);
	if (!err && (r->pn != pn ||
		     skb_copy_bits(skb, 5 + r->pn_len, got, sizeof(got)) ||
		     memcmp(got, payload, sizeof(payload))))
		err = -EBADMSG;
out:
	kfree_skb(skb);
	return err;
}

/* Misuse gives clean errors: key update without 1-RTT keys, packets too
 * short for the header protection sample.
 */
static void quic_test_limits(struct quic_test_ctx *t, u32 cipher,
			     const char *name, const u8 *secret)
{
	struct quic_crypto *c = kzalloc(sizeof(*c), GFP_KERNEL);
	struct quic_crypto_pkt p = { .pn_offset = 5, .pn_len = 1 };
	struct sk_buff *skb;
	int err;

	if (c)
		quic_crypto_init(c);
	err = c ? quic_crypto_set_secret(c, cipher, QUIC_VERSION_V1, secret,
					 true, false) : -ENOMEM;
	if (!err)
		err = quic_crypto_set_secret(c, cipher, QUIC_VERSION_V1, secret,
					     false, false);
	if (!err)
		err = quic_crypto_key_update(c);
	quic_test_ok(err == -EINVAL, "%s: no key update without 1-RTT keys (%d)",
		     name, err);

	memset(t->buf, 0x40, 24);
	skb = quic_test_skb(t->buf, 24);
	p.len = 24;
	err = skb ? quic_test_decrypt(&t->rx, skb, &p) : -ENOMEM;
	quic_test_ok(err == -EINVAL,
		     "%s: packet too short for the sample rejected (%d)", name, err);
	kfree_skb(skb);
	skb = quic_test_skb(t->buf, 6);
	p.len = 6;
	err = skb ? quic_test_encrypt(&t->tx, skb, &p) : -ENOMEM;
	quic_test_ok(err == -EINVAL,
		     "%s: unpadded packet refused for sending (%d)", name, err);
	kfree_skb(skb);
	err = quic_crypto_set_secret(c, TLS_CIPHER_ARIA_GCM_128, QUIC_VERSION_V1,
				     secret, true, false);
	quic_test_ok(err == -EINVAL, "%s: unsupported cipher refused (%d)",
		     name, err);
	if (c)
		quic_crypto_free(c);
	kfree(c);
}

/* Endpoint @a sends with @s1 and receives with @s2; @b the reverse. */
static int quic_test_pair(struct quic_crypto *a, struct quic_crypto *b,
			  u32 cipher, u32 version, const u8 *s1, const u8 *s2)
{
	int err;

	err = quic_crypto_set_secret(a, cipher, version, s1, true, true);
	if (!err)
		err = quic_crypto_set_secret(a, cipher, version, s2, false, true);
	if (!err)
		err = quic_crypto_set_secret(b, cipher, version, s1, false, true);
	if (!err)
		err = quic_crypto_set_secret(b, cipher, version, s2, true, true);
	return err;
}

static void quic_test_suite(struct quic_test_ctx *t, u32 cipher,
			    const char *name, unsigned int secret_len)
{
	struct quic_crypto *a = &t->tx, *b = &t->rx;
	u8 s1[QUIC_SECRET_MAX], s2[QUIC_SECRET_MAX];
	struct quic_crypto_pkt r;
	int err;

	memset(s1, 0x11, sizeof(s1));
	memset(s2, 0x22, sizeof(s2));
	err = quic_test_pair(a, b, cipher, QUIC_VERSION_V1, s1, s2);
	quic_test_ok(!err, "%s: 1-RTT secrets installed (%d)", name, err);
	if (err)
		goto out;

	err = quic_test_send(a, b, 10, 0, &r);
	quic_test_ok(!err && !r.key_phase, "%s: round trip (%d)", name, err);
	err = quic_test_send(b, a, 20, 0, &r);
	quic_test_ok(!err, "%s: round trip, other direction (%d)", name, err);
	err = quic_test_send(a, b, 11, QUIC_TEST_TAMPER, &r);
	quic_test_ok(err == -EBADMSG, "%s: tampered packet rejected (%d)",
		     name, err);
	err = quic_test_send(a, b, 11, QUIC_TEST_FRAGS, &r);
	quic_test_ok(!err, "%s: payload in a page fragment unprotected in place (%d)",
		     name, err);
	err = quic_test_send(a, a, 11, 0, &r);
	quic_test_ok(err == -EBADMSG, "%s: packet opened with the wrong keys rejected (%d)",
		     name, err);
	quic_test_limits(t, cipher, name, s1);

	/* A initiates a key update; B follows on the first new packet */
	err = quic_crypto_key_update(a);
	quic_test_ok(!err && a->tx.phase == 1, "%s: key update initiated (%d)",
		     name, err);
	err = quic_test_send(a, b, 12, 0, &r);
	quic_test_ok(!err && r.key_phase == 1 && r.key_update,
		     "%s: packet with the next keys accepted, key update seen (%d)",
		     name, err);
	err = quic_crypto_key_update(b);
	quic_test_ok(!err && b->tx.phase == 1 && b->rx.phase == 1,
		     "%s: key update followed (%d)", name, err);
	err = quic_test_send(b, a, 21, 0, &r);
	quic_test_ok(!err && r.key_phase == 1 && !r.key_update,
		     "%s: reply with the new keys (%d)", name, err);
	err = quic_crypto_key_update(a);
	quic_test_ok(err == -EAGAIN,
		     "%s: no second update before the old keys are discarded",
		     name);
	quic_crypto_discard_old_keys(a);
	quic_crypto_discard_old_keys(b);
	err = quic_crypto_key_update(a);
	if (!err)
		err = quic_test_send(a, b, 13, 0, &r);
	quic_test_ok(!err && r.key_phase == 0 && r.key_update,
		     "%s: second key update (%d)", name, err);

	/* The same secrets give the same keys: generation 1 of A and of a
	 * fresh state match.
	 */
	err = quic_hkdf_expand_label(a->hash, s1, secret_len,
				     "quic ku", s2, secret_len);
	quic_test_ok(!err && !memcmp(s2, a->tx.secret[1], secret_len),
		     "%s: next secret is HKDF-Expand-Label(secret, \"quic ku\")",
		     name);
out:
	quic_crypto_free(a);
	quic_crypto_free(b);
}

/* QUIC v2 with a peer that derives the next keys with v1's "quic ku"
 * (RFC 9369 section 3.3.2 says "quicv2 ku"): its first packet of the
 * next phase fails, the receiver switches labels and follows, and its
 * own next keys use that label too.
 */
static void quic_test_ku_label(struct quic_test_ctx *t)
{
	struct quic_crypto *a = &t->tx, *b = &t->rx;
	u8 s1[QUIC_SECRET_MAX], s2[QUIC_SECRET_MAX];
	struct quic_crypto_pkt r;
	int err;

	memset(s1, 0x33, sizeof(s1));
	memset(s2, 0x44, sizeof(s2));
	a->ku_v1 = 1;			/* the peer's way */
	err = quic_test_pair(a, b, TLS_CIPHER_AES_GCM_128, QUIC_VERSION_V2,
			     s1, s2);
	if (!err)
		err = quic_test_send(a, b, 10, 0, &r);
	quic_test_ok(!err && quic_crypto_ku_unsettled(b),
		     "v2 \"ku\" label: round trip, the label unsettled (%d)", err);
	if (err)
		goto out;
	err = quic_crypto_key_update(a);
	if (!err)
		err = quic_test_send(a, b, 11, 0, &r);
	quic_test_ok(err == -EBADMSG,
		     "v2 \"ku\" label: next keys from \"quic ku\" fail with \"quicv2 ku\" ones (%d)",
		     err);
	err = quic_crypto_ku_switch(b);
	if (!err)
		err = quic_test_send(a, b, 12, 0, &r);
	quic_test_ok(!err && r.key_phase == 1 && r.key_update,
		     "v2 \"ku\" label: accepted after switching labels (%d)", err);
	b->ku_settled = 1;
	err = quic_crypto_key_update(b);
	if (!err)
		err = quic_test_send(b, a, 20, 0, &r);
	quic_test_ok(!err && r.key_phase == 1 && !quic_crypto_ku_switch(b) &&
		     b->ku_v1,
		     "v2 \"ku\" label: the reply's keys use the same label, which stays (%d)",
		     err);
out:
	quic_crypto_free(a);
	quic_crypto_free(b);
}

/* The same peer, when we start the update: it cannot read our new
 * phase until we derive it again with its label, in both directions.
 */
static void quic_test_ku_label_ours(struct quic_test_ctx *t)
{
	struct quic_crypto *a = &t->tx, *b = &t->rx;
	u8 s1[QUIC_SECRET_MAX], s2[QUIC_SECRET_MAX];
	struct quic_crypto_pkt r;
	int err;

	memset(s1, 0x55, sizeof(s1));
	memset(s2, 0x66, sizeof(s2));
	b->ku_v1 = 1;			/* the peer's way */
	err = quic_test_pair(a, b, TLS_CIPHER_AES_GCM_128, QUIC_VERSION_V2,
			     s1, s2);
	if (!err)
		err = quic_crypto_key_update(a);
	if (!err)
		err = quic_test_send(a, b, 10, 0, &r);
	quic_test_ok(err == -EBADMSG,
		     "v2 \"ku\" label: our update unreadable to a \"quic ku\" peer (%d)",
		     err);
	err = quic_crypto_ku_switch(a);
	if (!err)
		err = quic_test_send(a, b, 11, 0, &r);
	quic_test_ok(!err && r.key_phase == 1 && r.key_update,
		     "v2 \"ku\" label: readable once derived again with its label (%d)",
		     err);
	err = quic_crypto_key_update(b);
	if (!err)
		err = quic_test_send(b, a, 20, 0, &r);
	quic_test_ok(!err && r.key_phase == 1 && !r.key_update,
		     "v2 \"ku\" label: and its answer in the new phase readable (%d)",
		     err);
	quic_crypto_free(a);
	quic_crypto_free(b);
}

static int __init quic_crypto_test_init(void)
{
	struct quic_test_ctx *t = kzalloc(sizeof(*t), GFP_KERNEL);
	unsigned int i;

	if (!t)
		return -ENOMEM;
	t->sha256 = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(t->sha256)) {
		kfree(t);
		return -ENOENT;
	}
	quic_crypto_init(&t->tx);	/* quic_crypto_free() keeps them so */
	quic_crypto_init(&t->rx);
	for (i = 0; i < ARRAY_SIZE(quic_vectors); i++) {
		quic_test_keys(t, &quic_vectors[i]);
		quic_test_initial(t, &quic_vectors[i], false);
		quic_test_initial(t, &quic_vectors[i], true);
		quic_test_retry(t, &quic_vectors[i]);
		quic_test_chacha(t, &quic_vectors[i]);
	}
	quic_test_suite(t, TLS_CIPHER_AES_GCM_128, "AES-128-GCM", 32);
	quic_test_suite(t, TLS_CIPHER_AES_GCM_256, "AES-256-GCM", 48);
	quic_test_suite(t, TLS_CIPHER_AES_CCM_128, "AES-128-CCM", 32);
	quic_test_suite(t, TLS_CIPHER_CHACHA20_POLY1305, "ChaCha20-Poly1305", 32);
	quic_test_ku_label(t);
	quic_test_ku_label_ours(t);

	pr_info("quic_crypto_test: # %u operations completed asynchronously\n",
		quic_test_async);
	pr_info("quic_crypto_test: 1..%u\n", quic_test_run);
	pr_info("quic_crypto_test: %u passed, %u failed\n",
		quic_test_run - quic_test_failed, quic_test_failed);
	crypto_free_shash(t->sha256);
	kfree(t);
	return 0;
}

static void __exit quic_crypto_test_exit(void)
{
}

module_init(quic_crypto_test_init);
module_exit(quic_crypto_test_exit);

MODULE_DESCRIPTION("QUIC packet protection self-test (RFC 9001, RFC 9369 vectors)");
MODULE_IMPORT_QUIC_TEST_NS();
MODULE_LICENSE("GPL");
