//===- KilnToLinalgConvolution.cpp - Convolution and pooling to linalg ----===//
//
// 2-d convolution and pooling, and their gradients, as linalg named ops and
// loops.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/KilnToLinalgRewriters.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen {

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

namespace {

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

} // namespace

void populateKilnConvolutionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2dLowering, Conv2dGradInputLowering,
               Conv2dGradFilterLowering, MaxPool2dLowering,
               MaxPool2dGradLowering, AvgPool2dLowering, AvgPool2dGradLowering>(
      patterns.getContext());
}

} // namespace kiln::codegen
