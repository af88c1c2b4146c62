#!/bin/sh
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 60) on its
# seed corpus (tests/fuzz/<target>/corpus) with its dictionary. Fails on any crash.
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target newswatch_fuzzers
for bin in build-fuzz/bin/fuzz_*; do
  [ -x "$bin" ] || continue
  name="$(basename "$bin" | sed 's/^fuzz_//')"
  seeds="tests/fuzz/$name/corpus"
  work="build-fuzz/corpus-$name"
  mkdir -p "$work"
  dict=""
  [ -f "tests/fuzz/$name/$name.dict" ] && dict="-dict=tests/fuzz/$name/$name.dict"
  # A target may suppress leaks inside a system library it links (tests/fuzz/<name>/lsan.supp).
  supp=""
  [ -f "tests/fuzz/$name/lsan.supp" ] && supp="suppressions=$PWD/tests/fuzz/$name/lsan.supp"
  echo "fuzz $name for ${SECONDS_EACH}s"
  LSAN_OPTIONS="$supp" "$bin" $dict -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=2048 \
    -print_final_stats=0 "$work" "$seeds" >"build-fuzz/fuzz-$name.log" 2>&1 || {
    tail -50 "build-fuzz/fuzz-$name.log"; exit 1; }
done
