//===- KilnToLinalgCreation.cpp - Creation kiln ops to linalg -------------===//
//
// constant, iota, fill and the counter-based random number ops.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/KilnToLinalgRewriters.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <numbers>

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen {

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

namespace {

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

} // namespace

void populateKilnCreationToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<ConstantLowering, IotaLowering, FillLowering,
           RngLowering<RngUniformOp, false>, RngLowering<RngNormalOp, true>>(
          patterns.getContext());
}

} // namespace kiln::codegen
