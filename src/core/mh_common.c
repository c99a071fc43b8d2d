/*-------------------------------------------------------------------------
 *
 * mh_common.c
 *	  Error values shared by the election core.
 *
 * src/core/mh_common.c
 *
 *-------------------------------------------------------------------------
 */
#include "mh_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

mh_status
mh_fail(mh_error *err, mh_status status, const char *fmt,...)
{
	if (err != NULL)
	{
		va_list		args;

		err->status = status;
		va_start(args, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, args);
		va_end(args);
	}
	return status;
}

const char *
mh_status_name(mh_status status)
{
	switch (status)
	{
		case MH_OK:
			return "ok";
		case MH_ESYNTAX:
			return "syntax";
		case MH_EOVERFLOW:
			return "overflow";
		case MH_ENEGATIVE:
			return "negative";
		case MH_EDUPLICATE:
			return "duplicate";
		case MH_EUNSORTED:
			return "unsorted";
		case MH_EINCONSISTENT:
			return "inconsistent";
		case MH_ETRUNCATED:
			return "truncated";
		case MH_ETRAILING:
			return "trailing";
		case MH_EVERSION:
			return "version";
		case MH_ETOOBIG:
			return "too big";
		case MH_EARGUMENT:
			return "argument";
		case MH_ENOMEM:
			return "out of memory";
		case MH_EKIND:
			return "key kind";
		case MH_EKEY:
			return "key";
		case MH_EKEYLENGTH:
			return "key length";
		case MH_EWITHIN:
			return "within";
	}
	return "unknown";
}

void
mh_sort(void *base, size_t n, size_t size, int (*cmp) (const void *, const void *),
		const mh_allocator *alloc)
{
	const size_t run = MH_INTERRUPT_INTERVAL;
	char	   *buf;
	char	   *from = base,
			   *to;
	size_t		width,
				start,
				moved = 0;

	/* nothing to sort: base may be NULL then, which qsort does not allow */
	if (n < 2)
		return;
	if (n <= run || alloc == NULL || alloc->check_interrupts == NULL ||
		(buf = alloc->alloc(alloc->ctx, n * size)) == NULL)
	{
		qsort(base, n, size, cmp);
		return;
	}
	for (start = 0; start < n; start += run)
	{
		mh_check_interrupts(alloc, 0);
		qsort(from + start * size, n - start < run ? n - start : run, size, cmp);
	}
	to = buf;
	for (width = run; width < n; width *= 2)
	{
		char	   *swap;

		for (start = 0; start < n; start += 2 * width)
		{
			size_t		mid = start + width < n ? start + width : n;
			size_t		end = start + 2 * width < n ? start + 2 * width : n;
			size_t		i = start,
						j = mid,
						k = start;

			while (k < end)
			{
				if (j >= end || (i < mid && cmp(from + i * size, from + j * size) <= 0))
					memcpy(to + (k++) * size, from + (i++) * size, size);
				else
					memcpy(to + (k++) * size, from + (j++) * size, size);
				mh_check_interrupts(alloc, ++moved);
			}
		}
		swap = from;
		from = to;
		to = swap;
	}
	if (from != (char *) base)
		memcpy(base, from, n * size);
	if (alloc->free != NULL)
		alloc->free(alloc->ctx, buf);
}
