// RUN: kiln-opt %s -kiln-fold-splat-inputs | FileCheck %s

#map = affine_map<(d0) -> (d0)>
#scalar = affine_map<(d0) -> ()>

// x + 1: the loop reads the scalar 1.0, not a tensor of ones.
// CHECK-LABEL: func.func @add_one(
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel"]} ins(%{{.*}} : tensor<4xf32>)
// CHECK: arith.addf %{{.*}}, %[[ONE]] : f32
func.func @add_one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %ones = arith.constant dense<1.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]} ins(%x, %ones : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// The sum of a constant: without it no operand gives the loop its bound,
// so it stays an input.
// CHECK-LABEL: func.func @sum_of_ones(
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf32>) outs(%{{.*}} : tensor<f32>)
func.func @sum_of_ones(%init: tensor<f32>) -> tensor<f32> {
  %ones = arith.constant dense<1.0> : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#map, #scalar], iterator_types = ["reduction"]} ins(%ones : tensor<4xf32>) outs(%init : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}
