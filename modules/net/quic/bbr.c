// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * BBR congestion control (QUIC_CONG_ALG_BBR), after the first version
 * of the algorithm (draft-cardwell-iccrg-bbr-congestion-control-00).
 *
 * The model: the bottleneck bandwidth is the largest delivery rate
 * sampled in the last 10 round trips, the propagation delay the smallest
 * RTT of the last 10 seconds.  The sender paces at a gain times that
 * bandwidth and keeps a gain times their product in flight:
 *
 * - STARTUP doubles the rate each round (gain 2/ln 2) until the bandwidth
 *   grew by less than 25% in three rounds in a row;
 * - DRAIN (the inverse gain) empties the queue STARTUP built;
 * - PROBE_BW cycles through eight phases of one minimum RTT each, 1.25
 *   to probe for more bandwidth, 0.75 to drain what that queued, then
 *   six at 1;
 * - PROBE_RTT, when the minimum RTT was not seen again for 10 s, keeps
 *   four datagrams in flight for 200 ms and a round trip to measure it.
 *
 * Losses do not change the model: the first round of a recovery period
 * keeps the window at what is in flight plus what is acknowledged
 * (packet conservation), the window is back at its value before once a
 * packet sent in the period is acknowledged.
 */

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/win_minmax.h>

#include "cong.h"

#define QUIC_BBR_UNIT		256
#define QUIC_BBR_HIGH_GAIN	739	/* 2/ln(2) */
#define QUIC_BBR_DRAIN_GAIN	88	/* ln(2)/2 */
#define QUIC_BBR_CWND_GAIN	512	/* 2 */
#define QUIC_BBR_BW_ROUNDS	10
#define QUIC_BBR_MIN_RTT_NS	(10 * NSEC_PER_SEC)
#define QUIC_BBR_PROBE_RTT_NS	(200 * NSEC_PER_MSEC)
#define QUIC_BBR_FULL_ROUNDS	3
#define QUIC_BBR_CYCLE_LEN	8

enum quic_bbr_mode {
	QUIC_BBR_STARTUP,
	QUIC_BBR_DRAIN,
	QUIC_BBR_PROBE_BW,
	QUIC_BBR_PROBE_RTT,
};

static const u16 quic_bbr_cycle_gain[QUIC_BBR_CYCLE_LEN] = {
	320, 192, 256, 256, 256, 256, 256, 256
};

static u32 quic_bbr_min_cwnd(const struct quic_cong *cg)
{
	return 4 * cg->mss;
}

/* @gain times the bandwidth-delay product, bytes; before the model has
 * samples, the initial window.
 */
static u32 quic_bbr_bdp(const struct quic_cong *cg, u32 gain)
{
	const struct quic_bbr *b = &cg->bbr;
	u64 bw = minmax_get(&b->bw), bdp;

	if (!bw || b->min_rtt == U32_MAX)
		return QUIC_INIT_CWND;
	bdp = div_u64(bw * b->min_rtt, USEC_PER_SEC);
	return min_t(u64, div_u64(bdp * gain, QUIC_BBR_UNIT), U32_MAX / 2);
}

void quic_bbr_init(struct quic_cong *cg)
{
	struct quic_bbr *b = &cg->bbr;

	memset(b, 0, sizeof(*b));
	b->min_rtt = U32_MAX;
	b->min_rtt_stamp = ktime_get();
	b->mode = QUIC_BBR_STARTUP;
	b->pacing_gain = QUIC_BBR_HIGH_GAIN;
	b->cwnd_gain = QUIC_BBR_HIGH_GAIN;
}

static void quic_bbr_probe_bw(struct quic_cong *cg, ktime_t now)
{
	struct quic_bbr *b = &cg->bbr;

	b->mode = QUIC_BBR_PROBE_BW;
	b->cwnd_gain = QUIC_BBR_CWND_GAIN;
	/* start in a random phase but the draining one */
	b->cycle = get_random_u32() % (QUIC_BBR_CYCLE_LEN - 1);
	if (b->cycle)
		b->cycle++;
	b->cycle_stamp = now;
	b->pacing_gain = quic_bbr_cycle_gain[b->cycle];
}

/* STARTUP ends when three rounds in a row did not raise the bandwidth by
 * a quarter.
 */
static void quic_bbr_check_full(struct quic_cong *cg,
				const struct quic_rate_sample *rs)
{
	struct quic_bbr *b = &cg->bbr;
	u32 bw = minmax_get(&b->bw);

	if (b->filled_pipe || !b->round_start || rs->app_limited)
		return;
	if ((u64)bw * 4 >= (u64)b->full_bw * 5) {
		b->full_bw = bw;
		b->full_bw_count = 0;
		return;
	}
	if (++b->full_bw_count >= QUIC_BBR_FULL_ROUNDS)
		b->filled_pipe = 1;
}

static void quic_bbr_cycle(struct quic_cong *cg, ktime_t now)
{
	struct quic_bbr *b = &cg->bbr;
	bool next = ktime_to_us(ktime_sub(now, b->cycle_stamp)) > b->min_rtt;

	if (b->pacing_gain > QUIC_BBR_UNIT)	/* probing: until it queued */
		next = next && cg->inflight >= quic_bbr_bdp(cg, b->pacing_gain);
	else if (b->pacing_gain < QUIC_BBR_UNIT)	/* draining: or drained */
		next = next || cg->inflight <= quic_bbr_bdp(cg, QUIC_BBR_UNIT);
	if (!next)
		return;
	b->cycle = (b->cycle + 1) % QUIC_BBR_CYCLE_LEN;
	b->cycle_stamp = now;
	b->pacing_gain = quic_bbr_cycle_gain[b->cycle];
}

static void quic_bbr_probe_rtt(struct quic_cong *cg, ktime_t now)
{
	struct quic_bbr *b = &cg->bbr;

	if (!b->probe_rtt_done) {
		if (cg->inflight > quic_bbr_min_cwnd(cg))
			return;
		b->probe_rtt_done = ktime_add_ns(now, QUIC_BBR_PROBE_RTT_NS);
		b->probe_rtt_round_done = 0;
		b->next_round_delivered = cg->delivered;
		return;
	}
	if (b->round_start)
		b->probe_rtt_round_done = 1;
	if (!b->probe_rtt_round_done || ktime_before(now, b->probe_rtt_done))
		return;
	b->min_rtt_stamp = now;
	cg->cwnd = max(cg->cwnd, b->prior_cwnd);
	if (b->filled_pipe) {
		quic_bbr_probe_bw(cg, now);
	} else {
		b->mode = QUIC_BBR_STARTUP;
		b->pacing_gain = QUIC_BBR_HIGH_GAIN;
		b->cwnd_gain = QUIC_BBR_HIGH_GAIN;
	}
}

static void quic_bbr_update_model(struct quic_cong *cg,
				  const struct quic_rate_sample *rs,
				  ktime_t now)
{
	struct quic_bbr *b = &cg->bbr;
	bool expired;
	u64 bw;

	b->round_start = 0;
	if (rs->prior_delivered >= b->next_round_delivered) {
		b->next_round_delivered = cg->delivered;
		b->round++;
		b->round_start = 1;
	}
	if (rs->interval > 0) {
		bw = min_t(u64, div64_u64(rs->delivered * USEC_PER_SEC,
					  rs->interval), U32_MAX);
		/* an application-limited sample only when it is larger */
		if (!rs->app_limited || bw >= minmax_get(&b->bw))
			minmax_running_max(&b->bw, QUIC_BBR_BW_ROUNDS,
					   b->round, bw);
	}
	expired = ktime_after(now, ktime_add_ns(b->min_rtt_stamp,
						QUIC_BBR_MIN_RTT_NS));
	if (cg->latest_rtt && (cg->latest_rtt <= b->min_rtt || expired)) {
		b->min_rtt = cg->latest_rtt;
		b->min_rtt_stamp = now;
	}
	if (expired && b->mode != QUIC_BBR_PROBE_RTT) {
		b->mode = QUIC_BBR_PROBE_RTT;
		b->pacing_gain = QUIC_BBR_UNIT;
		b->cwnd_gain = QUIC_BBR_UNIT;
		b->prior_cwnd = max(b->prior_cwnd, cg->cwnd);
		b->probe_rtt_done = 0;
	}
}

static void quic_bbr_update_state(struct quic_cong *cg,
				  const struct quic_rate_sample *rs,
				  ktime_t now)
{
	struct quic_bbr *b = &cg->bbr;

	quic_bbr_check_full(cg, rs);
	switch (b->mode) {
	case QUIC_BBR_STARTUP:
		if (!b->filled_pipe)
			break;
		b->mode = QUIC_BBR_DRAIN;
		b->pacing_gain = QUIC_BBR_DRAIN_GAIN;
		fallthrough;
	case QUIC_BBR_DRAIN:
		if (cg->inflight <= quic_bbr_bdp(cg, QUIC_BBR_UNIT))
			quic_bbr_probe_bw(cg, now);
		break;
	case QUIC_BBR_PROBE_BW:
		quic_bbr_cycle(cg, now);
		break;
	case QUIC_BBR_PROBE_RTT:
		quic_bbr_probe_rtt(cg, now);
		break;
	}
}

static void quic_bbr_set_pacing(struct quic_cong *cg)
{
	struct quic_bbr *b = &cg->bbr;
	u64 bw = minmax_get(&b->bw), rate;

	if (!bw) {
		if (!cg->sampled)
			return;
		/* no rate yet: the window over the RTT */
		bw = div_u64((u64)cg->cwnd * USEC_PER_SEC, max(cg->srtt, 1U));
	}
	/* a percent below the gain, to keep the bottleneck queue small */
	rate = div_u64(bw * b->pacing_gain * 99, QUIC_BBR_UNIT * 100);
	/* STARTUP only speeds up: one small sample does not slow it */
	if (b->filled_pipe || rate > cg->pace_rate)
		cg->pace_rate = rate;
}

static void quic_bbr_set_cwnd(struct quic_cong *cg,
			      const struct quic_rate_sample *rs)
{
	struct quic_bbr *b = &cg->bbr;
	u32 target = quic_bbr_bdp(cg, b->cwnd_gain) + 3 * cg->mss;
	u32 cwnd = cg->cwnd;

	/* a packet sent in the recovery period arrived: it is over */
	if (b->in_recovery && ktime_after(rs->newest_sent, cg->recovery_start)) {
		b->in_recovery = 0;
		cwnd = max(cwnd, b->prior_cwnd);
		b->prior_cwnd = 0;
	} else if (b->in_recovery && b->round_start) {
		b->conservation = 0;
	}
	if (b->in_recovery && b->conservation)
		cwnd = max(cwnd, cg->inflight + rs->acked);
	else if (b->filled_pipe)
		cwnd = min(cwnd + rs->acked, target);
	else if (cwnd < target || cg->delivered < QUIC_INIT_CWND)
		cwnd += rs->acked;
	cwnd = max(cwnd, quic_bbr_min_cwnd(cg));
	if (b->mode == QUIC_BBR_PROBE_RTT)
		cwnd = min(cwnd, quic_bbr_min_cwnd(cg));
	cg->cwnd = cwnd;
}

/**
 * quic_bbr_ack_done - an ACK frame was processed
 * @cg: the state
 * @rs: its rate sample
 */
void quic_bbr_ack_done(struct quic_cong *cg,
		       const struct quic_rate_sample *rs)
{
	ktime_t now = ktime_get();

	quic_bbr_update_model(cg, rs, now);
	quic_bbr_update_state(cg, rs, now);
	quic_bbr_set_pacing(cg);
	quic_bbr_set_cwnd(cg, rs);
}

/**
 * quic_bbr_lost - a packet sent at @sent was lost, or CE marked
 * @cg: the state
 * @sent: its send time
 *
 * The first one after the last recovery began starts a new one.
 *
 * Return: true when a recovery period began.
 */
bool quic_bbr_lost(struct quic_cong *cg, ktime_t sent)
{
	struct quic_bbr *b = &cg->bbr;

	if (!ktime_after(sent, cg->recovery_start))
		return false;
	cg->recovery_start = ktime_get();
	if (!b->in_recovery)
		b->prior_cwnd = max(b->prior_cwnd, cg->cwnd);
	b->in_recovery = 1;
	b->conservation = 1;
	cg->cwnd = max(cg->inflight + cg->mss, quic_bbr_min_cwnd(cg));
	return true;
}

/* Persistent congestion: the window drops to its minimum until
 * acknowledgments raise it; the model stays.
 */
void quic_bbr_persistent(struct quic_cong *cg)
{
	struct quic_bbr *b = &cg->bbr;

	b->prior_cwnd = max(b->prior_cwnd, cg->cwnd);
	b->in_recovery = 1;
	b->conservation = 1;
	cg->recovery_start = ktime_get();
	cg->cwnd = quic_bbr_min_cwnd(cg);
}
