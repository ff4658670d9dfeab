// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QUIC protocol registration: IPPROTO_QUIC for AF_INET and AF_INET6,
 * SOCK_STREAM and SOCK_DGRAM, the socket-level operations, and per
 * namespace setup.
 */

#include <linux/module.h>
#include <linux/proc_fs.h>
#include <net/inet_common.h>
#include <net/protocol.h>
#include <net/transp_v6.h>

#include "compat.h"
#include "cid_table.h"
#include "closing.h"
#include "crypto.h"
#include "mib.h"
#include "packet.h"
#include "reset.h"
#include "retry.h"
#include "socket.h"
#include "sysctl.h"

static int quic_inet_sendmsg(struct socket *sock, struct msghdr *msg,
			     size_t size)
{
	return sock->sk->sk_prot->sendmsg(sock->sk, msg, size);
}

static const struct proto_ops quic_proto_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= quic_inet_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= inet_accept,
	.getname	= inet_getname,
	.ioctl		= inet_ioctl,
	.listen		= quic_inet_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.poll		= quic_poll,
	.sendmsg	= quic_inet_sendmsg,
	.recvmsg	= sock_common_recvmsg,
	.mmap		= sock_no_mmap,
};

static const struct proto_ops quicv6_proto_ops = {
	.family		= PF_INET6,
	.owner		= THIS_MODULE,
	.release	= inet6_release,
	.bind		= inet6_bind,
	.connect	= quic_inet_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= inet_accept,
	.getname	= inet6_getname,
	.ioctl		= inet6_ioctl,
	.listen		= quic_inet_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.poll		= quic_poll,
	.sendmsg	= quic_inet_sendmsg,
	.recvmsg	= sock_common_recvmsg,
	.mmap		= sock_no_mmap,
};

static struct inet_protosw quic_protosw[] = {
	{
		.type		= SOCK_STREAM,
		.protocol	= IPPROTO_QUIC,
		.prot		= &quic_prot,
		.ops		= &quic_proto_ops,
	},
	{
		.type		= SOCK_DGRAM,
		.protocol	= IPPROTO_QUIC,
		.prot		= &quic_prot,
		.ops		= &quic_proto_ops,
	},
};

static struct inet_protosw quicv6_protosw[] = {
	{
		.type		= SOCK_STREAM,
		.protocol	= IPPROTO_QUIC,
		.prot		= &quicv6_prot,
		.ops		= &quicv6_proto_ops,
	},
	{
		.type		= SOCK_DGRAM,
		.protocol	= IPPROTO_QUIC,
		.prot		= &quicv6_prot,
		.ops		= &quicv6_proto_ops,
	},
};

static int __net_init quic_net_init(struct net *net)
{
	int err;

	err = quic_sysctl_net_init(net);
	if (err)
		return err;
	err = quic_mib_net_init(net);
	if (err)
		goto err_mib;
	if (!proc_create_net_single("sks", 0444, quic_net(net)->proc,
				    quic_sock_proc_show, NULL)) {
		err = -ENOMEM;
		goto err_mib_exit;
	}
	err = quic_retry_net_init(net);
	if (err)
		goto err_mib_exit;
	return 0;

err_mib_exit:
	quic_mib_net_exit(net);
err_mib:
	quic_sysctl_net_exit(net);
	return err;
}

static void __net_exit quic_net_exit(struct net *net)
{
	quic_closing_net_exit(net);	/* they hold tunnel sockets */
	quic_udp_net_exit(net);
	quic_retry_net_exit(net);
	quic_mib_net_exit(net);
	quic_sysctl_net_exit(net);
}

static struct pernet_operations quic_net_ops = {
	.init	= quic_net_init,
	.exit	= quic_net_exit,
	.id	= &quic_net_id,
	.size	= sizeof(struct quic_net),
};

static void quic_protosw_unregister(int n4, int n6)
{
	while (n6--)
		inet6_unregister_protosw(&quicv6_protosw[n6]);
	while (n4--)
		inet_unregister_protosw(&quic_protosw[n4]);
}

static int __init quic_init(void)
{
	int err, i;

	err = quic_sock_init();
	if (err)
		return err;
	err = quic_udp_init(quic_packet_udp_rcv);
	if (err)
		goto err_sock;
	err = quic_crypto_module_init();
	if (err)
		goto err_udp;
	err = quic_cid_init();
	if (err)
		goto err_cid;
	err = quic_closing_init();
	if (err)
		goto err_closing;
	err = quic_reset_init();
	if (err)
		goto err_reset;
	err = register_pernet_subsys(&quic_net_ops);
	if (err)
		goto err_crypto;
	err = proto_register(&quic_prot, 1);
	if (err)
		goto err_pernet;
	err = proto_register(&quicv6_prot, 1);
	if (err)
		goto err_prot;

	for (i = 0; i < ARRAY_SIZE(quic_protosw); i++)
		inet_register_protosw(&quic_protosw[i]);
	for (i = 0; i < ARRAY_SIZE(quicv6_protosw); i++) {
		err = inet6_register_protosw(&quicv6_protosw[i]);
		if (err) {
			quic_protosw_unregister(ARRAY_SIZE(quic_protosw), i);
			goto err_prot6;
		}
	}
	pr_info("quic: IPPROTO_QUIC %d registered\n", IPPROTO_QUIC);
	return 0;

err_prot6:
	proto_unregister(&quicv6_prot);
err_prot:
	proto_unregister(&quic_prot);
err_pernet:
	unregister_pernet_subsys(&quic_net_ops);
err_crypto:
	quic_reset_exit();
err_reset:
	quic_closing_exit();
err_closing:
	quic_cid_exit();
err_cid:
	quic_crypto_module_exit();
err_udp:
	quic_udp_exit();
err_sock:
	quic_sock_exit();
	return err;
}

static void __exit quic_exit(void)
{
	quic_protosw_unregister(ARRAY_SIZE(quic_protosw),
				ARRAY_SIZE(quicv6_protosw));
	proto_unregister(&quicv6_prot);
	proto_unregister(&quic_prot);
	unregister_pernet_subsys(&quic_net_ops);
	quic_closing_exit();
	quic_udp_exit();	/* drains pending work first */
	quic_reset_exit();
	quic_cid_exit();
	quic_crypto_module_exit();
	quic_sock_exit();
	pr_info("quic: unloaded\n");
}

module_init(quic_init);
module_exit(quic_exit);

MODULE_ALIAS("net-pf-" __stringify(PF_INET) "-proto-261");
MODULE_ALIAS("net-pf-" __stringify(PF_INET6) "-proto-261");
MODULE_DESCRIPTION("QUIC transport protocol (RFC 9000)");
MODULE_LICENSE("GPL");
MODULE_VERSION(QUIC_MODULE_VERSION);
