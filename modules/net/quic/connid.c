// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connection IDs of a connection (RFC 9000 sections 5.1 and 19.15-16).
 *
 * Ours: the handshake's ID is number 0; once the handshake completes we
 * issue more with NEW_CONNECTION_ID, keeping up to QUIC_SCID_ISSUE (or the
 * peer's active_connection_id_limit if lower) active.  Each sits in the
 * connection ID table until the peer retires it; the user may ask the peer
 * to retire the older ones (Retire Prior To).  Their stateless reset
 * tokens are derived from the ID (reset.c), never stored.
 *
 * The peer's: number 0 is the ID of its handshake packets, with the
 * stateless_reset_token transport parameter when a server sent one; more
 * come in NEW_CONNECTION_ID frames, up to our active_connection_id_limit.
 * The one we send to is conn->dcid.  Those the peer retires, or the user
 * gives up, are retired with RETIRE_CONNECTION_ID frames, tracked until
 * acknowledged.
 *
 * Everything here runs under the socket lock (the owner, or softirq with
 * the bh lock held when the socket is not owned).
 */

#include <crypto/algapi.h>
#include <net/sock.h>

#include "frame_wire.h"
#include "inqueue.h"
#include "mib.h"
#include "packet.h"
#include "socket.h"

enum {
	QUIC_RETIRE_FREE,
	QUIC_RETIRE_PENDING,		/* to send */
	QUIC_RETIRE_INFLIGHT,		/* sent, not yet acknowledged */
};

static bool quic_scid_live(const struct quic_connids *ids,
			   const struct quic_scid *s)
{
	return s->node.hashed && s->seq >= ids->src_prior;
}

static struct quic_scid *quic_scid_find(struct quic_connids *ids, u32 seq)
{
	int i;

	for (i = 0; i < QUIC_SCID_SLOTS; i++)
		if (ids->src[i].node.hashed && ids->src[i].seq == seq)
			return &ids->src[i];
	return NULL;
}

/* The live ID of ours with the lowest number, if any. */
static struct quic_scid *quic_scid_lowest(struct quic_connids *ids)
{
	struct quic_scid *low = NULL;
	int i;

	for (i = 0; i < QUIC_SCID_SLOTS; i++) {
		struct quic_scid *s = &ids->src[i];

		if (quic_scid_live(ids, s) && (!low || s->seq < low->seq))
			low = s;
	}
	return low;
}

static struct quic_dcid *quic_dcid_find(struct quic_connids *ids, u32 seq)
{
	int i;

	for (i = 0; i < QUIC_DCID_SLOTS; i++)
		if (ids->dst[i].live && ids->dst[i].seq == seq)
			return &ids->dst[i];
	return NULL;
}

static struct quic_dcid *quic_dcid_lowest(struct quic_connids *ids)
{
	struct quic_dcid *low = NULL;
	int i;

	for (i = 0; i < QUIC_DCID_SLOTS; i++) {
		struct quic_dcid *d = &ids->dst[i];

		if (d->live && (!low || d->seq < low->seq))
			low = d;
	}
	return low;
}

/**
 * quic_connid_first - make the connection reachable by its first ID
 * @sk: the connection, conn->scid chosen
 *
 * Return: 0, or -EEXIST when another connection has the ID.
 */
int quic_connid_first(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_scid *s = &c->ids.src[0];
	int err;

	s->node.cid = c->scid;
	s->seq = 0;
	err = quic_cid_hash_add(&s->node, sk);
	if (!err)
		c->ids.src_next = 1;
	return err;
}

/**
 * quic_connid_free - forget every ID of the connection
 * @sk: the connection
 */
void quic_connid_free(struct sock *sk)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	int i;

	for (i = 0; i < QUIC_SCID_SLOTS; i++)
		quic_cid_hash_del(&ids->src[i].node);
	for (i = 0; i < QUIC_DCID_SLOTS; i++)
		quic_reset_hash_del(&ids->dst[i].token);
}

static void quic_dcid_set_token(struct sock *sk, struct quic_dcid *d,
				const u8 *token)
{
	memcpy(d->token.token, token, QUIC_RESET_TOKEN_LEN);
	d->has_token = 1;
	quic_reset_hash_add(&d->token, sk);
}

/* The peer's handshake ID is number 0 (once the client knows it). */
static void quic_dcid_ready(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_connids *ids = &c->ids;

	if (ids->dst_ready)
		return;
	ids->dst[0].cid = c->dcid;
	ids->dst[0].seq = 0;
	ids->dst[0].live = 1;
	ids->dst_ready = 1;
}

/**
 * quic_connid_peer_token - a server's stateless_reset_token parameter
 * @sk: the client's connection, the server's ID known
 * @token: the token of the server's handshake ID
 */
void quic_connid_peer_token(struct sock *sk, const u8 *token)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;

	quic_dcid_ready(sk);
	if (ids->dst[0].live && !ids->dst[0].has_token)
		quic_dcid_set_token(sk, &ids->dst[0], token);
}

/* Issue IDs until the peer has as many active ones as we give it. */
static void quic_scid_top_up(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_connids *ids = &c->ids;
	unsigned int target, live = 0;
	int i, tries;

	if (!ids->started)
		return;
	target = min_t(unsigned int, quic_sk(sk)->remote.active_connection_id_limit,
		       QUIC_SCID_ISSUE);
	for (i = 0; i < QUIC_SCID_SLOTS; i++)
		live += quic_scid_live(ids, &ids->src[i]);
	for (i = 0; i < QUIC_SCID_SLOTS && live < target; i++) {
		struct quic_scid *s = &ids->src[i];

		if (s->node.hashed || ids->src_next == QUIC_CID_SEQ_MAX)
			continue;
		for (tries = 0; tries < 3; tries++) {
			quic_cid_random(&s->node.cid, QUIC_CID_LEN);
			if (!quic_cid_hash_add(&s->node, sk))
				break;
		}
		if (!s->node.hashed)
			return;
		s->seq = ids->src_next++;
		s->pending = 1;
		live++;
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CID_ISSUED);
	}
}

/**
 * quic_connid_start - the handshake completed: issue more IDs
 * @sk: the connection
 */
void quic_connid_start(struct sock *sk)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;

	quic_dcid_ready(sk);
	ids->started = 1;
	quic_scid_top_up(sk);
}

/**
 * quic_connid_match - is a packet addressed to one of our IDs
 * @sk: the connection
 * @dcid: the packet's Destination Connection ID
 * @len: its length
 *
 * Remembers which one for quic_connid_used() and RETIRE_CONNECTION_ID.
 *
 * Return: true when it is one the peer may use.
 */
bool quic_connid_match(struct sock *sk, const u8 *dcid, u8 len)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_connids *ids = &c->ids;
	int i;

	if (quic_cid_equal(&c->scid, dcid, len)) {
		ids->rx_seq = ids->src_active;
		return true;
	}
	for (i = 0; i < QUIC_SCID_SLOTS; i++) {
		struct quic_scid *s = &ids->src[i];

		if (s->node.hashed && quic_cid_equal(&s->node.cid, dcid, len)) {
			ids->rx_seq = s->seq;
			return true;
		}
	}
	return false;
}

/**
 * quic_connid_used - the packet quic_connid_match() found was genuine
 * @sk: the connection
 *
 * The peer moved to another of our IDs: it is the one in use.
 */
void quic_connid_used(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_connids *ids = &c->ids;
	struct quic_scid *s;

	if (ids->rx_seq == ids->src_active)
		return;
	s = quic_scid_find(ids, ids->rx_seq);
	if (!s)
		return;
	ids->src_active = s->seq;
	c->scid = s->node.cid;
}

/**
 * quic_connid_is_reset - does a datagram end with one of the peer's tokens
 * @sk: the connection
 * @tail: the last QUIC_RESET_TOKEN_LEN bytes of the datagram
 *
 * Return: true for a stateless reset of this connection.
 */
bool quic_connid_is_reset(struct sock *sk, const u8 *tail)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	int i;

	for (i = 0; i < QUIC_DCID_SLOTS; i++) {
		struct quic_dcid *d = &ids->dst[i];

		if (d->has_token &&
		    !crypto_memneq(d->token.token, tail, QUIC_RESET_TOKEN_LEN))
			return true;
	}
	return false;
}

static void quic_connid_event(struct sock *sk, bool dest)
{
	struct quic_connection_id_info info = { .dest = dest };

	quic_connid_get(sk, &info);
	quic_inq_event(sk, QUIC_EVENT_CONNECTION_ID, &info, sizeof(info));
}

/* A RETIRE_CONNECTION_ID to send; false when too many are in progress. */
static bool quic_retire_queue(struct quic_connids *ids, u32 seq)
{
	int i, free = -1;

	for (i = 0; i < QUIC_RETIRE_MAX; i++) {
		if (ids->retire_state[i] == QUIC_RETIRE_FREE) {
			if (free < 0)
				free = i;
		} else if (ids->retire[i] == seq) {
			return true;
		}
	}
	if (free < 0)
		return false;
	ids->retire[free] = seq;
	ids->retire_state[free] = QUIC_RETIRE_PENDING;
	return true;
}

/* Stop using a peer's ID; false when its retirement cannot be tracked. */
static bool quic_dcid_retire(struct quic_connids *ids, struct quic_dcid *d)
{
	d->live = 0;
	d->has_token = 0;
	quic_reset_hash_del(&d->token);
	return quic_retire_queue(ids, d->seq);
}

/* Send to another of the peer's IDs. */
static void quic_dcid_switch(struct sock *sk, struct quic_dcid *d)
{
	struct quic_conn *c = quic_conn(sk);

	c->ids.dst_active = d->seq;
	c->dcid = d->cid;
}

/* The next of the peer's IDs by number, not used yet */
static struct quic_dcid *quic_dcid_next(struct quic_connids *ids)
{
	struct quic_dcid *d, *to = NULL;
	int i;

	for (i = 0; i < QUIC_DCID_SLOTS; i++) {
		d = &ids->dst[i];
		if (d->live && d->seq > ids->dst_active &&
		    (!to || d->seq < to->seq))
			to = d;
	}
	return to;
}

/**
 * quic_connid_next_dest - send to a peer's ID not used yet
 * @sk: the connection
 *
 * For a new path (RFC 9000 section 9.5): the next one by number.  A peer
 * that uses zero-length IDs has none to change.
 *
 * Return: 0, or -EAGAIN when the peer has not given one.
 */
int quic_connid_next_dest(struct sock *sk)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	struct quic_dcid *to;

	if (!quic_conn(sk)->dcid.len)
		return 0;
	quic_dcid_ready(sk);
	to = quic_dcid_next(ids);
	if (!to)
		return -EAGAIN;
	quic_dcid_switch(sk, to);
	return 0;
}

/**
 * quic_connid_spare_dest - whether quic_connid_next_dest() would succeed
 * @sk: the connection
 *
 * Return: true when the peer uses zero-length IDs or gave one not used yet.
 */
bool quic_connid_spare_dest(struct sock *sk)
{
	return !quic_conn(sk)->dcid.len || quic_dcid_next(&quic_conn(sk)->ids);
}

/**
 * quic_connid_preferred - the ID of a server's preferred address
 * @sk: the server's connection, during the handshake
 * @cid: the ID, number 1 (RFC 9000 section 5.1.1)
 *
 * Made on first use; IDs issued later start at number 2.
 *
 * Return: 0, or -EEXIST when no unique ID was found, -EINVAL when IDs
 * were issued already.
 */
int quic_connid_preferred(struct sock *sk, struct quic_cid *cid)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	struct quic_scid *s = &ids->src[1];
	int tries;

	if (!s->node.hashed) {
		if (ids->src_next != 1)
			return -EINVAL;
		for (tries = 0; tries < 3 && !s->node.hashed; tries++) {
			quic_cid_random(&s->node.cid, QUIC_CID_LEN);
			quic_cid_hash_add(&s->node, sk);
		}
		if (!s->node.hashed)
			return -EEXIST;
		s->seq = 1;
		ids->src_next = 2;
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CID_ISSUED);
	} else if (s->seq != 1) {
		return -EINVAL;
	}
	*cid = s->node.cid;
	return 0;
}

/**
 * quic_connid_peer_preferred - the ID of the server's preferred address
 * @sk: the client's connection
 * @cid: the ID (number 1)
 * @len: its length
 * @token: its stateless reset token
 *
 * Return: 0, or -EPROTO for an ID the server uses already.
 */
int quic_connid_peer_preferred(struct sock *sk, const u8 *cid, u8 len,
			       const u8 *token)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_dcid *d = &c->ids.dst[1];

	if (!c->dcid.len || quic_cid_equal(&c->dcid, cid, len))
		return -EPROTO;	/* zero-length IDs cannot change */
	quic_dcid_ready(sk);
	if (d->live)
		return 0;
	quic_cid_set(&d->cid, cid, len);
	d->seq = 1;
	d->live = 1;
	quic_dcid_set_token(sk, d, token);
	return 0;
}

/**
 * quic_connid_use - send to the peer's ID of this number
 * @sk: the connection
 * @seq: the number
 *
 * Return: 0, or -ENOENT when the peer has no such ID live.
 */
int quic_connid_use(struct sock *sk, u32 seq)
{
	struct quic_dcid *d = quic_dcid_find(&quic_conn(sk)->ids, seq);

	if (!d)
		return -ENOENT;
	quic_dcid_switch(sk, d);
	return 0;
}

/**
 * quic_connid_rcv_new - a NEW_CONNECTION_ID frame arrived
 * @sk: the connection
 * @f: the frame (ID length and Retire Prior To checked by the decoder)
 * @errcode: the transport error code on failure
 *
 * Return: 0, or a negative error with *errcode set.
 */
int quic_connid_rcv_new(struct sock *sk, const struct quic_frame *f,
			u64 *errcode)
{
	u32 limit = quic_sk(sk)->local.active_connection_id_limit;
	struct quic_conn *c = quic_conn(sk);
	struct quic_connids *ids = &c->ids;
	struct quic_dcid *d, *slot = NULL;
	bool retired = false, dup = false;
	unsigned int live = 0;
	int i;

	*errcode = QUIC_TRANSPORT_ERROR_PROTOCOL_VIOLATION;
	/* zero-length IDs cannot be changed (section 19.15) */
	if (!c->dcid.len || f->new_cid.seq > QUIC_CID_SEQ_MAX)
		return -EPROTO;
	quic_dcid_ready(sk);
	for (i = 0; i < QUIC_DCID_SLOTS; i++) {
		d = &ids->dst[i];
		if (!d->live) {
			slot = slot ?: d;
			continue;
		}
		/* a repeated frame is fine; a number or an ID reused is not */
		if (quic_cid_equal(&d->cid, f->new_cid.cid, f->new_cid.len)) {
			if (d->seq != f->new_cid.seq)
				return -EPROTO;
			dup = true;
		} else if (d->seq == f->new_cid.seq) {
			return -EPROTO;
		}
	}

	*errcode = QUIC_TRANSPORT_ERROR_CONNECTION_ID_LIMIT;
	if (f->new_cid.seq < ids->dst_prior) {
		/* already retired by an earlier Retire Prior To */
		return quic_retire_queue(ids, f->new_cid.seq) ? 0 : -EPROTO;
	}
	if (f->new_cid.retire_prior_to > ids->dst_prior) {
		ids->dst_prior = f->new_cid.retire_prior_to;
		for (i = 0; i < QUIC_DCID_SLOTS; i++) {
			d = &ids->dst[i];
			if (!d->live || d->seq >= ids->dst_prior)
				continue;
			if (!quic_dcid_retire(ids, d))
				return -EPROTO;
			slot = slot ?: d;
			retired = true;
		}
	}
	if (!dup) {
		for (i = 0; i < QUIC_DCID_SLOTS; i++)
			live += ids->dst[i].live;
		if (!slot || live >= min_t(u32, limit, QUIC_DCID_SLOTS))
			return -EPROTO;
		quic_cid_set(&slot->cid, f->new_cid.cid, f->new_cid.len);
		slot->seq = f->new_cid.seq;
		slot->live = 1;
		quic_dcid_set_token(sk, slot, f->new_cid.token);
		/* a migration may wait for it (quic_path_migrate()) */
		quic_sock_wake(sk);
	}

	if (!quic_dcid_find(ids, ids->dst_active))
		quic_dcid_switch(sk, quic_dcid_lowest(ids));
	if (retired)
		quic_connid_event(sk, true);
	return 0;
}

/**
 * quic_connid_rcv_retire - a RETIRE_CONNECTION_ID frame arrived
 * @sk: the connection
 * @f: the frame
 * @errcode: the transport error code on failure
 *
 * The ID leaves the table and another is issued in its place.
 *
 * Return: 0, or a negative error with *errcode set.
 */
int quic_connid_rcv_retire(struct sock *sk, const struct quic_frame *f,
			   u64 *errcode)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_connids *ids = &c->ids;
	u64 seq = f->limit.value;
	struct quic_scid *s;

	/* never issued, or the ID this very packet was sent to */
	if (seq >= ids->src_next || seq == ids->rx_seq) {
		*errcode = QUIC_TRANSPORT_ERROR_PROTOCOL_VIOLATION;
		return -EPROTO;
	}
	s = quic_scid_find(ids, seq);
	if (!s)
		return 0;		/* retired before */
	quic_cid_hash_del(&s->node);
	s->pending = 0;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_CID_RETIRED);
	quic_scid_top_up(sk);
	if (seq == ids->src_active) {
		s = quic_scid_lowest(ids);
		if (s) {
			ids->src_active = s->seq;
			c->scid = s->node.cid;
		}
	}
	quic_connid_event(sk, false);
	return 0;
}

/**
 * quic_connid_wants - NEW_CONNECTION_ID or RETIRE_CONNECTION_ID to send
 * @sk: the connection
 *
 * Return: true when quic_connid_next() has a frame.
 */
bool quic_connid_wants(struct sock *sk)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	int i;

	for (i = 0; i < QUIC_SCID_SLOTS; i++)
		if (ids->src[i].pending)
			return true;
	for (i = 0; i < QUIC_RETIRE_MAX; i++)
		if (ids->retire_state[i] == QUIC_RETIRE_PENDING)
			return true;
	return false;
}

/**
 * quic_connid_next - the next connection ID frame to send
 * @sk: the connection
 * @f: filled with the frame
 * @type: QUIC_SF_NEW_CID or QUIC_SF_RETIRE_CID, for the sent record
 *
 * Once the frame is in a packet, quic_connid_sent() marks it sent.
 *
 * Return: false when there is none.
 */
bool quic_connid_next(struct sock *sk, struct quic_frame *f, u8 *type)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < QUIC_SCID_SLOTS; i++) {
		struct quic_scid *s = &ids->src[i];

		if (!s->pending)
			continue;
		f->type = QUIC_FRAME_NEW_CONNECTION_ID;
		f->new_cid.seq = s->seq;
		f->new_cid.retire_prior_to = ids->src_prior;
		f->new_cid.len = s->node.cid.len;
		memcpy(f->new_cid.cid, s->node.cid.data, s->node.cid.len);
		quic_reset_token(sock_net(sk), s->node.cid.data,
				 s->node.cid.len, f->new_cid.token);
		*type = QUIC_SF_NEW_CID;
		return true;
	}
	for (i = 0; i < QUIC_RETIRE_MAX; i++) {
		if (ids->retire_state[i] != QUIC_RETIRE_PENDING)
			continue;
		f->type = QUIC_FRAME_RETIRE_CONNECTION_ID;
		f->limit.value = ids->retire[i];
		*type = QUIC_SF_RETIRE_CID;
		return true;
	}
	return false;
}

static int quic_retire_find(struct quic_connids *ids, u32 seq)
{
	int i;

	for (i = 0; i < QUIC_RETIRE_MAX; i++)
		if (ids->retire_state[i] != QUIC_RETIRE_FREE &&
		    ids->retire[i] == seq)
			return i;
	return -1;
}

/**
 * quic_connid_sent - a frame from quic_connid_next() went into a packet
 * @sk: the connection
 * @type: its QUIC_SF_ type
 * @seq: the sequence number it carried
 */
void quic_connid_sent(struct sock *sk, u8 type, u32 seq)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	struct quic_scid *s;
	int i;

	if (type == QUIC_SF_NEW_CID) {
		s = quic_scid_find(ids, seq);
		if (s)
			s->pending = 0;
		return;
	}
	i = quic_retire_find(ids, seq);
	if (i >= 0)
		ids->retire_state[i] = QUIC_RETIRE_INFLIGHT;
}

/**
 * quic_connid_lost - a packet with a connection ID frame was lost
 * @sk: the connection
 * @type: the frame's QUIC_SF_ type
 * @seq: its sequence number
 *
 * Sent again unless the ID was retired since.
 */
void quic_connid_lost(struct sock *sk, u8 type, u32 seq)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	struct quic_scid *s;
	int i;

	if (type == QUIC_SF_NEW_CID) {
		s = quic_scid_find(ids, seq);
		if (s && quic_scid_live(ids, s))
			s->pending = 1;
		return;
	}
	i = quic_retire_find(ids, seq);
	if (i >= 0)
		ids->retire_state[i] = QUIC_RETIRE_PENDING;
}

/**
 * quic_connid_acked - a packet with a connection ID frame was acknowledged
 * @sk: the connection
 * @type: the frame's QUIC_SF_ type
 * @seq: its sequence number
 */
void quic_connid_acked(struct sock *sk, u8 type, u32 seq)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	int i;

	if (type != QUIC_SF_RETIRE_CID)
		return;
	i = quic_retire_find(ids, seq);
	if (i >= 0)
		ids->retire_state[i] = QUIC_RETIRE_FREE;
}

/**
 * quic_connid_get - QUIC_SOCKOPT_CONNECTION_ID and the CONNECTION_ID event
 * @sk: the connection
 * @info: info->dest chooses the peer's IDs or ours; active (the ID in
 *	use: ours that the peer addressed last, the peer's we send to) and
 *	prior_to (the lowest number not retired) are filled
 *
 * Return: 0.
 */
int quic_connid_get(struct sock *sk, struct quic_connection_id_info *info)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;

	if (info->dest) {
		struct quic_dcid *d;

		quic_dcid_ready(sk);
		d = quic_dcid_lowest(ids);
		info->active = ids->dst_active;
		info->prior_to = d ? d->seq : ids->dst_prior;
	} else {
		struct quic_scid *s = quic_scid_lowest(ids);

		info->active = ids->src_active;
		info->prior_to = s ? s->seq : ids->src_prior;
	}
	return 0;
}

/* The user retires the peer's IDs below @prior_to and sends to @active. */
static int quic_connid_set_dest(struct sock *sk, u32 active, u32 prior_to)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	unsigned int retiring = 0, pending = 0;
	struct quic_dcid *d, *to = NULL;
	int i;

	quic_dcid_ready(sk);
	if (active >= prior_to) {
		to = quic_dcid_find(ids, active);
		if (!to)
			return -EINVAL;
	} else {
		/* the lowest that stays */
		for (i = 0; i < QUIC_DCID_SLOTS; i++) {
			d = &ids->dst[i];
			if (d->live && d->seq >= prior_to &&
			    (!to || d->seq < to->seq))
				to = d;
		}
		if (!to)
			return -EINVAL;	/* that would leave none */
	}
	for (i = 0; i < QUIC_DCID_SLOTS; i++)
		retiring += ids->dst[i].live && ids->dst[i].seq < prior_to;
	for (i = 0; i < QUIC_RETIRE_MAX; i++)
		pending += ids->retire_state[i] != QUIC_RETIRE_FREE;
	if (pending + retiring > QUIC_RETIRE_MAX)
		return -EBUSY;		/* wait for acknowledgments */

	for (i = 0; i < QUIC_DCID_SLOTS; i++) {
		d = &ids->dst[i];
		if (d->live && d->seq < prior_to)
			quic_dcid_retire(ids, d);
	}
	/* what the peer sends below it from now on is retired at once */
	ids->dst_prior = max(ids->dst_prior, prior_to);
	quic_dcid_switch(sk, to);
	return 0;
}

/* The user asks the peer to retire our IDs below @prior_to. */
static int quic_connid_set_source(struct sock *sk, u32 active, u32 prior_to)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_connids *ids = &c->ids;
	unsigned int free = 0;
	struct quic_scid *s;
	int i;

	if (prior_to > ids->src_next)
		return -EINVAL;
	if (prior_to > ids->src_prior) {
		/* room for at least one new ID when all go */
		for (i = 0; i < QUIC_SCID_SLOTS; i++)
			free += !ids->src[i].node.hashed;
		if (!free && prior_to == ids->src_next)
			return -EBUSY;
	}
	if (active >= prior_to) {
		s = quic_scid_find(ids, active);
		if (!s)
			return -EINVAL;
	}
	if (prior_to > ids->src_prior) {
		ids->src_prior = prior_to;
		for (i = 0; i < QUIC_SCID_SLOTS; i++) {
			s = &ids->src[i];
			s->pending &= quic_scid_live(ids, s);
		}
		quic_scid_top_up(sk);
		/* the new IDs carry Retire Prior To; resend the others' */
		for (i = 0; i < QUIC_SCID_SLOTS; i++)
			if (quic_scid_live(ids, &ids->src[i]))
				ids->src[i].pending = 1;
	}
	s = active >= prior_to ? quic_scid_find(ids, active) :
				 quic_scid_lowest(ids);
	if (s) {
		ids->src_active = s->seq;
		c->scid = s->node.cid;
	}
	return 0;
}

/**
 * quic_connid_set - QUIC_SOCKOPT_CONNECTION_ID
 * @sk: the connection, established
 * @info: for the peer's IDs (dest), the one to send to and the number
 *	below which they are retired; for ours, the number below which the
 *	peer is asked to retire them.  An @active below @prior_to picks the
 *	lowest ID that stays.
 *
 * Return: 0, -EINVAL for unknown IDs or a @prior_to going back, -EBUSY
 * while earlier retirements are in progress.
 */
int quic_connid_set(struct sock *sk,
		    const struct quic_connection_id_info *info)
{
	struct quic_connids *ids = &quic_conn(sk)->ids;
	int err;

	if (!ids->started)
		return -ENOTCONN;
	if (info->dest) {
		if (!quic_conn(sk)->dcid.len ||
		    info->prior_to < ids->dst_prior)
			return -EINVAL;
		err = quic_connid_set_dest(sk, info->active, info->prior_to);
	} else {
		if (info->prior_to < ids->src_prior)
			return -EINVAL;
		err = quic_connid_set_source(sk, info->active, info->prior_to);
	}
	if (err)
		return err;
	quic_packet_flush_bh(sk);
	return 0;
}
