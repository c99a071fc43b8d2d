-- The one correction the 2019 candidate file needs (data/uk-ge-2019/PROVENANCE.md):
-- in Meon Valley (E14000811) Labour's and the Green's votes were mistyped as
-- 5,664 and 2,918; the declared figures, as in the constituency file, are
-- 5,644 and 2,198.  After this every constituency's candidate votes add up
-- to its declared valid votes.
UPDATE uk_candidate SET votes = 5644
WHERE election = 2019 AND ons_id = 'E14000811' AND party = 'Lab' AND votes = 5664;
UPDATE uk_candidate SET votes = 2198
WHERE election = 2019 AND ons_id = 'E14000811' AND party = 'Green' AND votes = 2918;
