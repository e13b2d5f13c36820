//===- PoolingTest.cpp - 3-d and indexed pooling, unpooling, fold, norms ---===//
//
// LibTorch's MaxPool3d, AvgPool3d, the adaptive 3-d pools, max pooling with
// indices, MaxUnpool, LPPool, Unfold and Fold, InstanceNorm1d/2d/3d,
// BatchNorm3d, Dropout3d and the alpha dropouts, against references
// computed element by element here, with gradients checked by finite
// differences in f64.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/compat/torch.h>
#include <kiln/kiln.h>

#include <cmath>
#include <limits>

namespace {

using namespace kiln;
using namespace kiln::indexing;
namespace F = kiln::nn::functional;
using kiln::testing::expectAllNear;
using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;
using kiln::testing::values;

/// The windows of one dimension as the definition says: start o s - p,
/// elements every d, `k` of them; positions outside [0, n) are padding.
struct Axis {
  int64_t n, k, s, p, d;
  int64_t outputs(bool ceil = false) const {
    int64_t room = n + 2 * p - d * (k - 1) - 1;
    int64_t o = (ceil ? (room + s - 1) / s : room / s) + 1;
    if (ceil && (o - 1) * s >= n + p)
      --o;
    return o;
  }
};

/// Reference pooling of a [D, H, W] plane (one sample, one channel).
std::vector<double> pool3(const std::vector<double> &x, Axis a, Axis b, Axis c,
                          const std::string &kind, bool includePad = true,
                          bool ceil = false) {
  std::vector<double> out;
  for (int64_t i = 0; i < a.outputs(ceil); ++i)
    for (int64_t j = 0; j < b.outputs(ceil); ++j)
      for (int64_t l = 0; l < c.outputs(ceil); ++l) {
        double best = -std::numeric_limits<double>::infinity(), sum = 0;
        int64_t count = 0;
        for (int64_t u = 0; u < a.k; ++u)
          for (int64_t v = 0; v < b.k; ++v)
            for (int64_t w = 0; w < c.k; ++w) {
              int64_t p = i * a.s - a.p + u * a.d, q = j * b.s - b.p + v * b.d,
                      r = l * c.s - c.p + w * c.d;
              bool inside =
                  p >= 0 && p < a.n && q >= 0 && q < b.n && r >= 0 && r < c.n;
              bool padded = p < a.n + a.p && q < b.n + b.p && r < c.n + c.p;
              if (inside) {
                double e = x[(p * b.n + q) * c.n + r];
                best = std::max(best, e);
                sum += e;
              }
              count += inside || (includePad && padded) ? 1 : 0;
            }
        out.push_back(kind == "max" ? best : sum / static_cast<double>(count));
      }
  return out;
}

TEST(ParityPooling, ThreeDimensionalPoolsMatchTheDefinition) {
  manual_seed(4);
  auto x = randn({1, 1, 5, 6, 7}, kFloat64);
  std::vector<double> xs = values(x);
  nn::MaxPool3d maxPool(nn::MaxPool3dOptions({3, 2, 3})
                            .stride({2, 1, 2})
                            .padding({1, 0, 1})
                            .dilation({1, 2, 1}));
  expectAllNear(
      values(maxPool(x)),
      pool3(xs, {5, 3, 2, 1, 1}, {6, 2, 1, 0, 2}, {7, 3, 2, 1, 1}, "max"),
      1e-12);
  for (bool includePad : {true, false}) {
    nn::AvgPool3d avgPool(nn::AvgPool3dOptions(3)
                              .stride(2)
                              .padding(1)
                              .ceil_mode(true)
                              .count_include_pad(includePad));
    expectAllNear(values(avgPool(x)),
                  pool3(xs, {5, 3, 2, 1, 1}, {6, 3, 2, 1, 1}, {7, 3, 2, 1, 1},
                        "avg", includePad, true),
                  1e-12);
  }
  EXPECT_EQ(
      F::avg_pool3d(x, F::AvgPool3dFuncOptions(2).divisor_override(1)).sizes(),
      IntArrayRef({1, 1, 2, 3, 3}));
  // Unbatched [C, D, H, W].
  EXPECT_TRUE(allclose(F::max_pool3d(x[0], F::MaxPool3dFuncOptions(2)),
                       F::max_pool3d(x, F::MaxPool3dFuncOptions(2))[0]));
  // Adaptive windows of 5 into 2: [0, 3), [2, 5).
  nn::AdaptiveAvgPool3d adaptiveAvg(nn::AdaptiveAvgPool3dOptions({2, 3, 1}));
  auto pooled = adaptiveAvg(x);
  EXPECT_EQ(pooled.sizes(), IntArrayRef({1, 1, 2, 3, 1}));
  EXPECT_NEAR(pooled.index({0, 0, 1, 2, 0}).item<double>(),
              x.index({0, 0, Slice(2, 5), Slice(4, 6)}).mean().item<double>(),
              1e-12);
  nn::AdaptiveMaxPool3d adaptiveMax(nn::AdaptiveMaxPool3dOptions(1));
  EXPECT_EQ(adaptiveMax(x).item<double>(), x.max().item<double>());
  EXPECT_EQ(c10::str(maxPool),
            "kiln::nn::MaxPool3d(kernel_size=[3, 2, 3], stride=[2, 1, 2], "
            "padding=[1, 0, 1], dilation=[1, 2, 1], ceil_mode=false)");
  EXPECT_EQ(c10::str(nn::AvgPool3d(nn::AvgPool3dOptions(2))),
            "kiln::nn::AvgPool3d(kernel_size=[2, 2, 2], stride=[2, 2, 2], "
            "padding=[0, 0, 0])");
  EXPECT_EQ(c10::str(adaptiveAvg),
            "kiln::nn::AdaptiveAvgPool3d(output_size=[2, 3, 1])");
  expectError([&] { maxPool(ones({2, 3})); },
              {"max_pool3d", "[N, C, D, H, W]"});
  expectError([&] { F::max_pool3d(x, F::MaxPool3dFuncOptions(2).padding(2)); },
              {"max_pool3d", "at most half the kernel size"});
  expectError([&] { F::max_pool3d(x, F::MaxPool3dFuncOptions(6)); },
              {"max_pool3d", "larger than the padded input"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        return F::max_pool3d(in[0], F::MaxPool3dFuncOptions(2).stride(1))
                   .pow(2)
                   .sum() +
               F::avg_pool3d(in[0], F::AvgPool3dFuncOptions(2).padding(1))
                   .pow(2)
                   .sum() +
               F::adaptive_avg_pool3d(
                   in[0], F::AdaptiveAvgPool3dFuncOptions({2, 1, 2}))
                   .pow(2)
                   .sum();
      },
      {randn({1, 2, 3, 3, 3}, kFloat64)});
}

TEST(ParityPooling, MaxPoolingWithIndicesAndUnpooling) {
  auto x = tensor({{{{1.0f, 9.0f, 2.0f, 3.0f},
                     {4.0f, 5.0f, 8.0f, 6.0f},
                     {0.0f, 7.0f, 3.0f, 1.0f},
                     {2.0f, 2.0f, 9.0f, 4.0f}}}});
  nn::MaxPool2d pool(nn::MaxPool2dOptions(2));
  auto [values2, indices2] = pool->forward_with_indices(x);
  expectAllNear(values(values2), {9, 8, 7, 9}, 0);
  EXPECT_EQ(indices2.to_vector<int64_t>(), (std::vector<int64_t>{1, 6, 9, 14}));
  EXPECT_TRUE(equal(values2, pool(x)));
  nn::MaxUnpool2d unpool(nn::MaxUnpool2dOptions(2));
  auto restored = unpool(values2, indices2);
  EXPECT_EQ(restored.sizes(), x.sizes());
  expectAllNear(values(restored),
                {0, 9, 0, 0, 0, 0, 8, 0, 0, 7, 0, 0, 0, 0, 9, 0}, 0);
  // A 5x5 input pools to the same 2x2; output_size gives the size back.
  auto wide = unpool(values2, indices2, std::vector<int64_t>{5, 5});
  EXPECT_EQ(wide.sizes(), IntArrayRef({1, 1, 5, 5}));
  EXPECT_EQ(wide.sum().item<float>(), 33);
  EXPECT_EQ(c10::str(unpool),
            "kiln::nn::MaxUnpool2d(kernel_size=[2, 2], stride=[2, 2], "
            "padding=[0, 0])");

  // 1-d, with padding and a stride: the indices count in the input row.
  auto row = tensor({{{3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0}}}, kFloat64);
  nn::MaxPool1d pool1(nn::MaxPool1dOptions(3).stride(2).padding(1));
  auto [values1, indices1] = pool1->forward_with_indices(row);
  // Windows [-1, 1], [1, 3], [3, 5], [5, 7]: the last two both pick 9.
  expectAllNear(values(values1), {3, 4, 9, 9}, 0);
  EXPECT_EQ(indices1.to_vector<int64_t>(), (std::vector<int64_t>{0, 2, 5, 5}));
  auto [_, again] = F::max_pool1d_with_indices(
      row, F::MaxPool1dFuncOptions(3).stride(2).padding(1));
  EXPECT_TRUE(equal(again, indices1));
  auto back = F::max_unpool1d(
      values1, indices1,
      F::MaxUnpool1dFuncOptions(3).stride(2).padding(1).output_size(
          std::vector<int64_t>{7}));
  expectAllNear(values(back), {3, 0, 4, 0, 0, 9, 0}, 0);

  // Adaptive, and 3-d: every index points at its value.
  manual_seed(8);
  auto cube = randn({2, 3, 4, 5, 6});
  for (auto [v, i] :
       {nn::AdaptiveMaxPool3d(nn::AdaptiveMaxPool3dOptions({3, 2, 4}))
            ->forward_with_indices(cube),
        nn::MaxPool3d(nn::MaxPool3dOptions(2).stride(1))
            ->forward_with_indices(cube)}) {
    auto flat = cube.reshape({2, 3, -1});
    auto picked = flat.gather(2, i.reshape({2, 3, -1})).reshape(v.sizes());
    EXPECT_TRUE(equal(picked, v));
  }
  auto [v2, i2] = nn::AdaptiveMaxPool2d(nn::AdaptiveMaxPool2dOptions({2, 2}))
                      ->forward_with_indices(x);
  EXPECT_EQ(i2.to_vector<int64_t>(), (std::vector<int64_t>{1, 6, 9, 14}));
  EXPECT_EQ(nn::AdaptiveMaxPool1d(3)->options.output_size()[0], 3);
  EXPECT_EQ(c10::str(nn::MaxPool1d(5)),
            "kiln::nn::MaxPool1d(kernel_size=5, stride=5, padding=0, "
            "dilation=1, ceil_mode=false)");
  EXPECT_EQ(c10::str(nn::AdaptiveAvgPool1d(4)),
            "kiln::nn::AdaptiveAvgPool1d(output_size=4)");
  expectError([&] { unpool(values2, indices2.reshape({4})); },
              {"max_unpool2d", "must have the input's shape"});
  expectError([&] { unpool(values2, indices2 + 20); },
              {"max_unpool2d", "out of range"});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        auto [v, i] =
            F::max_pool2d_with_indices(in[0], F::MaxPool2dFuncOptions(2));
        return (F::max_unpool2d(v * v, i, F::MaxUnpool2dFuncOptions(2)) * in[0])
            .sum();
      },
      {randn({1, 2, 4, 4}, kFloat64)});
}

TEST(ParityPooling, PowerAveragePooling) {
  auto x = tensor({{{1.0, -2.0, 3.0, 4.0, 0.5}}}, kFloat64);
  nn::LPPool1d pool(nn::LPPool1dOptions(2, 2));
  expectAllNear(values(pool(x)), {std::sqrt(5.0), 5.0}, 1e-12);
  nn::LPPool1d ceil(nn::LPPool1dOptions(1, 2).ceil_mode(true));
  expectAllNear(values(ceil(x)), {-1.0, 7.0, 0.5}, 1e-12);
  auto image = arange(16).to(kFloat64).reshape({1, 4, 4});
  auto pooled = F::lp_pool2d(image, F::LPPool2dFuncOptions(3, {2, 2}));
  EXPECT_NEAR(pooled.index({0, 1, 1}).item<double>(),
              std::cbrt(std::pow(10, 3) + std::pow(11, 3) + std::pow(14, 3) +
                        std::pow(15, 3)),
              1e-9);
  EXPECT_EQ(
      c10::str(nn::LPPool2d(nn::LPPool2dOptions(1, {3, 4}).stride({5, 6}))),
      "kiln::nn::LPPool2d(norm_type=1, kernel_size=[3, 4], stride=[5, "
      "6], ceil_mode=false)");
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        return F::lp_pool2d(in[0], F::LPPool2dFuncOptions(2, 2)).sum();
      },
      {rand({1, 1, 4, 4}, kFloat64) + 0.5});
}

TEST(ParityPooling, UnfoldAndFold) {
  auto x = arange(2 * 3 * 4).to(kFloat64).reshape({1, 2, 3, 4});
  nn::Unfold unfold(nn::UnfoldOptions({2, 3}).padding({0, 1}).stride({1, 2}));
  auto columns = unfold(x);
  // Windows at rows 0..1 and columns -1, 1 (3 wide): L = 2 * 2 blocks of
  // C kh kw = 12 values.
  EXPECT_EQ(columns.sizes(), IntArrayRef({1, 12, 4}));
  std::vector<double> expected;
  for (int64_t c = 0; c < 2; ++c)
    for (int64_t u = 0; u < 2; ++u)
      for (int64_t v = 0; v < 3; ++v)
        for (int64_t i = 0; i < 2; ++i)
          for (int64_t j = 0; j < 2; ++j) {
            int64_t p = i + u, q = j * 2 - 1 + v;
            expected.push_back(q < 0 || q >= 4 ? 0 : (c * 3 + p) * 4 + q);
          }
  expectAllNear(values(columns), expected, 0);
  // Fold adds each column back: every element as often as windows cover it.
  nn::Fold fold(nn::FoldOptions({3, 4}, {2, 3}).padding({0, 1}).stride({1, 2}));
  auto covered = fold(unfold(ones({1, 2, 3, 4}, kFloat64)));
  expectAllNear(values(covered[0][0]), {1, 2, 1, 1, 2, 4, 2, 2, 1, 2, 1, 1}, 0);
  // Non-overlapping windows fold back to the input.
  auto blocks = F::unfold(x, F::UnfoldFuncOptions(2).stride(2).padding({1, 0}));
  EXPECT_TRUE(equal(
      F::fold(blocks, F::FoldFuncOptions({3, 4}, 2).stride(2).padding({1, 0})),
      x));
  EXPECT_EQ(c10::str(unfold),
            "kiln::nn::Unfold(kernel_size=[2, 3], dilation=[1, 1], "
            "padding=[0, 1], stride=[1, 2])");
  EXPECT_EQ(c10::str(fold),
            "kiln::nn::Fold(output_size=[3, 4], kernel_size=[2, 3], "
            "dilation=[1, 1], padding=[0, 1], stride=[1, 2])");
  expectError([&] { fold(ones({1, 5, 4})); }, {"fold", "[N, C 6, 4]"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        auto cols = F::unfold(in[0], F::UnfoldFuncOptions(2).dilation(2));
        return F::fold(cols * cols, F::FoldFuncOptions(4, 2).dilation(2))
            .pow(2)
            .sum();
      },
      {randn({1, 1, 4, 4}, kFloat64)});
}

TEST(ParityPooling, InstanceAndThreeDimensionalBatchNorm) {
  manual_seed(6);
  auto x = randn({2, 3, 5}, kFloat64) * 2 + 1;
  nn::InstanceNorm1d plain(3);
  auto y = plain(x);
  // Each (sample, channel) row has mean 0 and biased variance 1.
  expectAllNear(values(y.mean(2)), std::vector<double>(6, 0), 1e-9);
  expectAllNear(values(y.var(2, false)), std::vector<double>(6, 1), 1e-4);
  EXPECT_TRUE(plain->parameters().empty());
  EXPECT_TRUE(allclose(plain(x[0]), y[0]));

  nn::InstanceNorm2d affine(
      nn::InstanceNorm2dOptions(3).affine(true).track_running_stats(true));
  EXPECT_EQ(affine->parameters().size(), 2u);
  EXPECT_EQ(affine->buffers().size(), 3u);
  auto image = randn({4, 3, 2, 2}, kFloat64) + 3;
  {
    NoGradGuard noGrad;
    affine->weight.fill_(2);
  }
  auto out = affine(image);
  expectAllNear(values(out.var({2, 3}, false)), std::vector<double>(12, 4),
                1e-3);
  // The running mean moved a tenth of the way to the batch's mean.
  expectAllNear(values(affine->running_mean),
                values(image.mean({0, 2, 3}) * 0.1), 1e-6);
  affine->eval();
  auto evaluated = affine(image);
  auto expectedEval =
      (image - affine->running_mean.reshape({1, 3, 1, 1})) /
      (affine->running_var.reshape({1, 3, 1, 1}) + 1e-5).sqrt() * 2;
  EXPECT_TRUE(allclose(evaluated, expectedEval));
  EXPECT_EQ(c10::str(affine),
            "kiln::nn::InstanceNorm2d(3, eps=1e-05, momentum=0.1, "
            "affine=true, track_running_stats=true)");
  nn::InstanceNorm3d volume(nn::InstanceNorm3dOptions(2));
  EXPECT_EQ(volume(randn({1, 2, 2, 2, 3})).sizes(),
            IntArrayRef({1, 2, 2, 2, 3}));
  expectError([&] { volume(randn({2, 2})); }, {"InstanceNorm3d"});
  expectError([&] { plain(randn({2, 4, 5})); },
              {"InstanceNorm1d(3)", "channels"});

  nn::BatchNorm3d batchNorm(nn::BatchNorm3dOptions(2));
  auto v = randn({3, 2, 2, 2, 2}, kFloat64) * 3 + 2;
  auto normalized = batchNorm(v);
  expectAllNear(values(normalized.mean({0, 2, 3, 4})), {0, 0}, 1e-6);
  EXPECT_EQ(c10::str(batchNorm),
            "kiln::nn::BatchNorm3d(2, eps=1e-05, momentum=0.1, affine=true, "
            "track_running_stats=true)");
  expectError([&] { batchNorm(randn({3, 2, 2, 2})); },
              {"BatchNorm3d", "[N, C, D, H, W]"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        nn::InstanceNorm1d norm(nn::InstanceNorm1dOptions(2).affine(true));
        return (norm(in[0]) * in[0]).sum();
      },
      {randn({2, 2, 3}, kFloat64)});
}

TEST(ParityPooling, FeatureAndAlphaDropout) {
  manual_seed(9);
  auto x = randn({4, 8, 3, 2, 2});
  nn::Dropout3d drop(0.5);
  auto y = drop(x);
  // Whole channels are dropped or scaled by 2.
  auto ratio = (y / x).reshape({4, 8, -1});
  auto first = ratio.index({Slice(), Slice(), 0}).unsqueeze(2);
  EXPECT_TRUE(allclose(ratio, first.expand_as(ratio)));
  auto kept = first.to_vector<float>();
  EXPECT_TRUE(std::all_of(kept.begin(), kept.end(),
                          [](float r) { return r == 0 || r == 2; }));
  drop->eval();
  EXPECT_TRUE(equal(drop(x), x));
  EXPECT_TRUE(equal(
      F::dropout2d(x[0], F::Dropout2dFuncOptions().training(false)), x[0]));
  EXPECT_EQ(F::dropout2d(x[0], F::Dropout2dFuncOptions().p(1))
                .abs()
                .sum()
                .item<float>(),
            0);

  // Alpha dropout keeps a standard normal input's mean and variance.
  auto normal = randn({200000});
  nn::AlphaDropout alpha(0.2);
  auto a = alpha(normal);
  EXPECT_NEAR(a.mean().item<double>(), 0, 0.02);
  EXPECT_NEAR(a.std().item<double>(), 1, 0.02);
  EXPECT_TRUE(
      equal(F::alpha_dropout(normal, F::AlphaDropoutFuncOptions().p(0.2)),
            normal)); // not training unless asked
  nn::FeatureAlphaDropout features(0.5);
  auto f = features(x);
  auto shift = (f - x).reshape({4, 8, -1});
  EXPECT_EQ(c10::str(features),
            "kiln::nn::FeatureAlphaDropout(p=0.5, inplace=false)");
  EXPECT_EQ(c10::str(drop), "kiln::nn::Dropout3d(p=0.5, inplace=false)");
  expectError([&] { F::alpha_dropout(x, F::AlphaDropoutFuncOptions().p(2)); },
              {"alpha_dropout", "probability"});
  EXPECT_EQ(shift.sizes(), IntArrayRef({4, 8, 12}));
}

} // namespace

namespace {

TEST(ParityUpsample, InterpolateModes) {
  using kiln::testing::expectAllNear;
  using kiln::testing::values;
  auto row = kiln::tensor({{{0.0, 1.0, 2.0, 3.0}}}, kiln::kFloat64);
  expectAllNear(
      values(F::interpolate(row, F::InterpolateFuncOptions()
                                     .scale_factor(std::vector<double>{2})
                                     .mode(kiln::kNearest))),
      {0, 0, 1, 1, 2, 2, 3, 3}, 0);
  expectAllNear(values(F::interpolate(row, F::InterpolateFuncOptions()
                                               .size(std::vector<int64_t>{8})
                                               .mode(kiln::kLinear)
                                               .align_corners(false))),
                {0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3}, 1e-12);
  expectAllNear(values(F::interpolate(row, F::InterpolateFuncOptions()
                                               .size(std::vector<int64_t>{7})
                                               .mode(kiln::kLinear)
                                               .align_corners(true))),
                {0, 0.5, 1, 1.5, 2, 2.5, 3}, 1e-12);
  auto square = kiln::tensor({{{{1.0, 2.0}, {3.0, 4.0}}}}, kiln::kFloat64);
  nn::Upsample up(nn::UpsampleOptions()
                      .scale_factor(std::vector<double>{2, 2})
                      .mode(kiln::kBilinear)
                      .align_corners(false));
  expectAllNear(values(up(square)),
                {1.0, 1.25, 1.75, 2.0, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25,
                 3.5, 3.0, 3.25, 3.75, 4.0},
                1e-12);
  EXPECT_EQ(c10::str(up),
            "kiln::nn::Upsample(scale_factor=[2, 2], mode=kBilinear)");
  // Bicubic weights sum to one: a constant image stays constant.
  auto flat = kiln::full({1, 2, 3, 3}, 2.5, kiln::kFloat64);
  expectAllNear(
      values(F::interpolate(flat, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{5, 7})
                                      .mode(kiln::kBicubic))),
      std::vector<double>(70, 2.5), 1e-12);
  auto cube = kiln::randn({1, 1, 2, 3, 4}, kiln::kFloat64);
  auto same = F::interpolate(cube, F::InterpolateFuncOptions()
                                       .size(std::vector<int64_t>{2, 3, 4})
                                       .mode(kiln::kTrilinear));
  EXPECT_TRUE(kiln::allclose(same, cube));
  auto area = F::interpolate(square, F::InterpolateFuncOptions()
                                         .size(std::vector<int64_t>{1, 1})
                                         .mode(kiln::kArea));
  EXPECT_EQ(area.item<double>(), 2.5);
  expectError(
      [&] {
        F::interpolate(square, F::InterpolateFuncOptions()
                                   .size(std::vector<int64_t>{4, 4})
                                   .scale_factor(std::vector<double>{2}));
      },
      {"interpolate", "exactly one of size and scale_factor"});
  expectError(
      [&] {
        F::interpolate(row, F::InterpolateFuncOptions()
                                .size(std::vector<int64_t>{8})
                                .mode(kiln::kBilinear));
      },
      {"interpolate", "resizes 2 spatial dimensions"});
  expectError(
      [&] {
        F::interpolate(row, F::InterpolateFuncOptions()
                                .size(std::vector<int64_t>{8})
                                .align_corners(true));
      },
      {"interpolate", "align_corners"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) {
        auto opts =
            F::InterpolateFuncOptions().size(std::vector<int64_t>{5, 3});
        return (
            F::interpolate(in[0], opts.mode(kiln::kBicubic)).pow(2).sum() +
            F::interpolate(in[0],
                           opts.mode(kiln::kBilinear).align_corners(true))
                .pow(2)
                .sum() +
            F::interpolate(
                in[0], opts.mode(kiln::kNearest).align_corners(std::nullopt))
                .pow(2)
                .sum());
      },
      {kiln::randn({1, 1, 3, 4}, kiln::kFloat64)});
}

} // namespace

namespace {

/// conv3d of one sample by the definition.
std::vector<double> conv3dReference(const kiln::Tensor &x,
                                    const kiln::Tensor &w, int64_t stride,
                                    int64_t padding, int64_t dilation,
                                    int64_t groups) {
  auto xs = kiln::testing::values(x), ws = kiln::testing::values(w);
  int64_t c = x.size(0), n1 = x.size(1), n2 = x.size(2), n3 = x.size(3);
  int64_t out = w.size(0), cg = w.size(1), k = w.size(2);
  auto size = [&](int64_t n) {
    return (n + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
  };
  std::vector<double> result;
  for (int64_t o = 0; o < out; ++o) {
    int64_t g = o / (out / groups);
    for (int64_t i = 0; i < size(n1); ++i)
      for (int64_t j = 0; j < size(n2); ++j)
        for (int64_t l = 0; l < size(n3); ++l) {
          double sum = 0;
          for (int64_t ci = 0; ci < cg; ++ci)
            for (int64_t a = 0; a < k; ++a)
              for (int64_t b = 0; b < k; ++b)
                for (int64_t e = 0; e < k; ++e) {
                  int64_t p = i * stride - padding + a * dilation,
                          q = j * stride - padding + b * dilation,
                          r = l * stride - padding + e * dilation;
                  if (p < 0 || q < 0 || r < 0 || p >= n1 || q >= n2 || r >= n3)
                    continue;
                  int64_t channel = g * cg + ci;
                  sum += xs[((channel * n1 + p) * n2 + q) * n3 + r] *
                         ws[(((o * cg + ci) * k + a) * k + b) * k + e];
                }
          result.push_back(sum);
        }
  }
  (void)c;
  return result;
}

TEST(ParityConv, ThreeDimensionalAndTransposedConvolutions) {
  kiln::manual_seed(12);
  auto x = kiln::randn({1, 4, 5, 4, 6}, kiln::kFloat64);
  for (int64_t groups : {1, 2}) {
    auto w = kiln::randn({6, 4 / groups, 3, 3, 3}, kiln::kFloat64);
    auto y = F::conv3d(
        x, w,
        F::Conv3dFuncOptions().stride(2).padding(1).dilation(1).groups(groups));
    kiln::testing::expectAllNear(kiln::testing::values(y),
                                 conv3dReference(x[0], w, 2, 1, 1, groups),
                                 1e-9);
  }
  nn::Conv3d conv(nn::Conv3dOptions(4, 2, 2).dilation(2).bias(false));
  EXPECT_EQ(conv(x.to(kiln::kFloat)).sizes(),
            kiln::IntArrayRef({1, 2, 3, 2, 4}));
  EXPECT_EQ(c10::str(nn::Conv3d(nn::Conv3dOptions(3, 4, 5).stride(2))),
            "kiln::nn::Conv3d(3, 4, kernel_size=[5, 5, 5], stride=[2, 2, 2])");

  // A transposed convolution is the adjoint of the convolution with the
  // same stride, padding and dilation: <conv(x), y> = <x, conv_t(y)>.
  auto w = kiln::randn({3, 2, 2, 3, 2}, kiln::kFloat64);
  auto cx = kiln::randn({1, 2, 5, 6, 5}, kiln::kFloat64);
  auto forward = F::conv3d(cx, w, F::Conv3dFuncOptions().stride(2).padding(1));
  auto cy = kiln::randn(forward.sizes(), kiln::kFloat64);
  auto back = F::conv_transpose3d(
      cy, w,
      F::ConvTranspose3dFuncOptions().stride(2).padding(1).output_padding(
          {1, 1, 1}));
  ASSERT_EQ(back.sizes(), cx.sizes());
  EXPECT_NEAR((forward * cy).sum().item<double>(),
              (cx * back).sum().item<double>(), 1e-9);
  auto line = kiln::randn({2, 4, 9}, kiln::kFloat64);
  auto kernel = kiln::randn({6, 4, 3}, kiln::kFloat64);
  auto lineOut =
      F::conv1d(line, kernel, F::Conv1dFuncOptions().stride(2).dilation(2));
  auto grad = kiln::randn(lineOut.sizes(), kiln::kFloat64);
  auto lineBack = F::conv_transpose1d(
      grad, kernel, F::ConvTranspose1dFuncOptions().stride(2).dilation(2));
  ASSERT_EQ(lineBack.sizes(), line.sizes());
  EXPECT_NEAR((lineOut * grad).sum().item<double>(),
              (line * lineBack).sum().item<double>(), 1e-9);

  nn::ConvTranspose3d up(nn::ConvTranspose3dOptions(2, 3, 2).stride(2));
  auto cxf = cx.to(kiln::kFloat);
  EXPECT_EQ(up->forward(cxf).sizes(), kiln::IntArrayRef({1, 3, 10, 12, 10}));
  EXPECT_EQ(up->forward(cxf, std::vector<int64_t>{11, 13, 11}).sizes(),
            kiln::IntArrayRef({1, 3, 11, 13, 11}));
  nn::ConvTranspose1d up1(nn::ConvTranspose1dOptions(4, 2, 3).stride(3));
  EXPECT_EQ(up1(line.to(kiln::kFloat)).sizes(), kiln::IntArrayRef({2, 2, 27}));
  EXPECT_EQ(c10::str(up1),
            "kiln::nn::ConvTranspose1d(4, 2, kernel_size=3, stride=3)");
  expectError([&] { conv(kiln::randn({1, 3, 4, 4, 4})); },
              {"conv3d", "channels"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) {
        return F::conv_transpose3d(
                   F::conv3d(in[0], in[1], F::Conv3dFuncOptions().padding(1)),
                   in[1].transpose(0, 1),
                   F::ConvTranspose3dFuncOptions().stride(2))
            .pow(2)
            .sum();
      },
      {kiln::randn({1, 2, 2, 3, 2}, kiln::kFloat64),
       kiln::randn({2, 2, 2, 2, 2}, kiln::kFloat64)});
}

} // namespace

namespace {

TEST(ParitySmallLayers, BilinearLocalResponseNormSoftmax2dOneHot) {
  kiln::manual_seed(13);
  nn::Bilinear bilinear(3, 2, 4);
  auto x1 = kiln::randn({5, 3}, kiln::kFloat64);
  auto x2 = kiln::randn({5, 2}, kiln::kFloat64);
  auto w = bilinear->weight.to(kiln::kFloat64);
  auto b = bilinear->bias.to(kiln::kFloat64);
  auto y = F::bilinear(x1, x2, w, b);
  EXPECT_EQ(y.sizes(), kiln::IntArrayRef({5, 4}));
  for (int64_t n = 0; n < 5; ++n)
    for (int64_t o = 0; o < 4; ++o)
      EXPECT_NEAR(
          y.index({n, o}).item<double>(),
          (x1[n].unsqueeze(0).matmul(w[o]).matmul(x2[n].unsqueeze(1)) + b[o])
              .item<double>(),
          1e-12);
  EXPECT_EQ(bilinear(x1.to(kiln::kFloat), x2.to(kiln::kFloat)).sizes(),
            kiln::IntArrayRef({5, 4}));
  EXPECT_EQ(c10::str(bilinear),
            "kiln::nn::Bilinear(in1_features=3, in2_features=2, "
            "out_features=4, bias=true)");

  // Channel c of a [1, 4, 1, 1] input divided by (k + alpha/size * sum of
  // the squares of channels c - 1 .. c + 1)^beta (size 3).
  auto x =
      kiln::tensor({1.0, 2.0, 3.0, 4.0}, kiln::kFloat64).reshape({1, 4, 1, 1});
  nn::LocalResponseNorm lrn(
      nn::LocalResponseNormOptions(3).alpha(0.3).beta(0.5).k(2));
  std::vector<double> squares = {1, 4, 9, 16}, expected;
  for (int c = 0; c < 4; ++c) {
    double sum = 0;
    for (int j = c - 1; j <= c + 1; ++j)
      sum += j >= 0 && j < 4 ? squares[j] : 0;
    expected.push_back((c + 1) / std::sqrt(2 + 0.3 / 3 * sum));
  }
  kiln::testing::expectAllNear(kiln::testing::values(lrn(x)), expected, 1e-12);
  EXPECT_EQ(c10::str(nn::LocalResponseNorm(2)),
            "kiln::nn::LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1)");

  auto image = kiln::randn({2, 3, 2, 2});
  EXPECT_TRUE(
      kiln::allclose(nn::Softmax2d()(image).sum(1), kiln::ones({2, 2, 2})));
  auto hot = F::one_hot(kiln::tensor({2, 0, 1}));
  EXPECT_EQ(hot.dtype(), kiln::kLong);
  EXPECT_EQ(hot.to_vector<int64_t>(),
            (std::vector<int64_t>{0, 0, 1, 1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(F::one_hot(kiln::tensor({1}), 4).sizes(),
            kiln::IntArrayRef({1, 4}));
  expectError([&] { F::one_hot(kiln::tensor({5}), 3); },
              {"one_hot", "does not fit 3 classes"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) {
        return F::bilinear(in[0], in[1], in[2]).pow(2).sum() +
               F::local_response_norm(in[3], F::LocalResponseNormFuncOptions(2))
                   .sum();
      },
      {kiln::randn({2, 3}, kiln::kFloat64), kiln::randn({2, 2}, kiln::kFloat64),
       kiln::randn({2, 3, 2}, kiln::kFloat64),
       kiln::randn({1, 3, 2}, kiln::kFloat64)});
}

} // namespace

namespace {

TEST(ParityConv, PaddingModes) {
  kiln::manual_seed(14);
  nn::Conv2d circular(
      nn::Conv2dOptions(1, 2, 3).padding(1).padding_mode(kiln::kCircular));
  auto x = kiln::randn({1, 1, 3, 4});
  // Circular padding by 1: the last row/column in front, the first behind.
  auto rows = kiln::tensor({2, 0, 1, 2, 0});
  auto cols = kiln::tensor({3, 0, 1, 2, 3, 0});
  auto wrapped = x.index_select(2, rows).index_select(3, cols);
  auto expected = F::conv2d(wrapped, circular->weight,
                            F::Conv2dFuncOptions().bias(circular->bias));
  EXPECT_TRUE(kiln::allclose(circular(x), expected, 1e-5, 1e-6));
  EXPECT_EQ(circular(x).sizes(), kiln::IntArrayRef({1, 2, 3, 4}));
  EXPECT_EQ(c10::str(circular),
            "kiln::nn::Conv2d(1, 2, kernel_size=[3, 3], stride=[1, 1], "
            "padding=[1, 1], padding_mode=kCircular)");
  nn::Conv1d reflect(nn::Conv1dOptions(1, 1, 3)
                         .padding(1)
                         .padding_mode(kiln::kReflect)
                         .bias(false));
  auto line = kiln::tensor({{{1.0f, 2.0f, 3.0f}}});
  {
    kiln::NoGradGuard noGrad;
    reflect->weight.fill_(1);
  }
  // Reflected: [2, 1, 2, 3, 2] summed in threes.
  kiln::testing::expectAllNear(kiln::testing::values(reflect(line)), {5, 6, 7},
                               1e-6);
  nn::Conv3d replicate(
      nn::Conv3dOptions(1, 1, 3).padding(1).padding_mode(kiln::kReplicate));
  EXPECT_EQ(replicate(kiln::randn({1, 1, 2, 3, 4})).sizes(),
            kiln::IntArrayRef({1, 1, 2, 3, 4}));
  expectError(
      [] {
        nn::ConvTranspose2d(
            nn::ConvTranspose2dOptions(1, 1, 3).padding_mode(kiln::kCircular));
      },
      {"ConvTranspose2d", "padding_mode 'circular'", "only 'zeros'"});
}

} // namespace

namespace {

TEST(ParityPadding, ThreeDimensionalAndZeroPadLayers) {
  auto x = kiln::arange(8).to(kiln::kFloat).reshape({1, 1, 2, 2, 2});
  nn::ReplicationPad3d replicate(1);
  auto r = replicate(x);
  EXPECT_EQ(r.sizes(), kiln::IntArrayRef({1, 1, 4, 4, 4}));
  EXPECT_EQ(r.index({0, 0, 0, 0, 0}).item<float>(), 0);
  EXPECT_EQ(r.index({0, 0, 3, 3, 3}).item<float>(), 7);
  nn::ReflectionPad3d reflect(nn::ReflectionPad3dOptions({1, 0, 0, 0, 0, 1}));
  EXPECT_EQ(reflect(x).sizes(), kiln::IntArrayRef({1, 1, 3, 2, 3}));
  nn::ConstantPad3d constant(nn::ConstantPad3dOptions(1, 3.5));
  EXPECT_EQ(constant(x).sum().item<float>(), 28 + 3.5f * (64 - 8));
  EXPECT_EQ(c10::str(constant),
            "kiln::nn::ConstantPad3d(padding=[1, 1, 1, 1, 1, 1], value=3.5)");
  nn::ZeroPad1d zero1(nn::ZeroPad1dOptions({2, 1}));
  EXPECT_EQ(zero1(kiln::ones({1, 2, 3})).sizes(), kiln::IntArrayRef({1, 2, 6}));
  nn::ZeroPad3d zero3(1);
  EXPECT_EQ(zero3(x).sum().item<float>(), 28);
  EXPECT_EQ(c10::str(replicate),
            "kiln::nn::ReplicationPad3d(padding=[1, 1, 1, 1, 1, 1])");
}

} // namespace

namespace {

TEST(ParitySmallLayers, RandomizedLeakyReLU) {
  kiln::manual_seed(15);
  auto x = kiln::randn({1000}) - 0.5;
  nn::RReLU rrelu;
  auto y = rrelu(x);
  auto slope = (y / x).index({x < 0});
  EXPECT_GE(slope.min().item<float>(), 0.125f - 1e-6f);
  EXPECT_LE(slope.max().item<float>(), 1.0f / 3 + 1e-6f);
  EXPECT_GT(slope.max().item<float>() - slope.min().item<float>(), 0.1f);
  EXPECT_TRUE(kiln::equal(y.index({x >= 0}), x.index({x >= 0})));
  rrelu->eval();
  auto mean = (0.125 + 1.0 / 3) / 2;
  EXPECT_TRUE(kiln::allclose(rrelu(x), kiln::where(x >= 0, x, x * mean)));
  EXPECT_TRUE(kiln::allclose(F::rrelu(x), rrelu(x))); // not training
  EXPECT_EQ(c10::str(rrelu), "kiln::nn::RReLU(lower=0.125, upper=0.333333)");
  EXPECT_EQ(c10::str(nn::RReLU(
                nn::RReLUOptions().lower(0.24).upper(0.42).inplace(true))),
            "kiln::nn::RReLU(lower=0.24, upper=0.42, inplace=true)");
  expectError([&] { F::rrelu(x, F::RReLUFuncOptions().lower(0.5).upper(0.1)); },
              {"rrelu", "must not exceed"});
}

} // namespace

namespace {

TEST(ParitySmallLayers, EmbeddingBag) {
  using kiln::testing::expectAllNear;
  using kiln::testing::values;
  auto weight = kiln::arange(12).to(kiln::kFloat64).reshape({6, 2});
  auto input = kiln::tensor({1, 2, 4, 5, 4, 3});
  auto offsets = kiln::tensor({0, 2, 2, 5}); // bags [1, 2], [], [4, 5, 4], [3]
  auto bag = [&](kiln::Mode mode) {
    return F::embedding_bag(
        input, weight,
        F::EmbeddingBagFuncOptions().offsets(offsets).mode(mode));
  };
  expectAllNear(values(bag(kiln::kSum)), {6, 8, 0, 0, 26, 29, 6, 7}, 1e-12);
  expectAllNear(values(bag(kiln::kMean)),
                {3, 4, 0, 0, 26.0 / 3, 29.0 / 3, 6, 7}, 1e-12);
  expectAllNear(values(bag(kiln::kMax)), {4, 5, 0, 0, 10, 11, 6, 7}, 1e-12);
  auto weighted = F::embedding_bag(
      input, weight,
      F::EmbeddingBagFuncOptions()
          .offsets(offsets)
          .mode(kiln::kSum)
          .per_sample_weights(
              kiln::tensor({1.0, 0.5, 1.0, 1.0, 0.0, 2.0}, kiln::kFloat64)));
  expectAllNear(values(weighted), {4, 5.5, 0, 0, 18, 20, 12, 14}, 1e-12);

  nn::EmbeddingBag module(nn::EmbeddingBagOptions(6, 2)
                              .mode(kiln::kSum)
                              .padding_idx(4)
                              ._weight(weight));
  // Rows of a 2-d input are the bags; padding_idx's entries do not count.
  expectAllNear(values(module(kiln::tensor({{1, 2}, {4, 5}}))), {6, 8, 10, 11},
                1e-12);
  EXPECT_EQ(c10::str(module),
            "kiln::nn::EmbeddingBag(num_embeddings=6, embedding_dim=2, "
            "mode=kSum, padding_idx=4)");
  EXPECT_EQ(c10::str(nn::EmbeddingBag(10, 2)),
            "kiln::nn::EmbeddingBag(num_embeddings=10, embedding_dim=2)");
  expectError([&] { module(input); }, {"embedding_bag", "offsets"});
  expectError([&] { module(kiln::tensor({{1, 7}})); },
              {"embedding_bag", "index 7 is out of range"});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<kiln::Tensor> &in) {
        auto opts = F::EmbeddingBagFuncOptions().offsets(offsets);
        return F::embedding_bag(input, in[0], opts.mode(kiln::kMean))
                   .pow(2)
                   .sum() +
               F::embedding_bag(input, in[0], opts.mode(kiln::kMax)).sum();
      },
      {kiln::randn({6, 2}, kiln::kFloat64)});
}

TEST(ParityPooling, AdaptiveOutputSizeOfNoneKeepsTheInputSize) {
  auto x = arange(48, kFloat).reshape({1, 2, 6, 4});
  auto y = F::adaptive_avg_pool2d(
      x, F::AdaptiveAvgPool2dFuncOptions({3, c10::nullopt}));
  EXPECT_EQ(y.sizes(), IntArrayRef({1, 2, 3, 4}));
  EXPECT_TRUE(allclose(
      y, F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({3, 4}))));
  nn::AdaptiveMaxPool2d maxPool(
      nn::AdaptiveMaxPool2dOptions({c10::nullopt, 2}));
  auto m = maxPool(x);
  EXPECT_EQ(m.sizes(), IntArrayRef({1, 2, 6, 2}));
  EXPECT_TRUE(equal(m, std::get<0>(x.reshape({1, 2, 6, 2, 2}).max(-1))));
  nn::AdaptiveAvgPool2d avgPool(
      nn::AdaptiveAvgPool2dOptions({2, c10::nullopt}));
  EXPECT_EQ(avgPool(x).sizes(), IntArrayRef({1, 2, 2, 4}));

  auto v = randn({1, 1, 4, 6, 8});
  nn::AdaptiveMaxPool3d max3(
      nn::AdaptiveMaxPool3dOptions({2, c10::nullopt, 4}));
  EXPECT_EQ(max3(v).sizes(), IntArrayRef({1, 1, 2, 6, 4}));
  nn::AdaptiveAvgPool3d avg3(
      nn::AdaptiveAvgPool3dOptions({c10::nullopt, c10::nullopt, 1}));
  EXPECT_TRUE(allclose(avg3(v), v.mean(-1, true), 1e-5, 1e-6));

  EXPECT_EQ(c10::str(nn::AdaptiveMaxPool2d(
                nn::AdaptiveMaxPool2dOptions({5, c10::nullopt}))),
            "kiln::nn::AdaptiveMaxPool2d(output_size=[5, None])");
  EXPECT_EQ(c10::str(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(5))),
            "kiln::nn::AdaptiveAvgPool2d(output_size=[5, 5])");
  EXPECT_EQ(c10::str(nn::AdaptiveAvgPool3d(
                nn::AdaptiveAvgPool3dOptions({5, c10::nullopt, 7}))),
            "kiln::nn::AdaptiveAvgPool3d(output_size=[5, None, 7])");
}

/// Fractional max pooling by loops, over one [H, W] plane with samples
/// (u_w, u_h), as PyTorch defines its windows.
std::pair<std::vector<double>, std::vector<int64_t>>
fractionalByLoops(const std::vector<double> &x, int64_t h, int64_t w, int64_t k,
                  int64_t oh, int64_t ow, float uw, float uh) {
  auto starts = [](float u, int64_t size, int64_t outputs, int64_t kernel) {
    std::vector<int64_t> s(outputs);
    float alpha =
        static_cast<float>(size - kernel) / static_cast<float>(outputs - 1);
    for (int64_t i = 0; i + 1 < outputs; ++i)
      s[i] = static_cast<int64_t>((static_cast<float>(i) + u) * alpha) -
             static_cast<int64_t>(u * alpha);
    s[outputs - 1] = size - kernel;
    return s;
  };
  auto rows = starts(uh, h, oh, k), cols = starts(uw, w, ow, k);
  std::vector<double> values;
  std::vector<int64_t> where;
  for (int64_t r = 0; r < oh; ++r)
    for (int64_t c = 0; c < ow; ++c) {
      double best = -INFINITY;
      int64_t at = -1;
      for (int64_t i = 0; i < k; ++i)
        for (int64_t j = 0; j < k; ++j) {
          int64_t flat = (rows[r] + i) * w + cols[c] + j;
          if (x[flat] > best) {
            best = x[flat];
            at = flat;
          }
        }
      values.push_back(best);
      where.push_back(at);
    }
  return {values, where};
}

TEST(ParityPooling, FractionalMaxPool) {
  // LibTorch's own cases: on ones, every window starts at 0 or 2.
  nn::FractionalMaxPool2d model(
      nn::FractionalMaxPool2dOptions(3).output_size(2));
  auto x = ones({2, 5, 5}, requires_grad());
  auto y = model(x);
  y.sum().backward();
  EXPECT_EQ(y.sizes(), IntArrayRef({2, 2, 2}));
  EXPECT_TRUE(allclose(y, ones({2, 2, 2})));
  auto [values2, indices2] = F::fractional_max_pool2d_with_indices(
      x, F::FractionalMaxPool2dFuncOptions(3).output_size(2));
  EXPECT_TRUE(
      allclose(indices2, tensor({{{0, 2}, {10, 12}}, {{0, 2}, {10, 12}}})));
  auto [values3, indices3] =
      nn::FractionalMaxPool3d(nn::FractionalMaxPool3dOptions(3).output_size(2))
          ->forward_with_indices(ones({2, 5, 5, 5}));
  EXPECT_EQ(indices3.sizes(), IntArrayRef({2, 2, 2, 2}));
  expectAllNear(values(indices3[0].flatten()), {0, 2, 10, 12, 50, 52, 60, 62},
                0);

  // Given samples, against the definition by loops.
  auto input = randn({2, 3, 9, 8});
  auto samples = rand({2, 3, 2});
  auto pooled = F::fractional_max_pool2d(
      input, F::FractionalMaxPool2dFuncOptions({3, 2}).output_ratio(0.5));
  EXPECT_EQ(pooled.sizes(), IntArrayRef({2, 3, 4, 4}));
  auto u = samples.to_vector<float>();
  auto square = F::fractional_max_pool2d_with_indices(
      input, F::FractionalMaxPool2dFuncOptions(3)
                 .output_size(ExpandingArray<2>({4, 3}))
                 ._random_samples(samples));
  for (int64_t p = 0; p < 6; ++p) {
    int64_t n = p / 3, c = p % 3;
    auto [want, wantWhere] = fractionalByLoops(values(input[n][c]), 9, 8, 3, 4,
                                               3, u[p * 2], u[p * 2 + 1]);
    expectAllNear(values(std::get<0>(square)[n][c]), want, 0);
    std::vector<double> whereD(wantWhere.begin(), wantWhere.end());
    expectAllNear(values(std::get<1>(square)[n][c]), whereD, 0);
  }
  // The module keeps given samples as a buffer, so it is deterministic.
  nn::FractionalMaxPool2d fixed(nn::FractionalMaxPool2dOptions(3)
                                    .output_size(ExpandingArray<2>({4, 3}))
                                    ._random_samples(samples));
  EXPECT_TRUE(equal(fixed(input), std::get<0>(square)));
  EXPECT_EQ(fixed->named_buffers().size(), 1u);

  // The gradient flows to each window's maximum.
  auto fixedSamples = rand({1, 2, 3}, kFloat64);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        return (F::fractional_max_pool3d(
                    in[0], F::FractionalMaxPool3dFuncOptions(2)
                               .output_size(ExpandingArray<3>({2, 3, 2}))
                               ._random_samples(fixedSamples)) *
                arange(24, kFloat64).reshape({1, 2, 2, 3, 2}))
            .sum();
      },
      {randn({1, 2, 4, 5, 4}, kFloat64)});

  expectError(
      [&] { nn::FractionalMaxPool2d(nn::FractionalMaxPool2dOptions(3)); },
      {"either an output size, or a pooling ratio"});
  expectError(
      [&] {
        F::fractional_max_pool2d(
            input,
            F::FractionalMaxPool2dFuncOptions(3).output_size(2)._random_samples(
                full({2, 3, 2}, 1.5)));
      },
      {"fractional_max_pool2d", "_random_samples must lie in [0, 1)"});
  expectError(
      [&] {
        F::fractional_max_pool2d(
            input, F::FractionalMaxPool2dFuncOptions(3).output_ratio(1.5));
      },
      {"fractional_max_pool2d", "output_ratio must be between 0 and 1"});
  expectError(
      [&] {
        F::fractional_max_pool2d(
            input, F::FractionalMaxPool2dFuncOptions(3).output_size(8));
      },
      {"fractional_max_pool2d", "too large"});
  EXPECT_EQ(c10::str(nn::FractionalMaxPool2d(
                nn::FractionalMaxPool2dOptions(5).output_size(1))),
            "kiln::nn::FractionalMaxPool2d()");
  EXPECT_EQ(c10::str(nn::FractionalMaxPool3d(
                nn::FractionalMaxPool3dOptions(5).output_size(1))),
            "kiln::nn::FractionalMaxPool3d()");
}

} // namespace
