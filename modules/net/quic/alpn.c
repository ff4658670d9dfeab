// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ALPN of a ClientHello (RFC 8446 section 4.1.2, RFC 7301 section 3.1).
 *
 * The ClientHello is read only as far as its extensions; every length is
 * checked against the buffer, which may hold a truncated message (the
 * rest may be in later packets): what is missing is reported, not
 * guessed.
 */

#include <linux/errno.h>
#include <linux/string.h>

#include "alpn.h"

#define QUIC_TLS_CLIENT_HELLO	1
#define QUIC_TLS_EXT_ALPN	16

struct quic_rd {
	const u8 *p;
	size_t left;
};

static bool quic_rd_skip(struct quic_rd *r, size_t n)
{
	if (r->left < n)
		return false;
	r->p += n;
	r->left -= n;
	return true;
}

/* A length prefix of @n bytes (1 to 3), big endian. */
static bool quic_rd_len(struct quic_rd *r, unsigned int n, size_t *len)
{
	size_t v = 0;

	if (r->left < n)
		return false;
	while (n--) {
		v = (v << 8) | *r->p++;
		r->left--;
	}
	*len = v;
	return true;
}

/* Skip a vector with a length prefix of @n bytes. */
static bool quic_rd_vec(struct quic_rd *r, unsigned int n)
{
	size_t len;

	return quic_rd_len(r, n, &len) && quic_rd_skip(r, len);
}

/**
 * quic_alpn_from_client_hello - find the ALPN extension of a ClientHello
 * @p: the start of the CRYPTO stream at the Initial level
 * @len: bytes available from there
 * @alpn: set to the ProtocolNameList (1-byte length prefixed names)
 * @alpn_len: its length
 *
 * Return: 0, with a well-formed list of non-empty names; -ENOENT when
 * the ClientHello has no ALPN extension; -EAGAIN when @len ends before
 * the extensions were all read; -EINVAL when this is not a well-formed
 * ClientHello.
 */
int quic_alpn_from_client_hello(const u8 *p, size_t len, const u8 **alpn,
				size_t *alpn_len)
{
	struct quic_rd r = { p, len }, ext;
	size_t body, exts, type, elen;
	bool truncated;

	if (!len)
		return -EAGAIN;
	if (p[0] != QUIC_TLS_CLIENT_HELLO)
		return -EINVAL;
	r.p++;
	r.left--;
	if (!quic_rd_len(&r, 3, &body))
		return -EAGAIN;
	truncated = r.left < body;
	if (r.left > body)
		r.left = body;		/* only this message */
	/* legacy_version, random, session id, cipher suites, compression */
	if (!quic_rd_skip(&r, 2 + 32) || !quic_rd_vec(&r, 1) ||
	    !quic_rd_vec(&r, 2) || !quic_rd_vec(&r, 1) ||
	    !quic_rd_len(&r, 2, &exts))
		return truncated ? -EAGAIN : -EINVAL;
	if (exts > r.left)
		return truncated ? -EAGAIN : -EINVAL;
	ext.p = r.p;
	ext.left = exts;
	while (ext.left) {
		if (!quic_rd_len(&ext, 2, &type) ||
		    !quic_rd_len(&ext, 2, &elen) || elen > ext.left)
			return -EINVAL;
		if (type == QUIC_TLS_EXT_ALPN) {
			struct quic_rd a = { ext.p, elen };
			struct quic_rd names;
			size_t list;

			if (!quic_rd_len(&a, 2, &list) || list != a.left ||
			    !list)
				return -EINVAL;
			/* RFC 7301 section 3.1: non-empty names, no trailing
			 * bytes
			 */
			names = a;
			while (names.left)
				if (!names.p[0] || !quic_rd_vec(&names, 1))
					return -EINVAL;
			*alpn = a.p;
			*alpn_len = list;
			return 0;
		}
		quic_rd_skip(&ext, elen);
	}
	return -ENOENT;
}

/**
 * quic_alpn_match - does a listener accept one of the client's protocols?
 * @list: the listener's protocols, separated by commas
 * @list_len: its length
 * @alpn: the client's ProtocolNameList
 * @alpn_len: its length
 *
 * Return: true when a name appears in both.
 */
bool quic_alpn_match(const char *list, size_t list_len, const u8 *alpn,
		     size_t alpn_len)
{
	size_t i, start, n;

	for (i = 0; i < alpn_len; i += 1 + n) {
		n = alpn[i];
		if (!n || i + 1 + n > alpn_len)
			return false;
		for (start = 0; start < list_len; ) {
			size_t end = start;

			while (end < list_len && list[end] != ',')
				end++;
			if (end - start == n && !memcmp(list + start, alpn + i + 1, n))
				return true;
			start = end + 1;
		}
	}
	return false;
}
