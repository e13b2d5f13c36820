//===- LossOptions.h - The options of the losses and distances -*- C++ -*-===//
//
// LibTorch's options of the loss modules, which are also the options of the
// functional losses: `nn::CrossEntropyLoss(nn::CrossEntropyLossOptions()
// .ignore_index(0))` and `F::cross_entropy(x, y,
// F::CrossEntropyFuncOptions().label_smoothing(0.1))` take the same type.
// `reduction` is kiln::kMean, kiln::kSum or kiln::kNone (KLDiv also takes
// kiln::kBatchMean), or the same name as a string.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_LOSSOPTIONS_H
#define KILN_FRONTEND_LOSSOPTIONS_H

#include "kiln/frontend/Enum.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/Tensor.h"

namespace kiln::nn {

/// Options of MSELoss and L1Loss.
struct MSELossOptions {
  MSELossOptions() = default;
  /* implicit */ MSELossOptions(Mode reduction)
      : reduction_(std::move(reduction)) {}
  KILN_ARG(Mode, reduction) = kMean;
};
using L1LossOptions = MSELossOptions;

/// Options of SmoothL1Loss: quadratic below `beta`, linear above.
struct SmoothL1LossOptions {
  SmoothL1LossOptions() = default;
  /* implicit */ SmoothL1LossOptions(Mode reduction)
      : reduction_(std::move(reduction)) {}
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(double, beta) = 1.0;
};

/// Options of HuberLoss: quadratic below `delta`, linear (of slope delta)
/// above.
struct HuberLossOptions {
  HuberLossOptions() = default;
  /* implicit */ HuberLossOptions(Mode reduction)
      : reduction_(std::move(reduction)) {}
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(double, delta) = 1.0;
};

/// Options of BCELoss: `weight` (broadcast to the input) scales each term.
struct BCELossOptions {
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of BCEWithLogitsLoss: `pos_weight` (broadcast over the classes,
/// the last dimension) scales the positive term.
struct BCEWithLogitsLossOptions {
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(Tensor, pos_weight) = {};
};

/// Options of NLLLoss: `weight` [C] per class; targets equal to
/// `ignore_index` add nothing.
struct NLLLossOptions {
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(int64_t, ignore_index) = -100;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of CrossEntropyLoss: NLLLoss's, and `label_smoothing` in [0, 1].
struct CrossEntropyLossOptions {
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(int64_t, ignore_index) = -100;
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(double, label_smoothing) = 0.0;
};

/// Options of KLDivLoss: `reduction` may also be kiln::kBatchMean (the sum
/// divided by the batch size, the mathematically right one); with
/// `log_target` the target holds log-probabilities.
struct KLDivLossOptions {
  KLDivLossOptions() = default;
  /* implicit */ KLDivLossOptions(Mode reduction)
      : reduction_(std::move(reduction)) {}
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(bool, log_target) = false;
};

/// Options of CosineSimilarity: along `dim`, each norm clamped to at least
/// `eps`.
struct CosineSimilarityOptions {
  KILN_ARG(int64_t, dim) = 1;
  KILN_ARG(double, eps) = 1e-8;
};

namespace functional {
using MSELossFuncOptions = MSELossOptions;
using L1LossFuncOptions = L1LossOptions;
using SmoothL1LossFuncOptions = SmoothL1LossOptions;
using HuberLossFuncOptions = HuberLossOptions;
using BinaryCrossEntropyFuncOptions = BCELossOptions;
using BinaryCrossEntropyWithLogitsFuncOptions = BCEWithLogitsLossOptions;
using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
using KLDivFuncOptions = KLDivLossOptions;
using CosineSimilarityFuncOptions = CosineSimilarityOptions;
} // namespace functional

} // namespace kiln::nn

#endif // KILN_FRONTEND_LOSSOPTIONS_H
