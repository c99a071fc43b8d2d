# The demo's picture: turnout by constituency, from demo-output/turnout.dat
# (columns: bin, seats filled, by-elections; bin b holds turnout in
# (b - 1, b] percent, so a turnout of exactly 50 % falls left of the line).
#   gnuplot -e "datafile='demo-output/turnout.dat'; outfile='demo-output/turnout.png'" data/turnout.gp
# The legend counts the constituencies in the data file.
set terminal pngcairo size 1200,650 font ",11"
set output outfile
set encoding utf8
stats datafile using 2 nooutput name "FILLED"
stats datafile using 3 nooutput name "BY"
set multiplot

set title "Turnout by constituency: SYNTHETIC sample matching the published totals of the 1994 mäslihat elections"
set xlabel "turnout, % of registered voters (1-point bins)"
set ylabel "constituencies"
set xrange [15:100]
set yrange [0:*]
set xtics 5
set grid ytics lc rgb "#dddddd"
set key top right
set style fill solid 0.9 border rgb "#333333"
set boxwidth 1.0 absolute
set arrow 1 from 50, graph 0 to 50, graph 1 nohead dt 2 lw 2 lc rgb "#b00000"
set label 1 "valid only above 50 %" at 50.6, graph 0.55 tc rgb "#b00000"
plot datafile using ($1 - 0.5):2 with boxes lc rgb "#4a7ebb" title sprintf("seat filled (%d)", FILLED_sum), \
     datafile using ($1 - 0.5):3 with boxes lc rgb "#d62728" title sprintf("by-election: turnout at or below 50 %% (%d)", BY_sum)

# inset: the by-elections are too few to see at full scale
unset title
unset grid
unset key
unset label 1
set origin 0.075, 0.40
set size 0.36, 0.52
set xrange [35:56]
set yrange [0:10]
set xtics 5 font ",9"
set ytics font ",9"
set xlabel "zoom on 35-56 %: red at or below the line, blue above" font ",9"
set ylabel ""
set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fc rgb "#ffffff" fs solid 1.0
plot datafile using ($1 - 0.5):2 with boxes lc rgb "#4a7ebb", \
     datafile using ($1 - 0.5):3 with boxes lc rgb "#d62728"
unset multiplot
