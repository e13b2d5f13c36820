//===- LossModules.cpp - The loss modules (kiln::nn) ----------------------===//
#include "kiln/frontend/Loss.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/runtime/Error.h"

namespace kiln::nn {

namespace F = functional;

MSELossImpl::MSELossImpl(MSELossOptions options)
    : options(std::move(options)) {}
Tensor MSELossImpl::forward(const Tensor &input, const Tensor &target) {
  return F::mse_loss(input, target, options);
}
void MSELossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::MSELoss()";
}

L1LossImpl::L1LossImpl(L1LossOptions options) : options(std::move(options)) {}
Tensor L1LossImpl::forward(const Tensor &input, const Tensor &target) {
  return F::l1_loss(input, target, options);
}
void L1LossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::L1Loss()";
}

SmoothL1LossImpl::SmoothL1LossImpl(SmoothL1LossOptions options)
    : options(std::move(options)) {}
Tensor SmoothL1LossImpl::forward(const Tensor &input, const Tensor &target) {
  return F::smooth_l1_loss(input, target, options);
}
void SmoothL1LossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::SmoothL1Loss()";
}

HuberLossImpl::HuberLossImpl(HuberLossOptions options)
    : options(std::move(options)) {}
Tensor HuberLossImpl::forward(const Tensor &input, const Tensor &target) {
  return F::huber_loss(input, target, options);
}
void HuberLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::HuberLoss()";
}

BCELossImpl::BCELossImpl(BCELossOptions options) : options(std::move(options)) {
  if (this->options.weight().defined())
    weight = register_buffer("weight", this->options.weight());
}
Tensor BCELossImpl::forward(const Tensor &input, const Tensor &target) {
  BCELossOptions current = options;
  current.weight(weight);
  return F::binary_cross_entropy(input, target, current);
}
void BCELossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::BCELoss()";
}

BCEWithLogitsLossImpl::BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options)
    : options(std::move(options)) {
  if (this->options.weight().defined())
    weight = register_buffer("weight", this->options.weight());
  if (this->options.pos_weight().defined())
    pos_weight = register_buffer("pos_weight", this->options.pos_weight());
}
Tensor BCEWithLogitsLossImpl::forward(const Tensor &input,
                                      const Tensor &target) {
  BCEWithLogitsLossOptions current = options;
  current.weight(weight).pos_weight(pos_weight);
  return F::binary_cross_entropy_with_logits(input, target, current);
}
void BCEWithLogitsLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::BCEWithLogitsLoss()";
}

NLLLossImpl::NLLLossImpl(NLLLossOptions options) : options(std::move(options)) {
  if (this->options.weight().defined())
    weight = register_buffer("weight", this->options.weight());
}
Tensor NLLLossImpl::forward(const Tensor &input, const Tensor &target) {
  NLLLossOptions current = options;
  current.weight(weight);
  return F::nll_loss(input, target, current);
}
void NLLLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::NLLLoss()";
}

CrossEntropyLossImpl::CrossEntropyLossImpl(CrossEntropyLossOptions options)
    : options(std::move(options)) {
  if (this->options.weight().defined())
    weight = register_buffer("weight", this->options.weight());
}
Tensor CrossEntropyLossImpl::forward(const Tensor &input,
                                     const Tensor &target) {
  CrossEntropyLossOptions current = options;
  current.weight(weight);
  return F::cross_entropy(input, target, current);
}
void CrossEntropyLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::CrossEntropyLoss()";
}

KLDivLossImpl::KLDivLossImpl(KLDivLossOptions options)
    : options(std::move(options)) {}
Tensor KLDivLossImpl::forward(const Tensor &input, const Tensor &target) {
  return F::kl_div(input, target, options);
}
void KLDivLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::KLDivLoss()";
}

Tensor CosineSimilarityImpl::forward(const Tensor &input1,
                                     const Tensor &input2) {
  return F::cosine_similarity(input1, input2, options);
}
void CosineSimilarityImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::CosineSimilarity(dim=" << options.dim()
     << ", eps=" << options.eps() << ")";
}

MarginRankingLossImpl::MarginRankingLossImpl(MarginRankingLossOptions options_)
    : options(std::move(options_)) {}
Tensor MarginRankingLossImpl::forward(const Tensor &input1,
                                      const Tensor &input2,
                                      const Tensor &target) {
  return F::margin_ranking_loss(input1, input2, target, options);
}
void MarginRankingLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::MarginRankingLoss()";
}

HingeEmbeddingLossImpl::HingeEmbeddingLossImpl(
    HingeEmbeddingLossOptions options_)
    : options(std::move(options_)) {}
Tensor HingeEmbeddingLossImpl::forward(const Tensor &input,
                                       const Tensor &target) {
  return F::hinge_embedding_loss(input, target, options);
}
void HingeEmbeddingLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::HingeEmbeddingLoss(margin=" << options.margin() << ")";
}

SoftMarginLossImpl::SoftMarginLossImpl(SoftMarginLossOptions options_)
    : options(std::move(options_)) {}
Tensor SoftMarginLossImpl::forward(const Tensor &input, const Tensor &target) {
  return F::soft_margin_loss(input, target, options);
}
void SoftMarginLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::SoftMarginLoss()";
}

MultiLabelMarginLossImpl::MultiLabelMarginLossImpl(
    MultiLabelMarginLossOptions options_)
    : options(std::move(options_)) {}
Tensor MultiLabelMarginLossImpl::forward(const Tensor &input,
                                         const Tensor &target) {
  return F::multilabel_margin_loss(input, target, options);
}
void MultiLabelMarginLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::MultiLabelMarginLoss()";
}

CosineEmbeddingLossImpl::CosineEmbeddingLossImpl(
    CosineEmbeddingLossOptions options_)
    : options(std::move(options_)) {}
Tensor CosineEmbeddingLossImpl::forward(const Tensor &input1,
                                        const Tensor &input2,
                                        const Tensor &target) {
  return F::cosine_embedding_loss(input1, input2, target, options);
}
void CosineEmbeddingLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::CosineEmbeddingLoss(margin=" << options.margin() << ")";
}

TripletMarginLossImpl::TripletMarginLossImpl(TripletMarginLossOptions options_)
    : options(std::move(options_)) {}
Tensor TripletMarginLossImpl::forward(const Tensor &anchor,
                                      const Tensor &positive,
                                      const Tensor &negative) {
  return F::triplet_margin_loss(anchor, positive, negative, options);
}
void TripletMarginLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::TripletMarginLoss(margin=" << options.margin()
     << ", p=" << options.p() << ", eps=" << options.eps() << std::boolalpha
     << ", swap=" << options.swap() << ")";
}

TripletMarginWithDistanceLossImpl::TripletMarginWithDistanceLossImpl(
    TripletMarginWithDistanceLossOptions options_)
    : options(std::move(options_)) {}
Tensor TripletMarginWithDistanceLossImpl::forward(const Tensor &anchor,
                                                  const Tensor &positive,
                                                  const Tensor &negative) {
  return F::triplet_margin_with_distance_loss(anchor, positive, negative,
                                              options);
}
void TripletMarginWithDistanceLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::TripletMarginWithDistanceLoss(margin=" << options.margin()
     << std::boolalpha << ", swap=" << options.swap() << ")";
}

PoissonNLLLossImpl::PoissonNLLLossImpl(PoissonNLLLossOptions options_)
    : options(std::move(options_)) {}
Tensor PoissonNLLLossImpl::forward(const Tensor &input, const Tensor &target) {
  return F::poisson_nll_loss(input, target, options);
}
void PoissonNLLLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::PoissonNLLLoss()";
}

MultiMarginLossImpl::MultiMarginLossImpl(MultiMarginLossOptions options_)
    : options(std::move(options_)) {
  if (options.p() != 1 && options.p() != 2)
    throw Error("MultiMarginLoss: p must be 1 or 2, got " +
                std::to_string(options.p()));
  if (options.weight().defined()) {
    if (options.weight().dim() != 1)
      throw Error("MultiMarginLoss: weight must be 1-d, got " +
                  std::to_string(options.weight().dim()) + " dimensions");
    weight = register_buffer("weight", options.weight());
  }
}
Tensor MultiMarginLossImpl::forward(const Tensor &input, const Tensor &target) {
  MultiMarginLossOptions current = options;
  current.weight(weight);
  return F::multi_margin_loss(input, target, current);
}
void MultiMarginLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::MultiMarginLoss(p=" << options.p()
     << ", margin=" << options.margin() << ", weight=";
  if (weight.defined())
    os << weight;
  else
    os << "[ Tensor (undefined) ]";
  os << ", reduction=" << options.reduction().str() << ")";
}

MultiLabelSoftMarginLossImpl::MultiLabelSoftMarginLossImpl(
    MultiLabelSoftMarginLossOptions options_)
    : options(std::move(options_)) {
  if (options.weight().defined())
    weight = register_buffer("weight", options.weight());
}
Tensor MultiLabelSoftMarginLossImpl::forward(const Tensor &input,
                                             const Tensor &target) {
  MultiLabelSoftMarginLossOptions current = options;
  current.weight(weight);
  return F::multilabel_soft_margin_loss(input, target, current);
}
void MultiLabelSoftMarginLossImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::MultiLabelSoftMarginLoss()";
}

} // namespace kiln::nn
