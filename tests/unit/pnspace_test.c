// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the received packet number ranges
 * (modules/net/quic/pnspace.c), against a bitmap model.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnspace.h"
#include "tap.h"

/* The ranges must be sorted, disjoint, non-adjacent, and hold exactly the
 * numbers of @seen that are not older than the last range.
 */
static bool consistent(const struct quic_pnspace *s, const bool *seen,
		       unsigned int max)
{
	unsigned int i;
	u64 pn, low;

	for (i = 0; i < s->nranges; i++) {
		if (s->rx[i].start > s->rx[i].end)
			return false;
		if (i && s->rx[i].end + 2 > s->rx[i - 1].start)
			return false;
	}
	if (!s->nranges)
		return true;
	low = s->rx[s->nranges - 1].start;
	for (pn = low; pn < max; pn++) {
		bool in = false;

		for (i = 0; i < s->nranges; i++)
			in |= pn >= s->rx[i].start && pn <= s->rx[i].end;
		if (in != seen[pn])
			return false;
	}
	return true;
}

int main(void)
{
	static const u64 order[] = { 5, 3, 4, 10, 8, 9, 0, 1, 2, 6, 7 };
	struct quic_pnspace s;
	bool seen[4096] = { false }, ok = true, dup_ok = true, seen_ok = true;
	unsigned int i, run;

	quic_pnspace_init(&s);
	TAP_CHECK(quic_pnspace_largest_rx(&s) == -1 && s.largest_acked == -1,
		  "pnspace: empty space");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		ok &= !quic_pnspace_record(&s, order[i]);
		seen[order[i]] = true;
		ok &= consistent(&s, seen, 16);
	}
	TAP_CHECK(ok && s.nranges == 1 && s.rx[0].start == 0 && s.rx[0].end == 10,
		  "pnspace: out-of-order numbers merge into one range");
	TAP_CHECK(quic_pnspace_record(&s, 4) == -EEXIST &&
		  quic_pnspace_record(&s, 0) == -EEXIST &&
		  quic_pnspace_record(&s, 10) == -EEXIST,
		  "pnspace: duplicates detected");
	TAP_CHECK(quic_pnspace_largest_rx(&s) == 10, "pnspace: largest received");

	/* every other number: one range each, the oldest forgotten */
	quic_pnspace_init(&s);
	for (i = 0; i < 2 * QUIC_PN_RANGES + 20; i += 2)
		quic_pnspace_record(&s, i);
	TAP_CHECK(s.nranges == QUIC_PN_RANGES &&
		  s.rx[0].end == 2 * QUIC_PN_RANGES + 18 &&
		  s.rx[QUIC_PN_RANGES - 1].start == 20,
		  "pnspace: at most %d ranges, the oldest dropped", QUIC_PN_RANGES);
	TAP_CHECK(quic_pnspace_record(&s, 2) == -EEXIST &&
		  quic_pnspace_record(&s, 19) == 0,
		  "pnspace: numbers older than the kept ranges count as duplicates");

	/* random model check */
	srand(1);
	for (run = 0; run < 200 && ok; run++) {
		memset(seen, 0, sizeof(seen));
		quic_pnspace_init(&s);
		for (i = 0; i < 300; i++) {
			u64 pn = rand() % 600;
			bool was = quic_pnspace_seen(&s, pn);
			int err = quic_pnspace_record(&s, pn);

			if (was != (err == -EEXIST))
				seen_ok = false;

			if (err && !seen[pn] && pn >= s.floor &&
			    s.nranges < QUIC_PN_RANGES)
				dup_ok = false;
			if (!err && seen[pn])
				dup_ok = false;
			if (!err)
				seen[pn] = true;
			ok &= consistent(&s, seen, 600);
		}
	}
	TAP_CHECK(ok, "pnspace: ranges match a bitmap model (200 random runs)");
	TAP_CHECK(dup_ok, "pnspace: only duplicates are reported as such");
	TAP_CHECK(seen_ok, "pnspace: quic_pnspace_seen() tells a duplicate before it is recorded");
	return tap_done();
}
