/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The big-endian accessors of the kernel's <linux/unaligned.h> for
 * building the module's pure codecs in userspace (unit tests, fuzzers).
 */

#ifndef QUIC_SHIM_LINUX_UNALIGNED_H
#define QUIC_SHIM_LINUX_UNALIGNED_H

#include <linux/types.h>

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

#endif
