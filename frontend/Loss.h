//===- Loss.h - The loss modules (kiln::nn) ---------------------*- C++ -*-===//
//
// LibTorch's loss modules: `nn::CrossEntropyLoss
// criterion(nn::CrossEntropyLossOptions().ignore_index(0));` then
// `criterion(logits, targets)`. Each computes its nn::functional loss with
// its options (LossOptions.h); a class `weight` is a buffer, so that it
// moves with the module.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_LOSS_H
#define KILN_FRONTEND_LOSS_H

#include "kiln/frontend/LossOptions.h"
#include "kiln/frontend/Module.h"
#include "kiln/frontend/Tensor.h"

#include <ostream>

namespace kiln::nn {

/// The mean squared error (input - target)^2.
class MSELossImpl : public detail::ClonableFromOptions<MSELossImpl> {
public:
  explicit MSELossImpl(MSELossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  MSELossOptions options;
};
KILN_MODULE(MSELoss);

/// The mean absolute error |input - target|.
class L1LossImpl : public detail::ClonableFromOptions<L1LossImpl> {
public:
  explicit L1LossImpl(L1LossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  L1LossOptions options;
};
KILN_MODULE(L1Loss);

/// Quadratic below `beta`, linear above (F::smooth_l1_loss).
class SmoothL1LossImpl : public detail::ClonableFromOptions<SmoothL1LossImpl> {
public:
  explicit SmoothL1LossImpl(SmoothL1LossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  SmoothL1LossOptions options;
};
KILN_MODULE(SmoothL1Loss);

/// Quadratic below `delta`, linear above (F::huber_loss).
class HuberLossImpl : public detail::ClonableFromOptions<HuberLossImpl> {
public:
  explicit HuberLossImpl(HuberLossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  HuberLossOptions options;
};
KILN_MODULE(HuberLoss);

/// Binary cross entropy of probabilities (F::binary_cross_entropy).
class BCELossImpl : public detail::ClonableFromOptions<BCELossImpl> {
public:
  explicit BCELossImpl(BCELossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  BCELossOptions options;
  Tensor weight; ///< the options' weight, a buffer (undefined without one)
};
KILN_MODULE(BCELoss);

/// Binary cross entropy of logits (F::binary_cross_entropy_with_logits).
class BCEWithLogitsLossImpl
    : public detail::ClonableFromOptions<BCEWithLogitsLossImpl> {
public:
  explicit BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  BCEWithLogitsLossOptions options;
  Tensor weight; ///< the options' weight, a buffer (undefined without one)
  Tensor
      pos_weight; ///< the options' pos_weight, a buffer (undefined without one)
};
KILN_MODULE(BCEWithLogitsLoss);

/// Negative log likelihood of class indices (F::nll_loss).
class NLLLossImpl : public detail::ClonableFromOptions<NLLLossImpl> {
public:
  explicit NLLLossImpl(NLLLossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  NLLLossOptions options;
  Tensor weight; ///< the options' weight, a buffer (undefined without one)
};
KILN_MODULE(NLLLoss);

/// Cross entropy of logits against class indices or probabilities (F::cross_entropy).
class CrossEntropyLossImpl
    : public detail::ClonableFromOptions<CrossEntropyLossImpl> {
public:
  explicit CrossEntropyLossImpl(CrossEntropyLossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  CrossEntropyLossOptions options;
  Tensor weight; ///< the options' weight, a buffer (undefined without one)
};
KILN_MODULE(CrossEntropyLoss);

/// Kullback-Leibler divergence of the target from log-probabilities (F::kl_div).
class KLDivLossImpl : public detail::ClonableFromOptions<KLDivLossImpl> {
public:
  explicit KLDivLossImpl(KLDivLossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  KLDivLossOptions options;
};
KILN_MODULE(KLDivLoss);

/// The cosine similarity of two inputs along `dim`
/// (F::cosine_similarity).
class CosineSimilarityImpl
    : public detail::ClonableFromOptions<CosineSimilarityImpl> {
public:
  explicit CosineSimilarityImpl(const CosineSimilarityOptions &options = {})
      : options(options) {}
  Tensor forward(const Tensor &input1, const Tensor &input2);
  void pretty_print(std::ostream &stream) const override;

  CosineSimilarityOptions options;
};
KILN_MODULE(CosineSimilarity);

#define KILN_LOSS_MODULE(Name, Options, ...)                                   \
  class Name##Impl : public detail::ClonableFromOptions<Name##Impl> {          \
  public:                                                                      \
    explicit Name##Impl(Options options_ = {});                                \
    Tensor forward(__VA_ARGS__);                                               \
    void pretty_print(std::ostream &stream) const override;                    \
    Options options;                                                           \
  };                                                                           \
  KILN_MODULE(Name)

/// max(0, -y (x1 - x2) + margin) (F::margin_ranking_loss).
KILN_LOSS_MODULE(MarginRankingLoss, MarginRankingLossOptions,
                 const Tensor &input1, const Tensor &input2,
                 const Tensor &target);
/// x where y is 1, max(0, margin - x) where y is -1
/// (F::hinge_embedding_loss).
KILN_LOSS_MODULE(HingeEmbeddingLoss, HingeEmbeddingLossOptions,
                 const Tensor &input, const Tensor &target);
/// log(1 + exp(-y x)) (F::soft_margin_loss).
KILN_LOSS_MODULE(SoftMarginLoss, SoftMarginLossOptions, const Tensor &input,
                 const Tensor &target);
/// The multi-label hinge loss (F::multilabel_margin_loss).
KILN_LOSS_MODULE(MultiLabelMarginLoss, MultiLabelMarginLossOptions,
                 const Tensor &input, const Tensor &target);
/// 1 - cos where y is 1, max(0, cos - margin) where y is -1
/// (F::cosine_embedding_loss).
KILN_LOSS_MODULE(CosineEmbeddingLoss, CosineEmbeddingLossOptions,
                 const Tensor &input1, const Tensor &input2,
                 const Tensor &target);
/// max(0, margin + d(a, p) - d(a, n)) (F::triplet_margin_loss).
KILN_LOSS_MODULE(TripletMarginLoss, TripletMarginLossOptions,
                 const Tensor &anchor, const Tensor &positive,
                 const Tensor &negative);
/// The triplet loss with any distance (F::triplet_margin_with_distance_loss).
KILN_LOSS_MODULE(TripletMarginWithDistanceLoss,
                 TripletMarginWithDistanceLossOptions, const Tensor &anchor,
                 const Tensor &positive, const Tensor &negative);
/// The Poisson negative log likelihood (F::poisson_nll_loss).
KILN_LOSS_MODULE(PoissonNLLLoss, PoissonNLLLossOptions, const Tensor &input,
                 const Tensor &target);

#undef KILN_LOSS_MODULE

/// The multi-class hinge loss (F::multi_margin_loss).
class MultiMarginLossImpl
    : public detail::ClonableFromOptions<MultiMarginLossImpl> {
public:
  explicit MultiMarginLossImpl(MultiMarginLossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  MultiMarginLossOptions options;
  Tensor weight; ///< the options' weight, a buffer (undefined without one)
};
KILN_MODULE(MultiMarginLoss);

/// The binary cross entropy of logits averaged over the classes
/// (F::multilabel_soft_margin_loss).
class MultiLabelSoftMarginLossImpl
    : public detail::ClonableFromOptions<MultiLabelSoftMarginLossImpl> {
public:
  explicit MultiLabelSoftMarginLossImpl(
      MultiLabelSoftMarginLossOptions options = {});
  Tensor forward(const Tensor &input, const Tensor &target);
  void pretty_print(std::ostream &stream) const override;

  MultiLabelSoftMarginLossOptions options;
  Tensor weight; ///< the options' weight, a buffer (undefined without one)
};
KILN_MODULE(MultiLabelSoftMarginLoss);

} // namespace kiln::nn

#endif // KILN_FRONTEND_LOSS_H
