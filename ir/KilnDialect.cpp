//===- KilnDialect.cpp - The kiln dialect ---------------------------------===//
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/KilnOps.h"

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
