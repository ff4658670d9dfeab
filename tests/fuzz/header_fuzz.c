// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the packet header parser (modules/net/quic/header.c).
 * The first input byte picks the short-header connection ID length and
 * the grease option; the rest is a datagram, walked packet by packet as
 * a receiver walks coalesced packets.  Every result is checked to lie
 * inside the input.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <uapi/linux/quic.h>

#include "header.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_inside(const u8 *buf, size_t len, const u8 *p, size_t n)
{
	if (!n)
		return;
	CHECK(p >= buf && p + n <= buf + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int flags, i, packets = 0;
	struct quic_hdr h;
	size_t off = 1;
	u8 cid_len;
	int err;

	if (!size)
		return 0;
	cid_len = data[0] % (QUIC_CID_MAX_LEN + 1);
	flags = (data[0] & 0x80) ? QUIC_HDR_GREASE_OK : 0;

	while (off < size && packets++ < 64) {
		const u8 *p = data + off;
		size_t len = size - off;

		err = quic_hdr_parse(p, len, cid_len, flags, &h);
		if (err == -EPROTONOSUPPORT) {
			check_inside(p, len, h.dcid, h.dcid_len);
			check_inside(p, len, h.scid, h.scid_len);
			break;
		}
		if (err) {
			CHECK(err == -EINVAL);
			break;
		}
		CHECK(h.len > 0 && h.len <= len);
		check_inside(p, h.len, h.dcid, h.dcid_len);
		check_inside(p, h.len, h.scid, h.scid_len);
		check_inside(p, h.len, h.token, h.token_len);
		switch (h.type) {
		case QUIC_PACKET_VERSION_NEGOTIATION:
			CHECK(h.nversions > 0);
			check_inside(p, h.len, h.versions, 4 * h.nversions);
			for (i = 0; i < h.nversions; i++)
				(void)quic_vn_version(&h, i);
			break;
		case QUIC_PACKET_INITIAL:
		case QUIC_PACKET_0RTT:
		case QUIC_PACKET_HANDSHAKE:
			CHECK(h.dcid_len <= QUIC_CID_MAX_LEN &&
			      h.scid_len <= QUIC_CID_MAX_LEN);
			CHECK(h.pn_offset + h.length == h.len);
			break;
		case QUIC_PACKET_1RTT:
			CHECK(h.pn_offset == 1u + cid_len && h.len == len);
			break;
		case QUIC_PACKET_RETRY:
			CHECK(h.len == len && h.token_len + 16 <= len);
			break;
		default:
			abort();
		}
		(void)quic_hdr_check_reserved(h.first);
		off += h.len;
	}
	return 0;
}
