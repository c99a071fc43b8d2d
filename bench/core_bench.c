/*-------------------------------------------------------------------------
 *
 * core_bench.c
 *	  Microbenchmark of maslihat's election core alone, without PostgreSQL:
 *	  what adding a ballot and merging a tally cost.
 *
 *	  make -C bench core       builds test/build/bench/core_bench and runs it
 *	  test/build/bench/core_bench --unseeded    Fibonacci hashing instead
 *
 * Every case prepares its input first (ballots drawn by a xorshift
 * generator with a fixed seed, tallies built), then times only the core's
 * calls with CLOCK_MONOTONIC, REPEATS times, and prints the median in
 * nanoseconds per ballot or per tally.  Memory comes from malloc through
 * an mh_allocator, as in the unit tests; counters that count ballots are
 * seeded with a random hash multiplier, as the aggregates' states are.
 *
 * Cases:
 *	 - one counter, k candidates: the transition function's work for one
 *	   group that stays in cache (2, 3, 10 and 1000 candidates);
 *	 - 5,935 counters, ballots in random or in station order: the same work
 *	   when, as in a hash aggregate, each ballot may land in another
 *	   group's state (most states then out of the L1/L2 caches); and in
 *	   random order with the counters' first lines placed side by side, as
 *	   the aggregates place them behind the groups' entries;
 *	 - mh_tally_add(a, b) and mh_counter_add_tally(counter, t) for tallies
 *	   of k candidates: tally + tally, and sum(tally) adding one station;
 *	 - mh_counter_merge: the aggregate's combine of two partial counts.
 *
 * bench/core_bench.c
 *
 *-------------------------------------------------------------------------
 */
#include "core/counter.h"
#include "core/mh_common.h"
#include "core/tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPEATS			5
#define BALLOTS			(20 * 1000 * 1000)	/* per timed run, one counter */
#define CONSTITUENCIES	5935
#define STATION_BALLOTS	480				/* ballots of one station in a row */
#define INVALID_PER_MILLE 2				/* 12,593 in 7,030,050 is 1.8 per mille */

static void *
bench_malloc(void *ctx, size_t size)
{
	return malloc(size);
}

static void
bench_free(void *ctx, void *ptr)
{
	free(ptr);
}

static const mh_allocator heap = {bench_malloc, bench_free, NULL, NULL};

/* Seed counters as the aggregates do (default), or leave Fibonacci hashing. */
static bool seeded = true;

static uint64_t rng_state = UINT64_C(0x2545F4914F6CDD1D);

static uint64_t
rng(void)
{
	uint64_t	x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static void
seed_counter(mh_counter *c)
{
	if (seeded)
		mh_counter_seed(c, rng());
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
check(mh_status status, const mh_error *err, const char *what)
{
	if (status != MH_OK)
	{
		fprintf(stderr, "core_bench: %s failed: %s: %s\n", what,
				mh_status_name(status), err->detail);
		exit(1);
	}
}

static void
row(const char *operation, const char *candidates, double ns, const char *unit)
{
	printf("| %-58s | %10s | %8.2f | %-6s |\n", operation, candidates, ns, unit);
}

/*
 * A ballot stream for one constituency of k candidates: a skewed choice
 * (candidate i drawn with weight k - i + k/2, so there is a clear leader
 * as in the generated electorate), a few blank or invalid ballots.
 * Candidate numbers are first + i.
 */
static void
draw_ballots(int64_t *cand, bool *invalid, size_t n, int k, int64_t first)
{
	uint64_t	total = 0;
	uint64_t   *cum = malloc(sizeof(uint64_t) * k);
	size_t		i;

	for (int c = 0; c < k; c++)
	{
		total += (uint64_t) (k - c + k / 2);
		cum[c] = total;
	}
	for (i = 0; i < n; i++)
	{
		uint64_t	r = rng();

		invalid[i] = r % 1000 < INVALID_PER_MILLE;
		r = (r >> 10) % total;
		{
			int			lo = 0,
						hi = k - 1;

			while (lo < hi)
			{
				int			mid = (lo + hi) / 2;

				if (r < cum[mid])
					hi = mid;
				else
					lo = mid + 1;
			}
			cand[i] = invalid[i] ? 0 : first + lo;
		}
	}
	free(cum);
}

/* ns per ballot: one counter, k candidates. */
static double
bench_one_counter(int k)
{
	int64_t    *cand = malloc(sizeof(int64_t) * BALLOTS);
	bool	   *invalid = malloc(sizeof(bool) * BALLOTS);
	double		t[REPEATS];
	mh_error	err;

	draw_ballots(cand, invalid, BALLOTS, k, 1000 * (int64_t) k);
	for (int r = 0; r < REPEATS; r++)
	{
		mh_counter c;
		double		t0;

		check(mh_counter_init(&c, &heap, &err), &err, "mh_counter_init");
		seed_counter(&c);
		t0 = now_ns();
		for (size_t i = 0; i < BALLOTS; i++)
			check(mh_counter_add_ballot(&c, invalid[i], cand[i], &err), &err,
				  "mh_counter_add_ballot");
		t[r] = (now_ns() - t0) / BALLOTS;
		if (mh_counter_cast(&c) != BALLOTS)
		{
			fprintf(stderr, "core_bench: counted %lld ballots, expected %d\n",
					(long long) mh_counter_cast(&c), BALLOTS);
			exit(1);
		}
		mh_counter_release(&c);
	}
	free(cand);
	free(invalid);
	return median(t, REPEATS);
}

/*
 * A group's state as a moving window's aggregate keeps it (TallyState in
 * tally_agg.c): the allocator, then the counter, allocated one by one,
 * each counter's slots right after it, as palloc in the aggregate's
 * context places them.  The other aggregates' expanded states also pack
 * the counter's first slots and keys into the state's chunk, with the
 * fields a ballot reads on one line; this case does not model that.
 */
typedef struct bench_state
{
	mh_allocator alloc;
	mh_counter	counter;
} bench_state;

/*
 * ns per ballot: 5,935 counters of 2 or 3 candidates (2.3 on average), the
 * 1994 electorate's 7,030,050 ballots, station by station (stations in
 * random order) or in random order.  With placed, as the aggregates'
 * states are: each counter's first line placed (mh_counter_place_line) in
 * one array, PLACED_STRIDE bytes apart (a 64-byte chunk and its header),
 * and a ballot given to its line's fast path first.
 */
#define PLACED_STRIDE	80

static double
bench_many_counters(bool random_order, bool placed)
{
	char	   *line_room = malloc((size_t) CONSTITUENCIES * PLACED_STRIDE + 64);
	size_t		n = 7030050;
	int32_t    *con = malloc(sizeof(int32_t) * n);
	int64_t    *cand = malloc(sizeof(int64_t) * n);
	bool	   *invalid = malloc(sizeof(bool) * n);
	bench_state **states = malloc(sizeof(bench_state *) * CONSTITUENCIES);
	double		t[REPEATS];
	mh_error	err;
	size_t		i;

	/* station by station: runs of STATION_BALLOTS ballots of one constituency */
	for (i = 0; i < n; i += STATION_BALLOTS)
	{
		int32_t		cst = (int32_t) (rng() % CONSTITUENCIES);
		int			k = cst % 10 < 7 ? 2 : 3;	/* 2.3 candidates on average */
		size_t		m = n - i < STATION_BALLOTS ? n - i : STATION_BALLOTS;

		draw_ballots(cand + i, invalid + i, m, k, 10 * (int64_t) cst);
		for (size_t j = 0; j < m; j++)
			con[i + j] = cst;
	}
	if (random_order)
		for (i = n - 1; i > 0; i--)
		{
			size_t		j = rng() % (i + 1);
			int32_t		tc = con[i];
			int64_t		tk = cand[i];
			bool		ti = invalid[i];

			con[i] = con[j];
			cand[i] = cand[j];
			invalid[i] = invalid[j];
			con[j] = tc;
			cand[j] = tk;
			invalid[j] = ti;
		}

	for (int r = 0; r < REPEATS; r++)
	{
		double		t0;

		for (int c = 0; c < CONSTITUENCIES; c++)
		{
			states[c] = malloc(sizeof(bench_state));
			states[c]->alloc = heap;
			check(mh_counter_init(&states[c]->counter, &states[c]->alloc, &err), &err,
				  "mh_counter_init");
			seed_counter(&states[c]->counter);
			/* after a 16-byte header, as a memory context's chunk */
			if (placed &&
				!mh_counter_place_line(&states[c]->counter,
									   (mh_counter_line *) (line_room + 16 +
															(size_t) c * PLACED_STRIDE), false))
			{
				fprintf(stderr, "core_bench: mh_counter_place_line refused an empty counter\n");
				exit(1);
			}
		}
		t0 = now_ns();
		for (i = 0; i < n; i++)
		{
			mh_counter *c = &states[con[i]]->counter;

			if (placed &&
				mh_line_count_ballot((mh_counter_line *) (line_room + 16 +
														  (size_t) con[i] * PLACED_STRIDE),
									 invalid[i], cand[i]))
				continue;
			check(mh_counter_add_ballot(c, invalid[i], cand[i], &err),
				  &err, "mh_counter_add_ballot");
		}
		t[r] = (now_ns() - t0) / n;
		for (int c = 0; c < CONSTITUENCIES; c++)
		{
			mh_counter_release(&states[c]->counter);
			free(states[c]);
		}
	}
	free(con);
	free(cand);
	free(invalid);
	free(states);
	free(line_room);
	return median(t, REPEATS);
}

/* A tally of k candidates numbered first, first + step, ...; ~500 ballots each. */
static mh_tally *
make_tally(int k, int64_t first, int64_t step)
{
	int64_t    *cands = malloc(sizeof(int64_t) * k);
	int64_t    *votes = malloc(sizeof(int64_t) * k);
	int64_t		cast = 3;
	mh_tally   *t;
	mh_error	err;

	for (int i = 0; i < k; i++)
	{
		cands[i] = first + i * step;
		votes[i] = 1 + (int64_t) (rng() % 1000);
		cast += votes[i];
	}
	check(mh_tally_build(true, cast + 100, cast, 3, cands, votes, k, &heap, &t, &err),
		  &err, "mh_tally_build");
	free(cands);
	free(votes);
	return t;
}

/* ns per tally: mh_tally_add(a, b), the result freed. */
static double
bench_tally_add(int k)
{
	int			n = k >= 1000 ? 20000 : 2000000;
	mh_tally   *a = make_tally(k, 1, 1);
	mh_tally   *b = make_tally(k, 1, 1);
	double		t[REPEATS];
	mh_error	err;

	for (int r = 0; r < REPEATS; r++)
	{
		double		t0 = now_ns();

		for (int i = 0; i < n; i++)
		{
			mh_tally   *sum;

			check(mh_tally_add(a, b, &heap, &sum, &err), &err, "mh_tally_add");
			free(sum);
		}
		t[r] = (now_ns() - t0) / n;
	}
	free(a);
	free(b);
	return median(t, REPEATS);
}

/*
 * ns per tally: mh_counter_add_tally, as sum(tally) adds each station's
 * tally of the same k candidates to its constituency's counter.
 */
static double
bench_counter_add_tally(int k)
{
	int			n = k >= 1000 ? 20000 : 2000000;
	int			nt = 64;
	mh_tally  **parts = malloc(sizeof(mh_tally *) * nt);
	double		t[REPEATS];
	mh_error	err;

	for (int i = 0; i < nt; i++)
		parts[i] = make_tally(k, 1, 1);
	for (int r = 0; r < REPEATS; r++)
	{
		mh_counter c;
		double		t0;

		check(mh_counter_init(&c, &heap, &err), &err, "mh_counter_init");
		t0 = now_ns();
		for (int i = 0; i < n; i++)
			check(mh_counter_add_tally(&c, parts[i % nt], &err), &err, "mh_counter_add_tally");
		t[r] = (now_ns() - t0) / n;
		mh_counter_release(&c);
	}
	for (int i = 0; i < nt; i++)
		free(parts[i]);
	free(parts);
	return median(t, REPEATS);
}

/* ns per merge: mh_counter_merge of a k-candidate partial count. */
static double
bench_counter_merge(int k)
{
	int			n = k >= 1000 ? 20000 : 2000000;
	mh_tally   *part = make_tally(k, 1, 1);
	mh_counter	other;
	double		t[REPEATS];
	mh_error	err;

	check(mh_counter_init(&other, &heap, &err), &err, "mh_counter_init");
	check(mh_counter_add_tally(&other, part, &err), &err, "mh_counter_add_tally");
	for (int r = 0; r < REPEATS; r++)
	{
		mh_counter c;
		double		t0;

		check(mh_counter_init(&c, &heap, &err), &err, "mh_counter_init");
		t0 = now_ns();
		for (int i = 0; i < n; i++)
			check(mh_counter_merge(&c, &other, &err), &err, "mh_counter_merge");
		t[r] = (now_ns() - t0) / n;
		mh_counter_release(&c);
	}
	mh_counter_release(&other);
	free(part);
	return median(t, REPEATS);
}

int
main(int argc, char **argv)
{
	static const int sizes[] = {2, 3, 10, 1000};
	char		label[32];

	if (argc > 1 && strcmp(argv[1], "--unseeded") == 0)
		seeded = false;
	else if (argc > 1)
	{
		fprintf(stderr, "usage: core_bench [--unseeded]\n");
		return 2;
	}
	printf("maslihat core microbenchmark: median of %d runs, malloc allocator, %s\n\n",
		   REPEATS, seeded ? "counters seeded with a random hash multiplier (as in the server)"
		   : "counters unseeded (Fibonacci hashing)");
	printf("| %-58s | %10s | %8s | %-6s |\n", "operation", "candidates", "ns", "per");
	printf("|%s|%s|%s|%s|\n", "------------------------------------------------------------",
		   "-----------:", "---------:", "--------");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		snprintf(label, sizeof(label), "%d", sizes[i]);
		row("mh_counter_add_ballot, one counter", label, bench_one_counter(sizes[i]), "ballot");
	}
	row("mh_counter_add_ballot, 5,935 counters, station order", "2-3",
		bench_many_counters(false, false), "ballot");
	row("mh_counter_add_ballot, 5,935 counters, random order", "2-3",
		bench_many_counters(true, false), "ballot");
	row("the same, lines placed 80 bytes apart (as the aggregates)", "2-3",
		bench_many_counters(true, true), "ballot");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		snprintf(label, sizeof(label), "%d", sizes[i]);
		row("mh_tally_add (tally + tally, result allocated)", label,
			bench_tally_add(sizes[i]), "tally");
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		snprintf(label, sizeof(label), "%d", sizes[i]);
		row("mh_counter_add_tally (sum(tally): one station)", label,
			bench_counter_add_tally(sizes[i]), "tally");
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		snprintf(label, sizeof(label), "%d", sizes[i]);
		row("mh_counter_merge (combine of partial counts)", label,
			bench_counter_merge(sizes[i]), "merge");
	}
	return 0;
}
