// RUN: kiln-opt %s -split-input-file -kiln-fuse | FileCheck %s
// RUN: kiln-opt %s -split-input-file -kiln-fuse="remarks=1" -verify-diagnostics -o /dev/null
// RUN: kiln-opt %s -split-input-file -kiln-fuse="max-inputs=2" | FileCheck %s --check-prefix=CAP

// An elementwise chain becomes one region; the splat constant is cloned in.
// CHECK-LABEL: func.func @chain(
// CHECK: %[[F:.*]] = kiln.fusion ins(%arg0, %arg1, %arg2 : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32> {
// CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<64xf32>, %[[W:.*]]: tensor<64xf32>, %[[B:.*]]: tensor<64xf32>):
// CHECK-NEXT: %[[M:.*]] = kiln.mul %[[X]], %[[W]]
// CHECK-NEXT: %[[A:.*]] = kiln.add %[[M]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = kiln.relu %[[A]]
// CHECK-NEXT: %[[S:.*]] = kiln.sigmoid %[[X]]
// CHECK-NEXT: %[[P:.*]] = kiln.mul %[[R]], %[[S]]
// CHECK-NEXT: %[[ONE:.*]] = kiln.constant dense<1.000000e+00>
// CHECK-NEXT: %[[Y:.*]] = kiln.add %[[P]], %[[ONE]]
// CHECK-NEXT: kiln.yield %[[Y]] : tensor<64xf32>
// CHECK: return %[[F]]
// CAP-LABEL: func.func @chain(
// CAP-COUNT-2: kiln.fusion
func.func @chain(%x: tensor<64xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<64xf32> {
  %0 = kiln.mul %x, %w : tensor<64xf32>
  // expected-remark @+1 {{fused with kiln.mul (elementwise producer, one user)}}
  %1 = kiln.add %0, %b : tensor<64xf32>
  // expected-remark @+1 {{fused with kiln.add (elementwise producer, one user)}}
  %2 = kiln.relu %1 : tensor<64xf32>
  %3 = kiln.sigmoid %x : tensor<64xf32>
  // expected-remark @+2 {{fused with kiln.relu (elementwise producer, one user)}}
  // expected-remark @+1 {{fused with kiln.sigmoid (elementwise producer, one user)}}
  %4 = kiln.mul %2, %3 : tensor<64xf32>
  %one = kiln.constant dense<1.0> : tensor<64xf32>
  // expected-remark @+1 {{fused with kiln.mul (elementwise producer, one user)}}
  %5 = kiln.add %4, %one : tensor<64xf32>
  return %5 : tensor<64xf32>
}

// -----

// matmul + bias + relu: the contraction is a kernel (oneDNN's), the bias
// broadcast, add and relu its epilogue kernel.
// CHECK-LABEL: func.func @linear(
// CHECK: %[[MM:.*]] = kiln.matmul
// CHECK: kiln.fusion ins(%arg2, %[[MM]] : tensor<10xf32>, tensor<8x10xf32>)
// CHECK: kiln.broadcast_to
// CHECK-NEXT: kiln.add
// CHECK-NEXT: kiln.relu
// CHECK-NEXT: kiln.yield
func.func @linear(%x: tensor<8x4xf32>, %w: tensor<4x10xf32>, %bias: tensor<10xf32>) -> tensor<8x10xf32> {
  %mm = kiln.matmul %x, %w : tensor<8x4xf32>, tensor<4x10xf32>
  %b = kiln.broadcast_to %bias : tensor<10xf32> -> tensor<8x10xf32>
  // expected-remark @+2 {{not fused with kiln.matmul: contraction producers are kernels of their own}}
  // expected-remark @+1 {{fused with kiln.broadcast_to (broadcast producer, one user)}}
  %a = kiln.add %mm, %b : tensor<8x10xf32>
  // expected-remark @+1 {{fused with kiln.add (elementwise producer, one user)}}
  %r = kiln.relu %a : tensor<8x10xf32>
  return %r : tensor<8x10xf32>
}

// -----

// A reduction takes its elementwise producer (softmax's exp and sum), but
// its own elementwise consumer starts a new kernel.
// CHECK-LABEL: func.func @reduce(
// CHECK: %[[SUM:.*]] = kiln.fusion ins(%arg0 : tensor<4x16xf32>) -> tensor<4xf32>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: kiln.exp
// CHECK-NEXT: kiln.reduce_sum
// CHECK-NEXT: kiln.yield
// CHECK: kiln.log %[[SUM]]
func.func @reduce(%x: tensor<4x16xf32>) -> tensor<4xf32> {
  %e = kiln.exp %x : tensor<4x16xf32>
  // expected-remark @+1 {{fused with kiln.exp (elementwise producer, one user)}}
  %s = kiln.reduce_sum %e dims = [1] : tensor<4x16xf32>
  // expected-remark @+1 {{not fused with kiln.reduce_sum: reduction producers are kernels of their own}}
  %l = kiln.log %s : tensor<4xf32>
  return %l : tensor<4xf32>
}

// -----

// Must not fuse: a producer with two users (it would be computed twice),
// and a transpose (injective: a kernel of its own).
// CHECK-LABEL: func.func @apart(
// CHECK-NOT: kiln.fusion
// CHECK: return
func.func @apart(%x: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  %e = kiln.exp %x : tensor<8x8xf32>
  // expected-remark @+1 {{not fused with kiln.exp: it has other users, and would be computed twice}}
  %a = kiln.tanh %e : tensor<8x8xf32>
  // expected-remark @+1 {{not fused with kiln.exp: it has other users, and would be computed twice}}
  %b = kiln.sin %e : tensor<8x8xf32>
  %t = kiln.transpose %b, permutation = [1, 0] : tensor<8x8xf32>
  // expected-remark @+1 {{not fused with kiln.transpose: injective producers are kernels of their own}}
  %c = kiln.cos %t : tensor<8x8xf32>
  return %a, %c : tensor<8x8xf32>, tensor<8x8xf32>
}
