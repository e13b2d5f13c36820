// RUN: kiln-opt %s -kiln-library-calls -split-input-file | FileCheck %s
// RUN: kiln-opt %s -kiln-library-calls=min-work=1 -split-input-file | FileCheck %s --check-prefix=ALL

// An f32 matmul of enough work calls oneDNN through the runtime, its
// operands cast to the one strided type the entry point takes.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[A:.*]] = memref.cast %{{.*}} : memref<64x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @kiln_matmul_f32(%[[A]], %{{.*}}, %{{.*}})
// CHECK-NOT: linalg.matmul
// CHECK: func.func private @kiln_matmul_f32({{.*}}) attributes {llvm.emit_c_interface}
func.func @matmul(%a: memref<64x128xf32>, %b: memref<128x32xf32>, %c: memref<64x32xf32>) {
  linalg.matmul ins(%a, %b : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  return
}

// -----

// A small one stays loops: 1 x 64 x 128 multiply-adds are done before a
// call would have dispatched. min-work=1 calls anyway.
// CHECK-LABEL: func.func @small
// CHECK: linalg.matmul
// ALL-LABEL: func.func @small
// ALL: call @kiln_matmul_f32
func.func @small(%a: memref<1x64xf32>, %b: memref<64x128xf32>, %c: memref<1x128xf32>) {
  linalg.matmul ins(%a, %b : memref<1x64xf32>, memref<64x128xf32>) outs(%c : memref<1x128xf32>)
  return
}

// -----

// Other element types keep their loops.
// CHECK-LABEL: func.func @f64
// CHECK: linalg.batch_matmul
// CHECK-NOT: call
func.func @f64(%a: memref<4x64x64xf64>, %b: memref<4x64x64xf64>, %c: memref<4x64x64xf64>) {
  linalg.batch_matmul ins(%a, %b : memref<4x64x64xf64>, memref<4x64x64xf64>) outs(%c : memref<4x64x64xf64>)
  return
}

// -----

// A convolution passes its strides and dilations after the buffers.
// CHECK-LABEL: func.func @conv
// CHECK: %[[SH:.*]] = arith.constant 2 : i64
// CHECK: %[[SW:.*]] = arith.constant 2 : i64
// CHECK: %[[DH:.*]] = arith.constant 1 : i64
// CHECK: %[[DW:.*]] = arith.constant 1 : i64
// CHECK: call @kiln_conv2d_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[SH]], %[[SW]], %[[DH]], %[[DW]])
func.func @conv(%x: memref<8x3x33x33xf32>, %w: memref<16x3x3x3xf32>, %y: memref<8x16x16x16xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<8x3x33x33xf32>, memref<16x3x3x3xf32>) outs(%y : memref<8x16x16x16xf32>)
  return
}
