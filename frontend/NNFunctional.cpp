//===- NNFunctional.cpp - nn::functional: options, activations, padding ---===//
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/ir/Shapes.h"

#include <algorithm>
#include <sstream>
#include <unordered_map>

namespace kiln::detail {

void embeddingRenorm(const Tensor &weight, const Tensor &input, double maxNorm,
                     double normType, std::string_view op, const Loc &loc) {
  if (!(maxNorm >= 0))
    fail(loc, op,
         "max_norm must be non-negative, got " + std::to_string(maxNorm));
  int64_t rows = weight.size(0);
  std::vector<double> named(static_cast<size_t>(rows), 0.0);
  for (int64_t i : input.to_vector<int64_t>()) {
    if (i < 0 || i >= rows)
      fail(loc, op,
           "index " + std::to_string(i) + " is out of range for " +
               std::to_string(rows) + " embeddings");
    named[static_cast<size_t>(i)] = 1;
  }
  NoGradGuard noGrad;
  Tensor norms = weight.norm(normType, {1}, /*keepdim=*/true, loc);
  Tensor over =
      logical_and(norms > maxNorm,
                  tensor(named, weight.dtype()).unsqueeze(1, loc) != 0, loc);
  Tensor scale =
      where(over, maxNorm / (norms + 1e-7), ones({}, weight.dtype(), loc), loc);
  weight.mul_(scale);
}

Tensor scaleGradByFrequency(const Tensor &looked, const Tensor &input,
                            const Loc &loc) {
  std::vector<int64_t> indices = input.to_vector<int64_t>();
  std::unordered_map<int64_t, int64_t> count;
  for (int64_t i : indices)
    ++count[i];
  std::vector<double> inverse;
  inverse.reserve(indices.size());
  for (int64_t i : indices)
    inverse.push_back(1.0 / static_cast<double>(count[i]));
  Tensor c = tensor(inverse, looked.dtype())
                 .reshape(input.sizes(), loc)
                 .unsqueeze(-1, loc);
  // The value stays exactly `looked`; the gradient flows through `scaled`.
  Tensor scaled = looked * c;
  return looked.detach() + (scaled - scaled.detach());
}

} // namespace kiln::detail

namespace kiln::nn::functional {

using detail::checkDefined;
using detail::embeddingRenorm;
using detail::fail;
using detail::scaleGradByFrequency;

namespace {

std::string str(const Shape &shape) { return ir::formatShape(shape); }

std::string num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

void checkFloat(const Tensor &t, std::string_view op, const Loc &loc) {
  checkDefined(t, op, loc);
  if (!t.is_floating_point())
    fail(loc, op,
         "needs a floating point tensor, got " +
             std::string(dtype_name(t.dtype())));
}

Tensor scalar(double value, const Tensor &like, const Loc &loc) {
  return full({}, value, like.dtype(), loc);
}

/// x clamped to [low, high], with PyTorch's gradient: 1 strictly inside, 0
/// on and beyond the bounds.
Tensor clampInside(const Tensor &x, double low, double high, const Loc &loc) {
  return where(x <= low, scalar(low, x, loc),
               where(x >= high, scalar(high, x, loc), x, loc), loc);
}

/// alpha (e^(x / alpha) - 1) where x <= 0, x elsewhere; the exponent sees
/// no positive x, so that it cannot overflow (for alpha > 0).
Tensor eluWithScale(const Tensor &x, double alpha, double inputScale,
                    const Loc &loc) {
  Tensor negative = x.clamp({}, 0, loc) * inputScale;
  return where(x > 0, x, (negative.exp(loc) - 1) * alpha, loc);
}

Tensor softplusOf(const Tensor &x, double beta, double threshold,
                  const Loc &loc) {
  Tensor scaled = x * beta;
  // Past the threshold the result is x; the clamp keeps exp finite there,
  // so that the unused branch's gradient is 0, not NaN.
  Tensor smooth = scaled.clamp({}, threshold, loc).exp(loc).log1p(loc) / beta;
  return where(scaled > threshold, x, smooth, loc);
}

} // namespace

// --- The primitives with LibTorch's options

Tensor conv1d(const Tensor &input, const Tensor &weight,
              const Conv1dFuncOptions &options, Loc loc) {
  return kiln::conv1d(input, weight, options.bias(), options.stride()[0],
                      options.padding()[0], options.dilation()[0],
                      options.groups(), loc);
}

Tensor conv2d(const Tensor &input, const Tensor &weight,
              const Conv2dFuncOptions &options, Loc loc) {
  return kiln::conv2d(input, weight, options.bias(), *options.stride(),
                      *options.padding(), *options.dilation(), options.groups(),
                      loc);
}

Tensor conv_transpose2d(const Tensor &input, const Tensor &weight,
                        const ConvTranspose2dFuncOptions &options, Loc loc) {
  return kiln::conv_transpose2d(
      input, weight, options.bias(), *options.stride(), *options.padding(),
      *options.output_padding(), options.groups(), *options.dilation(), loc);
}

Tensor dropout(const Tensor &input, const DropoutFuncOptions &options,
               Loc loc) {
  return kiln::dropout(input, options.p(), options.training(), loc);
}

Tensor batch_norm(const Tensor &input, const Tensor &running_mean,
                  const Tensor &running_var,
                  const BatchNormFuncOptions &options, Loc loc) {
  if (!options.momentum())
    fail(loc, "batch_norm",
         "momentum must be set (a cumulative average is "
         "nn::BatchNorm's, not the function's)");
  return kiln::batch_norm(input, running_mean, running_var, options.weight(),
                          options.bias(), options.training(),
                          *options.momentum(), options.eps(), loc);
}

Tensor layer_norm(const Tensor &input, const LayerNormFuncOptions &options,
                  Loc loc) {
  return kiln::layer_norm(input, options.normalized_shape(), options.weight(),
                          options.bias(), options.eps(), loc);
}

Tensor group_norm(const Tensor &input, const GroupNormFuncOptions &options,
                  Loc loc) {
  return kiln::group_norm(input, options.num_groups(), options.weight(),
                          options.bias(), options.eps(), loc);
}

Tensor softmax(const Tensor &input, const SoftmaxFuncOptions &options,
               Loc loc) {
  checkDefined(input, "softmax", loc);
  Tensor x = options.dtype() ? input.to(*options.dtype(), loc) : input;
  return kiln::softmax(x, options.dim(), loc);
}

Tensor log_softmax(const Tensor &input, const LogSoftmaxFuncOptions &options,
                   Loc loc) {
  checkDefined(input, "log_softmax", loc);
  Tensor x = options.dtype() ? input.to(*options.dtype(), loc) : input;
  return kiln::log_softmax(x, options.dim(), loc);
}

Tensor relu(const Tensor &input, const ReLUFuncOptions &, Loc loc) {
  return kiln::relu(input, loc);
}

Tensor leaky_relu(const Tensor &input, const LeakyReLUFuncOptions &options,
                  Loc loc) {
  return kiln::leaky_relu(input, options.negative_slope(), loc);
}

Tensor gelu(const Tensor &input, const GELUFuncOptions &options, Loc loc) {
  return kiln::gelu(input, options.approximate(), loc);
}

// --- Layers as functions

Tensor linear(const Tensor &input, const Tensor &weight, const Tensor &bias,
              Loc loc) {
  checkFloat(input, "linear", loc);
  checkFloat(weight, "linear", loc);
  if (weight.dim() != 2 || input.dim() < 1 || input.size(-1) != weight.size(1))
    fail(loc, "linear",
         "expects an input [..., in] and a weight [out, in], got input " +
             str(input.sizes()) + " and weight " + str(weight.sizes()));
  Tensor y = input.matmul(weight.t(loc), loc);
  if (!bias.defined())
    return y;
  if (!ir::isBroadcastableTo(bias.sizes(), y.sizes()))
    fail(loc, "linear",
         "bias " + str(bias.sizes()) + " does not broadcast to the output " +
             str(y.sizes()));
  return y + bias;
}

Tensor embedding(const Tensor &input, const Tensor &weight,
                 const EmbeddingFuncOptions &options, Loc loc) {
  checkDefined(input, "embedding", loc);
  checkDefined(weight, "embedding", loc);
  if (!is_integral(input.dtype()) || !weight.is_floating_point())
    fail(loc, "embedding",
         "expects integer indices and a floating point weight, got " +
             std::string(dtype_name(input.dtype())) + " and " +
             std::string(dtype_name(weight.dtype())) +
             " (F::embedding takes (input, weight); torch::embedding takes "
             "(weight, indices))");
  if (weight.dim() != 2 && (options.padding_idx() || options.max_norm() ||
                            options.scale_grad_by_freq()))
    fail(loc, "embedding",
         "padding_idx, max_norm and scale_grad_by_freq need a weight "
         "[num_embeddings, dim], got " +
             str(weight.sizes()));
  if (options.max_norm())
    embeddingRenorm(weight, input, *options.max_norm(), options.norm_type(),
                    "embedding", loc);
  Tensor table = weight;
  if (options.padding_idx()) {
    int64_t rows = weight.size(0), padding = *options.padding_idx();
    if (padding < -rows || padding >= rows)
      fail(loc, "embedding",
           "padding_idx " + std::to_string(padding) +
               " is out of range for a weight of " + std::to_string(rows) +
               " rows");
    if (padding < 0)
      padding += rows;
    // The padding row reads as it is but passes no gradient back.
    Tensor keep = (arange(rows, kInt64, loc) != padding)
                      .to(weight.dtype(), loc)
                      .unsqueeze(1, loc);
    table = weight * keep + (weight * (1 - keep)).detach();
  }
  Tensor out = kiln::embedding(table, input, loc);
  if (options.scale_grad_by_freq())
    out = scaleGradByFrequency(out, input, loc);
  // `sparse` asks PyTorch for a sparse gradient; Kiln's is dense, with the
  // same values.
  return out;
}

Tensor pad(const Tensor &input, const PadFuncOptions &options, Loc loc) {
  checkDefined(input, "pad", loc);
  const std::vector<int64_t> &amounts = options.pad();
  const Mode &mode = options.mode();
  int64_t padded = static_cast<int64_t>(amounts.size()) / 2;
  if (amounts.size() % 2 != 0 || padded > input.dim())
    fail(loc, "pad",
         "pad " + str(amounts) + " needs (before, after) pairs for at most " +
             std::to_string(input.dim()) + " dimensions");
  if (mode == kConstant)
    return constant_pad_nd(input, amounts, options.value(), loc);
  if (mode != kReflect && mode != kReplicate && mode != kCircular)
    fail(loc, "pad",
         "mode must be kiln::kConstant, kiln::kReflect, kiln::kReplicate or "
         "kiln::kCircular (\"constant\", \"reflect\", \"replicate\", "
         "\"circular\"), got \"" +
             mode.str() + "\"");
  // As PyTorch: the last 1, 2 or 3 dimensions of a batch (or of one
  // unbatched sample), behind at least one leading dimension.
  if (padded < 1 || padded > 3 || input.dim() < padded + 1 ||
      input.dim() > padded + 2)
    fail(loc, "pad",
         "mode \"" + mode.str() + "\" pads 1 to 3 trailing dimensions of an " +
             "input with 1 or 2 more, got pad " + str(amounts) +
             " for an input " + str(input.sizes()));
  Tensor out = input;
  for (int64_t i = 0; i < padded; ++i) {
    int64_t d = input.dim() - 1 - i, n = input.size(d);
    int64_t before = amounts[2 * i], after = amounts[2 * i + 1];
    if (before < 0 || after < 0)
      fail(loc, "pad",
           "negative padding is not supported in mode \"" + mode.str() +
               "\": " + str(amounts));
    int64_t limit = mode == kReflect ? n - 1 : mode == kCircular ? n : -1;
    if (limit >= 0 && (before > limit || after > limit))
      fail(loc, "pad",
           "padding " + str(amounts) + " in mode \"" + mode.str() +
               "\" must be at most " + std::to_string(limit) +
               " for dimension " + std::to_string(d) + " of size " +
               std::to_string(n) + " (input " + str(input.sizes()) + ")");
    if (n == 0)
      fail(loc, "pad",
           "cannot pad dimension " + std::to_string(d) +
               " of size 0 in mode \"" + mode.str() + "\"");
    // Each output position's source position along d.
    std::vector<int64_t> source;
    for (int64_t j = -before; j < n + after; ++j) {
      if (mode == kReflect)
        source.push_back(j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j);
      else if (mode == kReplicate)
        source.push_back(std::clamp<int64_t>(j, 0, n - 1));
      else
        source.push_back(((j % n) + n) % n);
    }
    out = out.index_select(d, tensor(source, kInt64, loc), loc);
  }
  return out;
}

Tensor instance_norm(const Tensor &input,
                     const InstanceNormFuncOptions &options, Loc loc) {
  checkFloat(input, "instance_norm", loc);
  if (input.dim() < 3)
    fail(loc, "instance_norm",
         "expects an input [N, C, ...] with at least one spatial dimension, "
         "got " +
             str(input.sizes()));
  const Tensor &runningMean = options.running_mean();
  const Tensor &runningVar = options.running_var();
  if (!options.use_input_stats()) {
    if (!runningMean.defined() || !runningVar.defined())
      fail(loc, "instance_norm",
           "use_input_stats(false) needs running_mean and running_var");
    return kiln::batch_norm(input, runningMean, runningVar, options.weight(),
                            options.bias(), false, options.momentum(),
                            options.eps(), loc);
  }
  int64_t channels = input.size(1);
  int64_t positions = input.numel() / (input.size(0) * channels);
  if (positions <= 1 && (runningMean.defined() || runningVar.defined()))
    fail(loc, "instance_norm",
         "expected more than 1 spatial element per channel to update the "
         "running statistics, got input " +
             str(input.sizes()));
  // One group per channel: each (sample, channel) over its positions.
  Tensor y = kiln::group_norm(input, channels, options.weight(), options.bias(),
                              options.eps(), loc);
  Shape spatial;
  for (int64_t d = 2; d < input.dim(); ++d)
    spatial.push_back(d);
  double momentum = options.momentum();
  // The running statistics move towards the batch's mean of each sample's
  // statistics, the variance unbiased, as PyTorch's do.
  if (runningMean.defined()) {
    Tensor mean = input.detach().mean(spatial, false, loc).mean(0, false, loc);
    detail::assign(runningMean,
                   runningMean * (1 - momentum) +
                       mean.to(runningMean.dtype(), loc) * momentum,
                   loc);
  }
  if (runningVar.defined()) {
    Tensor var = input.detach()
                     .var(spatial, /*unbiased=*/true, false, loc)
                     .mean(0, false, loc);
    detail::assign(runningVar,
                   runningVar * (1 - momentum) +
                       var.to(runningVar.dtype(), loc) * momentum,
                   loc);
  }
  return y;
}

Tensor normalize(const Tensor &input, const NormalizeFuncOptions &options,
                 Loc loc) {
  checkFloat(input, "normalize", loc);
  if (input.dim() == 0)
    fail(loc, "normalize", "expects at least one dimension, got a 0-d tensor");
  Tensor norm = input.norm(options.p(), {options.dim()}, true, loc);
  return input / norm.clamp(options.eps(), {}, loc);
}

Tensor cosine_similarity(const Tensor &x1, const Tensor &x2,
                         const CosineSimilarityFuncOptions &options, Loc loc) {
  checkDefined(x1, "cosine_similarity", loc);
  checkDefined(x2, "cosine_similarity", loc);
  std::optional<Shape> shape = ir::broadcastShapes(x1.sizes(), x2.sizes());
  if (!shape)
    fail(loc, "cosine_similarity",
         "x1 " + str(x1.sizes()) + " and x2 " + str(x2.sizes()) +
             " do not broadcast together");
  if (shape->empty())
    fail(loc, "cosine_similarity",
         "expects at least one dimension, got 0-d tensors");
  int64_t dim =
      detail::normDim(options.dim(), shape->size(), "cosine_similarity", loc);
  // As PyTorch, integers are compared as floats of the default dtype.
  auto unit = [&](const Tensor &x) {
    Tensor wide =
        (x.is_floating_point() ? x : x.to(kFloat32, loc)).expand(*shape, loc);
    return wide / wide.norm(2, {dim}, true, loc).clamp(options.eps(), {}, loc);
  };
  return (unit(x1) * unit(x2)).sum(dim, false, loc);
}

// --- Activations

Tensor elu(const Tensor &input, const ELUFuncOptions &options, Loc loc) {
  checkFloat(input, "elu", loc);
  return eluWithScale(input, options.alpha(), 1.0, loc);
}

Tensor selu(const Tensor &input, const SELUFuncOptions &, Loc loc) {
  checkFloat(input, "selu", loc);
  // The constants of Klambauer et al., "Self-Normalizing Neural Networks".
  constexpr double alpha = 1.6732632423543772848170429916717;
  constexpr double scale = 1.0507009873554804934193349852946;
  return eluWithScale(input, alpha, 1.0, loc) * scale;
}

Tensor celu(const Tensor &input, const CELUFuncOptions &options, Loc loc) {
  checkFloat(input, "celu", loc);
  if (options.alpha() == 0)
    fail(loc, "celu", "alpha must not be 0");
  return eluWithScale(input, options.alpha(), 1.0 / options.alpha(), loc);
}

Tensor hardtanh(const Tensor &input, const HardtanhFuncOptions &options,
                Loc loc) {
  checkFloat(input, "hardtanh", loc);
  if (options.max_val() < options.min_val())
    fail(loc, "hardtanh",
         "max_val " + num(options.max_val()) + " must not be below min_val " +
             num(options.min_val()));
  return clampInside(input, options.min_val(), options.max_val(), loc);
}

Tensor relu6(const Tensor &input, const ReLU6FuncOptions &, Loc loc) {
  checkFloat(input, "relu6", loc);
  return clampInside(input, 0, 6, loc);
}

Tensor threshold(const Tensor &input, const ThresholdFuncOptions &options,
                 Loc loc) {
  checkFloat(input, "threshold", loc);
  return where(input > options.threshold(), input,
               scalar(options.value(), input, loc), loc);
}

Tensor softplus(const Tensor &input, const SoftplusFuncOptions &options,
                Loc loc) {
  checkFloat(input, "softplus", loc);
  if (options.beta() == 0)
    fail(loc, "softplus", "beta must not be 0");
  return softplusOf(input, options.beta(), options.threshold(), loc);
}

Tensor softshrink(const Tensor &input, const SoftshrinkFuncOptions &options,
                  Loc loc) {
  checkFloat(input, "softshrink", loc);
  double lambda = options.lambda();
  if (lambda < 0)
    fail(loc, "softshrink", "lambda must be non-negative, got " + num(lambda));
  return where(
      input > lambda, input - lambda,
      where(input < -lambda, input + lambda, scalar(0, input, loc), loc), loc);
}

Tensor hardshrink(const Tensor &input, const HardshrinkFuncOptions &options,
                  Loc loc) {
  checkFloat(input, "hardshrink", loc);
  double lambda = options.lambda();
  return where((input > lambda) | (input < -lambda), input,
               scalar(0, input, loc), loc);
}

Tensor mish(const Tensor &input, Loc loc) {
  checkFloat(input, "mish", loc);
  return input * softplusOf(input, 1, 20, loc).tanh(loc);
}

Tensor hardsigmoid(const Tensor &input, Loc loc) {
  checkFloat(input, "hardsigmoid", loc);
  return clampInside(input + 3, 0, 6, loc) / 6;
}

Tensor hardswish(const Tensor &input, Loc loc) {
  checkFloat(input, "hardswish", loc);
  return input * hardsigmoid(input, loc);
}

Tensor logsigmoid(const Tensor &input, Loc loc) {
  checkFloat(input, "logsigmoid", loc);
  // log sigmoid(x) = min(x, 0) - log1p(e^-|x|): no exp of a large number.
  return input.clamp({}, 0, loc) - (-input.abs(loc)).exp(loc).log1p(loc);
}

} // namespace kiln::nn::functional
