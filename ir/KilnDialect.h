//===- KilnDialect.h - The kiln dialect and its attributes ------*- C++ -*-===//
#ifndef KILN_IR_KILNDIALECT_H
#define KILN_IR_KILNDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"

#include "ir/KilnDialect.h.inc"
#include "ir/KilnEnums.h.inc"

namespace kiln::ir {
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
} // namespace kiln::ir

#endif // KILN_IR_KILNDIALECT_H
