//===- LossTest.cpp - Loss functions against their definitions ------------===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace kiln;
using kiln::testing::expectAllNear;
using kiln::testing::values;
namespace F = kiln::nn::functional;
using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;

namespace {

double sum(const std::vector<double> &v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s;
}

/// Checks "none", "sum" and "mean" (as `mean` of the per-sample losses).
template <typename Loss>
void expectReductions(Loss loss, const std::vector<double> &perSample,
                      double mean, double tolerance = 1e-12) {
  expectAllNear(values(loss("none")), perSample, tolerance);
  EXPECT_NEAR(loss("sum").template item<double>(), sum(perSample), tolerance);
  EXPECT_NEAR(loss("mean").template item<double>(), mean, tolerance);
}

const std::vector<double> kLogits = {1.0, 2.0,  0.5, -1.0, 0.3, 0.8,
                                     2.0, -0.5, 1.5, 0.1,  0.2, -0.7};

/// log_softmax of row `i` of the [4, 3] logits.
std::vector<double> logSoftmaxRow(int i) {
  double lse = 0;
  for (int c = 0; c < 3; ++c)
    lse += std::exp(kLogits[i * 3 + c]);
  lse = std::log(lse);
  return {kLogits[i * 3] - lse, kLogits[i * 3 + 1] - lse,
          kLogits[i * 3 + 2] - lse};
}

Tensor logits() { return tensor(kLogits, kFloat64).reshape({4, 3}); }

TEST(CrossEntropy, ClassIndicesWithWeightIgnoreIndexAndSmoothing) {
  const std::vector<int64_t> target = {2, 0, -100, 1};
  const std::vector<double> weight = {0.5, 2.0, 1.0};
  for (double eps : {0.0, 0.2}) {
    std::vector<double> perSample;
    double counted = 0;
    for (int i = 0; i < 4; ++i) {
      if (target[i] == -100) {
        perSample.push_back(0);
        continue;
      }
      auto lp = logSoftmaxRow(i);
      double uniform = 0;
      for (int c = 0; c < 3; ++c)
        uniform -= weight[c] * lp[c];
      perSample.push_back((1 - eps) * -weight[target[i]] * lp[target[i]] +
                          eps / 3 * uniform);
      counted += weight[target[i]];
    }
    expectReductions(
        [&](const std::string &reduction) {
          return F::cross_entropy(logits(), tensor(target), reduction,
                                  tensor(weight, kFloat64), -100, eps);
        },
        perSample, sum(perSample) / counted);
  }
  // Without weights "mean" counts the targets that are not ignored.
  auto lp0 = logSoftmaxRow(0), lp3 = logSoftmaxRow(3);
  EXPECT_NEAR(F::cross_entropy(logits(), tensor({2, 1, 1, 1}), "mean", {}, 1)
                  .item<double>(),
              -lp0[2], 1e-12);
  EXPECT_NEAR(
      F::cross_entropy(logits(), tensor({2, 0, -100, 1}), "mean", {}, -100, 0.3)
          .item<double>(),
      (0.7 * -(lp0[2] + logSoftmaxRow(1)[0] + lp3[1]) +
       0.1 * -(sum(lp0) + sum(logSoftmaxRow(1)) + sum(lp3))) /
          3,
      1e-12);
  EXPECT_EQ(F::cross_entropy(logits(), tensor({0, 1, 2, 0}), "none").sizes(),
            (Shape{4}));
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &a) {
        return F::cross_entropy(a[0], tensor(target), "mean", a[1], -100, 0.2);
      },
      {logits(), tensor(weight, kFloat64)});
}

TEST(CrossEntropy, ClassProbabilities) {
  const std::vector<double> probs = {0.2, 0.3, 0.5, 1.0, 0.0, 0.0,
                                     0.1, 0.1, 0.8, 0.4, 0.4, 0.2};
  const std::vector<double> weight = {1.5, 0.5, 1.0};
  auto target = tensor(probs, kFloat64).reshape({4, 3});
  for (double eps : {0.0, 0.1})
    for (bool weighted : {false, true}) {
      std::vector<double> perSample;
      for (int i = 0; i < 4; ++i) {
        auto lp = logSoftmaxRow(i);
        double loss = 0;
        for (int c = 0; c < 3; ++c)
          loss -= (weighted ? weight[c] : 1) *
                  ((1 - eps) * probs[i * 3 + c] + eps / 3) * lp[c];
        perSample.push_back(loss);
      }
      Tensor w = weighted ? tensor(weight, kFloat64) : Tensor();
      // "mean" divides by the batch size, whatever the weights.
      expectReductions(
          [&](const std::string &reduction) {
            return F::cross_entropy(logits(), target, reduction, w, -100, eps);
          },
          perSample, sum(perSample) / 4);
    }
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &a) {
        return F::cross_entropy(a[0], a[1], "mean", {}, -100, 0.1);
      },
      {logits(), target});
}

TEST(CrossEntropy, Errors) {
  expectError(
      [] { F::cross_entropy(logits(), tensor({0.5, 0.5}, kFloat64)); },
      {"cross_entropy", "class probabilities", "[4, 3]", "float64 [2]"});
  expectError(
      [] {
        F::cross_entropy(logits(), zeros({4, 3}, kFloat64), "mean", {}, 0);
      },
      {"cross_entropy", "ignore_index"});
  expectError(
      [] {
        F::cross_entropy(logits(), tensor({0, 1, 2, 0}), "mean", {}, -100, 1.5);
      },
      {"cross_entropy", "label_smoothing", "[0, 1]"});
  expectError(
      [] {
        F::cross_entropy(logits(), tensor({0, 1, 2, 0}), "mean",
                         ones({2}, kFloat64));
      },
      {"cross_entropy", "weight", "[3]", "[2]"});
  expectError([] { F::cross_entropy(logits(), tensor({0, 1, 3, 0})); },
              {"cross_entropy", "target 3", "3 classes"});
  expectError([] { F::cross_entropy(logits(), tensor({0, 1, 2, 0}), "avg"); },
              {"cross_entropy", "reduction", "avg"});
  expectError([] { F::cross_entropy(tensor({{1, 2}}), tensor({0})); },
              {"cross_entropy", "floating point"});
}

TEST(CrossEntropy, ClassPerPositionAndSingleSample) {
  manual_seed(3);
  // [N, C, H, W] logits against [N, H, W] targets equal the [N*H*W, C] rows.
  auto x = randn({2, 3, 4, 5}, kFloat64);
  auto y = randint(0, 3, {2, 4, 5});
  auto rows = x.permute({0, 2, 3, 1}).reshape({-1, 3});
  auto weight = tensor({0.5, 2.0, 1.0}, kFloat64);
  for (std::string r : {"mean", "sum"})
    EXPECT_NEAR(F::cross_entropy(x, y, r, weight, -100, 0.1).item<double>(),
                F::cross_entropy(rows, y.reshape({-1}), r, weight, -100, 0.1)
                    .item<double>(),
                1e-12)
        << r;
  auto none = F::cross_entropy(x, y, "none");
  EXPECT_EQ(none.sizes(), (Shape{2, 4, 5}));
  expectAllNear(values(none),
                values(F::cross_entropy(rows, y.reshape({-1}), "none")), 1e-12);
  // Probabilities per position, and nll_loss with an ignored class.
  auto p = randn({2, 3, 4, 5}, kFloat64).softmax(1);
  EXPECT_NEAR(F::cross_entropy(x, p).item<double>(),
              F::cross_entropy(rows, p.permute({0, 2, 3, 1}).reshape({-1, 3}))
                  .item<double>(),
              1e-12);
  auto logProbs = x.log_softmax(1);
  EXPECT_NEAR(F::nll_loss(logProbs, y, "mean", {}, 1).item<double>(),
              F::nll_loss(logProbs.permute({0, 2, 3, 1}).reshape({-1, 3}),
                          y.reshape({-1}), "mean", {}, 1)
                  .item<double>(),
              1e-12);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &a) {
        return F::cross_entropy(a[0], y.select(2, 0).slice(1, 0, 2));
      },
      {randn({2, 3, 2}, kFloat64)});
  // One sample: logits [C], a 0-d target.
  auto one = tensor({1.0, 2.0, 0.5}, kFloat64);
  EXPECT_NEAR(F::cross_entropy(one, tensor(int64_t{1})).item<double>(),
              -values(one.log_softmax(0))[1], 1e-12);
  EXPECT_EQ(F::cross_entropy(one, tensor(int64_t{1}), "none").dim(), 0);
  expectError(
      [&] { F::cross_entropy(x, randint(0, 3, {2, 5, 4})); },
      {"cross_entropy", "targets [2, 4, 5]", "[2, 3, 4, 5]", "got [2, 5, 4]"});
  expectError([&] { F::cross_entropy(x, p.slice(3, 0, 2)); },
              {"cross_entropy", "input's shape [2, 3, 4, 5]"});
  expectError([] { F::nll_loss(tensor(1.0), tensor(int64_t{0})); },
              {"nll_loss", "0-d"});
}

TEST(NllLoss, WeightAndIgnoreIndex) {
  auto logProbs = logits(); // any values: nll_loss only picks them
  const std::vector<int64_t> target = {2, 1, 0, 1};
  const std::vector<double> weight = {0.5, 2.0, 3.0};
  // ignore_index may be a real class: here class 1 counts nothing.
  std::vector<double> perSample;
  double counted = 0;
  for (int i = 0; i < 4; ++i) {
    bool ignored = target[i] == 1;
    perSample.push_back(
        ignored ? 0 : -weight[target[i]] * kLogits[i * 3 + target[i]]);
    counted += ignored ? 0 : weight[target[i]];
  }
  expectReductions(
      [&](const std::string &reduction) {
        return F::nll_loss(logProbs, tensor(target), reduction,
                           tensor(weight, kFloat64), 1);
      },
      perSample, sum(perSample) / counted);
  EXPECT_NEAR(F::nll_loss(logProbs, tensor({2, 1, 0, 1})).item<double>(),
              -(0.5 + 0.3 + 2.0 + 0.2) / 4, 1e-12);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &a) {
        return F::nll_loss(a[0], tensor({2, -100, 0, 1}), "mean", a[1]);
      },
      {logProbs, tensor(weight, kFloat64)});
  expectError(
      [&] { F::nll_loss(logProbs, tensor({0, 1, 2, 0}), "mean", ones({4})); },
      {"nll_loss", "weight", "[3]"});
  expectError([&] { F::nll_loss(logProbs, tensor({0, 1, 2})); },
              {"nll_loss", "[4, 3]", "[3]"});
  expectError([&] { F::nll_loss(logProbs, tensor({0, 1, 2, -1})); },
              {"nll_loss", "target -1"});
}

const std::vector<double> kInput = {0.5, -1.2, 2.0, 0.1, 3.0, -0.4};
const std::vector<double> kTarget = {0.0, 0.3, 0.2, 1.3, 0.9, -0.45};

Tensor input() { return tensor(kInput, kFloat64).reshape({2, 3}); }
Tensor target() { return tensor(kTarget, kFloat64).reshape({2, 3}); }

TEST(L1Loss, MatchesTheDefinition) {
  std::vector<double> perSample;
  for (size_t i = 0; i < kInput.size(); ++i)
    perSample.push_back(std::abs(kInput[i] - kTarget[i]));
  expectReductions(
      [](const std::string &r) { return F::l1_loss(input(), target(), r); },
      perSample, sum(perSample) / 6);
  EXPECT_EQ(F::l1_loss(input(), target(), "none").sizes(), (Shape{2, 3}));
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &a) { return F::l1_loss(a[0], a[1]); },
      {input(), target()});
  expectError([] { F::l1_loss(input(), zeros({3, 2}, kFloat64)); },
              {"l1_loss", "[2, 3]", "[3, 2]"});
}

TEST(SmoothL1Loss, QuadraticBelowBetaLinearAbove) {
  for (double beta : {1.0, 0.5, 0.0}) {
    std::vector<double> perSample;
    for (size_t i = 0; i < kInput.size(); ++i) {
      double d = std::abs(kInput[i] - kTarget[i]);
      perSample.push_back(d < beta ? 0.5 * d * d / beta : d - 0.5 * beta);
    }
    expectReductions(
        [&](const std::string &r) {
          return F::smooth_l1_loss(input(), target(), r, beta);
        },
        perSample, sum(perSample) / 6);
    expectGradientsMatchFiniteDifferences(
        [&](const std::vector<Tensor> &a) {
          return F::smooth_l1_loss(a[0], a[1], "sum", beta);
        },
        {input(), target()});
  }
  expectError([] { F::smooth_l1_loss(input(), target(), "mean", -1); },
              {"smooth_l1_loss", "beta"});
  expectError([] { F::smooth_l1_loss(input(), zeros({6}, kFloat64)); },
              {"smooth_l1_loss", "same shape"});
}

TEST(BinaryCrossEntropy, MatchesTheDefinitionAndClampsTheLog) {
  const std::vector<double> p = {0.1, 0.7, 0.45, 0.9, 0.3, 0.6};
  const std::vector<double> y = {0.0, 1.0, 0.5, 1.0, 0.2, 0.0};
  const std::vector<double> w = {2.0, 0.5, 1.0};
  auto probs = tensor(p, kFloat64).reshape({2, 3});
  auto labels = tensor(y, kFloat64).reshape({2, 3});
  std::vector<double> perSample;
  for (size_t i = 0; i < p.size(); ++i)
    perSample.push_back(
        -w[i % 3] * (y[i] * std::log(p[i]) + (1 - y[i]) * std::log(1 - p[i])));
  expectReductions(
      [&](const std::string &r) {
        return F::binary_cross_entropy(probs, labels, r, tensor(w, kFloat64));
      },
      perSample, sum(perSample) / 6);
  // Certain and wrong costs 100, not infinity; certain and right costs 0.
  expectAllNear(values(F::binary_cross_entropy(
                    tensor({0.0, 1.0, 0.0, 1.0}, kFloat64),
                    tensor({1.0, 0.0, 0.0, 1.0}, kFloat64), "none")),
                {100, 100, 0, 0}, 1e-12);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &a) {
        return F::binary_cross_entropy(a[0], a[1], "mean", a[2]);
      },
      {probs, labels, tensor(w, kFloat64)});
  // At p = 0 and 1 the gradient is finite (zero through the clamped log).
  auto certain = tensor({0.0, 1.0, 0.0, 1.0}, kFloat64).requires_grad_();
  F::binary_cross_entropy(certain, tensor({1.0, 0.0, 0.0, 1.0}, kFloat64))
      .backward();
  for (double g : values(certain.grad()))
    EXPECT_TRUE(std::isfinite(g)) << g;
  expectError([&] { F::binary_cross_entropy(probs, zeros({6}, kFloat64)); },
              {"binary_cross_entropy", "[2, 3]", "[6]"});
  expectError([] { F::binary_cross_entropy(tensor({1}), tensor({1})); },
              {"binary_cross_entropy", "floating point"});
  expectError(
      [&] {
        F::binary_cross_entropy(probs, labels, "mean", ones({2}, kFloat64));
      },
      {"binary_cross_entropy", "weight [2]", "[2, 3]"});
}

TEST(BinaryCrossEntropyWithLogits, StableWithWeightsAndPosWeight) {
  const std::vector<double> w = {2.0, 0.5, 1.0}, pw = {3.0, 1.0, 0.25};
  auto x = input(),
       y = tensor({0.0, 1.0, 0.5, 1.0, 0.2, 0.0}, kFloat64).reshape({2, 3});
  auto yv = values(y);
  std::vector<double> perSample;
  for (size_t i = 0; i < kInput.size(); ++i) {
    double s = 1 / (1 + std::exp(-kInput[i]));
    perSample.push_back(-w[i % 3] * (pw[i % 3] * yv[i] * std::log(s) +
                                     (1 - yv[i]) * std::log(1 - s)));
  }
  expectReductions(
      [&](const std::string &r) {
        return F::binary_cross_entropy_with_logits(x, y, r, tensor(w, kFloat64),
                                                   tensor(pw, kFloat64));
      },
      perSample, sum(perSample) / 6);
  // Without weights it is binary_cross_entropy of the sigmoid.
  EXPECT_NEAR(F::binary_cross_entropy_with_logits(x, y).item<double>(),
              F::binary_cross_entropy(sigmoid(x), y).item<double>(), 1e-12);
  // Large logits neither overflow nor round to infinity.
  expectAllNear(values(F::binary_cross_entropy_with_logits(
                    tensor({100.0, -100.0, 50.0, -800.0}, kFloat64),
                    tensor({0.0, 1.0, 1.0, 0.0}, kFloat64), "none")),
                {100, 100, std::log1p(std::exp(-50.0)), 0}, 1e-12);
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &a) {
        return F::binary_cross_entropy_with_logits(a[0], a[1], "mean", a[2],
                                                   a[3]);
      },
      {x, y, tensor(w, kFloat64), tensor(pw, kFloat64)});
  expectError(
      [&] {
        F::binary_cross_entropy_with_logits(x, y, "mean", {},
                                            ones({4}, kFloat64));
      },
      {"binary_cross_entropy_with_logits", "pos_weight [4]", "[2, 3]"});
  expectError([&] { F::binary_cross_entropy_with_logits(x, y, "total"); },
              {"binary_cross_entropy_with_logits", "reduction", "total"});
}

} // namespace
