//===- data_loader.cpp - Samples per second through the DataLoader --------===//
//
// Loader throughput on synthetic in-memory images with the usual training
// augmentation (Normalize, RandomCrop with padding, RandomHorizontalFlip):
// 28x28 grey (MNIST-sized) and 32x32x3 (CIFAR-sized) images, batches of 64,
// with 0, 1 and 2 worker threads. Samples per second are the median of 5
// epochs after one warm-up epoch. Then the share of a training loop's time
// spent waiting for the next batch: an MLP 784-256-128-10 step (SGD,
// momentum 0.9) on the augmented 28x28 images, 0 and 2 workers.
//
//===----------------------------------------------------------------------===//
#include "BenchUtil.h"

#include <kiln/kiln.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>

namespace data = kiln::data;
namespace transforms = kiln::data::transforms;

namespace {

/// `n` images of `shape` with uniform [0, 1) pixels, written directly (a
/// kiln::rand would compile a program, which is not what is measured).
kiln::Tensor images(int64_t n, const kiln::Shape &shape) {
  kiln::Shape full{n};
  full.insert(full.end(), shape.begin(), shape.end());
  kiln::Tensor t = kiln::empty(full);
  std::mt19937 gen(0);
  std::uniform_real_distribution<float> uniform(0, 1);
  float *p = t.data_ptr<float>();
  for (int64_t i = 0; i < t.numel(); ++i)
    p[i] = uniform(gen);
  return t;
}

void report(const std::string &name, const kiln::Shape &shape,
            transforms::TensorFunction augment) {
  const int64_t n = 4096;
  auto dataset = std::make_shared<data::MapDataset>(
      std::make_shared<data::TensorDataset>(images(n, shape),
                                            kiln::zeros({n}, kiln::kInt64)),
      std::move(augment));
  for (size_t workers : {0, 1, 2}) {
    data::DataLoader loader(dataset, {.batch_size = 64,
                                      .shuffle = true,
                                      .num_workers = workers,
                                      .seed = 0,
                                      .persistent_workers = workers > 0});
    auto epoch = [&] {
      for (data::Example<> &batch : loader)
        (void)batch;
    };
    epoch(); // warm-up: first-touch of the buffers, thread start
    double seconds = kiln::bench::medianSeconds(5, epoch);
    std::printf("%s, %zu worker(s): %.0f samples/s (%.1f ms per epoch of "
                "%lld, median of 5)\n",
                name.c_str(), workers, static_cast<double>(n) / seconds,
                seconds * 1e3, static_cast<long long>(n));
  }
}

/// Trains an MLP for one epoch per worker count and prints the share of the
/// epoch spent waiting for batches (from the end of a step to the next
/// batch in hand).
void waitingShare(transforms::TensorFunction augment) {
  namespace nn = kiln::nn;
  const int64_t n = 4096;
  auto dataset = std::make_shared<data::MapDataset>(
      std::make_shared<data::TensorDataset>(
          images(n, {1, 28, 28}), kiln::randint(0, 10, {n}).to(kiln::kInt64)),
      std::move(augment));
  nn::Sequential model(nn::Flatten(), nn::Linear(784, 256), nn::ReLU(),
                       nn::Linear(256, 128), nn::ReLU(), nn::Linear(128, 10));
  kiln::optim::SGD opt(model->parameters(),
                       kiln::optim::SGDOptions(0.01).momentum(0.9));
  using Clock = std::chrono::steady_clock;
  for (size_t workers : {0, 2}) {
    data::DataLoader loader(dataset, {.batch_size = 64,
                                      .shuffle = true,
                                      .num_workers = workers,
                                      .seed = 0,
                                      .persistent_workers = workers > 0});
    std::vector<double> shares;
    for (int epoch = 0; epoch < 4; ++epoch) {
      double waiting = 0;
      auto start = Clock::now(), stepEnd = start;
      for (data::Example<> &batch : loader) {
        waiting +=
            std::chrono::duration<double>(Clock::now() - stepEnd).count();
        opt.zero_grad();
        auto loss = kiln::nn::functional::cross_entropy(
            model->forward(batch.data), batch.target);
        loss.backward();
        opt.step();
        loss.item<float>();
        stepEnd = Clock::now();
      }
      double total = std::chrono::duration<double>(stepEnd - start).count();
      if (epoch > 0) // the first epoch compiles the step
        shares.push_back(waiting / total);
    }
    std::sort(shares.begin(), shares.end());
    std::printf("MLP training on 28x28 with augmentation, %zu worker(s): "
                "%.1f%% of the loop's time waiting for data (median of %zu "
                "epochs)\n",
                workers, 100 * shares[shares.size() / 2], shares.size());
  }
}

} // namespace

int main() {
  std::printf("hardware threads: %u, kiln threads: %d\n",
              std::thread::hardware_concurrency(), kiln::get_num_threads());
  report("28x28x1, Normalize + RandomCrop(28, 2) + flip", {1, 28, 28},
         transforms::Compose({transforms::Normalize({0.1307}, {0.3081}),
                              transforms::RandomCrop(28, 2),
                              transforms::RandomHorizontalFlip()}));
  report("32x32x3, Normalize + RandomCrop(32, 4) + flip", {3, 32, 32},
         transforms::Compose({transforms::Normalize({0.4914, 0.4822, 0.4465},
                                                    {0.2470, 0.2435, 0.2616}),
                              transforms::RandomCrop(32, 4),
                              transforms::RandomHorizontalFlip()}));
  waitingShare(transforms::Compose({transforms::Normalize({0.1307}, {0.3081}),
                                    transforms::RandomCrop(28, 2),
                                    transforms::RandomHorizontalFlip()}));
}
