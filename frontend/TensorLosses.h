//===- TensorLosses.h - The losses as LibTorch's tensor functions -*- C++ -*-===//
//
// LibTorch has each loss twice: `torch::nn::functional::mse_loss(x, y,
// options)` and the tensor library's `torch::mse_loss(x, y, reduction)`,
// whose reduction is an integer of `at::Reduction`. These are the second
// form, over the first.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_TENSORLOSSES_H
#define KILN_FRONTEND_TENSORLOSSES_H

#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/Tensor.h"

#include <cstdint>
#include <string>

namespace kiln {

/// How a loss reduces its elements: `kiln::Reduction::Mean` (as
/// `at::Reduction::Mean` with the compat header).
namespace Reduction {
enum Reduction : int64_t { None, Mean, Sum, END };
} // namespace Reduction

namespace detail {
/// The mode name of a Reduction value; another value is a kiln::Error.
std::string reductionName(int64_t reduction, const char *loss);
} // namespace detail

inline Tensor mse_loss(const Tensor &self, const Tensor &target,
                       int64_t reduction = Reduction::Mean,
                       Loc loc = Loc::current()) {
  return nn::functional::mse_loss(
      self, target, detail::reductionName(reduction, "mse_loss"), loc);
}
inline Tensor l1_loss(const Tensor &self, const Tensor &target,
                      int64_t reduction = Reduction::Mean,
                      Loc loc = Loc::current()) {
  return nn::functional::l1_loss(
      self, target, detail::reductionName(reduction, "l1_loss"), loc);
}
inline Tensor smooth_l1_loss(const Tensor &self, const Tensor &target,
                             int64_t reduction = Reduction::Mean,
                             double beta = 1.0, Loc loc = Loc::current()) {
  return nn::functional::smooth_l1_loss(
      self, target, detail::reductionName(reduction, "smooth_l1_loss"), beta,
      loc);
}
inline Tensor nll_loss(const Tensor &self, const Tensor &target,
                       const Tensor &weight = {},
                       int64_t reduction = Reduction::Mean,
                       int64_t ignore_index = -100, Loc loc = Loc::current()) {
  return nn::functional::nll_loss(self, target,
                                  detail::reductionName(reduction, "nll_loss"),
                                  weight, ignore_index, loc);
}
inline Tensor cross_entropy_loss(const Tensor &self, const Tensor &target,
                                 const Tensor &weight = {},
                                 int64_t reduction = Reduction::Mean,
                                 int64_t ignore_index = -100,
                                 double label_smoothing = 0.0,
                                 Loc loc = Loc::current()) {
  return nn::functional::cross_entropy(
      self, target, detail::reductionName(reduction, "cross_entropy_loss"),
      weight, ignore_index, label_smoothing, loc);
}
inline Tensor binary_cross_entropy(const Tensor &self, const Tensor &target,
                                   const Tensor &weight = {},
                                   int64_t reduction = Reduction::Mean,
                                   Loc loc = Loc::current()) {
  return nn::functional::binary_cross_entropy(
      self, target, detail::reductionName(reduction, "binary_cross_entropy"),
      weight, loc);
}
inline Tensor binary_cross_entropy_with_logits(
    const Tensor &self, const Tensor &target, const Tensor &weight = {},
    const Tensor &pos_weight = {}, int64_t reduction = Reduction::Mean,
    Loc loc = Loc::current()) {
  return nn::functional::binary_cross_entropy_with_logits(
      self, target,
      detail::reductionName(reduction, "binary_cross_entropy_with_logits"),
      weight, pos_weight, loc);
}

} // namespace kiln

#endif // KILN_FRONTEND_TENSORLOSSES_H
