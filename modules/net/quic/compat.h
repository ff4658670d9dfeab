/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differences between the kernels this module builds for (6.1 and later).
 * Every LINUX_VERSION_CODE test of the module lives in this file.
 */

#ifndef __NET_QUIC_COMPAT_H
#define __NET_QUIC_COMPAT_H

#include <linux/version.h>
#include <net/sock.h>

/* True when building for kernel a.b or later. */
#define QUIC_KERNEL_AT_LEAST(a, b) \
	(KERNEL_VERSION(a, b, 0) <= LINUX_VERSION_CODE)

/* Since 6.6 struct proto says where struct ipv6_pinfo sits in the socket;
 * before, inet6_create() expected it at the end of the object, which is
 * where struct quic6_sock keeps it for both.
 */
#if QUIC_KERNEL_AT_LEAST(6, 6)
#define QUIC_PROTO_IPV6_PINFO(type, member) \
	.ipv6_pinfo_offset = offsetof(type, member),
#else
#define QUIC_PROTO_IPV6_PINFO(type, member)
#endif

/* from_timer() was renamed timer_container_of() in 6.16 (and some
 * stable kernels before it carry the new name too).
 */
#if !QUIC_KERNEL_AT_LEAST(6, 16) && !defined(timer_container_of)
#define timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

/* register_net_sysctl() became a macro over register_net_sysctl_sz(),
 * which takes the number of entries, in 6.6; @table ends with an empty
 * entry for the kernels before, @n does not count it.
 */
#if QUIC_KERNEL_AT_LEAST(6, 6)
#define quic_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#else
#define quic_register_net_sysctl(net, path, table, n) \
	register_net_sysctl(net, path, table)
#endif

/* hrtimer_setup() replaced hrtimer_init() and the assignment of the
 * callback in 6.13.
 */
#if QUIC_KERNEL_AT_LEAST(6, 13)
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

/* struct proto's accept() takes its arguments in a structure since 6.10. */
#if QUIC_KERNEL_AT_LEAST(6, 10)
#define QUIC_ACCEPT_ARGS	struct sock *sk, struct proto_accept_arg *arg
#define QUIC_ACCEPT_FLAGS	(arg->flags)
#define QUIC_ACCEPT_ERR		(&arg->err)
#else
#define QUIC_ACCEPT_ARGS	struct sock *sk, int flags, int *err, bool kern
#define QUIC_ACCEPT_FLAGS	(flags)
#define QUIC_ACCEPT_ERR		(err)
#endif

/* The ICMP error hook of UDP tunnel sockets got the offset of the quoted
 * UDP header until 6.2 and a pointer past it since; both leave skb->data
 * at the quoted IP header.
 */
#if QUIC_KERNEL_AT_LEAST(6, 2)
#define QUIC_UDP_ERR_ARGS	struct sock *sk, struct sk_buff *skb, int err, \
				__be16 port, u32 info, u8 *payload
#define QUIC_UDP_ERR_UH		((struct udphdr *)payload - 1)
#else
#define QUIC_UDP_ERR_ARGS	struct sock *sk, struct sk_buff *skb, \
				unsigned int udp_offset
#define QUIC_UDP_ERR_UH		((struct udphdr *)(skb->data + udp_offset))
#endif

#endif /* __NET_QUIC_COMPAT_H */
