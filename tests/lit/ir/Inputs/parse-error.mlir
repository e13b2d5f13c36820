// Input for cli.mlir: not valid MLIR syntax (the type is not closed).
func.func @unclosed(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = kiln.exp %x : tensor<4xf32
  return %y : tensor<4xf32>
}
