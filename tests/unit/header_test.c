// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the packet header codec (modules/net/quic/header.c):
 * long and short headers of QUIC v1 and v2, Version Negotiation, Retry,
 * coalesced packets, fixed-bit grease, and every rejection path.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <uapi/linux/quic.h>

#include "header.h"
#include "varint.h"
#include "tap.h"

static const u8 dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };
static const u8 scid[5] = { 1, 2, 3, 4, 5 };
static const u8 token[3] = { 0xaa, 0xbb, 0xcc };
static const char *const type_names[] = {
	"Initial", "0-RTT", "Handshake", "Retry", "1-RTT", "VN",
};

static u8 buf[70000];

static void test_type_bits(void)
{
	static const u8 v2_bits[] = { 1, 2, 3, 0 };	/* RFC 9369 3.2 */
	u8 t;

	for (t = QUIC_PACKET_INITIAL; t <= QUIC_PACKET_RETRY; t++) {
		TAP_CHECK(quic_packet_type_bits(QUIC_VERSION_V1, t) == t,
			  "header: v1 %s type bits %u", type_names[t], t);
		TAP_CHECK(quic_packet_type_bits(QUIC_VERSION_V2, t) == v2_bits[t],
			  "header: v2 %s type bits %u", type_names[t], v2_bits[t]);
	}
	TAP_CHECK(quic_packet_type_bits(QUIC_VERSION_V1, QUIC_PACKET_1RTT) == -EINVAL,
		  "header: no type bits for a short header packet");
	TAP_CHECK(quic_packet_type_bits(0xff00001d, QUIC_PACKET_INITIAL) == -EINVAL,
		  "header: no type bits for an unknown version");
	TAP_CHECK(quic_version_supported(QUIC_VERSION_V1) &&
		  quic_version_supported(QUIC_VERSION_V2) &&
		  !quic_version_supported(0) && !quic_version_supported(0x1a2a3a4a),
		  "header: versions 1 and 2 supported, others not");
}

static void test_long_round_trip(u32 version, u8 type)
{
	const char *v = version == QUIC_VERSION_V2 ? "v2" : "v1";
	struct quic_hdr_out o = {
		.type = type, .version = version,
		.dcid = dcid, .dcid_len = sizeof(dcid),
		.scid = scid, .scid_len = sizeof(scid),
		.length = 100,
	};
	unsigned int pn_off, full;
	struct quic_hdr h;
	int n, err;

	if (type == QUIC_PACKET_INITIAL) {
		o.token = token;
		o.token_len = sizeof(token);
	}
	n = quic_hdr_put(buf, sizeof(buf), &o, 0x1234, 2, &pn_off);
	TAP_CHECK(n > 0 && (unsigned int)n == pn_off + 2,
		  "header: %s %s header written (%d bytes)", v, type_names[type], n);
	memset(buf + n, 0x5a, 98);	/* payload and tag */
	err = quic_hdr_parse(buf, n + 98 + 7, 0, 0, &h);
	TAP_CHECK(!err && h.type == type && h.version == version &&
		  h.dcid_len == sizeof(dcid) && !memcmp(h.dcid, dcid, 8) &&
		  h.scid_len == sizeof(scid) && !memcmp(h.scid, scid, 5) &&
		  h.length == 100 && h.pn_offset == pn_off &&
		  h.len == pn_off + 100 &&
		  h.token_len == (type == QUIC_PACKET_INITIAL ? 3 : 0) &&
		  (type != QUIC_PACKET_INITIAL || !memcmp(h.token, token, 3)) &&
		  (h.first & 0x03) == 1 && buf[pn_off] == 0x12 &&
		  buf[pn_off + 1] == 0x34,
		  "header: %s %s header parsed back", v, type_names[type]);
	/* every truncation is rejected, never read past */
	full = h.len;
	for (n = 0; (unsigned int)n < full; n++)
		if (quic_hdr_parse(buf, n, 0, 0, &h) != -EINVAL)
			break;
	TAP_CHECK((unsigned int)n == pn_off + 100,
		  "header: %s %s truncated at every length is rejected", v,
		  type_names[type]);
}

static void test_length_field(void)
{
	struct quic_hdr_out o = {
		.type = QUIC_PACKET_HANDSHAKE, .version = QUIC_VERSION_V1,
	};
	unsigned int pn_off;
	struct quic_hdr h;
	int n;

	o.length = 16383;
	n = quic_hdr_put(buf, sizeof(buf), &o, 7, 1, &pn_off);
	TAP_CHECK(n == 10 && pn_off == 9 && buf[7] == 0x7f && buf[8] == 0xff,
		  "header: Length 16383 on 2 bytes");
	TAP_CHECK(!quic_hdr_parse(buf, 9 + 16383, 0, 0, &h) && h.length == 16383,
		  "header: Length 16383 parsed");
	o.length = 16384;
	n = quic_hdr_put(buf, sizeof(buf), &o, 7, 1, &pn_off);
	TAP_CHECK(n == 12 && pn_off == 11 && buf[7] == 0x80,
		  "header: Length 16384 on 4 bytes");
	TAP_CHECK(!quic_hdr_parse(buf, 11 + 16384, 0, 0, &h) && h.length == 16384,
		  "header: Length 16384 parsed");
	TAP_CHECK(quic_hdr_parse(buf, 11 + 16383, 0, 0, &h) == -EINVAL,
		  "header: Length beyond the datagram rejected");
	o.length = 1U << 30;
	TAP_CHECK(quic_hdr_put(buf, sizeof(buf), &o, 7, 1, &pn_off) == -EINVAL,
		  "header: Length of 2^30 refused");
	o.length = 1;
	TAP_CHECK(quic_hdr_put(buf, sizeof(buf), &o, 7, 2, &pn_off) == -EINVAL,
		  "header: Length shorter than the packet number refused");
}

static void test_short(void)
{
	struct quic_hdr_out o = {
		.type = QUIC_PACKET_1RTT, .dcid = dcid, .dcid_len = 8,
		.spin = 1, .key_phase = 1,
	};
	unsigned int pn_off;
	struct quic_hdr h;
	int n;

	n = quic_hdr_put(buf, sizeof(buf), &o, 0xabcdef, 3, &pn_off);
	TAP_CHECK(n == 12 && pn_off == 9 &&
		  buf[0] == (0x40 | 0x20 | 0x04 | 0x02) &&
		  buf[9] == 0xab && buf[11] == 0xef,
		  "header: short header written");
	TAP_CHECK(!quic_hdr_parse(buf, 40, 8, 0, &h) &&
		  h.type == QUIC_PACKET_1RTT && h.dcid_len == 8 &&
		  !memcmp(h.dcid, dcid, 8) && h.pn_offset == 9 && h.len == 40,
		  "header: short header parsed, runs to the end of the datagram");
	TAP_CHECK(quic_hdr_parse(buf, 8, 8, 0, &h) == -EINVAL,
		  "header: short header shorter than the connection ID rejected");
	TAP_CHECK(quic_hdr_parse(buf, 0, 0, 0, &h) == -EINVAL,
		  "header: empty datagram rejected");
	o.grease = 1;
	quic_hdr_put(buf, sizeof(buf), &o, 1, 1, &pn_off);
	TAP_CHECK(!(buf[0] & 0x40) && quic_hdr_parse(buf, 40, 8, 0, &h) == -EINVAL,
		  "header: short header without the fixed bit rejected");
	TAP_CHECK(!quic_hdr_parse(buf, 40, 8, QUIC_HDR_GREASE_OK, &h),
		  "header: ... accepted after we sent grease_quic_bit");
	TAP_CHECK(quic_hdr_check_reserved(0x40 | 0x08) == -EPROTO &&
		  quic_hdr_check_reserved(0x40 | 0x10) == -EPROTO &&
		  !quic_hdr_check_reserved(0x40 | 0x27),
		  "header: short header reserved bits are a protocol violation");
	TAP_CHECK(quic_hdr_check_reserved(0xc0 | 0x04) == -EPROTO &&
		  quic_hdr_check_reserved(0xc0 | 0x08) == -EPROTO &&
		  !quic_hdr_check_reserved(0xc0 | 0x33),
		  "header: long header reserved bits are a protocol violation");
}

static void test_long_errors(void)
{
	struct quic_hdr_out o = {
		.type = QUIC_PACKET_INITIAL, .version = QUIC_VERSION_V1,
		.dcid = dcid, .dcid_len = 8, .length = 20,
	};
	unsigned int pn_off;
	struct quic_hdr h;
	u8 big[32] = { 0 };
	int n;

	n = quic_hdr_put(buf, sizeof(buf), &o, 0, 1, &pn_off);
	buf[0] &= ~0x40;
	TAP_CHECK(quic_hdr_parse(buf, n + 19, 0, 0, &h) == -EINVAL,
		  "header: long header without the fixed bit rejected");
	TAP_CHECK(!quic_hdr_parse(buf, n + 19, 0, QUIC_HDR_GREASE_OK, &h),
		  "header: ... accepted after we sent grease_quic_bit");
	buf[0] |= 0x40;
	buf[5] = 21;
	TAP_CHECK(quic_hdr_parse(buf, n + 19, 0, 0, &h) == -EINVAL,
		  "header: v1 connection ID longer than 20 rejected");

	/* an unknown version: invariant fields only, for Version Negotiation */
	buf[0] = 0xc0;
	buf[1] = 0x1a; buf[2] = 0x2a; buf[3] = 0x3a; buf[4] = 0x4a;
	buf[5] = 200;
	memset(buf + 6, 0x77, 200);
	buf[206] = 0;
	TAP_CHECK(quic_hdr_parse(buf, 1200, 0, 0, &h) == -EPROTONOSUPPORT &&
		  h.version == 0x1a2a3a4a && h.dcid_len == 200 && !h.scid_len,
		  "header: unknown version gives its connection IDs and -EPROTONOSUPPORT");
	TAP_CHECK(quic_hdr_parse(buf, 100, 0, 0, &h) == -EINVAL,
		  "header: unknown version with a truncated connection ID rejected");

	TAP_CHECK(quic_hdr_put(buf, 5, &o, 0, 1, &pn_off) == -ENOSPC,
		  "header: no room gives -ENOSPC");
	o.dcid = big;
	o.dcid_len = 21;
	TAP_CHECK(quic_hdr_put(buf, sizeof(buf), &o, 0, 1, &pn_off) == -EINVAL,
		  "header: writing a 21-byte connection ID refused");
	o.dcid_len = 8;
	TAP_CHECK(quic_hdr_put(buf, sizeof(buf), &o, 0, 0, &pn_off) == -EINVAL &&
		  quic_hdr_put(buf, sizeof(buf), &o, 0, 5, &pn_off) == -EINVAL,
		  "header: packet number length outside 1..4 refused");
	o.type = QUIC_PACKET_HANDSHAKE;
	o.token = token;
	o.token_len = 3;
	TAP_CHECK(quic_hdr_put(buf, sizeof(buf), &o, 0, 1, &pn_off) == -EINVAL,
		  "header: token on a Handshake packet refused");
	o.type = QUIC_PACKET_RETRY;
	o.token_len = 0;
	TAP_CHECK(quic_hdr_put(buf, sizeof(buf), &o, 0, 1, &pn_off) == -EINVAL,
		  "header: Retry goes through quic_retry_put()");
	o.type = QUIC_PACKET_INITIAL;
	o.version = 0x1a2a3a4a;
	TAP_CHECK(quic_hdr_put(buf, sizeof(buf), &o, 0, 1, &pn_off) == -EINVAL,
		  "header: writing an unknown version refused");

	/* Initial token length beyond the packet */
	buf[0] = 0xc0;
	buf[1] = 0; buf[2] = 0; buf[3] = 0; buf[4] = 1;
	buf[5] = 0;
	buf[6] = 0;
	buf[7] = 0x44;	/* token length 1024 (2-byte varint) */
	buf[8] = 0x00;
	TAP_CHECK(quic_hdr_parse(buf, 100, 0, 0, &h) == -EINVAL,
		  "header: Initial token longer than the packet rejected");
}

static void test_vn(void)
{
	static const u32 versions[] = { QUIC_VERSION_V2, QUIC_VERSION_V1 };
	struct quic_hdr h;
	int n;

	n = quic_vn_put(buf, sizeof(buf), 0x3f, scid, 5, dcid, 8, versions, 2);
	TAP_CHECK(n == 7 + 5 + 8 + 8 && buf[0] == 0xbf && !buf[1] && !buf[4],
		  "header: Version Negotiation written");
	TAP_CHECK(!quic_hdr_parse(buf, n, 0, 0, &h) &&
		  h.type == QUIC_PACKET_VERSION_NEGOTIATION && h.nversions == 2 &&
		  quic_vn_version(&h, 0) == QUIC_VERSION_V2 &&
		  quic_vn_version(&h, 1) == QUIC_VERSION_V1 &&
		  h.dcid_len == 5 && h.scid_len == 8 && h.len == (unsigned int)n,
		  "header: Version Negotiation parsed");
	buf[0] = 0x80;	/* the fixed bit is not required */
	TAP_CHECK(!quic_hdr_parse(buf, n, 0, 0, &h),
		  "header: Version Negotiation without the fixed bit parsed");
	TAP_CHECK(quic_hdr_parse(buf, n - 1, 0, 0, &h) == -EINVAL,
		  "header: Version Negotiation with a partial version rejected");
	TAP_CHECK(quic_hdr_parse(buf, n - 8, 0, 0, &h) == -EINVAL,
		  "header: Version Negotiation without versions rejected");
	TAP_CHECK(quic_vn_put(buf, sizeof(buf), 0, scid, 5, dcid, 8, versions, 0) == -EINVAL &&
		  quic_vn_put(buf, 20, 0, scid, 5, dcid, 8, versions, 2) == -ENOSPC,
		  "header: Version Negotiation writer errors");
}

/* A client's probe in a version we do not speak: the invariant fields,
 * which a server parses to answer with Version Negotiation.
 */
static void test_probe(void)
{
	struct quic_hdr h;
	int n;

	memset(buf, 0, sizeof(buf));
	n = quic_probe_put(buf, sizeof(buf), 0x1a2a3a4a, dcid, 8, scid, 5);
	TAP_CHECK(n == 7 + 8 + 5 && buf[0] == 0xc0 && buf[1] == 0x1a &&
		  buf[4] == 0x4a && buf[5] == 8 && buf[14] == 5,
		  "header: version probe written");
	TAP_CHECK(quic_hdr_parse(buf, 1200, 0, 0, &h) == -EPROTONOSUPPORT &&
		  h.version == 0x1a2a3a4a && h.dcid_len == 8 &&
		  !memcmp(h.dcid, dcid, 8) && h.scid_len == 5 &&
		  !memcmp(h.scid, scid, 5),
		  "header: version probe parsed up to its unknown version");
	TAP_CHECK(quic_probe_put(buf, sizeof(buf), QUIC_VERSION_V1, dcid, 8,
				 scid, 5) == -EINVAL &&
		  quic_probe_put(buf, sizeof(buf), 0, dcid, 8, scid, 5) ==
			-EINVAL &&
		  quic_probe_put(buf, 19, 0x1a2a3a4a, dcid, 8, scid, 5) ==
			-ENOSPC,
		  "header: version probe writer errors");
}

static void test_retry(void)
{
	struct quic_hdr h;
	int n;

	n = quic_retry_put(buf, sizeof(buf), 0xff, QUIC_VERSION_V2, dcid, 8,
			   scid, 5, token, 3);
	TAP_CHECK(n == 7 + 8 + 5 + 3 && buf[0] == 0xcf,
		  "header: v2 Retry written (type bits 00)");
	memset(buf + n, 0xee, 16);
	TAP_CHECK(!quic_hdr_parse(buf, n + 16, 0, 0, &h) &&
		  h.type == QUIC_PACKET_RETRY && h.token_len == 3 &&
		  !memcmp(h.token, token, 3) && h.len == (unsigned int)n + 16,
		  "header: v2 Retry parsed");
	n = quic_retry_put(buf, sizeof(buf), 0, QUIC_VERSION_V1, dcid, 8,
			   scid, 5, token, 3);
	TAP_CHECK(buf[0] == 0xf0 && !quic_hdr_parse(buf, n + 16, 0, 0, &h) &&
		  h.type == QUIC_PACKET_RETRY,
		  "header: v1 Retry written and parsed (type bits 11)");
	TAP_CHECK(quic_hdr_parse(buf, 7 + 8 + 5 + 15, 0, 0, &h) == -EINVAL,
		  "header: Retry too short for its integrity tag rejected");
	TAP_CHECK(quic_retry_put(buf, sizeof(buf), 0, QUIC_VERSION_V1, dcid, 8,
				 scid, 5, token, 0) == -EINVAL &&
		  quic_retry_put(buf, 10, 0, QUIC_VERSION_V1, dcid, 8, scid, 5,
				 token, 3) == -ENOSPC,
		  "header: Retry writer errors");
}

static void test_coalesced(void)
{
	struct quic_hdr_out o = {
		.version = QUIC_VERSION_V1, .dcid = dcid, .dcid_len = 8,
		.scid = scid, .scid_len = 5,
	};
	unsigned int pn_off, off = 0, count = 0;
	u8 types[4];
	struct quic_hdr h;
	int n;

	o.type = QUIC_PACKET_INITIAL;
	o.length = 50;
	n = quic_hdr_put(buf, sizeof(buf), &o, 0, 1, &pn_off);
	off = pn_off + 50;
	o.type = QUIC_PACKET_HANDSHAKE;
	o.length = 60;
	n = quic_hdr_put(buf + off, sizeof(buf) - off, &o, 0, 1, &pn_off);
	off += pn_off + 60;
	o.type = QUIC_PACKET_1RTT;
	n = quic_hdr_put(buf + off, sizeof(buf) - off, &o, 0, 1, &pn_off);
	off += n + 30;

	n = 0;
	while ((unsigned int)n < off && count < 4 &&
	       !quic_hdr_parse(buf + n, off - n, 8, 0, &h)) {
		types[count++] = h.type;
		n += h.len;
	}
	TAP_CHECK(count == 3 && (unsigned int)n == off &&
		  types[0] == QUIC_PACKET_INITIAL &&
		  types[1] == QUIC_PACKET_HANDSHAKE &&
		  types[2] == QUIC_PACKET_1RTT,
		  "header: Initial, Handshake and 1-RTT coalesced in one datagram");
}

int main(void)
{
	u32 versions[] = { QUIC_VERSION_V1, QUIC_VERSION_V2 };
	unsigned int i;
	u8 t;

	test_type_bits();
	for (i = 0; i < 2; i++)
		for (t = QUIC_PACKET_INITIAL; t <= QUIC_PACKET_HANDSHAKE; t++)
			test_long_round_trip(versions[i], t);
	test_length_field();
	test_short();
	test_long_errors();
	test_vn();
	test_probe();
	test_retry();
	test_coalesced();
	return tap_done();
}
