//===- Recording.h - Helpers the op files record with -----------*- C++ -*-===//
//
// Internal to the frontend: what the files that define ops (Tensor*.cpp,
// Functional.cpp, NN.cpp, the losses, the optimizers, the data pipeline's
// transforms) share to check arguments, name the caller's line in errors
// and record nodes on the calling thread's trace.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_RECORDING_H
#define KILN_FRONTEND_RECORDING_H

#include "kiln/frontend/Graph.h"

namespace kiln::detail {

[[noreturn]] void fail(const SourceLocation &loc, std::string_view op,
                       const std::string &message);
void checkDefined(const Tensor &t, std::string_view op,
                  const SourceLocation &loc);
/// `t`, the result of a view op that an in-place write cannot go through
/// (expand, whose elements alias), marked as such for checkNotView().
Tensor markView(Tensor t);
/// `t`, a view of `base` (reshape, transpose, slice, detach): an in-place
/// op on `t` writes `base` through `scatter` (see ViewOf).
Tensor markView(
    Tensor t, const Tensor &base,
    std::function<Tensor(const Tensor &base)> view,
    std::function<Tensor(const Tensor &base, const Tensor &value)> scatter);
/// Refuses an in-place write to a view no write goes through (expand).
void checkNotView(const Tensor &t, std::string_view op,
                  const SourceLocation &loc);
/// `self`'s value, re-read from its base when it is a view whose base
/// changed since; an in-place op computes from it.
void refreshView(const Tensor &self);
/// `self = value` in place; for a view, `value` is written into its base
/// (and the base's base...) too.
void assignThroughViews(const Tensor &self, const Tensor &value,
                        const SourceLocation &loc);
/// Normalizes a possibly negative dimension index against `rank`.
int64_t normDim(int64_t dim, int64_t rank, std::string_view op,
                const SourceLocation &loc);
/// Records a single-result op on `inputs` (Trace::record on the caller's
/// trace).
Tensor record(std::string_view op, llvm::ArrayRef<Tensor> inputs, Attrs attrs,
              ResultType result, const SourceLocation &loc);
/// A splat constant's value for `dtype`: a float's integer is its value
/// rounded toward zero, a bool's is whether it is nonzero.
SplatValue splatValue(ScalarType dtype, const Scalar &value);
/// A constant tensor with every element `value`.
Tensor splat(const Shape &shape, ScalarType dtype, Scalar value,
             const SourceLocation &loc);
/// `t` as `dtype` (a kiln.convert; uint8 is zero-extended).
Tensor convertTo(const Tensor &t, ScalarType dtype, const SourceLocation &loc);
/// A uint8 tensor's values as int16, for ops whose result depends on
/// signedness (the IR's i8 is signless).
Tensor widenUnsigned(const Tensor &t, const SourceLocation &loc);
Tensor broadcastTo(const Tensor &t, const Shape &shape, std::string_view op,
                   const SourceLocation &loc);
/// Whether ops record autograd history on this thread (NoGradGuard).
bool gradModeEnabled();
void setGradMode(bool enabled);

/// `target = value` in place (Trace::assign on the caller's trace); throws
/// kiln::Error when the shapes or dtypes differ.
void assign(const Tensor &target, const Tensor &value,
            const SourceLocation &loc = SourceLocation::current());
/// A uniform [0, 1) draw of `shape` from the global generator.
Tensor uniform(const Shape &shape, ScalarType dtype, std::string_view op,
               const SourceLocation &loc);
/// A 64-bit seed drawn from the global generator, which it advances: what a
/// DataLoader without an explicit seed shuffles with, as PyTorch's loaders
/// draw theirs from the default generator, so that manual_seed fixes it.
uint64_t drawSeed();

} // namespace kiln::detail

#endif // KILN_FRONTEND_RECORDING_H
