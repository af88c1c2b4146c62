#!/bin/sh
# Sets everything up (Debian packages, build) and runs the daemon on the shipped config.
# Extra arguments go to newswatchd (e.g. --once, --state-dir DIR, --log-level debug).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh dev
exec build/bin/newswatchd --config feeds/newswatch.toml "$@"
