// `kiln dump --stage=S` prints the IR after each compiler stage.
// RUN: kiln dump %s | FileCheck %s --check-prefix=TRACED
// RUN: kiln dump --stage=autodiff %s | FileCheck %s --check-prefix=AUTODIFF
// RUN: kiln dump --stage=decomposed %s | FileCheck %s --check-prefix=DECOMPOSED
// RUN: kiln dump --stage=lowered %s | FileCheck %s --check-prefix=LOWERED
// RUN: kiln dump --stage=planned %s | FileCheck %s --check-prefix=PLANNED
// RUN: kiln dump --stage=llvm %s | FileCheck %s --check-prefix=LLVM
// RUN: kiln dump --stage=fused %s | FileCheck %s --check-prefix=FUSED
// RUN: not kiln dump --stage=bogus %s 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: kiln dump --stage=all %s | FileCheck %s --check-prefix=ALL
// RUN: not kiln dump --stage=all --format=dot %s 2>&1 | FileCheck %s --check-prefix=ALL-DOT

// TRACED: kiln.grad @loss
// TRACED: kiln.softmax

// AUTODIFF-NOT: kiln.grad
// AUTODIFF-NOT: @loss
// AUTODIFF: func.func @step
// AUTODIFF: kiln.tanh
// AUTODIFF: kiln.softmax

// DECOMPOSED-NOT: kiln.softmax
// DECOMPOSED: kiln.reduce_max

// FUSED: kiln.fusion
// FUSED: kiln.yield

// LOWERED-NOT: kiln.
// LOWERED: linalg.generic
// LOWERED: math.tanh

// PLANNED: func.func @step({{.*}}memref<4xf32>{{.*}}memref<{{[0-9]+}}xi8>)
// PLANNED-SAME: kiln.arena_bytes
// PLANNED: memref.view

// Each buffer is one pointer (its shape is in the type): no descriptors, no
// C interface wrapper.
// LLVM-NOT: _mlir_ciface_step
// LLVM: llvm.func @step(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr
// LLVM-NOT: _mlir_ciface_step

// BAD: kiln dump: unknown stage 'bogus'

// Every stage in pipeline order, each from the input.
// ALL: // ===== stage traced =====
// ALL: kiln.grad @loss
// ALL: // ===== stage autodiff =====
// ALL-NOT: kiln.grad
// ALL: // ===== stage decomposed =====
// ALL: kiln.reduce_max
// ALL: // ===== stage fused =====
// ALL: kiln.fusion
// ALL: // ===== stage lowered =====
// ALL: linalg.generic
// ALL: // ===== stage planned =====
// ALL: memref.view
// ALL: // ===== stage llvm =====
// ALL: llvm.func @step
// ALL-DOT: kiln dump: --stage=all prints MLIR, not dot

func.func private @loss(%x: tensor<4xf32>) -> tensor<f32> {
  %0 = kiln.tanh %x : tensor<4xf32>
  %1 = kiln.reduce_sum %0 dims = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

func.func @step(%x: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>, tensor<4xf32>) {
  %l, %g = kiln.grad @loss(%x) wrt [0] : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  %p = kiln.softmax %g dim = 0 : tensor<4xf32>
  return %l, %g, %p : tensor<f32>, tensor<4xf32>, tensor<4xf32>
}
