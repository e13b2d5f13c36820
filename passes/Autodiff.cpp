//===- Autodiff.cpp - Expand kiln.grad into forward and backward ops ------===//
#include "kiln/ir/KilnOps.h"
#include "kiln/passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

#define DEBUG_TYPE "kiln-autodiff"

namespace kiln {
#define GEN_PASS_DEF_KILNAUTODIFF
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::ir;

namespace {

/// Pure ops equal up to location, for a local common-subexpression
/// elimination (the rule of upstream CSE).
struct PureOpInfo : llvm::DenseMapInfo<Operation *> {
  static unsigned getHashValue(const Operation *op) {
    return OperationEquivalence::computeHash(
        const_cast<Operation *>(op), OperationEquivalence::directHashValue,
        OperationEquivalence::ignoreHashValue,
        OperationEquivalence::IgnoreLocations);
  }
  static bool isEqual(const Operation *lhs, const Operation *rhs) {
    if (lhs == rhs)
      return true;
    if (lhs == getEmptyKey() || lhs == getTombstoneKey() ||
        rhs == getEmptyKey() || rhs == getTombstoneKey())
      return false;
    return OperationEquivalence::isEquivalentTo(
        const_cast<Operation *>(lhs), const_cast<Operation *>(rhs),
        OperationEquivalence::IgnoreLocations);
  }
};

bool isFloatValue(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

/// Moves the body of `fn` (a detached copy, consumed) before `at`, with its
/// arguments replaced by `args`; returns the values it returned.
SmallVector<Value> inlineCopy(RewriterBase &rewriter, func::FuncOp fn,
                              Operation *at, ValueRange args) {
  Block &body = fn.front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  // Returned arguments are replaced by hand: the block goes away.
  SmallVector<Value> results;
  for (Value v : ret.getOperands()) {
    auto arg = dyn_cast<BlockArgument>(v);
    results.push_back(arg && arg.getOwner() == &body ? args[arg.getArgNumber()]
                                                     : v);
  }
  rewriter.eraseOp(ret);
  rewriter.inlineBlockBefore(&body, at, args);
  return results;
}

/// Expands the kiln.grad ops of a module, callees first.
class Expander {
public:
  Expander(ModuleOp module, llvm::Statistic &numExpanded,
           llvm::Statistic &numAdjoints)
      : module(module), rewriter(module.getContext()), numExpanded(numExpanded),
        numAdjoints(numAdjoints) {}

  /// Expands every kiln.grad in `fn` (once), and before that those of the
  /// functions they differentiate.
  LogicalResult expandFunction(func::FuncOp fn);

private:
  LogicalResult expand(GradOp op);
  /// Inlines the func.call ops of `body`, recursively; `stack` holds the
  /// functions being inlined, to refuse recursion.
  LogicalResult inlineCalls(Block &body, SmallVectorImpl<Operation *> &stack);
  /// Appends the adjoint of `body` (the copy of `callee`, with the forward
  /// ops) before its terminator, and returns the gradient of each `wrt`
  /// argument (null for one the output does not depend on).
  FailureOr<SmallVector<Value>> differentiate(GradOp op, Block &body);
  /// Keeps one of each pure op among `ops` (what an expansion inlined) and
  /// erases what no result needs (the adjoints of operands that are not
  /// differentiated, forward values that only they used).
  void tidy(MutableArrayRef<Operation *> ops);

  ModuleOp module;
  IRRewriter rewriter;
  llvm::Statistic &numExpanded, &numAdjoints;
  llvm::DenseSet<Operation *> expanded, expanding;
};

LogicalResult Expander::expandFunction(func::FuncOp fn) {
  if (expanded.contains(fn))
    return success();
  expanding.insert(fn);
  SmallVector<GradOp> grads;
  fn.walk([&](GradOp op) { grads.push_back(op); });
  for (GradOp op : grads)
    if (failed(expand(op)))
      return failure();
  expanding.erase(fn);
  expanded.insert(fn);
  return success();
}

LogicalResult Expander::inlineCalls(Block &body,
                                    SmallVectorImpl<Operation *> &stack) {
  SmallVector<func::CallOp> calls;
  for (Operation &op : body)
    if (auto call = dyn_cast<func::CallOp>(op))
      calls.push_back(call);
  for (func::CallOp call : calls) {
    // A call of a declaration stays a call: an error later if it needs a
    // gradient.
    auto fn = module.lookupSymbol<func::FuncOp>(call.getCalleeAttr());
    if (!fn || fn.isExternal())
      continue;
    if (llvm::is_contained(stack, fn.getOperation()) || expanding.contains(fn))
      return call.emitError("kiln-autodiff: cannot differentiate through the "
                            "recursive call of @")
             << fn.getSymName();
    if (failed(expandFunction(fn)))
      return failure();
    OwningOpRef<func::FuncOp> copy = fn.clone();
    stack.push_back(fn);
    if (failed(inlineCalls(copy->front(), stack)))
      return failure();
    stack.pop_back();
    SmallVector<Value> results =
        inlineCopy(rewriter, *copy, call, call.getOperands());
    rewriter.replaceOp(call, results);
  }
  return success();
}

FailureOr<SmallVector<Value>> Expander::differentiate(GradOp op, Block &body) {
  Operation *terminator = body.getTerminator();
  Value output = terminator->getOperand(0);
  SmallVector<Operation *> tape;
  for (Operation &forward : body.without_terminator())
    tape.push_back(&forward);

  // Activity: the float values that depend on a wrt argument (varied) and
  // that the output depends on (useful). Only active values carry
  // cotangents, so ops off the path need no gradient.
  auto anyOperandIn = [](Operation *forward, llvm::DenseSet<Value> &set) {
    bool found = false;
    forward->walk([&](Operation *nested) {
      found |= llvm::any_of(nested->getOperands(),
                            [&](Value v) { return set.contains(v); });
    });
    return found;
  };
  llvm::DenseSet<Value> varied, useful;
  for (int64_t index : op.getWrt())
    varied.insert(body.getArgument(index));
  for (Operation *forward : tape)
    if (anyOperandIn(forward, varied))
      for (Value result : forward->getResults())
        if (isFloatValue(result))
          varied.insert(result);
  useful.insert(output);
  for (Operation *forward : llvm::reverse(tape)) {
    if (llvm::none_of(forward->getResults(),
                      [&](Value v) { return useful.contains(v); }))
      continue;
    forward->walk([&](Operation *nested) {
      useful.insert(nested->operand_begin(), nested->operand_end());
    });
  }
  auto isActive = [&](Value v) {
    return varied.contains(v) && useful.contains(v) && isFloatValue(v);
  };

  OpBuilder builder(terminator);
  llvm::DenseMap<Value, Value> cotangents;
  auto accumulate = [&](Value v, Value cotangent) {
    Value &sum = cotangents[v];
    sum = sum ? builder.createOrFold<AddOp>(cotangent.getLoc(), sum, cotangent)
              : cotangent;
  };
  if (isActive(output)) {
    Value seed = op.getSeed();
    if (!seed) {
      auto type = cast<RankedTensorType>(output.getType());
      seed = builder.create<ConstantOp>(
          op.getLoc(),
          DenseElementsAttr::get(
              type, builder.getFloatAttr(type.getElementType(), 1.0)));
    }
    accumulate(output, seed);
  }

  for (Operation *forward : llvm::reverse(tape)) {
    SmallVector<Value> resultCotangents;
    for (Value result : forward->getResults())
      resultCotangents.push_back(isActive(result) ? cotangents.lookup(result)
                                                  : Value());
    if (llvm::all_of(resultCotangents, [](Value v) { return !v; }))
      continue;
    auto vjp = dyn_cast<VJPOpInterface>(forward);
    if (!vjp) {
      InFlightDiagnostic diag = emitError(forward->getLoc())
                                << "kiln-autodiff: '" << forward->getName()
                                << "' has no gradient";
      diag.attachNote(op.getLoc())
          << "while differentiating @" << op.getCallee() << " here";
      return failure();
    }
    SmallVector<Value> operandCotangents;
    if (failed(vjp.emitVJP(builder, resultCotangents, operandCotangents)) ||
        operandCotangents.size() != forward->getNumOperands()) {
      InFlightDiagnostic diag = emitError(forward->getLoc())
                                << "kiln-autodiff: could not emit the "
                                   "gradient of '"
                                << forward->getName() << "'";
      diag.attachNote(op.getLoc())
          << "while differentiating @" << op.getCallee() << " here";
      return failure();
    }
    ++numAdjoints;
    for (auto [operand, cotangent] :
         llvm::zip(forward->getOperands(), operandCotangents)) {
      if (!cotangent || !isActive(operand))
        continue;
      if (cotangent.getType() != operand.getType())
        return emitError(forward->getLoc())
               << "kiln-autodiff: the gradient of '" << forward->getName()
               << "' gives a cotangent of type " << cotangent.getType()
               << " for an operand of type " << operand.getType();
      accumulate(operand, cotangent);
    }
  }

  SmallVector<Value> gradients;
  for (int64_t index : op.getWrt())
    gradients.push_back(cotangents.lookup(body.getArgument(index)));
  return gradients;
}

LogicalResult Expander::expand(GradOp op) {
  auto callee = module.lookupSymbol<func::FuncOp>(op.getCalleeAttr());
  if (!callee || callee.isExternal())
    return op.emitOpError("kiln-autodiff: @")
           << op.getCallee() << " has no body to differentiate";
  if (expanding.contains(callee))
    return op.emitOpError("kiln-autodiff: @")
           << op.getCallee()
           << " differentiates itself (directly or through the functions it "
              "differentiates)";
  if (failed(expandFunction(callee)))
    return failure();
  if (!callee.getBody().hasOneBlock())
    return op.emitOpError("kiln-autodiff: @")
           << op.getCallee() << " must have a single block";

  // The adjoint is built on a copy of the callee, whose arguments are
  // distinct values even when the request passes one value twice; the copy
  // is then inlined at the request.
  OwningOpRef<func::FuncOp> copy = callee.clone();
  Block &body = copy->front();
  SmallVector<Operation *> stack = {callee};
  if (failed(inlineCalls(body, stack)))
    return failure();
  FailureOr<SmallVector<Value>> gradients = differentiate(op, body);
  if (failed(gradients))
    return failure();

  // The gradients join the returned values, so that inlining maps those
  // that are arguments and the rest survive as they are.
  Operation *terminator = body.getTerminator();
  OpBuilder builder(terminator);
  SmallVector<Value> returned(terminator->getOperands());
  for (auto [index, gradient] : llvm::zip(op.getWrt(), *gradients)) {
    Value input = body.getArgument(index);
    if (!gradient)
      gradient = builder.create<ConstantOp>(
          op.getLoc(),
          cast<ElementsAttr>(builder.getZeroAttr(input.getType())));
    returned.push_back(gradient);
  }
  builder.create<func::ReturnOp>(terminator->getLoc(), returned);
  terminator->erase();
  // The adjoints of custom functions call their backward functions.
  if (failed(inlineCalls(body, stack)))
    return failure();

  Block *block = op->getBlock();
  Operation *before = op->getPrevNode();
  SmallVector<Value> results = inlineCopy(rewriter, *copy, op, op.getInputs());
  SmallVector<Operation *> inlined;
  for (Operation *it = before ? before->getNextNode() : &block->front();
       it != op; it = it->getNextNode())
    inlined.push_back(it);
  rewriter.replaceOp(op, results);
  ++numExpanded;
  tidy(inlined);
  return success();
}

void Expander::tidy(MutableArrayRef<Operation *> ops) {
  // Adjoints restate values that other adjoints or the forward pass already
  // compute (y * y for tanh, zeros, ones): keep the first of each.
  llvm::DenseSet<Operation *, PureOpInfo> seen;
  for (Operation *&op : ops) {
    if (op->getNumRegions() != 0 || !isMemoryEffectFree(op))
      continue;
    auto [it, inserted] = seen.insert(op);
    if (!inserted) {
      rewriter.replaceOp(op, (*it)->getResults());
      op = nullptr;
    }
  }
  for (Operation *&op : llvm::reverse(ops)) {
    if (op && isOpTriviallyDead(op)) {
      rewriter.eraseOp(op);
      op = nullptr;
    }
  }
}

struct AutodiffPass : kiln::impl::KilnAutodiffBase<AutodiffPass> {
  void runOnOperation() override {
    Expander expander(getOperation(), numExpanded, numAdjoints);
    for (auto fn : llvm::to_vector(getOperation().getOps<func::FuncOp>()))
      if (failed(expander.expandFunction(fn)))
        return signalPassFailure();
    // Every gradient is expanded: a custom function's forward is its
    // outputs.
    getOperation().walk([](CustomVJPOp op) {
      op.replaceAllUsesWith(op.getOutputs());
      op.erase();
    });
  }
};

} // namespace
