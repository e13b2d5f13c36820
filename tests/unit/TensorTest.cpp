//===- TensorTest.cpp - The Tensor frontend, as a user uses it ------------===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <functional>
#include <memory>
#include <pthread.h>
#include <unistd.h>

using namespace kiln;
using kiln::indexing::Ellipsis;
using kiln::indexing::None;
using kiln::indexing::Slice;

namespace {

using kiln::testing::expectError;

std::string here(int line) {
  return std::string("TensorTest.cpp:") + std::to_string(line);
}

TEST(Tensor, CreationAndProperties) {
  auto x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  EXPECT_EQ(x.sizes(), (Shape{2, 3}));
  EXPECT_EQ(x.dim(), 2);
  EXPECT_EQ(x.numel(), 6);
  EXPECT_EQ(x.size(-1), 3);
  EXPECT_EQ(x.dtype(), kFloat32);
  EXPECT_EQ(x.device(), Device("cpu"));
  EXPECT_TRUE(x.is_contiguous());
  EXPECT_EQ(tensor({1, 2, 3}).dtype(), kInt64);
  EXPECT_EQ(tensor({true, false}).dtype(), kBool);
  EXPECT_EQ(tensor({1, 2}, kFloat64).dtype(), kFloat64);

  EXPECT_EQ(zeros({2, 2}).to_vector<float>(), (std::vector<float>(4, 0)));
  EXPECT_EQ(ones({3}, kInt32).to_vector<int32_t>(),
            (std::vector<int32_t>{1, 1, 1}));
  EXPECT_EQ(full({2}, 7.5).to_vector<float>(), (std::vector<float>{7.5, 7.5}));
  EXPECT_EQ(full({2}, 7).dtype(), kInt64);
  EXPECT_EQ(arange(5).to_vector<int64_t>(),
            (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(arange(1.0, 2.0, 0.25).to_vector<float>(),
            (std::vector<float>{1, 1.25, 1.5, 1.75}));
  EXPECT_EQ(linspace(0, 1, 5).to_vector<float>(),
            (std::vector<float>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(eye(2, 3).to_vector<float>(),
            (std::vector<float>{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(zeros_like(x).sizes(), x.sizes());
  EXPECT_EQ(empty({0, 3}).numel(), 0);

  double buffer[4] = {1, 2, 3, 4};
  auto blob = from_blob(buffer, {2, 2}, kFloat64);
  buffer[3] = 40; // shared, not copied
  EXPECT_EQ(blob.sum().item<double>(), 46);
}

TEST(Tensor, IntegerMinAndMaxStartFromTheTypesExtremes) {
  // The identity of min over int64 is 2^63 - 1, which a double cannot
  // hold: it must not wrap around to the lowest value.
  auto n = arange(1000) + 1;
  EXPECT_EQ(n.min().item<int64_t>(), 1);
  EXPECT_EQ(n.max().item<int64_t>(), 1000);
  EXPECT_EQ((-n).max().item<int64_t>(), -1);
  auto big = full({3}, int64_t{1} << 62, kInt64) * tensor({1, -1, 1});
  EXPECT_EQ(big.min().item<int64_t>(), -(int64_t{1} << 62));
  EXPECT_EQ(big.max().item<int64_t>(), int64_t{1} << 62);
  auto rows = (arange(6) + 2).reshape({2, 3});
  EXPECT_EQ(rows.amin({1}).to_vector<int64_t>(), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(rows.to(kInt32).min().item<int32_t>(), 2);
}

TEST(Tensor, ElementwiseMatchesHandComputedValues) {
  auto x = tensor({-1.0, 0.0, 2.0}, kFloat64);
  auto v = [](const Tensor &t) { return t.to_vector<double>(); };
  EXPECT_EQ(v(relu(x)), (std::vector<double>{0, 0, 2}));
  EXPECT_EQ(v(x.abs()), (std::vector<double>{1, 0, 2}));
  EXPECT_EQ(v(-x), (std::vector<double>{1, -0.0, -2}));
  EXPECT_EQ(v(x.sign()), (std::vector<double>{-1, 0, 1}));
  EXPECT_NEAR(v(exp(x))[2], std::exp(2.0), 1e-12);
  EXPECT_NEAR(v(sigmoid(x))[0], 1 / (1 + std::exp(1.0)), 1e-12);
  EXPECT_NEAR(v(tanh(x))[2], std::tanh(2.0), 1e-12);
  EXPECT_NEAR(v(log1p(x + 2))[0], std::log1p(1.0), 1e-12);
  EXPECT_NEAR(v(erf(x))[0], std::erf(-1.0), 1e-12);
  EXPECT_NEAR(v(x.erf())[2], std::erf(2.0), 1e-12);
  EXPECT_EQ(v(erf(x))[1], 0.0);
  EXPECT_NEAR(v(sqrt(x + 2))[2], 2.0, 1e-12);
  EXPECT_NEAR(v(rsqrt(x + 2))[2], 0.5, 1e-12);
  EXPECT_NEAR(v(sin(x))[2], std::sin(2.0), 1e-12);
  EXPECT_NEAR(v(cos(x))[0], std::cos(-1.0), 1e-12);
  EXPECT_EQ(v(floor(x * 0.75)), (std::vector<double>{-1, 0, 1}));
  EXPECT_NEAR(v(gelu(x))[2], 2 * 0.5 * (1 + std::erf(2 / std::sqrt(2.0))),
              1e-12);
  EXPECT_NEAR(v(gelu(x, "tanh"))[0],
              -0.5 * (1 + std::tanh(std::sqrt(2 / M_PI) * (-1 - 0.044715))),
              1e-12);
  EXPECT_EQ(v(x.pow(2)), (std::vector<double>{1, 0, 4}));
  EXPECT_EQ(v(x.clamp(-0.5, 1.0)), (std::vector<double>{-0.5, 0, 1}));
  EXPECT_EQ(v(maximum(x, zeros({3}, kFloat64))),
            (std::vector<double>{0, 0, 2}));
  EXPECT_EQ((x > 0).to_vector<bool>(), (std::vector<bool>{false, false, true}));
  EXPECT_EQ((x == 0).to_vector<bool>(),
            (std::vector<bool>{false, true, false}));
  EXPECT_EQ(where(x > 0, x, -x).to_vector<double>(),
            (std::vector<double>{1, 0, 2}));
  EXPECT_EQ(x.masked_fill(x < 0, 9).to_vector<double>(),
            (std::vector<double>{9, 0, 2}));
  EXPECT_EQ(logical_and(x > -2, x < 1).to_vector<bool>(),
            (std::vector<bool>{true, true, false}));
  EXPECT_EQ((~(x > 0) | (x > 1)).to_vector<bool>(),
            (std::vector<bool>{true, true, true}));
}

TEST(Tensor, ScalarsOnEitherSide) {
  auto x = tensor({1.0f, 2.0f});
  EXPECT_EQ((2 * x).to_vector<float>(), (std::vector<float>{2, 4}));
  EXPECT_EQ((1 - x).to_vector<float>(), (std::vector<float>{0, -1}));
  EXPECT_EQ((x / 2).to_vector<float>(), (std::vector<float>{0.5, 1}));
  EXPECT_EQ((4 / x).to_vector<float>(), (std::vector<float>{4, 2}));
  EXPECT_EQ((x + 1).to_vector<float>(), (std::vector<float>{2, 3}));
  // x * 1 folds to x: the program returns its own input, as a copy.
  EXPECT_EQ((x * 1).to_vector<float>(), (std::vector<float>{1, 2}));
}

TEST(Tensor, BroadcastingAndTypePromotion) {
  auto col = tensor({{1}, {2}}, kInt32);           // [2, 1] int32
  auto row = tensor({10.0, 20.0, 30.0}, kFloat64); // [3] float64
  auto sum = col + row;
  EXPECT_EQ(sum.sizes(), (Shape{2, 3}));
  EXPECT_EQ(sum.dtype(), kFloat64);
  EXPECT_EQ(sum.to_vector<double>(),
            (std::vector<double>{11, 21, 31, 12, 22, 32}));
  // Numbers do not widen tensors: int32 + 1 stays int32, but a float number
  // makes an integer tensor float32.
  EXPECT_EQ((col + 1).dtype(), kInt32);
  EXPECT_EQ((col + 1.5).dtype(), kFloat32);
  EXPECT_EQ((tensor({1.0f}, kFloat16) * 2.0).dtype(), kFloat16);
  // A 0-d tensor acts like a number unless it brings a higher category.
  EXPECT_EQ((col + tensor(5, kInt64)).dtype(), kInt32);
  EXPECT_EQ((col + tensor(0.5, kFloat64)).dtype(), kFloat64);
  EXPECT_EQ((tensor({true}) + tensor({true})).dtype(), kBool);
  // True division of integers gives floats.
  EXPECT_EQ((tensor({1, 2}) / tensor({2, 2})).to_vector<float>(),
            (std::vector<float>{0.5, 1}));
  EXPECT_EQ(promote_types(kFloat16, kBFloat16), kFloat32);
}

TEST(Tensor, ScalarAndZeroSizeTensors) {
  auto s = tensor(3.5);
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ((s * 2).item<float>(), 7.0f);
  auto e = zeros({0, 4});
  EXPECT_EQ((e + 1).numel(), 0);
  EXPECT_EQ(e.sum().item<float>(), 0.0f);
  EXPECT_EQ(e.sum(0).sizes(), (Shape{4}));
  EXPECT_EQ(e.sum(0).to_vector<float>(), (std::vector<float>(4, 0)));
}

TEST(Tensor, ReductionsOverDimsWithKeepdim) {
  auto x = tensor({{1.0, 5.0, 3.0}, {4.0, 2.0, 6.0}}, kFloat64);
  EXPECT_EQ(x.sum().item<double>(), 21);
  EXPECT_EQ(x.sum(0).to_vector<double>(), (std::vector<double>{5, 7, 9}));
  EXPECT_EQ(x.sum(1, true).sizes(), (Shape{2, 1}));
  EXPECT_EQ(x.sum({0, 1}).item<double>(), 21);
  EXPECT_EQ(x.mean().item<double>(), 3.5);
  EXPECT_EQ(x.mean(-1).to_vector<double>(), (std::vector<double>{3, 4}));
  EXPECT_EQ(x.max().item<double>(), 6);
  EXPECT_EQ(x.min().item<double>(), 1);
  auto [values, indices] = x.max(1);
  EXPECT_EQ(values.to_vector<double>(), (std::vector<double>{5, 6}));
  EXPECT_EQ(indices.to_vector<int64_t>(), (std::vector<int64_t>{1, 2}));
  auto [mins, where] = x.min(0, true);
  EXPECT_EQ(mins.sizes(), (Shape{1, 3}));
  EXPECT_EQ(where.to_vector<int64_t>(), (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(x.argmax().item<int64_t>(), 5);
  EXPECT_EQ(x.argmin(1).to_vector<int64_t>(), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(tensor({{1, 2}, {3, 4}}).sum().dtype(), kInt64);
  auto p = x.softmax(1).to_vector<double>();
  double z = std::exp(1) + std::exp(5) + std::exp(3);
  EXPECT_NEAR(p[1], std::exp(5) / z, 1e-12);
  EXPECT_NEAR(x.log_softmax(1).to_vector<double>()[0], 1 - std::log(z), 1e-12);
}

TEST(Tensor, MatmulFamily) {
  auto a = tensor({{1.0f, 2.0f}, {3.0f, 4.0f}});
  auto b = tensor({{5.0f, 6.0f}, {7.0f, 8.0f}});
  EXPECT_EQ(a.matmul(b).to_vector<float>(),
            (std::vector<float>{19, 22, 43, 50}));
  EXPECT_EQ(mm(a, b).to_vector<float>(), a.matmul(b).to_vector<float>());
  auto v = tensor({1.0f, 1.0f});
  EXPECT_EQ(a.matmul(v).to_vector<float>(), (std::vector<float>{3, 7}));
  EXPECT_EQ(v.matmul(a).to_vector<float>(), (std::vector<float>{4, 6}));
  EXPECT_EQ(v.matmul(v).dim(), 0);
  EXPECT_EQ(v.matmul(v).item<float>(), 2);
  auto batch = stack({a, b});
  EXPECT_EQ(batch.bmm(batch).sizes(), (Shape{2, 2, 2}));
  EXPECT_EQ(batch.matmul(a).sizes(), (Shape{2, 2, 2}));
  EXPECT_EQ(batch.bmm(batch).to_vector<float>()[4], 5 * 5 + 6 * 7);
}

TEST(Tensor, ShapeOpsAndNonContiguousResults) {
  auto x = arange(6, kFloat32).reshape({2, 3});
  EXPECT_EQ(x.t().sizes(), (Shape{3, 2}));
  EXPECT_EQ(x.t().to_vector<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(x.transpose(0, 1).contiguous().view({6}).to_vector<float>(),
            (std::vector<float>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(x.reshape({-1}).sizes(), (Shape{6}));
  EXPECT_EQ(x.view({3, -1}).sizes(), (Shape{3, 2}));
  EXPECT_EQ(x.unsqueeze(0).sizes(), (Shape{1, 2, 3}));
  EXPECT_EQ(x.unsqueeze(-1).squeeze().sizes(), (Shape{2, 3}));
  EXPECT_EQ(x.flatten().sizes(), (Shape{6}));
  EXPECT_EQ(x.permute({1, 0}).to_vector<float>(), x.t().to_vector<float>());
  EXPECT_EQ(x.expand({4, 2, 3}).sizes(), (Shape{4, 2, 3}));
  EXPECT_EQ(tensor({{1.0f}, {2.0f}}).expand({-1, 3}).to_vector<float>(),
            (std::vector<float>{1, 1, 1, 2, 2, 2}));
  // Slices with steps and negative bounds, as in Python.
  EXPECT_EQ(x.slice(1, 0, 3, 2).to_vector<float>(),
            (std::vector<float>{0, 2, 3, 5}));
  EXPECT_EQ(x.slice(1, -2).to_vector<float>(),
            (std::vector<float>{1, 2, 4, 5}));
  EXPECT_EQ(x.index({1}).to_vector<float>(), (std::vector<float>{3, 4, 5}));
  EXPECT_EQ(x.index({Slice(), 1}).to_vector<float>(),
            (std::vector<float>{1, 4}));
  EXPECT_EQ(x.index({Ellipsis, Slice(1, None)}).sizes(), (Shape{2, 2}));
  EXPECT_EQ(x.index({None, Slice(0, 1)}).sizes(), (Shape{1, 1, 3}));
  EXPECT_EQ(x.index({-1, -1}).item<float>(), 5);
  // A slice of a transpose, then arithmetic on it.
  EXPECT_EQ((x.t().index({Slice(1, 3)}) * 2).to_vector<float>(),
            (std::vector<float>{2, 8, 4, 10}));
  EXPECT_EQ(cat({x, x}, 1).sizes(), (Shape{2, 6}));
  EXPECT_EQ(cat({x, x.to(kFloat64)}).dtype(), kFloat64);
  EXPECT_EQ(stack({x, x}, 2).sizes(), (Shape{2, 3, 2}));
  auto parts = x.chunk(2, 1);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].to_vector<float>(), (std::vector<float>{2, 5}));
  EXPECT_EQ(x.split(1, 0)[1].to_vector<float>(), (std::vector<float>{3, 4, 5}));
  EXPECT_EQ(x.index_select(1, tensor({2, 0})).to_vector<float>(),
            (std::vector<float>{2, 0, 5, 3}));
  EXPECT_EQ(x.narrow(1, 1, 2).to_vector<float>(),
            (std::vector<float>{1, 2, 4, 5}));
}

TEST(Tensor, ConversionsAndClone) {
  auto x = tensor({1.5, -2.5, 0.0}, kFloat64);
  EXPECT_EQ(x.to(kInt32).to_vector<int32_t>(),
            (std::vector<int32_t>{1, -2, 0}));
  EXPECT_EQ(x.to(kBool).to_vector<bool>(),
            (std::vector<bool>{true, true, false}));
  EXPECT_EQ(x.to(kFloat16).to(kFloat64).to_vector<double>(),
            (std::vector<double>{1.5, -2.5, 0}));
  EXPECT_EQ(x.to(kBFloat16).to_vector<float>(),
            (std::vector<float>{1.5, -2.5, 0}));
  EXPECT_EQ((x.to(kBFloat16) * 2).to(kFloat32).sum().item<float>(), -2.0f);
  EXPECT_EQ(tensor({3, -4}).to(kBFloat16).to(kInt32).to_vector<int32_t>(),
            (std::vector<int32_t>{3, -4}));
  EXPECT_EQ(x.to(kFloat16).to(kBFloat16).to_vector<double>(),
            (std::vector<double>{1.5, -2.5, 0}));
  auto c = x.clone();
  c.data_ptr<double>()[0] = 100;
  EXPECT_EQ(x.to_vector<double>()[0], 1.5);
  EXPECT_EQ(x.to("cpu").to_vector<double>(), x.to_vector<double>());
  expectError([&] { x.to(Device("cuda")); }, {"cuda:0", "not supported"});
  expectError([&] { x.data_ptr<float>(); },
              {"kiln.float64", "not kiln.float32"});
}

TEST(Tensor, ErrorsNameTheOpShapesAndLine) {
  auto a = zeros({2, 3});
  auto b = zeros({4, 3});
  // Each lambda notes the line of its failing op; the error must name it.
  int line = 0;
  auto at = [&](auto fn, std::initializer_list<std::string> parts) {
    try {
      fn();
      ADD_FAILURE() << "expected a kiln::Error";
    } catch (const kiln::Error &e) {
      std::string message = e.what();
      for (const std::string &part : parts)
        EXPECT_NE(message.find(part), std::string::npos)
            << "missing '" << part << "' in: " << message;
      EXPECT_NE(message.find(here(line)), std::string::npos)
          << "missing " << here(line) << " in: " << message;
    }
  };
  at([&] { line = __LINE__, (void)(a + b); }, {"add", "[2, 3]", "[4, 3]"});
  at([&] { line = __LINE__, a.matmul(b); }, {"matmul", "[2, 3]", "[4, 3]"});
  at([&] { line = __LINE__, a.reshape({5}); }, {"reshape", "[5]", "[2, 3]"});
  at([&] { line = __LINE__, a.sum(2); }, {"sum", "dimension 2"});
  at([&] { line = __LINE__, a.index({0, 5}); }, {"select", "index 5"});
  at([&] { line = __LINE__, a.to(kInt32).mean(); }, {"mean", "kiln.int32"});
  at([&] { line = __LINE__, a.index_select(0, tensor({0, 7})); },
     {"index_select", "index 7"});
  at([&] { line = __LINE__, a.matmul(zeros({3, 2}, kFloat64)); },
     {"matmul", "kiln.float32", "kiln.float64"});
  at([&] { line = __LINE__, a.item<float>(); }, {"item", "[2, 3]"});
  at([&] { line = __LINE__, zeros({0}).max(); }, {"max", "empty"});
  at([&] { line = __LINE__, tensor({{1, 2}, {3}}); }, {"ragged"});
  at([&] { line = __LINE__, Tensor().sum(); }, {"undefined"});
}

TEST(Tensor, PrintsLikeLibTorch) {
  std::ostringstream os;
  os << tensor({{1.0f, 2.5f}, {-3.0f, 4.0f}});
  EXPECT_EQ(os.str(),
            " 1.0000  2.5000\n-3.0000  4.0000\n[ CPUFloatType{2,2} ]");
  os.str("");
  os << tensor({1, 20});
  EXPECT_EQ(os.str(), "  1\n 20\n[ CPULongType{2} ]");
  os.str("");
  os << tensor(2.0, kFloat64);
  EXPECT_EQ(os.str(), "2\n[ CPUDoubleType{} ]");
  os.str("");
  os << zeros({1, 1, 2}, kInt32);
  EXPECT_EQ(os.str(), "(1,.,.) = \n 0  0\n[ CPUIntType{1,1,2} ]");
}

TEST(Tensor, NpyRoundTripAndCorruptFiles) {
  auto dir = std::filesystem::temp_directory_path() /
             ("kiln-npy-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "x.npy").string();
  auto x = arange(12, kFloat64).reshape({3, 4}) / 7;
  save_npy(x, path);
  auto y = load_npy(path);
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_EQ(y.to_vector<double>(), x.to_vector<double>());
  save_npy(tensor({true, false}), path);
  EXPECT_EQ(load_npy(path).to_vector<bool>(), (std::vector<bool>{true, false}));
  save_npy(tensor(3, kInt32), path);
  EXPECT_EQ(load_npy(path).dim(), 0);

  expectError([&] { load_npy((dir / "missing.npy").string()); },
              {"missing.npy", "cannot open"});
  std::ofstream(dir / "bad.npy") << "not numpy";
  expectError([&] { load_npy((dir / "bad.npy").string()); }, {"bad magic"});
  // Truncate a valid file in the middle of its data.
  save_npy(x, path);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 8);
  expectError([&] { load_npy(path); }, {"truncated data"});
  expectError([&] { save_npy(zeros({2}, kBFloat16), path); }, {"bfloat16"});
  std::filesystem::remove_all(dir);
}

TEST(Tensor, SameGraphCompilesOnceNewShapeCompilesAgain) {
  reset_stats();
  auto w = randn({8, 4});
  kiln::sync();
  Stats before = stats();
  for (int i = 0; i < 100; ++i) {
    // New data each iteration, the same graph: one compile.
    auto x = tensor(std::vector<float>(16, i / 10.0f)).reshape({2, 8});
    auto y = relu(x.matmul(w) + 1).sum();
    EXPECT_TRUE(std::isfinite(y.item<float>()));
  }
  Stats after = stats();
  EXPECT_EQ(after.compiles - before.compiles, 1u);
  EXPECT_EQ(after.cache_hits - before.cache_hits, 99u);
  auto x = zeros({3, 8});
  relu(x.matmul(w) + 1).sum().item<float>();
  EXPECT_EQ(stats().compiles - after.compiles, 1u);
}

TEST(Tensor, ANumberUsedAgainIsOneConstantOfTheGraph) {
  auto x = arange(7, kFloat32);
  kiln::sync();
  auto y = x;
  for (int i = 0; i < 10; ++i)
    y = y * 0.5f + 0.25f; // 20 ops on two constants
  std::vector<float> got = y.to_vector<float>();
  EXPECT_EQ(stats().last_compiled.ops, 22u);
  for (int v = 0; v < 7; ++v) {
    float expected = v;
    for (int i = 0; i < 10; ++i)
      expected = expected * 0.5f + 0.25f;
    EXPECT_FLOAT_EQ(got[v], expected);
  }
  // Equal numbers of another dtype, shape or sign are other constants.
  auto ints = arange(7);
  auto s = (x * 3 + ints * 3).to_vector<float>();
  auto wide = (x.reshape({7, 1}) * 3 + x * 3).sum().item<float>();
  auto signs = ((x + 1) / 0.0 - (x + 1) / -0.0).to_vector<float>();
  for (int v = 0; v < 7; ++v)
    EXPECT_EQ(s[v], 6 * v);
  EXPECT_EQ(wide, 3 * 21 * 7 + 3 * 21 * 7);
  for (int v = 0; v < 7; ++v)
    EXPECT_EQ(signs[v], INFINITY) << "inf - -inf";
  // A constant the program returns keeps its sign too.
  for (float zero : full({5}, -0.0f).to_vector<float>())
    EXPECT_TRUE(std::signbit(zero));
  // A user's constant is never shared: writing to it changes nothing else.
  auto full3 = full({7}, 3.0f);
  auto before = x * 3.0f;
  full3.zero_();
  auto after = x * 3.0f;
  EXPECT_EQ(before.to_vector<float>(), after.to_vector<float>());
  EXPECT_EQ(full3.to_vector<float>(), std::vector<float>(7, 0.0f));
}

TEST(Tensor, SyncComputesTheGivenTensorsInOneProgram) {
  auto a = arange(4, kFloat32) * 2;
  auto b = a + 1;
  Tensor other; // recorded by a thread that is still running
  std::mutex mutex;
  std::condition_variable cv;
  bool recorded = false, synced = false;
  std::thread thread([&] {
    std::unique_lock lock(mutex);
    other = arange(3, kFloat32) - 1;
    recorded = true;
    cv.notify_all();
    cv.wait(lock, [&] { return synced; });
  });
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return recorded; });
  }
  reset_stats();
  kiln::sync(a, b, other);
  EXPECT_EQ(stats().realizes, 2u); // a and b together, then the other
  {
    std::lock_guard lock(mutex);
    synced = true;
    cv.notify_all();
  }
  thread.join();
  // Nothing is left to compute.
  EXPECT_EQ(a.to_vector<float>(), (std::vector<float>{0, 2, 4, 6}));
  EXPECT_EQ(b.to_vector<float>(), (std::vector<float>{1, 3, 5, 7}));
  EXPECT_EQ(other.to_vector<float>(), (std::vector<float>{-1, 0, 1}));
  EXPECT_EQ(stats().realizes, 2u);
  std::vector<Tensor> list = {a * 3, Tensor()};
  kiln::sync(list); // a vector, with an undefined tensor skipped
  EXPECT_EQ(stats().realizes, 3u);
  EXPECT_EQ(list[0].to_vector<float>(), (std::vector<float>{0, 6, 12, 18}));
}

TEST(Tensor, InPlaceOpsLikePyTorch) {
  auto x = arange(4, kFloat32);
  auto alias = x;      // another handle of the same tensor
  auto before = x * 1; // recorded before: reads the old value
  x += 1;
  x.mul_(2).sub_(ones({4}), 0.5);
  EXPECT_EQ(alias.to_vector<float>(), (std::vector<float>{1.5, 3.5, 5.5, 7.5}));
  EXPECT_EQ(before.to_vector<float>(), (std::vector<float>{0, 1, 2, 3}));
  x /= 0.5;     // 3 7 11 15
  x.add_(2, 3); // + 6
  x.clamp_(10, 20);
  EXPECT_EQ(x.to_vector<float>(), (std::vector<float>{10, 13, 17, 20}));
  x.fill_(-1).relu_();
  EXPECT_EQ(x.to_vector<float>(), std::vector<float>(4, 0));
  x -= tensor({1, 2, 3, 4}); // an int64 tensor into a float one
  EXPECT_EQ(alias.to_vector<float>(), (std::vector<float>{-1, -2, -3, -4}));
  // copy_ broadcasts its source and converts any dtype.
  auto m = zeros({2, 3});
  m.copy_(tensor({1.5, 2.5, 3.5}, kFloat64));
  m += tensor({10.0f, 20.0f}).reshape({2, 1});
  EXPECT_EQ(m.to_vector<float>(),
            (std::vector<float>{11.5, 12.5, 13.5, 21.5, 22.5, 23.5}));
  auto ints = arange(3);
  ints.copy_(tensor({0.9, 1.9, -2.9}, kFloat64)); // rounds toward zero
  ints *= 2;
  ints += tensor({1, 1, 1}, kInt32);
  EXPECT_EQ(ints.to_vector<int64_t>(), (std::vector<int64_t>{1, 3, -3}));
  // A float result is not written into an integer tensor, and the result
  // keeps the tensor's shape.
  expectError([&] { ints += 0.5; }, {"add_", "float32", "cannot be cast",
                                     "int64", here(__LINE__ - 1)});
  expectError([&] { ints /= 2; }, {"div_", "cannot be cast"});
  expectError([&] { zeros({3}).add_(ones({2, 3})); },
              {"add_", "[2, 3]", "[3]", "shape", here(__LINE__ - 1)});
  expectError([&] { Tensor().fill_(1); }, {"fill_", "undefined"});
  // A write to a view reaches the viewed tensor, as in PyTorch; an
  // expanded view, whose elements alias, refuses it.
  auto base = zeros({2, 3});
  auto row = base.index({0});
  row.fill_(1);
  base.t().add_(1);
  base.reshape({3, 2}).mul_(2);
  base.detach().add_(1);
  EXPECT_EQ(base.to_vector<float>(), (std::vector<float>{5, 5, 5, 3, 3, 3}));
  expectError([&] { base.unsqueeze(0).expand({4, 2, 3}).relu_(); },
              {"relu_", "expanded view", here(__LINE__ - 1)});
  // What is computed from a view is no view; a reshape to the same shape
  // is the tensor itself.
  auto fromView = row * 1;
  fromView.fill_(2);
  base.reshape({2, 3}).fill_(3);
  EXPECT_EQ(fromView.to_vector<float>(), std::vector<float>(3, 2));
  EXPECT_EQ(base.to_vector<float>(), std::vector<float>(6, 3));
}

TEST(Tensor, TwoThreadsComputeDifferentGraphs) {
  float a = 0, b = 0;
  std::thread t1([&] {
    for (int i = 0; i < 20; ++i)
      a = (arange(10, kFloat32) * 2).sum().item<float>();
  });
  std::thread t2([&] {
    for (int i = 0; i < 20; ++i)
      b = ones({4, 4}).matmul(ones({4, 4})).sum().item<float>();
  });
  t1.join();
  t2.join();
  EXPECT_EQ(a, 90);
  EXPECT_EQ(b, 64);
}

TEST(Tensor, PendingTensorFromAnotherThread) {
  Tensor shared;
  std::thread producer([&] { shared = arange(4, kFloat32) + 1; });
  producer.join();
  EXPECT_EQ((shared * 2).to_vector<float>(), (std::vector<float>{2, 4, 6, 8}));
}

TEST(Tensor, SeedsReproduceBitwise) {
  manual_seed(7);
  auto a = randn({100}).to_vector<float>();
  auto u = rand({100}, kFloat64).to_vector<double>();
  auto i = randint(0, 10, {100}).to_vector<int64_t>();
  manual_seed(7);
  EXPECT_EQ(randn({100}).to_vector<float>(), a);
  EXPECT_EQ(rand({100}, kFloat64).to_vector<double>(), u);
  EXPECT_EQ(randint(0, 10, {100}).to_vector<int64_t>(), i);
  for (int64_t v : i) {
    EXPECT_GE(v, 0);
    EXPECT_LT(v, 10);
  }
  // The same draws on 2 threads as on 1.
  int threads = get_num_threads();
  set_num_threads(2);
  manual_seed(7);
  EXPECT_EQ(randn({100}).to_vector<float>(), a);
  set_num_threads(threads);
  // Later draws differ from earlier ones.
  EXPECT_NE(randn({100}).to_vector<float>(), a);
}

TEST(Tensor, HeldIntermediatesAreRealizedWithTheResult) {
  reset_stats();
  auto x = arange(4, kFloat32);
  auto hidden = x * 3;
  auto out = (hidden + 1).sum();
  EXPECT_EQ(out.item<float>(), 22);
  // `hidden` was computed by the same program: reading it runs nothing.
  EXPECT_FALSE(hidden.is_pending());
  uint64_t realizes = stats().realizes;
  EXPECT_EQ(hidden.to_vector<float>(), (std::vector<float>{0, 3, 6, 9}));
  EXPECT_EQ(stats().realizes, realizes);
}

} // namespace

namespace {

/// Every family of compiled loop on tensors large enough to be shared
/// between threads, each result as doubles.
std::vector<std::vector<double>> largeResults() {
  manual_seed(3);
  auto x = randn({512, 1024});
  auto w = randn({1024});
  auto b = randn({1024});
  auto chain = relu(x * w + b) * sigmoid(x) + 1;
  auto image = randn({8, 3, 64, 64});
  auto filter = randn({16, 3, 3, 3});
  auto features = conv2d(image, filter, {}, {1, 1}, {1, 1});
  std::vector<Tensor> results = {
      chain,
      x.sum(1),
      x.sum(0),
      x.mean(),
      std::get<0>(x.max(0)),
      x.argmax(1),
      x.softmax(1),
      x.log_softmax(0),
      x.matmul(randn({1024, 64})),
      randn({64, 4096}).matmul(randn({4096, 64})),
      x.t().contiguous(),
      cat({x, chain}, 1),
      x.index_select(0, randint(0, 512, {300})),
      layer_norm(x, {1024}),
      features,
      max_pool2d(features, {2, 2}),
  };
  std::vector<std::vector<double>> values;
  for (const Tensor &r : results)
    values.push_back(r.to(kFloat64).to_vector<double>());
  return values;
}

//===----------------------------------------------------------------------===//
// Hostile programs
//===----------------------------------------------------------------------===//

TEST(Tensor, OpsReadFromBlobMemoryWhenCalled) {
  // As in PyTorch: an op sees the values at its call, even when the caller
  // refills or frees the memory before the graph runs.
  std::vector<float> buffer(1024, 1.0f);
  Tensor t = from_blob(buffer.data(), {1024});
  Tensor sum = cat({t, t}).sum();
  std::fill(buffer.begin(), buffer.end(), 7.0f);
  EXPECT_EQ(sum.item<float>(), 2048.0f);
  // The from_blob tensor itself still shares the caller's memory.
  EXPECT_EQ(t.sum().item<float>(), 7168.0f);
  buffer[0] = 3;
  EXPECT_EQ(t.sum().item<float>(), 7164.0f);

  // Freed before realizing (AddressSanitizer would see a read after free).
  Tensor doubled;
  {
    auto owned = std::make_unique<float[]>(64);
    std::fill(owned.get(), owned.get() + 64, 2.0f);
    doubled = (from_blob(owned.get(), {64}) * 2).sum();
  }
  EXPECT_EQ(doubled.item<float>(), 256.0f);

  // A dataset that fills one buffer per sample.
  std::vector<Tensor> samples;
  for (int i = 0; i < 10; ++i) {
    std::fill(buffer.begin(), buffer.end(), float(i));
    samples.push_back(from_blob(buffer.data(), {4}) + 0);
  }
  EXPECT_EQ(stack(samples).sum(1).to_vector<float>(),
            (std::vector<float>{0, 4, 8, 12, 16, 20, 24, 28, 32, 36}));
}

TEST(Tensor, SizesThatOverflowAreErrors) {
  int64_t huge = int64_t(1) << 40;
  expectError([&] { empty({huge, huge}); },
              {"empty", "[1099511627776, 1099511627776]",
               "its element count overflows"});
  expectError([&] { zeros({huge, 16}); },
              {"more than 2^40", "TensorTest.cpp:"});
  Tensor x = randn({1, 16});
  expectError([&] { x.expand({huge, huge, 16}); },
              {"more than 1 TiB", "overflows", "TensorTest.cpp:"});
  // The product of (2^62 + 1) and 16 wraps around to 16 in int64.
  expectError([&] { randn({16}).reshape({(int64_t(1) << 62) + 1, 16}); },
              {"reshape"});
  expectError([&] { arange(0, 1e18); }, {"arange", "more than 2^40"});
  expectError([&] { linspace(0, 1, int64_t(1) << 50); },
              {"linspace", "more than 2^40"});
  expectError([&] { randn({huge / 2, 4}).sum().item<float>(); },
              {"more than 1 TiB"});
}

TEST(Tensor, LongChainsTearDownWithoutRecursion) {
  // Dropping a chain of pending ops (and the autograd history of one that
  // requires grad) must not recurse once per op: 19,000 ops on a 1 MiB
  // stack.
  auto drop = [](bool requiresGrad) {
    Tensor x = ones({2});
    if (requiresGrad)
      x.requires_grad_();
    Tensor y = x;
    for (int i = 0; i < 19000; ++i)
      y = y + 1.0f;
  };
  for (bool grad : {false, true}) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1 << 20);
    pthread_t thread;
    auto body = [](void *arg) -> void * {
      (*static_cast<std::function<void()> *>(arg))();
      return nullptr;
    };
    std::function<void()> run = [&] { drop(grad); };
    ASSERT_EQ(pthread_create(&thread, &attr, body, &run), 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
  }
}

TEST(Tensor, IntegerPowersAsPyTorch) {
  Tensor n = arange(5);
  Tensor squared = n.pow(2);
  EXPECT_EQ(squared.dtype(), kInt64);
  EXPECT_EQ(squared.to_vector<int64_t>(),
            (std::vector<int64_t>{0, 1, 4, 9, 16}));
  EXPECT_EQ(n.pow(0).to_vector<int64_t>(),
            (std::vector<int64_t>{1, 1, 1, 1, 1}));
  EXPECT_EQ(full({1}, 3, kInt32).pow(13).to_vector<int64_t>(),
            (std::vector<int64_t>{1594323}));
  expectError([&] { n.pow(-1); },
              {"pow", "integers to negative integer powers are not allowed"});
  EXPECT_EQ(n.pow(0.5).dtype(), kFloat32);
}

TEST(Tensor, TheProgramCacheKeepsTheMostRecentlyUsed) {
  set_program_cache_limit(2);
  reset_stats();
  auto run = [](int64_t n) { return (ones({n}) * 3).sum().item<float>(); };
  for (int64_t n : {101, 102, 103, 104})
    EXPECT_EQ(run(n), 3.0f * n);
  Stats stats = kiln::stats();
  EXPECT_LE(stats.program_cache_size, 2u);
  EXPECT_GE(stats.program_cache_evictions, 2u);
  // The most recent one is still there; an evicted one compiles again.
  uint64_t compiles = stats.compiles;
  EXPECT_EQ(run(104), 312.0f);
  EXPECT_EQ(kiln::stats().compiles, compiles);
  EXPECT_EQ(run(101), 303.0f);
  EXPECT_EQ(kiln::stats().compiles, compiles + 1);
  set_program_cache_limit(1024);
}

} // namespace

TEST(Tensor, LargeLoopsGiveTheSameBitsOnOneAndTwoThreads) {
  int threads = get_num_threads();
  set_num_threads(1);
  reset_stats();
  auto one = largeResults();
  EXPECT_EQ(stats().parallel_loops, 0u);
  set_num_threads(2);
  reset_stats();
  auto two = largeResults();
  // The same programs, now sharing their large loops between two threads.
  EXPECT_EQ(stats().compiles, 0u);
  EXPECT_GT(stats().parallel_loops, 10u);
  set_num_threads(threads);
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i)
    EXPECT_EQ(one[i], two[i]) << "result " << i;
}

TEST(Tensor, DeterministicAlgorithmsGiveTheSameBitsForAnyThreadCount) {
  int threads = get_num_threads();
  set_num_threads(2);
  manual_seed(5);
  auto a = randn({96, 700}), b = randn({700, 80});
  auto fast = a.matmul(b).to_vector<float>();
  EXPECT_FALSE(are_deterministic_algorithms_enabled());
  use_deterministic_algorithms(true);
  EXPECT_TRUE(are_deterministic_algorithms_enabled());
  reset_stats();
  auto two = largeResults();
  // Programs compiled for the other setting are not reused.
  EXPECT_GT(stats().compiles, 0u);
  auto exact = a.matmul(b).to_vector<float>();
  set_num_threads(1);
  auto one = largeResults();
  use_deterministic_algorithms(false);
  set_num_threads(threads);
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i)
    EXPECT_EQ(one[i], two[i]) << "result " << i;
  // Kiln's loops and oneDNN agree up to rounding.
  ASSERT_EQ(exact.size(), fast.size());
  for (size_t i = 0; i < exact.size(); ++i)
    EXPECT_NEAR(exact[i], fast[i], 1e-3f * (1 + std::abs(fast[i])));
}

TEST(Tensor, FusionRunsAChainAsOneKernelWithTheSameResults) {
  manual_seed(11);
  auto x = randn({300}), w = randn({300}), b = randn({300});
  kiln::sync();
  auto chain = [&] {
    auto y = relu(x * w + b) * sigmoid(x) + 1;
    return y.to_vector<float>();
  };
  bool wasEnabled = is_fusion_enabled();
  set_fusion_enabled(true);
  EXPECT_TRUE(is_fusion_enabled());
  auto fused = chain();
  uint64_t fusedKernels = stats().last_compiled.kernels;
  set_fusion_enabled(false);
  auto unfused = chain();
  uint64_t unfusedKernels = stats().last_compiled.kernels;
  EXPECT_FALSE(is_fusion_enabled());
  set_fusion_enabled(wasEnabled);
  EXPECT_EQ(fusedKernels, 1u);
  EXPECT_EQ(unfusedKernels, 6u); // mul, add, relu, sigmoid, mul, add
  ASSERT_EQ(fused.size(), unfused.size());
  for (size_t i = 0; i < fused.size(); ++i)
    EXPECT_NEAR(fused[i], unfused[i], 1e-6f * (1 + std::abs(fused[i])));
}

TEST(Tensor, KilnDumpWritesEachCompiledProgram) {
  auto dir = std::filesystem::temp_directory_path() /
             ("kiln-dump-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ::setenv("KILN_DUMP", dir.c_str(), 1);
  auto y = (arange(7, kFloat32) * 3 + 1).tanh().sum(); // a graph of its own
  float value = y.item<float>();
  ::unsetenv("KILN_DUMP");
  EXPECT_NEAR(value, 6.0f, 1.0f); // tanh(1) + six values near 1
  std::vector<std::filesystem::path> files;
  for (auto &entry : std::filesystem::directory_iterator(dir))
    files.push_back(entry.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename().string().rfind("program-", 0), 0u);
  std::ifstream in(files[0]);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("kiln.tanh"), std::string::npos);
  EXPECT_NE(text.str().find("TensorTest.cpp"), std::string::npos);
  std::filesystem::remove_all(dir);
}
