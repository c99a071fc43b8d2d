/*-------------------------------------------------------------------------
 *
 * ranking.h
 *	  Candidates in order of votes, with shared ranks for equal votes.
 *
 * Order: votes descending, then candidate ascending.  rank is the
 * "competition" rank SQL's rank() gives: 1, 1, 3 for votes 50, 50, 20.
 *
 * src/core/ranking.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_RANKING_H
#define MASLIHAT_RANKING_H

#include "tally.h"

typedef struct mh_rank
{
	int64_t		candidate;
	int64_t		votes;
	uint32_t	rank;
} mh_rank;

/* Allocates and fills t->ncandidates rows (none for an empty tally). */
extern mh_status mh_ranking(const mh_tally *t, const mh_allocator *alloc,
							mh_rank **rows, mh_error *err);

#endif							/* MASLIHAT_RANKING_H */
