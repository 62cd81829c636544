#!/usr/bin/env bash
# Installs the Debian packages sanx builds and tests with, only when some are missing.
set -euo pipefail
pkgs=(cmake g++ make ninja-build ccache pkg-config libyaml-cpp-dev libboost-dev libspdlog-dev
      doctest-dev libcli11-dev nlohmann-json3-dev libsimdjson-dev libre2-dev libssl-dev libxml2-dev libicu-dev libjemalloc-dev clang-format
      libbenchmark-dev clang libclang-rt-14-dev graphviz libcpp-httplib-dev curl
      pybind11-dev python3-dev python3-pytest python3-distributed python3-jsonschema python3-yaml)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
