// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Session helpers on a GnuTLS session: resumption data and ALPN.
 */

#include <errno.h>
#include <string.h>

#include <netinet/quic.h>

#include "internal.h"

#define QUIC_ALPN_MAX		16	/* protocols in one list */

/* NewSessionTicket messages the kernel kept for a client (they arrive
 * after the handshake) go to GnuTLS, once each.
 */
static void quic_session_take_tickets(gnutls_session_t session)
{
	uint8_t buf[4096];
	socklen_t len = sizeof(buf);
	int sd = gnutls_transport_get_int(session);
	int ret;

	if (sd < 0 || getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_SESSION_TICKET,
				 buf, &len) || !len)
		return;
	if (gnutls_session_get_ptr(session))
		return;		/* a handshake is running on it */
	ret = gnutls_handshake_write(session,
				     GNUTLS_ENCRYPTION_LEVEL_APPLICATION,
				     buf, len);
	if (ret)
		quic_log_notice("session ticket: %s", gnutls_strerror(ret));
	else
		quic_log_debug("session ticket: %u bytes to GnuTLS", len);
}

/**
 * quic_session_get_data - export the resumption data of a session
 * @session: GnuTLS session, after a handshake that received a ticket
 * @data: buffer, or NULL to learn the size
 * @size: its size on entry, the data's length on return
 *
 * Return: 0, -ENOSPC when @data is too small (@size says how large it must
 * be), or -EINVAL.
 */
QUIC_EXPORT int quic_session_get_data(gnutls_session_t session, void *data,
				      size_t *size)
{
	gnutls_datum_t d;
	int ret;

	if (!session || !size)
		return -EINVAL;
	quic_session_take_tickets(session);
	ret = gnutls_session_get_data2(session, &d);
	if (ret) {
		quic_log_error("session data: %s", gnutls_strerror(ret));
		return -EINVAL;
	}
	if (!data || *size < d.size) {
		*size = d.size;
		gnutls_free(d.data);
		return data ? -ENOSPC : 0;
	}
	memcpy(data, d.data, d.size);
	*size = d.size;
	gnutls_free(d.data);
	return 0;
}

/**
 * quic_session_set_data - resume a session from data exported earlier
 * @session: GnuTLS client session, before the handshake
 * @data: data from quic_session_get_data()
 * @size: its length
 *
 * Return: 0 or -EINVAL.
 */
QUIC_EXPORT int quic_session_set_data(gnutls_session_t session,
				      const void *data, size_t size)
{
	int ret;

	if (!session || !data || !size)
		return -EINVAL;
	ret = gnutls_session_set_data(session, data, size);
	if (ret) {
		quic_log_error("session data: %s", gnutls_strerror(ret));
		return -EINVAL;
	}
	return 0;
}

/**
 * quic_session_get_alpn - the protocol selected by the handshake
 * @session: GnuTLS session
 * @data: buffer
 * @size: its size on entry, the protocol's length on return
 *
 * Return: 0 (with @size 0 when none was negotiated), or -ENOSPC/-EINVAL.
 */
QUIC_EXPORT int quic_session_get_alpn(gnutls_session_t session, void *data,
				      size_t *size)
{
	gnutls_datum_t alpn;

	if (!session || !size || (!data && *size))
		return -EINVAL;
	if (gnutls_alpn_get_selected_protocol(session, &alpn)) {
		*size = 0;
		return 0;
	}
	if (*size < alpn.size)
		return -ENOSPC;
	memcpy(data, alpn.data, alpn.size);
	*size = alpn.size;
	return 0;
}

/**
 * quic_session_set_alpn - offer (client) or accept (server) protocols
 * @session: GnuTLS session, before the handshake
 * @data: protocols separated by commas, e.g. "h3,smbd"
 * @size: its length
 *
 * Return: 0 or -EINVAL.
 */
QUIC_EXPORT int quic_session_set_alpn(gnutls_session_t session,
				      const void *data, size_t size)
{
	gnutls_datum_t alpns[QUIC_ALPN_MAX];
	const unsigned char *p = data, *end = p + size, *s;
	unsigned int n = 0;
	int ret;

	if (!session || !data || !size)
		return -EINVAL;
	while (p <= end) {
		s = p;
		while (p < end && *p != ',')
			p++;
		if (p == s || p - s > 255 || n == QUIC_ALPN_MAX) {
			quic_log_error("alpn: malformed list");
			return -EINVAL;
		}
		alpns[n].data = (unsigned char *)s;
		alpns[n++].size = (unsigned int)(p - s);
		p++;
	}
	ret = gnutls_alpn_set_protocols(session, alpns, n,
					GNUTLS_ALPN_MANDATORY);
	if (ret) {
		quic_log_error("alpn: %s", gnutls_strerror(ret));
		return -EINVAL;
	}
	return 0;
}
