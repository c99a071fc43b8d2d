/*-------------------------------------------------------------------------
 *
 * maslihat.c
 *	  Module entry, allocators for the core, and core errors as ereport.
 *
 * src/maslihat.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "core/outcome.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#if PG_VERSION_NUM >= 150000
#include "common/pg_prng.h"
#endif
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/memutils.h"

PG_MODULE_MAGIC;

static void *
palloc_alloc(void *ctx, size_t size)
{
	return MemoryContextAllocExtended(CurrentMemoryContext, size, MCXT_ALLOC_HUGE);
}

static void
palloc_free(void *ctx, void *ptr)
{
	pfree(ptr);
}

uint64
maslihat_hash_seed(void)
{
#if PG_VERSION_NUM >= 150000
	return pg_prng_uint64(&pg_global_prng_state);
#else
	return ((uint64) random() << 32) ^ (uint64) random();
#endif
}

void
maslihat_check_interrupts(void *ctx)
{
	CHECK_FOR_INTERRUPTS();
}

const mh_allocator maslihat_palloc = {palloc_alloc, palloc_free, NULL, maslihat_check_interrupts};

/*
 * Tallies get TALLY_HDRSZ bytes in front, and a size limit PostgreSQL can
 * store.  Only the datum's padding and the tally's header are zeroed, so
 * that padding is deterministic on disk: the candidates that follow have
 * none (16-byte entries, then key bytes), and zeroing a big tally's room
 * took longer than filling it.
 */
static void *
tally_alloc(void *ctx, size_t size)
{
	char	   *p = MemoryContextAllocHuge(CurrentMemoryContext, add_size(size, TALLY_HDRSZ));

	memset(p, 0, TALLY_HDRSZ + Min(size, MH_TALLY_HEADER_SIZE));
	return p + TALLY_HDRSZ;
}

static void
tally_free(void *ctx, void *ptr)
{
	pfree((char *) ptr - TALLY_HDRSZ);
}

const mh_allocator maslihat_tally_palloc = {tally_alloc, tally_free, NULL, maslihat_check_interrupts};

Datum
maslihat_tally_datum(mh_tally *t)
{
	struct varlena *v = (struct varlena *) ((char *) t - TALLY_HDRSZ);

	SET_VARSIZE(v, TALLY_HDRSZ + mh_tally_total_size(t));
	return PointerGetDatum(v);
}

Datum
maslihat_counter_datum(const mh_counter *c)
{
	size_t		size = mh_counter_tally_size(c);
	mh_tally   *t = tally_alloc(NULL, size);

	mh_counter_to_tally(c, t);
	return maslihat_tally_datum(t);
}

const mh_tally *
maslihat_tally_arg(Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM(d);
	mh_tally   *t = TallyCore(v);
	Size		size = VARSIZE(v);

	/*
	 * Stored tallies were checked when made; this catches corruption only,
	 * in constant time: the size must match the candidates and, with text
	 * keys, the last key must end at the end.
	 */
	if (size < TALLY_HDRSZ + MH_TALLY_HEADER_SIZE ||
		t->version != MH_TALLY_VERSION ||
		(t->flags & ~MH_TALLY_FLAGS_ALL) != 0 ||
		t->ncandidates > MH_TALLY_MAX_CANDIDATES ||
		size < TALLY_HDRSZ + mh_tally_size(t->ncandidates) ||
		size != TALLY_HDRSZ + mh_tally_total_size(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored tally is corrupted"),
				 errdetail("The value has %zu bytes and format version %u.",
						   (size_t) size,
						   size >= TALLY_HDRSZ + 1 ? (unsigned) t->version : 0U)));
	return t;
}

static int
sqlstate_of(mh_status status, MaslihatSource source)
{
	switch (status)
	{
		case MH_ESYNTAX:
		case MH_EDUPLICATE:
		case MH_EINCONSISTENT:
		case MH_EWITHIN:
			return source == SOURCE_TEXT ? ERRCODE_INVALID_TEXT_REPRESENTATION :
				source == SOURCE_BINARY ? ERRCODE_INVALID_BINARY_REPRESENTATION :
				ERRCODE_INVALID_PARAMETER_VALUE;
		case MH_EUNSORTED:
		case MH_ETRUNCATED:
		case MH_ETRAILING:
		case MH_EVERSION:
			return ERRCODE_INVALID_BINARY_REPRESENTATION;
		case MH_EOVERFLOW:
		case MH_ENEGATIVE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		case MH_ETOOBIG:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case MH_EARGUMENT:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case MH_ENOMEM:
			return ERRCODE_OUT_OF_MEMORY;
		case MH_EKIND:
			return ERRCODE_DATATYPE_MISMATCH;
		case MH_EKEY:
			return ERRCODE_CHARACTER_NOT_IN_REPERTOIRE;
		case MH_EKEYLENGTH:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case MH_OK:
			break;
	}
	return ERRCODE_INTERNAL_ERROR;
}

static const char *
message_of(mh_status status)
{
	switch (status)
	{
		case MH_ESYNTAX:
			return "invalid tally";
		case MH_EOVERFLOW:
			return "tally count out of range";
		case MH_ENEGATIVE:
			return "negative count in tally";
		case MH_EDUPLICATE:
			return "duplicate candidate in tally";
		case MH_EUNSORTED:
			return "candidates out of order in binary tally";
		case MH_EINCONSISTENT:
		case MH_EWITHIN:
			return "inconsistent counts in tally";
		case MH_ETRUNCATED:
		case MH_ETRAILING:
			return "invalid length of binary tally";
		case MH_EVERSION:
			return "unsupported binary tally format";
		case MH_ETOOBIG:
			return "too many candidates in tally";
		case MH_EARGUMENT:
			return "invalid argument";
		case MH_ENOMEM:
			return "out of memory";
		case MH_EKIND:
			return "candidates keyed by numbers and by text cannot be mixed";
		case MH_EKEY:
			return "invalid text key in tally";
		case MH_EKEYLENGTH:
			return "text key too long";
		case MH_OK:
			break;
	}
	return "unexpected error in the election core";
}

static const char *
hint_of(mh_status status)
{
	switch (status)
	{
		case MH_ESYNTAX:
			return "A tally looks like: registered=1000 cast=620 invalid=3 votes={17:300,42:317}, or with text keys votes={\"Jones\":317,\"Smith\":300}.";
		case MH_EINCONSISTENT:
			return "Ballots cast must cover every candidate's votes and the blank or invalid ballots, and must not exceed registered voters. To list every protocol that does not add up, without stopping at the first, use protocol_problems(candidates, votes, ...).";
		case MH_EWITHIN:
			return "Blank ballots are counted among the blank or invalid ballots, ballots issued among the registered voters, provisional parts among the parts: none may exceed the count it is part of.";
		case MH_ENEGATIVE:
			return "To list every protocol with a negative count, without stopping at the first, use protocol_problems(candidates, votes, ...).";
		case MH_EDUPLICATE:
			return "Name each candidate once; to add up parts of a count, use sum(tally) or the + operator.";
		case MH_EVERSION:
			return "The value was written by a newer or different version of maslihat.";
		case MH_EKIND:
			return "Count one election with one kind of candidate key: numbers (bigint) or text. Cast the keys to one type.";
		case MH_EKEY:
			return "Text keys must be valid UTF-8 without NUL bytes.";
		case MH_EKEYLENGTH:
			return "Shorten the key: a candidate's name or party code is rarely over a few hundred bytes.";
		default:
			return NULL;
	}
}

void
maslihat_raise(const mh_error *err, MaslihatSource source, const char *input)
{
	const char *hint = hint_of(err->status);

	if (err->status == MH_ESYNTAX && source == SOURCE_TEXT && input != NULL)
		ereport(ERROR,
				(errcode(sqlstate_of(err->status, source)),
				 errmsg("invalid input syntax for type tally: \"%s\"", input),
				 errdetail("%s", err->detail),
				 hint ? errhint("%s", hint) : 0));
	ereport(ERROR,
			(errcode(sqlstate_of(err->status, source)),
			 errmsg("%s", message_of(err->status)),
			 errdetail("%s", err->detail),
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}

void
maslihat_raise_hint(const mh_error *err, MaslihatSource source, const char *hint)
{
	if (hint == NULL)
		hint = hint_of(err->status);
	ereport(ERROR,
			(errcode(sqlstate_of(err->status, source)),
			 errmsg("%s", message_of(err->status)),
			 errdetail("%s", err->detail),
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}

MemoryContext
maslihat_aggregate_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext context;

	/*
	 * The support functions take real types now, so SQL can call them
	 * directly; outside an aggregate they must not update their state in
	 * place (it may be a value in a table's page).
	 */
	if (!AggCheckCallContext(fcinfo, &context))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called by an aggregate", name),
				 errdetail("It is a support function of maslihat's aggregates and updates its state in place."),
				 errhint("Call the aggregate itself, as tally(candidate), sum(t) or election_summary(t, 'kz1994'); to add two tallies, use t1 + t2.")));
	return context;
}

static void *
context_alloc(void *ctx, size_t size)
{
	return MemoryContextAllocExtended((MemoryContext) ctx, size, MCXT_ALLOC_HUGE);
}

void
maslihat_context_allocator(mh_allocator *alloc, MemoryContext context)
{
	alloc->alloc = context_alloc;
	alloc->free = palloc_free;
	alloc->ctx = context;
	alloc->check_interrupts = maslihat_check_interrupts;
}

/*
 * The memory context the states of one aggregate context live in: a child
 * of it, made for the first state and shared by all (tally and seats
 * states alike).  nodeAgg keeps a read-write expanded value without
 * copying only if the object's context is a child of the aggregate
 * context; a child per state would do too, but hash aggregation sums the
 * memory of every child of its context after each new group, which with
 * thousands of groups costs more than the count.  Sharing is safe because
 * no state of ours is ever deleted on its own: a transition or combine
 * function given our read-write state returns that same state, so nodeAgg
 * (and Citus, which does as nodeAgg does) never frees one; all go when
 * the aggregate context is reset.
 */
#define STATES_CONTEXT_NAME "maslihat states"

MemoryContext
maslihat_states_context(MemoryContext aggcontext)
{
	MemoryContext child;

	for (child = aggcontext->firstchild; child != NULL; child = child->nextchild)
		if (strcmp(child->name, STATES_CONTEXT_NAME) == 0)
			return child;
	/* blocks of at most 64 kB: hash aggregation counts what is allocated */
	return AllocSetContextCreate(aggcontext, STATES_CONTEXT_NAME, 0, 8 * 1024, 64 * 1024);
}

void
maslihat_threshold_arg(Datum d, mh_fraction *result)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, d));
	mh_error	err;

	if (mh_fraction_parse(text, result, &err) != MH_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid validity threshold: %s", text),
				 errdetail("%s", err.detail),
				 errhint("Give the share of registered voters that ballots cast must exceed, between 0 and 1 with at most 18 decimal places, such as 0.5 or round(2.0 / 3, 18).")));
	pfree(text);
}

void
maslihat_check_registered_arg(const mh_tally *t, int64 registered)
{
	if (registered < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("registered voters cannot be negative"),
				 errdetail("Registered voters is " INT64_FORMAT ".", registered)));
	if (t->cast > registered)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ballots cast exceed registered voters"),
				 errdetail("Ballots cast are " INT64_FORMAT ", registered voters " INT64_FORMAT ".",
						   t->cast, registered),
				 errhint("Check that the registered voters belong to the same constituency as the tally.")));
}

bool		maslihat_key_encoding_ok = false;

/* Text keys need UTF-8: a UTF8 database, or SQL_ASCII (the core checks its bytes). */
void
maslihat_check_key_encoding(void)
{
	int			encoding = GetDatabaseEncoding();

	if (encoding != PG_UTF8 && encoding != PG_SQL_ASCII)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("text candidate keys need a UTF8 database"),
				 errdetail("This database's encoding is %s.", GetDatabaseEncodingName()),
				 errhint("Create the database with ENCODING 'UTF8', or key candidates by number.")));
	maslihat_key_encoding_ok = true;
}

Datum
maslihat_key_datum(const char *key, uint32 len)
{
	return PointerGetDatum(cstring_to_text_with_len(key, (int) len));
}

Datum
maslihat_candidate_key(const mh_tally *t, uint32 i)
{
	const char *key;
	uint32		len;

	if (mh_tally_key_kind(t) == MH_KEYS_TEXT)
	{
		mh_tally_key(t, i, &key, &len);
		return maslihat_key_datum(key, len);
	}
	return PointerGetDatum(cstring_to_text(psprintf(INT64_FORMAT, t->votes[i].candidate)));
}

void
maslihat_require_kind(const mh_tally *t, mh_key_kind kind)
{
	mh_key_kind have = mh_tally_key_kind(t);

	if (have != MH_KEYS_NONE && have != kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("candidates keyed by numbers and by text cannot be mixed"),
				 have == MH_KEYS_TEXT ?
				 errdetail("The tally's candidates are keyed by text, but a number key was asked for or given.") :
				 errdetail("The tally's candidates are keyed by numbers, but a text key was asked for or given."),
				 have == MH_KEYS_TEXT ?
				 errhint("For text keys use votes(t, 'key'), winner_key(), leader_key(), or the key columns of outcome() and ranking().") :
				 errhint("Give the candidate's number, or cast it: votes(t, 17).")));
}

void
maslihat_no_rule_named(const char *example)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("no turnout rule named"),
			 errdetail("Since maslihat 0.2.0 no validity rule is assumed: an election without a turnout rule would otherwise lose seats silently."),
			 errhint("Name the rules: 'kz1994' (valid if more than half of the registered voters cast a ballot) or 'none' (no turnout rule), as in %s; or give a threshold as a number.",
					 example)));
}

bool
maslihat_threshold_missing(Datum d)
{
	return numeric_is_nan(DatumGetNumeric(d));
}
