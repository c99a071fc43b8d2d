/*-------------------------------------------------------------------------
 *
 * counter.c
 *	  The counter: open-addressing hash of candidate -> votes.
 *
 * src/core/counter.c
 *
 *-------------------------------------------------------------------------
 */
#include "counter.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_CAPACITY	8	/* most constituencies have 2 or 3 candidates */

static mh_vote *
alloc_slots(const mh_allocator *alloc, uint32_t capacity, mh_error *err)
{
	mh_vote    *slots = alloc->alloc(alloc->ctx, (size_t) capacity * sizeof(mh_vote));
	uint32_t	i;

	if (slots == NULL)
	{
		mh_fail(err, MH_ENOMEM, "Could not allocate room for %u candidates.",
				(unsigned) capacity);
		return NULL;
	}
	for (i = 0; i < capacity; i++)
	{
		slots[i].candidate = 0;
		slots[i].votes = MH_COUNTER_EMPTY;
	}
	return slots;
}

static int
log2_of(uint32_t capacity)
{
	int			bits = 0;

	while ((UINT32_C(1) << bits) < capacity)
		bits++;
	return bits;
}

mh_status
mh_counter_init(mh_counter *c, const mh_allocator *alloc, mh_error *err)
{
	memset(c, 0, sizeof(*c));
	c->alloc = alloc;
	c->capacity = INITIAL_CAPACITY;
	c->shift = 64 - log2_of(INITIAL_CAPACITY);
	c->multiplier = MH_COUNTER_FIBONACCI;
	c->slots = alloc_slots(alloc, INITIAL_CAPACITY, err);
	return c->slots ? MH_OK : MH_ENOMEM;
}

void
mh_counter_seed(mh_counter *c, uint64_t seed)
{
	/* SplitMix64's finalizer spreads any seed over all bits; odd for a bijection */
	seed += MH_COUNTER_FIBONACCI;
	seed = (seed ^ (seed >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	seed = (seed ^ (seed >> 27)) * UINT64_C(0x94D049BB133111EB);
	seed ^= seed >> 31;
	if (c->ncandidates == 0)
		c->multiplier = seed | 1;
}

void
mh_counter_release(mh_counter *c)
{
	if (c->slots != NULL && c->alloc->free != NULL)
		c->alloc->free(c->alloc->ctx, c->slots);
	c->slots = NULL;
	c->capacity = 0;
	c->ncandidates = 0;
}

size_t
mh_counter_memory(const mh_counter *c)
{
	return sizeof(*c) + (size_t) c->capacity * sizeof(mh_vote);
}

/* Doubles the table; keeps the load factor at or below 3/4. */
static mh_status
grow(mh_counter *c, mh_error *err)
{
	uint32_t	old_capacity = c->capacity;
	mh_vote    *old = c->slots;
	mh_vote    *slots;
	uint32_t	i;

	slots = alloc_slots(c->alloc, old_capacity * 2, err);
	if (slots == NULL)
		return MH_ENOMEM;
	c->slots = slots;
	c->capacity = old_capacity * 2;
	c->shift--;
	for (i = 0; i < old_capacity; i++)
	{
		uint32_t	mask = c->capacity - 1;
		uint32_t	s;

		mh_check_interrupts(c->alloc, i);
		if (old[i].votes == MH_COUNTER_EMPTY)
			continue;
		s = mh_counter_home(c, old[i].candidate);
		while (slots[s].votes != MH_COUNTER_EMPTY)
			s = (s + 1) & mask;
		slots[s] = old[i];
	}
	if (c->alloc->free != NULL)
		c->alloc->free(c->alloc->ctx, old);
	return MH_OK;
}

/* The candidate's slot, inserted with 0 votes if it was not there. */
static inline mh_status
find_or_insert(mh_counter *c, int64_t candidate, mh_vote **slot, mh_error *err)
{
	uint32_t	mask = c->capacity - 1;
	uint32_t	s = mh_counter_home(c, candidate);

	for (;;)
	{
		mh_vote    *v = &c->slots[s];

		if (v->votes == MH_COUNTER_EMPTY)
			break;
		if (v->candidate == candidate)
		{
			*slot = v;
			return MH_OK;
		}
		s = (s + 1) & mask;
	}

	if (c->ncandidates >= MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG, "A count may name at most %u candidates.",
					   (unsigned) MH_TALLY_MAX_CANDIDATES);
	if ((uint64_t) (c->ncandidates + 1) * 4 > (uint64_t) c->capacity * 3)
	{
		mh_status	status = grow(c, err);

		if (status != MH_OK)
			return status;
		return find_or_insert(c, candidate, slot, err);
	}
	c->slots[s].candidate = candidate;
	c->slots[s].votes = 0;
	c->ncandidates++;
	*slot = &c->slots[s];
	return MH_OK;
}

static inline mh_vote *
find(const mh_counter *c, int64_t candidate)
{
	uint32_t	mask = c->capacity - 1;
	uint32_t	s = mh_counter_home(c, candidate);

	while (c->slots[s].votes != MH_COUNTER_EMPTY)
	{
		if (c->slots[s].candidate == candidate)
			return &c->slots[s];
		s = (s + 1) & mask;
	}
	return NULL;
}

/* Removes an occupied slot, shifting later members of its run back. */
static void
delete_slot(mh_counter *c, mh_vote *v)
{
	uint32_t	mask = c->capacity - 1;
	uint32_t	hole = (uint32_t) (v - c->slots);
	uint32_t	s = hole;

	for (;;)
	{
		uint32_t	home;

		s = (s + 1) & mask;
		if (c->slots[s].votes == MH_COUNTER_EMPTY)
			break;
		home = mh_counter_home(c, c->slots[s].candidate);
		/* Move s into the hole unless its home lies cyclically in (hole, s]. */
		if (((s - home) & mask) >= ((s - hole) & mask))
		{
			c->slots[hole] = c->slots[s];
			hole = s;
		}
	}
	c->slots[hole].votes = MH_COUNTER_EMPTY;
	c->ncandidates--;
}

mh_status
mh_counter_add_votes(mh_counter *c, bool is_invalid, int64_t candidate,
					 int64_t votes, mh_error *err)
{
	mh_vote    *v = NULL;
	mh_status	status;

	if (votes < 0)
		return is_invalid ?
			mh_fail(err, MH_ENEGATIVE,
					"Blank or invalid ballots number %" PRId64 ", but counts cannot be negative.",
					votes) :
			mh_fail(err, MH_ENEGATIVE,
					"Candidate %" PRId64 " has %" PRId64 " votes, but counts cannot be negative.",
					candidate, votes);
	if (mh_add_overflow(c->cast, votes, &c->cast))
		return mh_fail(err, MH_EOVERFLOW, "Ballots cast add up beyond the 64-bit range.");
	/* a ballot's voters are not registered in any known part */
	c->registered_state = MH_REGISTERED_UNKNOWN;
	c->registered = 0;
	if (is_invalid)
	{
		/* invalid <= cast, so it cannot overflow once cast did not */
		c->invalid += votes;
		return MH_OK;
	}
	status = find_or_insert(c, candidate, &v, err);
	if (status != MH_OK)
		return status;
	/* each candidate's votes <= cast: no overflow either */
	v->votes += votes;
	return MH_OK;
}

mh_status
mh_counter_remove_ballot(mh_counter *c, bool is_invalid, int64_t candidate,
						 mh_error *err)
{
	if (c->cast <= 0)
		return mh_fail(err, MH_EINCONSISTENT, "No ballot is left to take back.");
	if (is_invalid)
	{
		if (c->invalid <= 0)
			return mh_fail(err, MH_EINCONSISTENT,
						   "No blank or invalid ballot is left to take back.");
		c->invalid--;
	}
	else
	{
		mh_vote    *v = find(c, candidate);

		if (v == NULL || v->votes <= 0)
			return mh_fail(err, MH_EINCONSISTENT,
						   "No ballot for candidate %" PRId64 " is left to take back.",
						   candidate);
		if (--v->votes == 0)
			delete_slot(c, v);
	}
	c->cast--;
	return MH_OK;
}

/* Registered voters of the union of two parts (see mh_registered_state). */
static mh_status
merge_registered(mh_counter *c, mh_registered_state state, int64_t registered,
				 mh_error *err)
{
	if (state == MH_REGISTERED_NONE)
		return MH_OK;
	if (c->registered_state == MH_REGISTERED_NONE)
	{
		c->registered_state = state;
		c->registered = registered;
	}
	else if (c->registered_state == MH_REGISTERED_KNOWN && state == MH_REGISTERED_KNOWN)
	{
		if (mh_add_overflow(c->registered, registered, &c->registered))
			return mh_fail(err, MH_EOVERFLOW,
						   "Registered voters add up beyond the 64-bit range.");
	}
	else
	{
		c->registered_state = MH_REGISTERED_UNKNOWN;
		c->registered = 0;
	}
	return MH_OK;
}

/* Adds cast and invalid of a part; the candidates follow one by one. */
static mh_status
add_part_counts(mh_counter *c, int64_t cast, int64_t invalid, mh_error *err)
{
	if (mh_add_overflow(c->cast, cast, &c->cast))
		return mh_fail(err, MH_EOVERFLOW, "Ballots cast add up beyond the 64-bit range.");
	if (mh_add_overflow(c->invalid, invalid, &c->invalid))
		return mh_fail(err, MH_EOVERFLOW,
					   "Blank or invalid ballots add up beyond the 64-bit range.");
	return MH_OK;
}

static mh_status
add_candidate_votes(mh_counter *c, int64_t candidate, int64_t votes, mh_error *err)
{
	mh_vote    *v = NULL;
	mh_status	status = find_or_insert(c, candidate, &v, err);

	if (status != MH_OK)
		return status;
	if (mh_add_overflow(v->votes, votes, &v->votes))
		return mh_fail(err, MH_EOVERFLOW,
					   "Votes for candidate %" PRId64 " add up beyond the 64-bit range.",
					   candidate);
	return MH_OK;
}

mh_status
mh_counter_add_tally(mh_counter *c, const mh_tally *t, mh_error *err)
{
	mh_status	status;
	uint32_t	i;

	status = merge_registered(c, mh_tally_registered_known(t) ?
							  MH_REGISTERED_KNOWN : MH_REGISTERED_UNKNOWN,
							  t->registered, err);
	if (status == MH_OK)
		status = add_part_counts(c, t->cast, t->invalid, err);
	for (i = 0; status == MH_OK && i < t->ncandidates; i++)
	{
		mh_check_interrupts(c->alloc, i);
		status = add_candidate_votes(c, t->votes[i].candidate, t->votes[i].votes, err);
	}
	return status;
}

mh_status
mh_counter_merge(mh_counter *c, const mh_counter *other, mh_error *err)
{
	mh_status	status;
	uint32_t	i;

	status = merge_registered(c, other->registered_state, other->registered, err);
	if (status == MH_OK)
		status = add_part_counts(c, other->cast, other->invalid, err);
	for (i = 0; status == MH_OK && i < other->capacity; i++)
	{
		mh_check_interrupts(c->alloc, i);
		if (other->slots[i].votes != MH_COUNTER_EMPTY)
			status = add_candidate_votes(c, other->slots[i].candidate,
										 other->slots[i].votes, err);
	}
	return status;
}

size_t
mh_counter_tally_size(const mh_counter *c)
{
	return mh_tally_size(c->ncandidates);
}

void
mh_counter_to_tally(const mh_counter *c, mh_tally *out)
{
	uint32_t	i,
				n = 0;

	mh_tally_init(out, c->ncandidates, c->registered_state == MH_REGISTERED_KNOWN,
				  c->registered, c->cast, c->invalid);
	for (i = 0; i < c->capacity; i++)
	{
		mh_check_interrupts(c->alloc, i);
		if (c->slots[i].votes != MH_COUNTER_EMPTY)
			out->votes[n++] = c->slots[i];
	}
	/* candidates are unique in the table, so sorting cannot fail */
	(void) mh_votes_sort_alloc(out->votes, n, c->alloc, NULL);
}

bool
mh_counter_leader(const mh_counter *c, int64_t *candidate)
{
	int64_t		best = 0;
	int64_t		who = 0;
	bool		unique = false;
	uint32_t	i;

	for (i = 0; i < c->capacity; i++)
	{
		const mh_vote *v = &c->slots[i];

		if (v->votes > best)
		{
			best = v->votes;
			who = v->candidate;
			unique = true;
		}
		else if (v->votes == best && best > 0)
			unique = false;
	}
	if (unique)
		*candidate = who;
	return unique;
}
