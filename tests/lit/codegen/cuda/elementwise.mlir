// The CUDA emitter's pointwise kernels: one fusion region is one kernel, its
// broadcast operands indexed by the result's index, buffers of the result's
// shape read and written 16 bytes at a time.
// RUN: kiln dump --stage=cuda %s | FileCheck %s

// CHECK-LABEL: CUDA program @bias_relu: 1 launches
// CHECK: launch kiln_k0_fusion grid(16,1,1) block(256,1,1): p0=input 0, p1=input 1, p2=output 0
// CHECK: // kiln_k0_fusion: kiln.fusion (broadcast_to, add, relu), 16-byte accesses at {{.*}}elementwise.mlir:[[@LINE+11]]
// CHECK: kiln_k0_fusion(const float* __restrict__ p0, const float* __restrict__ p1, float* __restrict__ p2)
// CHECK: for (long long q = {{.*}}; q < 4096LL;
// CHECK: reinterpret_cast<const float4*>(p0)[q]
// CHECK: const long long [[COL:i[0-9]+]] = (i{{[0-9]+}}) % 256LL;
// CHECK: p1[[[COL]]]
// CHECK: kiln_maximum(
// CHECK: reinterpret_cast<float4*>(p2)[q]
func.func @bias_relu(%x: tensor<64x256xf32>, %b: tensor<256xf32>) -> tensor<64x256xf32> {
  %bb = kiln.broadcast_to %b : tensor<256xf32> -> tensor<64x256xf32>
  %s = kiln.add %x, %bb : tensor<64x256xf32>
  %r = kiln.relu %s : tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// relu of abs: kiln_maximum compares with `<`, which the host compiler
// keeps (its `>` form was folded wrongly, see the helpers); the host run of
// the CUDA tests checks these values against the CPU backend's.
// CHECK-LABEL: CUDA program @abs_relu
// CHECK: kiln.fusion (abs, relu)
// CHECK: fabs(
// CHECK: kiln_maximum(
func.func @abs_relu(%x: tensor<2x5xf64>) -> tensor<2x5xf64> {
  %a = kiln.abs %x : tensor<2x5xf64>
  %r = kiln.relu %a : tensor<2x5xf64>
  return %r : tensor<2x5xf64>
}

// Narrow integers are signed char and short; a float reaches them through
// int, as on the CPU.
// CHECK-LABEL: CUDA program @narrow_ints
// CHECK: kiln.fusion (convert, add, convert)
// CHECK: (const float* __restrict__ p0, const signed char* __restrict__ p1, short* __restrict__ p2)
// CHECK: (signed char)(int)
// CHECK: (short)
func.func @narrow_ints(%x: tensor<2x5xf32>, %y: tensor<2x5xi8>) -> tensor<2x5xi16> {
  %c = kiln.convert %x : tensor<2x5xf32> to tensor<2x5xi8>
  %s = kiln.add %c, %y : tensor<2x5xi8>
  %w = kiln.convert %s : tensor<2x5xi8> to tensor<2x5xi16>
  return %w : tensor<2x5xi16>
}

// An odd element count: one element per thread, a grid-stride loop.
// CHECK-LABEL: CUDA program @odd
// CHECK: kiln_k0_fusion(const double* __restrict__ p0, const double* __restrict__ p1, double* __restrict__ p2)
// CHECK: for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < 15LL; i += (long long)gridDim.x * blockDim.x)
// CHECK: exp(
// CHECK: p2[i] =
func.func @odd(%x: tensor<3x5xf64>, %y: tensor<3x1xf64>) -> tensor<3x5xf64> {
  %e = kiln.exp %x : tensor<3x5xf64>
  %yb = kiln.broadcast_to %y : tensor<3x1xf64> -> tensor<3x5xf64>
  %m = kiln.mul %e, %yb : tensor<3x5xf64>
  return %m : tensor<3x5xf64>
}
