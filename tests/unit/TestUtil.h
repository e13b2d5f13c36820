//===- TestUtil.h - Helpers shared by the frontend tests --------*- C++ -*-===//
#ifndef KILN_TESTS_UNIT_TESTUTIL_H
#define KILN_TESTS_UNIT_TESTUTIL_H

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

namespace kiln::testing {

/// Expects `fn` to throw a kiln::Error whose message contains every part.
template <typename Fn>
void expectError(Fn fn, std::initializer_list<std::string> parts) {
  try {
    fn();
    ADD_FAILURE() << "expected a kiln::Error";
  } catch (const kiln::Error &e) {
    for (const std::string &part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "missing '" << part << "' in: " << e.what();
  }
}

/// Checks the gradient of the scalar `f(inputs)` with respect to each
/// float64 input against central differences (h = 1e-6), element by element.
template <typename Fn>
void expectGradientsMatchFiniteDifferences(Fn f,
                                           const std::vector<Tensor> &inputs,
                                           double tolerance = 1e-6) {
  std::vector<Tensor> leaves;
  for (const Tensor &t : inputs)
    leaves.push_back(t.detach().clone().requires_grad_());
  std::vector<Tensor> grads = autograd::grad({f(leaves)}, leaves);
  for (size_t k = 0; k < inputs.size(); ++k) {
    std::vector<double> analytic = grads[k].to_vector<double>();
    std::vector<double> base = inputs[k].to_vector<double>();
    for (size_t i = 0; i < base.size(); ++i) {
      auto shifted = [&](double h) {
        std::vector<Tensor> args;
        for (const Tensor &t : inputs)
          args.push_back(t.detach());
        std::vector<double> v = base;
        v[i] += h;
        args[k] = tensor(v, kFloat64).reshape(inputs[k].sizes());
        NoGradGuard noGrad;
        return f(args).template item<double>();
      };
      double numeric = (shifted(1e-6) - shifted(-1e-6)) / 2e-6;
      EXPECT_NEAR(analytic[i], numeric, tolerance * (1 + std::abs(numeric)))
          << "input " << k << ", element " << i;
    }
  }
}

/// The values of `t` as doubles.
inline std::vector<double> values(const Tensor &t) {
  return t.to_vector<double>();
}

/// Expects `got` to match `expected` element by element within `tolerance`.
inline void expectAllNear(const std::vector<double> &got,
                          const std::vector<double> &expected,
                          double tolerance) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], expected[i], tolerance) << "element " << i;
}

/// Runs `steps` optimizer steps on f(w) = sum(c * w^2) / 2 with w0 = (1, -2)
/// and c = (1, 3), so the gradient is c * w; returns w after each step.
/// `make` builds the optimizer from the parameter list {w}.
template <typename MakeOptimizer>
std::vector<std::vector<double>> trajectory(MakeOptimizer make, int steps) {
  auto w = tensor({1.0, -2.0}, kFloat64).requires_grad_();
  auto c = tensor({1.0, 3.0}, kFloat64);
  auto opt = make(std::vector<Tensor>{w});
  std::vector<std::vector<double>> out;
  for (int i = 0; i < steps; ++i) {
    opt.zero_grad();
    (c * w * w / 2).sum().backward();
    opt.step();
    out.push_back(values(w));
  }
  return out;
}

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_TESTUTIL_H
