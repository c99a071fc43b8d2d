/*-------------------------------------------------------------------------
 *
 * tally_json.c
 *	  The tally as jsonb, for reporting tools and web front ends, and back.
 *
 *	 {"registered": 1000, "cast": 620, "invalid": 3,
 *	  "votes": [{"candidate": 17, "votes": 300}, {"candidate": 42, "votes": 317}]}
 *
 * registered is null when unknown.  votes is an array of objects, ascending
 * by candidate, so jsonb_to_recordset reads it as rows.  Since 0.2.0 the
 * trailer's fields (core/tally.h) come as keys, each only when there is
 * something to say, as in the text form: "issued" when known, "blank" when
 * known and invalid > 0, "parts" and "provisional" when parts > 0.  The
 * way back accepts the same shape with the text form's defaults:
 * registered, issued or blank absent or null is unknown, invalid, parts
 * and provisional absent are 0, cast absent is invalid plus all votes,
 * votes absent is none.
 *
 * src/tally_json.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

#include "common/int.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#define TALLY_JSONB_MAX_CANDIDATES 4000000

/* A key and its bigint value (NULL if !known) into the object being built. */
static void
push_int64(JsonbParseState **state, const char *key, bool known, int64 value)
{
	JsonbValue	k;
	JsonbValue	v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &k);
	if (known)
	{
		v.type = jbvNumeric;
		v.val.numeric = DatumGetNumeric(maslihat_numeric(value));
	}
	else
		v.type = jbvNull;
	pushJsonbValue(state, WJB_VALUE, &v);
}

/* Built as a jsonb value directly: no JSON text to print and parse again. */
PG_FUNCTION_INFO_V1(tally_to_jsonb);
Datum
tally_to_jsonb(PG_FUNCTION_ARGS)
{
	const mh_tally *t = PG_GETARG_TALLY(0);
	JsonbParseState *state = NULL;
	JsonbValue	key;
	JsonbValue *result;
	uint32		i;

	/*
	 * A jsonb container holds at most 256 MB (JENTRY_OFFLENMASK); each
	 * candidate takes about 60 bytes in it, so beyond this it can never fit.
	 * Say so at once rather than after seconds of work.
	 */
	if (t->ncandidates > TALLY_JSONB_MAX_CANDIDATES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tally too large for jsonb"),
				 errdetail("The tally names %u candidates; jsonb can hold at most %d.",
						   (unsigned) t->ncandidates, TALLY_JSONB_MAX_CANDIDATES),
				 errhint("Use the text or binary form, or ranking() to read it as rows.")));

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	push_int64(&state, "registered", mh_tally_registered_known(t), t->registered);
	push_int64(&state, "cast", true, t->cast);
	push_int64(&state, "invalid", true, t->invalid);
	if (t->flags & MH_TALLY_TRAILER_FLAGS)
	{
		mh_tally_extra x;

		mh_tally_get_extra(t, &x);
		if (x.issued_known)
			push_int64(&state, "issued", true, x.issued);
		if (t->flags & MH_TALLY_BLANK_KNOWN)
			push_int64(&state, "blank", true, x.blank);
		if (x.parts > 0)
		{
			push_int64(&state, "parts", true, x.parts);
			push_int64(&state, "provisional", true, x.provisional);
		}
	}
	key.type = jbvString;
	key.val.string.val = "votes";
	key.val.string.len = 5;
	pushJsonbValue(&state, WJB_KEY, &key);
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < t->ncandidates; i++)
	{
		CHECK_FOR_INTERRUPTS();
		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		if (mh_tally_key_kind(t) == MH_KEYS_TEXT)
		{
			JsonbValue	k;
			JsonbValue	v;
			const char *keytext;
			uint32		len;

			mh_tally_key(t, i, &keytext, &len);
			k.type = jbvString;
			k.val.string.val = "candidate";
			k.val.string.len = 9;
			pushJsonbValue(&state, WJB_KEY, &k);
			v.type = jbvString;
			v.val.string.val = (char *) keytext;
			v.val.string.len = (int) len;
			pushJsonbValue(&state, WJB_VALUE, &v);
		}
		else
			push_int64(&state, "candidate", true, t->votes[i].candidate);
		push_int64(&state, "votes", true, t->votes[i].votes);
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	PG_RETURN_POINTER(JsonbValueToJsonb(result));
}

static void
json_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid tally in jsonb"),
			 errdetail("%s", detail),
			 errhint("A tally in jsonb looks like: {\"registered\": 1000, \"cast\": 620, \"invalid\": 3, \"votes\": [{\"candidate\": 17, \"votes\": 300}]}; a text key is a string: {\"candidate\": \"Smith\", \"votes\": 300}.")));
}

/* A whole JSON number in the bigint range. */
static int64
json_int64(JsonbValue *v, const char *what)
{
	Datum		num;

	if (v->type != jbvNumeric)
		json_error(psprintf("%s is not a number.", what));
	num = NumericGetDatum(v->val.numeric);
	if (numeric_is_nan(v->val.numeric) ||
		!DatumGetBool(DirectFunctionCall2(numeric_eq, num,
										  DirectFunctionCall2(numeric_trunc, num,
															  Int32GetDatum(0)))))
		json_error(psprintf("%s is not a whole number.", what));
	/* numeric_int8 raises 22003 beyond the bigint range */
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, num));
}

static JsonbValue *
json_key(JsonbContainer *container, const char *key)
{
	return getKeyJsonValueFromContainer(container, key, strlen(key), NULL);
}

PG_FUNCTION_INFO_V1(jsonb_to_tally);
Datum
jsonb_to_tally(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbValue *v;
	JsonbIterator *it;
	JsonbValue	item;
	JsonbIteratorToken token;
	bool		registered_known = false;
	int64		registered = 0,
				cast = 0,
				invalid = 0;
	bool		cast_given = false;
	mh_tally_extra extra = MH_TALLY_EXTRA_NONE;
	bool		has_extra = false;
	int64	   *candidates = NULL;
	int64	   *votes = NULL;
	mh_key_vote *keys = NULL;
	bool		text_keys = false;
	int			n = 0;
	mh_tally   *t;
	mh_error	err;

	if (!JB_ROOT_IS_OBJECT(jb))
		json_error("The value is not a JSON object.");

	/* no key but the known ones */
	it = JsonbIteratorInit(&jb->root);
	while ((token = JsonbIteratorNext(&it, &item, true)) != WJB_DONE)
	{
		static const char *const known[] = {
			"registered", "cast", "invalid", "votes", "issued", "blank", "parts", "provisional"
		};
		bool		found = false;
		int			k;

		if (token != WJB_KEY)
			continue;
		for (k = 0; k < lengthof(known) && !found; k++)
			found = item.val.string.len == (int) strlen(known[k]) &&
				strncmp(item.val.string.val, known[k], item.val.string.len) == 0;
		if (!found)
			json_error(psprintf("Key \"%.*s\" is not one of registered, cast, invalid, votes, issued, blank, parts, provisional.",
								item.val.string.len, item.val.string.val));
	}

	if ((v = json_key(&jb->root, "registered")) != NULL && v->type != jbvNull)
	{
		registered_known = true;
		registered = json_int64(v, "registered");
	}
	if ((v = json_key(&jb->root, "invalid")) != NULL)
		invalid = json_int64(v, "invalid");
	if ((v = json_key(&jb->root, "cast")) != NULL)
	{
		cast_given = true;
		cast = json_int64(v, "cast");
	}
	if ((v = json_key(&jb->root, "issued")) != NULL && v->type != jbvNull)
	{
		has_extra = extra.issued_known = true;
		extra.issued = json_int64(v, "issued");
	}
	if ((v = json_key(&jb->root, "blank")) != NULL && v->type != jbvNull)
	{
		has_extra = extra.blank_known = true;
		extra.blank = json_int64(v, "blank");
	}
	if ((v = json_key(&jb->root, "parts")) != NULL)
	{
		has_extra = true;
		extra.parts = json_int64(v, "parts");
	}
	if ((v = json_key(&jb->root, "provisional")) != NULL)
	{
		has_extra = true;
		extra.provisional = json_int64(v, "provisional");
	}
	if ((v = json_key(&jb->root, "votes")) != NULL)
	{
		JsonbContainer *array;
		int			i;

		if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
			json_error("votes is not an array.");
		array = v->val.binary.data;
		n = JsonContainerSize(array);
		candidates = palloc(sizeof(int64) * Max(n, 1));
		votes = palloc(sizeof(int64) * Max(n, 1));
		keys = palloc(sizeof(mh_key_vote) * Max(n, 1));
		for (i = 0; i < n; i++)
		{
			JsonbValue *elem = getIthJsonbValueFromContainer(array, i);
			JsonbValue *c,
					   *w;

			CHECK_FOR_INTERRUPTS();
			if (elem->type != jbvBinary || !JsonContainerIsObject(elem->val.binary.data) ||
				JsonContainerSize(elem->val.binary.data) != 2 ||
				(c = json_key(elem->val.binary.data, "candidate")) == NULL ||
				(w = json_key(elem->val.binary.data, "votes")) == NULL)
				json_error(psprintf("Element %d of votes is not an object of exactly candidate and votes.",
									i + 1));
			if (i == 0)
				text_keys = c->type == jbvString;
			if ((c->type == jbvString) != text_keys)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("candidates keyed by numbers and by text cannot be mixed"),
						 errdetail("Element %d of votes names its candidate by %s, element 1 by %s.",
								   i + 1, text_keys ? "a number" : "a string",
								   text_keys ? "a string" : "a number"),
						 errhint("Key every candidate of a tally by a number or every one by a string.")));
			votes[i] = json_int64(w, "A candidate's votes");
			if (text_keys)
			{
				char	   *s = pnstrdup(c->val.string.val, c->val.string.len);

				/* jsonb strings are in the database encoding */
				maslihat_text_key(cstring_to_text(s), &keys[i].key, &keys[i].len);
				keys[i].votes = votes[i];
			}
			else
				candidates[i] = json_int64(c, "A candidate");
		}
	}
	if (!cast_given)
	{
		int			i;

		cast = invalid;
		for (i = 0; i < n; i++)
			if (votes[i] < 0 || pg_add_s64_overflow(cast, votes[i], &cast))
				break;			/* mh_tally_build reports it */
	}

	if ((text_keys ?
		 mh_tally_build_keys(registered_known, registered, cast, invalid, keys,
							 (size_t) n, &maslihat_tally_palloc, &t, &err) :
		 mh_tally_build(registered_known, registered, cast, invalid, candidates, votes,
						(size_t) n, &maslihat_tally_palloc, &t, &err)) != MH_OK)
		maslihat_raise(&err, SOURCE_TEXT, NULL);
	if (has_extra)
	{
		mh_tally   *with;

		if (mh_tally_with_extra(t, &extra, &maslihat_tally_palloc, &with, &err) != MH_OK)
			maslihat_raise(&err, SOURCE_TEXT, NULL);
		t = with;
	}
	PG_RETURN_DATUM(maslihat_tally_datum(t));
}
