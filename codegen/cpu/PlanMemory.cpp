//===- PlanMemory.cpp - Temporary buffers as views of one arena -----------===//
#include "kiln/codegen/Passes.h"
#include "kiln/runtime/MemoryPlan.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#define DEBUG_TYPE "kiln-plan-memory"

namespace kiln {
#define GEN_PASS_DEF_KILNPLANMEMORY
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// The bytes of a static buffer of `type` (sub-byte elements take a byte).
int64_t bufferBytes(MemRefType type) {
  Type element = type.getElementType();
  int64_t width = element.isIndex() ? 64 : element.getIntOrFloatBitWidth();
  return type.getNumElements() * ((width + 7) / 8);
}

/// Whether `alloc` can live in the arena: a static, dense buffer of scalars.
bool isPlannable(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  Type element = type.getElementType();
  return type.hasStaticShape() && type.getLayout().isIdentity() &&
         !type.getMemorySpace() &&
         (element.isIndex() || element.isIntOrFloat());
}

/// The last top-level step that uses `alloc` or a view of it, or nullopt
/// when the buffer escapes (returned, yielded, or an unknown aliasing op).
std::optional<int64_t>
lastUse(memref::AllocOp alloc, Block &body,
        const llvm::DenseMap<Operation *, int64_t> &steps) {
  int64_t last = steps.lookup(alloc);
  SmallVector<Value> values = {alloc.getResult()};
  while (!values.empty()) {
    Value value = values.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (user->hasTrait<OpTrait::IsTerminator>())
        return std::nullopt;
      // Views alias the buffer: their uses are its uses.
      if (isa<ViewLikeOpInterface, memref::CastOp, memref::CollapseShapeOp,
              memref::ExpandShapeOp>(user))
        llvm::append_range(values, user->getResults());
      else if (llvm::any_of(user->getResultTypes(), llvm::IsaPred<MemRefType>))
        return std::nullopt;
      Operation *top = body.findAncestorOpInBlock(*user);
      if (!top)
        return std::nullopt;
      last = std::max(last, steps.lookup(top));
    }
  }
  return last;
}

struct PlanMemoryPass : kiln::impl::KilnPlanMemoryBase<PlanMemoryPass> {
  using KilnPlanMemoryBase::KilnPlanMemoryBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isDeclaration() || fn.isPrivate())
        continue;
      if (failed(plan(fn)))
        return signalPassFailure();
    }
  }

  LogicalResult plan(func::FuncOp fn) {
    MLIRContext *context = &getContext();
    Block &body = fn.getBody().front();
    llvm::DenseMap<Operation *, int64_t> steps;
    SmallVector<memref::AllocOp> allocs;
    std::vector<kiln::runtime::BufferLifetime> lifetimes;
    if (fn.getBody().hasOneBlock()) {
      for (Operation &op : body)
        steps[&op] = static_cast<int64_t>(steps.size());
      for (auto alloc : body.getOps<memref::AllocOp>()) {
        if (!isPlannable(alloc))
          continue;
        std::optional<int64_t> last = lastUse(alloc, body, steps);
        if (!last)
          continue;
        allocs.push_back(alloc);
        lifetimes.push_back(
            {bufferBytes(alloc.getType()), steps.lookup(alloc), *last});
      }
    }
    kiln::runtime::MemoryPlan plan;
    try {
      plan = kiln::runtime::planMemory(lifetimes, alignment);
    } catch (const std::exception &e) {
      return fn.emitError() << e.what();
    }

    OpBuilder b(context);
    auto arenaType = MemRefType::get({plan.arenaBytes}, b.getI8Type());
    fn.insertArgument(fn.getNumArguments(), arenaType, {}, fn.getLoc());
    Value arena = fn.getArgument(fn.getNumArguments() - 1);
    SmallVector<Attribute> buffers;
    for (auto [alloc, lifetime, offset] :
         llvm::zip(allocs, lifetimes, plan.offsets)) {
      b.setInsertionPoint(alloc);
      Value shift = b.create<arith::ConstantIndexOp>(alloc.getLoc(), offset);
      Value view = b.create<memref::ViewOp>(alloc.getLoc(), alloc.getType(),
                                            arena, shift, ValueRange{});
      alloc.replaceAllUsesWith(view);
      alloc.erase();
      buffers.push_back(b.getDenseI64ArrayAttr(
          {lifetime.bytes, lifetime.first, lifetime.last, offset}));
      ++numPlanned;
    }
    fn->setAttr("kiln.arena_bytes", b.getI64IntegerAttr(plan.arenaBytes));
    fn->setAttr("kiln.arena_lower_bound",
                b.getI64IntegerAttr(plan.lowerBoundBytes));
    fn->setAttr("kiln.arena_naive_bytes", b.getI64IntegerAttr(plan.naiveBytes));
    fn->setAttr("kiln.arena_buffers", b.getArrayAttr(buffers));
    // The kernels: loop nests and library calls, each one step.
    int64_t kernels = llvm::count_if(body, [](Operation &op) {
      return isa<linalg::LinalgOp, func::CallOp, memref::CopyOp, scf::ForOp,
                 scf::ParallelOp>(op);
    });
    fn->setAttr("kiln.kernels", b.getI64IntegerAttr(kernels));
    return success();
  }
};

} // namespace
