//===- compile_scaling.cpp - Compile time against graph size --------------===//
//
// A chain of N elementwise ops (the kind a loop that never syncs records)
// compiled from scratch: time per op at 1k, 4k and 16k ops shows whether
// compile time grows linearly. The disk cache is off, so every size
// compiles.
//
//===----------------------------------------------------------------------===//
#include <kiln/kiln.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char **argv) {
  ::setenv("KILN_DISK_CACHE", "0", 1);
  std::vector<int> sizes = {1000, 4000, 16000};
  if (argc > 1) {
    sizes.clear();
    for (int i = 1; i < argc; ++i)
      sizes.push_back(std::atoi(argv[i]));
  }
  std::printf("compiling a chain of N elementwise ops (record, build IR, "
              "lower, JIT at -O3, run), %d thread(s)\n",
              kiln::get_num_threads());
  int64_t width = 7;
  for (int n : sizes) {
    kiln::reset_stats();
    auto start = std::chrono::steady_clock::now();
    kiln::Tensor y = kiln::ones({width++, 16});
    for (int i = 0; i < n / 2; ++i)
      y = kiln::relu(y * 0.999f) + 0.001f;
    auto recorded = std::chrono::steady_clock::now();
    y.sum().item<float>();
    auto end = std::chrono::steady_clock::now();
    kiln::Stats stats = kiln::stats();
    double total = std::chrono::duration<double>(end - start).count();
    std::printf("%6d ops: %7.2f s in all (recording %.2f s), %llu programs "
                "compiled in %.2f s: %6.1f us per op\n",
                n, total,
                std::chrono::duration<double>(recorded - start).count(),
                static_cast<unsigned long long>(stats.compiles),
                stats.compile_seconds, total / n * 1e6);
    std::fflush(stdout);
  }
  // Many live pending tensors: each one an output of the program.
  for (int n : {250, 1000}) {
    kiln::reset_stats();
    auto start = std::chrono::steady_clock::now();
    kiln::Tensor x = kiln::randn({width++, 16});
    kiln::sync();
    std::vector<kiln::Tensor> live;
    for (int i = 0; i < n; ++i)
      live.push_back(x * float(i));
    kiln::sync();
    double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    std::printf("syncing %4d live pending tensors: %6.2f s (%llu programs "
                "compiled in %.2f s)\n",
                n, total,
                static_cast<unsigned long long>(kiln::stats().compiles),
                kiln::stats().compile_seconds);
    std::fflush(stdout);
  }
}
