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
 * How a function's arguments after the tally give the rules:
 *	 FORM_THRESHOLD	(t [, registered, threshold [, lots_seed]]): the 0.1.0
 *					forms; without a threshold no rule is named: ERROR.
 *	 FORM_RULES		(t, rules) or (t, registered, rules [, lots_seed]): a
 *					named rule set, where the 0.1.0 forms have the threshold.
 *	 FORM_NO_RULE	(t [, registered]): what needs no rule (leader, turnout).
 * Wherever registered is an argument, a NULL one means unknown, even if
 * the tally knows better; a NULL threshold or rules leaves validity unknown.
 */
typedef enum ArgForm
{
	FORM_THRESHOLD,
	FORM_RULES,
	FORM_NO_RULE
} ArgForm;


/* Whether text is meant as a number: a threshold given as a string. */
static bool
looks_numeric(const char *text)
{
	return strchr("0123456789.+-", text[0]) != NULL || pg_strcasecmp(text, "nan") == 0 ||
		pg_strcasecmp(text, "infinity") == 0;
}

/*
 * A rule set's name, or (as a threshold given in quotes, which PostgreSQL
 * hands to the text overload: outcome(t, 1000, '0.5')) a plain decimal.
 */
void
maslihat_rules_arg(Datum d, mh_rules *rules)
{
	char	   *name = TextDatumGetCString(d);

	if (name[0] != '\0' && looks_numeric(name))
	{
		rules->threshold_known = true;
		maslihat_threshold_arg(DirectFunctionCall3(numeric_in, CStringGetDatum(name),
												   ObjectIdGetDatum(InvalidOid),
												   Int32GetDatum(-1)),
							   &rules->threshold);
	}
	else if (!mh_rules_named(name, rules))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown rule set \"%s\"", name),
				 errdetail("The rule sets are: %s.", mh_rules_names()),
				 errhint("For another turnout threshold give it as a number: outcome(t, registered, 0.25).")));
	pfree(name);
}

static void
rules_from_args(FunctionCallInfo fcinfo, const mh_tally *t, ArgForm form,
				mh_rules *rules)
{
	int			nargs = PG_NARGS();
	int			registered_arg = form == FORM_RULES && nargs == 2 ? nargs : 1;

	memset(rules, 0, sizeof(*rules));
	if (form == FORM_THRESHOLD &&
		(nargs < 3 || (!PG_ARGISNULL(2) && maslihat_threshold_missing(PG_GETARG_DATUM(2)))))
		maslihat_no_rule_named("outcome(t, 'kz1994') or outcome(t, registered, 'none')");
	if (form == FORM_RULES)
	{
		int			rules_arg = nargs == 2 ? 1 : 2;

		rules->threshold_known = !PG_ARGISNULL(rules_arg);
		if (rules->threshold_known)
			maslihat_rules_arg(PG_GETARG_DATUM(rules_arg), rules);
	}
	else if (form == FORM_THRESHOLD)
	{
		rules->threshold_known = !PG_ARGISNULL(2);
		if (rules->threshold_known)
			maslihat_threshold_arg(PG_GETARG_DATUM(2), &rules->threshold);
	}

	if (nargs > registered_arg)
	{
		/* a NULL registered means unknown, even if the tally knows better */
		rules->registered_given = true;
		if (!PG_ARGISNULL(registered_arg))
		{
			int64		registered = PG_GETARG_INT64(registered_arg);

			maslihat_check_registered_arg(t, registered);
			rules->registered_known = true;
			rules->registered = registered;
		}
	}
	if (form != FORM_NO_RULE && nargs >= 4 && !PG_ARGISNULL(3))
	{
		rules->draw_lots = true;
		rules->lots_seed = PG_GETARG_INT64(3);
	}
}

/* Applies the rules of the call to its tally argument. */
static const mh_tally *
compute(FunctionCallInfo fcinfo, ArgForm form, mh_outcome *out)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	mh_rules	rules;

	rules_from_args(fcinfo, t, form, &rules);
	mh_outcome_compute(t, &rules, out);
	return t;
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
	NCOLUMNS_0_1,				/* the columns of 0.1.0 end here */
	COL_WINNER_KEY = NCOLUMNS_0_1,
	COL_RUNNER_UP_KEY,
	COL_LEADER_KEY,
	COL_WINNER_SHARE,
	COL_RUNNER_UP_SHARE,
	COL_MAJORITY_SHARE,
	COL_TURNOUT_VALID,
	NCOLUMNS
};

/*
 * part as a percentage of the valid votes, given as numeric (valid_votes);
 * NULL without valid votes (has_valid false) or if part is not known.
 */
static void
share_of_valid(bool has_valid, Datum valid_votes, bool known, int64 part,
			   Datum *value, bool *isnull)
{
	*isnull = !known || !has_valid;
	*value = *isnull ? (Datum) 0 : maslihat_percent_of(part, valid_votes);
}

/*
 * The fptp_outcome row.  Number-keyed candidates fill winner, runner_up
 * and leader; every kind fills the *_key columns (numbers in decimal).
 * A type with only the 0.1.0 columns (the library updated before ALTER
 * EXTENSION ... UPDATE) gets those.
 */
static Datum
outcome_row(FunctionCallInfo fcinfo, ArgForm form)
{
	TupleDesc	tupdesc;
	Datum		values[NCOLUMNS];
	bool		nulls[NCOLUMNS];
	mh_outcome	o;
	const mh_tally *t;
	const char *reason;
	bool		numbers;
	bool		has_registered;
	bool		has_valid;
	Datum		registered = (Datum) 0; /* as numeric, if has_registered */
	Datum		valid_votes = (Datum) 0;	/* as numeric, if has_valid */

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (tupdesc->natts != NCOLUMNS && tupdesc->natts != NCOLUMNS_0_1)
		elog(ERROR, "outcome has %d columns, expected %d", tupdesc->natts, NCOLUMNS);

	t = compute(fcinfo, form, &o);
	numbers = mh_tally_key_kind(t) != MH_KEYS_TEXT;
	memset(nulls, 0, sizeof(nulls));

	values[COL_WINNER] = Int64GetDatum(o.winner);
	nulls[COL_WINNER] = !o.has_winner || !numbers;
	values[COL_WINNER_VOTES] = Int64GetDatum(o.first_votes);
	nulls[COL_WINNER_VOTES] = !o.has_first;
	values[COL_RUNNER_UP] = Int64GetDatum(o.runner_up);
	nulls[COL_RUNNER_UP] = !o.has_runner_up || !numbers;
	values[COL_RUNNER_UP_VOTES] = Int64GetDatum(o.second_votes);
	nulls[COL_RUNNER_UP_VOTES] = !o.has_second;
	values[COL_MARGIN] = Int64GetDatum(o.first_votes - o.second_votes);
	nulls[COL_MARGIN] = !o.has_second;
	values[COL_VALID_VOTES] = Int64GetDatum(o.valid_votes);
	values[COL_INVALID] = Int64GetDatum(o.invalid);
	values[COL_CAST] = Int64GetDatum(o.cast);
	values[COL_REGISTERED] = Int64GetDatum(o.registered);
	nulls[COL_REGISTERED] = !o.registered_known;
	/* turnout and the shares divide by these: each converted to numeric once */
	has_registered = o.registered_known && o.registered > 0;
	if (has_registered)
		registered = maslihat_numeric(o.registered);
	nulls[COL_TURNOUT] = !has_registered;
	values[COL_TURNOUT] = has_registered ? maslihat_percent_of(o.cast, registered) : (Datum) 0;
	values[COL_VALID] = BoolGetDatum(o.valid == MH_TRUE);
	nulls[COL_VALID] = o.valid == MH_UNKNOWN;
	values[COL_TIE] = BoolGetDatum(o.tie);
	values[COL_BY_ELECTION] = BoolGetDatum(o.by_election == MH_TRUE);
	nulls[COL_BY_ELECTION] = o.by_election == MH_UNKNOWN;
	reason = mh_reason_label(o.reason);
	values[COL_REASON] = reason ? CStringGetTextDatum(reason) : (Datum) 0;
	nulls[COL_REASON] = reason == NULL;
	values[COL_LEADER] = Int64GetDatum(o.leader);
	nulls[COL_LEADER] = !o.has_leader || !numbers;
	values[COL_CANDIDATES] = Int32GetDatum((int32) t->ncandidates);
	values[COL_DRAWN] = BoolGetDatum(o.drawn);

	if (tupdesc->natts == NCOLUMNS)
	{
		nulls[COL_WINNER_KEY] = !o.has_winner;
		values[COL_WINNER_KEY] = o.has_winner ? maslihat_candidate_key(t, o.winner_index) : (Datum) 0;
		nulls[COL_RUNNER_UP_KEY] = !o.has_runner_up;
		values[COL_RUNNER_UP_KEY] = o.has_runner_up ?
			maslihat_candidate_key(t, o.runner_up_index) : (Datum) 0;
		nulls[COL_LEADER_KEY] = !o.has_leader;
		values[COL_LEADER_KEY] = o.has_leader ? maslihat_candidate_key(t, o.leader_index) : (Datum) 0;
		has_valid = o.valid_votes > 0;
		if (has_valid)
			valid_votes = maslihat_numeric(o.valid_votes);
		share_of_valid(has_valid, valid_votes, o.has_first, o.first_votes,
					   &values[COL_WINNER_SHARE], &nulls[COL_WINNER_SHARE]);
		share_of_valid(has_valid, valid_votes, o.has_second, o.second_votes,
					   &values[COL_RUNNER_UP_SHARE], &nulls[COL_RUNNER_UP_SHARE]);
		share_of_valid(has_valid, valid_votes, o.has_second, o.first_votes - o.second_votes,
					   &values[COL_MAJORITY_SHARE], &nulls[COL_MAJORITY_SHARE]);
		nulls[COL_TURNOUT_VALID] = !has_registered;
		values[COL_TURNOUT_VALID] = has_registered ?
			maslihat_percent_of(o.valid_votes, registered) : (Datum) 0;
	}

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * outcome(t, registered, threshold [, lots_seed]), and outcome(t), which
 * names no rule.  Not strict: NULL registered or threshold make validity
 * unknown, NULL lots_seed means no drawing of lots; only a NULL tally gives
 * a NULL outcome.
 */
PG_FUNCTION_INFO_V1(tally_outcome);
Datum
tally_outcome(PG_FUNCTION_ARGS)
{
	return outcome_row(fcinfo, FORM_THRESHOLD);
}

/* outcome(t, rules) and outcome(t, registered, rules [, lots_seed]), not strict likewise. */
PG_FUNCTION_INFO_V1(tally_outcome_rules);
Datum
tally_outcome_rules(PG_FUNCTION_ARGS)
{
	return outcome_row(fcinfo, FORM_RULES);
}

/* The elected candidate's number; NULL if none. */
static Datum
winner_number(FunctionCallInfo fcinfo, ArgForm form)
{
	mh_outcome	o;

	maslihat_require_kind(compute(fcinfo, form, &o), MH_KEYS_INT);
	if (!o.has_winner)
		PG_RETURN_NULL();
	PG_RETURN_INT64(o.winner);
}

/* winner(t, registered, threshold): the elected candidate. */
PG_FUNCTION_INFO_V1(tally_winner);
Datum
tally_winner(PG_FUNCTION_ARGS)
{
	return winner_number(fcinfo, FORM_THRESHOLD);
}

PG_FUNCTION_INFO_V1(tally_winner_rules);
Datum
tally_winner_rules(PG_FUNCTION_ARGS)
{
	return winner_number(fcinfo, FORM_RULES);
}

/* winner_key(t, rules) and winner_key(t, registered, rules): the elected candidate's key. */
PG_FUNCTION_INFO_V1(tally_winner_key);
Datum
tally_winner_key(PG_FUNCTION_ARGS)
{
	mh_outcome	o;
	const mh_tally *t;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = compute(fcinfo, FORM_RULES, &o);
	if (!o.has_winner)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_candidate_key(t, o.winner_index));
}

/* leader(t): the unique plurality leader, whatever the turnout. */
PG_FUNCTION_INFO_V1(tally_leader);
Datum
tally_leader(PG_FUNCTION_ARGS)
{
	mh_outcome	o;

	maslihat_require_kind(compute(fcinfo, FORM_NO_RULE, &o), MH_KEYS_INT);
	if (!o.has_leader)
		PG_RETURN_NULL();
	PG_RETURN_INT64(o.leader);
}

PG_FUNCTION_INFO_V1(tally_leader_key);
Datum
tally_leader_key(PG_FUNCTION_ARGS)
{
	mh_outcome	o;
	const mh_tally *t = compute(fcinfo, FORM_NO_RULE, &o);

	if (!o.has_leader)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_candidate_key(t, o.leader_index));
}

static Datum
validity(FunctionCallInfo fcinfo, ArgForm form)
{
	mh_outcome	o;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	compute(fcinfo, form, &o);
	if (o.valid == MH_UNKNOWN)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(o.valid == MH_TRUE);
}

PG_FUNCTION_INFO_V1(tally_is_valid);
Datum
tally_is_valid(PG_FUNCTION_ARGS)
{
	return validity(fcinfo, FORM_THRESHOLD);
}

PG_FUNCTION_INFO_V1(tally_is_valid_rules);
Datum
tally_is_valid_rules(PG_FUNCTION_ARGS)
{
	return validity(fcinfo, FORM_RULES);
}

static Datum
by_election(FunctionCallInfo fcinfo, ArgForm form)
{
	mh_outcome	o;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	compute(fcinfo, form, &o);
	if (o.by_election == MH_UNKNOWN)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(o.by_election == MH_TRUE);
}

PG_FUNCTION_INFO_V1(tally_needs_by_election);
Datum
tally_needs_by_election(PG_FUNCTION_ARGS)
{
	return by_election(fcinfo, FORM_THRESHOLD);
}

PG_FUNCTION_INFO_V1(tally_needs_by_election_rules);
Datum
tally_needs_by_election_rules(PG_FUNCTION_ARGS)
{
	return by_election(fcinfo, FORM_RULES);
}

/* turnout(t [, registered]): percent of registered who cast a ballot. */
PG_FUNCTION_INFO_V1(tally_turnout);
Datum
tally_turnout(PG_FUNCTION_ARGS)
{
	mh_outcome	o;

	compute(fcinfo, FORM_NO_RULE, &o);
	if (!o.registered_known || o.registered == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_percent(o.cast, o.registered));
}

/* turnout_valid(t [, registered]): valid votes as a percent of registered. */
PG_FUNCTION_INFO_V1(tally_turnout_valid);
Datum
tally_turnout_valid(PG_FUNCTION_ARGS)
{
	mh_outcome	o;

	compute(fcinfo, FORM_NO_RULE, &o);
	if (!o.registered_known || o.registered == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(maslihat_percent(o.valid_votes, o.registered));
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
	if (maslihat_threshold_missing(PG_GETARG_DATUM(1)))
		maslihat_no_rule_named("ballots_needed(registered, 'kz1994')");
	maslihat_threshold_arg(PG_GETARG_DATUM(1), &threshold);
	needed = mh_ballots_needed(registered, threshold);

	if (needed < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("ballots needed out of range"),
				 errdetail("More than " INT64_FORMAT " ballots would be needed.", registered)));
	PG_RETURN_INT64(needed);
}

/* ballots_needed(registered, rules): 0 without a turnout rule. */
PG_FUNCTION_INFO_V1(ballots_needed_rules);
Datum
ballots_needed_rules(PG_FUNCTION_ARGS)
{
	int64		registered = PG_GETARG_INT64(0);
	mh_rules	rules;

	memset(&rules, 0, sizeof(rules));
	maslihat_rules_arg(PG_GETARG_DATUM(1), &rules);
	if (registered < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("registered voters cannot be negative"),
				 errdetail("Registered voters is " INT64_FORMAT ".", registered)));
	if (rules.no_turnout_rule)
		PG_RETURN_INT64(0);
	PG_RETURN_INT64(mh_ballots_needed(registered, rules.threshold));
}
