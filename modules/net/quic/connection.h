/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection state of a QUIC socket: connection IDs, the three packet
 * number spaces with their keys and CRYPTO streams, sent packets awaiting
 * acknowledgment, and for listeners the queue of new connections.
 */

#ifndef __NET_QUIC_CONNECTION_H
#define __NET_QUIC_CONNECTION_H

#include <linux/list.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <uapi/linux/quic.h>

#include "cid.h"
#include "crypto.h"
#include "frame_wire.h"
#include "pnspace.h"
#include "udp.h"

/* Bytes of CRYPTO data buffered per level, each way (RFC 9000 section 7.5
 * asks for at least 4096; certificate chains need more).
 */
#define QUIC_CRYPTO_BUF_MAX	(64 * 1024)
#define QUIC_PENDING_MAX	16	/* datagrams waiting for keys */
#define QUIC_MAX_DATAGRAM	1200	/* datagram size until PMTU discovery */
#define QUIC_PTO_INITIAL_MS	1000	/* RFC 9002 section 6.2.2 */
#define QUIC_PTO_MAX_COUNT	8	/* give up after that many probes */
#define QUIC_TOKEN_MAX_LEN	128	/* tokens a client sends */
#define QUIC_NEW_TOKEN_MAX	512	/* NEW_TOKEN tokens a client keeps */
#define QUIC_TICKET_MAX_LEN	4096	/* NewSessionTicket messages kept */
#define QUIC_TICKET_KEY_LEN	64	/* session ticket key (GnuTLS size) */

/* The receive side of a CRYPTO stream. */
struct quic_crypto_rx {
	u64 offset;			/* next byte to deliver */
	struct sk_buff_head ooo;	/* out of order, sorted by offset */
	u32 ooo_bytes;
};

/* The send side: every byte the handshake queued, until acknowledged. */
struct quic_crypto_tx {
	u8 *buf;
	u32 len;			/* bytes queued */
	u32 size;			/* allocated */
	u32 sent;			/* next byte to send */
};

/* A sent ack-eliciting packet, kept until acknowledged or declared lost. */
struct quic_sent {
	struct list_head list;
	u64 pn;
	u32 crypto_off;			/* CRYPTO bytes it carried */
	u32 crypto_len;
	u8 handshake_done:1;
	u8 new_token:1;
};

struct quic_conn {
	u32 version;			/* in use */
	u32 orig_version;		/* of the client's first Initial */
	u32 vn_target;			/* server: may switch to it, sends held */
	u8 is_serv:1;
	u8 hs_complete:1;		/* TLS handshake complete */
	u8 hs_confirmed:1;		/* RFC 9001 section 4.1.2 */
	u8 hs_done_pending:1;		/* server: HANDSHAKE_DONE to send */
	u8 addr_validated:1;		/* server: anti-amplification lifted */
	u8 ping_pending:1;		/* a probe is due */
	u8 dcid_final:1;		/* client: took the server's CID */
	u8 retried:1;			/* a Retry was used */
	u8 new_token_pending:1;		/* server: NEW_TOKEN to send */
	u8 token_len;
	u8 pto_count;

	struct quic_cid scid;		/* ours */
	struct quic_cid dcid;		/* the peer's */
	struct quic_cid odcid;		/* client's first Destination CID */
	struct quic_cid retry_scid;	/* the Retry's Source CID */
	u8 token[QUIC_TOKEN_MAX_LEN];	/* client: Retry's or the user's */
	u8 *new_token;			/* client: the last NEW_TOKEN's */
	u16 new_token_len;
	u8 *ticket;			/* client: NewSessionTicket messages */
	u16 ticket_len;
	u8 ticket_user:1;		/* ticket: session data set by the user */
	u8 ticket_key_set:1;		/* server: ticket_key is valid */
	u8 ticket_key[QUIC_TICKET_KEY_LEN];
	struct quic_cid_node scid_node;
	struct quic_cid_node odcid_node;
	union quic_addr peer;

	/* indexed by enum quic_crypto_level */
	struct quic_crypto *crypto[QUIC_CRYPTO_MAX];
	struct quic_crypto *initial_alt;	/* client: the other version's */
	/* indexed by enum quic_pnspace_id */
	struct quic_pnspace space[QUIC_PNSPACE_MAX];
	struct quic_crypto_rx crx[QUIC_PNSPACE_MAX];
	struct quic_crypto_tx ctx[QUIC_PNSPACE_MAX];
	struct list_head sent[QUIC_PNSPACE_MAX];

	struct sk_buff_head pending;	/* datagrams waiting for keys */
	struct timer_list pto_timer;
	struct work_struct retry_work;	/* client: rekey after a Retry */
	unsigned long last_rx;		/* jiffies of the last packet in */
	u64 bytes_rx;			/* server, before validation */
	u64 bytes_tx;

	/* listener */
	struct hlist_node listen_node;	/* on udp->listeners */
	struct list_head accept_q;
	struct sk_buff_head reqq;	/* Initials for new connections */
	struct work_struct req_work;
	/* accepted connection */
	struct list_head accept_node;
};

/* Per-datagram receive information, in skb->cb. */
struct quic_skb_cb {
	union quic_addr peer;		/* source of the datagram */
	u8 level;			/* delivered CRYPTO data: its level */
	u8 event:1;			/* a notification, not data */
};

#define QUIC_SKB_CB(skb)	((struct quic_skb_cb *)&((skb)->cb[0]))

static inline u8 quic_level_space(u8 level)
{
	switch (level) {
	case QUIC_CRYPTO_INITIAL:
		return QUIC_PNSPACE_INITIAL;
	case QUIC_CRYPTO_HANDSHAKE:
		return QUIC_PNSPACE_HANDSHAKE;
	default:
		return QUIC_PNSPACE_APP;
	}
}

static inline u8 quic_space_level(u8 space)
{
	switch (space) {
	case QUIC_PNSPACE_INITIAL:
		return QUIC_CRYPTO_INITIAL;
	case QUIC_PNSPACE_HANDSHAKE:
		return QUIC_CRYPTO_HANDSHAKE;
	default:
		return QUIC_CRYPTO_APP;
	}
}

struct sock;

void quic_conn_init(struct sock *sk);
void quic_conn_free(struct sock *sk);
void quic_conn_close(struct sock *sk, u64 errcode);
void quic_conn_abort(struct sock *sk, int err);
void quic_conn_discard(struct sock *sk, u8 space);
void quic_conn_arm_pto(struct sock *sk);
int quic_conn_set_secret(struct sock *sk, const struct quic_crypto_secret *s);

int quic_outq_crypto_queue(struct sock *sk, u8 level, struct iov_iter *from,
			   size_t len);
void quic_outq_ack(struct sock *sk, u8 space, const struct quic_frame *f);

int quic_inq_crypto(struct sock *sk, u8 level, const struct quic_frame *f);
void quic_inq_replay_pending(struct sock *sk);
void quic_inq_new_token(struct sock *sk, const struct quic_frame *f);
int quic_inq_event(struct sock *sk, u8 type, const void *data, u32 len);

#endif /* __NET_QUIC_CONNECTION_H */
