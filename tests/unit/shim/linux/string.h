/* SPDX-License-Identifier: GPL-2.0-or-later */
/* <linux/string.h> for the module's pure codecs built in userspace. */

#ifndef QUIC_SHIM_LINUX_STRING_H
#define QUIC_SHIM_LINUX_STRING_H

#include <string.h>

#endif
