// Softmax, log_softmax and layer_norm stay whole for the CUDA backend
// (kiln-decompose keep-row-ops) and become one row kernel each: one block
// per row reads it for its statistics and writes it once.
// RUN: kiln dump --stage=cuda %s | FileCheck %s

// CHECK-LABEL: CUDA program @softmax: 1 launches
// CHECK: kiln_k0_softmax: kiln.softmax, one block per row (max, sum, write)
// CHECK: __launch_bounds__(128) kiln_k0_softmax
// CHECK: const long long base = row * 100LL;
// CHECK: m = kiln_block_reduce(m, KilnMax(),
// CHECK: s += expf(p0[base + j] - m);
// CHECK: s = kiln_block_reduce(s, KilnSum(), 0.0f, kiln_partial);
// CHECK: p1[base + j] = expf(p0[base + j] - m) / s;
func.func @softmax(%x: tensor<16x100xf32>) -> tensor<16x100xf32> {
  %p = kiln.softmax %x dim = 1 : tensor<16x100xf32>
  return %p : tensor<16x100xf32>
}

// A softmax over a dimension that is not the innermost strides its rows.
// CHECK-LABEL: CUDA program @log_softmax_columns
// CHECK: kiln_k0_log_softmax: kiln.log_softmax
// CHECK: const long long base = (row / 7LL) * 35LL + row % 7LL;
// CHECK: p1[base + j * 7LL] = (p0[base + j * 7LL] - m) - logSum;
func.func @log_softmax_columns(%x: tensor<2x5x7xf32>) -> tensor<2x5x7xf32> {
  %p = kiln.log_softmax %x dim = 1 : tensor<2x5x7xf32>
  return %p : tensor<2x5x7xf32>
}

// CHECK-LABEL: CUDA program @layer_norm: 1 launches
// CHECK: launch kiln_k0_layer_norm grid(8,1,1) block(64,1,1): p0=input 0, p1=input 1, p2=input 2, p3=output 0
// CHECK: kiln_k0_layer_norm: kiln.layer_norm, one block per row (mean, variance, write)
// CHECK: const float mean = kiln_block_reduce(s, KilnSum(), 0.0f, kiln_partial) * 0.015625f;
// CHECK: const float rstd = rsqrtf(variance + 1e-05f);
// CHECK: p3[base + j] = (p0[base + j] - mean) * rstd * p1[j] + p2[j];
func.func @layer_norm(%x: tensor<8x64xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<8x64xf32> {
  %y = kiln.layer_norm %x, %w, %b axis = 1 eps = 1.0e-5 : tensor<8x64xf32>, tensor<64xf32>, tensor<64xf32>
  return %y : tensor<8x64xf32>
}
