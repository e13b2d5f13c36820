//===- Compile.h - kiln modules to CUDA programs ----------------*- C++ -*-===//
//
// The CUDA backend's half of the pipeline: the kiln-level stages any
// backend starts from (with softmax, log_softmax and layer_norm kept whole
// for their row kernels), then the emitter, then NVRTC.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CUDA_COMPILE_H
#define KILN_CODEGEN_CUDA_COMPILE_H

#include "kiln/codegen/cuda/Emitter.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace kiln::codegen::cuda {

/// Runs the kiln-level stages for the CUDA backend on `module`, in place:
/// autodiff, decompose (keeping the row ops), and fusion unless `fuse` is
/// off. Errors are emitted as diagnostics on the module's context.
mlir::LogicalResult lowerForCuda(mlir::ModuleOp module, bool fuse = true);

/// Lowers `module` (in place) and emits the program of its function
/// `name`. Throws kiln::Error with the diagnostics on failure.
CudaProgramSpec emitFunction(mlir::ModuleOp module, llvm::StringRef name,
                             bool fuse = true);

/// The whole text NVRTC compiles for `spec`: the prelude, then the source.
std::string nvrtcSource(const CudaProgramSpec &spec);

/// What `kiln dump --stage=cuda` prints for `spec` of function `name`: a
/// table of its buffers and launches in comments, then its source.
std::string describe(const CudaProgramSpec &spec, llvm::StringRef name);

} // namespace kiln::codegen::cuda

#endif // KILN_CODEGEN_CUDA_COMPILE_H
