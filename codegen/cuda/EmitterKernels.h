//===- EmitterKernels.h - The kernels of one op -----------------*- C++ -*-===//
//
// Internal to the CUDA emitter: the kernel shapes (pointwise, row and
// column reductions, two-pass full reductions, tiled matmul and transpose,
// row kernels for softmax and layer_norm, direct convolution and pooling,
// scatter-add with atomics) and how an op picks one.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CUDA_EMITTERKERNELS_H
#define KILN_CODEGEN_CUDA_EMITTERKERNELS_H

#include "kiln/codegen/cuda/KernelWriter.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace kiln::codegen::cuda {

/// Appends the kernels that compute top-level `op` to `source` and their
/// launches to `spec.launches`. `scratch(bytes)` adds a temporary buffer
/// that lives while `op` runs (the partial results of a two-pass
/// reduction).
void emitKernels(mlir::Operation &op, BufferResolver &buffers,
                 CudaProgramSpec &spec, std::string &source,
                 llvm::function_ref<int(int64_t)> scratch);

} // namespace kiln::codegen::cuda

#endif // KILN_CODEGEN_CUDA_EMITTERKERNELS_H
