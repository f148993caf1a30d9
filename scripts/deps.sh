#!/usr/bin/env bash
# Installs the Debian packages scgraph needs to build and test, only those that are missing.
set -euo pipefail
packages=(cmake g++ make pkg-config
  libboost-graph-dev libigraph-dev libgraphviz-dev graphviz libfccp-dev doctest-dev
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev)
if [[ "${1:-}" == "--with-test-tools" ]]; then
  packages+=(clang libclang-rt-14-dev python3)
fi
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
