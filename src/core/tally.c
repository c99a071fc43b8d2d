/*-------------------------------------------------------------------------
 *
 * tally.c
 *	  The flat tally: checking, looking up, comparing, adding, building.
 *
 * src/core/tally.c
 *
 *-------------------------------------------------------------------------
 */
#include "tally.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
mh_tally_init(mh_tally *t, uint32_t ncandidates, bool text_keys,
			  bool registered_known, int64_t registered, int64_t cast,
			  int64_t invalid)
{
	t->version = MH_TALLY_VERSION;
	t->flags = (registered_known ? MH_TALLY_REGISTERED_KNOWN : 0) |
		(text_keys && ncandidates > 0 ? MH_TALLY_TEXT_KEYS : 0);
	t->reserved = 0;
	t->ncandidates = ncandidates;
	t->registered = registered_known ? registered : 0;
	t->cast = cast;
	t->invalid = invalid;
}

size_t
mh_tally_body_size(const mh_tally *t)
{
	size_t		size = mh_tally_size(t->ncandidates);

	if (mh_tally_key_kind(t) == MH_KEYS_TEXT)
	{
		uint64_t	last = (uint64_t) t->votes[t->ncandidates - 1].candidate;

		size += (size_t) (last >> 32) + (uint32_t) last;
	}
	return size;
}

size_t
mh_tally_total_size(const mh_tally *t)
{
	return mh_tally_body_size(t) + mh_trailer_size(t->flags);
}

/* The trailer's fields as stored, at body (flags say which are there). */
static void
read_trailer(const mh_tally *t, size_t body, mh_tally_extra *x)
{
	const char *p = (const char *) t + body;

	*x = MH_TALLY_EXTRA_NONE;
	if (t->flags & MH_TALLY_BLANK_KNOWN)
	{
		x->blank_known = true;
		memcpy(&x->blank, p, 8);
		p += 8;
	}
	if (t->flags & MH_TALLY_ISSUED_KNOWN)
	{
		x->issued_known = true;
		memcpy(&x->issued, p, 8);
		p += 8;
	}
	if (t->flags & MH_TALLY_PARTS)
	{
		memcpy(&x->parts, p, 8);
		memcpy(&x->provisional, p + 8, 8);
	}
}

void
mh_tally_get_extra(const mh_tally *t, mh_tally_extra *x)
{
	if ((t->flags & MH_TALLY_TRAILER_FLAGS) == 0)
		*x = MH_TALLY_EXTRA_NONE;
	else
		read_trailer(t, mh_tally_body_size(t), x);
	if (t->invalid == 0)
	{
		x->blank_known = true;
		x->blank = 0;
	}
}

uint8_t
mh_extra_flags(const mh_tally_extra *x, int64_t invalid)
{
	return (x->blank_known && invalid > 0 ? MH_TALLY_BLANK_KNOWN : 0) |
		(x->issued_known ? MH_TALLY_ISSUED_KNOWN : 0) |
		(x->parts > 0 ? MH_TALLY_PARTS : 0);
}

void
mh_tally_put_extra(mh_tally *t, const mh_tally_extra *x)
{
	uint8_t		flags = mh_extra_flags(x, t->invalid);
	char	   *p = (char *) t + mh_tally_body_size(t);

	t->flags = (uint8_t) ((t->flags & ~MH_TALLY_TRAILER_FLAGS) | flags);
	if (flags & MH_TALLY_BLANK_KNOWN)
	{
		memcpy(p, &x->blank, 8);
		p += 8;
	}
	if (flags & MH_TALLY_ISSUED_KNOWN)
	{
		memcpy(p, &x->issued, 8);
		p += 8;
	}
	if (flags & MH_TALLY_PARTS)
	{
		memcpy(p, &x->parts, 8);
		memcpy(p + 8, &x->provisional, 8);
	}
}

mh_status
mh_extra_check(const mh_tally_extra *x, bool registered_known, int64_t registered,
			   int64_t invalid, mh_error *err)
{
	if (x->blank_known && x->blank < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Blank ballots is %" PRId64 ", but counts cannot be negative.",
					   x->blank);
	if (x->blank_known && x->blank > invalid)
		return mh_fail(err, MH_EWITHIN,
					   "Blank ballots (%" PRId64 ") exceed blank or invalid ballots (%" PRId64 ").",
					   x->blank, invalid);
	if (x->issued_known && x->issued < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Ballots issued is %" PRId64 ", but counts cannot be negative.",
					   x->issued);
	if (x->issued_known && registered_known && x->issued > registered)
		return mh_fail(err, MH_EWITHIN,
					   "Ballots issued (%" PRId64 ") exceed registered voters (%" PRId64 ").",
					   x->issued, registered);
	if (x->parts < 0 || x->provisional < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "The tally holds %" PRId64 " parts, %" PRId64
					   " of them provisional, but counts cannot be negative.",
					   x->parts, x->provisional);
	if (x->provisional > x->parts)
		return mh_fail(err, MH_EWITHIN,
					   "Provisional parts (%" PRId64 ") exceed the parts of the tally (%" PRId64 ").",
					   x->provisional, x->parts);
	return MH_OK;
}

mh_status
mh_extra_add(const mh_tally_extra *a, const mh_tally_extra *b, int64_t invalid_sum,
			 mh_tally_extra *sum, mh_error *err)
{
	*sum = MH_TALLY_EXTRA_NONE;
	sum->blank_known = a->blank_known && b->blank_known;
	if (sum->blank_known && mh_add_overflow(a->blank, b->blank, &sum->blank))
		return mh_fail(err, MH_EOVERFLOW, "Blank ballots add up beyond the 64-bit range.");
	sum->issued_known = a->issued_known && b->issued_known;
	if (sum->issued_known && mh_add_overflow(a->issued, b->issued, &sum->issued))
		return mh_fail(err, MH_EOVERFLOW, "Ballots issued add up beyond the 64-bit range.");
	if (mh_add_overflow(a->parts, b->parts, &sum->parts) ||
		mh_add_overflow(a->provisional, b->provisional, &sum->provisional))
		return mh_fail(err, MH_EOVERFLOW, "Parts add up beyond the 64-bit range.");
	if (invalid_sum == 0)
	{
		sum->blank_known = true;
		sum->blank = 0;
	}
	return MH_OK;
}

int
mh_key_compare(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static int
utf8_sequence(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return c == 0 ? 0 : 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF)
	{
		/* no overlong forms (E0 80..9F), no surrogates (ED A0..BF) */
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			(c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4)
	{
		/* no overlong forms (F0 80..8F), nothing past U+10FFFF (F4 90..) */
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			(p[3] & 0xC0) != 0x80 || (c == 0xF0 && p[1] < 0x90) ||
			(c == 0xF4 && p[1] > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

mh_status
mh_key_check(const char *key, size_t len, mh_error *err)
{
	const unsigned char *p = (const unsigned char *) key;
	size_t		i = 0;

	if (len > MH_KEY_MAX_BYTES)
		return mh_fail(err, MH_EKEYLENGTH,
					   "A text key of %zu bytes is longer than the %d bytes allowed.",
					   len, MH_KEY_MAX_BYTES);
	while (i < len)
	{
		int			n = utf8_sequence(p + i, len - i);

		if (n == 0)
			return mh_fail(err, MH_EKEY,
						   p[i] == 0 ?
						   "A text key holds a NUL byte at byte %zu." :
						   "A text key is not valid UTF-8 at byte %zu.",
						   i + 1);
		i += (size_t) n;
	}
	return MH_OK;
}

const char *
mh_key_label(const char *key, uint32_t len, char *buf)
{
	const size_t max = MH_LABEL_SIZE - 6;	/* quotes, "...", NUL */
	size_t		n = len;

	if (n > max)
	{
		n = max;
		/* back to the start of a UTF-8 sequence */
		while (n > 0 && ((unsigned char) key[n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(buf, MH_LABEL_SIZE, "\"%.*s%s\"", (int) n, key, n < len ? "..." : "");
	return buf;
}

const char *
mh_candidate_label(const mh_tally *t, uint32_t i, char *buf)
{
	if (mh_tally_key_kind(t) == MH_KEYS_TEXT)
	{
		const char *key;
		uint32_t	len;

		mh_tally_key(t, i, &key, &len);
		return mh_key_label(key, len, buf);
	}
	snprintf(buf, MH_LABEL_SIZE, "%" PRId64, t->votes[i].candidate);
	return buf;
}

/*
 * The key area of a text-keyed tally of size bytes: every key where the
 * one before it ends, valid, strictly ascending, the last ending at the end.
 */
static mh_status
check_text_keys(const mh_tally *t, size_t size, mh_error *err)
{
	size_t		area = size - mh_tally_size(t->ncandidates);
	uint64_t	expected = 0;
	const char *prev = NULL;
	uint32_t	prev_len = 0;
	uint32_t	i;
	char		label[MH_LABEL_SIZE];

	for (i = 0; i < t->ncandidates; i++)
	{
		uint64_t	packed = (uint64_t) t->votes[i].candidate;
		uint32_t	len = (uint32_t) packed;
		const char *key;
		mh_status	status;

		if ((packed >> 32) != expected || expected + len > area)
			return mh_fail(err, MH_ETRUNCATED,
						   "Text key %u of the tally lies outside its %zu bytes of keys.",
						   (unsigned) i + 1, area);
		key = (const char *) (t->votes + t->ncandidates) + expected;
		if ((status = mh_key_check(key, len, err)) != MH_OK)
			return status;
		if (prev != NULL)
		{
			int			c = mh_key_compare(prev, prev_len, key, len);

			if (c >= 0)
				return mh_fail(err, c == 0 ? MH_EDUPLICATE : MH_EUNSORTED,
							   c == 0 ? "Candidate %s is listed more than once." :
							   "Candidate %s is out of ascending order.",
							   mh_key_label(key, len, label));
		}
		prev = key;
		prev_len = len;
		expected += len;
	}
	if (expected != area)
		return mh_fail(err, MH_ETRAILING,
					   "The tally's keys take %zu bytes, but %zu are present.",
					   (size_t) expected, area);
	return MH_OK;
}

/*
 * The counts-level invariants, shared by every constructor: counts are not
 * negative, votes + invalid fit in cast, cast fits in registered.
 */
static mh_status
check_counts(bool registered_known, int64_t registered, int64_t cast,
			 int64_t invalid, int64_t valid_votes, mh_error *err)
{
	int64_t		accounted;

	if (registered_known && registered < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Registered voters is %" PRId64 ", but counts cannot be negative.",
					   registered);
	if (cast < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Ballots cast is %" PRId64 ", but counts cannot be negative.", cast);
	if (invalid < 0)
		return mh_fail(err, MH_ENEGATIVE,
					   "Blank or invalid ballots is %" PRId64 ", but counts cannot be negative.",
					   invalid);
	if (mh_add_overflow(valid_votes, invalid, &accounted))
		return mh_fail(err, MH_EOVERFLOW,
					   "Candidate votes plus blank or invalid ballots exceed the 64-bit range.");
	if (accounted > cast)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Candidate votes (%" PRId64 ") plus blank or invalid ballots (%" PRId64
					   ") exceed ballots cast (%" PRId64 ").",
					   valid_votes, invalid, cast);
	if (registered_known && cast > registered)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Ballots cast (%" PRId64 ") exceed registered voters (%" PRId64 ").",
					   cast, registered);
	return MH_OK;
}

/* How many candidates an error's detail names. */
#define DETAIL_CANDIDATES 3

/*
 * Appends the first candidates (at most DETAIL_CANDIDATES) to an error's
 * detail, so that the protocol can be found: " The first candidates: 17
 * (300 votes), 42 (317 votes), and 5 more."  keys, numbers or t gives
 * the candidates.
 */
static void
append_candidates(mh_error *err, const mh_tally *t, const int64_t *numbers,
				  const int64_t *votes, const mh_key_vote *keys, size_t n)
{
	size_t		len,
				i;
	char		label[MH_LABEL_SIZE];

	if (err == NULL || n == 0)
		return;
	len = strlen(err->detail);
	for (i = 0; i < n && i < DETAIL_CANDIDATES && len < sizeof(err->detail); i++)
	{
		const char *who;
		int64_t		v;

		if (t != NULL)
		{
			who = mh_candidate_label(t, (uint32_t) i, label);
			v = t->votes[i].votes;
		}
		else if (keys != NULL)
		{
			who = mh_key_label(keys[i].key, keys[i].len, label);
			v = keys[i].votes;
		}
		else
		{
			snprintf(label, sizeof(label), "%" PRId64, numbers[i]);
			who = label;
			v = votes[i];
		}
		len += (size_t) snprintf(err->detail + len, sizeof(err->detail) - len, "%s%s (%" PRId64 " %s)",
								 i == 0 ? (n == 1 ? " The only candidate: " : " The first candidates: ") : ", ",
								 who, v, v == 1 ? "vote" : "votes");
	}
	if (len < sizeof(err->detail))
		snprintf(err->detail + len, sizeof(err->detail) - len,
				 n > DETAIL_CANDIDATES ? ", and %zu more." : ".", n - DETAIL_CANDIDATES);
}

mh_status
mh_tally_check(const mh_tally *t, size_t size, mh_error *err)
{
	int64_t		valid_votes = 0;
	bool		text_keys;
	uint32_t	i;
	char		label[MH_LABEL_SIZE];
	mh_status	status;
	size_t		trailer;
	mh_tally_extra extra;

	if (size < MH_TALLY_HEADER_SIZE)
		return mh_fail(err, MH_ETRUNCATED,
					   "A tally needs at least %zu bytes, but only %zu are present.",
					   (size_t) MH_TALLY_HEADER_SIZE, size);
	if (t->version != MH_TALLY_VERSION)
		return mh_fail(err, MH_EVERSION,
					   "Tally format version %u is not known; this build reads version %u.",
					   (unsigned) t->version, (unsigned) MH_TALLY_VERSION);
	if ((t->flags & ~MH_TALLY_FLAGS_ALL) != 0 || t->reserved != 0)
		return mh_fail(err, MH_EVERSION,
					   "Tally flags 0x%02x (reserved 0x%04x) hold bits this build does not know.",
					   (unsigned) t->flags, (unsigned) t->reserved);
	text_keys = (t->flags & MH_TALLY_TEXT_KEYS) != 0;
	if (text_keys && t->ncandidates == 0)
		return mh_fail(err, MH_EVERSION,
					   "A tally without candidates is marked as keyed by text.");
	if (t->ncandidates > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG,
					   "A tally names %u candidates; at most %u are allowed.",
					   (unsigned) t->ncandidates, (unsigned) MH_TALLY_MAX_CANDIDATES);
	trailer = mh_trailer_size(t->flags);
	if (size < mh_tally_size(t->ncandidates) + trailer)
		return mh_fail(err, MH_ETRUNCATED,
					   "A tally of %u candidates needs %zu bytes, but only %zu are present.",
					   (unsigned) t->ncandidates, mh_tally_size(t->ncandidates) + trailer, size);
	if (!text_keys && size > mh_tally_size(t->ncandidates) + trailer)
		return mh_fail(err, MH_ETRAILING,
					   "A tally of %u candidates takes %zu bytes, but %zu are present.",
					   (unsigned) t->ncandidates, mh_tally_size(t->ncandidates) + trailer, size);
	if (!mh_tally_registered_known(t) && t->registered != 0)
		return mh_fail(err, MH_EVERSION,
					   "Registered voters is marked unknown but holds %" PRId64 ".",
					   t->registered);
	if (text_keys && (status = check_text_keys(t, size - trailer, err)) != MH_OK)
		return status;

	for (i = 0; i < t->ncandidates; i++)
	{
		const mh_vote *v = &t->votes[i];

		if (!text_keys && i > 0 && v->candidate <= t->votes[i - 1].candidate)
			return mh_fail(err,
						   v->candidate == t->votes[i - 1].candidate ? MH_EDUPLICATE : MH_EUNSORTED,
						   v->candidate == t->votes[i - 1].candidate ?
						   "Candidate %" PRId64 " is listed more than once." :
						   "Candidate %" PRId64 " is out of ascending order.",
						   v->candidate);
		if (v->votes < 0)
			return mh_fail(err, MH_ENEGATIVE,
						   "Candidate %s has %" PRId64 " votes, but counts cannot be negative.",
						   mh_candidate_label(t, i, label), v->votes);
		if (mh_add_overflow(valid_votes, v->votes, &valid_votes))
			return mh_fail(err, MH_EOVERFLOW,
						   "The candidates' votes add up beyond the 64-bit range.");
	}

	status = check_counts(mh_tally_registered_known(t), t->registered, t->cast,
						  t->invalid, valid_votes, err);
	if (status == MH_EINCONSISTENT)
		append_candidates(err, t, NULL, NULL, NULL, t->ncandidates);
	if (status != MH_OK || trailer == 0)
		return status;

	/* the trailer: canonical, then its invariants */
	read_trailer(t, size - trailer, &extra);
	if ((t->flags & MH_TALLY_BLANK_KNOWN) && t->invalid == 0)
		return mh_fail(err, MH_EVERSION,
					   "Blank ballots are stored (%" PRId64 ") although no ballot is blank or invalid.",
					   extra.blank);
	if ((t->flags & MH_TALLY_PARTS) && extra.parts == 0)
		return mh_fail(err, MH_EVERSION,
					   "A parts mark is stored with 0 parts (%" PRId64 " provisional).",
					   extra.provisional);
	return mh_extra_check(&extra, mh_tally_registered_known(t), t->registered,
						  t->invalid, err);
}

int64_t
mh_tally_valid_votes(const mh_tally *t)
{
	int64_t		sum = 0;
	uint32_t	i;

	for (i = 0; i < t->ncandidates; i++)
		sum += t->votes[i].votes;
	return sum;
}

const mh_vote *
mh_tally_find(const mh_tally *t, int64_t candidate)
{
	uint32_t	lo = 0,
				hi = t->ncandidates;

	if (mh_tally_key_kind(t) == MH_KEYS_TEXT)
		return NULL;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (t->votes[mid].candidate < candidate)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->ncandidates && t->votes[lo].candidate == candidate)
		return &t->votes[lo];
	return NULL;
}

const mh_vote *
mh_tally_find_key(const mh_tally *t, const char *key, uint32_t len)
{
	uint32_t	lo = 0,
				hi = t->ncandidates;
	const char *k;
	uint32_t	klen;

	if (mh_tally_key_kind(t) != MH_KEYS_TEXT)
		return NULL;
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		mh_tally_key(t, mid, &k, &klen);
		if (mh_key_compare(k, klen, key, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->ncandidates)
	{
		mh_tally_key(t, lo, &k, &klen);
		if (mh_key_compare(k, klen, key, len) == 0)
			return &t->votes[lo];
	}
	return NULL;
}

bool
mh_tally_equal(const mh_tally *a, const mh_tally *b)
{
	/* Checked tallies are canonical: equal values have equal bytes. */
	size_t		size = mh_tally_total_size(a);

	return a->ncandidates == b->ncandidates && size == mh_tally_total_size(b) &&
		memcmp(a, b, size) == 0;
}

static mh_tally *
alloc_tally(const mh_allocator *alloc, uint32_t ncandidates, size_t key_bytes,
			mh_error *err)
{
	mh_tally   *t = alloc->alloc(alloc->ctx, mh_tally_size(ncandidates) + key_bytes);

	if (t == NULL)
		mh_fail(err, MH_ENOMEM, "Could not allocate a tally of %u candidates.",
				(unsigned) ncandidates);
	return t;
}

/* Bytes of a tally's keys (0 for number keys). */
static size_t
key_bytes(const mh_tally *t)
{
	return mh_tally_body_size(t) - mh_tally_size(t->ncandidates);
}

/* The order of a's candidate i and b's candidate j, tallies of one kind. */
static int
compare_across(const mh_tally *a, uint32_t i, const mh_tally *b, uint32_t j,
			   bool text_keys)
{
	const char *x,
			   *y;
	uint32_t	xlen,
				ylen;

	if (!text_keys)
		return (a->votes[i].candidate > b->votes[j].candidate) -
			(a->votes[i].candidate < b->votes[j].candidate);
	mh_tally_key(a, i, &x, &xlen);
	mh_tally_key(b, j, &y, &ylen);
	return mh_key_compare(x, xlen, y, ylen);
}

mh_status
mh_kind_mismatch(mh_key_kind have, mh_key_kind got, mh_error *err)
{
	return mh_fail(err, MH_EKIND,
				   "A count whose candidates are keyed by %s cannot take candidates keyed by %s.",
				   have == MH_KEYS_TEXT ? "text" : "numbers",
				   got == MH_KEYS_TEXT ? "text" : "numbers");
}

mh_status
mh_tally_add(const mh_tally *a, const mh_tally *b, const mh_allocator *alloc,
			 mh_tally **result, mh_error *err)
{
	bool		known = mh_tally_registered_known(a) && mh_tally_registered_known(b);
	mh_key_kind ka = mh_tally_key_kind(a),
				kb = mh_tally_key_kind(b);
	bool		text_keys = ka == MH_KEYS_TEXT || kb == MH_KEYS_TEXT;
	int64_t		registered = 0,
				cast,
				invalid;
	mh_tally_extra xa,
				xb,
				extra;
	uint64_t	bound = (uint64_t) a->ncandidates + b->ncandidates;
	uint32_t	i = 0,
				j = 0,
				n = 0;
	size_t		koff = 0;
	char	   *keys;
	mh_tally   *t;

	if (ka != MH_KEYS_NONE && kb != MH_KEYS_NONE && ka != kb)
		return mh_kind_mismatch(ka, kb, err);
	if (known && mh_add_overflow(a->registered, b->registered, &registered))
		return mh_fail(err, MH_EOVERFLOW, "Registered voters add up beyond the 64-bit range.");
	if (mh_add_overflow(a->cast, b->cast, &cast))
		return mh_fail(err, MH_EOVERFLOW, "Ballots cast add up beyond the 64-bit range.");
	if (mh_add_overflow(a->invalid, b->invalid, &invalid))
		return mh_fail(err, MH_EOVERFLOW,
					   "Blank or invalid ballots add up beyond the 64-bit range.");
	mh_tally_get_extra(a, &xa);
	mh_tally_get_extra(b, &xb);
	if (mh_extra_add(&xa, &xb, invalid, &extra, err) != MH_OK)
		return MH_EOVERFLOW;
	if (bound > MH_TALLY_MAX_CANDIDATES)
		bound = MH_TALLY_MAX_CANDIDATES + 1;	/* checked below if reached */

	/*
	 * Room for every candidate of both; keys are written after that room
	 * and moved down behind the votes once the merged count is known.
	 */
	bound = bound > MH_TALLY_MAX_CANDIDATES ? MH_TALLY_MAX_CANDIDATES : bound;
	t = alloc_tally(alloc, (uint32_t) bound,
					key_bytes(a) + key_bytes(b) + mh_trailer_size(mh_extra_flags(&extra, invalid)),
					err);
	if (t == NULL)
		return MH_ENOMEM;
	keys = (char *) (t->votes + bound);

	while (i < a->ncandidates || j < b->ncandidates)
	{
		const mh_tally *from;
		uint32_t	at;
		mh_vote		v;
		int			c = j >= b->ncandidates ? -1 : i >= a->ncandidates ? 1 :
			compare_across(a, i, b, j, text_keys);

		from = c <= 0 ? a : b;
		at = c <= 0 ? i : j;
		v = from->votes[at];
		if (c == 0 && mh_add_overflow(a->votes[i].votes, b->votes[j].votes, &v.votes))
		{
			char		label[MH_LABEL_SIZE];

			mh_fail(err, MH_EOVERFLOW,
					"Votes for candidate %s add up beyond the 64-bit range.",
					mh_candidate_label(a, i, label));
			if (alloc->free)
				alloc->free(alloc->ctx, t);
			return MH_EOVERFLOW;
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
		mh_check_interrupts(alloc, n);
		if (n == MH_TALLY_MAX_CANDIDATES)
		{
			if (alloc->free)
				alloc->free(alloc->ctx, t);
			return mh_fail(err, MH_ETOOBIG,
						   "The sum names more than %u candidates.",
						   (unsigned) MH_TALLY_MAX_CANDIDATES);
		}
		if (text_keys)
		{
			const char *key;
			uint32_t	len;

			mh_tally_key(from, at, &key, &len);
			memcpy(keys + koff, key, len);
			v.candidate = mh_key_pack((uint32_t) koff, len);
			koff += len;
		}
		t->votes[n++] = v;
	}
	if (text_keys)
		memmove(t->votes + n, keys, koff);

	/* Parts that each satisfy the invariants sum to a tally that does too. */
	mh_tally_init(t, n, text_keys, known, registered, cast, invalid);
	mh_tally_put_extra(t, &extra);
	*result = t;
	return MH_OK;
}

static int
compare_candidates(const void *a, const void *b)
{
	int64_t		x = ((const mh_vote *) a)->candidate;
	int64_t		y = ((const mh_vote *) b)->candidate;

	return (x > y) - (x < y);
}

static mh_status
find_duplicate(const mh_vote *votes, size_t n, mh_error *err)
{
	size_t		i;

	for (i = 1; i < n; i++)
		if (votes[i].candidate == votes[i - 1].candidate)
			return mh_fail(err, MH_EDUPLICATE,
						   "Candidate %" PRId64 " is listed more than once.",
						   votes[i].candidate);
	return MH_OK;
}

mh_status
mh_votes_sort(mh_vote *votes, size_t n, mh_error *err)
{
	qsort(votes, n, sizeof(mh_vote), compare_candidates);
	return find_duplicate(votes, n, err);
}

mh_status
mh_votes_sort_alloc(mh_vote *votes, size_t n, const mh_allocator *alloc,
					mh_error *err)
{
	mh_sort(votes, n, sizeof(mh_vote), compare_candidates, alloc);
	return find_duplicate(votes, n, err);
}

mh_status
mh_tally_build(bool registered_known, int64_t registered, int64_t cast,
			   int64_t invalid, const int64_t *candidates, const int64_t *votes,
			   size_t ncandidates, const mh_allocator *alloc, mh_tally **result,
			   mh_error *err)
{
	mh_tally   *t;
	int64_t		valid_votes = 0;
	mh_status	status;
	size_t		i;

	if (ncandidates > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG, "A tally may name at most %u candidates, not %zu.",
					   (unsigned) MH_TALLY_MAX_CANDIDATES, ncandidates);
	for (i = 0; i < ncandidates; i++)
	{
		mh_check_interrupts(alloc, i);
		if (votes[i] < 0)
			return mh_fail(err, MH_ENEGATIVE,
						   "Candidate %" PRId64 " has %" PRId64 " votes, but counts cannot be negative.",
						   candidates[i], votes[i]);
		if (mh_add_overflow(valid_votes, votes[i], &valid_votes))
			return mh_fail(err, MH_EOVERFLOW,
						   "The candidates' votes add up beyond the 64-bit range.");
	}
	status = check_counts(registered_known, registered, cast, invalid, valid_votes, err);
	if (status == MH_EINCONSISTENT)
		append_candidates(err, NULL, candidates, votes, NULL, ncandidates);
	if (status != MH_OK)
		return status;

	t = alloc_tally(alloc, (uint32_t) ncandidates, 0, err);
	if (t == NULL)
		return MH_ENOMEM;
	mh_tally_init(t, (uint32_t) ncandidates, false, registered_known, registered,
				  cast, invalid);
	for (i = 0; i < ncandidates; i++)
	{
		t->votes[i].candidate = candidates[i];
		t->votes[i].votes = votes[i];
	}
	status = mh_votes_sort_alloc(t->votes, ncandidates, alloc, err);
	if (status != MH_OK)
	{
		if (alloc->free)
			alloc->free(alloc->ctx, t);
		return status;
	}
	*result = t;
	return MH_OK;
}

/* A copy of t's body with this header, and trailer x (checked by the caller). */
static mh_status
copy_with(const mh_tally *t, bool known, int64_t registered, const mh_tally_extra *x,
		  const mh_allocator *alloc, mh_tally **result, mh_error *err)
{
	mh_tally   *copy;

	copy = alloc_tally(alloc, t->ncandidates,
					   key_bytes(t) + mh_trailer_size(mh_extra_flags(x, t->invalid)), err);
	if (copy == NULL)
		return MH_ENOMEM;
	memcpy(copy, t, mh_tally_body_size(t));
	mh_tally_init(copy, t->ncandidates, mh_tally_key_kind(t) == MH_KEYS_TEXT,
				  known, registered, t->cast, t->invalid);
	mh_tally_put_extra(copy, x);
	*result = copy;
	return MH_OK;
}

mh_status
mh_tally_with_registered(const mh_tally *t, bool known, int64_t registered,
						 const mh_allocator *alloc, mh_tally **result,
						 mh_error *err)
{
	mh_status	status;
	mh_tally_extra extra;

	status = check_counts(known, registered, t->cast, t->invalid,
						  mh_tally_valid_votes(t), err);
	if (status == MH_EINCONSISTENT)
		append_candidates(err, t, NULL, NULL, NULL, t->ncandidates);
	if (status != MH_OK)
		return status;
	mh_tally_get_extra(t, &extra);
	if ((status = mh_extra_check(&extra, known, registered, t->invalid, err)) != MH_OK)
		return status;
	return copy_with(t, known, registered, &extra, alloc, result, err);
}

mh_status
mh_tally_with_extra(const mh_tally *t, const mh_tally_extra *x,
					const mh_allocator *alloc, mh_tally **result, mh_error *err)
{
	mh_tally_extra extra = *x;
	mh_status	status;

	if (t->invalid == 0 && (!extra.blank_known || extra.blank == 0))
	{
		extra.blank_known = true;
		extra.blank = 0;
	}
	status = mh_extra_check(&extra, mh_tally_registered_known(t), t->registered,
							t->invalid, err);
	if (status != MH_OK)
		return status;
	return copy_with(t, mh_tally_registered_known(t), t->registered, &extra,
					 alloc, result, err);
}

static int
compare_keys(const void *a, const void *b)
{
	const mh_key_vote *x = a;
	const mh_key_vote *y = b;

	return mh_key_compare(x->key, x->len, y->key, y->len);
}

mh_status
mh_sort_keys(mh_key_vote *keys, size_t n, const mh_allocator *alloc, mh_error *err)
{
	size_t		i;
	char		label[MH_LABEL_SIZE];

	mh_sort(keys, n, sizeof(mh_key_vote), compare_keys, alloc);
	for (i = 1; i < n; i++)
		if (compare_keys(&keys[i - 1], &keys[i]) == 0)
			return mh_fail(err, MH_EDUPLICATE, "Candidate %s is listed more than once.",
						   mh_key_label(keys[i].key, keys[i].len, label));
	return MH_OK;
}

void
mh_tally_write_keys(mh_tally *t, const mh_key_vote *keys, size_t n)
{
	char	   *area = (char *) (t->votes + n);
	size_t		off = 0;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		memcpy(area + off, keys[i].key, keys[i].len);
		t->votes[i].candidate = mh_key_pack((uint32_t) off, keys[i].len);
		t->votes[i].votes = keys[i].votes;
		off += keys[i].len;
	}
}

mh_status
mh_tally_build_keys(bool registered_known, int64_t registered, int64_t cast,
					int64_t invalid, mh_key_vote *keys, size_t ncandidates,
					const mh_allocator *alloc, mh_tally **result, mh_error *err)
{
	mh_tally   *t;
	int64_t		valid_votes = 0;
	uint64_t	total = 0;
	mh_status	status;
	size_t		i;
	char		label[MH_LABEL_SIZE];

	if (ncandidates > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG, "A tally may name at most %u candidates, not %zu.",
					   (unsigned) MH_TALLY_MAX_CANDIDATES, ncandidates);
	for (i = 0; i < ncandidates; i++)
	{
		mh_check_interrupts(alloc, i);
		if ((status = mh_key_check(keys[i].key, keys[i].len, err)) != MH_OK)
			return status;
		if (keys[i].votes < 0)
			return mh_fail(err, MH_ENEGATIVE,
						   "Candidate %s has %" PRId64 " votes, but counts cannot be negative.",
						   mh_key_label(keys[i].key, keys[i].len, label), keys[i].votes);
		if (mh_add_overflow(valid_votes, keys[i].votes, &valid_votes))
			return mh_fail(err, MH_EOVERFLOW,
						   "The candidates' votes add up beyond the 64-bit range.");
		total += keys[i].len;
	}
	/* keys are addressed by 32-bit offsets; a value that big could not be stored */
	if (total > (uint64_t) INT32_MAX)
		return mh_fail(err, MH_ETOOBIG, "The tally's keys take %" PRIu64 " bytes; at most %d are allowed.",
					   total, INT32_MAX);
	status = check_counts(registered_known, registered, cast, invalid, valid_votes, err);
	if (status == MH_EINCONSISTENT)
		append_candidates(err, NULL, NULL, NULL, keys, ncandidates);
	if (status == MH_OK)
		status = mh_sort_keys(keys, ncandidates, alloc, err);
	if (status != MH_OK)
		return status;

	t = alloc_tally(alloc, (uint32_t) ncandidates, (size_t) total, err);
	if (t == NULL)
		return MH_ENOMEM;
	mh_tally_init(t, (uint32_t) ncandidates, true, registered_known, registered,
				  cast, invalid);
	mh_tally_write_keys(t, keys, ncandidates);
	*result = t;
	return MH_OK;
}
