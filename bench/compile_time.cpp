//===- compile_time.cpp - First-realize compile time of a ~80-op graph ----===//
#include "BenchUtil.h"

#include <kiln/kiln.h>

#include <cstdio>

int main() {
  int64_t size = 8;
  double seconds = kiln::bench::medianSeconds(9, [&] {
    // A new shape each time, so each realize compiles.
    auto y = kiln::ones({size++, 16});
    for (int i = 0; i < 25; ++i)
      y = kiln::tanh(y * 0.5f) + 0.25f;
    y.sum().item<float>();
  });
  kiln::Stats stats = kiln::stats();
  std::printf("first realize of a %llu-op graph (record, build IR, lower, "
              "JIT at -O3, run): %.1f ms median of 9 (%llu compiles, %d "
              "thread(s))\n",
              static_cast<unsigned long long>(stats.last_compiled.ops),
              seconds * 1e3, static_cast<unsigned long long>(stats.compiles),
              kiln::get_num_threads());
}
