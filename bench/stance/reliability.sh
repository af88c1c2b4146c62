#!/bin/sh
# Reliability diagram of the stance model on the claim set's held-out split (issue #15 item 3):
# confidence of the predicted label (10 equal-width bins) against the share of correct
# predictions, title + lede and title only, before (trees only) and after the short-text layer.
#
#   bench/stance/reliability.sh CLAIM_EVAL_BINARY OUT.png
#
# Runs `claim_eval --trees --dump` and `claim_eval --dump` and plots with gnuplot (Debian
# package gnuplot-nox; scripts/install-bench-deps.sh installs it).
set -eu
bin="$1"
out="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$bin" --trees --dump "$tmp/before.tsv" >/dev/null
"$bin" --dump "$tmp/after.tsv" >/dev/null
# split length gold predicted confidence -> bin centre, accuracy, count (held-out rows only)
bins() {
    awk -F '\t' -v len="$2" 'NR > 1 && $1 == "held-out" && $2 == len {
        b = int($5 * 10); if (b > 9) b = 9
        n[b]++; c[b] += ($3 == $4); s[b] += $5
    } END { for (b = 0; b < 10; b++) if (n[b] > 0) printf "%.4f %.4f %d\n", s[b] / n[b], c[b] / n[b], n[b] }' "$1" >"$3"
}
bins "$tmp/before.tsv" title+lede "$tmp/before-lede.dat"
bins "$tmp/after.tsv" title+lede "$tmp/after-lede.dat"
bins "$tmp/before.tsv" title "$tmp/before-title.dat"
bins "$tmp/after.tsv" title "$tmp/after-title.dat"
gnuplot <<GNUPLOT
set terminal pngcairo size 1100,520 font "DejaVu Sans,11"
set output "$out"
set multiplot layout 1,2 title "Stance on the NATO-Ukraine claim set, held-out third: reliability (points sized by count)"
set xrange [0:1]; set yrange [0:1]; set size ratio -1
set xlabel "confidence of the predicted label"; set ylabel "share correct"
set key left top
set grid
do for [len in "lede title"] {
  set title (len eq "lede" ? "title + lede" : "title only")
  plot x with lines dt 2 lc "gray" title "perfect calibration", \
       "$tmp/before-".len.".dat" using 1:2:(sqrt(\$3)/3) with linespoints pt 7 ps variable lc rgb "#d62728" title "before (trees only)", \
       "$tmp/after-".len.".dat" using 1:2:(sqrt(\$3)/3) with linespoints pt 7 ps variable lc rgb "#1f77b4" title "after (short-text layer)"
}
unset multiplot
GNUPLOT
echo "wrote $out"
