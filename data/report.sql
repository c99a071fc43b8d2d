-- The demo's report on the synthetic 1994 sample, after data/load.sql.
\pset footer off
\pset null '-'

\echo
\echo '1994 mäslihat elections: the published results, computed by maslihat from each grain'
\echo '(the sample is SYNTHETIC: it matches the published totals, not the real constituencies)'
\echo
SELECT p.figure,
	   p.value AS published,
	   max(g.value) FILTER (WHERE g.grain = 'ballots') AS "from ballots",
	   max(g.value) FILTER (WHERE g.grain = 'candidate totals') AS "from candidate totals",
	   max(g.value) FILTER (WHERE g.grain = 'stations') AS "from station protocols",
	   CASE WHEN count(*) FILTER (WHERE g.value = p.value) = 3 THEN 'yes' ELSE 'NO' END AS "all equal"
FROM published p LEFT JOIN grain_figure g USING (n)
GROUP BY p.n, p.figure, p.value
ORDER BY p.n;

\pset tuples_only on
SELECT CASE WHEN figures_agree AND tallies_agree
			THEN format('AGREE: the 3 grains give identical tallies in all %s constituencies, and all %s published figures.',
						constituencies, figures)
			ELSE format('DISAGREE: %s of %s constituencies have different tallies across grains; %s of %s published figures are matched by every grain.',
						differing, constituencies, matched, figures)
	   END
FROM (SELECT count(*) AS constituencies,
			 count(*) FILTER (WHERE NOT (b.t = k.t AND b.t = s.t)) AS differing,
			 bool_and(b.t = k.t AND b.t = s.t) AS tallies_agree
	  FROM constituency_tally b
	  JOIN constituency_tally k ON k.constituency = b.constituency AND k.grain = 'candidate totals'
	  JOIN constituency_tally s ON s.constituency = b.constituency AND s.grain = 'stations'
	  WHERE b.grain = 'ballots') tallies,
	 (SELECT count(*) AS figures,
			 count(*) FILTER (WHERE ok) AS matched,
			 bool_and(ok) AS figures_agree
	  FROM (SELECT p.n, count(*) FILTER (WHERE g.value = p.value) = 3 AS ok
			FROM published p LEFT JOIN grain_figure g USING (n)
			GROUP BY p.n) f) figures;
\pset tuples_only off

\echo
\echo 'By level: election_summary(t, 'kz1994') ... GROUP BY ROLLUP (level), from the ballots'
SELECT coalesce(level::text, 'all levels') AS level,
	   (s).seats, (s).seats_filled AS filled, (s).by_elections, (s).registered,
	   (s)."cast", round((s).turnout, 2) AS "turnout %", (s).invalid,
	   (s).valid_votes, (s).candidates,
	   round((s).candidates::numeric / (s).seats, 2) AS "per seat"
FROM (SELECT level, election_summary(t, 'kz1994') AS s
	  FROM constituency_tally WHERE grain = 'ballots'
	  GROUP BY ROLLUP (level)) x
ORDER BY x.level NULLS LAST;

\echo
\echo 'The 38 by-elections: turnout at or below 50 % (valid only when ballots cast > 50 % of registered voters)'
SELECT c.id, c.level, c.name, o.registered, o."cast",
	   round(o.turnout, 2) AS "turnout %",
	   ballots_needed(o.registered, 'kz1994') AS "needed to be valid", o.reason
FROM constituency_tally ct
JOIN constituency c ON c.id = ct.constituency,
	 outcome(ct.t, 'kz1994') o
WHERE ct.grain = 'ballots' AND o.by_election
ORDER BY o.turnout DESC, c.id;

\echo
\echo 'Closest calls: valid constituencies with the fewest ballots to spare'
SELECT c.id, c.level, c.name, o.registered, o."cast",
	   round(o.turnout, 2) AS "turnout %",
	   o."cast" - ballots_needed(o.registered, 'kz1994') AS "ballots to spare", o.winner, o.margin
FROM constituency_tally ct
JOIN constituency c ON c.id = ct.constituency,
	 outcome(ct.t, 'kz1994') o
WHERE ct.grain = 'ballots' AND o.valid
ORDER BY o."cast" - ballots_needed(o.registered, 'kz1994'), c.id
LIMIT 5;

\echo
\echo 'Candidates who break a rule: candidate_violations(...) with the 1994 defaults (SYNTHETIC candidates, planted in the sample)'
SELECT k.id, k.name, k.constituency, k.birth_date, k.nominated_by,
	   k.signatures,
	   CASE WHEN k.nominated_by = 'association' THEN signatures_needed(c.residents) END AS "signatures needed",
	   k.registered_on, v AS breaks,
	   CASE WHEN winner(ct.t, 'kz1994') = k.id THEN 'yes' ELSE 'no' END AS "won the seat"
FROM candidate k
JOIN constituency c ON c.id = k.constituency
JOIN constituency_tally ct ON ct.constituency = k.constituency AND ct.grain = 'ballots',
	 candidate_violations(k.birth_date, k.nominated_by, k.signatures, c.residents, k.registered_on) v
WHERE cardinality(v) > 0
ORDER BY k.id;
