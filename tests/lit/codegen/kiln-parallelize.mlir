// RUN: kiln-opt %s -kiln-parallelize=min-work=1000 | FileCheck %s
// RUN: kiln-opt %s -kiln-parallelize=min-work=1000000000 | FileCheck %s --check-prefix=SERIAL

// A large loop runs through the runtime: its buffers and scalars travel as
// 64-bit words, its constant bounds are cloned into the outlined body.
// CHECK-LABEL: func.func @scale(
// CHECK-SAME: %[[A:.*]]: memref<256x512xf32>, %[[C:.*]]: memref<256x512xf32>, %[[S:.*]]: f32)
// CHECK: %[[CTX:.*]] = llvm.alloca %{{.*}} x i64
// CHECK: %[[DA:.*]] = builtin.unrealized_conversion_cast %[[A]] : memref<256x512xf32> to !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK: %[[PA:.*]] = llvm.extractvalue %[[DA]][1]
// CHECK: %[[WA:.*]] = llvm.ptrtoint %[[PA]] : !llvm.ptr to i64
// CHECK: %[[SLOT0:.*]] = llvm.getelementptr %[[CTX]][0]
// CHECK: llvm.store %[[WA]], %[[SLOT0]]
// CHECK: %[[BITS:.*]] = arith.bitcast %[[S]] : f32 to i32
// CHECK: arith.extui %[[BITS]] : i32 to i64
// CHECK: %[[BODY:.*]] = constant @scale_parallel : (!llvm.ptr, i64, i64) -> ()
// CHECK: %[[N:.*]] = arith.constant 256 : i64
// CHECK: %[[COST:.*]] = arith.constant 2048 : i64
// CHECK: call @kiln_parallel_for(%[[BODY]], %[[CTX]], %[[N]], %[[COST]])
// CHECK-NOT: scf.parallel
// CHECK: return
// SERIAL-LABEL: func.func @scale(
// SERIAL: scf.parallel
// SERIAL-NOT: kiln_parallel_for
func.func @scale(%a: memref<256x512xf32>, %c: memref<256x512xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c256, %c512) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<256x512xf32>
    %y = arith.mulf %x, %s : f32
    memref.store %y, %c[%i, %j] : memref<256x512xf32>
    scf.reduce
  }
  return
}

// Too little work: the loop stays serial.
// CHECK-LABEL: func.func @small(
// CHECK: scf.parallel
// CHECK-NOT: kiln_parallel_for
// CHECK: return
func.func @small(%a: memref<4x4xf32>, %c: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c4) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<4x4xf32>
    memref.store %x, %c[%i, %j] : memref<4x4xf32>
    scf.reduce
  }
  return
}

// A view of an arena travels as the view's own aligned pointer, read from
// its descriptor (expand-strided-metadata would fold an
// extract_aligned_pointer_as_index of the view to the arena's, without the
// view's byte shift).
// CHECK-LABEL: func.func @arena(
// CHECK: %[[V:.*]] = memref.view
// CHECK: builtin.unrealized_conversion_cast %[[V]] : memref<128x128xf32> to
// CHECK-NOT: extract_aligned_pointer_as_index
// CHECK: call @kiln_parallel_for
func.func @arena(%arena: memref<131072xi8>, %c: memref<128x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 128 : index
  %shift = arith.constant 65536 : index
  %v = memref.view %arena[%shift][] : memref<131072xi8> to memref<128x128xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    %x = memref.load %v[%i, %j] : memref<128x128xf32>
    memref.store %x, %c[%i, %j] : memref<128x128xf32>
    scf.reduce
  }
  return
}

// A buffer of dynamic layout cannot be rebuilt from its pointer: serial.
// CHECK-LABEL: func.func @dynamic(
// CHECK: scf.parallel
// CHECK-NOT: kiln_parallel_for
// CHECK: return
func.func @dynamic(%a: memref<1024x1024xf32, strided<[?, 1], offset: ?>>,
                   %c: memref<1024x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 1024 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<1024x1024xf32, strided<[?, 1], offset: ?>>
    memref.store %x, %c[%i, %j] : memref<1024x1024xf32>
    scf.reduce
  }
  return
}

// Inside a serial loop, with a step of 2 and a view of static offset: the
// outer index travels as a word, the view's layout is rebuilt in the callee,
// and the callee runs lb + begin * step up to min(lb + end * step, ub).
// CHECK-LABEL: func.func @rows(
// CHECK: scf.for %[[K:.*]] =
// CHECK: arith.index_cast %[[K]] : index to i64
// CHECK: call @kiln_parallel_for
// CHECK-LABEL: func.func private @scale_parallel(
// CHECK-SAME: %[[CTXARG:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK: llvm.load
// CHECK: llvm.inttoptr
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<256x512xf32>
// CHECK: arith.index_cast %[[BEGIN]] : i64 to index
// CHECK: scf.parallel
// CHECK: return
// CHECK-LABEL: func.func private @rows_parallel(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %[[RBEGIN:.*]]: i64, %[[REND:.*]]: i64)
// CHECK: %[[OFFSET:.*]] = llvm.mlir.constant(64 : i64) : i64
// CHECK: llvm.insertvalue %[[OFFSET]], %{{.*}}[2]
// CHECK: to memref<100x64xf32, strided<[128, 1], offset: 64>>
// CHECK: %[[B:.*]] = arith.index_cast %[[RBEGIN]] : i64 to index
// CHECK: %[[BS:.*]] = arith.muli %[[B]], %{{.*}} : index
// CHECK: %[[LO:.*]] = arith.addi %{{.*}}, %[[BS]] : index
// CHECK: %[[HI:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%[[LO]], %{{.*}}) to (%[[HI]], %{{.*}})
func.func @rows(%a: memref<100x128xf32>, %c: memref<8x100x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c100 = arith.constant 100 : index
  %c64 = arith.constant 64 : index
  %view = memref.subview %a[0, 64] [100, 64] [1, 1]
      : memref<100x128xf32> to memref<100x64xf32, strided<[128, 1], offset: 64>>
  scf.for %k = %c0 to %c8 step %c1 {
    scf.parallel (%i, %j) = (%c0, %c0) to (%c100, %c64) step (%c2, %c1) {
      %x = memref.load %view[%i, %j] : memref<100x64xf32, strided<[128, 1], offset: 64>>
      memref.store %x, %c[%k, %i, %j] : memref<8x100x64xf32>
      scf.reduce
    }
  }
  return
}
