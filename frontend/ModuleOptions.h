//===- ModuleOptions.h - The options of the nn layers -----------*- C++ -*-===//
//
// LibTorch's options builders: `nn::Conv2dOptions(1, 10, 5).stride(2)`
// names the required arguments in the constructor and sets the others by
// chained calls; `options.stride()` reads one back. A layer keeps its
// options as the public member `options`.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_MODULEOPTIONS_H
#define KILN_FRONTEND_MODULEOPTIONS_H

#include "kiln/frontend/Enum.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/runtime/Error.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

/// Declares option `name` of type `T`: `name(value)` sets it and returns
/// the options, `name()` reads it (LibTorch's TORCH_ARG).
#define KILN_ARG(T, name)                                                      \
public:                                                                        \
  inline auto name(const T &new_##name) -> decltype(*this) {                   \
    this->name##_ = new_##name;                                                \
    return *this;                                                              \
  }                                                                            \
  inline auto name(T &&new_##name) -> decltype(*this) {                        \
    this->name##_ = std::move(new_##name);                                     \
    return *this;                                                              \
  }                                                                            \
  inline const T &name() const noexcept { return this->name##_; }              \
  inline T &name() noexcept { return this->name##_; }                          \
                                                                               \
private:                                                                       \
  T name##_

namespace kiln {

/// `D` sizes given as one number for all of them or as a list of `D`
/// (LibTorch's ExpandingArray): a kernel size `5` is `{5, 5}` in 2-D.
template <size_t D, typename T = int64_t> class ExpandingArray {
public:
  ExpandingArray(T single) { values_.fill(single); }
  ExpandingArray(std::initializer_list<T> list) { assign(list); }
  ExpandingArray(const std::vector<T> &list) { assign(list); }
  ExpandingArray(IntArrayRef list)
    requires std::same_as<T, int64_t>
  {
    assign(list);
  }
  ExpandingArray(const std::array<T, D> &values) : values_(values) {}

  /// The sizes as a list (`*kernel_size`).
  std::vector<T> operator*() const { return {values_.begin(), values_.end()}; }
  const T &operator[](size_t i) const { return values_.at(i); }
  T &operator[](size_t i) { return values_.at(i); }
  size_t size() const noexcept { return D; }
  /// The sizes as an array: `options.kernel_size()->at(0)`.
  const std::array<T, D> *operator->() const { return &values_; }
  std::array<T, D> *operator->() { return &values_; }
  const T *begin() const { return values_.data(); }
  const T *end() const { return values_.data() + D; }
  /// The sizes as a Shape, for the functional ops.
  operator std::vector<T>() const { return **this; }
  bool operator==(const ExpandingArray &other) const {
    return values_ == other.values_;
  }

private:
  template <typename List> void assign(const List &list) {
    if (list.size() != D)
      throw Error("expected " + std::to_string(D) +
                  " values (or a single one for all of them), got " +
                  std::to_string(list.size()));
    std::copy(list.begin(), list.end(), values_.begin());
  }
  std::array<T, D> values_{};
};

template <size_t D, typename T>
std::ostream &operator<<(std::ostream &os, const ExpandingArray<D, T> &a) {
  if (D == 1)
    return os << a[0];
  os << "[";
  for (size_t i = 0; i < D; ++i)
    os << (i ? ", " : "") << a[i];
  return os << "]";
}

/// `D` sizes, each a number or `nullopt` for "the input's own size": the
/// output sizes of the adaptive pools (LibTorch's
/// ExpandingArrayWithOptionalElem), `{5, c10::nullopt}`. Prints `None` for
/// a missing size.
template <size_t D, typename T = int64_t>
class ExpandingArrayWithOptionalElem
    : public ExpandingArray<D, std::optional<T>> {
  using Base = ExpandingArray<D, std::optional<T>>;

public:
  using Base::Base;
  ExpandingArrayWithOptionalElem(T single) : Base(std::optional<T>(single)) {}
  ExpandingArrayWithOptionalElem(std::initializer_list<T> list)
      : Base(std::vector<std::optional<T>>(list.begin(), list.end())) {}
  ExpandingArrayWithOptionalElem(const std::vector<T> &list)
      : Base(std::vector<std::optional<T>>(list.begin(), list.end())) {}
  ExpandingArrayWithOptionalElem(const ExpandingArray<D, T> &values)
      : Base(std::vector<std::optional<T>>(values.begin(), values.end())) {}

  /// The sizes with each missing one taken from `input`'s last D
  /// dimensions.
  std::vector<T> resolve(IntArrayRef input) const {
    std::vector<T> out;
    for (size_t i = 0; i < D; ++i) {
      const std::optional<T> &v = (*this)[i];
      if (v) {
        out.push_back(*v);
        continue;
      }
      if (input.size() < D)
        throw Error("an output size of None needs an input with at least " +
                    std::to_string(D) + " dimensions");
      out.push_back(static_cast<T>(input[input.size() - D + i]));
    }
    return out;
  }
};

/// The sizes themselves (the 1-d adaptive pools' output size).
template <size_t D, typename T>
std::vector<T> resolveSizes(const ExpandingArray<D, T> &sizes, IntArrayRef) {
  return *sizes;
}
/// The sizes with each missing one taken from `input`.
template <size_t D, typename T>
std::vector<T> resolveSizes(const ExpandingArrayWithOptionalElem<D, T> &sizes,
                            IntArrayRef input) {
  return sizes.resolve(input);
}

template <size_t D, typename T>
std::ostream &operator<<(std::ostream &os,
                         const ExpandingArray<D, std::optional<T>> &a) {
  auto one = [&](const std::optional<T> &v) -> std::ostream & {
    if (v)
      return os << *v;
    return os << "None";
  };
  if (D == 1)
    return one(a[0]);
  os << "[";
  for (size_t i = 0; i < D; ++i) {
    os << (i ? ", " : "");
    one(a[i]);
  }
  return os << "]";
}

namespace nn {

/// Options of Linear: y = x W^T + b.
struct LinearOptions {
  LinearOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  KILN_ARG(int64_t, in_features);
  KILN_ARG(int64_t, out_features);
  KILN_ARG(bool, bias) = true;
};

/// Options of Flatten.
struct FlattenOptions {
  KILN_ARG(int64_t, start_dim) = 1;
  KILN_ARG(int64_t, end_dim) = -1;
};

/// Options of Unflatten: dimension `dim` becomes `sizes`.
struct UnflattenOptions {
  UnflattenOptions(int64_t dim, std::vector<int64_t> sizes)
      : dim_(dim), sizes_(std::move(sizes)) {}
  KILN_ARG(int64_t, dim);
  KILN_ARG(std::vector<int64_t>, sizes);
};

/// Options of the convolutions over D spatial dimensions (Conv1d, Conv2d)
/// and, with `transposed`, ConvTranspose1d/2d.
template <size_t D> struct ConvOptions {
  ConvOptions(int64_t in_channels, int64_t out_channels,
              ExpandingArray<D> kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels),
        kernel_size_(std::move(kernel_size)) {}
  KILN_ARG(int64_t, in_channels);
  KILN_ARG(int64_t, out_channels);
  KILN_ARG(ExpandingArray<D>, kernel_size);
  KILN_ARG(ExpandingArray<D>, stride) = 1;
  KILN_ARG(ExpandingArray<D>, padding) = 0;
  KILN_ARG(ExpandingArray<D>, dilation) = 1;
  KILN_ARG(bool, transposed) = false;
  KILN_ARG(ExpandingArray<D>, output_padding) = 0;
  KILN_ARG(int64_t, groups) = 1;
  KILN_ARG(bool, bias) = true;
  /// kZeros, or kReflect, kReplicate or kCircular: the input padded so
  /// (F::pad) before a convolution without padding.
  KILN_ARG(Mode, padding_mode) = kZeros;
};
using Conv1dOptions = ConvOptions<1>;
using Conv2dOptions = ConvOptions<2>;

/// Options of ConvTranspose1d/2d (LibTorch's ConvTransposeOptions).
template <size_t D> struct ConvTransposeOptions {
  ConvTransposeOptions(int64_t in_channels, int64_t out_channels,
                       ExpandingArray<D> kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels),
        kernel_size_(std::move(kernel_size)) {}
  KILN_ARG(int64_t, in_channels);
  KILN_ARG(int64_t, out_channels);
  KILN_ARG(ExpandingArray<D>, kernel_size);
  KILN_ARG(ExpandingArray<D>, stride) = 1;
  KILN_ARG(ExpandingArray<D>, padding) = 0;
  KILN_ARG(ExpandingArray<D>, output_padding) = 0;
  KILN_ARG(int64_t, groups) = 1;
  KILN_ARG(bool, bias) = true;
  KILN_ARG(ExpandingArray<D>, dilation) = 1;
  /// Only kZeros, as PyTorch's transposed convolutions.
  KILN_ARG(Mode, padding_mode) = kZeros;
};
using ConvTranspose1dOptions = ConvTransposeOptions<1>;
using ConvTranspose2dOptions = ConvTransposeOptions<2>;

/// Options of BatchNorm1d/2d. `momentum` unset means a cumulative average.
struct BatchNormOptions {
  /* implicit */ BatchNormOptions(int64_t num_features)
      : num_features_(num_features) {}
  KILN_ARG(int64_t, num_features);
  KILN_ARG(double, eps) = 1e-5;
  KILN_ARG(std::optional<double>, momentum) = 0.1;
  KILN_ARG(bool, affine) = true;
  KILN_ARG(bool, track_running_stats) = true;
};
using BatchNorm1dOptions = BatchNormOptions;
using BatchNorm2dOptions = BatchNormOptions;

/// Options of InstanceNorm1d/2d (LibTorch's defaults: no affine, no
/// running statistics).
struct InstanceNormOptions {
  /* implicit */ InstanceNormOptions(int64_t num_features)
      : num_features_(num_features) {}
  KILN_ARG(int64_t, num_features);
  KILN_ARG(double, eps) = 1e-5;
  KILN_ARG(double, momentum) = 0.1;
  KILN_ARG(bool, affine) = false;
  KILN_ARG(bool, track_running_stats) = false;
};
using InstanceNorm1dOptions = InstanceNormOptions;
using InstanceNorm2dOptions = InstanceNormOptions;

/// Options of LayerNorm over the trailing `normalized_shape`.
struct LayerNormOptions {
  /* implicit */ LayerNormOptions(std::vector<int64_t> normalized_shape)
      : normalized_shape_(std::move(normalized_shape)) {}
  KILN_ARG(std::vector<int64_t>, normalized_shape);
  KILN_ARG(double, eps) = 1e-5;
  KILN_ARG(bool, elementwise_affine) = true;
  /// Kiln's addition (PyTorch's `bias=False`): no bias with the affine
  /// weight.
  KILN_ARG(bool, bias) = true;
};

/// Options of GroupNorm.
struct GroupNormOptions {
  GroupNormOptions(int64_t num_groups, int64_t num_channels)
      : num_groups_(num_groups), num_channels_(num_channels) {}
  KILN_ARG(int64_t, num_groups);
  KILN_ARG(int64_t, num_channels);
  KILN_ARG(double, eps) = 1e-5;
  KILN_ARG(bool, affine) = true;
};

/// Options of Embedding. `padding_idx` rows start at zero and get no
/// gradient; `max_norm` is not supported.
struct EmbeddingOptions {
  EmbeddingOptions(int64_t num_embeddings, int64_t embedding_dim)
      : num_embeddings_(num_embeddings), embedding_dim_(embedding_dim) {}
  KILN_ARG(int64_t, num_embeddings);
  KILN_ARG(int64_t, embedding_dim);
  KILN_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  KILN_ARG(std::optional<double>, max_norm) = std::nullopt;
  KILN_ARG(double, norm_type) = 2.;
  KILN_ARG(bool, scale_grad_by_freq) = false;
  KILN_ARG(bool, sparse) = false;
  KILN_ARG(Tensor, _weight) = Tensor();
};

/// Options of Embedding::from_pretrained: the module's, and whether the
/// weight stays fixed (`freeze`, the default) or trains.
struct EmbeddingFromPretrainedOptions {
  KILN_ARG(bool, freeze) = true;
  KILN_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  KILN_ARG(std::optional<double>, max_norm) = std::nullopt;
  KILN_ARG(double, norm_type) = 2.;
  KILN_ARG(bool, scale_grad_by_freq) = false;
  KILN_ARG(bool, sparse) = false;
};

/// Options of Dropout, Dropout1d and Dropout2d.
struct DropoutOptions {
  /* implicit */ DropoutOptions(double p = 0.5) : p_(p) {}
  KILN_ARG(double, p);
  KILN_ARG(bool, inplace) = false;
};
using Dropout1dOptions = DropoutOptions;
using Dropout2dOptions = DropoutOptions;
using Dropout3dOptions = DropoutOptions;
using AlphaDropoutOptions = DropoutOptions;

/// Options of MultiheadAttention.
struct MultiheadAttentionOptions {
  MultiheadAttentionOptions(int64_t embed_dim, int64_t num_heads)
      : embed_dim_(embed_dim), num_heads_(num_heads) {}
  KILN_ARG(int64_t, embed_dim);
  KILN_ARG(int64_t, num_heads);
  KILN_ARG(double, dropout) = 0.0;
  KILN_ARG(bool, bias) = true;
  /// Kiln's addition (PyTorch's batch_first): inputs are [N, L, E].
  KILN_ARG(bool, batch_first) = false;
};

/// Options of TransformerEncoderLayer. `activation` is kiln::kReLU or
/// kiln::kGELU.
struct TransformerEncoderLayerOptions {
  TransformerEncoderLayerOptions(int64_t d_model, int64_t nhead)
      : d_model_(d_model), nhead_(nhead) {}
  KILN_ARG(int64_t, d_model);
  KILN_ARG(int64_t, nhead);
  KILN_ARG(int64_t, dim_feedforward) = 2048;
  KILN_ARG(double, dropout) = 0.1;
  KILN_ARG(Mode, activation) = kReLU;
  KILN_ARG(double, layer_norm_eps) = 1e-5;
  KILN_ARG(bool, batch_first) = false;
  KILN_ARG(bool, norm_first) = false;
  KILN_ARG(bool, bias) = true;
};

/// Options of ReLU (LibTorch's ReLUOptions; also F::ReLUFuncOptions).
/// `inplace` is accepted for porting; the result is the same.
struct ReLUOptions {
  /* implicit */ ReLUOptions(bool inplace = false) : inplace_(inplace) {}
  KILN_ARG(bool, inplace);
};
using ReLU6Options = ReLUOptions;
using SELUOptions = ReLUOptions;

/// Options of LeakyReLU.
struct LeakyReLUOptions {
  KILN_ARG(double, negative_slope) = 1e-2;
  KILN_ARG(bool, inplace) = false;
};

/// Options of GELU: `approximate` is "none" (erf) or "tanh".
struct GELUOptions {
  KILN_ARG(std::string, approximate) = "none";
};

/// Options of ELU and CELU: `alpha` scales the negative part.
struct ELUOptions {
  KILN_ARG(double, alpha) = 1.0;
  KILN_ARG(bool, inplace) = false;
};
using CELUOptions = ELUOptions;

/// Options of Hardtanh: clamps to [min_val, max_val].
struct HardtanhOptions {
  KILN_ARG(double, min_val) = -1.0;
  KILN_ARG(double, max_val) = 1.0;
  KILN_ARG(bool, inplace) = false;
};

/// Options of Threshold: `value` where the input is not above `threshold`.
struct ThresholdOptions {
  ThresholdOptions(double threshold, double value)
      : threshold_(threshold), value_(value) {}
  KILN_ARG(double, threshold);
  KILN_ARG(double, value);
  KILN_ARG(bool, inplace) = false;
};

/// Options of Softplus: log(1 + exp(beta x)) / beta, and x itself where
/// beta x exceeds `threshold`.
struct SoftplusOptions {
  KILN_ARG(double, beta) = 1.0;
  KILN_ARG(double, threshold) = 20.0;
};

/// Options of Softshrink and Hardshrink: the half-width `lambda` of the
/// band set to zero.
struct SoftshrinkOptions {
  /* implicit */ SoftshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}
  KILN_ARG(double, lambda);
};
using HardshrinkOptions = SoftshrinkOptions;

/// Options of the pooling modules over D dimensions.
template <size_t D> struct MaxPoolOptions {
  /* implicit */ MaxPoolOptions(ExpandingArray<D> kernel_size)
      : kernel_size_(kernel_size), stride_(kernel_size) {}
  KILN_ARG(ExpandingArray<D>, kernel_size);
  KILN_ARG(ExpandingArray<D>, stride);
  KILN_ARG(ExpandingArray<D>, padding) = 0;
  KILN_ARG(ExpandingArray<D>, dilation) = 1;
  KILN_ARG(bool, ceil_mode) = false;
};
using MaxPool1dOptions = MaxPoolOptions<1>;
using MaxPool2dOptions = MaxPoolOptions<2>;

template <size_t D> struct AvgPoolOptions {
  /* implicit */ AvgPoolOptions(ExpandingArray<D> kernel_size)
      : kernel_size_(kernel_size), stride_(kernel_size) {}
  KILN_ARG(ExpandingArray<D>, kernel_size);
  KILN_ARG(ExpandingArray<D>, stride);
  KILN_ARG(ExpandingArray<D>, padding) = 0;
  KILN_ARG(bool, ceil_mode) = false;
  KILN_ARG(bool, count_include_pad) = true;
  KILN_ARG(std::optional<int64_t>, divisor_override) = std::nullopt;
};
using AvgPool1dOptions = AvgPoolOptions<1>;
using AvgPool2dOptions = AvgPoolOptions<2>;

/// The output sizes of an adaptive pool: one number in 1-d; in 2-d and
/// 3-d, each may be `nullopt` to keep the input's size.
template <size_t D>
using AdaptiveOutputSize =
    std::conditional_t<D == 1, ExpandingArray<1>,
                       ExpandingArrayWithOptionalElem<D>>;

template <size_t D> struct AdaptiveAvgPoolOptions {
  /* implicit */ AdaptiveAvgPoolOptions(AdaptiveOutputSize<D> output_size)
      : output_size_(output_size) {}
  KILN_ARG(AdaptiveOutputSize<D>, output_size);
};
using AdaptiveAvgPool1dOptions = AdaptiveAvgPoolOptions<1>;
using AdaptiveAvgPool2dOptions = AdaptiveAvgPoolOptions<2>;

template <size_t D> struct AdaptiveMaxPoolOptions {
  /* implicit */ AdaptiveMaxPoolOptions(AdaptiveOutputSize<D> output_size)
      : output_size_(output_size) {}
  KILN_ARG(AdaptiveOutputSize<D>, output_size);
};
using AdaptiveMaxPool1dOptions = AdaptiveMaxPoolOptions<1>;
using AdaptiveMaxPool2dOptions = AdaptiveMaxPoolOptions<2>;

} // namespace nn
} // namespace kiln

#endif // KILN_FRONTEND_MODULEOPTIONS_H
