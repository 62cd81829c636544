#!/usr/bin/env bash
# Installs the build tree BUILD into a scratch prefix under WORK, builds samples/embed against
# it with find_package(sanx), and runs the consumer on the Kazakhstan sample.
set -eu
build=$1 src=$2 work=$3
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/samples/embed" -B "$work/embed" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/embed" >/dev/null
out=$("$work/embed/sanx_embed" "$src/samples/kazakhstan/entities.yaml")
if grep -q "steppe-commercial-bank	high" <<<"$out"; then
    echo "1 passed, 0 failed"
else
    echo "FAIL the consumer's output lacks 'steppe-commercial-bank<TAB>high':"
    echo "$out" | head -20
    echo "0 passed, 1 failed"
    exit 1
fi
