// A training step returns the loss and its gradient: the loss is traced once
// by the forward and once inside the function the gradient request
// differentiates. After autodiff the two copies merge, so the forward runs
// once.
// RUN: kiln dump --stage=autodiff %s | FileCheck %s

// CHECK-LABEL: func.func @step
// CHECK-COUNT-1: kiln.tanh
// CHECK-NOT: kiln.tanh
// CHECK: return

func.func private @loss(%x: tensor<4xf32>) -> tensor<f32> {
  %0 = kiln.tanh %x : tensor<4xf32>
  %1 = kiln.reduce_sum %0 dims = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

func.func @step(%x: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  %0 = kiln.tanh %x : tensor<4xf32>
  %l = kiln.reduce_sum %0 dims = [0] : tensor<4xf32>
  %l2, %g = kiln.grad @loss(%x) wrt [0] : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %l, %g : tensor<f32>, tensor<4xf32>
}
