//===- KilnDialect.cpp - The kiln dialect ---------------------------------===//
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/KilnOps.h"
#include "kiln/ir/Shapes.h"

using namespace mlir;
using namespace kiln::ir;

#include "ir/KilnDialect.cpp.inc"
#include "ir/KilnEnums.cpp.inc"

void KilnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ir/KilnOps.cpp.inc"
      >();
}

Operation *KilnDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, elements);
}

bool kiln::ir::fitsTensorLimit(ShapedType type) {
  return type.hasStaticShape() &&
         fitsTensorLimit(type.getShape(),
                         (type.getElementTypeBitWidth() + 7) / 8);
}

LogicalResult kiln::ir::verifyTensorSizes(Operation *op) {
  auto check = [&](Type type, const char *what, unsigned i) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() || fitsTensorLimit(tensor))
      return success();
    int64_t elements = numElements(tensor.getShape());
    InFlightDiagnostic diag = op->emitOpError()
                              << what << " #" << i << " " << type
                              << " holds more than the 1 TiB a Kiln tensor "
                                 "may have (";
    if (elements == INT64_MAX)
      diag << "its element count overflows)";
    else
      diag << elements << " elements)";
    return failure();
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}
