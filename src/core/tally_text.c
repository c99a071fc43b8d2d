/*-------------------------------------------------------------------------
 *
 * tally_text.c
 *	  Parser and formatter of the tally's text form (see tally_text.h).
 *
 * src/core/tally_text.c
 *
 *-------------------------------------------------------------------------
 */
#include "tally_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct parser
{
	const char *start;
	const char *p;
	mh_error   *err;
} parser;

/* Longest piece of the input quoted in a syntax error's detail. */
#define QUOTE_MAX 24

/*
 * How much of p to quote: at most QUOTE_MAX bytes, never ending inside a
 * UTF-8 sequence (a message must stay valid text for the client).
 */
static int
quote_length(const char *p)
{
	int			len = 0;

	while (len < QUOTE_MAX && p[len] != '\0')
		len++;
	while (len > 0 && ((unsigned char) p[len] & 0xC0) == 0x80)
		len--;
	return len;
}

static mh_status
syntax_error(parser *ps, const char *expected)
{
	size_t		offset = (size_t) (ps->p - ps->start);

	if (*ps->p == '\0')
		return mh_fail(ps->err, MH_ESYNTAX,
					   "Expected %s at the end of the input (byte %zu).",
					   expected, offset + 1);
	return mh_fail(ps->err, MH_ESYNTAX, "Expected %s at byte %zu, found \"%.*s\".",
				   expected, offset + 1, quote_length(ps->p), ps->p);
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
		ch == '\f' || ch == '\v';
}

static void
skip_space(parser *ps)
{
	while (is_space(*ps->p))
		ps->p++;
}

/*
 * A decimal integer with an optional sign.  Overflow is MH_EOVERFLOW; a
 * negative value where a count is expected is MH_ENEGATIVE, with what.
 */
static mh_status
parse_int64(parser *ps, bool is_count, const char *what, int64_t *result)
{
	const char *begin = ps->p;
	bool		negative = false;
	uint64_t	magnitude = 0;
	uint64_t	limit;

	if (*ps->p == '-' || *ps->p == '+')
		negative = (*ps->p++ == '-');
	if (*ps->p < '0' || *ps->p > '9')
	{
		ps->p = begin;
		return syntax_error(ps, is_count ? "a count" : "a candidate number");
	}
	limit = negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	while (*ps->p >= '0' && *ps->p <= '9')
	{
		unsigned	digit = (unsigned) (*ps->p - '0');

		if (magnitude > (limit - digit) / 10)
			return mh_fail(ps->err, MH_EOVERFLOW,
						   "The number at byte %zu is out of the 64-bit range.",
						   (size_t) (begin - ps->start) + 1);
		magnitude = magnitude * 10 + digit;
		ps->p++;
	}
	if (negative)
		*result = magnitude == (uint64_t) INT64_MAX + 1 ?
			INT64_MIN : -(int64_t) magnitude;
	else
		*result = (int64_t) magnitude;
	if (is_count && *result < 0)
		return mh_fail(ps->err, MH_ENEGATIVE,
					   "The count of %s is %" PRId64 ", but counts cannot be negative.",
					   what, *result);
	return MH_OK;
}

static bool
take(parser *ps, char ch)
{
	skip_space(ps);
	if (*ps->p != ch)
		return false;
	ps->p++;
	return true;
}

/*
 * Counts the pairs in "{...}" so the tally can be allocated once: the
 * colons before the closing brace, outside quoted keys.
 */
static size_t
count_pairs(const char *p)
{
	size_t		n = 0;

	for (; *p != '\0' && *p != '}'; p++)
	{
		if (*p == ':')
			n++;
		else if (*p == '"')
		{
			for (p++; *p != '\0' && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '\0')
				break;
		}
	}
	return n;
}

/*
 * A quoted text key: "..." with \" and \\ the only escapes.  The bytes go
 * unescaped to *out, which advances; their count to *len.
 */
static mh_status
parse_quoted(parser *ps, char **out, uint32_t *len)
{
	const char *begin = ps->p;
	char	   *w = *out;

	ps->p++;					/* the opening quote */
	for (;;)
	{
		char		ch = *ps->p;

		if (ch == '\0')
		{
			ps->p = begin;
			return syntax_error(ps, "a key that ends with \"");
		}
		if (ch == '"')
			break;
		if (ch == '\\')
		{
			if (ps->p[1] != '"' && ps->p[1] != '\\')
			{
				return mh_fail(ps->err, MH_ESYNTAX,
							   "Only \\\" and \\\\ may be escaped in a key (byte %zu).",
							   (size_t) (ps->p - ps->start) + 1);
			}
			ps->p++;
			ch = *ps->p;
		}
		*w++ = ch;
		ps->p++;
		if ((size_t) (w - *out) > MH_KEY_MAX_BYTES)
			return mh_fail(ps->err, MH_EKEYLENGTH,
						   "The key at byte %zu is longer than the %d bytes allowed.",
						   (size_t) (begin - ps->start) + 1, MH_KEY_MAX_BYTES);
	}
	ps->p++;					/* the closing quote */
	*len = (uint32_t) (w - *out);
	*out = w;
	return MH_OK;
}

/*
 * votes={...}: numbers as keys (17:300) or quoted text ("Smith":300), one
 * kind throughout.  Makes the tally's candidates; its header comes later.
 */
static mh_status
parse_votes(parser *ps, mh_tally **t, bool *text_keys, const mh_allocator *alloc)
{
	size_t		capacity = count_pairs(ps->p);
	uint32_t	n = 0;
	mh_status	status;
	mh_key_vote *keys = NULL;
	char	   *scratch = NULL;
	char	   *w = NULL;
	size_t		total = 0;

	if (capacity > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(ps->err, MH_ETOOBIG, "A tally may name at most %u candidates.",
					   (unsigned) MH_TALLY_MAX_CANDIDATES);
	if (!take(ps, '{'))
		return syntax_error(ps, "\"{\"");
	skip_space(ps);
	*text_keys = *ps->p == '"';
	if (*text_keys)
	{
		/* keys unescaped are never longer than the rest of the input */
		keys = alloc->alloc(alloc->ctx, sizeof(mh_key_vote) * (capacity > 0 ? capacity : 1));
		scratch = w = alloc->alloc(alloc->ctx, strlen(ps->p) + 1);
		if (keys == NULL || scratch == NULL)
		{
			if (alloc->free != NULL)
			{
				if (keys)
					alloc->free(alloc->ctx, keys);
				if (scratch)
					alloc->free(alloc->ctx, scratch);
			}
			return mh_fail(ps->err, MH_ENOMEM, "Could not allocate a tally of %zu candidates.",
						   capacity);
		}
	}
	else
	{
		*t = alloc->alloc(alloc->ctx, mh_tally_size((uint32_t) capacity));
		if (*t == NULL)
			return mh_fail(ps->err, MH_ENOMEM, "Could not allocate a tally of %zu candidates.",
						   capacity);
		(*t)->ncandidates = 0;
	}

	if (!take(ps, '}'))
	{
		for (;;)
		{
			int64_t		candidate = 0;
			int64_t		votes;
			const char *key = w;
			uint32_t	key_len = 0;

			mh_check_interrupts(alloc, n);
			skip_space(ps);
			/* a quote among numbers, or a number among quoted keys, mixes kinds */
			if ((*ps->p == '"' && !*text_keys) ||
				(*text_keys && (*ps->p == '-' || *ps->p == '+' ||
								(*ps->p >= '0' && *ps->p <= '9'))))
			{
				status = mh_fail(ps->err, MH_EKIND,
								 "Candidate keys at byte %zu mix numbers and quoted text.",
								 (size_t) (ps->p - ps->start) + 1);
				goto fail;
			}
			if (*text_keys && *ps->p != '"')
			{
				status = syntax_error(ps, "a quoted key");
				goto fail;
			}
			/*
			 * keys[n] is written only once the pair's ':' is seen: a key
			 * without one (votes={"a":1,"b"}) was not counted by count_pairs.
			 */
			if (*text_keys)
				status = parse_quoted(ps, &w, &key_len);
			else
				status = parse_int64(ps, false, NULL, &candidate);
			if (status != MH_OK)
				goto fail;
			if (!take(ps, ':'))
			{
				status = syntax_error(ps, "\":\"");
				goto fail;
			}
			skip_space(ps);
			if ((status = parse_int64(ps, true, "a candidate's votes", &votes)) != MH_OK)
				goto fail;
			/* count_pairs counted every ':' before '}', so n < capacity here */
			if (*text_keys)
			{
				keys[n].key = key;
				keys[n].len = key_len;
				keys[n].votes = votes;
				total += key_len;
			}
			else
			{
				(*t)->votes[n].candidate = candidate;
				(*t)->votes[n].votes = votes;
			}
			n++;
			if (take(ps, '}'))
				break;
			if (!take(ps, ','))
			{
				status = syntax_error(ps, "\",\" or \"}\"");
				goto fail;
			}
		}
	}
	if (!*text_keys)
	{
		(*t)->ncandidates = n;
		return mh_votes_sort_alloc((*t)->votes, n, alloc, ps->err);
	}


	/* the keys are checked with the whole tally, by mh_tally_check */
	if ((status = mh_sort_keys(keys, n, alloc, ps->err)) != MH_OK)
		goto fail;
	*t = alloc->alloc(alloc->ctx, mh_tally_size(n) + total);
	if (*t == NULL)
	{
		status = mh_fail(ps->err, MH_ENOMEM, "Could not allocate a tally of %u candidates.",
						 (unsigned) n);
		goto fail;
	}
	(*t)->ncandidates = n;
	mh_tally_write_keys(*t, keys, n);
	status = MH_OK;

fail:
	/* a tally of number keys is the caller's to free, even on an error */
	if (*text_keys && alloc->free != NULL)
	{
		alloc->free(alloc->ctx, keys);
		alloc->free(alloc->ctx, scratch);
	}
	return status;
}

typedef enum field
{
	FIELD_REGISTERED,
	FIELD_CAST,
	FIELD_INVALID,
	FIELD_VOTES,
	FIELD_ISSUED,
	FIELD_BLANK,
	FIELD_PARTS,
	FIELD_PROVISIONAL,
	NFIELDS
} field;

static const char *const field_names[NFIELDS] = {
	"registered", "cast", "invalid", "votes", "issued", "blank", "parts", "provisional"
};

/* What a count field is called in a message. */
static const char *const field_meanings[NFIELDS] = {
	"registered voters", "ballots cast", "blank or invalid ballots", NULL,
	"ballots issued", "blank ballots", "parts", "provisional parts"
};

#define FIELD_LIST "\"registered\", \"issued\", \"cast\", \"invalid\", \"blank\", \"votes\", \"parts\" or \"provisional\""

static mh_status
parse_key(parser *ps, field *f)
{
	int			i;

	for (i = 0; i < NFIELDS; i++)
	{
		size_t		len = strlen(field_names[i]);

		if (strncmp(ps->p, field_names[i], len) == 0 &&
			(ps->p[len] == '=' || is_space(ps->p[len])))
		{
			ps->p += len;
			*f = (field) i;
			return MH_OK;
		}
	}
	return syntax_error(ps, FIELD_LIST);
}

/*
 * Parses into *tp, which may be allocated even when it fails; the trailer's
 * fields go to *x, and *has_extra says whether any was given.
 */
static mh_status
parse_tally(const char *text, const mh_allocator *alloc, mh_tally **tp,
			mh_tally_extra *x, bool *has_extra, mh_error *err)
{
	parser		ps = {text, text, err};
	bool		seen[NFIELDS] = {false};
	int64_t		values[NFIELDS] = {0};
	mh_tally   *t = NULL;
	int64_t		valid_votes = 0;
	int64_t		cast;
	bool		text_keys = false;
	mh_status	status;

	skip_space(&ps);
	if (*ps.p == '\0')
		return syntax_error(&ps, FIELD_LIST);
	while (*ps.p != '\0')
	{
		const char *key_at = ps.p;
		field		f = FIELD_REGISTERED;

		if ((status = parse_key(&ps, &f)) != MH_OK)
			return status;
		if (seen[f])
		{
			ps.p = key_at;
			return mh_fail(err, MH_ESYNTAX, "Field \"%s\" appears twice (again at byte %zu).",
						   field_names[f], (size_t) (key_at - text) + 1);
		}
		seen[f] = true;
		if (!take(&ps, '='))
			return syntax_error(&ps, "\"=\"");
		skip_space(&ps);
		if (f == FIELD_VOTES)
			status = parse_votes(&ps, tp, &text_keys, alloc);
		else
			status = parse_int64(&ps, true, field_meanings[f], &values[f]);
		if (status != MH_OK)
			return status;
		if (*ps.p != '\0' && !is_space(*ps.p))
			return syntax_error(&ps, "white space between fields");
		skip_space(&ps);
	}

	if (*tp == NULL)
	{
		*tp = alloc->alloc(alloc->ctx, mh_tally_size(0));
		if (*tp == NULL)
			return mh_fail(err, MH_ENOMEM, "Could not allocate a tally.");
		(*tp)->ncandidates = 0;
	}
	t = *tp;
	for (uint32_t i = 0; i < t->ncandidates; i++)
		if (mh_add_overflow(valid_votes, t->votes[i].votes, &valid_votes))
			return mh_fail(err, MH_EOVERFLOW,
						   "The candidates' votes add up beyond the 64-bit range.");
	if (seen[FIELD_CAST])
		cast = values[FIELD_CAST];
	else if (mh_add_overflow(valid_votes, values[FIELD_INVALID], &cast))
		return mh_fail(err, MH_EOVERFLOW,
					   "Candidate votes plus blank or invalid ballots exceed the 64-bit range.");

	mh_tally_init(t, t->ncandidates, text_keys, seen[FIELD_REGISTERED],
				  values[FIELD_REGISTERED], cast, values[FIELD_INVALID]);
	*x = MH_TALLY_EXTRA_NONE;
	x->blank_known = seen[FIELD_BLANK];
	x->blank = values[FIELD_BLANK];
	x->issued_known = seen[FIELD_ISSUED];
	x->issued = values[FIELD_ISSUED];
	x->parts = values[FIELD_PARTS];
	x->provisional = values[FIELD_PROVISIONAL];
	*has_extra = seen[FIELD_BLANK] || seen[FIELD_ISSUED] || seen[FIELD_PARTS] ||
		seen[FIELD_PROVISIONAL];
	return mh_tally_check(t, mh_tally_total_size(t), err);
}

mh_status
mh_tally_parse(const char *text, const mh_allocator *alloc, mh_tally **result,
			   mh_error *err)
{
	mh_tally   *t = NULL;
	mh_tally   *with = NULL;
	mh_tally_extra x;
	bool		has_extra = false;
	mh_status	status = parse_tally(text, alloc, &t, &x, &has_extra, err);

	/* the rare tally with a trailer is copied once, with room for it */
	if (status == MH_OK && has_extra)
		status = mh_tally_with_extra(t, &x, alloc, &with, err);
	if (has_extra || status != MH_OK)
	{
		if (t != NULL && alloc->free != NULL)
			alloc->free(alloc->ctx, t);
		t = with;
	}
	if (status != MH_OK)
		return status;
	*result = t;
	return MH_OK;
}

/* Characters of a decimal int64, its sign included. */
static size_t
decimal_length(int64_t value)
{
	uint64_t	magnitude = value < 0 ? (uint64_t) 0 - (uint64_t) value : (uint64_t) value;
	size_t		len = value < 0 ? 2 : 1;

	while (magnitude >= 10)
	{
		magnitude /= 10;
		len++;
	}
	return len;
}

/* Bytes of a text key quoted: its quotes, and a backslash before " and \. */
static size_t
quoted_length(const char *key, uint32_t len)
{
	size_t		size = 2 + len;
	uint32_t	i;

	for (i = 0; i < len; i++)
		if (key[i] == '"' || key[i] == '\\')
			size++;
	return size;
}

size_t
mh_tally_format_size(const mh_tally *t)
{
	/* "registered=N " "cast=N invalid=N votes={" pairs "}" NUL, exactly */
	size_t		size = (mh_tally_registered_known(t) ? 12 + decimal_length(t->registered) : 0) +
		5 + decimal_length(t->cast) + 9 + decimal_length(t->invalid) + 8 + 1 + 1;
	bool		text_keys = mh_tally_key_kind(t) == MH_KEYS_TEXT;
	uint32_t	i;
	mh_tally_extra x;

	mh_tally_get_extra(t, &x);
	if (x.issued_known)
		size += 8 + decimal_length(x.issued);	/* "issued=N " */
	if (t->flags & MH_TALLY_BLANK_KNOWN)
		size += 7 + decimal_length(x.blank);	/* " blank=N" */
	if (x.parts > 0)			/* " parts=N provisional=N" */
		size += 7 + decimal_length(x.parts) + 13 + decimal_length(x.provisional);
	for (i = 0; i < t->ncandidates; i++)
	{
		size += (i > 0 ? 1 : 0) + 1 + decimal_length(t->votes[i].votes);
		if (text_keys)
		{
			const char *key;
			uint32_t	len;

			mh_tally_key(t, i, &key, &len);
			size += quoted_length(key, len);
		}
		else
			size += decimal_length(t->votes[i].candidate);
	}
	return size;
}

size_t
mh_tally_format(const mh_tally *t, char *buf, const mh_allocator *hooks)
{
	char	   *p = buf;
	bool		text_keys = mh_tally_key_kind(t) == MH_KEYS_TEXT;
	uint32_t	i;
	mh_tally_extra x;

	mh_tally_get_extra(t, &x);
	if (mh_tally_registered_known(t))
		p += sprintf(p, "registered=%" PRId64 " ", t->registered);
	if (x.issued_known)
		p += sprintf(p, "issued=%" PRId64 " ", x.issued);
	p += sprintf(p, "cast=%" PRId64 " invalid=%" PRId64 " ", t->cast, t->invalid);
	if (t->flags & MH_TALLY_BLANK_KNOWN)
		p += sprintf(p, "blank=%" PRId64 " ", x.blank);
	p += sprintf(p, "votes={");
	for (i = 0; i < t->ncandidates; i++)
	{
		mh_check_interrupts(hooks, i);
		if (i > 0)
			*p++ = ',';
		if (text_keys)
		{
			const char *key;
			uint32_t	len,
						j;

			mh_tally_key(t, i, &key, &len);
			*p++ = '"';
			for (j = 0; j < len; j++)
			{
				if (key[j] == '"' || key[j] == '\\')
					*p++ = '\\';
				*p++ = key[j];
			}
			*p++ = '"';
		}
		else
			p += sprintf(p, "%" PRId64, t->votes[i].candidate);
		p += sprintf(p, ":%" PRId64, t->votes[i].votes);
	}
	*p++ = '}';
	*p = '\0';
	if (x.parts > 0)
		p += sprintf(p, " parts=%" PRId64 " provisional=%" PRId64, x.parts, x.provisional);
	return (size_t) (p - buf);
}
