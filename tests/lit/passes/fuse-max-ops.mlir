// RUN: kiln-opt %s -kiln-fuse="max-ops=3" | FileCheck %s
// RUN: kiln-opt %s -kiln-fuse="max-ops=3 remarks=1" -verify-diagnostics -o /dev/null
// RUN: kiln-opt %s -kiln-fuse | FileCheck %s --check-prefix=ONE

// A chain of seven elementwise ops, at most three per region: the chain is
// cut into kernels of three, three and one, each reading the last one's
// result. (A chain of thousands would otherwise be one loop body, which the
// code generator compiles in time that grows with its square.)
// CHECK-LABEL: func.func @chain(
// CHECK: %[[A:.+]] = kiln.fusion ins(%arg0 : tensor<64xf32>)
// CHECK-COUNT-3: kiln.exp
// CHECK: kiln.yield
// CHECK: %[[B:.+]] = kiln.fusion ins(%[[A]] : tensor<64xf32>)
// CHECK-COUNT-3: kiln.exp
// CHECK: kiln.yield
// CHECK: %[[C:.+]] = kiln.exp %[[B]] : tensor<64xf32>
// CHECK-NEXT: return %[[C]]

// ONE-LABEL: func.func @chain(
// ONE-COUNT-1: kiln.fusion
// ONE-NOT: kiln.fusion
func.func @chain(%x: tensor<64xf32>) -> tensor<64xf32> {
  %0 = kiln.exp %x : tensor<64xf32>
  // expected-remark @+1 {{fused with kiln.exp (elementwise producer, one user)}}
  %1 = kiln.exp %0 : tensor<64xf32>
  // expected-remark @+1 {{fused with kiln.exp (elementwise producer, one user)}}
  %2 = kiln.exp %1 : tensor<64xf32>
  // expected-remark @+1 {{not fused with kiln.exp: the kernel would hold more than 3 ops}}
  %3 = kiln.exp %2 : tensor<64xf32>
  // expected-remark @+1 {{fused with kiln.exp (elementwise producer, one user)}}
  %4 = kiln.exp %3 : tensor<64xf32>
  // expected-remark @+1 {{fused with kiln.exp (elementwise producer, one user)}}
  %5 = kiln.exp %4 : tensor<64xf32>
  // expected-remark @+1 {{not fused with kiln.exp: the kernel would hold more than 3 ops}}
  %6 = kiln.exp %5 : tensor<64xf32>
  return %6 : tensor<64xf32>
}
