/*-------------------------------------------------------------------------
 *
 * audit_sql.c
 *	  Audit and election night in SQL: protocol_problems(),
 *	  compare_counts(), can_change().
 *
 * The checks, the comparison and the call live in core/audit.c; this file
 * unpacks arguments (a NULL count is a count not given, never an error)
 * and returns the core's values as rows.
 *
 * src/audit_sql.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "core/audit.h"
#include "core/outcome.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

/* Rows computed at the first call, returned one per call. */
typedef struct RowsContext
{
	int			nrows;
	int			natts;
	Datum	   *values;			/* nrows x natts */
	bool	   *nulls;
} RowsContext;

static RowsContext *
rows_alloc(int nrows, int natts)
{
	RowsContext *rows = palloc(sizeof(RowsContext));

	rows->nrows = nrows;
	rows->natts = natts;
	rows->values = palloc0(sizeof(Datum) * Max(nrows, 1) * natts);
	rows->nulls = palloc0(sizeof(bool) * Max(nrows, 1) * natts);
	return rows;
}

static Datum
rows_next(FunctionCallInfo fcinfo)
{
	FuncCallContext *funcctx = SRF_PERCALL_SETUP();
	RowsContext *rows = funcctx->user_fctx;

	if (funcctx->call_cntr < (uint64) rows->nrows)
	{
		int			at = (int) funcctx->call_cntr * rows->natts;

		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  rows->values + at,
														  rows->nulls + at)));
	}
	SRF_RETURN_DONE(funcctx);
}

static TupleDesc
result_tupdesc(FunctionCallInfo fcinfo, int natts)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (tupdesc->natts != natts)
		elog(ERROR, "result has %d columns, expected %d", tupdesc->natts, natts);
	return BlessTupleDesc(tupdesc);
}

static Datum
wide_numeric(mh_wide w)
{
	char		buf[MH_WIDE_DIGITS];

	return DirectFunctionCall3(numeric_in, CStringGetDatum(mh_wide_format(w, buf)),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static mh_count
count_arg(FunctionCallInfo fcinfo, int n)
{
	mh_count	c = {false, 0};

	if (!PG_ARGISNULL(n))
	{
		c.known = true;
		c.value = PG_GETARG_INT64(n);
	}
	return c;
}

/* A share tolerance argument: NULL turns its check off. */
static bool
share_arg(FunctionCallInfo fcinfo, int n, mh_fraction *share)
{
	if (PG_ARGISNULL(n))
		return false;
	maslihat_threshold_arg(PG_GETARG_DATUM(n), share);
	return true;
}

/* The elements of an array (any dimensions, read in storage order). */
static void
array_elements(ArrayType *array, Oid type, Datum **values, bool **nulls, int *n)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	deconstruct_array(array, type, typlen, typbyval, typalign, values, nulls, n);
}

enum
{
	PROBLEM_CODE,
	PROBLEM_SEVERITY,
	PROBLEM_MESSAGE,
	PROBLEM_CANDIDATE,
	PROBLEM_FOUND,
	PROBLEM_EXPECTED,
	PROBLEM_NATTS
};

/* arguments of protocol_problems */
enum
{
	ARG_CANDIDATES,
	ARG_VOTES,
	ARG_REGISTERED,
	ARG_ISSUED,
	ARG_CAST,
	ARG_BLANK,
	ARG_INVALID,
	ARG_DECLARED_VALID,
	ARG_SAME_VOTES,
	ARG_BLANK_SHARE,
	ARG_INVALID_SHARE,
	ARG_ADMITTED_SHARE,
	ARG_ADMITTED_MIN
};

/*
 * The four tolerance arguments from argument first on: blank_share,
 * invalid_share, admitted_share, admitted_min.
 */
static void
tolerances_arg(FunctionCallInfo fcinfo, int first, mh_audit_tolerances *tol)
{
	tol->blank_known = share_arg(fcinfo, first, &tol->blank_share);
	tol->invalid_known = share_arg(fcinfo, first + 1, &tol->invalid_share);
	tol->admitted_known = share_arg(fcinfo, first + 2, &tol->admitted_share);
	if (tol->admitted_known)
	{
		tol->admitted_min = PG_ARGISNULL(first + 3) ? 0 : PG_GETARG_INT64(first + 3);
		if (tol->admitted_min < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("admitted_min cannot be negative"),
					 errdetail("admitted_min is " INT64_FORMAT ".", tol->admitted_min),
					 errhint("Give the smallest difference between ballots issued and ballots cast worth a warning, such as 15.")));
	}
}

/* The problems of p as rows (in the current memory context). */
static RowsContext *
problem_rows(const mh_protocol *p, const mh_audit_tolerances *tol)
{
	mh_problem	problems[MH_AUDIT_MAX_PROBLEMS];
	int			nproblems,
				i;
	mh_error	err;
	RowsContext *rows;

	if (mh_audit_protocol(p, tol, &maslihat_palloc, problems, &nproblems, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);

	rows = rows_alloc(nproblems, PROBLEM_NATTS);
	for (i = 0; i < nproblems; i++)
	{
		const mh_problem *pr = &problems[i];
		Datum	   *v = rows->values + i * PROBLEM_NATTS;
		bool	   *nl = rows->nulls + i * PROBLEM_NATTS;

		v[PROBLEM_CODE] = CStringGetTextDatum(mh_problem_name(pr->code));
		v[PROBLEM_SEVERITY] = CStringGetTextDatum(mh_problem_severity(pr->code));
		v[PROBLEM_MESSAGE] = CStringGetTextDatum(pr->message);
		nl[PROBLEM_CANDIDATE] = pr->candidate < 0;
		if (pr->candidate >= 0)
		{
			size_t		at = (size_t) pr->candidate;

			v[PROBLEM_CANDIDATE] = p->keys != NULL ?
				maslihat_key_datum(p->keys[at].key, p->keys[at].len) :
				CStringGetTextDatum(psprintf(INT64_FORMAT, p->numbers[at]));
		}
		nl[PROBLEM_FOUND] = !pr->has_found;
		if (pr->has_found)
			v[PROBLEM_FOUND] = wide_numeric(pr->found);
		nl[PROBLEM_EXPECTED] = !pr->has_expected;
		if (pr->has_expected)
			v[PROBLEM_EXPECTED] = wide_numeric(pr->expected);
	}
	return rows;
}

/*
 * protocol_problems(candidates, votes, registered, ballots_issued,
 * ballots_cast, blank, invalid, declared_valid, same_votes, blank_share,
 * invalid_share, admitted_share, admitted_min): one row per problem.
 * Not strict: a NULL count is one not given (its checks are not made), a
 * NULL tolerance turns its check off.  Bad counts are rows, never errors;
 * only bad tolerances are.
 */
static Datum
problems_rows(FunctionCallInfo fcinfo, bool text_keys)
{
	if (SRF_IS_FIRSTCALL())
	{
		FuncCallContext *funcctx = SRF_FIRSTCALL_INIT();
		MemoryContext oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		mh_protocol p;
		mh_audit_tolerances tol;
		int			i;
		int64	   *votes = NULL;
		RowsContext *rows;

		funcctx->tuple_desc = result_tupdesc(fcinfo, PROBLEM_NATTS);
		memset(&p, 0, sizeof(p));
		memset(&tol, 0, sizeof(tol));
		p.registered = count_arg(fcinfo, ARG_REGISTERED);
		p.issued = count_arg(fcinfo, ARG_ISSUED);
		p.cast = count_arg(fcinfo, ARG_CAST);
		p.blank = count_arg(fcinfo, ARG_BLANK);
		p.invalid = count_arg(fcinfo, ARG_INVALID);
		p.declared_valid = count_arg(fcinfo, ARG_DECLARED_VALID);
		p.same_votes = PG_ARGISNULL(ARG_SAME_VOTES) ? 0 : PG_GETARG_INT64(ARG_SAME_VOTES);
		tolerances_arg(fcinfo, ARG_BLANK_SHARE, &tol);

		if (!PG_ARGISNULL(ARG_CANDIDATES))
		{
			Datum	   *values;
			bool	   *nulls;
			int			n;

			array_elements(PG_GETARG_ARRAYTYPE_P(ARG_CANDIDATES),
						   text_keys ? TEXTOID : INT8OID, &values, &nulls, &n);
			p.ncandidates = (size_t) n;
			p.candidate_null = nulls;
			if (text_keys)
			{
				mh_key_vote *keys = palloc0(sizeof(mh_key_vote) * Max(n, 1));

				for (i = 0; i < n; i++)
					if (!nulls[i])
						maslihat_text_key(DatumGetTextPP(values[i]), &keys[i].key, &keys[i].len);
				p.keys = keys;
			}
			else
			{
				int64	   *numbers = palloc0(sizeof(int64) * Max(n, 1));

				for (i = 0; i < n; i++)
					if (!nulls[i])
						numbers[i] = DatumGetInt64(values[i]);
				p.numbers = numbers;
			}
		}
		else if (text_keys)
			p.keys = palloc0(sizeof(mh_key_vote));
		else
			p.numbers = palloc0(sizeof(int64));

		if (!PG_ARGISNULL(ARG_VOTES))
		{
			Datum	   *values;
			bool	   *nulls;
			int			n;

			array_elements(PG_GETARG_ARRAYTYPE_P(ARG_VOTES), INT8OID, &values, &nulls, &n);
			votes = palloc0(sizeof(int64) * Max(n, 1));
			for (i = 0; i < n; i++)
				if (!nulls[i])
					votes[i] = DatumGetInt64(values[i]);
			p.votes = votes;
			p.votes_null = nulls;
			p.nvotes = (size_t) n;
		}

		rows = problem_rows(&p, &tol);
		funcctx->user_fctx = rows;
		MemoryContextSwitchTo(oldcontext);
	}
	return rows_next(fcinfo);
}

/* protocol_problems with text keys */
PG_FUNCTION_INFO_V1(protocol_problems_keys);
Datum
protocol_problems_keys(PG_FUNCTION_ARGS)
{
	return problems_rows(fcinfo, true);
}

/* protocol_problems with number keys */
PG_FUNCTION_INFO_V1(protocol_problems);
Datum
protocol_problems(PG_FUNCTION_ARGS)
{
	return problems_rows(fcinfo, false);
}

/* arguments of protocol_problems(tally, ...) */
enum
{
	TARG_TALLY,
	TARG_DECLARED_VALID,
	TARG_SAME_VOTES,
	TARG_BLANK_SHARE
};

/*
 * protocol_problems(t, declared_valid, same_votes, blank_share,
 * invalid_share, admitted_share, admitted_min): the same checks on a
 * stored tally, with its own registered voters, ballots issued and blank
 * ballots where it knows them.  Blank unknown, invalid(t) is checked as
 * one figure against invalid_share.  A stored tally keeps the hard
 * invariants, so only warnings and valid_mismatch can come out.  Not
 * strict, as the other forms: a NULL tally has no problems.
 */
PG_FUNCTION_INFO_V1(protocol_problems_tally);
Datum
protocol_problems_tally(PG_FUNCTION_ARGS)
{
	if (SRF_IS_FIRSTCALL())
	{
		FuncCallContext *funcctx = SRF_FIRSTCALL_INIT();
		MemoryContext oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		mh_protocol p;
		mh_audit_tolerances tol;
		mh_tally_extra x;
		RowsContext *rows;

		funcctx->tuple_desc = result_tupdesc(fcinfo, PROBLEM_NATTS);
		memset(&tol, 0, sizeof(tol));
		tolerances_arg(fcinfo, TARG_BLANK_SHARE, &tol);
		if (PG_ARGISNULL(TARG_TALLY))
			rows = rows_alloc(0, PROBLEM_NATTS);
		else
		{
			const mh_tally *t = PG_GETARG_TALLY(TARG_TALLY);
			uint32		n = t->ncandidates,
						i;
			int64	   *votes = palloc(sizeof(int64) * Max(n, 1));

			memset(&p, 0, sizeof(p));
			mh_tally_get_extra(t, &x);
			p.registered.known = mh_tally_registered_known(t);
			p.registered.value = t->registered;
			p.issued.known = x.issued_known;
			p.issued.value = x.issued;
			p.cast.known = true;
			p.cast.value = t->cast;
			p.blank.known = x.blank_known;
			p.blank.value = x.blank;
			p.invalid.known = true;
			p.invalid.value = x.blank_known ? t->invalid - x.blank : t->invalid;
			p.declared_valid = count_arg(fcinfo, TARG_DECLARED_VALID);
			p.same_votes = PG_ARGISNULL(TARG_SAME_VOTES) ? 0 : PG_GETARG_INT64(TARG_SAME_VOTES);
			if (mh_tally_key_kind(t) == MH_KEYS_TEXT)
			{
				mh_key_vote *keys = palloc(sizeof(mh_key_vote) * Max(n, 1));

				for (i = 0; i < n; i++)
					mh_tally_key(t, i, &keys[i].key, &keys[i].len);
				p.keys = keys;
			}
			else
			{
				int64	   *numbers = palloc(sizeof(int64) * Max(n, 1));

				for (i = 0; i < n; i++)
					numbers[i] = t->votes[i].candidate;
				p.numbers = numbers;
			}
			for (i = 0; i < n; i++)
			{
				CHECK_FOR_INTERRUPTS();
				votes[i] = t->votes[i].votes;
			}
			p.ncandidates = n;
			p.votes = votes;
			p.nvotes = n;
			rows = problem_rows(&p, &tol);
		}
		funcctx->user_fctx = rows;
		MemoryContextSwitchTo(oldcontext);
	}
	return rows_next(fcinfo);
}

enum
{
	DIFF_ITEM,
	DIFF_CANDIDATE,
	DIFF_IN_A,
	DIFF_IN_B,
	DIFF_DIFFERENCE,
	DIFF_CHANGES_WINNER,
	DIFF_CHANGES_VALIDITY,
	DIFF_NATTS
};

/*
 * compare_counts(a, b, rules): every count that differs, b minus a, with
 * whether the differences change the elected candidate or the validity
 * under the rules (each tally with its own registered voters).
 */
PG_FUNCTION_INFO_V1(compare_counts);
Datum
compare_counts(PG_FUNCTION_ARGS)
{
	if (SRF_IS_FIRSTCALL())
	{
		FuncCallContext *funcctx = SRF_FIRSTCALL_INIT();
		MemoryContext oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		const mh_tally *a = PG_GETARG_TALLY(0);
		const mh_tally *b = PG_GETARG_TALLY(1);
		mh_rules	rules;
		mh_outcome	oa,
					ob;
		mh_tristate winner,
					validity;
		mh_diff    *diffs;
		size_t		ndiffs,
					i;
		mh_error	err;
		RowsContext *rows;

		funcctx->tuple_desc = result_tupdesc(fcinfo, DIFF_NATTS);
		memset(&rules, 0, sizeof(rules));
		maslihat_rules_arg(PG_GETARG_DATUM(2), &rules);
		if (mh_tally_diff(a, b, &maslihat_palloc, &diffs, &ndiffs, &err) != MH_OK)
			maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
		mh_outcome_compute(a, &rules, &oa);
		mh_outcome_compute(b, &rules, &ob);
		winner = mh_winner_differs(a, &oa, b, &ob);
		validity = oa.valid == MH_UNKNOWN || ob.valid == MH_UNKNOWN ? MH_UNKNOWN :
			oa.valid != ob.valid ? MH_TRUE : MH_FALSE;

		rows = rows_alloc((int) ndiffs, DIFF_NATTS);
		for (i = 0; i < ndiffs; i++)
		{
			const mh_diff *d = &diffs[i];
			Datum	   *v = rows->values + i * DIFF_NATTS;
			bool	   *nl = rows->nulls + i * DIFF_NATTS;

			v[DIFF_ITEM] = CStringGetTextDatum(mh_diff_item_name(d->item));
			nl[DIFF_CANDIDATE] = d->item != MH_DIFF_VOTES;
			if (d->item == MH_DIFF_VOTES)
				v[DIFF_CANDIDATE] = d->a_index >= 0 ?
					maslihat_candidate_key(a, (uint32) d->a_index) :
					maslihat_candidate_key(b, (uint32) d->b_index);
			v[DIFF_IN_A] = Int64GetDatum(d->a);
			nl[DIFF_IN_A] = !d->a_known;
			v[DIFF_IN_B] = Int64GetDatum(d->b);
			nl[DIFF_IN_B] = !d->b_known;
			/* counts are >= 0, so b - a fits */
			v[DIFF_DIFFERENCE] = Int64GetDatum(d->b - d->a);
			nl[DIFF_DIFFERENCE] = !d->a_known || !d->b_known;
			v[DIFF_CHANGES_WINNER] = BoolGetDatum(winner == MH_TRUE);
			nl[DIFF_CHANGES_WINNER] = winner == MH_UNKNOWN;
			v[DIFF_CHANGES_VALIDITY] = BoolGetDatum(validity == MH_TRUE);
			nl[DIFF_CHANGES_VALIDITY] = validity == MH_UNKNOWN;
		}
		funcctx->user_fctx = rows;
		MemoryContextSwitchTo(oldcontext);
	}
	return rows_next(fcinfo);
}

enum
{
	CALL_REMAINING,
	CALL_MARGIN,
	CALL_BALLOTS_TO_VALID,
	CALL_LEADER_CAN_CHANGE,
	CALL_VALIDITY_CAN_CHANGE,
	CALL_WINNER_CAN_CHANGE,
	CALL_DECIDED,
	CALL_NATTS
};

/*
 * can_change(t, registered, rules [, remaining]) and can_change(t, rules)
 * (the tally's own registered voters; NULL if it does not know them): the
 * exact election-night call.  Not strict, for remaining: NULL means
 * registered - cast; any other NULL argument gives NULL.
 */
PG_FUNCTION_INFO_V1(can_change);
Datum
can_change(PG_FUNCTION_ARGS)
{
	const mh_tally *t;
	TupleDesc	tupdesc;
	int			rules_arg = PG_NARGS() >= 3 ? 2 : 1;
	int64		registered;
	int64		remaining = -1;
	mh_rules	rules;
	mh_call		call;
	mh_error	err;
	Datum		values[CALL_NATTS];
	bool		nulls[CALL_NATTS];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(rules_arg) || (PG_NARGS() >= 3 && PG_ARGISNULL(1)))
		PG_RETURN_NULL();
	t = PG_GETARG_TALLY(0);
	tupdesc = result_tupdesc(fcinfo, CALL_NATTS);
	if (PG_NARGS() >= 3)
	{
		registered = PG_GETARG_INT64(1);
		maslihat_check_registered_arg(t, registered);
	}
	else if (mh_tally_registered_known(t))
		registered = t->registered;
	else
		PG_RETURN_NULL();
	if (PG_NARGS() >= 4 && !PG_ARGISNULL(3))
	{
		remaining = PG_GETARG_INT64(3);
		if (remaining < 0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("remaining ballots cannot be negative"),
					 errdetail("remaining is " INT64_FORMAT ".", remaining)));
	}
	memset(&rules, 0, sizeof(rules));
	maslihat_rules_arg(PG_GETARG_DATUM(rules_arg), &rules);
	if (mh_can_change(t, registered, remaining, &rules, &call, &err) != MH_OK)
	{
		if (err.status == MH_EARGUMENT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("more ballots remaining than voters who have not voted"),
					 errdetail("%s", err.detail),
					 errhint("Give the ballots still to come, such as the registered voters of the stations not yet reported, or NULL for registered voters minus ballots cast.")));
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	}

	memset(nulls, 0, sizeof(nulls));
	values[CALL_REMAINING] = Int64GetDatum(call.remaining);
	values[CALL_MARGIN] = Int64GetDatum(call.margin);
	nulls[CALL_MARGIN] = !call.has_margin;
	values[CALL_BALLOTS_TO_VALID] = Int64GetDatum(call.ballots_to_valid);
	nulls[CALL_BALLOTS_TO_VALID] = call.ballots_to_valid < 0;
	values[CALL_LEADER_CAN_CHANGE] = BoolGetDatum(call.leader_can_change);
	values[CALL_VALIDITY_CAN_CHANGE] = BoolGetDatum(call.validity_can_change);
	values[CALL_WINNER_CAN_CHANGE] = BoolGetDatum(call.winner_can_change);
	values[CALL_DECIDED] = BoolGetDatum(call.decided);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
