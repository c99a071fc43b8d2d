/*-------------------------------------------------------------------------
 *
 * fuzz_merge.c
 *	  libFuzzer harness for adding tallies and for the counter.
 *
 * The input bytes are read as a little program: first three tallies,
 * then a sequence of ballots added and taken back.  The harness checks
 *
 *	 - mh_tally_add is commutative and associative, and agrees with the
 *	   counter (mh_counter_add_tally, mh_counter_merge) on both the result
 *	   and the failure (64-bit overflow);
 *	 - every result passes mh_tally_check;
 *	 - after every step of the ballot sequence, the counter equals a
 *	   fresh count of the ballots that remain (built independently with
 *	   mh_tally_build), and so does its leader; at the end it also equals
 *	   a ballot-by-ballot recount;
 *	 - the ballot counter merges with a tally, and takes one after its
 *	   ballots, like mh_tally_add does;
 *	 - the trailer (blank, issued, parts, provisional; a byte of the input
 *	   says which) adds as tally.h says, in every path.
 *
 * Any broken invariant aborts.
 *
 * test/fuzz/fuzz_merge.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counter.h"
#include "tally.h"
#include "fuzz_common.h"

static void
require_ok(mh_status status, const mh_error *err, const char *what)
{
	if (status != MH_OK)
	{
		fprintf(stderr, "%s: %s: %s\n", what, mh_status_name(status), err->detail);
		abort();
	}
}

/* ---------------------------------------------------------------- input */

typedef struct reader
{
	const uint8_t *p;
	size_t		n;
} reader;

static uint8_t
next_byte(reader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static uint64_t
next_u64(reader *r)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | next_byte(r);
	return v;
}

/* A count: mostly small, sometimes at the edge of the 64-bit range. */
static int64_t
next_count(reader *r)
{
	uint8_t		mode = next_byte(r);

	switch (mode % 8)
	{
		case 6:
			return INT64_MAX - next_byte(r);
		case 7:
			return (int64_t) (next_u64(r) >> 1);
		case 5:
			return (int64_t) next_byte(r) << 8 | next_byte(r);
		default:
			return next_byte(r);
	}
}

/* A candidate: mostly from a small range so that parts overlap. */
static int64_t
next_candidate(reader *r)
{
	uint8_t		mode = next_byte(r);

	if (mode < 224)
		return (int64_t) (mode % 24) - 8;
	if (mode < 240)
		return (int64_t) next_u64(r);
	return mode & 1 ? INT64_MAX : INT64_MIN;
}

static int64_t
sat_add(int64_t a, int64_t b)
{
	int64_t		s;

	return mh_add_overflow(a, b, &s) ? INT64_MAX : s;
}

/* A number in [0, bound], from the input. */
static int64_t
next_within(reader *r, int64_t bound)
{
	uint64_t	v = (uint64_t) next_count(r);

	return bound == INT64_MAX ? (int64_t) (v & (uint64_t) INT64_MAX) :
		(int64_t) (v % ((uint64_t) bound + 1));
}

/*
 * The trailer, when a byte of the input asks for one: each field within
 * its bounds, or (bit 0x08) anything, which mh_tally_with_extra must
 * refuse unless it fits.
 */
static mh_tally *
with_trailer(reader *r, mh_tally *t)
{
	uint8_t		which = next_byte(r);
	mh_tally_extra x;
	mh_tally   *w = NULL;
	mh_error	err;
	mh_status	status;

	if ((which & 0x07) == 0)
		return t;
	mh_tally_get_extra(t, &x);
	if (which & 0x01)
	{
		x.blank_known = true;
		x.blank = which & 0x08 ? next_count(r) : next_within(r, t->invalid);
	}
	if (which & 0x02)
	{
		x.issued_known = true;
		x.issued = (which & 0x08) || !mh_tally_registered_known(t) ? next_count(r) :
			next_within(r, t->registered);
	}
	if (which & 0x04)
	{
		x.parts = next_count(r);
		x.provisional = which & 0x08 ? next_count(r) : next_within(r, x.parts);
	}
	status = mh_tally_with_extra(t, &x, &heap, &w, &err);
	if (status != MH_OK)
	{
		require(which & 0x08, "a trailer within its bounds is accepted");
		require(status == MH_EWITHIN && err.status == status, "a trailer out of bounds is MH_EWITHIN");
		return t;
	}
	require(mh_tally_check(w, mh_tally_total_size(w), &err) == MH_OK,
			"a tally with a trailer passes mh_tally_check");
	{
		mh_tally_extra y;

		mh_tally_get_extra(w, &y);
		require(y.blank_known == (x.blank_known || t->invalid == 0) &&
				(!y.blank_known || y.blank == (t->invalid == 0 ? 0 : x.blank)) &&
				y.issued_known == x.issued_known && (!y.issued_known || y.issued == x.issued) &&
				y.parts == x.parts && y.provisional == x.provisional,
				"the trailer reads back as written");
	}
	free(t);
	return w;
}

/*
 * A tally from the input.  It is usually valid; when the numbers do not
 * make one (duplicates, overflow, counts that do not fit), mh_tally_build
 * must say so and an empty tally stands in.
 */
static mh_tally *
next_tally(reader *r)
{
	uint8_t		flags = next_byte(r);
	size_t		n = (size_t) (flags >> 2) % 9;
	int64_t		cands[8];
	int64_t		votes[8];
	int64_t		valid = 0;
	int64_t		invalid,
				cast,
				registered;
	size_t		i;
	mh_tally   *t = NULL;
	mh_error	err;
	mh_status	status;

	for (i = 0; i < n; i++)
	{
		cands[i] = next_candidate(r);
		votes[i] = next_count(r);
		valid = sat_add(valid, votes[i]);
	}
	invalid = next_count(r);
	cast = sat_add(valid, invalid);
	if (flags & 0x40)
		cast = sat_add(cast, next_count(r));	/* ballots not accounted for */
	if (flags & 0x80)
		cast = next_count(r);	/* anything at all */
	registered = sat_add(cast, flags & 0x02 ? next_count(r) : 0);

	status = mh_tally_build((flags & 0x01) != 0, registered, cast, invalid,
							cands, votes, n, &heap, &t, &err);
	if (status == MH_OK)
	{
		require(mh_tally_check(t, mh_tally_total_size(t), &err) == MH_OK,
				"a built tally passes mh_tally_check");
		return with_trailer(r, t);
	}
	require(status == MH_EDUPLICATE || status == MH_EOVERFLOW ||
			status == MH_EINCONSISTENT, "build fails for a reason");
	require(err.status == status, "the error records its status");
	status = mh_tally_build((flags & 0x01) != 0, 0, 0, 0, NULL, NULL, 0, &heap, &t, &err);
	require_ok(status, &err, "an empty tally");
	return t;
}

/* ---------------------------------------------------------------- helpers */

static mh_tally *
counter_tally(const mh_counter *c)
{
	mh_tally   *t = malloc(mh_counter_tally_size(c));

	require(t != NULL, "malloc");
	mh_counter_to_tally(c, t);
	require(mh_tally_check(t, mh_tally_total_size(t), NULL) == MH_OK,
			"a counter's tally passes mh_tally_check");
	return t;
}

/* The sum of parts through a counter, one tally at a time. */
static mh_status
counter_sum(mh_tally *const *parts, int nparts, mh_tally **result)
{
	mh_counter	c;
	mh_error	err;
	mh_status	status;
	int			i;

	static struct
	{
		mh_counter_line line;
		char		keys[MH_COUNTER_FIRST_KEYS];
	}			placed;

	require_ok(mh_counter_init(&c, &heap, &err), &err, "counter init");
	/* with an odd number of parts, on a line of the host's, as an aggregate's state */
	if (nparts % 2 == 1)
		require(mh_counter_place_line(&c, &placed.line, nparts % 4 == 1),
				"an empty counter's line moves");
	status = MH_OK;
	for (i = 0; status == MH_OK && i < nparts; i++)
		status = mh_counter_add_tally(&c, parts[i], &err);
	if (status == MH_OK)
		*result = counter_tally(&c);
	else
		require(err.status == status, "the error records its status");
	mh_counter_release(&c);
	return status;
}

/* The sum of two parts through two counters and a merge. */
static mh_status
counter_merge_sum(const mh_tally *a, const mh_tally *b, mh_tally **result)
{
	mh_counter	ca,
				cb;
	mh_error	err;
	mh_status	status;

	require_ok(mh_counter_init(&ca, &heap, &err), &err, "counter init");
	require_ok(mh_counter_init(&cb, &heap, &err), &err, "counter init");
	require_ok(mh_counter_add_tally(&ca, a, &err), &err, "one checked tally always fits");
	require_ok(mh_counter_add_tally(&cb, b, &err), &err, "one checked tally always fits");
	status = mh_counter_merge(&ca, &cb, &err);
	if (status == MH_OK)
	{
		/* the merged counter is unchanged */
		mh_tally   *tb = counter_tally(&cb);

		require(mh_tally_equal(tb, b), "merge leaves the other counter alone");
		free(tb);
		*result = counter_tally(&ca);
	}
	mh_counter_release(&ca);
	mh_counter_release(&cb);
	return status;
}

static void
check_sums(const mh_tally *a, const mh_tally *b, mh_tally **sum_out)
{
	mh_tally   *ab = NULL,
			   *ba = NULL,
			   *viac = NULL,
			   *viam = NULL;
	mh_tally   *parts[2];
	mh_error	err;
	mh_status	s_ab,
				s_ba,
				s_c,
				s_m;

	s_ab = mh_tally_add(a, b, &heap, &ab, &err);
	s_ba = mh_tally_add(b, a, &heap, &ba, &err);
	require(s_ab == MH_OK || s_ab == MH_EOVERFLOW, "adding checked tallies only overflows");
	require(s_ab == s_ba, "adding is commutative in its failures");
	parts[0] = (mh_tally *) a;
	parts[1] = (mh_tally *) b;
	s_c = counter_sum(parts, 2, &viac);
	s_m = counter_merge_sum(a, b, &viam);
	require(s_c == s_ab, "counter add_tally fails exactly when mh_tally_add does");
	require(s_m == s_ab, "counter merge fails exactly when mh_tally_add does");
	*sum_out = NULL;
	if (s_ab != MH_OK)
		return;

	require(mh_tally_check(ab, mh_tally_total_size(ab), NULL) == MH_OK,
			"a sum passes mh_tally_check");
	require(mh_tally_equal(ab, ba), "adding is commutative");
	require(mh_tally_equal(ab, viac), "counter add_tally equals mh_tally_add");
	require(mh_tally_equal(ab, viam), "counter merge equals mh_tally_add");
	require(mh_tally_registered_known(ab) ==
			(mh_tally_registered_known(a) && mh_tally_registered_known(b)),
			"registered is known only if both parts know it");
	require(ab->cast == a->cast + b->cast && ab->invalid == a->invalid + b->invalid,
			"counts add up");
	{
		mh_tally_extra xa,
					xb,
					xs;

		mh_tally_get_extra(a, &xa);
		mh_tally_get_extra(b, &xb);
		mh_tally_get_extra(ab, &xs);
		require(xs.parts == xa.parts + xb.parts && xs.provisional == xa.provisional + xb.provisional,
				"parts and provisional add up");
		require(xs.blank_known == ((xa.blank_known && xb.blank_known) || ab->invalid == 0) &&
				(!xs.blank_known || xs.blank == xa.blank + xb.blank),
				"blank is known only if both parts know it, and adds up");
		require(xs.issued_known == (xa.issued_known && xb.issued_known) &&
				(!xs.issued_known || xs.issued == xa.issued + xb.issued),
				"issued is known only if both parts know it, and adds up");
	}
	require(ab->ncandidates <= a->ncandidates + b->ncandidates &&
			ab->ncandidates >= a->ncandidates && ab->ncandidates >= b->ncandidates,
			"candidates merge");
	free(ba);
	free(viac);
	free(viam);
	*sum_out = ab;
}

/* ---------------------------------------------------------------- ballots */

/*
 * The checking code needs no coverage feedback of its own, and its
 * comparisons, traced, would cost more than the code under test.
 */
#if defined(__clang__) && __clang_major__ >= 13
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

#define NCANDS 40

static int64_t ballot_cands[NCANDS];

static void
setup_candidates(void)
{
	static int	done = 0;
	int			i,
				found = 0;
	int64_t		x = 1000;

	if (done)
		return;
	/* small numbers, the extremes, and numbers that share a home slot */
	for (i = 0; i < 22; i++)
		ballot_cands[i] = i - 11;
	ballot_cands[22] = INT64_MIN;
	ballot_cands[23] = INT64_MAX;
	while (found < NCANDS - 24)
	{
		if ((((uint64_t) x * MH_COUNTER_FIBONACCI) >> 58) == 63)
			ballot_cands[24 + found++] = x;
		x++;
	}
	done = 1;
}

/* What the counter should hold: a tally built from plain counts. */
NO_COVERAGE static mh_tally *
expected_count(const int64_t *naive, int64_t invalid)
{
	int64_t		cands[NCANDS];
	int64_t		votes[NCANDS];
	int64_t		cast = invalid;
	size_t		n = 0;
	int			i;
	mh_tally   *t = NULL;
	mh_error	err;

	for (i = 0; i < NCANDS; i++)
		if (naive[i] > 0)
		{
			cands[n] = ballot_cands[i];
			votes[n++] = naive[i];
			cast += naive[i];
		}
	require_ok(mh_tally_build(false, 0, cast, invalid, cands, votes, n, &heap, &t, &err),
			   &err, "the expected count");
	return t;
}

/* A counter rebuilt from plain counts, after a refused take-back. */
NO_COVERAGE static void
recount(mh_counter *c, const int64_t *naive, int64_t invalid, bool one_by_one)
{
	mh_error	err;
	int64_t		k;
	int			i;

	require_ok(mh_counter_init(c, &heap, &err), &err, "counter init");
	for (i = 0; i < NCANDS; i++)
	{
		if (one_by_one)
			for (k = 0; k < naive[i]; k++)
				require_ok(mh_counter_add_ballot(c, false, ballot_cands[i], &err), &err, "ballot");
		else if (naive[i] > 0)
			require_ok(mh_counter_add_votes(c, false, ballot_cands[i], naive[i], &err), &err,
					   "votes");
		/* interleave the invalid ballots */
		if (i == NCANDS / 2)
			for (k = 0; k < invalid; k++)
				require_ok(mh_counter_add_ballot(c, true, 0, &err), &err, "invalid ballot");
	}
}

NO_COVERAGE static void
check_leader(const mh_counter *c, const int64_t *naive)
{
	int64_t		best = 0,
				who = 0,
				leader = 0;
	int			nbest = 0,
				i;
	bool		has;

	for (i = 0; i < NCANDS; i++)
	{
		if (naive[i] > best)
		{
			best = naive[i];
			who = ballot_cands[i];
			nbest = 1;
		}
		else if (naive[i] == best && best > 0)
			nbest++;
	}
	has = mh_counter_leader(c, &leader);
	require(has == (nbest == 1), "a leader exactly when one candidate has the most");
	if (has)
		require(leader == who, "the leader is the one with the most votes");
}

/*
 * The counter against plain counts: its counts and leader always; in full
 * (every candidate looked up in its tally, and that tally against one
 * built independently) when asked.
 */
NO_COVERAGE static void
check_counter(const mh_counter *c, const int64_t *naive, int64_t invalid, bool full)
{
	static union
	{
		mh_tally	t;
		char		bytes[sizeof(mh_tally) + NCANDS * sizeof(mh_vote)];
	}			buf;
	mh_tally   *got = &buf.t;
	int64_t		cast = invalid;
	uint32_t	n = 0;
	int			i;

	for (i = 0; i < NCANDS; i++)
		if (naive[i] > 0)
		{
			cast += naive[i];
			n++;
		}
	require(c->ncandidates == n, "no other candidate is counted");
	require(mh_counter_cast(c) == cast && c->invalid == invalid, "cast and invalid are right");
	require(c->line->registered_state != MH_REGISTERED_KNOWN, "ballots never know registered voters");
	require(c->line->capacity == 0 ? c->line->nsmall == c->ncandidates && c->ncandidates <= MH_COUNTER_SMALL :
			(uint64_t) c->ncandidates * 4 <= (uint64_t) c->line->capacity * 3,
			"the small table holds every candidate, or the load factor stays at most 3/4");
	check_leader(c, naive);
	if (!full)
		return;

	require(mh_counter_tally_size(c) <= sizeof(buf), "at most every candidate");
	mh_counter_to_tally(c, got);
	require(mh_tally_check(got, mh_tally_total_size(got), NULL) == MH_OK,
			"a counter's tally passes mh_tally_check");
	for (i = 0; i < NCANDS; i++)
	{
		const mh_vote *v = mh_tally_find(got, ballot_cands[i]);

		if (naive[i] > 0)
			require(v != NULL && v->votes == naive[i], "every candidate's votes are right");
		else
			require(v == NULL, "a candidate without votes leaves the counter");
	}
	require(got->ncandidates == n, "the tally names every candidate counted");
	require(!mh_tally_registered_known(got), "ballots never know registered voters");
	{
		mh_tally   *want = expected_count(naive, invalid);

		require(mh_tally_equal(got, want), "the counter equals a fresh count");
		free(want);
	}
}

static void
run_ballots(reader *r, const mh_tally *part)
{
	mh_counter	c;
	mh_error	err;
	int64_t		naive[NCANDS];
	int64_t		invalid = 0;
	bool		any = false;
	uint32_t	steps = 0;
	mh_tally   *got,
			   *want;

	memset(naive, 0, sizeof(naive));
	require_ok(mh_counter_init(&c, &heap, &err), &err, "counter init");

	while (r->n > 0)
	{
		uint8_t		op = next_byte(r);
		uint8_t		arg = next_byte(r);
		int			who = arg % NCANDS;
		bool		is_invalid = (op >> 2) % 8 == 0;
		int64_t    *have = is_invalid ? &invalid : &naive[who];
		bool		deleted = false;

		switch (op % 4)
		{
			case 0:
			case 1:
				require_ok(mh_counter_add_ballot(&c, is_invalid, ballot_cands[who], &err), &err,
						   "add a ballot");
				(*have)++;
				any = true;
				break;
			case 2:
				{
					int64_t		k = 1 + (op >> 5) % 3;

					require_ok(mh_counter_add_votes(&c, is_invalid, ballot_cands[who], k, &err),
							   &err, "add votes");
					*have += k;
					any = true;
				}
				break;
			case 3:
				{
					mh_status	status = mh_counter_remove_ballot(&c, is_invalid,
																  ballot_cands[who], &err);

					if (*have > 0)
					{
						require_ok(status, &err, "take back a ballot that is there");
						deleted = --(*have) == 0 && !is_invalid;
					}
					else
					{
						require(status == MH_EINCONSISTENT && err.status == status,
								"taking back a ballot that is not there is refused");
						/* the counts are unspecified now: count afresh */
						mh_counter_release(&c);
						recount(&c, naive, invalid, false);
					}
				}
				break;
		}

		/* every step cheaply; in full now and then, after deletions, at the end */
		check_counter(&c, naive, invalid, deleted || ++steps % 16 == 0 || r->n == 0);
	}

	/* a ballot-by-ballot recount agrees */
	{
		mh_counter	fresh;

		recount(&fresh, naive, invalid, true);
		got = counter_tally(&c);
		want = counter_tally(&fresh);
		require(mh_tally_equal(got, want), "the counter equals a ballot-by-ballot recount");
		free(got);
		free(want);
		mh_counter_release(&fresh);
	}

	/* a part, then the ballots, in one counter: like adding the tallies */
	{
		mh_counter	k;
		mh_tally   *sum = NULL;
		mh_status	s_k = MH_OK,
					s_t = MH_OK;
		int64_t		j;
		int			i;

		require_ok(mh_counter_init(&k, &heap, &err), &err, "counter init");
		require_ok(mh_counter_add_tally(&k, part, &err), &err, "one tally");
		for (i = 0; i < NCANDS && s_k == MH_OK; i++)
			for (j = 0; j < naive[i] && s_k == MH_OK; j++)
				s_k = mh_counter_add_ballot(&k, false, ballot_cands[i], &err);
		for (j = 0; j < invalid && s_k == MH_OK; j++)
			s_k = mh_counter_add_ballot(&k, true, 0, &err);
		got = counter_tally(&c);
		if (got->cast == 0)
		{
			sum = malloc(mh_tally_total_size(part));
			require(sum != NULL, "malloc");
			memcpy(sum, part, mh_tally_total_size(part));
		}
		else
			s_t = mh_tally_add(part, got, &heap, &sum, &err);
		require(s_k == s_t, "ballots after a part fail exactly when adding the tallies does");
		if (s_k == MH_OK)
		{
			mh_tally   *both = counter_tally(&k);

			require(mh_tally_equal(both, sum), "ballots after a part equal adding the tallies");
			require(mh_tally_registered_known(both) == (got->cast == 0 &&
														 mh_tally_registered_known(part)),
					"a ballot makes registered voters unknown");
			free(both);
		}
		free(sum);
		free(got);
		mh_counter_release(&k);
	}

	/* merged with a part, like mh_tally_add (an empty counter adds nothing) */
	{
		mh_counter	cp;
		mh_tally   *sum = NULL;
		mh_status	s_m,
					s_t;

		require_ok(mh_counter_init(&cp, &heap, &err), &err, "counter init");
		require_ok(mh_counter_add_tally(&cp, part, &err), &err, "one tally");
		s_m = mh_counter_merge(&cp, &c, &err);
		got = counter_tally(&c);
		if (c.line->registered_state == MH_REGISTERED_NONE)
		{
			require(!any || mh_counter_cast(&c) == 0, "a counter with ballots is not empty");
			s_t = MH_OK;
			sum = malloc(mh_tally_total_size(part));
			require(sum != NULL, "malloc");
			memcpy(sum, part, mh_tally_total_size(part));
		}
		else
			s_t = mh_tally_add(part, got, &heap, &sum, &err);
		require(s_m == s_t, "merge fails exactly when mh_tally_add does");
		if (s_m == MH_OK)
		{
			mh_tally   *merged = counter_tally(&cp);

			require(mh_tally_equal(merged, sum), "merging ballots equals adding tallies");
			free(merged);
		}
		free(sum);
		free(got);
		mh_counter_release(&cp);
	}

	/*
	 * The ballots, then a part, in the ballot counter itself: like adding
	 * the tallies (a counter whose invalid ballots were all taken back
	 * knows its blank ballots again: none).
	 */
	{
		mh_tally   *sum = NULL;
		mh_status	s_k,
					s_t;
		bool		empty = c.line->registered_state == MH_REGISTERED_NONE;

		got = counter_tally(&c);
		s_k = mh_counter_add_tally(&c, part, &err);
		if (empty)
		{
			s_t = MH_OK;
			sum = malloc(mh_tally_total_size(part));
			require(sum != NULL, "malloc");
			memcpy(sum, part, mh_tally_total_size(part));
		}
		else
			s_t = mh_tally_add(got, part, &heap, &sum, &err);
		require(s_k == s_t, "a part after the ballots fails exactly when adding the tallies does");
		if (s_k == MH_OK)
		{
			mh_tally   *both = counter_tally(&c);

			require(mh_tally_equal(both, sum), "a part after the ballots equals adding the tallies");
			free(both);
		}
		free(sum);
		free(got);
	}
	mh_counter_release(&c);
}

/* ---------------------------------------------------------------- entry */

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reader		r = {data, size};
	mh_tally   *a,
			   *b,
			   *c;
	mh_tally   *ab = NULL,
			   *bc = NULL,
			   *ab_c = NULL,
			   *a_bc = NULL;

	setup_candidates();
	a = next_tally(&r);
	b = next_tally(&r);
	c = next_tally(&r);

	check_sums(a, b, &ab);
	check_sums(b, c, &bc);
	check_sums(a, a, &ab_c);	/* a part added to itself */
	free(ab_c);
	ab_c = NULL;

	/* associativity, where nothing overflows */
	if (ab != NULL && bc != NULL)
	{
		mh_tally   *parts[3] = {a, b, c};
		mh_tally   *viac = NULL;
		mh_error	err;
		mh_status	s1 = mh_tally_add(ab, c, &heap, &ab_c, &err);
		mh_status	s2 = mh_tally_add(a, bc, &heap, &a_bc, &err);
		mh_status	s3 = counter_sum(parts, 3, &viac);

		require(s1 == s2 && s2 == s3, "three parts overflow in any grouping or none");
		if (s1 == MH_OK)
		{
			require(mh_tally_equal(ab_c, a_bc), "adding is associative");
			require(mh_tally_equal(ab_c, viac), "a counter of three parts agrees");
		}
		free(ab_c);
		free(a_bc);
		free(viac);
	}

	run_ballots(&r, a);

	free(ab);
	free(bc);
	free(a);
	free(b);
	free(c);
	return 0;
}
