//===- JitTest.cpp - kiln IR compiled to native code and run --------------===//
#include "RandomValues.h"

#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cpu/Object.h"
#include "kiln/ir/KilnDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/FormatVariadic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

#include <unistd.h>

using namespace kiln::codegen;

using kiln::testing::randomValues;

namespace {

/// Parses `source` and JIT-compiles its @main.
std::unique_ptr<JitFunction> compile(mlir::MLIRContext &context,
                                     llvm::StringRef source) {
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

TEST(Jit, DonatedInputsAreOverwrittenInPlace) {
  // A momentum step: both old values can be donated to the new ones; the
  // gradient is read after the momentum's loop, but never written over.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  auto fn = compile(context, R"mlir(
    func.func @main(%p: tensor<1000xf32>, %m: tensor<1000xf32>, %g: tensor<1000xf32>, %lr: tensor<f32>)
        -> (tensor<1000xf32>, tensor<1000xf32>)
        attributes {kiln.donatable = array<i64: 0, 1, 2>} {
      %c = kiln.constant dense<0.9> : tensor<1000xf32>
      %0 = kiln.mul %m, %c : tensor<1000xf32>
      %m2 = kiln.add %0, %g : tensor<1000xf32>
      %l = kiln.broadcast_to %lr : tensor<f32> -> tensor<1000xf32>
      %1 = kiln.mul %m2, %l : tensor<1000xf32>
      %p2 = kiln.sub %p, %1 : tensor<1000xf32>
      return %p2, %m2 : tensor<1000xf32>, tensor<1000xf32>
    })mlir");
  ASSERT_TRUE(fn);
  ASSERT_EQ(fn->donations().size(), 2u);
  for (const JitFunction::Donation &d : fn->donations()) {
    EXPECT_EQ(d.input, d.output == 0 ? 0u : 1u); // p into p2, m into m2
    EXPECT_EQ(d.bytes, 4000u);
  }
  auto floats = [](uint64_t seed) {
    std::vector<double> values = randomValues(1000, seed);
    return std::vector<float>(values.begin(), values.end());
  };
  std::vector<float> p = floats(1), m = floats(2), g = floats(3);
  float lr = 0.1f;
  std::vector<float> wantP(1000), wantM(1000);
  for (int i = 0; i < 1000; ++i) {
    wantM[i] = m[i] * 0.9f + g[i];
    wantP[i] = p[i] - wantM[i] * lr;
  }
  // Apart: the inputs are copied to the outputs first and left as they were.
  std::vector<float> p2(1000), m2(1000), p0 = p, m0 = m;
  fn->run({p.data(), m.data(), g.data(), &lr}, {p2.data(), m2.data()});
  EXPECT_EQ(p2, wantP);
  EXPECT_EQ(m2, wantM);
  EXPECT_EQ(p, p0);
  EXPECT_EQ(m, m0);
  // Donated: one buffer each, updated in place.
  fn->run({p.data(), m.data(), g.data(), &lr}, {p.data(), m.data()});
  EXPECT_EQ(p, wantP);
  EXPECT_EQ(m, wantM);
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

//===----------------------------------------------------------------------===//
// Convolution and pooling against naive references (PyTorch's definitions)
//===----------------------------------------------------------------------===//

using Shape = std::array<int64_t, 4>;

int64_t numElements(const Shape &shape) {
  return shape[0] * shape[1] * shape[2] * shape[3];
}

/// "2x3x4x5".
std::string dims(const Shape &shape) {
  std::string text = std::to_string(shape[0]);
  for (int64_t d : llvm::ArrayRef(shape).drop_front())
    text += "x" + std::to_string(d);
  return text;
}

/// "tensor<2x3x4x5xf32>".
std::string tensorType(const Shape &shape, const std::string &element) {
  return "tensor<" + dims(shape) + "x" + element + ">";
}

/// "[1, 2]".
std::string list(const std::array<int64_t, 2> &values) {
  return "[" + std::to_string(values[0]) + ", " + std::to_string(values[1]) +
         "]";
}

template <typename T> std::string elementName() {
  return std::is_same_v<T, float> ? "f32" : "f64";
}

template <typename T> std::vector<T> converted(const std::vector<double> &v) {
  return std::vector<T>(v.begin(), v.end());
}

double dot(const std::vector<double> &a, const std::vector<double> &b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i)
    sum += a[i] * b[i];
  return sum;
}

/// `x + scale * direction`.
std::vector<double> shifted(const std::vector<double> &x,
                            const std::vector<double> &direction,
                            double scale) {
  std::vector<double> result(x);
  for (size_t i = 0; i < x.size(); ++i)
    result[i] += scale * direction[i];
  return result;
}

/// Whether `actual` matches `expected` elementwise within `tolerance` (or
/// equals it, for infinities); names the first element that does not.
template <typename T>
testing::AssertionResult allNear(const std::vector<T> &actual,
                                 const std::vector<double> &expected,
                                 double tolerance) {
  if (actual.size() != expected.size())
    return testing::AssertionFailure() << "sizes differ";
  for (size_t i = 0; i < actual.size(); ++i)
    if (actual[i] != expected[i] &&
        !(std::abs(actual[i] - expected[i]) <= tolerance))
      return testing::AssertionFailure()
             << "element " << i << " is " << actual[i] << ", expected "
             << expected[i];
  return testing::AssertionSuccess();
}

struct ConvCase {
  const char *name;
  int64_t batch, channels, height, width, outChannels, kernelH, kernelW;
  std::array<int64_t, 2> stride, padding, dilation;
  int64_t groups;

  Shape input() const { return {batch, channels, height, width}; }
  Shape filter() const {
    return {outChannels, channels / groups, kernelH, kernelW};
  }
  Shape output() const {
    auto size = [&](int i, int64_t in, int64_t kernel) {
      return (in + 2 * padding[i] - dilation[i] * (kernel - 1) - 1) /
                 stride[i] +
             1;
    };
    return {batch, outChannels, size(0, height, kernelH),
            size(1, width, kernelW)};
  }
  std::string attributes() const {
    return "stride = " + list(stride) + " padding = " + list(padding) +
           " dilation = " + list(dilation) +
           " groups = " + std::to_string(groups);
  }
};

std::ostream &operator<<(std::ostream &os, const ConvCase &c) {
  return os << "input " << dims(c.input()) << ", filter " << dims(c.filter())
            << ", " << c.attributes();
}

/// Calls `term(x, w, y)` with the flat indices of every product
/// `input[x] * filter[w]` that PyTorch's conv2d adds into `output[y]`
/// (products with padding are zero and left out). The input and filter
/// gradients are sums of the same terms.
template <typename F> void forEachConvTerm(const ConvCase &c, F term) {
  Shape out = c.output();
  int64_t groupIn = c.channels / c.groups, groupOut = c.outChannels / c.groups;
  for (int64_t n = 0; n < c.batch; ++n)
    for (int64_t o = 0; o < c.outChannels; ++o)
      for (int64_t oh = 0; oh < out[2]; ++oh)
        for (int64_t ow = 0; ow < out[3]; ++ow)
          for (int64_t i = 0; i < groupIn; ++i)
            for (int64_t kh = 0; kh < c.kernelH; ++kh)
              for (int64_t kw = 0; kw < c.kernelW; ++kw) {
                int64_t h =
                    oh * c.stride[0] - c.padding[0] + kh * c.dilation[0];
                int64_t w =
                    ow * c.stride[1] - c.padding[1] + kw * c.dilation[1];
                if (h < 0 || h >= c.height || w < 0 || w >= c.width)
                  continue;
                int64_t channel = o / groupOut * groupIn + i;
                term(((n * c.channels + channel) * c.height + h) * c.width + w,
                     ((o * groupIn + i) * c.kernelH + kh) * c.kernelW + kw,
                     ((n * c.outChannels + o) * out[2] + oh) * out[3] + ow);
              }
}

/// @main(x, w, dy) -> (conv2d(x, w), grad_input(dy, w), grad_filter(x, dy)).
template <typename T>
std::unique_ptr<JitFunction> compileConv(mlir::MLIRContext &context,
                                         const ConvCase &c) {
  std::string e = elementName<T>();
  return compile(context,
                 llvm::formatv(R"mlir(
    func.func @main(%x: {0}, %w: {1}, %dy: {2}) -> ({2}, {0}, {1}) {{
      %y = kiln.conv2d %x, %w {3} : {0}, {1}
      %dx = kiln.conv2d_grad_input %dy, %w {3} : {2}, {1} -> {0}
      %dw = kiln.conv2d_grad_filter %x, %dy {3} : {0}, {2} -> {1}
      return %y, %dx, %dw : {2}, {0}, {1}
    })mlir",
                               tensorType(c.input(), e),
                               tensorType(c.filter(), e),
                               tensorType(c.output(), e), c.attributes())
                     .str());
}

template <typename T> void checkConv(const ConvCase &c, double tolerance) {
  SCOPED_TRACE(testing::Message() << elementName<T>() << ", " << c);
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  auto fn = compileConv<T>(context, c);
  ASSERT_TRUE(fn);
  int64_t nx = numElements(c.input()), nw = numElements(c.filter()),
          ny = numElements(c.output());
  std::vector<double> x = randomValues(nx, 1), w = randomValues(nw, 2),
                      dy = randomValues(ny, 3);
  std::vector<double> y(ny), dx(nx), dw(nw);
  forEachConvTerm(c, [&](int64_t xi, int64_t wi, int64_t yi) {
    y[yi] += x[xi] * w[wi];
    dx[xi] += dy[yi] * w[wi];
    dw[wi] += x[xi] * dy[yi];
  });
  auto xT = converted<T>(x), wT = converted<T>(w), dyT = converted<T>(dy);
  std::vector<T> yOut(ny), dxOut(nx), dwOut(nw);
  fn->run({xT.data(), wT.data(), dyT.data()},
          {yOut.data(), dxOut.data(), dwOut.data()});
  EXPECT_TRUE(allNear(yOut, y, tolerance)) << "conv2d";
  EXPECT_TRUE(allNear(dxOut, dx, tolerance)) << "conv2d_grad_input";
  EXPECT_TRUE(allNear(dwOut, dw, tolerance)) << "conv2d_grad_filter";
}

/// One case in f32 (false) or f64 (true); a test each, as every compile
/// takes a noticeable fraction of a second.
template <typename Case>
struct CaseTest : testing::TestWithParam<std::tuple<Case, bool>> {
  static std::string
  name(const testing::TestParamInfo<std::tuple<Case, bool>> &info) {
    return std::string(std::get<0>(info.param).name) +
           (std::get<1>(info.param) ? "F64" : "F32");
  }
};

const ConvCase convCases[] = {
    {"Plain", 2, 3, 6, 5, 4, 3, 3, {1, 1}, {0, 0}, {1, 1}, 1},
    {"Stride2Padding1", 2, 3, 7, 8, 4, 3, 3, {2, 2}, {1, 1}, {1, 1}, 1},
    // Stride 2 leaves input row 7 in no window: its gradient is 0.
    {"RowInNoWindow", 1, 2, 8, 6, 3, 3, 2, {2, 2}, {0, 0}, {1, 1}, 1},
    {"Dilation2", 2, 2, 7, 7, 3, 3, 3, {1, 1}, {1, 1}, {2, 2}, 1},
    // A 1x1 filter with padding: the border outputs see only padding.
    {"BorderSeesOnlyPadding", 1, 2, 5, 4, 3, 1, 1, {2, 1}, {1, 1}, {1, 1}, 1},
    {"Groups2", 2, 4, 7, 6, 6, 3, 3, {2, 2}, {1, 1}, {1, 1}, 2},
    {"Groups2Mixed", 1, 4, 9, 8, 4, 2, 3, {1, 2}, {2, 1}, {2, 1}, 2},
};

struct Conv2dJit : CaseTest<ConvCase> {};

TEST_P(Conv2dJit, MatchesReference) {
  auto [c, f64] = GetParam();
  if (f64)
    checkConv<double>(c, 1e-12);
  else
    checkConv<float>(c, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Jit, Conv2dJit,
                         testing::Combine(testing::ValuesIn(convCases),
                                          testing::Bool()),
                         Conv2dJit::name);

struct PoolCase {
  const char *name;
  int64_t batch, channels, height, width;
  std::array<int64_t, 2> kernel, stride, padding;

  Shape input() const { return {batch, channels, height, width}; }
  Shape output() const {
    auto size = [&](int i, int64_t in) {
      return (in + 2 * padding[i] - kernel[i]) / stride[i] + 1;
    };
    return {batch, channels, size(0, height), size(1, width)};
  }
  std::string attributes() const {
    return "kernel = " + list(kernel) + " stride = " + list(stride) +
           " padding = " + list(padding);
  }
};

std::ostream &operator<<(std::ostream &os, const PoolCase &c) {
  return os << "input " << dims(c.input()) << ", " << c.attributes();
}

/// Calls `window(y, inputs, size)` for every pooling window: the flat index
/// of its output, the flat indices of the input elements it covers in
/// row-major order (not padding), and its size with padding.
template <typename F> void forEachPoolWindow(const PoolCase &c, F window) {
  Shape out = c.output();
  for (int64_t nc = 0; nc < c.batch * c.channels; ++nc)
    for (int64_t oh = 0; oh < out[2]; ++oh)
      for (int64_t ow = 0; ow < out[3]; ++ow) {
        std::vector<int64_t> inputs;
        for (int64_t kh = 0; kh < c.kernel[0]; ++kh)
          for (int64_t kw = 0; kw < c.kernel[1]; ++kw) {
            int64_t h = oh * c.stride[0] - c.padding[0] + kh;
            int64_t w = ow * c.stride[1] - c.padding[1] + kw;
            if (h >= 0 && h < c.height && w >= 0 && w < c.width)
              inputs.push_back((nc * c.height + h) * c.width + w);
          }
        window((nc * out[2] + oh) * out[3] + ow, inputs,
               c.kernel[0] * c.kernel[1]);
      }
}

/// @main(x, dy) -> (max_pool2d(x), max_pool2d_grad(x, dy)).
template <typename T>
std::unique_ptr<JitFunction> compileMaxPool(mlir::MLIRContext &context,
                                            const PoolCase &c) {
  std::string e = elementName<T>();
  return compile(context,
                 llvm::formatv(R"mlir(
    func.func @main(%x: {0}, %dy: {1}) -> ({1}, {0}) {{
      %y = kiln.max_pool2d %x {2} : {0}
      %dx = kiln.max_pool2d_grad %x, %dy {2} : {0}, {1}
      return %y, %dx : {1}, {0}
    })mlir",
                               tensorType(c.input(), e),
                               tensorType(c.output(), e), c.attributes())
                     .str());
}

/// @main(x, dy) -> (avg_pool2d(x), avg_pool2d_grad(dy)), with and without
/// count_include_pad.
template <typename T>
std::unique_ptr<JitFunction> compileAvgPool(mlir::MLIRContext &context,
                                            const PoolCase &c) {
  std::string e = elementName<T>();
  return compile(context,
                 llvm::formatv(R"mlir(
    func.func @main(%x: {0}, %dy: {1}) -> ({1}, {0}, {1}, {0}) {{
      %y = kiln.avg_pool2d %x {2} count_include_pad = true : {0}
      %dx = kiln.avg_pool2d_grad %dy {2} count_include_pad = true : {1} -> {0}
      %y2 = kiln.avg_pool2d %x {2} count_include_pad = false : {0}
      %dx2 = kiln.avg_pool2d_grad %dy {2} count_include_pad = false : {1} -> {0}
      return %y, %dx, %y2, %dx2 : {1}, {0}, {1}, {0}
    })mlir",
                               tensorType(c.input(), e),
                               tensorType(c.output(), e), c.attributes())
                     .str());
}

template <typename T> void checkMaxPool(const PoolCase &c) {
  SCOPED_TRACE(testing::Message() << elementName<T>() << ", " << c);
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  auto fn = compileMaxPool<T>(context, c);
  ASSERT_TRUE(fn);
  int64_t nx = numElements(c.input()), ny = numElements(c.output());
  // Few distinct values, so that windows have tied maxima; and a block of
  // -inf at the left edge, where the gradient of windows that hold only -inf
  // goes to their first input element (not to padding, -inf too).
  std::vector<double> x = randomValues(nx, 4), dy = randomValues(ny, 5);
  for (double &v : x)
    v = std::floor(v * 3);
  for (int64_t h = 0; h < 4; ++h)
    for (int64_t w = 0; w < 2; ++w)
      x[h * c.width + w] = -std::numeric_limits<double>::infinity();
  std::vector<double> y(ny), dx(nx);
  forEachPoolWindow(
      c, [&](int64_t yi, const std::vector<int64_t> &inputs, int64_t) {
        int64_t first = inputs[0];
        for (int64_t i : inputs)
          if (x[i] > x[first])
            first = i;
        y[yi] = x[first];
        dx[first] += dy[yi];
      });
  auto xT = converted<T>(x), dyT = converted<T>(dy);
  std::vector<T> yOut(ny), dxOut(nx);
  fn->run({xT.data(), dyT.data()}, {yOut.data(), dxOut.data()});
  EXPECT_TRUE(allNear(yOut, y, 0)) << "max_pool2d";
  EXPECT_TRUE(allNear(dxOut, dx, 1e-6)) << "max_pool2d_grad";
}

template <typename T> void checkAvgPool(const PoolCase &c, double tolerance) {
  SCOPED_TRACE(testing::Message() << elementName<T>() << ", " << c);
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  auto fn = compileAvgPool<T>(context, c);
  ASSERT_TRUE(fn);
  int64_t nx = numElements(c.input()), ny = numElements(c.output());
  std::vector<double> x = randomValues(nx, 6), dy = randomValues(ny, 7);
  std::vector<double> yIn(ny), dxIn(nx), yEx(ny), dxEx(nx);
  forEachPoolWindow(
      c, [&](int64_t yi, const std::vector<int64_t> &inputs, int64_t size) {
        double count = static_cast<double>(inputs.size());
        for (int64_t i : inputs) {
          yIn[yi] += x[i] / size;
          dxIn[i] += dy[yi] / size;
          yEx[yi] += x[i] / count;
          dxEx[i] += dy[yi] / count;
        }
      });
  auto xT = converted<T>(x), dyT = converted<T>(dy);
  std::vector<T> yInOut(ny), dxInOut(nx), yExOut(ny), dxExOut(nx);
  fn->run({xT.data(), dyT.data()},
          {yInOut.data(), dxInOut.data(), yExOut.data(), dxExOut.data()});
  EXPECT_TRUE(allNear(yInOut, yIn, tolerance)) << "count_include_pad";
  EXPECT_TRUE(allNear(dxInOut, dxIn, tolerance)) << "count_include_pad grad";
  EXPECT_TRUE(allNear(yExOut, yEx, tolerance)) << "!count_include_pad";
  EXPECT_TRUE(allNear(dxExOut, dxEx, tolerance)) << "!count_include_pad grad";
}

const PoolCase poolCases[] = {
    {"NonOverlapping", 2, 3, 6, 6, {2, 2}, {2, 2}, {0, 0}},
    {"Kernel3Stride2Padding1", 2, 3, 7, 6, {3, 3}, {2, 2}, {1, 1}},
    {"Stride1Padding1", 1, 2, 5, 5, {3, 3}, {1, 1}, {1, 1}},
    // Row 5 and column 4 are in no window.
    {"InputInNoWindow", 1, 2, 6, 5, {3, 2}, {2, 3}, {1, 0}},
};

struct MaxPool2dJit : CaseTest<PoolCase> {};
struct AvgPool2dJit : CaseTest<PoolCase> {};

TEST_P(MaxPool2dJit, MatchesReference) {
  auto [c, f64] = GetParam();
  if (f64)
    checkMaxPool<double>(c);
  else
    checkMaxPool<float>(c);
}

TEST_P(AvgPool2dJit, MatchesReference) {
  auto [c, f64] = GetParam();
  if (f64)
    checkAvgPool<double>(c, 1e-14);
  else
    checkAvgPool<float>(c, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Jit, MaxPool2dJit,
                         testing::Combine(testing::ValuesIn(poolCases),
                                          testing::Bool()),
                         MaxPool2dJit::name);
INSTANTIATE_TEST_SUITE_P(Jit, AvgPool2dJit,
                         testing::Combine(testing::ValuesIn(poolCases),
                                          testing::Bool()),
                         AvgPool2dJit::name);

/// Whether `analytic`, a gradient's inner product with a direction, matches
/// `finiteDifference`, the central difference of the forward function along
/// it, to 1e-6 relative.
testing::AssertionResult derivativesAgree(double analytic,
                                          double finiteDifference) {
  if (std::abs(analytic - finiteDifference) <=
      1e-6 * std::max(std::abs(analytic), 1.0))
    return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "gradient gives " << analytic << ", finite differences "
         << finiteDifference;
}

constexpr double epsilon = 1e-6;

/// Checks in f64 that the JITed conv2d_grad_input and conv2d_grad_filter of
/// a cotangent g give the derivatives of <g, conv2d(x, w)> along random
/// directions v of x and u of w: <grad_input(g, w), v> is the derivative of
/// <g, conv2d(x + t v, w)> at t = 0, and likewise for the filter.
TEST(Jit, Conv2dGradientsMatchFiniteDifferences) {
  // Stride2Padding1 and Groups2Mixed.
  for (const ConvCase &c : {convCases[1], convCases[6]}) {
    SCOPED_TRACE(testing::Message() << c);
    mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
    auto fn = compileConv<double>(context, c);
    ASSERT_TRUE(fn);
    int64_t nx = numElements(c.input()), nw = numElements(c.filter()),
            ny = numElements(c.output());
    std::vector<double> x = randomValues(nx, 8), w = randomValues(nw, 9),
                        g = randomValues(ny, 10), v = randomValues(nx, 11),
                        u = randomValues(nw, 12);
    std::vector<double> y(ny), dx(nx), dw(nw);
    // <g, conv2d(x, w)>; also sets dx and dw for g.
    auto objective = [&](std::vector<double> xs, std::vector<double> ws) {
      fn->run({xs.data(), ws.data(), g.data()},
              {y.data(), dx.data(), dw.data()});
      return dot(g, y);
    };
    double alongV = (objective(shifted(x, v, epsilon), w) -
                     objective(shifted(x, v, -epsilon), w)) /
                    (2 * epsilon);
    double alongU = (objective(x, shifted(w, u, epsilon)) -
                     objective(x, shifted(w, u, -epsilon))) /
                    (2 * epsilon);
    objective(x, w);
    EXPECT_TRUE(derivativesAgree(dot(dx, v), alongV)) << "conv2d_grad_input";
    EXPECT_TRUE(derivativesAgree(dot(dw, u), alongU)) << "conv2d_grad_filter";
  }
}

/// As Conv2dGradientsMatchFiniteDifferences, for the pools' gradients.
/// Random inputs keep every window's maximum apart from the rest by far more
/// than epsilon, so max_pool2d is linear around them.
TEST(Jit, PoolGradientsMatchFiniteDifferences) {
  const PoolCase &c = poolCases[1]; // Kernel3Stride2Padding1
  int64_t nx = numElements(c.input()), ny = numElements(c.output());
  std::vector<double> x = randomValues(nx, 13), g = randomValues(ny, 14),
                      v = randomValues(nx, 15);
  std::vector<double> xPlus = shifted(x, v, epsilon),
                      xMinus = shifted(x, v, -epsilon);
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  {
    auto fn = compileMaxPool<double>(context, c);
    ASSERT_TRUE(fn);
    std::vector<double> y(ny), dx(nx);
    auto objective = [&](std::vector<double> &xs) {
      fn->run({xs.data(), g.data()}, {y.data(), dx.data()});
      return dot(g, y);
    };
    double along = (objective(xPlus) - objective(xMinus)) / (2 * epsilon);
    objective(x);
    EXPECT_TRUE(derivativesAgree(dot(dx, v), along)) << "max_pool2d_grad";
  }
  auto fn = compileAvgPool<double>(context, c);
  ASSERT_TRUE(fn);
  std::vector<double> yIn(ny), dxIn(nx), yEx(ny), dxEx(nx);
  auto run = [&](std::vector<double> &xs) {
    fn->run({xs.data(), g.data()},
            {yIn.data(), dxIn.data(), yEx.data(), dxEx.data()});
  };
  run(xPlus);
  double plusIn = dot(g, yIn), plusEx = dot(g, yEx);
  run(xMinus);
  double alongIn = (plusIn - dot(g, yIn)) / (2 * epsilon),
         alongEx = (plusEx - dot(g, yEx)) / (2 * epsilon);
  run(x);
  EXPECT_TRUE(derivativesAgree(dot(dxIn, v), alongIn))
      << "avg_pool2d_grad, count_include_pad";
  EXPECT_TRUE(derivativesAgree(dot(dxEx, v), alongEx))
      << "avg_pool2d_grad, !count_include_pad";
}

} // namespace

TEST(Jit, TemporariesLiveInOneArenaAndRunsAllocateNothing) {
  const char *source = R"mlir(
    func.func @main(%x: tensor<64x96xf32>, %w: tensor<96x96xf32>)
        -> tensor<64x96xf32> {
      %h = kiln.matmul %x, %w : tensor<64x96xf32>, tensor<96x96xf32>
      %r = kiln.relu %h : tensor<64x96xf32>
      %y = kiln.matmul %r, %w : tensor<64x96xf32>, tensor<96x96xf32>
      %t = kiln.tanh %y : tensor<64x96xf32>
      %z = kiln.matmul %t, %w : tensor<64x96xf32>, tensor<96x96xf32>
      %s = kiln.relu %z : tensor<64x96xf32>
      %o = kiln.matmul %s, %w : tensor<64x96xf32>, tensor<96x96xf32>
      return %o : tensor<64x96xf32>
    })mlir";
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<kiln::ir::KilnDialect>();
  // The lowered code calls no allocator: every temporary is a view of the
  // arena the caller passes.
  auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  ASSERT_TRUE(module);
  ASSERT_TRUE(mlir::succeeded(lowerTo(*module, Stage::LLVM)));
  module->walk([](mlir::LLVM::CallOp call) {
    std::optional<llvm::StringRef> callee = call.getCallee();
    ASSERT_TRUE(callee);
    EXPECT_FALSE(callee->contains("alloc") || *callee == "free")
        << "calls " << callee->str();
  });

  auto fn = compile(context, source);
  ASSERT_TRUE(fn);
  // Three temporaries (the matmul calls apply relu and tanh as they write
  // them): the first is dead when the third is made.
  int64_t buffer = 64 * 96 * 4;
  EXPECT_EQ(fn->naiveBytes(), 3 * buffer);
  EXPECT_EQ(fn->arenaLowerBound(), 2 * buffer);
  EXPECT_EQ(fn->arenaBytes(), 2 * buffer);
  // Four matmul calls, each writing its output whole (no fills).
  EXPECT_EQ(fn->kernels(), 4);

  std::vector<float> x(64 * 96), w(96 * 96);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(std::sin(0.37 * i));
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<float>(std::cos(0.11 * i)) / 16;
  auto matmul = [&](const std::vector<double> &a) {
    std::vector<double> c(64 * 96, 0.0);
    for (int i = 0; i < 64; ++i)
      for (int k = 0; k < 96; ++k)
        for (int j = 0; j < 96; ++j)
          c[i * 96 + j] += a[i * 96 + k] * w[k * 96 + j];
    return c;
  };
  std::vector<double> expected = matmul({x.begin(), x.end()});
  for (double &v : expected)
    v = std::max(v, 0.0);
  expected = matmul(expected);
  for (double &v : expected)
    v = std::tanh(v);
  expected = matmul(expected);
  for (double &v : expected)
    v = std::max(v, 0.0);
  expected = matmul(expected);

  // Runs reuse arenas, one thread after another or several at once.
  auto check = [&] {
    std::vector<float> out(64 * 96, -1.0f);
    fn->run({x.data(), w.data()}, {out.data()});
    for (size_t i = 0; i < out.size(); ++i)
      if (std::abs(out[i] - expected[i]) > 1e-3 * (1 + std::abs(expected[i])))
        return false;
    return true;
  };
  EXPECT_TRUE(check());
  EXPECT_TRUE(check());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i)
        failures += !check();
    });
  for (auto &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Jit, DiskCacheKeepsEntriesAndRejectsDamagedOnes) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("kiln-cache-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::string warning;
  DiskCache cache(dir.string(), &warning);
  ASSERT_TRUE(cache.enabled()) << warning;
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all,
            fs::perms::owner_all);

  CachedProgram program;
  program.object = std::string(1000, 'x') + "an object";
  program.arenaBytes = 4096;
  program.arenaLowerBound = 2048;
  program.naiveBytes = 8192;
  program.kernels = 7;
  program.donations = {0, 1, 3, 0};
  cache.store("program one", program);
  std::optional<CachedProgram> loaded = cache.load("program one");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->object, program.object);
  EXPECT_EQ(loaded->arenaBytes, 4096);
  EXPECT_EQ(loaded->arenaLowerBound, 2048);
  EXPECT_EQ(loaded->naiveBytes, 8192);
  EXPECT_EQ(loaded->kernels, 7);
  EXPECT_EQ(loaded->donations, program.donations);
  EXPECT_FALSE(cache.load("program two"));

  // One flipped byte: the entry is ignored and removed.
  std::string file = cache.path("program one");
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(500);
    f.put('y');
  }
  std::string why;
  EXPECT_FALSE(cache.load("program one", &why));
  EXPECT_NE(why.find("checksum does not match"), std::string::npos) << why;
  EXPECT_FALSE(fs::exists(file));

  // An entry copied under another key's name belongs to another program.
  cache.store("program one", program);
  fs::copy_file(cache.path("program one"), cache.path("program two"));
  EXPECT_FALSE(cache.load("program two", &why));
  EXPECT_NE(why.find("another program"), std::string::npos) << why;

  // A folder that others can write holds code nobody vouches for.
  fs::permissions(dir, fs::perms::all);
  DiskCache shared(dir.string(), &warning);
  EXPECT_FALSE(shared.enabled());
  EXPECT_NE(warning.find("other users can write to it"), std::string::npos)
      << warning;
  EXPECT_FALSE(shared.load("program one"));
  fs::remove_all(dir);
}

TEST(Jit, DiskCacheRefusesAFolderUnderOneOthersCanWrite) {
  namespace fs = std::filesystem;
  fs::path parent = fs::temp_directory_path() /
                    ("kiln-cache-parent-" + std::to_string(::getpid()));
  fs::remove_all(parent);
  fs::create_directories(parent / "cache");
  fs::permissions(parent / "cache", fs::perms::owner_all);
  std::string warning;
  EXPECT_TRUE(DiskCache((parent / "cache").string(), &warning).enabled())
      << warning;
  // Whoever can write the parent can swap the cache folder for their own.
  fs::permissions(parent, fs::perms::all);
  DiskCache cache((parent / "cache").string(), &warning);
  EXPECT_FALSE(cache.enabled());
  EXPECT_NE(
      warning.find("other users can write to its parent " + parent.string()),
      std::string::npos)
      << warning;
  // The same two levels up.
  fs::create_directories(parent / "a" / "b");
  fs::permissions(parent / "a", fs::perms::owner_all);
  fs::permissions(parent / "a" / "b", fs::perms::owner_all);
  EXPECT_FALSE(DiskCache((parent / "a" / "b").string(), &warning).enabled());
  fs::permissions(parent, fs::perms::owner_all);
  EXPECT_TRUE(DiskCache((parent / "a" / "b").string(), &warning).enabled())
      << warning;
  fs::remove_all(parent);
}

TEST(Jit, ObjectsCallOnlyTheRuntimeLibraries) {
  EXPECT_TRUE(isRuntimeLibrarySymbol("expf"));
  EXPECT_TRUE(isRuntimeLibrarySymbol("tanh"));
  EXPECT_TRUE(isRuntimeLibrarySymbol("_ZGVdN8v_expf"));
  EXPECT_TRUE(isRuntimeLibrarySymbol("memset"));
  EXPECT_FALSE(isRuntimeLibrarySymbol("system"));
  EXPECT_FALSE(isRuntimeLibrarySymbol("_ZGVdN8v_system"));
  EXPECT_FALSE(isRuntimeLibrarySymbol("getpid"));
  // An object that calls another function of the process does not load.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<kiln::ir::KilnDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func private @getpid() -> i32
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
      %p = func.call @getpid() : () -> i32
      %e = kiln.exp %x : tensor<4xf32>
      return %e : tensor<4xf32>
    })mlir",
                                                        &context);
  ASSERT_TRUE(module);
  ASSERT_TRUE(mlir::succeeded(lowerToLLVMDialect(*module)));
  std::string error;
  std::optional<std::string> object = emitObject(*module, "main", error);
  ASSERT_TRUE(object) << error;
  ASSERT_NE(object->find("getpid"), std::string::npos);
  EXPECT_FALSE(loadObject(*object, error)) << "getpid was resolved";
  EXPECT_NE(error.find("the program calls 'getpid', which is not a function "
                       "Kiln's generated code may call"),
            std::string::npos)
      << error;
}

TEST(Jit, ExpLoopsVectorizeThroughTheVectorMathLibrary) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<kiln::ir::KilnDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @main(%x: tensor<4096xf32>) -> tensor<4096xf32> {
      %e = kiln.exp %x : tensor<4096xf32>
      return %e : tensor<4096xf32>
    })mlir",
                                                        &context);
  ASSERT_TRUE(module);
  ASSERT_TRUE(mlir::succeeded(lowerToLLVMDialect(*module)));
  std::string error;
  std::optional<std::string> object = emitObject(*module, "main", error);
  ASSERT_TRUE(object) << error;
  // The loop calls glibc's vector expf (_ZGV<isa>N<lanes>v_expf).
  size_t call = object->find("_ZGV");
  ASSERT_NE(call, std::string::npos);
  EXPECT_NE(object->find("v_expf", call), std::string::npos);
}
