// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * quic_sendmsg() and quic_recvmsg(): sendmsg()/recvmsg() with the stream
 * id and stream flags carried in a QUIC_STREAM_INFO control message.
 */

#include <errno.h>
#include <string.h>

#include <netinet/quic.h>

#include "internal.h"

/**
 * quic_sendmsg - send data on a stream, or a datagram
 * @sd: QUIC socket
 * @msg: data
 * @len: its length
 * @sid: stream id, or -1 for the stream chosen by @flags
 * @flags: MSG_QUIC_STREAM_* stream flags and sendmsg() flags; with
 *	MSG_QUIC_DATAGRAM the data goes out as a datagram and @sid is ignored
 *
 * Return: bytes accepted, or -1 with errno set.
 */
QUIC_EXPORT ssize_t quic_sendmsg(int sd, const void *msg, size_t len,
				 int64_t sid, uint32_t flags)
{
	char ctl[CMSG_SPACE(sizeof(struct quic_stream_info))];
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct quic_stream_info info;
	struct cmsghdr *c;

	if (!(flags & MSG_QUIC_DATAGRAM)) {
		memset(ctl, 0, sizeof(ctl));
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_QUIC;
		c->cmsg_type = QUIC_STREAM_INFO;
		c->cmsg_len = CMSG_LEN(sizeof(info));
		memset(&info, 0, sizeof(info));
		info.stream_id = sid;
		info.stream_flags = flags;
		memcpy(CMSG_DATA(c), &info, sizeof(info));
	}
	return sendmsg(sd, &m, (int)flags);
}

/**
 * quic_recvmsg - receive stream data, a datagram or an event
 * @sd: QUIC socket
 * @msg: buffer
 * @len: its size
 * @sid: if not NULL, set to the stream id of stream data
 * @flags: if not NULL, recvmsg() flags on entry; on return the msg_flags
 *	(MSG_EOR, MSG_QUIC_DATAGRAM, MSG_QUIC_NOTIFICATION) and the stream
 *	flags (MSG_QUIC_STREAM_FIN) of what was received
 *
 * Return: bytes received, or -1 with errno set.
 */
QUIC_EXPORT ssize_t quic_recvmsg(int sd, void *msg, size_t len, int64_t *sid,
				 uint32_t *flags)
{
	char ctl[CMSG_SPACE(sizeof(struct quic_stream_info))];
	struct iovec iov = { .iov_base = msg, .iov_len = len };
	struct msghdr m = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl,
		.msg_controllen = sizeof(ctl),
	};
	struct quic_stream_info info;
	struct cmsghdr *c;
	ssize_t ret;

	ret = recvmsg(sd, &m, flags ? (int)*flags : 0);
	if (ret < 0)
		return ret;
	if (flags)
		*flags = (uint32_t)m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_QUIC ||
		    c->cmsg_type != QUIC_STREAM_INFO ||
		    c->cmsg_len < CMSG_LEN(sizeof(info)))
			continue;
		memcpy(&info, CMSG_DATA(c), sizeof(info));
		if (sid)
			*sid = info.stream_id;
		if (flags)
			*flags |= info.stream_flags;
		break;
	}
	return ret;
}
