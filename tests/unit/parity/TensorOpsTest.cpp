//===- TensorOpsTest.cpp - LibTorch's composed tensor ops ------------------===//
//
// remainder and fmod, running sums, flips, triangles, gathers, scatters,
// sorting and friends, in LibTorch's spelling: values against hand-computed
// ones and gradients against finite differences in float64.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <cmath>
#include <limits>

namespace {

using namespace kiln;
using kiln::testing::expectAllNear;
using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;
using kiln::testing::values;

TEST(ParityTensorOps, RemainderFmodAndRounding) {
  auto a = tensor({5.5, -5.5, 7.0, -7.0}, kFloat64);
  expectAllNear(values(a.remainder(2)), {1.5, 0.5, 1.0, 1.0}, 1e-12);
  expectAllNear(values(a % -2), {-0.5, -1.5, -1.0, -1.0}, 1e-12);
  expectAllNear(values(a.fmod(2)), {1.5, -1.5, 1.0, -1.0}, 1e-12);
  auto i = tensor({7, -7, 9});
  auto r = i % 4;
  EXPECT_EQ(r.dtype(), kInt64);
  EXPECT_EQ(r.to_vector<int64_t>(), (std::vector<int64_t>{3, 1, 1}));
  EXPECT_EQ(kiln::fmod(i, tensor({4, 4, 4})).to_vector<int64_t>(),
            (std::vector<int64_t>{3, -3, 1}));
  expectError([&] { i % 0; }, {"remainder", "division by zero"});
  expectError([&] { i.fmod(tensor({1, 0, 2})); }, {"fmod", "division by zero"});
  auto x = tensor({-1.5, -0.5, 0.5, 1.5, 2.5, 2.7}, kFloat64);
  expectAllNear(values(x.trunc()), {-1, -0, 0, 1, 2, 2}, 0);
  expectAllNear(values(x.ceil()), {-1, -0, 1, 2, 3, 3}, 0);
  expectAllNear(values(x.round()), {-2, -0, 0, 2, 2, 3}, 0);
  expectAllNear(values(x.frac()), {-0.5, -0.5, 0.5, 0.5, 0.5, 0.7}, 1e-12);
}

TEST(ParityTensorOps, NanAndInfinity) {
  double inf = std::numeric_limits<double>::infinity();
  auto x = tensor({1.0, std::nan(""), inf, -inf});
  EXPECT_EQ(x.isnan().to_vector<bool>(),
            (std::vector<bool>{false, true, false, false}));
  EXPECT_EQ(kiln::isinf(x).to_vector<bool>(),
            (std::vector<bool>{false, false, true, true}));
  EXPECT_EQ(x.isfinite().to_vector<bool>(),
            (std::vector<bool>{true, false, false, false}));
  auto fixed = x.nan_to_num(0.0, 100.0);
  EXPECT_EQ(fixed.to_vector<float>()[1], 0.0f);
  EXPECT_EQ(fixed.to_vector<float>()[2], 100.0f);
  EXPECT_EQ(fixed.to_vector<float>()[3], -std::numeric_limits<float>::max());
  EXPECT_FALSE(tensor({1, 2}).isnan().any().item<bool>());
}

TEST(ParityTensorOps, RunningSumsAndProducts) {
  auto x =
      tensor({{1.0, 2.0, 3.0, 4.0, 5.0}, {2.0, 0.0, 1.0, -1.0, 2.0}}, kFloat64);
  expectAllNear(values(x.cumsum(1)), {1, 3, 6, 10, 15, 2, 2, 3, 2, 4}, 0);
  expectAllNear(values(kiln::cumsum(x, 0)), {1, 2, 3, 4, 5, 3, 2, 4, 3, 7}, 0);
  expectAllNear(values(x.cumprod(1)), {1, 2, 6, 24, 120, 2, 0, 0, 0, 0}, 0);
  expectAllNear(values(x.prod(1)), {120, 0}, 0);
  EXPECT_EQ(x.prod().item<double>(), 0.0);
  EXPECT_EQ(x.prod(1, true).sizes(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(tensor({true, true, false}).cumsum(0).to_vector<int64_t>(),
            (std::vector<int64_t>{1, 2, 2}));
  auto big = tensor({1000.0, 1000.0}, kFloat64);
  EXPECT_NEAR(big.logsumexp({0}).item<double>(), 1000 + std::log(2.0), 1e-9);
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        Tensor x = in[0];
        return (x.cumsum(1) * x.cumprod(0)).sum() + x.prod(1).sum() +
               x.logsumexp({1}).sum();
      },
      {tensor({{0.5, -1.0, 2.0}, {1.5, 0.0, -0.5}}, kFloat64)});
}

TEST(ParityTensorOps, FlipRollTrianglesAndDiagonals) {
  auto m = arange(6).reshape({2, 3}).to(kFloat64);
  expectAllNear(values(m.flip({1})), {2, 1, 0, 5, 4, 3}, 0);
  expectAllNear(values(kiln::flip(m, {0, 1})), {5, 4, 3, 2, 1, 0}, 0);
  expectAllNear(values(m.roll({1}, {1})), {2, 0, 1, 5, 3, 4}, 0);
  expectAllNear(values(m.roll({2})), {4, 5, 0, 1, 2, 3}, 0);
  auto sq = arange(1, 10).reshape({3, 3}).to(kFloat64);
  expectAllNear(values(sq.tril()), {1, 0, 0, 4, 5, 0, 7, 8, 9}, 0);
  expectAllNear(values(sq.triu(1)), {0, 2, 3, 0, 0, 6, 0, 0, 0}, 0);
  expectAllNear(values(sq.diag()), {1, 5, 9}, 0);
  expectAllNear(values(sq.diag(1)), {2, 6}, 0);
  expectAllNear(values(sq.diag(-1)), {4, 8}, 0);
  EXPECT_EQ(sq.trace().item<double>(), 15);
  expectAllNear(values(tensor({1.0, 2.0}).diag(1)), {0, 1, 0, 0, 0, 2, 0, 0, 0},
                0);
  expectAllNear(values(m.repeat({2, 1})), {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5},
                0);
  EXPECT_EQ(tensor({1, 2}).repeat({2, 2}).sizes(),
            (std::vector<int64_t>{2, 4}));
  auto parts = m.unbind(1);
  ASSERT_EQ(parts.size(), 3u);
  expectAllNear(values(parts[2]), {2, 5}, 0);
  expectError([&] { m.repeat({2}); }, {"repeat", "at least as many"});
  expectError([&] { tensor({1.0}).tril(); }, {"tril", "2 dimensions"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        Tensor x = in[0];
        return (x.flip({0}) * x.roll({1}, {1}) + x.tril() * 2 - x.triu(1))
                   .pow(2)
                   .sum() +
               x.diag().sum() * x.repeat({2, 1}).sum();
      },
      {tensor({{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}, {1.0, 2.0, 3.0}},
              kFloat64)});
}

TEST(ParityTensorOps, GatherAndScatter) {
  auto x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  auto index = tensor({{2, 0}, {1, 1}});
  auto picked = x.gather(1, index);
  expectAllNear(values(picked), {3, 1, 5, 5}, 0);
  expectAllNear(values(kiln::gather(x, 0, tensor({{1, 0, 1}}))), {4, 2, 6}, 0);
  auto added = zeros({2, 3}).scatter_add(1, index, ones({2, 2}));
  expectAllNear(values(added), {1, 0, 1, 0, 2, 0}, 0);
  auto written =
      zeros({2, 3}).scatter(1, index, tensor({{7.0f, 8.0f}, {9.0f, 10.0f}}));
  // Of the two writes to (1, 1) the last one stays.
  expectAllNear(values(written), {8, 0, 7, 0, 10, 0}, 0);
  expectAllNear(values(zeros({2, 3}).scatter(1, index, 5)), {5, 0, 5, 0, 5, 0},
                0);
  // The class scores of a batch, as a loss picks them.
  auto logits = tensor({{0.1f, 0.9f}, {0.8f, 0.2f}});
  auto labels = tensor({1, 0});
  expectAllNear(values(logits.gather(1, labels.unsqueeze(1)).squeeze(1)),
                {0.9, 0.8}, 1e-6);
  expectError([&] { x.gather(1, tensor({{3}, {0}})); },
              {"gather", "index 3 is out of bounds", "size 3"});
  expectError([&] { x.gather(1, tensor({1.0f})); },
              {"gather", "integer tensor"});
  expectError([&] { x.gather(1, tensor({1})); }, {"gather", "2 dimensions"});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<Tensor> &in) {
        Tensor src = in[0];
        return (src.gather(1, index) * 3).pow(2).sum() +
               in[1].scatter_add(1, index, src.narrow(1, 0, 2)).pow(2).sum() +
               in[1].scatter(1, tensor({{0, 2}, {1, 0}}), src).pow(2).sum();
      },
      {tensor({{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}}, kFloat64),
       tensor({{1.0, 2.0, 3.0}, {-1.0, 0.5, 0.0}}, kFloat64)});
}

TEST(ParityTensorOps, SortArgsortTopkAndRandperm) {
  auto x = tensor({{3.0f, 1.0f, 2.0f, 1.0f}, {0.0f, -1.0f, 5.0f, 4.0f}});
  auto [sorted, order] = x.sort(1);
  expectAllNear(values(sorted), {1, 1, 2, 3, -1, 0, 4, 5}, 0);
  EXPECT_EQ(order.dtype(), kInt64);
  EXPECT_EQ(order.to_vector<int64_t>(),
            (std::vector<int64_t>{1, 3, 2, 0, 1, 0, 3, 2}));
  auto [down, downOrder] = kiln::sort(x, 1, /*descending=*/true);
  expectAllNear(values(down), {3, 2, 1, 1, 5, 4, 0, -1}, 0);
  EXPECT_EQ(x.argsort(0).to_vector<int64_t>(),
            (std::vector<int64_t>{1, 1, 0, 0, 0, 0, 1, 1}));
  auto [top, topIndex] = x.topk(2);
  expectAllNear(values(top), {3, 2, 5, 4}, 0);
  EXPECT_EQ(topIndex.to_vector<int64_t>(), (std::vector<int64_t>{0, 2, 2, 3}));
  auto [low, lowIndex] = x.topk(1, 1, /*largest=*/false);
  expectAllNear(values(low), {1, -1}, 0);
  auto withNan = tensor({2.0, std::nan(""), -1.0});
  auto [nanSorted, nanOrder] = withNan.sort();
  EXPECT_EQ(nanOrder.to_vector<int64_t>(), (std::vector<int64_t>{2, 0, 1}));
  EXPECT_TRUE(std::isnan(nanSorted.to_vector<double>()[2]));
  expectError([&] { x.topk(5); }, {"topk", "k = 5", "4 elements"});

  manual_seed(7);
  auto perm = randperm(10);
  EXPECT_EQ(perm.dtype(), kInt64);
  auto seen = perm.to_vector<int64_t>();
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        auto [v, i] = in[0].sort(1);
        auto [t, ti] = in[0].topk(2, 0);
        return (v * tensor({1.0, 2.0, 3.0}, kFloat64)).sum() + t.pow(2).sum();
      },
      {tensor({{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}}, kFloat64)});
}

TEST(ParityTensorOps, ProductsAndInterpolation) {
  auto a = tensor({1.0, 2.0}, kFloat64), b = tensor({3.0, 4.0, 5.0}, kFloat64);
  expectAllNear(values(a.outer(b)), {3, 4, 5, 6, 8, 10}, 0);
  EXPECT_EQ(kiln::dot(b, b).item<double>(), 50);
  auto m = ones({2, 2}, kFloat64);
  expectAllNear(values(m.addmm(m, m, 0.5, 2)), {4.5, 4.5, 4.5, 4.5}, 0);
  expectAllNear(values(a.lerp(tensor({3.0, 6.0}, kFloat64), 0.25)), {1.5, 3.0},
                1e-12);
  expectAllNear(values(a.clamp_min(1.5)), {1.5, 2}, 0);
  expectAllNear(values(a.clamp_max(1.5)), {1, 1.5}, 0);
  expectError([&] { a.outer(m); }, {"outer", "two vectors"});
  expectError([&] { a.dot(b); }, {"dot", "one length"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        return (in[0].outer(in[1]) * 2).sum() + in[0].dot(in[0]) +
               in[1].lerp(in[1] * 3, 0.5).pow(2).sum() +
               in[2].addmm(in[2], in[2], 0.5, 2).pow(2).sum() +
               in[0].remainder(1.5).sum();
      },
      {tensor({0.2, -1.3}, kFloat64), tensor({0.5, 2.0, -1.0}, kFloat64),
       tensor({{0.5, -1.0}, {1.5, 0.25}}, kFloat64)});
}

TEST(ParityTensorOps, Bernoulli) {
  manual_seed(3);
  auto coins = bernoulli(full({4000}, 0.3, kFloat64));
  EXPECT_NEAR(coins.mean().item<double>(), 0.3, 0.03);
  EXPECT_TRUE(kiln::equal(coins, coins.round()));
  auto filled = empty({2000}).bernoulli_(0.8);
  EXPECT_NEAR(filled.mean().item<float>(), 0.8f, 0.03f);
  expectError([] { empty({2}).bernoulli_(1.5); }, {"bernoulli_", "p=1.5"});
}

TEST(ParityInit, OrthogonalDiracAndSparse) {
  manual_seed(11);
  auto wide = empty({3, 5}, kFloat64);
  nn::init::orthogonal_(wide);
  expectAllNear(values(wide.mm(wide.t())), values(eye(3, {}, kFloat64)), 1e-12);
  auto tall = empty({6, 2, 2});
  nn::init::orthogonal_(tall, 2.0);
  auto flat = tall.reshape({6, 4});
  expectAllNear(values(flat.t().mm(flat)), values(eye(4) * 4), 1e-5);

  auto w = empty({4, 2, 3, 3});
  nn::init::dirac_(w, 2);
  EXPECT_EQ(w.sum().item<float>(), 4.0f);
  EXPECT_EQ(w.index({0, 0, 1, 1}).item<float>(), 1.0f);
  EXPECT_EQ(w.index({3, 1, 1, 1}).item<float>(), 1.0f);
  // A convolution with it passes its input through.
  auto x = randn({1, 2, 5, 5});
  nn::init::dirac_(w.narrow(0, 0, 2));
  auto same = nn::functional::conv2d(
      x, w.narrow(0, 0, 2), nn::functional::Conv2dFuncOptions().padding(1));
  expectAllNear(values(same), values(x), 1e-6);

  auto s = empty({10, 4});
  nn::init::sparse_(s, 0.3, 0.5);
  auto zerosPerColumn = (s == 0).to(kInt64).sum(0);
  EXPECT_EQ(zerosPerColumn.to_vector<int64_t>(),
            (std::vector<int64_t>{3, 3, 3, 3}));
  expectError([] { nn::init::sparse_(empty({2, 2, 2}), 0.5); },
              {"sparse_", "2-D"});
  expectError([] { nn::init::dirac_(empty({3, 2, 3}), 2); },
              {"dirac_", "groups"});
}

TEST(ParityTensorOps, InPlaceVariantsAndLayout) {
  auto x = tensor({-1.5, 0.25, 4.0}, kFloat64);
  auto y = x.clone();
  y.abs_().sqrt_();
  expectAllNear(values(y), {std::sqrt(1.5), 0.5, 2.0}, 1e-12);
  auto z = x.clone();
  z.neg_().exp_();
  expectAllNear(values(z), {std::exp(1.5), std::exp(-0.25), std::exp(-4.0)},
                1e-12);
  auto w = x.clone();
  w.pow_(2).clamp_max_(3.0).clamp_min_(0.1);
  expectAllNear(values(w), {2.25, 0.1, 3.0}, 1e-12);
  auto m = x.clone();
  m.masked_fill_(m < 0, 7);
  expectAllNear(values(m), {7, 0.25, 4}, 0);
  auto f = x.clone();
  f.floor_();
  expectAllNear(values(f), {-2, 0, 4}, 0);
  auto r = x.clone();
  r.remainder_(2);
  expectAllNear(values(r), {0.5, 0.25, 0}, 1e-12);
  // Through a view, as every in-place op.
  auto grid = ones({2, 3});
  grid[1].mul_(-2).abs_();
  expectAllNear(values(grid), {1, 1, 1, 2, 2, 2}, 0);

  auto d = zeros({3, 4});
  d.fill_diagonal_(5);
  expectAllNear(values(d), {5, 0, 0, 0, 0, 5, 0, 0, 0, 0, 5, 0}, 0);
  auto tall = zeros({7, 3});
  tall.fill_diagonal_(1, /*wrap=*/true);
  EXPECT_EQ(tall.sum().item<float>(), 6.0f);
  EXPECT_EQ(tall.index({4, 0}).item<float>(), 1.0f);
  auto tallNoWrap = zeros({7, 3});
  tallNoWrap.fill_diagonal_(1);
  EXPECT_EQ(tallNoWrap.sum().item<float>(), 3.0f);

  auto s = arange(6).reshape({2, 3});
  auto handle = s;
  s.t_();
  EXPECT_EQ(handle.sizes(), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(handle.to_vector<int64_t>(),
            (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
  s.unsqueeze_(0);
  EXPECT_EQ(s.sizes(), (std::vector<int64_t>{1, 3, 2}));
  s.squeeze_();
  s.transpose_(0, 1);
  EXPECT_EQ(s.sizes(), (std::vector<int64_t>{2, 3}));

  auto layout = zeros({2, 3, 4}, kFloat64);
  EXPECT_EQ(layout.strides(), (std::vector<int64_t>{12, 4, 1}));
  EXPECT_EQ(layout.stride(-2), 4);
  EXPECT_EQ(layout.element_size(), 8);
  EXPECT_EQ(layout.nbytes(), 192);
  EXPECT_EQ(layout.storage_offset(), 0);
  EXPECT_TRUE(layout.is_signed());
  EXPECT_FALSE(zeros({1}, kBool).is_signed());
  EXPECT_TRUE(layout.is_same_size(ones({2, 3, 4})));
  EXPECT_FALSE(layout.is_same_size(ones({2, 3})));
}

TEST(ParityTensorOps, NonzeroMaskedSelectMedianKthvalue) {
  auto x = tensor({{0.0, 2.0, 0.0}, {3.0, 0.0, -1.0}}, kFloat64);
  auto where = x.nonzero();
  EXPECT_EQ(where.sizes(), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(where.to_vector<int64_t>(),
            (std::vector<int64_t>{0, 1, 1, 0, 1, 2}));
  EXPECT_EQ(kiln::nonzero(zeros({4})).sizes(), (std::vector<int64_t>{0, 1}));
  EXPECT_TRUE(equal(x.argwhere(), where));
  expectAllNear(values(x.masked_select(x > 0)), {2, 3}, 0);
  // The mask broadcasts.
  expectAllNear(values(x.masked_select(tensor({true, false, true}))),
                {0, 0, 3, -1}, 0);
  expectError([&] { x.masked_select(tensor({1, 0, 1})); },
              {"masked_select", "bool"});

  auto m = tensor({{5.0, 1.0, 4.0, 2.0}, {0.0, 9.0, 8.0, 7.0}}, kFloat64);
  EXPECT_EQ(m.median().item<double>(), 4.0);
  auto [med, medIndex] = m.median(1);
  expectAllNear(values(med), {2, 7}, 0);
  EXPECT_EQ(medIndex.to_vector<int64_t>(), (std::vector<int64_t>{3, 3}));
  auto [third, thirdIndex] = m.kthvalue(3, 1, /*keepdim=*/true);
  EXPECT_EQ(third.sizes(), (std::vector<int64_t>{2, 1}));
  expectAllNear(values(third), {4, 8}, 0);
  expectError([&] { m.kthvalue(5); }, {"kthvalue", "k = 5"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<Tensor> &in) {
        auto [k, ki] = in[0].kthvalue(2, 1);
        return in[0].masked_select(in[0] > 0).pow(2).sum() + k.sum() +
               in[0].median() * 3;
      },
      {tensor({{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}}, kFloat64)});
}

} // namespace
