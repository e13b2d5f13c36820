// Train a LeNet-style CNN on MNIST or FashionMNIST, as PyTorch's MNIST
// example does: the IDX files of a folder, a normalizing transform, a
// shuffling DataLoader with worker threads, Adam, and per-epoch evaluation.
//
//   mnist_cnn FOLDER [epochs=1] [train_samples=all]
//
// FOLDER holds train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, plain or gzipped (as
// downloaded from the MNIST or FashionMNIST sites). The trained weights go to
// mnist_cnn.safetensors, and the model is exported to mnist_cnn.kiln.
#include <kiln/kiln.h>

#include <cstdio>
#include <string>

namespace F = kiln::nn::functional;
namespace nn = kiln::nn;
using namespace kiln::data;

static int run(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: mnist_cnn FOLDER [epochs=1] [train_samples]\n");
    return 2;
  }
  std::string root = argv[1];
  int epochs = argc > 2 ? std::stoi(argv[2]) : 1;
  kiln::manual_seed(0);

  // MNIST's pixel mean and standard deviation, as in PyTorch's example.
  auto normalize = transforms::Normalize({0.1307}, {0.3081});
  MNIST train(root, /*train=*/true), test(root, /*train=*/false);
  size_t trainSamples = argc > 3 ? std::stoul(argv[3]) : train.size();
  std::vector<size_t> first(std::min(trainSamples, train.size()));
  for (size_t i = 0; i < first.size(); ++i)
    first[i] = i;
  DataLoader loader(map(Subset(train, first), normalize),
                    {.batch_size = 64, .shuffle = true, .num_workers = 2});
  DataLoader testLoader(map(test, normalize), {.batch_size = 1000});

  // Two convolutions with pooling, then three linear layers: 28x28 inputs
  // become 16 maps of 4x4.
  nn::Sequential model(nn::Conv2d(1, 6, 5), nn::ReLU(), nn::MaxPool2d(2),
                       nn::Conv2d(6, 16, 5), nn::ReLU(), nn::MaxPool2d(2),
                       nn::Flatten(), nn::Linear(16 * 4 * 4, 120), nn::ReLU(),
                       nn::Linear(120, 84), nn::ReLU(), nn::Linear(84, 10));
  kiln::optim::Adam opt(model->parameters(), kiln::optim::AdamOptions(1e-3));
  std::printf("%lld parameters, %zu training samples\n",
              static_cast<long long>(model->num_parameters()), first.size());

  for (int epoch = 1; epoch <= epochs; ++epoch) {
    model->train();
    kiln::metrics::RunningMean loss;
    for (Example<> &batch : loader) {
      opt.zero_grad();
      auto batchLoss =
          F::cross_entropy(model->forward(batch.data), batch.target);
      batchLoss.backward();
      opt.step();
      loss.update(batchLoss.item<double>(), batch.target.size(0));
    }
    // Evaluation: no gradients, eval mode, accuracy over the test batches.
    model->eval();
    kiln::NoGradGuard noGrad;
    kiln::metrics::RunningMean accuracy;
    for (Example<> &batch : testLoader)
      accuracy.update(
          kiln::metrics::accuracy(model->forward(batch.data), batch.target),
          batch.target.size(0));
    std::printf("epoch %d  train loss %.4f  test accuracy %.4f\n", epoch,
                loss.mean(), accuracy.mean());
  }
  kiln::save(model->state_dict(), "mnist_cnn.safetensors");
  kiln::export_model(model, {kiln::zeros({1, 1, 28, 28})}, "mnist_cnn.kiln");
  std::printf("wrote mnist_cnn.safetensors and mnist_cnn.kiln\n");
  return 0;
}

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "mnist_cnn: %s\n", e.what());
    return 1;
  }
}
