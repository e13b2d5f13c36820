//===- realize_overhead.cpp - Host cost of a cache-hit realize ------------===//
//
// Records a 50-op graph on tiny tensors and realizes it; after the first
// (compiling) iteration every realize is a cache hit. Prints the median
// microseconds per record+realize. Goal: under 20 us.
//
//===----------------------------------------------------------------------===//
#include "BenchUtil.h"

#include <kiln/kiln.h>

#include <cstdio>

int main() {
  auto x = kiln::ones({4, 4});
  auto step = [&] {
    auto y = x;
    for (int i = 0; i < 25; ++i)
      y = kiln::relu(y * 0.5f) + 0.25f; // 2 ops (+ constants) per iteration
    return y.sum().item<float>();
  };
  step(); // compile (x is still pending: it is computed too)
  step(); // compile the steady-state graph, x now an input
  kiln::reset_stats();
  const int perRun = 200;
  double seconds = kiln::bench::medianSeconds(15, [&] {
    for (int i = 0; i < perRun; ++i)
      step();
  });
  kiln::Stats stats = kiln::stats();
  std::printf("realize overhead, 50-op graph on 4x4 floats: %.2f us per "
              "record+realize (median of 15 runs x %d, %d thread(s), %llu "
              "compiles during timing)\n",
              seconds / perRun * 1e6, perRun, kiln::get_num_threads(),
              static_cast<unsigned long long>(stats.compiles));
}
