/*-------------------------------------------------------------------------
 *
 * tally.h
 *	  The tally: the exact count of one constituency or part of one.
 *
 * A tally is one flat, self-contained block of memory, so that the same
 * bytes serve as the in-memory value, the on-disk value (behind the SQL
 * layer's varlena header) and the input of every rule:
 *
 *	 version, flags, reserved, ncandidates	  8 bytes
 *	 registered, cast, invalid				 24 bytes
 *	 (candidate, votes) x ncandidates		 16 bytes each, candidates
 *											 strictly ascending
 *	 key bytes								 text keys only
 *	 trailer: blank, issued, parts,			  8 bytes each, only those
 *	   provisional							 whose flag is set
 *
 * Candidates are keyed by numbers (bigint) or by text: the key kind is a
 * property of the tally, flag MH_TALLY_TEXT_KEYS.  With text keys each
 * candidate field packs the key's offset in the key area (high 32 bits)
 * and its length in bytes (low 32 bits); the keys follow the votes, in
 * the same order, back to back.  Text keys are valid UTF-8 without NUL,
 * at most MH_KEY_MAX_BYTES bytes, and compare bytewise (memcmp, a prefix
 * first), whatever the collation: equal tallies have equal bytes.  A tally
 * with no candidates has no key kind, so it adds to either kind.
 *
 * The trailer (since 0.2.0) holds what a protocol may record beyond the
 * 1994 figures, each field an int64 in native byte order (read and
 * written with memcpy: it need not be aligned), present only when its
 * flag is set, always in this order:
 *	 - blank (MH_TALLY_BLANK_KNOWN): the blank ballots among invalid, so
 *	   invalid keeps its meaning, "blank or invalid".  Blank is known when
 *	   the flag is set or when invalid is 0 (then it is 0, and not stored);
 *	 - issued (MH_TALLY_ISSUED_KNOWN): ballots issued, the voters admitted;
 *	 - parts and provisional (MH_TALLY_PARTS, set iff parts > 0): how many
 *	   parts (station protocols) the tally holds, and how many of them are
 *	   provisional.  A tally with parts > 0 and provisional 0 is final;
 *	   one without the flag has no parts mark (parts 0, as in 0.1.0).
 * A tally without these flags has no trailer: the bytes of 0.1.0.
 *
 * Invariants (mh_tally_check tests every one of them):
 *	 - version is MH_TALLY_VERSION, no unknown flag, reserved is 0;
 *	 - every count is >= 0; registered is 0 when it is not known;
 *	 - candidates strictly ascending (so no duplicates);
 *	 - text keys: the flag only with candidates; keys tile the key area
 *	   exactly, each valid UTF-8;
 *	 - sum(votes) + invalid <= cast, computed without overflow;
 *	 - cast <= registered when registered is known;
 *	 - the trailer is canonical: blank stored only when invalid > 0,
 *	   parts only when > 0; its size matches its flags;
 *	 - 0 <= blank <= invalid; 0 <= issued, and issued <= registered when
 *	   both are known (like cast: ballots go to registered voters; issued
 *	   and cast apart is a warning of protocol_problems, not an error);
 *	   0 <= provisional <= parts.
 *
 * Adding two tallies adds parts and provisional (so a sum is final only
 * when every part is), and keeps blank and issued known only when both
 * know them, like registered.  Each rule is associative and commutative,
 * as parallel and partial aggregation need.
 *
 * src/core/tally.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_TALLY_H
#define MASLIHAT_TALLY_H

#include "mh_common.h"

#define MH_TALLY_VERSION			1
#define MH_TALLY_REGISTERED_KNOWN	0x01	/* registered holds a number */
#define MH_TALLY_TEXT_KEYS			0x02	/* candidates keyed by text */
#define MH_TALLY_BLANK_KNOWN		0x04	/* the trailer holds blank */
#define MH_TALLY_ISSUED_KNOWN		0x08	/* the trailer holds issued */
#define MH_TALLY_PARTS				0x10	/* the trailer holds parts, provisional */
#define MH_TALLY_TRAILER_FLAGS		0x1C
#define MH_TALLY_FLAGS_ALL			0x1F

/* The longest text key, in bytes. */
#define MH_KEY_MAX_BYTES			65535

typedef enum mh_key_kind
{
	MH_KEYS_NONE = 0,			/* no candidates yet: either kind fits */
	MH_KEYS_INT,
	MH_KEYS_TEXT
} mh_key_kind;

/*
 * At most 2^25 candidates (512 MiB of votes): well under PostgreSQL's 1 GB
 * value limit, and far beyond any real constituency.
 */
#define MH_TALLY_MAX_CANDIDATES		(1U << 25)

typedef struct mh_vote
{
	int64_t		candidate;
	int64_t		votes;
} mh_vote;

typedef struct mh_tally
{
	uint8_t		version;
	uint8_t		flags;
	uint16_t	reserved;
	uint32_t	ncandidates;
	int64_t		registered;		/* 0 unless MH_TALLY_REGISTERED_KNOWN */
	int64_t		cast;			/* ballots cast */
	int64_t		invalid;		/* blank or invalid ballots */
	mh_vote		votes[];		/* ascending by candidate */
} mh_tally;

#define MH_TALLY_HEADER_SIZE	offsetof(mh_tally, votes)

/*
 * The trailer's fields, unpacked (mh_tally_get_extra).  blank_known is
 * also true when invalid is 0 (blank is then 0); parts 0 is no parts mark.
 */
typedef struct mh_tally_extra
{
	bool		blank_known;
	int64_t		blank;
	bool		issued_known;
	int64_t		issued;
	int64_t		parts;
	int64_t		provisional;
} mh_tally_extra;

#define MH_TALLY_EXTRA_NONE ((mh_tally_extra) {false, 0, false, 0, 0, 0})

/* Bytes of the trailer that these flags announce. */
static inline size_t
mh_trailer_size(uint8_t flags)
{
	return ((flags & MH_TALLY_BLANK_KNOWN) ? 8 : 0) +
		((flags & MH_TALLY_ISSUED_KNOWN) ? 8 : 0) +
		((flags & MH_TALLY_PARTS) ? 16 : 0);
}

/* A text key and its votes: how text-keyed tallies are built. */
typedef struct mh_key_vote
{
	const char *key;
	uint32_t	len;
	int64_t		votes;
} mh_key_vote;

static inline bool
mh_tally_registered_known(const mh_tally *t)
{
	return (t->flags & MH_TALLY_REGISTERED_KNOWN) != 0;
}

static inline mh_key_kind
mh_tally_key_kind(const mh_tally *t)
{
	if (t->ncandidates == 0)
		return MH_KEYS_NONE;
	return (t->flags & MH_TALLY_TEXT_KEYS) ? MH_KEYS_TEXT : MH_KEYS_INT;
}

/*
 * Bytes a tally of n candidates takes without its key bytes (all of it
 * for number keys; n <= MH_TALLY_MAX_CANDIDATES).
 */
static inline size_t
mh_tally_size(uint32_t ncandidates)
{
	return MH_TALLY_HEADER_SIZE + (size_t) ncandidates * sizeof(mh_vote);
}

static inline int64_t
mh_key_pack(uint32_t offset, uint32_t len)
{
	return (int64_t) (((uint64_t) offset << 32) | len);
}

/* Text key i of a text-keyed tally: its bytes (not NUL-terminated) and length. */
static inline void
mh_tally_key(const mh_tally *t, uint32_t i, const char **key, uint32_t *len)
{
	uint64_t	packed = (uint64_t) t->votes[i].candidate;

	*key = (const char *) (t->votes + t->ncandidates) + (packed >> 32);
	*len = (uint32_t) packed;
}

/* Bytes of a checked tally, its keys and trailer included. */
extern size_t mh_tally_total_size(const mh_tally *t);

/* The same without the trailer: where the trailer begins. */
extern size_t mh_tally_body_size(const mh_tally *t);

/* The trailer's fields of a checked tally. */
extern void mh_tally_get_extra(const mh_tally *t, mh_tally_extra *x);

/* Trailer flags and bytes of x in canonical form, for a tally of this invalid. */
extern uint8_t mh_extra_flags(const mh_tally_extra *x, int64_t invalid);

/*
 * Sets t's trailer flags from x and writes its trailer after the body
 * (mh_trailer_size(mh_extra_flags(x, t->invalid)) bytes of room there);
 * t's header and candidates are set already.
 */
extern void mh_tally_put_extra(mh_tally *t, const mh_tally_extra *x);

/* x's invariants against the counts of a tally (see the header comment). */
extern mh_status mh_extra_check(const mh_tally_extra *x, bool registered_known,
								int64_t registered, int64_t invalid, mh_error *err);

/*
 * The same tally with these trailer fields (checked).  *result is a new
 * tally from alloc.
 */
extern mh_status mh_tally_with_extra(const mh_tally *t, const mh_tally_extra *x,
									 const mh_allocator *alloc, mh_tally **result,
									 mh_error *err);

/* The trailer fields of the sum of two parts (see the header comment). */
extern mh_status mh_extra_add(const mh_tally_extra *a, const mh_tally_extra *b,
							  int64_t invalid_sum, mh_tally_extra *sum, mh_error *err);

/* Bytewise order of text keys, a prefix first: <0, 0, >0 like memcmp. */
extern int	mh_key_compare(const char *a, uint32_t alen, const char *b, uint32_t blen);

/* A text key is valid UTF-8 without NUL, at most MH_KEY_MAX_BYTES bytes. */
extern mh_status mh_key_check(const char *key, size_t len, mh_error *err);

/*
 * Candidate i named for a message: 17, or "Smith" in quotes (shortened,
 * never cut inside a UTF-8 sequence).  Returns buf.
 */
#define MH_LABEL_SIZE 64
extern const char *mh_candidate_label(const mh_tally *t, uint32_t i, char *buf);
extern const char *mh_key_label(const char *key, uint32_t len, char *buf);

/* Sets up the header of a tally; the caller fills votes[] (and keys). */
extern void mh_tally_init(mh_tally *t, uint32_t ncandidates, bool text_keys,
						  bool registered_known, int64_t registered,
						  int64_t cast, int64_t invalid);

/* Checks every invariant; size is the number of bytes available at t. */
extern mh_status mh_tally_check(const mh_tally *t, size_t size, mh_error *err);

/* Sum of all candidates' votes (cannot overflow in a checked tally). */
extern int64_t mh_tally_valid_votes(const mh_tally *t);

/*
 * The votes of one candidate, or NULL if the tally does not name it (or is
 * keyed by the other kind: callers check mh_tally_key_kind first).
 */
extern const mh_vote *mh_tally_find(const mh_tally *t, int64_t candidate);
extern const mh_vote *mh_tally_find_key(const mh_tally *t, const char *key, uint32_t len);

/* Same registered (known or not), cast, invalid, votes and trailer. */
extern bool mh_tally_equal(const mh_tally *a, const mh_tally *b);

/*
 * The tally of two disjoint parts: counts added, candidates merged.
 * registered is known only if both parts know it; the trailer as the
 * header comment says.
 */
extern mh_status mh_tally_add(const mh_tally *a, const mh_tally *b,
							  const mh_allocator *alloc, mh_tally **result,
							  mh_error *err);

/*
 * A tally from a protocol's numbers: candidates in any order, no
 * duplicates.  The arrays are not modified.
 */
extern mh_status mh_tally_build(bool registered_known, int64_t registered,
								int64_t cast, int64_t invalid,
								const int64_t *candidates, const int64_t *votes,
								size_t ncandidates, const mh_allocator *alloc,
								mh_tally **result, mh_error *err);

/*
 * The same from text keys: keys are checked (mh_key_check), sorted in
 * place, and copied into the tally.
 */
extern mh_status mh_tally_build_keys(bool registered_known, int64_t registered,
									 int64_t cast, int64_t invalid,
									 mh_key_vote *keys, size_t ncandidates,
									 const mh_allocator *alloc,
									 mh_tally **result, mh_error *err);

/* Sorts text keys bytewise in place and reports a duplicate, if any. */
extern mh_status mh_sort_keys(mh_key_vote *keys, size_t n, const mh_allocator *alloc,
							  mh_error *err);

/*
 * Writes sorted, checked keys and their votes into t, which has room for
 * n candidates and their key bytes; the header is the caller's.
 */
extern void mh_tally_write_keys(mh_tally *t, const mh_key_vote *keys, size_t n);

/* The MH_EKIND error of a count keyed by have given a key of kind got. */
extern mh_status mh_kind_mismatch(mh_key_kind have, mh_key_kind got, mh_error *err);

/*
 * The same tally with registered set (known) or cleared (unknown); the
 * trailer is kept (issued must still fit in registered).
 */
extern mh_status mh_tally_with_registered(const mh_tally *t, bool known,
										  int64_t registered,
										  const mh_allocator *alloc,
										  mh_tally **result, mh_error *err);

/* Sorts votes ascending by candidate and reports a duplicate, if any. */
extern mh_status mh_votes_sort(mh_vote *votes, size_t n, mh_error *err);

/*
 * The same, interruptible: a large array is merge-sorted with a buffer
 * from alloc, calling its check_interrupts as it goes (qsort cannot be
 * interrupted).  Falls back on qsort if the buffer cannot be had.
 */
extern mh_status mh_votes_sort_alloc(mh_vote *votes, size_t n,
									 const mh_allocator *alloc, mh_error *err);

#endif							/* MASLIHAT_TALLY_H */
