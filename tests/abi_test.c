// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The binary interface of <linux/quic.h> and <netinet/quic.h>: sizes,
 * offsets and numbers that existing applications were compiled against.
 * Checked at compile time; the program only reports the result as TAP.
 */

#include <assert.h>
#include <stddef.h>
#include <stdio.h>

#include <netinet/quic.h>

#define SIZE(t, n)	static_assert(sizeof(t) == (n), #t " size")
#define OFF(t, f, n)	static_assert(offsetof(t, f) == (n), #t "." #f)
#define VAL(a, n)	static_assert((a) == (n), #a)

VAL(IPPROTO_QUIC, 261);
VAL(SOL_QUIC, 288);
VAL(QUIC_VERSION_V1, 1);
VAL(QUIC_VERSION_V2, 0x6b3343cf);
VAL(QUIC_STREAM_INFO, 0);
VAL(QUIC_HANDSHAKE_INFO, 1);
VAL(MSG_QUIC_STREAM_NEW, 0x400);
VAL(MSG_QUIC_STREAM_FIN, 0x200);
VAL(MSG_QUIC_STREAM_UNI, 0x800);
VAL(MSG_QUIC_STREAM_DONTWAIT, 0x10000);
VAL(MSG_QUIC_STREAM_SNDBLOCK, 0x2000);
VAL(MSG_QUIC_DATAGRAM, 0x1000);
VAL(MSG_QUIC_NOTIFICATION, 0x8000);
VAL(QUIC_STREAM_TYPE_SERVER_MASK, 1);
VAL(QUIC_STREAM_TYPE_UNI_MASK, 2);
VAL(QUIC_STREAM_TYPE_MASK, 3);
VAL(QUIC_CRYPTO_APP, 0);
VAL(QUIC_CRYPTO_INITIAL, 1);
VAL(QUIC_CRYPTO_HANDSHAKE, 2);
VAL(QUIC_CRYPTO_EARLY, 3);
VAL(QUIC_CRYPTO_MAX, 4);
VAL(QUIC_SOCKOPT_EVENT, 0);
VAL(QUIC_SOCKOPT_STREAM_OPEN, 1);
VAL(QUIC_SOCKOPT_STREAM_RESET, 2);
VAL(QUIC_SOCKOPT_STREAM_STOP_SENDING, 3);
VAL(QUIC_SOCKOPT_CONNECTION_ID, 4);
VAL(QUIC_SOCKOPT_CONNECTION_CLOSE, 5);
VAL(QUIC_SOCKOPT_CONNECTION_MIGRATION, 6);
VAL(QUIC_SOCKOPT_KEY_UPDATE, 7);
VAL(QUIC_SOCKOPT_TRANSPORT_PARAM, 8);
VAL(QUIC_SOCKOPT_CONFIG, 9);
VAL(QUIC_SOCKOPT_TOKEN, 10);
VAL(QUIC_SOCKOPT_ALPN, 11);
VAL(QUIC_SOCKOPT_SESSION_TICKET, 12);
VAL(QUIC_SOCKOPT_CRYPTO_SECRET, 13);
VAL(QUIC_SOCKOPT_TRANSPORT_PARAM_EXT, 14);
VAL(QUIC_SOCKOPT_STREAM_PEELOFF, 15);
VAL(QUIC_CONG_ALG_RENO, 0);
VAL(QUIC_CONG_ALG_CUBIC, 1);
VAL(QUIC_CONG_ALG_BBR, 2);
VAL(QUIC_CONG_ALG_MAX, 3);
VAL(QUIC_EVENT_NONE, 0);
VAL(QUIC_EVENT_STREAM_UPDATE, 1);
VAL(QUIC_EVENT_STREAM_MAX_DATA, 2);
VAL(QUIC_EVENT_STREAM_MAX_STREAM, 3);
VAL(QUIC_EVENT_CONNECTION_ID, 4);
VAL(QUIC_EVENT_CONNECTION_CLOSE, 5);
VAL(QUIC_EVENT_CONNECTION_MIGRATION, 6);
VAL(QUIC_EVENT_KEY_UPDATE, 7);
VAL(QUIC_EVENT_NEW_TOKEN, 8);
VAL(QUIC_EVENT_NEW_SESSION_TICKET, 9);
VAL(QUIC_EVENT_MAX, 10);
VAL(QUIC_STREAM_SEND_STATE_READY, 0);
VAL(QUIC_STREAM_SEND_STATE_RESET_RECVD, 5);
VAL(QUIC_STREAM_RECV_STATE_RECV, 6);
VAL(QUIC_STREAM_RECV_STATE_RESET_READ, 11);
VAL(QUIC_TRANSPORT_ERROR_VERSION_NEGOTIATION, 0x11);
VAL(QUIC_TRANSPORT_ERROR_CRYPTO, 0x100);
VAL(QUIC_HANDSHAKE_STEP_OP_SENDMSG, 1);
VAL(QUIC_HANDSHAKE_STEP_OP_RECVMSG, 2);

SIZE(struct quic_handshake_info, 1);
SIZE(struct quic_stream_info, 16);
OFF(struct quic_stream_info, stream_flags, 8);
OFF(struct quic_stream_info, reserved, 12);	/* 16 bytes on i386 too */
SIZE(struct quic_transport_param, 88);
OFF(struct quic_transport_param, max_datagram_frame_size, 8);
OFF(struct quic_transport_param, max_idle_timeout, 12);
OFF(struct quic_transport_param, max_streams_bidi, 20);
OFF(struct quic_transport_param, max_data, 24);
OFF(struct quic_transport_param, max_stream_data_uni, 48);
OFF(struct quic_transport_param, reserved, QUIC_TRANSPORT_PARAM_SIZE_VER0);
VAL(QUIC_TRANSPORT_PARAM_SIZE_VER0, 56);
SIZE(struct quic_config, 64);
OFF(struct quic_config, payload_cipher_type, 12);
OFF(struct quic_config, congestion_control_algo, 16);
OFF(struct quic_config, certificate_request, 20);
OFF(struct quic_config, keepalive_probe_interval, 24);
VAL(QUIC_CONFIG_SIZE_VER0, 28);
SIZE(struct quic_crypto_secret, 56);
OFF(struct quic_crypto_secret, level, 1);
OFF(struct quic_crypto_secret, type, 4);
OFF(struct quic_crypto_secret, secret, 8);
SIZE(struct quic_errinfo, 16);
OFF(struct quic_errinfo, reserved, 12);
SIZE(struct quic_connection_id_info, 12);
SIZE(struct quic_event_option, 2);
SIZE(struct quic_stream_update, 24);
OFF(struct quic_stream_update, errcode, 12);
SIZE(struct quic_stream_max_data, 16);
SIZE(struct quic_connection_close, 72);
OFF(struct quic_connection_close, phrase, 8);
SIZE(struct quic_stream_peeloff, 16);
OFF(struct quic_stream_peeloff, sd, 12);
SIZE(union quic_event, 72);

int main(void)
{
	/* Everything above is checked by the compiler. */
	printf("TAP version 13\n1..1\nok 1 - abi: uapi numbers, sizes and offsets\n");
	return 0;
}
