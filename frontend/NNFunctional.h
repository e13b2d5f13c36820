//===- NNFunctional.h - torch::nn::functional -------------------*- C++ -*-===//
//
// The functions of `torch::nn::functional` (`namespace F =
// kiln::nn::functional;`): losses, activations, padding and normalization,
// with LibTorch's options, and the primitives of Functional.h under their
// functional names.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_NNFUNCTIONAL_H
#define KILN_FRONTEND_NNFUNCTIONAL_H

#include "kiln/frontend/Enum.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/FunctionalOptions.h"
#include "kiln/frontend/LossOptions.h"
#include "kiln/frontend/Tensor.h"

#include <concepts>

namespace kiln::nn {

/// torch::nn::functional: LibTorch's functions, each taking its
/// `...FuncOptions` (FunctionalOptions.h, LossOptions.h) after the tensors,
/// and the primitives of Functional.h under their functional names. Kiln
/// keeps Python's positional forms beside them (`F::dropout(x, 0.2)`,
/// `F::cross_entropy(x, y, kiln::kSum, weight)`); the losses' take
/// `reduction` third, where it is most often set, then PyTorch's other
/// options in PyTorch's order.
namespace functional {

using kiln::adaptive_avg_pool2d;
using kiln::avg_pool2d;
using kiln::batch_norm;
using kiln::conv1d;
using kiln::conv2d;
using kiln::conv_transpose2d;
using kiln::dropout;
using kiln::gelu;
using kiln::group_norm;
using kiln::layer_norm;
using kiln::leaky_relu;
using kiln::log_softmax;
using kiln::max_pool2d;
using kiln::relu;
using kiln::silu;
using kiln::softmax;

// --- The primitives with LibTorch's options

Tensor conv1d(const Tensor &input, const Tensor &weight,
              const Conv1dFuncOptions &options, Loc loc = Loc::current());
Tensor conv2d(const Tensor &input, const Tensor &weight,
              const Conv2dFuncOptions &options, Loc loc = Loc::current());
Tensor conv_transpose2d(const Tensor &input, const Tensor &weight,
                        const ConvTranspose2dFuncOptions &options,
                        Loc loc = Loc::current());
// The pooling options convert from a size, so these are templates on
// exactly their options type: a braced list (`F::max_pool2d(x, {2, 2})`)
// then keeps meaning the sizes of Functional.h's forms.

/// Max pooling; `dilation` and `ceil_mode` must keep their defaults.
template <std::same_as<MaxPool2dFuncOptions> Options>
Tensor max_pool2d(const Tensor &input, const Options &options,
                  Loc loc = Loc::current()) {
  return kiln::max_pool2d(input, *options.kernel_size(), *options.stride(),
                          *options.padding(), *options.dilation(),
                          options.ceil_mode(), loc);
}
/// Average pooling; with `divisor_override` each window's sum is divided by
/// it instead of by the window's size.
template <std::same_as<AvgPool2dFuncOptions> Options>
Tensor avg_pool2d(const Tensor &input, const Options &options,
                  Loc loc = Loc::current()) {
  if (!options.divisor_override())
    return kiln::avg_pool2d(input, *options.kernel_size(), *options.stride(),
                            *options.padding(), options.ceil_mode(),
                            options.count_include_pad(), loc);
  // Counting the padding, every window averages over the kernel's size.
  double window =
      static_cast<double>(options.kernel_size()[0] * options.kernel_size()[1]);
  return kiln::avg_pool2d(input, *options.kernel_size(), *options.stride(),
                          *options.padding(), options.ceil_mode(), true, loc) *
         (window / static_cast<double>(*options.divisor_override()));
}
template <std::same_as<AdaptiveAvgPool2dFuncOptions> Options>
Tensor adaptive_avg_pool2d(const Tensor &input, const Options &options,
                           Loc loc = Loc::current()) {
  // An undefined input is the op's error, after the sizes.
  return kiln::adaptive_avg_pool2d(
      input,
      options.output_size().resolve(input.defined() ? input.sizes()
                                                    : IntArrayRef()),
      loc);
}
Tensor dropout(const Tensor &input, const DropoutFuncOptions &options,
               Loc loc = Loc::current());
Tensor batch_norm(const Tensor &input, const Tensor &running_mean,
                  const Tensor &running_var,
                  const BatchNormFuncOptions &options,
                  Loc loc = Loc::current());
Tensor layer_norm(const Tensor &input, const LayerNormFuncOptions &options,
                  Loc loc = Loc::current());
Tensor group_norm(const Tensor &input, const GroupNormFuncOptions &options,
                  Loc loc = Loc::current());
/// Softmax along `options.dim()`, of the input converted to
/// `options.dtype()` when set.
Tensor softmax(const Tensor &input, const SoftmaxFuncOptions &options,
               Loc loc = Loc::current());
Tensor log_softmax(const Tensor &input, const LogSoftmaxFuncOptions &options,
                   Loc loc = Loc::current());
Tensor relu(const Tensor &input, const ReLUFuncOptions &options,
            Loc loc = Loc::current());
Tensor leaky_relu(const Tensor &input, const LeakyReLUFuncOptions &options,
                  Loc loc = Loc::current());
Tensor gelu(const Tensor &input, const GELUFuncOptions &options,
            Loc loc = Loc::current());

// --- Layers as functions

/// input W^T + b: `input` [..., in], `weight` [out, in], `bias` [out].
Tensor linear(const Tensor &input, const Tensor &weight,
              const Tensor &bias = {}, Loc loc = Loc::current());
/// Rows of `weight` [num_embeddings, dim] picked by the integer `input` of
/// any shape: the result is `input.shape + [dim]`. The `padding_idx` row
/// reads as it is and gets no gradient. (torch::embedding, in Functional.h,
/// takes the weight first.)
Tensor embedding(const Tensor &input, const Tensor &weight,
                 const EmbeddingFuncOptions &options = {},
                 Loc loc = Loc::current());
/// Pads the trailing dimensions by `options.pad()` ((before, after) pairs
/// from the last dimension): with `value` (kConstant), the mirror image
/// without the edge (kReflect), the edge repeated (kReplicate) or the other
/// end (kCircular).
Tensor pad(const Tensor &input, const PadFuncOptions &options,
           Loc loc = Loc::current());
/// Normalizes each channel of each sample of `input` [N, C, ...] over its
/// positions (group_norm with a group per channel), then scales by `weight`
/// [C] and shifts by `bias` [C] when they are defined.
Tensor instance_norm(const Tensor &input,
                     const InstanceNormFuncOptions &options = {},
                     Loc loc = Loc::current());
/// input / max(||input||_p, eps) along `options.dim()`.
Tensor normalize(const Tensor &input, const NormalizeFuncOptions &options = {},
                 Loc loc = Loc::current());
/// The cosine of the angle between `x1` and `x2` (broadcast together) along
/// `options.dim()`: x1 / max(||x1||, eps) . x2 / max(||x2||, eps).
Tensor cosine_similarity(const Tensor &x1, const Tensor &x2,
                         const CosineSimilarityFuncOptions &options = {},
                         Loc loc = Loc::current());

// --- Activations

/// x where x > 0, alpha (e^x - 1) elsewhere.
Tensor elu(const Tensor &input, const ELUFuncOptions &options = {},
           Loc loc = Loc::current());
/// scale * elu(x, alpha) with SELU's fixed alpha and scale.
Tensor selu(const Tensor &input, const SELUFuncOptions &options = {},
            Loc loc = Loc::current());
/// max(0, x) + min(0, alpha (e^(x / alpha) - 1)).
Tensor celu(const Tensor &input, const CELUFuncOptions &options = {},
            Loc loc = Loc::current());
/// x clamped to [min_val, max_val].
Tensor hardtanh(const Tensor &input, const HardtanhFuncOptions &options = {},
                Loc loc = Loc::current());
/// x clamped to [0, 6].
Tensor relu6(const Tensor &input, const ReLU6FuncOptions &options = {},
             Loc loc = Loc::current());
/// x where x > threshold, `value` elsewhere.
Tensor threshold(const Tensor &input, const ThresholdFuncOptions &options,
                 Loc loc = Loc::current());
/// log(1 + e^(beta x)) / beta, and x where beta x > threshold.
Tensor softplus(const Tensor &input, const SoftplusFuncOptions &options = {},
                Loc loc = Loc::current());
/// x - lambda above lambda, x + lambda below -lambda, 0 between.
Tensor softshrink(const Tensor &input,
                  const SoftshrinkFuncOptions &options = {},
                  Loc loc = Loc::current());
/// x where |x| > lambda, 0 elsewhere.
Tensor hardshrink(const Tensor &input,
                  const HardshrinkFuncOptions &options = {},
                  Loc loc = Loc::current());
/// x tanh(softplus(x)).
Tensor mish(const Tensor &input, Loc loc = Loc::current());
/// x relu6(x + 3) / 6 (Kiln's addition: torch::hardswish).
Tensor hardswish(const Tensor &input, Loc loc = Loc::current());
/// relu6(x + 3) / 6 (Kiln's addition: torch::hardsigmoid).
Tensor hardsigmoid(const Tensor &input, Loc loc = Loc::current());
/// log(sigmoid(x)), computed without overflow.
Tensor logsigmoid(const Tensor &input, Loc loc = Loc::current());

// --- Losses

/// Negative log likelihood of the target classes (integer [N]) under
/// log-probabilities [N, C], scaled by the class `weight` [C] when defined.
/// Targets equal to `ignore_index` add nothing; kMean divides by the summed
/// weight of the other targets. As in PyTorch, inputs may also be [C] (a 0-d
/// target) or [N, C, d1, ..., dk] (targets [N, d1, ..., dk]; kNone losses
/// have that shape).
Tensor nll_loss(const Tensor &input, const Tensor &target,
                const NLLLossFuncOptions &options = {},
                Loc loc = Loc::current());
Tensor nll_loss(const Tensor &log_probs, const Tensor &target, Mode reduction,
                const Tensor &weight = {}, int64_t ignore_index = -100,
                Loc loc = Loc::current());
/// The cross entropy of logits [N, C] against class indices [N] (as nll_loss
/// of log_softmax) or class probabilities of the logits' shape (then kMean
/// divides by N). `label_smoothing` mixes the target with the uniform
/// distribution over the C classes. Logits [C] and [N, C, d1, ..., dk] (a
/// class per position, e.g. per pixel) take targets as nll_loss does.
Tensor cross_entropy(const Tensor &input, const Tensor &target,
                     const CrossEntropyFuncOptions &options = {},
                     Loc loc = Loc::current());
Tensor cross_entropy(const Tensor &logits, const Tensor &target, Mode reduction,
                     const Tensor &weight = {}, int64_t ignore_index = -100,
                     double label_smoothing = 0.0, Loc loc = Loc::current());
/// (input - target)^2, elementwise.
Tensor mse_loss(const Tensor &input, const Tensor &target,
                const MSELossFuncOptions &options = {},
                Loc loc = Loc::current());
Tensor mse_loss(const Tensor &input, const Tensor &target, Mode reduction,
                Loc loc = Loc::current());
/// |input - target|, elementwise.
Tensor l1_loss(const Tensor &input, const Tensor &target,
               const L1LossFuncOptions &options = {}, Loc loc = Loc::current());
Tensor l1_loss(const Tensor &input, const Tensor &target, Mode reduction,
               Loc loc = Loc::current());
/// 0.5 d^2 / beta where d = |input - target| < beta, d - 0.5 beta
/// elsewhere (the L1 loss for beta = 0).
Tensor smooth_l1_loss(const Tensor &input, const Tensor &target,
                      const SmoothL1LossFuncOptions &options = {},
                      Loc loc = Loc::current());
Tensor smooth_l1_loss(const Tensor &input, const Tensor &target, Mode reduction,
                      double beta = 1.0, Loc loc = Loc::current());
/// 0.5 d^2 where d = |input - target| < delta, delta (d - 0.5 delta)
/// elsewhere: smooth_l1_loss with beta = delta, times delta.
Tensor huber_loss(const Tensor &input, const Tensor &target,
                  const HuberLossFuncOptions &options = {},
                  Loc loc = Loc::current());
/// -(y log p + (1 - y) log(1 - p)) of probabilities `input` against
/// `target` of the same shape (a different shape is an error, as in
/// PyTorch), with each log clamped at -100 as PyTorch does, scaled by
/// `weight` (broadcast) when defined.
Tensor binary_cross_entropy(const Tensor &input, const Tensor &target,
                            const BinaryCrossEntropyFuncOptions &options = {},
                            Loc loc = Loc::current());
Tensor binary_cross_entropy(const Tensor &input, const Tensor &target,
                            Mode reduction, const Tensor &weight = {},
                            Loc loc = Loc::current());
/// binary_cross_entropy(sigmoid(input), target) computed stably from the
/// logits, with the positive term scaled by `pos_weight` (broadcast over the
/// last dimension, the classes) when defined.
Tensor binary_cross_entropy_with_logits(
    const Tensor &input, const Tensor &target,
    const BinaryCrossEntropyWithLogitsFuncOptions &options = {},
    Loc loc = Loc::current());
Tensor binary_cross_entropy_with_logits(const Tensor &input,
                                        const Tensor &target, Mode reduction,
                                        const Tensor &weight = {},
                                        const Tensor &pos_weight = {},
                                        Loc loc = Loc::current());
/// The Kullback-Leibler divergence of `target` (probabilities, or
/// log-probabilities with `log_target`) from the log-probabilities
/// `input`: target (log target - input), 0 where target is 0. kBatchMean
/// divides the sum by the batch size input.size(0); kMean by the number of
/// elements, as PyTorch does.
Tensor kl_div(const Tensor &input, const Tensor &target,
              const KLDivFuncOptions &options = {}, Loc loc = Loc::current());

/// max(0, -target (input1 - input2) + margin), targets 1 or -1.
Tensor margin_ranking_loss(const Tensor &input1, const Tensor &input2,
                           const Tensor &target,
                           const MarginRankingLossFuncOptions &options = {},
                           Loc loc = Loc::current());
/// input where target is 1, max(0, margin - input) where it is -1.
Tensor hinge_embedding_loss(const Tensor &input, const Tensor &target,
                            const HingeEmbeddingLossFuncOptions &options = {},
                            Loc loc = Loc::current());
/// log(1 + exp(-target input)), targets 1 or -1.
Tensor soft_margin_loss(const Tensor &input, const Tensor &target,
                        const SoftMarginLossFuncOptions &options = {},
                        Loc loc = Loc::current());
/// The multi-class hinge loss of scores [N, C] (or [C]) against class
/// indices [N] (or 0-d): the mean over the classes i other than the
/// target y of max(0, margin - x[y] + x[i])^p, times weight[y].
Tensor multi_margin_loss(const Tensor &input, const Tensor &target,
                         const MultiMarginLossFuncOptions &options = {},
                         Loc loc = Loc::current());
/// The multi-label hinge loss of scores [N, C] (or [C]) against integer
/// targets of the same shape holding each sample's classes, ended by the
/// first -1: the sum over target classes j and non-target classes i of
/// max(0, 1 - (x[j] - x[i])), divided by C.
Tensor
multilabel_margin_loss(const Tensor &input, const Tensor &target,
                       const MultilabelMarginLossFuncOptions &options = {},
                       Loc loc = Loc::current());
/// The binary cross entropy of the logits [N, C] against 0/1 labels,
/// averaged over the classes (one loss per sample).
Tensor multilabel_soft_margin_loss(
    const Tensor &input, const Tensor &target,
    const MultilabelSoftMarginLossFuncOptions &options = {},
    Loc loc = Loc::current());
/// 1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where it
/// is -1; the cosine along the last dimension.
Tensor cosine_embedding_loss(const Tensor &input1, const Tensor &input2,
                             const Tensor &target,
                             const CosineEmbeddingLossFuncOptions &options = {},
                             Loc loc = Loc::current());
/// max(0, margin + d(anchor, positive) - d(anchor, negative)) with the
/// p-norm pairwise distance.
Tensor triplet_margin_loss(const Tensor &anchor, const Tensor &positive,
                           const Tensor &negative,
                           const TripletMarginLossFuncOptions &options = {},
                           Loc loc = Loc::current());
/// The triplet loss with the options' distance function.
Tensor triplet_margin_with_distance_loss(
    const Tensor &anchor, const Tensor &positive, const Tensor &negative,
    const TripletMarginWithDistanceLossFuncOptions &options = {},
    Loc loc = Loc::current());
/// The negative log likelihood of `target` counts under a Poisson
/// distribution with rate exp(input) (`log_input`) or input.
Tensor poisson_nll_loss(const Tensor &input, const Tensor &target,
                        const PoissonNLLLossFuncOptions &options = {},
                        Loc loc = Loc::current());

} // namespace functional
} // namespace kiln::nn

namespace kiln {
/// ATen's positional form of the cosine similarity along `dim`.
inline Tensor cosine_similarity(const Tensor &x1, const Tensor &x2,
                                int64_t dim = 1, double eps = 1e-8,
                                Loc loc = Loc::current()) {
  return nn::functional::cosine_similarity(
      x1, x2, nn::functional::CosineSimilarityFuncOptions().dim(dim).eps(eps),
      loc);
}
} // namespace kiln

#endif // KILN_FRONTEND_NNFUNCTIONAL_H
