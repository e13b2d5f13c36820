//===- NN.cpp - Modules and layers -----------------------------------------===//
#include "kiln/frontend/NN.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/ConvCommon.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/Graph.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <cmath>
#include <sstream>

namespace kiln::nn {

namespace {

std::string str(int64_t v) { return std::to_string(v); }
const char *str(bool b) { return b ? "true" : "false"; }

std::string describe(const Tensor &input) {
  return input.defined() ? ir::formatShape(input.sizes())
                         : std::string("an undefined tensor");
}

/// Uniform in +-bound, PyTorch's default for convolution and linear layers.
int64_t product(const Shape &sizes) {
  int64_t n = 1;
  for (int64_t s : sizes)
    n *= s;
  return n;
}

} // namespace

// --- Linear

LinearImpl::LinearImpl(const LinearOptions &options) : options(options) {
  reset();
}

void LinearImpl::reset() {
  if (options.in_features() < 1 || options.out_features() < 1)
    throw Error("Linear: in_features and out_features must be positive, got " +
                str(options.in_features()) + " and " +
                str(options.out_features()));
  weight = register_parameter(
      "weight", empty({options.out_features(), options.in_features()}));
  if (options.bias())
    bias = register_parameter("bias", empty({options.out_features()}));
  else
    bias = register_parameter("bias", Tensor(), /*requires_grad=*/false);
  reset_parameters();
}

void LinearImpl::reset_parameters() {
  // PyTorch's default: kaiming_uniform_(a=sqrt(5)) for the weight, which is
  // uniform in +-1/sqrt(in_features), and the same bound for the bias.
  double bound = 1.0 / std::sqrt(static_cast<double>(options.in_features()));
  init::uniform_(weight, -bound, bound);
  if (bias.defined())
    init::uniform_(bias, -bound, bound);
}

Tensor LinearImpl::forward(const Tensor &input) {
  int64_t in = options.in_features();
  if (!input.defined() || input.dim() < 1 || input.size(-1) != in)
    throw Error("Linear(" + str(in) + ", " + str(options.out_features()) +
                "): expected an input with last dimension " + str(in) +
                ", got " + describe(input));
  Tensor y = input.matmul(weight.t());
  return bias.defined() ? y + bias : y;
}

void LinearImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Linear(in_features=" << options.in_features()
     << ", out_features=" << options.out_features()
     << ", bias=" << str(options.bias()) << ")";
}

// --- Shape and activation modules

void IdentityImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Identity()";
}

Tensor FlattenImpl::forward(const Tensor &input) {
  return input.flatten(options.start_dim(), options.end_dim());
}
void FlattenImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Flatten(start_dim=" << options.start_dim()
     << ", end_dim=" << options.end_dim() << ")";
}

Tensor UnflattenImpl::forward(const Tensor &input) {
  if (!input.defined())
    throw Error("Unflatten: the input is undefined");
  int64_t dim = options.dim() < 0 ? options.dim() + input.dim() : options.dim();
  if (dim < 0 || dim >= input.dim())
    throw Error("Unflatten: dim " + str(options.dim()) +
                " is out of range for an input " + describe(input));
  Shape sizes = input.sizes();
  Shape out(sizes.begin(), sizes.begin() + dim);
  out.insert(out.end(), options.sizes().begin(), options.sizes().end());
  out.insert(out.end(), sizes.begin() + dim + 1, sizes.end());
  return input.reshape(out);
}
void UnflattenImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Unflatten(dim=" << options.dim() << ", unflattened_size={";
  for (size_t i = 0; i < options.sizes().size(); ++i)
    os << (i ? ", " : "") << options.sizes()[i];
  os << "})";
}

Tensor ReLUImpl::forward(const Tensor &input) { return relu(input); }
void ReLUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::ReLU(" << (inplace_ ? "inplace=true" : "") << ")";
}

Tensor TanhImpl::forward(const Tensor &input) { return tanh(input); }
void TanhImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Tanh()";
}

Tensor SigmoidImpl::forward(const Tensor &input) { return sigmoid(input); }
void SigmoidImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Sigmoid()";
}

Tensor GELUImpl::forward(const Tensor &input) {
  return gelu(input, approximate_);
}
void GELUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::GELU(approximate='" << approximate_ << "')";
}

Tensor LeakyReLUImpl::forward(const Tensor &input) {
  return leaky_relu(input, slope_);
}
void LeakyReLUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::LeakyReLU(negative_slope=" << slope_;
  if (inplace_)
    os << ", inplace=true";
  os << ")";
}

Tensor SiLUImpl::forward(const Tensor &input) { return silu(input); }
void SiLUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::SiLU()";
}

Tensor SoftmaxImpl::forward(const Tensor &input) {
  return softmax(input, options.dim());
}
void SoftmaxImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Softmax(dim=" << options.dim() << ")";
}

Tensor LogSoftmaxImpl::forward(const Tensor &input) {
  return log_softmax(input, options.dim());
}
void LogSoftmaxImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::LogSoftmax(dim=" << options.dim() << ")";
}

namespace F = functional;

namespace {
std::ostream &inplaceSuffix(std::ostream &os, bool inplace) {
  return inplace ? os << ", inplace=true" : os;
}
} // namespace

Tensor ReLU6Impl::forward(const Tensor &input) {
  return F::relu6(input, options);
}
void ReLU6Impl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::ReLU6(" << (options.inplace() ? "inplace=true" : "") << ")";
}

Tensor ThresholdImpl::forward(const Tensor &input) {
  return F::threshold(input, options);
}
void ThresholdImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Threshold(threshold=" << options.threshold()
     << ", value=" << options.value();
  inplaceSuffix(os, options.inplace()) << ")";
}

Tensor SoftplusImpl::forward(const Tensor &input) {
  return F::softplus(input, options);
}
void SoftplusImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Softplus(beta=" << options.beta()
     << ", threshold=" << options.threshold() << ")";
}

Tensor SoftshrinkImpl::forward(const Tensor &input) {
  return F::softshrink(input, options);
}
void SoftshrinkImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Softshrink(" << options.lambda() << ")";
}

Tensor HardshrinkImpl::forward(const Tensor &input) {
  return F::hardshrink(input, options);
}
void HardshrinkImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Hardshrink(" << options.lambda() << ")";
}

HardtanhImpl::HardtanhImpl(const HardtanhOptions &options) : options(options) {
  reset();
}
void HardtanhImpl::reset() {
  if (!(options.max_val() > options.min_val()))
    throw Error("Hardtanh: max_val must be greater than min_val, got min_val " +
                std::to_string(options.min_val()) + " and max_val " +
                std::to_string(options.max_val()));
}
Tensor HardtanhImpl::forward(const Tensor &input) {
  return F::hardtanh(input, options);
}
void HardtanhImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Hardtanh(min_val=" << options.min_val()
     << ", max_val=" << options.max_val();
  inplaceSuffix(os, options.inplace()) << ")";
}

Tensor ELUImpl::forward(const Tensor &input) { return F::elu(input, options); }
void ELUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::ELU(alpha=" << options.alpha();
  inplaceSuffix(os, options.inplace()) << ")";
}

Tensor SELUImpl::forward(const Tensor &input) {
  return F::selu(input, options);
}
void SELUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::SELU(" << (options.inplace() ? "inplace=true" : "") << ")";
}

Tensor CELUImpl::forward(const Tensor &input) {
  return F::celu(input, options);
}
void CELUImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::CELU(alpha=" << options.alpha();
  inplaceSuffix(os, options.inplace()) << ")";
}

Tensor MishImpl::forward(const Tensor &input) { return F::mish(input); }
void MishImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Mish()";
}

Tensor HardswishImpl::forward(const Tensor &input) {
  return F::hardswish(input);
}
void HardswishImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Hardswish()";
}

// --- Convolutions

using detail::checkChannels;
using detail::checkPaddingMode;
using detail::padForConv;
using detail::printConv;

Conv1dImpl::Conv1dImpl(int64_t in, int64_t out, ExpandingArray<1> kernel,
                       ExpandingArray<1> stride, ExpandingArray<1> padding,
                       ExpandingArray<1> dilation, int64_t groups, bool bias)
    : Conv1dImpl(Conv1dOptions(in, out, kernel)
                     .stride(stride)
                     .padding(padding)
                     .dilation(dilation)
                     .groups(groups)
                     .bias(bias)) {}

Conv1dImpl::Conv1dImpl(Conv1dOptions options) : options(std::move(options)) {
  reset();
}

void Conv1dImpl::reset() {
  const Conv1dOptions &o = options;
  checkChannels("Conv1d", o.in_channels(), o.out_channels(), o.groups(),
                *o.kernel_size());
  checkPaddingMode("Conv1d", o.padding_mode());
  weight = register_parameter(
      "weight", empty({o.out_channels(), o.in_channels() / o.groups(),
                       o.kernel_size()[0]}));
  bias = register_parameter(
      "bias", o.bias() ? empty({o.out_channels()}) : Tensor(), o.bias());
  reset_parameters();
}

void Conv1dImpl::reset_parameters() {
  double bound = 1.0 / std::sqrt(static_cast<double>(options.in_channels() /
                                                     options.groups() *
                                                     options.kernel_size()[0]));
  init::uniform_(weight, -bound, bound);
  if (bias.defined())
    init::uniform_(bias, -bound, bound);
}

Tensor Conv1dImpl::forward(const Tensor &input) {
  if (options.padding_mode() != kZeros)
    return conv1d(
        padForConv<1>(input, options.padding(), options.padding_mode()), weight,
        bias, options.stride()[0], 0, options.dilation()[0], options.groups());
  return conv1d(input, weight, bias, options.stride()[0], options.padding()[0],
                options.dilation()[0], options.groups());
}

void Conv1dImpl::pretty_print(std::ostream &os) const {
  printConv(os, "Conv1d", options);
}

Conv2dImpl::Conv2dImpl(int64_t in, int64_t out, ExpandingArray<2> kernel,
                       ExpandingArray<2> stride, ExpandingArray<2> padding,
                       ExpandingArray<2> dilation, int64_t groups, bool bias)
    : Conv2dImpl(Conv2dOptions(in, out, kernel)
                     .stride(stride)
                     .padding(padding)
                     .dilation(dilation)
                     .groups(groups)
                     .bias(bias)) {}

Conv2dImpl::Conv2dImpl(Conv2dOptions options) : options(std::move(options)) {
  reset();
}

void Conv2dImpl::reset() {
  const Conv2dOptions &o = options;
  checkChannels("Conv2d", o.in_channels(), o.out_channels(), o.groups(),
                *o.kernel_size());
  checkPaddingMode("Conv2d", o.padding_mode());
  weight = register_parameter(
      "weight", empty({o.out_channels(), o.in_channels() / o.groups(),
                       o.kernel_size()[0], o.kernel_size()[1]}));
  bias = register_parameter(
      "bias", o.bias() ? empty({o.out_channels()}) : Tensor(), o.bias());
  reset_parameters();
}

void Conv2dImpl::reset_parameters() {
  double fanIn = static_cast<double>(options.in_channels() / options.groups() *
                                     product(*options.kernel_size()));
  double bound = 1.0 / std::sqrt(fanIn);
  init::uniform_(weight, -bound, bound);
  if (bias.defined())
    init::uniform_(bias, -bound, bound);
}

Tensor Conv2dImpl::forward(const Tensor &input) {
  if (options.padding_mode() != kZeros)
    return conv2d(
        padForConv<2>(input, options.padding(), options.padding_mode()), weight,
        bias, *options.stride(), {0, 0}, *options.dilation(), options.groups());
  return conv2d(input, weight, bias, *options.stride(), *options.padding(),
                *options.dilation(), options.groups());
}

void Conv2dImpl::pretty_print(std::ostream &os) const {
  printConv(os, "Conv2d", options);
}

ConvTranspose2dImpl::ConvTranspose2dImpl(
    int64_t in, int64_t out, ExpandingArray<2> kernel, ExpandingArray<2> stride,
    ExpandingArray<2> padding, ExpandingArray<2> outputPadding, int64_t groups,
    bool bias, ExpandingArray<2> dilation)
    : ConvTranspose2dImpl(ConvTranspose2dOptions(in, out, kernel)
                              .stride(stride)
                              .padding(padding)
                              .output_padding(outputPadding)
                              .groups(groups)
                              .bias(bias)
                              .dilation(dilation)) {}

ConvTranspose2dImpl::ConvTranspose2dImpl(ConvTranspose2dOptions options)
    : options(std::move(options)) {
  reset();
}

void ConvTranspose2dImpl::reset() {
  const ConvTranspose2dOptions &o = options;
  checkChannels("ConvTranspose2d", o.in_channels(), o.out_channels(),
                o.groups(), *o.kernel_size());
  checkPaddingMode("ConvTranspose2d", o.padding_mode(), /*transposed=*/true);
  for (size_t i = 0; i < 2; ++i)
    if (o.output_padding()[i] < 0 ||
        o.output_padding()[i] >= std::max(o.stride()[i], o.dilation()[i]))
      throw Error("ConvTranspose2d: output_padding " +
                  ir::formatShape(*o.output_padding()) +
                  " must be non-negative and smaller than the stride " +
                  ir::formatShape(*o.stride()) + " or the dilation");
  weight = register_parameter(
      "weight", empty({o.in_channels(), o.out_channels() / o.groups(),
                       o.kernel_size()[0], o.kernel_size()[1]}));
  bias = register_parameter(
      "bias", o.bias() ? empty({o.out_channels()}) : Tensor(), o.bias());
  reset_parameters();
}

void ConvTranspose2dImpl::reset_parameters() {
  // PyTorch computes the fan-in from the weight's dimension 1, which for a
  // transposed convolution holds the output channels.
  double fanIn = static_cast<double>(options.out_channels() / options.groups() *
                                     product(*options.kernel_size()));
  double bound = 1.0 / std::sqrt(fanIn);
  init::uniform_(weight, -bound, bound);
  if (bias.defined())
    init::uniform_(bias, -bound, bound);
}

Tensor ConvTranspose2dImpl::forward(
    const Tensor &input,
    const std::optional<std::vector<int64_t>> &outputSize) {
  Shape outputPadding = *options.output_padding();
  if (outputSize) {
    if (!input.defined() || input.dim() < 3 || outputSize->size() < 2)
      throw Error("ConvTranspose2d: output_size needs an input [N, C, H, W] "
                  "and at least two sizes, got " +
                  describe(input) + " and " + ir::formatShape(*outputSize));
    for (int i = 0; i < 2; ++i) {
      int64_t in = input.size(input.dim() - 2 + i);
      int64_t smallest =
          (in - 1) * options.stride()[i] - 2 * options.padding()[i] +
          options.dilation()[i] * (options.kernel_size()[i] - 1) + 1;
      int64_t want = (*outputSize)[outputSize->size() - 2 + i];
      if (want < smallest || want >= smallest + options.stride()[i])
        throw Error("ConvTranspose2d: output_size " +
                    ir::formatShape(*outputSize) +
                    " is not reachable from the input " + describe(input) +
                    " (each size must lie in [" + str(smallest) + ", " +
                    str(smallest + options.stride()[i] - 1) + "])");
      outputPadding[i] = want - smallest;
    }
  }
  return conv_transpose2d(input, weight, bias, *options.stride(),
                          *options.padding(), outputPadding, options.groups(),
                          *options.dilation());
}

void ConvTranspose2dImpl::pretty_print(std::ostream &os) const {
  printConv(os, "ConvTranspose2d", options);
}

// --- Pooling

MaxPool2dImpl::MaxPool2dImpl(ExpandingArray<2> kernel,
                             std::optional<ExpandingArray<2>> stride,
                             ExpandingArray<2> padding)
    : options(MaxPool2dOptions(kernel)
                  .stride(stride.value_or(kernel))
                  .padding(padding)) {}

Tensor MaxPool2dImpl::forward(const Tensor &input) {
  return max_pool2d(input, *options.kernel_size(), *options.stride(),
                    *options.padding(), *options.dilation(),
                    options.ceil_mode());
}
void MaxPool2dImpl::pretty_print(std::ostream &os) const {
  os << std::boolalpha
     << "kiln::nn::MaxPool2d(kernel_size=" << options.kernel_size()
     << ", stride=" << options.stride() << ", padding=" << options.padding()
     << ", dilation=" << options.dilation()
     << ", ceil_mode=" << options.ceil_mode() << ")";
}

AvgPool2dImpl::AvgPool2dImpl(ExpandingArray<2> kernel,
                             std::optional<ExpandingArray<2>> stride,
                             ExpandingArray<2> padding)
    : options(AvgPool2dOptions(kernel)
                  .stride(stride.value_or(kernel))
                  .padding(padding)) {}

Tensor AvgPool2dImpl::forward(const Tensor &input) {
  if (options.divisor_override())
    throw Error("AvgPool2d: divisor_override is not supported");
  return avg_pool2d(input, *options.kernel_size(), *options.stride(),
                    *options.padding(), options.ceil_mode(),
                    options.count_include_pad());
}
void AvgPool2dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AvgPool2d(kernel_size=" << options.kernel_size()
     << ", stride=" << options.stride() << ", padding=" << options.padding()
     << ")";
}

Tensor AdaptiveAvgPool2dImpl::forward(const Tensor &input) {
  return F::adaptive_avg_pool2d(input, options);
}
void AdaptiveAvgPool2dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AdaptiveAvgPool2d(output_size=" << options.output_size()
     << ")";
}

// --- Normalization

BatchNormImplBase::BatchNormImplBase(const BatchNormOptions &options,
                                     int64_t dims)
    : options(options), dims_(dims) {
  reset();
}

void BatchNormImplBase::reset() {
  int64_t c = options.num_features();
  if (c < 1)
    throw Error("BatchNorm" + str(dims_) +
                "d: num_features must be positive, got " + str(c));
  if (!options.momentum())
    throw Error("BatchNorm" + str(dims_) +
                "d: a cumulative moving average (momentum unset) is not "
                "supported; give a momentum");
  weight = register_parameter("weight", options.affine() ? ones({c}) : Tensor(),
                              options.affine());
  bias = register_parameter("bias", options.affine() ? zeros({c}) : Tensor(),
                            options.affine());
  if (options.track_running_stats()) {
    running_mean = register_buffer("running_mean", zeros({c}));
    running_var = register_buffer("running_var", ones({c}));
    num_batches_tracked =
        register_buffer("num_batches_tracked", zeros({}, kInt64));
  }
}

void BatchNormImplBase::reset_running_stats() {
  if (!options.track_running_stats())
    return;
  init::zeros_(running_mean);
  init::ones_(running_var);
  init::zeros_(num_batches_tracked);
}

void BatchNormImplBase::reset_parameters() {
  reset_running_stats();
  if (options.affine()) {
    init::ones_(weight);
    init::zeros_(bias);
  }
}

Tensor BatchNormImplBase::forward(const Tensor &input) {
  int64_t c = options.num_features();
  bool rankOk =
      input.defined() && (dims_ == 1 ? input.dim() == 2 || input.dim() == 3
                                     : input.dim() == dims_ + 2);
  if (!rankOk || input.size(1) != c)
    throw Error("BatchNorm" + str(dims_) + "d(" + str(c) + "): expected " +
                (dims_ == 1   ? "[N, C] or [N, C, L]"
                 : dims_ == 2 ? "[N, C, H, W]"
                              : "[N, C, D, H, W]") +
                " with C = " + str(c) + ", got " + describe(input));
  bool batchStats = is_training() || !options.track_running_stats();
  if (is_training() && options.track_running_stats()) {
    NoGradGuard noGrad;
    num_batches_tracked.add_(1);
  }
  return batch_norm(input, running_mean, running_var, weight, bias, batchStats,
                    *options.momentum(), options.eps());
}

void BatchNormImplBase::pretty_print(std::ostream &os) const {
  os << "kiln::nn::BatchNorm" << dims_ << "d(" << options.num_features()
     << ", eps=" << options.eps() << ", momentum=" << *options.momentum()
     << ", affine=" << str(options.affine())
     << ", track_running_stats=" << str(options.track_running_stats()) << ")";
}

LayerNormImpl::LayerNormImpl(LayerNormOptions options)
    : options(std::move(options)) {
  reset();
}

void LayerNormImpl::reset() {
  const Shape &shape = options.normalized_shape();
  bool affine = options.elementwise_affine();
  weight =
      register_parameter("weight", affine ? ones(shape) : Tensor(), affine);
  bool withBias = affine && options.bias();
  bias =
      register_parameter("bias", withBias ? zeros(shape) : Tensor(), withBias);
}

void LayerNormImpl::reset_parameters() {
  if (weight.defined())
    init::ones_(weight);
  if (bias.defined())
    init::zeros_(bias);
}

Tensor LayerNormImpl::forward(const Tensor &input) {
  return layer_norm(input, options.normalized_shape(), weight, bias,
                    options.eps());
}

void LayerNormImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::LayerNorm(" << ir::formatShape(options.normalized_shape())
     << ", eps=" << options.eps()
     << ", elementwise_affine=" << str(options.elementwise_affine());
  if (weight.defined() && !bias.defined())
    os << ", bias=false";
  os << ")";
}

GroupNormImpl::GroupNormImpl(const GroupNormOptions &options)
    : options(options) {
  reset();
}

void GroupNormImpl::reset() {
  int64_t groups = options.num_groups(), channels = options.num_channels();
  if (groups < 1 || channels < 1 || channels % groups != 0)
    throw Error("GroupNorm: num_groups " + str(groups) +
                " must be positive and divide num_channels " + str(channels));
  bool affine = options.affine();
  weight = register_parameter("weight", affine ? ones({channels}) : Tensor(),
                              affine);
  bias =
      register_parameter("bias", affine ? zeros({channels}) : Tensor(), affine);
}

void GroupNormImpl::reset_parameters() {
  if (weight.defined()) {
    init::ones_(weight);
    init::zeros_(bias);
  }
}

Tensor GroupNormImpl::forward(const Tensor &input) {
  int64_t channels = options.num_channels();
  if (!input.defined() || input.dim() < 2 || input.size(1) != channels)
    throw Error("GroupNorm(" + str(options.num_groups()) + ", " +
                str(channels) + "): expected an input [N, " + str(channels) +
                ", ...], got " + describe(input));
  return group_norm(input, options.num_groups(), weight, bias, options.eps());
}

void GroupNormImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::GroupNorm(" << options.num_groups() << ", "
     << options.num_channels() << ", eps=" << options.eps()
     << ", affine=" << str(options.affine()) << ")";
}

// --- Embedding

EmbeddingImpl::EmbeddingImpl(EmbeddingOptions options)
    : options(std::move(options)) {
  reset();
}

void EmbeddingImpl::reset() {
  int64_t num = options.num_embeddings(), dim = options.embedding_dim();
  if (num < 1 || dim < 1)
    throw Error("Embedding: num_embeddings and embedding_dim must be "
                "positive, got " +
                str(num) + " and " + str(dim));
  if (options.padding_idx()) {
    int64_t &idx = *options.padding_idx();
    if (idx < -num || idx >= num)
      throw Error("Embedding: padding_idx " + str(idx) +
                  " must lie in [-num_embeddings, num_embeddings), here [" +
                  str(-num) + ", " + str(num) + ")");
    if (idx < 0)
      idx += num;
  }
  if (options.max_norm() && !(*options.max_norm() >= 0))
    throw Error("Embedding: max_norm must be non-negative, got " +
                std::to_string(*options.max_norm()));
  if (options._weight().defined()) {
    if (options._weight().sizes() != Shape{num, dim})
      throw Error("Embedding: _weight must be [" + str(num) + ", " + str(dim) +
                  "], got " + describe(options._weight()));
    weight = register_parameter("weight", options._weight());
  } else {
    weight = register_parameter("weight", empty({num, dim}));
    reset_parameters();
  }
}

namespace {
/// [rows, 1]: 1 for every row but `padding`, 0 there.
Tensor rowsBut(int64_t rows, int64_t padding, ScalarType dtype) {
  return arange(rows).ne(padding).to(dtype).unsqueeze(1);
}
} // namespace

void EmbeddingImpl::reset_parameters() {
  init::normal_(weight);
  if (options.padding_idx()) {
    NoGradGuard noGrad;
    weight.mul_(rowsBut(options.num_embeddings(), *options.padding_idx(),
                        weight.dtype()));
    sync();
  }
}

Tensor EmbeddingImpl::forward(const Tensor &indices) {
  return F::embedding(indices, weight,
                      F::EmbeddingFuncOptions()
                          .padding_idx(options.padding_idx())
                          .max_norm(options.max_norm())
                          .norm_type(options.norm_type())
                          .scale_grad_by_freq(options.scale_grad_by_freq())
                          .sparse(options.sparse()));
}

void EmbeddingImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Embedding(num_embeddings=" << options.num_embeddings()
     << ", embedding_dim=" << options.embedding_dim();
  if (options.padding_idx())
    os << ", padding_idx=" << *options.padding_idx();
  if (options.max_norm())
    os << ", max_norm=" << *options.max_norm();
  if (options.norm_type() != 2)
    os << ", norm_type=" << options.norm_type();
  if (options.scale_grad_by_freq())
    os << ", scale_grad_by_freq=true";
  if (options.sparse())
    os << ", sparse=true";
  os << ")";
}

Embedding Embedding::from_pretrained(const Tensor &embeddings,
                                     const EmbeddingFromPretrainedOptions &o) {
  if (!embeddings.defined() || embeddings.dim() != 2)
    throw Error("Embedding::from_pretrained: the embeddings must be "
                "2-dimensional [num_embeddings, embedding_dim], got " +
                (embeddings.defined() ? describe(embeddings)
                                      : std::string("an undefined tensor")));
  Embedding embedding(EmbeddingOptions(embeddings.size(0), embeddings.size(1))
                          ._weight(embeddings)
                          .padding_idx(o.padding_idx())
                          .max_norm(o.max_norm())
                          .norm_type(o.norm_type())
                          .scale_grad_by_freq(o.scale_grad_by_freq())
                          .sparse(o.sparse()));
  embedding->weight.set_requires_grad(!o.freeze());
  return embedding;
}

// --- Dropout

namespace {
void checkProbability(const char *layer, double p) {
  if (!(p >= 0 && p <= 1))
    throw Error(std::string(layer) +
                ": dropout probability must be in [0, 1], got " +
                std::to_string(p));
}
} // namespace

Tensor DropoutImpl::forward(const Tensor &input) {
  checkProbability("Dropout", options.p());
  return dropout(input, options.p(), is_training());
}

void DropoutImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Dropout(p=" << options.p()
     << ", inplace=" << str(options.inplace()) << ")";
}

Tensor Dropout2dImpl::forward(const Tensor &input) {
  checkProbability("Dropout2d", options.p());
  if (!input.defined() || (input.dim() != 3 && input.dim() != 4))
    throw Error("Dropout2d: expected an input [N, C, H, W] or [C, H, W], got " +
                describe(input));
  if (!is_training() || options.p() == 0)
    return input;
  // One draw per channel, broadcast over its positions.
  Shape maskShape = input.sizes();
  for (int64_t d = input.dim() - 2; d < input.dim(); ++d)
    maskShape[static_cast<size_t>(d)] = 1;
  Tensor mask = dropout(ones(maskShape, input.dtype()), options.p(), true);
  return input * mask;
}

void Dropout2dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Dropout2d(p=" << options.p()
     << ", inplace=" << str(options.inplace()) << ")";
}

// --- Functional, AnyModule and the containers

FunctionalImpl::FunctionalImpl(Function function)
    : function_(std::move(function)) {
  if (!function_)
    throw Error("Functional: the function is empty");
}

Tensor FunctionalImpl::forward(const Tensor &input) { return function_(input); }

void FunctionalImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Functional()";
}

Tensor AnyModule::forward(const Tensor &input) const {
  if (!module_)
    throw Error("AnyModule: forward on an empty AnyModule");
  return forward_(input);
}

AnyValue AnyModule::call(std::vector<AnyValue> arguments) const {
  if (!module_)
    throw Error("AnyModule: forward on an empty AnyModule");
  return call_(arguments);
}

void AnyModule::throwArgumentType(size_t i, const std::type_info &expected,
                                  const std::type_info &got) {
  throw Error("Expected argument #" + std::to_string(i) + " to be of type " +
              kiln::detail::demangledName(expected) +
              ", but received value of type " +
              kiln::detail::demangledName(got));
}

void AnyModule::checkArity(size_t given, size_t expected) {
  if (given != expected)
    throw Error("AnyModule: forward takes " + std::to_string(expected) +
                " argument(s), but " + std::to_string(given) + " were given");
}

void AnyModule::throwNoCall(const Module &module, size_t arguments) {
  throw Error("AnyModule: " + module.name() +
              " has no single forward to call with " +
              std::to_string(arguments) +
              " argument(s) (an overloaded or templated forward can only be "
              "called with one tensor)");
}

void SequentialImpl::checkNotEmpty() const {
  if (modules_.empty())
    throw Error("Cannot call forward() on an empty Sequential");
}

void SequentialImpl::throwReturnType(const std::type_info &asked,
                                     const std::type_info &actual) {
  throw Error("The type of the return value is " +
              kiln::detail::demangledName(actual) +
              ", but you asked for type " + kiln::detail::demangledName(asked));
}

void AnyModule::throwNoForward(const Module &module) {
  throw Error("AnyModule: " + module.name() +
              " has no forward that takes one tensor and returns one");
}

AnyModule AnyModule::clone(const std::optional<Device> &device) const {
  if (!module_)
    throw Error("AnyModule: clone() of an empty AnyModule");
  return rebind_(module_->clone(device));
}

std::shared_ptr<Module>
SequentialImpl::clone(const std::optional<Device> &device) const {
  auto copy = std::make_shared<SequentialImpl>();
  auto names = named_children();
  for (size_t i = 0; i < modules_.size(); ++i)
    copy->append(names[i].key(), modules_[i].clone(device));
  copy->copyStateFrom(*this, device);
  return copy;
}

std::shared_ptr<Module>
ModuleListImpl::clone(const std::optional<Device> &device) const {
  auto copy = std::make_shared<ModuleListImpl>();
  for (const auto &module : modules_)
    copy->append(module->clone(device));
  copy->copyStateFrom(*this, device);
  return copy;
}

std::shared_ptr<Module>
ModuleDictImpl::clone(const std::optional<Device> &device) const {
  auto copy = std::make_shared<ModuleDictImpl>();
  for (const auto &item : modules_)
    copy->insertShared(item.key(), item.value()->clone(device));
  copy->copyStateFrom(*this, device);
  return copy;
}

void AnyModule::throwWrongType() const {
  throw Error("AnyModule: the module is a " +
              (module_ ? module_->name() : std::string("null module")) +
              ", not the requested type");
}

SequentialImpl::SequentialImpl(std::initializer_list<NamedAnyModule> modules) {
  for (const NamedAnyModule &named : modules)
    append(named.name, named.module);
}

SequentialImpl::SequentialImpl(OrderedDict<std::string, AnyModule> modules) {
  for (auto &[name, module] : modules)
    append(name, module);
}

void SequentialImpl::append(std::string name, AnyModule module) {
  if (module.is_empty())
    throw Error("Sequential: module '" + name + "' is empty");
  register_module(std::move(name), module.ptr());
  modules_.push_back(std::move(module));
}

void SequentialImpl::checkIndex(size_t index) const {
  if (index >= modules_.size())
    throw Error("Sequential: index " + std::to_string(index) +
                " is out of range for " + std::to_string(modules_.size()) +
                " modules");
}

std::shared_ptr<Module> SequentialImpl::ptr(size_t index) const {
  checkIndex(index);
  return modules_[index].ptr();
}

Tensor SequentialImpl::forward(const Tensor &input) {
  checkNotEmpty();
  Tensor x = input;
  size_t i = 0;
  for (; i < modules_.size() && modules_[i].has_tensor_forward(); ++i)
    x = modules_[i].forward(x);
  if (i == modules_.size())
    return x;
  // A module takes or gives something else (an LSTM's tuple): the rest
  // runs type-erased, and the last result must be a tensor.
  AnyValue value(x);
  for (; i < modules_.size(); ++i) {
    std::vector<AnyValue> args;
    args.push_back(std::move(value));
    value = modules_[i].call(std::move(args));
  }
  if (const Tensor *typed = value.try_get<Tensor>())
    return *typed;
  throwReturnType(typeid(Tensor), value.type_info());
}

void SequentialImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Sequential";
}

void ModuleListImpl::append(std::shared_ptr<Module> module) {
  if (!module)
    throw Error("ModuleList: cannot append an empty module");
  register_module(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
}

void ModuleListImpl::insertAt(size_t index, std::shared_ptr<Module> module) {
  if (!module)
    throw Error("ModuleList: cannot insert an empty module");
  if (index > modules_.size())
    throw Error("ModuleList: insert index " + std::to_string(index) +
                " is out of range for " + std::to_string(modules_.size()) +
                " modules");
  modules_.insert(modules_.begin() + static_cast<std::ptrdiff_t>(index),
                  std::move(module));
  renumber();
}

void ModuleListImpl::renumber() {
  for (size_t i = 0; i < modules_.size(); ++i)
    if (named_children().contains(std::to_string(i)))
      unregister_module(std::to_string(i));
  for (size_t i = 0; i < modules_.size(); ++i)
    register_module(std::to_string(i), modules_[i]);
}

const std::shared_ptr<Module> &ModuleListImpl::ptr(size_t index) const {
  if (index >= modules_.size())
    throw Error("ModuleList: index " + std::to_string(index) +
                " is out of range for " + std::to_string(modules_.size()) +
                " modules");
  return modules_[index];
}

void ModuleListImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::ModuleList";
}

ModuleDictImpl::ModuleDictImpl(
    const std::vector<std::pair<std::string, std::shared_ptr<Module>>>
        &modules) {
  for (auto &[key, module] : modules)
    insertShared(key, module);
}

ModuleDictImpl::ModuleDictImpl(
    const OrderedDict<std::string, std::shared_ptr<Module>> &modules) {
  for (auto &[key, module] : modules)
    insertShared(key, module);
}

std::shared_ptr<Module>
ModuleDictImpl::insertShared(std::string key, std::shared_ptr<Module> module) {
  if (key.empty() || key.find('.') != std::string::npos)
    throw Error("ModuleDict: key '" + key +
                "' must be non-empty and contain no '.'");
  if (contains(key))
    throw Error("ModuleDict: key '" + key + "' already exists");
  if (!module)
    throw Error("ModuleDict: module '" + key + "' is empty");
  register_module(key, module);
  modules_.insert(std::move(key), module);
  return module;
}

void ModuleDictImpl::insertOrReplace(const std::string &key,
                                     std::shared_ptr<Module> module) {
  if (!contains(key)) {
    insertShared(key, std::move(module));
    return;
  }
  if (!module)
    throw Error("ModuleDict: module '" + key + "' is empty");
  replace_module(key, module);
  modules_[key] = std::move(module);
}

const std::shared_ptr<Module> &
ModuleDictImpl::operator[](const std::string &key) const {
  if (const std::shared_ptr<Module> *module = modules_.find(key))
    return *module;
  std::string known;
  for (auto &k : keys())
    known += (known.empty() ? "" : ", ") + k;
  throw Error("ModuleDict: no module under key '" + key + "' (keys: " + known +
              ")");
}

bool ModuleDictImpl::contains(const std::string &key) const noexcept {
  return modules_.contains(key);
}

std::vector<std::string> ModuleDictImpl::keys() const {
  return modules_.keys();
}

std::vector<std::shared_ptr<Module>> ModuleDictImpl::values() const {
  return modules_.values();
}

std::shared_ptr<Module> ModuleDictImpl::pop(const std::string &key) {
  std::shared_ptr<Module> module = (*this)[key];
  unregister_module(key);
  modules_.erase(key);
  return module;
}

void ModuleDictImpl::clear() {
  for (const std::string &key : keys())
    unregister_module(key);
  modules_.clear();
}

void ModuleDictImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::ModuleDict";
}

} // namespace kiln::nn
