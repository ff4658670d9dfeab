/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Integer encodings of the QUIC wire format: variable-length integers
 * (RFC 9000 section 16) and truncated packet numbers (RFC 9000 section
 * 17.1 and Appendix A).  Pure functions over buffers, built both into the
 * module and into the userspace unit tests and fuzzers.
 */

#ifndef __NET_QUIC_VARINT_H
#define __NET_QUIC_VARINT_H

#include <linux/types.h>

#define QUIC_VARINT_MAX		((1ULL << 62) - 1)
#define QUIC_PN_MAX		((1ULL << 62) - 1)

unsigned int quic_varint_len(u64 v);
int quic_varint_put(u8 *buf, size_t len, u64 v);
int quic_varint_get(const u8 *buf, size_t len, u64 *v);

int quic_pn_encode_len(u64 full_pn, s64 largest_acked);
u64 quic_pn_decode(s64 largest_pn, u32 truncated_pn, unsigned int pn_len);

#endif /* __NET_QUIC_VARINT_H */
