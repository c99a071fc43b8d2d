/*-------------------------------------------------------------------------
 *
 * outcome_sql.c
 *	  The rules in SQL: outcome(), winner(), leader(), is_valid(),
 *	  needs_by_election(), turnout(), ballots_needed().
 *
 * The rules themselves live in core/outcome.c; this file only reads the
 * arguments into an mh_rules and the mh_outcome back into SQL values.
 *
 * src/outcome_sql.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "access/htup_details.h"
#include "core/outcome.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/*
 * The rules from the arguments after the tally: registered (overriding the
 * tally's own), threshold and lots seed, each where the call has it.  A
 * NULL registered or threshold leaves validity unknown.
 */
static void
rules_from_args(FunctionCallInfo fcinfo, const mh_tally *t, mh_rules *rules)
{
	int			nargs = PG_NARGS();

	memset(rules, 0, sizeof(*rules));
	rules->threshold_known = true;
	rules->threshold = MH_DEFAULT_THRESHOLD;
	if (nargs < 2)
		return;

	/* a NULL registered means unknown, even if the tally knows better */
	rules->registered_given = true;
	if (!PG_ARGISNULL(1))
	{
		int64		registered = PG_GETARG_INT64(1);

		maslihat_check_registered_arg(t, registered);
		rules->registered_known = true;
		rules->registered = registered;
	}
	if (nargs >= 3)
	{
		rules->threshold_known = !PG_ARGISNULL(2);
		if (rules->threshold_known)
			maslihat_threshold_arg(PG_GETARG_DATUM(2), &rules->threshold);
	}
	if (nargs >= 4 && !PG_ARGISNULL(3))
	{
		rules->draw_lots = true;
		rules->lots_seed = PG_GETARG_INT64(3);
	}
}

/* Applies the rules of the call to its tally argument. */
static void
compute(FunctionCallInfo fcinfo, mh_outcome *out)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	mh_rules	rules;

	rules_from_args(fcinfo, t, &rules);
	mh_outcome_compute(t, &rules, out);
}

enum
{
	COL_WINNER,
	COL_WINNER_VOTES,
	COL_RUNNER_UP,
	COL_RUNNER_UP_VOTES,
	COL_MARGIN,
	COL_VALID_VOTES,
	COL_INVALID,
	COL_CAST,
	COL_REGISTERED,
	COL_TURNOUT,
	COL_VALID,
	COL_TIE,
	COL_BY_ELECTION,
	COL_REASON,
	COL_LEADER,
	COL_CANDIDATES,
	COL_DRAWN,
	NCOLUMNS
};

/*
 * outcome(t) and outcome(t, registered, threshold, lots_seed).  Not strict:
 * NULL registered or threshold make validity unknown, NULL lots_seed means
 * no drawing of lots; only a NULL tally gives a NULL outcome.
 */
PG_FUNCTION_INFO_V1(tally_outcome);
Datum
tally_outcome(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[NCOLUMNS];
	bool		nulls[NCOLUMNS];
	mh_outcome	o;
	const char *reason;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (tupdesc->natts != NCOLUMNS)
		elog(ERROR, "outcome has %d columns, expected %d", tupdesc->natts, NCOLUMNS);

	compute(fcinfo, &o);
	memset(nulls, 0, sizeof(nulls));

	values[COL_WINNER] = Int64GetDatum(o.winner);
	nulls[COL_WINNER] = !o.has_winner;
	values[COL_WINNER_VOTES] = Int64GetDatum(o.first_votes);
	nulls[COL_WINNER_VOTES] = !o.has_first;
	values[COL_RUNNER_UP] = Int64GetDatum(o.runner_up);
	nulls[COL_RUNNER_UP] = !o.has_runner_up;
	values[COL_RUNNER_UP_VOTES] = Int64GetDatum(o.second_votes);
	nulls[COL_RUNNER_UP_VOTES] = !o.has_second;
	values[COL_MARGIN] = Int64GetDatum(o.first_votes - o.second_votes);
	nulls[COL_MARGIN] = !o.has_second;
	values[COL_VALID_VOTES] = Int64GetDatum(o.valid_votes);
	values[COL_INVALID] = Int64GetDatum(o.invalid);
	values[COL_CAST] = Int64GetDatum(o.cast);
	values[COL_REGISTERED] = Int64GetDatum(o.registered);
	nulls[COL_REGISTERED] = !o.registered_known;
	if (o.registered_known && o.registered > 0)
		values[COL_TURNOUT] = maslihat_percent(o.cast, o.registered);
	else
		nulls[COL_TURNOUT] = true;
	values[COL_VALID] = BoolGetDatum(o.valid == MH_TRUE);
	nulls[COL_VALID] = o.valid == MH_UNKNOWN;
	values[COL_TIE] = BoolGetDatum(o.tie);
	values[COL_BY_ELECTION] = BoolGetDatum(o.by_election == MH_TRUE);
	nulls[COL_BY_ELECTION] = o.by_election == MH_UNKNOWN;
	reason = mh_reason_label(o.reason);
	values[COL_REASON] = reason ? CStringGetTextDatum(reason) : (Datum) 0;
	nulls[COL_REASON] = reason == NULL;
	values[COL_LEADER] = Int64GetDatum(o.leader);
	nulls[COL_LEADER] = !o.has_leader;
	values[COL_CANDIDATES] = Int32GetDatum((int32) PG_GETARG_TALLY(0)->ncandidates);
	values[COL_DRAWN] = BoolGetDatum(o.drawn);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* winner(t) and winner(t, registered, threshold): the elected candidate. */
PG_FUNCTION_INFO_V1(tally_winner);
Datum
tally_winner(PG_FUNCTION_ARGS)
{
	mh_outcome	o;

	compute(fcinfo, &o);
	if (!o.has_winner)
		PG_RETURN_NULL();
	PG_RETURN_INT64(o.winner);
}

/* leader(t): the unique plurality leader, whatever the turnout. */
PG_FUNCTION_INFO_V1(tally_leader);
Datum
tally_leader(PG_FUNCTION_ARGS)
{
	mh_outcome	o;

	compute(fcinfo, &o);
	if (!o.has_leader)
		PG_RETURN_NULL();
	PG_RETURN_INT64(o.leader);
}

PG_FUNCTION_INFO_V1(tally_is_valid);
Datum
tally_is_valid(PG_FUNCTION_ARGS)
{
	mh_outcome	o;

	compute(fcinfo, &o);
	if (o.valid == MH_UNKNOWN)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(o.valid == MH_TRUE);
}

PG_FUNCTION_INFO_V1(tally_needs_by_election);
Datum
tally_needs_by_election(PG_FUNCTION_ARGS)
{
	mh_outcome	o;

	compute(fcinfo, &o);
	if (o.by_election == MH_UNKNOWN)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(o.by_election == MH_TRUE);
}

/* turnout(t) and turnout(t, registered): percent of registered who voted. */
PG_FUNCTION_INFO_V1(tally_turnout);
Datum
tally_turnout(PG_FUNCTION_ARGS)
{
	mh_outcome	o;

	compute(fcinfo, &o);
	if (!o.registered_known || o.registered == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_percent(o.cast, o.registered));
}

/* ballots_needed(registered, threshold): fewest ballots for a valid election. */
PG_FUNCTION_INFO_V1(ballots_needed);
Datum
ballots_needed(PG_FUNCTION_ARGS)
{
	int64		registered = PG_GETARG_INT64(0);
	int64		needed;
	mh_fraction threshold;

	if (registered < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("registered voters cannot be negative"),
				 errdetail("Registered voters is " INT64_FORMAT ".", registered)));
	maslihat_threshold_arg(PG_GETARG_DATUM(1), &threshold);
	needed = mh_ballots_needed(registered, threshold);

	if (needed < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("ballots needed out of range"),
				 errdetail("More than " INT64_FORMAT " ballots would be needed.", registered)));
	PG_RETURN_INT64(needed);
}
