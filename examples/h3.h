/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP/3 over IPPROTO_QUIC sockets with nghttp3: what quic-h3-client and
 * quic-h3-server share.  nghttp3 frames requests and responses; the
 * kernel carries its stream data, one sendmsg()/recvmsg() per piece with
 * the stream id in a QUIC_STREAM_INFO cmsg.  The kernel keeps data until
 * it is acknowledged, so nghttp3 may forget it once sendmsg() took it.
 */
#ifndef QUIC_EXAMPLES_H3_H
#define QUIC_EXAMPLES_H3_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <nghttp3/nghttp3.h>

#define H3_ALPN		"h3"
#define H3_MAX_BLOCKED	64

struct h3 {
	int sd;
	nghttp3_conn *conn;
	int timeout_ms;			/* quiet time before giving up */
	bool done;			/* set by callbacks: leave h3_run() */
	bool eof;			/* the peer ended the connection */
	int nblocked;			/* streams waiting for send room */
	int64_t blocked[H3_MAX_BLOCKED];
	uint8_t buf[65536];
};

int h3_parse_addr(const char *host, const char *port,
		  struct sockaddr_storage *ss, socklen_t *len);
int h3_open_stream(int sd, bool uni, int64_t *id);
int h3_bind_streams(struct h3 *h);
int h3_run(struct h3 *h);
void h3_close(struct h3 *h, uint64_t code, const char *phrase);
void h3_nv(nghttp3_nv *nv, const char *name, const char *value);

#endif
