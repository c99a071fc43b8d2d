/*-------------------------------------------------------------------------
 *
 * tally_agg.c
 *	  The aggregates: tally(candidate), tally(candidate, votes), sum(tally)
 *	  and fptp_winner(...), with combine, serialize and deserialize for
 *	  parallel and partial aggregation, and the inverse transition for
 *	  moving windows.
 *
 * Every aggregate's state is a TallyState: the core's counter, allocating
 * in the aggregate's memory context.  The final functions only read it
 * (FINALFUNC_MODIFY = READ_ONLY), so the aggregates work as window
 * functions.  A state exists once one row reached the transition
 * function; an aggregate over no rows returns NULL, like sum().
 *
 * src/tally_agg.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "core/tally_binary.h"
#include "miscadmin.h"

typedef struct TallyState
{
	mh_allocator alloc;			/* palloc in the context the state lives in */
	mh_counter	counter;
} TallyState;

static void *
context_alloc(void *ctx, size_t size)
{
	return MemoryContextAllocExtended((MemoryContext) ctx, size, MCXT_ALLOC_HUGE);
}

static void
context_free(void *ctx, void *ptr)
{
	pfree(ptr);
}

static TallyState *
state_create(MemoryContext context)
{
	TallyState *state = MemoryContextAlloc(context, sizeof(TallyState));
	mh_error	err;

	state->alloc.alloc = context_alloc;
	state->alloc.free = context_free;
	state->alloc.ctx = context;
	state->alloc.check_interrupts = maslihat_check_interrupts;
	if (mh_counter_init(&state->counter, &state->alloc, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	mh_counter_seed(&state->counter, maslihat_hash_seed());
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
	const mh_vote *v;
	const char *key;
	uint32		len;

	(void) maslihat_aggregate_context(fcinfo, "fptp_winner_key_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	c = &((TallyState *) PG_GETARG_POINTER(0))->counter;
	if ((v = mh_counter_leader_slot(c)) == NULL || c->kind != MH_KEYS_TEXT)
		PG_RETURN_NULL();
	key = mh_counter_slot_key(c, v, &len);
	PG_RETURN_DATUM(maslihat_key_datum(key, len));
}
