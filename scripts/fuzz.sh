#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a fixed time on a seed corpus taken
# from the tests and the sample data. A crash, a failed check, a leak or a timeout fails the run;
# the input that did it is kept in fuzz-artifacts/ (turn it into a test in
# tests/test_fuzz_regressions.cpp). Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DSCGRAPH_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
targets=$(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
# shellcheck disable=SC2086
cmake --build build-fuzz -j"$(nproc)" --target $targets

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$corpus/csv" "$corpus/loader" "$corpus/render"
# CSV seeds: every CSV file of the tests (the bad-input corpus included) and the sample data.
find tests data -name '*.csv' -size -64k | sort | while read -r f; do
  cp "$f" "$corpus/csv/$(echo "$f" | tr '/' '_')"
done
# Loader seeds: each nodes.csv with its edges.csv, as fuzz_loader splits them.
find tests data -name nodes.csv | sort | while read -r n; do
  e="$(dirname "$n")/edges.csv"
  [[ -f "$e" ]] || continue
  { cat "$n"; printf '\n====\n'; cat "$e"; } > "$corpus/loader/$(echo "$n" | tr '/' '_')"
done
# Render seeds: the hostile names of fuzz/seeds/render, and the names of the test data as pieces
# (fuzz_render splits its input at 0xFF bytes: every comma and line break becomes one).
cp fuzz/seeds/render/* "$corpus/render/"
find tests data -name nodes.csv -size -4k | sort | while read -r n; do
  tr ',\n' '\377\377' < "$n" > "$corpus/render/$(echo "$n" | tr '/' '_')"
done

# Graphviz's one-time plugin tables are not leaks (the same suppressions as the sanitizer tests).
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp"
status=0
for name in $targets; do
  target=build-fuzz/fuzz/$name
  case "$name" in
    fuzz_csv_reader) seeds="$corpus/csv" max_len=65536 ;;
    fuzz_loader) seeds="$corpus/loader" max_len=65536 ;;
    fuzz_render) seeds="$corpus/render" max_len=4096 ;;
    *) echo "no seeds for $name: add it to scripts/fuzz.sh"; exit 1 ;;
  esac
  mkdir -p "$corpus/work-$name" "$corpus/crashes-$name"
  echo "fuzzing $name for ${seconds}s ($(ls "$seeds" | wc -l) seeds)"
  if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
       -artifact_prefix="$corpus/crashes-$name/" -print_final_stats=1 "$corpus/work-$name" "$seeds" \
       > "$corpus/$name.log" 2>&1; then
    echo "fuzz target $name FAILED:"; tail -60 "$corpus/$name.log"; status=1
    mkdir -p fuzz-artifacts && cp -r "$corpus/crashes-$name" fuzz-artifacts/ || true
  else
    grep -E "stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" "$corpus/$name.log" |
      sed "s/^/  $name /"
  fi
done
exit $status
