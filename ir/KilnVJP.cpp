//===- KilnVJP.cpp - Vector-Jacobian products of kiln ops -----------------===//
//
// Each differentiable op states its adjoint in kiln ops, so that the backward
// graph is ordinary IR that fusion and codegen handle like any other, and that
// kiln-autodiff can differentiate again (gradients of gradients).
//
// Conventions: `g` is the cotangent of the (first) result, `x` an operand, `y`
// the op's own result (a forward value, free to reuse). Operands that are not
// floats get a null cotangent.
//
//===----------------------------------------------------------------------===//
#include "kiln/ir/KilnOps.h"
#include "kiln/ir/Shapes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

using namespace mlir;
using namespace kiln::ir;

namespace {

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

bool isFloatTensor(Value v) {
  return v && isa<FloatType>(tensorType(v).getElementType());
}

/// Builds the kiln ops of an adjoint at one location. Ops are folded as they
/// are created, so that multiplying by a seed of ones or broadcasting a
/// constant leaves no trace.
class Adjoint {
public:
  Adjoint(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  template <typename Op, typename... Args> Value create(Args &&...args) {
    return b.createOrFold<Op>(loc, std::forward<Args>(args)...);
  }

  /// A constant of `type` with every element `value` (a float type).
  Value splat(RankedTensorType type, double value) {
    auto element = b.getFloatAttr(type.getElementType(), value);
    return create<ConstantOp>(DenseElementsAttr::get(type, element));
  }
  Value splatLike(Value like, double value) {
    return splat(tensorType(like), value);
  }
  Value zerosLike(Value like) { return splatLike(like, 0.0); }
  /// A 0-d float constant of `like`'s element type.
  Value scalar(Value like, double value) {
    return splat(RankedTensorType::get({}, tensorType(like).getElementType()),
                 value);
  }

  /// Sums and products put a constant operand on the right, where the
  /// folders look for the identity (a seed of ones, a zero).
  Value add(Value l, Value r) {
    normalizeCommutative(l, r);
    return create<AddOp>(l, r);
  }
  Value sub(Value l, Value r) { return create<SubOp>(l, r); }
  Value mul(Value l, Value r) {
    normalizeCommutative(l, r);
    return create<MulOp>(l, r);
  }
  Value div(Value l, Value r) { return create<DivOp>(l, r); }
  Value neg(Value v) { return create<NegOp>(v); }
  /// `v * c` for a constant `c`.
  Value scale(Value v, double c) { return mul(v, splatLike(v, c)); }

  Value compare(CompareDirection direction, Value l, Value r) {
    return create<CompareOp>(direction, l, r);
  }
  Value select(Value cond, Value onTrue, Value onFalse) {
    return create<SelectOp>(cond, onTrue, onFalse);
  }

  Value reshape(Value v, ArrayRef<int64_t> shape) {
    if (tensorType(v).getShape() == shape)
      return v;
    return create<ReshapeOp>(v, shape);
  }
  Value broadcast(Value v, ArrayRef<int64_t> shape) {
    if (tensorType(v).getShape() == shape)
      return v;
    return create<BroadcastToOp>(v, shape);
  }
  Value reduceSum(Value v, ArrayRef<int64_t> dims, bool keepdim) {
    return create<ReduceSumOp>(v, dims, keepdim);
  }
  /// The mean over `dims`, kept as size-1 dimensions.
  Value meanKeep(Value v, ArrayRef<int64_t> dims) {
    int64_t count = 1;
    for (int64_t d : dims)
      count *= tensorType(v).getDimSize(d);
    return scale(reduceSum(v, dims, /*keepdim=*/true), 1.0 / double(count));
  }
  /// Sums `v` to a 0-d tensor.
  Value sumAll(Value v) {
    SmallVector<int64_t> dims(tensorType(v).getRank());
    std::iota(dims.begin(), dims.end(), 0);
    return reduceSum(v, dims, /*keepdim=*/false);
  }

  /// The adjoint of a NumPy broadcast from `shape` to `v`'s shape: sums the
  /// dimensions that the broadcast added or stretched.
  Value sumToShape(Value v, ArrayRef<int64_t> shape) {
    ArrayRef<int64_t> from = tensorType(v).getShape();
    if (from == shape)
      return v;
    int64_t extra = from.size() - shape.size();
    SmallVector<int64_t> dims;
    for (int64_t d = 0; d < (int64_t)from.size(); ++d)
      if (d < extra || (shape[d - extra] == 1 && from[d] != 1))
        dims.push_back(d);
    return reshape(reduceSum(v, dims, /*keepdim=*/false), shape);
  }

  /// `v`, the result of reducing `dims` of a `shape` tensor (with or without
  /// keepdim), broadcast back to `shape`.
  Value unreduce(Value v, ArrayRef<int64_t> shape, ArrayRef<int64_t> dims) {
    SmallVector<int64_t> kept(shape);
    for (int64_t d : dims)
      kept[d] = 1;
    return broadcast(reshape(v, kept), shape);
  }

  /// Swaps the last two dimensions (a batched matrix transpose).
  Value transposeMatrices(Value v) {
    SmallVector<int64_t> permutation(tensorType(v).getRank());
    std::iota(permutation.begin(), permutation.end(), 0);
    std::swap(permutation[permutation.size() - 1],
              permutation[permutation.size() - 2]);
    return create<TransposeOp>(v, permutation);
  }

  OpBuilder &b;
  Location loc;

private:
  static void normalizeCommutative(Value &l, Value &r) {
    if (l.getDefiningOp<ConstantOp>() && !r.getDefiningOp<ConstantOp>())
      std::swap(l, r);
  }
};

SmallVector<int64_t> range(int64_t begin, int64_t end) {
  SmallVector<int64_t> dims(end - begin);
  std::iota(dims.begin(), dims.end(), begin);
  return dims;
}

/// Gives every operand a null cotangent: the op is piecewise constant or has
/// no float results.
LogicalResult zeroDerivative(Operation *op, SmallVectorImpl<Value> &out) {
  out.append(op->getNumOperands(), Value());
  return success();
}

/// The VJP of a unary elementwise op: `fn(adjoint, x, y, g)`.
template <typename Fn>
LogicalResult unary(Operation *op, OpBuilder &b, ValueRange cotangents,
                    SmallVectorImpl<Value> &out, Fn fn) {
  Value x = op->getOperand(0), g = cotangents[0];
  if (!g || !isFloatTensor(x))
    return zeroDerivative(op, out);
  Adjoint a(b, op->getLoc());
  out.push_back(fn(a, x, op->getResult(0), g));
  return success();
}

/// The VJP of a binary elementwise op: `fn(adjoint, lhs, rhs, y, g)` returns
/// the pair of cotangents.
template <typename Fn>
LogicalResult binary(Operation *op, OpBuilder &b, ValueRange cotangents,
                     SmallVectorImpl<Value> &out, Fn fn) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1), g = cotangents[0];
  if (!g || !isFloatTensor(lhs))
    return zeroDerivative(op, out);
  Adjoint a(b, op->getLoc());
  auto [dl, dr] = fn(a, lhs, rhs, op->getResult(0), g);
  out.append({dl, dr});
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Ops with a zero derivative
//===----------------------------------------------------------------------===//

#define KILN_ZERO_VJP(Op)                                                      \
  LogicalResult Op::emitVJP(OpBuilder &, ValueRange,                           \
                            SmallVectorImpl<Value> &operandCotangents) {       \
    return zeroDerivative(*this, operandCotangents);                           \
  }
KILN_ZERO_VJP(ConstantOp)
KILN_ZERO_VJP(IotaOp)
KILN_ZERO_VJP(RngUniformOp)
KILN_ZERO_VJP(RngNormalOp)
KILN_ZERO_VJP(CompareOp)
KILN_ZERO_VJP(SignOp)
KILN_ZERO_VJP(FloorOp)
KILN_ZERO_VJP(NotOp)
KILN_ZERO_VJP(AndOp)
KILN_ZERO_VJP(OrOp)
KILN_ZERO_VJP(ArgmaxOp)
KILN_ZERO_VJP(ArgminOp)
#undef KILN_ZERO_VJP

LogicalResult FillOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                              SmallVectorImpl<Value> &out) {
  if (!isFloatTensor(getValue()))
    return zeroDerivative(*this, out);
  out.push_back(Adjoint(b, getLoc()).sumAll(cotangents[0]));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

LogicalResult NegOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value, Value, Value g) { return a.neg(g); });
}

LogicalResult AbsOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  // sign(0) = 0: no gradient at the kink, as in PyTorch.
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value x, Value, Value g) {
                 return a.mul(g, a.create<SignOp>(x));
               });
}

LogicalResult ExpOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value, Value y, Value g) { return a.mul(g, y); });
}

LogicalResult LogOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value x, Value, Value g) { return a.div(g, x); });
}

LogicalResult Log1pOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                               SmallVectorImpl<Value> &out) {
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value x, Value, Value g) {
                 return a.div(g, a.add(x, a.splatLike(x, 1.0)));
               });
}

LogicalResult ErfOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  // d erf(x) = 2 / sqrt(pi) e^(-x^2)
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value x, Value, Value g) {
                 Value gauss = a.create<ExpOp>(a.neg(a.mul(x, x)));
                 return a.mul(g, a.scale(gauss, 1.1283791670955126));
               });
}

LogicalResult SqrtOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                              SmallVectorImpl<Value> &out) {
  // d sqrt(x) = 1 / (2 sqrt(x)): reuses the result.
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value, Value y, Value g) {
                 return a.div(a.scale(g, 0.5), y);
               });
}

LogicalResult RsqrtOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                               SmallVectorImpl<Value> &out) {
  // d x^-1/2 = -x^-3/2 / 2 = -y^3 / 2, without a division.
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value, Value y, Value g) {
                 return a.mul(a.scale(g, -0.5), a.mul(y, a.mul(y, y)));
               });
}

LogicalResult ReciprocalOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                    SmallVectorImpl<Value> &out) {
  // d (1/x) = -1/x^2 = -y^2.
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value, Value y, Value g) {
                 return a.neg(a.mul(g, a.mul(y, y)));
               });
}

LogicalResult TanhOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                              SmallVectorImpl<Value> &out) {
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value, Value y, Value g) {
                 return a.mul(g, a.sub(a.splatLike(y, 1.0), a.mul(y, y)));
               });
}

LogicalResult SigmoidOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                 SmallVectorImpl<Value> &out) {
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value, Value y, Value g) {
                 return a.mul(a.mul(g, y), a.sub(a.splatLike(y, 1.0), y));
               });
}

LogicalResult ReluOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                              SmallVectorImpl<Value> &out) {
  // Zero at x = 0, as in PyTorch.
  return unary(
      *this, b, cotangents, out, [](Adjoint &a, Value x, Value, Value g) {
        Value zero = a.zerosLike(x);
        return a.select(a.compare(CompareDirection::gt, x, zero), g, zero);
      });
}

LogicalResult SinOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value x, Value, Value g) {
                 return a.mul(g, a.create<CosOp>(x));
               });
}

LogicalResult CosOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  return unary(*this, b, cotangents, out,
               [](Adjoint &a, Value x, Value, Value g) {
                 return a.neg(a.mul(g, a.create<SinOp>(x)));
               });
}

LogicalResult GeluOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                              SmallVectorImpl<Value> &out) {
  bool tanhForm = getApproximate() == GeluApproximation::tanh;
  return unary(
      *this, b, cotangents, out, [&](Adjoint &a, Value x, Value y, Value g) {
        if (tanhForm) {
          // y = x/2 (1 + t), t = tanh(u), u = k (x + c x^3):
          // dy = (1 + t)/2 + x/2 (1 - t^2) k (1 + 3 c x^2).
          const double k = std::sqrt(2 / std::numbers::pi), c = 0.044715;
          Value x2 = a.mul(x, x);
          Value u = a.scale(a.add(x, a.scale(a.mul(x2, x), c)), k);
          Value t = a.create<TanhOp>(u);
          Value one = a.splatLike(x, 1.0);
          Value du = a.scale(a.add(one, a.scale(x2, 3 * c)), k);
          Value dt = a.mul(a.sub(one, a.mul(t, t)), du);
          Value dy = a.scale(a.add(a.add(one, t), a.mul(x, dt)), 0.5);
          return a.mul(g, dy);
        }
        // y = x Phi(x): dy = Phi(x) + x phi(x). Phi is read back from the
        // result as y / x (as accurate as y itself, and no erf to recompute),
        // and is 1/2 at x = 0, where the division is replaced by one that cannot
        // produce NaN (which would poison a second derivative through the
        // select).
        Value zero = a.zerosLike(x), one = a.splatLike(x, 1.0);
        Value atZero = a.compare(CompareDirection::eq, x, zero);
        Value safeX = a.select(atZero, one, x);
        Value cdf = a.select(atZero, a.splatLike(x, 0.5), a.div(y, safeX));
        Value pdf = a.scale(a.create<ExpOp>(a.scale(a.mul(x, x), -0.5)),
                            std::numbers::inv_sqrtpi / std::numbers::sqrt2);
        return a.mul(g, a.add(cdf, a.mul(x, pdf)));
      });
}

//===----------------------------------------------------------------------===//
// Elementwise binary
//===----------------------------------------------------------------------===//

LogicalResult AddOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  return binary(
      *this, b, cotangents, out,
      [](Adjoint &, Value, Value, Value, Value g) { return std::pair(g, g); });
}

LogicalResult SubOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  return binary(*this, b, cotangents, out,
                [](Adjoint &a, Value, Value, Value, Value g) {
                  return std::pair(g, a.neg(g));
                });
}

LogicalResult MulOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  return binary(*this, b, cotangents, out,
                [](Adjoint &a, Value l, Value r, Value, Value g) {
                  return std::pair(a.mul(g, r), a.mul(g, l));
                });
}

LogicalResult DivOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  // d(l/r)/dr = -l/r^2 = -y/r.
  return binary(*this, b, cotangents, out,
                [](Adjoint &a, Value, Value r, Value y, Value g) {
                  Value dl = a.div(g, r);
                  return std::pair(dl, a.neg(a.mul(dl, y)));
                });
}

LogicalResult PowOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  // dl = r l^(r-1); dr = y ln(l), taken as 0 where l = 0 and r >= 0 (the
  // limit, as PyTorch does). The logarithm there reads 1 instead of 0, so
  // that a second derivative through the select stays finite.
  return binary(*this, b, cotangents, out,
                [](Adjoint &a, Value l, Value r, Value y, Value g) {
                  Value zero = a.zerosLike(l), one = a.splatLike(l, 1.0);
                  Value dl =
                      a.mul(g, a.mul(r, a.create<PowOp>(l, a.sub(r, one))));
                  Value limit =
                      a.create<AndOp>(a.compare(CompareDirection::eq, l, zero),
                                      a.compare(CompareDirection::ge, r, zero));
                  Value log = a.create<LogOp>(a.select(limit, one, l));
                  Value dr = a.select(limit, zero, a.mul(g, a.mul(y, log)));
                  return std::pair(dl, dr);
                });
}

/// maximum (or minimum with `direction` lt): the cotangent goes to the
/// larger (smaller) operand, and is split in halves where they are equal,
/// as in PyTorch.
static LogicalResult extremumVJP(Operation *op, OpBuilder &b,
                                 ValueRange cotangents,
                                 SmallVectorImpl<Value> &out,
                                 CompareDirection direction) {
  return binary(op, b, cotangents, out,
                [&](Adjoint &a, Value l, Value r, Value, Value g) {
                  Value zero = a.zerosLike(g);
                  Value half = a.scale(g, 0.5);
                  Value tie = a.compare(CompareDirection::eq, l, r);
                  Value tieOrZero = a.select(tie, half, zero);
                  Value dl = a.select(a.compare(direction, l, r), g, tieOrZero);
                  Value dr = a.select(a.compare(direction, r, l), g, tieOrZero);
                  return std::pair(dl, dr);
                });
}

LogicalResult MaximumOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                 SmallVectorImpl<Value> &out) {
  return extremumVJP(*this, b, cotangents, out, CompareDirection::gt);
}

LogicalResult MinimumOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                 SmallVectorImpl<Value> &out) {
  return extremumVJP(*this, b, cotangents, out, CompareDirection::lt);
}

LogicalResult SelectOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g || !isFloatTensor(g))
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  Value zero = a.zerosLike(g);
  out.append(
      {Value(), a.select(getCond(), g, zero), a.select(getCond(), zero, g)});
  return success();
}

LogicalResult ConvertOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                 SmallVectorImpl<Value> &out) {
  // Only float-to-float conversions carry a gradient.
  if (!cotangents[0] || !isFloatTensor(getOperand()) ||
      !isFloatTensor(getResult()))
    return zeroDerivative(*this, out);
  out.push_back(
      Adjoint(b, getLoc())
          .create<ConvertOp>(cotangents[0],
                             tensorType(getOperand()).getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

LogicalResult BroadcastToOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                     SmallVectorImpl<Value> &out) {
  if (!cotangents[0] || !isFloatTensor(getOperand()))
    return zeroDerivative(*this, out);
  out.push_back(
      Adjoint(b, getLoc())
          .sumToShape(cotangents[0], tensorType(getOperand()).getShape()));
  return success();
}

LogicalResult ReshapeOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                 SmallVectorImpl<Value> &out) {
  if (!cotangents[0] || !isFloatTensor(getOperand()))
    return zeroDerivative(*this, out);
  out.push_back(
      Adjoint(b, getLoc())
          .reshape(cotangents[0], tensorType(getOperand()).getShape()));
  return success();
}

LogicalResult TransposeOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                   SmallVectorImpl<Value> &out) {
  if (!cotangents[0] || !isFloatTensor(getOperand()))
    return zeroDerivative(*this, out);
  ArrayRef<int64_t> permutation = getPermutation();
  SmallVector<int64_t> inverse(permutation.size());
  for (auto [i, p] : llvm::enumerate(permutation))
    inverse[p] = i;
  out.push_back(
      Adjoint(b, getLoc()).create<TransposeOp>(cotangents[0], inverse));
  return success();
}

LogicalResult SliceOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                               SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g || !isFloatTensor(getOperand()))
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  ArrayRef<int64_t> shape = tensorType(getOperand()).getShape();
  ArrayRef<int64_t> sliced = tensorType(g).getShape();
  ArrayRef<int64_t> start = getStart(), strides = getStrides();
  if (tensorType(g).getNumElements() == 0) {
    out.push_back(a.zerosLike(getOperand()));
    return success();
  }
  // A strided dimension of n elements is spread `stride` apart first: give it
  // a trailing unit dimension, pad that with stride - 1 zeros and merge the
  // two (n x stride elements, element k at k * stride), then drop the zeros
  // after the last element. kiln.pad itself has no interior padding. Then
  // one pad puts the box at `start` in zeros of the operand's shape.
  Value spread = g;
  if (llvm::any_of(strides, [](int64_t s) { return s > 1; })) {
    SmallVector<int64_t> split, low, high, merged, limit;
    for (auto [n, s] : llvm::zip(sliced, strides)) {
      split.push_back(n);
      merged.push_back(n * s);
      limit.push_back((n - 1) * s + 1);
      if (s > 1) {
        split.push_back(1);
        low.append({0, 0});
        high.append({0, s - 1});
      } else {
        low.push_back(0);
        high.push_back(0);
      }
    }
    Value zero = a.scalar(g, 0.0);
    Value padded = a.create<PadOp>(a.reshape(g, split), zero, low, high);
    spread = a.reshape(padded, merged);
    SmallVector<int64_t> begin(shape.size(), 0), ones(shape.size(), 1);
    spread = a.create<SliceOp>(spread, begin, limit, ones);
  }
  ArrayRef<int64_t> spreadShape = tensorType(spread).getShape();
  SmallVector<int64_t> high;
  for (size_t d = 0; d < shape.size(); ++d)
    high.push_back(shape[d] - start[d] - spreadShape[d]);
  out.push_back(a.create<PadOp>(spread, a.scalar(g, 0.0), start, high));
  return success();
}

LogicalResult ConcatOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g || !isFloatTensor(g))
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  int64_t dim = getDim(), offset = 0;
  ArrayRef<int64_t> shape = tensorType(g).getShape();
  for (Value input : getInputs()) {
    SmallVector<int64_t> start(shape.size(), 0), limit(shape),
        strides(shape.size(), 1);
    int64_t size = tensorType(input).getDimSize(dim);
    start[dim] = offset;
    limit[dim] = offset + size;
    offset += size;
    out.push_back(a.create<SliceOp>(g, start, limit, strides));
  }
  return success();
}

LogicalResult PadOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                             SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g || !isFloatTensor(g))
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  ArrayRef<int64_t> shape = tensorType(getOperand()).getShape();
  SmallVector<int64_t> limit, strides(shape.size(), 1);
  for (auto [low, size] : llvm::zip(getLow(), shape))
    limit.push_back(low + size);
  Value inner = a.create<SliceOp>(g, getLow(), limit, strides);
  // The padding value fills every element outside the operand's box.
  Value border = a.sub(a.sumAll(g), a.sumAll(inner));
  out.append({inner, border});
  return success();
}

LogicalResult GatherOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g || !isFloatTensor(g))
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  out.append({a.create<ScatterAddOp>(a.zerosLike(getOperand()), getIndices(), g,
                                     getDim()),
              Value()});
  return success();
}

LogicalResult ScatterAddOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                    SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g || !isFloatTensor(g))
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  out.append({g, Value(), a.create<GatherOp>(g, getIndices(), getDim())});
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult ReduceSumOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                   SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g || !isFloatTensor(g))
    return zeroDerivative(*this, out);
  out.push_back(
      Adjoint(b, getLoc())
          .unreduce(g, tensorType(getOperand()).getShape(), getDims()));
  return success();
}

/// reduce_max and reduce_min: the cotangent goes to the elements equal to the
/// result, split evenly among ties (PyTorch's amax and amin do the same).
template <typename Op>
static LogicalResult extremumReductionVJP(Op op, OpBuilder &b,
                                          ValueRange cotangents,
                                          SmallVectorImpl<Value> &out) {
  Value g = cotangents[0], x = op.getOperand();
  if (!g || !isFloatTensor(g))
    return zeroDerivative(op, out);
  Adjoint a(b, op.getLoc());
  ArrayRef<int64_t> shape = tensorType(x).getShape();
  ArrayRef<int64_t> dims = op.getDims();
  Value hit = a.compare(CompareDirection::eq, x,
                        a.unreduce(op.getResult(), shape, dims));
  Value mask = a.select(hit, a.splatLike(x, 1.0), a.zerosLike(x));
  Value count = a.reduceSum(mask, dims, /*keepdim=*/true);
  SmallVector<int64_t> kept(shape);
  for (int64_t d : dims)
    kept[d] = 1;
  Value share = a.div(a.reshape(g, kept), count);
  out.push_back(a.mul(a.broadcast(share, shape), mask));
  return success();
}

LogicalResult ReduceMaxOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                   SmallVectorImpl<Value> &out) {
  return extremumReductionVJP(*this, b, cotangents, out);
}

LogicalResult ReduceMinOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                   SmallVectorImpl<Value> &out) {
  return extremumReductionVJP(*this, b, cotangents, out);
}

//===----------------------------------------------------------------------===//
// Contractions and NN primitives
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g || !isFloatTensor(g))
    return zeroDerivative(*this, out);
  // dl = g @ r^T and dr = l^T @ g have the broadcast batch dimensions of the
  // result; the dimensions that broadcasting stretched or added to an
  // operand are summed away.
  Adjoint a(b, getLoc());
  Value lhs = getLhs(), rhs = getRhs();
  Value dl = a.create<MatmulOp>(g, a.transposeMatrices(rhs));
  Value dr = a.create<MatmulOp>(a.transposeMatrices(lhs), g);
  out.append({a.sumToShape(dl, tensorType(lhs).getShape()),
              a.sumToShape(dr, tensorType(rhs).getShape())});
  return success();
}

LogicalResult Conv2dOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g)
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  out.append({a.create<Conv2dGradInputOp>(getInput().getType(), g, getFilter(),
                                          getStride(), getPadding(),
                                          getDilation(), getGroups()),
              a.create<Conv2dGradFilterOp>(getFilter().getType(), getInput(), g,
                                           getStride(), getPadding(),
                                           getDilation(), getGroups())});
  return success();
}

// conv2d_grad_input(dy, w) and conv2d_grad_filter(x, dy) are bilinear, and
// both are adjoints of conv2d(x, w) = y in one argument:
//   <grad_input(dy, w), x> = <dy, conv2d(x, w)> = <grad_filter(x, dy), w>.
// Their VJPs are therefore conv2d and the other gradient op.

LogicalResult Conv2dGradInputOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                         SmallVectorImpl<Value> &out) {
  Value h = cotangents[0]; // of the input's shape
  if (!h)
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  out.append({a.create<Conv2dOp>(h, getFilter(), getStride(), getPadding(),
                                 getDilation(), getGroups()),
              a.create<Conv2dGradFilterOp>(
                  getFilter().getType(), h, getGradOutput(), getStride(),
                  getPadding(), getDilation(), getGroups())});
  return success();
}

LogicalResult Conv2dGradFilterOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                          SmallVectorImpl<Value> &out) {
  Value k = cotangents[0]; // of the filter's shape
  if (!k)
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  out.append({a.create<Conv2dGradInputOp>(getInput().getType(), getGradOutput(),
                                          k, getStride(), getPadding(),
                                          getDilation(), getGroups()),
              a.create<Conv2dOp>(getInput(), k, getStride(), getPadding(),
                                 getDilation(), getGroups())});
  return success();
}

LogicalResult MaxPool2dOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                   SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g)
    return zeroDerivative(*this, out);
  // To the first maximum of each window, as PyTorch does on ties.
  out.push_back(Adjoint(b, getLoc())
                    .create<MaxPool2dGradOp>(getInput(), g, getKernel(),
                                             getStride(), getPadding()));
  return success();
}

LogicalResult MaxPool2dGradOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                       SmallVectorImpl<Value> &out) {
  // Piecewise constant in the input. In grad_output it is linear: each
  // window's element goes to the window's first maximum, so the adjoint
  // reads the cotangent back at that position. Windows are visited one
  // kernel offset at a time, as strided slices of the padded input, keeping
  // the first position that equals the window's maximum among those inside
  // the unpadded input (the order and rule of the op's lowering).
  Value h = cotangents[0]; // of the input's shape
  if (!h)
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  Value x = getInput();
  RankedTensorType pooled = tensorType(getGradOutput());
  ArrayRef<int64_t> kernel = getKernel(), stride = getStride(),
                    padding = getPadding();
  ArrayRef<int64_t> inputShape = tensorType(x).getShape();
  SmallVector<int64_t> low = {0, 0, padding[0], padding[1]};
  Value xPadded = a.create<PadOp>(
      x, a.scalar(x, -std::numeric_limits<double>::infinity()), low, low);
  Value hPadded = a.create<PadOp>(h, a.scalar(h, 0.0), low, low);
  Value maxima = a.create<MaxPool2dOp>(x, kernel, stride, padding);
  Value zero = a.zerosLike(getGradOutput());
  int64_t outH = pooled.getDimSize(2), outW = pooled.getDimSize(3);
  Value result, seen;
  for (int64_t kh = 0; kh < kernel[0]; ++kh) {
    for (int64_t kw = 0; kw < kernel[1]; ++kw) {
      SmallVector<int64_t> start = {0, 0, kh, kw};
      SmallVector<int64_t> limit = {inputShape[0], inputShape[1],
                                    kh + (outH - 1) * stride[0] + 1,
                                    kw + (outW - 1) * stride[1] + 1};
      SmallVector<int64_t> strides = {1, 1, stride[0], stride[1]};
      Value candidate = a.create<SliceOp>(xPadded, start, limit, strides);
      Value hit = a.compare(CompareDirection::eq, candidate, maxima);
      if (padding[0] > 0 || padding[1] > 0) {
        // Which output positions read an unpadded element at this offset.
        SmallVector<bool> inside;
        for (int64_t oh = 0; oh < outH; ++oh) {
          for (int64_t ow = 0; ow < outW; ++ow) {
            int64_t row = oh * stride[0] + kh - padding[0];
            int64_t col = ow * stride[1] + kw - padding[1];
            inside.push_back(row >= 0 && row < inputShape[2] && col >= 0 &&
                             col < inputShape[3]);
          }
        }
        auto maskType =
            RankedTensorType::get({1, 1, outH, outW}, b.getIntegerType(1));
        Value mask = a.create<ConstantOp>(
            DenseElementsAttr::get(maskType, ArrayRef<bool>(inside)));
        hit = a.create<AndOp>(hit, a.broadcast(mask, pooled.getShape()));
      }
      Value first = seen ? a.create<AndOp>(hit, a.create<NotOp>(seen)) : hit;
      seen = seen ? a.create<OrOp>(seen, hit) : hit;
      Value picked = a.select(
          first, a.create<SliceOp>(hPadded, start, limit, strides), zero);
      result = result ? a.add(result, picked) : picked;
    }
  }
  out.append({Value(), result});
  return success();
}

LogicalResult AvgPool2dOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                   SmallVectorImpl<Value> &out) {
  Value g = cotangents[0];
  if (!g)
    return zeroDerivative(*this, out);
  out.push_back(Adjoint(b, getLoc())
                    .create<AvgPool2dGradOp>(
                        getInput().getType(), g, getKernel(), getStride(),
                        getPadding(), getCountIncludePad()));
  return success();
}

LogicalResult AvgPool2dGradOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                       SmallVectorImpl<Value> &out) {
  // Linear, and the transpose of avg_pool2d: each window's element is spread
  // evenly over the window, so the adjoint averages the window back.
  Value h = cotangents[0];
  if (!h)
    return zeroDerivative(*this, out);
  out.push_back(Adjoint(b, getLoc())
                    .create<AvgPool2dOp>(h, getKernel(), getStride(),
                                         getPadding(), getCountIncludePad()));
  return success();
}

//===----------------------------------------------------------------------===//
// Composites
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                 SmallVectorImpl<Value> &out) {
  // dx = y (g - sum(g y)) along dim.
  Value g = cotangents[0], y = getResult();
  if (!g)
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  ArrayRef<int64_t> shape = tensorType(y).getShape();
  Value dot = a.reduceSum(a.mul(g, y), {int64_t(getDim())}, /*keepdim=*/true);
  out.push_back(a.mul(y, a.sub(g, a.broadcast(dot, shape))));
  return success();
}

LogicalResult LogSoftmaxOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                    SmallVectorImpl<Value> &out) {
  // dx = g - softmax(x) sum(g) along dim, with softmax(x) = exp(y).
  Value g = cotangents[0], y = getResult();
  if (!g)
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  ArrayRef<int64_t> shape = tensorType(y).getShape();
  Value total = a.reduceSum(g, {int64_t(getDim())}, /*keepdim=*/true);
  out.push_back(a.sub(g, a.mul(a.create<ExpOp>(y), a.broadcast(total, shape))));
  return success();
}

/// The input cotangent of a normalization `xhat = (x - mean) * rstd` over
/// `dims`, given the cotangent `dxhat` of `xhat`:
/// `rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))`.
static Value normalizationVJP(Adjoint &a, Value dxhat, Value xhat, Value rstd,
                              ArrayRef<int64_t> dims) {
  ArrayRef<int64_t> shape = tensorType(xhat).getShape();
  Value meanGrad = a.broadcast(a.meanKeep(dxhat, dims), shape);
  Value meanProjection =
      a.broadcast(a.meanKeep(a.mul(dxhat, xhat), dims), shape);
  return a.mul(a.broadcast(rstd, shape),
               a.sub(a.sub(dxhat, meanGrad), a.mul(xhat, meanProjection)));
}

LogicalResult LayerNormOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                   SmallVectorImpl<Value> &out) {
  // The op keeps its statistics inside, so the backward recomputes the mean
  // and the reciprocal standard deviation (as kiln-decompose computes them).
  Value g = cotangents[0], x = getOperand();
  if (!g)
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  ArrayRef<int64_t> shape = tensorType(x).getShape();
  SmallVector<int64_t> normalized = range(getAxis(), shape.size());
  SmallVector<int64_t> leading = range(0, getAxis());
  Value mean = a.meanKeep(x, normalized);
  Value centred = a.sub(x, a.broadcast(mean, shape));
  Value variance = a.meanKeep(a.mul(centred, centred), normalized);
  Value rstd = a.create<RsqrtOp>(
      a.add(variance, a.splatLike(variance, getEps().convertToDouble())));
  Value xhat = a.mul(centred, a.broadcast(rstd, shape));
  Value dxhat = a.mul(g, a.broadcast(getWeight(), shape));
  out.append({normalizationVJP(a, dxhat, xhat, rstd, normalized),
              a.reduceSum(a.mul(g, xhat), leading, /*keepdim=*/false),
              a.reduceSum(g, leading, /*keepdim=*/false)});
  return success();
}

LogicalResult BatchNormTrainingOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                           SmallVectorImpl<Value> &out) {
  // The batch statistics are results of the op: the backward reuses them.
  Value gy = cotangents[0], gMean = cotangents[1], gVar = cotangents[2];
  Value x = getOperand();
  Adjoint a(b, getLoc());
  auto type = tensorType(x);
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = type.getDimSize(1);
  SmallVector<int64_t> params(shape.size(), 1);
  params[1] = channels;
  Shape dims = allDimsExcept(shape.size(), 1);
  double count = double(type.getNumElements()) / double(channels);

  Value mean = a.reshape(getBatchMean(), params);
  Value rstd = a.create<RsqrtOp>(
      a.add(a.reshape(getBatchVar(), params),
            a.splat(RankedTensorType::get(params, type.getElementType()),
                    getEps().convertToDouble())));
  Value centred = a.sub(x, a.broadcast(mean, shape));
  Value dx, dWeight, dBias;
  if (gy) {
    Value xhat = a.mul(centred, a.broadcast(rstd, shape));
    Value weight = a.broadcast(a.reshape(getWeight(), params), shape);
    dx = normalizationVJP(a, a.mul(gy, weight), xhat, rstd, dims);
    dWeight = a.reduceSum(a.mul(gy, xhat), dims, /*keepdim=*/false);
    dBias = a.reduceSum(gy, dims, /*keepdim=*/false);
  }
  auto accumulate = [&](Value term) { dx = dx ? a.add(dx, term) : term; };
  // batch_mean = sum(x) / count.
  if (gMean)
    accumulate(
        a.scale(a.broadcast(a.reshape(gMean, params), shape), 1.0 / count));
  // batch_var = sum((x - mean)^2) / count; the mean's own dependence on x
  // drops out because the centred values sum to zero.
  if (gVar)
    accumulate(a.mul(a.broadcast(a.reshape(gVar, params), shape),
                     a.scale(centred, 2.0 / count)));
  out.append({dx, dWeight, dBias});
  return success();
}

LogicalResult BatchNormInferenceOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                            SmallVectorImpl<Value> &out) {
  // y = (x - mean) * rstd * weight + bias, rstd = (var + eps)^-1/2, per
  // channel.
  Value g = cotangents[0], x = getOperand();
  if (!g)
    return zeroDerivative(*this, out);
  Adjoint a(b, getLoc());
  auto type = tensorType(x);
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> params(shape.size(), 1);
  params[1] = type.getDimSize(1);
  Shape dims = allDimsExcept(shape.size(), 1);
  Value weight = getWeight();
  Value rstd = a.create<RsqrtOp>(a.add(
      getVariance(), a.splatLike(getVariance(), getEps().convertToDouble())));
  Value scale = a.mul(weight, rstd);
  Value centred = a.sub(x, a.broadcast(a.reshape(getMean(), params), shape));
  Value sumG = a.reduceSum(g, dims, /*keepdim=*/false);
  Value sumGCentred = a.reduceSum(a.mul(g, centred), dims, /*keepdim=*/false);
  Value dx = a.mul(g, a.broadcast(a.reshape(scale, params), shape));
  Value dWeight = a.mul(sumGCentred, rstd);
  Value dMean = a.neg(a.mul(sumG, scale));
  // d rstd / d var = -rstd^3 / 2.
  Value dVar = a.mul(a.scale(a.mul(sumGCentred, weight), -0.5),
                     a.mul(rstd, a.mul(rstd, rstd)));
  out.append({dx, dWeight, sumG, dMean, dVar});
  return success();
}

LogicalResult CustomVJPOp::emitVJP(OpBuilder &b, ValueRange cotangents,
                                   SmallVectorImpl<Value> &out) {
  // The backward function takes every result's cotangent: zeros where a
  // result gets none (PyTorch materializes them too).
  Adjoint a(b, getLoc());
  SmallVector<Value> args;
  for (auto [result, g] : llvm::zip(getResults(), cotangents))
    args.push_back(g ? g : a.zerosLike(result));
  llvm::append_range(args, getSaved());
  SmallVector<Type> types;
  for (int64_t index : getGradients())
    types.push_back(getPrimals()[index].getType());
  auto call = b.create<func::CallOp>(getLoc(), getBackwardAttr(), types, args);
  out.assign(getNumOperands(), Value());
  for (auto [index, gradient] : llvm::zip(getGradients(), call.getResults()))
    out[index] = gradient;
  return success();
}
