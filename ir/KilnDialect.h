//===- KilnDialect.h - The kiln dialect and its attributes ------*- C++ -*-===//
#ifndef KILN_IR_KILNDIALECT_H
#define KILN_IR_KILNDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

#include "ir/KilnDialect.h.inc"
#include "ir/KilnEnums.h.inc"

namespace kiln::ir {

// Kiln's discardable attributes, declared in KilnDialect.td and checked by
// the dialect's verifier: `DonatableAttr(context).getAttr(fn)`,
// `ArenaBytesAttr::getNameStr()`.
using DonatableAttr = KilnDialect::DonatableAttrHelper;
using NumInputsAttr = KilnDialect::NumInputsAttrHelper;
using DonationsAttr = KilnDialect::DonationsAttrHelper;
using ArenaBytesAttr = KilnDialect::ArenaBytesAttrHelper;
using ArenaLowerBoundAttr = KilnDialect::ArenaLowerBoundAttrHelper;
using ArenaNaiveBytesAttr = KilnDialect::ArenaNaiveBytesAttrHelper;
using ArenaBuffersAttr = KilnDialect::ArenaBuffersAttrHelper;
using KernelsAttr = KilnDialect::KernelsAttrHelper;
using EpilogueAttr = KilnDialect::EpilogueAttrHelper;
using InputNameAttr = KilnDialect::InputAttrHelper;
using WeightNameAttr = KilnDialect::WeightAttrHelper;
using OutputNameAttr = KilnDialect::OutputAttrHelper;

/// What kiln-plan-memory leaves on a function, read back as one struct by
/// the JIT, the AOT compiler and `kiln plan`.
struct MemoryPlanAttrs {
  int64_t arenaBytes = 0;      ///< the arena the caller provides
  int64_t arenaLowerBound = 0; ///< the most bytes live at one step
  int64_t naiveBytes = 0;      ///< every temporary apart
  int64_t kernels = 0;         ///< loop nests and library calls
  /// Pairs (input, result): the result's buffer is the input's; none when
  /// the function had no donatable inputs.
  std::optional<llvm::SmallVector<int64_t>> donations;
  /// A temporary's place in the arena, for `kiln plan`.
  struct Buffer {
    int64_t bytes, firstStep, lastStep, offset;
  };
  llvm::SmallVector<Buffer> buffers;

  /// The plan on `op` (a function); nullopt when it was not planned.
  static std::optional<MemoryPlanAttrs> read(mlir::Operation *op);
  /// Puts the plan on `op`.
  void write(mlir::Operation *op) const;
};

/// Whether `type` holds at most kMaxTensorBytes (see Shapes.h); an i1
/// element takes a byte, as Kiln stores it.
bool fitsTensorLimit(mlir::ShapedType type);

/// Checks that every statically shaped operand and result of `op` fits
/// kMaxTensorBytes.
mlir::LogicalResult verifyTensorSizes(mlir::Operation *op);

/// The trait behind Kiln_BoundedTensors, on every kiln op.
template <typename ConcreteType>
class BoundedTensors
    : public mlir::OpTrait::TraitBase<ConcreteType, BoundedTensors> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyTensorSizes(op);
  }
};

// The fusion-class traits of KilnOps.td: markers, nothing to verify.
template <typename ConcreteType>
class BroadcastClass
    : public mlir::OpTrait::TraitBase<ConcreteType, BroadcastClass> {};
template <typename ConcreteType>
class InjectiveClass
    : public mlir::OpTrait::TraitBase<ConcreteType, InjectiveClass> {};
template <typename ConcreteType>
class ReductionClass
    : public mlir::OpTrait::TraitBase<ConcreteType, ReductionClass> {};
template <typename ConcreteType>
class ContractionClass
    : public mlir::OpTrait::TraitBase<ConcreteType, ContractionClass> {};

/// How an op's loops relate to its operands', which decides what it may
/// fuse with: from its traits (and a constant's value).
enum class FusionClass {
  Constant,    ///< splat constants: cloned into the regions that use them
  Elementwise, ///< out[i] = f(in1[i], in2[i], ...)
  Broadcast,   ///< out[i] = in[project(i)]
  Injective,   ///< transpose, reshape, slice, concat, pad, gather: a kernel
  Reduction,   ///< reduce_* and arg-reductions
  Contraction, ///< matmul, conv2d
  Opaque,      ///< everything else
};

FusionClass fusionClass(mlir::Operation *op);

/// "elementwise", "broadcast", ...: as kiln-fuse's remarks name them.
llvm::StringRef fusionClassName(FusionClass c);

} // namespace kiln::ir

#endif // KILN_IR_KILNDIALECT_H
