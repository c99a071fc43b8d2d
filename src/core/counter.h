/*-------------------------------------------------------------------------
 *
 * counter.h
 *	  The counter: a tally being built, one ballot or one part at a time.
 *
 * An aggregate's state.  A count's first three candidates live in a small
 * table on the counter's first 64-byte line, with one byte that says which
 * fast path a ballot may take and the host's handle (mh_counter_host):
 * most constituencies have two or three candidates, so that most ballots
 * read and write 48 bytes of that one line.  A ballot there adds to its
 * candidate's votes only; the count of ballots cast is the line's cast
 * plus the small table's votes (mh_counter_cast).  It is
 * searched without hashing or branches, by number, or for text keys by a
 * 32-bit tag of the key and then the key's bytes in the line's keys, the
 * next two lines.  The line is the counter's own or where its host put it
 * (mh_counter_place_line), so that an aggregate's states can keep their
 * hot lines close together.  A count that outgrows it (a fourth
 * candidate, a count beyond 32 bits, keys beyond the line's keys, or a
 * ballot taken back) moves to an open-addressing hash table (linear
 * probing, Fibonacci hashing) for good, so that adding a ballot costs one
 * multiply and, nearly always, one probe, however many candidates there
 * are.  A slot whose votes is -1 is empty:
 * real votes are never negative.
 *
 * A counter counts candidates keyed by numbers or by text, never both
 * (MH_EKIND); the kind is set by the first candidate.  With text keys a
 * hash table slot's candidate packs the high 32 bits of the key's seeded
 * hash and the key's offset in the arena, where each key is kept once, as
 * a 4-byte length and its bytes (the line's keys are the arena's start).  A
 * probe compares the stored hash bits first and the bytes only on a
 * match, so a ballot costs one hash of its key and, nearly always, one
 * probe and one memcmp.  A key taken back to zero votes leaves its bytes
 * in the arena until the arena is full; then, if at least half of it is
 * such bytes, the live keys are copied into a new one, so that a moving
 * window's arena stays in proportion to the window.
 *
 * The counter keeps no order; mh_counter_to_tally sorts a copy into the
 * canonical flat tally without changing the counter, so a window
 * aggregate's final function may run on it any number of times.
 *
 * On an error the counter is left valid but its counts are unspecified;
 * the SQL layer aborts the statement, tests discard it.
 *
 * src/core/counter.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_COUNTER_H
#define MASLIHAT_COUNTER_H

#include <stddef.h>
#include <string.h>

#include "mh_common.h"
#include "tally.h"

/* Whether the counter's registered voters is known, from the parts added. */
typedef enum mh_registered_state
{
	MH_REGISTERED_NONE = 0,		/* no tally added yet */
	MH_REGISTERED_KNOWN,		/* every tally added knew it */
	MH_REGISTERED_UNKNOWN		/* a ballot, or a tally that did not know it */
} mh_registered_state;

/*
 * A count's first candidates are kept in the counter's first cache line,
 * in a small table without hashing; a count that outgrows it moves them
 * into the hash table for good (capacity > 0).
 */
#define MH_COUNTER_SMALL		3	/* candidates */
#define MH_COUNTER_FIRST_KEYS	128 /* bytes of text keys kept in the counter */
#define MH_COUNTER_LINE			64	/* bytes: the first line, host included */
#define MH_COUNTER_HOT			48	/* bytes of it a ballot by number reads */
#define MH_COUNTER_HOST			10	/* bytes of it the host may use */

/*
 * The first line: all that a ballot reads, when the count's candidates are
 * in the small table, with the next MH_COUNTER_FIRST_KEYS bytes for their
 * text keys.  It is the counter's own (mh_counter_init), or where its host
 * places it (mh_counter_place_line): an aggregate keeps the line beside
 * the group's entry and the rest of the counter out of the way.
 */
typedef struct mh_counter_line
{
	/* the first 48 bytes: all that a ballot by number reads in the small table */
	union
	{
		/* capacity 0: numbers, or text keys: tag << 32 | offset in the line's keys */
		int64_t		small[MH_COUNTER_SMALL];
		struct
		{
			uint64_t	multiplier; /* odd; see mh_counter_seed */
			mh_vote    *slots;
			char	   *arena;	/* text keys: length-prefixed, back to back */
		}			table;
	}			u;
	int32_t		small_votes[MH_COUNTER_SMALL];
	uint8_t		nsmall;			/* candidates in the small table */
	uint8_t		fast;			/* MH_FAST_*: the fast paths a ballot may take */
	/* never read or written by the counter: see mh_counter_host */
	unsigned char host[MH_COUNTER_HOST];
	/* ballots cast, less the small table's votes (mh_counter_cast) */
	int64_t		cast;
	uint8_t		registered_state;	/* an mh_registered_state */
	uint8_t		issued_state;	/* an mh_registered_state: a ballot makes it unknown */
	uint8_t		kind;			/* an mh_key_kind */
	uint8_t		shift;			/* the hash table's 64 - log2(capacity) */
	uint32_t	capacity;		/* hash table slots, a power of two; 0: the small table */
} mh_counter_line;

/*
 * The fast paths a ballot may take (the line's fast), kept by every
 * general operation from the rest of the line: those of a counter of
 * ballots only (registered voters and ballots issued unknown), by number
 * or by text, in the small table or the hash table.  A ballot in the small
 * table adds to its candidate's votes and not to cast, so while the small
 * table may take ballots, cast leaves room for three counts of 32 bits.
 */
#define MH_FAST_SMALL		0x01
#define MH_FAST_SMALL_TEXT	0x02
#define MH_FAST_TABLE		0x04
#define MH_FAST_TABLE_TEXT	0x08
#define MH_FAST_SMALL_ROOM	(INT64_MAX - MH_COUNTER_SMALL * (int64_t) INT32_MAX)

/* The text keys of the small table, and the hash table's first ones: right after the line. */
#define MH_LINE_KEYS(line)	((char *) ((line) + 1))

typedef struct mh_counter
{
	mh_counter_line *line;		/* &own, or the host's */
	bool		line_keys;		/* MH_COUNTER_FIRST_KEYS bytes follow the line */
	/* the trailer's blank: a part (or ballot) did not say; 0 invalid knows */
	bool		blank_unknown;
	uint32_t	ncandidates;	/* candidates with a place in a table */
	int64_t		invalid;
	int64_t		registered;
	uint64_t	seed_multiplier;	/* the hash table's multiplier, once it has one */
	size_t		arena_used;
	size_t		arena_capacity;
	size_t		key_bytes;		/* bytes of the keys in the table */
	const mh_allocator *alloc;
	struct mh_counter_extra *extra; /* the trailer's numbers; NULL: all 0 */
	mh_counter_line own;
	char		own_keys[MH_COUNTER_FIRST_KEYS];	/* MH_LINE_KEYS(&own) */
} mh_counter;

/*
 * The trailer's numbers, allocated from the counter's allocator only when
 * one is not 0, so that a counter stays small.
 */
typedef struct mh_counter_extra
{
	int64_t		blank;			/* blank ballots, unless blank_unknown */
	int64_t		issued;			/* ballots issued, if issued_state is KNOWN */
	int64_t		parts;			/* parts (station protocols) added */
	int64_t		provisional;	/* of them provisional */
} mh_counter_extra;

#define MH_COUNTER_EMPTY	(-1)

/*
 * The hash table a count moves to when its small table is full, and the
 * arena its text keys move to when the line's keys are.
 */
#define MH_COUNTER_INITIAL_CAPACITY	8
#define MH_COUNTER_INITIAL_ARENA	256 /* bytes */

/*
 * A ballot by number in the small table reads the line's first 48 bytes,
 * the host's included; the line's keys follow it (C99: no _Static_assert).
 */
typedef char mh_counter_line_check[(offsetof(mh_counter_line, host) + MH_COUNTER_HOST == MH_COUNTER_HOT &&
									sizeof(mh_counter_line) == MH_COUNTER_LINE &&
									offsetof(mh_counter, own_keys) ==
									offsetof(mh_counter, own) + MH_COUNTER_LINE) ? 1 : -1];

/* The per-ballot paths are inlined into the aggregates' transition functions. */
#if defined(__GNUC__) || defined(__clang__)
#define MH_ALWAYS_INLINE inline __attribute__((always_inline))
#define MH_PREFETCH(p) __builtin_prefetch(p)
#else
#define MH_ALWAYS_INLINE inline
#define MH_PREFETCH(p) ((void) 0)
#endif

/*
 * Multiplicative hashing: the top bits of candidate x an odd multiplier.
 * Unseeded, the multiplier is 2^64 / golden ratio (Fibonacci hashing).  A
 * counter whose candidate numbers come from users should be seeded with a
 * random number: with a multiplier nobody knows, nobody can choose
 * candidate numbers that all land in one slot and make counting quadratic.
 */
#define MH_COUNTER_FIBONACCI	UINT64_C(0x9E3779B97F4A7C15)

static inline uint32_t
mh_counter_home(const mh_counter_line *l, int64_t candidate)
{
	return (uint32_t) (((uint64_t) candidate * l->u.table.multiplier) >> l->shift);
}

/*
 * A text key's seeded 64-bit hash.  Only a counter's table uses it, in
 * memory, so it may read the key eight bytes at a time in the machine's
 * byte order: the tail is the key's last eight bytes, overlapping the
 * words before (the length is mixed in first), and a key shorter than
 * eight is read as two overlapping halves, as wyhash does.
 */
static MH_ALWAYS_INLINE uint64_t
mh_key_word(const unsigned char *p)
{
	uint64_t	k;

	memcpy(&k, p, sizeof(k));
	return k;
}

static MH_ALWAYS_INLINE uint32_t
mh_key_half(const unsigned char *p)
{
	uint32_t	k;

	memcpy(&k, p, sizeof(k));
	return k;
}

static MH_ALWAYS_INLINE uint64_t
mh_key_mix(uint64_t h, uint64_t k)
{
	h = (h ^ (k * UINT64_C(0xBF58476D1CE4E5B9))) * UINT64_C(0x94D049BB133111EB);
	return h ^ (h >> 29);
}

static MH_ALWAYS_INLINE uint64_t
mh_key_hash(const char *key, uint32_t len, uint64_t seed)
{
	const unsigned char *p = (const unsigned char *) key;
	uint64_t	h = seed ^ ((uint64_t) len * UINT64_C(0x9E3779B97F4A7C15));

	if (len >= 8)
	{
		uint32_t	i = 0;

		for (; i + 8 <= len; i += 8)
			h = mh_key_mix(h, mh_key_word(p + i));
		if (i < len)
			h = mh_key_mix(h, mh_key_word(p + len - 8));
	}
	else if (len >= 4)
	{
		h = mh_key_mix(h, (uint64_t) mh_key_half(p) | (uint64_t) mh_key_half(p + len - 4) << 32);
	}
	else if (len > 0)
		h = mh_key_mix(h, (uint64_t) p[0] | (uint64_t) p[len / 2] << 8 |
					   (uint64_t) p[len - 1] << 16);
	h ^= h >> 31;
	h *= UINT64_C(0xD6E8FEB86659FD93);
	h ^= h >> 32;
	return h;
}

/*
 * A text key's tag in the small table: cheaper than its hash, from its
 * length and its first and last four bytes.  Keys that share a tag are
 * told apart by their bytes (slowly), so nobody can choose keys that make
 * counting wrong.
 */
static MH_ALWAYS_INLINE uint32_t
mh_key_tag(const char *key, uint32_t len)
{
	const unsigned char *p = (const unsigned char *) key;
	uint32_t	lo = 0,
				hi = 0;

	if (len >= 4)
	{
		lo = mh_key_half(p);
		hi = mh_key_half(p + len - 4);
	}
	else if (len > 0)
		lo = (uint32_t) p[0] | (uint32_t) p[len / 2] << 8 | (uint32_t) p[len - 1] << 16;
	return (lo ^ hi * UINT32_C(0x9E3779B1)) + len;
}

/*
 * Where a text key's offset points: into the line's keys while the small
 * table holds the candidates, else into the hash table's arena.
 */
static inline const char *
mh_line_arena(const mh_counter_line *l)
{
	return l->capacity == 0 ? MH_LINE_KEYS(l) : l->u.table.arena;
}

static inline const char *
mh_counter_arena(const mh_counter *c)
{
	return mh_line_arena(c->line);
}

/* The key stored at entry (its length, then its bytes): its bytes and length. */
static inline const char *
mh_key_entry(const char *entry, uint32_t *len)
{
	uint32_t	n;

	memcpy(&n, entry, sizeof(n));
	*len = n;
	return entry + sizeof(n);
}

/* The text key of a candidate (a slot's or small entry's): its bytes and length. */
static inline const char *
mh_line_key(const mh_counter_line *l, int64_t candidate, uint32_t *len)
{
	return mh_key_entry(mh_line_arena(l) + (uint32_t) candidate, len);
}

static inline const char *
mh_counter_key(const mh_counter *c, int64_t candidate, uint32_t *len)
{
	return mh_line_key(c->line, candidate, len);
}

/*
 * The host's bytes on the counter's first line.  The counter never reads
 * or writes them, except that mh_counter_init clears them; a host that
 * finds the counter through a handle (tally_agg.c's datum) keeps it there,
 * so that one line serves both.
 */
static inline unsigned char *
mh_counter_host(mh_counter *c)
{
	return c->line->host;
}

/* The line of host bytes h (mh_counter_host): where a handle kept there leads. */
static inline mh_counter_line *
mh_counter_line_of_host(unsigned char *h)
{
	return (mh_counter_line *) (h - offsetof(mh_counter_line, host));
}

/* Ballots cast so far: the line's cast and, while there is one, the small table's votes. */
static inline int64_t
mh_counter_cast(const mh_counter *c)
{
	const mh_counter_line *l = c->line;
	int64_t		cast = l->cast;

	if (l->capacity == 0)
		for (uint32_t i = 0; i < l->nsmall; i++)
			cast += l->small_votes[i];
	return cast;
}

/* An empty counter; it allocates nothing before its fourth candidate. */
extern mh_status mh_counter_init(mh_counter *c, const mh_allocator *alloc, mh_error *err);

/*
 * Moves an empty counter's first line to line, in the host's memory, with
 * MH_COUNTER_FIRST_KEYS bytes after it for the small table's text keys if
 * keys (without them, text keys go to the hash table from the first).  The
 * memory must outlive the counter.  False, having changed nothing, once
 * the counter counted anything.
 */
extern bool mh_counter_place_line(mh_counter *c, mh_counter_line *line, bool keys);

/* Sets the hash multiplier from a random seed; only while the counter is empty. */
extern void mh_counter_seed(mh_counter *c, uint64_t seed);

/* Frees the hash table and arena (a no-op where the allocator has no free). */
extern void mh_counter_release(mh_counter *c);

/* Bytes the counter takes, itself and what it allocated, for memory accounting. */
extern size_t mh_counter_memory(const mh_counter *c);

/* A number of votes: for a candidate, or blank/invalid ballots. */
extern mh_status mh_counter_add_votes(mh_counter *c, bool is_invalid,
									  int64_t candidate, int64_t votes,
									  mh_error *err);

/*
 * Takes back one ballot that mh_counter_add_ballot added (a moving
 * window's inverse transition).  A candidate whose votes fall to zero
 * leaves the counter, so the result equals a fresh count of the ballots
 * that remain.  Taking back a ballot that was never added is
 * MH_EINCONSISTENT.
 */
extern mh_status mh_counter_remove_ballot(mh_counter *c, bool is_invalid,
										  int64_t candidate, mh_error *err);

/* A whole tally, as one disjoint part of the count. */
extern mh_status mh_counter_add_tally(mh_counter *c, const mh_tally *t, mh_error *err);

/* Another counter (an aggregate's combine); never c itself (MH_EARGUMENT). */
extern mh_status mh_counter_merge(mh_counter *c, const mh_counter *other, mh_error *err);

/* Bytes mh_counter_to_tally writes. */
extern size_t mh_counter_tally_size(const mh_counter *c);

/*
 * Writes the canonical tally into out (mh_counter_tally_size bytes); the
 * counter is not changed.
 */
extern void mh_counter_to_tally(const mh_counter *c, mh_tally *out);

/*
 * The unique candidate with the most votes, if any has more than zero and
 * no other has as many: for number keys its number to *candidate, for
 * text keys its key (the counter's own bytes, valid while it is not
 * changed).  False on a tie, when nobody has a vote, or for the other kind
 * of key.
 */
extern bool mh_counter_leader(const mh_counter *c, int64_t *candidate);
extern bool mh_counter_leader_key(const mh_counter *c, const char **key, uint32_t *len);

/* A number of votes for a text key, or blank/invalid ballots. */
extern mh_status mh_counter_add_key_votes(mh_counter *c, bool is_invalid,
										  const char *key, uint32_t len,
										  int64_t votes, mh_error *err);

/* The inverse of mh_counter_add_key_ballot, as mh_counter_remove_ballot. */
extern mh_status mh_counter_remove_key_ballot(mh_counter *c, bool is_invalid,
											  const char *key, uint32_t len,
											  mh_error *err);

/*
 * One ballot, the common case: a candidate already counted, in a counter
 * of ballots.  It reads and writes the counter's first line only (in the
 * small table, its first MH_COUNTER_HOT bytes), so a host that placed the
 * line (mh_counter_place_line) passes just that.  Inlined into the caller
 * (the aggregate's transition function); returns false, having changed
 * nothing, when the ballot needs mh_counter_add_ballot's general path, as
 * a blank or invalid one does.
 */
static MH_ALWAYS_INLINE bool
mh_line_count_ballot(mh_counter_line *l, bool is_invalid, int64_t candidate)
{
	if (is_invalid)
		return false;
	if (l->fast & MH_FAST_SMALL)
	{
		/*
		 * Without branches: which of a constituency's candidates a ballot
		 * names is as good as random, so a loop's exit would be
		 * mispredicted nearly every time.  An entry beyond nsmall never
		 * matches, and a count that would outgrow 32 bits takes the
		 * general path.
		 */
		uint32_t	n = l->nsmall;
		int32_t		m0 = (n > 0) & (l->u.small[0] == candidate);
		int32_t		m1 = (n > 1) & (l->u.small[1] == candidate);
		int32_t		m2 = (n > 2) & (l->u.small[2] == candidate);

		if (((m0 | m1 | m2) == 0) |
			(m0 & (l->small_votes[0] == INT32_MAX)) |
			(m1 & (l->small_votes[1] == INT32_MAX)) |
			(m2 & (l->small_votes[2] == INT32_MAX)))
			return false;
		l->small_votes[0] += m0;
		l->small_votes[1] += m1;
		l->small_votes[2] += m2;
		return true;
	}
	else if ((l->fast & MH_FAST_TABLE) && l->cast < INT64_MAX)
	{
		uint32_t	mask = l->capacity - 1;
		uint32_t	s = mh_counter_home(l, candidate);

		/*
		 * Linear probing, as find_or_insert: a candidate already counted is
		 * found before the first empty slot.  (With a random hash
		 * multiplier, many a candidate is not in its home slot.)
		 */
		while (l->u.table.slots[s].votes != MH_COUNTER_EMPTY)
		{
			mh_vote    *v = &l->u.table.slots[s];

			/* a candidate's votes <= cast < INT64_MAX: no overflow */
			if (v->candidate == candidate)
			{
				v->votes++;
				l->cast++;
				return true;
			}
			s = (s + 1) & mask;
		}
	}
	return false;
}

/* One ballot: for a candidate, or blank/invalid. */
static MH_ALWAYS_INLINE mh_status
mh_counter_add_ballot(mh_counter *c, bool is_invalid, int64_t candidate,
					  mh_error *err)
{
	if (mh_line_count_ballot(c->line, is_invalid, candidate))
		return MH_OK;
	return mh_counter_add_votes(c, is_invalid, candidate, 1, err);
}

/*
 * Whether two keys of len bytes are equal: memcmp's answer without a call
 * through the PLT, for the short keys that names and party codes are.  A
 * key of up to 32 bytes is compared without a loop, as overlapping words
 * that cover it (at 0, 8 or len - 8, len - 16 or 0, and len - 8; for 4 to
 * 7 bytes two 4-byte halves; below, three bytes), so that keys of mixed
 * lengths cost no mispredicted loop exits; longer keys go eight bytes at
 * a time, the last word overlapping the one before, as in mh_key_hash.
 */
static MH_ALWAYS_INLINE bool
mh_key_bytes_equal(const char *a, const char *b, uint32_t len)
{
	const unsigned char *x = (const unsigned char *) a;
	const unsigned char *y = (const unsigned char *) b;

	if (len >= 8 && len <= 32)
	{
		uint32_t	o1 = len >= 16 ? 8 : len - 8;
		uint32_t	o2 = len >= 16 ? len - 16 : 0;

		return ((mh_key_word(x) ^ mh_key_word(y)) |
				(mh_key_word(x + o1) ^ mh_key_word(y + o1)) |
				(mh_key_word(x + o2) ^ mh_key_word(y + o2)) |
				(mh_key_word(x + len - 8) ^ mh_key_word(y + len - 8))) == 0;
	}
	if (len > 32)
	{
		uint32_t	i = 0;

		for (; i + 8 <= len; i += 8)
			if (mh_key_word(x + i) != mh_key_word(y + i))
				return false;
		return i == len || mh_key_word(x + len - 8) == mh_key_word(y + len - 8);
	}
	if (len >= 4)
		return ((mh_key_half(x) ^ mh_key_half(y)) |
				(mh_key_half(x + len - 4) ^ mh_key_half(y + len - 4))) == 0;
	return len == 0 ||
		((x[0] ^ y[0]) | (x[len / 2] ^ y[len / 2]) | (x[len - 1] ^ y[len - 1])) == 0;
}

/*
 * One ballot for a text key, the common case: a key already counted,
 * inlined as for numbers, from the line and its keys; false when the
 * ballot needs mh_counter_add_key_ballot's general path.
 */
static MH_ALWAYS_INLINE bool
mh_line_count_key_ballot(mh_counter_line *l, bool is_invalid, const char *key,
						 uint32_t len)
{
	if (is_invalid)
		return false;
	if (l->fast & MH_FAST_SMALL_TEXT)
	{
		/*
		 * The small table: the tags pick an entry without branches (as
		 * for numbers), and only its key's bytes are compared, in the
		 * line's keys, the two lines after it (which the caller may have
		 * fetched already).  Two keys with one tag take the general path.
		 */
		uint32_t	n = l->nsmall;
		uint32_t	t = mh_key_tag(key, len);
		uint32_t	m0 = (n > 0) & ((uint32_t) ((uint64_t) l->u.small[0] >> 32) == t);
		uint32_t	m1 = (n > 1) & ((uint32_t) ((uint64_t) l->u.small[1] >> 32) == t);
		uint32_t	m2 = (n > 2) & ((uint32_t) ((uint64_t) l->u.small[2] >> 32) == t);
		uint32_t	i = m1 | m2 << 1;
		uint32_t	klen;
		const char *k;

		if (m0 + m1 + m2 != 1)
			return false;
		/*
		 * In the line's keys, as mh_line_key would find, without reading
		 * the capacity (MH_FAST_SMALL_TEXT says it is 0): it lies at the
		 * line's end, on another cache line when the line straddles two.
		 */
		k = mh_key_entry(MH_LINE_KEYS(l) + (uint32_t) l->u.small[i], &klen);
		if (klen != len || !mh_key_bytes_equal(k, key, len) ||
			l->small_votes[i] == INT32_MAX)
			return false;
		l->small_votes[i]++;
		return true;
	}
	else if ((l->fast & MH_FAST_TABLE_TEXT) && l->cast < INT64_MAX)
	{
		/*
		 * The hash table's slot, then the key's bytes in the arena: with
		 * counters touched in random order both are cache misses, and the
		 * second address is read from the first.  The first lines of the
		 * arena, where a constituency's few keys lie, are fetched while
		 * the slot is.
		 */
		uint64_t	h;
		uint32_t	mask = l->capacity - 1;
		uint32_t	s;
		uint32_t	tag;

		MH_PREFETCH(l->u.table.arena);
		MH_PREFETCH(l->u.table.arena + 64);
		h = mh_key_hash(key, len, l->u.table.multiplier);
		s = (uint32_t) (h >> l->shift);
		tag = (uint32_t) (h >> 32);

		while (l->u.table.slots[s].votes != MH_COUNTER_EMPTY)
		{
			mh_vote    *v = &l->u.table.slots[s];

			if ((uint32_t) ((uint64_t) v->candidate >> 32) == tag)
			{
				uint32_t	klen;
				const char *k = mh_line_key(l, v->candidate, &klen);

				if (klen == len && mh_key_bytes_equal(k, key, len))
				{
					v->votes++;
					l->cast++;
					return true;
				}
			}
			s = (s + 1) & mask;
		}
	}
	return false;
}

/* One ballot for a text key, or blank/invalid. */
static MH_ALWAYS_INLINE mh_status
mh_counter_add_key_ballot(mh_counter *c, bool is_invalid, const char *key,
						  uint32_t len, mh_error *err)
{
	if (mh_line_count_key_ballot(c->line, is_invalid, key, len))
		return MH_OK;
	return mh_counter_add_key_votes(c, is_invalid, key, len, 1, err);
}

#endif							/* MASLIHAT_COUNTER_H */
