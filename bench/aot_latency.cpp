//===- aot_latency.cpp - Batch-1 latency of exported models, AOT vs JIT ---===//
//
// Exports the digits MLP (64-128-10) and a LeNet-style CNN on 28x28 images
// at batch 1 and batch 64, then runs `kiln bench` on each: latency
// percentiles of the JIT (load_model) and of the object `kiln compile`
// builds, with and without library calls, the object's size and the time
// `kiln compile` takes. Goal: the AOT MLP under 10 us at batch 1 on one
// thread.
//
//===----------------------------------------------------------------------===//
#include <kiln/kiln.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace nn = kiln::nn;

namespace {

/// LeNet-5 as PyTorch tutorials write it, for 1x28x28 inputs.
nn::Sequential lenet() {
  return nn::Sequential(nn::Conv2d(1, 6, 5, /*stride=*/1, /*padding=*/2),
                        nn::ReLU(), nn::MaxPool2d(2), nn::Conv2d(6, 16, 5),
                        nn::ReLU(), nn::MaxPool2d(2), nn::Flatten(),
                        nn::Linear(16 * 5 * 5, 120), nn::ReLU(),
                        nn::Linear(120, 84), nn::ReLU(), nn::Linear(84, 10));
}

void bench(const std::string &model, const std::string &options) {
  std::string command =
      std::string(KILN_CLI) + " bench " + model + " " + options;
  std::fflush(stdout);
  if (std::system(command.c_str()) != 0)
    std::printf("(%s failed)\n", command.c_str());
}

} // namespace

int main() {
  kiln::manual_seed(0);
  auto dir = std::filesystem::temp_directory_path() /
             ("kiln-bench-aot-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  nn::Sequential mlp(nn::Linear(64, 128), nn::ReLU(), nn::Linear(128, 10));
  nn::Sequential cnn = lenet();
  std::printf("OMP_NUM_THREADS=%s\n", std::getenv("OMP_NUM_THREADS")
                                          ? std::getenv("OMP_NUM_THREADS")
                                          : "(unset)");
  for (int batch : {1, 64}) {
    std::string m = (dir / ("mlp-" + std::to_string(batch) + ".kiln")).string();
    std::string c =
        (dir / ("lenet-" + std::to_string(batch) + ".kiln")).string();
    kiln::export_model(mlp, {kiln::randn({batch, 64})}, m);
    kiln::export_model(cnn, {kiln::randn({batch, 1, 28, 28})}, c);
    int iterations = batch == 1 ? 20000 : 500;
    std::string n = "--iterations=" + std::to_string(iterations);
    std::printf("\n== MLP 64-128-10, batch %d\n", batch);
    bench(m, n);
    bench(m, n + " --no-library-calls");
    std::printf("\n== LeNet-5 on 28x28, batch %d\n", batch);
    bench(c, n);
    bench(c, n + " --no-library-calls");
  }
  std::filesystem::remove_all(dir);
}
