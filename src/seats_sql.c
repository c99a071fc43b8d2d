/*-------------------------------------------------------------------------
 *
 * seats_sql.c
 *	  The results night in SQL: party_seats(...) and seat_summary(...) over
 *	  constituency tallies, and butler_swing(...) between two elections.
 *
 * One input row of the aggregates is one constituency: its tally, keyed by
 * candidate (number or text), and optionally a jsonb object that maps each
 * candidate's key, as text, to its party label.  A key the object does
 * not name (or every key, without an object) is its own party label, so a
 * tally keyed by party needs no object.  Candidates stay candidates: two
 * with one label are not merged before the winner is found (core/seats.c).
 *
 * Both aggregates share one state (core mh_seats) and one transition,
 * combine, serialize and deserialize; only the final functions differ.
 *
 * src/seats_sql.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "core/outcome.h"
#include "core/seats.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

typedef struct SeatsState
{
	mh_allocator alloc;			/* palloc in the aggregate's context */
	mh_seats	seats;
} SeatsState;

static void *
seats_context_alloc(void *ctx, size_t size)
{
	return MemoryContextAllocExtended((MemoryContext) ctx, size, MCXT_ALLOC_HUGE);
}

static void
seats_context_free(void *ctx, void *ptr)
{
	pfree(ptr);
}

static SeatsState *
seats_state_create(MemoryContext context)
{
	SeatsState *state = MemoryContextAlloc(context, sizeof(SeatsState));
	mh_error	err;

	state->alloc.alloc = seats_context_alloc;
	state->alloc.free = seats_context_free;
	state->alloc.ctx = context;
	state->alloc.check_interrupts = maslihat_check_interrupts;
	if (mh_seats_init(&state->seats, &state->alloc, maslihat_hash_seed(), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	return state;
}

static void
seats_raise(const mh_error *err)
{
	maslihat_raise(err, SOURCE_ARGUMENT, NULL);
}

/*
 * party_seats(t [, parties [, rules]]) and seat_summary(...): one
 * constituency.  Not strict: a NULL tally is skipped, as sum() skips NULLs;
 * a NULL parties object means every key is its own party; with rules, a
 * seat is filled only where outcome(t, rules) elects someone, so a NULL
 * rules (validity unknown) leaves every seat empty.
 */
PG_FUNCTION_INFO_V1(seats_transfn);
Datum
seats_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext context = maslihat_aggregate_context(fcinfo, "seats_transfn");
	SeatsState *state = PG_ARGISNULL(0) ? NULL : (SeatsState *) PG_GETARG_POINTER(0);
	const mh_tally *t;
	Jsonb	   *parties = NULL;
	mh_seat_candidate *candidates;
	bool		text_keys;
	bool		may_elect = true;
	uint32		i;
	mh_error	err;

	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = seats_state_create(context);
	t = PG_GETARG_TALLY(1);
	if (PG_NARGS() >= 3 && !PG_ARGISNULL(2))
	{
		parties = PG_GETARG_JSONB_P(2);
		if (!JB_ROOT_IS_OBJECT(parties) || JB_ROOT_IS_SCALAR(parties))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("parties must be a jsonb object"),
					 errdetail("The object maps each candidate's key, as text, to its party label."),
					 errhint("Build it with jsonb_object_agg(candidate, party) in the same GROUP BY as the tally.")));
	}

	if (PG_NARGS() >= 4)
	{
		mh_rules	rules;
		mh_outcome	o;

		memset(&rules, 0, sizeof(rules));
		rules.threshold_known = !PG_ARGISNULL(3);
		if (rules.threshold_known)
			maslihat_rules_arg(PG_GETARG_DATUM(3), &rules);
		mh_outcome_compute(t, &rules, &o);
		may_elect = o.by_election == MH_FALSE;
	}

	text_keys = mh_tally_key_kind(t) == MH_KEYS_TEXT;
	candidates = palloc(sizeof(mh_seat_candidate) * Max(t->ncandidates, 1));
	for (i = 0; i < t->ncandidates; i++)
	{
		const char *key;
		uint32		len;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (text_keys)
			mh_tally_key(t, i, &key, &len);
		else
		{
			key = psprintf(INT64_FORMAT, (int64) t->votes[i].candidate);
			len = strlen(key);
		}
		candidates[i].party = key;
		candidates[i].party_len = len;
		candidates[i].votes = t->votes[i].votes;
		if (parties != NULL)
		{
			JsonbValue *v = getKeyJsonValueFromContainer(&parties->root, key, len, NULL);

			if (v != NULL)
			{
				if (v->type != jbvString)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("party of candidate %s is not a string", mh_key_label(key, len, palloc(MH_LABEL_SIZE))),
							 errdetail("Each value of the parties object must be a party label, a JSON string."),
							 errhint("Leave a candidate out of the object to make its key its own party label.")));
				candidates[i].party = v->val.string.val;
				candidates[i].party_len = v->val.string.len;
			}
		}
	}
	if (mh_seats_add_seat(&state->seats, candidates, t->ncandidates,
						  mh_tally_registered_known(t), t->registered, t->cast, t->invalid,
						  may_elect, &err) != MH_OK)
		seats_raise(&err);
	pfree(candidates);
	PG_RETURN_POINTER(state);
}

/*
 * Not strict: either partial state may be missing.  A missing first state
 * is replaced by a copy of the second in the aggregate's context.
 */
PG_FUNCTION_INFO_V1(seats_combine);
Datum
seats_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = maslihat_aggregate_context(fcinfo, "seats_combine");
	SeatsState *state;
	mh_error	err;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	state = PG_ARGISNULL(0) ? seats_state_create(context) : (SeatsState *) PG_GETARG_POINTER(0);
	if (mh_seats_merge(&state->seats, &((SeatsState *) PG_GETARG_POINTER(1))->seats, &err) != MH_OK)
		seats_raise(&err);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(seats_serialize);
Datum
seats_serialize(PG_FUNCTION_ARGS)
{
	SeatsState *state;
	mh_seats_result r;
	uint8_t    *buf;
	size_t		size;
	bytea	   *result;
	mh_error	err;

	(void) maslihat_aggregate_context(fcinfo, "seats_serialize");
	state = (SeatsState *) PG_GETARG_POINTER(0);
	if (mh_seats_result_make(&state->seats, &maslihat_palloc, &r, &err) != MH_OK ||
		mh_seats_encode(&r, &maslihat_palloc, &buf, &size, &err) != MH_OK)
		seats_raise(&err);
	if (size > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("seats state too large to serialize"),
				 errdetail("It takes %zu bytes.", size)));
	result = palloc(VARHDRSZ + size);
	memcpy(VARDATA(result), buf, size);
	SET_VARSIZE(result, VARHDRSZ + size);
	pfree(buf);
	mh_seats_result_release(&r, &maslihat_palloc);
	PG_RETURN_BYTEA_P(result);
}

/* Trusts nothing: mh_seats_decode checks every tally and how they agree. */
PG_FUNCTION_INFO_V1(seats_deserialize);
Datum
seats_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes;
	SeatsState *state;
	mh_error	err;

	(void) maslihat_aggregate_context(fcinfo, "seats_deserialize");
	bytes = PG_GETARG_BYTEA_PP(0);
	state = palloc(sizeof(SeatsState));
	state->alloc.alloc = seats_context_alloc;
	state->alloc.free = seats_context_free;
	state->alloc.ctx = CurrentMemoryContext;
	state->alloc.check_interrupts = maslihat_check_interrupts;
	if (mh_seats_decode((const uint8_t *) VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes),
						&state->seats, &state->alloc, maslihat_hash_seed(), &err) != MH_OK)
		maslihat_raise(&err, SOURCE_BINARY, NULL);
	PG_RETURN_POINTER(state);
}

static Datum
percent_or_null(int64 part, int64 whole, bool *isnull)
{
	*isnull = whole <= 0;
	return *isnull ? (Datum) 0 : maslihat_percent(part, whole);
}

static Datum
label_text(const mh_party_row *p)
{
	return PointerGetDatum(cstring_to_text_with_len(p->label, p->len));
}

/*
 * party_seats: one party_seats row per party label, most seats first (then
 * most votes, then label), as an array.  NULL for no rows, as sum() gives.
 */
#define PARTY_SEATS_COLS 6

PG_FUNCTION_INFO_V1(party_seats_finalfn);
Datum
party_seats_finalfn(PG_FUNCTION_ARGS)
{
	SeatsState *state;
	mh_seats_result r;
	const mh_seats_result *s = &r;
	Oid			array_type,
				row_type;
	TupleDesc	tupdesc;
	Datum	   *rows;
	uint32	   *order;
	uint32		i;
	mh_error	err;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	(void) maslihat_aggregate_context(fcinfo, "party_seats_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (SeatsState *) PG_GETARG_POINTER(0);
	if (mh_seats_result_make(&state->seats, &maslihat_palloc, &r, &err) != MH_OK)
		seats_raise(&err);

	array_type = get_fn_expr_rettype(fcinfo->flinfo);
	row_type = get_element_type(array_type);
	if (!OidIsValid(row_type))
		elog(ERROR, "party_seats must return an array");
	tupdesc = lookup_rowtype_tupdesc_copy(row_type, -1);
	if (tupdesc->natts != PARTY_SEATS_COLS)
		elog(ERROR, "party_seats has %d columns, expected %d", tupdesc->natts, PARTY_SEATS_COLS);
	tupdesc = BlessTupleDesc(tupdesc);

	if (mh_seats_order(s, &maslihat_palloc, &order, &err) != MH_OK)
		seats_raise(&err);
	rows = palloc(sizeof(Datum) * Max(s->nparties, 1));
	for (i = 0; i < s->nparties; i++)
	{
		const mh_party_row *p = &s->rows[order[i]];
		Datum		values[PARTY_SEATS_COLS];
		bool		nulls[PARTY_SEATS_COLS] = {false};

		CHECK_FOR_INTERRUPTS();
		values[0] = label_text(p);
		values[1] = Int64GetDatum(p->seats);
		values[2] = Int64GetDatum(p->votes);
		values[3] = percent_or_null(p->votes, s->valid, &nulls[3]);
		values[4] = percent_or_null(p->seats, s->seats, &nulls[4]);
		values[5] = Int64GetDatum(p->candidates);
		rows[i] = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
	}
	get_typlenbyvalalign(row_type, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(rows, (int) s->nparties, row_type,
										  typlen, typbyval, typalign));
}

/* The seat_summary row. */
enum
{
	SUM_SEATS,
	SUM_FILLED,
	SUM_EMPTY,
	SUM_MAJORITY_NEEDED,
	SUM_LARGEST,
	SUM_LARGEST_SEATS,
	SUM_MAJORITY,
	SUM_PARTIES,
	SUM_CANDIDATES,
	SUM_REGISTERED,
	SUM_CAST,
	SUM_INVALID,
	SUM_VALID,
	SUM_TURNOUT,
	SUM_TURNOUT_VALID,
	SUM_GALLAGHER,
	SUM_LH,
	SUM_ENP_VOTES,
	SUM_ENP_SEATS,
	SUM_NCOLS
};

PG_FUNCTION_INFO_V1(seat_summary_finalfn);
Datum
seat_summary_finalfn(PG_FUNCTION_ARGS)
{
	SeatsState *state;
	mh_seats_result r;
	const mh_seats_result *s = &r;
	mh_error	err;
	TupleDesc	tupdesc;
	Datum		values[SUM_NCOLS];
	bool		nulls[SUM_NCOLS] = {false};
	int64		largest,
				most;
	mh_party_indices ix;

	(void) maslihat_aggregate_context(fcinfo, "seat_summary_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (SeatsState *) PG_GETARG_POINTER(0);
	if (mh_seats_result_make(&state->seats, &maslihat_palloc, &r, &err) != MH_OK)
		seats_raise(&err);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (tupdesc->natts != SUM_NCOLS)
		elog(ERROR, "seat_summary has %d columns, expected %d", tupdesc->natts, SUM_NCOLS);

	most = mh_seats_most(s);
	largest = mh_seats_largest(s);

	values[SUM_SEATS] = Int64GetDatum(s->seats);
	values[SUM_FILLED] = Int64GetDatum(s->filled);
	values[SUM_EMPTY] = Int64GetDatum(s->seats - s->filled);
	values[SUM_MAJORITY_NEEDED] = Int64GetDatum(mh_seats_majority_needed(s));
	nulls[SUM_LARGEST] = largest < 0;
	values[SUM_LARGEST] = largest < 0 ? (Datum) 0 : label_text(&s->rows[largest]);
	values[SUM_LARGEST_SEATS] = Int64GetDatum(most);
	values[SUM_MAJORITY] = BoolGetDatum(most >= mh_seats_majority_needed(s));
	values[SUM_PARTIES] = Int64GetDatum((int64) s->nparties);
	values[SUM_CANDIDATES] = Int64GetDatum(s->candidates);
	nulls[SUM_REGISTERED] = s->registered_unknown;
	values[SUM_REGISTERED] = Int64GetDatum(s->registered);
	values[SUM_CAST] = Int64GetDatum(s->cast);
	values[SUM_INVALID] = Int64GetDatum(s->invalid);
	values[SUM_VALID] = Int64GetDatum(s->valid);
	if (s->registered_unknown)
		nulls[SUM_TURNOUT] = nulls[SUM_TURNOUT_VALID] = true;
	else
	{
		values[SUM_TURNOUT] = percent_or_null(s->cast, s->registered, &nulls[SUM_TURNOUT]);
		values[SUM_TURNOUT_VALID] = percent_or_null(s->valid, s->registered, &nulls[SUM_TURNOUT_VALID]);
	}
	mh_seats_indices(s, &ix);
	nulls[SUM_GALLAGHER] = nulls[SUM_LH] = !ix.disproportionality_known;
	values[SUM_GALLAGHER] = Float8GetDatum(ix.gallagher);
	values[SUM_LH] = Float8GetDatum(ix.loosemore_hanby);
	nulls[SUM_ENP_VOTES] = !ix.enp_votes_known;
	values[SUM_ENP_VOTES] = Float8GetDatum(ix.enp_votes);
	nulls[SUM_ENP_SEATS] = !ix.enp_seats_known;
	values[SUM_ENP_SEATS] = Float8GetDatum(ix.enp_seats);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------------------------------------------------------------- swing */

/* A party's votes in a tally keyed by party (text or number). */
static int64
party_votes(const mh_tally *t, FunctionCallInfo fcinfo, int argno)
{
	const mh_vote *v;

	if (mh_tally_key_kind(t) == MH_KEYS_NONE)
		return 0;
	if (get_fn_expr_argtype(fcinfo->flinfo, argno) == INT8OID)
	{
		if (mh_tally_key_kind(t) != MH_KEYS_INT)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("tally is keyed by text, party by bigint"),
					 errdetail("A tally's keys and the party must be of one kind."),
					 errhint("Pass the party as text.")));
		v = mh_tally_find(t, PG_GETARG_INT64(argno));
	}
	else
	{
		const char *key;
		uint32		len;

		maslihat_text_key(PG_GETARG_TEXT_PP(argno), &key, &len);
		if (mh_tally_key_kind(t) != MH_KEYS_TEXT)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("tally is keyed by numbers, party by text"),
					 errdetail("A tally's keys and the party must be of one kind."),
					 errhint("Pass the party as bigint.")));
		v = mh_tally_find_key(t, key, len);
	}
	return v == NULL ? 0 : v->votes;
}

static Datum
share_change(const mh_tally *before, int64 vb, const mh_tally *after, int64 va)
{
	return DirectFunctionCall2(numeric_sub,
							   maslihat_percent(va, mh_tally_valid_votes(after)),
							   maslihat_percent(vb, mh_tally_valid_votes(before)));
}

/*
 * butler_swing(before, after, from_party, to_party): the average of
 * to_party's rise in share and from_party's fall, in percentage points of
 * valid votes; positive is a swing from from_party to to_party.  NULL when
 * either election has no valid votes.
 */
PG_FUNCTION_INFO_V1(butler_swing);
Datum
butler_swing(PG_FUNCTION_ARGS)
{
	const mh_tally *before = PG_GETARG_TALLY(0);
	const mh_tally *after = PG_GETARG_TALLY(1);
	Datum		rise,
				fall,
				sum;

	if (mh_tally_valid_votes(before) == 0 || mh_tally_valid_votes(after) == 0)
		PG_RETURN_NULL();
	rise = share_change(before, party_votes(before, fcinfo, 3), after, party_votes(after, fcinfo, 3));
	fall = share_change(before, party_votes(before, fcinfo, 2), after, party_votes(after, fcinfo, 2));
	sum = DirectFunctionCall2(numeric_sub, rise, fall);
	PG_RETURN_DATUM(DirectFunctionCall1(numeric_trim_scale,
										DirectFunctionCall2(numeric_div, sum,
															DirectFunctionCall1(int8_numeric, Int64GetDatum(2)))));
}
