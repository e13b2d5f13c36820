// RUN: kiln-opt %s -kiln-plan-memory | FileCheck %s

// A chain of temporaries: each dies after its consumer ran, so the third
// reuses the first one's bytes. Steps count the body's top-level ops; each
// buffer reads [bytes, first step, last step, offset], offsets aligned to
// 64 bytes.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[X:.*]]: memref<16xf32>, %[[Y:.*]]: memref<16xf32>, %[[ARENA:.*]]: memref<128xi8>)
// CHECK-SAME: kiln.arena_buffers = [array<i64: 64, 0, 3, 0>, array<i64: 64, 1, 5, 64>, array<i64: 64, 4, 6, 0>]
// CHECK-SAME: kiln.arena_bytes = 128
// CHECK-SAME: kiln.arena_lower_bound = 128
// CHECK-SAME: kiln.arena_naive_bytes = 192
// CHECK: %[[O0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[O0]]][] : memref<128xi8> to memref<16xf32>
// CHECK: %[[O1:.*]] = arith.constant 64 : index
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[O1]]][] : memref<128xi8> to memref<16xf32>
// CHECK: linalg.copy ins(%[[X]] : memref<16xf32>) outs(%[[A]] : memref<16xf32>)
// CHECK: linalg.copy ins(%[[A]] : memref<16xf32>) outs(%[[B]] : memref<16xf32>)
// CHECK: %[[O2:.*]] = arith.constant 0 : index
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[O2]]][] : memref<128xi8> to memref<16xf32>
// CHECK-NOT: memref.alloc
func.func @chain(%x: memref<16xf32>, %y: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  linalg.copy ins(%x : memref<16xf32>) outs(%a : memref<16xf32>)
  linalg.copy ins(%a : memref<16xf32>) outs(%b : memref<16xf32>)
  %c = memref.alloc() : memref<16xf32>
  linalg.copy ins(%b : memref<16xf32>) outs(%c : memref<16xf32>)
  linalg.copy ins(%c : memref<16xf32>) outs(%y : memref<16xf32>)
  return
}

// A use through a view keeps the buffer alive: the second buffer cannot
// take the first one's bytes while the subview is still read.
// CHECK-LABEL: func.func @views(
// CHECK-SAME: kiln.arena_buffers = [array<i64: 256, 0, 4, 0>, array<i64: 16, 3, 5, 256>]
// CHECK: memref.subview
func.func @views(%x: memref<8x8xf32>, %y: memref<4xf32>) {
  %a = memref.alloc() : memref<8x8xf32>
  linalg.copy ins(%x : memref<8x8xf32>) outs(%a : memref<8x8xf32>)
  %row = memref.subview %a[0, 0] [1, 4] [1, 1] : memref<8x8xf32> to memref<4xf32, strided<[1]>>
  %b = memref.alloc() : memref<4xf32>
  linalg.copy ins(%row : memref<4xf32, strided<[1]>>) outs(%b : memref<4xf32>)
  linalg.copy ins(%b : memref<4xf32>) outs(%y : memref<4xf32>)
  return
}

// A buffer yielded out of a region escapes, a dynamic one has no static
// size, and private functions (called by others) keep their signature.
// CHECK-LABEL: func.func @kept(
// CHECK-SAME: %{{.*}}: memref<0xi8>)
// CHECK-SAME: kiln.arena_bytes = 0
// CHECK: scf.if
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
func.func @kept(%flag: i1, %n: index) {
  %r = scf.if %flag -> memref<4xf32> {
    %a = memref.alloc() : memref<4xf32>
    scf.yield %a : memref<4xf32>
  } else {
    %b = memref.alloc() : memref<4xf32>
    scf.yield %b : memref<4xf32>
  }
  %d = memref.alloc(%n) : memref<?xf32>
  return
}

// CHECK-LABEL: func.func private @helper(
// CHECK-SAME: %{{.*}}: memref<4xf32>)
// CHECK: memref.alloc
func.func private @helper(%x: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  linalg.copy ins(%x : memref<4xf32>) outs(%a : memref<4xf32>)
  return
}
