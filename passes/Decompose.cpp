//===- Decompose.cpp - Composite kiln ops into primitive ones -------------===//
#include "kiln/ir/KilnOps.h"
#include "kiln/ir/Shapes.h"
#include "kiln/passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "kiln-decompose"

namespace kiln {
#define GEN_PASS_DEF_KILNDECOMPOSE
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::ir;

namespace {

/// Builds primitive kiln ops at one location.
class Emitter {
public:
  Emitter(OpBuilder &builder, Location loc) : b(builder), loc(loc) {}

  /// A constant of `type` with every element `value`.
  Value splat(RankedTensorType type, double value) {
    auto element = b.getFloatAttr(type.getElementType(), value);
    return b.create<ConstantOp>(loc, DenseElementsAttr::get(type, element));
  }

  /// `value` broadcast to `shape` (itself when the shape already matches).
  Value broadcast(Value value, ArrayRef<int64_t> shape) {
    if (cast<RankedTensorType>(value.getType()).getShape() == shape)
      return value;
    return b.create<BroadcastToOp>(loc, value, shape);
  }

  Value reshape(Value value, ArrayRef<int64_t> shape) {
    if (cast<RankedTensorType>(value.getType()).getShape() == shape)
      return value;
    return b.create<ReshapeOp>(loc, value, shape);
  }

  template <typename Reduce>
  Value reduceKeep(Value value, ArrayRef<int64_t> dims) {
    return b.create<Reduce>(loc, value, b.getDenseI64ArrayAttr(dims),
                            /*keepdim=*/true);
  }

  template <typename Op, typename... Args> Value op(Args... args) {
    return b.create<Op>(loc, args...);
  }

  /// The mean over `dims` (kept as size-1 dimensions).
  Value mean(Value value, ArrayRef<int64_t> dims) {
    auto type = cast<RankedTensorType>(value.getType());
    int64_t count = 1;
    for (int64_t d : dims)
      count *= type.getDimSize(d);
    Value sum = reduceKeep<ReduceSumOp>(value, dims);
    return op<MulOp>(sum, splat(cast<RankedTensorType>(sum.getType()),
                                1.0 / static_cast<double>(count)));
  }

  OpBuilder &b;
  Location loc;
};

/// `x - max(x)` along a dimension, its exponential, and the sum of the
/// exponentials broadcast back to `x`'s shape.
struct ShiftedExp {
  Value shifted, exp, sum;
};
ShiftedExp shiftedExp(Emitter &e, Value x, int64_t dim) {
  auto shape = cast<RankedTensorType>(x.getType()).getShape();
  Value max = e.broadcast(e.reduceKeep<ReduceMaxOp>(x, {dim}), shape);
  Value shifted = e.op<SubOp>(x, max);
  Value exp = e.op<ExpOp>(shifted);
  Value sum = e.broadcast(e.reduceKeep<ReduceSumOp>(exp, {dim}), shape);
  return {shifted, exp, sum};
}

/// Normalizes `x` over `dims`: `(x - mean) * rsqrt(var + eps)` with the
/// biased variance. Returns the normalized value, the mean and the variance
/// (the last two with `dims` kept as size 1).
struct Moments {
  Value normalized, mean, variance;
};
Moments normalize(Emitter &e, Value x, ArrayRef<int64_t> dims, double eps) {
  auto shape = cast<RankedTensorType>(x.getType()).getShape();
  Value mean = e.mean(x, dims);
  Value centred = e.op<SubOp>(x, e.broadcast(mean, shape));
  Value variance = e.mean(e.op<MulOp>(centred, centred), dims);
  auto statsType = cast<RankedTensorType>(variance.getType());
  Value rstd = e.op<RsqrtOp>(e.op<AddOp>(variance, e.splat(statsType, eps)));
  return {e.op<MulOp>(centred, e.broadcast(rstd, shape)), mean, variance};
}

/// The shape `[1, C, 1, ...]` that per-channel parameters take to broadcast
/// over `[N, C, ...]`.
SmallVector<int64_t> channelShape(RankedTensorType type) {
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape[1] = type.getDimSize(1);
  return shape;
}

/// Rewrites one composite op; returns false for any other op.
bool decompose(Operation *op, IRRewriter &rewriter) {
  rewriter.setInsertionPoint(op);
  Emitter e(rewriter, op->getLoc());
  if (auto softmax = dyn_cast<SoftmaxOp>(op)) {
    ShiftedExp s = shiftedExp(e, softmax.getOperand(), softmax.getDim());
    rewriter.replaceOp(op, e.op<DivOp>(s.exp, s.sum));
    return true;
  }
  if (auto logSoftmax = dyn_cast<LogSoftmaxOp>(op)) {
    ShiftedExp s = shiftedExp(e, logSoftmax.getOperand(), logSoftmax.getDim());
    rewriter.replaceOp(op, e.op<SubOp>(s.shifted, e.op<LogOp>(s.sum)));
    return true;
  }
  if (auto norm = dyn_cast<LayerNormOp>(op)) {
    auto type = cast<RankedTensorType>(norm.getOperand().getType());
    SmallVector<int64_t> dims;
    for (int64_t d = norm.getAxis(); d < type.getRank(); ++d)
      dims.push_back(d);
    Moments m =
        normalize(e, norm.getOperand(), dims, norm.getEps().convertToDouble());
    Value scaled = e.op<MulOp>(m.normalized,
                               e.broadcast(norm.getWeight(), type.getShape()));
    rewriter.replaceOp(
        op, e.op<AddOp>(scaled, e.broadcast(norm.getBias(), type.getShape())));
    return true;
  }
  if (auto bn = dyn_cast<BatchNormTrainingOp>(op)) {
    auto type = cast<RankedTensorType>(bn.getOperand().getType());
    auto params = channelShape(type);
    Moments m = normalize(e, bn.getOperand(), allDimsExcept(type.getRank(), 1),
                          bn.getEps().convertToDouble());
    Value weight =
        e.broadcast(e.reshape(bn.getWeight(), params), type.getShape());
    Value bias = e.broadcast(e.reshape(bn.getBias(), params), type.getShape());
    Value y = e.op<AddOp>(e.op<MulOp>(m.normalized, weight), bias);
    int64_t channels = type.getDimSize(1);
    rewriter.replaceOp(op, {y, e.reshape(m.mean, {channels}),
                            e.reshape(m.variance, {channels})});
    return true;
  }
  if (auto bn = dyn_cast<BatchNormInferenceOp>(op)) {
    auto type = cast<RankedTensorType>(bn.getOperand().getType());
    auto params = channelShape(type);
    auto statsType = cast<RankedTensorType>(bn.getVariance().getType());
    // Fold the statistics into one scale and shift per channel first.
    Value rstd = e.op<RsqrtOp>(e.op<AddOp>(
        bn.getVariance(), e.splat(statsType, bn.getEps().convertToDouble())));
    Value scale = e.op<MulOp>(bn.getWeight(), rstd);
    Value shift = e.op<SubOp>(bn.getBias(), e.op<MulOp>(bn.getMean(), scale));
    Value y = e.op<MulOp>(bn.getOperand(), e.broadcast(e.reshape(scale, params),
                                                       type.getShape()));
    rewriter.replaceOp(op, e.op<AddOp>(y, e.broadcast(e.reshape(shift, params),
                                                      type.getShape())));
    return true;
  }
  return false;
}

struct DecomposePass : kiln::impl::KilnDecomposeBase<DecomposePass> {
  using KilnDecomposeBase::KilnDecomposeBase;

  void runOnOperation() override {
    SmallVector<Operation *> composites;
    getOperation()->walk([&](Operation *op) {
      if (keepRowOps && isa<SoftmaxOp, LogSoftmaxOp, LayerNormOp>(op))
        return;
      if (isa<SoftmaxOp, LogSoftmaxOp, LayerNormOp, BatchNormTrainingOp,
              BatchNormInferenceOp>(op))
        composites.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : composites)
      if (decompose(op, rewriter))
        ++numDecomposed;
  }
};

} // namespace
