#!/usr/bin/env bash
# Every test: install what is missing, build, and run the unit tests, the lit
# suite, the docs/format checks and the install test through ctest; then the
# same unit and lit tests again in a build with AddressSanitizer and
# UndefinedBehaviorSanitizer, and the tests that start threads in one with
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

  echo "== the tests that start threads, under ThreadSanitizer"
  if [[ ! -f build-tsan/build.ninja ]]; then
    cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DKILN_TSAN=ON >/dev/null
  fi
  cmake --build build-tsan --target kiln-data-tests kiln-runtime-tests \
    kiln-frontend-tests kiln-compiler-tests
  export TSAN_OPTIONS=halt_on_error=1
  # The data pipeline's workers and the runtime's buffer cache, whole; of
  # the frontend and the JIT, the tests whose threads record, realize, hand
  # tensors over, write files or run one program together. (Tests that set
  # OpenMP's thread count are left out: libgomp is not instrumented.)
  build-tsan/bin/kiln-data-tests
  build-tsan/bin/kiln-runtime-tests
  build-tsan/bin/kiln-frontend-tests --gtest_filter='Tensor.TwoThreadsComputeDifferentGraphs:Tensor.PendingTensorFromAnotherThread:Tensor.SyncComputesTheGivenTensorsInOneProgram:Serialize.Concurrent*'
  build-tsan/bin/kiln-compiler-tests --gtest_filter='Jit.TemporariesLiveInOneArenaAndRunsAllocateNothing'
fi
