//===- TensorBasicsTest.cpp - LibTorch's tensor basics, spelled as LibTorch -===//
//
// Comparison of whole tensors, sizes as bare integers, TensorOptions, the
// untyped item() and the norms and moments, each written as a LibTorch
// program writes it.
//
//===----------------------------------------------------------------------===//
#include "../TestUtil.h"

#include <cmath>
#include <limits>
#include <sstream>

using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// allclose, isclose, equal
//===----------------------------------------------------------------------===//

TEST(ParityClose, AllcloseUsesDefaultTolerances) {
  auto a = kiln::tensor({1.0, 2.0, 3.0});
  EXPECT_TRUE(kiln::allclose(a, a + 1e-7));
  EXPECT_TRUE(a.allclose(a + 1e-7));
  EXPECT_FALSE(kiln::allclose(a, a + 1e-3));
  EXPECT_TRUE(kiln::allclose(a, a + 1e-3, /*rtol=*/1e-2));
  EXPECT_TRUE(a.allclose(a + 1e-3, /*rtol=*/0, /*atol=*/1e-2));
  // rtol scales with the second argument.
  auto big = kiln::tensor({1000.0}, kiln::kFloat64);
  EXPECT_TRUE(kiln::allclose(big + 0.009, big, 1e-5, 0));
  EXPECT_FALSE(kiln::allclose(big + 0.011, big, 1e-5, 0));
}

TEST(ParityClose, AllcloseBroadcasts) {
  auto a = kiln::ones({2, 3});
  EXPECT_TRUE(kiln::allclose(a, kiln::ones(3)));
  expectError([&] { kiln::allclose(a, kiln::ones(4)); },
              {"isclose", "broadcast"});
}

TEST(ParityClose, NanAndInfinity) {
  auto a = kiln::tensor({kNaN, kInf, -kInf, 1.0}, kiln::kFloat64);
  auto b = kiln::tensor({kNaN, kInf, kInf, 1.0}, kiln::kFloat64);
  EXPECT_EQ(kiln::isclose(a, b).to_vector<bool>(),
            (std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(
      kiln::isclose(a, b, 1e-5, 1e-8, /*equal_nan=*/true).to_vector<bool>(),
      (std::vector<bool>{true, true, false, true}));
  EXPECT_FALSE(kiln::allclose(a, a));
  EXPECT_TRUE(kiln::allclose(a, a, 1e-5, 1e-8, /*equal_nan=*/true));
  // A finite value is never close to an infinity.
  EXPECT_FALSE(kiln::allclose(kiln::tensor({1e300}, kiln::kFloat64),
                              kiln::tensor({kInf}, kiln::kFloat64)));
}

TEST(ParityClose, IscloseReturnsBoolTensor) {
  auto r = kiln::isclose(kiln::tensor({1, 2, 3}), kiln::tensor({1, 5, 3}));
  EXPECT_EQ(r.dtype(), kiln::kBool);
  EXPECT_EQ(r.to_vector<bool>(), (std::vector<bool>{true, false, true}));
  expectError([] { kiln::isclose(kiln::ones(2), kiln::ones(2, kiln::kInt64)); },
              {"isclose", "same dtype"});
  expectError([] { kiln::isclose(kiln::ones(2), kiln::ones(2), -1.0); },
              {"isclose", "rtol"});
}

TEST(ParityClose, Equal) {
  auto a = kiln::tensor({{1, 2}, {3, 4}});
  EXPECT_TRUE(kiln::equal(a, kiln::tensor({{1, 2}, {3, 4}})));
  EXPECT_TRUE(a.equal(a.clone()));
  EXPECT_FALSE(a.equal(kiln::tensor({{1, 2}, {3, 5}})));
  // Sizes must match exactly: no broadcasting.
  EXPECT_FALSE(kiln::equal(kiln::ones({2, 2}), kiln::ones(2)));
  EXPECT_FALSE(kiln::equal(kiln::ones(4), kiln::ones({2, 2})));
  auto nan = kiln::tensor({kNaN});
  EXPECT_FALSE(nan.equal(nan));
  EXPECT_TRUE(kiln::equal(kiln::empty(0), kiln::empty(0)));
}

TEST(ParityClose, WorksOnTensorsThatRequireGrad) {
  auto w = kiln::randn({3}, kiln::requires_grad());
  auto y = w * 2;
  EXPECT_TRUE(kiln::allclose(y, w + w));
  EXPECT_TRUE(y.equal(y));
}

//===----------------------------------------------------------------------===//
// Sizes as a bare integer
//===----------------------------------------------------------------------===//

TEST(ParitySizes, BareIntegerMeansOneDimension) {
  EXPECT_EQ(kiln::ones(5).sizes(), (kiln::Shape{5}));
  EXPECT_EQ(kiln::ones({5}).sizes(), (kiln::Shape{5}));
  EXPECT_EQ(kiln::zeros(3).sizes(), (kiln::Shape{3}));
  EXPECT_EQ(kiln::empty(4).sizes(), (kiln::Shape{4}));
  EXPECT_EQ(kiln::randn(3, kiln::kFloat64).sizes(), (kiln::Shape{3}));
  EXPECT_EQ(kiln::rand(2).sizes(), (kiln::Shape{2}));
  EXPECT_EQ(kiln::randint(10, 6).sizes(), (kiln::Shape{6}));
  EXPECT_EQ(kiln::randint(0, 10, {2, 3}).sizes(), (kiln::Shape{2, 3}));
  EXPECT_EQ(kiln::randint(10, 3, kiln::TensorOptions()).dtype(), kiln::kInt64);
  auto f = kiln::full(3, 2.0);
  EXPECT_EQ(f.sizes(), (kiln::Shape{3}));
  EXPECT_EQ(f.to_vector<float>(), (std::vector<float>{2, 2, 2}));
  EXPECT_EQ(kiln::ones({}).dim(), 0);
  EXPECT_EQ(kiln::arange(5).sizes(), (kiln::Shape{5}));
}

TEST(ParitySizes, ListsAndShapesStillWork) {
  auto x = kiln::ones({2, 3});
  EXPECT_EQ(kiln::zeros(x.sizes()).sizes(), (kiln::Shape{2, 3}));
  kiln::Shape shape = {4, 1};
  EXPECT_EQ(kiln::randn(shape).sizes(), shape);
  std::vector<int64_t> dims = {3, 2};
  EXPECT_EQ(x.view(dims).sizes(), (kiln::Shape{3, 2}));
  EXPECT_EQ(x.view(-1).sizes(), (kiln::Shape{6}));
  EXPECT_EQ(x.reshape(6).sizes(), (kiln::Shape{6}));
  EXPECT_EQ(kiln::reshape(x, {3, -1}).sizes(), (kiln::Shape{3, 2}));
}

TEST(ParitySizes, IntArrayRefCopiesKeepTheirValue) {
  kiln::IntArrayRef five = 5;
  kiln::IntArrayRef copy = five;
  EXPECT_EQ(copy.size(), 1u);
  EXPECT_EQ(copy[0], 5);
  EXPECT_EQ(copy.vec(), (kiln::Shape{5}));
}

TEST(ParitySizes, NegativeSizesAreErrors) {
  expectError([] { kiln::ones(-1); }, {"full", "negative dimension", "[-1]"});
  expectError([] { kiln::empty({2, -3}); }, {"empty", "negative dimension"});
  expectError([] { kiln::randn(-2); }, {"randn", "negative dimension"});
  expectError([] { kiln::ones(6).view(4); }, {"reshape", "invalid"});
}

//===----------------------------------------------------------------------===//
// TensorOptions
//===----------------------------------------------------------------------===//

TEST(ParityOptions, ChainedBuilder) {
  auto options = kiln::TensorOptions()
                     .dtype(kiln::kFloat64)
                     .requires_grad(true)
                     .device(kiln::kCPU);
  EXPECT_EQ(options.dtype(), kiln::kFloat64);
  EXPECT_TRUE(options.requires_grad());
  EXPECT_EQ(options.device(), kiln::Device(kiln::kCPU));
  auto t = kiln::zeros({2, 2}, options);
  EXPECT_EQ(t.dtype(), kiln::kFloat64);
  EXPECT_TRUE(t.requires_grad());
  EXPECT_EQ(kiln::TensorOptions().dtype<double>().dtype(), kiln::kFloat64);
  EXPECT_EQ(kiln::dtype<int64_t>().dtype(), kiln::kInt64);
}

TEST(ParityOptions, FreeFunctionsStartOptions) {
  EXPECT_EQ(kiln::ones(5, kiln::dtype(kiln::kInt64)).dtype(), kiln::kInt64);
  EXPECT_TRUE(kiln::ones(5, kiln::requires_grad()).requires_grad());
  EXPECT_FALSE(kiln::ones(5, kiln::requires_grad(false)).requires_grad());
  auto t = kiln::empty({2}, kiln::device(kiln::kCPU).dtype(kiln::kFloat64));
  EXPECT_EQ(t.dtype(), kiln::kFloat64);
  EXPECT_TRUE(t.device().is_cpu());
  EXPECT_TRUE(kiln::zeros(3, kiln::device("cpu")).device().is_cpu());
  auto r = kiln::arange(3, kiln::dtype(kiln::kFloat32).requires_grad(true));
  EXPECT_TRUE(r.requires_grad());
}

TEST(ParityOptions, RandomDrawsHonourRequiresGrad) {
  auto a = kiln::randn({2, 3}, kiln::requires_grad());
  auto b = kiln::rand(4, kiln::TensorOptions().requires_grad(true));
  auto c =
      kiln::randint(0, 5, {2}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  for (const kiln::Tensor *t : {&a, &b, &c}) {
    EXPECT_TRUE(t->requires_grad());
    EXPECT_TRUE(t->is_leaf());
  }
  EXPECT_FALSE(kiln::randn(3).requires_grad());
  // They are leaves that backward() reaches.
  (a * a).sum().backward();
  EXPECT_TRUE(kiln::allclose(a.grad(), 2 * a));
}

TEST(ParityOptions, RequiresGradNeedsAFloatingDtype) {
  expectError(
      [] { kiln::ones(5, kiln::dtype(kiln::kInt64).requires_grad(true)); },
      {"full", "floating point", "int64"});
  expectError([] { kiln::randint(0, 5, {2}, kiln::requires_grad()); },
              {"randint", "floating point"});
  expectError([] { kiln::randn(2, kiln::dtype(kiln::kInt32)); },
              {"randn", "floating point"});
}

//===----------------------------------------------------------------------===//
// item() as a Scalar
//===----------------------------------------------------------------------===//

TEST(ParityItem, UntypedItemIsAScalar) {
  kiln::Scalar f = kiln::tensor({2.5}).item();
  EXPECT_TRUE(f.isFloatingPoint());
  EXPECT_FALSE(f.isIntegral(/*includeBool=*/true));
  EXPECT_DOUBLE_EQ(f.toDouble(), 2.5);
  EXPECT_FLOAT_EQ(f.toFloat(), 2.5f);
  EXPECT_EQ(f.toLong(), 2);
  EXPECT_EQ(f.to<int>(), 2);
  EXPECT_TRUE(f.toBool());

  kiln::Scalar i = kiln::tensor({7}).sum().item();
  EXPECT_TRUE(i.isIntegral(false));
  EXPECT_EQ(i.toLong(), 7);
  EXPECT_EQ(i.to<int64_t>(), 7);
  EXPECT_DOUBLE_EQ(i.toDouble(), 7.0);

  kiln::Scalar b = (kiln::ones(1) > 0).item();
  EXPECT_TRUE(b.isBoolean());
  EXPECT_TRUE(b.isIntegral(/*includeBool=*/true));
  EXPECT_FALSE(b.isIntegral(false));
  EXPECT_TRUE(b.toBool());

  // Big int64 values keep every digit.
  int64_t big = (int64_t{1} << 53) + 1;
  EXPECT_EQ(kiln::full({}, big).item().toLong(), big);
  // The typed form stays.
  EXPECT_EQ(kiln::tensor({3.0}).item<float>(), 3.0f);
}

TEST(ParityItem, ScalarPrints) {
  std::ostringstream os;
  os << kiln::tensor({1.5}).item() << " " << kiln::tensor({4}).item() << " "
     << (kiln::ones(1) < 0).item();
  EXPECT_EQ(os.str(), "1.5 4 false");
}

TEST(ParityItem, NeedsOneElement) {
  expectError([] { kiln::ones(3).item(); }, {"item", "one element", "[3]"});
}

//===----------------------------------------------------------------------===//
// norm, std, var, all, any, view_as, detach_
//===----------------------------------------------------------------------===//

TEST(ParityReductions, Norm) {
  auto x = kiln::tensor({{3.0, -4.0}, {0.0, 12.0}}, kiln::kFloat64);
  EXPECT_DOUBLE_EQ(x.norm().item<double>(), 13.0);
  EXPECT_DOUBLE_EQ(kiln::norm(x).item<double>(), 13.0);
  EXPECT_DOUBLE_EQ(x.norm(1).item<double>(), 19.0);
  EXPECT_DOUBLE_EQ(x.norm(0).item<double>(), 3.0);
  EXPECT_DOUBLE_EQ(x.norm(INFINITY).item<double>(), 12.0);
  EXPECT_DOUBLE_EQ(x.norm(-INFINITY).item<double>(), 0.0);
  EXPECT_NEAR(x.norm(3).item<double>(), std::cbrt(27.0 + 64.0 + 1728.0), 1e-12);
  auto rows = x.norm(2, 1);
  EXPECT_EQ(rows.sizes(), (kiln::Shape{2}));
  EXPECT_EQ(rows.to_vector<double>(), (std::vector<double>{5.0, 12.0}));
  EXPECT_EQ(x.norm(2, {0}, /*keepdim=*/true).sizes(), (kiln::Shape{1, 2}));
  expectError([] { kiln::tensor({1, 2}).norm(); }, {"norm", "floating point"});
  expectError([&] { x.norm(2, 2); }, {"norm", "dimension"});
}

TEST(ParityReductions, NormGradients) {
  auto x = kiln::tensor({{0.5, -1.5, 2.0}, {1.0, 0.25, -0.75}}, kiln::kFloat64);
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) { return in[0].norm(); }, {x});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) {
        return in[0].norm(3, 1).sum();
      },
      {x});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) {
        return in[0].norm(1, {0}).sum();
      },
      {x});
  // The 2-norm of zeros has gradient zero, not NaN.
  auto zero =
      kiln::zeros(3, kiln::TensorOptions(kiln::kFloat64).requires_grad(true));
  zero.norm().backward();
  EXPECT_EQ(zero.grad().to_vector<double>(), (std::vector<double>{0, 0, 0}));
}

TEST(ParityReductions, VarAndStd) {
  auto x = kiln::tensor({{1.0, 2.0, 3.0, 4.0}, {2.0, 2.0, 2.0, 6.0}},
                        kiln::kFloat64);
  // Unbiased (divided by N - 1) by default.
  auto row = kiln::tensor({1.0, 2.0, 3.0, 4.0}, kiln::kFloat64);
  EXPECT_DOUBLE_EQ(row.var().item<double>(), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(row.var(false).item<double>(), 1.25);
  EXPECT_DOUBLE_EQ(kiln::var(row, true).item<double>(), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(row.std().item<double>(), std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(kiln::std(row).item<double>(), std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(row.std(/*unbiased=*/false).item<double>(), std::sqrt(1.25));
  auto perRow = x.var(1);
  EXPECT_EQ(perRow.sizes(), (kiln::Shape{2}));
  kiln::testing::expectAllNear(perRow.to_vector<double>(), {5.0 / 3.0, 4.0},
                               1e-12);
  EXPECT_EQ(x.std({1}, true, /*keepdim=*/true).sizes(), (kiln::Shape{2, 1}));
  kiln::testing::expectAllNear(x.var({0}, false).to_vector<double>(),
                               {0.25, 0, 0.25, 1}, 1e-12);
  // One element: the unbiased variance is NaN.
  EXPECT_TRUE(std::isnan(kiln::tensor({1.0}).var().item<double>()));
  expectError([] { kiln::tensor({1, 2}).var(); }, {"var", "floating point"});
  expectError([&] { x.std({0, 0}); }, {"dimension 0", "twice"});
}

TEST(ParityReductions, VarAndStdGradients) {
  auto x = kiln::tensor({{0.5, -1.5, 2.0}, {1.0, 0.25, -0.75}}, kiln::kFloat64);
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) { return in[0].var(); }, {x});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) {
        return in[0].std(1, false).sum();
      },
      {x});
}

TEST(ParityReductions, AllAndAny) {
  auto x = kiln::tensor({{1.0, 0.0}, {2.0, 3.0}});
  EXPECT_FALSE(x.all().item<bool>());
  EXPECT_TRUE(x.any().item<bool>());
  EXPECT_EQ(x.all().dtype(), kiln::kBool);
  EXPECT_EQ(x.all(1).to_vector<bool>(), (std::vector<bool>{false, true}));
  EXPECT_EQ(x.any(0).to_vector<bool>(), (std::vector<bool>{true, true}));
  EXPECT_EQ(x.all(0, /*keepdim=*/true).sizes(), (kiln::Shape{1, 2}));
  EXPECT_TRUE(kiln::all(kiln::ones(3) > 0).item<bool>());
  EXPECT_FALSE(kiln::any(kiln::zeros(3, kiln::kInt64)).item<bool>());
  // Over nothing: all is true, any is false.
  EXPECT_TRUE(kiln::empty(0).all().item<bool>());
  EXPECT_FALSE(kiln::empty(0).any().item<bool>());
  EXPECT_TRUE(kiln::full({}, 2).all(0).item<bool>());
  expectError([&] { x.all(2); }, {"all", "dimension"});
}

TEST(ParityShapes, ViewAs) {
  auto x = kiln::arange(6, kiln::kFloat64);
  auto y = x.view_as(kiln::empty({2, 3}));
  EXPECT_EQ(y.sizes(), (kiln::Shape{2, 3}));
  expectError([&] { x.view_as(kiln::empty(4)); }, {"reshape", "invalid"});
  expectGradientsMatchFiniteDifferences(
      [](const std::vector<kiln::Tensor> &in) {
        return (in[0].view_as(kiln::empty({3, 2})) *
                kiln::arange(6, kiln::kFloat64).view({3, 2}))
            .sum();
      },
      {x});
}

TEST(ParityAutograd, DetachInPlace) {
  auto w = kiln::ones(3, kiln::requires_grad());
  auto y = w * 2;
  auto alias = y;
  EXPECT_FALSE(y.is_leaf());
  y.detach_();
  EXPECT_TRUE(alias.is_leaf());
  EXPECT_FALSE(alias.requires_grad());
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{2, 2, 2}));
}

TEST(ParityTensorLosses, TakeAReductionNumber) {
  auto x = kiln::tensor({1.0f, 2.0f, 4.0f});
  auto y = kiln::tensor({1.0f, 0.0f, 1.0f});
  EXPECT_FLOAT_EQ(kiln::mse_loss(x, y).item<float>(), 13.0f / 3);
  EXPECT_FLOAT_EQ(kiln::mse_loss(x, y, kiln::Reduction::Sum).item<float>(),
                  13.0f);
  EXPECT_EQ(kiln::l1_loss(x, y, kiln::Reduction::None).sizes(),
            (std::vector<int64_t>{3}));
  // |d| = 0, 2, 3: 0, 2 - 0.5, 3 - 0.5.
  EXPECT_FLOAT_EQ(
      kiln::smooth_l1_loss(x, y, kiln::Reduction::Sum).item<float>(), 4.0f);
  auto logits = kiln::tensor({{0.0f, 0.0f}, {1.0f, 1.0f}});
  auto classes = kiln::tensor({0, 1});
  EXPECT_NEAR(
      kiln::nll_loss(kiln::log_softmax(logits, 1), classes).item<float>(),
      std::log(2.0f), 1e-6);
  EXPECT_NEAR(kiln::cross_entropy_loss(logits, classes).item<float>(),
              std::log(2.0f), 1e-6);
  expectError([&] { kiln::mse_loss(x, y, 7); },
              {"mse_loss", "reduction 7", "Reduction::None"});
}

TEST(ParityAutograd, LeafHooksSeeAndReplaceTheGradient) {
  auto x = kiln::tensor({1.0, 2.0}, kiln::kFloat64).requires_grad_();
  std::vector<double> seen;
  auto watch = x.register_hook(
      [&](kiln::Tensor grad) { seen = grad.to_vector<double>(); });
  x.register_hook([](kiln::Tensor grad) { return grad * 2; });
  (x * x).sum().backward();
  EXPECT_EQ(seen, (std::vector<double>{2, 4}));
  EXPECT_EQ(x.grad().to_vector<double>(), (std::vector<double>{4, 8}));
  x.remove_hook(watch);
  seen.clear();
  x.mutable_grad() = kiln::Tensor();
  (x * 3).sum().backward();
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(x.grad().to_vector<double>(), (std::vector<double>{6, 6}));
  expectError([&] { x.remove_hook(watch); }, {"remove_hook", "no hook"});
  auto y = x * 2;
  EXPECT_FALSE(x.retains_grad());
  EXPECT_FALSE(y.retains_grad());
  y.retain_grad();
  EXPECT_TRUE(y.retains_grad());
  expectError(
      [&] { kiln::ones({2}).register_hook([](kiln::Tensor g) { return g; }); },
      {"register_hook", "does not require grad"});
}

TEST(ParityAutograd, HooksOnComputedTensorsChangeTheGradientThatFlowsOn) {
  auto x = kiln::tensor({1.0, 2.0}, kiln::kFloat64).requires_grad_();
  auto y = x * x;
  auto early = y * 3; // a use before the hook: its gradient goes through it
  auto handle = y.register_hook([](kiln::Tensor g) { return g * 10; });
  auto late = y.sum();
  (early.sum() + late).backward();
  // d/dy = 3 + 1, times 10 by the hook, times dy/dx = 2x.
  EXPECT_EQ(x.grad().to_vector<double>(), (std::vector<double>{80, 160}));

  // A hook that returns nothing leaves the gradient as it is; removed, it
  // no longer applies.
  y.register_hook([](kiln::Tensor) {});
  y.remove_hook(handle);
  x.mutable_grad() = kiln::Tensor();
  auto z = x * x;
  z.register_hook([](kiln::Tensor g) { return g.clamp(-1, 1); });
  (z * 5).sum().backward();
  EXPECT_EQ(x.grad().to_vector<double>(), (std::vector<double>{2, 4}));

  // On the output itself, the hook sees the seed.
  x.mutable_grad() = kiln::Tensor();
  auto out = (x * x).sum();
  out.register_hook([](kiln::Tensor g) { return g * 0.5; });
  out.backward();
  EXPECT_EQ(x.grad().to_vector<double>(), (std::vector<double>{1, 2}));

  // Through autograd::grad too, and with values read from outside.
  auto scale = kiln::tensor({3.0, -1.0}, kiln::kFloat64);
  auto w = x * 2;
  w.register_hook([&](kiln::Tensor g) { return g * scale; });
  auto dx = kiln::autograd::grad({w.sum()}, {x})[0];
  EXPECT_EQ(dx.to_vector<double>(), (std::vector<double>{6, -2}));
}

TEST(ParityAutograd, HooksOnComputedTensorsCannotReadTheGradient) {
  auto x = kiln::tensor({1.0, 2.0}).requires_grad_();
  auto y = x * 2;
  y.register_hook([](kiln::Tensor g) { return g * g.sum().item<float>(); });
  expectError([&] { y.sum().backward(); }, {"tensor hook", "retain_grad()"});
  auto z = x * 2;
  z.register_hook([](kiln::Tensor g) { return g.sum(); });
  expectError([&] { z.sum().backward(); },
              {"register_hook", "gradient of shape []", "tensor of shape [2]"});
}

TEST(ParityTensor, UniformAndNormalFillInPlace) {
  kiln::manual_seed(0);
  auto u = kiln::empty({1000}).uniform_(0.8, 1.0);
  EXPECT_GE(u.min().item<float>(), 0.8f);
  EXPECT_LT(u.max().item<float>(), 1.0f);
  EXPECT_NEAR(u.mean().item<float>(), 0.9f, 0.01f);
  auto n = kiln::empty({2000}, kiln::kFloat64).normal_(3.0, 0.5);
  EXPECT_NEAR(n.mean().item<double>(), 3.0, 0.05);
  EXPECT_NEAR(n.std().item<double>(), 0.5, 0.05);
  // Through a view, as every in-place op.
  auto m = kiln::zeros({2, 3});
  m[1].uniform_(5, 6);
  EXPECT_EQ(m[0].abs().sum().item<float>(), 0.0f);
  EXPECT_GE(m[1].min().item<float>(), 5.0f);
  expectError([] { kiln::zeros({2}, kiln::kInt64).uniform_(); },
              {"uniform_", "floating-point"});
  expectError([] { kiln::zeros({2}).uniform_(1, 0); },
              {"uniform_", "from <= to"});
}

TEST(ParityTensor, RandomFillsWithIntegersInRange) {
  kiln::manual_seed(4);
  auto dice = kiln::empty({3000}, kiln::kInt64).random_(1, 7);
  EXPECT_EQ(dice.min().item<int64_t>(), 1);
  EXPECT_EQ(dice.max().item<int64_t>(), 6);
  EXPECT_NEAR(dice.to(kiln::kFloat64).mean().item<double>(), 3.5, 0.1);
  auto bits = kiln::empty({500}).random_(2);
  EXPECT_TRUE(kiln::equal(bits, bits.floor()));
  EXPECT_EQ(bits.min().item<float>(), 0.0f);
  EXPECT_EQ(bits.max().item<float>(), 1.0f);
  auto wide = kiln::empty({100}).random_();
  EXPECT_TRUE(kiln::equal(wide, wide.floor()));
  EXPECT_GE(wide.min().item<float>(), 0.0f);
  EXPECT_LE(wide.max().item<float>(), 16777216.0f);
  EXPECT_GT(wide.max().item<float>(), 1000.0f);
  auto flags = kiln::empty({100}, kiln::kBool).random_();
  EXPECT_TRUE(flags.any().item<bool>());
  EXPECT_FALSE(flags.all().item<bool>());
  expectError([] { kiln::zeros({2}).random_(3, 3); }, {"random_", "from < to"});
}

TEST(ParityTensor, SetDataAndResize) {
  kiln::nn::Linear fc(3, 2);
  auto before = fc->weight * 1; // recorded before: keeps the old value
  auto weight = fc->weight;
  weight.set_data(kiln::ones({4, 3}));
  EXPECT_EQ(fc->weight.sizes(), (std::vector<int64_t>{4, 3}));
  EXPECT_TRUE(fc->weight.requires_grad());
  EXPECT_TRUE(fc->weight.is_leaf());
  EXPECT_EQ(fc->weight.sum().item<float>(), 12.0f);
  EXPECT_EQ(before.sizes(), (std::vector<int64_t>{2, 3}));
  EXPECT_NE(before.abs().sum().item<float>(), 6.0f);
  // data() is the value without history.
  EXPECT_FALSE(fc->weight.data().requires_grad());
  fc->weight.data().set_data(kiln::zeros({1}, kiln::kFloat64));

  auto t = kiln::arange(6).to(kiln::kFloat32);
  t.resize_({2, 2});
  EXPECT_EQ(t.sizes(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(t.reshape({-1}).to_vector<float>(),
            (std::vector<float>{0, 1, 2, 3}));
  t.resize_({5});
  EXPECT_EQ(t.to_vector<float>(), (std::vector<float>{0, 1, 2, 3, 0}));
  expectError([] { kiln::zeros({2}).requires_grad_().resize_({3}); },
              {"resize_", "requires grad"});
  expectError([] { kiln::zeros({2}).resize_({-1}); },
              {"resize_", "non-negative"});
}

} // namespace
