#!/bin/sh
# One `newswatchd --once` round over the feeds of the bench/fetcher harness, with the
# shipped NATO–Ukraine watch pack: fetch + parse + match + store, end to end.
#
#   bench/fetcher/run.sh --feeds 1000 --label newswatchd -- bench/daemon/once.sh BUILD_DIR
#
# Run 1 of the harness is cold (every response 200), run 2 warm (validators stored by
# run 1, every response 304). Settings: the daemon defaults (64 transfers at once, 2 per
# host) unless NW_MAX_CONNECTIONS / NW_MAX_PER_HOST say otherwise.
set -eu
build="${1:?usage: once.sh BUILD_DIR}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
: "${NW_BENCH_URLS:?run me through bench/fetcher/run.sh}"
cfg="$NW_BENCH_WORK/newswatch.toml"
if [ ! -f "$cfg" ]; then
  {
    echo "include = [\"$here/feeds/nato-ukraine.toml\"]"
    echo "[daemon]"
    echo "state_dir = \"$NW_BENCH_WORK/state\""
    echo "max_connections = ${NW_MAX_CONNECTIONS:-64}"
    echo "max_per_host = ${NW_MAX_PER_HOST:-2}"
    # The corpus is dated 2024: without this every item would be too old to match.
    echo "max_item_age = \"100000d\""
    echo "default_sinks = [\"out\"]"
    echo "[[sink]]"
    echo "name = \"out\""
    echo "type = \"file\""
    echo "path = \"$NW_BENCH_WORK/alerts.jsonl\""
    while read -r url; do
      printf '[[feed]]\nurl = "%s"\n' "$url"
    done < "$NW_BENCH_URLS"
  } > "$cfg"
fi
exec "$build/bin/newswatchd" --config "$cfg" --once --log-level warn 2>"$NW_BENCH_WORK/daemon-$NW_BENCH_RUN.log"
