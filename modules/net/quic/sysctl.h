/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sysctls of a network namespace (/proc/sys/net/quic).
 */

#ifndef __NET_QUIC_SYSCTL_H
#define __NET_QUIC_SYSCTL_H

struct net;

int quic_sysctl_net_init(struct net *net);
void quic_sysctl_net_exit(struct net *net);

#endif
