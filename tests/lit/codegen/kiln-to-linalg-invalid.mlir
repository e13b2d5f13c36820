// RUN: kiln-opt %s -kiln-to-linalg -verify-diagnostics

// Composite ops are decomposed first; on their own they are not lowered.
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{failed to legalize operation 'kiln.softmax'}}
  %0 = kiln.softmax %x dim = 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
