/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QUIC transport parameters (RFC 9000 section 18, RFC 9221 section 3,
 * RFC 9287 section 3, RFC 9368 section 5): the quic_transport_parameters
 * TLS extension body.  Pure functions over buffers, built both into the
 * module and into the userspace unit tests and fuzzers.
 */

#ifndef __NET_QUIC_TPARAM_H
#define __NET_QUIC_TPARAM_H

#include <linux/types.h>

enum quic_tp_id {
	QUIC_TP_ORIGINAL_DCID = 0x00,
	QUIC_TP_MAX_IDLE_TIMEOUT = 0x01,
	QUIC_TP_STATELESS_RESET_TOKEN = 0x02,
	QUIC_TP_MAX_UDP_PAYLOAD_SIZE = 0x03,
	QUIC_TP_INITIAL_MAX_DATA = 0x04,
	QUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL = 0x05,
	QUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE = 0x06,
	QUIC_TP_INITIAL_MAX_STREAM_DATA_UNI = 0x07,
	QUIC_TP_INITIAL_MAX_STREAMS_BIDI = 0x08,
	QUIC_TP_INITIAL_MAX_STREAMS_UNI = 0x09,
	QUIC_TP_ACK_DELAY_EXPONENT = 0x0a,
	QUIC_TP_MAX_ACK_DELAY = 0x0b,
	QUIC_TP_DISABLE_ACTIVE_MIGRATION = 0x0c,
	QUIC_TP_PREFERRED_ADDRESS = 0x0d,
	QUIC_TP_ACTIVE_CONNECTION_ID_LIMIT = 0x0e,
	QUIC_TP_INITIAL_SCID = 0x0f,
	QUIC_TP_RETRY_SCID = 0x10,
	QUIC_TP_VERSION_INFORMATION = 0x11,
	QUIC_TP_MAX_DATAGRAM_FRAME_SIZE = 0x20,
	QUIC_TP_GREASE_QUIC_BIT = 0x2ab2,
	/* both ends agree to send 1-RTT packets unprotected (an extension
	 * of the reference socket API, for benchmarks and trusted links)
	 */
	QUIC_TP_DISABLE_1RTT_ENCRYPTION = 0xbaad,
};

#define QUIC_TP_MAX_VERSIONS	8	/* Available Versions kept */

/* Bits of struct quic_tparams.present */
#define QUIC_TP_BIT(id)	(1ULL << quic_tp_index(id))

struct quic_preferred_address {
	u8 ipv4[4];
	u16 port4;
	u8 ipv6[16];
	u16 port6;
	u8 cid_len;
	u8 cid[20];
	u8 token[16];
};

struct quic_tparams {
	u64 present;	/* QUIC_TP_BIT() of each parameter sent/received */
	u64 max_idle_timeout;
	u64 max_udp_payload_size;
	u64 initial_max_data;
	u64 initial_max_stream_data_bidi_local;
	u64 initial_max_stream_data_bidi_remote;
	u64 initial_max_stream_data_uni;
	u64 initial_max_streams_bidi;
	u64 initial_max_streams_uni;
	u64 ack_delay_exponent;
	u64 max_ack_delay;
	u64 active_connection_id_limit;
	u64 max_datagram_frame_size;
	u8 original_dcid[20];
	u8 initial_scid[20];
	u8 retry_scid[20];
	u8 original_dcid_len;
	u8 initial_scid_len;
	u8 retry_scid_len;
	u8 disable_active_migration;
	u8 grease_quic_bit;
	u8 disable_1rtt_encryption;
	u8 stateless_reset_token[16];
	struct quic_preferred_address preferred_address;
	u32 chosen_version;
	u32 available_versions[QUIC_TP_MAX_VERSIONS];
	u8 navailable;
};

int quic_tp_index(u64 id);
void quic_tparams_defaults(struct quic_tparams *tp);
int quic_tparams_decode(const u8 *buf, size_t len, bool from_server,
			struct quic_tparams *tp);
int quic_tparams_encode(u8 *buf, size_t size, const struct quic_tparams *tp,
			bool from_server);

#endif /* __NET_QUIC_TPARAM_H */
