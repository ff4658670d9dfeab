/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packetization Layer Path MTU Discovery (RFC 8899, RFC 9000 section 14):
 * how large the connection's datagrams are.
 */

#ifndef __NET_QUIC_PMTU_H
#define __NET_QUIC_PMTU_H

#include <linux/types.h>

#define QUIC_PMTU_MAX		15000	/* largest datagram probed: its skb
					 * stays within an order-2 allocation
					 */
#define QUIC_PMTU_PROBES	3	/* probes of one size before it is
					 * taken as too large (MAX_PROBES)
					 */
#define QUIC_PMTU_STEP		64	/* a search ends this close */
#define QUIC_PMTU_BLACKHOLE	3	/* probe timeouts in a row that drop
					 * the size back to the base
					 */
#define QUIC_PMTU_BLACKHOLE_LOST 8	/* or lost packets above the base
					 * size, none of them acknowledged
					 */

struct quic_pmtu {
	unsigned long next;	/* jiffies: the next search starts */
	u32 ptb_gen;		/* the tunnel socket's ICMP errors seen */
	u16 probe;		/* size of the probe in flight, or 0 */
	u16 fail;		/* smallest size found too large, or 0 */
	u8 count;		/* probes of the current size lost */
	u8 big_lost;		/* packets above the base size lost since
				 * one was acknowledged
				 */
	u64 big_acked;		/* after the last such acknowledged packet */
	u64 lost_pn;		/* the last probe declared lost ... */
	u16 lost_size;		/* ... and its size, until acknowledged */
	u8 searching:1;
};

struct quic_ack_range;
struct sock;

void quic_pmtu_reset(struct sock *sk);
void quic_pmtu_flush(struct sock *sk);
void quic_pmtu_acked(struct sock *sk, u16 size);
void quic_pmtu_lost(struct sock *sk, u16 size, u64 pn);
void quic_pmtu_ack_ranges(struct sock *sk, const struct quic_ack_range *r,
			  unsigned int n);
void quic_pmtu_timeout(struct sock *sk);
void quic_pmtu_big_lost(struct sock *sk, u16 size, u64 pn);
void quic_pmtu_big_acked(struct sock *sk, u64 pn);

#endif /* __NET_QUIC_PMTU_H */
