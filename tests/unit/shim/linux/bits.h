/* SPDX-License-Identifier: GPL-2.0-or-later */
/* <linux/bits.h> for the module's pure codecs built in userspace. */

#ifndef QUIC_SHIM_LINUX_BITS_H
#define QUIC_SHIM_LINUX_BITS_H

#define BIT(nr)		(1UL << (nr))
#define BIT_ULL(nr)	(1ULL << (nr))

#endif
