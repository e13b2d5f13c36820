// RUN: kiln-opt %s -split-input-file -kiln-to-linalg | FileCheck %s

// Elementwise ops become one linalg.generic each, with identity maps.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>, %[[Y:.+]]: tensor<2x3xf32>)
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[SUM:.+]] = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[Y]] : tensor<2x3xf32>, tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: arith.addf
// CHECK: %[[R:.+]] = linalg.generic
// CHECK-SAME: ins(%[[SUM]] : tensor<2x3xf32>)
// CHECK: arith.maximumf
// CHECK-NOT: kiln.
func.func @elementwise(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.add %x, %y : tensor<2x3xf32>
  %1 = kiln.relu %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// Integer division cannot trap: a zero divisor gives 0.
// CHECK-LABEL: func.func @int_div
// CHECK: linalg.generic
// CHECK: %[[BAD:.+]] = arith.ori
// CHECK: %[[DIVISOR:.+]] = arith.select %[[BAD]]
// CHECK: %[[Q:.+]] = arith.divsi %{{.+}}, %[[DIVISOR]] : i32
// CHECK: arith.select %[[BAD]], %{{.+}}, %[[Q]] : i32
func.func @int_div(%x: tensor<4xi32>, %y: tensor<4xi32>) -> tensor<4xi32> {
  %0 = kiln.div %x, %y : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// A size-1 dimension broadcasts through a constant index in the input map.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @broadcast
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]]
func.func @broadcast(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.broadcast_to %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// A keepdim reduction reduces, then expands the result back.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce_max_keepdim
// CHECK: %[[LOWEST:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[LOWEST]] : f32)
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<4xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
func.func @reduce_max_keepdim(%x: tensor<4x10xf32>) -> tensor<4x1xf32> {
  %0 = kiln.reduce_max %x dims = [1] keepdim : tensor<4x10xf32>
  return %0 : tensor<4x1xf32>
}

// -----

// 2-d matmul is linalg.matmul into a zero-filled result.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f64
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f64)
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<8x4xf64>, tensor<4x3xf64>) outs(%[[INIT]] : tensor<8x3xf64>)
func.func @matmul(%x: tensor<8x4xf64>, %w: tensor<4x3xf64>) -> tensor<8x3xf64> {
  %0 = kiln.matmul %x, %w : tensor<8x4xf64>, tensor<4x3xf64>
  return %0 : tensor<8x3xf64>
}

// -----

// Batched matmul broadcasts the batch dimensions, flattens them to one and
// uses linalg.batch_matmul.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: linalg.generic
// CHECK: tensor.collapse_shape
// CHECK: linalg.batch_matmul ins(%{{.+}}, %{{.+}} : tensor<6x2x4xf32>, tensor<6x4x5xf32>)
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] output_shape [2, 3, 2, 5] : tensor<60xf32> into tensor<2x3x2x5xf32>
func.func @batch_matmul(%a: tensor<2x3x2x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x2x5xf32> {
  %0 = kiln.matmul %a, %b : tensor<2x3x2x4xf32>, tensor<3x4x5xf32>
  return %0 : tensor<2x3x2x5xf32>
}

// -----

// Shape ops become tensor ops.
// CHECK-LABEL: func.func @shapes
// CHECK: linalg.transpose ins(%{{.+}} : tensor<2x3xf32>) outs(%{{.+}} : tensor<3x2xf32>) permutation = [1, 0]
// CHECK: tensor.extract_slice %{{.+}}[0, 1] [2, 1] [1, 2] : tensor<2x3xf32> to tensor<2x1xf32>
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[2, 0] [2, 3] [1, 1]
func.func @shapes(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2x1xf32>, tensor<4x3xf32>) {
  %0 = kiln.transpose %x, permutation = [1, 0] : tensor<2x3xf32>
  %1 = kiln.slice %x start = [0, 1] limit = [2, 3] strides = [1, 2] : tensor<2x3xf32>
  %2 = kiln.concat %x, %x dim = 0 : tensor<2x3xf32>, tensor<2x3xf32>
  return %0, %1, %2 : tensor<3x2xf32>, tensor<2x1xf32>, tensor<4x3xf32>
}
