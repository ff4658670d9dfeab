// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Frame encodings.
 *
 * A frame is a variable-length integer type followed by type-specific
 * fields, most of them variable-length integers (RFC 9000 section 12.4).
 * The decoder checks every length against the buffer and every value
 * against the limits of section 19 before the caller sees it; it never
 * reads past @len.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <uapi/linux/quic.h>

#include "compat.h"
#include "frame_wire.h"
#include "header.h"
#include "varint.h"

struct quic_wbuf {	/* bounded reader or writer */
	u8 *w;
	const u8 *r;
	size_t len;
	size_t off;
	int err;
};

static u64 quic_rd_varint(struct quic_wbuf *b)
{
	u64 v = 0;
	int n;

	if (b->err)
		return 0;
	n = quic_varint_get(b->r + b->off, b->len - b->off, &v);
	if (n < 0) {
		b->err = -EINVAL;
		return 0;
	}
	b->off += n;
	return v;
}

/* @n bytes of the input; NULL (and the error set) when fewer remain. */
static const u8 *quic_rd_bytes(struct quic_wbuf *b, u64 n)
{
	const u8 *p;

	if (b->err)
		return NULL;
	if (n > b->len - b->off) {
		b->err = -EINVAL;
		return NULL;
	}
	p = b->r + b->off;
	b->off += n;
	return p;
}

static void quic_wr_varint(struct quic_wbuf *b, u64 v)
{
	int n;

	if (b->err)
		return;
	n = quic_varint_put(b->w + b->off, b->len - b->off, v);
	if (n < 0) {
		b->err = n == -ERANGE ? -EINVAL : n;
		return;
	}
	b->off += n;
}

static void quic_wr_bytes(struct quic_wbuf *b, const void *p, u64 n)
{
	if (b->err)
		return;
	if (n > b->len - b->off) {
		b->err = -ENOSPC;
		return;
	}
	if (n)
		memcpy(b->w + b->off, p, n);
	b->off += n;
}

static int quic_decode_ack(struct quic_wbuf *b, struct quic_frame *f)
{
	u64 smallest, gap, len, i;
	size_t start;

	f->ack.largest = quic_rd_varint(b);
	f->ack.delay = quic_rd_varint(b);
	f->ack.range_count = quic_rd_varint(b);
	f->ack.first_range = quic_rd_varint(b);
	if (b->err || f->ack.first_range > f->ack.largest)
		return -EINVAL;
	smallest = f->ack.largest - f->ack.first_range;
	start = b->off;
	/* each range takes at least two bytes: the count is bounded by len */
	for (i = 0; i < f->ack.range_count; i++) {
		gap = quic_rd_varint(b);
		len = quic_rd_varint(b);
		if (b->err || gap + 2 > smallest)
			return -EINVAL;
		smallest -= gap + 2;	/* largest of this range */
		if (len > smallest)
			return -EINVAL;
		smallest -= len;
	}
	f->ack.ranges = b->r + start;
	f->ack.ranges_len = b->off - start;
	if (f->type == QUIC_FRAME_ACK_ECN)
		for (i = 0; i < 3; i++)
			f->ack.ecn[i] = quic_rd_varint(b);
	return b->err;
}

static int quic_decode_data(struct quic_wbuf *b, struct quic_frame *f,
			    bool has_off, bool has_len)
{
	f->data.offset = has_off ? quic_rd_varint(b) : 0;
	f->data.len = has_len ? quic_rd_varint(b) : b->len - b->off;
	f->data.data = quic_rd_bytes(b, f->data.len);
	if (b->err)
		return b->err;
	/* the end of the data is a stream offset too (section 19.6, 19.8) */
	if (f->data.offset + f->data.len > QUIC_VARINT_MAX)
		return -EINVAL;
	return 0;
}

/**
 * quic_frame_decode - decode the frame at the start of @buf
 * @buf: the frames of a decrypted packet payload, from the frame's start
 * @len: bytes left in the payload
 * @f: the frame
 *
 * Return: bytes consumed; -EINVAL for a malformed or unknown frame
 * (FRAME_ENCODING_ERROR) or -EPROTO for a frame type not in its shortest
 * encoding (PROTOCOL_VIOLATION), see quic_frame_errcode().
 */
int quic_frame_decode(const u8 *buf, size_t len, struct quic_frame *f)
{
	struct quic_wbuf b = { .r = buf, .len = len };
	const u8 *p;
	u64 t;
	int n;

	memset(f, 0, sizeof(*f));
	n = quic_varint_get(buf, len, &t);
	if (n < 0)
		return -EINVAL;
	if ((unsigned int)n != quic_varint_len(t))
		return -EPROTO;
	b.off = n;
	f->type = t;

	switch (t) {
	case QUIC_FRAME_PADDING:
		while (b.off < len && !buf[b.off])
			b.off++;
		f->padding = b.off;
		break;
	case QUIC_FRAME_PING:
	case QUIC_FRAME_HANDSHAKE_DONE:
		break;
	case QUIC_FRAME_ACK:
	case QUIC_FRAME_ACK_ECN:
		b.err = quic_decode_ack(&b, f);
		break;
	case QUIC_FRAME_RESET_STREAM:
		f->reset.id = quic_rd_varint(&b);
		f->reset.error = quic_rd_varint(&b);
		f->reset.final_size = quic_rd_varint(&b);
		break;
	case QUIC_FRAME_STOP_SENDING:
		f->reset.id = quic_rd_varint(&b);
		f->reset.error = quic_rd_varint(&b);
		break;
	case QUIC_FRAME_CRYPTO:
		b.err = quic_decode_data(&b, f, true, true);
		break;
	case QUIC_FRAME_NEW_TOKEN:
		f->data.len = quic_rd_varint(&b);
		f->data.data = quic_rd_bytes(&b, f->data.len);
		if (!b.err && !f->data.len)
			b.err = -EINVAL;
		break;
	case QUIC_FRAME_STREAM ... QUIC_FRAME_STREAM + 7:
		f->data.id = quic_rd_varint(&b);
		f->data.fin = !!(t & QUIC_STREAM_BIT_FIN);
		b.err = quic_decode_data(&b, f, t & QUIC_STREAM_BIT_OFF,
					 t & QUIC_STREAM_BIT_LEN);
		break;
	case QUIC_FRAME_MAX_DATA:
	case QUIC_FRAME_DATA_BLOCKED:
	case QUIC_FRAME_RETIRE_CONNECTION_ID:
		f->limit.value = quic_rd_varint(&b);
		break;
	case QUIC_FRAME_MAX_STREAMS_BIDI:
	case QUIC_FRAME_MAX_STREAMS_UNI:
	case QUIC_FRAME_STREAMS_BLOCKED_BIDI:
	case QUIC_FRAME_STREAMS_BLOCKED_UNI:
		f->limit.value = quic_rd_varint(&b);
		if (f->limit.value > QUIC_MAX_STREAMS_LIMIT)
			b.err = -EINVAL;
		break;
	case QUIC_FRAME_MAX_STREAM_DATA:
	case QUIC_FRAME_STREAM_DATA_BLOCKED:
		f->limit.id = quic_rd_varint(&b);
		f->limit.value = quic_rd_varint(&b);
		break;
	case QUIC_FRAME_NEW_CONNECTION_ID:
		f->new_cid.seq = quic_rd_varint(&b);
		f->new_cid.retire_prior_to = quic_rd_varint(&b);
		p = quic_rd_bytes(&b, 1);
		if (b.err)
			break;
		f->new_cid.len = *p;
		if (!*p || *p > QUIC_CID_MAX_LEN ||
		    f->new_cid.retire_prior_to > f->new_cid.seq) {
			b.err = -EINVAL;
			break;
		}
		p = quic_rd_bytes(&b, f->new_cid.len);
		if (p)
			memcpy(f->new_cid.cid, p, f->new_cid.len);
		p = quic_rd_bytes(&b, QUIC_RESET_TOKEN_LEN);
		if (p)
			memcpy(f->new_cid.token, p, QUIC_RESET_TOKEN_LEN);
		break;
	case QUIC_FRAME_PATH_CHALLENGE:
	case QUIC_FRAME_PATH_RESPONSE:
		p = quic_rd_bytes(&b, QUIC_PATH_DATA_LEN);
		if (p)
			memcpy(f->path, p, QUIC_PATH_DATA_LEN);
		break;
	case QUIC_FRAME_CONNECTION_CLOSE:
	case QUIC_FRAME_CONNECTION_CLOSE_APP:
		f->close.error = quic_rd_varint(&b);
		if (t == QUIC_FRAME_CONNECTION_CLOSE)
			f->close.frame_type = quic_rd_varint(&b);
		f->close.reason_len = quic_rd_varint(&b);
		f->close.reason = quic_rd_bytes(&b, f->close.reason_len);
		break;
	case QUIC_FRAME_DATAGRAM:
	case QUIC_FRAME_DATAGRAM_LEN:
		f->data.len = t == QUIC_FRAME_DATAGRAM_LEN ?
			      quic_rd_varint(&b) : b.len - b.off;
		f->data.data = quic_rd_bytes(&b, f->data.len);
		break;
	default:
		return -EINVAL;		/* unknown frame type */
	}
	return b.err ? -EINVAL : (int)b.off;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_frame_decode);

static int quic_encode_ack(struct quic_wbuf *b, const struct quic_frame *f)
{
	const struct quic_ack_range *r = f->ack.out;
	u64 i;

	if (!r || r[0].start > r[0].end)
		return -EINVAL;
	quic_wr_varint(b, r[0].end);
	quic_wr_varint(b, f->ack.delay);
	quic_wr_varint(b, f->ack.range_count);
	quic_wr_varint(b, r[0].end - r[0].start);
	for (i = 1; i <= f->ack.range_count; i++) {
		/* descending, separated by at least one missing number */
		if (r[i].start > r[i].end || r[i].end + 2 > r[i - 1].start)
			return -EINVAL;
		quic_wr_varint(b, r[i - 1].start - r[i].end - 2);
		quic_wr_varint(b, r[i].end - r[i].start);
	}
	if (f->type == QUIC_FRAME_ACK_ECN)
		for (i = 0; i < 3; i++)
			quic_wr_varint(b, f->ack.ecn[i]);
	return b->err;
}

/**
 * quic_frame_encode - encode a frame
 * @buf: destination
 * @size: room in @buf
 * @f: the frame.  For STREAM, the type's LEN bit selects whether the
 *     length is written (else the data runs to the end of the packet);
 *     the OFF and FIN bits come from data.offset and data.fin.  For ACK,
 *     ack.out holds range_count + 1 ranges, largest first.  For PADDING,
 *     padding bytes are written.
 *
 * Return: bytes written, -ENOSPC, or -EINVAL for invalid fields.
 */
int quic_frame_encode(u8 *buf, size_t size, const struct quic_frame *f)
{
	struct quic_wbuf b = { .w = buf, .len = size };
	u64 t = f->type;

	switch (t) {
	case QUIC_FRAME_PADDING:
		if (!f->padding)
			return -EINVAL;
		if (f->padding > size)
			return -ENOSPC;
		memset(buf, 0, f->padding);
		return f->padding;
	case QUIC_FRAME_STREAM ... QUIC_FRAME_STREAM + 7:
		t = QUIC_FRAME_STREAM | (t & QUIC_STREAM_BIT_LEN) |
		    (f->data.offset ? QUIC_STREAM_BIT_OFF : 0) |
		    (f->data.fin ? QUIC_STREAM_BIT_FIN : 0);
		break;
	}
	quic_wr_varint(&b, t);

	switch (t) {
	case QUIC_FRAME_PING:
	case QUIC_FRAME_HANDSHAKE_DONE:
		break;
	case QUIC_FRAME_ACK:
	case QUIC_FRAME_ACK_ECN:
		b.err = quic_encode_ack(&b, f);
		break;
	case QUIC_FRAME_RESET_STREAM:
	case QUIC_FRAME_STOP_SENDING:
		quic_wr_varint(&b, f->reset.id);
		quic_wr_varint(&b, f->reset.error);
		if (t == QUIC_FRAME_RESET_STREAM)
			quic_wr_varint(&b, f->reset.final_size);
		break;
	case QUIC_FRAME_CRYPTO:
	case QUIC_FRAME_STREAM ... QUIC_FRAME_STREAM + 7:
		if (f->data.offset + f->data.len > QUIC_VARINT_MAX)
			return -EINVAL;
		if (t != QUIC_FRAME_CRYPTO)
			quic_wr_varint(&b, f->data.id);
		if (t == QUIC_FRAME_CRYPTO || (t & QUIC_STREAM_BIT_OFF))
			quic_wr_varint(&b, f->data.offset);
		if (t == QUIC_FRAME_CRYPTO || (t & QUIC_STREAM_BIT_LEN))
			quic_wr_varint(&b, f->data.len);
		quic_wr_bytes(&b, f->data.data, f->data.len);
		break;
	case QUIC_FRAME_NEW_TOKEN:
	case QUIC_FRAME_DATAGRAM_LEN:
		if (!f->data.len && t == QUIC_FRAME_NEW_TOKEN)
			return -EINVAL;
		quic_wr_varint(&b, f->data.len);
		quic_wr_bytes(&b, f->data.data, f->data.len);
		break;
	case QUIC_FRAME_DATAGRAM:
		quic_wr_bytes(&b, f->data.data, f->data.len);
		break;
	case QUIC_FRAME_MAX_STREAMS_BIDI ... QUIC_FRAME_MAX_STREAMS_UNI:
	case QUIC_FRAME_STREAMS_BLOCKED_BIDI ... QUIC_FRAME_STREAMS_BLOCKED_UNI:
		if (f->limit.value > QUIC_MAX_STREAMS_LIMIT)
			return -EINVAL;
		quic_wr_varint(&b, f->limit.value);
		break;
	case QUIC_FRAME_MAX_DATA:
	case QUIC_FRAME_DATA_BLOCKED:
	case QUIC_FRAME_RETIRE_CONNECTION_ID:
		quic_wr_varint(&b, f->limit.value);
		break;
	case QUIC_FRAME_MAX_STREAM_DATA:
	case QUIC_FRAME_STREAM_DATA_BLOCKED:
		quic_wr_varint(&b, f->limit.id);
		quic_wr_varint(&b, f->limit.value);
		break;
	case QUIC_FRAME_NEW_CONNECTION_ID:
		if (!f->new_cid.len || f->new_cid.len > QUIC_CID_MAX_LEN ||
		    f->new_cid.retire_prior_to > f->new_cid.seq)
			return -EINVAL;
		quic_wr_varint(&b, f->new_cid.seq);
		quic_wr_varint(&b, f->new_cid.retire_prior_to);
		quic_wr_bytes(&b, &f->new_cid.len, 1);
		quic_wr_bytes(&b, f->new_cid.cid, f->new_cid.len);
		quic_wr_bytes(&b, f->new_cid.token, QUIC_RESET_TOKEN_LEN);
		break;
	case QUIC_FRAME_PATH_CHALLENGE:
	case QUIC_FRAME_PATH_RESPONSE:
		quic_wr_bytes(&b, f->path, QUIC_PATH_DATA_LEN);
		break;
	case QUIC_FRAME_CONNECTION_CLOSE:
	case QUIC_FRAME_CONNECTION_CLOSE_APP:
		quic_wr_varint(&b, f->close.error);
		if (t == QUIC_FRAME_CONNECTION_CLOSE)
			quic_wr_varint(&b, f->close.frame_type);
		quic_wr_varint(&b, f->close.reason_len);
		quic_wr_bytes(&b, f->close.reason, f->close.reason_len);
		break;
	default:
		return -EINVAL;
	}
	return b.err ? b.err : (int)b.off;
}

#define QUIC_PKT_I	BIT(QUIC_PACKET_INITIAL)
#define QUIC_PKT_Z	BIT(QUIC_PACKET_0RTT)
#define QUIC_PKT_H	BIT(QUIC_PACKET_HANDSHAKE)
#define QUIC_PKT_O	BIT(QUIC_PACKET_1RTT)

/**
 * quic_frame_check - may this frame type appear in this packet?
 * @type: the frame type
 * @packet_type: enum quic_packet_type of the packet carrying it
 * @from_server: the packet was sent by the server
 *
 * Implements the Pkts column of RFC 9000 table 3 (and RFC 9221 section 4
 * for DATAGRAM), plus the frames only a server may send (NEW_TOKEN,
 * HANDSHAKE_DONE).
 *
 * Return: 0, -EPROTO (PROTOCOL_VIOLATION) or -EINVAL for an unknown type
 * (FRAME_ENCODING_ERROR).
 */
int quic_frame_check(u64 type, u8 packet_type, bool from_server)
{
	unsigned int allowed;

	switch (type) {
	case QUIC_FRAME_PADDING:
	case QUIC_FRAME_PING:
	case QUIC_FRAME_CONNECTION_CLOSE:
		allowed = QUIC_PKT_I | QUIC_PKT_Z | QUIC_PKT_H | QUIC_PKT_O;
		break;
	case QUIC_FRAME_ACK:
	case QUIC_FRAME_ACK_ECN:
	case QUIC_FRAME_CRYPTO:
		allowed = QUIC_PKT_I | QUIC_PKT_H | QUIC_PKT_O;
		break;
	case QUIC_FRAME_NEW_TOKEN:
	case QUIC_FRAME_HANDSHAKE_DONE:
		if (!from_server)
			return -EPROTO;
		allowed = QUIC_PKT_O;
		break;
	case QUIC_FRAME_PATH_RESPONSE:
		allowed = QUIC_PKT_O;
		break;
	case QUIC_FRAME_RESET_STREAM ... QUIC_FRAME_STOP_SENDING:
	case QUIC_FRAME_STREAM ... QUIC_FRAME_PATH_CHALLENGE:
	case QUIC_FRAME_CONNECTION_CLOSE_APP:
	case QUIC_FRAME_DATAGRAM:
	case QUIC_FRAME_DATAGRAM_LEN:
		allowed = QUIC_PKT_Z | QUIC_PKT_O;
		break;
	default:
		return -EINVAL;
	}
	if (packet_type > QUIC_PACKET_1RTT || !(allowed & BIT(packet_type)))
		return -EPROTO;
	return 0;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_frame_check);

/**
 * quic_frame_ack_eliciting - does a frame of this type elicit an ACK?
 * @type: the frame type
 *
 * Return: false for ACK, PADDING and CONNECTION_CLOSE (RFC 9002 section 2).
 */
bool quic_frame_ack_eliciting(u64 type)
{
	return type != QUIC_FRAME_ACK && type != QUIC_FRAME_ACK_ECN &&
	       type != QUIC_FRAME_PADDING &&
	       type != QUIC_FRAME_CONNECTION_CLOSE &&
	       type != QUIC_FRAME_CONNECTION_CLOSE_APP;
}

/**
 * quic_frame_errcode - transport error code of a decoder error
 * @err: a negative return of quic_frame_decode() or quic_frame_check()
 *
 * Return: PROTOCOL_VIOLATION for -EPROTO, else FRAME_ENCODING_ERROR.
 */
u64 quic_frame_errcode(int err)
{
	return err == -EPROTO ? QUIC_TRANSPORT_ERROR_PROTOCOL_VIOLATION :
				QUIC_TRANSPORT_ERROR_FRAME_ENCODING;
}

/**
 * quic_ack_iter_init - iterate over the ranges of a decoded ACK frame
 * @it: the iterator
 * @f: an ACK frame from quic_frame_decode(), which validated the ranges
 *
 * The first quic_ack_iter_next() yields the First ACK Range.
 */
void quic_ack_iter_init(struct quic_ack_iter *it, const struct quic_frame *f)
{
	it->p = f->ack.ranges;
	it->left = f->ack.ranges_len;
	it->remaining = f->ack.range_count + 1;
	it->range.end = f->ack.largest;
	it->range.start = f->ack.largest - f->ack.first_range;
	it->next_end = ~0ULL;	/* marks the first call */
}

/**
 * quic_ack_iter_next - next acknowledged range, largest first
 * @it: the iterator; it->range is the range on true
 *
 * Return: false when no range is left.
 */
bool quic_ack_iter_next(struct quic_ack_iter *it)
{
	u64 gap, len;
	int n;

	if (!it->remaining)
		return false;
	it->remaining--;
	if (it->next_end == ~0ULL) {
		it->next_end = 0;
		return true;
	}
	n = quic_varint_get(it->p, it->left, &gap);
	if (n < 0)
		return false;
	it->p += n;
	it->left -= n;
	n = quic_varint_get(it->p, it->left, &len);
	if (n < 0)
		return false;
	it->p += n;
	it->left -= n;
	it->range.end = it->range.start - gap - 2;
	it->range.start = it->range.end - len;
	return true;
}
