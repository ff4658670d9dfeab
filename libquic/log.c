// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Logging: messages go to a function the application may replace; by
 * default they are printed on stderr.  Levels are syslog's.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <netinet/quic.h>

#include "internal.h"

static void quic_log_stderr(int level, const char *msg)
{
	(void)level;
	fprintf(stderr, "libquic: %s\n", msg);
}

static quic_set_log_func_t quic_log_func = quic_log_stderr;
static int quic_log_level = LOG_NOTICE;

void quic_log(int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (level > quic_log_level || !quic_log_func)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	quic_log_func(level, msg);
}

/**
 * quic_set_log_func - route libquic's messages to a function
 * @func: the function, or NULL to silence libquic
 *
 * Return: the previous function.
 */
QUIC_EXPORT quic_set_log_func_t quic_set_log_func(quic_set_log_func_t func)
{
	quic_set_log_func_t old = quic_log_func;

	quic_log_func = func;
	return old;
}

/**
 * quic_set_log_level - set the most verbose level that is logged
 * @level: a syslog level, LOG_EMERG (0) to LOG_DEBUG (7)
 *
 * Return: the previous level, or -EINVAL for a level out of range.
 */
QUIC_EXPORT int quic_set_log_level(int level)
{
	int old = quic_log_level;

	if (level < LOG_EMERG || level > LOG_DEBUG)
		return -EINVAL;
	quic_log_level = level;
	return old;
}
