//===- KilnToLinalgShape.cpp - Shape kiln ops to linalg and tensor --------===//
//
// Broadcasts, reshapes, transposes, slices, concatenation, padding, gather
// and scatter_add.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/KilnToLinalgRewriters.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen {

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

Value insertAt(OpBuilder &b, Location loc, Value source, Value dest,
               ArrayRef<int64_t> offsets) {
  auto type = tensorType(source);
  SmallVector<int64_t> strides(type.getRank(), 1);
  return b.create<tensor::InsertSliceOp>(loc, source, dest, ValueRange{},
                                         ValueRange{}, ValueRange{}, offsets,
                                         type.getShape(), strides);
}

SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear,
                               ArrayRef<int64_t> shape) {
  SmallVector<Value> coords(shape.size());
  Value rest = linear;
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    Value size = b.create<arith::ConstantIndexOp>(loc, shape[d]);
    coords[d] = b.create<arith::RemUIOp>(loc, rest, size);
    rest = b.create<arith::DivUIOp>(loc, rest, size);
  }
  return coords;
}

namespace {

struct BroadcastLowering : OpRewritePattern<BroadcastToOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BroadcastToOp op,
                                PatternRewriter &rewriter) const override {
    auto from = tensorType(op.getOperand());
    auto to = op.getType();
    int64_t lead = to.getRank() - from.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < from.getRank(); ++d)
      exprs.push_back(from.getDimSize(d) == 1 && to.getDimSize(lead + d) != 1
                          ? rewriter.getAffineConstantExpr(0)
                          : rewriter.getAffineDimExpr(lead + d));
    auto inMap = AffineMap::get(to.getRank(), 0, exprs, getContext());
    Location loc = op.getLoc();
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, to, ValueRange{op.getOperand()},
        ValueRange{emptyLike(rewriter, loc, to)},
        SmallVector<AffineMap>{inMap,
                               rewriter.getMultiDimIdentityMap(to.getRank())},
        parallel(to.getRank()), [](OpBuilder &b, Location l, ValueRange args) {
          b.create<linalg::YieldOp>(l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct ReshapeLowering : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), op.getOperand(),
                                     op.getType().getShape()));
    return success();
  }
};

struct TransposeLowering : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto transpose = rewriter.create<linalg::TransposeOp>(
        loc, op.getOperand(), emptyLike(rewriter, loc, op.getType()),
        op.getPermutation());
    rewriter.replaceOp(op, transpose.getResults());
    return success();
  }
};

struct SliceLowering : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, op.getType(), op.getOperand(), ValueRange{}, ValueRange{},
        ValueRange{}, op.getStart(), op.getType().getShape(), op.getStrides());
    return success();
  }
};

struct ConcatLowering : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value result = emptyLike(rewriter, loc, op.getType());
    SmallVector<int64_t> offsets(op.getType().getRank(), 0);
    for (Value input : op.getInputs()) {
      result = insertAt(rewriter, loc, input, result, offsets);
      offsets[op.getDim()] += tensorType(input).getDimSize(op.getDim());
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PadLowering : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value value = rewriter.create<tensor::ExtractOp>(loc, op.getPaddingValue(),
                                                     ValueRange{});
    Value border = filled(rewriter, loc, op.getType(), value);
    rewriter.replaceOp(
        op, insertAt(rewriter, loc, op.getOperand(), border, op.getLow()));
    return success();
  }
};

/// Index `raw` (any integer type) as an `index`, clamped into [0, size).
Value clampedIndex(OpBuilder &b, Location loc, Value raw, int64_t size) {
  Value index = b.create<arith::IndexCastOp>(loc, b.getIndexType(), raw);
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value last = b.create<arith::ConstantIndexOp>(loc, size - 1);
  return b.create<arith::MinSIOp>(
      loc, b.create<arith::MaxSIOp>(loc, index, zero), last);
}

struct GatherLowering : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op,
                                PatternRewriter &rewriter) const override {
    auto type = op.getType();
    auto table = tensorType(op.getOperand());
    auto indices = tensorType(op.getIndices());
    int64_t dim = op.getDim(), rank = type.getRank(),
            indexRank = indices.getRank();
    Location loc = op.getLoc();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < indexRank; ++i)
      indexExprs.push_back(rewriter.getAffineDimExpr(dim + i));
    auto indexMap = AffineMap::get(rank, 0, indexExprs, getContext());
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{op.getIndices()},
        ValueRange{emptyLike(rewriter, loc, type)},
        SmallVector<AffineMap>{indexMap, rewriter.getMultiDimIdentityMap(rank)},
        parallel(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < dim; ++d)
            coords.push_back(b.create<linalg::IndexOp>(l, d));
          coords.push_back(clampedIndex(b, l, args[0], table.getDimSize(dim)));
          for (int64_t d = dim + 1; d < table.getRank(); ++d)
            coords.push_back(b.create<linalg::IndexOp>(l, d - 1 + indexRank));
          b.create<linalg::YieldOp>(
              l, b.create<tensor::ExtractOp>(l, op.getOperand(), coords)
                     .getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// scatter_add as a loop over the updates that accumulates into a copy of
/// the operand (slices with equal indices must add up, so no parallel map).
struct ScatterAddLowering : OpRewritePattern<ScatterAddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScatterAddOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    auto updates = tensorType(op.getUpdates());
    auto indices = tensorType(op.getIndices());
    int64_t dim = op.getDim(), indexRank = indices.getRank();
    bool f = isFloat(type.getElementType());
    // Copy the operand so the loop can update in place.
    Value init = rewriter
                     .create<linalg::CopyOp>(loc, op.getOperand(),
                                             emptyLike(rewriter, loc, type))
                     .getResult(0);
    Value zero = rewriter.create<arith::ConstantIndexOp>(loc, 0);
    Value one = rewriter.create<arith::ConstantIndexOp>(loc, 1);
    Value count =
        rewriter.create<arith::ConstantIndexOp>(loc, updates.getNumElements());
    auto loop = rewriter.create<scf::ForOp>(
        loc, zero, count, one, ValueRange{init},
        [&](OpBuilder &b, Location l, Value linear, ValueRange iter) {
          SmallVector<Value> coords =
              delinearize(b, l, linear, updates.getShape());
          SmallVector<Value> indexCoords(coords.begin() + dim,
                                         coords.begin() + dim + indexRank);
          Value raw =
              b.create<tensor::ExtractOp>(l, op.getIndices(), indexCoords);
          SmallVector<Value> target(coords.begin(), coords.begin() + dim);
          target.push_back(clampedIndex(b, l, raw, type.getDimSize(dim)));
          target.append(coords.begin() + dim + indexRank, coords.end());
          Value update =
              b.create<tensor::ExtractOp>(l, op.getUpdates(), coords);
          Value current = b.create<tensor::ExtractOp>(l, iter[0], target);
          Value sum =
              f ? b.create<arith::AddFOp>(l, current, update).getResult()
                : b.create<arith::AddIOp>(l, current, update).getResult();
          Value next = b.create<tensor::InsertOp>(l, sum, iter[0], target);
          b.create<scf::YieldOp>(l, next);
        });
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

} // namespace

void populateKilnShapeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<BroadcastLowering, ReshapeLowering, TransposeLowering, SliceLowering,
           ConcatLowering, PadLowering, GatherLowering, ScatterAddLowering>(
          patterns.getContext());
}

} // namespace kiln::codegen
