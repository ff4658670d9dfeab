/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet number spaces (RFC 9000 section 12.3): the numbers we send, and
 * the numbers we received, kept as ranges for ACK frames.  The range
 * bookkeeping is a pure function, built both into the module and into
 * the userspace unit tests.
 */

#ifndef __NET_QUIC_PNSPACE_H
#define __NET_QUIC_PNSPACE_H

#include <linux/types.h>

#include "frame_wire.h"

enum quic_pnspace_id {
	QUIC_PNSPACE_INITIAL,
	QUIC_PNSPACE_HANDSHAKE,
	QUIC_PNSPACE_APP,
	QUIC_PNSPACE_MAX,
};

/* Received ranges kept per space: older ones are forgotten, and packets
 * below them treated as duplicates.
 */
#define QUIC_PN_RANGES		24

struct quic_pnspace {
	u64 next_pn;		/* next packet number to send */
	s64 largest_acked;	/* largest of ours the peer acknowledged, -1 */
	struct quic_ack_range rx[QUIC_PN_RANGES];	/* largest first */
	u64 floor;		/* numbers below were forgotten */
	u8 nranges;
	u8 ack_pending:1;	/* ack-eliciting packet not acknowledged yet */
	u8 ack_now:1;		/* send the ACK without waiting */
	u8 ack_eliciting;	/* such packets since our last ACK */
	u8 discarded:1;		/* keys dropped: nothing sent or received */
	u64 ecn_rx[3];		/* received: ECT(0), ECT(1), CE (ACK_ECN) */
	u64 ecn_peer[3];	/* the peer's counts of ours, last seen */
};

void quic_pnspace_init(struct quic_pnspace *s);
bool quic_pnspace_seen(const struct quic_pnspace *s, u64 pn);
int quic_pnspace_record(struct quic_pnspace *s, u64 pn);
s64 quic_pnspace_largest_rx(const struct quic_pnspace *s);

#endif /* __NET_QUIC_PNSPACE_H */
