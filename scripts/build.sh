#!/bin/sh
# Configures and builds one CMake preset (default: dev). Binaries land in build/bin.
set -eu
cd "$(dirname "$0")/.."
PRESET="${1:-dev}"
cmake --preset "$PRESET" >/dev/null
cmake --build --preset "$PRESET" -j "$(nproc)"
