//===- PlanMemory.cpp - Temporary buffers as views of one arena -----------===//
#include "kiln/codegen/Passes.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/Shapes.h"
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

#include "llvm/ADT/DenseSet.h"

#include <limits>
#include <numeric>

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

/// Whether `op` makes a view of its operand's buffer.
bool isView(Operation *op) {
  return isa<ViewLikeOpInterface, memref::CastOp, memref::CollapseShapeOp,
             memref::ExpandShapeOp, memref::TransposeOp>(op);
}

/// The uses of `value` and, through views, of the same buffer.
SmallVector<OpOperand *> bufferUses(Value value) {
  SmallVector<OpOperand *> uses;
  SmallVector<Value> values = {value};
  while (!values.empty())
    for (OpOperand &use : values.pop_back_val().getUses()) {
      if (isView(use.getOwner()))
        llvm::append_range(values, use.getOwner()->getResults());
      else
        uses.push_back(&use);
    }
  return uses;
}

/// The first and last top-level steps that use `alloc` or a view of it
/// (its allocation's step when nothing does), or nullopt when the buffer
/// escapes (returned, yielded, or an unknown aliasing op).
std::optional<std::pair<int64_t, int64_t>>
useSteps(memref::AllocOp alloc, Block &body,
         const llvm::DenseMap<Operation *, int64_t> &steps) {
  int64_t step = steps.lookup(alloc);
  int64_t first = std::numeric_limits<int64_t>::max(), last = step;
  SmallVector<Value> values = {alloc.getResult()};
  while (!values.empty()) {
    Value value = values.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (user->hasTrait<OpTrait::IsTerminator>())
        return std::nullopt;
      // Views alias the buffer: their uses are its uses.
      if (isView(user))
        llvm::append_range(values, user->getResults());
      else if (llvm::any_of(user->getResultTypes(), llvm::IsaPred<MemRefType>))
        return std::nullopt;
      Operation *top = body.findAncestorOpInBlock(*user);
      if (!top)
        return std::nullopt;
      first = std::min(first, steps.lookup(top));
      last = std::max(last, steps.lookup(top));
    }
  }
  return std::pair(std::min(first, last), last);
}

/// Whether `op` computes each element of its outputs from the same element
/// of each input and of nothing else: all loops parallel, every indexing
/// map the identity.
bool isElementwise(linalg::GenericOp op) {
  return op.getNumLoops() == op.getNumParallelLoops() &&
         llvm::all_of(op.getIndexingMapsArray(),
                      [](AffineMap map) { return map.isIdentity(); });
}

/// Whether `op` is a linalg op that only reads `use` (a DPS input).
bool onlyReads(OpOperand &use) {
  auto linalg = dyn_cast<linalg::LinalgOp>(use.getOwner());
  return linalg && linalg.isDpsInput(&use);
}

/// Donation: the caller may pass one buffer as both argument `input`, a
/// value it no longer needs, and out-parameter `output`. That is safe when
/// one elementwise loop nest writes the output, reading the input at the
/// same element, and nothing reads the input after it or touches the output
/// before it. The input's uses then read the output's buffer instead, so
/// the loop reads and writes one pointer (which LLVM's vectorizer can see)
/// and the caller must pass the same buffer for both.
bool donate(func::FuncOp fn, Block &body,
            const llvm::DenseMap<Operation *, int64_t> &steps,
            BlockArgument input, BlockArgument output) {
  if (input.getType() != output.getType())
    return false;
  // The output's one writer: an elementwise generic with identity maps.
  linalg::GenericOp writer;
  for (OpOperand &use : output.getUses()) {
    auto generic = dyn_cast<linalg::GenericOp>(use.getOwner());
    if (generic && !generic.isDpsInput(&use)) {
      if (writer)
        return false;
      writer = generic;
    }
  }
  if (!writer || writer->getBlock() != &body ||
      writer.getNumLoops() != writer.getNumParallelLoops())
    return false;
  auto identity = [&](OpOperand &use) {
    return writer.getMatchingIndexingMap(&use).isIdentity();
  };
  int64_t written = steps.lookup(writer);
  // Nothing else writes or views the output, and nothing reads it before.
  for (OpOperand &use : output.getUses()) {
    Operation *top = body.findAncestorOpInBlock(*use.getOwner());
    if (use.getOwner() == writer) {
      if (!identity(use))
        return false;
      continue;
    }
    if (!onlyReads(use) || !top || steps.lookup(top) <= written)
      return false;
  }
  // The writer reads the input at the same element, and nothing after it
  // reads the input at all, through a view or not.
  bool readByWriter = false;
  for (OpOperand *use : bufferUses(input)) {
    if (use->getOwner() == writer) {
      if (use->get() != input || !writer.isDpsInput(use) || !identity(*use))
        return false;
      readByWriter = true;
      continue;
    }
    Operation *top = body.findAncestorOpInBlock(*use->getOwner());
    if (!top || steps.lookup(top) >= written)
      return false;
  }
  if (!readByWriter)
    return false;
  input.replaceAllUsesWith(output);
  return true;
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

  /// `kiln.donatable` lists arguments the caller can give up; each goes to
  /// the first out-parameter it can safely become (see donate()), listed as
  /// `kiln.donations = [input, result, ...]` (a result counts from the first
  /// out-parameter: the arguments after `kiln.num_inputs`).
  std::optional<SmallVector<int64_t>>
  donateArguments(func::FuncOp fn, Block &body,
                  const llvm::DenseMap<Operation *, int64_t> &steps) {
    auto donatable = kiln::ir::DonatableAttr(fn.getContext()).getAttr(fn);
    auto numInputs = kiln::ir::NumInputsAttr(fn.getContext()).getAttr(fn);
    if (!donatable || !numInputs)
      return std::nullopt;
    int64_t inputs = numInputs.getInt();
    SmallVector<int64_t> donations;
    llvm::SmallDenseSet<int64_t> taken;
    for (int64_t input : donatable.asArrayRef()) {
      if (input < 0 || input >= inputs)
        continue;
      for (int64_t out = inputs; out < int64_t(fn.getNumArguments()); ++out) {
        if (taken.contains(out) ||
            !donate(fn, body, steps, fn.getArgument(input),
                    fn.getArgument(out)))
          continue;
        taken.insert(out);
        donations.append({input, out - inputs});
        break;
      }
    }
    kiln::ir::DonatableAttr(fn.getContext()).removeAttr(fn);
    return donations;
  }

  /// In place: the output of an elementwise loop takes the bytes of an
  /// input of the same size that dies there (the same offset exactly: each
  /// element is read before it is written, by the same iteration). Returns
  /// the lifetimes of the groups that share bytes, and each alloc's group
  /// in `groupOf`.
  static std::vector<kiln::runtime::BufferLifetime>
  groupInPlace(Block &body, const llvm::DenseMap<Operation *, int64_t> &steps,
               ArrayRef<memref::AllocOp> allocs,
               const std::vector<int64_t> &firstUses,
               const std::vector<kiln::runtime::BufferLifetime> &lifetimes,
               std::vector<size_t> &groupOf) {
    llvm::DenseMap<Value, size_t> index;
    for (auto [i, alloc] : llvm::enumerate(allocs))
      index[memref::AllocOp(alloc).getResult()] = i;
    std::vector<size_t> group(allocs.size());
    std::iota(group.begin(), group.end(), 0);
    auto root = [&](size_t i) {
      while (group[i] != i)
        i = group[i] = group[group[i]];
      return i;
    };
    std::vector<bool> donated(allocs.size()), received(allocs.size());
    for (auto generic : body.getOps<linalg::GenericOp>()) {
      if (!isElementwise(generic))
        continue;
      int64_t step = steps.lookup(generic);
      for (Value out : generic.getDpsInits()) {
        auto o = index.find(out);
        if (o == index.end() || received[o->second] ||
            firstUses[o->second] != step)
          continue;
        for (Value in : generic.getDpsInputs()) {
          auto i = index.find(in);
          if (i == index.end() || i->second == o->second ||
              donated[i->second] || lifetimes[i->second].last != step ||
              in.getType() != out.getType())
            continue;
          group[root(o->second)] = root(i->second);
          donated[i->second] = received[o->second] = true;
          break;
        }
      }
    }
    std::vector<kiln::runtime::BufferLifetime> grouped;
    llvm::DenseMap<size_t, size_t> groupIndex;
    groupOf.clear();
    for (size_t i = 0; i < allocs.size(); ++i) {
      auto [it, inserted] = groupIndex.try_emplace(root(i), grouped.size());
      groupOf.push_back(it->second);
      if (inserted) {
        grouped.push_back(lifetimes[i]);
        continue;
      }
      kiln::runtime::BufferLifetime &g = grouped[it->second];
      g.bytes = std::max(g.bytes, lifetimes[i].bytes);
      g.first = std::min(g.first, lifetimes[i].first);
      g.last = std::max(g.last, lifetimes[i].last);
    }
    return grouped;
  }

  LogicalResult plan(func::FuncOp fn) {
    MLIRContext *context = &getContext();
    Block &body = fn.getBody().front();
    kiln::ir::MemoryPlanAttrs attrs;
    llvm::DenseMap<Operation *, int64_t> steps;
    SmallVector<memref::AllocOp> allocs;
    std::vector<kiln::runtime::BufferLifetime> lifetimes;
    std::vector<int64_t> firstUses;
    if (fn.getBody().hasOneBlock()) {
      for (Operation &op : body)
        steps[&op] = static_cast<int64_t>(steps.size());
      attrs.donations = donateArguments(fn, body, steps);
      for (auto alloc : body.getOps<memref::AllocOp>()) {
        if (!isPlannable(alloc))
          continue;
        std::optional<std::pair<int64_t, int64_t>> used =
            useSteps(alloc, body, steps);
        if (!used)
          continue;
        allocs.push_back(alloc);
        firstUses.push_back(used->first);
        lifetimes.push_back(
            {bufferBytes(alloc.getType()), steps.lookup(alloc), used->second});
      }
    }
    std::vector<size_t> groupOf;
    std::vector<kiln::runtime::BufferLifetime> grouped =
        groupInPlace(body, steps, allocs, firstUses, lifetimes, groupOf);

    kiln::runtime::MemoryPlan plan;
    try {
      plan = kiln::runtime::planMemory(grouped, alignment);
    } catch (const std::exception &e) {
      return fn.emitError() << e.what();
    }
    // No machine holds it, and the workspace size must stay far from
    // overflowing (an AOT header's constant, a JIT allocation).
    if (plan.arenaBytes > kiln::ir::kMaxTensorBytes)
      return fn.emitError()
             << "the temporaries of @" << fn.getName() << " need "
             << plan.arenaBytes << " bytes at once, more than 1 TiB";
    std::vector<int64_t> offsets;
    for (size_t i = 0; i < allocs.size(); ++i)
      offsets.push_back(plan.offsets[groupOf[i]]);

    OpBuilder b(context);
    auto arenaType = MemRefType::get({plan.arenaBytes}, b.getI8Type());
    fn.insertArgument(fn.getNumArguments(), arenaType, {}, fn.getLoc());
    Value arena = fn.getArgument(fn.getNumArguments() - 1);
    for (auto [alloc, lifetime, offset] :
         llvm::zip(allocs, lifetimes, offsets)) {
      b.setInsertionPoint(alloc);
      Value shift = b.create<arith::ConstantIndexOp>(alloc.getLoc(), offset);
      Value view = b.create<memref::ViewOp>(alloc.getLoc(), alloc.getType(),
                                            arena, shift, ValueRange{});
      alloc.replaceAllUsesWith(view);
      alloc.erase();
      attrs.buffers.push_back({int64_t(lifetime.bytes), int64_t(lifetime.first),
                               int64_t(lifetime.last), offset});
      ++numPlanned;
    }
    attrs.arenaBytes = plan.arenaBytes;
    attrs.arenaLowerBound = plan.lowerBoundBytes;
    attrs.naiveBytes = plan.naiveBytes;
    // The kernels: loop nests and library calls, each one step.
    attrs.kernels = llvm::count_if(body, [](Operation &op) {
      return isa<linalg::LinalgOp, func::CallOp, memref::CopyOp, scf::ForOp,
                 scf::ParallelOp>(op);
    });
    attrs.write(fn);
    return success();
  }
};

} // namespace
