/*-------------------------------------------------------------------------
 *
 * fuzz_common.h
 *	  What every fuzz harness shares: a malloc allocator and require().
 *
 * test/fuzz/fuzz_common.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_FUZZ_COMMON_H
#define MASLIHAT_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "mh_common.h"

static void *
fuzz_alloc(void *ctx, size_t size)
{
	(void) ctx;
	return malloc(size > 0 ? size : 1);
}

static void
fuzz_free(void *ctx, void *ptr)
{
	(void) ctx;
	free(ptr);
}

static const mh_allocator heap = {fuzz_alloc, fuzz_free, NULL, NULL};

/* An invariant the harness checks: abort, so libFuzzer keeps the input. */
static void
require(int ok, const char *what)
{
	if (!ok)
	{
		fprintf(stderr, "invariant broken: %s\n", what);
		abort();
	}
}

#endif							/* MASLIHAT_FUZZ_COMMON_H */
