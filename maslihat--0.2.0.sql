/* maslihat--0.2.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION maslihat" to load this file. \quit

--
-- The tally type
--

CREATE TYPE tally;

CREATE FUNCTION tally_in(cstring) RETURNS tally
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION tally_out(tally) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION tally_recv(internal) RETURNS tally
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION tally_send(tally) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE tally (
	INPUT = tally_in,
	OUTPUT = tally_out,
	RECEIVE = tally_recv,
	SEND = tally_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE tally IS 'the exact count of one constituency or part of one: registered voters (may be unknown), ballots cast, blank or invalid ballots, votes per candidate';
COMMENT ON FUNCTION tally_in(cstring) IS 'reads a tally from its text form, e.g. registered=1000 cast=620 invalid=3 votes={17:300,42:317}';
COMMENT ON FUNCTION tally_out(tally) IS 'writes a tally in its canonical text form';
COMMENT ON FUNCTION tally_recv(internal) IS 'reads a tally from its binary form, checking every count';
COMMENT ON FUNCTION tally_send(tally) IS 'writes a tally in its binary form';

--
-- Operators
--

CREATE FUNCTION tally_eq(tally, tally) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION tally_ne(tally, tally) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION tally_add(tally, tally) RETURNS tally
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION tally_hash(tally) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR = (
	LEFTARG = tally, RIGHTARG = tally, FUNCTION = tally_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES
);

CREATE OPERATOR <> (
	LEFTARG = tally, RIGHTARG = tally, FUNCTION = tally_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);

CREATE OPERATOR + (
	LEFTARG = tally, RIGHTARG = tally, FUNCTION = tally_add, COMMUTATOR = +
);

COMMENT ON FUNCTION tally_eq(tally, tally) IS 'true if both tallies have the same registered voters, ballots, blank or invalid ballots and votes';
COMMENT ON FUNCTION tally_ne(tally, tally) IS 'true if the tallies differ in any count';
COMMENT ON FUNCTION tally_add(tally, tally) IS 'the tally of two disjoint parts of a count; registered voters are known only if both parts know them';
COMMENT ON OPERATOR = (tally, tally) IS 'same counts';
COMMENT ON OPERATOR <> (tally, tally) IS 'different counts';
COMMENT ON OPERATOR + (tally, tally) IS 'merges two disjoint parts of a count, such as two polling stations';

CREATE OPERATOR CLASS tally_hash_ops
	DEFAULT FOR TYPE tally USING hash AS
	OPERATOR 1 = (tally, tally),
	FUNCTION 1 tally_hash(tally);

COMMENT ON FUNCTION tally_hash(tally) IS 'hash of a tally, for hash joins, DISTINCT and GROUP BY';
COMMENT ON OPERATOR CLASS tally_hash_ops USING hash IS 'tallies are equal when every count is equal';
COMMENT ON OPERATOR FAMILY tally_hash_ops USING hash IS 'hashing of tallies, equal when every count is equal';

--
-- Constructors
--

-- Not strict: a NULL registered means unknown; other NULLs are errors.
CREATE FUNCTION make_tally(registered bigint, ballots_cast bigint, invalid bigint,
						   candidates bigint[], votes bigint[])
	RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: a NULL registered makes the tally's registered voters unknown.
CREATE FUNCTION with_registered(t tally, registered bigint) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_with_registered' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION make_tally(bigint, bigint, bigint, bigint[], bigint[]) IS 'the tally of a result protocol: registered voters (NULL if unknown), ballots cast, blank or invalid ballots, candidate numbers and their votes';
COMMENT ON FUNCTION with_registered(tally, bigint) IS 'the same tally with its registered voters set, or made unknown by NULL';

--
-- Accessors
--

CREATE FUNCTION registered(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_registered' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION ballots_cast(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_ballots_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION invalid(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_invalid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION valid_votes(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_valid_votes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION candidates(t tally) RETURNS integer
	AS 'MODULE_PATHNAME', 'tally_candidates' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION votes(t tally, candidate bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_votes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION registered(tally) IS 'registered voters of the tally, NULL if unknown';
COMMENT ON FUNCTION ballots_cast(tally) IS 'ballots cast';
COMMENT ON FUNCTION invalid(tally) IS 'blank or invalid ballots';
COMMENT ON FUNCTION valid_votes(tally) IS 'votes for candidates, all candidates together';
COMMENT ON FUNCTION candidates(tally) IS 'how many candidates the tally names';

--
-- The rules
--

CREATE TYPE fptp_outcome AS (
	winner bigint,
	winner_votes bigint,
	runner_up bigint,
	runner_up_votes bigint,
	margin bigint,
	valid_votes bigint,
	invalid bigint,
	"cast" bigint,
	registered bigint,
	turnout numeric,
	valid boolean,
	tie boolean,
	by_election boolean,
	reason text,
	leader bigint,
	candidates integer,
	drawn boolean,
	winner_key text,
	runner_up_key text,
	leader_key text,
	winner_share numeric,
	runner_up_share numeric,
	majority_share numeric,
	turnout_valid numeric
);

COMMENT ON TYPE fptp_outcome IS 'the result of one first-past-the-post constituency, as plain columns';

CREATE FUNCTION outcome(t tally) RETURNS fptp_outcome
	AS 'MODULE_PATHNAME', 'tally_outcome' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION winner(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_winner' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION leader(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_leader' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION is_valid(t tally) RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION needs_by_election(t tally) RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_needs_by_election' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION turnout(t tally) RETURNS numeric
	AS 'MODULE_PATHNAME', 'tally_turnout' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION turnout(t tally, registered bigint) RETURNS numeric
	AS 'MODULE_PATHNAME', 'tally_turnout' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION turnout(tally, bigint) IS 'ballots cast as a percentage of these registered voters';

--
-- jsonb
--

CREATE FUNCTION tally_to_jsonb(tally) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION jsonb_to_tally(jsonb) RETURNS tally
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (tally AS jsonb) WITH FUNCTION tally_to_jsonb(tally);
CREATE CAST (jsonb AS tally) WITH FUNCTION jsonb_to_tally(jsonb);

COMMENT ON FUNCTION tally_to_jsonb(tally) IS 'a tally as jsonb: {"registered": n or null, "cast": n, "invalid": n, "votes": [{"candidate": n, "votes": n}, ...]}, with "issued", "blank", "parts" and "provisional" when the tally records them';
COMMENT ON FUNCTION jsonb_to_tally(jsonb) IS 'reads a tally from the jsonb shape tally_to_jsonb writes, checking every count';
COMMENT ON CAST (tally AS jsonb) IS 'a tally as jsonb, for reporting tools and web front ends';
COMMENT ON CAST (jsonb AS tally) IS 'a tally from its jsonb shape';

--
-- Aggregates
--

-- Not strict: a NULL candidate is a blank or invalid ballot.
CREATE FUNCTION tally_ballot_transfn(internal, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict, as the transition function it undoes.
CREATE FUNCTION tally_ballot_invfn(internal, bigint) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION tally_finalfn(internal) RETURNS tally
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION fptp_winner_finalfn(internal) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION tally_ballot_transfn(internal, bigint) IS 'aggregate support (moving windows): adds one ballot';
COMMENT ON FUNCTION tally_ballot_invfn(internal, bigint) IS 'aggregate support: takes back one ballot (moving windows)';
COMMENT ON FUNCTION tally_finalfn(internal) IS 'aggregate support (moving windows): the tally of a count';
COMMENT ON FUNCTION fptp_winner_finalfn(internal) IS 'aggregate support (moving windows): the unique leader of a count';

--
-- ======================================================================
-- Election summary, mäslihat level and candidate rules
-- ======================================================================
--

CREATE TYPE maslihat_level AS ENUM ('district', 'city', 'regional');

COMMENT ON TYPE maslihat_level IS 'the level of a mäslihat (local assembly): district, city or regional, ordered from the lowest';

CREATE TYPE election_summary AS (
	seats bigint,
	seats_filled bigint,
	by_elections bigint,
	undecided bigint,
	registered bigint,
	"cast" bigint,
	turnout numeric,
	invalid bigint,
	valid_votes bigint,
	candidates bigint,
	turnout_valid numeric
);

COMMENT ON TYPE election_summary IS 'the results of many constituencies: seats, seats filled, by-elections, seats undecided (validity unknown), registered voters (NULL if any constituency''s are unknown), ballots cast, turnout in percent, blank or invalid ballots, valid votes, candidates';

-- The candidate rules of 1994.  SQL-standard bodies: parsed when the
-- extension is created, every operator qualified, so the caller's
-- search_path cannot change what they mean.

CREATE FUNCTION signatures_needed(residents bigint, share numeric DEFAULT 0.03)
	RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
	WHEN residents OPERATOR(pg_catalog.<) 0
		OR share OPERATOR(pg_catalog.<) 0 OR share OPERATOR(pg_catalog.>) 1 THEN NULL
	ELSE pg_catalog.ceil(residents::pg_catalog.numeric OPERATOR(pg_catalog.*) share)::pg_catalog.int8
END;

COMMENT ON FUNCTION signatures_needed(bigint, numeric) IS 'the signatures an association''s nominee needs: share of residents rounded up, computed exactly (3 % of 1001 is 31); NULL for negative residents or a share outside [0, 1]';

--
-- ======================================================================
-- Text candidate keys
-- ======================================================================
--
-- A tally's candidates are keyed by bigint or by text; the kind is a
-- property of the tally.  Number-keyed tallies keep their 0.1.0 bytes, on
-- disk and on the wire.

CREATE FUNCTION tally_from_text(text) RETURNS tally
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Without a cast with a function, PostgreSQL reads tally(varchar_column)
-- as a cast of the column to tally through its text form, not as the
-- aggregate tally(text).
CREATE CAST (varchar AS tally) WITH FUNCTION tally_from_text(text);

COMMENT ON FUNCTION tally_from_text(text) IS 'reads a tally from its text form held in a string, like tally_in';
COMMENT ON CAST (varchar AS tally) IS 'a tally from its text form in a varchar; keeps tally(varchar_column) the aggregate';

-- Not strict: a NULL key is a blank or invalid ballot.
CREATE FUNCTION tally_key_ballot_transfn(internal, text) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict, as the transition function it undoes.
CREATE FUNCTION tally_key_ballot_invfn(internal, text) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fptp_winner_key_finalfn(internal) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION tally_key_ballot_transfn(internal, text) IS 'aggregate support (moving windows): adds one ballot for a text key';
COMMENT ON FUNCTION tally_key_ballot_invfn(internal, text) IS 'aggregate support: takes back one ballot for a text key (moving windows)';
COMMENT ON FUNCTION fptp_winner_key_finalfn(internal) IS 'aggregate support (moving windows): the text key of the unique leader of a count';

-- Not strict: a NULL registered means unknown; other NULLs are errors.
CREATE FUNCTION make_tally(registered bigint, ballots_cast bigint, invalid bigint,
						   candidates text[], votes bigint[])
	RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_make_keys' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION make_tally(bigint, bigint, bigint, text[], bigint[]) IS 'the tally of a result protocol with text keys: registered voters (NULL if unknown), ballots cast, blank or invalid ballots, candidate keys and their votes';

CREATE FUNCTION votes(t tally, candidate text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_votes_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION votes(tally, text) IS 'votes of one text-keyed candidate, 0 if the tally does not name it';
COMMENT ON FUNCTION votes(tally, bigint) IS 'votes of one number-keyed candidate, 0 if the tally does not name it';

CREATE FUNCTION ranking(t tally,
						OUT candidate bigint, OUT votes bigint,
						OUT rank integer, OUT share numeric, OUT key text)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tally_ranking' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 3;

COMMENT ON FUNCTION ranking(tally) IS 'candidates by votes, most first: rank shared on equal votes (1, 1, 3), share in percent of valid votes; candidate is the number of a number key (NULL for text keys), key the candidate as text';

CREATE FUNCTION leader_key(t tally) RETURNS text
	AS 'MODULE_PATHNAME', 'tally_leader_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION leader_key(tally) IS 'the key of the candidate with the most votes, whatever the turnout, as text; NULL on a tie or when nobody has a vote';
COMMENT ON FUNCTION leader(tally) IS 'the number of the candidate with the most votes, whatever the turnout; NULL on a tie or when nobody has a vote';

--
-- ======================================================================
-- Rules that fit the election
-- ======================================================================
--
-- No rule is assumed: every call that decides validity names a rule set
-- ('kz1994' or 'none') or gives a threshold.  The forms without one (kept
-- from 0.1.0) raise an error that says what to write.

COMMENT ON COLUMN fptp_outcome.winner IS 'the elected candidate''s number (number keys only; see winner_key); NULL if nobody is elected';
COMMENT ON COLUMN fptp_outcome.winner_votes IS 'the most votes any candidate received (first place, elected or not)';
COMMENT ON COLUMN fptp_outcome.runner_up IS 'the number of the candidate second to a unique leader (number keys only); NULL when second place is shared';
COMMENT ON COLUMN fptp_outcome.runner_up_votes IS 'the votes of second place (equal to winner_votes on a tie for first)';
COMMENT ON COLUMN fptp_outcome.margin IS 'first place''s votes minus second place''s (the majority); NULL with fewer than two candidates';
COMMENT ON COLUMN fptp_outcome.valid_votes IS 'votes for candidates, all candidates together';
COMMENT ON COLUMN fptp_outcome.invalid IS 'blank or invalid ballots';
COMMENT ON COLUMN fptp_outcome."cast" IS 'ballots cast';
COMMENT ON COLUMN fptp_outcome.registered IS 'registered voters used by the rules; NULL if unknown';
COMMENT ON COLUMN fptp_outcome.turnout IS 'ballots cast as a percentage of registered voters (the seed''s and Elections Canada''s turnout)';
COMMENT ON COLUMN fptp_outcome.valid IS 'whether the election is valid under the rules; NULL if that cannot be known';
COMMENT ON COLUMN fptp_outcome.tie IS 'two or more candidates share first place with more than 0 votes';
COMMENT ON COLUMN fptp_outcome.by_election IS 'the seat stays empty and goes to a by-election; NULL if validity is unknown';
COMMENT ON COLUMN fptp_outcome.reason IS 'why a by-election: no_candidates, low_turnout, no_valid_votes or tie; NULL otherwise';
COMMENT ON COLUMN fptp_outcome.leader IS 'the number of the unique candidate with the most votes, whatever the turnout (number keys only)';
COMMENT ON COLUMN fptp_outcome.candidates IS 'how many candidates the tally names';
COMMENT ON COLUMN fptp_outcome.drawn IS 'the winner was drawn by lots among candidates tied first';
COMMENT ON COLUMN fptp_outcome.winner_key IS 'the elected candidate''s key as text, whatever its kind; NULL if nobody is elected';
COMMENT ON COLUMN fptp_outcome.runner_up_key IS 'the key of the candidate second to a unique leader, as text; NULL when second place is shared';
COMMENT ON COLUMN fptp_outcome.leader_key IS 'the key of the unique candidate with the most votes, whatever the turnout, as text';
COMMENT ON COLUMN fptp_outcome.winner_share IS 'winner_votes as a percentage of valid votes';
COMMENT ON COLUMN fptp_outcome.runner_up_share IS 'runner_up_votes as a percentage of valid votes';
COMMENT ON COLUMN fptp_outcome.majority_share IS 'the margin (majority) as a percentage of valid votes';
COMMENT ON COLUMN fptp_outcome.turnout_valid IS 'valid votes as a percentage of registered voters (the House of Commons Library''s turnout)';

-- Not strict: NULL registered or threshold make validity unknown, and a
-- NULL lots_seed (the default) means no drawing of lots.
CREATE FUNCTION outcome(t tally, registered bigint, threshold numeric DEFAULT 'NaN',
						lots_seed bigint DEFAULT NULL)
	RETURNS fptp_outcome
	AS 'MODULE_PATHNAME', 'tally_outcome' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: NULL rules make validity unknown.
CREATE FUNCTION outcome(t tally, rules text) RETURNS fptp_outcome
	AS 'MODULE_PATHNAME', 'tally_outcome_rules' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: NULL registered or rules make validity unknown, a NULL
-- lots_seed means no drawing of lots.  The rules stand where the 0.1.0
-- form has its threshold, so outcome(t, NULL, 0) keeps meaning a
-- threshold of 0 with unknown registered voters.
CREATE FUNCTION outcome(t tally, registered bigint, rules text,
						lots_seed bigint DEFAULT NULL)
	RETURNS fptp_outcome
	AS 'MODULE_PATHNAME', 'tally_outcome_rules' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION winner(t tally, registered bigint, threshold numeric DEFAULT 'NaN') RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_winner' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION winner(t tally, rules text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_winner_rules' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION winner(t tally, registered bigint, rules text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_winner_rules' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION winner_key(t tally, rules text) RETURNS text
	AS 'MODULE_PATHNAME', 'tally_winner_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION winner_key(t tally, registered bigint, rules text) RETURNS text
	AS 'MODULE_PATHNAME', 'tally_winner_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION is_valid(t tally, registered bigint, threshold numeric DEFAULT 'NaN') RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION is_valid(t tally, rules text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_is_valid_rules' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION is_valid(t tally, registered bigint, rules text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_is_valid_rules' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION needs_by_election(t tally, registered bigint, threshold numeric DEFAULT 'NaN') RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_needs_by_election' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION needs_by_election(t tally, rules text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_needs_by_election_rules' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION needs_by_election(t tally, registered bigint, rules text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_needs_by_election_rules' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION turnout_valid(t tally) RETURNS numeric
	AS 'MODULE_PATHNAME', 'tally_turnout_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION turnout_valid(t tally, registered bigint) RETURNS numeric
	AS 'MODULE_PATHNAME', 'tally_turnout_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION ballots_needed(registered bigint, threshold numeric DEFAULT 'NaN') RETURNS bigint
	AS 'MODULE_PATHNAME', 'ballots_needed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION ballots_needed(registered bigint, rules text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ballots_needed_rules' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION outcome(tally) IS 'no longer assumes a rule: raises an error that says to name one, as outcome(t, ''kz1994'') or outcome(t, ''none'')';
COMMENT ON FUNCTION outcome(tally, bigint, numeric, bigint) IS 'winner, runner-up, margin, shares, turnout, validity, tie and by-election of a constituency with these registered voters; valid iff ballots cast > registered x threshold; lots_seed, if given, draws lots among candidates tied first';
COMMENT ON FUNCTION outcome(tally, text) IS 'winner, runner-up, margin, shares, turnout, validity, tie and by-election of a constituency under a named rule set (''kz1994'': valid iff more than half of the registered voters cast a ballot; ''none'': no turnout rule), with the tally''s own registered voters';
COMMENT ON FUNCTION outcome(tally, bigint, text, bigint) IS 'the outcome under a named rule set with these registered voters (NULL: unknown); lots_seed, if given, draws lots among candidates tied first';
COMMENT ON FUNCTION winner(tally) IS 'no longer assumes a rule: raises an error that says to name one, as winner(t, ''kz1994'')';
COMMENT ON FUNCTION winner(tally, bigint, numeric) IS 'the elected candidate''s number with these registered voters and threshold, else NULL; without a threshold (its default NaN) it raises the error that says to name a rule';
COMMENT ON FUNCTION winner(tally, text) IS 'the elected candidate''s number under a named rule set (number keys), else NULL';
COMMENT ON FUNCTION winner(tally, bigint, text) IS 'the elected candidate''s number under a named rule set with these registered voters, else NULL';
COMMENT ON FUNCTION winner_key(tally, text) IS 'the elected candidate''s key as text under a named rule set, whatever the key kind, else NULL';
COMMENT ON FUNCTION winner_key(tally, bigint, text) IS 'the elected candidate''s key as text under a named rule set with these registered voters, else NULL';
COMMENT ON FUNCTION is_valid(tally) IS 'no longer assumes a rule: raises an error that says to name one, as is_valid(t, ''kz1994'')';
COMMENT ON FUNCTION is_valid(tally, bigint, numeric) IS 'true iff ballots cast exceed registered x threshold, computed exactly';
COMMENT ON FUNCTION is_valid(tally, text) IS 'whether the election is valid under a named rule set: ''kz1994'' (ballots cast > half the registered voters) or ''none'' (always)';
COMMENT ON FUNCTION is_valid(tally, bigint, text) IS 'whether the election is valid under a named rule set with these registered voters';
COMMENT ON FUNCTION needs_by_election(tally) IS 'no longer assumes a rule: raises an error that says to name one, as needs_by_election(t, ''kz1994'')';
COMMENT ON FUNCTION needs_by_election(tally, bigint, numeric) IS 'true if the seat stays empty with these registered voters and threshold';
COMMENT ON FUNCTION needs_by_election(tally, text) IS 'true if the seat stays empty under a named rule set: no candidates, low turnout, no valid votes or a tie';
COMMENT ON FUNCTION needs_by_election(tally, bigint, text) IS 'true if the seat stays empty under a named rule set with these registered voters';
COMMENT ON FUNCTION turnout(tally) IS 'ballots cast as a percentage of the tally''s registered voters';
COMMENT ON FUNCTION turnout_valid(tally) IS 'valid votes as a percentage of the tally''s registered voters (the House of Commons Library''s turnout)';
COMMENT ON FUNCTION turnout_valid(tally, bigint) IS 'valid votes as a percentage of these registered voters';
COMMENT ON FUNCTION ballots_needed(bigint, numeric) IS 'the fewest ballots that make an election valid: floor(registered x threshold) + 1';
COMMENT ON FUNCTION ballots_needed(bigint, text) IS 'the fewest ballots that make an election valid under a named rule set; 0 without a turnout rule';

COMMENT ON COLUMN election_summary.seats IS 'constituencies (one seat each)';
COMMENT ON COLUMN election_summary.seats_filled IS 'seats with an elected candidate';
COMMENT ON COLUMN election_summary.by_elections IS 'seats left empty for a by-election (no candidates, low turnout, no valid votes, a tie)';
COMMENT ON COLUMN election_summary.undecided IS 'seats whose validity is unknown (registered voters or the rule unknown)';
COMMENT ON COLUMN election_summary.registered IS 'registered voters; NULL if any constituency''s are unknown';
COMMENT ON COLUMN election_summary."cast" IS 'ballots cast';
COMMENT ON COLUMN election_summary.turnout IS 'ballots cast as a percentage of registered voters';
COMMENT ON COLUMN election_summary.invalid IS 'blank or invalid ballots';
COMMENT ON COLUMN election_summary.valid_votes IS 'votes for candidates';
COMMENT ON COLUMN election_summary.candidates IS 'candidates standing, all constituencies together';
COMMENT ON COLUMN election_summary.turnout_valid IS 'valid votes as a percentage of registered voters';

--
-- ======================================================================
-- Candidate rules: an out-of-range minimum age is an error
-- ======================================================================
--

CREATE FUNCTION candidate_min_age(min_age integer) RETURNS integer
	AS 'MODULE_PATHNAME', 'candidate_min_age' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION candidate_min_age(integer) IS 'min_age itself if it is between 0 and 150 years, else an error; used by candidate_violations';

-- Not strict: a NULL fact (or rule parameter) means the rule cannot be
-- shown to be met, and the rule is reported; signatures and residents
-- matter only for an association's nominee.
CREATE FUNCTION candidate_violations(birth_date date, nominated_by text,
									 signatures bigint, residents bigint,
									 registered_on date,
									 election_day date DEFAULT '1994-03-07',
									 min_age integer DEFAULT 20,
									 signature_share numeric DEFAULT 0.03,
									 registration_opens date DEFAULT '1994-01-26',
									 registration_closes date DEFAULT '1994-02-08')
	RETURNS text[]
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.array_remove(ARRAY[
	CASE WHEN (birth_date OPERATOR(pg_catalog.<=)
			   (election_day OPERATOR(pg_catalog.-)
				pg_catalog.make_interval(candidate_min_age(min_age)))::pg_catalog.date) IS TRUE
		THEN NULL ELSE 'min_age' END,
	CASE WHEN (nominated_by OPERATOR(pg_catalog.=) 'self'
			   OR nominated_by OPERATOR(pg_catalog.=) 'association') IS TRUE
		THEN NULL ELSE 'nomination' END,
	CASE WHEN (nominated_by OPERATOR(pg_catalog.=) 'association') IS NOT TRUE THEN NULL
		WHEN (signatures OPERATOR(pg_catalog.>=) signatures_needed(residents, signature_share)) IS TRUE
		THEN NULL ELSE 'signatures' END,
	CASE WHEN (registered_on OPERATOR(pg_catalog.>=) registration_opens
			   AND registered_on OPERATOR(pg_catalog.<=) registration_closes) IS TRUE
		THEN NULL ELSE 'registration_period' END
]::pg_catalog.text[], NULL);

COMMENT ON FUNCTION candidate_violations(date, text, bigint, bigint, date, date, integer, numeric, date, date) IS 'every candidate rule broken (an out-of-range min_age is an error), empty if none: min_age (at least min_age years old on election day; born on election day min_age years earlier passes), nomination (by ''self'' or ''association''), signatures (an association''s nominee needs signatures_needed(residents, signature_share)), registration_period (registered between the two dates, both included); defaults are the 1994 rules, a NULL fact breaks its rule';

--
-- ======================================================================
-- Aggregate states that are real types
-- ======================================================================
--
-- Every aggregate's state is a type with exact text and binary forms,
-- never internal, so that Citus can run it partially on its workers: a
-- worker sends each partial state through the type's text output, the
-- coordinator reads it back and merges it with the combine function.
-- The tally aggregates keep a tally as their state (an expanded object in
-- memory, updated in place); election_summary has a small state type of
-- its own.  Moving windows keep an internal state with an inverse
-- transition (Citus never uses it).

-- Not strict: a NULL candidate is a blank or invalid ballot.
CREATE FUNCTION tally_ballot_transfn(tally, bigint) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_state_ballot_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: a NULL key is a blank or invalid ballot.
CREATE FUNCTION tally_key_ballot_transfn(tally, text) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_state_key_ballot_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: a NULL candidate is the blank or invalid ballots' row, a
-- NULL votes is skipped.
CREATE FUNCTION tally_votes_transfn(tally, bigint, bigint) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_state_votes_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: a NULL key is the blank or invalid ballots' row, a NULL
-- votes is skipped.
CREATE FUNCTION tally_key_votes_transfn(tally, text, bigint) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_state_key_votes_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: either state may be missing (and sum(tally) skips NULLs).
CREATE FUNCTION tally_combine(tally, tally) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION tally_finalfn(tally) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_state_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION fptp_winner_finalfn(tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'fptp_winner_state_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION fptp_winner_key_finalfn(tally) RETURNS text
	AS 'MODULE_PATHNAME', 'fptp_winner_key_state_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION tally_ballot_transfn(tally, bigint) IS 'aggregate support: adds one ballot to a count held as a tally';
COMMENT ON FUNCTION tally_key_ballot_transfn(tally, text) IS 'aggregate support: adds one ballot for a text key to a count held as a tally';
COMMENT ON FUNCTION tally_votes_transfn(tally, bigint, bigint) IS 'aggregate support: adds a candidate''s votes to a count held as a tally';
COMMENT ON FUNCTION tally_key_votes_transfn(tally, text, bigint) IS 'aggregate support: adds a text-keyed candidate''s votes to a count held as a tally';
COMMENT ON FUNCTION tally_combine(tally, tally) IS 'aggregate support: adds the second count to the first (the combine function of every tally aggregate, and sum(tally)''s transition)';
COMMENT ON FUNCTION tally_finalfn(tally) IS 'aggregate support: the tally of a count';
COMMENT ON FUNCTION fptp_winner_finalfn(tally) IS 'aggregate support: the unique leader of a count';
COMMENT ON FUNCTION fptp_winner_key_finalfn(tally) IS 'aggregate support: the text key of the unique leader of a count';

CREATE AGGREGATE tally(candidate bigint) (
	SFUNC = tally_ballot_transfn,
	STYPE = tally,
	SSPACE = 608,
	FINALFUNC = tally_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	MSFUNC = tally_ballot_transfn,
	MINVFUNC = tally_ballot_invfn,
	MSTYPE = internal,
	MSSPACE = 512,
	MFINALFUNC = tally_finalfn,
	MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE AGGREGATE tally(candidate bigint, votes bigint) (
	SFUNC = tally_votes_transfn,
	STYPE = tally,
	SSPACE = 608,
	FINALFUNC = tally_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE tally(candidate text) (
	SFUNC = tally_key_ballot_transfn,
	STYPE = tally,
	SSPACE = 800,
	FINALFUNC = tally_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	MSFUNC = tally_key_ballot_transfn,
	MINVFUNC = tally_key_ballot_invfn,
	MSTYPE = internal,
	MSSPACE = 512,
	MFINALFUNC = tally_finalfn,
	MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE AGGREGATE tally(candidate text, votes bigint) (
	SFUNC = tally_key_votes_transfn,
	STYPE = tally,
	SSPACE = 800,
	FINALFUNC = tally_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE sum(tally) (
	SFUNC = tally_combine,
	STYPE = tally,
	SSPACE = 800,
	FINALFUNC = tally_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE fptp_winner(candidate bigint) (
	SFUNC = tally_ballot_transfn,
	STYPE = tally,
	SSPACE = 608,
	FINALFUNC = fptp_winner_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	MSFUNC = tally_ballot_transfn,
	MINVFUNC = tally_ballot_invfn,
	MSTYPE = internal,
	MSSPACE = 512,
	MFINALFUNC = fptp_winner_finalfn,
	MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE AGGREGATE fptp_winner(candidate bigint, votes bigint) (
	SFUNC = tally_votes_transfn,
	STYPE = tally,
	SSPACE = 608,
	FINALFUNC = fptp_winner_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE fptp_winner(candidate text) (
	SFUNC = tally_key_ballot_transfn,
	STYPE = tally,
	SSPACE = 800,
	FINALFUNC = fptp_winner_key_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	MSFUNC = tally_key_ballot_transfn,
	MINVFUNC = tally_key_ballot_invfn,
	MSTYPE = internal,
	MSSPACE = 512,
	MFINALFUNC = fptp_winner_key_finalfn,
	MFINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);

CREATE AGGREGATE fptp_winner(candidate text, votes bigint) (
	SFUNC = tally_key_votes_transfn,
	STYPE = tally,
	SSPACE = 800,
	FINALFUNC = fptp_winner_key_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = tally_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE tally(bigint) IS 'counts ballots: one row per ballot cast, a NULL candidate is a blank or invalid ballot';
COMMENT ON AGGREGATE tally(bigint, bigint) IS 'counts candidate totals: one row per candidate with its votes, a NULL candidate carries the blank or invalid ballots';
COMMENT ON AGGREGATE tally(text) IS 'counts ballots keyed by text (a name, a party code): one row per ballot cast, a NULL key is a blank or invalid ballot';
COMMENT ON AGGREGATE tally(text, bigint) IS 'counts candidate totals keyed by text: one row per candidate with its votes, a NULL key carries the blank or invalid ballots';
COMMENT ON AGGREGATE sum(tally) IS 'merges disjoint parts of a count: polling stations into constituencies, constituencies into regions';
COMMENT ON AGGREGATE fptp_winner(bigint) IS 'the candidate with the most ballots; NULL when first place is tied or nobody got a vote';
COMMENT ON AGGREGATE fptp_winner(bigint, bigint) IS 'the candidate with the most votes from candidate totals; NULL when first place is tied or nobody got a vote';
COMMENT ON AGGREGATE fptp_winner(text) IS 'the text key with the most ballots; NULL when first place is tied or nobody got a vote';
COMMENT ON AGGREGATE fptp_winner(text, bigint) IS 'the text key with the most votes from candidate totals; NULL when first place is tied or nobody got a vote';

CREATE TYPE election_summary_state;

CREATE FUNCTION election_summary_state_in(cstring) RETURNS election_summary_state
	AS 'MODULE_PATHNAME', 'summary_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION election_summary_state_out(election_summary_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'summary_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION election_summary_state_recv(internal) RETURNS election_summary_state
	AS 'MODULE_PATHNAME', 'summary_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION election_summary_state_send(election_summary_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'summary_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE election_summary_state (
	INPUT = election_summary_state_in,
	OUTPUT = election_summary_state_out,
	RECEIVE = election_summary_state_recv,
	SEND = election_summary_state_send,
	INTERNALLENGTH = 80,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE election_summary_state IS 'a partial election summary, the state of election_summary: seats, how they ended, and the totals, as in seats=2 seats_filled=1 by_elections=1 undecided=0 registered=2000 registered_complete=true cast=1300 invalid=20 valid_votes=1280 candidates=5';
COMMENT ON FUNCTION election_summary_state_in(cstring) IS 'reads an election summary state, checking that its counts are consistent';
COMMENT ON FUNCTION election_summary_state_out(election_summary_state) IS 'an election summary state in its text form';
COMMENT ON FUNCTION election_summary_state_recv(internal) IS 'reads an election summary state from its binary form, with the checks of its text input';
COMMENT ON FUNCTION election_summary_state_send(election_summary_state) IS 'an election summary state in its binary form';

-- Not strict: a NULL tally is skipped, a NULL rules or registered leaves
-- the seat undecided; the forms that name no rule raise an error.
CREATE FUNCTION election_summary_transfn(election_summary_state, tally) RETURNS election_summary_state
	AS 'MODULE_PATHNAME', 'summary_state_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION election_summary_transfn(election_summary_state, tally, bigint) RETURNS election_summary_state
	AS 'MODULE_PATHNAME', 'summary_state_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION election_summary_transfn(election_summary_state, tally, bigint, numeric) RETURNS election_summary_state
	AS 'MODULE_PATHNAME', 'summary_state_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION election_summary_transfn(election_summary_state, tally, text) RETURNS election_summary_state
	AS 'MODULE_PATHNAME', 'summary_state_transfn_rules' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION election_summary_transfn(election_summary_state, tally, bigint, text) RETURNS election_summary_state
	AS 'MODULE_PATHNAME', 'summary_state_transfn_rules' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION election_summary_combine(election_summary_state, election_summary_state) RETURNS election_summary_state
	AS 'MODULE_PATHNAME', 'summary_state_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION election_summary_finalfn(election_summary_state) RETURNS election_summary
	AS 'MODULE_PATHNAME', 'summary_state_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION election_summary_transfn(election_summary_state, tally) IS 'aggregate support: raises the error that says to name a rule';
COMMENT ON FUNCTION election_summary_transfn(election_summary_state, tally, bigint) IS 'aggregate support: raises the error that says to name a rule';
COMMENT ON FUNCTION election_summary_transfn(election_summary_state, tally, bigint, numeric) IS 'aggregate support: adds one constituency with its registered voters and validity threshold';
COMMENT ON FUNCTION election_summary_transfn(election_summary_state, tally, text) IS 'aggregate support: adds one constituency under a named rule set';
COMMENT ON FUNCTION election_summary_transfn(election_summary_state, tally, bigint, text) IS 'aggregate support: adds one constituency under a named rule set with its registered voters';
COMMENT ON FUNCTION election_summary_combine(election_summary_state, election_summary_state) IS 'aggregate support: adds the second partial summary to the first';
COMMENT ON FUNCTION election_summary_finalfn(election_summary_state) IS 'aggregate support: the summary row, NULL when no constituency was counted';

CREATE AGGREGATE election_summary(t tally) (
	SFUNC = election_summary_transfn,
	STYPE = election_summary_state,
	SSPACE = 80,
	INITCOND = 'seats=0 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=true cast=0 invalid=0 valid_votes=0 candidates=0',
	FINALFUNC = election_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = election_summary_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE election_summary(t tally, registered bigint) (
	SFUNC = election_summary_transfn,
	STYPE = election_summary_state,
	SSPACE = 80,
	INITCOND = 'seats=0 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=true cast=0 invalid=0 valid_votes=0 candidates=0',
	FINALFUNC = election_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = election_summary_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE election_summary(t tally, registered bigint, threshold numeric) (
	SFUNC = election_summary_transfn,
	STYPE = election_summary_state,
	SSPACE = 80,
	INITCOND = 'seats=0 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=true cast=0 invalid=0 valid_votes=0 candidates=0',
	FINALFUNC = election_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = election_summary_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE election_summary(t tally, rules text) (
	SFUNC = election_summary_transfn,
	STYPE = election_summary_state,
	SSPACE = 80,
	INITCOND = 'seats=0 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=true cast=0 invalid=0 valid_votes=0 candidates=0',
	FINALFUNC = election_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = election_summary_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE election_summary(t tally, registered bigint, rules text) (
	SFUNC = election_summary_transfn,
	STYPE = election_summary_state,
	SSPACE = 80,
	INITCOND = 'seats=0 seats_filled=0 by_elections=0 undecided=0 registered=0 registered_complete=true cast=0 invalid=0 valid_votes=0 candidates=0',
	FINALFUNC = election_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = election_summary_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE election_summary(tally) IS 'no longer assumes a rule: raises an error that says to name one, as election_summary(t, ''kz1994'')';
COMMENT ON AGGREGATE election_summary(tally, bigint) IS 'no longer assumes a rule: raises an error that says to name one, as election_summary(t, registered, ''kz1994'')';
COMMENT ON AGGREGATE election_summary(tally, bigint, numeric) IS 'the published results of an election with registered voters and the validity threshold given: a seat is filled when ballots cast > registered x threshold and one candidate leads';
COMMENT ON AGGREGATE election_summary(tally, text) IS 'the published results of an election under a named rule set (''kz1994'' or ''none''), one row per constituency, each tally''s own registered voters';
COMMENT ON AGGREGATE election_summary(tally, bigint, text) IS 'the published results of an election under a named rule set with each constituency''s registered voters given beside its tally (NULL: unknown)';

--
-- ======================================================================
-- Results night: seats by party, holds and gains, swing, party-system
-- indices (src/core/seats.c, src/seats_sql.c)
-- ======================================================================
--

CREATE TYPE party_seats AS (
	party text,
	seats bigint,
	votes bigint,
	vote_share numeric,
	seat_share numeric,
	candidates bigint
);

COMMENT ON TYPE party_seats IS 'one party''s results: its label, seats won, votes, vote share (percent of valid votes), seat share (percent of all seats, empty ones included) and candidates';
COMMENT ON COLUMN party_seats.party IS 'the party label (a candidate''s key when the parties object does not name it)';
COMMENT ON COLUMN party_seats.seats IS 'seats won: constituencies where this party''s candidate alone has the most votes';
COMMENT ON COLUMN party_seats.votes IS 'votes of all the party''s candidates';
COMMENT ON COLUMN party_seats.vote_share IS 'votes as percent of all valid votes; NULL without valid votes';
COMMENT ON COLUMN party_seats.seat_share IS 'seats won as percent of all seats, empty ones included';
COMMENT ON COLUMN party_seats.candidates IS 'candidates who stood for the party';

CREATE TYPE seat_summary AS (
	seats bigint,
	seats_filled bigint,
	seats_empty bigint,
	majority_needed bigint,
	largest_party text,
	largest_party_seats bigint,
	overall_majority boolean,
	parties bigint,
	candidates bigint,
	registered bigint,
	ballots_cast bigint,
	invalid bigint,
	valid_votes bigint,
	turnout numeric,
	turnout_valid numeric,
	gallagher double precision,
	loosemore_hanby double precision,
	enp_votes double precision,
	enp_seats double precision
);

COMMENT ON TYPE seat_summary IS 'the national (or regional) line of a first-past-the-post election: seats, filled, empty (tie or no votes), majority needed (floor(seats / 2) + 1), the largest party (NULL on a tie) and its seats, overall majority, party labels, candidates, registered voters (NULL if any constituency''s are unknown), ballots cast, blank or invalid, valid votes, turnout as all ballots and as valid votes over registered voters (percent), Gallagher and Loosemore-Hanby indices (percentage points, against the seats filled), effective numbers of parties by votes and by seats';
COMMENT ON COLUMN seat_summary.seats IS 'constituencies (seats), NULL tallies not counted';
COMMENT ON COLUMN seat_summary.seats_filled IS 'seats with a winner: one candidate with the most votes, more than zero';
COMMENT ON COLUMN seat_summary.seats_empty IS 'seats left empty: a tie for first place or no votes';
COMMENT ON COLUMN seat_summary.majority_needed IS 'floor(seats / 2) + 1';
COMMENT ON COLUMN seat_summary.largest_party IS 'the party with the most seats; NULL if two or more share the most, or no seat is filled';
COMMENT ON COLUMN seat_summary.largest_party_seats IS 'the most seats any party won';
COMMENT ON COLUMN seat_summary.overall_majority IS 'whether a party won at least majority_needed seats (false: hung)';
COMMENT ON COLUMN seat_summary.parties IS 'party labels with at least one candidate';
COMMENT ON COLUMN seat_summary.candidates IS 'candidates in all constituencies';
COMMENT ON COLUMN seat_summary.registered IS 'registered voters; NULL if any constituency''s are unknown';
COMMENT ON COLUMN seat_summary.ballots_cast IS 'ballots cast';
COMMENT ON COLUMN seat_summary.invalid IS 'blank or invalid ballots';
COMMENT ON COLUMN seat_summary.valid_votes IS 'votes for candidates';
COMMENT ON COLUMN seat_summary.turnout IS 'ballots cast as percent of registered voters';
COMMENT ON COLUMN seat_summary.turnout_valid IS 'valid votes as percent of registered voters (the House of Commons Library''s turnout)';
COMMENT ON COLUMN seat_summary.gallagher IS 'Gallagher''s least-squares index, sqrt(sum((v - s)^2) / 2), percentage points of vote share v against share s of the seats filled';
COMMENT ON COLUMN seat_summary.loosemore_hanby IS 'Loosemore-Hanby index, sum(|v - s|) / 2, percentage points';
COMMENT ON COLUMN seat_summary.enp_votes IS 'effective number of parties by votes (Laakso-Taagepera), 1 / sum of squared vote shares';
COMMENT ON COLUMN seat_summary.enp_seats IS 'effective number of parties by seats filled, 1 / sum of squared seat shares';

-- The seats aggregates' state as a type of its own (src/seats_sql.c), so
-- that Citus can run party_seats and seat_summary partially: the core's
-- checked binary form of a seats state, written as text in hex after
-- "seats:".
CREATE TYPE seats_state;

CREATE FUNCTION seats_state_in(cstring) RETURNS seats_state
	AS 'MODULE_PATHNAME', 'seats_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION seats_state_out(seats_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'seats_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION seats_state_recv(internal) RETURNS seats_state
	AS 'MODULE_PATHNAME', 'seats_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION seats_state_send(seats_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'seats_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE seats_state (
	INPUT = seats_state_in,
	OUTPUT = seats_state_out,
	RECEIVE = seats_state_recv,
	SEND = seats_state_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);

COMMENT ON TYPE seats_state IS 'a partial seat count, the state of party_seats and seat_summary: votes, seats won and candidates by party label, seats left empty, ballots cast and registered voters; its text form is seats: and the hexadecimal digits of its binary form';
COMMENT ON FUNCTION seats_state_in(cstring) IS 'reads a seats state from seats: and hexadecimal digits, checking every count and how they agree';
COMMENT ON FUNCTION seats_state_out(seats_state) IS 'a seats state in its text form, seats: and the hexadecimal digits of its binary form';
COMMENT ON FUNCTION seats_state_recv(internal) IS 'reads a seats state from its binary form, with the checks of its text input';
COMMENT ON FUNCTION seats_state_send(seats_state) IS 'a seats state in its binary form';

-- Not strict: a NULL tally is skipped, a NULL parties object means every
-- candidate key is its own party label.
CREATE FUNCTION seats_transfn(seats_state, tally) RETURNS seats_state
	AS 'MODULE_PATHNAME', 'seats_state_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION seats_transfn(seats_state, tally, jsonb) RETURNS seats_state
	AS 'MODULE_PATHNAME', 'seats_state_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict, also: a NULL rules makes every seat's validity unknown.
CREATE FUNCTION seats_transfn(seats_state, tally, jsonb, text) RETURNS seats_state
	AS 'MODULE_PATHNAME', 'seats_state_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: either partial state may be missing.
CREATE FUNCTION seats_combine(seats_state, seats_state) RETURNS seats_state
	AS 'MODULE_PATHNAME', 'seats_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION party_seats_finalfn(seats_state) RETURNS party_seats[]
	AS 'MODULE_PATHNAME', 'party_seats_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION seat_summary_finalfn(seats_state) RETURNS seat_summary
	AS 'MODULE_PATHNAME', 'seat_summary_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION seats_transfn(seats_state, tally) IS 'aggregate support: adds one constituency, each candidate key its own party label';
COMMENT ON FUNCTION seats_transfn(seats_state, tally, jsonb) IS 'aggregate support: adds one constituency with its candidates'' party labels';
COMMENT ON FUNCTION seats_transfn(seats_state, tally, jsonb, text) IS 'aggregate support: adds one constituency with its candidates'' party labels under a named rule set';
COMMENT ON FUNCTION seats_combine(seats_state, seats_state) IS 'aggregate support: adds the second partial seat count to the first';
COMMENT ON FUNCTION party_seats_finalfn(seats_state) IS 'aggregate support: the party rows';
COMMENT ON FUNCTION seat_summary_finalfn(seats_state) IS 'aggregate support: the summary row';

CREATE AGGREGATE party_seats(t tally) (
	SFUNC = seats_transfn,
	STYPE = seats_state,
	SSPACE = 4096,
	FINALFUNC = party_seats_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE party_seats(t tally, parties jsonb) (
	SFUNC = seats_transfn,
	STYPE = seats_state,
	SSPACE = 4096,
	FINALFUNC = party_seats_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE seat_summary(t tally) (
	SFUNC = seats_transfn,
	STYPE = seats_state,
	SSPACE = 4096,
	FINALFUNC = seat_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE seat_summary(t tally, parties jsonb) (
	SFUNC = seats_transfn,
	STYPE = seats_state,
	SSPACE = 4096,
	FINALFUNC = seat_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE party_seats(t tally, parties jsonb, rules text) (
	SFUNC = seats_transfn,
	STYPE = seats_state,
	SSPACE = 4096,
	FINALFUNC = party_seats_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE seat_summary(t tally, parties jsonb, rules text) (
	SFUNC = seats_transfn,
	STYPE = seats_state,
	SSPACE = 4096,
	FINALFUNC = seat_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE party_seats(tally) IS 'seats by party over constituency tallies keyed by party: one party_seats row per label, most seats first; a tie or no votes leaves a seat empty';
COMMENT ON AGGREGATE party_seats(tally, jsonb) IS 'seats by party over constituency tallies keyed by candidate, with a jsonb object mapping each candidate key to its party label; two candidates with one label stay two candidates';
COMMENT ON AGGREGATE seat_summary(tally) IS 'the national line over constituency tallies keyed by party: seats, filled, empty, majority needed, largest party, overall majority, votes, turnout both ways, party-system indices';
COMMENT ON AGGREGATE seat_summary(tally, jsonb) IS 'the national line over constituency tallies keyed by candidate, with a jsonb object mapping each candidate key to its party label';
COMMENT ON AGGREGATE party_seats(tally, jsonb, text) IS 'seats by party under a named rule set (''kz1994'', ''none''): a seat is filled only where outcome(t, rules) elects someone; a by-election leaves it empty';
COMMENT ON AGGREGATE seat_summary(tally, jsonb, text) IS 'the national line under a named rule set (''kz1994'', ''none''): by-elections and seats of unknown validity are empty seats';

-- Not strict: a NULL previous_label means "the previous party's own code".
CREATE FUNCTION hold_or_gain(party text, previous_party text, previous_label text DEFAULT NULL)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE
		WHEN party IS NULL OR previous_party IS NULL THEN NULL
		WHEN party OPERATOR(pg_catalog.=) previous_party THEN party OPERATOR(pg_catalog.||) ' hold'
		ELSE party OPERATOR(pg_catalog.||) ' gain from '
			 OPERATOR(pg_catalog.||) COALESCE(previous_label, previous_party)
	END;

COMMENT ON FUNCTION hold_or_gain(text, text, text) IS 'a seat''s result against the election before, labelled as the House of Commons Library does: "Lab hold", "Con gain from Lab"; previous_label names the loser in a gain (e.g. "Lab Coop") when it differs from its party code; NULL if either winner is unknown';

CREATE FUNCTION butler_swing(before tally, after tally, from_party text, to_party text) RETURNS numeric
	AS 'MODULE_PATHNAME', 'butler_swing' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION butler_swing(before tally, after tally, from_party bigint, to_party bigint) RETURNS numeric
	AS 'MODULE_PATHNAME', 'butler_swing_bigint' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION butler_swing(tally, tally, text, text) IS 'Butler swing from from_party to to_party between two tallies keyed by party: the average of to_party''s rise and from_party''s fall in share of valid votes, in percentage points; NULL if either has no valid votes';
COMMENT ON FUNCTION butler_swing(tally, tally, bigint, bigint) IS 'Butler swing between two tallies keyed by party number';

--
-- ======================================================================
-- Audit and election night
-- ======================================================================
--

CREATE TYPE protocol_problem AS (
	code text,
	severity text,
	message text,
	candidate text,
	found numeric,
	expected numeric
);

COMMENT ON TYPE protocol_problem IS 'one problem of a protocol, as protocol_problems reports it';
COMMENT ON COLUMN protocol_problem.code IS 'what is wrong: votes_exceed_cast, ballots_unaccounted, cast_exceeds_registered, valid_mismatch, blank_share, invalid_share, admitted_mismatch, same_votes, no_votes, negative_count, duplicate_candidate, missing_candidate, missing_votes or array_lengths';
COMMENT ON COLUMN protocol_problem.severity IS 'error (the numbers cannot all be right) or warning (unusual, worth a look)';
COMMENT ON COLUMN protocol_problem.message IS 'the problem in one sentence, with its numbers';
COMMENT ON COLUMN protocol_problem.candidate IS 'the candidate concerned, as text; NULL if the problem is not one candidate''s';
COMMENT ON COLUMN protocol_problem.found IS 'the number found: a sum, a count or a difference, exactly (numeric: sums may pass 64 bits)';
COMMENT ON COLUMN protocol_problem.expected IS 'the number it was checked against: ballots cast, declared valid votes, registered voters, ballots issued, or the whole a share is of';

-- Not strict: a NULL count is a count not given, whose checks are not
-- made; a NULL tolerance turns its check off.  Bad counts are rows, never
-- errors.
CREATE FUNCTION protocol_problems(candidates text[], votes bigint[],
								  registered bigint DEFAULT NULL,
								  ballots_issued bigint DEFAULT NULL,
								  ballots_cast bigint DEFAULT NULL,
								  blank bigint DEFAULT NULL,
								  invalid bigint DEFAULT NULL,
								  declared_valid bigint DEFAULT NULL,
								  same_votes bigint DEFAULT NULL,
								  blank_share numeric DEFAULT 0.03,
								  invalid_share numeric DEFAULT 0.03,
								  admitted_share numeric DEFAULT 0.02,
								  admitted_min bigint DEFAULT 15)
	RETURNS SETOF protocol_problem
	AS 'MODULE_PATHNAME', 'protocol_problems_keys' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;

CREATE FUNCTION protocol_problems(candidates bigint[], votes bigint[],
								  registered bigint DEFAULT NULL,
								  ballots_issued bigint DEFAULT NULL,
								  ballots_cast bigint DEFAULT NULL,
								  blank bigint DEFAULT NULL,
								  invalid bigint DEFAULT NULL,
								  declared_valid bigint DEFAULT NULL,
								  same_votes bigint DEFAULT NULL,
								  blank_share numeric DEFAULT 0.03,
								  invalid_share numeric DEFAULT 0.03,
								  admitted_share numeric DEFAULT 0.02,
								  admitted_min bigint DEFAULT 15)
	RETURNS SETOF protocol_problem
	AS 'MODULE_PATHNAME', 'protocol_problems' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;

COMMENT ON FUNCTION protocol_problems(text[], bigint[], bigint, bigint, bigint, bigint, bigint, bigint, bigint, numeric, numeric, numeric, bigint) IS 'every problem of a protocol with text keys as rows, never an error: votes plus blank and invalid above or below ballots cast, cast above registered, votes not adding up to the declared valid votes, blank or invalid share above a tolerance (3%), ballots issued and cast apart (2% and 15), the same votes at several stations, no votes, negative, NULL or repeated entries; a NULL count is not checked';
COMMENT ON FUNCTION protocol_problems(bigint[], bigint[], bigint, bigint, bigint, bigint, bigint, bigint, bigint, numeric, numeric, numeric, bigint) IS 'every problem of a protocol with number keys as rows, never an error; the same checks as the text-key form';

CREATE FUNCTION compare_counts(a tally, b tally, rules text)
	RETURNS TABLE (item text, candidate text, in_a bigint, in_b bigint, difference bigint,
				   changes_winner boolean, changes_validity boolean)
	AS 'MODULE_PATHNAME', 'compare_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;

COMMENT ON FUNCTION compare_counts(tally, tally, text) IS 'two counts of one constituency compared (a recount, double data entry): one row per count that differs (registered, cast, invalid, blank, issued, parts, provisional, each candidate''s votes), difference = b - a, and whether the differences change the elected candidate or the validity under the rules (NULL if unknown)';

CREATE TYPE election_call AS (
	remaining bigint,
	margin bigint,
	ballots_to_valid bigint,
	leader_can_change boolean,
	validity_can_change boolean,
	winner_can_change boolean,
	decided boolean
);

COMMENT ON TYPE election_call IS 'the exact call while the count goes on, as can_change returns it';
COMMENT ON COLUMN election_call.remaining IS 'ballots still possible: registered voters minus ballots cast, or the remaining given';
COMMENT ON COLUMN election_call.margin IS 'first place''s votes minus second place''s; NULL with fewer than two candidates';
COMMENT ON COLUMN election_call.ballots_to_valid IS 'more ballots needed for a valid election (0 if it is valid); NULL if it can no longer become valid';
COMMENT ON COLUMN election_call.leader_can_change IS 'the remaining ballots can still give first place to someone else or make it a tie: remaining >= margin (at least 1)';
COMMENT ON COLUMN election_call.validity_can_change IS 'the election is not valid yet but the remaining ballots can still make it valid';
COMMENT ON COLUMN election_call.winner_can_change IS 'the elected candidate (or nobody) can still change';
COMMENT ON COLUMN election_call.decided IS 'neither the winner nor the validity can change any more';

-- Not strict: a NULL remaining means registered - cast; any other NULL
-- argument gives NULL.
CREATE FUNCTION can_change(t tally, registered bigint, rules text, remaining bigint DEFAULT NULL)
	RETURNS election_call
	AS 'MODULE_PATHNAME', 'can_change' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION can_change(t tally, rules text) RETURNS election_call
	AS 'MODULE_PATHNAME', 'can_change' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION can_change(tally, bigint, text, bigint) IS 'whether the ballots not yet counted (at most remaining, by default registered - cast) can still change the winner or the validity under the rules, computed exactly over every way they could fall';
COMMENT ON FUNCTION can_change(tally, text) IS 'can_change with the tally''s own registered voters; NULL if it does not know them';

--
-- Blank and invalid apart, ballots issued, parts (0.2.0): the tally's
-- optional trailer.  A tally made without them reads as before.
--

CREATE FUNCTION blank(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_blank' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION other_invalid(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_other_invalid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION ballots_issued(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_ballots_issued' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION parts(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_parts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION provisional_parts(t tally) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_provisional_parts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION is_final(t tally) RETURNS boolean
	AS 'MODULE_PATHNAME', 'tally_is_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Not strict: a NULL blank makes the tally's blank ballots unknown.
CREATE FUNCTION with_blank(t tally, blank bigint) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_with_blank' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: a NULL ballots_issued makes the tally's ballots issued unknown.
CREATE FUNCTION with_ballots_issued(t tally, ballots_issued bigint) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_with_ballots_issued' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION with_parts(t tally, parts bigint, provisional bigint DEFAULT 0) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_with_parts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION as_part(t tally, final boolean DEFAULT false) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_as_part' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION blank(tally) IS 'blank ballots, counted among invalid(t); NULL if not known (0 when invalid is 0)';
COMMENT ON FUNCTION other_invalid(tally) IS 'ballots invalid for another reason than being blank: invalid(t) - blank(t); NULL if blank is not known';
COMMENT ON FUNCTION ballots_issued(tally) IS 'ballots issued (voters admitted), NULL if not known';
COMMENT ON FUNCTION parts(tally) IS 'how many parts (station protocols) the tally holds; 0 when it has no parts mark';
COMMENT ON FUNCTION provisional_parts(tally) IS 'how many of the tally''s parts are provisional';
COMMENT ON FUNCTION is_final(tally) IS 'true when the tally has parts and every one is final, false when some are provisional, NULL without a parts mark';
COMMENT ON FUNCTION with_blank(tally, bigint) IS 'the same tally with its blank ballots (at most invalid) set, or made unknown by NULL';
COMMENT ON FUNCTION with_ballots_issued(tally, bigint) IS 'the same tally with its ballots issued (voters admitted, at most registered) set, or made unknown by NULL';
COMMENT ON FUNCTION with_parts(tally, bigint, bigint) IS 'the same tally marked as holding parts parts (station protocols), provisional of them provisional; parts 0 removes the mark';
COMMENT ON FUNCTION as_part(tally, boolean) IS 'the same tally marked as one part (station protocol), provisional unless final; sums add the parts, so a sum tells how many stations reported and whether all are final';

-- Not strict, as the other forms: a NULL tolerance turns its check off,
-- and a NULL tally has no problems.
CREATE FUNCTION protocol_problems(t tally,
								  declared_valid bigint DEFAULT NULL,
								  same_votes bigint DEFAULT NULL,
								  blank_share numeric DEFAULT 0.03,
								  invalid_share numeric DEFAULT 0.03,
								  admitted_share numeric DEFAULT 0.02,
								  admitted_min bigint DEFAULT 15)
	RETURNS SETOF protocol_problem
	AS 'MODULE_PATHNAME', 'protocol_problems_tally' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;

COMMENT ON FUNCTION protocol_problems(tally, bigint, bigint, numeric, numeric, numeric, bigint) IS 'the problems of a stored tally as rows, with its own registered voters, ballots issued and blank ballots where it knows them: blank or invalid share above a tolerance, ballots issued and cast apart, votes not adding up to the declared valid votes, the same votes at several stations, no votes';
