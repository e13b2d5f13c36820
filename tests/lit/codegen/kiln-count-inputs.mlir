// RUN: kiln-opt %s -kiln-count-inputs | FileCheck %s

// A function that donates inputs records how many it has; others are left
// alone.
// CHECK-LABEL: func.func @donates(
// CHECK-SAME: kiln.donatable = array<i64: 1>, kiln.num_inputs = 2 : i64
// CHECK-LABEL: func.func @keeps(
// CHECK-NOT: kiln.num_inputs
func.func @donates(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32>
    attributes {kiln.donatable = array<i64: 1>} {
  return %a : tensor<4xf32>
}
func.func @keeps(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
