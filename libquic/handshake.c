// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The TLS 1.3 handshake over a QUIC socket.
 *
 * The kernel side of the handshake (CRYPTO frames, secrets, transport
 * parameters) does not exist in this version of the module yet, so these
 * entry points fail cleanly with -EOPNOTSUPP and say so in the log.
 */

#include <errno.h>

#include <netinet/quic.h>

#include "internal.h"

static int quic_handshake_unsupported(const char *what)
{
	quic_log_error("%s: the handshake is not implemented in this version",
		       what);
	return -EOPNOTSUPP;
}

QUIC_EXPORT int quic_client_handshake(int sd, const char *pkey_file,
				      const char *hostname, const char *alpns)
{
	(void)sd; (void)pkey_file; (void)hostname; (void)alpns;
	return quic_handshake_unsupported("client handshake");
}

QUIC_EXPORT int quic_server_handshake(int sd, const char *pkey_file,
				      const char *cert_file, const char *alpns)
{
	(void)sd; (void)pkey_file; (void)cert_file; (void)alpns;
	return quic_handshake_unsupported("server handshake");
}

QUIC_EXPORT int quic_handshake(gnutls_session_t session)
{
	(void)session;
	return quic_handshake_unsupported("handshake");
}

QUIC_EXPORT int quic_handshake_init(gnutls_session_t session,
				    struct quic_handshake_step **pstep)
{
	(void)session;
	if (pstep)
		*pstep = NULL;
	return quic_handshake_unsupported("handshake init");
}

QUIC_EXPORT int quic_handshake_step(gnutls_session_t session,
				    struct quic_handshake_step **pstep)
{
	(void)session;
	if (pstep)
		*pstep = NULL;
	return quic_handshake_unsupported("handshake step");
}

QUIC_EXPORT void quic_handshake_deinit(gnutls_session_t session)
{
	(void)session;
}
