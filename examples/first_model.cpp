// The first model of docs/getting-started.md: a line fit by an MLP, saved
// and exported.
#include <kiln/kiln.h>

#include <cstdio>

namespace nn = kiln::nn;
namespace F = kiln::nn::functional;

int main() {
  kiln::manual_seed(0);
  // y = 3x - 1 plus noise: 256 samples of one feature.
  auto x = kiln::randn({256, 1});
  auto y = 3 * x - 1 + 0.1 * kiln::randn({256, 1});

  nn::Sequential model(nn::Linear(1, 16), nn::ReLU(), nn::Linear(16, 1));
  kiln::optim::SGD opt(model->parameters(),
                       kiln::optim::SGDOptions(0.05).momentum(0.9));
  for (int step = 0; step < 200; ++step) {
    opt.zero_grad();
    auto loss = F::mse_loss(model->forward(x), y);
    loss.backward();
    opt.step();
    if (step % 50 == 0)
      std::printf("step %d loss %.4f\n", step, loss.item<float>());
  }
  kiln::save(model->state_dict(), "line.safetensors");
  kiln::export_model(model, {kiln::zeros({1, 1})}, "line.kiln");
}
