//===- LibraryCalls.cpp - f32 contractions on buffers to oneDNN calls -----===//
#include "kiln/codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
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

/// The declaration of runtime function `name` taking three such memrefs
/// and then `scalars` i64 values.
func::FuncOp declare(ModuleOp module, StringRef name, int64_t rank,
                     int scalars = 0) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  MemRefType type = anyLayout(module.getContext(), rank);
  SmallVector<Type> inputs = {type, type, type};
  inputs.append(scalars, b.getI64Type());
  auto fn = b.create<func::FuncOp>(module.getLoc(), name,
                                   b.getFunctionType(inputs, {}));
  fn.setPrivate();
  fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), b.getUnitAttr());
  return fn;
}

struct LibraryCallsPass : kiln::impl::KilnLibraryCallsBase<LibraryCallsPass> {
  using KilnLibraryCallsBase::KilnLibraryCallsBase;

  /// kiln_conv2d_f32(input, filter, output, strides..., dilations...).
  void callConvolution(ModuleOp module, linalg::Conv2DNchwFchwOp conv) {
    func::FuncOp callee = declare(module, "kiln_conv2d_f32", 4, 4);
    OpBuilder b(conv);
    Location loc = conv.getLoc();
    SmallVector<Value> args;
    for (Value operand : conv->getOperands())
      args.push_back(
          b.create<memref::CastOp>(loc, anyLayout(&getContext(), 4), operand));
    for (auto attr : {conv.getStrides(), conv.getDilations()})
      for (APInt value : attr.getValues<APInt>())
        args.push_back(b.create<arith::ConstantIntOp>(loc, value.getSExtValue(),
                                                      b.getI64Type()));
    b.create<func::CallOp>(loc, callee, args);
    conv->erase();
    ++numCalls;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> contractions;
    module.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp,
               linalg::Conv2DNchwFchwOp>(op) ||
          !op.hasPureBufferSemantics())
        return;
      bool f32 = llvm::all_of(op->getOperands(), [](Value v) {
        auto type = dyn_cast<MemRefType>(v.getType());
        return type && type.getElementType().isF32();
      });
      // A small contraction costs less as generated loops than the call:
      // oneDNN's dispatch takes microseconds.
      int64_t work = 1;
      for (int64_t range : op.getStaticLoopRanges())
        work = ShapedType::isDynamic(range) ? minWork : work * range;
      if (f32 && work >= minWork)
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions) {
      if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation())) {
        callConvolution(module, conv);
        continue;
      }
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
