/*-------------------------------------------------------------------------
 *
 * tally_accessors.c
 *	  What a tally holds: its counts, one candidate's votes, the ranking.
 *
 * src/tally_accessors.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "access/htup_details.h"
#include "core/ranking.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(tally_registered);
Datum
tally_registered(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);

	if (!mh_tally_registered_known(t))
		PG_RETURN_NULL();
	PG_RETURN_INT64(t->registered);
}

PG_FUNCTION_INFO_V1(tally_ballots_cast);
Datum
tally_ballots_cast(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TALLY(0)->cast);
}

PG_FUNCTION_INFO_V1(tally_invalid);
Datum
tally_invalid(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TALLY(0)->invalid);
}

PG_FUNCTION_INFO_V1(tally_valid_votes);
Datum
tally_valid_votes(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(mh_tally_valid_votes(PG_GETARG_TALLY(0)));
}

PG_FUNCTION_INFO_V1(tally_candidates);
Datum
tally_candidates(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_TALLY(0)->ncandidates);
}

/*
 * A candidate the tally does not name received no votes in it: 0.  Asking
 * a tally keyed by text for a number (or the other way) is an error, not 0.
 */
PG_FUNCTION_INFO_V1(tally_votes);
Datum
tally_votes(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	const mh_vote *v;

	maslihat_require_kind(t, MH_KEYS_INT);
	v = mh_tally_find(t, PG_GETARG_INT64(1));
	PG_RETURN_INT64(v ? v->votes : 0);
}

PG_FUNCTION_INFO_V1(tally_votes_key);
Datum
tally_votes_key(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	const char *key;
	uint32		len;
	const mh_vote *v;

	maslihat_require_kind(t, MH_KEYS_TEXT);
	maslihat_text_key(PG_GETARG_TEXT_PP(1), &key, &len);
	v = mh_tally_find_key(t, key, len);
	PG_RETURN_INT64(v ? v->votes : 0);
}

/*
 * part x 100 / whole as numeric; whole must not be 0.  The product is
 * made in int64 when it fits, as it does for any real count: the same
 * value as numeric_mul's, so numeric_div picks the same scale, for one
 * conversion and no multiplication fewer.  maslihat_percent_of takes whole
 * already converted (maslihat_numeric), for a row of several shares of one
 * whole, as outcome()'s.
 */
Datum
maslihat_percent_of(int64 part, Datum whole)
{
	Datum		numerator;

	if (part <= PG_INT64_MAX / 100 && part >= PG_INT64_MIN / 100)
		numerator = maslihat_numeric(part * 100);
	else
		numerator = DirectFunctionCall2(numeric_mul, maslihat_numeric(part), maslihat_numeric(100));
	/* trailing zeros trimmed: 55, not 55.0000000000000000 */
	return DirectFunctionCall1(numeric_trim_scale,
							   DirectFunctionCall2(numeric_div, numerator, whole));
}

Datum
maslihat_percent(int64 part, int64 whole)
{
	return maslihat_percent_of(part, maslihat_numeric(whole));
}

/* An int64 as numeric. */
Datum
maslihat_numeric(int64 value)
{
	return DirectFunctionCall1(int8_numeric, Int64GetDatum(value));
}

typedef struct RankingContext
{
	mh_rank    *rows;
	int64		valid_votes;
	const mh_tally *tally;
} RankingContext;

/*
 * ranking(tally): candidate, votes, rank, share (percent of valid votes),
 * key.  candidate is the number of a number key (NULL for text keys); key
 * is the candidate's key as text whatever its kind.  With the 0.1.0
 * definition (four columns) key is left out.
 */
PG_FUNCTION_INFO_V1(tally_ranking);
Datum
tally_ranking(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	RankingContext *ctx;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		const mh_tally *t;
		TupleDesc	tupdesc;
		mh_error	err;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		t = PG_GETARG_TALLY(0);
		ctx = palloc(sizeof(RankingContext));
		if (mh_ranking(t, &maslihat_palloc, &ctx->rows, &err) != MH_OK)
			maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
		ctx->valid_votes = mh_tally_valid_votes(t);
		ctx->tally = t;
		funcctx->max_calls = t->ncandidates;
		funcctx->user_fctx = ctx;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	ctx = funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		const mh_rank *r = &ctx->rows[funcctx->call_cntr];
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = Int64GetDatum(r->candidate);
		nulls[0] = mh_tally_key_kind(ctx->tally) == MH_KEYS_TEXT;
		if (funcctx->tuple_desc->natts >= 5)
			values[4] = maslihat_candidate_key(ctx->tally, r->index);
		values[1] = Int64GetDatum(r->votes);
		values[2] = Int32GetDatum((int32) r->rank);
		if (ctx->valid_votes > 0)
			values[3] = maslihat_percent(r->votes, ctx->valid_votes);
		else
			nulls[3] = true;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
