// Transposes of the last two dimensions go through a 32x33 tile in shared
// memory (both the read and the write coalesced); other permutations, and
// slices, concatenations and gathers, are pointwise kernels that index the
// operand.
// RUN: kiln dump --stage=cuda %s | FileCheck %s

// CHECK-LABEL: CUDA program @transpose
// CHECK: launch kiln_k0_transpose grid(2,3,4) block(32,8,1): p0=input 0, p1=output 0
// CHECK: kiln_k0_transpose: kiln.transpose, 32x33 tiles in shared memory
// CHECK: __shared__ float kiln_tile[32][33];
// CHECK: kiln_tile[threadIdx.y + j][threadIdx.x] = p0[(b * 80LL + y) * 48LL + x];
// CHECK: __syncthreads();
// CHECK: p1[(b * 48LL + y) * 80LL + x] = kiln_tile[threadIdx.x][threadIdx.y + j];
func.func @transpose(%x: tensor<4x80x48xf32>) -> tensor<4x48x80xf32> {
  %t = kiln.transpose %x, permutation = [0, 2, 1] : tensor<4x80x48xf32>
  return %t : tensor<4x48x80xf32>
}

// CHECK-LABEL: CUDA program @permute
// CHECK: kiln_k0_transpose: kiln.transpose, 16-byte accesses at
// CHECK: const long long [[A:i[0-9]+]] = (i{{[0-9]+}}) % 4LL;
// CHECK: const long long [[B:i[0-9]+]] = ((i{{[0-9]+}}) / 4LL) % 3LL;
// CHECK: const long long [[C:i[0-9]+]] = (i{{[0-9]+}}) / 12LL;
// CHECK: p0[(([[A]]) * 3LL + [[B]]) * 2LL + [[C]]]
func.func @permute(%x: tensor<4x3x2xf32>) -> tensor<2x3x4xf32> {
  %t = kiln.transpose %x, permutation = [2, 1, 0] : tensor<4x3x2xf32>
  return %t : tensor<2x3x4xf32>
}

// CHECK-LABEL: CUDA program @gather
// CHECK: kiln_k0_gather(const long long* __restrict__ p0, const float* __restrict__ p1, float* __restrict__ p2)
// CHECK: const long long [[G:g[0-9]+]] = (long long)
// CHECK: [[G]] < 0 ? 0LL : ([[G]] >= 100LL ? 99LL : [[G]])
func.func @gather(%table: tensor<100x8xf32>, %ids: tensor<5xi64>) -> tensor<5x8xf32> {
  %e = kiln.gather %table, %ids dim = 0 : tensor<100x8xf32>, tensor<5xi64>
  return %e : tensor<5x8xf32>
}
