#!/usr/bin/env bash
# Builds winglet and runs the whole test suite, then the bad-input, importer and ABI tests again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"

BUILD_DIR=build scripts/build.sh
ctest --test-dir build -j "$jobs" --output-on-failure --timeout 900

BUILD_DIR=build-asan scripts/build.sh -DCMAKE_BUILD_TYPE=Debug -DWINGLET_SANITIZE=ON
# Plugins are dlopen'ed and unloaded by design; leak reports from library teardown are noise here.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan -j "$jobs" --output-on-failure --timeout 1800 -L sanitize
