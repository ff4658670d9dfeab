// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QUIC packet protection on the kernel crypto API.
 *
 * Keys come from TLS secrets through HKDF-Expand-Label (RFC 8446 section
 * 7.1) with the QUIC labels of the packet's version; payloads are sealed
 * with the TLS cipher suite's AEAD, the packet header being the associated
 * data; the first byte and the packet number are then masked with a
 * keystream computed from a sample of the ciphertext (RFC 9001 section
 * 5.4).  Everything is done in place in the skb.  See struct quic_crypto
 * for which calls may sleep.
 */

#include <crypto/aead.h>
#include <crypto/internal/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tls.h>
#include <linux/workqueue.h>
#include <uapi/linux/quic.h>

#include "compat.h"
#include "crypto.h"
#include "varint.h"

/* Initial salts: RFC 9001 section 5.2, RFC 9369 section 3.3.1 */
static const u8 quic_salt_v1[] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};

static const u8 quic_salt_v2[] = {
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
};

/* Retry integrity keys and nonces: RFC 9001 section 5.8, RFC 9369 3.3.3 */
static const u8 quic_retry_key_v1[16] = {
	0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a,
	0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e,
};

static const u8 quic_retry_nonce_v1[QUIC_IV_LEN] = {
	0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2,
	0x23, 0x98, 0x25, 0xbb,
};

static const u8 quic_retry_key_v2[16] = {
	0x8f, 0xb4, 0xb0, 0x1b, 0x56, 0xac, 0x48, 0xe2,
	0x60, 0xfb, 0xcb, 0xce, 0xad, 0x7c, 0xcc, 0x92,
};

static const u8 quic_retry_nonce_v2[QUIC_IV_LEN] = {
	0xd8, 0x69, 0x69, 0xbc, 0x2d, 0x7c, 0x6d, 0x99,
	0x90, 0xef, 0xb0, 0x4a,
};

struct quic_cipher {
	u32 type;		/* TLS_CIPHER_* */
	const char *suite;
	const char *aead;
	const char *hp;
	const char *hash;
	u8 key_len;
	u8 secret_len;
};

static const struct quic_cipher quic_ciphers[] = {
	{ TLS_CIPHER_AES_GCM_128, "TLS_AES_128_GCM_SHA256", "gcm(aes)", "ecb(aes)", "hmac(sha256)",
	  16, 32 },
	{ TLS_CIPHER_AES_GCM_256, "TLS_AES_256_GCM_SHA384", "gcm(aes)", "ecb(aes)", "hmac(sha384)",
	  32, 48 },
	{ TLS_CIPHER_AES_CCM_128, "TLS_AES_128_CCM_SHA256", "ccm(aes)", "ecb(aes)", "hmac(sha256)",
	  16, 32 },
	{ TLS_CIPHER_CHACHA20_POLY1305, "TLS_CHACHA20_POLY1305_SHA256",
	  "rfc7539(chacha20,poly1305)",
	  "chacha20", "hmac(sha256)", 32, 32 },
};

static const struct quic_cipher *quic_cipher_find(u32 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(quic_ciphers); i++)
		if (quic_ciphers[i].type == type)
			return &quic_ciphers[i];
	return NULL;
}

/* Labels differ between versions: RFC 9369 section 3.3.2 */
struct quic_labels {
	const char *key, *iv, *hp, *ku;
};

static const struct quic_labels quic_labels_v1 = {
	"quic key", "quic iv", "quic hp", "quic ku",
};

static const struct quic_labels quic_labels_v2 = {
	"quicv2 key", "quicv2 iv", "quicv2 hp", "quicv2 ku",
};

static const struct quic_labels *quic_labels(u32 version)
{
	return version == QUIC_VERSION_V2 ? &quic_labels_v2 : &quic_labels_v1;
}

/* Test mode: the 1-RTT AEAD operations of new keys are deferred to a
 * work item that runs them and calls the completion, as an asynchronous
 * driver does, so that every such packet takes the asynchronous paths of
 * the send and receive code (tests/, not for production).  cryptd
 * itself cannot serve: on some kernels (6.1) its instances fail the
 * crypto self-tests when allocated by name.
 */
static bool async_aead_test;
module_param(async_aead_test, bool, 0644);
MODULE_PARM_DESC(async_aead_test,
		 "Test: complete the 1-RTT AEAD of new keys from a work item");

/* ... and refuse one sealing in N there, as an asynchronous driver whose
 * queue is full does (cryptd: -ENOSPC without a backlog), so that the
 * send path's recovery from a packet that cannot leave is tested.
 */
static unsigned int async_aead_refuse;
module_param(async_aead_refuse, uint, 0644);
MODULE_PARM_DESC(async_aead_refuse,
		 "Test: with async_aead_test, refuse one 1-RTT sealing in N");
static atomic_t quic_crypto_refuse_count;

/* One at a time, in order, as cryptd's queue of a CPU runs them: a
 * CONNECTION_CLOSE must not overtake the data sent before it.
 */
static struct workqueue_struct *quic_crypto_wq;

/* Scatterlist entries kept in a request: the datagrams of the packet
 * paths are linear (one entry); a fragmented skb's entries are allocated.
 */
#define QUIC_CRYPTO_REQ_SG	4

/* One AEAD operation with what it needs beyond the skb: the scatterlist,
 * nonce and header protection scratch, and for a deferred operation the
 * caller's completion.  Each direction keeps an idle one (dir->req), so
 * a packet allocates only when the previous one is still in flight.
 */
struct quic_crypto_req {
	struct quic_crypto *c;
	struct sk_buff *skb;
	struct quic_crypto_pkt p;
	struct quic_crypto_cb cb;
	u8 enc;
	u8 nonce[16];			/* nonce, or the CCM B0 flags + nonce */
	u8 hp_buf[QUIC_HP_SAMPLE_LEN];	/* header protection sample and mask */
	struct scatterlist *sg;		/* sg_small, or allocated */
	struct scatterlist sg_small[QUIC_CRYPTO_REQ_SG];
	struct work_struct work;	/* async_aead_test */
	struct aead_request aead;	/* last: its context follows */
};

/**
 * quic_hkdf_extract - HKDF-Extract (RFC 5869 section 2.2)
 * @hash: an hmac() transform, whose key this changes
 * @salt: the salt
 * @salt_len: its length
 * @ikm: input keying material
 * @ikm_len: its length
 * @prk: output, crypto_shash_digestsize(@hash) bytes
 *
 * Return: 0 or a negative error.
 */
int quic_hkdf_extract(struct crypto_shash *hash, const u8 *salt,
		      unsigned int salt_len, const u8 *ikm,
		      unsigned int ikm_len, u8 *prk)
{
	int err;

	err = crypto_shash_setkey(hash, salt, salt_len);
	if (err)
		return err;
	return crypto_shash_tfm_digest(hash, ikm, ikm_len, prk);
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_hkdf_extract);

/**
 * quic_hkdf_expand_label - HKDF-Expand-Label with an empty context
 * @hash: an hmac() transform, whose key this changes
 * @prk: the secret
 * @prk_len: its length
 * @label: the label without the "tls13 " prefix
 * @out: output
 * @out_len: bytes wanted, at most 255 * hash length
 *
 * Return: 0 or a negative error.
 */
int quic_hkdf_expand_label(struct crypto_shash *hash, const u8 *prk,
			   unsigned int prk_len, const char *label,
			   u8 *out, unsigned int out_len)
{
	unsigned int hlen = crypto_shash_digestsize(hash);
	unsigned int llen = strlen(label), ilen, done = 0;
	u8 info[2 + 1 + 6 + 32 + 1], t[64];
	SHASH_DESC_ON_STACK(desc, hash);
	u8 ctr = 1;
	int err;

	if (llen > 32 || hlen > sizeof(t) || out_len > 255 * hlen)
		return -EINVAL;
	/* struct HkdfLabel: u16 length, opaque label<7..255>, opaque context<0..255> */
	info[0] = out_len >> 8;
	info[1] = out_len & 0xff;
	info[2] = 6 + llen;
	memcpy(&info[3], "tls13 ", 6);
	memcpy(&info[9], label, llen);
	info[9 + llen] = 0;
	ilen = 10 + llen;

	err = crypto_shash_setkey(hash, prk, prk_len);
	if (err)
		return err;
	desc->tfm = hash;
	while (done < out_len) {
		err = crypto_shash_init(desc);
		if (!err && done)
			err = crypto_shash_update(desc, t, hlen);
		if (!err)
			err = crypto_shash_update(desc, info, ilen);
		if (!err)
			err = crypto_shash_finup(desc, &ctr, 1, t);
		if (err)
			break;
		memcpy(out + done, t, min(hlen, out_len - done));
		done += min(hlen, out_len - done);
		ctr++;
	}
	shash_desc_zero(desc);
	memzero_explicit(t, sizeof(t));
	return err;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_hkdf_expand_label);

/**
 * quic_crypto_init - prepare an empty protection state
 * @c: the state, in kmalloc'ed memory (its buffers are used in scatterlists)
 */
void quic_crypto_init(struct quic_crypto *c)
{
	memset(c, 0, sizeof(*c));
	refcount_set(&c->refs, 1);
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_init);

static void quic_crypto_dir_free(struct quic_crypto_dir *d)
{
	crypto_free_aead(d->aead[0]);
	crypto_free_aead(d->aead[1]);
	crypto_free_sync_skcipher(d->hp);
	kfree_sensitive(d->req);
	memzero_explicit(d, sizeof(*d));
}

/**
 * quic_crypto_free - release the transforms and wipe the keys
 * @c: the state
 *
 * Only for a state no request uses: synchronous levels, or the last
 * quic_crypto_put().  The structure itself stays.
 */
void quic_crypto_free(struct quic_crypto *c)
{
	unsigned int refs = refcount_read(&c->refs);

	quic_crypto_dir_free(&c->tx);
	quic_crypto_dir_free(&c->rx);
	crypto_free_shash(c->hash);
	memzero_explicit(c, sizeof(*c));
	refcount_set(&c->refs, refs);	/* see quic_crypto_put() */
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_free);

/**
 * quic_crypto_put - the owner or a finished request lets go of the state
 * @c: a state from kmalloc(), quic_crypto_init()'ed
 *
 * The last one frees the transforms and @c.  Any context.
 */
void quic_crypto_put(struct quic_crypto *c)
{
	if (c && refcount_dec_and_test(&c->refs)) {
		quic_crypto_free(c);
		kfree(c);
	}
}

/* Allocate what a direction needs for @cipher; nothing is allocated later
 * on the packet path but a second request while one is in flight.  The
 * 1-RTT AEAD (@key_update) may be asynchronous, see struct quic_crypto.
 */
static int quic_crypto_dir_alloc(struct quic_crypto_dir *d,
				 const struct quic_cipher *cipher, bool key_update)
{
	bool defer = key_update && READ_ONCE(async_aead_test);
	u32 mask = key_update && !defer ? 0 : CRYPTO_ALG_ASYNC;
	unsigned int i;
	int err;

	if (defer && !d->aead[0]) {
		d->async = 1;
		d->defer = 1;
	}
	/* the second generation only where keys are updated (1-RTT) */
	for (i = 0; i < (key_update ? 2 : 1); i++) {
		if (d->aead[i])
			continue;
		d->aead[i] = crypto_alloc_aead(cipher->aead, 0, mask);
		if (IS_ERR(d->aead[i])) {
			err = PTR_ERR(d->aead[i]);
			d->aead[i] = NULL;
			return err;
		}
		err = crypto_aead_setauthsize(d->aead[i], QUIC_TAG_LEN);
		if (err)
			return err;
		if (crypto_aead_alg(d->aead[i])->base.cra_flags &
		    CRYPTO_ALG_ASYNC)
			d->async = 1;
	}
	if (!d->hp) {
		d->hp = crypto_alloc_sync_skcipher(cipher->hp, 0, 0);
		if (IS_ERR(d->hp)) {
			err = PTR_ERR(d->hp);
			d->hp = NULL;
			return err;
		}
	}
	if (!d->req) {
		/* both generations use the same algorithm */
		d->req_size = sizeof(*d->req) + crypto_aead_reqsize(d->aead[0]);
		d->req = kmalloc(d->req_size, GFP_KERNEL);
		if (!d->req)
			return -ENOMEM;
		d->req->sg = d->req->sg_small;
	}
	return 0;
}

/* Derive key, IV and (when @hp) the header protection key of generation
 * @slot from d->secret[slot], and load them.
 */
static int quic_crypto_dir_keys(struct quic_crypto *c, struct quic_crypto_dir *d,
				unsigned int slot, bool hp)
{
	const struct quic_labels *l = quic_labels(c->version);
	u8 key[QUIC_KEY_MAX];
	int err;

	err = quic_hkdf_expand_label(c->hash, d->secret[slot], c->secret_len,
				     l->key, key, c->key_len);
	if (!err)
		err = crypto_aead_setkey(d->aead[slot], key, c->key_len);
	if (!err)
		err = quic_hkdf_expand_label(c->hash, d->secret[slot],
					     c->secret_len, l->iv, d->iv[slot],
					     QUIC_IV_LEN);
	if (!err && hp) {
		err = quic_hkdf_expand_label(c->hash, d->secret[slot],
					     c->secret_len, l->hp, key,
					     c->key_len);
		if (!err)
			err = crypto_sync_skcipher_setkey(d->hp, key, c->key_len);
	}
	memzero_explicit(key, sizeof(key));
	return err;
}

/* The secret of the next key generation (RFC 9001 section 6.1).  QUIC
 * v2 names its label "quicv2 ku" (RFC 9369 section 3.3.2), but some
 * peers derive v2's next generations with v1's "quic ku" (quic-go up to
 * 0.59 and aioquic 1.2 do): see quic_crypto_ku_switch().
 */
static int quic_crypto_next_secret(struct quic_crypto *c,
				   struct quic_crypto_dir *d,
				   unsigned int from, unsigned int to)
{
	const char *ku = c->ku_v1 ? quic_labels_v1.ku :
				    quic_labels(c->version)->ku;

	return quic_hkdf_expand_label(c->hash, d->secret[from], c->secret_len,
				      ku, d->secret[to], c->secret_len);
}

#define QUIC_KU_TRIES	8	/* label switches before sticking to v2's */

/**
 * quic_crypto_ku_unsettled - may the label of the next keys be wrong
 * @c: the 1-RTT state
 *
 * Return: true for QUIC v2 keys before any key update worked, while the
 * next receive generation is ready or our own update is not answered,
 * and few switches were tried.
 */
bool quic_crypto_ku_unsettled(const struct quic_crypto *c)
{
	return c->version == QUIC_VERSION_V2 && !c->ku_settled &&
	       (c->rx.next_ready || c->rx_old) && c->ku_tries < QUIC_KU_TRIES;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_ku_unsettled);

/**
 * quic_crypto_ku_switch - derive the newest keys again with the other label
 * @c: the 1-RTT state
 *
 * Before any key update worked, either a packet of the next key phase
 * failed authentication, or our own update got no answer: the peer may
 * derive v2's next generation with the label of v1.  The next receive
 * keys, or the keys of our update in both directions, are derived again
 * with the other label.  Once a key update works (c->ku_settled), the
 * label holds for both directions.  A forged packet or a lost answer
 * only costs a switch back, and QUIC_KU_TRIES bounds them.  Process
 * context only.
 *
 * Return: 0 or a negative error.
 */
int quic_crypto_ku_switch(struct quic_crypto *c)
{
	struct quic_crypto_dir *tx = &c->tx, *rx = &c->rx;
	int err;

	if (!quic_crypto_ku_unsettled(c))
		return 0;
	c->ku_tries++;
	c->ku_v1 = !c->ku_v1;
	if (!c->rx_old) {
		/* the peer's update, not followed yet */
		err = quic_crypto_next_secret(c, rx, rx->phase, !rx->phase);
		if (!err)
			err = quic_crypto_dir_keys(c, rx, !rx->phase, false);
		if (err)
			rx->next_ready = 0;
		return err;
	}
	/* ours: the generation both directions moved to */
	err = quic_crypto_next_secret(c, tx, !tx->phase, tx->phase);
	if (!err)
		err = quic_crypto_dir_keys(c, tx, tx->phase, false);
	if (err) {
		tx->ready = 0;
		return err;
	}
	err = quic_crypto_next_secret(c, rx, !rx->phase, rx->phase);
	if (!err)
		err = quic_crypto_dir_keys(c, rx, rx->phase, false);
	return err;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_ku_switch);

static int quic_crypto_setup(struct quic_crypto *c, u32 type, u32 version)
{
	const struct quic_cipher *cipher = quic_cipher_find(type);
	struct crypto_shash *hash;

	if (!cipher)
		return -EINVAL;
	if (version != QUIC_VERSION_V1 && version != QUIC_VERSION_V2)
		return -EINVAL;
	if (c->hash && c->cipher != type)
		return -EINVAL;	/* one cipher suite per level */
	c->version = version;
	if (c->hash)
		return 0;
	hash = crypto_alloc_shash(cipher->hash, 0, 0);
	if (IS_ERR(hash))
		return PTR_ERR(hash);
	c->hash = hash;
	c->cipher = type;
	c->key_len = cipher->key_len;
	c->secret_len = cipher->secret_len;
	return 0;
}

/**
 * quic_crypto_set_secret - install the keys of one direction
 * @c: the state
 * @cipher: TLS_CIPHER_* of the negotiated cipher suite
 * @version: QUIC version, selecting the key derivation labels
 * @secret: the TLS traffic secret (32 or 48 bytes, per the suite's hash)
 * @send: the secret protects packets we send
 * @key_update: 1-RTT keys: also prepare the next receive generation
 *
 * Process context only: may allocate and sleep.
 *
 * Return: 0 or a negative error; the direction is unusable on error.
 */
int quic_crypto_set_secret(struct quic_crypto *c, u32 cipher, u32 version,
			   const u8 *secret, bool send, bool key_update)
{
	struct quic_crypto_dir *d = send ? &c->tx : &c->rx;
	int err;

	err = quic_crypto_setup(c, cipher, version);
	if (err)
		return err;
	d->ready = 0;
	d->next_ready = 0;
	d->phase = 0;
	if (!send)
		c->rx_old = 0;
	err = quic_crypto_dir_alloc(d, quic_cipher_find(cipher), key_update);
	if (err)
		return err;
	memcpy(d->secret[0], secret, c->secret_len);
	err = quic_crypto_dir_keys(c, d, 0, true);
	if (err)
		return err;
	if (key_update && !send) {
		err = quic_crypto_next_secret(c, d, 0, 1);
		if (!err)
			err = quic_crypto_dir_keys(c, d, 1, false);
		if (err)
			return err;
		d->next_ready = 1;
	}
	d->ready = 1;
	return 0;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_set_secret);

/**
 * quic_crypto_initial_keys - install the Initial keys of both directions
 * @c: the state of the Initial level
 * @dcid: Destination Connection ID of the client's first Initial packet
 * @dcid_len: its length
 * @version: QUIC version 1 or 2
 * @is_server: we are the server
 *
 * Process context only: may allocate and sleep.
 *
 * Return: 0 or a negative error.
 */
int quic_crypto_initial_keys(struct quic_crypto *c, const u8 *dcid,
			     unsigned int dcid_len, u32 version,
			     bool is_server)
{
	u8 initial[32], secret[32];
	const u8 *salt;
	int err;

	err = quic_crypto_setup(c, TLS_CIPHER_AES_GCM_128, version);
	if (err)
		return err;
	salt = version == QUIC_VERSION_V2 ? quic_salt_v2 : quic_salt_v1;
	err = quic_hkdf_extract(c->hash, salt, sizeof(quic_salt_v1), dcid,
				dcid_len, initial);
	if (!err)
		err = quic_hkdf_expand_label(c->hash, initial, 32, "client in",
					     secret, 32);
	if (!err)
		err = quic_crypto_set_secret(c, TLS_CIPHER_AES_GCM_128, version,
					     secret, !is_server, false);
	if (!err)
		err = quic_hkdf_expand_label(c->hash, initial, 32, "server in",
					     secret, 32);
	if (!err)
		err = quic_crypto_set_secret(c, TLS_CIPHER_AES_GCM_128, version,
					     secret, is_server, false);
	memzero_explicit(initial, sizeof(initial));
	memzero_explicit(secret, sizeof(secret));
	return err;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_initial_keys);

/**
 * quic_crypto_key_update - move both directions to the next key phase
 * @c: the 1-RTT state
 *
 * Called when we initiate a key update, or once a packet protected with
 * the next keys was received (struct quic_crypto_pkt.key_update).  The
 * previous receive keys stay usable for reordered packets until
 * quic_crypto_discard_old_keys().  Process context only.
 *
 * Return: 0, -EAGAIN while the previous receive keys are still kept (the
 * next generation is not ready), or another negative error.
 */
int quic_crypto_key_update(struct quic_crypto *c)
{
	struct quic_crypto_dir *tx = &c->tx, *rx = &c->rx;
	unsigned int next = !tx->phase;
	int err;

	if (!tx->ready || !rx->ready || !tx->aead[1] || !rx->aead[1])
		return -EINVAL;		/* not 1-RTT keys */
	if (!rx->next_ready)
		return -EAGAIN;
	err = quic_crypto_next_secret(c, tx, tx->phase, next);
	if (!err)
		err = quic_crypto_dir_keys(c, tx, next, false);
	if (err) {
		tx->ready = 0;
		return err;
	}
	tx->phase = next;
	rx->phase = !rx->phase;
	rx->next_ready = 0;
	c->rx_old = 1;
	return 0;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_key_update);

/**
 * quic_crypto_discard_old_keys - drop the previous receive keys
 * @c: the 1-RTT state
 *
 * Replaces them with the next generation, so that the peer may update
 * again (RFC 9001 section 6.5).  Process context only.
 *
 * Return: 0 or a negative error.
 */
int quic_crypto_discard_old_keys(struct quic_crypto *c)
{
	struct quic_crypto_dir *rx = &c->rx;
	unsigned int next = !rx->phase;
	int err;

	if (!rx->ready || !c->rx_old)
		return 0;
	err = quic_crypto_next_secret(c, rx, rx->phase, next);
	if (!err)
		err = quic_crypto_dir_keys(c, rx, next, false);
	if (err)
		return err;
	c->rx_old = 0;
	rx->next_ready = 1;
	return 0;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_discard_old_keys);

/* Header protection mask of RFC 9001 section 5.4.3 (AES) and 5.4.4
 * (ChaCha20) for the sample at @sample_off, left in r->hp_buf[0..4].
 */
static int quic_crypto_hp_mask(struct quic_crypto *c, struct quic_crypto_dir *d,
			       struct quic_crypto_req *r, struct sk_buff *skb,
			       unsigned int sample_off)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, d->hp);
	struct scatterlist sg;
	u8 *iv = NULL;
	int err;

	err = skb_copy_bits(skb, sample_off, r->hp_buf, QUIC_HP_SAMPLE_LEN);
	if (err)
		return err;
	if (c->cipher == TLS_CIPHER_CHACHA20_POLY1305) {
		/* counter (little endian) and nonce are the sample itself */
		memcpy(r->nonce, r->hp_buf, QUIC_HP_SAMPLE_LEN);
		memset(r->hp_buf, 0, QUIC_HP_SAMPLE_LEN);
		iv = r->nonce;
	}
	sg_init_one(&sg, r->hp_buf, QUIC_HP_SAMPLE_LEN);
	skcipher_request_set_sync_tfm(req, d->hp);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg, &sg, QUIC_HP_SAMPLE_LEN, iv);
	err = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	return err;
}

/* Mask the first byte and the packet number of a packet just sealed. */
static int quic_crypto_hp_apply(struct quic_crypto *c, struct quic_crypto_req *r,
				struct sk_buff *skb,
				const struct quic_crypto_pkt *p)
{
	unsigned int i;
	u8 *hdr, mask;
	int err;

	err = quic_crypto_hp_mask(c, &c->tx, r, skb,
				  p->start + p->pn_offset + 4);
	if (err)
		return err;
	hdr = skb->data + p->start;
	mask = (hdr[0] & 0x80) ? 0x0f : 0x1f;
	hdr[0] ^= r->hp_buf[0] & mask;
	for (i = 0; i < p->pn_len; i++)
		hdr[p->pn_offset + i] ^= r->hp_buf[1 + i];
	return 0;
}

/* Per-packet nonce: the IV xored with the packet number (section 5.3). */
static u8 *quic_crypto_nonce(struct quic_crypto *c, struct quic_crypto_dir *d,
			     struct quic_crypto_req *r, unsigned int slot,
			     u64 pn)
{
	u8 *nonce = r->nonce;
	int i;

	memset(r->nonce, 0, sizeof(r->nonce));
	if (c->cipher == TLS_CIPHER_AES_CCM_128) {
		/* ccm(aes) takes the B0 flags byte: L' = 15 - 12 - 1 */
		r->nonce[0] = 2;
		nonce++;
	}
	memcpy(nonce, d->iv[slot], QUIC_IV_LEN);
	for (i = 0; i < 8; i++)
		nonce[QUIC_IV_LEN - 1 - i] ^= (pn >> (8 * i)) & 0xff;
	return r->nonce;
}

/* The direction's idle request, or a new one while that is in flight. */
static struct quic_crypto_req *quic_crypto_req_get(struct quic_crypto_dir *d)
{
	struct quic_crypto_req *r = d->req;

	if (r) {
		d->req = NULL;
		return r;
	}
	r = kmalloc(d->req_size, GFP_ATOMIC);
	if (r)
		r->sg = r->sg_small;
	return r;
}

static void quic_crypto_req_free(struct quic_crypto_req *r)
{
	if (r->sg != r->sg_small)
		kfree(r->sg);
	kfree_sensitive(r);
}

static void quic_crypto_req_put(struct quic_crypto_dir *d,
				struct quic_crypto_req *r)
{
	if (d->req) {
		quic_crypto_req_free(r);
		return;
	}
	if (r->sg != r->sg_small)
		kfree(r->sg);
	r->sg = r->sg_small;
	d->req = r;
}

/* What a deferred decryption found, kept in the packet's tag (of no use
 * once verified) until the receive path resumes: quic_crypto_resumed().
 */
struct quic_crypto_mark {
	u64 pn;
	u8 pn_len;
	u8 key_phase;
	u8 key_update;
};

static void quic_crypto_done(QUIC_CRYPTO_DONE_ARG arg, int err)
{
	struct quic_crypto_req *r = quic_crypto_done_data(arg);
	struct quic_crypto *c = r->c;
	struct sk_buff *skb = r->skb;
	struct quic_crypto_mark m = {};

	if (err == -EINPROGRESS)
		return;		/* left a backlog, which we never ask for */
	if (!err && r->enc) {
		err = quic_crypto_hp_apply(c, r, skb, &r->p);
	} else if (!err) {
		BUILD_BUG_ON(sizeof(m) > QUIC_TAG_LEN);
		m.pn = r->p.pn;
		m.pn_len = r->p.pn_len;
		m.key_phase = r->p.key_phase;
		m.key_update = r->p.key_update;
		err = skb_store_bits(skb, r->p.len - QUIC_TAG_LEN, &m,
				     sizeof(m));
	}
	r->cb.done(&r->cb, skb, err);
	quic_crypto_req_free(r);
	quic_crypto_put(c);
}

/* async_aead_test: the operation, then its completion, as a driver's
 * would be called: bottom halves disabled.
 */
static void quic_crypto_defer_work(struct work_struct *work)
{
	struct quic_crypto_req *r = container_of(work, struct quic_crypto_req,
						 work);
	int err;

	err = r->enc ? crypto_aead_encrypt(&r->aead) :
		       crypto_aead_decrypt(&r->aead);
	local_bh_disable();
	aead_request_complete(&r->aead, err);
	local_bh_enable();
}

/* async_aead_refuse: this sealing is refused */
static bool quic_crypto_refuse(void)
{
	unsigned int n = READ_ONCE(async_aead_refuse);

	return n && !(atomic_inc_return(&quic_crypto_refuse_count) % n);
}

/* Seal or open [@off, @off + @len) of @skb, the first @hlen bytes being
 * the associated data.  Returns -EINPROGRESS when the transform deferred
 * the work: @r and the skb then belong to the completion.
 */
static int quic_crypto_aead(struct quic_crypto *c, struct quic_crypto_dir *d,
			    struct quic_crypto_req *r, unsigned int slot,
			    struct sk_buff *skb, unsigned int off,
			    unsigned int hlen, unsigned int len, int nsg,
			    bool enc, const struct quic_crypto_cb *cb)
{
	struct aead_request *req = &r->aead;
	u8 *iv = quic_crypto_nonce(c, d, r, slot, r->p.pn);
	int err;

	if (nsg > QUIC_CRYPTO_REQ_SG) {
		r->sg = kmalloc_array(nsg, sizeof(*r->sg), GFP_ATOMIC);
		if (!r->sg) {
			r->sg = r->sg_small;
			return -ENOMEM;
		}
	}
	sg_init_table(r->sg, nsg);
	err = skb_to_sgvec(skb, r->sg, off, len);
	if (err < 0)
		return err;
	aead_request_set_tfm(req, d->aead[slot]);
	aead_request_set_ad(req, hlen);
	aead_request_set_crypt(req, r->sg, r->sg,
			       len - hlen - (enc ? QUIC_TAG_LEN : 0), iv);
	if (!d->async) {
		aead_request_set_callback(req, 0, NULL, NULL);
		err = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
		/* a synchronous transform, see quic_crypto_dir_alloc() */
		if (WARN_ON_ONCE(err == -EINPROGRESS || err == -EBUSY))
			err = -EIO;
		return err;
	}
	r->c = c;
	r->skb = skb;
	r->enc = enc;
	r->cb = *cb;
	aead_request_set_callback(req, 0, quic_crypto_done, r);
	if (d->defer && enc && quic_crypto_refuse())
		return -ENOSPC;
	refcount_inc(&c->refs);		/* for the completion */
	if (d->defer) {
		INIT_WORK(&r->work, quic_crypto_defer_work);
		queue_work(quic_crypto_wq, &r->work);
		return -EINPROGRESS;
	}
	err = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	if (err != -EINPROGRESS)
		refcount_dec(&c->refs);	/* the owner's stays */
	return err;
}

/**
 * quic_crypto_encrypt - protect a packet in place
 * @c: the state of the packet's level
 * @skb: the datagram: the packet, header (with the truncated packet
 *       number) and plaintext, is its last @p->len bytes, from @p->start;
 *       QUIC_TAG_LEN bytes are appended
 * @p: start, pn_offset, pn_len and pn of the packet; key_phase is set on
 *     return
 * @cb: the completion, for a direction that may be asynchronous
 *      (quic_crypto_async()), or NULL
 *
 * For short headers the key phase bit is set here.  The packet must be
 * long enough for the header protection sample (pad it first): 4 bytes
 * after the start of the packet number, 16 bytes of sample.
 *
 * Return: 0, -EINPROGRESS when @cb will be called with the skb (which the
 * caller may no longer touch), or another negative error.
 */
int quic_crypto_encrypt(struct quic_crypto *c, struct sk_buff *skb,
			struct quic_crypto_pkt *p,
			const struct quic_crypto_cb *cb)
{
	struct quic_crypto_dir *d = &c->tx;
	unsigned int hlen = p->pn_offset + p->pn_len, slot = 0;
	struct quic_crypto_req *r;
	struct sk_buff *trailer;
	int nsg, err;
	u8 *hdr;

	if (!d->ready)
		return -EKEYREJECTED;
	if (p->pn_len < 1 || p->pn_len > 4 || p->start + p->len != skb->len ||
	    p->pn_offset + 4 + QUIC_HP_SAMPLE_LEN > p->len + QUIC_TAG_LEN ||
	    !pskb_may_pull(skb, p->start + hlen) || (d->async && !cb))
		return -EINVAL;
	nsg = skb_cow_data(skb, QUIC_TAG_LEN, &trailer);
	if (nsg < 0)
		return nsg;
	if (nsg > QUIC_CRYPTO_MAX_SG)
		return -EMSGSIZE;
	hdr = skb->data + p->start;
	if (!(hdr[0] & 0x80)) {		/* short header: key phase bit */
		slot = d->phase;
		hdr[0] = (hdr[0] & ~0x04) | (slot << 2);
	}
	p->key_phase = slot;
	if (c->plain) {
		memset(pskb_put(skb, trailer, QUIC_TAG_LEN), 0, QUIC_TAG_LEN);
		return 0;
	}
	r = quic_crypto_req_get(d);
	if (!r)
		return -ENOMEM;
	pskb_put(skb, trailer, QUIC_TAG_LEN);
	r->p = *p;
	err = quic_crypto_aead(c, d, r, slot, skb, p->start, hlen,
			       p->len + QUIC_TAG_LEN, nsg, true, cb);
	if (err == -EINPROGRESS)
		return err;
	if (!err)
		err = quic_crypto_hp_apply(c, r, skb, p);
	quic_crypto_req_put(d, r);
	return err;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_encrypt);

/**
 * quic_crypto_decrypt - remove the protection of a packet in place
 * @c: the state of the packet's level
 * @skb: the packet starts at skb->data and has @p->len bytes
 * @p: pn_offset, len and largest_pn in; pn, pn_len, key_phase and
 *     key_update out
 * @cb: the completion, for a direction that may be asynchronous
 *      (quic_crypto_async()), or NULL
 *
 * On success the plaintext is at [pn_offset + pn_len, len - QUIC_TAG_LEN)
 * and the unprotected first byte in skb->data[0].  On failure the packet
 * must be dropped: it may have been partly transformed.  On -EINPROGRESS
 * the skb belongs to the request until @cb is called with it; the
 * caller then finds @p with quic_crypto_resumed().
 *
 * Return: 0, -EINPROGRESS, -EBADMSG when authentication fails,
 * -EKEYREJECTED when no key matches the key phase, or another negative
 * error.
 */
int quic_crypto_decrypt(struct quic_crypto *c, struct sk_buff *skb,
			struct quic_crypto_pkt *p,
			const struct quic_crypto_cb *cb)
{
	struct quic_crypto_dir *d = &c->rx;
	unsigned int hlen, i, slot = 0;
	struct quic_crypto_req *r;
	struct sk_buff *trailer;
	u32 truncated = 0;
	int nsg, err;
	u8 *hdr;

	p->key_update = 0;
	if (!d->ready)
		return -EKEYREJECTED;
	if (p->len > skb->len ||
	    p->pn_offset + 4 + QUIC_HP_SAMPLE_LEN > p->len ||
	    !pskb_may_pull(skb, p->pn_offset + 4))
		return -EINVAL;
	if (c->plain && !(skb->data[0] & 0x80)) {
		/* unprotected 1-RTT: the header is in the clear */
		hdr = skb->data;
		p->pn_len = (hdr[0] & 0x03) + 1;
		for (i = 0; i < p->pn_len; i++)
			truncated = (truncated << 8) | hdr[p->pn_offset + i];
		p->pn = quic_pn_decode(p->largest_pn, truncated, p->pn_len);
		p->key_phase = (hdr[0] >> 2) & 1;
		if (p->pn_offset + p->pn_len + QUIC_TAG_LEN > p->len)
			return -EINVAL;
		return 0;
	}
	if (d->async && !cb)
		return -EINVAL;
	nsg = skb_cow_data(skb, 0, &trailer);
	if (nsg < 0)
		return nsg;
	if (nsg > QUIC_CRYPTO_MAX_SG)
		return -EMSGSIZE;
	r = quic_crypto_req_get(d);
	if (!r)
		return -ENOMEM;
	err = quic_crypto_hp_mask(c, d, r, skb, p->pn_offset + 4);
	if (err)
		goto out;
	hdr = skb->data;
	hdr[0] ^= r->hp_buf[0] & ((hdr[0] & 0x80) ? 0x0f : 0x1f);
	p->pn_len = (hdr[0] & 0x03) + 1;
	for (i = 0; i < p->pn_len; i++) {
		hdr[p->pn_offset + i] ^= r->hp_buf[1 + i];
		truncated = (truncated << 8) | hdr[p->pn_offset + i];
	}
	p->pn = quic_pn_decode(p->largest_pn, truncated, p->pn_len);
	hlen = p->pn_offset + p->pn_len;
	err = -EINVAL;
	if (hlen + QUIC_TAG_LEN > p->len)
		goto out;

	if (!(hdr[0] & 0x80)) {
		p->key_phase = (hdr[0] >> 2) & 1;
		slot = p->key_phase;
		if (slot != d->phase) {
			err = -EKEYREJECTED;
			if (!c->rx_old && !d->next_ready)
				goto out;
			p->key_update = !c->rx_old;
		}
	}
	r->p = *p;
	err = quic_crypto_aead(c, d, r, slot, skb, 0, hlen, p->len, nsg,
			       false, cb);
	if (err == -EINPROGRESS)
		return err;
out:
	quic_crypto_req_put(d, r);
	return err;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_decrypt);

/**
 * quic_crypto_resumed - what a deferred quic_crypto_decrypt() found
 * @c: the state of the packet's level
 * @skb: the packet, given to the completion with a result of 0
 * @p: as for quic_crypto_decrypt(): len in; pn, pn_len, key_phase and
 *     key_update out
 *
 * A key update the packet started may have been completed meanwhile by
 * another packet of the new phase: it is not reported twice.
 *
 * Return: 0 or -EINVAL.
 */
int quic_crypto_resumed(struct quic_crypto *c, struct sk_buff *skb,
			struct quic_crypto_pkt *p)
{
	struct quic_crypto_mark m;

	if (p->len > skb->len || p->len < QUIC_TAG_LEN ||
	    skb_copy_bits(skb, p->len - QUIC_TAG_LEN, &m, sizeof(m)))
		return -EINVAL;
	p->pn = m.pn;
	p->pn_len = m.pn_len;
	p->key_phase = m.key_phase;
	p->key_update = m.key_update && m.key_phase != c->rx.phase;
	return 0;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_resumed);

/**
 * quic_crypto_limits - usage limits of the level's AEAD (RFC 9001 6.6)
 * @c: the state of the level
 * @confidentiality: out: packets one key may protect
 * @integrity: out: packets failing authentication a connection tolerates,
 *	across all its keys
 *
 * AEAD_AES_128_CCM's 2^21.5 is rounded down; ChaCha20-Poly1305's
 * confidentiality limit is beyond any packet number, as is everything for
 * unprotected 1-RTT packets.
 */
void quic_crypto_limits(const struct quic_crypto *c, u64 *confidentiality,
			u64 *integrity)
{
	switch (c->cipher) {
	case TLS_CIPHER_AES_CCM_128:
		*confidentiality = 2965820;
		*integrity = 2965820;
		break;
	case TLS_CIPHER_CHACHA20_POLY1305:
		*confidentiality = U64_MAX;
		*integrity = 1ULL << 36;
		break;
	default:
		*confidentiality = 1ULL << 23;
		*integrity = 1ULL << 52;
		break;
	}
	if (c->plain) {
		*confidentiality = U64_MAX;
		*integrity = U64_MAX;
	}
}

/**
 * quic_crypto_driver - the implementation of the level's sending AEAD
 * @c: the state
 *
 * Return: its driver name, or "" without keys.
 */
const char *quic_crypto_driver(const struct quic_crypto *c)
{
	struct crypto_aead *tfm = c->tx.aead[0] ?: c->rx.aead[0];

	return tfm ? crypto_aead_driver_name(tfm) : "";
}

static void quic_crypto_proc_tfm(struct seq_file *seq, const char *name,
				 u32 mask, bool test)
{
	struct crypto_aead *tfm = crypto_alloc_aead(name, 0, mask);

	if (IS_ERR(tfm)) {
		seq_printf(seq, "\t(%ld)\t-", PTR_ERR(tfm));
		return;
	}
	seq_printf(seq, "\t%s\t%s", crypto_aead_driver_name(tfm),
		   test ? "deferred" :
		   crypto_aead_alg(tfm)->base.cra_flags & CRYPTO_ALG_ASYNC ?
		   "async" : "sync");
	crypto_free_aead(tfm);
}

/**
 * quic_crypto_proc_show - /proc/net/quic/crypto: the AEAD drivers in use
 * @seq: the file
 * @v: unused
 *
 * For each cipher suite, the implementation new keys get: for 1-RTT
 * packets (which may be asynchronous; "deferred" in the test mode), and
 * for the other levels.
 *
 * Return: 0.
 */
int quic_crypto_proc_show(struct seq_file *seq, void *v)
{
	bool test = READ_ONCE(async_aead_test);
	unsigned int i;

	seq_puts(seq, "SUITE\tAEAD_1RTT\tMODE\tAEAD_HANDSHAKE\tMODE\n");
	for (i = 0; i < ARRAY_SIZE(quic_ciphers); i++) {
		const char *name = quic_ciphers[i].aead;

		seq_puts(seq, quic_ciphers[i].suite);
		quic_crypto_proc_tfm(seq, name, test ? CRYPTO_ALG_ASYNC : 0,
				     test);
		quic_crypto_proc_tfm(seq, name, CRYPTO_ALG_ASYNC, false);
		seq_putc(seq, '\n');
	}
	return 0;
}

/* Retry integrity: one AES-128-GCM transform per version, shared by all
 * connections; computing a tag is rare enough for a lock.
 */
static struct quic_retry_aead {
	struct crypto_aead *tfm;
	spinlock_t lock;	/* serializes users of tfm */
} quic_retry_aead[2];

/**
 * quic_crypto_retry_tag - Retry Integrity Tag (RFC 9001 section 5.8)
 * @version: QUIC version 1 or 2
 * @odcid: Original Destination Connection ID
 * @odcid_len: its length, at most 20
 * @pkt: the Retry packet without its tag
 * @len: its length
 * @tag: output, QUIC_RETRY_TAG_LEN bytes
 *
 * Any context.
 *
 * Return: 0 or a negative error.
 */
int quic_crypto_retry_tag(u32 version, const u8 *odcid,
			  unsigned int odcid_len, const u8 *pkt,
			  unsigned int len, u8 *tag)
{
	struct quic_retry_aead *r;
	struct aead_request *req;
	unsigned int plen, reqsize;
	struct scatterlist sg;
	u8 *buf, *iv;
	int err;

	if (odcid_len > 20 || len > 65535)
		return -EINVAL;
	if (version != QUIC_VERSION_V1 && version != QUIC_VERSION_V2)
		return -EINVAL;
	r = &quic_retry_aead[version == QUIC_VERSION_V2];
	if (!r->tfm)
		return -ENOENT;
	/* Retry Pseudo-Packet, then room for the tag, nonce and request */
	plen = 1 + odcid_len + len;
	reqsize = sizeof(*req) + crypto_aead_reqsize(r->tfm);
	buf = kmalloc(plen + QUIC_TAG_LEN + QUIC_IV_LEN + reqsize, GFP_ATOMIC);
	if (!buf)
		return -ENOMEM;
	buf[0] = odcid_len;
	memcpy(buf + 1, odcid, odcid_len);
	memcpy(buf + 1 + odcid_len, pkt, len);
	iv = buf + plen + QUIC_TAG_LEN;
	memcpy(iv, version == QUIC_VERSION_V2 ? quic_retry_nonce_v2 :
	       quic_retry_nonce_v1, QUIC_IV_LEN);
	req = (struct aead_request *)(iv + QUIC_IV_LEN);

	sg_init_one(&sg, buf, plen + QUIC_TAG_LEN);
	spin_lock_bh(&r->lock);
	aead_request_set_tfm(req, r->tfm);
	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_ad(req, plen);
	aead_request_set_crypt(req, &sg, &sg, 0, iv);
	err = crypto_aead_encrypt(req);
	spin_unlock_bh(&r->lock);
	if (!err)
		memcpy(tag, buf + plen, QUIC_RETRY_TAG_LEN);
	kfree(buf);
	return err;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_crypto_retry_tag);

int quic_crypto_module_init(void)
{
	const u8 *keys[2] = { quic_retry_key_v1, quic_retry_key_v2 };
	struct crypto_aead *tfm;
	int i, err;

	quic_crypto_wq = alloc_ordered_workqueue("quic_crypto_defer", 0);
	if (!quic_crypto_wq)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		spin_lock_init(&quic_retry_aead[i].lock);
		tfm = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
		if (IS_ERR(tfm)) {
			err = PTR_ERR(tfm);
			goto err;
		}
		quic_retry_aead[i].tfm = tfm;
		err = crypto_aead_setkey(tfm, keys[i], 16);
		if (!err)
			err = crypto_aead_setauthsize(tfm, QUIC_TAG_LEN);
		if (err)
			goto err;
	}
	return 0;
err:
	quic_crypto_module_exit();
	return err;
}

void quic_crypto_module_exit(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		crypto_free_aead(quic_retry_aead[i].tfm);
		quic_retry_aead[i].tfm = NULL;
	}
	if (quic_crypto_wq)
		destroy_workqueue(quic_crypto_wq);	/* test mode's work */
	quic_crypto_wq = NULL;
}
