//===- Init.cpp - Parameter initialization (kiln::nn::init) ---------------===//
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/NN.h"
#include "kiln/frontend/Recording.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <cmath>

namespace kiln::nn::init {

using detail::fail;

namespace {

/// Writes `value` into `tensor` and computes it, as PyTorch's in-place
/// initializers leave a ready tensor.
Tensor fill(Tensor tensor, const Tensor &value) {
  detail::assign(tensor, value);
  detail::realize(*tensor.impl());
  return tensor;
}

void checkFloat(const Tensor &tensor, std::string_view op, const Loc &loc) {
  detail::checkDefined(tensor, op, loc);
  if (!tensor.is_floating_point())
    fail(loc, op,
         "needs a floating point tensor, got " +
             std::string(dtype_name(tensor.dtype())));
}

/// PyTorch's fans: a [out, in, k...] tensor has fan_in = in * prod(k) and
/// fan_out = out * prod(k).
std::pair<double, double> fans(const Tensor &tensor, std::string_view op,
                               const Loc &loc) {
  if (tensor.dim() < 2)
    fail(loc, op,
         "fan in and fan out need a tensor of at least 2 dimensions, got " +
             ir::formatShape(tensor.sizes()));
  double receptive = 1;
  for (int64_t d = 2; d < tensor.dim(); ++d)
    receptive *= static_cast<double>(tensor.size(d));
  return {static_cast<double>(tensor.size(1)) * receptive,
          static_cast<double>(tensor.size(0)) * receptive};
}

/// The standard deviation of He initialization.
double kaimingStd(const Tensor &tensor, double a, const std::string &mode,
                  const std::string &nonlinearity, std::string_view op,
                  const Loc &loc) {
  auto [fanIn, fanOut] = fans(tensor, op, loc);
  if (mode != "fan_in" && mode != "fan_out")
    fail(loc, op,
         "mode must be \"fan_in\" or \"fan_out\", got \"" + mode + "\"");
  double fan = mode == "fan_in" ? fanIn : fanOut;
  return calculate_gain(nonlinearity, a, loc) / std::sqrt(fan);
}

} // namespace

double calculate_gain(const std::string &nonlinearity,
                      std::optional<double> param, Loc loc) {
  for (const char *linear :
       {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
        "conv_transpose2d", "conv_transpose3d", "sigmoid"})
    if (nonlinearity == linear)
      return 1;
  if (nonlinearity == "tanh")
    return 5.0 / 3;
  if (nonlinearity == "relu")
    return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") {
    double slope = param.value_or(0.01);
    return std::sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity == "selu")
    return 3.0 / 4;
  fail(loc, "calculate_gain",
       "unsupported nonlinearity \"" + nonlinearity +
           "\" (expected linear, conv1d, conv2d, conv_transpose2d, sigmoid, "
           "tanh, relu, leaky_relu or selu)");
}

Tensor uniform_(Tensor tensor, double a, double b, Loc loc) {
  checkFloat(tensor, "uniform_", loc);
  NoGradGuard noGrad;
  return fill(tensor, rand(tensor.sizes(), tensor.dtype(), loc) * (b - a) + a);
}

Tensor normal_(Tensor tensor, double mean, double std, Loc loc) {
  checkFloat(tensor, "normal_", loc);
  if (std < 0)
    fail(loc, "normal_",
         "std must be non-negative, got " + std::to_string(std));
  NoGradGuard noGrad;
  return fill(tensor, randn(tensor.sizes(), tensor.dtype(), loc) * std + mean);
}

Tensor constant_(Tensor tensor, Scalar val, Loc loc) {
  detail::checkDefined(tensor, "constant_", loc);
  NoGradGuard noGrad;
  return fill(tensor, full(tensor.sizes(), val, tensor.dtype(), loc));
}

Tensor ones_(Tensor tensor, Loc loc) { return constant_(tensor, 1, loc); }
Tensor zeros_(Tensor tensor, Loc loc) { return constant_(tensor, 0, loc); }

Tensor eye_(Tensor tensor, Loc loc) {
  detail::checkDefined(tensor, "eye_", loc);
  if (tensor.dim() != 2)
    fail(loc, "eye_",
         "needs a 2-D tensor, got " + std::to_string(tensor.dim()) + "-D");
  NoGradGuard noGrad;
  return fill(tensor, eye(tensor.size(0), tensor.size(1), tensor.dtype(), loc));
}

Tensor orthogonal_(Tensor tensor, double gain, Loc loc) {
  checkFloat(tensor, "orthogonal_", loc);
  if (tensor.dim() < 2)
    fail(loc, "orthogonal_",
         "needs a tensor of at least 2 dimensions, got " +
             ir::formatShape(tensor.sizes()));
  int64_t rows = tensor.size(0),
          cols = tensor.numel() / std::max<int64_t>(rows, 1);
  if (rows == 0 || cols == 0)
    return tensor;
  // QR of a normal [m, n] matrix with m >= n (the transpose when there are
  // fewer rows), by Householder reflections on the host; Q's columns,
  // signed by R's diagonal, are orthonormal and uniformly distributed.
  bool flip = rows < cols;
  int64_t m = flip ? cols : rows, n = flip ? rows : cols;
  std::vector<double> a = randn({m, n}, kFloat64, loc).to_vector<double>();
  auto at = [&](std::vector<double> &v, int64_t i, int64_t j) -> double & {
    return v[static_cast<size_t>(i * n + j)];
  };
  std::vector<std::vector<double>> reflectors;
  std::vector<double> diagonal(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    double norm = 0;
    for (int64_t i = k; i < m; ++i)
      norm += at(a, i, k) * at(a, i, k);
    norm = std::sqrt(norm);
    double alpha = at(a, k, k) > 0 ? -norm : norm;
    std::vector<double> v(static_cast<size_t>(m), 0.0);
    for (int64_t i = k; i < m; ++i)
      v[i] = at(a, i, k);
    v[k] -= alpha;
    double vv = 0;
    for (int64_t i = k; i < m; ++i)
      vv += v[i] * v[i];
    if (vv > 0)
      for (int64_t j = k; j < n; ++j) {
        double dotv = 0;
        for (int64_t i = k; i < m; ++i)
          dotv += v[i] * at(a, i, j);
        for (int64_t i = k; i < m; ++i)
          at(a, i, j) -= 2 * v[i] * dotv / vv;
      }
    diagonal[k] = at(a, k, k);
    reflectors.push_back(std::move(v));
  }
  // Q's first n columns: the reflections applied to the identity's.
  std::vector<double> q(static_cast<size_t>(m * n), 0.0);
  for (int64_t j = 0; j < n; ++j)
    at(q, j, j) = 1;
  for (int64_t k = n - 1; k >= 0; --k) {
    const std::vector<double> &v = reflectors[k];
    double vv = 0;
    for (int64_t i = k; i < m; ++i)
      vv += v[i] * v[i];
    if (vv == 0)
      continue;
    for (int64_t j = 0; j < n; ++j) {
      double dotv = 0;
      for (int64_t i = k; i < m; ++i)
        dotv += v[i] * at(q, i, j);
      for (int64_t i = k; i < m; ++i)
        at(q, i, j) -= 2 * v[i] * dotv / vv;
    }
  }
  for (int64_t j = 0; j < n; ++j)
    if (diagonal[j] < 0)
      for (int64_t i = 0; i < m; ++i)
        at(q, i, j) = -at(q, i, j);
  Tensor result = kiln::tensor(q, kFloat64, loc).reshape({m, n}, loc);
  if (flip)
    result = result.t(loc);
  NoGradGuard noGrad;
  return fill(
      tensor,
      (result * gain).reshape(tensor.sizes(), loc).to(tensor.dtype(), loc));
}

Tensor dirac_(Tensor tensor, int64_t groups, Loc loc) {
  detail::checkDefined(tensor, "dirac_", loc);
  int64_t dims = tensor.dim();
  if (dims < 3 || dims > 5)
    fail(loc, "dirac_",
         "needs a 3-, 4- or 5-D tensor, got " +
             ir::formatShape(tensor.sizes()));
  if (groups < 1 || tensor.size(0) % groups != 0)
    fail(loc, "dirac_",
         "the " + std::to_string(tensor.size(0)) +
             " output channels must divide into " + std::to_string(groups) +
             " groups");
  int64_t perGroup = tensor.size(0) / groups;
  int64_t channels = std::min(perGroup, tensor.size(1));
  std::vector<double> values(static_cast<size_t>(tensor.numel()), 0.0);
  Shape sizes = tensor.sizes();
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t d = 0; d < channels; ++d) {
      // Element [g * perGroup + d, d, centre...].
      int64_t offset = g * perGroup + d;
      offset = offset * sizes[1] + d;
      for (int64_t k = 2; k < dims; ++k)
        offset = offset * sizes[k] + sizes[k] / 2;
      values[static_cast<size_t>(offset)] = 1;
    }
  NoGradGuard noGrad;
  return fill(tensor, kiln::tensor(values, kFloat64, loc)
                          .reshape(sizes, loc)
                          .to(tensor.dtype(), loc));
}

Tensor sparse_(Tensor tensor, double sparsity, double std, Loc loc) {
  checkFloat(tensor, "sparse_", loc);
  if (tensor.dim() != 2)
    fail(loc, "sparse_",
         "needs a 2-D tensor, got " + ir::formatShape(tensor.sizes()));
  if (!(sparsity >= 0 && sparsity <= 1))
    fail(loc, "sparse_",
         "sparsity must be in [0, 1], got " + std::to_string(sparsity));
  int64_t rows = tensor.size(0), cols = tensor.size(1);
  int64_t zeroed = static_cast<int64_t>(std::ceil(sparsity * rows));
  // Per column, the rows ranked first by a random draw are zero.
  Tensor rank = rand({rows, cols}, kFloat64, loc)
                    .argsort(0, false, loc)
                    .argsort(0, false, loc);
  NoGradGuard noGrad;
  Tensor values = randn({rows, cols}, tensor.dtype(), loc) * std;
  return fill(tensor, where(rank >= zeroed, values,
                            zeros({}, tensor.dtype(), loc), loc));
}

Tensor xavier_uniform_(Tensor tensor, double gain, Loc loc) {
  checkFloat(tensor, "xavier_uniform_", loc);
  auto [fanIn, fanOut] = fans(tensor, "xavier_uniform_", loc);
  double bound = gain * std::sqrt(6.0 / (fanIn + fanOut));
  return uniform_(tensor, -bound, bound, loc);
}

Tensor xavier_normal_(Tensor tensor, double gain, Loc loc) {
  checkFloat(tensor, "xavier_normal_", loc);
  auto [fanIn, fanOut] = fans(tensor, "xavier_normal_", loc);
  return normal_(tensor, 0, gain * std::sqrt(2.0 / (fanIn + fanOut)), loc);
}

Tensor kaiming_uniform_(Tensor tensor, double a, const std::string &mode,
                        const std::string &nonlinearity, Loc loc) {
  checkFloat(tensor, "kaiming_uniform_", loc);
  double bound = std::sqrt(3.0) * kaimingStd(tensor, a, mode, nonlinearity,
                                             "kaiming_uniform_", loc);
  return uniform_(tensor, -bound, bound, loc);
}

Tensor kaiming_normal_(Tensor tensor, double a, const std::string &mode,
                       const std::string &nonlinearity, Loc loc) {
  checkFloat(tensor, "kaiming_normal_", loc);
  return normal_(
      tensor, 0,
      kaimingStd(tensor, a, mode, nonlinearity, "kaiming_normal_", loc), loc);
}

} // namespace kiln::nn::init
