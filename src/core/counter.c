/*-------------------------------------------------------------------------
 *
 * counter.c
 *	  The counter: a small table of candidate -> votes, then an
 *	  open-addressing hash table.
 *
 * src/core/counter.c
 *
 *-------------------------------------------------------------------------
 */
#include "counter.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static mh_vote *
alloc_slots(const mh_allocator *alloc, uint32_t capacity, mh_error *err)
{
	mh_vote    *slots = alloc->alloc(alloc->ctx, (size_t) capacity * sizeof(mh_vote));
	uint32_t	i;

	if (slots == NULL)
	{
		mh_fail(err, MH_ENOMEM, "Could not allocate room for %u candidates.",
				(unsigned) capacity);
		return NULL;
	}
	for (i = 0; i < capacity; i++)
	{
		slots[i].candidate = 0;
		slots[i].votes = MH_COUNTER_EMPTY;
	}
	return slots;
}

static int
log2_of(uint32_t capacity)
{
	int			bits = 0;

	while ((UINT32_C(1) << bits) < capacity)
		bits++;
	return bits;
}

mh_status
mh_counter_init(mh_counter *c, const mh_allocator *alloc, mh_error *err)
{
	(void) err;					/* nothing to allocate yet */
	memset(c, 0, sizeof(*c));
	c->line = &c->own;
	c->line_keys = true;
	c->alloc = alloc;
	c->seed_multiplier = MH_COUNTER_FIBONACCI;
	c->arena_capacity = MH_COUNTER_FIRST_KEYS;
	return MH_OK;
}

bool
mh_counter_place_line(mh_counter *c, mh_counter_line *line, bool keys)
{
	if (c->ncandidates > 0 || c->line->capacity > 0 || c->arena_used > 0)
		return false;
	*line = *c->line;
	c->line = line;
	c->line_keys = keys;
	c->arena_capacity = keys ? MH_COUNTER_FIRST_KEYS : 0;
	return true;
}

/*
 * The fast paths a ballot may take now (counter.h's MH_FAST_*): every
 * general operation that may change the line ends here, on success or not.
 */
static void
update_fast(mh_counter *c)
{
	mh_counter_line *l = c->line;
	uint8_t		fast = 0;

	if (l->registered_state == MH_REGISTERED_UNKNOWN &&
		l->issued_state == MH_REGISTERED_UNKNOWN)
	{
		if (l->capacity > 0)
			fast = l->kind == MH_KEYS_TEXT ? MH_FAST_TABLE_TEXT : MH_FAST_TABLE;
		else if (l->cast <= MH_FAST_SMALL_ROOM && l->kind != MH_KEYS_NONE)
			fast = l->kind == MH_KEYS_TEXT ? MH_FAST_SMALL_TEXT : MH_FAST_SMALL;
	}
	l->fast = fast;
}

static inline mh_status
done(mh_counter *c, mh_status status)
{
	update_fast(c);
	return status;
}

/* The line's keys, where the small table keeps text keys and the arena starts; or NULL. */
static inline char *
keys_of(const mh_counter *c)
{
	return c->line_keys ? MH_LINE_KEYS(c->line) : NULL;
}

void
mh_counter_seed(mh_counter *c, uint64_t seed)
{
	/* SplitMix64's finalizer spreads any seed over all bits; odd for a bijection */
	seed += MH_COUNTER_FIBONACCI;
	seed = (seed ^ (seed >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	seed = (seed ^ (seed >> 27)) * UINT64_C(0x94D049BB133111EB);
	seed ^= seed >> 31;
	if (c->ncandidates == 0)
	{
		c->seed_multiplier = seed | 1;
		if (c->line->capacity > 0)
			c->line->u.table.multiplier = seed | 1;
	}
}

/* Whether the hash table's arena was allocated (it starts as the line's keys, if any). */
static inline bool
arena_allocated(const mh_counter *c)
{
	return c->line->capacity > 0 && c->line->u.table.arena != NULL &&
		c->line->u.table.arena != keys_of(c);
}

static void
arena_free(mh_counter *c)
{
	if (arena_allocated(c) && c->alloc->free != NULL)
		c->alloc->free(c->alloc->ctx, c->line->u.table.arena);
}

void
mh_counter_release(mh_counter *c)
{
	arena_free(c);
	if (c->line->capacity > 0 && c->alloc->free != NULL)
		c->alloc->free(c->alloc->ctx, c->line->u.table.slots);
	if (c->extra != NULL && c->alloc->free != NULL)
		c->alloc->free(c->alloc->ctx, c->extra);
	memset(&c->line->u, 0, sizeof(c->line->u));
	c->extra = NULL;
	c->line->capacity = 0;
	c->line->nsmall = 0;
	c->line->fast = 0;
	c->ncandidates = 0;
	c->key_bytes = 0;
	c->arena_used = 0;
	c->arena_capacity = c->line_keys ? MH_COUNTER_FIRST_KEYS : 0;
}

size_t
mh_counter_memory(const mh_counter *c)
{
	return sizeof(*c) + (size_t) c->line->capacity * sizeof(mh_vote) +
		(arena_allocated(c) ? c->arena_capacity : 0) +
		(c->extra != NULL ? sizeof(mh_counter_extra) : 0);
}

/*
 * The counter's candidates, whichever table holds them: entry i, for i <
 * nentries(c), to *v; false for an empty slot.
 */
static inline uint32_t
nentries(const mh_counter *c)
{
	return c->line->capacity == 0 ? c->line->nsmall : c->line->capacity;
}

static inline bool
entry(const mh_counter *c, uint32_t i, mh_vote *v)
{
	if (c->line->capacity == 0)
	{
		v->candidate = c->line->u.small[i];
		v->votes = c->line->small_votes[i];
		return true;
	}
	*v = c->line->u.table.slots[i];
	return v->votes != MH_COUNTER_EMPTY;
}

/* The home slot of an occupied slot, whatever the key kind. */
static inline uint32_t
slot_home(const mh_counter *c, const mh_vote *v)
{
	if (c->line->kind == MH_KEYS_TEXT)
		return (uint32_t) (((uint64_t) v->candidate >> 32) >> (c->line->shift - 32));
	return mh_counter_home(c->line, v->candidate);
}

/* Puts a candidate known to be absent into the hash table's first free slot from its home. */
static inline void
place(mh_counter *c, const mh_vote *v)
{
	uint32_t	mask = c->line->capacity - 1;
	uint32_t	s = slot_home(c, v);

	while (c->line->u.table.slots[s].votes != MH_COUNTER_EMPTY)
		s = (s + 1) & mask;
	c->line->u.table.slots[s] = *v;
}

/* Doubles the table; keeps the load factor at or below 3/4. */
static mh_status
grow(mh_counter *c, mh_error *err)
{
	uint32_t	old_capacity = c->line->capacity;
	mh_vote    *old = c->line->u.table.slots;
	mh_vote    *slots;
	uint32_t	i;

	slots = alloc_slots(c->alloc, old_capacity * 2, err);
	if (slots == NULL)
		return MH_ENOMEM;
	c->line->u.table.slots = slots;
	c->line->capacity = old_capacity * 2;
	c->line->shift--;
	for (i = 0; i < old_capacity; i++)
	{
		mh_check_interrupts(c->alloc, i);
		if (old[i].votes != MH_COUNTER_EMPTY)
			place(c, &old[i]);
	}
	if (c->alloc->free != NULL)
		c->alloc->free(c->alloc->ctx, old);
	return MH_OK;
}

/* Room for one more candidate: MH_ETOOBIG at the limit, else grows at 3/4. */
static mh_status
make_room(mh_counter *c, mh_error *err)
{
	if (c->ncandidates >= MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG, "A count may name at most %u candidates.",
					   (unsigned) MH_TALLY_MAX_CANDIDATES);
	if ((uint64_t) (c->ncandidates + 1) * 4 > (uint64_t) c->line->capacity * 3)
		return grow(c, err);
	return MH_OK;
}

/* Writes a text key's arena entry (its length, then its bytes) at offset arena_used of arena. */
static void
put_key(mh_counter *c, char *arena, const char *key, uint32_t len)
{
	memcpy(arena + c->arena_used, &len, sizeof(len));
	memcpy(arena + c->arena_used + sizeof(len), key, len);
	c->arena_used += sizeof(len) + len;
}

/*
 * Moves the small table's candidates into a hash table, for good: when a
 * fourth candidate comes, a count outgrows 32 bits or the line's keys, or
 * a ballot is taken back.  The text keys stay where they are, in the
 * line's keys, which become the arena's first.  On MH_ENOMEM nothing changed.
 */
static mh_status
spill(mh_counter *c, mh_error *err)
{
	int64_t		small[MH_COUNTER_SMALL];
	uint32_t	n = c->line->nsmall;
	mh_vote    *slots = alloc_slots(c->alloc, MH_COUNTER_INITIAL_CAPACITY, err);

	if (slots == NULL)
		return MH_ENOMEM;
	memcpy(small, c->line->u.small, sizeof(small));	/* the union's table overlays them */
	c->line->cast = mh_counter_cast(c); /* the hash table's votes are in cast */
	c->line->capacity = MH_COUNTER_INITIAL_CAPACITY;
	c->line->shift = 64 - log2_of(MH_COUNTER_INITIAL_CAPACITY);
	c->line->u.table.multiplier = c->seed_multiplier;
	c->line->u.table.slots = slots;
	c->line->u.table.arena = keys_of(c);
	c->line->nsmall = 0;
	for (uint32_t i = 0; i < n; i++)
	{
		mh_vote		v = {small[i], c->line->small_votes[i]};

		if (c->line->kind == MH_KEYS_TEXT)
		{
			uint32_t	len;
			const char *key = mh_counter_key(c, v.candidate, &len);
			uint64_t	h = mh_key_hash(key, len, c->line->u.table.multiplier);

			v.candidate = (int64_t) ((h >> 32) << 32 | (uint32_t) v.candidate);
		}
		place(c, &v);
	}
	return MH_OK;
}

/* The small table's entry of a candidate, or -1. */
static int
small_find(const mh_counter *c, int64_t candidate, const char *key, uint32_t len)
{
	for (uint32_t i = 0; i < c->line->nsmall; i++)
	{
		const char *k;
		uint32_t	klen;

		if (key == NULL)
		{
			if (c->line->u.small[i] == candidate)
				return (int) i;
			continue;
		}
		k = mh_counter_key(c, c->line->u.small[i], &klen);
		if (klen == len && memcmp(k, key, len) == 0)
			return (int) i;
	}
	return -1;
}

/*
 * Adds votes (>= 0) to a candidate in the small table, inserting it if
 * new, when the table has room and its count fits in 32 bits; *done says
 * whether it did.  A new text key is checked first.
 */
static mh_status
small_add(mh_counter *c, int64_t candidate, const char *key, uint32_t len,
		  int64_t votes, bool *done, mh_error *err)
{
	int			i = small_find(c, candidate, key, len);
	mh_status	status;

	*done = false;
	if (i >= 0)
	{
		if (votes > INT32_MAX - c->line->small_votes[i])
			return MH_OK;
		c->line->small_votes[i] += (int32_t) votes;
		c->line->cast -= votes; /* counted in cast already: see mh_counter_cast */
		*done = true;
		return MH_OK;
	}
	if (c->line->nsmall >= MH_COUNTER_SMALL || votes > INT32_MAX ||
		(key != NULL && (!c->line_keys ||
						 c->arena_used + sizeof(len) + len > MH_COUNTER_FIRST_KEYS)))
		return MH_OK;
	if (key != NULL)
	{
		if ((status = mh_key_check(key, len, err)) != MH_OK)
			return status;
		candidate = (int64_t) ((uint64_t) mh_key_tag(key, len) << 32 | (uint32_t) c->arena_used);
		put_key(c, keys_of(c), key, len);
		c->key_bytes += len;
	}
	c->line->u.small[c->line->nsmall] = candidate;
	c->line->small_votes[c->line->nsmall] = (int32_t) votes;
	c->line->cast -= votes;
	c->line->nsmall++;
	c->ncandidates++;
	c->line->kind = key != NULL ? MH_KEYS_TEXT : MH_KEYS_INT;
	*done = true;
	return MH_OK;
}

/* The candidate's slot, inserted with 0 votes if it was not there. */
static inline mh_status
find_or_insert(mh_counter *c, int64_t candidate, mh_vote **slot, mh_error *err)
{
	uint32_t	mask = c->line->capacity - 1;
	uint32_t	s = mh_counter_home(c->line, candidate);

	if (c->line->kind == MH_KEYS_TEXT)
		return mh_kind_mismatch(MH_KEYS_TEXT, MH_KEYS_INT, err);
	for (;;)
	{
		mh_vote    *v = &c->line->u.table.slots[s];

		if (v->votes == MH_COUNTER_EMPTY)
			break;
		if (v->candidate == candidate)
		{
			*slot = v;
			return MH_OK;
		}
		s = (s + 1) & mask;
	}

	if ((uint64_t) (c->ncandidates + 1) * 4 > (uint64_t) c->line->capacity * 3 ||
		c->ncandidates >= MH_TALLY_MAX_CANDIDATES)
	{
		mh_status	status = make_room(c, err);

		if (status != MH_OK)
			return status;
		return find_or_insert(c, candidate, slot, err);
	}
	c->line->u.table.slots[s].candidate = candidate;
	c->line->u.table.slots[s].votes = 0;
	c->ncandidates++;
	c->line->kind = MH_KEYS_INT;
	*slot = &c->line->u.table.slots[s];
	return MH_OK;
}

/*
 * Copies the arena entries of the keys in the table into a new arena of
 * capacity bytes, back to back, and points their slots at them.  A key
 * whose votes fell to zero left its entry behind; without this, a moving
 * window over many keys would grow the arena with every key it ever saw.
 */
static mh_status
arena_compact(mh_counter *c, size_t capacity, mh_error *err)
{
	char	   *arena = c->alloc->alloc(c->alloc->ctx, capacity);
	size_t		used = 0;
	uint32_t	i;

	if (arena == NULL)
		return mh_fail(err, MH_ENOMEM, "Could not allocate %zu bytes of text keys.", capacity);
	for (i = 0; i < c->line->capacity; i++)
	{
		mh_vote    *v = &c->line->u.table.slots[i];
		uint32_t	len;

		mh_check_interrupts(c->alloc, i);
		if (v->votes == MH_COUNTER_EMPTY)
			continue;
		(void) mh_counter_key(c, v->candidate, &len);
		memcpy(arena + used, c->line->u.table.arena + (uint32_t) v->candidate, sizeof(len) + len);
		v->candidate = (int64_t) (((uint64_t) v->candidate >> 32) << 32 | (uint32_t) used);
		used += sizeof(len) + len;
	}
	arena_free(c);
	c->line->u.table.arena = arena;
	c->arena_capacity = capacity;
	c->arena_used = used;
	return MH_OK;
}

/*
 * Appends a text key to the arena; its offset goes to *offset.  When the
 * arena is full and at least half of it belongs to keys no longer in the
 * table, it is rebuilt with the live keys only (with room for as much
 * again), else it doubles.
 */
static mh_status
arena_append(mh_counter *c, const char *key, uint32_t len, uint32_t *offset,
			 mh_error *err)
{
	size_t		need = sizeof(uint32_t) + len;

	if (c->arena_used + need > c->arena_capacity)
	{
		uint64_t	live = c->key_bytes + (uint64_t) c->ncandidates * sizeof(uint32_t);
		bool		compact = c->arena_used > 0 && live <= c->arena_used / 2;
		uint64_t	want = (compact ? live : c->arena_used) + need;
		uint64_t	capacity = compact || c->arena_capacity == 0 ? MH_COUNTER_INITIAL_ARENA : c->arena_capacity;
		mh_status	status;

		if (want > UINT32_MAX)
			return mh_fail(err, MH_ETOOBIG,
						   "The count's text keys take more than %u bytes.", (unsigned) UINT32_MAX);
		while (capacity < (compact ? 2 * want : want))
			capacity *= 2;
		if (capacity > UINT32_MAX)
			capacity = UINT32_MAX;
		if (compact)
		{
			if ((status = arena_compact(c, (size_t) capacity, err)) != MH_OK)
				return status;
		}
		else
		{
			char	   *arena = c->alloc->alloc(c->alloc->ctx, (size_t) capacity);

			if (arena == NULL)
				return mh_fail(err, MH_ENOMEM, "Could not allocate %zu bytes of text keys.",
							   (size_t) capacity);
			if (c->arena_used > 0)
				memcpy(arena, c->line->u.table.arena, c->arena_used);
			arena_free(c);
			c->line->u.table.arena = arena;
			c->arena_capacity = (size_t) capacity;
		}
	}
	*offset = (uint32_t) c->arena_used;
	put_key(c, c->line->u.table.arena, key, len);
	return MH_OK;
}

/* The slot of a text key, or of the empty slot where it would go. */
static inline mh_vote *
probe_key(const mh_counter *c, const char *key, uint32_t len, uint64_t h)
{
	uint32_t	mask = c->line->capacity - 1;
	uint32_t	s = (uint32_t) (h >> c->line->shift);
	uint32_t	tag = (uint32_t) (h >> 32);

	for (;;)
	{
		mh_vote    *v = &c->line->u.table.slots[s];

		if (v->votes == MH_COUNTER_EMPTY)
			return v;
		if ((uint32_t) ((uint64_t) v->candidate >> 32) == tag)
		{
			uint32_t	klen;
			const char *k = mh_counter_key(c, v->candidate, &klen);

			if (klen == len && memcmp(k, key, len) == 0)
				return v;
		}
		s = (s + 1) & mask;
	}
}

/*
 * The slot of a text key, inserted with 0 votes if it was not there.  A
 * new key is checked (UTF-8, no NUL, length) before it is kept.
 */
static mh_status
find_or_insert_key(mh_counter *c, const char *key, uint32_t len, mh_vote **slot,
				   mh_error *err)
{
	uint64_t	h = mh_key_hash(key, len, c->line->u.table.multiplier);
	mh_vote    *v;
	uint32_t	offset = 0;
	mh_status	status;

	if (c->line->kind == MH_KEYS_INT)
		return mh_kind_mismatch(MH_KEYS_INT, MH_KEYS_TEXT, err);
	v = probe_key(c, key, len, h);
	if (v->votes != MH_COUNTER_EMPTY)
	{
		*slot = v;
		return MH_OK;
	}
	if ((status = mh_key_check(key, len, err)) != MH_OK)
		return status;
	if ((uint64_t) (c->ncandidates + 1) * 4 > (uint64_t) c->line->capacity * 3 ||
		c->ncandidates >= MH_TALLY_MAX_CANDIDATES)
	{
		if ((status = make_room(c, err)) != MH_OK)
			return status;
		v = probe_key(c, key, len, h);
	}
	if ((status = arena_append(c, key, len, &offset, err)) != MH_OK)
		return status;
	v->candidate = (int64_t) ((h >> 32) << 32 | offset);
	v->votes = 0;
	c->ncandidates++;
	c->key_bytes += len;
	c->line->kind = MH_KEYS_TEXT;
	*slot = v;
	return MH_OK;
}

static inline mh_vote *
find(const mh_counter *c, int64_t candidate)
{
	uint32_t	mask = c->line->capacity - 1;
	uint32_t	s = mh_counter_home(c->line, candidate);

	while (c->line->u.table.slots[s].votes != MH_COUNTER_EMPTY)
	{
		if (c->line->u.table.slots[s].candidate == candidate)
			return &c->line->u.table.slots[s];
		s = (s + 1) & mask;
	}
	return NULL;
}

/* Removes an occupied slot, shifting later members of its run back. */
static void
delete_slot(mh_counter *c, mh_vote *v)
{
	uint32_t	mask = c->line->capacity - 1;
	uint32_t	hole = (uint32_t) (v - c->line->u.table.slots);
	uint32_t	s = hole;

	for (;;)
	{
		uint32_t	home;

		s = (s + 1) & mask;
		if (c->line->u.table.slots[s].votes == MH_COUNTER_EMPTY)
			break;
		home = slot_home(c, &c->line->u.table.slots[s]);
		/* Move s into the hole unless its home lies cyclically in (hole, s]. */
		if (((s - home) & mask) >= ((s - hole) & mask))
		{
			c->line->u.table.slots[hole] = c->line->u.table.slots[s];
			hole = s;
		}
	}
	c->line->u.table.slots[hole].votes = MH_COUNTER_EMPTY;
	c->ncandidates--;
}

/* Forgets a text key's slot (its arena bytes stay, unused). */
static void
delete_key_slot(mh_counter *c, mh_vote *v)
{
	uint32_t	len;

	(void) mh_counter_key(c, v->candidate, &len);
	c->key_bytes -= len;
	delete_slot(c, v);
}

/*
 * The counts of votes given row by row (ballots or candidate totals):
 * never negative, added to cast, and the registered voters become unknown.
 * Returns true when they were blank or invalid, and so are fully counted.
 */
static mh_status
add_row_counts(mh_counter *c, bool is_invalid, const char *who, int64_t votes,
			   mh_error *err)
{
	int64_t		total;

	if (votes < 0)
		return is_invalid ?
			mh_fail(err, MH_ENEGATIVE,
					"Blank or invalid ballots number %" PRId64 ", but counts cannot be negative.",
					votes) :
			mh_fail(err, MH_ENEGATIVE,
					"Candidate %s has %" PRId64 " votes, but counts cannot be negative.",
					who, votes);
	if (mh_add_overflow(mh_counter_cast(c), votes, &total))
		return mh_fail(err, MH_EOVERFLOW, "Ballots cast add up beyond the 64-bit range.");
	c->line->cast += votes;		/* no more than total */
	/* a ballot's voters are not registered in any known part */
	c->line->registered_state = MH_REGISTERED_UNKNOWN;
	c->registered = 0;
	c->line->issued_state = MH_REGISTERED_UNKNOWN;
	if (c->extra != NULL)
		c->extra->issued = 0;
	/* invalid <= cast, so it cannot overflow once cast did not */
	if (is_invalid)
	{
		c->invalid += votes;
		if (votes > 0)
			c->blank_unknown = true;
	}
	return MH_OK;
}

/*
 * Votes (>= 0) for one candidate, keyed by a number or (key != NULL) by
 * text: in the small table while it can take them, else in the hash table.
 */
static mh_status
add_candidate_votes(mh_counter *c, int64_t candidate, const char *key,
					uint32_t len, int64_t votes, mh_error *err)
{
	mh_vote    *v = NULL;
	mh_status	status;
	char		label[MH_LABEL_SIZE];

	if (c->line->capacity == 0)
	{
		bool		done;

		if (c->line->kind != MH_KEYS_NONE && c->line->kind != (key != NULL ? MH_KEYS_TEXT : MH_KEYS_INT))
			return mh_kind_mismatch(c->line->kind, key != NULL ? MH_KEYS_TEXT : MH_KEYS_INT, err);
		if ((status = small_add(c, candidate, key, len, votes, &done, err)) != MH_OK || done)
			return status;
		if ((status = spill(c, err)) != MH_OK)
			return status;
	}
	status = key != NULL ? find_or_insert_key(c, key, len, &v, err) :
		find_or_insert(c, candidate, &v, err);
	if (status != MH_OK)
		return status;
	if (mh_add_overflow(v->votes, votes, &v->votes))
	{
		if (key != NULL)
			mh_key_label(key, len, label);
		else
			snprintf(label, sizeof(label), "%" PRId64, candidate);
		return mh_fail(err, MH_EOVERFLOW,
					   "Votes for candidate %s add up beyond the 64-bit range.", label);
	}
	return MH_OK;
}

mh_status
mh_counter_add_votes(mh_counter *c, bool is_invalid, int64_t candidate,
					 int64_t votes, mh_error *err)
{
	mh_status	status;
	char		label[MH_LABEL_SIZE] = "";

	if (votes < 0 && !is_invalid)
		snprintf(label, sizeof(label), "%" PRId64, candidate);
	if ((status = add_row_counts(c, is_invalid, label, votes, err)) != MH_OK || is_invalid)
		return done(c, status);
	return done(c, add_candidate_votes(c, candidate, NULL, 0, votes, err));
}

mh_status
mh_counter_add_key_votes(mh_counter *c, bool is_invalid, const char *key,
						 uint32_t len, int64_t votes, mh_error *err)
{
	mh_status	status;
	char		label[MH_LABEL_SIZE] = "";

	if (votes < 0 && !is_invalid)
		mh_key_label(key, len, label);
	if ((status = add_row_counts(c, is_invalid, label, votes, err)) != MH_OK || is_invalid)
		return done(c, status);
	return done(c, add_candidate_votes(c, 0, key, len, votes, err));
}

/* Takes back one ballot: blank or invalid, or for the candidate of slot v. */
static mh_status
remove_ballot(mh_counter *c, bool is_invalid, mh_vote *v, const char *who,
			  mh_error *err)
{
	if (mh_counter_cast(c) <= 0)
		return mh_fail(err, MH_EINCONSISTENT, "No ballot is left to take back.");
	if (is_invalid)
	{
		if (c->invalid <= 0)
			return mh_fail(err, MH_EINCONSISTENT,
						   "No blank or invalid ballot is left to take back.");
		c->invalid--;
		c->blank_unknown = true;	/* blank or not, nobody said */
	}
	else
	{
		if (v == NULL || v->votes <= 0)
			return mh_fail(err, MH_EINCONSISTENT,
						   "No ballot for candidate %s is left to take back.", who);
		if (--v->votes == 0)
		{
			if (c->line->kind == MH_KEYS_TEXT)
				delete_key_slot(c, v);
			else
				delete_slot(c, v);
		}
	}
	c->line->cast--;
	return MH_OK;
}

mh_status
mh_counter_remove_ballot(mh_counter *c, bool is_invalid, int64_t candidate,
						 mh_error *err)
{
	char		label[MH_LABEL_SIZE];
	mh_status	status;

	/* the small table keeps no holes: its candidates move to a hash table */
	if (!is_invalid && c->line->capacity == 0 && (status = spill(c, err)) != MH_OK)
		return done(c, status);
	snprintf(label, sizeof(label), "%" PRId64, candidate);
	return done(c, remove_ballot(c, is_invalid,
						 is_invalid || c->line->kind == MH_KEYS_TEXT ? NULL : find(c, candidate),
						 label, err));
}

mh_status
mh_counter_remove_key_ballot(mh_counter *c, bool is_invalid, const char *key,
							 uint32_t len, mh_error *err)
{
	char		label[MH_LABEL_SIZE];
	mh_vote    *v = NULL;
	mh_status	status;

	if (!is_invalid && c->line->capacity == 0 && (status = spill(c, err)) != MH_OK)
		return done(c, status);
	if (!is_invalid && c->line->kind == MH_KEYS_TEXT)
	{
		v = probe_key(c, key, len, mh_key_hash(key, len, c->line->u.table.multiplier));
		if (v->votes == MH_COUNTER_EMPTY)
			v = NULL;
	}
	return done(c, remove_ballot(c, is_invalid, v, mh_key_label(key, len, label), err));
}

/* Registered voters of the union of two parts (see mh_registered_state). */
static mh_status
merge_registered(mh_counter *c, mh_registered_state state, int64_t registered,
				 mh_error *err)
{
	if (state == MH_REGISTERED_NONE)
		return MH_OK;
	if (c->line->registered_state == MH_REGISTERED_NONE)
	{
		c->line->registered_state = state;
		c->registered = registered;
	}
	else if (c->line->registered_state == MH_REGISTERED_KNOWN && state == MH_REGISTERED_KNOWN)
	{
		if (mh_add_overflow(c->registered, registered, &c->registered))
			return mh_fail(err, MH_EOVERFLOW,
						   "Registered voters add up beyond the 64-bit range.");
	}
	else
	{
		c->line->registered_state = MH_REGISTERED_UNKNOWN;
		c->registered = 0;
	}
	return MH_OK;
}

/*
 * The trailer of a part (tally.h): blank known only if every part knows
 * it, issued as registered, parts and provisional added.
 */
static mh_status
merge_extra(mh_counter *c, bool blank_known, int64_t blank,
			mh_registered_state issued_state, int64_t issued, int64_t parts,
			int64_t provisional, mh_error *err)
{
	mh_counter_extra *x = c->extra;

	if (x == NULL && (blank != 0 || issued != 0 || parts != 0 || provisional != 0))
	{
		x = c->alloc->alloc(c->alloc->ctx, sizeof(mh_counter_extra));
		if (x == NULL)
			return mh_fail(err, MH_ENOMEM, "Could not allocate room for a count's parts.");
		memset(x, 0, sizeof(*x));
		c->extra = x;
	}
	/* with no blank or invalid ballot (any more), blank is known: 0 */
	if (c->invalid == 0)
	{
		c->blank_unknown = false;
		if (x != NULL)
			x->blank = 0;
	}
	if (!blank_known)
		c->blank_unknown = true;
	else if (!c->blank_unknown && blank != 0 && mh_add_overflow(x->blank, blank, &x->blank))
		return mh_fail(err, MH_EOVERFLOW, "Blank ballots add up beyond the 64-bit range.");
	if (issued_state != MH_REGISTERED_NONE)
	{
		if (c->line->issued_state == MH_REGISTERED_NONE)
		{
			c->line->issued_state = (uint8_t) issued_state;
			if (x != NULL)
				x->issued = issued_state == MH_REGISTERED_KNOWN ? issued : 0;
		}
		else if (c->line->issued_state == MH_REGISTERED_KNOWN && issued_state == MH_REGISTERED_KNOWN)
		{
			if (issued != 0 && mh_add_overflow(x->issued, issued, &x->issued))
				return mh_fail(err, MH_EOVERFLOW, "Ballots issued add up beyond the 64-bit range.");
		}
		else
		{
			c->line->issued_state = MH_REGISTERED_UNKNOWN;
			if (x != NULL)
				x->issued = 0;
		}
	}
	if (x != NULL &&
		(mh_add_overflow(x->parts, parts, &x->parts) ||
		 mh_add_overflow(x->provisional, provisional, &x->provisional)))
		return mh_fail(err, MH_EOVERFLOW, "Parts add up beyond the 64-bit range.");
	return MH_OK;
}

/* The trailer the counter's tally gets. */
static void
counter_extra(const mh_counter *c, mh_tally_extra *x)
{
	const mh_counter_extra *e = c->extra;

	*x = MH_TALLY_EXTRA_NONE;
	x->blank_known = !c->blank_unknown || c->invalid == 0;
	x->blank = x->blank_known && c->invalid > 0 && e != NULL ? e->blank : 0;
	x->issued_known = c->line->issued_state == MH_REGISTERED_KNOWN;
	x->issued = x->issued_known && e != NULL ? e->issued : 0;
	x->parts = e != NULL ? e->parts : 0;
	x->provisional = e != NULL ? e->provisional : 0;
}

/* Adds cast and invalid of a part; the candidates follow one by one. */
static mh_status
add_part_counts(mh_counter *c, int64_t cast, int64_t invalid, mh_error *err)
{
	int64_t		total;

	if (mh_add_overflow(mh_counter_cast(c), cast, &total))
		return mh_fail(err, MH_EOVERFLOW, "Ballots cast add up beyond the 64-bit range.");
	c->line->cast += cast;		/* no more than total */
	if (mh_add_overflow(c->invalid, invalid, &c->invalid))
		return mh_fail(err, MH_EOVERFLOW,
					   "Blank or invalid ballots add up beyond the 64-bit range.");
	return MH_OK;
}

mh_status
mh_counter_add_tally(mh_counter *c, const mh_tally *t, mh_error *err)
{
	mh_status	status;
	uint32_t	i;
	bool		text_keys = mh_tally_key_kind(t) == MH_KEYS_TEXT;

	/* the kinds are checked before anything is counted */
	if (c->line->kind != MH_KEYS_NONE && mh_tally_key_kind(t) != MH_KEYS_NONE &&
		c->line->kind != mh_tally_key_kind(t))
		return done(c, mh_kind_mismatch(c->line->kind, mh_tally_key_kind(t), err));

	status = merge_registered(c, mh_tally_registered_known(t) ?
							  MH_REGISTERED_KNOWN : MH_REGISTERED_UNKNOWN,
							  t->registered, err);
	if (status == MH_OK)
	{
		mh_tally_extra x;

		mh_tally_get_extra(t, &x);
		status = merge_extra(c, x.blank_known, x.blank,
							 x.issued_known ? MH_REGISTERED_KNOWN : MH_REGISTERED_UNKNOWN,
							 x.issued, x.parts, x.provisional, err);
	}
	if (status == MH_OK)
		status = add_part_counts(c, t->cast, t->invalid, err);
	for (i = 0; status == MH_OK && i < t->ncandidates; i++)
	{
		const char *key = NULL;
		uint32_t	len = 0;

		mh_check_interrupts(c->alloc, i);
		if (text_keys)
			mh_tally_key(t, i, &key, &len);
		status = add_candidate_votes(c, t->votes[i].candidate, key, len,
									 t->votes[i].votes, err);
	}
	return done(c, status);
}

mh_status
mh_counter_merge(mh_counter *c, const mh_counter *other, mh_error *err)
{
	mh_status	status;
	uint32_t	i;

	/* it would read its entries while adding to them, across a rehash */
	if (other == c)
		return mh_fail(err, MH_EARGUMENT, "A count cannot be merged into itself.");
	if (c->line->kind != MH_KEYS_NONE && other->ncandidates > 0 && c->line->kind != other->line->kind)
		return done(c, mh_kind_mismatch(c->line->kind, other->line->kind, err));
	status = merge_registered(c, other->line->registered_state, other->registered, err);
	if (status == MH_OK)
	{
		mh_tally_extra x;

		counter_extra(other, &x);
		status = merge_extra(c, x.blank_known, x.blank,
							 (mh_registered_state) other->line->issued_state,
							 x.issued, x.parts, x.provisional, err);
	}
	if (status == MH_OK)
		status = add_part_counts(c, mh_counter_cast(other), other->invalid, err);
	for (i = 0; status == MH_OK && i < nentries(other); i++)
	{
		mh_vote		v;
		const char *key = NULL;
		uint32_t	len = 0;

		mh_check_interrupts(c->alloc, i);
		if (!entry(other, i, &v))
			continue;
		if (other->line->kind == MH_KEYS_TEXT)
			key = mh_counter_key(other, v.candidate, &len);
		status = add_candidate_votes(c, v.candidate, key, len, v.votes, err);
	}
	return done(c, status);
}

size_t
mh_counter_tally_size(const mh_counter *c)
{
	mh_tally_extra x;

	counter_extra(c, &x);
	return mh_tally_size(c->ncandidates) + (c->line->kind == MH_KEYS_TEXT ? c->key_bytes : 0) +
		mh_trailer_size(mh_extra_flags(&x, c->invalid));
}

/*
 * While mh_counter_to_tally sorts text keys, a vote's candidate holds the
 * address of the key's arena entry.
 */
static int
compare_arena_entries(const void *a, const void *b)
{
	const char *x = (const char *) (intptr_t) ((const mh_vote *) a)->candidate;
	const char *y = (const char *) (intptr_t) ((const mh_vote *) b)->candidate;
	uint32_t	xlen,
				ylen;

	memcpy(&xlen, x, sizeof(xlen));
	memcpy(&ylen, y, sizeof(ylen));
	return mh_key_compare(x + sizeof(xlen), xlen, y + sizeof(ylen), ylen);
}

void
mh_counter_to_tally(const mh_counter *c, mh_tally *out)
{
	bool		text_keys = c->line->kind == MH_KEYS_TEXT && c->ncandidates > 0;
	uint32_t	i,
				n = 0;
	char	   *area;
	size_t		off = 0;
	mh_tally_extra x;

	counter_extra(c, &x);
	mh_tally_init(out, c->ncandidates, text_keys,
				  c->line->registered_state == MH_REGISTERED_KNOWN,
				  c->registered, mh_counter_cast(c), c->invalid);
	for (i = 0; i < nentries(c); i++)
	{
		mh_vote		v;

		mh_check_interrupts(c->alloc, i);
		if (entry(c, i, &v))
		{
			if (text_keys)
				v.candidate = (int64_t) (intptr_t) (mh_counter_arena(c) + (uint32_t) v.candidate);
			out->votes[n++] = v;
		}
	}
	/* candidates are unique in the table, so sorting cannot fail */
	if (!text_keys)
	{
		(void) mh_votes_sort_alloc(out->votes, n, c->alloc, NULL);
		mh_tally_put_extra(out, &x);
		return;
	}
	mh_sort(out->votes, n, sizeof(mh_vote), compare_arena_entries, c->alloc);
	area = (char *) (out->votes + n);
	for (i = 0; i < n; i++)
	{
		const char *entry = (const char *) (intptr_t) out->votes[i].candidate;
		uint32_t	len;

		mh_check_interrupts(c->alloc, i);
		memcpy(&len, entry, sizeof(len));
		memcpy(area + off, entry + sizeof(len), len);
		out->votes[i].candidate = mh_key_pack((uint32_t) off, len);
		off += len;
	}
	mh_tally_put_extra(out, &x);
}

/* The leader's candidate (a number, or a text key's offset), as mh_counter_leader. */
static bool
leader(const mh_counter *c, int64_t *candidate)
{
	int64_t		best = 0;
	bool		unique = false;
	uint32_t	i;

	for (i = 0; i < nentries(c); i++)
	{
		mh_vote		v;

		if (!entry(c, i, &v))
			continue;
		if (v.votes > best)
		{
			best = v.votes;
			*candidate = v.candidate;
			unique = true;
		}
		else if (v.votes == best && best > 0)
			unique = false;
	}
	return unique;
}

bool
mh_counter_leader(const mh_counter *c, int64_t *candidate)
{
	return c->line->kind != MH_KEYS_TEXT && leader(c, candidate);
}

bool
mh_counter_leader_key(const mh_counter *c, const char **key, uint32_t *len)
{
	int64_t		candidate;

	if (c->line->kind != MH_KEYS_TEXT || !leader(c, &candidate))
		return false;
	*key = mh_counter_key(c, candidate, len);
	return true;
}
