//===- Parallelize.cpp - Large parallel loops to kiln_parallel_for --------===//
//
// Outlines each large outermost scf.parallel into a function of
// (context, begin, end) and calls the runtime's kiln_parallel_for with it.
// The context is an array of 64-bit words: the aligned pointer of each
// buffer the body reads or writes (static layouts are rebuilt from the type
// in the callee) and the bits of each scalar.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/MathExtras.h"

#define DEBUG_TYPE "kiln-parallelize"

namespace kiln {
#define GEN_PASS_DEF_KILNPARALLELIZE
#include "codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelFor = "kiln_parallel_for";

/// The trip count of a loop dimension, or nullopt when it is not constant.
std::optional<uint64_t> tripCount(Value lower, Value upper, Value step) {
  std::optional<int64_t> lb = getConstantIntValue(lower);
  std::optional<int64_t> ub = getConstantIntValue(upper);
  std::optional<int64_t> st = getConstantIntValue(step);
  if (!lb || !ub || !st || *st <= 0)
    return std::nullopt;
  return *ub <= *lb ? 0 : llvm::divideCeil(*ub - *lb, *st);
}

/// Estimated operations to run `op` once: a loop's trip count times its
/// body, one for any other op. Loops of unknown trip count count once.
uint64_t cost(Operation *op) {
  if (op->getNumRegions() == 0)
    return 1;
  uint64_t trips = 1;
  auto times = [&](Value lb, Value ub, Value step) {
    trips =
        llvm::SaturatingMultiply(trips, tripCount(lb, ub, step).value_or(1));
  };
  if (auto loop = dyn_cast<scf::ForOp>(op))
    times(loop.getLowerBound(), loop.getUpperBound(), loop.getStep());
  if (auto loop = dyn_cast<scf::ParallelOp>(op))
    for (auto [lb, ub, step] :
         llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep()))
      times(lb, ub, step);
  uint64_t body = 0;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (Operation &nested : block)
        body = llvm::SaturatingAdd(body, cost(&nested));
  return llvm::SaturatingMultiply(trips, std::max<uint64_t>(body, 1));
}

/// How a value the loop body uses reaches the outlined function.
enum class Passing { Clone, Buffer, Scalar };

/// How `value` can be passed, or nullopt when it cannot (the loop then
/// stays serial).
std::optional<Passing> classify(Value value) {
  if (matchPattern(value, m_Constant()))
    return Passing::Clone;
  Type type = value.getType();
  if (auto memref = dyn_cast<MemRefType>(type)) {
    SmallVector<int64_t> strides;
    int64_t offset;
    bool isStatic = memref.hasStaticShape() && !memref.getMemorySpace() &&
                    succeeded(getStridesAndOffset(memref, strides, offset)) &&
                    !ShapedType::isDynamic(offset) &&
                    llvm::none_of(strides, ShapedType::isDynamic);
    return isStatic ? std::optional(Passing::Buffer) : std::nullopt;
  }
  if (type.isIndex() ||
      (type.isIntOrFloat() && type.getIntOrFloatBitWidth() <= 64))
    return Passing::Scalar;
  return std::nullopt;
}

/// The bits of scalar `value` as an i64 word.
Value toWord(OpBuilder &b, Location loc, Value value) {
  Type i64 = b.getI64Type();
  Type type = value.getType();
  if (type.isIndex())
    return b.create<arith::IndexCastOp>(loc, i64, value);
  unsigned width = type.getIntOrFloatBitWidth();
  if (isa<FloatType>(type))
    value = b.create<arith::BitcastOp>(loc, b.getIntegerType(width), value);
  return width == 64 ? value : b.create<arith::ExtUIOp>(loc, i64, value);
}

/// The scalar of `type` whose bits `word` holds (the inverse of toWord).
Value fromWord(OpBuilder &b, Location loc, Value word, Type type) {
  if (type.isIndex())
    return b.create<arith::IndexCastOp>(loc, type, word);
  unsigned width = type.getIntOrFloatBitWidth();
  Type bits = b.getIntegerType(width);
  if (width < 64)
    word = b.create<arith::TruncIOp>(loc, bits, word);
  return isa<FloatType>(type) ? b.create<arith::BitcastOp>(loc, type, word)
                              : word;
}

/// The LLVM struct of a memref descriptor of `type`'s rank.
LLVM::LLVMStructType descriptorType(MLIRContext *context, MemRefType type) {
  Type i64 = IntegerType::get(context, 64);
  auto ptr = LLVM::LLVMPointerType::get(context);
  SmallVector<Type> fields = {ptr, ptr, i64};
  if (int64_t rank = type.getRank(); rank > 0) {
    fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
    fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
  }
  return LLVM::LLVMStructType::getLiteral(context, fields);
}

/// The aligned pointer of `buffer` as an i64 word, read from its descriptor
/// (memref.extract_aligned_pointer_as_index would be folded through a
/// memref.view to its source, losing the view's byte shift).
Value bufferToWord(OpBuilder &b, Location loc, Value buffer) {
  MLIRContext *context = b.getContext();
  auto type = cast<MemRefType>(buffer.getType());
  Value descriptor = b.create<UnrealizedConversionCastOp>(
                          loc, descriptorType(context, type), buffer)
                         .getResult(0);
  Value aligned = b.create<LLVM::ExtractValueOp>(loc, descriptor, 1);
  return b.create<LLVM::PtrToIntOp>(loc, b.getI64Type(), aligned);
}

/// A memref of static `type` whose data starts at the aligned pointer in
/// `word`: its descriptor, built in the LLVM dialect and cast to the memref
/// (finalize-memref-to-llvm and reconcile-unrealized-casts fold the cast).
Value bufferFromWord(OpBuilder &b, Location loc, Value word, MemRefType type) {
  MLIRContext *context = b.getContext();
  Type i64 = b.getI64Type();
  auto ptr = LLVM::LLVMPointerType::get(context);
  SmallVector<int64_t> strides;
  int64_t offset;
  (void)getStridesAndOffset(type, strides, offset);
  int64_t rank = type.getRank();
  Value pointer = b.create<LLVM::IntToPtrOp>(loc, ptr, word);
  Value descriptor =
      b.create<LLVM::UndefOp>(loc, descriptorType(context, type));
  auto insert = [&](Value field, ArrayRef<int64_t> position) {
    descriptor =
        b.create<LLVM::InsertValueOp>(loc, descriptor, field, position);
  };
  auto constant = [&](int64_t value) {
    return b.create<LLVM::ConstantOp>(loc, i64, value);
  };
  insert(pointer, {0});
  insert(pointer, {1});
  insert(constant(offset), {2});
  for (int64_t d = 0; d < rank; ++d) {
    insert(constant(type.getDimSize(d)), {3, d});
    insert(constant(strides[d]), {4, d});
  }
  return b.create<UnrealizedConversionCastOp>(loc, type, descriptor)
      .getResult(0);
}

struct ParallelizePass : kiln::impl::KilnParallelizeBase<ParallelizePass> {
  using KilnParallelizeBase::KilnParallelizeBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        loops.push_back(loop);
    });
    SymbolTable symbols(module);
    for (scf::ParallelOp loop : loops)
      outline(loop, symbols);
  }

  /// The declaration of the runtime's kiln_parallel_for.
  func::FuncOp runtimeDeclaration(SymbolTable &symbols) {
    if (auto fn = symbols.lookup<func::FuncOp>(kParallelFor))
      return fn;
    OpBuilder b(&getContext());
    auto ptr = LLVM::LLVMPointerType::get(&getContext());
    Type i64 = b.getI64Type();
    auto body = b.getFunctionType({ptr, i64, i64}, {});
    auto fn =
        b.create<func::FuncOp>(getOperation().getLoc(), kParallelFor,
                               b.getFunctionType({body, ptr, i64, i64}, {}));
    fn.setPrivate();
    symbols.insert(fn);
    return fn;
  }

  void outline(scf::ParallelOp loop, SymbolTable &symbols) {
    if (loop.getNumResults() != 0 || !loop.getInitVals().empty())
      return;
    std::optional<uint64_t> trips = tripCount(
        loop.getLowerBound()[0], loop.getUpperBound()[0], loop.getStep()[0]);
    uint64_t work = cost(loop);
    if (!trips || *trips < 2 ||
        work < static_cast<uint64_t>(minWork.getValue()))
      return;

    // Everything the loop uses from outside: its bounds and its body's
    // free values.
    llvm::SetVector<Value> used(loop->getOperands().begin(),
                                loop->getOperands().end());
    getUsedValuesDefinedAbove(loop.getRegion(), used);
    SmallVector<std::pair<Value, Passing>> captures;
    for (Value value : used) {
      std::optional<Passing> how = classify(value);
      if (!how)
        return;
      captures.emplace_back(value, *how);
    }

    MLIRContext *context = &getContext();
    Location loc = loop.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(context);
    OpBuilder b(context);
    Type i64 = b.getI64Type();

    // The outlined body.
    auto caller = loop->getParentOfType<func::FuncOp>();
    auto callee =
        b.create<func::FuncOp>(loc, (caller.getName() + "_parallel").str(),
                               b.getFunctionType({ptr, i64, i64}, {}));
    callee.setPrivate();
    symbols.insert(callee);
    Block *entry = callee.addEntryBlock();
    b.setInsertionPointToStart(entry);
    Value contextArg = entry->getArgument(0);
    IRMapping mapping;
    int32_t words = 0;
    for (auto [value, how] : captures) {
      if (how == Passing::Clone) {
        mapping.map(value, b.clone(*value.getDefiningOp())->getResult(0));
        continue;
      }
      Value address = b.create<LLVM::GEPOp>(loc, ptr, i64, contextArg,
                                            ArrayRef<LLVM::GEPArg>{words++});
      Value word = b.create<LLVM::LoadOp>(loc, i64, address);
      mapping.map(value, how == Passing::Buffer
                             ? bufferFromWord(b, loc, word,
                                              cast<MemRefType>(value.getType()))
                             : fromWord(b, loc, word, value.getType()));
    }
    // Iterations [begin, end) of the outer dimension:
    // lb + begin * step up to min(lb + end * step, ub).
    Value lb = mapping.lookup(loop.getLowerBound()[0]);
    Value ub = mapping.lookup(loop.getUpperBound()[0]);
    Value step = mapping.lookup(loop.getStep()[0]);
    auto iteration = [&](Value index) {
      Value i = b.create<arith::IndexCastOp>(loc, b.getIndexType(), index);
      return b.create<arith::AddIOp>(loc, lb,
                                     b.create<arith::MulIOp>(loc, i, step));
    };
    Value begin = iteration(entry->getArgument(1));
    Value end =
        b.create<arith::MinSIOp>(loc, iteration(entry->getArgument(2)), ub);
    auto inner = cast<scf::ParallelOp>(b.clone(*loop, mapping));
    inner->setOperand(0, begin);
    inner->setOperand(inner.getNumLoops(), end);
    b.create<func::ReturnOp>(loc);

    // The caller: fill the context, then call the runtime.
    Block &callerEntry = caller.getBody().front();
    b.setInsertionPointToStart(&callerEntry);
    Value contextPtr;
    if (words == 0) {
      contextPtr = b.create<LLVM::ZeroOp>(loc, ptr);
    } else {
      Value count = b.create<LLVM::ConstantOp>(loc, i64, words);
      contextPtr = b.create<LLVM::AllocaOp>(loc, ptr, i64, count);
    }
    b.setInsertionPoint(loop);
    int32_t slot = 0;
    for (auto [value, how] : captures) {
      if (how == Passing::Clone)
        continue;
      Value word = how == Passing::Buffer ? bufferToWord(b, loc, value)
                                          : toWord(b, loc, value);
      Value address = b.create<LLVM::GEPOp>(loc, ptr, i64, contextPtr,
                                            ArrayRef<LLVM::GEPArg>{slot++});
      b.create<LLVM::StoreOp>(loc, word, address);
    }
    Value body = b.create<func::ConstantOp>(
        loc, callee.getFunctionType(),
        FlatSymbolRefAttr::get(context, callee.getSymName()));
    Value count = b.create<arith::ConstantIntOp>(loc, *trips, 64);
    Value perIteration = b.create<arith::ConstantIntOp>(
        loc, std::max<int64_t>(work / *trips, 1), 64);
    b.create<func::CallOp>(loc, runtimeDeclaration(symbols),
                           ValueRange{body, contextPtr, count, perIteration});
    loop->erase();
    ++numLoops;
  }
};

} // namespace
