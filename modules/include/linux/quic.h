/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QUIC for in-kernel consumers (SMB, NFS, ...).  They create sockets with
 * sock_create_kern(net, family, type, IPPROTO_QUIC, &sock) and use the same
 * socket options as userspace through the helpers below, which take kernel
 * pointers.
 */

#ifndef _LINUX_QUIC_H
#define _LINUX_QUIC_H

#include <uapi/linux/quic.h>

struct sock;

int quic_kernel_setsockopt(struct sock *sk, int optname, void *optval,
			   unsigned int optlen);
int quic_kernel_getsockopt(struct sock *sk, int optname, void *optval,
			   unsigned int *optlen);

#endif /* _LINUX_QUIC_H */
