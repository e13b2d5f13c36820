//===- realize_overhead.cpp - Host cost of a cache-hit realize ------------===//
//
// Records a graph of 50 ops on tiny tensors and realizes it; after the first
// (compiling) iterations every realize is a cache hit. Prints the median
// microseconds per record+realize (goal: under 20), then the same for a
// longer graph of 77 ops.
//
//===----------------------------------------------------------------------===//
#include "BenchUtil.h"

#include <kiln/kiln.h>

#include <cstdio>

namespace {

/// Times record+realize of `3 * iterations + 2` ops and prints it.
void measure(int iterations) {
  auto x = kiln::ones({4, 4});
  auto step = [&] {
    auto y = x;
    for (int i = 0; i < iterations; ++i)
      y = kiln::relu(y * 0.5f) + 0.25f; // 3 ops
    return (y * x).sum().item<float>(); // 2 more
  };
  step(); // compile (x is still pending: it is computed too)
  step(); // compile the steady-state graph, x now an input
  // The recorded ops of the steady-state program, with the constants 0.5
  // and 0.25 that the numbers become.
  uint64_t recorded = kiln::stats().last_compiled.ops;
  kiln::reset_stats();
  const int perRun = 200;
  double seconds = kiln::bench::medianSeconds(15, [&] {
    for (int i = 0; i < perRun; ++i)
      step();
  });
  kiln::Stats stats = kiln::stats();
  std::printf("realize overhead, %d ops (%llu recorded, with constants) on "
              "4x4 floats: %.2f us per record+realize (median of 15 runs x "
              "%d, %d thread(s), %llu compiles during timing)\n",
              3 * iterations + 2, static_cast<unsigned long long>(recorded),
              seconds / perRun * 1e6, perRun, kiln::get_num_threads(),
              static_cast<unsigned long long>(stats.compiles));
}

} // namespace

int main() {
  measure(16); // the 50-op graph of the goal
  measure(25);
}
