// RUN: kiln-opt %s -split-input-file -kiln-decompose | FileCheck %s

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<4x10xf32>)
// CHECK: %[[MAX:.+]] = kiln.reduce_max %[[X]] dims = [1] keepdim : tensor<4x10xf32>
// CHECK: %[[MAXB:.+]] = kiln.broadcast_to %[[MAX]] : tensor<4x1xf32> -> tensor<4x10xf32>
// CHECK: %[[SHIFTED:.+]] = kiln.sub %[[X]], %[[MAXB]]
// CHECK: %[[EXP:.+]] = kiln.exp %[[SHIFTED]]
// CHECK: %[[SUM:.+]] = kiln.reduce_sum %[[EXP]] dims = [1] keepdim
// CHECK: %[[SUMB:.+]] = kiln.broadcast_to %[[SUM]] : tensor<4x1xf32> -> tensor<4x10xf32>
// CHECK: %[[P:.+]] = kiln.div %[[EXP]], %[[SUMB]]
// CHECK-NOT: kiln.softmax
// CHECK: return %[[P]]
func.func @softmax(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = kiln.softmax %x dim = 1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK-SAME: (%[[X:.+]]: tensor<4x10xf64>)
// CHECK: %[[MAX:.+]] = kiln.reduce_max %[[X]] dims = [0] keepdim
// CHECK: %[[MAXB:.+]] = kiln.broadcast_to %[[MAX]] : tensor<1x10xf64> -> tensor<4x10xf64>
// CHECK: %[[SHIFTED:.+]] = kiln.sub %[[X]], %[[MAXB]]
// CHECK: %[[EXP:.+]] = kiln.exp %[[SHIFTED]]
// CHECK: %[[SUM:.+]] = kiln.reduce_sum %[[EXP]] dims = [0] keepdim
// CHECK: %[[SUMB:.+]] = kiln.broadcast_to %[[SUM]]
// CHECK: %[[LOG:.+]] = kiln.log %[[SUMB]]
// CHECK: %[[R:.+]] = kiln.sub %[[SHIFTED]], %[[LOG]]
// CHECK: return %[[R]]
func.func @log_softmax(%x: tensor<4x10xf64>) -> tensor<4x10xf64> {
  %0 = kiln.log_softmax %x dim = 0 : tensor<4x10xf64>
  return %0 : tensor<4x10xf64>
}

// -----

// Mean and biased variance over the trailing dimension, then the affine.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x8xf32>, %[[W:.+]]: tensor<8xf32>, %[[B:.+]]: tensor<8xf32>)
// CHECK: %[[S:.+]] = kiln.reduce_sum %[[X]] dims = [2] keepdim
// CHECK: %[[N:.+]] = kiln.constant dense<1.250000e-01> : tensor<2x3x1xf32>
// CHECK: %[[MEAN:.+]] = kiln.mul %[[S]], %[[N]]
// CHECK: %[[MEANB:.+]] = kiln.broadcast_to %[[MEAN]]
// CHECK: %[[C:.+]] = kiln.sub %[[X]], %[[MEANB]]
// CHECK: %[[SQ:.+]] = kiln.mul %[[C]], %[[C]]
// CHECK: %[[VS:.+]] = kiln.reduce_sum %[[SQ]] dims = [2] keepdim
// CHECK: %[[VAR:.+]] = kiln.mul %[[VS]]
// CHECK: %[[EPS:.+]] = kiln.constant dense<9.99999974E-6> : tensor<2x3x1xf32>
// CHECK: %[[VE:.+]] = kiln.add %[[VAR]], %[[EPS]]
// CHECK: %[[RSTD:.+]] = kiln.rsqrt %[[VE]]
// CHECK: %[[RSTDB:.+]] = kiln.broadcast_to %[[RSTD]]
// CHECK: %[[NORM:.+]] = kiln.mul %[[C]], %[[RSTDB]]
// CHECK: %[[WB:.+]] = kiln.broadcast_to %[[W]] : tensor<8xf32> -> tensor<2x3x8xf32>
// CHECK: %[[SCALED:.+]] = kiln.mul %[[NORM]], %[[WB]]
// CHECK: %[[BB:.+]] = kiln.broadcast_to %[[B]] : tensor<8xf32> -> tensor<2x3x8xf32>
// CHECK: %[[Y:.+]] = kiln.add %[[SCALED]], %[[BB]]
// CHECK: return %[[Y]]
func.func @layer_norm(%x: tensor<2x3x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %0 = kiln.layer_norm %x, %w, %b axis = 2 eps = 1.0e-05 : tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// Statistics over every dimension but the channels; they come back as [C].
// CHECK-LABEL: func.func @batch_norm_training
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4x4xf32>, %[[W:.+]]: tensor<3xf32>, %[[B:.+]]: tensor<3xf32>)
// CHECK: %[[S:.+]] = kiln.reduce_sum %[[X]] dims = [0, 2, 3] keepdim
// CHECK: kiln.constant dense<3.125000e-02> : tensor<1x3x1x1xf32>
// CHECK: %[[MEAN:.+]] = kiln.mul %[[S]]
// CHECK: %[[VAR:.+]] = kiln.mul %{{.+}}, %{{.+}} : tensor<1x3x1x1xf32>
// CHECK: %[[WR:.+]] = kiln.reshape %[[W]] : tensor<3xf32> -> tensor<1x3x1x1xf32>
// CHECK: %[[BR:.+]] = kiln.reshape %[[B]] : tensor<3xf32> -> tensor<1x3x1x1xf32>
// CHECK: %[[Y:.+]] = kiln.add
// CHECK: %[[M:.+]] = kiln.reshape %[[MEAN]] : tensor<1x3x1x1xf32> -> tensor<3xf32>
// CHECK: %[[V:.+]] = kiln.reshape %[[VAR]] : tensor<1x3x1x1xf32> -> tensor<3xf32>
// CHECK: return %[[Y]], %[[M]], %[[V]]
func.func @batch_norm_training(%x: tensor<2x3x4x4xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %m, %v = kiln.batch_norm_training %x, %w, %b eps = 1.0e-05 : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>
  return %y, %m, %v : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Running statistics fold into one scale and shift per channel.
// CHECK-LABEL: func.func @batch_norm_inference
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4x4xf32>, %[[W:.+]]: tensor<3xf32>, %[[B:.+]]: tensor<3xf32>, %[[M:.+]]: tensor<3xf32>, %[[V:.+]]: tensor<3xf32>)
// CHECK: %[[EPS:.+]] = kiln.constant dense<1.000000e-03> : tensor<3xf32>
// CHECK: %[[VE:.+]] = kiln.add %[[V]], %[[EPS]] : tensor<3xf32>
// CHECK: %[[RSTD:.+]] = kiln.rsqrt %[[VE]] : tensor<3xf32>
// CHECK: %[[SCALE:.+]] = kiln.mul %[[W]], %[[RSTD]] : tensor<3xf32>
// CHECK: %[[MS:.+]] = kiln.mul %[[M]], %[[SCALE]] : tensor<3xf32>
// CHECK: %[[SHIFT:.+]] = kiln.sub %[[B]], %[[MS]] : tensor<3xf32>
// CHECK: %[[SR:.+]] = kiln.reshape %[[SCALE]] : tensor<3xf32> -> tensor<1x3x1x1xf32>
// CHECK: %[[SB:.+]] = kiln.broadcast_to %[[SR]]
// CHECK: %[[XS:.+]] = kiln.mul %[[X]], %[[SB]]
// CHECK: %[[TR:.+]] = kiln.reshape %[[SHIFT]]
// CHECK: %[[TB:.+]] = kiln.broadcast_to %[[TR]]
// CHECK: %[[Y:.+]] = kiln.add %[[XS]], %[[TB]]
// CHECK: return %[[Y]]
func.func @batch_norm_inference(%x: tensor<2x3x4x4xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  %0 = kiln.batch_norm_inference %x, %w, %b, %m, %v eps = 1.0e-03 : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// -----

// Primitive ops pass through untouched.
// CHECK-LABEL: func.func @untouched
// CHECK-NEXT: %[[R:.+]] = kiln.relu %{{.+}} : tensor<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @untouched(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kiln.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
