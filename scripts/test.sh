#!/usr/bin/env bash
# Everything CI checks, on a fresh Debian machine: install what is missing, build warning-free,
# run the test suite, run it again under AddressSanitizer + UndefinedBehaviorSanitizer, and run
# each fuzz target for a short fixed time.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
scripts/deps.sh --with-test-tools

# Compile flags are chosen for build time (CI must stay under 20 minutes on 2 cores): full debug
# information doubles the compile time of the JSON-heavy files, and -O1 with both sanitizers
# quadruples it; -g1 (functions and lines) is all a sanitizer report needs.
echo "== build and test (optimised, warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DSCGRAPH_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== test under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-Og -g1" -DSCGRAPH_SANITIZE=ON >/dev/null
# Only what the suite runs (the benchmark tools were built and warning-checked above).
cmake --build build-asan -j"$jobs" --target scgraph scgraph_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp" \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== fuzz smoke run (libFuzzer)"
scripts/fuzz.sh "${SCGRAPH_FUZZ_SECONDS:-20}"
