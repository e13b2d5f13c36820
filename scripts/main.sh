#!/usr/bin/env bash
# The main job: install what is missing, build, and run Kiln end to end.
#  1. train the digits MLP (examples/digits_mlp.cpp) on the bundled data:
#     a progress bar (on a terminal), loss and test accuracy per epoch, the
#     checkpoint, the training curve as an SVG, and the model exported as
#     digits.kiln;
#  2. the same recipe for seeds 1-4, and the mean test accuracy of 0-4;
#  3. inspect the exported model (`kiln dump`), compile it ahead of time
#     (`kiln compile`), build examples/deploy_c against it with the C
#     compiler alone, and run it on the test split: the same accuracy
#     without Kiln.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh
build=${KILN_BUILD_DIR:-build}
bin=$build/bin
out=$build/main-job
rm -rf "$out"
mkdir -p "$out"

echo "== kiln info"
"$bin/kiln" info
echo
echo "== examples/digits_mlp.cpp: an MLP 64-128-10 on the bundled digits, 50 epochs, seed 0"
"$bin/digits_mlp" data/digits 50 0 "$out" | tee "$out/train.txt"

echo
echo "== the same recipe for seeds 1-4"
for seed in 1 2 3 4; do
  mkdir -p "$out/seed-$seed"
  # No progress bars here (stderr is a file); a failure shows its message.
  "$bin/digits_mlp" data/digits 50 "$seed" "$out/seed-$seed" \
    >"$out/seed-$seed/train.txt" 2>"$out/seed-$seed/errors.txt" ||
    { cat "$out/seed-$seed/errors.txt" >&2; exit 1; }
  grep '^test accuracy' "$out/seed-$seed/train.txt" | sed "s/^/seed $seed: /"
done | tee "$out/seeds.txt"
{
  grep '^test accuracy' "$out/train.txt" | sed 's/^/seed 0: /'
  cat "$out/seeds.txt"
} | awk '{ sum += $NF; n++ } END {
  printf "mean test accuracy over seeds 0-4: %.4f (PyTorch 1.13, same recipe: 0.9767)\n", sum / n }'

echo
echo "== kiln dump $out/digits.kiln --stage=fused: the exported graph, fused"
"$bin/kiln" dump "$out/digits.kiln" --stage=fused
echo
echo "== kiln compile $out/digits.kiln --no-library-calls: an object and a C header"
"$bin/kiln" compile "$out/digits.kiln" -o "$out/aot" --name=digits --no-library-calls
echo
echo "== examples/deploy_c: plain C, linked with digits.o and libm"
cc=$(command -v clang-19 || command -v cc)
"$cc" -O2 -I "$out/aot" examples/deploy_c/deploy_c.c "$out/aot/digits.o" -lm \
  -o "$out/deploy_c"
"$out/deploy_c" data/digits/t10k-images-idx3-ubyte data/digits/t10k-labels-idx1-ubyte
echo "(the JIT model of seed 0: $(grep '^test accuracy' "$out/train.txt"))"
echo
echo "== kiln bench $out/digits.kiln: batch-1 latency, JIT against AOT"
"$bin/kiln" bench "$out/digits.kiln" --no-library-calls
