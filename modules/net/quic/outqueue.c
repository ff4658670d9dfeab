// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Send queue: CRYPTO data queued per level by sendmsg(), stream data in
 * chunks per stream, DATAGRAM frames, and the control frames of flow
 * control; the frames of the 1-RTT packets tx.c builds; packets in
 * flight until acknowledged or lost (RFC 9002: packet threshold, probe
 * timeout), with what they carried sent again; the idle timeout.
 */

#include <linux/slab.h>
#include <net/sock.h>

#include "compat.h"
#include "mib.h"
#include "outqueue.h"
#include "packet.h"
#include "retry.h"
#include "socket.h"
#include "timer.h"
#include "tracepoints.h"
#include "version.h"

#define QUIC_PKT_THRESHOLD	3	/* RFC 9002 section 6.1.1 */
#define QUIC_DGRAM_QUEUE_MAX	256	/* datagrams waiting to be sent */
#define QUIC_BURST_STREAMS	16	/* summed to size a batch, at most */

static u32 quic_conn_max_ack_delay(struct sock *sk)
{
	return quic_conn(sk)->hs_confirmed ?
	       quic_sk(sk)->remote.max_ack_delay : 0;
}

/* Backoff of the probe timeout: doubled each time, up to 64 times, or 8
 * times during the handshake so that several probes fit in the idle
 * timeout when many packets are lost.
 */
unsigned long quic_conn_pto(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	u32 us = quic_cong_pto(&c->cong, quic_conn_max_ack_delay(sk));

	return usecs_to_jiffies(us) << min_t(u8, c->pto_count,
					     c->hs_confirmed ? 6 : 3);
}

/* The idle timeout (RFC 9000 section 10.1) in jiffies, 0 for none: the
 * smaller of both sides' once the peer's is known.
 */
static unsigned long quic_conn_idle(struct sock *sk)
{
	u32 us = quic_sk(sk)->local.max_idle_timeout;
	u32 peer = quic_sk(sk)->remote.max_idle_timeout;

	if (quic_conn(sk)->hs_complete && peer && (!us || peer < us))
		us = peer;
	return us ? usecs_to_jiffies(us) : 0;
}

static bool quic_conn_inflight(struct quic_conn *c)
{
	int i;

	for (i = 0; i < QUIC_PNSPACE_MAX; i++)
		if (!list_empty(&c->sent[i]))
			return true;
	return false;
}

/**
 * quic_conn_arm_pto - keep the connection's timer running
 * @sk: the connection
 *
 * With packets in flight it is the probe timeout; until the handshake is
 * confirmed a client probes even with nothing in flight (RFC 9002
 * section 6.2.2.1: the server may be blocked by its amplification
 * limit).  Otherwise it waits for the idle timeout, or the keepalive
 * interval when one is set.
 */
void quic_conn_arm_pto(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	unsigned long idle = quic_conn_idle(sk), expires;
	u32 keepalive = quic_sk(sk)->config.keepalive_probe_interval;
	bool inflight = quic_conn_inflight(c);

	if (!inflight)		/* the spare for ACK-only packets stays */
		quic_sent_pool_trim(sk, 1);
	if (inflight || (!c->is_serv && !c->hs_confirmed)) {
		ktime_t now = ktime_get();
		int i;

		expires = jiffies + quic_conn_pto(sk);
		/* the time threshold of a loss comes first */
		for (i = 0; i < QUIC_PNSPACE_MAX; i++) {
			unsigned long t;

			if (!c->loss_time[i])
				continue;
			t = jiffies + 1 + nsecs_to_jiffies(max_t(s64, 0,
				ktime_to_ns(ktime_sub(c->loss_time[i], now))));
			if (time_before(t, expires))
				expires = t;
		}
		if (idle && time_before(c->last_rx + idle, expires))
			expires = c->last_rx + idle + 1;
	} else if (keepalive && c->hs_complete) {
		expires = c->last_rx + usecs_to_jiffies(keepalive);
		if (time_before_eq(expires, jiffies))
			expires = jiffies + usecs_to_jiffies(keepalive);
	} else if (idle) {
		expires = c->last_rx + idle + 1;
	} else {
		return;
	}
	/* a pending timer that fires earlier stays: it re-arms itself */
	if (!timer_pending(&c->pto_timer) ||
	    time_before(expires, c->pto_timer.expires))
		sk_reset_timer(sk, &c->pto_timer, expires);
}

/* What a packet that will not arrive carried goes out again: its frames
 * are marked pending, its stream data queued on c->lost (@first: ahead
 * of what is there), and the record freed when it carried no stream data.
 */
static void quic_outq_requeue(struct sock *sk, u8 space, struct quic_sent *p,
			      bool first)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_streams *st = &c->streams;
	struct quic_crypto_tx *t = &c->ctx[space];
	bool data = false;
	int i;

	if (p->crypto_len && p->crypto_off < t->sent)
		t->sent = p->crypto_off;
	c->hs_done_pending |= p->handshake_done;
	c->new_token_pending |= p->new_token;
	st->max_data_pending |= p->max_data;
	st->max_streams_bidi_pending |= p->max_streams_bidi;
	st->max_streams_uni_pending |= p->max_streams_uni;
	for (i = 0; i < p->nframes; i++) {
		struct quic_sent_frame *f = &p->f[i];
		struct quic_stream *s;

		if (f->type == QUIC_SF_NEW_CID || f->type == QUIC_SF_RETIRE_CID) {
			quic_connid_lost(sk, f->type, f->id);
			continue;
		}
		s = quic_stream_find(st, f->id);
		if (!s)
			continue;
		switch (f->type) {
		case QUIC_SF_STREAM:
			data = true;
			continue;
		case QUIC_SF_RESET:
			s->reset_pending = 1;
			break;
		case QUIC_SF_STOP:
			if (s->recv_state < QUIC_STREAM_RECV_STATE_RECVD)
				s->stop_pending = 1;
			break;
		case QUIC_SF_MAX_STREAM_DATA:
			if (s->recv_state == QUIC_STREAM_RECV_STATE_RECV)
				s->max_data_pending = 1;
			break;
		}
		quic_stream_send_queue(st, s);
	}
	if (!data) {
		quic_sent_free(sk, p);
		return;
	}
	p->next = 0;
	if (first)
		list_add(&p->list, &c->lost);
	else
		list_add_tail(&p->list, &c->lost);
}

/**
 * quic_outq_unsent - a packet was built but cannot leave
 * @sk: the connection
 * @space: its number space
 * @p: its record, on no list; NULL is ignored
 *
 * Its sealing failed (a full queue of an asynchronous cipher, say) before
 * it was accounted as sent: what it carried goes out first in the next
 * packets, with no congestion signal.  Freeing the record instead would
 * lose its stream data for good: nothing in flight or lost would cover
 * it, and the peer would wait for it until the idle timeout.
 */
void quic_outq_unsent(struct sock *sk, u8 space, struct quic_sent *p)
{
	struct quic_pnspace *s = &quic_conn(sk)->space[space];

	if (!p)
		return;
	if (p->ack) {
		/* the acknowledgment it was to carry: in the next packet */
		s->ack_pending = 1;
		s->ack_now = 1;
	}
	quic_outq_requeue(sk, space, p, true);
}

/* A packet is lost: what it carried goes out again.  @cong: a loss
 * the congestion controller reacts to.
 */
static void quic_outq_lost(struct sock *sk, u8 space, struct quic_sent *p,
			   bool cong)
{
	struct quic_conn *c = quic_conn(sk);

	trace_quic_packet_lost(sk, space, p->pn, p->bytes);
	list_del(&p->list);
	if (p->probe) {
		/* too large for the path: not a congestion signal */
		quic_pmtu_lost(sk, p->probe, p->pn);
		cong = false;
	} else if (space == QUIC_PNSPACE_APP && p->bytes > QUIC_MAX_DATAGRAM) {
		quic_pmtu_big_lost(sk, p->bytes, p->pn);
	}
	if (cong) {
		quic_cong_lost(&c->cong, p->bytes, p->time);
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PKT_LOST);
		/* nothing marked ever arrives: the path drops ECT */
		if (p->ecn && c->ecn_state == QUIC_ECN_TESTING &&
		    ++c->ecn_lost >= QUIC_ECN_TEST_LOST) {
			c->ecn_state = QUIC_ECN_FAILED;
			QUIC_INC_STATS(sock_net(sk), QUIC_MIB_ECN_FAILED);
		}
	} else {
		c->cong.inflight -= min_t(u32, c->cong.inflight, p->bytes);
	}
	quic_outq_requeue(sk, space, p, false);
}

/* The idle timeout: the connection ends silently (RFC 9000 10.1). */
static bool quic_conn_idle_expired(struct sock *sk)
{
	unsigned long idle = quic_conn_idle(sk);

	return idle && time_after_eq(jiffies, quic_conn(sk)->last_rx + idle);
}

/* The packets one loss detection declared lost, oldest to newest. */
struct quic_lost_span {
	u64 first_pn, last_pn;
	ktime_t first_time, last_time;
	unsigned int count;
};

/**
 * quic_outq_detect_lost - RFC 9002 section 6.1 in one number space
 * @sk: the connection
 * @space: the space
 * @span: if not NULL, filled with what was declared lost
 *
 * Packets sent before the largest acknowledged one are lost once
 * QUIC_PKT_THRESHOLD later ones are acknowledged, or 9/8 of the RTT
 * after they were sent; for the first that is neither yet, the loss
 * timer is set to when it will be.
 */
static void quic_outq_detect_lost(struct sock *sk, u8 space,
				  struct quic_lost_span *span)
{
	struct quic_conn *c = quic_conn(sk);
	s64 largest = c->space[space].largest_acked;
	u32 rtt = max(c->cong.srtt, c->cong.latest_rtt);
	s64 delay = max_t(s64, rtt + rtt / 8, 1000) * NSEC_PER_USEC;
	ktime_t lost_before = ktime_sub_ns(ktime_get(), delay);
	struct quic_sent *p, *tmp;

	c->loss_time[space] = 0;
	if (largest < 0)
		return;
	list_for_each_entry_safe(p, tmp, &c->sent[space], list) {
		if (p->pn > (u64)largest)
			break;
		if (p->pn + QUIC_PKT_THRESHOLD <= (u64)largest ||
		    !ktime_after(p->time, lost_before)) {
			if (span && !p->probe) {
				if (!span->count++) {
					span->first_pn = p->pn;
					span->first_time = p->time;
				}
				span->last_pn = p->pn;
				span->last_time = p->time;
			}
			quic_outq_lost(sk, space, p, true);
			continue;
		}
		c->loss_time[space] = ktime_add_ns(p->time, delay);
		break;		/* sent in order: the next ones are later */
	}
}

/* Packets the application space sends again at a probe timeout. */
#define QUIC_PTO_PROBES		2

/* A probe timeout (RFC 9002 section 6.2.4): the handshake spaces send
 * again all they have in flight, the application space its two oldest
 * packets (or a PING); no congestion signal either way, the
 * acknowledgments of the probes tell what was lost.
 */
void quic_conn_pto_fire(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sent *s, *tmp;
	ktime_t now = ktime_get();
	unsigned int n;
	bool inflight;
	int i;

	if (quic_conn_idle_expired(sk)) {
		quic_conn_abort(sk, ETIMEDOUT);
		return;
	}
	/* the loss timer: not a probe timeout */
	for (i = 0; i < QUIC_PNSPACE_MAX; i++) {
		if (!c->loss_time[i] || ktime_after(c->loss_time[i], now))
			continue;
		quic_outq_detect_lost(sk, i, NULL);
		quic_packet_flush(sk);
		return;
	}
	inflight = quic_conn_inflight(c);
	if (!inflight && (c->is_serv || c->hs_confirmed)) {
		u32 keepalive = quic_sk(sk)->config.keepalive_probe_interval;

		if (keepalive && c->hs_complete &&
		    time_after_eq(jiffies, c->last_rx +
				  usecs_to_jiffies(keepalive))) {
			c->ping_pending = 1;	/* keep the peer's timer */
			quic_packet_flush(sk);
			c->ping_pending = 0;
		}
		return;
	}
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PTO);
	quic_conn_key_pto(sk);
	/* during the handshake a peer silent for long ends it (a peer
	 * that is only slow, a client checking certificates, does not);
	 * after, the idle timeout does.  The count saturates: wrapped
	 * around, it would bring the backoff back to its start in a long
	 * outage and probe as often as at its beginning.
	 */
	if (c->pto_count < U8_MAX)
		c->pto_count++;
	if (c->pto_count > QUIC_PTO_MAX_COUNT && !c->hs_confirmed &&
	    time_after_eq(jiffies, c->last_rx + QUIC_HS_SILENCE)) {
		quic_conn_abort(sk, ETIMEDOUT);
		return;
	}
	trace_quic_pto(sk, c->pto_count);
	quic_pmtu_timeout(sk);	/* before the probes are built */
	quic_cong_pace_reset(&c->cong);
	for (i = 0; i < QUIC_PNSPACE_MAX; i++) {
		n = 0;
		list_for_each_entry_safe(s, tmp, &c->sent[i], list) {
			if (i == QUIC_PNSPACE_APP && n++ == QUIC_PTO_PROBES)
				break;
			quic_outq_lost(sk, i, s, false);
		}
	}
	c->ping_pending = 1;	/* when the probe has nothing else */
	quic_packet_flush(sk);
	c->ping_pending = 0;
}

#define QUIC_SENT_POOL	64	/* records kept for reuse while busy */

/**
 * quic_sent_alloc - a record for a packet being built
 * @sk: the connection
 *
 * Records of acknowledged, lost and never ack-eliciting packets are
 * reused, so that a busy connection allocates none per packet; with
 * nothing in flight all but one are freed (quic_conn_arm_pto()).
 *
 * Return: a zeroed record, or NULL.
 */
struct quic_sent *quic_sent_alloc(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sent *p;

	p = list_first_entry_or_null(&c->sent_pool, struct quic_sent, list);
	if (!p) {
		if (!quic_mem_charge(sk, sizeof(*p)))
			return NULL;
		p = kzalloc(sizeof(*p), GFP_ATOMIC);
		if (!p)
			quic_mem_uncharge(sk, sizeof(*p));
		return p;
	}
	list_del(&p->list);
	c->sent_pooled--;
	memset(p, 0, sizeof(*p));
	return p;
}

/**
 * quic_sent_kfree - free a record, and its charge
 * @sk: the connection
 * @p: the record, on no list
 */
void quic_sent_kfree(struct sock *sk, struct quic_sent *p)
{
	kfree(p);
	quic_mem_uncharge(sk, sizeof(*p));
}

/**
 * quic_sent_free - a record is done with
 * @sk: the connection
 * @p: the record, on no list; NULL is ignored
 */
void quic_sent_free(struct sock *sk, struct quic_sent *p)
{
	struct quic_conn *c = quic_conn(sk);

	if (!p)
		return;
	if (c->sent_pooled >= QUIC_SENT_POOL) {
		quic_sent_kfree(sk, p);
		return;
	}
	list_add(&p->list, &c->sent_pool);
	c->sent_pooled++;
}

/**
 * quic_sent_pool_trim - free the records kept for reuse
 * @sk: the connection
 * @keep: how many to keep
 */
void quic_sent_pool_trim(struct sock *sk, unsigned int keep)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sent *p;

	while (c->sent_pooled > keep) {
		p = list_first_entry(&c->sent_pool, struct quic_sent, list);
		list_del(&p->list);
		quic_sent_kfree(sk, p);
		c->sent_pooled--;
	}
}

/**
 * quic_outq_sent - a packet left with ack-eliciting frames
 * @sk: the connection
 * @space: its number space
 * @sent: its record; kept until acknowledged or lost
 */
void quic_outq_sent(struct sock *sk, u8 space, struct quic_sent *sent)
{
	struct quic_conn *c = quic_conn(sk);

	sent->time = ktime_get();
	sent->ecn = quic_ecn_codepoint(c) != INET_ECN_NOT_ECT;
	quic_cong_sent(&c->cong, sent->bytes, sent->time, &sent->snap);
	trace_quic_packet_sent(sk, space, sent->pn, sent->bytes);
	list_add_tail(&sent->list, &c->sent[space]);
}

/* What an acknowledged packet carried is delivered. */
static void quic_outq_acked(struct sock *sk, struct quic_sent *p,
			    struct quic_rate_sample *rs)
{
	struct quic_conn *c = quic_conn(sk);
	int i;

	if (p->probe)
		quic_pmtu_acked(sk, p->probe);
	if (p->bytes > QUIC_MAX_DATAGRAM)
		quic_pmtu_big_acked(sk, p->pn);
	quic_cong_acked(&c->cong, rs, p->bytes, p->time, &p->snap);
	for (i = 0; i < p->nframes; i++) {
		struct quic_sent_frame *f = &p->f[i];

		if (f->type == QUIC_SF_STREAM)
			quic_stream_send_acked(sk, f->id, f->off, f->len,
					       f->fin);
		else if (f->type == QUIC_SF_RESET)
			quic_stream_reset_acked(sk, f->id);
		else if (f->type == QUIC_SF_RETIRE_CID)
			quic_connid_acked(sk, f->type, f->id);
	}
	list_del(&p->list);
	quic_sent_free(sk, p);
}

#define QUIC_ACK_RANGES_MAX	64

/* ECN validation (RFC 9000 section 13.4.2) with an ACK that raised the
 * largest acknowledged: its counts may not fall, and must grow by at
 * least the marked packets it newly acknowledges; more CE marks are a
 * congestion signal (RFC 9002 section 7.1).
 */
static void quic_outq_ecn(struct sock *sk, u8 space, const struct quic_frame *f,
			  u32 ect_acked, ktime_t sent)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_pnspace *s = &c->space[space];
	u64 incr = 0;
	int i;

	if (c->ecn_state == QUIC_ECN_FAILED || !ect_acked)
		return;
	if (f->type != QUIC_FRAME_ACK_ECN)
		goto fail;
	for (i = 0; i < 3; i++) {
		if (f->ack.ecn[i] < s->ecn_peer[i])
			goto fail;
		incr += f->ack.ecn[i] - s->ecn_peer[i];
	}
	if (incr < ect_acked)
		goto fail;
	if (f->ack.ecn[2] > s->ecn_peer[2] && quic_cong_ce(&c->cong, sent))
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_ECN_CONG);
	memcpy(s->ecn_peer, f->ack.ecn, sizeof(s->ecn_peer));
	c->ecn_state = QUIC_ECN_CAPABLE;
	return;
fail:
	c->ecn_state = QUIC_ECN_FAILED;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_ECN_FAILED);
}

/**
 * quic_outq_ack - an ACK frame arrived
 * @sk: the connection
 * @space: packet number space of the packet that carried it
 * @f: the frame
 *
 * Acknowledged packets are done; the largest newly acknowledged one
 * gives an RTT sample; older unacknowledged ones may be lost
 * (quic_outq_detect_lost()).
 */
void quic_outq_ack(struct sock *sk, u8 space, const struct quic_frame *f)
{
	struct quic_ack_range ranges[QUIC_ACK_RANGES_MAX];
	struct quic_conn *c = quic_conn(sk);
	struct quic_pnspace *s = &c->space[space];
	s64 prev_largest = s->largest_acked;
	struct quic_rate_sample rs = {};
	struct quic_lost_span span = {};
	struct quic_sent *p, *tmp;
	struct quic_ack_iter it;
	ktime_t largest_sent = 0;
	u32 ect_acked = 0, acked = 0;
	int n = 0, r;

	if (f->ack.largest >= s->next_pn)
		return;		/* acknowledges what we never sent: ignore */
	if ((s64)f->ack.largest > s->largest_acked)
		s->largest_acked = f->ack.largest;
	quic_ack_iter_init(&it, f);
	while (n < QUIC_ACK_RANGES_MAX && quic_ack_iter_next(&it))
		ranges[n++] = it.range;
	if (!n)
		return;
	if (space == QUIC_PNSPACE_APP)
		quic_pmtu_ack_ranges(sk, ranges, n);

	/* ranges are largest first, the sent list smallest first */
	r = n - 1;
	list_for_each_entry_safe(p, tmp, &c->sent[space], list) {
		while (r >= 0 && p->pn > ranges[r].end)
			r--;
		if (r < 0)
			break;
		if (p->pn < ranges[r].start)
			continue;
		if (p->pn == f->ack.largest) {
			s64 rtt = ktime_us_delta(ktime_get(), p->time);
			u32 delay = f->ack.delay <<
				    quic_sk(sk)->remote.ack_delay_exponent;

			if (space != QUIC_PNSPACE_APP)
				delay = 0;
			quic_cong_rtt(&c->cong, max_t(s64, rtt, 1), delay,
				      quic_conn_max_ack_delay(sk));
		}
		if (p->ecn) {
			ect_acked++;
			largest_sent = p->time;	/* the sent list is in order */
		}
		quic_outq_acked(sk, p, &rs);
		acked++;
	}
	if ((s64)f->ack.largest > prev_largest)
		quic_outq_ecn(sk, space, f, ect_acked, largest_sent);
	quic_outq_detect_lost(sk, space, &span);
	/* lost in a row: nothing between them acknowledged, now or before */
	if (span.count >= 2 && prev_largest < (s64)span.first_pn) {
		for (r = 0; r < n; r++)
			if (ranges[r].start <= span.last_pn &&
			    ranges[r].end >= span.first_pn)
				break;
		if (r == n &&
		    quic_cong_persistent(&c->cong, span.first_time,
					 span.last_time,
					 quic_conn_max_ack_delay(sk)))
			QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PERSISTENT_CONG);
	}
	/* the backoff ends when something we track was newly acknowledged
	 * (RFC 9002 appendix A.7): ACKs of our ACK-only packets alone,
	 * which a black hole for large datagrams lets through, leave it
	 */
	if (!acked)
		return;
	quic_cong_ack_done(&c->cong, &rs);
	trace_quic_cong(sk, c->cong.cwnd, c->cong.inflight, c->cong.srtt,
			c->cong.min_rtt, c->cong.pace_rate);
	c->pto_count = 0;
	sk_stop_timer(sk, &c->pto_timer);
}

/**
 * quic_outq_early_lost - a client has 1-RTT keys: 0-RTT packets still
 * unacknowledged are sent again as 1-RTT packets
 * @sk: the connection
 *
 * When the server rejected 0-RTT it never acknowledges them (RFC 9002
 * section 6.2.2 and RFC 9001 section 4.6.2); when it accepted them, what
 * it receives twice is dropped as old data.  Not a congestion signal.
 */
void quic_outq_early_lost(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sent *p, *tmp;

	list_for_each_entry_safe(p, tmp, &c->sent[QUIC_PNSPACE_APP], list)
		if (p->early)
			quic_outq_lost(sk, QUIC_PNSPACE_APP, p, false);
}

/**
 * quic_outq_free - free what waits to be sent or acknowledged
 * @sk: the connection
 */
void quic_outq_free(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sent *p, *tmp;

	list_for_each_entry_safe(p, tmp, &c->lost, list) {
		list_del(&p->list);
		quic_sent_kfree(sk, p);
	}
	quic_sent_pool_trim(sk, 0);
	quic_outq_purge(sk, &c->dgramq);
}

/* What sendmsg() queues (stream chunks, datagrams) is charged as TCP
 * charges its send queue: to sk_wmem_queued and the protocol's memory
 * (net.quic.mem, through sk_forward_alloc), besides sk_wmem_alloc, which
 * sk_sndbuf bounds.  Freed under the socket lock, with quic_outq_skb_free().
 */
static bool quic_outq_charge(struct sock *sk, struct sk_buff *skb)
{
	if (!sk_wmem_schedule(sk, skb->truesize))
		return false;
	sk_wmem_queued_add(sk, skb->truesize);
	sk_mem_charge(sk, skb->truesize);
	skb_set_owner_w(skb, sk);
	return true;
}

/**
 * quic_outq_skb_free - free a queued stream chunk or datagram
 * @sk: the connection it is charged to, owned or bh-locked
 * @skb: it, unlinked
 */
void quic_outq_skb_free(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, -skb->truesize);
	sk_mem_uncharge(sk, skb->truesize);
	consume_skb(skb);
}

/**
 * quic_outq_purge - free a queue of stream chunks or datagrams
 * @sk: the connection they are charged to, owned or bh-locked
 * @q: the queue
 */
void quic_outq_purge(struct sock *sk, struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(q)))
		quic_outq_skb_free(sk, skb);
}

/**
 * quic_outq_stream_append - queue stream data from sendmsg()
 * @sk: the connection, owned by the caller
 * @s: the stream
 * @from: the data
 * @len: its length, at most one chunk
 * @fin: the stream ends with it
 *
 * The data fills the last chunk's room, then a new chunk charged to the
 * socket's send buffer.
 *
 * Return: bytes queued, or a negative error.
 */
int quic_outq_stream_append(struct sock *sk, struct quic_stream *s,
			    struct iov_iter *from, size_t len, bool fin)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct sk_buff *skb = skb_peek_tail(&s->sendq);
	size_t n = 0, room;

	if (len && skb && skb_tailroom(skb) &&
	    QUIC_SND_CB(skb)->offset + skb->len == s->send_len) {
		room = min_t(size_t, len, skb_tailroom(skb));
		if (!copy_from_iter_full(skb_put(skb, room), room, from)) {
			__skb_trim(skb, skb->len - room);
			return -EFAULT;
		}
		n = room;
	}
	if (n < len) {
		room = min_t(size_t, len - n, QUIC_STREAM_CHUNK);
		skb = alloc_skb(QUIC_STREAM_CHUNK, sk->sk_allocation);
		if (!skb)
			return n ?: -ENOMEM;
		if (!copy_from_iter_full(skb_put(skb, room), room, from)) {
			kfree_skb(skb);
			return n ?: -EFAULT;
		}
		if (!quic_outq_charge(sk, skb)) {
			kfree_skb(skb);
			return n ?: -ENOBUFS;
		}
		QUIC_SND_CB(skb)->offset = s->send_len + n;
		QUIC_SND_CB(skb)->acked = 0;
		__skb_queue_tail(&s->sendq, skb);
		n += room;
	}
	s->send_len += n;
	if (s->send_state == QUIC_STREAM_SEND_STATE_READY)
		s->send_state = QUIC_STREAM_SEND_STATE_SEND;
	if (fin && n == len)
		s->fin_queued = 1;
	quic_stream_send_queue(st, s);
	return n;
}

/**
 * quic_outq_dgram_append - queue a DATAGRAM frame from sendmsg()
 * @sk: the connection, owned by the caller
 * @from: the data
 * @len: its length, checked against what the peer accepts
 *
 * Return: 0 or a negative error (-EAGAIN when too many wait).
 */
int quic_outq_dgram_append(struct sock *sk, struct iov_iter *from,
			   size_t len)
{
	struct quic_conn *c = quic_conn(sk);
	struct sk_buff *skb;

	if (skb_queue_len(&c->dgramq) >= QUIC_DGRAM_QUEUE_MAX ||
	    sk_wmem_alloc_get(sk) >= READ_ONCE(sk->sk_sndbuf))
		return -EAGAIN;
	skb = alloc_skb(len, sk->sk_allocation);
	if (!skb)
		return -ENOMEM;
	if (!copy_from_iter_full(skb_put(skb, len), len, from)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	if (!quic_outq_charge(sk, skb)) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	skb_queue_tail(&c->dgramq, skb);
	return 0;
}

/**
 * quic_outq_all_acked - has the peer acknowledged all stream data?
 * @sk: the connection
 *
 * Return: true when no stream has bytes or a FIN unacknowledged.
 */
bool quic_outq_all_acked(struct sock *sk)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_stream *s;
	unsigned long i;

	quic_streams_for_each(st, i, s)
		if (s->send_state < QUIC_STREAM_SEND_STATE_RECVD &&
		    (s->send_acked < s->send_len ||
		     (s->fin_queued && !s->fin_acked)))
			return false;
	return true;
}

static bool quic_stream_wants(const struct quic_streams *st,
			      const struct quic_stream *s)
{
	if (s->reset_pending || s->stop_pending || s->max_data_pending)
		return true;
	if (s->send_state >= QUIC_STREAM_SEND_STATE_RESET_SENT)
		return false;
	if (s->send_off < s->send_len)
		return s->send_off < s->send_max &&
		       st->send_total < st->send_max;
	return s->fin_queued && !s->fin_sent;
}

/**
 * quic_outq_app_data - stream data, lost data or datagrams wait
 * @sk: the connection
 *
 * Return: true when they do, whatever the congestion window allows.
 */
bool quic_outq_app_data(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_streams *st = &c->streams;
	struct quic_stream *s;

	if (!list_empty(&c->lost) || !skb_queue_empty(&c->dgramq))
		return true;
	list_for_each_entry(s, &st->send_list, send_node)
		if (quic_stream_wants(st, s))
			return true;
	return false;
}

/**
 * quic_outq_app_wants - the 1-RTT packet number space has frames to send
 * @sk: the connection
 *
 * Return: true when quic_outq_app_fill() would add a frame.
 */
bool quic_outq_app_wants(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_streams *st = &c->streams;

	if (!st->ready)
		return false;
	if (st->max_data_pending || st->max_streams_bidi_pending ||
	    st->max_streams_uni_pending || st->data_blocked_pending ||
	    st->streams_blocked_bidi || st->streams_blocked_uni ||
	    quic_connid_wants(sk))
		return true;
	return quic_outq_app_data(sk) && quic_cong_can_send(&c->cong);
}

/**
 * quic_outq_app_burst - how many datagrams the application could fill
 * @sk: the connection
 * @size: of each datagram
 *
 * What the congestion window leaves room for, and no more than the data
 * waiting fills: lost data and datagrams count as a full window, new
 * stream data within the peer's credit as what there is of it, so that
 * a small write does not get a buffer for a whole batch.  Only the first
 * QUIC_BURST_STREAMS streams that have data are summed: with more than
 * that waiting, the window alone sizes the batch, so that a connection
 * with thousands of streams does not walk them all per send.  The pacer
 * still decides packet by packet (quic_outq_app_wants()).
 *
 * Return: a number of datagrams, 0 when nothing waits.
 */
unsigned int quic_outq_app_burst(struct sock *sk, unsigned int size)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_streams *st = &c->streams;
	struct quic_cong *cg = &c->cong;
	unsigned int streams = 0;
	struct quic_stream *s;
	u64 room, data = 0;

	if (!st->ready || cg->inflight >= cg->cwnd)
		return 0;
	room = cg->cwnd - cg->inflight;
	if (!list_empty(&c->lost) || !skb_queue_empty(&c->dgramq))
		return room / size;
	list_for_each_entry(s, &st->send_list, send_node) {
		if (!quic_stream_wants(st, s))
			continue;
		if (++streams > QUIC_BURST_STREAMS)
			return room / size;
		data += min(s->send_len, s->send_max) - min(s->send_off,
							    s->send_max);
		if (data >= room)
			break;
	}
	return min(room, data) / size;
}

/**
 * quic_outq_flushed - a flush sent what it could
 * @sk: the connection
 *
 * When the pacer held data back, its timer sends it; when the window
 * has room the application did not fill, rate samples are marked
 * application-limited.
 */
void quic_outq_flushed(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_cong *cg = &c->cong;

	if (cg->pace_blocked) {
		cg->pace_blocked = 0;
		quic_timer_pace(sk);
		return;
	}
	if (c->streams.ready && cg->inflight + cg->mss <= cg->cwnd &&
	    !quic_outq_app_data(sk))
		quic_cong_app_limited(cg);
}

/* Frame writing into the packet being built */
struct quic_fill {
	struct sk_buff *skb;
	struct quic_sent *sent;
	unsigned int room;
};

static bool quic_fill_frame(struct quic_fill *w, const struct quic_frame *f)
{
	int n = quic_frame_encode(skb_tail_pointer(w->skb), w->room, f);

	if (n < 0)
		return false;
	skb_put(w->skb, n);
	w->room -= n;
	return true;
}

static bool quic_fill_record(struct quic_fill *w, u8 type, s64 id, u64 off,
			     u32 len, u8 fin)
{
	struct quic_sent_frame *sf;

	if (w->sent->nframes >= QUIC_SENT_FRAMES)
		return false;
	sf = &w->sent->f[w->sent->nframes++];
	sf->type = type;
	sf->id = id;
	sf->off = off;
	sf->len = len;
	sf->fin = fin;
	return true;
}

/* One STREAM frame of [off, off + len) of @s, or less if it does not
 * fit; never across chunks.  Returns the bytes sent, -1 when nothing fit.
 */
static int quic_fill_stream(struct quic_fill *w, struct quic_stream *s,
			    u64 off, u32 len, bool fin)
{
	struct quic_frame f = { .type = QUIC_FRAME_STREAM | QUIC_STREAM_BIT_LEN };
	struct sk_buff *chunk = NULL;
	unsigned int hdr;

	if (w->sent->nframes >= QUIC_SENT_FRAMES)
		return -1;
	/* type, id, offset and length, at most 8 bytes each */
	hdr = 1 + 8 + (off ? 8 : 0) + 2;
	if (w->room < hdr + (len ? 1 : 0))
		return -1;
	if (len) {
		chunk = quic_stream_chunk(s, off);
		if (!chunk)
			return -1;
		len = min_t(u64, len, QUIC_SND_CB(chunk)->offset + chunk->len -
			    off);
		if (len > w->room - hdr) {
			len = w->room - hdr;
			fin = false;
		}
		f.data.data = chunk->data + (off - QUIC_SND_CB(chunk)->offset);
	}
	if (fin && off + len != s->send_len)
		fin = false;
	f.data.id = s->id;
	f.data.offset = off;
	f.data.len = len;
	f.data.fin = fin;
	if (!quic_fill_frame(w, &f))
		return -1;
	quic_fill_record(w, QUIC_SF_STREAM, s->id, off, len, fin);
	if (fin)
		s->fin_sent = 1;
	return len;
}

/* Send again the stream data of lost packets. */
static void quic_fill_lost(struct sock *sk, struct quic_fill *w)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sent *p, *tmp;
	int n;

	list_for_each_entry_safe(p, tmp, &c->lost, list) {
		for (; p->next < p->nframes; p->next++) {
			struct quic_sent_frame *f = &p->f[p->next];
			struct quic_stream *s;

			if (f->type != QUIC_SF_STREAM)
				continue;
			s = quic_stream_find(&c->streams, f->id);
			if (!s || s->send_state >= QUIC_STREAM_SEND_STATE_RECVD)
				continue;
			if (f->off < s->send_acked) {	/* partly acked */
				u64 d = min_t(u64, f->len,
					      s->send_acked - f->off);

				f->off += d;
				f->len -= d;
			}
			if (!f->len && (!f->fin || s->fin_acked))
				continue;
			n = quic_fill_stream(w, s, f->off, f->len, f->fin);
			if (n < 0)
				return;
			if (n < f->len || (f->fin && !s->fin_sent)) {
				f->off += n;	/* the rest in the next packet */
				f->len -= n;
				return;
			}
		}
		list_del(&p->list);
		quic_sent_free(sk, p);
	}
}

/* The frames of one stream: control frames, then new data within the
 * credit.  Returns false when the packet is full.
 */
static bool quic_fill_one_stream(struct sock *sk, struct quic_fill *w,
				 struct quic_stream *s)
{
	struct quic_streams *st = &quic_conn(sk)->streams;
	struct quic_frame f = {};
	u64 limit;
	int n;

	if (s->reset_pending) {
		f.type = QUIC_FRAME_RESET_STREAM;
		f.reset.id = s->id;
		f.reset.error = s->send_errcode;
		f.reset.final_size = s->send_off;
		if (w->sent->nframes >= QUIC_SENT_FRAMES ||
		    !quic_fill_frame(w, &f))
			return false;
		quic_fill_record(w, QUIC_SF_RESET, s->id, 0, 0, 0);
		s->reset_pending = 0;
	}
	if (s->stop_pending) {
		f.type = QUIC_FRAME_STOP_SENDING;
		f.reset.id = s->id;
		f.reset.error = s->stop_errcode;
		if (w->sent->nframes >= QUIC_SENT_FRAMES ||
		    !quic_fill_frame(w, &f))
			return false;
		quic_fill_record(w, QUIC_SF_STOP, s->id, 0, 0, 0);
		s->stop_pending = 0;
	}
	if (s->max_data_pending) {
		f.type = QUIC_FRAME_MAX_STREAM_DATA;
		f.limit.id = s->id;
		f.limit.value = s->recv_max;
		if (w->sent->nframes >= QUIC_SENT_FRAMES ||
		    !quic_fill_frame(w, &f))
			return false;
		quic_fill_record(w, QUIC_SF_MAX_STREAM_DATA, s->id, 0, 0, 0);
		s->max_data_pending = 0;
	}
	if (s->send_state >= QUIC_STREAM_SEND_STATE_RESET_SENT)
		return true;

	while (s->send_off < s->send_len) {
		limit = min(s->send_max,
			    s->send_off + (st->send_max - st->send_total));
		if (s->send_off >= limit) {
			if (s->send_off >= s->send_max &&
			    s->send_blocked_at != s->send_max) {
				f.type = QUIC_FRAME_STREAM_DATA_BLOCKED;
				f.limit.id = s->id;
				f.limit.value = s->send_max;
				if (!quic_fill_frame(w, &f))
					return false;
				s->send_blocked_at = s->send_max;
			}
			if (st->send_total >= st->send_max &&
			    st->send_blocked_at != st->send_max)
				st->data_blocked_pending = 1;
			return true;
		}
		if (!quic_cong_can_send(&quic_conn(sk)->cong))
			return false;
		n = quic_fill_stream(w, s, s->send_off,
				     min(limit, s->send_len) - s->send_off,
				     s->fin_queued);
		if (n <= 0)
			return false;
		s->send_off += n;
		st->send_total += n;
	}
	if (s->fin_queued && !s->fin_sent &&
	    quic_fill_stream(w, s, s->send_off, 0, true) < 0)
		return false;
	return true;
}

static void quic_fill_conn(struct sock *sk, struct quic_fill *w,
			   struct quic_streams *st)
{
	struct quic_frame f = {};
	u8 type;

	while (w->sent->nframes < QUIC_SENT_FRAMES &&
	       quic_connid_next(sk, &f, &type)) {
		u32 seq = type == QUIC_SF_NEW_CID ? f.new_cid.seq :
						    f.limit.value;

		if (!quic_fill_frame(w, &f))
			break;
		quic_fill_record(w, type, seq, 0, 0, 0);
		quic_connid_sent(sk, type, seq);
	}
	memset(&f, 0, sizeof(f));

	if (st->max_data_pending) {
		f.type = QUIC_FRAME_MAX_DATA;
		f.limit.value = st->recv_max;
		if (quic_fill_frame(w, &f)) {
			st->max_data_pending = 0;
			w->sent->max_data = 1;
		}
	}
	if (st->max_streams_bidi_pending) {
		f.type = QUIC_FRAME_MAX_STREAMS_BIDI;
		f.limit.value = st->max_bidi;
		if (quic_fill_frame(w, &f)) {
			st->max_streams_bidi_pending = 0;
			w->sent->max_streams_bidi = 1;
		}
	}
	if (st->max_streams_uni_pending) {
		f.type = QUIC_FRAME_MAX_STREAMS_UNI;
		f.limit.value = st->max_uni;
		if (quic_fill_frame(w, &f)) {
			st->max_streams_uni_pending = 0;
			w->sent->max_streams_uni = 1;
		}
	}
	if (st->data_blocked_pending) {
		f.type = QUIC_FRAME_DATA_BLOCKED;
		f.limit.value = st->send_max;
		if (quic_fill_frame(w, &f)) {
			st->data_blocked_pending = 0;
			st->send_blocked_at = st->send_max;
		}
	}
	if (st->streams_blocked_bidi) {
		f.type = QUIC_FRAME_STREAMS_BLOCKED_BIDI;
		f.limit.value = st->peer_max_bidi;
		if (quic_fill_frame(w, &f))
			st->streams_blocked_bidi = 0;
	}
	if (st->streams_blocked_uni) {
		f.type = QUIC_FRAME_STREAMS_BLOCKED_UNI;
		f.limit.value = st->peer_max_uni;
		if (quic_fill_frame(w, &f))
			st->streams_blocked_uni = 0;
	}
}

/**
 * quic_outq_app_fill - add the 1-RTT frames of streams and datagrams
 * @sk: the connection
 * @skb: the datagram being built, the packet open at its tail
 * @sent: the packet's record
 * @room: bytes the packet may still take
 *
 * Connection-level control frames first, then lost stream data, then
 * datagrams, then each stream in turn; a stream that is done or blocked
 * leaves the send list, one that filled the packet goes to its end.
 *
 * Return: bytes added.
 */
int quic_outq_app_fill(struct sock *sk, struct sk_buff *skb,
		       struct quic_sent *sent, unsigned int room)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_streams *st = &c->streams;
	struct quic_fill w = { .skb = skb, .sent = sent, .room = room };
	struct quic_stream *s;
	struct sk_buff *d;
	unsigned int len = skb->len;

	if (!st->ready)
		return 0;
	quic_fill_conn(sk, &w, st);
	if (!quic_cong_can_send(&c->cong))
		return skb->len - len;
	quic_fill_lost(sk, &w);
	while ((d = skb_peek(&c->dgramq))) {
		struct quic_frame f = {
			.type = QUIC_FRAME_DATAGRAM_LEN,
			.data = { .data = d->data, .len = d->len },
		};

		if (!quic_fill_frame(&w, &f))
			break;
		skb_unlink(d, &c->dgramq);
		quic_outq_skb_free(sk, d);
	}
	while (!list_empty(&st->send_list)) {
		s = list_first_entry(&st->send_list, struct quic_stream,
				     send_node);
		if (!quic_fill_one_stream(sk, &w, s)) {
			list_move_tail(&s->send_node, &st->send_list);
			break;
		}
		if (!quic_stream_wants(st, s) ||
		    s->send_off >= s->send_max) {
			list_del_init(&s->send_node);
			s->in_send_list = 0;
		} else {
			list_move_tail(&s->send_node, &st->send_list);
			break;	/* blocked by the connection's credit */
		}
	}
	return skb->len - len;
}

/**
 * quic_outq_crypto_queue - queue handshake data from sendmsg()
 * @sk: the connection, owned by the caller
 * @level: QUIC_CRYPTO_INITIAL, _HANDSHAKE or _APP
 * @from: the data
 * @len: its length
 *
 * Return: 0 or a negative error.
 */
int quic_outq_crypto_queue(struct sock *sk, u8 level, struct iov_iter *from,
			   size_t len)
{
	struct quic_crypto_tx *t;
	u32 size;
	u8 *buf;

	if (level == QUIC_CRYPTO_EARLY || level >= QUIC_CRYPTO_MAX)
		return -EINVAL;
	t = &quic_conn(sk)->ctx[quic_level_space(level)];
	if (len > QUIC_CRYPTO_BUF_MAX - t->len)
		return -EMSGSIZE;
	if (t->len + len > t->size) {
		size = max_t(u32, roundup_pow_of_two(t->len + len), 1024);
		if (!quic_mem_charge(sk, size - t->size))
			return -ENOBUFS;
		buf = krealloc(t->buf, size, GFP_KERNEL);
		if (!buf) {
			quic_mem_uncharge(sk, size - t->size);
			return -ENOMEM;
		}
		t->buf = buf;
		t->size = size;
	}
	if (!copy_from_iter_full(t->buf + t->len, len, from))
		return -EFAULT;
	t->len += len;
	return 0;
}

