// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Received frames: decode each frame of a packet payload (frame_wire.c),
 * check it may appear in this packet type, and hand it to the part that
 * acts on it: acknowledgments to the send queue, CRYPTO data, datagrams
 * and closes to the receive queue, stream frames to stream.c, connection
 * IDs to connid.c, path validation to path.c.
 */

#include <net/sock.h>

#include "frame_rx.h"
#include "frame_wire.h"
#include "inqueue.h"
#include "outqueue.h"
#include "socket.h"

/**
 * quic_frame_process - act on the frames of a decrypted packet
 * @sk: the connection
 * @skb: the datagram, linear, the payload inside it
 * @level: encryption level of the packet
 * @packet_type: enum quic_packet_type of the packet
 * @p: the payload
 * @len: its length
 * @eliciting: set when a frame asks for an acknowledgment
 * @probing: cleared when a frame is not a probing one (RFC 9000 9.1)
 * @errcode: the transport error code on failure
 *
 * Return: 0, or a negative error with *errcode set; the connection must
 * then be closed.
 */
int quic_frame_process(struct sock *sk, struct sk_buff *skb, u8 level,
		       u8 packet_type, const u8 *p, unsigned int len,
		       bool *eliciting, bool *probing, u64 *errcode)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_frame f;
	int n, err;

	if (!len) {		/* a packet needs at least one frame */
		*errcode = QUIC_TRANSPORT_ERROR_PROTOCOL_VIOLATION;
		return -EPROTO;
	}
	while (len) {
		n = quic_frame_decode(p, len, &f);
		if (n < 0) {
			*errcode = quic_frame_errcode(n);
			return n;
		}
		err = quic_frame_check(f.type, packet_type, !c->is_serv);
		if (err) {
			*errcode = quic_frame_errcode(err);
			return err;
		}
		if (quic_frame_ack_eliciting(f.type))
			*eliciting = true;
		if (f.type != QUIC_FRAME_PADDING &&
		    f.type != QUIC_FRAME_PATH_CHALLENGE &&
		    f.type != QUIC_FRAME_PATH_RESPONSE &&
		    f.type != QUIC_FRAME_NEW_CONNECTION_ID)
			*probing = false;	/* RFC 9000 section 9.1 */

		err = 0;
		switch (f.type) {
		case QUIC_FRAME_ACK:
		case QUIC_FRAME_ACK_ECN:
			if (!quic_conn_key_phase_ack(sk, f.ack.largest)) {
				*errcode = QUIC_TRANSPORT_ERROR_KEY_UPDATE;
				return -EPROTO;
			}
			quic_outq_ack(sk, quic_level_space(level), &f);
			break;
		case QUIC_FRAME_CRYPTO:
			err = quic_inq_crypto(sk, level, &f);
			if (err) {
				*errcode = QUIC_TRANSPORT_ERROR_CRYPTO_BUF_EXCEEDED;
				return err;
			}
			break;
		case QUIC_FRAME_HANDSHAKE_DONE:
			if (!c->hs_confirmed) {
				c->hs_confirmed = 1;	/* RFC 9001 4.1.2 */
				quic_conn_discard(sk, QUIC_PNSPACE_HANDSHAKE);
				/* a migration may wait for it */
				quic_sock_wake(sk);
			}
			break;
		case QUIC_FRAME_NEW_TOKEN:
			quic_inq_new_token(sk, &f);
			break;
		case QUIC_FRAME_STREAM ... QUIC_FRAME_STREAM + 7:
			err = quic_stream_rcv(sk, skb, &f, errcode);
			break;
		case QUIC_FRAME_RESET_STREAM:
			err = quic_stream_rcv_reset(sk, &f, errcode);
			break;
		case QUIC_FRAME_STOP_SENDING:
			err = quic_stream_rcv_stop(sk, &f, errcode);
			break;
		case QUIC_FRAME_MAX_DATA:
		case QUIC_FRAME_MAX_STREAM_DATA:
		case QUIC_FRAME_MAX_STREAMS_BIDI:
		case QUIC_FRAME_MAX_STREAMS_UNI:
		case QUIC_FRAME_DATA_BLOCKED:
		case QUIC_FRAME_STREAM_DATA_BLOCKED:
		case QUIC_FRAME_STREAMS_BLOCKED_BIDI:
		case QUIC_FRAME_STREAMS_BLOCKED_UNI:
			err = quic_stream_rcv_limit(sk, &f, errcode);
			break;
		case QUIC_FRAME_DATAGRAM:
		case QUIC_FRAME_DATAGRAM_LEN:
			/* only if we said we take them, and that large */
			if (n > quic_sk(sk)->local.max_datagram_frame_size) {
				*errcode = QUIC_TRANSPORT_ERROR_PROTOCOL_VIOLATION;
				return -EPROTO;
			}
			quic_inq_dgram(sk, skb, &f);
			break;
		case QUIC_FRAME_NEW_CONNECTION_ID:
			err = quic_connid_rcv_new(sk, &f, errcode);
			break;
		case QUIC_FRAME_RETIRE_CONNECTION_ID:
			err = quic_connid_rcv_retire(sk, &f, errcode);
			break;
		case QUIC_FRAME_PATH_CHALLENGE:
			quic_path_rcv_challenge(sk, skb, &f);
			break;
		case QUIC_FRAME_PATH_RESPONSE:
			quic_path_rcv_response(sk, &f);
			break;
		case QUIC_FRAME_CONNECTION_CLOSE:
		case QUIC_FRAME_CONNECTION_CLOSE_APP:
			quic_inq_close(sk, &f);
			return 0;
		default:
			break;
		}
		if (err)
			return err;
		p += n;
		len -= n;
	}
	return 0;
}
