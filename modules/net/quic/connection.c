// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connection lifetime: set up and free the state of a connection, install
 * the keys the handshake hands down and discard old ones, and end the
 * connection on errors.
 */

#include <crypto/algapi.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/sock.h>

#include "compat.h"
#include "inqueue.h"
#include "mib.h"
#include "outqueue.h"
#include "packet.h"
#include "retry.h"
#include "socket.h"
#include "timer.h"
#include "version.h"

static void quic_conn_key_work(struct work_struct *work);
static void quic_conn_key_discard_work(struct work_struct *work);
static void quic_conn_discard_work(struct work_struct *work);
static void quic_conn_retry_work(struct work_struct *work);

/**
 * quic_conn_init - empty connection state
 * @sk: the socket; its conn member is zeroed
 */
void quic_conn_init(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < QUIC_PNSPACE_MAX; i++) {
		quic_pnspace_init(&c->space[i]);
		skb_queue_head_init(&c->crx[i].ooo);
		INIT_LIST_HEAD(&c->sent[i]);
	}
	quic_streams_init(&c->streams);
	quic_cong_init(&c->cong, quic_sk(sk)->config.initial_smoothed_rtt,
		       quic_sk(sk)->config.congestion_control_algo);
	quic_pmtu_reset(sk);
	INIT_LIST_HEAD(&c->lost);
	INIT_LIST_HEAD(&c->sent_pool);
	skb_queue_head_init(&c->dgramq);
	skb_queue_head_init(&c->early_q);
	skb_queue_head_init(&c->pending);
	skb_queue_head_init(&c->rx_defer);
	skb_queue_head_init(&c->reqq);
	INIT_LIST_HEAD(&c->accept_q);
	INIT_LIST_HEAD(&c->accept_node);
	INIT_HLIST_NODE(&c->listen_node);
	quic_timer_init(sk);
	INIT_WORK(&c->key_work, quic_conn_key_work);
	INIT_WORK(&c->discard_work, quic_conn_discard_work);
	INIT_DELAYED_WORK(&c->key_discard_work, quic_conn_key_discard_work);
	INIT_WORK(&c->retry_work, quic_conn_retry_work);
	/* may run with the socket's spinlock held (a listener's clone);
	 * without the per-CPU memory, routes are looked up per datagram
	 */
	dst_cache_init(&c->dst_cache, GFP_ATOMIC | __GFP_NOWARN);
}

static void quic_conn_free_space(struct sock *sk, u8 space)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sent *s, *tmp;

	list_for_each_entry_safe(s, tmp, &c->sent[space], list) {
		list_del(&s->list);
		quic_sent_kfree(sk, s);
	}
	quic_inq_crypto_purge(sk, space);
	quic_mem_uncharge(sk, c->ctx[space].size);
	kfree(c->ctx[space].buf);
	memset(&c->ctx[space], 0, sizeof(c->ctx[space]));
}

/* Packets in flight in an asynchronous AEAD keep the keys until they
 * complete (quic_crypto_put()).
 */
static void quic_conn_free_keys(struct quic_conn *c, u8 level)
{
	quic_crypto_put(c->crypto[level]);
	c->crypto[level] = NULL;
}

/**
 * quic_conn_close_wait - wait for a deferred sealing of our CONNECTION_CLOSE
 * @sk: the connection, being destroyed
 *
 * Its completion sets close_dgram, which the closing period's record
 * (closing.c) and quic_conn_free() need.  close() waits for it at most a
 * second; under a loaded asynchronous AEAD it may take longer.
 * Context: process, may sleep.
 */
void quic_conn_close_wait(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	if (quic_conn_close_async(c))
		wait_var_event(&c->close_async, !quic_conn_close_async(c));
}

/**
 * quic_conn_free - release everything the connection holds
 * @sk: the socket, being destroyed
 */
void quic_conn_free(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	int i;

	quic_timer_stop_sync(sk);
	/* close() cancelled the work items, but a datagram processed
	 * before it locked the socket may have queued one again (the
	 * discard of handshake keys, which frees the transforms this
	 * frees); nothing queues them any more: the socket is closed and
	 * its timers stopped.  A listener's unaccepted children come here
	 * without close().
	 */
	quic_conn_cancel_work(sk);
	quic_conn_close_wait(sk);
	consume_skb(c->close_dgram);
	c->close_dgram = NULL;
	quic_connid_free(sk);
	quic_path_free(sk);
	dst_cache_destroy(&c->dst_cache);
	quic_cid_hash_del(&c->odcid_node);
	for (i = 0; i < QUIC_PNSPACE_MAX; i++)
		quic_conn_free_space(sk, i);
	quic_streams_free(sk);
	quic_outq_free(sk);
	for (i = 0; i < QUIC_CRYPTO_MAX; i++)
		quic_conn_free_keys(c, i);
	if (c->initial_alt) {
		quic_crypto_free(c->initial_alt);
		kfree(c->initial_alt);
		c->initial_alt = NULL;
	}
	skb_queue_purge(&c->pending);
	skb_queue_purge(&c->rx_defer);
	skb_queue_purge(&c->reqq);
	skb_queue_purge(&c->early_q);
	kfree(c->ticket);
	c->ticket = NULL;
	if (c->new_token)
		sock_kfree_s(sk, c->new_token, c->new_token_len);
	c->new_token = NULL;
	quic_conn_set_token(sk, NULL, 0, 0);
	memzero_explicit(c->ticket_key, sizeof(c->ticket_key));
}

/**
 * quic_conn_set_token - the token a client's Initial packets carry
 * @sk: the client
 * @token: a Retry's token or the user's (from an earlier NEW_TOKEN);
 *	NULL to drop the current one
 * @len: its length, at most QUIC_TOKEN_MAX_LEN
 * @gfp: allocation flags (GFP_ATOMIC from the receive path)
 *
 * Return: 0 or -ENOMEM (the socket's option memory is exhausted).
 */
int quic_conn_set_token(struct sock *sk, const u8 *token, u16 len, gfp_t gfp)
{
	struct quic_conn *c = quic_conn(sk);
	u8 *t = NULL;

	if (token) {
		t = sock_kmalloc(sk, len, gfp);
		if (!t)
			return -ENOMEM;
		memcpy(t, token, len);
	}
	if (c->token)
		sock_kfree_s(sk, c->token, c->token_len);
	c->token = t;
	c->token_len = t ? len : 0;
	return 0;
}

/**
 * quic_conn_retry_rcv - a client received a Retry packet
 * @sk: the connection
 * @skb: the datagram, data at the Retry packet
 * @h: its header
 *
 * Checks the integrity tag (RFC 9001 section 5.8), keeps the token and the
 * server's new connection ID, and leaves rekeying and resending to a work
 * item: rekeying may sleep (transform keys); the work item then sends the
 * ClientHello again with the token.  Only the first Retry counts (RFC
 * 9000 section 17.2.5.2).
 *
 * Return: 0, or -EINVAL for a Retry to discard.
 */
int quic_conn_retry_rcv(struct sock *sk, struct sk_buff *skb,
			const struct quic_hdr *h)
{
	struct quic_conn *c = quic_conn(sk);
	u8 tag[QUIC_RETRY_TAG_LEN];

	if (c->is_serv || c->retried || c->dcid_final ||
	    sk->sk_state != TCP_SYN_SENT || !h->token_len ||
	    h->token_len > QUIC_TOKEN_MAX_LEN ||
	    quic_cid_equal(&c->dcid, h->scid, h->scid_len))
		return -EINVAL;
	if (quic_crypto_retry_tag(h->version, c->odcid.data, c->odcid.len,
				  skb->data, h->len - QUIC_RETRY_TAG_LEN, tag) ||
	    crypto_memneq(tag, skb->data + h->len - QUIC_RETRY_TAG_LEN,
			  QUIC_RETRY_TAG_LEN))
		return -EINVAL;
	if (quic_conn_set_token(sk, h->token, h->token_len, GFP_ATOMIC))
		return -ENOMEM;
	quic_cid_set(&c->dcid, h->scid, h->scid_len);
	c->retry_scid = c->dcid;
	c->retried = 1;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_RETRY_RCV);
	sock_hold(sk);
	if (!quic_udp_queue_work(&c->retry_work))
		sock_put(sk);
	return 0;
}

/* Rekey the Initial level for the new connection ID and resend. */
static void quic_conn_retry_work(struct work_struct *work)
{
	struct quic_conn *c = container_of(work, struct quic_conn, retry_work);
	struct sock *sk = quic_conn_sk(c);
	struct quic_sent *s, *tmp;
	int err;

	lock_sock(sk);
	if (sk->sk_state != TCP_SYN_SENT || !c->crypto[QUIC_CRYPTO_INITIAL])
		goto out;
	err = quic_crypto_initial_keys(c->crypto[QUIC_CRYPTO_INITIAL],
				       c->dcid.data, c->dcid.len, c->version,
				       false);
	if (!err)
		err = quic_version_client_keys(sk);
	if (err) {
		quic_conn_close(sk, QUIC_TRANSPORT_ERROR_INTERNAL);
		goto out;
	}
	/* what was sent went to a server that kept nothing: send again */
	list_for_each_entry_safe(s, tmp, &c->sent[QUIC_PNSPACE_INITIAL], list) {
		c->cong.inflight -= min_t(u32, c->cong.inflight, s->bytes);
		list_del(&s->list);
		quic_sent_free(sk, s);
	}
	c->ctx[QUIC_PNSPACE_INITIAL].sent = 0;
	quic_packet_flush_bh(sk);
out:
	release_sock(sk);
	sock_put(sk);
}

/**
 * quic_conn_discard - drop the keys and state of a packet number space
 * @sk: the connection
 * @space: QUIC_PNSPACE_INITIAL or QUIC_PNSPACE_HANDSHAKE
 *
 * RFC 9001 section 4.9.  Keys are freed later, with the connection: this
 * may run in softirq context, where transforms cannot be freed safely.
 */
void quic_conn_discard(struct sock *sk, u8 space)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sent *s, *tmp;
	struct quic_crypto *cr;

	if (c->space[space].discarded)
		return;
	c->space[space].discarded = 1;
	c->space[space].ack_pending = 0;
	c->loss_time[space] = 0;
	list_for_each_entry_safe(s, tmp, &c->sent[space], list) {
		c->cong.inflight -= min_t(u32, c->cong.inflight, s->bytes);
		list_del(&s->list);
		quic_sent_free(sk, s);
	}
	cr = c->crypto[quic_space_level(space)];
	if (cr) {
		cr->tx.ready = 0;
		cr->rx.ready = 0;
	}
	/* the transforms go from process context (quic_conn_discard_work) */
	sock_hold(sk);
	if (!quic_udp_queue_work(&c->discard_work))
		sock_put(sk);
}

/* Keys of discarded number spaces are never used again: free their
 * transforms, the bulk of an idle connection's memory.  The structures
 * stay (zeroed), as the marks that the connection was started.
 */
static void quic_conn_discard_work(struct work_struct *work)
{
	struct quic_conn *c = container_of(work, struct quic_conn,
					   discard_work);
	struct sock *sk = quic_conn_sk(c);
	u8 space;

	lock_sock(sk);
	for (space = QUIC_PNSPACE_INITIAL; space < QUIC_PNSPACE_APP; space++) {
		struct quic_crypto *cr = c->crypto[quic_space_level(space)];

		if (c->space[space].discarded && cr)
			quic_crypto_free(cr);
	}
	release_sock(sk);
	sock_put(sk);
}

/**
 * quic_conn_close - close the connection on an error
 * @sk: the connection
 * @errcode: transport error code
 *
 * Sends CONNECTION_CLOSE once and reports the error to the application;
 * the closing and draining periods come later.
 */
void quic_conn_close(struct sock *sk, u64 errcode)
{
	if (sk->sk_state == TCP_CLOSE)
		return;
	quic_packet_send_close(sk, errcode, false);
	quic_conn_abort(sk, errcode == QUIC_TRANSPORT_ERROR_CRYPTO_BUF_EXCEEDED ?
			ENOBUFS : EPROTO);
}

/**
 * quic_conn_half_open_end - a server connection completed its handshake,
 * or ended before: it no longer counts as half-open
 * @sk: the connection
 */
void quic_conn_half_open_end(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	if (c->half_open) {
		c->half_open = 0;
		atomic_dec(&quic_net(sock_net(sk))->half_open);
	}
}

/**
 * quic_conn_abort - the connection is gone: tell the application
 * @sk: the connection
 * @err: the errno its calls report from now on
 *
 * Nothing is sent; the probe timer stops.
 */
void quic_conn_abort(struct sock *sk, int err)
{
	if (sk->sk_state == TCP_CLOSE)
		return;
	QUIC_INC_STATS(sock_net(sk), err == ETIMEDOUT ? QUIC_MIB_CONN_TIMEDOUT :
						      QUIC_MIB_CONN_ABORTED);
	WRITE_ONCE(sk->sk_err, err);
	inet_sk_set_state(sk, TCP_CLOSE);
	quic_conn_half_open_end(sk);
	quic_timer_stop(sk);
	sk_error_report(sk);
	quic_peeloff_wake(sk);
}

/**
 * quic_conn_set_secret - install keys handed down by the handshake
 * @sk: the connection, owned by the caller
 * @s: the secret
 *
 * The handshake is complete once both 1-RTT secrets are installed: the
 * server then confirms it with HANDSHAKE_DONE (RFC 9001 section 4.1.2).
 *
 * Return: 0 or a negative error.
 */
int quic_conn_set_secret(struct sock *sk, const struct quic_crypto_secret *s)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr;
	int err;

	if (s->level == QUIC_CRYPTO_INITIAL || s->level >= QUIC_CRYPTO_MAX)
		return -EINVAL;		/* Initial keys are derived */
	/* 0-RTT: the client sends with them, the server receives; the
	 * other direction's secret (TLS libraries derive both) is ignored
	 */
	if (s->level == QUIC_CRYPTO_EARLY && !!s->send == !!c->is_serv)
		return 0;
	if (sk->sk_state != TCP_SYN_SENT && sk->sk_state != TCP_SYN_RECV &&
	    sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	cr = c->crypto[s->level];
	if (!cr) {
		cr = kzalloc(sizeof(*cr), GFP_KERNEL);
		if (!cr)
			return -ENOMEM;
		quic_crypto_init(cr);
		c->crypto[s->level] = cr;
	}
	err = quic_crypto_set_secret(cr, s->type, c->version, s->secret,
				     s->send, s->level == QUIC_CRYPTO_APP);
	if (err)
		return err;
	if (s->level == QUIC_CRYPTO_EARLY)
		quic_streams_start(sk);	/* 0-RTT carries stream data */
	if (s->level == QUIC_CRYPTO_APP) {
		/* both ends asked for unprotected 1-RTT packets */
		cr->plain = quic_sk(sk)->local.disable_1rtt_encryption &&
			    quic_sk(sk)->remote.disable_1rtt_encryption;
		quic_streams_start(sk);
	}
	quic_version_release(sk);

	if (s->level == QUIC_CRYPTO_APP && cr->tx.ready && cr->rx.ready &&
	    !c->hs_complete) {
		c->hs_complete = 1;
		quic_conn_half_open_end(sk);
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CONN_ESTABLISHED);
		inet_sk_set_state(sk, TCP_ESTABLISHED);
		if (c->is_serv) {
			c->hs_confirmed = 1;
			c->hs_done_pending = 1;
			quic_cid_hash_del(&c->odcid_node);
			quic_conn_discard(sk, QUIC_PNSPACE_HANDSHAKE);
		} else {
			/* 0-RTT data not acknowledged goes again in 1-RTT */
			quic_outq_early_lost(sk);
		}
		quic_connid_start(sk);
		if (c->is_serv)
			quic_path_confirmed(sk);
		quic_inq_handshake_done(sk);
		sk->sk_state_change(sk);
	}
	if (!s->send)
		quic_inq_replay_pending(sk);
	quic_packet_flush_bh(sk);
	return 0;
}

/* Key update (RFC 9001 section 6).  Deriving keys may sleep (the AEAD
 * setkey of some transforms allocates), so it runs in process context:
 * from setsockopt() when we initiate, from a work item when the peer did.
 * The previous receive keys are dropped three probe timeouts later, after
 * which the peer may update again.
 */

/* Our packets from now on use the new keys: a peer that acknowledges
 * any of them in a packet of its old keys did not update (RFC 9001
 * section 6.2), see quic_conn_key_phase_ack().
 */
static void quic_conn_key_phase_start(struct quic_conn *c)
{
	c->key_phase_pn = c->space[QUIC_PNSPACE_APP].next_pn;
	c->key_phase_set = 1;
	c->key_pkts = 0;
	c->key_pkts_next = 0;	/* quic_conn_key_sent() computes it */
}

/* AEAD usage limits (RFC 9001 section 6.6).  Keys are updated before a
 * key has protected 3/4 of its AEAD's confidentiality limit, or the
 * namespace's net.quic.key_update_packets when that is lower; an update
 * not possible then (the previous one not answered yet) is tried again
 * every 1/64 of that, and past 15/16 of the limit the connection ends
 * with AEAD_LIMIT_REACHED rather than use the key further.  Received
 * packets that fail authentication are counted over the connection's
 * life; past the integrity limit (or net.quic.auth_failure_limit) the
 * connection ends the same way.
 */
static u64 quic_conn_key_threshold(struct sock *sk, u64 limit)
{
	u64 n = READ_ONCE(quic_net(sock_net(sk))->key_update_packets);

	if (limit != U64_MAX)
		limit -= limit / 4;
	return n && n < limit ? n : limit;
}

/**
 * quic_conn_key_sent - a 1-RTT packet was protected with our current keys
 * @sk: the connection
 *
 * Context: the packet path (softirq or the socket's owner).
 */
void quic_conn_key_sent(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr = c->crypto[QUIC_CRYPTO_APP];
	u64 conf, integ;

	c->key_pkts++;
	if (!c->key_pkts_next) {
		quic_crypto_limits(cr, &conf, &integ);
		c->key_pkts_next = quic_conn_key_threshold(sk, conf);
	}
	if (c->key_pkts < c->key_pkts_next || c->key_update_auto)
		return;
	/* deriving keys may sleep: a work item does it */
	c->key_update_auto = 1;
	sock_hold(sk);
	if (!quic_udp_queue_work(&c->key_work))
		sock_put(sk);
}

/**
 * quic_conn_auth_failed - a received packet failed authentication
 * @sk: the connection
 * @cr: the keys of its level
 *
 * Return: true when that was one too many: the caller closes the
 * connection with AEAD_LIMIT_REACHED.
 */
bool quic_conn_auth_failed(struct sock *sk, const struct quic_crypto *cr)
{
	struct quic_conn *c = quic_conn(sk);
	u64 conf, integ, n;

	quic_crypto_limits(cr, &conf, &integ);
	n = READ_ONCE(quic_net(sock_net(sk))->auth_failure_limit);
	if (n && n < integ)
		integ = n;
	return ++c->auth_fail > integ;
}

/**
 * quic_conn_key_auth_failed - a 1-RTT packet failed authentication
 * @sk: the connection
 * @first: its first byte, header protection removed
 *
 * One of the next key phase, in QUIC v2 before any key update worked,
 * has the key work item try the other label for the next keys (see
 * quic_crypto_ku_switch()).
 * Context: the packet path (softirq or the socket's owner).
 */
void quic_conn_key_auth_failed(struct sock *sk, u8 first)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr = c->crypto[QUIC_CRYPTO_APP];

	if (!cr || (first & 0x80) || ((first >> 2) & 1) == cr->rx.phase ||
	    cr->rx_old || c->key_label_try || !quic_crypto_ku_unsettled(cr))
		return;
	c->key_label_try = 1;
	sock_hold(sk);
	if (!quic_udp_queue_work(&c->key_work))
		sock_put(sk);
}

/**
 * quic_conn_key_pto - a probe timeout fired
 * @sk: the connection
 *
 * Our key update in QUIC v2 unanswered for two probe timeouts, before
 * any update worked: the peer may not read the new keys, derived with
 * v2's label; the key work item tries the other (see
 * quic_crypto_ku_switch()).
 * Context: the timer's work (softirq or the socket's owner).
 */
void quic_conn_key_pto(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr = c->crypto[QUIC_CRYPTO_APP];

	if (!c->key_update_wait || !cr || !cr->rx_old || c->key_label_try ||
	    !quic_crypto_ku_unsettled(cr) || ++c->key_wait_ptos < 2)
		return;
	c->key_wait_ptos = 0;
	c->key_label_try = 1;
	sock_hold(sk);
	if (!quic_udp_queue_work(&c->key_work))
		sock_put(sk);
}

/* The work item found the keys worn (quic_conn_key_sent()) */
static void quic_conn_key_worn(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr = c->crypto[QUIC_CRYPTO_APP];
	u64 conf, integ, step;
	int err;

	quic_crypto_limits(cr, &conf, &integ);
	err = quic_conn_key_update(sk);
	if (!err || c->key_pkts < c->key_pkts_next)
		return;
	if (conf != U64_MAX && c->key_pkts >= conf - conf / 16) {
		local_bh_disable();
		quic_conn_close(sk, QUIC_TRANSPORT_ERROR_AEAD_LIMIT_REACHED);
		local_bh_enable();
		return;
	}
	step = quic_conn_key_threshold(sk, conf) / 64;
	c->key_pkts_next = c->key_pkts + max_t(u64, step, 16);
}

/**
 * quic_conn_key_phase_ack - check an ACK frame against the key phases
 * @sk: the connection
 * @largest: the largest packet number it acknowledges
 *
 * Return: false when a packet protected with the peer's old keys
 * acknowledges one of ours sent with the new keys: a KEY_UPDATE_ERROR
 * (the peer acknowledged new keys it never installed).
 */
bool quic_conn_key_phase_ack(struct sock *sk, u64 largest)
{
	struct quic_conn *c = quic_conn(sk);

	return !(c->rx_old_phase && c->key_phase_set &&
		 largest >= c->key_phase_pn);
}

static void quic_conn_key_event(struct sock *sk)
{
	struct quic_crypto *cr = quic_conn(sk)->crypto[QUIC_CRYPTO_APP];
	u8 phase = cr->tx.phase;

	quic_inq_event(sk, QUIC_EVENT_KEY_UPDATE, &phase, sizeof(phase));
}

static void quic_conn_key_discard_later(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	u32 pto = quic_cong_pto(&c->cong, quic_sk(sk)->remote.max_ack_delay);

	sock_hold(sk);
	if (!quic_udp_queue_delayed_work(&c->key_discard_work,
					 usecs_to_jiffies(3 * pto) + 1))
		sock_put(sk);
}

/**
 * quic_conn_key_update - start a key update (QUIC_SOCKOPT_KEY_UPDATE)
 * @sk: the connection, owned by the caller
 *
 * Not before the handshake is confirmed, nor before the peer answered the
 * previous update (RFC 9001 section 6.1), nor while the old keys of the
 * previous update are kept.  A PING carries the new phase to the peer.
 *
 * Return: 0, -ENOTCONN, -EAGAIN while the previous update is not done,
 * or another negative error.
 */
int quic_conn_key_update(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr = c->crypto[QUIC_CRYPTO_APP];
	int err;

	if (sk->sk_state != TCP_ESTABLISHED || !c->hs_confirmed || !cr)
		return -ENOTCONN;
	/* the peer keeps its old keys three probe timeouts after an update
	 * and could not read ours meanwhile (RFC 9001 section 6.5); we keep
	 * ours as long
	 */
	if (c->key_update_wait || c->key_update_rx || cr->rx_old)
		return -EAGAIN;
	err = quic_crypto_key_update(cr);
	if (err)
		return err;
	quic_conn_key_phase_start(c);
	c->key_update_wait = 1;
	c->key_wait_ptos = 0;
	c->ping_pending = 1;
	quic_packet_flush_bh(sk);
	c->ping_pending = 0;
	quic_conn_key_discard_later(sk);
	return 0;
}

/**
 * quic_conn_key_update_rx - a 1-RTT packet was decrypted
 * @sk: the connection
 * @p: what decryption found
 *
 * Protected with the next keys: the peer updated, we follow from a work
 * item.  In the current phase after our update: the peer followed.
 * Context: softirq or the socket's owner.
 */
void quic_conn_key_update_rx(struct sock *sk, const struct quic_crypto_pkt *p)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr = c->crypto[QUIC_CRYPTO_APP];

	if (p->key_update) {
		cr->ku_settled = 1;	/* the "ku" label is right */
		if (c->key_update_rx || c->key_update_wait)
			return;
		c->key_update_rx = 1;
		sock_hold(sk);
		if (!quic_udp_queue_work(&c->key_work))
			sock_put(sk);
		return;
	}
	if (c->key_update_wait && p->key_phase == cr->rx.phase) {
		c->key_update_wait = 0;
		cr->ku_settled = 1;
		quic_conn_key_event(sk);
	}
}

static void quic_conn_key_work(struct work_struct *work)
{
	struct quic_conn *c = container_of(work, struct quic_conn, key_work);
	struct sock *sk = quic_conn_sk(c);
	struct quic_crypto *cr;
	int err;

	lock_sock(sk);
	cr = c->crypto[QUIC_CRYPTO_APP];
	if (c->key_label_try) {
		c->key_label_try = 0;
		if (cr && quic_conn_active(sk) && !quic_crypto_ku_switch(cr) &&
		    c->key_update_wait) {
			c->ping_pending = 1;	/* our new phase again */
			quic_packet_flush_bh(sk);
			c->ping_pending = 0;
		}
	}
	if (c->key_update_auto && !c->key_update_rx && quic_conn_active(sk) &&
	    cr) {
		quic_conn_key_worn(sk);
		c->key_update_auto = 0;
		goto out;
	}
	c->key_update_auto = 0;
	if (!c->key_update_rx || !quic_conn_active(sk) || !cr)
		goto out;
	err = quic_crypto_key_update(cr);
	c->key_update_rx = 0;
	if (!err)
		quic_conn_key_phase_start(c);
	if (err) {
		local_bh_disable();
		quic_conn_close(sk, QUIC_TRANSPORT_ERROR_KEY_UPDATE);
		local_bh_enable();
		goto out;
	}
	quic_conn_key_event(sk);
	quic_conn_key_discard_later(sk);
	/* acknowledge in the new phase at once */
	quic_packet_flush_bh(sk);
out:
	release_sock(sk);
	sock_put(sk);
}

static void quic_conn_key_discard_work(struct work_struct *work)
{
	struct quic_conn *c = container_of(to_delayed_work(work),
					   struct quic_conn, key_discard_work);
	struct sock *sk = quic_conn_sk(c);

	lock_sock(sk);
	/* the peer still sends with them while it has not answered ours */
	if (c->key_update_wait && quic_conn_active(sk)) {
		release_sock(sk);
		quic_conn_key_discard_later(sk);
		sock_put(sk);
		return;
	}
	if (c->crypto[QUIC_CRYPTO_APP] && !c->key_update_rx)
		quic_crypto_discard_old_keys(c->crypto[QUIC_CRYPTO_APP]);
	release_sock(sk);
	sock_put(sk);
}

/**
 * quic_conn_cancel_work - stop the connection's work items
 * @sk: the connection, not owned (the items take the socket lock)
 */
void quic_conn_cancel_work(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	if (cancel_work_sync(&c->retry_work))
		sock_put(sk);
	if (cancel_work_sync(&c->key_work))
		sock_put(sk);
	if (cancel_work_sync(&c->discard_work))
		sock_put(sk);
	if (cancel_delayed_work_sync(&c->key_discard_work))
		sock_put(sk);
}
