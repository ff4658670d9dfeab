/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection IDs of a connection (RFC 9000 section 5.1): the ones we
 * issued to the peer and the ones the peer issued to us.
 */

#ifndef __NET_QUIC_CONNID_H
#define __NET_QUIC_CONNID_H

#include <linux/types.h>
#include <uapi/linux/quic.h>

#include "cid_table.h"
#include "reset.h"

#define QUIC_SCID_SLOTS		8	/* our IDs, those being retired too */
#define QUIC_SCID_ISSUE		4	/* active ones we keep the peer given */
#define QUIC_DCID_SLOTS		8	/* the peer's: our limit, at most */
#define QUIC_RETIRE_MAX		16	/* RETIRE_CONNECTION_ID in progress */

/* Sequence numbers beyond this are a protocol violation here: a peer
 * issuing IDs that fast is abusive, and they fit the user's u32.
 */
#define QUIC_CID_SEQ_MAX	U32_MAX

/* One of our IDs: in the connection ID table while the peer may use it. */
struct quic_scid {
	struct quic_cid_node node;
	u32 seq;
	u8 pending:1;			/* NEW_CONNECTION_ID to send */
};

/* One of the peer's IDs, with its stateless reset token. */
struct quic_dcid {
	struct quic_token_node token;
	struct quic_cid cid;
	u32 seq;
	u8 live:1;
	u8 has_token:1;
};

struct quic_connids {
	struct quic_scid src[QUIC_SCID_SLOTS];
	struct quic_dcid dst[QUIC_DCID_SLOTS];
	u32 src_next;			/* sequence number of the next ID */
	u32 src_prior;			/* our Retire Prior To */
	u32 src_active;			/* the ID the peer addressed last */
	u32 dst_prior;			/* the peer's Retire Prior To */
	u32 dst_active;			/* the ID we send to (conn->dcid) */
	u32 rx_seq;			/* the ID of the packet in process */
	u32 retire[QUIC_RETIRE_MAX];
	u8 retire_state[QUIC_RETIRE_MAX];
	u8 dst_ready:1;			/* dst[0] is the handshake's ID */
	u8 started:1;			/* issuing beyond the first ID */
};

struct quic_frame;
struct sock;

int quic_connid_first(struct sock *sk);
void quic_connid_free(struct sock *sk);
void quic_connid_peer_token(struct sock *sk, const u8 *token);
void quic_connid_start(struct sock *sk);

bool quic_connid_match(struct sock *sk, const u8 *dcid, u8 len);
void quic_connid_used(struct sock *sk);
bool quic_connid_is_reset(struct sock *sk, const u8 *tail);
int quic_connid_next_dest(struct sock *sk);
bool quic_connid_spare_dest(struct sock *sk);
int quic_connid_preferred(struct sock *sk, struct quic_cid *cid);
int quic_connid_peer_preferred(struct sock *sk, const u8 *cid, u8 len,
			       const u8 *token);
int quic_connid_use(struct sock *sk, u32 seq);

int quic_connid_rcv_new(struct sock *sk, const struct quic_frame *f,
			u64 *errcode);
int quic_connid_rcv_retire(struct sock *sk, const struct quic_frame *f,
			   u64 *errcode);

bool quic_connid_wants(struct sock *sk);
bool quic_connid_next(struct sock *sk, struct quic_frame *f, u8 *type);
void quic_connid_sent(struct sock *sk, u8 type, u32 seq);
void quic_connid_lost(struct sock *sk, u8 type, u32 seq);
void quic_connid_acked(struct sock *sk, u8 type, u32 seq);

int quic_connid_get(struct sock *sk, struct quic_connection_id_info *info);
int quic_connid_set(struct sock *sk,
		    const struct quic_connection_id_info *info);

#endif /* __NET_QUIC_CONNID_H */
