/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QUIC for in-kernel consumers (SMB, NFS, ...).  They create sockets with
 * sock_create_kern(net, family, type, IPPROTO_QUIC, &sock) and use the same
 * socket options as userspace through the helpers below, with
 * KERNEL_SOCKPTR() values (the length of quic_do_getsockopt() is an int);
 * stream data goes through kernel_sendmsg()/kernel_recvmsg() with the
 * QUIC_STREAM_INFO cmsg.
 */

#ifndef _LINUX_QUIC_H
#define _LINUX_QUIC_H

#include <linux/sockptr.h>
#include <uapi/linux/quic.h>

struct sock;

int quic_do_setsockopt(struct sock *sk, int optname, sockptr_t optval,
		       unsigned int optlen);
int quic_do_getsockopt(struct sock *sk, int optname, sockptr_t optval,
		       sockptr_t optlen);

#endif /* _LINUX_QUIC_H */
