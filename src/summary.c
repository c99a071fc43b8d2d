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

/*
 * Also the datum of the election_summary_state type (INTERNALLENGTH 80,
 * ALIGNMENT double): every byte is a count, so there is no padding.
 */
typedef struct SummaryState
{
	int64		count[NCOUNTS];
	int64		registered_unknown; /* 1: some constituency did not know it */
} SummaryState;

StaticAssertDecl(sizeof(SummaryState) == 80, "election_summary_state is 80 bytes");

/* The names of the counts in the text form, in order. */
static const char *const count_names[NCOUNTS] = {
	"seats", "seats_filled", "by_elections", "undecided", "registered",
	"cast", "invalid", "valid_votes", "candidates"
};

#define REGISTERED_COMPLETE_NAME "registered_complete"

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
 * The 0.1.0 forms that name no rule, (t [, registered]), raise an error
 * that says what to write.
 */
static void
check_rule_named(FunctionCallInfo fcinfo, bool rules_form)
{
	if (!rules_form && PG_NARGS() < 4)
		maslihat_no_rule_named("election_summary(t, 'kz1994') or election_summary(t, registered, 'none')");
}

/*
 * Adds one constituency, the non-NULL tally of argument 1, with its rules
 * from the arguments after the tally in one of two forms (rules_form:
 * (t, rules) or (t, registered, rules); else (t, registered, threshold)).
 * A NULL registered, threshold or rules makes the seat undecided.
 */
static void
summary_accumulate(FunctionCallInfo fcinfo, SummaryState *state, bool rules_form)
{
	const mh_tally *t = PG_GETARG_TALLY(1);
	mh_rules	rules;
	mh_outcome	o;
	bool		registered_known;
	int64		registered = 0;
	int			registered_arg = rules_form && PG_NARGS() == 3 ? 3 : 2;
	int			rule_arg = rules_form && PG_NARGS() == 3 ? 2 : 3;

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
		state->registered_unknown = 1;
	accumulate(&state->count[CAST], t->cast);
	accumulate(&state->count[INVALID], t->invalid);
	accumulate(&state->count[VALID_VOTES], o.valid_votes);
	accumulate(&state->count[CANDIDATES], (int64) t->ncandidates);
}

/*
 * election_summary's 0.1.0 transition, over an internal state.  Not
 * strict: a NULL tally is skipped (as sum() skips NULLs), and the state
 * is made by the first constituency.
 */
static Datum
summary_add(FunctionCallInfo fcinfo, bool rules_form)
{
	MemoryContext context = maslihat_aggregate_context(fcinfo, "summary_transfn");
	SummaryState *state;

	state = PG_ARGISNULL(0) ? NULL : (SummaryState *) PG_GETARG_POINTER(0);
	check_rule_named(fcinfo, rules_form);
	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = MemoryContextAllocZero(context, sizeof(SummaryState));
	summary_accumulate(fcinfo, state, rules_form);
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
static Datum summary_result(FunctionCallInfo fcinfo, const SummaryState *s);

PG_FUNCTION_INFO_V1(summary_finalfn);
Datum
summary_finalfn(PG_FUNCTION_ARGS)
{
	(void) maslihat_aggregate_context(fcinfo, "summary_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	return summary_result(fcinfo, (SummaryState *) PG_GETARG_POINTER(0));
}

/*
 * The election_summary row: the counts in their order, with turnout after
 * ballots cast and turnout_valid (valid votes / registered) last (a type
 * with only the 0.1.0 columns gets those).
 */
static Datum
summary_result(FunctionCallInfo fcinfo, const SummaryState *s)
{
	TupleDesc	tupdesc;
	Datum		values[NCOUNTS + 2];
	bool		nulls[NCOUNTS + 2];
	int			i,
				col = 0;

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

/*
 * ----------------------------------------------------------------------
 * election_summary_state: the state as a type of its own, so that Citus
 * can send a partial summary from a worker to the coordinator through its
 * text form.  The aggregates start from the zero state (INITCOND), update
 * it in place, and return NULL when it counted no seat, as sum() would.
 * ----------------------------------------------------------------------
 */

#define SUMMARY_STATE_HINT "An election summary state looks like: seats=2 seats_filled=1 by_elections=1 undecided=0 registered=2000 registered_complete=true cast=1300 invalid=20 valid_votes=1280 candidates=5."

/*
 * What every state satisfies, whatever made it: counts not negative, the
 * seats split into filled, by-elections and undecided, valid and invalid
 * within ballots cast, ballots cast within registered voters when every
 * constituency knew them, and nothing at all without a seat.  Returns a
 * description of the first broken rule, or NULL.
 */
static const char *
summary_state_problem(const SummaryState *s)
{
	int64		sum;
	int			i;

	for (i = 0; i < NCOUNTS; i++)
		if (s->count[i] < 0)
			return psprintf("The count %s is negative.", count_names[i]);
	if (s->registered_unknown != 0 && s->registered_unknown != 1)
		return "The flag registered_complete is neither true nor false.";
	if (pg_add_s64_overflow(s->count[SEATS_FILLED], s->count[BY_ELECTIONS], &sum) ||
		pg_add_s64_overflow(sum, s->count[UNDECIDED], &sum) ||
		sum != s->count[SEATS])
		return "Seats filled, by-elections and undecided seats do not add up to the seats.";
	if (pg_add_s64_overflow(s->count[INVALID], s->count[VALID_VOTES], &sum) ||
		sum > s->count[CAST])
		return "Blank or invalid ballots and valid votes exceed the ballots cast.";
	if (!s->registered_unknown && s->count[CAST] > s->count[REGISTERED])
		return "Ballots cast exceed the registered voters, which every constituency knew.";
	if (s->count[SEATS] == 0)
	{
		for (i = 0; i < NCOUNTS; i++)
			if (s->count[i] != 0)
				return psprintf("The count %s is not 0 although there are no seats.", count_names[i]);
		if (s->registered_unknown)
			return "Registered voters cannot be incomplete without seats.";
	}
	return NULL;
}

/* A decimal count, at least 0 and at most INT64_MAX, at *p; advances *p. */
static bool
parse_count(const char **p, int64 *result)
{
	const char *s = *p;
	uint64		v = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
	{
		if (v > ((uint64) PG_INT64_MAX - (uint64) (*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64) (*s - '0');
	}
	*p = s;
	*result = (int64) v;
	return true;
}

static void
state_syntax_error(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type election_summary_state: \"%s\"", input),
			 errdetail("%s", detail),
			 errhint(SUMMARY_STATE_HINT)));
}

/* "name=" at *p, after one space unless it is the first; advances *p. */
static void
expect_name(const char **p, const char *name, bool first, const char *input)
{
	size_t		len = strlen(name);

	if (!first)
	{
		if (**p != ' ')
			state_syntax_error(input, psprintf("Expected a space before %s.", name));
		(*p)++;
	}
	if (strncmp(*p, name, len) != 0 || (*p)[len] != '=')
		state_syntax_error(input, psprintf("Expected %s=.", name));
	*p += len + 1;
}

PG_FUNCTION_INFO_V1(summary_state_in);
Datum
summary_state_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	SummaryState *s = palloc0(sizeof(SummaryState));
	const char *problem;
	int			i;

	while (*p == ' ')
		p++;
	for (i = 0; i < NCOUNTS; i++)
	{
		expect_name(&p, count_names[i], i == 0, input);
		if (!parse_count(&p, &s->count[i]))
			state_syntax_error(input, psprintf("The count %s is not a whole number between 0 and " INT64_FORMAT ".",
											   count_names[i], PG_INT64_MAX));
		if (i == REGISTERED)
		{
			expect_name(&p, REGISTERED_COMPLETE_NAME, false, input);
			if (strncmp(p, "true", 4) == 0)
				p += 4;
			else if (strncmp(p, "false", 5) == 0)
			{
				p += 5;
				s->registered_unknown = 1;
			}
			else
				state_syntax_error(input, "The flag " REGISTERED_COMPLETE_NAME " is neither true nor false.");
		}
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		state_syntax_error(input, "Unexpected text after the candidates count.");
	if ((problem = summary_state_problem(s)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("inconsistent election summary state: \"%s\"", input),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(summary_state_out);
Datum
summary_state_out(PG_FUNCTION_ARGS)
{
	const SummaryState *s = (const SummaryState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < NCOUNTS; i++)
	{
		appendStringInfo(&buf, "%s%s=" INT64_FORMAT, i == 0 ? "" : " ", count_names[i], s->count[i]);
		if (i == REGISTERED)
			appendStringInfo(&buf, " " REGISTERED_COMPLETE_NAME "=%s",
							 s->registered_unknown ? "false" : "true");
	}
	PG_RETURN_CSTRING(buf.data);
}

/*
 * The binary form, that of the 0.1.0 serialized state: format version, 1 if
 * registered voters are incomplete else 0, the counts.
 */
PG_FUNCTION_INFO_V1(summary_state_send);
Datum
summary_state_send(PG_FUNCTION_ARGS)
{
	const SummaryState *s = (const SummaryState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SUMMARY_SERIAL_VERSION);
	pq_sendbyte(&buf, s->registered_unknown ? 1 : 0);
	for (i = 0; i < NCOUNTS; i++)
		pq_sendint64(&buf, s->count[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Trusts nothing: length, version, flag and every rule of a state. */
PG_FUNCTION_INFO_V1(summary_state_recv);
Datum
summary_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SummaryState *s = palloc0(sizeof(SummaryState));
	const char *problem;
	int			version,
				flag,
				i;

	if (buf->len - buf->cursor != 2 + NCOUNTS * (int) sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid length of binary election summary state"),
				 errdetail("It has %d bytes, expected %d.", buf->len - buf->cursor,
						   2 + NCOUNTS * (int) sizeof(int64))));
	version = pq_getmsgbyte(buf);
	flag = pq_getmsgbyte(buf);
	if (version != SUMMARY_SERIAL_VERSION || (flag != 0 && flag != 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary election summary state"),
				 errdetail("Format version %d, flag %d.", version, flag)));
	s->registered_unknown = flag;
	for (i = 0; i < NCOUNTS; i++)
		s->count[i] = pq_getmsgint64(buf);
	if ((problem = summary_state_problem(s)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("inconsistent binary election summary state"),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(s);
}

/*
 * The transition over election_summary_state: the state starts as the
 * zero state (INITCOND) and is updated in place, which an aggregate
 * allows (AggCheckCallContext).  Not strict, as summary_add.
 */
static Datum
summary_state_add(FunctionCallInfo fcinfo, bool rules_form)
{
	MemoryContext context = maslihat_aggregate_context(fcinfo, "election_summary_transfn");
	SummaryState *state;

	check_rule_named(fcinfo, rules_form);
	state = PG_ARGISNULL(0) ? MemoryContextAllocZero(context, sizeof(SummaryState)) :
		(SummaryState *) PG_GETARG_POINTER(0);
	if (!PG_ARGISNULL(1))
		summary_accumulate(fcinfo, state, rules_form);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(summary_state_transfn);
Datum
summary_state_transfn(PG_FUNCTION_ARGS)
{
	return summary_state_add(fcinfo, false);
}

PG_FUNCTION_INFO_V1(summary_state_transfn_rules);
Datum
summary_state_transfn_rules(PG_FUNCTION_ARGS)
{
	return summary_state_add(fcinfo, true);
}

/* Adds the second state to the first, in place. */
PG_FUNCTION_INFO_V1(summary_state_combine);
Datum
summary_state_combine(PG_FUNCTION_ARGS)
{
	SummaryState *state;
	const SummaryState *other;
	int			i;

	(void) maslihat_aggregate_context(fcinfo, "election_summary_combine");
	state = (SummaryState *) PG_GETARG_POINTER(0);
	other = (const SummaryState *) PG_GETARG_POINTER(1);
	for (i = 0; i < NCOUNTS; i++)
		accumulate(&state->count[i], other->count[i]);
	state->registered_unknown |= other->registered_unknown;
	PG_RETURN_POINTER(state);
}

/* The summary row; NULL when no constituency was counted. */
PG_FUNCTION_INFO_V1(summary_state_finalfn);
Datum
summary_state_finalfn(PG_FUNCTION_ARGS)
{
	const SummaryState *s = (const SummaryState *) PG_GETARG_POINTER(0);

	if (s->count[SEATS] == 0)
		PG_RETURN_NULL();
	return summary_result(fcinfo, s);
}
