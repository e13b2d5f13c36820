//===- OptimUtilsTest.cpp - step(closure), LBFGS, nn::utils ---------------===//
//
// LibTorch's optimizer closure form, LBFGS, and the gradient and parameter
// utilities of nn::utils, in LibTorch's spelling.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

namespace {

using kiln::testing::expectError;

TEST(ParityOptim, StepTakesAClosureAndReturnsItsLoss) {
  auto w = kiln::tensor({4.0}).requires_grad_();
  kiln::optim::SGD sgd({w}, kiln::optim::SGDOptions(0.25));
  int calls = 0;
  auto closure = [&] {
    ++calls;
    sgd.zero_grad();
    auto loss = (w * w).sum();
    loss.backward();
    return loss;
  };
  auto loss = sgd.step(closure);
  EXPECT_EQ(calls, 1);
  EXPECT_FLOAT_EQ(loss.item<float>(), 16.0f);
  EXPECT_FLOAT_EQ(w.item<float>(), 4.0f - 0.25f * 8.0f);
  EXPECT_FALSE(sgd.step().defined());
}

TEST(ParityOptim, LBFGSMinimizesRosenbrock) {
  // The Rosenbrock function, minimum 0 at (1, 1).
  auto xy = kiln::tensor({-1.5, 2.0}, kiln::kFloat64).requires_grad_();
  kiln::optim::LBFGS lbfgs({xy}, kiln::optim::LBFGSOptions(1).max_iter(50));
  auto closure = [&] {
    lbfgs.zero_grad();
    auto x = xy[0], y = xy[1];
    auto loss = (1 - x).pow(2) + 100 * (y - x * x).pow(2);
    loss.backward();
    return loss;
  };
  double first = lbfgs.step(closure).item<double>();
  for (int i = 0; i < 20; ++i)
    lbfgs.step(closure);
  auto result = xy.detach().to_vector<double>();
  EXPECT_GT(first, 1.0);
  EXPECT_NEAR(result[0], 1.0, 1e-3);
  EXPECT_NEAR(result[1], 1.0, 2e-3);
}

TEST(ParityOptim, LBFGSFitsALinearModel) {
  kiln::manual_seed(0);
  kiln::nn::Linear fc(3, 1);
  auto x = kiln::randn({32, 3});
  auto y = x.matmul(kiln::tensor({{1.0f}, {-2.0f}, {0.5f}})) + 0.25;
  kiln::optim::LBFGS lbfgs(fc->parameters(),
                           kiln::optim::LBFGSOptions(0.5).history_size(10));
  auto closure = [&] {
    lbfgs.zero_grad();
    auto loss = kiln::nn::functional::mse_loss(fc(x), y);
    loss.backward();
    return loss;
  };
  for (int i = 0; i < 5; ++i)
    lbfgs.step(closure);
  EXPECT_LT(closure().item<float>(), 1e-6f);
  EXPECT_NEAR(fc->bias.item<float>(), 0.25f, 1e-3f);
}

TEST(ParityOptim, LBFGSNeedsAClosureAndSaysWhatItLacks) {
  auto w = kiln::ones({2}).requires_grad_();
  kiln::optim::LBFGS lbfgs({w});
  expectError([&] { lbfgs.step(); }, {"LBFGS", "closure"});
  expectError(
      [&] {
        kiln::optim::LBFGS(
            {w}, kiln::optim::LBFGSOptions().line_search_fn("strong_wolfe"));
      },
      {"strong_wolfe", "not supported"});
}

TEST(ParityNNUtils, ClipGradNormOfEveryOrder) {
  auto a = kiln::tensor({3.0, -4.0}, kiln::kFloat64).requires_grad_();
  (a * a / 2).sum().backward(); // grad (3, -4)
  double norm = kiln::nn::utils::clip_grad_norm_(a, 100.0, 1.0);
  EXPECT_NEAR(norm, 7.0, 1e-12);
  double inf = kiln::nn::utils::clip_grad_norm_(
      {a}, 2.0, std::numeric_limits<double>::infinity());
  EXPECT_NEAR(inf, 4.0, 1e-12);
  auto grad = a.grad().to_vector<double>();
  EXPECT_NEAR(grad[0], 3.0 * 2 / (4 + 1e-6), 1e-9);
  EXPECT_NEAR(grad[1], -4.0 * 2 / (4 + 1e-6), 1e-9);

  auto nan = kiln::tensor({1.0}, kiln::kFloat64).requires_grad_();
  (nan * std::nan("")).sum().backward();
  expectError([&] { kiln::nn::utils::clip_grad_norm_({nan}, 1.0, 2.0, true); },
              {"clip_grad_norm_", "not finite"});
  expectError([&] { kiln::nn::utils::clip_grad_norm_({nan}, 1.0, -1.0); },
              {"norm_type"});
}

TEST(ParityNNUtils, ParametersToVectorAndBack) {
  kiln::nn::Linear fc(2, 3);
  auto vec = kiln::nn::utils::parameters_to_vector(fc->parameters());
  EXPECT_EQ(vec.sizes(), (std::vector<int64_t>{9}));
  auto weight = fc->weight.detach().reshape({-1}).to_vector<float>();
  auto head = vec.narrow(0, 0, 6).to_vector<float>();
  EXPECT_EQ(head, weight);
  kiln::nn::utils::vector_to_parameters(kiln::arange(9, kiln::kFloat32),
                                        fc->parameters());
  EXPECT_EQ(fc->bias.to_vector<float>(), (std::vector<float>{6, 7, 8}));
  EXPECT_TRUE(fc->weight.requires_grad());
  expectError(
      [&] {
        kiln::nn::utils::vector_to_parameters(kiln::zeros({8}),
                                              fc->parameters());
      },
      {"vector_to_parameters", "9 elements", "[8]"});
}

} // namespace
