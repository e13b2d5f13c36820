//===- LayersTest.cpp - Convolutions, pooling, norms, attention, init -----===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

using namespace kiln;
using kiln::testing::expectAllNear;
using kiln::testing::values;
namespace F = kiln::nn::functional;
using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;

namespace {

std::vector<std::string> stateNames(const nn::Module &m) {
  std::vector<std::string> names;
  for (auto &[name, _] : m.state_dict())
    names.push_back(name);
  return names;
}
template <typename M>
std::vector<std::string> stateNames(const nn::ModuleHolder<M> &m) {
  return stateNames(*m);
}

/// What a module prints for itself.
template <typename M> std::string printed(const nn::ModuleHolder<M> &m) {
  std::ostringstream os;
  m->pretty_print(os);
  return os.str();
}
std::string printed(const nn::Module &m) {
  std::ostringstream os;
  m.pretty_print(os);
  return os.str();
}

/// A scalar with a gradient that no symmetry cancels: y weighted by fixed
/// random coefficients.
Tensor weightedSum(const Tensor &y, uint64_t seed = 11) {
  manual_seed(seed);
  return (y * randn(y.sizes(), kFloat64)).sum();
}

//===----------------------------------------------------------------------===//
// Conv1d
//===----------------------------------------------------------------------===//

TEST(Conv1d, MatchesLoopsWithGroupsStrideDilationAndPadding) {
  manual_seed(1);
  const int64_t n = 2, c = 4, l = 9, o = 6, k = 3, stride = 2, pad = 2, dil = 2,
                groups = 2;
  auto x = randn({n, c, l}, kFloat64);
  auto w = randn({o, c / groups, k}, kFloat64);
  auto b = randn({o}, kFloat64);
  auto y = F::conv1d(x, w, b, stride, pad, dil, groups);
  int64_t lout = (l + 2 * pad - dil * (k - 1) - 1) / stride + 1;
  ASSERT_EQ(y.sizes(), (Shape{n, o, lout}));
  auto xv = values(x), wv = values(w), bv = values(b);
  std::vector<double> expected;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t t = 0; t < lout; ++t) {
        double acc = bv[oc];
        int64_t g = oc / (o / groups);
        for (int64_t ic = 0; ic < c / groups; ++ic)
          for (int64_t j = 0; j < k; ++j) {
            int64_t pos = t * stride - pad + j * dil;
            if (pos >= 0 && pos < l)
              acc += xv[(i * c + g * (c / groups) + ic) * l + pos] *
                     wv[(oc * (c / groups) + ic) * k + j];
          }
        expected.push_back(acc);
      }
  expectAllNear(values(y), expected, 1e-12);
  // Unbatched [C, L] inputs give unbatched results.
  EXPECT_EQ(F::conv1d(x.select(0, 0), w, b, stride, pad, dil, groups).sizes(),
            (Shape{o, lout}));
}

TEST(Conv1d, ModuleShapesInitNamesAndGradients) {
  manual_seed(2);
  nn::Conv1d conv(4, 6, 3, 1, 1, 1, 2);
  EXPECT_EQ(conv->weight.sizes(), (Shape{6, 2, 3}));
  EXPECT_EQ(stateNames(conv), (std::vector<std::string>{"weight", "bias"}));
  double bound = 1 / std::sqrt(2.0 * 3);
  for (double v : values(conv->weight))
    EXPECT_LE(std::abs(v), bound);
  EXPECT_EQ(conv->forward(randn({2, 4, 10})).sizes(), (Shape{2, 6, 10}));
  EXPECT_EQ(printed(conv), "kiln::nn::Conv1d(4, 6, kernel_size=3, stride=1, "
                           "padding=1, groups=2)");
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &a) {
        return weightedSum(F::conv1d(a[0], a[1], a[2], 2, 1, 1, 2));
      },
      {randn({1, 4, 7}, kFloat64), randn({2, 2, 3}, kFloat64),
       randn({2}, kFloat64)});
}

TEST(Conv1d, Errors) {
  expectError([] { F::conv1d(zeros({1, 1, 4, 4}), zeros({1, 1, 3})); },
              {"conv1d", "[1, 1, 4, 4]", "3-d"});
  expectError([] { F::conv1d(zeros({1, 3, 8}), zeros({4, 2, 3})); },
              {"conv1d", "channels", "[4, 2, 3]"});
  expectError([] { F::conv1d(zeros({1, 2, 8}), zeros({4, 2, 3, 3})); },
              {"conv1d", "weight must be 3-d"});
  expectError([] { nn::Conv1d(3, 4, 3, 1, 0, 1, 2); }, {"Conv1d", "groups=2"});
}

//===----------------------------------------------------------------------===//
// ConvTranspose2d
//===----------------------------------------------------------------------===//

/// The transposed convolution by its definition: every input element
/// scatters itself times the kernel into the output.
std::vector<double> convTransposeLoops(const Tensor &x, const Tensor &w,
                                       const Tensor &b, const Shape &outShape,
                                       int64_t stride, int64_t pad, int64_t dil,
                                       int64_t groups) {
  auto xv = values(x), wv = values(w), bv = values(b);
  int64_t n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
  int64_t opg = w.size(1), kh = w.size(2), kw = w.size(3);
  int64_t o = outShape[1], oh = outShape[2], ow = outShape[3];
  std::vector<double> y(n * o * oh * ow);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t p = 0; p < oh * ow; ++p)
        y[(i * o + oc) * oh * ow + p] = bv[oc];
  for (int64_t i = 0; i < n; ++i)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t r = 0; r < h; ++r)
        for (int64_t s = 0; s < wd; ++s)
          for (int64_t j = 0; j < opg; ++j)
            for (int64_t u = 0; u < kh; ++u)
              for (int64_t v = 0; v < kw; ++v) {
                int64_t oc = ic / (c / groups) * opg + j;
                int64_t orow = r * stride - pad + u * dil;
                int64_t ocol = s * stride - pad + v * dil;
                if (orow < 0 || orow >= oh || ocol < 0 || ocol >= ow)
                  continue;
                y[((i * o + oc) * oh + orow) * ow + ocol] +=
                    xv[((i * c + ic) * h + r) * wd + s] *
                    wv[((ic * opg + j) * kh + u) * kw + v];
              }
  return y;
}

TEST(ConvTranspose2d, MatchesTheScatterDefinition) {
  manual_seed(3);
  struct Case {
    int64_t stride, pad, outputPad, dil, groups;
  };
  for (Case k :
       {Case{2, 1, 1, 1, 2}, Case{1, 0, 0, 2, 1}, Case{3, 2, 2, 1, 1}}) {
    auto x = randn({2, 4, 3, 4}, kFloat64);
    auto w = randn({4, 3, 3, 2}, kFloat64);
    auto b = randn({3 * k.groups}, kFloat64);
    auto y = conv_transpose2d(x, w, b, {k.stride}, {k.pad}, {k.outputPad},
                              k.groups, {k.dil});
    Shape expectedShape = {2, 3 * k.groups};
    for (int i = 0; i < 2; ++i)
      expectedShape.push_back((x.size(2 + i) - 1) * k.stride - 2 * k.pad +
                              k.dil * (w.size(2 + i) - 1) + k.outputPad + 1);
    ASSERT_EQ(y.sizes(), expectedShape);
    expectAllNear(values(y),
                  convTransposeLoops(x, w, b, expectedShape, k.stride, k.pad,
                                     k.dil, k.groups),
                  1e-12);
  }
}

TEST(ConvTranspose2d, ModuleUpsamplesAndHasGradients) {
  manual_seed(4);
  nn::ConvTranspose2d up(4, 6, 3, 2, 1, 1);
  EXPECT_EQ(up->weight.sizes(), (Shape{4, 6, 3, 3}));
  EXPECT_EQ(stateNames(up), (std::vector<std::string>{"weight", "bias"}));
  // PyTorch's fan-in of a transposed convolution is out / groups * k * k.
  for (double v : values(up->weight))
    EXPECT_LE(std::abs(v), 1 / std::sqrt(6.0 * 9));
  EXPECT_EQ(up->forward(randn({2, 4, 5, 5})).sizes(), (Shape{2, 6, 10, 10}));
  EXPECT_EQ(up->forward(randn({4, 5, 5})).sizes(), (Shape{6, 10, 10}));
  EXPECT_EQ(
      printed(up),
      "kiln::nn::ConvTranspose2d(4, 6, kernel_size=[3, 3], stride=[2, 2], "
      "padding=[1, 1], output_padding=[1, 1])");
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &a) {
        return weightedSum(
            conv_transpose2d(a[0], a[1], a[2], {2}, {1}, {1}, 2, {1}));
      },
      {randn({1, 2, 3, 3}, kFloat64), randn({2, 2, 2, 3}, kFloat64),
       randn({4}, kFloat64)});
}

TEST(ConvTranspose2d, Errors) {
  expectError(
      [] {
        conv_transpose2d(zeros({1, 2, 4, 4}), zeros({2, 3, 3, 3}), {}, {2}, {0},
                         {2});
      },
      {"conv_transpose2d", "output_padding", "smaller than stride"});
  expectError(
      [] { conv_transpose2d(zeros({1, 3, 4, 4}), zeros({2, 3, 3, 3})); },
      {"conv_transpose2d", "[1, 3, 4, 4]", "[2, 3, 3, 3]", "channels"});
  expectError(
      [] {
        conv_transpose2d(zeros({1, 2, 1, 1}), zeros({2, 3, 1, 1}), {}, {1},
                         {1});
      },
      {"conv_transpose2d", "no output"});
  expectError([] { nn::ConvTranspose2d(4, 4, 3, 1, 0, 1); },
              {"ConvTranspose2d", "output_padding"});
}

//===----------------------------------------------------------------------===//
// AdaptiveAvgPool2d
//===----------------------------------------------------------------------===//

std::vector<double> adaptiveLoops(const Tensor &x, int64_t oh, int64_t ow) {
  auto xv = values(x);
  int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
  std::vector<double> y;
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        int64_t r0 = (i * h) / oh, r1 = ((i + 1) * h + oh - 1) / oh;
        int64_t c0 = (j * w) / ow, c1 = ((j + 1) * w + ow - 1) / ow;
        double sum = 0;
        for (int64_t r = r0; r < r1; ++r)
          for (int64_t c = c0; c < c1; ++c)
            sum += xv[(p * h + r) * w + c];
        y.push_back(sum / static_cast<double>((r1 - r0) * (c1 - c0)));
      }
  return y;
}

TEST(AdaptiveAvgPool2d, MatchesPyTorchsWindows) {
  manual_seed(5);
  auto x = randn({2, 3, 7, 5}, kFloat64);
  for (auto [oh, ow] :
       {std::pair<int64_t, int64_t>{3, 2}, {7, 5}, {1, 1}, {4, 8}}) {
    auto y = F::adaptive_avg_pool2d(x, {oh, ow});
    ASSERT_EQ(y.sizes(), (Shape{2, 3, oh, ow}));
    expectAllNear(values(y), adaptiveLoops(x, oh, ow), 1e-12);
  }
  auto even = randn({1, 2, 8, 6}, kFloat64); // the avg_pool2d path
  expectAllNear(values(F::adaptive_avg_pool2d(even, {4, 3})),
                adaptiveLoops(even, 4, 3), 1e-12);
  nn::AdaptiveAvgPool2d global(1);
  EXPECT_EQ(global->forward(randn({2, 4, 5, 5})).sizes(), (Shape{2, 4, 1, 1}));
  EXPECT_EQ(global->forward(randn({4, 5, 5})).sizes(), (Shape{4, 1, 1}));
  EXPECT_EQ(printed(global), "kiln::nn::AdaptiveAvgPool2d(output_size=[1, 1])");
  EXPECT_EQ(printed(nn::AdaptiveAvgPool2d(Shape{2, 3})),
            "kiln::nn::AdaptiveAvgPool2d(output_size=[2, 3])");
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &a) {
        return weightedSum(F::adaptive_avg_pool2d(a[0], {2, 3}));
      },
      {randn({1, 2, 5, 4}, kFloat64)});
  expectError([&] { F::adaptive_avg_pool2d(x, {0, 2}); },
              {"adaptive_avg_pool2d", "positive"});
  expectError([] { F::adaptive_avg_pool2d(zeros({4, 4}), {2}); },
              {"adaptive_avg_pool2d", "[4, 4]"});
}

//===----------------------------------------------------------------------===//
// GroupNorm
//===----------------------------------------------------------------------===//

TEST(GroupNorm, MatchesLoopsAndIsTheSameInEval) {
  manual_seed(6);
  const int64_t n = 2, c = 6, h = 2, w = 3, groups = 3;
  const double eps = 1e-5;
  auto x = randn({n, c, h, w}, kFloat64) * 3 + 1;
  auto weight = randn({c}, kFloat64), bias = randn({c}, kFloat64);
  auto y = F::group_norm(x, groups, weight, bias, eps);
  ASSERT_EQ(y.sizes(), x.sizes());
  auto xv = values(x), wv = values(weight), bv = values(bias);
  int64_t groupSize = c / groups * h * w;
  std::vector<double> expected(xv.size());
  for (int64_t i = 0; i < n * groups; ++i) {
    double mean = 0, var = 0;
    for (int64_t j = 0; j < groupSize; ++j)
      mean += xv[i * groupSize + j] / groupSize;
    for (int64_t j = 0; j < groupSize; ++j)
      var += std::pow(xv[i * groupSize + j] - mean, 2) / groupSize;
    for (int64_t j = 0; j < groupSize; ++j) {
      int64_t channel = (i % groups) * (c / groups) + j / (h * w);
      expected[i * groupSize + j] =
          (xv[i * groupSize + j] - mean) / std::sqrt(var + eps) * wv[channel] +
          bv[channel];
    }
  }
  expectAllNear(values(y), expected, 1e-10);

  nn::GroupNorm norm(groups, c);
  EXPECT_EQ(stateNames(norm), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_TRUE(norm->buffers().empty()); // no running statistics
  norm->to(kFloat64);
  auto trained = values(norm->forward(x));
  norm->eval();
  EXPECT_EQ(values(norm->forward(x)), trained);
  EXPECT_EQ(printed(norm), "kiln::nn::GroupNorm(3, 6, eps=1e-05, affine=true)");
  EXPECT_TRUE(nn::GroupNorm(2, 4, 1e-5, false)->parameters().empty());
  // Any rank >= 2: [N, C] normalizes groups of channels.
  EXPECT_EQ(F::group_norm(randn({3, 4}), 2).sizes(), (Shape{3, 4}));

  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &a) {
        return weightedSum(F::group_norm(a[0], 2, a[1], a[2]));
      },
      {randn({2, 4, 3}, kFloat64), randn({4}, kFloat64), randn({4}, kFloat64)});
}

TEST(GroupNorm, Errors) {
  expectError([] { nn::GroupNorm(4, 6); }, {"GroupNorm", "4", "6"});
  expectError([] { nn::GroupNorm(2, 6)->forward(zeros({2, 4, 3})); },
              {"GroupNorm(2, 6", "[2, 4, 3]"});
  expectError([] { F::group_norm(zeros({2, 6}), 4); },
              {"group_norm", "num_groups 4", "6 channels"});
  expectError([] { F::group_norm(zeros({2, 6}), 3, zeros({3})); },
              {"group_norm", "weight", "[6]"});
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

TEST(Activations, LeakyReLUSiLUSoftmaxLogSoftmax) {
  auto x = tensor({{-2.0, 0.5, 3.0}, {1.0, -0.25, 0.0}}, kFloat64);
  auto xv = values(x);
  std::vector<double> leaky, leaky2, silu, soft, logSoft;
  for (double v : xv) {
    leaky.push_back(v > 0 ? v : 0.01 * v);
    leaky2.push_back(v > 0 ? v : 0.2 * v);
    silu.push_back(v / (1 + std::exp(-v)));
  }
  for (int r = 0; r < 2; ++r) {
    double sum = 0;
    for (int j = 0; j < 3; ++j)
      sum += std::exp(xv[r * 3 + j]);
    for (int j = 0; j < 3; ++j) {
      soft.push_back(std::exp(xv[r * 3 + j]) / sum);
      logSoft.push_back(xv[r * 3 + j] - std::log(sum));
    }
  }
  expectAllNear(values(nn::LeakyReLU()->forward(x)), leaky, 1e-15);
  expectAllNear(values(nn::LeakyReLU(0.2)->forward(x)), leaky2, 1e-15);
  expectAllNear(values(nn::SiLU()->forward(x)), silu, 1e-15);
  expectAllNear(values(nn::Softmax(1)->forward(x)), soft, 1e-15);
  expectAllNear(values(nn::LogSoftmax(-1)->forward(x)), logSoft, 1e-15);
  EXPECT_EQ(nn::Softmax(0)->forward(x).sizes(), (Shape{2, 3}));
  EXPECT_EQ(printed(nn::LeakyReLU()),
            "kiln::nn::LeakyReLU(negative_slope=0.01)");
  EXPECT_EQ(printed(nn::SiLU()), "kiln::nn::SiLU()");
  EXPECT_EQ(printed(nn::Softmax(1)), "kiln::nn::Softmax(dim=1)");
  EXPECT_EQ(printed(nn::LogSoftmax(0)), "kiln::nn::LogSoftmax(dim=0)");

  auto away = tensor({{-2.0, 0.5, 3.0}, {1.0, -0.25, -0.7}}, kFloat64);
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &a) {
        return weightedSum(F::leaky_relu(a[0], 0.2)) +
               weightedSum(F::silu(a[0]), 12) +
               weightedSum(nn::Softmax(1)->forward(a[0]), 13) +
               weightedSum(nn::LogSoftmax(0)->forward(a[0]), 14);
      },
      {away});
  expectError([] { F::leaky_relu(tensor({1, 2})); },
              {"leaky_relu", "floating point"});
  expectError([] { F::silu(tensor({1, 2})); }, {"silu", "floating point"});
  EXPECT_THROW(nn::Softmax(2)->forward(x), kiln::Error);
}

//===----------------------------------------------------------------------===//
// MultiheadAttention
//===----------------------------------------------------------------------===//

/// Attention by its definition, for one batch element: q [L, E], k and v
/// [S, E], the parameters as flat row-major vectors, and a mask [L, S] of
/// additive biases. Returns the output [L, E] and the head-averaged weights
/// [L, S].
std::pair<std::vector<double>, std::vector<double>>
attentionLoops(const std::vector<double> &q, const std::vector<double> &k,
               const std::vector<double> &v, const std::vector<double> &inW,
               const std::vector<double> &inB, const std::vector<double> &outW,
               const std::vector<double> &outB, int64_t l, int64_t s, int64_t e,
               int64_t heads, const std::vector<double> &mask) {
  auto project = [&](const std::vector<double> &x, int64_t rows, int64_t part) {
    std::vector<double> y(rows * e);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t i = 0; i < e; ++i) {
        double acc = inB[part * e + i];
        for (int64_t j = 0; j < e; ++j)
          acc += x[r * e + j] * inW[(part * e + i) * e + j];
        y[r * e + i] = acc;
      }
    return y;
  };
  auto qp = project(q, l, 0), kp = project(k, s, 1), vp = project(v, s, 2);
  int64_t hd = e / heads;
  std::vector<double> context(l * e), averaged(l * s);
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t i = 0; i < l; ++i) {
      std::vector<double> scores(s);
      double top = -INFINITY, sum = 0;
      for (int64_t j = 0; j < s; ++j) {
        double dot = 0;
        for (int64_t d = 0; d < hd; ++d)
          dot += qp[i * e + h * hd + d] * kp[j * e + h * hd + d];
        scores[j] = dot / std::sqrt(static_cast<double>(hd)) + mask[i * s + j];
        top = std::max(top, scores[j]);
      }
      for (double &x : scores)
        sum += (x = std::exp(x - top));
      for (int64_t j = 0; j < s; ++j) {
        double p = scores[j] / sum;
        averaged[i * s + j] += p / heads;
        for (int64_t d = 0; d < hd; ++d)
          context[i * e + h * hd + d] += p * vp[j * e + h * hd + d];
      }
    }
  std::vector<double> out(l * e);
  for (int64_t i = 0; i < l; ++i)
    for (int64_t r = 0; r < e; ++r) {
      double acc = outB[r];
      for (int64_t j = 0; j < e; ++j)
        acc += context[i * e + j] * outW[r * e + j];
      out[i * e + r] = acc;
    }
  return {out, averaged};
}

TEST(MultiheadAttention, ParametersAndShapes) {
  manual_seed(7);
  nn::MultiheadAttention mha(8, 2);
  EXPECT_EQ(stateNames(mha),
            (std::vector<std::string>{"in_proj_weight", "in_proj_bias",
                                      "out_proj.weight", "out_proj.bias"}));
  EXPECT_EQ(mha->in_proj_weight.sizes(), (Shape{24, 8}));
  double xavier = std::sqrt(6.0 / (8 + 24));
  for (double v : values(mha->in_proj_weight))
    EXPECT_LE(std::abs(v), xavier);
  for (double v : values(mha->in_proj_bias))
    EXPECT_EQ(v, 0);
  for (double v : values(mha->out_proj->bias))
    EXPECT_EQ(v, 0);
  EXPECT_EQ(printed(mha), "kiln::nn::MultiheadAttention");
  auto q = randn({3, 2, 8}), kv = randn({5, 2, 8});
  auto [out, weights] = mha->forward(q, kv, kv);
  EXPECT_EQ(out.sizes(), (Shape{3, 2, 8}));
  EXPECT_EQ(weights.sizes(), (Shape{2, 3, 5}));
  auto [out2, perHead] = mha->forward(q, kv, kv, {}, true, {}, false);
  EXPECT_EQ(perHead.sizes(), (Shape{2, 2, 3, 5}));
  EXPECT_FALSE(std::get<1>(mha->forward(q, kv, kv, {}, false)).defined());
  auto [single, singleWeights] =
      mha->forward(q.select(1, 0), kv.select(1, 0), kv.select(1, 0));
  EXPECT_EQ(single.sizes(), (Shape{3, 8}));
  EXPECT_EQ(singleWeights.sizes(), (Shape{3, 5}));
  nn::MultiheadAttention batchFirst(8, 4, 0.0, false, true);
  EXPECT_EQ(stateNames(batchFirst),
            (std::vector<std::string>{"in_proj_weight", "out_proj.weight"}));
  EXPECT_EQ(std::get<0>(batchFirst->forward(randn({2, 3, 8}), randn({2, 5, 8}),
                                            randn({2, 5, 8})))
                .sizes(),
            (Shape{2, 3, 8}));
}

TEST(MultiheadAttention, MatchesTheDefinitionWithMasks) {
  manual_seed(8);
  const int64_t l = 3, s = 4, n = 2, e = 4, heads = 2;
  nn::MultiheadAttention mha(e, heads);
  mha->to(kFloat64);
  // Nonzero biases, so that the test sees them.
  nn::init::normal_(mha->in_proj_bias);
  nn::init::normal_(mha->out_proj->bias);
  auto q = randn({l, n, e}, kFloat64), k = randn({s, n, e}, kFloat64),
       v = randn({s, n, e}, kFloat64);
  auto padding = tensor(
      {{false, false, false, false}, {false, false, true, false}}); // [N, S]
  auto bias = randn({l, s}, kFloat64); // float attn_mask
  auto [out, weights] = mha->forward(q, k, v, padding, true, bias);
  auto inW = values(mha->in_proj_weight), inB = values(mha->in_proj_bias),
       outW = values(mha->out_proj->weight), outB = values(mha->out_proj->bias);
  auto outV = values(out), weightsV = values(weights);
  auto biasV = values(bias);
  for (int64_t b = 0; b < n; ++b) {
    auto row = [&](const Tensor &t, int64_t len) {
      return values(t.select(1, b).reshape({len * e}));
    };
    std::vector<double> mask = biasV;
    for (int64_t i = 0; i < l; ++i)
      if (b == 1)
        mask[i * s + 2] = -INFINITY;
    auto [expectedOut, expectedWeights] =
        attentionLoops(row(q, l), row(k, s), row(v, s), inW, inB, outW, outB, l,
                       s, e, heads, mask);
    for (int64_t i = 0; i < l; ++i)
      for (int64_t j = 0; j < e; ++j)
        EXPECT_NEAR(outV[(i * n + b) * e + j], expectedOut[i * e + j], 1e-12);
    for (int64_t i = 0; i < l * s; ++i)
      EXPECT_NEAR(weightsV[b * l * s + i], expectedWeights[i], 1e-12);
  }
  // A bool attn_mask removes pairs as -inf does.
  auto blocked = tensor({{false, true, false, false},
                         {false, false, false, false},
                         {true, false, false, false}});
  auto asFloat =
      where(blocked, full({}, -INFINITY, kFloat64), zeros({}, kFloat64));
  EXPECT_EQ(values(std::get<0>(mha->forward(q, k, v, {}, true, blocked))),
            values(std::get<0>(mha->forward(q, k, v, {}, true, asFloat))));
}

TEST(MultiheadAttention, DropoutOnlyInTraining) {
  manual_seed(9);
  nn::MultiheadAttention mha(4, 2, 0.5);
  auto q = randn({3, 1, 4}), kv = randn({6, 1, 4});
  mha->eval();
  auto evalWeights = values(std::get<1>(mha->forward(q, kv, kv)));
  EXPECT_EQ(values(std::get<1>(mha->forward(q, kv, kv))), evalWeights);
  for (int i = 0; i < 3; ++i) {
    double sum = 0;
    for (int j = 0; j < 6; ++j)
      sum += evalWeights[i * 6 + j];
    EXPECT_NEAR(sum, 1, 1e-6);
  }
  mha->train();
  auto perHead = [&] {
    return values(std::get<1>(mha->forward(q, kv, kv, {}, true, {}, false)));
  };
  auto evalPerHead = [&] {
    mha->eval();
    auto w = perHead();
    mha->train();
    return w;
  }();
  manual_seed(10);
  auto trained = perHead();
  manual_seed(10);
  EXPECT_EQ(perHead(), trained);
  int dropped = 0;
  for (size_t i = 0; i < trained.size(); ++i) {
    if (trained[i] == 0)
      ++dropped;
    else
      EXPECT_NEAR(trained[i], 2 * evalPerHead[i], 1e-6);
  }
  EXPECT_GT(dropped, 0);
  EXPECT_LT(dropped, static_cast<int>(trained.size()));
}

TEST(MultiheadAttention, GradientsMatchFiniteDifferences) {
  manual_seed(12);
  nn::MultiheadAttention mha(4, 2, 0.0, true, true);
  mha->to(kFloat64);
  nn::init::normal_(mha->in_proj_bias);
  auto padding = tensor({{false, false, true}, {false, false, false}});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &a) {
        auto [out, weights] = mha->forward(a[0], a[1], a[2], padding);
        return weightedSum(out) + weightedSum(weights, 13);
      },
      {randn({2, 2, 4}, kFloat64), randn({2, 3, 4}, kFloat64),
       randn({2, 3, 4}, kFloat64)});
}

TEST(MultiheadAttention, ParameterGradientsMatchFiniteDifferences) {
  manual_seed(13);
  nn::MultiheadAttention mha(4, 2, 0.0, true, true);
  mha->to(kFloat64);
  auto x = randn({2, 3, 4}, kFloat64);
  // The module reads its parameter fields: each check puts a leaf there.
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &a) {
        mha->in_proj_weight = a[0];
        mha->in_proj_bias = a[1];
        mha->out_proj->weight = a[2];
        mha->out_proj->bias = a[3];
        return weightedSum(std::get<0>(mha->forward(x, x, x)));
      },
      {randn({12, 4}, kFloat64), randn({12}, kFloat64), randn({4, 4}, kFloat64),
       randn({4}, kFloat64)});
}

TEST(MultiheadAttention, CausalMask) {
  auto mask = nn::generate_square_subsequent_mask(3);
  EXPECT_EQ(mask.dtype(), kFloat32);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(values(mask),
            (std::vector<double>{0, -inf, -inf, 0, 0, -inf, 0, 0, 0}));
  // With the mask (and the is_causal hint) position i sees positions 0..i:
  // the first output depends on the first position only.
  manual_seed(14);
  nn::MultiheadAttention mha(4, 2);
  auto x = randn({3, 1, 4});
  auto y = std::get<0>(mha->forward(x, x, x, {}, false, mask, true, true));
  auto changed = cat({x.slice(0, 0, 1), randn({2, 1, 4})});
  auto z = std::get<0>(
      mha->forward(changed, changed, changed, {}, false, mask, true, true));
  kiln::testing::expectAllNear(values(z.index({0})), values(y.index({0})),
                               1e-6);
  nn::TransformerEncoderLayer layer(4, 2, 8, 0.0);
  EXPECT_EQ(layer->forward(x, mask, {}, true).sizes(), (Shape{3, 1, 4}));
  expectError([&] { mha->forward(x, x, x, {}, false, {}, true, true); },
              {"is_causal", "generate_square_subsequent_mask"});
  expectError([] { nn::generate_square_subsequent_mask(2, kInt64); },
              {"generate_square_subsequent_mask", "floating point"});
}

TEST(MultiheadAttention, Errors) {
  expectError([] { nn::MultiheadAttention(6, 4); },
              {"MultiheadAttention", "embed_dim 6", "num_heads 4"});
  nn::MultiheadAttention mha(4, 2);
  auto x = zeros({3, 2, 4});
  expectError([&] { mha->forward(zeros({3, 2, 5}), x, x); },
              {"MultiheadAttention", "[3, 2, 5]", "embed_dim 4"});
  expectError([&] { mha->forward(x, x, x, {}, true, zeros({2, 3})); },
              {"attn_mask", "[3, 3]", "[2, 3]"});
  expectError([&] { mha->forward(x, x, x, zeros({3, 2}, kBool)); },
              {"key_padding_mask", "[2, 3]"});
  expectError([&] { mha->forward(x, x, x, zeros({2, 3}, kInt64)); },
              {"key_padding_mask", "bool or floating point"});
}

//===----------------------------------------------------------------------===//
// TransformerEncoderLayer
//===----------------------------------------------------------------------===//

TEST(TransformerEncoderLayer, NamesShapesAndWiring) {
  manual_seed(13);
  nn::TransformerEncoderLayer layer(8, 2, 16);
  EXPECT_EQ(
      stateNames(layer),
      (std::vector<std::string>{
          "self_attn.in_proj_weight", "self_attn.in_proj_bias",
          "self_attn.out_proj.weight", "self_attn.out_proj.bias",
          "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
          "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"}));
  EXPECT_EQ(printed(layer),
            "kiln::nn::TransformerEncoderLayer(d_model=8, nhead=2, "
            "dim_feedforward=16, "
            "dropout=0.1, activation=relu, batch_first=false, "
            "norm_first=false)");
  auto src = randn({5, 3, 8});
  EXPECT_EQ(layer->forward(src).sizes(), (Shape{5, 3, 8}));
  nn::TransformerEncoderLayer batchFirst(8, 2, 16, 0.1, "gelu", 1e-5, true);
  EXPECT_EQ(batchFirst->forward(randn({3, 5, 8})).sizes(), (Shape{3, 5, 8}));
  // bias=false drops every bias, the layer norms' too (as PyTorch's).
  nn::TransformerEncoderLayer noBias(8, 2, 16, 0.1, "relu", 1e-5, false, false,
                                     /*bias=*/false);
  EXPECT_EQ(stateNames(noBias),
            (std::vector<std::string>{"self_attn.in_proj_weight",
                                      "self_attn.out_proj.weight",
                                      "linear1.weight", "linear2.weight",
                                      "norm1.weight", "norm2.weight"}));
  EXPECT_EQ(noBias->forward(src).sizes(), (Shape{5, 3, 8}));

  // In eval mode the layer is its blocks wired as PyTorch wires them.
  for (auto [normFirst, activation] :
       {std::pair<bool, std::string>{false, "relu"}, {true, "gelu"}}) {
    nn::TransformerEncoderLayer l(8, 2, 16, 0.1, activation, 1e-5, false,
                                  normFirst);
    l->eval();
    auto mask = tensor({false, false, true, false, false});
    auto attend = [&](const Tensor &x) {
      return std::get<0>(l->self_attn->forward(
          x, x, x, mask.unsqueeze(0).expand({3, 5}), false));
    };
    auto feedForward = [&](const Tensor &x) {
      auto hidden = l->linear1->forward(x);
      hidden = activation == "gelu" ? gelu(hidden) : relu(hidden);
      return l->linear2->forward(hidden);
    };
    Tensor expected;
    if (normFirst) {
      expected = src + attend(l->norm1->forward(src));
      expected = expected + feedForward(l->norm2->forward(expected));
    } else {
      expected = l->norm1->forward(src + attend(src));
      expected = l->norm2->forward(expected + feedForward(expected));
    }
    auto got = l->forward(src, {}, mask.unsqueeze(0).expand({3, 5}));
    expectAllNear(values(got), values(expected), 1e-5);
  }
}

TEST(TransformerEncoderLayer, DropoutOnlyInTrainingAndGradients) {
  manual_seed(14);
  nn::TransformerEncoderLayer layer(4, 2, 8, 0.5);
  auto src = randn({3, 2, 4});
  manual_seed(1);
  auto trained = values(layer->forward(src));
  manual_seed(2);
  EXPECT_NE(values(layer->forward(src)), trained);
  layer->eval();
  auto evaluated = values(layer->forward(src));
  EXPECT_EQ(values(layer->forward(src)), evaluated);
  EXPECT_NE(evaluated, trained);

  for (bool normFirst : {false, true}) {
    nn::TransformerEncoderLayer l(4, 2, 8, 0.0, "gelu", 1e-5, true, normFirst);
    l->to(kFloat64);
    auto causal = tensor(
        {{false, true, true}, {false, false, true}, {false, false, false}});
    expectGradientsMatchFiniteDifferences(
        [&](const std::vector<Tensor> &a) {
          return weightedSum(l->forward(a[0], causal));
        },
        {randn({1, 3, 4}, kFloat64)});
  }
}

TEST(TransformerEncoderLayer, Errors) {
  expectError([] { nn::TransformerEncoderLayer(8, 2, 16, 0.1, "tanh"); },
              {"TransformerEncoderLayer", "activation", "tanh"});
  expectError([] { nn::TransformerEncoderLayer(8, 3); },
              {"embed_dim 8", "num_heads 3"});
  nn::TransformerEncoderLayer layer(4, 2, 8);
  expectError([&] { layer->forward(zeros({3, 2, 5})); }, {"[3, 2, 5]"});
}

//===----------------------------------------------------------------------===//
// ModuleList and ModuleDict
//===----------------------------------------------------------------------===//

TEST(Containers, ModuleListNamesIndexesAndIterates) {
  nn::ModuleList list(nn::Linear(2, 3), nn::ReLU());
  list->push_back(std::make_shared<nn::LinearImpl>(3, 1, false));
  EXPECT_EQ(list->size(), 3u);
  EXPECT_EQ(stateNames(list),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight"}));
  Tensor x = ones({4, 2});
  // Like LibTorch's, a list's modules are called through their own types.
  x = list->at<nn::LinearImpl>(0).forward(x);
  x = list[1]->as<nn::ReLU>()->forward(x);
  x = list->ptr<nn::LinearImpl>(2)->forward(x);
  EXPECT_EQ(x.sizes(), (Shape{4, 1}));
  EXPECT_EQ(printed(*list[1]), "kiln::nn::ReLU()");
  list->eval();
  EXPECT_FALSE(list[2]->is_training());
  std::ostringstream os;
  os << *list;
  EXPECT_NE(os.str().find("kiln::nn::ModuleList(\n"), std::string::npos)
      << os.str();
  EXPECT_NE(os.str().find("(1): kiln::nn::ReLU()"), std::string::npos)
      << os.str();
  expectError([&] { (void)list[3]; }, {"ModuleList", "index 3", "3 modules"});
  expectError([&] { (void)list->at<nn::ReLUImpl>(0); },
              {"ModuleList", "module 0", "requested type"});
  // A state dict moves between lists of the same layout.
  nn::ModuleList other(nn::Linear(2, 3), nn::ReLU(), nn::Linear(3, 1, false));
  other->load_state_dict(list->state_dict());
  EXPECT_EQ(other[2]->parameters()[0].to_vector<float>(),
            list[2]->parameters()[0].to_vector<float>());
}

TEST(Containers, ModuleDictKeysAndErrors) {
  std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>> modules = {
      {"encoder", std::make_shared<nn::LinearImpl>(4, 2)},
      {"act", std::make_shared<nn::TanhImpl>()}};
  nn::ModuleDict dict(modules);
  auto head = dict->insert("head", nn::Linear(2, 1));
  EXPECT_EQ(head->weight.sizes(), (Shape{1, 2}));
  EXPECT_EQ(dict->keys(), (std::vector<std::string>{"encoder", "act", "head"}));
  EXPECT_EQ(stateNames(dict),
            (std::vector<std::string>{"encoder.weight", "encoder.bias",
                                      "head.weight", "head.bias"}));
  EXPECT_TRUE(dict->contains("act"));
  EXPECT_FALSE(dict->contains("decoder"));
  EXPECT_EQ(dict->size(), 3u);
  auto y = dict->at<nn::LinearImpl>("head").forward(
      dict["act"]->as<nn::Tanh>()->forward(
          dict["encoder"]->as<nn::Linear>()->forward(ones({5, 4}))));
  EXPECT_EQ(y.sizes(), (Shape{5, 1}));
  expectError([&] { (void)dict["decoder"]; },
              {"ModuleDict", "'decoder'", "encoder, act, head"});
  expectError([&] { dict->insert("act", nn::ReLU()); },
              {"ModuleDict", "'act'", "already exists"});
  expectError([&] { dict->insert("a.b", nn::ReLU()); },
              {"ModuleDict", "'a.b'", "'.'"});
}

//===----------------------------------------------------------------------===//
// nn::init
//===----------------------------------------------------------------------===//

struct Moments {
  double mean, std, maxAbs;
};

Moments moments(const Tensor &t) {
  auto v = values(t);
  double mean = 0, var = 0, maxAbs = 0;
  for (double x : v)
    mean += x / v.size();
  for (double x : v) {
    var += (x - mean) * (x - mean) / v.size();
    maxAbs = std::max(maxAbs, std::abs(x));
  }
  return {mean, std::sqrt(var), maxAbs};
}

TEST(Init, DistributionsFollowPyTorchsFormulas) {
  manual_seed(15);
  // [out=64, in=32, 3, 3]: fan_in = 32 * 9, fan_out = 64 * 9.
  auto w = empty({64, 32, 3, 3});
  double fanIn = 32 * 9, fanOut = 64 * 9;
  auto checkUniform = [&](double bound) {
    Moments m = moments(w);
    EXPECT_NEAR(m.mean, 0, 0.02 * bound);
    EXPECT_NEAR(m.std, bound / std::sqrt(3.0), 0.02 * bound);
    EXPECT_LE(m.maxAbs, bound * 1.001);
    EXPECT_GE(m.maxAbs, bound * 0.99);
  };
  auto checkNormal = [&](double std) {
    Moments m = moments(w);
    EXPECT_NEAR(m.mean, 0, 0.02 * std);
    EXPECT_NEAR(m.std, std, 0.02 * std);
  };
  nn::init::kaiming_uniform_(w, std::sqrt(5.0));
  checkUniform(1 / std::sqrt(fanIn)); // Linear's and Conv2d's default
  nn::init::kaiming_uniform_(w, 0, "fan_out", "relu");
  checkUniform(std::sqrt(6 / fanOut));
  nn::init::kaiming_normal_(w);
  checkNormal(std::sqrt(2 / (1 + 1e-4)) / std::sqrt(fanIn));
  nn::init::kaiming_normal_(w, 0, "fan_out", "relu");
  checkNormal(std::sqrt(2 / fanOut));
  nn::init::xavier_uniform_(w, 2.0);
  checkUniform(2 * std::sqrt(6 / (fanIn + fanOut)));
  nn::init::xavier_normal_(w);
  checkNormal(std::sqrt(2 / (fanIn + fanOut)));
  nn::init::normal_(w, 3, 2);
  EXPECT_NEAR(moments(w).mean, 3, 0.05);
  EXPECT_NEAR(moments(w).std, 2, 0.05);
  nn::init::uniform_(w, -1, 2);
  for (double v : values(w)) {
    EXPECT_GE(v, -1);
    EXPECT_LT(v, 2);
  }
  EXPECT_NEAR(moments(w).mean, 0.5, 0.02);
  EXPECT_NEAR(nn::init::calculate_gain("tanh"), 5.0 / 3, 1e-15);
  EXPECT_NEAR(nn::init::calculate_gain("relu"), std::sqrt(2.0), 1e-15);
  EXPECT_NEAR(nn::init::calculate_gain("leaky_relu", 0.2), std::sqrt(2 / 1.04),
              1e-15);
  EXPECT_EQ(nn::init::calculate_gain("conv2d"), 1);
  EXPECT_EQ(nn::init::calculate_gain("selu"), 0.75);
}

TEST(Init, FillsInPlaceReproduciblyAndKeepsParameters) {
  nn::Linear fc(3, 2);
  Tensor alias = fc->weight;
  manual_seed(16);
  auto first = values(nn::init::xavier_normal_(fc->weight));
  EXPECT_EQ(values(alias), first);
  manual_seed(16);
  EXPECT_EQ(values(nn::init::xavier_normal_(fc->weight)), first);
  EXPECT_TRUE(fc->weight.requires_grad());
  EXPECT_TRUE(fc->weight.is_leaf());
  EXPECT_FALSE(fc->weight.is_pending());
  nn::init::constant_(fc->bias, 2.5);
  EXPECT_EQ(values(fc->parameters()[1]), (std::vector<double>{2.5, 2.5}));
  nn::init::ones_(fc->weight);
  EXPECT_EQ(values(fc->weight), std::vector<double>(6, 1.0));
  nn::init::zeros_(fc->weight);
  EXPECT_EQ(values(fc->weight), std::vector<double>(6, 0.0));
  // The parameters still train: the gradient of sum(W x) is x for each row.
  fc->forward(tensor({{1.0f, 2.0f, 3.0f}})).sum().backward();
  EXPECT_EQ(values(fc->weight.grad()), (std::vector<double>{1, 2, 3, 1, 2, 3}));
  auto counts = zeros({4}, kInt64);
  nn::init::constant_(counts, 7);
  EXPECT_EQ(counts.to_vector<int64_t>(), (std::vector<int64_t>(4, 7)));
}

TEST(Init, Errors) {
  expectError([] { nn::init::xavier_uniform_(zeros({5})); },
              {"xavier_uniform_", "2 dimensions", "[5]"});
  expectError([] { nn::init::kaiming_uniform_(zeros({2, 2}), 0, "fan_avg"); },
              {"kaiming_uniform_", "fan_avg"});
  expectError(
      [] { nn::init::kaiming_normal_(zeros({2, 2}), 0, "fan_in", "swish"); },
      {"calculate_gain", "swish"});
  expectError([] { nn::init::uniform_(zeros({2}, kInt64)); },
              {"uniform_", "floating point", "int64"});
  expectError([] { nn::init::normal_(zeros({2}), 0, -1); }, {"normal_", "std"});
}

//===----------------------------------------------------------------------===//
// Module::to
//===----------------------------------------------------------------------===//

TEST(ModuleTo, ConvertsParametersAndBuffersInPlace) {
  nn::Sequential net(nn::Linear(3, 2), nn::BatchNorm1d(2));
  auto before = net->state_dict();
  Tensor weight = net->parameters()[0];
  std::vector<double> w = values(weight);
  net->to(kFloat64);
  // Integer buffers (BatchNorm's num_batches_tracked) keep their type.
  for (auto &[name, t] : net->state_dict())
    EXPECT_EQ(t.dtype(),
              name.ends_with("num_batches_tracked") ? kInt64 : kFloat64)
        << name;
  EXPECT_EQ(weight.dtype(), kFloat64); // the handle sees the conversion
  EXPECT_EQ(values(weight), w);
  EXPECT_TRUE(weight.requires_grad());
  auto y = net->forward(randn({4, 3}, kFloat64));
  EXPECT_EQ(y.dtype(), kFloat64);
  y.sum().backward();
  EXPECT_EQ(weight.grad().dtype(), kFloat64);
  expectError([&] { net->to(kInt64); }, {"Module::to", "int64"});
}

} // namespace
