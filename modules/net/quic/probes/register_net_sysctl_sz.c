// SPDX-License-Identifier: GPL-2.0-or-later
/* register_net_sysctl_sz() takes the number of entries of the table. */
#include <net/net_namespace.h>

struct ctl_table_header *quic_probe(struct net *net, struct ctl_table *t);
struct ctl_table_header *quic_probe(struct net *net, struct ctl_table *t)
{
	return register_net_sysctl_sz(net, "net/quic", t, 1);
}
