/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Minimal TAP output for the host unit tests. */

#ifndef QUIC_TEST_TAP_H
#define QUIC_TEST_TAP_H

#include <stdio.h>

static int tap_run, tap_failed;

/* Evaluates @cond exactly once. */
#define TAP_CHECK(cond, ...) do {					\
		int tap_ok_ = !!(cond);					\
		tap_run++;						\
		if (!tap_ok_)						\
			tap_failed++;					\
		printf("%s %d - ", tap_ok_ ? "ok" : "not ok", tap_run);	\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		if (!tap_ok_)						\
			printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_run);
	return tap_failed ? 1 : 0;
}

#endif
