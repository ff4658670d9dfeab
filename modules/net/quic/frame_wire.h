/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QUIC frame encodings (RFC 9000 section 19, RFC 9221 section 4) and the
 * frame types each packet type may carry (RFC 9000 section 12.4).  Pure
 * functions over buffers, built both into the module and into the
 * userspace unit tests and fuzzers.
 */

#ifndef __NET_QUIC_FRAME_WIRE_H
#define __NET_QUIC_FRAME_WIRE_H

#include <linux/bits.h>
#include <linux/types.h>

enum quic_frame_type {
	QUIC_FRAME_PADDING = 0x00,
	QUIC_FRAME_PING = 0x01,
	QUIC_FRAME_ACK = 0x02,
	QUIC_FRAME_ACK_ECN = 0x03,
	QUIC_FRAME_RESET_STREAM = 0x04,
	QUIC_FRAME_STOP_SENDING = 0x05,
	QUIC_FRAME_CRYPTO = 0x06,
	QUIC_FRAME_NEW_TOKEN = 0x07,
	QUIC_FRAME_STREAM = 0x08,		/* 0x08-0x0f */
	QUIC_FRAME_MAX_DATA = 0x10,
	QUIC_FRAME_MAX_STREAM_DATA = 0x11,
	QUIC_FRAME_MAX_STREAMS_BIDI = 0x12,
	QUIC_FRAME_MAX_STREAMS_UNI = 0x13,
	QUIC_FRAME_DATA_BLOCKED = 0x14,
	QUIC_FRAME_STREAM_DATA_BLOCKED = 0x15,
	QUIC_FRAME_STREAMS_BLOCKED_BIDI = 0x16,
	QUIC_FRAME_STREAMS_BLOCKED_UNI = 0x17,
	QUIC_FRAME_NEW_CONNECTION_ID = 0x18,
	QUIC_FRAME_RETIRE_CONNECTION_ID = 0x19,
	QUIC_FRAME_PATH_CHALLENGE = 0x1a,
	QUIC_FRAME_PATH_RESPONSE = 0x1b,
	QUIC_FRAME_CONNECTION_CLOSE = 0x1c,
	QUIC_FRAME_CONNECTION_CLOSE_APP = 0x1d,
	QUIC_FRAME_HANDSHAKE_DONE = 0x1e,
	QUIC_FRAME_DATAGRAM = 0x30,
	QUIC_FRAME_DATAGRAM_LEN = 0x31,
};

#define QUIC_STREAM_BIT_FIN	0x01
#define QUIC_STREAM_BIT_LEN	0x02
#define QUIC_STREAM_BIT_OFF	0x04

#define QUIC_MAX_STREAMS_LIMIT	BIT_ULL(60)
#define QUIC_RESET_TOKEN_LEN	16
#define QUIC_PATH_DATA_LEN	8

/* One acknowledged range, largest first: [start, end] inclusive. */
struct quic_ack_range {
	u64 start;
	u64 end;
};

/* A decoded or to-be-encoded frame; which members are used depends on
 * type.  Data pointers point into the decoded buffer.
 */
struct quic_frame {
	u64 type;
	union {
		struct {
			u64 largest;
			u64 delay;
			u64 first_range;
			u64 range_count;	/* additional ranges */
			const u8 *ranges;	/* decode: Gap/Length pairs */
			unsigned int ranges_len;
			const struct quic_ack_range *out;	/* encode */
			u64 ecn[3];		/* ECT0, ECT1, ECN-CE */
		} ack;
		struct {	/* RESET_STREAM, STOP_SENDING */
			u64 id;
			u64 error;
			u64 final_size;
		} reset;
		struct {	/* CRYPTO, STREAM, DATAGRAM, NEW_TOKEN */
			u64 id;
			u64 offset;
			u64 len;
			const u8 *data;
			u8 fin;
		} data;
		struct {	/* MAX_*, *_BLOCKED, RETIRE_CONNECTION_ID */
			u64 id;
			u64 value;
		} limit;
		struct {
			u64 seq;
			u64 retire_prior_to;
			u8 len;
			u8 cid[20];
			u8 token[QUIC_RESET_TOKEN_LEN];
		} new_cid;
		u8 path[QUIC_PATH_DATA_LEN];
		struct {
			u64 error;
			u64 frame_type;		/* transport close only */
			u64 reason_len;
			const u8 *reason;
		} close;
		unsigned int padding;		/* PADDING: bytes in the run */
	};
};

/* Iterator over the ranges of a decoded ACK frame. */
struct quic_ack_iter {
	const u8 *p;
	unsigned int left;
	u64 remaining;		/* ranges still to read */
	u64 next_end;		/* smallest of the previous range, minus 1 */
	struct quic_ack_range range;
};

int quic_frame_decode(const u8 *buf, size_t len, struct quic_frame *f);
int quic_frame_encode(u8 *buf, size_t size, const struct quic_frame *f);
int quic_frame_check(u64 type, u8 packet_type, bool from_server);
bool quic_frame_ack_eliciting(u64 type);
u64 quic_frame_errcode(int err);

void quic_ack_iter_init(struct quic_ack_iter *it, const struct quic_frame *f);
bool quic_ack_iter_next(struct quic_ack_iter *it);

#endif /* __NET_QUIC_FRAME_WIRE_H */
