// Train an MLP on the bundled 8x8 digits: a DataLoader feeds batches, the
// model and optimizer look like PyTorch's, and every training step after the
// first few is one cached, compiled program (forward, backward and Adam).
//
//   digits_mlp [data/digits] [epochs=50] [seed=0]
#include <kiln/kiln.h>

#include <cstdio>
#include <string>

namespace F = kiln::nn::functional;

static int run(int argc, char **argv) {
  std::string root = argc > 1 ? argv[1] : "data/digits";
  int epochs = argc > 2 ? std::stoi(argv[2]) : 50;
  uint64_t seed = argc > 3 ? std::stoull(argv[3]) : 0;
  kiln::manual_seed(seed);

  // Pixels are 0..16; flatten to 64 features and standardize each pixel with
  // the training set's mean and standard deviation.
  using kiln::data::MNIST;
  MNIST train(root, /*train=*/true, MNIST::kDigitsMaxValue);
  MNIST test(root, /*train=*/false, MNIST::kDigitsMaxValue);
  auto xTrain = train.images().flatten(1), xTest = test.images().flatten(1);
  auto mean = xTrain.mean(0);
  auto std = ((xTrain - mean).pow(2).mean(0)).sqrt();
  std = kiln::where(std > 0, std, kiln::ones_like(std)); // constant pixels
  xTrain = (xTrain - mean) / std;
  xTest = (xTest - mean) / std;

  kiln::data::DataLoader loader(
      kiln::data::TensorDataset(xTrain, train.targets()),
      {.batch_size = 32, .shuffle = true, .seed = seed});

  kiln::nn::Sequential model(kiln::nn::Linear(64, 128), kiln::nn::ReLU(),
                             kiln::nn::Linear(128, 10));
  kiln::optim::Adam opt(model.parameters(), kiln::optim::AdamOptions(1e-3));

  auto accuracy = [&](const kiln::Tensor &x, const kiln::Tensor &y) {
    kiln::NoGradGuard noGrad;
    auto predicted = std::get<1>(model.forward(x).max(1));
    return (predicted == y).to(kiln::kFloat64).mean().item<double>();
  };

  for (int epoch = 1; epoch <= epochs; ++epoch) {
    double lossSum = 0;
    int batches = 0;
    for (auto &batch : loader) {
      opt.zero_grad();
      auto loss = F::cross_entropy(model.forward(batch.data), batch.target);
      loss.backward();
      opt.step(); // computes loss, gradients and updates in one program
      lossSum += loss.item<double>();
      ++batches;
    }
    if (epoch == 1 || epoch % 10 == 0 || epoch == epochs)
      std::printf("epoch %3d  loss %.4f  test accuracy %.4f\n", epoch,
                  lossSum / batches, accuracy(xTest, test.targets()));
  }
  kiln::Stats stats = kiln::stats();
  std::printf("test accuracy %.4f\n", accuracy(xTest, test.targets()));
  std::printf("%llu programs compiled, %llu cache hits\n",
              static_cast<unsigned long long>(stats.compiles),
              static_cast<unsigned long long>(stats.cache_hits));
  return 0;
}

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &e) { // kiln::Error: a bad file, a bad shape
    std::fprintf(stderr, "digits_mlp: %s\n", e.what());
    return 1;
  }
}
