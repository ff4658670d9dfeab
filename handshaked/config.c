// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /etc/quic-handshaked.conf: "key = value" lines in sections, the names
 * of tlshd.conf where both have the setting:
 *
 *   [debug]                  loglevel
 *   [authenticate]           keyrings, timeout
 *   [authenticate.client]    x509.truststore, x509.certificate,
 *   [authenticate.server]    x509.private_key
 *
 * '#' and ';' start comments; unknown sections and keys are reported and
 * skipped, so that a newer file works with an older agent.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handshaked.h"

static char *hsd_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int hsd_set_str(char **field, const char *value)
{
	free(*field);
	*field = *value ? strdup(value) : NULL;
	return *value && !*field ? -ENOMEM : 0;
}

static int hsd_side_key(struct hsd_side *side, const char *key,
			const char *value)
{
	if (!strcmp(key, "x509.truststore"))
		return hsd_set_str(&side->truststore, value);
	if (!strcmp(key, "x509.certificate"))
		return hsd_set_str(&side->certificate, value);
	if (!strcmp(key, "x509.private_key"))
		return hsd_set_str(&side->private_key, value);
	return 1;
}

static int hsd_config_key(struct hsd_config *cfg, const char *section,
			  const char *key, const char *value)
{
	char *end;

	if (!strcmp(section, "debug") && !strcmp(key, "loglevel")) {
		cfg->loglevel = (int)strtol(value, &end, 10);
		return *end ? -EINVAL : 0;
	}
	if (!strcmp(section, "authenticate") && !strcmp(key, "keyrings"))
		return hsd_set_str(&cfg->keyrings, value);
	if (!strcmp(section, "authenticate") && !strcmp(key, "timeout")) {
		cfg->timeout_ms = (unsigned int)strtoul(value, &end, 10);
		return *end || !cfg->timeout_ms ? -EINVAL : 0;
	}
	if (!strcmp(section, "authenticate.client"))
		return hsd_side_key(&cfg->client, key, value);
	if (!strcmp(section, "authenticate.server"))
		return hsd_side_key(&cfg->server, key, value);
	return 1;
}

/**
 * hsd_config_load - read the configuration file
 * @path: the file; a missing file leaves the defaults
 * @cfg: out
 *
 * Return: 0 or a negative errno (logged).
 */
int hsd_config_load(const char *path, struct hsd_config *cfg)
{
	char line[1024], section[64] = "", *s, *eq, *end;
	unsigned int lineno = 0;
	FILE *f;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = 10000;
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT) {
			hsd_notice("%s: not found, using defaults", path);
			return 0;
		}
		ret = -errno;
		hsd_err("%s: %s", path, strerror(errno));
		return ret;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		s = line + strcspn(line, "#;");
		*s = '\0';
		s = hsd_trim(line);
		if (!*s)
			continue;
		if (*s == '[') {
			end = strchr(s, ']');
			if (!end || end[1] || (size_t)(end - s) > sizeof(section)) {
				hsd_err("%s:%u: bad section", path, lineno);
				fclose(f);
				return -EINVAL;
			}
			*end = '\0';
			strcpy(section, s + 1);
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			hsd_err("%s:%u: expected key = value", path, lineno);
			fclose(f);
			return -EINVAL;
		}
		*eq = '\0';
		ret = hsd_config_key(cfg, section, hsd_trim(s),
				     hsd_trim(eq + 1));
		if (ret < 0) {
			hsd_err("%s:%u: bad value for %s", path, lineno,
				hsd_trim(s));
			fclose(f);
			return ret;
		}
		if (ret)
			hsd_notice("%s:%u: [%s] %s: unknown, ignored", path,
				   lineno, section, hsd_trim(s));
	}
	fclose(f);
	return 0;
}

void hsd_config_free(struct hsd_config *cfg)
{
	free(cfg->keyrings);
	free(cfg->client.truststore);
	free(cfg->client.certificate);
	free(cfg->client.private_key);
	free(cfg->server.truststore);
	free(cfg->server.certificate);
	free(cfg->server.private_key);
}
