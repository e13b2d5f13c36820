// A dataset of your own, written as a LibTorch program writes one: derive
// from data::datasets::Dataset<Self>, say how to get one example and how
// many there are, and `.map(...)` and make_data_loader do the rest
// (normalizing, stacking examples into batches, shuffling, loading on worker
// threads). Renaming kiln:: to torch:: gives the LibTorch program.
//
//   custom_dataset [data/digits] [epochs=10]
//
// The dataset reads the bundled 8x8 digits from their IDX files itself; a
// small MLP learns to classify them.
#include <kiln/kiln.h>

#include <cstdio>
#include <string>
#include <vector>

namespace nn = kiln::nn;

// The digits of one split as flat [64] float vectors in [0, 1] with int64
// labels. The file is read once, into plain vectors, and each get() builds
// small tensors from them: the loader gives every worker thread a copy of
// the dataset, so a copy must be cheap (the vectors are shared).
class CustomDataset : public kiln::data::datasets::Dataset<CustomDataset> {
public:
  CustomDataset(const std::string &root, bool train) {
    std::string prefix = root + (train ? "/train" : "/t10k");
    // read_idx reads any IDX file; a missing or corrupt one is a
    // kiln::Error naming it.
    auto images = kiln::data::read_idx(prefix + "-images-idx3-ubyte");
    auto labels = kiln::data::read_idx(prefix + "-labels-idx1-ubyte");
    pixels_ = std::make_shared<std::vector<float>>();
    for (double v : images.to_vector<double>())
      pixels_->push_back(static_cast<float>(v / 16)); // pixels are 0..16
    labels_ =
        std::make_shared<std::vector<int64_t>>(labels.to_vector<int64_t>());
  }

  kiln::data::Example<> get(size_t index) override {
    if (index >= labels_->size())
      throw kiln::Error("CustomDataset: index " + std::to_string(index) +
                        " is out of range for " +
                        std::to_string(labels_->size()) + " digits");
    auto first = pixels_->begin() + index * 64;
    std::vector<float> image(first, first + 64);
    return {kiln::tensor(image), kiln::tensor((*labels_)[index])};
  }

  kiln::optional<size_t> size() const override { return labels_->size(); }

private:
  std::shared_ptr<std::vector<float>> pixels_;
  std::shared_ptr<std::vector<int64_t>> labels_;
};

static int run(int argc, char **argv) {
  std::string root = argc > 1 ? argv[1] : "data/digits";
  int epochs = argc > 2 ? std::stoi(argv[2]) : 10;
  kiln::manual_seed(0); // the loader's shuffle draws from it

  // Normalize each example's pixels, then Stack the examples of a batch
  // into one Example: data [32, 64], target [32]. Without Stack the loader
  // would yield std::vector<Example<>>.
  auto train = CustomDataset(root, /*train=*/true)
                   .map(kiln::data::transforms::Normalize<>(0.3, 0.4))
                   .map(kiln::data::transforms::Stack<>());
  auto loader = kiln::data::make_data_loader(
      std::move(train),
      kiln::data::DataLoaderOptions().batch_size(32).workers(2));

  nn::Sequential model(nn::Linear(64, 64), nn::ReLU(), nn::Linear(64, 10));
  kiln::optim::Adam optimizer(model->parameters(),
                              kiln::optim::AdamOptions(1e-3));

  for (int epoch = 1; epoch <= epochs; ++epoch) {
    kiln::metrics::RunningMean loss, accuracy;
    for (auto &batch : *loader) {
      optimizer.zero_grad();
      auto output = model->forward(batch.data);
      auto batchLoss =
          kiln::nn::functional::cross_entropy(output, batch.target);
      batchLoss.backward();
      optimizer.step();
      int64_t n = batch.target.size(0);
      loss.update(batchLoss.item<double>(), n);
      accuracy.update(kiln::metrics::accuracy(output, batch.target), n);
    }
    if (epoch == 1 || epoch % 5 == 0 || epoch == epochs)
      std::printf("epoch %3d  loss %.4f  train accuracy %.4f\n", epoch,
                  loss.mean(), accuracy.mean());
  }

  // The test split, one batch of all 360 digits, in order.
  auto test = CustomDataset(root, /*train=*/false)
                  .map(kiln::data::transforms::Normalize<>(0.3, 0.4))
                  .map(kiln::data::transforms::Stack<>());
  auto testLoader =
      kiln::data::make_data_loader<kiln::data::samplers::SequentialSampler>(
          std::move(test), 360);
  kiln::NoGradGuard noGrad;
  for (auto &batch : *testLoader)
    std::printf(
        "test accuracy %.4f\n",
        kiln::metrics::accuracy(model->forward(batch.data), batch.target));
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
