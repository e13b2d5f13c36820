//===- cuda_kernels.cpp - The CUDA kernels of the benchmark workloads -----===//
//
// The training steps of bench/training_step.cpp (an MLP 784-256-128-10 and a
// LeNet-5-style CNN at batch 64, SGD with momentum) and a
// TransformerEncoderLayer(128, 4 heads, ff 512) forward and backward at
// sequence 64 x batch 16, each compiled for CUDA as well: every kernel with
// its registers and spills from ptxas for sm_80 and sm_90 (on standard
// error, KILN_LOG=cuda), and the time one step takes to compile for both
// backends (NVRTC for two architectures, ptxas, and the host compiler for
// the host execution included) and to run once through the host execution
// next to the CPU backend. No GPU is needed; a machine without NVRTC says
// so and stops.
//
//===----------------------------------------------------------------------===//
#include <kiln/kiln.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace nn = kiln::nn;

namespace {

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

template <typename Step> void report(const std::string &name, Step step) {
  std::fprintf(stderr, "\n== %s\n", name.c_str());
  // The first steps compile (a training step's first differs from the
  // next: the optimizer's state appears), the third is a steady one.
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 2; ++i) {
    step();
    kiln::sync();
  }
  double compiling = seconds(start);
  kiln::Stats stats = kiln::stats();
  start = std::chrono::steady_clock::now();
  step();
  kiln::sync();
  std::printf("%s: %llu kernels; the first two steps (compiling for the CPU "
              "and for CUDA) %.2f s, a steady step on both (CUDA through the "
              "host execution) %.3f s\n",
              name.c_str(),
              static_cast<unsigned long long>(stats.last_compiled.kernels),
              compiling, seconds(start));
}

} // namespace

int main() {
  // Read at the first compile: every program is also compiled for CUDA,
  // run through the host execution and checked against the CPU backend.
  setenv("KILN_CHECK_CUDA", "1", 1);
  setenv("KILN_LOG", "cuda", 1);
  kiln::manual_seed(0);
  std::printf("CUDA kernels of the benchmark workloads, %d thread(s); "
              "registers and spills per kernel on standard error\n",
              kiln::get_num_threads());
  auto train = [](nn::Sequential &model, const kiln::Shape &input) {
    auto optimizer = std::make_shared<kiln::optim::SGD>(
        model->parameters(), kiln::optim::SGDOptions(0.01).momentum(0.9));
    auto x = kiln::randn(input);
    auto y = kiln::randint(0, 10, {input[0]});
    return [&model, optimizer, x, y] {
      optimizer->zero_grad();
      auto loss = nn::functional::cross_entropy(model(x), y);
      loss.backward();
      optimizer->step();
    };
  };
  try {
    nn::Sequential mlp(nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 128),
                       nn::ReLU(), nn::Linear(128, 10));
    report("MLP 784-256-128-10 training step, batch 64", train(mlp, {64, 784}));
    nn::Sequential lenet(nn::Conv2d(1, 6, 5, 1, 2), nn::ReLU(),
                         nn::MaxPool2d(2), nn::Conv2d(6, 16, 5), nn::ReLU(),
                         nn::MaxPool2d(2), nn::Flatten(),
                         nn::Linear(16 * 5 * 5, 120), nn::ReLU(),
                         nn::Linear(120, 84), nn::ReLU(), nn::Linear(84, 10));
    report("LeNet-5 training step, batch 64", train(lenet, {64, 1, 28, 28}));
    nn::TransformerEncoderLayer layer(128, 4, 512, /*dropout=*/0.0);
    auto src = kiln::randn({64, 16, 128});
    report("TransformerEncoderLayer(128, 4, ff 512) forward and backward, "
           "64 x 16",
           [&] {
             for (auto &p : layer->parameters())
               p.mutable_grad() = kiln::Tensor();
             layer->forward(src).sum().backward();
             std::vector<kiln::Tensor> grads;
             for (auto &p : layer->parameters())
               grads.push_back(p.grad());
             kiln::sync(grads);
           });
  } catch (const kiln::Error &e) {
    std::fprintf(stderr, "cuda_kernels: %s\n", e.what());
    return 1;
  }
}
