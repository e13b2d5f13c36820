//===- NormLayers.h - More normalization, dropout and small layers -*- C++ -*-===//
//
// LibTorch's InstanceNorm1d/2d/3d (F::instance_norm per sample and
// channel, with optional affine parameters and running statistics),
// BatchNorm3d, LocalResponseNorm, the dropouts beside Dropout and
// Dropout2d: Dropout3d (whole channels), AlphaDropout and
// FeatureAlphaDropout (which keep a SELU network's mean and variance),
// Bilinear and Softmax2d, with their functional forms, and F::one_hot.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_NORMLAYERS_H
#define KILN_FRONTEND_NORMLAYERS_H

#include "kiln/frontend/Module.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/NN.h"
#include "kiln/frontend/Tensor.h"

#include <optional>
#include <ostream>

namespace kiln::nn {

using InstanceNorm3dOptions = InstanceNormOptions;
using BatchNorm3dOptions = BatchNormOptions;
using FeatureAlphaDropoutOptions = DropoutOptions;

/// Options of LocalResponseNorm: each element divided by
/// (k + alpha * mean of the squares over `size` neighbouring channels)^beta.
struct LocalResponseNormOptions {
  /* implicit */ LocalResponseNormOptions(int64_t size) : size_(size) {}
  KILN_ARG(int64_t, size);
  KILN_ARG(double, alpha) = 1e-4;
  KILN_ARG(double, beta) = 0.75;
  KILN_ARG(double, k) = 1.0;
};

/// Options of Bilinear: y = x1^T W x2 + b.
struct BilinearOptions {
  BilinearOptions(int64_t in1_features, int64_t in2_features,
                  int64_t out_features)
      : in1_features_(in1_features), in2_features_(in2_features),
        out_features_(out_features) {}
  KILN_ARG(int64_t, in1_features);
  KILN_ARG(int64_t, in2_features);
  KILN_ARG(int64_t, out_features);
  KILN_ARG(bool, bias) = true;
};

/// Options of RReLU: a negative input's slope drawn uniformly from
/// [lower, upper] in training, their mean in evaluation.
struct RReLUOptions {
  KILN_ARG(double, lower) = 1.0 / 8.0;
  KILN_ARG(double, upper) = 1.0 / 3.0;
  KILN_ARG(bool, inplace) = false;
};

/// Options of EmbeddingBag: `num_embeddings` rows of `embedding_dim`,
/// reduced per bag by `mode` (kSum, kMean or kMax); `padding_idx`'s
/// entries are left out of their bags; rows looked up are renormalized to
/// `max_norm`; `scale_grad_by_freq` divides a row's gradient by its count
/// in the batch; `sparse` is accepted, the gradient staying dense.
struct EmbeddingBagOptions {
  EmbeddingBagOptions(int64_t num_embeddings, int64_t embedding_dim)
      : num_embeddings_(num_embeddings), embedding_dim_(embedding_dim) {}
  KILN_ARG(int64_t, num_embeddings);
  KILN_ARG(int64_t, embedding_dim);
  KILN_ARG(std::optional<double>, max_norm) = std::nullopt;
  KILN_ARG(double, norm_type) = 2.;
  KILN_ARG(bool, scale_grad_by_freq) = false;
  KILN_ARG(Mode, mode) = kMean;
  KILN_ARG(bool, sparse) = false;
  KILN_ARG(Tensor, _weight) = {};
  KILN_ARG(bool, include_last_offset) = false;
  KILN_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
};

/// Options of EmbeddingBag::from_pretrained: the module's, and whether the
/// weight stays fixed (`freeze`, the default) or trains.
struct EmbeddingBagFromPretrainedOptions {
  KILN_ARG(bool, freeze) = true;
  KILN_ARG(std::optional<double>, max_norm) = std::nullopt;
  KILN_ARG(double, norm_type) = 2.;
  KILN_ARG(bool, scale_grad_by_freq) = false;
  KILN_ARG(Mode, mode) = kMean;
  KILN_ARG(bool, sparse) = false;
  KILN_ARG(bool, include_last_offset) = false;
  KILN_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
};

namespace functional {

/// Options of F::embedding_bag: the module's, with the `offsets` (where
/// each bag of a 1-d input starts) and `per_sample_weights` (kSum only).
struct EmbeddingBagFuncOptions {
  KILN_ARG(Tensor, offsets) = {};
  KILN_ARG(std::optional<double>, max_norm) = std::nullopt;
  KILN_ARG(double, norm_type) = 2.;
  KILN_ARG(bool, scale_grad_by_freq) = false;
  KILN_ARG(Mode, mode) = kMean;
  KILN_ARG(bool, sparse) = false;
  KILN_ARG(Tensor, per_sample_weights) = {};
  KILN_ARG(bool, include_last_offset) = false;
  KILN_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
};

/// The sum, mean or maximum of each bag's rows of `weight`: the rows of a
/// 2-d `input` [B, N] are its bags; a 1-d input is cut at `offsets` [B].
/// An empty bag gives zeros.
Tensor embedding_bag(const Tensor &input, const Tensor &weight,
                     const EmbeddingBagFuncOptions &options = {},
                     Loc loc = Loc::current());

/// Options of F::rrelu; unlike the module, not training unless set.
struct RReLUFuncOptions {
  KILN_ARG(double, lower) = 1.0 / 8.0;
  KILN_ARG(double, upper) = 1.0 / 3.0;
  KILN_ARG(bool, training) = false;
  KILN_ARG(bool, inplace) = false;
};

/// The randomized leaky ReLU.
Tensor rrelu(const Tensor &input, const RReLUFuncOptions &options = {},
             Loc loc = Loc::current());

using LocalResponseNormFuncOptions = LocalResponseNormOptions;

/// Local response normalization across the channels (dimension 1) of
/// [N, C, ...].
Tensor local_response_norm(const Tensor &input,
                           const LocalResponseNormFuncOptions &options,
                           Loc loc = Loc::current());
/// x1^T W x2 + b for each row: x1 [N, in1], x2 [N, in2], weight
/// [out, in1, in2], bias [out] when defined.
Tensor bilinear(const Tensor &input1, const Tensor &input2,
                const Tensor &weight, const Tensor &bias = {},
                Loc loc = Loc::current());
/// 1 at each class index (int64), 0 elsewhere, in a new last dimension of
/// `num_classes` (one more than the largest index when -1).
Tensor one_hot(const Tensor &tensor, int64_t num_classes = -1,
               Loc loc = Loc::current());

using Dropout2dFuncOptions = DropoutFuncOptions;
using Dropout3dFuncOptions = DropoutFuncOptions;

/// Options of F::alpha_dropout and F::feature_alpha_dropout; unlike
/// F::dropout's, `training` is false unless set.
struct AlphaDropoutFuncOptions {
  KILN_ARG(double, p) = 0.5;
  KILN_ARG(bool, training) = false;
  KILN_ARG(bool, inplace) = false;
};
using FeatureAlphaDropoutFuncOptions = AlphaDropoutFuncOptions;

/// Zeroes whole channels of [N, C, H, W] (or [C, H, W]) with probability
/// p and scales the rest by 1 / (1 - p), when `training`.
Tensor dropout2d(const Tensor &input, const Dropout2dFuncOptions &options = {},
                 Loc loc = Loc::current());
/// The same over [N, C, D, H, W] (or [C, D, H, W]).
Tensor dropout3d(const Tensor &input, const Dropout3dFuncOptions &options = {},
                 Loc loc = Loc::current());
/// Sets elements to SELU's negative saturation with probability p, then
/// scales and shifts so that zero-mean unit-variance inputs keep those
/// statistics, when `training`.
Tensor alpha_dropout(const Tensor &input,
                     const AlphaDropoutFuncOptions &options = {},
                     Loc loc = Loc::current());
/// alpha_dropout of whole channels (dimension 1).
Tensor feature_alpha_dropout(const Tensor &input,
                             const FeatureAlphaDropoutFuncOptions &options = {},
                             Loc loc = Loc::current());

} // namespace functional

/// Instance normalization over D spatial dimensions: each sample's channels
/// normalized by their own statistics (or, in eval mode with
/// `track_running_stats`, by the running ones).
template <size_t D>
class InstanceNormImpl
    : public detail::ClonableFromOptions<InstanceNormImpl<D>> {
public:
  explicit InstanceNormImpl(const InstanceNormOptions &options);
  void reset();
  void reset_parameters();
  void reset_running_stats();
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;

  InstanceNormOptions options;
  Tensor weight, bias;                                   ///< [C] with affine
  Tensor running_mean, running_var, num_batches_tracked; ///< when tracked
};
using InstanceNorm1dImpl = InstanceNormImpl<1>;
using InstanceNorm2dImpl = InstanceNormImpl<2>;
using InstanceNorm3dImpl = InstanceNormImpl<3>;
KILN_MODULE(InstanceNorm1d);
KILN_MODULE(InstanceNorm2d);
KILN_MODULE(InstanceNorm3d);

/// Batch normalization over the channels of [N, C, D, H, W].
class BatchNorm3dImpl
    : public detail::ClonableFromOptions<BatchNorm3dImpl, BatchNormImplBase> {
public:
  explicit BatchNorm3dImpl(const BatchNormOptions &options)
      : ClonableFromOptions(options, 3) {}
};
KILN_MODULE(BatchNorm3d);

#define KILN_DROPOUT_LAYER(Name)                                               \
  class Name##Impl : public detail::ClonableFromOptions<Name##Impl> {          \
  public:                                                                      \
    explicit Name##Impl(const DropoutOptions &options = {})                    \
        : options(options) {}                                                  \
    explicit Name##Impl(double p) : Name##Impl(DropoutOptions(p)) {}           \
    Tensor forward(const Tensor &input);                                       \
    void pretty_print(std::ostream &stream) const override;                    \
    DropoutOptions options;                                                    \
  };                                                                           \
  KILN_MODULE(Name)

/// Zeroes whole channels of [N, C, D, H, W] inputs in training mode.
KILN_DROPOUT_LAYER(Dropout3d);
/// F::alpha_dropout in training mode.
KILN_DROPOUT_LAYER(AlphaDropout);
/// F::feature_alpha_dropout in training mode.
KILN_DROPOUT_LAYER(FeatureAlphaDropout);

#undef KILN_DROPOUT_LAYER

class LocalResponseNormImpl
    : public detail::ClonableFromOptions<LocalResponseNormImpl> {
public:
  explicit LocalResponseNormImpl(const LocalResponseNormOptions &options)
      : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  LocalResponseNormOptions options;
};
KILN_MODULE(LocalResponseNorm);

/// x1^T W x2 + b; weight and bias uniform in +-1/sqrt(in1_features), as
/// PyTorch's.
class BilinearImpl : public detail::ClonableFromOptions<BilinearImpl> {
public:
  explicit BilinearImpl(const BilinearOptions &options);
  BilinearImpl(int64_t in1_features, int64_t in2_features, int64_t out_features)
      : BilinearImpl(
            BilinearOptions(in1_features, in2_features, out_features)) {}
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &input1, const Tensor &input2);
  void pretty_print(std::ostream &stream) const override;
  BilinearOptions options;
  Tensor weight, bias;
};
KILN_MODULE(Bilinear);

/// Bags of embeddings reduced to one vector each (F::embedding_bag); the
/// weight starts from N(0, 1), as PyTorch's.
class EmbeddingBagImpl : public detail::ClonableFromOptions<EmbeddingBagImpl> {
public:
  explicit EmbeddingBagImpl(const EmbeddingBagOptions &options);
  EmbeddingBagImpl(int64_t num_embeddings, int64_t embedding_dim)
      : EmbeddingBagImpl(EmbeddingBagOptions(num_embeddings, embedding_dim)) {}
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor &input, const Tensor &offsets = {},
                 const Tensor &per_sample_weights = {});
  void pretty_print(std::ostream &stream) const override;
  EmbeddingBagOptions options;
  Tensor weight;
};

/// The holder of EmbeddingBagImpl, with LibTorch's `from_pretrained`.
class EmbeddingBag : public ModuleHolder<EmbeddingBagImpl> {
public:
  using ModuleHolder<EmbeddingBagImpl>::ModuleHolder;
  using Impl = EmbeddingBagImpl;
  /// An EmbeddingBag whose weight is `embeddings` [num_embeddings, dim]
  /// itself (shared), fixed unless `freeze(false)`.
  static EmbeddingBag
  from_pretrained(const Tensor &embeddings,
                  const EmbeddingBagFromPretrainedOptions &options = {});
};

/// The randomized leaky ReLU (F::rrelu, training in training mode).
class RReLUImpl : public detail::ClonableFromOptions<RReLUImpl> {
public:
  explicit RReLUImpl(const RReLUOptions &options = {}) : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  RReLUOptions options;
};
KILN_MODULE(RReLU);

/// Softmax over the channels (dimension -3) of [N, C, H, W] or [C, H, W].
class Softmax2dImpl : public detail::ClonableFromOptions<Softmax2dImpl> {
public:
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
};
KILN_MODULE(Softmax2d);

} // namespace kiln::nn

#endif // KILN_FRONTEND_NORMLAYERS_H
