#!/bin/sh
# The extra Debian packages the benchmarks under bench/ compare against or need:
# nginx (serves the corpus on loopback), newsboat and python3-feedparser (feed peers),
# python3-readability (the article-extraction peer), GNU time, gnuplot (the stance reliability
# diagram, bench/stance/reliability.sh).
set -eu
"$(dirname "$0")/install-deps.sh"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
  nginx-light newsboat python3 python3-feedparser python3-readability time gnuplot-nox
