/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RTT estimation (RFC 9002 section 5) and congestion control counting
 * bytes in flight: NewReno (RFC 9002 section 7) or CUBIC (RFC 9438).
 */

#ifndef __NET_QUIC_CONG_H
#define __NET_QUIC_CONG_H

#include <linux/ktime.h>
#include <linux/types.h>

#define QUIC_MSS		1200	/* max_datagram_size until PMTUD */
#define QUIC_INIT_CWND		(10 * QUIC_MSS)

struct quic_cong {
	u32 srtt;		/* microseconds */
	u32 rttvar;
	u32 min_rtt;
	u32 latest_rtt;
	u8 sampled:1;
	u32 cwnd;		/* bytes */
	u32 ssthresh;
	u32 inflight;		/* ack-eliciting bytes in flight */
	u32 mss;		/* the datagram size in use */
	ktime_t recovery_start;	/* packets sent before: no reaction */
	ktime_t first_sample;	/* when the first RTT sample was taken */
	u8 algo;		/* QUIC_CONG_ALG_RENO or _CUBIC */
	/* CUBIC */
	u32 w_max;		/* window before the last reduction */
	u32 w_est;		/* the Reno-friendly estimate */
	u32 k_ms;		/* time to reach w_max again */
	ktime_t epoch;		/* start of congestion avoidance, or 0 */
};

void quic_cong_init(struct quic_cong *cg, u32 initial_rtt, u8 algo);
void quic_cong_set_initial_rtt(struct quic_cong *cg, u32 rtt);
void quic_cong_rtt(struct quic_cong *cg, u32 rtt, u32 ack_delay,
		   u32 max_ack_delay);
u32 quic_cong_pto(const struct quic_cong *cg, u32 max_ack_delay);
void quic_cong_sent(struct quic_cong *cg, u32 bytes);
void quic_cong_acked(struct quic_cong *cg, u32 bytes, ktime_t sent);
void quic_cong_lost(struct quic_cong *cg, u32 bytes, ktime_t sent);
bool quic_cong_ce(struct quic_cong *cg, ktime_t sent);
bool quic_cong_persistent(struct quic_cong *cg, ktime_t first, ktime_t last,
			  u32 max_ack_delay);
bool quic_cong_can_send(const struct quic_cong *cg);
void quic_cong_set_mss(struct quic_cong *cg, u32 mss);

#endif /* __NET_QUIC_CONG_H */
