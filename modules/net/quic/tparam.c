// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Transport parameters: a sequence of (id, length, value), ids and
 * lengths being variable-length integers (RFC 9000 section 18).  Integer
 * parameters hold exactly one variable-length integer.  Unknown ids,
 * including the reserved 31 * N + 27 ones, are skipped.
 */

#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "compat.h"
#include "header.h"
#include "tparam.h"
#include "varint.h"

#define QUIC_TP_COUNT	21

/**
 * quic_tp_index - bit index of a known transport parameter id
 * @id: the parameter id
 *
 * Return: 0 to 20, or -1 for an id this code does not know.
 */
int quic_tp_index(u64 id)
{
	if (id <= QUIC_TP_VERSION_INFORMATION)
		return id;
	if (id == QUIC_TP_MAX_DATAGRAM_FRAME_SIZE)
		return 18;
	if (id == QUIC_TP_GREASE_QUIC_BIT)
		return 19;
	if (id == QUIC_TP_DISABLE_1RTT_ENCRYPTION)
		return 20;
	return -1;
}

/**
 * quic_tparams_defaults - values of parameters that are absent
 * @tp: the parameters, cleared and set to the section 18.2 defaults
 */
void quic_tparams_defaults(struct quic_tparams *tp)
{
	memset(tp, 0, sizeof(*tp));
	tp->max_udp_payload_size = 65527;
	tp->ack_delay_exponent = 3;
	tp->max_ack_delay = 25;
	tp->active_connection_id_limit = 2;
}

#define QUIC_TP_INT(id, member) \
	[id] = offsetof(struct quic_tparams, member)

/* Offsets of the integer parameters in struct quic_tparams; 0 for others. */
static const unsigned short quic_tp_int_off[QUIC_TP_COUNT] = {
	QUIC_TP_INT(QUIC_TP_MAX_IDLE_TIMEOUT, max_idle_timeout),
	QUIC_TP_INT(QUIC_TP_MAX_UDP_PAYLOAD_SIZE, max_udp_payload_size),
	QUIC_TP_INT(QUIC_TP_INITIAL_MAX_DATA, initial_max_data),
	QUIC_TP_INT(QUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL,
		    initial_max_stream_data_bidi_local),
	QUIC_TP_INT(QUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE,
		    initial_max_stream_data_bidi_remote),
	QUIC_TP_INT(QUIC_TP_INITIAL_MAX_STREAM_DATA_UNI,
		    initial_max_stream_data_uni),
	QUIC_TP_INT(QUIC_TP_INITIAL_MAX_STREAMS_BIDI, initial_max_streams_bidi),
	QUIC_TP_INT(QUIC_TP_INITIAL_MAX_STREAMS_UNI, initial_max_streams_uni),
	QUIC_TP_INT(QUIC_TP_ACK_DELAY_EXPONENT, ack_delay_exponent),
	QUIC_TP_INT(QUIC_TP_MAX_ACK_DELAY, max_ack_delay),
	QUIC_TP_INT(QUIC_TP_ACTIVE_CONNECTION_ID_LIMIT,
		    active_connection_id_limit),
	QUIC_TP_INT(18, max_datagram_frame_size),	/* index of id 0x20 */
};

/* Offsets of the connection ID parameters and of their lengths. */
static const struct {
	unsigned short cid, len;
} quic_tp_cid_off[QUIC_TP_COUNT] = {
	[QUIC_TP_ORIGINAL_DCID] = {
		offsetof(struct quic_tparams, original_dcid),
		offsetof(struct quic_tparams, original_dcid_len) },
	[QUIC_TP_INITIAL_SCID] = {
		offsetof(struct quic_tparams, initial_scid),
		offsetof(struct quic_tparams, initial_scid_len) },
	[QUIC_TP_RETRY_SCID] = {
		offsetof(struct quic_tparams, retry_scid),
		offsetof(struct quic_tparams, retry_scid_len) },
};

/* Range checks of section 18.2 on an integer parameter. */
static int quic_tp_int_valid(u64 id, u64 v)
{
	switch (id) {
	case QUIC_TP_MAX_UDP_PAYLOAD_SIZE:
		return v >= 1200 ? 0 : -EINVAL;
	case QUIC_TP_ACK_DELAY_EXPONENT:
		return v <= 20 ? 0 : -EINVAL;
	case QUIC_TP_MAX_ACK_DELAY:
		return v < (1 << 14) ? 0 : -EINVAL;
	case QUIC_TP_ACTIVE_CONNECTION_ID_LIMIT:
		return v >= 2 ? 0 : -EINVAL;
	case QUIC_TP_INITIAL_MAX_STREAMS_BIDI:
	case QUIC_TP_INITIAL_MAX_STREAMS_UNI:
		return v <= (1ULL << 60) ? 0 : -EINVAL;
	}
	return 0;
}

static bool quic_tp_server_only(u64 id)
{
	return id == QUIC_TP_ORIGINAL_DCID ||
	       id == QUIC_TP_STATELESS_RESET_TOKEN ||
	       id == QUIC_TP_PREFERRED_ADDRESS || id == QUIC_TP_RETRY_SCID;
}

static int quic_tp_preferred_address(const u8 *p, u64 len,
				     struct quic_preferred_address *pa)
{
	/* IPv4 4, port 2, IPv6 16, port 2, CID length 1, CID, token 16 */
	if (len < 25 + 16)
		return -EINVAL;
	pa->cid_len = p[24];
	if (!pa->cid_len || pa->cid_len > QUIC_CID_MAX_LEN ||
	    len != 25 + (u64)pa->cid_len + 16)
		return -EINVAL;
	memcpy(pa->ipv4, p, 4);
	pa->port4 = p[4] << 8 | p[5];
	memcpy(pa->ipv6, p + 6, 16);
	pa->port6 = p[22] << 8 | p[23];
	memcpy(pa->cid, p + 25, pa->cid_len);
	memcpy(pa->token, p + 25 + pa->cid_len, 16);
	return 0;
}

static int quic_tp_version_info(const u8 *p, u64 len, bool from_server,
				struct quic_tparams *tp)
{
	bool chosen_listed = false;
	u64 i;
	u32 v;

	/* RFC 9368 section 5: parsing failures */
	if (len < 4 || len % 4)
		return -EINVAL;
	tp->chosen_version = get_unaligned_be32(p);
	if (!tp->chosen_version)
		return -EINVAL;
	for (i = 4; i < len; i += 4) {
		v = get_unaligned_be32(p + i);
		if (!v)
			return -EINVAL;
		if (v == tp->chosen_version)
			chosen_listed = true;
		if (tp->navailable < QUIC_TP_MAX_VERSIONS)
			tp->available_versions[tp->navailable++] = v;
	}
	if (!from_server && !chosen_listed)
		return -EINVAL;
	return 0;
}

static int quic_tp_decode_one(u64 id, const u8 *p, u64 len, bool from_server,
			      struct quic_tparams *tp)
{
	unsigned int i = quic_tp_index(id);
	u64 v;
	int n;

	if (!from_server && quic_tp_server_only(id))
		return -EINVAL;
	if (quic_tp_int_off[i]) {
		n = quic_varint_get(p, len, &v);
		if (n < 0 || (u64)n != len || quic_tp_int_valid(id, v))
			return -EINVAL;
		*(u64 *)((u8 *)tp + quic_tp_int_off[i]) = v;
		return 0;
	}
	if (quic_tp_cid_off[i].cid) {
		if (len > QUIC_CID_MAX_LEN)
			return -EINVAL;
		memcpy((u8 *)tp + quic_tp_cid_off[i].cid, p, len);
		*((u8 *)tp + quic_tp_cid_off[i].len) = len;
		return 0;
	}
	switch (id) {
	case QUIC_TP_STATELESS_RESET_TOKEN:
		if (len != 16)
			return -EINVAL;
		memcpy(tp->stateless_reset_token, p, 16);
		return 0;
	case QUIC_TP_DISABLE_ACTIVE_MIGRATION:
		tp->disable_active_migration = 1;
		return len ? -EINVAL : 0;
	case QUIC_TP_GREASE_QUIC_BIT:
		tp->grease_quic_bit = 1;
		return len ? -EINVAL : 0;
	case QUIC_TP_DISABLE_1RTT_ENCRYPTION:
		tp->disable_1rtt_encryption = 1;
		return len ? -EINVAL : 0;
	case QUIC_TP_PREFERRED_ADDRESS:
		return quic_tp_preferred_address(p, len, &tp->preferred_address);
	case QUIC_TP_VERSION_INFORMATION:
		return quic_tp_version_info(p, len, from_server, tp);
	}
	return 0;
}

/**
 * quic_tparams_decode - decode the peer's transport parameters
 * @buf: the extension body
 * @len: its length
 * @from_server: the peer is the server (may send server-only parameters)
 * @tp: the parameters, defaults for those absent
 *
 * Return: 0, or -EINVAL for a malformed, duplicated, out-of-range or
 * forbidden parameter (TRANSPORT_PARAMETER_ERROR).
 */
int quic_tparams_decode(const u8 *buf, size_t len, bool from_server,
			struct quic_tparams *tp)
{
	size_t off = 0;
	u64 id, plen;
	int n, i, err;

	quic_tparams_defaults(tp);
	while (off < len) {
		n = quic_varint_get(buf + off, len - off, &id);
		if (n < 0)
			return -EINVAL;
		off += n;
		n = quic_varint_get(buf + off, len - off, &plen);
		if (n < 0 || plen > len - off - n)
			return -EINVAL;
		off += n;
		i = quic_tp_index(id);
		if (i >= 0) {
			if (tp->present & (1ULL << i))
				return -EINVAL;		/* duplicate */
			tp->present |= 1ULL << i;
			err = quic_tp_decode_one(id, buf + off, plen,
						 from_server, tp);
			if (err)
				return err;
		}
		off += plen;
	}
	return 0;
}

struct quic_tp_writer {
	u8 *buf;
	size_t size;
	size_t off;
	int err;
};

static void quic_tp_put(struct quic_tp_writer *w, u64 id, const void *val,
			u64 len)
{
	int n;

	if (w->err)
		return;
	n = quic_varint_put(w->buf + w->off, w->size - w->off, id);
	if (n < 0)
		goto err;
	w->off += n;
	n = quic_varint_put(w->buf + w->off, w->size - w->off, len);
	if (n < 0)
		goto err;
	w->off += n;
	if (len > w->size - w->off) {
		n = -ENOSPC;
		goto err;
	}
	if (len)
		memcpy(w->buf + w->off, val, len);
	w->off += len;
	return;
err:
	w->err = n == -ERANGE ? -EINVAL : n;
}

static void quic_tp_put_int(struct quic_tp_writer *w, u64 id, u64 v)
{
	u8 tmp[8];
	int n = quic_varint_put(tmp, sizeof(tmp), v);

	if (n < 0 || quic_tp_int_valid(id, v)) {
		w->err = w->err ? w->err : -EINVAL;
		return;
	}
	quic_tp_put(w, id, tmp, n);
}

static void quic_tp_put_be(u8 *p, u32 v, unsigned int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

/**
 * quic_tparams_encode - encode our transport parameters
 * @buf: destination
 * @size: room in @buf
 * @tp: the parameters; those in tp->present are written
 * @from_server: we are the server (server-only parameters allowed)
 *
 * Return: bytes written, -ENOSPC, or -EINVAL for a value out of range or
 * a server-only parameter from a client.
 */
int quic_tparams_encode(u8 *buf, size_t size, const struct quic_tparams *tp,
			bool from_server)
{
	static const u64 ids[QUIC_TP_COUNT] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
		0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11,
		QUIC_TP_MAX_DATAGRAM_FRAME_SIZE, QUIC_TP_GREASE_QUIC_BIT,
		QUIC_TP_DISABLE_1RTT_ENCRYPTION,
	};
	const struct quic_preferred_address *pa = &tp->preferred_address;
	struct quic_tp_writer w = { .buf = buf, .size = size };
	u8 tmp[4 + 4 * QUIC_TP_MAX_VERSIONS + 25 + 20 + 16];
	const u8 *base = (const u8 *)tp;
	unsigned int i, j;
	u8 cid_len;

	for (i = 0; i < QUIC_TP_COUNT && !w.err; i++) {
		u64 id = ids[i];

		if (!(tp->present & (1ULL << i)))
			continue;
		if (!from_server && quic_tp_server_only(id))
			return -EINVAL;
		if (quic_tp_int_off[i]) {
			quic_tp_put_int(&w, id,
					*(const u64 *)(base + quic_tp_int_off[i]));
			continue;
		}
		if (quic_tp_cid_off[i].cid) {
			cid_len = base[quic_tp_cid_off[i].len];
			if (cid_len > QUIC_CID_MAX_LEN)
				return -EINVAL;
			quic_tp_put(&w, id, base + quic_tp_cid_off[i].cid, cid_len);
			continue;
		}
		switch (id) {
		case QUIC_TP_STATELESS_RESET_TOKEN:
			quic_tp_put(&w, id, tp->stateless_reset_token, 16);
			break;
		case QUIC_TP_DISABLE_ACTIVE_MIGRATION:
		case QUIC_TP_GREASE_QUIC_BIT:
		case QUIC_TP_DISABLE_1RTT_ENCRYPTION:
			quic_tp_put(&w, id, NULL, 0);
			break;
		case QUIC_TP_PREFERRED_ADDRESS:
			if (!pa->cid_len || pa->cid_len > QUIC_CID_MAX_LEN)
				return -EINVAL;
			memcpy(tmp, pa->ipv4, 4);
			quic_tp_put_be(tmp + 4, pa->port4, 2);
			memcpy(tmp + 6, pa->ipv6, 16);
			quic_tp_put_be(tmp + 22, pa->port6, 2);
			tmp[24] = pa->cid_len;
			memcpy(tmp + 25, pa->cid, pa->cid_len);
			memcpy(tmp + 25 + pa->cid_len, pa->token, 16);
			quic_tp_put(&w, id, tmp, 25 + pa->cid_len + 16);
			break;
		case QUIC_TP_VERSION_INFORMATION:
			if (!tp->chosen_version ||
			    tp->navailable > QUIC_TP_MAX_VERSIONS)
				return -EINVAL;
			quic_tp_put_be(tmp, tp->chosen_version, 4);
			for (j = 0; j < tp->navailable; j++) {
				if (!tp->available_versions[j])
					return -EINVAL;
				quic_tp_put_be(tmp + 4 + 4 * j,
					       tp->available_versions[j], 4);
			}
			quic_tp_put(&w, id, tmp, 4 + 4 * tp->navailable);
			break;
		}
	}
	return w.err ? w.err : (int)w.off;
}
