#!/bin/sh
# One `newsboat -x reload` over $NW_BENCH_URLS, for bench/fetcher/run.sh: its cache and
# config live in $NW_BENCH_WORK, so the second run of run.sh is the warm (conditional) one.
# Bounded by NW_NEWSBOAT_TIMEOUT seconds (default 600).
set -eu
mkdir -p "$NW_BENCH_WORK/newsboat-home"
: > "$NW_BENCH_WORK/newsboat.conf"
HOME="$NW_BENCH_WORK/newsboat-home" XDG_CONFIG_HOME="$NW_BENCH_WORK/newsboat-home" \
XDG_DATA_HOME="$NW_BENCH_WORK/newsboat-home" \
  timeout "${NW_NEWSBOAT_TIMEOUT:-600}" newsboat -u "$NW_BENCH_URLS" -c "$NW_BENCH_WORK/newsboat-cache.db" \
  -C "$NW_BENCH_WORK/newsboat.conf" -x reload
