//===- TensorInternal.h - Helpers the Tensor*.cpp files share ---*- C++ -*-===//
//
// Internal to the frontend: not installed, not for users. The helpers that
// Tensor.cpp defines and the op families (TensorCreation, TensorElementwise,
// TensorShape, TensorReduction, TensorContraction.cpp) share; those that
// other frontend files use too are in Recording.h.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_TENSORINTERNAL_H
#define KILN_FRONTEND_TENSORINTERNAL_H

#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Tensor.h"

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace kiln::detail {

/// `shape` as error messages print it.
std::string str(const Shape &shape);

/// `t`'s name, as error messages print it.
std::string str(ScalarType t);

/// A Tensor handle on `impl`.
Tensor wrap(std::shared_ptr<TensorImpl> impl);

/// The broadcast of shapes `a` and `b`; failing, an error of `op` at `loc`.
Shape broadcastShapes(const Shape &a, const Shape &b, std::string_view op,
                      const Loc &loc);

/// PyTorch's result_type: dimensioned tensors outrank 0-d tensors, which
/// outrank plain numbers, unless a lower rank brings a higher category.
struct Participant {
  ScalarType dtype;
  enum { Dimensioned, ZeroDim, Wrapped } rank;
};

/// The dtype of an op on `participants`.
ScalarType resultType(std::initializer_list<Participant> participants);

/// `t` as a participant of type promotion.
Participant participant(const Tensor &t);

/// What a binary op computes, and so which dtypes it takes and gives.
enum class Kind {
  Arithmetic, ///< result in the promoted type
  TrueDivide, ///< like Arithmetic, but integers divide as floats
  Compare,    ///< operands promoted, result bool
  Bitwise,    ///< integers and bools only
};

/// An operand of a binary op: a tensor or a number, referred to rather than
/// copied (copying a handle updates two atomic counts, and elementwise ops
/// are the bulk of what gets recorded).
struct BinaryOperand {
  BinaryOperand(const Tensor &t) : tensor(&t) {}
  BinaryOperand(const Scalar &s) : scalar(&s) {}
  BinaryOperand(const std::variant<Tensor, Scalar> &v)
      : tensor(std::get_if<Tensor>(&v)), scalar(std::get_if<Scalar>(&v)) {}
  const Tensor *tensor = nullptr; ///< set for a tensor
  const Scalar *scalar = nullptr; ///< set for a number
};

/// A binary elementwise op between tensors and/or numbers.
Tensor binary(std::string_view name, std::string_view op, BinaryOperand lhs,
              BinaryOperand rhs, Kind kind, const Loc &loc);

/// A unary elementwise op; `floating` ops compute integers as float32.
Tensor unary(std::string_view name, std::string_view op, const Tensor &x,
             bool floating, const Loc &loc, Attrs attrs = {});

/// PyTorch's embedding_renorm_: the rows of `weight` [rows, dim] that
/// `input` names and whose `normType`-norm exceeds `maxNorm` are scaled, in
/// place and outside autograd, to the norm maxNorm / (norm + 1e-7).
void embeddingRenorm(const Tensor &weight, const Tensor &input, double maxNorm,
                     double normType, std::string_view op, const Loc &loc);

/// `looked` ([input..., dim], rows looked up by `input`) with the same
/// values, its gradient divided by how often each row occurs in `input`
/// (embedding's scale_grad_by_freq).
Tensor scaleGradByFrequency(const Tensor &looked, const Tensor &input,
                            const Loc &loc);

} // namespace kiln::detail

#endif // KILN_FRONTEND_TENSORINTERNAL_H
