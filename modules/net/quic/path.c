// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Paths (RFC 9000 sections 8.2 and 9).
 *
 * One path is in use: our tunnel socket (quic_sock->udp) and the peer's
 * address (conn->peer).  A second one may be under validation:
 *
 * - the peer moved (or a NAT rebound it): a server that receives the
 *   largest packet number so far from a new address, in a packet that is
 *   not only probing, sends to that address from then on, limited to three
 *   times what it received there until a PATH_CHALLENGE is answered, and
 *   goes back to the old address if it never is (while the peer keeps
 *   sending from the new one, a few rounds of validation first);
 * - we move (QUIC_SOCKOPT_CONNECTION_MIGRATION on a client): a tunnel
 *   socket for the new local address sends PATH_CHALLENGE to the peer,
 *   with another of the peer's connection IDs; its PATH_RESPONSE makes
 *   that socket the one in use.  From the second challenge on, a PING
 *   goes with it: a peer that answers challenges only on the path it
 *   sends on (as some do, against section 8.2.2) moves there on that
 *   non-probing packet (section 9.2) and answers.
 *
 * A PATH_CHALLENGE from the peer is answered on the path it came by.
 * Path frames go in datagrams of their own, padded to 1200 bytes.  Both
 * ends report a completed migration with the CONNECTION_MIGRATION event.
 */

#include <linux/random.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "compat.h"
#include "inqueue.h"
#include "mib.h"
#include "outqueue.h"
#include "packet.h"
#include "socket.h"

#define QUIC_PATH_TIMEOUT_MIN	(3 * HZ)	/* 3 PTO, at least */
#define QUIC_PATH_ROUNDS	4		/* while the peer speaks there */

/**
 * quic_path_free - drop a path under validation
 * @sk: the connection
 */
void quic_path_free(struct sock *sk)
{
	struct quic_path *p = &quic_conn(sk)->path;

	sk_stop_timer_sync(sk, &p->timer);
	if (p->udp) {
		quic_udp_sock_put(p->udp);
		p->udp = NULL;
	}
	p->active = 0;
}

/* The peer's address as getpeername() reports it. */
static void quic_path_set_peer(struct sock *sk, const union quic_addr *a)
{
	quic_conn(sk)->peer = *a;
	quic_addr_to_sock(sk, a, true);
	inet_sk(sk)->inet_dport = a->v4.sin_port;
}

static void quic_path_event(struct sock *sk, bool local)
{
	u8 ev = local;

	quic_inq_event(sk, QUIC_EVENT_CONNECTION_MIGRATION, &ev, sizeof(ev));
}

/* One round of validation: PATH_CHALLENGE now and every PTO until the
 * deadline (RFC 9000 section 8.2.4).
 */
static void quic_path_round(struct sock *sk)
{
	struct quic_path *p = &quic_conn(sk)->path;
	unsigned long timeout = max(3 * quic_conn_pto(sk),
				    (unsigned long)QUIC_PATH_TIMEOUT_MIN);

	p->peer_seen = 0;
	p->challenge_pending = 1;
	p->challenge_ping = 0;
	p->expires = jiffies + timeout;
	sk_reset_timer(sk, &p->timer, jiffies + quic_conn_pto(sk));
}

static void quic_path_start(struct sock *sk)
{
	struct quic_path *p = &quic_conn(sk)->path;

	get_random_bytes(p->data, sizeof(p->data));
	p->active = 1;
	p->rounds = 0;
	quic_path_round(sk);
}

/**
 * quic_path_is_alt - did a datagram come by our new socket
 * @sk: the connection
 * @skb: the datagram
 *
 * Return: true when it reached the socket we are moving to.
 */
bool quic_path_is_alt(struct sock *sk, struct sk_buff *skb)
{
	struct quic_path *p = &quic_conn(sk)->path;

	return p->udp && QUIC_SKB_CB(skb)->udp == p->udp;
}

/* A server's datagram that reached its preferred address, not used yet. */
static bool quic_path_is_pref(struct sock *sk, struct sk_buff *skb)
{
	struct quic_sock *qs = quic_sk(sk);

	return qs->pref_udp && qs->pref_udp != qs->udp &&
	       QUIC_SKB_CB(skb)->udp == qs->pref_udp;
}

/**
 * quic_path_rcv_challenge - a PATH_CHALLENGE frame arrived
 * @sk: the connection
 * @skb: the datagram that carried it
 * @f: the frame
 *
 * Answered on the path it came by (the last one wins).  From an address
 * other than the peer's, or to another of our addresses, the challenge
 * may be forged with anyone's source address: the answer is at most
 * three times the datagram that carried it (RFC 9000 sections 8.2.2 and
 * 9.3), not padded to 1200 bytes beyond that.
 */
void quic_path_rcv_challenge(struct sock *sk, struct sk_buff *skb,
			     const struct quic_frame *f)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_path *p = &c->path;

	memcpy(p->response, f->path, sizeof(p->response));
	p->response_to = QUIC_SKB_CB(skb)->peer;
	p->response_alt = quic_path_is_alt(sk, skb);
	p->response_pref = quic_path_is_pref(sk, skb);
	p->response_room = 0;
	if (p->response_alt || p->response_pref ||
	    !quic_addr_equal(&p->response_to, &c->peer))
		p->response_room = min_t(u32, 3 * QUIC_SKB_CB(skb)->len,
					 U16_MAX);
	p->response_pending = 1;
}

/* Congestion state, path MTU and ECN start over on another network
 * (RFC 9000 section 9.4); bytes in flight still count.
 */
static void quic_path_new_network(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	u32 inflight = c->cong.inflight;

	quic_cong_init(&c->cong, quic_sk(sk)->config.initial_smoothed_rtt,
		       c->cong.algo);
	c->cong.inflight = inflight;
	quic_pmtu_reset(sk);
	c->ecn_state = QUIC_ECN_TESTING;	/* per path */
	c->ecn_lost = 0;
}

/* Send from @us (its reference passes to the socket) from now on. */
static void quic_path_set_local(struct sock *sk, struct quic_udp_sock *us)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_udp_sock *old = qs->udp;
	const union quic_addr *a = &us->addr;

	qs->udp = us;
	if (!quic_addr_any(a))
		quic_addr_to_sock(sk, a, false);
	inet_sk(sk)->inet_sport = a->v4.sin_port;
	inet_sk(sk)->inet_num = ntohs(a->v4.sin_port);
	if (!quic_addr_same_host(a, &old->addr))
		quic_path_new_network(sk);
	quic_udp_sock_put(old);
}

/* Our new socket is validated: it becomes the one in use. */
static void quic_path_switch_local(struct sock *sk)
{
	struct quic_path *p = &quic_conn(sk)->path;

	quic_path_set_local(sk, p->udp);
	p->udp = NULL;
}

/**
 * quic_path_rcv_response - a PATH_RESPONSE frame arrived
 * @sk: the connection
 * @f: the frame
 *
 * One that echoes our challenge validates the path (on whatever path it
 * came, RFC 9000 section 8.2.3).
 */
void quic_path_rcv_response(struct sock *sk, const struct quic_frame *f)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_path *p = &c->path;

	if (!p->active || memcmp(p->data, f->path, sizeof(p->data)))
		return;
	p->active = 0;
	p->challenge_pending = 0;
	sk_stop_timer(sk, &p->timer);
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PATH_VALIDATED);
	if (p->local) {
		quic_path_switch_local(sk);
		quic_path_event(sk, true);
		return;
	}
	if (p->to_pref) {
		/* the server's preferred address answered: move there */
		p->to_pref = 0;
		if (!quic_addr_same_host(&p->peer, &c->peer))
			quic_path_new_network(sk);
		quic_path_set_peer(sk, &p->peer);
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PREFERRED_ADDR);
		quic_path_event(sk, true);
		return;
	}
	c->addr_validated = 1;
	quic_path_event(sk, false);
}

/* Server: the client's packet with the largest packet number so far came
 * from @from, in a datagram of @len bytes: send there, within three times
 * what it sends until it answers a PATH_CHALLENGE (section 9.3).
 */
static void quic_path_follow(struct sock *sk, const union quic_addr *from,
			     u32 len)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_path *p = &c->path;

	if (!p->active)
		p->old_peer = c->peer;	/* the last validated address */
	if (!quic_addr_same_host(from, &c->peer))
		quic_path_new_network(sk);
	quic_path_set_peer(sk, from);
	p->peer = *from;
	p->local = 0;
	c->addr_validated = 0;		/* three times what it sends */
	c->bytes_rx = len;
	c->bytes_tx = 0;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PEER_MIGRATED);
	quic_path_start(sk);
}

/**
 * quic_path_rcv - a 1-RTT packet was processed
 * @sk: the connection
 * @skb: its datagram
 * @largest: it has the largest packet number received so far
 * @probing: it carried only probing frames (RFC 9000 section 9.1)
 *
 * A server follows a client that moved (section 9.3).  A NAT may rebind
 * the client before the server has confirmed the handshake (the client
 * confirms it first, or did not move itself): the server then follows
 * once it has (section 9 allows a server to accept such a move).
 */
void quic_path_rcv(struct sock *sk, struct sk_buff *skb, bool largest,
		   bool probing)
{
	const union quic_addr *from = &QUIC_SKB_CB(skb)->peer;
	struct quic_conn *c = quic_conn(sk);
	struct quic_path *p = &c->path;

	if (largest && !probing && c->hs_confirmed &&
	    quic_path_is_pref(sk, skb)) {
		/* the client moved to our preferred address (section 9.6) */
		refcount_inc(&quic_sk(sk)->pref_udp->refcnt);
		quic_path_set_local(sk, quic_sk(sk)->pref_udp);
		QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PREFERRED_ADDR);
		quic_path_event(sk, false);
	}
	if (p->active && !p->local && !p->to_pref && !probing &&
	    quic_addr_equal(from, &p->peer))
		p->peer_seen = 1;
	if (probing || !largest || !c->is_serv)
		return;
	if (quic_addr_equal(from, &c->peer)) {
		p->early_move = 0;	/* (back) where it was */
		return;
	}
	if (!c->hs_confirmed) {
		/* no validation runs before: p->peer is free */
		p->peer = *from;
		p->early_len = min_t(u32, skb->len, U16_MAX);
		p->early_move = 1;
		return;
	}
	if (sk->sk_state == TCP_ESTABLISHED)
		quic_path_follow(sk, from, skb->len);
}

/**
 * quic_path_confirmed - a server confirmed the handshake
 * @sk: the connection
 *
 * Follows a client that moved before (see quic_path_rcv()).
 */
void quic_path_confirmed(struct sock *sk)
{
	struct quic_path *p = &quic_conn(sk)->path;
	union quic_addr to = p->peer;

	if (!p->early_move)
		return;
	p->early_move = 0;
	quic_path_follow(sk, &to, p->early_len);
}

/* Bytes a server may send to a client address not validated yet: three
 * times what came from there (RFC 9000 section 8).
 */
static unsigned int quic_path_room(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	u64 limit = 3 * c->bytes_rx;

	if (!c->is_serv || c->addr_validated)
		return QUIC_MAX_DATAGRAM;
	return limit > c->bytes_tx ? min_t(u64, limit - c->bytes_tx,
					   QUIC_MAX_DATAGRAM) : 0;
}

/* Client: validate the server's preferred address with the ID that came
 * with it (RFC 9000 section 9.6.1); until it answers, the old address
 * stays in use.
 */
static void quic_path_pref_start(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_path *p = &c->path;

	p->pref_pending = 0;
	if (sk->sk_state != TCP_ESTABLISHED || quic_connid_use(sk, 1))
		return;
	p->peer = p->pref;
	p->local = 0;
	p->to_pref = 1;
	quic_path_start(sk);
}

/* The smallest 1-RTT packet with a path frame, about */
#define QUIC_PATH_PKT_MIN	(1 + QUIC_CID_MAX_LEN + 4 + 9 + QUIC_TAG_LEN)

/**
 * quic_path_flush - send the path frames due
 * @sk: the connection
 *
 * Context: socket lock or bh lock held.
 */
void quic_path_flush(struct sock *sk)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_path *p = &qs->conn.path;
	struct quic_frame f = {};

	unsigned int room = quic_path_room(sk);
	struct quic_udp_sock *us;

	if (unlikely(p->pref_pending) && qs->conn.hs_confirmed && !p->active)
		quic_path_pref_start(sk);
	if (p->response_pending && p->response_room &&
	    p->response_room < room)
		room = p->response_room;
	if (p->response_pending && room >= QUIC_PATH_PKT_MIN) {
		f.type = QUIC_FRAME_PATH_RESPONSE;
		memcpy(f.path, p->response, sizeof(f.path));
		us = p->response_pref ? qs->pref_udp :
		     p->response_alt ? p->udp : qs->udp;
		if (us)
			quic_packet_path_xmit(sk, &f, us, &p->response_to,
					      room, false);
		p->response_pending = 0;
	}
	room = quic_path_room(sk);
	/* too little room: the timer tries again */
	if (p->challenge_pending && p->active && room >= QUIC_PATH_PKT_MIN) {
		f.type = QUIC_FRAME_PATH_CHALLENGE;
		memcpy(f.path, p->data, sizeof(f.path));
		quic_packet_path_xmit(sk, &f, p->local ? p->udp : qs->udp,
				      &p->peer, room,
				      p->local && p->challenge_ping);
		p->challenge_pending = 0;
	}
}

/* No answer yet: challenge again, or give up at the deadline.  A peer
 * that moved and keeps sending from its new address gets a few more
 * rounds: going back to an address a NAT rebinding closed would leave
 * the connection nowhere to send (an attacker's copied packet, section
 * 9.3.2, is not followed by more of them, and the peer's own packets
 * from its old address move us back).
 */
void quic_path_timeout(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_path *p = &c->path;

	if (!p->active)
		return;
	if (time_before(jiffies, p->expires)) {
		p->challenge_pending = 1;
		p->challenge_ping = 1;
		quic_packet_flush(sk);
		sk_reset_timer(sk, &p->timer, jiffies + quic_conn_pto(sk));
		return;
	}
	if (!p->local && !p->to_pref && p->peer_seen &&
	    ++p->rounds < QUIC_PATH_ROUNDS) {
		quic_path_round(sk);
		quic_packet_flush(sk);
		return;
	}
	p->active = 0;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_PATH_FAILED);
	if (p->to_pref) {
		p->to_pref = 0;		/* stay where we are */
		return;
	}
	if (p->local) {
		quic_udp_sock_put(p->udp);
		p->udp = NULL;
		return;
	}
	/* the peer is not there: back to where it was (section 9.3.2) */
	quic_path_set_peer(sk, &p->old_peer);
	c->addr_validated = 1;
}

/* A move needs the handshake confirmed (HANDSHAKE_DONE) and a spare
 * connection ID of the peer's (NEW_CONNECTION_ID): both may still be in
 * flight when a program asks, right after its handshake.
 */
#define QUIC_PATH_MOVE_WAIT_MS	3000

static bool quic_path_can_move(struct sock *sk)
{
	return sk->sk_err || !quic_conn_active(sk) ||
	       (quic_conn(sk)->hs_confirmed && quic_connid_spare_dest(sk));
}

static int quic_path_wait_move(struct sock *sk)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	long timeo = msecs_to_jiffies(QUIC_PATH_MOVE_WAIT_MS);

	if (sk->sk_sndtimeo < timeo)
		timeo = sk->sk_sndtimeo;
	add_wait_queue(sk_sleep(sk), &wait);
	while (!quic_path_can_move(sk) && timeo) {
		if (signal_pending(current))
			break;
		sk_wait_event(sk, &timeo, quic_path_can_move(sk), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return signal_pending(current) && !quic_path_can_move(sk) ?
	       sock_intr_errno(timeo) : 0;
}

/**
 * quic_path_migrate - QUIC_SOCKOPT_CONNECTION_MIGRATION: move to a new
 * local address
 * @sk: the client's connection, locked by the caller
 * @a: the address (port 0 for any)
 *
 * Waits, up to 3 s (or the socket's send timeout when shorter), for the
 * handshake to be confirmed and for a spare connection ID of the peer's.
 *
 * Context: process, may sleep; the socket lock is dropped while waiting
 * and binding.
 * Return: 0 once the new path is being validated; -ENOTCONN, -EAGAIN
 * when the handshake was not confirmed or the peer gave no spare
 * connection ID within that time, -EPERM when the peer disabled active
 * migration, -EALREADY while a validation is in progress, -EOPNOTSUPP on
 * a server, -EINTR, or the error of binding the address.
 */
int quic_path_migrate(struct sock *sk, const union quic_addr *a)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_conn *c = &qs->conn;
	struct quic_path *p = &c->path;
	union quic_addr addr = *a;
	struct quic_udp_sock *us;
	int err;

	if (sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	if (c->is_serv)
		return -EOPNOTSUPP;	/* servers do not move */
	if (addr.sa.sa_family != c->peer.sa.sa_family)
		return -EAFNOSUPPORT;	/* IPv4 on an AF_INET6 socket too */
	if (qs->remote.disable_active_migration)
		return -EPERM;
	err = quic_path_wait_move(sk);
	if (err)
		return err;
	if (sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	if (!c->hs_confirmed || !quic_connid_spare_dest(sk))
		return -EAGAIN;
	if (p->active)
		return -EALREADY;
	/* binding may wait for the module's work items, which may want the
	 * socket: not under its lock
	 */
	release_sock(sk);
	us = quic_sock_udp_get(sk, &addr);
	lock_sock(sk);
	if (IS_ERR(us))
		return PTR_ERR(us);
	if (sk->sk_state != TCP_ESTABLISHED || p->active || us == qs->udp) {
		err = sk->sk_state != TCP_ESTABLISHED ? -ENOTCONN :
		      p->active ? -EALREADY : -EINVAL;
		quic_udp_sock_put(us);
		return err;
	}
	/* a new path, a new connection ID (RFC 9000 section 9.5) */
	err = quic_connid_next_dest(sk);
	if (err) {
		quic_udp_sock_put(us);
		return err;
	}
	p->udp = us;
	p->local = 1;
	p->peer = c->peer;
	quic_path_start(sk);
	quic_packet_flush_bh(sk);
	return 0;
}

/**
 * quic_path_set_preferred - QUIC_SOCKOPT_CONNECTION_MIGRATION before
 * listen(), on a listener or on an accepted socket before its handshake:
 * the server's preferred address
 * @sk: the socket, locked by the caller
 * @a: the address: of the socket's family, not a wildcard (port 0 for
 *	any, written back)
 *
 * Connections accepted later offer it in the preferred_address transport
 * parameter (RFC 9000 section 9.6) and take clients that move there.
 *
 * Context: process, may sleep; the socket lock is dropped while binding.
 * Return: 0, -EAFNOSUPPORT, -EINVAL for a wildcard or the bound address,
 * -EISCONN on a connection, or the error of binding the address.
 */
int quic_path_set_preferred(struct sock *sk, const union quic_addr *a)
{
	struct quic_sock *qs = quic_sk(sk);
	union quic_addr addr = *a;
	struct quic_udp_sock *us;

	if (addr.sa.sa_family != sk->sk_family)
		return -EAFNOSUPPORT;
	if (!quic_addr_unicast(&addr))
		return -EINVAL;
	release_sock(sk);
	us = quic_sock_udp_get(sk, &addr);
	lock_sock(sk);
	if (IS_ERR(us))
		return PTR_ERR(us);
	if (!((1 << sk->sk_state) &
	      (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_RECV)) || us == qs->udp) {
		quic_udp_sock_put(us);
		return us == qs->udp ? -EINVAL : -EISCONN;
	}
	if (qs->pref_udp)
		quic_udp_sock_put(qs->pref_udp);
	qs->pref_udp = us;
	return 0;
}

/**
 * quic_path_preferred_param - the server's preferred_address parameter
 * @sk: the server's connection
 * @pa: filled in: the address of its family, the other left zero
 *
 * Return: 0, or a negative error when no ID could be made for it.
 */
int quic_path_preferred_param(struct sock *sk,
			      struct quic_preferred_address *pa)
{
	const union quic_addr *a = &quic_sk(sk)->pref_udp->addr;
	struct quic_cid cid;
	int err;

	err = quic_connid_preferred(sk, &cid);
	if (err)
		return err;
	memset(pa, 0, sizeof(*pa));
	quic_addr_to_pref(a, pa);
	pa->cid_len = cid.len;
	memcpy(pa->cid, cid.data, cid.len);
	quic_reset_token(sock_net(sk), cid.data, cid.len, pa->token);
	return 0;
}

/**
 * quic_path_peer_preferred - the server offered a preferred address
 * @sk: the client's connection
 * @pa: the parameter
 *
 * Kept when it has an address of the connection's family: the client
 * moves there once the handshake is confirmed.
 */
void quic_path_peer_preferred(struct sock *sk,
			      const struct quic_preferred_address *pa)
{
	struct quic_path *p = &quic_conn(sk)->path;
	union quic_addr a;

	/* the address of the family the connection uses */
	if (!quic_addr_from_pref(pa, quic_conn(sk)->peer.sa.sa_family, &a))
		return;
	if (quic_addr_equal(&a, &quic_conn(sk)->peer) ||
	    quic_connid_peer_preferred(sk, pa->cid, pa->cid_len, pa->token))
		return;
	p->pref = a;
	p->pref_pending = 1;
}
