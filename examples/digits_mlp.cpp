// Train an MLP on the bundled 8x8 digits, then ship it: a DataLoader feeds
// batches, the model and optimizer look like PyTorch's, and every training
// step after the first few is one cached, compiled program (forward,
// backward and Adam). At the end the model is saved as a checkpoint,
// its training curve drawn as an SVG, and it is exported for `kiln compile`.
//
//   digits_mlp [data/digits] [epochs=50] [seed=0] [output folder=.]
//
// Writes, in the output folder: digits.safetensors (the state dict),
// digits_curve.svg (loss and test accuracy per epoch) and digits.kiln/ (the
// exported model: raw pixels in, class scores out).
#include <kiln/kiln.h>

#include <cstdio>
#include <iostream>
#include <string>

#include <unistd.h>

namespace F = kiln::nn::functional;
namespace nn = kiln::nn;

// The MLP 64-128-10 behind a standardization of each pixel with the training
// set's mean and standard deviation. Keeping the statistics as buffers makes
// them part of the checkpoint and of the exported model, so a deployed model
// takes pixels as they come.
struct DigitsNet : nn::Module {
  DigitsNet(const kiln::Tensor &mean, const kiln::Tensor &std) {
    this->mean = register_buffer("mean", mean);
    this->std = register_buffer("std", std);
    mlp = register_module("mlp", nn::Sequential(nn::Linear(64, 128), nn::ReLU(),
                                                nn::Linear(128, 10)));
  }
  kiln::Tensor forward(const kiln::Tensor &images) {
    return mlp->forward((images.flatten(1) - mean) / std);
  }
  kiln::Tensor mean, std;
  nn::Sequential mlp{nullptr};
};

static int run(int argc, char **argv) {
  std::string root = argc > 1 ? argv[1] : "data/digits";
  int epochs = argc > 2 ? std::stoi(argv[2]) : 50;
  uint64_t seed = argc > 3 ? std::stoull(argv[3]) : 0;
  std::string out = argc > 4 ? argv[4] : ".";
  kiln::manual_seed(seed);

  // Pixels are 0..16, scaled to [0, 1]: 1x8x8 images, 10 classes.
  using kiln::data::MNIST;
  MNIST train(root, /*train=*/true, MNIST::kDigitsMaxValue);
  MNIST test(root, /*train=*/false, MNIST::kDigitsMaxValue);
  auto pixels = train.images().flatten(1);
  auto mean = pixels.mean(0);
  auto std = ((pixels - mean).pow(2).mean(0)).sqrt();
  std = kiln::where(std > 0, std, kiln::ones_like(std)); // constant pixels

  kiln::data::DataLoader loader(
      kiln::data::TensorDataset(train.images(), train.targets()),
      {.batch_size = 32, .shuffle = true, .seed = seed});
  DigitsNet model(mean, std);
  kiln::optim::Adam opt(model.parameters(), kiln::optim::AdamOptions(1e-3));

  auto testAccuracy = [&] {
    kiln::NoGradGuard noGrad;
    model.eval();
    double accuracy =
        kiln::metrics::accuracy(model.forward(test.images()), test.targets());
    model.train();
    return accuracy;
  };

  kiln::metrics::Curve lossCurve{"train loss", {}};
  kiln::metrics::Curve accuracyCurve{"test accuracy", {}};
  // A progress bar per epoch on stderr, drawn only on a terminal, so the log
  // on stdout stays clean when it goes to a file.
  using kiln::data::ProgressBar;
  auto barMode =
      isatty(STDERR_FILENO) ? ProgressBar::Mode::On : ProgressBar::Mode::Off;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    kiln::metrics::RunningMean loss;
    ProgressBar bar(loader.size(), epoch, &std::cerr, barMode);
    for (auto &batch : loader) {
      opt.zero_grad();
      auto batchLoss =
          F::cross_entropy(model.forward(batch.data), batch.target);
      batchLoss.backward();
      opt.step(); // computes loss, gradients and updates in one program
      loss.update(batchLoss.item<double>(), batch.target.size(0));
      bar.update(1, loss.mean());
    }
    bar.close();
    lossCurve.values.push_back(loss.mean());
    accuracyCurve.values.push_back(testAccuracy());
    if (epoch == 1 || epoch % 10 == 0 || epoch == epochs)
      std::printf("epoch %3d  loss %.4f  test accuracy %.4f\n", epoch,
                  loss.mean(), accuracyCurve.values.back());
  }
  kiln::Stats stats = kiln::stats();
  std::printf("test accuracy %.4f\n", testAccuracy());
  std::printf("%llu programs compiled, %llu cache hits\n",
              static_cast<unsigned long long>(stats.compiles),
              static_cast<unsigned long long>(stats.cache_hits));

  // Ship it: the checkpoint, the curve, and the model for `kiln compile`,
  // traced at batch 1 (the batch of a deployed model answering one request).
  kiln::save(model.state_dict(), out + "/digits.safetensors");
  kiln::metrics::save_curves_svg(out + "/digits_curve.svg",
                                 {lossCurve, accuracyCurve});
  kiln::export_model(model, {test.images().slice(0, 0, 1)},
                     out + "/digits.kiln");
  std::printf("wrote %s/digits.safetensors, %s/digits_curve.svg and "
              "%s/digits.kiln\n",
              out.c_str(), out.c_str(), out.c_str());
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
