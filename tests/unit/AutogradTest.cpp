//===- AutogradTest.cpp - backward(), grad(), no_grad through the frontend ===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace kiln;
using kiln::testing::values;

namespace {

using kiln::testing::expectError;

TEST(Autograd, BackwardOfASquareAndAccumulation) {
  auto x = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  EXPECT_TRUE(x.is_leaf());
  auto y = (x * x).sum();
  EXPECT_FALSE(y.is_leaf());
  ASSERT_TRUE(y.grad_fn());
  EXPECT_EQ(y.grad_fn()->name(), "ReduceSumBackward0");
  EXPECT_NE(y.grad_fn()->str().find("kiln.reduce_sum (at "), std::string::npos);
  y.backward({}, /*retain_graph=*/true);
  EXPECT_EQ(values(x.grad()), (std::vector<double>{2, 4, 6}));
  y.backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{4, 8, 12}));
  x.mutable_grad() = Tensor(); // zero_grad(set_to_none)
  (x * 3).sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{3, 3, 3}));
}

TEST(Autograd, ForwardAndBackwardRunAsOneProgram) {
  auto w = tensor({{0.5, -1.0}, {2.0, 0.25}}, kFloat64).requires_grad_();
  auto x = tensor({{1.0, 2.0}}, kFloat64);
  auto loss = relu(x.matmul(w)).sum();
  loss.backward();
  EXPECT_TRUE(loss.is_pending());
  EXPECT_TRUE(w.grad().is_pending());
  uint64_t before = stats().realizes;
  EXPECT_EQ(loss.item<double>(), 4.5); // relu([4.5, -0.5]) summed
  EXPECT_EQ(stats().realizes, before + 1);
  // d loss / d w[i][j] = x[i] * (column j active)
  EXPECT_EQ(values(w.grad()), (std::vector<double>{1, 0, 2, 0}));
  EXPECT_EQ(stats().realizes, before + 1);
}

TEST(Autograd, BroadcastAndNonScalarGradients) {
  auto b = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  auto x = ones({3, 2}, kFloat64);
  auto y = x * b; // b broadcast over 3 rows
  y.backward(full({3, 2}, 2.0, kFloat64));
  EXPECT_EQ(values(b.grad()), (std::vector<double>{6, 6}));
}

TEST(Autograd, BackwardAfterTheForwardWasRealized) {
  auto x = tensor({3.0}, kFloat64).requires_grad_();
  auto y = (x * x * x).sum();
  EXPECT_EQ(y.item<double>(), 27); // realized first...
  y.backward();                    // ...history is kept for backward
  EXPECT_EQ(values(x.grad()), (std::vector<double>{27}));
}

TEST(Autograd, MatchesFiniteDifferencesForAnMlpLoss) {
  manual_seed(1);
  auto x = randn({4, 3}, kFloat64);
  auto w1 = randn({3, 5}, kFloat64).requires_grad_();
  auto b1 = randn({5}, kFloat64).requires_grad_();
  auto w2 = randn({5, 2}, kFloat64).requires_grad_();
  auto lossOf = [&](const Tensor &a, const Tensor &b, const Tensor &c) {
    return -log_softmax(tanh(x.matmul(a) + b).matmul(c), 1)
                .index({indexing::Slice(), 0})
                .mean();
  };
  lossOf(w1, b1, w2).backward();
  // Central differences on every entry of w1 (h = 1e-6, f64).
  std::vector<double> analytic = values(w1.grad());
  std::vector<double> base = values(w1);
  for (size_t i = 0; i < base.size(); ++i) {
    auto shifted = [&](double h) {
      std::vector<double> v = base;
      v[i] += h;
      NoGradGuard noGrad;
      return lossOf(tensor(v, kFloat64).reshape({3, 5}), b1.detach(),
                    w2.detach())
          .item<double>();
    };
    double numeric = (shifted(1e-6) - shifted(-1e-6)) / 2e-6;
    EXPECT_NEAR(analytic[i], numeric, 1e-6 + 1e-5 * std::abs(numeric)) << i;
  }
}

TEST(Autograd, GradOfGrad) {
  auto x = tensor({2.0}, kFloat64).requires_grad_();
  auto y = (x * x * x).sum();
  auto dy = autograd::grad({y}, {x}, {}, /*retain_graph=*/true,
                           /*create_graph=*/true)[0];
  EXPECT_EQ(values(dy), (std::vector<double>{12})); // 3x^2
  auto d2y = autograd::grad({dy.sum()}, {x})[0];
  EXPECT_EQ(values(d2y), (std::vector<double>{12})); // 6x
  EXPECT_FALSE(x.grad().defined()); // autograd::grad does not accumulate
}

TEST(Autograd, NoGradDetachAndErrors) {
  auto x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  {
    NoGradGuard noGrad;
    EXPECT_FALSE((x * 2).requires_grad());
  }
  EXPECT_TRUE((x * 2).requires_grad());
  EXPECT_FALSE(x.detach().requires_grad());
  EXPECT_FALSE((x > 1).requires_grad()); // bools have no gradient
  auto y = (x.detach() * x).sum();
  y.backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{1, 2}));

  expectError([&] { (x.detach() * 2).sum().backward(); },
              {"backward", "does not require grad"});
  expectError([&] { (x * 2).backward(); }, {"scalar outputs", "[2]"});
  auto z = (x * x).sum();
  z.backward();
  expectError([&] { z.backward(); }, {"second time", "retain_graph"});
  expectError([&] { tensor({1, 2}).requires_grad_(); },
              {"floating point", "kiln.int64"});
  expectError([&] { (x * 2).requires_grad_(false); }, {"leaf"});
  auto unused = tensor({1.0}, kFloat64).requires_grad_();
  expectError([&] { autograd::grad({(x * x).sum()}, {unused}); }, {"not used"});
  EXPECT_FALSE(autograd::grad({(x * x).sum()}, {unused}, {}, false, false,
                              /*allow_unused=*/true)[0]
                   .defined());
}

TEST(Autograd, GradientsOfIntermediateValues) {
  auto x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  auto v = x * 3;
  v.retain_grad();
  auto y = (v * v).sum();
  y.retain_grad();
  y.backward();
  EXPECT_EQ(values(v.grad()), (std::vector<double>{6, 12}));  // 2v
  EXPECT_EQ(values(x.grad()), (std::vector<double>{18, 36})); // 2v * 3
  EXPECT_EQ(y.grad().item<double>(), 1.0);
  // autograd::grad takes leaves and intermediates together.
  auto w = x * 3;
  auto z = (w * w).sum();
  auto grads = autograd::grad({z}, {x, w});
  EXPECT_EQ(values(grads[0]), (std::vector<double>{18, 36}));
  EXPECT_EQ(values(grads[1]), (std::vector<double>{6, 12}));
  // Several outputs: the gradient of their (weighted) sum.
  auto a = (x * x).sum(), b = x * 5;
  auto both = autograd::grad(
      {a, b}, {x}, {tensor(1.0, kFloat64), tensor({1.0, 2.0}, kFloat64)});
  EXPECT_EQ(values(both[0]), (std::vector<double>{2 + 5, 4 + 10}));
  EXPECT_THROW(autograd::grad({a, b}, {x}), kiln::Error); // b is not scalar
}

TEST(Autograd, ZeroResetsInPlace) {
  auto x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  (x * x).sum().backward();
  x.mutable_grad().zero_();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0, 0}));
}

TEST(Autograd, InPlaceUpdatesOfParametersAndTheirVersions) {
  auto w = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  expectError([&] { w += 1; },
              {"add_", "leaf tensor that requires grad", "NoGradGuard",
               "AutogradTest.cpp:" + std::to_string(__LINE__ - 2)});
  auto h = w * 3;
  expectError([&] { h.mul_(2); }, {"mul_", "do not record gradients"});
  auto plain = tensor({1.0, 1.0, 1.0}, kFloat64);
  expectError([&] { plain.add_(w); }, {"add_", "do not record gradients"});
  auto loss = (w * w).sum();
  {
    NoGradGuard noGrad; // an optimizer's step
    w.sub_(tensor({1.0, 1.0, 1.0}, kFloat64), 0.5);
  }
  EXPECT_TRUE(w.requires_grad());
  EXPECT_TRUE(w.is_leaf());
  EXPECT_EQ(values(w), (std::vector<double>{0.5, 1.5, 2.5}));
  // The loss read w before the step (it is still pending, and computes
  // with the old w): its gradient would need the old w.
  expectError([&] { loss.backward(); },
              {"backward", "kiln.mul", "changed in place"});
  (w * w).sum().backward();
  EXPECT_EQ(values(w.grad()), (std::vector<double>{1, 3, 5}));
  // A backward recorded before the change differentiates the old value.
  auto early = (w * w).sum();
  early.backward();
  {
    NoGradGuard noGrad;
    w.mul_(0);
  }
  EXPECT_EQ(values(w.grad()), (std::vector<double>{2, 6, 10}));
  EXPECT_EQ(values(w), (std::vector<double>{0, 0, 0}));
}

} // namespace
