// RUN: kiln-opt %s -kiln-library-calls -split-input-file | FileCheck %s
// RUN: kiln-opt %s -kiln-library-calls=epilogues=false -split-input-file | FileCheck %s --check-prefix=OFF

// A Linear layer and its relu: the bias add and relu that read the matmul's
// result become oneDNN's bias and post-op, applied by the call as it writes
// the layer's output. The zeroed temporary goes.
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK-SAME: (%[[X:.*]]: memref<64x128xf32>, %[[W:.*]]: memref<128x32xf32>, %[[B:.*]]: memref<32xf32>, %[[Y:.*]]: memref<64x32xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[CX:.*]] = memref.cast %[[X]]
// CHECK-DAG: %[[CW:.*]] = memref.cast %[[W]]
// CHECK-DAG: %[[CY:.*]] = memref.cast %[[Y]] : memref<64x32xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK-DAG: %[[CB:.*]] = memref.cast %[[B]] : memref<32xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK-DAG: %[[RELU:.*]] = arith.constant 1 : i64
// CHECK: call @kiln_matmul_epilogue_f32(%[[CX]], %[[CW]], %[[CY]], %[[CB]], %{{.*}}, %[[RELU]]) {kiln.epilogue = ["bias", "relu"]}
// CHECK-NOT: linalg.
// CHECK: func.func private @kiln_matmul_epilogue_f32({{.*}}, memref<?xf32, strided<[?], offset: ?>>, {{.*}}, i64) attributes {llvm.emit_c_interface}
// OFF-LABEL: func.func @matmul_bias_relu
// OFF: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = []}
// OFF: linalg.generic
func.func @matmul_bias_relu(%x: memref<64x128xf32>, %w: memref<128x32xf32>, %b: memref<32xf32>, %y: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x32xf32>)
  linalg.matmul ins(%x, %w : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %b : memref<64x32xf32>, memref<32xf32>) outs(%y : memref<64x32xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A convolution's per-channel bias (a [F, 1, 1] view, broadcast along the
// batch and the image) and relu: one call, the bias collapsed to [F].
// CHECK-LABEL: func.func @conv_bias_relu
// CHECK: %[[BIAS:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : memref<16x1x1xf32> into memref<16xf32>
// CHECK: %[[CB:.*]] = memref.cast %[[BIAS]]
// CHECK: call @kiln_conv2d_epilogue_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[CB]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {kiln.epilogue = ["bias", "relu"]}
// CHECK-NOT: linalg.
func.func @conv_bias_relu(%x: memref<8x3x34x34xf32>, %w: memref<16x3x3x3xf32>, %b: memref<16xf32>, %y: memref<8x16x32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<8x16x32x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<8x16x32x32xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<8x3x34x34xf32>, memref<16x3x3x3xf32>) outs(%c : memref<8x16x32x32xf32>)
  %bias = memref.expand_shape %b [[0, 1, 2]] output_shape [16, 1, 1] : memref<16xf32> into memref<16x1x1xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %bias : memref<8x16x32x32xf32>, memref<16x1x1xf32>) outs(%y : memref<8x16x32x32xf32>) {
  ^bb0(%in: f32, %bb: f32, %out: f32):
    %0 = arith.addf %in, %bb : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// gelu (erf, as kiln-to-linalg writes it), then the addition of a residual
// of the result's shape (a binary post-op), then sigmoid; no bias: the bias
// operand has no elements. The codes, four bits each: 3 | 6 << 4 | 5 << 8.
// CHECK-LABEL: func.func @gelu_add_sigmoid
// CHECK: %[[NONE:.*]] = memref.alloca() : memref<0xf32>
// CHECK: %[[CODE:.*]] = arith.constant 1379 : i64
// CHECK: call @kiln_batch_matmul_epilogue_f32({{.*}}, %[[CODE]]) {kiln.epilogue = ["gelu_erf", "add", "sigmoid"]}
// CHECK-NOT: linalg.
func.func @gelu_add_sigmoid(%a: memref<4x64x64xf32>, %b: memref<4x64x64xf32>, %r: memref<4x64x64xf32>, %y: memref<4x64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %rsqrt2 = arith.constant 0.707106769 : f32
  %c = memref.alloc() : memref<4x64x64xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x64x64xf32>)
  linalg.batch_matmul ins(%a, %b : memref<4x64x64xf32>, memref<4x64x64xf32>) outs(%c : memref<4x64x64xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                  iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%c, %r : memref<4x64x64xf32>, memref<4x64x64xf32>) outs(%y : memref<4x64x64xf32>) {
  ^bb0(%in: f32, %res: f32, %out: f32):
    %0 = arith.mulf %in, %half : f32
    %1 = arith.mulf %in, %rsqrt2 : f32
    %2 = math.erf %1 : f32
    %3 = arith.addf %2, %one : f32
    %4 = arith.mulf %0, %3 : f32
    %5 = arith.addf %4, %res : f32
    %6 = arith.negf %5 : f32
    %7 = math.exp %6 : f32
    %8 = arith.addf %7, %one : f32
    %9 = arith.divf %one, %8 : f32
    linalg.yield %9 : f32
  }
  return
}

// -----

// gelu with the tanh approximation, after the bias.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = ["bias", "gelu_tanh"]}
// CHECK-NOT: linalg.
func.func @gelu_tanh(%x: memref<64x128xf32>, %w: memref<128x32xf32>, %b: memref<32xf32>, %y: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %k = arith.constant 0.044715 : f32
  %s = arith.constant 0.797884583 : f32
  %c = memref.alloc() : memref<64x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x32xf32>)
  linalg.matmul ins(%x, %w : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %b : memref<64x32xf32>, memref<32xf32>) outs(%y : memref<64x32xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %v = arith.addf %in, %bias : f32
    %0 = arith.mulf %v, %v : f32
    %1 = arith.mulf %v, %0 : f32
    %2 = arith.mulf %1, %k : f32
    %3 = arith.addf %v, %2 : f32
    %4 = arith.mulf %3, %s : f32
    %5 = math.tanh %4 : f32
    %6 = arith.addf %5, %one : f32
    %7 = arith.mulf %v, %half : f32
    %8 = arith.mulf %7, %6 : f32
    linalg.yield %8 : f32
  }
  return
}

// -----

// The pre-activation is used elsewhere (the gradient of relu reads it): the
// matmul is a call of its own and the loop stays. The call writes the
// result over the buffer (an epilogue of nothing), so its zero fill goes.
// CHECK-LABEL: func.func @pre_activation_used
// CHECK-NOT: linalg.fill
// CHECK: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = []}
// CHECK: linalg.generic
// CHECK: linalg.copy
func.func @pre_activation_used(%x: memref<64x128xf32>, %w: memref<128x32xf32>, %y: memref<64x32xf32>, %pre: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x32xf32>)
  linalg.matmul ins(%x, %w : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<64x32xf32>) outs(%y : memref<64x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    linalg.yield %0 : f32
  }
  linalg.copy ins(%c : memref<64x32xf32>) outs(%pre : memref<64x32xf32>)
  return
}

// -----

// A bias along the rows is no oneDNN bias: a plain call and the loop.
// CHECK-LABEL: func.func @row_bias
// CHECK: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = []}
// CHECK: linalg.generic
func.func @row_bias(%x: memref<64x128xf32>, %w: memref<128x32xf32>, %b: memref<64xf32>, %y: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x32xf32>)
  linalg.matmul ins(%x, %w : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %b : memref<64x32xf32>, memref<64xf32>) outs(%y : memref<64x32xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// exp is no post-op: the loop stays whole.
// CHECK-LABEL: func.func @exp_epilogue
// CHECK: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = []}
// CHECK: linalg.generic
// CHECK: math.exp
func.func @exp_epilogue(%x: memref<64x128xf32>, %w: memref<128x32xf32>, %b: memref<32xf32>, %y: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x32xf32>)
  linalg.matmul ins(%x, %w : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %b : memref<64x32xf32>, memref<32xf32>) outs(%y : memref<64x32xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = math.exp %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// f64: no call at all, and the loop stays.
// CHECK-LABEL: func.func @f64
// CHECK-NOT: call
// CHECK: linalg.matmul
// CHECK: linalg.generic
func.func @f64(%x: memref<64x128xf64>, %w: memref<128x32xf64>, %b: memref<32xf64>, %y: memref<64x32xf64>) {
  %zero = arith.constant 0.0 : f64
  %c = memref.alloc() : memref<64x32xf64>
  linalg.fill ins(%zero : f64) outs(%c : memref<64x32xf64>)
  linalg.matmul ins(%x, %w : memref<64x128xf64>, memref<128x32xf64>) outs(%c : memref<64x32xf64>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %b : memref<64x32xf64>, memref<32xf64>) outs(%y : memref<64x32xf64>) {
  ^bb0(%in: f64, %bias: f64, %out: f64):
    %0 = arith.addf %in, %bias : f64
    %1 = arith.maximumf %0, %zero : f64
    linalg.yield %1 : f64
  }
  return
}

// -----

// Below min-work (1 x 64 x 128 multiply-adds): generated loops, epilogue
// included.
// CHECK-LABEL: func.func @small
// CHECK-NOT: call
// CHECK: linalg.matmul
// CHECK: linalg.generic
func.func @small(%x: memref<1x64xf32>, %w: memref<64x128xf32>, %b: memref<128xf32>, %y: memref<1x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<1x128xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<1x128xf32>)
  linalg.matmul ins(%x, %w : memref<1x64xf32>, memref<64x128xf32>) outs(%c : memref<1x128xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %b : memref<1x128xf32>, memref<128xf32>) outs(%y : memref<1x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Between the matmul and its epilogue a loop overwrites the matmul's input:
// the call cannot move to the epilogue's place.
// CHECK-LABEL: func.func @input_overwritten
// CHECK: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = []}
// CHECK: linalg.generic
func.func @input_overwritten(%x: memref<64x128xf32>, %w: memref<128x32xf32>, %b: memref<32xf32>, %y: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x32xf32>)
  linalg.matmul ins(%x, %w : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  linalg.fill ins(%zero : f32) outs(%x : memref<64x128xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %b : memref<64x32xf32>, memref<32xf32>) outs(%y : memref<64x32xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// The residual is the output buffer itself (bufferization wrote in place):
// oneDNN's sum post-op, which reads the output before the call overwrites it.
// CHECK-LABEL: func.func @sum_in_place
// CHECK: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = ["bias", "sum", "relu"]}
func.func @sum_in_place(%x: memref<64x128xf32>, %w: memref<128x32xf32>, %b: memref<32xf32>, %y: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x32xf32>)
  linalg.matmul ins(%x, %w : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %b, %y : memref<64x32xf32>, memref<32xf32>, memref<64x32xf32>) outs(%y : memref<64x32xf32>) {
  ^bb0(%in: f32, %bias: f32, %res: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.addf %0, %res : f32
    %2 = arith.maximumf %1, %zero : f32
    linalg.yield %2 : f32
  }
  return
}
