//===- BenchUtil.h - Timing helpers shared by the benchmarks ----*- C++ -*-===//
#ifndef KILN_BENCH_BENCHUTIL_H
#define KILN_BENCH_BENCHUTIL_H

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace kiln::bench {

/// Runs `fn` `repeats` times and returns the median wall time in seconds.
inline double medianSeconds(int repeats, const std::function<void()> &fn) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    fn();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

} // namespace kiln::bench

#endif // KILN_BENCH_BENCHUTIL_H
