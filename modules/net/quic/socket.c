// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QUIC socket layer: struct proto callbacks (init, destroy, bind, close)
 * and the SOL_QUIC socket options.
 */

#include <linux/tls.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/udp.h>

#include "compat.h"
#include "socket.h"

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

static int quic_init_sock(struct sock *sk)
{
	struct quic_sock *qs = quic_sk(sk);

	qs->config = quic_default_config;
	qs->local = quic_default_param;
	qs->remote = quic_default_param;
	qs->remote.remote = 1;

	sk->sk_destruct = inet_sock_destruct;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return 0;
}

static void quic_destroy_sock(struct sock *sk)
{
	struct quic_sock *qs = quic_sk(sk);

	if (qs->udp) {
		quic_udp_sock_put(qs->udp);
		qs->udp = NULL;
	}
	if (qs->alpn) {
		sock_kfree_s(sk, qs->alpn, qs->alpn_size);
		qs->alpn = NULL;
	}
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
}

/* Connections are not hashed yet; sk_common_release() still calls this. */
static int quic_hash(struct sock *sk)
{
	return 0;
}

static void quic_unhash(struct sock *sk)
{
}

static int quic_addr_from_user(struct sock *sk, struct sockaddr *uaddr,
			       int addr_len, union quic_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sk->sk_family == AF_INET6) {
		if (addr_len < SIN6_LEN_RFC2133)
			return -EINVAL;
		if (uaddr->sa_family != AF_INET6)
			return -EAFNOSUPPORT;
		memcpy(&a->v6, uaddr, min_t(int, addr_len, sizeof(a->v6)));
		a->v6.sin6_flowinfo = 0;
		if (ipv6_addr_type(&a->v6.sin6_addr) & IPV6_ADDR_MULTICAST)
			return -EINVAL;
		return 0;
	}
	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (uaddr->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	memcpy(&a->v4, uaddr, sizeof(struct sockaddr_in));
	if (ipv4_is_multicast(a->v4.sin_addr.s_addr))
		return -EINVAL;
	return 0;
}

static int quic_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct quic_sock *qs = quic_sk(sk);
	struct net *net = sock_net(sk);
	struct quic_udp_sock *us;
	union quic_addr a;
	int err;

	err = quic_addr_from_user(sk, uaddr, addr_len, &a);
	if (err)
		return err;
	if (inet_port_requires_bind_service(net, ntohs(a.v4.sin_port)) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	err = -EINVAL;
	if (qs->udp || sk->sk_state != TCP_CLOSE)
		goto out;

	us = quic_udp_sock_get(net, &a);
	if (IS_ERR(us)) {
		err = PTR_ERR(us);
		goto out;
	}
	qs->udp = us;

	inet_sk(sk)->inet_sport = a.v4.sin_port;
	inet_sk(sk)->inet_num = ntohs(a.v4.sin_port);
	if (sk->sk_family == AF_INET6) {
		sk->sk_v6_rcv_saddr = a.v6.sin6_addr;
		inet6_sk(sk)->saddr = a.v6.sin6_addr;
	} else {
		inet_sk(sk)->inet_rcv_saddr = a.v4.sin_addr.s_addr;
		inet_sk(sk)->inet_saddr = a.v4.sin_addr.s_addr;
	}
	err = 0;
out:
	release_sock(sk);
	return err;
}

static void quic_close(struct sock *sk, long timeout)
{
	lock_sock(sk);
	inet_sk_set_state(sk, TCP_CLOSE);
	release_sock(sk);
	sk_common_release(sk);
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

static int quic_set_config(struct sock *sk, sockptr_t optval,
			   unsigned int optlen)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_config c = qs->config;
	int err;

	err = quic_copy_struct(&c, sizeof(c), QUIC_CONFIG_SIZE_VER0, optval,
			       optlen);
	if (err)
		return err;

	if (!c.version)
		c.version = QUIC_VERSION_V1;
	if (c.version != QUIC_VERSION_V1 && c.version != QUIC_VERSION_V2)
		return -EINVAL;
	if (c.plpmtud_probe_interval &&
	    c.plpmtud_probe_interval < QUIC_MIN_PROBE_TIMEOUT)
		return -EINVAL;
	if (!c.initial_smoothed_rtt)
		c.initial_smoothed_rtt = quic_default_config.initial_smoothed_rtt;
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
	memset(c.reserved, 0, sizeof(c.reserved));
	memset(c.reserved1, 0, sizeof(c.reserved1));

	if (sk->sk_state != TCP_CLOSE)
		return -EISCONN;
	qs->config = c;
	return 0;
}

static int quic_set_transport_param(struct sock *sk, sockptr_t optval,
				    unsigned int optlen)
{
	struct quic_sock *qs = quic_sk(sk);
	struct quic_transport_param p;
	u8 remote;
	int err;

	if (optlen < QUIC_TRANSPORT_PARAM_SIZE_VER0)
		return -EINVAL;
	if (copy_from_sockptr(&remote, optval, sizeof(remote)))
		return -EFAULT;
	p = remote ? qs->remote : qs->local;
	err = quic_copy_struct(&p, sizeof(p), QUIC_TRANSPORT_PARAM_SIZE_VER0,
			       optval, optlen);
	if (err)
		return err;

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
	p.remote = !!p.remote;
	p.disable_active_migration = !!p.disable_active_migration;
	p.grease_quic_bit = !!p.grease_quic_bit;
	p.stateless_reset = !!p.stateless_reset;
	p.disable_1rtt_encryption = !!p.disable_1rtt_encryption;
	p.disable_compatible_version = !!p.disable_compatible_version;
	memset(p.reserved, 0, sizeof(p.reserved));

	if (sk->sk_state != TCP_CLOSE)
		return -EISCONN;
	if (p.remote)
		qs->remote = p;
	else
		qs->local = p;
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

static int quic_do_setsockopt(struct sock *sk, int optname, sockptr_t optval,
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
	case QUIC_SOCKOPT_STREAM_RESET:
	case QUIC_SOCKOPT_STREAM_STOP_SENDING:
	case QUIC_SOCKOPT_CONNECTION_ID:
	case QUIC_SOCKOPT_CONNECTION_CLOSE:
	case QUIC_SOCKOPT_CONNECTION_MIGRATION:
	case QUIC_SOCKOPT_KEY_UPDATE:
	case QUIC_SOCKOPT_TOKEN:
	case QUIC_SOCKOPT_SESSION_TICKET:
	case QUIC_SOCKOPT_CRYPTO_SECRET:
	case QUIC_SOCKOPT_TRANSPORT_PARAM_EXT:
		/* Need a connection; there is none before connect(). */
		err = -ENOTCONN;
		break;
	default:
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;
}

static int quic_setsockopt(struct sock *sk, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	if (level != SOL_QUIC)
		return -ENOPROTOOPT;
	return quic_do_setsockopt(sk, optname, optval, optlen);
}

/**
 * quic_kernel_setsockopt - set a SOL_QUIC option from kernel memory
 * @sk: QUIC socket
 * @optname: QUIC_SOCKOPT_*
 * @optval: option value
 * @optlen: its length
 *
 * Return: 0 or a negative errno, as setsockopt(2) would.
 */
int quic_kernel_setsockopt(struct sock *sk, int optname, void *optval,
			   unsigned int optlen)
{
	return quic_do_setsockopt(sk, optname, KERNEL_SOCKPTR(optval), optlen);
}
EXPORT_SYMBOL_GPL(quic_kernel_setsockopt);

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

static int quic_do_getsockopt(struct sock *sk, int optname, sockptr_t optval,
			      unsigned int *optlen)
{
	int err;

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
	case QUIC_SOCKOPT_STREAM_OPEN:
	case QUIC_SOCKOPT_CONNECTION_ID:
	case QUIC_SOCKOPT_CONNECTION_CLOSE:
	case QUIC_SOCKOPT_TOKEN:
	case QUIC_SOCKOPT_SESSION_TICKET:
	case QUIC_SOCKOPT_TRANSPORT_PARAM_EXT:
	case QUIC_SOCKOPT_STREAM_PEELOFF:
		err = -ENOTCONN;
		break;
	default:
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;
}

static int quic_getsockopt(struct sock *sk, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	unsigned int len;
	int ulen, err;

	if (level != SOL_QUIC)
		return -ENOPROTOOPT;
	if (get_user(ulen, optlen))
		return -EFAULT;
	if (ulen < 0)
		return -EINVAL;
	len = ulen;
	err = quic_do_getsockopt(sk, optname, USER_SOCKPTR(optval), &len);
	if (err)
		return err;
	return put_user(len, optlen) ? -EFAULT : 0;
}

/**
 * quic_kernel_getsockopt - read a SOL_QUIC option into kernel memory
 * @sk: QUIC socket
 * @optname: QUIC_SOCKOPT_*
 * @optval: buffer
 * @optlen: its size on entry, the option's length on return
 *
 * Return: 0 or a negative errno, as getsockopt(2) would.
 */
int quic_kernel_getsockopt(struct sock *sk, int optname, void *optval,
			   unsigned int *optlen)
{
	return quic_do_getsockopt(sk, optname, KERNEL_SOCKPTR(optval), optlen);
}
EXPORT_SYMBOL_GPL(quic_kernel_getsockopt);

struct proto quic_prot = {
	.name		= "QUIC",
	.owner		= THIS_MODULE,
	.init		= quic_init_sock,
	.destroy	= quic_destroy_sock,
	.close		= quic_close,
	.bind		= quic_bind,
	.setsockopt	= quic_setsockopt,
	.getsockopt	= quic_getsockopt,
	.hash		= quic_hash,
	.unhash		= quic_unhash,
	.obj_size	= sizeof(struct quic_sock),
};

struct proto quicv6_prot = {
	.name		= "QUICv6",
	.owner		= THIS_MODULE,
	.init		= quic_init_sock,
	.destroy	= quic_destroy_sock,
	.close		= quic_close,
	.bind		= quic_bind,
	.setsockopt	= quic_setsockopt,
	.getsockopt	= quic_getsockopt,
	.hash		= quic_hash,
	.unhash		= quic_unhash,
	.obj_size	= sizeof(struct quic6_sock),
	QUIC_PROTO_IPV6_PINFO(struct quic6_sock, inet6)
};

int quic_sock_init(void)
{
	BUILD_BUG_ON(sizeof(struct quic_handshake_info) != 1);
	BUILD_BUG_ON(sizeof(struct quic_stream_info) != 16);
	BUILD_BUG_ON(sizeof(struct quic_transport_param) !=
		     QUIC_TRANSPORT_PARAM_SIZE_VER1);
	BUILD_BUG_ON(offsetof(struct quic_transport_param, reserved) !=
		     QUIC_TRANSPORT_PARAM_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct quic_config) != QUIC_CONFIG_SIZE_VER1);
	BUILD_BUG_ON(offsetof(struct quic_config, reserved1) !=
		     QUIC_CONFIG_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct quic_crypto_secret) != 56);
	BUILD_BUG_ON(sizeof(struct quic_errinfo) != 16);
	BUILD_BUG_ON(sizeof(struct quic_connection_id_info) != 12);
	BUILD_BUG_ON(sizeof(struct quic_event_option) != 2);
	BUILD_BUG_ON(sizeof(struct quic_stream_update) != 24);
	BUILD_BUG_ON(sizeof(struct quic_stream_max_data) != 16);
	BUILD_BUG_ON(sizeof(struct quic_connection_close) != 72);
	BUILD_BUG_ON(sizeof(struct quic_stream_peeloff) != 16);
	BUILD_BUG_ON(QUIC_EVENT_MAX > 32);
	return 0;
}
