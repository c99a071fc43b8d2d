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
 * The state is three of the core's counters keyed by party label (text
 * keys, compared bytewise), so nothing here counts by itself:
 *	 votes		label -> votes; its blank or invalid ballots are the
 *				constituencies' (cast = valid + blank or invalid);
 *	 won		label -> seats won; its "blank or invalid" are the seats
 *				left empty, its cast all seats;
 *	 stood		label -> candidates;
 * plus the ballots cast and registered voters, which the counters cannot
 * hold (ballots neither valid nor invalid, registered voters of parts
 * added by votes).  Two states merge by merging the counters, so the
 * aggregate built on it runs in parallel, under GROUP BY ROLLUP and as a
 * partial aggregate.  Labels are not interpreted: the core does not know
 * what "Lab" means.
 *
 * Binary form (the seats_state type's flat, binary and, in hex, text
 * form), big-endian:
 *
 *	 uint8 version (1)  uint8 flags (1 = registered unknown)
 *	 int64 cast  int64 registered
 *	 3 x (uint32 length, the tally's binary form): votes, won, stood
 *
 * The decoder trusts nothing (anyone can type a state in): each tally
 * goes through mh_tally_decode, then the three must agree (the same
 * labels in votes and stood, won's labels among them with a seat each,
 * every party with a candidate and no more seats than candidates, no
 * registered voters inside a tally) and the ballots add up (valid +
 * blank or invalid <= cast <= registered).  A state it accepts encodes
 * to the same bytes (test/fuzz/fuzz_seats.c checks that).
 *
 * src/core/seats.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_SEATS_H
#define MASLIHAT_SEATS_H

#include "counter.h"
#include "mh_common.h"
#include "tally.h"

#define MH_SEATS_VERSION		1

/* One candidate of a constituency, as the caller resolved its party. */
typedef struct mh_seat_candidate
{
	const char *party;			/* label bytes, valid UTF-8, not NUL-terminated */
	uint32_t	party_len;
	int64_t		votes;
} mh_seat_candidate;

typedef struct mh_seats
{
	mh_counter	votes;
	mh_counter	won;
	mh_counter	stood;
	int64_t		cast;			/* ballots cast, all of them */
	int64_t		registered;		/* sum, unless registered_unknown */
	bool		registered_unknown;
} mh_seats;

/* One party's results. */
typedef struct mh_party_row
{
	const char *label;			/* points into the result's votes tally */
	uint32_t	len;
	int64_t		seats;
	int64_t		votes;
	int64_t		candidates;
} mh_party_row;

/* What a state adds up to: the national line and one row per party. */
typedef struct mh_seats_result
{
	int64_t		seats;
	int64_t		filled;
	int64_t		registered;
	bool		registered_unknown;
	int64_t		cast;
	int64_t		invalid;
	int64_t		valid;
	int64_t		candidates;
	uint32_t	nparties;
	mh_party_row *rows;			/* ascending by label, bytewise */
	mh_tally   *votes;			/* the counters as tallies */
	mh_tally   *won;
	mh_tally   *stood;
} mh_seats_result;

/* Party-system indices; a *_known false means the index is undefined. */
typedef struct mh_party_indices
{
	bool		disproportionality_known;	/* valid votes and seats filled */
	double		gallagher;		/* percentage points */
	double		loosemore_hanby;	/* percentage points */
	bool		enp_votes_known;
	double		enp_votes;		/* 1 / sum of squared vote shares */
	bool		enp_seats_known;
	double		enp_seats;		/* 1 / sum of squared seat shares */
} mh_party_indices;

/* An empty state; seed as for mh_counter_seed. */
extern mh_status mh_seats_init(mh_seats *s, const mh_allocator *alloc, uint64_t seed,
							   mh_error *err);

/* Frees what the state holds (a no-op where the allocator has no free). */
extern void mh_seats_release(mh_seats *s);

/*
 * Adds one constituency.  registered_known false makes the national
 * registered voters unknown.  Votes must be >= 0 and add up, with
 * invalid, to at most cast, and cast to at most registered.  The
 * arguments are checked before anything is added; on a later error (out
 * of memory, a count beyond 64 bits) the state is valid but its counts
 * are unspecified, as a counter's are.
 */
extern mh_status mh_seats_add(mh_seats *s, const mh_seat_candidate *candidates,
							  size_t n, bool registered_known, int64_t registered,
							  int64_t cast, int64_t invalid, mh_error *err);

/*
 * The same, with may_elect false for a constituency whose election the
 * caller's rules void (a turnout below the threshold, validity unknown):
 * its votes count, its seat is left empty.
 */
extern mh_status mh_seats_add_seat(mh_seats *s, const mh_seat_candidate *candidates,
								   size_t n, bool registered_known, int64_t registered,
								   int64_t cast, int64_t invalid, bool may_elect,
								   mh_error *err);

/* Adds another state (disjoint constituencies); other is not changed. */
extern mh_status mh_seats_merge(mh_seats *s, const mh_seats *other, mh_error *err);

/* The state's results, allocated with alloc; the state is not changed. */
extern mh_status mh_seats_result_make(const mh_seats *s, const mh_allocator *alloc,
									  mh_seats_result *r, mh_error *err);

extern void mh_seats_result_release(mh_seats_result *r, const mh_allocator *alloc);

/* floor(seats / 2) + 1 */
static inline int64_t
mh_seats_majority_needed(const mh_seats_result *r)
{
	return r->seats / 2 + 1;
}

/* The row with a label, or -1. */
extern int64_t mh_seats_find(const mh_seats_result *r, const char *label, uint32_t len);

/* The most seats any party won (0 with no seat filled). */
extern int64_t mh_seats_most(const mh_seats_result *r);

/*
 * The row of the party with the most seats, if one has more than zero
 * and no other as many; -1 otherwise.
 */
extern int64_t mh_seats_largest(const mh_seats_result *r);

/*
 * Row numbers in party order (nparties entries, allocated): seats won
 * descending, then votes descending, then label ascending.
 */
extern mh_status mh_seats_order(const mh_seats_result *r, const mh_allocator *alloc,
								uint32_t **order, mh_error *err);

/*
 * Gallagher's least-squares index sqrt(sum((v - s)^2) / 2) and
 * Loosemore-Hanby's sum(|v - s|) / 2, with v a party's share of the valid
 * votes and s its share of the seats filled, in percent; the effective
 * numbers of parties by votes and by seats (Laakso-Taagepera), 1 / sum of
 * squared shares.  Undefined with no valid votes or no seat filled.
 */
extern void mh_seats_indices(const mh_seats_result *r, mh_party_indices *out);

/* The binary form of a state's results, allocated with alloc. */
extern mh_status mh_seats_encode(const mh_seats_result *r, const mh_allocator *alloc,
								 uint8_t **buf, size_t *len, mh_error *err);

/* Reads exactly len bytes into a new state s (mh_seats_init'ed here). */
extern mh_status mh_seats_decode(const uint8_t *buf, size_t len, mh_seats *s,
								 const mh_allocator *alloc, uint64_t seed,
								 mh_error *err);

#endif							/* MASLIHAT_SEATS_H */
