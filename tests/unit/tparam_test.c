// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the transport parameter codec (modules/net/quic/tparam.c):
 * round trips, defaults, duplicates, ranges, server-only parameters,
 * preferred_address, version_information and truncation.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <uapi/linux/quic.h>

#include "tparam.h"
#include "varint.h"
#include "tap.h"

static u8 buf[1024];

static void full_server_params(struct quic_tparams *tp)
{
	unsigned int i;

	quic_tparams_defaults(tp);
	for (i = 0; i < 20; i++)
		tp->present |= 1ULL << i;
	tp->max_idle_timeout = 30000;
	tp->max_udp_payload_size = 1472;
	tp->initial_max_data = 1 << 20;
	tp->initial_max_stream_data_bidi_local = 1 << 18;
	tp->initial_max_stream_data_bidi_remote = 1 << 17;
	tp->initial_max_stream_data_uni = 1 << 16;
	tp->initial_max_streams_bidi = 100;
	tp->initial_max_streams_uni = 1ULL << 60;
	tp->ack_delay_exponent = 20;
	tp->max_ack_delay = (1 << 14) - 1;
	tp->active_connection_id_limit = 8;
	tp->max_datagram_frame_size = 65535;
	tp->original_dcid_len = 8;
	memset(tp->original_dcid, 0x83, 8);
	tp->initial_scid_len = 0;
	tp->retry_scid_len = 20;
	memset(tp->retry_scid, 0x55, 20);
	memset(tp->stateless_reset_token, 0x99, 16);
	tp->disable_active_migration = 1;
	tp->grease_quic_bit = 1;
	tp->preferred_address.ipv4[0] = 192;
	tp->preferred_address.port4 = 4433;
	tp->preferred_address.ipv6[15] = 1;
	tp->preferred_address.port6 = 4434;
	tp->preferred_address.cid_len = 4;
	memset(tp->preferred_address.cid, 0x42, 4);
	memset(tp->preferred_address.token, 0x24, 16);
	tp->chosen_version = QUIC_VERSION_V2;
	tp->available_versions[0] = QUIC_VERSION_V2;
	tp->available_versions[1] = QUIC_VERSION_V1;
	tp->navailable = 2;
}

static void test_round_trip(void)
{
	struct quic_tparams tp, out;
	int n, i;
	bool ok = true;

	full_server_params(&tp);
	n = quic_tparams_encode(buf, sizeof(buf), &tp, true);
	TAP_CHECK(n > 0, "tparam: all parameters encoded (%d bytes)", n);
	TAP_CHECK(!quic_tparams_decode(buf, n, true, &out) &&
		  !memcmp(&tp, &out, sizeof(tp)),
		  "tparam: all parameters decoded back identical");
	/* a truncated extension never decodes to more than was there */
	for (i = 0; i < n; i++)
		if (!quic_tparams_decode(buf, i, true, &out) &&
		    (out.present & ~tp.present))
			ok = false;
	TAP_CHECK(ok, "tparam: truncations decode to a subset or fail");
	TAP_CHECK(quic_tparams_encode(buf, 10, &tp, true) == -ENOSPC,
		  "tparam: encoding without room gives -ENOSPC");
}

static void test_defaults(void)
{
	struct quic_tparams out;

	TAP_CHECK(!quic_tparams_decode(buf, 0, false, &out) && !out.present &&
		  out.max_udp_payload_size == 65527 &&
		  out.ack_delay_exponent == 3 && out.max_ack_delay == 25 &&
		  out.active_connection_id_limit == 2 && !out.initial_max_data &&
		  !out.max_datagram_frame_size && !out.grease_quic_bit,
		  "tparam: empty extension gives the RFC 9000 defaults");
}

/* Decode a single parameter @id with the @len bytes of @val. */
static int one(u64 id, const void *val, unsigned int len, bool from_server)
{
	struct quic_tparams out;
	int n = 0;

	n += quic_varint_put(buf + n, 8, id);
	n += quic_varint_put(buf + n, 8, len);
	memcpy(buf + n, val, len);
	return quic_tparams_decode(buf, n + len, from_server, &out);
}

static int one_int(u64 id, u64 v)
{
	u8 tmp[8];
	int n = quic_varint_put(tmp, 8, v);

	return one(id, tmp, n, true);
}

static void test_ranges(void)
{
	static const u8 two_byte_one[] = { 0x40, 0x01 };
	static const u8 trailing[] = { 0x01, 0x00 };

	TAP_CHECK(one_int(QUIC_TP_MAX_UDP_PAYLOAD_SIZE, 1199) == -EINVAL &&
		  !one_int(QUIC_TP_MAX_UDP_PAYLOAD_SIZE, 1200),
		  "tparam: max_udp_payload_size below 1200 rejected");
	TAP_CHECK(one_int(QUIC_TP_ACK_DELAY_EXPONENT, 21) == -EINVAL &&
		  !one_int(QUIC_TP_ACK_DELAY_EXPONENT, 20),
		  "tparam: ack_delay_exponent above 20 rejected");
	TAP_CHECK(one_int(QUIC_TP_MAX_ACK_DELAY, 1 << 14) == -EINVAL &&
		  !one_int(QUIC_TP_MAX_ACK_DELAY, (1 << 14) - 1),
		  "tparam: max_ack_delay of 2^14 rejected");
	TAP_CHECK(one_int(QUIC_TP_ACTIVE_CONNECTION_ID_LIMIT, 1) == -EINVAL &&
		  !one_int(QUIC_TP_ACTIVE_CONNECTION_ID_LIMIT, 2),
		  "tparam: active_connection_id_limit below 2 rejected");
	TAP_CHECK(one_int(QUIC_TP_INITIAL_MAX_STREAMS_BIDI, (1ULL << 60) + 1) == -EINVAL &&
		  one_int(QUIC_TP_INITIAL_MAX_STREAMS_UNI, (1ULL << 60) + 1) == -EINVAL,
		  "tparam: initial_max_streams above 2^60 rejected");
	TAP_CHECK(!one(QUIC_TP_INITIAL_MAX_DATA, two_byte_one, 2, true),
		  "tparam: integer in a longer encoding accepted");
	TAP_CHECK(one(QUIC_TP_INITIAL_MAX_DATA, trailing, 2, true) == -EINVAL,
		  "tparam: integer parameter with trailing bytes rejected");
	TAP_CHECK(one(QUIC_TP_INITIAL_MAX_DATA, trailing, 0, true) == -EINVAL,
		  "tparam: empty integer parameter rejected");
}

static void test_forbidden(void)
{
	static const u64 server_only[] = {
		QUIC_TP_ORIGINAL_DCID, QUIC_TP_STATELESS_RESET_TOKEN,
		QUIC_TP_PREFERRED_ADDRESS, QUIC_TP_RETRY_SCID,
	};
	struct quic_tparams tp, out;
	u8 zero[64] = { 0 };
	unsigned int i;
	int n;

	for (i = 0; i < 4; i++) {
		unsigned int len = server_only[i] == QUIC_TP_STATELESS_RESET_TOKEN ? 16 :
				   server_only[i] == QUIC_TP_PREFERRED_ADDRESS ? 42 : 4;

		if (server_only[i] == QUIC_TP_PREFERRED_ADDRESS)
			zero[24] = 1;
		TAP_CHECK(one(server_only[i], zero, len, false) == -EINVAL &&
			  !one(server_only[i], zero, len, true),
			  "tparam: 0x%02llx from a client rejected, from a server accepted",
			  (unsigned long long)server_only[i]);
	}
	full_server_params(&tp);
	TAP_CHECK(quic_tparams_encode(buf, sizeof(buf), &tp, false) == -EINVAL,
		  "tparam: a client does not encode server-only parameters");
	tp.present = QUIC_TP_BIT(QUIC_TP_INITIAL_MAX_DATA) |
		     QUIC_TP_BIT(QUIC_TP_INITIAL_SCID);
	n = quic_tparams_encode(buf, sizeof(buf), &tp, false);
	TAP_CHECK(n > 0 && !quic_tparams_decode(buf, n, false, &out) &&
		  out.present == tp.present && out.initial_max_data == 1 << 20,
		  "tparam: client parameters round trip");

	n = quic_tparams_encode(buf, sizeof(buf), &tp, false);
	memcpy(buf + n, buf, n);
	TAP_CHECK(quic_tparams_decode(buf, 2 * n, false, &out) == -EINVAL,
		  "tparam: duplicate parameters rejected");
}

static void test_shapes(void)
{
	u8 v[64] = { 0 };

	TAP_CHECK(one(QUIC_TP_INITIAL_SCID, v, 21, true) == -EINVAL &&
		  !one(QUIC_TP_INITIAL_SCID, v, 20, true) &&
		  !one(QUIC_TP_INITIAL_SCID, v, 0, true),
		  "tparam: connection ID parameters up to 20 bytes");
	TAP_CHECK(one(QUIC_TP_STATELESS_RESET_TOKEN, v, 15, true) == -EINVAL &&
		  one(QUIC_TP_STATELESS_RESET_TOKEN, v, 17, true) == -EINVAL,
		  "tparam: stateless_reset_token must be 16 bytes");
	TAP_CHECK(one(QUIC_TP_DISABLE_ACTIVE_MIGRATION, v, 1, true) == -EINVAL &&
		  !one(QUIC_TP_DISABLE_ACTIVE_MIGRATION, v, 0, true),
		  "tparam: disable_active_migration must be empty");
	TAP_CHECK(one(QUIC_TP_GREASE_QUIC_BIT, v, 1, true) == -EINVAL &&
		  !one(QUIC_TP_GREASE_QUIC_BIT, v, 0, true),
		  "tparam: grease_quic_bit must be empty");
	v[24] = 0;
	TAP_CHECK(one(QUIC_TP_PREFERRED_ADDRESS, v, 41, true) == -EINVAL,
		  "tparam: preferred_address with an empty connection ID rejected");
	v[24] = 4;
	TAP_CHECK(!one(QUIC_TP_PREFERRED_ADDRESS, v, 45, true) &&
		  one(QUIC_TP_PREFERRED_ADDRESS, v, 44, true) == -EINVAL &&
		  one(QUIC_TP_PREFERRED_ADDRESS, v, 46, true) == -EINVAL &&
		  one(QUIC_TP_PREFERRED_ADDRESS, v, 30, true) == -EINVAL,
		  "tparam: preferred_address length must match its connection ID");
	v[24] = 21;
	TAP_CHECK(one(QUIC_TP_PREFERRED_ADDRESS, v, 62, true) == -EINVAL,
		  "tparam: preferred_address with a 21-byte connection ID rejected");
	TAP_CHECK(one(0x01, v, 60, true) == -EINVAL,
		  "tparam: parameter longer than the extension rejected");
}

static void test_reserved(void)
{
	struct quic_tparams out;
	int n = 0;

	/* reserved ids 31 * N + 27, with a body, then a known parameter */
	n += quic_varint_put(buf + n, 8, 27);
	buf[n++] = 3;
	memcpy(buf + n, "abc", 3);
	n += 3;
	n += quic_varint_put(buf + n, 8, 31ULL * 1000000 + 27);
	buf[n++] = 0;
	n += quic_varint_put(buf + n, 8, QUIC_TP_INITIAL_MAX_DATA);
	buf[n++] = 1;
	buf[n++] = 9;
	TAP_CHECK(!quic_tparams_decode(buf, n, false, &out) &&
		  out.present == QUIC_TP_BIT(QUIC_TP_INITIAL_MAX_DATA) &&
		  out.initial_max_data == 9,
		  "tparam: reserved and unknown parameters skipped");
	TAP_CHECK(quic_tp_index(27) == -1 && quic_tp_index(0x11) == 17 &&
		  quic_tp_index(0x20) == 18 && quic_tp_index(0x2ab2) == 19 &&
		  quic_tp_index(0xbaad) == 20,
		  "tparam: id to index");
	{
		struct quic_tparams in, back;
		u8 ext[64];
		int len;

		quic_tparams_defaults(&in);
		in.present = QUIC_TP_BIT(QUIC_TP_DISABLE_1RTT_ENCRYPTION);
		in.disable_1rtt_encryption = 1;
		len = quic_tparams_encode(ext, sizeof(ext), &in, false);
		TAP_CHECK(len == 5 && ext[0] == 0x80 && ext[2] == 0xba &&
			  ext[3] == 0xad && !ext[4] &&
			  !quic_tparams_decode(ext, len, false,
								 &back) &&
			  back.disable_1rtt_encryption,
			  "tparam: disable_1rtt_encryption (0xbaad), empty, round trip");
		ext[4] = 1;	/* with a byte of value: refused */
		ext[len++] = 0;
		TAP_CHECK(quic_tparams_decode(ext, len, false, &back),
			  "tparam: disable_1rtt_encryption with a value is refused");
	}
}

static void test_version_information(void)
{
	static const u8 ok_client[] = {
		0x6b, 0x33, 0x43, 0xcf, 0x6b, 0x33, 0x43, 0xcf, 0, 0, 0, 1,
	};
	static const u8 not_listed[] = { 0, 0, 0, 1, 0x6b, 0x33, 0x43, 0xcf };
	static const u8 zero_chosen[] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	static const u8 zero_avail[] = { 0, 0, 0, 1, 0, 0, 0, 0 };
	static const u8 nine[9] = { 0, 0, 0, 1, 0, 0, 0, 1, 0 };
	struct quic_tparams tp, out;
	int n;

	TAP_CHECK(!one(QUIC_TP_VERSION_INFORMATION, ok_client, 12, false),
		  "tparam: client version_information accepted");
	TAP_CHECK(one(QUIC_TP_VERSION_INFORMATION, not_listed, 8, false) == -EINVAL,
		  "tparam: server rejects a Chosen Version missing from Available Versions");
	TAP_CHECK(!one(QUIC_TP_VERSION_INFORMATION, not_listed, 8, true),
		  "tparam: client accepts the server's list without its Chosen Version");
	TAP_CHECK(one(QUIC_TP_VERSION_INFORMATION, zero_chosen, 8, true) == -EINVAL &&
		  one(QUIC_TP_VERSION_INFORMATION, zero_avail, 8, true) == -EINVAL,
		  "tparam: version 0 in version_information rejected");
	TAP_CHECK(one(QUIC_TP_VERSION_INFORMATION, nine, 9, true) == -EINVAL &&
		  one(QUIC_TP_VERSION_INFORMATION, nine, 3, true) == -EINVAL &&
		  one(QUIC_TP_VERSION_INFORMATION, nine, 0, true) == -EINVAL,
		  "tparam: version_information not a multiple of 4 or empty rejected");
	TAP_CHECK(!one(QUIC_TP_VERSION_INFORMATION, nine, 4, true),
		  "tparam: version_information with only a Chosen Version from a server");

	quic_tparams_defaults(&tp);
	tp.present = QUIC_TP_BIT(QUIC_TP_VERSION_INFORMATION);
	tp.chosen_version = QUIC_VERSION_V1;
	tp.available_versions[0] = QUIC_VERSION_V1;
	tp.navailable = 1;
	n = quic_tparams_encode(buf, sizeof(buf), &tp, false);
	TAP_CHECK(n == 2 + 8 && !quic_tparams_decode(buf, n, false, &out) &&
		  out.chosen_version == QUIC_VERSION_V1 && out.navailable == 1,
		  "tparam: version_information round trip");
	tp.available_versions[0] = 0;
	TAP_CHECK(quic_tparams_encode(buf, sizeof(buf), &tp, false) == -EINVAL,
		  "tparam: encoding version 0 refused");
	tp.available_versions[0] = 1;
	tp.chosen_version = 0;
	TAP_CHECK(quic_tparams_encode(buf, sizeof(buf), &tp, false) == -EINVAL,
		  "tparam: encoding Chosen Version 0 refused");
	quic_tparams_defaults(&tp);
	tp.present = QUIC_TP_BIT(QUIC_TP_ACK_DELAY_EXPONENT);
	tp.ack_delay_exponent = 21;
	TAP_CHECK(quic_tparams_encode(buf, sizeof(buf), &tp, false) == -EINVAL,
		  "tparam: encoding an out-of-range value refused");
}

int main(void)
{
	test_round_trip();
	test_defaults();
	test_ranges();
	test_forbidden();
	test_shapes();
	test_reserved();
	test_version_information();
	return tap_done();
}
