//===- LibraryCalls.cpp - f32 contractions on buffers to oneDNN calls -----===//
#include "kiln/codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#define DEBUG_TYPE "kiln-library-calls"

namespace kiln {
#define GEN_PASS_DEF_KILNLIBRARYCALLS
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// `memref<?x?xf32, strided<[?, ?], offset: ?>>` of `rank`: the one type the
/// runtime entry point takes, whatever the static shape and layout.
MemRefType anyLayout(MLIRContext *context, int64_t rank) {
  SmallVector<int64_t> dynamic(rank, ShapedType::kDynamic);
  auto layout = StridedLayoutAttr::get(context, ShapedType::kDynamic, dynamic);
  return MemRefType::get(dynamic, Float32Type::get(context), layout);
}

/// The declaration of runtime function `name` taking three such memrefs.
func::FuncOp declare(ModuleOp module, StringRef name, int64_t rank) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  MemRefType type = anyLayout(module.getContext(), rank);
  auto fn = b.create<func::FuncOp>(module.getLoc(), name,
                                   b.getFunctionType({type, type, type}, {}));
  fn.setPrivate();
  fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), b.getUnitAttr());
  return fn;
}

struct LibraryCallsPass : kiln::impl::KilnLibraryCallsBase<LibraryCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> contractions;
    module.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
          !op.hasPureBufferSemantics())
        return;
      bool f32 = llvm::all_of(op->getOperands(), [](Value v) {
        auto type = dyn_cast<MemRefType>(v.getType());
        return type && type.getElementType().isF32();
      });
      if (f32)
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions) {
      bool batched = isa<linalg::BatchMatmulOp>(op);
      int64_t rank = batched ? 3 : 2;
      func::FuncOp callee = declare(
          module, batched ? "kiln_batch_matmul_f32" : "kiln_matmul_f32", rank);
      OpBuilder b(op);
      SmallVector<Value> args;
      for (Value operand : op->getOperands())
        args.push_back(b.create<memref::CastOp>(
            op.getLoc(), anyLayout(&getContext(), rank), operand));
      b.create<func::CallOp>(op.getLoc(), callee, args);
      op->erase();
      ++numCalls;
    }
  }
};

} // namespace
