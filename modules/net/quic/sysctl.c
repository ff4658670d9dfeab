// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sysctls of a network namespace, in /proc/sys/net/quic:
 *
 * congestion_control - the congestion controller new sockets start with
 *	(QUIC_CONG_ALG_*: 0 NewReno, the default, 1 CUBIC, 2 BBR); a socket
 *	changes its own with QUIC_SOCKOPT_CONFIG, accepted sockets take
 *	their listener's.
 */

#include <linux/quic.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "mib.h"
#include "sysctl.h"

static int quic_cong_alg_max = QUIC_CONG_ALG_MAX - 1;

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
	t = kmemdup(quic_sysctl_table, sizeof(quic_sysctl_table), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t[0].data = &qn->cong_algo;
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
