// `kiln plan` prints each function's memory plan.
// RUN: kiln plan %s | FileCheck %s
// RUN: kiln plan - < %s | FileCheck %s
// RUN: not kiln plan %s.missing 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not kiln plan %S/../ir/Inputs/parse-error.mlir 2>&1 | FileCheck %s --check-prefix=PARSE
// RUN: not kiln plan 2>&1 | FileCheck %s --check-prefix=USAGE
// RUN: not kiln plan --fast %s 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: kiln plan --help | FileCheck %s --check-prefix=HELP
// RUN: kiln plan %s --svg=%t.svg | FileCheck %s --check-prefix=SVG-LOG
// RUN: FileCheck %s --check-prefix=SVG < %t.svg
// RUN: not kiln plan %s --svg=%t.missing/x.svg 2>&1 | FileCheck %s --check-prefix=SVG-BAD

// Six 64x96 temporaries (four matmul results, and exp, sin and exp written
// in place of the matmul result each reads; they are no oneDNN post-ops,
// so each stays a loop): two slots suffice. Seven kernels: four calls
// (each writes its result whole, with no fill first) and three loops.
// CHECK: @main: 6 buffers, 7 kernels
// CHECK-NEXT: buffer type bytes live steps offset
// CHECK-NEXT: 0 memref<64x96xf32> 24576 1-10 [[FIRST:[0-9]+]]
// CHECK-NEXT: 1 memref<64x96xf32> 24576 9-18 [[FIRST]]
// CHECK-NEXT: 2 memref<64x96xf32> 24576 11-20 [[SECOND:[0-9]+]]
// CHECK-NEXT: 3 memref<64x96xf32> 24576 19-28 [[SECOND]]
// CHECK-NEXT: 4 memref<64x96xf32> 24576 21-30 [[FIRST]]
// CHECK-NEXT: 5 memref<64x96xf32> 24576 29-37 [[FIRST]]
// CHECK-NEXT: arena 49152 bytes, lower bound 49152 bytes (ratio 1.000), buffers apart 73728 bytes

// MISSING: kiln plan: cannot open input file
// PARSE: error:
// USAGE: kiln plan: no input file
// OPTION: kiln plan: Unknown command line argument '--fast'
// OPTION: Run 'kiln plan --help' for its options.
// HELP: USAGE{{:}} kiln plan [options] <FILE>

// The timeline: one rectangle per buffer, two buffers sharing offset 0.
// SVG-LOG: wrote the timeline to {{.*}}.svg
// SVG: <svg xmlns="http://www.w3.org/2000/svg"
// SVG: @main: arena 49152 bytes, 6 buffers over {{[0-9]+}} steps
// SVG-COUNT-6: <title>buffer
// SVG: </svg>
// SVG-BAD: kiln plan: {{.*}}x.svg

func.func @main(%x: tensor<64x96xf32>, %w: tensor<96x96xf32>)
    -> tensor<64x96xf32> {
  %h = kiln.matmul %x, %w : tensor<64x96xf32>, tensor<96x96xf32>
  %r = kiln.exp %h : tensor<64x96xf32>
  %y = kiln.matmul %r, %w : tensor<64x96xf32>, tensor<96x96xf32>
  %t = kiln.sin %y : tensor<64x96xf32>
  %z = kiln.matmul %t, %w : tensor<64x96xf32>, tensor<96x96xf32>
  %s = kiln.exp %z : tensor<64x96xf32>
  %o = kiln.matmul %s, %w : tensor<64x96xf32>, tensor<96x96xf32>
  return %o : tensor<64x96xf32>
}
