#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a fixed time on a seed corpus taken
# from the tests and the sample data. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSCGRAPH_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target $(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# CSV seeds: every CSV file of the tests and the sample data.
mkdir -p "$corpus/csv" "$corpus/loader" "$corpus/render"
find tests data -name '*.csv' -size -64k | sort | head -200 | while read -r f; do
  cp "$f" "$corpus/csv/$(echo "$f" | tr '/' '_')"
done
# Loader seeds: each nodes.csv with its edges.csv.
find tests data -name nodes.csv | sort | while read -r n; do
  e="$(dirname "$n")/edges.csv"
  [[ -f "$e" ]] || continue
  { cat "$n"; printf '\n====\n'; cat "$e"; } > "$corpus/loader/$(echo "$n" | tr '/' '_')"
done
cp "$corpus"/csv/* "$corpus/render/" 2>/dev/null || true

status=0
for target in build-fuzz/fuzz/fuzz_*; do
  name=$(basename "$target")
  case "$name" in
    fuzz_csv_reader) seeds="$corpus/csv" ;;
    fuzz_loader) seeds="$corpus/loader" ;;
    *) seeds="$corpus/render" ;;
  esac
  mkdir -p "$corpus/work-$name" "$corpus/crashes-$name"
  echo "fuzzing $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$corpus/crashes-$name/" -print_final_stats=1 "$corpus/work-$name" "$seeds" \
       > "$corpus/$name.log" 2>&1; then
    echo "fuzz target $name FAILED:"; tail -50 "$corpus/$name.log"; status=1
    mkdir -p fuzz-artifacts && cp -r "$corpus/crashes-$name" fuzz-artifacts/ || true
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$corpus/$name.log" | sed "s/^/  $name /"
  fi
done
exit $status
