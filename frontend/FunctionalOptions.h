//===- FunctionalOptions.h - The options of nn::functional -----*- C++ -*-===//
//
// LibTorch's `F::...FuncOptions` builders: `F::pad(x, F::PadFuncOptions({1,
// 1}).mode(kiln::kReflect))`, `F::conv2d(x, w,
// F::Conv2dFuncOptions().padding(1))`. Where a module has the same options
// they are the module's (`F::MaxPool2dFuncOptions` is nn::MaxPool2dOptions,
// `F::ELUFuncOptions` nn::ELUOptions); the losses' are in LossOptions.h.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_FUNCTIONALOPTIONS_H
#define KILN_FRONTEND_FUNCTIONALOPTIONS_H

#include "kiln/frontend/Enum.h"
#include "kiln/frontend/LossOptions.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/Tensor.h"

#include <optional>
#include <vector>

namespace kiln::nn::functional {

/// Options of F::conv1d and F::conv2d.
template <size_t D> struct ConvFuncOptions {
  KILN_ARG(Tensor, bias) = {};
  KILN_ARG(ExpandingArray<D>, stride) = 1;
  KILN_ARG(ExpandingArray<D>, padding) = 0;
  KILN_ARG(ExpandingArray<D>, dilation) = 1;
  KILN_ARG(int64_t, groups) = 1;
};
using Conv1dFuncOptions = ConvFuncOptions<1>;
using Conv2dFuncOptions = ConvFuncOptions<2>;

/// Options of F::conv_transpose2d.
template <size_t D> struct ConvTransposeFuncOptions {
  KILN_ARG(Tensor, bias) = {};
  KILN_ARG(ExpandingArray<D>, stride) = 1;
  KILN_ARG(ExpandingArray<D>, padding) = 0;
  KILN_ARG(ExpandingArray<D>, output_padding) = 0;
  KILN_ARG(int64_t, groups) = 1;
  KILN_ARG(ExpandingArray<D>, dilation) = 1;
};
using ConvTranspose2dFuncOptions = ConvTransposeFuncOptions<2>;

using MaxPool2dFuncOptions = MaxPool2dOptions;
using AvgPool2dFuncOptions = AvgPool2dOptions;
using AdaptiveAvgPool2dFuncOptions = AdaptiveAvgPool2dOptions;

/// Options of F::dropout: unlike the module's, `training` is an option.
struct DropoutFuncOptions {
  KILN_ARG(double, p) = 0.5;
  KILN_ARG(bool, training) = true;
  KILN_ARG(bool, inplace) = false;
};

/// Options of F::embedding. `padding_idx`'s row gets no gradient;
/// `max_norm`, `scale_grad_by_freq` and `sparse` are not supported and must
/// keep their defaults.
struct EmbeddingFuncOptions {
  KILN_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  KILN_ARG(std::optional<double>, max_norm) = std::nullopt;
  KILN_ARG(double, norm_type) = 2.;
  KILN_ARG(bool, scale_grad_by_freq) = false;
  KILN_ARG(bool, sparse) = false;
};

/// Options of F::batch_norm.
struct BatchNormFuncOptions {
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(Tensor, bias) = {};
  KILN_ARG(bool, training) = false;
  KILN_ARG(std::optional<double>, momentum) = 0.1;
  KILN_ARG(double, eps) = 1e-5;
};

/// Options of F::instance_norm: with `use_input_stats` each sample's
/// channels are normalized by their own statistics (and the running ones,
/// when given, move towards their mean over the batch); without, by the
/// running statistics.
struct InstanceNormFuncOptions {
  KILN_ARG(Tensor, running_mean) = {};
  KILN_ARG(Tensor, running_var) = {};
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(Tensor, bias) = {};
  KILN_ARG(bool, use_input_stats) = true;
  KILN_ARG(double, momentum) = 0.1;
  KILN_ARG(double, eps) = 1e-5;
};

/// Options of F::layer_norm.
struct LayerNormFuncOptions {
  /* implicit */ LayerNormFuncOptions(std::vector<int64_t> normalized_shape)
      : normalized_shape_(std::move(normalized_shape)) {}
  KILN_ARG(std::vector<int64_t>, normalized_shape);
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(Tensor, bias) = {};
  KILN_ARG(double, eps) = 1e-5;
};

/// Options of F::group_norm.
struct GroupNormFuncOptions {
  /* implicit */ GroupNormFuncOptions(int64_t num_groups)
      : num_groups_(num_groups) {}
  KILN_ARG(int64_t, num_groups);
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(Tensor, bias) = {};
  KILN_ARG(double, eps) = 1e-5;
};

/// Options of F::normalize: divides by the `p`-norm along `dim`, clamped to
/// at least `eps`.
struct NormalizeFuncOptions {
  KILN_ARG(double, p) = 2.0;
  KILN_ARG(int64_t, dim) = 1;
  KILN_ARG(double, eps) = 1e-12;
};

/// Options of F::softmax and F::log_softmax: the dimension, and the dtype
/// the input is converted to first.
struct SoftmaxFuncOptions {
  /* implicit */ SoftmaxFuncOptions(int64_t dim) : dim_(dim) {}
  KILN_ARG(int64_t, dim);
  KILN_ARG(std::optional<ScalarType>, dtype) = std::nullopt;
};
using LogSoftmaxFuncOptions = SoftmaxFuncOptions;

/// Options of F::pad: `pad` lists (before, after) pairs starting from the
/// last dimension; `mode` is kiln::kConstant (filled with `value`),
/// kiln::kReflect, kiln::kReplicate or kiln::kCircular.
struct PadFuncOptions {
  /* implicit */ PadFuncOptions(std::vector<int64_t> pad)
      : pad_(std::move(pad)) {}
  KILN_ARG(std::vector<int64_t>, pad);
  KILN_ARG(Mode, mode) = kConstant;
  KILN_ARG(double, value) = 0;
};

using ReLUFuncOptions = ReLUOptions;
using ReLU6FuncOptions = ReLU6Options;
using SELUFuncOptions = SELUOptions;
using LeakyReLUFuncOptions = LeakyReLUOptions;
using GELUFuncOptions = GELUOptions;
using ELUFuncOptions = ELUOptions;
using CELUFuncOptions = CELUOptions;
using HardtanhFuncOptions = HardtanhOptions;
using ThresholdFuncOptions = ThresholdOptions;
using SoftplusFuncOptions = SoftplusOptions;
using SoftshrinkFuncOptions = SoftshrinkOptions;
using HardshrinkFuncOptions = HardshrinkOptions;

} // namespace kiln::nn::functional

#endif // KILN_FRONTEND_FUNCTIONALOPTIONS_H
