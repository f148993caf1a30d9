#!/usr/bin/env bash
# The main job on a fresh Debian machine: install what is missing, build, validate the bundled
# sample dataset, print its self-reliance figures and write its report to ./report/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
cmake --build build -j"$(nproc)" --target scgraph
build/cli/scgraph validate data/china-semis --all-years
build/cli/scgraph reliance data/china-semis --format table
build/cli/scgraph progress data/china-semis --format table
build/cli/scgraph report data/china-semis --out report
echo "report written: report/index.html"
