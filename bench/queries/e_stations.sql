-- (e) merging stored polling-station tallies into constituencies
SELECT constituency, sum(t) FROM station_tallies GROUP BY constituency
