// RUN: kiln-opt %s -split-input-file -verify-diagnostics -kiln-bare-pointers | FileCheck %s
// RUN: kiln-opt %s -split-input-file -verify-diagnostics -kiln-bare-pointers -convert-func-to-llvm -reconcile-unrealized-casts | FileCheck %s --check-prefix=LLVM

// Static buffers, strided ones included, pass as one pointer each; a
// private function with a dynamic buffer keeps its descriptor.
// CHECK-LABEL: func.func private @kernel(
// CHECK-SAME: attributes {llvm.bareptr}
// CHECK-LABEL: func.func private @dynamic(
// CHECK-NOT: llvm.bareptr
// CHECK-LABEL: func.func @main(
// CHECK-SAME: attributes {llvm.bareptr}
// LLVM: llvm.func @kernel(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: f32)
// LLVM: llvm.func @dynamic(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
// LLVM: llvm.func @main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
func.func private @kernel(%a: memref<8xf32>,
                          %b: memref<4xf32, strided<[2], offset: 1>>, %s: f32) {
  return
}
func.func private @dynamic(%a: memref<?xf32>) {
  return
}
func.func @main(%a: memref<8xf32>, %arena: memref<64xi8>) {
  return
}

// -----

// An entry point the runtime calls with pointers cannot take a descriptor.
// expected-error @+1 {{@main takes a buffer whose shape or layout is not static: '(memref<?xf32>) -> ()'}}
func.func @main(%a: memref<?xf32>) {
  return
}
