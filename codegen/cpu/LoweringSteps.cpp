//===- LoweringSteps.cpp - The small steps between the big conversions ----===//
//
// Passes that tidy the IR between kiln-to-linalg, bufferization and the
// LLVM conversion: fusion regions dissolved, splat constants folded or
// filled, returned values made distinct, entry functions annotated for the
// memory plan and the calling convention.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/Passes.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace kiln {
#define GEN_PASS_DEF_KILNINLINEFUSIONS
#define GEN_PASS_DEF_KILNFOLDSPLATINPUTS
#define GEN_PASS_DEF_KILNFILLSPLATCONSTANTS
#define GEN_PASS_DEF_KILNCOPYRETURNEDARGUMENTS
#define GEN_PASS_DEF_KILNCOUNTINPUTS
#define GEN_PASS_DEF_KILNBAREPOINTERS
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

struct InlineFusionsPass
    : kiln::impl::KilnInlineFusionsBase<InlineFusionsPass> {
  void runOnOperation() override {
    SmallVector<kiln::ir::FusionOp> fusions;
    getOperation()->walk(
        [&](kiln::ir::FusionOp fusion) { fusions.push_back(fusion); });
    for (kiln::ir::FusionOp fusion : fusions) {
      Block &body = fusion.getBody().front();
      auto yield = cast<kiln::ir::YieldOp>(body.getTerminator());
      for (auto [argument, input] :
           llvm::zip(body.getArguments(), fusion.getInputs()))
        argument.replaceAllUsesWith(input);
      fusion->replaceAllUsesWith(yield.getValues());
      yield->erase();
      fusion->getBlock()->getOperations().splice(fusion->getIterator(),
                                                 body.getOperations());
      fusion->erase();
    }
  }
};

struct FoldSplatInputsPass
    : kiln::impl::KilnFoldSplatInputsBase<FoldSplatInputsPass> {
  void runOnOperation() override {
    getOperation()->walk([](linalg::GenericOp generic) {
      Block &body = generic.getRegion().front();
      for (int i = generic.getNumDpsInputs() - 1; i >= 0; --i) {
        auto constant =
            generic.getInputs()[i].getDefiningOp<arith::ConstantOp>();
        auto value = constant ? dyn_cast<SplatElementsAttr>(constant.getValue())
                              : SplatElementsAttr();
        if (!value)
          continue;
        // The other operands must still give every loop its bounds.
        SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
        maps.erase(maps.begin() + i);
        if (!inversePermutation(concatAffineMaps(maps)))
          continue;
        OpBuilder b(generic);
        Value scalar = b.create<arith::ConstantOp>(
            constant.getLoc(), value.getSplatValue<TypedAttr>());
        body.getArgument(i).replaceAllUsesWith(scalar);
        body.eraseArgument(i);
        generic.setIndexingMapsAttr(b.getAffineMapArrayAttr(maps));
        generic.getInputsMutable().erase(i);
      }
    });
  }
};

struct FillSplatConstantsPass
    : kiln::impl::KilnFillSplatConstantsBase<FillSplatConstantsPass> {
  void runOnOperation() override {
    getOperation()->walk([](arith::ConstantOp op) {
      if (op->use_empty()) {
        op.erase();
        return;
      }
      auto type = dyn_cast<RankedTensorType>(op.getType());
      auto value = dyn_cast<SplatElementsAttr>(op.getValue());
      if (!type || !value)
        return;
      OpBuilder b(op);
      Location loc = op.getLoc();
      Value scalar =
          b.create<arith::ConstantOp>(loc, value.getSplatValue<TypedAttr>());
      Value empty = b.create<tensor::EmptyOp>(loc, type.getShape(),
                                              type.getElementType());
      op.replaceAllUsesWith(
          b.create<linalg::FillOp>(loc, scalar, empty).getResult(0));
      op.erase();
    });
  }
};

struct CopyReturnedArgumentsPass
    : kiln::impl::KilnCopyReturnedArgumentsBase<CopyReturnedArgumentsPass> {
  void runOnOperation() override {
    getOperation()->walk([](func::ReturnOp ret) {
      OpBuilder b(ret);
      llvm::SmallPtrSet<Value, 8> returned;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        if (!isa<BlockArgument>(value) && returned.insert(value).second)
          continue;
        auto type = cast<RankedTensorType>(value.getType());
        Value empty = b.create<tensor::EmptyOp>(ret.getLoc(), type.getShape(),
                                                type.getElementType());
        operand.set(
            b.create<linalg::CopyOp>(ret.getLoc(), value, empty).getResult(0));
      }
    });
  }
};

struct CountInputsPass : kiln::impl::KilnCountInputsBase<CountInputsPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (kiln::ir::DonatableAttr(context).isAttrPresent(fn))
        kiln::ir::NumInputsAttr(context).setAttr(
            fn, IntegerAttr::get(IntegerType::get(context, 64),
                                 fn.getNumArguments()));
  }
};

struct BarePointersPass : kiln::impl::KilnBarePointersBase<BarePointersPass> {
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isDeclaration())
        continue;
      bool bare = llvm::all_of(fn.getArgumentTypes(), [](Type type) {
        auto memref = dyn_cast<BaseMemRefType>(type);
        return !memref || LLVMTypeConverter::canConvertToBarePtr(memref);
      });
      if (bare) {
        fn->setAttr("llvm.bareptr", UnitAttr::get(&getContext()));
      } else if (fn.isPublic()) {
        fn.emitError("@") << fn.getName()
                          << " takes a buffer whose shape or layout is not "
                             "static: "
                          << fn.getFunctionType();
        return signalPassFailure();
      }
    }
  }
};

} // namespace
