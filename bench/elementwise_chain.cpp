//===- elementwise_chain.cpp - y = relu(x*w + b) * sigmoid(x) + 1 ---------===//
//
// The chain on 16M floats through Kiln on one thread and on all of them,
// unfused (set_fusion_enabled(false)) on one thread,
// against a plain C++ loop over the same data in the same run (what a fused
// kernel should approach on one thread).
//
//===----------------------------------------------------------------------===//
#include "BenchUtil.h"

#include <kiln/kiln.h>

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
  const int64_t n = int64_t(1) << 24;
  kiln::manual_seed(0);
  auto x = kiln::randn({n});
  auto w = kiln::randn({n});
  auto b = kiln::randn({n});
  kiln::sync();
  auto chain = [&] {
    auto y = kiln::relu(x * w + b) * kiln::sigmoid(x) + 1;
    y.data_ptr();
  };
  // One thread, then every thread: large loops are shared between threads.
  int threads = kiln::get_num_threads();
  kiln::set_num_threads(1);
  chain();
  double oneThread = kiln::bench::medianSeconds(11, chain);
  // Unfused: every op its own loop and every intermediate a buffer.
  kiln::set_fusion_enabled(false);
  chain();
  double unfused = kiln::bench::medianSeconds(11, chain);
  kiln::set_fusion_enabled(true);
  kiln::set_num_threads(threads);
  double kilnSeconds = kiln::bench::medianSeconds(11, chain);

  const float *px = x.data_ptr<float>(), *pw = w.data_ptr<float>(),
              *pb = b.data_ptr<float>();
  std::vector<float> out(n);
  double loopSeconds = kiln::bench::medianSeconds(11, [&] {
    for (int64_t i = 0; i < n; ++i) {
      float v = px[i] * pw[i] + pb[i];
      out[i] = (v > 0 ? v : 0) / (1 + std::exp(-px[i])) + 1;
    }
  });
  std::printf("elementwise chain on 16M floats (median of 11): kiln fused "
              "%.2f ms on 1 thread, %.2f ms on %d thread(s); unfused %.2f ms "
              "on 1 thread (fused %.2fx faster); plain C++ loop on 1 thread "
              "%.2f ms\n",
              oneThread * 1e3, kilnSeconds * 1e3, threads, unfused * 1e3,
              unfused / oneThread, loopSeconds * 1e3);
}
