/*-------------------------------------------------------------------------
 *
 * tally_protocol.c
 *	  What a protocol records beyond the 1994 counts: blank ballots apart
 *	  from otherwise invalid ones, ballots issued, and the parts (station
 *	  protocols) a tally holds with its provisional or final mark.
 *
 * The values live in the tally's trailer (core/tally.h).  Readers return
 * NULL where the tally does not know; setters return a new tally.
 *
 * src/tally_protocol.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "utils/builtins.h"

static void
extra_of(const mh_tally *t, mh_tally_extra *x)
{
	mh_tally_get_extra(t, x);
}

PG_FUNCTION_INFO_V1(tally_blank);
Datum
tally_blank(PG_FUNCTION_ARGS)
{
	mh_tally_extra x;

	extra_of(PG_GETARG_TALLY(0), &x);
	if (!x.blank_known)
		PG_RETURN_NULL();
	PG_RETURN_INT64(x.blank);
}

/* invalid - blank: the ballots invalid for another reason than being blank. */
PG_FUNCTION_INFO_V1(tally_other_invalid);
Datum
tally_other_invalid(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	mh_tally_extra x;

	extra_of(t, &x);
	if (!x.blank_known)
		PG_RETURN_NULL();
	PG_RETURN_INT64(t->invalid - x.blank);
}

PG_FUNCTION_INFO_V1(tally_ballots_issued);
Datum
tally_ballots_issued(PG_FUNCTION_ARGS)
{
	mh_tally_extra x;

	extra_of(PG_GETARG_TALLY(0), &x);
	if (!x.issued_known)
		PG_RETURN_NULL();
	PG_RETURN_INT64(x.issued);
}

PG_FUNCTION_INFO_V1(tally_parts);
Datum
tally_parts(PG_FUNCTION_ARGS)
{
	mh_tally_extra x;

	extra_of(PG_GETARG_TALLY(0), &x);
	PG_RETURN_INT64(x.parts);
}

PG_FUNCTION_INFO_V1(tally_provisional_parts);
Datum
tally_provisional_parts(PG_FUNCTION_ARGS)
{
	mh_tally_extra x;

	extra_of(PG_GETARG_TALLY(0), &x);
	PG_RETURN_INT64(x.provisional);
}

/* true: every part final; false: some provisional; NULL: no parts mark. */
PG_FUNCTION_INFO_V1(tally_is_final);
Datum
tally_is_final(PG_FUNCTION_ARGS)
{
	mh_tally_extra x;

	extra_of(PG_GETARG_TALLY(0), &x);
	if (x.parts == 0)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(x.provisional == 0);
}

/* The tally with trailer x; an invariant broken is an argument error. */
static Datum
tally_with(const mh_tally *t, const mh_tally_extra *x, const char *hint)
{
	mh_tally   *result;
	mh_error	err;

	if (mh_tally_with_extra(t, x, &maslihat_tally_palloc, &result, &err) != MH_OK)
		maslihat_raise_hint(&err, SOURCE_ARGUMENT, hint);
	return maslihat_tally_datum(result);
}

/*
 * with_blank(t, blank) and with_ballots_issued(t, issued): not strict, as
 * with_registered: a NULL count makes it unknown (and a NULL tally gives
 * NULL).  The one body of both; issued says which count is set.
 */
static Datum
tally_with_count(FunctionCallInfo fcinfo, bool issued, const char *hint)
{
	const mh_tally *t;
	mh_tally_extra x;
	bool		known = !PG_ARGISNULL(1);
	int64		value = known ? PG_GETARG_INT64(1) : 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = PG_GETARG_TALLY(0);
	extra_of(t, &x);
	if (issued)
	{
		x.issued_known = known;
		x.issued = value;
	}
	else
	{
		x.blank_known = known;
		x.blank = value;
	}
	PG_RETURN_DATUM(tally_with(t, &x, hint));
}

PG_FUNCTION_INFO_V1(tally_with_blank);
Datum
tally_with_blank(PG_FUNCTION_ARGS)
{
	return tally_with_count(fcinfo, false,
							"Blank ballots are counted among the blank or invalid ballots: give at most invalid(t), or NULL when they are not known.");
}

PG_FUNCTION_INFO_V1(tally_with_ballots_issued);
Datum
tally_with_ballots_issued(PG_FUNCTION_ARGS)
{
	return tally_with_count(fcinfo, true,
							"Ballots issued are the voters admitted, at most the registered voters; to list protocols whose ballots issued and cast differ, use protocol_problems.");
}

/* with_parts(t, parts, provisional): the parts mark set (parts 0 clears it). */
PG_FUNCTION_INFO_V1(tally_with_parts);
Datum
tally_with_parts(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	mh_tally_extra x;

	extra_of(t, &x);
	x.parts = PG_GETARG_INT64(1);
	x.provisional = PG_GETARG_INT64(2);
	PG_RETURN_DATUM(tally_with(t, &x,
							   "Give how many parts (station protocols) the tally holds and how many of them are provisional, at most all of them."));
}

/* as_part(t, final): one part, provisional unless final. */
PG_FUNCTION_INFO_V1(tally_as_part);
Datum
tally_as_part(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	mh_tally_extra x;

	extra_of(t, &x);
	x.parts = 1;
	x.provisional = PG_GETARG_BOOL(1) ? 0 : 1;
	PG_RETURN_DATUM(tally_with(t, &x, NULL));
}
