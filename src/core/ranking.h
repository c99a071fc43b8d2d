/*-------------------------------------------------------------------------
 *
 * ranking.h
 *	  Candidates in order of votes, with shared ranks for equal votes.
 *
 * Order: votes descending, then candidate ascending (the tally's order:
 * numbers ascending, or text keys bytewise).  rank is the
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
	int64_t		candidate;		/* number keys only */
	int64_t		votes;
	uint32_t	rank;
	uint32_t	index;			/* the candidate's place in the tally */
} mh_rank;

/* Allocates and fills t->ncandidates rows (none for an empty tally). */
extern mh_status mh_ranking(const mh_tally *t, const mh_allocator *alloc,
							mh_rank **rows, mh_error *err);

#endif							/* MASLIHAT_RANKING_H */
