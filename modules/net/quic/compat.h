/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differences between the kernels this module builds for (6.1 and later).
 *
 * Every difference is decided by a feature probe, never by a version
 * number: distributions backport API changes, so versions lie.  Each
 * HAVE_<NAME> below comes from the generated compat_probes.h and means
 * that probes/<name>.c compiled against the target kernel's headers (see
 * probes/probe.sh and Kbuild).  Protocol code uses the names defined here
 * and has no #if of its own for kernel differences.
 */

#ifndef __NET_QUIC_COMPAT_H
#define __NET_QUIC_COMPAT_H

#ifndef __KERNEL__
/* The wire codecs built in userspace (unit tests, fuzzers): no exports,
 * and the accessors of tests/unit/shim.
 */
#define EXPORT_SYMBOL_FOR_QUIC_TEST(sym)
#include <linux/unaligned.h>
#else

#include <linux/crypto.h>
#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <net/sock.h>
#include <net/udp_tunnel.h>

#include "compat_probes.h"

/* get_unaligned_be32() and the like moved to <linux/unaligned.h>. */
#ifdef HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* struct proto says where struct ipv6_pinfo sits in the socket; without
 * the field, inet6_create() expects it at the end of the object, which is
 * where struct quic6_sock keeps it for both.
 */
#ifdef HAVE_PROTO_IPV6_PINFO_OFFSET
#define QUIC_PROTO_IPV6_PINFO(type, member) \
	.ipv6_pinfo_offset = offsetof(type, member),
#else
#define QUIC_PROTO_IPV6_PINFO(type, member)
#endif

/* from_timer() became timer_container_of(), a macro of <linux/timer.h>. */
#ifndef timer_container_of
#define timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

/* register_net_sysctl_sz() takes the number of entries; @table ends with
 * an empty entry for register_net_sysctl(), @n does not count it.
 */
#ifdef HAVE_REGISTER_NET_SYSCTL_SZ
#define quic_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#else
#define quic_register_net_sysctl(net, path, table, n) \
	register_net_sysctl(net, path, table)
#endif

/* hrtimer_setup() replaced hrtimer_init() and the assignment of the
 * callback.
 */
#ifdef HAVE_HRTIMER_SETUP
#define quic_hrtimer_setup(timer, fn, clock, mode) \
	hrtimer_setup(timer, fn, clock, mode)
#else
static inline void quic_hrtimer_setup(struct hrtimer *timer,
				      enum hrtimer_restart (*fn)(struct hrtimer *),
				      clockid_t clock, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
}
#endif

/* struct proto's accept() takes its arguments in a structure. */
#ifdef HAVE_PROTO_ACCEPT_ARG
#define QUIC_ACCEPT_ARGS	struct sock *sk, struct proto_accept_arg *arg
#define QUIC_ACCEPT_FLAGS	(arg->flags)
#define QUIC_ACCEPT_ERR		(&arg->err)
#else
#define QUIC_ACCEPT_ARGS	struct sock *sk, int flags, int *err, bool kern
#define QUIC_ACCEPT_FLAGS	(flags)
#define QUIC_ACCEPT_ERR		(err)
#endif

/* The ICMP error hook of UDP tunnel sockets got the offset of the quoted
 * UDP header, then a pointer past it; both leave skb->data at the quoted
 * IP header.
 */
#ifdef HAVE_UDP_ENCAP_ERR_RCV_PAYLOAD
#define QUIC_UDP_ERR_ARGS	struct sock *sk, struct sk_buff *skb, int err, \
				__be16 port, u32 info, u8 *payload
#define QUIC_UDP_ERR_UH		((struct udphdr *)payload - 1)
#else
#define QUIC_UDP_ERR_ARGS	struct sock *sk, struct sk_buff *skb, \
				unsigned int udp_offset
#define QUIC_UDP_ERR_UH		((struct udphdr *)(skb->data + udp_offset))
#endif

/* bind() and connect() of struct proto and struct proto_ops take a
 * struct sockaddr_unsized; code here names it struct quic_sockaddr.
 */
#ifdef HAVE_SOCKADDR_UNSIZED
#define quic_sockaddr sockaddr_unsized
#else
#define quic_sockaddr sockaddr
#endif

/* struct proto's recvmsg() lost its addr_len argument (never used here). */
#ifdef HAVE_PROTO_RECVMSG_ADDR_LEN
#define QUIC_RECVMSG_ARGS	struct sock *sk, struct msghdr *msg, \
				size_t len, int flags, int *addr_len
#else
#define QUIC_RECVMSG_ARGS	struct sock *sk, struct msghdr *msg, \
				size_t len, int flags
#endif

/* Freeing a raw clone of a listener (sk_clone_lock() locked it): no
 * destructor, as nothing of the clone was set up yet.
 */
#ifndef HAVE_SK_FREE_UNLOCK_CLONE
static inline void sk_free_unlock_clone(struct sock *sk)
{
	sk->sk_destruct = NULL;
	bh_unlock_sock(sk);
	sk_free(sk);
}
#endif

/* A socket's owner, for /proc: sk_uid() replaced sock_i_uid(). */
#ifndef HAVE_SK_UID
#define sk_uid(sk)	sock_i_uid((struct sock *)(sk))
#endif

/* The UDP tunnel helpers take the tunnel's struct sock where they took
 * its struct socket.
 */
#ifdef HAVE_UDP_TUNNEL_SETUP_SOCK_SK
#define quic_setup_udp_tunnel_sock(net, sock, cfg) \
	setup_udp_tunnel_sock(net, (sock)->sk, cfg)
#else
#define quic_setup_udp_tunnel_sock(net, sock, cfg) \
	setup_udp_tunnel_sock(net, sock, cfg)
#endif

#ifdef HAVE_UDP_TUNNEL_SOCK_RELEASE_SK
#define quic_udp_tunnel_sock_release(sock) udp_tunnel_sock_release((sock)->sk)
#else
#define quic_udp_tunnel_sock_release(sock) udp_tunnel_sock_release(sock)
#endif

/* The UDP tunnel transmit helpers take IP(6)CB flags last; none used. */
#ifdef HAVE_UDP_TUNNEL_XMIT_IPCB_FLAGS
#define quic_udp_tunnel_xmit_skb(...)	udp_tunnel_xmit_skb(__VA_ARGS__, 0)
#else
#define quic_udp_tunnel_xmit_skb(...)	udp_tunnel_xmit_skb(__VA_ARGS__)
#endif

#ifdef HAVE_UDP_TUNNEL6_XMIT_IP6CB_FLAGS
#define quic_udp_tunnel6_xmit_skb(...)	udp_tunnel6_xmit_skb(__VA_ARGS__, 0)
#else
#define quic_udp_tunnel6_xmit_skb(...)	udp_tunnel6_xmit_skb(__VA_ARGS__)
#endif

/* Crypto completions receive the request's data pointer (a pointer to
 * the request before); quic_crypto_done_data() finds the data either way.
 */
#ifdef HAVE_CRYPTO_COMPLETION_DATA
#define QUIC_CRYPTO_DONE_ARG	void *
static inline void *quic_crypto_done_data(void *data)
{
	return data;
}
#else
#define QUIC_CRYPTO_DONE_ARG	struct crypto_async_request *
static inline void *quic_crypto_done_data(struct crypto_async_request *req)
{
	return req->data;
}
#endif

/* What quic_crypto_test.ko uses is exported in a symbol namespace of its
 * own, an identifier or (later) a string literal.
 */
#ifdef HAVE_MODULE_IMPORT_NS_IDENT
#define EXPORT_SYMBOL_FOR_QUIC_TEST(sym)	EXPORT_SYMBOL_NS_GPL(sym, QUIC_INTERNAL)
#define MODULE_IMPORT_QUIC_TEST_NS()		MODULE_IMPORT_NS(QUIC_INTERNAL)
#else
#define EXPORT_SYMBOL_FOR_QUIC_TEST(sym)	EXPORT_SYMBOL_NS_GPL(sym, "QUIC_INTERNAL")
#define MODULE_IMPORT_QUIC_TEST_NS()		MODULE_IMPORT_NS("QUIC_INTERNAL")
#endif

/* net/handshake (6.5 and later, when built in): a kernel consumer has the
 * TLS handshake of its socket done by a userspace agent.  Without it the
 * same calls fail with -EOPNOTSUPP, so that consumers (quic_sample.ko)
 * build everywhere and say why they cannot work.
 */
#ifdef HAVE_NET_HANDSHAKE
#include <net/handshake.h>
#else
#include <linux/key.h>

enum {
	TLS_NO_KEYRING = 0,
	TLS_NO_PEERID = 0,
	TLS_NO_CERT = 0,
	TLS_NO_PRIVKEY = 0,
};

typedef void (*tls_done_func_t)(void *data, int status, key_serial_t peerid);

struct tls_handshake_args {
	struct socket		*ta_sock;
	tls_done_func_t		ta_done;
	void			*ta_data;
	const char		*ta_peername;
	unsigned int		ta_timeout_ms;
	key_serial_t		ta_keyring;
	key_serial_t		ta_my_cert;
	key_serial_t		ta_my_privkey;
	unsigned int		ta_num_peerids;
	key_serial_t		ta_my_peerids[5];
};

static inline int tls_client_hello_x509(const struct tls_handshake_args *args,
					gfp_t flags)
{
	return -EOPNOTSUPP;
}

static inline int tls_client_hello_psk(const struct tls_handshake_args *args,
				       gfp_t flags)
{
	return -EOPNOTSUPP;
}

static inline int tls_server_hello_x509(const struct tls_handshake_args *args,
					gfp_t flags)
{
	return -EOPNOTSUPP;
}

static inline int tls_server_hello_psk(const struct tls_handshake_args *args,
				       gfp_t flags)
{
	return -EOPNOTSUPP;
}

static inline bool tls_handshake_cancel(struct sock *sk)
{
	return true;
}
#endif

#endif /* __KERNEL__ */
#endif /* __NET_QUIC_COMPAT_H */
