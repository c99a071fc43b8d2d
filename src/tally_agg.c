/*-------------------------------------------------------------------------
 *
 * tally_agg.c
 *	  The aggregates: tally(candidate), tally(candidate, votes), sum(tally)
 *	  and fptp_winner(...), with the combine function for parallel and
 *	  partial aggregation, and the inverse transition for moving windows.
 *
 * The state type of every aggregate is tally itself, so a partial state is
 * an ordinary value: PostgreSQL's parallel workers hand it to the leader
 * as a flat tally, and Citus sends it from a worker to the coordinator
 * through tally_out and tally_in, then merges it with the combine
 * function.  While an aggregate runs, the state is a read-write expanded
 * object (utils/expandeddatum.h) holding a TallyState: the core's
 * counter, allocating in a memory context under the aggregate's that the
 * states of one aggregate context share.  The transition functions update it in place and return
 * it unchanged, which nodeAgg keeps without copying; it becomes a flat
 * tally (mh_counter_to_tally) only when PostgreSQL stores or sends it.  A
 * state arriving flat, or read-only, is expanded into a new object on
 * first touch.
 *
 * Moving windows keep an internal state (MSTYPE = internal): a bare
 * TallyState in the aggregate's context, with an inverse transition.
 *
 * The final functions only read the state (FINALFUNC_MODIFY = READ_ONLY),
 * so the aggregates work as window functions.  A state exists once one
 * row reached the transition function; an aggregate over no rows returns
 * NULL, like sum().
 *
 * src/tally_agg.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "core/tally_binary.h"
#include "miscadmin.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

/*
 * The counter first: in an expanded state (below) its fields that every
 * ballot reads then share 128 bytes with the object's header.
 */
typedef struct TallyState
{
	mh_counter	counter;
	mh_allocator alloc;			/* palloc in the context the state lives in */
} TallyState;

static void
state_init(TallyState *state, mh_allocator alloc)
{
	mh_error	err;

	state->alloc = alloc;
	if (mh_counter_init(&state->counter, &state->alloc, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	mh_counter_seed(&state->counter, maslihat_hash_seed());
}

static TallyState *
state_create(MemoryContext context)
{
	TallyState *state = MemoryContextAlloc(context, sizeof(TallyState));
	mh_allocator alloc;

	maslihat_context_allocator(&alloc, context);
	state_init(state, alloc);
	return state;
}

/*
 * The state argument, created in the aggregate's context on the first row.
 * Only a NULL state can come from outside an aggregate (a direct call with
 * a NULL internal argument), so the context is checked then; later rows
 * skip the check.
 */
static inline TallyState *
state_arg(FunctionCallInfo fcinfo, const char *name)
{
	if (PG_ARGISNULL(0))
		return state_create(maslihat_aggregate_context(fcinfo, name));
	return (TallyState *) PG_GETARG_POINTER(0);
}

/* The first argument, a state or NULL, returned unchanged. */
static Datum
state_or_null(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(PG_GETARG_POINTER(0));
}

/*
 * tally(candidate) and fptp_winner(candidate): one row is one ballot; a
 * NULL candidate is a blank or invalid ballot, so the function is not
 * strict.
 */
PG_FUNCTION_INFO_V1(tally_ballot_transfn);
Datum
tally_ballot_transfn(PG_FUNCTION_ARGS)
{
	TallyState *state = state_arg(fcinfo, "tally_ballot_transfn");
	mh_error	err;

	if (mh_counter_add_ballot(&state->counter, PG_ARGISNULL(1),
							  PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_POINTER(state);
}

/* The moving-window inverse of tally_ballot_transfn. */
PG_FUNCTION_INFO_V1(tally_ballot_invfn);
Datum
tally_ballot_invfn(PG_FUNCTION_ARGS)
{
	TallyState *state;
	mh_error	err;

	(void) maslihat_aggregate_context(fcinfo, "tally_ballot_invfn");
	if (PG_ARGISNULL(0))
		elog(ERROR, "tally_ballot_invfn called without a state");
	state = (TallyState *) PG_GETARG_POINTER(0);
	if (mh_counter_remove_ballot(&state->counter, PG_ARGISNULL(1),
								 PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1), &err) != MH_OK)
		elog(ERROR, "moving tally lost track of its ballots: %s", err.detail);
	PG_RETURN_POINTER(state);
}

/* tally(key text) and fptp_winner(key text): one row is one ballot. */
PG_FUNCTION_INFO_V1(tally_key_ballot_transfn);
Datum
tally_key_ballot_transfn(PG_FUNCTION_ARGS)
{
	TallyState *state = state_arg(fcinfo, "tally_key_ballot_transfn");
	const char *key = NULL;
	uint32		len = 0;
	mh_error	err;

	if (!PG_ARGISNULL(1))
		maslihat_text_key(PG_GETARG_TEXT_PP(1), &key, &len);
	if (mh_counter_add_key_ballot(&state->counter, PG_ARGISNULL(1), key, len, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_POINTER(state);
}

/* The moving-window inverse of tally_key_ballot_transfn. */
PG_FUNCTION_INFO_V1(tally_key_ballot_invfn);
Datum
tally_key_ballot_invfn(PG_FUNCTION_ARGS)
{
	TallyState *state;
	const char *key = NULL;
	uint32		len = 0;
	mh_error	err;

	(void) maslihat_aggregate_context(fcinfo, "tally_key_ballot_invfn");
	if (PG_ARGISNULL(0))
		elog(ERROR, "tally_key_ballot_invfn called without a state");
	state = (TallyState *) PG_GETARG_POINTER(0);
	if (!PG_ARGISNULL(1))
		maslihat_text_key(PG_GETARG_TEXT_PP(1), &key, &len);
	if (mh_counter_remove_key_ballot(&state->counter, PG_ARGISNULL(1), key, len, &err) != MH_OK)
		elog(ERROR, "moving tally lost track of its ballots: %s", err.detail);
	PG_RETURN_POINTER(state);
}

/* tally(key text, votes) and fptp_winner(key text, votes): candidate totals. */
PG_FUNCTION_INFO_V1(tally_key_votes_transfn);
Datum
tally_key_votes_transfn(PG_FUNCTION_ARGS)
{
	TallyState *state = state_arg(fcinfo, "tally_key_votes_transfn");
	const char *key = NULL;
	uint32		len = 0;
	mh_error	err;

	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	if (!PG_ARGISNULL(1))
		maslihat_text_key(PG_GETARG_TEXT_PP(1), &key, &len);
	if (mh_counter_add_key_votes(&state->counter, PG_ARGISNULL(1), key, len,
								 PG_GETARG_INT64(2), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_POINTER(state);
}

/*
 * tally(candidate, votes) and fptp_winner(candidate, votes): one row is a
 * candidate's total, or with a NULL candidate the blank or invalid ballots.
 * A NULL votes is skipped, as sum() skips NULLs; the state is still made,
 * so a group of only NULL votes gives an empty tally, not NULL.
 */
PG_FUNCTION_INFO_V1(tally_votes_transfn);
Datum
tally_votes_transfn(PG_FUNCTION_ARGS)
{
	TallyState *state = state_arg(fcinfo, "tally_votes_transfn");
	mh_error	err;

	if (!PG_ARGISNULL(2) &&
		mh_counter_add_votes(&state->counter, PG_ARGISNULL(1),
							 PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1),
							 PG_GETARG_INT64(2), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_POINTER(state);
}

/*
 * sum(tally): NULL tallies are skipped, the first one makes the state.  Not
 * strict, because a strict transition function with no initial value would
 * need an input type that is the state type.
 */
PG_FUNCTION_INFO_V1(tally_sum_transfn);
Datum
tally_sum_transfn(PG_FUNCTION_ARGS)
{
	TallyState *state;
	mh_error	err;

	if (PG_ARGISNULL(1))
		return state_or_null(fcinfo);
	state = state_arg(fcinfo, "tally_sum_transfn");
	if (mh_counter_add_tally(&state->counter, PG_GETARG_TALLY(1), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_POINTER(state);
}

/*
 * Not strict: either partial state may be missing.  A missing first state
 * is replaced by a copy of the second made in the aggregate's context,
 * since the second may live in a shorter-lived one (deserialization).
 */
PG_FUNCTION_INFO_V1(tally_combine);
Datum
tally_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = maslihat_aggregate_context(fcinfo, "tally_combine");
	TallyState *state;
	mh_error	err;

	if (PG_ARGISNULL(1))
		return state_or_null(fcinfo);
	state = PG_ARGISNULL(0) ? state_create(context) : (TallyState *) PG_GETARG_POINTER(0);
	if (mh_counter_merge(&state->counter, &((TallyState *) PG_GETARG_POINTER(1))->counter,
						 &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_POINTER(state);
}

/* The partial state as a binary tally (the same bytes as tally_send). */
PG_FUNCTION_INFO_V1(tally_serialize);
Datum
tally_serialize(PG_FUNCTION_ARGS)
{
	TallyState *state;
	mh_tally   *t;
	size_t		size;
	bytea	   *result;

	(void) maslihat_aggregate_context(fcinfo, "tally_serialize");
	state = (TallyState *) PG_GETARG_POINTER(0);
	t = palloc(mh_counter_tally_size(&state->counter));	/* keys included */
	mh_counter_to_tally(&state->counter, t);
	size = mh_tally_binary_size(t);
	result = palloc(VARHDRSZ + size);
	mh_tally_encode(t, (uint8_t *) VARDATA(result));
	SET_VARSIZE(result, VARHDRSZ + size);
	pfree(t);
	PG_RETURN_BYTEA_P(result);
}

/* Trusts nothing: the bytes are decoded and checked like tally_recv's. */
PG_FUNCTION_INFO_V1(tally_deserialize);
Datum
tally_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes;
	mh_tally   *t;
	TallyState *state;
	mh_error	err;

	(void) maslihat_aggregate_context(fcinfo, "tally_deserialize");
	bytes = PG_GETARG_BYTEA_PP(0);
	if (mh_tally_decode((const uint8_t *) VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes),
						&maslihat_palloc, &t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_BINARY, NULL);
	state = state_create(CurrentMemoryContext);
	if (mh_counter_add_tally(&state->counter, t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_BINARY, NULL);
	pfree(t);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(tally_finalfn);
Datum
tally_finalfn(PG_FUNCTION_ARGS)
{
	(void) maslihat_aggregate_context(fcinfo, "tally_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_counter_datum(&((TallyState *) PG_GETARG_POINTER(0))->counter));
}

/* The unique plurality leader; NULL on a tie, with no votes, or no rows. */
PG_FUNCTION_INFO_V1(fptp_winner_finalfn);
Datum
fptp_winner_finalfn(PG_FUNCTION_ARGS)
{
	int64		candidate;

	(void) maslihat_aggregate_context(fcinfo, "fptp_winner_finalfn");
	if (PG_ARGISNULL(0) ||
		!mh_counter_leader(&((TallyState *) PG_GETARG_POINTER(0))->counter, &candidate))
		PG_RETURN_NULL();
	PG_RETURN_INT64(candidate);
}

/* The same for text keys: the leader's key. */
PG_FUNCTION_INFO_V1(fptp_winner_key_finalfn);
Datum
fptp_winner_key_finalfn(PG_FUNCTION_ARGS)
{
	const mh_counter *c;
	const char *key;
	uint32		len;

	(void) maslihat_aggregate_context(fcinfo, "fptp_winner_key_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	c = &((TallyState *) PG_GETARG_POINTER(0))->counter;
	if (!mh_counter_leader_key(c, &key, &len))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_key_datum(key, len));
}

/*
 * ----------------------------------------------------------------------
 * The tally-typed state: an expanded object.
 * ----------------------------------------------------------------------
 */

typedef struct TallyExpanded
{
	TallyState	state;
	ExpandedObjectHeader hdr;
	MemoryContext context;		/* where the counter's memory beyond the room comes from */
	char	   *room_next;		/* the free part of the room */
} TallyExpanded;

/*
 * Where a ballot's cache misses go.  With states touched in random order,
 * every line a ballot reads is likely a miss, and every line a state adds
 * to what all groups touch pushes PostgreSQL's own group entries out of
 * the cache too.  So a count of up to three candidates keeps them on its
 * counter's first line (counter.h), and the datum is a copy of the
 * header's read-write pointer in the host's bytes there: a ballot for a
 * number reads that line and no other.  PostgreSQL reads the datum only
 * to find the header, which no ballot reads.  A ballot for a text key
 * also reads the key's bytes, in the line's keys right after it; they are
 * fetched as soon as the datum arrives.
 *
 * The line is a chunk of its own in the aggregate context, allocated
 * right after the group's entry that hash aggregation has just made there
 * (with its keys after it, for the aggregates by name and the combine
 * function): 80 bytes with the chunk's header, so that the hot memory of
 * all groups is as dense as it can be.  The object itself (its header,
 * the counter's other fields and the room for the hash table a larger
 * count moves to) lives in the shared states context, out of the way; so
 * does any memory the counter needs beyond the room.  A 512-byte state
 * beside each entry, of which a ballot read 64 bytes, made a count by
 * number keys 8-10% slower than this, most likely because with sparse
 * lines the hardware's prefetch of neighbouring lines fetches memory
 * nobody reads.  Lines carved densely from blocks of their own, away
 * from the entries, were slower still (README, Performance).
 */
#define ROOM_AT			MAXALIGN(sizeof(TallyExpanded))
#define ROOM_SIZE		(MH_COUNTER_INITIAL_CAPACITY * sizeof(mh_vote))

StaticAssertDecl(ROOM_AT + ROOM_SIZE <= 512,
				 "the object and its room take one 512-byte chunk: with the line's chunk "
				 "(80 bytes, or 272 with keys), the aggregates' SSPACE (608 or 800)");
StaticAssertDecl(sizeof(((mh_counter_line *) 0)->host) == EXPANDED_POINTER_SIZE,
				 "an expanded state's datum lies on its counter's first line");

/* The object of a header. */
static inline TallyExpanded *
expanded_of_header(ExpandedObjectHeader *eohptr)
{
	return (TallyExpanded *) ((char *) eohptr - offsetof(TallyExpanded, hdr));
}

/* The counter's allocator: the room first, then the context. */
static void *
room_alloc(void *ctx, size_t size)
{
	TallyExpanded *e = (TallyExpanded *) ctx;
	char	   *room_end = (char *) e + ROOM_AT + ROOM_SIZE;

	if (MAXALIGN(size) <= (size_t) (room_end - e->room_next))
	{
		char	   *p = e->room_next;

		e->room_next += MAXALIGN(size);
		return p;
	}
	return MemoryContextAllocExtended(e->context, size, MCXT_ALLOC_HUGE);
}

static void
room_free(void *ctx, void *ptr)
{
	char	   *room = (char *) ctx + ROOM_AT;

	if ((char *) ptr < room || (char *) ptr >= room + ROOM_SIZE)
		pfree(ptr);
}

static Size
expanded_flat_size(ExpandedObjectHeader *eohptr)
{
	return add_size(TALLY_HDRSZ,
					mh_counter_tally_size(&expanded_of_header(eohptr)->state.counter));
}

/* The canonical flat tally, as maslihat_counter_datum writes it. */
static void
expanded_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	const mh_counter *c = &expanded_of_header(eohptr)->state.counter;

	memset(result, 0, allocated_size);	/* padding is deterministic */
	mh_counter_to_tally(c, TallyCore(result));
	SET_VARSIZE(result, allocated_size);
}

static const ExpandedObjectMethods expanded_methods = {
	expanded_flat_size,
	expanded_flatten
};

/*
 * A new, empty state: its line in the aggregate context itself, where hash
 * aggregation has just stored the new group's key (see above), with the
 * line's keys if keys; the rest in the shared child context, which the
 * object's header names: nodeAgg keeps a read-write expanded value
 * without copying only if that context's parent is the aggregate context,
 * and no state of ours is ever deleted on its own
 * (maslihat_states_context).
 */
static TallyExpanded *
expanded_create(MemoryContext aggcontext, bool keys)
{
	MemoryContext states = maslihat_states_context(aggcontext);
	TallyExpanded *e = MemoryContextAlloc(states, ROOM_AT + ROOM_SIZE);
	mh_counter_line *line = MemoryContextAlloc(aggcontext, sizeof(mh_counter_line) +
											   (keys ? MH_COUNTER_FIRST_KEYS : 0));
	mh_allocator room = {room_alloc, room_free, e, maslihat_check_interrupts};

	EOH_init_header(&e->hdr, &expanded_methods, states);
	e->context = states;
	e->room_next = (char *) e + ROOM_AT;
	state_init(&e->state, room);
	if (!mh_counter_place_line(&e->state.counter, line, keys))
		elog(ERROR, "a new tally state was not empty");
	memcpy(mh_counter_host(&e->state.counter), e->hdr.eoh_rw_ptr, EXPANDED_POINTER_SIZE);
	return e;
}

/* The state's read-write datum: the copy of the header's pointer, above. */
static inline Datum
expanded_datum(TallyExpanded *e)
{
	return PointerGetDatum(mh_counter_host(&e->state.counter));
}

/* The expanded object behind a datum if it is one of ours, else NULL. */
static inline TallyExpanded *
expanded_of(Datum d)
{
	ExpandedObjectHeader *eohptr = maslihat_expanded_of(d, &expanded_methods);

	return eohptr != NULL ? expanded_of_header(eohptr) : NULL;
}

/* Adds a tally datum (flat, or any expanded tally) to a counter. */
static void
counter_add_datum(mh_counter *c, Datum d)
{
	TallyExpanded *other = expanded_of(d);
	mh_error	err;

	if (other != NULL)
	{
		if (mh_counter_merge(c, &other->state.counter, &err) != MH_OK)
			maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	}
	else if (mh_counter_add_tally(c, maslihat_tally_arg(d), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
}

/*
 * The line of a transition function's state if it is our read-write
 * expanded object, else NULL; the line's keys are fetched meanwhile when
 * the caller asks.  A read-write expanded tally is always ours: only the
 * transition and combine functions make one (a direct call outside an
 * aggregate is refused on the first row, in expanded_state), and they
 * return it only to nodeAgg.  So this checks only the datum's own bytes,
 * on the line, which the ballot reads anyway; reading the object's header
 * would cost another line per ballot.
 */
static inline mh_counter_line *
state_line(FunctionCallInfo fcinfo, bool keys)
{
	unsigned char *p;

	if (PG_ARGISNULL(0))
		return NULL;
	p = (unsigned char *) DatumGetPointer(PG_GETARG_DATUM(0));
	if (keys)
	{
		MH_PREFETCH(MH_LINE_KEYS(mh_counter_line_of_host(p)));
		MH_PREFETCH(MH_LINE_KEYS(mh_counter_line_of_host(p)) + 64);
	}
	return VARATT_IS_EXTERNAL_EXPANDED_RW(p) ? mh_counter_line_of_host(p) : NULL;
}

/*
 * The state a transition function may update: our read-write expanded
 * object, or on the first row, or when the state given is flat (a parallel
 * worker's, or one read by tally_in from Citus) or read-only, a new object
 * with its counts, which nodeAgg then keeps in its place.  Only a new
 * object needs the aggregate's context, so later rows skip the check.  A
 * new object's line has keys if keys, as expanded_create.
 */
static pg_noinline TallyExpanded *
expanded_state(FunctionCallInfo fcinfo, const char *name, bool keys)
{
	TallyExpanded *e;

	if (state_line(fcinfo, false) != NULL)
	{
		e = expanded_of_header(maslihat_expanded_header(PG_GETARG_DATUM(0)));
		if (e->hdr.eoh_methods != &expanded_methods ||
			(unsigned char *) DatumGetPointer(PG_GETARG_DATUM(0)) !=
			mh_counter_host(&e->state.counter))
			elog(ERROR, "%s was given a read-write state that is not a tally's", name);
		return e;
	}
	e = expanded_create(maslihat_aggregate_context(fcinfo, name), keys);
	if (!PG_ARGISNULL(0))
		counter_add_datum(&e->state.counter, PG_GETARG_DATUM(0));
	return e;
}

#define PG_RETURN_EXPANDED(e)	PG_RETURN_DATUM(expanded_datum(e))

/*
 * The counter of a state for a final function, read only: an expanded
 * state's own, or a flat state read into a temporary counter.
 */
static const mh_counter *
state_counter(FunctionCallInfo fcinfo)
{
	TallyExpanded *e = expanded_of(PG_GETARG_DATUM(0));
	TallyState *tmp;

	if (e != NULL)
		return &e->state.counter;
	tmp = state_create(CurrentMemoryContext);
	counter_add_datum(&tmp->counter, PG_GETARG_DATUM(0));
	return &tmp->counter;
}

/*
 * A ballot the counter's inline fast path did not take (a new candidate,
 * a blank ballot, a counter that also holds parts, or a state not yet
 * ours), out of line, so that the fast path keeps a small stack frame
 * without an error buffer.
 */
static pg_noinline Datum
add_ballot_slow(FunctionCallInfo fcinfo, bool is_invalid, int64 candidate)
{
	TallyExpanded *e = expanded_state(fcinfo, "tally_ballot_transfn", false);
	mh_error	err;

	if (mh_counter_add_votes(&e->state.counter, is_invalid, candidate, 1, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	return expanded_datum(e);
}

static pg_noinline Datum
add_key_ballot_slow(FunctionCallInfo fcinfo, bool is_invalid, const char *key, uint32 len)
{
	TallyExpanded *e = expanded_state(fcinfo, "tally_key_ballot_transfn", true);
	mh_error	err;

	if (mh_counter_add_key_votes(&e->state.counter, is_invalid, key, len, 1, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	return expanded_datum(e);
}

/* tally(candidate), fptp_winner(candidate); not strict, as above. */
PG_FUNCTION_INFO_V1(tally_state_ballot_transfn);
Datum
tally_state_ballot_transfn(PG_FUNCTION_ARGS)
{
	mh_counter_line *line = state_line(fcinfo, false);
	bool		is_invalid = PG_ARGISNULL(1);
	int64		candidate = is_invalid ? 0 : PG_GETARG_INT64(1);

	if (line == NULL || !mh_line_count_ballot(line, is_invalid, candidate))
		return add_ballot_slow(fcinfo, is_invalid, candidate);
	PG_RETURN_POINTER(line->host);
}

/*
 * tally(key text), fptp_winner(key text).  A key read from a table is
 * nearly always a plain varlena, read in place without a call.
 */
PG_FUNCTION_INFO_V1(tally_state_key_ballot_transfn);
Datum
tally_state_key_ballot_transfn(PG_FUNCTION_ARGS)
{
	mh_counter_line *line = state_line(fcinfo, true);
	bool		is_invalid = PG_ARGISNULL(1);
	const char *key = NULL;
	uint32		len = 0;

	if (!is_invalid)
	{
		struct varlena *v = (struct varlena *) PG_GETARG_POINTER(1);

		if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
			v = pg_detoast_datum_packed(v);
		maslihat_text_key((text *) v, &key, &len);
	}
	if (line == NULL || !mh_line_count_key_ballot(line, is_invalid, key, len))
		return add_key_ballot_slow(fcinfo, is_invalid, key, len);
	PG_RETURN_POINTER(line->host);
}

/* tally(candidate, votes), fptp_winner(candidate, votes). */
PG_FUNCTION_INFO_V1(tally_state_votes_transfn);
Datum
tally_state_votes_transfn(PG_FUNCTION_ARGS)
{
	TallyExpanded *e = expanded_state(fcinfo, "tally_votes_transfn", false);
	mh_error	err;

	if (!PG_ARGISNULL(2) &&
		mh_counter_add_votes(&e->state.counter, PG_ARGISNULL(1),
							 PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1),
							 PG_GETARG_INT64(2), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_EXPANDED(e);
}

/* tally(key text, votes), fptp_winner(key text, votes). */
PG_FUNCTION_INFO_V1(tally_state_key_votes_transfn);
Datum
tally_state_key_votes_transfn(PG_FUNCTION_ARGS)
{
	TallyExpanded *e = expanded_state(fcinfo, "tally_key_votes_transfn", true);
	const char *key = NULL;
	uint32		len = 0;
	mh_error	err;

	if (PG_ARGISNULL(2))
		PG_RETURN_EXPANDED(e);
	if (!PG_ARGISNULL(1))
		maslihat_text_key(PG_GETARG_TEXT_PP(1), &key, &len);
	if (mh_counter_add_key_votes(&e->state.counter, PG_ARGISNULL(1), key, len,
								 PG_GETARG_INT64(2), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_EXPANDED(e);
}

/*
 * The combine function of every tally-state aggregate, and sum(tally)'s
 * transition: adds the second tally (a partial state, flat or expanded,
 * or a summed tally) to the first.  Not strict: a NULL second argument is
 * skipped and returns the first as it is (NULL if there is none yet); a
 * NULL first argument becomes a new state.
 */
PG_FUNCTION_INFO_V1(tally_state_combine);
Datum
tally_state_combine(PG_FUNCTION_ARGS)
{
	TallyExpanded *e;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		e = expanded_state(fcinfo, "tally_combine", true);
		PG_RETURN_EXPANDED(e);
	}
	e = expanded_state(fcinfo, "tally_combine", true);
	counter_add_datum(&e->state.counter, PG_GETARG_DATUM(1));
	PG_RETURN_EXPANDED(e);
}

/* The state as a new flat tally. */
PG_FUNCTION_INFO_V1(tally_state_finalfn);
Datum
tally_state_finalfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_counter_datum(state_counter(fcinfo)));
}

/* The unique plurality leader; NULL on a tie, with no votes, or no rows. */
PG_FUNCTION_INFO_V1(fptp_winner_state_finalfn);
Datum
fptp_winner_state_finalfn(PG_FUNCTION_ARGS)
{
	int64		candidate;

	if (PG_ARGISNULL(0) || !mh_counter_leader(state_counter(fcinfo), &candidate))
		PG_RETURN_NULL();
	PG_RETURN_INT64(candidate);
}

/* The same for text keys: the leader's key. */
PG_FUNCTION_INFO_V1(fptp_winner_key_state_finalfn);
Datum
fptp_winner_key_state_finalfn(PG_FUNCTION_ARGS)
{
	const mh_counter *c;
	const char *key;
	uint32		len;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	c = state_counter(fcinfo);
	if (!mh_counter_leader_key(c, &key, &len))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_key_datum(key, len));
}
