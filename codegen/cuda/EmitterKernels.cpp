//===- EmitterKernels.cpp - The kernels of one op -------------------------===//
#include "kiln/codegen/cuda/EmitterKernels.h"

#include "kiln/ir/KilnOps.h"
#include "kiln/runtime/Error.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen::cuda {

namespace {

constexpr int64_t kMaxGrid = 4096;

std::string num(int64_t v) { return std::to_string(v) + "LL"; }
Type elementOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}
llvm::ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}
int64_t product(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}
unsigned gridFor(int64_t work, int64_t perBlock) {
  return static_cast<unsigned>(
      std::clamp<int64_t>((work + perBlock - 1) / perBlock, 1, kMaxGrid));
}
/// Threads for a row of `n` elements: a multiple of 32, at most 256.
unsigned rowBlock(int64_t n) {
  return static_cast<unsigned>(
      std::clamp<int64_t>((n + 31) / 32 * 32, 32, 256));
}

/// The source line of `loc` as `file:line`, if it has one.
std::string userLine(Location loc) {
  if (auto file = loc->findInstanceOf<FileLineColLoc>())
    return file.getFilename().str() + ":" + std::to_string(file.getLine());
  return {};
}

/// One op's kernels under construction.
class OpKernels {
public:
  OpKernels(Operation &op, BufferResolver &buffers, CudaProgramSpec &spec,
            std::string &source, llvm::function_ref<int(int64_t)> scratch)
      : op_(op), buffers_(buffers), spec_(spec), source_(source),
        scratch_(scratch), location_(userLine(op.getLoc())) {}

  void emit();

private:
  KernelWriter writer(const std::string &suffix) {
    KernelWriter w("kiln_k" + std::to_string(spec_.launches.size()) + "_" +
                       suffix,
                   buffers_);
    w.computes(&op_);
    return w;
  }
  void finish(KernelWriter &w, std::array<unsigned, 3> grid,
              std::array<unsigned, 3> block, const std::string &what);

  void pointwise(Value computed, Value result);
  void reduction(Operation *reduce, Value result);
  void argReduce(Operation *reduce, Value result);
  void matmul(MatmulOp op);
  void transpose(TransposeOp op);
  void rowSoftmax(Value operand, int64_t dim, bool log);
  void layerNorm(LayerNormOp op);
  void conv2d(Conv2dOp op);
  void conv2dGradInput(Conv2dGradInputOp op);
  void conv2dGradFilter(Conv2dGradFilterOp op);
  void maxPool(MaxPool2dOp op);
  void maxPoolGrad(MaxPool2dGradOp op);
  void avgPool(AvgPool2dOp op);
  void avgPoolGrad(AvgPool2dGradOp op);
  void scatterAdd(ScatterAddOp op);

  /// Opens a grid-stride loop over `count` elements with index `name`.
  void forEach(KernelWriter &w, const std::string &name, int64_t count) {
    w.open("for (long long " + name +
           " = (long long)blockIdx.x * blockDim.x + threadIdx.x; " + name +
           " < " + num(count) + "; " + name +
           " += (long long)gridDim.x * blockDim.x)");
  }

  Operation &op_;
  BufferResolver &buffers_;
  CudaProgramSpec &spec_;
  std::string &source_;
  llvm::function_ref<int(int64_t)> scratch_;
  std::string location_;
};

void OpKernels::finish(KernelWriter &w, std::array<unsigned, 3> grid,
                       std::array<unsigned, 3> block, const std::string &what) {
  KernelLaunch launch;
  launch.name = w.name();
  launch.op = op_.getName().getStringRef().str();
  launch.location = location_;
  launch.usesBarriers = w.usesBarriers;
  launch.grid = grid;
  launch.block = block;
  launch.buffers = w.buffers();
  std::string comment = "// " + w.name() + ": " + what;
  if (!location_.empty())
    comment += " at " + location_;
  source_ += comment + "\n" + w.source(block[0] * block[1] * block[2]) + "\n";
  spec_.launches.push_back(std::move(launch));
}

void OpKernels::emit() {
  if (op_.getNumResults() != 1)
    throw Error("the CUDA backend has no kernel for " +
                op_.getName().getStringRef().str() + " (" +
                std::to_string(op_.getNumResults()) + " results)" +
                (location_.empty() ? "" : " at " + location_));
  Value result = op_.getResult(0);
  if (product(shapeOf(result)) == 0)
    return; // nothing to compute
  Operation *root = &op_;
  Value computed = result;
  if (auto fusion = dyn_cast<FusionOp>(op_)) {
    computed = fusion.getBody().front().getTerminator()->getOperand(0);
    root = computed.getDefiningOp();
    if (!root)
      return pointwise(computed, result);
  }
  if (isa<ReduceSumOp, ReduceMaxOp, ReduceMinOp>(root))
    return reduction(root, result);
  if (isa<ArgmaxOp, ArgminOp>(root))
    return argReduce(root, result);
  if (auto matmul = dyn_cast<MatmulOp>(root))
    return this->matmul(matmul);
  if (auto transpose = dyn_cast<TransposeOp>(root))
    return this->transpose(transpose);
  if (auto softmax = dyn_cast<SoftmaxOp>(root))
    return rowSoftmax(softmax.getOperand(), softmax.getDim(), false);
  if (auto logSoftmax = dyn_cast<LogSoftmaxOp>(root))
    return rowSoftmax(logSoftmax.getOperand(), logSoftmax.getDim(), true);
  if (auto norm = dyn_cast<LayerNormOp>(root))
    return layerNorm(norm);
  if (auto conv = dyn_cast<Conv2dOp>(root))
    return conv2d(conv);
  if (auto conv = dyn_cast<Conv2dGradInputOp>(root))
    return conv2dGradInput(conv);
  if (auto conv = dyn_cast<Conv2dGradFilterOp>(root))
    return conv2dGradFilter(conv);
  if (auto pool = dyn_cast<MaxPool2dOp>(root))
    return maxPool(pool);
  if (auto pool = dyn_cast<MaxPool2dGradOp>(root))
    return maxPoolGrad(pool);
  if (auto pool = dyn_cast<AvgPool2dOp>(root))
    return avgPool(pool);
  if (auto pool = dyn_cast<AvgPool2dGradOp>(root))
    return avgPoolGrad(pool);
  if (auto scatter = dyn_cast<ScatterAddOp>(root))
    return scatterAdd(scatter);
  if (isa<BatchNormTrainingOp, BatchNormInferenceOp, GradOp>(root))
    throw Error("the CUDA backend has no kernel for " +
                root->getName().getStringRef().str() +
                ": run the kiln-level stages first");
  pointwise(computed, result);
}

//===----------------------------------------------------------------------===//
// Pointwise: one thread per element (four with 16-byte accesses)
//===----------------------------------------------------------------------===//

void OpKernels::pointwise(Value computed, Value result) {
  KernelWriter w = writer(op_.getName().stripDialect().str());
  auto shape = shapeOf(result);
  int64_t n = product(shape);
  Type element = elementOf(result);
  std::string what = op_.getName().getStringRef().str();
  if (auto fusion = dyn_cast<FusionOp>(op_)) {
    llvm::SmallVector<std::string> names;
    for (Operation &inner : fusion.getBody().front().without_terminator())
      names.push_back(inner.getName().stripDialect().str());
    what += " (" + llvm::join(names, ", ") + ")";
  }
  bool vector = elementBytes(element) == 4 && n % 4 == 0;
  if (!vector) {
    forEach(w, "i", n);
    Index index = w.delinearize("i", shape);
    w.store(result, "i", w.valueAt(computed, index));
    w.close();
    finish(w, {gridFor(n, 256), 1, 1}, {256, 1, 1}, what);
    return;
  }
  // Each thread computes four consecutive elements: buffers read at the
  // same index as the result are loaded 16 bytes at a time, and the result
  // is stored so.
  std::string vectorType = element.isF32() ? "float4" : "int4";
  forEach(w, "q", n / 4);
  size_t loads = w.mark();
  int depth = w.depth();
  llvm::DenseMap<int, std::string> lanes;
  std::string out = w.fresh("r");
  w.line("__align__(16) " + storageType(element) + " " + out + "[4];");
  w.line("#pragma unroll");
  w.open("for (int j = 0; j < 4; ++j)");
  std::string i = w.let("long long", "i", "q * 4 + j");
  KernelWriter::Vector lanesOf;
  lanesOf.root = w.delinearize(i, shape);
  lanesOf.shape.assign(shape.begin(), shape.end());
  lanesOf.lane = "j";
  lanesOf.load = [&](int buffer, Type type) {
    auto it = lanes.find(buffer);
    if (it != lanes.end())
      return it->second;
    std::string name = w.fresh("a");
    std::string pointer = w.param(buffer, type, false);
    std::string vec = type.isF32() ? "float4" : "int4";
    w.insertLine(loads, depth,
                 "__align__(16) " + storageType(type) + " " + name + "[4];");
    w.insertLine(loads, depth,
                 "*reinterpret_cast<" + vec + "*>(" + name +
                     ") = reinterpret_cast<const " + vec + "*>(" + pointer +
                     ")[q];");
    lanes[buffer] = name;
    return name;
  };
  w.setVector(&lanesOf);
  std::string v = w.valueAt(computed, lanesOf.root);
  w.setVector(nullptr);
  w.line(out + "[j] = " + KernelWriter::toStorage(element, v) + ";");
  w.close();
  w.line("reinterpret_cast<" + vectorType + "*>(" +
         w.pointerTo(result, /*output=*/true) +
         ")[q] = *reinterpret_cast<const " + vectorType + "*>(" + out + ");");
  w.close();
  finish(w, {gridFor(n / 4, 256), 1, 1}, {256, 1, 1},
         what + ", 16-byte accesses");
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

struct Combiner {
  std::string functor, identity;
  std::string apply(const std::string &a, const std::string &b) const {
    if (functor == "KilnSum")
      return a + " + " + b;
    return (functor == "KilnMax" ? "kiln_maximum(" : "kiln_minimum(") + a +
           ", " + b + ")";
  }
};

Combiner combinerOf(Operation *reduce, Type element) {
  Type acc = element;
  if (isa<ReduceSumOp>(reduce))
    return {"KilnSum", literal(acc, 0)};
  bool isMax = isa<ReduceMaxOp>(reduce);
  double extreme;
  if (isa<FloatType>(element)) {
    extreme = isMax ? -INFINITY : INFINITY;
  } else {
    unsigned width = element.getIntOrFloatBitWidth();
    extreme = isMax ? static_cast<double>(
                          APInt::getSignedMinValue(width).getSExtValue())
                    : static_cast<double>(
                          APInt::getSignedMaxValue(width).getSExtValue());
  }
  return {isMax ? "KilnMax" : "KilnMin", literal(acc, extreme)};
}

void OpKernels::reduction(Operation *reduce, Value result) {
  Value operand = reduce->getOperand(0);
  auto shape = shapeOf(operand);
  Type element = elementOf(operand);
  std::string acc = computeType(element);
  Combiner combine = combinerOf(reduce, element);
  llvm::SmallVector<int64_t> dims(
      cast<DenseI64ArrayAttr>(reduce->getAttr("dims")).asArrayRef());
  llvm::sort(dims);
  int64_t rank = static_cast<int64_t>(shape.size());
  int64_t reduced = 1;
  for (int64_t d : dims)
    reduced *= shape[d];
  // The result elements (also when a reduced dimension is empty).
  int64_t rows = product(shapeOf(result));
  bool suffix = true;
  for (size_t k = 0; k < dims.size(); ++k)
    suffix = suffix && dims[k] == rank - static_cast<int64_t>(dims.size()) +
                                      static_cast<int64_t>(k);
  std::string what = reduce->getName().getStringRef().str();
  auto accumulate = [&](KernelWriter &w, const std::string &var,
                        const Index &index) {
    w.line(var + " = " + combine.apply(var, w.valueAt(operand, index)) + ";");
  };

  if (rows == 1 && reduced > 16384) {
    // Two passes: partial results per block, then one block over them.
    unsigned blocks =
        static_cast<unsigned>(std::min<int64_t>((reduced + 2047) / 2048, 512));
    Type accType =
        acc == "float" ? Float32Type::get(op_.getContext()) : element;
    int partials = scratch_(blocks * elementBytes(accType));
    {
      KernelWriter w = writer("partial");
      w.usesBarriers = true;
      std::string partial = w.shared(acc, "kiln_partial", "33");
      std::string sum = w.fresh("acc");
      w.line(acc + " " + sum + " = " + combine.identity + ";");
      forEach(w, "i", reduced);
      accumulate(w, sum, w.delinearize("i", shape));
      w.close();
      w.line(sum + " = kiln_block_reduce(" + sum + ", " + combine.functor +
             "(), " + combine.identity + ", " + partial + ");");
      w.open("if (threadIdx.x == 0)");
      w.line(w.param(partials, accType, true) + "[blockIdx.x] = " + sum + ";");
      w.close();
      finish(w, {blocks, 1, 1}, {256, 1, 1},
             what + ", pass 1 of 2 (a partial result per block)");
    }
    KernelWriter w = writer("final");
    w.usesBarriers = true;
    std::string partial = w.shared(acc, "kiln_partial", "33");
    std::string sum = w.fresh("acc");
    w.line(acc + " " + sum + " = " + combine.identity + ";");
    std::string from = w.param(partials, accType, false);
    w.open("for (long long t = threadIdx.x; t < " + num(blocks) +
           "; t += blockDim.x)");
    w.line(sum + " = " + combine.apply(sum, from + "[t]") + ";");
    w.close();
    w.line(sum + " = kiln_block_reduce(" + sum + ", " + combine.functor +
           "(), " + combine.identity + ", " + partial + ");");
    w.open("if (threadIdx.x == 0)");
    w.store(result, "0", sum);
    w.close();
    finish(w, {1, 1, 1}, {rowBlock(blocks), 1, 1},
           what + ", pass 2 of 2 (one block over the partial results)");
    return;
  }

  if (suffix && reduced >= 32) {
    // One block per row: the reduced dimensions are contiguous.
    KernelWriter w = writer("rows");
    w.usesBarriers = true;
    std::string partial = w.shared(acc, "kiln_partial", "33");
    w.open("for (long long row = blockIdx.x; row < " + num(rows) +
           "; row += gridDim.x)");
    std::string sum = w.fresh("acc");
    w.line(acc + " " + sum + " = " + combine.identity + ";");
    w.open("for (long long r = threadIdx.x; r < " + num(reduced) +
           "; r += blockDim.x)");
    accumulate(w, sum, w.delinearize("row * " + num(reduced) + " + r", shape));
    w.close();
    w.line(sum + " = kiln_block_reduce(" + sum + ", " + combine.functor +
           "(), " + combine.identity + ", " + partial + ");");
    w.open("if (threadIdx.x == 0)");
    w.store(result, "row", sum);
    w.close();
    w.close();
    finish(w, {static_cast<unsigned>(std::min(rows, kMaxGrid)), 1, 1},
           {rowBlock(reduced), 1, 1}, what + ", one block per row");
    return;
  }

  // One thread per result element, looping over the reduced elements.
  llvm::SmallVector<int64_t> keptShape, reducedShape;
  for (int64_t d = 0; d < rank; ++d)
    (llvm::is_contained(dims, d) ? reducedShape : keptShape)
        .push_back(shape[d]);
  KernelWriter w = writer("columns");
  forEach(w, "o", rows);
  Index kept = w.delinearize("o", keptShape);
  std::string sum = w.fresh("acc");
  w.line(acc + " " + sum + " = " + combine.identity + ";");
  w.open("for (long long r = 0; r < " + num(reduced) + "; ++r)");
  Index inner = w.delinearize("r", reducedShape);
  Index index;
  size_t k = 0, j = 0;
  for (int64_t d = 0; d < rank; ++d)
    index.push_back(llvm::is_contained(dims, d) ? inner[j++] : kept[k++]);
  accumulate(w, sum, index);
  w.close();
  w.store(result, "o", sum);
  w.close();
  finish(w, {gridFor(rows, 256), 1, 1}, {256, 1, 1},
         what + ", one thread per result element");
}

/// `x` beats `best` for argmax (or argmin): strictly, or as a NaN over a
/// number, as the CPU backend and PyTorch do.
std::string beats(const std::string &x, const std::string &best, bool isMax,
                  bool isFloat) {
  std::string strictly = x + (isMax ? " > " : " < ") + best;
  if (!isFloat)
    return strictly;
  return "(" + strictly + " || (" + x + " != " + x + " && " + best +
         " == " + best + "))";
}

void OpKernels::argReduce(Operation *reduce, Value result) {
  Value operand = reduce->getOperand(0);
  auto shape = shapeOf(operand);
  Type element = elementOf(operand);
  int64_t dim = cast<IntegerAttr>(reduce->getAttr("dim")).getInt();
  bool isMax = isa<ArgmaxOp>(reduce);
  llvm::SmallVector<int64_t> keptShape;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
    if (d != dim)
      keptShape.push_back(shape[d]);
  int64_t count = product(keptShape);
  KernelWriter w = writer(isMax ? "argmax" : "argmin");
  forEach(w, "o", count);
  Index kept = w.delinearize("o", keptShape);
  auto at = [&](const std::string &r) {
    Index index = kept;
    index.insert(index.begin() + dim, r);
    return index;
  };
  std::string best = w.fresh("best"), bestIndex = w.fresh("index");
  w.line(computeType(element) + " " + best + " = " +
         w.valueAt(operand, at("0")) + ";");
  w.line("long long " + bestIndex + " = 0;");
  w.open("for (long long r = 1; r < " + num(shape[dim]) + "; ++r)");
  std::string x = w.valueAt(operand, at("r"));
  w.open("if (" + beats(x, best, isMax, isa<FloatType>(element)) + ")");
  w.line(best + " = " + x + ";");
  w.line(bestIndex + " = r;");
  w.close();
  w.close();
  w.store(result, "o", bestIndex);
  w.close();
  finish(w, {gridFor(count, 256), 1, 1}, {256, 1, 1},
         reduce->getName().getStringRef().str() +
             ", one thread per result element (the first extreme wins)");
}

//===----------------------------------------------------------------------===//
// Contractions and data movement
//===----------------------------------------------------------------------===//

void OpKernels::matmul(MatmulOp op) {
  auto lhs = shapeOf(op.getLhs());
  auto out = shapeOf(op.getResult());
  int64_t rank = static_cast<int64_t>(out.size());
  int64_t m = out[rank - 2], n = out[rank - 1], k = lhs.back();
  llvm::ArrayRef<int64_t> batchShape = out.drop_back(2);
  int64_t batches = product(batchShape);
  std::string acc = computeType(elementOf(op.getResult()));
  KernelWriter w = writer("matmul");
  w.usesBarriers = true;
  w.shared(acc, "kiln_a", "16][17");
  w.shared(acc, "kiln_b", "16][17");
  w.open("for (long long b = blockIdx.z; b < " + num(batches) +
         "; b += gridDim.z)");
  Index batch = w.delinearize("b", batchShape);
  auto batchOf = [&](llvm::ArrayRef<int64_t> operand) {
    Index index;
    size_t offset = batch.size() - (operand.size() - 2);
    for (size_t d = 0; d + 2 < operand.size(); ++d)
      index.push_back(operand[d] == 1 ? "0" : batch[d + offset]);
    return index;
  };
  std::string row =
      w.let("long long", "row", "(long long)blockIdx.y * 16 + threadIdx.y");
  std::string col =
      w.let("long long", "col", "(long long)blockIdx.x * 16 + threadIdx.x");
  std::string sum = w.fresh("acc");
  w.line(acc + " " + sum + " = 0;");
  w.open("for (long long k0 = 0; k0 < " + num(k) + "; k0 += 16)");
  auto tile = [&](const std::string &tileName, Value operand,
                  const std::string &r, const std::string &c,
                  const std::string &inside, const std::string &slot) {
    std::string v = w.fresh("t");
    w.line(acc + " " + v + " = 0;");
    w.open("if (" + inside + ")");
    Index index = batchOf(shapeOf(operand));
    index.push_back(r);
    index.push_back(c);
    w.line(v + " = " + w.valueAt(operand, index) + ";");
    w.close();
    w.line(tileName + slot + " = " + v + ";");
  };
  tile("kiln_a", op.getLhs(), row, "k0 + threadIdx.x",
       row + " < " + num(m) + " && k0 + threadIdx.x < " + num(k),
       "[threadIdx.y][threadIdx.x]");
  tile("kiln_b", op.getRhs(), "k0 + threadIdx.y", col,
       "k0 + threadIdx.y < " + num(k) + " && " + col + " < " + num(n),
       "[threadIdx.y][threadIdx.x]");
  w.line("__syncthreads();");
  w.line("#pragma unroll");
  w.line("for (int kk = 0; kk < 16; ++kk)");
  w.line("  " + sum + " += kiln_a[threadIdx.y][kk] * kiln_b[kk][threadIdx.x];");
  w.line("__syncthreads();");
  w.close();
  w.open("if (" + row + " < " + num(m) + " && " + col + " < " + num(n) + ")");
  Index index = batch;
  index.push_back(row);
  index.push_back(col);
  w.store(op.getResult(), linearize(index, out), sum);
  w.close();
  w.close();
  finish(w,
         {static_cast<unsigned>((n + 15) / 16),
          static_cast<unsigned>((m + 15) / 16),
          static_cast<unsigned>(std::min<int64_t>(batches, 65535))},
         {16, 16, 1}, "kiln.matmul, 16x16 tiles in shared memory");
}

void OpKernels::transpose(TransposeOp op) {
  auto perm = op.getPermutation();
  int64_t rank = static_cast<int64_t>(perm.size());
  bool swapsLastTwo =
      rank >= 2 && perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2;
  for (int64_t d = 0; d + 2 < rank; ++d)
    swapsLastTwo = swapsLastTwo && perm[d] == d;
  if (!swapsLastTwo)
    return pointwise(op.getResult(), op.getResult());
  auto in = shapeOf(op.getOperand());
  int64_t rows = in[rank - 2], cols = in[rank - 1];
  int64_t batches = product(in.drop_back(2));
  Type element = elementOf(op.getOperand());
  std::string type = storageType(element);
  KernelWriter w = writer("transpose");
  w.usesBarriers = true;
  std::string tile = w.shared(type, "kiln_tile", "32][33");
  std::string from = w.pointerTo(op.getOperand());
  std::string to = w.pointerTo(op.getResult(), /*output=*/true);
  w.open("for (long long b = blockIdx.z; b < " + num(batches) +
         "; b += gridDim.z)");
  w.open("for (int j = 0; j < 32; j += 8)");
  w.line("const long long y = (long long)blockIdx.y * 32 + threadIdx.y + j;");
  w.line("const long long x = (long long)blockIdx.x * 32 + threadIdx.x;");
  w.open("if (y < " + num(rows) + " && x < " + num(cols) + ")");
  w.line(tile + "[threadIdx.y + j][threadIdx.x] = " + from + "[(b * " +
         num(rows) + " + y) * " + num(cols) + " + x];");
  w.close();
  w.close();
  w.line("__syncthreads();");
  w.open("for (int j = 0; j < 32; j += 8)");
  w.line("const long long y = (long long)blockIdx.x * 32 + threadIdx.y + j;");
  w.line("const long long x = (long long)blockIdx.y * 32 + threadIdx.x;");
  w.open("if (y < " + num(cols) + " && x < " + num(rows) + ")");
  w.line(to + "[(b * " + num(cols) + " + y) * " + num(rows) +
         " + x] = " + tile + "[threadIdx.x][threadIdx.y + j];");
  w.close();
  w.close();
  w.line("__syncthreads();");
  w.close();
  finish(w,
         {static_cast<unsigned>((cols + 31) / 32),
          static_cast<unsigned>((rows + 31) / 32),
          static_cast<unsigned>(std::min<int64_t>(batches, 65535))},
         {32, 8, 1}, "kiln.transpose, 32x33 tiles in shared memory");
}

//===----------------------------------------------------------------------===//
// Row kernels: softmax, log_softmax, layer_norm in one pass over memory
//===----------------------------------------------------------------------===//

void OpKernels::rowSoftmax(Value operand, int64_t dim, bool log) {
  auto shape = shapeOf(operand);
  Type element = elementOf(operand);
  std::string t = computeType(element);
  int64_t size = shape[dim], inner = product(shape.drop_front(dim + 1));
  int64_t rows = product(shape) / size;
  KernelWriter w = writer(log ? "log_softmax" : "softmax");
  w.usesBarriers = true;
  std::string partial = w.shared(t, "kiln_partial", "33");
  std::string in = w.pointerTo(operand);
  Value result = op_.getResult(0);
  auto at = [&](const std::string &j) {
    std::string offset = inner == 1 ? j : j + " * " + num(inner);
    return KernelWriter::fromStorage(element, in + "[base + " + offset + "]");
  };
  std::string lowest = literal(element, -INFINITY), zero = literal(element, 0);
  w.open("for (long long row = blockIdx.x; row < " + num(rows) +
         "; row += gridDim.x)");
  if (inner == 1)
    w.line("const long long base = row * " + num(size) + ";");
  else
    w.line("const long long base = (row / " + num(inner) + ") * " +
           num(size * inner) + " + row % " + num(inner) + ";");
  w.line(t + " m = " + lowest + ";");
  w.open("for (long long j = threadIdx.x; j < " + num(size) +
         "; j += blockDim.x)");
  w.line("m = kiln_maximum(m, " + at("j") + ");");
  w.close();
  w.line("m = kiln_block_reduce(m, KilnMax(), " + lowest + ", " + partial +
         ");");
  w.line(t + " s = " + zero + ";");
  w.open("for (long long j = threadIdx.x; j < " + num(size) +
         "; j += blockDim.x)");
  w.line("s += " + (t == "double" ? std::string("exp") : "expf") + "(" +
         at("j") + " - m);");
  w.close();
  w.line("s = kiln_block_reduce(s, KilnSum(), " + zero + ", " + partial + ");");
  if (log)
    w.line("const " + t + " logSum = " + (t == "double" ? "log" : "logf") +
           "(s);");
  w.open("for (long long j = threadIdx.x; j < " + num(size) +
         "; j += blockDim.x)");
  std::string value =
      log ? "(" + at("j") + " - m) - logSum"
          : (t == "double" ? "exp(" : "expf(") + at("j") + " - m) / s";
  w.store(result, inner == 1 ? "base + j" : "base + j * " + num(inner), value);
  w.close();
  w.close();
  finish(w, {static_cast<unsigned>(std::min(rows, kMaxGrid)), 1, 1},
         {rowBlock(size), 1, 1},
         std::string(log ? "kiln.log_softmax" : "kiln.softmax") +
             ", one block per row (max, sum, write)");
}

void OpKernels::layerNorm(LayerNormOp op) {
  auto shape = shapeOf(op.getOperand());
  Type element = elementOf(op.getOperand());
  std::string t = computeType(element);
  int64_t axis = op.getAxis();
  int64_t size = product(shape.drop_front(axis));
  int64_t rows = product(shape) / size;
  KernelWriter w = writer("layer_norm");
  w.usesBarriers = true;
  std::string partial = w.shared(t, "kiln_partial", "33");
  std::string in = w.pointerTo(op.getOperand());
  std::string weight = w.pointerTo(op.getWeight());
  std::string bias = w.pointerTo(op.getBias());
  auto x = [&](const std::string &j) {
    return KernelWriter::fromStorage(element, in + "[base + " + j + "]");
  };
  std::string zero = literal(element, 0);
  std::string scale = literal(element, 1.0 / static_cast<double>(size));
  w.open("for (long long row = blockIdx.x; row < " + num(rows) +
         "; row += gridDim.x)");
  w.line("const long long base = row * " + num(size) + ";");
  w.line(t + " s = " + zero + ";");
  w.open("for (long long j = threadIdx.x; j < " + num(size) +
         "; j += blockDim.x)");
  w.line("s += " + x("j") + ";");
  w.close();
  w.line("const " + t + " mean = kiln_block_reduce(s, KilnSum(), " + zero +
         ", " + partial + ") * " + scale + ";");
  w.line(t + " q = " + zero + ";");
  w.open("for (long long j = threadIdx.x; j < " + num(size) +
         "; j += blockDim.x)");
  w.line("const " + t + " c = " + x("j") + " - mean;");
  w.line("q += c * c;");
  w.close();
  w.line("const " + t + " variance = kiln_block_reduce(q, KilnSum(), " + zero +
         ", " + partial + ") * " + scale + ";");
  w.line("const " + t + " rstd = " + (t == "double" ? "rsqrt" : "rsqrtf") +
         "(variance + " + literal(element, op.getEps().convertToDouble()) +
         ");");
  w.open("for (long long j = threadIdx.x; j < " + num(size) +
         "; j += blockDim.x)");
  w.store(
      op.getResult(), "base + j",
      "(" + x("j") + " - mean) * rstd * " +
          KernelWriter::fromStorage(elementOf(op.getWeight()), weight + "[j]") +
          " + " +
          KernelWriter::fromStorage(elementOf(op.getBias()), bias + "[j]"));
  w.close();
  w.close();
  finish(w, {static_cast<unsigned>(std::min(rows, kMaxGrid)), 1, 1},
         {rowBlock(size), 1, 1},
         "kiln.layer_norm, one block per row (mean, variance, write)");
}

//===----------------------------------------------------------------------===//
// Convolution and pooling: direct, one thread per result element
//===----------------------------------------------------------------------===//

/// Opens `for (name = 0; name < count; ++name)`.
void loop(KernelWriter &w, const std::string &name, int64_t count) {
  w.open("for (long long " + name + " = 0; " + name + " < " + num(count) +
         "; ++" + name + ")");
}

/// Opens the loop of the window taps `tap` over `taps` (or of the windows)
/// and declares the input position `at` = `window` * stride - padding +
/// `offset` along one spatial dimension, skipping one outside [0, extent).
void windowTap(KernelWriter &w, const std::string &tap, int64_t taps,
               const std::string &at, const std::string &window, int64_t stride,
               int64_t padding, const std::string &offset, int64_t extent) {
  loop(w, tap, taps);
  w.line("const long long " + at + " = " + window + " * " + num(stride) +
         " - " + num(padding) + " + " + offset + ";");
  w.line("if (" + at + " < 0 || " + at + " >= " + num(extent) + ") continue;");
}

void OpKernels::conv2d(Conv2dOp op) {
  auto in = shapeOf(op.getInput()), filter = shapeOf(op.getFilter());
  auto out = shapeOf(op.getResult());
  auto s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  int64_t groups = op.getGroups(), perGroup = filter[1];
  int64_t filtersPerGroup = out[1] / groups;
  std::string t = computeType(elementOf(op.getResult()));
  KernelWriter w = writer("conv2d");
  forEach(w, "o", product(out));
  Index o = w.delinearize("o", out);
  w.line("const long long g = " + o[1] + " / " + num(filtersPerGroup) + ";");
  w.line(t + " acc = 0;");
  loop(w, "c", perGroup);
  windowTap(w, "kh", filter[2], "ih", o[2], s[0], p[0], "kh * " + num(d[0]),
            in[2]);
  windowTap(w, "kw", filter[3], "iw", o[3], s[1], p[1], "kw * " + num(d[1]),
            in[3]);
  std::string x = w.valueAt(
      op.getInput(), {o[0], "g * " + num(perGroup) + " + c", "ih", "iw"});
  std::string k = w.valueAt(op.getFilter(), {o[1], "c", "kh", "kw"});
  w.line("acc += " + x + " * " + k + ";");
  w.close();
  w.close();
  w.close();
  w.store(op.getResult(), "o", "acc");
  w.close();
  finish(w, {gridFor(product(out), 256), 1, 1}, {256, 1, 1},
         "kiln.conv2d, direct, one thread per result element");
}

void OpKernels::conv2dGradInput(Conv2dGradInputOp op) {
  auto dy = shapeOf(op.getGradOutput()), filter = shapeOf(op.getFilter());
  auto out = shapeOf(op.getResult());
  auto s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  int64_t groups = op.getGroups(), perGroup = filter[1];
  int64_t filtersPerGroup = dy[1] / groups;
  std::string t = computeType(elementOf(op.getResult()));
  KernelWriter w = writer("conv2d_grad_input");
  forEach(w, "o", product(out));
  Index o = w.delinearize("o", out);
  w.line("const long long g = " + o[1] + " / " + num(perGroup) + ";");
  w.line("const long long cl = " + o[1] + " % " + num(perGroup) + ";");
  w.line(t + " acc = 0;");
  w.open("for (long long f = g * " + num(filtersPerGroup) + "; f < (g + 1) * " +
         num(filtersPerGroup) + "; ++f)");
  loop(w, "kh", filter[2]);
  w.line("const long long th = " + o[2] + " + " + num(p[0]) + " - kh * " +
         num(d[0]) + ";");
  w.line("if (th < 0 || th % " + num(s[0]) + " != 0 || th / " + num(s[0]) +
         " >= " + num(dy[2]) + ") continue;");
  loop(w, "kw", filter[3]);
  w.line("const long long tw = " + o[3] + " + " + num(p[1]) + " - kw * " +
         num(d[1]) + ";");
  w.line("if (tw < 0 || tw % " + num(s[1]) + " != 0 || tw / " + num(s[1]) +
         " >= " + num(dy[3]) + ") continue;");
  std::string g = w.valueAt(op.getGradOutput(), {o[0], "f", "th / " + num(s[0]),
                                                 "tw / " + num(s[1])});
  std::string k = w.valueAt(op.getFilter(), {"f", "cl", "kh", "kw"});
  w.line("acc += " + g + " * " + k + ";");
  w.close();
  w.close();
  w.close();
  w.store(op.getResult(), "o", "acc");
  w.close();
  finish(w, {gridFor(product(out), 256), 1, 1}, {256, 1, 1},
         "kiln.conv2d_grad_input, direct, one thread per input element");
}

void OpKernels::conv2dGradFilter(Conv2dGradFilterOp op) {
  auto in = shapeOf(op.getInput()), dy = shapeOf(op.getGradOutput());
  auto out = shapeOf(op.getResult());
  auto s = op.getStride(), p = op.getPadding(), d = op.getDilation();
  int64_t groups = op.getGroups(), perGroup = out[1];
  int64_t filtersPerGroup = out[0] / groups;
  std::string t = computeType(elementOf(op.getResult()));
  KernelWriter w = writer("conv2d_grad_filter");
  forEach(w, "o", product(out));
  Index o = w.delinearize("o", out);
  w.line("const long long c = (" + o[0] + " / " + num(filtersPerGroup) +
         ") * " + num(perGroup) + " + " + o[1] + ";");
  w.line(t + " acc = 0;");
  loop(w, "n", in[0]);
  windowTap(w, "oh", dy[2], "ih", "oh", s[0], p[0], o[2] + " * " + num(d[0]),
            in[2]);
  windowTap(w, "ow", dy[3], "iw", "ow", s[1], p[1], o[3] + " * " + num(d[1]),
            in[3]);
  std::string x = w.valueAt(op.getInput(), {"n", "c", "ih", "iw"});
  std::string g = w.valueAt(op.getGradOutput(), {"n", o[0], "oh", "ow"});
  w.line("acc += " + x + " * " + g + ";");
  w.close();
  w.close();
  w.close();
  w.store(op.getResult(), "o", "acc");
  w.close();
  finish(w, {gridFor(product(out), 256), 1, 1}, {256, 1, 1},
         "kiln.conv2d_grad_filter, direct, one thread per filter element");
}

/// Declares the window rows (or columns) of the pooled results that cover
/// input position `h`: `lo` to `hi` inclusive.
void coveringWindows(KernelWriter &w, const std::string &lo,
                     const std::string &hi, const std::string &h,
                     int64_t kernel, int64_t stride, int64_t padding,
                     int64_t pooled) {
  w.line("const long long " + lo + "s = " + h + " + " +
         num(padding - kernel + 1) + ";");
  w.line("const long long " + lo + " = " + lo + "s <= 0 ? 0 : (" + lo + "s + " +
         num(stride - 1) + ") / " + num(stride) + ";");
  w.line("const long long " + hi + "t = (" + h + " + " + num(padding) + ") / " +
         num(stride) + ";");
  w.line("const long long " + hi + " = " + hi + "t < " + num(pooled - 1) +
         " ? " + hi + "t : " + num(pooled - 1) + ";");
}

void OpKernels::maxPool(MaxPool2dOp op) {
  auto in = shapeOf(op.getInput()), out = shapeOf(op.getResult());
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
  Type element = elementOf(op.getResult());
  std::string t = computeType(element);
  KernelWriter w = writer("max_pool2d");
  forEach(w, "o", product(out));
  Index o = w.delinearize("o", out);
  w.line(t + " best = " + literal(element, -INFINITY) + ";");
  windowTap(w, "kh", k[0], "ih", o[2], s[0], p[0], "kh", in[2]);
  windowTap(w, "kw", k[1], "iw", o[3], s[1], p[1], "kw", in[3]);
  w.line("best = kiln_maximum(best, " +
         w.valueAt(op.getInput(), {o[0], o[1], "ih", "iw"}) + ");");
  w.close();
  w.close();
  w.store(op.getResult(), "o", "best");
  w.close();
  finish(w, {gridFor(product(out), 256), 1, 1}, {256, 1, 1},
         "kiln.max_pool2d, one thread per result element");
}

void OpKernels::maxPoolGrad(MaxPool2dGradOp op) {
  auto in = shapeOf(op.getInput()), dy = shapeOf(op.getGradOutput());
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
  Type element = elementOf(op.getInput());
  std::string t = computeType(element);
  KernelWriter w = writer("max_pool2d_grad");
  forEach(w, "o", product(in));
  Index o = w.delinearize("o", in);
  w.line(t + " acc = 0;");
  coveringWindows(w, "ohLo", "ohHi", o[2], k[0], s[0], p[0], dy[2]);
  coveringWindows(w, "owLo", "owHi", o[3], k[1], s[1], p[1], dy[3]);
  w.open("for (long long oh = ohLo; oh <= ohHi; ++oh)");
  w.open("for (long long ow = owLo; ow <= owHi; ++ow)");
  // The window's first maximum among its input elements.
  w.line(t + " best = 0;");
  w.line("long long at = -1;");
  windowTap(w, "kh", k[0], "ih", "oh", s[0], p[0], "kh", in[2]);
  windowTap(w, "kw", k[1], "iw", "ow", s[1], p[1], "kw", in[3]);
  std::string x = w.valueAt(op.getInput(), {o[0], o[1], "ih", "iw"});
  w.open("if (at < 0 || " + beats(x, "best", true, true) + ")");
  w.line("best = " + x + ";");
  w.line("at = ih * " + num(in[3]) + " + iw;");
  w.close();
  w.close();
  w.close();
  w.open("if (at == " + o[2] + " * " + num(in[3]) + " + " + o[3] + ")");
  w.line("acc += " + w.valueAt(op.getGradOutput(), {o[0], o[1], "oh", "ow"}) +
         ";");
  w.close();
  w.close();
  w.close();
  w.store(op.getResult(), "o", "acc");
  w.close();
  finish(w, {gridFor(product(in), 256), 1, 1}, {256, 1, 1},
         "kiln.max_pool2d_grad, one thread per input element (no atomics)");
}

/// Declares `divisor`: the number of elements averaged by window
/// (`oh`, `ow`).
void windowDivisor(KernelWriter &w, const std::string &t,
                   llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> k,
                   llvm::ArrayRef<int64_t> s, llvm::ArrayRef<int64_t> p,
                   bool countIncludePad, const std::string &oh,
                   const std::string &ow) {
  if (countIncludePad) {
    w.line("const " + t + " divisor = " + std::to_string(k[0] * k[1]) + ";");
    return;
  }
  std::string rows[2];
  const std::string *at[2] = {&oh, &ow};
  for (int i = 0; i < 2; ++i) {
    std::string start =
        "(" + *at[i] + " * " + num(s[i]) + " - " + num(p[i]) + ")";
    std::string end = "(" + start + " + " + num(k[i]) + " < " + num(in[2 + i]) +
                      " ? " + start + " + " + num(k[i]) + " : " +
                      num(in[2 + i]) + ")";
    rows[i] = "(" + end + " - (" + start + " > 0 ? " + start + " : 0LL))";
  }
  w.line("const " + t + " divisor = (" + t + ")(" + rows[0] + " * " + rows[1] +
         ");");
}

void OpKernels::avgPool(AvgPool2dOp op) {
  auto in = shapeOf(op.getInput()), out = shapeOf(op.getResult());
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
  std::string t = computeType(elementOf(op.getResult()));
  KernelWriter w = writer("avg_pool2d");
  forEach(w, "o", product(out));
  Index o = w.delinearize("o", out);
  w.line(t + " sum = 0;");
  windowTap(w, "kh", k[0], "ih", o[2], s[0], p[0], "kh", in[2]);
  windowTap(w, "kw", k[1], "iw", o[3], s[1], p[1], "kw", in[3]);
  w.line("sum += " + w.valueAt(op.getInput(), {o[0], o[1], "ih", "iw"}) + ";");
  w.close();
  w.close();
  windowDivisor(w, t, in, k, s, p, op.getCountIncludePad(), o[2], o[3]);
  w.store(op.getResult(), "o", "sum / divisor");
  w.close();
  finish(w, {gridFor(product(out), 256), 1, 1}, {256, 1, 1},
         "kiln.avg_pool2d, one thread per result element");
}

void OpKernels::avgPoolGrad(AvgPool2dGradOp op) {
  auto in = shapeOf(op.getResult()), dy = shapeOf(op.getGradOutput());
  auto k = op.getKernel(), s = op.getStride(), p = op.getPadding();
  std::string t = computeType(elementOf(op.getResult()));
  KernelWriter w = writer("avg_pool2d_grad");
  forEach(w, "o", product(in));
  Index o = w.delinearize("o", in);
  w.line(t + " acc = 0;");
  coveringWindows(w, "ohLo", "ohHi", o[2], k[0], s[0], p[0], dy[2]);
  coveringWindows(w, "owLo", "owHi", o[3], k[1], s[1], p[1], dy[3]);
  w.open("for (long long oh = ohLo; oh <= ohHi; ++oh)");
  w.open("for (long long ow = owLo; ow <= owHi; ++ow)");
  windowDivisor(w, t, in, k, s, p, op.getCountIncludePad(), "oh", "ow");
  w.line("acc += " + w.valueAt(op.getGradOutput(), {o[0], o[1], "oh", "ow"}) +
         " / divisor;");
  w.close();
  w.close();
  w.store(op.getResult(), "o", "acc");
  w.close();
  finish(w, {gridFor(product(in), 256), 1, 1}, {256, 1, 1},
         "kiln.avg_pool2d_grad, one thread per input element (no atomics)");
}

void OpKernels::scatterAdd(ScatterAddOp op) {
  Type element = elementOf(op.getResult());
  if (element.isF16() || element.isBF16())
    throw Error("the CUDA backend has no kernel for kiln.scatter_add of "
                "16-bit floats yet" +
                (location_.empty() ? std::string() : " at " + location_));
  // The operand first, then every update added at its index.
  pointwise(op.getOperand(), op.getResult());
  auto updates = shapeOf(op.getUpdates()), out = shapeOf(op.getResult());
  int64_t dim = op.getDim();
  size_t rank = shapeOf(op.getIndices()).size();
  KernelWriter w = writer("scatter_add");
  forEach(w, "u", product(updates));
  Index u = w.delinearize("u", updates);
  Index positions(u.begin() + dim, u.begin() + dim + rank);
  w.line("const long long at = (long long)" +
         w.valueAt(op.getIndices(), positions) + ";");
  // An index out of range adds nothing, and never writes outside memory.
  w.line("if (at < 0 || at >= " + num(out[dim]) + ") continue;");
  Index target(u.begin(), u.begin() + dim);
  target.push_back("at");
  target.append(u.begin() + dim + rank, u.end());
  std::string update = w.valueAt(op.getUpdates(), u);
  std::string address = "&" + w.pointerTo(op.getResult(), true) + "[" +
                        linearize(target, out) + "]";
  if (element.isInteger(64))
    w.line("atomicAdd((unsigned long long *)" + address +
           ", (unsigned long long)" + update + ");");
  else
    w.line("atomicAdd(" + address + ", " + update + ");");
  w.close();
  finish(w, {gridFor(product(updates), 256), 1, 1}, {256, 1, 1},
         "kiln.scatter_add, atomic adds of the updates");
}

} // namespace

void emitKernels(Operation &op, BufferResolver &buffers, CudaProgramSpec &spec,
                 std::string &source,
                 llvm::function_ref<int(int64_t)> scratch) {
  OpKernels(op, buffers, spec, source, scratch).emit();
}

} // namespace kiln::codegen::cuda
