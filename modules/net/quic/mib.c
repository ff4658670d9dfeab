// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Counters per network namespace and /proc/net/quic/snmp, one "Name Value"
 * line per counter, in the style of /proc/net/sctp/snmp.
 */

#include <linux/proc_fs.h>
#include <linux/random.h>
#include <linux/seq_file.h>

#include "crypto.h"
#include "mib.h"

unsigned int quic_net_id __read_mostly;

static const char *const quic_mib_names[QUIC_MIB_MAX] = {
	[QUIC_MIB_CONN_ACTIVEOPENS]	= "QuicConnActiveOpens",
	[QUIC_MIB_CONN_PASSIVEOPENS]	= "QuicConnPassiveOpens",
	[QUIC_MIB_CONN_ESTABLISHED]	= "QuicConnEstablished",
	[QUIC_MIB_CONN_ABORTED]		= "QuicConnAborted",
	[QUIC_MIB_CONN_TIMEDOUT]	= "QuicConnTimedOut",
	[QUIC_MIB_PKT_RCV]		= "QuicPktRcv",
	[QUIC_MIB_PKT_DECDROP]		= "QuicPktDecryptDrop",
	[QUIC_MIB_PKT_REFUSED]		= "QuicPktRefused",
	[QUIC_MIB_PKT_SND]		= "QuicPktSnd",
	[QUIC_MIB_PTO]			= "QuicProbeTimeouts",
	[QUIC_MIB_PKT_LOST]		= "QuicPacketsLost",
	[QUIC_MIB_PKT_0RTT_SND]		= "Quic0RttPktSnd",
	[QUIC_MIB_PKT_0RTT_RCV]		= "Quic0RttPktRcv",
	[QUIC_MIB_VN_SND]		= "QuicVersionNegotiationSnd",
	[QUIC_MIB_VN_RCV]		= "QuicVersionNegotiationRcv",
	[QUIC_MIB_VERSION_UPGRADED]	= "QuicVersionUpgraded",
	[QUIC_MIB_RETRY_SND]		= "QuicRetrySnd",
	[QUIC_MIB_RETRY_LOAD]		= "QuicRetryLoad",
	[QUIC_MIB_RETRY_RCV]		= "QuicRetryRcv",
	[QUIC_MIB_TOKEN_RETRY_OK]	= "QuicTokenRetryValid",
	[QUIC_MIB_TOKEN_NEW_OK]		= "QuicTokenNewValid",
	[QUIC_MIB_TOKEN_REPLAYED]	= "QuicTokenNewReplayed",
	[QUIC_MIB_NEW_TOKEN_SND]	= "QuicNewTokenSnd",
	[QUIC_MIB_NEW_TOKEN_RCV]	= "QuicNewTokenRcv",
	[QUIC_MIB_CLOSE_RESENT]		= "QuicCloseResent",
	[QUIC_MIB_CLOSING_REFUSED]	= "QuicClosingRefused",
	[QUIC_MIB_RESET_SND]		= "QuicStatelessResetSnd",
	[QUIC_MIB_RESET_RCV]		= "QuicStatelessResetRcv",
	[QUIC_MIB_CID_ISSUED]		= "QuicConnIdIssued",
	[QUIC_MIB_CID_RETIRED]		= "QuicConnIdRetired",
	[QUIC_MIB_PERSISTENT_CONG]	= "QuicPersistentCongestion",
	[QUIC_MIB_ECN_CE_RCV]		= "QuicEcnCeRcv",
	[QUIC_MIB_ECN_CONG]		= "QuicEcnCongestion",
	[QUIC_MIB_ECN_FAILED]		= "QuicEcnFailed",
	[QUIC_MIB_PATH_VALIDATED]	= "QuicPathValidated",
	[QUIC_MIB_PATH_FAILED]		= "QuicPathFailed",
	[QUIC_MIB_PEER_MIGRATED]	= "QuicPeerMigrated",
	[QUIC_MIB_PREFERRED_ADDR]	= "QuicPreferredAddress",
	[QUIC_MIB_PMTU_RAISED]		= "QuicPmtuRaised",
	[QUIC_MIB_PMTU_PTB]		= "QuicPmtuPtb",
	[QUIC_MIB_PMTU_PTB_IGNORED]	= "QuicPmtuPtbIgnored",
	[QUIC_MIB_PMTU_BLACKHOLE]	= "QuicPmtuBlackhole",
	[QUIC_MIB_PACER_WAIT]		= "QuicPacerWaits",
	[QUIC_MIB_CRYPTO_ASYNC]		= "QuicCryptoAsync",
	[QUIC_MIB_CRYPTO_ASYNC_FAIL]	= "QuicCryptoAsyncFailed",
	[QUIC_MIB_CONN_INITIAL_BAD]	= "QuicConnInitialDropped",
	[QUIC_MIB_OOO_COLLAPSED]	= "QuicOooCollapsed",
	[QUIC_MIB_PKT_UNSENT]		= "QuicPktUnsent",
	[QUIC_MIB_GSO_SND]		= "QuicGsoSends",
	[QUIC_MIB_GSO_SEGS]		= "QuicGsoSegments",
	[QUIC_MIB_GSO_PACED]		= "QuicGsoPaced",
	[QUIC_MIB_CRYPTO_REFUSED]	= "QuicCryptoRefused",
};

static int quic_snmp_show(struct seq_file *seq, void *v)
{
	struct quic_net *qn = quic_net(seq_file_single_net(seq));
	unsigned long val;
	int i, cpu;

	for (i = 0; i < QUIC_MIB_MAX; i++) {
		val = 0;
		for_each_possible_cpu(cpu)
			val += per_cpu_ptr(qn->stat, cpu)->mibs[i];
		seq_printf(seq, "%-32s\t%lu\n", quic_mib_names[i], val);
	}
	/* gauges, as TcpCurrEstab is in /proc/net/snmp */
	seq_printf(seq, "%-32s\t%d\n", "QuicClosingRecords",
		   atomic_read(&qn->closing_count));
	seq_printf(seq, "%-32s\t%ld\n", "QuicClosingMemory",
		   atomic_long_read(&qn->closing_mem));
	seq_printf(seq, "%-32s\t%d\n", "QuicHalfOpen",
		   atomic_read(&qn->half_open));
	return 0;
}

/**
 * quic_mib_net_init - counters and /proc/net/quic of a namespace: snmp
 * (the counters) and crypto (the AEAD drivers); protocol.c adds sks
 * @net: the namespace
 *
 * Return: 0 or a negative error.
 */
int quic_mib_net_init(struct net *net)
{
	struct quic_net *qn = quic_net(net);
	struct proc_dir_entry *dir;

	spin_lock_init(&qn->sk_lock);
	INIT_HLIST_HEAD(&qn->sk_list);
	get_random_bytes(qn->reset_key, sizeof(qn->reset_key));
	qn->stat = alloc_percpu(struct quic_mib);
	if (!qn->stat)
		return -ENOMEM;
	dir = proc_net_mkdir(net, "quic", net->proc_net);
	if (!dir || !proc_create_net_single("snmp", 0444, dir, quic_snmp_show,
					    NULL) ||
	    !proc_create_net_single("crypto", 0444, dir, quic_crypto_proc_show,
				    NULL)) {
		remove_proc_subtree("quic", net->proc_net);
		free_percpu(qn->stat);
		qn->stat = NULL;
		return -ENOMEM;
	}
	qn->proc = dir;
	return 0;
}

void quic_mib_net_exit(struct net *net)
{
	struct quic_net *qn = quic_net(net);

	remove_proc_subtree("quic", net->proc_net);
	free_percpu(qn->stat);
	qn->stat = NULL;
}
