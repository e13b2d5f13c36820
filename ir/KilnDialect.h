//===- KilnDialect.h - The kiln dialect and its attributes ------*- C++ -*-===//
#ifndef KILN_IR_KILNDIALECT_H
#define KILN_IR_KILNDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dialect.h"

#include "ir/KilnDialect.h.inc"
#include "ir/KilnEnums.h.inc"

#endif // KILN_IR_KILNDIALECT_H
