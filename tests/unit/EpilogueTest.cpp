//===- EpilogueTest.cpp - Epilogues as oneDNN post-ops --------------------===//
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

using namespace kiln;
namespace F = kiln::nn::functional;

namespace {

/// The values `compute` gives, and the kernels of its program, with fusion
/// on or off.
struct Run {
  std::vector<float> values;
  uint64_t kernels = 0;
};

Run run(bool fuse, const std::function<std::vector<Tensor>()> &compute) {
  bool was = is_fusion_enabled();
  set_fusion_enabled(fuse);
  Run result;
  std::vector<Tensor> outputs = compute();
  kiln::sync();
  result.kernels = stats().last_compiled.kernels;
  for (const Tensor &t : outputs)
    for (float v : t.to_vector<float>())
      result.values.push_back(v);
  set_fusion_enabled(was);
  return result;
}

/// Expects the fused program to give the unfused one's values (oneDNN
/// sums in its own order) and returns the fused kernel count.
uint64_t
expectSameAsUnfused(const std::function<std::vector<Tensor>()> &compute,
                    float tolerance = 1e-4f) {
  Run fused = run(true, compute), unfused = run(false, compute);
  EXPECT_LT(fused.kernels, unfused.kernels);
  EXPECT_EQ(fused.values.size(), unfused.values.size());
  for (size_t i = 0; i < fused.values.size() && i < unfused.values.size(); ++i)
    EXPECT_NEAR(fused.values[i], unfused.values[i],
                tolerance * (1 + std::abs(unfused.values[i])))
        << "element " << i;
  return fused.kernels;
}

} // namespace

TEST(Epilogue, LinearBiasActivationIsOneCall) {
  manual_seed(1);
  nn::Linear fc(256, 128);
  auto x = randn({64, 256});
  auto r = randn({64, 128});
  kiln::sync();
  // Each: one call for matmul, bias and the rest, reading the weight
  // through a transposed view (nn::Linear computes x @ w.t()).
  EXPECT_EQ(
      expectSameAsUnfused([&] { return std::vector{fc->forward(x).relu()}; }),
      1u);
  EXPECT_EQ(expectSameAsUnfused([&] { return std::vector{fc->forward(x)}; }),
            1u);
  EXPECT_EQ(expectSameAsUnfused(
                [&] { return std::vector{gelu(fc->forward(x), "tanh")}; }),
            1u);
  EXPECT_EQ(
      expectSameAsUnfused([&] { return std::vector{gelu(fc->forward(x))}; }),
      1u);
  EXPECT_EQ(
      expectSameAsUnfused([&] { return std::vector{fc->forward(x).tanh()}; }),
      1u);
  EXPECT_EQ(expectSameAsUnfused(
                [&] { return std::vector{fc->forward(x).sigmoid()}; }),
            1u);
  // A residual: bias, the addition of another tensor, relu.
  EXPECT_EQ(expectSameAsUnfused(
                [&] { return std::vector{(fc->forward(x) + r).relu()}; }),
            1u);
  // No bias.
  auto w = randn({256, 128});
  kiln::sync();
  EXPECT_EQ(
      expectSameAsUnfused([&] { return std::vector{x.matmul(w).relu()}; }), 1u);
}

TEST(Epilogue, BatchedMatmulTakesItsBias) {
  manual_seed(2);
  auto a = randn({4, 64, 96}), b = randn({4, 96, 80}), bias = randn({80});
  kiln::sync();
  EXPECT_EQ(expectSameAsUnfused(
                [&] { return std::vector{(a.matmul(b) + bias).relu()}; }),
            1u);
}

TEST(Epilogue, ConvolutionBiasReluIsOneCall) {
  manual_seed(3);
  nn::Conv2d conv(3, 16, 3, /*stride=*/1, /*padding=*/1);
  auto x = randn({8, 3, 32, 32});
  kiln::sync();
  // The padded input's fill and copy, then the call.
  EXPECT_EQ(
      expectSameAsUnfused([&] { return std::vector{conv->forward(x).relu()}; }),
      3u);
}

TEST(Epilogue, AnUnusualEpilogueStaysALoopAndIsRight) {
  manual_seed(4);
  nn::Linear fc(256, 128);
  auto x = randn({64, 256});
  kiln::sync();
  // exp is no post-op: the call (which writes the matmul's result over
  // whatever its buffer held), and the bias, exp and relu as one loop.
  EXPECT_EQ(expectSameAsUnfused(
                [&] { return std::vector{fc->forward(x).exp().relu()}; }),
            2u);
}

TEST(Epilogue, TrainingStepsGiveTheUnfusedGradients) {
  manual_seed(5);
  nn::Sequential mlp(nn::Linear(256, 128), nn::ReLU(), nn::Linear(128, 64),
                     nn::GELU("tanh"), nn::Linear(64, 10));
  nn::Sequential cnn(nn::Conv2d(1, 6, 5, 1, 2), nn::ReLU(), nn::MaxPool2d(2),
                     nn::Conv2d(6, 16, 5), nn::ReLU(), nn::MaxPool2d(2),
                     nn::Flatten(), nn::Linear(16 * 5 * 5, 120), nn::ReLU(),
                     nn::Linear(120, 10));
  auto check = [](nn::Sequential &model, const Tensor &x, const Tensor &y) {
    expectSameAsUnfused([&] {
      model->zero_grad();
      Tensor loss = F::cross_entropy(model(x), y);
      loss.backward();
      std::vector<Tensor> values = {loss};
      for (Tensor &p : model->parameters())
        values.push_back(p.grad());
      return values;
    });
  };
  check(mlp, randn({64, 256}), randint(0, 10, {64}));
  check(cnn, randn({32, 1, 28, 28}), randint(0, 10, {32}));
}

TEST(Epilogue, TransposedOperandsAreReadInPlaceRunAfterRun) {
  manual_seed(6);
  auto x = randn({64, 784}), g = randn({64, 256}), w = randn({256, 784});
  kiln::sync();
  auto compute = [&] {
    return std::vector{x.matmul(w.t()), g.t().matmul(x),
                       x.t().matmul(g.relu()).t()};
  };
  bool was = are_deterministic_algorithms_enabled();
  use_deterministic_algorithms(true); // Kiln's own loops: the reference
  std::vector<Tensor> reference = compute();
  kiln::sync();
  use_deterministic_algorithms(was);
  // Each run reuses the last one's temporaries: a call must write its
  // result whole rather than add to what the buffer held.
  for (int run = 0; run < 3; ++run) {
    std::vector<Tensor> got = compute();
    kiln::sync();
    for (size_t i = 0; i < got.size(); ++i) {
      std::vector<float> a = got[i].to_vector<float>(),
                         b = reference[i].to_vector<float>();
      ASSERT_EQ(a.size(), b.size());
      for (size_t j = 0; j < a.size(); ++j)
        ASSERT_NEAR(a[j], b[j], 1e-3f * (1 + std::abs(b[j])))
            << "run " << run << ", result " << i << ", element " << j;
    }
  }
  // x @ w.t() alone: one call reading w through a transposed view and
  // writing the result.
  Tensor y = x.matmul(w.t());
  y.to_vector<float>();
  EXPECT_EQ(stats().last_compiled.kernels, 1u);
}
