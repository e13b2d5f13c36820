// Input for cli.mlir: type inference rejects the matmul while parsing.
func.func @bad_matmul(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %y = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32>
  return %y : tensor<2x5xf32>
}
