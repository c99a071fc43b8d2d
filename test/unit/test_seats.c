/*-------------------------------------------------------------------------
 *
 * test_seats.c
 *	  Unit tests of the core's seats by party (src/core/seats.c).
 *
 * Same conventions as test_core.c: one CHECK per assertion, "N passed, M
 * failed" last, a counting malloc allocator (with injected failures) so
 * that error paths are checked for leaks too.
 *
 * test/unit/test_seats.c
 *
 *-------------------------------------------------------------------------
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seats.h"

static int	n_passed;
static int	n_failed;

static bool
check_impl(bool ok, const char *what, const char *file, int line)
{
	if (ok)
		n_passed++;
	else
	{
		n_failed++;
		fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
	}
	return ok;
}

#define CHECK(cond) check_impl((cond), #cond, __FILE__, __LINE__)
#define CHECK_I64(a, e) \
	do { \
		int64_t a_ = (int64_t) (a), e_ = (int64_t) (e); \
		if (!check_impl(a_ == e_, #a " == " #e, __FILE__, __LINE__)) \
			fprintf(stderr, "     got %" PRId64 ", expected %" PRId64 "\n", a_, e_); \
	} while (0)

typedef struct alloc_state
{
	long		live;
	long		total;
	long		fail_after;
} alloc_state;

static void *
t_alloc(void *ctx, size_t size)
{
	alloc_state *st = ctx;

	if (st->fail_after >= 0 && st->total >= st->fail_after)
		return NULL;
	st->total++;
	st->live++;
	return malloc(size > 0 ? size : 1);
}

static void
t_free(void *ctx, void *ptr)
{
	alloc_state *st = ctx;

	if (ptr != NULL)
	{
		st->live--;
		free(ptr);
	}
}

static alloc_state heap_state = {0, 0, -1};
static const mh_allocator heap = {t_alloc, t_free, &heap_state, NULL};

#define C(party, votes) {party, (uint32_t) sizeof(party) - 1, votes}
#define SEED 12345

static mh_seats_result R;

static void
result_of(const mh_seats *s)
{
	mh_error	err;

	CHECK(mh_seats_result_make(s, &heap, &R, &err) == MH_OK);
}

static int64_t
party_seats(const char *label)
{
	int64_t		i = mh_seats_find(&R, label, (uint32_t) strlen(label));

	return i < 0 ? -1 : R.rows[i].seats;
}

static int64_t
party_votes(const char *label)
{
	int64_t		i = mh_seats_find(&R, label, (uint32_t) strlen(label));

	return i < 0 ? -1 : R.rows[i].votes;
}

static bool
row_is(uint32_t i, const char *label)
{
	return R.rows[i].len == strlen(label) && memcmp(R.rows[i].label, label, R.rows[i].len) == 0;
}

/* A small election: a repeated label, a tie, no votes, no candidates. */
static void
build_small(mh_seats *s)
{
	/* two Ind candidates: 10 and 8 votes; Con's 15 wins, not Ind's 18 */
	mh_seat_candidate a[] = {C("Ind", 10), C("Con", 15), C("Ind", 8)};
	mh_seat_candidate b[] = {C("Lab", 30), C("Con", 20)};
	mh_seat_candidate c[] = {C("Lab", 7), C("Con", 7), C("LD", 1)};	/* tie */
	mh_seat_candidate d[] = {C("Lab", 0)};	/* no votes */
	mh_error	err;

	CHECK(mh_seats_init(s, &heap, SEED, &err) == MH_OK);
	CHECK(mh_seats_add(s, a, 3, true, 50, 40, 2, &err) == MH_OK);
	CHECK(mh_seats_add(s, b, 2, true, 60, 51, 1, &err) == MH_OK);
	CHECK(mh_seats_add(s, c, 3, true, 20, 15, 0, &err) == MH_OK);
	CHECK(mh_seats_add(s, d, 1, false, 0, 0, 0, &err) == MH_OK);
	CHECK(mh_seats_add(s, NULL, 0, true, 10, 0, 0, &err) == MH_OK);
}

static void
test_add(void)
{
	mh_seats	s;
	mh_party_indices ix;
	uint32_t   *order;
	mh_error	err;

	build_small(&s);
	result_of(&s);
	CHECK_I64(R.seats, 5);
	CHECK_I64(R.filled, 2);
	CHECK_I64(R.valid, 33 + 50 + 15);
	CHECK_I64(R.invalid, 3);
	CHECK_I64(R.cast, 106);
	CHECK(R.registered_unknown);
	CHECK_I64(R.candidates, 9);
	CHECK_I64(R.nparties, 4);
	CHECK_I64(party_seats("Con"), 1);
	CHECK_I64(party_seats("Lab"), 1);
	CHECK_I64(party_seats("Ind"), 0);
	CHECK_I64(party_votes("Ind"), 18);
	CHECK_I64(party_votes("Con"), 42);
	CHECK_I64(R.rows[mh_seats_find(&R, "Ind", 3)].candidates, 2);
	CHECK_I64(mh_seats_find(&R, "In", 2), -1);
	CHECK_I64(mh_seats_largest(&R), -1);	/* Con and Lab have one each */
	CHECK_I64(mh_seats_most(&R), 1);
	CHECK_I64(mh_seats_majority_needed(&R), 3);

	CHECK(mh_seats_order(&R, &heap, &order, &err) == MH_OK);
	CHECK(row_is(order[0], "Con"));	/* 1 seat, 42 votes */
	CHECK(row_is(order[1], "Lab"));	/* 1 seat, 37 */
	CHECK(row_is(order[2], "Ind"));	/* 0, 18 */
	CHECK(row_is(order[3], "LD"));	/* 0, 1 */
	t_free(heap.ctx, order);

	mh_seats_indices(&R, &ix);
	CHECK(ix.disproportionality_known && ix.enp_votes_known && ix.enp_seats_known);
	CHECK(fabs(ix.enp_seats - 2.0) < 1e-12);
	{
		double		v[] = {42.0 / 98, 37.0 / 98, 18.0 / 98, 1.0 / 98};
		double		e[] = {0.5, 0.5, 0, 0};
		double		sq = 0,
					ab = 0,
					v2 = 0;
		int			i;

		for (i = 0; i < 4; i++)
		{
			sq += (v[i] - e[i]) * (v[i] - e[i]);
			ab += fabs(v[i] - e[i]);
			v2 += v[i] * v[i];
		}
		CHECK(fabs(ix.gallagher - 100 * sqrt(sq / 2)) < 1e-9);
		CHECK(fabs(ix.loosemore_hanby - 50 * ab) < 1e-9);
		CHECK(fabs(ix.enp_votes - 1 / v2) < 1e-9);
	}
	mh_seats_result_release(&R, &heap);
	mh_seats_release(&s);

	/* a seat the rules void: its votes count, nobody wins it */
	{
		mh_seat_candidate t[] = {C("A", 3), C("B", 2)};

		CHECK(mh_seats_init(&s, &heap, SEED, &err) == MH_OK);
		CHECK(mh_seats_add_seat(&s, t, 2, true, 20, 5, 0, false, &err) == MH_OK);
		CHECK(mh_seats_add_seat(&s, t, 2, true, 6, 5, 0, true, &err) == MH_OK);
		result_of(&s);
		CHECK_I64(R.seats, 2);
		CHECK_I64(R.filled, 1);
		CHECK_I64(party_seats("A"), 1);
		CHECK_I64(party_votes("A"), 6);
		mh_seats_result_release(&R, &heap);
		mh_seats_release(&s);
	}

	/* nothing filled: indices undefined, no largest party */
	{
		mh_seat_candidate t[] = {C("A", 3), C("B", 3)};

		CHECK(mh_seats_init(&s, &heap, SEED, &err) == MH_OK);
		CHECK(mh_seats_add(&s, t, 2, true, 10, 6, 0, &err) == MH_OK);
		result_of(&s);
		mh_seats_indices(&R, &ix);
		CHECK(!ix.disproportionality_known && ix.enp_votes_known && !ix.enp_seats_known);
		CHECK_I64(mh_seats_largest(&R), -1);
		CHECK_I64(R.filled, 0);
		CHECK_I64(R.registered, 10);
		mh_seats_result_release(&R, &heap);
		mh_seats_release(&s);
	}
	CHECK_I64(heap_state.live, 0);
}

static void
test_errors(void)
{
	mh_seats	s;
	mh_seat_candidate neg[] = {C("Con", -1)};
	mh_seat_candidate big[] = {C("Con", 10), C("Lab", 10)};
	mh_seat_candidate huge[] = {C("Con", INT64_MAX), C("Lab", 1)};
	mh_seat_candidate one[] = {C("Con", INT64_MAX)};
	mh_seat_candidate nul[] = {{"a\0b", 3, 1}};
	mh_seat_candidate bad[] = {{"\xff", 1, 1}};
	mh_error	err;

	CHECK(mh_seats_init(&s, &heap, SEED, &err) == MH_OK);
	CHECK(mh_seats_add(&s, neg, 1, false, 0, 10, 0, &err) == MH_ENEGATIVE);
	CHECK(mh_seats_add(&s, big, 2, false, 0, 20, 1, &err) == MH_EINCONSISTENT);
	CHECK(strstr(err.detail, "exceed ballots cast (20)") != NULL);
	CHECK(mh_seats_add(&s, big, 2, true, 19, 20, 0, &err) == MH_EINCONSISTENT);
	CHECK(mh_seats_add(&s, huge, 2, false, 0, INT64_MAX, 0, &err) == MH_EOVERFLOW);
	CHECK(mh_seats_add(&s, nul, 1, false, 0, 1, 0, &err) == MH_EKEY);
	CHECK(mh_seats_add(&s, bad, 1, false, 0, 1, 0, &err) == MH_EKEY);
	CHECK(mh_seats_add(&s, one, 1, false, 0, INT64_MAX, 0, &err) == MH_OK);
	/* a second one overflows the national ballots */
	CHECK(mh_seats_add(&s, one, 1, false, 0, INT64_MAX, 0, &err) == MH_EOVERFLOW);
	result_of(&s);
	CHECK_I64(R.seats, 1);
	CHECK_I64(party_votes("Con"), INT64_MAX);
	mh_seats_result_release(&R, &heap);
	mh_seats_release(&s);

	/* out of memory at every step: an error, no leak */
	{
		long		k;

		for (k = 0; k < 12; k++)
		{
			mh_seat_candidate a[] = {C("X", 3), C("Y", 2), C("X", 1)};
			mh_status	st;

			heap_state.fail_after = heap_state.total + k;
			st = mh_seats_init(&s, &heap, SEED, &err);
			if (st == MH_OK)
			{
				st = mh_seats_add(&s, a, 3, false, 0, 6, 0, &err);
				if (st == MH_OK)
				{
					st = mh_seats_result_make(&s, &heap, &R, &err);
					if (st == MH_OK)
						mh_seats_result_release(&R, &heap);
				}
				mh_seats_release(&s);
			}
			heap_state.fail_after = -1;
			CHECK(st == MH_OK || st == MH_ENOMEM);
			CHECK_I64(heap_state.live, 0);
		}
	}
}

static void
test_merge_and_binary(void)
{
	mh_seats	a,
				b,
				whole,
				back;
	mh_seats_result ra,
				rw;
	mh_seat_candidate x[] = {C("Lab", 30), C("Con", 20), C("Green", 3)};
	mh_seat_candidate y[] = {C("SNP", 9), C("Lab", 8)};
	mh_seat_candidate z[] = {C("", 4), C("Con", 2)};	/* an empty label is a label */
	mh_error	err;
	uint8_t    *buf,
			   *buf2;
	size_t		size,
				size2;

	CHECK(mh_seats_init(&a, &heap, 1, &err) == MH_OK);
	CHECK(mh_seats_init(&b, &heap, 2, &err) == MH_OK);
	CHECK(mh_seats_init(&whole, &heap, 3, &err) == MH_OK);
	CHECK(mh_seats_add(&a, x, 3, true, 100, 60, 5, &err) == MH_OK);
	CHECK(mh_seats_add(&b, y, 2, true, 40, 20, 1, &err) == MH_OK);
	CHECK(mh_seats_add(&b, z, 2, true, 10, 6, 0, &err) == MH_OK);
	CHECK(mh_seats_add(&whole, y, 2, true, 40, 20, 1, &err) == MH_OK);
	CHECK(mh_seats_add(&whole, x, 3, true, 100, 60, 5, &err) == MH_OK);
	CHECK(mh_seats_add(&whole, z, 2, true, 10, 6, 0, &err) == MH_OK);
	CHECK(mh_seats_merge(&a, &b, &err) == MH_OK);
	CHECK(mh_seats_result_make(&a, &heap, &ra, &err) == MH_OK);
	CHECK(mh_seats_result_make(&whole, &heap, &rw, &err) == MH_OK);
	CHECK_I64(ra.seats, rw.seats);
	CHECK_I64(ra.filled, 3);
	CHECK_I64(ra.registered, 150);
	CHECK_I64(ra.nparties, rw.nparties);
	R = ra;
	CHECK_I64(party_seats(""), 1);
	CHECK_I64(party_votes("Lab"), 38);

	/* the binary form does not depend on the order of merging or the seeds */
	CHECK(mh_seats_encode(&ra, &heap, &buf, &size, &err) == MH_OK);
	CHECK(mh_seats_encode(&rw, &heap, &buf2, &size2, &err) == MH_OK);
	CHECK(size == size2 && memcmp(buf, buf2, size) == 0);
	t_free(heap.ctx, buf2);
	CHECK(mh_seats_decode(buf, size, &back, &heap, 9, &err) == MH_OK);
	result_of(&back);
	CHECK_I64(R.nparties, ra.nparties);
	CHECK_I64(R.valid, ra.valid);
	CHECK_I64(R.cast, ra.cast);
	CHECK_I64(party_votes("SNP"), 9);
	CHECK_I64(party_seats("Lab"), 1);
	mh_seats_result_release(&R, &heap);
	mh_seats_release(&back);

	/* every truncation and every single-byte change: an error, or a state that checks */
	{
		size_t		cut,
					at;

		for (cut = 0; cut < size; cut++)
			CHECK(mh_seats_decode(buf, cut, &back, &heap, 9, &err) != MH_OK);
		for (at = 0; at < size; at++)
		{
			buf[at] ^= 0x41;
			if (mh_seats_decode(buf, size, &back, &heap, 9, &err) == MH_OK)
			{
				int64_t		sv = 0,
							ss = 0;
				uint32_t	i;

				result_of(&back);
				for (i = 0; i < R.nparties; i++)
				{
					sv += R.rows[i].votes;
					ss += R.rows[i].seats;
				}
				CHECK(sv == R.valid && ss == R.filled && R.filled <= R.seats);
				CHECK(R.valid + R.invalid <= R.cast);
				mh_seats_result_release(&R, &heap);
				mh_seats_release(&back);
			}
			buf[at] ^= 0x41;
		}
	}
	t_free(heap.ctx, buf);
	mh_seats_result_release(&ra, &heap);
	mh_seats_result_release(&rw, &heap);
	mh_seats_release(&a);
	mh_seats_release(&b);
	mh_seats_release(&whole);
	CHECK_I64(heap_state.live, 0);
}

/*
 * A state whose tallies each pass the tally's decoder but do not fit
 * together is refused: one doctoring (how) of an honest one-seat state.
 */
static mh_status
decode_doctored(void (*how) (mh_seats_result *), mh_error *err)
{
	mh_seats	s,
				back;
	mh_seats_result r;
	mh_seat_candidate x[] = {C("Lab", 5), C("Con", 3)};
	uint8_t    *buf;
	size_t		size;
	mh_status	status;

	CHECK(mh_seats_init(&s, &heap, SEED, err) == MH_OK);
	CHECK(mh_seats_add(&s, x, 2, true, 20, 9, 1, err) == MH_OK);
	CHECK(mh_seats_result_make(&s, &heap, &r, err) == MH_OK);
	how(&r);
	CHECK(mh_seats_encode(&r, &heap, &buf, &size, err) == MH_OK);
	status = mh_seats_decode(buf, size, &back, &heap, SEED, err);
	if (status == MH_OK)
		mh_seats_release(&back);
	t_free(heap.ctx, buf);
	mh_seats_result_release(&r, &heap);
	mh_seats_release(&s);
	return status;
}

static void
doctor_nothing(mh_seats_result *r)
{
	(void) r;
}

/* Lab wins two seats with one candidate */
static void
doctor_more_seats_than_candidates(mh_seats_result *r)
{
	r->won->votes[0].votes = 2;
	r->won->cast = 2;
}

/* Lab is listed among the seats won with none, the seat is empty */
static void
doctor_seatless_winner(mh_seats_result *r)
{
	r->won->votes[0].votes = 0;
	r->won->invalid = 1;
}

/* the votes tally carries registered voters of its own */
static void
doctor_registered_inside(mh_seats_result *r)
{
	r->votes->flags |= MH_TALLY_REGISTERED_KNOWN;
	r->votes->registered = 20;
}

static void
test_doctored_states(void)
{
	mh_error	err;

	CHECK(decode_doctored(doctor_nothing, &err) == MH_OK);
	CHECK(decode_doctored(doctor_more_seats_than_candidates, &err) == MH_EINCONSISTENT);
	CHECK(decode_doctored(doctor_seatless_winner, &err) == MH_EINCONSISTENT);
	CHECK(decode_doctored(doctor_registered_inside, &err) == MH_EINCONSISTENT);
	CHECK_I64(heap_state.live, 0);
}

int
main(void)
{
	test_add();
	test_errors();
	test_merge_and_binary();
	test_doctored_states();
	printf("test_seats: %d passed, %d failed\n", n_passed, n_failed);
	return n_failed == 0 ? 0 : 1;
}
