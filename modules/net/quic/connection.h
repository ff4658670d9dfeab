/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection state of a QUIC socket: connection IDs, the three packet
 * number spaces with their keys and CRYPTO streams, sent packets awaiting
 * acknowledgment, and for listeners the queue of new connections.
 */

#ifndef __NET_QUIC_CONNECTION_H
#define __NET_QUIC_CONNECTION_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/inet_ecn.h>
#include <uapi/linux/quic.h>

#include "cid_table.h"
#include "cong.h"
#include "connid.h"
#include "crypto.h"
#include "path.h"
#include "frame_wire.h"
#include "pmtu.h"
#include "pnspace.h"
#include "stream.h"
#include "udp.h"

/* Bytes of CRYPTO data buffered per level, each way (RFC 9000 section 7.5
 * asks for at least 4096; certificate chains need more).
 */
#define QUIC_CRYPTO_BUF_MAX	(64 * 1024)
#define QUIC_PENDING_MAX	16	/* datagrams waiting for keys */
#define QUIC_RX_DEFER_MAX	64	/* ... left to a sleeping reader */
#define QUIC_MAX_DATAGRAM	1200	/* datagram size until PMTU discovery */
#define QUIC_PTO_INITIAL_MS	1000	/* RFC 9002 section 6.2.2 */
#define QUIC_PTO_MAX_COUNT	8	/* handshake: give up after that many */
#define QUIC_HS_SILENCE		(10 * HZ)	/* ... with nothing received */
#define QUIC_NEW_TOKEN_MAX	512	/* NEW_TOKEN tokens a client keeps */
#define QUIC_TICKET_MAX_LEN	4096	/* NewSessionTicket messages kept */
#define QUIC_TICKET_KEY_LEN	64	/* session ticket key (GnuTLS size) */

/* The receive side of a CRYPTO stream. */
struct quic_crypto_rx {
	u64 offset;			/* next byte to deliver */
	struct sk_buff_head ooo;	/* out of order, sorted by offset */
	u32 ooo_bytes;			/* their data */
	u32 ooo_mem;			/* their truesize, in sk_rmem_alloc */
};

/* The send side: every byte the handshake queued, until acknowledged. */
struct quic_crypto_tx {
	u8 *buf;
	u32 len;			/* bytes queued */
	u32 size;			/* allocated */
	u32 sent;			/* next byte to send */
};

/* What a sent packet carried besides CRYPTO data, to act on when it is
 * acknowledged or lost.
 */
enum {
	QUIC_SF_STREAM,			/* id, off, len, fin */
	QUIC_SF_RESET,			/* RESET_STREAM of stream id */
	QUIC_SF_STOP,			/* STOP_SENDING of stream id */
	QUIC_SF_MAX_STREAM_DATA,	/* of stream id */
	QUIC_SF_NEW_CID,		/* NEW_CONNECTION_ID, id: its number */
	QUIC_SF_RETIRE_CID,		/* RETIRE_CONNECTION_ID, id: number */
};

struct quic_sent_frame {
	s64 id;
	u64 off;
	u32 len;
	u8 type;
	u8 fin;
};

#define QUIC_SENT_FRAMES	8

/* A sent ack-eliciting packet, kept until acknowledged or declared lost;
 * a lost one with stream data waits on conn->lost until that is sent
 * again.
 */
struct quic_sent {
	struct list_head list;
	u64 pn;
	ktime_t time;
	u32 crypto_off;			/* CRYPTO bytes it carried */
	u32 crypto_len;
	u16 bytes;			/* size, for bytes in flight */
	u8 nframes;
	u8 next;			/* lost: frames already sent again */
	u8 handshake_done:1;
	u8 new_token:1;
	u8 max_data:1;
	u8 max_streams_bidi:1;
	u8 max_streams_uni:1;
	u8 early:1;			/* a 0-RTT packet */
	u8 ecn:1;			/* sent with ECT(0) */
	u8 ack:1;			/* it carried an ACK frame */
	u16 probe;			/* a PMTU probe of that size */
	struct quic_cong_snap snap;	/* for the delivery rate */
	struct quic_sent_frame f[QUIC_SENT_FRAMES];
};

/* ECN on the path (RFC 9000 section 13.4): packets are marked ECT(0)
 * until the peer's counts contradict what was sent.
 */
enum quic_ecn_state {
	QUIC_ECN_TESTING,		/* marking, not yet validated */
	QUIC_ECN_CAPABLE,		/* the peer's counts add up */
	QUIC_ECN_FAILED,		/* not marking */
};

#define QUIC_ECN_TEST_LOST	10	/* all lost: the path drops ECT */

struct quic_conn {
	u32 version;			/* in use */
	u32 orig_version;		/* of the client's first Initial */
	u32 vn_target;			/* server: may switch to it, sends held */
	u32 probe_version;		/* client: one we do not speak, to
					 * provoke Version Negotiation
					 */
	u32 vn_chosen;			/* client: picked from its list */
	u8 vn_probe:1;			/* client: waiting for it */
	u8 vn_reacted:1;		/* client: a new attempt after it */
	u8 is_serv:1;
	u8 hs_complete:1;		/* TLS handshake complete */
	u8 hs_confirmed:1;		/* RFC 9001 section 4.1.2 */
	u8 hs_done_pending:1;		/* server: HANDSHAKE_DONE to send */
	u8 addr_validated:1;		/* server: anti-amplification lifted */
	u8 ping_pending:1;		/* a probe is due */
	u8 dcid_final:1;		/* client: took the server's CID */
	u8 retried:1;			/* a Retry was used */
	u8 new_token_pending:1;		/* server: NEW_TOKEN to send */
	u8 pto_count;
	u16 token_len;

	struct quic_cid scid;		/* ours: the one in use */
	struct quic_cid dcid;		/* the peer's: the one we send to */
	struct quic_cid odcid;		/* client's first Destination CID */
	struct quic_cid retry_scid;	/* the Retry's Source CID */
	u8 *token;			/* client: Retry's or the user's,
					 * charged to the socket
					 */
	u8 *new_token;			/* client: the last NEW_TOKEN's */
	u16 new_token_len;
	u8 *ticket;			/* client: NewSessionTicket messages */
	u16 ticket_len;
	u8 ticket_user:1;		/* ticket: session data set by the user */
	u8 ticket_key_set:1;		/* server: ticket_key is valid */
	u8 listened:1;			/* listen() was called: quic_close() */
	u8 ticket_key[QUIC_TICKET_KEY_LEN];
	struct quic_connids ids;	/* all of them, both ways */
	struct quic_path path;		/* one being validated */
	/* the route of our datagrams to @peer from quic_sk()->udp, looked
	 * up once, not per datagram; reset when either changes
	 */
	struct dst_cache dst_cache;
	union quic_addr dst_peer;
	struct quic_udp_sock *dst_udp;
	int dst_oif;
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
	ktime_t loss_time[QUIC_PNSPACE_MAX];	/* time threshold, or 0 */

	struct quic_streams streams;
	struct quic_cong cong;
	u16 mtu;			/* datagram size in use (PMTUD) */
	struct quic_pmtu pmtu;
	struct list_head lost;		/* sent records with data to resend */
	struct list_head sent_pool;	/* records to reuse (quic_sent_alloc) */
	u8 sent_pooled;
	struct sk_buff_head dgramq;	/* DATAGRAM frames to send */
	struct sk_buff_head early_q;	/* data received before the handshake
					 * completed, for recvmsg() after it
					 */
	u32 close_errcode;		/* application close, and received */
	u8 close_frame;
	u8 close_phrase_len;
	u8 close_phrase[QUIC_CLOSE_PHRASE_MAX_LEN];
	struct sk_buff *close_dgram;	/* our CONNECTION_CLOSE datagram */
	u8 close_async;			/* ... whose encryption is deferred:
					 * the completion sets close_dgram
					 * and clears this (wait_var_event)
					 */
	unsigned long close_until;	/* end of the closing period; the
					 * completion may extend it (ONCE)
					 */

	struct sk_buff_head pending;	/* datagrams waiting for keys */
	struct sk_buff_head rx_defer;	/* for a reader asleep in recvmsg():
					 * quic_packet_deliver()
					 */
	unsigned int rx_waiters;	/* readers asleep in recvmsg() */
	struct timer_list pto_timer;
	struct timer_list ack_timer;	/* delayed ACK of 1-RTT packets */
	struct hrtimer pace_timer;	/* the pacer lets a packet go */
	unsigned long deferred;		/* QUIC_DEFER_* bits (timer.c) */
	struct work_struct retry_work;	/* client: rekey after a Retry */
	struct work_struct key_work;	/* answer the peer's key update */
	struct work_struct discard_work;	/* free discarded keys */
	struct delayed_work key_discard_work;	/* drop the old keys */
	u8 ecn_state;			/* enum quic_ecn_state */
	u8 ecn_lost;			/* ECT packets lost before validation */
	u8 key_update_rx:1;		/* the peer updated: follow */
	u8 key_update_wait:1;		/* we updated: the peer did not yet */
	u8 key_phase_set:1;		/* key_phase_pn is valid */
	u8 key_update_auto:1;		/* key_work: the keys are worn */
	u8 key_label_try:1;		/* key_work: the other "ku" label */
	u8 key_wait_ptos;		/* probe timeouts since our update */
	u8 half_open:1;			/* server, counted in quic_net's
					 * half_open until its handshake
					 * completes
					 */
	u8 rx_old_phase:1;		/* the packet being processed came
					 * with the previous 1-RTT keys
					 */
	u8 rx_refused:1;		/* ... has data we could not keep:
					 * do not acknowledge it
					 */
	u64 key_phase_pn;		/* first 1-RTT packet number of our
					 * current key phase
					 */
	u64 key_pkts;			/* 1-RTT packets sent with our keys */
	u64 key_pkts_next;		/* ... when we update them ourselves */
	u64 auth_fail;			/* packets that failed authentication,
					 * all levels and keys
					 */
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

/* What recvmsg() finds on the receive queue, in skb->cb: handshake data,
 * stream data, a datagram or an event.  Stream data out of order waits
 * with its offset.
 */
struct quic_rcv_cb {
	s64 stream_id;
	u64 offset;
	u8 level;			/* CRYPTO data: its level */
	u8 event:1;			/* a notification */
	u8 dgram:1;			/* a DATAGRAM frame */
	u8 fin:1;			/* the stream's last byte */
	u8 stream:1;			/* stream data */
};

#define QUIC_RCV_CB(skb)	((struct quic_rcv_cb *)&((skb)->cb[0]))

/* A CONNECTION_CLOSE of ours is being sealed asynchronously (tx.c). */
static inline bool quic_conn_close_async(struct quic_conn *c)
{
	/* pairs with quic_packet_encrypted()'s release: close_dgram set */
	return smp_load_acquire(&c->close_async);
}

/* The ECN codepoint of the connection's datagrams. */
static inline u8 quic_ecn_codepoint(const struct quic_conn *c)
{
	return c->ecn_state == QUIC_ECN_FAILED ? INET_ECN_NOT_ECT :
						 INET_ECN_ECT_0;
}

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
int quic_conn_set_token(struct sock *sk, const u8 *token, u16 len, gfp_t gfp);
int quic_conn_retry_rcv(struct sock *sk, struct sk_buff *skb,
			const struct quic_hdr *h);
bool quic_conn_key_phase_ack(struct sock *sk, u64 largest);
void quic_conn_close(struct sock *sk, u64 errcode);
void quic_conn_abort(struct sock *sk, int err);
void quic_conn_discard(struct sock *sk, u8 space);
int quic_conn_set_secret(struct sock *sk, const struct quic_crypto_secret *s);
int quic_conn_key_update(struct sock *sk);
void quic_conn_key_update_rx(struct sock *sk, const struct quic_crypto_pkt *p);
void quic_conn_key_sent(struct sock *sk);
void quic_conn_half_open_end(struct sock *sk);
bool quic_conn_auth_failed(struct sock *sk, const struct quic_crypto *cr);
void quic_conn_key_auth_failed(struct sock *sk, u8 first);
void quic_conn_key_pto(struct sock *sk);
void quic_conn_cancel_work(struct sock *sk);
void quic_conn_close_wait(struct sock *sk);

#endif /* __NET_QUIC_CONNECTION_H */
