/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The timers of a connection, see timer.c.
 */

#ifndef __NET_QUIC_TIMER_H
#define __NET_QUIC_TIMER_H

struct sock;

void quic_timer_init(struct sock *sk);
void quic_timer_stop(struct sock *sk);
void quic_timer_stop_sync(struct sock *sk);
void quic_timer_ack_later(struct sock *sk);
void quic_timer_pace(struct sock *sk);
void quic_timer_release_cb(struct sock *sk);

/* Work a timer left for the socket's owner (quic_timer_release_cb()). */
enum {
	QUIC_DEFER_FLUSH,		/* the pacer let packets go */
	QUIC_DEFER_PTO,			/* probe timeout, loss or idle timer */
	QUIC_DEFER_ACK,			/* a delayed ACK is due */
	QUIC_DEFER_PATH,		/* path validation timer */
};

#endif /* __NET_QUIC_TIMER_H */
