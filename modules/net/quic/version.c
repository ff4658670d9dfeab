// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compatible version negotiation between QUIC v1 and v2 (RFC 9368,
 * RFC 9369 section 4).
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
 */

#include <linux/slab.h>
#include <net/sock.h>

#include "mib.h"
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
			   c->version != c->orig_version)
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
