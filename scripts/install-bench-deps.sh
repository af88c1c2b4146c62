#!/bin/sh
# The extra Debian packages the benchmarks under bench/ compare against or need: the list of
# bench/run (bench/deps.txt: nginx, newsboat, rss2email, sfeed, python3-feedparser, gnuplot,
# GNU time; gnuplot also draws the stance reliability diagram, bench/stance/reliability.sh)
# and python3-readability (the article-extraction peer).
set -eu
here="$(dirname "$0")"
"$here/install-deps.sh"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# shellcheck disable=SC2046  # one package name per word
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
  python3 python3-readability $(sed 's/#.*//' "$here/../bench/deps.txt")
