#!/bin/sh
# Side by side on the same files: newswatch's parser (Google Benchmark, CPU time per core)
# and python3-feedparser (Debian package; /usr/bin/python3), over a generated corpus.
# usage: bench/parser/compare.sh [BUILD_DIR] [FEEDS]   (BUILD_DIR has bin/parser_bench)
set -eu
cd "$(dirname "$0")/../.."
BUILD="${1:-build-release}"
FEEDS="${2:-60}"
CORPUS="$BUILD/parser-corpus-$FEEDS"
rm -rf "$CORPUS"
/usr/bin/python3 bench/parser/make_corpus.py "$CORPUS" "$FEEDS"
BYTES=$(cat "$CORPUS"/* | wc -c)
NEWSWATCH_PARSER_CORPUS="$CORPUS" "$BUILD/bin/parser_bench" --benchmark_filter=BM_parse_corpus \
  --benchmark_format=json >"$BUILD/parser_bench.json" 2>/dev/null
NW=$(/usr/bin/python3 -c "import json,sys; b=json.load(open(sys.argv[1]))['benchmarks'][0]; print(b['bytes_per_second']/1e6)" "$BUILD/parser_bench.json")
FP=$(/usr/bin/python3 - "$CORPUS" <<'PY'
import os, sys, time, feedparser
d = sys.argv[1]
files = [open(os.path.join(d, f), 'rb').read() for f in sorted(os.listdir(d))]
total = sum(len(f) for f in files)
t0 = time.process_time()
for f in files:
    feedparser.parse(f)
print(total / (time.process_time() - t0) / 1e6)
PY
)
/usr/bin/python3 -c "import sys; nw=float(sys.argv[1]); fp=float(sys.argv[2]); print('corpus: %s feeds, %.1f MB' % (sys.argv[3], int(sys.argv[4])/1e6)); print('newswatch parse_feed: %.1f MB/s (CPU time, one core)' % nw); print('python3-feedparser:   %.2f MB/s (CPU time, one core)' % fp); print('ratio: %.0fx' % (nw/fp))" "$NW" "$FP" "$FEEDS" "$BYTES"
