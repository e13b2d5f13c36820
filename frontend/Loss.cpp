//===- Loss.cpp - Loss functions (kiln::nn::functional) -------------------===//
#include "kiln/frontend/Layers.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/TensorLosses.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <functional>
#include <numbers>

namespace kiln::nn::functional {

using detail::fail;

namespace {

std::string str(const Shape &shape) { return ir::formatShape(shape); }

[[noreturn]] void failReduction(const Mode &reduction, std::string_view choices,
                                std::string_view op, const Loc &loc) {
  fail(loc, op,
       "reduction must be " + std::string(choices) + ", got \"" +
           reduction.str() + "\"");
}

constexpr std::string_view reductions =
    "kiln::kMean, kiln::kSum or kiln::kNone (\"mean\", \"sum\", \"none\")";

Tensor reduce(const Tensor &losses, const Mode &reduction, std::string_view op,
              const Loc &loc) {
  if (reduction == kMean)
    return losses.mean(loc);
  if (reduction == kSum)
    return losses.sum(loc);
  if (reduction == kNone)
    return losses;
  failReduction(reduction, reductions, op, loc);
}

/// Fails unless `reduction` is one `reduce` takes, before any work.
void checkReduction(const Mode &reduction, std::string_view op,
                    const Loc &loc) {
  if (reduction != kMean && reduction != kSum && reduction != kNone)
    failReduction(reduction, reductions, op, loc);
}

void checkSameShape(const Tensor &input, const Tensor &target,
                    std::string_view op, const Loc &loc) {
  detail::checkDefined(input, op, loc);
  detail::checkDefined(target, op, loc);
  if (input.sizes() != target.sizes())
    fail(loc, op,
         "input " + str(input.sizes()) + " and target " + str(target.sizes()) +
             " must have the same shape");
}

void checkFloat(const Tensor &input, std::string_view op, const Loc &loc) {
  if (!input.is_floating_point())
    fail(loc, op,
         "input must be floating point, got " +
             std::string(dtype_name(input.dtype())));
}

/// Checks that `weight`, when defined, broadcasts to `shape`.
void checkBroadcasts(const Tensor &weight, const Shape &shape,
                     std::string_view name, std::string_view op,
                     const Loc &loc) {
  if (weight.defined() && !ir::isBroadcastableTo(weight.sizes(), shape))
    fail(loc, op,
         std::string(name) + " " + str(weight.sizes()) +
             " does not broadcast to the input's shape " + str(shape));
}

void checkClassWeight(const Tensor &weight, int64_t classes,
                      std::string_view op, const Loc &loc) {
  if (weight.defined() && weight.sizes() != Shape{classes})
    fail(loc, op,
         "weight must have shape [" + std::to_string(classes) + "], got " +
             str(weight.sizes()));
}

/// Per-row terms of a loss on class-index targets.
struct TargetTerms {
  Tensor losses;  ///< [N]: -weight[y] * log_probs[y], 0 where ignored
  Tensor weights; ///< [N]: weight[y] (1 without weights), 0 where ignored
  Tensor counted; ///< [N] bool: the target is not ignore_index
};

TargetTerms pickTargets(const Tensor &logProbs, const Tensor &target,
                        const Tensor &weight, int64_t ignoreIndex,
                        std::string_view op, const Loc &loc) {
  if (logProbs.dim() != 2 || target.dim() != 1 ||
      target.size(0) != logProbs.size(0))
    fail(loc, op,
         "expects inputs [N, C] and targets [N], got " + str(logProbs.sizes()) +
             " and " + str(target.sizes()));
  if (!is_integral(target.dtype()))
    fail(loc, op,
         "targets must be class indices (int32/int64), got " +
             std::string(dtype_name(target.dtype())));
  int64_t classes = logProbs.size(1);
  checkClassWeight(weight, classes, op, loc);
  if (!target.is_pending())
    for (int64_t v : target.to_vector<int64_t>())
      if (v != ignoreIndex && (v < 0 || v >= classes))
        fail(loc, op,
             "target " + std::to_string(v) + " is out of range for " +
                 std::to_string(classes) + " classes");
  ScalarType dtype = logProbs.dtype();
  Tensor t = target.to(kInt64, loc);
  Tensor counted = t != ignoreIndex;
  // Each counted row's target class, picked by a one-hot mask.
  Tensor picked =
      (arange(classes, kInt64, loc).unsqueeze(0, loc) == t.unsqueeze(1, loc)) &
      counted.unsqueeze(1, loc);
  Tensor zero = zeros({}, dtype, loc);
  Tensor classWeight = weight.defined()
                           ? weight.to(dtype, loc).unsqueeze(0, loc)
                           : ones({}, dtype, loc);
  Tensor pickedWeight = where(picked, classWeight, zero, loc);
  return {
      -(where(picked, logProbs, zero, loc) * pickedWeight).sum(1, false, loc),
      pickedWeight.sum(1, false, loc), counted};
}

/// Reduces per-row losses; "mean" divides by the summed weight of the
/// counted targets, as PyTorch's nll_loss does.
Tensor reduceWeighted(const Tensor &losses, const Tensor &weights,
                      const Mode &reduction, std::string_view op,
                      const Loc &loc) {
  if (reduction == kMean)
    return losses.sum(loc) / weights.sum(loc);
  return reduce(losses, reduction, op, loc);
}

/// A class loss's input in PyTorch's other layouts, as [N, C] rows: [C] (one
/// sample; a 0-d class index or [C] probabilities) or [N, C, d1, ..., dk] (a
/// class per position; targets [N, d1, ..., dk] or probabilities of the
/// input's shape). `noneShape` is the shape of reduction "none" losses.
struct Rows {
  Tensor input, target;
  Shape noneShape;
};

Rows asRows(const Tensor &input, const Tensor &target, std::string_view op,
            const Loc &loc) {
  if (input.dim() == 0)
    fail(loc, op,
         "expects inputs [C], [N, C] or [N, C, d1, ...], got a 0-d tensor");
  if (input.dim() == 1)
    return {input.unsqueeze(0, loc), target.unsqueeze(0, loc), {}};
  // The class dimension moves last, then every position is a row.
  int64_t classes = input.size(1);
  Shape permutation = {0}, positions = {input.size(0)};
  for (int64_t d = 2; d < input.dim(); ++d) {
    permutation.push_back(d);
    positions.push_back(input.size(d));
  }
  permutation.push_back(1);
  Rows rows;
  rows.input = input.permute(permutation, loc).reshape({-1, classes}, loc);
  rows.noneShape = positions;
  if (target.is_floating_point()) {
    if (target.sizes() != input.sizes())
      fail(loc, op,
           "class probabilities must have the input's shape " +
               str(input.sizes()) + ", got " + str(target.sizes()));
    rows.target = target.permute(permutation, loc).reshape({-1, classes}, loc);
  } else {
    if (target.sizes() != positions)
      fail(loc, op,
           "expects class-index targets " + str(positions) + " for inputs " +
               str(input.sizes()) + ", got " + str(target.sizes()));
    rows.target = target.reshape({-1}, loc);
  }
  return rows;
}

/// PyTorch rejects a binary target of another shape than the input (an
/// [N, 1] output against [N] labels would otherwise broadcast to [N, N]).
void checkBinaryTarget(const Tensor &input, const Tensor &target,
                       std::string_view op, const Loc &loc) {
  detail::checkDefined(input, op, loc);
  detail::checkDefined(target, op, loc);
  if (input.sizes() != target.sizes())
    fail(loc, op,
         "the target " + str(target.sizes()) +
             " must have the same shape as the input " + str(input.sizes()) +
             " (as in PyTorch; e.g. target.view_as(input))");
}

} // namespace

Tensor nll_loss(const Tensor &log_probs, const Tensor &target, Mode reduction,
                const Tensor &weight, int64_t ignore_index, Loc loc) {
  detail::checkDefined(log_probs, "nll_loss", loc);
  detail::checkDefined(target, "nll_loss", loc);
  if (log_probs.dim() != 2) {
    Rows rows = asRows(log_probs, target, "nll_loss", loc);
    Tensor losses =
        nll_loss(rows.input, rows.target, reduction, weight, ignore_index, loc);
    return reduction == kNone ? losses.reshape(rows.noneShape, loc) : losses;
  }
  TargetTerms terms =
      pickTargets(log_probs, target, weight, ignore_index, "nll_loss", loc);
  return reduceWeighted(terms.losses, terms.weights, reduction, "nll_loss",
                        loc);
}

Tensor cross_entropy(const Tensor &logits, const Tensor &target, Mode reduction,
                     const Tensor &weight, int64_t ignore_index,
                     double label_smoothing, Loc loc) {
  detail::checkDefined(logits, "cross_entropy", loc);
  detail::checkDefined(target, "cross_entropy", loc);
  checkFloat(logits, "cross_entropy", loc);
  if (logits.dim() != 2) {
    Rows rows = asRows(logits, target, "cross_entropy", loc);
    Tensor losses = cross_entropy(rows.input, rows.target, reduction, weight,
                                  ignore_index, label_smoothing, loc);
    return reduction == kNone ? losses.reshape(rows.noneShape, loc) : losses;
  }
  if (label_smoothing < 0 || label_smoothing > 1)
    fail(loc, "cross_entropy",
         "label_smoothing must be in [0, 1], got " +
             std::to_string(label_smoothing));
  int64_t classes = logits.size(1);
  checkClassWeight(weight, classes, "cross_entropy", loc);
  Tensor logProbs = logits.log_softmax(1, loc);
  Tensor weighted =
      weight.defined()
          ? logProbs * weight.to(logits.dtype(), loc).unsqueeze(0, loc)
          : logProbs;
  if (target.is_floating_point()) {
    if (target.sizes() != logits.sizes())
      fail(loc, "cross_entropy",
           "targets must be class indices [N] or class probabilities of the "
           "logits' shape " +
               str(logits.sizes()) + ", got " +
               std::string(dtype_name(target.dtype())) + " " +
               str(target.sizes()));
    if (ignore_index >= 0)
      fail(loc, "cross_entropy",
           "ignore_index applies to class-index targets, not to class "
           "probabilities");
    Tensor p = label_smoothing > 0
                   ? target * (1 - label_smoothing) + label_smoothing / classes
                   : target;
    return reduce(-(weighted * p).sum(1, false, loc), reduction,
                  "cross_entropy", loc);
  }
  TargetTerms terms =
      pickTargets(logProbs, target, weight, ignore_index, "cross_entropy", loc);
  Tensor losses = terms.losses;
  if (label_smoothing > 0) {
    // The uniform part of the smoothed target, on the counted rows only.
    Tensor uniform = where(terms.counted, -weighted.sum(1, false, loc),
                           zeros({}, logits.dtype(), loc), loc);
    losses =
        losses * (1 - label_smoothing) + uniform * (label_smoothing / classes);
  }
  return reduceWeighted(losses, terms.weights, reduction, "cross_entropy", loc);
}

Tensor mse_loss(const Tensor &input, const Tensor &target, Mode reduction,
                Loc loc) {
  checkSameShape(input, target, "mse_loss", loc);
  Tensor diff = input - target;
  return reduce(diff * diff, reduction, "mse_loss", loc);
}

Tensor l1_loss(const Tensor &input, const Tensor &target, Mode reduction,
               Loc loc) {
  checkSameShape(input, target, "l1_loss", loc);
  return reduce((input - target).abs(loc), reduction, "l1_loss", loc);
}

Tensor smooth_l1_loss(const Tensor &input, const Tensor &target, Mode reduction,
                      double beta, Loc loc) {
  checkSameShape(input, target, "smooth_l1_loss", loc);
  if (beta < 0)
    fail(loc, "smooth_l1_loss",
         "beta must be non-negative, got " + std::to_string(beta));
  Tensor d = (input - target).abs(loc);
  if (beta == 0)
    return reduce(d, reduction, "smooth_l1_loss", loc);
  return reduce(where(d < beta, d * d * (0.5 / beta), d - 0.5 * beta, loc),
                reduction, "smooth_l1_loss", loc);
}

Tensor binary_cross_entropy(const Tensor &input, const Tensor &target,
                            Mode reduction, const Tensor &weight, Loc loc) {
  checkBinaryTarget(input, target, "binary_cross_entropy", loc);
  checkFloat(input, "binary_cross_entropy", loc);
  checkBroadcasts(weight, input.sizes(), "weight", "binary_cross_entropy", loc);
  // PyTorch clamps the logs at -100, so that p = 0 or 1 gives a finite loss.
  // Where q is 0 the log is taken of 1 and replaced: log's gradient 1/q
  // never meets q = 0, so the gradient stays finite too.
  Tensor floor = full({}, -100, input.dtype(), loc);
  auto clampedLog = [&](const Tensor &q) {
    Tensor positive = q > 0;
    Tensor safe = where(positive, q, ones({}, q.dtype(), loc), loc);
    return where(positive, safe.log(loc).clamp(-100, {}, loc), floor, loc);
  };
  Tensor logP = clampedLog(input);
  Tensor logNotP = clampedLog(1 - input);
  Tensor losses = -(target * logP + (1 - target) * logNotP);
  if (weight.defined())
    losses = losses * weight;
  return reduce(losses, reduction, "binary_cross_entropy", loc);
}

Tensor binary_cross_entropy_with_logits(const Tensor &input,
                                        const Tensor &target, Mode reduction,
                                        const Tensor &weight,
                                        const Tensor &pos_weight, Loc loc) {
  constexpr std::string_view op = "binary_cross_entropy_with_logits";
  checkBinaryTarget(input, target, op, loc);
  checkFloat(input, op, loc);
  checkBroadcasts(weight, input.sizes(), "weight", op, loc);
  checkBroadcasts(pos_weight, input.sizes(), "pos_weight", op, loc);
  // -log sigmoid(x) = log(1 + e^-x) = max(-x, 0) + log1p(e^-|x|), which
  // neither overflows nor loses the small values; -log(1 - sigmoid(x)) is
  // x more than that.
  Tensor softplusNeg =
      (-input).clamp(0, {}, loc) + (-input.abs(loc)).exp(loc).log1p(loc);
  Tensor positive = pos_weight.defined()
                        ? (1 + (pos_weight - 1) * target) * softplusNeg
                        : softplusNeg;
  Tensor losses = (1 - target) * input + positive;
  if (weight.defined())
    losses = losses * weight;
  return reduce(losses, reduction, op, loc);
}

// --- LibTorch's options forms

Tensor nll_loss(const Tensor &input, const Tensor &target,
                const NLLLossFuncOptions &options, Loc loc) {
  return nll_loss(input, target, options.reduction(), options.weight(),
                  options.ignore_index(), loc);
}

Tensor cross_entropy(const Tensor &input, const Tensor &target,
                     const CrossEntropyFuncOptions &options, Loc loc) {
  return cross_entropy(input, target, options.reduction(), options.weight(),
                       options.ignore_index(), options.label_smoothing(), loc);
}

Tensor mse_loss(const Tensor &input, const Tensor &target,
                const MSELossFuncOptions &options, Loc loc) {
  return mse_loss(input, target, options.reduction(), loc);
}

Tensor l1_loss(const Tensor &input, const Tensor &target,
               const L1LossFuncOptions &options, Loc loc) {
  return l1_loss(input, target, options.reduction(), loc);
}

Tensor smooth_l1_loss(const Tensor &input, const Tensor &target,
                      const SmoothL1LossFuncOptions &options, Loc loc) {
  return smooth_l1_loss(input, target, options.reduction(), options.beta(),
                        loc);
}

Tensor binary_cross_entropy(const Tensor &input, const Tensor &target,
                            const BinaryCrossEntropyFuncOptions &options,
                            Loc loc) {
  return binary_cross_entropy(input, target, options.reduction(),
                              options.weight(), loc);
}

Tensor binary_cross_entropy_with_logits(
    const Tensor &input, const Tensor &target,
    const BinaryCrossEntropyWithLogitsFuncOptions &options, Loc loc) {
  return binary_cross_entropy_with_logits(input, target, options.reduction(),
                                          options.weight(),
                                          options.pos_weight(), loc);
}

Tensor huber_loss(const Tensor &input, const Tensor &target,
                  const HuberLossFuncOptions &options, Loc loc) {
  checkSameShape(input, target, "huber_loss", loc);
  checkReduction(options.reduction(), "huber_loss", loc);
  double delta = options.delta();
  if (!(delta > 0))
    fail(loc, "huber_loss",
         "delta must be positive, got " + std::to_string(delta));
  Tensor d = (input - target).abs(loc);
  return reduce(where(d < delta, d * d * 0.5, (d - 0.5 * delta) * delta, loc),
                options.reduction(), "huber_loss", loc);
}

Tensor kl_div(const Tensor &input, const Tensor &target,
              const KLDivFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "kl_div";
  checkSameShape(input, target, op, loc);
  checkFloat(input, op, loc);
  const Mode &reduction = options.reduction();
  if (reduction != kMean && reduction != kSum && reduction != kNone &&
      reduction != kBatchMean)
    failReduction(reduction,
                  "kiln::kMean, kiln::kBatchMean, kiln::kSum or kiln::kNone "
                  "(\"mean\", \"batchmean\", \"sum\", \"none\")",
                  op, loc);
  Tensor losses;
  if (options.log_target()) {
    losses = target.exp(loc) * (target - input);
  } else {
    // target log target is 0 where target is 0; the log is taken of 1
    // there, so that its gradient stays finite.
    Tensor positive = target > 0;
    Tensor safe = where(positive, target, ones({}, target.dtype(), loc), loc);
    losses = where(positive, target * safe.log(loc),
                   zeros({}, target.dtype(), loc), loc) -
             target * input;
  }
  if (reduction == kBatchMean)
    return input.dim() == 0
               ? losses.sum(loc)
               : losses.sum(loc) / static_cast<double>(input.size(0));
  return reduce(losses, reduction, op, loc);
}

// --- Margin, embedding and count losses

namespace {

/// Fails unless the tensors all have `input`'s shape.
void checkShapes(
    std::initializer_list<std::pair<const char *, const Tensor *>> tensors,
    std::string_view op, const Loc &loc) {
  const auto &[firstName, first] = *tensors.begin();
  for (const auto &[name, tensor] : tensors) {
    detail::checkDefined(*tensor, op, loc);
    if (tensor->sizes() != first->sizes())
      fail(loc, op,
           std::string(name) + " " + str(tensor->sizes()) + " and " +
               firstName + " " + str(first->sizes()) +
               " must have the same shape");
  }
}

/// Scores [N, C] and class-index targets [N] from PyTorch's [N, C] / [N] or
/// [C] / 0-d; the target indices are checked when they are known.
std::pair<Tensor, Tensor> classRows(const Tensor &input, const Tensor &target,
                                    std::string_view op, const Loc &loc) {
  detail::checkDefined(input, op, loc);
  detail::checkDefined(target, op, loc);
  checkFloat(input, op, loc);
  if (!is_integral(target.dtype()))
    fail(loc, op,
         "targets must be class indices (int32/int64), got " +
             std::string(dtype_name(target.dtype())));
  bool single = input.dim() == 1 && target.dim() == 0;
  if (!single && (input.dim() != 2 || target.dim() != 1 ||
                  target.size(0) != input.size(0)))
    fail(loc, op,
         "expects inputs [N, C] and targets [N] (or [C] and a 0-d target), "
         "got " +
             str(input.sizes()) + " and " + str(target.sizes()));
  int64_t classes = input.size(-1);
  if (!target.is_pending())
    for (int64_t v : target.to_vector<int64_t>())
      if (v < 0 || v >= classes)
        fail(loc, op,
             "target " + std::to_string(v) + " is out of range for " +
                 std::to_string(classes) + " classes");
  if (single)
    return {input.unsqueeze(0, loc), target.reshape({1}, loc).to(kInt64, loc)};
  return {input, target.to(kInt64, loc)};
}

} // namespace

Tensor margin_ranking_loss(const Tensor &input1, const Tensor &input2,
                           const Tensor &target,
                           const MarginRankingLossFuncOptions &options,
                           Loc loc) {
  constexpr std::string_view op = "margin_ranking_loss";
  checkShapes({{"input1", &input1}, {"input2", &input2}, {"target", &target}},
              op, loc);
  checkReduction(options.reduction(), op, loc);
  Tensor losses =
      (-target * (input1 - input2) + options.margin()).clamp_min(0, loc);
  return reduce(losses, options.reduction(), op, loc);
}

Tensor hinge_embedding_loss(const Tensor &input, const Tensor &target,
                            const HingeEmbeddingLossFuncOptions &options,
                            Loc loc) {
  constexpr std::string_view op = "hinge_embedding_loss";
  checkShapes({{"input", &input}, {"target", &target}}, op, loc);
  checkReduction(options.reduction(), op, loc);
  // As PyTorch: a target other than 1 and -1 adds both terms.
  Tensor zero = zeros({}, input.dtype(), loc);
  Tensor hinge = where(target != 1,
                       (options.margin() - input).clamp_min(0, loc), zero, loc);
  Tensor linear = where(target != -1, input, zero, loc);
  return reduce(hinge + linear, options.reduction(), op, loc);
}

Tensor soft_margin_loss(const Tensor &input, const Tensor &target,
                        const SoftMarginLossFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "soft_margin_loss";
  checkShapes({{"input", &input}, {"target", &target}}, op, loc);
  checkFloat(input, op, loc);
  checkReduction(options.reduction(), op, loc);
  // log(1 + e^z) = max(z, 0) + log1p(e^-|z|), stable for any z = -y x.
  Tensor z = -target * input;
  Tensor losses = z.clamp_min(0, loc) + (-z.abs(loc)).exp(loc).log1p(loc);
  return reduce(losses, options.reduction(), op, loc);
}

Tensor multi_margin_loss(const Tensor &input, const Tensor &target,
                         const MultiMarginLossFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "multi_margin_loss";
  if (options.p() != 1 && options.p() != 2)
    fail(loc, op, "p must be 1 or 2, got " + std::to_string(options.p()));
  checkReduction(options.reduction(), op, loc);
  auto [x, y] = classRows(input, target, op, loc);
  int64_t classes = x.size(1);
  checkClassWeight(options.weight(), classes, op, loc);
  Tensor isTarget =
      arange(classes, kInt64, loc).unsqueeze(0, loc) == y.unsqueeze(1, loc);
  Tensor zero = zeros({}, x.dtype(), loc);
  Tensor targetScore =
      where(isTarget, x, zero, loc).sum(1, /*keepdim=*/true, loc);
  Tensor hinge = (options.margin() - targetScore + x).clamp_min(0, loc);
  if (options.p() == 2)
    hinge = hinge * hinge;
  if (options.weight().defined())
    hinge = hinge * where(isTarget,
                          options.weight().to(x.dtype(), loc).unsqueeze(0, loc),
                          zero, loc)
                        .sum(1, true, loc);
  Tensor losses = where(isTarget, zero, hinge, loc).sum(1, false, loc) /
                  static_cast<double>(classes);
  if (input.dim() == 1 && options.reduction() == kNone)
    losses = losses.reshape({}, loc);
  return reduce(losses, options.reduction(), op, loc);
}

Tensor multilabel_margin_loss(const Tensor &input, const Tensor &target,
                              const MultilabelMarginLossFuncOptions &options,
                              Loc loc) {
  constexpr std::string_view op = "multilabel_margin_loss";
  checkShapes({{"input", &input}, {"target", &target}}, op, loc);
  checkFloat(input, op, loc);
  checkReduction(options.reduction(), op, loc);
  if (!is_integral(target.dtype()))
    fail(loc, op,
         "targets must be class indices (int32/int64), got " +
             std::string(dtype_name(target.dtype())));
  if (input.dim() != 1 && input.dim() != 2)
    fail(loc, op, "expects inputs [C] or [N, C], got " + str(input.sizes()));
  Tensor x = input.dim() == 1 ? input.unsqueeze(0, loc) : input;
  Tensor y =
      (input.dim() == 1 ? target.unsqueeze(0, loc) : target).to(kInt64, loc);
  int64_t classes = x.size(1);
  if (!target.is_pending())
    for (int64_t v : target.to_vector<int64_t>())
      if (v < -1 || v >= classes)
        fail(loc, op,
             "target " + std::to_string(v) + " is out of range for " +
                 std::to_string(classes) + " classes (-1 ends a sample's)");
  ScalarType dtype = x.dtype();
  // A sample's targets are the entries before its first -1.
  Tensor valid = (y != -1).to(dtype, loc).cumprod(1, loc); // [N, K]
  Tensor picks = y.unsqueeze(2, loc) ==
                 arange(classes, kInt64, loc).reshape({1, 1, classes}, loc);
  Tensor zero = zeros({}, dtype, loc);
  Tensor pickWeight =
      where(picks, valid.unsqueeze(2, loc), zero, loc); // [N, K, C]
  Tensor isTarget = pickWeight.sum(1, false, loc) > 0;  // [N, C]
  Tensor targetScore = (pickWeight * x.unsqueeze(1, loc)).sum(2, false, loc);
  Tensor hinge = (1 - targetScore.unsqueeze(2, loc) + x.unsqueeze(1, loc))
                     .clamp_min(0, loc); // [N, K, C]
  Tensor counted =
      valid.unsqueeze(2, loc) *
      where(isTarget, zero, ones({}, dtype, loc), loc).unsqueeze(1, loc);
  Tensor losses =
      (hinge * counted).sum({1, 2}, false, loc) / static_cast<double>(classes);
  if (input.dim() == 1 && options.reduction() == kNone)
    losses = losses.reshape({}, loc);
  return reduce(losses, options.reduction(), op, loc);
}

Tensor
multilabel_soft_margin_loss(const Tensor &input, const Tensor &target,
                            const MultilabelSoftMarginLossFuncOptions &options,
                            Loc loc) {
  constexpr std::string_view op = "multilabel_soft_margin_loss";
  checkShapes({{"input", &input}, {"target", &target}}, op, loc);
  checkFloat(input, op, loc);
  checkReduction(options.reduction(), op, loc);
  if (input.dim() == 0)
    fail(loc, op, "expects inputs [N, C] or [C], got a 0-d tensor");
  checkClassWeight(options.weight(), input.size(-1), op, loc);
  Tensor losses = -(target * logsigmoid(input, loc) +
                    (1 - target) * logsigmoid(-input, loc));
  if (options.weight().defined())
    losses = losses * options.weight();
  losses = losses.mean(-1, false, loc);
  return reduce(losses, options.reduction(), op, loc);
}

Tensor cosine_embedding_loss(const Tensor &input1, const Tensor &input2,
                             const Tensor &target,
                             const CosineEmbeddingLossFuncOptions &options,
                             Loc loc) {
  constexpr std::string_view op = "cosine_embedding_loss";
  checkShapes({{"input1", &input1}, {"input2", &input2}}, op, loc);
  detail::checkDefined(target, op, loc);
  checkFloat(input1, op, loc);
  checkReduction(options.reduction(), op, loc);
  if (input1.dim() != 1 && input1.dim() != 2)
    fail(loc, op, "expects inputs [D] or [N, D], got " + str(input1.sizes()));
  Shape targetShape = input1.dim() == 2 ? Shape{input1.size(0)} : Shape{};
  if (target.sizes() != targetShape)
    fail(loc, op,
         "expects a target " + str(targetShape) + " for inputs " +
             str(input1.sizes()) + ", got " + str(target.sizes()));
  // As PyTorch: each squared norm gets 1e-12, so zero vectors give cos 0.
  constexpr double tiny = 1e-12;
  Tensor dot = (input1 * input2).sum(-1, false, loc);
  Tensor norms = ((input1 * input1).sum(-1, false, loc) + tiny) *
                 ((input2 * input2).sum(-1, false, loc) + tiny);
  Tensor cos = dot / norms.sqrt(loc);
  Tensor zero = zeros({}, cos.dtype(), loc);
  Tensor losses = where(target == 1, 1 - cos, zero, loc) +
                  where(target == -1,
                        (cos - options.margin()).clamp_min(0, loc), zero, loc);
  return reduce(losses, options.reduction(), op, loc);
}

namespace {

Tensor tripletLoss(
    const Tensor &anchor, const Tensor &positive, const Tensor &negative,
    const std::function<Tensor(const Tensor &, const Tensor &)> &distance,
    double margin, bool swap, const Mode &reduction, std::string_view op,
    const Loc &loc) {
  checkShapes(
      {{"anchor", &anchor}, {"positive", &positive}, {"negative", &negative}},
      op, loc);
  checkReduction(reduction, op, loc);
  Tensor toPositive = distance(anchor, positive);
  Tensor toNegative = distance(anchor, negative);
  if (swap)
    toNegative = minimum(toNegative, distance(positive, negative), loc);
  Tensor losses = (margin + toPositive - toNegative).clamp_min(0, loc);
  return reduce(losses, reduction, op, loc);
}

} // namespace

Tensor triplet_margin_loss(const Tensor &anchor, const Tensor &positive,
                           const Tensor &negative,
                           const TripletMarginLossFuncOptions &options,
                           Loc loc) {
  auto distance = [&](const Tensor &a, const Tensor &b) {
    return pairwise_distance(
        a, b, PairwiseDistanceFuncOptions().p(options.p()).eps(options.eps()),
        loc);
  };
  return tripletLoss(anchor, positive, negative, distance, options.margin(),
                     options.swap(), options.reduction(), "triplet_margin_loss",
                     loc);
}

Tensor triplet_margin_with_distance_loss(
    const Tensor &anchor, const Tensor &positive, const Tensor &negative,
    const TripletMarginWithDistanceLossFuncOptions &options, Loc loc) {
  std::function<Tensor(const Tensor &, const Tensor &)> distance =
      [&](const Tensor &a, const Tensor &b) {
        return pairwise_distance(a, b, {}, loc);
      };
  if (options.distance_function().has_value())
    distance = *options.distance_function();
  return tripletLoss(anchor, positive, negative, distance, options.margin(),
                     options.swap(), options.reduction(),
                     "triplet_margin_with_distance_loss", loc);
}

Tensor poisson_nll_loss(const Tensor &input, const Tensor &target,
                        const PoissonNLLLossFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "poisson_nll_loss";
  checkShapes({{"input", &input}, {"target", &target}}, op, loc);
  checkFloat(input, op, loc);
  checkReduction(options.reduction(), op, loc);
  Tensor losses = options.log_input()
                      ? input.exp(loc) - target * input
                      : input - target * (input + options.eps()).log(loc);
  if (options.full()) {
    // Stirling's log(y!) ~ y log y - y + log(2 pi y) / 2, for y > 1 only.
    Tensor large = target > 1;
    Tensor safe = where(large, target, ones({}, target.dtype(), loc), loc);
    Tensor stirling = safe * safe.log(loc) - safe +
                      0.5 * (2 * std::numbers::pi * safe).log(loc);
    losses =
        losses + where(large, stirling, zeros({}, stirling.dtype(), loc), loc);
  }
  return reduce(losses, options.reduction(), op, loc);
}

} // namespace kiln::nn::functional

namespace kiln::detail {

std::string reductionName(int64_t reduction, const char *loss) {
  switch (reduction) {
  case Reduction::None:
    return "none";
  case Reduction::Mean:
    return "mean";
  case Reduction::Sum:
    return "sum";
  default:
    throw Error(std::string(loss) + ": reduction " + std::to_string(reduction) +
                " is not one of Reduction::None (0), Mean (1) or Sum (2)");
  }
}

} // namespace kiln::detail
