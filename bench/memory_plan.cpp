//===- memory_plan.cpp - Kernels and arenas of whole training steps -------===//
//
// Compiles the training step (forward, cross-entropy, backward, SGD with
// momentum 0.9) of an MLP 784-256-128-10 and of a LeNet-5-style CNN, and
// prints for each the kernels the step runs and its arena against the lower
// bound (the most bytes live at one step; goal: ratio at most 1.05) and
// against every temporary in its own memory.
//
//===----------------------------------------------------------------------===//
#include <kiln/kiln.h>

#include <cstdio>
#include <memory>

namespace nn = kiln::nn;

namespace {

void report(const char *name, nn::Sequential &model, const kiln::Shape &input,
            int64_t classes) {
  kiln::manual_seed(0);
  kiln::optim::SGD optimizer(model->parameters(),
                             kiln::optim::SGDOptions(0.01).momentum(0.9));
  auto x = kiln::randn(input);
  auto y = kiln::randint(0, classes, {input[0]});
  // The first steps compile (momentum buffers appear at the first); the
  // last compile is the steady-state step.
  for (int step = 0; step < 3; ++step) {
    optimizer.zero_grad();
    auto loss = nn::functional::cross_entropy(model(x), y);
    loss.backward();
    optimizer.step();
  }
  kiln::ProgramInfo info = kiln::stats().last_compiled;
  std::printf("%s: %llu ops, %llu kernels, arena %.1f KiB, lower bound %.1f "
              "KiB (ratio %.3f), buffers apart %.1f KiB\n",
              name, static_cast<unsigned long long>(info.ops),
              static_cast<unsigned long long>(info.kernels),
              info.arena_bytes / 1024.0, info.arena_lower_bound / 1024.0,
              info.arena_lower_bound
                  ? double(info.arena_bytes) / info.arena_lower_bound
                  : 1.0,
              info.arena_naive_bytes / 1024.0);
}

} // namespace

int main() {
  for (int64_t batch : {64, 256}) {
    nn::Sequential mlp(nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 128),
                       nn::ReLU(), nn::Linear(128, 10));
    std::string name =
        "MLP 784-256-128-10 step, batch " + std::to_string(batch);
    report(name.c_str(), mlp, {batch, 784}, 10);
  }
  nn::Sequential lenet(nn::Conv2d(1, 6, 5, 1, 2), nn::ReLU(), nn::MaxPool2d(2),
                       nn::Conv2d(6, 16, 5), nn::ReLU(), nn::MaxPool2d(2),
                       nn::Flatten(), nn::Linear(16 * 5 * 5, 120), nn::ReLU(),
                       nn::Linear(120, 84), nn::ReLU(), nn::Linear(84, 10));
  report("LeNet-5 CNN step, batch 64", lenet, {64, 1, 28, 28}, 10);
}
