/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Paths (RFC 9000 sections 8.2 and 9): validation with PATH_CHALLENGE
 * and PATH_RESPONSE, the peer's migration (or NAT rebinding) and ours.
 */

#ifndef __NET_QUIC_PATH_H
#define __NET_QUIC_PATH_H

#include <linux/timer.h>
#include <linux/types.h>

#include "frame_wire.h"
#include "tparam.h"
#include "udp.h"

/* A path being validated: the peer's new address after it moved, or a
 * new local socket of ours when we move.
 */
struct quic_path {
	union quic_addr peer;		/* the peer's address on the path */
	union quic_addr old_peer;	/* to go back to if validation fails */
	struct quic_udp_sock *udp;	/* we move: our new socket */
	u8 data[QUIC_PATH_DATA_LEN];	/* PATH_CHALLENGE outstanding */
	unsigned long expires;		/* validation given up then */
	u8 active:1;			/* a path is being validated */
	u8 local:1;			/* it is ours (udp set) */
	u8 challenge_pending:1;		/* PATH_CHALLENGE to send */
	u8 response_pending:1;		/* PATH_RESPONSE to send */
	u8 response_alt:1;		/* ... from the new socket */
	u8 response_pref:1;		/* ... from the preferred address */
	u8 to_pref:1;			/* client: validating the server's
					 * preferred address (peer)
					 */
	u8 pref_pending:1;		/* client: move there once confirmed */
	u8 peer_seen:1;			/* the peer's packets came by the path
					 * during this round of validation
					 */
	u8 challenge_ping:1;		/* we move: a PING goes with it */
	u8 early_move:1;		/* server: the client moved before
					 * the handshake was confirmed (to
					 * peer, in a datagram of early_len)
					 */
	u8 rounds;			/* rounds of validation so far */
	u16 early_len;
	u8 response[QUIC_PATH_DATA_LEN];
	u16 response_room;		/* its datagram at most (0: no limit) */
	union quic_addr response_to;	/* where the challenge came from */
	union quic_addr pref;		/* client: server's preferred address */
	struct timer_list timer;	/* PATH_CHALLENGE again, or give up */
};

struct quic_frame;
struct sk_buff;
struct sock;

void quic_path_free(struct sock *sk);
void quic_path_rcv_challenge(struct sock *sk, struct sk_buff *skb,
			     const struct quic_frame *f);
void quic_path_rcv_response(struct sock *sk, const struct quic_frame *f);
void quic_path_rcv(struct sock *sk, struct sk_buff *skb, bool largest,
		   bool probing);
void quic_path_confirmed(struct sock *sk);
bool quic_path_is_alt(struct sock *sk, struct sk_buff *skb);
void quic_path_flush(struct sock *sk);
/* The validation timer's work, also from quic_timer_release_cb() */
void quic_path_timeout(struct sock *sk);
int quic_path_migrate(struct sock *sk, const union quic_addr *a);
int quic_path_set_preferred(struct sock *sk, const union quic_addr *a);
int quic_path_preferred_param(struct sock *sk,
			      struct quic_preferred_address *pa);
void quic_path_peer_preferred(struct sock *sk,
			      const struct quic_preferred_address *pa);

#endif /* __NET_QUIC_PATH_H */
