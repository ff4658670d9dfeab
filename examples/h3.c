// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP/3 over IPPROTO_QUIC sockets with nghttp3: the loop shared by
 * quic-h3-client and quic-h3-server.
 *
 * The socket is nonblocking.  h3_run() alternates between writing what
 * nghttp3 has for any stream (a stream whose data does not fit in the
 * send buffer is blocked in nghttp3 until poll() reports room) and
 * reading what arrived, stream by stream, into nghttp3.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/uio.h>

#include <netinet/quic.h>

#include "h3.h"

int h3_parse_addr(const char *host, const char *port,
		  struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(atoi(port));
		*len = sizeof(*a6);
	} else if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(atoi(port));
		*len = sizeof(*a4);
	} else {
		return -1;
	}
	return 0;
}

/* A new local stream, bidirectional or unidirectional. */
int h3_open_stream(int sd, bool uni, int64_t *id)
{
	struct quic_stream_info info = { .stream_id = -1 };
	socklen_t len = sizeof(info);

	if (uni)
		info.stream_flags = MSG_QUIC_STREAM_UNI;
	if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_STREAM_OPEN, &info, &len))
		return -errno;
	*id = info.stream_id;
	return 0;
}

/* The control stream and the two QPACK streams (RFC 9114 section 6.2). */
int h3_bind_streams(struct h3 *h)
{
	int64_t ctrl = -1, enc = -1, dec = -1;
	int ret;

	ret = h3_open_stream(h->sd, true, &ctrl);
	if (!ret)
		ret = h3_open_stream(h->sd, true, &enc);
	if (!ret)
		ret = h3_open_stream(h->sd, true, &dec);
	if (ret)
		return ret;
	if (nghttp3_conn_bind_control_stream(h->conn, ctrl) ||
	    nghttp3_conn_bind_qpack_streams(h->conn, enc, dec))
		return -EINVAL;
	return 0;
}

void h3_nv(nghttp3_nv *nv, const char *name, const char *value)
{
	nv->name = (uint8_t *)name;
	nv->namelen = strlen(name);
	nv->value = (uint8_t *)value;
	nv->valuelen = strlen(value);
	nv->flags = NGHTTP3_NV_FLAG_NONE;
}

/* sendmsg() of nghttp3's vectors on one stream: bytes taken or -errno. */
static ssize_t h3_sendv(int sd, int64_t id, const nghttp3_vec *vec, int cnt,
			bool fin)
{
	char ctl[CMSG_SPACE(sizeof(struct quic_stream_info))] = {};
	struct iovec iov[16];
	struct msghdr m = {
		.msg_iov = iov,
		.msg_iovlen = cnt,
		.msg_control = ctl,
		.msg_controllen = sizeof(ctl),
	};
	struct quic_stream_info info = { .stream_id = id };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	ssize_t n;
	int i;

	for (i = 0; i < cnt; i++) {
		iov[i].iov_base = vec[i].base;
		iov[i].iov_len = vec[i].len;
	}
	if (fin)
		info.stream_flags = MSG_QUIC_STREAM_FIN;
	c->cmsg_level = SOL_QUIC;
	c->cmsg_type = QUIC_STREAM_INFO;
	c->cmsg_len = CMSG_LEN(sizeof(info));
	memcpy(CMSG_DATA(c), &info, sizeof(info));
	n = sendmsg(sd, &m, MSG_DONTWAIT);
	return n < 0 ? -errno : n;
}

static int h3_block(struct h3 *h, int64_t id)
{
	if (h->nblocked == H3_MAX_BLOCKED)
		return -ENOBUFS;
	nghttp3_conn_block_stream(h->conn, id);
	h->blocked[h->nblocked++] = id;
	return 0;
}

static void h3_unblock_all(struct h3 *h)
{
	while (h->nblocked)
		nghttp3_conn_unblock_stream(h->conn, h->blocked[--h->nblocked]);
}

/* Everything nghttp3 has to send, until the send buffer is full. */
static int h3_write(struct h3 *h)
{
	nghttp3_vec vec[16];
	nghttp3_ssize cnt;
	int64_t id;
	bool again;
	ssize_t n;
	size_t len;
	int fin;

	for (;;) {
		id = -1;
		fin = 0;
		cnt = nghttp3_conn_writev_stream(h->conn, &id, &fin, vec, 16);
		if (cnt < 0)
			return -EPROTO;
		if (id < 0)
			return 0;
		len = nghttp3_vec_len(vec, cnt);
		n = h3_sendv(h->sd, id, vec, (int)cnt, fin);
		again = n == -EAGAIN;
		if (again)
			n = 0;
		else if (n < 0)
			return (int)n;
		/* taken means acknowledged for nghttp3: the kernel resends */
		if (nghttp3_conn_add_write_offset(h->conn, id, n) ||
		    nghttp3_conn_add_ack_offset(h->conn, id, n))
			return -EPROTO;
		if (again || (size_t)n < len)
			return h3_block(h, id);
	}
}

/* Did the peer close the connection with H3_NO_ERROR? */
static bool h3_closed_cleanly(struct h3 *h)
{
	struct quic_connection_close cl = {};
	socklen_t len = sizeof(cl);

	return !getsockopt(h->sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_CLOSE,
			   &cl, &len) && cl.errcode == NGHTTP3_H3_NO_ERROR;
}

/* What arrived, stream by stream; 1 at the end of the connection. */
static int h3_read(struct h3 *h)
{
	nghttp3_ssize used;
	uint32_t flags;
	ssize_t n;
	int64_t id;

	for (;;) {
		flags = MSG_DONTWAIT;
		id = -1;
		n = quic_recvmsg(h->sd, h->buf, sizeof(h->buf), &id, &flags);
		if (n < 0 && errno == ECONNRESET && h3_closed_cleanly(h)) {
			n = 0;
			flags = 0;
		} else if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (flags & MSG_QUIC_NOTIFICATION)
			continue;
		if (!n && !(flags & MSG_QUIC_STREAM_FIN)) {
			h->eof = true;
			return 1;
		}
		used = nghttp3_conn_read_stream(h->conn, id, h->buf, n,
						!!(flags & MSG_QUIC_STREAM_FIN));
		if (used < 0)
			return -EPROTO;
		if (h->done)
			return 0;
	}
}

/* Until a callback sets h->done, the peer ends the connection (1), an
 * error (-errno) or h->timeout_ms without progress (-ETIMEDOUT).
 */
int h3_run(struct h3 *h)
{
	struct pollfd p = { .fd = h->sd };
	int ret;

	while (!h->done) {
		ret = h3_write(h);
		if (ret || h->done)
			return ret;
		p.events = POLLIN | (h->nblocked ? POLLOUT : 0);
		ret = poll(&p, 1, h->timeout_ms);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -errno;
		if (!ret)
			return -ETIMEDOUT;
		if (p.revents & POLLOUT)
			h3_unblock_all(h);
		if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
			ret = h3_read(h);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* CONNECTION_CLOSE with an HTTP/3 code (RFC 9114 section 8.1). */
void h3_close(struct h3 *h, uint64_t code, const char *phrase)
{
	struct quic_connection_close cl = { .errcode = (uint32_t)code };

	strncpy((char *)cl.phrase, phrase, sizeof(cl.phrase) - 1);
	setsockopt(h->sd, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_CLOSE, &cl,
		   sizeof(cl));
}
