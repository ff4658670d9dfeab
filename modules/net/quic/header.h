/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QUIC packet headers (RFC 9000 section 17, RFC 8999, RFC 9369 section
 * 3.2, RFC 9287): long and short headers of versions 1 and 2, Version
 * Negotiation and Retry packets, coalesced packets.  Pure functions over
 * buffers, built both into the module and into the userspace unit tests
 * and fuzzers.
 */

#ifndef __NET_QUIC_HEADER_H
#define __NET_QUIC_HEADER_H

#include <linux/types.h>

#define QUIC_CID_MAX_LEN	20	/* versions 1 and 2 */
#define QUIC_CID_MAX_LEN_ANY	255	/* any version (RFC 8999) */
#define QUIC_MIN_INITIAL_SIZE	1200	/* client Initial datagrams */
#define QUIC_MIN_ODCID_LEN	8	/* a client's first Destination Connection ID */

#define QUIC_HDR_FORM_LONG	0x80
#define QUIC_HDR_FIXED_BIT	0x40
#define QUIC_HDR_SPIN_BIT	0x20
#define QUIC_HDR_KEY_PHASE	0x04
#define QUIC_HDR_LONG_RESERVED	0x0c	/* after header protection removal */
#define QUIC_HDR_SHORT_RESERVED	0x18

enum quic_packet_type {
	QUIC_PACKET_INITIAL,
	QUIC_PACKET_0RTT,
	QUIC_PACKET_HANDSHAKE,
	QUIC_PACKET_RETRY,
	QUIC_PACKET_1RTT,			/* short header */
	QUIC_PACKET_VERSION_NEGOTIATION,
};

/* A parsed header.  Pointers point into the parsed buffer. */
struct quic_hdr {
	u8 type;		/* enum quic_packet_type */
	u8 first;		/* first byte, still header protected */
	u32 version;		/* long headers */
	const u8 *dcid;
	const u8 *scid;		/* long headers */
	u8 dcid_len;
	u8 scid_len;
	const u8 *token;	/* Initial: token; Retry: Retry Token */
	u64 token_len;
	u64 length;		/* Initial, 0-RTT, Handshake: Length field */
	unsigned int pn_offset;	/* offset of the packet number, if any */
	unsigned int len;	/* bytes of this packet in the datagram */
	const u8 *versions;	/* Version Negotiation: list, 4 bytes each */
	unsigned int nversions;
};

/* Parse options */
#define QUIC_HDR_GREASE_OK	0x01	/* we sent grease_quic_bit (RFC 9287) */

bool quic_version_supported(u32 version);
int quic_packet_type_bits(u32 version, u8 type);

int quic_hdr_parse(const u8 *buf, size_t len, u8 short_dcid_len,
		   unsigned int flags, struct quic_hdr *h);
int quic_hdr_check_reserved(u8 first);

/* Fields for writing a header.  type, version, cids and, for Initial,
 * token; length is the Length field value (packet number, payload and
 * AEAD tag) for long headers.
 */
struct quic_hdr_out {
	u8 type;
	u8 grease;		/* clear the fixed bit (peer sent grease_quic_bit) */
	u8 spin;		/* short header spin bit */
	u8 key_phase;		/* short header key phase bit */
	u32 version;
	const u8 *dcid;
	const u8 *scid;
	u8 dcid_len;
	u8 scid_len;
	const u8 *token;
	u64 token_len;
	u64 length;
};

int quic_hdr_put(u8 *buf, size_t size, const struct quic_hdr_out *h,
		 u32 pn, u8 pn_len, unsigned int *pn_offset);
int quic_vn_put(u8 *buf, size_t size, u8 first, const u8 *dcid, u8 dcid_len,
		const u8 *scid, u8 scid_len, const u32 *versions,
		unsigned int n);
u32 quic_vn_version(const struct quic_hdr *h, unsigned int i);
int quic_probe_put(u8 *buf, size_t size, u32 version, const u8 *dcid,
		   u8 dcid_len, const u8 *scid, u8 scid_len);
int quic_retry_put(u8 *buf, size_t size, u8 first, u32 version,
		   const u8 *dcid, u8 dcid_len, const u8 *scid, u8 scid_len,
		   const u8 *token, unsigned int token_len);

#endif /* __NET_QUIC_HEADER_H */
