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

// -----

// A transposed copy made only for the matmul (nn::Linear's x @ w.t()) is
// read in place: oneDNN takes the transposed view's strides, and the copy
// and its buffer go. The result, zeroed only for the matmul, is written
// whole by an epilogue of nothing instead of added to.
// CHECK-LABEL: func.func @transposed_weight
// CHECK-NOT: linalg.transpose
// CHECK-NOT: linalg.fill
// CHECK: %[[T:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<32x128xf32> to memref<128x32xf32, strided<[1, 128]>>
// CHECK: %[[B:.*]] = memref.cast %[[T]] : memref<128x32xf32, strided<[1, 128]>> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @kiln_matmul_epilogue_f32(%{{.*}}, %[[B]], {{.*}}) {kiln.epilogue = []}
// CHECK-NOT: linalg.transpose
func.func @transposed_weight(%x: memref<64x128xf32>, %w: memref<32x128xf32>, %y: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %wt = memref.alloc() : memref<128x32xf32>
  linalg.transpose ins(%w : memref<32x128xf32>) outs(%wt : memref<128x32xf32>) permutation = [1, 0]
  %c = memref.alloc() : memref<64x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x32xf32>)
  linalg.matmul ins(%x, %wt : memref<64x128xf32>, memref<128x32xf32>) outs(%c : memref<64x32xf32>)
  linalg.copy ins(%c : memref<64x32xf32>) outs(%y : memref<64x32xf32>)
  return
}

// -----

// The batched form transposes the last two dimensions.
// CHECK-LABEL: func.func @transposed_batch
// CHECK-NOT: linalg.transpose
// CHECK: memref.transpose %{{.*}} (d0, d1, d2) -> (d0, d2, d1) : memref<4x64x96xf32> to memref<4x96x64xf32, strided<[6144, 1, 96]>>
// CHECK: call @kiln_batch_matmul_f32
func.func @transposed_batch(%a: memref<4x64x96xf32>, %b: memref<4x64x80xf32>, %c: memref<4x96x80xf32>) {
  %at = memref.alloc() : memref<4x96x64xf32>
  linalg.transpose ins(%a : memref<4x64x96xf32>) outs(%at : memref<4x96x64xf32>) permutation = [0, 2, 1]
  linalg.batch_matmul ins(%at, %b : memref<4x96x64xf32>, memref<4x64x80xf32>) outs(%c : memref<4x96x80xf32>)
  return
}

// -----

// The copy stays when its source changes before the matmul, or when
// something else reads the copy too. A fill whose zeros something reads
// before the matmul stays, with the plain call that adds to it; so does a
// call without a fill.
// CHECK-LABEL: func.func @transposes_kept
// CHECK: linalg.transpose ins(%[[W:[a-z0-9]*]] : memref<32x128xf32>)
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[W]] : memref<32x128xf32>)
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[Y:[a-z0-9]*]] : memref<64x32xf32>)
// CHECK: linalg.copy ins(%[[Y]]
// CHECK: call @kiln_matmul_f32
// CHECK: linalg.transpose
// CHECK: call @kiln_matmul_f32
// CHECK: linalg.copy
func.func @transposes_kept(%x: memref<64x128xf32>, %w: memref<32x128xf32>, %y: memref<64x32xf32>, %z: memref<64x32xf32>, %keep: memref<128x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %wt = memref.alloc() : memref<128x32xf32>
  linalg.transpose ins(%w : memref<32x128xf32>) outs(%wt : memref<128x32xf32>) permutation = [1, 0]
  linalg.fill ins(%zero : f32) outs(%w : memref<32x128xf32>)
  linalg.fill ins(%zero : f32) outs(%y : memref<64x32xf32>)
  linalg.copy ins(%y : memref<64x32xf32>) outs(%z : memref<64x32xf32>)
  linalg.matmul ins(%x, %wt : memref<64x128xf32>, memref<128x32xf32>) outs(%y : memref<64x32xf32>)
  %wt2 = memref.alloc() : memref<128x32xf32>
  linalg.transpose ins(%w : memref<32x128xf32>) outs(%wt2 : memref<128x32xf32>) permutation = [1, 0]
  linalg.matmul ins(%x, %wt2 : memref<64x128xf32>, memref<128x32xf32>) outs(%z : memref<64x32xf32>)
  linalg.copy ins(%wt2 : memref<128x32xf32>) outs(%keep : memref<128x32xf32>)
  return
}

// -----

// A result zeroed right before the matmul is written whole, an argument
// (the program's output) as much as a temporary.
// CHECK-LABEL: func.func @into_argument
// CHECK-NOT: linalg.fill
// CHECK: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = []}
func.func @into_argument(%x: memref<64x128xf32>, %w: memref<128x32xf32>, %y: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<64x32xf32>)
  linalg.matmul ins(%x, %w : memref<64x128xf32>, memref<128x32xf32>) outs(%y : memref<64x32xf32>)
  return
}
