// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RTT estimation (RFC 9002 section 5) and congestion control: slow start,
 * one window reduction per round trip of losses, and the minimum window
 * after persistent congestion (RFC 9002 section 7); in congestion
 * avoidance NewReno grows the window by a datagram per window
 * acknowledged, CUBIC (RFC 9438) along a cubic function of the time since
 * the last reduction, never slower than Reno would; BBR is in bbr.c.
 *
 * Each ACK frame gives a delivery rate sample (the bytes acknowledged
 * since the newest packet it acknowledges was sent, over the longer of
 * that packet's send and ack intervals), which BBR models the path with.
 *
 * Sends are paced (RFC 9002 section 7.7): after each ack-eliciting packet
 * the next may leave its size over the pacing rate later, early by at
 * most QUIC_PACE_SLACK_NS so that a timer wakeup sends a few; idle time
 * earns a burst of at most QUIC_PACE_BURST_NS.  NewReno and CUBIC pace
 * at twice the window per smoothed RTT in slow start, 1.25 times after.
 */

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <uapi/linux/quic.h>

#include "cong.h"

/* CUBIC constants: C = 0.4, beta = 0.7, the Reno-friendly alpha =
 * 3 * (1 - beta) / (1 + beta) ~ 0.529 (RFC 9438 sections 4.2-4.3).
 */
#define QUIC_CUBIC_BETA		7	/* tenths */
#define QUIC_CUBIC_ALPHA	529	/* thousandths */
#define QUIC_CUBIC_T_MAX_MS	100000	/* cap of |t - K| */

#define QUIC_PACE_SLACK_NS	(250 * NSEC_PER_USEC)
#define QUIC_PACE_BURST_NS	NSEC_PER_MSEC

void quic_cong_init(struct quic_cong *cg, u32 initial_rtt, u8 algo)
{
	memset(cg, 0, sizeof(*cg));
	quic_cong_set_initial_rtt(cg, initial_rtt);
	cg->cwnd = QUIC_INIT_CWND;
	cg->ssthresh = U32_MAX;
	cg->mss = QUIC_MSS;
	quic_cong_set_algo(cg, algo);
}

/* Before anything was sent: the congestion controller to use. */
void quic_cong_set_algo(struct quic_cong *cg, u8 algo)
{
	cg->algo = algo;
	if (algo == QUIC_CONG_ALG_BBR)
		quic_bbr_init(cg);
}

/* The RTT assumed until the first sample (RFC 9002 section 6.2.2). */
void quic_cong_set_initial_rtt(struct quic_cong *cg, u32 rtt)
{
	if (cg->sampled)
		return;
	cg->srtt = rtt;
	cg->rttvar = rtt / 2;
}

/* Path MTU discovery found larger datagrams: the window counts in them
 * (RFC 9002 section 7.2: at least two, ten at the start).
 */
void quic_cong_set_mss(struct quic_cong *cg, u32 mss)
{
	cg->mss = mss;
	cg->cwnd = max(cg->cwnd, min(10 * mss, max(14720U, 2 * mss)));
}

/**
 * quic_cong_rtt - a new RTT sample
 * @cg: the state
 * @rtt: the sample, microseconds
 * @ack_delay: the delay the peer reported
 * @max_ack_delay: the peer's max_ack_delay, 0 before the handshake is
 *	confirmed
 */
void quic_cong_rtt(struct quic_cong *cg, u32 rtt, u32 ack_delay,
		   u32 max_ack_delay)
{
	u32 adjusted = rtt;

	cg->latest_rtt = rtt;
	if (!cg->sampled) {
		cg->sampled = 1;
		cg->first_sample = ktime_get();
		cg->min_rtt = rtt;
		cg->srtt = rtt;
		cg->rttvar = rtt / 2;
		return;
	}
	cg->min_rtt = min(cg->min_rtt, rtt);
	ack_delay = min(ack_delay, max_ack_delay);
	if (rtt >= cg->min_rtt + ack_delay)
		adjusted = rtt - ack_delay;
	cg->rttvar = (3 * cg->rttvar + abs((int)cg->srtt - (int)adjusted)) / 4;
	cg->srtt = (7 * cg->srtt + adjusted) / 8;
}

/* The probe timeout, microseconds (RFC 9002 section 6.2.1). */
u32 quic_cong_pto(const struct quic_cong *cg, u32 max_ack_delay)
{
	return cg->srtt + max_t(u32, 4 * cg->rttvar, 1000) + max_ack_delay;
}

/**
 * quic_cong_sent - an ack-eliciting packet left
 * @cg: the state
 * @bytes: its size
 * @now: its send time
 * @snap: filled with what its acknowledgment measures the rate against
 */
void quic_cong_sent(struct quic_cong *cg, u32 bytes, ktime_t now,
		    struct quic_cong_snap *snap)
{
	ktime_t floor;

	if (!cg->inflight) {
		/* nothing in flight: intervals start now */
		cg->first_sent = now;
		cg->delivered_time = now;
	}
	snap->delivered = cg->delivered;
	snap->app_limited = !!cg->app_limited;
	snap->delivered_ago = min_t(s64, ktime_us_delta(now, cg->delivered_time),
				    U32_MAX);
	snap->first_sent_ago = min_t(s64, ktime_us_delta(now, cg->first_sent),
				     U32_MAX);
	cg->inflight += bytes;

	if (!cg->pace_rate)
		return;
	floor = ktime_sub_ns(now, QUIC_PACE_BURST_NS);
	if (ktime_before(cg->pace_next, floor))
		cg->pace_next = floor;
	cg->pace_next = ktime_add_ns(cg->pace_next,
				     div64_u64((u64)bytes * NSEC_PER_SEC,
					       cg->pace_rate));
}

/**
 * quic_cong_app_limited - the application has nothing more to send
 * @cg: the state
 *
 * Rate samples until what is in flight now is acknowledged measure the
 * application, not the path.
 */
void quic_cong_app_limited(struct quic_cong *cg)
{
	cg->app_limited = max_t(u64, cg->delivered + cg->inflight, 1);
}

/* floor of the cube root */
static u32 quic_cbrt(u64 a)
{
	u32 lo = 0, hi = 1 << 22, mid;

	while (lo + 1 < hi) {
		mid = (lo + hi) / 2;
		if ((u64)mid * mid * mid <= a)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* CUBIC congestion avoidance: @bytes newly acknowledged. */
static void quic_cubic_acked(struct quic_cong *cg, u32 bytes)
{
	ktime_t now = ktime_get();
	u64 d, delta, target;
	s64 t;

	if (!cg->epoch) {
		cg->epoch = now;
		cg->w_est = cg->cwnd;
		if (cg->w_max <= cg->cwnd) {
			cg->w_max = cg->cwnd;
			cg->k_ms = 0;
		} else {
			/* K^3 = (W_max - cwnd) / (C * MSS), in ms^3 */
			cg->k_ms = quic_cbrt(div_u64((u64)(cg->w_max - cg->cwnd) *
						     2500000000ULL, cg->mss));
		}
	}
	/* W_cubic(t + RTT), t since the epoch (RFC 9438 section 4.2) */
	t = ktime_ms_delta(now, cg->epoch) + cg->srtt / 1000 - cg->k_ms;
	d = min_t(u64, abs(t), QUIC_CUBIC_T_MAX_MS);
	delta = div_u64(4 * (d * d * d / 1000) * cg->mss, 10000000);
	if (t >= 0)
		target = cg->w_max + delta;
	else
		target = delta < cg->w_max ? cg->w_max - delta : 0;
	target = clamp_t(u64, target, cg->cwnd, cg->cwnd + cg->cwnd / 2);

	/* the Reno-friendly region (section 4.3) */
	cg->w_est += max_t(u32, div_u64((u64)QUIC_CUBIC_ALPHA * bytes * cg->mss,
					1000 * cg->cwnd), 1);
	if (target < cg->w_est) {
		cg->cwnd = cg->w_est;
		return;
	}
	cg->cwnd += div_u64((target - cg->cwnd) * bytes, cg->cwnd);
}

/**
 * quic_cong_acked - a packet was acknowledged
 * @cg: the state
 * @rs: the rate sample of the ACK frame, zeroed before its first packet
 * @bytes: its size
 * @sent: its send time
 * @snap: what quic_cong_sent() noted for it
 *
 * Called for each packet an ACK frame newly acknowledges, oldest first,
 * then quic_cong_ack_done() once.
 */
void quic_cong_acked(struct quic_cong *cg, struct quic_rate_sample *rs,
		     u32 bytes, ktime_t sent,
		     const struct quic_cong_snap *snap)
{
	ktime_t now = ktime_get();

	cg->inflight -= min(cg->inflight, bytes);
	cg->delivered += bytes;
	cg->delivered_time = now;
	rs->acked += bytes;
	if (snap->delivered >= rs->prior_delivered) {
		/* the newest packet so far gives the interval */
		rs->prior_delivered = snap->delivered;
		rs->app_limited = snap->app_limited;
		rs->interval = max_t(s64, snap->first_sent_ago,
				     ktime_us_delta(now, sent) +
				     snap->delivered_ago);
		rs->newest_sent = sent;
		cg->first_sent = sent;
	}
	if (cg->algo == QUIC_CONG_ALG_BBR)
		return;
	if (!ktime_after(sent, cg->recovery_start))
		return;		/* sent before the recovery period began */
	if (cg->cwnd < cg->ssthresh)
		cg->cwnd += bytes;
	else if (cg->algo == QUIC_CONG_ALG_CUBIC)
		quic_cubic_acked(cg, bytes);
	else
		cg->cwnd += max_t(u32, cg->mss * bytes / cg->cwnd, 1);
}

/* A congestion event for a packet sent at @sent: once per round trip. */
static bool quic_cong_event(struct quic_cong *cg, ktime_t sent)
{
	if (!ktime_after(sent, cg->recovery_start))
		return false;	/* already reacted to this round trip */
	cg->recovery_start = ktime_get();
	if (cg->algo == QUIC_CONG_ALG_CUBIC) {
		/* fast convergence (RFC 9438 section 4.7) */
		if (cg->cwnd < cg->w_max)
			cg->w_max = cg->cwnd * (10 + QUIC_CUBIC_BETA) / 20;
		else
			cg->w_max = cg->cwnd;
		cg->epoch = 0;
		cg->ssthresh = max_t(u32, cg->cwnd / 10 * QUIC_CUBIC_BETA,
				     2 * cg->mss);
	} else {
		cg->ssthresh = max_t(u32, cg->cwnd / 2, 2 * cg->mss);
	}
	cg->cwnd = cg->ssthresh;
	return true;
}

/* Twice the window per RTT in slow start, 1.25 times after. */
static void quic_cong_pace_rate(struct quic_cong *cg)
{
	u64 rate = div_u64((u64)cg->cwnd * USEC_PER_SEC, max(cg->srtt, 1U));

	cg->pace_rate = cg->cwnd < cg->ssthresh ? 2 * rate : rate * 5 / 4;
}

/**
 * quic_cong_ack_done - an ACK frame was processed
 * @cg: the state
 * @rs: its rate sample
 *
 * Its rate sample is complete: BBR updates its model; the pacing rate
 * follows the window or the model.
 */
void quic_cong_ack_done(struct quic_cong *cg, struct quic_rate_sample *rs)
{
	if (!rs->acked)
		return;
	rs->delivered = cg->delivered - rs->prior_delivered;
	/* shorter than a round trip: acknowledgments arrived compressed */
	if (rs->interval < cg->min_rtt)
		rs->interval = 0;
	if (cg->app_limited && cg->delivered > cg->app_limited)
		cg->app_limited = 0;
	if (cg->algo == QUIC_CONG_ALG_BBR)
		quic_bbr_ack_done(cg, rs);
	else if (cg->sampled)
		quic_cong_pace_rate(cg);
}

void quic_cong_lost(struct quic_cong *cg, u32 bytes, ktime_t sent)
{
	cg->inflight -= min(cg->inflight, bytes);
	if (cg->algo == QUIC_CONG_ALG_BBR)
		quic_bbr_lost(cg, sent);
	else
		quic_cong_event(cg, sent);
}

/**
 * quic_cong_ce - the peer reported more CE marks (RFC 9002 section 7.1)
 * @cg: the state
 * @sent: send time of the largest packet the ACK acknowledged
 *
 * Return: true when the window was reduced.
 */
bool quic_cong_ce(struct quic_cong *cg, ktime_t sent)
{
	if (cg->algo == QUIC_CONG_ALG_BBR)
		return quic_bbr_lost(cg, sent);
	return quic_cong_event(cg, sent);
}

/**
 * quic_cong_persistent - persistent congestion (RFC 9002 section 7.6)
 * @cg: the state
 * @first: send time of the oldest of a run of lost packets, none of them
 *	acknowledged in between
 * @last: send time of the newest
 * @max_ack_delay: the peer's, microseconds
 *
 * A run longer than three probe timeouts, sent after the first RTT
 * sample, collapses the window to its minimum.
 *
 * Return: true when declared.
 */
bool quic_cong_persistent(struct quic_cong *cg, ktime_t first, ktime_t last,
			  u32 max_ack_delay)
{
	u64 period = 3ULL * quic_cong_pto(cg, max_ack_delay);

	if (!cg->sampled || ktime_before(first, cg->first_sample) ||
	    ktime_us_delta(last, first) <= (s64)period)
		return false;
	if (cg->algo == QUIC_CONG_ALG_BBR) {
		quic_bbr_persistent(cg);
		return true;
	}
	cg->cwnd = 2 * cg->mss;
	cg->recovery_start = 0;
	cg->epoch = 0;
	return true;
}

/* When the pacer lets the next packet go. */
ktime_t quic_cong_pace_time(const struct quic_cong *cg)
{
	return ktime_sub_ns(cg->pace_next, QUIC_PACE_SLACK_NS);
}

/* A probe timeout: its probes do not wait for the pacer. */
void quic_cong_pace_reset(struct quic_cong *cg)
{
	cg->pace_next = 0;
}

/* Does the pacer hold the next packet back?  Nothing is armed. */
bool quic_cong_paced(const struct quic_cong *cg)
{
	return cg->pace_rate &&
	       ktime_after(cg->pace_next,
			   ktime_add_ns(ktime_get(), QUIC_PACE_SLACK_NS));
}

/**
 * quic_cong_can_send - may an ack-eliciting packet leave now?
 * @cg: the state
 *
 * Return: true when the window has room and the pacer allows it; when
 * only the pacer holds it back, pace_blocked asks for its timer.
 */
bool quic_cong_can_send(struct quic_cong *cg)
{
	if (cg->inflight + cg->mss > cg->cwnd)
		return false;
	if (quic_cong_paced(cg)) {
		cg->pace_blocked = 1;
		return false;
	}
	return true;
}
