/* SPDX-License-Identifier: GPL-2.0-or-later */
/* <linux/export.h> for the module's pure codecs built in userspace. */

#ifndef QUIC_SHIM_LINUX_EXPORT_H
#define QUIC_SHIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL_GPL(sym)

#endif
