#!/usr/bin/env bash
# Configures and builds winglet into ./build (or $BUILD_DIR) with warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINGLET_WERROR=ON "$@"
cmake --build "$BUILD_DIR" -j "$(nproc)"
