#!/usr/bin/env bash
# The main job: install what is missing, build, and run Kiln end to end.
# Today: `kiln info` reports the configuration, examples/tensor_basics trains
# a tiny model through the lazy Tensor frontend (one compiled program for the
# whole loop), and an example program in the kiln dialect is parsed,
# verified and canonicalized.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh
bin=${KILN_BUILD_DIR:-build}/bin

echo "== kiln info"
"$bin/kiln" info
echo "== examples/tensor_basics.cpp"
"$bin/tensor_basics"
echo "== kiln dump examples/ir/mlp.mlir"
"$bin/kiln" dump examples/ir/mlp.mlir
echo "== kiln-opt --canonicalize examples/ir/mlp.mlir"
"$bin/kiln-opt" --canonicalize examples/ir/mlp.mlir
