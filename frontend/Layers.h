//===- Layers.h - 1-d and adaptive pooling, padding, more activations -*- C++ -*-===//
//
// LibTorch's layers composed of Kiln's ops: 1-d pooling (through the 2-d
// ops), adaptive max pooling (a max per window, separable by dimension),
// the padding layers (F::pad), PReLU, GLU, Softmin, Softsign, Tanhshrink,
// LogSigmoid, Hardsigmoid, PixelShuffle and PixelUnshuffle, and
// PairwiseDistance, each with its functional form in nn::functional.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_LAYERS_H
#define KILN_FRONTEND_LAYERS_H

#include "kiln/frontend/Module.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/Tensor.h"

#include <concepts>
#include <ostream>
#include <tuple>
#include <type_traits>

namespace kiln::nn {

// --- Options

/// The padding of the padding layers: a size for every side, or one per
/// side ((left, right) for 1-d; (left, right, top, bottom) for 2-d).
template <size_t D> struct ConstantPadOptions {
  ConstantPadOptions(ExpandingArray<D * 2> padding, double value)
      : padding_(padding), value_(value) {}
  KILN_ARG(ExpandingArray<D * 2>, padding);
  KILN_ARG(double, value);
};
using ConstantPad1dOptions = ConstantPadOptions<1>;
using ConstantPad2dOptions = ConstantPadOptions<2>;
using ConstantPad3dOptions = ConstantPadOptions<3>;

template <size_t D> struct PaddingOptions {
  /* implicit */ PaddingOptions(ExpandingArray<D * 2> padding)
      : padding_(padding) {}
  KILN_ARG(ExpandingArray<D * 2>, padding);
};
using ZeroPad1dOptions = PaddingOptions<1>;
using ZeroPad2dOptions = PaddingOptions<2>;
using ZeroPad3dOptions = PaddingOptions<3>;
using ReflectionPad1dOptions = PaddingOptions<1>;
using ReflectionPad2dOptions = PaddingOptions<2>;
using ReflectionPad3dOptions = PaddingOptions<3>;
using ReplicationPad1dOptions = PaddingOptions<1>;
using ReplicationPad2dOptions = PaddingOptions<2>;
using ReplicationPad3dOptions = PaddingOptions<3>;

/// PReLU: `num_parameters` slopes (1, or one per channel), each starting
/// at `init`.
struct PReLUOptions {
  KILN_ARG(int64_t, num_parameters) = 1;
  KILN_ARG(double, init) = 0.25;
};

/// GLU halves the input along `dim`: a * sigmoid(b).
struct GLUOptions {
  /* implicit */ GLUOptions(int64_t dim = -1) : dim_(dim) {}
  KILN_ARG(int64_t, dim);
};

struct SoftminOptions {
  /* implicit */ SoftminOptions(int64_t dim) : dim_(dim) {}
  KILN_ARG(int64_t, dim);
};

/// PixelShuffle moves [C r^2, H, W] to [C, H r, W r]; PixelUnshuffle back.
struct PixelShuffleOptions {
  /* implicit */ PixelShuffleOptions(int64_t upscale_factor)
      : upscale_factor_(upscale_factor) {}
  KILN_ARG(int64_t, upscale_factor);
};
struct PixelUnshuffleOptions {
  /* implicit */ PixelUnshuffleOptions(int64_t downscale_factor)
      : downscale_factor_(downscale_factor) {}
  KILN_ARG(int64_t, downscale_factor);
};

/// ||x1 - x2 + eps||_p along the last dimension.
struct PairwiseDistanceOptions {
  KILN_ARG(double, p) = 2.0;
  KILN_ARG(double, eps) = 1e-6;
  KILN_ARG(bool, keepdim) = false;
};

namespace functional {

using MaxPool1dFuncOptions = MaxPool1dOptions;
using AvgPool1dFuncOptions = AvgPool1dOptions;
using AdaptiveAvgPool1dFuncOptions = AdaptiveAvgPool1dOptions;
using AdaptiveMaxPool1dFuncOptions = AdaptiveMaxPool1dOptions;
using AdaptiveMaxPool2dFuncOptions = AdaptiveMaxPool2dOptions;
using GLUFuncOptions = GLUOptions;
using SoftminFuncOptions = SoftminOptions;
using PixelShuffleFuncOptions = PixelShuffleOptions;
using PixelUnshuffleFuncOptions = PixelUnshuffleOptions;
using PairwiseDistanceFuncOptions = PairwiseDistanceOptions;

/// Over [N, C, L] (or [C, L]).
Tensor max_pool1d(const Tensor &input, const MaxPool1dFuncOptions &options,
                  Loc loc = Loc::current());
Tensor avg_pool1d(const Tensor &input, const AvgPool1dFuncOptions &options,
                  Loc loc = Loc::current());
Tensor adaptive_avg_pool1d(const Tensor &input,
                           const AdaptiveAvgPool1dFuncOptions &options,
                           Loc loc = Loc::current());
/// The largest element of each adaptive window: window i of n over a
/// dimension of size L spans [floor(i L / n), ceil((i + 1) L / n)).
Tensor adaptive_max_pool1d(const Tensor &input,
                           const AdaptiveMaxPool1dFuncOptions &options,
                           Loc loc = Loc::current());
Tensor adaptive_max_pool2d(const Tensor &input,
                           const AdaptiveMaxPool2dFuncOptions &options,
                           Loc loc = Loc::current());
/// x / (1 + |x|).
Tensor softsign(const Tensor &input, Loc loc = Loc::current());
/// x - tanh(x).
Tensor tanhshrink(const Tensor &input, Loc loc = Loc::current());
/// softmax(-x) along `options.dim()`.
Tensor softmin(const Tensor &input, const SoftminFuncOptions &options,
               Loc loc = Loc::current());
Tensor glu(const Tensor &input, const GLUFuncOptions &options = {},
           Loc loc = Loc::current());
/// x where x >= 0, weight * x elsewhere; `weight` has one slope or one per
/// channel (dimension 1).
Tensor prelu(const Tensor &input, const Tensor &weight,
             Loc loc = Loc::current());
Tensor pixel_shuffle(const Tensor &input,
                     const PixelShuffleFuncOptions &options,
                     Loc loc = Loc::current());
Tensor pixel_unshuffle(const Tensor &input,
                       const PixelUnshuffleFuncOptions &options,
                       Loc loc = Loc::current());
Tensor pairwise_distance(const Tensor &x1, const Tensor &x2,
                         const PairwiseDistanceFuncOptions &options = {},
                         Loc loc = Loc::current());

} // namespace functional

// --- Modules

// A layer built from the first argument of its options (`MaxPool1d(3)`)
// too, as LibTorch's.
#define KILN_OPTIONS_LAYER_WITH(Name, OptionsType, ...)                        \
  class Name##Impl : public detail::ClonableFromOptions<Name##Impl> {          \
  public:                                                                      \
    explicit Name##Impl(const OptionsType &options) : options(options) {}      \
    template <typename Arg>                                                    \
      requires(std::constructible_from<OptionsType, Arg> &&                    \
               !std::same_as<std::decay_t<Arg>, OptionsType>)                  \
    explicit Name##Impl(Arg &&arg) : options(OptionsType(arg)) {}              \
    Tensor forward(const Tensor &input);                                       \
    __VA_ARGS__                                                                \
    void pretty_print(std::ostream &stream) const override;                    \
    OptionsType options;                                                       \
  };                                                                           \
  KILN_MODULE(Name)
#define KILN_OPTIONS_LAYER(Name, OptionsType)                                  \
  KILN_OPTIONS_LAYER_WITH(Name, OptionsType, )
/// The values and their flat indices in the input plane (Pooling.h).
#define KILN_WITH_INDICES                                                      \
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor &input);

#define KILN_PLAIN_LAYER(Name)                                                 \
  class Name##Impl : public detail::ClonableFromOptions<Name##Impl> {          \
  public:                                                                      \
    Tensor forward(const Tensor &input);                                       \
    void pretty_print(std::ostream &stream) const override;                    \
  };                                                                           \
  KILN_MODULE(Name)

KILN_OPTIONS_LAYER_WITH(MaxPool1d, MaxPool1dOptions, KILN_WITH_INDICES);
KILN_OPTIONS_LAYER(AvgPool1d, AvgPool1dOptions);
KILN_OPTIONS_LAYER(AdaptiveAvgPool1d, AdaptiveAvgPool1dOptions);
KILN_OPTIONS_LAYER_WITH(AdaptiveMaxPool1d, AdaptiveMaxPool1dOptions,
                        KILN_WITH_INDICES);
KILN_OPTIONS_LAYER_WITH(AdaptiveMaxPool2d, AdaptiveMaxPool2dOptions,
                        KILN_WITH_INDICES);
KILN_OPTIONS_LAYER(ZeroPad1d, ZeroPad1dOptions);
KILN_OPTIONS_LAYER(ZeroPad2d, ZeroPad2dOptions);
KILN_OPTIONS_LAYER(ZeroPad3d, ZeroPad3dOptions);
KILN_OPTIONS_LAYER(ConstantPad1d, ConstantPad1dOptions);
KILN_OPTIONS_LAYER(ConstantPad2d, ConstantPad2dOptions);
KILN_OPTIONS_LAYER(ConstantPad3d, ConstantPad3dOptions);
KILN_OPTIONS_LAYER(ReflectionPad1d, ReflectionPad1dOptions);
KILN_OPTIONS_LAYER(ReflectionPad2d, ReflectionPad2dOptions);
KILN_OPTIONS_LAYER(ReflectionPad3d, ReflectionPad3dOptions);
KILN_OPTIONS_LAYER(ReplicationPad1d, ReplicationPad1dOptions);
KILN_OPTIONS_LAYER(ReplicationPad2d, ReplicationPad2dOptions);
KILN_OPTIONS_LAYER(ReplicationPad3d, ReplicationPad3dOptions);
KILN_OPTIONS_LAYER(Softmin, SoftminOptions);
KILN_OPTIONS_LAYER(PixelShuffle, PixelShuffleOptions);
KILN_OPTIONS_LAYER(PixelUnshuffle, PixelUnshuffleOptions);
KILN_PLAIN_LAYER(Softsign);
KILN_PLAIN_LAYER(Tanhshrink);
KILN_PLAIN_LAYER(LogSigmoid);
KILN_PLAIN_LAYER(Hardsigmoid);

#undef KILN_OPTIONS_LAYER_WITH
#undef KILN_OPTIONS_LAYER
#undef KILN_WITH_INDICES
#undef KILN_PLAIN_LAYER

/// a * sigmoid(b) for the halves a, b of the input along `dim` (the last
/// by default).
class GLUImpl : public detail::ClonableFromOptions<GLUImpl> {
public:
  explicit GLUImpl(const GLUOptions &options = {}) : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  GLUOptions options;
};
KILN_MODULE(GLU);

/// Parametric ReLU: a learned slope (`weight`) for the negative side.
class PReLUImpl : public detail::ClonableFromOptions<PReLUImpl> {
public:
  explicit PReLUImpl(const PReLUOptions &options = {});
  Tensor forward(const Tensor &input);
  void reset();
  void pretty_print(std::ostream &stream) const override;

  PReLUOptions options;
  Tensor weight;
};
KILN_MODULE(PReLU);

/// The distance between matching rows of two batches.
class PairwiseDistanceImpl
    : public detail::ClonableFromOptions<PairwiseDistanceImpl> {
public:
  explicit PairwiseDistanceImpl(const PairwiseDistanceOptions &options = {})
      : options(options) {}
  Tensor forward(const Tensor &x1, const Tensor &x2);
  void pretty_print(std::ostream &stream) const override;

  PairwiseDistanceOptions options;
};
KILN_MODULE(PairwiseDistance);

} // namespace kiln::nn

namespace kiln {
/// ATen's positional form of the p-norm distance between `x1` and `x2`
/// along the last dimension.
inline Tensor pairwise_distance(const Tensor &x1, const Tensor &x2,
                                double p = 2, double eps = 1e-6,
                                bool keepdim = false,
                                Loc loc = Loc::current()) {
  return nn::functional::pairwise_distance(
      x1, x2,
      nn::functional::PairwiseDistanceFuncOptions().p(p).eps(eps).keepdim(
          keepdim),
      loc);
}
} // namespace kiln

#endif // KILN_FRONTEND_LAYERS_H
