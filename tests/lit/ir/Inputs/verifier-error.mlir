// Input for cli.mlir: parses, but a verifier rejects the reshape.
func.func @bad_reshape(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  %y = kiln.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return %y : tensor<7xf32>
}
