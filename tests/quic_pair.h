/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers of the guest tests, see quic_pair.c.
 */

#ifndef QUIC_PAIR_H
#define QUIC_PAIR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

#include <netinet/quic.h>

#include "quic_tap.h"

extern char quic_psk[4096];	/* path of the PSK file */
extern int pair_timeout;	/* pair_open()'s SO_RCVTIMEO/SNDTIMEO, s */

struct pair {
	int c, s;		/* client and server connection */
	int listener;
};

struct opts {
	struct quic_transport_param cp, sp;	/* zero: defaults */
	int set_cp, set_sp;
	struct sockaddr_in pref;	/* server's preferred address, if
					 * its family is set
					 */
};

/* The PSK file in CERTDIR (argv[1]), QUIC_DEBUG, the TAP header: 0, or
 * -1 after a message on stderr.
 */
int pair_setup(int argc, char **argv, const char *args);
void set_timeouts(int sd, int sec);
void get_params(int sd, struct quic_transport_param *p);
/* accept() on @listener, then the PSK server handshake: a thread's */
struct accept_arg {
	int listener, sd, ret;
};
void *accept_thread(void *arg);
/* A connected pair over IPv4 loopback; returns 0 or -errno. */
int pair_open(struct pair *p, const struct opts *o);
void pair_close(struct pair *p);
ssize_t send_stream(int sd, const void *buf, size_t len, int64_t id,
		    uint32_t sflags, int flags);
/* recvmsg(): *id and *sflags from the cmsg (-1 and 0 without one),
 * *mflags from msg_flags.
 */
ssize_t recv_any(int sd, void *buf, size_t len, int64_t *id,
		 uint32_t *sflags, int *mflags, int flags);
int enable_event(int sd, uint8_t type);
/* Read until an event of @type arrives (other data is dropped); copies
 * its content to @out.  Returns its length or -1.
 */
ssize_t wait_event(int sd, uint8_t type, void *out, size_t size);

/* A connected pair for a test, reported; false (nothing left open) if
 * the handshake failed.
 */
static inline bool pair_ready(struct pair *p, const struct opts *o,
			      const char *what)
{
	int ret = pair_open(p, o);

	CHECK(!ret, "a pair for %s (%d)", what, ret);
	if (ret)
		pair_close(p);
	return !ret;
}

#endif /* QUIC_PAIR_H */
