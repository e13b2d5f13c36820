// ===== stage traced =====
module {
  func.func private @loss(%arg0: tensor<64x128xf32>, %arg1: tensor<128xf32>, %arg2: tensor<128x10xf32>, %arg3: tensor<10xf32>, %arg4: tensor<32x64xf32>, %arg5: tensor<32x10xf32>) -> tensor<f32> {
    %0 = kiln.matmul %arg4, %arg0 : tensor<32x64xf32>, tensor<64x128xf32>
    %1 = kiln.broadcast_to %arg1 : tensor<128xf32> -> tensor<32x128xf32>
    %2 = kiln.add %0, %1 : tensor<32x128xf32>
    %3 = kiln.relu %2 : tensor<32x128xf32>
    %4 = kiln.matmul %3, %arg2 : tensor<32x128xf32>, tensor<128x10xf32>
    %5 = kiln.broadcast_to %arg3 : tensor<10xf32> -> tensor<32x10xf32>
    %6 = kiln.add %4, %5 : tensor<32x10xf32>
    %7 = kiln.log_softmax %6 dim = 1 : tensor<32x10xf32>
    %8 = kiln.mul %7, %arg5 : tensor<32x10xf32>
    %9 = kiln.reduce_sum %8 dims = [0, 1] : tensor<32x10xf32>
    %10 = kiln.constant dense<-3.125000e-02> : tensor<f32>
    %11 = kiln.mul %9, %10 : tensor<f32>
    %12 = kiln.constant dense<1.000000e+00> : tensor<f32>
    %13 = kiln.mul %11, %12 : tensor<f32>
    return %13 : tensor<f32>
  }
  func.func @train_step(%arg0: tensor<64x128xf32>, %arg1: tensor<128xf32>, %arg2: tensor<128x10xf32>, %arg3: tensor<10xf32>, %arg4: tensor<32x64xf32>, %arg5: tensor<32x10xf32>, %arg6: tensor<f32>) -> (tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>) {
    %0:5 = kiln.grad @loss(%arg0, %arg1, %arg2, %arg3, %arg4, %arg5) wrt [0, 1, 2, 3] : (tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>, tensor<32x64xf32>, tensor<32x10xf32>) -> (tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>)
    %1 = kiln.fill %arg6 : tensor<f32> -> tensor<64x128xf32>
    %2 = kiln.mul %0#1, %1 : tensor<64x128xf32>
    %3 = kiln.sub %arg0, %2 : tensor<64x128xf32>
    %4 = kiln.fill %arg6 : tensor<f32> -> tensor<128xf32>
    %5 = kiln.mul %0#2, %4 : tensor<128xf32>
    %6 = kiln.sub %arg1, %5 : tensor<128xf32>
    %7 = kiln.fill %arg6 : tensor<f32> -> tensor<128x10xf32>
    %8 = kiln.mul %0#3, %7 : tensor<128x10xf32>
    %9 = kiln.sub %arg2, %8 : tensor<128x10xf32>
    %10 = kiln.fill %arg6 : tensor<f32> -> tensor<10xf32>
    %11 = kiln.mul %0#4, %10 : tensor<10xf32>
    %12 = kiln.sub %arg3, %11 : tensor<10xf32>
    return %0#0, %3, %6, %9, %12 : tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>
  }
}

// ===== stage autodiff =====
module {
  func.func @train_step(%arg0: tensor<64x128xf32>, %arg1: tensor<128xf32>, %arg2: tensor<128x10xf32>, %arg3: tensor<10xf32>, %arg4: tensor<32x64xf32>, %arg5: tensor<32x10xf32>, %arg6: tensor<f32>) -> (tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>) {
    %0 = kiln.matmul %arg4, %arg0 : tensor<32x64xf32>, tensor<64x128xf32>
    %1 = kiln.broadcast_to %arg1 : tensor<128xf32> -> tensor<32x128xf32>
    %2 = kiln.add %0, %1 : tensor<32x128xf32>
    %3 = kiln.relu %2 : tensor<32x128xf32>
    %4 = kiln.matmul %3, %arg2 : tensor<32x128xf32>, tensor<128x10xf32>
    %5 = kiln.broadcast_to %arg3 : tensor<10xf32> -> tensor<32x10xf32>
    %6 = kiln.add %4, %5 : tensor<32x10xf32>
    %7 = kiln.log_softmax %6 dim = 1 : tensor<32x10xf32>
    %8 = kiln.mul %7, %arg5 : tensor<32x10xf32>
    %9 = kiln.reduce_sum %8 dims = [0, 1] : tensor<32x10xf32>
    %10 = kiln.constant dense<-3.125000e-02> : tensor<f32>
    %11 = kiln.mul %9, %10 : tensor<f32>
    %12 = kiln.constant dense<1.000000e+00> : tensor<f32>
    %13 = kiln.mul %11, %12 : tensor<f32>
    %14 = kiln.constant dense<-3.125000e-02> : tensor<32x10xf32>
    %15 = kiln.mul %arg5, %14 : tensor<32x10xf32>
    %16 = kiln.reduce_sum %15 dims = [1] keepdim : tensor<32x10xf32>
    %17 = kiln.exp %7 : tensor<32x10xf32>
    %18 = kiln.broadcast_to %16 : tensor<32x1xf32> -> tensor<32x10xf32>
    %19 = kiln.mul %17, %18 : tensor<32x10xf32>
    %20 = kiln.sub %15, %19 : tensor<32x10xf32>
    %21 = kiln.reduce_sum %20 dims = [0] : tensor<32x10xf32>
    %22 = kiln.transpose %arg2, permutation = [1, 0] : tensor<128x10xf32>
    %23 = kiln.matmul %20, %22 : tensor<32x10xf32>, tensor<10x128xf32>
    %24 = kiln.transpose %3, permutation = [1, 0] : tensor<32x128xf32>
    %25 = kiln.matmul %24, %20 : tensor<128x32xf32>, tensor<32x10xf32>
    %26 = kiln.constant dense<0.000000e+00> : tensor<32x128xf32>
    %27 = kiln.compare gt, %2, %26 : tensor<32x128xf32>
    %28 = kiln.select %27, %23, %26 : tensor<32x128xi1>, tensor<32x128xf32>
    %29 = kiln.reduce_sum %28 dims = [0] : tensor<32x128xf32>
    %30 = kiln.transpose %arg4, permutation = [1, 0] : tensor<32x64xf32>
    %31 = kiln.matmul %30, %28 : tensor<64x32xf32>, tensor<32x128xf32>
    %32 = kiln.fill %arg6 : tensor<f32> -> tensor<64x128xf32>
    %33 = kiln.mul %31, %32 : tensor<64x128xf32>
    %34 = kiln.sub %arg0, %33 : tensor<64x128xf32>
    %35 = kiln.fill %arg6 : tensor<f32> -> tensor<128xf32>
    %36 = kiln.mul %29, %35 : tensor<128xf32>
    %37 = kiln.sub %arg1, %36 : tensor<128xf32>
    %38 = kiln.fill %arg6 : tensor<f32> -> tensor<128x10xf32>
    %39 = kiln.mul %25, %38 : tensor<128x10xf32>
    %40 = kiln.sub %arg2, %39 : tensor<128x10xf32>
    %41 = kiln.fill %arg6 : tensor<f32> -> tensor<10xf32>
    %42 = kiln.mul %21, %41 : tensor<10xf32>
    %43 = kiln.sub %arg3, %42 : tensor<10xf32>
    return %13, %34, %37, %40, %43 : tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>
  }
}

// ===== stage decomposed =====
module {
  func.func @train_step(%arg0: tensor<64x128xf32>, %arg1: tensor<128xf32>, %arg2: tensor<128x10xf32>, %arg3: tensor<10xf32>, %arg4: tensor<32x64xf32>, %arg5: tensor<32x10xf32>, %arg6: tensor<f32>) -> (tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>) {
    %0 = kiln.constant dense<0.000000e+00> : tensor<32x128xf32>
    %1 = kiln.constant dense<-3.125000e-02> : tensor<32x10xf32>
    %2 = kiln.constant dense<-3.125000e-02> : tensor<f32>
    %3 = kiln.matmul %arg4, %arg0 : tensor<32x64xf32>, tensor<64x128xf32>
    %4 = kiln.broadcast_to %arg1 : tensor<128xf32> -> tensor<32x128xf32>
    %5 = kiln.add %3, %4 : tensor<32x128xf32>
    %6 = kiln.relu %5 : tensor<32x128xf32>
    %7 = kiln.matmul %6, %arg2 : tensor<32x128xf32>, tensor<128x10xf32>
    %8 = kiln.broadcast_to %arg3 : tensor<10xf32> -> tensor<32x10xf32>
    %9 = kiln.add %7, %8 : tensor<32x10xf32>
    %10 = kiln.reduce_max %9 dims = [1] keepdim : tensor<32x10xf32>
    %11 = kiln.broadcast_to %10 : tensor<32x1xf32> -> tensor<32x10xf32>
    %12 = kiln.sub %9, %11 : tensor<32x10xf32>
    %13 = kiln.exp %12 : tensor<32x10xf32>
    %14 = kiln.reduce_sum %13 dims = [1] keepdim : tensor<32x10xf32>
    %15 = kiln.broadcast_to %14 : tensor<32x1xf32> -> tensor<32x10xf32>
    %16 = kiln.log %15 : tensor<32x10xf32>
    %17 = kiln.sub %12, %16 : tensor<32x10xf32>
    %18 = kiln.mul %17, %arg5 : tensor<32x10xf32>
    %19 = kiln.reduce_sum %18 dims = [0, 1] : tensor<32x10xf32>
    %20 = kiln.mul %19, %2 : tensor<f32>
    %21 = kiln.mul %arg5, %1 : tensor<32x10xf32>
    %22 = kiln.reduce_sum %21 dims = [1] keepdim : tensor<32x10xf32>
    %23 = kiln.exp %17 : tensor<32x10xf32>
    %24 = kiln.broadcast_to %22 : tensor<32x1xf32> -> tensor<32x10xf32>
    %25 = kiln.mul %23, %24 : tensor<32x10xf32>
    %26 = kiln.sub %21, %25 : tensor<32x10xf32>
    %27 = kiln.reduce_sum %26 dims = [0] : tensor<32x10xf32>
    %28 = kiln.transpose %arg2, permutation = [1, 0] : tensor<128x10xf32>
    %29 = kiln.matmul %26, %28 : tensor<32x10xf32>, tensor<10x128xf32>
    %30 = kiln.transpose %6, permutation = [1, 0] : tensor<32x128xf32>
    %31 = kiln.matmul %30, %26 : tensor<128x32xf32>, tensor<32x10xf32>
    %32 = kiln.compare gt, %5, %0 : tensor<32x128xf32>
    %33 = kiln.select %32, %29, %0 : tensor<32x128xi1>, tensor<32x128xf32>
    %34 = kiln.reduce_sum %33 dims = [0] : tensor<32x128xf32>
    %35 = kiln.transpose %arg4, permutation = [1, 0] : tensor<32x64xf32>
    %36 = kiln.matmul %35, %33 : tensor<64x32xf32>, tensor<32x128xf32>
    %37 = kiln.fill %arg6 : tensor<f32> -> tensor<64x128xf32>
    %38 = kiln.mul %36, %37 : tensor<64x128xf32>
    %39 = kiln.sub %arg0, %38 : tensor<64x128xf32>
    %40 = kiln.fill %arg6 : tensor<f32> -> tensor<128xf32>
    %41 = kiln.mul %34, %40 : tensor<128xf32>
    %42 = kiln.sub %arg1, %41 : tensor<128xf32>
    %43 = kiln.fill %arg6 : tensor<f32> -> tensor<128x10xf32>
    %44 = kiln.mul %31, %43 : tensor<128x10xf32>
    %45 = kiln.sub %arg2, %44 : tensor<128x10xf32>
    %46 = kiln.fill %arg6 : tensor<f32> -> tensor<10xf32>
    %47 = kiln.mul %27, %46 : tensor<10xf32>
    %48 = kiln.sub %arg3, %47 : tensor<10xf32>
    return %20, %39, %42, %45, %48 : tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>
  }
}

// ===== stage fused =====
module {
  func.func @train_step(%arg0: tensor<64x128xf32>, %arg1: tensor<128xf32>, %arg2: tensor<128x10xf32>, %arg3: tensor<10xf32>, %arg4: tensor<32x64xf32>, %arg5: tensor<32x10xf32>, %arg6: tensor<f32>) -> (tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>) {
    %0 = kiln.constant dense<0.000000e+00> : tensor<32x128xf32>
    %1 = kiln.constant dense<-3.125000e-02> : tensor<32x10xf32>
    %2 = kiln.constant dense<-3.125000e-02> : tensor<f32>
    %3 = kiln.matmul %arg4, %arg0 : tensor<32x64xf32>, tensor<64x128xf32>
    %4 = kiln.fusion ins(%arg1, %3 : tensor<128xf32>, tensor<32x128xf32>) -> tensor<32x128xf32> {
    ^bb0(%arg7: tensor<128xf32>, %arg8: tensor<32x128xf32>):
      %30 = kiln.broadcast_to %arg7 : tensor<128xf32> -> tensor<32x128xf32>
      %31 = kiln.add %arg8, %30 : tensor<32x128xf32>
      kiln.yield %31 : tensor<32x128xf32>
    }
    %5 = kiln.relu %4 : tensor<32x128xf32>
    %6 = kiln.matmul %5, %arg2 : tensor<32x128xf32>, tensor<128x10xf32>
    %7 = kiln.fusion ins(%arg3, %6 : tensor<10xf32>, tensor<32x10xf32>) -> tensor<32x10xf32> {
    ^bb0(%arg7: tensor<10xf32>, %arg8: tensor<32x10xf32>):
      %30 = kiln.broadcast_to %arg7 : tensor<10xf32> -> tensor<32x10xf32>
      %31 = kiln.add %arg8, %30 : tensor<32x10xf32>
      kiln.yield %31 : tensor<32x10xf32>
    }
    %8 = kiln.reduce_max %7 dims = [1] keepdim : tensor<32x10xf32>
    %9 = kiln.fusion ins(%8, %7 : tensor<32x1xf32>, tensor<32x10xf32>) -> tensor<32x10xf32> {
    ^bb0(%arg7: tensor<32x1xf32>, %arg8: tensor<32x10xf32>):
      %30 = kiln.broadcast_to %arg7 : tensor<32x1xf32> -> tensor<32x10xf32>
      %31 = kiln.sub %arg8, %30 : tensor<32x10xf32>
      kiln.yield %31 : tensor<32x10xf32>
    }
    %10 = kiln.fusion ins(%9 : tensor<32x10xf32>) -> tensor<32x1xf32> {
    ^bb0(%arg7: tensor<32x10xf32>):
      %30 = kiln.exp %arg7 : tensor<32x10xf32>
      %31 = kiln.reduce_sum %30 dims = [1] keepdim : tensor<32x10xf32>
      kiln.yield %31 : tensor<32x1xf32>
    }
    %11 = kiln.fusion ins(%10, %9 : tensor<32x1xf32>, tensor<32x10xf32>) -> tensor<32x10xf32> {
    ^bb0(%arg7: tensor<32x1xf32>, %arg8: tensor<32x10xf32>):
      %30 = kiln.broadcast_to %arg7 : tensor<32x1xf32> -> tensor<32x10xf32>
      %31 = kiln.log %30 : tensor<32x10xf32>
      %32 = kiln.sub %arg8, %31 : tensor<32x10xf32>
      kiln.yield %32 : tensor<32x10xf32>
    }
    %12 = kiln.fusion ins(%11, %arg5 : tensor<32x10xf32>, tensor<32x10xf32>) -> tensor<f32> {
    ^bb0(%arg7: tensor<32x10xf32>, %arg8: tensor<32x10xf32>):
      %30 = kiln.mul %arg7, %arg8 : tensor<32x10xf32>
      %31 = kiln.reduce_sum %30 dims = [0, 1] : tensor<32x10xf32>
      kiln.yield %31 : tensor<f32>
    }
    %13 = kiln.mul %12, %2 : tensor<f32>
    %14 = kiln.mul %arg5, %1 : tensor<32x10xf32>
    %15 = kiln.reduce_sum %14 dims = [1] keepdim : tensor<32x10xf32>
    %16 = kiln.fusion ins(%11, %15, %14 : tensor<32x10xf32>, tensor<32x1xf32>, tensor<32x10xf32>) -> tensor<32x10xf32> {
    ^bb0(%arg7: tensor<32x10xf32>, %arg8: tensor<32x1xf32>, %arg9: tensor<32x10xf32>):
      %30 = kiln.exp %arg7 : tensor<32x10xf32>
      %31 = kiln.broadcast_to %arg8 : tensor<32x1xf32> -> tensor<32x10xf32>
      %32 = kiln.mul %30, %31 : tensor<32x10xf32>
      %33 = kiln.sub %arg9, %32 : tensor<32x10xf32>
      kiln.yield %33 : tensor<32x10xf32>
    }
    %17 = kiln.reduce_sum %16 dims = [0] : tensor<32x10xf32>
    %18 = kiln.transpose %arg2, permutation = [1, 0] : tensor<128x10xf32>
    %19 = kiln.matmul %16, %18 : tensor<32x10xf32>, tensor<10x128xf32>
    %20 = kiln.transpose %5, permutation = [1, 0] : tensor<32x128xf32>
    %21 = kiln.matmul %20, %16 : tensor<128x32xf32>, tensor<32x10xf32>
    %22 = kiln.fusion ins(%4, %19 : tensor<32x128xf32>, tensor<32x128xf32>) -> tensor<32x128xf32> {
    ^bb0(%arg7: tensor<32x128xf32>, %arg8: tensor<32x128xf32>):
      %30 = kiln.constant dense<0.000000e+00> : tensor<32x128xf32>
      %31 = kiln.compare gt, %arg7, %30 : tensor<32x128xf32>
      %32 = kiln.select %31, %arg8, %30 : tensor<32x128xi1>, tensor<32x128xf32>
      kiln.yield %32 : tensor<32x128xf32>
    }
    %23 = kiln.reduce_sum %22 dims = [0] : tensor<32x128xf32>
    %24 = kiln.transpose %arg4, permutation = [1, 0] : tensor<32x64xf32>
    %25 = kiln.matmul %24, %22 : tensor<64x32xf32>, tensor<32x128xf32>
    %26 = kiln.fusion ins(%arg6, %25, %arg0 : tensor<f32>, tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<64x128xf32> {
    ^bb0(%arg7: tensor<f32>, %arg8: tensor<64x128xf32>, %arg9: tensor<64x128xf32>):
      %30 = kiln.fill %arg7 : tensor<f32> -> tensor<64x128xf32>
      %31 = kiln.mul %arg8, %30 : tensor<64x128xf32>
      %32 = kiln.sub %arg9, %31 : tensor<64x128xf32>
      kiln.yield %32 : tensor<64x128xf32>
    }
    %27 = kiln.fusion ins(%arg6, %23, %arg1 : tensor<f32>, tensor<128xf32>, tensor<128xf32>) -> tensor<128xf32> {
    ^bb0(%arg7: tensor<f32>, %arg8: tensor<128xf32>, %arg9: tensor<128xf32>):
      %30 = kiln.fill %arg7 : tensor<f32> -> tensor<128xf32>
      %31 = kiln.mul %arg8, %30 : tensor<128xf32>
      %32 = kiln.sub %arg9, %31 : tensor<128xf32>
      kiln.yield %32 : tensor<128xf32>
    }
    %28 = kiln.fusion ins(%arg6, %21, %arg2 : tensor<f32>, tensor<128x10xf32>, tensor<128x10xf32>) -> tensor<128x10xf32> {
    ^bb0(%arg7: tensor<f32>, %arg8: tensor<128x10xf32>, %arg9: tensor<128x10xf32>):
      %30 = kiln.fill %arg7 : tensor<f32> -> tensor<128x10xf32>
      %31 = kiln.mul %arg8, %30 : tensor<128x10xf32>
      %32 = kiln.sub %arg9, %31 : tensor<128x10xf32>
      kiln.yield %32 : tensor<128x10xf32>
    }
    %29 = kiln.fusion ins(%arg6, %17, %arg3 : tensor<f32>, tensor<10xf32>, tensor<10xf32>) -> tensor<10xf32> {
    ^bb0(%arg7: tensor<f32>, %arg8: tensor<10xf32>, %arg9: tensor<10xf32>):
      %30 = kiln.fill %arg7 : tensor<f32> -> tensor<10xf32>
      %31 = kiln.mul %arg8, %30 : tensor<10xf32>
      %32 = kiln.sub %arg9, %31 : tensor<10xf32>
      kiln.yield %32 : tensor<10xf32>
    }
    return %13, %26, %27, %28, %29 : tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>
  }
}

// ===== stage lowered =====
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map4 = affine_map<(d0, d1) -> (d0, 0)>
#map5 = affine_map<(d0, d1) -> ()>
#map6 = affine_map<() -> ()>
#map7 = affine_map<(d0) -> (d0)>
module {
  func.func @train_step(%arg0: tensor<64x128xf32>, %arg1: tensor<128xf32>, %arg2: tensor<128x10xf32>, %arg3: tensor<10xf32>, %arg4: tensor<32x64xf32>, %arg5: tensor<32x10xf32>, %arg6: tensor<f32>) -> (tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>) {
    %cst = arith.constant -3.125000e-02 : f32
    %cst_0 = arith.constant 0xFF800000 : f32
    %cst_1 = arith.constant 0.000000e+00 : f32
    %0 = tensor.empty() : tensor<32x128xf32>
    %1 = linalg.fill ins(%cst_1 : f32) outs(%0 : tensor<32x128xf32>) -> tensor<32x128xf32>
    %2 = linalg.matmul ins(%arg4, %arg0 : tensor<32x64xf32>, tensor<64x128xf32>) outs(%1 : tensor<32x128xf32>) -> tensor<32x128xf32>
    %3 = tensor.empty() : tensor<32x128xf32>
    %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%2, %arg1 : tensor<32x128xf32>, tensor<128xf32>) outs(%3 : tensor<32x128xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.addf %in, %in_9 : f32
      linalg.yield %62 : f32
    } -> tensor<32x128xf32>
    %5 = tensor.empty() : tensor<32x128xf32>
    %6 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%4 : tensor<32x128xf32>) outs(%5 : tensor<32x128xf32>) {
    ^bb0(%in: f32, %out: f32):
      %62 = arith.maximumf %in, %cst_1 : f32
      linalg.yield %62 : f32
    } -> tensor<32x128xf32>
    %7 = tensor.empty() : tensor<32x10xf32>
    %8 = linalg.fill ins(%cst_1 : f32) outs(%7 : tensor<32x10xf32>) -> tensor<32x10xf32>
    %9 = linalg.matmul ins(%6, %arg2 : tensor<32x128xf32>, tensor<128x10xf32>) outs(%8 : tensor<32x10xf32>) -> tensor<32x10xf32>
    %10 = tensor.empty() : tensor<32x10xf32>
    %11 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%9, %arg3 : tensor<32x10xf32>, tensor<10xf32>) outs(%10 : tensor<32x10xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.addf %in, %in_9 : f32
      linalg.yield %62 : f32
    } -> tensor<32x10xf32>
    %12 = tensor.empty() : tensor<32x1xf32>
    %13 = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%12 : tensor<32x1xf32>) {
    ^bb0(%out: f32):
      linalg.yield %cst_0 : f32
    } -> tensor<32x1xf32>
    %expanded = tensor.expand_shape %11 [[0, 1], [2]] output_shape [32, 1, 10] : tensor<32x10xf32> into tensor<32x1x10xf32>
    %14 = linalg.generic {indexing_maps = [#map2, #map3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%expanded : tensor<32x1x10xf32>) outs(%13 : tensor<32x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %62 = arith.maximumf %out, %in : f32
      linalg.yield %62 : f32
    } -> tensor<32x1xf32>
    %15 = tensor.empty() : tensor<32x10xf32>
    %16 = linalg.generic {indexing_maps = [#map, #map4, #map], iterator_types = ["parallel", "parallel"]} ins(%11, %14 : tensor<32x10xf32>, tensor<32x1xf32>) outs(%15 : tensor<32x10xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.subf %in, %in_9 : f32
      linalg.yield %62 : f32
    } -> tensor<32x10xf32>
    %17 = tensor.empty() : tensor<32x1xf32>
    %18 = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%17 : tensor<32x1xf32>) {
    ^bb0(%out: f32):
      linalg.yield %cst_1 : f32
    } -> tensor<32x1xf32>
    %expanded_2 = tensor.expand_shape %16 [[0, 1], [2]] output_shape [32, 1, 10] : tensor<32x10xf32> into tensor<32x1x10xf32>
    %19 = linalg.generic {indexing_maps = [#map2, #map3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%expanded_2 : tensor<32x1x10xf32>) outs(%18 : tensor<32x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %62 = math.exp %in : f32
      %63 = arith.addf %out, %62 : f32
      linalg.yield %63 : f32
    } -> tensor<32x1xf32>
    %20 = tensor.empty() : tensor<32x10xf32>
    %21 = linalg.generic {indexing_maps = [#map, #map4, #map], iterator_types = ["parallel", "parallel"]} ins(%16, %19 : tensor<32x10xf32>, tensor<32x1xf32>) outs(%20 : tensor<32x10xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = math.log %in_9 : f32
      %63 = arith.subf %in, %62 : f32
      linalg.yield %63 : f32
    } -> tensor<32x10xf32>
    %22 = tensor.empty() : tensor<f32>
    %23 = linalg.fill ins(%cst_1 : f32) outs(%22 : tensor<f32>) -> tensor<f32>
    %24 = linalg.generic {indexing_maps = [#map, #map, #map5], iterator_types = ["reduction", "reduction"]} ins(%21, %arg5 : tensor<32x10xf32>, tensor<32x10xf32>) outs(%23 : tensor<f32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.mulf %in, %in_9 : f32
      %63 = arith.addf %out, %62 : f32
      linalg.yield %63 : f32
    } -> tensor<f32>
    %25 = tensor.empty() : tensor<f32>
    %26 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = []} ins(%24 : tensor<f32>) outs(%25 : tensor<f32>) {
    ^bb0(%in: f32, %out: f32):
      %62 = arith.mulf %in, %cst : f32
      linalg.yield %62 : f32
    } -> tensor<f32>
    %27 = tensor.empty() : tensor<32x10xf32>
    %28 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg5 : tensor<32x10xf32>) outs(%27 : tensor<32x10xf32>) {
    ^bb0(%in: f32, %out: f32):
      %62 = arith.mulf %in, %cst : f32
      linalg.yield %62 : f32
    } -> tensor<32x10xf32>
    %29 = tensor.empty() : tensor<32x1xf32>
    %30 = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%29 : tensor<32x1xf32>) {
    ^bb0(%out: f32):
      linalg.yield %cst_1 : f32
    } -> tensor<32x1xf32>
    %expanded_3 = tensor.expand_shape %28 [[0, 1], [2]] output_shape [32, 1, 10] : tensor<32x10xf32> into tensor<32x1x10xf32>
    %31 = linalg.generic {indexing_maps = [#map2, #map3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%expanded_3 : tensor<32x1x10xf32>) outs(%30 : tensor<32x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %62 = arith.addf %out, %in : f32
      linalg.yield %62 : f32
    } -> tensor<32x1xf32>
    %32 = tensor.empty() : tensor<32x10xf32>
    %33 = linalg.generic {indexing_maps = [#map, #map, #map4, #map], iterator_types = ["parallel", "parallel"]} ins(%28, %21, %31 : tensor<32x10xf32>, tensor<32x10xf32>, tensor<32x1xf32>) outs(%32 : tensor<32x10xf32>) {
    ^bb0(%in: f32, %in_9: f32, %in_10: f32, %out: f32):
      %62 = math.exp %in_9 : f32
      %63 = arith.mulf %62, %in_10 : f32
      %64 = arith.subf %in, %63 : f32
      linalg.yield %64 : f32
    } -> tensor<32x10xf32>
    %34 = tensor.empty() : tensor<10xf32>
    %35 = linalg.fill ins(%cst_1 : f32) outs(%34 : tensor<10xf32>) -> tensor<10xf32>
    %36 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["reduction", "parallel"]} ins(%33 : tensor<32x10xf32>) outs(%35 : tensor<10xf32>) {
    ^bb0(%in: f32, %out: f32):
      %62 = arith.addf %out, %in : f32
      linalg.yield %62 : f32
    } -> tensor<10xf32>
    %37 = tensor.empty() : tensor<10x128xf32>
    %transposed = linalg.transpose ins(%arg2 : tensor<128x10xf32>) outs(%37 : tensor<10x128xf32>) permutation = [1, 0] 
    %38 = tensor.empty() : tensor<32x128xf32>
    %39 = linalg.fill ins(%cst_1 : f32) outs(%38 : tensor<32x128xf32>) -> tensor<32x128xf32>
    %40 = linalg.matmul ins(%33, %transposed : tensor<32x10xf32>, tensor<10x128xf32>) outs(%39 : tensor<32x128xf32>) -> tensor<32x128xf32>
    %41 = tensor.empty() : tensor<128x32xf32>
    %transposed_4 = linalg.transpose ins(%6 : tensor<32x128xf32>) outs(%41 : tensor<128x32xf32>) permutation = [1, 0] 
    %42 = tensor.empty() : tensor<128x10xf32>
    %43 = linalg.fill ins(%cst_1 : f32) outs(%42 : tensor<128x10xf32>) -> tensor<128x10xf32>
    %44 = linalg.matmul ins(%transposed_4, %33 : tensor<128x32xf32>, tensor<32x10xf32>) outs(%43 : tensor<128x10xf32>) -> tensor<128x10xf32>
    %45 = tensor.empty() : tensor<32x128xf32>
    %46 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%4, %40 : tensor<32x128xf32>, tensor<32x128xf32>) outs(%45 : tensor<32x128xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.cmpf ogt, %in, %cst_1 : f32
      %63 = arith.select %62, %in_9, %cst_1 : f32
      linalg.yield %63 : f32
    } -> tensor<32x128xf32>
    %47 = tensor.empty() : tensor<128xf32>
    %48 = linalg.fill ins(%cst_1 : f32) outs(%47 : tensor<128xf32>) -> tensor<128xf32>
    %49 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["reduction", "parallel"]} ins(%46 : tensor<32x128xf32>) outs(%48 : tensor<128xf32>) {
    ^bb0(%in: f32, %out: f32):
      %62 = arith.addf %out, %in : f32
      linalg.yield %62 : f32
    } -> tensor<128xf32>
    %50 = tensor.empty() : tensor<64x32xf32>
    %transposed_5 = linalg.transpose ins(%arg4 : tensor<32x64xf32>) outs(%50 : tensor<64x32xf32>) permutation = [1, 0] 
    %51 = tensor.empty() : tensor<64x128xf32>
    %52 = linalg.fill ins(%cst_1 : f32) outs(%51 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %53 = linalg.matmul ins(%transposed_5, %46 : tensor<64x32xf32>, tensor<32x128xf32>) outs(%52 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %extracted = tensor.extract %arg6[] : tensor<f32>
    %54 = tensor.empty() : tensor<64x128xf32>
    %55 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg0, %53 : tensor<64x128xf32>, tensor<64x128xf32>) outs(%54 : tensor<64x128xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.mulf %in_9, %extracted : f32
      %63 = arith.subf %in, %62 : f32
      linalg.yield %63 : f32
    } -> tensor<64x128xf32>
    %extracted_6 = tensor.extract %arg6[] : tensor<f32>
    %56 = tensor.empty() : tensor<128xf32>
    %57 = linalg.generic {indexing_maps = [#map7, #map7, #map7], iterator_types = ["parallel"]} ins(%arg1, %49 : tensor<128xf32>, tensor<128xf32>) outs(%56 : tensor<128xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.mulf %in_9, %extracted_6 : f32
      %63 = arith.subf %in, %62 : f32
      linalg.yield %63 : f32
    } -> tensor<128xf32>
    %extracted_7 = tensor.extract %arg6[] : tensor<f32>
    %58 = tensor.empty() : tensor<128x10xf32>
    %59 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg2, %44 : tensor<128x10xf32>, tensor<128x10xf32>) outs(%58 : tensor<128x10xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.mulf %in_9, %extracted_7 : f32
      %63 = arith.subf %in, %62 : f32
      linalg.yield %63 : f32
    } -> tensor<128x10xf32>
    %extracted_8 = tensor.extract %arg6[] : tensor<f32>
    %60 = tensor.empty() : tensor<10xf32>
    %61 = linalg.generic {indexing_maps = [#map7, #map7, #map7], iterator_types = ["parallel"]} ins(%arg3, %36 : tensor<10xf32>, tensor<10xf32>) outs(%60 : tensor<10xf32>) {
    ^bb0(%in: f32, %in_9: f32, %out: f32):
      %62 = arith.mulf %in_9, %extracted_8 : f32
      %63 = arith.subf %in, %62 : f32
      linalg.yield %63 : f32
    } -> tensor<10xf32>
    return %26, %55, %57, %59, %61 : tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>, tensor<10xf32>
  }
}

// ===== stage planned =====
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map3 = affine_map<(d0, d1) -> (d0, 0)>
#map4 = affine_map<(d0, d1) -> ()>
#map5 = affine_map<() -> ()>
#map6 = affine_map<(d0, d1) -> (d1)>
#map7 = affine_map<(d0) -> (d0)>
module {
  func.func @train_step(%arg0: memref<64x128xf32>, %arg1: memref<128xf32>, %arg2: memref<128x10xf32>, %arg3: memref<10xf32>, %arg4: memref<32x64xf32>, %arg5: memref<32x10xf32>, %arg6: memref<f32>, %arg7: memref<f32>, %arg8: memref<64x128xf32>, %arg9: memref<128xf32>, %arg10: memref<128x10xf32>, %arg11: memref<10xf32>, %arg12: memref<55616xi8>) attributes {kiln.arena_buffers = [array<i64: 16384, 3, 67, 32768>, array<i64: 16384, 11, 65, 0>, array<i64: 1280, 13, 26, 16384>, array<i64: 128, 21, 26, 18944>, array<i64: 1280, 25, 32, 17664>, array<i64: 128, 27, 32, 18944>, array<i64: 1280, 31, 44, 16384>, array<i64: 4, 33, 36, 17664>, array<i64: 1280, 37, 44, 17664>, array<i64: 128, 39, 44, 49152>, array<i64: 1280, 43, 65, 54272>, array<i64: 40, 45, 87, 55552>, array<i64: 16384, 48, 67, 16384>, array<i64: 5120, 57, 85, 49152>, array<i64: 16384, 66, 79, 32768>, array<i64: 512, 68, 83, 54272>, array<i64: 32768, 71, 81, 0>], kiln.arena_bytes = 55616 : i64, kiln.arena_lower_bound = 55616 : i64, kiln.arena_naive_bytes = 94464 : i64, kiln.kernels = 28 : i64} {
    %cst = arith.constant -3.125000e-02 : f32
    %cst_0 = arith.constant 0xFF800000 : f32
    %cst_1 = arith.constant 0.000000e+00 : f32
    %c32768 = arith.constant 32768 : index
    %view = memref.view %arg12[%c32768][] : memref<55616xi8> to memref<32x128xf32>
    %cast = memref.cast %arg4 : memref<32x64xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_2 = memref.cast %arg0 : memref<64x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_3 = memref.cast %view : memref<32x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_4 = memref.cast %arg1 : memref<128xf32> to memref<?xf32, strided<[?], offset: ?>>
    %cast_5 = memref.cast %view : memref<32x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %c0_i64 = arith.constant 0 : i64
    call @kiln_matmul_epilogue_f32(%cast, %cast_2, %cast_3, %cast_4, %cast_5, %c0_i64) {kiln.epilogue = ["bias"]} : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64) -> ()
    %c0 = arith.constant 0 : index
    %view_6 = memref.view %arg12[%c0][] : memref<55616xi8> to memref<32x128xf32>
    linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%view : memref<32x128xf32>) outs(%view_6 : memref<32x128xf32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = arith.maximumf %in, %cst_1 : f32
      linalg.yield %4 : f32
    }
    %c16384 = arith.constant 16384 : index
    %view_7 = memref.view %arg12[%c16384][] : memref<55616xi8> to memref<32x10xf32>
    %cast_8 = memref.cast %view_6 : memref<32x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_9 = memref.cast %arg2 : memref<128x10xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_10 = memref.cast %view_7 : memref<32x10xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_11 = memref.cast %arg3 : memref<10xf32> to memref<?xf32, strided<[?], offset: ?>>
    %cast_12 = memref.cast %view_7 : memref<32x10xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %c0_i64_13 = arith.constant 0 : i64
    call @kiln_matmul_epilogue_f32(%cast_8, %cast_9, %cast_10, %cast_11, %cast_12, %c0_i64_13) {kiln.epilogue = ["bias"]} : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64) -> ()
    %c18944 = arith.constant 18944 : index
    %view_14 = memref.view %arg12[%c18944][] : memref<55616xi8> to memref<32x1xf32>
    linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%view_14 : memref<32x1xf32>) {
    ^bb0(%out: f32):
      linalg.yield %cst_0 : f32
    }
    %expand_shape = memref.expand_shape %view_7 [[0, 1], [2]] output_shape [32, 1, 10] : memref<32x10xf32> into memref<32x1x10xf32>
    linalg.generic {indexing_maps = [#map1, #map2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%expand_shape : memref<32x1x10xf32>) outs(%view_14 : memref<32x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = arith.maximumf %out, %in : f32
      linalg.yield %4 : f32
    }
    %c17664 = arith.constant 17664 : index
    %view_15 = memref.view %arg12[%c17664][] : memref<55616xi8> to memref<32x10xf32>
    linalg.generic {indexing_maps = [#map, #map3, #map], iterator_types = ["parallel", "parallel"]} ins(%view_7, %view_14 : memref<32x10xf32>, memref<32x1xf32>) outs(%view_15 : memref<32x10xf32>) {
    ^bb0(%in: f32, %in_58: f32, %out: f32):
      %4 = arith.subf %in, %in_58 : f32
      linalg.yield %4 : f32
    }
    %c18944_16 = arith.constant 18944 : index
    %view_17 = memref.view %arg12[%c18944_16][] : memref<55616xi8> to memref<32x1xf32>
    linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%view_17 : memref<32x1xf32>) {
    ^bb0(%out: f32):
      linalg.yield %cst_1 : f32
    }
    %expand_shape_18 = memref.expand_shape %view_15 [[0, 1], [2]] output_shape [32, 1, 10] : memref<32x10xf32> into memref<32x1x10xf32>
    linalg.generic {indexing_maps = [#map1, #map2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%expand_shape_18 : memref<32x1x10xf32>) outs(%view_17 : memref<32x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = math.exp %in : f32
      %5 = arith.addf %out, %4 : f32
      linalg.yield %5 : f32
    }
    %c16384_19 = arith.constant 16384 : index
    %view_20 = memref.view %arg12[%c16384_19][] : memref<55616xi8> to memref<32x10xf32>
    linalg.generic {indexing_maps = [#map, #map3, #map], iterator_types = ["parallel", "parallel"]} ins(%view_15, %view_17 : memref<32x10xf32>, memref<32x1xf32>) outs(%view_20 : memref<32x10xf32>) {
    ^bb0(%in: f32, %in_58: f32, %out: f32):
      %4 = math.log %in_58 : f32
      %5 = arith.subf %in, %4 : f32
      linalg.yield %5 : f32
    }
    %c17664_21 = arith.constant 17664 : index
    %view_22 = memref.view %arg12[%c17664_21][] : memref<55616xi8> to memref<f32>
    linalg.fill ins(%cst_1 : f32) outs(%view_22 : memref<f32>)
    linalg.generic {indexing_maps = [#map, #map, #map4], iterator_types = ["reduction", "reduction"]} ins(%view_20, %arg5 : memref<32x10xf32>, memref<32x10xf32>) outs(%view_22 : memref<f32>) {
    ^bb0(%in: f32, %in_58: f32, %out: f32):
      %4 = arith.mulf %in, %in_58 : f32
      %5 = arith.addf %out, %4 : f32
      linalg.yield %5 : f32
    }
    linalg.generic {indexing_maps = [#map5, #map5], iterator_types = []} ins(%view_22 : memref<f32>) outs(%arg7 : memref<f32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = arith.mulf %in, %cst : f32
      linalg.yield %4 : f32
    }
    %c17664_23 = arith.constant 17664 : index
    %view_24 = memref.view %arg12[%c17664_23][] : memref<55616xi8> to memref<32x10xf32>
    linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg5 : memref<32x10xf32>) outs(%view_24 : memref<32x10xf32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = arith.mulf %in, %cst : f32
      linalg.yield %4 : f32
    }
    %c49152 = arith.constant 49152 : index
    %view_25 = memref.view %arg12[%c49152][] : memref<55616xi8> to memref<32x1xf32>
    linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%view_25 : memref<32x1xf32>) {
    ^bb0(%out: f32):
      linalg.yield %cst_1 : f32
    }
    %expand_shape_26 = memref.expand_shape %view_24 [[0, 1], [2]] output_shape [32, 1, 10] : memref<32x10xf32> into memref<32x1x10xf32>
    linalg.generic {indexing_maps = [#map1, #map2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%expand_shape_26 : memref<32x1x10xf32>) outs(%view_25 : memref<32x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = arith.addf %out, %in : f32
      linalg.yield %4 : f32
    }
    %c54272 = arith.constant 54272 : index
    %view_27 = memref.view %arg12[%c54272][] : memref<55616xi8> to memref<32x10xf32>
    linalg.generic {indexing_maps = [#map, #map, #map3, #map], iterator_types = ["parallel", "parallel"]} ins(%view_24, %view_20, %view_25 : memref<32x10xf32>, memref<32x10xf32>, memref<32x1xf32>) outs(%view_27 : memref<32x10xf32>) {
    ^bb0(%in: f32, %in_58: f32, %in_59: f32, %out: f32):
      %4 = math.exp %in_58 : f32
      %5 = arith.mulf %4, %in_59 : f32
      %6 = arith.subf %in, %5 : f32
      linalg.yield %6 : f32
    }
    %c55552 = arith.constant 55552 : index
    %view_28 = memref.view %arg12[%c55552][] : memref<55616xi8> to memref<10xf32>
    linalg.fill ins(%cst_1 : f32) outs(%view_28 : memref<10xf32>)
    linalg.generic {indexing_maps = [#map, #map6], iterator_types = ["reduction", "parallel"]} ins(%view_27 : memref<32x10xf32>) outs(%view_28 : memref<10xf32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = arith.addf %out, %in : f32
      linalg.yield %4 : f32
    }
    %c16384_29 = arith.constant 16384 : index
    %view_30 = memref.view %arg12[%c16384_29][] : memref<55616xi8> to memref<32x128xf32>
    %transpose = memref.transpose %arg2 (d0, d1) -> (d1, d0) : memref<128x10xf32> to memref<10x128xf32, strided<[1, 10]>>
    %cast_31 = memref.cast %view_27 : memref<32x10xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_32 = memref.cast %transpose : memref<10x128xf32, strided<[1, 10]>> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_33 = memref.cast %view_30 : memref<32x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %alloca = memref.alloca() : memref<0xf32>
    %cast_34 = memref.cast %alloca : memref<0xf32> to memref<?xf32, strided<[?], offset: ?>>
    %c0_i64_35 = arith.constant 0 : i64
    call @kiln_matmul_epilogue_f32(%cast_31, %cast_32, %cast_33, %cast_34, %cast_33, %c0_i64_35) {kiln.epilogue = []} : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64) -> ()
    %c49152_36 = arith.constant 49152 : index
    %view_37 = memref.view %arg12[%c49152_36][] : memref<55616xi8> to memref<128x10xf32>
    %transpose_38 = memref.transpose %view_6 (d0, d1) -> (d1, d0) : memref<32x128xf32> to memref<128x32xf32, strided<[1, 128]>>
    %cast_39 = memref.cast %transpose_38 : memref<128x32xf32, strided<[1, 128]>> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_40 = memref.cast %view_27 : memref<32x10xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_41 = memref.cast %view_37 : memref<128x10xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %alloca_42 = memref.alloca() : memref<0xf32>
    %cast_43 = memref.cast %alloca_42 : memref<0xf32> to memref<?xf32, strided<[?], offset: ?>>
    %c0_i64_44 = arith.constant 0 : i64
    call @kiln_matmul_epilogue_f32(%cast_39, %cast_40, %cast_41, %cast_43, %cast_41, %c0_i64_44) {kiln.epilogue = []} : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64) -> ()
    %c32768_45 = arith.constant 32768 : index
    %view_46 = memref.view %arg12[%c32768_45][] : memref<55616xi8> to memref<32x128xf32>
    linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%view, %view_30 : memref<32x128xf32>, memref<32x128xf32>) outs(%view_46 : memref<32x128xf32>) {
    ^bb0(%in: f32, %in_58: f32, %out: f32):
      %4 = arith.cmpf ogt, %in, %cst_1 : f32
      %5 = arith.select %4, %in_58, %cst_1 : f32
      linalg.yield %5 : f32
    }
    %c54272_47 = arith.constant 54272 : index
    %view_48 = memref.view %arg12[%c54272_47][] : memref<55616xi8> to memref<128xf32>
    linalg.fill ins(%cst_1 : f32) outs(%view_48 : memref<128xf32>)
    linalg.generic {indexing_maps = [#map, #map6], iterator_types = ["reduction", "parallel"]} ins(%view_46 : memref<32x128xf32>) outs(%view_48 : memref<128xf32>) {
    ^bb0(%in: f32, %out: f32):
      %4 = arith.addf %out, %in : f32
      linalg.yield %4 : f32
    }
    %c0_49 = arith.constant 0 : index
    %view_50 = memref.view %arg12[%c0_49][] : memref<55616xi8> to memref<64x128xf32>
    %transpose_51 = memref.transpose %arg4 (d0, d1) -> (d1, d0) : memref<32x64xf32> to memref<64x32xf32, strided<[1, 64]>>
    %cast_52 = memref.cast %transpose_51 : memref<64x32xf32, strided<[1, 64]>> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_53 = memref.cast %view_46 : memref<32x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %cast_54 = memref.cast %view_50 : memref<64x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    %alloca_55 = memref.alloca() : memref<0xf32>
    %cast_56 = memref.cast %alloca_55 : memref<0xf32> to memref<?xf32, strided<[?], offset: ?>>
    %c0_i64_57 = arith.constant 0 : i64
    call @kiln_matmul_epilogue_f32(%cast_52, %cast_53, %cast_54, %cast_56, %cast_54, %c0_i64_57) {kiln.epilogue = []} : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64) -> ()
    %0 = memref.load %arg6[] : memref<f32>
    linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg0, %view_50 : memref<64x128xf32>, memref<64x128xf32>) outs(%arg8 : memref<64x128xf32>) {
    ^bb0(%in: f32, %in_58: f32, %out: f32):
      %4 = arith.mulf %in_58, %0 : f32
      %5 = arith.subf %in, %4 : f32
      linalg.yield %5 : f32
    }
    %1 = memref.load %arg6[] : memref<f32>
    linalg.generic {indexing_maps = [#map7, #map7, #map7], iterator_types = ["parallel"]} ins(%arg1, %view_48 : memref<128xf32>, memref<128xf32>) outs(%arg9 : memref<128xf32>) {
    ^bb0(%in: f32, %in_58: f32, %out: f32):
      %4 = arith.mulf %in_58, %1 : f32
      %5 = arith.subf %in, %4 : f32
      linalg.yield %5 : f32
    }
    %2 = memref.load %arg6[] : memref<f32>
    linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg2, %view_37 : memref<128x10xf32>, memref<128x10xf32>) outs(%arg10 : memref<128x10xf32>) {
    ^bb0(%in: f32, %in_58: f32, %out: f32):
      %4 = arith.mulf %in_58, %2 : f32
      %5 = arith.subf %in, %4 : f32
      linalg.yield %5 : f32
    }
    %3 = memref.load %arg6[] : memref<f32>
    linalg.generic {indexing_maps = [#map7, #map7, #map7], iterator_types = ["parallel"]} ins(%arg3, %view_28 : memref<10xf32>, memref<10xf32>) outs(%arg11 : memref<10xf32>) {
    ^bb0(%in: f32, %in_58: f32, %out: f32):
      %4 = arith.mulf %in_58, %3 : f32
      %5 = arith.subf %in, %4 : f32
      linalg.yield %5 : f32
    }
    return
  }
  func.func private @kiln_matmul_epilogue_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64) attributes {llvm.emit_c_interface}
}

// ===== stage llvm =====
module {
  llvm.func @train_step(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr, %arg4: !llvm.ptr, %arg5: !llvm.ptr, %arg6: !llvm.ptr, %arg7: !llvm.ptr, %arg8: !llvm.ptr, %arg9: !llvm.ptr, %arg10: !llvm.ptr, %arg11: !llvm.ptr, %arg12: !llvm.ptr) attributes {kiln.arena_buffers = [array<i64: 16384, 3, 67, 32768>, array<i64: 16384, 11, 65, 0>, array<i64: 1280, 13, 26, 16384>, array<i64: 128, 21, 26, 18944>, array<i64: 1280, 25, 32, 17664>, array<i64: 128, 27, 32, 18944>, array<i64: 1280, 31, 44, 16384>, array<i64: 4, 33, 36, 17664>, array<i64: 1280, 37, 44, 17664>, array<i64: 128, 39, 44, 49152>, array<i64: 1280, 43, 65, 54272>, array<i64: 40, 45, 87, 55552>, array<i64: 16384, 48, 67, 16384>, array<i64: 5120, 57, 85, 49152>, array<i64: 16384, 66, 79, 32768>, array<i64: 512, 68, 83, 54272>, array<i64: 32768, 71, 81, 0>], kiln.arena_bytes = 55616 : i64, kiln.arena_lower_bound = 55616 : i64, kiln.arena_naive_bytes = 94464 : i64, kiln.kernels = 28 : i64, llvm.bareptr} {
    %0 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %1 = llvm.insertvalue %arg12, %0[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %2 = llvm.insertvalue %arg12, %1[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %3 = llvm.mlir.constant(0 : index) : i64
    %4 = llvm.insertvalue %3, %2[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %5 = llvm.mlir.constant(55616 : index) : i64
    %6 = llvm.insertvalue %5, %4[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %7 = llvm.mlir.constant(1 : index) : i64
    %8 = llvm.insertvalue %7, %6[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %9 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %10 = llvm.insertvalue %arg11, %9[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %11 = llvm.insertvalue %arg11, %10[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %12 = llvm.mlir.constant(0 : index) : i64
    %13 = llvm.insertvalue %12, %11[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %14 = llvm.mlir.constant(10 : index) : i64
    %15 = llvm.insertvalue %14, %13[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %16 = llvm.mlir.constant(1 : index) : i64
    %17 = llvm.insertvalue %16, %15[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %18 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %19 = llvm.insertvalue %arg10, %18[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %20 = llvm.insertvalue %arg10, %19[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %21 = llvm.mlir.constant(0 : index) : i64
    %22 = llvm.insertvalue %21, %20[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %23 = llvm.mlir.constant(128 : index) : i64
    %24 = llvm.insertvalue %23, %22[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %25 = llvm.mlir.constant(10 : index) : i64
    %26 = llvm.insertvalue %25, %24[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %27 = llvm.mlir.constant(10 : index) : i64
    %28 = llvm.insertvalue %27, %26[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %29 = llvm.mlir.constant(1 : index) : i64
    %30 = llvm.insertvalue %29, %28[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %31 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %32 = llvm.insertvalue %arg9, %31[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %33 = llvm.insertvalue %arg9, %32[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %34 = llvm.mlir.constant(0 : index) : i64
    %35 = llvm.insertvalue %34, %33[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %36 = llvm.mlir.constant(128 : index) : i64
    %37 = llvm.insertvalue %36, %35[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %38 = llvm.mlir.constant(1 : index) : i64
    %39 = llvm.insertvalue %38, %37[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %40 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %41 = llvm.insertvalue %arg8, %40[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %42 = llvm.insertvalue %arg8, %41[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %43 = llvm.mlir.constant(0 : index) : i64
    %44 = llvm.insertvalue %43, %42[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %45 = llvm.mlir.constant(64 : index) : i64
    %46 = llvm.insertvalue %45, %44[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %47 = llvm.mlir.constant(128 : index) : i64
    %48 = llvm.insertvalue %47, %46[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %49 = llvm.mlir.constant(128 : index) : i64
    %50 = llvm.insertvalue %49, %48[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %51 = llvm.mlir.constant(1 : index) : i64
    %52 = llvm.insertvalue %51, %50[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %53 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64)>
    %54 = llvm.insertvalue %arg7, %53[0] : !llvm.struct<(ptr, ptr, i64)> 
    %55 = llvm.insertvalue %arg7, %54[1] : !llvm.struct<(ptr, ptr, i64)> 
    %56 = llvm.mlir.constant(0 : index) : i64
    %57 = llvm.insertvalue %56, %55[2] : !llvm.struct<(ptr, ptr, i64)> 
    %58 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64)>
    %59 = llvm.insertvalue %arg6, %58[0] : !llvm.struct<(ptr, ptr, i64)> 
    %60 = llvm.insertvalue %arg6, %59[1] : !llvm.struct<(ptr, ptr, i64)> 
    %61 = llvm.mlir.constant(0 : index) : i64
    %62 = llvm.insertvalue %61, %60[2] : !llvm.struct<(ptr, ptr, i64)> 
    %63 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %64 = llvm.insertvalue %arg5, %63[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %65 = llvm.insertvalue %arg5, %64[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %66 = llvm.mlir.constant(0 : index) : i64
    %67 = llvm.insertvalue %66, %65[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %68 = llvm.mlir.constant(32 : index) : i64
    %69 = llvm.insertvalue %68, %67[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %70 = llvm.mlir.constant(10 : index) : i64
    %71 = llvm.insertvalue %70, %69[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %72 = llvm.mlir.constant(10 : index) : i64
    %73 = llvm.insertvalue %72, %71[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %74 = llvm.mlir.constant(1 : index) : i64
    %75 = llvm.insertvalue %74, %73[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %76 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %77 = llvm.insertvalue %arg4, %76[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %78 = llvm.insertvalue %arg4, %77[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %79 = llvm.mlir.constant(0 : index) : i64
    %80 = llvm.insertvalue %79, %78[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %81 = llvm.mlir.constant(32 : index) : i64
    %82 = llvm.insertvalue %81, %80[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %83 = llvm.mlir.constant(64 : index) : i64
    %84 = llvm.insertvalue %83, %82[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %85 = llvm.mlir.constant(64 : index) : i64
    %86 = llvm.insertvalue %85, %84[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %87 = llvm.mlir.constant(1 : index) : i64
    %88 = llvm.insertvalue %87, %86[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %89 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %90 = llvm.insertvalue %arg3, %89[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %91 = llvm.insertvalue %arg3, %90[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %92 = llvm.mlir.constant(0 : index) : i64
    %93 = llvm.insertvalue %92, %91[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %94 = llvm.mlir.constant(10 : index) : i64
    %95 = llvm.insertvalue %94, %93[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %96 = llvm.mlir.constant(1 : index) : i64
    %97 = llvm.insertvalue %96, %95[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %98 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %99 = llvm.insertvalue %arg2, %98[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %100 = llvm.insertvalue %arg2, %99[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %101 = llvm.mlir.constant(0 : index) : i64
    %102 = llvm.insertvalue %101, %100[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %103 = llvm.mlir.constant(128 : index) : i64
    %104 = llvm.insertvalue %103, %102[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %105 = llvm.mlir.constant(10 : index) : i64
    %106 = llvm.insertvalue %105, %104[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %107 = llvm.mlir.constant(10 : index) : i64
    %108 = llvm.insertvalue %107, %106[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %109 = llvm.mlir.constant(1 : index) : i64
    %110 = llvm.insertvalue %109, %108[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %111 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %112 = llvm.insertvalue %arg1, %111[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %113 = llvm.insertvalue %arg1, %112[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %114 = llvm.mlir.constant(0 : index) : i64
    %115 = llvm.insertvalue %114, %113[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %116 = llvm.mlir.constant(128 : index) : i64
    %117 = llvm.insertvalue %116, %115[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %118 = llvm.mlir.constant(1 : index) : i64
    %119 = llvm.insertvalue %118, %117[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %120 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %121 = llvm.insertvalue %arg0, %120[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %122 = llvm.insertvalue %arg0, %121[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %123 = llvm.mlir.constant(0 : index) : i64
    %124 = llvm.insertvalue %123, %122[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %125 = llvm.mlir.constant(64 : index) : i64
    %126 = llvm.insertvalue %125, %124[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %127 = llvm.mlir.constant(128 : index) : i64
    %128 = llvm.insertvalue %127, %126[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %129 = llvm.mlir.constant(128 : index) : i64
    %130 = llvm.insertvalue %129, %128[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %131 = llvm.mlir.constant(1 : index) : i64
    %132 = llvm.insertvalue %131, %130[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %133 = llvm.mlir.constant(768 : i64) : i64
    %134 = llvm.mlir.constant(64 : i64) : i64
    %135 = llvm.mlir.addressof @train_step_parallel : !llvm.ptr
    %136 = llvm.mlir.constant(32768 : index) : i64
    %137 = llvm.mlir.constant(0.000000e+00 : f32) : f32
    %138 = llvm.mlir.constant(0xFF800000 : f32) : f32
    %139 = llvm.mlir.constant(-3.125000e-02 : f32) : f32
    %140 = llvm.mlir.constant(0 : i64) : i64
    %141 = llvm.mlir.constant(0 : index) : i64
    %142 = llvm.mlir.constant(16384 : index) : i64
    %143 = llvm.mlir.constant(18944 : index) : i64
    %144 = llvm.mlir.constant(17664 : index) : i64
    %145 = llvm.mlir.constant(49152 : index) : i64
    %146 = llvm.mlir.constant(54272 : index) : i64
    %147 = llvm.mlir.constant(55552 : index) : i64
    %148 = llvm.mlir.constant(32 : index) : i64
    %149 = llvm.mlir.constant(1 : index) : i64
    %150 = llvm.mlir.constant(128 : index) : i64
    %151 = llvm.mlir.constant(10 : index) : i64
    %152 = llvm.mlir.constant(4 : i64) : i64
    %153 = llvm.alloca %152 x i64 : (i64) -> !llvm.ptr
    %154 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %155 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %156 = llvm.insertvalue %155, %154[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %157 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %158 = llvm.getelementptr %157[%136] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %159 = llvm.insertvalue %158, %156[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %160 = llvm.mlir.constant(0 : index) : i64
    %161 = llvm.insertvalue %160, %159[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %162 = llvm.mlir.constant(128 : index) : i64
    %163 = llvm.insertvalue %162, %161[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %164 = llvm.mlir.constant(1 : index) : i64
    %165 = llvm.insertvalue %164, %163[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %166 = llvm.mlir.constant(32 : index) : i64
    %167 = llvm.insertvalue %166, %165[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %168 = llvm.mlir.constant(128 : index) : i64
    %169 = llvm.insertvalue %168, %167[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %170 = llvm.extractvalue %88[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %171 = llvm.extractvalue %88[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %172 = llvm.extractvalue %88[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %173 = llvm.extractvalue %88[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %174 = llvm.extractvalue %88[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %175 = llvm.extractvalue %88[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %176 = llvm.extractvalue %88[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %177 = llvm.extractvalue %132[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %178 = llvm.extractvalue %132[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %179 = llvm.extractvalue %132[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %180 = llvm.extractvalue %132[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %181 = llvm.extractvalue %132[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %182 = llvm.extractvalue %132[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %183 = llvm.extractvalue %132[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %184 = llvm.extractvalue %169[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %185 = llvm.extractvalue %169[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %186 = llvm.extractvalue %169[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %187 = llvm.extractvalue %169[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %188 = llvm.extractvalue %169[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %189 = llvm.extractvalue %169[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %190 = llvm.extractvalue %169[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %191 = llvm.extractvalue %119[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %192 = llvm.extractvalue %119[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %193 = llvm.extractvalue %119[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %194 = llvm.extractvalue %119[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %195 = llvm.extractvalue %119[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %196 = llvm.extractvalue %169[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %197 = llvm.extractvalue %169[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %198 = llvm.extractvalue %169[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %199 = llvm.extractvalue %169[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %200 = llvm.extractvalue %169[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %201 = llvm.extractvalue %169[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %202 = llvm.extractvalue %169[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.call @kiln_matmul_epilogue_f32(%170, %171, %172, %173, %174, %175, %176, %177, %178, %179, %180, %181, %182, %183, %184, %185, %186, %187, %188, %189, %190, %191, %192, %193, %194, %195, %196, %197, %198, %199, %200, %201, %202, %140) {kiln.epilogue = ["bias"]} : (!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64) -> ()
    %203 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %204 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %205 = llvm.insertvalue %204, %203[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %206 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %207 = llvm.getelementptr %206[%141] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %208 = llvm.insertvalue %207, %205[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %209 = llvm.mlir.constant(0 : index) : i64
    %210 = llvm.insertvalue %209, %208[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %211 = llvm.mlir.constant(128 : index) : i64
    %212 = llvm.insertvalue %211, %210[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %213 = llvm.mlir.constant(1 : index) : i64
    %214 = llvm.insertvalue %213, %212[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %215 = llvm.mlir.constant(32 : index) : i64
    %216 = llvm.insertvalue %215, %214[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %217 = llvm.mlir.constant(128 : index) : i64
    %218 = llvm.insertvalue %217, %216[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.br ^bb1(%141 : i64)
  ^bb1(%219: i64):  // 2 preds: ^bb0, ^bb5
    %220 = llvm.icmp "slt" %219, %148 : i64
    llvm.cond_br %220, ^bb2, ^bb6
  ^bb2:  // pred: ^bb1
    llvm.br ^bb3(%141 : i64)
  ^bb3(%221: i64):  // 2 preds: ^bb2, ^bb4
    %222 = llvm.icmp "slt" %221, %150 : i64
    llvm.cond_br %222, ^bb4, ^bb5
  ^bb4:  // pred: ^bb3
    %223 = llvm.mlir.constant(128 : index) : i64
    %224 = llvm.mul %219, %223 : i64
    %225 = llvm.add %224, %221 : i64
    %226 = llvm.getelementptr %158[%225] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %227 = llvm.load %226 : !llvm.ptr -> f32
    %228 = llvm.intr.maximum(%227, %137)  : (f32, f32) -> f32
    %229 = llvm.mlir.constant(128 : index) : i64
    %230 = llvm.mul %219, %229 : i64
    %231 = llvm.add %230, %221 : i64
    %232 = llvm.getelementptr %207[%231] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %228, %232 : f32, !llvm.ptr
    %233 = llvm.add %221, %149 : i64
    llvm.br ^bb3(%233 : i64)
  ^bb5:  // pred: ^bb3
    %234 = llvm.add %219, %149 : i64
    llvm.br ^bb1(%234 : i64)
  ^bb6:  // pred: ^bb1
    %235 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %236 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %237 = llvm.insertvalue %236, %235[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %238 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %239 = llvm.getelementptr %238[%142] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %240 = llvm.insertvalue %239, %237[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %241 = llvm.mlir.constant(0 : index) : i64
    %242 = llvm.insertvalue %241, %240[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %243 = llvm.mlir.constant(10 : index) : i64
    %244 = llvm.insertvalue %243, %242[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %245 = llvm.mlir.constant(1 : index) : i64
    %246 = llvm.insertvalue %245, %244[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %247 = llvm.mlir.constant(32 : index) : i64
    %248 = llvm.insertvalue %247, %246[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %249 = llvm.mlir.constant(10 : index) : i64
    %250 = llvm.insertvalue %249, %248[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %251 = llvm.extractvalue %218[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %252 = llvm.extractvalue %218[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %253 = llvm.extractvalue %218[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %254 = llvm.extractvalue %218[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %255 = llvm.extractvalue %218[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %256 = llvm.extractvalue %218[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %257 = llvm.extractvalue %218[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %258 = llvm.extractvalue %110[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %259 = llvm.extractvalue %110[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %260 = llvm.extractvalue %110[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %261 = llvm.extractvalue %110[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %262 = llvm.extractvalue %110[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %263 = llvm.extractvalue %110[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %264 = llvm.extractvalue %110[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %265 = llvm.extractvalue %250[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %266 = llvm.extractvalue %250[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %267 = llvm.extractvalue %250[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %268 = llvm.extractvalue %250[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %269 = llvm.extractvalue %250[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %270 = llvm.extractvalue %250[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %271 = llvm.extractvalue %250[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %272 = llvm.extractvalue %97[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %273 = llvm.extractvalue %97[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %274 = llvm.extractvalue %97[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %275 = llvm.extractvalue %97[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %276 = llvm.extractvalue %97[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %277 = llvm.extractvalue %250[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %278 = llvm.extractvalue %250[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %279 = llvm.extractvalue %250[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %280 = llvm.extractvalue %250[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %281 = llvm.extractvalue %250[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %282 = llvm.extractvalue %250[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %283 = llvm.extractvalue %250[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.call @kiln_matmul_epilogue_f32(%251, %252, %253, %254, %255, %256, %257, %258, %259, %260, %261, %262, %263, %264, %265, %266, %267, %268, %269, %270, %271, %272, %273, %274, %275, %276, %277, %278, %279, %280, %281, %282, %283, %140) {kiln.epilogue = ["bias"]} : (!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64) -> ()
    %284 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %285 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %286 = llvm.insertvalue %285, %284[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %287 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %288 = llvm.getelementptr %287[%143] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %289 = llvm.insertvalue %288, %286[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %290 = llvm.mlir.constant(0 : index) : i64
    %291 = llvm.insertvalue %290, %289[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %292 = llvm.mlir.constant(1 : index) : i64
    %293 = llvm.insertvalue %292, %291[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %294 = llvm.mlir.constant(1 : index) : i64
    %295 = llvm.insertvalue %294, %293[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %296 = llvm.mlir.constant(32 : index) : i64
    %297 = llvm.insertvalue %296, %295[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %298 = llvm.mlir.constant(1 : index) : i64
    %299 = llvm.insertvalue %298, %297[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.br ^bb7(%141 : i64)
  ^bb7(%300: i64):  // 2 preds: ^bb6, ^bb11
    %301 = llvm.icmp "slt" %300, %148 : i64
    llvm.cond_br %301, ^bb8, ^bb12
  ^bb8:  // pred: ^bb7
    llvm.br ^bb9(%141 : i64)
  ^bb9(%302: i64):  // 2 preds: ^bb8, ^bb10
    %303 = llvm.icmp "slt" %302, %149 : i64
    llvm.cond_br %303, ^bb10, ^bb11
  ^bb10:  // pred: ^bb9
    %304 = llvm.add %300, %302 : i64
    %305 = llvm.getelementptr %288[%304] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %138, %305 : f32, !llvm.ptr
    %306 = llvm.add %302, %149 : i64
    llvm.br ^bb9(%306 : i64)
  ^bb11:  // pred: ^bb9
    %307 = llvm.add %300, %149 : i64
    llvm.br ^bb7(%307 : i64)
  ^bb12:  // pred: ^bb7
    %308 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64)>
    %309 = llvm.insertvalue %236, %308[0] : !llvm.struct<(ptr, ptr, i64)> 
    %310 = llvm.insertvalue %239, %309[1] : !llvm.struct<(ptr, ptr, i64)> 
    %311 = llvm.mlir.constant(0 : index) : i64
    %312 = llvm.insertvalue %311, %310[2] : !llvm.struct<(ptr, ptr, i64)> 
    %313 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)>
    %314 = llvm.insertvalue %236, %313[0] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %315 = llvm.insertvalue %239, %314[1] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %316 = llvm.mlir.constant(0 : index) : i64
    %317 = llvm.insertvalue %316, %315[2] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %318 = llvm.mlir.constant(32 : index) : i64
    %319 = llvm.insertvalue %318, %317[3, 0] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %320 = llvm.mlir.constant(10 : index) : i64
    %321 = llvm.insertvalue %320, %319[4, 0] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %322 = llvm.mlir.constant(1 : index) : i64
    %323 = llvm.insertvalue %322, %321[3, 1] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %324 = llvm.mlir.constant(10 : index) : i64
    %325 = llvm.insertvalue %324, %323[4, 1] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %326 = llvm.mlir.constant(10 : index) : i64
    %327 = llvm.insertvalue %326, %325[3, 2] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %328 = llvm.mlir.constant(1 : index) : i64
    %329 = llvm.insertvalue %328, %327[4, 2] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    llvm.br ^bb13(%141 : i64)
  ^bb13(%330: i64):  // 2 preds: ^bb12, ^bb20
    %331 = llvm.icmp "slt" %330, %148 : i64
    llvm.cond_br %331, ^bb14, ^bb21
  ^bb14:  // pred: ^bb13
    llvm.br ^bb15(%141 : i64)
  ^bb15(%332: i64):  // 2 preds: ^bb14, ^bb19
    %333 = llvm.icmp "slt" %332, %149 : i64
    llvm.cond_br %333, ^bb16, ^bb20
  ^bb16:  // pred: ^bb15
    llvm.br ^bb17(%141 : i64)
  ^bb17(%334: i64):  // 2 preds: ^bb16, ^bb18
    %335 = llvm.icmp "slt" %334, %151 : i64
    llvm.cond_br %335, ^bb18, ^bb19
  ^bb18:  // pred: ^bb17
    %336 = llvm.mlir.constant(10 : index) : i64
    %337 = llvm.mul %330, %336 : i64
    %338 = llvm.mlir.constant(10 : index) : i64
    %339 = llvm.mul %332, %338 : i64
    %340 = llvm.add %337, %339 : i64
    %341 = llvm.add %340, %334 : i64
    %342 = llvm.getelementptr %239[%341] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %343 = llvm.load %342 : !llvm.ptr -> f32
    %344 = llvm.add %330, %332 : i64
    %345 = llvm.getelementptr %288[%344] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %346 = llvm.load %345 : !llvm.ptr -> f32
    %347 = llvm.intr.maximum(%346, %343)  : (f32, f32) -> f32
    %348 = llvm.add %330, %332 : i64
    %349 = llvm.getelementptr %288[%348] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %347, %349 : f32, !llvm.ptr
    %350 = llvm.add %334, %149 : i64
    llvm.br ^bb17(%350 : i64)
  ^bb19:  // pred: ^bb17
    %351 = llvm.add %332, %149 : i64
    llvm.br ^bb15(%351 : i64)
  ^bb20:  // pred: ^bb15
    %352 = llvm.add %330, %149 : i64
    llvm.br ^bb13(%352 : i64)
  ^bb21:  // pred: ^bb13
    %353 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %354 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %355 = llvm.insertvalue %354, %353[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %356 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %357 = llvm.getelementptr %356[%144] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %358 = llvm.insertvalue %357, %355[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %359 = llvm.mlir.constant(0 : index) : i64
    %360 = llvm.insertvalue %359, %358[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %361 = llvm.mlir.constant(10 : index) : i64
    %362 = llvm.insertvalue %361, %360[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %363 = llvm.mlir.constant(1 : index) : i64
    %364 = llvm.insertvalue %363, %362[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %365 = llvm.mlir.constant(32 : index) : i64
    %366 = llvm.insertvalue %365, %364[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %367 = llvm.mlir.constant(10 : index) : i64
    %368 = llvm.insertvalue %367, %366[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.br ^bb22(%141 : i64)
  ^bb22(%369: i64):  // 2 preds: ^bb21, ^bb26
    %370 = llvm.icmp "slt" %369, %148 : i64
    llvm.cond_br %370, ^bb23, ^bb27
  ^bb23:  // pred: ^bb22
    llvm.br ^bb24(%141 : i64)
  ^bb24(%371: i64):  // 2 preds: ^bb23, ^bb25
    %372 = llvm.icmp "slt" %371, %151 : i64
    llvm.cond_br %372, ^bb25, ^bb26
  ^bb25:  // pred: ^bb24
    %373 = llvm.mlir.constant(10 : index) : i64
    %374 = llvm.mul %369, %373 : i64
    %375 = llvm.add %374, %371 : i64
    %376 = llvm.getelementptr %239[%375] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %377 = llvm.load %376 : !llvm.ptr -> f32
    %378 = llvm.add %369, %141 : i64
    %379 = llvm.getelementptr %288[%378] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %380 = llvm.load %379 : !llvm.ptr -> f32
    %381 = llvm.fsub %377, %380  : f32
    %382 = llvm.mlir.constant(10 : index) : i64
    %383 = llvm.mul %369, %382 : i64
    %384 = llvm.add %383, %371 : i64
    %385 = llvm.getelementptr %357[%384] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %381, %385 : f32, !llvm.ptr
    %386 = llvm.add %371, %149 : i64
    llvm.br ^bb24(%386 : i64)
  ^bb26:  // pred: ^bb24
    %387 = llvm.add %369, %149 : i64
    llvm.br ^bb22(%387 : i64)
  ^bb27:  // pred: ^bb22
    llvm.br ^bb28(%141 : i64)
  ^bb28(%388: i64):  // 2 preds: ^bb27, ^bb32
    %389 = llvm.icmp "slt" %388, %148 : i64
    llvm.cond_br %389, ^bb29, ^bb33
  ^bb29:  // pred: ^bb28
    llvm.br ^bb30(%141 : i64)
  ^bb30(%390: i64):  // 2 preds: ^bb29, ^bb31
    %391 = llvm.icmp "slt" %390, %149 : i64
    llvm.cond_br %391, ^bb31, ^bb32
  ^bb31:  // pred: ^bb30
    %392 = llvm.add %388, %390 : i64
    %393 = llvm.getelementptr %288[%392] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %137, %393 : f32, !llvm.ptr
    %394 = llvm.add %390, %149 : i64
    llvm.br ^bb30(%394 : i64)
  ^bb32:  // pred: ^bb30
    %395 = llvm.add %388, %149 : i64
    llvm.br ^bb28(%395 : i64)
  ^bb33:  // pred: ^bb28
    %396 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64)>
    %397 = llvm.insertvalue %354, %396[0] : !llvm.struct<(ptr, ptr, i64)> 
    %398 = llvm.insertvalue %357, %397[1] : !llvm.struct<(ptr, ptr, i64)> 
    %399 = llvm.mlir.constant(0 : index) : i64
    %400 = llvm.insertvalue %399, %398[2] : !llvm.struct<(ptr, ptr, i64)> 
    %401 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)>
    %402 = llvm.insertvalue %354, %401[0] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %403 = llvm.insertvalue %357, %402[1] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %404 = llvm.mlir.constant(0 : index) : i64
    %405 = llvm.insertvalue %404, %403[2] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %406 = llvm.mlir.constant(32 : index) : i64
    %407 = llvm.insertvalue %406, %405[3, 0] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %408 = llvm.mlir.constant(10 : index) : i64
    %409 = llvm.insertvalue %408, %407[4, 0] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %410 = llvm.mlir.constant(1 : index) : i64
    %411 = llvm.insertvalue %410, %409[3, 1] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %412 = llvm.mlir.constant(10 : index) : i64
    %413 = llvm.insertvalue %412, %411[4, 1] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %414 = llvm.mlir.constant(10 : index) : i64
    %415 = llvm.insertvalue %414, %413[3, 2] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    %416 = llvm.mlir.constant(1 : index) : i64
    %417 = llvm.insertvalue %416, %415[4, 2] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> 
    llvm.br ^bb34(%141 : i64)
  ^bb34(%418: i64):  // 2 preds: ^bb33, ^bb41
    %419 = llvm.icmp "slt" %418, %148 : i64
    llvm.cond_br %419, ^bb35, ^bb42
  ^bb35:  // pred: ^bb34
    llvm.br ^bb36(%141 : i64)
  ^bb36(%420: i64):  // 2 preds: ^bb35, ^bb40
    %421 = llvm.icmp "slt" %420, %149 : i64
    llvm.cond_br %421, ^bb37, ^bb41
  ^bb37:  // pred: ^bb36
    llvm.br ^bb38(%141 : i64)
  ^bb38(%422: i64):  // 2 preds: ^bb37, ^bb39
    %423 = llvm.icmp "slt" %422, %151 : i64
    llvm.cond_br %423, ^bb39, ^bb40
  ^bb39:  // pred: ^bb38
    %424 = llvm.mlir.constant(10 : index) : i64
    %425 = llvm.mul %418, %424 : i64
    %426 = llvm.mlir.constant(10 : index) : i64
    %427 = llvm.mul %420, %426 : i64
    %428 = llvm.add %425, %427 : i64
    %429 = llvm.add %428, %422 : i64
    %430 = llvm.getelementptr %357[%429] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %431 = llvm.load %430 : !llvm.ptr -> f32
    %432 = llvm.add %418, %420 : i64
    %433 = llvm.getelementptr %288[%432] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %434 = llvm.load %433 : !llvm.ptr -> f32
    %435 = llvm.intr.exp(%431)  : (f32) -> f32
    %436 = llvm.fadd %434, %435  : f32
    %437 = llvm.add %418, %420 : i64
    %438 = llvm.getelementptr %288[%437] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %436, %438 : f32, !llvm.ptr
    %439 = llvm.add %422, %149 : i64
    llvm.br ^bb38(%439 : i64)
  ^bb40:  // pred: ^bb38
    %440 = llvm.add %420, %149 : i64
    llvm.br ^bb36(%440 : i64)
  ^bb41:  // pred: ^bb36
    %441 = llvm.add %418, %149 : i64
    llvm.br ^bb34(%441 : i64)
  ^bb42:  // pred: ^bb34
    llvm.br ^bb43(%141 : i64)
  ^bb43(%442: i64):  // 2 preds: ^bb42, ^bb47
    %443 = llvm.icmp "slt" %442, %148 : i64
    llvm.cond_br %443, ^bb44, ^bb48
  ^bb44:  // pred: ^bb43
    llvm.br ^bb45(%141 : i64)
  ^bb45(%444: i64):  // 2 preds: ^bb44, ^bb46
    %445 = llvm.icmp "slt" %444, %151 : i64
    llvm.cond_br %445, ^bb46, ^bb47
  ^bb46:  // pred: ^bb45
    %446 = llvm.mlir.constant(10 : index) : i64
    %447 = llvm.mul %442, %446 : i64
    %448 = llvm.add %447, %444 : i64
    %449 = llvm.getelementptr %357[%448] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %450 = llvm.load %449 : !llvm.ptr -> f32
    %451 = llvm.add %442, %141 : i64
    %452 = llvm.getelementptr %288[%451] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %453 = llvm.load %452 : !llvm.ptr -> f32
    %454 = llvm.intr.log(%453)  : (f32) -> f32
    %455 = llvm.fsub %450, %454  : f32
    %456 = llvm.mlir.constant(10 : index) : i64
    %457 = llvm.mul %442, %456 : i64
    %458 = llvm.add %457, %444 : i64
    %459 = llvm.getelementptr %239[%458] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %455, %459 : f32, !llvm.ptr
    %460 = llvm.add %444, %149 : i64
    llvm.br ^bb45(%460 : i64)
  ^bb47:  // pred: ^bb45
    %461 = llvm.add %442, %149 : i64
    llvm.br ^bb43(%461 : i64)
  ^bb48:  // pred: ^bb43
    %462 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64)>
    %463 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %464 = llvm.insertvalue %463, %462[0] : !llvm.struct<(ptr, ptr, i64)> 
    %465 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %466 = llvm.getelementptr %465[%144] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %467 = llvm.insertvalue %466, %464[1] : !llvm.struct<(ptr, ptr, i64)> 
    %468 = llvm.mlir.constant(0 : index) : i64
    %469 = llvm.insertvalue %468, %467[2] : !llvm.struct<(ptr, ptr, i64)> 
    llvm.store %137, %466 : f32, !llvm.ptr
    llvm.br ^bb49(%141 : i64)
  ^bb49(%470: i64):  // 2 preds: ^bb48, ^bb53
    %471 = llvm.icmp "slt" %470, %148 : i64
    llvm.cond_br %471, ^bb50, ^bb54
  ^bb50:  // pred: ^bb49
    llvm.br ^bb51(%141 : i64)
  ^bb51(%472: i64):  // 2 preds: ^bb50, ^bb52
    %473 = llvm.icmp "slt" %472, %151 : i64
    llvm.cond_br %473, ^bb52, ^bb53
  ^bb52:  // pred: ^bb51
    %474 = llvm.mlir.constant(10 : index) : i64
    %475 = llvm.mul %470, %474 : i64
    %476 = llvm.add %475, %472 : i64
    %477 = llvm.getelementptr %239[%476] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %478 = llvm.load %477 : !llvm.ptr -> f32
    %479 = llvm.extractvalue %75[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %480 = llvm.mlir.constant(10 : index) : i64
    %481 = llvm.mul %470, %480 : i64
    %482 = llvm.add %481, %472 : i64
    %483 = llvm.getelementptr %479[%482] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %484 = llvm.load %483 : !llvm.ptr -> f32
    %485 = llvm.load %466 : !llvm.ptr -> f32
    %486 = llvm.fmul %478, %484  : f32
    %487 = llvm.fadd %485, %486  : f32
    llvm.store %487, %466 : f32, !llvm.ptr
    %488 = llvm.add %472, %149 : i64
    llvm.br ^bb51(%488 : i64)
  ^bb53:  // pred: ^bb51
    %489 = llvm.add %470, %149 : i64
    llvm.br ^bb49(%489 : i64)
  ^bb54:  // pred: ^bb49
    %490 = llvm.load %466 : !llvm.ptr -> f32
    %491 = llvm.fmul %490, %139  : f32
    %492 = llvm.extractvalue %57[1] : !llvm.struct<(ptr, ptr, i64)> 
    llvm.store %491, %492 : f32, !llvm.ptr
    llvm.br ^bb55(%141 : i64)
  ^bb55(%493: i64):  // 2 preds: ^bb54, ^bb59
    %494 = llvm.icmp "slt" %493, %148 : i64
    llvm.cond_br %494, ^bb56, ^bb60
  ^bb56:  // pred: ^bb55
    llvm.br ^bb57(%141 : i64)
  ^bb57(%495: i64):  // 2 preds: ^bb56, ^bb58
    %496 = llvm.icmp "slt" %495, %151 : i64
    llvm.cond_br %496, ^bb58, ^bb59
  ^bb58:  // pred: ^bb57
    %497 = llvm.extractvalue %75[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %498 = llvm.mlir.constant(10 : index) : i64
    %499 = llvm.mul %493, %498 : i64
    %500 = llvm.add %499, %495 : i64
    %501 = llvm.getelementptr %497[%500] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %502 = llvm.load %501 : !llvm.ptr -> f32
    %503 = llvm.fmul %502, %139  : f32
    %504 = llvm.mlir.constant(10 : index) : i64
    %505 = llvm.mul %493, %504 : i64
    %506 = llvm.add %505, %495 : i64
    %507 = llvm.getelementptr %357[%506] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %503, %507 : f32, !llvm.ptr
    %508 = llvm.add %495, %149 : i64
    llvm.br ^bb57(%508 : i64)
  ^bb59:  // pred: ^bb57
    %509 = llvm.add %493, %149 : i64
    llvm.br ^bb55(%509 : i64)
  ^bb60:  // pred: ^bb55
    %510 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %511 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %512 = llvm.insertvalue %511, %510[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %513 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %514 = llvm.getelementptr %513[%145] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %515 = llvm.insertvalue %514, %512[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %516 = llvm.mlir.constant(0 : index) : i64
    %517 = llvm.insertvalue %516, %515[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %518 = llvm.mlir.constant(1 : index) : i64
    %519 = llvm.insertvalue %518, %517[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %520 = llvm.mlir.constant(1 : index) : i64
    %521 = llvm.insertvalue %520, %519[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %522 = llvm.mlir.constant(32 : index) : i64
    %523 = llvm.insertvalue %522, %521[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %524 = llvm.mlir.constant(1 : index) : i64
    %525 = llvm.insertvalue %524, %523[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.br ^bb61(%141 : i64)
  ^bb61(%526: i64):  // 2 preds: ^bb60, ^bb65
    %527 = llvm.icmp "slt" %526, %148 : i64
    llvm.cond_br %527, ^bb62, ^bb66
  ^bb62:  // pred: ^bb61
    llvm.br ^bb63(%141 : i64)
  ^bb63(%528: i64):  // 2 preds: ^bb62, ^bb64
    %529 = llvm.icmp "slt" %528, %149 : i64
    llvm.cond_br %529, ^bb64, ^bb65
  ^bb64:  // pred: ^bb63
    %530 = llvm.add %526, %528 : i64
    %531 = llvm.getelementptr %514[%530] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %137, %531 : f32, !llvm.ptr
    %532 = llvm.add %528, %149 : i64
    llvm.br ^bb63(%532 : i64)
  ^bb65:  // pred: ^bb63
    %533 = llvm.add %526, %149 : i64
    llvm.br ^bb61(%533 : i64)
  ^bb66:  // pred: ^bb61
    llvm.br ^bb67(%141 : i64)
  ^bb67(%534: i64):  // 2 preds: ^bb66, ^bb74
    %535 = llvm.icmp "slt" %534, %148 : i64
    llvm.cond_br %535, ^bb68, ^bb75
  ^bb68:  // pred: ^bb67
    llvm.br ^bb69(%141 : i64)
  ^bb69(%536: i64):  // 2 preds: ^bb68, ^bb73
    %537 = llvm.icmp "slt" %536, %149 : i64
    llvm.cond_br %537, ^bb70, ^bb74
  ^bb70:  // pred: ^bb69
    llvm.br ^bb71(%141 : i64)
  ^bb71(%538: i64):  // 2 preds: ^bb70, ^bb72
    %539 = llvm.icmp "slt" %538, %151 : i64
    llvm.cond_br %539, ^bb72, ^bb73
  ^bb72:  // pred: ^bb71
    %540 = llvm.mlir.constant(10 : index) : i64
    %541 = llvm.mul %534, %540 : i64
    %542 = llvm.mlir.constant(10 : index) : i64
    %543 = llvm.mul %536, %542 : i64
    %544 = llvm.add %541, %543 : i64
    %545 = llvm.add %544, %538 : i64
    %546 = llvm.getelementptr %357[%545] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %547 = llvm.load %546 : !llvm.ptr -> f32
    %548 = llvm.add %534, %536 : i64
    %549 = llvm.getelementptr %514[%548] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %550 = llvm.load %549 : !llvm.ptr -> f32
    %551 = llvm.fadd %550, %547  : f32
    %552 = llvm.add %534, %536 : i64
    %553 = llvm.getelementptr %514[%552] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %551, %553 : f32, !llvm.ptr
    %554 = llvm.add %538, %149 : i64
    llvm.br ^bb71(%554 : i64)
  ^bb73:  // pred: ^bb71
    %555 = llvm.add %536, %149 : i64
    llvm.br ^bb69(%555 : i64)
  ^bb74:  // pred: ^bb69
    %556 = llvm.add %534, %149 : i64
    llvm.br ^bb67(%556 : i64)
  ^bb75:  // pred: ^bb67
    %557 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %558 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %559 = llvm.insertvalue %558, %557[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %560 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %561 = llvm.getelementptr %560[%146] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %562 = llvm.insertvalue %561, %559[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %563 = llvm.mlir.constant(0 : index) : i64
    %564 = llvm.insertvalue %563, %562[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %565 = llvm.mlir.constant(10 : index) : i64
    %566 = llvm.insertvalue %565, %564[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %567 = llvm.mlir.constant(1 : index) : i64
    %568 = llvm.insertvalue %567, %566[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %569 = llvm.mlir.constant(32 : index) : i64
    %570 = llvm.insertvalue %569, %568[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %571 = llvm.mlir.constant(10 : index) : i64
    %572 = llvm.insertvalue %571, %570[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.br ^bb76(%141 : i64)
  ^bb76(%573: i64):  // 2 preds: ^bb75, ^bb80
    %574 = llvm.icmp "slt" %573, %148 : i64
    llvm.cond_br %574, ^bb77, ^bb81
  ^bb77:  // pred: ^bb76
    llvm.br ^bb78(%141 : i64)
  ^bb78(%575: i64):  // 2 preds: ^bb77, ^bb79
    %576 = llvm.icmp "slt" %575, %151 : i64
    llvm.cond_br %576, ^bb79, ^bb80
  ^bb79:  // pred: ^bb78
    %577 = llvm.mlir.constant(10 : index) : i64
    %578 = llvm.mul %573, %577 : i64
    %579 = llvm.add %578, %575 : i64
    %580 = llvm.getelementptr %357[%579] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %581 = llvm.load %580 : !llvm.ptr -> f32
    %582 = llvm.mlir.constant(10 : index) : i64
    %583 = llvm.mul %573, %582 : i64
    %584 = llvm.add %583, %575 : i64
    %585 = llvm.getelementptr %239[%584] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %586 = llvm.load %585 : !llvm.ptr -> f32
    %587 = llvm.add %573, %141 : i64
    %588 = llvm.getelementptr %514[%587] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %589 = llvm.load %588 : !llvm.ptr -> f32
    %590 = llvm.intr.exp(%586)  : (f32) -> f32
    %591 = llvm.fmul %590, %589  : f32
    %592 = llvm.fsub %581, %591  : f32
    %593 = llvm.mlir.constant(10 : index) : i64
    %594 = llvm.mul %573, %593 : i64
    %595 = llvm.add %594, %575 : i64
    %596 = llvm.getelementptr %561[%595] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %592, %596 : f32, !llvm.ptr
    %597 = llvm.add %575, %149 : i64
    llvm.br ^bb78(%597 : i64)
  ^bb80:  // pred: ^bb78
    %598 = llvm.add %573, %149 : i64
    llvm.br ^bb76(%598 : i64)
  ^bb81:  // pred: ^bb76
    %599 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %600 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %601 = llvm.insertvalue %600, %599[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %602 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %603 = llvm.getelementptr %602[%147] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %604 = llvm.insertvalue %603, %601[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %605 = llvm.mlir.constant(0 : index) : i64
    %606 = llvm.insertvalue %605, %604[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %607 = llvm.mlir.constant(10 : index) : i64
    %608 = llvm.insertvalue %607, %606[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %609 = llvm.mlir.constant(1 : index) : i64
    %610 = llvm.insertvalue %609, %608[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    llvm.br ^bb82(%141 : i64)
  ^bb82(%611: i64):  // 2 preds: ^bb81, ^bb83
    %612 = llvm.icmp "slt" %611, %151 : i64
    llvm.cond_br %612, ^bb83, ^bb84
  ^bb83:  // pred: ^bb82
    %613 = llvm.getelementptr %603[%611] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %137, %613 : f32, !llvm.ptr
    %614 = llvm.add %611, %149 : i64
    llvm.br ^bb82(%614 : i64)
  ^bb84:  // pred: ^bb82
    llvm.br ^bb85(%141 : i64)
  ^bb85(%615: i64):  // 2 preds: ^bb84, ^bb89
    %616 = llvm.icmp "slt" %615, %148 : i64
    llvm.cond_br %616, ^bb86, ^bb90
  ^bb86:  // pred: ^bb85
    llvm.br ^bb87(%141 : i64)
  ^bb87(%617: i64):  // 2 preds: ^bb86, ^bb88
    %618 = llvm.icmp "slt" %617, %151 : i64
    llvm.cond_br %618, ^bb88, ^bb89
  ^bb88:  // pred: ^bb87
    %619 = llvm.mlir.constant(10 : index) : i64
    %620 = llvm.mul %615, %619 : i64
    %621 = llvm.add %620, %617 : i64
    %622 = llvm.getelementptr %561[%621] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %623 = llvm.load %622 : !llvm.ptr -> f32
    %624 = llvm.getelementptr %603[%617] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %625 = llvm.load %624 : !llvm.ptr -> f32
    %626 = llvm.fadd %625, %623  : f32
    %627 = llvm.getelementptr %603[%617] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %626, %627 : f32, !llvm.ptr
    %628 = llvm.add %617, %149 : i64
    llvm.br ^bb87(%628 : i64)
  ^bb89:  // pred: ^bb87
    %629 = llvm.add %615, %149 : i64
    llvm.br ^bb85(%629 : i64)
  ^bb90:  // pred: ^bb85
    %630 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %631 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %632 = llvm.insertvalue %631, %630[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %633 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %634 = llvm.getelementptr %633[%142] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %635 = llvm.insertvalue %634, %632[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %636 = llvm.mlir.constant(0 : index) : i64
    %637 = llvm.insertvalue %636, %635[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %638 = llvm.mlir.constant(128 : index) : i64
    %639 = llvm.insertvalue %638, %637[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %640 = llvm.mlir.constant(1 : index) : i64
    %641 = llvm.insertvalue %640, %639[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %642 = llvm.mlir.constant(32 : index) : i64
    %643 = llvm.insertvalue %642, %641[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %644 = llvm.mlir.constant(128 : index) : i64
    %645 = llvm.insertvalue %644, %643[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %646 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %647 = llvm.extractvalue %110[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %648 = llvm.insertvalue %647, %646[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %649 = llvm.extractvalue %110[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %650 = llvm.insertvalue %649, %648[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %651 = llvm.extractvalue %110[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %652 = llvm.insertvalue %651, %650[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %653 = llvm.extractvalue %110[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %654 = llvm.insertvalue %653, %652[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %655 = llvm.extractvalue %110[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %656 = llvm.insertvalue %655, %654[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %657 = llvm.extractvalue %110[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %658 = llvm.insertvalue %657, %656[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %659 = llvm.extractvalue %110[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %660 = llvm.insertvalue %659, %658[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %661 = llvm.mlir.constant(0 : index) : i64
    %662 = llvm.mlir.constant(1 : index) : i64
    %663 = llvm.alloca %662 x f32 : (i64) -> !llvm.ptr
    %664 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %665 = llvm.insertvalue %663, %664[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %666 = llvm.insertvalue %663, %665[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %667 = llvm.mlir.constant(0 : index) : i64
    %668 = llvm.insertvalue %667, %666[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %669 = llvm.insertvalue %661, %668[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %670 = llvm.insertvalue %662, %669[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %671 = llvm.extractvalue %572[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %672 = llvm.extractvalue %572[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %673 = llvm.extractvalue %572[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %674 = llvm.extractvalue %572[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %675 = llvm.extractvalue %572[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %676 = llvm.extractvalue %572[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %677 = llvm.extractvalue %572[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %678 = llvm.extractvalue %660[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %679 = llvm.extractvalue %660[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %680 = llvm.extractvalue %660[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %681 = llvm.extractvalue %660[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %682 = llvm.extractvalue %660[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %683 = llvm.extractvalue %660[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %684 = llvm.extractvalue %660[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %685 = llvm.extractvalue %645[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %686 = llvm.extractvalue %645[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %687 = llvm.extractvalue %645[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %688 = llvm.extractvalue %645[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %689 = llvm.extractvalue %645[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %690 = llvm.extractvalue %645[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %691 = llvm.extractvalue %645[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %692 = llvm.extractvalue %670[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %693 = llvm.extractvalue %670[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %694 = llvm.extractvalue %670[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %695 = llvm.extractvalue %670[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %696 = llvm.extractvalue %670[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %697 = llvm.extractvalue %645[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %698 = llvm.extractvalue %645[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %699 = llvm.extractvalue %645[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %700 = llvm.extractvalue %645[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %701 = llvm.extractvalue %645[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %702 = llvm.extractvalue %645[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %703 = llvm.extractvalue %645[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.call @kiln_matmul_epilogue_f32(%671, %672, %673, %674, %675, %676, %677, %678, %679, %680, %681, %682, %683, %684, %685, %686, %687, %688, %689, %690, %691, %692, %693, %694, %695, %696, %697, %698, %699, %700, %701, %702, %703, %140) {kiln.epilogue = []} : (!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64) -> ()
    %704 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %705 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %706 = llvm.insertvalue %705, %704[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %707 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %708 = llvm.getelementptr %707[%145] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %709 = llvm.insertvalue %708, %706[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %710 = llvm.mlir.constant(0 : index) : i64
    %711 = llvm.insertvalue %710, %709[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %712 = llvm.mlir.constant(10 : index) : i64
    %713 = llvm.insertvalue %712, %711[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %714 = llvm.mlir.constant(1 : index) : i64
    %715 = llvm.insertvalue %714, %713[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %716 = llvm.mlir.constant(128 : index) : i64
    %717 = llvm.insertvalue %716, %715[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %718 = llvm.mlir.constant(10 : index) : i64
    %719 = llvm.insertvalue %718, %717[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %720 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %721 = llvm.insertvalue %204, %720[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %722 = llvm.insertvalue %207, %721[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %723 = llvm.insertvalue %209, %722[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %724 = llvm.insertvalue %211, %723[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %725 = llvm.insertvalue %213, %724[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %726 = llvm.insertvalue %215, %725[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %727 = llvm.insertvalue %217, %726[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %728 = llvm.mlir.constant(0 : index) : i64
    %729 = llvm.mlir.constant(1 : index) : i64
    %730 = llvm.alloca %729 x f32 : (i64) -> !llvm.ptr
    %731 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %732 = llvm.insertvalue %730, %731[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %733 = llvm.insertvalue %730, %732[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %734 = llvm.mlir.constant(0 : index) : i64
    %735 = llvm.insertvalue %734, %733[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %736 = llvm.insertvalue %728, %735[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %737 = llvm.insertvalue %729, %736[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %738 = llvm.extractvalue %727[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %739 = llvm.extractvalue %727[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %740 = llvm.extractvalue %727[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %741 = llvm.extractvalue %727[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %742 = llvm.extractvalue %727[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %743 = llvm.extractvalue %727[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %744 = llvm.extractvalue %727[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %745 = llvm.extractvalue %572[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %746 = llvm.extractvalue %572[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %747 = llvm.extractvalue %572[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %748 = llvm.extractvalue %572[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %749 = llvm.extractvalue %572[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %750 = llvm.extractvalue %572[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %751 = llvm.extractvalue %572[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %752 = llvm.extractvalue %719[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %753 = llvm.extractvalue %719[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %754 = llvm.extractvalue %719[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %755 = llvm.extractvalue %719[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %756 = llvm.extractvalue %719[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %757 = llvm.extractvalue %719[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %758 = llvm.extractvalue %719[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %759 = llvm.extractvalue %737[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %760 = llvm.extractvalue %737[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %761 = llvm.extractvalue %737[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %762 = llvm.extractvalue %737[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %763 = llvm.extractvalue %737[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %764 = llvm.extractvalue %719[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %765 = llvm.extractvalue %719[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %766 = llvm.extractvalue %719[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %767 = llvm.extractvalue %719[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %768 = llvm.extractvalue %719[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %769 = llvm.extractvalue %719[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %770 = llvm.extractvalue %719[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.call @kiln_matmul_epilogue_f32(%738, %739, %740, %741, %742, %743, %744, %745, %746, %747, %748, %749, %750, %751, %752, %753, %754, %755, %756, %757, %758, %759, %760, %761, %762, %763, %764, %765, %766, %767, %768, %769, %770, %140) {kiln.epilogue = []} : (!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64) -> ()
    llvm.br ^bb91(%141 : i64)
  ^bb91(%771: i64):  // 2 preds: ^bb90, ^bb95
    %772 = llvm.icmp "slt" %771, %148 : i64
    llvm.cond_br %772, ^bb92, ^bb96
  ^bb92:  // pred: ^bb91
    llvm.br ^bb93(%141 : i64)
  ^bb93(%773: i64):  // 2 preds: ^bb92, ^bb94
    %774 = llvm.icmp "slt" %773, %150 : i64
    llvm.cond_br %774, ^bb94, ^bb95
  ^bb94:  // pred: ^bb93
    %775 = llvm.mlir.constant(128 : index) : i64
    %776 = llvm.mul %771, %775 : i64
    %777 = llvm.add %776, %773 : i64
    %778 = llvm.getelementptr %158[%777] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %779 = llvm.load %778 : !llvm.ptr -> f32
    %780 = llvm.mlir.constant(128 : index) : i64
    %781 = llvm.mul %771, %780 : i64
    %782 = llvm.add %781, %773 : i64
    %783 = llvm.getelementptr %634[%782] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %784 = llvm.load %783 : !llvm.ptr -> f32
    %785 = llvm.fcmp "ogt" %779, %137 : f32
    %786 = llvm.select %785, %784, %137 : i1, f32
    %787 = llvm.mlir.constant(128 : index) : i64
    %788 = llvm.mul %771, %787 : i64
    %789 = llvm.add %788, %773 : i64
    %790 = llvm.getelementptr %158[%789] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %786, %790 : f32, !llvm.ptr
    %791 = llvm.add %773, %149 : i64
    llvm.br ^bb93(%791 : i64)
  ^bb95:  // pred: ^bb93
    %792 = llvm.add %771, %149 : i64
    llvm.br ^bb91(%792 : i64)
  ^bb96:  // pred: ^bb91
    %793 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %794 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %795 = llvm.insertvalue %794, %793[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %796 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %797 = llvm.getelementptr %796[%146] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %798 = llvm.insertvalue %797, %795[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %799 = llvm.mlir.constant(0 : index) : i64
    %800 = llvm.insertvalue %799, %798[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %801 = llvm.mlir.constant(128 : index) : i64
    %802 = llvm.insertvalue %801, %800[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %803 = llvm.mlir.constant(1 : index) : i64
    %804 = llvm.insertvalue %803, %802[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    llvm.br ^bb97(%141 : i64)
  ^bb97(%805: i64):  // 2 preds: ^bb96, ^bb98
    %806 = llvm.icmp "slt" %805, %150 : i64
    llvm.cond_br %806, ^bb98, ^bb99
  ^bb98:  // pred: ^bb97
    %807 = llvm.getelementptr %797[%805] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %137, %807 : f32, !llvm.ptr
    %808 = llvm.add %805, %149 : i64
    llvm.br ^bb97(%808 : i64)
  ^bb99:  // pred: ^bb97
    llvm.br ^bb100(%141 : i64)
  ^bb100(%809: i64):  // 2 preds: ^bb99, ^bb104
    %810 = llvm.icmp "slt" %809, %148 : i64
    llvm.cond_br %810, ^bb101, ^bb105
  ^bb101:  // pred: ^bb100
    llvm.br ^bb102(%141 : i64)
  ^bb102(%811: i64):  // 2 preds: ^bb101, ^bb103
    %812 = llvm.icmp "slt" %811, %150 : i64
    llvm.cond_br %812, ^bb103, ^bb104
  ^bb103:  // pred: ^bb102
    %813 = llvm.mlir.constant(128 : index) : i64
    %814 = llvm.mul %809, %813 : i64
    %815 = llvm.add %814, %811 : i64
    %816 = llvm.getelementptr %158[%815] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %817 = llvm.load %816 : !llvm.ptr -> f32
    %818 = llvm.getelementptr %797[%811] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %819 = llvm.load %818 : !llvm.ptr -> f32
    %820 = llvm.fadd %819, %817  : f32
    %821 = llvm.getelementptr %797[%811] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %820, %821 : f32, !llvm.ptr
    %822 = llvm.add %811, %149 : i64
    llvm.br ^bb102(%822 : i64)
  ^bb104:  // pred: ^bb102
    %823 = llvm.add %809, %149 : i64
    llvm.br ^bb100(%823 : i64)
  ^bb105:  // pred: ^bb100
    %824 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %825 = llvm.extractvalue %8[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %826 = llvm.insertvalue %825, %824[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %827 = llvm.extractvalue %8[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %828 = llvm.getelementptr %827[%141] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %829 = llvm.insertvalue %828, %826[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %830 = llvm.mlir.constant(0 : index) : i64
    %831 = llvm.insertvalue %830, %829[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %832 = llvm.mlir.constant(128 : index) : i64
    %833 = llvm.insertvalue %832, %831[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %834 = llvm.mlir.constant(1 : index) : i64
    %835 = llvm.insertvalue %834, %833[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %836 = llvm.mlir.constant(64 : index) : i64
    %837 = llvm.insertvalue %836, %835[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %838 = llvm.mlir.constant(128 : index) : i64
    %839 = llvm.insertvalue %838, %837[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %840 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %841 = llvm.extractvalue %88[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %842 = llvm.insertvalue %841, %840[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %843 = llvm.extractvalue %88[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %844 = llvm.insertvalue %843, %842[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %845 = llvm.extractvalue %88[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %846 = llvm.insertvalue %845, %844[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %847 = llvm.extractvalue %88[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %848 = llvm.insertvalue %847, %846[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %849 = llvm.extractvalue %88[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %850 = llvm.insertvalue %849, %848[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %851 = llvm.extractvalue %88[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %852 = llvm.insertvalue %851, %850[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %853 = llvm.extractvalue %88[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %854 = llvm.insertvalue %853, %852[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %855 = llvm.mlir.constant(0 : index) : i64
    %856 = llvm.mlir.constant(1 : index) : i64
    %857 = llvm.alloca %856 x f32 : (i64) -> !llvm.ptr
    %858 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %859 = llvm.insertvalue %857, %858[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %860 = llvm.insertvalue %857, %859[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %861 = llvm.mlir.constant(0 : index) : i64
    %862 = llvm.insertvalue %861, %860[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %863 = llvm.insertvalue %855, %862[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %864 = llvm.insertvalue %856, %863[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %865 = llvm.extractvalue %854[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %866 = llvm.extractvalue %854[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %867 = llvm.extractvalue %854[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %868 = llvm.extractvalue %854[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %869 = llvm.extractvalue %854[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %870 = llvm.extractvalue %854[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %871 = llvm.extractvalue %854[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %872 = llvm.extractvalue %169[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %873 = llvm.extractvalue %169[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %874 = llvm.extractvalue %169[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %875 = llvm.extractvalue %169[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %876 = llvm.extractvalue %169[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %877 = llvm.extractvalue %169[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %878 = llvm.extractvalue %169[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %879 = llvm.extractvalue %839[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %880 = llvm.extractvalue %839[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %881 = llvm.extractvalue %839[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %882 = llvm.extractvalue %839[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %883 = llvm.extractvalue %839[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %884 = llvm.extractvalue %839[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %885 = llvm.extractvalue %839[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %886 = llvm.extractvalue %864[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %887 = llvm.extractvalue %864[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %888 = llvm.extractvalue %864[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %889 = llvm.extractvalue %864[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %890 = llvm.extractvalue %864[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %891 = llvm.extractvalue %839[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %892 = llvm.extractvalue %839[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %893 = llvm.extractvalue %839[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %894 = llvm.extractvalue %839[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %895 = llvm.extractvalue %839[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %896 = llvm.extractvalue %839[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %897 = llvm.extractvalue %839[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    llvm.call @kiln_matmul_epilogue_f32(%865, %866, %867, %868, %869, %870, %871, %872, %873, %874, %875, %876, %877, %878, %879, %880, %881, %882, %883, %884, %885, %886, %887, %888, %889, %890, %891, %892, %893, %894, %895, %896, %897, %140) {kiln.epilogue = []} : (!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64) -> ()
    %898 = llvm.extractvalue %62[1] : !llvm.struct<(ptr, ptr, i64)> 
    %899 = llvm.load %898 : !llvm.ptr -> f32
    %900 = llvm.extractvalue %132[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %901 = llvm.ptrtoint %900 : !llvm.ptr to i64
    llvm.store %901, %153 : i64, !llvm.ptr
    %902 = llvm.extractvalue %839[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %903 = llvm.ptrtoint %902 : !llvm.ptr to i64
    %904 = llvm.getelementptr %153[1] : (!llvm.ptr) -> !llvm.ptr, i64
    llvm.store %903, %904 : i64, !llvm.ptr
    %905 = llvm.bitcast %899 : f32 to i32
    %906 = llvm.zext %905 : i32 to i64
    %907 = llvm.getelementptr %153[2] : (!llvm.ptr) -> !llvm.ptr, i64
    llvm.store %906, %907 : i64, !llvm.ptr
    %908 = llvm.extractvalue %52[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %909 = llvm.ptrtoint %908 : !llvm.ptr to i64
    %910 = llvm.getelementptr %153[3] : (!llvm.ptr) -> !llvm.ptr, i64
    llvm.store %909, %910 : i64, !llvm.ptr
    llvm.call @kiln_parallel_for(%135, %153, %134, %133) : (!llvm.ptr, !llvm.ptr, i64, i64) -> ()
    %911 = llvm.extractvalue %62[1] : !llvm.struct<(ptr, ptr, i64)> 
    %912 = llvm.load %911 : !llvm.ptr -> f32
    llvm.br ^bb106(%141 : i64)
  ^bb106(%913: i64):  // 2 preds: ^bb105, ^bb107
    %914 = llvm.icmp "slt" %913, %150 : i64
    llvm.cond_br %914, ^bb107, ^bb108
  ^bb107:  // pred: ^bb106
    %915 = llvm.extractvalue %119[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %916 = llvm.getelementptr %915[%913] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %917 = llvm.load %916 : !llvm.ptr -> f32
    %918 = llvm.getelementptr %797[%913] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %919 = llvm.load %918 : !llvm.ptr -> f32
    %920 = llvm.fmul %919, %912  : f32
    %921 = llvm.fsub %917, %920  : f32
    %922 = llvm.extractvalue %39[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %923 = llvm.getelementptr %922[%913] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %921, %923 : f32, !llvm.ptr
    %924 = llvm.add %913, %149 : i64
    llvm.br ^bb106(%924 : i64)
  ^bb108:  // pred: ^bb106
    %925 = llvm.extractvalue %62[1] : !llvm.struct<(ptr, ptr, i64)> 
    %926 = llvm.load %925 : !llvm.ptr -> f32
    llvm.br ^bb109(%141 : i64)
  ^bb109(%927: i64):  // 2 preds: ^bb108, ^bb113
    %928 = llvm.icmp "slt" %927, %150 : i64
    llvm.cond_br %928, ^bb110, ^bb114
  ^bb110:  // pred: ^bb109
    llvm.br ^bb111(%141 : i64)
  ^bb111(%929: i64):  // 2 preds: ^bb110, ^bb112
    %930 = llvm.icmp "slt" %929, %151 : i64
    llvm.cond_br %930, ^bb112, ^bb113
  ^bb112:  // pred: ^bb111
    %931 = llvm.extractvalue %110[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %932 = llvm.mlir.constant(10 : index) : i64
    %933 = llvm.mul %927, %932 : i64
    %934 = llvm.add %933, %929 : i64
    %935 = llvm.getelementptr %931[%934] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %936 = llvm.load %935 : !llvm.ptr -> f32
    %937 = llvm.mlir.constant(10 : index) : i64
    %938 = llvm.mul %927, %937 : i64
    %939 = llvm.add %938, %929 : i64
    %940 = llvm.getelementptr %708[%939] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %941 = llvm.load %940 : !llvm.ptr -> f32
    %942 = llvm.fmul %941, %926  : f32
    %943 = llvm.fsub %936, %942  : f32
    %944 = llvm.extractvalue %30[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %945 = llvm.mlir.constant(10 : index) : i64
    %946 = llvm.mul %927, %945 : i64
    %947 = llvm.add %946, %929 : i64
    %948 = llvm.getelementptr %944[%947] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %943, %948 : f32, !llvm.ptr
    %949 = llvm.add %929, %149 : i64
    llvm.br ^bb111(%949 : i64)
  ^bb113:  // pred: ^bb111
    %950 = llvm.add %927, %149 : i64
    llvm.br ^bb109(%950 : i64)
  ^bb114:  // pred: ^bb109
    %951 = llvm.extractvalue %62[1] : !llvm.struct<(ptr, ptr, i64)> 
    %952 = llvm.load %951 : !llvm.ptr -> f32
    llvm.br ^bb115(%141 : i64)
  ^bb115(%953: i64):  // 2 preds: ^bb114, ^bb116
    %954 = llvm.icmp "slt" %953, %151 : i64
    llvm.cond_br %954, ^bb116, ^bb117
  ^bb116:  // pred: ^bb115
    %955 = llvm.extractvalue %97[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %956 = llvm.getelementptr %955[%953] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %957 = llvm.load %956 : !llvm.ptr -> f32
    %958 = llvm.getelementptr %603[%953] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %959 = llvm.load %958 : !llvm.ptr -> f32
    %960 = llvm.fmul %959, %952  : f32
    %961 = llvm.fsub %957, %960  : f32
    %962 = llvm.extractvalue %17[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %963 = llvm.getelementptr %962[%953] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %961, %963 : f32, !llvm.ptr
    %964 = llvm.add %953, %149 : i64
    llvm.br ^bb115(%964 : i64)
  ^bb117:  // pred: ^bb115
    llvm.return
  }
  llvm.func private @kiln_matmul_epilogue_f32(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: i64, %arg3: i64, %arg4: i64, %arg5: i64, %arg6: i64, %arg7: !llvm.ptr, %arg8: !llvm.ptr, %arg9: i64, %arg10: i64, %arg11: i64, %arg12: i64, %arg13: i64, %arg14: !llvm.ptr, %arg15: !llvm.ptr, %arg16: i64, %arg17: i64, %arg18: i64, %arg19: i64, %arg20: i64, %arg21: !llvm.ptr, %arg22: !llvm.ptr, %arg23: i64, %arg24: i64, %arg25: i64, %arg26: !llvm.ptr, %arg27: !llvm.ptr, %arg28: i64, %arg29: i64, %arg30: i64, %arg31: i64, %arg32: i64, %arg33: i64) attributes {llvm.emit_c_interface, sym_visibility = "private"} {
    %0 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %1 = llvm.insertvalue %arg0, %0[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %2 = llvm.insertvalue %arg1, %1[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %3 = llvm.insertvalue %arg2, %2[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %4 = llvm.insertvalue %arg3, %3[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %5 = llvm.insertvalue %arg5, %4[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %6 = llvm.insertvalue %arg4, %5[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %7 = llvm.insertvalue %arg6, %6[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %8 = llvm.mlir.constant(1 : index) : i64
    %9 = llvm.alloca %8 x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> : (i64) -> !llvm.ptr
    llvm.store %7, %9 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, !llvm.ptr
    %10 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %11 = llvm.insertvalue %arg7, %10[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %12 = llvm.insertvalue %arg8, %11[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %13 = llvm.insertvalue %arg9, %12[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %14 = llvm.insertvalue %arg10, %13[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %15 = llvm.insertvalue %arg12, %14[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %16 = llvm.insertvalue %arg11, %15[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %17 = llvm.insertvalue %arg13, %16[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %18 = llvm.mlir.constant(1 : index) : i64
    %19 = llvm.alloca %18 x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> : (i64) -> !llvm.ptr
    llvm.store %17, %19 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, !llvm.ptr
    %20 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %21 = llvm.insertvalue %arg14, %20[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %22 = llvm.insertvalue %arg15, %21[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %23 = llvm.insertvalue %arg16, %22[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %24 = llvm.insertvalue %arg17, %23[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %25 = llvm.insertvalue %arg19, %24[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %26 = llvm.insertvalue %arg18, %25[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %27 = llvm.insertvalue %arg20, %26[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %28 = llvm.mlir.constant(1 : index) : i64
    %29 = llvm.alloca %28 x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> : (i64) -> !llvm.ptr
    llvm.store %27, %29 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, !llvm.ptr
    %30 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    %31 = llvm.insertvalue %arg21, %30[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %32 = llvm.insertvalue %arg22, %31[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %33 = llvm.insertvalue %arg23, %32[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %34 = llvm.insertvalue %arg24, %33[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %35 = llvm.insertvalue %arg25, %34[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> 
    %36 = llvm.mlir.constant(1 : index) : i64
    %37 = llvm.alloca %36 x !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> : (i64) -> !llvm.ptr
    llvm.store %35, %37 : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>, !llvm.ptr
    %38 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %39 = llvm.insertvalue %arg26, %38[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %40 = llvm.insertvalue %arg27, %39[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %41 = llvm.insertvalue %arg28, %40[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %42 = llvm.insertvalue %arg29, %41[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %43 = llvm.insertvalue %arg31, %42[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %44 = llvm.insertvalue %arg30, %43[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %45 = llvm.insertvalue %arg32, %44[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %46 = llvm.mlir.constant(1 : index) : i64
    %47 = llvm.alloca %46 x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> : (i64) -> !llvm.ptr
    llvm.store %45, %47 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, !llvm.ptr
    llvm.call @_mlir_ciface_kiln_matmul_epilogue_f32(%9, %19, %29, %37, %47, %arg33) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64) -> ()
    llvm.return
  }
  llvm.func @_mlir_ciface_kiln_matmul_epilogue_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64) attributes {llvm.emit_c_interface, sym_visibility = "private"}
  llvm.func @train_step_parallel(%arg0: !llvm.ptr, %arg1: i64, %arg2: i64) attributes {sym_visibility = "private"} {
    %0 = llvm.mlir.constant(1 : i64) : i64
    %1 = llvm.mlir.constant(128 : i64) : i64
    %2 = llvm.mlir.constant(64 : i64) : i64
    %3 = llvm.mlir.constant(0 : i64) : i64
    %4 = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
    %5 = llvm.mlir.constant(0 : index) : i64
    %6 = llvm.mlir.constant(64 : index) : i64
    %7 = llvm.mlir.constant(128 : index) : i64
    %8 = llvm.mlir.constant(1 : index) : i64
    %9 = llvm.load %arg0 : !llvm.ptr -> i64
    %10 = llvm.inttoptr %9 : i64 to !llvm.ptr
    %11 = llvm.insertvalue %10, %4[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %12 = llvm.insertvalue %10, %11[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %13 = llvm.insertvalue %3, %12[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %14 = llvm.insertvalue %2, %13[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %15 = llvm.insertvalue %1, %14[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %16 = llvm.insertvalue %1, %15[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %17 = llvm.insertvalue %0, %16[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %18 = llvm.getelementptr %arg0[1] : (!llvm.ptr) -> !llvm.ptr, i64
    %19 = llvm.load %18 : !llvm.ptr -> i64
    %20 = llvm.inttoptr %19 : i64 to !llvm.ptr
    %21 = llvm.insertvalue %20, %4[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %22 = llvm.insertvalue %20, %21[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %23 = llvm.insertvalue %3, %22[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %24 = llvm.insertvalue %2, %23[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %25 = llvm.insertvalue %1, %24[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %26 = llvm.insertvalue %1, %25[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %27 = llvm.insertvalue %0, %26[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %28 = llvm.getelementptr %arg0[2] : (!llvm.ptr) -> !llvm.ptr, i64
    %29 = llvm.load %28 : !llvm.ptr -> i64
    %30 = llvm.trunc %29 : i64 to i32
    %31 = llvm.bitcast %30 : i32 to f32
    %32 = llvm.getelementptr %arg0[3] : (!llvm.ptr) -> !llvm.ptr, i64
    %33 = llvm.load %32 : !llvm.ptr -> i64
    %34 = llvm.inttoptr %33 : i64 to !llvm.ptr
    %35 = llvm.insertvalue %34, %4[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %36 = llvm.insertvalue %34, %35[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %37 = llvm.insertvalue %3, %36[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %38 = llvm.insertvalue %2, %37[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %39 = llvm.insertvalue %1, %38[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %40 = llvm.insertvalue %1, %39[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %41 = llvm.insertvalue %0, %40[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> 
    %42 = llvm.intr.smin(%arg2, %6)  : (i64, i64) -> i64
    llvm.br ^bb1(%arg1 : i64)
  ^bb1(%43: i64):  // 2 preds: ^bb0, ^bb5
    %44 = llvm.icmp "slt" %43, %42 : i64
    llvm.cond_br %44, ^bb2, ^bb6
  ^bb2:  // pred: ^bb1
    llvm.br ^bb3(%5 : i64)
  ^bb3(%45: i64):  // 2 preds: ^bb2, ^bb4
    %46 = llvm.icmp "slt" %45, %7 : i64
    llvm.cond_br %46, ^bb4, ^bb5
  ^bb4:  // pred: ^bb3
    %47 = llvm.mlir.constant(128 : index) : i64
    %48 = llvm.mul %43, %47 : i64
    %49 = llvm.add %48, %45 : i64
    %50 = llvm.getelementptr %10[%49] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %51 = llvm.load %50 : !llvm.ptr -> f32
    %52 = llvm.mlir.constant(128 : index) : i64
    %53 = llvm.mul %43, %52 : i64
    %54 = llvm.add %53, %45 : i64
    %55 = llvm.getelementptr %20[%54] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %56 = llvm.load %55 : !llvm.ptr -> f32
    %57 = llvm.fmul %56, %31  : f32
    %58 = llvm.fsub %51, %57  : f32
    %59 = llvm.mlir.constant(128 : index) : i64
    %60 = llvm.mul %43, %59 : i64
    %61 = llvm.add %60, %45 : i64
    %62 = llvm.getelementptr %34[%61] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %58, %62 : f32, !llvm.ptr
    %63 = llvm.add %45, %8 : i64
    llvm.br ^bb3(%63 : i64)
  ^bb5:  // pred: ^bb3
    %64 = llvm.add %43, %8 : i64
    llvm.br ^bb1(%64 : i64)
  ^bb6:  // pred: ^bb1
    llvm.return
  }
  llvm.func @kiln_parallel_for(!llvm.ptr, !llvm.ptr, i64, i64) attributes {sym_visibility = "private"}
}

