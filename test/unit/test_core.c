/*-------------------------------------------------------------------------
 *
 * test_core.c
 *	  Unit tests of maslihat's election core, in plain C with no library.
 *
 * Every CHECK is one assertion; the program prints "N passed, M failed"
 * as its last line and exits non-zero if anything failed.  Memory comes
 * from a malloc-backed mh_allocator that counts live blocks, so that the
 * error paths are also checked for leaks (AddressSanitizer's leak
 * checker backs this up at exit).
 *
 * test/unit/test_core.c
 *
 *-------------------------------------------------------------------------
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counter.h"
#include "mh_common.h"
#include "outcome.h"
#include "ranking.h"
#include "tally.h"
#include "tally_binary.h"
#include "tally_text.h"

/* ---------------------------------------------------------------- framework */

static int	n_passed;
static int	n_failed;
static const char *current_test = "";

static bool
check_impl(bool ok, const char *what, const char *file, int line)
{
	if (ok)
		n_passed++;
	else
	{
		n_failed++;
		fprintf(stderr, "FAIL %s:%d [%s]: %s\n", file, line, current_test, what);
	}
	return ok;
}

#define CHECK(cond) check_impl((cond), #cond, __FILE__, __LINE__)

#define CHECK_I64(actual, expected) \
	do { \
		int64_t		a_ = (int64_t) (actual); \
		int64_t		e_ = (int64_t) (expected); \
		if (!check_impl(a_ == e_, #actual " == " #expected, __FILE__, __LINE__)) \
			fprintf(stderr, "     got %" PRId64 ", expected %" PRId64 "\n", a_, e_); \
	} while (0)

#define CHECK_STR(actual, expected) \
	do { \
		const char *a_ = (actual); \
		const char *e_ = (expected); \
		bool		ok_ = a_ != NULL && e_ != NULL ? strcmp(a_, e_) == 0 : a_ == e_; \
		if (!check_impl(ok_, #actual " == " #expected, __FILE__, __LINE__)) \
			fprintf(stderr, "     got \"%s\", expected \"%s\"\n", \
					a_ ? a_ : "(null)", e_ ? e_ : "(null)"); \
	} while (0)

#define CHECK_STATUS(actual, expected) \
	do { \
		mh_status	a_ = (actual); \
		mh_status	e_ = (expected); \
		if (!check_impl(a_ == e_, #actual " is " #expected, __FILE__, __LINE__)) \
			fprintf(stderr, "     got %s, expected %s\n", \
					mh_status_name(a_), mh_status_name(e_)); \
	} while (0)

#define BEGIN_TEST(name) (current_test = (name))

/* ---------------------------------------------------------------- allocators */

typedef struct test_alloc_state
{
	long		live;			/* blocks allocated and not yet freed */
	long		total;			/* allocations that succeeded */
	long		fail_after;		/* allocations allowed; -1 for no limit */
} test_alloc_state;

static void *
test_alloc(void *ctx, size_t size)
{
	test_alloc_state *st = ctx;

	if (st->fail_after >= 0 && st->total >= st->fail_after)
		return NULL;
	st->total++;
	st->live++;
	return malloc(size > 0 ? size : 1);
}

static void
test_free(void *ctx, void *ptr)
{
	test_alloc_state *st = ctx;

	if (ptr != NULL)
	{
		st->live--;
		free(ptr);
	}
}

static test_alloc_state heap_state = {0, 0, -1};
static const mh_allocator heap = {test_alloc, test_free, &heap_state, NULL};

/* An arena with no free function: everything goes at once at the end. */
typedef struct test_arena
{
	void	   *blocks[64];
	int			n;
} test_arena;

static void *
arena_alloc(void *ctx, size_t size)
{
	test_arena *ar = ctx;

	if (ar->n == (int) (sizeof(ar->blocks) / sizeof(ar->blocks[0])))
		return NULL;
	return ar->blocks[ar->n++] = malloc(size > 0 ? size : 1);
}

static void
arena_free_all(test_arena *ar)
{
	while (ar->n > 0)
		free(ar->blocks[--ar->n]);
}

static void
release(void *ptr)
{
	test_free(&heap_state, ptr);
}

/* A deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state = UINT64_C(0x243F6A8885A308D3);

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(0x2545F4914F6CDD1D);
}

static uint64_t
rng_below(uint64_t n)
{
	return n == 0 ? 0 : rng() % n;
}

/* ---------------------------------------------------------------- helpers */

/* Parses text that must be valid; NULL (and a failure) otherwise. */
static mh_tally *
parse_ok_at(const char *text, const char *file, int line)
{
	mh_tally   *t = NULL;
	mh_error	err = {MH_OK, ""};
	mh_status	status = mh_tally_parse(text, &heap, &t, &err);

	if (!check_impl(status == MH_OK, "parse succeeds", file, line))
	{
		fprintf(stderr, "     \"%s\": %s: %s\n", text, mh_status_name(status), err.detail);
		return NULL;
	}
	check_impl(mh_tally_check(t, mh_tally_total_size(t), NULL) == MH_OK,
			   "parsed tally passes mh_tally_check", file, line);
	return t;
}

#define parse_ok(text) parse_ok_at((text), __FILE__, __LINE__)

/* Parses text that must fail with status; checks the error is reported. */
static void
parse_fails_at(const char *text, mh_status expected, const char *file, int line)
{
	mh_tally   *t = NULL;
	mh_error	err = {MH_OK, ""};
	long		live = heap_state.live;
	mh_status	status = mh_tally_parse(text, &heap, &t, &err);

	if (!check_impl(status == expected, "parse fails with the expected status", file, line))
		fprintf(stderr, "     \"%s\": got %s (%s), expected %s\n", text,
				mh_status_name(status), err.detail, mh_status_name(expected));
	if (status == MH_OK)
	{
		release(t);
		return;
	}
	check_impl(err.status == status && err.detail[0] != '\0',
			   "the error carries its status and a detail", file, line);
	check_impl(heap_state.live == live, "a failed parse frees what it allocated", file, line);
}

#define parse_fails(text, status) parse_fails_at((text), (status), __FILE__, __LINE__)

static char *
format(const mh_tally *t)
{
	size_t		cap = mh_tally_format_size(t);
	char	   *buf = heap.alloc(heap.ctx, cap);
	size_t		len = mh_tally_format(t, buf, NULL);

	CHECK_I64(len + 1, cap);	/* format_size is exact */
	CHECK(strlen(buf) == len);
	return buf;
}

/* Parses text, formats it, and checks both the text and a re-parse. */
static void
round_trip_at(const char *text, const char *canonical, const char *file, int line)
{
	mh_tally   *t = parse_ok_at(text, file, line);
	mh_tally   *t2;
	char	   *out;
	char	   *out2;

	if (t == NULL)
		return;
	out = format(t);
	if (!check_impl(strcmp(out, canonical) == 0, "canonical text", file, line))
		fprintf(stderr, "     \"%s\" -> \"%s\", expected \"%s\"\n", text, out, canonical);
	t2 = parse_ok_at(out, file, line);
	if (t2 != NULL)
	{
		check_impl(mh_tally_equal(t, t2), "re-parsed tally is equal", file, line);
		out2 = format(t2);
		check_impl(strcmp(out, out2) == 0, "re-formatted text is identical", file, line);
		release(out2);
		release(t2);
	}
	release(out);
	release(t);
}

#define round_trip(text, canonical) round_trip_at((text), (canonical), __FILE__, __LINE__)

static mh_tally *
build(bool known, int64_t registered, int64_t cast, int64_t invalid,
	  const int64_t *cands, const int64_t *votes, size_t n)
{
	mh_tally   *t = NULL;
	mh_error	err;
	mh_status	status = mh_tally_build(known, registered, cast, invalid, cands, votes, n,
										&heap, &t, &err);

	if (!CHECK(status == MH_OK))
	{
		fprintf(stderr, "     build: %s: %s\n", mh_status_name(status), err.detail);
		return NULL;
	}
	return t;
}

static mh_tally *
counter_tally(const mh_counter *c)
{
	mh_tally   *t = heap.alloc(heap.ctx, mh_counter_tally_size(c));

	mh_counter_to_tally(c, t);
	return t;
}

static bool
tally_is_sorted(const mh_tally *t)
{
	uint32_t	i;

	for (i = 1; i < t->ncandidates; i++)
		if (t->votes[i - 1].candidate >= t->votes[i].candidate)
			return false;
	return true;
}

static int64_t
votes_of(const mh_tally *t, int64_t candidate)
{
	const mh_vote *v = mh_tally_find(t, candidate);

	return v ? v->votes : -1;
}

/* ---------------------------------------------------------------- text */

static void
test_text_round_trips(void)
{
	mh_tally   *t;

	BEGIN_TEST("text round trips");
	round_trip("registered=1000 cast=620 invalid=3 votes={17:300,42:317}",
			   "registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
	/* any order of fields and of pairs */
	round_trip("votes={42:317,17:300} invalid=3 cast=620 registered=1000",
			   "registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
	round_trip("invalid=3 votes={42:317,17:300} registered=1000 cast=620",
			   "registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
	/* white space of every kind, around every token */
	round_trip(" \t\n registered = 1000\r\n\tcast=\f620\vinvalid =3  votes = {  42 : 317 ,\n17:300 }  \n",
			   "registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
	/* registered unknown: left out on output */
	round_trip("cast=620 invalid=3 votes={17:300,42:317}",
			   "cast=620 invalid=3 votes={17:300,42:317}");
	/* defaults: invalid 0, votes none, cast = invalid + votes */
	round_trip("votes={1:2,3:4}", "cast=6 invalid=0 votes={1:2,3:4}");
	round_trip("invalid=5", "cast=5 invalid=5 votes={}");
	round_trip("invalid=5 votes={7:1}", "cast=6 invalid=5 votes={7:1}");
	round_trip("cast=10", "cast=10 invalid=0 votes={}");
	round_trip("registered=0", "registered=0 cast=0 invalid=0 votes={}");
	round_trip("registered=10 votes={3:4}", "registered=10 cast=4 invalid=0 votes={3:4}");
	round_trip("votes={}", "cast=0 invalid=0 votes={}");
	round_trip("votes={ }", "cast=0 invalid=0 votes={}");
	round_trip("votes={1:0}", "cast=0 invalid=0 votes={1:0}");
	/* signs, leading zeros, negative and extreme candidate numbers */
	round_trip("cast=+5 invalid=-0", "cast=5 invalid=0 votes={}");
	round_trip("cast=007 votes={0005:0002}", "cast=7 invalid=0 votes={5:2}");
	round_trip("votes={-5:1,0:0,9223372036854775807:2,-9223372036854775808:3,+8:1}",
			   "cast=7 invalid=0 votes={-9223372036854775808:3,-5:1,0:0,8:1,9223372036854775807:2}");
	/* INT64_MAX counts */
	round_trip("registered=9223372036854775807 cast=9223372036854775807 invalid=9223372036854775807",
			   "registered=9223372036854775807 cast=9223372036854775807 invalid=9223372036854775807 votes={}");
	round_trip("votes={-9223372036854775808:9223372036854775807}",
			   "cast=9223372036854775807 invalid=0 votes={-9223372036854775808:9223372036854775807}");
	round_trip("votes={1:4611686018427387904,2:4611686018427387903}",
			   "cast=9223372036854775807 invalid=0 votes={1:4611686018427387904,2:4611686018427387903}");

	/* the fields land where they should */
	t = parse_ok("votes={42:317,17:300} invalid=3 cast=620 registered=1000");
	if (t != NULL)
	{
		CHECK(mh_tally_registered_known(t));
		CHECK_I64(t->registered, 1000);
		CHECK_I64(t->cast, 620);
		CHECK_I64(t->invalid, 3);
		CHECK_I64(t->ncandidates, 2);
		CHECK_I64(t->votes[0].candidate, 17);
		CHECK_I64(t->votes[0].votes, 300);
		CHECK_I64(t->votes[1].candidate, 42);
		CHECK_I64(t->votes[1].votes, 317);
		CHECK_I64(mh_tally_valid_votes(t), 617);
		CHECK_I64(t->version, MH_TALLY_VERSION);
		CHECK_I64(t->reserved, 0);
		release(t);
	}
	t = parse_ok("cast=9");
	if (t != NULL)
	{
		CHECK(!mh_tally_registered_known(t));
		CHECK_I64(t->registered, 0);
		CHECK_I64(t->flags, 0);
		CHECK_I64(t->invalid, 0);
		CHECK_I64(t->ncandidates, 0);
		release(t);
	}

	/* many candidates, in reverse order */
	{
		char	   *text = malloc(64 * 1024);
		char	   *p = text;
		int			i;

		p += sprintf(p, "votes={");
		for (i = 999; i >= 0; i--)
			p += sprintf(p, "%s%d:%d", i == 999 ? "" : ",", i * 7 - 3000, i);
		sprintf(p, "}");
		t = parse_ok(text);
		if (t != NULL)
		{
			CHECK_I64(t->ncandidates, 1000);
			CHECK(tally_is_sorted(t));
			CHECK_I64(t->cast, 999 * 1000 / 2);
			CHECK_I64(votes_of(t, 500 * 7 - 3000), 500);
			release(t);
		}
		free(text);
	}
}

static void
test_text_errors(void)
{
	BEGIN_TEST("text errors");
	/* empty input */
	parse_fails("", MH_ESYNTAX);
	parse_fails("   \t\n ", MH_ESYNTAX);

	/* syntax of every kind */
	parse_fails("foo=1", MH_ESYNTAX);
	parse_fails("Cast=5", MH_ESYNTAX);
	parse_fails("castx=5", MH_ESYNTAX);
	parse_fails("cas=5", MH_ESYNTAX);
	parse_fails("cast", MH_ESYNTAX);
	parse_fails("cast ", MH_ESYNTAX);
	parse_fails("cast=", MH_ESYNTAX);
	parse_fails("cast= ", MH_ESYNTAX);
	parse_fails("cast:5", MH_ESYNTAX);
	parse_fails("cast==5", MH_ESYNTAX);
	parse_fails("=5", MH_ESYNTAX);
	parse_fails("cast=abc", MH_ESYNTAX);
	parse_fails("cast=5x", MH_ESYNTAX);
	parse_fails("cast=5.0", MH_ESYNTAX);
	parse_fails("cast=1e3", MH_ESYNTAX);
	parse_fails("cast=0x10", MH_ESYNTAX);
	parse_fails("cast=-", MH_ESYNTAX);
	parse_fails("cast=+", MH_ESYNTAX);
	parse_fails("cast=- 5", MH_ESYNTAX);
	parse_fails("cast=--5", MH_ESYNTAX);
	parse_fails("cast=5,invalid=1", MH_ESYNTAX);
	parse_fails("cast=5;invalid=1", MH_ESYNTAX);
	parse_fails("cast=5 junk", MH_ESYNTAX);
	parse_fails("cast=5 ,", MH_ESYNTAX);
	parse_fails("votes", MH_ESYNTAX);
	parse_fails("votes=", MH_ESYNTAX);
	parse_fails("votes=1:2", MH_ESYNTAX);
	parse_fails("votes={", MH_ESYNTAX);
	parse_fails("votes={1", MH_ESYNTAX);
	parse_fails("votes={1:", MH_ESYNTAX);
	parse_fails("votes={1:2", MH_ESYNTAX);
	parse_fails("votes={1:2,", MH_ESYNTAX);
	parse_fails("votes={1:2,3:4", MH_ESYNTAX);
	parse_fails("votes={1:2,}", MH_ESYNTAX);
	parse_fails("votes={,1:2}", MH_ESYNTAX);
	parse_fails("votes={1 2}", MH_ESYNTAX);
	parse_fails("votes={1:}", MH_ESYNTAX);
	parse_fails("votes={:2}", MH_ESYNTAX);
	parse_fails("votes={1}", MH_ESYNTAX);
	parse_fails("votes={1,2}", MH_ESYNTAX);
	parse_fails("votes={1::2}", MH_ESYNTAX);
	parse_fails("votes={1:2:3}", MH_ESYNTAX);
	parse_fails("votes={1:2;3:4}", MH_ESYNTAX);
	parse_fails("votes={1:2}}", MH_ESYNTAX);
	parse_fails("votes={{1:2}", MH_ESYNTAX);
	parse_fails("votes={a:2}", MH_ESYNTAX);
	parse_fails("votes={+:1}", MH_ESYNTAX);
	parse_fails("votes=[1:2]", MH_ESYNTAX);
	parse_fails("votes={1:2}cast=3", MH_ESYNTAX);
	parse_fails("votes={1:2} x", MH_ESYNTAX);
	parse_fails("votes=}", MH_ESYNTAX);
	parse_fails("cast=5\x01", MH_ESYNTAX);
	/* a field named twice */
	parse_fails("cast=5 cast=5", MH_ESYNTAX);
	parse_fails("registered=1 cast=0 registered=1", MH_ESYNTAX);
	parse_fails("invalid=0 invalid=0", MH_ESYNTAX);
	parse_fails("votes={} votes={}", MH_ESYNTAX);
	parse_fails("votes={1:2} cast=9 votes={1:2}", MH_ESYNTAX);

	/* negative counts (candidate numbers may be negative) */
	parse_fails("cast=-1", MH_ENEGATIVE);
	parse_fails("registered=-1", MH_ENEGATIVE);
	parse_fails("invalid=-1 cast=5", MH_ENEGATIVE);
	parse_fails("votes={1:-1}", MH_ENEGATIVE);
	parse_fails("votes={1:2,3:-4}", MH_ENEGATIVE);
	parse_fails("cast=-9223372036854775808", MH_ENEGATIVE);
	parse_fails("votes={5:-9223372036854775808}", MH_ENEGATIVE);

	/* the 64-bit range */
	parse_fails("cast=9223372036854775808", MH_EOVERFLOW);
	parse_fails("cast=-9223372036854775809", MH_EOVERFLOW);
	parse_fails("registered=18446744073709551616", MH_EOVERFLOW);
	parse_fails("invalid=99999999999999999999999999", MH_EOVERFLOW);
	parse_fails("votes={9223372036854775808:1}", MH_EOVERFLOW);
	parse_fails("votes={-9223372036854775809:1}", MH_EOVERFLOW);
	parse_fails("votes={1:9223372036854775808}", MH_EOVERFLOW);
	parse_fails("votes={1:9223372036854775807,2:1}", MH_EOVERFLOW);
	parse_fails("invalid=9223372036854775807 votes={1:1}", MH_EOVERFLOW);
	parse_fails("cast=9223372036854775807 invalid=9223372036854775807 votes={1:1}",
				MH_EOVERFLOW);

	/* duplicate candidates */
	parse_fails("votes={1:2,1:3}", MH_EDUPLICATE);
	parse_fails("votes={5:0,3:1,5:0}", MH_EDUPLICATE);
	parse_fails("votes={-0:1,0:1}", MH_EDUPLICATE);
	parse_fails("votes={7:1,+7:1}", MH_EDUPLICATE);

	/* counts that do not add up */
	parse_fails("cast=5 invalid=3 votes={1:3}", MH_EINCONSISTENT);
	parse_fails("cast=5 invalid=6", MH_EINCONSISTENT);
	parse_fails("cast=2 votes={1:1,2:1,3:1}", MH_EINCONSISTENT);
	parse_fails("registered=5 cast=6", MH_EINCONSISTENT);
	parse_fails("registered=5 votes={1:6}", MH_EINCONSISTENT);
	parse_fails("registered=0 invalid=1", MH_EINCONSISTENT);
	parse_fails("registered=1000 cast=1001 invalid=3 votes={17:300,42:317}", MH_EINCONSISTENT);
	parse_fails("registered=1000 cast=619 invalid=3 votes={17:300,42:317}", MH_EINCONSISTENT);
	/* ...exactly at the limit is fine */
	round_trip("registered=620 cast=620 invalid=3 votes={17:300,42:317}",
			   "registered=620 cast=620 invalid=3 votes={17:300,42:317}");
	round_trip("registered=1000 cast=617 votes={17:300,42:317}",
			   "registered=1000 cast=617 invalid=0 votes={17:300,42:317}");

	/* out of memory at every allocation */
	{
		test_alloc_state st = {0, 0, 0};
		mh_allocator failing = {test_alloc, test_free, &st, NULL};
		mh_tally   *t = NULL;
		mh_error	err;

		CHECK_STATUS(mh_tally_parse("cast=1", &failing, &t, &err), MH_ENOMEM);
		CHECK_STATUS(err.status, MH_ENOMEM);
		CHECK_STATUS(mh_tally_parse("votes={1:1}", &failing, &t, &err), MH_ENOMEM);
		CHECK(st.live == 0);
	}
}

/* ---------------------------------------------------------------- binary */

/* Encodes t, decodes it, and checks both the tally and a re-encoding. */
static void
binary_round_trip_tally(const mh_tally *t)
{
	mh_tally   *t2 = NULL;
	uint8_t    *buf;
	uint8_t    *buf2;
	size_t		size;
	mh_error	err;

	size = mh_tally_binary_size(t);
	if (mh_tally_key_kind(t) == MH_KEYS_TEXT)
		CHECK_I64(size, MH_BINARY_HEADER_SIZE + 12 * t->ncandidates +
				  mh_tally_total_size(t) - mh_tally_size(t->ncandidates));
	else
		CHECK_I64(size, MH_BINARY_HEADER_SIZE + 16 * t->ncandidates + mh_trailer_size(t->flags));
	buf = malloc(size);
	buf2 = malloc(size);
	mh_tally_encode(t, buf);
	CHECK_STATUS(mh_tally_decode(buf, size, &heap, &t2, &err), MH_OK);
	if (t2 != NULL)
	{
		CHECK(mh_tally_equal(t, t2));
		CHECK_I64(mh_tally_binary_size(t2), size);
		mh_tally_encode(t2, buf2);
		CHECK(memcmp(buf, buf2, size) == 0);
		release(t2);
	}
	free(buf);
	free(buf2);
}

static void
binary_round_trip(const char *text)
{
	mh_tally   *t = parse_ok(text);

	if (t == NULL)
		return;
	binary_round_trip_tally(t);
	release(t);
}

/* Encodes a text tally into buf (which must be large enough). */
static size_t
encode_text(const char *text, uint8_t *buf)
{
	mh_tally   *t = parse_ok(text);
	size_t		size;

	if (t == NULL)
		return 0;
	size = mh_tally_binary_size(t);
	mh_tally_encode(t, buf);
	release(t);
	return size;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	int			i;

	for (i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) v;
		v >>= 8;
	}
}

static void
decode_fails_at(const uint8_t *buf, size_t len, mh_status expected, const char *file, int line)
{
	mh_tally   *t = NULL;
	mh_error	err = {MH_OK, ""};
	long		live = heap_state.live;
	long		total = heap_state.total;
	mh_status	status = mh_tally_decode(buf, len, &heap, &t, &err);

	if (!check_impl(status == expected, "decode fails with the expected status", file, line))
		fprintf(stderr, "     got %s (%s), expected %s\n", mh_status_name(status),
				err.detail, mh_status_name(expected));
	if (status == MH_OK)
	{
		release(t);
		return;
	}
	check_impl(err.status == status && err.detail[0] != '\0',
			   "the error carries its status and a detail", file, line);
	check_impl(heap_state.live == live, "a failed decode frees what it allocated", file, line);
	/*
	 * The length is checked before anything is allocated (text keys: the
	 * fixed part of it; their lengths are read once the tally is allocated).
	 */
	if ((expected == MH_ETRUNCATED || expected == MH_ETRAILING || expected == MH_ETOOBIG) &&
		(len < MH_BINARY_HEADER_SIZE || (buf[1] & MH_TALLY_TEXT_KEYS) == 0))
		check_impl(heap_state.total == total, "no allocation before the length check",
				   file, line);
}

#define decode_fails(buf, len, status) decode_fails_at((buf), (len), (status), __FILE__, __LINE__)

static void
test_binary(void)
{
	uint8_t		buf[256];
	uint8_t		bad[256];
	size_t		len;
	mh_tally   *t = NULL;
	mh_error	err;

	BEGIN_TEST("binary");
	binary_round_trip("registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
	binary_round_trip("cast=620 invalid=3 votes={17:300,42:317}");
	binary_round_trip("cast=0");
	binary_round_trip("registered=0");
	binary_round_trip("votes={-9223372036854775808:1,-1:2,0:0,9223372036854775807:3}");
	binary_round_trip("registered=9223372036854775807 cast=9223372036854775807 "
					  "invalid=1 votes={1:9223372036854775806}");

	/* the exact layout: big-endian, version, flags, counts, n, pairs */
	len = encode_text("registered=1000 cast=620 invalid=3 votes={17:300,-2:317}", buf);
	{
		static const uint8_t expected[] = {
			1, 1,
			0, 0, 0, 0, 0, 0, 0x03, 0xE8,
			0, 0, 0, 0, 0, 0, 0x02, 0x6C,
			0, 0, 0, 0, 0, 0, 0, 3,
			0, 0, 0, 2,
			0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
			0, 0, 0, 0, 0, 0, 0x01, 0x3D,
			0, 0, 0, 0, 0, 0, 0, 17,
			0, 0, 0, 0, 0, 0, 0x01, 0x2C,
		};

		CHECK_I64(len, sizeof(expected));
		CHECK(len == sizeof(expected) && memcmp(buf, expected, len) == 0);
	}
	len = encode_text("cast=1", buf);
	CHECK_I64(len, MH_BINARY_HEADER_SIZE);
	CHECK_I64(buf[1], 0);		/* registered unknown: no flag */

	/* decode errors */
	len = encode_text("registered=1000 cast=620 invalid=3 votes={17:300,42:317}", buf);
	CHECK_STATUS(mh_tally_decode(buf, len, &heap, &t, &err), MH_OK);
	release(t);
	decode_fails(buf, 0, MH_ETRUNCATED);
	decode_fails(buf, 1, MH_ETRUNCATED);
	decode_fails(buf, MH_BINARY_HEADER_SIZE - 1, MH_ETRUNCATED);
	decode_fails(buf, MH_BINARY_HEADER_SIZE, MH_ETRUNCATED);
	decode_fails(buf, len - 1, MH_ETRUNCATED);
	decode_fails(buf, len - 16, MH_ETRUNCATED);
	memcpy(bad, buf, len);
	bad[len] = 0;
	decode_fails(bad, len + 1, MH_ETRAILING);
	decode_fails(bad, len + 16, MH_ETRAILING);

	/* version */
	memcpy(bad, buf, len);
	bad[0] = 0;
	decode_fails(bad, len, MH_EVERSION);
	bad[0] = 2;
	decode_fails(bad, len, MH_EVERSION);
	bad[0] = 0xFF;
	decode_fails(bad, MH_BINARY_HEADER_SIZE - 1, MH_ETRUNCATED);	/* length first */

	/* unknown flags */
	memcpy(bad, buf, len);
	bad[1] = 0x20;
	decode_fails(bad, len, MH_EVERSION);
	bad[1] = 0x81;
	decode_fails(bad, len, MH_EVERSION);
	bad[1] = 0xFF;
	decode_fails(bad, len, MH_EVERSION);

	/* registered unknown but nonzero */
	memcpy(bad, buf, len);
	bad[1] = 0;
	decode_fails(bad, len, MH_EVERSION);
	put_be64(bad + 2, 0);
	CHECK_STATUS(mh_tally_decode(bad, len, &heap, &t, &err), MH_OK);
	if (t != NULL)
	{
		CHECK(!mh_tally_registered_known(t));
		release(t);
		t = NULL;
	}

	/* unsorted, duplicate candidates */
	memcpy(bad, buf, len);
	put_be64(bad + 30, 50);		/* 50 then 42 */
	decode_fails(bad, len, MH_EUNSORTED);
	put_be64(bad + 30, 42);		/* 42 then 42 */
	decode_fails(bad, len, MH_EDUPLICATE);
	put_be64(bad + 30, (uint64_t) -1);	/* -1 then 42: fine */
	CHECK_STATUS(mh_tally_decode(bad, len, &heap, &t, &err), MH_OK);
	release(t);
	t = NULL;

	/* negative counts */
	memcpy(bad, buf, len);
	put_be64(bad + 38, (uint64_t) -300);
	decode_fails(bad, len, MH_ENEGATIVE);
	memcpy(bad, buf, len);
	put_be64(bad + 10, (uint64_t) -1);
	decode_fails(bad, len, MH_ENEGATIVE);
	memcpy(bad, buf, len);
	put_be64(bad + 18, (uint64_t) INT64_MIN);
	decode_fails(bad, len, MH_ENEGATIVE);
	memcpy(bad, buf, len);
	put_be64(bad + 2, (uint64_t) -1000);
	decode_fails(bad, len, MH_ENEGATIVE);

	/* inconsistent and overflowing counts */
	memcpy(bad, buf, len);
	put_be64(bad + 10, 619);	/* cast < votes + invalid */
	decode_fails(bad, len, MH_EINCONSISTENT);
	memcpy(bad, buf, len);
	put_be64(bad + 2, 619);		/* registered < cast */
	decode_fails(bad, len, MH_EINCONSISTENT);
	memcpy(bad, buf, len);
	put_be64(bad + 38, (uint64_t) INT64_MAX);	/* votes sum beyond range */
	decode_fails(bad, len, MH_EOVERFLOW);

	/* ncandidates far beyond the bytes present */
	memcpy(bad, buf, MH_BINARY_HEADER_SIZE);
	bad[26] = 0x02;				/* 2^25 exactly: allowed, but truncated */
	bad[27] = bad[28] = bad[29] = 0;
	decode_fails(bad, MH_BINARY_HEADER_SIZE, MH_ETRUNCATED);
	bad[29] = 1;				/* 2^25 + 1: too many */
	decode_fails(bad, MH_BINARY_HEADER_SIZE, MH_ETOOBIG);
	bad[26] = bad[27] = bad[28] = bad[29] = 0xFF;
	decode_fails(bad, MH_BINARY_HEADER_SIZE, MH_ETOOBIG);
	decode_fails(bad, len, MH_ETOOBIG);
	bad[26] = 0;
	bad[27] = 0x10;
	bad[28] = bad[29] = 0;
	decode_fails(bad, len, MH_ETRUNCATED);

	/* out of memory */
	{
		test_alloc_state st = {0, 0, 0};
		mh_allocator failing = {test_alloc, test_free, &st, NULL};

		CHECK_STATUS(mh_tally_decode(buf, len, &failing, &t, &err), MH_ENOMEM);
		CHECK(st.live == 0);
	}
}

/* ---------------------------------------------------------------- tally */

static void
test_tally_add(void)
{
	mh_tally   *a,
			   *b,
			   *u,
			   *r = NULL,
			   *r2 = NULL;
	mh_error	err;
	char	   *s;

	BEGIN_TEST("mh_tally_add");
	a = parse_ok("registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
	b = parse_ok("registered=500 cast=400 invalid=10 votes={5:1,42:100,99:200}");
	u = parse_ok("cast=7 invalid=1 votes={17:6}");
	if (a == NULL || b == NULL || u == NULL)
		return;

	CHECK_STATUS(mh_tally_add(a, b, &heap, &r, &err), MH_OK);
	s = format(r);
	CHECK_STR(s, "registered=1500 cast=1020 invalid=13 votes={5:1,17:300,42:417,99:200}");
	CHECK_STATUS(mh_tally_check(r, mh_tally_size(r->ncandidates), &err), MH_OK);
	CHECK_STATUS(mh_tally_add(b, a, &heap, &r2, &err), MH_OK);
	CHECK(mh_tally_equal(r, r2));
	release(s);
	release(r);
	release(r2);

	/* registered is known only if both parts know it */
	CHECK_STATUS(mh_tally_add(a, u, &heap, &r, &err), MH_OK);
	s = format(r);
	CHECK_STR(s, "cast=627 invalid=4 votes={17:306,42:317}");
	CHECK(!mh_tally_registered_known(r));
	CHECK_I64(r->registered, 0);
	CHECK_STATUS(mh_tally_check(r, mh_tally_size(r->ncandidates), &err), MH_OK);
	release(s);
	release(r);
	CHECK_STATUS(mh_tally_add(u, a, &heap, &r, &err), MH_OK);
	CHECK(!mh_tally_registered_known(r));
	release(r);
	CHECK_STATUS(mh_tally_add(u, u, &heap, &r, &err), MH_OK);
	s = format(r);
	CHECK_STR(s, "cast=14 invalid=2 votes={17:12}");
	release(s);
	release(r);

	/* empty parts */
	{
		mh_tally   *e = parse_ok("registered=0");
		mh_tally   *z = parse_ok("votes={}");

		CHECK_STATUS(mh_tally_add(e, e, &heap, &r, &err), MH_OK);
		s = format(r);
		CHECK_STR(s, "registered=0 cast=0 invalid=0 votes={}");
		release(s);
		release(r);
		CHECK_STATUS(mh_tally_add(e, a, &heap, &r, &err), MH_OK);
		CHECK(mh_tally_equal(r, a));
		release(r);
		CHECK_STATUS(mh_tally_add(z, a, &heap, &r, &err), MH_OK);
		CHECK(!mh_tally_registered_known(r));
		CHECK_I64(r->cast, 620);
		release(r);
		release(e);
		release(z);
	}

	/* overflow */
	{
		mh_tally   *big = parse_ok("registered=9223372036854775807 cast=5");
		mh_tally   *one = parse_ok("registered=1");
		mh_tally   *bigcast = parse_ok("cast=9223372036854775807 votes={1:9223372036854775807}");
		mh_tally   *onevote = parse_ok("votes={1:1}");
		mh_tally   *biginv = parse_ok("invalid=9223372036854775000");
		mh_tally   *inv = parse_ok("invalid=1000");
		long		live = heap_state.live;

		CHECK_STATUS(mh_tally_add(big, one, &heap, &r, &err), MH_EOVERFLOW);
		CHECK_STATUS(err.status, MH_EOVERFLOW);
		CHECK_STATUS(mh_tally_add(one, big, &heap, &r, &err), MH_EOVERFLOW);
		CHECK_STATUS(mh_tally_add(bigcast, onevote, &heap, &r, &err), MH_EOVERFLOW);
		CHECK_STATUS(mh_tally_add(onevote, bigcast, &heap, &r, &err), MH_EOVERFLOW);
		CHECK_STATUS(mh_tally_add(biginv, inv, &heap, &r, &err), MH_EOVERFLOW);
		CHECK(heap_state.live == live);
		/* registered overflows only matter when both know it */
		{
			mh_tally   *unk = parse_ok("cast=1");

			CHECK_STATUS(mh_tally_add(big, unk, &heap, &r, &err), MH_OK);
			CHECK(!mh_tally_registered_known(r));
			CHECK_I64(r->cast, 6);
			release(r);
			release(unk);
		}
		/* right at the edge */
		{
			mh_tally   *half = parse_ok("votes={1:4611686018427387904}");
			mh_tally   *rest = parse_ok("votes={1:4611686018427387903}");

			CHECK_STATUS(mh_tally_add(half, rest, &heap, &r, &err), MH_OK);
			CHECK_I64(r->cast, INT64_MAX);
			CHECK_I64(votes_of(r, 1), INT64_MAX);
			release(r);
			CHECK_STATUS(mh_tally_add(half, half, &heap, &r, &err), MH_EOVERFLOW);
			release(half);
			release(rest);
		}
		release(big);
		release(one);
		release(bigcast);
		release(onevote);
		release(biginv);
		release(inv);
	}

	/* out of memory */
	{
		test_alloc_state st = {0, 0, 0};
		mh_allocator failing = {test_alloc, test_free, &st, NULL};

		CHECK_STATUS(mh_tally_add(a, b, &failing, &r, &err), MH_ENOMEM);
	}
	release(a);
	release(b);
	release(u);
}

static void
test_tally_build_and_more(void)
{
	mh_tally   *t = NULL,
			   *t2 = NULL;
	mh_error	err;
	char	   *s;
	long		live;

	BEGIN_TEST("mh_tally_build and friends");
	{
		int64_t		cands[] = {42, 17, -3};
		int64_t		votes[] = {317, 300, 0};

		t = build(true, 1000, 620, 3, cands, votes, 3);
		if (t != NULL)
		{
			s = format(t);
			CHECK_STR(s, "registered=1000 cast=620 invalid=3 votes={-3:0,17:300,42:317}");
			CHECK_STATUS(mh_tally_check(t, mh_tally_size(t->ncandidates), &err), MH_OK);
			release(s);
		}
		/* the arrays are not modified */
		CHECK(cands[0] == 42 && cands[1] == 17 && cands[2] == -3);
		CHECK(votes[0] == 317 && votes[1] == 300 && votes[2] == 0);

		/* registered unknown: whatever number is passed is dropped */
		t2 = build(false, 12345, 620, 3, cands, votes, 3);
		if (t2 != NULL)
		{
			CHECK(!mh_tally_registered_known(t2));
			CHECK_I64(t2->registered, 0);
			CHECK(!mh_tally_equal(t, t2));
			release(t2);
		}

		/* find */
		CHECK_I64(votes_of(t, -3), 0);
		CHECK_I64(votes_of(t, 17), 300);
		CHECK_I64(votes_of(t, 42), 317);
		CHECK(mh_tally_find(t, 0) == NULL);
		CHECK(mh_tally_find(t, -4) == NULL);
		CHECK(mh_tally_find(t, 43) == NULL);
		CHECK(mh_tally_find(t, INT64_MIN) == NULL);
		CHECK(mh_tally_find(t, INT64_MAX) == NULL);

		/* with_registered */
		CHECK_STATUS(mh_tally_with_registered(t, false, 0, &heap, &t2, &err), MH_OK);
		s = format(t2);
		CHECK_STR(s, "cast=620 invalid=3 votes={-3:0,17:300,42:317}");
		release(s);
		release(t2);
		CHECK_STATUS(mh_tally_with_registered(t, true, 620, &heap, &t2, &err), MH_OK);
		CHECK_I64(t2->registered, 620);
		CHECK(mh_tally_registered_known(t2));
		release(t2);
		CHECK_STATUS(mh_tally_with_registered(t, true, 619, &heap, &t2, &err), MH_EINCONSISTENT);
		CHECK_STATUS(mh_tally_with_registered(t, true, -1, &heap, &t2, &err), MH_ENEGATIVE);
		release(t);
	}

	/* no candidates at all, with NULL arrays */
	t = build(false, 0, 5, 5, NULL, NULL, 0);
	if (t != NULL)
	{
		s = format(t);
		CHECK_STR(s, "cast=5 invalid=5 votes={}");
		release(s);
		release(t);
	}

	live = heap_state.live;
	{
		int64_t		dup_c[] = {3, 1, 3};
		int64_t		dup_v[] = {1, 1, 1};
		int64_t		neg_v[] = {1, -1, 1};
		int64_t		big_v[] = {INT64_MAX, 1, 0};

		CHECK_STATUS(mh_tally_build(true, 10, 3, 0, dup_c, dup_v, 3, &heap, &t, &err),
					 MH_EDUPLICATE);
		CHECK_STATUS(err.status, MH_EDUPLICATE);
		CHECK_STATUS(mh_tally_build(true, 10, 3, 0, dup_c, neg_v, 3, &heap, &t, &err),
					 MH_ENEGATIVE);
		CHECK_STATUS(mh_tally_build(false, 0, INT64_MAX, 0, dup_c, big_v, 3, &heap, &t, &err),
					 MH_EOVERFLOW);
		CHECK_STATUS(mh_tally_build(true, 10, 2, 0, dup_c, dup_v, 3, &heap, &t, &err),
					 MH_EINCONSISTENT);
		CHECK_STATUS(mh_tally_build(true, 2, 3, 0, NULL, NULL, 0, &heap, &t, &err),
					 MH_EINCONSISTENT);
		CHECK_STATUS(mh_tally_build(true, -2, 0, 0, NULL, NULL, 0, &heap, &t, &err),
					 MH_ENEGATIVE);
		CHECK_STATUS(mh_tally_build(false, 0, -1, 0, NULL, NULL, 0, &heap, &t, &err),
					 MH_ENEGATIVE);
		CHECK_STATUS(mh_tally_build(false, 0, 3, -1, NULL, NULL, 0, &heap, &t, &err),
					 MH_ENEGATIVE);
		CHECK_STATUS(mh_tally_build(false, 0, 0, 0, dup_c, dup_v,
									(size_t) MH_TALLY_MAX_CANDIDATES + 1, &heap, &t, &err),
					 MH_ETOOBIG);
	}
	CHECK(heap_state.live == live);

	/* mh_tally_check on hand-made blocks */
	{
		mh_tally   *h = malloc(mh_tally_size(2) + 16);

		mh_tally_init(h, 2, false, true, 10, 5, 1);
		h->votes[0].candidate = 1;
		h->votes[0].votes = 2;
		h->votes[1].candidate = 2;
		h->votes[1].votes = 2;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_OK);
		CHECK_STATUS(mh_tally_check(h, MH_TALLY_HEADER_SIZE - 1, &err), MH_ETRUNCATED);
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2) - 1, &err), MH_ETRUNCATED);
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2) + 1, &err), MH_ETRAILING);
		h->reserved = 1;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_EVERSION);
		h->reserved = 0;
		h->version = 2;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_EVERSION);
		h->version = MH_TALLY_VERSION;
		h->flags = 0x20;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_EVERSION);
		h->flags = 0;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_EVERSION);	/* reg 10 */
		h->registered = 0;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_OK);
		h->ncandidates = MH_TALLY_MAX_CANDIDATES + 1;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_ETOOBIG);
		h->ncandidates = 2;
		h->votes[1].candidate = 1;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_EDUPLICATE);
		h->votes[1].candidate = 0;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(2), &err), MH_EUNSORTED);
		free(h);
	}

	/* equal: registered known or not matters */
	{
		mh_tally   *x = parse_ok("registered=0 cast=0");
		mh_tally   *y = parse_ok("cast=0");
		mh_tally   *z = parse_ok("invalid=0");

		CHECK(!mh_tally_equal(x, y));
		CHECK(mh_tally_equal(y, z));
		release(x);
		release(y);
		release(z);
	}

	/* status names */
	CHECK_STR(mh_status_name(MH_OK), "ok");
	CHECK_STR(mh_status_name(MH_ESYNTAX), "syntax");
	CHECK_STR(mh_status_name(MH_ENOMEM), "out of memory");
	CHECK_STR(mh_status_name((mh_status) 999), "unknown");
}

/* ---------------------------------------------------------------- counter */

/* A fresh count of ballots held as plain counts (zero counts left out). */
static mh_tally *
fresh_count(const int64_t *cands, const int64_t *counts, size_t n, int64_t invalid)
{
	mh_counter	c;
	mh_error	err;
	size_t		i;
	int64_t		k;
	mh_tally   *t;

	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	for (k = 0; k < invalid; k++)
		mh_counter_add_ballot(&c, true, 0, &err);
	for (i = 0; i < n; i++)
		for (k = 0; k < counts[i]; k++)
			mh_counter_add_ballot(&c, false, cands[i], &err);
	t = counter_tally(&c);
	mh_counter_release(&c);
	return t;
}

static bool
counter_load_ok(const mh_counter *c)
{
	uint32_t	i,
				used = 0;

	if (c->line->capacity == 0)
		return c->line->nsmall == c->ncandidates && c->ncandidates <= MH_COUNTER_SMALL;
	if ((c->line->capacity & (c->line->capacity - 1)) != 0 || c->line->nsmall != 0)
		return false;
	for (i = 0; i < c->line->capacity; i++)
		if (c->line->u.table.slots[i].votes != MH_COUNTER_EMPTY)
			used++;
	return used == c->ncandidates && (uint64_t) used * 4 <= (uint64_t) c->line->capacity * 3 &&
		c->line->shift == 64 - __builtin_ctz(c->line->capacity);
}

static void
test_counter_many(void)
{
	enum
	{
		NCAND = 5000
	};
	static int64_t cands[NCAND];
	static int64_t naive[NCAND];
	mh_counter	c;
	mh_error	err;
	mh_tally   *t;
	int64_t		invalid = 0,
				total = 0;
	uint32_t	i,
				grows = 0,
				last_capacity;
	int			k;
	bool		all_ok = true;

	BEGIN_TEST("counter: many candidates");
	for (i = 0; i < NCAND; i++)
	{
		/* spread widely, with negative and extreme numbers */
		cands[i] = (int64_t) (rng() >> 1) * ((i & 1) ? -1 : 1);
		naive[i] = 0;
	}
	cands[0] = INT64_MIN;
	cands[1] = INT64_MAX;
	cands[2] = 0;
	cands[3] = -1;

	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_I64(c.line->capacity, 0);	/* the small table, in the counter itself */
	CHECK_I64(mh_counter_memory(&c), sizeof(mh_counter));
	last_capacity = c.line->capacity;
	for (k = 0; k < 60000; k++)
	{
		uint64_t	r = rng();

		if (k >= NCAND && r % 17 == 0)
		{
			all_ok &= mh_counter_add_ballot(&c, true, (int64_t) r, &err) == MH_OK;
			invalid++;
		}
		else
		{
			/* the first ballots meet every candidate, later ones skew */
			uint32_t	who = k < NCAND ? (uint32_t) k : (uint32_t) ((r >> 8) % (r % 3 ? 50 : NCAND));

			all_ok &= mh_counter_add_ballot(&c, false, cands[who], &err) == MH_OK;
			naive[who]++;
		}
		total++;
		if (c.line->capacity != last_capacity)
		{
			grows++;
			last_capacity = c.line->capacity;
			all_ok &= counter_load_ok(&c);
		}
	}
	CHECK(all_ok);
	CHECK(grows >= 8);
	CHECK(counter_load_ok(&c));
	CHECK_I64(c.ncandidates, NCAND);
	CHECK_I64(mh_counter_cast(&c), total);
	CHECK_I64(c.invalid, invalid);
	CHECK_I64(mh_counter_memory(&c), sizeof(mh_counter) + (size_t) c.line->capacity * sizeof(mh_vote));
	CHECK(c.line->registered_state == MH_REGISTERED_UNKNOWN);

	t = counter_tally(&c);
	CHECK_I64(t->ncandidates, NCAND);
	CHECK(tally_is_sorted(t));
	CHECK_STATUS(mh_tally_check(t, mh_tally_size(t->ncandidates), &err), MH_OK);
	CHECK(!mh_tally_registered_known(t));
	CHECK_I64(t->cast, total);
	CHECK_I64(t->invalid, invalid);
	all_ok = true;
	for (i = 0; i < NCAND; i++)
		all_ok &= votes_of(t, cands[i]) == naive[i];
	CHECK(all_ok);

	/* to_tally leaves the counter as it was */
	{
		mh_tally   *again = counter_tally(&c);

		CHECK(mh_tally_equal(t, again));
		release(again);
	}

	/* the leader matches a naive scan */
	{
		int64_t		best = -1,
					who = 0,
					leader = 0;
		int			nbest = 0;

		for (i = 0; i < NCAND; i++)
		{
			if (naive[i] > best)
			{
				best = naive[i];
				who = cands[i];
				nbest = 1;
			}
			else if (naive[i] == best)
				nbest++;
		}
		CHECK(mh_counter_leader(&c, &leader) == (nbest == 1));
		if (nbest == 1)
			CHECK_I64(leader, who);
	}

	/* take every ballot back: the counter empties completely */
	all_ok = true;
	for (i = 0; i < NCAND; i++)
	{
		while (naive[i] > 0)
		{
			all_ok &= mh_counter_remove_ballot(&c, false, cands[i], &err) == MH_OK;
			naive[i]--;
		}
		if (i % 500 == 0)
			all_ok &= counter_load_ok(&c) && c.ncandidates == NCAND - i - 1;
	}
	while (invalid-- > 0)
		all_ok &= mh_counter_remove_ballot(&c, true, 0, &err) == MH_OK;
	CHECK(all_ok);
	CHECK_I64(c.ncandidates, 0);
	CHECK_I64(mh_counter_cast(&c), 0);
	CHECK_I64(c.invalid, 0);
	for (i = 0, all_ok = true; i < c.line->capacity; i++)
		all_ok &= c.line->u.table.slots[i].votes == MH_COUNTER_EMPTY;
	CHECK(all_ok);
	/* nothing is left to take back (the counter is not used afterwards) */
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, cands[7], &err), MH_EINCONSISTENT);
	CHECK_STATUS(mh_counter_remove_ballot(&c, true, 0, &err), MH_EINCONSISTENT);
	release(t);
	mh_counter_release(&c);
	CHECK(c.line->capacity == 0 && c.ncandidates == 0 && mh_counter_memory(&c) == sizeof(mh_counter));
	mh_counter_release(&c);		/* twice is harmless */
}

/* The counter's text form, freed by the caller. */
static char *
counter_text(const mh_counter *c)
{
	mh_tally   *t = counter_tally(c);
	char	   *s = format(t);

	release(t);
	return s;
}

#define CHECK_COUNTER(c, expected) \
	do { char *s_ = counter_text(c); CHECK_STR(s_, expected); release(s_); } while (0)

/*
 * The small table (counter.h) and its move to a hash table: each reason
 * to move, and every operation on either side of it.
 */
static void
test_counter_small_table(void)
{
	mh_counter	c,
				d;
	mh_error	err;
	int64_t		who;
	const char *k;
	uint32_t	len;
	int			i;

	BEGIN_TEST("counter: the small table");

	/* three candidates stay in the counter; the fourth moves them */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	for (i = 0; i < 3; i++)
		CHECK_STATUS(mh_counter_add_ballot(&c, false, 10 - i, &err), MH_OK);
	CHECK(mh_line_count_ballot(c.line, false, 9));	/* the inline path */
	CHECK(!mh_line_count_ballot(c.line, false, 11));	/* a new one is not */
	CHECK(!mh_line_count_ballot(c.line, true, 0));	/* blank: the general path */
	CHECK_STATUS(mh_counter_add_ballot(&c, true, 0, &err), MH_OK);
	CHECK_I64(c.line->capacity, 0);
	CHECK_I64(c.line->nsmall, 3);
	CHECK_I64(mh_counter_memory(&c), sizeof(mh_counter));
	CHECK(mh_counter_leader(&c, &who) && who == 9);
	CHECK_COUNTER(&c, "cast=5 invalid=1 votes={8:1,9:2,10:1}");
	CHECK_STATUS(mh_counter_add_ballot(&c, false, -1, &err), MH_OK);
	CHECK_I64(c.line->capacity, MH_COUNTER_INITIAL_CAPACITY);
	CHECK_I64(c.line->nsmall, 0);
	CHECK(counter_load_ok(&c));
	CHECK(mh_line_count_ballot(c.line, false, 8));
	CHECK_COUNTER(&c, "cast=7 invalid=1 votes={-1:1,8:2,9:2,10:1}");
	CHECK(!mh_counter_leader(&c, &who));	/* 8 and 9 tie */
	mh_counter_release(&c);

	/* a count beyond 32 bits moves, and keeps counting */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 1, INT32_MAX - 1, &err), MH_OK);
	CHECK(mh_line_count_ballot(c.line, false, 1));
	CHECK_I64(c.line->capacity, 0);
	CHECK(!mh_line_count_ballot(c.line, false, 1));	/* at INT32_MAX: the general path */
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);
	CHECK(c.line->capacity > 0);
	CHECK_COUNTER(&c, "cast=2147483648 invalid=0 votes={1:2147483648}");
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 7, (int64_t) INT32_MAX + 1, &err), MH_OK);
	CHECK(c.line->capacity > 0);	/* too big for the small table from the start */
	CHECK_COUNTER(&c, "cast=2147483648 invalid=0 votes={7:2147483648}");
	mh_counter_release(&c);

	/* taking a ballot back moves the count, and it stays right */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 4, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 5, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_ballot(&c, true, 0, &err), MH_EINCONSISTENT);
	CHECK_I64(c.line->capacity, 0);	/* a blank ballot taken back moves nothing */
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 4, &err), MH_OK);
	CHECK(c.line->capacity > 0);
	CHECK_COUNTER(&c, "cast=1 invalid=0 votes={5:1}");
	mh_counter_release(&c);

	/* kinds are checked in the small table too */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 4, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "4", 1, &err), MH_EKIND);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "4", 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 4, &err), MH_EKIND);
	CHECK(!mh_line_count_ballot(c.line, false, 4));
	mh_counter_release(&c);

	/*
	 * Text keys: two keys with one tag (the same length, first and last
	 * four bytes) are told apart by their bytes, on the general path.
	 */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK(mh_key_tag("abcd1wxyz", 9) == mh_key_tag("abcd2wxyz", 9));
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "abcd1wxyz", 9, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "abcd2wxyz", 9, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "", 0, &err), MH_OK);
	CHECK(!mh_line_count_key_ballot(c.line, false, "abcd2wxyz", 9));
	CHECK(!mh_line_count_key_ballot(c.line, false, "abcd3wxyz", 9));
	CHECK(mh_line_count_key_ballot(c.line, false, "", 0));
	for (i = 0; i < 3; i++)
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "abcd2wxyz", 9, &err), MH_OK);
	CHECK_I64(c.line->capacity, 0);
	CHECK(mh_counter_leader_key(&c, &k, &len) && len == 9 && memcmp(k, "abcd2wxyz", 9) == 0);
	CHECK_COUNTER(&c, "cast=7 invalid=0 votes={\"\":2,\"abcd1wxyz\":1,\"abcd2wxyz\":4}");
	mh_counter_release(&c);

	/* keys beyond the line's keys move the count; those stay the arena's start */
	{
		char		key[3][61];

		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		for (i = 0; i < 3; i++)
		{
			memset(key[i], 'a' + i, 60);
			key[i][60] = '\0';
			CHECK_STATUS(mh_counter_add_key_votes(&c, false, key[i], 60, i + 1, &err), MH_OK);
			CHECK_I64(c.line->capacity, i < 2 ? 0 : MH_COUNTER_INITIAL_CAPACITY);
		}
		CHECK(c.line->u.table.arena != MH_LINE_KEYS(c.line));	/* 3 x 64 bytes did not fit */
		CHECK(mh_line_count_key_ballot(c.line, false, key[0], 60));
		CHECK(mh_counter_leader_key(&c, &k, &len) && len == 60 && k[0] == 'c');
		CHECK_I64(mh_counter_cast(&c), 7);
		CHECK_I64(mh_counter_tally_size(&c), mh_tally_size(3) + 180);
		mh_counter_release(&c);
	}

	/* merges: small into small, small into a hash table, and back */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_votes(&c, false, "Lab", 3, 5, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_votes(&d, false, "Con", 3, 4, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_votes(&d, false, "Lab", 3, 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_OK);
	CHECK_I64(c.line->capacity, 0);
	CHECK_COUNTER(&c, "cast=10 invalid=0 votes={\"Con\":4,\"Lab\":6}");
	CHECK_STATUS(mh_counter_add_key_votes(&d, false, "LD", 2, 2, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_votes(&d, false, "Grn", 3, 1, &err), MH_OK);
	CHECK(d.line->capacity > 0);
	CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_OK);
	CHECK(c.line->capacity > 0);
	CHECK_COUNTER(&c, "cast=18 invalid=0 votes={\"Con\":8,\"Grn\":1,\"LD\":2,\"Lab\":7}");
	mh_counter_release(&d);
	CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_merge(&d, &c, &err), MH_OK);
	CHECK_COUNTER(&d, "cast=18 invalid=0 votes={\"Con\":8,\"Grn\":1,\"LD\":2,\"Lab\":7}");
	/* a count merged into itself is refused, and left as it was */
	CHECK_STATUS(mh_counter_merge(&d, &d, &err), MH_EARGUMENT);
	CHECK_COUNTER(&d, "cast=18 invalid=0 votes={\"Con\":8,\"Grn\":1,\"LD\":2,\"Lab\":7}");
	mh_counter_release(&c);
	mh_counter_release(&d);

	/*
	 * Cast: the small table's votes are not in the line's cast, and every
	 * general operation says which fast path a ballot may take.
	 */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_I64(c.line->fast, 0);	/* empty: no kind yet */
	CHECK_STATUS(mh_counter_add_votes(&c, false, 7, 5, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, true, 0, 2, &err), MH_OK);
	CHECK_I64(c.line->fast, MH_FAST_SMALL);
	CHECK_I64(c.line->cast, 2);	/* the blank ones; 7's five are its own */
	CHECK_I64(mh_counter_cast(&c), 7);
	CHECK(mh_line_count_ballot(c.line, false, 7));
	CHECK_I64(mh_counter_cast(&c), 8);
	for (i = 0; i < 3; i++)
		CHECK_STATUS(mh_counter_add_ballot(&c, false, 20 + i, &err), MH_OK);
	CHECK_I64(c.line->fast, MH_FAST_TABLE);	/* four candidates: the hash table */
	CHECK_I64(c.line->cast, 11);
	CHECK(mh_line_count_ballot(c.line, false, 7));
	CHECK_COUNTER(&c, "cast=12 invalid=2 votes={7:7,20:1,21:1,22:1}");
	mh_counter_release(&c);
	CHECK_I64(c.line->fast, 0);

	/* a part that knows its registered voters: no fast path, in either table */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	{
		mh_tally   *part = parse_ok("registered=10 cast=4 invalid=0 votes={1:3,2:1}");

		CHECK_STATUS(mh_counter_add_tally(&c, part, &err), MH_OK);
		release(part);
	}
	CHECK_I64(c.line->fast, 0);
	CHECK(!mh_line_count_ballot(c.line, false, 1));
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);	/* registered unknown now */
	CHECK_I64(c.line->fast, MH_FAST_SMALL);
	CHECK_COUNTER(&c, "cast=5 invalid=0 votes={1:4,2:1}");
	mh_counter_release(&c);

	/* near INT64_MAX the small table takes no fast ballot: cast could not hold three counts */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, true, 0, MH_FAST_SMALL_ROOM, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 1, 1, &err), MH_OK);
	CHECK_I64(c.line->fast, MH_FAST_SMALL);
	CHECK(mh_line_count_ballot(c.line, false, 1));
	CHECK_STATUS(mh_counter_add_votes(&c, true, 0, 1, &err), MH_OK);
	CHECK_I64(c.line->fast, 0);
	CHECK(!mh_line_count_ballot(c.line, false, 1));
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);
	CHECK_I64(mh_counter_cast(&c), MH_FAST_SMALL_ROOM + 4);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 2, INT64_MAX - MH_FAST_SMALL_ROOM - 4, &err), MH_OK);
	CHECK_I64(mh_counter_cast(&c), INT64_MAX);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_EOVERFLOW);
	mh_counter_release(&c);

	/* a line the host placed: with keys, as the counter's own; without, text keys hash */
	{
		struct
		{
			mh_counter_line line;
			char		keys[MH_COUNTER_FIRST_KEYS];
		}			room;
		mh_counter_line bare;

		memset(&room, 0x7f, sizeof(room));
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK(mh_counter_place_line(&c, &room.line, true));
		CHECK(c.line == &room.line && mh_counter_host(&c) == room.line.host);
		CHECK(mh_counter_line_of_host(mh_counter_host(&c)) == &room.line);
		CHECK_I64(mh_counter_cast(&c), 0);	/* the empty line was copied over the garbage */
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "Lab", 3, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "Con", 3, &err), MH_OK);
		CHECK(mh_line_count_key_ballot(&room.line, false, "Lab", 3));
		CHECK_I64(room.line.capacity, 0);
		CHECK(memcmp(room.keys + sizeof(uint32_t), "Lab", 3) == 0);
		CHECK(!mh_counter_place_line(&c, &bare, true));	/* not once it counted */
		CHECK(c.line == &room.line);
		CHECK_COUNTER(&c, "cast=3 invalid=0 votes={\"Con\":1,\"Lab\":2}");
		CHECK_I64(mh_counter_cast(&c), 3);
		mh_counter_release(&c);

		memset(&bare, 0x7f, sizeof(bare));
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK(mh_counter_place_line(&c, &bare, false));
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "Lab", 3, &err), MH_OK);
		CHECK_I64(bare.capacity, MH_COUNTER_INITIAL_CAPACITY);	/* nowhere else for the key */
		CHECK(bare.u.table.arena != NULL && bare.u.table.arena != MH_LINE_KEYS(&bare));
		CHECK(mh_line_count_key_ballot(&bare, false, "Lab", 3));
		CHECK(!mh_line_count_key_ballot(&bare, false, "Con", 3));
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "Con", 3, &err), MH_OK);
		CHECK_COUNTER(&c, "cast=3 invalid=0 votes={\"Con\":1,\"Lab\":2}");
		mh_counter_release(&c);

		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK(mh_counter_place_line(&c, &bare, false));
		for (i = 0; i < 3; i++)
			CHECK_STATUS(mh_counter_add_ballot(&c, false, 10 + i, &err), MH_OK);
		CHECK_I64(bare.capacity, 0);	/* numbers need no keys */
		CHECK(mh_line_count_ballot(&bare, false, 11));
		CHECK_STATUS(mh_counter_add_ballot(&c, false, 13, &err), MH_OK);
		CHECK_I64(bare.capacity, MH_COUNTER_INITIAL_CAPACITY);
		CHECK(mh_line_count_ballot(&bare, false, 13));
		CHECK_COUNTER(&c, "cast=6 invalid=0 votes={10:1,11:2,12:1,13:2}");
		CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_merge(&d, &c, &err), MH_OK);
		CHECK_COUNTER(&d, "cast=6 invalid=0 votes={10:1,11:2,12:1,13:2}");
		mh_counter_release(&c);
		mh_counter_release(&d);
	}
}

static void
test_counter_basics(void)
{
	mh_counter	c,
				d;
	mh_error	err;
	mh_tally   *t;
	char	   *s;
	int64_t		who = 12345;

	BEGIN_TEST("counter: basics");
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK(c.line->registered_state == MH_REGISTERED_NONE);
	CHECK(!mh_counter_leader(&c, &who));
	CHECK_I64(who, 12345);
	t = counter_tally(&c);
	s = format(t);
	CHECK_STR(s, "cast=0 invalid=0 votes={}");
	release(s);
	release(t);

	/* add_votes */
	CHECK_STATUS(mh_counter_add_votes(&c, false, 17, 300, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 42, 317, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, true, 999, 3, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 17, 0, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 5, 0, &err), MH_OK);	/* names 5 */
	t = counter_tally(&c);
	s = format(t);
	CHECK_STR(s, "cast=620 invalid=3 votes={5:0,17:300,42:317}");
	release(s);
	release(t);
	CHECK(mh_counter_leader(&c, &who));
	CHECK_I64(who, 42);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 17, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 17, 16, &err), MH_OK);
	CHECK(!mh_counter_leader(&c, &who));	/* 317 each */
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 5, &err), MH_OK);
	CHECK(!mh_counter_leader(&c, &who));
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 42, &err), MH_OK);
	CHECK(mh_counter_leader(&c, &who));
	CHECK_I64(who, 17);
	mh_counter_release(&c);

	/* only zero votes: no leader */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 1, 0, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 2, 0, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, true, 0, 10, &err), MH_OK);
	CHECK(!mh_counter_leader(&c, &who));
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 2, &err), MH_OK);
	CHECK(mh_counter_leader(&c, &who));
	CHECK_I64(who, 2);
	/* a single candidate with votes leads */
	mh_counter_release(&c);

	/* overflow of ballots cast */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 1, INT64_MAX, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_EOVERFLOW);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, true, 1, INT64_MAX - 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, true, 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, true, 1, &err), MH_EOVERFLOW);
	mh_counter_release(&c);

	/* negative votes (a counter after an error is only released) */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 5, -1, &err), MH_ENEGATIVE);
	CHECK_STATUS(err.status, MH_ENEGATIVE);
	CHECK_STATUS(mh_counter_add_votes(&c, true, 5, -1, &err), MH_ENEGATIVE);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 5, INT64_MIN, &err), MH_ENEGATIVE);
	mh_counter_release(&c);

	/* remove_ballot: what was never added cannot be taken back */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 1, &err), MH_EINCONSISTENT);
	CHECK_STATUS(err.status, MH_EINCONSISTENT);
	CHECK_STATUS(mh_counter_remove_ballot(&c, true, 0, &err), MH_EINCONSISTENT);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_ballot(&c, true, 0, &err), MH_EINCONSISTENT);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, true, 0, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 0, &err), MH_EINCONSISTENT);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 3, &err), MH_EINCONSISTENT);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 1, &err), MH_EINCONSISTENT);
	mh_counter_release(&c);

	/* remove_ballot: a candidate whose votes fall to zero leaves */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 2, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 2, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, true, 0, &err), MH_OK);
	CHECK_I64(c.ncandidates, 2);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 1, &err), MH_OK);
	CHECK_I64(c.ncandidates, 1);
	CHECK_STATUS(mh_counter_remove_ballot(&c, true, 0, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 2, &err), MH_OK);
	t = counter_tally(&c);
	s = format(t);
	CHECK_STR(s, "cast=1 invalid=0 votes={2:1}");
	release(s);
	release(t);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 2, &err), MH_OK);
	CHECK_I64(c.ncandidates, 0);
	CHECK_I64(mh_counter_cast(&c), 0);
	t = counter_tally(&c);
	s = format(t);
	CHECK_STR(s, "cast=0 invalid=0 votes={}");
	release(s);
	release(t);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 2, &err), MH_EINCONSISTENT);
	mh_counter_release(&c);

	/* add_tally and registered voters */
	{
		mh_tally   *a = parse_ok("registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
		mh_tally   *b = parse_ok("registered=500 cast=400 invalid=10 votes={5:1,42:100,99:200}");
		mh_tally   *u = parse_ok("cast=7 invalid=1 votes={17:6}");
		mh_tally   *sum = NULL;

		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_tally(&c, a, &err), MH_OK);
		CHECK(c.line->registered_state == MH_REGISTERED_KNOWN);
		t = counter_tally(&c);
		CHECK(mh_tally_equal(t, a));
		release(t);
		CHECK_STATUS(mh_counter_add_tally(&c, b, &err), MH_OK);
		CHECK(c.line->registered_state == MH_REGISTERED_KNOWN);
		CHECK_I64(c.registered, 1500);
		t = counter_tally(&c);
		CHECK_STATUS(mh_tally_add(a, b, &heap, &sum, &err), MH_OK);
		CHECK(mh_tally_equal(t, sum));
		s = format(t);
		CHECK_STR(s, "registered=1500 cast=1020 invalid=13 votes={5:1,17:300,42:417,99:200}");
		release(s);
		release(t);
		release(sum);

		/*
		 * One ballot more: registered no longer known, whether the ballot
		 * takes the inlined path (a candidate in its home slot, or an
		 * invalid ballot) or the general one.
		 */
		CHECK_STATUS(mh_counter_add_ballot(&c, false, 5, &err), MH_OK);
		CHECK(c.line->registered_state == MH_REGISTERED_UNKNOWN);
		{
			mh_counter	k;
			int64_t		cand;

			for (cand = 1; cand <= 3; cand++)
			{
				bool		inv = cand == 3;

				CHECK_STATUS(mh_counter_init(&k, &heap, &err), MH_OK);
				CHECK_STATUS(mh_counter_add_tally(&k, a, &err), MH_OK);
				/* 17 is in a, so it may sit in its home slot */
				CHECK_STATUS(mh_counter_add_ballot(&k, inv, cand == 1 ? 17 : 42, &err), MH_OK);
				CHECK(k.line->registered_state == MH_REGISTERED_UNKNOWN);
				CHECK_I64(k.registered, 0);
				CHECK_I64(mh_counter_cast(&k), 621);
				t = counter_tally(&k);
				CHECK(!mh_tally_registered_known(t));
				release(t);
				mh_counter_release(&k);
			}
		}
		t = counter_tally(&c);
		s = format(t);
		CHECK_STR(s, "cast=1021 invalid=13 votes={5:2,17:300,42:417,99:200}");
		release(s);
		release(t);
		mh_counter_release(&c);

		/* unknown part first, then known */
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_tally(&c, u, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_tally(&c, a, &err), MH_OK);
		CHECK(c.line->registered_state == MH_REGISTERED_UNKNOWN);
		t = counter_tally(&c);
		CHECK_STATUS(mh_tally_add(u, a, &heap, &sum, &err), MH_OK);
		CHECK(mh_tally_equal(t, sum));
		release(t);
		release(sum);
		mh_counter_release(&c);

		/* merge */
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_OK);	/* empty + empty */
		CHECK(c.line->registered_state == MH_REGISTERED_NONE);
		CHECK_STATUS(mh_counter_add_tally(&c, a, &err), MH_OK);
		CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_OK);	/* + empty */
		CHECK(c.line->registered_state == MH_REGISTERED_KNOWN);
		t = counter_tally(&c);
		CHECK(mh_tally_equal(t, a));
		release(t);
		CHECK_STATUS(mh_counter_add_tally(&d, b, &err), MH_OK);
		CHECK_STATUS(mh_counter_merge(&d, &c, &err), MH_OK);
		t = counter_tally(&d);
		CHECK_STATUS(mh_tally_add(a, b, &heap, &sum, &err), MH_OK);
		CHECK(mh_tally_equal(t, sum));
		release(t);
		release(sum);
		mh_counter_release(&d);

		/* a ballot counter merged into a known one: unknown */
		CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_ballot(&d, false, 17, &err), MH_OK);
		CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_OK);
		CHECK(c.line->registered_state == MH_REGISTERED_UNKNOWN);
		t = counter_tally(&c);
		s = format(t);
		CHECK_STR(s, "cast=621 invalid=3 votes={17:301,42:317}");
		release(s);
		release(t);
		mh_counter_release(&c);
		mh_counter_release(&d);

		/* registered overflow while merging */
		{
			mh_tally   *big = parse_ok("registered=9223372036854775807");
			mh_tally   *one = parse_ok("registered=1");

			CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
			CHECK_STATUS(mh_counter_add_tally(&c, big, &err), MH_OK);
			CHECK_STATUS(mh_counter_add_tally(&c, one, &err), MH_EOVERFLOW);
			mh_counter_release(&c);
			CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
			CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
			CHECK_STATUS(mh_counter_add_tally(&c, big, &err), MH_OK);
			CHECK_STATUS(mh_counter_add_tally(&d, one, &err), MH_OK);
			CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_EOVERFLOW);
			mh_counter_release(&c);
			mh_counter_release(&d);
			release(big);
			release(one);
		}
		/* ballots cast overflow while merging */
		{
			mh_tally   *big = parse_ok("votes={3:9223372036854775807}");

			CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
			CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
			CHECK_STATUS(mh_counter_add_tally(&c, big, &err), MH_OK);
			CHECK_STATUS(mh_counter_add_ballot(&d, false, 3, &err), MH_OK);
			CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_EOVERFLOW);
			mh_counter_release(&c);
			mh_counter_release(&d);
			CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
			CHECK_STATUS(mh_counter_add_tally(&c, big, &err), MH_OK);
			CHECK_STATUS(mh_counter_add_tally(&c, big, &err), MH_EOVERFLOW);
			mh_counter_release(&c);
			release(big);
		}
		release(a);
		release(b);
		release(u);
	}

	/* out of memory: at init, and while growing */
	{
		test_alloc_state st = {0, 0, 0};
		mh_allocator failing = {test_alloc, test_free, &st, NULL};
		int			i;
		mh_status	status = MH_OK;

		/* init allocates nothing; the 4th candidate needs a hash table */
		CHECK_STATUS(mh_counter_init(&c, &failing, &err), MH_OK);
		for (i = 0; i < 100 && status == MH_OK; i++)
			status = mh_counter_add_ballot(&c, false, i, &err);
		CHECK_STATUS(status, MH_ENOMEM);
		CHECK_I64(i, MH_COUNTER_SMALL + 1);
		CHECK(counter_load_ok(&c));
		CHECK_I64(c.line->capacity, 0);
		CHECK_I64(c.ncandidates, i - 1);
		CHECK_I64(mh_counter_cast(&c), i);	/* the failed ballot's count is unspecified, not lost track of */
		mh_counter_release(&c);
		CHECK(st.live == 0);
		/* its 8 slots hold 6 candidates (load <= 3/4): the 7th needs a bigger table */
		st.fail_after = 1;
		status = MH_OK;
		CHECK_STATUS(mh_counter_init(&c, &failing, &err), MH_OK);
		for (i = 0; i < 100 && status == MH_OK; i++)
			status = mh_counter_add_ballot(&c, false, i, &err);
		CHECK_STATUS(status, MH_ENOMEM);
		CHECK_I64(i, 7);
		CHECK(counter_load_ok(&c));
		CHECK_I64(c.line->capacity, MH_COUNTER_INITIAL_CAPACITY);
		CHECK_I64(c.ncandidates, i - 1);
		mh_counter_release(&c);
		CHECK(st.live == 0);
	}
	/* no free function, as with memory contexts: the counter must cope */
	{
		test_arena	ar = {{NULL}, 0};
		mh_allocator arena = {arena_alloc, NULL, &ar, NULL};
		int			i;

		CHECK_STATUS(mh_counter_init(&c, &arena, &err), MH_OK);
		for (i = 0; i < 100; i++)
			mh_counter_add_ballot(&c, false, i, &err);
		CHECK_I64(c.ncandidates, 100);
		CHECK(counter_load_ok(&c));
		mh_counter_release(&c);
		CHECK(ar.n > 2);		/* the table grew, and nothing was freed */
		arena_free_all(&ar);
	}
}

/*
 * Random add/remove sequences compared, every few steps, with a fresh
 * count of the ballots that remain.
 */
static void
test_counter_add_remove(void)
{
	enum
	{
		NC = 40
	};
	int64_t		cands[NC];
	int64_t		naive[NC];
	int			round;
	bool		all_ok = true;
	int			compared = 0,
				deleted = 0,
				refused = 0;

	BEGIN_TEST("counter: add/remove against a fresh count");
	for (round = 0; round < 12; round++)
	{
		mh_counter	c;
		mh_error	err;
		int64_t		invalid = 0;
		int			nc = round % 3 == 0 ? 6 : round % 3 == 1 ? 13 : NC;
		int			i,
					op;

		/*
		 * Candidates: small numbers in some rounds, numbers that land in
		 * the same home slot in others (so runs wrap and deletions shift).
		 */
		for (i = 0; i < nc; i++)
		{
			if (round % 2 == 0)
				cands[i] = i - nc / 2;
			else
				cands[i] = (int64_t) (rng() & ~UINT64_C(0) >> 1) - INT64_MAX / 2;
			naive[i] = 0;
		}
		if (round % 4 == 3)
		{
			/* many candidates whose home slot is the last one of 8 */
			int			found = 0;
			int64_t		x = 1;

			while (found < nc)
			{
				if ((((uint64_t) x * UINT64_C(0x9E3779B97F4A7C15)) >> 61) == 7)
					cands[found++] = x;
				x++;
			}
		}

		if (mh_counter_init(&c, &heap, &err) != MH_OK)
		{
			CHECK(false);
			return;
		}
		for (op = 0; op < 4000; op++)
		{
			uint64_t	r = rng();
			int			who = (int) ((r >> 16) % (uint64_t) nc);
			bool		is_invalid = (r >> 40) % 11 == 0;
			bool		add = (r >> 8) % 100 < (uint64_t) (op % 1000 < 500 ? 60 : 40);

			if (add)
			{
				all_ok &= mh_counter_add_ballot(&c, is_invalid, cands[who], &err) == MH_OK;
				if (is_invalid)
					invalid++;
				else
					naive[who]++;
			}
			else if ((is_invalid ? invalid : naive[who]) > 0)
			{
				all_ok &= mh_counter_remove_ballot(&c, is_invalid, cands[who], &err) == MH_OK;
				if (is_invalid)
					invalid--;
				else if (--naive[who] == 0)
					deleted++;
			}
			else if ((r >> 50) % 16 == 0)
			{
				/*
				 * A ballot that is not there is refused.  The counts are
				 * unspecified after an error, so count afresh and go on.
				 */
				all_ok &= mh_counter_remove_ballot(&c, is_invalid, cands[who], &err) ==
					MH_EINCONSISTENT;
				refused++;
				mh_counter_release(&c);
				all_ok &= mh_counter_init(&c, &heap, &err) == MH_OK;
				if (invalid > 0)
					all_ok &= mh_counter_add_votes(&c, true, 0, invalid, &err) == MH_OK;
				for (i = 0; i < nc; i++)
					if (naive[i] > 0)
						all_ok &= mh_counter_add_votes(&c, false, cands[i], naive[i], &err) == MH_OK;
			}

			if (op % 7 == 0 || op == 3999)
			{
				mh_tally   *got = counter_tally(&c);
				mh_tally   *want = fresh_count(cands, naive, (size_t) nc, invalid);
				int64_t		leader;
				int64_t		best = 0,
							best_who = 0;
				int			nbest = 0;

				all_ok &= mh_tally_equal(got, want);
				all_ok &= mh_tally_check(got, mh_tally_size(got->ncandidates), NULL) == MH_OK;
				all_ok &= counter_load_ok(&c);
				for (i = 0; i < nc; i++)
				{
					if (naive[i] > best)
					{
						best = naive[i];
						best_who = cands[i];
						nbest = 1;
					}
					else if (naive[i] == best && best > 0)
						nbest++;
				}
				all_ok &= mh_counter_leader(&c, &leader) == (nbest == 1);
				if (nbest == 1)
					all_ok &= leader == best_who;
				compared++;
				release(got);
				release(want);
			}
		}
		mh_counter_release(&c);
	}
	CHECK(all_ok);
	CHECK(compared > 5000);
	CHECK(deleted > 1000);
	CHECK(refused > 10);
}

/* ---------------------------------------------------------------- outcome */

static mh_rules
default_rules(void)
{
	mh_rules	r;

	memset(&r, 0, sizeof(r));
	r.threshold_known = true;
	r.threshold = MH_DEFAULT_THRESHOLD;
	return r;
}

static void
outcome_of(const char *text, const mh_rules *rules, mh_outcome *out)
{
	mh_tally   *t = parse_ok(text);

	memset(out, 0xAB, sizeof(*out));
	if (t == NULL)
		return;
	mh_outcome_compute(t, rules, out);
	release(t);
}

static void
test_outcome_validity(void)
{
	mh_rules	rules = default_rules();
	mh_outcome	o;
	mh_fraction half = MH_DEFAULT_THRESHOLD;
	mh_fraction zero = {0, 1};
	mh_fraction one = {1, 1};

	BEGIN_TEST("outcome: validity by turnout");
	CHECK(half.num == 1 && half.den == 2);

	/* exactly 50% is not enough */
	outcome_of("registered=1000 cast=500 votes={1:300,2:200}", &rules, &o);
	CHECK(o.valid == MH_FALSE);
	CHECK(o.by_election == MH_TRUE);
	CHECK(o.reason == MH_REASON_LOW_TURNOUT);
	CHECK(!o.has_winner);
	CHECK(o.has_leader);
	CHECK_I64(o.leader, 1);
	CHECK(o.registered_known);
	CHECK_I64(o.registered, 1000);
	outcome_of("registered=1000 cast=501 votes={1:300,2:200}", &rules, &o);
	CHECK(o.valid == MH_TRUE);
	CHECK(o.by_election == MH_FALSE);
	CHECK(o.reason == MH_REASON_NONE);
	CHECK(o.has_winner);
	CHECK_I64(o.winner, 1);
	CHECK(!o.drawn);
	CHECK_I64(o.valid_votes, 500);
	CHECK_I64(o.invalid, 0);
	CHECK_I64(o.cast, 501);

	CHECK(!mh_turnout_exceeds(500, 1000, half));
	CHECK(mh_turnout_exceeds(501, 1000, half));
	CHECK_I64(mh_ballots_needed(1000, half), 501);
	/* odd registered */
	CHECK(!mh_turnout_exceeds(500, 1001, half));
	CHECK(mh_turnout_exceeds(501, 1001, half));
	CHECK_I64(mh_ballots_needed(1001, half), 501);
	CHECK(!mh_turnout_exceeds(499, 999, half));
	CHECK(mh_turnout_exceeds(500, 999, half));
	CHECK_I64(mh_ballots_needed(999, half), 500);
	CHECK_I64(mh_ballots_needed(1, half), 1);
	CHECK_I64(mh_ballots_needed(0, half), 1);
	CHECK(!mh_turnout_exceeds(0, 0, half));
	/* threshold 0: any ballot will do, none will not */
	CHECK(!mh_turnout_exceeds(0, 1000, zero));
	CHECK(mh_turnout_exceeds(1, 1000, zero));
	CHECK_I64(mh_ballots_needed(1000, zero), 1);
	CHECK_I64(mh_ballots_needed(INT64_MAX, zero), 1);
	/* threshold 1: no election can be valid */
	CHECK(!mh_turnout_exceeds(1000, 1000, one));
	CHECK_I64(mh_ballots_needed(1000, one), 1001);
	CHECK_I64(mh_ballots_needed(INT64_MAX - 1, one), INT64_MAX);
	CHECK_I64(mh_ballots_needed(INT64_MAX, one), -1);
	rules.threshold = one;
	outcome_of("registered=1000 cast=1000 votes={1:1000}", &rules, &o);
	CHECK(o.valid == MH_FALSE);
	CHECK(o.reason == MH_REASON_LOW_TURNOUT);
	rules.threshold = zero;
	outcome_of("registered=1000 cast=1 votes={1:1}", &rules, &o);
	CHECK(o.valid == MH_TRUE);
	CHECK(o.has_winner);
	outcome_of("registered=1000 cast=0 votes={1:0}", &rules, &o);
	CHECK(o.valid == MH_FALSE);
	CHECK(o.reason == MH_REASON_LOW_TURNOUT);

	/* near INT64_MAX, where 64-bit products would wrap */
	CHECK(mh_turnout_exceeds(INT64_MAX / 2 + 1, INT64_MAX, half));
	CHECK(!mh_turnout_exceeds(INT64_MAX / 2, INT64_MAX, half));
	CHECK_I64(mh_ballots_needed(INT64_MAX, half), INT64_MAX / 2 + 1);
	CHECK(!mh_turnout_exceeds(INT64_MAX, INT64_MAX, one));
	CHECK(mh_turnout_exceeds(INT64_MAX, INT64_MAX - 1, one));
	{
		/* 0.999999999999999999 of INT64_MAX */
		mh_fraction f = {UINT64_C(999999999999999999), UINT64_C(1000000000000000000)};
		int64_t		need = mh_ballots_needed(INT64_MAX, f);

		/* floor((2^63-1)(10^18-1)/10^18) + 1 = 2^63-1 - 9 */
		CHECK_I64(need, INT64_MAX - 9);
		CHECK(mh_turnout_exceeds(need, INT64_MAX, f));
		CHECK(!mh_turnout_exceeds(need - 1, INT64_MAX, f));
		CHECK(mh_turnout_exceeds(INT64_MAX, INT64_MAX, f));
	}
	{
		/* 2/3 of a large electorate */
		mh_fraction f = {2, 3};
		int64_t		reg = INT64_MAX - 1;	/* divisible by 3 */

		CHECK_I64(mh_ballots_needed(reg, f), reg / 3 * 2 + 1);
		CHECK(!mh_turnout_exceeds(reg / 3 * 2, reg, f));
		CHECK(mh_turnout_exceeds(reg / 3 * 2 + 1, reg, f));
	}
	rules.threshold = half;
	outcome_of("registered=9223372036854775807 cast=4611686018427387904 votes={1:4611686018427387904}",
			   &rules, &o);
	CHECK(o.valid == MH_TRUE);
	CHECK(o.has_winner);
	outcome_of("registered=9223372036854775807 cast=4611686018427387903 votes={1:4611686018427387903}",
			   &rules, &o);
	CHECK(o.valid == MH_FALSE);

	/* unknown registered, unknown threshold */
	outcome_of("cast=500 votes={1:300,2:200}", &rules, &o);
	CHECK(o.valid == MH_UNKNOWN);
	CHECK(o.by_election == MH_UNKNOWN);
	CHECK(o.reason == MH_REASON_NONE);
	CHECK(!o.has_winner);
	CHECK(o.has_leader);
	CHECK_I64(o.leader, 1);
	CHECK(!o.registered_known);
	rules.threshold_known = false;
	outcome_of("registered=1000 cast=900 votes={1:300,2:200}", &rules, &o);
	CHECK(o.valid == MH_UNKNOWN);
	CHECK(o.by_election == MH_UNKNOWN);
	CHECK(!o.has_winner);
	rules.threshold_known = true;

	/* registered from the rules overrides the tally's */
	rules.registered_known = true;
	rules.registered = 2000;
	outcome_of("registered=1000 cast=600 votes={1:300,2:200}", &rules, &o);
	CHECK_I64(o.registered, 2000);
	CHECK(o.valid == MH_FALSE);
	outcome_of("cast=1001 votes={1:300,2:200}", &rules, &o);
	CHECK(o.registered_known);
	CHECK(o.valid == MH_TRUE);
	CHECK(o.has_winner);
	/* registered given as unknown: the tally's own number is ignored */
	rules.registered_given = true;
	rules.registered_known = false;
	rules.registered = 777;
	outcome_of("registered=1000 cast=900 votes={1:300,2:200}", &rules, &o);
	CHECK(!o.registered_known);
	CHECK_I64(o.registered, 0);
	CHECK(o.valid == MH_UNKNOWN);
	CHECK(o.by_election == MH_UNKNOWN);
	CHECK(!o.has_winner);
	rules.registered_known = true;
	rules.registered = 1800;
	outcome_of("registered=1000 cast=900 votes={1:300,2:200}", &rules, &o);
	CHECK(o.registered_known);
	CHECK_I64(o.registered, 1800);
	CHECK(o.valid == MH_FALSE);
	rules.registered = 1799;
	outcome_of("registered=1000 cast=900 votes={1:300,2:200}", &rules, &o);
	CHECK(o.valid == MH_TRUE);
	CHECK_I64(o.winner, 1);
	/* not given: the tally's own number counts again */
	rules.registered_given = false;
	rules.registered_known = false;
	outcome_of("registered=1000 cast=900 votes={1:300,2:200}", &rules, &o);
	CHECK(o.registered_known);
	CHECK_I64(o.registered, 1000);
	CHECK(o.valid == MH_TRUE);
}

static void
test_outcome_rules(void)
{
	mh_rules	rules = default_rules();
	mh_outcome	o;

	BEGIN_TEST("outcome: winners, ties, by-elections");

	/* 1. no candidates beats everything */
	outcome_of("registered=1000 cast=0", &rules, &o);
	CHECK(o.by_election == MH_TRUE);
	CHECK(o.reason == MH_REASON_NO_CANDIDATES);
	CHECK(o.valid == MH_FALSE);
	CHECK(!o.has_first);
	CHECK(!o.has_second);
	CHECK_I64(o.tied, 0);
	outcome_of("registered=1000 cast=900 invalid=900", &rules, &o);
	CHECK(o.valid == MH_TRUE);
	CHECK(o.reason == MH_REASON_NO_CANDIDATES);
	outcome_of("cast=900 invalid=900", &rules, &o);
	CHECK(o.valid == MH_UNKNOWN);
	CHECK(o.by_election == MH_TRUE);
	CHECK(o.reason == MH_REASON_NO_CANDIDATES);

	/* 2. low turnout beats no valid votes and ties */
	outcome_of("registered=1000 cast=10 invalid=10 votes={1:0,2:0}", &rules, &o);
	CHECK(o.reason == MH_REASON_LOW_TURNOUT);
	outcome_of("registered=1000 cast=10 votes={1:5,2:5}", &rules, &o);
	CHECK(o.reason == MH_REASON_LOW_TURNOUT);
	CHECK(o.tie);
	rules.draw_lots = true;
	outcome_of("registered=1000 cast=10 votes={1:5,2:5}", &rules, &o);
	CHECK(o.reason == MH_REASON_LOW_TURNOUT);
	CHECK(!o.has_winner);
	CHECK(!o.drawn);
	rules.draw_lots = false;

	/* 3. no valid votes beats a tie (all at zero is no tie) */
	outcome_of("registered=1000 cast=900 invalid=900 votes={1:0,2:0}", &rules, &o);
	CHECK(o.by_election == MH_TRUE);
	CHECK(o.reason == MH_REASON_NO_VALID_VOTES);
	CHECK(!o.tie);
	CHECK(!o.has_leader);
	CHECK_I64(o.tied, 2);
	CHECK_I64(o.first_votes, 0);
	outcome_of("cast=900 invalid=900 votes={1:0}", &rules, &o);
	CHECK(o.valid == MH_UNKNOWN);
	CHECK(o.by_election == MH_TRUE);
	CHECK(o.reason == MH_REASON_NO_VALID_VOTES);
	rules.draw_lots = true;
	outcome_of("registered=1000 cast=900 invalid=900 votes={1:0,2:0}", &rules, &o);
	CHECK(o.reason == MH_REASON_NO_VALID_VOTES);
	CHECK(!o.has_winner);
	rules.draw_lots = false;

	/* 4. a tie, without drawing of lots */
	outcome_of("registered=1000 cast=900 votes={1:400,2:400,3:100}", &rules, &o);
	CHECK(o.by_election == MH_TRUE);
	CHECK(o.reason == MH_REASON_TIE);
	CHECK(o.tie);
	CHECK_I64(o.tied, 2);
	CHECK(!o.has_leader);
	CHECK(!o.has_winner);
	CHECK(!o.has_runner_up);
	CHECK_I64(o.first_votes, 400);
	CHECK(o.has_second);
	CHECK_I64(o.second_votes, 400);
	outcome_of("cast=900 votes={1:400,2:400,3:100}", &rules, &o);
	CHECK(o.valid == MH_UNKNOWN);
	CHECK(o.by_election == MH_TRUE);
	CHECK(o.reason == MH_REASON_TIE);
	/* a three-way tie */
	outcome_of("registered=1000 cast=900 votes={7:300,8:300,9:300}", &rules, &o);
	CHECK(o.reason == MH_REASON_TIE);
	CHECK_I64(o.tied, 3);
	CHECK_I64(o.second_votes, 300);
	/* with lots: a winner, drawn */
	rules.draw_lots = true;
	outcome_of("registered=1000 cast=900 votes={1:400,2:400,3:100}", &rules, &o);
	CHECK(o.by_election == MH_FALSE);
	CHECK(o.reason == MH_REASON_NONE);
	CHECK(o.has_winner);
	CHECK(o.drawn);
	CHECK(o.winner == 1 || o.winner == 2);
	CHECK(!o.has_leader);
	outcome_of("cast=900 votes={1:400,2:400,3:100}", &rules, &o);
	CHECK(o.by_election == MH_UNKNOWN);
	CHECK(!o.has_winner);
	/* lots are not drawn when there is a leader */
	outcome_of("registered=1000 cast=900 votes={1:401,2:400}", &rules, &o);
	CHECK(o.has_winner);
	CHECK(!o.drawn);
	CHECK_I64(o.winner, 1);
	rules.draw_lots = false;

	/* runner-up and second_votes */
	outcome_of("registered=1000 cast=600 votes={1:50,2:30,3:20}", &rules, &o);
	CHECK(o.has_leader);
	CHECK_I64(o.leader, 1);
	CHECK(o.has_runner_up);
	CHECK_I64(o.runner_up, 2);
	CHECK_I64(o.first_votes, 50);
	CHECK_I64(o.second_votes, 30);
	CHECK_I64(o.tied, 1);
	CHECK(!o.tie);
	outcome_of("registered=1000 cast=600 votes={3:20,2:30,1:50}", &rules, &o);
	CHECK_I64(o.runner_up, 2);
	outcome_of("registered=1000 cast=600 votes={1:20,2:30,3:50}", &rules, &o);
	CHECK_I64(o.leader, 3);
	CHECK_I64(o.runner_up, 2);
	CHECK_I64(o.winner, 3);
	outcome_of("registered=1000 cast=600 votes={1:50,2:30,3:30}", &rules, &o);
	CHECK(o.has_leader);
	CHECK(!o.has_runner_up);
	CHECK_I64(o.runner_up, 0);
	CHECK_I64(o.second_votes, 30);
	outcome_of("registered=1000 cast=600 votes={1:30,2:30,3:50}", &rules, &o);
	CHECK_I64(o.leader, 3);
	CHECK(!o.has_runner_up);
	CHECK_I64(o.second_votes, 30);
	outcome_of("registered=1000 cast=600 votes={1:50,2:50,3:20}", &rules, &o);
	CHECK(!o.has_runner_up);
	CHECK_I64(o.second_votes, 50);
	outcome_of("registered=1000 cast=600 votes={1:5}", &rules, &o);
	CHECK(o.has_first);
	CHECK(!o.has_second);
	CHECK_I64(o.second_votes, 0);
	CHECK(!o.has_runner_up);
	CHECK(o.has_winner);
	CHECK_I64(o.winner, 1);
	outcome_of("registered=1000 cast=600 votes={1:5,2:0}", &rules, &o);
	CHECK(o.has_second);
	CHECK_I64(o.second_votes, 0);
	CHECK(o.has_runner_up);
	CHECK_I64(o.runner_up, 2);
	outcome_of("registered=1000 cast=600 votes={-9:5,-8:7,100:1}", &rules, &o);
	CHECK_I64(o.leader, -8);
	CHECK_I64(o.runner_up, -9);
	CHECK_I64(o.valid_votes, 13);

	/* labels */
	CHECK_STR(mh_reason_label(MH_REASON_NONE), NULL);
	CHECK_STR(mh_reason_label(MH_REASON_LOW_TURNOUT), "low_turnout");
	CHECK_STR(mh_reason_label(MH_REASON_TIE), "tie");
	CHECK_STR(mh_reason_label(MH_REASON_NO_CANDIDATES), "no_candidates");
	CHECK_STR(mh_reason_label(MH_REASON_NO_VALID_VOTES), "no_valid_votes");
}

static void
test_outcome_lots(void)
{
	mh_rules	rules = default_rules();
	mh_outcome	o,
				o2;
	int64_t		seed;
	int			wins[3] = {0, 0, 0};
	bool		all_ok = true;

	BEGIN_TEST("outcome: drawing of lots");
	rules.draw_lots = true;
	CHECK(mh_lots_ticket(1, 2) == mh_lots_ticket(1, 2));
	CHECK(mh_lots_ticket(1, 2) != mh_lots_ticket(2, 1));
	CHECK(mh_lots_ticket(0, 0) != mh_lots_ticket(0, 1));

	for (seed = -500; seed < 1500; seed++)
	{
		int64_t		cands[4] = {30, 10, 20, 40};
		int64_t		votes[4] = {100, 100, 100, 99};
		int64_t		perm_c[4] = {40, 20, 10, 30};
		int64_t		perm_v[4] = {99, 100, 100, 100};
		mh_tally   *t = build(true, 1000, 600, 201, cands, votes, 4);
		mh_tally   *t2 = build(true, 1000, 600, 201, perm_c, perm_v, 4);
		int64_t		expected = 0;
		uint64_t	best = 0;
		int			i;

		if (t == NULL || t2 == NULL)
			return;
		rules.lots_seed = seed;
		mh_outcome_compute(t, &rules, &o);
		mh_outcome_compute(t, &rules, &o2);
		all_ok &= memcmp(&o, &o2, sizeof(o)) == 0;	/* deterministic */
		mh_outcome_compute(t2, &rules, &o2);
		all_ok &= o.winner == o2.winner;	/* independent of order */
		all_ok &= o.has_winner && o.drawn && o.tie && o.tied == 3;
		all_ok &= o.by_election == MH_FALSE && o.reason == MH_REASON_NONE;
		all_ok &= o.winner == 10 || o.winner == 20 || o.winner == 30;

		/* the largest ticket among the tied, lower number on equal tickets */
		for (i = 10; i <= 30; i += 10)
		{
			uint64_t	ticket = mh_lots_ticket(seed, i);

			if (expected == 0 || ticket > best)
			{
				best = ticket;
				expected = i;
			}
		}
		all_ok &= o.winner == expected;
		if (o.winner >= 10 && o.winner <= 30)
			wins[o.winner / 10 - 1]++;
		release(t);
		release(t2);
	}
	CHECK(all_ok);
	/* every tied candidate wins some draws, none wins nearly all */
	CHECK(wins[0] > 400 && wins[1] > 400 && wins[2] > 400);

	/* different seeds give different draws, the same seed the same one */
	{
		mh_tally   *t = parse_ok("registered=100 cast=60 votes={1:30,2:30}");
		int64_t		first_winner;
		bool		differs = false;

		rules.lots_seed = 7;
		mh_outcome_compute(t, &rules, &o);
		first_winner = o.winner;
		for (seed = 0; seed < 64; seed++)
		{
			rules.lots_seed = seed;
			mh_outcome_compute(t, &rules, &o);
			differs |= o.winner != first_winner;
		}
		CHECK(differs);
		rules.lots_seed = 7;
		mh_outcome_compute(t, &rules, &o);
		CHECK_I64(o.winner, first_winner);
		release(t);
	}
}

/* ---------------------------------------------------------------- fractions */

static void
fraction_ok_at(const char *text, uint64_t num, uint64_t den, const char *file, int line)
{
	mh_fraction f = {12345, 0};
	mh_error	err;
	mh_status	status = mh_fraction_parse(text, &f, &err);

	if (!check_impl(status == MH_OK, "fraction parses", file, line))
		fprintf(stderr, "     \"%s\": %s\n", text, err.detail);
	else if (!check_impl(f.num == num && f.den == den, "fraction value", file, line))
		fprintf(stderr, "     \"%s\": %" PRIu64 "/%" PRIu64 "\n", text, f.num, f.den);
}

static void
fraction_fails_at(const char *text, const char *file, int line)
{
	mh_fraction f = {12345, 6789};
	mh_error	err = {MH_OK, ""};
	mh_status	status = mh_fraction_parse(text, &f, &err);

	if (!check_impl(status == MH_EARGUMENT, "fraction is rejected", file, line))
		fprintf(stderr, "     \"%s\": %s -> %" PRIu64 "/%" PRIu64 "\n", text,
				mh_status_name(status), f.num, f.den);
	check_impl(err.status == MH_EARGUMENT && err.detail[0] != '\0', "with a detail", file, line);
	check_impl(f.num == 12345 && f.den == 6789, "result untouched", file, line);
}

#define fraction_ok(text, num, den) fraction_ok_at((text), (num), (den), __FILE__, __LINE__)
#define fraction_fails(text) fraction_fails_at((text), __FILE__, __LINE__)

static void
test_fractions(void)
{
	BEGIN_TEST("mh_fraction_parse");
	fraction_ok("0.5", 5, 10);
	fraction_ok(".5", 5, 10);
	fraction_ok("+0.5", 5, 10);
	fraction_ok("00.50", 50, 100);
	fraction_ok("1", 1, 1);
	fraction_ok("1.0", 10, 10);
	fraction_ok("0", 0, 1);
	fraction_ok("0.0", 0, 10);
	fraction_ok("000", 0, 1);
	fraction_ok("0001", 1, 1);
	fraction_ok("0.6667", 6667, 10000);
	fraction_ok("0.123456789012345678", UINT64_C(123456789012345678),
				UINT64_C(1000000000000000000));
	fraction_ok("0.999999999999999999", UINT64_C(999999999999999999),
				UINT64_C(1000000000000000000));
	fraction_ok("1.000000000000000000", UINT64_C(1000000000000000000),
				UINT64_C(1000000000000000000));
	/* beyond 18 decimals only zeros are allowed: exactness is kept */
	fraction_ok("0.500000000000000000000000", UINT64_C(500000000000000000),
				UINT64_C(1000000000000000000));
	fraction_ok("1.0000000000000000000000", UINT64_C(1000000000000000000),
				UINT64_C(1000000000000000000));

	fraction_fails("");
	fraction_fails(".");
	fraction_fails("+");
	fraction_fails("+.");
	fraction_fails("-0.5");
	fraction_fails("-0");
	fraction_fails("1.5");
	fraction_fails("1.01");
	fraction_fails("1.000000000000000001");
	fraction_fails("1.0000000000000000001");
	fraction_fails("2");
	fraction_fails("10");
	fraction_fails("99999999999999999999999999");
	fraction_fails("0.1234567890123456789");
	fraction_fails("0.9999999999999999999");
	fraction_fails("0.5x");
	fraction_fails(" 0.5");
	fraction_fails("0.5 ");
	fraction_fails("0,5");
	fraction_fails("1e-1");
	fraction_fails("abc");
	fraction_fails("0.5.5");
	fraction_fails("++0.5");
	fraction_fails("50%");
}

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;
#endif

static void
test_ballots_needed(void)
{
	int			i;
	bool		all_ok = true;
	int			overflowed = 0;

	BEGIN_TEST("mh_ballots_needed against mh_turnout_exceeds");
	for (i = 0; i < 200000; i++)
	{
		int64_t		reg;
		mh_fraction f;
		int64_t		need;
		uint64_t	r = rng();

		switch (i % 5)
		{
			case 0:
				reg = (int64_t) rng_below(2000);
				break;
			case 1:
				reg = (int64_t) rng_below(UINT64_C(1) << 40);
				break;
			case 2:
				reg = INT64_MAX - (int64_t) rng_below(1000);
				break;
			default:
				reg = (int64_t) (rng() >> 1);
				break;
		}
		switch (r % 4)
		{
			case 0:				/* small fractions */
				f.den = 1 + rng_below(1000);
				f.num = rng_below(f.den + 1);
				break;
			case 1:				/* decimal thresholds with up to 18 places */
				{
					int			places = (int) rng_below(19);
					int			k;

					f.den = 1;
					for (k = 0; k < places; k++)
						f.den *= 10;
					f.num = rng_below(f.den + 1);
				}
				break;
			case 2:				/* huge denominators */
				f.den = 1 + (rng() >> 1);
				f.num = rng_below(f.den + 1);
				break;
			default:			/* the ends */
				f.den = 1 + rng_below(UINT64_C(1000000000000000000));
				f.num = (r >> 8) % 2 ? f.den : 0;
				break;
		}
		if (i % 1000 == 999)
		{
			reg = INT64_MAX - (int64_t) (i / 1000 % 2);
			f.num = f.den;
		}
		need = mh_ballots_needed(reg, f);
		if (need == -1)
		{
			overflowed++;
			all_ok &= !mh_turnout_exceeds(INT64_MAX, reg, f);
			continue;
		}
		all_ok &= need >= 1 && need <= reg + (reg < INT64_MAX ? 1 : 0);
		all_ok &= mh_turnout_exceeds(need, reg, f);
		all_ok &= !mh_turnout_exceeds(need - 1, reg, f);
#if defined(__SIZEOF_INT128__)
		/* against a plain 128-bit computation */
		all_ok &= (u128) need == ((u128) (uint64_t) reg * f.num) / f.den + 1;
#endif
		if (!all_ok)
		{
			fprintf(stderr, "     registered %" PRId64 " threshold %" PRIu64 "/%" PRIu64
					" needed %" PRId64 "\n", reg, f.num, f.den, need);
			break;
		}
	}
	CHECK(all_ok);
	CHECK(overflowed > 0);

	/* parsed thresholds too */
	{
		static const char *const texts[] = {"0", "0.5", "0.3333", "0.6667", "1", ".75",
		"0.123456789012345678", "0.999999999999999999"};
		size_t		k;

		all_ok = true;
		for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
		{
			mh_fraction f;
			mh_error	err;

			all_ok &= mh_fraction_parse(texts[k], &f, &err) == MH_OK;
			for (i = 0; i < 2000; i++)
			{
				int64_t		reg = i < 1000 ? i : (int64_t) (rng() >> 1);
				int64_t		need = mh_ballots_needed(reg, f);

				if (need == -1)
					continue;
				all_ok &= mh_turnout_exceeds(need, reg, f) &&
					!mh_turnout_exceeds(need - 1, reg, f);
			}
		}
		CHECK(all_ok);
	}
}

/* ---------------------------------------------------------------- ranking */

static void
test_ranking(void)
{
	mh_tally   *t;
	mh_rank    *rows = NULL;
	mh_error	err;

	BEGIN_TEST("ranking");
	t = parse_ok("votes={3:20,2:50,1:50}");
	CHECK_STATUS(mh_ranking(t, &heap, &rows, &err), MH_OK);
	CHECK(rows[0].candidate == 1 && rows[0].votes == 50 && rows[0].rank == 1);
	CHECK(rows[1].candidate == 2 && rows[1].votes == 50 && rows[1].rank == 1);
	CHECK(rows[2].candidate == 3 && rows[2].votes == 20 && rows[2].rank == 3);
	release(rows);
	release(t);

	t = parse_ok("votes={5:10,3:10,9:30,1:0,-4:0,7:11}");
	CHECK_STATUS(mh_ranking(t, &heap, &rows, &err), MH_OK);
	CHECK(rows[0].candidate == 9 && rows[0].rank == 1);
	CHECK(rows[1].candidate == 7 && rows[1].rank == 2);
	CHECK(rows[2].candidate == 3 && rows[2].rank == 3);
	CHECK(rows[3].candidate == 5 && rows[3].rank == 3);
	CHECK(rows[4].candidate == -4 && rows[4].rank == 5);
	CHECK(rows[5].candidate == 1 && rows[5].rank == 5);
	release(rows);
	release(t);

	t = parse_ok("votes={1:1,2:1,3:1}");
	CHECK_STATUS(mh_ranking(t, &heap, &rows, &err), MH_OK);
	CHECK(rows[0].rank == 1 && rows[1].rank == 1 && rows[2].rank == 1);
	release(rows);
	release(t);

	t = parse_ok("votes={9223372036854775807:9223372036854775807}");
	CHECK_STATUS(mh_ranking(t, &heap, &rows, &err), MH_OK);
	CHECK(rows[0].rank == 1 && rows[0].votes == INT64_MAX);
	release(rows);
	release(t);

	t = parse_ok("cast=5");
	rows = NULL;
	CHECK_STATUS(mh_ranking(t, &heap, &rows, &err), MH_OK);
	CHECK(rows != NULL);
	release(rows);
	{
		test_alloc_state st = {0, 0, 0};
		mh_allocator failing = {test_alloc, test_free, &st, NULL};

		CHECK_STATUS(mh_ranking(t, &failing, &rows, &err), MH_ENOMEM);
	}
	release(t);
}

/* ---------------------------------------------------------------- main */


/*
 * Interrupt checks: large sorts, merges and rehashes call the allocator's
 * check_interrupts, and the interruptible merge sort orders and checks
 * exactly as qsort does.
 */
/* ---------------------------------------------------------------- text keys */

/* Whether text key i of t is the NUL-terminated s. */
static bool
key_is(const mh_tally *t, uint32_t i, const char *s)
{
	const char *k;
	uint32_t	len;

	if (mh_tally_key_kind(t) != MH_KEYS_TEXT || i >= t->ncandidates)
		return false;
	mh_tally_key(t, i, &k, &len);
	return len == strlen(s) && memcmp(k, s, len) == 0;
}

/* The votes of text key s, or -1 if t does not name it. */
static int64_t
key_votes(const mh_tally *t, const char *s)
{
	const mh_vote *v = mh_tally_find_key(t, s, (uint32_t) strlen(s));

	return v ? v->votes : -1;
}

/* A text-keyed tally built from keys and votes (in any order). */
static mh_tally *
build_keys(bool known, int64_t registered, int64_t cast, int64_t invalid,
		   const char *const *names, const int64_t *votes, size_t n)
{
	mh_key_vote kv[64];
	mh_tally   *t = NULL;
	mh_error	err;
	mh_status	status;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		kv[i].key = names[i];
		kv[i].len = (uint32_t) strlen(names[i]);
		kv[i].votes = votes[i];
	}
	status = mh_tally_build_keys(known, registered, cast, invalid, kv, n, &heap, &t, &err);
	if (!CHECK(status == MH_OK))
	{
		fprintf(stderr, "     build_keys: %s: %s\n", mh_status_name(status), err.detail);
		return NULL;
	}
	CHECK_STATUS(mh_tally_check(t, mh_tally_total_size(t), &err), MH_OK);
	return t;
}

static void
test_keys_build(void)
{
	mh_tally   *t = NULL;
	mh_error	err;
	long		live;

	BEGIN_TEST("mh_tally_build_keys");
	/* no candidates at all, with a NULL array (qsort may not be given NULL) */
	CHECK_STATUS(mh_tally_build_keys(false, 0, 5, 5, NULL, 0, &heap, &t, &err), MH_OK);
	if (t != NULL)
	{
		CHECK_I64(t->ncandidates, 0);
		CHECK_I64(t->flags, 0);
		CHECK(mh_tally_key_kind(t) == MH_KEYS_NONE);
		CHECK_STATUS(mh_tally_check(t, mh_tally_total_size(t), &err), MH_OK);
		release(t);
	}
	CHECK_STATUS(mh_sort_keys(NULL, 0, &heap, &err), MH_OK);

	/* unsorted input: sorted in place, copied into the tally */
	{
		const char *names[] = {"b", "Өскемен", "ab", "", "a", "Z", "😀"};
		int64_t		votes[] = {1, 2, 3, 4, 5, 6, 7};
		mh_key_vote kv[7];
		char	   *s;
		int			i;

		for (i = 0; i < 7; i++)
		{
			kv[i].key = names[i];
			kv[i].len = (uint32_t) strlen(names[i]);
			kv[i].votes = votes[i];
		}
		CHECK_STATUS(mh_tally_build_keys(true, 100, 30, 2, kv, 7, &heap, &t, &err), MH_OK);
		if (t != NULL)
		{
			s = format(t);
			CHECK_STR(s, "registered=100 cast=30 invalid=2 votes={\"\":4,\"Z\":6,\"a\":5,"
					  "\"ab\":3,\"b\":1,\"Өскемен\":2,\"😀\":7}");
			CHECK_STATUS(mh_tally_check(t, mh_tally_total_size(t), &err), MH_OK);
			CHECK_I64(mh_tally_total_size(t), mh_tally_size(7) + 0 + 1 + 1 + 2 + 1 + 14 + 4);
			release(s);
			binary_round_trip_tally(t);
			/* with_registered keeps the keys */
			{
				mh_tally   *u = NULL;

				CHECK_STATUS(mh_tally_with_registered(t, false, 0, &heap, &u, &err), MH_OK);
				s = format(u);
				CHECK_STR(s, "cast=30 invalid=2 votes={\"\":4,\"Z\":6,\"a\":5,"
						  "\"ab\":3,\"b\":1,\"Өскемен\":2,\"😀\":7}");
				CHECK_STATUS(mh_tally_check(u, mh_tally_total_size(u), &err), MH_OK);
				release(s);
				release(u);
				CHECK_STATUS(mh_tally_with_registered(t, true, 29, &heap, &u, &err),
							 MH_EINCONSISTENT);
			}
			release(t);
		}
		/* the keys were sorted in place */
		CHECK(kv[0].len == 0 && kv[1].key == names[5] && kv[6].key == names[6]);
		CHECK(kv[2].key == names[4] && kv[2].votes == 5);
	}

	/* refusals, with nothing leaked */
	live = heap_state.live;
	{
		mh_key_vote kv[3] = {{"a", 1, 1}, {"b", 1, 1}, {"a", 1, 1}};

		CHECK_STATUS(mh_tally_build_keys(false, 0, 3, 0, kv, 3, &heap, &t, &err), MH_EDUPLICATE);
		CHECK_STATUS(err.status, MH_EDUPLICATE);
		CHECK(strstr(err.detail, "\"a\"") != NULL);
	}
	{
		mh_key_vote kv[3] = {{"c", 1, 1}, {"", 0, 1}, {"", 0, 1}};

		CHECK_STATUS(mh_tally_build_keys(false, 0, 3, 0, kv, 3, &heap, &t, &err), MH_EDUPLICATE);
	}
	{
		mh_key_vote kv[2] = {{"a", 1, 1}, {"b", 1, -1}};

		CHECK_STATUS(mh_tally_build_keys(false, 0, 3, 0, kv, 2, &heap, &t, &err), MH_ENEGATIVE);
		CHECK(strstr(err.detail, "\"b\"") != NULL);
	}
	{
		mh_key_vote kv[2] = {{"a", 1, INT64_MAX}, {"b", 1, 1}};

		CHECK_STATUS(mh_tally_build_keys(false, 0, INT64_MAX, 0, kv, 2, &heap, &t, &err),
					 MH_EOVERFLOW);
	}
	{
		mh_key_vote kv[2] = {{"a", 1, 2}, {"b", 1, 2}};

		CHECK_STATUS(mh_tally_build_keys(false, 0, 3, 0, kv, 2, &heap, &t, &err),
					 MH_EINCONSISTENT);
		CHECK_STATUS(mh_tally_build_keys(true, 3, 4, 0, kv, 2, &heap, &t, &err),
					 MH_EINCONSISTENT);
		CHECK_STATUS(mh_tally_build_keys(true, -1, 4, 0, kv, 2, &heap, &t, &err),
					 MH_ENEGATIVE);
		CHECK_STATUS(mh_tally_build_keys(false, 0, 4, -1, kv, 2, &heap, &t, &err),
					 MH_ENEGATIVE);
	}
	{
		/* not UTF-8, a NUL, a truncated sequence: each refused */
		static const char *const bad[] = {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xe2\x82", "\x80"};
		size_t		i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		{
			mh_key_vote kv[2] = {{"ok", 2, 1}, {bad[i], (uint32_t) strlen(bad[i]), 1}};

			CHECK_STATUS(mh_tally_build_keys(false, 0, 2, 0, kv, 2, &heap, &t, &err), MH_EKEY);
			CHECK_STATUS(err.status, MH_EKEY);
		}
		{
			mh_key_vote kv[1] = {{"a\0b", 3, 1}};

			CHECK_STATUS(mh_tally_build_keys(false, 0, 1, 0, kv, 1, &heap, &t, &err), MH_EKEY);
			CHECK(strstr(err.detail, "NUL") != NULL);
		}
		/* an invalid key is refused even where it is a duplicate */
		{
			mh_key_vote kv[2] = {{"\xff", 1, 1}, {"\xff", 1, 1}};

			CHECK_STATUS(mh_tally_build_keys(false, 0, 2, 0, kv, 2, &heap, &t, &err), MH_EKEY);
		}
	}
	{
		char	   *big = malloc(MH_KEY_MAX_BYTES + 1);
		mh_key_vote kv[1];

		memset(big, 'k', MH_KEY_MAX_BYTES + 1);
		kv[0].key = big;
		kv[0].len = MH_KEY_MAX_BYTES + 1;
		kv[0].votes = 1;
		CHECK_STATUS(mh_tally_build_keys(false, 0, 1, 0, kv, 1, &heap, &t, &err), MH_EKEYLENGTH);
		kv[0].len = MH_KEY_MAX_BYTES;
		CHECK_STATUS(mh_tally_build_keys(false, 0, 1, 0, kv, 1, &heap, &t, &err), MH_OK);
		if (t != NULL)
		{
			CHECK_I64(mh_tally_total_size(t), mh_tally_size(1) + MH_KEY_MAX_BYTES);
			binary_round_trip_tally(t);
			release(t);
		}
		free(big);
		CHECK_STATUS(mh_tally_build_keys(false, 0, 0, 0, kv, (size_t) MH_TALLY_MAX_CANDIDATES + 1,
										 &heap, &t, &err), MH_ETOOBIG);
	}
	CHECK_I64(heap_state.live, live);

	/* out of memory */
	{
		test_alloc_state st = {0, 0, 0};
		mh_allocator failing = {test_alloc, test_free, &st, NULL};
		mh_key_vote kv[2] = {{"b", 1, 1}, {"a", 1, 1}};

		CHECK_STATUS(mh_tally_build_keys(false, 0, 2, 0, kv, 2, &failing, &t, &err), MH_ENOMEM);
		CHECK_I64(st.live, 0);
	}

	/* find_key on a larger tally: every key, and the ones between */
	{
		const char *names[] = {"a", "aa", "aaa", "ab", "b", "ba", "bb", "c", "Қ", "Қа"};
		int64_t		votes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
		int			i;

		t = build_keys(false, 0, 55, 0, names, votes, 10);
		if (t != NULL)
		{
			for (i = 0; i < 10; i++)
				CHECK_I64(key_votes(t, names[i]), votes[i]);
			CHECK_I64(key_votes(t, ""), -1);
			CHECK_I64(key_votes(t, "A"), -1);
			CHECK_I64(key_votes(t, "aab"), -1);
			CHECK_I64(key_votes(t, "abc"), -1);
			CHECK_I64(key_votes(t, "bc"), -1);
			CHECK_I64(key_votes(t, "d"), -1);
			CHECK_I64(key_votes(t, "Қаз"), -1);
			CHECK(mh_tally_find_key(t, "aa", 1) == &t->votes[0]);	/* length counts */
			release(t);
		}
	}
}

static void
test_keys_text(void)
{
	mh_tally   *t;

	BEGIN_TEST("text keys: text form");
	round_trip("registered=1000 cast=620 invalid=3 votes={\"Smith\":317,\"Ivanov\":300}",
			   "registered=1000 cast=620 invalid=3 votes={\"Ivanov\":300,\"Smith\":317}");
	/* awkward keys: empty, spaces, quotes, backslashes, braces, commas, colons */
	round_trip("votes={\"\":1}", "cast=1 invalid=0 votes={\"\":1}");
	round_trip("votes={\" \":1,\"a b\":2,\"  x  \":3}",
			   "cast=6 invalid=0 votes={\" \":1,\"  x  \":3,\"a b\":2}");
	round_trip("votes={\"q\\\"uote\":1,\"\\\"\":2,\"\\\"\\\"\":3}",
			   "cast=6 invalid=0 votes={\"\\\"\":2,\"\\\"\\\"\":3,\"q\\\"uote\":1}");
	round_trip("votes={\"back\\\\slash\":1,\"\\\\\":2,\"\\\\\\\"\":3}",
			   "cast=6 invalid=0 votes={\"\\\\\":2,\"\\\\\\\"\":3,\"back\\\\slash\":1}");
	round_trip("votes={\"{\":1,\"}\":2,\"{}\":3,\",\":4,\":\":5,\"a:1,b\":6,\"=\":7}",
			   "cast=28 invalid=0 votes={\",\":4,\":\":5,\"=\":7,\"a:1,b\":6,\"{\":1,\"{}\":3,\"}\":2}");
	/* white space around keys is dropped, inside them kept */
	round_trip(" votes = { \"a\tb\" : 1 ,\n\"c\nd\"\t:\t2 } ",
			   "cast=3 invalid=0 votes={\"a\tb\":1,\"c\nd\":2}");
	round_trip("votes={\"10\":1,\"9\":2,\"010\":3}",
			   "cast=6 invalid=0 votes={\"010\":3,\"10\":1,\"9\":2}");
	/* Cyrillic and Kazakh letters, 4-byte UTF-8 */
	round_trip("registered=9000 votes={\"Өскемен\":20,\"Қазақ\":10,\"Алматы\":5,\"😀\":1}",
			   "registered=9000 cast=36 invalid=0 votes={\"Алматы\":5,\"Қазақ\":10,\"Өскемен\":20,\"😀\":1}");
	round_trip("votes={\"\xf4\x8f\xbf\xbf\":1,\"\xc2\x80\":2,\"\xef\xbf\xbf\":3}",
			   "cast=6 invalid=0 votes={\"\xc2\x80\":2,\"\xef\xbf\xbf\":3,\"\xf4\x8f\xbf\xbf\":1}");
	/* canonical order is bytewise: a prefix first, upper case first, ASCII first */
	round_trip("votes={\"é\":1,\"b\":1,\"ab\":1,\"a\":1,\"Z\":1,\"\":1,\"~\":1,\"\x7f\":1}",
			   "cast=8 invalid=0 votes={\"\":1,\"Z\":1,\"a\":1,\"ab\":1,\"b\":1,\"~\":1,\"\x7f\":1,\"é\":1}");
	/* the empty count has no key kind, whichever braces it came from */
	round_trip("votes={} cast=3", "cast=3 invalid=0 votes={}");

	t = parse_ok("registered=10 cast=9 invalid=1 votes={\"10\":3,\"Қазақ\":4,\"\":1}");
	if (t != NULL)
	{
		CHECK(mh_tally_key_kind(t) == MH_KEYS_TEXT);
		CHECK_I64(t->flags, MH_TALLY_REGISTERED_KNOWN | MH_TALLY_TEXT_KEYS);
		CHECK_I64(t->ncandidates, 3);
		CHECK(key_is(t, 0, ""));
		CHECK(key_is(t, 1, "10"));
		CHECK(key_is(t, 2, "Қазақ"));
		CHECK_I64(key_votes(t, "10"), 3);
		CHECK_I64(key_votes(t, "Қазақ"), 4);
		CHECK_I64(key_votes(t, ""), 1);
		CHECK_I64(key_votes(t, "1"), -1);
		CHECK_I64(key_votes(t, "100"), -1);
		CHECK_I64(key_votes(t, "Қаз"), -1);
		/* "10" is text: the number 10 is not in it */
		CHECK(mh_tally_find(t, 10) == NULL);
		CHECK(mh_tally_find(t, t->votes[1].candidate) == NULL);
		CHECK_I64(mh_tally_total_size(t), mh_tally_size(3) + 0 + 2 + 10);
		CHECK_I64(mh_tally_valid_votes(t), 8);
		release(t);
	}
	/* and a number tally has no text keys */
	t = parse_ok("votes={10:1}");
	if (t != NULL)
	{
		CHECK(mh_tally_key_kind(t) == MH_KEYS_INT);
		CHECK(mh_tally_find_key(t, "10", 2) == NULL);
		CHECK_I64(votes_of(t, 10), 1);
		release(t);
	}
	{
		mh_tally   *a = parse_ok("votes={\"10\":1}");
		mh_tally   *b = parse_ok("votes={10:1}");

		CHECK(a != NULL && b != NULL && !mh_tally_equal(a, b));
		release(a);
		release(b);
	}

	/* the longest key, exactly MH_KEY_MAX_BYTES bytes, and one byte more */
	{
		size_t		cap = MH_KEY_MAX_BYTES + 64;
		char	   *text = malloc(cap);
		char	   *out;
		int			n = sprintf(text, "votes={\"");

		memset(text + n, 'x', MH_KEY_MAX_BYTES);
		strcpy(text + n + MH_KEY_MAX_BYTES, "\":1}");
		t = parse_ok(text);
		if (t != NULL)
		{
			const char *k;
			uint32_t	len;

			mh_tally_key(t, 0, &k, &len);
			CHECK_I64(len, MH_KEY_MAX_BYTES);
			out = format(t);
			CHECK_I64(strlen(out), strlen("cast=1 invalid=0 ") + strlen(text));
			release(out);
			release(t);
		}
		/* one more, as 'x', as an escaped quote, as a 2-byte letter */
		memset(text + n, 'x', MH_KEY_MAX_BYTES + 1);
		strcpy(text + n + MH_KEY_MAX_BYTES + 1, "\":1}");
		parse_fails(text, MH_EKEYLENGTH);
		memcpy(text + n + MH_KEY_MAX_BYTES, "\\\"\":1}", 7);
		parse_fails(text, MH_EKEYLENGTH);
		memcpy(text + n + MH_KEY_MAX_BYTES - 1, "é\":1}", 7);
		parse_fails(text, MH_EKEYLENGTH);
		free(text);
	}

	/* many keys, in reverse order */
	{
		char	   *text = malloc(64 * 1024);
		char	   *p = text;
		int			i;
		bool		ok = true;

		p += sprintf(p, "votes={");
		for (i = 999; i >= 0; i--)
			p += sprintf(p, "%s\"k%d\":%d", i == 999 ? "" : ",", i, i);
		sprintf(p, "}");
		t = parse_ok(text);
		if (t != NULL)
		{
			CHECK_I64(t->ncandidates, 1000);
			for (i = 1; i < 1000; i++)
			{
				const char *a,
						   *b;
				uint32_t	alen,
							blen;

				mh_tally_key(t, i - 1, &a, &alen);
				mh_tally_key(t, i, &b, &blen);
				ok &= mh_key_compare(a, alen, b, blen) < 0;
			}
			CHECK(ok);
			CHECK(key_is(t, 0, "k0") && key_is(t, 1, "k1") && key_is(t, 2, "k10"));
			CHECK_I64(key_votes(t, "k500"), 500);
			CHECK_I64(t->cast, 999 * 1000 / 2);
			release(t);
		}
		free(text);
	}

	/* mh_key_compare: bytewise, a prefix first, unsigned bytes */
	CHECK(mh_key_compare("a", 1, "ab", 2) < 0);
	CHECK(mh_key_compare("ab", 2, "b", 1) < 0);
	CHECK(mh_key_compare("ab", 2, "a", 1) > 0);
	CHECK(mh_key_compare("Z", 1, "a", 1) < 0);
	CHECK(mh_key_compare("z", 1, "é", 2) < 0);
	CHECK(mh_key_compare("\x7f", 1, "\xc2\x80", 2) < 0);
	CHECK(mh_key_compare("", 0, "", 0) == 0);
	CHECK(mh_key_compare("", 0, "a", 1) < 0);
	CHECK(mh_key_compare("abc", 3, "abc", 3) == 0);
	CHECK(mh_key_compare("abc", 2, "abd", 2) == 0);
	CHECK(mh_key_compare("a\0b", 3, "a\0c", 3) < 0);

	/* mh_key_check */
	CHECK_STATUS(mh_key_check("", 0, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("Өскемен", strlen("Өскемен"), NULL), MH_OK);
	CHECK_STATUS(mh_key_check("😀", 4, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("😀", 3, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("a\0b", 3, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xc0\x80", 2, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xc1\xbf", 2, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xc2\x80", 2, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("\xdf\xbf", 2, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("\xe0\x9f\xbf", 3, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xe0\xa0\x80", 3, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("\xed\x9f\xbf", 3, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("\xed\xa0\x80", 3, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xed\xbf\xbf", 3, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xee\x80\x80", 3, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("\xf0\x8f\xbf\xbf", 4, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xf0\x90\x80\x80", 4, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("\xf4\x8f\xbf\xbf", 4, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("\xf4\x90\x80\x80", 4, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xf5\x80\x80\x80", 4, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xf8\x88\x80\x80\x80", 5, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xff", 1, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\x80", 1, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xe2\x82\xac", 3, NULL), MH_OK);
	CHECK_STATUS(mh_key_check("\xe2\x82\xac", 2, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xe2\x28\xac", 3, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xe2\x82\x28", 3, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xf0\x9f\x28\x80", 4, NULL), MH_EKEY);
	CHECK_STATUS(mh_key_check("\xf0\x9f\x98\x28", 4, NULL), MH_EKEY);
	{
		mh_error	err;
		char	   *big = malloc(MH_KEY_MAX_BYTES + 1);

		memset(big, 'a', MH_KEY_MAX_BYTES + 1);
		CHECK_STATUS(mh_key_check(big, MH_KEY_MAX_BYTES, &err), MH_OK);
		CHECK_STATUS(mh_key_check(big, MH_KEY_MAX_BYTES + 1, &err), MH_EKEYLENGTH);
		CHECK_STATUS(err.status, MH_EKEYLENGTH);
		CHECK_STATUS(mh_key_check("a\xff", 2, &err), MH_EKEY);
		CHECK(strstr(err.detail, "byte 2") != NULL);
		free(big);
	}

	/* labels: quoted, shortened at a character boundary */
	{
		char		label[MH_LABEL_SIZE];
		char		key[200];
		size_t		i,
					n;

		CHECK_STR(mh_key_label("Smith", 5, label), "\"Smith\"");
		CHECK_STR(mh_key_label("", 0, label), "\"\"");
		for (i = 0; i < 100; i++)
			memcpy(key + 2 * i, "Қ", 2);
		for (i = 0; i < 2; i++)
		{
			/* starting at byte 0 or 1 of a letter: the cut falls on either byte */
			mh_key_label(key, 200 - (uint32_t) i, label);
			n = strlen(label);
			CHECK(n < MH_LABEL_SIZE);
			CHECK(n > 5 && strcmp(label + n - 4, "...\"") == 0);
			CHECK_STATUS(mh_key_check(label, n, NULL), MH_OK);
		}
		t = parse_ok("votes={\"Smith\":1,\"a\\\"b\":2}");
		if (t != NULL)
		{
			CHECK_STR(mh_candidate_label(t, 0, label), "\"Smith\"");
			CHECK_STR(mh_candidate_label(t, 1, label), "\"a\"b\"");
			release(t);
		}
	}
}

static void
test_keys_text_errors(void)
{
	BEGIN_TEST("text keys: text errors");
	/* a key after the last ':' the pre-count saw: no room was made for it */
	parse_fails("votes={\"a\":1,\"b\"}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,\"b\"", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,\"b", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,\"b\":2,\"c\",\"d\"}", MH_ESYNTAX);
	parse_fails("votes={\"a\"}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"}", MH_ESYNTAX);

	/* unterminated keys */
	parse_fails("votes={\"", MH_ESYNTAX);
	parse_fails("votes={\"abc", MH_ESYNTAX);
	parse_fails("votes={\"abc:1}", MH_ESYNTAX);
	parse_fails("votes={\"abc\\\":1}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,\"", MH_ESYNTAX);
	parse_fails("votes={\"abc\\", MH_ESYNTAX);
	/* other syntax around keys */
	parse_fails("votes={\"a\":}", MH_ESYNTAX);
	parse_fails("votes={\"a\" 1}", MH_ESYNTAX);
	parse_fails("votes={\"a\"\"b\":1}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1 \"b\":2}", MH_ESYNTAX);
	/* after a text key, what is neither a quote nor a number is a syntax error */
	parse_fails("votes={\"a\":1,}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1, }", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,,\"b\":2}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,b:2}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,'b':2}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,:2}", MH_ESYNTAX);
	parse_fails("votes={\"a\":1,\"b\":2,}", MH_ESYNTAX);
	parse_fails("votes={\"a\":\"1\"}", MH_ESYNTAX);
	parse_fails("votes={'a':1}", MH_ESYNTAX);
	parse_fails("votes=\"a\":1", MH_ESYNTAX);
	parse_fails("\"cast\"=1", MH_ESYNTAX);

	/* escapes other than \" and \\ */
	parse_fails("votes={\"a\\nb\":1}", MH_ESYNTAX);
	parse_fails("votes={\"a\\tb\":1}", MH_ESYNTAX);
	parse_fails("votes={\"\\u0041\":1}", MH_ESYNTAX);
	parse_fails("votes={\"\\/\":1}", MH_ESYNTAX);
	parse_fails("votes={\"\\x41\":1}", MH_ESYNTAX);
	parse_fails("votes={\"\\ \":1}", MH_ESYNTAX);
	parse_fails("votes={\"\\0\":1}", MH_ESYNTAX);

	/* invalid UTF-8: overlong, surrogates, beyond U+10FFFF, truncated, stray */
	parse_fails("votes={\"\xc0\xaf\":1}", MH_EKEY);
	parse_fails("votes={\"\xc1\x81\":1}", MH_EKEY);
	parse_fails("votes={\"\xe0\x80\xaf\":1}", MH_EKEY);
	parse_fails("votes={\"\xf0\x80\x80\xaf\":1}", MH_EKEY);
	parse_fails("votes={\"\xed\xa0\x80\":1}", MH_EKEY);
	parse_fails("votes={\"\xed\xbf\xbf\":1}", MH_EKEY);
	parse_fails("votes={\"\xed\xa0\xbd\xed\xb8\x80\":1}", MH_EKEY);	/* a CESU-8 pair */
	parse_fails("votes={\"\xf4\x90\x80\x80\":1}", MH_EKEY);
	parse_fails("votes={\"\xf5\x80\x80\x80\":1}", MH_EKEY);
	parse_fails("votes={\"\xfe\":1}", MH_EKEY);
	parse_fails("votes={\"\xff\":1}", MH_EKEY);
	parse_fails("votes={\"\xc3\":1}", MH_EKEY);
	parse_fails("votes={\"\xe2\x82\":1}", MH_EKEY);
	parse_fails("votes={\"\xf0\x9f\x98\":1}", MH_EKEY);
	parse_fails("votes={\"ab\xf0\x9f\x98\":1,\"c\":2}", MH_EKEY);
	parse_fails("votes={\"\x80\":1}", MH_EKEY);
	parse_fails("votes={\"a\xbf" "b\":1}", MH_EKEY);
	parse_fails("votes={\"ok\":1,\"\xc3\x28\":1}", MH_EKEY);
	/* ...and the error is about the key wherever it sits */
	parse_fails("cast=5 votes={\"b\":1,\"\xff\":1,\"a\":1}", MH_EKEY);

	/* duplicate keys, also when written differently */
	parse_fails("votes={\"a\":1,\"a\":2}", MH_EDUPLICATE);
	parse_fails("votes={\"a\":1,\"b\":1,\"a\":1}", MH_EDUPLICATE);
	parse_fails("votes={\"\":1,\"\":1}", MH_EDUPLICATE);
	parse_fails("votes={\"\\\"\":1,\"\\\"\":2}", MH_EDUPLICATE);
	parse_fails("votes={\"Қазақ\":1,\"Қазақ\":0}", MH_EDUPLICATE);
	/* ...but not keys that merely look alike */
	round_trip("votes={\"a\":1,\"a \":1,\"A\":1,\"é\":1,\"e\xcc\x81\":1}",
			   "cast=5 invalid=0 votes={\"A\":1,\"a\":1,\"a \":1,\"e\xcc\x81\":1,\"é\":1}");

	/* numbers and text keys in one tally */
	parse_fails("votes={\"10\":1,10:2}", MH_EKIND);
	parse_fails("votes={10:1,\"10\":2}", MH_EKIND);
	parse_fails("votes={\"a\":1,2:3,\"b\":4}", MH_EKIND);
	parse_fails("votes={1:1,2:2,\"c\":3}", MH_EKIND);
	parse_fails("votes={\"a\":1,-1:2}", MH_EKIND);
	parse_fails("votes={\"a\":1,+1:2}", MH_EKIND);
	parse_fails("votes={\"a\":1, 0:2}", MH_EKIND);

	/* counts with text keys */
	parse_fails("votes={\"a\":-1}", MH_ENEGATIVE);
	parse_fails("votes={\"a\":9223372036854775808}", MH_EOVERFLOW);
	parse_fails("votes={\"a\":9223372036854775807,\"b\":1}", MH_EOVERFLOW);
	parse_fails("cast=1 votes={\"a\":1,\"b\":1}", MH_EINCONSISTENT);
	parse_fails("registered=1 votes={\"a\":2}", MH_EINCONSISTENT);

	/* out of memory at every allocation of a text-keyed parse */
	{
		long		k;

		for (k = 0; k < 4; k++)
		{
			test_alloc_state st = {0, 0, k};
			mh_allocator failing = {test_alloc, test_free, &st, NULL};
			mh_tally   *t = NULL;
			mh_error	err;
			mh_status	status = mh_tally_parse("votes={\"b\":1,\"a\":2}", &failing, &t, &err);

			if (status == MH_OK)
			{
				CHECK(k >= 3);
				CHECK(key_is(t, 0, "a"));
				test_free(&st, t);
			}
			else
				CHECK_STATUS(status, MH_ENOMEM);
			CHECK_I64(st.live, 0);
		}
	}
}

/* Decodes len bytes from an exactly sized copy, so that ASan sees any over-read. */
static mh_status
decode_copy(const uint8_t *buf, size_t len, mh_tally **t, mh_error *err)
{
	uint8_t    *copy = malloc(len > 0 ? len : 1);
	mh_status	status;

	memcpy(copy, buf, len);
	status = mh_tally_decode(copy, len, &heap, t, err);
	free(copy);
	return status;
}

/* A binary form decoded from corrupted bytes: a clean failure or a checked tally. */
static bool
decode_clean(const uint8_t *buf, size_t len)
{
	mh_tally   *t = NULL;
	mh_error	err = {MH_OK, ""};
	long		live = heap_state.live;
	mh_status	status = decode_copy(buf, len, &t, &err);
	bool		ok;

	if (status == MH_OK)
	{
		uint8_t    *again = malloc(len);

		ok = mh_tally_check(t, mh_tally_total_size(t), NULL) == MH_OK &&
			mh_tally_binary_size(t) == len;
		if (ok)
		{
			mh_tally_encode(t, again);
			ok = memcmp(again, buf, len) == 0;
		}
		free(again);
		release(t);
		return ok && heap_state.live == live;
	}
	ok = status == MH_ETRUNCATED || status == MH_ETRAILING || status == MH_EVERSION ||
		status == MH_ETOOBIG || status == MH_ENEGATIVE || status == MH_EUNSORTED ||
		status == MH_EDUPLICATE || status == MH_EOVERFLOW || status == MH_EINCONSISTENT ||
		status == MH_EKEY || status == MH_EKEYLENGTH;
	return ok && err.status == status && err.detail[0] != '\0' && heap_state.live == live;
}

/* Writes a text-keyed binary form: header, then (length, key, votes) each. */
static size_t
put_key_entry(uint8_t *p, const char *key, uint32_t len, int64_t votes)
{
	p[0] = (uint8_t) (len >> 24);
	p[1] = (uint8_t) (len >> 16);
	p[2] = (uint8_t) (len >> 8);
	p[3] = (uint8_t) len;
	memcpy(p + 4, key, len);
	put_be64(p + 4 + len, (uint64_t) votes);
	return 12 + len;
}

static size_t
put_key_header(uint8_t *p, uint8_t flags, int64_t registered, int64_t cast,
			   int64_t invalid, uint32_t n)
{
	p[0] = MH_TALLY_VERSION;
	p[1] = flags;
	put_be64(p + 2, (uint64_t) registered);
	put_be64(p + 10, (uint64_t) cast);
	put_be64(p + 18, (uint64_t) invalid);
	p[26] = (uint8_t) (n >> 24);
	p[27] = (uint8_t) (n >> 16);
	p[28] = (uint8_t) (n >> 8);
	p[29] = (uint8_t) n;
	return MH_BINARY_HEADER_SIZE;
}

static void
test_keys_binary(void)
{
	uint8_t		buf[512];
	uint8_t		bad[512];
	size_t		len,
				i;
	mh_tally   *t = NULL;
	mh_error	err;
	bool		ok;

	BEGIN_TEST("text keys: binary form");
	binary_round_trip("registered=1000 cast=620 invalid=3 votes={\"Ivanov\":300,\"Smith\":317}");
	binary_round_trip("votes={\"\":1}");
	binary_round_trip("votes={\"\":0,\"a\":1,\"ab\":2,\"b\":3}");
	binary_round_trip("votes={\"q\\\"uote\":1,\"back\\\\slash\":2,\"{}\":3,\",:\":4,\"10\":5}");
	binary_round_trip("registered=9000 votes={\"Өскемен\":20,\"Қазақ\":10,\"😀\":1}");
	binary_round_trip("registered=9223372036854775807 cast=9223372036854775807 "
					  "invalid=1 votes={\"a\":9223372036854775806}");

	/* the exact layout: (length, bytes, votes) per key, in key order */
	len = encode_text("registered=1000 cast=620 invalid=3 votes={\"Smith\":317,\"Қ\":300}", buf);
	{
		static const uint8_t expected[] = {
			1, 3,
			0, 0, 0, 0, 0, 0, 0x03, 0xE8,
			0, 0, 0, 0, 0, 0, 0x02, 0x6C,
			0, 0, 0, 0, 0, 0, 0, 3,
			0, 0, 0, 2,
			0, 0, 0, 5, 'S', 'm', 'i', 't', 'h',
			0, 0, 0, 0, 0, 0, 0x01, 0x3D,
			0, 0, 0, 2, 0xD2, 0x9A,
			0, 0, 0, 0, 0, 0, 0x01, 0x2C,
		};

		CHECK_I64(len, sizeof(expected));
		CHECK(len == sizeof(expected) && memcmp(buf, expected, len) == 0);
	}
	/* the empty key takes a length and no bytes */
	len = encode_text("votes={\"\":7}", buf);
	CHECK_I64(len, MH_BINARY_HEADER_SIZE + 12);
	CHECK(buf[1] == MH_TALLY_TEXT_KEYS && buf[29] == 1 && buf[33] == 0 && buf[41] == 7);
	/* no candidates: no key kind, no flag */
	len = encode_text("votes={} cast=1", buf);
	CHECK_I64(len, MH_BINARY_HEADER_SIZE);
	CHECK_I64(buf[1], 0);

	/* every truncation fails cleanly, every single-byte corruption too or checks */
	len = encode_text("registered=100 cast=20 invalid=1 votes={\"\":1,\"a\":2,\"ab\":3,"
					  "\"Қазақ\":4,\"😀\":5,\"q\\\"\":4}", buf);
	CHECK_STATUS(decode_copy(buf, len, &t, &err), MH_OK);
	release(t);
	t = NULL;
	ok = true;
	for (i = 0; i < len; i++)
	{
		mh_status	status = decode_copy(buf, i, &t, &err);

		ok &= status == MH_ETRUNCATED && err.status == status;
		if (status == MH_OK)
			release(t);
	}
	CHECK(ok);
	ok = true;
	for (i = 0; i < len; i++)
	{
		static const uint8_t flips[] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF};
		size_t		f;

		for (f = 0; f < sizeof(flips); f++)
		{
			memcpy(bad, buf, len);
			bad[i] ^= flips[f];
			ok &= decode_clean(bad, len);
		}
		memcpy(bad, buf, len);
		bad[i] = 0;
		ok &= decode_clean(bad, len);
		bad[i] = 0xFF;
		ok &= decode_clean(bad, len);
		/* one byte more, one byte less at every place */
		memcpy(bad, buf, i);
		bad[i] = 'x';
		memcpy(bad + i + 1, buf + i, len - i);
		ok &= decode_clean(bad, len + 1);
		memcpy(bad, buf, i);
		memcpy(bad + i, buf + i + 1, len - i - 1);
		ok &= decode_clean(bad, len - 1);
	}
	CHECK(ok);
	/* a trailing byte */
	memcpy(bad, buf, len);
	bad[len] = 0;
	decode_fails(bad, len + 1, MH_ETRAILING);

	/* key lengths pointing past the end */
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 2);
	len += put_key_entry(buf + len, "abc", 3, 1);
	len += put_key_entry(buf + len, "abd", 3, 2);
	CHECK_STATUS(decode_copy(buf, len, &t, &err), MH_OK);
	if (t != NULL)
	{
		CHECK(key_is(t, 0, "abc") && key_is(t, 1, "abd"));
		release(t);
	}
	{
		static const uint32_t lens[] = {4, 5, 6, 7, 8, 9, 100, 0x7FFFFFFF, 0x80000000,
		0xFFFFFFF0, 0xFFFFFFFF};

		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		{
			memcpy(bad, buf, len);
			bad[30] = (uint8_t) (lens[i] >> 24);
			bad[31] = (uint8_t) (lens[i] >> 16);
			bad[32] = (uint8_t) (lens[i] >> 8);
			bad[33] = (uint8_t) lens[i];
			CHECK(decode_clean(bad, len));
			/* the last key's length past the end */
			memcpy(bad, buf, len);
			bad[45] = (uint8_t) (lens[i] >> 24);
			bad[46] = (uint8_t) (lens[i] >> 16);
			bad[47] = (uint8_t) (lens[i] >> 8);
			bad[48] = (uint8_t) lens[i];
			decode_fails(bad, len, MH_ETRUNCATED);
		}
		/* 3 then 15: the last key would swallow the votes */
		memcpy(bad, buf, len);
		bad[48] = 3 + 8 + 1;
		decode_fails(bad, len, MH_ETRUNCATED);
		/* more candidates than the bytes can hold */
		memcpy(bad, buf, len);
		bad[29] = 3;
		decode_fails(bad, len, MH_ETRUNCATED);
		bad[29] = 5;
		decode_fails(bad, len, MH_ETRUNCATED);
		/* fewer: the rest trails */
		bad[29] = 1;
		decode_fails(bad, len, MH_ETRAILING);
		/* the first key takes the second's bytes: the rest does not parse */
		memcpy(bad, buf, len);
		bad[33] = 3 + 8 + 4 + 3;
		decode_fails(bad, len, MH_ETRUNCATED);
	}

	/* keys out of order, equal keys, a NUL, not UTF-8 */
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 2);
	len += put_key_entry(buf + len, "b", 1, 1);
	len += put_key_entry(buf + len, "a", 1, 2);
	decode_fails(buf, len, MH_EUNSORTED);
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 2);
	len += put_key_entry(buf + len, "ab", 2, 1);
	len += put_key_entry(buf + len, "a", 1, 2);
	decode_fails(buf, len, MH_EUNSORTED);	/* a prefix comes first */
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 2);
	len += put_key_entry(buf + len, "a", 1, 1);
	len += put_key_entry(buf + len, "a", 1, 2);
	decode_fails(buf, len, MH_EDUPLICATE);
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 2);
	len += put_key_entry(buf + len, "", 0, 1);
	len += put_key_entry(buf + len, "", 0, 2);
	decode_fails(buf, len, MH_EDUPLICATE);
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 1);
	len += put_key_entry(buf + len, "a\0b", 3, 1);
	decode_fails(buf, len, MH_EKEY);
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 1);
	len += put_key_entry(buf + len, "\0", 1, 1);
	decode_fails(buf, len, MH_EKEY);
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 1);
	len += put_key_entry(buf + len, "\xed\xa0\x80", 3, 1);
	decode_fails(buf, len, MH_EKEY);
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 1);
	len += put_key_entry(buf + len, "\xc3", 1, 1);
	decode_fails(buf, len, MH_EKEY);
	/* a multi-byte letter split between two keys: each half is invalid */
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 2);
	len += put_key_entry(buf + len, "\xd2", 1, 1);
	len += put_key_entry(buf + len, "\x9a", 1, 2);
	decode_fails(buf, len, MH_EKEY);
	/* a key one byte too long */
	{
		uint8_t    *big = malloc(MH_BINARY_HEADER_SIZE + 12 + MH_KEY_MAX_BYTES + 1);
		char	   *key = malloc(MH_KEY_MAX_BYTES + 1);

		memset(key, 'k', MH_KEY_MAX_BYTES + 1);
		len = put_key_header(big, MH_TALLY_TEXT_KEYS, 0, 3, 0, 1);
		len += put_key_entry(big + len, key, MH_KEY_MAX_BYTES + 1, 1);
		decode_fails(big, len, MH_EKEYLENGTH);
		len = put_key_header(big, MH_TALLY_TEXT_KEYS, 0, 3, 0, 1);
		len += put_key_entry(big + len, key, MH_KEY_MAX_BYTES, 1);
		CHECK_STATUS(decode_copy(big, len, &t, &err), MH_OK);
		release(t);
		t = NULL;
		free(key);
		free(big);
	}
	/* counts are checked as for number keys */
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 1);
	len += put_key_entry(buf + len, "a", 1, -1);
	decode_fails(buf, len, MH_ENEGATIVE);
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 1);
	len += put_key_entry(buf + len, "a", 1, 4);
	decode_fails(buf, len, MH_EINCONSISTENT);
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 7, 3, 0, 1);
	len += put_key_entry(buf + len, "a", 1, 1);
	decode_fails(buf, len, MH_EVERSION);	/* registered unknown but 7 */
	buf[1] |= MH_TALLY_REGISTERED_KNOWN;
	CHECK_STATUS(decode_copy(buf, len, &t, &err), MH_OK);
	release(t);
	t = NULL;

	/* flag 0x02 with no candidates, and with bytes after them */
	len = put_key_header(buf, MH_TALLY_TEXT_KEYS, 0, 3, 0, 0);
	decode_fails(buf, len, MH_EVERSION);
	buf[len] = 'a';
	decode_fails(buf, len + 1, MH_ETRAILING);
	buf[1] = MH_TALLY_TEXT_KEYS | MH_TALLY_REGISTERED_KNOWN;
	put_be64(buf + 2, 10);
	decode_fails(buf, len, MH_EVERSION);
	buf[1] = MH_TALLY_REGISTERED_KNOWN;
	CHECK_STATUS(decode_copy(buf, len, &t, &err), MH_OK);
	release(t);
	t = NULL;
	/* number-key bytes read as text keys, and the other way round, fail or check */
	len = encode_text("registered=1000 cast=620 invalid=3 votes={17:300,42:317}", buf);
	memcpy(bad, buf, len);
	bad[1] |= MH_TALLY_TEXT_KEYS;
	CHECK(decode_clean(bad, len));
	len = encode_text("votes={\"abcd\":1,\"efgh\":2}", buf);
	memcpy(bad, buf, len);
	bad[1] &= (uint8_t) ~MH_TALLY_TEXT_KEYS;
	CHECK(decode_clean(bad, len));

	/* out of memory */
	{
		test_alloc_state st = {0, 0, 0};
		mh_allocator failing = {test_alloc, test_free, &st, NULL};

		len = encode_text("votes={\"a\":1,\"b\":2}", buf);
		CHECK_STATUS(mh_tally_decode(buf, len, &failing, &t, &err), MH_ENOMEM);
		CHECK(st.live == 0);
	}
}

/* A flat text-keyed tally by hand: keys "a", "bc", "d" (4 bytes), 1 vote each. */
static mh_tally *
hand_keys(size_t extra)
{
	mh_tally   *h = malloc(mh_tally_size(3) + 4 + extra);

	mh_tally_init(h, 3, true, true, 10, 5, 1);
	memcpy((char *) (h->votes + 3), "abcd", 4);
	h->votes[0].candidate = mh_key_pack(0, 1);
	h->votes[1].candidate = mh_key_pack(1, 2);
	h->votes[2].candidate = mh_key_pack(3, 1);
	h->votes[0].votes = h->votes[1].votes = h->votes[2].votes = 1;
	return h;
}

static void
test_keys_check(void)
{
	const size_t size = mh_tally_size(3) + 4;
	mh_tally   *h;
	mh_error	err;
	char	   *keys;
	char		label[MH_LABEL_SIZE];

	BEGIN_TEST("text keys: mh_tally_check on hand-made blocks");
	h = hand_keys(8);
	keys = (char *) (h->votes + 3);
	CHECK_I64(h->flags, MH_TALLY_REGISTERED_KNOWN | MH_TALLY_TEXT_KEYS);
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_OK);
	CHECK_I64(mh_tally_total_size(h), size);
	CHECK(key_is(h, 0, "a") && key_is(h, 1, "bc") && key_is(h, 2, "d"));
	CHECK_STR(mh_candidate_label(h, 1, label), "\"bc\"");

	/* the size: trailing bytes, short of the last key, no key area at all */
	CHECK_STATUS(mh_tally_check(h, size + 1, &err), MH_ETRAILING);
	CHECK_STATUS(mh_tally_check(h, size + 8, &err), MH_ETRAILING);
	CHECK_STATUS(mh_tally_check(h, size - 1, &err), MH_ETRUNCATED);
	CHECK_STATUS(mh_tally_check(h, mh_tally_size(3), &err), MH_ETRUNCATED);
	CHECK_STATUS(mh_tally_check(h, mh_tally_size(3) - 1, &err), MH_ETRUNCATED);
	CHECK_STATUS(mh_tally_check(h, MH_TALLY_HEADER_SIZE, &err), MH_ETRUNCATED);

	/* offsets: a gap, an overlap, out of the area, out of order */
	h->votes[1].candidate = mh_key_pack(2, 2);	/* gap after "a" */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	CHECK_STATUS(mh_tally_check(h, size + 1, &err), MH_ETRUNCATED);
	h->votes[1].candidate = mh_key_pack(0, 2);	/* overlaps "a" */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	h->votes[1].candidate = mh_key_pack(1, 3);	/* overlaps "d" */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	h->votes[1].candidate = mh_key_pack(1, 1);	/* leaves a byte out */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	h->votes[1].candidate = mh_key_pack(0xFFFFFFFF, 2);
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	h->votes[1].candidate = mh_key_pack(1, 0xFFFFFFFF);
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	h->votes[1].candidate = mh_key_pack(1, 2);
	h->votes[2].candidate = mh_key_pack(3, 2);	/* past the end */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	keys[4] = 'e';
	CHECK_STATUS(mh_tally_check(h, size + 1, &err), MH_OK);	/* "d" and the next byte */
	CHECK(key_is(h, 2, "de"));
	keys[4] = '\0';
	CHECK_STATUS(mh_tally_check(h, size + 1, &err), MH_EKEY);
	h->votes[2].candidate = mh_key_pack(3, 0);	/* an empty last key after "bc" */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EUNSORTED);
	CHECK_STATUS(mh_tally_check(h, size - 1, &err), MH_EUNSORTED);
	h->votes[2].candidate = mh_key_pack(3, 1);
	h->votes[0].candidate = mh_key_pack(0, 0);	/* "", "abc"? no: the second starts at 1 */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	h->votes[0].candidate = (int64_t) (((uint64_t) 1 << 63) | 1);	/* high offset bit */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRUNCATED);
	free(h);

	/* the keys themselves */
	h = hand_keys(0);
	keys = (char *) (h->votes + 3);
	keys[0] = 'c';				/* "c", "bc": out of order */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EUNSORTED);
	keys[0] = 'b';				/* "b", "bc": a prefix first is fine */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_OK);
	keys[3] = 'b';				/* "b", "bc", "b" */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EUNSORTED);
	keys[1] = 'd';
	keys[2] = '\0';
	keys[3] = 'd';				/* "b", "d\0", "d" */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EKEY);
	keys[2] = 'x';
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EUNSORTED);	/* "dx" > "d" */
	keys[1] = 'c';
	keys[2] = '\xff';
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EKEY);
	keys[1] = '\xd2';
	keys[2] = '\x9a';			/* "b", "Қ", "d": out of order (bytewise) */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EUNSORTED);
	keys[3] = '\xd3';			/* a truncated sequence */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EKEY);
	memcpy(keys, "abcd", 4);
	h->votes[1].candidate = mh_key_pack(1, 1);
	h->votes[2].candidate = mh_key_pack(2, 2);	/* "a", "b", "cd" */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_OK);
	keys[1] = 'a';				/* "a", "a", "cd" */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EDUPLICATE);
	CHECK(strstr(err.detail, "\"a\"") != NULL);
	keys[1] = 'b';

	/* counts, flags and the candidate limit, as for number keys */
	h->votes[1].votes = -1;
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ENEGATIVE);
	CHECK(strstr(err.detail, "\"b\"") != NULL);
	h->votes[1].votes = 3;
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EINCONSISTENT);
	h->votes[1].votes = 1;
	h->flags = MH_TALLY_TEXT_KEYS;
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EVERSION);	/* registered 10 unknown */
	h->registered = 0;
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_OK);
	h->flags = 0;				/* read as number keys, the key bytes trail */
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETRAILING);
	h->flags = MH_TALLY_TEXT_KEYS | 0x20;
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EVERSION);
	h->flags = MH_TALLY_TEXT_KEYS;
	h->ncandidates = 0;			/* the flag without candidates */
	CHECK_STATUS(mh_tally_check(h, mh_tally_size(0), &err), MH_EVERSION);
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_EVERSION);
	h->ncandidates = MH_TALLY_MAX_CANDIDATES + 1;
	CHECK_STATUS(mh_tally_check(h, size, &err), MH_ETOOBIG);
	free(h);

	/* a key of MH_KEY_MAX_BYTES + 1 bytes in the area */
	{
		size_t		n = MH_KEY_MAX_BYTES + 1;

		h = malloc(mh_tally_size(1) + n);
		mh_tally_init(h, 1, true, false, 0, 1, 0);
		memset(h->votes + 1, 'k', n);
		h->votes[0].candidate = mh_key_pack(0, (uint32_t) n);
		h->votes[0].votes = 1;
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(1) + n, &err), MH_EKEYLENGTH);
		h->votes[0].candidate = mh_key_pack(0, (uint32_t) n - 1);
		CHECK_STATUS(mh_tally_check(h, mh_tally_size(1) + n - 1, &err), MH_OK);
		free(h);
	}
}

/* The sum of two tallies through a counter (add_tally twice), or NULL on failure. */
static mh_tally *
counter_sum2(const mh_tally *a, const mh_tally *b, uint64_t seed, mh_status *status)
{
	mh_counter	c;
	mh_error	err;
	mh_tally   *t = NULL;

	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	if (seed != 0)
		mh_counter_seed(&c, seed);
	*status = mh_counter_add_tally(&c, a, &err);
	if (*status == MH_OK)
		*status = mh_counter_add_tally(&c, b, &err);
	if (*status == MH_OK)
	{
		t = counter_tally(&c);
		CHECK_I64(mh_counter_tally_size(&c), mh_tally_total_size(t));
		CHECK_STATUS(mh_tally_check(t, mh_tally_total_size(t), &err), MH_OK);
	}
	mh_counter_release(&c);
	return t;
}

/* a + b must be the text expected, both ways round, and a counter's sum too. */
static void
keys_add_at(const char *a_text, const char *b_text, const char *expected,
			const char *file, int line)
{
	mh_tally   *a = parse_ok_at(a_text, file, line);
	mh_tally   *b = parse_ok_at(b_text, file, line);
	mh_tally   *ab = NULL,
			   *ba = NULL,
			   *viac;
	mh_error	err;
	mh_status	status;
	char	   *s;

	if (a == NULL || b == NULL)
		return;
	check_impl(mh_tally_add(a, b, &heap, &ab, &err) == MH_OK, "a + b", file, line);
	check_impl(mh_tally_add(b, a, &heap, &ba, &err) == MH_OK, "b + a", file, line);
	s = format(ab);
	if (!check_impl(strcmp(s, expected) == 0, "the sum's text", file, line))
		fprintf(stderr, "     got \"%s\", expected \"%s\"\n", s, expected);
	check_impl(mh_tally_check(ab, mh_tally_total_size(ab), &err) == MH_OK,
			   "the sum passes mh_tally_check", file, line);
	check_impl(mh_tally_equal(ab, ba), "a + b == b + a", file, line);
	viac = counter_sum2(a, b, 0, &status);
	check_impl(viac != NULL && mh_tally_equal(ab, viac), "a counter agrees", file, line);
	release(viac);
	viac = counter_sum2(b, a, 77, &status);
	check_impl(viac != NULL && mh_tally_equal(ab, viac), "a seeded counter agrees", file, line);
	release(viac);
	release(s);
	release(ab);
	release(ba);
	release(a);
	release(b);
}

#define keys_add(a, b, expected) keys_add_at((a), (b), (expected), __FILE__, __LINE__)

static void
test_keys_add(void)
{
	mh_tally   *a,
			   *b,
			   *r = NULL;
	mh_error	err;
	long		live;

	BEGIN_TEST("text keys: mh_tally_add");
	keys_add("registered=1000 cast=620 invalid=3 votes={\"Ivanov\":300,\"Smith\":317}",
			 "registered=500 cast=400 invalid=10 votes={\"Abai\":1,\"Smith\":100,\"Ъ\":200}",
			 "registered=1500 cast=1020 invalid=13 votes={\"Abai\":1,\"Ivanov\":300,"
			 "\"Smith\":417,\"Ъ\":200}");
	/* overlapping, disjoint, prefixes of each other */
	keys_add("votes={\"a\":1,\"b\":2}", "votes={\"b\":3,\"c\":4}",
			 "cast=10 invalid=0 votes={\"a\":1,\"b\":5,\"c\":4}");
	keys_add("votes={\"x\":1}", "votes={\"a\":2}", "cast=3 invalid=0 votes={\"a\":2,\"x\":1}");
	keys_add("votes={\"a\":1,\"ab\":1}", "votes={\"\":1,\"a\":1,\"aa\":1,\"b\":1}",
			 "cast=6 invalid=0 votes={\"\":1,\"a\":2,\"aa\":1,\"ab\":1,\"b\":1}");
	keys_add("votes={\"Қазақ\":1,\"Өскемен\":2}", "votes={\"Қаз\":3,\"😀\":4,\"Z\":5}",
			 "cast=15 invalid=0 votes={\"Z\":5,\"Қаз\":3,\"Қазақ\":1,\"Өскемен\":2,\"😀\":4}");
	keys_add("votes={\"a\\\"\":1}", "votes={\"a\\\\\":1,\"a\\\"\":1}",
			 "cast=3 invalid=0 votes={\"a\\\"\":2,\"a\\\\\":1}");
	keys_add("votes={\"a\":0}", "votes={\"a\":0,\"b\":0}", "cast=0 invalid=0 votes={\"a\":0,\"b\":0}");
	/* with an empty part, known or not: no key kind to clash */
	keys_add("registered=10 cast=5 votes={\"a\":2,\"b\":3}", "registered=0",
			 "registered=10 cast=5 invalid=0 votes={\"a\":2,\"b\":3}");
	keys_add("registered=0", "registered=10 cast=5 votes={\"a\":2,\"b\":3}",
			 "registered=10 cast=5 invalid=0 votes={\"a\":2,\"b\":3}");
	keys_add("cast=4 invalid=4", "registered=10 cast=5 votes={\"a\":2,\"b\":3}",
			 "cast=9 invalid=4 votes={\"a\":2,\"b\":3}");
	keys_add("votes={\"a\":1}", "votes={}", "cast=1 invalid=0 votes={\"a\":1}");
	/* a part added to itself */
	keys_add("votes={\"a\":1,\"b\":2}", "votes={\"a\":1,\"b\":2}",
			 "cast=6 invalid=0 votes={\"a\":2,\"b\":4}");

	/* the kinds do not mix, and nothing leaks on the way out */
	a = parse_ok("votes={\"10\":1}");
	b = parse_ok("votes={10:1}");
	live = heap_state.live;
	CHECK_STATUS(mh_tally_add(a, b, &heap, &r, &err), MH_EKIND);
	CHECK_STATUS(err.status, MH_EKIND);
	CHECK(strstr(err.detail, "text") != NULL && strstr(err.detail, "numbers") != NULL);
	CHECK_STATUS(mh_tally_add(b, a, &heap, &r, &err), MH_EKIND);
	CHECK_I64(heap_state.live, live);
	{
		mh_status	status;

		CHECK(counter_sum2(a, b, 0, &status) == NULL);
		CHECK_STATUS(status, MH_EKIND);
		CHECK(counter_sum2(b, a, 5, &status) == NULL);
		CHECK_STATUS(status, MH_EKIND);
	}
	release(a);
	release(b);

	/*
	 * One key's votes beyond the 64-bit range (ballots cast, never fewer,
	 * overflow with them); the edge itself is fine.
	 */
	a = parse_ok("votes={\"k\":4611686018427387904}");
	b = parse_ok("votes={\"k\":4611686018427387904,\"z\":0}");
	live = heap_state.live;
	CHECK_STATUS(mh_tally_add(a, b, &heap, &r, &err), MH_EOVERFLOW);
	CHECK_STATUS(mh_tally_add(b, a, &heap, &r, &err), MH_EOVERFLOW);
	CHECK_I64(heap_state.live, live);
	{
		mh_status	status;

		CHECK(counter_sum2(a, b, 0, &status) == NULL);
		CHECK_STATUS(status, MH_EOVERFLOW);
	}
	release(b);
	b = parse_ok("votes={\"k\":4611686018427387903}");
	CHECK_STATUS(mh_tally_add(a, b, &heap, &r, &err), MH_OK);
	CHECK_I64(key_votes(r, "k"), INT64_MAX);
	CHECK_I64(r->cast, INT64_MAX);
	release(r);
	release(a);
	release(b);

	/* out of memory */
	{
		test_alloc_state st = {0, 0, 0};
		mh_allocator failing = {test_alloc, test_free, &st, NULL};

		a = parse_ok("votes={\"a\":1}");
		b = parse_ok("votes={\"b\":1}");
		CHECK_STATUS(mh_tally_add(a, b, &failing, &r, &err), MH_ENOMEM);
		CHECK_I64(st.live, 0);
		release(a);
		release(b);
	}

	/* random parts from a small alphabet: add agrees with a counter, associatively */
	{
		static const char *const alphabet[] = {"", "a", "aa", "ab", "b", "é", "Қ", "Қа", "😀"};
		int			round;
		bool		ok = true;

		for (round = 0; round < 200; round++)
		{
			mh_tally   *p[3];
			mh_tally   *ab = NULL,
					   *ab_c = NULL,
					   *bc = NULL,
					   *a_bc = NULL,
					   *viac;
			mh_status	status;
			int			k;

			for (k = 0; k < 3; k++)
			{
				const char *names[9];
				int64_t		votes[9];
				int64_t		sum = 0;
				size_t		n = 0;
				int			j;

				for (j = 0; j < 9; j++)
					if (rng_below(3) == 0)
					{
						names[n] = alphabet[j];
						votes[n] = (int64_t) rng_below(5);
						sum += votes[n++];
					}
				p[k] = build_keys(k != 1, sum + 10, sum + 1, 1, names, votes, n);
			}
			ok &= mh_tally_add(p[0], p[1], &heap, &ab, &err) == MH_OK;
			ok &= mh_tally_add(ab, p[2], &heap, &ab_c, &err) == MH_OK;
			ok &= mh_tally_add(p[1], p[2], &heap, &bc, &err) == MH_OK;
			ok &= mh_tally_add(p[0], bc, &heap, &a_bc, &err) == MH_OK;
			ok &= mh_tally_equal(ab_c, a_bc);
			ok &= mh_tally_check(ab_c, mh_tally_total_size(ab_c), NULL) == MH_OK;
			viac = counter_sum2(ab, p[2], rng(), &status);
			ok &= viac != NULL && mh_tally_equal(viac, ab_c);
			release(viac);
			release(ab);
			release(ab_c);
			release(bc);
			release(a_bc);
			for (k = 0; k < 3; k++)
				release(p[k]);
		}
		CHECK(ok);
	}
}

/* ---------------------------------------------------------------- counter */

#define NKEYS 121				/* every string of up to 4 letters from "a", "b", "é" */

static char oracle_keys[NKEYS][16];
static uint32_t oracle_lens[NKEYS];

static void
setup_oracle_keys(void)
{
	static const char *const letters[] = {"a", "b", "é"};
	int			n = 0,
				len,
				i;

	if (oracle_lens[NKEYS - 1] != 0)
		return;
	for (len = 0; len <= 4; len++)
	{
		int			count = 1;

		for (i = 0; i < len; i++)
			count *= 3;
		for (i = 0; i < count; i++)
		{
			int			x = i,
						j;
			char	   *p = oracle_keys[n];

			for (j = 0; j < len; j++, x /= 3)
			{
				strcpy(p, letters[x % 3]);
				p += strlen(p);
			}
			oracle_lens[n] = (uint32_t) (p - oracle_keys[n]);
			n++;
		}
	}
}

/* mh_tally_build_keys of plain counts (zero counts left out), keys shuffled. */
static mh_tally *
oracle_tally(const int64_t *naive, int64_t invalid)
{
	mh_key_vote kv[NKEYS];
	int64_t		cast = invalid;
	size_t		n = 0,
				i;
	mh_tally   *t = NULL;
	mh_error	err;

	for (i = 0; i < NKEYS; i++)
		if (naive[i] > 0)
		{
			kv[n].key = oracle_keys[i];
			kv[n].len = oracle_lens[i];
			kv[n++].votes = naive[i];
			cast += naive[i];
		}
	for (i = n; i > 1; i--)
	{
		size_t		j = (size_t) rng_below(i);
		mh_key_vote tmp = kv[i - 1];

		kv[i - 1] = kv[j];
		kv[j] = tmp;
	}
	CHECK_STATUS(mh_tally_build_keys(false, 0, cast, invalid, kv, n, &heap, &t, &err), MH_OK);
	return t;
}

/* The counter equals the plain counts in full. */
static bool
counter_matches(const mh_counter *c, const int64_t *naive, int64_t invalid)
{
	mh_tally   *got = counter_tally(c);
	mh_tally   *want = oracle_tally(naive, invalid);
	bool		ok;

	ok = mh_tally_check(got, mh_tally_total_size(got), NULL) == MH_OK &&
		mh_tally_equal(got, want) &&
		mh_counter_tally_size(c) == mh_tally_total_size(want) &&
		counter_load_ok(c) && !mh_tally_registered_known(got);
	if (!ok)
		fprintf(stderr, "     counter %u keys, cast %" PRId64 "; expected %u, %" PRId64 "\n",
				(unsigned) got->ncandidates, got->cast, (unsigned) want->ncandidates, want->cast);
	release(got);
	release(want);
	return ok;
}

static void
recount_keys(mh_counter *c, uint64_t seed, const int64_t *naive, int64_t invalid)
{
	mh_error	err;
	int			i;

	mh_counter_init(c, &heap, &err);
	if (seed != 0)
		mh_counter_seed(c, seed);
	for (i = 0; i < NKEYS; i++)
		if (naive[i] > 0)
			mh_counter_add_key_votes(c, false, oracle_keys[i], oracle_lens[i], naive[i], &err);
	mh_counter_add_key_votes(c, true, NULL, 0, invalid, &err);
}

static void
run_key_oracle(uint64_t seed)
{
	mh_counter	c;
	mh_error	err;
	int64_t		naive[NKEYS];
	int64_t		invalid = 0;
	uint32_t	grows = 0,
				last_capacity;
	int			step,
				i;
	bool		ok = true,
				emptied = false;

	memset(naive, 0, sizeof(naive));
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	if (seed != 0)
		mh_counter_seed(&c, seed);
	last_capacity = c.line->capacity;
	for (step = 0; step < 6000; step++)
	{
		uint64_t	r = rng();
		int			who = (int) ((r >> 8) % NKEYS);
		const char *k = oracle_keys[who];
		uint32_t	len = oracle_lens[who];
		bool		is_invalid = r % 23 == 0;
		int64_t    *have = is_invalid ? &invalid : &naive[who];
		mh_status	status;

		if (step == 4000)
		{
			/* take every ballot back, then count again */
			for (i = 0; i < NKEYS; i++)
				while (naive[i] > 0)
				{
					ok &= mh_counter_remove_key_ballot(&c, false, oracle_keys[i], oracle_lens[i],
													   &err) == MH_OK;
					naive[i]--;
				}
			while (invalid > 0)
			{
				ok &= mh_counter_remove_key_ballot(&c, true, NULL, 0, &err) == MH_OK;
				invalid--;
			}
			CHECK_I64(c.ncandidates, 0);
			CHECK_I64(mh_counter_cast(&c), 0);
			CHECK_I64(c.key_bytes, 0);
			CHECK_I64(mh_counter_tally_size(&c), mh_tally_size(0));
			{
				const char *lk;
				uint32_t	llen;

				CHECK(!mh_counter_leader_key(&c, &lk, &llen));
			}
			CHECK(counter_matches(&c, naive, invalid));
			CHECK_STATUS(mh_counter_remove_key_ballot(&c, false, "a", 1, &err), MH_EINCONSISTENT);
			emptied = true;
			mh_counter_release(&c);
			recount_keys(&c, seed, naive, invalid);
		}
		switch ((r >> 40) % 8)
		{
			case 0:
			case 1:
			case 2:
			case 3:
				ok &= mh_counter_add_key_ballot(&c, is_invalid, k, len, &err) == MH_OK;
				(*have)++;
				break;
			case 4:
				{
					int64_t		n = 1 + (int64_t) ((r >> 44) % 3);

					ok &= mh_counter_add_key_votes(&c, is_invalid, k, len, n, &err) == MH_OK;
					*have += n;
				}
				break;
			default:
				status = mh_counter_remove_key_ballot(&c, is_invalid, k, len, &err);
				if (*have > 0)
				{
					ok &= status == MH_OK;
					(*have)--;
				}
				else
				{
					ok &= status == MH_EINCONSISTENT && err.status == status;
					mh_counter_release(&c);
					recount_keys(&c, seed, naive, invalid);
				}
				break;
		}
		if (c.line->capacity != last_capacity)
		{
			grows++;
			last_capacity = c.line->capacity;
		}
		if (step % 97 == 0 || step == 5999)
			ok &= counter_matches(&c, naive, invalid);
	}
	CHECK(ok);
	CHECK(emptied);
	CHECK(grows >= 4);
	CHECK(c.line->kind == MH_KEYS_TEXT);
	CHECK(c.ncandidates > 100);
	CHECK(counter_matches(&c, naive, invalid));

	/* the leader against a naive scan */
	{
		int64_t		best = 0;
		int			nbest = 0,
					who = -1;
		const char *lkey = NULL;
		uint32_t	len = 0;
		bool		has = mh_counter_leader_key(&c, &lkey, &len);
		int64_t		dummy;

		for (i = 0; i < NKEYS; i++)
		{
			if (naive[i] > best)
			{
				best = naive[i];
				who = i;
				nbest = 1;
			}
			else if (naive[i] == best && best > 0)
				nbest++;
		}
		CHECK(has == (nbest == 1));
		if (has)
			CHECK(len == oracle_lens[who] && memcmp(lkey, oracle_keys[who], len) == 0);
		CHECK(!mh_counter_leader(&c, &dummy));	/* the number-key form says nothing */
	}
	mh_counter_release(&c);
}

static void
test_keys_counter(void)
{
	mh_counter	c,
				d;
	mh_error	err;
	mh_tally   *t,
			   *u;
	char	   *s;
	int64_t		who;

	BEGIN_TEST("text keys: counter");
	setup_oracle_keys();
	CHECK(oracle_lens[0] == 0 && oracle_lens[1] == 1 && oracle_lens[3] == 2);
	CHECK(oracle_lens[NKEYS - 1] == 8);	/* "éééé" */
	run_key_oracle(0);
	run_key_oracle(UINT64_C(0xDEADBEEFCAFEF00D));
	run_key_oracle(1);

	/* the first key sets the kind; the other kind is refused */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK(c.line->kind == MH_KEYS_NONE);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, true, NULL, 0, &err), MH_OK);
	CHECK(c.line->kind == MH_KEYS_NONE);	/* a blank ballot names nobody */
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "Smith", 5, &err), MH_OK);
	CHECK(c.line->kind == MH_KEYS_TEXT);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "Smith", 5, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "Smit", 4, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "Smithy", 6, &err), MH_OK);
	CHECK_I64(c.ncandidates, 3);
	CHECK_I64(c.key_bytes, 15);
	t = counter_tally(&c);
	s = format(t);
	CHECK_STR(s, "cast=5 invalid=1 votes={\"Smit\":1,\"Smith\":2,\"Smithy\":1}");
	CHECK_I64(mh_counter_tally_size(&c), mh_tally_total_size(t));
	release(s);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 7, &err), MH_EKIND);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_tally(&c, t, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 7, 1, &err), MH_EKIND);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 7, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "7", 1, &err), MH_EKIND);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_votes(&c, false, 7, 3, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_votes(&c, false, "7", 1, 3, &err), MH_EKIND);
	mh_counter_release(&c);

	/* add_tally: a text tally to a number counter, and the other way round */
	u = parse_ok("votes={7:1}");
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_tally(&c, u, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_tally(&c, t, &err), MH_EKIND);
	CHECK_I64(mh_counter_cast(&c), 1);		/* refused before anything is counted */
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_tally(&c, t, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_tally(&c, u, &err), MH_EKIND);
	/* an empty tally adds to either */
	{
		mh_tally   *e = parse_ok("cast=3 invalid=3");

		CHECK_STATUS(mh_counter_add_tally(&c, e, &err), MH_OK);
		release(e);
	}
	CHECK_I64(mh_counter_cast(&c), 8);
	mh_counter_release(&c);
	release(u);

	/* merge of two text counters equals mh_tally_add; number + text refused */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
	mh_counter_seed(&c, 1);
	mh_counter_seed(&d, 2);
	{
		int			i;
		bool		ok = true;

		setup_oracle_keys();
		for (i = 0; i < 3000; i++)
		{
			int			k = (int) rng_below(NKEYS);

			ok &= mh_counter_add_key_ballot(i % 2 ? &c : &d, i % 31 == 0, oracle_keys[k],
											oracle_lens[k], &err) == MH_OK;
		}
		CHECK(ok);
	}
	{
		mh_tally   *tc = counter_tally(&c),
				   *td = counter_tally(&d),
				   *sum = NULL,
				   *merged,
				   *after;

		CHECK_STATUS(mh_tally_add(tc, td, &heap, &sum, &err), MH_OK);
		CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_OK);
		merged = counter_tally(&c);
		CHECK(mh_tally_equal(merged, sum));
		CHECK_I64(mh_counter_tally_size(&c), mh_tally_total_size(sum));
		after = counter_tally(&d);
		CHECK(mh_tally_equal(after, td));	/* the other counter is unchanged */
		release(tc);
		release(td);
		release(sum);
		release(merged);
		release(after);
	}
	mh_counter_release(&d);
	CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&d, false, 5, &err), MH_OK);
	CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_EKIND);
	CHECK_STATUS(mh_counter_merge(&d, &c, &err), MH_EKIND);
	mh_counter_release(&d);
	/* an empty counter merges into a text counter */
	CHECK_STATUS(mh_counter_init(&d, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_merge(&c, &d, &err), MH_OK);
	CHECK_STATUS(mh_counter_merge(&d, &c, &err), MH_OK);
	CHECK(d.line->kind == MH_KEYS_TEXT);
	{
		mh_tally   *x = counter_tally(&c),
				   *y = counter_tally(&d);

		CHECK(mh_tally_equal(x, y));
		release(x);
		release(y);
	}
	mh_counter_release(&c);
	mh_counter_release(&d);
	release(t);

	/* the leader slot on ties */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	{
		const char *k = NULL;
		uint32_t	len = 0;

		CHECK(!mh_counter_leader_key(&c, &k, &len));
		CHECK_STATUS(mh_counter_add_key_votes(&c, false, "a", 1, 0, &err), MH_OK);
		CHECK(!mh_counter_leader_key(&c, &k, &len));	/* nobody has a vote */
		CHECK_STATUS(mh_counter_add_key_votes(&c, false, "b", 1, 2, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_votes(&c, false, "a", 1, 2, &err), MH_OK);
		CHECK(!mh_counter_leader_key(&c, &k, &len));	/* a tie */
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "b", 1, &err), MH_OK);
		CHECK(mh_counter_leader_key(&c, &k, &len) && len == 1 && k[0] == 'b');
		CHECK_I64(mh_counter_cast(&c), 5);	/* a 2, b 3 */
		CHECK(!mh_counter_leader(&c, &who));
		CHECK_STATUS(mh_counter_remove_key_ballot(&c, false, "b", 1, &err), MH_OK);
		CHECK(!mh_counter_leader_key(&c, &k, &len));	/* a tie again */
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "c", 1, &err), MH_OK);
		CHECK(!mh_counter_leader_key(&c, &k, &len));
	}
	mh_counter_release(&c);

	/* keys the counter refuses: not UTF-8, a NUL, too long */
	{
		char	   *big = malloc(MH_KEY_MAX_BYTES + 1);

		memset(big, 'x', MH_KEY_MAX_BYTES + 1);
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "\xff", 1, &err), MH_EKEY);
		mh_counter_release(&c);
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "a", 1, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "a\0b", 3, &err), MH_EKEY);
		mh_counter_release(&c);
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_votes(&c, false, "\xed\xa0\x80", 3, 4, &err), MH_EKEY);
		mh_counter_release(&c);
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, big, MH_KEY_MAX_BYTES + 1, &err),
					 MH_EKEYLENGTH);
		mh_counter_release(&c);
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, big, MH_KEY_MAX_BYTES, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, big, MH_KEY_MAX_BYTES, &err), MH_OK);
		CHECK_I64(c.ncandidates, 1);
		CHECK(mh_counter_memory(&c) >= sizeof(mh_counter) + MH_KEY_MAX_BYTES);
		t = counter_tally(&c);
		CHECK_I64(mh_tally_total_size(t), mh_tally_size(1) + MH_KEY_MAX_BYTES);
		release(t);
		mh_counter_release(&c);
		free(big);
	}
	/* negative votes, overflow of a key's votes */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_votes(&c, false, "a", 1, -1, &err), MH_ENEGATIVE);
	CHECK(strstr(err.detail, "\"a\"") != NULL);
	mh_counter_release(&c);
	{
		mh_tally   *big = parse_ok("votes={\"a\":9223372036854775807}");
		mh_tally   *one = parse_ok("votes={\"a\":1}");

		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_tally(&c, big, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "a", 1, &err), MH_EOVERFLOW);
		mh_counter_release(&c);
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_tally(&c, one, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_tally(&c, big, &err), MH_EOVERFLOW);
		mh_counter_release(&c);
		release(big);
		release(one);
	}
	/* taking back what was never there */
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "a", 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_key_ballot(&c, false, "b", 1, &err), MH_EINCONSISTENT);
	CHECK(strstr(err.detail, "\"b\"") != NULL);
	CHECK_STATUS(mh_counter_remove_key_ballot(&c, true, NULL, 0, &err), MH_EINCONSISTENT);
	CHECK_STATUS(mh_counter_remove_ballot(&c, false, 1, &err), MH_EINCONSISTENT);
	mh_counter_release(&c);
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);
	CHECK_STATUS(mh_counter_remove_key_ballot(&c, false, "1", 1, &err), MH_EINCONSISTENT);
	mh_counter_release(&c);

	/* the same ballots, any seed, any order: the same tally */
	{
		static const char *const names[] = {"Қазақ", "Өскемен", "a", "ab", "", "😀"};
		mh_tally   *first = NULL;
		int			round;
		bool		same = true;

		for (round = 0; round < 8; round++)
		{
			int			i;

			CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
			if (round > 0)
				mh_counter_seed(&c, rng());
			for (i = 0; i < 60; i++)
			{
				int			k = round % 2 ? i % 6 : 5 - i % 6;

				if (k <= (i / 6) % 6)
					mh_counter_add_key_ballot(&c, false, names[k], (uint32_t) strlen(names[k]), &err);
			}
			t = counter_tally(&c);
			if (first == NULL)
				first = t;
			else
			{
				same &= mh_tally_equal(first, t);
				release(t);
			}
			mh_counter_release(&c);
		}
		CHECK(same);
		release(first);
	}
}

/* ---------------------------------------------------------------- text keys: rules */

static void
test_keys_outcome(void)
{
	mh_rules	rules = default_rules();
	mh_outcome	o;
	mh_tally   *t;
	mh_rank    *rows = NULL;
	mh_error	err;

	BEGIN_TEST("text keys: outcome and ranking");
	t = parse_ok("registered=1000 cast=630 invalid=3 votes={\"Smith\":317,\"Ivanov\":300,\"Abai\":10}");
	if (t != NULL)
	{
		mh_outcome_compute(t, &rules, &o);
		CHECK(o.valid == MH_TRUE);
		CHECK(o.has_winner && !o.drawn && o.by_election == MH_FALSE);
		CHECK(key_is(t, o.winner_index, "Smith"));
		CHECK(o.has_leader && key_is(t, o.leader_index, "Smith"));
		CHECK(o.has_runner_up && key_is(t, o.runner_up_index, "Ivanov"));
		CHECK_I64(o.winner_index, 2);
		CHECK_I64(o.runner_up_index, 1);
		CHECK_I64(o.first_votes, 317);
		CHECK_I64(o.second_votes, 300);
		CHECK_I64(o.valid_votes, 627);
		CHECK_I64(o.tied, 1);
		release(t);
	}
	/* a tie for second place: no runner-up */
	t = parse_ok("votes={\"c\":5,\"b\":3,\"a\":3}");
	if (t != NULL)
	{
		mh_outcome_compute(t, &rules, &o);
		CHECK(o.has_leader && key_is(t, o.leader_index, "c"));
		CHECK(!o.has_runner_up);
		CHECK_I64(o.second_votes, 3);
		CHECK(o.valid == MH_UNKNOWN && o.by_election == MH_UNKNOWN);
		release(t);
	}

	/* ranking: votes descending, ties by key bytewise */
	t = parse_ok("votes={\"b\":5,\"a\":5,\"c\":7,\"ab\":5,\"Қ\":1,\"\":5,\"Z\":0}");
	if (t != NULL)
	{
		static const char *const order[] = {"c", "", "a", "ab", "b", "Қ", "Z"};
		static const uint32_t ranks[] = {1, 2, 2, 2, 2, 6, 7};
		int			i;

		CHECK_STATUS(mh_ranking(t, &heap, &rows, &err), MH_OK);
		for (i = 0; rows != NULL && i < 7; i++)
		{
			CHECK(key_is(t, rows[i].index, order[i]));
			CHECK_I64(rows[i].rank, ranks[i]);
			CHECK_I64(rows[i].votes, key_votes(t, order[i]));
		}
		release(rows);
		mh_outcome_compute(t, &rules, &o);
		CHECK(o.has_leader && key_is(t, o.leader_index, "c"));
		CHECK(!o.has_runner_up && o.second_votes == 5);
		release(t);
	}

	/* a tie: a by-election without lots; with lots, a key wins */
	t = parse_ok("registered=10 cast=8 votes={\"b\":4,\"a\":4}");
	if (t != NULL)
	{
		mh_outcome_compute(t, &rules, &o);
		CHECK(o.tie && o.tied == 2 && !o.has_leader && !o.has_winner);
		CHECK(o.by_election == MH_TRUE && o.reason == MH_REASON_TIE);
		rules.draw_lots = true;
		rules.lots_seed = 12345;
		mh_outcome_compute(t, &rules, &o);
		CHECK(o.has_winner && o.drawn && o.by_election == MH_FALSE);
		CHECK(key_is(t, o.winner_index, "a") || key_is(t, o.winner_index, "b"));
		{
			uint64_t	ta = mh_lots_ticket(12345, mh_key_lots_number("a", 1));
			uint64_t	tb = mh_lots_ticket(12345, mh_key_lots_number("b", 1));

			CHECK(key_is(t, o.winner_index, tb > ta ? "b" : "a"));
		}
		release(t);
		rules = default_rules();
	}

	/* the draw depends on the seed and the keys only: not on input order or counter seed */
	{
		static const char *const texts[] = {
			"votes={\"Өскемен\":5,\"Қазақ\":5,\"Алматы\":5,\"a\":1}",
			"votes={\"a\":1,\"Алматы\":5,\"Қазақ\":5,\"Өскемен\":5}",
			"votes={\"Қазақ\":5,\"a\":1,\"Өскемен\":5,\"Алматы\":5}",
		};
		static const char *const tied[] = {"Алматы", "Қазақ", "Өскемен"};
		int			wins[3] = {0, 0, 0};
		int64_t		seed;
		bool		same = true;
		mh_tally   *ts[5];
		int			k;

		for (k = 0; k < 3; k++)
			ts[k] = parse_ok(texts[k]);
		for (k = 3; k < 5; k++)
		{
			mh_counter	c;
			int			i,
						j;

			mh_counter_init(&c, &heap, &err);
			mh_counter_seed(&c, (uint64_t) k * 7919);
			for (i = 0; i < 5; i++)
				for (j = 0; j < 3; j++)
				{
					const char *key = tied[k == 3 ? j : 2 - j];

					mh_counter_add_key_ballot(&c, false, key, (uint32_t) strlen(key), &err);
				}
			mh_counter_add_key_ballot(&c, false, "a", 1, &err);
			ts[k] = counter_tally(&c);
			mh_counter_release(&c);
		}
		rules.draw_lots = true;
		rules.registered_given = true;
		rules.registered_known = true;
		rules.registered = 20;
		for (seed = -32; seed < 32; seed++)
		{
			mh_outcome	first;

			rules.lots_seed = seed * INT64_C(1000003);
			mh_outcome_compute(ts[0], &rules, &first);
			same &= first.has_winner && first.drawn && first.tied == 3;
			for (k = 1; k < 5; k++)
			{
				mh_outcome_compute(ts[k], &rules, &o);
				same &= o.has_winner && o.drawn && o.winner_index == first.winner_index;
			}
			for (k = 0; k < 3; k++)
				if (key_is(ts[0], first.winner_index, tied[k]))
					wins[k]++;
		}
		CHECK(same);
		CHECK_I64(wins[0] + wins[1] + wins[2], 64);
		CHECK(wins[0] > 0 && wins[1] > 0 && wins[2] > 0);	/* every tied key can win */
		for (k = 0; k < 5; k++)
			release(ts[k]);
		rules = default_rules();
	}

	/* named rules: "none" is always valid, registered or not */
	CHECK(mh_rules_named("none", &rules));
	CHECK(rules.no_turnout_rule);
	outcome_of("votes={\"a\":1}", &rules, &o);
	CHECK(o.valid == MH_TRUE && o.has_winner && o.by_election == MH_FALSE);
	outcome_of("registered=1000 cast=1 votes={\"a\":1}", &rules, &o);
	CHECK(o.valid == MH_TRUE && o.has_winner);
	outcome_of("registered=1000 cast=0", &rules, &o);
	CHECK(o.valid == MH_TRUE && o.reason == MH_REASON_NO_CANDIDATES);
	outcome_of("cast=3 invalid=3 votes={\"a\":0}", &rules, &o);
	CHECK(o.valid == MH_TRUE && o.reason == MH_REASON_NO_VALID_VOTES && !o.has_winner);
	outcome_of("cast=2 votes={\"a\":1,\"b\":1}", &rules, &o);
	CHECK(o.valid == MH_TRUE && o.reason == MH_REASON_TIE);

	/* "kz1994": more than half; exactly half is not valid */
	rules = default_rules();
	CHECK(mh_rules_named("kz1994", &rules));
	CHECK(!rules.no_turnout_rule);
	outcome_of("registered=1000 cast=500 votes={\"a\":300,\"b\":200}", &rules, &o);
	CHECK(o.valid == MH_FALSE && o.reason == MH_REASON_LOW_TURNOUT && !o.has_winner);
	CHECK(o.has_leader);
	outcome_of("registered=1000 cast=501 votes={\"a\":300,\"b\":200}", &rules, &o);
	CHECK(o.valid == MH_TRUE && o.has_winner && o.by_election == MH_FALSE);
	outcome_of("registered=1001 cast=501 votes={\"a\":300,\"b\":200}", &rules, &o);
	CHECK(o.valid == MH_TRUE);
	outcome_of("registered=1001 cast=500 votes={\"a\":300,\"b\":200}", &rules, &o);
	CHECK(o.valid == MH_FALSE);
	outcome_of("cast=501 votes={\"a\":300,\"b\":200}", &rules, &o);
	CHECK(o.valid == MH_UNKNOWN && o.by_election == MH_UNKNOWN && !o.has_winner);
	CHECK(!mh_rules_named("kz2023", &rules));
	CHECK(!mh_rules_named("", &rules));
	CHECK(!mh_rules_named("KZ1994", &rules));
	CHECK_STR(mh_rules_names(), "kz1994, none");

	/* threshold 0: ballots cast > 0 decides, registered known or not */
	rules = default_rules();
	rules.threshold.num = 0;
	rules.threshold.den = 1;
	outcome_of("cast=1 votes={\"a\":1}", &rules, &o);
	CHECK(o.valid == MH_TRUE && o.has_winner && !o.registered_known);
	outcome_of("cast=0", &rules, &o);
	CHECK(o.valid == MH_FALSE);
	outcome_of("cast=0 votes={\"a\":0}", &rules, &o);
	CHECK(o.valid == MH_FALSE && o.reason == MH_REASON_LOW_TURNOUT);
	outcome_of("registered=5 cast=1 votes={\"a\":1}", &rules, &o);
	CHECK(o.valid == MH_TRUE);
	rules.threshold_known = false;	/* an unknown threshold is not zero */
	outcome_of("cast=1 votes={\"a\":1}", &rules, &o);
	CHECK(o.valid == MH_UNKNOWN);
}

/*
 * The same random election counted with number keys and with text keys
 * (each number's decimal, zero-padded so that bytewise order is numeric
 * order) has the same outcome and ranking.
 */
static void
test_keys_equivalence(void)
{
	int			round;
	bool		ok = true;
	int			drawn = 0,
				winners = 0,
				ties = 0;

	BEGIN_TEST("text keys: the same election by numbers and by text");
	for (round = 0; round < 400; round++)
	{
		int64_t		cands[16],
					votes[16];
		char		names[16][8];
		mh_key_vote kv[16];
		size_t		n = (size_t) rng_below(round % 10 == 0 ? 2 : 16),
					i,
					j;
		int64_t		valid = 0,
					invalid = (int64_t) rng_below(20),
					cast,
					registered;
		bool		known = rng_below(4) != 0;
		mh_tally   *tn = NULL,
				   *tt = NULL;
		mh_error	err;
		mh_rules	rules;
		mh_outcome	on,
					ot;
		mh_rank    *rn = NULL,
				   *rt = NULL;
		uint64_t	how = rng();

		for (i = 0; i < n; i++)
		{
			bool		fresh;

			do
			{
				cands[i] = (int64_t) rng_below(10000);
				fresh = true;
				for (j = 0; j < i; j++)
					fresh &= cands[j] != cands[i];
			} while (!fresh);
			/* few distinct counts, so that ties are common */
			votes[i] = (int64_t) (how & 1 ? rng_below(4) : rng_below(1000));
			valid += votes[i];
			snprintf(names[i], sizeof(names[i]), "%04" PRId64, cands[i]);
			kv[i].key = names[i];
			kv[i].len = 4;
			kv[i].votes = votes[i];
		}
		cast = valid + invalid + (int64_t) rng_below(3);
		registered = cast * 2 - (int64_t) rng_below((uint64_t) cast + 1);
		ok &= mh_tally_build(known, registered, cast, invalid, cands, votes, n, &heap, &tn,
							 &err) == MH_OK;
		ok &= mh_tally_build_keys(known, registered, cast, invalid, kv, n, &heap, &tt,
								  &err) == MH_OK;
		if (tn == NULL || tt == NULL)
			break;
		for (i = 0; i < n; i++)
		{
			char		want[8];

			snprintf(want, sizeof(want), "%04" PRId64, tn->votes[i].candidate);
			ok &= key_is(tt, (uint32_t) i, want) && tt->votes[i].votes == tn->votes[i].votes;
		}

		memset(&rules, 0, sizeof(rules));
		switch ((how >> 1) % 4)
		{
			case 0:
				mh_rules_named("kz1994", &rules);
				break;
			case 1:
				mh_rules_named("none", &rules);
				break;
			default:
				rules.threshold_known = (how >> 3) % 5 != 0;
				rules.threshold.num = (how >> 6) % 5;
				rules.threshold.den = 4;
				break;
		}
		rules.draw_lots = (how >> 9) % 2 == 0;
		rules.lots_seed = (int64_t) rng();
		if ((how >> 10) % 3 == 0)
		{
			rules.registered_given = true;
			rules.registered_known = (how >> 12) % 2 == 0;
			rules.registered = rules.registered_known ? cast + (int64_t) rng_below(100) : 0;
		}
		mh_outcome_compute(tn, &rules, &on);
		mh_outcome_compute(tt, &rules, &ot);
		ok &= on.has_winner == ot.has_winner && on.has_leader == ot.has_leader &&
			on.leader_index == ot.leader_index && on.has_first == ot.has_first &&
			on.first_votes == ot.first_votes && on.has_second == ot.has_second &&
			on.second_votes == ot.second_votes && on.has_runner_up == ot.has_runner_up &&
			on.runner_up_index == ot.runner_up_index && on.tied == ot.tied &&
			on.valid_votes == ot.valid_votes && on.invalid == ot.invalid &&
			on.cast == ot.cast && on.registered_known == ot.registered_known &&
			on.registered == ot.registered && on.valid == ot.valid && on.tie == ot.tie &&
			on.drawn == ot.drawn && on.by_election == ot.by_election &&
			on.reason == ot.reason;
		if (on.has_leader)
			ok &= tn->votes[on.leader_index].candidate == on.leader;
		if (on.has_runner_up)
			ok &= tn->votes[on.runner_up_index].candidate == on.runner_up;
		if (on.has_winner)
		{
			winners++;
			ok &= tn->votes[on.winner_index].candidate == on.winner;
			/* lots draw by different numbers; both winners have the most votes */
			if (on.drawn)
			{
				drawn++;
				ok &= tt->votes[ot.winner_index].votes == ot.first_votes &&
					tn->votes[on.winner_index].votes == on.first_votes;
			}
			else
				ok &= on.winner_index == ot.winner_index;
		}
		ties += on.tie;

		ok &= mh_ranking(tn, &heap, &rn, &err) == MH_OK && mh_ranking(tt, &heap, &rt, &err) == MH_OK;
		for (i = 0; rn != NULL && rt != NULL && i < n; i++)
			ok &= rn[i].index == rt[i].index && rn[i].votes == rt[i].votes &&
				rn[i].rank == rt[i].rank && rn[i].candidate == tn->votes[rn[i].index].candidate;
		release(rn);
		release(rt);
		rn = rt = NULL;

		/* the same ballots through a counter of each kind (small elections) */
		if (valid + invalid <= 300)
		{
			mh_counter	cn,
						ct;
			mh_tally   *xn,
					   *xt;
			int64_t		k;

			mh_counter_init(&cn, &heap, &err);
			mh_counter_init(&ct, &heap, &err);
			mh_counter_seed(&ct, rng());
			for (i = 0; i < n; i++)
				for (k = 0; k < votes[i]; k++)
				{
					ok &= mh_counter_add_ballot(&cn, false, cands[i], &err) == MH_OK;
					ok &= mh_counter_add_key_ballot(&ct, false, names[i], 4, &err) == MH_OK;
				}
			xn = counter_tally(&cn);
			xt = counter_tally(&ct);
			ok &= xn->ncandidates == xt->ncandidates && xn->cast == xt->cast;
			for (i = 0; i < xn->ncandidates; i++)
			{
				char		want[8];

				snprintf(want, sizeof(want), "%04" PRId64, xn->votes[i].candidate);
				ok &= key_is(xt, (uint32_t) i, want) && xt->votes[i].votes == xn->votes[i].votes;
			}
			release(xn);
			release(xt);
			mh_counter_release(&cn);
			mh_counter_release(&ct);
		}
		release(tn);
		release(tt);
	}
	CHECK(ok);
	CHECK_I64(round, 400);
	/* the random elections reach the interesting cases */
	CHECK(drawn > 10 && winners > 100 && ties > 20);
}

/*
 * A moving window over many keys: a key taken back to zero leaves the
 * counter, and so must its bytes, or the arena grows with every key the
 * window ever saw.
 */
static void
test_keys_window(void)
{
	mh_counter	c;
	mh_error	err;
	char		key[32];
	int			i;
	bool		ok = true;
	size_t		most = 0;

	BEGIN_TEST("text keys: a moving window keeps its memory");
	CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
	mh_counter_seed(&c, 99);
	for (i = 0; i < 200000; i++)
	{
		int			n = snprintf(key, sizeof(key), "candidate-%d", i);

		ok &= mh_counter_add_key_ballot(&c, false, key, (uint32_t) n, &err) == MH_OK;
		if (i >= 3)
		{
			n = snprintf(key, sizeof(key), "candidate-%d", i - 3);
			ok &= mh_counter_remove_key_ballot(&c, false, key, (uint32_t) n, &err) == MH_OK;
		}
		if (mh_counter_memory(&c) > most)
			most = mh_counter_memory(&c);
	}
	CHECK(ok);
	CHECK_I64(c.ncandidates, 3);
	CHECK_I64(mh_counter_cast(&c), 3);
	/* three keys of 16 bytes: a few hundred bytes of keys, not megabytes */
	CHECK(most < 4096);
	{
		mh_tally   *t = counter_tally(&c);
		char	   *s = format(t);

		CHECK_STR(s, "cast=3 invalid=0 votes={\"candidate-199997\":1,\"candidate-199998\":1,"
				  "\"candidate-199999\":1}");
		CHECK_STATUS(mh_tally_check(t, mh_tally_total_size(t), &err), MH_OK);
		release(s);
		release(t);
	}
	/* the keys still in the window are found after the arena is rebuilt */
	CHECK_STATUS(mh_counter_add_key_ballot(&c, false, "candidate-199998", 16, &err), MH_OK);
	CHECK_I64(c.ncandidates, 3);
	{
		const char *k = NULL;
		uint32_t	len = 0;

		CHECK(mh_counter_leader_key(&c, &k, &len) && len == 16 &&
			  memcmp(k, "candidate-199998", 16) == 0);
	}
	mh_counter_release(&c);

	/* out of memory when the arena is rebuilt: refused, nothing lost or leaked */
	{
		test_alloc_state st = {0, 0, -1};
		mh_allocator counted = {test_alloc, test_free, &st, NULL};
		mh_status	status = MH_OK;
		size_t		capacity;

		CHECK_STATUS(mh_counter_init(&c, &counted, &err), MH_OK);
		for (i = 0; status == MH_OK && i < 1000; i++)
		{
			int			n = snprintf(key, sizeof(key), "k%d", i);

			capacity = c.arena_capacity;
			if (i > 0 && c.arena_used + 4 + (size_t) n > capacity)
				st.fail_after = st.total;	/* the next allocation fails */
			status = mh_counter_add_key_ballot(&c, false, key, (uint32_t) n, &err);
			if (status == MH_OK && i > 0)
			{
				n = snprintf(key, sizeof(key), "k%d", i - 1);
				status = mh_counter_remove_key_ballot(&c, false, key, (uint32_t) n, &err);
			}
		}
		CHECK_STATUS(status, MH_ENOMEM);
		CHECK(i > 10);
		CHECK_I64(c.arena_capacity, capacity);
		mh_counter_release(&c);
		CHECK_I64(st.live, 0);
	}

	/* a wide window of mixed keys against a fresh count, all the way */
	setup_oracle_keys();
	{
		int64_t		naive[NKEYS];
		int			window[64];
		int			head = 0;

		memset(naive, 0, sizeof(naive));
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		ok = true;
		most = 0;
		for (i = 0; i < 20000; i++)
		{
			int			k = (int) rng_below(NKEYS);

			if (i >= 64)
			{
				int			old = window[head];

				ok &= mh_counter_remove_key_ballot(&c, false, oracle_keys[old], oracle_lens[old],
												   &err) == MH_OK;
				naive[old]--;
			}
			window[head] = k;
			head = (head + 1) % 64;
			ok &= mh_counter_add_key_ballot(&c, false, oracle_keys[k], oracle_lens[k], &err) == MH_OK;
			naive[k]++;
			if (i % 500 == 0)
				ok &= counter_matches(&c, naive, 0);
			if (c.arena_capacity > most)
				most = c.arena_capacity;
		}
		CHECK(ok);
		CHECK(counter_matches(&c, naive, 0));
		CHECK(most <= 4096);
		mh_counter_release(&c);
	}
}

static long interrupt_checks;

static void
count_interrupt_check(void *ctx)
{
	(void) ctx;
	interrupt_checks++;
}

static void
test_interrupt_checks(void)
{
	const size_t n = 300000;
	mh_allocator hooked = {test_alloc, test_free, &heap_state, count_interrupt_check};
	int64_t    *candidates = malloc(n * sizeof(int64_t));
	int64_t    *votes = malloc(n * sizeof(int64_t));
	mh_tally   *t = NULL;
	mh_tally   *sum = NULL;
	mh_counter	c;
	mh_error	err;
	size_t		i;
	bool		sorted = true;
	uint64_t	x = 88172645463325252ULL;

	BEGIN_TEST("interrupt checks in long loops");
	for (i = 0; i < n; i++)
	{
		/* xorshift: distinct pseudo-random candidate numbers */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		candidates[i] = (int64_t) (x >> 1) - (int64_t) (i & 1) * INT64_MAX;
		votes[i] = (int64_t) (i % 5);
	}
	interrupt_checks = 0;
	CHECK_STATUS(mh_tally_build(false, 0, INT64_MAX, 0, candidates, votes, n,
								&hooked, &t, &err), MH_OK);
	CHECK(interrupt_checks > 0);
	for (i = 1; t != NULL && i < t->ncandidates; i++)
		if (t->votes[i - 1].candidate >= t->votes[i].candidate)
			sorted = false;
	CHECK(sorted);
	CHECK(t != NULL && mh_tally_check(t, mh_tally_size(t->ncandidates), &err) == MH_OK);

	/* a large ranking is merge-sorted, interruptibly, into the same order */
	{
		mh_rank    *rows = NULL;
		bool		ordered = true;

		interrupt_checks = 0;
		CHECK_STATUS(mh_ranking(t, &hooked, &rows, &err), MH_OK);
		CHECK(interrupt_checks > 0);
		for (i = 1; rows != NULL && i < t->ncandidates; i++)
			if (rows[i - 1].votes < rows[i].votes ||
				(rows[i - 1].votes == rows[i].votes &&
				 rows[i - 1].candidate >= rows[i].candidate) ||
				rows[i].rank != (rows[i].votes == rows[i - 1].votes ? rows[i - 1].rank : i + 1))
				ordered = false;
		CHECK(ordered);
		CHECK(rows != NULL && rows[0].rank == 1 && rows[0].votes == 4);
		test_free(&heap_state, rows);
	}

	/* a duplicate found by the merge sort, far from the start */
	candidates[n - 1] = candidates[7];
	CHECK_STATUS(mh_tally_build(false, 0, INT64_MAX, 0, candidates, votes, n,
								&hooked, &sum, &err), MH_EDUPLICATE);

	/* the counter: rehashes, merges and its sorted copy check too */
	interrupt_checks = 0;
	CHECK_STATUS(mh_counter_init(&c, &hooked, &err), MH_OK);
	mh_counter_seed(&c, 42);
	CHECK_STATUS(mh_counter_add_tally(&c, t, &err), MH_OK);
	CHECK(interrupt_checks > 0);
	sum = malloc(mh_counter_tally_size(&c));
	mh_counter_to_tally(&c, sum);
	CHECK(mh_tally_equal(sum, t));
	mh_counter_release(&c);
	free(sum);
	test_free(&heap_state, t);
	free(candidates);
	free(votes);
}

/* ---------------------------------------------------------------- trailer */

/* The trailer of a parsed tally. */
static mh_tally_extra
extra_of_text(const char *text)
{
	mh_tally   *t = parse_ok(text);
	mh_tally_extra x = MH_TALLY_EXTRA_NONE;

	if (t != NULL)
	{
		mh_tally_get_extra(t, &x);
		release(t);
	}
	return x;
}

/* a + b as text, or "" on failure (status to *status). */
static void
add_texts_at(const char *a, const char *b, const char *want, mh_status want_status,
			 const char *file, int line)
{
	mh_tally   *ta = parse_ok_at(a, file, line);
	mh_tally   *tb = parse_ok_at(b, file, line);
	mh_tally   *sum = NULL;
	mh_tally   *via = NULL;
	mh_counter	c;
	mh_error	err;
	mh_status	status;

	if (ta == NULL || tb == NULL)
		return;
	status = mh_tally_add(ta, tb, &heap, &sum, &err);
	check_impl(status == want_status, "add: the expected status", file, line);
	/* the counter adds the same way */
	check_impl(mh_counter_init(&c, &heap, &err) == MH_OK, "counter init", file, line);
	if (mh_counter_add_tally(&c, ta, &err) == MH_OK &&
		mh_counter_add_tally(&c, tb, &err) == MH_OK)
	{
		via = heap.alloc(heap.ctx, mh_counter_tally_size(&c));
		mh_counter_to_tally(&c, via);
	}
	check_impl((via != NULL) == (status == MH_OK), "the counter fails when add does", file, line);
	if (status == MH_OK)
	{
		char	   *out = format(sum);

		if (!check_impl(strcmp(out, want) == 0, "the sum's text", file, line))
			fprintf(stderr, "     got \"%s\", expected \"%s\"\n", out, want);
		check_impl(mh_tally_check(sum, mh_tally_total_size(sum), NULL) == MH_OK,
				   "the sum passes mh_tally_check", file, line);
		check_impl(via != NULL && mh_tally_equal(sum, via), "the counter's sum is equal", file, line);
		release(out);
		release(sum);
	}
	if (via != NULL)
		release(via);
	mh_counter_release(&c);
	release(ta);
	release(tb);
}

#define add_texts(a, b, want) add_texts_at((a), (b), (want), MH_OK, __FILE__, __LINE__)

static void
test_trailer(void)
{
	mh_tally_extra x;
	mh_tally   *t,
			   *u;
	mh_error	err;
	uint8_t		buf[512];
	uint8_t		bad[512];
	size_t		len;

	BEGIN_TEST("trailer: text");
	round_trip("registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=2 provisional=1",
			   "registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=2 provisional=1");
	round_trip("provisional=0 parts=1 blank=2 invalid=2 issued=5 votes={1:3}",
			   "issued=5 cast=5 invalid=2 blank=2 votes={1:3} parts=1 provisional=0");
	round_trip("invalid=0 blank=0 votes={1:3}", "cast=3 invalid=0 votes={1:3}");
	round_trip("votes={1:3} parts=0 provisional=0", "cast=3 invalid=0 votes={1:3}");
	round_trip("votes={\"b\":1,\"a\":2} invalid=4 blank=3 issued=0 parts=9223372036854775807 provisional=9223372036854775807",
			   "issued=0 cast=7 invalid=4 blank=3 votes={\"a\":2,\"b\":1} parts=9223372036854775807 provisional=9223372036854775807");
	round_trip("issued=9223372036854775807 cast=0", "issued=9223372036854775807 cast=0 invalid=0 votes={}");
	/* 0.1.0 text is unchanged, and has no trailer */
	t = parse_ok("registered=1000 cast=620 invalid=3 votes={17:300,42:317}");
	CHECK(t != NULL && (t->flags & MH_TALLY_TRAILER_FLAGS) == 0);
	CHECK(t != NULL && mh_tally_total_size(t) == mh_tally_size(2));
	release(t);
	x = extra_of_text("cast=10 invalid=3 votes={1:7}");
	CHECK(!x.blank_known && !x.issued_known && x.parts == 0 && x.provisional == 0);
	x = extra_of_text("cast=10 invalid=0 votes={1:10}");
	CHECK(x.blank_known && x.blank == 0);
	x = extra_of_text("issued=12 cast=10 invalid=3 blank=3 votes={1:7} parts=3 provisional=1");
	CHECK(x.blank_known && x.blank == 3 && x.issued_known && x.issued == 12 &&
		  x.parts == 3 && x.provisional == 1);

	BEGIN_TEST("trailer: text errors");
	parse_fails("invalid=3 blank=4 votes={1:1}", MH_EWITHIN);
	parse_fails("blank=1 votes={1:1}", MH_EWITHIN);
	parse_fails("registered=10 issued=11 cast=10 votes={1:10}", MH_EWITHIN);
	parse_fails("parts=1 provisional=2", MH_EWITHIN);
	parse_fails("provisional=1", MH_EWITHIN);
	parse_fails("blank=-1 invalid=1", MH_ENEGATIVE);
	parse_fails("issued=-1", MH_ENEGATIVE);
	parse_fails("parts=-1", MH_ENEGATIVE);
	parse_fails("parts=1 parts=1", MH_ESYNTAX);
	parse_fails("blank=", MH_ESYNTAX);
	parse_fails("part=1", MH_ESYNTAX);
	parse_fails("parts=99999999999999999999", MH_EOVERFLOW);
	parse_fails("invalid=1 blank=1 votes={1:1} cast=1", MH_EINCONSISTENT);	/* base first */
	/* registered is checked against issued however the text orders them */
	parse_fails("issued=11 cast=10 registered=10", MH_EWITHIN);

	BEGIN_TEST("trailer: binary");
	binary_round_trip("registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={17:300,42:317} parts=2 provisional=1");
	binary_round_trip("votes={\"b\":1,\"a\":2} invalid=4 blank=3 parts=1");
	binary_round_trip("issued=4 votes={}");
	binary_round_trip("invalid=2 blank=0 votes={-5:1}");
	len = encode_text("cast=10 invalid=3 blank=2 votes={1:7} parts=1", buf);
	CHECK_I64(len, MH_BINARY_HEADER_SIZE + 16 + 24);
	CHECK(buf[1] == (MH_TALLY_BLANK_KNOWN | MH_TALLY_PARTS));
	decode_fails(buf, len - 1, MH_ETRUNCATED);
	decode_fails(buf, len - 24, MH_ETRUNCATED);
	memcpy(bad, buf, len);
	bad[len] = 0;
	decode_fails(bad, len + 1, MH_ETRAILING);
	memcpy(bad, buf, len);
	put_be64(bad + len - 24, 4);	/* blank 4 of 3 invalid */
	decode_fails(bad, len, MH_EWITHIN);
	memcpy(bad, buf, len);
	put_be64(bad + len - 8, 2);		/* 2 provisional of 1 part */
	decode_fails(bad, len, MH_EWITHIN);
	memcpy(bad, buf, len);
	put_be64(bad + len - 16, 0);	/* a parts mark with 0 parts */
	put_be64(bad + len - 8, 0);
	decode_fails(bad, len, MH_EVERSION);
	memcpy(bad, buf, len);
	put_be64(bad + len - 24, (uint64_t) -1);	/* blank -1 */
	decode_fails(bad, len, MH_ENEGATIVE);
	memcpy(bad, buf, len);
	bad[1] = MH_TALLY_PARTS;		/* the flags announce less than is there */
	decode_fails(bad, len, MH_ETRAILING);
	bad[1] = MH_TALLY_PARTS | MH_TALLY_BLANK_KNOWN | MH_TALLY_ISSUED_KNOWN;	/* or more */
	decode_fails(bad, len, MH_ETRUNCATED);
	/* blank stored with no blank or invalid ballot: not canonical */
	len = encode_text("cast=7 invalid=0 votes={1:7}", buf);
	memcpy(bad, buf, len);
	bad[1] = MH_TALLY_BLANK_KNOWN;
	put_be64(bad + len, 0);
	decode_fails(bad, len + 8, MH_EVERSION);
	/* text keys: the trailer follows the keys, and keys cannot eat into it */
	len = encode_text("votes={\"ab\":1} invalid=1 blank=1", buf);
	CHECK_I64(len, MH_BINARY_HEADER_SIZE + 4 + 2 + 8 + 8);
	memcpy(bad, buf, len);
	bad[MH_BINARY_HEADER_SIZE + 3] = 10;	/* a key length reaching into the trailer */
	decode_fails(bad, len, MH_ETRUNCATED);

	BEGIN_TEST("trailer: mh_tally_check on hand-made blocks");
	t = parse_ok("cast=10 invalid=3 blank=2 votes={1:7} parts=1");
	if (t != NULL)
	{
		size_t		size = mh_tally_total_size(t);

		CHECK_I64(size, mh_tally_size(1) + 24);
		CHECK_STATUS(mh_tally_check(t, size, &err), MH_OK);
		CHECK_STATUS(mh_tally_check(t, size - 1, &err), MH_ETRUNCATED);
		CHECK_STATUS(mh_tally_check(t, size + 8, &err), MH_ETRAILING);
		t->flags &= (uint8_t) ~MH_TALLY_PARTS;
		CHECK_STATUS(mh_tally_check(t, size, &err), MH_ETRAILING);
		release(t);
	}

	BEGIN_TEST("trailer: adding");
	add_texts("issued=10 cast=10 invalid=2 blank=1 votes={1:8} parts=1 provisional=1",
			  "issued=7 cast=7 invalid=1 blank=0 votes={2:6} parts=1",
			  "issued=17 cast=17 invalid=3 blank=1 votes={1:8,2:6} parts=2 provisional=1");
	add_texts("issued=10 cast=10 invalid=2 blank=1 votes={1:8} parts=1",
			  "cast=7 invalid=1 votes={2:6} parts=1",
			  "cast=17 invalid=3 votes={1:8,2:6} parts=2 provisional=0");
	add_texts("cast=10 invalid=2 blank=2 votes={1:8}", "cast=7 votes={2:7}",
			  "cast=17 invalid=2 blank=2 votes={1:8,2:7}");
	add_texts("cast=10 votes={1:10} parts=3", "cast=7 votes={2:7}",
			  "cast=17 invalid=0 votes={1:10,2:7} parts=3 provisional=0");
	add_texts("cast=0", "cast=0", "cast=0 invalid=0 votes={}");
	add_texts("registered=20 issued=11 cast=10 votes={1:10}", "registered=5 issued=5 cast=5 votes={1:5}",
			  "registered=25 issued=16 cast=15 invalid=0 votes={1:15}");
	add_texts("votes={\"a\":1} parts=1 provisional=1", "votes={\"b\":1} parts=2 provisional=1",
			  "cast=2 invalid=0 votes={\"a\":1,\"b\":1} parts=3 provisional=2");
	add_texts_at("issued=9223372036854775807", "issued=1", "", MH_EOVERFLOW, __FILE__, __LINE__);
	add_texts_at("parts=9223372036854775807", "parts=1", "", MH_EOVERFLOW, __FILE__, __LINE__);
	add_texts("issued=9223372036854775807", "cast=0",
			  "cast=0 invalid=0 votes={}");	/* unknown in one: nothing to overflow */

	BEGIN_TEST("trailer: the counter");
	{
		mh_counter	c;
		mh_tally   *p = parse_ok("issued=10 cast=10 invalid=2 blank=1 votes={1:8} parts=1");
		char	   *out;

		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		if (p != NULL)
			CHECK_STATUS(mh_counter_add_tally(&c, p, &err), MH_OK);
		/* a valid ballot keeps blank known but makes issued unknown */
		CHECK_STATUS(mh_counter_add_ballot(&c, false, 1, &err), MH_OK);
		t = heap.alloc(heap.ctx, mh_counter_tally_size(&c));
		mh_counter_to_tally(&c, t);
		out = format(t);
		CHECK_STR(out, "cast=11 invalid=2 blank=1 votes={1:9} parts=1 provisional=0");
		release(out);
		release(t);
		/* an invalid ballot makes blank unknown */
		CHECK_STATUS(mh_counter_add_ballot(&c, true, 0, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_ballot(&c, true, 0, &err), MH_OK);	/* the inline path */
		t = heap.alloc(heap.ctx, mh_counter_tally_size(&c));
		mh_counter_to_tally(&c, t);
		out = format(t);
		CHECK_STR(out, "cast=13 invalid=4 votes={1:9} parts=1 provisional=0");
		CHECK_STATUS(mh_tally_check(t, mh_tally_total_size(t), &err), MH_OK);
		release(out);
		release(t);
		mh_counter_release(&c);
		release(p);

		/* ballots only: no blank known while invalid ones remain, none once they are gone */
		CHECK_STATUS(mh_counter_init(&c, &heap, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_ballot(&c, true, 0, &err), MH_OK);
		CHECK_STATUS(mh_counter_add_ballot(&c, false, 4, &err), MH_OK);
		CHECK_STATUS(mh_counter_remove_ballot(&c, true, 0, &err), MH_OK);
		t = heap.alloc(heap.ctx, mh_counter_tally_size(&c));
		mh_counter_to_tally(&c, t);
		mh_tally_get_extra(t, &x);
		CHECK(x.blank_known && x.blank == 0 && (t->flags & MH_TALLY_TRAILER_FLAGS) == 0);
		release(t);
		p = parse_ok("cast=3 invalid=3 blank=3 parts=1");
		if (p != NULL)
			CHECK_STATUS(mh_counter_add_tally(&c, p, &err), MH_OK);
		t = heap.alloc(heap.ctx, mh_counter_tally_size(&c));
		mh_counter_to_tally(&c, t);
		out = format(t);
		CHECK_STR(out, "cast=4 invalid=3 blank=3 votes={4:1} parts=1 provisional=0");
		release(out);
		release(t);
		release(p);
		mh_counter_release(&c);
	}

	BEGIN_TEST("trailer: with_registered, with_extra");
	t = parse_ok("issued=11 cast=10 invalid=1 blank=1 votes={1:9} parts=2 provisional=1");
	if (t != NULL)
	{
		char	   *out;

		CHECK_STATUS(mh_tally_with_registered(t, true, 30, &heap, &u, &err), MH_OK);
		out = format(u);
		CHECK_STR(out, "registered=30 issued=11 cast=10 invalid=1 blank=1 votes={1:9} parts=2 provisional=1");
		release(out);
		release(u);
		CHECK_STATUS(mh_tally_with_registered(t, true, 10, &heap, &u, &err), MH_EWITHIN);
		mh_tally_get_extra(t, &x);
		x.blank_known = false;
		x.parts = 0;
		x.provisional = 0;
		CHECK_STATUS(mh_tally_with_extra(t, &x, &heap, &u, &err), MH_OK);
		out = format(u);
		CHECK_STR(out, "issued=11 cast=10 invalid=1 votes={1:9}");
		release(out);
		release(u);
		x.blank_known = true;
		x.blank = 2;
		CHECK_STATUS(mh_tally_with_extra(t, &x, &heap, &u, &err), MH_EWITHIN);
		x.blank = 1;
		x.provisional = 1;
		CHECK_STATUS(mh_tally_with_extra(t, &x, &heap, &u, &err), MH_EWITHIN);
		release(t);
	}
	/* equal contents, equal bytes */
	t = parse_ok("issued=3 cast=3 votes={1:3} parts=1 provisional=1");
	u = parse_ok("votes={1:3} provisional=1 parts=1 issued=3 blank=0");
	CHECK(t != NULL && u != NULL && mh_tally_equal(t, u) &&
		  memcmp(t, u, mh_tally_total_size(t)) == 0);
	release(t);
	release(u);
}

/*
 * The counter's key hash and compare read words, with an overlapping
 * last word: at every length up to 72, and at every byte position, equal
 * keys hash equal (any seed, any address) and a key differing in one
 * byte compares unequal, as memcmp says.
 */
static void
test_keys_words(void)
{
	unsigned char a[80],
				b[88];

	BEGIN_TEST("text keys: word-wise hash and compare");
	for (uint32_t len = 0; len <= 72; len++)
	{
		for (uint32_t i = 0; i < len; i++)
			a[i] = (unsigned char) rng();
		for (uint32_t shift = 0; shift < 8; shift++)
		{
			uint64_t	seed = rng();

			memcpy(b + shift, a, len);
			CHECK(mh_key_bytes_equal((char *) a, (char *) b + shift, len));
			CHECK(mh_key_hash((char *) a, len, seed) == mh_key_hash((char *) b + shift, len, seed));
		}
		for (uint32_t i = 0; i < len; i++)
		{
			memcpy(b, a, len);
			b[i] ^= (unsigned char) (1 + rng_below(255));
			CHECK(!mh_key_bytes_equal((char *) a, (char *) b, len));
			CHECK(memcmp(a, b, len) != 0);
		}
	}
	/* the length is hashed: a key and its zero-padded longer self differ */
	memset(a, 0, sizeof(a));
	CHECK(mh_key_hash((char *) a, 3, 7) != mh_key_hash((char *) a, 4, 7));
	CHECK(mh_key_hash((char *) a, 8, 7) != mh_key_hash((char *) a, 9, 7));
}

int
main(void)
{
	test_text_round_trips();
	test_text_errors();
	test_binary();
	test_tally_add();
	test_tally_build_and_more();
	test_counter_basics();
	test_counter_small_table();
	test_counter_many();
	test_counter_add_remove();
	test_outcome_validity();
	test_outcome_rules();
	test_outcome_lots();
	test_fractions();
	test_ballots_needed();
	test_ranking();
	test_interrupt_checks();
	test_keys_build();
	test_keys_text();
	test_keys_text_errors();
	test_keys_binary();
	test_keys_check();
	test_keys_add();
	test_keys_counter();
	test_keys_words();
	test_keys_outcome();
	test_keys_equivalence();
	test_keys_window();
	test_trailer();

	BEGIN_TEST("no leaks");
	CHECK_I64(heap_state.live, 0);

	printf("%d passed, %d failed\n", n_passed, n_failed);
	return n_failed == 0 ? 0 : 1;
}
