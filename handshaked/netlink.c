// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The "handshake" generic netlink family (net/handshake, Linux 6.5+), with
 * libnl-3: READY notifications on the "tlshd" multicast group, ACCEPT to
 * take a pending request (the kernel installs its socket in our file
 * table and describes the request), DONE to report the result.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "handshaked.h"

/* The family's values (Documentation/netlink/specs/handshake.yaml); the
 * C library's headers have them only from Linux 6.5 on.
 */
#if __has_include(<linux/handshake.h>)
#include <linux/handshake.h>
#else
#define HANDSHAKE_FAMILY_NAME		"handshake"
#define HANDSHAKE_FAMILY_VERSION	1
#define HANDSHAKE_MCGRP_TLSHD		"tlshd"
enum { HANDSHAKE_HANDLER_CLASS_NONE, HANDSHAKE_HANDLER_CLASS_TLSHD };
enum { HANDSHAKE_A_X509_CERT = 1, HANDSHAKE_A_X509_PRIVKEY };
enum {
	HANDSHAKE_A_ACCEPT_SOCKFD = 1,
	HANDSHAKE_A_ACCEPT_HANDLER_CLASS,
	HANDSHAKE_A_ACCEPT_MESSAGE_TYPE,
	HANDSHAKE_A_ACCEPT_TIMEOUT,
	HANDSHAKE_A_ACCEPT_AUTH_MODE,
	HANDSHAKE_A_ACCEPT_PEER_IDENTITY,
	HANDSHAKE_A_ACCEPT_CERTIFICATE,
	HANDSHAKE_A_ACCEPT_PEERNAME,
};
enum {
	HANDSHAKE_A_DONE_STATUS = 1,
	HANDSHAKE_A_DONE_SOCKFD,
	HANDSHAKE_A_DONE_REMOTE_AUTH,
};
enum { HANDSHAKE_CMD_READY = 1, HANDSHAKE_CMD_ACCEPT, HANDSHAKE_CMD_DONE };
#endif
/* Linux 6.13 added the keyring of the request */
#define HSD_A_ACCEPT_KEYRING		(HANDSHAKE_A_ACCEPT_PEERNAME + 1)

struct hsd_nl {
	struct nl_sock *mc;		/* READY notifications */
	int family;
	int ready;
};

static int hsd_nl_connect(struct nl_sock **psk, int *family)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret) {
		hsd_err("netlink: %s", nl_geterror(ret));
		nl_socket_free(sk);
		return -EIO;
	}
	ret = genl_ctrl_resolve(sk, HANDSHAKE_FAMILY_NAME);
	if (ret < 0) {
		hsd_err("netlink: no \"%s\" family in this kernel (net/handshake, Linux 6.5 and later): %s",
			HANDSHAKE_FAMILY_NAME, nl_geterror(ret));
		nl_socket_free(sk);
		return -EOPNOTSUPP;
	}
	*family = ret;
	*psk = sk;
	return 0;
}

static int hsd_nl_notify(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct hsd_nl *nl = arg;

	if (gh->cmd == HANDSHAKE_CMD_READY)
		nl->ready = 1;
	return NL_OK;
}

/**
 * hsd_nl_open - join the "tlshd" multicast group of the handshake family
 *
 * Return: the listener, or NULL (logged).
 */
struct hsd_nl *hsd_nl_open(void)
{
	struct hsd_nl *nl = calloc(1, sizeof(*nl));
	int grp, ret;

	if (!nl)
		return NULL;
	if (hsd_nl_connect(&nl->mc, &nl->family)) {
		free(nl);
		return NULL;
	}
	grp = genl_ctrl_resolve_grp(nl->mc, HANDSHAKE_FAMILY_NAME,
				    HANDSHAKE_MCGRP_TLSHD);
	if (grp < 0) {
		hsd_err("netlink: no \"%s\" group: %s", HANDSHAKE_MCGRP_TLSHD,
			nl_geterror(grp));
		goto err;
	}
	nl_socket_disable_seq_check(nl->mc);
	nl_socket_modify_cb(nl->mc, NL_CB_VALID, NL_CB_CUSTOM, hsd_nl_notify,
			    nl);
	ret = nl_socket_add_membership(nl->mc, grp);
	if (ret) {
		hsd_err("netlink: joining \"%s\": %s", HANDSHAKE_MCGRP_TLSHD,
			nl_geterror(ret));
		goto err;
	}
	nl_socket_set_nonblocking(nl->mc);
	return nl;
err:
	nl_socket_free(nl->mc);
	free(nl);
	return NULL;
}

int hsd_nl_fd(struct hsd_nl *nl)
{
	return nl_socket_get_fd(nl->mc);
}

/**
 * hsd_nl_ready - read the notifications waiting on the socket
 * @nl: the listener
 *
 * Return: 1 if one announced a request (ACCEPT until none is left), else 0.
 */
int hsd_nl_ready(struct hsd_nl *nl)
{
	nl->ready = 0;
	while (nl_recvmsgs_default(nl->mc) >= 0)
		;
	return nl->ready;
}

static void hsd_nl_cert(struct nlattr *nest, struct hsd_request *req)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == HANDSHAKE_A_X509_CERT)
			req->cert = (int32_t)nla_get_u32(a);
		else if (nla_type(a) == HANDSHAKE_A_X509_PRIVKEY)
			req->privkey = (int32_t)nla_get_u32(a);
	}
}

static int hsd_nl_accept_reply(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct hsd_request *req = arg;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		switch (nla_type(a)) {
		case HANDSHAKE_A_ACCEPT_SOCKFD:
			req->sockfd = (int)nla_get_u32(a);
			break;
		case HANDSHAKE_A_ACCEPT_MESSAGE_TYPE:
			req->msg_type = nla_get_u32(a);
			break;
		case HANDSHAKE_A_ACCEPT_TIMEOUT:
			req->timeout_ms = nla_get_u32(a);
			break;
		case HANDSHAKE_A_ACCEPT_AUTH_MODE:
			req->auth_mode = nla_get_u32(a);
			break;
		case HANDSHAKE_A_ACCEPT_PEER_IDENTITY:
			if (req->num_peerids < HSD_MAX_PEERIDS)
				req->peerids[req->num_peerids++] =
					(int32_t)nla_get_u32(a);
			break;
		case HANDSHAKE_A_ACCEPT_CERTIFICATE:
			hsd_nl_cert(a, req);
			break;
		case HANDSHAKE_A_ACCEPT_PEERNAME:
			nla_strlcpy(req->peername, a, sizeof(req->peername));
			break;
		case HSD_A_ACCEPT_KEYRING:
			req->keyring = (int32_t)nla_get_u32(a);
			break;
		}
	}
	return NL_OK;
}

/* A command of the family on a socket of its own (replies and
 * acknowledgments do not mix with notifications): both to be freed with
 * hsd_nl_cmd_free().
 */
static int hsd_nl_cmd(uint8_t cmd, struct nl_sock **psk, struct nl_msg **pmsg)
{
	int family, ret;

	ret = hsd_nl_connect(psk, &family);
	if (ret)
		return ret;
	*pmsg = nlmsg_alloc();
	if (*pmsg && genlmsg_put(*pmsg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 0, cmd, HANDSHAKE_FAMILY_VERSION))
		return 0;
	if (*pmsg)
		nlmsg_free(*pmsg);
	nl_socket_free(*psk);
	return -ENOMEM;
}

static void hsd_nl_cmd_free(struct nl_sock *sk, struct nl_msg *msg)
{
	nlmsg_free(msg);
	nl_socket_free(sk);
}

/**
 * hsd_nl_accept - take the next pending request of the "tlshd" class
 * @req: filled in; req->sockfd is the socket, now ours
 *
 * Return: 0, -EAGAIN when none is pending, or another negative errno.
 */
int hsd_nl_accept(struct hsd_request *req)
{
	struct nl_sock *sk;
	struct nl_msg *msg;
	int ret;

	memset(req, 0, sizeof(*req));
	req->sockfd = -1;
	ret = hsd_nl_cmd(HANDSHAKE_CMD_ACCEPT, &sk, &msg);
	if (ret)
		return ret;
	ret = -ENOMEM;
	if (nla_put_u32(msg, HANDSHAKE_A_ACCEPT_HANDLER_CLASS,
			HANDSHAKE_HANDLER_CLASS_TLSHD))
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, hsd_nl_accept_reply,
			    req);
	ret = nl_send_auto(sk, msg);
	if (ret >= 0)
		ret = nl_recvmsgs_default(sk);
	if (req->sockfd >= 0) {
		/* the socket is ours now, whatever the acknowledgment says:
		 * the request is answered with DONE either way
		 */
		nl_wait_for_ack(sk);
		ret = 0;
	} else {
		ret = ret == -NLE_AGAIN || ret >= 0 ? -EAGAIN : -EIO;
	}
out:
	hsd_nl_cmd_free(sk, msg);
	return ret;
}

/**
 * hsd_nl_done - report a request's result to the kernel
 * @req: the request, with the peer identities found
 * @status: 0, or the positive errno the consumer sees negated
 *
 * Return: 0 or a negative errno.
 */
int hsd_nl_done(const struct hsd_request *req, unsigned int status)
{
	struct nl_sock *sk;
	struct nl_msg *msg;
	unsigned int i;
	int ret;

	ret = hsd_nl_cmd(HANDSHAKE_CMD_DONE, &sk, &msg);
	if (ret)
		return ret;
	ret = -ENOMEM;
	if (nla_put_u32(msg, HANDSHAKE_A_DONE_STATUS, status) ||
	    nla_put_u32(msg, HANDSHAKE_A_DONE_SOCKFD, (uint32_t)req->sockfd))
		goto out;
	for (i = 0; !status && i < req->num_remote; i++)
		if (nla_put_u32(msg, HANDSHAKE_A_DONE_REMOTE_AUTH,
				(uint32_t)req->remote[i]))
			goto out;
	ret = nl_send_auto(sk, msg);
	if (ret >= 0)
		ret = nl_wait_for_ack(sk);
	if (ret < 0) {
		hsd_err("netlink: DONE: %s", nl_geterror(ret));
		ret = -EIO;
	}
out:
	hsd_nl_cmd_free(sk, msg);
	return ret;
}

void hsd_nl_close(struct hsd_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->mc);
	free(nl);
}
