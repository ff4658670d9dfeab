/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tracepoints (events/quic in tracefs): packets sent, received and
 * declared lost, the congestion state after each ACK frame, and probe
 * timeouts.  Each event names the connection by its socket address (and
 * ports for packets), as the tcp events do.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM quic

#if !defined(__NET_QUIC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define __NET_QUIC_TRACE_H

#include <linux/tracepoint.h>
#include <net/inet_sock.h>

#define quic_trace_space(s)						\
	__print_symbolic(s, { 0, "initial" }, { 1, "handshake" },	\
			 { 2, "app" })

DECLARE_EVENT_CLASS(quic_packet,
		    TP_PROTO(const struct sock *sk, u8 space, u64 pn, u32 len),
		    TP_ARGS(sk, space, pn, len),
		    TP_STRUCT__entry(__field(const void *, skaddr)
				     __field(u64, pn)
				     __field(u32, len)
				     __field(u16, sport)
				     __field(u16, dport)
				     __field(u8, space)),
		    TP_fast_assign(__entry->skaddr = sk;
				   __entry->pn = pn;
				   __entry->len = len;
				   __entry->sport = ntohs(inet_sk(sk)->inet_sport);
				   __entry->dport = ntohs(inet_sk(sk)->inet_dport);
				   __entry->space = space;),
		    TP_printk("sk=%p sport=%u dport=%u space=%s pn=%llu len=%u",
			      __entry->skaddr, __entry->sport, __entry->dport,
			      quic_trace_space(__entry->space), __entry->pn,
			      __entry->len)
);

/* an ack-eliciting packet left (its size) */
DEFINE_EVENT(quic_packet, quic_packet_sent,
	     TP_PROTO(const struct sock *sk, u8 space, u64 pn, u32 len),
	     TP_ARGS(sk, space, pn, len)
);

/* a packet was decrypted and is not a duplicate (its size) */
DEFINE_EVENT(quic_packet, quic_packet_recv,
	     TP_PROTO(const struct sock *sk, u8 space, u64 pn, u32 len),
	     TP_ARGS(sk, space, pn, len)
);

/* a packet is declared lost, or given up by a probe timeout */
DEFINE_EVENT(quic_packet, quic_packet_lost,
	     TP_PROTO(const struct sock *sk, u8 space, u64 pn, u32 len),
	     TP_ARGS(sk, space, pn, len)
);

/* the congestion state after an ACK frame acknowledged something */
TRACE_EVENT(quic_cong,
	    TP_PROTO(const struct sock *sk, u32 cwnd, u32 inflight, u32 srtt,
		     u32 min_rtt, u64 pace_rate),
	    TP_ARGS(sk, cwnd, inflight, srtt, min_rtt, pace_rate),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(u64, pace_rate)
			     __field(u32, cwnd)
			     __field(u32, inflight)
			     __field(u32, srtt)
			     __field(u32, min_rtt)),
	    TP_fast_assign(__entry->skaddr = sk;
			   __entry->pace_rate = pace_rate;
			   __entry->cwnd = cwnd;
			   __entry->inflight = inflight;
			   __entry->srtt = srtt;
			   __entry->min_rtt = min_rtt;),
	    TP_printk("sk=%p cwnd=%u inflight=%u srtt_us=%u min_rtt_us=%u pace_rate=%llu",
		      __entry->skaddr, __entry->cwnd, __entry->inflight,
		      __entry->srtt, __entry->min_rtt, __entry->pace_rate)
);

/* a probe timeout fired (count: in a row, this one included) */
TRACE_EVENT(quic_pto,
	    TP_PROTO(const struct sock *sk, u32 count),
	    TP_ARGS(sk, count),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(u32, count)),
	    TP_fast_assign(__entry->skaddr = sk;
			   __entry->count = count;),
	    TP_printk("sk=%p count=%u", __entry->skaddr, __entry->count)
);

#endif /* __NET_QUIC_TRACE_H */

/* out of the kernel tree: define_trace.h finds this file by the include
 * path Kbuild gives tracepoints.o
 */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE tracepoints
#include <trace/define_trace.h>
