/*-------------------------------------------------------------------------
 *
 * tally.h
 *	  The tally: the exact count of one constituency or part of one.
 *
 * A tally is one flat, self-contained block of memory, so that the same
 * bytes serve as the in-memory value, the on-disk value (behind the SQL
 * layer's varlena header) and the input of every rule:
 *
 *	 version, flags, reserved, ncandidates	  8 bytes
 *	 registered, cast, invalid				 24 bytes
 *	 (candidate, votes) x ncandidates		 16 bytes each, candidates
 *											 strictly ascending
 *
 * Invariants (mh_tally_check tests every one of them):
 *	 - version is MH_TALLY_VERSION, no unknown flag, reserved is 0;
 *	 - every count is >= 0; registered is 0 when it is not known;
 *	 - candidates strictly ascending (so no duplicates);
 *	 - sum(votes) + invalid <= cast, computed without overflow;
 *	 - cast <= registered when registered is known.
 *
 * src/core/tally.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_TALLY_H
#define MASLIHAT_TALLY_H

#include "mh_common.h"

#define MH_TALLY_VERSION			1
#define MH_TALLY_REGISTERED_KNOWN	0x01	/* registered holds a number */
#define MH_TALLY_FLAGS_ALL			0x01

/*
 * At most 2^25 candidates (512 MiB of votes): well under PostgreSQL's 1 GB
 * value limit, and far beyond any real constituency.
 */
#define MH_TALLY_MAX_CANDIDATES		(1U << 25)

typedef struct mh_vote
{
	int64_t		candidate;
	int64_t		votes;
} mh_vote;

typedef struct mh_tally
{
	uint8_t		version;
	uint8_t		flags;
	uint16_t	reserved;
	uint32_t	ncandidates;
	int64_t		registered;		/* 0 unless MH_TALLY_REGISTERED_KNOWN */
	int64_t		cast;			/* ballots cast */
	int64_t		invalid;		/* blank or invalid ballots */
	mh_vote		votes[];		/* ascending by candidate */
} mh_tally;

#define MH_TALLY_HEADER_SIZE	offsetof(mh_tally, votes)

static inline bool
mh_tally_registered_known(const mh_tally *t)
{
	return (t->flags & MH_TALLY_REGISTERED_KNOWN) != 0;
}

/* Bytes a tally of n candidates takes (n <= MH_TALLY_MAX_CANDIDATES). */
static inline size_t
mh_tally_size(uint32_t ncandidates)
{
	return MH_TALLY_HEADER_SIZE + (size_t) ncandidates * sizeof(mh_vote);
}

/* Sets up the header of a tally; the caller fills votes[]. */
extern void mh_tally_init(mh_tally *t, uint32_t ncandidates, bool registered_known,
						  int64_t registered, int64_t cast, int64_t invalid);

/* Checks every invariant; size is the number of bytes available at t. */
extern mh_status mh_tally_check(const mh_tally *t, size_t size, mh_error *err);

/* Sum of all candidates' votes (cannot overflow in a checked tally). */
extern int64_t mh_tally_valid_votes(const mh_tally *t);

/* The votes of one candidate, or NULL if the tally does not name it. */
extern const mh_vote *mh_tally_find(const mh_tally *t, int64_t candidate);

/* Same registered (known or not), cast, invalid and votes. */
extern bool mh_tally_equal(const mh_tally *a, const mh_tally *b);

/*
 * The tally of two disjoint parts: counts added, candidates merged.
 * registered is known only if both parts know it.
 */
extern mh_status mh_tally_add(const mh_tally *a, const mh_tally *b,
							  const mh_allocator *alloc, mh_tally **result,
							  mh_error *err);

/*
 * A tally from a protocol's numbers: candidates in any order, no
 * duplicates.  The arrays are not modified.
 */
extern mh_status mh_tally_build(bool registered_known, int64_t registered,
								int64_t cast, int64_t invalid,
								const int64_t *candidates, const int64_t *votes,
								size_t ncandidates, const mh_allocator *alloc,
								mh_tally **result, mh_error *err);

/* The same tally with registered set (known) or cleared (unknown). */
extern mh_status mh_tally_with_registered(const mh_tally *t, bool known,
										  int64_t registered,
										  const mh_allocator *alloc,
										  mh_tally **result, mh_error *err);

/* Sorts votes ascending by candidate and reports a duplicate, if any. */
extern mh_status mh_votes_sort(mh_vote *votes, size_t n, mh_error *err);

/*
 * The same, interruptible: a large array is merge-sorted with a buffer
 * from alloc, calling its check_interrupts as it goes (qsort cannot be
 * interrupted).  Falls back on qsort if the buffer cannot be had.
 */
extern mh_status mh_votes_sort_alloc(mh_vote *votes, size_t n,
									 const mh_allocator *alloc, mh_error *err);

#endif							/* MASLIHAT_TALLY_H */
