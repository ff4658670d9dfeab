// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the frame codec (modules/net/quic/frame_wire.c): round
 * trips of every frame type with boundary values, truncation at every
 * length, each limit of RFC 9000 section 19, and the frame-type rules
 * per packet type.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <uapi/linux/quic.h>

#include "frame_wire.h"
#include "header.h"
#include "varint.h"
#include "tap.h"

static u8 buf[4096];
static const u8 data[] = "some stream bytes";

static const u64 edges[] = {
	0, 63, 64, 16383, 16384, (1ULL << 30) - 1, 1ULL << 30,
	QUIC_VARINT_MAX,
};

#define NEDGES (sizeof(edges) / sizeof(edges[0]))

/* Encode @f, decode it back, and check that every shorter prefix is
 * rejected when @strict (frames whose extent is self-described).
 */
static int round_trip(const struct quic_frame *f, struct quic_frame *out,
		      bool strict)
{
	int n = quic_frame_encode(buf, sizeof(buf), f), m, i;

	if (n <= 0)
		return -1;
	m = quic_frame_decode(buf, n, out);
	if (m != n)
		return -2;
	if (strict)
		for (i = 0; i < n; i++)
			if (quic_frame_decode(buf, i, out) != -EINVAL)
				return -3;
	/* decode again: the prefix loop clobbered @out */
	return quic_frame_decode(buf, n, out) == n ? n : -4;
}

static void test_simple(void)
{
	struct quic_frame f = {}, g;
	unsigned int i;
	bool ok;

	f.type = QUIC_FRAME_PING;
	TAP_CHECK(round_trip(&f, &g, true) == 1 && g.type == QUIC_FRAME_PING,
		  "frame: PING");
	f.type = QUIC_FRAME_HANDSHAKE_DONE;
	TAP_CHECK(round_trip(&f, &g, true) == 1 &&
		  g.type == QUIC_FRAME_HANDSHAKE_DONE, "frame: HANDSHAKE_DONE");

	f.type = QUIC_FRAME_PADDING;
	f.padding = 100;
	memset(buf + 100, 1, 1);
	TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == 100 &&
		  quic_frame_decode(buf, 101, &g) == 100 && g.padding == 100,
		  "frame: a PADDING run is consumed up to the next frame");
	TAP_CHECK(quic_frame_encode(buf, 10, &f) == -ENOSPC,
		  "frame: PADDING without room gives -ENOSPC");

	ok = true;
	for (i = 0; i < NEDGES; i++) {
		memset(&f, 0, sizeof(f));
		f.type = QUIC_FRAME_RESET_STREAM;
		f.reset.id = edges[i];
		f.reset.error = edges[NEDGES - 1 - i];
		f.reset.final_size = edges[i];
		ok &= round_trip(&f, &g, true) > 0 && g.reset.id == edges[i] &&
		      g.reset.error == edges[NEDGES - 1 - i] &&
		      g.reset.final_size == edges[i];
	}
	TAP_CHECK(ok, "frame: RESET_STREAM with boundary values");

	ok = true;
	for (i = 0; i < NEDGES; i++) {
		memset(&f, 0, sizeof(f));
		f.type = QUIC_FRAME_STOP_SENDING;
		f.reset.id = edges[i];
		f.reset.error = edges[i];
		ok &= round_trip(&f, &g, true) > 0 && g.reset.id == edges[i] &&
		      g.reset.error == edges[i];
	}
	TAP_CHECK(ok, "frame: STOP_SENDING with boundary values");

	ok = true;
	for (i = 0; i < NEDGES; i++) {
		static const u64 types[] = {
			QUIC_FRAME_MAX_DATA, QUIC_FRAME_DATA_BLOCKED,
			QUIC_FRAME_RETIRE_CONNECTION_ID,
		};
		unsigned int j;

		for (j = 0; j < 3; j++) {
			memset(&f, 0, sizeof(f));
			f.type = types[j];
			f.limit.value = edges[i];
			ok &= round_trip(&f, &g, true) > 0 &&
			      g.type == types[j] && g.limit.value == edges[i];
		}
		memset(&f, 0, sizeof(f));
		f.type = QUIC_FRAME_MAX_STREAM_DATA;
		f.limit.id = edges[i];
		f.limit.value = edges[NEDGES - 1 - i];
		ok &= round_trip(&f, &g, true) > 0 && g.limit.id == edges[i] &&
		      g.limit.value == edges[NEDGES - 1 - i];
		f.type = QUIC_FRAME_STREAM_DATA_BLOCKED;
		ok &= round_trip(&f, &g, true) > 0 && g.limit.id == edges[i];
	}
	TAP_CHECK(ok, "frame: MAX_DATA, DATA_BLOCKED, RETIRE_CONNECTION_ID, "
		  "MAX_STREAM_DATA, STREAM_DATA_BLOCKED with boundary values");
}

static void test_streams_limits(void)
{
	static const u64 types[] = {
		QUIC_FRAME_MAX_STREAMS_BIDI, QUIC_FRAME_MAX_STREAMS_UNI,
		QUIC_FRAME_STREAMS_BLOCKED_BIDI, QUIC_FRAME_STREAMS_BLOCKED_UNI,
	};
	struct quic_frame f = {}, g;
	unsigned int i;
	int n;

	for (i = 0; i < 4; i++) {
		f.type = types[i];
		f.limit.value = 1ULL << 60;
		TAP_CHECK(round_trip(&f, &g, true) > 0 &&
			  g.limit.value == 1ULL << 60,
			  "frame: type 0x%llx with 2^60 streams",
			  (unsigned long long)types[i]);
		f.limit.value = (1ULL << 60) + 1;
		TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == -EINVAL,
			  "frame: type 0x%llx refuses to encode 2^60 + 1",
			  (unsigned long long)types[i]);
		buf[0] = types[i];
		n = 1 + quic_varint_put(buf + 1, 8, (1ULL << 60) + 1);
		TAP_CHECK(quic_frame_decode(buf, n, &g) == -EINVAL,
			  "frame: type 0x%llx with 2^60 + 1 streams is FRAME_ENCODING_ERROR",
			  (unsigned long long)types[i]);
	}
}

static void test_data_frames(void)
{
	struct quic_frame f = {}, g;
	int n;

	f.type = QUIC_FRAME_CRYPTO;
	f.data.offset = 1000;
	f.data.len = sizeof(data);
	f.data.data = data;
	TAP_CHECK(round_trip(&f, &g, true) > 0 && g.data.offset == 1000 &&
		  g.data.len == sizeof(data) && !memcmp(g.data.data, data, sizeof(data)),
		  "frame: CRYPTO");
	f.data.offset = QUIC_VARINT_MAX - sizeof(data) + 1;
	TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == -EINVAL,
		  "frame: CRYPTO ending past 2^62 - 1 refused");
	buf[0] = QUIC_FRAME_CRYPTO;
	n = 1 + quic_varint_put(buf + 1, 8, QUIC_VARINT_MAX);
	buf[n++] = 1;
	buf[n++] = 'x';
	TAP_CHECK(quic_frame_decode(buf, n, &g) == -EINVAL,
		  "frame: CRYPTO ending past 2^62 - 1 is FRAME_ENCODING_ERROR");

	/* STREAM with every combination of OFF, LEN and FIN */
	for (n = 0; n < 8; n++) {
		bool has_len = n & QUIC_STREAM_BIT_LEN;
		int len;

		memset(&f, 0, sizeof(f));
		f.type = QUIC_FRAME_STREAM | (n & QUIC_STREAM_BIT_LEN);
		f.data.id = 4;
		f.data.offset = (n & QUIC_STREAM_BIT_OFF) ? 16384 : 0;
		f.data.fin = n & QUIC_STREAM_BIT_FIN;
		f.data.len = sizeof(data);
		f.data.data = data;
		len = round_trip(&f, &g, has_len);
		TAP_CHECK(len > 0 && g.type == (u64)(QUIC_FRAME_STREAM | n) &&
			  g.data.id == 4 && g.data.offset == f.data.offset &&
			  g.data.fin == f.data.fin && g.data.len == sizeof(data) &&
			  !memcmp(g.data.data, data, sizeof(data)),
			  "frame: STREAM type 0x%02x", QUIC_FRAME_STREAM | n);
	}
	buf[0] = QUIC_FRAME_STREAM | QUIC_STREAM_BIT_OFF;
	buf[1] = 0;
	n = 2 + quic_varint_put(buf + 2, 8, QUIC_VARINT_MAX);
	buf[n++] = 'x';
	TAP_CHECK(quic_frame_decode(buf, n, &g) == -EINVAL,
		  "frame: STREAM ending past 2^62 - 1 is FRAME_ENCODING_ERROR");
	buf[0] = QUIC_FRAME_STREAM | QUIC_STREAM_BIT_LEN;
	buf[1] = 0;
	buf[2] = 10;
	TAP_CHECK(quic_frame_decode(buf, 8, &g) == -EINVAL,
		  "frame: STREAM longer than the packet is FRAME_ENCODING_ERROR");

	memset(&f, 0, sizeof(f));
	f.type = QUIC_FRAME_NEW_TOKEN;
	f.data.len = 5;
	f.data.data = data;
	TAP_CHECK(round_trip(&f, &g, true) > 0 && g.data.len == 5,
		  "frame: NEW_TOKEN");
	f.data.len = 0;
	TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == -EINVAL,
		  "frame: empty NEW_TOKEN refused");
	buf[0] = QUIC_FRAME_NEW_TOKEN;
	buf[1] = 0;
	TAP_CHECK(quic_frame_decode(buf, 2, &g) == -EINVAL,
		  "frame: empty NEW_TOKEN is FRAME_ENCODING_ERROR");

	memset(&f, 0, sizeof(f));
	f.type = QUIC_FRAME_DATAGRAM_LEN;
	f.data.len = sizeof(data);
	f.data.data = data;
	TAP_CHECK(round_trip(&f, &g, true) > 0 && g.data.len == sizeof(data) &&
		  !memcmp(g.data.data, data, sizeof(data)),
		  "frame: DATAGRAM with length");
	f.type = QUIC_FRAME_DATAGRAM;
	n = quic_frame_encode(buf, sizeof(buf), &f);
	TAP_CHECK(n == 1 + (int)sizeof(data) &&
		  quic_frame_decode(buf, n, &g) == n && g.data.len == sizeof(data),
		  "frame: DATAGRAM to the end of the packet");
	f.data.len = 0;
	TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == 1 &&
		  quic_frame_decode(buf, 1, &g) == 1 && !g.data.len,
		  "frame: empty DATAGRAM");
}

static void test_ack(void)
{
	static const struct quic_ack_range ranges[] = {
		{ 90, 100 }, { 50, 80 }, { 10, 10 }, { 0, 8 },
	};
	struct quic_frame f = {}, g;
	struct quic_ack_iter it;
	unsigned int i;
	bool ok;
	int n;

	f.type = QUIC_FRAME_ACK;
	f.ack.delay = 1234;
	f.ack.range_count = 3;
	f.ack.out = ranges;
	n = round_trip(&f, &g, true);
	TAP_CHECK(n > 0 && g.ack.largest == 100 && g.ack.delay == 1234 &&
		  g.ack.first_range == 10 && g.ack.range_count == 3,
		  "frame: ACK with four ranges");
	quic_ack_iter_init(&it, &g);
	ok = true;
	for (i = 0; quic_ack_iter_next(&it); i++)
		ok &= i < 4 && it.range.start == ranges[i].start &&
		      it.range.end == ranges[i].end;
	TAP_CHECK(ok && i == 4, "frame: ACK ranges iterate back, largest first");

	f.type = QUIC_FRAME_ACK_ECN;
	f.ack.ecn[0] = 1;
	f.ack.ecn[1] = 16384;
	f.ack.ecn[2] = QUIC_VARINT_MAX;
	TAP_CHECK(round_trip(&f, &g, true) > 0 && g.ack.ecn[0] == 1 &&
		  g.ack.ecn[1] == 16384 && g.ack.ecn[2] == QUIC_VARINT_MAX,
		  "frame: ACK with ECN counts");

	f.type = QUIC_FRAME_ACK;
	f.ack.range_count = 0;
	TAP_CHECK(round_trip(&f, &g, true) > 0 && !g.ack.range_count,
		  "frame: ACK with one range");

	{
		static const struct quic_ack_range bad[] = {
			{ 90, 100 }, { 50, 89 },
		};
		f.ack.range_count = 1;
		f.ack.out = bad;
		TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == -EINVAL,
			  "frame: adjacent ACK ranges refused");
	}

	/* hand-made malformed ACK frames */
	{
		static const u8 first_too_big[] = { 0x02, 5, 0, 0, 6 };
		static const u8 gap_underflow[] = { 0x02, 10, 0, 1, 2, 7, 0 };
		static const u8 len_underflow[] = { 0x02, 10, 0, 1, 2, 2, 5 };
		static const u8 exact_zero[] = { 0x02, 10, 0, 1, 2, 2, 4 };
		static const u8 count_lies[] = { 0x02, 10, 0, 0x3f, 2, 1, 1 };

		TAP_CHECK(quic_frame_decode(first_too_big, 5, &g) == -EINVAL,
			  "frame: ACK First ACK Range beyond Largest rejected");
		TAP_CHECK(quic_frame_decode(gap_underflow, 7, &g) == -EINVAL,
			  "frame: ACK Gap below packet number 0 rejected");
		TAP_CHECK(quic_frame_decode(len_underflow, 7, &g) == -EINVAL,
			  "frame: ACK Range Length below packet number 0 rejected");
		TAP_CHECK(quic_frame_decode(exact_zero, 7, &g) == 7,
			  "frame: ACK ranges down to packet number 0 accepted");
		TAP_CHECK(quic_frame_decode(count_lies, 7, &g) == -EINVAL,
			  "frame: ACK Range Count beyond the packet rejected");
	}
}

static void test_new_cid(void)
{
	struct quic_frame f = {}, g;
	int n;

	f.type = QUIC_FRAME_NEW_CONNECTION_ID;
	f.new_cid.seq = 7;
	f.new_cid.retire_prior_to = 7;
	f.new_cid.len = 20;
	memset(f.new_cid.cid, 0xab, 20);
	memset(f.new_cid.token, 0xcd, 16);
	TAP_CHECK(round_trip(&f, &g, true) > 0 && g.new_cid.seq == 7 &&
		  g.new_cid.retire_prior_to == 7 && g.new_cid.len == 20 &&
		  !memcmp(g.new_cid.cid, f.new_cid.cid, 20) &&
		  !memcmp(g.new_cid.token, f.new_cid.token, 16),
		  "frame: NEW_CONNECTION_ID with a 20-byte ID");
	f.new_cid.retire_prior_to = 8;
	TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == -EINVAL,
		  "frame: NEW_CONNECTION_ID with Retire Prior To > Sequence refused");
	n = quic_frame_encode(buf, sizeof(buf), &(struct quic_frame){
		.type = QUIC_FRAME_NEW_CONNECTION_ID,
		.new_cid = { .seq = 7, .retire_prior_to = 7, .len = 1 } });
	buf[2] = 8;
	TAP_CHECK(n > 0 && quic_frame_decode(buf, n, &g) == -EINVAL,
		  "frame: NEW_CONNECTION_ID with Retire Prior To > Sequence is FRAME_ENCODING_ERROR");
	buf[2] = 7;
	buf[3] = 0;
	TAP_CHECK(quic_frame_decode(buf, n, &g) == -EINVAL,
		  "frame: NEW_CONNECTION_ID with an empty ID is FRAME_ENCODING_ERROR");
	buf[3] = 21;
	memset(buf + 4, 0, 40);
	TAP_CHECK(quic_frame_decode(buf, 4 + 21 + 16, &g) == -EINVAL,
		  "frame: NEW_CONNECTION_ID with a 21-byte ID is FRAME_ENCODING_ERROR");
	f.new_cid.retire_prior_to = 0;
	f.new_cid.len = 0;
	TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == -EINVAL,
		  "frame: NEW_CONNECTION_ID with an empty ID refused");
}

static void test_path_close(void)
{
	static const char reason[] = "bye";
	struct quic_frame f = {}, g;

	f.type = QUIC_FRAME_PATH_CHALLENGE;
	memcpy(f.path, "12345678", 8);
	TAP_CHECK(round_trip(&f, &g, true) == 9 && !memcmp(g.path, "12345678", 8),
		  "frame: PATH_CHALLENGE");
	f.type = QUIC_FRAME_PATH_RESPONSE;
	TAP_CHECK(round_trip(&f, &g, true) == 9 && !memcmp(g.path, "12345678", 8),
		  "frame: PATH_RESPONSE");

	memset(&f, 0, sizeof(f));
	f.type = QUIC_FRAME_CONNECTION_CLOSE;
	f.close.error = QUIC_TRANSPORT_ERROR_PROTOCOL_VIOLATION;
	f.close.frame_type = QUIC_FRAME_STREAM;
	f.close.reason = (const u8 *)reason;
	f.close.reason_len = 3;
	TAP_CHECK(round_trip(&f, &g, true) > 0 && g.close.error == 0x0a &&
		  g.close.frame_type == QUIC_FRAME_STREAM &&
		  g.close.reason_len == 3 && !memcmp(g.close.reason, "bye", 3),
		  "frame: CONNECTION_CLOSE (transport)");
	f.type = QUIC_FRAME_CONNECTION_CLOSE_APP;
	f.close.error = QUIC_VARINT_MAX;
	TAP_CHECK(round_trip(&f, &g, true) > 0 && g.close.error == QUIC_VARINT_MAX &&
		  !g.close.frame_type && g.close.reason_len == 3,
		  "frame: CONNECTION_CLOSE (application)");
}

static void test_type_errors(void)
{
	static const u8 unknown[] = { 0x1f };
	static const u8 long_ping[] = { 0x40, 0x01 };
	static const u8 big_unknown[] = { 0x80, 0x00, 0xab, 0xcd };
	struct quic_frame f = {}, g;
	int err;

	TAP_CHECK(quic_frame_decode(unknown, 1, &g) == -EINVAL,
		  "frame: unknown type 0x1f is FRAME_ENCODING_ERROR");
	TAP_CHECK(quic_frame_decode(big_unknown, 4, &g) == -EINVAL,
		  "frame: unknown 4-byte type is FRAME_ENCODING_ERROR");
	err = quic_frame_decode(long_ping, 2, &g);
	TAP_CHECK(err == -EPROTO &&
		  quic_frame_errcode(err) == QUIC_TRANSPORT_ERROR_PROTOCOL_VIOLATION,
		  "frame: PING type on two bytes is PROTOCOL_VIOLATION");
	TAP_CHECK(quic_frame_errcode(-EINVAL) == QUIC_TRANSPORT_ERROR_FRAME_ENCODING,
		  "frame: malformed frames map to FRAME_ENCODING_ERROR");
	TAP_CHECK(quic_frame_decode(unknown, 0, &g) == -EINVAL,
		  "frame: empty input rejected");
	f.type = 0x1f;
	TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == -EINVAL,
		  "frame: encoding an unknown type refused");
	f.type = QUIC_FRAME_MAX_DATA;
	f.limit.value = QUIC_VARINT_MAX + 1;
	TAP_CHECK(quic_frame_encode(buf, sizeof(buf), &f) == -EINVAL,
		  "frame: encoding a value above 2^62 - 1 refused");
	f.limit.value = 1 << 20;
	TAP_CHECK(quic_frame_encode(buf, 3, &f) == -ENOSPC,
		  "frame: encoding without room gives -ENOSPC");
}

static void test_packet_rules(void)
{
	/* RFC 9000 table 3: I, 0, H, 1 columns; N/A = server only */
	static const struct {
		u64 type;
		const char *allowed;	/* I Z H O */
	} rules[] = {
		{ QUIC_FRAME_PADDING, "IZHO" },
		{ QUIC_FRAME_PING, "IZHO" },
		{ QUIC_FRAME_ACK, "I.HO" },
		{ QUIC_FRAME_ACK_ECN, "I.HO" },
		{ QUIC_FRAME_RESET_STREAM, ".Z.O" },
		{ QUIC_FRAME_STOP_SENDING, ".Z.O" },
		{ QUIC_FRAME_CRYPTO, "I.HO" },
		{ QUIC_FRAME_NEW_TOKEN, "...O" },
		{ QUIC_FRAME_STREAM, ".Z.O" },
		{ QUIC_FRAME_STREAM + 7, ".Z.O" },
		{ QUIC_FRAME_MAX_DATA, ".Z.O" },
		{ QUIC_FRAME_MAX_STREAM_DATA, ".Z.O" },
		{ QUIC_FRAME_MAX_STREAMS_BIDI, ".Z.O" },
		{ QUIC_FRAME_MAX_STREAMS_UNI, ".Z.O" },
		{ QUIC_FRAME_DATA_BLOCKED, ".Z.O" },
		{ QUIC_FRAME_STREAM_DATA_BLOCKED, ".Z.O" },
		{ QUIC_FRAME_STREAMS_BLOCKED_BIDI, ".Z.O" },
		{ QUIC_FRAME_STREAMS_BLOCKED_UNI, ".Z.O" },
		{ QUIC_FRAME_NEW_CONNECTION_ID, ".Z.O" },
		{ QUIC_FRAME_RETIRE_CONNECTION_ID, ".Z.O" },
		{ QUIC_FRAME_PATH_CHALLENGE, ".Z.O" },
		{ QUIC_FRAME_PATH_RESPONSE, "...O" },
		{ QUIC_FRAME_CONNECTION_CLOSE, "IZHO" },
		{ QUIC_FRAME_CONNECTION_CLOSE_APP, ".Z.O" },
		{ QUIC_FRAME_HANDSHAKE_DONE, "...O" },
		{ QUIC_FRAME_DATAGRAM, ".Z.O" },
		{ QUIC_FRAME_DATAGRAM_LEN, ".Z.O" },
	};
	static const u8 pkts[4] = {
		QUIC_PACKET_INITIAL, QUIC_PACKET_0RTT, QUIC_PACKET_HANDSHAKE,
		QUIC_PACKET_1RTT,
	};
	unsigned int i, j;
	bool ok;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		ok = true;
		for (j = 0; j < 4; j++) {
			int want = rules[i].allowed[j] == '.' ? -EPROTO : 0;

			ok &= quic_frame_check(rules[i].type, pkts[j], true) == want;
		}
		ok &= quic_frame_check(rules[i].type, QUIC_PACKET_RETRY, true) == -EPROTO;
		TAP_CHECK(ok, "frame: type 0x%02llx allowed in %s",
			  (unsigned long long)rules[i].type, rules[i].allowed);
	}
	TAP_CHECK(quic_frame_check(QUIC_FRAME_NEW_TOKEN, QUIC_PACKET_1RTT, false) == -EPROTO &&
		  quic_frame_check(QUIC_FRAME_HANDSHAKE_DONE, QUIC_PACKET_1RTT, false) == -EPROTO,
		  "frame: NEW_TOKEN and HANDSHAKE_DONE from a client are PROTOCOL_VIOLATION");
	TAP_CHECK(quic_frame_check(0x1f, QUIC_PACKET_1RTT, true) == -EINVAL,
		  "frame: unknown type fails the packet check with FRAME_ENCODING_ERROR");
	TAP_CHECK(!quic_frame_ack_eliciting(QUIC_FRAME_ACK) &&
		  !quic_frame_ack_eliciting(QUIC_FRAME_ACK_ECN) &&
		  !quic_frame_ack_eliciting(QUIC_FRAME_PADDING) &&
		  !quic_frame_ack_eliciting(QUIC_FRAME_CONNECTION_CLOSE) &&
		  !quic_frame_ack_eliciting(QUIC_FRAME_CONNECTION_CLOSE_APP) &&
		  quic_frame_ack_eliciting(QUIC_FRAME_PING) &&
		  quic_frame_ack_eliciting(QUIC_FRAME_STREAM) &&
		  quic_frame_ack_eliciting(QUIC_FRAME_DATAGRAM),
		  "frame: ACK, PADDING and CONNECTION_CLOSE are not ack-eliciting");
}

int main(void)
{
	test_simple();
	test_streams_limits();
	test_data_frames();
	test_ack();
	test_new_cid();
	test_path_close();
	test_type_errors();
	test_packet_rules();
	return tap_done();
}
