/*-------------------------------------------------------------------------
 *
 * outcome.h
 *	  The rules of a first-past-the-post constituency: validity by turnout,
 *	  the winner, ties, and when a by-election is due.
 *
 * Validity: with a turnout rule, the election is valid iff ballots cast >
 * registered x threshold, threshold a fraction num/den in [0, 1], compared
 * in exact 128-bit integer arithmetic: cast x den > registered x num.  500
 * of 1000 is not valid at 1/2, 501 is.  Unknown registered (or an unknown
 * threshold) makes validity unknown, never guessed, except at threshold 0,
 * where ballots cast > 0 decides without registered voters.  Without a
 * turnout rule (MH_RULES_NONE) every election is valid.
 *
 * Named rule sets (mh_rules_named): "kz1994", the mäslihat elections of
 * 1994: more than half of registered voters must cast a ballot; "none", no
 * turnout rule (the UK, Canada and most first-past-the-post elections).
 *
 * Ranking: candidates by votes, most first; equal votes share a rank.
 * leader: the one candidate ranked first with more than 0 votes and no
 * other as many.  tie: two or more candidates share first place with more
 * than 0 votes.
 *
 * By-election, with its reason, checked in this order:
 *	 1. no candidates in the tally				   MH_REASON_NO_CANDIDATES
 *	 2. validity is false						   MH_REASON_LOW_TURNOUT
 *	 3. no candidate has a vote					   MH_REASON_NO_VALID_VOTES
 *	 4. a tie for first place, no drawing of lots  MH_REASON_TIE
 * Otherwise, if validity is unknown, whether a by-election is due is
 * unknown too; if valid, the leader (or the candidate drawn by lots) wins.
 *
 * Drawing of lots (optional): among the tied candidates, the one whose
 * mh_lots_ticket(seed, candidate) is largest wins (the lower candidate
 * number if two tickets are equal).  The draw depends only on the seed
 * and the candidate numbers, not on the order rows arrived in.  A text
 * key draws with mh_lots_ticket(seed, mh_key_lots_number(key)), a fixed
 * hash of its bytes.
 *
 * src/core/outcome.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_OUTCOME_H
#define MASLIHAT_OUTCOME_H

#include "tally.h"

typedef enum mh_tristate
{
	MH_FALSE = 0,
	MH_TRUE = 1,
	MH_UNKNOWN = 2
} mh_tristate;

typedef enum mh_reason
{
	MH_REASON_NONE = 0,
	MH_REASON_LOW_TURNOUT,
	MH_REASON_TIE,
	MH_REASON_NO_CANDIDATES,
	MH_REASON_NO_VALID_VOTES
} mh_reason;

/* A threshold num/den with 0 <= num <= den, den > 0. */
typedef struct mh_fraction
{
	uint64_t	num;
	uint64_t	den;
} mh_fraction;

#define MH_DEFAULT_THRESHOLD ((mh_fraction) {1, 2})

/*
 * Parses a plain decimal ("0.5", ".5", "1", "0.6667") with at most 18
 * digits after the point into an exact fraction in [0, 1].
 */
extern mh_status mh_fraction_parse(const char *text, mh_fraction *result, mh_error *err);

/* cast > registered x threshold, exactly. */
extern bool mh_turnout_exceeds(int64_t cast, int64_t registered, mh_fraction threshold);

/*
 * The smallest number of ballots that makes an election valid (registered
 * + 1 when none can), or -1 when that is beyond the 64-bit range.
 */
extern int64_t mh_ballots_needed(int64_t registered, mh_fraction threshold);

/* The ticket a candidate draws with a seed (SplitMix64 of both). */
extern uint64_t mh_lots_ticket(int64_t seed, int64_t candidate);

/* A text key as the number it draws lots with. */
extern int64_t mh_key_lots_number(const char *key, uint32_t len);

typedef struct mh_rules
{
	bool		no_turnout_rule;	/* every election valid */
	/*
	 * registered_given: use registered_known and registered as they are;
	 * otherwise the tally's own registered voters count.
	 */
	bool		registered_given;
	bool		registered_known;
	int64_t		registered;
	bool		threshold_known;
	mh_fraction threshold;
	bool		draw_lots;
	int64_t		lots_seed;
} mh_rules;

typedef struct mh_outcome
{
	bool		has_winner;
	int64_t		winner;			/* number keys; every kind: winner_index */
	uint32_t	winner_index;	/* the candidate's place in the tally */
	bool		has_leader;
	int64_t		leader;
	uint32_t	leader_index;
	bool		has_first;		/* any candidate at all */
	int64_t		first_votes;	/* most votes of any candidate */
	bool		has_second;		/* at least two candidates */
	int64_t		second_votes;	/* votes of the second in the ranking */
	bool		has_runner_up;	/* unique leader and unique second place */
	int64_t		runner_up;
	uint32_t	runner_up_index;
	uint32_t	tied;			/* candidates sharing first place */
	int64_t		valid_votes;
	int64_t		invalid;
	int64_t		cast;
	bool		registered_known;
	int64_t		registered;
	mh_tristate valid;
	bool		tie;
	bool		drawn;			/* the winner was drawn by lots */
	mh_tristate by_election;
	mh_reason	reason;
} mh_outcome;

/*
 * The rules of a named rule set ("kz1994", "none") into *rules (the
 * turnout part only); false if the name is not known.
 */
extern bool mh_rules_named(const char *name, mh_rules *rules);

/* The names mh_rules_named knows, for messages: "kz1994, none". */
extern const char *mh_rules_names(void);

/* Applies the rules to a checked tally. */
extern void mh_outcome_compute(const mh_tally *t, const mh_rules *rules, mh_outcome *out);

/* "low_turnout", "tie", "no_candidates", "no_valid_votes", or NULL. */
extern const char *mh_reason_label(mh_reason reason);

#endif							/* MASLIHAT_OUTCOME_H */
