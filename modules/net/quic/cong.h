/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RTT estimation (RFC 9002 section 5), delivery rate samples, pacing,
 * and congestion control counting bytes in flight: NewReno (RFC 9002
 * section 7), CUBIC (RFC 9438) or BBR (bbr.c).
 */

#ifndef __NET_QUIC_CONG_H
#define __NET_QUIC_CONG_H

#include <linux/ktime.h>
#include <linux/types.h>
#include <linux/win_minmax.h>

#define QUIC_MSS		1200	/* max_datagram_size until PMTUD */
#define QUIC_INIT_CWND		(10 * QUIC_MSS)

/* The connection's delivery count when a packet left, kept in the
 * packet's record to measure the delivery rate when it is acknowledged
 * (the method of draft-cheng-iccrg-delivery-rate-estimation).
 */
struct quic_cong_snap {
	u64 delivered:63;	/* bytes acknowledged before it was sent */
	u64 app_limited:1;	/* sent while the application had too little */
	u32 delivered_ago;	/* microseconds since that count last grew */
	u32 first_sent_ago;	/* since the packet acknowledged last left */
};

/* What one ACK frame newly acknowledged: a rate sample, on the stack of
 * the ACK's processing.
 */
struct quic_rate_sample {
	u64 prior_delivered;	/* of the newest packet acknowledged */
	u64 delivered;		/* bytes delivered in the interval */
	s64 interval;		/* microseconds, 0 when no sample */
	ktime_t newest_sent;	/* send time of that packet */
	u32 acked;		/* bytes newly acknowledged by this ACK */
	u8 app_limited:1;
};

/* BBR (bbr.c): a model of the path, its bottleneck bandwidth and round
 * trip propagation time, paced at and kept near their product.
 */
struct quic_bbr {
	struct minmax bw;	/* max delivery rate, bytes/s, over rounds */
	u32 min_rtt;		/* microseconds, over 10 s */
	ktime_t min_rtt_stamp;
	u64 next_round_delivered;
	u32 round;		/* round trips counted */
	u32 full_bw;		/* bw of the last startup growth */
	u32 prior_cwnd;		/* before recovery or PROBE_RTT */
	ktime_t probe_rtt_done;	/* end of the PROBE_RTT dwell, or 0 */
	ktime_t cycle_stamp;	/* start of the PROBE_BW phase */
	u16 pacing_gain;	/* in units of 1/QUIC_BBR_UNIT */
	u16 cwnd_gain;
	u8 mode;		/* enum quic_bbr_mode */
	u8 cycle;		/* PROBE_BW phase */
	u8 full_bw_count;	/* rounds without 25% growth */
	u8 filled_pipe:1;
	u8 round_start:1;
	u8 probe_rtt_round_done:1;
	u8 in_recovery:1;
	u8 conservation:1;	/* first round of recovery */
};

struct quic_cong {
	u32 srtt;		/* microseconds */
	u32 rttvar;
	u32 min_rtt;
	u32 latest_rtt;
	u8 sampled:1;
	u8 pace_blocked:1;	/* a send waited for the pacer */
	u32 cwnd;		/* bytes */
	u32 ssthresh;
	u32 inflight;		/* ack-eliciting bytes in flight */
	u32 mss;		/* the datagram size in use */
	ktime_t recovery_start;	/* packets sent before: no reaction */
	ktime_t first_sample;	/* when the first RTT sample was taken */
	u8 algo;		/* QUIC_CONG_ALG_* */
	/* pacing (RFC 9002 section 7.7) */
	u64 pace_rate;		/* bytes per second, 0: none yet */
	ktime_t pace_next;	/* the next packet may leave then */
	/* delivery rate */
	u64 delivered;		/* bytes acknowledged */
	ktime_t delivered_time;
	ktime_t first_sent;
	u64 app_limited;	/* delivered mark that ends it, 0: not */
	/* CUBIC */
	u32 w_max;		/* window before the last reduction */
	u32 w_est;		/* the Reno-friendly estimate */
	u32 k_ms;		/* time to reach w_max again */
	ktime_t epoch;		/* start of congestion avoidance, or 0 */
	struct quic_bbr bbr;
};

void quic_cong_init(struct quic_cong *cg, u32 initial_rtt, u8 algo);
void quic_cong_set_algo(struct quic_cong *cg, u8 algo);
void quic_cong_set_initial_rtt(struct quic_cong *cg, u32 rtt);
void quic_cong_rtt(struct quic_cong *cg, u32 rtt, u32 ack_delay,
		   u32 max_ack_delay);
u32 quic_cong_pto(const struct quic_cong *cg, u32 max_ack_delay);
void quic_cong_sent(struct quic_cong *cg, u32 bytes, ktime_t now,
		    struct quic_cong_snap *snap);
void quic_cong_acked(struct quic_cong *cg, struct quic_rate_sample *rs,
		     u32 bytes, ktime_t sent,
		     const struct quic_cong_snap *snap);
void quic_cong_ack_done(struct quic_cong *cg, struct quic_rate_sample *rs);
void quic_cong_lost(struct quic_cong *cg, u32 bytes, ktime_t sent);
bool quic_cong_ce(struct quic_cong *cg, ktime_t sent);
bool quic_cong_persistent(struct quic_cong *cg, ktime_t first, ktime_t last,
			  u32 max_ack_delay);
bool quic_cong_can_send(struct quic_cong *cg);
bool quic_cong_paced(const struct quic_cong *cg);
ktime_t quic_cong_pace_time(const struct quic_cong *cg);
void quic_cong_pace_reset(struct quic_cong *cg);
void quic_cong_app_limited(struct quic_cong *cg);
void quic_cong_set_mss(struct quic_cong *cg, u32 mss);

/* bbr.c */
void quic_bbr_init(struct quic_cong *cg);
void quic_bbr_ack_done(struct quic_cong *cg,
		       const struct quic_rate_sample *rs);
bool quic_bbr_lost(struct quic_cong *cg, ktime_t sent);
void quic_bbr_persistent(struct quic_cong *cg);

#endif /* __NET_QUIC_CONG_H */
