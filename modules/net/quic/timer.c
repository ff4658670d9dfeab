// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The timers of a connection, and what each one starts:
 *
 * - probe timer (pto_timer): loss detection, probe timeout, keepalive and
 *   idle timeout (RFC 9002 section 6); armed by quic_conn_arm_pto() and
 *   acted on by quic_conn_pto_fire() (outqueue.c);
 * - delayed ACK (ack_timer): an ack-eliciting 1-RTT packet waits a little
 *   for a second one, or for data to ride along;
 * - pacer (pace_timer, an hrtimer in soft interrupt context): the packets
 *   the congestion controller's rate held back (cong.c) may leave;
 * - path validation (path.timer): PATH_CHALLENGE again, or give up
 *   (quic_path_timeout(), path.c).
 *
 * Each runs under the socket's bh lock.  When a task owns the socket, the
 * timer leaves its work in c->deferred (QUIC_DEFER_*) and
 * quic_timer_release_cb() runs it when the task releases the socket, as
 * TCP's timers do, rather than polling for the lock.  A timer holds a
 * reference on the socket while it is pending (sk_reset_timer()).
 *
 * The closing period of a connection whose socket is gone has its own
 * timer in closing.c; works that may sleep (key update, key discard) are
 * in connection.c.
 */

#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <net/sock.h>

#include "compat.h"
#include "mib.h"
#include "outqueue.h"
#include "packet.h"
#include "path.h"
#include "socket.h"
#include "timer.h"

static struct sock *quic_timer_sk(struct quic_conn *c)
{
	return &container_of(c, struct quic_sock, conn)->inet.sk;
}

/* A timer expired: its work now, or when the socket's owner releases it */
static void quic_timer_run(struct quic_conn *c, int bit,
			   void (*fire)(struct sock *sk))
{
	struct sock *sk = quic_timer_sk(c);

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		set_bit(bit, &c->deferred);
	else if (quic_conn_active(sk))
		fire(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void quic_timer_pto_fire(struct sock *sk)
{
	quic_conn_pto_fire(sk);
	quic_conn_arm_pto(sk);
}

static void quic_timer_ack_fire(struct sock *sk)
{
	struct quic_pnspace *s = &quic_conn(sk)->space[QUIC_PNSPACE_APP];

	if (s->ack_pending) {
		s->ack_now = 1;
		quic_packet_flush(sk);
	}
}

static void quic_timer_pto(struct timer_list *t)
{
	struct quic_conn *c = timer_container_of(c, t, pto_timer);

	quic_timer_run(c, QUIC_DEFER_PTO, quic_timer_pto_fire);
}

static void quic_timer_ack(struct timer_list *t)
{
	struct quic_conn *c = timer_container_of(c, t, ack_timer);

	quic_timer_run(c, QUIC_DEFER_ACK, quic_timer_ack_fire);
}

static void quic_timer_path(struct timer_list *t)
{
	struct quic_conn *c = timer_container_of(c, t, path.timer);

	quic_timer_run(c, QUIC_DEFER_PATH, quic_path_timeout);
}

static enum hrtimer_restart quic_timer_pace_fire(struct hrtimer *t)
{
	struct quic_conn *c = container_of(t, struct quic_conn, pace_timer);

	quic_timer_run(c, QUIC_DEFER_FLUSH, quic_packet_flush);
	return HRTIMER_NORESTART;
}

/**
 * quic_timer_init - set up the timers of a new connection
 * @sk: the connection
 */
void quic_timer_init(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	timer_setup(&c->pto_timer, quic_timer_pto, 0);
	timer_setup(&c->ack_timer, quic_timer_ack, 0);
	timer_setup(&c->path.timer, quic_timer_path, 0);
	quic_hrtimer_setup(&c->pace_timer, quic_timer_pace_fire,
			   CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED_SOFT);
}

/**
 * quic_timer_stop - the connection is closed: nothing more to time
 * @sk: the connection, locked
 *
 * A callback already running finds the connection inactive.
 */
void quic_timer_stop(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	sk_stop_timer(sk, &c->pto_timer);
	sk_stop_timer(sk, &c->ack_timer);
	if (hrtimer_try_to_cancel(&c->pace_timer) == 1)
		__sock_put(sk);
}

/**
 * quic_timer_stop_sync - stop the timers and wait for their callbacks
 * @sk: the connection, being freed
 *
 * The path timer is path.c's (quic_path_free()).
 */
void quic_timer_stop_sync(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	sk_stop_timer_sync(sk, &c->pto_timer);
	sk_stop_timer_sync(sk, &c->ack_timer);
	if (hrtimer_cancel(&c->pace_timer))
		__sock_put(sk);
}

#define QUIC_ACK_DELAY_US	5000	/* within our max_ack_delay (25 ms) */

/**
 * quic_timer_ack_later - an ack-eliciting 1-RTT packet arrived in order
 * @sk: the connection
 *
 * Every second one is acknowledged at once (RFC 9000 section 13.2.2);
 * a single one waits a little for company, or for data to ride along.
 */
void quic_timer_ack_later(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	if (!timer_pending(&c->ack_timer))
		sk_reset_timer(sk, &c->ack_timer,
			       jiffies + usecs_to_jiffies(QUIC_ACK_DELAY_US));
}

/**
 * quic_timer_pace - let the pacer send what it held back when due
 * @sk: the connection
 */
void quic_timer_pace(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	if (hrtimer_is_queued(&c->pace_timer))
		return;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PACER_WAIT);
	sock_hold(sk);
	hrtimer_start(&c->pace_timer, quic_cong_pace_time(&c->cong),
		      HRTIMER_MODE_ABS_PINNED_SOFT);
}

/**
 * quic_timer_release_cb - the socket's owner releases it
 * @sk: the connection
 *
 * Runs what the timers that expired while a task owned the socket left
 * (QUIC_DEFER_*); a timer the owner armed again meanwhile has a new
 * deadline and waits for it.
 *
 * Context: release_sock(), bottom halves disabled, as a timer.
 */
void quic_timer_release_cb(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	if (!READ_ONCE(c->deferred))
		return;
	if (test_and_clear_bit(QUIC_DEFER_PTO, &c->deferred) &&
	    !timer_pending(&c->pto_timer) && quic_conn_active(sk))
		quic_timer_pto_fire(sk);
	if (test_and_clear_bit(QUIC_DEFER_PATH, &c->deferred) &&
	    !timer_pending(&c->path.timer) && quic_conn_active(sk))
		quic_path_timeout(sk);
	if (test_and_clear_bit(QUIC_DEFER_ACK, &c->deferred) &&
	    !timer_pending(&c->ack_timer) && quic_conn_active(sk))
		quic_timer_ack_fire(sk);
	if (test_and_clear_bit(QUIC_DEFER_FLUSH, &c->deferred) &&
	    quic_conn_active(sk))
		quic_packet_flush(sk);
}
