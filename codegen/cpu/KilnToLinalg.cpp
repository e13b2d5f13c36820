//===- KilnToLinalg.cpp - kiln ops to linalg/tensor/arith/math ------------===//
//
// The kiln-to-linalg pass and the helpers that every op family shares. The
// families' rewriters live in KilnToLinalg<Family>.cpp, declared in
// KilnToLinalgRewriters.h.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/Passes.h"
#include "kiln/codegen/cpu/KilnToLinalgRewriters.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include <limits>

#define DEBUG_TYPE "kiln-to-linalg"

namespace kiln {
#define GEN_PASS_DEF_KILNTOLINALG
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::ir;
using namespace kiln::codegen;

namespace kiln::codegen {

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

bool isFloat(Type t) { return isa<FloatType>(t); }

Value scalar(OpBuilder &b, Location loc, Type type, double value) {
  if (auto f = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(f, value));
  // Saturated: the extremes of int64 (a reduction's identity) are not
  // doubles, and converting 2^63 back would overflow.
  int64_t integer = value >= 0x1p63    ? std::numeric_limits<int64_t>::max()
                    : value <= -0x1p63 ? std::numeric_limits<int64_t>::min()
                                       : static_cast<int64_t>(value);
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(type, integer));
}

Value emptyLike(OpBuilder &b, Location loc, RankedTensorType type) {
  return b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
}

Value filled(OpBuilder &b, Location loc, RankedTensorType type, Value value) {
  return b
      .create<linalg::FillOp>(loc, ValueRange{value},
                              ValueRange{emptyLike(b, loc, type)})
      .result();
}

SmallVector<utils::IteratorType> parallel(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

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

} // namespace kiln::codegen

namespace {

void populateKilnToLinalgPatterns(RewritePatternSet &patterns) {
  populateKilnElementwiseToLinalgPatterns(patterns);
  populateKilnCreationToLinalgPatterns(patterns);
  populateKilnShapeToLinalgPatterns(patterns);
  populateKilnReductionToLinalgPatterns(patterns);
  populateKilnContractionToLinalgPatterns(patterns);
  populateKilnConvolutionToLinalgPatterns(patterns);
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
