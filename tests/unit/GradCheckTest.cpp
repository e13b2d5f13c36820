//===- GradCheckTest.cpp - kiln-autodiff against finite differences -------===//
//
// Every differentiable op is checked in f64: a private @f computes
// sum(op(inputs) * c) for a fixed random c, @main asks `kiln.grad` for the
// gradient with respect to every input, and each gradient entry is compared
// with the central difference (f(x + h e_i) - f(x - h e_i)) / 2h. The JIT
// pipeline runs kiln-autodiff, so this covers the pass, the VJPs and their
// lowering together.
//
// Second order: the same cases again, with @f's loss squared
// (sum(op(x)^2 * c)) and an outer function g = sum(grad f * c') that itself
// holds the kiln.grad; @main differentiates g, so every adjoint op is
// differentiated in turn.
//
// Compiling is the slow part, so the cases of a test share one module: each
// case has its own inputs and loss, and one run perturbs one coordinate of
// every case at once (a case's loss depends on its own inputs only).
//
//===----------------------------------------------------------------------===//
#include "RandomValues.h"

#include "kiln/codegen/cpu/Jit.h"
#include "kiln/ir/KilnDialect.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace kiln::codegen;

using kiln::testing::randomValues;

namespace {

using Shape = std::vector<int64_t>;

/// Where an input's values are drawn from, to stay away from the points
/// where an op is not differentiable (relu and abs at 0) or not defined.
enum class Domain {
  Any,          ///< [-1, 1)
  Positive,     ///< [0.5, 2)
  AwayFromZero, ///< [-1, -0.2] and [0.2, 1)
  Wide,         ///< [-3, 3)
};

struct Input {
  Shape shape;
  Domain domain = Domain::Any;
};

struct Case {
  std::string name;
  std::vector<Input> inputs;
  /// Defines `%y`, of shape `output` and element type f64, from the inputs
  /// `%a0`, `%a1`, ...
  std::string body;
  Shape output;
  /// Functions the body refers to; their names must be unique in the test.
  std::string helpers = "";
  /// Finite-difference step and the tolerance abs + rel * |difference|.
  double h = 1e-6, abs = 1e-6, rel = 1e-5;
};

int64_t numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// "tensor<2x3xf64>", "tensor<f64>" for 0-d.
std::string tensorType(const Shape &shape, const std::string &element = "f64") {
  std::string text = "tensor<";
  for (int64_t d : shape)
    text += std::to_string(d) + "x";
  return text + element + ">";
}

/// "[0, 1, 2]" for the dimensions of a rank-`rank` tensor.
std::string allDims(size_t rank) {
  std::string text = "[";
  for (size_t d = 0; d < rank; ++d)
    text += (d ? ", " : "") + std::to_string(d);
  return text + "]";
}

/// Values as an exact dense literal: dense<"0x...">, little-endian doubles.
std::string denseLiteral(const std::vector<double> &values) {
  static const char *digits = "0123456789ABCDEF";
  std::string text = "dense<\"0x";
  for (double v : values) {
    unsigned char bytes[8];
    std::memcpy(bytes, &v, 8);
    for (unsigned char byte : bytes) {
      text += digits[byte >> 4];
      text += digits[byte & 15];
    }
  }
  return text + "\">";
}

std::vector<double> randomInput(const Input &input, uint64_t seed) {
  std::vector<double> values = randomValues(numElements(input.shape), seed);
  for (double &v : values) {
    switch (input.domain) {
    case Domain::Any:
      break;
    case Domain::Positive:
      v = 0.5 + 0.75 * (v + 1);
      break;
    case Domain::AwayFromZero:
      v = (v < 0 ? -1 : 1) * (0.2 + 0.8 * std::abs(v));
      break;
    case Domain::Wide:
      v *= 3;
      break;
    }
  }
  return values;
}

/// The private function `@name` computing `sum(y * c)`, or `sum(y * y * c)`
/// with `squared`.
std::string lossFunction(const Case &c, const std::string &name, bool squared,
                         uint64_t seed) {
  std::string y = tensorType(c.output);
  std::string text = "func.func private @" + name + "(";
  for (size_t j = 0; j < c.inputs.size(); ++j)
    text += (j ? ", %a" : "%a") + std::to_string(j) + ": " +
            tensorType(c.inputs[j].shape);
  text += ") -> tensor<f64> {\n" + c.body + "\n";
  std::string product = "%y";
  if (squared) {
    text += "  %loss_sq = kiln.mul %y, %y : " + y + "\n";
    product = "%loss_sq";
  }
  text += "  %loss_c = kiln.constant " +
          denseLiteral(randomValues(numElements(c.output), seed)) + " : " + y +
          "\n";
  text += "  %loss_p = kiln.mul " + product + ", %loss_c : " + y + "\n";
  text +=
      "  %loss = kiln.reduce_sum %loss_p dims = " + allDims(c.output.size()) +
      " : " + y + "\n";
  return text + "  return %loss : tensor<f64>\n}\n";
}

std::string inputTypes(const Case &c) {
  std::string text;
  for (size_t j = 0; j < c.inputs.size(); ++j)
    text += (j ? ", " : "") + tensorType(c.inputs[j].shape);
  return text;
}

std::string wrtAll(const Case &c) { return allDims(c.inputs.size()); }

/// `kiln.grad @callee(args) wrt [all]` as `%result:n`.
std::string gradRequest(const Case &c, const std::string &result,
                        const std::string &callee,
                        const std::vector<std::string> &args) {
  std::string text = "  " + result + ":" + std::to_string(1 + c.inputs.size()) +
                     " = kiln.grad @" + callee + "(";
  for (size_t j = 0; j < args.size(); ++j)
    text += (j ? ", " : "") + args[j];
  text += ") wrt " + wrtAll(c) + " : (" + inputTypes(c) + ") -> (tensor<f64>";
  for (const Input &input : c.inputs)
    text += ", " + tensorType(input.shape);
  return text + ")\n";
}

/// The module of a test: per case, @f<k> (and for second order @g<k>, the
/// loss over @f<k>'s gradients), and @main returning each case's loss and
/// gradients in turn.
std::string moduleText(const std::vector<Case> &cases, bool secondOrder) {
  std::string text, mainArgs, mainResults, mainBody, returned;
  for (size_t k = 0; k < cases.size(); ++k) {
    const Case &c = cases[k];
    std::string f = "f" + std::to_string(k), g = "g" + std::to_string(k);
    text += c.helpers + "\n" + lossFunction(c, f, secondOrder, 100 + k);
    std::string target = f;
    if (secondOrder) {
      // g(a) = sum(concat(flattened grad f(a)) * c').
      target = g;
      text += "func.func private @" + g + "(";
      std::vector<std::string> args;
      for (size_t j = 0; j < c.inputs.size(); ++j) {
        args.push_back("%a" + std::to_string(j));
        text += (j ? ", " : "") + args.back() + ": " +
                tensorType(c.inputs[j].shape);
      }
      text += ") -> tensor<f64> {\n" + gradRequest(c, "%r", f, args);
      int64_t total = 0;
      std::string flats, flatTypes;
      for (size_t j = 0; j < c.inputs.size(); ++j) {
        int64_t n = numElements(c.inputs[j].shape);
        std::string flat = "%flat" + std::to_string(j);
        text += "  " + flat + " = kiln.reshape %r#" + std::to_string(j + 1) +
                " : " + tensorType(c.inputs[j].shape) + " -> " +
                tensorType({n}) + "\n";
        flats += (j ? ", " : "") + flat;
        flatTypes += (j ? ", " : "") + tensorType({n});
        total += n;
      }
      Case outer{c.name,
                 c.inputs,
                 "  %y = kiln.concat " + flats + " dim = 0 : " + flatTypes,
                 {total}};
      std::string loss = lossFunction(outer, "unused", false, 200 + k);
      // Reuse the loss tail of lossFunction: everything after the header.
      text += loss.substr(loss.find('\n') + 1);
    }
    std::vector<std::string> args;
    for (size_t j = 0; j < c.inputs.size(); ++j) {
      args.push_back("%x" + std::to_string(k) + "_" + std::to_string(j));
      mainArgs += (mainArgs.empty() ? "" : ", ") + args.back() + ": " +
                  tensorType(c.inputs[j].shape);
    }
    std::string r = "%r" + std::to_string(k);
    mainBody += gradRequest(c, r, target, args);
    for (size_t i = 0; i <= c.inputs.size(); ++i) {
      std::string type = i ? tensorType(c.inputs[i - 1].shape) : "tensor<f64>";
      mainResults += (mainResults.empty() ? "" : ", ") + type;
      returned += (returned.empty() ? "" : ", ") + r + "#" + std::to_string(i);
    }
  }
  text += "func.func @main(" + mainArgs + ") -> (" + mainResults + ") {\n" +
          mainBody + "  return " + returned + " : " + mainResults + "\n}\n";
  return text;
}

/// Compiles the cases into one module and compares every gradient entry with
/// its central difference.
void checkGradients(const std::vector<Case> &cases, bool secondOrder) {
  SCOPED_TRACE(secondOrder ? "second order" : "first order");
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<kiln::ir::KilnDialect>();
  std::string text = moduleText(cases, secondOrder);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context);
  ASSERT_TRUE(module) << text;
  std::string error;
  auto fn = JitFunction::compile(*module, "main", error);
  ASSERT_TRUE(fn) << error << "\n" << text;

  // Buffers: per case its inputs, then its loss and gradients.
  std::vector<std::vector<double>> inputs, outputs;
  std::vector<size_t> firstInput, firstOutput;
  size_t coordinates = 0;
  for (size_t k = 0; k < cases.size(); ++k) {
    firstInput.push_back(inputs.size());
    firstOutput.push_back(outputs.size());
    outputs.emplace_back(1);
    size_t count = 0;
    for (size_t j = 0; j < cases[k].inputs.size(); ++j) {
      inputs.push_back(randomInput(cases[k].inputs[j], 10 * k + j + 1));
      outputs.emplace_back(inputs.back().size());
      count += inputs.back().size();
    }
    coordinates = std::max(coordinates, count);
  }
  auto run = [&] {
    std::vector<void *> in, out;
    for (auto &buffer : inputs)
      in.push_back(buffer.data());
    for (auto &buffer : outputs)
      out.push_back(buffer.data());
    fn->run(in, out);
  };
  run();
  std::vector<std::vector<double>> gradients = outputs;

  // Coordinate t of case k: the element of its inputs, flattened in order.
  auto locate = [&](size_t k, size_t t) -> double * {
    for (size_t j = 0; j < cases[k].inputs.size(); ++j) {
      std::vector<double> &buffer = inputs[firstInput[k] + j];
      if (t < buffer.size())
        return &buffer[t];
      t -= buffer.size();
    }
    return nullptr;
  };
  std::vector<int> failures(cases.size());
  for (size_t t = 0; t < coordinates; ++t) {
    std::vector<double> plus(cases.size()), minus(cases.size());
    auto perturb = [&](double sign) {
      for (size_t k = 0; k < cases.size(); ++k)
        if (double *x = locate(k, t))
          *x += sign * cases[k].h;
    };
    perturb(+1);
    run();
    for (size_t k = 0; k < cases.size(); ++k)
      plus[k] = outputs[firstOutput[k]][0];
    perturb(-2);
    run();
    for (size_t k = 0; k < cases.size(); ++k)
      minus[k] = outputs[firstOutput[k]][0];
    perturb(+1);

    for (size_t k = 0; k < cases.size(); ++k) {
      const Case &c = cases[k];
      size_t j = 0, i = t;
      while (j < c.inputs.size() && i >= inputs[firstInput[k] + j].size())
        i -= inputs[firstInput[k] + j++].size();
      if (j == c.inputs.size())
        continue;
      double difference = (plus[k] - minus[k]) / (2 * c.h);
      double gradient = gradients[firstOutput[k] + 1 + j][i];
      double tolerance = c.abs + c.rel * std::abs(difference);
      if (!(std::abs(gradient - difference) <= tolerance) && failures[k]++ < 5)
        ADD_FAILURE() << c.name << ": d/d input " << j << " element " << i
                      << " is " << gradient << ", the finite difference "
                      << difference << " (tolerance " << tolerance << ")";
    }
  }
}

void checkFirstAndSecondOrder(const std::vector<Case> &cases) {
  checkGradients(cases, /*secondOrder=*/false);
  checkGradients(cases, /*secondOrder=*/true);
}

/// `%y = kiln.<op> %a0 : tensor<shape>`.
Case unary(const std::string &op, Shape shape, Domain domain = Domain::Any,
           const std::string &attributes = "") {
  return {op + attributes,
          {{shape, domain}},
          "  %y = kiln." + op + " %a0" + attributes + " : " + tensorType(shape),
          shape};
}

/// `%y = kiln.<op>` of both inputs broadcast to `shape`.
Case binary(const std::string &op, Input lhs, Input rhs, Shape shape) {
  std::string out = tensorType(shape);
  return {op,
          {lhs, rhs},
          "  %b0 = kiln.broadcast_to %a0 : " + tensorType(lhs.shape) + " -> " +
              out +
              "\n  %b1 = kiln.broadcast_to %a1 : " + tensorType(rhs.shape) +
              " -> " + out + "\n  %y = kiln." + op + " %b0, %b1 : " + out,
          shape};
}

} // namespace

//===----------------------------------------------------------------------===//
// First and second order, by op family
//===----------------------------------------------------------------------===//

TEST(GradCheck, ElementwiseUnary) {
  Shape s = {2, 3};
  checkFirstAndSecondOrder({
      unary("neg", s),
      unary("abs", s, Domain::AwayFromZero),
      unary("exp", s),
      unary("log", s, Domain::Positive),
      unary("log1p", s, Domain::Positive),
      unary("erf", s),
      unary("sqrt", s, Domain::Positive),
      unary("rsqrt", s, Domain::Positive),
      unary("reciprocal", s, Domain::AwayFromZero),
      unary("tanh", s),
      unary("sigmoid", {4}, Domain::Wide),
      unary("relu", s, Domain::AwayFromZero),
      unary("gelu", {8}, Domain::Wide, " approximate = none"),
      unary("gelu", {8}, Domain::Wide, " approximate = tanh"),
      unary("sin", s, Domain::Wide),
      unary("cos", s, Domain::Wide),
      // Piecewise constant ops pass nothing back: only the other factor
      // counts.
      {"sign",
       {{s, Domain::AwayFromZero}},
       "  %s = kiln.sign %a0 : tensor<2x3xf64>\n"
       "  %y = kiln.mul %s, %a0 : tensor<2x3xf64>",
       s},
      {"floor",
       {{s, Domain::Wide}},
       "  %s = kiln.floor %a0 : tensor<2x3xf64>\n"
       "  %t = kiln.mul %s, %a0 : tensor<2x3xf64>\n"
       "  %y = kiln.add %t, %s : tensor<2x3xf64>",
       s},
  });
}

TEST(GradCheck, ElementwiseBinary) {
  checkFirstAndSecondOrder({
      binary("add", {{2, 3}}, {{3}}, {2, 3}),
      binary("sub", {{2, 1, 3}}, {{4, 3}}, {2, 4, 3}),
      binary("mul", {{3, 1}}, {{1, 4}}, {3, 4}),
      binary("div", {{2, 3}}, {{3}, Domain::Positive}, {2, 3}),
      binary("pow", {{2, 3}, Domain::Positive}, {{2, 3}, Domain::Wide}, {2, 3}),
      binary("pow", {{2, 3}, Domain::Positive}, {{}}, {2, 3}),
      binary("maximum", {{2, 3}}, {{2, 3}}, {2, 3}),
      binary("minimum", {{3, 4}}, {{4}}, {3, 4}),
      // The same value twice: both uses add up.
      {"square", {{{5}}}, "  %y = kiln.mul %a0, %a0 : tensor<5xf64>", {5}},
  });
}

TEST(GradCheck, SelectConvertAndNonDifferentiable) {
  Shape s = {2, 3};
  std::string t = tensorType(s);
  checkFirstAndSecondOrder({
      {"select",
       {{s}, {s}},
       "  %m = kiln.constant dense<[[true, false, true], [false, false, "
       "true]]> : tensor<2x3xi1>\n"
       "  %y = kiln.select %m, %a0, %a1 : tensor<2x3xi1>, " +
           t,
       s},
      // A condition computed from the inputs through compare, not, and, or.
      {"select-computed",
       {{s, Domain::AwayFromZero}, {s, Domain::AwayFromZero}},
       "  %z = kiln.constant dense<0.0> : " + t +
           "\n"
           "  %p = kiln.compare gt, %a0, %z : " +
           t +
           "\n"
           "  %q = kiln.compare lt, %a1, %z : " +
           t +
           "\n"
           "  %nq = kiln.not %q : tensor<2x3xi1>\n"
           "  %m1 = kiln.and %p, %nq : tensor<2x3xi1>\n"
           "  %m = kiln.or %m1, %q : tensor<2x3xi1>\n"
           "  %s = kiln.select %m, %a0, %a1 : tensor<2x3xi1>, " +
           t + "\n  %y = kiln.mul %s, %a1 : " + t,
       s},
      // Through integers: only the float path has a gradient.
      {"convert-int",
       {{s, Domain::Wide}},
       "  %i = kiln.convert %a0 : " + t +
           " to tensor<2x3xi32>\n"
           "  %f = kiln.convert %i : tensor<2x3xi32> to " +
           t + "\n  %y = kiln.mul %f, %a0 : " + t,
       s},
      // argmax indices feed a gather: the indices carry nothing back.
      {"argmax-gather",
       {{{3, 4}}},
       "  %i = kiln.argmax %a0 dim = 1 : tensor<3x4xf64>\n"
       "  %y = kiln.gather %a0, %i dim = 1 : tensor<3x4xf64>, tensor<3xi64>",
       {3, 3}},
      {"rng-iota-fill",
       {{s}, {{}}},
       "  %seed = kiln.constant dense<7> : tensor<i64>\n"
       "  %offset = kiln.constant dense<3> : tensor<i64>\n"
       "  %r = kiln.rng_normal %seed, %offset : " +
           t +
           "\n"
           "  %u = kiln.rng_uniform %seed, %offset : " +
           t +
           "\n"
           "  %i = kiln.iota dim = 1 : " +
           t +
           "\n"
           "  %v = kiln.fill %a1 : tensor<f64> -> " +
           t + "\n  %p = kiln.mul %r, %a0 : " + t +
           "\n  %q = kiln.mul %i, %v : " + t + "\n  %w = kiln.mul %u, %v : " +
           t + "\n  %pq = kiln.add %p, %q : " + t +
           "\n  %y = kiln.mul %pq, %w : " + t,
       s},
      // An input that does not reach the output: a zero gradient.
      {"unused-input", {{s}, {{4}}}, "  %y = kiln.exp %a0 : " + t, s},
  });
}

TEST(GradCheck, ConvertFloatToFloat) {
  // Through f32: the loss is quadratic in x, so a large step has no
  // truncation error, and f32 rounding sets the tolerance.
  Case c = {"convert-f32",
            {{{2, 3}}},
            "  %h = kiln.convert %a0 : tensor<2x3xf64> to tensor<2x3xf32>\n"
            "  %s = kiln.mul %h, %h : tensor<2x3xf32>\n"
            "  %y = kiln.convert %s : tensor<2x3xf32> to tensor<2x3xf64>",
            {2, 3}};
  c.h = 1e-2;
  c.abs = 1e-4;
  c.rel = 1e-4;
  checkGradients({c}, /*secondOrder=*/false);
}

TEST(GradCheck, Shape) {
  checkFirstAndSecondOrder({
      {"broadcast_to",
       {{{3, 1}}},
       "  %y = kiln.broadcast_to %a0 : tensor<3x1xf64> -> tensor<2x3x4xf64>",
       {2, 3, 4}},
      {"reshape",
       {{{2, 6}}},
       "  %y = kiln.reshape %a0 : tensor<2x6xf64> -> tensor<3x4xf64>",
       {3, 4}},
      {"transpose",
       {{{2, 3, 4}}},
       "  %y = kiln.transpose %a0, permutation = [2, 0, 1] : "
       "tensor<2x3x4xf64>",
       {4, 2, 3}},
      {"slice",
       {{{5, 6}}},
       "  %y = kiln.slice %a0 start = [1, 2] limit = [4, 5] strides = [1, 1] "
       ": tensor<5x6xf64>",
       {3, 3}},
      {"slice-strided",
       {{{7, 8}}},
       "  %y = kiln.slice %a0 start = [1, 0] limit = [7, 8] strides = [2, 3] "
       ": tensor<7x8xf64>",
       {3, 3}},
      {"slice-strided-3d",
       {{{4, 5, 6}}},
       "  %y = kiln.slice %a0 start = [0, 1, 1] limit = [4, 5, 6] strides = "
       "[3, 1, 2] : tensor<4x5x6xf64>",
       {2, 4, 3}},
      {"concat",
       {{{2, 3}}, {{4, 3}}},
       "  %y = kiln.concat %a0, %a1 dim = 0 : tensor<2x3xf64>, "
       "tensor<4x3xf64>",
       {6, 3}},
      {"concat-dim1",
       {{{2, 3}}, {{2, 2}}, {{2, 1}}},
       "  %y = kiln.concat %a0, %a1, %a2 dim = 1 : tensor<2x3xf64>, "
       "tensor<2x2xf64>, tensor<2x1xf64>",
       {2, 6}},
      // The padding value is differentiated too.
      {"pad",
       {{{3, 4}}, {{}}},
       "  %y = kiln.pad %a0, %a1 low = [1, 0] high = [2, 1] : "
       "tensor<3x4xf64>, tensor<f64>",
       {6, 5}},
      {"gather",
       {{{5, 3}}},
       "  %i = kiln.constant dense<[[0, 2], [4, 2]]> : tensor<2x2xi64>\n"
       "  %y = kiln.gather %a0, %i dim = 0 : tensor<5x3xf64>, "
       "tensor<2x2xi64>",
       {2, 2, 3}},
      {"gather-dim1",
       {{{3, 4}}},
       "  %i = kiln.constant dense<[3, 0, 3]> : tensor<3xi32>\n"
       "  %y = kiln.gather %a0, %i dim = 1 : tensor<3x4xf64>, tensor<3xi32>",
       {3, 3}},
      {"scatter_add",
       {{{5, 3}}, {{4, 3}}},
       "  %i = kiln.constant dense<[1, 3, 1, 0]> : tensor<4xi64>\n"
       "  %y = kiln.scatter_add %a0, %i, %a1 dim = 0 : tensor<5x3xf64>, "
       "tensor<4xi64>, tensor<4x3xf64>",
       {5, 3}},
  });
}

TEST(GradCheck, Reductions) {
  checkFirstAndSecondOrder({
      {"reduce_sum",
       {{{2, 3, 4}}},
       "  %y = kiln.reduce_sum %a0 dims = [0, 2] : tensor<2x3x4xf64>",
       {3}},
      {"reduce_sum-keepdim",
       {{{2, 3, 4}}},
       "  %y = kiln.reduce_sum %a0 dims = [1] keepdim : tensor<2x3x4xf64>",
       {2, 1, 4}},
      {"reduce_max",
       {{{3, 4}}},
       "  %y = kiln.reduce_max %a0 dims = [1] : tensor<3x4xf64>",
       {3}},
      {"reduce_min-keepdim",
       {{{3, 4}}},
       "  %y = kiln.reduce_min %a0 dims = [0] keepdim : tensor<3x4xf64>",
       {1, 4}},
      {"reduce_max-all",
       {{{3, 4}}},
       "  %y = kiln.reduce_max %a0 dims = [0, 1] : tensor<3x4xf64>",
       {}},
  });
}

TEST(GradCheck, Matmul) {
  checkFirstAndSecondOrder({
      {"matmul",
       {{{3, 4}}, {{4, 5}}},
       "  %y = kiln.matmul %a0, %a1 : tensor<3x4xf64>, tensor<4x5xf64>",
       {3, 5}},
      // Batch dimensions [2, 1] and [5] broadcast to [2, 5]: the gradients
      // sum over the stretched and the added dimensions.
      {"matmul-broadcast",
       {{{2, 1, 3, 4}}, {{5, 4, 2}}},
       "  %y = kiln.matmul %a0, %a1 : tensor<2x1x3x4xf64>, tensor<5x4x2xf64>",
       {2, 5, 3, 2}},
      {"matmul-batched-rhs",
       {{{3, 4}}, {{2, 4, 5}}},
       "  %y = kiln.matmul %a0, %a1 : tensor<3x4xf64>, tensor<2x4x5xf64>",
       {2, 3, 5}},
  });
}

TEST(GradCheck, ConvolutionAndPooling) {
  checkFirstAndSecondOrder({
      {"conv2d",
       {{{2, 2, 5, 5}}, {{3, 2, 3, 3}}},
       "  %y = kiln.conv2d %a0, %a1 stride = [1, 1] padding = [1, 1] "
       "dilation = [1, 1] groups = 1 : tensor<2x2x5x5xf64>, "
       "tensor<3x2x3x3xf64>",
       {2, 3, 5, 5}},
      {"conv2d-grouped",
       {{{1, 4, 6, 6}}, {{4, 2, 3, 3}}},
       "  %y = kiln.conv2d %a0, %a1 stride = [2, 1] padding = [1, 0] "
       "dilation = [1, 2] groups = 2 : tensor<1x4x6x6xf64>, "
       "tensor<4x2x3x3xf64>",
       {1, 4, 3, 2}},
      {"max_pool2d",
       {{{1, 2, 5, 5}}},
       "  %y = kiln.max_pool2d %a0 kernel = [2, 2] stride = [2, 2] padding = "
       "[0, 0] : tensor<1x2x5x5xf64>",
       {1, 2, 2, 2}},
      {"max_pool2d-overlapping",
       {{{1, 2, 5, 5}}},
       "  %y = kiln.max_pool2d %a0 kernel = [3, 3] stride = [2, 2] padding = "
       "[1, 1] : tensor<1x2x5x5xf64>",
       {1, 2, 3, 3}},
      {"avg_pool2d",
       {{{1, 2, 5, 5}}},
       "  %y = kiln.avg_pool2d %a0 kernel = [3, 3] stride = [2, 2] padding = "
       "[1, 1] count_include_pad = true : tensor<1x2x5x5xf64>",
       {1, 2, 3, 3}},
      {"avg_pool2d-exclude-pad",
       {{{1, 2, 5, 5}}},
       "  %y = kiln.avg_pool2d %a0 kernel = [3, 3] stride = [2, 2] padding = "
       "[1, 1] count_include_pad = false : tensor<1x2x5x5xf64>",
       {1, 2, 3, 3}},
  });
}

TEST(GradCheck, GradientOps) {
  // The backward ops are differentiable themselves: their first order here
  // is the second order of the forward ops, their second order the third.
  checkFirstAndSecondOrder({
      {"conv2d_grad_input",
       {{{1, 4, 3, 2}}, {{4, 2, 3, 3}}},
       "  %y = kiln.conv2d_grad_input %a0, %a1 stride = [2, 1] padding = "
       "[1, 0] dilation = [1, 2] groups = 2 : tensor<1x4x3x2xf64>, "
       "tensor<4x2x3x3xf64> -> tensor<1x4x6x6xf64>",
       {1, 4, 6, 6}},
      {"conv2d_grad_filter",
       {{{2, 2, 5, 5}}, {{2, 3, 5, 5}}},
       "  %y = kiln.conv2d_grad_filter %a0, %a1 stride = [1, 1] padding = "
       "[1, 1] dilation = [1, 1] groups = 1 : tensor<2x2x5x5xf64>, "
       "tensor<2x3x5x5xf64> -> tensor<3x2x3x3xf64>",
       {3, 2, 3, 3}},
      // Piecewise constant in the input (its gradient is zero), linear in
      // grad_output.
      {"max_pool2d_grad",
       {{{1, 2, 5, 5}}, {{1, 2, 3, 3}}},
       "  %y = kiln.max_pool2d_grad %a0, %a1 kernel = [3, 3] stride = [2, 2] "
       "padding = [1, 1] : tensor<1x2x5x5xf64>, tensor<1x2x3x3xf64>",
       {1, 2, 5, 5}},
      {"avg_pool2d_grad",
       {{{1, 2, 3, 3}}},
       "  %y = kiln.avg_pool2d_grad %a0 kernel = [3, 3] stride = [2, 2] "
       "padding = [1, 1] count_include_pad = false : tensor<1x2x3x3xf64> -> "
       "tensor<1x2x5x5xf64>",
       {1, 2, 5, 5}},
  });
}

TEST(GradCheck, Composites) {
  checkFirstAndSecondOrder({
      {"softmax",
       {{{3, 4}, Domain::Wide}},
       "  %y = kiln.softmax %a0 dim = 1 : tensor<3x4xf64>",
       {3, 4}},
      {"softmax-dim0",
       {{{3, 4}, Domain::Wide}},
       "  %y = kiln.softmax %a0 dim = 0 : tensor<3x4xf64>",
       {3, 4}},
      {"log_softmax",
       {{{3, 4}, Domain::Wide}},
       "  %y = kiln.log_softmax %a0 dim = 1 : tensor<3x4xf64>",
       {3, 4}},
      {"layer_norm",
       {{{2, 3, 4}}, {{3, 4}}, {{3, 4}}},
       "  %y = kiln.layer_norm %a0, %a1, %a2 axis = 1 eps = 1.0e-05 : "
       "tensor<2x3x4xf64>, tensor<3x4xf64>, tensor<3x4xf64>",
       {2, 3, 4}},
      // All three results: the output and the batch statistics.
      {"batch_norm_training",
       {{{4, 3, 2, 2}}, {{3}}, {{3}}},
       "  %b, %m, %v = kiln.batch_norm_training %a0, %a1, %a2 eps = 1.0e-05 "
       ": tensor<4x3x2x2xf64>, tensor<3xf64>, tensor<3xf64>\n"
       "  %f = kiln.reshape %b : tensor<4x3x2x2xf64> -> tensor<48xf64>\n"
       "  %y = kiln.concat %f, %m, %v dim = 0 : tensor<48xf64>, "
       "tensor<3xf64>, tensor<3xf64>",
       {54}},
      {"batch_norm_training-output",
       {{{4, 3, 2}}, {{3}}, {{3}}},
       "  %y, %m, %v = kiln.batch_norm_training %a0, %a1, %a2 eps = 1.0e-05 "
       ": tensor<4x3x2xf64>, tensor<3xf64>, tensor<3xf64>",
       {4, 3, 2}},
      {"batch_norm_training-variance",
       {{{4, 3, 2}}, {{3}}, {{3}}},
       "  %b, %m, %y = kiln.batch_norm_training %a0, %a1, %a2 eps = 1.0e-05 "
       ": tensor<4x3x2xf64>, tensor<3xf64>, tensor<3xf64>",
       {3}},
      {"batch_norm_inference",
       {{{2, 3, 2}}, {{3}}, {{3}}, {{3}}, {{3}, Domain::Positive}},
       "  %y = kiln.batch_norm_inference %a0, %a1, %a2, %a3, %a4 eps = "
       "1.0e-05 : tensor<2x3x2xf64>, tensor<3xf64>, tensor<3xf64>, "
       "tensor<3xf64>, tensor<3xf64>",
       {2, 3, 2}},
  });
}

TEST(GradCheck, MLPAndSeeds) {
  checkFirstAndSecondOrder({
      // matmul + bias + relu + matmul + bias + log_softmax + mean NLL.
      {"mlp",
       {{{4, 5}}, {{5, 6}}, {{6}}, {{6, 3}}, {{3}}},
       R"mlir(
  %h = kiln.matmul %a0, %a1 : tensor<4x5xf64>, tensor<5x6xf64>
  %b1 = kiln.broadcast_to %a2 : tensor<6xf64> -> tensor<4x6xf64>
  %hb = kiln.add %h, %b1 : tensor<4x6xf64>
  %a = kiln.relu %hb : tensor<4x6xf64>
  %o = kiln.matmul %a, %a3 : tensor<4x6xf64>, tensor<6x3xf64>
  %b2 = kiln.broadcast_to %a4 : tensor<3xf64> -> tensor<4x3xf64>
  %logits = kiln.add %o, %b2 : tensor<4x3xf64>
  %logp = kiln.log_softmax %logits dim = 1 : tensor<4x3xf64>
  %target = kiln.constant dense<[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<4x3xf64>
  %picked = kiln.mul %logp, %target : tensor<4x3xf64>
  %total = kiln.reduce_sum %picked dims = [0, 1] : tensor<4x3xf64>
  %scale = kiln.constant dense<-0.25> : tensor<f64>
  %y = kiln.mul %total, %scale : tensor<f64>)mlir",
       {}},
      // A non-scalar function with a seed that depends on the input: the
      // seed is differentiated as well.
      {"seed",
       {{{2, 3}}},
       R"mlir(
  %s = kiln.sin %a0 : tensor<2x3xf64>
  %r:2 = kiln.grad @seeded(%a0) seed(%s : tensor<2x3xf64>) wrt [0]
      : (tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  %y = kiln.add %r#0, %r#1 : tensor<2x3xf64>)mlir",
       {2, 3},
       R"mlir(
func.func private @seeded(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %t = kiln.tanh %x : tensor<2x3xf64>
  %y = kiln.mul %t, %x : tensor<2x3xf64>
  return %y : tensor<2x3xf64>
})mlir"},
  });
}

//===----------------------------------------------------------------------===//
// Exact values where finite differences do not apply
//===----------------------------------------------------------------------===//

namespace {

/// Compiles `source`'s @main and runs it on f64 buffers.
std::vector<std::vector<double>> runMain(const std::string &source,
                                         std::vector<std::vector<double>> in,
                                         std::vector<size_t> outSizes) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<kiln::ir::KilnDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  EXPECT_TRUE(module);
  if (!module)
    return {};
  std::string error;
  auto fn = JitFunction::compile(*module, "main", error);
  EXPECT_TRUE(fn) << error;
  if (!fn)
    return {};
  std::vector<std::vector<double>> out;
  std::vector<void *> inPtrs, outPtrs;
  for (auto &buffer : in)
    inPtrs.push_back(buffer.data());
  for (size_t size : outSizes)
    out.emplace_back(size, -1);
  for (auto &buffer : out)
    outPtrs.push_back(buffer.data());
  fn->run(inPtrs, outPtrs);
  return out;
}

} // namespace

TEST(GradCheck, TiesAndAliasing) {
  auto out = runMain(R"mlir(
    func.func private @amax(%x: tensor<2x3xf64>) -> tensor<f64> {
      %m = kiln.reduce_max %x dims = [1] : tensor<2x3xf64>
      %s = kiln.reduce_sum %m dims = [0] : tensor<2xf64>
      return %s : tensor<f64>
    }
    func.func private @maximum(%x: tensor<3xf64>, %y: tensor<3xf64>) -> tensor<f64> {
      %m = kiln.maximum %x, %y : tensor<3xf64>
      %s = kiln.reduce_sum %m dims = [0] : tensor<3xf64>
      return %s : tensor<f64>
    }
    func.func private @pool(%x: tensor<1x1x2x2xf64>) -> tensor<f64> {
      %m = kiln.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<1x1x2x2xf64>
      %s = kiln.reduce_sum %m dims = [0, 1, 2, 3] : tensor<1x1x1x1xf64>
      return %s : tensor<f64>
    }
    func.func private @product(%a: tensor<3xf64>, %b: tensor<3xf64>) -> tensor<f64> {
      %m = kiln.mul %a, %b : tensor<3xf64>
      %n = kiln.mul %m, %b : tensor<3xf64>
      %s = kiln.reduce_sum %n dims = [0] : tensor<3xf64>
      return %s : tensor<f64>
    }
    // Linear in %dy; its adjoint reads %c back at each window's first
    // maximum among the unpadded elements (all tie here).
    func.func private @pool_grad(%dy: tensor<1x1x3x3xf64>) -> tensor<f64> {
      %x = kiln.constant dense<5.0> : tensor<1x1x2x2xf64>
      %g = kiln.max_pool2d_grad %x, %dy kernel = [2, 2] stride = [1, 1] padding = [1, 1] : tensor<1x1x2x2xf64>, tensor<1x1x3x3xf64>
      %c = kiln.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf64>
      %m = kiln.mul %g, %c : tensor<1x1x2x2xf64>
      %s = kiln.reduce_sum %m dims = [0, 1, 2, 3] : tensor<1x1x2x2xf64>
      return %s : tensor<f64>
    }
    func.func @main(%x: tensor<2x3xf64>, %u: tensor<3xf64>, %v: tensor<3xf64>, %p: tensor<1x1x2x2xf64>, %dy: tensor<1x1x3x3xf64>)
        -> (tensor<2x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<1x1x2x2xf64>, tensor<3xf64>, tensor<1x1x3x3xf64>) {
      %l0, %d0 = kiln.grad @amax(%x) wrt [0] : (tensor<2x3xf64>) -> (tensor<f64>, tensor<2x3xf64>)
      %l1, %du, %dv = kiln.grad @maximum(%u, %v) wrt [0, 1] : (tensor<3xf64>, tensor<3xf64>) -> (tensor<f64>, tensor<3xf64>, tensor<3xf64>)
      %l2, %dp = kiln.grad @pool(%p) wrt [0] : (tensor<1x1x2x2xf64>) -> (tensor<f64>, tensor<1x1x2x2xf64>)
      // One value passed twice, differentiated as the first argument only.
      %l3, %da = kiln.grad @product(%u, %u) wrt [0] : (tensor<3xf64>, tensor<3xf64>) -> (tensor<f64>, tensor<3xf64>)
      %l4, %ddy = kiln.grad @pool_grad(%dy) wrt [0] : (tensor<1x1x3x3xf64>) -> (tensor<f64>, tensor<1x1x3x3xf64>)
      return %d0, %du, %dv, %dp, %da, %ddy : tensor<2x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<1x1x2x2xf64>, tensor<3xf64>, tensor<1x1x3x3xf64>
    })mlir",
                     {{1, 3, 3, 2, 2, 2},
                      {1, 2, 3},
                      {1, 5, 0},
                      {4, 1, 4, 4},
                      std::vector<double>(9, 1.0)},
                     {6, 3, 3, 4, 3, 9});
  ASSERT_EQ(out.size(), 6u);
  // amax splits the gradient evenly among tied maxima, as PyTorch does.
  EXPECT_EQ(out[0],
            (std::vector<double>{0, 0.5, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3}));
  // maximum gives each side half at a tie.
  EXPECT_EQ(out[1], (std::vector<double>{0.5, 0, 1}));
  EXPECT_EQ(out[2], (std::vector<double>{0.5, 1, 0}));
  // max pooling routes to the first maximum of the window.
  EXPECT_EQ(out[3], (std::vector<double>{1, 0, 0, 0}));
  // d/da sum(a * b * b) = b^2, with b the same value u (not 3 u^2).
  EXPECT_EQ(out[4], (std::vector<double>{1, 4, 9}));
  // Window (i, j) covers input rows i-1..i and columns j-1..j; its first
  // unpadded element is (max(i-1, 0), max(j-1, 0)).
  EXPECT_EQ(out[5], (std::vector<double>{1, 1, 2, 1, 1, 2, 3, 3, 4}));
}

TEST(GradCheck, MLPInF32MatchesF64) {
  // f32 matmuls take the oneDNN path; the gradients agree with f64 ones.
  auto source = [](const std::string &t) {
    std::string text = R"mlir(
    func.func private @loss(%x: tensor<8x5xT>, %w1: tensor<5x7xT>, %w2: tensor<7x3xT>) -> tensor<T> {
      %h = kiln.matmul %x, %w1 : tensor<8x5xT>, tensor<5x7xT>
      %a = kiln.tanh %h : tensor<8x7xT>
      %o = kiln.matmul %a, %w2 : tensor<8x7xT>, tensor<7x3xT>
      %p = kiln.softmax %o dim = 1 : tensor<8x3xT>
      %q = kiln.mul %p, %p : tensor<8x3xT>
      %s = kiln.reduce_sum %q dims = [0, 1] : tensor<8x3xT>
      return %s : tensor<T>
    }
    func.func @main(%x: tensor<8x5xT>, %w1: tensor<5x7xT>, %w2: tensor<7x3xT>) -> (tensor<5x7xT>, tensor<7x3xT>) {
      %l, %d1, %d2 = kiln.grad @loss(%x, %w1, %w2) wrt [1, 2]
          : (tensor<8x5xT>, tensor<5x7xT>, tensor<7x3xT>) -> (tensor<T>, tensor<5x7xT>, tensor<7x3xT>)
      return %d1, %d2 : tensor<5x7xT>, tensor<7x3xT>
    })mlir";
    // The element type: every "T>" of the text.
    for (size_t at; (at = text.find("T>")) != std::string::npos;)
      text.replace(at, 1, t);
    return text;
  };
  std::vector<double> x = randomValues(40, 1), w1 = randomValues(35, 2),
                      w2 = randomValues(21, 3);
  auto f64 = runMain(source("f64"), {x, w1, w2}, {35, 21});
  std::vector<float> x32(x.begin(), x.end()), w132(w1.begin(), w1.end()),
      w232(w2.begin(), w2.end()), d1(35), d2(21);
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<kiln::ir::KilnDialect>();
  auto module =
      mlir::parseSourceString<mlir::ModuleOp>(source("f32"), &context);
  ASSERT_TRUE(module);
  std::string error;
  auto fn = JitFunction::compile(*module, "main", error);
  ASSERT_TRUE(fn) << error;
  fn->run({x32.data(), w132.data(), w232.data()}, {d1.data(), d2.data()});
  ASSERT_EQ(f64.size(), 2u);
  for (size_t i = 0; i < d1.size(); ++i)
    EXPECT_NEAR(d1[i], f64[0][i], 1e-5) << "w1 element " << i;
  for (size_t i = 0; i < d2.size(); ++i)
    EXPECT_NEAR(d2[i], f64[1][i], 1e-5) << "w2 element " << i;
}
