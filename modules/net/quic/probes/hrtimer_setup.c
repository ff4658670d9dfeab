// SPDX-License-Identifier: GPL-2.0-or-later
/* hrtimer_setup() initialises a timer and sets its callback. */
#include <linux/hrtimer.h>

static enum hrtimer_restart quic_probe_fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

void quic_probe(struct hrtimer *t);
void quic_probe(struct hrtimer *t)
{
	hrtimer_setup(t, quic_probe_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
}
