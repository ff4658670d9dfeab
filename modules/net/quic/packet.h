/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet receive and send paths, see rx.c and tx.c.
 */

#ifndef __NET_QUIC_PACKET_H
#define __NET_QUIC_PACKET_H

#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/udp.h>

#include "header.h"
#include "pmtu.h"
#include "udp.h"

/* A GSO send (tx.c): at most this many datagrams, and this many bytes,
 * so that its skb needs no larger allocation than the largest single
 * datagram.
 */
#define QUIC_GSO_SEGS_MAX	64
#define QUIC_GSO_BYTES		QUIC_PMTU_MAX

/* Packet Number field of the packets we send: no shorter than this, more
 * than RFC 9000 appendix A.2 asks.  The receiver decodes a 1-byte number
 * next to the largest it has seen, and a packet that arrives behind more
 * than 128 later ones (held in the backlog of a CPU that stalled, or on
 * another path of the network) decodes into a wrong number and fails
 * authentication; 2 bytes allow 32768.
 */
#define QUIC_PN_LEN_MIN		2

struct quic_frame;

int quic_packet_udp_rcv(struct sock *usk, struct sk_buff *skb);
void quic_packet_deliver(struct sock *sk, struct sk_buff *skb);
void quic_packet_rcv_deferred(struct sock *sk);
int quic_packet_backlog_rcv(struct sock *sk, struct sk_buff *skb);
int quic_packet_rcv(struct sock *sk, struct sk_buff *skb);
void quic_packet_flush(struct sock *sk);
void quic_packet_flush_bh(struct sock *sk);
int quic_packet_probe_xmit(struct sock *sk, unsigned int size);
void quic_packet_send_close(struct sock *sk, u64 errcode, bool app);
int quic_packet_vn_probe(struct sock *sk);
int quic_packet_path_xmit(struct sock *sk, const struct quic_frame *f,
			  struct quic_udp_sock *us, const union quic_addr *to,
			  unsigned int size, bool ping);
int quic_packet_client_alpn(struct sk_buff *skb, const struct quic_hdr *h,
			    u8 *buf, size_t size, const u8 **alpn,
			    size_t *alpn_len);

#endif /* __NET_QUIC_PACKET_H */
