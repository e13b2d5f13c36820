#!/usr/bin/env bash
# The main job: install what is missing, build, and run Kiln end to end.
# Today: `kiln info` reports the configuration, examples/tensor_basics fits a
# line through the lazy Tensor frontend, examples/digits_mlp trains an MLP on
# the bundled digits (DataLoader, nn, Adam; about 97.8% test accuracy), and an
# example program in the kiln dialect is parsed, verified and canonicalized.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh
bin=${KILN_BUILD_DIR:-build}/bin

echo "== kiln info"
"$bin/kiln" info
echo "== examples/tensor_basics.cpp"
"$bin/tensor_basics"
echo "== examples/digits_mlp.cpp: an MLP on the bundled digits, 50 epochs"
"$bin/digits_mlp" data/digits
echo "== kiln dump examples/ir/mlp.mlir"
"$bin/kiln" dump examples/ir/mlp.mlir
echo "== kiln-opt --canonicalize examples/ir/mlp.mlir"
"$bin/kiln-opt" --canonicalize examples/ir/mlp.mlir
