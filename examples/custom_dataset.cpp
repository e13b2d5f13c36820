// A dataset of your own: derive from data::Dataset, say how to get one
// sample and how many there are, and the DataLoader batches, shuffles and
// loads it in worker threads like any built-in dataset.
//
//   custom_dataset [epochs=30]
//
// The data are two interleaved spirals, a classic that no straight line
// separates; a small MLP learns to tell them apart.
#include <kiln/kiln.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

namespace F = kiln::nn::functional;
namespace nn = kiln::nn;

// Sample i is a point of spiral i % 2, at a position along the spiral given
// by i, with a little noise seeded by i: any worker computes the same sample
// for the same index, so batches do not depend on the worker count.
class Spirals : public kiln::data::Dataset<> {
public:
  explicit Spirals(size_t size) : size_(size) {}

  kiln::data::Example get(size_t index) override {
    if (index >= size_)
      throw kiln::Error("Spirals: index " + std::to_string(index) +
                        " is out of range for " + std::to_string(size_) +
                        " samples");
    int64_t label = index % 2;
    double t = 0.5 + 3.0 * (index / 2) / (size_ / 2); // 0.5 .. 3.5 radians
    std::mt19937 noise(static_cast<uint32_t>(index));
    std::normal_distribution<float> jitter(0.0f, 0.05f);
    double angle = t * 2.0 + (label ? M_PI : 0.0);
    float x = static_cast<float>(t * std::cos(angle) / 3.5) + jitter(noise);
    float y = static_cast<float>(t * std::sin(angle) / 3.5) + jitter(noise);
    return {kiln::tensor({x, y}), kiln::tensor(label)}; // [2], a scalar
  }

  size_t size() const override { return size_; }

private:
  size_t size_;
};

static int run(int argc, char **argv) {
  int epochs = argc > 1 ? std::stoi(argv[1]) : 30;
  kiln::manual_seed(0);

  // Samples are computed on the fly by two worker threads, in batches of 64
  // (default_collate stacks the points into [64, 2] and the labels to [64]).
  kiln::data::DataLoader loader(
      Spirals(2000),
      {.batch_size = 64, .shuffle = true, .num_workers = 2, .seed = 1});
  nn::Sequential model(nn::Linear(2, 64), nn::Tanh(), nn::Linear(64, 64),
                       nn::Tanh(), nn::Linear(64, 2));
  kiln::optim::Adam opt(model->parameters(), kiln::optim::AdamOptions(1e-2));

  for (int epoch = 1; epoch <= epochs; ++epoch) {
    kiln::metrics::RunningMean loss, accuracy;
    for (auto &batch : loader) {
      opt.zero_grad();
      auto logits = model->forward(batch.data);
      auto batchLoss = F::cross_entropy(logits, batch.target);
      batchLoss.backward();
      opt.step();
      int64_t n = batch.target.size(0);
      loss.update(batchLoss.item<double>(), n);
      accuracy.update(kiln::metrics::accuracy(logits, batch.target), n);
    }
    if (epoch == 1 || epoch % 10 == 0 || epoch == epochs)
      std::printf("epoch %3d  loss %.4f  train accuracy %.4f\n", epoch,
                  loss.mean(), accuracy.mean());
  }
  return 0;
}

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "custom_dataset: %s\n", e.what());
    return 1;
  }
}
