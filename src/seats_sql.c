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
 * Both aggregates share one state type, seats_state (the core's mh_seats;
 * see below), and one transition and combine function; only the final
 * functions differ.
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

static void
seats_raise(const mh_error *err)
{
	maslihat_raise(err, SOURCE_ARGUMENT, NULL);
}

/*
 * Adds one constituency, the non-NULL tally of argument 1, with the
 * parties object and rules of the arguments after it.  A NULL parties
 * object means every key is its own party; with rules, a seat is filled
 * only where outcome(t, rules) elects someone, so a NULL rules (validity
 * unknown) leaves the seat empty.
 */
static void
seats_add_constituency(FunctionCallInfo fcinfo, mh_seats *seats)
{
	const mh_tally *t = PG_GETARG_TALLY(1);
	Jsonb	   *parties = NULL;
	mh_seat_candidate *candidates;
	bool		text_keys;
	bool		may_elect = true;
	uint32		i;
	mh_error	err;

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
	if (mh_seats_add_seat(seats, candidates, t->ncandidates,
						  mh_tally_registered_known(t), t->registered, t->cast, t->invalid,
						  may_elect, &err) != MH_OK)
		seats_raise(&err);
	pfree(candidates);
}

/*
 * ----------------------------------------------------------------------
 * seats_state: the state of party_seats and seat_summary as a type of its
 * own, so that a partial state is an ordinary value (a parallel worker's
 * reaches the leader flat; Citus sends it from a worker to the
 * coordinator through seats_state_out and seats_state_in).
 *
 * The flat form is a varlena holding the core's binary form of the state
 * (mh_seats_encode; see core/seats.h), the same bytes as the binary
 * send/recv.  The text form is those bytes in hex after the prefix
 * "seats:".  Every way in (text, binary, a flat state reaching a
 * transition, combine or final function) goes through mh_seats_decode,
 * which checks everything; every way out writes the canonical encoding.
 *
 * While an aggregate runs, the state is a read-write expanded object
 * holding the core's mh_seats, in the states' memory context
 * (maslihat_states_context), updated in place and returned unchanged, as
 * tally_agg.c does with tallies.  A flat or read-only state is expanded
 * into a new object on first touch.  The final functions only read.
 * ----------------------------------------------------------------------
 */

#define SEATS_TEXT_PREFIX	"seats:"
#define SEATS_STATE_HINT	"A seats state is written as seats: followed by the hexadecimal digits of its binary form, as seats_state_out writes it; make one with party_seats's transition function rather than by hand."

typedef struct SeatsExpanded
{
	ExpandedObjectHeader hdr;
	mh_allocator alloc;			/* palloc in the states' context */
	mh_seats	seats;
	uint8	   *flat;			/* the encoding, cached by flat_size */
	size_t		flat_len;
} SeatsExpanded;

/* The canonical encoding of a state, allocated with alloc. */
static void
seats_encode(const mh_seats *seats, const mh_allocator *alloc, uint8 **buf, size_t *len)
{
	mh_seats_result r;
	mh_error	err;

	if (mh_seats_result_make(seats, &maslihat_palloc, &r, &err) != MH_OK ||
		mh_seats_encode(&r, alloc, buf, len, &err) != MH_OK)
		seats_raise(&err);
	mh_seats_result_release(&r, &maslihat_palloc);
	if (*len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("seats state too large"),
				 errdetail("Its binary form takes %zu bytes, more than a value can hold.", *len)));
}

/* Reads a state's binary form into seats, or ERROR (22P03 or 22P02). */
static void
seats_decode(const uint8 *buf, size_t len, mh_seats *seats, const mh_allocator *alloc,
			 MaslihatSource source)
{
	mh_error	err;

	if (mh_seats_decode(buf, len, seats, alloc, maslihat_hash_seed(), &err) != MH_OK)
		maslihat_raise(&err, source, NULL);
}

/* A flat state datum of a state's canonical encoding. */
static Datum
seats_flat_datum(const mh_seats *seats)
{
	uint8	   *buf;
	size_t		len;
	bytea	   *result;

	seats_encode(seats, &maslihat_palloc, &buf, &len);
	result = palloc(VARHDRSZ + len);
	memcpy(VARDATA(result), buf, len);
	SET_VARSIZE(result, VARHDRSZ + len);
	pfree(buf);
	PG_RETURN_BYTEA_P(result);
}

static Size
seats_expanded_flat_size(ExpandedObjectHeader *eohptr)
{
	SeatsExpanded *e = (SeatsExpanded *) eohptr;

	if (e->flat == NULL)
		seats_encode(&e->seats, &e->alloc, &e->flat, &e->flat_len);
	return VARHDRSZ + e->flat_len;
}

static void
seats_expanded_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	SeatsExpanded *e = (SeatsExpanded *) eohptr;

	if (e->flat == NULL || allocated_size != VARHDRSZ + e->flat_len)
		elog(ERROR, "seats state flattened without its size");
	memcpy(VARDATA(result), e->flat, e->flat_len);
	SET_VARSIZE(result, allocated_size);
}

static const ExpandedObjectMethods seats_expanded_methods = {
	seats_expanded_flat_size,
	seats_expanded_flatten
};

/* The state is about to change: its cached encoding is stale. */
static inline void
seats_touch(SeatsExpanded *e)
{
	if (e->flat != NULL)
	{
		pfree(e->flat);
		e->flat = NULL;
	}
}

/* The expanded object behind a datum if it is one of ours, else NULL. */
static inline SeatsExpanded *
seats_expanded_of(Datum d)
{
	return (SeatsExpanded *) maslihat_expanded_of(d, &seats_expanded_methods);
}

/*
 * A new state in the aggregate's states context: a copy of the state datum
 * from (flat or expanded), or empty if from is NULL.
 */
static SeatsExpanded *
seats_expanded_create(MemoryContext aggcontext, Datum from, bool from_null)
{
	MemoryContext objcontext = maslihat_states_context(aggcontext);
	SeatsExpanded *e = MemoryContextAllocZero(objcontext, sizeof(SeatsExpanded));
	SeatsExpanded *other = from_null ? NULL : seats_expanded_of(from);
	mh_error	err;

	EOH_init_header(&e->hdr, &seats_expanded_methods, objcontext);
	maslihat_context_allocator(&e->alloc, objcontext);
	if (!from_null && other == NULL)
	{
		bytea	   *flat = DatumGetByteaPP(from);

		seats_decode((const uint8 *) VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat),
					 &e->seats, &e->alloc, SOURCE_BINARY);
		return e;
	}
	if (mh_seats_init(&e->seats, &e->alloc, maslihat_hash_seed(), &err) != MH_OK ||
		(other != NULL && mh_seats_merge(&e->seats, &other->seats, &err) != MH_OK))
		seats_raise(&err);
	return e;
}

/*
 * The state argument 0 as a state a transition or combine function may
 * update: the read-write expanded object it is, or a new one (a copy of a
 * flat or read-only state, or empty for NULL).  Only a new object needs
 * the aggregate's context, so later rows skip the check.
 */
static SeatsExpanded *
seats_expanded_state(FunctionCallInfo fcinfo, const char *name)
{
	SeatsExpanded *e;

	if (!PG_ARGISNULL(0) && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))) &&
		(e = seats_expanded_of(PG_GETARG_DATUM(0))) != NULL)
	{
		seats_touch(e);
		return e;
	}
	return seats_expanded_create(maslihat_aggregate_context(fcinfo, name),
								 PG_GETARG_DATUM(0), PG_ARGISNULL(0));
}

#define PG_RETURN_SEATS_EXPANDED(e)	PG_RETURN_DATUM(EOHPGetRWDatum(&(e)->hdr))

/*
 * The mh_seats of a state datum, read only: an expanded state's own, or a
 * flat state decoded into a temporary one.
 */
static const mh_seats *
seats_of_datum(Datum d)
{
	SeatsExpanded *e = seats_expanded_of(d);
	mh_seats   *tmp;
	bytea	   *flat;

	if (e != NULL)
		return &e->seats;
	flat = DatumGetByteaPP(d);
	tmp = palloc(sizeof(mh_seats));
	seats_decode((const uint8 *) VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat), tmp,
				 &maslihat_palloc, SOURCE_BINARY);
	return tmp;
}

/*
 * party_seats(t [, parties [, rules]]) and seat_summary(...): one
 * constituency.  Not strict: a NULL tally is skipped, as sum() skips
 * NULLs (the state stays NULL until a constituency is counted), and NULL
 * parties or rules mean what seats_add_constituency says.
 */
PG_FUNCTION_INFO_V1(seats_state_transfn);
Datum
seats_state_transfn(PG_FUNCTION_ARGS)
{
	SeatsExpanded *e;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	e = seats_expanded_state(fcinfo, "seats_transfn");
	seats_add_constituency(fcinfo, &e->seats);
	PG_RETURN_SEATS_EXPANDED(e);
}

/*
 * Adds the second state (flat or expanded; disjoint constituencies) to the
 * first.  Not strict: a NULL second state returns the first as it is
 * (NULL if there is none yet); a NULL first becomes a new state.
 */
PG_FUNCTION_INFO_V1(seats_state_combine);
Datum
seats_state_combine(PG_FUNCTION_ARGS)
{
	SeatsExpanded *e;
	mh_error	err;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	e = seats_expanded_state(fcinfo, "seats_combine");
	if (mh_seats_merge(&e->seats, seats_of_datum(PG_GETARG_DATUM(1)), &err) != MH_OK)
		seats_raise(&err);
	PG_RETURN_SEATS_EXPANDED(e);
}

/* "seats:" and lowercase hex of the binary form. */
PG_FUNCTION_INFO_V1(seats_state_out);
Datum
seats_state_out(PG_FUNCTION_ARGS)
{
	static const char digits[] = "0123456789abcdef";
	bytea	   *flat = PG_GETARG_BYTEA_PP(0);
	const uint8 *p = (const uint8 *) VARDATA_ANY(flat);
	size_t		len = VARSIZE_ANY_EXHDR(flat);
	size_t		prefix = strlen(SEATS_TEXT_PREFIX);
	char	   *out = palloc(add_size(add_size(prefix, mul_size(len, 2)), 1));
	char	   *q = out + prefix;
	size_t		i;

	memcpy(out, SEATS_TEXT_PREFIX, prefix);
	for (i = 0; i < len; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		*q++ = digits[p[i] >> 4];
		*q++ = digits[p[i] & 0xF];
	}
	*q = '\0';
	PG_RETURN_CSTRING(out);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
seats_state_syntax_error(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type seats_state: \"%s\"",
					strlen(input) > 80 ? psprintf("%.77s...", input) : input),
			 errdetail("%s", detail),
			 errhint(SEATS_STATE_HINT)));
}

/*
 * The text form: the prefix, then an even number of hex digits (either
 * case), white space allowed around it.  The bytes are checked by the
 * core as a binary state's are, then stored in their canonical encoding.
 */
PG_FUNCTION_INFO_V1(seats_state_in);
Datum
seats_state_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	const char *end;
	size_t		ndigits,
				i;
	uint8	   *bytes;
	mh_seats	seats;
	mh_error	err;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (strncmp(p, SEATS_TEXT_PREFIX, strlen(SEATS_TEXT_PREFIX)) != 0)
		seats_state_syntax_error(input, "It does not begin with " SEATS_TEXT_PREFIX ".");
	p += strlen(SEATS_TEXT_PREFIX);
	for (end = p; hex_digit(*end) >= 0; end++)
		;
	ndigits = end - p;
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (*end != '\0')
		seats_state_syntax_error(input, "Only hexadecimal digits may follow " SEATS_TEXT_PREFIX ".");
	if (ndigits % 2 != 0)
		seats_state_syntax_error(input, "It has an odd number of hexadecimal digits.");
	bytes = palloc(Max(ndigits / 2, 1));
	for (i = 0; i < ndigits / 2; i++)
		bytes[i] = (uint8) (hex_digit(p[2 * i]) << 4 | hex_digit(p[2 * i + 1]));
	if (mh_seats_decode(bytes, ndigits / 2, &seats, &maslihat_palloc, maslihat_hash_seed(),
						&err) != MH_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid seats state: \"%s\"",
						strlen(input) > 80 ? psprintf("%.77s...", input) : input),
				 errdetail("%s", err.detail),
				 errhint(SEATS_STATE_HINT)));
	pfree(bytes);
	return seats_flat_datum(&seats);
}

/* The binary form, the flat state's bytes. */
PG_FUNCTION_INFO_V1(seats_state_send);
Datum
seats_state_send(PG_FUNCTION_ARGS)
{
	bytea	   *flat = PG_GETARG_BYTEA_PP(0);
	bytea	   *result = palloc(VARHDRSZ + VARSIZE_ANY_EXHDR(flat));

	memcpy(VARDATA(result), VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat));
	SET_VARSIZE(result, VARHDRSZ + VARSIZE_ANY_EXHDR(flat));
	PG_RETURN_BYTEA_P(result);
}

/* Trusts nothing: the core checks the bytes as the text input does. */
PG_FUNCTION_INFO_V1(seats_state_recv);
Datum
seats_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	mh_seats	seats;

	seats_decode((const uint8 *) buf->data + buf->cursor, buf->len - buf->cursor, &seats,
				 &maslihat_palloc, SOURCE_BINARY);
	buf->cursor = buf->len;
	return seats_flat_datum(&seats);
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

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (mh_seats_result_make(seats_of_datum(PG_GETARG_DATUM(0)), &maslihat_palloc, &r, &err) != MH_OK)
		seats_raise(&err);

	array_type = get_func_rettype(fcinfo->flinfo->fn_oid);
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
	mh_seats_result r;
	const mh_seats_result *s = &r;
	mh_error	err;
	TupleDesc	tupdesc;
	Datum		values[SUM_NCOLS];
	bool		nulls[SUM_NCOLS] = {false};
	int64		largest,
				most;
	mh_party_indices ix;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (mh_seats_result_make(seats_of_datum(PG_GETARG_DATUM(0)), &maslihat_palloc, &r, &err) != MH_OK)
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

/*
 * A party's votes in a tally keyed by party: argument argno, a number if
 * by_number (the bigint overload's entry point), else text.  Each overload
 * has its own entry point, so nothing here depends on the call's
 * expression, which a caller from C may not give.
 */
static int64
party_votes(const mh_tally *t, FunctionCallInfo fcinfo, int argno, bool by_number)
{
	const mh_vote *v;

	if (mh_tally_key_kind(t) == MH_KEYS_NONE)
		return 0;
	if (by_number)
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
static Datum
swing(FunctionCallInfo fcinfo, bool by_number)
{
	const mh_tally *before = PG_GETARG_TALLY(0);
	const mh_tally *after = PG_GETARG_TALLY(1);
	Datum		rise,
				fall,
				sum;

	if (mh_tally_valid_votes(before) == 0 || mh_tally_valid_votes(after) == 0)
		PG_RETURN_NULL();
	rise = share_change(before, party_votes(before, fcinfo, 3, by_number),
						after, party_votes(after, fcinfo, 3, by_number));
	fall = share_change(before, party_votes(before, fcinfo, 2, by_number),
						after, party_votes(after, fcinfo, 2, by_number));
	sum = DirectFunctionCall2(numeric_sub, rise, fall);
	PG_RETURN_DATUM(DirectFunctionCall1(numeric_trim_scale,
										DirectFunctionCall2(numeric_div, sum, maslihat_numeric(2))));
}

/* butler_swing(tally, tally, text, text) */
PG_FUNCTION_INFO_V1(butler_swing);
Datum
butler_swing(PG_FUNCTION_ARGS)
{
	return swing(fcinfo, false);
}

/* butler_swing(tally, tally, bigint, bigint) */
PG_FUNCTION_INFO_V1(butler_swing_bigint);
Datum
butler_swing_bigint(PG_FUNCTION_ARGS)
{
	return swing(fcinfo, true);
}
