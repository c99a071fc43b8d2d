/*-------------------------------------------------------------------------
 *
 * seats.h
 *	  Seats by party: constituencies added one at a time into national
 *	  (or regional) results, and the party-system indices.
 *
 * A constituency arrives as its candidates, each with its party label
 * and votes, plus the constituency's ballots cast, blank or invalid
 * ballots and registered voters.  Each candidate is one candidate: two
 * with the same label are never merged before the winner is found.  The
 * seat goes to the party of the one candidate with the most votes (more
 * than zero, no other as many); on a tie, or with no votes, the seat is
 * left empty and counted as empty.  No turnout rule is applied.
 *
 * The state keeps, per party label (compared bytewise), the seats won,
 * the votes and the candidates, in ascending order of label, plus the
 * national counts.  Two states merge by adding (a sorted merge of the
 * labels), so the aggregate built on it runs in parallel, under GROUP BY
 * ROLLUP and as a partial aggregate.  Labels are not
 * interpreted: the core does not know what "Lab" means.
 *
 * Binary form (the aggregate's serialized state), big-endian:
 *
 *	 uint8 version (1)  uint8 flags (1 = registered unknown)
 *	 int64 seats  int64 filled  int64 registered  int64 cast
 *	 int64 invalid  int64 valid  int64 candidates  uint32 nparties
 *	 nparties x (uint32 len, len bytes, int64 seats, int64 votes,
 *				 int64 candidates), labels strictly ascending
 *
 * The decoder trusts nothing: lengths against the bytes left, labels
 * ascending and free of NUL, counts not negative, and the parties adding
 * up to the national seats filled, votes and candidates.
 *
 * src/core/seats.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_SEATS_H
#define MASLIHAT_SEATS_H

#include "mh_common.h"

#define MH_SEATS_VERSION		1
#define MH_SEATS_MAX_LABEL		(1U << 20)	/* bytes in one party label */

/* One candidate of a constituency, as the caller resolved its party. */
typedef struct mh_seat_candidate
{
	const char *party;			/* label bytes, not NUL-terminated */
	uint32_t	party_len;
	int64_t		votes;
} mh_seat_candidate;

/* One party's results; label owned by the state. */
typedef struct mh_party
{
	char	   *label;
	uint32_t	len;
	int64_t		seats;
	int64_t		votes;
	int64_t		candidates;
} mh_party;

typedef struct mh_seats
{
	int64_t		seats;			/* constituencies added */
	int64_t		filled;			/* seats with a winner */
	int64_t		registered;		/* sum, unless registered_unknown */
	bool		registered_unknown;
	int64_t		cast;
	int64_t		invalid;
	int64_t		valid;			/* sum of every candidate's votes */
	int64_t		candidates;
	uint32_t	nparties;
	uint32_t	capacity;
	mh_party   *parties;		/* ascending by label, bytewise */
	const mh_allocator *alloc;
} mh_seats;

/* Party-system indices; a *_known false means the index is undefined. */
typedef struct mh_party_indices
{
	bool		disproportionality_known;	/* votes and seats filled */
	double		gallagher;		/* percentage points */
	double		loosemore_hanby;	/* percentage points */
	bool		enp_votes_known;
	double		enp_votes;		/* 1 / sum of squared vote shares */
	bool		enp_seats_known;
	double		enp_seats;		/* 1 / sum of squared seat shares */
} mh_party_indices;

/* An empty state. */
extern void mh_seats_init(mh_seats *s, const mh_allocator *alloc);

/*
 * Adds one constituency.  registered_known false makes the national
 * registered voters unknown.  Votes must be >= 0 and add up, with
 * invalid, to at most cast.  On an error the state is unchanged.
 */
extern mh_status mh_seats_add(mh_seats *s, const mh_seat_candidate *candidates,
							  size_t n, bool registered_known, int64_t registered,
							  int64_t cast, int64_t invalid, mh_error *err);

/* Adds another state (disjoint constituencies); other is not changed. */
extern mh_status mh_seats_merge(mh_seats *s, const mh_seats *other, mh_error *err);

/* A copy of other into s, allocating with alloc. */
extern mh_status mh_seats_copy(mh_seats *s, const mh_seats *other,
							   const mh_allocator *alloc, mh_error *err);

/* Index of the party with a label, or -1. */
extern int64_t mh_seats_find(const mh_seats *s, const char *label, uint32_t len);

/*
 * The party with the most seats, if one has more than zero and no other as
 * many; -1 otherwise.
 */
extern int64_t mh_seats_largest(const mh_seats *s);

/* floor(seats / 2) + 1 */
static inline int64_t
mh_seats_majority_needed(const mh_seats *s)
{
	return s->seats / 2 + 1;
}

/*
 * Indices of the parties: party order (nparties entries, allocated),
 * seats won descending, then votes descending, then label ascending.
 */
extern mh_status mh_seats_order(const mh_seats *s, const mh_allocator *alloc,
								uint32_t **order, mh_error *err);

/*
 * Gallagher's least-squares index sqrt(sum((v - s)^2) / 2) and
 * Loosemore-Hanby's sum(|v - s|) / 2, with v a party's share of the valid
 * votes and s its share of the seats filled, both in percent; the
 * effective numbers of parties by votes and by seats (Laakso-Taagepera).
 * Undefined with no valid votes or no seat filled.
 */
extern void mh_seats_indices(const mh_seats *s, mh_party_indices *out);

/* Bytes of the binary form. */
extern size_t mh_seats_binary_size(const mh_seats *s);

extern void mh_seats_encode(const mh_seats *s, uint8_t *buf);

/* Reads exactly len bytes into an empty state s. */
extern mh_status mh_seats_decode(const uint8_t *buf, size_t len, mh_seats *s,
								 const mh_allocator *alloc, mh_error *err);

/* Frees what the state holds (a no-op where the allocator has no free). */
extern void mh_seats_release(mh_seats *s);

#endif							/* MASLIHAT_SEATS_H */
