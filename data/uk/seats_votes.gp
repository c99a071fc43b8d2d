# The UK demo's picture: seat share against vote share by party, 2019,
# from demo-output/uk2019-parties.dat (columns: party, vote %, seat %).
#   gnuplot -e "datafile='demo-output/uk2019-parties.dat'; outfile='demo-output/uk2019-seats-votes.png'" data/uk/seats_votes.gp
set terminal pngcairo size 1000,750 font ",11"
set output outfile
set encoding utf8
set title "UK general election 2019: share of seats against share of votes, by party"
set xlabel "share of valid votes, %"
set ylabel "share of the 650 seats, %"
set xrange [0:60]
set yrange [0:60]
set grid lc rgb "#dddddd"
set key top left
set size ratio -1
plot x with lines dt 2 lc rgb "#888888" title "seats in proportion to votes", \
     datafile using 2:3 with points pt 7 ps 1.6 lc rgb "#4a7ebb" title "party", \
     datafile using 2:3:1 with labels offset 1.2,0.6 left notitle
