/*-------------------------------------------------------------------------
 *
 * maslihat.h
 *	  The SQL layer's shared pieces: the tally datum, allocators that lend
 *	  palloc to the core, and the mapping of core errors to ereport.
 *
 * src/maslihat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_H
#define MASLIHAT_H

#include "postgres.h"
#include "fmgr.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"				/* the varlena macros moved here in 16 */
#endif
#include "utils/expandeddatum.h"

#include "core/counter.h"
#include "core/mh_common.h"
#include "core/tally.h"

/*
 * A tally datum: the varlena length word, four bytes of padding so that
 * the core's 8-byte counts are aligned, then the core's flat mh_tally.
 * The type is declared with alignment double.
 */
#define TALLY_HDRSZ		8

#define TallyCore(v)	((mh_tally *) ((char *) (v) + TALLY_HDRSZ))

/* Where a core error arose: it decides the SQLSTATE. */
typedef enum MaslihatSource
{
	SOURCE_TEXT,				/* tally_in */
	SOURCE_BINARY,				/* tally_recv, aggregate deserialization */
	SOURCE_ARGUMENT				/* a function's or an aggregate's arguments */
} MaslihatSource;

/* CHECK_FOR_INTERRUPTS, as the core's check_interrupts hook. */
extern void maslihat_check_interrupts(void *ctx);

/* A random seed for a counter's hash, so nobody can aim collisions at it. */
extern uint64 maslihat_hash_seed(void);

/* palloc in CurrentMemoryContext, huge allocations allowed. */
extern const mh_allocator maslihat_palloc;

/* Allocates tallies with room for the datum header in front of them. */
extern const mh_allocator maslihat_tally_palloc;

/*
 * PostgreSQL 18 replaced pg_attribute_noreturn() (after the declarator) by
 * pg_noreturn (before extern).
 */
#if PG_VERSION_NUM >= 180000
#define MASLIHAT_NORETURN_BEFORE pg_noreturn
#define MASLIHAT_NORETURN_AFTER
#else
#define MASLIHAT_NORETURN_BEFORE
#define MASLIHAT_NORETURN_AFTER pg_attribute_noreturn()
#endif

/* Raises a core error as an ERROR with the right SQLSTATE; never returns. */
MASLIHAT_NORETURN_BEFORE extern void maslihat_raise(const mh_error *err, MaslihatSource source,
													const char *input) MASLIHAT_NORETURN_AFTER;

/* The same with a hint of the caller's (NULL: the usual one for the status). */
MASLIHAT_NORETURN_BEFORE extern void maslihat_raise_hint(const mh_error *err, MaslihatSource source,
														 const char *hint) MASLIHAT_NORETURN_AFTER;

/* The detoasted tally of a datum, its size and version checked. */
extern const mh_tally *maslihat_tally_arg(Datum d);

#define PG_GETARG_TALLY(n)	maslihat_tally_arg(PG_GETARG_DATUM(n))

/* The datum of a tally made by maslihat_tally_palloc. */
extern Datum maslihat_tally_datum(mh_tally *t);

/* A tally datum written straight from a counter (aggregate final). */
extern Datum maslihat_counter_datum(const mh_counter *c);

/*
 * Checks a registered-voters argument against a tally: not negative, not
 * below the ballots cast; ERROR otherwise.
 */
extern void maslihat_check_registered_arg(const mh_tally *t, int64 registered);

/* The aggregate's memory context; an ERROR outside an aggregate. */
extern MemoryContext maslihat_aggregate_context(FunctionCallInfo fcinfo, const char *name);

/* An allocator for the core that pallocs in context (huge allowed). */
extern void maslihat_context_allocator(mh_allocator *alloc, MemoryContext context);

/*
 * The child of an aggregate context that every read-write expanded state
 * of ours made in it shares (see maslihat.c).
 */
extern MemoryContext maslihat_states_context(MemoryContext aggcontext);

/*
 * DatumGetEOHP, inlined (the server's is a call through the PLT, which
 * the transition functions would make for every ballot): the object
 * behind an expanded datum.
 */
static inline ExpandedObjectHeader *
maslihat_expanded_header(Datum d)
{
	varatt_expanded ptr;

	memcpy(&ptr, VARDATA_EXTERNAL(DatumGetPointer(d)), sizeof(ptr));
	return ptr.eohptr;
}

/*
 * The expanded object behind a datum if it is one with these methods (one
 * of our states), read-write or read-only; else NULL.
 */
static inline ExpandedObjectHeader *
maslihat_expanded_of(Datum d, const ExpandedObjectMethods *methods)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		maslihat_expanded_header(d)->eoh_methods == methods)
		return maslihat_expanded_header(d);
	return NULL;
}

/* A validity threshold argument (numeric) as an exact fraction, or ERROR. */
struct mh_fraction;
extern void maslihat_threshold_arg(Datum d, struct mh_fraction *result);

/*
 * The error of a call that decides validity and names no rule; example is
 * the same call with one, for the hint.
 */
MASLIHAT_NORETURN_BEFORE extern void maslihat_no_rule_named(const char *example) MASLIHAT_NORETURN_AFTER;

/*
 * Whether a threshold argument is NaN, the default of the 0.1.0 threshold
 * forms: a threshold left out.
 */
extern bool maslihat_threshold_missing(Datum d);

/* A rule set's name (text datum) as rules, or ERROR naming the known ones. */
struct mh_rules;
extern void maslihat_rules_arg(Datum d, struct mh_rules *rules);

/*
 * part x 100 / whole as numeric (whole > 0): turnout and vote shares; the
 * same with whole already a numeric (maslihat_numeric), for several shares
 * of one whole.
 */
extern Datum maslihat_percent(int64 part, int64 whole);
extern Datum maslihat_percent_of(int64 part, Datum whole);
extern Datum maslihat_numeric(int64 value);

/*
 * A text argument as a candidate key (UTF-8 bytes, not NUL-terminated);
 * ERROR in a database whose encoding is neither UTF8 nor SQL_ASCII.
 */
extern bool maslihat_key_encoding_ok;
extern void maslihat_check_key_encoding(void);

/*
 * A text key's bytes, read in place.  Inline: the aggregates call it for
 * every ballot, and the encoding is checked once per backend (a backend's
 * database, and so its encoding, never changes).
 */
static inline void
maslihat_text_key(text *key, const char **data, uint32 *len)
{
	if (unlikely(!maslihat_key_encoding_ok))
		maslihat_check_key_encoding();
	*data = VARDATA_ANY(key);
	*len = (uint32) VARSIZE_ANY_EXHDR(key);
}

/* A key's bytes as a text datum. */
extern Datum maslihat_key_datum(const char *key, uint32 len);

/* Candidate i of a tally as text: its text key, or its number in decimal. */
extern Datum maslihat_candidate_key(const mh_tally *t, uint32 i);

/* ERROR (42804) unless the tally is empty or keyed by this kind. */
extern void maslihat_require_kind(const mh_tally *t, mh_key_kind kind);

#endif							/* MASLIHAT_H */
