/*-------------------------------------------------------------------------
 *
 * counter.h
 *	  The counter: a tally being built, one ballot or one part at a time.
 *
 * An aggregate's state.  Candidates live in an open-addressing hash table
 * (linear probing, Fibonacci hashing) so that adding a ballot costs one
 * multiply and, nearly always, one probe, however many candidates there
 * are.  A slot whose votes is -1 is empty: real votes are never negative.
 *
 * The counter keeps no order; mh_counter_to_tally sorts a copy into the
 * canonical flat tally without changing the counter, so a window
 * aggregate's final function may run on it any number of times.
 *
 * On an error the counter is left valid but its counts are unspecified;
 * the SQL layer aborts the statement, tests discard it.
 *
 * src/core/counter.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_COUNTER_H
#define MASLIHAT_COUNTER_H

#include "mh_common.h"
#include "tally.h"

/* Whether the counter's registered voters is known, from the parts added. */
typedef enum mh_registered_state
{
	MH_REGISTERED_NONE = 0,		/* no tally added yet */
	MH_REGISTERED_KNOWN,		/* every tally added knew it */
	MH_REGISTERED_UNKNOWN		/* a ballot, or a tally that did not know it */
} mh_registered_state;

typedef struct mh_counter
{
	int64_t		cast;
	int64_t		invalid;
	int64_t		registered;
	mh_registered_state registered_state;
	uint32_t	ncandidates;	/* occupied slots */
	uint32_t	capacity;		/* slots, a power of two */
	int			shift;			/* 64 - log2(capacity) */
	uint64_t	multiplier;		/* odd; see mh_counter_seed */
	mh_vote    *slots;
	const mh_allocator *alloc;
} mh_counter;

#define MH_COUNTER_EMPTY	(-1)

/*
 * Multiplicative hashing: the top bits of candidate x an odd multiplier.
 * Unseeded, the multiplier is 2^64 / golden ratio (Fibonacci hashing).  A
 * counter whose candidate numbers come from users should be seeded with a
 * random number: with a multiplier nobody knows, nobody can choose
 * candidate numbers that all land in one slot and make counting quadratic.
 */
#define MH_COUNTER_FIBONACCI	UINT64_C(0x9E3779B97F4A7C15)

static inline uint32_t
mh_counter_home(const mh_counter *c, int64_t candidate)
{
	return (uint32_t) (((uint64_t) candidate * c->multiplier) >> c->shift);
}

/* An empty counter, with room for a few candidates. */
extern mh_status mh_counter_init(mh_counter *c, const mh_allocator *alloc, mh_error *err);

/* Sets the hash multiplier from a random seed; only while the counter is empty. */
extern void mh_counter_seed(mh_counter *c, uint64_t seed);

/* Frees the slots (a no-op where the allocator has no free). */
extern void mh_counter_release(mh_counter *c);

/* Bytes the counter's slots take, for memory accounting. */
extern size_t mh_counter_memory(const mh_counter *c);

/* A number of votes: for a candidate, or blank/invalid ballots. */
extern mh_status mh_counter_add_votes(mh_counter *c, bool is_invalid,
									  int64_t candidate, int64_t votes,
									  mh_error *err);

/*
 * Takes back one ballot that mh_counter_add_ballot added (a moving
 * window's inverse transition).  A candidate whose votes fall to zero
 * leaves the counter, so the result equals a fresh count of the ballots
 * that remain.  Taking back a ballot that was never added is
 * MH_EINCONSISTENT.
 */
extern mh_status mh_counter_remove_ballot(mh_counter *c, bool is_invalid,
										  int64_t candidate, mh_error *err);

/* A whole tally, as one disjoint part of the count. */
extern mh_status mh_counter_add_tally(mh_counter *c, const mh_tally *t, mh_error *err);

/* Another counter (an aggregate's combine). */
extern mh_status mh_counter_merge(mh_counter *c, const mh_counter *other, mh_error *err);

/* Bytes mh_counter_to_tally writes. */
extern size_t mh_counter_tally_size(const mh_counter *c);

/*
 * Writes the canonical tally into out (mh_counter_tally_size bytes); the
 * counter is not changed.
 */
extern void mh_counter_to_tally(const mh_counter *c, mh_tally *out);

/*
 * The unique candidate with the most votes, if any has more than zero and
 * no other has as many.  Returns false on a tie or when nobody has a vote.
 */
extern bool mh_counter_leader(const mh_counter *c, int64_t *candidate);

/*
 * One ballot: for a candidate, or blank/invalid.  The common case, a
 * candidate already counted, is inlined into the caller (the
 * aggregate's transition function); the rest goes through add_votes.
 */
static inline mh_status
mh_counter_add_ballot(mh_counter *c, bool is_invalid, int64_t candidate,
					  mh_error *err)
{
	if (c->cast < INT64_MAX && c->registered_state == MH_REGISTERED_UNKNOWN)
	{
		if (is_invalid)
		{
			c->cast++;
			c->invalid++;
			return MH_OK;
		}
		else
		{
			uint32_t	mask = c->capacity - 1;
			uint32_t	s = mh_counter_home(c, candidate);

			/*
			 * Linear probing, as find_or_insert: a candidate already counted
			 * is found before the first empty slot.  (With a random hash
			 * multiplier, many a candidate is not in its home slot.)
			 */
			while (c->slots[s].votes != MH_COUNTER_EMPTY)
			{
				mh_vote    *v = &c->slots[s];

				/* a candidate's votes <= cast < INT64_MAX: no overflow */
				if (v->candidate == candidate)
				{
					v->votes++;
					c->cast++;
					return MH_OK;
				}
				s = (s + 1) & mask;
			}
		}
	}
	return mh_counter_add_votes(c, is_invalid, candidate, 1, err);
}

#endif							/* MASLIHAT_COUNTER_H */
