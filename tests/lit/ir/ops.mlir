// RUN: kiln-opt %s -split-input-file | kiln-opt -split-input-file | FileCheck %s
// RUN: kiln-opt %s -split-input-file -mlir-print-op-generic | kiln-opt -split-input-file | FileCheck %s
// RUN: kiln-opt %s -split-input-file -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: kiln-opt %s -split-input-file -verify-roundtrip | FileCheck %s

// Round-trip tests for every op of the kiln dialect. The first two RUN lines
// parse the custom form (directly, or after a trip through the generic form)
// and print it again. The third checks the result types that type inference
// gives, which the generic form spells out. The last has kiln-opt itself
// check that the generic form and bytecode give back the same IR.

// CHECK-LABEL: func.func @constant()
// CHECK-SAME: -> (tensor<2x2xf32>, tensor<f32>, tensor<3xi64>, tensor<2xi1>, tensor<2xbf16>)
// CHECK: %[[DENSE:.+]] = kiln.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[ZERO:.+]] = kiln.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[INT:.+]] = kiln.constant dense<[1, 2, -3]> : tensor<3xi64>
// CHECK: %[[BOOL:.+]] = kiln.constant dense<[true, false]> : tensor<2xi1>
// CHECK: %[[HALF:.+]] = kiln.constant dense<1.500000e+00> : tensor<2xbf16>
// CHECK: return %[[DENSE]], %[[ZERO]], %[[INT]], %[[BOOL]], %[[HALF]]
// GENERIC-LABEL: sym_name = "constant"
// GENERIC: "kiln.constant"() <{value = dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
// GENERIC: "kiln.constant"() <{value = dense<0.000000e+00> : tensor<f32>}> : () -> tensor<f32>
func.func @constant() -> (tensor<2x2xf32>, tensor<f32>, tensor<3xi64>, tensor<2xi1>, tensor<2xbf16>) {
  %dense = kiln.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %zero = kiln.constant dense<0.0> : tensor<f32>
  %int = kiln.constant dense<[1, 2, -3]> : tensor<3xi64>
  %bool = kiln.constant dense<[true, false]> : tensor<2xi1>
  %half = kiln.constant dense<1.5> : tensor<2xbf16>
  return %dense, %zero, %int, %bool, %half : tensor<2x2xf32>, tensor<f32>, tensor<3xi64>, tensor<2xi1>, tensor<2xbf16>
}

// -----

// CHECK-LABEL: func.func @iota()
// CHECK: %[[I:.+]] = kiln.iota dim = 1 : tensor<2x3xi64>
// CHECK: %[[F:.+]] = kiln.iota dim = 0 : tensor<5xf32>
// CHECK: return %[[I]], %[[F]] : tensor<2x3xi64>, tensor<5xf32>
func.func @iota() -> (tensor<2x3xi64>, tensor<5xf32>) {
  %i = kiln.iota dim = 1 : tensor<2x3xi64>
  %f = kiln.iota dim = 0 : tensor<5xf32>
  return %i, %f : tensor<2x3xi64>, tensor<5xf32>
}

// -----

// CHECK-LABEL: func.func @fill(
// CHECK-SAME: %[[LR:[^:]+]]: tensor<f32>, %[[N:[^:]+]]: tensor<i32>
// CHECK: %[[T:.+]] = kiln.fill %[[LR]] : tensor<f32> -> tensor<4x4xf32>
// CHECK: %[[U:.+]] = kiln.fill %[[N]] : tensor<i32> -> tensor<3xi32>
// CHECK: return %[[T]], %[[U]] : tensor<4x4xf32>, tensor<3xi32>
func.func @fill(%lr: tensor<f32>, %n: tensor<i32>) -> (tensor<4x4xf32>, tensor<3xi32>) {
  %t = kiln.fill %lr : tensor<f32> -> tensor<4x4xf32>
  %u = kiln.fill %n : tensor<i32> -> tensor<3xi32>
  return %t, %u : tensor<4x4xf32>, tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @rng(
// CHECK-SAME: %[[SEED:[^:]+]]: tensor<i64>, %[[OFFSET:[^:]+]]: tensor<i64>
// CHECK: %[[U:.+]] = kiln.rng_uniform %[[SEED]], %[[OFFSET]] : tensor<64x784xf32>
// CHECK: %[[N:.+]] = kiln.rng_normal %[[SEED]], %[[OFFSET]] : tensor<8x16xf16>
// CHECK: return %[[U]], %[[N]] : tensor<64x784xf32>, tensor<8x16xf16>
func.func @rng(%seed: tensor<i64>, %offset: tensor<i64>) -> (tensor<64x784xf32>, tensor<8x16xf16>) {
  %u = kiln.rng_uniform %seed, %offset : tensor<64x784xf32>
  %n = kiln.rng_normal %seed, %offset : tensor<8x16xf16>
  return %u, %n : tensor<64x784xf32>, tensor<8x16xf16>
}

// -----

// CHECK-LABEL: func.func @unary_float(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK: %[[EXP:.+]] = kiln.exp %[[X]] : tensor<2x3xf32>
// CHECK: %[[LOG:.+]] = kiln.log %[[EXP]] : tensor<2x3xf32>
// CHECK: %[[LOG1P:.+]] = kiln.log1p %[[LOG]] : tensor<2x3xf32>
// CHECK: %[[ERF:.+]] = kiln.erf %[[LOG1P]] : tensor<2x3xf32>
// CHECK: %[[SQRT:.+]] = kiln.sqrt %[[ERF]] : tensor<2x3xf32>
// CHECK: %[[RSQRT:.+]] = kiln.rsqrt %[[SQRT]] : tensor<2x3xf32>
// CHECK: %[[RECIP:.+]] = kiln.reciprocal %[[RSQRT]] : tensor<2x3xf32>
// CHECK: %[[TANH:.+]] = kiln.tanh %[[RECIP]] : tensor<2x3xf32>
// CHECK: %[[SIGMOID:.+]] = kiln.sigmoid %[[TANH]] : tensor<2x3xf32>
// CHECK: %[[SIN:.+]] = kiln.sin %[[SIGMOID]] : tensor<2x3xf32>
// CHECK: %[[COS:.+]] = kiln.cos %[[SIN]] : tensor<2x3xf32>
// CHECK: %[[FLOOR:.+]] = kiln.floor %[[COS]] : tensor<2x3xf32>
// CHECK: return %[[FLOOR]] : tensor<2x3xf32>
func.func @unary_float(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %exp = kiln.exp %x : tensor<2x3xf32>
  %log = kiln.log %exp : tensor<2x3xf32>
  %log1p = kiln.log1p %log : tensor<2x3xf32>
  %erf = kiln.erf %log1p : tensor<2x3xf32>
  %sqrt = kiln.sqrt %erf : tensor<2x3xf32>
  %rsqrt = kiln.rsqrt %sqrt : tensor<2x3xf32>
  %recip = kiln.reciprocal %rsqrt : tensor<2x3xf32>
  %tanh = kiln.tanh %recip : tensor<2x3xf32>
  %sigmoid = kiln.sigmoid %tanh : tensor<2x3xf32>
  %sin = kiln.sin %sigmoid : tensor<2x3xf32>
  %cos = kiln.cos %sin : tensor<2x3xf32>
  %floor = kiln.floor %cos : tensor<2x3xf32>
  return %floor : tensor<2x3xf32>
}

// -----

// The float-only unary ops accept every float element type.
// CHECK-LABEL: func.func @unary_float_types(
// CHECK: kiln.exp %{{.+}} : tensor<4xf16>
// CHECK: kiln.tanh %{{.+}} : tensor<4xbf16>
// CHECK: kiln.sqrt %{{.+}} : tensor<4xf64>
func.func @unary_float_types(%h: tensor<4xf16>, %b: tensor<4xbf16>, %d: tensor<4xf64>) -> (tensor<4xf16>, tensor<4xbf16>, tensor<4xf64>) {
  %0 = kiln.exp %h : tensor<4xf16>
  %1 = kiln.tanh %b : tensor<4xbf16>
  %2 = kiln.sqrt %d : tensor<4xf64>
  return %0, %1, %2 : tensor<4xf16>, tensor<4xbf16>, tensor<4xf64>
}

// -----

// CHECK-LABEL: func.func @unary_numeric(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[I:[^:]+]]: tensor<5xi32>
// CHECK: %[[NEG:.+]] = kiln.neg %[[X]] : tensor<2x3xf32>
// CHECK: %[[ABS:.+]] = kiln.abs %[[NEG]] : tensor<2x3xf32>
// CHECK: %[[RELU:.+]] = kiln.relu %[[ABS]] : tensor<2x3xf32>
// CHECK: %[[SIGN:.+]] = kiln.sign %[[RELU]] : tensor<2x3xf32>
// CHECK: %[[INEG:.+]] = kiln.neg %[[I]] : tensor<5xi32>
// CHECK: %[[IABS:.+]] = kiln.abs %[[INEG]] : tensor<5xi32>
// CHECK: %[[IRELU:.+]] = kiln.relu %[[IABS]] : tensor<5xi32>
// CHECK: %[[ISIGN:.+]] = kiln.sign %[[IRELU]] : tensor<5xi32>
// CHECK: return %[[SIGN]], %[[ISIGN]] : tensor<2x3xf32>, tensor<5xi32>
func.func @unary_numeric(%x: tensor<2x3xf32>, %i: tensor<5xi32>) -> (tensor<2x3xf32>, tensor<5xi32>) {
  %neg = kiln.neg %x : tensor<2x3xf32>
  %abs = kiln.abs %neg : tensor<2x3xf32>
  %relu = kiln.relu %abs : tensor<2x3xf32>
  %sign = kiln.sign %relu : tensor<2x3xf32>
  %ineg = kiln.neg %i : tensor<5xi32>
  %iabs = kiln.abs %ineg : tensor<5xi32>
  %irelu = kiln.relu %iabs : tensor<5xi32>
  %isign = kiln.sign %irelu : tensor<5xi32>
  return %sign, %isign : tensor<2x3xf32>, tensor<5xi32>
}

// -----

// CHECK-LABEL: func.func @not(
// CHECK-SAME: %[[B:[^:]+]]: tensor<4xi1>, %[[I:[^:]+]]: tensor<4xi64>
// CHECK: %[[NB:.+]] = kiln.not %[[B]] : tensor<4xi1>
// CHECK: %[[NI:.+]] = kiln.not %[[I]] : tensor<4xi64>
// CHECK: return %[[NB]], %[[NI]] : tensor<4xi1>, tensor<4xi64>
func.func @not(%b: tensor<4xi1>, %i: tensor<4xi64>) -> (tensor<4xi1>, tensor<4xi64>) {
  %nb = kiln.not %b : tensor<4xi1>
  %ni = kiln.not %i : tensor<4xi64>
  return %nb, %ni : tensor<4xi1>, tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @gelu(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x16xf32>
// CHECK: %[[ERF:.+]] = kiln.gelu %[[X]] approximate = none : tensor<8x16xf32>
// CHECK: %[[TANH:.+]] = kiln.gelu %[[ERF]] approximate = tanh : tensor<8x16xf32>
// CHECK: return %[[TANH]] : tensor<8x16xf32>
// GENERIC-LABEL: sym_name = "gelu"
// GENERIC: "kiln.gelu"(%{{.+}}) <{approximate = 0 : i32}> : (tensor<8x16xf32>) -> tensor<8x16xf32>
// GENERIC: "kiln.gelu"(%{{.+}}) <{approximate = 1 : i32}> : (tensor<8x16xf32>) -> tensor<8x16xf32>
func.func @gelu(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %erf = kiln.gelu %x approximate = none : tensor<8x16xf32>
  %tanh = kiln.gelu %erf approximate = tanh : tensor<8x16xf32>
  return %tanh : tensor<8x16xf32>
}

// -----

// CHECK-LABEL: func.func @binary_float(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[Y:[^:]+]]: tensor<2x3xf32>
// CHECK: %[[ADD:.+]] = kiln.add %[[X]], %[[Y]] : tensor<2x3xf32>
// CHECK: %[[SUB:.+]] = kiln.sub %[[ADD]], %[[Y]] : tensor<2x3xf32>
// CHECK: %[[MUL:.+]] = kiln.mul %[[SUB]], %[[X]] : tensor<2x3xf32>
// CHECK: %[[DIV:.+]] = kiln.div %[[MUL]], %[[Y]] : tensor<2x3xf32>
// CHECK: %[[POW:.+]] = kiln.pow %[[DIV]], %[[X]] : tensor<2x3xf32>
// CHECK: %[[MAX:.+]] = kiln.maximum %[[POW]], %[[Y]] : tensor<2x3xf32>
// CHECK: %[[MIN:.+]] = kiln.minimum %[[MAX]], %[[X]] : tensor<2x3xf32>
// CHECK: return %[[MIN]] : tensor<2x3xf32>
// GENERIC-LABEL: sym_name = "binary_float"
// GENERIC: "kiln.add"(%{{.+}}, %{{.+}}) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @binary_float(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %add = kiln.add %x, %y : tensor<2x3xf32>
  %sub = kiln.sub %add, %y : tensor<2x3xf32>
  %mul = kiln.mul %sub, %x : tensor<2x3xf32>
  %div = kiln.div %mul, %y : tensor<2x3xf32>
  %pow = kiln.pow %div, %x : tensor<2x3xf32>
  %max = kiln.maximum %pow, %y : tensor<2x3xf32>
  %min = kiln.minimum %max, %x : tensor<2x3xf32>
  return %min : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @binary_int(
// CHECK-SAME: %[[X:[^:]+]]: tensor<7xi32>, %[[Y:[^:]+]]: tensor<7xi32>
// CHECK: %[[ADD:.+]] = kiln.add %[[X]], %[[Y]] : tensor<7xi32>
// CHECK: %[[SUB:.+]] = kiln.sub %[[ADD]], %[[Y]] : tensor<7xi32>
// CHECK: %[[MUL:.+]] = kiln.mul %[[SUB]], %[[X]] : tensor<7xi32>
// CHECK: %[[DIV:.+]] = kiln.div %[[MUL]], %[[Y]] : tensor<7xi32>
// CHECK: %[[MAX:.+]] = kiln.maximum %[[DIV]], %[[Y]] : tensor<7xi32>
// CHECK: %[[MIN:.+]] = kiln.minimum %[[MAX]], %[[X]] : tensor<7xi32>
// CHECK: return %[[MIN]] : tensor<7xi32>
func.func @binary_int(%x: tensor<7xi32>, %y: tensor<7xi32>) -> tensor<7xi32> {
  %add = kiln.add %x, %y : tensor<7xi32>
  %sub = kiln.sub %add, %y : tensor<7xi32>
  %mul = kiln.mul %sub, %x : tensor<7xi32>
  %div = kiln.div %mul, %y : tensor<7xi32>
  %max = kiln.maximum %div, %y : tensor<7xi32>
  %min = kiln.minimum %max, %x : tensor<7xi32>
  return %min : tensor<7xi32>
}

// -----

// CHECK-LABEL: func.func @logical(
// CHECK-SAME: %[[A:[^:]+]]: tensor<4xi1>, %[[B:[^:]+]]: tensor<4xi1>, %[[C:[^:]+]]: tensor<4xi32>, %[[D:[^:]+]]: tensor<4xi32>
// CHECK: %[[AND:.+]] = kiln.and %[[A]], %[[B]] : tensor<4xi1>
// CHECK: %[[OR:.+]] = kiln.or %[[AND]], %[[B]] : tensor<4xi1>
// CHECK: %[[BAND:.+]] = kiln.and %[[C]], %[[D]] : tensor<4xi32>
// CHECK: %[[BOR:.+]] = kiln.or %[[BAND]], %[[D]] : tensor<4xi32>
// CHECK: return %[[OR]], %[[BOR]] : tensor<4xi1>, tensor<4xi32>
func.func @logical(%a: tensor<4xi1>, %b: tensor<4xi1>, %c: tensor<4xi32>, %d: tensor<4xi32>) -> (tensor<4xi1>, tensor<4xi32>) {
  %and = kiln.and %a, %b : tensor<4xi1>
  %or = kiln.or %and, %b : tensor<4xi1>
  %band = kiln.and %c, %d : tensor<4xi32>
  %bor = kiln.or %band, %d : tensor<4xi32>
  return %or, %bor : tensor<4xi1>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @compare(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4xf32>, %[[Y:[^:]+]]: tensor<4xf32>, %[[I:[^:]+]]: tensor<2x2xi64>
// CHECK: %[[EQ:.+]] = kiln.compare eq, %[[X]], %[[Y]] : tensor<4xf32>
// CHECK: %[[NE:.+]] = kiln.compare ne, %[[X]], %[[Y]] : tensor<4xf32>
// CHECK: %[[LT:.+]] = kiln.compare lt, %[[X]], %[[Y]] : tensor<4xf32>
// CHECK: %[[LE:.+]] = kiln.compare le, %[[X]], %[[Y]] : tensor<4xf32>
// CHECK: %[[GT:.+]] = kiln.compare gt, %[[X]], %[[Y]] : tensor<4xf32>
// CHECK: %[[GE:.+]] = kiln.compare ge, %[[X]], %[[Y]] : tensor<4xf32>
// CHECK: %[[INT:.+]] = kiln.compare lt, %[[I]], %[[I]] : tensor<2x2xi64>
// CHECK: return %[[EQ]], %[[NE]], %[[LT]], %[[LE]], %[[GT]], %[[GE]], %[[INT]] : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<2x2xi1>
// GENERIC-LABEL: sym_name = "compare"
// GENERIC: "kiln.compare"(%{{.+}}, %{{.+}}) <{direction = 0 : i32}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// GENERIC: "kiln.compare"(%{{.+}}, %{{.+}}) <{direction = 1 : i32}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// GENERIC: "kiln.compare"(%{{.+}}, %{{.+}}) <{direction = 2 : i32}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// GENERIC: "kiln.compare"(%{{.+}}, %{{.+}}) <{direction = 3 : i32}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// GENERIC: "kiln.compare"(%{{.+}}, %{{.+}}) <{direction = 4 : i32}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// GENERIC: "kiln.compare"(%{{.+}}, %{{.+}}) <{direction = 5 : i32}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// GENERIC: "kiln.compare"(%{{.+}}, %{{.+}}) <{direction = 2 : i32}> : (tensor<2x2xi64>, tensor<2x2xi64>) -> tensor<2x2xi1>
func.func @compare(%x: tensor<4xf32>, %y: tensor<4xf32>, %i: tensor<2x2xi64>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<2x2xi1>) {
  %eq = kiln.compare eq, %x, %y : tensor<4xf32>
  %ne = kiln.compare ne, %x, %y : tensor<4xf32>
  %lt = kiln.compare lt, %x, %y : tensor<4xf32>
  %le = kiln.compare le, %x, %y : tensor<4xf32>
  %gt = kiln.compare gt, %x, %y : tensor<4xf32>
  %ge = kiln.compare ge, %x, %y : tensor<4xf32>
  %int = kiln.compare lt, %i, %i : tensor<2x2xi64>
  return %eq, %ne, %lt, %le, %gt, %ge, %int : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<2x2xi1>
}

// -----

// CHECK-LABEL: func.func @select(
// CHECK-SAME: %[[MASK:[^:]+]]: tensor<4xi1>, %[[X:[^:]+]]: tensor<4xf32>, %[[Y:[^:]+]]: tensor<4xf32>
// CHECK: %[[R:.+]] = kiln.select %[[MASK]], %[[X]], %[[Y]] : tensor<4xi1>, tensor<4xf32>
// CHECK: return %[[R]] : tensor<4xf32>
// GENERIC-LABEL: sym_name = "select"
// GENERIC: "kiln.select"(%{{.+}}, %{{.+}}, %{{.+}}) : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
func.func @select(%mask: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %r = kiln.select %mask, %x, %y : tensor<4xi1>, tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @convert(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[B:[^:]+]]: tensor<2x3xi1>
// CHECK: %[[H:.+]] = kiln.convert %[[X]] : tensor<2x3xf32> to tensor<2x3xf16>
// CHECK: %[[BF:.+]] = kiln.convert %[[H]] : tensor<2x3xf16> to tensor<2x3xbf16>
// CHECK: %[[I:.+]] = kiln.convert %[[X]] : tensor<2x3xf32> to tensor<2x3xi32>
// CHECK: %[[F:.+]] = kiln.convert %[[B]] : tensor<2x3xi1> to tensor<2x3xf64>
// CHECK: %[[NZ:.+]] = kiln.convert %[[I]] : tensor<2x3xi32> to tensor<2x3xi1>
// CHECK: return %[[BF]], %[[I]], %[[F]], %[[NZ]]
func.func @convert(%x: tensor<2x3xf32>, %b: tensor<2x3xi1>) -> (tensor<2x3xbf16>, tensor<2x3xi32>, tensor<2x3xf64>, tensor<2x3xi1>) {
  %h = kiln.convert %x : tensor<2x3xf32> to tensor<2x3xf16>
  %bf = kiln.convert %h : tensor<2x3xf16> to tensor<2x3xbf16>
  %i = kiln.convert %x : tensor<2x3xf32> to tensor<2x3xi32>
  %f = kiln.convert %b : tensor<2x3xi1> to tensor<2x3xf64>
  %nz = kiln.convert %i : tensor<2x3xi32> to tensor<2x3xi1>
  return %bf, %i, %f, %nz : tensor<2x3xbf16>, tensor<2x3xi32>, tensor<2x3xf64>, tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @broadcast_to(
// CHECK-SAME: %[[BIAS:[^:]+]]: tensor<10xf32>, %[[COL:[^:]+]]: tensor<4x1xi64>, %[[S:[^:]+]]: tensor<f32>
// CHECK: %[[B:.+]] = kiln.broadcast_to %[[BIAS]] : tensor<10xf32> -> tensor<64x10xf32>
// CHECK: %[[C:.+]] = kiln.broadcast_to %[[COL]] : tensor<4x1xi64> -> tensor<2x4x5xi64>
// CHECK: %[[D:.+]] = kiln.broadcast_to %[[S]] : tensor<f32> -> tensor<3x3xf32>
// CHECK: return %[[B]], %[[C]], %[[D]] : tensor<64x10xf32>, tensor<2x4x5xi64>, tensor<3x3xf32>
func.func @broadcast_to(%bias: tensor<10xf32>, %col: tensor<4x1xi64>, %s: tensor<f32>) -> (tensor<64x10xf32>, tensor<2x4x5xi64>, tensor<3x3xf32>) {
  %b = kiln.broadcast_to %bias : tensor<10xf32> -> tensor<64x10xf32>
  %c = kiln.broadcast_to %col : tensor<4x1xi64> -> tensor<2x4x5xi64>
  %d = kiln.broadcast_to %s : tensor<f32> -> tensor<3x3xf32>
  return %b, %c, %d : tensor<64x10xf32>, tensor<2x4x5xi64>, tensor<3x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape(
// CHECK-SAME: %[[X:[^:]+]]: tensor<64x1x28x28xf32>
// CHECK: %[[FLAT:.+]] = kiln.reshape %[[X]] : tensor<64x1x28x28xf32> -> tensor<64x784xf32>
// CHECK: %[[SCALAR:.+]] = kiln.reshape %{{.+}} : tensor<1x1xi32> -> tensor<i32>
// CHECK: return %[[FLAT]], %[[SCALAR]] : tensor<64x784xf32>, tensor<i32>
func.func @reshape(%x: tensor<64x1x28x28xf32>, %y: tensor<1x1xi32>) -> (tensor<64x784xf32>, tensor<i32>) {
  %flat = kiln.reshape %x : tensor<64x1x28x28xf32> -> tensor<64x784xf32>
  %scalar = kiln.reshape %y : tensor<1x1xi32> -> tensor<i32>
  return %flat, %scalar : tensor<64x784xf32>, tensor<i32>
}

// -----

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[Y:[^:]+]]: tensor<2x3x4x5xi1>
// CHECK: %[[T:.+]] = kiln.transpose %[[X]], permutation = [1, 0] : tensor<2x3xf32>
// CHECK: %[[U:.+]] = kiln.transpose %[[Y]], permutation = [0, 2, 3, 1] : tensor<2x3x4x5xi1>
// CHECK: return %[[T]], %[[U]] : tensor<3x2xf32>, tensor<2x4x5x3xi1>
// GENERIC-LABEL: sym_name = "transpose"
// GENERIC: "kiln.transpose"(%{{.+}}) <{permutation = array<i64: 1, 0>}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
// GENERIC: "kiln.transpose"(%{{.+}}) <{permutation = array<i64: 0, 2, 3, 1>}> : (tensor<2x3x4x5xi1>) -> tensor<2x4x5x3xi1>
func.func @transpose(%x: tensor<2x3xf32>, %y: tensor<2x3x4x5xi1>) -> (tensor<3x2xf32>, tensor<2x4x5x3xi1>) {
  %t = kiln.transpose %x, permutation = [1, 0] : tensor<2x3xf32>
  %u = kiln.transpose %y, permutation = [0, 2, 3, 1] : tensor<2x3x4x5xi1>
  return %t, %u : tensor<3x2xf32>, tensor<2x4x5x3xi1>
}

// -----

// CHECK-LABEL: func.func @slice(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x5xf32>
// CHECK: %[[S:.+]] = kiln.slice %[[X]] start = [0, 1] limit = [2, 4] strides = [1, 2] : tensor<4x5xf32>
// CHECK: %[[E:.+]] = kiln.slice %[[X]] start = [1, 0] limit = [1, 5] strides = [1, 3] : tensor<4x5xf32>
// CHECK: return %[[S]], %[[E]] : tensor<2x2xf32>, tensor<0x2xf32>
// GENERIC-LABEL: sym_name = "slice"
// GENERIC: "kiln.slice"(%{{.+}}) <{limit = array<i64: 2, 4>, start = array<i64: 0, 1>, strides = array<i64: 1, 2>}> : (tensor<4x5xf32>) -> tensor<2x2xf32>
// GENERIC: "kiln.slice"(%{{.+}}) <{limit = array<i64: 1, 5>, start = array<i64: 1, 0>, strides = array<i64: 1, 3>}> : (tensor<4x5xf32>) -> tensor<0x2xf32>
func.func @slice(%x: tensor<4x5xf32>) -> (tensor<2x2xf32>, tensor<0x2xf32>) {
  // x[0:2, 1:4:2]
  %s = kiln.slice %x start = [0, 1] limit = [2, 4] strides = [1, 2] : tensor<4x5xf32>
  // x[1:1, 0:5:3], empty along dimension 0
  %e = kiln.slice %x start = [1, 0] limit = [1, 5] strides = [1, 3] : tensor<4x5xf32>
  return %s, %e : tensor<2x2xf32>, tensor<0x2xf32>
}

// -----

// CHECK-LABEL: func.func @concat(
// CHECK-SAME: %[[A:[^:]+]]: tensor<2x3xf32>, %[[B:[^:]+]]: tensor<4x3xf32>, %[[C:[^:]+]]: tensor<2x5xf32>
// CHECK: %[[ROWS:.+]] = kiln.concat %[[A]], %[[B]], %[[A]] dim = 0 : tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>
// CHECK: %[[COLS:.+]] = kiln.concat %[[A]], %[[C]] dim = 1 : tensor<2x3xf32>, tensor<2x5xf32>
// CHECK: return %[[ROWS]], %[[COLS]] : tensor<8x3xf32>, tensor<2x8xf32>
// GENERIC-LABEL: sym_name = "concat"
// GENERIC: "kiln.concat"(%{{.+}}, %{{.+}}, %{{.+}}) <{dim = 0 : i64}> : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<8x3xf32>
// GENERIC: "kiln.concat"(%{{.+}}, %{{.+}}) <{dim = 1 : i64}> : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<2x5xf32>) -> (tensor<8x3xf32>, tensor<2x8xf32>) {
  %rows = kiln.concat %a, %b, %a dim = 0 : tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>
  %cols = kiln.concat %a, %c dim = 1 : tensor<2x3xf32>, tensor<2x5xf32>
  return %rows, %cols : tensor<8x3xf32>, tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @pad(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xf32>, %[[ZERO:[^:]+]]: tensor<f32>
// CHECK: %[[P:.+]] = kiln.pad %[[X]], %[[ZERO]] low = [0, 0, 1, 2] high = [0, 1, 1, 0] : tensor<1x3x8x8xf32>, tensor<f32>
// CHECK: return %[[P]] : tensor<1x4x10x10xf32>
// GENERIC-LABEL: sym_name = "pad"
// GENERIC: "kiln.pad"(%{{.+}}, %{{.+}}) <{high = array<i64: 0, 1, 1, 0>, low = array<i64: 0, 0, 1, 2>}> : (tensor<1x3x8x8xf32>, tensor<f32>) -> tensor<1x4x10x10xf32>
func.func @pad(%x: tensor<1x3x8x8xf32>, %zero: tensor<f32>) -> tensor<1x4x10x10xf32> {
  %p = kiln.pad %x, %zero low = [0, 0, 1, 2] high = [0, 1, 1, 0] : tensor<1x3x8x8xf32>, tensor<f32>
  return %p : tensor<1x4x10x10xf32>
}

// -----

// CHECK-LABEL: func.func @gather(
// CHECK-SAME: %[[TABLE:[^:]+]]: tensor<1000x64xf32>, %[[TOKENS:[^:]+]]: tensor<8x16xi64>, %[[IDX:[^:]+]]: tensor<5xi32>
// CHECK: %[[E:.+]] = kiln.gather %[[TABLE]], %[[TOKENS]] dim = 0 : tensor<1000x64xf32>, tensor<8x16xi64>
// CHECK: %[[S:.+]] = kiln.gather %[[TABLE]], %[[IDX]] dim = 1 : tensor<1000x64xf32>, tensor<5xi32>
// CHECK: return %[[E]], %[[S]] : tensor<8x16x64xf32>, tensor<1000x5xf32>
// GENERIC-LABEL: sym_name = "gather"
// GENERIC: "kiln.gather"(%{{.+}}, %{{.+}}) <{dim = 0 : i64}> : (tensor<1000x64xf32>, tensor<8x16xi64>) -> tensor<8x16x64xf32>
// GENERIC: "kiln.gather"(%{{.+}}, %{{.+}}) <{dim = 1 : i64}> : (tensor<1000x64xf32>, tensor<5xi32>) -> tensor<1000x5xf32>
func.func @gather(%table: tensor<1000x64xf32>, %tokens: tensor<8x16xi64>, %idx: tensor<5xi32>) -> (tensor<8x16x64xf32>, tensor<1000x5xf32>) {
  %e = kiln.gather %table, %tokens dim = 0 : tensor<1000x64xf32>, tensor<8x16xi64>
  %s = kiln.gather %table, %idx dim = 1 : tensor<1000x64xf32>, tensor<5xi32>
  return %e, %s : tensor<8x16x64xf32>, tensor<1000x5xf32>
}

// -----

// CHECK-LABEL: func.func @scatter_add(
// CHECK-SAME: %[[ZEROS:[^:]+]]: tensor<1000x64xf32>, %[[TOKENS:[^:]+]]: tensor<8x16xi64>, %[[GRAD:[^:]+]]: tensor<8x16x64xf32>
// CHECK: %[[G:.+]] = kiln.scatter_add %[[ZEROS]], %[[TOKENS]], %[[GRAD]] dim = 0 : tensor<1000x64xf32>, tensor<8x16xi64>, tensor<8x16x64xf32>
// CHECK: return %[[G]] : tensor<1000x64xf32>
// GENERIC-LABEL: sym_name = "scatter_add"
// GENERIC: "kiln.scatter_add"(%{{.+}}, %{{.+}}, %{{.+}}) <{dim = 0 : i64}> : (tensor<1000x64xf32>, tensor<8x16xi64>, tensor<8x16x64xf32>) -> tensor<1000x64xf32>
func.func @scatter_add(%zeros: tensor<1000x64xf32>, %tokens: tensor<8x16xi64>, %grad: tensor<8x16x64xf32>) -> tensor<1000x64xf32> {
  %g = kiln.scatter_add %zeros, %tokens, %grad dim = 0 : tensor<1000x64xf32>, tensor<8x16xi64>, tensor<8x16x64xf32>
  return %g : tensor<1000x64xf32>
}

// -----

// CHECK-LABEL: func.func @reduce(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x5x6xf32>, %[[I:[^:]+]]: tensor<4x5xi32>
// CHECK: %[[SUM:.+]] = kiln.reduce_sum %[[X]] dims = [1] : tensor<4x5x6xf32>
// CHECK: %[[SUMK:.+]] = kiln.reduce_sum %[[X]] dims = [0, 2] keepdim : tensor<4x5x6xf32>
// CHECK: %[[MAX:.+]] = kiln.reduce_max %[[X]] dims = [2, 0] : tensor<4x5x6xf32>
// CHECK: %[[MAXK:.+]] = kiln.reduce_max %[[X]] dims = [1] keepdim : tensor<4x5x6xf32>
// CHECK: %[[MIN:.+]] = kiln.reduce_min %[[I]] dims = [0, 1] : tensor<4x5xi32>
// CHECK: %[[MINK:.+]] = kiln.reduce_min %[[I]] dims = [0, 1] keepdim : tensor<4x5xi32>
// CHECK: %[[NONE:.+]] = kiln.reduce_sum %[[I]] dims = [] : tensor<4x5xi32>
// CHECK: return %[[SUM]], %[[SUMK]], %[[MAX]], %[[MAXK]], %[[MIN]], %[[MINK]], %[[NONE]] : tensor<4x6xf32>, tensor<1x5x1xf32>, tensor<5xf32>, tensor<4x1x6xf32>, tensor<i32>, tensor<1x1xi32>, tensor<4x5xi32>
// GENERIC-LABEL: sym_name = "reduce"
// GENERIC: "kiln.reduce_sum"(%{{.+}}) <{dims = array<i64: 1>}> : (tensor<4x5x6xf32>) -> tensor<4x6xf32>
// GENERIC: "kiln.reduce_sum"(%{{.+}}) <{dims = array<i64: 0, 2>, keepdim}> : (tensor<4x5x6xf32>) -> tensor<1x5x1xf32>
// GENERIC: "kiln.reduce_max"(%{{.+}}) <{dims = array<i64: 2, 0>}> : (tensor<4x5x6xf32>) -> tensor<5xf32>
// GENERIC: "kiln.reduce_max"(%{{.+}}) <{dims = array<i64: 1>, keepdim}> : (tensor<4x5x6xf32>) -> tensor<4x1x6xf32>
// GENERIC: "kiln.reduce_min"(%{{.+}}) <{dims = array<i64: 0, 1>}> : (tensor<4x5xi32>) -> tensor<i32>
// GENERIC: "kiln.reduce_min"(%{{.+}}) <{dims = array<i64: 0, 1>, keepdim}> : (tensor<4x5xi32>) -> tensor<1x1xi32>
// GENERIC: "kiln.reduce_sum"(%{{.+}}) <{dims = array<i64>}> : (tensor<4x5xi32>) -> tensor<4x5xi32>
func.func @reduce(%x: tensor<4x5x6xf32>, %i: tensor<4x5xi32>) -> (tensor<4x6xf32>, tensor<1x5x1xf32>, tensor<5xf32>, tensor<4x1x6xf32>, tensor<i32>, tensor<1x1xi32>, tensor<4x5xi32>) {
  %sum = kiln.reduce_sum %x dims = [1] : tensor<4x5x6xf32>
  %sumk = kiln.reduce_sum %x dims = [0, 2] keepdim : tensor<4x5x6xf32>
  %max = kiln.reduce_max %x dims = [2, 0] : tensor<4x5x6xf32>
  %maxk = kiln.reduce_max %x dims = [1] keepdim : tensor<4x5x6xf32>
  %min = kiln.reduce_min %i dims = [0, 1] : tensor<4x5xi32>
  %mink = kiln.reduce_min %i dims = [0, 1] keepdim : tensor<4x5xi32>
  %none = kiln.reduce_sum %i dims = [] : tensor<4x5xi32>
  return %sum, %sumk, %max, %maxk, %min, %mink, %none : tensor<4x6xf32>, tensor<1x5x1xf32>, tensor<5xf32>, tensor<4x1x6xf32>, tensor<i32>, tensor<1x1xi32>, tensor<4x5xi32>
}

// -----

// CHECK-LABEL: func.func @arg_reduce(
// CHECK-SAME: %[[LOGITS:[^:]+]]: tensor<64x10xf32>, %[[I:[^:]+]]: tensor<3x4xi32>
// CHECK: %[[AMAX:.+]] = kiln.argmax %[[LOGITS]] dim = 1 : tensor<64x10xf32>
// CHECK: %[[AMAXK:.+]] = kiln.argmax %[[LOGITS]] dim = 1 keepdim : tensor<64x10xf32>
// CHECK: %[[AMIN:.+]] = kiln.argmin %[[I]] dim = 0 : tensor<3x4xi32>
// CHECK: %[[AMINK:.+]] = kiln.argmin %[[I]] dim = 0 keepdim : tensor<3x4xi32>
// CHECK: return %[[AMAX]], %[[AMAXK]], %[[AMIN]], %[[AMINK]] : tensor<64xi64>, tensor<64x1xi64>, tensor<4xi64>, tensor<1x4xi64>
// GENERIC-LABEL: sym_name = "arg_reduce"
// GENERIC: "kiln.argmax"(%{{.+}}) <{dim = 1 : i64}> : (tensor<64x10xf32>) -> tensor<64xi64>
// GENERIC: "kiln.argmax"(%{{.+}}) <{dim = 1 : i64, keepdim}> : (tensor<64x10xf32>) -> tensor<64x1xi64>
// GENERIC: "kiln.argmin"(%{{.+}}) <{dim = 0 : i64}> : (tensor<3x4xi32>) -> tensor<4xi64>
// GENERIC: "kiln.argmin"(%{{.+}}) <{dim = 0 : i64, keepdim}> : (tensor<3x4xi32>) -> tensor<1x4xi64>
func.func @arg_reduce(%logits: tensor<64x10xf32>, %i: tensor<3x4xi32>) -> (tensor<64xi64>, tensor<64x1xi64>, tensor<4xi64>, tensor<1x4xi64>) {
  %amax = kiln.argmax %logits dim = 1 : tensor<64x10xf32>
  %amaxk = kiln.argmax %logits dim = 1 keepdim : tensor<64x10xf32>
  %amin = kiln.argmin %i dim = 0 : tensor<3x4xi32>
  %amink = kiln.argmin %i dim = 0 keepdim : tensor<3x4xi32>
  return %amax, %amaxk, %amin, %amink : tensor<64xi64>, tensor<64x1xi64>, tensor<4xi64>, tensor<1x4xi64>
}

// -----

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[X:[^:]+]]: tensor<64x784xf32>, %[[W:[^:]+]]: tensor<784x256xf32>
// CHECK: %[[Y:.+]] = kiln.matmul %[[X]], %[[W]] : tensor<64x784xf32>, tensor<784x256xf32>
// CHECK: return %[[Y]] : tensor<64x256xf32>
// GENERIC-LABEL: sym_name = "matmul"
// GENERIC: "kiln.matmul"(%{{.+}}, %{{.+}}) : (tensor<64x784xf32>, tensor<784x256xf32>) -> tensor<64x256xf32>
func.func @matmul(%x: tensor<64x784xf32>, %w: tensor<784x256xf32>) -> tensor<64x256xf32> {
  %y = kiln.matmul %x, %w : tensor<64x784xf32>, tensor<784x256xf32>
  return %y : tensor<64x256xf32>
}

// -----

// Batch dimensions broadcast by NumPy's rule: [8, 4] with [4] gives [8, 4],
// and [1, 3] with [5, 1] gives [5, 3].
// CHECK-LABEL: func.func @matmul_batched(
// CHECK-SAME: %[[Q:[^:]+]]: tensor<8x4x16x32xf32>, %[[K:[^:]+]]: tensor<4x32x16xf32>, %[[A:[^:]+]]: tensor<1x3x2x6xi64>, %[[B:[^:]+]]: tensor<5x1x6x7xi64>
// CHECK: %[[Z:.+]] = kiln.matmul %[[Q]], %[[K]] : tensor<8x4x16x32xf32>, tensor<4x32x16xf32>
// CHECK: %[[C:.+]] = kiln.matmul %[[A]], %[[B]] : tensor<1x3x2x6xi64>, tensor<5x1x6x7xi64>
// CHECK: return %[[Z]], %[[C]] : tensor<8x4x16x16xf32>, tensor<5x3x2x7xi64>
// GENERIC-LABEL: sym_name = "matmul_batched"
// GENERIC: "kiln.matmul"(%{{.+}}, %{{.+}}) : (tensor<8x4x16x32xf32>, tensor<4x32x16xf32>) -> tensor<8x4x16x16xf32>
// GENERIC: "kiln.matmul"(%{{.+}}, %{{.+}}) : (tensor<1x3x2x6xi64>, tensor<5x1x6x7xi64>) -> tensor<5x3x2x7xi64>
func.func @matmul_batched(%q: tensor<8x4x16x32xf32>, %k: tensor<4x32x16xf32>, %a: tensor<1x3x2x6xi64>, %b: tensor<5x1x6x7xi64>) -> (tensor<8x4x16x16xf32>, tensor<5x3x2x7xi64>) {
  %z = kiln.matmul %q, %k : tensor<8x4x16x32xf32>, tensor<4x32x16xf32>
  %c = kiln.matmul %a, %b : tensor<1x3x2x6xi64>, tensor<5x1x6x7xi64>
  return %z, %c : tensor<8x4x16x16xf32>, tensor<5x3x2x7xi64>
}

// -----

// CHECK-LABEL: func.func @conv2d(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x3x32x32xf32>, %[[W:[^:]+]]: tensor<16x3x3x3xf32>, %[[G:[^:]+]]: tensor<8x4x32x32xf32>, %[[GW:[^:]+]]: tensor<6x2x5x3xf32>
// CHECK: %[[SAME:.+]] = kiln.conv2d %[[X]], %[[W]] stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
// CHECK: %[[DOWN:.+]] = kiln.conv2d %[[X]], %[[W]] stride = [2, 3] padding = [0, 1] dilation = [2, 1] groups = 1 : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
// CHECK: %[[GROUPED:.+]] = kiln.conv2d %[[G]], %[[GW]] stride = [1, 1] padding = [0, 0] dilation = [1, 1] groups = 2 : tensor<8x4x32x32xf32>, tensor<6x2x5x3xf32>
// CHECK: return %[[SAME]], %[[DOWN]], %[[GROUPED]] : tensor<8x16x32x32xf32>, tensor<8x16x14x11xf32>, tensor<8x6x28x30xf32>
// GENERIC-LABEL: sym_name = "conv2d"
// GENERIC: "kiln.conv2d"(%{{.+}}, %{{.+}}) <{dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>}> : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x16x32x32xf32>
// GENERIC: "kiln.conv2d"(%{{.+}}, %{{.+}}) <{dilation = array<i64: 2, 1>, groups = 1 : i64, padding = array<i64: 0, 1>, stride = array<i64: 2, 3>}> : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x16x14x11xf32>
// GENERIC: "kiln.conv2d"(%{{.+}}, %{{.+}}) <{dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>}> : (tensor<8x4x32x32xf32>, tensor<6x2x5x3xf32>) -> tensor<8x6x28x30xf32>
func.func @conv2d(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %g: tensor<8x4x32x32xf32>, %gw: tensor<6x2x5x3xf32>) -> (tensor<8x16x32x32xf32>, tensor<8x16x14x11xf32>, tensor<8x6x28x30xf32>) {
  %same = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
  // OH = (32 + 0 - 2 * 2 - 1) / 2 + 1 = 14, OW = (32 + 2 - 2 - 1) / 3 + 1 = 11
  %down = kiln.conv2d %x, %w stride = [2, 3] padding = [0, 1]
      dilation = [2, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
  %grouped = kiln.conv2d %g, %gw stride = [1, 1] padding = [0, 0]
      dilation = [1, 1] groups = 2
      : tensor<8x4x32x32xf32>, tensor<6x2x5x3xf32>
  return %same, %down, %grouped : tensor<8x16x32x32xf32>, tensor<8x16x14x11xf32>, tensor<8x6x28x30xf32>
}

// -----

// CHECK-LABEL: func.func @conv2d_grad_input(
// CHECK-SAME: %[[DY:[^:]+]]: tensor<8x16x16x16xf32>, %[[W:[^:]+]]: tensor<16x3x3x3xf32>
// CHECK: %[[DX:.+]] = kiln.conv2d_grad_input %[[DY]], %[[W]] stride = [2, 2] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<8x16x16x16xf32>, tensor<16x3x3x3xf32> -> tensor<8x3x32x32xf32>
// The stride drops a row, so a 31x31 input gives the same output shape.
// CHECK: %[[DX2:.+]] = kiln.conv2d_grad_input %[[DY]], %[[W]] stride = [2, 2] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<8x16x16x16xf32>, tensor<16x3x3x3xf32> -> tensor<8x3x31x31xf32>
// CHECK: return %[[DX]], %[[DX2]] : tensor<8x3x32x32xf32>, tensor<8x3x31x31xf32>
func.func @conv2d_grad_input(%dy: tensor<8x16x16x16xf32>, %w: tensor<16x3x3x3xf32>) -> (tensor<8x3x32x32xf32>, tensor<8x3x31x31xf32>) {
  %dx = kiln.conv2d_grad_input %dy, %w stride = [2, 2] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x16x16x16xf32>, tensor<16x3x3x3xf32> -> tensor<8x3x32x32xf32>
  %dx2 = kiln.conv2d_grad_input %dy, %w stride = [2, 2] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x16x16x16xf32>, tensor<16x3x3x3xf32> -> tensor<8x3x31x31xf32>
  return %dx, %dx2 : tensor<8x3x32x32xf32>, tensor<8x3x31x31xf32>
}

// -----

// CHECK-LABEL: func.func @conv2d_grad_filter(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x3x32x32xf32>, %[[DY:[^:]+]]: tensor<8x16x32x32xf32>
// CHECK: %[[DW:.+]] = kiln.conv2d_grad_filter %[[X]], %[[DY]] stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32> -> tensor<16x3x3x3xf32>
// CHECK: return %[[DW]] : tensor<16x3x3x3xf32>
func.func @conv2d_grad_filter(%x: tensor<8x3x32x32xf32>, %dy: tensor<8x16x32x32xf32>) -> tensor<16x3x3x3xf32> {
  %dw = kiln.conv2d_grad_filter %x, %dy stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32> -> tensor<16x3x3x3xf32>
  return %dw : tensor<16x3x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool2d(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x16x32x32xf32>, %[[DY:[^:]+]]: tensor<8x16x16x16xf32>
// CHECK: %[[P:.+]] = kiln.max_pool2d %[[X]] kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<8x16x32x32xf32>
// CHECK: %[[Q:.+]] = kiln.max_pool2d %[[X]] kernel = [3, 3] stride = [2, 1] padding = [1, 1] : tensor<8x16x32x32xf32>
// CHECK: %[[DX:.+]] = kiln.max_pool2d_grad %[[X]], %[[DY]] kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>
// CHECK: return %[[P]], %[[Q]], %[[DX]] : tensor<8x16x16x16xf32>, tensor<8x16x16x32xf32>, tensor<8x16x32x32xf32>
// GENERIC-LABEL: sym_name = "max_pool2d"
// GENERIC: "kiln.max_pool2d"(%{{.+}}) <{kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}> : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
// GENERIC: "kiln.max_pool2d"(%{{.+}}) <{kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 1>}> : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x32xf32>
// GENERIC: "kiln.max_pool2d_grad"(%{{.+}}, %{{.+}}) <{kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}> : (tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
func.func @max_pool2d(%x: tensor<8x16x32x32xf32>, %dy: tensor<8x16x16x16xf32>) -> (tensor<8x16x16x16xf32>, tensor<8x16x16x32xf32>, tensor<8x16x32x32xf32>) {
  %p = kiln.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0]
      : tensor<8x16x32x32xf32>
  %q = kiln.max_pool2d %x kernel = [3, 3] stride = [2, 1] padding = [1, 1]
      : tensor<8x16x32x32xf32>
  %dx = kiln.max_pool2d_grad %x, %dy kernel = [2, 2] stride = [2, 2]
      padding = [0, 0] : tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>
  return %p, %q, %dx : tensor<8x16x16x16xf32>, tensor<8x16x16x32xf32>, tensor<8x16x32x32xf32>
}

// -----

// CHECK-LABEL: func.func @avg_pool2d(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x16x32x32xf32>, %[[DY:[^:]+]]: tensor<8x16x16x16xf32>
// CHECK: %[[P:.+]] = kiln.avg_pool2d %[[X]] kernel = [2, 2] stride = [2, 2] padding = [0, 0] count_include_pad = true : tensor<8x16x32x32xf32>
// CHECK: %[[Q:.+]] = kiln.avg_pool2d %[[X]] kernel = [3, 3] stride = [1, 1] padding = [1, 1] count_include_pad = false : tensor<8x16x32x32xf32>
// CHECK: %[[DX:.+]] = kiln.avg_pool2d_grad %[[DY]] kernel = [2, 2] stride = [2, 2] padding = [0, 0] count_include_pad = true : tensor<8x16x16x16xf32> -> tensor<8x16x32x32xf32>
// CHECK: %[[DX2:.+]] = kiln.avg_pool2d_grad %[[DY]] kernel = [2, 2] stride = [2, 2] padding = [0, 0] count_include_pad = false : tensor<8x16x16x16xf32> -> tensor<8x16x33x33xf32>
// CHECK: return %[[P]], %[[Q]], %[[DX]], %[[DX2]] : tensor<8x16x16x16xf32>, tensor<8x16x32x32xf32>, tensor<8x16x32x32xf32>, tensor<8x16x33x33xf32>
// GENERIC-LABEL: sym_name = "avg_pool2d"
// GENERIC: "kiln.avg_pool2d"(%{{.+}}) <{count_include_pad = true, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}> : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
// GENERIC: "kiln.avg_pool2d"(%{{.+}}) <{count_include_pad = false, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>}> : (tensor<8x16x32x32xf32>) -> tensor<8x16x32x32xf32>
func.func @avg_pool2d(%x: tensor<8x16x32x32xf32>, %dy: tensor<8x16x16x16xf32>) -> (tensor<8x16x16x16xf32>, tensor<8x16x32x32xf32>, tensor<8x16x32x32xf32>, tensor<8x16x33x33xf32>) {
  %p = kiln.avg_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0]
      count_include_pad = true : tensor<8x16x32x32xf32>
  %q = kiln.avg_pool2d %x kernel = [3, 3] stride = [1, 1] padding = [1, 1]
      count_include_pad = false : tensor<8x16x32x32xf32>
  %dx = kiln.avg_pool2d_grad %dy kernel = [2, 2] stride = [2, 2]
      padding = [0, 0] count_include_pad = true
      : tensor<8x16x16x16xf32> -> tensor<8x16x32x32xf32>
  // Pooling a 33x33 input by 2 with stride 2 drops the last row and column.
  %dx2 = kiln.avg_pool2d_grad %dy kernel = [2, 2] stride = [2, 2]
      padding = [0, 0] count_include_pad = false
      : tensor<8x16x16x16xf32> -> tensor<8x16x33x33xf32>
  return %p, %q, %dx, %dx2 : tensor<8x16x16x16xf32>, tensor<8x16x32x32xf32>, tensor<8x16x32x32xf32>, tensor<8x16x33x33xf32>
}

// -----

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[LOGITS:[^:]+]]: tensor<64x10xf32>
// CHECK: %[[P:.+]] = kiln.softmax %[[LOGITS]] dim = 1 : tensor<64x10xf32>
// CHECK: %[[L:.+]] = kiln.log_softmax %[[LOGITS]] dim = 0 : tensor<64x10xf32>
// CHECK: return %[[P]], %[[L]] : tensor<64x10xf32>, tensor<64x10xf32>
// GENERIC-LABEL: sym_name = "softmax"
// GENERIC: "kiln.softmax"(%{{.+}}) <{dim = 1 : i64}> : (tensor<64x10xf32>) -> tensor<64x10xf32>
// GENERIC: "kiln.log_softmax"(%{{.+}}) <{dim = 0 : i64}> : (tensor<64x10xf32>) -> tensor<64x10xf32>
func.func @softmax(%logits: tensor<64x10xf32>) -> (tensor<64x10xf32>, tensor<64x10xf32>) {
  %p = kiln.softmax %logits dim = 1 : tensor<64x10xf32>
  %l = kiln.log_softmax %logits dim = 0 : tensor<64x10xf32>
  return %p, %l : tensor<64x10xf32>, tensor<64x10xf32>
}

// -----

// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x16x64xf32>, %[[GAMMA:[^:]+]]: tensor<64xf32>, %[[BETA:[^:]+]]: tensor<64xf32>, %[[G2:[^:]+]]: tensor<16x64xf32>, %[[B2:[^:]+]]: tensor<16x64xf32>
// CHECK: %[[Y:.+]] = kiln.layer_norm %[[X]], %[[GAMMA]], %[[BETA]] axis = 2 eps = 1.000000e-05 : tensor<8x16x64xf32>, tensor<64xf32>, tensor<64xf32>
// CHECK: %[[Z:.+]] = kiln.layer_norm %[[X]], %[[G2]], %[[B2]] axis = 1 eps = 1.000000e-03 : tensor<8x16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>
// CHECK: return %[[Y]], %[[Z]] : tensor<8x16x64xf32>, tensor<8x16x64xf32>
// GENERIC-LABEL: sym_name = "layer_norm"
// GENERIC: "kiln.layer_norm"(%{{.+}}, %{{.+}}, %{{.+}}) <{axis = 2 : i64, eps = 1.000000e-05 : f64}> : (tensor<8x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<8x16x64xf32>
func.func @layer_norm(%x: tensor<8x16x64xf32>, %gamma: tensor<64xf32>, %beta: tensor<64xf32>, %g2: tensor<16x64xf32>, %b2: tensor<16x64xf32>) -> (tensor<8x16x64xf32>, tensor<8x16x64xf32>) {
  %y = kiln.layer_norm %x, %gamma, %beta axis = 2 eps = 1.0e-05
      : tensor<8x16x64xf32>, tensor<64xf32>, tensor<64xf32>
  %z = kiln.layer_norm %x, %g2, %b2 axis = 1 eps = 1.0e-03
      : tensor<8x16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>
  return %y, %z : tensor<8x16x64xf32>, tensor<8x16x64xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm_training(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x16x32x32xf32>, %[[GAMMA:[^:]+]]: tensor<16xf32>, %[[BETA:[^:]+]]: tensor<16xf32>
// The custom form names the three results after their ODS names.
// CHECK: %[[Y:result]], %[[MEAN:batch_mean]], %[[VAR:batch_var]] = kiln.batch_norm_training %[[X]], %[[GAMMA]], %[[BETA]] eps = 1.000000e-05 : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>
// CHECK: return %[[Y]], %[[MEAN]], %[[VAR]] : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>
// GENERIC-LABEL: sym_name = "batch_norm_training"
// GENERIC: "kiln.batch_norm_training"(%{{.+}}, %{{.+}}, %{{.+}}) <{eps = 1.000000e-05 : f64}> : (tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>)
func.func @batch_norm_training(%x: tensor<8x16x32x32xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>) -> (tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>) {
  %y, %mean, %var = kiln.batch_norm_training %x, %gamma, %beta eps = 1.0e-05
      : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>
  return %y, %mean, %var : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm_inference(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x16x32x32xf32>, %[[GAMMA:[^:]+]]: tensor<16xf32>, %[[BETA:[^:]+]]: tensor<16xf32>, %[[MEAN:[^:]+]]: tensor<16xf32>, %[[VAR:[^:]+]]: tensor<16xf32>, %[[V:[^:]+]]: tensor<4x3xf64>, %[[P:[^:]+]]: tensor<3xf64>
// CHECK: %[[Y:.+]] = kiln.batch_norm_inference %[[X]], %[[GAMMA]], %[[BETA]], %[[MEAN]], %[[VAR]] eps = 1.000000e-05 : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
// CHECK: %[[Z:.+]] = kiln.batch_norm_inference %[[V]], %[[P]], %[[P]], %[[P]], %[[P]] eps = 1.000000e-01 : tensor<4x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>
// CHECK: return %[[Y]], %[[Z]] : tensor<8x16x32x32xf32>, tensor<4x3xf64>
func.func @batch_norm_inference(%x: tensor<8x16x32x32xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>, %mean: tensor<16xf32>, %var: tensor<16xf32>, %v: tensor<4x3xf64>, %p: tensor<3xf64>) -> (tensor<8x16x32x32xf32>, tensor<4x3xf64>) {
  %y = kiln.batch_norm_inference %x, %gamma, %beta, %mean, %var eps = 1.0e-05
      : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>,
        tensor<16xf32>, tensor<16xf32>
  %z = kiln.batch_norm_inference %v, %p, %p, %p, %p eps = 0.1
      : tensor<4x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>
  return %y, %z : tensor<8x16x32x32xf32>, tensor<4x3xf64>
}

// -----

// CHECK-LABEL: func.func private @loss(tensor<4x3xf32>, tensor<8x4xf32>) -> tensor<f32>
func.func private @loss(%w: tensor<4x3xf32>, %x: tensor<8x4xf32>) -> tensor<f32>

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[W:[^:]+]]: tensor<4x3xf32>, %[[X:[^:]+]]: tensor<8x4xf32>
// CHECK: %[[G:.+]]:2 = kiln.grad @loss(%[[W]], %[[X]]) wrt [0] : (tensor<4x3xf32>, tensor<8x4xf32>) -> (tensor<f32>, tensor<4x3xf32>)
// CHECK: %[[BOTH:.+]]:3 = kiln.grad @loss(%[[W]], %[[X]]) wrt [1, 0] : (tensor<4x3xf32>, tensor<8x4xf32>) -> (tensor<f32>, tensor<8x4xf32>, tensor<4x3xf32>)
// CHECK: %[[NONE:.+]] = kiln.grad @loss(%[[W]], %[[X]]) wrt [] : (tensor<4x3xf32>, tensor<8x4xf32>) -> tensor<f32>
// CHECK: return %[[G]]#0, %[[G]]#1, %[[BOTH]]#1, %[[NONE]]
// GENERIC-LABEL: sym_name = "grad"
// GENERIC: "kiln.grad"(%{{.+}}, %{{.+}}) <{callee = @loss, operandSegmentSizes = array<i32: 2, 0>, wrt = array<i64: 0>}> : (tensor<4x3xf32>, tensor<8x4xf32>) -> (tensor<f32>, tensor<4x3xf32>)
func.func @grad(%w: tensor<4x3xf32>, %x: tensor<8x4xf32>) -> (tensor<f32>, tensor<4x3xf32>, tensor<8x4xf32>, tensor<f32>) {
  %l, %dw = kiln.grad @loss(%w, %x) wrt [0]
      : (tensor<4x3xf32>, tensor<8x4xf32>) -> (tensor<f32>, tensor<4x3xf32>)
  %l2, %dx, %dw2 = kiln.grad @loss(%w, %x) wrt [1, 0]
      : (tensor<4x3xf32>, tensor<8x4xf32>) -> (tensor<f32>, tensor<8x4xf32>, tensor<4x3xf32>)
  %l3 = kiln.grad @loss(%w, %x) wrt []
      : (tensor<4x3xf32>, tensor<8x4xf32>) -> tensor<f32>
  return %l, %dw, %dx, %l3 : tensor<f32>, tensor<4x3xf32>, tensor<8x4xf32>, tensor<f32>
}

// -----

// With a seed the callee may return a non-scalar; integer inputs may be
// passed as long as wrt does not name them.
// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[W:[^:]+]]: tensor<2x3xf32>, %{{[^:]+}}: tensor<i32>) -> tensor<2x3xf32>
// CHECK: kiln.add %[[W]], %[[W]] : tensor<2x3xf32>
func.func @forward(%w: tensor<2x3xf32>, %n: tensor<i32>) -> tensor<2x3xf32> {
  %y = kiln.add %w, %w : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @grad_seed(
// CHECK-SAME: %[[W:[^:]+]]: tensor<2x3xf32>, %[[N:[^:]+]]: tensor<i32>, %[[SEED:[^:]+]]: tensor<2x3xf32>
// CHECK: %[[G:.+]]:2 = kiln.grad @forward(%[[W]], %[[N]]) seed(%[[SEED]] : tensor<2x3xf32>) wrt [0] : (tensor<2x3xf32>, tensor<i32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK: return %[[G]]#1 : tensor<2x3xf32>
// GENERIC-LABEL: sym_name = "grad_seed"
// GENERIC: "kiln.grad"(%{{.+}}, %{{.+}}, %{{.+}}) <{callee = @forward, operandSegmentSizes = array<i32: 2, 1>, wrt = array<i64: 0>}> : (tensor<2x3xf32>, tensor<i32>, tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
func.func @grad_seed(%w: tensor<2x3xf32>, %n: tensor<i32>, %seed: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y, %dw = kiln.grad @forward(%w, %n) seed(%seed : tensor<2x3xf32>) wrt [0]
      : (tensor<2x3xf32>, tensor<i32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  return %dw : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @fusion(
// CHECK-SAME: %[[X:[^:]+]]: tensor<64x10xf32>, %[[B:[^:]+]]: tensor<64x10xf32>
// CHECK: %[[R:.+]] = kiln.fusion ins(%[[X]], %[[B]] : tensor<64x10xf32>, tensor<64x10xf32>) -> tensor<64x10xf32> {
// CHECK-NEXT: ^bb0(%[[A:[^:]+]]: tensor<64x10xf32>, %[[C:[^:]+]]: tensor<64x10xf32>):
// CHECK-NEXT: %[[S:.+]] = kiln.add %[[A]], %[[C]] : tensor<64x10xf32>
// CHECK-NEXT: %[[Y:.+]] = kiln.relu %[[S]] : tensor<64x10xf32>
// CHECK-NEXT: kiln.yield %[[Y]] : tensor<64x10xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]] : tensor<64x10xf32>
// GENERIC-LABEL: sym_name = "fusion"
// GENERIC: %[[R:.+]] = "kiln.fusion"(%{{.+}}, %{{.+}}) ({
// GENERIC: "kiln.yield"(%{{.+}}) : (tensor<64x10xf32>) -> ()
// GENERIC: }) : (tensor<64x10xf32>, tensor<64x10xf32>) -> tensor<64x10xf32>
func.func @fusion(%x: tensor<64x10xf32>, %b: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %r = kiln.fusion ins(%x, %b : tensor<64x10xf32>, tensor<64x10xf32>)
      -> tensor<64x10xf32> {
  ^bb0(%a: tensor<64x10xf32>, %c: tensor<64x10xf32>):
    %s = kiln.add %a, %c : tensor<64x10xf32>
    %y = kiln.relu %s : tensor<64x10xf32>
    kiln.yield %y : tensor<64x10xf32>
  }
  return %r : tensor<64x10xf32>
}

// -----

// A fusion without inputs, and one with two results and attributes.
// CHECK-LABEL: func.func @fusion_forms(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK: %[[C:.+]] = kiln.fusion -> tensor<2x3xf32> {
// CHECK-NEXT: %[[ONE:.+]] = kiln.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK-NEXT: kiln.yield %[[ONE]] : tensor<2x3xf32>
// CHECK-NEXT: }
// CHECK: %[[TWO:.+]]:2 = kiln.fusion ins(%[[X]] : tensor<2x3xf32>) -> tensor<2x3xf32>, tensor<2x3xi1> attributes {note = "pair"} {
// CHECK-NEXT: ^bb0(%[[A:[^:]+]]: tensor<2x3xf32>):
// CHECK-NEXT: %[[N:.+]] = kiln.neg %[[A]] : tensor<2x3xf32>
// CHECK-NEXT: %[[M:.+]] = kiln.compare gt, %[[A]], %[[N]] : tensor<2x3xf32>
// CHECK-NEXT: kiln.yield %[[N]], %[[M]] : tensor<2x3xf32>, tensor<2x3xi1>
// CHECK-NEXT: }
// CHECK: return %[[C]], %[[TWO]]#0, %[[TWO]]#1 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi1>
func.func @fusion_forms(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi1>) {
  %c = kiln.fusion -> tensor<2x3xf32> {
    %one = kiln.constant dense<1.0> : tensor<2x3xf32>
    kiln.yield %one : tensor<2x3xf32>
  }
  %n, %m = kiln.fusion ins(%x : tensor<2x3xf32>)
      -> tensor<2x3xf32>, tensor<2x3xi1> attributes {note = "pair"} {
  ^bb0(%a: tensor<2x3xf32>):
    %neg = kiln.neg %a : tensor<2x3xf32>
    %mask = kiln.compare gt, %a, %neg : tensor<2x3xf32>
    kiln.yield %neg, %mask : tensor<2x3xf32>, tensor<2x3xi1>
  }
  return %c, %n, %m : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi1>
}

// -----

// A fusion may produce nothing (its body only has effects, later on).
// CHECK-LABEL: func.func @fusion_without_results
// CHECK: kiln.fusion {
// CHECK-NEXT: kiln.yield
// CHECK-NEXT: }
func.func @fusion_without_results() {
  kiln.fusion {
    kiln.yield
  }
  return
}

// -----

// A custom autograd function: the results are the outputs, the backward
// function maps the results' cotangents and the saved values to the
// gradients of the listed primals.
func.func private @exp_backward(%g: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %d = kiln.mul %g, %y : tensor<4xf32>
  return %d : tensor<4xf32>
}

// CHECK-LABEL: func.func @custom_vjp(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4xf32>, %[[N:[^:]+]]: tensor<i32>
// CHECK: %[[Y:.+]] = kiln.exp %[[X]]
// CHECK: %[[R:.+]] = kiln.custom_vjp @exp_backward(%[[X]], %[[N]] : tensor<4xf32>, tensor<i32>) outputs(%[[Y]] : tensor<4xf32>) saved(%[[Y]] : tensor<4xf32>) gradients [0] -> tensor<4xf32>
// CHECK: return %[[R]]
// GENERIC-LABEL: sym_name = "custom_vjp"
// GENERIC: "kiln.custom_vjp"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) <{backward = @exp_backward, gradients = array<i64: 0>, operandSegmentSizes = array<i32: 2, 1, 1>}>
func.func @custom_vjp(%x: tensor<4xf32>, %n: tensor<i32>) -> tensor<4xf32> {
  %y = kiln.exp %x : tensor<4xf32>
  %r = kiln.custom_vjp @exp_backward(%x, %n : tensor<4xf32>, tensor<i32>)
      outputs(%y : tensor<4xf32>) saved(%y : tensor<4xf32>) gradients [0]
      -> tensor<4xf32>
  return %r : tensor<4xf32>
}
