// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Received frames: decode each frame of a packet payload (frame_wire.c),
 * check it may appear in this packet type, and act on it.  Frames of the
 * features not implemented yet (streams, connection ID changes, paths,
 * datagrams) are decoded and validated, then ignored.
 */

#include <net/sock.h>

#include "frame.h"
#include "frame_wire.h"
#include "socket.h"

/**
 * quic_frame_process - act on the frames of a decrypted packet
 * @sk: the connection
 * @level: encryption level of the packet
 * @packet_type: enum quic_packet_type of the packet
 * @p: the payload
 * @len: its length
 * @eliciting: set when a frame asks for an acknowledgment
 * @errcode: the transport error code on failure
 *
 * Return: 0, or a negative error with *errcode set; the connection must
 * then be closed.
 */
int quic_frame_process(struct sock *sk, u8 level, u8 packet_type,
		       const u8 *p, unsigned int len, bool *eliciting,
		       u64 *errcode)
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

		switch (f.type) {
		case QUIC_FRAME_ACK:
		case QUIC_FRAME_ACK_ECN:
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
			}
			break;
		case QUIC_FRAME_NEW_TOKEN:
			quic_inq_new_token(sk, &f);
			break;
		case QUIC_FRAME_CONNECTION_CLOSE:
		case QUIC_FRAME_CONNECTION_CLOSE_APP:
			quic_conn_abort(sk, ECONNRESET);
			return 0;
		default:
			break;
		}
		p += n;
		len -= n;
	}
	return 0;
}
