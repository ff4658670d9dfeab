// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers of the guest tests: a client and a server connected over
 * loopback (PSK handshake by libquic), stream sends and receives with the
 * QUIC_STREAM_INFO cmsg, and events.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "quic_pair.h"

char quic_psk[4096];
int pair_timeout = 30;

void *accept_thread(void *arg)
{
	struct accept_arg *a = arg;

	a->sd = accept(a->listener, NULL, NULL);
	a->ret = a->sd < 0 ? -errno :
		 quic_server_handshake(a->sd, quic_psk, NULL, "streamtest");
	return NULL;
}

void set_timeouts(int sd, int sec)
{
	struct timeval tv = { sec, 0 };

	setsockopt(sd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(sd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

void get_params(int sd, struct quic_transport_param *p)
{
	socklen_t len = sizeof(*p);

	memset(p, 0, sizeof(*p));
	getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, p, &len);
}

int pair_setup(int argc, char **argv, const char *args)
{
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: %s %s\n", argv[0], args);
		return -1;
	}
	snprintf(quic_psk, sizeof(quic_psk), "%s/psk.txt", argv[1]);
	f = fopen(quic_psk, "r");
	if (!f) {
		perror(quic_psk);
		return -1;
	}
	fclose(f);
	if (getenv("QUIC_DEBUG"))
		quic_set_log_level(7);
	printf("TAP version 13\n");
	return 0;
}

/* Both ends: the congestion controller QUIC_TEST_CONG names (a number),
 * and path MTU discovery every QUIC_TEST_PMTUD microseconds (default the
 * minimum, 5 s: transfers use the loopback's large datagrams; 0 turns it
 * off, as it is on a new socket).
 */
static int pair_config(int sd)
{
	const char *pmtud = getenv("QUIC_TEST_PMTUD");
	struct quic_config cfg;
	socklen_t clen = sizeof(cfg);

	if (getsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, &clen))
		return -1;
	if (getenv("QUIC_TEST_CONG"))
		cfg.congestion_control_algo = atoi(getenv("QUIC_TEST_CONG"));
	cfg.plpmtud_probe_interval = pmtud ? strtoul(pmtud, NULL, 0) :
				     QUIC_MIN_PROBE_TIMEOUT;
	return setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_CONFIG, &cfg, sizeof(cfg));
}

/* A connected pair over IPv4 loopback; returns 0 or -errno. */
int pair_open(struct pair *p, const struct opts *o)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct accept_arg arg;
	socklen_t len = sizeof(a);
	pthread_t t;
	int ret;

	memset(p, 0, sizeof(*p));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->listener = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	p->c = socket(AF_INET, SOCK_DGRAM, IPPROTO_QUIC);
	if (p->listener < 0 || p->c < 0)
		return -errno;
	if (o && o->set_sp &&
	    setsockopt(p->listener, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM,
		       &o->sp, sizeof(o->sp)))
		return -errno;
	if (o && o->set_cp &&
	    setsockopt(p->c, SOL_QUIC, QUIC_SOCKOPT_TRANSPORT_PARAM, &o->cp,
		       sizeof(o->cp)))
		return -errno;
	if (pair_config(p->c) || pair_config(p->listener))
		return -errno;
	if (o && o->pref.sin_family &&
	    setsockopt(p->listener, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION,
		       &o->pref, sizeof(o->pref)))
		return -errno;
	if (bind(p->listener, (struct sockaddr *)&a, len) ||
	    getsockname(p->listener, (struct sockaddr *)&a, &len) ||
	    listen(p->listener, 8))
		return -errno;
	set_timeouts(p->listener, pair_timeout);
	set_timeouts(p->c, pair_timeout);
	arg.listener = p->listener;
	pthread_create(&t, NULL, accept_thread, &arg);
	ret = connect(p->c, (struct sockaddr *)&a, len) ? -errno :
	      quic_client_handshake(p->c, quic_psk, NULL, "streamtest");
	pthread_join(t, NULL);
	p->s = arg.sd;
	if (p->s >= 0)
		set_timeouts(p->s, pair_timeout);
	return ret ?: arg.ret;
}

void pair_close(struct pair *p)
{
	if (p->c >= 0)
		close(p->c);
	if (p->s >= 0)
		close(p->s);
	if (p->listener >= 0)
		close(p->listener);
}

ssize_t send_stream(int sd, const void *buf, size_t len, int64_t id,
			   uint32_t sflags, int flags)
{
	char ctl[CMSG_SPACE(sizeof(struct quic_stream_info))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	struct quic_stream_info info = { .stream_id = id,
					 .stream_flags = sflags };

	c->cmsg_level = SOL_QUIC;
	c->cmsg_type = QUIC_STREAM_INFO;
	c->cmsg_len = CMSG_LEN(sizeof(info));
	memcpy(CMSG_DATA(c), &info, sizeof(info));
	return sendmsg(sd, &m, flags);
}

/* recvmsg(): *id and *sflags from the cmsg (-1 and 0 without one),
 * *mflags from msg_flags.
 */
ssize_t recv_any(int sd, void *buf, size_t len, int64_t *id,
			uint32_t *sflags, int *mflags, int flags)
{
	char ctl[CMSG_SPACE(sizeof(struct quic_stream_info))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct quic_stream_info info = { .stream_id = -1 };
	struct cmsghdr *c;
	ssize_t n;

	n = recvmsg(sd, &m, flags);
	if (n < 0)
		return n;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_QUIC &&
		    c->cmsg_type == QUIC_STREAM_INFO)
			memcpy(&info, CMSG_DATA(c), sizeof(info));
	if (id)
		*id = info.stream_id;
	if (sflags)
		*sflags = info.stream_flags;
	if (mflags)
		*mflags = m.msg_flags;
	return n;
}

int enable_event(int sd, uint8_t type)
{
	struct quic_event_option ev = { .type = type, .on = 1 };

	return setsockopt(sd, SOL_QUIC, QUIC_SOCKOPT_EVENT, &ev, sizeof(ev));
}

/* Read until an event of @type arrives (other data is dropped); copies
 * its content to @out.  Returns its length or -1.
 */
ssize_t wait_event(int sd, uint8_t type, void *out, size_t size)
{
	uint8_t buf[2048];
	ssize_t n;
	int mflags, i;

	for (i = 0; i < 1000; i++) {
		n = recv_any(sd, buf, sizeof(buf), NULL, NULL, &mflags, 0);
		if (n < 0)
			return -1;
		if (!(mflags & MSG_QUIC_NOTIFICATION) || n < 1 ||
		    buf[0] != type)
			continue;
		n--;
		memcpy(out, buf + 1, (size_t)n < size ? (size_t)n : size);
		return n;
	}
	return -1;
}
