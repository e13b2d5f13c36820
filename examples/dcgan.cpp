// A DCGAN written as a LibTorch program writes one: a generator of
// ConvTranspose2d and BatchNorm2d layers behind KILN_MODULE, a Sequential
// discriminator of strided convolutions, binary_cross_entropy with noisy
// labels, and two Adam optimizers. It learns to draw the bundled 8x8 digits.
// Renaming kiln:: to torch:: gives the LibTorch program.
//
//   dcgan [data/digits] [epochs=10]
//
// The checkpoints go to generator.pt, discriminator.pt and their
// optimizers'; the last samples to dcgan-samples.pt.
#include <kiln/kiln.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace nn = kiln::nn;

// The size of the noise vector fed to the generator.
const int64_t kNoiseSize = 32;
const int64_t kBatchSize = 64;

struct DCGANGeneratorImpl : nn::Module {
  DCGANGeneratorImpl(int64_t noiseSize)
      // [N, noise, 1, 1] -> [N, 64, 2, 2]
      : conv1(nn::ConvTranspose2dOptions(noiseSize, 64, 2).bias(false)),
        batch_norm1(64),
        // -> [N, 32, 4, 4]
        conv2(nn::ConvTranspose2dOptions(64, 32, 4).stride(2).padding(1).bias(
            false)),
        batch_norm2(32),
        // -> [N, 1, 8, 8]
        conv3(nn::ConvTranspose2dOptions(32, 1, 4).stride(2).padding(1).bias(
            false)) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv3", conv3);
    register_module("batch_norm1", batch_norm1);
    register_module("batch_norm2", batch_norm2);
  }

  kiln::Tensor forward(kiln::Tensor x) {
    x = kiln::relu(batch_norm1(conv1(x)));
    x = kiln::relu(batch_norm2(conv2(x)));
    x = kiln::tanh(conv3(x));
    return x;
  }

  nn::ConvTranspose2d conv1;
  nn::BatchNorm2d batch_norm1;
  nn::ConvTranspose2d conv2;
  nn::BatchNorm2d batch_norm2;
  nn::ConvTranspose2d conv3;
};
KILN_MODULE(DCGANGenerator);

static int run(int argc, char **argv) {
  std::string root = argc > 1 ? argv[1] : "data/digits";
  int epochs = argc > 2 ? std::stoi(argv[2]) : 10;
  kiln::manual_seed(1);

  DCGANGenerator generator(kNoiseSize);
  nn::Sequential discriminator(
      // [N, 1, 8, 8] -> [N, 32, 4, 4]
      nn::Conv2d(nn::Conv2dOptions(1, 32, 4).stride(2).padding(1).bias(false)),
      nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
      // -> [N, 64, 2, 2]
      nn::Conv2d(nn::Conv2dOptions(32, 64, 4).stride(2).padding(1).bias(false)),
      nn::BatchNorm2d(64),
      nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
      // -> [N, 1, 1, 1]
      nn::Conv2d(nn::Conv2dOptions(64, 1, 2).stride(1).padding(0).bias(false)),
      nn::Sigmoid());

  // The digits' pixels are 0..16, read as 0..16/255: Normalize maps them
  // to [-1, 1], the range of the generator's tanh.
  auto dataset =
      kiln::data::datasets::MNIST(root)
          .map(kiln::data::transforms::Normalize<>(8.0 / 255, 8.0 / 255))
          .map(kiln::data::transforms::Stack<>());
  const int64_t batchesPerEpoch =
      std::ceil(dataset.size().value() / static_cast<double>(kBatchSize));
  auto loader = kiln::data::make_data_loader(
      std::move(dataset),
      kiln::data::DataLoaderOptions().batch_size(kBatchSize).workers(2));

  kiln::optim::Adam generatorOptimizer(
      generator->parameters(),
      kiln::optim::AdamOptions(2e-4).betas({0.5, 0.5}));
  kiln::optim::Adam discriminatorOptimizer(
      discriminator->parameters(),
      kiln::optim::AdamOptions(2e-4).betas({0.5, 0.5}));

  for (int epoch = 1; epoch <= epochs; ++epoch) {
    double dSum = 0, gSum = 0, realScore = 0, fakeScore = 0;
    int64_t batchIndex = 0;
    for (kiln::data::Example<> &batch : *loader) {
      const int64_t n = batch.data.size(0);
      // Train the discriminator on real images, with labels in [0.8, 1).
      discriminator->zero_grad();
      kiln::Tensor realImages = batch.data;
      kiln::Tensor realLabels = kiln::empty({n}).uniform_(0.8, 1.0);
      kiln::Tensor realOutput = discriminator(realImages).reshape({n});
      kiln::Tensor dLossReal =
          kiln::binary_cross_entropy(realOutput, realLabels);
      dLossReal.backward();

      // And on fake ones.
      kiln::Tensor noise = kiln::randn({n, kNoiseSize, 1, 1});
      kiln::Tensor fakeImages = generator(noise);
      kiln::Tensor fakeLabels = kiln::zeros({n});
      kiln::Tensor fakeOutput = discriminator(fakeImages.detach()).reshape({n});
      kiln::Tensor dLossFake =
          kiln::binary_cross_entropy(fakeOutput, fakeLabels);
      dLossFake.backward();

      kiln::Tensor dLoss = dLossReal + dLossFake;
      discriminatorOptimizer.step();

      // Train the generator to make the discriminator say "real".
      generator->zero_grad();
      fakeLabels.fill_(1);
      fakeOutput = discriminator(fakeImages).reshape({n});
      kiln::Tensor gLoss = kiln::binary_cross_entropy(fakeOutput, fakeLabels);
      gLoss.backward();
      generatorOptimizer.step();

      dSum += dLoss.item<double>();
      gSum += gLoss.item<double>();
      realScore += realOutput.mean().item<double>();
      fakeScore += fakeOutput.mean().item<double>();
      ++batchIndex;
    }
    std::printf("[%2d/%2d] %lld batches  D_loss %.4f  G_loss %.4f  D(x) %.3f  "
                "D(G(z)) %.3f\n",
                epoch, epochs, static_cast<long long>(batchIndex),
                dSum / batchIndex, gSum / batchIndex, realScore / batchIndex,
                fakeScore / batchIndex);
  }

  // Checkpoints, as PyTorch's example writes them, and samples.
  kiln::save(generator, "generator.pt");
  kiln::save(generatorOptimizer, "generator-optimizer.pt");
  kiln::save(discriminator, "discriminator.pt");
  kiln::save(discriminatorOptimizer, "discriminator-optimizer.pt");
  generator->eval();
  kiln::Tensor samples = generator(kiln::randn({16, kNoiseSize, 1, 1}));
  kiln::save(samples, "dcgan-samples.pt");

  // A restored generator draws the same digits.
  DCGANGenerator restored(kNoiseSize);
  kiln::load(restored, "generator.pt");
  restored->eval();
  kiln::Tensor probe = kiln::randn({4, kNoiseSize, 1, 1});
  bool same = kiln::allclose(generator(probe), restored(probe));
  kiln::Tensor reloaded;
  kiln::load(reloaded, "dcgan-samples.pt");
  std::printf("%lld batches per epoch; samples %s in [%.2f, %.2f]; "
              "checkpoint reloaded: %s\n",
              static_cast<long long>(batchesPerEpoch),
              kiln::equal(reloaded, samples) ? "saved" : "DIFFER",
              samples.min().item<double>(), samples.max().item<double>(),
              same ? "same outputs" : "DIFFERENT outputs");
  return same ? 0 : 1;
}

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "dcgan: %s\n", e.what());
    return 1;
  }
}
