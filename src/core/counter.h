/*-------------------------------------------------------------------------
 *
 * counter.h
 *	  The counter: a tally being built, one ballot or one part at a time.
 *
 * An aggregate's state.  Candidates live in an open-addressing hash table
 * (linear probing, Fibonacci hashing) so that adding a ballot costs one
 * multiply and, nearly always, one probe, however many candidates there
 * are.  A slot whose votes is -1 is empty: real votes are never negative.
 *
 * A counter counts candidates keyed by numbers or by text, never both
 * (MH_EKIND); the kind is set by the first candidate.  With text keys a
 * slot's candidate packs the high 32 bits of the key's seeded hash and
 * the key's offset in the arena, where each key is kept once, as a 4-byte
 * length and its bytes.  A probe compares the stored hash bits first and
 * the bytes only on a match, so a ballot costs one hash of its key and,
 * nearly always, one probe and one memcmp.  A key taken back to zero
 * votes leaves its bytes in the arena until the arena is full; then, if
 * at least half of it is such bytes, the live keys are copied into a new
 * one, so that a moving window's arena stays in proportion to the window.
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

typedef struct mh_counter
{
	/*
	 * What a ballot reads, first: 40 bytes that an aggregate's state keeps
	 * on one cache line with its expanded-object pointer (tally_agg.c).
	 */
	int64_t		cast;
	uint64_t	multiplier;		/* odd; see mh_counter_seed */
	mh_vote    *slots;
	char	   *arena;			/* text keys: length-prefixed, back to back */
	uint32_t	capacity;		/* slots, a power of two */
	uint8_t		shift;			/* 64 - log2(capacity) */
	uint8_t		registered_state;	/* an mh_registered_state */
	uint8_t		issued_state;	/* an mh_registered_state: a ballot makes it unknown */
	uint8_t		kind;			/* an mh_key_kind */
	/* the rest */
	int64_t		invalid;
	int64_t		registered;
	uint32_t	ncandidates;	/* occupied slots */
	/* the tally's trailer (tally.h), merged as mh_tally_add does */
	bool		blank_unknown;	/* a part (or ballot) did not say; 0 invalid knows */
	size_t		arena_used;
	size_t		arena_capacity;
	size_t		key_bytes;		/* bytes of the keys in the table */
	const mh_allocator *alloc;
	struct mh_counter_extra *extra; /* the trailer's numbers; NULL: all 0 */
} mh_counter;

/*
 * The trailer's numbers, allocated from the counter's allocator only when
 * one is not 0, so that a counter stays small (an aggregate's state packs
 * it with its header, first slots and first keys into one 512-byte chunk).
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
 * A new counter's first allocations, in this order: its table (most
 * constituencies have 2 or 3 candidates), then, with the first text key,
 * room for a few names or party codes.  An aggregate's state keeps both
 * next to itself (tally_agg.c).
 */
#define MH_COUNTER_INITIAL_CAPACITY	4
#define MH_COUNTER_INITIAL_ARENA	128 /* bytes */

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
mh_counter_home(const mh_counter *c, int64_t candidate)
{
	return (uint32_t) (((uint64_t) candidate * c->multiplier) >> c->shift);
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
		uint32_t	lo,
					hi;

		memcpy(&lo, p, sizeof(lo));
		memcpy(&hi, p + len - 4, sizeof(hi));
		h = mh_key_mix(h, (uint64_t) lo | (uint64_t) hi << 32);
	}
	else if (len > 0)
		h = mh_key_mix(h, (uint64_t) p[0] | (uint64_t) p[len / 2] << 8 |
					   (uint64_t) p[len - 1] << 16);
	h ^= h >> 31;
	h *= UINT64_C(0xD6E8FEB86659FD93);
	h ^= h >> 32;
	return h;
}

/* The arena entry of a text slot: its length, then its bytes. */
static inline const char *
mh_counter_slot_key(const mh_counter *c, const mh_vote *slot, uint32_t *len)
{
	const char *entry = c->arena + (uint32_t) slot->candidate;
	uint32_t	n;

	memcpy(&n, entry, sizeof(n));
	*len = n;
	return entry + sizeof(n);
}

/* An empty counter, with room for a few candidates. */
extern mh_status mh_counter_init(mh_counter *c, const mh_allocator *alloc, mh_error *err);

/* Sets the hash multiplier from a random seed; only while the counter is empty. */
extern void mh_counter_seed(mh_counter *c, uint64_t seed);

/* Frees the slots (a no-op where the allocator has no free). */
extern void mh_counter_release(mh_counter *c);

/* Bytes the counter's slots take, for memory accounting. */
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

/* Another counter (an aggregate's combine). */
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
 * no other has as many: its slot (a number's candidate field, or a text
 * key through mh_counter_slot_key).  Returns NULL on a tie or when nobody
 * has a vote.
 */
extern const mh_vote *mh_counter_leader_slot(const mh_counter *c);

/* The same for number keys: the leader's number to *candidate, or false. */
extern bool mh_counter_leader(const mh_counter *c, int64_t *candidate);

/* A number of votes for a text key, or blank/invalid ballots. */
extern mh_status mh_counter_add_key_votes(mh_counter *c, bool is_invalid,
										  const char *key, uint32_t len,
										  int64_t votes, mh_error *err);

/* The inverse of mh_counter_add_key_ballot, as mh_counter_remove_ballot. */
extern mh_status mh_counter_remove_key_ballot(mh_counter *c, bool is_invalid,
											  const char *key, uint32_t len,
											  mh_error *err);

/*
 * One ballot, the common case: a candidate already counted, or a blank or
 * invalid ballot, in a counter of ballots.  Inlined into the caller (the
 * aggregate's transition function); returns false, having changed
 * nothing, when the ballot needs mh_counter_add_ballot's general path.
 */
static MH_ALWAYS_INLINE bool
mh_counter_count_ballot(mh_counter *c, bool is_invalid, int64_t candidate)
{
	if (c->cast < INT64_MAX && c->registered_state == MH_REGISTERED_UNKNOWN &&
		c->issued_state == MH_REGISTERED_UNKNOWN && c->kind != MH_KEYS_TEXT)
	{
		if (is_invalid)
		{
			c->cast++;
			c->invalid++;
			c->blank_unknown = true;	/* a ballot does not say if it was blank */
			return true;
		}
		else
		{
			uint32_t	mask = c->capacity - 1;
			uint32_t	s = mh_counter_home(c, candidate);

			/*
			 * Linear probing, as find_or_insert: a candidate already counted
			 * is found before the first empty slot.  (With a random hash
			 * multiplier, many a candidate is not in its home slot.)
			 */
			while (c->slots[s].votes != MH_COUNTER_EMPTY)
			{
				mh_vote    *v = &c->slots[s];

				/* a candidate's votes <= cast < INT64_MAX: no overflow */
				if (v->candidate == candidate)
				{
					v->votes++;
					c->cast++;
					return true;
				}
				s = (s + 1) & mask;
			}
		}
	}
	return false;
}

/* One ballot: for a candidate, or blank/invalid. */
static MH_ALWAYS_INLINE mh_status
mh_counter_add_ballot(mh_counter *c, bool is_invalid, int64_t candidate,
					  mh_error *err)
{
	if (mh_counter_count_ballot(c, is_invalid, candidate))
		return MH_OK;
	return mh_counter_add_votes(c, is_invalid, candidate, 1, err);
}

/*
 * Whether two keys of len bytes are equal: memcmp's answer without a call
 * through the PLT, eight bytes at a time, for the short keys that names
 * and party codes are; the last word overlaps the one before, as in
 * mh_key_hash.
 */
static MH_ALWAYS_INLINE bool
mh_key_bytes_equal(const char *a, const char *b, uint32_t len)
{
	const unsigned char *x = (const unsigned char *) a;
	const unsigned char *y = (const unsigned char *) b;

	if (len >= 8)
	{
		uint32_t	i = 0;

		for (; i + 8 <= len; i += 8)
			if (mh_key_word(x + i) != mh_key_word(y + i))
				return false;
		return i == len || mh_key_word(x + len - 8) == mh_key_word(y + len - 8);
	}
	for (uint32_t i = 0; i < len; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/*
 * One ballot for a text key, the common case: a key already counted,
 * inlined as for numbers; false when the ballot needs
 * mh_counter_add_key_ballot's general path.
 */
static MH_ALWAYS_INLINE bool
mh_counter_count_key_ballot(mh_counter *c, bool is_invalid, const char *key,
							uint32_t len)
{
	if (!is_invalid && c->cast < INT64_MAX &&
		c->registered_state == MH_REGISTERED_UNKNOWN &&
		c->issued_state == MH_REGISTERED_UNKNOWN && c->kind == MH_KEYS_TEXT)
	{
		uint64_t	h;
		uint32_t	mask = c->capacity - 1;
		uint32_t	s;
		uint32_t	tag;

		/*
		 * The slot, then the key's bytes in the arena: with counters
		 * touched in random order both are cache misses, and the second
		 * address is read from the first.  The first few lines of the
		 * arena, where a constituency's few keys lie, are fetched while
		 * the slot is.
		 */
		MH_PREFETCH(c->arena);
		MH_PREFETCH(c->arena + 64);
		h = mh_key_hash(key, len, c->multiplier);
		s = (uint32_t) (h >> c->shift);
		tag = (uint32_t) (h >> 32);

		while (c->slots[s].votes != MH_COUNTER_EMPTY)
		{
			mh_vote    *v = &c->slots[s];

			if ((uint32_t) ((uint64_t) v->candidate >> 32) == tag)
			{
				uint32_t	klen;
				const char *k = mh_counter_slot_key(c, v, &klen);

				if (klen == len && mh_key_bytes_equal(k, key, len))
				{
					v->votes++;
					c->cast++;
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
	if (mh_counter_count_key_ballot(c, is_invalid, key, len))
		return MH_OK;
	return mh_counter_add_key_votes(c, is_invalid, key, len, 1, err);
}

#endif							/* MASLIHAT_COUNTER_H */
