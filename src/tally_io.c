/*-------------------------------------------------------------------------
 *
 * tally_io.c
 *	  The tally type's input and output, text and binary, and its
 *	  constructors and operators.
 *
 * src/tally_io.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "miscadmin.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "core/tally_binary.h"
#include "core/tally_text.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(tally_in);
Datum
tally_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	mh_tally   *t;
	mh_error	err;

	if (mh_tally_parse(text, &maslihat_tally_palloc, &t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_TEXT, text);
	PG_RETURN_DATUM(maslihat_tally_datum(t));
}

PG_FUNCTION_INFO_V1(tally_out);
Datum
tally_out(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	size_t		size = mh_tally_format_size(t);
	char	   *buf;

	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tally too large for its text form"),
				 errdetail("The text form of this tally of %u candidates would take %zu bytes; at most %zu are allowed.",
						   (unsigned) t->ncandidates, size, (size_t) MaxAllocSize),
				 errhint("Use the binary form (COPY ... (FORMAT binary)) or ranking() to read it.")));
	buf = palloc(size);
	mh_tally_format(t, buf, &maslihat_palloc);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(tally_recv);
Datum
tally_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	mh_tally   *t;
	mh_error	err;

	if (mh_tally_decode((const uint8_t *) buf->data + buf->cursor,
						(size_t) (buf->len - buf->cursor),
						&maslihat_tally_palloc, &t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_BINARY, NULL);
	buf->cursor = buf->len;
	PG_RETURN_DATUM(maslihat_tally_datum(t));
}

/*
 * A tally from the text of another string type (varchar): the same as
 * tally_in.  As a cast with a function it also keeps tally(varchar_column)
 * an aggregate call: without it PostgreSQL would read that call as a cast
 * of the column to tally through its text form.
 */
PG_FUNCTION_INFO_V1(tally_from_text);
Datum
tally_from_text(PG_FUNCTION_ARGS)
{
	char	   *input = text_to_cstring(PG_GETARG_TEXT_PP(0));
	mh_tally   *t;
	mh_error	err;

	if (mh_tally_parse(input, &maslihat_tally_palloc, &t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_TEXT, input);
	PG_RETURN_DATUM(maslihat_tally_datum(t));
}

PG_FUNCTION_INFO_V1(tally_send);
Datum
tally_send(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	size_t		size = mh_tally_binary_size(t);
	bytea	   *result = palloc(VARHDRSZ + size);

	mh_tally_encode(t, (uint8_t *) VARDATA(result));
	SET_VARSIZE(result, VARHDRSZ + size);
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(tally_eq);
Datum
tally_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(mh_tally_equal(PG_GETARG_TALLY(0), PG_GETARG_TALLY(1)));
}

PG_FUNCTION_INFO_V1(tally_ne);
Datum
tally_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!mh_tally_equal(PG_GETARG_TALLY(0), PG_GETARG_TALLY(1)));
}

/* Tallies are canonical, so equal tallies have equal bytes to hash. */
PG_FUNCTION_INFO_V1(tally_hash);
Datum
tally_hash(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);

	return hash_any((const unsigned char *) t, (int) mh_tally_total_size(t));
}

PG_FUNCTION_INFO_V1(tally_add);
Datum
tally_add(PG_FUNCTION_ARGS)
{
	mh_tally   *t;
	mh_error	err;

	const mh_tally *a = PG_GETARG_TALLY(0);
	const mh_tally *b;

	/* detoasting a big tally takes long: a cancel may come in between */
	CHECK_FOR_INTERRUPTS();
	b = PG_GETARG_TALLY(1);
	CHECK_FOR_INTERRUPTS();
	if (mh_tally_add(a, b, &maslihat_tally_palloc, &t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_DATUM(maslihat_tally_datum(t));
}

/* The elements of a one-dimensional bigint array without NULLs. */
static int64 *
bigint_elements(ArrayType *array, const char *name, int *count)
{
	Datum	   *values;
	bool	   *nulls;
	int64	   *result;
	int			i;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", name),
				 errdetail("The array has %d dimensions.", ARR_NDIM(array))));
	deconstruct_array(array, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &values, &nulls, count);
	result = palloc(sizeof(int64) * Max(*count, 1));
	for (i = 0; i < *count; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", name),
					 errdetail("Element %d is NULL.", i + 1)));
		result[i] = DatumGetInt64(values[i]);
	}
	return result;
}

static void
require_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", name),
				 errhint("Only registered may be NULL, for a count whose registered voters are unknown.")));
}

/*
 * make_tally(registered, cast, invalid, candidates[], votes[]): a station
 * or constituency protocol.  Not strict: a NULL registered means unknown;
 * any other NULL is an error rather than a silent NULL tally.
 */
PG_FUNCTION_INFO_V1(tally_make);
Datum
tally_make(PG_FUNCTION_ARGS)
{
	int64	   *candidates;
	int64	   *votes;
	int			ncandidates,
				nvotes;
	mh_tally   *t;
	mh_error	err;

	require_not_null(fcinfo, 1, "cast");
	require_not_null(fcinfo, 2, "invalid");
	require_not_null(fcinfo, 3, "candidates");
	require_not_null(fcinfo, 4, "votes");
	candidates = bigint_elements(PG_GETARG_ARRAYTYPE_P(3), "candidates", &ncandidates);
	votes = bigint_elements(PG_GETARG_ARRAYTYPE_P(4), "votes", &nvotes);
	if (ncandidates != nvotes)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("candidates and votes must have the same length"),
				 errdetail("There are %d candidates and %d vote counts.",
						   ncandidates, nvotes)));
	if (mh_tally_build(!PG_ARGISNULL(0), PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0),
					   PG_GETARG_INT64(1), PG_GETARG_INT64(2),
					   candidates, votes, (size_t) ncandidates,
					   &maslihat_tally_palloc, &t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_DATUM(maslihat_tally_datum(t));
}

/*
 * make_tally(registered, cast, invalid, keys text[], votes[]): the same
 * with text keys.
 */
PG_FUNCTION_INFO_V1(tally_make_keys);
Datum
tally_make_keys(PG_FUNCTION_ARGS)
{
	ArrayType  *array;
	Datum	   *values;
	bool	   *nulls;
	int64	   *votes;
	int			ncandidates,
				nvotes,
				i;
	mh_key_vote *keys;
	mh_tally   *t;
	mh_error	err;

	require_not_null(fcinfo, 1, "cast");
	require_not_null(fcinfo, 2, "invalid");
	require_not_null(fcinfo, 3, "candidates");
	require_not_null(fcinfo, 4, "votes");
	array = PG_GETARG_ARRAYTYPE_P(3);
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("candidates must be a one-dimensional array"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(array))));
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &values, &nulls, &ncandidates);
	votes = bigint_elements(PG_GETARG_ARRAYTYPE_P(4), "votes", &nvotes);
	if (ncandidates != nvotes)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("candidates and votes must have the same length"),
				 errdetail("There are %d candidates and %d vote counts.",
						   ncandidates, nvotes)));
	keys = palloc(sizeof(mh_key_vote) * Max(ncandidates, 1));
	for (i = 0; i < ncandidates; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("candidates must not contain NULL"),
					 errdetail("Element %d is NULL.", i + 1),
					 errhint("Blank or invalid ballots are counted in invalid, not as a candidate.")));
		maslihat_text_key(DatumGetTextPP(values[i]), &keys[i].key, &keys[i].len);
		keys[i].votes = votes[i];
	}
	if (mh_tally_build_keys(!PG_ARGISNULL(0), PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0),
							PG_GETARG_INT64(1), PG_GETARG_INT64(2),
							keys, (size_t) ncandidates,
							&maslihat_tally_palloc, &t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_DATUM(maslihat_tally_datum(t));
}

/*
 * with_registered(tally, registered): the same count with its registered
 * voters set.  Not strict: a NULL registered makes it unknown.
 */
PG_FUNCTION_INFO_V1(tally_with_registered);
Datum
tally_with_registered(PG_FUNCTION_ARGS)
{
	mh_tally   *t;
	mh_error	err;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (mh_tally_with_registered(PG_GETARG_TALLY(0), !PG_ARGISNULL(1),
								 PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1),
								 &maslihat_tally_palloc, &t, &err) != MH_OK)
		maslihat_raise(&err, SOURCE_ARGUMENT, NULL);
	PG_RETURN_DATUM(maslihat_tally_datum(t));
}
