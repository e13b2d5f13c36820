//===- KilnToLinalgReduction.cpp - Reduction kiln ops to linalg -----------===//
//
// Sums, maxima and minima over dimensions, and argmax/argmin.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/KilnToLinalgRewriters.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <limits>

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen {

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

Value beats(OpBuilder &b, Location loc, Value x, Value best, bool isMax) {
  if (!isFloat(x.getType()))
    return b.create<arith::CmpIOp>(
        loc, isMax ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt, x,
        best);
  Value strictly = b.create<arith::CmpFOp>(
      loc, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x,
      best);
  Value xNaN = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x);
  Value bestNaN =
      b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, best, best);
  Value notBestNaN = b.create<arith::XOrIOp>(
      loc, bestNaN, b.create<arith::ConstantOp>(loc, b.getBoolAttr(true)));
  return b.create<arith::OrIOp>(loc, strictly,
                                b.create<arith::AndIOp>(loc, xNaN, notBestNaN));
}

namespace {

/// Reduces `dims` of `input` with `combine`, starting from `identity`; the
/// result has the reduced dimensions removed.
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
             double identity,
             function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = tensorType(input);
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(dims, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced) {
      shape.push_back(type.getDimSize(d));
      outExprs.push_back(b.getAffineDimExpr(d));
    }
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  Value init = filled(b, loc, resultType,
                      scalar(b, loc, type.getElementType(), identity));
  auto generic = b.create<linalg::GenericOp>(
      loc, resultType, ValueRange{input}, ValueRange{init},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank),
                             AffineMap::get(rank, 0, outExprs, b.getContext())},
      iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
        nb.create<linalg::YieldOp>(l, combine(nb, l, args[1], args[0]));
      });
  return generic.getResult(0);
}

/// The identity of max (lowest value) or min (highest value) for `type`.
double extremeOf(Type type, bool lowest) {
  if (isFloat(type))
    return lowest ? -std::numeric_limits<double>::infinity()
                  : std::numeric_limits<double>::infinity();
  unsigned width = type.getIntOrFloatBitWidth();
  return lowest ? static_cast<double>(
                      APInt::getSignedMinValue(width).getSExtValue())
                : static_cast<double>(
                      APInt::getSignedMaxValue(width).getSExtValue());
}

template <typename Op> struct ReduceLowering : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    Type element = op.getType().getElementType();
    bool f = isFloat(element);
    double identity = 0;
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine;
    auto add = [f](OpBuilder &b, Location l, Value acc, Value x) -> Value {
      if (f)
        return b.create<arith::AddFOp>(l, acc, x);
      return b.create<arith::AddIOp>(l, acc, x);
    };
    auto max = [f](OpBuilder &b, Location l, Value acc, Value x) -> Value {
      if (f)
        return b.create<arith::MaximumFOp>(l, acc, x);
      return b.create<arith::MaxSIOp>(l, acc, x);
    };
    auto min = [f](OpBuilder &b, Location l, Value acc, Value x) -> Value {
      if (f)
        return b.create<arith::MinimumFOp>(l, acc, x);
      return b.create<arith::MinSIOp>(l, acc, x);
    };
    if constexpr (std::is_same_v<Op, ReduceSumOp>) {
      combine = add;
    } else if constexpr (std::is_same_v<Op, ReduceMaxOp>) {
      combine = max;
      identity = extremeOf(element, /*lowest=*/true);
    } else {
      combine = min;
      identity = extremeOf(element, /*lowest=*/false);
    }
    Value reduced = reduce(rewriter, op.getLoc(), op.getOperand(), op.getDims(),
                           identity, combine);
    rewriter.replaceOp(
        op, reshapeTo(rewriter, op.getLoc(), reduced, op.getType().getShape()));
    return success();
  }
};

/// argmax/argmin: a reduction carrying (best value, its index); the first
/// index wins ties, and NaN counts as the extreme, as in PyTorch.
template <typename Op, bool isMax>
struct ArgReduceLowering : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = tensorType(op.getOperand());
    Type element = type.getElementType();
    int64_t rank = type.getRank(), dim = op.getDim();
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(d == dim ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
      if (d != dim) {
        shape.push_back(type.getDimSize(d));
        outExprs.push_back(rewriter.getAffineDimExpr(d));
      }
    }
    auto valueType = RankedTensorType::get(shape, element);
    auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
    Value values =
        filled(rewriter, loc, valueType,
               scalar(rewriter, loc, element, extremeOf(element, isMax)));
    Value indices = filled(rewriter, loc, indexType,
                           scalar(rewriter, loc, rewriter.getI64Type(), 0));
    auto outMap = AffineMap::get(rank, 0, outExprs, this->getContext());
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{valueType, indexType}, ValueRange{op.getOperand()},
        ValueRange{values, indices},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank), outMap,
                               outMap},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value index = b.create<arith::IndexCastOp>(
              l, b.getI64Type(), b.create<linalg::IndexOp>(l, dim));
          // The very first element always wins, whatever the identity.
          Value first = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::eq, index,
              b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(0)));
          Value better =
              b.create<arith::OrIOp>(l, beats(b, l, x, best, isMax), first);
          b.create<linalg::YieldOp>(
              l, ValueRange{
                     b.create<arith::SelectOp>(l, better, x, best),
                     b.create<arith::SelectOp>(l, better, index, bestIndex)});
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, generic.getResult(1),
                                     op.getType().getShape()));
    return success();
  }
};

} // namespace

void populateKilnReductionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp>, ReduceLowering<ReduceMaxOp>,
               ReduceLowering<ReduceMinOp>, ArgReduceLowering<ArgmaxOp, true>,
               ArgReduceLowering<ArgminOp, false>>(patterns.getContext());
}

} // namespace kiln::codegen
