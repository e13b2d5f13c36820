//===- KilnToLinalgContraction.cpp - Contraction kiln ops to linalg -------===//
//
// matmul as linalg.matmul or linalg.batch_matmul.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/KilnToLinalgRewriters.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen {

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

namespace {

/// matmul: 2-d operands become linalg.matmul; batched ones are broadcast to
/// the common batch shape, flattened to one batch dimension and become
/// linalg.batch_matmul.
struct MatmulLowering : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    Value zero = scalar(rewriter, loc, type.getElementType(), 0);
    if (type.getRank() == 2 && tensorType(op.getLhs()).getRank() == 2 &&
        tensorType(op.getRhs()).getRank() == 2) {
      Value init = filled(rewriter, loc, type, zero);
      rewriter.replaceOp(op, rewriter
                                 .create<linalg::MatmulOp>(
                                     loc, ValueRange{op.getLhs(), op.getRhs()},
                                     ValueRange{init})
                                 .getResult(0));
      return success();
    }
    ArrayRef<int64_t> shape = type.getShape();
    SmallVector<int64_t> batch(shape.drop_back(2));
    int64_t batchSize = 1;
    for (int64_t d : batch)
      batchSize *= d;
    auto flatten = [&](Value operand) {
      auto t = tensorType(operand);
      SmallVector<int64_t> full(batch);
      full.append(
          {t.getDimSize(t.getRank() - 2), t.getDimSize(t.getRank() - 1)});
      Value b = operand;
      if (t.getShape() != ArrayRef<int64_t>(full))
        b = rewriter.create<BroadcastToOp>(loc, operand, full);
      return rewriter.create<ReshapeOp>(
          loc, b,
          ArrayRef<int64_t>{batchSize, full[full.size() - 2], full.back()});
    };
    Value lhs = flatten(op.getLhs()), rhs = flatten(op.getRhs());
    auto flatType = RankedTensorType::get(
        {batchSize, shape[shape.size() - 2], shape.back()},
        type.getElementType());
    Value init = filled(rewriter, loc, flatType, zero);
    Value product = rewriter
                        .create<linalg::BatchMatmulOp>(
                            loc, ValueRange{lhs, rhs}, ValueRange{init})
                        .getResult(0);
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, type, product);
    return success();
  }
};

} // namespace

void populateKilnContractionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulLowering>(patterns.getContext());
}

} // namespace kiln::codegen
