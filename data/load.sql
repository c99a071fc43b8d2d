-- Loads the synthetic 1994 sample at all three grains and counts it.
-- From the repository root, in a database with the extension:
--   psql -v ON_ERROR_STOP=1 -f data/load.sql
\echo candidate totals from data/*.csv
\ir load/1-totals.sql
\echo polling-station protocols
\ir load/2-stations.sql
\echo 7,030,050 ballots
\ir load/3-ballots.sql
\echo counting each grain
\ir load/4-count.sql
