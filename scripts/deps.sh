#!/usr/bin/env bash
# Installs the Debian packages scgraph needs to build and test (and, with --with-baselines, what
# the benchmark baselines need), only those that are missing.
set -euo pipefail
packages=(cmake g++ make pkg-config
  libboost-graph-dev libigraph-dev libgraphviz-dev graphviz libfccp-dev doctest-dev
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev)
for option in "$@"; do
  case "$option" in
    --with-test-tools) packages+=(clang libclang-rt-14-dev python3) ;;
    # What the benchmark runner's Python baselines import (bench/run_benchmarks.py --baselines).
    --with-baselines) packages+=(python3 python3-networkx python3-igraph python3-pandas python3-numpy) ;;
    *) echo "deps.sh: unknown option $option (known: --with-test-tools, --with-baselines)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
