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

#include <functional>
#include <optional>

namespace kiln::nn {

/// The constructors of the options LibTorch builds from a reduction alone:
/// `nn::MSELoss(kiln::kSum)`, `nn::MSELossOptions("sum")`.
#define KILN_REDUCTION_CONSTRUCTORS(Options)                                   \
  Options() = default;                                                         \
  /* implicit */ Options(Mode reduction) : reduction_(std::move(reduction)) {} \
  template <ModeConstant E>                                                    \
  /* implicit */ Options(E reduction) : reduction_(reduction) {}

/// Options of MSELoss and L1Loss.
struct MSELossOptions {
  KILN_REDUCTION_CONSTRUCTORS(MSELossOptions)
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};
using L1LossOptions = MSELossOptions;

/// Options of SmoothL1Loss: quadratic below `beta`, linear above.
struct SmoothL1LossOptions {
  KILN_REDUCTION_CONSTRUCTORS(SmoothL1LossOptions)
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(double, beta) = 1.0;
};

/// Options of HuberLoss: quadratic below `delta`, linear (of slope delta)
/// above.
struct HuberLossOptions {
  KILN_REDUCTION_CONSTRUCTORS(HuberLossOptions)
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(double, delta) = 1.0;
};

/// Options of BCELoss: `weight` (broadcast to the input) scales each term.
struct BCELossOptions {
  KILN_ARG(Tensor, weight) = {};

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of BCEWithLogitsLoss: `pos_weight` (broadcast over the classes,
/// the last dimension) scales the positive term.
struct BCEWithLogitsLossOptions {
  KILN_ARG(Tensor, weight) = {};

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(Tensor, pos_weight) = {};
};

/// Options of NLLLoss: `weight` [C] per class; targets equal to
/// `ignore_index` add nothing.
struct NLLLossOptions {
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(int64_t, ignore_index) = -100;

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of CrossEntropyLoss: NLLLoss's, and `label_smoothing` in [0, 1].
struct CrossEntropyLossOptions {
  KILN_ARG(Tensor, weight) = {};
  KILN_ARG(int64_t, ignore_index) = -100;

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(double, label_smoothing) = 0.0;
};

/// Options of KLDivLoss: `reduction` may also be kiln::kBatchMean (the sum
/// divided by the batch size, the mathematically right one); with
/// `log_target` the target holds log-probabilities.
struct KLDivLossOptions {
  KILN_REDUCTION_CONSTRUCTORS(KLDivLossOptions)
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
  KILN_ARG(bool, log_target) = false;
};

/// Options of CosineSimilarity: along `dim`, each norm clamped to at least
/// `eps`.
struct CosineSimilarityOptions {
  KILN_ARG(int64_t, dim) = 1;
  KILN_ARG(double, eps) = 1e-8;
};

/// Options of MarginRankingLoss: max(0, -y (x1 - x2) + margin).
struct MarginRankingLossOptions {
  KILN_ARG(double, margin) = 0;

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of HingeEmbeddingLoss: x where y is 1, max(0, margin - x) where y
/// is -1.
struct HingeEmbeddingLossOptions {
  KILN_ARG(double, margin) = 1.0;

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of SoftMarginLoss: log(1 + exp(-y x)).
struct SoftMarginLossOptions {
  KILN_REDUCTION_CONSTRUCTORS(SoftMarginLossOptions)
public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of MultiMarginLoss: the hinge of every other class against the
/// target class, to the power `p` (1 or 2), scaled by the target class's
/// `weight` [C] when defined.
struct MultiMarginLossOptions {
  KILN_ARG(int64_t, p) = 1;
  KILN_ARG(double, margin) = 1.0;
  KILN_ARG(Tensor, weight) = {};

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of MultiLabelMarginLoss.
struct MultiLabelMarginLossOptions {
  KILN_REDUCTION_CONSTRUCTORS(MultiLabelMarginLossOptions)
public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of MultiLabelSoftMarginLoss: `weight` [C] scales each class.
struct MultiLabelSoftMarginLossOptions {
  KILN_ARG(Tensor, weight) = {};

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of CosineEmbeddingLoss: 1 - cos where y is 1, max(0, cos -
/// margin) where y is -1.
struct CosineEmbeddingLossOptions {
  KILN_ARG(double, margin) = 0.0;

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of TripletMarginLoss: max(0, margin + d(a, p) - d(a, n)) with the
/// p-norm distance; `swap` uses d(p, n) where it is smaller than d(a, n).
struct TripletMarginLossOptions {
  KILN_ARG(double, margin) = 1.0;
  KILN_ARG(double, p) = 2.0;
  KILN_ARG(double, eps) = 1e-6;
  KILN_ARG(bool, swap) = false;

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of TripletMarginWithDistanceLoss: the triplet loss with any
/// distance (F::pairwise_distance when none is given).
struct TripletMarginWithDistanceLossOptions {
  using distance_function_t =
      std::function<Tensor(const Tensor &, const Tensor &)>;
  KILN_ARG(std::optional<distance_function_t>,
           distance_function) = std::nullopt;
  KILN_ARG(double, margin) = 1.0;
  KILN_ARG(bool, swap) = false;

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
};

/// Options of PoissonNLLLoss: exp(x) - y x of log-rates (`log_input`), or
/// x - y log(x + eps) of rates; `full` adds Stirling's approximation of
/// log(y!) where y > 1.
struct PoissonNLLLossOptions {
  KILN_ARG(bool, log_input) = true;
  KILN_ARG(bool, full) = false;
  KILN_ARG(double, eps) = 1e-8;

public:
  using reduction_t = Mode;
  KILN_ARG(Mode, reduction) = kMean;
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
using MarginRankingLossFuncOptions = MarginRankingLossOptions;
using HingeEmbeddingLossFuncOptions = HingeEmbeddingLossOptions;
using SoftMarginLossFuncOptions = SoftMarginLossOptions;
using MultiMarginLossFuncOptions = MultiMarginLossOptions;
using MultilabelMarginLossFuncOptions = MultiLabelMarginLossOptions;
using MultilabelSoftMarginLossFuncOptions = MultiLabelSoftMarginLossOptions;
using MultiLabelMarginLossFuncOptions = MultiLabelMarginLossOptions;
using MultiLabelSoftMarginLossFuncOptions = MultiLabelSoftMarginLossOptions;
using CosineEmbeddingLossFuncOptions = CosineEmbeddingLossOptions;
using TripletMarginLossFuncOptions = TripletMarginLossOptions;
using TripletMarginWithDistanceLossFuncOptions =
    TripletMarginWithDistanceLossOptions;
using PoissonNLLLossFuncOptions = PoissonNLLLossOptions;
} // namespace functional

} // namespace kiln::nn

#undef KILN_REDUCTION_CONSTRUCTORS

#endif // KILN_FRONTEND_LOSSOPTIONS_H
