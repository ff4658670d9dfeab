// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Version negotiation (RFC 9368): compatible, between QUIC v1 and v2
 * (RFC 9369 section 4), and incompatible, for a client configured with a
 * version this module does not speak.
 *
 * The client starts in its configured version (the original version) and
 * lists both in its version_information transport parameter, version 2
 * first as the one it prefers.  A server
 * configured with version 2 moves a version 1 client that offers it to
 * version 2; servers never move clients down.  Its first packets are
 * already in the negotiated version, protected with that version's Initial
 * keys for the client's Destination Connection ID.  The server only learns
 * what the client offers once TLS has read the ClientHello and handed the
 * transport parameters down, so until then a connection that may switch
 * sends nothing, not even an acknowledgment in the original version.
 *
 * The client derives the other version's Initial keys at connect() (and
 * again after a Retry), in process context, and takes the version of the
 * first server Initial it decrypts.  Both ends check the peer's
 * version_information against the versions the packets used (RFC 9368
 * section 4), which TLS authenticates.
 *
 * A client configured with another version (a reserved one, RFC 9000
 * section 6.3, to provoke Version Negotiation) sends a probe in it before
 * its first flight: a datagram of 1200 bytes with the long header's
 * invariant fields (RFC 8999).  The server's Version Negotiation lists
 * what it speaks; the client picks v2 or v1 from it and makes its
 * connection attempt in that version, with a ClientHello whose
 * version_information names it, as RFC 9368 section 2.1 wants of a new
 * attempt.  That ClientHello does not exist yet: the probe is sent, and
 * its answer awaited, when TLS asks for the transport parameters (or the
 * first handshake message is sent), so the TLS library needs to know
 * nothing of it.  A Version Negotiation that answers a real first flight
 * (in v1 or v2) still ends the attempt: a new one would need a new
 * ClientHello, which the TLS library has already built.
 */

#include <linux/slab.h>
#include <net/sock.h>

#include "mib.h"
#include "packet.h"
#include "socket.h"
#include "tparam.h"
#include "version.h"

static u32 quic_version_other(u32 version)
{
	return version == QUIC_VERSION_V1 ? QUIC_VERSION_V2 : QUIC_VERSION_V1;
}

static bool quic_version_compatible(const struct sock *sk)
{
	return !quic_sk(sk)->local.disable_compatible_version;
}

/**
 * quic_version_client_keys - Initial keys of the version not in use
 * @sk: a client connection, owned by the caller
 *
 * For the current Destination Connection ID; called at connect() and after
 * a Retry changed that ID.  Context: process, may sleep.
 *
 * Return: 0 or a negative error.
 */
int quic_version_client_keys(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_crypto *cr = c->initial_alt;

	if (c->is_serv || c->dcid_final || !quic_version_compatible(sk))
		return 0;
	if (!cr) {
		cr = kzalloc(sizeof(*cr), GFP_KERNEL);
		if (!cr)
			return -ENOMEM;
		quic_crypto_init(cr);
		c->initial_alt = cr;
	}
	return quic_crypto_initial_keys(cr, c->dcid.data, c->dcid.len,
					quic_version_other(c->version), false);
}

/**
 * quic_version_rx_keys - keys for a packet in a version not in use
 * @sk: the connection
 * @h: the packet's long header
 *
 * Return: the other version's Initial keys when @h is a server's first
 * Initial in that version, else NULL (the packet is dropped).
 */
struct quic_crypto *quic_version_rx_keys(struct sock *sk,
					 const struct quic_hdr *h)
{
	struct quic_conn *c = quic_conn(sk);

	if (c->is_serv || c->dcid_final || h->type != QUIC_PACKET_INITIAL ||
	    !c->initial_alt || h->version != quic_version_other(c->version))
		return NULL;
	return c->initial_alt;
}

/**
 * quic_version_client_switch - the server chose the other version
 * @sk: a client connection
 *
 * Called once a server Initial decrypted with quic_version_rx_keys()'s
 * keys.  The keys of the original version are kept, out of use, until
 * quic_version_release(): this may run in softirq context.
 */
void quic_version_client_switch(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	swap(c->crypto[QUIC_CRYPTO_INITIAL], c->initial_alt);
	c->version = quic_version_other(c->version);
	quic_sk(sk)->config.version = c->version;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_VERSION_UPGRADED);
}

/**
 * quic_version_release - free the other version's Initial keys
 * @sk: the connection, owned by the caller
 *
 * Once the server's first Initial settled the version.  Context: process.
 */
void quic_version_release(struct sock *sk)
{
	struct quic_conn *c = quic_conn(sk);

	if (!c->initial_alt || (!c->is_serv && !c->dcid_final))
		return;
	quic_crypto_free(c->initial_alt);
	kfree(c->initial_alt);
	c->initial_alt = NULL;
}

/**
 * quic_version_server_init - version state of a new server connection
 * @sk: the connection, cloned from its listener
 * @version: the version of the client's first Initial
 *
 * A listener configured with version 2 upgrades version 1 clients; one
 * configured with version 1 keeps the client's version.
 */
void quic_version_server_init(struct sock *sk, u32 version)
{
	struct quic_conn *c = quic_conn(sk);
	struct quic_sock *qs = quic_sk(sk);

	c->version = version;
	c->orig_version = version;
	if (quic_version_compatible(sk) && version == QUIC_VERSION_V1 &&
	    qs->config.version == QUIC_VERSION_V2)
		c->vn_target = QUIC_VERSION_V2;
	qs->config.version = version;
}

/**
 * quic_version_local_params - our version_information transport parameter
 * @sk: the connection
 * @tp: the parameters being built
 */
void quic_version_local_params(struct sock *sk, struct quic_tparams *tp)
{
	struct quic_conn *c = quic_conn(sk);

	tp->present |= QUIC_TP_BIT(QUIC_TP_VERSION_INFORMATION);
	tp->chosen_version = c->version;
	tp->available_versions[0] = c->version;
	tp->navailable = 1;
	if (!quic_version_compatible(sk))
		return;
	/* a client lists them by preference (RFC 9368 section 5): v2
	 * first, whatever its first Initial used
	 */
	tp->available_versions[tp->navailable++] =
		quic_version_other(c->version);
	if (!c->is_serv) {
		tp->available_versions[0] = QUIC_VERSION_V2;
		tp->available_versions[1] = QUIC_VERSION_V1;
	}
}

static bool quic_version_listed(const struct quic_tparams *tp, u32 version)
{
	unsigned int i;

	for (i = 0; i < tp->navailable; i++)
		if (tp->available_versions[i] == version)
			return true;
	return false;
}

/* The version a client picks from a server's list (and @also): v2, then
 * v1, as its version_information lists them.  0 when neither is there.
 */
static u32 quic_version_pick(const u32 *versions, unsigned int n, u32 also)
{
	bool v1 = also == QUIC_VERSION_V1, v2 = also == QUIC_VERSION_V2;
	unsigned int i;

	for (i = 0; i < n; i++) {
		v1 |= versions[i] == QUIC_VERSION_V1;
		v2 |= versions[i] == QUIC_VERSION_V2;
	}
	return v2 ? QUIC_VERSION_V2 : v1 ? QUIC_VERSION_V1 : 0;
}

/**
 * quic_version_rcv_vn - a Version Negotiation packet reached a client
 * @sk: the connection
 * @h: the packet's header
 *
 * RFC 9000 section 6.2, RFC 9368 sections 2.1 and 4: one that lists the
 * version of our first packet, or answers a connection attempt that
 * followed one already, is ignored.  An answer to a probe picks the
 * version of the attempt, which quic_version_settle() makes; any other
 * ends the attempt.
 *
 * Return: 0, -EINVAL for a packet to discard, or -EPROTONOSUPPORT.
 */
int quic_version_rcv_vn(struct sock *sk, const struct quic_hdr *h)
{
	struct quic_conn *c = quic_conn(sk);
	u32 first = c->probe_version ?: c->orig_version;
	u32 versions[2];
	unsigned int i, n = 0;

	if (c->is_serv || c->dcid_final || c->vn_reacted || c->vn_chosen ||
	    sk->sk_state != TCP_SYN_SENT ||
	    !quic_cid_equal(&c->scid, h->dcid, h->dcid_len) ||
	    !quic_cid_equal(&c->dcid, h->scid, h->scid_len))
		return -EINVAL;
	for (i = 0; i < h->nversions; i++) {
		u32 v = quic_vn_version(h, i);

		if (v == first)
			return -EINVAL;
		/* v1 and v2, each once: a list may repeat them */
		if (quic_version_supported(v) && n < ARRAY_SIZE(versions) &&
		    (!n || versions[0] != v))
			versions[n++] = v;
	}
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_VN_RCV);
	if (c->vn_probe && n) {
		c->vn_chosen = quic_version_pick(versions, n, 0);
		c->vn_probe = 0;
		sk->sk_state_change(sk);
		return 0;
	}
	quic_conn_abort(sk, EPROTONOSUPPORT);
	return -EPROTONOSUPPORT;
}

/**
 * quic_version_connect - the version of a client's first packet
 * @sk: the client, owned by the caller
 * @version: the configured version
 *
 * Context: process, at connect().
 * Return: true when @version is one we speak; false when the client
 * probes with it first (see quic_version_settle()).
 */
bool quic_version_connect(struct sock *sk, u32 version)
{
	struct quic_conn *c = quic_conn(sk);

	c->probe_version = 0;
	c->vn_probe = 0;
	c->vn_chosen = 0;
	c->vn_reacted = 0;
	if (quic_version_supported(version))
		return true;
	c->probe_version = version;
	c->vn_probe = 1;
	return false;
}

#define QUIC_VN_PROBES	3	/* sent 1, 2 and 4 s apart */

static bool quic_version_probe_over(struct sock *sk)
{
	return !quic_conn(sk)->vn_probe || sk->sk_err ||
	       sk->sk_state != TCP_SYN_SENT;
}

/**
 * quic_version_settle - a client's version, before its first flight
 * @sk: the client, owned by the caller
 *
 * Nothing to do unless the client was configured with a version we do
 * not speak: then the probe goes out, up to three times, and the server's
 * Version Negotiation picks the version of the attempt, whose Initial keys
 * are derived here.  The socket lock is dropped while waiting.
 *
 * Context: process, may sleep.
 * Return: 0; -ETIMEDOUT when no answer came (the connection is closed),
 * -EPROTONOSUPPORT when the server speaks neither v1 nor v2, -EINTR, or
 * another negative error.
 */
int quic_version_settle(struct sock *sk)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct quic_conn *c = quic_conn(sk);
	unsigned int tries;
	long timeo;
	u32 v;
	int err;

	if (c->is_serv || (!c->vn_probe && !c->vn_chosen))
		return 0;
	for (tries = 0; tries < QUIC_VN_PROBES; tries++) {
		if (quic_version_probe_over(sk))
			break;
		err = quic_packet_vn_probe(sk);
		if (err)
			return err;
		timeo = HZ << tries;
		add_wait_queue(sk_sleep(sk), &wait);
		while (!quic_version_probe_over(sk) && timeo &&
		       !signal_pending(current))
			sk_wait_event(sk, &timeo, quic_version_probe_over(sk),
				      &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
		if (signal_pending(current) && !quic_version_probe_over(sk))
			return -EINTR;
	}
	if (sk->sk_err)
		return -sk->sk_err;
	if (sk->sk_state != TCP_SYN_SENT)
		return -ENOTCONN;
	if (c->vn_probe) {
		quic_conn_abort(sk, ETIMEDOUT);
		return -ETIMEDOUT;
	}

	/* the new attempt (RFC 9368 section 2.1) */
	v = c->vn_chosen;
	c->vn_chosen = 0;
	c->vn_reacted = 1;
	c->version = v;
	c->orig_version = v;
	quic_sk(sk)->config.version = v;
	err = quic_crypto_initial_keys(c->crypto[QUIC_CRYPTO_INITIAL],
				       c->dcid.data, c->dcid.len, v, false);
	if (!err)
		err = quic_version_client_keys(sk);
	if (err)
		quic_conn_abort(sk, -err);
	return err;
}

/**
 * quic_version_peer_params - check the peer's version_information
 * @sk: the connection, owned by the caller
 * @tp: the peer's transport parameters
 *
 * A server that may switch versions decides here, rekeys the Initial level
 * for the negotiated version and lets packets out.  Context: process.
 *
 * Return: 0, -EPROTO on a version negotiation error (RFC 9368 section 4),
 * or another negative error.
 */
int quic_version_peer_params(struct sock *sk, const struct quic_tparams *tp)
{
	bool info = tp->present & QUIC_TP_BIT(QUIC_TP_VERSION_INFORMATION);
	struct quic_conn *c = quic_conn(sk);
	u32 target = c->vn_target;
	int err;

	if (!c->is_serv) {
		/* the server must confirm a switch, and name the version
		 * its packets used
		 */
		if (info ? tp->chosen_version != c->version :
			   c->version != c->orig_version || c->vn_reacted)
			return -EPROTO;
		/* after Version Negotiation, its list must lead to the
		 * same choice: else the negotiation was forged (RFC 9368
		 * section 4)
		 */
		if (c->vn_reacted &&
		    quic_version_pick(tp->available_versions, tp->navailable,
				      c->version) != c->orig_version)
			return -EPROTO;
		return 0;
	}

	/* the client's Chosen Version is the one its Initial used */
	c->vn_target = 0;
	if (info && tp->chosen_version != c->orig_version)
		return -EPROTO;
	if (!target || !info || !quic_version_listed(tp, target))
		return 0;
	err = quic_crypto_initial_keys(c->crypto[QUIC_CRYPTO_INITIAL],
				       c->odcid_node.cid.data,
				       c->odcid_node.cid.len, target, true);
	if (err)
		return err;
	c->version = target;
	quic_sk(sk)->config.version = target;
	QUIC_INC_STATS(sock_net(sk), QUIC_MIB_VERSION_UPGRADED);
	return 0;
}
