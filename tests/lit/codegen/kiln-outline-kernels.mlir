// RUN: kiln-opt %s -kiln-outline-kernels=min-kernels=1 | FileCheck %s
// RUN: kiln-opt %s -kiln-outline-kernels | FileCheck %s --check-prefix=FEW

#map = affine_map<(d0) -> (d0)>

// Two loop nests, more than min-kernels=1: each moves into a noinline
// function of its own, taking its buffers; the constant it reads is cloned
// in, a scalar argument from above is passed.
// CHECK-LABEL: func.func private @main_kernel0(
// CHECK-SAME: %[[A:.+]]: memref<8xf32>, %[[B:.+]]: memref<8xf32>)
// CHECK-SAME: attributes {passthrough = ["noinline"]}
// CHECK-NEXT: %[[TWO:.+]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: linalg.generic
// CHECK-SAME: ins(%[[A]] : memref<8xf32>) outs(%[[B]] : memref<8xf32>)
// CHECK: arith.mulf %{{.+}}, %[[TWO]] : f32
// CHECK: return
// CHECK-LABEL: func.func private @main_kernel1(
// CHECK-SAME: %[[B2:.+]]: memref<8xf32>, %[[C:.+]]: memref<8xf32>, %[[S:.+]]: f32)
// CHECK: arith.addf %{{.+}}, %[[S]] : f32
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[MA:[^:]+]]: memref<8xf32>, %[[MB:[^:]+]]: memref<8xf32>, %[[MC:[^:]+]]: memref<8xf32>, %[[MS:[^:]+]]: f32)
// CHECK: call @main_kernel0(%[[MA]], %[[MB]]) : (memref<8xf32>, memref<8xf32>) -> ()
// CHECK-NEXT: call @main_kernel1(%[[MB]], %[[MC]], %[[MS]]) : (memref<8xf32>, memref<8xf32>, f32) -> ()
// CHECK-NEXT: return

// With the default (more than 32 loop nests), two stay where they are.
// FEW-NOT: call
// FEW: linalg.generic
// FEW: linalg.generic
func.func @main(%a: memref<8xf32>, %b: memref<8xf32>, %c: memref<8xf32>,
                %s: f32) {
  %two = arith.constant 2.0 : f32
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : memref<8xf32>) outs(%b : memref<8xf32>) {
  ^bb0(%x: f32, %y: f32):
    %m = arith.mulf %x, %two : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%b : memref<8xf32>) outs(%c : memref<8xf32>) {
  ^bb0(%x: f32, %y: f32):
    %p = arith.addf %x, %s : f32
    linalg.yield %p : f32
  }
  return
}

