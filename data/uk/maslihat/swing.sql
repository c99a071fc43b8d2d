-- The national Con-Lab Butler swing with maslihat, from summed party tallies.
SELECT butler_swing((SELECT tally(party, votes) FROM uk_candidate WHERE election = 2017),
					(SELECT tally(party, votes) FROM uk_candidate WHERE election = 2019),
					'Lab', 'Con') AS swing_lab_to_con;
