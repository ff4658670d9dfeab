/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Application protocols of a new connection, read from the TLS
 * ClientHello in its first Initial packet, to pick among listeners that
 * share a port.  Pure functions over buffers, built both into the module
 * and into the userspace unit tests and fuzzers.
 */

#ifndef __NET_QUIC_ALPN_H
#define __NET_QUIC_ALPN_H

#include <linux/types.h>

int quic_alpn_from_client_hello(const u8 *p, size_t len, const u8 **alpn,
				size_t *alpn_len);
bool quic_alpn_match(const char *list, size_t list_len, const u8 *alpn,
		     size_t alpn_len);

#endif /* __NET_QUIC_ALPN_H */
