//===- CompatTest.cpp - The porting header and LibTorch's small APIs ------===//
//
// What a LibTorch test or program reaches for besides the ops: the compat
// header's c10:: names (str, Error, make_tempfile, irange), the default
// dtype, in-place ops on const handles (`x.grad().zero_()`), sizes compared
// with an IntArrayRef, the free max/min/sum overloads and the conversions
// (`to(options)`, `type_as`), in LibTorch's spelling.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/compat/torch.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <filesystem>

namespace {

using namespace kiln;
using kiln::testing::expectAllNear;
using kiln::testing::values;

TEST(ParityCompat, StrJoinsPartsAndPrintsModules) {
  EXPECT_EQ(c10::str("x = ", 3, ", y = ", 2.5), "x = 3, y = 2.5");
  EXPECT_EQ(c10::str(nn::Linear(3, 4)),
            "kiln::nn::Linear(in_features=3, out_features=4, bias=true)");
  nn::Sequential seq(nn::Linear(2, 3), nn::ReLU());
  EXPECT_EQ(
      c10::str(seq),
      "kiln::nn::Sequential(\n"
      "  (0): kiln::nn::Linear(in_features=2, out_features=3, bias=true)\n"
      "  (1): kiln::nn::ReLU()\n"
      ")");
  int sum = 0;
  for (auto i : c10::irange(1, 4))
    sum += i;
  EXPECT_EQ(sum, 6);
}

TEST(ParityCompat, KilnErrorsAreC10Errors) {
  try {
    ones({2, 3}).matmul(ones({2, 3}));
    FAIL() << "expected an error";
  } catch (const c10::Error &e) {
    EXPECT_NE(std::string(e.what_without_backtrace()).find("matmul"),
              std::string::npos);
  }
}

TEST(ParityCompat, TempFilesHoldASavedTensorAndGoAway) {
  std::string path;
  {
    auto file = c10::make_tempfile();
    path = file.name;
    EXPECT_TRUE(std::filesystem::exists(path));
    auto x = arange(6).to(kFloat32).reshape({2, 3});
    kiln::save(x, file.name);
    Tensor y;
    kiln::load(y, file.name);
    EXPECT_TRUE(equal(x, y));
    EXPECT_EQ(y.sizes().vec(), std::vector<int64_t>({2, 3}));
    EXPECT_EQ(y.sizes().slice(1), IntArrayRef({3}));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ParityCompat, DefaultDtype) {
  EXPECT_EQ(get_default_dtype(), kFloat);
  set_default_dtype(caffe2::TypeMeta::fromScalarType(kDouble));
  EXPECT_EQ(ones({2}).dtype(), kDouble);
  EXPECT_EQ(randn({2}).dtype(), kDouble);
  EXPECT_EQ(tensor({1.5, 2.5}).dtype(), kDouble);
  EXPECT_EQ(arange(0.0, 1.0, 0.5).dtype(), kDouble);
  EXPECT_EQ((arange(3) * 0.5).dtype(), kDouble);
  EXPECT_EQ(tensor({1, 2}).dtype(), kLong);
  set_default_dtype(kFloat);
  EXPECT_EQ(ones({2}).dtype(), kFloat);
  EXPECT_THROW(set_default_dtype(kInt), c10::Error);
}

TEST(ParityCompat, InPlaceOpsOnConstHandles) {
  auto w = ones({3}, requires_grad());
  (w * w).sum().backward();
  expectAllNear(values(w.grad()), {2, 2, 2}, 0);
  w.grad().zero_();
  expectAllNear(values(w.grad()), {0, 0, 0}, 0);
  const Tensor x = zeros({2});
  x.add_(1).mul_(3);
  expectAllNear(values(x), {3, 3}, 0);
  EXPECT_GT(x._version(), 0);
  const Tensor leaf = ones({2});
  leaf.set_requires_grad(true);
  EXPECT_TRUE(leaf.requires_grad());
}

TEST(ParityCompat, SizesCompareWithIntArrayRef) {
  auto x = zeros({7, 3, 2});
  EXPECT_EQ(x.sizes(), IntArrayRef({7, 3, 2}));
  EXPECT_NE(x.sizes(), IntArrayRef({7, 3}));
  EXPECT_EQ(IntArrayRef(x.sizes()).slice(1), IntArrayRef({3, 2}));
  EXPECT_EQ(IntArrayRef(x.sizes()).slice(1, 1).vec(), std::vector<int64_t>{3});
  EXPECT_EQ(IntArrayRef(5).slice(0), IntArrayRef({5}));
  EXPECT_EQ(IntArrayRef(x.sizes()).at(2), 2);
  EXPECT_THROW(IntArrayRef(x.sizes()).at(3), c10::Error);
  EXPECT_THROW(IntArrayRef(x.sizes()).slice(2, 2), c10::Error);
  EXPECT_EQ(IntArrayRef(x.sizes()).back(), 2);
  EXPECT_THROW(IntArrayRef().front(), c10::Error);
}

TEST(ParityCompat, FreeReductionsAndExtremes) {
  auto a = tensor({{1.0f, 5.0f}, {4.0f, 2.0f}});
  auto b = tensor({{3.0f, 3.0f}, {3.0f, 3.0f}});
  expectAllNear(values(kiln::max(a, b)), {3, 5, 4, 3}, 0);
  expectAllNear(values(kiln::min(a, b)), {1, 3, 3, 2}, 0);
  EXPECT_EQ(kiln::max(a).item<float>(), 5);
  EXPECT_EQ(kiln::min(a).item<float>(), 1);
  auto [top, where] = kiln::max(a, 1);
  expectAllNear(values(top), {5, 4}, 0);
  EXPECT_EQ(where.to_vector<int64_t>(), (std::vector<int64_t>{1, 0}));
  expectAllNear(values(kiln::sum(a, 1)), {6, 6}, 0);
  expectAllNear(values(kiln::mean(a, {0}, true)), {2.5, 3.5}, 1e-6);
  EXPECT_EQ(kiln::mean(a, {0}, true).sizes(), IntArrayRef({1, 2}));
  auto r = arange(1, 4, kLong);
  EXPECT_EQ(r.dtype(), kLong);
  EXPECT_EQ(r.to_vector<int64_t>(), (std::vector<int64_t>{1, 2, 3}));
}

TEST(ParityCompat, Conversions) {
  auto x = arange(4).reshape({2, 2});
  auto d = x.to(TensorOptions().dtype(kDouble));
  EXPECT_EQ(d.dtype(), kDouble);
  EXPECT_EQ(x.to(d).dtype(), kDouble);
  EXPECT_EQ(x.type_as(d).dtype(), kDouble);
  EXPECT_EQ(x.to(kCPU, kFloat).dtype(), kFloat);
  EXPECT_EQ(x.to(kCPU).dtype(), kLong);
  EXPECT_TRUE(x.to(TensorOptions()).is_same(x));
  EXPECT_FALSE(x.to(TensorOptions(), false, /*copy=*/true).is_same(x));
  EXPECT_EQ(x.layout(), kStrided);
  EXPECT_TRUE(x.is_variable());
  EXPECT_TRUE(x.is_cpu());
  EXPECT_FALSE(x.is_cuda());
  EXPECT_EQ(x.get_device(), -1);
  EXPECT_EQ(x.cpu().data<int64_t>()[3], 3);
  EXPECT_TRUE(tensor(2.0).is_nonzero());
  EXPECT_FALSE(tensor(0).is_nonzero());
  EXPECT_THROW(ones({2}).is_nonzero(), c10::Error);
  EXPECT_TRUE(x.tensor_data().equal(x));
  EXPECT_EQ(Device(Device::Type::CUDA).type(), kCUDA);
}

} // namespace

namespace {

TEST(ParityCompat, OptimizerStateByParameter) {
  auto w = kiln::ones({2}, kiln::requires_grad());
  auto b = kiln::zeros({1}, kiln::requires_grad());
  kiln::optim::Adagrad adagrad({w, b}, kiln::optim::AdagradOptions(0.1));
  EXPECT_TRUE(adagrad.state().empty());
  EXPECT_EQ(adagrad.size(), 2u);
  for (int i = 0; i < 3; ++i) {
    adagrad.zero_grad();
    (w * w).sum().backward(); // b gets no gradient and no state
    adagrad.step();
  }
  auto &state = adagrad.state();
  ASSERT_EQ(state.size(), 1u);
  // LibTorch 2's key, and LibTorch 1's printed one.
  auto &byPointer = static_cast<kiln::optim::AdagradParamState &>(
      *state[w.unsafeGetTensorImpl()]);
  auto &byString = static_cast<kiln::optim::AdagradParamState &>(
      *state[c10::guts::to_string(w.unsafeGetTensorImpl())]);
  EXPECT_EQ(&byPointer, &byString);
  EXPECT_EQ(byPointer.step(), 3);
  // The sum of squared gradients: 2 w at each step, w moving towards 0.
  EXPECT_EQ(byPointer.sum().sizes(), kiln::IntArrayRef({2}));
  EXPECT_GT(byPointer.sum()[0].item<float>(), 4.0f);
  EXPECT_FALSE(state.count(b.unsafeGetTensorImpl()));
  // The state is the optimizer's: a changed step count is saved.
  byPointer.step(10);
  auto saved = adagrad.state_dict();
  for (auto &[name, value] : saved)
    if (name == "state.0.step")
      EXPECT_EQ(value.item<int64_t>(), 10);
  EXPECT_THROW(state[std::string("not a pointer")], c10::Error);

  auto p = kiln::ones({3}, kiln::requires_grad());
  kiln::optim::Adam adam({p}, kiln::optim::AdamOptions(0.01).amsgrad(true));
  (p * p).sum().backward();
  adam.step();
  auto &adamState = static_cast<kiln::optim::AdamParamState &>(
      *adam.state().at(p.unsafeGetTensorImpl()));
  EXPECT_TRUE(adamState.exp_avg().defined());
  EXPECT_TRUE(adamState.max_exp_avg_sq().defined());
  adamState.exp_avg(kiln::zeros({3}));
  EXPECT_EQ(adamState.exp_avg().sum().item<float>(), 0);
  kiln::optim::SGD sgd({p}, kiln::optim::SGDOptions(0.1).momentum(0.9));
  sgd.step();
  EXPECT_TRUE(static_cast<kiln::optim::SGDParamState &>(
                  *sgd.state()[p.unsafeGetTensorImpl()])
                  .momentum_buffer()
                  .defined());
}

TEST(ParityCompat, AutogradBackwardOfSeveralTensors) {
  auto x = kiln::tensor({1.0, 2.0}, kiln::requires_grad());
  auto y = x * x;
  auto z = x * 3;
  kiln::autograd::backward({y, z}, {kiln::ones({2}), kiln::tensor({1.0, 0.0})});
  kiln::testing::expectAllNear(kiln::testing::values(x.grad()), {5, 4}, 1e-12);
  auto leaf = kiln::autograd::make_variable(x * 2, true);
  EXPECT_TRUE(leaf.is_leaf());
  EXPECT_TRUE(leaf.requires_grad());
  EXPECT_THROW(kiln::autograd::backward({y}), c10::Error);
  // grad_fn's edges lead to the inputs' nodes.
  auto a = kiln::tensor({1.0}, kiln::requires_grad());
  auto b = kiln::tensor({2.0});
  auto c = (a * b).exp();
  auto fn = c.grad_fn();
  ASSERT_EQ(fn->next_edges().size(), 1u);
  auto mul = fn->next_edges()[0].function;
  EXPECT_EQ(mul->name(), "MulBackward0");
  ASSERT_EQ(mul->num_outputs(), 2u);
  EXPECT_EQ(mul->next_edge(0).function->name(), "AccumulateGrad");
  EXPECT_FALSE(mul->next_edge(1).is_valid());
}

TEST(ParityCompat, FromBlobWithDeleterAndStrides) {
  static int deleted = 0;
  auto *data = new float[6]{0, 1, 2, 3, 4, 5};
  {
    auto t = kiln::from_blob(
        data, {2, 3},
        [](void *p) {
          delete[] static_cast<float *>(p);
          ++deleted;
        },
        kiln::kFloat);
    EXPECT_EQ(t.sum().item<float>(), 15);
  }
  EXPECT_EQ(deleted, 1);
  float grid[6] = {0, 1, 2, 3, 4, 5};
  // Column-major [3, 2]: strides (1, 3).
  auto transposed = kiln::from_blob(grid, {3, 2}, {1, 3}, kiln::kFloat);
  EXPECT_EQ(transposed.to_vector<float>(),
            (std::vector<float>{0, 3, 1, 4, 2, 5}));
  EXPECT_THROW(kiln::from_blob(grid, {3, 2}, {1}, kiln::kFloat), c10::Error);
}

} // namespace

namespace {

TEST(ParityCompat, ModulesPrintAsLibTorchDoes) {
  using namespace kiln;
  EXPECT_EQ(c10::str(nn::PairwiseDistance(
                nn::PairwiseDistanceOptions().p(3).eps(0.5).keepdim(true))),
            "kiln::nn::PairwiseDistance(p=3, eps=0.5, keepdim=true)");
  EXPECT_EQ(
      c10::str(nn::ReflectionPad2d(nn::ReflectionPad2dOptions({1, 1, 2, 0}))),
      "kiln::nn::ReflectionPad2d(padding=[1, 1, 2, 0])");
  EXPECT_EQ(c10::str(nn::ConstantPad1d(nn::ConstantPad1dOptions(2, 3.5))),
            "kiln::nn::ConstantPad1d(padding=[2, 2], value=3.5)");
  EXPECT_EQ(c10::str(nn::LeakyReLU(
                nn::LeakyReLUOptions().negative_slope(0.42).inplace(true))),
            "kiln::nn::LeakyReLU(negative_slope=0.42, inplace=true)");
  EXPECT_EQ(c10::str(nn::MultiheadAttention(20, 10)),
            "kiln::nn::MultiheadAttention(\n  (out_proj): "
            "kiln::nn::Linear(in_features=20, out_features=20, bias=true)\n)");
  EXPECT_EQ(c10::str(nn::RNNCell(
                nn::RNNCellOptions(20, 10).bias(false).nonlinearity(kReLU))),
            "kiln::nn::RNNCell(20, 10, bias=false, nonlinearity=kReLU)");
  EXPECT_EQ(c10::str(nn::Unflatten(nn::UnflattenOptions(0, {2, 2}))),
            "kiln::nn::Unflatten(dim=0, unflattened_size={2, 2})");
  EXPECT_EQ(
      c10::str(nn::Conv2d(
          nn::Conv2dOptions(3, 4, 2).padding(1).dilation(2).groups(1).bias(
              false))),
      "kiln::nn::Conv2d(3, 4, kernel_size=[2, 2], stride=[1, 1], "
      "padding=[1, 1], dilation=[2, 2], bias=false)");
  // Built from the first argument of their options.
  EXPECT_EQ(c10::str(nn::MaxPool3d(5)),
            "kiln::nn::MaxPool3d(kernel_size=[5, 5, 5], stride=[5, 5, 5], "
            "padding=[0, 0, 0], dilation=[1, 1, 1], ceil_mode=false)");
  EXPECT_EQ(c10::str(nn::AdaptiveAvgPool3d(5)),
            "kiln::nn::AdaptiveAvgPool3d(output_size=[5, 5, 5])");
  EXPECT_EQ(c10::str(nn::LPPool1d(2, 5)),
            "kiln::nn::LPPool1d(norm_type=2, kernel_size=5, stride=5, "
            "ceil_mode=false)");
  EXPECT_EQ(c10::str(nn::MaxUnpool1d(5)),
            "kiln::nn::MaxUnpool1d(kernel_size=5, stride=5, padding=0)");
  EXPECT_EQ(c10::str(nn::Unfold(IntArrayRef({2, 4}))),
            "kiln::nn::Unfold(kernel_size=[2, 4], dilation=[1, 1], "
            "padding=[0, 0], stride=[1, 1])");
  EXPECT_EQ(c10::str(nn::Softmax(nn::SoftmaxOptions(1))),
            "kiln::nn::Softmax(dim=1)");
  EXPECT_EQ(constantName(kNearestExact), "kNearestExact");
  EXPECT_EQ(constantName(Mode("relu")), "kReLU");
}

TEST(ParityCompat, ArrayRefTensorsAndSmallTensorMethods) {
  Tensor t = kiln::tensor(ArrayRef<int>({1, 2, 3}));
  EXPECT_EQ(t.dtype(), kInt);
  EXPECT_EQ(t.numel(), 3);
  EXPECT_EQ(kiln::tensor(ArrayRef<int64_t>({1, 2})).dtype(), kLong);
  EXPECT_EQ(kiln::tensor(ArrayRef<double>({1.5, 2.25})).dtype(), kDouble);
  EXPECT_EQ(kiln::tensor(ArrayRef<float>({1.5f}), TensorOptions()).dtype(),
            kFloat);
  EXPECT_EQ(kiln::tensor(ArrayRef<bool>({true, false})).dtype(), kBool);
  std::vector<Tensor> list = {ones(2), zeros(2)};
  TensorList tensors = list;
  EXPECT_EQ(tensors.size(), 2u);
  EXPECT_THROW(tensors.at(2), Error);
  std::vector<int64_t> dims = {2, 3};
  IntArrayRef sizes = ArrayRef<int64_t>(dims);
  EXPECT_EQ(sizes, IntArrayRef({2, 3}));

  auto x = kiln::tensor({5.0f}, kiln::dtype(kFloat).requires_grad(true));
  EXPECT_EQ((x * x).output_nr(), 0);
  EXPECT_EQ(x.output_nr(), 0);
  EXPECT_EQ(isfinite(kiln::tensor({1.0, INFINITY})).toType(kInt).dtype(), kInt);
  EXPECT_TRUE(kiln::native::is_nonzero(kiln::tensor({2})));
  EXPECT_TRUE(c10::requires_grad(true).requires_grad());

  auto m = kiln::tensor({{1.0, 2.0, 3.0}, {3.0, 6.0, 9.0}});
  auto [var, mean] = kiln::var_mean(m, 0);
  expectAllNear(values(var), {2, 8, 18}, 1e-6);
  expectAllNear(values(mean), {2, 4, 6}, 1e-6);
  auto [std1, mean1] = kiln::std_mean(m, 1, /*unbiased=*/false, true);
  EXPECT_EQ(std1.sizes(), IntArrayRef({2, 1}));
  expectAllNear(values(mean1), {2, 6}, 1e-6);
}

TEST(ParityCompat, BackwardIntoChosenInputs) {
  auto a = kiln::tensor({2.0}, kiln::requires_grad());
  auto b = kiln::tensor({3.0}, kiln::requires_grad());
  auto c = a * b;
  auto d = c * c;
  d.backward({}, std::nullopt, false, TensorList{a});
  expectAllNear(values(a.grad()), {2 * 36.0 / 2}, 1e-9); // d = a^2 b^2
  EXPECT_FALSE(b.grad().defined());
  auto e = (a * b) * 2;
  auto mid = a * b;
  (mid * 2).backward({}, std::nullopt, false, {mid});
  expectAllNear(values(mid.grad()), {2}, 0);
  EXPECT_TRUE(e.defined());
}

TEST(ParityCompat, InitGainFromConstants) {
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kTanh), 5.0 / 3);
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kReLU), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kLeakyReLU),
                   std::sqrt(2.0 / (1 + 0.01 * 0.01)));
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kLeakyReLU, 0.2),
                   std::sqrt(2.0 / 1.04));
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kConvTranspose3D), 1.0);
}

TEST(ParityCompat, OptimizerOptionsCompare) {
  EXPECT_TRUE(optim::AdagradOptions(0.1) == optim::AdagradOptions(0.1));
  EXPECT_FALSE(optim::SGDOptions(0.1).momentum(0.9) == optim::SGDOptions(0.1));
  auto adam = optim::AdamWOptions(1e-3).betas(std::make_tuple(0.5, 0.6));
  EXPECT_DOUBLE_EQ(std::get<1>(adam.betas()), 0.6);
  EXPECT_TRUE(optim::AdamOptions().betas({0.5, 0.5}) ==
              optim::AdamOptions().betas(std::make_tuple(0.5, 0.5)));
}

TEST(ParityCompat, ApplyWithNamesAndPointers) {
  nn::Sequential seq(nn::Linear(2, 3), nn::Sequential(nn::ReLU()));
  std::vector<std::string> names;
  seq->apply(
      [&](const std::string &name, const std::shared_ptr<nn::Module> &m) {
        names.push_back(name + ":" + m->name());
      },
      "net");
  EXPECT_EQ(names, (std::vector<std::string>{"net:kiln::nn::SequentialImpl",
                                             "net.0:kiln::nn::LinearImpl",
                                             "net.1:kiln::nn::SequentialImpl",
                                             "net.1.0:kiln::nn::ReLUImpl"}));
  std::shared_ptr<const nn::SequentialImpl> constant = seq.ptr();
  int count = 0;
  constant->apply([&](const std::string &, const nn::Module &) { ++count; });
  EXPECT_EQ(count, 4);
}

TEST(ParityCompat, FreeDistanceFunctionsAndLossOptionTypes) {
  auto x = kiln::tensor({{0.0, 0.0}, {1.0, 1.0}});
  auto y = kiln::tensor({{3.0, 4.0}, {1.0, 1.0}});
  expectAllNear(values(kiln::pairwise_distance(x, y)), {5, 0}, 1e-5);
  expectAllNear(values(kiln::cosine_similarity(y, y)), {1, 1}, 1e-6);
  nn::TripletMarginWithDistanceLossOptions::reduction_t reduction = kSum;
  nn::PoissonNLLLossOptions::reduction_t none = kNone;
  EXPECT_EQ(enumName(reduction), "sum");
  EXPECT_EQ(enumName(none), "none");
}

TEST(ParityCompat, ExampleWithoutTargetIsItsData) {
  data::Example<Tensor, data::example::NoTarget> example(ones({2}));
  Tensor t = example;
  EXPECT_TRUE(t.is_same(example.data));
}

} // namespace
