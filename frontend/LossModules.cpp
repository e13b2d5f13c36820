//===- LossModules.cpp - The loss modules (kiln::nn) ----------------------===//
#include "kiln/frontend/Loss.h"
#include "kiln/frontend/NNFunctional.h"

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

} // namespace kiln::nn
