// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sysctls of a network namespace, in /proc/sys/net/quic:
 *
 * congestion_control - the congestion controller new sockets start with
 *	(QUIC_CONG_ALG_*: 0 NewReno, the default, 1 CUBIC, 2 BBR); a socket
 *	changes its own with QUIC_SOCKOPT_CONFIG, accepted sockets take
 *	their listener's.
 *
 * closing_max - closing records at once in the namespace (closing.c):
 *	each answers, for up to 15 s, the packets that still come for a
 *	connection whose socket closed; 0 turns them off.  The host has
 *	at most 65536 whatever each namespace says.
 *
 * key_update_packets - 1-RTT packets a connection protects with one key
 *	before it updates its keys itself; 0 (the default) for 3/4 of the
 *	AEAD's confidentiality limit (RFC 9001 section 6.6), which also
 *	caps any value.
 *
 * retry_half_open - server connections in their handshake in the
 *	namespace past which listeners answer Initials without a valid
 *	token with Retry, as with validate_peer_address (default 256; 0:
 *	always).
 *
 * auth_failure_limit - received packets failing authentication a
 *	connection tolerates before it ends with AEAD_LIMIT_REACHED; 0 (the
 *	default) for the AEAD's integrity limit, which also caps any value.
 *
 * mem - the protocol's memory in pages, for the whole host as tcp_mem
 *	(writable in the initial namespace only): below the first value no
 *	pressure, above the second pressure, above the third sockets get no
 *	more than QUIC_MEM_MIN (received data is then not acknowledged and
 *	comes again, sendmsg() fails with ENOBUFS).
 *
 * gso_segments - datagrams a connection hands to UDP in one GSO send
 *	at most (default 64; 0 or 1: one by one).  A send also stays
 *	within QUIC_GSO_BYTES, so datagrams of the largest sizes path MTU
 *	discovery finds always go one by one.
 *
 * rmem, wmem - min (ignored: 4096 per socket), default and max of the
 *	receive and send buffers: sockets start with the default, and
 *	autotuning (the flow control windows) raises them up to the max;
 *	SO_RCVBUF and SO_SNDBUF still set them within net.core's limits.
 */

#include <linux/quic.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "closing.h"
#include "compat.h"
#include "mib.h"
#include "packet.h"
#include "socket.h"
#include "sysctl.h"

static int quic_cong_alg_max = QUIC_CONG_ALG_MAX - 1;
static int quic_buf_min = SOCK_MIN_RCVBUF;
static int quic_closing_max = QUIC_CLOSING_MAX;
static int quic_gso_max = QUIC_GSO_SEGS_MAX;

/* The template of each namespace's table; the empty entry ends it for
 * kernels that look for one (registration is given the count as well).
 */
static struct ctl_table quic_sysctl_table[] = {
	{
		.procname	= "congestion_control",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &quic_cong_alg_max,
	},
	{
		.procname	= "closing_max",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &quic_closing_max,
	},
	{
		.procname	= "key_update_packets",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
	},
	{
		.procname	= "auth_failure_limit",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
	},
	{
		.procname	= "retry_half_open",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
	},
	{
		.procname	= "mem",
		.data		= quic_sysctl_mem,
		.maxlen		= sizeof(quic_sysctl_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
	},
	{
		.procname	= "rmem",
		.maxlen		= 3 * sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &quic_buf_min,
	},
	{
		.procname	= "wmem",
		.maxlen		= 3 * sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &quic_buf_min,
	},
	{
		.procname	= "gso_segments",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &quic_gso_max,
	},
	{ }
};

#define QUIC_SYSCTL_COUNT	(ARRAY_SIZE(quic_sysctl_table) - 1)

/**
 * quic_sysctl_net_init - defaults and /proc/sys/net/quic of a namespace
 * @net: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int quic_sysctl_net_init(struct net *net)
{
	struct quic_net *qn = quic_net(net);
	struct ctl_table *t;

	qn->cong_algo = QUIC_CONG_ALG_RENO;
	qn->closing_max = QUIC_CLOSING_NET_MAX;
	qn->retry_half_open = QUIC_RETRY_HALF_OPEN;
	qn->rmem[0] = QUIC_MEM_MIN;
	qn->rmem[1] = QUIC_RMEM_DEFAULT;
	qn->rmem[2] = QUIC_RMEM_MAX;
	qn->wmem[0] = QUIC_MEM_MIN;
	qn->wmem[1] = QUIC_WMEM_DEFAULT;
	qn->wmem[2] = QUIC_WMEM_MAX;
	qn->gso_segments = QUIC_GSO_SEGS_MAX;
	t = kmemdup(quic_sysctl_table, sizeof(quic_sysctl_table), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t[0].data = &qn->cong_algo;
	t[1].data = &qn->closing_max;
	t[2].data = &qn->key_update_packets;
	t[3].data = &qn->auth_failure_limit;
	t[4].data = &qn->retry_half_open;
	if (!net_eq(net, &init_net))
		t[5].mode = 0444;	/* the host's */
	t[6].data = qn->rmem;
	t[7].data = qn->wmem;
	t[8].data = &qn->gso_segments;
	qn->sysctl = quic_register_net_sysctl(net, "net/quic", t,
					      QUIC_SYSCTL_COUNT);
	if (!qn->sysctl) {
		kfree(t);
		return -ENOMEM;
	}
	return 0;
}

void quic_sysctl_net_exit(struct net *net)
{
	struct quic_net *qn = quic_net(net);
	const struct ctl_table *t = qn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(qn->sysctl);
	kfree(t);
}
