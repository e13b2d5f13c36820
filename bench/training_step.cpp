//===- training_step.cpp - Samples per second of whole training steps -----===//
//
// Steady-state training steps (forward, cross-entropy, backward, SGD with
// momentum 0.9, realized as one program) of an MLP 784-256-128-10 at batch
// 64 and 256 and of a LeNet-5-style CNN at batch 64: samples per second
// (median of 7 runs of 20 steps), and the process's peak RSS. Each is also
// measured with the bias and activation after each matmul and convolution
// as loops of their own instead of oneDNN post-ops (KILN_POST_OPS=0), with
// the step program's kernel count under each.
//
//===----------------------------------------------------------------------===//
#include "BenchUtil.h"

#include <kiln/kiln.h>

#include <atomic>
#include <cstdio>
#include <string>

#include <sys/resource.h>

namespace nn = kiln::nn;

namespace {

void report(const std::string &name, nn::Sequential &model,
            const kiln::Shape &input) {
  kiln::manual_seed(0);
  kiln::optim::SGD optimizer(model->parameters(),
                             kiln::optim::SGDOptions(0.01).momentum(0.9));
  auto x = kiln::randn(input);
  auto y = kiln::randint(0, 10, {input[0]});
  auto step = [&] {
    optimizer.zero_grad();
    auto loss = nn::functional::cross_entropy(model(x), y);
    loss.backward();
    optimizer.step();
  };
  auto measure = [&](bool postOps) {
    kiln::set_post_ops_enabled(postOps);
    for (int i = 0; i < 3; ++i) // compile, then the steady state
      step();
    kiln::sync();
    uint64_t kernels = kiln::stats().last_compiled.kernels;
    const int steps = 20;
    double seconds = kiln::bench::medianSeconds(7, [&] {
      for (int i = 0; i < steps; ++i)
        step();
      kiln::sync();
    });
    return std::pair{seconds / steps, kernels};
  };
  auto [withS, withKernels] = measure(true);
  auto [withoutS, withoutKernels] = measure(false);
  kiln::set_post_ops_enabled(true);
  std::printf(
      "%s: %.0f samples/s (%.3f ms per step, median of 7 x 20 "
      "steps, %d thread(s), %llu kernels); without post-ops %.0f "
      "samples/s (%llu kernels), post-ops speedup %.2fx\n",
      name.c_str(), input[0] / withS, withS * 1e3, kiln::get_num_threads(),
      static_cast<unsigned long long>(withKernels), input[0] / withoutS,
      static_cast<unsigned long long>(withoutKernels), withoutS / withS);
}

} // namespace

int main() {
  for (int64_t batch : {64, 256}) {
    nn::Sequential mlp(nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 128),
                       nn::ReLU(), nn::Linear(128, 10));
    report("MLP 784-256-128-10, batch " + std::to_string(batch), mlp,
           {batch, 784});
  }
  nn::Sequential lenet(nn::Conv2d(1, 6, 5, 1, 2), nn::ReLU(), nn::MaxPool2d(2),
                       nn::Conv2d(6, 16, 5), nn::ReLU(), nn::MaxPool2d(2),
                       nn::Flatten(), nn::Linear(16 * 5 * 5, 120), nn::ReLU(),
                       nn::Linear(120, 84), nn::ReLU(), nn::Linear(84, 10));
  report("LeNet-5 CNN, batch 64", lenet, {64, 1, 28, 28});
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS: %.1f MiB\n", usage.ru_maxrss / 1024.0);
}
