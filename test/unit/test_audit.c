/*-------------------------------------------------------------------------
 *
 * test_audit.c
 *	  Unit tests of the core's audit and election-night part (audit.c):
 *	  the 128-bit accumulator, every protocol check and its boundaries,
 *	  the difference of two tallies, and the exact call.
 *
 * Prints "N passed, M failed" last and exits non-zero on a failure.
 *
 * test/unit/test_audit.c
 *
 *-------------------------------------------------------------------------
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "outcome.h"
#include "tally.h"
#include "tally_text.h"

static int	n_passed;
static int	n_failed;
static long live_blocks;
static char last_codes[512];

static void
check_impl(bool ok, const char *what, int line)
{
	if (ok)
		n_passed++;
	else
	{
		n_failed++;
		fprintf(stderr, "FAIL test_audit.c:%d: %s (last problems: %s)\n", line, what, last_codes);
	}
}

#define CHECK(cond) check_impl((cond), #cond, __LINE__)

static void *
test_alloc(void *ctx, size_t size)
{
	(void) ctx;
	live_blocks++;
	return malloc(size ? size : 1);
}

static void
test_free(void *ctx, void *p)
{
	(void) ctx;
	live_blocks--;
	free(p);
}

static const mh_allocator heap = {test_alloc, test_free, NULL, NULL};

static mh_tally *
parse(const char *text)
{
	mh_tally   *t = NULL;
	mh_error	err;

	if (mh_tally_parse(text, &heap, &t, &err) != MH_OK)
	{
		fprintf(stderr, "cannot parse %s: %s\n", text, err.detail);
		exit(2);
	}
	return t;
}

static mh_count
known(int64_t v)
{
	return (mh_count) {true, v};
}

/* The problems of p, as "code,code,..." */
static const char *
codes(const mh_protocol *p, const mh_audit_tolerances *tol, mh_problem *problems)
{
	static char buf[512];
	int			n,
				i;
	mh_error	err;

	buf[0] = '\0';
	if (mh_audit_protocol(p, tol, &heap, problems, &n, &err) != MH_OK)
		return "FAILED";
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			strcat(buf, ",");
		strcat(buf, mh_problem_name(problems[i].code));
	}
	strcpy(last_codes, buf);
	return buf;
}

static void
test_wide(void)
{
	mh_wide		w = mh_wide_of(INT64_MAX);
	char		buf[MH_WIDE_DIGITS];

	mh_wide_add(&w, INT64_MAX);
	mh_wide_add(&w, 2);
	CHECK(strcmp(mh_wide_format(w, buf), "18446744073709551616") == 0);
	CHECK(mh_wide_compare(w, mh_wide_of(INT64_MAX)) > 0);
	w = mh_wide_of(INT64_MIN);
	mh_wide_add(&w, INT64_MIN);
	CHECK(strcmp(mh_wide_format(w, buf), "-18446744073709551616") == 0);
	CHECK(mh_wide_compare(w, mh_wide_of(INT64_MIN)) < 0);
	mh_wide_add(&w, INT64_MAX);
	mh_wide_add(&w, INT64_MAX);
	mh_wide_add(&w, 2);
	CHECK(strcmp(mh_wide_format(w, buf), "0") == 0);
	CHECK(mh_wide_compare(w, mh_wide_of(0)) == 0);
	CHECK(strcmp(mh_wide_format(mh_wide_of(-1), buf), "-1") == 0);
	CHECK(strcmp(mh_wide_format(mh_wide_of(INT64_MIN), buf), "-9223372036854775808") == 0);
}

static void
test_protocol(void)
{
	mh_audit_tolerances tol = MH_AUDIT_DEFAULT_TOLERANCES;
	mh_problem	pr[MH_AUDIT_MAX_PROBLEMS];
	int64_t		numbers[] = {1, 2, 3};
	int64_t		votes[] = {50, 30, 17};
	mh_protocol p;

	memset(&p, 0, sizeof(p));
	p.numbers = numbers;
	p.ncandidates = 3;
	p.votes = votes;
	p.nvotes = 3;
	/* 97 votes + 3 invalid = 100 cast: exactly 3% invalid is not above 3% */
	p.cast = known(100);
	p.invalid = known(3);
	p.registered = known(100);
	p.declared_valid = known(97);
	CHECK(strcmp(codes(&p, &tol, pr), "") == 0);

	/* one more invalid ballot: above cast, and 4 of 100 is above 3% */
	p.invalid = known(4);
	CHECK(strcmp(codes(&p, &tol, pr), "votes_exceed_cast,invalid_share") == 0);
	CHECK(pr[0].found.lo == 101 && pr[0].expected.lo == 100);

	/* below cast, and the declared total missed */
	p.invalid = known(2);
	p.declared_valid = known(98);
	CHECK(strcmp(codes(&p, &tol, pr), "ballots_unaccounted,valid_mismatch") == 0);
	CHECK(strstr(pr[1].message, "(-1)") != NULL);

	/* cast above registered */
	p.invalid = known(3);
	p.declared_valid = known(97);
	p.registered = known(99);
	CHECK(strcmp(codes(&p, &tol, pr), "cast_exceeds_registered") == 0);
	p.registered.known = false;
	p.declared_valid.known = false;

	/* blank: 3 of 100 is fine, 4 is not; without cast the whole is V + B + I */
	p.invalid = known(0);
	p.blank = known(3);
	CHECK(strcmp(codes(&p, &tol, pr), "") == 0);
	p.cast.known = false;
	p.blank = known(4);			/* 4 of 101 */
	CHECK(strcmp(codes(&p, &tol, pr), "blank_share") == 0);
	CHECK(pr[0].expected.lo == 101);
	tol.blank_known = false;
	CHECK(strcmp(codes(&p, &tol, pr), "") == 0);
	tol = MH_AUDIT_DEFAULT_TOLERANCES;
	p.blank.known = false;

	/* admitted: 2% of 1000 is 20; 20 is not above it, 21 is; 15 at least */
	p.cast = known(97);
	p.issued = known(97 + 20);
	CHECK(strcmp(codes(&p, &tol, pr), "admitted_mismatch") == 0);	/* 20 of 117 */
	p.issued = known(97 + 14);
	CHECK(strcmp(codes(&p, &tol, pr), "") == 0);	/* 14 < 15 */
	p.issued = known(97 + 15);
	CHECK(strcmp(codes(&p, &tol, pr), "admitted_mismatch") == 0);
	numbers[0] = 1;
	votes[0] = 953;				/* V = 1000 */
	p.cast = known(1000);
	p.issued = known(1020);		/* 20 = 2% of 1000? of issued 1020: 20.4 > 20 */
	CHECK(strcmp(codes(&p, &tol, pr), "") == 0);
	p.issued = known(979);		/* 21 > 2% of 979 (19.58) */
	CHECK(strcmp(codes(&p, &tol, pr), "admitted_mismatch") == 0);
	p.issued = known(1021);		/* 21 > 20.42 */
	CHECK(strcmp(codes(&p, &tol, pr), "admitted_mismatch") == 0);
	p.issued = known(1020);
	votes[0] = 50;
	p.issued.known = false;
	p.cast.known = false;

	/* same votes, no votes */
	p.same_votes = 2;
	CHECK(strcmp(codes(&p, &tol, pr), "same_votes") == 0);
	p.same_votes = 1;
	CHECK(strcmp(codes(&p, &tol, pr), "") == 0);
	votes[0] = votes[1] = votes[2] = 0;
	CHECK(strcmp(codes(&p, &tol, pr), "no_votes") == 0);
	votes[0] = 50;
	votes[1] = 30;
	votes[2] = 17;

	/* bad entries are rows too */
	{
		bool		cnull[] = {false, false, true};
		bool		vnull[] = {false, true, false};

		numbers[1] = 1;
		votes[0] = -5;
		p.candidate_null = cnull;
		p.votes_null = vnull;
		p.nvotes = 3;
		p.cast = known(-1);
		CHECK(strcmp(codes(&p, &tol, pr),
					 "missing_candidate,missing_votes,negative_count,negative_count,duplicate_candidate,votes_exceed_cast") == 0);
		CHECK(pr[3].candidate == 0);
		CHECK(pr[4].candidate == 1);
		p.candidate_null = NULL;
		p.votes_null = NULL;
		p.cast.known = false;
		numbers[1] = 2;
		votes[0] = 50;
	}
	p.nvotes = 2;
	CHECK(strcmp(codes(&p, &tol, pr), "array_lengths") == 0);
	p.nvotes = 3;

	/* sums beyond 64 bits are exact */
	{
		int64_t		big[] = {INT64_MAX, INT64_MAX, 2};

		p.votes = big;
		p.cast = known(INT64_MAX);
		p.declared_valid = known(INT64_MAX);
		CHECK(strcmp(codes(&p, &tol, pr), "votes_exceed_cast,valid_mismatch") == 0);
		CHECK(strstr(pr[0].message, "18446744073709551616") != NULL);
		CHECK(strstr(pr[1].message, "(+9223372036854775809)") != NULL);
		p.votes = votes;
	}

	/* text keys: the duplicate is named */
	{
		mh_key_vote keys[] = {{"Lab", 3, 0}, {"Con", 3, 0}, {"Lab", 3, 0}};
		mh_protocol q;

		memset(&q, 0, sizeof(q));
		q.keys = keys;
		q.ncandidates = 3;
		q.votes = votes;
		q.nvotes = 3;
		CHECK(strcmp(codes(&q, &tol, pr), "duplicate_candidate") == 0);
		CHECK(pr[0].candidate == 2);
		CHECK(strstr(pr[0].message, "\"Lab\"") != NULL);
	}

	/* a tolerance like 2.5% is written exactly in the message */
	{
		mh_protocol q;
		int64_t		v[] = {100};
		int64_t		c[] = {7};

		memset(&q, 0, sizeof(q));
		q.numbers = c;
		q.ncandidates = 1;
		q.votes = v;
		q.nvotes = 1;
		q.blank = known(10);
		tol.blank_share = (mh_fraction) {25, 1000};
		CHECK(strcmp(codes(&q, &tol, pr), "blank_share") == 0);
		CHECK(strstr(pr[0].message, "more than 2.5% of the 110") != NULL);
		tol = MH_AUDIT_DEFAULT_TOLERANCES;
	}
	CHECK(live_blocks == 0);
}

static void
test_diff(void)
{
	mh_tally   *a = parse("registered=100 cast=50 invalid=1 votes={1:20,2:19,4:5}");
	mh_tally   *b = parse("cast=50 invalid=2 votes={1:19,3:1,4:5}");
	mh_tally   *c = parse("votes={\"x\":1}");
	mh_diff    *d;
	size_t		n;
	mh_error	err;

	CHECK(mh_tally_diff(a, b, &heap, &d, &n, &err) == MH_OK);
	CHECK(n == 5);
	CHECK(d[0].item == MH_DIFF_REGISTERED && d[0].a_known && !d[0].b_known);
	CHECK(d[1].item == MH_DIFF_INVALID && d[1].a == 1 && d[1].b == 2);
	CHECK(d[2].item == MH_DIFF_VOTES && d[2].a_index == 0 && d[2].b_index == 0);
	CHECK(d[3].a_index == 1 && d[3].b_index == -1 && d[3].a == 19 && d[3].b == 0);
	CHECK(d[4].a_index == -1 && d[4].b_index == 1 && d[4].b == 1);
	test_free(NULL, d);
	CHECK(mh_tally_diff(a, a, &heap, &d, &n, &err) == MH_OK && n == 0 && d == NULL);
	CHECK(mh_tally_diff(a, c, &heap, &d, &n, &err) == MH_EKIND);
	test_free(NULL, a);
	test_free(NULL, b);
	test_free(NULL, c);

	/* the trailer's counts differ too: blank and issued may be unknown on one side */
	a = parse("issued=60 cast=50 invalid=2 blank=1 votes={1:48} parts=3 provisional=1");
	b = parse("cast=50 invalid=2 votes={1:48} parts=4");
	c = parse("issued=61 cast=50 invalid=2 blank=2 votes={1:48} parts=3 provisional=1");
	CHECK(mh_tally_diff(a, b, &heap, &d, &n, &err) == MH_OK);
	CHECK(n == 4);
	CHECK(d[0].item == MH_DIFF_BLANK && d[0].a_known && d[0].a == 1 && !d[0].b_known);
	CHECK(d[1].item == MH_DIFF_ISSUED && d[1].a_known && d[1].a == 60 && !d[1].b_known);
	CHECK(d[2].item == MH_DIFF_PARTS && d[2].a == 3 && d[2].b == 4);
	CHECK(d[3].item == MH_DIFF_PROVISIONAL && d[3].a == 1 && d[3].b == 0);
	CHECK(strcmp(mh_diff_item_name(d[3].item), "provisional") == 0);
	test_free(NULL, d);
	CHECK(mh_tally_diff(a, c, &heap, &d, &n, &err) == MH_OK);
	CHECK(n == 2 && d[0].item == MH_DIFF_BLANK && d[0].b == 2 && d[0].b_known &&
		  d[1].item == MH_DIFF_ISSUED && d[1].b == 61);
	test_free(NULL, d);
	test_free(NULL, a);
	test_free(NULL, b);
	test_free(NULL, c);
	CHECK(live_blocks == 0);
}

static mh_call
call_remaining(const char *text, int64_t registered, int64_t remaining, const char *rules)
{
	mh_tally   *t = parse(text);
	mh_rules	r;
	mh_call		c;
	mh_error	err;

	memset(&r, 0, sizeof(r));
	mh_rules_named(rules, &r);
	if (mh_can_change(t, registered, remaining, &r, &c, &err) != MH_OK)
		c.remaining = -1;
	test_free(NULL, t);
	return c;
}

static mh_call
call(const char *text, int64_t registered, const char *rules)
{
	return call_remaining(text, registered, -1, rules);
}

static void
test_call(void)
{
	mh_call		c;

	/* a margin exactly equal to the ballots still possible: a tie can come */
	c = call("cast=40 votes={1:25,2:15}", 50, "none");
	CHECK(c.remaining == 10 && c.margin == 10 && c.leader_can_change && c.winner_can_change && !c.decided);
	c = call("cast=40 votes={1:26,2:14}", 50, "none");
	CHECK(!c.leader_can_change && !c.winner_can_change && c.decided);
	/* a tie with nothing left stays a tie; with one ballot it can break */
	c = call("cast=40 votes={1:20,2:20}", 40, "none");
	CHECK(!c.leader_can_change && c.decided);
	c = call("cast=40 votes={1:20,2:20}", 41, "none");
	CHECK(c.leader_can_change && !c.decided);
	/* one candidate: only a first vote changes anything */
	c = call("cast=0 votes={1:0}", 1, "none");
	CHECK(c.leader_can_change && c.winner_can_change);
	c = call("cast=1 votes={1:1}", 9, "none");
	CHECK(!c.leader_can_change && c.decided && !c.has_margin);
	c = call("cast=0", 9, "none");
	CHECK(!c.leader_can_change && c.decided);
	/* validity: 6 registered need 4 ballots under kz1994 */
	c = call("cast=3 votes={1:2,2:1}", 6, "kz1994");
	CHECK(c.valid_now == MH_FALSE && c.validity_can_change && c.ballots_to_valid == 1 && c.winner_can_change);
	c = call("cast=3 votes={1:3,2:0}", 3, "kz1994");
	CHECK(c.valid_now == MH_TRUE && c.ballots_to_valid == 0 && !c.validity_can_change && c.decided);
	/* registered 0: 0 ballots of 0 is not more than half, and none can come */
	c = call("cast=0 votes={1:0}", 0, "kz1994");
	CHECK(c.valid_now == MH_FALSE && !c.validity_can_change && c.ballots_to_valid == -1 && c.decided);
	/* invalid now, the leader safe, but validity still open: not decided */
	c = call("cast=2 votes={1:2}", 10, "kz1994");
	CHECK(c.validity_can_change && c.winner_can_change && !c.decided && c.ballots_to_valid == 4);
	/* fewer ballots to come than voters who have not voted: the stations left */
	c = call_remaining("cast=40 votes={1:25,2:15}", 100, 10, "none");
	CHECK(c.remaining == 10 && c.leader_can_change);
	c = call_remaining("cast=40 votes={1:25,2:15}", 100, 9, "none");
	CHECK(!c.leader_can_change && c.decided);
	c = call_remaining("cast=40 votes={1:25,2:15}", 100, 0, "none");
	CHECK(c.remaining == 0 && c.decided);
	/* 100 registered need 51 ballots: 40 + 11 can reach it, 40 + 10 cannot */
	c = call_remaining("cast=40 votes={1:25,2:15}", 100, 11, "kz1994");
	CHECK(c.validity_can_change && c.ballots_to_valid == 11);
	c = call_remaining("cast=40 votes={1:25,2:15}", 100, 10, "kz1994");
	CHECK(!c.validity_can_change && c.ballots_to_valid == -1 && !c.winner_can_change && c.decided);
	c = call_remaining("cast=40 votes={1:25,2:15}", 100, 61, "none");
	CHECK(c.remaining == -1);
	/* cast above registered is an error value */
	c = call("cast=5 votes={1:5}", 4, "none");
	CHECK(c.remaining == -1);
	CHECK(live_blocks == 0);
}

/* Errors that say where: the counts and the first candidates. */
static void
test_error_details(void)
{
	int64_t		cands[] = {17, 42, 7, 9, 11};
	int64_t		votes[] = {300, 317, 1, 2, 3};
	mh_key_vote keys[] = {{"Lab", 3, 5664}, {"Green", 5, 2918}};
	mh_tally   *t = NULL;
	mh_error	err;

	CHECK(mh_tally_build(true, 1000, 600, 0, cands, votes, 5, &heap, &t, &err) == MH_EINCONSISTENT);
	CHECK(strcmp(err.detail, "Candidate votes (623) plus blank or invalid ballots (0) exceed ballots cast (600)."
				 " The first candidates: 17 (300 votes), 42 (317 votes), 7 (1 vote), and 2 more.") == 0);
	CHECK(mh_tally_build_keys(true, 8000, 9000, 0, keys, 2, &heap, &t, &err) == MH_EINCONSISTENT);
	CHECK(strcmp(err.detail, "Ballots cast (9000) exceed registered voters (8000)."
				 " The first candidates: \"Lab\" (5664 votes), \"Green\" (2918 votes).") == 0);
	CHECK(mh_tally_parse("cast=5 votes={1:6}", &heap, &t, &err) == MH_EINCONSISTENT);
	CHECK(strstr(err.detail, "The only candidate: 1 (6 votes).") != NULL);
	CHECK(live_blocks == 0);
}

int
main(void)
{
	test_error_details();
	test_wide();
	test_protocol();
	test_diff();
	test_call();
	printf("%d passed, %d failed\n", n_passed, n_failed);
	return n_failed == 0 ? 0 : 1;
}
