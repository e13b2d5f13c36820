//===- KilnToLinalgRewriters.h - kiln-to-linalg's shared pieces -*- C++ -*-===//
//
// Internal to codegen/cpu: the helpers that the op families' lowerings
// share, and one function per family (KilnToLinalg<Family>.cpp) that adds
// its rewriters to a pattern set, which the kiln-to-linalg pass
// (KilnToLinalg.cpp) puts together. A new op's lowering goes into its
// family's file.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CPU_KILNTOLINALGREWRITERS_H
#define KILN_CODEGEN_CPU_KILNTOLINALGREWRITERS_H

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace kiln::codegen {

//===----------------------------------------------------------------------===//
// Shared helpers (KilnToLinalg.cpp unless noted)
//===----------------------------------------------------------------------===//

/// The ranked tensor type of `v`.
mlir::RankedTensorType tensorType(mlir::Value v);

/// Whether `t` is a float type.
bool isFloat(mlir::Type t);

/// A scalar constant of `type` (float or integer).
mlir::Value scalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                   double value);

/// A tensor.empty of `type`.
mlir::Value emptyLike(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::RankedTensorType type);

/// A tensor of `type` filled with `value` (a scalar).
mlir::Value filled(mlir::OpBuilder &b, mlir::Location loc,
                   mlir::RankedTensorType type, mlir::Value value);

/// `rank` parallel iterators.
llvm::SmallVector<mlir::utils::IteratorType> parallel(int64_t rank);

/// A static reshape of `value` to `shape`, as a collapse to 1-d followed by
/// an expand (both free on contiguous buffers).
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      llvm::ArrayRef<int64_t> shape);

/// `v` converted to the scalar type `to`, as kiln.convert converts
/// (KilnToLinalgElementwise.cpp).
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                          mlir::Type to);

/// Inserts `source` into `dest` at `offsets` (unit strides)
/// (KilnToLinalgShape.cpp).
mlir::Value insertAt(mlir::OpBuilder &b, mlir::Location loc, mlir::Value source,
                     mlir::Value dest, llvm::ArrayRef<int64_t> offsets);

/// The row-major coordinates of element `linear` of a tensor of `shape`
/// (KilnToLinalgShape.cpp).
llvm::SmallVector<mlir::Value> delinearize(mlir::OpBuilder &b,
                                           mlir::Location loc,
                                           mlir::Value linear,
                                           llvm::ArrayRef<int64_t> shape);

/// Whether `x` replaces `best` as the running maximum (`isMax`) or minimum:
/// it is strictly more extreme, or it is NaN and `best` is not. So the first
/// extreme wins ties and NaN counts as the extreme, as in PyTorch
/// (KilnToLinalgReduction.cpp).
mlir::Value beats(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                  mlir::Value best, bool isMax);

//===----------------------------------------------------------------------===//
// The rewriters of each op family, in the pass's order
//===----------------------------------------------------------------------===//

/// Elementwise ops, convert, select and compare (KilnToLinalgElementwise.cpp).
void populateKilnElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// constant, iota, fill and the random ops (KilnToLinalgCreation.cpp).
void populateKilnCreationToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Broadcasts, reshapes, transposes, slices, concat, pad, gather and
/// scatter_add (KilnToLinalgShape.cpp).
void populateKilnShapeToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Reductions and argmax/argmin (KilnToLinalgReduction.cpp).
void populateKilnReductionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// matmul (KilnToLinalgContraction.cpp).
void populateKilnContractionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Convolution, pooling and their gradients (KilnToLinalgConvolution.cpp).
void populateKilnConvolutionToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace kiln::codegen

#endif // KILN_CODEGEN_CPU_KILNTOLINALGREWRITERS_H
