// A Linear layer with relu and a convolution with bias and relu, as the
// frontend records them: after planning, each contraction is one oneDNN
// call whose kiln.epilogue attribute names what it applies; the weight is
// read through a transposed view, and the padded input's fill and copy are
// the other kernels.
// RUN: kiln dump --stage=planned %s | FileCheck %s

// CHECK-LABEL: func.func @linear
// CHECK-SAME: kiln.kernels = 1
// CHECK-NOT: linalg.transpose
// CHECK: memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<256x784xf32> to memref<784x256xf32, strided<[1, 784]>>
// CHECK: call @kiln_matmul_epilogue_f32({{.*}}) {kiln.epilogue = ["bias", "relu"]}
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @linear(%x: tensor<64x784xf32>, %w: tensor<256x784xf32>, %b: tensor<256xf32>) -> tensor<64x256xf32> {
  %wt = kiln.transpose %w, permutation = [1, 0] : tensor<256x784xf32>
  %y = kiln.matmul %x, %wt : tensor<64x784xf32>, tensor<784x256xf32>
  %bb = kiln.broadcast_to %b : tensor<256xf32> -> tensor<64x256xf32>
  %s = kiln.add %y, %bb : tensor<64x256xf32>
  %r = kiln.relu %s : tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// CHECK-LABEL: func.func @conv
// CHECK-SAME: kiln.kernels = 3
// CHECK: call @kiln_conv2d_epilogue_f32({{.*}}) {kiln.epilogue = ["bias", "relu"]}
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @conv(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<8x16x32x32xf32> {
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
  %b2 = kiln.reshape %b : tensor<16xf32> -> tensor<16x1x1xf32>
  %bb = kiln.broadcast_to %b2 : tensor<16x1x1xf32> -> tensor<8x16x32x32xf32>
  %s = kiln.add %y, %bb : tensor<8x16x32x32xf32>
  %r = kiln.relu %s : tensor<8x16x32x32xf32>
  return %r : tensor<8x16x32x32xf32>
}
