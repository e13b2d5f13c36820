#!/usr/bin/env bash
# Every test: install what is missing, build, and run the unit tests, the lit
# suite, the docs/format checks and the install test through ctest; then the
# same unit and lit tests again in a build with AddressSanitizer and
# UndefinedBehaviorSanitizer (skip that part with --no-sanitize).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export OMP_NUM_THREADS=1
jobs=$(nproc)

KILN_BUILD_DIR=build scripts/build.sh
ctest --test-dir build --output-on-failure -j "$jobs"

if [[ ${1:-} != --no-sanitize ]]; then
  echo "== the same tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  KILN_BUILD_DIR=build-asan scripts/build.sh -DKILN_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
  ctest --test-dir build-asan --output-on-failure -j "$jobs" \
    -E '^(docs-up-to-date-.*|clang-format|install-find-package|frontend-tests-unfused)$'
fi
