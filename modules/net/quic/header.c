// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packet headers.
 *
 * Long header (RFC 9000 section 17.2):
 *   1 form | 1 fixed | 2 type | 4 type-specific | 32 version |
 *   8 DCID length | DCID | 8 SCID length | SCID | type-specific fields
 * Short header (section 17.3):
 *   1 form=0 | 1 fixed | 1 spin | 2 reserved | 1 key phase | 2 PN length |
 *   DCID | packet number | payload
 *
 * Version 2 (RFC 9369) keeps the layout and permutes the type bits.
 * Only the version-independent fields (RFC 8999) are parsed for other
 * versions, so that a Version Negotiation packet can be answered.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <uapi/linux/quic.h>

#include "compat.h"
#include "header.h"
#include "varint.h"

/**
 * quic_version_supported - a version whose packets this code parses
 * @version: the version
 *
 * Return: true for QUIC versions 1 and 2.
 */
bool quic_version_supported(u32 version)
{
	return version == QUIC_VERSION_V1 || version == QUIC_VERSION_V2;
}

/**
 * quic_packet_type_bits - long header type bits of a packet type
 * @version: QUIC version 1 or 2
 * @type: QUIC_PACKET_INITIAL, _0RTT, _HANDSHAKE or _RETRY
 *
 * Return: the two bits, or -EINVAL.
 */
int quic_packet_type_bits(u32 version, u8 type)
{
	if (type > QUIC_PACKET_RETRY || !quic_version_supported(version))
		return -EINVAL;
	return version == QUIC_VERSION_V2 ? (type + 1) & 3 : type;
}

static u8 quic_packet_type_of_bits(u32 version, u8 bits)
{
	return version == QUIC_VERSION_V2 ? (bits + 3) & 3 : bits;
}

/* memcpy() that accepts NULL for an empty source */
static void quic_put_bytes(u8 *dst, const u8 *src, size_t n)
{
	if (n)
		memcpy(dst, src, n);
}

static int quic_get_cid(const u8 *buf, size_t len, size_t *off, u8 max,
			const u8 **cid, u8 *cid_len)
{
	u8 n;

	if (*off >= len)
		return -EINVAL;
	n = buf[(*off)++];
	if (n > max || len - *off < n)
		return -EINVAL;
	*cid = buf + *off;
	*cid_len = n;
	*off += n;
	return 0;
}

/**
 * quic_hdr_parse - parse the header of the packet at the start of @buf
 * @buf: a datagram, or what follows the previous coalesced packet
 * @len: bytes in @buf
 * @short_dcid_len: length of our connection IDs, for short headers
 * @flags: QUIC_HDR_GREASE_OK to accept packets without the fixed bit
 * @h: the parsed header
 *
 * The fields under header protection (packet number, low bits of the
 * first byte) are not interpreted.  h->len is the length of the packet:
 * the next coalesced packet, if any, starts there.
 *
 * Return: 0; -EPROTONOSUPPORT for a long header of an unknown version,
 * where only type, version and the connection IDs are set (answer with
 * Version Negotiation); -EINVAL for a packet to drop.
 */
int quic_hdr_parse(const u8 *buf, size_t len, u8 short_dcid_len,
		   unsigned int flags, struct quic_hdr *h)
{
	size_t off = 1;
	u64 v;
	int n;

	memset(h, 0, sizeof(*h));
	if (!len)
		return -EINVAL;
	h->first = buf[0];
	if (!(buf[0] & QUIC_HDR_FORM_LONG)) {
		if (!(buf[0] & QUIC_HDR_FIXED_BIT) &&
		    !(flags & QUIC_HDR_GREASE_OK))
			return -EINVAL;
		if (len - 1 < short_dcid_len)
			return -EINVAL;
		h->type = QUIC_PACKET_1RTT;
		h->dcid = buf + 1;
		h->dcid_len = short_dcid_len;
		h->pn_offset = 1 + short_dcid_len;
		h->len = len;
		return 0;
	}

	if (len < 5)
		return -EINVAL;
	h->version = get_unaligned_be32(buf + 1);
	off = 5;
	n = quic_version_supported(h->version) ? QUIC_CID_MAX_LEN :
						 QUIC_CID_MAX_LEN_ANY;
	if (quic_get_cid(buf, len, &off, n, &h->dcid, &h->dcid_len) ||
	    quic_get_cid(buf, len, &off, n, &h->scid, &h->scid_len))
		return -EINVAL;

	if (!h->version) {
		h->type = QUIC_PACKET_VERSION_NEGOTIATION;
		if (len == off || (len - off) % 4)
			return -EINVAL;
		h->versions = buf + off;
		h->nversions = (len - off) / 4;
		h->len = len;
		return 0;
	}
	if (!quic_version_supported(h->version))
		return -EPROTONOSUPPORT;
	if (!(buf[0] & QUIC_HDR_FIXED_BIT) && !(flags & QUIC_HDR_GREASE_OK))
		return -EINVAL;

	h->type = quic_packet_type_of_bits(h->version, (buf[0] >> 4) & 3);
	if (h->type == QUIC_PACKET_RETRY) {
		/* Retry Token up to the 16-byte integrity tag */
		if (len - off < 16)
			return -EINVAL;
		h->token = buf + off;
		h->token_len = len - off - 16;
		h->len = len;
		return 0;
	}
	if (h->type == QUIC_PACKET_INITIAL) {
		n = quic_varint_get(buf + off, len - off, &v);
		if (n < 0 || len - off - n < v)
			return -EINVAL;
		off += n;
		h->token = buf + off;
		h->token_len = v;
		off += v;
	}
	n = quic_varint_get(buf + off, len - off, &h->length);
	if (n < 0)
		return -EINVAL;
	off += n;
	if (h->length > len - off)
		return -EINVAL;
	h->pn_offset = off;
	h->len = off + h->length;
	return 0;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_hdr_parse);

/**
 * quic_hdr_check_reserved - reserved bits of an unprotected first byte
 * @first: the first byte after header protection removal
 *
 * Return: 0, or -EPROTO when a reserved bit is set (PROTOCOL_VIOLATION,
 * RFC 9000 sections 17.2 and 17.3.1).
 */
int quic_hdr_check_reserved(u8 first)
{
	u8 mask = (first & QUIC_HDR_FORM_LONG) ? QUIC_HDR_LONG_RESERVED :
						 QUIC_HDR_SHORT_RESERVED;

	return (first & mask) ? -EPROTO : 0;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_hdr_check_reserved);

/**
 * quic_hdr_put - write a packet header up to and including the packet number
 * @buf: destination
 * @size: room in @buf
 * @h: the fields; h->type QUIC_PACKET_1RTT writes a short header
 * @pn: the packet number, truncated to @pn_len bytes here
 * @pn_len: 1 to 4
 * @pn_offset: output, offset of the packet number
 *
 * The Length field is written on 2 bytes when it fits, else on 4, so the
 * caller may know the header size before it knows the payload size.
 *
 * Return: the header length, -ENOSPC, or -EINVAL for invalid fields.
 */
int quic_hdr_put(u8 *buf, size_t size, const struct quic_hdr_out *h,
		 u32 pn, u8 pn_len, unsigned int *pn_offset)
{
	size_t off, need;
	int bits, i;

	if (pn_len < 1 || pn_len > 4 || h->dcid_len > QUIC_CID_MAX_LEN)
		return -EINVAL;
	if (h->type == QUIC_PACKET_1RTT) {
		need = 1 + h->dcid_len + pn_len;
		if (size < need)
			return -ENOSPC;
		buf[0] = (h->grease ? 0 : QUIC_HDR_FIXED_BIT) |
			 (h->spin ? QUIC_HDR_SPIN_BIT : 0) |
			 (h->key_phase ? QUIC_HDR_KEY_PHASE : 0) | (pn_len - 1);
		quic_put_bytes(buf + 1, h->dcid, h->dcid_len);
		off = 1 + h->dcid_len;
		goto pn;
	}

	bits = quic_packet_type_bits(h->version, h->type);
	if (bits < 0 || h->type == QUIC_PACKET_RETRY ||
	    h->scid_len > QUIC_CID_MAX_LEN || h->length >= (1U << 30) ||
	    h->length < pn_len || (h->token_len && h->type != QUIC_PACKET_INITIAL))
		return -EINVAL;
	need = 7 + h->dcid_len + h->scid_len + (h->length < 16384 ? 2 : 4) +
	       pn_len;
	if (h->type == QUIC_PACKET_INITIAL) {
		if (h->token_len > QUIC_VARINT_MAX)
			return -EINVAL;
		need += quic_varint_len(h->token_len) + h->token_len;
	}
	if (size < need)
		return -ENOSPC;
	buf[0] = QUIC_HDR_FORM_LONG | (h->grease ? 0 : QUIC_HDR_FIXED_BIT) |
		 bits << 4 | (pn_len - 1);
	put_unaligned_be32(h->version, buf + 1);
	buf[5] = h->dcid_len;
	quic_put_bytes(buf + 6, h->dcid, h->dcid_len);
	off = 6 + h->dcid_len;
	buf[off++] = h->scid_len;
	quic_put_bytes(buf + off, h->scid, h->scid_len);
	off += h->scid_len;
	if (h->type == QUIC_PACKET_INITIAL) {
		off += quic_varint_put(buf + off, size - off, h->token_len);
		quic_put_bytes(buf + off, h->token, h->token_len);
		off += h->token_len;
	}
	if (h->length < 16384) {
		buf[off++] = 0x40 | h->length >> 8;
		buf[off++] = h->length & 0xff;
	} else {
		put_unaligned_be32(0x80000000 | (u32)h->length, buf + off);
		off += 4;
	}
pn:
	*pn_offset = off;
	for (i = pn_len - 1; i >= 0; i--)
		buf[off++] = (pn >> (8 * i)) & 0xff;
	return off;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_hdr_put);

/**
 * quic_vn_put - write a Version Negotiation packet (RFC 9000 section 17.2.1)
 * @buf: destination
 * @size: room in @buf
 * @first: random bits for the first byte (the form bit is set here)
 * @dcid: the client's Source Connection ID
 * @dcid_len: its length (up to 255)
 * @scid: the client's Destination Connection ID
 * @scid_len: its length (up to 255)
 * @versions: supported versions
 * @n: how many, at least one
 *
 * Return: bytes written, -ENOSPC or -EINVAL.
 */
int quic_vn_put(u8 *buf, size_t size, u8 first, const u8 *dcid, u8 dcid_len,
		const u8 *scid, u8 scid_len, const u32 *versions,
		unsigned int n)
{
	size_t need = 7 + dcid_len + scid_len + 4 * (size_t)n, off;
	unsigned int i;

	if (!n)
		return -EINVAL;
	if (size < need)
		return -ENOSPC;
	buf[0] = QUIC_HDR_FORM_LONG | first;
	put_unaligned_be32(0, buf + 1);
	buf[5] = dcid_len;
	quic_put_bytes(buf + 6, dcid, dcid_len);
	off = 6 + dcid_len;
	buf[off++] = scid_len;
	quic_put_bytes(buf + off, scid, scid_len);
	off += scid_len;
	for (i = 0; i < n; i++, off += 4)
		put_unaligned_be32(versions[i], buf + off);
	return off;
}

/**
 * quic_probe_put - a first packet in a version the server may not speak
 * @buf: destination, zeroed by the caller up to the datagram's size
 * @size: room in @buf
 * @version: the version (neither 0 nor one this code speaks)
 * @dcid: the Destination Connection ID (a client's first: 8 to 20 bytes)
 * @dcid_len: its length
 * @scid: the Source Connection ID
 * @scid_len: its length
 *
 * Only the long header's invariant fields (RFC 8999 section 5.1) are
 * written: a server that does not know @version answers the datagram,
 * at least 1200 bytes, with Version Negotiation (RFC 9000 section 6.1),
 * and one that does cannot decrypt it.  The caller pads to 1200 bytes.
 *
 * Return: bytes written, -ENOSPC or -EINVAL.
 */
int quic_probe_put(u8 *buf, size_t size, u32 version, const u8 *dcid,
		   u8 dcid_len, const u8 *scid, u8 scid_len)
{
	size_t need = 7 + dcid_len + scid_len;

	if (!version || quic_version_supported(version) ||
	    dcid_len > QUIC_CID_MAX_LEN || scid_len > QUIC_CID_MAX_LEN)
		return -EINVAL;
	if (size < need)
		return -ENOSPC;
	buf[0] = QUIC_HDR_FORM_LONG | QUIC_HDR_FIXED_BIT;
	put_unaligned_be32(version, buf + 1);
	buf[5] = dcid_len;
	quic_put_bytes(buf + 6, dcid, dcid_len);
	buf[6 + dcid_len] = scid_len;
	quic_put_bytes(buf + 7 + dcid_len, scid, scid_len);
	return need;
}

/**
 * quic_vn_version - a version listed in a parsed Version Negotiation packet
 * @h: the header
 * @i: index, below h->nversions
 *
 * Return: the version.
 */
u32 quic_vn_version(const struct quic_hdr *h, unsigned int i)
{
	return get_unaligned_be32(h->versions + 4 * i);
}

/**
 * quic_retry_put - write a Retry packet without its integrity tag
 * @buf: destination
 * @size: room in @buf
 * @first: random bits for the 4 unused bits of the first byte
 * @version: QUIC version 1 or 2
 * @dcid: the client's Source Connection ID
 * @dcid_len: its length
 * @scid: the server's new connection ID
 * @scid_len: its length
 * @token: the Retry Token, not empty
 * @token_len: its length
 *
 * Append the tag of quic_crypto_retry_tag() to complete the packet.
 *
 * Return: bytes written, -ENOSPC or -EINVAL.
 */
int quic_retry_put(u8 *buf, size_t size, u8 first, u32 version,
		   const u8 *dcid, u8 dcid_len, const u8 *scid, u8 scid_len,
		   const u8 *token, unsigned int token_len)
{
	int bits = quic_packet_type_bits(version, QUIC_PACKET_RETRY);
	size_t off;

	if (bits < 0 || !token_len || dcid_len > QUIC_CID_MAX_LEN ||
	    scid_len > QUIC_CID_MAX_LEN)
		return -EINVAL;
	if (size < 7 + (size_t)dcid_len + scid_len + token_len)
		return -ENOSPC;
	buf[0] = QUIC_HDR_FORM_LONG | QUIC_HDR_FIXED_BIT | bits << 4 |
		 (first & 0x0f);
	put_unaligned_be32(version, buf + 1);
	buf[5] = dcid_len;
	quic_put_bytes(buf + 6, dcid, dcid_len);
	off = 6 + dcid_len;
	buf[off++] = scid_len;
	quic_put_bytes(buf + off, scid, scid_len);
	off += scid_len;
	quic_put_bytes(buf + off, token, token_len);
	return off + token_len;
}
EXPORT_SYMBOL_FOR_QUIC_TEST(quic_retry_put);
