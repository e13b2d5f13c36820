//===- OutlineKernels.cpp - A function of its own for each loop nest ------===//
#include "kiln/codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

#define DEBUG_TYPE "kiln-outline-kernels"

namespace kiln {
#define GEN_PASS_DEF_KILNOUTLINEKERNELS
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

struct OutlineKernelsPass
    : kiln::impl::KilnOutlineKernelsBase<OutlineKernelsPass> {
  using KilnOutlineKernelsBase::KilnOutlineKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto fn : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (fn.isDeclaration())
        continue;
      SmallVector<Operation *> kernels;
      for (Operation &op : fn.getBody().front())
        if (isa<linalg::LinalgOp>(op) && op.getNumResults() == 0)
          kernels.push_back(&op);
      if (kernels.size() <= minKernels)
        continue;
      for (auto [index, kernel] : llvm::enumerate(kernels))
        outline(fn, kernel, index, symbols);
    }
  }

  /// Moves `kernel` into a new private function of `fn`'s module, called
  /// in its place.
  void outline(func::FuncOp fn, Operation *kernel, size_t index,
               SymbolTable &symbols) {
    // What the function takes: the kernel's operands, then the values it
    // uses from above; constants are cloned into it instead.
    llvm::SetVector<Value> arguments(kernel->getOperands().begin(),
                                     kernel->getOperands().end());
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(kernel->getRegions(), captured);
    SmallVector<Operation *> constants;
    for (Value value : captured) {
      Operation *def = value.getDefiningOp();
      if (def && def->hasTrait<OpTrait::ConstantLike>())
        constants.push_back(def);
      else
        arguments.insert(value);
    }
    Location loc = kernel->getLoc();
    OpBuilder b(fn);
    auto callee = b.create<func::FuncOp>(
        loc, (fn.getName() + "_kernel" + llvm::Twine(index)).str(),
        b.getFunctionType(ValueRange(arguments.getArrayRef()).getTypes(), {}));
    callee.setPrivate();
    callee->setAttr("passthrough",
                    b.getArrayAttr({b.getStringAttr("noinline")}));
    symbols.insert(callee); // renamed if the name is taken
    Block *entry = callee.addEntryBlock();
    IRMapping mapping;
    for (auto [value, argument] : llvm::zip(arguments, entry->getArguments()))
      mapping.map(value, argument);
    OpBuilder body = OpBuilder::atBlockEnd(entry);
    for (Operation *constant : constants)
      body.clone(*constant, mapping);
    body.clone(*kernel, mapping);
    body.create<func::ReturnOp>(loc);
    OpBuilder at(kernel);
    at.create<func::CallOp>(loc, callee, arguments.getArrayRef());
    kernel->erase();
    ++numOutlined;
  }
};

} // namespace
