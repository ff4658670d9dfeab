// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the transport parameter decoder
 * (modules/net/quic/tparam.c).  The input is a quic_transport_parameters
 * extension body, decoded as sent by a client and as sent by a server;
 * whatever decodes must encode again and decode to the same parameters.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tparam.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static u8 out[4096];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quic_tparams tp, again;
	int server, n;

	for (server = 0; server < 2; server++) {
		n = quic_tparams_decode(data, size, server, &tp);
		if (n) {
			CHECK(n == -EINVAL);
			continue;
		}
		n = quic_tparams_encode(out, sizeof(out), &tp, server);
		CHECK(n >= 0);
		if (tp.navailable == QUIC_TP_MAX_VERSIONS)
			continue;	/* versions past the kept ones were dropped */
		CHECK(!quic_tparams_decode(out, n, server, &again));
		CHECK(!memcmp(&tp, &again, sizeof(tp)));
	}
	return 0;
}
