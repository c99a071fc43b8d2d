/*-------------------------------------------------------------------------
 *
 * ranking.c
 *	  Ranking of a tally's candidates (see ranking.h).
 *
 * src/core/ranking.c
 *
 *-------------------------------------------------------------------------
 */
#include "ranking.h"

#include <stdlib.h>

/* The tally lists candidates in key order, so its index orders ties. */
static int
by_votes_then_candidate(const void *a, const void *b)
{
	const mh_rank *x = a;
	const mh_rank *y = b;

	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

mh_status
mh_ranking(const mh_tally *t, const mh_allocator *alloc, mh_rank **rows, mh_error *err)
{
	mh_rank    *r;
	uint32_t	i;

	r = alloc->alloc(alloc->ctx, sizeof(mh_rank) * (t->ncandidates > 0 ? t->ncandidates : 1));
	if (r == NULL)
		return mh_fail(err, MH_ENOMEM, "Could not allocate a ranking of %u candidates.",
					   (unsigned) t->ncandidates);
	for (i = 0; i < t->ncandidates; i++)
	{
		r[i].candidate = t->votes[i].candidate;
		r[i].votes = t->votes[i].votes;
		r[i].index = i;
	}
	/* interruptible for large rankings; a total order: candidates are unique */
	mh_sort(r, t->ncandidates, sizeof(mh_rank), by_votes_then_candidate, alloc);
	for (i = 0; i < t->ncandidates; i++)
		r[i].rank = (i > 0 && r[i].votes == r[i - 1].votes) ? r[i - 1].rank : i + 1;
	*rows = r;
	return MH_OK;
}
