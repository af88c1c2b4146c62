#!/bin/sh
# Sets everything up and runs the whole test suite: the dev build with every test, the
# Debian package (as root: install, check, purge), the ASan+UBSan build with every test,
# and a short libFuzzer run of every fuzz target.
# NEWSWATCH_QUICK=1 skips the sanitizer build and the fuzz run.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
JOBS="$(nproc)"

echo "== dev build"
scripts/build.sh dev
ctest --preset dev -j "$JOBS"

# The .deb: installed, checked and purged again; as root only (it changes the machine).
if [ "$(id -u)" -eq 0 ]; then
  echo "== Debian package"
  scripts/test-package.sh
fi

if [ "${NEWSWATCH_QUICK:-0}" != 1 ]; then
  echo "== asan-ubsan build"
  scripts/build.sh asan-ubsan
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset asan-ubsan -j "$JOBS" -LE heavy

  echo "== fuzz (short run)"
  scripts/fuzz.sh 20
fi
echo "== all tests passed"
