// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quic-h3-server: an HTTP/3 file server over IPPROTO_QUIC sockets.
 *
 * Listens on ADDR PORT, runs the TLS handshake of each connection with
 * libquic (KEYFILE, CERTFILE, ALPN h3) and answers GET and HEAD requests
 * with the regular files under the -d directory, using nghttp3 for
 * HTTP/3 framing and QPACK.  Files are mapped and handed to the kernel
 * from the mapping.  Connections are served one after the other.  See
 * quic-h3-server(1).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netinet/quic.h>

#include "h3.h"

struct req {
	struct req *next;
	char method[8];
	char path[1024];
	uint8_t *map;		/* the file's contents */
	size_t size;
	size_t off;		/* handed to nghttp3 so far */
	uint64_t acked;		/* taken by the kernel */
};

struct server {
	struct h3 h3;
	const char *root;
	struct req *reqs;	/* this connection's, freed at its end */
	unsigned int served;
	uint64_t bytes;
};

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-c COUNT] [-d DIR] [-t SECONDS] [-p ADDR:PORT] [-D] ADDR PORT KEYFILE CERTFILE\n",
		prog);
	exit(2);
}

static void copy_value(char *dst, size_t size, nghttp3_rcbuf *value)
{
	nghttp3_vec v = nghttp3_rcbuf_get_buf(value);
	size_t n = v.len < size - 1 ? v.len : size - 1;

	memcpy(dst, v.base, n);
	dst[n] = '\0';
}

static int on_begin_headers(nghttp3_conn *conn, int64_t id, void *user,
			    void *stream_user)
{
	struct server *s = user;
	struct req *r;

	(void)stream_user;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NGHTTP3_ERR_CALLBACK_FAILURE;
	r->next = s->reqs;
	s->reqs = r;
	nghttp3_conn_set_stream_user_data(conn, id, r);
	return 0;
}

static int on_header(nghttp3_conn *conn, int64_t id, int32_t token,
		     nghttp3_rcbuf *name, nghttp3_rcbuf *value, uint8_t flags,
		     void *user, void *stream_user)
{
	struct req *r = stream_user;

	(void)conn; (void)id; (void)name; (void)flags; (void)user;
	if (!r)
		return 0;
	if (token == NGHTTP3_QPACK_TOKEN__PATH)
		copy_value(r->path, sizeof(r->path), value);
	else if (token == NGHTTP3_QPACK_TOKEN__METHOD)
		copy_value(r->method, sizeof(r->method), value);
	return 0;
}

static nghttp3_ssize read_body(nghttp3_conn *conn, int64_t id,
			       nghttp3_vec *vec, size_t veccnt,
			       uint32_t *pflags, void *user, void *stream_user)
{
	struct req *r = stream_user;

	(void)conn; (void)id; (void)veccnt; (void)user;
	*pflags = NGHTTP3_DATA_FLAG_EOF;
	if (r->off == r->size)
		return 0;
	vec[0].base = r->map + r->off;
	vec[0].len = r->size - r->off;
	r->off = r->size;
	return 1;
}

static int on_acked(nghttp3_conn *conn, int64_t id, uint64_t len, void *user,
		    void *stream_user)
{
	struct req *r = stream_user;

	(void)conn; (void)id; (void)user;
	r->acked += len;
	if (r->map && r->acked >= r->size) {
		munmap(r->map, r->size);
		r->map = NULL;
	}
	return 0;
}

/* The file for a request path under the root; -errno if there is none. */
static int open_path(struct server *s, const char *path, struct stat *st)
{
	char file[2048];
	size_t n = strcspn(path, "?#");
	int fd;

	if (path[0] != '/' || strstr(path, "/..") || n > 1000)
		return -ENOENT;
	snprintf(file, sizeof(file), "%s%.*s%s", s->root, (int)n, path,
		 path[n - 1] == '/' ? "index.html" : "");
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

static int respond(struct server *s, int64_t id, struct req *r)
{
	nghttp3_data_reader dr = { .read_data = read_body };
	bool head = !strcmp(r->method, "HEAD");
	const char *status = "200";
	char length[32] = "0";
	nghttp3_nv nv[4];
	struct stat st;
	int fd;

	if (!head && strcmp(r->method, "GET")) {
		status = "405";
	} else {
		fd = open_path(s, r->path, &st);
		if (fd < 0) {
			status = fd == -EACCES ? "403" : "404";
		} else {
			r->size = (size_t)st.st_size;
			if (r->size && !head) {
				r->map = mmap(NULL, r->size, PROT_READ,
					      MAP_PRIVATE, fd, 0);
				if (r->map == MAP_FAILED) {
					r->map = NULL;
					status = "500";
				}
			}
			close(fd);
			if (!r->map)
				r->size = 0;
			snprintf(length, sizeof(length), "%llu",
				 (unsigned long long)st.st_size);
		}
	}
	h3_nv(&nv[0], ":status", status);
	h3_nv(&nv[1], "server", "quic-h3-server");
	h3_nv(&nv[2], "content-type", "application/octet-stream");
	h3_nv(&nv[3], "content-length", strcmp(status, "200") ? "0" : length);
	fprintf(stderr, "quic-h3-server: %s %s: %s\n", r->method, r->path,
		status);
	s->served++;
	s->bytes += r->size;
	return nghttp3_conn_submit_response(s->h3.conn, id, nv, 4,
					    head ? NULL : &dr) ?
	       NGHTTP3_ERR_CALLBACK_FAILURE : 0;
}

static int on_end_stream(nghttp3_conn *conn, int64_t id, void *user,
			 void *stream_user)
{
	(void)conn;
	if (!stream_user)
		return NGHTTP3_ERR_CALLBACK_FAILURE;
	return respond(user, id, stream_user);
}

static void serve(struct server *s)
{
	nghttp3_callbacks cb = {
		.acked_stream_data = on_acked,
		.begin_headers = on_begin_headers,
		.recv_header = on_header,
		.end_stream = on_end_stream,
	};
	nghttp3_settings settings;
	struct req *r;
	int ret;

	nghttp3_settings_default(&settings);
	if (nghttp3_conn_server_new(&s->h3.conn, &cb, &settings, NULL, s)) {
		fprintf(stderr, "quic-h3-server: out of memory\n");
		return;
	}
	ret = h3_bind_streams(&s->h3);
	if (!ret)
		ret = h3_run(&s->h3);
	if (ret < 0) {
		fprintf(stderr, "quic-h3-server: connection: %s\n",
			strerror(-ret));
		h3_close(&s->h3, ret == -EPROTO ? NGHTTP3_H3_GENERAL_PROTOCOL_ERROR :
			 NGHTTP3_H3_INTERNAL_ERROR, "server error");
	}
	fprintf(stderr, "quic-h3-server: connection ended: %u requests, %llu bytes\n",
		s->served, (unsigned long long)s->bytes);
	nghttp3_conn_del(s->h3.conn);
	s->h3.conn = NULL;
	while (s->reqs) {
		r = s->reqs;
		s->reqs = r->next;
		if (r->map)
			munmap(r->map, r->size);
		free(r);
	}
}

/* -p ADDR:PORT ([ADDR]:PORT for IPv6): the server's preferred address. */
static int set_preferred(int l, const char *arg)
{
	struct sockaddr_storage ss;
	char host[128], *port;
	socklen_t len;

	snprintf(host, sizeof(host), "%s", arg);
	port = strrchr(host, ':');
	if (!port)
		return -1;
	*port++ = '\0';
	if (host[0] == '[' && port - host > 2 && port[-2] == ']') {
		port[-2] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	if (h3_parse_addr(host, port, &ss, &len))
		return -1;
	return setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_CONNECTION_MIGRATION, &ss,
			  len);
}

int main(int argc, char **argv)
{
	struct server s = { .root = ".", .h3.timeout_ms = 60000 };
	int l, opt, count = 0, n = 0;
	const char *preferred = NULL;
	struct sockaddr_storage ss;
	socklen_t len;

	while ((opt = getopt(argc, argv, "c:d:t:p:Dh")) != -1) {
		switch (opt) {
		case 'c':
			count = atoi(optarg);
			break;
		case 'd':
			s.root = optarg;
			break;
		case 't':
			s.h3.timeout_ms = atoi(optarg) * 1000;
			break;
		case 'p':
			preferred = optarg;
			break;
		case 'D':
			quic_set_log_level(7);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc - optind != 4 || s.h3.timeout_ms <= 0)
		usage(argv[0]);
	argv += optind;
	if (h3_parse_addr(argv[0], argv[1], &ss, &len)) {
		fprintf(stderr, "quic-h3-server: bad address %s\n", argv[0]);
		return 2;
	}
	l = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_QUIC);
	if (l < 0) {
		perror("quic-h3-server: socket");
		return 1;
	}
	if (preferred && set_preferred(l, preferred)) {
		fprintf(stderr, "quic-h3-server: preferred address %s: %s\n",
			preferred, strerror(errno));
		return 1;
	}
	if (bind(l, (struct sockaddr *)&ss, len) ||
	    setsockopt(l, SOL_QUIC, QUIC_SOCKOPT_ALPN, H3_ALPN,
		       strlen(H3_ALPN)) ||
	    listen(l, 16)) {
		perror("quic-h3-server: listen");
		return 1;
	}
	fprintf(stderr, "quic-h3-server: listening on %s port %s, files in %s\n",
		argv[0], argv[1], s.root);
	while (!count || n < count) {
		s.h3.sd = accept(l, NULL, NULL);
		if (s.h3.sd < 0) {
			perror("quic-h3-server: accept");
			return 1;
		}
		n++;
		if (quic_server_handshake(s.h3.sd, argv[2], argv[3], H3_ALPN)) {
			fprintf(stderr, "quic-h3-server: handshake failed\n");
		} else {
			s.served = 0;
			s.bytes = 0;
			s.h3.done = false;
			s.h3.eof = false;
			s.h3.nblocked = 0;
			serve(&s);
		}
		close(s.h3.sd);
	}
	close(l);
	return 0;
}
