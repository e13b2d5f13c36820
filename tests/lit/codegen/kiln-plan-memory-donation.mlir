// RUN: kiln-opt %s -kiln-plan-memory | FileCheck %s

// An SGD-like update: the new parameter (out-parameter 0, argument 3) is
// computed elementwise from the old one (argument 0), which nothing reads
// afterwards: the old one is donated and the loop reads and writes one
// buffer. The momentum (argument 1 into result 1) too; the gradient
// (argument 2) is read after its writer and the new momentum is read by a
// later loop, which is fine: it is the output.
#id = affine_map<(d0) -> (d0)>
#scalar = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @sgd(
// CHECK-SAME: %[[P:[^:]*]]: memref<8xf32>, %[[M:[^:]*]]: memref<8xf32>, %[[G:[^:]*]]: memref<8xf32>, %[[LR:[^:]*]]: memref<f32>, %[[NP:[^:]*]]: memref<8xf32>, %[[NM:[^:]*]]: memref<8xf32>
// CHECK-SAME: kiln.donations = array<i64: 1, 1, 0, 0>
// CHECK-NOT: kiln.donatable
// CHECK: linalg.generic {{.*}} ins(%[[NM]], %[[G]] : {{.*}}) outs(%[[NM]] :
// CHECK: linalg.generic {{.*}} ins(%[[NP]], %[[NM]], %[[LR]] : {{.*}}) outs(%[[NP]] :
func.func @sgd(%p: memref<8xf32>, %m: memref<8xf32>, %g: memref<8xf32>,
               %lr: memref<f32>, %np: memref<8xf32>, %nm: memref<8xf32>)
    attributes {kiln.donatable = array<i64: 1, 0>, kiln.num_inputs = 4 : i64} {
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%m, %g : memref<8xf32>, memref<8xf32>) outs(%nm : memref<8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #scalar, #id], iterator_types = ["parallel"]}
      ins(%p, %nm, %lr : memref<8xf32>, memref<8xf32>, memref<f32>) outs(%np : memref<8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %t = arith.mulf %b, %c : f32
    %s = arith.subf %a, %t : f32
    linalg.yield %s : f32
  }
  return
}

// Not donated: after the output's writer, a reduction still reads the old
// value (and a reduction cannot take it either).
#all = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @read_after(
// CHECK-SAME: kiln.donations = array<i64>
// CHECK: ins(%arg0 : memref<8xf32>) outs(%arg1 :
// CHECK: ins(%arg0 : memref<8xf32>) outs(%arg2 :
func.func @read_after(%x: memref<8xf32>, %y: memref<8xf32>, %z: memref<f32>)
    attributes {kiln.donatable = array<i64: 0>, kiln.num_inputs = 1 : i64} {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.negf %a : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #all], iterator_types = ["reduction"]}
      ins(%x : memref<8xf32>) outs(%z : memref<f32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  }
  return
}

// Donated to the later output: its writer is the old value's last reader.
// CHECK-LABEL: func.func @last_reader(
// CHECK-SAME: kiln.donations = array<i64: 0, 1>
// CHECK: ins(%arg2 : memref<8xf32>) outs(%arg1 :
// CHECK: ins(%arg2 : memref<8xf32>) outs(%arg2 :
func.func @last_reader(%x: memref<8xf32>, %y: memref<8xf32>, %z: memref<8xf32>)
    attributes {kiln.donatable = array<i64: 0>, kiln.num_inputs = 1 : i64} {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.negf %a : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%z : memref<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  }
  return
}

// Not donated: the writer reads the old value at another element (a
// reversal), so it would read elements it already overwrote.
#rev = affine_map<(d0) -> (7 - d0)>
// CHECK-LABEL: func.func @reversed(
// CHECK-SAME: kiln.donations = array<i64>
func.func @reversed(%x: memref<8xf32>, %y: memref<8xf32>)
    attributes {kiln.donatable = array<i64: 0>, kiln.num_inputs = 1 : i64} {
  linalg.generic {indexing_maps = [#rev, #id], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  return
}

// Not donated: a reduction writes the output (other type, too), and a
// library-call-to-be (matmul) writes an output of the same type.
// CHECK-LABEL: func.func @contraction(
// CHECK-SAME: kiln.donations = array<i64>
func.func @contraction(%a: memref<4x4xf32>, %b: memref<4x4xf32>, %c: memref<4x4xf32>)
    attributes {kiln.donatable = array<i64: 0, 1>, kiln.num_inputs = 2 : i64} {
  linalg.matmul ins(%a, %b : memref<4x4xf32>, memref<4x4xf32>) outs(%c : memref<4x4xf32>)
  return
}

// Not donated: a different type, and the output read before its writer.
// CHECK-LABEL: func.func @mismatch(
// CHECK-SAME: kiln.donations = array<i64>
func.func @mismatch(%x: memref<8xf64>, %w: memref<8xf32>, %y: memref<8xf32>, %z: memref<8xf32>)
    attributes {kiln.donatable = array<i64: 0, 1>, kiln.num_inputs = 2 : i64} {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%z : memref<8xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%x, %w : memref<8xf64>, memref<8xf32>) outs(%z : memref<8xf32>) {
  ^bb0(%a: f64, %b: f32, %o: f32):
    %t = arith.truncf %a : f64 to f32
    %s = arith.addf %t, %b : f32
    linalg.yield %s : f32
  }
  return
}
