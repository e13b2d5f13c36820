//===- FunctionalTest.cpp - torch::nn::functional, written as LibTorch's --===//
//
// `F::...(x, F::...FuncOptions()...)` as a LibTorch program calls them, with
// `torch::` renamed to `kiln::`; every value is checked against a plain C++
// loop, and every differentiable function's f64 gradient against finite
// differences.
//
//===----------------------------------------------------------------------===//
#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace {

namespace F = kiln::nn::functional;
using kiln::testing::expectAllNear;
using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;
using kiln::testing::values;

using Values = std::vector<double>;

Values map(const Values &x, const std::function<double(double)> &f) {
  Values out;
  for (double v : x)
    out.push_back(f(v));
  return out;
}

double total(const Values &v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s;
}

double mean(const Values &v) {
  return total(v) / static_cast<double>(v.size());
}

kiln::Tensor f64(const Values &v, std::vector<int64_t> shape) {
  return kiln::tensor(v, kiln::kFloat64).reshape(shape);
}

// Points away from every activation's kinks (0, +-0.5, +-1, +-3, 6), where
// central differences would straddle two pieces.
const Values kPoints = {-4.2, -2.7, -1.3, -0.8, -0.3, 0.2,
                        0.7,  1.6,  2.4,  3.5,  6.4,  -0.1};

kiln::Tensor points() { return f64(kPoints, {3, 4}); }

/// Checks an activation against `expected` elementwise and its gradient.
void expectActivation(const std::function<kiln::Tensor(kiln::Tensor)> &f,
                      const std::function<double(double)> &expected) {
  expectAllNear(values(f(points())), map(kPoints, expected), 1e-12);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<kiln::Tensor> &in) { return f(in[0]).sum(); },
      {points()});
}

// --- Activations

TEST(ParityFunctional, Activations) {
  double alpha = 1.6732632423543772848170429916717;
  double scale = 1.0507009873554804934193349852946;
  expectActivation(
      [](auto x) { return F::elu(x, F::ELUFuncOptions().alpha(0.7)); },
      [](double x) { return x > 0 ? x : 0.7 * (std::exp(x) - 1); });
  expectActivation([](auto x) { return F::selu(x); },
                   [&](double x) {
                     return scale * (x > 0 ? x : alpha * (std::exp(x) - 1));
                   });
  expectActivation(
      [](auto x) { return F::celu(x, F::CELUFuncOptions().alpha(2.0)); },
      [](double x) {
        return std::max(0.0, x) + std::min(0.0, 2.0 * (std::exp(x / 2.0) - 1));
      });
  expectActivation([](auto x) { return F::relu6(x); },
                   [](double x) { return std::min(std::max(x, 0.0), 6.0); });
  expectActivation(
      [](auto x) {
        return F::hardtanh(x, F::HardtanhFuncOptions().min_val(-2).max_val(3));
      },
      [](double x) { return std::min(std::max(x, -2.0), 3.0); });
  expectActivation(
      [](auto x) { return F::threshold(x, F::ThresholdFuncOptions(0.5, -7)); },
      [](double x) { return x > 0.5 ? x : -7.0; });
  expectActivation(
      [](auto x) {
        return F::softplus(x, F::SoftplusFuncOptions().beta(2).threshold(5));
      },
      [](double x) {
        return 2 * x > 5 ? x : std::log(1 + std::exp(2 * x)) / 2;
      });
  expectActivation([](auto x) { return F::softshrink(x, 0.5); },
                   [](double x) {
                     return x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0.0;
                   });
  expectActivation(
      [](auto x) { return F::hardshrink(x, F::HardshrinkFuncOptions(1.0)); },
      [](double x) { return std::abs(x) > 1.0 ? x : 0.0; });
  expectActivation(
      [](auto x) { return F::mish(x); },
      [](double x) { return x * std::tanh(std::log1p(std::exp(x))); });
  expectActivation(
      [](auto x) { return F::hardswish(x); },
      [](double x) { return x * std::min(std::max(x + 3, 0.0), 6.0) / 6; });
  expectActivation(
      [](auto x) { return F::hardsigmoid(x); },
      [](double x) { return std::min(std::max(x + 3, 0.0), 6.0) / 6; });
  expectActivation([](auto x) { return F::logsigmoid(x); },
                   [](double x) { return -std::log1p(std::exp(-x)); });
  expectActivation(
      [](auto x) {
        return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2));
      },
      [](double x) { return x > 0 ? x : 0.2 * x; });
  expectActivation([](auto x) { return F::relu(x, F::ReLUFuncOptions(true)); },
                   [](double x) { return std::max(x, 0.0); });
}

TEST(ParityFunctional, ActivationsStayFiniteForLargeInputs) {
  auto x = kiln::tensor({-1000.0, 1000.0}, kiln::kFloat64).requires_grad_();
  auto y = F::softplus(x) + F::elu(x) + F::mish(x) + F::logsigmoid(x) +
           F::selu(x) + F::celu(x);
  y.sum().backward();
  for (double v : values(y))
    EXPECT_TRUE(std::isfinite(v));
  for (double g : values(x.grad()))
    EXPECT_TRUE(std::isfinite(g));
}

TEST(ParityFunctional, ActivationOptionsAreChecked) {
  auto x = kiln::randn({3});
  expectError([&] { F::softshrink(x, -0.1); }, {"softshrink", "lambda"});
  expectError(
      [&] { F::hardtanh(x, F::HardtanhFuncOptions().min_val(2).max_val(1)); },
      {"hardtanh", "max_val"});
  expectError([&] { F::celu(x, F::CELUFuncOptions().alpha(0)); },
              {"celu", "alpha"});
  expectError([] { F::elu(kiln::tensor({1, 2})); },
              {"elu", "floating point", "int64"});
}

TEST(ParityFunctional, SoftmaxLogSoftmaxAndGeluOptions) {
  auto x = f64({0.5, -1.0, 2.0, 0.1, 0.3, -0.2}, {2, 3});
  EXPECT_TRUE(
      kiln::allclose(F::softmax(x, F::SoftmaxFuncOptions(1)), x.softmax(1)));
  EXPECT_TRUE(kiln::allclose(F::log_softmax(x, /*dim=*/1), x.log_softmax(1)));
  EXPECT_TRUE(kiln::allclose(F::log_softmax(x, F::LogSoftmaxFuncOptions(0)),
                             x.log_softmax(0)));
  auto asFloat = F::softmax(x, F::SoftmaxFuncOptions(1).dtype(kiln::kFloat32));
  EXPECT_EQ(asFloat.dtype(), kiln::kFloat32);
  EXPECT_TRUE(
      kiln::allclose(F::gelu(x, F::GELUFuncOptions().approximate("tanh")),
                     kiln::gelu(x, "tanh")));
}

// --- Layers as functions

TEST(ParityFunctional, Linear) {
  Values in = {1, 2, -1, 0.5, 0, 3}, w = {0.1, -0.2, 0.3, 0.4, 0.5, -0.6},
         b = {0.25, -0.75};
  auto x = f64(in, {2, 3}), weight = f64(w, {2, 3}), bias = f64(b, {2});
  Values expected;
  for (int n = 0; n < 2; ++n)
    for (int o = 0; o < 2; ++o) {
      double s = b[o];
      for (int i = 0; i < 3; ++i)
        s += in[n * 3 + i] * w[o * 3 + i];
      expected.push_back(s);
    }
  expectAllNear(values(F::linear(x, weight, bias)), expected, 1e-12);
  Values noBias = expected;
  for (int k = 0; k < 4; ++k)
    noBias[k] -= b[k % 2];
  expectAllNear(values(F::linear(x, weight)), noBias, 1e-12);
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &t) {
        return F::linear(t[0], t[1], t[2]).pow(2).sum();
      },
      {x, weight, bias});
  expectError([&] { F::linear(x, weight.t()); },
              {"linear", "[2, 3]", "[3, 2]"});
}

TEST(ParityFunctional, EmbeddingTakesInputThenWeight) {
  auto weight = f64({0, 1, 10, 11, 20, 21}, {3, 2});
  auto input = kiln::tensor({{2, 0}, {1, 1}});
  expectAllNear(values(F::embedding(input, weight)),
                {20, 21, 0, 1, 10, 11, 10, 11}, 0);
  EXPECT_EQ(F::embedding(input, weight).sizes(),
            (std::vector<int64_t>{2, 2, 2}));
  // The old Kiln order (weight, indices) is an error that says which.
  expectError([&] { F::embedding(weight, input); },
              {"embedding", "(input, weight)"});
  // padding_idx: the row reads as it is but gets no gradient.
  auto w = weight.clone().requires_grad_();
  F::embedding(input, w, F::EmbeddingFuncOptions().padding_idx(1))
      .sum()
      .backward();
  expectAllNear(values(w.grad()), {1, 1, 0, 0, 1, 1}, 0);
  auto w2 = weight.clone().requires_grad_();
  F::embedding(input, w2, F::EmbeddingFuncOptions().padding_idx(-1))
      .sum()
      .backward();
  expectAllNear(values(w2.grad()), {1, 1, 2, 2, 0, 0}, 0);
  expectError(
      [&] {
        F::embedding(input, weight, F::EmbeddingFuncOptions().max_norm(-1));
      },
      {"embedding", "max_norm must be non-negative"});
  expectError(
      [&] {
        F::embedding(input, weight, F::EmbeddingFuncOptions().padding_idx(3));
      },
      {"embedding", "padding_idx 3"});
}

TEST(ParityFunctional, EmbeddingMaxNormRenormalizesTheRowsLookedUp) {
  // Rows of norm 5, 0.5 and 10; only rows 0 and 1 are looked up.
  auto weight =
      kiln::tensor({{3.0, 4.0}, {0.3, 0.4}, {6.0, 8.0}}, kiln::kFloat64);
  auto out = F::embedding(kiln::tensor({0, 1, 0}), weight,
                          F::EmbeddingFuncOptions().max_norm(1.0));
  double s = 1.0 / (5.0 + 1e-7);
  expectAllNear(values(out), {3 * s, 4 * s, 0.3, 0.4, 3 * s, 4 * s}, 1e-12);
  // As in PyTorch, the weight itself is renormalized, in place.
  expectAllNear(values(weight), {3 * s, 4 * s, 0.3, 0.4, 6, 8}, 1e-12);
  // Another norm: the 1-norm of (6, 8) is 14.
  auto w1 = kiln::tensor({{6.0, 8.0}}, kiln::kFloat64);
  F::embedding(kiln::tensor({0}), w1,
               F::EmbeddingFuncOptions().max_norm(7.0).norm_type(1.0));
  expectAllNear(values(w1), {3, 4}, 1e-6);
}

TEST(ParityFunctional, EmbeddingScaleGradByFreqDividesByCounts) {
  auto weight = kiln::zeros({3, 2}, kiln::kFloat64).requires_grad_();
  auto input = kiln::tensor({0, 0, 1, 0});
  auto out = F::embedding(input, weight,
                          F::EmbeddingFuncOptions().scale_grad_by_freq(true));
  expectAllNear(values(out), std::vector<double>(8, 0.0), 0);
  (out * kiln::tensor({1.0, 2.0, 3.0, 4.0}, kiln::kFloat64).unsqueeze(1))
      .sum()
      .backward();
  // Row 0 occurs three times: (1 + 2 + 4) / 3; row 1 once.
  expectAllNear(values(weight.grad()), {7.0 / 3, 7.0 / 3, 3, 3, 0, 0}, 1e-12);
  // sparse is accepted; the gradient stays dense, with the same values.
  auto w2 = kiln::ones({3, 2}, kiln::kFloat64).requires_grad_();
  F::embedding(input, w2, F::EmbeddingFuncOptions().sparse(true))
      .sum()
      .backward();
  expectAllNear(values(w2.grad()), {3, 3, 1, 1, 0, 0}, 0);
}

/// Pads the last two dimensions of a [C, H, W] array by loops: `source`
/// maps an output position (possibly outside [0, n)) to an input one.
Values padByLoops(const Values &x, int64_t c, int64_t h, int64_t w,
                  const std::vector<int64_t> &pad,
                  const std::function<int64_t(int64_t, int64_t)> &source) {
  Values out;
  for (int64_t k = 0; k < c; ++k)
    for (int64_t i = -pad[2]; i < h + pad[3]; ++i)
      for (int64_t j = -pad[0]; j < w + pad[1]; ++j)
        out.push_back(x[(k * h + source(i, h)) * w + source(j, w)]);
  return out;
}

TEST(ParityFunctional, PadEveryMode) {
  Values in;
  for (int i = 0; i < 2 * 3 * 4; ++i)
    in.push_back(i * 0.5 - 3);
  auto x = f64(in, {1, 2, 3, 4});
  std::vector<int64_t> pad = {1, 3, 2, 1};
  auto reflect = [](int64_t j, int64_t n) {
    return j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
  };
  auto replicate = [](int64_t j, int64_t n) {
    return std::clamp<int64_t>(j, 0, n - 1);
  };
  auto circular = [](int64_t j, int64_t n) { return ((j % n) + n) % n; };
  std::vector<std::pair<kiln::Mode, std::function<int64_t(int64_t, int64_t)>>>
      modes = {{kiln::kReflect, reflect},
               {kiln::kReplicate, replicate},
               {kiln::kCircular, circular}};
  for (auto &[mode, source] : modes) {
    auto y = F::pad(x, F::PadFuncOptions(pad).mode(mode));
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{1, 2, 6, 8})) << mode;
    expectAllNear(values(y), padByLoops(in, 2, 3, 4, pad, source), 0);
    expectGradientsMatchFiniteDifferences(
        [&](const std::vector<kiln::Tensor> &t) {
          return F::pad(t[0], F::PadFuncOptions(pad).mode(mode)).pow(2).sum();
        },
        {x});
  }
  // Constant, the default mode, fills with `value`.
  auto c = F::pad(x, F::PadFuncOptions({1, 1, 2, 2}).value(-9));
  EXPECT_EQ(c.sizes(), (std::vector<int64_t>{1, 2, 7, 6}));
  Values cv = values(c);
  EXPECT_EQ(cv[0], -9);
  EXPECT_EQ(cv[2 * 6 + 1], in[0]);
  EXPECT_EQ(total(cv), total(in) + -9.0 * (2 * 7 * 6 - 2 * 3 * 4));
  // A 1-d reflection of a [C, W] sample.
  auto row = f64({1, 2, 3}, {1, 3});
  expectAllNear(
      values(F::pad(row, F::PadFuncOptions({2, 1}).mode(kiln::kReflect))),
      {3, 2, 1, 2, 3, 2}, 0);
}

TEST(ParityFunctional, PadChecksItsArguments) {
  auto x = kiln::zeros({1, 1, 3, 3});
  expectError(
      [&] { F::pad(x, F::PadFuncOptions({3, 0, 0, 0}).mode(kiln::kReflect)); },
      {"pad", "at most 2", "size 3"});
  expectError(
      [&] { F::pad(x, F::PadFuncOptions({4, 0, 0, 0}).mode(kiln::kCircular)); },
      {"pad", "at most 3"});
  // As PyTorch: a 1-d reflection is of a [C, W] or [N, C, W] input.
  expectError(
      [&] { F::pad(x, F::PadFuncOptions({1, 1}).mode(kiln::kReflect)); },
      {"pad", "[1, 1, 3, 3]"});
  expectError([&] { F::pad(x, F::PadFuncOptions({1, 1}).mode("wrap")); },
              {"pad", "kiln::kReflect", "\"wrap\""});
  expectError([&] { F::pad(x, F::PadFuncOptions({1, 1, 1})); },
              {"pad", "pairs"});
  expectError(
      [] {
        F::pad(kiln::zeros({3}),
               F::PadFuncOptions({1, 1}).mode(kiln::kReplicate));
      },
      {"pad", "[3]"});
}

TEST(ParityFunctional, NormalizeAndCosineSimilarity) {
  Values a = {3, 4, 0, -1, 2, 2}, b = {1, 0, 2, 2, -1, 0.5};
  auto x1 = f64(a, {2, 3}), x2 = f64(b, {2, 3});
  // normalize along dim 1 (the default), with the 1-norm along dim 0.
  Values unit, l1;
  for (int n = 0; n < 2; ++n) {
    double norm = 0;
    for (int i = 0; i < 3; ++i)
      norm += a[n * 3 + i] * a[n * 3 + i];
    for (int i = 0; i < 3; ++i)
      unit.push_back(a[n * 3 + i] / std::sqrt(norm));
  }
  for (int n = 0; n < 2; ++n)
    for (int i = 0; i < 3; ++i)
      l1.push_back(a[n * 3 + i] / (std::abs(a[i]) + std::abs(a[3 + i])));
  expectAllNear(values(F::normalize(x1)), unit, 1e-12);
  expectAllNear(values(F::normalize(x1, F::NormalizeFuncOptions().p(1).dim(0))),
                l1, 1e-12);
  // A zero vector stays zero: its norm is clamped to eps.
  expectAllNear(values(F::normalize(kiln::zeros({1, 2}, kiln::kFloat64))),
                {0, 0}, 0);
  Values cosine;
  for (int n = 0; n < 2; ++n) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < 3; ++i) {
      dot += a[n * 3 + i] * b[n * 3 + i];
      na += a[n * 3 + i] * a[n * 3 + i];
      nb += b[n * 3 + i] * b[n * 3 + i];
    }
    cosine.push_back(dot / std::sqrt(na) / std::sqrt(nb));
  }
  expectAllNear(values(F::cosine_similarity(x1, x2)), cosine, 1e-12);
  expectAllNear(
      values(F::cosine_similarity(
          x1, x2, F::CosineSimilarityFuncOptions().dim(-1).eps(1e-6))),
      cosine, 1e-12);
  // x2 [3] broadcasts against x1 [2, 3].
  auto row = f64({1, 0, 2}, {3});
  EXPECT_EQ(F::cosine_similarity(x1, row).sizes(), (std::vector<int64_t>{2}));
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &t) {
        return (F::cosine_similarity(t[0], t[1]) * f64({1, -2}, {2})).sum() +
               F::normalize(t[0]).pow(3).sum();
      },
      {x1, x2});
  // Integers compare as floats.
  EXPECT_NEAR(
      F::cosine_similarity(kiln::tensor({{3, 4}}), kiln::tensor({{4, 3}}))
          .item<double>(),
      24.0 / 25, 1e-6);
  expectError([&] { F::cosine_similarity(x1, kiln::zeros({4})); },
              {"cosine_similarity", "[2, 3]", "[4]"});
}

TEST(ParityFunctional, InstanceNorm) {
  Values in;
  for (int i = 0; i < 2 * 2 * 4; ++i)
    in.push_back(std::sin(i * 1.3) * 2 + i * 0.1);
  auto x = f64(in, {2, 2, 4});
  Values w = {1.5, -0.5}, b = {0.25, 1.0};
  Values expected, means(2, 0), vars(2, 0);
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 2; ++c) {
      double m = 0, v = 0;
      for (int p = 0; p < 4; ++p)
        m += in[(n * 2 + c) * 4 + p] / 4;
      for (int p = 0; p < 4; ++p)
        v += std::pow(in[(n * 2 + c) * 4 + p] - m, 2);
      for (int p = 0; p < 4; ++p)
        expected.push_back((in[(n * 2 + c) * 4 + p] - m) /
                               std::sqrt(v / 4 + 1e-5) * w[c] +
                           b[c]);
      means[c] += m / 2;
      vars[c] += v / 3 / 2; // unbiased, averaged over the batch
    }
  auto weight = f64(w, {2}), bias = f64(b, {2});
  auto runningMean = kiln::zeros({2}, kiln::kFloat64);
  auto runningVar = kiln::ones({2}, kiln::kFloat64);
  auto y = F::instance_norm(x, F::InstanceNormFuncOptions()
                                   .weight(weight)
                                   .bias(bias)
                                   .running_mean(runningMean)
                                   .running_var(runningVar)
                                   .momentum(0.5));
  expectAllNear(values(y), expected, 1e-9);
  expectAllNear(values(runningMean), {0.5 * means[0], 0.5 * means[1]}, 1e-12);
  expectAllNear(values(runningVar), {0.5 + 0.5 * vars[0], 0.5 + 0.5 * vars[1]},
                1e-12);
  // Without input statistics, the running ones normalize.
  auto fixed = F::instance_norm(x, F::InstanceNormFuncOptions()
                                       .running_mean(f64({1, -1}, {2}))
                                       .running_var(f64({4, 0.25}, {2}))
                                       .use_input_stats(false));
  Values byRunning;
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 2; ++c)
      for (int p = 0; p < 4; ++p)
        byRunning.push_back((in[(n * 2 + c) * 4 + p] - (c ? -1 : 1)) /
                            std::sqrt((c ? 0.25 : 4) + 1e-5));
  expectAllNear(values(fixed), byRunning, 1e-12);
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &t) {
        return (F::instance_norm(
                    t[0],
                    F::InstanceNormFuncOptions().weight(t[1]).bias(t[2])) *
                t[0])
            .sum();
      },
      {x, weight, bias}, 1e-5);
  expectError([] { F::instance_norm(kiln::zeros({2, 3})); },
              {"instance_norm", "[2, 3]"});
  expectError(
      [&] {
        F::instance_norm(x,
                         F::InstanceNormFuncOptions().use_input_stats(false));
      },
      {"instance_norm", "running_mean"});
}

TEST(ParityFunctional, PrimitivesTakeTheirOptions) {
  kiln::manual_seed(0);
  auto x = kiln::randn({2, 3, 6, 6}, kiln::kFloat64);
  auto w = kiln::randn({4, 3, 3, 3}, kiln::kFloat64);
  auto b = kiln::randn({4}, kiln::kFloat64);
  EXPECT_TRUE(kiln::allclose(
      F::conv2d(x, w, F::Conv2dFuncOptions().bias(b).stride(2).padding(1)),
      kiln::conv2d(x, w, b, {2}, {1})));
  EXPECT_TRUE(
      kiln::allclose(F::max_pool2d(x, F::MaxPool2dFuncOptions(2).stride(2)),
                     kiln::max_pool2d(x, {2}, {2})));
  EXPECT_TRUE(kiln::allclose(
      F::max_pool2d(x, F::MaxPool2dFuncOptions({3, 2}).stride(1)),
      kiln::max_pool2d(x, {3, 2}, {1})));
  EXPECT_TRUE(kiln::allclose(F::avg_pool2d(x, F::AvgPool2dFuncOptions(3)),
                             kiln::avg_pool2d(x, {3})));
  // divisor_override divides each window's sum by it.
  EXPECT_TRUE(kiln::allclose(
      F::avg_pool2d(x, F::AvgPool2dFuncOptions(2).divisor_override(2)),
      kiln::avg_pool2d(x, {2}) * 2));
  EXPECT_TRUE(kiln::allclose(
      F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions(1)),
      x.mean({2, 3}, true)));
  auto x1 = kiln::randn({2, 3, 7}, kiln::kFloat64);
  auto w1 = kiln::randn({2, 3, 3}, kiln::kFloat64);
  EXPECT_TRUE(kiln::allclose(
      F::conv1d(x1, w1, F::Conv1dFuncOptions().padding(1).dilation(2)),
      kiln::conv1d(x1, w1, {}, 1, 1, 2)));
  auto wt = kiln::randn({3, 2, 3, 3}, kiln::kFloat64);
  EXPECT_TRUE(kiln::allclose(
      F::conv_transpose2d(
          x, wt, F::ConvTranspose2dFuncOptions().stride(2).output_padding(1)),
      kiln::conv_transpose2d(x, wt, {}, {2}, {0}, {1})));
  // Dropout: the identity unless training; p = 1 zeroes everything.
  EXPECT_TRUE(kiln::equal(
      F::dropout(x, F::DropoutFuncOptions().p(0.2).training(false)), x));
  EXPECT_EQ(
      F::dropout(x, F::DropoutFuncOptions().p(1.0)).abs().sum().item<double>(),
      0.0);
  auto g = kiln::randn({3}, kiln::kFloat64),
       beta = kiln::randn({3}, kiln::kFloat64);
  auto rm = kiln::randn({3}, kiln::kFloat64),
       rv = kiln::rand({3}, kiln::kFloat64) + 0.5;
  EXPECT_TRUE(kiln::allclose(
      F::batch_norm(x, rm, rv,
                    F::BatchNormFuncOptions().weight(g).bias(beta).eps(1e-3)),
      kiln::batch_norm(x, rm, rv, g, beta, false, 0.1, 1e-3)));
  EXPECT_TRUE(kiln::allclose(
      F::layer_norm(x, F::LayerNormFuncOptions({6, 6}).eps(1e-3)),
      kiln::layer_norm(x, {6, 6}, {}, {}, 1e-3)));
  EXPECT_TRUE(
      kiln::allclose(F::group_norm(x, F::GroupNormFuncOptions(1).eps(1e-3)),
                     kiln::group_norm(x, 1, {}, {}, 1e-3)));
}

// --- Losses

const Values kInput = {0.2, -1.0, 2.5, 0.7, -0.3, 1.1};
const Values kTarget = {0.0, -0.4, 1.0, 2.0, -0.25, 1.05};

kiln::Tensor lossInput() { return f64(kInput, {2, 3}); }
kiln::Tensor lossTarget() { return f64(kTarget, {2, 3}); }

Values elementwise(const std::function<double(double, double)> &f) {
  Values out;
  for (size_t i = 0; i < kInput.size(); ++i)
    out.push_back(f(kInput[i], kTarget[i]));
  return out;
}

/// Checks kNone, kSum and kMean of an elementwise loss and its gradient.
template <typename Options>
void expectElementwiseLoss(
    const std::function<kiln::Tensor(kiln::Tensor, kiln::Tensor, Options)>
        &loss,
    Options options, const std::function<double(double, double)> &expected) {
  Values perElement = elementwise(expected);
  auto x = lossInput(), y = lossTarget();
  expectAllNear(values(loss(x, y, options.reduction(kiln::kNone))), perElement,
                1e-12);
  EXPECT_NEAR(loss(x, y, options.reduction(kiln::kSum)).template item<double>(),
              total(perElement), 1e-12);
  EXPECT_NEAR(loss(x, y, options.reduction("mean")).template item<double>(),
              mean(perElement), 1e-12);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<kiln::Tensor> &t) {
        return loss(t[0], t[1], options.reduction(kiln::kMean));
      },
      {x, y});
}

TEST(ParityFunctional, RegressionLosses) {
  expectElementwiseLoss<F::MSELossFuncOptions>(
      [](auto x, auto y, auto o) { return F::mse_loss(x, y, o); }, {},
      [](double x, double y) { return (x - y) * (x - y); });
  expectElementwiseLoss<F::L1LossFuncOptions>(
      [](auto x, auto y, auto o) { return F::l1_loss(x, y, o); }, {},
      [](double x, double y) { return std::abs(x - y); });
  expectElementwiseLoss<F::SmoothL1LossFuncOptions>(
      [](auto x, auto y, auto o) { return F::smooth_l1_loss(x, y, o); },
      F::SmoothL1LossFuncOptions().beta(0.5),
      [](double x, double y) {
        double d = std::abs(x - y);
        return d < 0.5 ? 0.5 * d * d / 0.5 : d - 0.25;
      });
  expectElementwiseLoss<F::HuberLossFuncOptions>(
      [](auto x, auto y, auto o) { return F::huber_loss(x, y, o); },
      F::HuberLossFuncOptions().delta(0.5),
      [](double x, double y) {
        double d = std::abs(x - y);
        return d < 0.5 ? 0.5 * d * d : 0.5 * (d - 0.25);
      });
  // The default delta is 1, and reduction the mean.
  EXPECT_NEAR(F::huber_loss(lossInput(), lossTarget()).item<double>(),
              mean(elementwise([](double x, double y) {
                double d = std::abs(x - y);
                return d < 1 ? 0.5 * d * d : d - 0.5;
              })),
              1e-12);
  expectError(
      [] {
        F::huber_loss(lossInput(), lossTarget(),
                      F::HuberLossFuncOptions().delta(0));
      },
      {"huber_loss", "delta"});
}

TEST(ParityFunctional, KLDivergence) {
  Values logp = {std::log(0.2), std::log(0.5), std::log(0.3),
                 std::log(0.6), std::log(0.1), std::log(0.3)};
  Values q = {0.1, 0.9, 0.0, 0.25, 0.25, 0.5};
  auto input = f64(logp, {2, 3}), target = f64(q, {2, 3});
  Values perElement;
  for (int i = 0; i < 6; ++i)
    perElement.push_back(q[i] > 0 ? q[i] * (std::log(q[i]) - logp[i]) : 0.0);
  auto kl = [&](F::KLDivFuncOptions options) {
    return F::kl_div(input, target, options);
  };
  expectAllNear(values(kl(F::KLDivFuncOptions().reduction(kiln::kNone))),
                perElement, 1e-12);
  EXPECT_NEAR(kl(F::KLDivFuncOptions(kiln::kSum)).item<double>(),
              total(perElement), 1e-12);
  EXPECT_NEAR(kl({}).item<double>(), mean(perElement), 1e-12);
  EXPECT_NEAR(kl(F::KLDivFuncOptions(kiln::kBatchMean)).item<double>(),
              total(perElement) / 2, 1e-12);
  // log_target: the target as log-probabilities gives the same divergence
  // where it is positive.
  Values logq = {std::log(0.1),  std::log(0.9),  std::log(0.5),
                 std::log(0.25), std::log(0.25), std::log(0.5)};
  Values withLog;
  for (int i = 0; i < 6; ++i)
    withLog.push_back(std::exp(logq[i]) * (logq[i] - logp[i]));
  expectAllNear(values(F::kl_div(
                    input, f64(logq, {2, 3}),
                    F::KLDivFuncOptions().reduction("none").log_target(true))),
                withLog, 1e-12);
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &t) {
        return F::kl_div(t[0], t[1], F::KLDivFuncOptions(kiln::kBatchMean)) +
               F::kl_div(t[0], t[1],
                         F::KLDivFuncOptions().log_target(true).reduction(
                             kiln::kSum));
      },
      {input, f64({0.1, 0.9, 0.2, 0.25, 0.25, 0.5}, {2, 3})});
  expectError([&] { kl(F::KLDivFuncOptions("avg")); },
              {"kl_div", "kiln::kBatchMean", "\"avg\""});
}

TEST(ParityFunctional, ClassificationLossesTakeLibTorchOptions) {
  Values z = {1.0, 2.0, 0.5, -1.0, 0.3, 0.8, 2.0, -0.5, 1.5, 0.1, 0.2, -0.7};
  auto logits = f64(z, {4, 3});
  std::vector<int64_t> y = {2, 0, -1, 1};
  Values w = {0.5, 2.0, 1.0};
  double smoothing = 0.1;
  // Independent reference: per-row log-softmax, smoothed targets, weights.
  double sum = 0, counted = 0, nllSum = 0;
  for (int i = 0; i < 4; ++i) {
    if (y[i] == -1)
      continue;
    double lse = 0;
    for (int c = 0; c < 3; ++c)
      lse += std::exp(z[i * 3 + c]);
    lse = std::log(lse);
    double uniform = 0;
    for (int c = 0; c < 3; ++c)
      uniform -= w[c] * (z[i * 3 + c] - lse);
    double picked = -w[y[i]] * (z[i * 3 + y[i]] - lse);
    sum += (1 - smoothing) * picked + smoothing / 3 * uniform;
    nllSum += -w[y[i]] * z[i * 3 + y[i]];
    counted += w[y[i]];
  }
  auto target = kiln::tensor({2, 0, -1, 1});
  auto weight = f64(w, {3});
  auto options = F::CrossEntropyFuncOptions()
                     .reduction(kiln::kSum)
                     .ignore_index(-1)
                     .label_smoothing(smoothing)
                     .weight(weight);
  EXPECT_NEAR(F::cross_entropy(logits, target, options).item<double>(), sum,
              1e-12);
  EXPECT_NEAR(F::cross_entropy(logits, target, options.reduction(kiln::kMean))
                  .item<double>(),
              sum / counted, 1e-12);
  // nll_loss of the logits themselves as log-probabilities.
  EXPECT_NEAR(F::nll_loss(logits, target,
                          F::NLLLossFuncOptions()
                              .reduction(kiln::kMean)
                              .weight(weight)
                              .ignore_index(-1))
                  .item<double>(),
              nllSum / counted, 1e-12);
  // The defaults: mean, no weight, ignore_index -100.
  auto plain = kiln::tensor({2, 0, 0, 1});
  EXPECT_NEAR(F::cross_entropy(logits, plain).item<double>(),
              F::cross_entropy(logits, plain, kiln::kMean).item<double>(), 0);
  // The Python-style positional form stays.
  EXPECT_NEAR(F::cross_entropy(logits, target, "sum", weight, -1, smoothing)
                  .item<double>(),
              sum, 1e-12);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<kiln::Tensor> &t) {
        return F::cross_entropy(t[0], target, options);
      },
      {logits});
}

TEST(ParityFunctional, BinaryCrossEntropy) {
  Values p = {0.1, 0.8, 0.45, 0.99}, t = {0, 1, 1, 0.3}, w = {1, 2, 0.5, 1};
  auto input = f64(p, {4, 1}), target = f64(t, {4, 1}), weight = f64(w, {4, 1});
  double sum = 0;
  for (int i = 0; i < 4; ++i)
    sum += -w[i] * (t[i] * std::log(p[i]) + (1 - t[i]) * std::log(1 - p[i]));
  EXPECT_NEAR(F::binary_cross_entropy(
                  input, target,
                  F::BinaryCrossEntropyFuncOptions().weight(weight).reduction(
                      kiln::kSum))
                  .item<double>(),
              sum, 1e-12);
  // A target [N] against an input [N, 1] is an error naming both shapes,
  // as in PyTorch (it would broadcast to [N, N] otherwise).
  expectError([&] { F::binary_cross_entropy(input, f64(t, {4})); },
              {"binary_cross_entropy", "[4]", "[4, 1]"});
  expectError([&] { F::binary_cross_entropy_with_logits(input, f64(t, {4})); },
              {"binary_cross_entropy_with_logits", "[4]", "[4, 1]"});
  // With logits and pos_weight (per class, the last dimension).
  Values x = {-1.2, 0.3, 2.0, -0.4, 0.9, -2.5}, yv = {0, 1, 1, 0.5, 0, 1},
         pw = {2, 0.5, 3};
  double withLogits = 0;
  for (int i = 0; i < 6; ++i) {
    double s = 1 / (1 + std::exp(-x[i]));
    withLogits +=
        -(pw[i % 3] * yv[i] * std::log(s) + (1 - yv[i]) * std::log(1 - s));
  }
  auto logits = f64(x, {2, 3}), labels = f64(yv, {2, 3});
  auto options =
      F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(f64(pw, {3}));
  EXPECT_NEAR(F::binary_cross_entropy_with_logits(logits, labels, options)
                  .item<double>(),
              withLogits / 6, 1e-12);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<kiln::Tensor> &v) {
        return F::binary_cross_entropy_with_logits(v[0], v[1], options) +
               F::binary_cross_entropy(v[0].sigmoid(), v[1]);
      },
      {logits, labels});
}

TEST(ParityFunctional, UnknownReductionNamesTheChoices) {
  auto x = lossInput(), y = lossTarget();
  expectError(
      [&] { F::mse_loss(x, y, F::MSELossFuncOptions("avg")); },
      {"mse_loss", "kiln::kMean", "kiln::kSum", "kiln::kNone", "\"avg\""});
  expectError([&] { F::l1_loss(x, y, "batchmean"); },
              {"l1_loss", "\"batchmean\""});
  expectError(
      [&] {
        F::cross_entropy(x, kiln::tensor({0, 1}),
                         F::CrossEntropyFuncOptions().reduction("total"));
      },
      {"cross_entropy", "kiln::kMean", "\"total\""});
  expectError(
      [&] { F::huber_loss(x, y, F::HuberLossFuncOptions(kiln::kBatchMean)); },
      {"huber_loss", "\"batchmean\""});
}

} // namespace
