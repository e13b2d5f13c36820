#!/usr/bin/env bash
# Every test: install what is missing, build, and run the unit tests, the lit
# suite, the docs/format checks and the install test through ctest; then the
# same unit and lit tests again in a build with AddressSanitizer and
# UndefinedBehaviorSanitizer, and the data pipeline's tests in one with
# ThreadSanitizer (skip the sanitizers with --no-sanitize).
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

  echo "== the data pipeline's tests under ThreadSanitizer (worker threads)"
  if [[ ! -f build-tsan/build.ninja ]]; then
    cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DKILN_TSAN=ON >/dev/null
  fi
  cmake --build build-tsan --target kiln-data-tests
  TSAN_OPTIONS=halt_on_error=1 build-tsan/bin/kiln-data-tests
fi
