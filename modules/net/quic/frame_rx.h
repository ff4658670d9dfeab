/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Processing of received frames, see frame_rx.c.
 */

#ifndef __NET_QUIC_FRAME_RX_H
#define __NET_QUIC_FRAME_RX_H

#include <linux/types.h>

struct sock;

int quic_frame_process(struct sock *sk, struct sk_buff *skb, u8 level,
		       u8 packet_type, const u8 *p, unsigned int len,
		       bool *eliciting, bool *probing, u64 *errcode);

#endif /* __NET_QUIC_FRAME_RX_H */
