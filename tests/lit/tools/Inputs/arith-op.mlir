func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant 0 : i64
  return %x : tensor<4xf32>
}
