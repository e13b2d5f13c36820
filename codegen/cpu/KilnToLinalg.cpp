//===- KilnToLinalg.cpp - kiln ops to linalg/tensor/arith/math ------------===//
#include "kiln/codegen/Passes.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

#include <numbers>

#define DEBUG_TYPE "kiln-to-linalg"

namespace kiln {
#define GEN_PASS_DEF_KILNTOLINALG
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::ir;

namespace {

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

bool isFloat(Type t) { return isa<FloatType>(t); }

/// A scalar constant of `type` (float or integer).
Value scalar(OpBuilder &b, Location loc, Type type, double value) {
  if (auto f = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(f, value));
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value emptyLike(OpBuilder &b, Location loc, RankedTensorType type) {
  return b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
}

/// A tensor of `type` filled with `value` (a scalar).
Value filled(OpBuilder &b, Location loc, RankedTensorType type, Value value) {
  return b
      .create<linalg::FillOp>(loc, ValueRange{value},
                              ValueRange{emptyLike(b, loc, type)})
      .result();
}

SmallVector<utils::IteratorType> parallel(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

/// A static reshape of `value` to `shape`, as a collapse to 1-d followed by
/// an expand (both free on contiguous buffers).
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> shape) {
  auto from = tensorType(value);
  auto to = RankedTensorType::get(shape, from.getElementType());
  if (from == to)
    return value;
  auto all = [](int64_t rank) {
    ReassociationIndices group;
    for (int64_t i = 0; i < rank; ++i)
      group.push_back(i);
    return SmallVector<ReassociationIndices>{group};
  };
  if (from.getRank() == 0)
    return b.create<tensor::ExpandShapeOp>(loc, to, value,
                                           SmallVector<ReassociationIndices>{});
  if (to.getRank() == 0)
    return b.create<tensor::CollapseShapeOp>(
        loc, to, value, SmallVector<ReassociationIndices>{});
  Value flat = value;
  if (from.getRank() != 1)
    flat = b.create<tensor::CollapseShapeOp>(
        loc,
        RankedTensorType::get({from.getNumElements()}, from.getElementType()),
        value, all(from.getRank()));
  if (to.getRank() == 1)
    return flat;
  return b.create<tensor::ExpandShapeOp>(loc, to, flat, all(to.getRank()));
}

//===----------------------------------------------------------------------===//
// Elementwise scalar bodies
//===----------------------------------------------------------------------===//

/// Integer division that yields 0 where the divisor is 0 (or the quotient
/// overflows) instead of trapping.
Value safeDivSI(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  Type t = lhs.getType();
  Value zero = scalar(b, loc, t, 0), one = scalar(b, loc, t, 1);
  Value minusOne = scalar(b, loc, t, -1);
  unsigned width = t.getIntOrFloatBitWidth();
  Value minValue = b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(t, APInt::getSignedMinValue(width)));
  Value byZero =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs, zero);
  Value overflow = b.create<arith::AndIOp>(
      loc,
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, lhs, minValue),
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs, minusOne));
  Value bad = b.create<arith::OrIOp>(loc, byZero, overflow);
  Value divisor = b.create<arith::SelectOp>(loc, bad, one, rhs);
  Value quotient = b.create<arith::DivSIOp>(loc, lhs, divisor);
  return b.create<arith::SelectOp>(loc, bad, zero, quotient);
}

Value convertScalar(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  bool fromBool = from.isInteger(1), toBool = to.isInteger(1);
  if (toBool) {
    if (isFloat(from))
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, v,
                                     scalar(b, loc, from, 0));
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, v,
                                   scalar(b, loc, from, 0));
  }
  // bf16 converts only to and from f32 natively (anything else would call
  // compiler-rt, which the JIT does not have): go through f32.
  if ((from.isBF16() || to.isBF16()) && !from.isF32() && !to.isF32()) {
    Value wide = convertScalar(b, loc, v, b.getF32Type());
    return convertScalar(b, loc, wide, to);
  }
  if (isFloat(from) && isFloat(to)) {
    if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
      return b.create<arith::ExtFOp>(loc, to, v);
    return b.create<arith::TruncFOp>(loc, to, v);
  }
  if (isFloat(to))
    return fromBool ? b.create<arith::UIToFPOp>(loc, to, v).getResult()
                    : b.create<arith::SIToFPOp>(loc, to, v).getResult();
  if (isFloat(from))
    return b.create<arith::FPToSIOp>(loc, to, v);
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return fromBool ? b.create<arith::ExtUIOp>(loc, to, v).getResult()
                    : b.create<arith::ExtSIOp>(loc, to, v).getResult();
  return b.create<arith::TruncIOp>(loc, to, v);
}

/// The scalar computation of one elementwise kiln op on `args` (one element
/// of each operand), or null for an op this does not handle.
Value emitElementwise(OpBuilder &b, Location loc, Operation *op,
                      ValueRange args, Type resultType) {
  Type t = args.empty() ? resultType : args[0].getType();
  bool f = isFloat(t);
  auto one = [&] { return scalar(b, loc, t, 1); };
  auto zero = [&] { return scalar(b, loc, t, 0); };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](NegOp) -> Value {
        if (f)
          return b.create<arith::NegFOp>(loc, args[0]);
        return b.create<arith::SubIOp>(loc, zero(), args[0]);
      })
      .Case([&](AbsOp) -> Value {
        if (f)
          return b.create<math::AbsFOp>(loc, args[0]);
        return b.create<math::AbsIOp>(loc, args[0]);
      })
      .Case([&](ExpOp) { return b.create<math::ExpOp>(loc, args[0]); })
      .Case([&](LogOp) { return b.create<math::LogOp>(loc, args[0]); })
      .Case([&](Log1pOp) { return b.create<math::Log1pOp>(loc, args[0]); })
      .Case([&](SqrtOp) { return b.create<math::SqrtOp>(loc, args[0]); })
      .Case([&](RsqrtOp) { return b.create<math::RsqrtOp>(loc, args[0]); })
      .Case([&](ReciprocalOp) {
        return b.create<arith::DivFOp>(loc, one(), args[0]);
      })
      .Case([&](TanhOp) { return b.create<math::TanhOp>(loc, args[0]); })
      .Case([&](SigmoidOp) {
        Value e =
            b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, args[0]));
        return b.create<arith::DivFOp>(loc, one(),
                                       b.create<arith::AddFOp>(loc, one(), e));
      })
      .Case([&](ReluOp) -> Value {
        if (f)
          return b.create<arith::MaximumFOp>(loc, args[0], zero());
        return b.create<arith::MaxSIOp>(loc, args[0], zero());
      })
      .Case([&](SinOp) { return b.create<math::SinOp>(loc, args[0]); })
      .Case([&](CosOp) { return b.create<math::CosOp>(loc, args[0]); })
      .Case([&](SignOp) -> Value {
        // (x > 0) - (x < 0): NaN gives 0.
        Value pos, neg;
        if (f) {
          pos = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, args[0],
                                        zero());
          neg = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, args[0],
                                        zero());
        } else {
          pos = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, args[0],
                                        zero());
          neg = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, args[0],
                                        zero());
        }
        Value p = convertScalar(b, loc, pos, t),
              n = convertScalar(b, loc, neg, t);
        if (f)
          return b.create<arith::SubFOp>(loc, p, n);
        return b.create<arith::SubIOp>(loc, p, n);
      })
      .Case([&](FloorOp) { return b.create<math::FloorOp>(loc, args[0]); })
      .Case([&](NotOp) {
        Value allOnes = b.create<arith::ConstantOp>(
            loc,
            b.getIntegerAttr(t, APInt::getAllOnes(t.getIntOrFloatBitWidth())));
        return b.create<arith::XOrIOp>(loc, args[0], allOnes);
      })
      .Case([&](GeluOp gelu) -> Value {
        Value x = args[0];
        Value half = scalar(b, loc, t, 0.5);
        Value inner;
        if (gelu.getApproximate() == GeluApproximation::tanh) {
          // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
          Value x3 = b.create<arith::MulFOp>(
              loc, x, b.create<arith::MulFOp>(loc, x, x));
          Value poly = b.create<arith::AddFOp>(
              loc, x,
              b.create<arith::MulFOp>(loc, scalar(b, loc, t, 0.044715), x3));
          Value scaled = b.create<arith::MulFOp>(
              loc, scalar(b, loc, t, std::sqrt(2.0 / std::numbers::pi)), poly);
          inner = b.create<math::TanhOp>(loc, scaled);
        } else {
          // 0.5 x (1 + erf(x / sqrt(2)))
          Value scaled = b.create<arith::MulFOp>(
              loc, x, scalar(b, loc, t, 1.0 / std::numbers::sqrt2));
          inner = b.create<math::ErfOp>(loc, scaled);
        }
        Value sum = b.create<arith::AddFOp>(loc, one(), inner);
        return b.create<arith::MulFOp>(
            loc, b.create<arith::MulFOp>(loc, half, x), sum);
      })
      .Case([&](AddOp) -> Value {
        if (f)
          return b.create<arith::AddFOp>(loc, args[0], args[1]);
        return b.create<arith::AddIOp>(loc, args[0], args[1]);
      })
      .Case([&](SubOp) -> Value {
        if (f)
          return b.create<arith::SubFOp>(loc, args[0], args[1]);
        return b.create<arith::SubIOp>(loc, args[0], args[1]);
      })
      .Case([&](MulOp) -> Value {
        if (f)
          return b.create<arith::MulFOp>(loc, args[0], args[1]);
        return b.create<arith::MulIOp>(loc, args[0], args[1]);
      })
      .Case([&](DivOp) -> Value {
        if (f)
          return b.create<arith::DivFOp>(loc, args[0], args[1]);
        return safeDivSI(b, loc, args[0], args[1]);
      })
      .Case(
          [&](PowOp) { return b.create<math::PowFOp>(loc, args[0], args[1]); })
      .Case([&](MaximumOp) -> Value {
        if (f)
          return b.create<arith::MaximumFOp>(loc, args[0], args[1]);
        return b.create<arith::MaxSIOp>(loc, args[0], args[1]);
      })
      .Case([&](MinimumOp) -> Value {
        if (f)
          return b.create<arith::MinimumFOp>(loc, args[0], args[1]);
        return b.create<arith::MinSIOp>(loc, args[0], args[1]);
      })
      .Case(
          [&](AndOp) { return b.create<arith::AndIOp>(loc, args[0], args[1]); })
      .Case([&](OrOp) { return b.create<arith::OrIOp>(loc, args[0], args[1]); })
      .Case([&](CompareOp cmp) -> Value {
        if (f) {
          static constexpr arith::CmpFPredicate preds[] = {
              arith::CmpFPredicate::OEQ, arith::CmpFPredicate::UNE,
              arith::CmpFPredicate::OLT, arith::CmpFPredicate::OLE,
              arith::CmpFPredicate::OGT, arith::CmpFPredicate::OGE};
          return b.create<arith::CmpFOp>(
              loc, preds[static_cast<int>(cmp.getDirection())], args[0],
              args[1]);
        }
        static constexpr arith::CmpIPredicate preds[] = {
            arith::CmpIPredicate::eq,  arith::CmpIPredicate::ne,
            arith::CmpIPredicate::slt, arith::CmpIPredicate::sle,
            arith::CmpIPredicate::sgt, arith::CmpIPredicate::sge};
        return b.create<arith::CmpIOp>(
            loc, preds[static_cast<int>(cmp.getDirection())], args[0], args[1]);
      })
      .Case([&](SelectOp) {
        return b.create<arith::SelectOp>(loc, args[0], args[1], args[2]);
      })
      .Case(
          [&](ConvertOp) { return convertScalar(b, loc, args[0], resultType); })
      .Default([](Operation *) { return Value(); });
}

/// Any kiln op with the Elementwise trait (and convert/select/compare) as one
/// `linalg.generic` over identity maps.
struct ElementwiseLowering : RewritePattern {
  ElementwiseLowering(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<KilnDialect>(op->getDialect()) ||
        !op->hasTrait<OpTrait::Elementwise>())
      return failure();
    auto type = tensorType(op->getResult(0));
    Location loc = op->getLoc();
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps(op->getNumOperands() + 1,
                                rewriter.getMultiDimIdentityMap(rank));
    bool supported = true;
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, op->getOperands(),
        ValueRange{emptyLike(rewriter, loc, type)}, maps, parallel(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value r = emitElementwise(b, l, op, args.drop_back(),
                                    type.getElementType());
          if (!r) {
            supported = false;
            r = args.back();
          }
          b.create<linalg::YieldOp>(l, r);
        });
    if (!supported) {
      rewriter.eraseOp(generic);
      return rewriter.notifyMatchFailure(op, "no scalar lowering");
    }
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

struct ConstantLowering : OpRewritePattern<ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConstantOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getType(),
                                                   op.getValue());
    return success();
  }
};

struct IotaLowering : OpRewritePattern<IotaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IotaOp op,
                                PatternRewriter &rewriter) const override {
    auto type = op.getType();
    Location loc = op.getLoc();
    int64_t rank = type.getRank(), dim = op.getDim();
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{}, ValueRange{emptyLike(rewriter, loc, type)},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        parallel(rank), [&](OpBuilder &b, Location l, ValueRange) {
          Value index = b.create<linalg::IndexOp>(l, dim);
          Value i64 = b.create<arith::IndexCastOp>(l, b.getI64Type(), index);
          b.create<linalg::YieldOp>(
              l, convertScalar(b, l, i64, type.getElementType()));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct FillLowering : OpRewritePattern<FillOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FillOp op,
                                PatternRewriter &rewriter) const override {
    Value value = rewriter.create<tensor::ExtractOp>(op.getLoc(), op.getValue(),
                                                     ValueRange{});
    rewriter.replaceOp(op, filled(rewriter, op.getLoc(), op.getType(), value));
    return success();
  }
};

/// Philox-4x32-10 of a 64-bit counter under a 64-bit key; returns the first
/// two 32-bit output words (as i32 values).
std::pair<Value, Value> philox(OpBuilder &b, Location loc, Value counter,
                               Value key) {
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  auto c32 = [&](uint32_t v) {
    return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(i32, v));
  };
  auto lo = [&](Value v64) { return b.create<arith::TruncIOp>(loc, i32, v64); };
  auto hi = [&](Value v64) {
    Value shifted = b.create<arith::ShRUIOp>(
        loc, v64, b.create<arith::ConstantOp>(loc, b.getIntegerAttr(i64, 32)));
    return b.create<arith::TruncIOp>(loc, i32, shifted);
  };
  auto mulWide = [&](Value a, uint32_t m) {
    Value wide = b.create<arith::ExtUIOp>(loc, i64, a);
    return b.create<arith::MulIOp>(
        loc, wide, b.create<arith::ConstantOp>(loc, b.getIntegerAttr(i64, m)));
  };
  Value c0 = lo(counter), c1 = hi(counter), c2 = c32(0), c3 = c32(0);
  Value k0 = lo(key), k1 = hi(key);
  for (int round = 0; round < 10; ++round) {
    Value p0 = mulWide(c0, 0xD2511F53u), p1 = mulWide(c2, 0xCD9E8D57u);
    Value n0 = b.create<arith::XOrIOp>(
        loc, b.create<arith::XOrIOp>(loc, hi(p1), c1), k0);
    Value n2 = b.create<arith::XOrIOp>(
        loc, b.create<arith::XOrIOp>(loc, hi(p0), c3), k1);
    c1 = lo(p1);
    c3 = lo(p0);
    c0 = n0;
    c2 = n2;
    k0 = b.create<arith::AddIOp>(loc, k0, c32(0x9E3779B9u));
    k1 = b.create<arith::AddIOp>(loc, k1, c32(0xBB67AE85u));
  }
  return {c0, c1};
}

/// A uniform number in [0, 1) as f64 with `bits` random significant bits
/// (so that rounding to the result type can never reach 1).
Value uniformF64(OpBuilder &b, Location loc, Value w0, Value w1, int bits) {
  Type i64 = b.getI64Type(), f64 = b.getF64Type();
  auto c64 = [&](int64_t v) {
    return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(i64, v));
  };
  Value word = b.create<arith::OrIOp>(
      loc,
      b.create<arith::ShLIOp>(loc, b.create<arith::ExtUIOp>(loc, i64, w0),
                              c64(32)),
      b.create<arith::ExtUIOp>(loc, i64, w1));
  Value top = b.create<arith::ShRUIOp>(loc, word, c64(64 - bits));
  Value asFloat = b.create<arith::UIToFPOp>(loc, f64, top);
  return b.create<arith::MulFOp>(loc, asFloat,
                                 scalar(b, loc, f64, std::ldexp(1.0, -bits)));
}

template <typename Op, bool normal> struct RngLowering : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto type = op.getType();
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    Value seed =
        rewriter.create<tensor::ExtractOp>(loc, op.getSeed(), ValueRange{});
    Value offset =
        rewriter.create<tensor::ExtractOp>(loc, op.getOffset(), ValueRange{});
    auto element = cast<FloatType>(type.getElementType());
    int bits = std::min<int>(element.getFPMantissaWidth(), 53);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{}, ValueRange{emptyLike(rewriter, loc, type)},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        parallel(rank), [&](OpBuilder &b, Location l, ValueRange) {
          // Row-major linear index of the element.
          Value linear = b.create<arith::ConstantIndexOp>(l, 0);
          for (int64_t d = 0; d < rank; ++d) {
            Value size =
                b.create<arith::ConstantIndexOp>(l, type.getDimSize(d));
            linear = b.create<arith::AddIOp>(
                l, b.create<arith::MulIOp>(l, linear, size),
                b.create<linalg::IndexOp>(l, d));
          }
          Value counter = b.create<arith::AddIOp>(
              l, offset,
              b.create<arith::IndexCastOp>(l, b.getI64Type(), linear));
          auto [w0, w1] = philox(b, l, counter, seed);
          Value value;
          if constexpr (normal) {
            // Box-Muller on two 32-bit uniforms; u1 in (0, 1] keeps log finite.
            Type f64 = b.getF64Type();
            auto unit = [&](Value w, double shift) {
              Value x = b.create<arith::UIToFPOp>(
                  l, f64, b.create<arith::ExtUIOp>(l, b.getI64Type(), w));
              return b.create<arith::MulFOp>(
                  l, b.create<arith::AddFOp>(l, x, scalar(b, l, f64, shift)),
                  scalar(b, l, f64, std::ldexp(1.0, -32)));
            };
            Value u1 = unit(w0, 1.0), u2 = unit(w1, 0.0);
            Value radius = b.create<math::SqrtOp>(
                l, b.create<arith::MulFOp>(l, scalar(b, l, f64, -2.0),
                                           b.create<math::LogOp>(l, u1)));
            Value angle = b.create<arith::MulFOp>(
                l, scalar(b, l, f64, 2.0 * std::numbers::pi), u2);
            value = b.create<arith::MulFOp>(l, radius,
                                            b.create<math::CosOp>(l, angle));
          } else {
            value = uniformF64(b, l, w0, w1, bits);
          }
          b.create<linalg::YieldOp>(l, convertScalar(b, l, value, element));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

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

/// Inserts `source` into `dest` at `offsets` (unit strides).
Value insertAt(OpBuilder &b, Location loc, Value source, Value dest,
               ArrayRef<int64_t> offsets) {
  auto type = tensorType(source);
  SmallVector<int64_t> strides(type.getRank(), 1);
  return b.create<tensor::InsertSliceOp>(loc, source, dest, ValueRange{},
                                         ValueRange{}, ValueRange{}, offsets,
                                         type.getShape(), strides);
}

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

/// The row-major coordinates of element `linear` of a tensor of `shape`.
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

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

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

/// Whether `x` replaces `best` as the running maximum (`isMax`) or minimum:
/// it is strictly more extreme, or it is NaN and `best` is not. So the first
/// extreme wins ties and NaN counts as the extreme, as in PyTorch.
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

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// `value` ([N, C, H, W]) with `padding[i]` elements of `border` before and
/// after spatial dimension i, as a fill and an insert_slice (what PadLowering
/// does; tensor.pad would not bufferize).
Value padSpatial(OpBuilder &b, Location loc, Value value,
                 ArrayRef<int64_t> padding, double border) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return value;
  auto type = tensorType(value);
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += 2 * padding[0];
  shape[3] += 2 * padding[1];
  Value init =
      filled(b, loc, RankedTensorType::get(shape, type.getElementType()),
             scalar(b, loc, type.getElementType(), border));
  return insertAt(b, loc, value, init, {0, 0, padding[0], padding[1]});
}

/// The reassociation between a rank-`rank` shape and the one where dimension
/// `dim` is split in two.
SmallVector<ReassociationIndices> splitAt(int64_t rank, int64_t dim) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0, next = 0; d < rank; ++d) {
    ReassociationIndices group{next++};
    if (d == dim)
      group.push_back(next++);
    groups.push_back(group);
  }
  return groups;
}

/// `value` with dimension `dim` split into [groups, size / groups], so that
/// grouped convolutions index the group apart from the channel in it.
Value splitGroups(OpBuilder &b, Location loc, Value value, int64_t dim,
                  int64_t groups) {
  auto type = tensorType(value);
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] /= groups;
  shape.insert(shape.begin() + dim, groups);
  return b.create<tensor::ExpandShapeOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), value,
      splitAt(type.getRank(), dim));
}

/// `value` with dimensions `dim` and `dim + 1` merged (splitGroups' inverse).
Value mergeGroups(OpBuilder &b, Location loc, Value value, int64_t dim) {
  auto type = tensorType(value);
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] *= shape[dim + 1];
  shape.erase(shape.begin() + dim + 1);
  return b.create<tensor::CollapseShapeOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), value,
      splitAt(type.getRank() - 1, dim));
}

/// A linalg.generic accumulating `lhs * rhs` into a zero-filled `resultType`
/// with `maps` (lhs, rhs, result) over `parallelDims` parallel loops
/// followed by reduction loops.
Value multiplyAccumulate(OpBuilder &b, Location loc, Value lhs, Value rhs,
                         RankedTensorType resultType, ArrayRef<AffineMap> maps,
                         int64_t parallelDims) {
  Value init = filled(b, loc, resultType,
                      scalar(b, loc, resultType.getElementType(), 0));
  SmallVector<utils::IteratorType> iterators(maps[0].getNumDims(),
                                             utils::IteratorType::reduction);
  std::fill_n(iterators.begin(), parallelDims, utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, resultType, ValueRange{lhs, rhs}, ValueRange{init}, maps, iterators,
      [](OpBuilder &nb, Location l, ValueRange args) {
        Value product = nb.create<arith::MulFOp>(l, args[0], args[1]);
        nb.create<linalg::YieldOp>(
            l, ValueRange{nb.create<arith::AddFOp>(l, args[2], product)});
      });
  return generic.getResult(0);
}

/// The adjoint of a window op (conv2d or pooling) with respect to its input
/// as a stride-1 correlation. Input row h receives grad_output row o through
/// window row k when h = o stride - padding + k dilation; so with row o put
/// at o stride + (kernel - 1) dilation - padding among zeros, input row h
/// finds its terms at rows h + (kernel - 1 - k) dilation: a correlation with
/// the window flipped. Returns that spread grad_output, of spatial size
/// `inputSize` + (kernel - 1) dilation; grad_output rows that would land
/// outside it reach only padding, and are dropped.
Value spreadGradOutput(OpBuilder &b, Location loc, Value gradOutput,
                       ArrayRef<int64_t> inputSize, ArrayRef<int64_t> kernel,
                       ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
                       ArrayRef<int64_t> dilation) {
  auto type = tensorType(gradOutput);
  SmallVector<int64_t> shape(type.getShape()), offsets(4, 0),
      sizes(type.getShape()), sourceOffsets(4, 0);
  bool empty = false;
  for (int i = 0; i < 2; ++i) {
    int64_t span = dilation[i] * (kernel[i] - 1);
    shape[2 + i] = inputSize[i] + span;
    // Row o lands at o stride + low; rows [first, end) land inside.
    int64_t low = span - padding[i];
    int64_t first = low >= 0 ? 0 : llvm::divideCeilSigned(-low, stride[i]);
    int64_t end = std::min(type.getDimSize(2 + i),
                           (shape[2 + i] - 1 - low) / stride[i] + 1);
    empty |= end <= first;
    sourceOffsets[2 + i] = first;
    sizes[2 + i] = end - first;
    offsets[2 + i] = low + first * stride[i];
  }
  Type element = type.getElementType();
  Value spread = filled(b, loc, RankedTensorType::get(shape, element),
                        scalar(b, loc, element, 0));
  if (empty)
    return spread;
  Value kept = gradOutput;
  if (ArrayRef<int64_t>(sizes) != type.getShape())
    kept = b.create<tensor::ExtractSliceOp>(
        loc, RankedTensorType::get(sizes, element), gradOutput, ValueRange{},
        ValueRange{}, ValueRange{}, sourceOffsets, sizes,
        SmallVector<int64_t>(4, 1));
  return b.create<tensor::InsertSliceOp>(
      loc, kept, spread, ValueRange{}, ValueRange{}, ValueRange{}, offsets,
      sizes, SmallVector<int64_t>{1, 1, stride[0], stride[1]});
}

/// conv2d: linalg.conv_2d_nchw_fchw on the zero-padded input, or for
/// groups > 1 linalg.conv_2d_ngchw_gfchw on views with the group split out
/// of the channel dimensions.
struct Conv2dLowering : OpRewritePattern<Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t groups = op.getGroups();
    Value input = padSpatial(rewriter, loc, op.getInput(), op.getPadding(), 0);
    Value zero = scalar(rewriter, loc, type.getElementType(), 0);
    auto strides = rewriter.getI64TensorAttr(op.getStride());
    auto dilations = rewriter.getI64TensorAttr(op.getDilation());
    if (groups == 1) {
      Value init = filled(rewriter, loc, type, zero);
      rewriter.replaceOp(op, rewriter
                                 .create<linalg::Conv2DNchwFchwOp>(
                                     loc, TypeRange{type},
                                     ValueRange{input, op.getFilter()},
                                     ValueRange{init}, strides, dilations)
                                 .getResult(0));
      return success();
    }
    ArrayRef<int64_t> shape = type.getShape();
    auto groupedType = RankedTensorType::get(
        {shape[0], groups, shape[1] / groups, shape[2], shape[3]},
        type.getElementType());
    Value init = filled(rewriter, loc, groupedType, zero);
    Value conv =
        rewriter
            .create<linalg::Conv2DNgchwGfchwOp>(
                loc, TypeRange{groupedType},
                ValueRange{
                    splitGroups(rewriter, loc, input, 1, groups),
                    splitGroups(rewriter, loc, op.getFilter(), 0, groups)},
                ValueRange{init}, strides, dilations)
            .getResult(0);
    rewriter.replaceOp(op, mergeGroups(rewriter, loc, conv, 1));
    return success();
  }
};

/// `linalg.conv_2d_nchw_fchw` of `input` by `filter` (no padding) into a
/// zero-filled `type`: the form that oneDNN runs (kiln-library-calls).
Value convolution(OpBuilder &b, Location loc, Value input, Value filter,
                  RankedTensorType type, ArrayRef<int64_t> stride,
                  ArrayRef<int64_t> dilation) {
  Value init = filled(b, loc, type, scalar(b, loc, type.getElementType(), 0));
  return b
      .create<linalg::Conv2DNchwFchwOp>(
          loc, TypeRange{type}, ValueRange{input, filter}, ValueRange{init},
          b.getI64TensorAttr(stride), b.getI64TensorAttr(dilation))
      .getResult(0);
}

/// `value` [A, B, H, W] as [B, A, H, W].
Value swapLeadingDims(OpBuilder &b, Location loc, Value value) {
  auto type = tensorType(value);
  ArrayRef<int64_t> shape = type.getShape();
  auto swapped = RankedTensorType::get({shape[1], shape[0], shape[2], shape[3]},
                                       type.getElementType());
  return b
      .create<linalg::TransposeOp>(loc, value, emptyLike(b, loc, swapped),
                                   ArrayRef<int64_t>{1, 0, 2, 3})
      ->getResult(0);
}

/// conv2d_grad_input: a linalg.generic correlating the spread grad_output
/// with the flipped filter, per group:
/// dx[n, g, c, h, w] += dy'[n, g, o, h + (KH-1-kh) dh, w + (KW-1-kw) dw]
///                      * filter[g, o, c, kh, kw].
struct Conv2dGradInputLowering : OpRewritePattern<Conv2dGradInputOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dGradInputOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    ArrayRef<int64_t> shape = type.getShape();
    ArrayRef<int64_t> kernel =
        tensorType(op.getFilter()).getShape().drop_front(2);
    ArrayRef<int64_t> dilation = op.getDilation();
    int64_t groups = op.getGroups();
    Value spread =
        spreadGradOutput(rewriter, loc, op.getGradOutput(), shape.drop_front(2),
                         kernel, op.getStride(), op.getPadding(), dilation);
    if (groups == 1) {
      // A stride-1 convolution of the spread gradient by the flipped filter
      // with its two leading dimensions swapped: [C, O, KH, KW].
      auto filterType = tensorType(op.getFilter());
      ArrayRef<int64_t> f = filterType.getShape();
      auto flippedType = RankedTensorType::get({f[1], f[0], f[2], f[3]},
                                               filterType.getElementType());
      AffineExpr c, o, kh, kw;
      bindDims(getContext(), c, o, kh, kw);
      SmallVector<AffineMap> copyMaps = {
          AffineMap::get(4, 0, {o, c, f[2] - 1 - kh, f[3] - 1 - kw},
                         getContext()),
          AffineMap::getMultiDimIdentityMap(4, getContext())};
      Value flipped =
          rewriter
              .create<linalg::GenericOp>(
                  loc, TypeRange{flippedType}, ValueRange{op.getFilter()},
                  ValueRange{emptyLike(rewriter, loc, flippedType)}, copyMaps,
                  SmallVector<utils::IteratorType>(
                      4, utils::IteratorType::parallel),
                  [](OpBuilder &b, Location l, ValueRange args) {
                    b.create<linalg::YieldOp>(l, args[0]);
                  })
              .getResult(0);
      rewriter.replaceOp(op, convolution(rewriter, loc, spread, flipped, type,
                                         {1, 1}, dilation));
      return success();
    }
    // Loops (n, g, c, h, w, o, kh, kw).
    AffineExpr n, g, c, h, w, o, kh, kw;
    bindDims(getContext(), n, g, c, h, w, o, kh, kw);
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(8, 0, exprs, getContext());
    };
    SmallVector<AffineMap> maps = {
        map({n, g, o, h + (kernel[0] - 1 - kh) * dilation[0],
             w + (kernel[1] - 1 - kw) * dilation[1]}),
        map({g, o, c, kh, kw}), map({n, g, c, h, w})};
    auto groupedType = RankedTensorType::get(
        {shape[0], groups, shape[1] / groups, shape[2], shape[3]},
        type.getElementType());
    Value grad = multiplyAccumulate(
        rewriter, loc, splitGroups(rewriter, loc, spread, 1, groups),
        splitGroups(rewriter, loc, op.getFilter(), 0, groups), groupedType,
        maps, /*parallelDims=*/5);
    rewriter.replaceOp(op, mergeGroups(rewriter, loc, grad, 1));
    return success();
  }
};

/// conv2d_grad_filter: a linalg.generic over the zero-padded input, per
/// group: dw[g, o, c, kh, kw] += x[n, g, c, oh sh + kh dh, ow sw + kw dw]
///                              * dy[n, g, o, oh, ow].
struct Conv2dGradFilterLowering : OpRewritePattern<Conv2dGradFilterOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dGradFilterOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    ArrayRef<int64_t> shape = type.getShape();
    ArrayRef<int64_t> stride = op.getStride(), dilation = op.getDilation();
    int64_t groups = op.getGroups();
    Value input = padSpatial(rewriter, loc, op.getInput(), op.getPadding(), 0);
    if (groups == 1) {
      // The channels as the batch and the batch as the channels: a
      // convolution of the input [C, N, H, W] by the gradient [O, N, OH, OW]
      // with stride `dilation` and dilation `stride` gives [C, O, >=KH,
      // >=KW]; its leading [KH, KW] window, swapped, is the gradient.
      auto inputType = tensorType(input);
      ArrayRef<int64_t> dy = tensorType(op.getGradOutput()).getShape();
      SmallVector<int64_t> window;
      for (int d = 0; d < 2; ++d)
        window.push_back(
            (inputType.getDimSize(2 + d) - stride[d] * (dy[2 + d] - 1) - 1) /
                dilation[d] +
            1);
      auto convType = RankedTensorType::get(
          {shape[1], shape[0], window[0], window[1]}, type.getElementType());
      Value conv =
          convolution(rewriter, loc, swapLeadingDims(rewriter, loc, input),
                      swapLeadingDims(rewriter, loc, op.getGradOutput()),
                      convType, dilation, stride);
      auto sliceType = RankedTensorType::get(
          {shape[1], shape[0], shape[2], shape[3]}, type.getElementType());
      Value slice = rewriter.create<tensor::ExtractSliceOp>(
          loc, sliceType, conv, ValueRange{}, ValueRange{}, ValueRange{},
          rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
          rewriter.getDenseI64ArrayAttr(sliceType.getShape()),
          rewriter.getDenseI64ArrayAttr({1, 1, 1, 1}));
      rewriter.replaceOp(op, swapLeadingDims(rewriter, loc, slice));
      return success();
    }
    // Loops (g, o, c, kh, kw, n, oh, ow).
    AffineExpr g, o, c, kh, kw, n, oh, ow;
    bindDims(getContext(), g, o, c, kh, kw, n, oh, ow);
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(8, 0, exprs, getContext());
    };
    SmallVector<AffineMap> maps = {
        map({n, g, c, oh * stride[0] + kh * dilation[0],
             ow * stride[1] + kw * dilation[1]}),
        map({n, g, o, oh, ow}), map({g, o, c, kh, kw})};
    auto groupedType = RankedTensorType::get(
        {groups, shape[0] / groups, shape[1], shape[2], shape[3]},
        type.getElementType());
    Value grad = multiplyAccumulate(
        rewriter, loc, splitGroups(rewriter, loc, input, 1, groups),
        splitGroups(rewriter, loc, op.getGradOutput(), 1, groups), groupedType,
        maps, /*parallelDims=*/5);
    rewriter.replaceOp(op, mergeGroups(rewriter, loc, grad, 0));
    return success();
  }
};

/// A `linalg.pooling_nchw_max` or `linalg.pooling_nchw_sum` (`Op`) of
/// `input` into a `resultType` filled with `init`.
template <typename Op>
Value pool(OpBuilder &b, Location loc, Value input, RankedTensorType resultType,
           double init, ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride) {
  Type element = resultType.getElementType();
  // The window operand only carries the kernel's shape.
  Value window = b.create<tensor::EmptyOp>(loc, kernel, element);
  return b
      .create<Op>(
          loc, TypeRange{resultType}, ValueRange{input, window},
          ValueRange{filled(b, loc, resultType, scalar(b, loc, element, init))},
          b.getI64TensorAttr(stride), b.getI64TensorAttr({1, 1}))
      .getResult(0);
}

/// max_pool2d: linalg.pooling_nchw_max over the input padded with -inf.
struct MaxPool2dLowering : OpRewritePattern<MaxPool2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPool2dOp op,
                                PatternRewriter &rewriter) const override {
    double lowest = -std::numeric_limits<double>::infinity();
    Value input = padSpatial(rewriter, op.getLoc(), op.getInput(),
                             op.getPadding(), lowest);
    rewriter.replaceOp(op, pool<linalg::PoolingNchwMaxOp>(
                               rewriter, op.getLoc(), input, op.getType(),
                               lowest, op.getKernel(), op.getStride()));
    return success();
  }
};

/// max_pool2d_grad: a reduction finds the flat position (h W + w) of each
/// window's first maximum among its input elements (not padding, as in
/// PyTorch, which matters when they are all -inf), then a loop over
/// grad_output adds each element at its position (windows overlap).
struct MaxPool2dGradLowering : OpRewritePattern<MaxPool2dGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPool2dGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    auto gradType = tensorType(op.getGradOutput());
    Type element = type.getElementType(), i64 = rewriter.getI64Type();
    ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding();
    int64_t height = type.getDimSize(2), width = type.getDimSize(3);
    double lowest = -std::numeric_limits<double>::infinity();
    Value input =
        padSpatial(rewriter, loc, op.getInput(), op.getPadding(), lowest);

    // Loops (n, c, oh, ow, kh, kw); the position starts at -1 (none yet).
    // As in linalg's pooling ops, an unread window operand gives the kernel
    // loops their extent.
    AffineExpr n, c, oh, ow, kh, kw;
    bindDims(getContext(), n, c, oh, ow, kh, kw);
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(6, 0, exprs, getContext());
    };
    SmallVector<AffineMap> maps = {
        map({n, c, oh * stride[0] + kh, ow * stride[1] + kw}), map({kh, kw}),
        map({n, c, oh, ow}), map({n, c, oh, ow})};
    Value window =
        rewriter.create<tensor::EmptyOp>(loc, op.getKernel(), element);
    auto positionType = RankedTensorType::get(gradType.getShape(), i64);
    Value maxima =
        filled(rewriter, loc, gradType, scalar(rewriter, loc, element, lowest));
    Value positions =
        filled(rewriter, loc, positionType, scalar(rewriter, loc, i64, -1));
    SmallVector<utils::IteratorType> iterators = parallel(4);
    iterators.append(2, utils::IteratorType::reduction);
    auto argmax = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{gradType, positionType}, ValueRange{input, window},
        ValueRange{maxima, positions}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[2], bestPosition = args[3];
          // The element's unpadded row and column, and whether both are in
          // range.
          Value inside = b.create<arith::ConstantOp>(l, b.getBoolAttr(true));
          SmallVector<Value> coords;
          for (int i = 0; i < 2; ++i) {
            Value padded = b.create<arith::AddIOp>(
                l,
                b.create<arith::MulIOp>(
                    l, b.create<linalg::IndexOp>(l, 2 + i),
                    b.create<arith::ConstantIndexOp>(l, stride[i])),
                b.create<linalg::IndexOp>(l, 4 + i));
            Value coord = b.create<arith::SubIOp>(
                l, padded, b.create<arith::ConstantIndexOp>(l, padding[i]));
            Value lowOk =
                b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, coord,
                                        b.create<arith::ConstantIndexOp>(l, 0));
            Value highOk = b.create<arith::CmpIOp>(
                l, arith::CmpIPredicate::slt, coord,
                b.create<arith::ConstantIndexOp>(l, i == 0 ? height : width));
            inside = b.create<arith::AndIOp>(
                l, inside, b.create<arith::AndIOp>(l, lowOk, highOk));
            coords.push_back(coord);
          }
          Value position = b.create<arith::IndexCastOp>(
              l, i64,
              b.create<arith::AddIOp>(
                  l,
                  b.create<arith::MulIOp>(
                      l, coords[0], b.create<arith::ConstantIndexOp>(l, width)),
                  coords[1]));
          Value none = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::slt, bestPosition,
              b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(0)));
          Value better = b.create<arith::AndIOp>(
              l, inside,
              b.create<arith::OrIOp>(l, none,
                                     beats(b, l, x, best, /*isMax=*/true)));
          b.create<linalg::YieldOp>(
              l, ValueRange{b.create<arith::SelectOp>(l, better, x, best),
                            b.create<arith::SelectOp>(l, better, position,
                                                      bestPosition)});
        });

    Value init = filled(rewriter, loc, type, scalar(rewriter, loc, element, 0));
    Value zero = rewriter.create<arith::ConstantIndexOp>(loc, 0);
    Value one = rewriter.create<arith::ConstantIndexOp>(loc, 1);
    Value count =
        rewriter.create<arith::ConstantIndexOp>(loc, gradType.getNumElements());
    auto loop = rewriter.create<scf::ForOp>(
        loc, zero, count, one, ValueRange{init},
        [&](OpBuilder &b, Location l, Value linear, ValueRange iter) {
          SmallVector<Value> coords =
              delinearize(b, l, linear, gradType.getShape());
          Value position = b.create<arith::IndexCastOp>(
              l, b.getIndexType(),
              b.create<tensor::ExtractOp>(l, argmax.getResult(1), coords));
          Value widthValue = b.create<arith::ConstantIndexOp>(l, width);
          SmallVector<Value> target = {
              coords[0], coords[1],
              b.create<arith::DivUIOp>(l, position, widthValue),
              b.create<arith::RemUIOp>(l, position, widthValue)};
          Value grad =
              b.create<tensor::ExtractOp>(l, op.getGradOutput(), coords);
          Value current = b.create<tensor::ExtractOp>(l, iter[0], target);
          Value sum = b.create<arith::AddFOp>(l, current, grad);
          b.create<scf::YieldOp>(
              l, ValueRange{b.create<tensor::InsertOp>(l, sum, iter[0], target)
                                .getResult()});
        });
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

/// `pooled` ([N, C, OH, OW], one element per avg_pool2d window) divided by
/// each window's divisor: the kernel size, or without `countIncludePad` the
/// number of its elements inside the input (of spatial size `inputSize`).
Value divideByWindowSize(OpBuilder &b, Location loc, Value pooled,
                         ArrayRef<int64_t> inputSize, ArrayRef<int64_t> kernel,
                         ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
                         bool countIncludePad) {
  auto type = tensorType(pooled);
  Type element = type.getElementType();
  auto identity = b.getMultiDimIdentityMap(4);
  auto generic = b.create<linalg::GenericOp>(
      loc, type, ValueRange{pooled}, ValueRange{emptyLike(b, loc, type)},
      SmallVector<AffineMap>{identity, identity}, parallel(4),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value size;
        if (countIncludePad) {
          size = scalar(nb, l, element, kernel[0] * kernel[1]);
        } else {
          auto index = [&](int64_t v) {
            return nb.create<arith::ConstantIndexOp>(l, v);
          };
          Value count = index(1);
          for (int i = 0; i < 2; ++i) {
            // The window covers rows [o stride - padding, + kernel), clipped
            // to the input.
            Value start = nb.create<arith::SubIOp>(
                l,
                nb.create<arith::MulIOp>(
                    l, nb.create<linalg::IndexOp>(l, 2 + i), index(stride[i])),
                index(padding[i]));
            Value end = nb.create<arith::MinSIOp>(
                l, nb.create<arith::AddIOp>(l, start, index(kernel[i])),
                index(inputSize[i]));
            start = nb.create<arith::MaxSIOp>(l, start, index(0));
            count = nb.create<arith::MulIOp>(
                l, count, nb.create<arith::SubIOp>(l, end, start));
          }
          size = convertScalar(
              nb, l, nb.create<arith::IndexCastOp>(l, nb.getI64Type(), count),
              element);
        }
        nb.create<linalg::YieldOp>(
            l, ValueRange{nb.create<arith::DivFOp>(l, args[0], size)});
      });
  return generic.getResult(0);
}

/// avg_pool2d: linalg.pooling_nchw_sum over the zero-padded input, divided
/// by each window's divisor.
struct AvgPool2dLowering : OpRewritePattern<AvgPool2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AvgPool2dOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = padSpatial(rewriter, loc, op.getInput(), op.getPadding(), 0);
    Value sums = pool<linalg::PoolingNchwSumOp>(
        rewriter, loc, input, op.getType(), 0, op.getKernel(), op.getStride());
    rewriter.replaceOp(
        op,
        divideByWindowSize(rewriter, loc, sums,
                           tensorType(op.getInput()).getShape().drop_front(2),
                           op.getKernel(), op.getStride(), op.getPadding(),
                           op.getCountIncludePad()));
    return success();
  }
};

/// avg_pool2d_grad: grad_output divided by each window's divisor, spread
/// over the input by a stride-1 linalg.pooling_nchw_sum of it spread
/// `stride` apart (the window is all ones, so flipping it changes nothing).
struct AvgPool2dGradLowering : OpRewritePattern<AvgPool2dGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AvgPool2dGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> inputSize = op.getType().getShape().drop_front(2);
    Value scaled = divideByWindowSize(rewriter, loc, op.getGradOutput(),
                                      inputSize, op.getKernel(), op.getStride(),
                                      op.getPadding(), op.getCountIncludePad());
    Value spread =
        spreadGradOutput(rewriter, loc, scaled, inputSize, op.getKernel(),
                         op.getStride(), op.getPadding(), {1, 1});
    rewriter.replaceOp(
        op, pool<linalg::PoolingNchwSumOp>(rewriter, loc, spread, op.getType(),
                                           0, op.getKernel(), {1, 1}));
    return success();
  }
};

void populateKilnToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns
      .add<ElementwiseLowering, ConstantLowering, IotaLowering, FillLowering,
           RngLowering<RngUniformOp, false>, RngLowering<RngNormalOp, true>,
           BroadcastLowering, ReshapeLowering, TransposeLowering, SliceLowering,
           ConcatLowering, PadLowering, GatherLowering, ScatterAddLowering,
           ReduceLowering<ReduceSumOp>, ReduceLowering<ReduceMaxOp>,
           ReduceLowering<ReduceMinOp>, ArgReduceLowering<ArgmaxOp, true>,
           ArgReduceLowering<ArgminOp, false>, MatmulLowering, Conv2dLowering,
           Conv2dGradInputLowering, Conv2dGradFilterLowering, MaxPool2dLowering,
           MaxPool2dGradLowering, AvgPool2dLowering, AvgPool2dGradLowering>(
          context);
}

struct KilnToLinalgPass : kiln::impl::KilnToLinalgBase<KilnToLinalgPass> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<KilnDialect>();
    // Regions of kiln-fuse stay, their bodies lowered: fusion of the loops
    // happens inside each region, then the regions are inlined.
    target.addLegalOp<FusionOp, YieldOp>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           scf::SCFDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    // kiln.grad and kiln.fusion are structure, expanded by earlier passes.
    RewritePatternSet patterns(&getContext());
    populateKilnToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
