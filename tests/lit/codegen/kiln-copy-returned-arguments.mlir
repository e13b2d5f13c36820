// RUN: kiln-opt %s -kiln-copy-returned-arguments | FileCheck %s

// An argument returned, and a value returned twice, become copies; the
// first return of a computed value stays itself.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4xf32>
// CHECK: %[[NEG:.+]] = kiln.neg %[[X]]
// CHECK: %[[E1:.+]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[COPYX:.+]] = linalg.copy ins(%[[X]] : tensor<4xf32>) outs(%[[E1]] : tensor<4xf32>)
// CHECK: %[[E2:.+]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[COPYNEG:.+]] = linalg.copy ins(%[[NEG]] : tensor<4xf32>) outs(%[[E2]] : tensor<4xf32>)
// CHECK: return %[[COPYX]], %[[NEG]], %[[COPYNEG]]
func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %n = kiln.neg %x : tensor<4xf32>
  return %x, %n, %n : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
