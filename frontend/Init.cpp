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
       {"linear", "conv1d", "conv2d", "conv_transpose2d", "sigmoid"})
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
