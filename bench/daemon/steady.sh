#!/bin/sh
# CPU per poll of the running daemon (not --once): what a 304 costs in steady state, with
# startup (configuration, model, first round) left out.
#
#   bench/fetcher/run.sh --feeds 10000 --repeat 1 -- bench/daemon/steady.sh BUILD_DIR [WINDOW_S]
#
# 1. One cold `newswatchd --once` round (bench/daemon/once.sh) stores every feed's validators.
# 2. newswatchd runs on the same state with interval = min_interval = 10 s and no jitter, so
#    every feed is polled exactly once per 10 s, each poll a 304.
# 3. After a 20 s warm-up, the daemon's CPU time (utime + stime from /proc) is read, and again
#    WINDOW_S seconds later (default 30): CPU per poll = delta / polls, where polls is what
#    nginx logged in the window (run.sh --access-log) or else feeds x WINDOW_S / 10.
set -eu
build="${1:?usage: steady.sh BUILD_DIR [WINDOW_S]}"
window="${2:-30}"
here="$(cd "$(dirname "$0")" && pwd)"
: "${NW_BENCH_URLS:?run me through bench/fetcher/run.sh}"
NW_BENCH_RUN=1 "$here/once.sh" "$build" || true
cfg="$NW_BENCH_WORK/steady.toml"
sed 's|^\[daemon\]$|[daemon]\ninterval = "10s"\nmin_interval = "10s"\njitter = 0.0|' "$NW_BENCH_WORK/newswatch.toml" > "$cfg"
"$build/bin/newswatchd" --config "$cfg" --log-level warn 2>"$NW_BENCH_WORK/steady.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# With run.sh --access-log, the requests nginx answered in the window are counted exactly.
access_log="$NW_BENCH_WORK/../nginx/access.log"
requests() { if [ -f "$access_log" ]; then wc -l < "$access_log"; else echo 0; fi; }
sleep 20
before=$(cpu_ticks)
requests_before=$(requests)
sleep "$window"
after=$(cpu_ticks)
requests_after=$(requests)
kill -TERM $pid
wait $pid || true
trap - EXIT
hz=$(getconf CLK_TCK)
awk -v b="$before" -v a="$after" -v hz="$hz" -v n="$NW_BENCH_FEEDS" -v w="$window" \
    -v rb="$requests_before" -v ra="$requests_after" 'BEGIN {
  polls = (ra > rb) ? ra - rb : n * w / 10; cpu = (a - b) / hz;
  printf "STEADY feeds=%d window_s=%d polls=%d cpu_s=%.2f cpu_us_per_poll=%.1f\n", n, w, polls, cpu, cpu * 1e6 / polls }'
