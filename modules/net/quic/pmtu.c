// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packetization Layer Path MTU Discovery (RFC 8899 as RFC 9000 section
 * 14.3 applies it to QUIC).
 *
 * Datagrams start at 1200 bytes, the size every QUIC path carries.  With
 * a plpmtud_probe_interval set (QUIC_SOCKOPT_CONFIG; 0, the default,
 * disables discovery) a search starts once the handshake is confirmed:
 * a PING padded to the largest size both ends and the route allow; when
 * acknowledged, the connection's datagrams grow to it; when lost
 * QUIC_PMTU_PROBES times, the size is too large and the search halves
 * the distance, down to QUIC_PMTU_STEP bytes.  The next search starts
 * one interval after a search ends.  Lost probes are no congestion
 * signal.
 *
 * A path that stops carrying the size found (a black hole) shows as
 * probe timeouts in a row: the size drops back to 1200 until the next
 * search.  An ICMP "packet too big" that quotes one of the connection's
 * packets (right peer address and connection ID: RFC 9000 section
 * 14.2.1) lowers the size to the route's new MTU at once; one below 1200
 * is ignored.  The IPv4 tunnel sockets ignore the route's MTU when they
 * send (IP_PMTUDISC_PROBE, see udp.c), so such an error, forged or not,
 * cannot stop 1200-byte datagrams either.
 */

#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "connection.h"
#include "mib.h"
#include "packet.h"
#include "pmtu.h"
#include "socket.h"

/* The largest UDP payload the route to the peer carries unfragmented. */
static unsigned int quic_pmtu_route(struct sock *sk)
{
	return quic_addr_route_mtu(sock_net(sk), &quic_conn(sk)->peer,
				   sk->sk_bound_dev_if);
}

static void quic_pmtu_set(struct sock *sk, unsigned int size)
{
	struct quic_conn *c = quic_conn(sk);

	c->mtu = size;
	quic_cong_set_mss(&c->cong, size);
}

/* A search ends: the next one after the probe interval. */
static void quic_pmtu_done(struct sock *sk)
{
	struct quic_pmtu *p = &quic_conn(sk)->pmtu;
	u32 interval = quic_sk(sk)->config.plpmtud_probe_interval;

	p->searching = 0;
	p->count = 0;
	p->next = jiffies + usecs_to_jiffies(interval);
}

/**
 * quic_pmtu_reset - datagrams of the base size, a search when allowed
 * @sk: the connection, new or on a new path
 */
void quic_pmtu_reset(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_pmtu *p = &c->pmtu;

	quic_pmtu_set(sk, QUIC_MAX_DATAGRAM);
	p->probe = 0;
	p->fail = 0;
	p->count = 0;
	p->searching = 0;
	p->big_lost = 0;
	p->lost_size = 0;
	p->next = jiffies;
	/* ptb_gen stays: errors older than the connection quote other IDs */
}

/* An ICMP error came in on the tunnel socket: if it quoted one of our
 * packets and the route's MTU fell below the size in use, follow it.
 */
static void quic_pmtu_ptb(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_pmtu *p = &c->pmtu;
	unsigned int route;

	if (!quic_udp_ptb_find(quic_sk(sk)->udp, &p->ptb_gen, &c->peer,
			       c->dcid.data, c->dcid.len))
		return;
	route = quic_pmtu_route(sk);
	if (!route || route >= c->mtu) {
		if (route && p->probe > route)
			p->fail = route + 1;	/* the probe will be lost */
		return;
	}
	if (route < QUIC_MAX_DATAGRAM) {
		/* ignored (RFC 9000 section 14.2.1): forged, or a path
		 * that cannot carry QUIC at all, which black hole
		 * detection finds
		 */
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PMTU_PTB_IGNORED);
		return;
	}
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PMTU_PTB);
	quic_pmtu_set(sk, route);
	p->fail = route + 1;
	if (p->searching)
		quic_pmtu_done(sk);
}

/**
 * quic_pmtu_flush - at a flush, before the data: ICMP errors, and the
 *	next probe
 * @sk: the connection
 *
 * A due probe leaves as soon as the window and the pacer have room for a
 * packet, ahead of stream data: in a bulk transfer the data fills that
 * room at every flush, and a probe sent only after it would wait for the
 * sender to run dry.
 *
 * Context: socket lock or bh lock held, as quic_packet_flush().
 */
void quic_pmtu_flush(struct sock *sk)
{
	struct quic_transport_param *l = &quic_sk(sk)->local;
	struct quic_transport_param *r = &quic_sk(sk)->remote;
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr = c->crypto[QUIC_CRYPTO_APP];
	struct quic_pmtu *p = &c->pmtu;
	unsigned int max, target, route;

	if (unlikely(quic_udp_ptb_new(quic_sk(sk)->udp, p->ptb_gen)))
		quic_pmtu_ptb(sk);
	if (!quic_sk(sk)->config.plpmtud_probe_interval || !c->hs_confirmed ||
	    p->probe || !cr || !cr->tx.ready || !quic_cong_can_send(&c->cong))
		return;
	if (c->is_serv && !c->addr_validated)
		return;		/* a new path: anti-amplification first */
	if (!p->searching) {
		if (time_before(jiffies, p->next))
			return;
		p->searching = 1;	/* sizes that failed may pass now */
		p->fail = 0;
		p->count = 0;
	}
	max = min3(l->max_udp_payload_size, r->max_udp_payload_size,
		   QUIC_PMTU_MAX);
	route = quic_pmtu_route(sk);
	if (route >= QUIC_MAX_DATAGRAM)	/* else an ICMP error we ignore */
		max = min(max, route);
	if (p->fail)
		max = min_t(unsigned int, max, p->fail - 1);
	target = p->fail ? (c->mtu + max) / 2 : max;
	if (target < c->mtu + QUIC_PMTU_STEP) {
		quic_pmtu_done(sk);	/* close enough */
		return;
	}
	if (!quic_packet_probe_xmit(sk, target))
		p->probe = target;
}

/**
 * quic_pmtu_acked - a probe was acknowledged: the path carries its size
 * @sk: the connection
 * @size: the probe's
 */
void quic_pmtu_acked(struct sock *sk, u16 size)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_pmtu *p = &c->pmtu;

	if (size == p->probe)
		p->probe = 0;
	p->count = 0;
	if (size <= c->mtu || (p->fail && size >= p->fail))
		return;
	quic_pmtu_set(sk, size);
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PMTU_RAISED);
}

/**
 * quic_pmtu_lost - a probe was lost
 * @sk: the connection
 * @size: the probe's
 * @pn: its packet number
 *
 * One loss may be congestion: the size fails after QUIC_PMTU_PROBES.
 * Or no loss at all: a probe that packets sent after it overtook is
 * declared lost by the packet threshold, and its acknowledgment, which
 * quic_pmtu_ack_ranges() still looks for, proves the size.
 */
void quic_pmtu_lost(struct sock *sk, u16 size, u64 pn)
{
	struct quic_pmtu *p = &quic_conn(sk)->pmtu;

	p->lost_pn = pn;
	p->lost_size = size;
	if (size != p->probe)
		return;
	p->probe = 0;
	if (++p->count < QUIC_PMTU_PROBES)
		return;
	p->count = 0;
	if (!p->fail || size < p->fail)
		p->fail = size;
}

/**
 * quic_pmtu_ack_ranges - the ranges of an ACK frame of the application
 *	space: one may cover the last probe declared lost
 * @sk: the connection
 * @r: the ranges
 * @n: how many
 */
void quic_pmtu_ack_ranges(struct sock *sk, const struct quic_ack_range *r,
			  unsigned int n)
{
	struct quic_pmtu *p = &quic_conn(sk)->pmtu;
	u16 size = p->lost_size;
	unsigned int i;

	if (!size)
		return;
	for (i = 0; i < n; i++)
		if (r[i].start <= p->lost_pn && p->lost_pn <= r[i].end)
			break;
	if (i == n)
		return;
	p->lost_size = 0;
	if (p->fail == size)
		p->fail = 0;	/* its losses failed it: they were not */
	quic_pmtu_acked(sk, size);
}

/* Back to the base size (RFC 8899 section 4.3); search again later. */
static void quic_pmtu_blackhole(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	u16 mtu = c->mtu;

	if (!c->hs_confirmed || mtu <= QUIC_MAX_DATAGRAM)
		return;
	/* an ICMP error not looked at yet may explain the losses */
	if (unlikely(quic_udp_ptb_new(quic_sk(sk)->udp, c->pmtu.ptb_gen))) {
		quic_pmtu_ptb(sk);
		if (c->mtu != mtu) {
			c->pmtu.big_lost = 0;
			return;
		}
	}
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PMTU_BLACKHOLE);
	quic_pmtu_set(sk, QUIC_MAX_DATAGRAM);
	c->pmtu.probe = 0;
	c->pmtu.big_lost = 0;
	quic_pmtu_done(sk);
}

/**
 * quic_pmtu_timeout - a probe timeout of the application space
 * @sk: the connection
 *
 * Several in a row while datagrams are above the base size: a black hole
 * for that size (RFC 8899 section 4.3) is as likely as an outage, and
 * 1200-byte datagrams work on any path; search again later.
 */
void quic_pmtu_timeout(struct sock *sk)
{
	if (quic_conn(sk)->pto_count >= QUIC_PMTU_BLACKHOLE)
		quic_pmtu_blackhole(sk);
}

/**
 * quic_pmtu_big_lost - a 1-RTT packet above the base size was lost
 * @sk: the connection
 * @size: its size
 * @pn: its packet number
 *
 * A run of them sent after the last one acknowledged is the other sign
 * of a black hole: smaller packets (the tail of what was sent, ACKs)
 * pass, so the probe timeouts alone may never come three in a row.  A
 * queue's tail drops lose runs too, but packets of the same size sent
 * after them arrive.  Packets larger than the size now in use (sent
 * before an ICMP error lowered it) do not count.
 */
void quic_pmtu_big_lost(struct sock *sk, u16 size, u64 pn)
{
	struct quic_conn *c = quic_conn(sk);

	if (size > c->mtu || pn < c->pmtu.big_acked)
		return;
	if (++c->pmtu.big_lost >= QUIC_PMTU_BLACKHOLE_LOST)
		quic_pmtu_blackhole(sk);
}

/**
 * quic_pmtu_big_acked - a 1-RTT packet above the base size was
 *	acknowledged: the path carries it
 * @sk: the connection
 * @pn: its packet number
 */
void quic_pmtu_big_acked(struct sock *sk, u64 pn)
{
	struct quic_pmtu *p = &quic_conn(sk)->pmtu;

	p->big_lost = 0;
	p->big_acked = max(p->big_acked, pn + 1);
}
