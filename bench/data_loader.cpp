//===- data_loader.cpp - Samples per second through the DataLoader --------===//
//
// Loader throughput on synthetic in-memory images with the usual training
// augmentation (Normalize, RandomCrop with padding, RandomHorizontalFlip):
// 28x28 grey (MNIST-sized) and 32x32x3 (CIFAR-sized) images, batches of 64,
// with 0, 1 and 2 worker threads. Samples per second are the median of 5
// epochs after one warm-up epoch.
//
//===----------------------------------------------------------------------===//
#include "BenchUtil.h"

#include <kiln/kiln.h>

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
            transforms::TensorTransform augment) {
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
      for (data::Example &batch : loader)
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
}
