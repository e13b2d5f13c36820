// RUN: kiln-opt %s -split-input-file -kiln-autodiff | FileCheck %s

// A broadcast add: the bias gradient sums the broadcast dimension away. The
// callee stays for its other users.
// CHECK-LABEL: func.func private @add_bcast
// CHECK: kiln.add
// CHECK-LABEL: func.func @grad_add_bcast
// CHECK-SAME: (%[[X:.+]]: tensor<4x3xf32>, %[[B:.+]]: tensor<3xf32>)
// CHECK: %[[BB:.+]] = kiln.broadcast_to %[[B]] : tensor<3xf32> -> tensor<4x3xf32>
// CHECK: %[[S:.+]] = kiln.add %[[X]], %[[BB]] : tensor<4x3xf32>
// CHECK: %[[L:.+]] = kiln.reduce_sum %[[S]] dims = [0, 1] : tensor<4x3xf32>
// CHECK: %[[ONES:.+]] = kiln.constant dense<1.000000e+00> : tensor<4x3xf32>
// CHECK: %[[DB:.+]] = kiln.reduce_sum %[[ONES]] dims = [0] : tensor<4x3xf32>
// CHECK-NOT: kiln.grad
// CHECK: return %[[L]], %[[ONES]], %[[DB]]
func.func private @add_bcast(%x: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<f32> {
  %bb = kiln.broadcast_to %b : tensor<3xf32> -> tensor<4x3xf32>
  %s = kiln.add %x, %bb : tensor<4x3xf32>
  %l = kiln.reduce_sum %s dims = [0, 1] : tensor<4x3xf32>
  return %l : tensor<f32>
}
func.func @grad_add_bcast(%x: tensor<4x3xf32>, %b: tensor<3xf32>)
    -> (tensor<f32>, tensor<4x3xf32>, tensor<3xf32>) {
  %l, %dx, %db = kiln.grad @add_bcast(%x, %b) wrt [0, 1]
      : (tensor<4x3xf32>, tensor<3xf32>) -> (tensor<f32>, tensor<4x3xf32>, tensor<3xf32>)
  return %l, %dx, %db : tensor<f32>, tensor<4x3xf32>, tensor<3xf32>
}

// -----

// A batched matmul with broadcast batch dimensions ([2, 1] and [5]), with a
// seed: dA = seed @ B^T summed over the stretched dimension 1, dB = A^T @ seed
// summed over the added dimension 0.
// CHECK-LABEL: func.func @grad_matmul
// CHECK-SAME: (%[[A:.+]]: tensor<2x1x3x4xf32>, %[[B:.+]]: tensor<5x4x6xf32>, %[[SEED:.+]]: tensor<2x5x3x6xf32>)
// CHECK: %[[Y:.+]] = kiln.matmul %[[A]], %[[B]] : tensor<2x1x3x4xf32>, tensor<5x4x6xf32>
// CHECK: %[[BT:.+]] = kiln.transpose %[[B]], permutation = [0, 2, 1] : tensor<5x4x6xf32>
// CHECK: %[[DAF:.+]] = kiln.matmul %[[SEED]], %[[BT]] : tensor<2x5x3x6xf32>, tensor<5x6x4xf32>
// CHECK: %[[AT:.+]] = kiln.transpose %[[A]], permutation = [0, 1, 3, 2] : tensor<2x1x3x4xf32>
// CHECK: %[[DBF:.+]] = kiln.matmul %[[AT]], %[[SEED]] : tensor<2x1x4x3xf32>, tensor<2x5x3x6xf32>
// CHECK: %[[DAS:.+]] = kiln.reduce_sum %[[DAF]] dims = [1] : tensor<2x5x3x4xf32>
// CHECK: %[[DA:.+]] = kiln.reshape %[[DAS]] : tensor<2x3x4xf32> -> tensor<2x1x3x4xf32>
// CHECK: %[[DB:.+]] = kiln.reduce_sum %[[DBF]] dims = [0] : tensor<2x5x4x6xf32>
// CHECK: return %[[Y]], %[[DA]], %[[DB]]
func.func private @matmul(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %y = kiln.matmul %a, %b : tensor<2x1x3x4xf32>, tensor<5x4x6xf32>
  return %y : tensor<2x5x3x6xf32>
}
func.func @grad_matmul(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>, %seed: tensor<2x5x3x6xf32>)
    -> (tensor<2x5x3x6xf32>, tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) {
  %y, %da, %db = kiln.grad @matmul(%a, %b) seed(%seed : tensor<2x5x3x6xf32>) wrt [0, 1]
      : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>)
      -> (tensor<2x5x3x6xf32>, tensor<2x1x3x4xf32>, tensor<5x4x6xf32>)
  return %y, %da, %db : tensor<2x5x3x6xf32>, tensor<2x1x3x4xf32>, tensor<5x4x6xf32>
}

// -----

// relu passes the cotangent where its input is positive. The forward value
// is computed once and reused; the loss itself is not needed by the caller,
// so nothing of the forward pass but the relu's input remains.
// CHECK-LABEL: func.func @grad_relu
// CHECK-SAME: (%[[X:.+]]: tensor<8xf32>, %[[W:.+]]: tensor<8xf32>)
// CHECK: %[[H:.+]] = kiln.mul %[[X]], %[[W]] : tensor<8xf32>
// CHECK-NOT: kiln.relu
// CHECK: %[[ONES:.+]] = kiln.constant dense<1.000000e+00> : tensor<8xf32>
// CHECK: %[[ZERO:.+]] = kiln.constant dense<0.000000e+00> : tensor<8xf32>
// CHECK: %[[POS:.+]] = kiln.compare gt, %[[H]], %[[ZERO]] : tensor<8xf32>
// CHECK: %[[DH:.+]] = kiln.select %[[POS]], %[[ONES]], %[[ZERO]] : tensor<8xi1>, tensor<8xf32>
// CHECK: %[[DX:.+]] = kiln.mul %[[DH]], %[[W]] : tensor<8xf32>
// CHECK: return %[[DX]]
func.func private @relu(%x: tensor<8xf32>, %w: tensor<8xf32>) -> tensor<f32> {
  %h = kiln.mul %x, %w : tensor<8xf32>
  %r = kiln.relu %h : tensor<8xf32>
  %l = kiln.reduce_sum %r dims = [0] : tensor<8xf32>
  return %l : tensor<f32>
}
func.func @grad_relu(%x: tensor<8xf32>, %w: tensor<8xf32>) -> tensor<8xf32> {
  %l, %dx = kiln.grad @relu(%x, %w) wrt [0]
      : (tensor<8xf32>, tensor<8xf32>) -> (tensor<f32>, tensor<8xf32>)
  return %dx : tensor<8xf32>
}

// -----

// reduce_sum broadcasts the cotangent back over the reduced dimensions.
// CHECK-LABEL: func.func @grad_reduce_sum
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>, %[[SEED:.+]]: tensor<3xf32>)
// CHECK: %[[K:.+]] = kiln.reshape %[[SEED]] : tensor<3xf32> -> tensor<1x3x1xf32>
// CHECK: %[[DX:.+]] = kiln.broadcast_to %[[K]] : tensor<1x3x1xf32> -> tensor<2x3x4xf32>
// CHECK: return %[[DX]]
func.func private @reduce_sum(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %s = kiln.reduce_sum %x dims = [0, 2] : tensor<2x3x4xf32>
  return %s : tensor<3xf32>
}
func.func @grad_reduce_sum(%x: tensor<2x3x4xf32>, %seed: tensor<3xf32>) -> tensor<2x3x4xf32> {
  %s, %dx = kiln.grad @reduce_sum(%x) seed(%seed : tensor<3xf32>) wrt [0]
      : (tensor<2x3x4xf32>) -> (tensor<3xf32>, tensor<2x3x4xf32>)
  return %dx : tensor<2x3x4xf32>
}

// -----

// A two-layer MLP with a mean negative log-likelihood: the forward values
// (the pre-activation, the activation, the log-probabilities) feed the
// adjoints; matmul gradients are products with transposes.
// CHECK-LABEL: func.func @mlp_step
// CHECK-SAME: (%[[W1:.+]]: tensor<4x8xf32>, %[[B1:.+]]: tensor<8xf32>, %[[W2:.+]]: tensor<8x3xf32>, %[[X:.+]]: tensor<2x4xf32>, %[[T:.+]]: tensor<2x3xf32>)
// CHECK: %[[H:.+]] = kiln.matmul %[[X]], %[[W1]]
// CHECK: %[[B1B:.+]] = kiln.broadcast_to %[[B1]]
// CHECK: %[[HB:.+]] = kiln.add %[[H]], %[[B1B]]
// CHECK: %[[A:.+]] = kiln.relu %[[HB]]
// CHECK: %[[LOGITS:.+]] = kiln.matmul %[[A]], %[[W2]]
// CHECK: %[[LOGP:.+]] = kiln.log_softmax %[[LOGITS]] dim = 1
// CHECK: %[[PICKED:.+]] = kiln.mul %[[LOGP]], %[[T]]
// CHECK: %[[TOTAL:.+]] = kiln.reduce_sum %[[PICKED]] dims = [0, 1]
// CHECK: %[[LOSS:.+]] = kiln.mul %[[TOTAL]], %{{.+}} : tensor<f32>
// The loss's cotangent -1/2 reaches log_softmax as -target / 2.
// CHECK: %[[HALF:.+]] = kiln.constant dense<-5.000000e-01> : tensor<2x3xf32>
// CHECK: %[[DLOGP:.+]] = kiln.mul %[[T]], %[[HALF]]
// CHECK: %[[SUM:.+]] = kiln.reduce_sum %[[DLOGP]] dims = [1] keepdim
// CHECK: %[[P:.+]] = kiln.exp %[[LOGP]]
// CHECK: %[[SUMB:.+]] = kiln.broadcast_to %[[SUM]]
// CHECK: %[[PS:.+]] = kiln.mul %[[P]], %[[SUMB]]
// CHECK: %[[DLOGITS:.+]] = kiln.sub %[[DLOGP]], %[[PS]]
// CHECK: %[[W2T:.+]] = kiln.transpose %[[W2]], permutation = [1, 0]
// CHECK: %[[DA:.+]] = kiln.matmul %[[DLOGITS]], %[[W2T]]
// CHECK: %[[AT:.+]] = kiln.transpose %[[A]], permutation = [1, 0]
// CHECK: %[[DW2:.+]] = kiln.matmul %[[AT]], %[[DLOGITS]]
// CHECK: %[[ZERO:.+]] = kiln.constant dense<0.000000e+00> : tensor<2x8xf32>
// CHECK: %[[POS:.+]] = kiln.compare gt, %[[HB]], %[[ZERO]]
// CHECK: %[[DHB:.+]] = kiln.select %[[POS]], %[[DA]], %[[ZERO]]
// CHECK: %[[DB1:.+]] = kiln.reduce_sum %[[DHB]] dims = [0] : tensor<2x8xf32>
// CHECK: %[[XT:.+]] = kiln.transpose %[[X]], permutation = [1, 0]
// CHECK: %[[DW1:.+]] = kiln.matmul %[[XT]], %[[DHB]]
// CHECK: return %[[LOSS]], %[[DW1]], %[[DB1]], %[[DW2]]
func.func private @mlp_loss(%w1: tensor<4x8xf32>, %b1: tensor<8xf32>, %w2: tensor<8x3xf32>,
                            %x: tensor<2x4xf32>, %target: tensor<2x3xf32>) -> tensor<f32> {
  %h = kiln.matmul %x, %w1 : tensor<2x4xf32>, tensor<4x8xf32>
  %b1b = kiln.broadcast_to %b1 : tensor<8xf32> -> tensor<2x8xf32>
  %hb = kiln.add %h, %b1b : tensor<2x8xf32>
  %a = kiln.relu %hb : tensor<2x8xf32>
  %logits = kiln.matmul %a, %w2 : tensor<2x8xf32>, tensor<8x3xf32>
  %logp = kiln.log_softmax %logits dim = 1 : tensor<2x3xf32>
  %picked = kiln.mul %logp, %target : tensor<2x3xf32>
  %total = kiln.reduce_sum %picked dims = [0, 1] : tensor<2x3xf32>
  %scale = kiln.constant dense<-5.000000e-01> : tensor<f32>
  %loss = kiln.mul %total, %scale : tensor<f32>
  return %loss : tensor<f32>
}
func.func @mlp_step(%w1: tensor<4x8xf32>, %b1: tensor<8xf32>, %w2: tensor<8x3xf32>,
                    %x: tensor<2x4xf32>, %target: tensor<2x3xf32>)
    -> (tensor<f32>, tensor<4x8xf32>, tensor<8xf32>, tensor<8x3xf32>) {
  %l, %gw1, %gb1, %gw2 = kiln.grad @mlp_loss(%w1, %b1, %w2, %x, %target) wrt [0, 1, 2]
      : (tensor<4x8xf32>, tensor<8xf32>, tensor<8x3xf32>, tensor<2x4xf32>, tensor<2x3xf32>)
      -> (tensor<f32>, tensor<4x8xf32>, tensor<8xf32>, tensor<8x3xf32>)
  return %l, %gw1, %gb1, %gw2 : tensor<f32>, tensor<4x8xf32>, tensor<8xf32>, tensor<8x3xf32>
}

// -----

// A strided slice: the cotangent is spread `stride` apart (a unit dimension
// padded with stride - 1 zeros, merged), trimmed after its last element, and
// padded into the operand's shape.
// CHECK-LABEL: func.func @grad_strided_slice
// CHECK-SAME: (%[[X:.+]]: tensor<7x8xf32>, %[[SEED:.+]]: tensor<3x3xf32>)
// CHECK: %[[ZERO:.+]] = kiln.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[SPLIT:.+]] = kiln.reshape %[[SEED]] : tensor<3x3xf32> -> tensor<3x1x3x1xf32>
// CHECK: %[[SPREAD:.+]] = kiln.pad %[[SPLIT]], %[[ZERO]] low = [0, 0, 0, 0] high = [0, 1, 0, 2]
// CHECK: %[[MERGED:.+]] = kiln.reshape %[[SPREAD]] : tensor<3x2x3x3xf32> -> tensor<6x9xf32>
// CHECK: %[[TRIMMED:.+]] = kiln.slice %[[MERGED]] start = [0, 0] limit = [5, 7] strides = [1, 1]
// CHECK: %[[DX:.+]] = kiln.pad %[[TRIMMED]], %[[ZERO]] low = [1, 0] high = [1, 1]
// CHECK: return %[[DX]]
func.func private @strided_slice(%x: tensor<7x8xf32>) -> tensor<3x3xf32> {
  %y = kiln.slice %x start = [1, 0] limit = [7, 8] strides = [2, 3] : tensor<7x8xf32>
  return %y : tensor<3x3xf32>
}
func.func @grad_strided_slice(%x: tensor<7x8xf32>, %seed: tensor<3x3xf32>) -> tensor<7x8xf32> {
  %y, %dx = kiln.grad @strided_slice(%x) seed(%seed : tensor<3x3xf32>) wrt [0]
      : (tensor<7x8xf32>) -> (tensor<3x3xf32>, tensor<7x8xf32>)
  return %dx : tensor<7x8xf32>
}

// -----

// Grad of grad: the inner request is expanded first, and its backward ops
// are differentiated like any others, reusing the inner forward and
// backward values: d/dx sum(d/dx sum(tanh x)) = d/dx sum(1 - tanh^2 x) =
// -2 tanh x (1 - tanh^2 x).
// CHECK-LABEL: func.func private @slope
// CHECK-NOT: kiln.grad
// CHECK: return
// CHECK-LABEL: func.func @curvature
// CHECK-SAME: (%[[X:.+]]: tensor<4xf64>)
// CHECK-NOT: kiln.grad
// CHECK: %[[T:.+]] = kiln.tanh %[[X]]
// CHECK: %[[ONE:.+]] = kiln.constant dense<1.000000e+00> : tensor<4xf64>
// CHECK: %[[T2:.+]] = kiln.mul %[[T]], %[[T]]
// CHECK: %[[D:.+]] = kiln.sub %[[ONE]], %[[T2]]
// CHECK: %[[L:.+]] = kiln.reduce_sum %[[D]] dims = [0]
// CHECK: %[[NEG:.+]] = kiln.neg %[[ONE]]
// CHECK: %[[A:.+]] = kiln.mul %[[NEG]], %[[T]]
// CHECK: %[[B:.+]] = kiln.add %[[A]], %[[A]]
// CHECK: %[[DD:.+]] = kiln.mul %[[B]], %[[D]]
// CHECK-NOT: kiln.tanh
// CHECK: return %[[L]], %[[DD]]
func.func private @sum_tanh(%x: tensor<4xf64>) -> tensor<f64> {
  %t = kiln.tanh %x : tensor<4xf64>
  %s = kiln.reduce_sum %t dims = [0] : tensor<4xf64>
  return %s : tensor<f64>
}
func.func private @slope(%x: tensor<4xf64>) -> tensor<f64> {
  %s, %dx = kiln.grad @sum_tanh(%x) wrt [0] : (tensor<4xf64>) -> (tensor<f64>, tensor<4xf64>)
  %l = kiln.reduce_sum %dx dims = [0] : tensor<4xf64>
  return %l : tensor<f64>
}
func.func @curvature(%x: tensor<4xf64>) -> (tensor<f64>, tensor<4xf64>) {
  %l, %ddx = kiln.grad @slope(%x) wrt [0] : (tensor<4xf64>) -> (tensor<f64>, tensor<4xf64>)
  return %l, %ddx : tensor<f64>, tensor<4xf64>
}

// -----

// An input that does not reach the output gets a zero gradient; ops off the
// path (here a fusion, which has no gradient, on an input not
// differentiated) are not differentiated. d/dx sum(x * f) = f.
// CHECK-LABEL: func.func @grad_unused
// CHECK: %[[F:.+]] = kiln.fusion
// CHECK: %[[ZERO:.+]] = kiln.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: return %{{.+}}, %[[F]], %[[ZERO]]
func.func private @unused(%x: tensor<3xf32>, %y: tensor<3xf32>, %z: tensor<3xf32>) -> tensor<f32> {
  %f = kiln.fusion ins(%y : tensor<3xf32>) -> tensor<3xf32> {
  ^bb0(%a: tensor<3xf32>):
    %e = kiln.exp %a : tensor<3xf32>
    kiln.yield %e : tensor<3xf32>
  }
  %p = kiln.mul %x, %f : tensor<3xf32>
  %s = kiln.reduce_sum %p dims = [0] : tensor<3xf32>
  return %s : tensor<f32>
}
func.func @grad_unused(%x: tensor<3xf32>, %y: tensor<3xf32>, %z: tensor<3xf32>)
    -> (tensor<f32>, tensor<3xf32>, tensor<3xf32>) {
  %l, %dx, %dz = kiln.grad @unused(%x, %y, %z) wrt [0, 2]
      : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>, tensor<3xf32>)
  return %l, %dx, %dz : tensor<f32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// A custom function's gradient is its backward function, inlined where the
// adjoint needs it; nothing flows back through its outputs or saved values.
// What remains of the op after expansion is its outputs.
func.func private @exp_backward(%g: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %d = kiln.mul %g, %y : tensor<4xf32>
  return %d : tensor<4xf32>
}
func.func private @custom_loss(%x: tensor<4xf32>) -> tensor<f32> {
  %y = kiln.exp %x : tensor<4xf32>
  %r = kiln.custom_vjp @exp_backward(%x : tensor<4xf32>) outputs(%y : tensor<4xf32>)
      saved(%y : tensor<4xf32>) gradients [0] -> tensor<4xf32>
  %l = kiln.reduce_sum %r dims = [0] : tensor<4xf32>
  return %l : tensor<f32>
}
// CHECK-LABEL: func.func @grad_custom(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4xf32>
// CHECK: %[[Y:.+]] = kiln.exp %[[X]] : tensor<4xf32>
// CHECK: %[[L:.+]] = kiln.reduce_sum %[[Y]] dims = [0]
// CHECK: %[[ONES:.+]] = kiln.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: %[[D:.+]] = kiln.mul %[[ONES]], %[[Y]] : tensor<4xf32>
// CHECK-NOT: kiln.custom_vjp
// CHECK-NOT: call
// CHECK: return %[[L]], %[[D]]
func.func @grad_custom(%x: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  %l, %dx = kiln.grad @custom_loss(%x) wrt [0] : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %l, %dx : tensor<f32>, tensor<4xf32>
}

// -----

// Without a gradient request the op is its outputs.
func.func private @identity_backward(%g: tensor<3xf32>) -> tensor<3xf32> {
  return %g : tensor<3xf32>
}
// CHECK-LABEL: func.func @custom_forward_only(
// CHECK-SAME: %[[X:[^:]+]]: tensor<3xf32>
// CHECK: %[[T:.+]] = kiln.tanh %[[X]]
// CHECK-NOT: kiln.custom_vjp
// CHECK: return %[[T]]
func.func @custom_forward_only(%x: tensor<3xf32>) -> tensor<3xf32> {
  %t = kiln.tanh %x : tensor<3xf32>
  %r = kiln.custom_vjp @identity_backward(%x : tensor<3xf32>) outputs(%t : tensor<3xf32>)
      gradients [0] -> tensor<3xf32>
  return %r : tensor<3xf32>
}
