//===- Onednn.h - Matmul through oneDNN, callable from compiled code -*- C++
//-*-===//
#ifndef KILN_RUNTIME_ONEDNN_H
#define KILN_RUNTIME_ONEDNN_H

#include <cstdint>

namespace kiln::runtime {

/// The layout of an MLIR memref descriptor of rank N, as compiled code passes
/// it through the C interface (`llvm.emit_c_interface`).
template <int N> struct MemRefDescriptor {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes[N];
  int64_t strides[N];
};

} // namespace kiln::runtime

extern "C" {
/// C += A @ B for f32 matrices of any strides (linalg.matmul's semantics).
void _mlir_ciface_kiln_matmul_f32(kiln::runtime::MemRefDescriptor<2> *a,
                                  kiln::runtime::MemRefDescriptor<2> *b,
                                  kiln::runtime::MemRefDescriptor<2> *c);
/// C[i] += A[i] @ B[i] for batches of f32 matrices (linalg.batch_matmul).
void _mlir_ciface_kiln_batch_matmul_f32(kiln::runtime::MemRefDescriptor<3> *a,
                                        kiln::runtime::MemRefDescriptor<3> *b,
                                        kiln::runtime::MemRefDescriptor<3> *c);
}

#endif // KILN_RUNTIME_ONEDNN_H
