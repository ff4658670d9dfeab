// SPDX-License-Identifier: GPL-2.0-or-later
/* net/handshake (6.5) built in: TLS handshakes of kernel sockets done by
 * a userspace agent (tls_client_hello_x509() and friends).
 */
#include <linux/key.h>
#include <linux/net.h>
#include <net/handshake.h>

#if !IS_ENABLED(CONFIG_NET_HANDSHAKE)
#error "net/handshake is not built in this kernel"
#endif

int quic_probe(const struct tls_handshake_args *args);
int quic_probe(const struct tls_handshake_args *args)
{
	return tls_client_hello_x509(args, GFP_KERNEL);
}
