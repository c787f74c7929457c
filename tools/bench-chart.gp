# The chart of `make bench` (tools/bench writes the data files first).
# gnuplot -e "dir='build/bench'; set terminal svg; set output 'x.svg'" tools/bench-chart.gp
#   spawn.dat:      row, tasklab cycles, Linux cycles (icount, medians)
#   forkscale.dat:  MiB touched, then cycles of tasklab fork (cow), fork
#                   (eager copy), vfork, thread, Linux fork (cow), and
#                   tasklab fork (odf: PTE tables shared)
set multiplot layout 1,2 title "tasklab against Linux (QEMU -icount: cycles are guest instructions)"
set logscale y
set grid ytics
set ylabel "cycles per operation (log scale)"

set title "start, run, finish (spawnbench); switch (switchbench)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -40 font ",8" noenhanced
set key top right
set yrange [10:*]
plot dir."/spawn.dat" using 2:xtic(1) title "tasklab", "" using 3 title "Linux"

set title "fork + exit + wait against touched memory (forkscale)"
set style data linespoints
set xtics norotate font ","
set xlabel "MiB touched before the fork"
set key top left
set yrange [*:*]
plot dir."/forkscale.dat" using 0:2:xtic(1) title "tasklab fork, copy-on-write", \
	"" using 0:3 title "tasklab fork, eager copy", \
	"" using 0:4 title "tasklab vfork", \
	"" using 0:5 title "tasklab thread", \
	"" using 0:6 title "Linux fork (copy-on-write)", \
	"" using 0:7 title "tasklab fork, on-demand (fork=odf)"
unset multiplot
