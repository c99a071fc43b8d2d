/*-------------------------------------------------------------------------
 *
 * audit.c
 *	  Problems of a protocol as values, two tallies compared, and the
 *	  exact election-night call (the rules are in audit.h).
 *
 * src/core/audit.c
 *
 *-------------------------------------------------------------------------
 */
#include "audit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- mh_wide */

mh_wide
mh_wide_of(int64_t v)
{
	mh_wide		w;

	w.hi = v < 0 ? -1 : 0;
	w.lo = (uint64_t) v;
	return w;
}

void
mh_wide_add(mh_wide *w, int64_t v)
{
	uint64_t	lo = w->lo + (uint64_t) v;

	/* hi never overflows: at most 2^25 + 6 terms of 64 bits are added */
	w->hi += (int64_t) (lo < w->lo) + (v < 0 ? -1 : 0);
	w->lo = lo;
}

int
mh_wide_compare(mh_wide a, mh_wide b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return (a.lo > b.lo) - (a.lo < b.lo);
}

char *
mh_wide_format(mh_wide w, char *buf)
{
	uint32_t	limb[4];
	char		digits[MH_WIDE_DIGITS];
	int			n = 0,
				k;
	bool		negative = w.hi < 0;
	uint64_t	hi = (uint64_t) w.hi,
				lo = w.lo;
	char	   *p = buf;

	if (negative)
	{
		lo = ~lo + 1;
		hi = ~hi + (lo == 0);
	}
	limb[0] = (uint32_t) (hi >> 32);
	limb[1] = (uint32_t) hi;
	limb[2] = (uint32_t) (lo >> 32);
	limb[3] = (uint32_t) lo;
	do
	{
		uint64_t	r = 0;

		/* long division of the four 32-bit limbs by 10 */
		for (k = 0; k < 4; k++)
		{
			uint64_t	cur = (r << 32) | limb[k];

			limb[k] = (uint32_t) (cur / 10);
			r = cur % 10;
		}
		digits[n++] = (char) ('0' + r);
	} while (limb[0] | limb[1] | limb[2] | limb[3]);
	if (negative)
		*p++ = '-';
	while (n > 0)
		*p++ = digits[--n];
	*p = '\0';
	return buf;
}

/* ---------------------------------------------------------------- names */

static const struct
{
	const char *name;
	bool		error;
}			problem_kinds[] =
{
	[MH_PROBLEM_ARRAY_LENGTHS] = {"array_lengths", true},
	[MH_PROBLEM_MISSING_CANDIDATE] = {"missing_candidate", true},
	[MH_PROBLEM_MISSING_VOTES] = {"missing_votes", true},
	[MH_PROBLEM_NEGATIVE_COUNT] = {"negative_count", true},
	[MH_PROBLEM_DUPLICATE_CANDIDATE] = {"duplicate_candidate", true},
	[MH_PROBLEM_VOTES_EXCEED_CAST] = {"votes_exceed_cast", true},
	[MH_PROBLEM_BALLOTS_UNACCOUNTED] = {"ballots_unaccounted", false},
	[MH_PROBLEM_CAST_EXCEEDS_REGISTERED] = {"cast_exceeds_registered", true},
	[MH_PROBLEM_VALID_MISMATCH] = {"valid_mismatch", true},
	[MH_PROBLEM_BLANK_SHARE] = {"blank_share", false},
	[MH_PROBLEM_INVALID_SHARE] = {"invalid_share", false},
	[MH_PROBLEM_ADMITTED_MISMATCH] = {"admitted_mismatch", false},
	[MH_PROBLEM_SAME_VOTES] = {"same_votes", false},
	[MH_PROBLEM_NO_VOTES] = {"no_votes", false},
};

const char *
mh_problem_name(mh_problem_code code)
{
	return problem_kinds[code].name;
}

const char *
mh_problem_severity(mh_problem_code code)
{
	return problem_kinds[code].error ? "error" : "warning";
}

/* ---------------------------------------------------------------- problems */

typedef struct problem_list
{
	mh_problem *items;
	int			n;
} problem_list;

static mh_problem *
add_problem(problem_list *list, mh_problem_code code, int64_t candidate,
			const mh_wide *found, const mh_wide *expected, const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 6, 7)))
#endif
			;

static mh_problem *
add_problem(problem_list *list, mh_problem_code code, int64_t candidate,
			const mh_wide *found, const mh_wide *expected, const char *fmt,...)
{
	mh_problem *p;
	va_list		args;

	if (list->n >= MH_AUDIT_MAX_PROBLEMS)
		return NULL;
	p = &list->items[list->n++];
	memset(p, 0, sizeof(*p));
	p->code = code;
	p->candidate = candidate;
	p->has_found = found != NULL;
	if (found)
		p->found = *found;
	p->has_expected = expected != NULL;
	if (expected)
		p->expected = *expected;
	va_start(args, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, args);
	va_end(args);
	return p;
}

/* Candidate i of a protocol named for a message. */
static const char *
protocol_label(const mh_protocol *p, size_t i, char *buf)
{
	if (p->keys != NULL)
		return mh_key_label(p->keys[i].key, p->keys[i].len, buf);
	snprintf(buf, MH_LABEL_SIZE, "%" PRId64, p->numbers[i]);
	return buf;
}

static bool
candidate_is_null(const mh_protocol *p, size_t i)
{
	return p->candidate_null != NULL && p->candidate_null[i];
}

typedef struct sort_entry
{
	const mh_protocol *p;
	size_t		index;
} sort_entry;

static int
compare_entries(const void *x, const void *y)
{
	const sort_entry *a = x;
	const sort_entry *b = y;
	int			c;

	if (a->p->keys != NULL)
		c = mh_key_compare(a->p->keys[a->index].key, a->p->keys[a->index].len,
						   b->p->keys[b->index].key, b->p->keys[b->index].len);
	else
		c = (a->p->numbers[a->index] > b->p->numbers[b->index]) -
			(a->p->numbers[a->index] < b->p->numbers[b->index]);
	if (c != 0)
		return c;
	/* then in the protocol's order, so the second naming is reported */
	return (a->index > b->index) - (a->index < b->index);
}

/*
 * The index of the first candidate (in key order) named a second time,
 * the later naming; -1 if none; -2 without memory.
 */
static int64_t
find_duplicate(const mh_protocol *p, const mh_allocator *alloc)
{
	sort_entry *entries;
	size_t		n = 0,
				i;
	int64_t		found = -1;

	if (p->ncandidates < 2)
		return -1;
	entries = alloc->alloc(alloc->ctx, p->ncandidates * sizeof(sort_entry));
	if (entries == NULL)
		return -2;
	for (i = 0; i < p->ncandidates; i++)
		if (!candidate_is_null(p, i))
		{
			entries[n].p = p;
			entries[n].index = i;
			n++;
		}
	mh_sort(entries, n, sizeof(sort_entry), compare_entries, alloc);
	for (i = 1; i < n; i++)
	{
		size_t		x = entries[i - 1].index,
					y = entries[i].index;
		bool		same = p->keys != NULL ?
			mh_key_compare(p->keys[x].key, p->keys[x].len, p->keys[y].key, p->keys[y].len) == 0 :
			p->numbers[x] == p->numbers[y];

		mh_check_interrupts(alloc, i);
		if (same)
		{
			found = (int64_t) y;
			break;
		}
	}
	if (alloc->free)
		alloc->free(alloc->ctx, entries);
	return found;
}

static void
check_negative(problem_list *list, const mh_count *c, const char *what)
{
	mh_wide		found,
				zero = mh_wide_of(0);

	if (!c->known || c->value >= 0)
		return;
	found = mh_wide_of(c->value);
	add_problem(list, MH_PROBLEM_NEGATIVE_COUNT, -1, &found, &zero,
				"%s is %" PRId64 ", but counts cannot be negative.", what, c->value);
}

/* part > whole x share, exactly; false unless both are >= 0 */
static bool
share_exceeds(int64_t part, int64_t whole, mh_fraction share)
{
	return part >= 0 && whole >= 0 && mh_turnout_exceeds(part, whole, share);
}

/* The share as a percentage for a message, "3%" or "2.5%": at most 4 decimals, truncated. */
static const char *
percent_label(mh_fraction f, char *buf, size_t size)
{
	uint64_t	rem,
				whole,
				frac = 0;
	int			k,
				d = 4;
	char		digits[5];

	if (f.num >= f.den)
	{
		snprintf(buf, size, "100%%");
		return buf;
	}
	/* long division: rem < den <= 10^18, so rem x 10 fits in 64 bits */
	rem = f.num;
	whole = 0;
	for (k = 0; k < 6; k++)
	{
		rem *= 10;
		if (k < 2)
			whole = whole * 10 + rem / f.den;
		else
			frac = frac * 10 + rem / f.den;
		rem %= f.den;
	}
	for (k = 3; k >= 0; k--)
	{
		digits[k] = (char) ('0' + frac % 10);
		frac /= 10;
	}
	digits[4] = '\0';
	while (d > 0 && digits[d - 1] == '0')
		d--;
	if (d > 0)
		snprintf(buf, size, "%" PRIu64 ".%.*s%%", whole, d, digits);
	else
		snprintf(buf, size, "%" PRIu64 "%%", whole);
	return buf;
}

mh_status
mh_audit_protocol(const mh_protocol *p, const mh_audit_tolerances *tol,
				  const mh_allocator *alloc, mh_problem *problems, int *nproblems,
				  mh_error *err)
{
	problem_list list = {problems, 0};
	mh_wide		votes = mh_wide_of(0),
				accounted,
				w_cast,
				w_declared,
				w_count;
	size_t		i;
	size_t		nvotes = p->nvotes;
	int64_t		first_negative = -1;
	int64_t		dup;
	int64_t		total = 0;
	bool		total_known = false;
	char		label[MH_LABEL_SIZE];
	char		a[MH_WIDE_DIGITS],
				b[MH_WIDE_DIGITS],
				pct[32];
	int64_t		blank = p->blank.known ? p->blank.value : 0;
	int64_t		invalid = p->invalid.known ? p->invalid.value : 0;

	*nproblems = 0;

	if (p->ncandidates != p->nvotes)
	{
		mh_wide		f = mh_wide_of((int64_t) p->nvotes),
					e = mh_wide_of((int64_t) p->ncandidates);

		add_problem(&list, MH_PROBLEM_ARRAY_LENGTHS, -1, &f, &e,
					"The protocol lists %zu candidates but %zu vote counts.",
					p->ncandidates, p->nvotes);
	}
	for (i = 0; i < p->ncandidates; i++)
		if (candidate_is_null(p, i))
		{
			add_problem(&list, MH_PROBLEM_MISSING_CANDIDATE, -1, NULL, NULL,
						"Candidate %zu of the protocol is NULL.", i + 1);
			break;
		}
	for (i = 0; i < nvotes; i++)
		if (p->votes_null != NULL && p->votes_null[i])
		{
			if (i < p->ncandidates && !candidate_is_null(p, i))
				add_problem(&list, MH_PROBLEM_MISSING_VOTES, (int64_t) i, NULL, NULL,
							"Candidate %s has NULL votes.", protocol_label(p, i, label));
			else
				add_problem(&list, MH_PROBLEM_MISSING_VOTES, -1, NULL, NULL,
							"Vote count %zu of the protocol is NULL.", i + 1);
			break;
		}

	check_negative(&list, &p->registered, "Registered voters");
	check_negative(&list, &p->issued, "Ballots issued");
	check_negative(&list, &p->cast, "Ballots cast");
	check_negative(&list, &p->blank, "Blank ballots");
	check_negative(&list, &p->invalid, "Invalid ballots");
	check_negative(&list, &p->declared_valid, "Declared valid votes");
	for (i = 0; i < nvotes; i++)
	{
		mh_check_interrupts(alloc, i);
		if (p->votes_null != NULL && p->votes_null[i])
			continue;
		if (p->votes[i] < 0 && first_negative < 0)
			first_negative = (int64_t) i;
		mh_wide_add(&votes, p->votes[i]);
	}
	if (first_negative >= 0)
	{
		mh_wide		f = mh_wide_of(p->votes[first_negative]),
					zero = mh_wide_of(0);
		size_t		at = (size_t) first_negative;

		if (at < p->ncandidates && !candidate_is_null(p, at))
			add_problem(&list, MH_PROBLEM_NEGATIVE_COUNT, first_negative, &f, &zero,
						"Candidate %s has %" PRId64 " votes, but counts cannot be negative.",
						protocol_label(p, at, label), p->votes[at]);
		else
			add_problem(&list, MH_PROBLEM_NEGATIVE_COUNT, -1, &f, &zero,
						"Vote count %zu is %" PRId64 ", but counts cannot be negative.",
						at + 1, p->votes[at]);
	}

	dup = find_duplicate(p, alloc);
	if (dup == -2)
		return mh_fail(err, MH_ENOMEM, "Could not allocate room to sort %zu candidates.",
					   p->ncandidates);
	if (dup >= 0)
		add_problem(&list, MH_PROBLEM_DUPLICATE_CANDIDATE, dup, NULL, NULL,
					"Candidate %s is listed more than once.",
					protocol_label(p, (size_t) dup, label));

	accounted = votes;
	mh_wide_add(&accounted, blank);
	mh_wide_add(&accounted, invalid);
	if (p->cast.known)
	{
		int			c;

		w_cast = mh_wide_of(p->cast.value);
		c = mh_wide_compare(accounted, w_cast);
		mh_wide_format(votes, a);
		if (c > 0)
			add_problem(&list, MH_PROBLEM_VOTES_EXCEED_CAST, -1, &accounted, &w_cast,
						"Candidate votes (%s) plus blank (%" PRId64 ") and invalid (%" PRId64
						") ballots come to %s, more than the %" PRId64 " ballots cast.",
						a, blank, invalid, mh_wide_format(accounted, b), p->cast.value);
		else if (c < 0)
			add_problem(&list, MH_PROBLEM_BALLOTS_UNACCOUNTED, -1, &accounted, &w_cast,
						"Candidate votes (%s) plus blank (%" PRId64 ") and invalid (%" PRId64
						") ballots come to %s, fewer than the %" PRId64 " ballots cast.",
						a, blank, invalid, mh_wide_format(accounted, b), p->cast.value);
		total = p->cast.value;
		total_known = true;
	}
	else if (mh_wide_compare(accounted, mh_wide_of(INT64_MAX)) <= 0 &&
			 mh_wide_compare(accounted, mh_wide_of(0)) >= 0)
	{
		total = (int64_t) accounted.lo;
		total_known = true;
	}

	if (p->registered.known && p->cast.known && p->cast.value > p->registered.value)
	{
		mh_wide		f = mh_wide_of(p->cast.value),
					e = mh_wide_of(p->registered.value);

		add_problem(&list, MH_PROBLEM_CAST_EXCEEDS_REGISTERED, -1, &f, &e,
					"Ballots cast (%" PRId64 ") exceed registered voters (%" PRId64 ").",
					p->cast.value, p->registered.value);
	}

	if (p->declared_valid.known)
	{
		w_declared = mh_wide_of(p->declared_valid.value);
		if (mh_wide_compare(votes, w_declared) != 0)
		{
			mh_wide		diff = votes;

			/* votes - declared: both fit, the difference fits in the accumulator */
			if (p->declared_valid.value == INT64_MIN)
			{
				mh_wide_add(&diff, INT64_MAX);
				mh_wide_add(&diff, 1);
			}
			else
				mh_wide_add(&diff, -p->declared_valid.value);
			add_problem(&list, MH_PROBLEM_VALID_MISMATCH, -1, &votes, &w_declared,
						"Candidate votes add up to %s, but the declared valid votes are %" PRId64
						" (%s%s).",
						mh_wide_format(votes, a), p->declared_valid.value,
						diff.hi >= 0 ? "+" : "", mh_wide_format(diff, b));
		}
	}

	if (tol->blank_known && p->blank.known && total_known &&
		share_exceeds(blank, total, tol->blank_share))
	{
		w_count = mh_wide_of(blank);
		w_cast = mh_wide_of(total);
		add_problem(&list, MH_PROBLEM_BLANK_SHARE, -1, &w_count, &w_cast,
					"Blank ballots (%" PRId64 ") are more than %s of the %" PRId64 " ballots %s.",
					blank, percent_label(tol->blank_share, pct, sizeof(pct)), total,
					p->cast.known ? "cast" : "accounted for");
	}
	if (tol->invalid_known && p->invalid.known && total_known &&
		share_exceeds(invalid, total, tol->invalid_share))
	{
		w_count = mh_wide_of(invalid);
		w_cast = mh_wide_of(total);
		add_problem(&list, MH_PROBLEM_INVALID_SHARE, -1, &w_count, &w_cast,
					"Invalid ballots (%" PRId64 ") are more than %s of the %" PRId64 " ballots %s.",
					invalid, percent_label(tol->invalid_share, pct, sizeof(pct)), total,
					p->cast.known ? "cast" : "accounted for");
	}

	if (tol->admitted_known && p->issued.known && p->cast.known &&
		p->issued.value >= 0 && p->cast.value >= 0)
	{
		int64_t		d = p->issued.value > p->cast.value ?
			p->issued.value - p->cast.value : p->cast.value - p->issued.value;

		if (d >= tol->admitted_min && share_exceeds(d, p->issued.value, tol->admitted_share))
		{
			mh_wide		f = mh_wide_of(p->cast.value),
						e = mh_wide_of(p->issued.value);

			add_problem(&list, MH_PROBLEM_ADMITTED_MISMATCH, -1, &f, &e,
						"Ballots cast (%" PRId64 ") and ballots issued (%" PRId64
						") differ by %" PRId64 ", more than %s of ballots issued and at least %" PRId64 ".",
						p->cast.value, p->issued.value, d,
						percent_label(tol->admitted_share, pct, sizeof(pct)), tol->admitted_min);
		}
	}

	if (p->same_votes > 1)
	{
		mh_wide		f = mh_wide_of(p->same_votes),
					e = mh_wide_of(1);

		add_problem(&list, MH_PROBLEM_SAME_VOTES, -1, &f, &e,
					"The same candidates' votes appear at %" PRId64 " stations.", p->same_votes);
	}

	if (mh_wide_compare(votes, mh_wide_of(0)) == 0 && first_negative < 0)
	{
		mh_wide		zero = mh_wide_of(0);

		add_problem(&list, MH_PROBLEM_NO_VOTES, -1, &zero, NULL,
					p->ncandidates == 0 ? "The protocol names no candidate." :
					"No candidate has a vote.");
	}

	*nproblems = list.n;
	return MH_OK;
}

/* ---------------------------------------------------------------- compare */

const char *
mh_diff_item_name(mh_diff_item item)
{
	switch (item)
	{
		case MH_DIFF_REGISTERED:
			return "registered";
		case MH_DIFF_CAST:
			return "cast";
		case MH_DIFF_INVALID:
			return "invalid";
		case MH_DIFF_BLANK:
			return "blank";
		case MH_DIFF_ISSUED:
			return "issued";
		case MH_DIFF_PARTS:
			return "parts";
		case MH_DIFF_PROVISIONAL:
			return "provisional";
		case MH_DIFF_VOTES:
			return "votes";
	}
	return "?";
}

static int
compare_candidates(const mh_tally *a, uint32_t i, const mh_tally *b, uint32_t j)
{
	if (mh_tally_key_kind(a) == MH_KEYS_TEXT)
	{
		const char *x,
				   *y;
		uint32_t	xl,
					yl;

		mh_tally_key(a, i, &x, &xl);
		mh_tally_key(b, j, &y, &yl);
		return mh_key_compare(x, xl, y, yl);
	}
	return (a->votes[i].candidate > b->votes[j].candidate) -
		(a->votes[i].candidate < b->votes[j].candidate);
}

mh_status
mh_tally_diff(const mh_tally *a, const mh_tally *b, const mh_allocator *alloc,
			  mh_diff **diffs, size_t *ndiffs, mh_error *err)
{
	mh_key_kind ka = mh_tally_key_kind(a),
				kb = mh_tally_key_kind(b);
	/* the counts before the votes, then every candidate of either */
	size_t		bound = MH_DIFF_VOTES + (size_t) a->ncandidates + b->ncandidates;
	mh_tally_extra xa,
				xb;
	mh_diff    *out;
	size_t		n = 0;
	uint32_t	i = 0,
				j = 0;

	*diffs = NULL;
	*ndiffs = 0;
	if (ka != MH_KEYS_NONE && kb != MH_KEYS_NONE && ka != kb)
		return mh_kind_mismatch(ka, kb, err);
	out = alloc->alloc(alloc->ctx, bound * sizeof(mh_diff));
	if (out == NULL)
		return mh_fail(err, MH_ENOMEM, "Could not allocate the differences of two tallies.");

	if (mh_tally_registered_known(a) != mh_tally_registered_known(b) ||
		a->registered != b->registered)
		out[n++] = (mh_diff) {MH_DIFF_REGISTERED, -1, -1,
			mh_tally_registered_known(a), a->registered,
		mh_tally_registered_known(b), b->registered};
	if (a->cast != b->cast)
		out[n++] = (mh_diff) {MH_DIFF_CAST, -1, -1, true, a->cast, true, b->cast};
	if (a->invalid != b->invalid)
		out[n++] = (mh_diff) {MH_DIFF_INVALID, -1, -1, true, a->invalid, true, b->invalid};
	mh_tally_get_extra(a, &xa);
	mh_tally_get_extra(b, &xb);
	if (xa.blank_known != xb.blank_known || xa.blank != xb.blank)
		out[n++] = (mh_diff) {MH_DIFF_BLANK, -1, -1, xa.blank_known, xa.blank,
		xb.blank_known, xb.blank};
	if (xa.issued_known != xb.issued_known || xa.issued != xb.issued)
		out[n++] = (mh_diff) {MH_DIFF_ISSUED, -1, -1, xa.issued_known, xa.issued,
		xb.issued_known, xb.issued};
	if (xa.parts != xb.parts)
		out[n++] = (mh_diff) {MH_DIFF_PARTS, -1, -1, true, xa.parts, true, xb.parts};
	if (xa.provisional != xb.provisional)
		out[n++] = (mh_diff) {MH_DIFF_PROVISIONAL, -1, -1, true, xa.provisional,
		true, xb.provisional};

	while (i < a->ncandidates || j < b->ncandidates)
	{
		int			c = j >= b->ncandidates ? -1 : i >= a->ncandidates ? 1 :
			compare_candidates(a, i, b, j);
		int64_t		va = c <= 0 ? a->votes[i].votes : 0;
		int64_t		vb = c >= 0 ? b->votes[j].votes : 0;

		mh_check_interrupts(alloc, i + j);
		if (va != vb)
			out[n++] = (mh_diff) {MH_DIFF_VOTES, c <= 0 ? (int64_t) i : -1,
				c >= 0 ? (int64_t) j : -1, true, va, true, vb};
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	if (n == 0)
	{
		if (alloc->free)
			alloc->free(alloc->ctx, out);
		out = NULL;
	}
	*diffs = out;
	*ndiffs = n;
	return MH_OK;
}

mh_tristate
mh_winner_differs(const mh_tally *a, const mh_outcome *oa, const mh_tally *b,
				  const mh_outcome *ob)
{
	if (oa->by_election == MH_UNKNOWN || ob->by_election == MH_UNKNOWN)
		return MH_UNKNOWN;
	if (oa->has_winner != ob->has_winner)
		return MH_TRUE;
	if (!oa->has_winner)
		return MH_FALSE;
	return compare_candidates(a, oa->winner_index, b, ob->winner_index) != 0 ?
		MH_TRUE : MH_FALSE;
}

/* ---------------------------------------------------------------- the call */

mh_status
mh_can_change(const mh_tally *t, int64_t registered, int64_t remaining,
			  const mh_rules *rules, mh_call *call, mh_error *err)
{
	mh_outcome	o;
	mh_rules	r = *rules;
	int64_t		needed;

	memset(call, 0, sizeof(*call));
	if (registered < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Registered voters is %" PRId64 ", but counts cannot be negative.",
					   registered);
	if (t->cast > registered)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Ballots cast (%" PRId64 ") exceed registered voters (%" PRId64 ").",
					   t->cast, registered);
	if (remaining > registered - t->cast)
		return mh_fail(err, MH_EARGUMENT,
					   "At most %" PRId64 " ballots can still come (registered voters %" PRId64
					   " minus ballots cast %" PRId64 "), not %" PRId64 ".",
					   registered - t->cast, registered, t->cast, remaining);
	if (!r.no_turnout_rule && !r.threshold_known)
		return mh_fail(err, MH_EARGUMENT, "The call needs a turnout rule or none.");

	r.registered_given = true;
	r.registered_known = true;
	r.registered = registered;
	r.draw_lots = false;
	mh_outcome_compute(t, &r, &o);

	call->remaining = remaining < 0 ? registered - t->cast : remaining;
	call->has_margin = o.has_second;
	call->margin = o.has_second ? o.first_votes - o.second_votes : 0;
	call->valid_now = o.valid;

	if (t->ncandidates == 0)
		call->leader_can_change = false;
	else if (t->ncandidates == 1)
		call->leader_can_change = o.first_votes == 0 && call->remaining >= 1;
	else
		call->leader_can_change = call->remaining >= (call->margin > 1 ? call->margin : 1);

	if (o.valid == MH_TRUE)
		call->ballots_to_valid = 0;
	else
	{
		/* o.valid is MH_FALSE: the threshold is known and registered given */
		needed = mh_ballots_needed(registered, r.threshold);
		call->validity_can_change = needed >= 0 && needed - t->cast <= call->remaining;
		call->ballots_to_valid = call->validity_can_change ? needed - t->cast : -1;
	}

	if (o.valid == MH_TRUE)
		call->winner_can_change = call->leader_can_change;
	else
		call->winner_can_change = call->validity_can_change && t->ncandidates >= 1;
	call->decided = !call->winner_can_change && !call->validity_can_change;
	return MH_OK;
}
