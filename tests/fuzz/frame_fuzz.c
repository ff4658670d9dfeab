// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the frame decoder (modules/net/quic/frame_wire.c).
 * The input is a decrypted packet payload, decoded frame by frame; every
 * frame that decodes is encoded again and must decode to the same
 * values, ACK ranges are walked and must descend, and the per-packet-type
 * check runs for every packet type.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/linux/quic.h>

#include "frame_wire.h"
#include "header.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define MAX_RANGES 64

static u8 out[70000];

static void check_ack(const struct quic_frame *f)
{
	struct quic_ack_range r[MAX_RANGES];
	struct quic_frame e, g;
	struct quic_ack_iter it;
	u64 prev_start = 0;
	unsigned int n = 0;
	int len;

	quic_ack_iter_init(&it, f);
	while (quic_ack_iter_next(&it)) {
		CHECK(it.range.start <= it.range.end);
		if (n)	/* descending, with a gap of at least one */
			CHECK(it.range.end + 2 <= prev_start);
		prev_start = it.range.start;
		if (n < MAX_RANGES)
			r[n] = it.range;
		n++;
	}
	CHECK(n == f->ack.range_count + 1);
	if (n > MAX_RANGES)
		return;
	e = *f;
	e.ack.out = r;
	len = quic_frame_encode(out, sizeof(out), &e);
	CHECK(len > 0);
	CHECK(quic_frame_decode(out, len, &g) == len);
	CHECK(g.ack.largest == f->ack.largest &&
	      g.ack.first_range == f->ack.first_range &&
	      g.ack.range_count == f->ack.range_count &&
	      g.ack.delay == f->ack.delay &&
	      !memcmp(g.ack.ecn, f->ack.ecn, sizeof(g.ack.ecn)));
}

static void check_reencode(const struct quic_frame *f)
{
	struct quic_frame g;
	int len;

	switch (f->type) {
	case QUIC_FRAME_PADDING:
		return;
	case QUIC_FRAME_ACK:
	case QUIC_FRAME_ACK_ECN:
		check_ack(f);
		return;
	}
	len = quic_frame_encode(out, sizeof(out), f);
	CHECK(len > 0);
	CHECK(quic_frame_decode(out, len, &g) == len);
	CHECK(g.type == f->type || (f->type >= QUIC_FRAME_STREAM &&
				    f->type <= QUIC_FRAME_STREAM + 7));
	switch (f->type) {
	case QUIC_FRAME_STREAM ... QUIC_FRAME_STREAM + 7:
	case QUIC_FRAME_CRYPTO:
	case QUIC_FRAME_NEW_TOKEN:
	case QUIC_FRAME_DATAGRAM:
	case QUIC_FRAME_DATAGRAM_LEN:
		CHECK(g.data.id == f->data.id && g.data.offset == f->data.offset &&
		      g.data.len == f->data.len && g.data.fin == f->data.fin &&
		      (!g.data.len || !memcmp(g.data.data, f->data.data, g.data.len)));
		break;
	case QUIC_FRAME_CONNECTION_CLOSE:
	case QUIC_FRAME_CONNECTION_CLOSE_APP:
		CHECK(g.close.error == f->close.error &&
		      g.close.frame_type == f->close.frame_type &&
		      g.close.reason_len == f->close.reason_len);
		break;
	case QUIC_FRAME_NEW_CONNECTION_ID:
		CHECK(!memcmp(&g.new_cid, &f->new_cid, sizeof(g.new_cid)));
		break;
	case QUIC_FRAME_PATH_CHALLENGE:
	case QUIC_FRAME_PATH_RESPONSE:
		CHECK(!memcmp(g.path, f->path, sizeof(g.path)));
		break;
	default:
		CHECK(!memcmp(&g.reset, &f->reset, sizeof(g.reset)));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quic_frame f;
	size_t off = 0;
	u8 t;
	int n;

	while (off < size) {
		n = quic_frame_decode(data + off, size - off, &f);
		if (n < 0) {
			CHECK(n == -EINVAL || n == -EPROTO);
			(void)quic_frame_errcode(n);
			break;
		}
		CHECK(n > 0 && (size_t)n <= size - off);
		for (t = QUIC_PACKET_INITIAL; t <= QUIC_PACKET_VERSION_NEGOTIATION; t++) {
			n = quic_frame_check(f.type, t, t & 1);
			CHECK(!n || n == -EPROTO);
		}
		(void)quic_frame_ack_eliciting(f.type);
		check_reencode(&f);
		off += quic_frame_decode(data + off, size - off, &f);
	}
	return 0;
}
