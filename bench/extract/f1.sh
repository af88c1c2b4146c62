#!/bin/sh
# Token-overlap F1 against Readability.js's expected output on the shared article pages:
# ours and python3-readability's (scripts/install-bench-deps.sh installs it).
# usage: bench/extract/f1.sh [BUILD_DIR]   (default build/, configured with
#        -DNEWSWATCH_BUILD_BENCH=ON; the release preset has it)
set -eu
cd "$(dirname "$0")/../.."
BUILD="${1:-build}"
CASES="${NEWSWATCH_SHARED_DIR:-../shared}/data/article-pages/readability"
[ -d "$CASES" ] || { echo "f1.sh: $CASES is absent" >&2; exit 1; }
PEER="$(mktemp -d)"
trap 'rm -rf "$PEER"' EXIT
# Debian's interpreter: python3-readability is installed for it, not for a pyenv python.
"${PYTHON:-/usr/bin/python3}" bench/extract/peer_readability.py "$CASES" "$PEER"
"$BUILD/bin/extract_f1" "$CASES" --peer "$PEER"
