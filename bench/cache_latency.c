/*-------------------------------------------------------------------------
 *
 * cache_latency.c
 *	  What one load costs when every load's address comes from the one
 *	  before it and lands on a random cache line of a working set: the
 *	  machine's memory as a hash aggregate over 5,935 groups meets it.
 *
 *	  make -C bench cache      builds test/build/bench/cache_latency and runs it
 *
 * For each working set (32 KiB to 64 MiB) the lines are linked into one
 * cycle in a random order (splitmix64, fixed seed) and followed LOADS times,
 * REPEATS times; the median is printed in nanoseconds per load and as a
 * ratio to the smallest set's, measured in the same run.  A group of a
 * hash aggregate in PostgreSQL 15 holds its key's tuple, its per-group
 * transition data and a bucket (about 110 bytes); maslihat's state adds a
 * 64-byte line, and with text keys the line's keys (README.md, Performance).
 * Multiply the bytes a ballot touches by 5,935 to find the row of this
 * table a query's groups live in.
 *
 * bench/cache_latency.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define REPEATS	5
#define LOADS	(10 * 1000 * 1000)
#define LINE	64

/* splitmix64: the shuffle's random numbers, from a fixed seed */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Nanoseconds per dependent load over a random cycle of `bytes` of lines. */
static double
chase(size_t bytes)
{
	size_t		n = bytes / LINE;
	char	   *lines = aligned_alloc(LINE, bytes);
	size_t	   *order = malloc(n * sizeof(size_t));
	double		t[REPEATS];
	uint64_t	seed = 1;
	void	  **p;

	if (lines == NULL || order == NULL)
	{
		fprintf(stderr, "cache_latency: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--)
	{
		size_t		j = next_random(&seed) % (i + 1);
		size_t		x = order[i];

		order[i] = order[j];
		order[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		*(void **) (lines + order[i] * LINE) = lines + order[(i + 1) % n] * LINE;
	p = (void **) lines;
	for (size_t i = 0; i < n; i++)	/* one lap to warm the caches and the TLB */
		p = *p;
	for (int r = 0; r < REPEATS; r++)
	{
		struct timespec a,
					b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		for (long i = 0; i < LOADS; i++)
			p = *p;
		clock_gettime(CLOCK_MONOTONIC, &b);
		t[r] = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / LOADS;
	}
	/* p is used, so the loop's loads are not optimized away */
	if (p == NULL)
		abort();
	free(order);
	free(lines);
	qsort(t, REPEATS, sizeof(double), compare_doubles);
	return t[REPEATS / 2];
}

int
main(void)
{
	static const size_t kib[] = {32, 256, 512, 768, 1024, 1536, 2048, 4096, 16384, 65536};
	double		first = 0;

	printf("| working set | ns per dependent load | ÷ 32 KiB |\n|--:|--:|--:|\n");
	for (size_t i = 0; i < sizeof(kib) / sizeof(kib[0]); i++)
	{
		double		ns = chase(kib[i] * 1024);

		if (i == 0)
			first = ns;
		printf("| %zu KiB | %.1f | %.1f |\n", kib[i], ns, ns / first);
		fflush(stdout);
	}
	return 0;
}
