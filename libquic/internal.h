/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libquic internals shared between its source files. */

#ifndef LIBQUIC_INTERNAL_H
#define LIBQUIC_INTERNAL_H

#include <syslog.h>

#define QUIC_EXPORT __attribute__((visibility("default")))

void quic_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define quic_log_error(...)	quic_log(LOG_ERR, __VA_ARGS__)
#define quic_log_notice(...)	quic_log(LOG_NOTICE, __VA_ARGS__)
#define quic_log_debug(...)	quic_log(LOG_DEBUG, __VA_ARGS__)

#endif /* LIBQUIC_INTERNAL_H */
