//===- KilnToLinalgElementwise.cpp - Elementwise kiln ops to linalg -------===//
//
// Every elementwise op (and convert, select, compare) as one linalg.generic
// whose body is the op on scalars.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/KilnToLinalgRewriters.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

#include <numbers>

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen {

//===----------------------------------------------------------------------===//
// Elementwise scalar bodies
//===----------------------------------------------------------------------===//

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
  if (isFloat(from)) {
    // To a narrow integer through int32, so that values in range of the
    // unsigned reading (uint8's 200) keep their bits rather than overflow.
    if (to.getIntOrFloatBitWidth() < 32) {
      Value wide = b.create<arith::FPToSIOp>(loc, b.getI32Type(), v);
      return b.create<arith::TruncIOp>(loc, to, wide);
    }
    return b.create<arith::FPToSIOp>(loc, to, v);
  }
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return fromBool ? b.create<arith::ExtUIOp>(loc, to, v).getResult()
                    : b.create<arith::ExtSIOp>(loc, to, v).getResult();
  return b.create<arith::TruncIOp>(loc, to, v);
}

namespace {

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
      .Case([&](ErfOp) { return b.create<math::ErfOp>(loc, args[0]); })
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

} // namespace

void populateKilnElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ElementwiseLowering>(patterns.getContext());
}

} // namespace kiln::codegen
