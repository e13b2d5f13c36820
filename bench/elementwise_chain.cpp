//===- elementwise_chain.cpp - y = relu(x*w + b) * sigmoid(x) + 1 ---------===//
//
// The chain on 16M floats through Kiln, against a plain C++ loop over the
// same data in the same run (what a fused kernel should approach).
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
  chain();
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
  std::printf("elementwise chain on 16M floats (median of 11, %d thread(s)): "
              "kiln %.2f ms, plain C++ loop %.2f ms\n",
              kiln::get_num_threads(), kilnSeconds * 1e3, loopSeconds * 1e3);
}
