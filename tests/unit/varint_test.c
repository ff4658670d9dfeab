// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the variable-length integer and packet number codecs
 * (modules/net/quic/varint.c), with the RFC 9000 examples.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "varint.h"
#include "tap.h"

static void test_rfc_examples(void)
{
	static const struct {
		u8 bytes[8];
		unsigned int len;
		u64 value;
	} ex[] = {
		{ { 0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c }, 8,
		  151288809941952652ULL },
		{ { 0x9d, 0x7f, 0x3e, 0x7d }, 4, 494878333 },
		{ { 0x7b, 0xbd }, 2, 15293 },
		{ { 0x25 }, 1, 37 },
		{ { 0x40, 0x25 }, 2, 37 },
	};
	unsigned int i;
	u8 out[8];
	u64 v;

	for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		int n = quic_varint_get(ex[i].bytes, ex[i].len, &v);

		TAP_CHECK(n == (int)ex[i].len && v == ex[i].value,
			  "varint: RFC 9000 example %u decodes to %llu", i,
			  (unsigned long long)ex[i].value);
		if (i == 4)	/* non-shortest form: we encode shortest */
			continue;
		n = quic_varint_put(out, sizeof(out), ex[i].value);
		TAP_CHECK(n == (int)ex[i].len && !memcmp(out, ex[i].bytes, n),
			  "varint: RFC 9000 example %u encodes back", i);
	}
}

static void test_boundaries(void)
{
	static const struct {
		u64 v;
		unsigned int len;
	} b[] = {
		{ 0, 1 }, { 63, 1 }, { 64, 2 }, { 16383, 2 }, { 16384, 4 },
		{ (1ULL << 30) - 1, 4 }, { 1ULL << 30, 8 },
		{ QUIC_VARINT_MAX, 8 },
	};
	unsigned int i, failed = 0;
	u8 buf[8];
	u64 v;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		int n = quic_varint_put(buf, sizeof(buf), b[i].v);

		if (quic_varint_len(b[i].v) != b[i].len || n != (int)b[i].len ||
		    quic_varint_get(buf, n, &v) != n || v != b[i].v)
			failed++;
		/* one byte short: both directions refuse */
		if (quic_varint_put(buf, b[i].len - 1, b[i].v) != -ENOSPC ||
		    quic_varint_get(buf, b[i].len - 1, &v) != -EINVAL)
			failed++;
	}
	TAP_CHECK(!failed, "varint: every length boundary round-trips");
	TAP_CHECK(quic_varint_len(QUIC_VARINT_MAX + 1) == 0 &&
		  quic_varint_put(buf, 8, QUIC_VARINT_MAX + 1) == -ERANGE &&
		  quic_varint_put(buf, 8, ~0ULL) == -ERANGE,
		  "varint: values above 2^62-1 are refused");
	TAP_CHECK(quic_varint_get(buf, 0, &v) == -EINVAL,
		  "varint: empty input is refused");
}

static void test_round_trip_sweep(void)
{
	unsigned int failed = 0, shift;
	u8 buf[8];
	u64 v, got;
	int d, n;

	for (shift = 0; shift < 62; shift++) {
		for (d = -2; d <= 2; d++) {
			v = (1ULL << shift) + d;
			if (v > QUIC_VARINT_MAX)
				continue;
			n = quic_varint_put(buf, sizeof(buf), v);

			if (n <= 0 || quic_varint_get(buf, n, &got) != n ||
			    got != v)
				failed++;
		}
	}
	TAP_CHECK(!failed, "varint: powers of two and neighbours round-trip");
}

static void test_pn(void)
{
	/* RFC 9000 Appendix A.2 */
	TAP_CHECK(quic_pn_encode_len(0xac5c02, 0xabe8b3) == 2,
		  "pn: RFC 9000 A.2 example needs 16 bits");
	TAP_CHECK(quic_pn_encode_len(0xace8fe, 0xabe8b3) == 3,
		  "pn: RFC 9000 A.2 second example needs 24 bits");
	TAP_CHECK(quic_pn_encode_len(0, -1) == 1 &&
		  quic_pn_encode_len(127, -1) == 1 &&
		  quic_pn_encode_len(128, -1) == 2,
		  "pn: lengths with nothing acknowledged");
	TAP_CHECK(quic_pn_encode_len(1000 + 32768, 1000) == 2 &&
		  quic_pn_encode_len(1000 + 32769, 1000) == 3 &&
		  quic_pn_decode(1000, (1000 + 32768) & 0xffff, 2) ==
		  1000 + 32768,
		  "pn: exactly 2^15 packets in flight fit in 16 bits");
	TAP_CHECK(quic_pn_encode_len((1ULL << 31) + 5, 4) == -ERANGE &&
		  quic_pn_encode_len(5, 5) == -ERANGE &&
		  quic_pn_encode_len(QUIC_PN_MAX + 1, -1) == -ERANGE,
		  "pn: impossible encodings are refused");

	/* RFC 9000 Appendix A.3 */
	TAP_CHECK(quic_pn_decode(0xa82f30ea, 0x9b32, 2) == 0xa82f9b32,
		  "pn: RFC 9000 A.3 example decodes to 0xa82f9b32");
	TAP_CHECK(quic_pn_decode(-1, 0, 1) == 0 &&
		  quic_pn_decode(-1, 5, 4) == 5,
		  "pn: first packets of a space");
	TAP_CHECK(quic_pn_decode(0x1ff, 0x01, 1) == 0x201 &&
		  quic_pn_decode(0x200, 0xff, 1) == 0x1ff,
		  "pn: wraps forward and backward around a window edge");
	TAP_CHECK(quic_pn_decode(QUIC_PN_MAX - 1, 0xff, 1) ==
		  ((QUIC_PN_MAX - 1) & ~0xffULL) + 0xff,
		  "pn: never decodes past 2^62");
}

static void test_pn_round_trip(void)
{
	unsigned int failed = 0;
	u64 largest, pn;

	for (largest = 0; largest < 70000; largest += 997) {
		for (pn = largest + 1; pn < largest + 40000; pn += 331) {
			int n = quic_pn_encode_len(pn, largest);
			u32 trunc = pn & ((1ULL << (8 * n)) - 1);

			if (n < 1 || quic_pn_decode(largest, trunc, n) != pn)
				failed++;
		}
	}
	TAP_CHECK(!failed, "pn: encode then decode gives the number back");
}

int main(void)
{
	printf("TAP version 13\n");
	test_rfc_examples();
	test_boundaries();
	test_round_trip_sweep();
	test_pn();
	test_pn_round_trip();
	return tap_done();
}
