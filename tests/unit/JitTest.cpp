//===- JitTest.cpp - kiln IR compiled to native code and run --------------===//
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/ir/KilnDialect.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace kiln::codegen;

namespace {

/// Parses `source` and JIT-compiles its @main.
std::unique_ptr<JitFunction> compile(mlir::MLIRContext &context,
                                     const char *source) {
  context.loadDialect<kiln::ir::KilnDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  EXPECT_TRUE(module);
  if (!module)
    return nullptr;
  std::string error;
  auto fn = JitFunction::compile(*module, "main", error);
  EXPECT_TRUE(fn) << error;
  return fn;
}

TEST(Jit, MatmulBiasRelu) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  auto fn = compile(context, R"mlir(
    func.func @main(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %b: tensor<2xf32>) -> tensor<2x2xf32> {
      %0 = kiln.matmul %x, %w : tensor<2x3xf32>, tensor<3x2xf32>
      %1 = kiln.broadcast_to %b : tensor<2xf32> -> tensor<2x2xf32>
      %2 = kiln.add %0, %1 : tensor<2x2xf32>
      %3 = kiln.relu %2 : tensor<2x2xf32>
      return %3 : tensor<2x2xf32>
    })mlir");
  ASSERT_TRUE(fn);
  std::vector<float> x = {1, 2, 3, 4, 5, 6}, w = {1, -1, 0, 1, 1, -1},
                     b = {0.5f, -10}, y(4, -1);
  fn->run({x.data(), w.data(), b.data()}, {y.data()});
  // x @ w = [[4, -2], [10, -5]]; + b; relu
  EXPECT_EQ(y, (std::vector<float>{4.5f, 0, 10.5f, 0}));
}

TEST(Jit, SoftmaxArgmaxAndKeepdimReductions) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  auto fn = compile(context, R"mlir(
    func.func @main(%x: tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<2xi64>, tensor<2x1xf64>) {
      %0 = kiln.softmax %x dim = 1 : tensor<2x3xf64>
      %1 = kiln.argmax %x dim = 1 : tensor<2x3xf64>
      %2 = kiln.reduce_sum %x dims = [1] keepdim : tensor<2x3xf64>
      return %0, %1, %2 : tensor<2x3xf64>, tensor<2xi64>, tensor<2x1xf64>
    })mlir");
  ASSERT_TRUE(fn);
  std::vector<double> x = {1, 3, 2, 5, 5, -1}, p(6);
  std::vector<int64_t> arg(2);
  std::vector<double> sums(2);
  fn->run({x.data()}, {p.data(), arg.data(), sums.data()});
  double z = std::exp(1) + std::exp(3) + std::exp(2);
  EXPECT_NEAR(p[0], std::exp(1) / z, 1e-12);
  EXPECT_NEAR(p[1], std::exp(3) / z, 1e-12);
  EXPECT_EQ(arg, (std::vector<int64_t>{1, 0})); // first of the tied maxima
  EXPECT_EQ(sums, (std::vector<double>{6, 9}));
}

TEST(Jit, RandomNumbersDependOnlyOnSeedAndOffset) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  auto fn = compile(context, R"mlir(
    func.func @main(%seed: tensor<i64>, %offset: tensor<i64>) -> (tensor<1000xf32>, tensor<1000xf64>) {
      %0 = kiln.rng_uniform %seed, %offset : tensor<1000xf32>
      %1 = kiln.rng_normal %seed, %offset : tensor<1000xf64>
      return %0, %1 : tensor<1000xf32>, tensor<1000xf64>
    })mlir");
  ASSERT_TRUE(fn);
  int64_t seed = 42, offset = 0;
  std::vector<float> u(1000), u2(1000);
  std::vector<double> n(1000), n2(1000);
  fn->run({&seed, &offset}, {u.data(), n.data()});
  fn->run({&seed, &offset}, {u2.data(), n2.data()});
  EXPECT_EQ(u, u2);
  EXPECT_EQ(n, n2);
  double mean = 0, var = 0;
  for (float v : u) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LT(v, 1.0f);
    mean += v / 1000;
  }
  EXPECT_NEAR(mean, 0.5, 0.05);
  mean = 0;
  for (double v : n)
    mean += v / 1000;
  for (double v : n)
    var += (v - mean) * (v - mean) / 1000;
  EXPECT_NEAR(mean, 0.0, 0.1);
  EXPECT_NEAR(var, 1.0, 0.15);
  // A shifted offset continues the same stream.
  offset = 10;
  std::vector<float> shifted(1000);
  fn->run({&seed, &offset}, {shifted.data(), n2.data()});
  EXPECT_EQ(shifted[0], u[10]);
}

} // namespace
