#!/usr/bin/env bash
# Configures (once) and builds Kiln in ./build with clang-19, lld and ccache.
# Extra arguments go to the first configure, e.g. -DKILN_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${KILN_BUILD_DIR:-build}
if [[ ! -f $build/build.ninja ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
fi
cmake --build "$build"
