// Polynomial regression in LibTorch's spelling: a Linear layer learns the
// coefficients of a random degree-4 polynomial from batches of points,
// with smooth_l1_loss and plain SGD, until the loss is below 1e-3. A
// LibTorch program of this shape ports by renaming torch:: to kiln::.
//
//   regression [max_batches=20000]
#include <kiln/kiln.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>

namespace {

constexpr int64_t kDegree = 4;

/// The powers x, x^2, ..., x^kDegree of each point, as columns.
kiln::Tensor powers(kiln::Tensor x) {
  x = x.unsqueeze(1);
  std::vector<kiln::Tensor> columns;
  for (int64_t i = 1; i <= kDegree; ++i)
    columns.push_back(x.pow(i));
  return kiln::cat(columns, 1);
}

/// "y = 1.23 x^1 - 0.50 x^2 ... + b".
std::string describe(const kiln::Tensor &weight, const kiln::Tensor &bias) {
  std::string text = "y =";
  auto w = weight.reshape({-1}).to_vector<float>();
  char term[64];
  for (size_t i = 0; i < w.size(); ++i) {
    std::snprintf(term, sizeof term, " %s %.2f x^%zu", w[i] < 0 ? "-" : "+",
                  std::abs(w[i]), i + 1);
    text += term;
  }
  float b = bias.item<float>();
  std::snprintf(term, sizeof term, " %s %.2f", b < 0 ? "-" : "+", std::abs(b));
  return text + term;
}

} // namespace

int main(int argc, char **argv) try {
  const int64_t maxBatches = argc > 1 ? std::stoll(argv[1]) : 20000;
  kiln::manual_seed(1);
  auto targetWeight = kiln::randn({kDegree, 1}) * 5;
  auto targetBias = kiln::randn({1}) * 5;
  auto truth = [&](const kiln::Tensor &features) {
    return features.mm(targetWeight) + targetBias.item();
  };
  auto batch = [&](int64_t size) {
    auto features = powers(kiln::randn({size}));
    return std::make_pair(features, truth(features));
  };

  auto fc = kiln::nn::Linear(targetWeight.size(0), 1);
  kiln::optim::SGD optimizer(fc->parameters(), 0.1);

  float loss = 0;
  int64_t index = 0;
  while (index < maxBatches) {
    auto [x, y] = batch(32);
    optimizer.zero_grad();
    auto output = kiln::smooth_l1_loss(fc(x), y);
    loss = output.item<float>();
    output.backward();
    optimizer.step();
    ++index;
    if (loss < 1e-3f)
      break;
  }
  std::cout << "Loss: " << loss << " after " << index << " batches\n";
  std::cout << "==> Learned function:\t" << describe(fc->weight, fc->bias)
            << "\n";
  std::cout << "==> Actual function:\t"
            << describe(targetWeight.t(), targetBias) << "\n";
  auto error =
      kiln::cat({(fc->weight.reshape({-1}) - targetWeight.reshape({-1})),
                 fc->bias - targetBias})
          .abs()
          .max();
  std::printf("max coefficient error %.3f\n", error.item<double>());
  return loss < 1e-3f ? 0 : 1;
} catch (const kiln::Error &e) {
  std::cerr << "regression: " << e.what() << "\n";
  return 1;
}
