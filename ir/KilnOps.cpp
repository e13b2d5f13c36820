//===- KilnOps.cpp - Verifiers, type inference and folders ----------------===//
#include "kiln/ir/KilnOps.h"
#include "kiln/ir/Shapes.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace kiln::ir;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

/// The statically shaped ranked tensor type of `v`, or null. Type inference
/// runs before operand types are verified, so it never assumes.
RankedTensorType staticTensor(Value v) {
  auto type = v ? dyn_cast<RankedTensorType>(v.getType()) : nullptr;
  return type && type.hasStaticShape() ? type : nullptr;
}

std::string str(ArrayRef<int64_t> shape) { return formatShape(shape); }

std::string str(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

/// Checks that `dim` names a dimension of a rank-`rank` tensor.
LogicalResult checkDim(std::optional<Location> loc, StringRef what, int64_t dim,
                       int64_t rank) {
  if (dim < 0 || dim >= rank)
    return emitOptionalError(loc, what, " ", dim,
                             " is out of range for a tensor of rank ", rank);
  return success();
}

/// Checks that `values` has `size` entries, each at least `minimum`.
LogicalResult checkArray(std::optional<Location> loc, StringRef name,
                         ArrayRef<int64_t> values, size_t size,
                         int64_t minimum) {
  if (values.size() != size)
    return emitOptionalError(loc, "'", name, "' must have ", size,
                             " entries, got ", values.size());
  for (int64_t v : values)
    if (v < minimum)
      return emitOptionalError(loc, "'", name, "' entries must be >= ", minimum,
                               ", got ", str(values));
  return success();
}

/// Output shape of a 2-D convolution; errors name the shapes.
FailureOr<SmallVector<int64_t>>
conv2dShape(std::optional<Location> loc, ArrayRef<int64_t> input,
            ArrayRef<int64_t> filter, ArrayRef<int64_t> stride,
            ArrayRef<int64_t> padding, ArrayRef<int64_t> dilation,
            int64_t groups) {
  if (input.size() != 4 || filter.size() != 4)
    return emitOptionalError(
        loc,
        "conv2d expects a 4-d input [N, C, H, W] and a 4-d filter "
        "[O, C/groups, KH, KW], got input ",
        str(input), " and filter ", str(filter));
  if (failed(checkArray(loc, "stride", stride, 2, 1)) ||
      failed(checkArray(loc, "padding", padding, 2, 0)) ||
      failed(checkArray(loc, "dilation", dilation, 2, 1)))
    return failure();
  if (groups < 1 || input[1] % groups != 0 || filter[0] % groups != 0)
    return emitOptionalError(loc, "groups = ", groups,
                             " must divide the input channels (", input[1],
                             ") and the output channels (", filter[0], ")");
  if (filter[1] * groups != input[1])
    return emitOptionalError(loc, "filter ", str(filter), " expects ",
                             filter[1] * groups, " input channels, input ",
                             str(input), " has ", input[1]);
  SmallVector<int64_t> result = {input[0], filter[0]};
  for (int i = 0; i < 2; ++i) {
    auto size = windowOutputSize(input[2 + i], filter[2 + i], stride[i],
                                 padding[i], dilation[i]);
    if (!size)
      return emitOptionalError(loc, "filter ", str(filter),
                               " does not fit in input ", str(input),
                               " padded by ", str(padding));
    result.push_back(*size);
  }
  return result;
}

/// Output shape of 2-D pooling; errors name the shapes.
FailureOr<SmallVector<int64_t>> pool2dShape(std::optional<Location> loc,
                                            ArrayRef<int64_t> input,
                                            ArrayRef<int64_t> kernel,
                                            ArrayRef<int64_t> stride,
                                            ArrayRef<int64_t> padding) {
  if (input.size() != 4)
    return emitOptionalError(loc,
                             "pooling expects a 4-d input [N, C, H, W], "
                             "got ",
                             str(input));
  if (failed(checkArray(loc, "kernel", kernel, 2, 1)) ||
      failed(checkArray(loc, "stride", stride, 2, 1)) ||
      failed(checkArray(loc, "padding", padding, 2, 0)))
    return failure();
  SmallVector<int64_t> result = {input[0], input[1]};
  for (int i = 0; i < 2; ++i) {
    if (padding[i] * 2 > kernel[i])
      return emitOptionalError(loc, "padding ", str(padding),
                               " must be at most half of kernel ", str(kernel));
    auto size = windowOutputSize(input[2 + i], kernel[i], stride[i], padding[i],
                                 /*dilation=*/1);
    if (!size)
      return emitOptionalError(loc, "kernel ", str(kernel),
                               " does not fit in input ", str(input));
    result.push_back(*size);
  }
  return result;
}

/// Whether `attr` is a splat that `x + attr` (or `x - attr` with
/// `subtracting`) leaves unchanged for every x. For floats only one zero is
/// exact: -0.0 + -0.0 is -0.0 but -0.0 + 0.0 is +0.0.
bool isAdditiveIdentity(Attribute attr, bool subtracting) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType())) {
    APFloat value = dense.getSplatValue<APFloat>();
    return value.isZero() && value.isNegative() != subtracting;
  }
  return dense.getSplatValue<APInt>().isZero();
}

bool isSplatOne(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>().isExactlyValue(1.0);
  return dense.getSplatValue<APInt>().isOne();
}

/// Folds an elementwise binary op whose operands are both constants of
/// `type`, with the float or the integer rule as its element type says.
template <typename FloatFn, typename IntFn>
Attribute foldConstants(Type type, ArrayRef<Attribute> operands,
                        FloatFn floatFn, IntFn intFn) {
  if (isa<FloatType>(getElementTypeOrSelf(type)))
    return constFoldBinaryOp<FloatAttr, APFloat, void>(
        operands,
        [&](const APFloat &a, const APFloat &b) { return floatFn(a, b); });
  return constFoldBinaryOp<IntegerAttr, APInt, void>(
      operands, [&](const APInt &a, const APInt &b) { return intFn(a, b); });
}

} // namespace

//===----------------------------------------------------------------------===//
// Constants and creation
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto value = dyn_cast_or_null<ElementsAttr>(adaptor.getValue());
  if (!value)
    return emitOptionalError(loc, "'value' must be an elements attribute");
  types.push_back(value.getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult IotaOp::verify() {
  return checkDim(getLoc(), "iota dim", getDim(), getType().getRank());
}

LogicalResult FillOp::verify() {
  auto value = cast<RankedTensorType>(getValue().getType());
  if (value.getElementType() != getType().getElementType())
    return emitOpError("value ") << value << " and result " << getType()
                                 << " have different element types";
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise binary
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (isAdditiveIdentity(adaptor.getRhs(), /*subtracting=*/false))
    return getLhs();
  return foldConstants(
      getType(), adaptor.getOperands(),
      [](APFloat a, const APFloat &b) { return a + b; },
      [](const APInt &a, const APInt &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isAdditiveIdentity(adaptor.getRhs(), /*subtracting=*/true))
    return getLhs();
  return foldConstants(
      getType(), adaptor.getOperands(),
      [](APFloat a, const APFloat &b) { return a - b; },
      [](const APInt &a, const APInt &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOne(adaptor.getRhs()))
    return getLhs();
  return foldConstants(
      getType(), adaptor.getOperands(),
      [](APFloat a, const APFloat &b) { return a * b; },
      [](const APInt &a, const APInt &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOne(adaptor.getRhs()))
    return getLhs();
  return {};
}

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto lhs = staticTensor(adaptor.getLhs());
  if (!lhs)
    return emitOptionalError(loc, "compare expects statically shaped tensors");
  types.push_back(
      RankedTensorType::get(lhs.getShape(), IntegerType::get(context, 1)));
  return success();
}

void ConvertOp::build(OpBuilder &builder, OperationState &state, Value operand,
                      Type elementType) {
  auto type = cast<RankedTensorType>(operand.getType());
  build(builder, state, RankedTensorType::get(type.getShape(), elementType),
        operand);
}

OpFoldResult ConvertOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

void BroadcastToOp::build(OpBuilder &builder, OperationState &state,
                          Value operand, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(operand.getType());
  build(builder, state, RankedTensorType::get(shape, type.getElementType()),
        operand);
}

LogicalResult BroadcastToOp::verify() {
  auto from = cast<RankedTensorType>(getOperand().getType());
  if (from.getElementType() != getType().getElementType())
    return emitOpError("operand ") << from << " and result " << getType()
                                   << " have different element types";
  if (!isBroadcastableTo(from.getShape(), getType().getShape()))
    return emitOpError("cannot broadcast shape ")
           << str(from.getShape()) << " to " << str(getType().getShape());
  return success();
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getOperand()))
    if (dense.isSplat())
      return dense.resizeSplat(getType());
  // A broadcast of a broadcast is one broadcast: each step only stretches
  // size-1 or missing dimensions.
  if (auto producer = getOperand().getDefiningOp<BroadcastToOp>()) {
    getOperandMutable().assign(producer.getOperand());
    return getResult();
  }
  return {};
}

void ReshapeOp::build(OpBuilder &builder, OperationState &state, Value operand,
                      ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(operand.getType());
  build(builder, state, RankedTensorType::get(shape, type.getElementType()),
        operand);
}

LogicalResult ReshapeOp::verify() {
  auto from = cast<RankedTensorType>(getOperand().getType());
  if (from.getElementType() != getType().getElementType())
    return emitOpError("operand ") << from << " and result " << getType()
                                   << " have different element types";
  if (from.getNumElements() != getType().getNumElements())
    return emitOpError("cannot reshape ")
           << str(from.getShape()) << " (" << from.getNumElements()
           << " elements) to " << str(getType().getShape()) << " ("
           << getType().getNumElements() << " elements)";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getOperand()))
    return dense.reshape(getType());
  if (auto producer = getOperand().getDefiningOp<ReshapeOp>()) {
    getOperandMutable().assign(producer.getOperand());
    return getResult();
  }
  return {};
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto type = staticTensor(adaptor.getOperand());
  if (!type)
    return emitOptionalError(loc, "transpose expects a static tensor");
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  SmallVector<bool> seen(type.getRank(), false);
  bool valid = (int64_t)perm.size() == type.getRank();
  for (int64_t p : perm) {
    if (!valid || p < 0 || p >= type.getRank() || seen[p]) {
      valid = false;
      break;
    }
    seen[p] = true;
  }
  if (!valid)
    return emitOptionalError(loc, "permutation ", str(perm),
                             " is not a permutation of the dimensions of ",
                             str(type.getShape()));
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  auto isIdentity = [](ArrayRef<int64_t> perm) {
    for (auto [i, p] : llvm::enumerate(perm))
      if ((int64_t)i != p)
        return false;
    return true;
  };
  if (isIdentity(getPermutation()))
    return getOperand();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getOperand()))
    if (dense.isSplat())
      return dense.resizeSplat(getType());
  // transpose(transpose(x, inner), outer) == transpose(x, inner[outer[i]]).
  if (auto producer = getOperand().getDefiningOp<TransposeOp>()) {
    SmallVector<int64_t> composed;
    for (int64_t p : getPermutation())
      composed.push_back(producer.getPermutation()[p]);
    if (isIdentity(composed))
      return producer.getOperand();
    getOperandMutable().assign(producer.getOperand());
    setPermutation(composed);
    return getResult();
  }
  return {};
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto type = staticTensor(adaptor.getOperand());
  if (!type)
    return emitOptionalError(loc, "slice expects a static tensor");
  size_t rank = type.getRank();
  ArrayRef<int64_t> start = adaptor.getStart(), limit = adaptor.getLimit(),
                    strides = adaptor.getStrides();
  if (start.size() != rank || limit.size() != rank || strides.size() != rank)
    return emitOptionalError(loc, "slice of ", str(type.getShape()), " needs ",
                             rank, " start, limit and stride entries");
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < rank; ++d) {
    if (start[d] < 0 || start[d] > limit[d] || limit[d] > type.getDimSize(d) ||
        strides[d] < 1)
      return emitOptionalError(loc, "slice [", start[d], ":", limit[d], ":",
                               strides[d], "] is out of range for dimension ",
                               d, " of ", str(type.getShape()));
    shape.push_back((limit[d] - start[d] + strides[d] - 1) / strides[d]);
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType() &&
      llvm::all_of(getStrides(), [](int64_t s) { return s == 1; }))
    return getOperand();
  return {};
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (adaptor.getInputs().empty())
    return emitOptionalError(loc, "concat needs at least one input");
  auto first = staticTensor(adaptor.getInputs()[0]);
  if (!first)
    return emitOptionalError(loc, "concat expects static tensors");
  int64_t dim = adaptor.getDim();
  if (failed(checkDim(loc, "concat dim", dim, first.getRank())))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  for (Value input : adaptor.getInputs().drop_front()) {
    auto type = staticTensor(input);
    if (!type || type.getElementType() != first.getElementType() ||
        type.getRank() != first.getRank())
      return emitOptionalError(loc, "concat inputs ", str(first), " and ",
                               str(input.getType()),
                               " differ in rank or element type");
    for (int64_t d = 0; d < first.getRank(); ++d)
      if (d != dim && type.getDimSize(d) != first.getDimSize(d))
        return emitOptionalError(loc, "concat along dim ", dim,
                                 " needs equal other dimensions, got ",
                                 str(first.getShape()), " and ",
                                 str(type.getShape()));
    shape[dim] += type.getDimSize(dim);
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs()[0];
  return {};
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto type = staticTensor(adaptor.getOperand());
  auto value = staticTensor(adaptor.getPaddingValue());
  if (!type || !value)
    return emitOptionalError(loc, "pad expects static tensors");
  if (value.getElementType() != type.getElementType())
    return emitOptionalError(loc, "padding value ", str(value),
                             " must have the element type of ", str(type));
  if (failed(checkArray(loc, "low", adaptor.getLow(), type.getRank(), 0)) ||
      failed(checkArray(loc, "high", adaptor.getHigh(), type.getRank(), 0)))
    return failure();
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t d = 0; d < type.getRank(); ++d)
    shape[d] += adaptor.getLow()[d] + adaptor.getHigh()[d];
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto type = staticTensor(adaptor.getOperand());
  auto indices = staticTensor(adaptor.getIndices());
  if (!type || !indices)
    return emitOptionalError(loc, "gather expects static tensors");
  int64_t dim = adaptor.getDim();
  if (failed(checkDim(loc, "gather dim", dim, type.getRank())))
    return failure();
  SmallVector<int64_t> shape(type.getShape().take_front(dim));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, type.getShape().drop_front(dim + 1));
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult ScatterAddOp::inferReturnTypes(MLIRContext *context,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  auto type = staticTensor(adaptor.getOperand());
  auto indices = staticTensor(adaptor.getIndices());
  auto updates = staticTensor(adaptor.getUpdates());
  if (!type || !indices || !updates)
    return emitOptionalError(loc, "scatter_add expects static tensors");
  int64_t dim = adaptor.getDim();
  if (failed(checkDim(loc, "scatter_add dim", dim, type.getRank())))
    return failure();
  SmallVector<int64_t> expected(type.getShape().take_front(dim));
  llvm::append_range(expected, indices.getShape());
  llvm::append_range(expected, type.getShape().drop_front(dim + 1));
  if (updates.getShape() != ArrayRef<int64_t>(expected) ||
      updates.getElementType() != type.getElementType())
    return emitOptionalError(loc, "scatter_add updates ", str(updates),
                             " must have shape ", str(expected),
                             " and the element type of ", str(type));
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// The result type of reducing `dims` of `operand`.
static LogicalResult inferReduction(std::optional<Location> loc, Value operand,
                                    ArrayRef<int64_t> dims, bool keepdim,
                                    Type elementType, bool hasIdentity,
                                    SmallVectorImpl<Type> &types) {
  auto type = staticTensor(operand);
  if (!type)
    return emitOptionalError(loc, "reduction expects a static tensor");
  llvm::SmallSet<int64_t, 4> reduced;
  for (int64_t d : dims) {
    if (failed(checkDim(loc, "reduction dim", d, type.getRank())))
      return failure();
    if (!reduced.insert(d).second)
      return emitOptionalError(loc, "reduction dims ", str(dims),
                               " name dimension ", d, " twice");
    // The maximum of nothing is undefined (PyTorch raises too).
    if (!hasIdentity && type.getDimSize(d) == 0)
      return emitOptionalError(loc, "cannot reduce dimension ", d, " of ",
                               str(type.getShape()),
                               ": it is empty and the reduction has no "
                               "identity");
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!reduced.contains(d))
      shape.push_back(type.getDimSize(d));
    else if (keepdim)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(
      shape, elementType ? elementType : type.getElementType()));
  return success();
}

#define KILN_REDUCE_OP(Op, hasIdentity)                                        \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferReduction(loc, adaptor.getOperand(), adaptor.getDims(),        \
                          adaptor.getKeepdim(), {}, hasIdentity, types);       \
  }                                                                            \
  OpFoldResult Op::fold(FoldAdaptor) {                                         \
    return getDims().empty() ? getOperand() : OpFoldResult();                  \
  }
KILN_REDUCE_OP(ReduceSumOp, true)
KILN_REDUCE_OP(ReduceMaxOp, false)
KILN_REDUCE_OP(ReduceMinOp, false)
#undef KILN_REDUCE_OP

#define KILN_ARG_REDUCE_OP(Op)                                                 \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &types) {                                          \
    int64_t dim = adaptor.getDim();                                            \
    return inferReduction(loc, adaptor.getOperand(), ArrayRef<int64_t>(dim),   \
                          adaptor.getKeepdim(), IntegerType::get(context, 64), \
                          /*hasIdentity=*/false, types);                       \
  }
KILN_ARG_REDUCE_OP(ArgmaxOp)
KILN_ARG_REDUCE_OP(ArgminOp)
#undef KILN_ARG_REDUCE_OP

//===----------------------------------------------------------------------===//
// Contractions and NN primitives
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto lhs = staticTensor(adaptor.getLhs());
  auto rhs = staticTensor(adaptor.getRhs());
  if (!lhs || !rhs)
    return emitOptionalError(loc, "matmul expects static tensors");
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(loc, "matmul operands must have rank >= 2, got ",
                             str(lhs.getShape()), " and ", str(rhs.getShape()));
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "matmul operands ", str(lhs), " and ",
                             str(rhs), " have different element types");
  ArrayRef<int64_t> l = lhs.getShape(), r = rhs.getShape();
  if (l.back() != r[r.size() - 2])
    return emitOptionalError(loc, "matmul inner dimensions differ: ", str(l),
                             " @ ", str(r), " (", l.back(), " vs ",
                             r[r.size() - 2], ")");
  auto batch = broadcastShapes(l.drop_back(2), r.drop_back(2));
  if (!batch)
    return emitOptionalError(loc, "matmul batch dimensions of ", str(l),
                             " and ", str(r), " do not broadcast");
  batch->push_back(l[l.size() - 2]);
  batch->push_back(r.back());
  types.push_back(RankedTensorType::get(*batch, lhs.getElementType()));
  return success();
}

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto input = staticTensor(adaptor.getInput());
  auto filter = staticTensor(adaptor.getFilter());
  if (!input || !filter)
    return emitOptionalError(loc, "conv2d expects static tensors");
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(loc, "conv2d input ", str(input), " and filter ",
                             str(filter), " have different element types");
  auto shape = conv2dShape(loc, input.getShape(), filter.getShape(),
                           adaptor.getStride(), adaptor.getPadding(),
                           adaptor.getDilation(), adaptor.getGroups());
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

/// Checks that a conv2d of `input` by `filter` gives `gradOutput`'s type.
static LogicalResult
verifyConvGrad(Operation *op, RankedTensorType input, RankedTensorType filter,
               RankedTensorType gradOutput, ArrayRef<int64_t> stride,
               ArrayRef<int64_t> padding, ArrayRef<int64_t> dilation,
               int64_t groups) {
  if (input.getElementType() != filter.getElementType() ||
      input.getElementType() != gradOutput.getElementType())
    return op->emitOpError("operands and result must share an element type");
  auto shape = conv2dShape(op->getLoc(), input.getShape(), filter.getShape(),
                           stride, padding, dilation, groups);
  if (failed(shape))
    return failure();
  if (gradOutput.getShape() != ArrayRef<int64_t>(*shape))
    return op->emitOpError("grad_output ")
           << str(gradOutput.getShape()) << " is not the shape " << str(*shape)
           << " that conv2d of input " << str(input.getShape()) << " by filter "
           << str(filter.getShape()) << " produces";
  return success();
}

LogicalResult Conv2dGradInputOp::verify() {
  return verifyConvGrad(*this, getType(),
                        cast<RankedTensorType>(getFilter().getType()),
                        cast<RankedTensorType>(getGradOutput().getType()),
                        getStride(), getPadding(), getDilation(), getGroups());
}

LogicalResult Conv2dGradFilterOp::verify() {
  return verifyConvGrad(*this, cast<RankedTensorType>(getInput().getType()),
                        getType(),
                        cast<RankedTensorType>(getGradOutput().getType()),
                        getStride(), getPadding(), getDilation(), getGroups());
}

/// The pooled type of a max_pool2d or avg_pool2d.
template <typename Adaptor>
static LogicalResult inferPool2d(std::optional<Location> loc, Adaptor adaptor,
                                 SmallVectorImpl<Type> &types) {
  auto input = staticTensor(adaptor.getInput());
  if (!input)
    return emitOptionalError(loc, "pooling expects a static tensor");
  auto shape = pool2dShape(loc, input.getShape(), adaptor.getKernel(),
                           adaptor.getStride(), adaptor.getPadding());
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool2d(loc, adaptor, types);
}

LogicalResult MaxPool2dGradOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  auto input = staticTensor(adaptor.getInput());
  auto grad = staticTensor(adaptor.getGradOutput());
  if (!input || !grad)
    return emitOptionalError(loc, "max_pool2d_grad expects static tensors");
  auto shape = pool2dShape(loc, input.getShape(), adaptor.getKernel(),
                           adaptor.getStride(), adaptor.getPadding());
  if (failed(shape))
    return failure();
  if (grad.getShape() != ArrayRef<int64_t>(*shape) ||
      grad.getElementType() != input.getElementType())
    return emitOptionalError(loc, "grad_output ", str(grad),
                             " does not match the pooled shape ", str(*shape),
                             " of input ", str(input));
  types.push_back(input);
  return success();
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool2d(loc, adaptor, types);
}

LogicalResult AvgPool2dGradOp::verify() {
  auto grad = cast<RankedTensorType>(getGradOutput().getType());
  auto shape = pool2dShape(getLoc(), getType().getShape(), getKernel(),
                           getStride(), getPadding());
  if (failed(shape))
    return failure();
  if (grad.getShape() != ArrayRef<int64_t>(*shape) ||
      grad.getElementType() != getType().getElementType())
    return emitOpError("grad_output ")
           << grad << " does not match the pooled shape " << str(*shape)
           << " of the result " << getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Composites
//===----------------------------------------------------------------------===//

#define KILN_SOFTMAX_OP(Op)                                                    \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    auto type = staticTensor(adaptor.getOperand());                            \
    if (!type)                                                                 \
      return emitOptionalError(loc, "expects a static tensor");                \
    if (failed(checkDim(loc, "dim", adaptor.getDim(), type.getRank())))        \
      return failure();                                                        \
    types.push_back(type);                                                     \
    return success();                                                          \
  }
KILN_SOFTMAX_OP(SoftmaxOp)
KILN_SOFTMAX_OP(LogSoftmaxOp)
#undef KILN_SOFTMAX_OP

/// Checks that each of `params` is a `[shape]` tensor of `type`'s elements.
static LogicalResult checkParams(std::optional<Location> loc,
                                 RankedTensorType type, ArrayRef<int64_t> shape,
                                 ArrayRef<std::pair<StringRef, Value>> params) {
  for (auto [name, value] : params) {
    auto param = staticTensor(value);
    if (!param || param.getShape() != shape ||
        param.getElementType() != type.getElementType())
      return emitOptionalError(loc, name, " must be a ", str(shape),
                               " tensor of ", type.getElementType(),
                               " for input ", str(type), ", got ",
                               value ? str(value.getType()) : "nothing");
  }
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto type = staticTensor(adaptor.getOperand());
  if (!type)
    return emitOptionalError(loc, "layer_norm expects a static tensor");
  int64_t axis = adaptor.getAxis();
  if (failed(checkDim(loc, "layer_norm axis", axis, type.getRank())) ||
      failed(checkParams(
          loc, type, type.getShape().drop_front(axis),
          {{"weight", adaptor.getWeight()}, {"bias", adaptor.getBias()}})))
    return failure();
  types.push_back(type);
  return success();
}

/// The per-channel parameter shape `[C]` of batch norm on `type`.
static FailureOr<SmallVector<int64_t>> channelShape(std::optional<Location> loc,
                                                    RankedTensorType type) {
  if (!type || type.getRank() < 2)
    return emitOptionalError(loc, "batch norm expects a static [N, C, ...] "
                                  "tensor of rank >= 2");
  return SmallVector<int64_t>{type.getDimSize(1)};
}

LogicalResult BatchNormTrainingOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto type = staticTensor(adaptor.getOperand());
  auto channels = channelShape(loc, type);
  if (failed(channels) || failed(checkParams(loc, type, *channels,
                                             {{"weight", adaptor.getWeight()},
                                              {"bias", adaptor.getBias()}})))
    return failure();
  auto stats = RankedTensorType::get(*channels, type.getElementType());
  types.append({type, stats, stats});
  return success();
}

LogicalResult BatchNormInferenceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  auto type = staticTensor(adaptor.getOperand());
  auto channels = channelShape(loc, type);
  if (failed(channels) ||
      failed(checkParams(loc, type, *channels,
                         {{"weight", adaptor.getWeight()},
                          {"bias", adaptor.getBias()},
                          {"mean", adaptor.getMean()},
                          {"variance", adaptor.getVariance()}})))
    return failure();
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

LogicalResult GradOp::verify() {
  llvm::SmallSet<int64_t, 4> seen;
  for (int64_t index : getWrt()) {
    if (index < 0 || index >= (int64_t)getInputs().size())
      return emitOpError("wrt index ") << index << " is out of range for "
                                       << getInputs().size() << " inputs";
    if (!seen.insert(index).second)
      return emitOpError("wrt lists input ") << index << " twice";
    if (!isa<FloatType>(cast<RankedTensorType>(getInputs()[index].getType())
                            .getElementType()))
      return emitOpError("input ")
             << index << " of type " << getInputs()[index].getType()
             << " is not differentiable (needs a float element type)";
  }
  return success();
}

LogicalResult GradOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto callee =
      symbols.lookupNearestSymbolFrom<func::FuncOp>(*this, getCalleeAttr());
  if (!callee)
    return emitOpError("'") << getCallee() << "' does not name a func.func";
  FunctionType fnType = callee.getFunctionType();
  if (TypeRange(getInputs()) != fnType.getInputs())
    return emitOpError("inputs do not match the parameters of @")
           << getCallee() << " " << fnType;
  if (fnType.getNumResults() != 1)
    return emitOpError("@") << getCallee()
                            << " must return exactly one tensor to "
                               "differentiate, it returns "
                            << fnType.getNumResults();
  auto output = dyn_cast<RankedTensorType>(fnType.getResult(0));
  if (!output)
    return emitOpError("@") << getCallee() << " must return a tensor, not "
                            << fnType.getResult(0);
  if (getSeed()) {
    if (getSeed().getType() != output)
      return emitOpError("seed type ")
             << getSeed().getType() << " must equal the result type " << output;
  } else if (output.getRank() != 0 ||
             !isa<FloatType>(output.getElementType())) {
    return emitOpError("without a seed, @")
           << getCallee() << " must return a 0-d float tensor, not " << output
           << " (pass a seed to differentiate a non-scalar)";
  }
  SmallVector<Type> expected(fnType.getResults());
  for (int64_t index : getWrt())
    expected.push_back(getInputs()[index].getType());
  if (TypeRange(getResults()) != TypeRange(expected))
    return emitOpError("results must be @")
           << getCallee()
           << "'s results followed by one gradient per wrt input";
  return success();
}

LogicalResult CustomVJPOp::verify() {
  if (getOutputs().getTypes() != getResults().getTypes())
    return emitOpError("result types must equal the output types");
  int64_t previous = -1;
  for (int64_t index : getGradients()) {
    if (index <= previous || index >= (int64_t)getPrimals().size())
      return emitOpError("gradients must list primal indices in increasing "
                         "order, below ")
             << getPrimals().size();
    previous = index;
    if (!isa<FloatType>(cast<RankedTensorType>(getPrimals()[index].getType())
                            .getElementType()))
      return emitOpError("primal ")
             << index << " of type " << getPrimals()[index].getType()
             << " is not differentiable (needs a float element type)";
  }
  return success();
}

LogicalResult CustomVJPOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto callee =
      symbols.lookupNearestSymbolFrom<func::FuncOp>(*this, getBackwardAttr());
  if (!callee)
    return emitOpError("'") << getBackward() << "' does not name a func.func";
  SmallVector<Type> inputs(getResults().getTypes());
  llvm::append_range(inputs, getSaved().getTypes());
  SmallVector<Type> results;
  for (int64_t index : getGradients())
    results.push_back(getPrimals()[index].getType());
  FunctionType fnType = callee.getFunctionType();
  if (fnType.getInputs() != ArrayRef<Type>(inputs) ||
      fnType.getResults() != ArrayRef<Type>(results))
    return emitOpError("@")
           << getBackward() << " has type " << fnType
           << ", expected the results' cotangents and the saved values to "
              "the listed primals' gradients: "
           << FunctionType::get(getContext(), inputs, results);
  return success();
}

LogicalResult FusionOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.getArgumentTypes() != getInputs().getTypes())
    return emitOpError("block arguments must match the inputs one to one");
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body must end in kiln.yield");
  if (yield.getValues().getTypes() != getResults().getTypes())
    return emitOpError("kiln.yield operand types must equal the result types");
  return success();
}

#include "ir/KilnInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "ir/KilnOps.cpp.inc"
