/* maslihat--0.1.0--0.2.0.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION maslihat UPDATE TO '0.2.0'" to load this file. \quit

--
-- Results night: seats by party, holds and gains, swing, party-system
-- indices (helper uk; src/core/seats.c, src/seats_sql.c)
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

-- Not strict: a NULL tally is skipped, a NULL parties object means every
-- candidate key is its own party label.
CREATE FUNCTION seats_transfn(internal, tally) RETURNS internal
	AS 'MODULE_PATHNAME', 'seats_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION seats_transfn(internal, tally, jsonb) RETURNS internal
	AS 'MODULE_PATHNAME', 'seats_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Not strict: either partial state may be missing.
CREATE FUNCTION seats_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'seats_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION seats_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'seats_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION seats_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'seats_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION party_seats_finalfn(internal) RETURNS party_seats[]
	AS 'MODULE_PATHNAME', 'party_seats_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION seat_summary_finalfn(internal) RETURNS seat_summary
	AS 'MODULE_PATHNAME', 'seat_summary_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION seats_transfn(internal, tally) IS 'aggregate support: adds one constituency, each candidate key its own party label';
COMMENT ON FUNCTION seats_transfn(internal, tally, jsonb) IS 'aggregate support: adds one constituency with its candidates'' party labels';
COMMENT ON FUNCTION seats_combine(internal, internal) IS 'aggregate support: merges two partial seat counts';
COMMENT ON FUNCTION seats_serialize(internal) IS 'aggregate support: a partial seat count as bytes';
COMMENT ON FUNCTION seats_deserialize(bytea, internal) IS 'aggregate support: reads and checks a serialized partial seat count';
COMMENT ON FUNCTION party_seats_finalfn(internal) IS 'aggregate support: the party rows';
COMMENT ON FUNCTION seat_summary_finalfn(internal) IS 'aggregate support: the summary row';

CREATE AGGREGATE party_seats(t tally) (
	SFUNC = seats_transfn,
	STYPE = internal,
	SSPACE = 4096,
	FINALFUNC = party_seats_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	SERIALFUNC = seats_serialize,
	DESERIALFUNC = seats_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE party_seats(t tally, parties jsonb) (
	SFUNC = seats_transfn,
	STYPE = internal,
	SSPACE = 4096,
	FINALFUNC = party_seats_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	SERIALFUNC = seats_serialize,
	DESERIALFUNC = seats_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE seat_summary(t tally) (
	SFUNC = seats_transfn,
	STYPE = internal,
	SSPACE = 4096,
	FINALFUNC = seat_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	SERIALFUNC = seats_serialize,
	DESERIALFUNC = seats_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE seat_summary(t tally, parties jsonb) (
	SFUNC = seats_transfn,
	STYPE = internal,
	SSPACE = 4096,
	FINALFUNC = seat_summary_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = seats_combine,
	SERIALFUNC = seats_serialize,
	DESERIALFUNC = seats_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE party_seats(tally) IS 'seats by party over constituency tallies keyed by party: one party_seats row per label, most seats first; a tie or no votes leaves a seat empty';
COMMENT ON AGGREGATE party_seats(tally, jsonb) IS 'seats by party over constituency tallies keyed by candidate, with a jsonb object mapping each candidate key to its party label; two candidates with one label stay two candidates';
COMMENT ON AGGREGATE seat_summary(tally) IS 'the national line over constituency tallies keyed by party: seats, filled, empty, majority needed, largest party, overall majority, votes, turnout both ways, party-system indices';
COMMENT ON AGGREGATE seat_summary(tally, jsonb) IS 'the national line over constituency tallies keyed by candidate, with a jsonb object mapping each candidate key to its party label';

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
	AS 'MODULE_PATHNAME', 'butler_swing' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION butler_swing(tally, tally, text, text) IS 'Butler swing from from_party to to_party between two tallies keyed by party: the average of to_party''s rise and from_party''s fall in share of valid votes, in percentage points; NULL if either has no valid votes';
COMMENT ON FUNCTION butler_swing(tally, tally, bigint, bigint) IS 'Butler swing between two tallies keyed by party number';
