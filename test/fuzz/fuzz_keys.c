/*-------------------------------------------------------------------------
 *
 * fuzz_keys.c
 *	  libFuzzer harness for text candidate keys: adding text-keyed
 *	  tallies, the counter's text keys, and the rules applied to them.
 *
 * Candidates are drawn from a fixed alphabet of awkward keys (empty,
 * prefixes of each other, quotes and backslashes, Cyrillic and Kazakh
 * letters, 4-byte UTF-8, keys longer than the hash's 8-byte step), sorted
 * bytewise, so that a key's place in the alphabet is a number with the
 * same order.  Every text-keyed tally has a twin keyed by those numbers,
 * and the harness checks that the two agree everywhere:
 *
 *	 - mh_tally_add is commutative and associative, agrees with the
 *	   counter (mh_counter_add_tally, mh_counter_merge), and with the sum
 *	   of the number twins, in results and in failures (64-bit overflow);
 *	 - every result passes mh_tally_check and survives the text and binary
 *	   forms unchanged;
 *	 - the outcome (validity, leader, tie, runner-up, by-election and its
 *	   reason, the winner's index unless drawn by lots) and the ranking of
 *	   a text-keyed tally equal its twin's;
 *	 - a sequence of text-key ballots added and taken back (a seeded or
 *	   unseeded counter) equals, after every step, plain counts: its
 *	   tally is mh_tally_build_keys of those counts, its size exact, its
 *	   leader right; and a number counter fed the twin ballots agrees;
 *	 - keys that are not valid UTF-8 (raw bytes from the input) are
 *	   refused with MH_EKEY by mh_tally_build_keys and the counter, and
 *	   numbers and text never mix (MH_EKIND).
 *
 * Any broken invariant aborts.
 *
 * test/fuzz/fuzz_keys.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counter.h"
#include "outcome.h"
#include "ranking.h"
#include "tally.h"
#include "tally_binary.h"
#include "tally_text.h"
#include "fuzz_common.h"

static void
require_ok(mh_status status, const mh_error *err, const char *what)
{
	if (status != MH_OK)
	{
		fprintf(stderr, "%s: %s: %s\n", what, mh_status_name(status), err->detail);
		abort();
	}
}

/* ---------------------------------------------------------------- input */

typedef struct reader
{
	const uint8_t *p;
	size_t		n;
} reader;

static uint8_t
next_byte(reader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static uint64_t
next_u64(reader *r)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | next_byte(r);
	return v;
}

/* A count: mostly small, sometimes at the edge of the 64-bit range. */
static int64_t
next_count(reader *r)
{
	uint8_t		mode = next_byte(r);

	switch (mode % 8)
	{
		case 6:
			return INT64_MAX - next_byte(r);
		case 7:
			return (int64_t) (next_u64(r) >> 1);
		case 5:
			return (int64_t) next_byte(r) << 8 | next_byte(r);
		default:
			return next_byte(r);
	}
}

static int64_t
sat_add(int64_t a, int64_t b)
{
	int64_t		s;

	return mh_add_overflow(a, b, &s) ? INT64_MAX : s;
}

/* ---------------------------------------------------------------- keys */

static const char *const key_source[] = {
	"", "a", "aa", "ab", "abc", "abcdefgh", "abcdefghi", "abcdefghijklmnopq",
	"b", "ba", "Z", "10", "9", "a b", "q\"uote", "back\\slash", "{}", ",:",
	"\xc3\xa9",					/* é */
	"e\xcc\x81",				/* e and a combining acute */
	"\xd2\x9a\xd0\xb0\xd0\xb7\xd0\xb0\xd2\x9b",	/* Қазақ */
	"\xd3\xa8\xd1\x81\xd0\xba\xd0\xb5\xd0\xbc\xd0\xb5\xd0\xbd",	/* Өскемен */
	"\xf0\x9f\x98\x80",			/* an emoji */
	"\xf4\x8f\xbf\xbf",			/* U+10FFFF */
};

#define NKEYS ((int) (sizeof(key_source) / sizeof(key_source[0])))

typedef struct key
{
	const char *bytes;
	uint32_t	len;
} key;

static key	keys[NKEYS];		/* sorted bytewise: index order is key order */

static int
compare_key(const void *a, const void *b)
{
	const key  *x = a;
	const key  *y = b;

	return mh_key_compare(x->bytes, x->len, y->bytes, y->len);
}

static void
setup_keys(void)
{
	static int	done = 0;
	int			i;

	if (done)
		return;
	for (i = 0; i < NKEYS; i++)
	{
		keys[i].bytes = key_source[i];
		keys[i].len = (uint32_t) strlen(key_source[i]);
	}
	qsort(keys, NKEYS, sizeof(key), compare_key);
	for (i = 1; i < NKEYS; i++)
		require(compare_key(&keys[i - 1], &keys[i]) < 0, "the alphabet is strictly ascending");
	done = 1;
}

/* The alphabet index of text key i of t. */
static int
key_index(const mh_tally *t, uint32_t i)
{
	key			k;
	const key  *found;

	mh_tally_key(t, i, &k.bytes, &k.len);
	found = bsearch(&k, keys, NKEYS, sizeof(key), compare_key);
	require(found != NULL, "every key is from the alphabet");
	return (int) (found - keys);
}

/*
 * A text-keyed tally's twin keyed by alphabet indices (NULL stays NULL).
 * An empty tally is its own twin.
 */
static mh_tally *
number_twin(const mh_tally *t)
{
	int64_t		cands[NKEYS * 3];
	int64_t		votes[NKEYS * 3];
	uint32_t	i;
	mh_tally   *twin = NULL;
	mh_error	err;

	if (t == NULL)
		return NULL;
	require(mh_tally_key_kind(t) != MH_KEYS_INT, "a text count stays text");
	require(t->ncandidates <= NKEYS, "at most the alphabet");
	for (i = 0; i < t->ncandidates; i++)
	{
		cands[i] = key_index(t, i);
		votes[i] = t->votes[i].votes;
		if (i > 0)
			require(cands[i] > cands[i - 1], "key order is alphabet order");
	}
	require_ok(mh_tally_build(mh_tally_registered_known(t), t->registered, t->cast,
							  t->invalid, cands, votes, t->ncandidates, &heap, &twin, &err),
			   &err, "the twin of a checked tally");
	return twin;
}

/* A checked tally's text and binary forms give it back unchanged. */
static void
check_forms(const mh_tally *t)
{
	size_t		cap = mh_tally_format_size(t);
	char	   *text = malloc(cap);
	size_t		size = mh_tally_binary_size(t);
	uint8_t    *bin = malloc(size);
	mh_tally   *back = NULL;
	mh_error	err;

	require(text != NULL && bin != NULL, "malloc");
	require(mh_tally_format(t, text, NULL) + 1 == cap, "format_size is exact");
	require_ok(mh_tally_parse(text, &heap, &back, &err), &err, "canonical text parses");
	require(mh_tally_equal(t, back), "text round trip is equal");
	free(back);
	back = NULL;
	mh_tally_encode(t, bin);
	require_ok(mh_tally_decode(bin, size, &heap, &back, &err), &err, "binary form decodes");
	require(mh_tally_equal(t, back), "binary round trip is equal");
	free(back);
	free(bin);
	free(text);
}

static void
check_tally(const mh_tally *t, const char *what)
{
	mh_error	err;

	if (mh_tally_check(t, mh_tally_total_size(t), &err) != MH_OK)
	{
		fprintf(stderr, "%s: %s\n", what, err.detail);
		abort();
	}
}

/*
 * A raw key from the input: up to 7 bytes, anything at all.  Valid or
 * not, mh_tally_build_keys and the counter must say the same as
 * mh_key_check.
 */
static void
check_raw_key(reader *r)
{
	uint8_t		raw[8];
	uint32_t	len = next_byte(r) % 8;
	uint32_t	i;
	mh_key_vote kv;
	mh_tally   *t = NULL;
	mh_counter	c;
	mh_error	err;
	mh_status	expect,
				got;

	for (i = 0; i < len; i++)
		raw[i] = next_byte(r);
	expect = mh_key_check((const char *) raw, len, &err);
	require(expect == MH_OK || expect == MH_EKEY, "a short key is valid or not UTF-8");
	kv.key = (const char *) raw;
	kv.len = len;
	kv.votes = 1;
	got = mh_tally_build_keys(false, 0, 1, 0, &kv, 1, &heap, &t, &err);
	require(got == expect, "build_keys checks a key like mh_key_check");
	if (got == MH_OK)
	{
		check_tally(t, "a tally of one raw key");
		check_forms(t);
		free(t);
	}
	else
		require(err.status == MH_EKEY, "the error records its status");

	require_ok(mh_counter_init(&c, &heap, &err), &err, "counter init");
	got = mh_counter_add_key_ballot(&c, false, (const char *) raw, len, &err);
	require(got == expect, "the counter checks a new key like mh_key_check");
	if (got == MH_OK)
	{
		/* a text counter refuses numbers, and the other way round */
		require(mh_counter_add_ballot(&c, false, 7, &err) == MH_EKIND,
				"a text counter refuses a number");
	}
	mh_counter_release(&c);
	require_ok(mh_counter_init(&c, &heap, &err), &err, "counter init");
	require_ok(mh_counter_add_ballot(&c, false, 7, &err), &err, "a number ballot");
	require(mh_counter_add_key_ballot(&c, false, (const char *) raw, len, &err) == MH_EKIND,
			"a number counter refuses a text key");
	mh_counter_release(&c);
}

/*
 * A text-keyed tally from the input.  It is usually valid; when the
 * numbers do not make one (duplicates, overflow, counts that do not fit),
 * mh_tally_build_keys must say so and an empty tally stands in.
 */
static mh_tally *
next_tally(reader *r)
{
	uint8_t		flags = next_byte(r);
	size_t		n = (size_t) (flags >> 2) % 9;
	mh_key_vote kv[8];
	int64_t		valid = 0;
	int64_t		invalid,
				cast,
				registered;
	size_t		i;
	mh_tally   *t = NULL;
	mh_error	err;
	mh_status	status;

	for (i = 0; i < n; i++)
	{
		int			k = next_byte(r) % NKEYS;

		kv[i].key = keys[k].bytes;
		kv[i].len = keys[k].len;
		kv[i].votes = next_count(r);
		valid = sat_add(valid, kv[i].votes);
	}
	invalid = next_count(r);
	cast = sat_add(valid, invalid);
	if (flags & 0x40)
		cast = sat_add(cast, next_count(r));	/* ballots not accounted for */
	if (flags & 0x80)
		cast = next_count(r);	/* anything at all */
	registered = sat_add(cast, flags & 0x02 ? next_count(r) : 0);

	status = mh_tally_build_keys((flags & 0x01) != 0, registered, cast, invalid,
								 kv, n, &heap, &t, &err);
	if (status == MH_OK)
	{
		check_tally(t, "a built tally");
		for (i = 1; i < n; i++)
			require(mh_key_compare(kv[i - 1].key, kv[i - 1].len, kv[i].key, kv[i].len) < 0,
					"build_keys sorts its input in place");
		return t;
	}
	require(status == MH_EDUPLICATE || status == MH_EOVERFLOW ||
			status == MH_EINCONSISTENT, "build fails for a reason");
	require(err.status == status, "the error records its status");
	require_ok(mh_tally_build_keys((flags & 0x01) != 0, 0, 0, 0, NULL, 0, &heap, &t, &err),
			   &err, "an empty tally");
	return t;
}

/* ---------------------------------------------------------------- sums */

static mh_tally *
counter_tally(const mh_counter *c)
{
	mh_tally   *t = malloc(mh_counter_tally_size(c));

	require(t != NULL, "malloc");
	mh_counter_to_tally(c, t);
	require(mh_counter_tally_size(c) == mh_tally_total_size(t),
			"mh_counter_tally_size is the tally's size");
	check_tally(t, "a counter's tally");
	return t;
}

static mh_status
counter_sum(mh_tally *const *parts, int nparts, uint64_t seed, mh_tally **result)
{
	mh_counter	c;
	mh_error	err;
	mh_status	status = MH_OK;
	int			i;

	require_ok(mh_counter_init(&c, &heap, &err), &err, "counter init");
	if (seed != 0)
		mh_counter_seed(&c, seed);
	for (i = 0; status == MH_OK && i < nparts; i++)
		status = mh_counter_add_tally(&c, parts[i], &err);
	if (status == MH_OK)
		*result = counter_tally(&c);
	else
		require(err.status == status, "the error records its status");
	mh_counter_release(&c);
	return status;
}

static mh_status
counter_merge_sum(const mh_tally *a, const mh_tally *b, uint64_t seed, mh_tally **result)
{
	mh_counter	ca,
				cb;
	mh_error	err;
	mh_status	status;

	require_ok(mh_counter_init(&ca, &heap, &err), &err, "counter init");
	require_ok(mh_counter_init(&cb, &heap, &err), &err, "counter init");
	mh_counter_seed(&cb, seed);
	require_ok(mh_counter_add_tally(&ca, a, &err), &err, "one checked tally always fits");
	require_ok(mh_counter_add_tally(&cb, b, &err), &err, "one checked tally always fits");
	status = mh_counter_merge(&ca, &cb, &err);
	if (status == MH_OK)
	{
		mh_tally   *tb = counter_tally(&cb);

		require(mh_tally_equal(tb, b), "merge leaves the other counter alone");
		free(tb);
		*result = counter_tally(&ca);
	}
	mh_counter_release(&ca);
	mh_counter_release(&cb);
	return status;
}

static void
check_sums(const mh_tally *a, const mh_tally *b, uint64_t seed, mh_tally **sum_out)
{
	mh_tally   *ab = NULL,
			   *ba = NULL,
			   *viac = NULL,
			   *viam = NULL,
			   *twin_sum = NULL;
	mh_tally   *ta = number_twin(a),
			   *tb = number_twin(b),
			   *twin;
	mh_tally   *parts[2];
	mh_error	err;
	mh_status	s_ab,
				s_ba,
				s_c,
				s_m,
				s_n;

	s_ab = mh_tally_add(a, b, &heap, &ab, &err);
	s_ba = mh_tally_add(b, a, &heap, &ba, &err);
	require(s_ab == MH_OK || s_ab == MH_EOVERFLOW, "adding checked tallies only overflows");
	require(s_ab == s_ba, "adding is commutative in its failures");
	parts[0] = (mh_tally *) a;
	parts[1] = (mh_tally *) b;
	s_c = counter_sum(parts, 2, seed, &viac);
	s_m = counter_merge_sum(a, b, seed, &viam);
	s_n = mh_tally_add(ta, tb, &heap, &twin_sum, &err);
	require(s_c == s_ab, "counter add_tally fails exactly when mh_tally_add does");
	require(s_m == s_ab, "counter merge fails exactly when mh_tally_add does");
	require(s_n == s_ab, "number twins fail exactly when text keys do");
	*sum_out = NULL;
	if (s_ab == MH_OK)
	{
		check_tally(ab, "a sum");
		require(mh_tally_equal(ab, ba), "adding is commutative");
		require(mh_tally_equal(ab, viac), "counter add_tally equals mh_tally_add");
		require(mh_tally_equal(ab, viam), "counter merge equals mh_tally_add");
		twin = number_twin(ab);
		require(mh_tally_equal(twin, twin_sum), "the sum of twins is the twin of the sum");
		free(twin);
		free(ba);
		free(viac);
		free(viam);
		*sum_out = ab;
	}
	free(twin_sum);

	/* numbers and text never mix, unless one side has no candidates */
	if (ta->ncandidates > 0 && b->ncandidates > 0)
	{
		mh_tally   *mixed = NULL;
		mh_counter	c;

		require(mh_tally_add(ta, b, &heap, &mixed, &err) == MH_EKIND, "number + text is EKIND");
		require(mh_tally_add(b, ta, &heap, &mixed, &err) == MH_EKIND, "text + number is EKIND");
		require_ok(mh_counter_init(&c, &heap, &err), &err, "counter init");
		require_ok(mh_counter_add_tally(&c, ta, &err), &err, "a number tally");
		require(mh_counter_add_tally(&c, b, &err) == MH_EKIND, "a number counter refuses text");
		mh_counter_release(&c);
	}
	free(ta);
	free(tb);
}

/* ---------------------------------------------------------------- rules */

static void
check_outcome(const mh_tally *t, reader *r)
{
	mh_tally   *twin = number_twin(t);
	uint8_t		how = next_byte(r);
	mh_rules	rules;
	mh_outcome	ot,
				on;
	mh_rank    *rt = NULL,
			   *rn = NULL;
	mh_error	err;
	uint32_t	i;

	memset(&rules, 0, sizeof(rules));
	if (how & 0x01)
		require(mh_rules_named(how & 0x02 ? "none" : "kz1994", &rules), "named rules");
	else
	{
		rules.threshold_known = (how & 0x02) == 0;
		rules.threshold.num = (how >> 2) % 5;
		rules.threshold.den = 4;
	}
	rules.draw_lots = (how & 0x20) != 0;
	rules.lots_seed = (int64_t) next_u64(r);
	if (how & 0x40)
	{
		rules.registered_given = true;
		rules.registered_known = (how & 0x80) != 0;
		rules.registered = rules.registered_known ? sat_add(t->cast, next_byte(r)) : 0;
	}

	mh_outcome_compute(t, &rules, &ot);
	mh_outcome_compute(twin, &rules, &on);
	require(ot.has_winner == on.has_winner && ot.has_leader == on.has_leader &&
			ot.leader_index == on.leader_index && ot.has_first == on.has_first &&
			ot.first_votes == on.first_votes && ot.has_second == on.has_second &&
			ot.second_votes == on.second_votes && ot.has_runner_up == on.has_runner_up &&
			ot.runner_up_index == on.runner_up_index && ot.tied == on.tied &&
			ot.valid_votes == on.valid_votes && ot.invalid == on.invalid &&
			ot.cast == on.cast && ot.registered_known == on.registered_known &&
			ot.registered == on.registered && ot.valid == on.valid && ot.tie == on.tie &&
			ot.drawn == on.drawn && ot.by_election == on.by_election &&
			ot.reason == on.reason, "text keys and their twins have the same outcome");
	if (ot.has_winner && !ot.drawn)
		require(ot.winner_index == on.winner_index, "the same winner");
	if (ot.has_leader)
		require(on.leader == key_index(t, ot.leader_index), "the twin's leader is the key's");
	if (ot.has_winner)
		require(ot.winner_index < t->ncandidates &&
				t->votes[ot.winner_index].votes == ot.first_votes,
				"the winner has the most votes");
	if (rules.no_turnout_rule)
		require(ot.valid == MH_TRUE, "without a turnout rule every election is valid");

	require_ok(mh_ranking(t, &heap, &rt, &err), &err, "ranking");
	require_ok(mh_ranking(twin, &heap, &rn, &err), &err, "ranking");
	for (i = 0; i < t->ncandidates; i++)
	{
		require(rt[i].index == rn[i].index && rt[i].votes == rn[i].votes &&
				rt[i].rank == rn[i].rank, "text keys rank like their twins");
		if (i > 0 && rt[i].votes == rt[i - 1].votes)
			require(rt[i].index > rt[i - 1].index, "ties ordered by key");
	}
	free(rt);
	free(rn);
	free(twin);
}

/* ---------------------------------------------------------------- ballots */

#if defined(__clang__) && __clang_major__ >= 13
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

/* What the counter should hold: mh_tally_build_keys of plain counts. */
NO_COVERAGE static mh_tally *
expected_count(const int64_t *naive, int64_t invalid)
{
	mh_key_vote kv[NKEYS];
	int64_t		cast = invalid;
	size_t		n = 0;
	int			i;
	mh_tally   *t = NULL;
	mh_error	err;

	/* in reverse, so that build_keys has something to sort */
	for (i = NKEYS - 1; i >= 0; i--)
		if (naive[i] > 0)
		{
			kv[n].key = keys[i].bytes;
			kv[n].len = keys[i].len;
			kv[n++].votes = naive[i];
			cast += naive[i];
		}
	require_ok(mh_tally_build_keys(false, 0, cast, invalid, kv, n, &heap, &t, &err),
			   &err, "the expected count");
	return t;
}

NO_COVERAGE static void
recount(mh_counter *c, mh_counter *twin, uint64_t seed, const int64_t *naive,
		int64_t invalid)
{
	mh_error	err;
	int			i;

	/* lines of the host's, as an aggregate's state has: one live counter each */
	static struct
	{
		mh_counter_line line;
		char		keys[MH_COUNTER_FIRST_KEYS];
	}			placed;
	static mh_counter_line twin_line;

	require_ok(mh_counter_init(c, &heap, &err), &err, "counter init");
	require_ok(mh_counter_init(twin, &heap, &err), &err, "counter init");
	/* some seeds: text keys with no room after the line, so they hash at once */
	if (seed & 6)
		require(mh_counter_place_line(c, &placed.line, (seed & 2) == 0) &&
				mh_counter_place_line(twin, &twin_line, false),
				"an empty counter's line moves");
	if (seed != 0)
	{
		mh_counter_seed(c, seed);
		mh_counter_seed(twin, seed);
	}
	for (i = 0; i < NKEYS; i++)
		if (naive[i] > 0)
		{
			require_ok(mh_counter_add_key_votes(c, false, keys[i].bytes, keys[i].len,
												naive[i], &err), &err, "votes");
			require_ok(mh_counter_add_votes(twin, false, i, naive[i], &err), &err, "votes");
		}
	if (invalid > 0)
	{
		require_ok(mh_counter_add_key_votes(c, true, NULL, 0, invalid, &err), &err, "invalid");
		require_ok(mh_counter_add_votes(twin, true, 0, invalid, &err), &err, "invalid");
	}
}

NO_COVERAGE static void
check_counter(const mh_counter *c, const mh_counter *twin, const int64_t *naive,
			  int64_t invalid, bool full)
{
	int64_t		best = 0,
				cast = invalid;
	int			who = -1,
				nbest = 0,
				i;
	uint32_t	n = 0;
	const char *leader_key = NULL;
	uint32_t	leader_len = 0;
	bool		has_leader = mh_counter_leader_key(c, &leader_key, &leader_len);

	for (i = 0; i < NKEYS; i++)
	{
		if (naive[i] > 0)
		{
			cast += naive[i];
			n++;
		}
		if (naive[i] > best)
		{
			best = naive[i];
			who = i;
			nbest = 1;
		}
		else if (naive[i] == best && best > 0)
			nbest++;
	}
	require(c->ncandidates == n, "no other key is counted");
	require(mh_counter_cast(c) == cast && c->invalid == invalid, "cast and invalid are right");
	require(c->line->capacity == 0 ? c->line->nsmall == c->ncandidates && c->ncandidates <= MH_COUNTER_SMALL :
			(uint64_t) c->ncandidates * 4 <= (uint64_t) c->line->capacity * 3,
			"the small table holds every candidate, or the load factor stays at most 3/4");
	require(has_leader == (nbest == 1), "a leader exactly when one key has the most");
	if (has_leader)
		require(leader_len == keys[who].len && memcmp(leader_key, keys[who].bytes, leader_len) == 0,
				"the leader is the key with the most votes");
	if (!full)
		return;
	{
		mh_tally   *got = counter_tally(c);
		mh_tally   *want = expected_count(naive, invalid);
		mh_tally   *got_twin = counter_tally(twin);
		mh_tally   *mapped = number_twin(got);

		require(mh_counter_tally_size(c) == mh_tally_total_size(want),
				"mh_counter_tally_size is exact");
		require(mh_tally_equal(got, want), "the counter equals a fresh count");
		require(mh_tally_equal(mapped, got_twin), "a number counter of the twins agrees");
		for (i = 0; i < NKEYS; i++)
		{
			const mh_vote *v = mh_tally_find_key(got, keys[i].bytes, keys[i].len);

			if (naive[i] > 0)
				require(v != NULL && v->votes == naive[i], "every key's votes are right");
			else
				require(v == NULL, "a key without votes leaves the counter");
		}
		free(got);
		free(want);
		free(got_twin);
		free(mapped);
	}
}

static void
run_ballots(reader *r, const mh_tally *part)
{
	mh_counter	c,
				twin;
	mh_error	err;
	int64_t		naive[NKEYS];
	int64_t		invalid = 0;
	uint32_t	steps = 0;
	uint64_t	seed = next_byte(r) & 1 ? next_u64(r) | 1 : 0;

	memset(naive, 0, sizeof(naive));
	recount(&c, &twin, seed, naive, invalid);

	while (r->n > 0)
	{
		uint8_t		op = next_byte(r);
		uint8_t		arg = next_byte(r);
		int			who = arg % NKEYS;
		bool		is_invalid = (op >> 2) % 8 == 0;
		int64_t    *have = is_invalid ? &invalid : &naive[who];
		const char *k = keys[who].bytes;
		uint32_t	len = keys[who].len;
		bool		deleted = false;

		switch (op % 4)
		{
			case 0:
			case 1:
				require_ok(mh_counter_add_key_ballot(&c, is_invalid, k, len, &err), &err,
						   "add a ballot");
				require_ok(mh_counter_add_ballot(&twin, is_invalid, who, &err), &err,
						   "add a twin ballot");
				(*have)++;
				break;
			case 2:
				{
					int64_t		n = (op >> 5) % 4;	/* 0 votes too: the key is counted */

					require_ok(mh_counter_add_key_votes(&c, is_invalid, k, len, n, &err),
							   &err, "add votes");
					require_ok(mh_counter_add_votes(&twin, is_invalid, who, n, &err),
							   &err, "add twin votes");
					*have += n;
					if (n == 0 && !is_invalid && naive[who] == 0)
					{
						/* a key with 0 votes: the plain counts cannot say so; recount */
						mh_counter_release(&c);
						mh_counter_release(&twin);
						recount(&c, &twin, seed, naive, invalid);
					}
				}
				break;
			case 3:
				{
					mh_status	status = mh_counter_remove_key_ballot(&c, is_invalid, k, len,
																	  &err);
					mh_status	st = mh_counter_remove_ballot(&twin, is_invalid, who, &err);

					require(status == st, "the twin takes back what the counter does");
					if (*have > 0)
					{
						require_ok(status, &err, "take back a ballot that is there");
						deleted = --(*have) == 0 && !is_invalid;
					}
					else
					{
						require(status == MH_EINCONSISTENT && err.status == status,
								"taking back a ballot that is not there is refused");
						mh_counter_release(&c);
						mh_counter_release(&twin);
						recount(&c, &twin, seed, naive, invalid);
					}
				}
				break;
		}
		check_counter(&c, &twin, naive, invalid,
					  deleted || ++steps % 64 == 0 || r->n == 0);
	}
	check_counter(&c, &twin, naive, invalid, true);

	/* the ballots merged into a part, like mh_tally_add */
	{
		mh_counter	cp;
		mh_tally   *got = counter_tally(&c);
		mh_tally   *sum = NULL;
		mh_status	s_m,
					s_t;

		require_ok(mh_counter_init(&cp, &heap, &err), &err, "counter init");
		require_ok(mh_counter_add_tally(&cp, part, &err), &err, "one tally");
		s_m = mh_counter_merge(&cp, &c, &err);
		if (c.line->registered_state == MH_REGISTERED_NONE)
		{
			s_t = MH_OK;
			sum = malloc(mh_tally_total_size(part));
			require(sum != NULL, "malloc");
			memcpy(sum, part, mh_tally_total_size(part));
		}
		else
			s_t = mh_tally_add(part, got, &heap, &sum, &err);
		require(s_m == s_t, "merge fails exactly when mh_tally_add does");
		if (s_m == MH_OK)
		{
			mh_tally   *merged = counter_tally(&cp);

			require(mh_tally_equal(merged, sum), "merging ballots equals adding tallies");
			free(merged);
		}
		free(sum);
		free(got);
		mh_counter_release(&cp);
	}

	/* a text counter with keys refuses a number counter with candidates */
	if (c.ncandidates > 0 && twin.ncandidates > 0)
	{
		require(mh_counter_merge(&c, &twin, &err) == MH_EKIND, "text counter + numbers");
		require(mh_counter_merge(&twin, &c, &err) == MH_EKIND, "number counter + text");
	}
	mh_counter_release(&c);
	mh_counter_release(&twin);
}

/* ---------------------------------------------------------------- entry */

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reader		r = {data, size};
	mh_tally   *a,
			   *b,
			   *c;
	mh_tally   *ab = NULL,
			   *bc = NULL,
			   *aa = NULL,
			   *ab_c = NULL,
			   *a_bc = NULL;
	uint64_t	seed;

	setup_keys();
	check_raw_key(&r);
	seed = next_u64(&r) | 1;
	a = next_tally(&r);
	b = next_tally(&r);
	c = next_tally(&r);

	check_forms(a);
	check_sums(a, b, seed, &ab);
	check_sums(b, c, seed, &bc);
	check_sums(a, a, seed, &aa);
	check_outcome(a, &r);
	if (ab != NULL)
	{
		check_forms(ab);
		check_outcome(ab, &r);
	}
	free(aa);

	if (ab != NULL && bc != NULL)
	{
		mh_tally   *parts[3] = {a, b, c};
		mh_tally   *viac = NULL;
		mh_error	err;
		mh_status	s1 = mh_tally_add(ab, c, &heap, &ab_c, &err);
		mh_status	s2 = mh_tally_add(a, bc, &heap, &a_bc, &err);
		mh_status	s3 = counter_sum(parts, 3, seed, &viac);

		require(s1 == s2 && s2 == s3, "three parts overflow in any grouping or none");
		if (s1 == MH_OK)
		{
			require(mh_tally_equal(ab_c, a_bc), "adding is associative");
			require(mh_tally_equal(ab_c, viac), "a counter of three parts agrees");
		}
		free(ab_c);
		free(a_bc);
		free(viac);
	}

	run_ballots(&r, a);

	free(ab);
	free(bc);
	free(a);
	free(b);
	free(c);
	return 0;
}
