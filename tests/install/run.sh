#!/usr/bin/env bash
# Installs the build tree into a fresh prefix, then configures, builds and
# runs tests/install as an out-of-tree project with find_package(Kiln).
set -euo pipefail
build=$1 work=$2 cxx=$3
src=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
# Only the public API's headers: none includes LLVM or MLIR, and of the
# runtime only the error type.
if grep -rlE '#include [<"](llvm|mlir)/' "$work/prefix/include"; then
  echo "installed headers include LLVM or MLIR" >&2
  exit 1
fi
test "$(ls "$work/prefix/include/kiln/runtime")" = Error.h
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer" | tee "$work/output.txt"
grep -q "^caught: set_num_threads" "$work/output.txt"
grep -q "^Kiln " "$work/output.txt"
