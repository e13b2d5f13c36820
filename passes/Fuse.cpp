//===- Fuse.cpp - Group kiln ops into kiln.fusion regions -----------------===//
//
// Groups grow from their consumers: visiting ops in order, an op joins the
// group of each operand's producer that may fuse into it. Every producer
// that joins has one user, so a group is a tree whose root (its last op) is
// its only result, and moving the group to its root cannot create a cycle.
//
//===----------------------------------------------------------------------===//
#include "kiln/ir/KilnOps.h"
#include "kiln/passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/SetVector.h"

namespace kiln {
#define GEN_PASS_DEF_KILNFUSE
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::ir;

namespace {

struct FusePass : kiln::impl::KilnFuseBase<FusePass> {
  using KilnFuseBase::KilnFuseBase;

  void runOnOperation() override {
    // The bodies of functions (isolated regions), not of existing fusions.
    SmallVector<Block *> blocks;
    getOperation()->walk([&](Block *block) {
      Operation *parent = block->getParentOp();
      if (parent->hasTrait<OpTrait::IsIsolatedFromAbove>() &&
          !isa<FusionOp>(parent))
        blocks.push_back(block);
    });
    for (Block *block : blocks)
      fuseBlock(*block);
  }

  /// The values a group reads from outside, splat constants excluded.
  static llvm::SetVector<Value>
  externalInputs(llvm::ArrayRef<Operation *> members) {
    llvm::SmallPtrSet<Operation *, 16> inside(members.begin(), members.end());
    llvm::SetVector<Value> inputs;
    for (Operation *op : members)
      for (Value operand : op->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (def &&
            (inside.contains(def) || fusionClass(def) == FusionClass::Constant))
          continue;
        inputs.insert(operand);
      }
    return inputs;
  }

  /// A group being grown: its ops and the values it reads from outside
  /// (splat constants excluded). Merging keeps both current without walking
  /// the members again, so a chain of n ops fuses in O(n), not O(n^2).
  struct Group {
    llvm::SmallVector<Operation *> members;
    llvm::SetVector<Value> inputs;
  };

  void fuseBlock(Block &block) {
    // The group of each op, by its position in `groups`.
    llvm::DenseMap<Operation *, size_t> groupOf;
    std::vector<Group> groups;
    for (Operation &op : block) {
      FusionClass consumer = fusionClass(&op);
      if (op.getNumResults() == 0 || op.getNumRegions() != 0 ||
          consumer == FusionClass::Constant) {
        continue;
      }
      size_t group = groups.size();
      groups.push_back({{&op}, externalInputs(&op)});
      groupOf[&op] = group;
      if (consumer != FusionClass::Elementwise &&
          consumer != FusionClass::Reduction)
        continue;
      for (Value operand : op.getOperands()) {
        Operation *producer = operand.getDefiningOp();
        if (!producer || !groupOf.count(producer))
          continue; // block arguments, constants
        FusionClass from = fusionClass(producer);
        std::string reason;
        if (from != FusionClass::Elementwise &&
            from != FusionClass::Broadcast) {
          reason = std::string("not fused with ") +
                   producer->getName().getStringRef().str() + ": " +
                   fusionClassName(from).str() +
                   " producers are kernels of their own";
        } else if (!producer->hasOneUse()) {
          reason = "not fused with " +
                   producer->getName().getStringRef().str() +
                   ": it has other users, and would be computed twice";
        } else if (groupOf[producer] == group) {
          continue; // already merged through another operand
        } else {
          size_t other = groupOf[producer];
          // The producer's results are read only inside the merged group
          // (it has one user, here); everything else either reads stays.
          llvm::SetVector<Value> inputs = groups[group].inputs;
          for (Value result : producer->getResults())
            inputs.remove(result);
          inputs.insert(groups[other].inputs.begin(),
                        groups[other].inputs.end());
          if (inputs.size() > maxInputs) {
            reason = "not fused with " +
                     producer->getName().getStringRef().str() +
                     ": the kernel would take more than " +
                     std::to_string(maxInputs) + " inputs";
          } else if (groups[group].members.size() +
                         groups[other].members.size() >
                     maxOps) {
            reason = "not fused with " +
                     producer->getName().getStringRef().str() +
                     ": the kernel would hold more than " +
                     std::to_string(maxOps) + " ops";
          } else {
            reason = "fused with " + producer->getName().getStringRef().str() +
                     " (" + fusionClassName(from).str() +
                     " producer, one user)";
            // The smaller group's members move to the larger one.
            size_t into = group, absorbed = other;
            if (groups[into].members.size() < groups[absorbed].members.size())
              std::swap(into, absorbed);
            for (Operation *member : groups[absorbed].members)
              groupOf[member] = into;
            groups[into].members.append(groups[absorbed].members);
            groups[into].inputs = std::move(inputs);
            groups[absorbed] = {};
            group = into;
          }
        }
        if (remarks)
          op.emitRemark() << reason;
      }
    }
    for (Group &g : groups)
      if (g.members.size() > 1)
        materialize(g.members);
  }

  /// What `op` reads from outside a group of its own.
  static llvm::SetVector<Value> externalInputs(Operation *op) {
    llvm::SetVector<Value> inputs;
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (!def || fusionClass(def) != FusionClass::Constant)
        inputs.insert(operand);
    }
    return inputs;
  }

  /// Moves `members` (in program order, the root last) into a kiln.fusion
  /// at the root's place.
  void materialize(llvm::SmallVector<Operation *> &members) {
    llvm::sort(members, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    Operation *root = members.back();
    llvm::SetVector<Value> inputs = externalInputs(members);
    OpBuilder b(root);
    auto fusion = b.create<FusionOp>(root->getLoc(), root->getResultTypes(),
                                     inputs.getArrayRef());
    Block *body = b.createBlock(&fusion.getBody());
    IRMapping mapping;
    for (Value input : inputs)
      mapping.map(input, body->addArgument(input.getType(), input.getLoc()));
    b.setInsertionPointToStart(body);
    for (Operation *op : members) {
      for (Value operand : op->getOperands())
        if (Operation *def = operand.getDefiningOp();
            def && fusionClass(def) == FusionClass::Constant &&
            !mapping.contains(operand))
          mapping.map(operand, b.clone(*def)->getResult(0));
      b.clone(*op, mapping);
    }
    SmallVector<Value> results;
    for (Value result : root->getResults())
      results.push_back(mapping.lookup(result));
    b.create<YieldOp>(root->getLoc(), results);
    root->replaceAllUsesWith(fusion.getResults());
    for (Operation *op : llvm::reverse(members))
      op->erase();
    ++numFusions;
    numFused += members.size();
  }
};

} // namespace
