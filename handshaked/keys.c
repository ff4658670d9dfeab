// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel keys: the certificates, private keys and pre-shared keys of a
 * request are key serials (keyrings(7)).  The agent reads them with
 * keyctl(2); it needs the read permission on each, as their owner's user
 * or as a possessor (through a keyring linked to its session keyring: the
 * request's own keyring, and those named in the configuration).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/keyctl.h>

#include "handshaked.h"

static long hsd_keyctl(int cmd, unsigned long a2, unsigned long a3,
		       unsigned long a4, unsigned long a5)
{
	return syscall(__NR_keyctl, cmd, a2, a3, a4, a5);
}

/**
 * hsd_key_read - the payload of a key
 * @serial: the key
 * @data: out: malloc'ed payload, to be wiped and freed by the caller
 * @len: out: its length
 *
 * Return: 0 or a negative errno.
 */
int hsd_key_read(int32_t serial, void **data, size_t *len)
{
	long n, m;
	void *buf;

	n = hsd_keyctl(KEYCTL_READ, (unsigned long)serial, 0, 0, 0);
	if (n < 0)
		return -errno;
	buf = malloc(n ? (size_t)n : 1);
	if (!buf)
		return -ENOMEM;
	m = hsd_keyctl(KEYCTL_READ, (unsigned long)serial, (unsigned long)buf,
		       (unsigned long)n, 0);
	if (m < 0 || m > n) {
		free(buf);
		return m < 0 ? -errno : -EAGAIN;
	}
	*data = buf;
	*len = (size_t)m;
	return 0;
}

/**
 * hsd_key_identity - the description of a key: a PSK's identity
 * @serial: the key
 * @buf: out: the description
 * @size: size of @buf
 *
 * Return: 0 or a negative errno.
 */
int hsd_key_identity(int32_t serial, char *buf, size_t size)
{
	char desc[512], *p;
	long n;
	int i;

	/* "type;uid;gid;perm;description" */
	n = hsd_keyctl(KEYCTL_DESCRIBE, (unsigned long)serial,
		       (unsigned long)desc, sizeof(desc), 0);
	if (n < 0)
		return -errno;
	if (n == 0 || (size_t)n > sizeof(desc))
		return -ENAMETOOLONG;
	desc[sizeof(desc) - 1] = '\0';
	p = desc;
	for (i = 0; i < 4 && p; i++) {
		p = strchr(p, ';');
		if (p)
			p++;
	}
	if (!p || !*p || strlen(p) >= size)
		return -EINVAL;
	strcpy(buf, p);
	return 0;
}

/**
 * hsd_key_link_session - possess a keyring: link it to our session keyring
 * @keyring: its serial
 *
 * Return: 0 or a negative errno.
 */
int hsd_key_link_session(int32_t keyring)
{
	if (hsd_keyctl(KEYCTL_LINK, (unsigned long)keyring,
		       (unsigned long)KEY_SPEC_SESSION_KEYRING, 0, 0) < 0)
		return -errno;
	return 0;
}

/**
 * hsd_key_link_named - link keyrings found by name to our session keyring
 * @names: comma-separated keyring descriptions, as /proc/keys shows them
 */
void hsd_key_link_named(const char *names)
{
	char line[512], type[32], desc[256], *list, *name, *save;
	unsigned int serial;
	FILE *f;
	int found;

	if (!names || !*names)
		return;
	list = strdup(names);
	if (!list)
		return;
	for (name = strtok_r(list, ", ", &save); name;
	     name = strtok_r(NULL, ", ", &save)) {
		found = 0;
		f = fopen("/proc/keys", "r");
		while (f && fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%x %*s %*s %*s %*s %*s %*s %31s %255[^:]",
				   &serial, type, desc) != 3 ||
			    strcmp(type, "keyring") || strcmp(desc, name))
				continue;
			found = 1;
			if (hsd_key_link_session((int32_t)serial))
				hsd_err("keyring %s: %s", name, strerror(errno));
			else
				hsd_notice("keyring %s linked", name);
			break;
		}
		if (f)
			fclose(f);
		if (!found)
			hsd_err("keyring %s: not found in /proc/keys", name);
	}
	free(list);
}

/**
 * hsd_key_add_peer - a key holding the peer's certificate, for the consumer
 * @desc: its description (the certificate's subject)
 * @der: the certificate, DER
 * @len: its length
 * @keyring: the request's keyring, or 0 for our session keyring
 *
 * The key expires after ten minutes unless the consumer holds a reference
 * (key_lookup()).
 *
 * Return: the serial, or 0 (logged).
 */
int32_t hsd_key_add_peer(const char *desc, const void *der, size_t len,
			 int32_t keyring)
{
	long serial;

	serial = syscall(__NR_add_key, "user", desc, der, len,
			 keyring ? keyring : KEY_SPEC_SESSION_KEYRING);
	if (serial < 0) {
		hsd_err("peer certificate key: %s", strerror(errno));
		return 0;
	}
	hsd_keyctl(KEYCTL_SET_TIMEOUT, (unsigned long)serial, 600, 0, 0);
	return (int32_t)serial;
}
