#!/bin/sh
# The fetcher's standard benchmark: the fetcher alone on 1,000 and 10,000 feeds (cold 200,
# then warm 304) and `newsboat -x reload` on the same 1,000 feeds, each against the same
# nginx corpus (bench/fetcher/run.sh). FETCHER_BENCH: the fetcher_bench binary (default
# build-release/bin/fetcher_bench). Prints the RESULT lines; see docs/BENCHMARKS-fetcher.md.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
bench="${FETCHER_BENCH:-$here/../../build-release/bin/fetcher_bench}"
[ -x "$bench" ] || { echo "compare.sh: build fetcher_bench first (cmake --preset release; cmake --build build-release --target fetcher_bench)" >&2; exit 2; }
fetch="$bench --urls \$NW_BENCH_URLS --state \$NW_BENCH_WORK/state.tsv"
"$here/run.sh" --feeds 1000 --label fetcher -- "$fetch"
"$here/run.sh" --feeds 1000 --label newsboat -- "$here/newsboat.sh"
"$here/run.sh" --feeds 10000 --label fetcher -- "$fetch"
