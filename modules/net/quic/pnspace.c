// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Received packet number ranges.
 *
 * The ranges are disjoint, not adjacent, and sorted largest first, which
 * is the order an ACK frame lists them in.  Recording a number extends,
 * merges or inserts a range; when there are too many, the oldest range
 * is dropped.
 */

#include <linux/errno.h>
#include <linux/string.h>

#include "pnspace.h"

/**
 * quic_pnspace_init - an empty packet number space
 * @s: the space
 */
void quic_pnspace_init(struct quic_pnspace *s)
{
	memset(s, 0, sizeof(*s));
	s->largest_acked = -1;
}

/**
 * quic_pnspace_largest_rx - largest packet number received
 * @s: the space
 *
 * Return: the number, or -1 when nothing was received.
 */
s64 quic_pnspace_largest_rx(const struct quic_pnspace *s)
{
	return s->nranges ? (s64)s->rx[0].end : -1;
}

/**
 * quic_pnspace_seen - was a packet number received already?
 * @s: the space
 * @pn: the packet number
 *
 * Return: true when quic_pnspace_record() would call it a duplicate: a
 * number in a range, or older than every range still kept.
 */
bool quic_pnspace_seen(const struct quic_pnspace *s, u64 pn)
{
	const struct quic_ack_range *r = s->rx;
	unsigned int i, n = s->nranges;

	if (pn < s->floor)
		return true;
	for (i = 0; i < n; i++)
		if (r[i].start <= pn + 1)
			break;
	if (i == n)
		return n == QUIC_PN_RANGES;
	return pn >= r[i].start && pn <= r[i].end;
}

/**
 * quic_pnspace_record - note a received packet number
 * @s: the space
 * @pn: the packet number
 *
 * Return: 0, or -EEXIST for a duplicate, or a number older than every
 * range still kept, which the caller drops.
 */
int quic_pnspace_record(struct quic_pnspace *s, u64 pn)
{
	struct quic_ack_range *r = s->rx;
	unsigned int i, n = s->nranges;

	if (pn < s->floor)
		return -EEXIST;		/* forgotten: never accept twice */
	/* the first (largest) range starting at or below pn + 1 */
	for (i = 0; i < n; i++)
		if (r[i].start <= pn + 1)
			break;
	if (i < n) {
		if (pn >= r[i].start && pn <= r[i].end)
			return -EEXIST;
		if (r[i].start == pn + 1) {
			/* just below range i: extend it, maybe join i + 1 */
			r[i].start = pn;
			if (i + 1 < n && r[i + 1].end + 1 == pn) {
				r[i].start = r[i + 1].start;
				memmove(&r[i + 1], &r[i + 2],
					(n - i - 2) * sizeof(*r));
				s->nranges--;
			}
			return 0;
		}
		if (r[i].end + 1 == pn) {
			/* just above range i; range i - 1 starts above pn + 1 */
			r[i].end = pn;
			return 0;
		}
	} else if (n == QUIC_PN_RANGES) {
		return -EEXIST;		/* older than anything remembered */
	}
	/* a new range at index i; the oldest goes when full */
	if (n == QUIC_PN_RANGES) {
		n--;
		s->floor = r[n].end + 1;
	}
	memmove(&r[i + 1], &r[i], (n - i) * sizeof(*r));
	r[i].start = pn;
	r[i].end = pn;
	s->nranges = n + 1;
	return 0;
}
