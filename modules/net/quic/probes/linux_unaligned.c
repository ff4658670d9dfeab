// SPDX-License-Identifier: GPL-2.0-or-later
/* <linux/unaligned.h> replaced <asm/unaligned.h>. */
#include <linux/unaligned.h>

u32 quic_probe(const void *p);
u32 quic_probe(const void *p)
{
	return get_unaligned_be32(p);
}
