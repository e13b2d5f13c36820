//===- Pooling.h - Windows over N-d inputs: pools, fold, 3-d conv -*- C++ -*-===//
//
// LibTorch's layers that slide a window over one, two or three spatial
// dimensions, built on one primitive: every window's elements gathered
// (kiln.gather with an index table computed once on the host from the
// static shapes) into a trailing dimension. Max pooling then takes the
// maximum (and, with `_with_indices`, where it was), average and power-
// average pooling a sum, Unfold lays the windows out as columns; the
// adjoints (MaxUnpool, Fold) add into place with kiln.scatter_add; a 3-d
// convolution multiplies the windows by the weights (batched matmul), and
// its transpose is the convolution of the stride-dilated input. All of it
// differentiates through those ops.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_POOLING_H
#define KILN_FRONTEND_POOLING_H

#include "kiln/frontend/FunctionalOptions.h"
#include "kiln/frontend/Module.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/Tensor.h"

#include <concepts>
#include <optional>
#include <ostream>
#include <tuple>
#include <type_traits>
#include <vector>

namespace kiln::nn {

// --- Options

using MaxPool3dOptions = MaxPoolOptions<3>;
using AvgPool3dOptions = AvgPoolOptions<3>;
using AdaptiveMaxPool3dOptions = AdaptiveMaxPoolOptions<3>;
using AdaptiveAvgPool3dOptions = AdaptiveAvgPoolOptions<3>;

/// Options of MaxUnpool: the pooling's kernel, stride (the kernel's by
/// default) and padding.
template <size_t D> struct MaxUnpoolOptions {
  /* implicit */ MaxUnpoolOptions(ExpandingArray<D> kernel_size)
      : kernel_size_(kernel_size), stride_(kernel_size) {}
  KILN_ARG(ExpandingArray<D>, kernel_size);
  KILN_ARG(ExpandingArray<D>, stride);
  KILN_ARG(ExpandingArray<D>, padding) = 0;
};
using MaxUnpool1dOptions = MaxUnpoolOptions<1>;
using MaxUnpool2dOptions = MaxUnpoolOptions<2>;
using MaxUnpool3dOptions = MaxUnpoolOptions<3>;

/// Options of F::max_unpool: MaxUnpool's, and the `output_size` (the
/// spatial sizes, or the whole shape) where the pooling's input was not
/// the smallest one its output comes from.
template <size_t D> struct MaxUnpoolFuncOptions {
  /* implicit */ MaxUnpoolFuncOptions(ExpandingArray<D> kernel_size)
      : kernel_size_(kernel_size), stride_(kernel_size) {}
  KILN_ARG(ExpandingArray<D>, kernel_size);
  KILN_ARG(ExpandingArray<D>, stride);
  KILN_ARG(ExpandingArray<D>, padding) = 0;
  KILN_ARG(std::optional<std::vector<int64_t>>, output_size) = std::nullopt;
};

/// Options of LPPool: (sum of x^p over the window)^(1/p), p = `norm_type`.
template <size_t D> struct LPPoolOptions {
  LPPoolOptions(double norm_type, ExpandingArray<D> kernel_size)
      : norm_type_(norm_type), kernel_size_(kernel_size), stride_(kernel_size) {
  }
  KILN_ARG(double, norm_type);
  KILN_ARG(ExpandingArray<D>, kernel_size);
  KILN_ARG(ExpandingArray<D>, stride);
  KILN_ARG(bool, ceil_mode) = false;
};
using LPPool1dOptions = LPPoolOptions<1>;
using LPPool2dOptions = LPPoolOptions<2>;
using LPPool3dOptions = LPPoolOptions<3>;

/// Options of Unfold: the windows of a [N, C, H, W] input as columns.
struct UnfoldOptions {
  /* implicit */ UnfoldOptions(ExpandingArray<2> kernel_size)
      : kernel_size_(kernel_size) {}
  KILN_ARG(ExpandingArray<2>, kernel_size);
  KILN_ARG(ExpandingArray<2>, dilation) = 1;
  KILN_ARG(ExpandingArray<2>, padding) = 0;
  KILN_ARG(ExpandingArray<2>, stride) = 1;
};

/// Options of Fold: columns summed back into a [N, C, `output_size`]
/// image (Unfold's adjoint).
struct FoldOptions {
  FoldOptions(ExpandingArray<2> output_size, ExpandingArray<2> kernel_size)
      : output_size_(output_size), kernel_size_(kernel_size) {}
  KILN_ARG(ExpandingArray<2>, output_size);
  KILN_ARG(ExpandingArray<2>, kernel_size);
  KILN_ARG(ExpandingArray<2>, dilation) = 1;
  KILN_ARG(ExpandingArray<2>, padding) = 0;
  KILN_ARG(ExpandingArray<2>, stride) = 1;
};

using Conv3dOptions = ConvOptions<3>;
using ConvTranspose3dOptions = ConvTransposeOptions<3>;

/// Options of fractional max pooling (Graham, 2014): windows of
/// `kernel_size` whose starts advance by a pseudorandom mix of steps so
/// that the output has `output_size` elements, or `output_ratio` times the
/// input's, per dimension (exactly one of the two). `_random_samples`
/// [N, C, D] in [0, 1) fixes the randomness (drawn anew otherwise).
template <size_t D> struct FractionalMaxPoolOptions {
  /* implicit */ FractionalMaxPoolOptions(ExpandingArray<D> kernel_size)
      : kernel_size_(kernel_size) {}
  KILN_ARG(ExpandingArray<D>, kernel_size);
  KILN_ARG(std::optional<ExpandingArray<D>>, output_size) = std::nullopt;
  using ExpandingArrayDouble = ExpandingArray<D, double>;
  KILN_ARG(std::optional<ExpandingArrayDouble>, output_ratio) = std::nullopt;
  KILN_ARG(Tensor, _random_samples) = Tensor();
};
using FractionalMaxPool2dOptions = FractionalMaxPoolOptions<2>;
using FractionalMaxPool3dOptions = FractionalMaxPoolOptions<3>;

namespace functional {

using Conv3dFuncOptions = ConvFuncOptions<3>;
using ConvTranspose1dFuncOptions = ConvTransposeFuncOptions<1>;
using ConvTranspose3dFuncOptions = ConvTransposeFuncOptions<3>;

/// 3-d convolution of [N, C, D, H, W] (or [C, D, H, W]) by weight
/// [O, C / groups, KD, KH, KW].
Tensor conv3d(const Tensor &input, const Tensor &weight,
              const Conv3dFuncOptions &options = {}, Loc loc = Loc::current());
/// Transposed 1-d convolution of [N, C, L] by weight [C, O / groups, K].
Tensor conv_transpose1d(const Tensor &input, const Tensor &weight,
                        const ConvTranspose1dFuncOptions &options = {},
                        Loc loc = Loc::current());
/// Transposed 3-d convolution of [N, C, D, H, W] by weight
/// [C, O / groups, KD, KH, KW].
Tensor conv_transpose3d(const Tensor &input, const Tensor &weight,
                        const ConvTranspose3dFuncOptions &options = {},
                        Loc loc = Loc::current());

using MaxPool3dFuncOptions = MaxPool3dOptions;
using AvgPool3dFuncOptions = AvgPool3dOptions;
using AdaptiveMaxPool3dFuncOptions = AdaptiveMaxPool3dOptions;
using AdaptiveAvgPool3dFuncOptions = AdaptiveAvgPool3dOptions;
using MaxUnpool1dFuncOptions = MaxUnpoolFuncOptions<1>;
using MaxUnpool2dFuncOptions = MaxUnpoolFuncOptions<2>;
using MaxUnpool3dFuncOptions = MaxUnpoolFuncOptions<3>;
using LPPool1dFuncOptions = LPPool1dOptions;
using LPPool2dFuncOptions = LPPool2dOptions;
using LPPool3dFuncOptions = LPPool3dOptions;
using FractionalMaxPool2dFuncOptions = FractionalMaxPool2dOptions;
using FractionalMaxPool3dFuncOptions = FractionalMaxPool3dOptions;
using UnfoldFuncOptions = UnfoldOptions;
using FoldFuncOptions = FoldOptions;

/// Over [N, C, D, H, W] (or [C, D, H, W]).
Tensor max_pool3d(const Tensor &input, const MaxPool3dFuncOptions &options,
                  Loc loc = Loc::current());
Tensor avg_pool3d(const Tensor &input, const AvgPool3dFuncOptions &options,
                  Loc loc = Loc::current());
Tensor adaptive_max_pool3d(const Tensor &input,
                           const AdaptiveMaxPool3dFuncOptions &options,
                           Loc loc = Loc::current());
Tensor adaptive_avg_pool3d(const Tensor &input,
                           const AdaptiveAvgPool3dFuncOptions &options,
                           Loc loc = Loc::current());

/// The pooled values and, for each, the index of its element in its
/// (sample, channel) plane of the input, flattened (what MaxUnpool takes).
std::tuple<Tensor, Tensor>
max_pool1d_with_indices(const Tensor &input, const MaxPoolOptions<1> &options,
                        Loc loc = Loc::current());
std::tuple<Tensor, Tensor>
max_pool2d_with_indices(const Tensor &input, const MaxPoolOptions<2> &options,
                        Loc loc = Loc::current());
std::tuple<Tensor, Tensor>
max_pool3d_with_indices(const Tensor &input, const MaxPoolOptions<3> &options,
                        Loc loc = Loc::current());
std::tuple<Tensor, Tensor>
adaptive_max_pool1d_with_indices(const Tensor &input,
                                 const AdaptiveMaxPoolOptions<1> &options,
                                 Loc loc = Loc::current());
std::tuple<Tensor, Tensor>
adaptive_max_pool2d_with_indices(const Tensor &input,
                                 const AdaptiveMaxPoolOptions<2> &options,
                                 Loc loc = Loc::current());
std::tuple<Tensor, Tensor>
adaptive_max_pool3d_with_indices(const Tensor &input,
                                 const AdaptiveMaxPoolOptions<3> &options,
                                 Loc loc = Loc::current());

/// Fractional max pooling of [N, C, H, W] / [N, C, D, H, W] (or without
/// N): the values, and with `_with_indices` where in its plane each came
/// from.
Tensor fractional_max_pool2d(const Tensor &input,
                             const FractionalMaxPool2dFuncOptions &options,
                             Loc loc = Loc::current());
Tensor fractional_max_pool3d(const Tensor &input,
                             const FractionalMaxPool3dFuncOptions &options,
                             Loc loc = Loc::current());
std::tuple<Tensor, Tensor> fractional_max_pool2d_with_indices(
    const Tensor &input, const FractionalMaxPool2dFuncOptions &options,
    Loc loc = Loc::current());
std::tuple<Tensor, Tensor> fractional_max_pool3d_with_indices(
    const Tensor &input, const FractionalMaxPool3dFuncOptions &options,
    Loc loc = Loc::current());

/// Each value of `input` put back where `indices` (from max pooling) say,
/// zeros elsewhere.
Tensor max_unpool1d(const Tensor &input, const Tensor &indices,
                    const MaxUnpool1dFuncOptions &options,
                    Loc loc = Loc::current());
Tensor max_unpool2d(const Tensor &input, const Tensor &indices,
                    const MaxUnpool2dFuncOptions &options,
                    Loc loc = Loc::current());
Tensor max_unpool3d(const Tensor &input, const Tensor &indices,
                    const MaxUnpool3dFuncOptions &options,
                    Loc loc = Loc::current());

/// The power-average pooling: sign(s) |s|^(1/p) of the window sums s of
/// x^p.
Tensor lp_pool1d(const Tensor &input, const LPPool1dFuncOptions &options,
                 Loc loc = Loc::current());
Tensor lp_pool2d(const Tensor &input, const LPPool2dFuncOptions &options,
                 Loc loc = Loc::current());
Tensor lp_pool3d(const Tensor &input, const LPPool3dFuncOptions &options,
                 Loc loc = Loc::current());

/// [N, C, H, W] (or [C, H, W]) to its windows as columns [N, C kh kw, L].
Tensor unfold(const Tensor &input, const UnfoldFuncOptions &options,
              Loc loc = Loc::current());
/// Columns [N, C kh kw, L] (or unbatched) summed into [N, C, H, W].
Tensor fold(const Tensor &input, const FoldFuncOptions &options,
            Loc loc = Loc::current());

} // namespace functional

// --- Modules

// The layers are also built from their options' first argument
// (`MaxPool3d(5)`), as LibTorch's.
#define KILN_FROM_FIRST_OPTION(Impl, Options)                                  \
  template <typename Arg>                                                      \
    requires(std::constructible_from<Options, Arg> &&                          \
             !std::same_as<std::decay_t<Arg>, Options>)                        \
  explicit Impl(Arg &&arg) : options(Options(arg)) {}

/// 3-d convolution; weights and bias initialized as PyTorch's.
class Conv3dImpl : public detail::ClonableFromOptions<Conv3dImpl> {
public:
  explicit Conv3dImpl(Conv3dOptions options);
  Conv3dImpl(int64_t in_channels, int64_t out_channels,
             ExpandingArray<3> kernel_size)
      : Conv3dImpl(Conv3dOptions(in_channels, out_channels, kernel_size)) {}
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  Conv3dOptions options;
  Tensor weight, bias;
};
KILN_MODULE(Conv3d);

/// Transposed convolution over D = 1 or 3 dimensions (ConvTranspose2d is
/// with the other layers).
template <size_t D>
class ConvTransposeNdImpl
    : public detail::ClonableFromOptions<ConvTransposeNdImpl<D>> {
public:
  explicit ConvTransposeNdImpl(ConvTransposeOptions<D> options);
  ConvTransposeNdImpl(int64_t in_channels, int64_t out_channels,
                      ExpandingArray<D> kernel_size)
      : ConvTransposeNdImpl(
            ConvTransposeOptions<D>(in_channels, out_channels, kernel_size)) {}
  void reset();
  void reset_parameters();
  /// `output_size`, when given, picks the output padding that gives that
  /// size (its last D entries).
  Tensor forward(
      const Tensor &input,
      const std::optional<std::vector<int64_t>> &output_size = std::nullopt);
  void pretty_print(std::ostream &stream) const override;
  ConvTransposeOptions<D> options;
  Tensor weight, bias;
};
using ConvTranspose1dImpl = ConvTransposeNdImpl<1>;
using ConvTranspose3dImpl = ConvTransposeNdImpl<3>;
KILN_MODULE(ConvTranspose1d);
KILN_MODULE(ConvTranspose3d);

/// Fractional max pooling over two or three dimensions (see
/// FractionalMaxPoolOptions).
template <size_t D>
class FractionalMaxPoolImpl
    : public detail::ClonableFromOptions<FractionalMaxPoolImpl<D>> {
public:
  explicit FractionalMaxPoolImpl(const FractionalMaxPoolOptions<D> &options)
      : options(options) {
    reset();
  }
  KILN_FROM_FIRST_OPTION(FractionalMaxPoolImpl, FractionalMaxPoolOptions<D>)
  /// Checks the options and registers `_random_samples` as a buffer when
  /// given.
  void reset();
  Tensor forward(const Tensor &input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  FractionalMaxPoolOptions<D> options;
  Tensor _random_samples;
};
using FractionalMaxPool2dImpl = FractionalMaxPoolImpl<2>;
using FractionalMaxPool3dImpl = FractionalMaxPoolImpl<3>;
KILN_MODULE(FractionalMaxPool2d);
KILN_MODULE(FractionalMaxPool3d);

/// Max pooling over three dimensions.
class MaxPool3dImpl : public detail::ClonableFromOptions<MaxPool3dImpl> {
public:
  explicit MaxPool3dImpl(const MaxPool3dOptions &options) : options(options) {}
  KILN_FROM_FIRST_OPTION(MaxPool3dImpl, MaxPool3dOptions)
  Tensor forward(const Tensor &input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  MaxPool3dOptions options;
};
KILN_MODULE(MaxPool3d);

class AvgPool3dImpl : public detail::ClonableFromOptions<AvgPool3dImpl> {
public:
  explicit AvgPool3dImpl(const AvgPool3dOptions &options) : options(options) {}
  KILN_FROM_FIRST_OPTION(AvgPool3dImpl, AvgPool3dOptions)
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  AvgPool3dOptions options;
};
KILN_MODULE(AvgPool3d);

class AdaptiveMaxPool3dImpl
    : public detail::ClonableFromOptions<AdaptiveMaxPool3dImpl> {
public:
  explicit AdaptiveMaxPool3dImpl(const AdaptiveMaxPool3dOptions &options)
      : options(options) {}
  KILN_FROM_FIRST_OPTION(AdaptiveMaxPool3dImpl, AdaptiveMaxPool3dOptions)
  Tensor forward(const Tensor &input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  AdaptiveMaxPool3dOptions options;
};
KILN_MODULE(AdaptiveMaxPool3d);

class AdaptiveAvgPool3dImpl
    : public detail::ClonableFromOptions<AdaptiveAvgPool3dImpl> {
public:
  explicit AdaptiveAvgPool3dImpl(const AdaptiveAvgPool3dOptions &options)
      : options(options) {}
  KILN_FROM_FIRST_OPTION(AdaptiveAvgPool3dImpl, AdaptiveAvgPool3dOptions)
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  AdaptiveAvgPool3dOptions options;
};
KILN_MODULE(AdaptiveAvgPool3d);

/// Puts max-pooled values back where the pooling found them.
template <size_t D>
class MaxUnpoolImpl : public detail::ClonableFromOptions<MaxUnpoolImpl<D>> {
public:
  explicit MaxUnpoolImpl(const MaxUnpoolOptions<D> &options)
      : options(options) {}
  KILN_FROM_FIRST_OPTION(MaxUnpoolImpl, MaxUnpoolOptions<D>)
  /// `output_size`: the spatial sizes (or the whole shape) of the pooling's
  /// input, where it was not the smallest that gives this output.
  Tensor forward(
      const Tensor &input, const Tensor &indices,
      const std::optional<std::vector<int64_t>> &output_size = std::nullopt);
  void pretty_print(std::ostream &stream) const override;
  MaxUnpoolOptions<D> options;
};
using MaxUnpool1dImpl = MaxUnpoolImpl<1>;
using MaxUnpool2dImpl = MaxUnpoolImpl<2>;
using MaxUnpool3dImpl = MaxUnpoolImpl<3>;
KILN_MODULE(MaxUnpool1d);
KILN_MODULE(MaxUnpool2d);
KILN_MODULE(MaxUnpool3d);

/// Power-average pooling (F::lp_pool1d, F::lp_pool2d, F::lp_pool3d).
template <size_t D>
class LPPoolImpl : public detail::ClonableFromOptions<LPPoolImpl<D>> {
public:
  explicit LPPoolImpl(const LPPoolOptions<D> &options) : options(options) {}
  LPPoolImpl(double norm_type, ExpandingArray<D> kernel_size)
      : options(norm_type, kernel_size) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  LPPoolOptions<D> options;
};
using LPPool1dImpl = LPPoolImpl<1>;
using LPPool2dImpl = LPPoolImpl<2>;
using LPPool3dImpl = LPPoolImpl<3>;
KILN_MODULE(LPPool1d);
KILN_MODULE(LPPool2d);
KILN_MODULE(LPPool3d);

class UnfoldImpl : public detail::ClonableFromOptions<UnfoldImpl> {
public:
  explicit UnfoldImpl(const UnfoldOptions &options) : options(options) {}
  KILN_FROM_FIRST_OPTION(UnfoldImpl, UnfoldOptions)
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  UnfoldOptions options;
};
KILN_MODULE(Unfold);

class FoldImpl : public detail::ClonableFromOptions<FoldImpl> {
public:
  explicit FoldImpl(const FoldOptions &options) : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  FoldOptions options;
};
KILN_MODULE(Fold);

#undef KILN_FROM_FIRST_OPTION

} // namespace kiln::nn

#endif // KILN_FRONTEND_POOLING_H
