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
  if (isFloat(from) && isFloat(to)) {
    if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
      return b.create<arith::ExtFOp>(loc, to, v);
    if (from.getIntOrFloatBitWidth() > to.getIntOrFloatBitWidth())
      return b.create<arith::TruncFOp>(loc, to, v);
    // f16 <-> bf16: through f32.
    Value wide = b.create<arith::ExtFOp>(loc, b.getF32Type(), v);
    return b.create<arith::TruncFOp>(loc, to, wide);
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
          // Delinearize into update coordinates.
          SmallVector<Value> coords(updates.getRank());
          Value rest = linear;
          for (int64_t d = updates.getRank() - 1; d >= 0; --d) {
            Value size =
                b.create<arith::ConstantIndexOp>(l, updates.getDimSize(d));
            coords[d] = b.create<arith::RemUIOp>(l, rest, size);
            rest = b.create<arith::DivUIOp>(l, rest, size);
          }
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
    bool f = isFloat(element);
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
          Value better;
          if (f) {
            Value strictly = b.create<arith::CmpFOp>(
                l,
                isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                x, best);
            Value xNaN =
                b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, x, x);
            Value bestNaN = b.create<arith::CmpFOp>(
                l, arith::CmpFPredicate::UNO, best, best);
            Value notBestNaN = b.create<arith::XOrIOp>(
                l, bestNaN,
                b.create<arith::ConstantOp>(l, b.getBoolAttr(true)));
            better = b.create<arith::OrIOp>(
                l, strictly, b.create<arith::AndIOp>(l, xNaN, notBestNaN));
          } else {
            better = b.create<arith::CmpIOp>(l,
                                             isMax ? arith::CmpIPredicate::sgt
                                                   : arith::CmpIPredicate::slt,
                                             x, best);
          }
          // The very first element always wins, whatever the identity.
          Value first = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::eq, index,
              b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(0)));
          better = b.create<arith::OrIOp>(l, better, first);
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

void populateKilnToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns
      .add<ElementwiseLowering, ConstantLowering, IotaLowering, FillLowering,
           RngLowering<RngUniformOp, false>, RngLowering<RngNormalOp, true>,
           BroadcastLowering, ReshapeLowering, TransposeLowering, SliceLowering,
           ConcatLowering, PadLowering, GatherLowering, ScatterAddLowering,
           ReduceLowering<ReduceSumOp>, ReduceLowering<ReduceMaxOp>,
           ReduceLowering<ReduceMinOp>, ArgReduceLowering<ArgmaxOp, true>,
           ArgReduceLowering<ArgminOp, false>, MatmulLowering>(context);
}

struct KilnToLinalgPass : kiln::impl::KilnToLinalgBase<KilnToLinalgPass> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<KilnDialect>();
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
