#!/bin/sh
# The whole-daemon benchmark of issue #3, every figure from one invocation against the same
# nginx corpus (bench/fetcher/run.sh; install nginx and newsboat with
# scripts/install-bench-deps.sh):
#   newswatchd --once on 1,000 feeds (cold, warm), newsboat -x reload on the same 1,000
#   feeds, newswatchd --once on 10,000 feeds (cold, warm), and the CPU per 304 poll of the
#   running daemon on 10,000 feeds (steady.sh).
#
#   bench/daemon/compare.sh [BUILD_DIR]        (default build-release)
# NW_NEWSBOAT_REPEAT: newsboat rounds (default 1, cold; each can take minutes).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:-$here/../../build-release}" && pwd)"
[ -x "$build/bin/newswatchd" ] || { echo "compare.sh: build newswatchd first (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
run="$here/../fetcher/run.sh"
"$run" --feeds 1000 --label newswatchd -- "$here/once.sh $build"
"$run" --feeds 1000 --repeat "${NW_NEWSBOAT_REPEAT:-1}" --label newsboat -- "$here/../fetcher/newsboat.sh"
"$run" --feeds 10000 --label newswatchd -- "$here/once.sh $build"
"$run" --feeds 10000 --repeat 1 --access-log --label newswatchd-steady -- "$here/steady.sh $build 30"
