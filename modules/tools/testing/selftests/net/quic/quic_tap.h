/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TAP output for the QUIC selftests and libquic tests: CHECK(cond, fmt,
 * ...) prints one "ok N" / "not ok N" line, with the failed expression
 * and errno on failure; tap_done() prints the plan and a summary line.
 */

#ifndef QUIC_TAP_H
#define QUIC_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tests_run, tests_failed;

#define CHECK(cond, ...) tap_check(!!(cond), #cond, __LINE__, __VA_ARGS__)

#ifndef ARRAY_SIZE	/* as in the kernel and kselftest.h */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#ifndef __printf	/* the kernel's name, for userspace */
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

static __printf(4, 5)
void tap_check(int ok, const char *expr, int line, const char *fmt, ...);

static void tap_check(int ok, const char *expr, int line, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	tests_run++;
	if (!ok)
		tests_failed++;
	printf("%s %d - ", ok ? "ok" : "not ok", tests_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		printf("# line %d: %s (errno %d: %s)\n", line, expr, err,
		       strerror(err));
	fflush(stdout);
}

/* The plan and a summary; the exit status for main(). */
/* A counter of /proc/net/quic/snmp, or -1. */
static inline long quic_mib(const char *name)
{
	char line[128], key[64];
	long val = -1, v;
	FILE *f;

	f = fopen("/proc/net/quic/snmp", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", key, &v) == 2 && !strcmp(key, name))
			val = v;
	fclose(f);
	return val;
}

static inline int tap_done(const char *name)
{
	printf("1..%d\n", tests_run);
	printf("# %s: pass %d fail %d\n", name, tests_run - tests_failed,
	       tests_failed);
	return tests_failed ? 1 : 0;
}

#endif /* QUIC_TAP_H */
