// RUN: kiln-opt %s -split-input-file -kiln-autodiff -verify-diagnostics

// kiln.fusion has no gradient: on the path from a differentiated input to
// the output it is an error, reported at the op.
func.func private @fused(%x: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{kiln-autodiff: 'kiln.fusion' has no gradient}}
  %y = kiln.fusion ins(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %e = kiln.exp %a : tensor<4xf32>
    kiln.yield %e : tensor<4xf32>
  }
  %l = kiln.reduce_sum %y dims = [0] : tensor<4xf32>
  return %l : tensor<f32>
}
func.func @grad_fused(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-note @+1 {{while differentiating @fused here}}
  %l, %dx = kiln.grad @fused(%x) wrt [0] : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %dx : tensor<4xf32>
}

// -----

// Calls are inlined, but a call of a declaration has no body to inline.
func.func private @external(%x: tensor<4xf32>) -> tensor<4xf32>
func.func private @calls_external(%x: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{kiln-autodiff: 'func.call' has no gradient}}
  %y = func.call @external(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %l = kiln.reduce_sum %y dims = [0] : tensor<4xf32>
  return %l : tensor<f32>
}
func.func @grad_calls_external(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-note @+1 {{while differentiating @calls_external here}}
  %l, %dx = kiln.grad @calls_external(%x) wrt [0] : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %dx : tensor<4xf32>
}

// -----

func.func private @declared(%x: tensor<4xf32>) -> tensor<f32>
func.func @grad_declared(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.grad' op kiln-autodiff: @declared has no body to differentiate}}
  %l, %dx = kiln.grad @declared(%x) wrt [0] : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %dx : tensor<4xf32>
}

// -----

func.func private @self(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'kiln.grad' op kiln-autodiff: @self differentiates itself (directly or through the functions it differentiates)}}
  %l, %dx = kiln.grad @self(%x) wrt [0] : (tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %dx : tensor<f32>
}

// -----

// @first differentiates @second, which differentiates @first.
func.func private @first(%x: tensor<f32>) -> tensor<f32> {
  %l, %dx = kiln.grad @second(%x) wrt [0] : (tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %dx : tensor<f32>
}
func.func private @second(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'kiln.grad' op kiln-autodiff: @first differentiates itself (directly or through the functions it differentiates)}}
  %l, %dx = kiln.grad @first(%x) wrt [0] : (tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %dx : tensor<f32>
}

// -----

func.func private @recursive(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{kiln-autodiff: cannot differentiate through the recursive call of @recursive}}
  %y = func.call @recursive(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
func.func private @calls_recursive(%x: tensor<4xf32>) -> tensor<f32> {
  %y = func.call @recursive(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %l = kiln.reduce_sum %y dims = [0] : tensor<4xf32>
  return %l : tensor<f32>
}
func.func @grad_calls_recursive(%x: tensor<4xf32>) -> tensor<4xf32> {
  %l, %dx = kiln.grad @calls_recursive(%x) wrt [0] : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %dx : tensor<4xf32>
}

// -----

// A custom function whose backward is the function being differentiated:
// its adjoint would call itself.
func.func private @own_backward(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{kiln-autodiff: cannot differentiate through the recursive call of @own_backward}}
  %r = kiln.custom_vjp @own_backward(%x : tensor<4xf32>) outputs(%x : tensor<4xf32>)
      gradients [0] -> tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func @grad_own_backward(%x: tensor<4xf32>, %s: tensor<4xf32>) -> tensor<4xf32> {
  %r, %dx = kiln.grad @own_backward(%x) seed(%s : tensor<4xf32>) wrt [0] : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %dx : tensor<4xf32>
}
