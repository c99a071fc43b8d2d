/*-------------------------------------------------------------------------
 *
 * summary.c
 *	  election_summary(tally [, registered [, threshold]]): the aggregate
 *	  that turns constituency tallies into an election's published results.
 *
 * Each input row is one constituency (one seat).  The state counts seats
 * and how each one ended, using the same rules as outcome() (core/
 * outcome.c): filled, by-election, or undecided when registered voters or
 * the threshold are unknown.  It also adds up registered voters, ballots
 * cast, blank or invalid ballots, valid votes and candidates, each with
 * checked overflow.  Registered voters are the constituency's argument
 * when one is given (a NULL argument makes them unknown), else the
 * tally's own.
 *
 * The state is fixed-size, so combining two states is plain addition and
 * the aggregate runs in parallel and under GROUP BY ROLLUP like sum().
 *
 * src/summary.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "core/outcome.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#define SUMMARY_SERIAL_VERSION 1

/* The counts of a state, in their serialized order. */
typedef enum SummaryCount
{
	SEATS,
	SEATS_FILLED,
	BY_ELECTIONS,
	UNDECIDED,
	REGISTERED,					/* sum over constituencies that know it */
	CAST,
	INVALID,
	VALID_VOTES,
	CANDIDATES,
	NCOUNTS
} SummaryCount;

typedef struct SummaryState
{
	int64		count[NCOUNTS];
	bool		registered_unknown; /* some constituency did not know it */
} SummaryState;

static void
accumulate(int64 *total, int64 value)
{
	if (pg_add_s64_overflow(*total, value, total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("election summary out of range"),
				 errdetail("A total exceeds " INT64_FORMAT ".", PG_INT64_MAX)));
}

/*
 * election_summary's transition: one constituency, its rules from the
 * arguments after the tally in one of two forms (rules_form: (t, rules) or
 * (t, registered, rules); else (t [, registered [, threshold]]), where a missing
 * threshold names no rule: ERROR).  Not strict: a NULL tally is skipped
 * (as sum() skips NULLs), a NULL registered, threshold or rules makes the
 * seat undecided.
 */
static Datum
summary_add(FunctionCallInfo fcinfo, bool rules_form)
{
	MemoryContext context = maslihat_aggregate_context(fcinfo, "summary_transfn");
	SummaryState *state;
	const mh_tally *t;
	mh_rules	rules;
	mh_outcome	o;
	bool		registered_known;
	int64		registered = 0;
	int			registered_arg = rules_form && PG_NARGS() == 3 ? 3 : 2;
	int			rule_arg = rules_form && PG_NARGS() == 3 ? 2 : 3;

	state = PG_ARGISNULL(0) ? NULL : (SummaryState *) PG_GETARG_POINTER(0);
	if (!rules_form && PG_NARGS() < 4)
		maslihat_no_rule_named("election_summary(t, 'kz1994') or election_summary(t, registered, 'none')");
	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = MemoryContextAllocZero(context, sizeof(SummaryState));
	t = PG_GETARG_TALLY(1);

	memset(&rules, 0, sizeof(rules));
	rules.threshold_known = !PG_ARGISNULL(rule_arg);
	if (rules.threshold_known && rules_form)
		maslihat_rules_arg(PG_GETARG_DATUM(rule_arg), &rules);
	else if (rules.threshold_known)
		maslihat_threshold_arg(PG_GETARG_DATUM(rule_arg), &rules.threshold);
	if (PG_NARGS() > registered_arg)
	{
		/* a NULL registered means unknown, even if the tally knows better */
		rules.registered_given = true;
		registered_known = !PG_ARGISNULL(registered_arg);
		if (registered_known)
		{
			registered = PG_GETARG_INT64(registered_arg);
			maslihat_check_registered_arg(t, registered);
			rules.registered_known = true;
			rules.registered = registered;
		}
	}
	else
	{
		registered_known = mh_tally_registered_known(t);
		registered = t->registered;
	}

	mh_outcome_compute(t, &rules, &o);

	accumulate(&state->count[SEATS], 1);
	if (o.by_election == MH_TRUE)
		accumulate(&state->count[BY_ELECTIONS], 1);
	else if (o.by_election == MH_FALSE)
		accumulate(&state->count[SEATS_FILLED], 1);
	else
		accumulate(&state->count[UNDECIDED], 1);
	if (registered_known)
		accumulate(&state->count[REGISTERED], registered);
	else
		state->registered_unknown = true;
	accumulate(&state->count[CAST], t->cast);
	accumulate(&state->count[INVALID], t->invalid);
	accumulate(&state->count[VALID_VOTES], o.valid_votes);
	accumulate(&state->count[CANDIDATES], (int64) t->ncandidates);

	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(summary_transfn);
Datum
summary_transfn(PG_FUNCTION_ARGS)
{
	return summary_add(fcinfo, false);
}

PG_FUNCTION_INFO_V1(summary_transfn_rules);
Datum
summary_transfn_rules(PG_FUNCTION_ARGS)
{
	return summary_add(fcinfo, true);
}

/*
 * Not strict: either partial state may be missing.  A missing first state
 * becomes a copy of the second in the aggregate's context.
 */
PG_FUNCTION_INFO_V1(summary_combine);
Datum
summary_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = maslihat_aggregate_context(fcinfo, "summary_combine");
	SummaryState *state;
	SummaryState *other;
	int			i;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	other = (SummaryState *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		state = MemoryContextAlloc(context, sizeof(SummaryState));
		memcpy(state, other, sizeof(SummaryState));
		PG_RETURN_POINTER(state);
	}
	state = (SummaryState *) PG_GETARG_POINTER(0);
	for (i = 0; i < NCOUNTS; i++)
		accumulate(&state->count[i], other->count[i]);
	state->registered_unknown |= other->registered_unknown;
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(summary_serialize);
Datum
summary_serialize(PG_FUNCTION_ARGS)
{
	SummaryState *state;
	StringInfoData buf;
	int			i;

	(void) maslihat_aggregate_context(fcinfo, "summary_serialize");
	state = (SummaryState *) PG_GETARG_POINTER(0);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SUMMARY_SERIAL_VERSION);
	pq_sendbyte(&buf, state->registered_unknown ? 1 : 0);
	for (i = 0; i < NCOUNTS; i++)
		pq_sendint64(&buf, state->count[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Trusts nothing: size, version, flag and every count are checked. */
PG_FUNCTION_INFO_V1(summary_deserialize);
Datum
summary_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes;
	SummaryState *state;
	StringInfoData buf;
	int			version;
	int			flag;
	int			i;
	int64		decided;

	(void) maslihat_aggregate_context(fcinfo, "summary_deserialize");
	bytes = PG_GETARG_BYTEA_PP(0);
	if (VARSIZE_ANY_EXHDR(bytes) != 2 + NCOUNTS * sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid length of serialized election summary"),
				 errdetail("It has %zu bytes, expected %zu.",
						   (size_t) VARSIZE_ANY_EXHDR(bytes),
						   (size_t) (2 + NCOUNTS * sizeof(int64)))));
	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	version = pq_getmsgbyte(&buf);
	flag = pq_getmsgbyte(&buf);
	if (version != SUMMARY_SERIAL_VERSION || (flag != 0 && flag != 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported serialized election summary"),
				 errdetail("Format version %d, flag %d.", version, flag)));
	state = palloc0(sizeof(SummaryState));
	state->registered_unknown = flag == 1;
	for (i = 0; i < NCOUNTS; i++)
	{
		state->count[i] = pq_getmsgint64(&buf);
		if (state->count[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("negative count in serialized election summary")));
	}
	pq_getmsgend(&buf);
	if (pg_add_s64_overflow(state->count[SEATS_FILLED], state->count[BY_ELECTIONS], &decided) ||
		pg_add_s64_overflow(decided, state->count[UNDECIDED], &decided) ||
		decided != state->count[SEATS])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("inconsistent serialized election summary"),
				 errdetail("Seats filled, by-elections and undecided seats do not add up to the seats.")));
	PG_RETURN_POINTER(state);
}

/*
 * The election_summary row: the counts in their order, with turnout after
 * ballots cast and turnout_valid (valid votes / registered) last (a type
 * with only the 0.1.0 columns gets those).  NULL for no rows, as sum()
 * gives.
 */
PG_FUNCTION_INFO_V1(summary_finalfn);
Datum
summary_finalfn(PG_FUNCTION_ARGS)
{
	SummaryState *s;
	TupleDesc	tupdesc;
	Datum		values[NCOUNTS + 2];
	bool		nulls[NCOUNTS + 2];
	int			i,
				col = 0;

	(void) maslihat_aggregate_context(fcinfo, "summary_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (SummaryState *) PG_GETARG_POINTER(0);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (tupdesc->natts != NCOUNTS + 2 && tupdesc->natts != NCOUNTS + 1)
		elog(ERROR, "election_summary has %d columns, expected %d", tupdesc->natts, NCOUNTS + 2);

	for (i = 0; i < NCOUNTS; i++)
	{
		values[col] = Int64GetDatum(s->count[i]);
		nulls[col] = i == REGISTERED && s->registered_unknown;
		col++;
		if (i == CAST)
		{
			/* turnout: percent of registered voters who cast a ballot */
			nulls[col] = s->registered_unknown || s->count[REGISTERED] == 0;
			values[col] = nulls[col] ? (Datum) 0 :
				maslihat_percent(s->count[CAST], s->count[REGISTERED]);
			col++;
		}
	}
	/* turnout_valid: percent of registered voters who cast a valid vote */
	nulls[col] = s->registered_unknown || s->count[REGISTERED] == 0;
	values[col] = nulls[col] ? (Datum) 0 :
		maslihat_percent(s->count[VALID_VOTES], s->count[REGISTERED]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
