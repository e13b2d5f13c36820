//===- NN.h - Modules and layers (kiln::nn) ---------------------*- C++ -*-===//
//
// LibTorch's nn: each layer is an implementation (`LinearImpl`, derived from
// nn::Module) and a holder (`Linear`) that shares it, made from the layer's
// arguments or its options (`nn::Conv2d(nn::Conv2dOptions(1, 10, 5).stride(2))`).
// Module.h has the base class and the holder; ModuleOptions.h the options.
//
//   struct NetImpl : kiln::nn::Module {
//     NetImpl()
//         : fc1(register_module("fc1", kiln::nn::Linear(784, 256))),
//           fc2(register_module("fc2", kiln::nn::Linear(256, 10))) {}
//     kiln::Tensor forward(kiln::Tensor x) {
//       return fc2(kiln::relu(fc1(x)));
//     }
//     kiln::nn::Linear fc1, fc2;
//   };
//   KILN_MODULE(Net);
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_NN_H
#define KILN_FRONTEND_NN_H

#include "kiln/frontend/Functional.h"
#include "kiln/frontend/Module.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/Tensor.h"

#include <any>
#include <concepts>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

namespace kiln::nn {

/// y = x W^T + b, with PyTorch's default initialization (uniform in
/// +-1/sqrt(in_features) for both).
class LinearImpl : public detail::ClonableFromOptions<LinearImpl> {
public:
  /// Kiln's addition: the bias flag as a third argument.
  LinearImpl(int64_t in_features, int64_t out_features, bool bias = true)
      : LinearImpl(LinearOptions(in_features, out_features).bias(bias)) {}
  explicit LinearImpl(const LinearOptions &options);
  /// Draws new parameters.
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  LinearOptions options;
  Tensor weight; ///< [out_features, in_features]
  Tensor bias;   ///< [out_features], undefined without bias
};
KILN_MODULE(Linear);

/// Returns its input.
class IdentityImpl : public detail::ClonableFromOptions<IdentityImpl> {
public:
  IdentityImpl() = default;
  /// Accepts and ignores any arguments, as PyTorch's Identity does.
  template <typename... Args>
    requires(sizeof...(Args) > 0)
  explicit IdentityImpl(Args &&...) {}
  Tensor forward(const Tensor &input) { return input; }
  void pretty_print(std::ostream &stream) const override;
};
KILN_MODULE(Identity);

/// Flattens dimensions start_dim..end_dim (by default all but the batch).
class FlattenImpl : public detail::ClonableFromOptions<FlattenImpl> {
public:
  explicit FlattenImpl(const FlattenOptions &options = {}) : options(options) {}
  /// Kiln's addition: PyTorch's positional form.
  FlattenImpl(int64_t start_dim, int64_t end_dim = -1)
      : FlattenImpl(FlattenOptions().start_dim(start_dim).end_dim(end_dim)) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  FlattenOptions options;
};
KILN_MODULE(Flatten);

/// Splits dimension `dim` into `sizes`.
class UnflattenImpl : public detail::ClonableFromOptions<UnflattenImpl> {
public:
  UnflattenImpl(int64_t dim, std::vector<int64_t> sizes)
      : UnflattenImpl(UnflattenOptions(dim, std::move(sizes))) {}
  explicit UnflattenImpl(UnflattenOptions options)
      : options(std::move(options)) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  UnflattenOptions options;
};
KILN_MODULE(Unflatten);

class ReLUImpl : public detail::ClonableFromOptions<ReLUImpl> {
public:
  /// `inplace` is accepted for porting; the result is the same.
  explicit ReLUImpl(bool inplace = false) : inplace_(inplace) {}
  explicit ReLUImpl(const ReLUOptions &options) : inplace_(options.inplace()) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

private:
  bool inplace_;
};
KILN_MODULE(ReLU);

class TanhImpl : public detail::ClonableFromOptions<TanhImpl> {
public:
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
};
KILN_MODULE(Tanh);

class SigmoidImpl : public detail::ClonableFromOptions<SigmoidImpl> {
public:
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
};
KILN_MODULE(Sigmoid);

class GELUImpl : public detail::ClonableFromOptions<GELUImpl> {
public:
  explicit GELUImpl(std::string approximate = "none")
      : approximate_(std::move(approximate)) {}
  explicit GELUImpl(const GELUOptions &options)
      : approximate_(options.approximate()) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

private:
  std::string approximate_;
};
KILN_MODULE(GELU);

class LeakyReLUImpl : public detail::ClonableFromOptions<LeakyReLUImpl> {
public:
  explicit LeakyReLUImpl(double negative_slope = 0.01)
      : slope_(negative_slope) {}
  explicit LeakyReLUImpl(const LeakyReLUOptions &options)
      : slope_(options.negative_slope()), inplace_(options.inplace()) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

private:
  double slope_;
  bool inplace_ = false;
};
KILN_MODULE(LeakyReLU);

/// x * sigmoid(x).
class SiLUImpl : public detail::ClonableFromOptions<SiLUImpl> {
public:
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
};
KILN_MODULE(SiLU);

/// Options of Softmax and LogSoftmax: the dimension normalized over.
struct SoftmaxOptions {
  /* implicit */ SoftmaxOptions(int64_t dim) : dim_(dim) {}
  KILN_ARG(int64_t, dim);
};
using LogSoftmaxOptions = SoftmaxOptions;

class SoftmaxImpl : public detail::ClonableFromOptions<SoftmaxImpl> {
public:
  explicit SoftmaxImpl(const SoftmaxOptions &options) : options(options) {}
  explicit SoftmaxImpl(int64_t dim) : options(dim) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  SoftmaxOptions options;
};
KILN_MODULE(Softmax);

class LogSoftmaxImpl : public detail::ClonableFromOptions<LogSoftmaxImpl> {
public:
  explicit LogSoftmaxImpl(const LogSoftmaxOptions &options)
      : options(options) {}
  explicit LogSoftmaxImpl(int64_t dim) : options(dim) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  LogSoftmaxOptions options;
};
KILN_MODULE(LogSoftmax);

/// min(max(x, 0), 6).
class ReLU6Impl : public detail::ClonableFromOptions<ReLU6Impl> {
public:
  explicit ReLU6Impl(const ReLU6Options &options = {}) : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  ReLU6Options options;
};
KILN_MODULE(ReLU6);

/// x where x > threshold, `value` elsewhere.
class ThresholdImpl : public detail::ClonableFromOptions<ThresholdImpl> {
public:
  ThresholdImpl(double threshold, double value)
      : ThresholdImpl(ThresholdOptions(threshold, value)) {}
  explicit ThresholdImpl(const ThresholdOptions &options) : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  ThresholdOptions options;
};
KILN_MODULE(Threshold);

/// log(1 + e^(beta x)) / beta, x past the threshold.
class SoftplusImpl : public detail::ClonableFromOptions<SoftplusImpl> {
public:
  explicit SoftplusImpl(const SoftplusOptions &options = {})
      : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  SoftplusOptions options;
};
KILN_MODULE(Softplus);

/// Shrinks towards 0 by lambda, and to 0 within lambda.
class SoftshrinkImpl : public detail::ClonableFromOptions<SoftshrinkImpl> {
public:
  explicit SoftshrinkImpl(const SoftshrinkOptions &options = {})
      : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  SoftshrinkOptions options;
};
KILN_MODULE(Softshrink);

/// 0 within lambda of 0, x elsewhere.
class HardshrinkImpl : public detail::ClonableFromOptions<HardshrinkImpl> {
public:
  explicit HardshrinkImpl(const HardshrinkOptions &options = {})
      : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  HardshrinkOptions options;
};
KILN_MODULE(Hardshrink);

/// x clamped to [min_val, max_val]; max_val below min_val is a kiln::Error.
class HardtanhImpl : public detail::ClonableFromOptions<HardtanhImpl> {
public:
  explicit HardtanhImpl(const HardtanhOptions &options = {});
  /// Checks the options: max_val must be greater than min_val.
  void reset();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  HardtanhOptions options;
};
KILN_MODULE(Hardtanh);

/// x where x > 0, alpha (e^x - 1) elsewhere.
class ELUImpl : public detail::ClonableFromOptions<ELUImpl> {
public:
  explicit ELUImpl(const ELUOptions &options = {}) : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  ELUOptions options;
};
KILN_MODULE(ELU);

/// ELU with the self-normalizing alpha and scale.
class SELUImpl : public detail::ClonableFromOptions<SELUImpl> {
public:
  explicit SELUImpl(const SELUOptions &options = {}) : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  SELUOptions options;
};
KILN_MODULE(SELU);

/// max(0, x) + min(0, alpha (e^(x / alpha) - 1)).
class CELUImpl : public detail::ClonableFromOptions<CELUImpl> {
public:
  explicit CELUImpl(const CELUOptions &options = {}) : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  CELUOptions options;
};
KILN_MODULE(CELU);

/// x tanh(softplus(x)).
class MishImpl : public detail::ClonableFromOptions<MishImpl> {
public:
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
};
KILN_MODULE(Mish);

/// x relu6(x + 3) / 6 (PyTorch's nn.Hardswish; LibTorch has no module).
class HardswishImpl : public detail::ClonableFromOptions<HardswishImpl> {
public:
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
};
KILN_MODULE(Hardswish);

/// 1-D convolution over [N, C, L] inputs, with PyTorch's default
/// initialization.
class Conv1dImpl : public detail::ClonableFromOptions<Conv1dImpl> {
public:
  /// Kiln's addition: PyTorch's positional arguments after the first three.
  Conv1dImpl(int64_t in_channels, int64_t out_channels,
             ExpandingArray<1> kernel_size, ExpandingArray<1> stride = 1,
             ExpandingArray<1> padding = 0, ExpandingArray<1> dilation = 1,
             int64_t groups = 1, bool bias = true);
  explicit Conv1dImpl(Conv1dOptions options);
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  Conv1dOptions options;
  Tensor weight; ///< [out, in / groups, kernel]
  Tensor bias;   ///< [out], undefined without bias
};
KILN_MODULE(Conv1d);

/// 2-D convolution with PyTorch's default initialization.
class Conv2dImpl : public detail::ClonableFromOptions<Conv2dImpl> {
public:
  /// Kiln's addition: PyTorch's positional arguments after the first three.
  Conv2dImpl(int64_t in_channels, int64_t out_channels,
             ExpandingArray<2> kernel_size, ExpandingArray<2> stride = 1,
             ExpandingArray<2> padding = 0, ExpandingArray<2> dilation = 1,
             int64_t groups = 1, bool bias = true);
  explicit Conv2dImpl(Conv2dOptions options);
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  Conv2dOptions options;
  Tensor weight; ///< [out, in / groups, kernel_h, kernel_w]
  Tensor bias;   ///< [out], undefined without bias
};
KILN_MODULE(Conv2d);

/// Transposed 2-D convolution, which upsamples by `stride`: the gradient of
/// a Conv2d with respect to its input. PyTorch's default initialization.
class ConvTranspose2dImpl
    : public detail::ClonableFromOptions<ConvTranspose2dImpl> {
public:
  /// Kiln's addition: PyTorch's positional arguments after the first three.
  ConvTranspose2dImpl(int64_t in_channels, int64_t out_channels,
                      ExpandingArray<2> kernel_size,
                      ExpandingArray<2> stride = 1,
                      ExpandingArray<2> padding = 0,
                      ExpandingArray<2> output_padding = 0, int64_t groups = 1,
                      bool bias = true, ExpandingArray<2> dilation = 1);
  explicit ConvTranspose2dImpl(ConvTranspose2dOptions options);
  void reset();
  void reset_parameters();
  /// `output_size`, when given, picks the output padding that gives that
  /// size (the last two entries are the height and width).
  Tensor forward(const Tensor &input,
                 const std::optional<std::vector<int64_t>> &output_size);
  Tensor forward(const Tensor &input) { return forward(input, std::nullopt); }
  void pretty_print(std::ostream &stream) const override;

  ConvTranspose2dOptions options;
  Tensor weight; ///< [in, out / groups, kernel_h, kernel_w]
  Tensor bias;   ///< [out], undefined without bias
};
KILN_MODULE(ConvTranspose2d);

class MaxPool2dImpl : public detail::ClonableFromOptions<MaxPool2dImpl> {
public:
  explicit MaxPool2dImpl(MaxPool2dOptions options) : options(options) {}
  /// Kiln's addition: PyTorch's positional form.
  MaxPool2dImpl(ExpandingArray<2> kernel_size,
                std::optional<ExpandingArray<2>> stride = std::nullopt,
                ExpandingArray<2> padding = 0);
  Tensor forward(const Tensor &input);
  /// The values and their flat indices in the input plane (Pooling.h).
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  MaxPool2dOptions options;
};
KILN_MODULE(MaxPool2d);

class AvgPool2dImpl : public detail::ClonableFromOptions<AvgPool2dImpl> {
public:
  explicit AvgPool2dImpl(AvgPool2dOptions options) : options(options) {}
  /// Kiln's addition: PyTorch's positional form.
  AvgPool2dImpl(ExpandingArray<2> kernel_size,
                std::optional<ExpandingArray<2>> stride = std::nullopt,
                ExpandingArray<2> padding = 0);
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  AvgPool2dOptions options;
};
KILN_MODULE(AvgPool2d);

/// Average pooling to a fixed grid (one number for a square one) whatever
/// the input's size.
class AdaptiveAvgPool2dImpl
    : public detail::ClonableFromOptions<AdaptiveAvgPool2dImpl> {
public:
  explicit AdaptiveAvgPool2dImpl(AdaptiveAvgPool2dOptions options)
      : options(options) {}
  explicit AdaptiveAvgPool2dImpl(ExpandingArray<2> output_size)
      : options(output_size) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  AdaptiveAvgPool2dOptions options;
};
KILN_MODULE(AdaptiveAvgPool2d);

/// Batch normalization over the channels (dimension 1) of [N, C] or
/// [N, C, L] (1d) or [N, C, H, W] (2d) inputs. With track_running_stats,
/// training mode normalizes with batch statistics and updates the running
/// ones (buffers running_mean, running_var, num_batches_tracked), and
/// evaluation uses them; without, every mode uses batch statistics.
class BatchNormImplBase : public Module {
public:
  BatchNormImplBase(const BatchNormOptions &options, int64_t dims);
  void reset();
  void reset_parameters();
  void reset_running_stats();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  BatchNormOptions options;
  Tensor weight, bias;                                   ///< [C] with affine
  Tensor running_mean, running_var, num_batches_tracked; ///< the statistics

private:
  int64_t dims_; // 1, 2 or 3
};

class BatchNorm1dImpl
    : public detail::ClonableFromOptions<BatchNorm1dImpl, BatchNormImplBase> {
public:
  explicit BatchNorm1dImpl(const BatchNormOptions &options)
      : ClonableFromOptions(options, 1) {}
  /// Kiln's addition: PyTorch's positional form.
  BatchNorm1dImpl(int64_t num_features, double eps, double momentum = 0.1,
                  bool affine = true)
      : BatchNorm1dImpl(BatchNormOptions(num_features)
                            .eps(eps)
                            .momentum(momentum)
                            .affine(affine)) {}
};
KILN_MODULE(BatchNorm1d);

class BatchNorm2dImpl
    : public detail::ClonableFromOptions<BatchNorm2dImpl, BatchNormImplBase> {
public:
  explicit BatchNorm2dImpl(const BatchNormOptions &options)
      : ClonableFromOptions(options, 2) {}
  /// Kiln's addition: PyTorch's positional form.
  BatchNorm2dImpl(int64_t num_features, double eps, double momentum = 0.1,
                  bool affine = true)
      : BatchNorm2dImpl(BatchNormOptions(num_features)
                            .eps(eps)
                            .momentum(momentum)
                            .affine(affine)) {}
};
KILN_MODULE(BatchNorm2d);

class LayerNormImpl : public detail::ClonableFromOptions<LayerNormImpl> {
public:
  /// With `elementwise_affine`, a weight (ones) and, with `bias`, a bias
  /// (zeros) of `normalized_shape`, as PyTorch's LayerNorm.
  explicit LayerNormImpl(LayerNormOptions options);
  /// Kiln's addition: PyTorch's positional form.
  LayerNormImpl(std::vector<int64_t> normalized_shape, double eps,
                bool elementwise_affine = true, bool bias = true)
      : LayerNormImpl(LayerNormOptions(std::move(normalized_shape))
                          .eps(eps)
                          .elementwise_affine(elementwise_affine)
                          .bias(bias)) {}
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  LayerNormOptions options;
  Tensor weight, bias;
};
KILN_MODULE(LayerNorm);

/// Normalization over groups of channels of [N, C, ...] inputs, the same in
/// training and evaluation; `weight` and `bias` are per channel.
class GroupNormImpl : public detail::ClonableFromOptions<GroupNormImpl> {
public:
  explicit GroupNormImpl(const GroupNormOptions &options);
  GroupNormImpl(int64_t num_groups, int64_t num_channels)
      : GroupNormImpl(GroupNormOptions(num_groups, num_channels)) {}
  /// Kiln's addition: PyTorch's positional form.
  GroupNormImpl(int64_t num_groups, int64_t num_channels, double eps,
                bool affine = true)
      : GroupNormImpl(GroupNormOptions(num_groups, num_channels)
                          .eps(eps)
                          .affine(affine)) {}
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  GroupNormOptions options;
  Tensor weight, bias; ///< [num_channels], undefined without affine
};
KILN_MODULE(GroupNorm);

/// A lookup table of `num_embeddings` vectors of size `embedding_dim`,
/// initialized from N(0, 1) as in PyTorch; the `padding_idx` row starts at
/// zero and gets no gradient.
class EmbeddingImpl : public detail::ClonableFromOptions<EmbeddingImpl> {
public:
  EmbeddingImpl(int64_t num_embeddings, int64_t embedding_dim)
      : EmbeddingImpl(EmbeddingOptions(num_embeddings, embedding_dim)) {}
  explicit EmbeddingImpl(EmbeddingOptions options);
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &indices);
  void pretty_print(std::ostream &stream) const override;

  EmbeddingOptions options;
  Tensor weight;
};

/// The holder of EmbeddingImpl, with LibTorch's `from_pretrained`.
class Embedding : public ModuleHolder<EmbeddingImpl> {
public:
  using ModuleHolder<EmbeddingImpl>::ModuleHolder;
  using Impl = EmbeddingImpl;
  /// An Embedding whose weight is `embeddings` [num_embeddings, dim]
  /// itself (shared, not copied), fixed unless `freeze(false)`.
  static Embedding
  from_pretrained(const Tensor &embeddings,
                  const EmbeddingFromPretrainedOptions &options = {});
};

/// Zeroes elements with probability p in training mode and scales the rest
/// by 1 / (1 - p).
class DropoutImpl : public detail::ClonableFromOptions<DropoutImpl> {
public:
  explicit DropoutImpl(const DropoutOptions &options = {}) : options(options) {}
  explicit DropoutImpl(double p) : DropoutImpl(DropoutOptions(p)) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  DropoutOptions options;
};
KILN_MODULE(Dropout);

/// Zeroes whole channels of [N, C, H, W] (or [C, H, W]) inputs with
/// probability p in training mode.
class Dropout2dImpl : public detail::ClonableFromOptions<Dropout2dImpl> {
public:
  explicit Dropout2dImpl(const Dropout2dOptions &options = {})
      : options(options) {}
  explicit Dropout2dImpl(double p) : Dropout2dImpl(Dropout2dOptions(p)) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  Dropout2dOptions options;
};
KILN_MODULE(Dropout2d);

/// Wraps a function of a tensor as a module, e.g. to put kiln::relu in a
/// Sequential: `nn::Functional(kiln::relu)`. Further arguments are bound
/// after the tensor: `nn::Functional(kiln::leaky_relu, 0.2)`.
class FunctionalImpl : public Module {
public:
  using Function = std::function<Tensor(Tensor)>;
  explicit FunctionalImpl(Function function);
  template <typename F, typename... Args>
    requires(!std::is_convertible_v<F, Function> || sizeof...(Args) > 0)
  explicit FunctionalImpl(F function, Args... args)
      : FunctionalImpl(bind(std::move(function), std::move(args)...)) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

private:
  // Kiln's ops take the caller's source location last; bind the call's.
  template <typename F, typename... Args>
  static Function bind(F function, Args... args) {
    return [function, args...](Tensor x) -> Tensor {
      if constexpr (std::is_invocable_v<F, Tensor, Args...>)
        return std::invoke(function, x, args...);
      else
        return std::invoke(function, x, args..., Loc::current());
    };
  }
  Function function_;
};
KILN_MODULE(Functional);

/// A value of any type (LibTorch's AnyValue): what AnyModule::any_forward
/// returns and what flows between the modules of a Sequential whose
/// forwards take or give other things than one tensor.
class AnyValue {
public:
  template <typename T>
    requires(!std::is_same_v<std::decay_t<T>, AnyValue>)
  explicit AnyValue(T &&value) : value_(std::forward<T>(value)) {}

  /// The value as a `T`, or null when it holds another type.
  template <typename T> T *try_get() { return std::any_cast<T>(&value_); }
  template <typename T> const T *try_get() const {
    return std::any_cast<T>(&value_);
  }
  /// The value as a `T`; a kiln::Error naming both types when it holds
  /// another.
  template <typename T> T get() const {
    if (const T *typed = try_get<T>())
      return *typed;
    throw Error("Attempted to cast AnyValue to " +
                ::kiln::detail::demangledName(typeid(T)) +
                ", but its actual type is " +
                ::kiln::detail::demangledName(value_.type()));
  }
  const std::type_info &type_info() const noexcept { return value_.type(); }

private:
  std::any value_;
};

/// Any module, type-erased: what Sequential holds. Its forward calls the
/// module's own forward of one tensor (a user module's non-virtual one
/// too); `any_forward` and `forward<T>` call a forward of any signature
/// (`int forward(int)`), its arguments checked at run time.
class AnyModule {
public:
  AnyModule() = default;
  template <typename M>
    requires std::derived_from<M, Module>
  AnyModule(std::shared_ptr<M> module)
      : module_(module), forward_(forwardOf(module)),
        tensorForward_(requires(M &m, const Tensor &x) {
          { m.forward(x) } -> std::convertible_to<Tensor>;
        }), call_(callOf(std::move(module))),
        rebind_([](std::shared_ptr<Module> copy) {
          return AnyModule(std::static_pointer_cast<M>(std::move(copy)));
        }) {}
  template <typename M>
    requires std::derived_from<std::decay_t<M>, Module>
  AnyModule(M &&module)
      : AnyModule(std::make_shared<std::decay_t<M>>(std::forward<M>(module))) {}
  template <typename C>
  AnyModule(const ModuleHolder<C> &module) : AnyModule(module.ptr()) {}

  /// Calls the module; an empty AnyModule is a kiln::Error.
  Tensor forward(const Tensor &input) const;
  /// Calls the module's forward with any arguments; their number and types
  /// must match its parameters (a kiln::Error names the first that does
  /// not).
  template <typename... Args> AnyValue any_forward(Args &&...args) const {
    std::vector<AnyValue> values;
    values.reserve(sizeof...(Args));
    (values.emplace_back(std::decay_t<Args>(std::forward<Args>(args))), ...);
    return call(std::move(values));
  }
  /// The same, the result read as a `ReturnType` (one tensor to a tensor
  /// is forward(input) above).
  template <typename ReturnType = Tensor, typename... Args>
  ReturnType forward(Args &&...args) const {
    if constexpr (std::is_same_v<ReturnType, Tensor> && sizeof...(Args) == 1 &&
                  (std::is_convertible_v<Args, const Tensor &> && ...))
      return forward(static_cast<const Tensor &>(args)...);
    else
      return any_forward(std::forward<Args>(args)...)
          .template get<ReturnType>();
  }
  /// Calls the forward with arguments already type-erased.
  AnyValue call(std::vector<AnyValue> arguments) const;
  /// Whether the module's forward takes one tensor and returns one.
  bool has_tensor_forward() const noexcept { return tensorForward_; }
  /// The module (null when empty).
  const std::shared_ptr<Module> &ptr() const { return module_; }
  /// The module as a `T` (its implementation type); a kiln::Error when it
  /// is another.
  template <typename T> T &get() const {
    if (auto *typed = dynamic_cast<T *>(module_.get()))
      return *typed;
    throwWrongType();
  }
  bool is_empty() const noexcept { return module_ == nullptr; }
  /// An AnyModule holding a deep copy of the module (Module::clone).
  AnyModule clone(const std::optional<Device> &device = std::nullopt) const;

private:
  template <typename M>
  static std::function<Tensor(const Tensor &)>
  forwardOf(std::shared_ptr<M> module) {
    if constexpr (requires(M &m, const Tensor &x) {
                    { m.forward(x) } -> std::convertible_to<Tensor>;
                  })
      return [module](const Tensor &x) -> Tensor { return module->forward(x); };
    else
      return [module](const Tensor &) -> Tensor { throwNoForward(*module); };
  }
  /// A call of `module->forward` with type-erased arguments: through its
  /// member pointer when forward is a single function (any signature), and
  /// for one tensor through the call itself (which applies default
  /// arguments).
  using Call = std::function<AnyValue(std::vector<AnyValue> &)>;
  template <typename M> static Call callOf(std::shared_ptr<M> module) {
    Call direct;
    if constexpr (requires { &M::forward; })
      direct = memberCall(module, &M::forward);
    Call oneTensor;
    if constexpr (requires(M &m, const Tensor &x) { m.forward(x); })
      oneTensor = [module](std::vector<AnyValue> &args) -> AnyValue {
        return AnyValue(module->forward(args[0].get<Tensor>()));
      };
    return
        [module, direct, oneTensor](std::vector<AnyValue> &args) -> AnyValue {
          if (oneTensor && args.size() == 1 && args[0].try_get<Tensor>())
            return oneTensor(args);
          if (direct)
            return direct(args);
          throwNoCall(*module, args.size());
        };
  }
  template <typename M, typename R, typename C, typename... Params>
  static Call memberCall(std::shared_ptr<M> module, R (C::*fn)(Params...)) {
    return [module, fn](std::vector<AnyValue> &args) -> AnyValue {
      checkArity(args.size(), sizeof...(Params));
      return invokeWith<R, std::decay_t<Params>...>(
          [&](auto &&...values) -> R {
            return ((*module).*fn)(std::forward<decltype(values)>(values)...);
          },
          args, std::index_sequence_for<Params...>{});
    };
  }
  template <typename M, typename R, typename C, typename... Params>
  static Call memberCall(std::shared_ptr<M> module,
                         R (C::*fn)(Params...) const) {
    return [module, fn](std::vector<AnyValue> &args) -> AnyValue {
      checkArity(args.size(), sizeof...(Params));
      return invokeWith<R, std::decay_t<Params>...>(
          [&](auto &&...values) -> R {
            return ((*module).*fn)(std::forward<decltype(values)>(values)...);
          },
          args, std::index_sequence_for<Params...>{});
    };
  }
  template <typename R, typename... Params, typename F, size_t... I>
  static AnyValue invokeWith(F &&f, std::vector<AnyValue> &args,
                             std::index_sequence<I...>) {
    (checkArgument<Params>(args[I], I), ...);
    if constexpr (std::is_void_v<R>) {
      f(*args[I].template try_get<Params>()...);
      return AnyValue(std::monostate{});
    } else {
      return AnyValue(f(*args[I].template try_get<Params>()...));
    }
  }
  template <typename T> static void checkArgument(AnyValue &value, size_t i) {
    if (!value.try_get<T>())
      throwArgumentType(i, typeid(T), value.type_info());
  }
  [[noreturn]] static void throwArgumentType(size_t i,
                                             const std::type_info &expected,
                                             const std::type_info &got);
  static void checkArity(size_t given, size_t expected);
  [[noreturn]] static void throwNoCall(const Module &module, size_t arguments);
  [[noreturn]] void throwWrongType() const;
  [[noreturn]] static void throwNoForward(const Module &module);

  std::shared_ptr<Module> module_;
  std::function<Tensor(const Tensor &)> forward_;
  bool tensorForward_ = false;
  Call call_;
  /// An AnyModule of the same type for a clone of the module.
  std::function<AnyModule(std::shared_ptr<Module>)> rebind_;
};

/// A module with the name Sequential gives it.
struct NamedAnyModule {
  template <typename M>
  NamedAnyModule(std::string name, M &&module)
      : name(std::move(name)), module(std::forward<M>(module)) {}
  std::string name;
  AnyModule module;
};

/// Runs its modules in order, each on the previous one's output. Modules
/// are named "0", "1", ... unless given names.
class SequentialImpl : public Module {
public:
  using Iterator = std::vector<AnyModule>::const_iterator;

  SequentialImpl() = default;
  template <typename... Ms>
    requires(sizeof...(Ms) > 0 &&
             !(sizeof...(Ms) == 1 &&
               (std::is_same_v<std::decay_t<Ms>, SequentialImpl> && ...)))
  explicit SequentialImpl(Ms &&...modules) {
    (push_back(std::forward<Ms>(modules)), ...);
  }
  explicit SequentialImpl(std::initializer_list<NamedAnyModule> modules);
  explicit SequentialImpl(OrderedDict<std::string, AnyModule> modules);

  /// Appends a module (a holder, a shared_ptr to a module, a module by
  /// value, or an AnyModule), named by its position or `name`.
  template <typename M> void push_back(M &&module) {
    push_back(std::to_string(modules_.size()), std::forward<M>(module));
  }
  template <typename M> void push_back(std::string name, M &&module) {
    append(std::move(name), AnyModule(std::forward<M>(module)));
  }
  /// Appends every module of `other` (a Sequential or a container).
  template <typename Container> void extend(const Container &other) {
    for (const auto &module : other)
      push_back(module);
  }

  /// Runs the modules in order on one tensor.
  Tensor forward(const Tensor &input);
  /// Runs the modules in order on any arguments, each module's result the
  /// next one's argument, and reads the last result as a `ReturnType`
  /// (`sequential->forward<int>(1)`): LibTorch's generic forward.
  template <typename ReturnType = Tensor, typename... Inputs>
  ReturnType forward(Inputs &&...inputs) {
    if constexpr (std::is_same_v<ReturnType, Tensor> &&
                  sizeof...(Inputs) == 1 &&
                  (std::is_convertible_v<Inputs, const Tensor &> && ...)) {
      return forward(static_cast<const Tensor &>(inputs)...);
    } else {
      AnyValue result = any_forward(std::forward<Inputs>(inputs)...);
      if (const ReturnType *typed = result.try_get<ReturnType>())
        return *typed;
      throwReturnType(typeid(ReturnType), result.type_info());
    }
  }
  /// The same, the last result type-erased.
  template <typename... Inputs> AnyValue any_forward(Inputs &&...inputs) {
    checkNotEmpty();
    AnyValue value =
        modules_.front().any_forward(std::forward<Inputs>(inputs)...);
    for (size_t i = 1; i < modules_.size(); ++i) {
      std::vector<AnyValue> args;
      args.push_back(std::move(value));
      value = modules_[i].call(std::move(args));
    }
    return value;
  }
  void pretty_print(std::ostream &stream) const override;
  /// A Sequential of clones of the modules, under the same names.
  std::shared_ptr<Module>
  clone(const std::optional<Device> &device = std::nullopt) const override;

  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  /// The module at `index` (a kiln::Error when out of range).
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }
  std::shared_ptr<Module> ptr(size_t index) const;
  template <typename T> std::shared_ptr<T> ptr(size_t index) const {
    return std::dynamic_pointer_cast<T>(ptr(index));
  }
  template <typename T> T &at(size_t index) const {
    checkIndex(index);
    return modules_[index].get<T>();
  }
  Iterator begin() const { return modules_.begin(); }
  Iterator end() const { return modules_.end(); }

private:
  void append(std::string name, AnyModule module);
  void checkIndex(size_t index) const;
  void checkNotEmpty() const;
  [[noreturn]] static void throwReturnType(const std::type_info &asked,
                                           const std::type_info &actual);

  std::vector<AnyModule> modules_;
};

/// The holder of SequentialImpl, which also takes named modules:
/// `Sequential({{"fc", Linear(4, 8)}, {"act", ReLU()}})`.
class Sequential : public ModuleHolder<SequentialImpl> {
public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
  using Impl = SequentialImpl;
  Sequential() : ModuleHolder<SequentialImpl>() {}
  Sequential(std::initializer_list<NamedAnyModule> modules)
      : ModuleHolder<SequentialImpl>(
            std::make_shared<SequentialImpl>(modules)) {}
};

/// Holds submodules in a list, named "0", "1", ... as in Sequential, but
/// with no forward of its own: its owner decides how to call them.
class ModuleListImpl : public Module {
public:
  using Iterator = std::vector<std::shared_ptr<Module>>::const_iterator;

  ModuleListImpl() = default;
  template <typename... Ms>
    requires(sizeof...(Ms) > 0 &&
             !(sizeof...(Ms) == 1 &&
               (std::is_same_v<std::decay_t<Ms>, ModuleListImpl> && ...)))
  explicit ModuleListImpl(Ms &&...modules) {
    (push_back(std::forward<Ms>(modules)), ...);
  }
  /// Appends a module (a holder, a shared_ptr, or a module by value).
  template <typename M> void push_back(M &&module) {
    append(detail::toSharedModule(std::forward<M>(module)));
  }
  /// Inserts a module at `index` (renumbering those after it).
  template <typename M> void insert(size_t index, M &&module) {
    insertAt(index, detail::toSharedModule(std::forward<M>(module)));
  }
  template <typename Container> void extend(const Container &other) {
    for (const auto &module : other)
      push_back(module);
  }
  /// The module at `index`; an index out of range is a kiln::Error.
  const std::shared_ptr<Module> &operator[](size_t index) const {
    return ptr(index);
  }
  const std::shared_ptr<Module> &ptr(size_t index) const;
  template <typename T> std::shared_ptr<T> ptr(size_t index) const {
    return std::dynamic_pointer_cast<T>(ptr(index));
  }
  template <typename T> T &at(size_t index) const {
    if (auto *typed = dynamic_cast<T *>(ptr(index).get()))
      return *typed;
    throw Error("ModuleList: module " + std::to_string(index) +
                " is not of the requested type");
  }
  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  Iterator begin() const { return modules_.begin(); }
  Iterator end() const { return modules_.end(); }
  void pretty_print(std::ostream &stream) const override;
  /// A ModuleList of clones of the modules.
  std::shared_ptr<Module>
  clone(const std::optional<Device> &device = std::nullopt) const override;

private:
  void append(std::shared_ptr<Module> module);
  void insertAt(size_t index, std::shared_ptr<Module> module);
  void renumber();

  std::vector<std::shared_ptr<Module>> modules_;
};
KILN_MODULE(ModuleList);

/// Holds submodules by key, in insertion order; a key is its module's name
/// in named_parameters() and the state dict.
class ModuleDictImpl : public Module {
public:
  using Iterator =
      OrderedDict<std::string, std::shared_ptr<Module>>::const_iterator;

  ModuleDictImpl() = default;
  explicit ModuleDictImpl(
      const std::vector<std::pair<std::string, std::shared_ptr<Module>>>
          &modules);
  explicit ModuleDictImpl(
      const OrderedDict<std::string, std::shared_ptr<Module>> &modules);
  /// Adds `module` (a holder, a shared_ptr, or a module by value) under
  /// `key`, which must be new, non-empty and free of dots.
  template <typename M> auto insert(std::string key, M &&module) {
    auto shared = detail::toTypedSharedModule(std::forward<M>(module));
    insertShared(std::move(key), shared);
    return shared;
  }
  /// Inserts or replaces every entry of `other`.
  template <typename Container> void update(const Container &other) {
    for (const auto &[key, module] : other)
      insertOrReplace(key, module);
  }
  /// The module under `key`; a missing key is an error that lists the keys.
  const std::shared_ptr<Module> &operator[](const std::string &key) const;
  template <typename T> T &at(const std::string &key) const {
    if (auto *typed = dynamic_cast<T *>((*this)[key].get()))
      return *typed;
    throw Error("ModuleDict: module '" + key +
                "' is not of the requested type");
  }
  bool contains(const std::string &key) const noexcept;
  std::vector<std::string> keys() const;
  std::vector<std::shared_ptr<Module>> values() const;
  const std::vector<OrderedDict<std::string, std::shared_ptr<Module>>::Item> &
  items() const {
    return modules_.items();
  }
  /// Removes `key` and returns its module.
  std::shared_ptr<Module> pop(const std::string &key);
  void clear();
  size_t size() const noexcept { return modules_.size(); }
  bool empty() const noexcept { return modules_.is_empty(); }
  Iterator begin() const { return modules_.begin(); }
  Iterator end() const { return modules_.end(); }
  void pretty_print(std::ostream &stream) const override;
  /// A ModuleDict of clones of the modules, under the same keys.
  std::shared_ptr<Module>
  clone(const std::optional<Device> &device = std::nullopt) const override;

private:
  std::shared_ptr<Module> insertShared(std::string key,
                                       std::shared_ptr<Module> module);
  void insertOrReplace(const std::string &key, std::shared_ptr<Module> module);

  OrderedDict<std::string, std::shared_ptr<Module>> modules_{"Key"};
};
KILN_MODULE(ModuleDict);

/// Multi-head scaled dot-product attention with PyTorch's parameters: one
/// packed input projection (xavier-uniform weight, zero bias) and an output
/// Linear (zero bias).
class MultiheadAttentionImpl
    : public detail::ClonableFromOptions<MultiheadAttentionImpl> {
public:
  MultiheadAttentionImpl(int64_t embed_dim, int64_t num_heads)
      : MultiheadAttentionImpl(
            MultiheadAttentionOptions(embed_dim, num_heads)) {}
  /// Kiln's addition: PyTorch's positional form.
  MultiheadAttentionImpl(int64_t embed_dim, int64_t num_heads, double dropout,
                         bool bias = true, bool batch_first = false)
      : MultiheadAttentionImpl(MultiheadAttentionOptions(embed_dim, num_heads)
                                   .dropout(dropout)
                                   .bias(bias)
                                   .batch_first(batch_first)) {}
  explicit MultiheadAttentionImpl(const MultiheadAttentionOptions &options);
  /// Attends from `query` [L, N, E] ([N, L, E] with batch_first, [L, E]
  /// unbatched) to `key` and `value` [S, N, E]. `key_padding_mask` [N, S]
  /// and `attn_mask` [L, S] or [N * num_heads, L, S] mask out keys where
  /// they are true (bool) or are added to the attention scores (float).
  /// Returns the output, shaped like `query`, and with `need_weights` the
  /// attention weights after dropout, [N, L, S] averaged over heads (or
  /// [N, num_heads, L, S] without `average_attn_weights`); without, an
  /// undefined tensor. `is_causal` is PyTorch's hint that `attn_mask` is
  /// the causal mask (generate_square_subsequent_mask); like PyTorch, it
  /// needs that mask given.
  std::tuple<Tensor, Tensor>
  forward(const Tensor &query, const Tensor &key, const Tensor &value,
          const Tensor &key_padding_mask = {}, bool need_weights = true,
          const Tensor &attn_mask = {}, bool average_attn_weights = true,
          bool is_causal = false);
  void pretty_print(std::ostream &stream) const override;

  MultiheadAttentionOptions options;
  Tensor in_proj_weight; ///< [3 E, E]: the query, key and value projections
  Tensor in_proj_bias;   ///< [3 E], undefined without bias
  Linear out_proj{nullptr};
};
KILN_MODULE(MultiheadAttention);

/// The mask that lets position i attend to positions 0..i only (PyTorch's
/// `nn.Transformer.generate_square_subsequent_mask`): [sz, sz], 0 on and
/// below the diagonal, -inf above, to pass as `attn_mask` or `src_mask`.
Tensor generate_square_subsequent_mask(int64_t sz, ScalarType dtype = kFloat32);

/// Self-attention and a feed-forward network, each with a residual
/// connection and layer norm (after the residual, or before each block with
/// `norm_first`), as PyTorch's layer. `activation` is "relu" or "gelu".
class TransformerEncoderLayerImpl
    : public detail::ClonableFromOptions<TransformerEncoderLayerImpl> {
public:
  TransformerEncoderLayerImpl(int64_t d_model, int64_t nhead)
      : TransformerEncoderLayerImpl(
            TransformerEncoderLayerOptions(d_model, nhead)) {}
  /// Kiln's addition: PyTorch's positional form.
  TransformerEncoderLayerImpl(int64_t d_model, int64_t nhead,
                              int64_t dim_feedforward, double dropout = 0.1,
                              std::string activation = "relu",
                              double layer_norm_eps = 1e-5,
                              bool batch_first = false, bool norm_first = false,
                              bool bias = true)
      : TransformerEncoderLayerImpl(
            TransformerEncoderLayerOptions(d_model, nhead)
                .dim_feedforward(dim_feedforward)
                .dropout(dropout)
                .activation(std::move(activation))
                .layer_norm_eps(layer_norm_eps)
                .batch_first(batch_first)
                .norm_first(norm_first)
                .bias(bias)) {}
  explicit TransformerEncoderLayerImpl(TransformerEncoderLayerOptions options);
  Tensor forward(const Tensor &src);
  /// `src_mask` and `src_key_padding_mask` are MultiheadAttention's
  /// `attn_mask` and `key_padding_mask`; `is_causal` its hint.
  Tensor forward(const Tensor &src, const Tensor &src_mask,
                 const Tensor &src_key_padding_mask = {},
                 bool is_causal = false);
  void pretty_print(std::ostream &stream) const override;

  TransformerEncoderLayerOptions options;
  MultiheadAttention self_attn{nullptr};
  Linear linear1{nullptr};
  Dropout dropout{nullptr};
  Linear linear2{nullptr};
  LayerNorm norm1{nullptr}, norm2{nullptr};
  Dropout dropout1{nullptr}, dropout2{nullptr};
};
KILN_MODULE(TransformerEncoderLayer);

/// PyTorch's nn.init: each function fills `tensor` in place (without
/// recording gradient history) from the generator that manual_seed seeds,
/// and returns it.
namespace init {

/// The gain recommended for a nonlinearity: 1 for "linear", the
/// convolutions ("conv1d" ... "conv_transpose3d") and "sigmoid", 5/3 for
/// "tanh", sqrt(2) for
/// "relu", sqrt(2 / (1 + slope^2)) for "leaky_relu" (`param` is the slope,
/// 0.01 by default) and 3/4 for "selu".
double calculate_gain(const std::string &nonlinearity,
                      std::optional<double> param = {},
                      Loc loc = Loc::current());
/// The same from a constant: `calculate_gain(kiln::kTanh)`,
/// `calculate_gain(kiln::kLeakyReLU, 0.2)` (LibTorch's NonlinearityType).
template <typename E>
  requires requires { E::name; }
double calculate_gain(E nonlinearity, double param = 0.01,
                      Loc loc = Loc::current()) {
  return calculate_gain(std::string(E::name), param, loc);
}

/// Uniform in [a, b).
Tensor uniform_(Tensor tensor, double a = 0, double b = 1,
                Loc loc = Loc::current());
/// Normal with mean `mean` and standard deviation `std`.
Tensor normal_(Tensor tensor, double mean = 0, double std = 1,
               Loc loc = Loc::current());
Tensor constant_(Tensor tensor, Scalar val, Loc loc = Loc::current());
Tensor ones_(Tensor tensor, Loc loc = Loc::current());
Tensor zeros_(Tensor tensor, Loc loc = Loc::current());
/// The identity matrix (a 2-D tensor; ones on the diagonal).
Tensor eye_(Tensor tensor, Loc loc = Loc::current());
/// A (semi-)orthogonal matrix times `gain`: the rows (or columns, whichever
/// are fewer) of the tensor flattened to [size(0), rest] are orthonormal.
Tensor orthogonal_(Tensor tensor, double gain = 1, Loc loc = Loc::current());
/// The Dirac delta of a 3-, 4- or 5-D convolution weight: the layer passes
/// its input's channels through (in `groups` groups).
Tensor dirac_(Tensor tensor, int64_t groups = 1, Loc loc = Loc::current());
/// A sparse 2-D tensor: normal with std `std`, with a `sparsity` fraction
/// of each column zero.
Tensor sparse_(Tensor tensor, double sparsity, double std = 0.01,
               Loc loc = Loc::current());

/// Glorot: uniform in +-gain sqrt(6 / (fan_in + fan_out)). The fans of a
/// [out, in, k...] tensor are in and out times the kernel's size.
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0,
                       Loc loc = Loc::current());
/// Glorot: normal with std gain sqrt(2 / (fan_in + fan_out)).
Tensor xavier_normal_(Tensor tensor, double gain = 1.0,
                      Loc loc = Loc::current());

/// He: uniform in +-gain sqrt(3 / fan), with the gain of `nonlinearity`
/// (whose slope is `a` for "leaky_relu") and the fan `mode` ("fan_in" or
/// "fan_out").
Tensor kaiming_uniform_(Tensor tensor, double a = 0,
                        const std::string &mode = "fan_in",
                        const std::string &nonlinearity = "leaky_relu",
                        Loc loc = Loc::current());
/// He: normal with std gain / sqrt(fan).
Tensor kaiming_normal_(Tensor tensor, double a = 0,
                       const std::string &mode = "fan_in",
                       const std::string &nonlinearity = "leaky_relu",
                       Loc loc = Loc::current());

} // namespace init

} // namespace kiln::nn

#endif // KILN_FRONTEND_NN_H
