//===- disk_cache.cpp - Cold compile against a warm disk cache ------------===//
//
// The first training step of an MLP 784-256-128-10 (forward, cross-entropy,
// backward, SGD with momentum) in a fresh process, compiling every program
// (an empty cache folder), then in another fresh process that loads them
// from the disk cache. Prints the median of 5 processes each.
//
//===----------------------------------------------------------------------===//
#include <kiln/kiln.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

namespace nn = kiln::nn;

namespace {

/// In a child process: the first two steps (the second has the momentum
/// buffers), milliseconds on standard output.
int firstSteps() {
  auto start = std::chrono::steady_clock::now();
  nn::Sequential mlp(nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 128),
                     nn::ReLU(), nn::Linear(128, 10));
  kiln::optim::SGD optimizer(mlp->parameters(),
                             kiln::optim::SGDOptions(0.01).momentum(0.9));
  auto x = kiln::randn({64, 784});
  auto y = kiln::randint(0, 10, {64});
  for (int step = 0; step < 2; ++step) {
    optimizer.zero_grad();
    auto loss = nn::functional::cross_entropy(mlp->forward(x), y);
    loss.backward();
    optimizer.step();
    loss.item<float>();
  }
  std::chrono::duration<double, std::milli> elapsed =
      std::chrono::steady_clock::now() - start;
  std::printf("%f\n", elapsed.count());
  return 0;
}

/// Runs this program as a child with KILN_CACHE_DIR=`cache`; its figure.
double child(const std::string &self, const std::string &cache) {
  std::string command =
      "KILN_CACHE_DIR='" + cache + "' '" + self + "' --first-steps";
  FILE *pipe = popen(command.c_str(), "r");
  double ms = -1;
  if (pipe) {
    if (std::fscanf(pipe, "%lf", &ms) != 1)
      ms = -1;
    pclose(pipe);
  }
  return ms;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "--first-steps")
    return firstSteps();
  std::string self = std::filesystem::canonical("/proc/self/exe").string();
  std::string cache = (std::filesystem::temp_directory_path() /
                       ("kiln-bench-cache-" + std::to_string(getpid())))
                          .string();
  std::vector<double> cold, warm;
  for (int run = 0; run < 5; ++run) {
    std::filesystem::remove_all(cache);
    cold.push_back(child(self, cache));
    warm.push_back(child(self, cache));
  }
  std::filesystem::remove_all(cache);
  std::printf("MLP 784-256-128-10 training, first two steps in a fresh "
              "process (median of 5, %d thread(s)): cold compile %.1f ms, "
              "warm disk cache %.1f ms (%.1fx faster)\n",
              kiln::get_num_threads(), median(cold), median(warm),
              median(cold) / median(warm));
}
