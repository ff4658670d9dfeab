// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Variable-length integers and packet number truncation.
 *
 * A variable-length integer keeps its length in the two top bits of its
 * first byte: 00 one byte (6 bits), 01 two (14), 10 four (30), 11 eight
 * (62).  Values are big endian.
 */

#include <linux/errno.h>

#include "varint.h"

/**
 * quic_varint_len - bytes needed to encode a value
 * @v: the value
 *
 * Return: 1, 2, 4 or 8, or 0 when @v exceeds QUIC_VARINT_MAX.
 */
unsigned int quic_varint_len(u64 v)
{
	if (v < (1ULL << 6))
		return 1;
	if (v < (1ULL << 14))
		return 2;
	if (v < (1ULL << 30))
		return 4;
	if (v <= QUIC_VARINT_MAX)
		return 8;
	return 0;
}

/**
 * quic_varint_put - encode a value in its shortest form
 * @buf: destination
 * @len: room in @buf
 * @v: the value
 *
 * Return: bytes written, -ERANGE when @v is too large, -ENOSPC when
 * @buf is too short.
 */
int quic_varint_put(u8 *buf, size_t len, u64 v)
{
	unsigned int n = quic_varint_len(v), i;

	if (!n)
		return -ERANGE;
	if (len < n)
		return -ENOSPC;
	for (i = n; i > 0; i--) {
		buf[i - 1] = v & 0xff;
		v >>= 8;
	}
	/* log2(n) in the two top bits: 1 -> 00, 2 -> 01, 4 -> 10, 8 -> 11 */
	buf[0] |= (n == 1 ? 0 : n == 2 ? 1 : n == 4 ? 2 : 3) << 6;
	return n;
}

/**
 * quic_varint_get - decode a value
 * @buf: source
 * @len: bytes available in @buf
 * @v: the value, on success
 *
 * Non-shortest encodings are valid (RFC 9000 section 16) and accepted.
 *
 * Return: bytes consumed, or -EINVAL when @buf ends inside the integer.
 */
int quic_varint_get(const u8 *buf, size_t len, u64 *v)
{
	unsigned int n, i;
	u64 val;

	if (!len)
		return -EINVAL;
	n = 1U << (buf[0] >> 6);
	if (len < n)
		return -EINVAL;
	val = buf[0] & 0x3f;
	for (i = 1; i < n; i++)
		val = (val << 8) | buf[i];
	*v = val;
	return n;
}

/**
 * quic_pn_encode_len - packet number length for sending
 * @full_pn: packet number of the packet being sent
 * @largest_acked: largest acknowledged packet number in its space, or -1
 *
 * The truncated number must cover twice the range of packets in flight,
 * so the peer can tell it from older and newer numbers (RFC 9000 section
 * 17.1).
 *
 * Return: 1 to 4, or -ERANGE when even 4 bytes are not enough.
 */
int quic_pn_encode_len(u64 full_pn, s64 largest_acked)
{
	u64 unacked;
	int n;

	if (full_pn > QUIC_PN_MAX ||
	    (largest_acked >= 0 && (u64)largest_acked >= full_pn))
		return -ERANGE;
	unacked = largest_acked < 0 ? full_pn + 1 : full_pn - largest_acked;
	for (n = 1; n <= 4; n++)
		if (unacked <= (1ULL << (8 * n - 1)))
			return n;
	return -ERANGE;
}

/**
 * quic_pn_decode - full packet number from a truncated one
 * @largest_pn: largest packet number received in the space, or -1
 * @truncated_pn: the Packet Number field
 * @pn_len: its length in bytes, 1 to 4
 *
 * Picks the value closest to the next expected number (RFC 9000
 * Appendix A.3).
 *
 * Return: the packet number.
 */
u64 quic_pn_decode(s64 largest_pn, u32 truncated_pn, unsigned int pn_len)
{
	u64 expected = largest_pn + 1;
	u64 win = 1ULL << (8 * pn_len);
	u64 hwin = win / 2;
	u64 mask = win - 1;
	u64 candidate = (expected & ~mask) | (truncated_pn & mask);

	if (candidate + hwin <= expected && candidate < (1ULL << 62) - win)
		return candidate + win;
	if (candidate > expected + hwin && candidate >= win)
		return candidate - win;
	return candidate;
}
