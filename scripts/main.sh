#!/usr/bin/env bash
# The main job: install what is missing, build, and run Kiln end to end.
# Today: the `kiln` CLI reports its configuration, and an example program in
# the kiln dialect is parsed, verified, canonicalized and printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh
bin=${KILN_BUILD_DIR:-build}/bin

echo "== kiln info"
"$bin/kiln" info
echo "== kiln dump examples/ir/mlp.mlir"
"$bin/kiln" dump examples/ir/mlp.mlir
echo "== kiln-opt --canonicalize examples/ir/mlp.mlir"
"$bin/kiln-opt" --canonicalize examples/ir/mlp.mlir
