//===- Onednn.h - oneDNN matmul for compiled code ---------------*- C++ -*-===//
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

/// The operations after a contraction that its library call applies to the
/// result, in order: an epilogue is a sequence of these codes, four bits
/// each, the first in the lowest bits, ended by a zero nibble.
enum class EpilogueOp : int64_t {
  Relu = 1,
  GeluTanh = 2, ///< gelu(approximate='tanh')
  GeluErf = 3,  ///< gelu(approximate='none')
  Tanh = 4,
  Sigmoid = 5,
  Add = 6, ///< adds the addend, a tensor of the result's shape
};

/// The most operations one epilogue holds.
inline constexpr int kMaxEpilogueOps = 8;

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
/// dst = epilogue(A @ B + bias) for f32 matrices of any strides: bias [N]
/// (absent when it has no elements) is added along the last dimension, then
/// the `epilogue` operations run in order (see EpilogueOp); `addend` [M, N]
/// is read by EpilogueOp::Add and may be `dst` itself. dst's previous
/// contents are not read.
void _mlir_ciface_kiln_matmul_epilogue_f32(
    kiln::runtime::MemRefDescriptor<2> *a,
    kiln::runtime::MemRefDescriptor<2> *b,
    kiln::runtime::MemRefDescriptor<2> *dst,
    kiln::runtime::MemRefDescriptor<1> *bias,
    kiln::runtime::MemRefDescriptor<2> *addend, int64_t epilogue);
/// kiln_matmul_epilogue_f32 for batches of matrices.
void _mlir_ciface_kiln_batch_matmul_epilogue_f32(
    kiln::runtime::MemRefDescriptor<3> *a,
    kiln::runtime::MemRefDescriptor<3> *b,
    kiln::runtime::MemRefDescriptor<3> *dst,
    kiln::runtime::MemRefDescriptor<1> *bias,
    kiln::runtime::MemRefDescriptor<3> *addend, int64_t epilogue);
/// output = epilogue(conv2d(input, filter) + bias): bias [F] per output
/// channel, the rest as kiln_matmul_epilogue_f32 and kiln_conv2d_f32.
void _mlir_ciface_kiln_conv2d_epilogue_f32(
    kiln::runtime::MemRefDescriptor<4> *input,
    kiln::runtime::MemRefDescriptor<4> *filter,
    kiln::runtime::MemRefDescriptor<4> *output,
    kiln::runtime::MemRefDescriptor<1> *bias,
    kiln::runtime::MemRefDescriptor<4> *addend, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t epilogue);
}

#endif // KILN_RUNTIME_ONEDNN_H
