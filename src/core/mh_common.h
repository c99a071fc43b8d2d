/*-------------------------------------------------------------------------
 *
 * mh_common.h
 *	  Definitions shared by every part of maslihat's election core.
 *
 * The core knows elections and nothing of PostgreSQL.  It reports errors
 * as values (mh_error), never by longjmp, and allocates through an
 * mh_allocator that the caller passes: palloc inside the server, malloc in
 * the unit tests, fuzzers and microbenchmarks.
 *
 * src/core/mh_common.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_MH_COMMON_H
#define MASLIHAT_MH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What went wrong; the SQL layer maps each to a SQLSTATE. */
typedef enum mh_status
{
	MH_OK = 0,
	MH_ESYNTAX,					/* text that is not a tally */
	MH_EOVERFLOW,				/* a count beyond the 64-bit range */
	MH_ENEGATIVE,				/* a count below zero */
	MH_EDUPLICATE,				/* a candidate named twice */
	MH_EUNSORTED,				/* binary candidates not in ascending order */
	MH_EINCONSISTENT,			/* votes + invalid > cast, cast > registered */
	MH_ETRUNCATED,				/* binary data shorter than it claims */
	MH_ETRAILING,				/* binary data longer than it claims */
	MH_EVERSION,				/* unknown format version or flags */
	MH_ETOOBIG,					/* more candidates than a tally may hold */
	MH_EARGUMENT,				/* a bad argument (threshold, array shape) */
	MH_ENOMEM,					/* the allocator returned NULL */
	MH_EKIND,					/* number and text keys mixed in one count */
	MH_EKEY,					/* a text key that is not UTF-8, or holds NUL */
	MH_EKEYLENGTH,				/* a text key longer than MH_KEY_MAX_BYTES */
	MH_EWITHIN					/* a count above the one it is part of: blank >
								 * invalid, issued > registered, provisional >
								 * parts */
} mh_status;

#define MH_ERROR_DETAIL_LEN 384

typedef struct mh_error
{
	mh_status	status;
	char		detail[MH_ERROR_DETAIL_LEN];	/* English sentences */
} mh_error;

/*
 * The allocator the caller lends the core.  alloc returns NULL on failure
 * (never for palloc, which throws).  free may be NULL: memory contexts
 * release everything at once.
 *
 * check_interrupts, if not NULL, is called every MH_INTERRUPT_INTERVAL
 * steps of every loop whose length the data decides (merging, sorting,
 * rehashing, parsing millions of candidates).  Inside the server it is
 * CHECK_FOR_INTERRUPTS, which may leave by longjmp: the core holds nothing
 * then but memory from this allocator, which the caller's memory context
 * reclaims.
 */
typedef struct mh_allocator
{
	void	   *(*alloc) (void *ctx, size_t size);
	void		(*free) (void *ctx, void *ptr);
	void	   *ctx;
	void		(*check_interrupts) (void *ctx);
} mh_allocator;

#define MH_INTERRUPT_INTERVAL 65536

/* Lets the caller interrupt a long loop at its step i. */
static inline void
mh_check_interrupts(const mh_allocator *alloc, size_t i)
{
	if ((i & (MH_INTERRUPT_INTERVAL - 1)) == 0 && alloc != NULL &&
		alloc->check_interrupts != NULL)
		alloc->check_interrupts(alloc->ctx);
}

/*
 * Sorts n elements of size bytes by cmp, like qsort.  With a
 * check_interrupts hook and more than MH_INTERRUPT_INTERVAL elements, it
 * merge-sorts runs with a buffer from alloc and checks for interrupts as
 * elements move (qsort cannot be interrupted); otherwise, or if the buffer
 * cannot be had, plain qsort.  cmp must be a total order for the result to
 * equal qsort's.
 */
extern void mh_sort(void *base, size_t n, size_t size,
					int (*cmp) (const void *, const void *),
					const mh_allocator *alloc);

/* Record an error; always returns the status so callers can "return mh_fail(...)". */
extern mh_status mh_fail(mh_error *err, mh_status status, const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 3, 4)))
#endif
			;

/* A name for a status, for messages and tests. */
extern const char *mh_status_name(mh_status status);

/* Checked 64-bit arithmetic: true on overflow, like pg_add_s64_overflow. */
static inline bool
mh_add_overflow(int64_t a, int64_t b, int64_t *result)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_add_overflow(a, b, result);
#else
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
		return true;
	*result = a + b;
	return false;
#endif
}

static inline bool
mh_sub_overflow(int64_t a, int64_t b, int64_t *result)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_sub_overflow(a, b, result);
#else
	if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
		return true;
	*result = a - b;
	return false;
#endif
}

/*
 * Network byte order, as PostgreSQL's binary forms use: the one set of
 * readers and writers of every binary codec (tally_binary.c, seats.c).
 * Each writer returns the position after what it wrote.
 */
static inline uint8_t *
mh_put64(uint8_t *p, int64_t value)
{
	uint64_t	u = (uint64_t) value;
	int			i;

	for (i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) (u & 0xFF);
		u >>= 8;
	}
	return p + 8;
}

static inline int64_t
mh_get64(const uint8_t *p)
{
	uint64_t	u = 0;
	int			i;

	for (i = 0; i < 8; i++)
		u = (u << 8) | p[i];
	return (int64_t) u;
}

static inline uint8_t *
mh_put32(uint8_t *p, uint32_t value)
{
	p[0] = (uint8_t) (value >> 24);
	p[1] = (uint8_t) (value >> 16);
	p[2] = (uint8_t) (value >> 8);
	p[3] = (uint8_t) value;
	return p + 4;
}

static inline uint32_t
mh_get32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

#endif							/* MASLIHAT_MH_COMMON_H */
