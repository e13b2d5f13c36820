//===- FunctionalTest.cpp - Convolution, pooling, norms, dropout ----------===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace kiln;
using kiln::testing::values;

namespace {

using kiln::testing::expectError;

TEST(Functional, Conv2dSumsWindowsAddsBiasAndPads) {
  auto x = arange(9, kFloat64).reshape({1, 1, 3, 3});
  auto w = ones({1, 1, 2, 2}, kFloat64);
  EXPECT_EQ(values(conv2d(x, w)), (std::vector<double>{8, 12, 20, 24}));
  EXPECT_EQ(values(conv2d(x, w, tensor({1.0}, kFloat64))),
            (std::vector<double>{9, 13, 21, 25}));
  EXPECT_EQ(values(conv2d(x, w, {}, {2}, {1})),
            (std::vector<double>{0, 3, 9, 24}));
  // Dilation 2 reads the corners of the 3x3 input.
  EXPECT_EQ(values(conv2d(x, w, {}, {1}, {0}, {2})),
            (std::vector<double>{0 + 2 + 6 + 8}));
  // An unbatched [C, H, W] input gives an unbatched result.
  EXPECT_EQ(conv2d(x.squeeze(0), w).sizes(), (Shape{1, 2, 2}));
  // Two groups: each output channel sees only its own input channel.
  auto x2 = cat({x, x * 10}, 1);
  auto w2 = ones({2, 1, 2, 2}, kFloat64);
  EXPECT_EQ(values(conv2d(x2, w2, {}, {1}, {0}, {1}, 2)),
            (std::vector<double>{8, 12, 20, 24, 80, 120, 200, 240}));
  EXPECT_EQ(
      conv2d(zeros({2, 3, 8, 8}), zeros({4, 3, 3, 3}), zeros({4}), {1}, {1})
          .sizes(),
      (Shape{2, 4, 8, 8}));
}

TEST(Functional, Pooling) {
  auto x = arange(16, kFloat32).reshape({1, 1, 4, 4});
  EXPECT_EQ(max_pool2d(x, {2}).to_vector<float>(),
            (std::vector<float>{5, 7, 13, 15}));
  EXPECT_EQ(avg_pool2d(x, {2}).to_vector<float>(),
            (std::vector<float>{2.5, 4.5, 10.5, 12.5}));
  EXPECT_EQ(max_pool2d(x, {3}, {1}).sizes(), (Shape{1, 1, 2, 2}));
  auto small = tensor({{{{1.0f, 2.0f}, {3.0f, 4.0f}}}});
  EXPECT_EQ(avg_pool2d(small, {2}, {2}, {1}).to_vector<float>(),
            (std::vector<float>{0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(avg_pool2d(small, {2}, {2}, {1}, false, false).to_vector<float>(),
            (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(max_pool2d(small, {2}, {2}, {1}).to_vector<float>(),
            (std::vector<float>{1, 2, 3, 4}));
  expectError([&] { max_pool2d(x, {2}, {2}, {2}); }, {"max_pool2d", "half"});
  expectError([&] { max_pool2d(x, {2}, {}, {0}, {2}); }, {"dilation"});
}

TEST(Functional, LayerNorm) {
  auto x = tensor({{1.0, 2.0, 3.0}, {2.0, 4.0, 6.0}}, kFloat64);
  auto y = values(layer_norm(x, {3}, {}, {}, 0.0));
  double s = std::sqrt(2.0 / 3.0);
  EXPECT_NEAR(y[0], -1 / s, 1e-12);
  EXPECT_NEAR(y[1], 0, 1e-12);
  EXPECT_NEAR(y[5], 1 / s,
              1e-12); // scale-free: the second row normalizes alike
  auto w = tensor({2.0, 2.0, 2.0}, kFloat64),
       b = tensor({1.0, 1.0, 1.0}, kFloat64);
  EXPECT_NEAR(values(layer_norm(x, {3}, w, b, 0.0))[2], 2 / s + 1, 1e-12);
  expectError([&] { layer_norm(x, {2}); }, {"layer_norm", "[2]", "[2, 3]"});
}

TEST(Functional, BatchNormTrainingUpdatesRunningStatsInPlace) {
  auto x = tensor({{1.0}, {2.0}, {3.0}, {4.0}}, kFloat64); // [N=4, C=1]
  auto running_mean = zeros({1}, kFloat64);
  auto running_var = ones({1}, kFloat64);
  auto alias = running_mean;      // shares the tensor, as in PyTorch
  auto before = running_mean * 1; // recorded before the update
  auto y =
      values(batch_norm(x, running_mean, running_var, {}, {}, true, 0.1, 0.0));
  EXPECT_NEAR(y[0], -1.5 / std::sqrt(1.25), 1e-12);
  EXPECT_NEAR(y[3], 1.5 / std::sqrt(1.25), 1e-12);
  EXPECT_NEAR(running_mean.item<double>(), 0.25, 1e-12);
  EXPECT_NEAR(alias.item<double>(), 0.25, 1e-12);
  EXPECT_NEAR(running_var.item<double>(), 0.9 + 0.1 * 5.0 / 3.0, 1e-12);
  EXPECT_EQ(before.item<double>(), 0.0);
  // Evaluation uses the running statistics.
  auto e = values(batch_norm(x, running_mean, running_var, {}, {}, false));
  EXPECT_NEAR(e[0], (1 - 0.25) / std::sqrt(0.9 + 0.5 / 3 + 1e-5), 1e-9);
  expectError([&] { batch_norm(tensor({{1.0}}), {}, {}, {}, {}, true); },
              {"more than 1 value per channel"});
}

TEST(Functional, EmbeddingIndexAddPad) {
  auto table = arange(6, kFloat32).reshape({3, 2});
  auto e = embedding(table, tensor({{2, 0}}));
  EXPECT_EQ(e.sizes(), (Shape{1, 2, 2}));
  EXPECT_EQ(e.to_vector<float>(), (std::vector<float>{4, 5, 0, 1}));
  expectError([&] { embedding(table, tensor({3})); }, {"embedding", "index 3"});
  auto acc = index_add(zeros({3, 2}), 0, tensor({0, 0, 2}), ones({3, 2}));
  EXPECT_EQ(acc.to_vector<float>(), (std::vector<float>{2, 2, 0, 0, 1, 1}));
  EXPECT_EQ(
      constant_pad_nd(tensor({{1.0f, 2.0f}}), {1, 0}, 9).to_vector<float>(),
      (std::vector<float>{9, 1, 2}));
  EXPECT_EQ(constant_pad_nd(tensor({{1.0f}}), {0, 0, 1, 1}).sizes(),
            (Shape{3, 1}));
}

TEST(Functional, DropoutIsSeededAndScales) {
  auto x = ones({1000});
  manual_seed(3);
  auto a = dropout(x, 0.5).to_vector<float>();
  manual_seed(3);
  EXPECT_EQ(dropout(x, 0.5).to_vector<float>(), a);
  int kept = 0;
  for (float v : a) {
    EXPECT_TRUE(v == 0 || v == 2) << v;
    kept += v != 0;
  }
  EXPECT_NEAR(kept, 500, 80);
  EXPECT_EQ(dropout(x, 0.5, false).to_vector<float>(), x.to_vector<float>());
  EXPECT_EQ(dropout(x, 1.0).sum().item<float>(), 0);
  expectError([&] { dropout(x, 1.5); }, {"dropout", "[0, 1]"});
}

TEST(Functional, ConvErrorsNameTheShapes) {
  expectError([&] { conv2d(zeros({1, 3, 8, 8}), zeros({4, 2, 3, 3})); },
              {"conv2d", "[1, 3, 8, 8]", "[4, 2, 3, 3]", "FunctionalTest.cpp"});
  expectError([&] { conv2d(zeros({1, 1, 2, 2}), zeros({1, 1, 3, 3})); },
              {"conv2d", "larger"});
  expectError(
      [&] { conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 3, 3}, kFloat64)); },
      {"dtypes differ"});
}

} // namespace
