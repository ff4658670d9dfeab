/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The closing period (RFC 9000 section 10.2.1) of connections whose
 * socket is gone.
 */

#ifndef __NET_QUIC_CLOSING_H
#define __NET_QUIC_CLOSING_H

#include <linux/jiffies.h>
#include <linux/types.h>

#define QUIC_CLOSING_MIN	(2 * HZ)	/* shortest closing period */
/* a record answers for a closed socket that long at most, whatever three
 * backed-off probe timeouts make
 */
#define QUIC_CLOSING_MAX_LIFE	(15 * HZ)
#define QUIC_CLOSING_MAX	65536	/* records at once, on the host */
#define QUIC_CLOSING_NET_MAX	1024	/* default of net.quic.closing_max */

struct net;
struct quic_cid;
struct quic_udp_sock;
struct sk_buff;
union quic_addr;

bool quic_closing_add(struct net *net, struct quic_udp_sock *us,
		      const struct quic_cid *cid, const union quic_addr *saddr,
		      const union quic_addr *peer, struct sk_buff *dgram,
		      unsigned long until);
bool quic_closing_rcv(struct net *net, const u8 *dcid, u8 len);
void quic_closing_net_exit(struct net *net);
bool quic_closing_release_port(struct net *net, __be16 port);
int quic_closing_init(void);
void quic_closing_exit(void);

#endif /* __NET_QUIC_CLOSING_H */
