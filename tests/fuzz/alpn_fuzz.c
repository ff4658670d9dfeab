// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the ClientHello ALPN reader
 * (modules/net/quic/alpn.c), which the kernel runs on the first Initial
 * of a connection to pick a listener.  Whatever it returns must lie
 * inside the input and be a well-formed ProtocolNameList, which the
 * matcher then reads against a listener's list.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alpn.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char list[] = "h3,smbd,quictest";
	const u8 *alpn = NULL;
	size_t len = 0, off;
	u8 *copy;
	int err;

	/* a copy of exactly the input, so that ASan sees any overread */
	copy = malloc(size ? size : 1);
	CHECK(copy);
	memcpy(copy, data, size);
	err = quic_alpn_from_client_hello(copy, size, &alpn, &len);
	if (err) {
		free(copy);
		return 0;
	}
	CHECK(alpn >= copy && len <= size &&
	      (size_t)(alpn - copy) <= size - len);
	for (off = 0; off < len; off += 1 + alpn[off])
		CHECK(alpn[off] && off + 1 + alpn[off] <= len);
	quic_alpn_match(list, strlen(list), alpn, len);
	free(copy);
	return 0;
}
