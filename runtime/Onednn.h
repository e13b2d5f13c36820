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
/// output += conv2d(input, filter) for f32 NCHW input (already padded) and
/// FCHW filter, as linalg.conv_2d_nchw_fchw with these strides and
/// dilations.
void _mlir_ciface_kiln_conv2d_f32(kiln::runtime::MemRefDescriptor<4> *input,
                                  kiln::runtime::MemRefDescriptor<4> *filter,
                                  kiln::runtime::MemRefDescriptor<4> *output,
                                  int64_t strideH, int64_t strideW,
                                  int64_t dilationH, int64_t dilationW);
/// C[i] += A[i] @ B[i] for batches of f32 matrices (linalg.batch_matmul).
void _mlir_ciface_kiln_batch_matmul_f32(kiln::runtime::MemRefDescriptor<3> *a,
                                        kiln::runtime::MemRefDescriptor<3> *b,
                                        kiln::runtime::MemRefDescriptor<3> *c);
}

#endif // KILN_RUNTIME_ONEDNN_H
