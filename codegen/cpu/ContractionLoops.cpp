//===- ContractionLoops.cpp - Contraction loops ordered for vectors -------===//
#include "kiln/codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "kiln-contraction-loops"

namespace kiln {
#define GEN_PASS_DEF_KILNCONTRACTIONLOOPS
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// The loop order with every reduction loop moved just before the last
/// parallel loop, as interchangeGenericOp takes it (position -> old loop);
/// empty when the order already ends in a parallel loop or has none.
SmallVector<unsigned> reductionsBeforeLastParallel(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t lastParallel = -1;
  for (int64_t i = static_cast<int64_t>(iterators.size()) - 1; i >= 0; --i)
    if (iterators[i] == utils::IteratorType::parallel) {
      lastParallel = i;
      break;
    }
  if (lastParallel < 0 || lastParallel == int64_t(iterators.size()) - 1)
    return {};
  SmallVector<unsigned> order;
  for (unsigned i = 0; i < iterators.size(); ++i)
    if (iterators[i] == utils::IteratorType::parallel && i != lastParallel)
      order.push_back(i);
  for (unsigned i = 0; i < iterators.size(); ++i)
    if (iterators[i] == utils::IteratorType::reduction)
      order.push_back(i);
  order.push_back(static_cast<unsigned>(lastParallel));
  return order;
}

struct ContractionLoopsPass
    : kiln::impl::KilnContractionLoopsBase<ContractionLoopsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> contractions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() &&
          (linalg::isaContractionOpInterface(op) ||
           linalg::isaConvolutionOpInterface(op)) &&
          !reductionsBeforeLastParallel(op).empty())
        contractions.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : contractions) {
      SmallVector<unsigned> order = reductionsBeforeLastParallel(op);
      rewriter.setInsertionPoint(op);
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized))
          continue;
        generic = *generalized;
      }
      if (succeeded(linalg::interchangeGenericOp(rewriter, generic, order)))
        ++numReordered;
    }
  }
};

} // namespace
