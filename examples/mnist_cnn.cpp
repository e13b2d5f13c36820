// A CNN for MNIST written as a LibTorch program writes one: a module with
// Conv2dOptions, Dropout2d and functional dropout behind KILN_MODULE,
// datasets::MNIST with Normalize and Stack, make_data_loader with worker
// threads, SGD with momentum and nll_loss of log_softmax. Renaming kiln::
// to torch:: gives the LibTorch program; Kiln compiles each training step
// into one program.
//
//   mnist_cnn FOLDER [epochs=1]
//
// FOLDER holds train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, plain or gzipped (as
// downloaded from the MNIST or FashionMNIST sites). The trained weights go to
// mnist_cnn.pt, and the model is exported to mnist_cnn.kiln.
#include <kiln/kiln.h>

#include <cstdio>
#include <string>

struct NetImpl : kiln::nn::Module {
  NetImpl()
      : conv1(kiln::nn::Conv2dOptions(1, 10, /*kernel_size=*/5)),
        conv2(kiln::nn::Conv2dOptions(10, 20, /*kernel_size=*/5)), fc1(320, 50),
        fc2(50, 10) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv2_drop", conv2_drop);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }

  kiln::Tensor forward(kiln::Tensor x) {
    x = kiln::relu(kiln::max_pool2d(conv1->forward(x), 2));
    x = kiln::relu(kiln::max_pool2d(conv2_drop->forward(conv2->forward(x)), 2));
    x = x.view({-1, 320});
    x = kiln::relu(fc1->forward(x));
    x = kiln::dropout(x, /*p=*/0.5, /*train=*/is_training());
    x = fc2->forward(x);
    return kiln::log_softmax(x, /*dim=*/1);
  }

  kiln::nn::Conv2d conv1;
  kiln::nn::Conv2d conv2;
  kiln::nn::Dropout2d conv2_drop;
  kiln::nn::Linear fc1;
  kiln::nn::Linear fc2;
};
KILN_MODULE(Net);

template <typename DataLoader>
double train(Net &model, DataLoader &loader, kiln::optim::Optimizer &optimizer,
             size_t datasetSize) {
  model->train();
  double lossSum = 0;
  for (auto &batch : loader) {
    optimizer.zero_grad();
    auto output = model->forward(batch.data);
    auto loss = kiln::nll_loss(output, batch.target);
    loss.backward();
    optimizer.step();
    lossSum += loss.template item<double>() * batch.data.size(0);
  }
  return lossSum / static_cast<double>(datasetSize);
}

template <typename DataLoader>
double test(Net &model, DataLoader &loader, size_t datasetSize) {
  kiln::NoGradGuard noGrad;
  model->eval();
  int64_t correct = 0;
  for (const auto &batch : loader) {
    auto output = model->forward(batch.data);
    auto pred = output.argmax(1);
    correct += pred.eq(batch.target).sum().template item<int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(datasetSize);
}

static int run(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: mnist_cnn FOLDER [epochs=1]\n");
    return 2;
  }
  std::string root = argv[1];
  int epochs = argc > 2 ? std::stoi(argv[2]) : 1;
  kiln::manual_seed(1);

  Net model;
  // MNIST's pixel mean and standard deviation, as in PyTorch's example.
  auto trainDataset =
      kiln::data::datasets::MNIST(root)
          .map(kiln::data::transforms::Normalize<>(0.1307, 0.3081))
          .map(kiln::data::transforms::Stack<>());
  const size_t trainSize = trainDataset.size().value();
  auto trainLoader =
      kiln::data::make_data_loader<kiln::data::samplers::SequentialSampler>(
          std::move(trainDataset),
          kiln::data::DataLoaderOptions().batch_size(64).workers(2));
  auto testDataset =
      kiln::data::datasets::MNIST(root,
                                  kiln::data::datasets::MNIST::Mode::kTest)
          .map(kiln::data::transforms::Normalize<>(0.1307, 0.3081))
          .map(kiln::data::transforms::Stack<>());
  const size_t testSize = testDataset.size().value();
  auto testLoader = kiln::data::make_data_loader(std::move(testDataset), 1000);

  kiln::optim::SGD optimizer(model->parameters(),
                             kiln::optim::SGDOptions(0.01).momentum(0.5));
  std::printf("%lld parameters, %zu training samples\n",
              static_cast<long long>(model->num_parameters()), trainSize);
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    double loss = train(model, *trainLoader, optimizer, trainSize);
    double accuracy = test(model, *testLoader, testSize);
    std::printf("epoch %d  train loss %.4f  test accuracy %.4f\n", epoch, loss,
                accuracy);
  }
  kiln::save(model, "mnist_cnn.pt");
  kiln::export_model(model, {kiln::zeros({1, 1, 28, 28})}, "mnist_cnn.kiln");
  // The checkpoint loads into a new model, which computes the same.
  Net restored;
  kiln::load(restored, "mnist_cnn.pt");
  model->eval();
  restored->eval();
  auto probe = kiln::randn({2, 1, 28, 28});
  bool same = kiln::allclose(model->forward(probe), restored->forward(probe));
  std::printf("wrote mnist_cnn.pt and mnist_cnn.kiln; reloaded: %s\n",
              same ? "same outputs" : "DIFFERENT outputs");
  return same ? 0 : 1;
}

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "mnist_cnn: %s\n", e.what());
    return 1;
  }
}
