//===- Layers.cpp - 1-d and adaptive pooling, padding, more activations ---===//
#include "kiln/frontend/Layers.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/runtime/Error.h"

#include <cmath>

namespace kiln::nn {

using detail::fail;
using detail::str;

namespace functional {

namespace {

/// `input` [N, C, L] (or [C, L]) as [N, C, 1, L], and whether it had a
/// batch.
std::pair<Tensor, bool> as2d(const Tensor &input, std::string_view op,
                             const Loc &loc) {
  detail::checkDefined(input, op, loc);
  if (input.dim() != 2 && input.dim() != 3)
    fail(loc, op, "expects [N, C, L] or [C, L], got " + str(input.sizes()));
  bool batched = input.dim() == 3;
  Tensor x = batched ? input : input.unsqueeze(0, loc);
  return {x.unsqueeze(2, loc), batched};
}

Tensor from2d(const Tensor &output, bool batched, const Loc &loc) {
  Tensor x = output.squeeze(2, loc);
  return batched ? x : x.squeeze(0, loc);
}

/// The largest element of each adaptive window along `dim`.
Tensor adaptiveMax(const Tensor &x, int64_t dim, int64_t outputs,
                   std::string_view op, const Loc &loc) {
  int64_t size = x.size(dim);
  if (outputs <= 0)
    fail(loc, op,
         "the output size must be positive, got " + std::to_string(outputs));
  if (size == 0)
    fail(loc, op, "cannot pool an empty dimension: " + str(x.sizes()));
  std::vector<Tensor> windows;
  for (int64_t i = 0; i < outputs; ++i) {
    int64_t start = (i * size) / outputs;
    int64_t end = ((i + 1) * size + outputs - 1) / outputs;
    windows.push_back(
        x.narrow(dim, start, end - start, loc).amax({dim}, true, loc));
  }
  return cat(windows, dim, loc);
}

} // namespace

Tensor max_pool1d(const Tensor &input, const MaxPool1dFuncOptions &options,
                  Loc loc) {
  auto [x, batched] = as2d(input, "max_pool1d", loc);
  Tensor y =
      kiln::max_pool2d(x, {1, options.kernel_size()[0]},
                       {1, options.stride()[0]}, {0, options.padding()[0]},
                       {1, options.dilation()[0]}, options.ceil_mode(), loc);
  return from2d(y, batched, loc);
}

Tensor avg_pool1d(const Tensor &input, const AvgPool1dFuncOptions &options,
                  Loc loc) {
  auto [x, batched] = as2d(input, "avg_pool1d", loc);
  AvgPool2dFuncOptions two({1, options.kernel_size()[0]});
  two.stride({1, options.stride()[0]})
      .padding({0, options.padding()[0]})
      .ceil_mode(options.ceil_mode())
      .count_include_pad(options.count_include_pad())
      .divisor_override(options.divisor_override());
  return from2d(avg_pool2d(x, two, loc), batched, loc);
}

Tensor adaptive_avg_pool1d(const Tensor &input,
                           const AdaptiveAvgPool1dFuncOptions &options,
                           Loc loc) {
  auto [x, batched] = as2d(input, "adaptive_avg_pool1d", loc);
  return from2d(
      kiln::adaptive_avg_pool2d(x, {1, options.output_size()[0]}, loc), batched,
      loc);
}

Tensor adaptive_max_pool1d(const Tensor &input,
                           const AdaptiveMaxPool1dFuncOptions &options,
                           Loc loc) {
  auto [x, batched] = as2d(input, "adaptive_max_pool1d", loc);
  return from2d(
      adaptiveMax(x, 3, options.output_size()[0], "adaptive_max_pool1d", loc),
      batched, loc);
}

Tensor adaptive_max_pool2d(const Tensor &input,
                           const AdaptiveMaxPool2dFuncOptions &options,
                           Loc loc) {
  detail::checkDefined(input, "adaptive_max_pool2d", loc);
  if (input.dim() != 3 && input.dim() != 4)
    fail(loc, "adaptive_max_pool2d",
         "expects [N, C, H, W] or [C, H, W], got " + str(input.sizes()));
  // A window's maximum is the maximum over its rows of the maximum over
  // its columns.
  int64_t h = input.dim() - 2, w = input.dim() - 1;
  Shape size = options.output_size().resolve(input.sizes());
  Tensor x = adaptiveMax(input, w, size[1], "adaptive_max_pool2d", loc);
  return adaptiveMax(x, h, size[0], "adaptive_max_pool2d", loc);
}

Tensor softsign(const Tensor &input, Loc loc) {
  detail::checkDefined(input, "softsign", loc);
  return input / (input.abs(loc) + 1);
}

Tensor tanhshrink(const Tensor &input, Loc loc) {
  detail::checkDefined(input, "tanhshrink", loc);
  return input - input.tanh(loc);
}

Tensor softmin(const Tensor &input, const SoftminFuncOptions &options,
               Loc loc) {
  detail::checkDefined(input, "softmin", loc);
  return input.neg(loc).softmax(options.dim(), loc);
}

Tensor glu(const Tensor &input, const GLUFuncOptions &options, Loc loc) {
  detail::checkDefined(input, "glu", loc);
  int64_t dim = detail::normDim(options.dim(),
                                std::max<int64_t>(input.dim(), 1), "glu", loc);
  if (input.dim() == 0 || input.size(dim) % 2 != 0)
    fail(loc, "glu",
         "halves dimension " + std::to_string(dim) +
             ", which must have an even size; the input is " +
             str(input.sizes()));
  int64_t half = input.size(dim) / 2;
  return input.narrow(dim, 0, half, loc) *
         input.narrow(dim, half, half, loc).sigmoid(loc);
}

Tensor prelu(const Tensor &input, const Tensor &weight, Loc loc) {
  detail::checkDefined(input, "prelu", loc);
  detail::checkDefined(weight, "prelu", loc);
  Tensor slope = weight.reshape({-1}, loc);
  int64_t slopes = slope.size(0);
  if (slopes != 1) {
    if (input.dim() < 2 || input.size(1) != slopes)
      fail(loc, "prelu",
           "has " + std::to_string(slopes) +
               " slopes, one per channel, but the input " + str(input.sizes()) +
               " has " +
               (input.dim() < 2 ? std::string("no channel dimension")
                                : std::to_string(input.size(1)) + " channels"));
    Shape perChannel(input.dim(), 1);
    perChannel[1] = slopes;
    slope = slope.reshape(perChannel, loc);
  } else {
    slope = slope.reshape({}, loc);
  }
  return where(input >= 0, input, input * slope, loc);
}

Tensor pixel_shuffle(const Tensor &input,
                     const PixelShuffleFuncOptions &options, Loc loc) {
  detail::checkDefined(input, "pixel_shuffle", loc);
  int64_t r = options.upscale_factor();
  if (input.dim() < 3 || r <= 0 || input.size(-3) % (r * r) != 0)
    fail(loc, "pixel_shuffle",
         "expects [*, C r^2, H, W] with r = " + std::to_string(r) + ", got " +
             str(input.sizes()));
  Shape batch(input.sizes().begin(), input.sizes().end() - 3);
  int64_t c = input.size(-3) / (r * r), h = input.size(-2), w = input.size(-1);
  int64_t n = 1;
  for (int64_t d : batch)
    n *= d;
  Tensor x = input.reshape({n, c, r, r, h, w}, loc)
                 .permute({0, 1, 4, 2, 5, 3}, loc); // [n, c, h, r, w, r]
  Shape out = batch;
  out.insert(out.end(), {c, h * r, w * r});
  return x.reshape(out, loc);
}

Tensor pixel_unshuffle(const Tensor &input,
                       const PixelUnshuffleFuncOptions &options, Loc loc) {
  detail::checkDefined(input, "pixel_unshuffle", loc);
  int64_t r = options.downscale_factor();
  if (input.dim() < 3 || r <= 0 || input.size(-2) % r != 0 ||
      input.size(-1) % r != 0)
    fail(loc, "pixel_unshuffle",
         "expects [*, C, H r, W r] with r = " + std::to_string(r) + ", got " +
             str(input.sizes()));
  Shape batch(input.sizes().begin(), input.sizes().end() - 3);
  int64_t c = input.size(-3), h = input.size(-2) / r, w = input.size(-1) / r;
  int64_t n = 1;
  for (int64_t d : batch)
    n *= d;
  Tensor x = input.reshape({n, c, h, r, w, r}, loc)
                 .permute({0, 1, 3, 5, 2, 4}, loc); // [n, c, r, r, h, w]
  Shape out = batch;
  out.insert(out.end(), {c * r * r, h, w});
  return x.reshape(out, loc);
}

Tensor pairwise_distance(const Tensor &x1, const Tensor &x2,
                         const PairwiseDistanceFuncOptions &options, Loc loc) {
  detail::checkDefined(x1, "pairwise_distance", loc);
  detail::checkDefined(x2, "pairwise_distance", loc);
  Tensor diff = x1 - x2 + options.eps();
  int64_t last = std::max<int64_t>(diff.dim() - 1, 0);
  if (diff.dim() == 0)
    return diff.abs(loc);
  return diff.norm(options.p(), {last}, options.keepdim(), loc);
}

} // namespace functional

namespace F = functional;

Tensor MaxPool1dImpl::forward(const Tensor &input) {
  return F::max_pool1d(input, options);
}
void MaxPool1dImpl::pretty_print(std::ostream &os) const {
  os << std::boolalpha
     << "kiln::nn::MaxPool1d(kernel_size=" << options.kernel_size()
     << ", stride=" << options.stride() << ", padding=" << options.padding()
     << ", dilation=" << options.dilation()
     << ", ceil_mode=" << options.ceil_mode() << ")";
}

Tensor AvgPool1dImpl::forward(const Tensor &input) {
  return F::avg_pool1d(input, options);
}
void AvgPool1dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AvgPool1d(kernel_size=" << options.kernel_size()[0]
     << ", stride=" << options.stride()[0]
     << ", padding=" << options.padding()[0] << ")";
}

Tensor AdaptiveAvgPool1dImpl::forward(const Tensor &input) {
  return F::adaptive_avg_pool1d(input, options);
}
void AdaptiveAvgPool1dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AdaptiveAvgPool1d(output_size=" << options.output_size()
     << ")";
}

Tensor AdaptiveMaxPool1dImpl::forward(const Tensor &input) {
  return F::adaptive_max_pool1d(input, options);
}
void AdaptiveMaxPool1dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AdaptiveMaxPool1d(output_size=" << options.output_size()
     << ")";
}

Tensor AdaptiveMaxPool2dImpl::forward(const Tensor &input) {
  return F::adaptive_max_pool2d(input, options);
}
void AdaptiveMaxPool2dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AdaptiveMaxPool2d(output_size=" << options.output_size()
     << ")";
}

#define KILN_PAD_LAYER(Name, ModeValue, Value, ...)                            \
  Tensor Name##Impl::forward(const Tensor &input) {                            \
    return F::pad(                                                             \
        input,                                                                 \
        F::PadFuncOptions(*options.padding()).mode(ModeValue).value(Value));   \
  }                                                                            \
  void Name##Impl::pretty_print(std::ostream &os) const {                      \
    os << "kiln::nn::" #Name "(padding=" << options.padding() __VA_ARGS__      \
       << ")";                                                                 \
  }
KILN_PAD_LAYER(ZeroPad1d, kConstant, 0.0)
KILN_PAD_LAYER(ZeroPad2d, kConstant, 0.0)
KILN_PAD_LAYER(ZeroPad3d, kConstant, 0.0)
KILN_PAD_LAYER(ConstantPad1d, kConstant, options.value(),
               << ", value=" << options.value())
KILN_PAD_LAYER(ConstantPad2d, kConstant, options.value(),
               << ", value=" << options.value())
KILN_PAD_LAYER(ConstantPad3d, kConstant, options.value(),
               << ", value=" << options.value())
KILN_PAD_LAYER(ReflectionPad1d, kReflect, 0.0)
KILN_PAD_LAYER(ReflectionPad2d, kReflect, 0.0)
KILN_PAD_LAYER(ReflectionPad3d, kReflect, 0.0)
KILN_PAD_LAYER(ReplicationPad1d, kReplicate, 0.0)
KILN_PAD_LAYER(ReplicationPad2d, kReplicate, 0.0)
KILN_PAD_LAYER(ReplicationPad3d, kReplicate, 0.0)
#undef KILN_PAD_LAYER

Tensor GLUImpl::forward(const Tensor &input) { return F::glu(input, options); }
void GLUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::GLU(dim=" << options.dim() << ")";
}

Tensor SoftminImpl::forward(const Tensor &input) {
  return F::softmin(input, options);
}
void SoftminImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Softmin(dim=" << options.dim() << ")";
}

Tensor PixelShuffleImpl::forward(const Tensor &input) {
  return F::pixel_shuffle(input, options);
}
void PixelShuffleImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::PixelShuffle(upscale_factor=" << options.upscale_factor()
     << ")";
}

Tensor PixelUnshuffleImpl::forward(const Tensor &input) {
  return F::pixel_unshuffle(input, options);
}
void PixelUnshuffleImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::PixelUnshuffle(downscale_factor="
     << options.downscale_factor() << ")";
}

Tensor SoftsignImpl::forward(const Tensor &input) { return F::softsign(input); }
void SoftsignImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Softsign()";
}

Tensor TanhshrinkImpl::forward(const Tensor &input) {
  return F::tanhshrink(input);
}
void TanhshrinkImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Tanhshrink()";
}

Tensor LogSigmoidImpl::forward(const Tensor &input) {
  return F::logsigmoid(input);
}
void LogSigmoidImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::LogSigmoid()";
}

Tensor HardsigmoidImpl::forward(const Tensor &input) {
  return F::hardsigmoid(input);
}
void HardsigmoidImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Hardsigmoid()";
}

PReLUImpl::PReLUImpl(const PReLUOptions &options) : options(options) {
  if (options.num_parameters() < 1)
    throw Error("PReLU: num_parameters must be at least 1, got " +
                std::to_string(options.num_parameters()));
  reset();
}

void PReLUImpl::reset() {
  weight = register_parameter("weight",
                              full({options.num_parameters()}, options.init()));
}

Tensor PReLUImpl::forward(const Tensor &input) {
  return F::prelu(input, weight);
}
void PReLUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::PReLU(num_parameters=" << options.num_parameters() << ")";
}

Tensor PairwiseDistanceImpl::forward(const Tensor &x1, const Tensor &x2) {
  return F::pairwise_distance(x1, x2, options);
}
void PairwiseDistanceImpl::pretty_print(std::ostream &os) const {
  os << std::boolalpha << "kiln::nn::PairwiseDistance(p=" << options.p()
     << ", eps=" << options.eps() << ", keepdim=" << options.keepdim() << ")";
}

} // namespace kiln::nn
