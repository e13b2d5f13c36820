// Splat constants never become globals of their full size. A loop that
// reads one reads its scalar, with or without fusion; one that a library
// call reads or the program returns is filled in place. (MLIR 19 writes a
// global of negative zeros as zero bits, so -0.0 checks the sign is kept.)
// RUN: kiln dump --stage=planned --no-fusion %s | FileCheck %s
// RUN: kiln dump --stage=planned %s | FileCheck %s --check-prefix=FUSED
// RUN: kiln dump --stage=llvm --no-fusion %s | FileCheck %s --check-prefix=LLVM

// CHECK-NOT: memref.global
// FUSED-NOT: memref.global
// LLVM-NOT: llvm.mlir.global

// With fusion off, each op is a loop of its own, reading the constant's
// scalar rather than an array.
// CHECK-LABEL: func.func @divide
// CHECK: %[[NEG:.*]] = arith.constant -0.000000e+00 : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{[a-z0-9_]*}} : memref<8xf32>) outs
// CHECK: arith.divf %{{.*}}, %[[NEG]] : f32
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{[a-z0-9_]*}} : memref<8xf32>) outs
// CHECK: arith.addf %{{.*}}, %[[ONE]] : f32
// FUSED-LABEL: func.func @divide
// FUSED: linalg.generic
// FUSED-NOT: linalg.generic
// FUSED: return
func.func @divide(%x: tensor<8xf32>) -> tensor<8xf32> {
  %z = kiln.constant dense<-0.0> : tensor<8xf32>
  %q = kiln.div %x, %z : tensor<8xf32>
  %one = kiln.constant dense<1.0> : tensor<8xf32>
  %r = kiln.add %q, %one : tensor<8xf32>
  return %r : tensor<8xf32>
}

// A returned constant is a fill of the result, sign and all.
// CHECK-LABEL: func.func @negative_zeros
// CHECK: %[[NEG:.*]] = arith.constant -0.000000e+00 : f32
// CHECK: linalg.fill ins(%[[NEG]] : f32) outs(%{{.*}} : memref<1024xf32>)
// FUSED-LABEL: func.func @negative_zeros
// FUSED: linalg.fill ins(%{{.*}} : f32)
func.func @negative_zeros() -> tensor<1024xf32> {
  %z = kiln.constant dense<-0.0> : tensor<1024xf32>
  return %z : tensor<1024xf32>
}

// A constant operand of a library call is filled into a temporary first.
// CHECK-LABEL: func.func @matmul_ones
// CHECK: linalg.fill
// CHECK: call @kiln_matmul
// FUSED-LABEL: func.func @matmul_ones
// FUSED: linalg.fill
// FUSED: call @kiln_matmul
func.func @matmul_ones(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %w = kiln.constant dense<1.0> : tensor<64x64xf32>
  %y = kiln.matmul %x, %w : tensor<64x64xf32>, tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}

// A reduction of a constant keeps its input: nothing else gives its loops
// their bounds.
// CHECK-LABEL: func.func @sum_of_constant
// CHECK: linalg.fill
// CHECK: linalg.generic
func.func @sum_of_constant() -> tensor<f32> {
  %c = kiln.constant dense<2.0> : tensor<16xf32>
  %s = kiln.reduce_sum %c dims = [0] : tensor<16xf32>
  return %s : tensor<f32>
}
