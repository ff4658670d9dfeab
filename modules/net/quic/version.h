/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compatible version negotiation (RFC 9368) between QUIC v1 and v2.
 */

#ifndef __NET_QUIC_VERSION_H
#define __NET_QUIC_VERSION_H

#include "header.h"
#include "tparam.h"

struct sock;
struct quic_crypto;

int quic_version_client_keys(struct sock *sk);
struct quic_crypto *quic_version_rx_keys(struct sock *sk,
					 const struct quic_hdr *h);
void quic_version_client_switch(struct sock *sk);
void quic_version_release(struct sock *sk);
void quic_version_server_init(struct sock *sk, u32 version);
void quic_version_local_params(struct sock *sk, struct quic_tparams *tp);
int quic_version_peer_params(struct sock *sk, const struct quic_tparams *tp);
int quic_version_rcv_vn(struct sock *sk, const struct quic_hdr *h);
bool quic_version_connect(struct sock *sk, u32 version);
int quic_version_settle(struct sock *sk);

#endif /* __NET_QUIC_VERSION_H */
