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

// erf has a scalar body of its own, math.erf (libm's erf/erff later).
// CHECK-LABEL: func.func @erf
// CHECK-SAME: (%[[X:.+]]: tensor<4xf64>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<4xf64>)
// CHECK: ^bb0(%[[IN:.+]]: f64, %{{.+}}: f64):
// CHECK: %[[ERF:.+]] = math.erf %[[IN]] : f64
// CHECK: linalg.yield %[[ERF]] : f64
// CHECK-NOT: kiln.
func.func @erf(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = kiln.erf %x : tensor<4xf64>
  return %0 : tensor<4xf64>
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

// A float reaches a narrow integer through i32, so that uint8's values
// above 127 (the frontend's i8 read as unsigned) keep their bits; a narrow
// integer widens by sign extension.
// CHECK-LABEL: func.func @narrow_ints
// CHECK: %[[WIDE:.+]] = arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.trunci %[[WIDE]] : i32 to i8
// CHECK: arith.extsi %{{.+}} : i8 to i16
func.func @narrow_ints(%x: tensor<4xf32>) -> tensor<4xi16> {
  %0 = kiln.convert %x : tensor<4xf32> to tensor<4xi8>
  %1 = kiln.convert %0 : tensor<4xi8> to tensor<4xi16>
  return %1 : tensor<4xi16>
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

// -----

// conv2d pads the input with zeros (fill + insert_slice) and convolves it
// with linalg.conv_2d_nchw_fchw into a zero-filled result.
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[BORDER:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<1x3x10x10xf32>)
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[X]] into %[[BORDER]][0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1]
// CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x4x4x4xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PADDED]], %[[W]] : tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%[[INIT]] : tensor<1x4x4x4xf32>)
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %0 = kiln.conv2d %x, %w stride = [2, 2] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Grouped conv2d splits the group out of the channel dimensions and uses
// linalg.conv_2d_ngchw_gfchw; without padding the input is used as is.
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x6x6xf64>, %[[W:.+]]: tensor<6x2x3x3xf64>)
// CHECK-NOT: tensor.insert_slice
// CHECK-DAG: %[[INPUT:.+]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6]
// CHECK-DAG: %[[FILTER:.+]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[CONV:.+]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[INPUT]], %[[FILTER]] : tensor<1x2x2x6x6xf64>, tensor<2x3x2x3x3xf64>) outs(%{{.+}} : tensor<1x2x3x2x2xf64>)
// CHECK: tensor.collapse_shape %[[CONV]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x2x2xf64> into tensor<1x6x2x2xf64>
func.func @conv2d_grouped(%x: tensor<1x4x6x6xf64>, %w: tensor<6x2x3x3xf64>) -> tensor<1x6x2x2xf64> {
  %0 = kiln.conv2d %x, %w stride = [1, 1] padding = [0, 0] dilation = [2, 2] groups = 2 : tensor<1x4x6x6xf64>, tensor<6x2x3x3xf64>
  return %0 : tensor<1x6x2x2xf64>
}

// -----

// conv2d_grad_input spreads grad_output 2 apart among zeros and convolves
// it, stride 1, with the flipped filter whose leading dimensions are swapped
// (a linalg.conv_2d_nchw_fchw, which oneDNN runs).
// CHECK-DAG: #[[FLIP:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, -d2 + 2, -d3 + 2)>
// CHECK-LABEL: func.func @conv2d_grad_input
// CHECK-SAME: (%[[DY:.+]]: tensor<1x4x4x4xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>
// CHECK: %[[SPREAD:.+]] = tensor.insert_slice %[[DY]] into %{{.+}}[0, 0, 1, 1] [1, 4, 4, 4] [1, 1, 2, 2] : tensor<1x4x4x4xf32> into tensor<1x4x10x10xf32>
// CHECK: %[[FLIPPED:.+]] = linalg.generic {indexing_maps = [#[[FLIP]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[W]] : tensor<4x3x3x3xf32>) outs(%{{.+}} : tensor<3x4x3x3xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[SPREAD]], %[[FLIPPED]] : tensor<1x4x10x10xf32>, tensor<3x4x3x3xf32>) outs(%{{.+}} : tensor<1x3x8x8xf32>)
func.func @conv2d_grad_input(%dy: tensor<1x4x4x4xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x8x8xf32> {
  %0 = kiln.conv2d_grad_input %dy, %w stride = [2, 2] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<1x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

// With groups, it correlates the spread gradient with the flipped filter in
// a linalg.generic per group.
// CHECK-DAG: #[[SPREAD:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + -d6 + 2, d4 + -d7 + 2)>
// CHECK-DAG: #[[FILTER:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-LABEL: func.func @conv2d_grad_input_grouped
// CHECK: linalg.generic {indexing_maps = [#[[SPREAD]], #[[FILTER]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.collapse_shape %{{.+}} : tensor<1x2x3x8x8xf32> into tensor<1x6x8x8xf32>
func.func @conv2d_grad_input_grouped(%dy: tensor<1x4x4x4xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x6x8x8xf32> {
  %0 = kiln.conv2d_grad_input %dy, %w stride = [2, 2] padding = [1, 1] dilation = [1, 1] groups = 2 : tensor<1x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<1x6x8x8xf32>
  return %0 : tensor<1x6x8x8xf32>
}

// -----

// conv2d_grad_filter swaps batch and channels of the padded input and of the
// gradient and convolves them with stride and dilation exchanged; the
// leading kernel-sized window, swapped back, is the gradient.
// CHECK-LABEL: func.func @conv2d_grad_filter
// CHECK: %[[X:.+]] = linalg.transpose ins(%{{.+}} : tensor<2x3x10x10xf32>) outs(%{{.+}} : tensor<3x2x10x10xf32>) permutation = [1, 0, 2, 3]
// CHECK: %[[DY:.+]] = linalg.transpose ins(%{{.+}} : tensor<2x4x4x4xf32>) outs(%{{.+}} : tensor<4x2x4x4xf32>) permutation = [1, 0, 2, 3]
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[DY]] : tensor<3x2x10x10xf32>, tensor<4x2x4x4xf32>) outs(%{{.+}} : tensor<3x4x4x4xf32>)
// CHECK: %[[WINDOW:.+]] = tensor.extract_slice %[[CONV]][0, 0, 0, 0] [3, 4, 3, 3] [1, 1, 1, 1]
// CHECK: linalg.transpose ins(%[[WINDOW]] : tensor<3x4x3x3xf32>) outs(%{{.+}} : tensor<4x3x3x3xf32>) permutation = [1, 0, 2, 3]
func.func @conv2d_grad_filter(%x: tensor<2x3x8x8xf32>, %dy: tensor<2x4x4x4xf32>) -> tensor<4x3x3x3xf32> {
  %0 = kiln.conv2d_grad_filter %x, %dy stride = [2, 2] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x3x8x8xf32>, tensor<2x4x4x4xf32> -> tensor<4x3x3x3xf32>
  return %0 : tensor<4x3x3x3xf32>
}

// -----

// max_pool2d pads with -inf and uses linalg.pooling_nchw_max, whose window
// operand only carries the kernel shape, into a result filled with -inf.
// CHECK-LABEL: func.func @max_pool2d
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x7x7xf32>)
// CHECK: %[[LOWEST:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[BORDER:.+]] = linalg.fill ins(%[[LOWEST]] : f32) outs(%{{.+}} : tensor<1x2x9x9xf32>)
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[X]] into %[[BORDER]][0, 0, 1, 1] [1, 2, 7, 7] [1, 1, 1, 1]
// CHECK: %[[WINDOW:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x2x4x4xf32>)
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PADDED]], %[[WINDOW]] : tensor<1x2x9x9xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x4x4xf32>)
func.func @max_pool2d(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32> {
  %0 = kiln.max_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<1x2x7x7xf32>
  return %0 : tensor<1x2x4x4xf32>
}
