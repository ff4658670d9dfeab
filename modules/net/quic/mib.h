/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per network namespace counters, shown in /proc/net/quic/snmp.
 */

#ifndef __NET_QUIC_MIB_H
#define __NET_QUIC_MIB_H

#include <linux/siphash.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/snmp.h>

enum quic_mib_field {
	QUIC_MIB_CONN_ACTIVEOPENS,	/* connect() */
	QUIC_MIB_CONN_PASSIVEOPENS,	/* connections a listener created */
	QUIC_MIB_CONN_ESTABLISHED,	/* handshakes completed */
	QUIC_MIB_CONN_ABORTED,		/* ended by an error or the peer */
	QUIC_MIB_CONN_TIMEDOUT,		/* idle timeout or too many probes */
	QUIC_MIB_PKT_RCV,		/* packets decrypted */
	QUIC_MIB_PKT_DECDROP,		/* packets that failed to decrypt */
	QUIC_MIB_PKT_REFUSED,		/* decrypted, not acknowledged: data
					 * beyond the receive memory
					 */
	QUIC_MIB_PKT_SND,		/* packets sent */
	QUIC_MIB_PTO,			/* probe timeouts */
	QUIC_MIB_PKT_LOST,		/* packets declared lost */
	QUIC_MIB_PKT_0RTT_SND,		/* 0-RTT packets sent */
	QUIC_MIB_PKT_0RTT_RCV,		/* 0-RTT packets decrypted */
	QUIC_MIB_VN_SND,		/* Version Negotiation sent */
	QUIC_MIB_VN_RCV,		/* Version Negotiation acted on: a
					 * new attempt, or a failed one
					 */
	QUIC_MIB_VERSION_UPGRADED,	/* compatible negotiation changed it */
	QUIC_MIB_RETRY_SND,		/* Retry packets sent */
	QUIC_MIB_RETRY_LOAD,		/* ... of them, for the namespace's
					 * half-open connections
					 */
	QUIC_MIB_RETRY_RCV,		/* Retry packets accepted */
	QUIC_MIB_TOKEN_RETRY_OK,	/* Initials with a valid Retry token */
	QUIC_MIB_TOKEN_NEW_OK,		/* ... with a valid NEW_TOKEN token */
	QUIC_MIB_TOKEN_REPLAYED,	/* ... with one that made another
					 * connection already (not valid)
					 */
	QUIC_MIB_NEW_TOKEN_SND,		/* NEW_TOKEN frames sent */
	QUIC_MIB_NEW_TOKEN_RCV,		/* NEW_TOKEN frames received */
	QUIC_MIB_CLOSE_RESENT,		/* CONNECTION_CLOSE sent again in the
					 * closing period
					 */
	QUIC_MIB_CLOSING_REFUSED,	/* closed sockets left without a
					 * closing record: limits, memory
					 */
	QUIC_MIB_RESET_SND,		/* stateless resets sent */
	QUIC_MIB_RESET_RCV,		/* stateless resets that ended a
					 * connection
					 */
	QUIC_MIB_CID_ISSUED,		/* NEW_CONNECTION_ID: IDs issued */
	QUIC_MIB_CID_RETIRED,		/* IDs of ours the peer retired */
	QUIC_MIB_PERSISTENT_CONG,	/* persistent congestion declared */
	QUIC_MIB_ECN_CE_RCV,		/* packets received marked CE */
	QUIC_MIB_ECN_CONG,		/* windows reduced for the peer's CE */
	QUIC_MIB_ECN_FAILED,		/* ECN validation failed on a path */
	QUIC_MIB_PATH_VALIDATED,	/* PATH_CHALLENGE answered */
	QUIC_MIB_PATH_FAILED,		/* path validation given up */
	QUIC_MIB_PEER_MIGRATED,		/* the peer moved to a new address */
	QUIC_MIB_PREFERRED_ADDR,	/* connections moved to a server's
					 * preferred address
					 */
	QUIC_MIB_PMTU_RAISED,		/* PMTU probes that raised the size */
	QUIC_MIB_PMTU_PTB,		/* ICMP packet too big followed */
	QUIC_MIB_PMTU_PTB_IGNORED,	/* ... that asked for less than 1200 */
	QUIC_MIB_PMTU_BLACKHOLE,	/* size dropped back for a black hole */
	QUIC_MIB_PACER_WAIT,		/* the pacer held a packet back */
	QUIC_MIB_CRYPTO_ASYNC,		/* packets whose AEAD completed
					 * asynchronously (crypto.c)
					 */
	QUIC_MIB_CRYPTO_ASYNC_FAIL,	/* ... that failed: dropped */
	QUIC_MIB_CONN_INITIAL_BAD,	/* first Initials that did not
					 * decrypt: no connection (socket.c)
					 */
	QUIC_MIB_OOO_COLLAPSED,		/* out-of-order data copied into
					 * blocks (stream.c)
					 */
	QUIC_MIB_PKT_UNSENT,		/* packets built whose sealing
					 * failed: their frames go again (tx.c)
					 */
	QUIC_MIB_GSO_SND,		/* GSO sends: one skb, several
					 * datagrams (tx.c)
					 */
	QUIC_MIB_GSO_SEGS,		/* ... the datagrams they carried */
	QUIC_MIB_GSO_PACED,		/* batches the pacer ended before
					 * the window or the data did (tx.c)
					 */
	QUIC_MIB_CRYPTO_REFUSED,	/* AEAD operations the transform
					 * refused (a full queue) or had no
					 * memory for: received packets
					 * dropped, sent ones built again
					 */
	QUIC_MIB_MAX
};

struct quic_mib {
	unsigned long mibs[QUIC_MIB_MAX];
};

/* A NEW_TOKEN token that made a connection, until it expires (retry.c) */
struct quic_token_seen {
	u64 id;				/* its random part */
	u64 dcid;			/* hash of the connection's first DCID */
	u32 expiry;			/* the token's, in seconds */
};

#define QUIC_TOKEN_SEEN_MAX	1024	/* per namespace */
#define QUIC_RETRY_HALF_OPEN	256	/* default of net.quic.retry_half_open */
/* net.quic.rmem and net.quic.wmem: what a socket's buffers start with
 * and what autotuning may raise them to; QUIC_MEM_MIN is what each socket
 * may hold even when the protocol is over net.quic.mem's pressure mark
 */
#define QUIC_MEM_MIN		4096
#define QUIC_RMEM_DEFAULT	212992
#define QUIC_RMEM_MAX		(32 << 20)
#define QUIC_WMEM_DEFAULT	212992
#define QUIC_WMEM_MAX		(32 << 20)

struct quic_net {
	DEFINE_SNMP_STAT(struct quic_mib, stat);
	struct ctl_table_header *sysctl;	/* see sysctl.c */
	int cong_algo;			/* net.quic.congestion_control */
	spinlock_t sk_lock;		/* protects sk_list */
	struct hlist_head sk_list;	/* every QUIC socket, for /proc */
	siphash_key_t reset_key[2];	/* stateless reset tokens (reset.c) */
	siphash_key_t token_key[2];	/* address validation tokens (retry.c) */
	spinlock_t token_lock;		/* protects token_seen */
	struct quic_token_seen *token_seen;	/* NEW_TOKEN tokens used */
	int closing_max;		/* net.quic.closing_max */
	int key_update_packets;		/* net.quic.key_update_packets */
	int auth_failure_limit;		/* net.quic.auth_failure_limit */
	int retry_half_open;		/* net.quic.retry_half_open */
	atomic_t half_open;		/* server connections in handshake */
	atomic_t closing_count;		/* closing records (closing.c) */
	atomic_long_t closing_mem;	/* ... and their bytes */
	int rmem[3];			/* net.quic.rmem: min (unused: the
					 * protocol's is QUIC_MEM_MIN),
					 * default, max of sk_rcvbuf
					 */
	int wmem[3];			/* net.quic.wmem: the same, sk_sndbuf */
	int gso_segments;		/* net.quic.gso_segments */
	struct proc_dir_entry *proc;	/* /proc/net/quic */
};

extern unsigned int quic_net_id;

static inline struct quic_net *quic_net(struct net *net)
{
	return net_generic(net, quic_net_id);
}

#define QUIC_INC_STATS(net, field) \
	SNMP_INC_STATS(quic_net(net)->stat, field)
#define QUIC_ADD_STATS(net, field, val) \
	SNMP_ADD_STATS(quic_net(net)->stat, field, val)

int quic_mib_net_init(struct net *net);
void quic_mib_net_exit(struct net *net);

#endif /* __NET_QUIC_MIB_H */
