// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SOL_QUIC socket options: configuration and transport parameters, the
 * handshake interface (secrets, the peer's transport parameters, ALPN,
 * tokens, session tickets) and events, for userspace and for kernel
 * consumers (quic_do_setsockopt/quic_do_getsockopt).
 */

#include <linux/tls.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "packet.h"
#include "retry.h"
#include "socket.h"
#include "tparam.h"
#include "version.h"

static const struct quic_config quic_default_config = {
	.version		= QUIC_VERSION_V1,
	.initial_smoothed_rtt	= 333000,
	.congestion_control_algo = QUIC_CONG_ALG_RENO,
};

static const struct quic_transport_param quic_default_param = {
	.active_connection_id_limit	= 7,
	.ack_delay_exponent		= 3,
	.max_udp_payload_size		= 65527,
	.max_idle_timeout		= 30000000,
	.max_ack_delay			= 25000,
	.max_streams_bidi		= 100,
	.max_streams_uni		= 100,
	.max_data			= 65536 * 32,
	.max_stream_data_bidi_local	= 65536 * 4,
	.max_stream_data_bidi_remote	= 65536 * 4,
	.max_stream_data_uni		= 65536 * 4,
};

/* RFC 9000 section 18.2 limits */
#define QUIC_MIN_UDP_PAYLOAD	1200
#define QUIC_MAX_UDP_PAYLOAD	65527
#define QUIC_MAX_ACK_DELAY_EXP	20
#define QUIC_MAX_ACK_DELAY	(16384 * 1000)	/* 2^14 ms, in us */
#define QUIC_MIN_ACTIVE_CID	2
#define QUIC_VARINT_MAX		((1ULL << 62) - 1)

/* Stream options need an established connection. */
static int quic_send_ready(struct sock *sk)
{
	if (sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	return quic_conn(sk)->streams.ready ? 0 : -ENOTCONN;
}

void quic_sockopt_defaults(struct quic_sock *qs)
{
	qs->config = quic_default_config;
	qs->local = quic_default_param;
	qs->remote = quic_default_param;
}

/* Copy a structure that grew over time from the caller, the way
 * copy_struct_from_user() does: a shorter caller (down to @minsize) keeps
 * @dst's values for the missing tail, a longer one must pass zeros beyond
 * what the kernel knows.
 */
static int quic_copy_struct(void *dst, size_t ksize, size_t minsize,
			    sockptr_t src, unsigned int len)
{
	int ret;

	if (len < minsize)
		return -EINVAL;
	if (len > ksize) {
		ret = check_zeroed_sockptr(src, ksize, len - ksize);
		if (ret <= 0)
			return ret ?: -E2BIG;
	}
	if (copy_from_sockptr(dst, src, min_t(size_t, len, ksize)))
		return -EFAULT;
	return 0;
}

/* QUIC_SOCKOPT_CONFIG and QUIC_SOCKOPT_TRANSPORT_PARAM may change until
 * the handshake completes: also on a listener (for the connections it
 * accepts next), after connect() and on an accepted socket, whose
 * handshake messages are built from them (libquic reads them back).
 */
static bool quic_sock_configurable(const struct sock *sk)
{
	return (1 << sk->sk_state) &
	       (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT | TCPF_SYN_RECV);
}

/* In both structures a field left 0 keeps the current value: programs
 * zero the structure and set the few fields they care about.  So flags
 * can be turned on, not off.
 */

static int quic_set_config(struct sock *sk, sockptr_t optval,
			   unsigned int optlen)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_config c = qs->config, u = {};
	int err;

	err = quic_copy_struct(&u, sizeof(u), QUIC_CONFIG_SIZE_VER0, optval,
			       optlen);
	if (err)
		return err;
	/* reserved for later fields: zero today, so they can get a meaning */
	if (memchr_inv(u.reserved, 0, sizeof(u.reserved)) ||
	    memchr_inv(u.reserved1, 0, sizeof(u.reserved1)))
		return -EINVAL;
	if (u.version)
		c.version = u.version;
	if (u.plpmtud_probe_interval)
		c.plpmtud_probe_interval = u.plpmtud_probe_interval;
	if (u.initial_smoothed_rtt)
		c.initial_smoothed_rtt = u.initial_smoothed_rtt;
	if (u.payload_cipher_type)
		c.payload_cipher_type = u.payload_cipher_type;
	if (u.congestion_control_algo)
		c.congestion_control_algo = u.congestion_control_algo;
	if (u.validate_peer_address)
		c.validate_peer_address = u.validate_peer_address;
	if (u.stream_data_nodelay)
		c.stream_data_nodelay = u.stream_data_nodelay;
	if (u.receive_session_ticket)
		c.receive_session_ticket = u.receive_session_ticket;
	if (u.certificate_request)
		c.certificate_request = u.certificate_request;
	if (u.keepalive_probe_interval)
		c.keepalive_probe_interval = u.keepalive_probe_interval;

	/* any other version: a client probes with it first, to provoke
	 * Version Negotiation (version.c); a server speaks v1
	 */
	if (c.plpmtud_probe_interval &&
	    c.plpmtud_probe_interval < QUIC_MIN_PROBE_TIMEOUT)
		return -EINVAL;
	if (c.initial_smoothed_rtt < QUIC_RTO_MIN ||
	    c.initial_smoothed_rtt >= QUIC_RTO_MAX)
		return -EINVAL;
	switch (c.payload_cipher_type) {
	case 0:
	case TLS_CIPHER_AES_GCM_128:
	case TLS_CIPHER_AES_GCM_256:
	case TLS_CIPHER_AES_CCM_128:
	case TLS_CIPHER_CHACHA20_POLY1305:
		break;
	default:
		return -EINVAL;
	}
	if (c.congestion_control_algo >= QUIC_CONG_ALG_MAX ||
	    c.certificate_request > QUIC_CERT_REQUEST_REQUIRE)
		return -EINVAL;
	c.validate_peer_address = !!c.validate_peer_address;
	c.stream_data_nodelay = !!c.stream_data_nodelay;
	c.receive_session_ticket = !!c.receive_session_ticket;

	if (!quic_sock_configurable(sk))
		return -EISCONN;
	/* the version of a connection is chosen by connect() */
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN &&
	    c.version != qs->config.version)
		return -EISCONN;
	if (c.congestion_control_algo != qs->config.congestion_control_algo)
		quic_cong_set_algo(&qs->conn.cong, c.congestion_control_algo);
	qs->config = c;
	quic_cong_set_initial_rtt(&qs->conn.cong, c.initial_smoothed_rtt);
	return 0;
}

static int quic_set_transport_param(struct sock *sk, sockptr_t optval,
				    unsigned int optlen)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_transport_param p, u = {};
	int err;

	/* one copy from the caller: what it says is what is checked */
	err = quic_copy_struct(&u, sizeof(u), QUIC_TRANSPORT_PARAM_SIZE_VER0,
			       optval, optlen);
	if (err)
		return err;
	if (memchr_inv(u.reserved, 0, sizeof(u.reserved)))
		return -EINVAL;
	p = u.remote ? qs->remote : qs->local;
	if (u.disable_active_migration)
		p.disable_active_migration = u.disable_active_migration;
	if (u.grease_quic_bit)
		p.grease_quic_bit = u.grease_quic_bit;
	if (u.stateless_reset)
		p.stateless_reset = u.stateless_reset;
	if (u.disable_1rtt_encryption)
		p.disable_1rtt_encryption = u.disable_1rtt_encryption;
	if (u.disable_compatible_version)
		p.disable_compatible_version = u.disable_compatible_version;
	if (u.active_connection_id_limit)
		p.active_connection_id_limit = u.active_connection_id_limit;
	if (u.ack_delay_exponent)
		p.ack_delay_exponent = u.ack_delay_exponent;
	if (u.max_datagram_frame_size)
		p.max_datagram_frame_size = u.max_datagram_frame_size;
	if (u.max_udp_payload_size)
		p.max_udp_payload_size = u.max_udp_payload_size;
	if (u.max_idle_timeout)
		p.max_idle_timeout = u.max_idle_timeout;
	if (u.max_ack_delay)
		p.max_ack_delay = u.max_ack_delay;
	if (u.max_streams_bidi)
		p.max_streams_bidi = u.max_streams_bidi;
	if (u.max_streams_uni)
		p.max_streams_uni = u.max_streams_uni;
	if (u.max_data)
		p.max_data = u.max_data;
	if (u.max_stream_data_bidi_local)
		p.max_stream_data_bidi_local = u.max_stream_data_bidi_local;
	if (u.max_stream_data_bidi_remote)
		p.max_stream_data_bidi_remote = u.max_stream_data_bidi_remote;
	if (u.max_stream_data_uni)
		p.max_stream_data_uni = u.max_stream_data_uni;

	if (p.max_udp_payload_size < QUIC_MIN_UDP_PAYLOAD ||
	    p.max_udp_payload_size > QUIC_MAX_UDP_PAYLOAD ||
	    p.ack_delay_exponent > QUIC_MAX_ACK_DELAY_EXP ||
	    p.max_ack_delay >= QUIC_MAX_ACK_DELAY ||
	    p.active_connection_id_limit < QUIC_MIN_ACTIVE_CID ||
	    p.max_data > QUIC_VARINT_MAX ||
	    p.max_stream_data_bidi_local > QUIC_VARINT_MAX ||
	    p.max_stream_data_bidi_remote > QUIC_VARINT_MAX ||
	    p.max_stream_data_uni > QUIC_VARINT_MAX)
		return -EINVAL;
	p.remote = !!u.remote;
	p.disable_active_migration = !!p.disable_active_migration;
	p.grease_quic_bit = !!p.grease_quic_bit;
	p.stateless_reset = !!p.stateless_reset;
	p.disable_1rtt_encryption = !!p.disable_1rtt_encryption;
	/* the peer's IDs we keep: more would not be used */
	if (!p.remote && p.active_connection_id_limit > QUIC_DCID_SLOTS)
		p.active_connection_id_limit = QUIC_DCID_SLOTS;
	p.disable_compatible_version = !!p.disable_compatible_version;
	memset(p.reserved, 0, sizeof(p.reserved));

	if (p.remote) {
		/* a client's remembered server parameters, for 0-RTT, may
		 * come after connect() until the handshake installs any key
		 */
		if (sk->sk_state != TCP_CLOSE &&
		    !(sk->sk_state == TCP_SYN_SENT &&
		      !quic_conn(sk)->crypto[QUIC_CRYPTO_HANDSHAKE] &&
		      !quic_conn(sk)->streams.ready))
			return -EISCONN;
		qs->remote = p;
		qs->remote_early = 1;
	} else {
		if (!quic_sock_configurable(sk))
			return -EISCONN;
		qs->local = p;
	}
	return 0;
}

static int quic_set_event(struct sock *sk, sockptr_t optval,
			  unsigned int optlen)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_event_option ev;

	if (optlen < sizeof(ev))
		return -EINVAL;
	if (copy_from_sockptr(&ev, optval, sizeof(ev)))
		return -EFAULT;
	if (ev.type <= QUIC_EVENT_NONE || ev.type >= QUIC_EVENT_MAX)
		return -EINVAL;
	if (ev.on)
		qs->events |= BIT(ev.type);
	else
		qs->events &= ~BIT(ev.type);
	return 0;
}

/* A list of 1..255 byte protocol ids separated by single commas. */
static bool quic_alpn_valid(const char *s, unsigned int len)
{
	unsigned int i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != ',') {
			if (!s[i])
				return false;
			continue;
		}
		if (i == start || i - start > 255)
			return false;
		start = i + 1;
	}
	return true;
}

static int quic_set_alpn(struct sock *sk, sockptr_t optval,
			 unsigned int optlen)
{
	struct quic_sock *qs = quic_sk(sk);
	unsigned int size = optlen + 1, len = optlen;
	char *alpn = NULL;

	/* A trailing NUL, as strlen() + 1 callers pass, is not part of it. */
	if (optlen > QUIC_ALPN_MAX_LEN + 1)
		return -EINVAL;
	if (sk->sk_state == TCP_LISTEN)
		return -EISCONN;
	if (optlen) {
		alpn = sock_kmalloc(sk, size, GFP_KERNEL);
		if (!alpn)
			return -ENOMEM;
		if (copy_from_sockptr(alpn, optval, optlen)) {
			sock_kfree_s(sk, alpn, size);
			return -EFAULT;
		}
		if (!alpn[len - 1])
			len--;
		alpn[len] = '\0';
		if (!len || len > QUIC_ALPN_MAX_LEN ||
		    !quic_alpn_valid(alpn, len)) {
			sock_kfree_s(sk, alpn, size);
			return -EINVAL;
		}
	}
	if (qs->alpn)
		sock_kfree_s(sk, qs->alpn, qs->alpn_size);
	qs->alpn = alpn;
	qs->alpn_len = alpn ? len : 0;
	qs->alpn_size = alpn ? size : 0;
	return 0;
}

static int quic_set_crypto_secret(struct sock *sk, sockptr_t optval,
				  unsigned int optlen)
{
	struct quic_crypto_secret secret;
	int err;

	if (optlen != sizeof(secret))
		return -EINVAL;
	if (copy_from_sockptr(&secret, optval, sizeof(secret)))
		return -EFAULT;
	err = quic_conn_set_secret(sk, &secret);
	memzero_explicit(&secret, sizeof(secret));
	return err;
}

/* Microseconds in struct quic_transport_param, milliseconds on the wire. */
static void quic_tparams_from_sock(struct sock *sk, struct quic_tparams *tp)
{
	struct quic_transport_param *p = &quic_sk(sk)->local;
	struct quic_conn *c = quic_conn(sk);

	quic_tparams_defaults(tp);
	tp->present = QUIC_TP_BIT(QUIC_TP_MAX_IDLE_TIMEOUT) |
		      QUIC_TP_BIT(QUIC_TP_MAX_UDP_PAYLOAD_SIZE) |
		      QUIC_TP_BIT(QUIC_TP_INITIAL_MAX_DATA) |
		      QUIC_TP_BIT(QUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL) |
		      QUIC_TP_BIT(QUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE) |
		      QUIC_TP_BIT(QUIC_TP_INITIAL_MAX_STREAM_DATA_UNI) |
		      QUIC_TP_BIT(QUIC_TP_INITIAL_MAX_STREAMS_BIDI) |
		      QUIC_TP_BIT(QUIC_TP_INITIAL_MAX_STREAMS_UNI) |
		      QUIC_TP_BIT(QUIC_TP_ACK_DELAY_EXPONENT) |
		      QUIC_TP_BIT(QUIC_TP_MAX_ACK_DELAY) |
		      QUIC_TP_BIT(QUIC_TP_ACTIVE_CONNECTION_ID_LIMIT) |
		      QUIC_TP_BIT(QUIC_TP_INITIAL_SCID);
	tp->max_idle_timeout = p->max_idle_timeout / 1000;
	tp->max_udp_payload_size = p->max_udp_payload_size;
	tp->initial_max_data = p->max_data;
	tp->initial_max_stream_data_bidi_local = p->max_stream_data_bidi_local;
	tp->initial_max_stream_data_bidi_remote = p->max_stream_data_bidi_remote;
	tp->initial_max_stream_data_uni = p->max_stream_data_uni;
	tp->initial_max_streams_bidi = p->max_streams_bidi;
	tp->initial_max_streams_uni = p->max_streams_uni;
	tp->ack_delay_exponent = p->ack_delay_exponent;
	tp->max_ack_delay = p->max_ack_delay / 1000;
	tp->active_connection_id_limit = p->active_connection_id_limit;
	if (p->max_datagram_frame_size) {
		tp->present |= QUIC_TP_BIT(QUIC_TP_MAX_DATAGRAM_FRAME_SIZE);
		tp->max_datagram_frame_size = p->max_datagram_frame_size;
	}
	if (p->disable_active_migration) {
		tp->present |= QUIC_TP_BIT(QUIC_TP_DISABLE_ACTIVE_MIGRATION);
		tp->disable_active_migration = 1;
	}
	if (p->disable_1rtt_encryption) {
		tp->present |= QUIC_TP_BIT(QUIC_TP_DISABLE_1RTT_ENCRYPTION);
		tp->disable_1rtt_encryption = 1;
	}
	if (p->grease_quic_bit) {
		tp->present |= QUIC_TP_BIT(QUIC_TP_GREASE_QUIC_BIT);
		tp->grease_quic_bit = 1;
	}
	if (c->is_serv && p->stateless_reset) {
		/* the token of the ID of our handshake packets */
		tp->present |= QUIC_TP_BIT(QUIC_TP_STATELESS_RESET_TOKEN);
		quic_reset_token(sock_net(sk), c->scid.data, c->scid.len,
				 tp->stateless_reset_token);
	}
	memcpy(tp->initial_scid, c->scid.data, c->scid.len);
	tp->initial_scid_len = c->scid.len;
	if (c->is_serv && quic_sk(sk)->pref_udp &&
	    !quic_path_preferred_param(sk, &tp->preferred_address))
		tp->present |= QUIC_TP_BIT(QUIC_TP_PREFERRED_ADDRESS);
	if (c->is_serv) {
		tp->present |= QUIC_TP_BIT(QUIC_TP_ORIGINAL_DCID);
		memcpy(tp->original_dcid, c->odcid.data, c->odcid.len);
		tp->original_dcid_len = c->odcid.len;
		if (c->retried) {
			tp->present |= QUIC_TP_BIT(QUIC_TP_RETRY_SCID);
			memcpy(tp->retry_scid, c->retry_scid.data,
			       c->retry_scid.len);
			tp->retry_scid_len = c->retry_scid.len;
		}
	}
	quic_version_local_params(sk, tp);
}

#define QUIC_TPARAM_EXT_MAX	1024

/* Servers: the session ticket key of the listener.  Clients: the
 * NewSessionTicket messages received so far.
 */
static int quic_get_session_ticket(struct sock *sk, sockptr_t optval,
				   unsigned int *optlen)
{
	struct quic_conn *c = quic_conn(sk);
	u8 key[QUIC_TICKET_KEY_LEN];
	const u8 *data;
	unsigned int len;
	int err = 0;

	if (c->ticket_key_set) {
		/* staged: the socket slab is not open to usercopy */
		memcpy(key, c->ticket_key, sizeof(key));
		data = key;
		len = QUIC_TICKET_KEY_LEN;
	} else if (!c->is_serv && (c->ticket_len || quic_conn_active(sk))) {
		/* tickets stay readable after the peer closed */
		data = c->ticket;
		len = c->ticket_len;
	} else {
		return -ENOTCONN;
	}
	if (*optlen < len)
		err = -EINVAL;
	else if (len && copy_to_sockptr(optval, data, len))
		err = -EFAULT;
	else
		*optlen = len;
	memzero_explicit(key, sizeof(key));
	return err;
}

/* Listeners: the session ticket key, shared by servers that resume each
 * other's sessions.  Clients: session data, which a kernel consumer hands
 * to the userspace handshake before it and gets back after it.
 */
static int quic_set_session_ticket(struct sock *sk, sockptr_t optval,
				   unsigned int optlen)
{
	struct quic_conn *c = quic_conn(sk);
	u8 key[QUIC_TICKET_KEY_LEN];
	u8 *data = NULL;

	if (sk->sk_state == TCP_LISTEN) {
		if (optlen != QUIC_TICKET_KEY_LEN)
			return -EINVAL;
		/* staged: the socket slab is not open to usercopy */
		if (copy_from_sockptr(key, optval, sizeof(key)))
			return -EFAULT;
		memcpy(c->ticket_key, key, sizeof(key));
		memzero_explicit(key, sizeof(key));
		c->ticket_key_set = 1;
		return 0;
	}
	if (c->is_serv)
		return -EINVAL;
	if (optlen > QUIC_TICKET_MAX_LEN)
		return -EINVAL;
	if (optlen) {
		data = memdup_sockptr(optval, optlen);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	kfree(c->ticket);
	c->ticket = data;
	c->ticket_len = optlen;
	c->ticket_user = !!optlen;
	return 0;
}

/* Clients: the token for the next connection, set before connect().
 * Server connections: issue a NEW_TOKEN for the client's next connections.
 */
static int quic_set_token(struct sock *sk, sockptr_t optval,
			  unsigned int optlen)
{
	struct quic_conn *c = quic_conn(sk);
	u8 *token;
	int err;

	if (c->is_serv) {
		if (!c->hs_complete || !quic_conn_active(sk))
			return -ENOTCONN;
		c->new_token_pending = 1;
		quic_packet_flush_bh(sk);
		return 0;
	}
	if (sk->sk_state == TCP_LISTEN)
		return -EINVAL;
	if (sk->sk_state != TCP_CLOSE || c->crypto[QUIC_CRYPTO_INITIAL])
		return -EISCONN;
	if (optlen > QUIC_TOKEN_MAX_LEN)
		return -EINVAL;
	if (!optlen)
		return quic_conn_set_token(sk, NULL, 0, 0);
	token = memdup_sockptr(optval, optlen);
	if (IS_ERR(token))
		return PTR_ERR(token);
	err = quic_conn_set_token(sk, token, optlen, GFP_KERNEL);
	kfree(token);
	return err;
}

/* Clients: the last token a NEW_TOKEN frame brought, also after close. */
static int quic_get_token(struct sock *sk, sockptr_t optval,
			  unsigned int *optlen)
{
	struct quic_conn *c = quic_conn(sk);
	unsigned int len = c->new_token_len;

	if (c->is_serv || sk->sk_state == TCP_LISTEN)
		return -EINVAL;
	if (*optlen < len)
		return -EINVAL;
	if (len && copy_to_sockptr(optval, c->new_token, len))
		return -EFAULT;
	*optlen = len;
	return 0;
}

static int quic_get_transport_param_ext(struct sock *sk, sockptr_t optval,
					unsigned int *optlen)
{
	struct quic_tparams tp;
	int len, err = 0;
	u8 *buf;

	if (!quic_conn_active(sk))
		return -ENOTCONN;
	/* version_information names the version of the first flight */
	err = quic_version_settle(sk);
	if (err)
		return err;
	buf = kmalloc(QUIC_TPARAM_EXT_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	quic_tparams_from_sock(sk, &tp);
	len = quic_tparams_encode(buf, QUIC_TPARAM_EXT_MAX, &tp,
				  quic_conn(sk)->is_serv);
	if (len < 0)
		err = len;
	else if (*optlen < (unsigned int)len)
		err = -EINVAL;
	else if (copy_to_sockptr(optval, buf, len))
		err = -EFAULT;
	else
		*optlen = len;
	kfree(buf);
	return err;
}

/* The peer's transport parameters, from its TLS extension (RFC 9000
 * section 7.3 checks included).
 */
static int quic_set_transport_param_ext(struct sock *sk, sockptr_t optval,
					unsigned int optlen)
{
	struct quic_transport_param *p = &quic_sk(sk)->remote;
	struct quic_conn *c = quic_conn(sk);
	struct quic_tparams *tp;
	int err = -EINVAL;
	u8 *buf;

	if (!quic_conn_active(sk))
		return -ENOTCONN;
	if (!optlen || optlen > QUIC_TPARAM_EXT_MAX)
		return -EINVAL;
	buf = memdup_sockptr(optval, optlen);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	tp = kmalloc(sizeof(*tp), GFP_KERNEL);
	if (!tp) {
		kfree(buf);
		return -ENOMEM;
	}
	if (quic_tparams_decode(buf, optlen, !c->is_serv, tp))
		goto out;
	if (!(tp->present & QUIC_TP_BIT(QUIC_TP_INITIAL_SCID)) ||
	    !quic_cid_equal(&c->dcid, tp->initial_scid, tp->initial_scid_len))
		goto out;
	if (!c->is_serv &&
	    (!(tp->present & QUIC_TP_BIT(QUIC_TP_ORIGINAL_DCID)) ||
	     !quic_cid_equal(&c->odcid, tp->original_dcid,
			     tp->original_dcid_len)))
		goto out;
	/* retry_source_connection_id: present exactly after a Retry */
	if (!c->is_serv &&
	    (!!(tp->present & QUIC_TP_BIT(QUIC_TP_RETRY_SCID)) != c->retried ||
	     (c->retried && !quic_cid_equal(&c->retry_scid, tp->retry_scid,
					    tp->retry_scid_len))))
		goto out;
	err = quic_version_peer_params(sk, tp);
	if (err) {
		if (err == -EPROTO) {
			local_bh_disable();
			quic_conn_close(sk,
					QUIC_TRANSPORT_ERROR_VERSION_NEGOTIATION);
			local_bh_enable();
		}
		goto out;
	}
	p->remote = 1;
	p->max_idle_timeout = min_t(u64, tp->max_idle_timeout, U32_MAX / 1000) * 1000;
	p->max_udp_payload_size = min_t(u64, tp->max_udp_payload_size, U16_MAX);
	p->max_data = tp->initial_max_data;
	p->max_stream_data_bidi_local = tp->initial_max_stream_data_bidi_local;
	p->max_stream_data_bidi_remote = tp->initial_max_stream_data_bidi_remote;
	p->max_stream_data_uni = tp->initial_max_stream_data_uni;
	p->max_streams_bidi = min_t(u64, tp->initial_max_streams_bidi, U16_MAX);
	p->max_streams_uni = min_t(u64, tp->initial_max_streams_uni, U16_MAX);
	p->ack_delay_exponent = tp->ack_delay_exponent;
	p->max_ack_delay = tp->max_ack_delay * 1000;
	p->active_connection_id_limit = min_t(u64, tp->active_connection_id_limit,
					      U8_MAX);
	p->max_datagram_frame_size = min_t(u64, tp->max_datagram_frame_size,
					   U16_MAX);
	p->disable_active_migration = tp->disable_active_migration;
	p->grease_quic_bit = tp->grease_quic_bit;
	p->disable_1rtt_encryption = tp->disable_1rtt_encryption;
	p->stateless_reset = !c->is_serv &&
		!!(tp->present & QUIC_TP_BIT(QUIC_TP_STATELESS_RESET_TOKEN));
	if (p->stateless_reset)
		quic_connid_peer_token(sk, tp->stateless_reset_token);
	if (!c->is_serv &&
	    (tp->present & QUIC_TP_BIT(QUIC_TP_PREFERRED_ADDRESS)))
		quic_path_peer_preferred(sk, &tp->preferred_address);
	quic_streams_peer_params(sk);	/* after 0-RTT with remembered ones */
	err = 0;
out:
	kfree(tp);
	kfree(buf);
	return err;
}

/* QUIC_SOCKOPT_STREAM_RESET and QUIC_SOCKOPT_STREAM_STOP_SENDING */
static int quic_set_stream_errinfo(struct sock *sk, int optname,
				   sockptr_t optval, unsigned int optlen)
{
	struct quic_errinfo e;
	int err;

	if (optlen != sizeof(e))
		return -EINVAL;
	if (copy_from_sockptr(&e, optval, sizeof(e)))
		return -EFAULT;
	err = quic_send_ready(sk);
	if (err)
		return err;
	err = optname == QUIC_SOCKOPT_STREAM_RESET ?
	      quic_stream_reset(sk, e.stream_id, e.errcode) :
	      quic_stream_stop_sending(sk, e.stream_id, e.errcode);
	if (err)
		return err;
	quic_packet_flush_bh(sk);
	return 0;
}

/* The application's close code and phrase, for close() */
static int quic_set_connection_close(struct sock *sk, sockptr_t optval,
				     unsigned int optlen)
{
	struct quic_connection_close cl = {};
	struct quic_conn *c = quic_conn(sk);
	unsigned int len;

	len = offsetof(struct quic_connection_close, phrase);
	if (optlen < len || optlen > sizeof(cl))
		return -EINVAL;
	if (copy_from_sockptr(&cl, optval, optlen))
		return -EFAULT;
	len = strnlen(cl.phrase, min_t(unsigned int, optlen - len,
				       QUIC_CLOSE_PHRASE_MAX_LEN - 1));
	c->close_errcode = cl.errcode;
	c->close_frame = cl.frame;
	c->close_phrase_len = len;
	memcpy(c->close_phrase, cl.phrase, len);
	c->close_phrase[len] = 0;
	return 0;
}

static int quic_set_connection_id(struct sock *sk, sockptr_t optval,
				  unsigned int optlen)
{
	struct quic_connection_id_info info;

	if (sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	if (optlen != sizeof(info))
		return -EINVAL;
	if (copy_from_sockptr(&info, optval, sizeof(info)))
		return -EFAULT;
	if (memchr_inv(info.reserved, 0, sizeof(info.reserved)))
		return -EINVAL;
	return quic_connid_set(sk, &info);
}

/* struct sockaddr_storage, or the family's own sockaddr */
static int quic_set_connection_migration(struct sock *sk, sockptr_t optval,
					 unsigned int optlen)
{
	union quic_addr a = {};

	/* a client moves once connected; a server's preferred address is
	 * set before listen(), on the listener, or on an accepted socket
	 * before its handshake
	 */
	if (sk->sk_state != TCP_ESTABLISHED && sk->sk_state != TCP_CLOSE &&
	    sk->sk_state != TCP_LISTEN && sk->sk_state != TCP_SYN_RECV)
		return -ENOTCONN;
	if (optlen < sizeof(a.sa))
		return -EINVAL;
	if (copy_from_sockptr(&a, optval, min_t(unsigned int, optlen,
						sizeof(a))))
		return -EFAULT;
	if (optlen < quic_addr_len(&a))
		return -EINVAL;
	if (sk->sk_state != TCP_ESTABLISHED)	/* a server's address */
		return quic_path_set_preferred(sk, &a);
	return quic_path_migrate(sk, &a);
}

static int quic_sockopt_set(struct sock *sk, int optname, sockptr_t optval,
			    unsigned int optlen)
{
	int err;

	if (optlen && sockptr_is_null(optval))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case QUIC_SOCKOPT_CONFIG:
		err = quic_set_config(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_TRANSPORT_PARAM:
		err = quic_set_transport_param(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_EVENT:
		err = quic_set_event(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_ALPN:
		err = quic_set_alpn(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_CRYPTO_SECRET:
		err = quic_set_crypto_secret(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_TRANSPORT_PARAM_EXT:
		err = quic_set_transport_param_ext(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_TOKEN:
		err = quic_set_token(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_SESSION_TICKET:
		err = quic_set_session_ticket(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_STREAM_RESET:
	case QUIC_SOCKOPT_STREAM_STOP_SENDING:
		err = quic_set_stream_errinfo(sk, optname, optval, optlen);
		break;
	case QUIC_SOCKOPT_CONNECTION_CLOSE:
		err = quic_set_connection_close(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_KEY_UPDATE:
		err = quic_conn_key_update(sk);
		break;
	case QUIC_SOCKOPT_CONNECTION_ID:
		err = quic_set_connection_id(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_CONNECTION_MIGRATION:
		err = quic_set_connection_migration(sk, optval, optlen);
		break;
	default:
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;
}

/**
 * quic_do_setsockopt - set a SOL_QUIC option
 * @sk: QUIC socket
 * @optname: QUIC_SOCKOPT_*
 * @optval: option value, KERNEL_SOCKPTR() for in-kernel consumers
 * @optlen: its length
 *
 * Context: process context; takes the socket lock.
 * Return: 0 or a negative errno, as setsockopt(2) would.
 */
int quic_do_setsockopt(struct sock *sk, int optname, sockptr_t optval,
		       unsigned int optlen)
{
	return quic_sockopt_set(sk, optname, optval, optlen);
}
EXPORT_SYMBOL_GPL(quic_do_setsockopt);

/* Options of the IP layers, as for every inet socket: SOL_IP on both
 * families, SOL_IPV6 on AF_INET6 (IPV6_V6ONLY decides whether a socket
 * bound to [::] takes IPv4 too).  IPV6_ADDRFORM would turn the socket
 * into a UDP or TCP one: refused.
 */
static int quic_ip_setsockopt(struct sock *sk, int level, int optname,
			      sockptr_t optval, unsigned int optlen)
{
	if (level == SOL_IP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (level == SOL_IPV6 && sk->sk_family == AF_INET6) {
		if (optname == IPV6_ADDRFORM)
			return -EOPNOTSUPP;
		return ipv6_setsockopt(sk, level, optname, optval, optlen);
	}
	return -ENOPROTOOPT;
}

int quic_setsockopt(struct sock *sk, int level, int optname,
		    sockptr_t optval, unsigned int optlen)
{
	if (level != SOL_QUIC)
		return quic_ip_setsockopt(sk, level, optname, optval, optlen);
	return quic_sockopt_set(sk, optname, optval, optlen);
}

/* Give a structure that grew over time to a caller that may know a shorter
 * or longer version of it.  It is staged on the stack: the socket slab is
 * not whitelisted for copies to userspace.
 */
static int quic_get_struct(const void *kval, size_t ksize, size_t minsize,
			   sockptr_t optval, unsigned int *optlen)
{
	unsigned int len = min_t(unsigned int, *optlen, ksize);
	u8 buf[QUIC_TRANSPORT_PARAM_SIZE_VER1];

	BUILD_BUG_ON(sizeof(struct quic_config) > sizeof(buf));
	if (*optlen < minsize)
		return -EINVAL;
	if (WARN_ON_ONCE(ksize > sizeof(buf)))
		return -EINVAL;
	memcpy(buf, kval, ksize);
	if (copy_to_sockptr(optval, buf, len))
		return -EFAULT;
	*optlen = len;
	return 0;
}

static int quic_get_transport_param(struct sock *sk, sockptr_t optval,
				    unsigned int *optlen)
{
	struct quic_sock *qs = quic_sk(sk);
	u8 remote;

	if (*optlen < QUIC_TRANSPORT_PARAM_SIZE_VER0)
		return -EINVAL;
	if (copy_from_sockptr(&remote, optval, sizeof(remote)))
		return -EFAULT;
	return quic_get_struct(remote ? &qs->remote : &qs->local,
			       sizeof(qs->local),
			       QUIC_TRANSPORT_PARAM_SIZE_VER0, optval, optlen);
}

static int quic_get_event(struct sock *sk, sockptr_t optval,
			  unsigned int *optlen)
{
	struct quic_event_option ev;

	if (*optlen < sizeof(ev))
		return -EINVAL;
	if (copy_from_sockptr(&ev, optval, sizeof(ev)))
		return -EFAULT;
	if (ev.type <= QUIC_EVENT_NONE || ev.type >= QUIC_EVENT_MAX)
		return -EINVAL;
	ev.on = !!(quic_sk(sk)->events & BIT(ev.type));
	if (copy_to_sockptr(optval, &ev, sizeof(ev)))
		return -EFAULT;
	*optlen = sizeof(ev);
	return 0;
}

static int quic_get_alpn(struct sock *sk, sockptr_t optval,
			 unsigned int *optlen)
{
	struct quic_sock *qs = quic_sk(sk);
	unsigned int len = qs->alpn_len;

	if (*optlen < len)
		return -EINVAL;
	if (len && copy_to_sockptr(optval, qs->alpn, len))
		return -EFAULT;
	*optlen = len;
	return 0;
}

/* Open a stream: the next of a type (id -1) or a given one of ours. */
static int quic_get_stream_open(struct sock *sk, sockptr_t optval,
				unsigned int *optlen)
{
	struct quic_stream_info info;
	struct quic_stream *s;
	int err;

	if (*optlen < sizeof(info))
		return -EINVAL;
	if (copy_from_sockptr(&info, optval, sizeof(info)))
		return -EFAULT;
	if (info.stream_flags & ~(MSG_QUIC_STREAM_UNI |
				  MSG_QUIC_STREAM_DONTWAIT))
		return -EINVAL;
	err = quic_send_ready(sk);
	if (err)
		return err;
	if (info.stream_id != -1 &&
	    quic_stream_find(&quic_conn(sk)->streams, info.stream_id))
		return -EEXIST;
	s = quic_stream_send_get(sk, info.stream_id,
				 info.stream_flags | MSG_QUIC_STREAM_NEW, &err);
	if (!s) {
		if (err == -EAGAIN) {	/* STREAMS_BLOCKED goes out */
			quic_packet_flush_bh(sk);
		}
		return err;
	}
	info.stream_id = s->id;
	*optlen = sizeof(info);
	return copy_to_sockptr(optval, &info, sizeof(info)) ? -EFAULT : 0;
}

static int quic_get_connection_close(struct sock *sk, sockptr_t optval,
				     unsigned int *optlen)
{
	struct quic_connection_close cl = {};
	struct quic_conn *c = quic_conn(sk);
	unsigned int len;

	len = offsetof(struct quic_connection_close, phrase) +
	      c->close_phrase_len + 1;
	if (*optlen < len)
		return -EINVAL;
	cl.errcode = c->close_errcode;
	cl.frame = c->close_frame;
	memcpy(cl.phrase, c->close_phrase, c->close_phrase_len);
	*optlen = len;
	return copy_to_sockptr(optval, &cl, len) ? -EFAULT : 0;
}

/* info.dest chooses the set; the rest is filled in. */
static int quic_get_connection_id(struct sock *sk, sockptr_t optval,
				  unsigned int *optlen)
{
	struct quic_connection_id_info info;

	if (sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	if (*optlen < sizeof(info))
		return -EINVAL;
	if (copy_from_sockptr(&info, optval, sizeof(info)))
		return -EFAULT;
	info.dest = !!info.dest;
	memset(info.reserved, 0, sizeof(info.reserved));
	quic_connid_get(sk, &info);
	*optlen = sizeof(info);
	return copy_to_sockptr(optval, &info, sizeof(info)) ? -EFAULT : 0;
}

static int quic_sockopt_get(struct sock *sk, int optname, sockptr_t optval,
			    unsigned int *optlen)
{
	int err;

	if (optname == QUIC_SOCKOPT_STREAM_PEELOFF)
		return quic_peeloff(sk, optval, optlen);	/* locks itself */
	lock_sock(sk);
	switch (optname) {
	case QUIC_SOCKOPT_CONFIG:
		err = quic_get_struct(&quic_sk(sk)->config,
				      sizeof(struct quic_config),
				      QUIC_CONFIG_SIZE_VER0, optval, optlen);
		break;
	case QUIC_SOCKOPT_TRANSPORT_PARAM:
		err = quic_get_transport_param(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_EVENT:
		err = quic_get_event(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_ALPN:
		err = quic_get_alpn(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_TRANSPORT_PARAM_EXT:
		err = quic_get_transport_param_ext(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_SESSION_TICKET:
		err = quic_get_session_ticket(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_TOKEN:
		err = quic_get_token(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_STREAM_OPEN:
		err = quic_get_stream_open(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_CONNECTION_CLOSE:
		err = quic_get_connection_close(sk, optval, optlen);
		break;
	case QUIC_SOCKOPT_CONNECTION_ID:
		err = quic_get_connection_id(sk, optval, optlen);
		break;
	default:
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;
}

/**
 * quic_do_getsockopt - read a SOL_QUIC option
 * @sk: QUIC socket
 * @optname: QUIC_SOCKOPT_*
 * @optval: buffer, KERNEL_SOCKPTR() for in-kernel consumers
 * @optlen: an int: the buffer's size on entry, the option's length on
 *	return
 *
 * Context: process context; takes the socket lock.
 * Return: 0 or a negative errno, as getsockopt(2) would.
 */
int quic_do_getsockopt(struct sock *sk, int optname, sockptr_t optval,
		       sockptr_t optlen)
{
	unsigned int len;
	int ulen, err;

	if (copy_from_sockptr(&ulen, optlen, sizeof(ulen)))
		return -EFAULT;
	if (ulen < 0)
		return -EINVAL;
	len = ulen;
	err = quic_sockopt_get(sk, optname, optval, &len);
	if (err)
		return err;
	ulen = len;
	return copy_to_sockptr(optlen, &ulen, sizeof(ulen)) ? -EFAULT : 0;
}
EXPORT_SYMBOL_GPL(quic_do_getsockopt);

int quic_getsockopt(struct sock *sk, int level, int optname,
		    char __user *optval, int __user *optlen)
{
	if (level == SOL_IP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (level == SOL_IPV6 && sk->sk_family == AF_INET6)
		return ipv6_getsockopt(sk, level, optname, optval, optlen);
	if (level != SOL_QUIC)
		return -ENOPROTOOPT;
	return quic_do_getsockopt(sk, optname, USER_SOCKPTR(optval),
				  USER_SOCKPTR(optlen));
}
