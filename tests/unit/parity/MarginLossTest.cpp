//===- MarginLossTest.cpp - Margin, embedding and count losses ------------===//
//
// LibTorch's MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss,
// MultiMarginLoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss,
// CosineEmbeddingLoss, TripletMarginLoss, TripletMarginWithDistanceLoss and
// PoissonNLLLoss, as modules and in nn::functional, against references
// computed element by element here, with gradients checked by finite
// differences in f64.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

namespace {

using namespace kiln;
namespace F = kiln::nn::functional;
using kiln::testing::expectAllNear;
using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;
using kiln::testing::values;

template <typename M> std::string printed(const M &module) {
  std::ostringstream os;
  module->pretty_print(os);
  return os.str();
}

double mean(const std::vector<double> &v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s / static_cast<double>(v.size());
}

TEST(ParityMarginLoss, PairwiseHinges) {
  auto x1 = tensor({0.5, -1.0, 2.0, 0.25}, kFloat64);
  auto x2 = tensor({1.0, -2.0, 2.5, 0.0}, kFloat64);
  auto y = tensor({1.0, -1.0, -1.0, 1.0}, kFloat64);
  // max(0, -y (x1 - x2) + margin) with margin 0.5.
  nn::MarginRankingLoss ranking(
      nn::MarginRankingLossOptions().margin(0.5).reduction(kNone));
  expectAllNear(values(ranking(x1, x2, y)), {1.0, 1.5, 0.0, 0.25}, 1e-12);
  EXPECT_NEAR(F::margin_ranking_loss(
                  x1, x2, y, F::MarginRankingLossFuncOptions().margin(0.5))
                  .item<double>(),
              2.75 / 4, 1e-12);

  // x where y = 1, max(0, margin - x) where y = -1.
  nn::HingeEmbeddingLoss hinge(nn::HingeEmbeddingLossOptions().margin(1.0));
  EXPECT_NEAR(hinge(x1, y).item<double>(), (0.5 + 2.0 + 0.0 + 0.25) / 4, 1e-12);
  EXPECT_NEAR(F::hinge_embedding_loss(
                  x1, y, F::HingeEmbeddingLossFuncOptions().reduction(kSum))
                  .item<double>(),
              2.75, 1e-12);

  // log(1 + exp(-y x)), stable for large |x|.
  auto big = tensor({50.0, -50.0}, kFloat64);
  auto signs = tensor({-1.0, -1.0}, kFloat64);
  nn::SoftMarginLoss soft(kNone);
  expectAllNear(values(soft(big, signs)), {50.0, std::log1p(std::exp(-50.0))},
                1e-9);
  std::vector<double> expected;
  for (int i = 0; i < 4; ++i)
    expected.push_back(std::log1p(std::exp(-values(y)[i] * values(x1)[i])));
  EXPECT_NEAR(F::soft_margin_loss(x1, y).item<double>(), mean(expected), 1e-12);
  EXPECT_EQ(printed(ranking), "kiln::nn::MarginRankingLoss()");
  EXPECT_EQ(printed(hinge), "kiln::nn::HingeEmbeddingLoss(margin=1)");
  EXPECT_EQ(printed(soft), "kiln::nn::SoftMarginLoss()");
}

/// The multi-class hinge loss of one row, as its definition says.
double multiMargin(const std::vector<double> &x, int64_t y, int p,
                   double margin, double w) {
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i)
    if (static_cast<int64_t>(i) != y)
      sum += std::pow(std::max(0.0, margin - x[y] + x[i]), p) * w;
  return sum / static_cast<double>(x.size());
}

TEST(ParityMarginLoss, MultiMargin) {
  manual_seed(5);
  auto x = randn({4, 3}, kFloat64);
  auto y = tensor({0, 2, 1, 2});
  auto w = tensor({0.5, 2.0, 1.5}, kFloat64);
  std::vector<double> xs = values(x);
  std::vector<int64_t> ys = y.to_vector<int64_t>();
  std::vector<double> ws = values(w);
  for (int p : {1, 2}) {
    nn::MultiMarginLoss loss(
        nn::MultiMarginLossOptions().p(p).margin(0.7).weight(w).reduction(
            kNone));
    std::vector<double> expected;
    for (int n = 0; n < 4; ++n)
      expected.push_back(
          multiMargin({xs.begin() + 3 * n, xs.begin() + 3 * n + 3}, ys[n], p,
                      0.7, ws[ys[n]]));
    expectAllNear(values(loss(x, y)), expected, 1e-12);
  }
  std::vector<double> plain;
  for (int n = 0; n < 4; ++n)
    plain.push_back(multiMargin({xs.begin() + 3 * n, xs.begin() + 3 * n + 3},
                                ys[n], 1, 1.0, 1.0));
  EXPECT_NEAR(F::multi_margin_loss(x, y).item<double>(), mean(plain), 1e-12);
  // One sample: [C] scores and a 0-d target.
  EXPECT_NEAR(F::multi_margin_loss(x[1], y[1]).item<double>(), plain[1], 1e-12);
  nn::MultiMarginLoss weighted(nn::MultiMarginLossOptions().weight(w));
  EXPECT_EQ(weighted->named_buffers().size(), 1u);
  EXPECT_EQ(printed(nn::MultiMarginLoss()),
            "kiln::nn::MultiMarginLoss(p=1, margin=1, weight=[ Tensor "
            "(undefined) ], reduction=mean)");
  expectError([&] { nn::MultiMarginLoss(nn::MultiMarginLossOptions().p(3)); },
              {"MultiMarginLoss", "p must be 1 or 2"});
  expectError([&] { F::multi_margin_loss(x, tensor({0, 3, 1, 2})); },
              {"multi_margin_loss", "target 3 is out of range for 3 classes"});
  expectError([&] { F::multi_margin_loss(x, tensor({0, 1})); },
              {"multi_margin_loss", "[N, C]", "[2]"});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        return F::multi_margin_loss(
            in[0], y, F::MultiMarginLossFuncOptions().p(2).weight(w));
      },
      {x});
}

TEST(ParityMarginLoss, MultiLabelMargin) {
  // Sample 0's targets are classes 3 and 0 (then -1 ends them); sample 1's
  // only class 1; the entries after the -1 do not count.
  auto x = tensor({{0.1, 0.2, 0.4, 0.8}, {0.5, -0.3, 0.9, 0.0}}, kFloat64);
  auto y = tensor({{3, 0, -1, 1}, {1, -1, 2, 0}});
  auto hinge = [](double v) { return std::max(0.0, 1 - v); };
  const auto &r0 = values(x[0]);
  const auto &r1 = values(x[1]);
  double loss0 = (hinge(r0[3] - r0[1]) + hinge(r0[3] - r0[2]) +
                  hinge(r0[0] - r0[1]) + hinge(r0[0] - r0[2])) /
                 4;
  double loss1 =
      (hinge(r1[1] - r1[0]) + hinge(r1[1] - r1[2]) + hinge(r1[1] - r1[3])) / 4;
  nn::MultiLabelMarginLoss loss(kNone);
  expectAllNear(values(loss(x, y)), {loss0, loss1}, 1e-12);
  EXPECT_NEAR(F::multilabel_margin_loss(x, y).item<double>(),
              (loss0 + loss1) / 2, 1e-12);
  EXPECT_NEAR(F::multilabel_margin_loss(x[0], y[0]).item<double>(), loss0,
              1e-12);
  EXPECT_EQ(printed(loss), "kiln::nn::MultiLabelMarginLoss()");
  expectError([&] { F::multilabel_margin_loss(x, tensor({{4, -1}, {0, -1}})); },
              {"multilabel_margin_loss", "must have the same shape"});
  expectError(
      [&] {
        F::multilabel_margin_loss(x, tensor({{4, -1, 0, 0}, {0, -1, 0, 0}}));
      },
      {"multilabel_margin_loss", "target 4 is out of range"});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        return F::multilabel_margin_loss(in[0], y);
      },
      {x});
}

TEST(ParityMarginLoss, MultiLabelSoftMargin) {
  auto x = tensor({{0.3, -1.2, 2.0}, {-0.5, 0.7, 0.1}}, kFloat64);
  auto y = tensor({{1.0, 0.0, 1.0}, {0.0, 1.0, 0.0}}, kFloat64);
  auto w = tensor({1.0, 2.0, 0.5}, kFloat64);
  auto sigmoid = [](double v) { return 1 / (1 + std::exp(-v)); };
  std::vector<double> expected;
  for (int n = 0; n < 2; ++n) {
    double sum = 0;
    for (int c = 0; c < 3; ++c) {
      double v = values(x)[3 * n + c], t = values(y)[3 * n + c];
      sum += -values(w)[c] *
             (t * std::log(sigmoid(v)) + (1 - t) * std::log(1 - sigmoid(v)));
    }
    expected.push_back(sum / 3);
  }
  nn::MultiLabelSoftMarginLoss loss(
      nn::MultiLabelSoftMarginLossOptions().weight(w).reduction(kNone));
  expectAllNear(values(loss(x, y)), expected, 1e-12);
  EXPECT_EQ(loss->named_buffers().size(), 1u);
  EXPECT_NEAR(F::multilabel_soft_margin_loss(
                  x, y, F::MultilabelSoftMarginLossFuncOptions().weight(w))
                  .item<double>(),
              mean(expected), 1e-12);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        return F::multilabel_soft_margin_loss(in[0], y);
      },
      {x});
}

TEST(ParityMarginLoss, CosineEmbedding) {
  auto a = tensor({{1.0, 0.0}, {1.0, 1.0}, {0.0, 0.0}}, kFloat64);
  auto b = tensor({{0.0, 2.0}, {2.0, 2.0}, {1.0, 0.0}}, kFloat64);
  auto y = tensor({1, -1, -1});
  // cos = 0, 1 and 0 (a zero vector): 1 - 0, max(0, 1 - 0.5), max(0, 0 - 0.5).
  nn::CosineEmbeddingLoss loss(
      nn::CosineEmbeddingLossOptions().margin(0.5).reduction(kNone));
  expectAllNear(values(loss(a, b, y)), {1.0, 0.5, 0.0}, 1e-9);
  EXPECT_NEAR(F::cosine_embedding_loss(a[1], b[0], tensor(1)).item<double>(),
              1 - 2 / (std::sqrt(2.0) * 2), 1e-9);
  EXPECT_EQ(printed(loss), "kiln::nn::CosineEmbeddingLoss(margin=0.5)");
  expectError([&] { loss(a, b, tensor({1, -1})); },
              {"cosine_embedding_loss", "target [3]", "[2]"});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        return F::cosine_embedding_loss(
            in[0], in[1], tensor({1, -1}),
            F::CosineEmbeddingLossFuncOptions().margin(-0.5));
      },
      {tensor({{0.3, -0.8}, {1.1, 0.4}}, kFloat64),
       tensor({{0.9, 0.2}, {-0.6, 0.5}}, kFloat64)});
}

TEST(ParityMarginLoss, Triplets) {
  manual_seed(11);
  auto anchor = randn({5, 4}, kFloat64);
  auto positive = randn({5, 4}, kFloat64);
  auto negative = randn({5, 4}, kFloat64);
  auto distance = [](const Tensor &u, const Tensor &v, double p, double eps,
                     int64_t row) {
    double sum = 0;
    for (int64_t k = 0; k < 4; ++k)
      sum += std::pow(
          std::abs(values(u)[4 * row + k] - values(v)[4 * row + k] + eps), p);
    return std::pow(sum, 1 / p);
  };
  for (bool swap : {false, true}) {
    nn::TripletMarginLoss loss(
        nn::TripletMarginLossOptions().margin(2.0).p(3).swap(swap).reduction(
            kNone));
    std::vector<double> expected;
    for (int64_t n = 0; n < 5; ++n) {
      double dn = distance(anchor, negative, 3, 1e-6, n);
      if (swap)
        dn = std::min(dn, distance(positive, negative, 3, 1e-6, n));
      expected.push_back(
          std::max(0.0, 2.0 + distance(anchor, positive, 3, 1e-6, n) - dn));
    }
    expectAllNear(values(loss(anchor, positive, negative)), expected, 1e-9);
  }
  EXPECT_EQ(printed(nn::TripletMarginLoss()),
            "kiln::nn::TripletMarginLoss(margin=1, p=2, eps=1e-06, "
            "swap=false)");

  // Any distance: here 1 - cosine similarity; the default is the
  // pairwise distance, as triplet_margin_loss's.
  auto cosineDistance = [](const Tensor &u, const Tensor &v) {
    return 1 - F::cosine_similarity(u, v);
  };
  nn::TripletMarginWithDistanceLoss custom(
      nn::TripletMarginWithDistanceLossOptions()
          .distance_function(cosineDistance)
          .margin(0.5));
  auto expected = (0.5 + cosineDistance(anchor, positive) -
                   cosineDistance(anchor, negative))
                      .clamp_min(0)
                      .mean();
  EXPECT_NEAR(custom(anchor, positive, negative).item<double>(),
              expected.item<double>(), 1e-12);
  EXPECT_NEAR(F::triplet_margin_with_distance_loss(anchor, positive, negative)
                  .item<double>(),
              F::triplet_margin_loss(anchor, positive, negative).item<double>(),
              1e-12);
  EXPECT_EQ(printed(custom),
            "kiln::nn::TripletMarginWithDistanceLoss(margin=0.5, swap=false)");
  expectError([&] { F::triplet_margin_loss(anchor, positive, negative[0]); },
              {"triplet_margin_loss", "negative [4]", "anchor [5, 4]"});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        return F::triplet_margin_loss(
            in[0], in[1], in[2],
            F::TripletMarginLossFuncOptions().margin(3.0).swap(true));
      },
      {anchor, positive, negative});
}

TEST(ParityMarginLoss, PoissonNLL) {
  auto rates = tensor({0.5, 1.5, 3.0, 0.2}, kFloat64);
  auto counts = tensor({0.0, 1.0, 4.0, 2.0}, kFloat64);
  std::vector<double> logInput, plain, full;
  for (int i = 0; i < 4; ++i) {
    double x = values(rates)[i], y = values(counts)[i];
    logInput.push_back(std::exp(x) - y * x);
    plain.push_back(x - y * std::log(x + 1e-8));
    double stirling =
        y > 1 ? y * std::log(y) - y + 0.5 * std::log(2 * std::numbers::pi * y)
              : 0;
    full.push_back(plain.back() + stirling);
  }
  nn::PoissonNLLLoss loss(nn::PoissonNLLLossOptions().reduction(kNone));
  expectAllNear(values(loss(rates, counts)), logInput, 1e-12);
  expectAllNear(
      values(F::poisson_nll_loss(
          rates, counts,
          F::PoissonNLLLossFuncOptions().log_input(false).reduction(kNone))),
      plain, 1e-12);
  EXPECT_NEAR(F::poisson_nll_loss(
                  rates, counts,
                  F::PoissonNLLLossFuncOptions().log_input(false).full(true))
                  .item<double>(),
              mean(full), 1e-12);
  EXPECT_EQ(printed(loss), "kiln::nn::PoissonNLLLoss()");
  expectError(
      [&] {
        F::poisson_nll_loss(rates, counts,
                            F::PoissonNLLLossFuncOptions().reduction("avg"));
      },
      {"poisson_nll_loss", "reduction must be"});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        return F::poisson_nll_loss(in[0], counts) +
               F::poisson_nll_loss(
                   in[0], counts,
                   F::PoissonNLLLossFuncOptions().log_input(false).full(true));
      },
      {rates});
}

TEST(ParityMarginLoss, PairwiseGradients) {
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        auto y = tensor({1.0, -1.0, 1.0}, kFloat64);
        return F::margin_ranking_loss(in[0], in[1], y) +
               F::hinge_embedding_loss(in[0], y) +
               F::soft_margin_loss(in[1], y);
      },
      {tensor({0.3, -0.2, 1.4}, kFloat64), tensor({-0.7, 0.6, 0.1}, kFloat64)});
}

TEST(ParityMarginLoss, LossesTrainAnEmbedding) {
  // A triplet loss pulls an anchor towards its positive.
  manual_seed(2);
  nn::Linear embed(4, 2);
  optim::SGD opt(embed->parameters(), optim::SGDOptions(0.1));
  nn::TripletMarginLoss criterion;
  auto a = randn({8, 4}), p = a + 0.1 * randn({8, 4}), n = randn({8, 4});
  double first = 0, last = 0;
  for (int step = 0; step < 30; ++step) {
    opt.zero_grad();
    auto loss = criterion(embed(a), embed(p), embed(n));
    loss.backward();
    opt.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  EXPECT_LT(last, first);
}

} // namespace
