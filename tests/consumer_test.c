// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel consumers: quic_sample.ko asks net/handshake for its handshakes,
 * quic-handshaked (started here) runs them with libquic, and the peers
 * are libquic programs in this process.  Kernel client to a userspace
 * server and userspace client to a kernel server, X.509 and PSK, IPv4 and
 * IPv6; failures (a certificate of an unknown CA, a wrong PSK, no agent,
 * the agent killed mid-handshake) reach the consumer as errors within its
 * timeout and leave no socket behind.  TAP output.
 *
 * usage: consumer_test CERTDIR QUIC_SAMPLE_KO QUIC_HANDSHAKED
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <linux/keyctl.h>
#include <netinet/in.h>

#include "quic_pair.h"

#define ALPN		"sample"
#define MESSAGE		"hello from the kernel"
#define WORKDIR		"/tmp/quic-consumer-test"

static const char *certs, *sample_ko, *agent_bin;
static pid_t agent = -1;

/* keys the consumer names by serial; readable by the agent's user */
static int32_t k_server_cert, k_server_key, k_psk, k_wrong_psk;
static char psk_identity[128];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int32_t add_key(const char *type, const char *desc, const void *data,
		       size_t len, int32_t ring)
{
	long serial = syscall(__NR_add_key, type, desc, data, len, ring);

	if (serial < 0)
		return -1;
	/* the agent reads keys as a possessor, through the keyrings it
	 * links: root's user keyring (@u), where the certificate and key
	 * go with their default permissions (possessor only), as with
	 * "keyctl padd user NAME @u"; elsewhere, as their user
	 */
	if (ring != KEY_SPEC_USER_KEYRING)
		syscall(__NR_keyctl, KEYCTL_SETPERM, serial, 0x3f3f0000);
	return (int32_t)serial;
}

/* "consumer-test-server.pem" holds CERTDIR/server.pem */
static int32_t add_file_key(const char *name, int32_t ring)
{
	char path[512], buf[8192];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", certs,
		 name + strlen("consumer-test-"));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? add_key("user", name, buf, (size_t)n, ring) : -1;
}

/* The PSK of psk.txt ("identity:hex"), and a wrong one for the same
 * identity (in a keyring of its own: add_key() updates a key of the same
 * description in the same keyring).
 */
static int add_psk_keys(int32_t ring)
{
	int32_t ring2;

	char path[512], line[512], *colon;
	unsigned char key[64];
	size_t i, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/psk.txt", certs);
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	colon = strchr(line, ':');
	if (!colon || (size_t)(colon - line) >= sizeof(psk_identity))
		return -1;
	*colon = '\0';
	strcpy(psk_identity, line);
	n = strlen(colon + 1) / 2;
	if (n > sizeof(key))
		return -1;
	for (i = 0; i < n; i++)
		if (sscanf(colon + 1 + 2 * i, "%2hhx", &key[i]) != 1)
			return -1;
	k_psk = add_key("user", psk_identity, key, n, ring);
	key[0] ^= 0xff;
	ring2 = add_key("keyring", "quic-consumer-test-wrong", NULL, 0, ring);
	k_wrong_psk = add_key("user", psk_identity, key, n, ring2);
	return k_psk > 0 && k_wrong_psk > 0 ? 0 : -1;
}

static int write_config(const char *path, const char *client_ca)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "# written by consumer_test\n[debug]\nloglevel = 2\n\n"
		"[authenticate.client]\nx509.truststore = %s/%s\n\n"
		"[authenticate.server]\nx509.truststore = %s/ca.pem\n",
		certs, client_ca, certs);
	return fclose(f);
}

static void agent_stop(int sig)
{
	int status;

	if (agent <= 0)
		return;
	kill(agent, sig);
	waitpid(agent, &status, 0);
	agent = -1;
}

/* quic-handshaked with the CA @client_ca for the kernel's clients; waits
 * until it says it listens.
 */
static int agent_start(const char *client_ca)
{
	char conf[] = WORKDIR "/agent.conf", log[] = WORKDIR "/agent.log";
	char line[512];
	int i, fd;
	FILE *f;

	agent_stop(SIGTERM);
	if (write_config(conf, client_ca))
		return -1;
	agent = fork();
	if (agent == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 2);
			dup2(fd, 1);
		}
		execl(agent_bin, agent_bin, "-c", conf, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 600; i++) {	/* a slow emulated guest: 30 s */
		f = fopen(log, "r");
		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, "listening for QUIC handshake") &&
			    atoi(strchr(line, '[') + 1) == agent) {
				fclose(f);
				return 0;
			}
		if (f)
			fclose(f);
		if (waitpid(agent, NULL, WNOHANG) == agent) {
			agent = -1;
			return -1;
		}
		usleep(50000);
	}
	return -1;
}

/* Loads quic_sample.ko with @params: its init does the work.  Returns 0
 * (and unloads it) or the negative errno its init returned.
 */
static int sample(const char *params)
{
	int fd, ret;

	fd = open(sample_ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = (int)syscall(__NR_finit_module, fd, params, 0);
	ret = ret ? -errno : 0;
	close(fd);
	if (!ret && syscall(__NR_delete_module, "quic_sample", O_NONBLOCK))
		return -EBUSY;
	return ret;
}

static void set_sockaddr(struct sockaddr_storage *ss, socklen_t *len,
			 const char *ip, int port)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(ip, ':')) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &a6->sin6_addr);
		*len = sizeof(*a6);
	} else {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		inet_pton(AF_INET, ip, &a4->sin_addr);
		*len = sizeof(*a4);
	}
}

/* Reads one message up to its stream's FIN. */
static ssize_t recv_message(int sd, char *buf, size_t size, int64_t *id)
{
	size_t got = 0;
	uint32_t sflags = 0;
	ssize_t n;

	while (got < size) {
		n = recv_any(sd, buf + got, size - got, id, &sflags, NULL, 0);
		if (n < 0)
			return -1;
		got += (size_t)n;
		if (sflags & MSG_QUIC_STREAM_FIN)
			return (ssize_t)got;
		if (!n)
			return -1;
	}
	return -1;
}

/* Waits until the peer closes (or the receive timeout). */
static void wait_close(int sd)
{
	char buf[256];

	while (recv(sd, buf, sizeof(buf), 0) > 0)
		;
}

/* --- a libquic server for the kernel's client ------------------------ */

struct server {
	const char *ip;
	int port;
	int psk;		/* PSK instead of X.509 */
	int listener;
	int handshake;		/* quic_server_handshake()'s result */
	int echoed;		/* the message came and went back */
	pthread_t thread;
};

static void *server_thread(void *arg)
{
	struct server *s = arg;
	char key[512], crt[512], pskf[512], buf[1024];
	int64_t id = -1;
	ssize_t n;
	int sd;

	sd = accept(s->listener, NULL, NULL);
	if (sd < 0) {
		s->handshake = -errno;
		return NULL;
	}
	set_timeouts(sd, 10);
	snprintf(key, sizeof(key), "%s/server.key", certs);
	snprintf(crt, sizeof(crt), "%s/server.pem", certs);
	snprintf(pskf, sizeof(pskf), "%s/psk.txt", certs);
	s->handshake = s->psk ? quic_server_handshake(sd, pskf, NULL, ALPN) :
				quic_server_handshake(sd, key, crt, ALPN);
	if (!s->handshake) {
		n = recv_message(sd, buf, sizeof(buf), &id);
		if (n > 0 && send_stream(sd, buf, (size_t)n, id,
					 MSG_QUIC_STREAM_FIN, 0) == n)
			s->echoed = n == (ssize_t)strlen(MESSAGE) &&
				    !memcmp(buf, MESSAGE, (size_t)n);
		wait_close(sd);
	}
	close(sd);
	return NULL;
}

static int server_start(struct server *s, const char *ip, int port, int psk)
{
	struct sockaddr_storage ss;
	socklen_t len;

	memset(s, 0, sizeof(*s));
	s->ip = ip;
	s->port = port;
	s->psk = psk;
	set_sockaddr(&ss, &len, ip, port);
	s->listener = socket(ss.ss_family, SOCK_STREAM, IPPROTO_QUIC);
	if (s->listener < 0)
		return -1;
	set_timeouts(s->listener, 15);
	if (setsockopt(s->listener, SOL_QUIC, QUIC_SOCKOPT_ALPN, ALPN,
		       strlen(ALPN)) ||
	    bind(s->listener, (struct sockaddr *)&ss, len) ||
	    listen(s->listener, 4) ||
	    pthread_create(&s->thread, NULL, server_thread, s)) {
		close(s->listener);
		return -1;
	}
	return 0;
}

static void server_end(struct server *s)
{
	pthread_join(s->thread, NULL);
	close(s->listener);
}

/* --- a libquic client for the kernel's server ------------------------ */

struct kserver {
	char params[512];
	int ret;
	pthread_t thread;
};

static void *kserver_thread(void *arg)
{
	struct kserver *k = arg;

	k->ret = sample(k->params);
	return NULL;
}

/* Whether a QUIC socket listens on @port (/proc/net/quic/sks). */
static int listening(int port)
{
	char line[512], needle[16];
	int found = 0;
	FILE *f;

	snprintf(needle, sizeof(needle), ":%d\t", port);
	f = fopen("/proc/net/quic/sks", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, needle) && strstr(line, "\tLISTEN\t"))
			found = 1;
	if (f)
		fclose(f);
	return found;
}

/* Connects, handshakes (X.509 verified against the test CA for
 * "localhost", or PSK), sends MESSAGE and reads it back.  0 or -errno.
 */
static int client_run(const char *ip, int port, int psk)
{
	gnutls_certificate_credentials_t cred = NULL;
	char ca[512], pskf[512], buf[1024];
	struct sockaddr_storage ss;
	gnutls_session_t session;
	int64_t id = -1;
	socklen_t len;
	int sd, ret;
	ssize_t n;

	set_sockaddr(&ss, &len, ip, port);
	sd = socket(ss.ss_family, SOCK_STREAM, IPPROTO_QUIC);
	if (sd < 0)
		return -errno;
	set_timeouts(sd, 10);
	if (connect(sd, (struct sockaddr *)&ss, len)) {
		ret = -errno;
		goto out;
	}
	if (psk) {
		snprintf(pskf, sizeof(pskf), "%s/psk.txt", certs);
		ret = quic_client_handshake(sd, pskf, NULL, ALPN);
	} else {
		snprintf(ca, sizeof(ca), "%s/ca.pem", certs);
		ret = -ENOMEM;
		if (gnutls_init(&session, GNUTLS_CLIENT))
			goto out;
		if (gnutls_certificate_allocate_credentials(&cred) ||
		    gnutls_certificate_set_x509_trust_file(cred, ca,
				GNUTLS_X509_FMT_PEM) <= 0 ||
		    gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE,
					   cred) ||
		    gnutls_priority_set_direct(session, QUIC_PRIORITY, NULL) ||
		    quic_session_set_alpn(session, ALPN, strlen(ALPN))) {
			ret = -EINVAL;
		} else {
			gnutls_server_name_set(session, GNUTLS_NAME_DNS,
					       "localhost", 9);
			gnutls_session_set_verify_cert(session, "localhost", 0);
			gnutls_transport_set_int(session, sd);
			ret = quic_handshake(session);
		}
		gnutls_deinit(session);
		gnutls_certificate_free_credentials(cred);
	}
	if (ret)
		goto out;
	ret = -EIO;
	if (send_stream(sd, MESSAGE, strlen(MESSAGE), 0,
			MSG_QUIC_STREAM_NEW | MSG_QUIC_STREAM_FIN, 0) !=
	    (ssize_t)strlen(MESSAGE))
		goto out;
	n = recv_message(sd, buf, sizeof(buf), &id);
	if (n == (ssize_t)strlen(MESSAGE) && !memcmp(buf, MESSAGE, (size_t)n))
		ret = 0;
out:
	close(sd);
	return ret;
}

/* --- the cases --------------------------------------------------------- */

static void kernel_client(const char *ip, int port, int psk)
{
	char params[512];
	struct server s;
	int ret;

	if (server_start(&s, ip, port, psk)) {
		CHECK(0, "kernel client, %s, %s: a libquic server", psk ? "PSK" : "X.509", ip);
		return;
	}
	if (psk)
		snprintf(params, sizeof(params),
			 "role=client addr=%s port=%d alpn=" ALPN " psk=%d",
			 ip, port, k_psk);
	else
		snprintf(params, sizeof(params),
			 "role=client addr=%s port=%d alpn=" ALPN " peername=localhost",
			 ip, port);
	ret = sample(params);
	server_end(&s);
	CHECK(!ret && !s.handshake && s.echoed,
	      "kernel client, %s, %s: handshake through the agent, the message echoed by a libquic server (module %d, server %d)",
	      psk ? "PSK" : "X.509", ip, ret, s.handshake);
}

static void kernel_server(const char *ip, int port, int psk)
{
	struct kserver k;
	int i, ret = -EAGAIN;

	if (psk)
		snprintf(k.params, sizeof(k.params),
			 "role=server addr=%s port=%d alpn=" ALPN " psk=%d wait_ms=15000",
			 ip, port, k_psk);
	else
		snprintf(k.params, sizeof(k.params),
			 "role=server addr=%s port=%d alpn=" ALPN " cert=%d privkey=%d wait_ms=15000",
			 ip, port, k_server_cert, k_server_key);
	k.ret = 1;
	if (pthread_create(&k.thread, NULL, kserver_thread, &k)) {
		CHECK(0, "kernel server thread");
		return;
	}
	for (i = 0; i < 100 && !listening(port); i++)
		usleep(50000);
	if (i < 100)
		ret = client_run(ip, port, psk);
	pthread_join(k.thread, NULL);
	CHECK(!ret && !k.ret,
	      "kernel server, %s, %s: a libquic client's message echoed after the agent's handshake (client %d, module %d)",
	      psk ? "PSK" : "X.509", ip, ret, k.ret);
}

static void failures(void)
{
	char params[512];
	struct server s;
	double t;
	int ret;

	/* the kernel client's agent trusts another CA */
	if (agent_start("other-ca.pem")) {
		CHECK(0, "agent restarted with another CA");
		return;
	}
	if (!server_start(&s, "127.0.0.1", 7461, 0)) {
		t = now();
		ret = sample("role=client addr=127.0.0.1 port=7461 alpn=" ALPN
			     " peername=localhost timeout_ms=4000");
		t = now() - t;
		server_end(&s);
		CHECK(ret == -EACCES && t < 5,
		      "a server certificate of an unknown CA: the consumer gets -EACCES in %.1f s (%d)",
		      t, ret);
	}
	if (agent_start("ca.pem")) {
		CHECK(0, "agent restarted");
		return;
	}
	if (!server_start(&s, "127.0.0.1", 7462, 1)) {
		snprintf(params, sizeof(params),
			 "role=client addr=127.0.0.1 port=7462 alpn=" ALPN
			 " psk=%d timeout_ms=4000", k_wrong_psk);
		t = now();
		ret = sample(params);
		t = now() - t;
		server_end(&s);
		CHECK(ret == -EACCES && s.handshake && t < 5,
		      "a wrong PSK: the consumer gets -EACCES in %.1f s (%d), the server's handshake fails",
		      t, ret);
	}
}

static int count_sockets(void)
{
	char line[512];
	int n = -1;
	FILE *f;

	f = fopen("/proc/net/quic/sks", "r");
	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return n;
}

struct client_arg {
	const char *params;
	int ret;
	double secs;
};

static void *client_thread(void *arg)
{
	struct client_arg *c = arg;
	double t = now();

	c->ret = sample(c->params);
	c->secs = now() - t;
	return NULL;
}

/* The agent dies while its handshake waits for a server that never
 * answers (a listener nobody accepts on).
 */
static void agent_killed(void)
{
	struct client_arg c = {
		.params = "role=client addr=127.0.0.1 port=7463 alpn=" ALPN
			  " peername=localhost timeout_ms=3000",
	};
	struct sockaddr_storage ss;
	pthread_t th;
	socklen_t len;
	int lsd, before;

	set_sockaddr(&ss, &len, "127.0.0.1", 7463);
	lsd = socket(AF_INET, SOCK_STREAM, IPPROTO_QUIC);
	if (lsd < 0 || setsockopt(lsd, SOL_QUIC, QUIC_SOCKOPT_ALPN, ALPN, 6) ||
	    bind(lsd, (struct sockaddr *)&ss, len) || listen(lsd, 4)) {
		CHECK(0, "a listener that never accepts");
		return;
	}
	before = count_sockets();
	if (pthread_create(&th, NULL, client_thread, &c)) {
		close(lsd);
		return;
	}
	sleep(1);
	agent_stop(SIGKILL);
	pthread_join(th, NULL);
	CHECK(c.ret == -ETIMEDOUT && c.secs < 6,
	      "the agent killed mid-handshake: the consumer times out (%d after %.1f s)",
	      c.ret, c.secs);
	close(lsd);
	usleep(200000);
	CHECK(count_sockets() <= before - 1,
	      "... and its socket is gone (%d sockets, %d with the listener before)",
	      count_sockets(), before);

	c.params = "role=client addr=127.0.0.1 port=7463 alpn=" ALPN;
	client_thread(&c);
	CHECK(c.ret == -ESRCH && c.secs < 1,
	      "no agent: the handshake request fails at once (%d)", c.ret);
}

int main(int argc, char **argv)
{
	int32_t ring;

	if (argc != 4) {
		fprintf(stderr, "usage: %s CERTDIR QUIC_SAMPLE_KO QUIC_HANDSHAKED\n",
			argv[0]);
		return 2;
	}
	certs = argv[1];
	sample_ko = argv[2];
	agent_bin = argv[3];
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	mkdir(WORKDIR, 0700);
	unlink(WORKDIR "/agent.log");

	ring = add_key("keyring", "quic-consumer-test", NULL, 0,
		       KEY_SPEC_PROCESS_KEYRING);
	k_server_cert = add_file_key("consumer-test-server.pem",
				     KEY_SPEC_USER_KEYRING);
	k_server_key = add_file_key("consumer-test-server.key",
				    KEY_SPEC_USER_KEYRING);
	CHECK(ring > 0 && k_server_cert > 0 && k_server_key > 0 &&
	      !add_psk_keys(ring),
	      "keys: certificate and private key in @u, PSKs in a keyring");

	if (agent_start("ca.pem")) {
		/* no "handshake" family: a kernel before 6.5 or without it */
		printf("ok %d - kernel consumers # SKIP no \"handshake\" netlink family in this kernel (net/handshake, Linux 6.5 and later)\n",
		       ++tests_run);
		return tap_done("consumer_test");
	}
	kernel_client("127.0.0.1", 7451, 0);
	kernel_client("::1", 7452, 0);
	kernel_server("127.0.0.1", 7453, 0);
	kernel_server("::1", 7454, 0);
	kernel_client("127.0.0.1", 7455, 1);
	kernel_client("::1", 7456, 1);
	kernel_server("127.0.0.1", 7457, 1);
	kernel_server("::1", 7458, 1);
	failures();
	agent_killed();
	agent_stop(SIGTERM);
	syscall(__NR_keyctl, KEYCTL_UNLINK, k_server_cert, KEY_SPEC_USER_KEYRING);
	syscall(__NR_keyctl, KEYCTL_UNLINK, k_server_key, KEY_SPEC_USER_KEYRING);
	CHECK(syscall(__NR_delete_module, "quic_sample", O_NONBLOCK) &&
	      errno == ENOENT, "quic_sample is not left loaded");
	return tap_done("consumer_test");
}
