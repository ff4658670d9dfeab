// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tracepoints of tracepoints.h, instantiated once.
 */

#define CREATE_TRACE_POINTS
#include "tracepoints.h"
