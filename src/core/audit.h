/*-------------------------------------------------------------------------
 *
 * audit.h
 *	  Audit and election night: problems of a protocol as values, two
 *	  counts compared, and the exact call while the count goes on.
 *
 * Problems as values (mh_audit_protocol).  A protocol's numbers are
 * checked as they were typed, before any tally exists: nothing here
 * fails for bad counts, every problem is a value.  Sums are exact (a
 * 128-bit accumulator), so even counts near the 64-bit limit are compared
 * rightly.  With V the candidates' votes, B blank and I otherwise invalid
 * ballots (a missing one counts 0), and T the ballots cast (or V + B + I
 * when they are not given), the checks are, in the order reported:
 *
 *	 array_lengths		  error	   candidates and votes differ in length
 *	 missing_candidate	  error	   a candidate is NULL
 *	 missing_votes		  error	   a candidate's votes are NULL
 *	 negative_count		  error	   a count below zero (one per count)
 *	 duplicate_candidate  error	   a candidate named twice (the first)
 *	 votes_exceed_cast	  error	   V + B + I > cast
 *	 ballots_unaccounted  warning  V + B + I < cast
 *	 cast_exceeds_registered error cast > registered
 *	 valid_mismatch		  error	   V differs from the declared valid votes
 *	 blank_share		  warning  B > T x blank tolerance
 *	 invalid_share		  warning  I > T x invalid tolerance
 *	 admitted_mismatch	  warning  |issued - cast| >= the minimum and
 *								   > issued x the tolerance
 *	 same_votes			  warning  the same votes at two or more stations
 *	 no_votes			  warning  V = 0 (no candidate has a vote)
 *
 * A check whose numbers are not given (or whose tolerance is not) is not
 * made.  Shares are compared exactly (mh_turnout_exceeds).
 *
 * src/core/audit.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_AUDIT_H
#define MASLIHAT_AUDIT_H

#include "outcome.h"
#include "tally.h"

/* A signed 128-bit integer, two's complement, without compiler support. */
typedef struct mh_wide
{
	int64_t		hi;
	uint64_t	lo;
} mh_wide;

extern mh_wide mh_wide_of(int64_t v);
extern void mh_wide_add(mh_wide *w, int64_t v);
extern int	mh_wide_compare(mh_wide a, mh_wide b);

/* Decimal digits of w into buf (at least MH_WIDE_DIGITS bytes); returns buf. */
#define MH_WIDE_DIGITS 48
extern char *mh_wide_format(mh_wide w, char *buf);

typedef enum mh_problem_code
{
	MH_PROBLEM_ARRAY_LENGTHS,
	MH_PROBLEM_MISSING_CANDIDATE,
	MH_PROBLEM_MISSING_VOTES,
	MH_PROBLEM_NEGATIVE_COUNT,
	MH_PROBLEM_DUPLICATE_CANDIDATE,
	MH_PROBLEM_VOTES_EXCEED_CAST,
	MH_PROBLEM_BALLOTS_UNACCOUNTED,
	MH_PROBLEM_CAST_EXCEEDS_REGISTERED,
	MH_PROBLEM_VALID_MISMATCH,
	MH_PROBLEM_BLANK_SHARE,
	MH_PROBLEM_INVALID_SHARE,
	MH_PROBLEM_ADMITTED_MISMATCH,
	MH_PROBLEM_SAME_VOTES,
	MH_PROBLEM_NO_VOTES
} mh_problem_code;

/* "votes_exceed_cast" and so on. */
extern const char *mh_problem_name(mh_problem_code code);

/* "error" or "warning". */
extern const char *mh_problem_severity(mh_problem_code code);

/* One optional count of a protocol. */
typedef struct mh_count
{
	bool		known;
	int64_t		value;
} mh_count;

/*
 * A protocol as typed.  Candidates are numbers (numbers != NULL) or text
 * keys (keys != NULL; keys[i].votes is ignored), ncandidates of them;
 * candidate_null[i] marks a NULL candidate, votes_null[i] NULL votes
 * (either array may be NULL: none).  nvotes may differ from ncandidates
 * (an array_lengths problem).  same_votes: how many stations have this
 * protocol's votes (0 or 1 for none but itself; not known: 0).
 */
typedef struct mh_protocol
{
	mh_count	registered;
	mh_count	issued;			/* ballots issued: voters admitted */
	mh_count	cast;
	mh_count	blank;
	mh_count	invalid;
	mh_count	declared_valid;
	const int64_t *numbers;
	const mh_key_vote *keys;
	const bool *candidate_null;
	size_t		ncandidates;
	const int64_t *votes;
	const bool *votes_null;
	size_t		nvotes;
	int64_t		same_votes;
} mh_protocol;

typedef struct mh_audit_tolerances
{
	bool		blank_known;
	mh_fraction blank_share;
	bool		invalid_known;
	mh_fraction invalid_share;
	bool		admitted_known;
	mh_fraction admitted_share;
	int64_t		admitted_min;
} mh_audit_tolerances;

/* Abacus's warnings: 3% blank, 3% invalid, 2% and 15 admitted voters. */
#define MH_AUDIT_DEFAULT_TOLERANCES \
	((mh_audit_tolerances) {true, {3, 100}, true, {3, 100}, true, {2, 100}, 15})

#define MH_PROBLEM_MESSAGE_LEN 256

typedef struct mh_problem
{
	mh_problem_code code;
	int64_t		candidate;		/* index of the candidate concerned, or -1 */
	bool		has_found;
	mh_wide		found;			/* the number found */
	bool		has_expected;
	mh_wide		expected;		/* what it should be, or the bound passed */
	char		message[MH_PROBLEM_MESSAGE_LEN];	/* one English sentence */
} mh_problem;

/* Every check reports at most one problem, except negative_count (six counts and a candidate). */
#define MH_AUDIT_MAX_PROBLEMS 24

/*
 * Checks a protocol; writes its problems (at most MH_AUDIT_MAX_PROBLEMS)
 * into problems and their number into *nproblems.  Fails only for want
 * of memory (a sorted copy of the candidates finds duplicates).
 */
extern mh_status mh_audit_protocol(const mh_protocol *p, const mh_audit_tolerances *tol,
								   const mh_allocator *alloc, mh_problem *problems,
								   int *nproblems, mh_error *err);

/* ---------------------------------------------------------------- compare */

typedef enum mh_diff_item
{
	MH_DIFF_REGISTERED,
	MH_DIFF_CAST,
	MH_DIFF_INVALID,
	MH_DIFF_BLANK,
	MH_DIFF_ISSUED,
	MH_DIFF_PARTS,
	MH_DIFF_PROVISIONAL,
	MH_DIFF_VOTES
} mh_diff_item;

/*
 * "registered", "cast", "invalid", "blank", "issued", "parts",
 * "provisional", "votes".
 */
extern const char *mh_diff_item_name(mh_diff_item item);

/*
 * One count that differs between two tallies a and b.  A candidate is
 * a_index in a and b_index in b (-1 where a tally does not name it: its
 * votes there are 0).  Registered voters, blank ballots and ballots
 * issued may be unknown on one side; parts and provisional are 0 in a
 * tally without a parts mark.
 */
typedef struct mh_diff
{
	mh_diff_item item;
	int64_t		a_index;
	int64_t		b_index;
	bool		a_known;
	int64_t		a;
	bool		b_known;
	int64_t		b;
} mh_diff;

/*
 * The counts that differ, in the order of mh_diff_item (the candidates in
 * key order); *diffs is from alloc (NULL when none).  Tallies
 * keyed by different kinds are MH_EKIND.
 */
extern mh_status mh_tally_diff(const mh_tally *a, const mh_tally *b,
							   const mh_allocator *alloc, mh_diff **diffs,
							   size_t *ndiffs, mh_error *err);

/*
 * Whether the elected candidate (nobody included) differs between two
 * outcomes of a and b; MH_UNKNOWN when either depends on an unknown
 * validity.
 */
extern mh_tristate mh_winner_differs(const mh_tally *a, const mh_outcome *oa,
									 const mh_tally *b, const mh_outcome *ob);

/* ---------------------------------------------------------------- the call */

/*
 * The exact call on election night.  With registered voters given (>=
 * ballots cast), at most remaining ballots are still to be counted:
 * registered - cast, or fewer when that is known (the registered voters
 * of the stations not yet reported), each for any candidate the tally
 * names, or blank or invalid.  Over every way they could fall:
 *
 *	 leader_can_change	 the unique leader (or nobody, on a tie or with no
 *						 votes) can end up different: with two or more
 *						 candidates iff remaining >= max(margin, 1) (a
 *						 margin exactly equal to the remaining ballots can
 *						 still become a tie); with one, iff it has no vote
 *						 and one ballot remains; with none, never;
 *	 validity_can_change the election is not valid now and can still
 *						 become valid: ballots_needed(registered) <= cast +
 *						 remaining (ballots are only ever added, so a
 *						 valid election stays valid);
 *	 winner_can_change	 the elected candidate (nobody included) can end
 *						 up different: if valid now, iff the leader can
 *						 change; if not, iff validity can change and the
 *						 tally names a candidate;
 *	 decided			 neither the winner nor the validity can change.
 *
 * ballots_to_valid: more ballots needed to make it valid (0 if it is),
 * -1 if it cannot become valid.
 */
typedef struct mh_call
{
	int64_t		remaining;
	bool		has_margin;
	int64_t		margin;
	mh_tristate valid_now;
	int64_t		ballots_to_valid;
	bool		leader_can_change;
	bool		validity_can_change;
	bool		winner_can_change;
	bool		decided;
} mh_call;

/*
 * The call for a checked tally with these registered voters (>= cast)
 * under rules (the turnout part: no_turnout_rule or a known threshold).
 * remaining < 0 means registered - cast; otherwise it must not exceed it.
 */
extern mh_status mh_can_change(const mh_tally *t, int64_t registered, int64_t remaining,
							   const mh_rules *rules, mh_call *call, mh_error *err);

#endif							/* MASLIHAT_AUDIT_H */
