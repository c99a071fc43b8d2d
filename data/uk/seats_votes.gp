# The UK demo's picture: seat share against vote share by party, 2019,
# from demo-output/uk2019-parties.dat (columns: party, vote %, seat %).
#   gnuplot -e "datafile='demo-output/uk2019-parties.dat'; outfile='demo-output/uk2019-seats-votes.png'" data/uk/seats_votes.gp
set terminal pngcairo size 1100,800 font ",11"
set output outfile
set encoding utf8
set multiplot
set title "UK general election 2019: share of seats against share of votes, by party"
set xlabel "share of valid votes, %"
set ylabel "share of the 650 seats, %"
set xrange [0:60]
set yrange [0:60]
set grid lc rgb "#dddddd"
set key bottom right
plot x with lines dt 2 lc rgb "#888888" title "seats in proportion to votes", \
     datafile using 2:3 with points pt 7 ps 1.6 lc rgb "#4a7ebb" title "a party", \
     datafile using 2:($2 >= 3 ? $3 : 1/0):1 with labels offset 1.2,0.6 left notitle

# inset: the small parties, crowded at the origin at full scale
unset title
unset key
set origin 0.14, 0.50
set size 0.40, 0.40
set xrange [0:4]
set yrange [0:8]
set xtics 1 font ",9"
set ytics 2 font ",9"
set xlabel "zoom: under 4 % of the votes" font ",9"
set ylabel ""
set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fc rgb "#ffffff" fs solid 1.0
plot x with lines dt 2 lc rgb "#888888", \
     datafile using 2:3 with points pt 7 ps 1.2 lc rgb "#4a7ebb", \
     datafile using 2:($2 < 4 ? $3 : 1/0):1 with labels offset 0.8,0.5 left font ",9"
unset multiplot
