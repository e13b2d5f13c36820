//===- Emitter.cpp - kiln functions as CUDA C++ kernels -------------------===//
//
// The program: buffers for every value, one or two launches per kernel-
// sized op in order, the arena placed by the shared memory planner. The
// kernels themselves are in EmitterKernels.cpp.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cuda/Emitter.h"
#include "kiln/codegen/cuda/EmitterKernels.h"

#include "kiln/ir/KilnOps.h"
#include "kiln/runtime/Error.h"
#include "kiln/runtime/MemoryPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace kiln::ir;

namespace kiln::codegen::cuda {

namespace {

/// Helpers every kernel may call, valid CUDA C++ and host C++ alike.
constexpr const char *kHelpers = R"cuda(// Kiln's kernel helpers.
// Written with `<`: clang 19, compiling the kernels for the host, folds
// `fabs(x) > 0` of the `>` form into `x > 0` (so relu(abs(-1)) gave 0).
template <class T> __device__ __forceinline__ T kiln_maximum(T a, T b) {
  return a != a ? a : (b != b ? b : (a < b ? b : a));
}
template <class T> __device__ __forceinline__ T kiln_minimum(T a, T b) {
  return a != a ? a : (b != b ? b : (a < b ? a : b));
}
// Integer division that gives 0 for a zero divisor or an overflow.
template <class T> __device__ __forceinline__ T kiln_div_int(T a, T b) {
  const T lowest = (T)((unsigned long long)1 << (sizeof(T) * 8 - 1));
  return (b == 0 || (a == lowest && b == (T)-1)) ? (T)0 : a / b;
}
__device__ __forceinline__ float kiln_bf16_to_float(unsigned short h) {
  return __uint_as_float((unsigned int)h << 16);
}
__device__ __forceinline__ unsigned short kiln_float_to_bf16(float f) {
  unsigned int u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u)
    return (unsigned short)((u >> 16) | 0x40u);
  u += 0x7fffu + ((u >> 16) & 1u);
  return (unsigned short)(u >> 16);
}
__device__ __forceinline__ float kiln_f16_to_float(unsigned short h) {
  const unsigned int sign = (unsigned int)(h & 0x8000u) << 16;
  const unsigned int exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
  if (exponent == 0x1fu)
    return __uint_as_float(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) {
    const float f = (float)mantissa * 5.9604644775390625e-8f;
    return sign ? -f : f;
  }
  return __uint_as_float(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}
__device__ __forceinline__ unsigned short kiln_float_to_f16(float f) {
  const unsigned int u = __float_as_uint(f);
  const unsigned int sign = (u >> 16) & 0x8000u, a = u & 0x7fffffffu;
  if (a > 0x7f800000u)
    return (unsigned short)(sign | 0x7e00u);
  if (a >= 0x477ff000u)
    return (unsigned short)(sign | 0x7c00u);
  if (a < 0x38800000u)
    return (unsigned short)(sign | (unsigned int)rintf(__uint_as_float(a) * 16777216.0f));
  unsigned int h = ((((a >> 23) - 112u) << 10) | ((a & 0x7fffffu) >> 13));
  const unsigned int rest = a & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (h & 1u)))
    ++h;
  return (unsigned short)(sign | h);
}
// Philox-4x32-10: the first two words for a 64-bit counter and key.
__device__ __forceinline__ void kiln_philox(unsigned long long counter,
                                            unsigned long long key,
                                            unsigned int &w0, unsigned int &w1) {
  unsigned int c0 = (unsigned int)counter, c1 = (unsigned int)(counter >> 32);
  unsigned int c2 = 0, c3 = 0;
  unsigned int k0 = (unsigned int)key, k1 = (unsigned int)(key >> 32);
  for (int round = 0; round < 10; ++round) {
    const unsigned long long p0 = (unsigned long long)c0 * 0xD2511F53u;
    const unsigned long long p1 = (unsigned long long)c2 * 0xCD9E8D57u;
    const unsigned int n0 = (unsigned int)(p1 >> 32) ^ c1 ^ k0;
    const unsigned int n2 = (unsigned int)(p0 >> 32) ^ c3 ^ k1;
    c1 = (unsigned int)p1;
    c3 = (unsigned int)p0;
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  w0 = c0;
  w1 = c1;
}
// Uniform on [0, 1) with `bits` random bits; `scale` is 2^-bits.
__device__ __forceinline__ double kiln_uniform(unsigned long long counter,
                                               unsigned long long key,
                                               int bits, double scale) {
  unsigned int w0, w1;
  kiln_philox(counter, key, w0, w1);
  const unsigned long long word = ((unsigned long long)w0 << 32) | w1;
  return (double)(word >> (64 - bits)) * scale;
}
// Standard normal by Box-Muller on two uniforms, u1 in (0, 1].
__device__ __forceinline__ double kiln_normal(unsigned long long counter,
                                              unsigned long long key) {
  unsigned int w0, w1;
  kiln_philox(counter, key, w0, w1);
  const double u1 = ((double)w0 + 1.0) * 2.3283064365386963e-10;
  const double u2 = (double)w1 * 2.3283064365386963e-10;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
struct KilnSum {
  template <class T> __device__ __forceinline__ T operator()(T a, T b) const { return a + b; }
};
struct KilnMax {
  template <class T> __device__ __forceinline__ T operator()(T a, T b) const { return kiln_maximum(a, b); }
};
struct KilnMin {
  template <class T> __device__ __forceinline__ T operator()(T a, T b) const { return kiln_minimum(a, b); }
};
// Reduces `v` over the 32 lanes of a warp; lane 0 holds the result.
template <class T, class F> __device__ __forceinline__ T kiln_warp_reduce(T v, F combine) {
  for (int delta = 16; delta > 0; delta >>= 1)
    v = combine(v, __shfl_down_sync(0xffffffffu, v, delta));
  return v;
}
// Reduces `v` over the block (a multiple of 32 threads, all calling);
// every thread gets the result. `partial` is shared, 33 elements.
template <class T, class F>
__device__ __forceinline__ T kiln_block_reduce(T v, F combine, T identity, T *partial) {
  const unsigned int lane = threadIdx.x & 31u, warp = threadIdx.x >> 5;
  v = kiln_warp_reduce(v, combine);
  if (lane == 0)
    partial[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < (blockDim.x >> 5) ? partial[lane] : identity;
    v = kiln_warp_reduce(v, combine);
    if (lane == 0)
      partial[32] = v;
  }
  __syncthreads();
  v = partial[32];
  __syncthreads();
  return v;
}

)cuda";

class ProgramEmitter : public BufferResolver {
public:
  explicit ProgramEmitter(func::FuncOp function) : function_(function) {}

  CudaProgramSpec emit();

  int bufferOf(Value value) override {
    auto it = bufferOf_.find(value);
    if (it != bufferOf_.end()) {
      touch(it->second);
      return it->second;
    }
    auto constant = value.getDefiningOp<ConstantOp>();
    if (!constant)
      throw Error("internal error: the CUDA emitter met a value without a "
                  "buffer");
    int buffer = addConstant(constant);
    bufferOf_[value] = buffer;
    return buffer;
  }

private:
  int addBuffer(BufferKind kind, int64_t index, int64_t bytes) {
    spec_.buffers.push_back({kind, index, 0, bytes});
    lifetimes_.push_back({bytes, step_, step_});
    return static_cast<int>(spec_.buffers.size() - 1);
  }
  /// A use of `buffer` at the current step extends its life.
  void touch(int buffer) {
    lifetimes_[buffer].last = std::max(lifetimes_[buffer].last, step_);
  }
  int addConstant(ConstantOp constant) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (!dense)
      throw Error("the CUDA backend reads only dense constants");
    auto type = cast<RankedTensorType>(constant.getType());
    std::vector<char> bytes;
    Type element = type.getElementType();
    size_t size = elementBytes(element);
    bytes.resize(size * type.getNumElements());
    int64_t i = 0;
    if (isa<FloatType>(element)) {
      for (APFloat value : dense.getValues<APFloat>()) {
        uint64_t bits = value.bitcastToAPInt().getZExtValue();
        std::memcpy(bytes.data() + size * i++, &bits, size);
      }
    } else {
      for (APInt value : dense.getValues<APInt>()) {
        uint64_t bits = element.isInteger(1) ? (value.isZero() ? 0 : 1)
                                             : value.getZExtValue();
        std::memcpy(bytes.data() + size * i++, &bits, size);
      }
    }
    spec_.constants.push_back(std::move(bytes));
    return addBuffer(BufferKind::Constant,
                     static_cast<int64_t>(spec_.constants.size() - 1),
                     static_cast<int64_t>(size * type.getNumElements()));
  }
  static int64_t bytesOf(Value value) {
    auto type = cast<RankedTensorType>(value.getType());
    return elementBytes(type.getElementType()) * type.getNumElements();
  }

  func::FuncOp function_;
  CudaProgramSpec spec_;
  llvm::DenseMap<Value, int> bufferOf_;
  std::vector<runtime::BufferLifetime> lifetimes_;
  int64_t step_ = 0;
};

CudaProgramSpec ProgramEmitter::emit() {
  Block &body = function_.getBody().front();
  for (BlockArgument arg : body.getArguments()) {
    int64_t bytes = bytesOf(arg);
    spec_.inputBytes.push_back(bytes);
    bufferOf_[arg] = addBuffer(BufferKind::Input, arg.getArgNumber(), bytes);
  }
  // Outputs: each returned value's buffer is its output, unless it is an
  // input, a constant or already another output (then a copy at the end).
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  std::vector<std::pair<Value, int>> copies;
  for (auto [k, value] : llvm::enumerate(ret.getOperands())) {
    int64_t bytes = bytesOf(value);
    spec_.outputBytes.push_back(bytes);
    std::string type;
    llvm::raw_string_ostream os(type);
    os << cast<RankedTensorType>(value.getType()).getElementType();
    spec_.outputTypes.push_back(type);
    int output = addBuffer(BufferKind::Output, static_cast<int64_t>(k), bytes);
    Operation *def = value.getDefiningOp();
    if (!def || isa<ConstantOp>(def) || bufferOf_.count(value))
      copies.emplace_back(value, output);
    else
      bufferOf_[value] = output;
  }

  std::string kernels;
  for (Operation &op : body.without_terminator()) {
    ++step_;
    if (isa<ConstantOp>(op))
      continue; // splats are literals; other constants buffers when used
    for (Value result : op.getResults())
      if (!bufferOf_.count(result))
        bufferOf_[result] =
            addBuffer(BufferKind::Temporary, 0, bytesOf(result));
    emitKernels(op, *this, spec_, kernels, [&](int64_t bytes) {
      return addBuffer(BufferKind::Temporary, 0, bytes);
    });
  }
  ++step_;
  for (auto [value, output] : copies)
    spec_.copies.push_back({bufferOf(value), output, bytesOf(value)});

  // Temporaries share one arena, placed by the same planner as the CPU's.
  std::vector<runtime::BufferLifetime> temporaries;
  std::vector<int> temporaryIds;
  for (size_t i = 0; i < spec_.buffers.size(); ++i)
    if (spec_.buffers[i].kind == BufferKind::Temporary) {
      temporaries.push_back(lifetimes_[i]);
      temporaryIds.push_back(static_cast<int>(i));
    }
  runtime::MemoryPlan plan = runtime::planMemory(temporaries, 256);
  for (size_t t = 0; t < temporaryIds.size(); ++t)
    spec_.buffers[temporaryIds[t]].offset = plan.offsets[t];
  spec_.arenaBytes = plan.arenaBytes;
  spec_.arenaLowerBound = plan.lowerBoundBytes;
  spec_.naiveBytes = plan.naiveBytes;
  spec_.source = std::string(kHelpers) + kernels;
  spec_.kernels = std::move(kernels);
  return std::move(spec_);
}

} // namespace

CudaProgramSpec emitProgram(func::FuncOp function) {
  return ProgramEmitter(function).emit();
}

const char *kernelHelpers() { return kHelpers; }

const char *nvrtcPrelude() {
  return "// CUDA spellings of what Kiln's kernels use beyond CUDA C++.\n"
         "#define KILN_DYNAMIC_SHARED(type, name) extern __shared__ "
         "__align__(16) type name[]\n";
}

} // namespace kiln::codegen::cuda
