// Each temporary is 800 GB, fine alone; unfused they are live at once.
func.func @main(%x: tensor<1xf32>) -> tensor<f32> {
  %a = kiln.broadcast_to %x : tensor<1xf32> -> tensor<200000000000xf32>
  %b = kiln.exp %a : tensor<200000000000xf32>
  %c = kiln.add %a, %b : tensor<200000000000xf32>
  %s = kiln.reduce_sum %c dims = [0] : tensor<200000000000xf32>
  return %s : tensor<f32>
}
