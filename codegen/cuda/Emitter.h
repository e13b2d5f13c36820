//===- Emitter.h - kiln functions as CUDA C++ kernels -----------*- C++ -*-===//
//
// The CUDA backend's code generator. It starts from the same kiln-level IR
// as the CPU (after autodiff, decomposition and fusion) and emits one CUDA
// C++ kernel per kernel-sized op: each kiln.fusion region, and each op left
// outside one (a matmul, a convolution, a transpose, softmax...). The
// result is a program: the kernel source, its launches in order, and where
// every buffer lives (an input, an output, a constant, or an offset into
// one arena placed by the memory planner).
//
// The source is self-contained: it includes no header, so NVRTC compiles
// it without an include path, and the same text compiles as host C++
// against Kiln's SIMT shim (HostExecution.h) after a target prelude.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CUDA_EMITTER_H
#define KILN_CODEGEN_CUDA_EMITTER_H

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace kiln::codegen::cuda {

/// Where a buffer of the program lives.
enum class BufferKind {
  Input,     ///< the caller's input `index`
  Output,    ///< the caller's output `index`
  Constant,  ///< the program's constant `index`, uploaded once
  Temporary, ///< `offset` bytes into the arena
};

struct BufferSpec {
  BufferKind kind = BufferKind::Temporary;
  int64_t index = 0;  ///< input, output or constant number
  int64_t offset = 0; ///< arena offset of a temporary
  int64_t bytes = 0;
};

/// One kernel launch. Every kernel takes pointers only, one per buffer in
/// `buffers` (shapes are static: they are constants in the source).
struct KernelLaunch {
  std::string name;     ///< the `extern "C"` kernel's name in the source
  std::string op;       ///< the kiln op it computes (kiln.fusion, kiln.matmul)
  std::string location; ///< the user's source line it came from, if known
  bool usesBarriers = false; ///< __syncthreads or warp shuffles
  std::array<unsigned, 3> grid{1, 1, 1}, block{1, 1, 1};
  unsigned sharedBytes = 0; ///< dynamic shared memory
  std::vector<int> buffers; ///< BufferSpec indices, in parameter order
};

/// A copy of `bytes` from one buffer to another, after every launch: an
/// output that is an input, a constant, or another output.
struct BufferCopy {
  int from = 0, to = 0;
  int64_t bytes = 0;
};

struct CudaProgramSpec {
  std::string source;  ///< the helpers and the kernels, without a prelude
  std::string kernels; ///< the kernels alone
  std::vector<KernelLaunch> launches;
  std::vector<BufferSpec> buffers;
  std::vector<std::vector<char>> constants; ///< row-major element bytes
  std::vector<BufferCopy> copies;
  std::vector<int64_t> inputBytes, outputBytes;
  /// Each output's element type as MLIR spells it (f32, bf16, i1, i64).
  std::vector<std::string> outputTypes;
  int64_t arenaBytes = 0, arenaLowerBound = 0, naiveBytes = 0;
};

/// Emits the program of `function`, which holds kiln ops after the
/// kiln-level stages. Throws kiln::Error naming the op (and its location)
/// that has no CUDA kernel yet.
CudaProgramSpec emitProgram(mlir::func::FuncOp function);

/// The helper functions every program's source starts with.
const char *kernelHelpers();

/// What NVRTC compiles before the source: the CUDA spellings of what the
/// source uses beyond CUDA C++ itself (dynamic shared memory).
const char *nvrtcPrelude();

} // namespace kiln::codegen::cuda

#endif // KILN_CODEGEN_CUDA_EMITTER_H
