// RUN: kiln-opt %s -kiln-fill-splat-constants | FileCheck %s

// A splat tensor returned (or read by a call) becomes a fill of a new
// tensor, so that no program holds a global of its full size; -0.0 keeps
// its sign. An unused constant goes.
// CHECK-LABEL: func.func @main(
// CHECK-NOT: dense<
// CHECK: %[[ZERO:.+]] = arith.constant -0.000000e+00 : f32
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1024xf32>
// CHECK: %[[FILL:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<1024xf32>)
// CHECK: return %[[FILL]]
func.func @main() -> tensor<1024xf32> {
  %unused = arith.constant dense<2.0> : tensor<8xf32>
  %c = arith.constant dense<-0.0> : tensor<1024xf32>
  return %c : tensor<1024xf32>
}
