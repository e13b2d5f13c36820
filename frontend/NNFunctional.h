//===- NNFunctional.h - torch::nn::functional -------------------*- C++ -*-===//
//
// The functions of `torch::nn::functional` (`namespace F =
// kiln::nn::functional;`): losses, and the primitives of Functional.h under
// their functional names.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_NNFUNCTIONAL_H
#define KILN_FRONTEND_NNFUNCTIONAL_H

#include "kiln/frontend/Functional.h"
#include "kiln/frontend/Tensor.h"

#include <string>

namespace kiln::nn {

/// Losses, and the primitives of Functional.h under torch::nn::functional's
/// names. Each loss takes `reduction` ("mean", "sum" or "none": one loss per
/// sample) third, where it is most often set, then PyTorch's other options
/// in PyTorch's order.
namespace functional {

using kiln::adaptive_avg_pool2d;
using kiln::avg_pool2d;
using kiln::batch_norm;
using kiln::conv1d;
using kiln::conv2d;
using kiln::conv_transpose2d;
using kiln::dropout;
using kiln::embedding;
using kiln::gelu;
using kiln::group_norm;
using kiln::layer_norm;
using kiln::leaky_relu;
using kiln::log_softmax;
using kiln::max_pool2d;
using kiln::relu;
using kiln::silu;
using kiln::softmax;

/// Negative log likelihood of the target classes (integer [N]) under
/// log-probabilities [N, C], scaled by the class `weight` [C] when defined.
/// Targets equal to `ignore_index` add nothing; "mean" divides by the summed
/// weight of the other targets. As in PyTorch, inputs may also be [C] (a 0-d
/// target) or [N, C, d1, ..., dk] (targets [N, d1, ..., dk]; "none" losses
/// have that shape).
Tensor nll_loss(const Tensor &log_probs, const Tensor &target,
                const std::string &reduction = "mean",
                const Tensor &weight = {}, int64_t ignore_index = -100,
                Loc loc = Loc::current());
/// The cross entropy of logits [N, C] against class indices [N] (as nll_loss
/// of log_softmax) or class probabilities of the logits' shape (then "mean"
/// divides by N). `label_smoothing` mixes the target with the uniform
/// distribution over the C classes. Logits [C] and [N, C, d1, ..., dk] (a
/// class per position, e.g. per pixel) take targets as nll_loss does.
Tensor cross_entropy(const Tensor &logits, const Tensor &target,
                     const std::string &reduction = "mean",
                     const Tensor &weight = {}, int64_t ignore_index = -100,
                     double label_smoothing = 0.0, Loc loc = Loc::current());
/// (input - target)^2, elementwise.
Tensor mse_loss(const Tensor &input, const Tensor &target,
                const std::string &reduction = "mean",
                Loc loc = Loc::current());
/// |input - target|, elementwise.
Tensor l1_loss(const Tensor &input, const Tensor &target,
               const std::string &reduction = "mean", Loc loc = Loc::current());
/// Huber-like: 0.5 d^2 / beta where d = |input - target| < beta, d - 0.5 beta
/// elsewhere (the L1 loss for beta = 0).
Tensor smooth_l1_loss(const Tensor &input, const Tensor &target,
                      const std::string &reduction = "mean", double beta = 1.0,
                      Loc loc = Loc::current());
/// -(y log p + (1 - y) log(1 - p)) of probabilities `input` against
/// `target` of the same shape, with each log clamped at -100 as PyTorch
/// does, scaled by `weight` (broadcast) when defined.
Tensor binary_cross_entropy(const Tensor &input, const Tensor &target,
                            const std::string &reduction = "mean",
                            const Tensor &weight = {},
                            Loc loc = Loc::current());
/// binary_cross_entropy(sigmoid(input), target) computed stably from the
/// logits, with the positive term scaled by `pos_weight` (broadcast over the
/// last dimension, the classes) when defined.
Tensor binary_cross_entropy_with_logits(const Tensor &input,
                                        const Tensor &target,
                                        const std::string &reduction = "mean",
                                        const Tensor &weight = {},
                                        const Tensor &pos_weight = {},
                                        Loc loc = Loc::current());

} // namespace functional
} // namespace kiln::nn

#endif // KILN_FRONTEND_NNFUNCTIONAL_H
