/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QUIC packet protection (RFC 9001 section 5, RFC 9369 section 3.3):
 * key derivation with HKDF, AEAD payload protection, header protection,
 * key update and Retry integrity tags, on the kernel crypto API.
 */

#ifndef __NET_QUIC_CRYPTO_H
#define __NET_QUIC_CRYPTO_H

#include <linux/refcount.h>
#include <linux/types.h>

struct crypto_aead;
struct crypto_shash;
struct crypto_sync_skcipher;
struct aead_request;
struct scatterlist;
struct seq_file;
struct sk_buff;

#define QUIC_SECRET_MAX		48	/* SHA-384 */
#define QUIC_KEY_MAX		32
#define QUIC_IV_LEN		12
#define QUIC_TAG_LEN		16
#define QUIC_HP_SAMPLE_LEN	16
#define QUIC_RETRY_TAG_LEN	16

/* The AEAD of a packet covers at most the skb head and its page frags. */
#define QUIC_CRYPTO_MAX_SG	(MAX_SKB_FRAGS + 2)

struct quic_crypto_req;

/* One direction of one encryption level.  Key update keeps two key
 * generations, indexed by the key phase bit of the packets they protect.
 */
struct quic_crypto_dir {
	struct crypto_aead *aead[2];
	struct crypto_sync_skcipher *hp;
	struct quic_crypto_req *req;	/* an idle request, see crypto.c */
	unsigned int req_size;
	u8 secret[2][QUIC_SECRET_MAX];
	u8 iv[2][QUIC_IV_LEN];
	u8 phase;			/* key phase used for sending/expected */
	u8 ready:1;
	u8 next_ready:1;		/* the other generation holds usable keys */
	u8 async:1;			/* the AEAD may complete asynchronously */
	u8 defer:1;			/* ... always: async_aead_test */
};

/* The packet protection state of one encryption level.
 *
 * Where crypto may sleep: allocating transforms (it may load modules) and
 * setting AEAD keys (the GCM template allocates with GFP_KERNEL and waits
 * for its own hash key computation) happen only in quic_crypto_set_secret(),
 * quic_crypto_initial_keys() and quic_crypto_key_update(), which run in
 * process context.  Per-packet calls (quic_crypto_encrypt(),
 * quic_crypto_decrypt(), quic_crypto_retry_tag()) never sleep and are
 * safe in softirq context.
 *
 * The AEAD of the Initial, Handshake and 0-RTT levels, whose packets may
 * be followed by others in their datagram, is a synchronous transform.
 * That of 1-RTT packets, the bulk of the traffic and always last in their
 * datagram, may be asynchronous: on x86 before 7.0 the AES-NI GCM is
 * registered so (a SIMD wrapper that defers to cryptd only where the FPU
 * cannot be used), as are hardware engines.  Such a call returns
 * -EINPROGRESS when it was deferred: the skb then belongs to the request
 * until the caller's struct quic_crypto_cb completion runs (in softirq
 * context or with bottom halves disabled), and the state stays allocated
 * until then (quic_crypto_put()).
 *
 * Per-packet calls on one quic_crypto are serialized by the caller (the
 * socket lock), since they share the idle request of their direction.
 */
struct quic_crypto {
	struct quic_crypto_dir tx, rx;
	struct crypto_shash *hash;	/* hmac(sha256) or hmac(sha384) */
	refcount_t refs;		/* the owner and requests in flight */
	u32 cipher;			/* TLS_CIPHER_* */
	u32 version;			/* QUIC version the labels belong to */
	u8 secret_len;
	u8 key_len;
	u8 rx_old:1;	/* rx.aead[!rx.phase] holds the previous keys */
	u8 ku_v1:1;	/* v2: the next generations with v1's "quic ku" */
	u8 ku_settled:1;	/* a key update worked: the label is known */
	u8 ku_tries;	/* label switches so far (at most QUIC_KU_TRIES) */
	u8 plain:1;	/* 1-RTT without protection: both ends set
			 * disable_1rtt_encryption; the tag bytes are zero
			 */
};

/* The completion of a deferred call and what it needs, copied into the
 * request: @done gets the packet's skb and the result (for encryption,
 * the header protection is applied already).
 */
struct quic_crypto_cb {
	void (*done)(const struct quic_crypto_cb *cb, struct sk_buff *skb,
		     int err);
	void *data;
	u8 priv[80] __aligned(8);
};

/* Packet geometry for quic_crypto_encrypt() and quic_crypto_decrypt(). */
struct quic_crypto_pkt {
	unsigned int start;	/* encrypt: offset of the packet in the skb */
	unsigned int pn_offset;	/* offset of the Packet Number field */
	unsigned int len;	/* bytes of this packet */
	u8 pn_len;		/* encrypt: 1-4; decrypt: out */
	u8 key_phase;		/* encrypt: ignored; decrypt: out (short header) */
	u8 key_update:1;	/* decrypt: out, protected with the next keys */
	u64 pn;			/* encrypt: the full packet number; decrypt: out */
	s64 largest_pn;		/* decrypt: largest received in the space, or -1 */
};

int quic_hkdf_extract(struct crypto_shash *hash, const u8 *salt,
		      unsigned int salt_len, const u8 *ikm,
		      unsigned int ikm_len, u8 *prk);
int quic_hkdf_expand_label(struct crypto_shash *hash, const u8 *prk,
			   unsigned int prk_len, const char *label,
			   u8 *out, unsigned int out_len);

void quic_crypto_init(struct quic_crypto *c);
void quic_crypto_free(struct quic_crypto *c);
void quic_crypto_put(struct quic_crypto *c);
int quic_crypto_initial_keys(struct quic_crypto *c, const u8 *dcid,
			     unsigned int dcid_len, u32 version,
			     bool is_server);
int quic_crypto_set_secret(struct quic_crypto *c, u32 cipher, u32 version,
			   const u8 *secret, bool send, bool key_update);
int quic_crypto_key_update(struct quic_crypto *c);
void quic_crypto_limits(const struct quic_crypto *c, u64 *confidentiality,
			u64 *integrity);
int quic_crypto_discard_old_keys(struct quic_crypto *c);
bool quic_crypto_ku_unsettled(const struct quic_crypto *c);
int quic_crypto_ku_switch(struct quic_crypto *c);

int quic_crypto_encrypt(struct quic_crypto *c, struct sk_buff *skb,
			struct quic_crypto_pkt *p,
			const struct quic_crypto_cb *cb);
int quic_crypto_decrypt(struct quic_crypto *c, struct sk_buff *skb,
			struct quic_crypto_pkt *p,
			const struct quic_crypto_cb *cb);
int quic_crypto_resumed(struct quic_crypto *c, struct sk_buff *skb,
			struct quic_crypto_pkt *p);

/* The direction's calls may complete asynchronously: they need a
 * struct quic_crypto_cb.
 */
static inline bool quic_crypto_async(const struct quic_crypto *c, bool tx)
{
	return tx ? c->tx.async : c->rx.async;
}

/* An error of quic_crypto_encrypt() or quic_crypto_decrypt() that says
 * nothing of the packet: the transform's queue was full (cryptd refuses
 * past its per-CPU length when not allowed a backlog) or memory ran out.
 */
static inline bool quic_crypto_refused(int err)
{
	return err == -ENOSPC || err == -EBUSY || err == -ENOMEM;
}

const char *quic_crypto_driver(const struct quic_crypto *c);
int quic_crypto_proc_show(struct seq_file *seq, void *v);

int quic_crypto_retry_tag(u32 version, const u8 *odcid,
			  unsigned int odcid_len, const u8 *pkt,
			  unsigned int len, u8 *tag);

int quic_crypto_module_init(void);
void quic_crypto_module_exit(void);

#endif /* __NET_QUIC_CRYPTO_H */
