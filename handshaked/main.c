// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quic-handshaked: listen for handshake requests of kernel QUIC sockets,
 * run each in a child process (a crash or a stuck peer costs one request,
 * not the agent), report the result.  See quic-handshaked(8).
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include <linux/keyctl.h>
#include <netinet/quic.h>

#include "handshaked.h"

#define HSD_CONFIG	SYSCONFDIR "/quic-handshaked.conf"
#define HSD_RESCAN_MS	5000	/* ACCEPT without a notification */

static int hsd_loglevel;
static volatile sig_atomic_t hsd_stop;

void hsd_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > hsd_loglevel)
		return;
	fprintf(stderr, "quic-handshaked[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void hsd_libquic_log(int level, const char *msg)
{
	hsd_log(level >= LOG_DEBUG ? 2 : level >= LOG_NOTICE ? 1 : 0,
		"libquic: %s", msg);
}

static void hsd_on_signal(int sig)
{
	(void)sig;
	hsd_stop = 1;
}

/* One request, in a child: the handshake, then DONE. */
static void hsd_serve(const struct hsd_config *cfg, struct hsd_request *req)
{
	unsigned int status;

	status = hsd_handshake(cfg, req);
	if (hsd_nl_done(req, status))
		hsd_err("request on fd %d: DONE not accepted", req->sockfd);
	else
		hsd_debug("request on fd %d: DONE, status %u", req->sockfd,
			  status);
	close(req->sockfd);
}

static void hsd_accept_all(const struct hsd_config *cfg, struct hsd_nl *nl)
{
	struct hsd_request req;
	pid_t pid;

	while (!hsd_nl_accept(&req)) {
		hsd_debug("request: fd %d, type %u, auth %u", req.sockfd,
			  req.msg_type, req.auth_mode);
		pid = fork();
		if (pid == 0) {
			hsd_nl_close(nl);
			hsd_serve(cfg, &req);
			_exit(0);
		}
		if (pid < 0) {
			hsd_err("fork: %s", strerror(errno));
			hsd_nl_done(&req, ENOMEM);
		}
		close(req.sockfd);
	}
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-c CONFIG] [-d]... [-V]\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *path = HSD_CONFIG;
	struct hsd_config cfg;
	struct sigaction sa;
	struct hsd_nl *nl;
	struct pollfd p;
	int opt, debug = -1;

	while ((opt = getopt(argc, argv, "c:dVh")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			debug = debug < 0 ? 1 : debug + 1;
			break;
		case 'V':
			printf("quic-handshaked %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
	hsd_loglevel = 1;
	if (hsd_config_load(path, &cfg))
		return 1;
	hsd_loglevel = debug >= 0 ? debug + 1 : cfg.loglevel;
	quic_set_log_func(hsd_libquic_log);
	quic_set_log_level(hsd_loglevel >= 2 ? LOG_DEBUG : LOG_NOTICE);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hsd_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = SA_NOCLDWAIT;	/* children are not waited for */
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* a session keyring of our own, to possess the keyrings we link:
	 * our user's (keys added to @u) and those of the configuration
	 */
	if (syscall(__NR_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0) < 0 ||
	    hsd_key_link_session(KEY_SPEC_USER_KEYRING))
		hsd_notice("session keyring: %s", strerror(errno));
	hsd_key_link_named(cfg.keyrings);

	nl = hsd_nl_open();
	if (!nl) {
		hsd_config_free(&cfg);
		return 1;
	}
	hsd_notice("listening for QUIC handshake requests");
	hsd_accept_all(&cfg, nl);	/* requests made before we started */
	p.fd = hsd_nl_fd(nl);
	p.events = POLLIN;
	while (!hsd_stop) {
		if (poll(&p, 1, HSD_RESCAN_MS) < 0) {
			if (errno == EINTR)
				continue;
			hsd_err("poll: %s", strerror(errno));
			break;
		}
		/* a notification lost to a full socket buffer (ENOBUFS)
		 * delays its request by HSD_RESCAN_MS at most
		 */
		hsd_nl_ready(nl);
		hsd_accept_all(&cfg, nl);
	}
	hsd_notice("stopping");
	hsd_nl_close(nl);
	hsd_config_free(&cfg);
	return 0;
}
