/*-------------------------------------------------------------------------
 *
 * tally.c
 *	  The flat tally: checking, looking up, comparing, adding, building.
 *
 * src/core/tally.c
 *
 *-------------------------------------------------------------------------
 */
#include "tally.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void
mh_tally_init(mh_tally *t, uint32_t ncandidates, bool registered_known,
			  int64_t registered, int64_t cast, int64_t invalid)
{
	t->version = MH_TALLY_VERSION;
	t->flags = registered_known ? MH_TALLY_REGISTERED_KNOWN : 0;
	t->reserved = 0;
	t->ncandidates = ncandidates;
	t->registered = registered_known ? registered : 0;
	t->cast = cast;
	t->invalid = invalid;
}

/*
 * The counts-level invariants, shared by every constructor: counts are not
 * negative, votes + invalid fit in cast, cast fits in registered.
 */
static mh_status
check_counts(bool registered_known, int64_t registered, int64_t cast,
			 int64_t invalid, int64_t valid_votes, mh_error *err)
{
	int64_t		accounted;

	if (registered_known && registered < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Registered voters is %" PRId64 ", but counts cannot be negative.",
					   registered);
	if (cast < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Ballots cast is %" PRId64 ", but counts cannot be negative.", cast);
	if (invalid < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Blank or invalid ballots is %" PRId64 ", but counts cannot be negative.",
					   invalid);
	if (mh_add_overflow(valid_votes, invalid, &accounted))
		return mh_fail(err, MH_EOVERFLOW,
					   "Candidate votes plus blank or invalid ballots exceed the 64-bit range.");
	if (accounted > cast)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Candidate votes (%" PRId64 ") plus blank or invalid ballots (%" PRId64
					   ") exceed ballots cast (%" PRId64 ").",
					   valid_votes, invalid, cast);
	if (registered_known && cast > registered)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Ballots cast (%" PRId64 ") exceed registered voters (%" PRId64 ").",
					   cast, registered);
	return MH_OK;
}

mh_status
mh_tally_check(const mh_tally *t, size_t size, mh_error *err)
{
	int64_t		valid_votes = 0;
	uint32_t	i;

	if (size < MH_TALLY_HEADER_SIZE)
		return mh_fail(err, MH_ETRUNCATED,
					   "A tally needs at least %zu bytes, but only %zu are present.",
					   (size_t) MH_TALLY_HEADER_SIZE, size);
	if (t->version != MH_TALLY_VERSION)
		return mh_fail(err, MH_EVERSION,
					   "Tally format version %u is not known; this build reads version %u.",
					   (unsigned) t->version, (unsigned) MH_TALLY_VERSION);
	if ((t->flags & ~MH_TALLY_FLAGS_ALL) != 0 || t->reserved != 0)
		return mh_fail(err, MH_EVERSION,
					   "Tally flags 0x%02x (reserved 0x%04x) hold bits this build does not know.",
					   (unsigned) t->flags, (unsigned) t->reserved);
	if (t->ncandidates > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG,
					   "A tally names %u candidates; at most %u are allowed.",
					   (unsigned) t->ncandidates, (unsigned) MH_TALLY_MAX_CANDIDATES);
	if (size < mh_tally_size(t->ncandidates))
		return mh_fail(err, MH_ETRUNCATED,
					   "A tally of %u candidates needs %zu bytes, but only %zu are present.",
					   (unsigned) t->ncandidates, mh_tally_size(t->ncandidates), size);
	if (size > mh_tally_size(t->ncandidates))
		return mh_fail(err, MH_ETRAILING,
					   "A tally of %u candidates takes %zu bytes, but %zu are present.",
					   (unsigned) t->ncandidates, mh_tally_size(t->ncandidates), size);
	if (!mh_tally_registered_known(t) && t->registered != 0)
		return mh_fail(err, MH_EVERSION,
					   "Registered voters is marked unknown but holds %" PRId64 ".",
					   t->registered);

	for (i = 0; i < t->ncandidates; i++)
	{
		const mh_vote *v = &t->votes[i];

		if (i > 0 && v->candidate <= t->votes[i - 1].candidate)
			return mh_fail(err,
						   v->candidate == t->votes[i - 1].candidate ? MH_EDUPLICATE : MH_EUNSORTED,
						   v->candidate == t->votes[i - 1].candidate ?
						   "Candidate %" PRId64 " is listed more than once." :
						   "Candidate %" PRId64 " is out of ascending order.",
						   v->candidate);
		if (v->votes < 0)
			return mh_fail(err, MH_ENEGATIVE,
						   "Candidate %" PRId64 " has %" PRId64 " votes, but counts cannot be negative.",
						   v->candidate, v->votes);
		if (mh_add_overflow(valid_votes, v->votes, &valid_votes))
			return mh_fail(err, MH_EOVERFLOW,
						   "The candidates' votes add up beyond the 64-bit range.");
	}

	return check_counts(mh_tally_registered_known(t), t->registered, t->cast,
						t->invalid, valid_votes, err);
}

int64_t
mh_tally_valid_votes(const mh_tally *t)
{
	int64_t		sum = 0;
	uint32_t	i;

	for (i = 0; i < t->ncandidates; i++)
		sum += t->votes[i].votes;
	return sum;
}

const mh_vote *
mh_tally_find(const mh_tally *t, int64_t candidate)
{
	uint32_t	lo = 0,
				hi = t->ncandidates;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (t->votes[mid].candidate < candidate)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->ncandidates && t->votes[lo].candidate == candidate)
		return &t->votes[lo];
	return NULL;
}

bool
mh_tally_equal(const mh_tally *a, const mh_tally *b)
{
	/* Checked tallies are canonical: equal values have equal bytes. */
	return a->ncandidates == b->ncandidates &&
		memcmp(a, b, mh_tally_size(a->ncandidates)) == 0;
}

static mh_tally *
alloc_tally(const mh_allocator *alloc, uint32_t ncandidates, mh_error *err)
{
	mh_tally   *t = alloc->alloc(alloc->ctx, mh_tally_size(ncandidates));

	if (t == NULL)
		mh_fail(err, MH_ENOMEM, "Could not allocate a tally of %u candidates.",
				(unsigned) ncandidates);
	return t;
}

mh_status
mh_tally_add(const mh_tally *a, const mh_tally *b, const mh_allocator *alloc,
			 mh_tally **result, mh_error *err)
{
	bool		known = mh_tally_registered_known(a) && mh_tally_registered_known(b);
	int64_t		registered = 0,
				cast,
				invalid;
	uint64_t	bound = (uint64_t) a->ncandidates + b->ncandidates;
	uint32_t	i = 0,
				j = 0,
				n = 0;
	mh_tally   *t;

	if (known && mh_add_overflow(a->registered, b->registered, &registered))
		return mh_fail(err, MH_EOVERFLOW, "Registered voters add up beyond the 64-bit range.");
	if (mh_add_overflow(a->cast, b->cast, &cast))
		return mh_fail(err, MH_EOVERFLOW, "Ballots cast add up beyond the 64-bit range.");
	if (mh_add_overflow(a->invalid, b->invalid, &invalid))
		return mh_fail(err, MH_EOVERFLOW,
					   "Blank or invalid ballots add up beyond the 64-bit range.");
	if (bound > MH_TALLY_MAX_CANDIDATES)
		bound = MH_TALLY_MAX_CANDIDATES + 1;	/* checked below if reached */

	t = alloc_tally(alloc, (uint32_t) (bound > MH_TALLY_MAX_CANDIDATES ?
									   MH_TALLY_MAX_CANDIDATES : bound), err);
	if (t == NULL)
		return MH_ENOMEM;

	while (i < a->ncandidates || j < b->ncandidates)
	{
		mh_vote		v;

		if (j >= b->ncandidates ||
			(i < a->ncandidates && a->votes[i].candidate < b->votes[j].candidate))
			v = a->votes[i++];
		else if (i >= a->ncandidates || b->votes[j].candidate < a->votes[i].candidate)
			v = b->votes[j++];
		else
		{
			v.candidate = a->votes[i].candidate;
			if (mh_add_overflow(a->votes[i].votes, b->votes[j].votes, &v.votes))
			{
				if (alloc->free)
					alloc->free(alloc->ctx, t);
				return mh_fail(err, MH_EOVERFLOW,
							   "Votes for candidate %" PRId64 " add up beyond the 64-bit range.",
							   v.candidate);
			}
			i++;
			j++;
		}
		mh_check_interrupts(alloc, n);
		if (n == MH_TALLY_MAX_CANDIDATES)
		{
			if (alloc->free)
				alloc->free(alloc->ctx, t);
			return mh_fail(err, MH_ETOOBIG,
						   "The sum names more than %u candidates.",
						   (unsigned) MH_TALLY_MAX_CANDIDATES);
		}
		t->votes[n++] = v;
	}

	/* Parts that each satisfy the invariants sum to a tally that does too. */
	mh_tally_init(t, n, known, registered, cast, invalid);
	*result = t;
	return MH_OK;
}

static int
compare_candidates(const void *a, const void *b)
{
	int64_t		x = ((const mh_vote *) a)->candidate;
	int64_t		y = ((const mh_vote *) b)->candidate;

	return (x > y) - (x < y);
}

static mh_status
find_duplicate(const mh_vote *votes, size_t n, mh_error *err)
{
	size_t		i;

	for (i = 1; i < n; i++)
		if (votes[i].candidate == votes[i - 1].candidate)
			return mh_fail(err, MH_EDUPLICATE,
						   "Candidate %" PRId64 " is listed more than once.",
						   votes[i].candidate);
	return MH_OK;
}

mh_status
mh_votes_sort(mh_vote *votes, size_t n, mh_error *err)
{
	qsort(votes, n, sizeof(mh_vote), compare_candidates);
	return find_duplicate(votes, n, err);
}

mh_status
mh_votes_sort_alloc(mh_vote *votes, size_t n, const mh_allocator *alloc,
					mh_error *err)
{
	mh_sort(votes, n, sizeof(mh_vote), compare_candidates, alloc);
	return find_duplicate(votes, n, err);
}

mh_status
mh_tally_build(bool registered_known, int64_t registered, int64_t cast,
			   int64_t invalid, const int64_t *candidates, const int64_t *votes,
			   size_t ncandidates, const mh_allocator *alloc, mh_tally **result,
			   mh_error *err)
{
	mh_tally   *t;
	int64_t		valid_votes = 0;
	mh_status	status;
	size_t		i;

	if (ncandidates > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG, "A tally may name at most %u candidates, not %zu.",
					   (unsigned) MH_TALLY_MAX_CANDIDATES, ncandidates);
	for (i = 0; i < ncandidates; i++)
	{
		mh_check_interrupts(alloc, i);
		if (votes[i] < 0)
			return mh_fail(err, MH_ENEGATIVE,
						   "Candidate %" PRId64 " has %" PRId64 " votes, but counts cannot be negative.",
						   candidates[i], votes[i]);
		if (mh_add_overflow(valid_votes, votes[i], &valid_votes))
			return mh_fail(err, MH_EOVERFLOW,
						   "The candidates' votes add up beyond the 64-bit range.");
	}
	status = check_counts(registered_known, registered, cast, invalid, valid_votes, err);
	if (status != MH_OK)
		return status;

	t = alloc_tally(alloc, (uint32_t) ncandidates, err);
	if (t == NULL)
		return MH_ENOMEM;
	mh_tally_init(t, (uint32_t) ncandidates, registered_known, registered, cast, invalid);
	for (i = 0; i < ncandidates; i++)
	{
		t->votes[i].candidate = candidates[i];
		t->votes[i].votes = votes[i];
	}
	status = mh_votes_sort_alloc(t->votes, ncandidates, alloc, err);
	if (status != MH_OK)
	{
		if (alloc->free)
			alloc->free(alloc->ctx, t);
		return status;
	}
	*result = t;
	return MH_OK;
}

mh_status
mh_tally_with_registered(const mh_tally *t, bool known, int64_t registered,
						 const mh_allocator *alloc, mh_tally **result,
						 mh_error *err)
{
	mh_tally   *copy;
	mh_status	status;

	status = check_counts(known, registered, t->cast, t->invalid,
						  mh_tally_valid_votes(t), err);
	if (status != MH_OK)
		return status;
	copy = alloc_tally(alloc, t->ncandidates, err);
	if (copy == NULL)
		return MH_ENOMEM;
	memcpy(copy, t, mh_tally_size(t->ncandidates));
	mh_tally_init(copy, t->ncandidates, known, registered, t->cast, t->invalid);
	*result = copy;
	return MH_OK;
}
