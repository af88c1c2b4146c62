#!/bin/sh
# Benchmark harness: a generated news corpus served by nginx (Debian nginx-light) on
# loopback, and any command measured against it with GNU time.
#
#   bench/fetcher/run.sh [--feeds N] [--hosts H] [--repeat K] [--label TEXT] [--access-log] -- COMMAND...
#
# Generates N feeds once (cached in $NW_BENCH_CACHE, default /tmp/newswatch-bench-corpus),
# starts nginx listening on 127.0.0.1..127.0.0.H (same free port; feeds are spread over the
# H addresses so per-host limits behave as with H sites), writes the feed URLs, then runs
# COMMAND K times (default 2: a cold round, then a warm one that can use the validators
# the first run stored in $NW_BENCH_WORK). COMMAND runs through `sh -c` with:
#   NW_BENCH_URLS   file with one feed URL per line
#   NW_BENCH_WORK   a fresh temporary directory kept across the K runs (state, caches)
#   NW_BENCH_FEEDS  N       NW_BENCH_BASE  http://127.0.0.1:PORT
#   NW_BENCH_RUN    1..K (1 = cold)
# For each run one line: label, run, wall seconds, CPU seconds (user+sys), peak RSS, and
# requests per second (N / wall); with --access-log also the HTTP statuses nginx served in
# that run (costs nginx some CPU). nginx is stopped at the end, whatever happens.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
feeds=1000
hosts=50
repeat=2
label=""
access_log=0
while [ $# -gt 0 ]; do
  case "$1" in
    --feeds) feeds="$2"; shift 2 ;;
    --hosts) hosts="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --access-log) access_log=1; shift ;;
    --) shift; break ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: run.sh [--feeds N] [--hosts H] [--repeat K] [--label TEXT] -- COMMAND..." >&2; exit 2; }
[ -n "$label" ] || label="$1"
command -v nginx >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"

cache="${NW_BENCH_CACHE:-/tmp/newswatch-bench-corpus}"
mkdir -p "$cache"
if [ ! -f "$cache/paths-$feeds.txt" ]; then
  echo "run.sh: generating $feeds feeds in $cache (once)" >&2
  python3 "$here/gen_corpus.py" "$cache" "$feeds"
fi

work="$(mktemp -d /tmp/newswatch-bench.XXXXXX)"
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$work/nginx/tmp" "$work/run"
{
  echo "worker_processes 1;"
  echo "daemon off;"
  echo "pid $work/nginx/nginx.pid;"
  echo "error_log $work/nginx/error.log warn;"
  echo "worker_rlimit_nofile 65536;"
  echo "events { worker_connections 16384; }"
  echo "http {"
  if [ "$access_log" = 1 ]; then echo "  log_format st '\$status|\$http_if_none_match|\$http_if_modified_since'; access_log $work/nginx/access.log st;"; else echo "  access_log off;"; fi
  echo "  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;"
  echo "  fastcgi_temp_path $work/nginx/tmp/fastcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;"
  echo "  types { application/rss+xml xml; }"
  echo "  gzip_static on; gzip_vary on;"
  echo "  keepalive_requests 1000000; keepalive_timeout 120s;"
  echo "  open_file_cache max=30000 inactive=600s;"
  echo "  server {"
  h=1
  while [ "$h" -le "$hosts" ]; do echo "    listen 127.0.0.$h:$port backlog=4096;"; h=$((h + 1)); done
  echo "    root $cache;"
  echo "  }"
  echo "}"
} > "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
i=0
until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null; do
  i=$((i + 1)); [ "$i" -lt 50 ] || { echo "run.sh: nginx did not start" >&2; cat "$work/nginx/error.log" >&2; exit 1; }
  sleep 0.1
done

awk -v port="$port" -v hosts="$hosts" '{ printf "http://127.0.0.%d:%d%s\n", (NR - 1) % hosts + 1, port, $0 }' \
  "$cache/paths-$feeds.txt" > "$work/urls.txt"

export NW_BENCH_URLS="$work/urls.txt" NW_BENCH_WORK="$work/run" NW_BENCH_FEEDS="$feeds"
export NW_BENCH_BASE="http://127.0.0.1:$port"
run=1
while [ "$run" -le "$repeat" ]; do
  export NW_BENCH_RUN="$run"
  status=0
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" sh -c "$*" || status=$?
  read -r wall user sys rss < "$work/time.txt" || true
  python3 - "$label" "$run" "$feeds" "$wall" "$user" "$sys" "$rss" "$status" <<'PY'
import sys
label, run, feeds, wall, user, sys_, rss, status = sys.argv[1:]
wall, cpu = float(wall), float(user) + float(sys_)
kind = "cold" if run == "1" else "warm"
print("RESULT label=%s run=%s(%s) feeds=%s wall_s=%.2f cpu_s=%.2f peak_rss_mb=%.1f req_per_s=%.0f exit=%s"
      % (label.replace(" ", "_"), run, kind, feeds, wall, cpu, int(rss) / 1024, int(feeds) / max(wall, 1e-9), status))
PY
  if [ "$access_log" = 1 ]; then
    echo "STATUSES label=$label run=$run: $(awk -F'|' '{ print $1, (($2 != "-" || $3 != "-") ? "conditional" : "unconditional") }' "$work/nginx/access.log" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
    : > "$work/nginx/access.log"
  fi
  run=$((run + 1))
done
