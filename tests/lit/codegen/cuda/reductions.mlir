// The CUDA emitter's reductions: one block per row when the reduced
// dimensions are the innermost (warp shuffles, then a block reduction
// through shared memory), one thread per result element otherwise, and two
// passes through partial results for a large full reduction.
// RUN: kiln dump --stage=cuda %s | FileCheck %s

// CHECK-LABEL: CUDA program @inner
// CHECK: launch kiln_k0_rows grid(64,1,1) block(256,1,1)
// CHECK: kiln_k0_rows: kiln.reduce_sum, one block per row
// CHECK: __shared__ float kiln_partial[33];
// CHECK: for (long long row = blockIdx.x; row < 64LL; row += gridDim.x)
// CHECK: for (long long r = threadIdx.x; r < 1000LL; r += blockDim.x)
// CHECK: expf(
// CHECK: kiln_block_reduce({{.*}}, KilnSum(), 0.0f, kiln_partial);
// CHECK: if (threadIdx.x == 0)
func.func @inner(%x: tensor<64x1000xf32>) -> tensor<64xf32> {
  %e = kiln.exp %x : tensor<64x1000xf32>
  %s = kiln.reduce_sum %e dims = [1] : tensor<64x1000xf32>
  return %s : tensor<64xf32>
}

// CHECK-LABEL: CUDA program @outer
// CHECK: kiln_k0_columns: kiln.reduce_max, one thread per result element
// CHECK: for (long long o = {{.*}}; o < 1000LL;
// CHECK: float [[ACC:acc[0-9]+]] = __int_as_float(0xff800000);
// CHECK: for (long long r = 0; r < 64LL; ++r)
// CHECK: [[ACC]] = kiln_maximum([[ACC]],
func.func @outer(%x: tensor<64x1000xf32>) -> tensor<1x1000xf32> {
  %m = kiln.reduce_max %x dims = [0] keepdim : tensor<64x1000xf32>
  return %m : tensor<1x1000xf32>
}

// CHECK-LABEL: CUDA program @full: 2 launches
// CHECK: launch kiln_k0_partial grid(256,1,1) block(256,1,1): p0=input 0, p1=arena+0
// CHECK: launch kiln_k1_final grid(1,1,1) block(256,1,1): p0=arena+0, p1=output 0
// CHECK: kiln_k0_partial: kiln.reduce_sum, pass 1 of 2
// CHECK: p1[blockIdx.x] =
// CHECK: kiln_k1_final: kiln.reduce_sum, pass 2 of 2
// CHECK: for (long long t = threadIdx.x; t < 256LL; t += blockDim.x)
func.func @full(%x: tensor<512x1024xf32>) -> tensor<f32> {
  %s = kiln.reduce_sum %x dims = [0, 1] : tensor<512x1024xf32>
  return %s : tensor<f32>
}

// CHECK-LABEL: CUDA program @argmax
// CHECK: kiln_k0_argmax: kiln.argmax, one thread per result element (the first extreme wins)
// CHECK: long long [[I:index[0-9]+]] = 0;
// CHECK: for (long long r = 1; r < 10LL; ++r)
// CHECK: if (({{.*}} > [[B:best[0-9]+]] || ({{.*}} != {{.*}} && [[B]] == [[B]])))
func.func @argmax(%x: tensor<32x10xf32>) -> tensor<32xi64> {
  %a = kiln.argmax %x dim = 1 : tensor<32x10xf32>
  return %a : tensor<32xi64>
}

// A sum over an empty dimension writes zeros everywhere.
// CHECK-LABEL: CUDA program @empty
// CHECK: kiln_k0_columns: kiln.reduce_sum, one thread per result element
// CHECK: o < 4LL;
// CHECK: for (long long r = 0; r < 0LL; ++r)
func.func @empty(%x: tensor<4x0xf32>) -> tensor<4xf32> {
  %m = kiln.reduce_sum %x dims = [1] : tensor<4x0xf32>
  return %m : tensor<4xf32>
}
