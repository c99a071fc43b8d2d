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
#include <string.h>

static int
by_votes_then_candidate(const void *a, const void *b)
{
	const mh_rank *x = a;
	const mh_rank *y = b;

	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return (x->candidate > y->candidate) - (x->candidate < y->candidate);
}

/*
 * Orders rows by votes descending, candidate ascending.  Large rankings
 * are merge-sorted in runs, checking for interrupts as rows move (qsort
 * cannot be interrupted); without a buffer or a hook, plain qsort.
 */
static void
sort_ranks(mh_rank *rows, size_t n, const mh_allocator *alloc)
{
	const size_t run = MH_INTERRUPT_INTERVAL;
	mh_rank    *buf;
	mh_rank    *from = rows,
			   *to;
	size_t		width,
				start,
				moved = 0;

	if (n <= run || alloc->check_interrupts == NULL ||
		(buf = alloc->alloc(alloc->ctx, n * sizeof(mh_rank))) == NULL)
	{
		qsort(rows, n, sizeof(mh_rank), by_votes_then_candidate);
		return;
	}
	for (start = 0; start < n; start += run)
	{
		mh_check_interrupts(alloc, 0);
		qsort(rows + start, n - start < run ? n - start : run, sizeof(mh_rank),
			  by_votes_then_candidate);
	}
	to = buf;
	for (width = run; width < n; width *= 2)
	{
		mh_rank    *swap;

		for (start = 0; start < n; start += 2 * width)
		{
			size_t		mid = start + width < n ? start + width : n;
			size_t		end = start + 2 * width < n ? start + 2 * width : n;
			size_t		i = start,
						j = mid,
						k = start;

			while (k < end)
			{
				if (j >= end || (i < mid && by_votes_then_candidate(&from[i], &from[j]) <= 0))
					to[k++] = from[i++];
				else
					to[k++] = from[j++];
				mh_check_interrupts(alloc, ++moved);
			}
		}
		swap = from;
		from = to;
		to = swap;
	}
	if (from != rows)
		memcpy(rows, from, n * sizeof(mh_rank));
	if (alloc->free != NULL)
		alloc->free(alloc->ctx, buf);
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
	}
	sort_ranks(r, t->ncandidates, alloc);
	for (i = 0; i < t->ncandidates; i++)
		r[i].rank = (i > 0 && r[i].votes == r[i - 1].votes) ? r[i - 1].rank : i + 1;
	*rows = r;
	return MH_OK;
}
