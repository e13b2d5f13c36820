// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Every verifier and type-inference rule of the kiln dialect, each with IR
// that breaks it. Type inference runs while the custom form is parsed, so
// its errors name no op; in the generic form an explicit result type that
// differs from the inferred one gives two errors.

//===----------------------------------------------------------------------===//
// Types accepted by every op
//===----------------------------------------------------------------------===//

func.func @dynamic_unary(%x: tensor<?xf32>) {
  // expected-error @+1 {{'kiln.exp' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<?xf32>'}}
  %y = kiln.exp %x : tensor<?xf32>
  return
}

// -----

func.func @dynamic_binary(%x: tensor<2x?xi32>) {
  // expected-error @+1 {{'kiln.add' op operand #0 must be statically shaped tensor of}}
  %y = kiln.add %x, %x : tensor<2x?xi32>
  return
}

// -----

func.func @dynamic_inferred(%a: tensor<?x3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{matmul expects static tensors}}
  %y = kiln.matmul %a, %b : tensor<?x3xf32>, tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_result(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'kiln.reshape' op result #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<?xf32>'}}
  %y = kiln.reshape %x : tensor<2x4xf32> -> tensor<?xf32>
  return
}

// -----

func.func @unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'kiln.neg' invalid kind of type specified}}
  %y = kiln.neg %x : tensor<*xf32>
  return
}

// -----

// Signless integers of 8, 16, 32 and 64 bits; nothing narrower or between.
func.func @element_type_i4(%x: tensor<4xi4>) {
  // expected-error @+1 {{'kiln.add' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xi4>'}}
  %y = kiln.add %x, %x : tensor<4xi4>
  return
}

// -----

// Integers are signless: uint8 is i8, its ops chosen by the frontend.
func.func @element_type_unsigned(%x: tensor<4xui8>) {
  // expected-error @+1 {{'kiln.mul' op operand #0 must be statically shaped tensor of}}
  %y = kiln.mul %x, %x : tensor<4xui8>
  return
}

// -----

func.func @element_type_f8() {
  // expected-error @+1 {{'kiln.constant' op result #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf8E4M3FN>'}}
  %c = kiln.constant dense<1.0> : tensor<4xf8E4M3FN>
  return
}

// -----

func.func @element_type_convert(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.convert' op result #0 must be statically shaped tensor of}}
  %y = kiln.convert %x : tensor<2x3xf32> to tensor<2x3xi24>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Constants and creation
//===----------------------------------------------------------------------===//

func.func @constant_i4() {
  // expected-error @+1 {{'kiln.constant' op result #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xi4>'}}
  %c = kiln.constant dense<1> : tensor<4xi4>
  return
}

// -----

func.func @constant_result_type() {
  // expected-error @+2 {{'kiln.constant' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{'kiln.constant' op failed to infer returned types}}
  %c = "kiln.constant"() <{value = dense<1.0> : tensor<4xf32>}> : () -> tensor<5xf32>
  return
}

// -----

func.func @constant_not_elements() {
  // expected-error @+1 {{Invalid attribute `value` in property conversion: 1.000000e+00 : f32}}
  %c = "kiln.constant"() <{value = 1.0 : f32}> : () -> tensor<f32>
  return
}

// -----

func.func @iota_dim() {
  // expected-error @+1 {{iota dim 2 is out of range for a tensor of rank 2}}
  %i = kiln.iota dim = 2 : tensor<2x3xi64>
  return
}

// -----

func.func @iota_negative_dim() {
  // expected-error @+1 {{iota dim -1 is out of range for a tensor of rank 2}}
  %i = kiln.iota dim = -1 : tensor<2x3xf32>
  return
}

// -----

func.func @iota_scalar() {
  // expected-error @+1 {{iota dim 0 is out of range for a tensor of rank 0}}
  %i = kiln.iota dim = 0 : tensor<i32>
  return
}

// -----

func.func @iota_bool() {
  // expected-error @+1 {{'kiln.iota' op result #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xi1>'}}
  %i = kiln.iota dim = 0 : tensor<2xi1>
  return
}

// -----

func.func @fill_element_type(%v: tensor<f32>) {
  // expected-error @+1 {{'kiln.fill' op value 'tensor<f32>' and result 'tensor<4x4xf16>' have different element types}}
  %t = kiln.fill %v : tensor<f32> -> tensor<4x4xf16>
  return
}

// -----

func.func @fill_not_scalar(%v: tensor<1xf32>) {
  // expected-error @+1 {{'kiln.fill' op operand #0 must be 0D tensor of}}
  %t = kiln.fill %v : tensor<1xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @rng_integer_result(%s: tensor<i64>) {
  // expected-error @+1 {{'kiln.rng_uniform' op result #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %r = kiln.rng_uniform %s, %s : tensor<4xi32>
  return
}

// -----

func.func @rng_seed_type(%s: tensor<i32>) {
  // expected-error @+1 {{'kiln.rng_normal' op operand #0 must be 0D tensor of 64-bit signless integer values, but got 'tensor<i32>'}}
  %r = "kiln.rng_normal"(%s, %s) : (tensor<i32>, tensor<i32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

func.func @exp_integer(%x: tensor<4xi32>) {
  // expected-error @+1 {{'kiln.exp' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %y = kiln.exp %x : tensor<4xi32>
  return
}

// -----

func.func @neg_bool(%x: tensor<4xi1>) {
  // expected-error @+1 {{'kiln.neg' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xi1>'}}
  %y = kiln.neg %x : tensor<4xi1>
  return
}

// -----

func.func @not_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.not' op operand #0 must be statically shaped tensor of 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf32>'}}
  %y = kiln.not %x : tensor<4xf32>
  return
}

// -----

func.func @log_integer(%x: tensor<3xi32>) {
  // expected-error @+1 {{'kiln.log' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi32>'}}
  %y = kiln.log %x : tensor<3xi32>
  return
}

// -----

func.func @erf_integer(%x: tensor<3xi64>) {
  // expected-error @+1 {{'kiln.erf' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi64>'}}
  %y = kiln.erf %x : tensor<3xi64>
  return
}

// -----

func.func @log1p_integer(%x: tensor<3xi64>) {
  // expected-error @+1 {{'kiln.log1p' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi64>'}}
  %y = kiln.log1p %x : tensor<3xi64>
  return
}

// -----

func.func @sqrt_integer(%x: tensor<3xi32>) {
  // expected-error @+1 {{'kiln.sqrt' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi32>'}}
  %y = kiln.sqrt %x : tensor<3xi32>
  return
}

// -----

func.func @rsqrt_integer(%x: tensor<3xi64>) {
  // expected-error @+1 {{'kiln.rsqrt' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi64>'}}
  %y = kiln.rsqrt %x : tensor<3xi64>
  return
}

// -----

func.func @reciprocal_integer(%x: tensor<3xi32>) {
  // expected-error @+1 {{'kiln.reciprocal' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi32>'}}
  %y = kiln.reciprocal %x : tensor<3xi32>
  return
}

// -----

func.func @sigmoid_integer(%x: tensor<3xi1>) {
  // expected-error @+1 {{'kiln.sigmoid' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi1>'}}
  %y = kiln.sigmoid %x : tensor<3xi1>
  return
}

// -----

func.func @sin_integer(%x: tensor<3xi32>) {
  // expected-error @+1 {{'kiln.sin' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi32>'}}
  %y = kiln.sin %x : tensor<3xi32>
  return
}

// -----

func.func @cos_integer(%x: tensor<3xi64>) {
  // expected-error @+1 {{'kiln.cos' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi64>'}}
  %y = kiln.cos %x : tensor<3xi64>
  return
}

// -----

func.func @floor_integer(%x: tensor<3xi32>) {
  // expected-error @+1 {{'kiln.floor' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xi32>'}}
  %y = kiln.floor %x : tensor<3xi32>
  return
}

// -----

func.func @abs_bool(%x: tensor<3xi1>) {
  // expected-error @+1 {{'kiln.abs' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<3xi1>'}}
  %y = kiln.abs %x : tensor<3xi1>
  return
}

// -----

func.func @relu_bool(%x: tensor<3xi1>) {
  // expected-error @+1 {{'kiln.relu' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<3xi1>'}}
  %y = kiln.relu %x : tensor<3xi1>
  return
}

// -----

func.func @sign_bool(%x: tensor<3xi1>) {
  // expected-error @+1 {{'kiln.sign' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<3xi1>'}}
  %y = kiln.sign %x : tensor<3xi1>
  return
}

// -----

func.func @minimum_bool(%x: tensor<3xi1>) {
  // expected-error @+1 {{'kiln.minimum' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<3xi1>'}}
  %y = kiln.minimum %x, %x : tensor<3xi1>
  return
}

// -----

func.func @unary_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.tanh' op requires the same type for all operands and results}}
  %y = "kiln.tanh"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @gelu_integer(%x: tensor<4xi32>) {
  // expected-error @+1 {{'kiln.gelu' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %y = kiln.gelu %x approximate = none : tensor<4xi32>
  return
}

// -----

func.func @gelu_approximation(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'approximate' [none, tanh]}}
  %y = kiln.gelu %x approximate = erf : tensor<4xf32>
  return
}

// -----

func.func @binary_shapes(%x: tensor<2x3xf32>, %y: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.add' op all non-scalar operands/results must have the same shape and base type}}
  %z = "kiln.add"(%x, %y) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @binary_element_types(%x: tensor<3xf32>, %y: tensor<3xf16>) {
  // expected-error @+1 {{'kiln.sub' op requires the same type for all operands and results}}
  %z = "kiln.sub"(%x, %y) : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return
}

// -----

func.func @binary_custom_form_types(%x: tensor<4xf32>) {
  // expected-note @-1 {{prior use here}}
  // expected-error @+1 {{use of value '%x' expects different type than prior uses: 'tensor<4xf64>' vs 'tensor<4xf32>'}}
  %y = kiln.div %x, %x : tensor<4xf64>
  return
}

// -----

func.func @pow_integer(%x: tensor<4xi32>) {
  // expected-error @+1 {{'kiln.pow' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %z = kiln.pow %x, %x : tensor<4xi32>
  return
}

// -----

func.func @maximum_bool(%x: tensor<4xi1>) {
  // expected-error @+1 {{'kiln.maximum' op operand #0 must be statically shaped tensor of}}
  %z = kiln.maximum %x, %x : tensor<4xi1>
  return
}

// -----

func.func @and_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.and' op operand #0 must be statically shaped tensor of 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf32>'}}
  %z = kiln.and %x, %x : tensor<4xf32>
  return
}

// -----

func.func @or_float(%x: tensor<4xf16>) {
  // expected-error @+1 {{'kiln.or' op operand #0 must be statically shaped tensor of 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf16>'}}
  %z = kiln.or %x, %x : tensor<4xf16>
  return
}

// -----

func.func @compare_operand_types(%x: tensor<4xf32>, %y: tensor<4xf16>) {
  // expected-error @+1 {{'kiln.compare' op requires all operands to have the same type}}
  %z = "kiln.compare"(%x, %y) <{direction = 0 : i32}> : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xi1>
  return
}

// -----

func.func @compare_direction(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'direction' [eq, ne, lt, le, gt, ge]}}
  %z = kiln.compare lte, %x, %x : tensor<4xf32>
  return
}

// -----

func.func @compare_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.compare' op result #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %z = "kiln.compare"(%x, %x) <{direction = 0 : i32}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @compare_result_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.compare' op all non-scalar operands/results must have the same shape and base type}}
  %z = "kiln.compare"(%x, %x) <{direction = 3 : i32}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<2x2xi1>
  return
}

// -----

func.func @select_condition_shape(%c: tensor<3xi1>, %x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.select' op all non-scalar operands/results must have the same shape and base type}}
  %z = kiln.select %c, %x, %x : tensor<3xi1>, tensor<4xf32>
  return
}

// -----

func.func @select_scalar_condition(%c: tensor<i1>, %x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.select' op all non-scalar operands/results must have the same shape and base type}}
  %z = kiln.select %c, %x, %x : tensor<i1>, tensor<4xf32>
  return
}

// -----

func.func @select_condition_type(%c: tensor<4xi32>, %x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.select' op operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<4xi32>'}}
  %z = kiln.select %c, %x, %x : tensor<4xi32>, tensor<4xf32>
  return
}

// -----

func.func @select_value_types(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xf16>) {
  // expected-error @+1 {{'kiln.select' op failed to verify that all of {on_true, on_false, result} have same type}}
  %z = "kiln.select"(%c, %x, %y) : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @convert_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.convert' op all non-scalar operands/results must have the same shape and base type}}
  %y = kiln.convert %x : tensor<2x3xf32> to tensor<6xf16>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

func.func @broadcast_to_incompatible(%x: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.broadcast_to' op cannot broadcast shape [3] to [2, 4]}}
  %y = kiln.broadcast_to %x : tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @broadcast_to_lower_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.broadcast_to' op cannot broadcast shape [2, 3] to [3]}}
  %y = kiln.broadcast_to %x : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @broadcast_to_leading_dims(%x: tensor<2x3xf32>) {
  // Shapes align on the right: [2, 3] does not go to [2, 3, 1].
  // expected-error @+1 {{'kiln.broadcast_to' op cannot broadcast shape [2, 3] to [2, 3, 1]}}
  %y = kiln.broadcast_to %x : tensor<2x3xf32> -> tensor<2x3x1xf32>
  return
}

// -----

func.func @broadcast_to_element_type(%x: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.broadcast_to' op operand 'tensor<3xf32>' and result 'tensor<2x3xf16>' have different element types}}
  %y = kiln.broadcast_to %x : tensor<3xf32> -> tensor<2x3xf16>
  return
}

// -----

func.func @reshape_element_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.reshape' op cannot reshape [2, 3] (6 elements) to [7] (7 elements)}}
  %y = kiln.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.reshape' op operand 'tensor<2x3xf32>' and result 'tensor<6xi32>' have different element types}}
  %y = kiln.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [0, 0] is not a permutation of the dimensions of [2, 3]}}
  %y = kiln.transpose %x, permutation = [0, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [1, 0, 2] is not a permutation of the dimensions of [2, 3]}}
  %y = kiln.transpose %x, permutation = [1, 0, 2] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [2, 0] is not a permutation of the dimensions of [2, 3]}}
  %y = kiln.transpose %x, permutation = [2, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_negative(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation [-1, 0] is not a permutation of the dimensions of [2, 3]}}
  %y = kiln.transpose %x, permutation = [-1, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_result_type(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'kiln.transpose' op failed to infer returned types}}
  %y = "kiln.transpose"(%x) <{permutation = array<i64: 1, 0>}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @slice_limit_out_of_range(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{slice [0:6:1] is out of range for dimension 1 of [4, 5]}}
  %y = kiln.slice %x start = [0, 0] limit = [4, 6] strides = [1, 1] : tensor<4x5xf32>
  return
}

// -----

func.func @slice_start_after_limit(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{slice [3:2:1] is out of range for dimension 0 of [4, 5]}}
  %y = kiln.slice %x start = [3, 0] limit = [2, 5] strides = [1, 1] : tensor<4x5xf32>
  return
}

// -----

func.func @slice_negative_start(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{slice [-1:2:1] is out of range for dimension 0 of [4, 5]}}
  %y = kiln.slice %x start = [-1, 0] limit = [2, 5] strides = [1, 1] : tensor<4x5xf32>
  return
}

// -----

func.func @slice_zero_stride(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{slice [0:5:0] is out of range for dimension 1 of [4, 5]}}
  %y = kiln.slice %x start = [0, 0] limit = [4, 5] strides = [1, 0] : tensor<4x5xf32>
  return
}

// -----

func.func @slice_rank(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{slice of [4, 5] needs 2 start, limit and stride entries}}
  %y = kiln.slice %x start = [0] limit = [4] strides = [1] : tensor<4x5xf32>
  return
}

// -----

func.func @slice_result_type(%x: tensor<4x5xf32>) {
  // expected-error @+2 {{'kiln.slice' op inferred type(s) 'tensor<2x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %y = "kiln.slice"(%x) <{start = array<i64: 0, 1>, limit = array<i64: 2, 4>, strides = array<i64: 1, 2>}> : (tensor<4x5xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_other_dims(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{concat along dim 0 needs equal other dimensions, got [2, 3] and [2, 4]}}
  %y = kiln.concat %a, %b dim = 0 : tensor<2x3xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{concat inputs tensor<2x3xf32> and tensor<3xf32> differ in rank or element type}}
  %y = kiln.concat %a, %b dim = 0 : tensor<2x3xf32>, tensor<3xf32>
  return
}

// -----

func.func @concat_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) {
  // expected-error @+1 {{concat inputs tensor<2x3xf32> and tensor<2x3xf16> differ in rank or element type}}
  %y = kiln.concat %a, %b dim = 0 : tensor<2x3xf32>, tensor<2x3xf16>
  return
}

// -----

func.func @concat_dim(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{concat dim 2 is out of range for a tensor of rank 2}}
  %y = kiln.concat %a, %a dim = 2 : tensor<2x3xf32>, tensor<2x3xf32>
  return
}

// -----

func.func @concat_no_inputs() {
  // expected-error @+2 {{concat needs at least one input}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %y = "kiln.concat"() <{dim = 0 : i64}> : () -> tensor<2xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>, %v: tensor<f32>) {
  // expected-error @+1 {{'low' entries must be >= 0, got [0, -1]}}
  %y = kiln.pad %x, %v low = [0, -1] high = [0, 0] : tensor<2x3xf32>, tensor<f32>
  return
}

// -----

func.func @pad_negative_high(%x: tensor<2x3xf32>, %v: tensor<f32>) {
  // expected-error @+1 {{'high' entries must be >= 0, got [-2, 0]}}
  %y = kiln.pad %x, %v low = [0, 0] high = [-2, 0] : tensor<2x3xf32>, tensor<f32>
  return
}

// -----

func.func @pad_rank(%x: tensor<2x3xf32>, %v: tensor<f32>) {
  // expected-error @+1 {{'high' must have 2 entries, got 1}}
  %y = kiln.pad %x, %v low = [0, 1] high = [0] : tensor<2x3xf32>, tensor<f32>
  return
}

// -----

func.func @pad_value_element_type(%x: tensor<2x3xf32>, %v: tensor<f16>) {
  // expected-error @+1 {{padding value tensor<f16> must have the element type of tensor<2x3xf32>}}
  %y = kiln.pad %x, %v low = [0, 1] high = [0, 1] : tensor<2x3xf32>, tensor<f16>
  return
}

// -----

func.func @pad_value_not_scalar(%x: tensor<2x3xf32>, %v: tensor<1xf32>) {
  // expected-error @+1 {{'kiln.pad' op operand #1 must be 0D tensor of}}
  %y = kiln.pad %x, %v low = [0, 1] high = [0, 1] : tensor<2x3xf32>, tensor<1xf32>
  return
}

// -----

func.func @gather_dim(%t: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{gather dim 2 is out of range for a tensor of rank 2}}
  %y = kiln.gather %t, %i dim = 2 : tensor<10x4xf32>, tensor<3xi64>
  return
}

// -----

func.func @gather_negative_dim(%t: tensor<10x4xf32>, %i: tensor<3xi32>) {
  // expected-error @+1 {{gather dim -1 is out of range for a tensor of rank 2}}
  %y = kiln.gather %t, %i dim = -1 : tensor<10x4xf32>, tensor<3xi32>
  return
}

// -----

func.func @gather_index_type(%t: tensor<10x4xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.gather' op operand #1 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<3xf32>'}}
  %y = kiln.gather %t, %i dim = 0 : tensor<10x4xf32>, tensor<3xf32>
  return
}

// -----

func.func @scatter_add_updates_shape(%t: tensor<10x4xf32>, %i: tensor<3xi64>, %u: tensor<3x5xf32>) {
  // expected-error @+1 {{scatter_add updates tensor<3x5xf32> must have shape [3, 4] and the element type of tensor<10x4xf32>}}
  %y = kiln.scatter_add %t, %i, %u dim = 0 : tensor<10x4xf32>, tensor<3xi64>, tensor<3x5xf32>
  return
}

// -----

func.func @scatter_add_updates_dim(%t: tensor<10x4xf32>, %i: tensor<2x3xi64>, %u: tensor<10x3xf32>) {
  // expected-error @+1 {{scatter_add updates tensor<10x3xf32> must have shape [10, 2, 3] and the element type of tensor<10x4xf32>}}
  %y = kiln.scatter_add %t, %i, %u dim = 1 : tensor<10x4xf32>, tensor<2x3xi64>, tensor<10x3xf32>
  return
}

// -----

func.func @scatter_add_updates_type(%t: tensor<10x4xf32>, %i: tensor<3xi64>, %u: tensor<3x4xf16>) {
  // expected-error @+1 {{scatter_add updates tensor<3x4xf16> must have shape [3, 4] and the element type of tensor<10x4xf32>}}
  %y = kiln.scatter_add %t, %i, %u dim = 0 : tensor<10x4xf32>, tensor<3xi64>, tensor<3x4xf16>
  return
}

// -----

func.func @scatter_add_dim(%t: tensor<10x4xf32>, %i: tensor<3xi64>, %u: tensor<3x4xf32>) {
  // expected-error @+1 {{scatter_add dim -1 is out of range for a tensor of rank 2}}
  %y = kiln.scatter_add %t, %i, %u dim = -1 : tensor<10x4xf32>, tensor<3xi64>, tensor<3x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

func.func @reduce_sum_duplicate_dims(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reduction dims [1, 1] name dimension 1 twice}}
  %y = kiln.reduce_sum %x dims = [1, 1] : tensor<2x3xf32>
  return
}

// -----

func.func @reduce_max_dim_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reduction dim 2 is out of range for a tensor of rank 2}}
  %y = kiln.reduce_max %x dims = [2] : tensor<2x3xf32>
  return
}

// -----

func.func @reduce_min_negative_dim(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{reduction dim -1 is out of range for a tensor of rank 2}}
  %y = kiln.reduce_min %x dims = [-1] keepdim : tensor<2x3xi32>
  return
}

// -----

func.func @reduce_max_duplicate_dims(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{reduction dims [2, 0, 2] name dimension 2 twice}}
  %y = kiln.reduce_max %x dims = [2, 0, 2] keepdim : tensor<2x3x4xf32>
  return
}

// -----

func.func @reduce_sum_bool(%x: tensor<2x3xi1>) {
  // expected-error @+1 {{'kiln.reduce_sum' op operand #0 must be statically shaped tensor of}}
  %y = kiln.reduce_sum %x dims = [0] : tensor<2x3xi1>
  return
}

// -----

func.func @reduce_result_type(%x: tensor<2x3xf32>) {
  // Without keepdim the reduced dimension goes away.
  // expected-error @+2 {{'kiln.reduce_sum' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{'kiln.reduce_sum' op failed to infer returned types}}
  %y = "kiln.reduce_sum"(%x) <{dims = array<i64: 1>}> : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @argmax_dim(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reduction dim 2 is out of range for a tensor of rank 2}}
  %y = kiln.argmax %x dim = 2 : tensor<2x3xf32>
  return
}

// -----

func.func @argmin_negative_dim(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reduction dim -1 is out of range for a tensor of rank 2}}
  %y = kiln.argmin %x dim = -1 keepdim : tensor<2x3xf32>
  return
}

// -----

func.func @argmax_bool(%x: tensor<2x3xi1>) {
  // expected-error @+1 {{'kiln.argmax' op operand #0 must be statically shaped tensor of}}
  %y = kiln.argmax %x dim = 0 : tensor<2x3xi1>
  return
}

// -----

func.func @argmax_result_type(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.argmax' op inferred type(s) 'tensor<2xi64>' are incompatible with return type(s) of operation 'tensor<2x1xi64>'}}
  // expected-error @+1 {{'kiln.argmax' op failed to infer returned types}}
  %y = "kiln.argmax"(%x) <{dim = 1 : i64}> : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

func.func @argmax_result_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.argmax' op result #0 must be statically shaped tensor of 64-bit signless integer values, but got 'tensor<2xi32>'}}
  %y = "kiln.argmax"(%x) <{dim = 1 : i64}> : (tensor<2x3xf32>) -> tensor<2xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Contractions and NN primitives
//===----------------------------------------------------------------------===//

func.func @matmul_inner_dims(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{matmul inner dimensions differ: [2, 3] @ [4, 5] (3 vs 4)}}
  %y = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32>
  return
}

// -----

func.func @matmul_batch_dims(%a: tensor<2x4x3xf32>, %b: tensor<3x3x5xf32>) {
  // expected-error @+1 {{matmul batch dimensions of [2, 4, 3] and [3, 3, 5] do not broadcast}}
  %y = kiln.matmul %a, %b : tensor<2x4x3xf32>, tensor<3x3x5xf32>
  return
}

// -----

func.func @matmul_rank_1(%a: tensor<3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{matmul operands must have rank >= 2, got [3] and [3, 5]}}
  %y = kiln.matmul %a, %b : tensor<3xf32>, tensor<3x5xf32>
  return
}

// -----

func.func @matmul_rank_1_rhs(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{matmul operands must have rank >= 2, got [2, 3] and [3]}}
  %y = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<3xf32>
  return
}

// -----

func.func @matmul_element_types(%a: tensor<2x3xf32>, %b: tensor<3x5xf16>) {
  // expected-error @+1 {{matmul operands tensor<2x3xf32> and tensor<3x5xf16> have different element types}}
  %y = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<3x5xf16>
  return
}

// -----

func.func @matmul_result_type(%a: tensor<8x4x16x32xf32>, %b: tensor<4x32x16xf32>) {
  // expected-error @+2 {{'kiln.matmul' op inferred type(s) 'tensor<8x4x16x16xf32>' are incompatible with return type(s) of operation 'tensor<4x16x16xf32>'}}
  // expected-error @+1 {{'kiln.matmul' op failed to infer returned types}}
  %y = "kiln.matmul"(%a, %b) : (tensor<8x4x16x32xf32>, tensor<4x32x16xf32>) -> tensor<4x16x16xf32>
  return
}

// -----

func.func @conv2d_channels(%x: tensor<8x3x32x32xf32>, %w: tensor<16x4x3x3xf32>) {
  // expected-error @+1 {{filter [16, 4, 3, 3] expects 4 input channels, input [8, 3, 32, 32] has 3}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<16x4x3x3xf32>
  return
}

// -----

func.func @conv2d_groups(%x: tensor<8x4x32x32xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+1 {{groups = 3 must divide the input channels (4) and the output channels (6)}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 3
      : tensor<8x4x32x32xf32>, tensor<6x2x3x3xf32>
  return
}

// -----

func.func @conv2d_groups_output_channels(%x: tensor<8x4x32x32xf32>, %w: tensor<5x2x3x3xf32>) {
  // expected-error @+1 {{groups = 2 must divide the input channels (4) and the output channels (5)}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 2
      : tensor<8x4x32x32xf32>, tensor<5x2x3x3xf32>
  return
}

// -----

func.func @conv2d_groups_zero(%x: tensor<8x4x32x32xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+1 {{groups = 0 must divide the input channels (4) and the output channels (6)}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 0
      : tensor<8x4x32x32xf32>, tensor<6x2x3x3xf32>
  return
}

// -----

func.func @conv2d_filter_too_big(%x: tensor<8x3x4x4xf32>, %w: tensor<16x3x7x7xf32>) {
  // expected-error @+1 {{filter [16, 3, 7, 7] does not fit in input [8, 3, 4, 4] padded by [1, 1]}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x4x4xf32>, tensor<16x3x7x7xf32>
  return
}

// -----

func.func @conv2d_dilated_filter_too_big(%x: tensor<8x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // A 3x3 filter dilated by 4 spans 9 rows.
  // expected-error @+1 {{filter [16, 3, 3, 3] does not fit in input [8, 3, 8, 8] padded by [0, 0]}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [0, 0]
      dilation = [4, 1] groups = 1
      : tensor<8x3x8x8xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_rank(%x: tensor<3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{conv2d expects a 4-d input [N, C, H, W] and a 4-d filter [O, C/groups, KH, KW], got input [3, 32, 32] and filter [16, 3, 3, 3]}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_stride(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'stride' entries must be >= 1, got [0, 1]}}
  %y = kiln.conv2d %x, %w stride = [0, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_padding_entries(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'padding' must have 2 entries, got 1}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_negative_padding(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'padding' entries must be >= 0, got [1, -1]}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, -1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_dilation(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'dilation' entries must be >= 1, got [1, 0]}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 0] groups = 1
      : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_element_types(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf16>) {
  // expected-error @+1 {{conv2d input tensor<8x3x32x32xf32> and filter tensor<16x3x3x3xf16> have different element types}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf16>
  return
}

// -----

func.func @conv2d_integer(%x: tensor<8x3x32x32xi32>, %w: tensor<16x3x3x3xi32>) {
  // expected-error @+1 {{'kiln.conv2d' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<8x3x32x32xi32>'}}
  %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xi32>, tensor<16x3x3x3xi32>
  return
}

// -----

func.func @conv2d_grad_input_shape(%dy: tensor<8x16x16x16xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'kiln.conv2d_grad_input' op grad_output [8, 16, 16, 16] is not the shape [8, 16, 32, 32] that conv2d of input [8, 3, 32, 32] by filter [16, 3, 3, 3] produces}}
  %dx = kiln.conv2d_grad_input %dy, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x16x16x16xf32>, tensor<16x3x3x3xf32> -> tensor<8x3x32x32xf32>
  return
}

// -----

func.func @conv2d_grad_input_channels(%dy: tensor<8x16x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{filter [16, 3, 3, 3] expects 3 input channels, input [8, 4, 32, 32] has 4}}
  %dx = kiln.conv2d_grad_input %dy, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x16x32x32xf32>, tensor<16x3x3x3xf32> -> tensor<8x4x32x32xf32>
  return
}

// -----

func.func @conv2d_grad_input_element_type(%dy: tensor<8x16x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'kiln.conv2d_grad_input' op operands and result must share an element type}}
  %dx = kiln.conv2d_grad_input %dy, %w stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x16x32x32xf32>, tensor<16x3x3x3xf32> -> tensor<8x3x32x32xf16>
  return
}

// -----

func.func @conv2d_grad_filter_kernel(%x: tensor<8x3x32x32xf32>, %dy: tensor<8x16x32x32xf32>) {
  // expected-error @+1 {{'kiln.conv2d_grad_filter' op grad_output [8, 16, 32, 32] is not the shape [8, 16, 30, 30] that conv2d of input [8, 3, 32, 32] by filter [16, 3, 5, 5] produces}}
  %dw = kiln.conv2d_grad_filter %x, %dy stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32> -> tensor<16x3x5x5xf32>
  return
}

// -----

func.func @conv2d_grad_filter_output_channels(%x: tensor<8x3x32x32xf32>, %dy: tensor<8x16x32x32xf32>) {
  // expected-error @+1 {{'kiln.conv2d_grad_filter' op grad_output [8, 16, 32, 32] is not the shape [8, 8, 32, 32] that conv2d of input [8, 3, 32, 32] by filter [8, 3, 3, 3] produces}}
  %dw = kiln.conv2d_grad_filter %x, %dy stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 1
      : tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32> -> tensor<8x3x3x3xf32>
  return
}

// -----

func.func @conv2d_grad_filter_groups(%x: tensor<8x3x32x32xf32>, %dy: tensor<8x16x32x32xf32>) {
  // expected-error @+1 {{groups = 2 must divide the input channels (3) and the output channels (16)}}
  %dw = kiln.conv2d_grad_filter %x, %dy stride = [1, 1] padding = [1, 1]
      dilation = [1, 1] groups = 2
      : tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32> -> tensor<16x3x3x3xf32>
  return
}

// -----

func.func @max_pool2d_padding(%x: tensor<8x16x32x32xf32>) {
  // expected-error @+1 {{padding [0, 2] must be at most half of kernel [2, 2]}}
  %p = kiln.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 2]
      : tensor<8x16x32x32xf32>
  return
}

// -----

func.func @max_pool2d_rank(%x: tensor<16x32x32xf32>) {
  // expected-error @+1 {{pooling expects a 4-d input [N, C, H, W], got [16, 32, 32]}}
  %p = kiln.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0]
      : tensor<16x32x32xf32>
  return
}

// -----

func.func @max_pool2d_kernel_too_big(%x: tensor<8x16x4x4xf32>) {
  // expected-error @+1 {{kernel [5, 5] does not fit in input [8, 16, 4, 4]}}
  %p = kiln.max_pool2d %x kernel = [5, 5] stride = [1, 1] padding = [0, 0]
      : tensor<8x16x4x4xf32>
  return
}

// -----

func.func @max_pool2d_kernel_zero(%x: tensor<8x16x4x4xf32>) {
  // expected-error @+1 {{'kernel' entries must be >= 1, got [0, 1]}}
  %p = kiln.max_pool2d %x kernel = [0, 1] stride = [1, 1] padding = [0, 0]
      : tensor<8x16x4x4xf32>
  return
}

// -----

func.func @max_pool2d_stride_entries(%x: tensor<8x16x4x4xf32>) {
  // expected-error @+1 {{'stride' must have 2 entries, got 3}}
  %p = kiln.max_pool2d %x kernel = [2, 2] stride = [1, 1, 1] padding = [0, 0]
      : tensor<8x16x4x4xf32>
  return
}

// -----

func.func @max_pool2d_grad_shape(%x: tensor<8x16x32x32xf32>, %dy: tensor<8x16x32x32xf32>) {
  // expected-error @+1 {{grad_output tensor<8x16x32x32xf32> does not match the pooled shape [8, 16, 16, 16] of input tensor<8x16x32x32xf32>}}
  %dx = kiln.max_pool2d_grad %x, %dy kernel = [2, 2] stride = [2, 2]
      padding = [0, 0] : tensor<8x16x32x32xf32>, tensor<8x16x32x32xf32>
  return
}

// -----

func.func @max_pool2d_grad_element_type(%x: tensor<8x16x32x32xf32>, %dy: tensor<8x16x16x16xf16>) {
  // expected-error @+1 {{grad_output tensor<8x16x16x16xf16> does not match the pooled shape [8, 16, 16, 16] of input tensor<8x16x32x32xf32>}}
  %dx = kiln.max_pool2d_grad %x, %dy kernel = [2, 2] stride = [2, 2]
      padding = [0, 0] : tensor<8x16x32x32xf32>, tensor<8x16x16x16xf16>
  return
}

// -----

func.func @max_pool2d_grad_padding(%x: tensor<8x16x32x32xf32>, %dy: tensor<8x16x16x16xf32>) {
  // expected-error @+1 {{padding [2, 0] must be at most half of kernel [2, 2]}}
  %dx = kiln.max_pool2d_grad %x, %dy kernel = [2, 2] stride = [2, 2]
      padding = [2, 0] : tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>
  return
}

// -----

func.func @avg_pool2d_padding(%x: tensor<8x16x32x32xf32>) {
  // expected-error @+1 {{padding [2, 2] must be at most half of kernel [3, 3]}}
  %p = kiln.avg_pool2d %x kernel = [3, 3] stride = [1, 1] padding = [2, 2]
      count_include_pad = true : tensor<8x16x32x32xf32>
  return
}

// -----

func.func @avg_pool2d_integer(%x: tensor<8x16x32x32xi32>) {
  // expected-error @+1 {{'kiln.avg_pool2d' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<8x16x32x32xi32>'}}
  %p = kiln.avg_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0]
      count_include_pad = true : tensor<8x16x32x32xi32>
  return
}

// -----

func.func @avg_pool2d_grad_shape(%dy: tensor<8x16x16x16xf32>) {
  // expected-error @+1 {{'kiln.avg_pool2d_grad' op grad_output 'tensor<8x16x16x16xf32>' does not match the pooled shape [8, 16, 17, 17] of the result 'tensor<8x16x34x34xf32>'}}
  %dx = kiln.avg_pool2d_grad %dy kernel = [2, 2] stride = [2, 2]
      padding = [0, 0] count_include_pad = true
      : tensor<8x16x16x16xf32> -> tensor<8x16x34x34xf32>
  return
}

// -----

func.func @avg_pool2d_grad_padding(%dy: tensor<8x16x16x16xf32>) {
  // expected-error @+1 {{padding [3, 0] must be at most half of kernel [2, 2]}}
  %dx = kiln.avg_pool2d_grad %dy kernel = [2, 2] stride = [2, 2]
      padding = [3, 0] count_include_pad = true
      : tensor<8x16x16x16xf32> -> tensor<8x16x32x32xf32>
  return
}

// -----

func.func @avg_pool2d_grad_element_type(%dy: tensor<8x16x16x16xf32>) {
  // expected-error @+1 {{'kiln.avg_pool2d_grad' op grad_output 'tensor<8x16x16x16xf32>' does not match the pooled shape [8, 16, 16, 16] of the result 'tensor<8x16x32x32xf16>'}}
  %dx = kiln.avg_pool2d_grad %dy kernel = [2, 2] stride = [2, 2]
      padding = [0, 0] count_include_pad = true
      : tensor<8x16x16x16xf32> -> tensor<8x16x32x32xf16>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Composites
//===----------------------------------------------------------------------===//

func.func @softmax_dim(%x: tensor<64x10xf32>) {
  // expected-error @+1 {{dim 2 is out of range for a tensor of rank 2}}
  %p = kiln.softmax %x dim = 2 : tensor<64x10xf32>
  return
}

// -----

func.func @log_softmax_dim(%x: tensor<64x10xf32>) {
  // expected-error @+1 {{dim -1 is out of range for a tensor of rank 2}}
  %p = kiln.log_softmax %x dim = -1 : tensor<64x10xf32>
  return
}

// -----

func.func @softmax_integer(%x: tensor<64x10xi32>) {
  // expected-error @+1 {{'kiln.softmax' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<64x10xi32>'}}
  %p = kiln.softmax %x dim = 1 : tensor<64x10xi32>
  return
}

// -----

func.func @layer_norm_weight_shape(%x: tensor<8x16x64xf32>, %g: tensor<16x64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{weight must be a [64] tensor of 'f32' for input tensor<8x16x64xf32>, got tensor<16x64xf32>}}
  %y = kiln.layer_norm %x, %g, %b axis = 2 eps = 1.0e-05
      : tensor<8x16x64xf32>, tensor<16x64xf32>, tensor<64xf32>
  return
}

// -----

func.func @layer_norm_weight_for_axis(%x: tensor<8x16x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{weight must be a [16, 64] tensor of 'f32' for input tensor<8x16x64xf32>, got tensor<64xf32>}}
  %y = kiln.layer_norm %x, %g, %b axis = 1 eps = 1.0e-05
      : tensor<8x16x64xf32>, tensor<64xf32>, tensor<64xf32>
  return
}

// -----

func.func @layer_norm_bias_type(%x: tensor<8x16x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf16>) {
  // expected-error @+1 {{bias must be a [64] tensor of 'f32' for input tensor<8x16x64xf32>, got tensor<64xf16>}}
  %y = kiln.layer_norm %x, %g, %b axis = 2 eps = 1.0e-05
      : tensor<8x16x64xf32>, tensor<64xf32>, tensor<64xf16>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<8x16x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{layer_norm axis 3 is out of range for a tensor of rank 3}}
  %y = kiln.layer_norm %x, %g, %b axis = 3 eps = 1.0e-05
      : tensor<8x16x64xf32>, tensor<64xf32>, tensor<64xf32>
  return
}

// -----

func.func @batch_norm_training_channels(%x: tensor<8x16x32x32xf32>, %g: tensor<32xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{weight must be a [16] tensor of 'f32' for input tensor<8x16x32x32xf32>, got tensor<32xf32>}}
  %y, %m, %v = kiln.batch_norm_training %x, %g, %b eps = 1.0e-05
      : tensor<8x16x32x32xf32>, tensor<32xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_training_bias(%x: tensor<8x16x32x32xf32>, %g: tensor<16xf32>, %b: tensor<16xf64>) {
  // expected-error @+1 {{bias must be a [16] tensor of 'f32' for input tensor<8x16x32x32xf32>, got tensor<16xf64>}}
  %y, %m, %v = kiln.batch_norm_training %x, %g, %b eps = 1.0e-05
      : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf64>
  return
}

// -----

func.func @batch_norm_training_rank(%x: tensor<16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{batch norm expects a static [N, C, ...] tensor of rank >= 2}}
  %y, %m, %v = kiln.batch_norm_training %x, %g, %b eps = 1.0e-05
      : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_inference_variance(%x: tensor<8x16x32x32xf32>, %p: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{variance must be a [16] tensor of 'f32' for input tensor<8x16x32x32xf32>, got tensor<8xf32>}}
  %y = kiln.batch_norm_inference %x, %p, %p, %p, %v eps = 1.0e-05
      : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>,
        tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @batch_norm_inference_mean(%x: tensor<8x16x32x32xf32>, %p: tensor<16xf32>, %m: tensor<1x16xf32>) {
  // expected-error @+1 {{mean must be a [16] tensor of 'f32' for input tensor<8x16x32x32xf32>, got tensor<1x16xf32>}}
  %y = kiln.batch_norm_inference %x, %p, %p, %m, %p eps = 1.0e-05
      : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>,
        tensor<1x16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_inference_channels_last(%x: tensor<8x32x32x16xf32>, %p: tensor<16xf32>) {
  // Channels are dimension 1, not the last one.
  // expected-error @+1 {{weight must be a [32] tensor of 'f32' for input tensor<8x32x32x16xf32>, got tensor<16xf32>}}
  %y = kiln.batch_norm_inference %x, %p, %p, %p, %p eps = 1.0e-05
      : tensor<8x32x32x16xf32>, tensor<16xf32>, tensor<16xf32>,
        tensor<16xf32>, tensor<16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Structure: grad
//===----------------------------------------------------------------------===//

func.func @grad_unknown_callee(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op 'nowhere' does not name a func.func}}
  %l, %dw = kiln.grad @nowhere(%w) wrt [0]
      : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return
}

// -----

memref.global "private" @not_a_function : memref<2xf32>

func.func @grad_callee_not_a_function(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op 'not_a_function' does not name a func.func}}
  %l, %dw = kiln.grad @not_a_function(%w) wrt [0]
      : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<4xf32>

func.func @grad_non_scalar_without_seed(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op without a seed, @f must return a 0-d float tensor, not 'tensor<4xf32>' (pass a seed to differentiate a non-scalar)}}
  %l, %dw = kiln.grad @f(%w) wrt [0]
      : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<i32>

func.func @grad_integer_result_without_seed(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op without a seed, @f must return a 0-d float tensor, not 'tensor<i32>'}}
  %l, %dw = kiln.grad @f(%w) wrt [0]
      : (tensor<4xf32>) -> (tensor<i32>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<f32>

func.func @grad_wrt_out_of_range(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op wrt index 1 is out of range for 1 inputs}}
  %l, %dw = kiln.grad @f(%w) wrt [1]
      : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<f32>

func.func @grad_wrt_negative(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op wrt index -1 is out of range for 1 inputs}}
  %l, %dw = kiln.grad @f(%w) wrt [-1]
      : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<f32>

func.func @grad_wrt_twice(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op wrt lists input 0 twice}}
  %l, %a, %b = kiln.grad @f(%w) wrt [0, 0]
      : (tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>, %n: tensor<4xi32>) -> tensor<f32>

func.func @grad_wrt_integer_input(%w: tensor<4xf32>, %n: tensor<4xi32>) {
  // expected-error @+1 {{'kiln.grad' op input 1 of type 'tensor<4xi32>' is not differentiable (needs a float element type)}}
  %l, %dn = kiln.grad @f(%w, %n) wrt [1]
      : (tensor<4xf32>, tensor<4xi32>) -> (tensor<f32>, tensor<4xi32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<f32>

func.func @grad_results_gradient_type(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op results must be @f's results followed by one gradient per wrt input}}
  %l, %dw = kiln.grad @f(%w) wrt [0]
      : (tensor<4xf32>) -> (tensor<f32>, tensor<3xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<f32>

func.func @grad_results_missing_gradient(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op results must be @f's results followed by one gradient per wrt input}}
  %l = kiln.grad @f(%w) wrt [0] : (tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<f32>

func.func @grad_results_callee_result(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op results must be @f's results followed by one gradient per wrt input}}
  %l, %dw = kiln.grad @f(%w) wrt [0]
      : (tensor<4xf32>) -> (tensor<f64>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<f32>

func.func @grad_inputs_mismatch(%w: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.grad' op inputs do not match the parameters of @f '(tensor<4xf32>) -> tensor<f32>'}}
  %l, %dw = kiln.grad @f(%w) wrt [0]
      : (tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> (tensor<f32>, tensor<f32>)

func.func @grad_callee_two_results(%w: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.grad' op @f must return exactly one tensor to differentiate, it returns 2}}
  %l, %m, %dw = kiln.grad @f(%w) wrt [0]
      : (tensor<4xf32>) -> (tensor<f32>, tensor<f32>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<2xf32>

func.func @grad_seed_type(%w: tensor<4xf32>, %s: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.grad' op seed type 'tensor<3xf32>' must equal the result type 'tensor<2xf32>'}}
  %y, %dw = kiln.grad @f(%w) seed(%s : tensor<3xf32>) wrt [0]
      : (tensor<4xf32>) -> (tensor<2xf32>, tensor<4xf32>)
  return
}

// -----

func.func private @f(%w: tensor<4xf32>) -> tensor<2xi32>

func.func @grad_integer_seed(%w: tensor<4xf32>, %s: tensor<2xi32>) {
  // expected-error @+1 {{'kiln.grad' op operand #1 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %y, %dw = kiln.grad @f(%w) seed(%s : tensor<2xi32>) wrt [0]
      : (tensor<4xf32>) -> (tensor<2xi32>, tensor<4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// Structure: fusion and yield
//===----------------------------------------------------------------------===//

func.func @fusion_block_argument_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.fusion' op block arguments must match the inputs one to one}}
  %r = kiln.fusion ins(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf16>):
    %c = kiln.convert %a : tensor<4xf16> to tensor<4xf32>
    kiln.yield %c : tensor<4xf32>
  }
  return
}

// -----

func.func @fusion_block_argument_count(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.fusion' op block arguments must match the inputs one to one}}
  %r = kiln.fusion ins(%x, %x : tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    kiln.yield %a : tensor<4xf32>
  }
  return
}

// -----

func.func @fusion_yield_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.fusion' op kiln.yield operand types must equal the result types}}
  %r = kiln.fusion ins(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %c = kiln.convert %a : tensor<4xf32> to tensor<4xf16>
    kiln.yield %c : tensor<4xf16>
  }
  return
}

// -----

func.func @fusion_yield_count(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.fusion' op kiln.yield operand types must equal the result types}}
  %r = kiln.fusion ins(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    kiln.yield %a, %a : tensor<4xf32>, tensor<4xf32>
  }
  return
}

// -----

func.func @fusion_isolated_from_above(%x: tensor<4xf32>) {
  // expected-note @+1 {{required by region isolation constraints}}
  %r = kiln.fusion -> tensor<4xf32> {
    // expected-error @+1 {{'kiln.yield' op using value defined outside the region}}
    kiln.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @fusion_without_terminator(%x: tensor<4xf32>) {
  %r = kiln.fusion ins(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    // expected-error @+1 {{block with no terminator}}
    %n = kiln.neg %a : tensor<4xf32>
  }
  return
}

// -----

func.func @fusion_other_terminator(%x: tensor<4xf32>) {
  %r = "kiln.fusion"(%x) ({
  ^bb0(%a: tensor<4xf32>):
    // expected-error @+1 {{'func.return' op expects parent op 'func.func'}}
    func.return %a : tensor<4xf32>
  }) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @fusion_two_blocks(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.fusion' op expects region #0 to have 0 or 1 blocks}}
  %r = kiln.fusion ins(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    cf.br ^bb1
  ^bb1:
    kiln.yield %a : tensor<4xf32>
  }
  return
}

// -----

func.func @fusion_no_block(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.fusion' op region #0 ('body') failed to verify constraint: region with 1 blocks}}
  %r = "kiln.fusion"(%x) ({
  }) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @yield_outside_fusion(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.yield' op expects parent op 'kiln.fusion'}}
  kiln.yield %x : tensor<4xf32>
}

// -----

func.func @reduce_max_of_nothing(%x: tensor<0x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{cannot reduce dimension 0 of [0, 3]: it is empty and the reduction has no identity}}
  %0 = kiln.reduce_max %x dims = [0] : tensor<0x3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @argmin_of_nothing(%x: tensor<2x0xf32>) -> tensor<2xi64> {
  // expected-error @+1 {{cannot reduce dimension 1 of [2, 0]}}
  %0 = kiln.argmin %x dim = 1 : tensor<2x0xf32>
  return %0 : tensor<2xi64>
}

// -----

func.func private @not_a_tensor(%w: tensor<4x3xf32>) -> memref<f32>

func.func @grad_of_non_tensor(%w: tensor<4x3xf32>) {
  // expected-error @+1 {{@not_a_tensor must return a tensor, not 'memref<f32>'}}
  %l, %g = kiln.grad @not_a_tensor(%w) wrt [0] : (tensor<4x3xf32>) -> (tensor<f32>, tensor<4x3xf32>)
  return
}

// -----

// The attributes the pipeline leaves are declared by the dialect: an
// unknown one, or one of the wrong kind, does not verify.
// expected-error @+1 {{'func.func' op unknown kiln attribute 'kiln.arena_byte'}}
func.func @misspelled_plan() attributes {kiln.arena_byte = 64 : i64} {
  return
}

// -----

// expected-error @+1 {{'func.func' op attribute 'kiln.arena_bytes' must be an integer, not "64"}}
func.func @plan_of_the_wrong_kind() attributes {kiln.arena_bytes = "64"} {
  return
}

// -----

// expected-error @+1 {{'func.func' op attribute 'kiln.donations' must hold (input, result) pairs}}
func.func @odd_donations() attributes {kiln.donations = array<i64: 0, 1, 2>} {
  return
}

// -----

// expected-error @+1 {{'func.func' op attribute 'kiln.donatable' holds a negative number -1}}
func.func @negative_donatable(%x: tensor<4xf32>) attributes {kiln.donatable = array<i64: -1>} {
  return
}

// -----

// expected-error @+1 {{'func.func' op argument 0 has an unknown kiln attribute 'kiln.inputs'}}
func.func @misspelled_input(%x: tensor<4xf32> {kiln.inputs = "x"}) {
  return
}

// -----

// expected-error @+1 {{'func.func' op attribute 'kiln.output' must be a string, not 3 : i64}}
func.func @output_name_not_a_string(%x: tensor<4xf32>) -> (tensor<4xf32> {kiln.output = 3}) {
  return %x : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Structure: custom_vjp
//===----------------------------------------------------------------------===//

func.func @custom_vjp_unknown_backward(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.custom_vjp' op 'nowhere' does not name a func.func}}
  %r = kiln.custom_vjp @nowhere(%x : tensor<4xf32>) outputs(%x : tensor<4xf32>)
      gradients [0] -> tensor<4xf32>
  return
}

// -----

func.func private @b(%g: tensor<4xf32>) -> tensor<4xf32>

func.func @custom_vjp_result_types(%x: tensor<4xf32>, %y: tensor<4xf64>) {
  // expected-error @+1 {{'kiln.custom_vjp' op result types must equal the output types}}
  %r = kiln.custom_vjp @b(%x : tensor<4xf32>) outputs(%y : tensor<4xf64>)
      gradients [0] -> tensor<4xf32>
  return
}

// -----

func.func private @b(%g: tensor<4xf32>) -> tensor<4xf32>

func.func @custom_vjp_gradients_out_of_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.custom_vjp' op gradients must list primal indices in increasing order, below 1}}
  %r = kiln.custom_vjp @b(%x : tensor<4xf32>) outputs(%x : tensor<4xf32>)
      gradients [1] -> tensor<4xf32>
  return
}

// -----

func.func private @b(%g: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)

func.func @custom_vjp_gradients_repeated(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.custom_vjp' op gradients must list primal indices in increasing order, below 1}}
  %r = kiln.custom_vjp @b(%x : tensor<4xf32>) outputs(%x : tensor<4xf32>)
      gradients [0, 0] -> tensor<4xf32>
  return
}

// -----

func.func private @b(%g: tensor<4xf32>) -> tensor<4xi32>

func.func @custom_vjp_integer_primal(%x: tensor<4xi32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.custom_vjp' op primal 0 of type 'tensor<4xi32>' is not differentiable (needs a float element type)}}
  %r = kiln.custom_vjp @b(%x : tensor<4xi32>) outputs(%y : tensor<4xf32>)
      gradients [0] -> tensor<4xf32>
  return
}

// -----

func.func private @b(%g: tensor<4xf32>) -> tensor<4xf32>

func.func @custom_vjp_backward_type(%x: tensor<4xf32>, %s: tensor<2xf32>) {
  // expected-error @+1 {{'kiln.custom_vjp' op @b has type '(tensor<4xf32>) -> tensor<4xf32>', expected the results' cotangents and the saved values to the listed primals' gradients: '(tensor<4xf32>, tensor<2xf32>) -> tensor<4xf32>'}}
  %r = kiln.custom_vjp @b(%x : tensor<4xf32>) outputs(%x : tensor<4xf32>)
      saved(%s : tensor<2xf32>) gradients [0] -> tensor<4xf32>
  return
}
