// RUN: kiln-opt %s -split-input-file -canonicalize | FileCheck %s

// Folders of the kiln dialect, one function per rule. Where a rule must not
// fire, the function checks that the op is still there.

// CHECK-LABEL: func.func @add_zero(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xi32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<2x3xi32>
func.func @add_zero(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %zero = kiln.constant dense<0> : tensor<2x3xi32>
  %0 = kiln.add %x, %zero : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// add is commutative: the constant moves to the right and then folds.
// CHECK-LABEL: func.func @zero_add(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xi64>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<2x3xi64>
func.func @zero_add(%x: tensor<2x3xi64>) -> tensor<2x3xi64> {
  %zero = kiln.constant dense<0> : tensor<2x3xi64>
  %0 = kiln.add %zero, %x : tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// x + (-0.0) is x for every float x, -0.0 included.
// CHECK-LABEL: func.func @add_negative_zero(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]], %[[X]] : tensor<4xf32>, tensor<4xf32>
func.func @add_negative_zero(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = kiln.constant dense<-0.0> : tensor<4xf32>
  %0 = kiln.add %x, %zero : tensor<4xf32>
  %1 = kiln.add %zero, %x : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @sub_zero(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[I:[^:]+]]: tensor<5xi32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]], %[[I]] : tensor<2x3xf32>, tensor<5xi32>
func.func @sub_zero(%x: tensor<2x3xf32>, %i: tensor<5xi32>) -> (tensor<2x3xf32>, tensor<5xi32>) {
  %zero = kiln.constant dense<0.0> : tensor<2x3xf32>
  %0 = kiln.sub %x, %zero : tensor<2x3xf32>
  %izero = kiln.constant dense<0> : tensor<5xi32>
  %1 = kiln.sub %i, %izero : tensor<5xi32>
  return %0, %1 : tensor<2x3xf32>, tensor<5xi32>
}

// -----

// 0 - x is a negation, not x: sub is not commutative.
// CHECK-LABEL: func.func @zero_sub(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK: %[[ZERO:.+]] = kiln.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK: %[[R:.+]] = kiln.sub %[[ZERO]], %[[X]] : tensor<2x3xf32>
// CHECK: return %[[R]] : tensor<2x3xf32>
func.func @zero_sub(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = kiln.constant dense<0.0> : tensor<2x3xf32>
  %0 = kiln.sub %zero, %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @mul_one(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[I:[^:]+]]: tensor<4xi32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]], %[[X]], %[[I]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>
func.func @mul_one(%x: tensor<2x3xf32>, %i: tensor<4xi32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>) {
  %one = kiln.constant dense<1.0> : tensor<2x3xf32>
  %0 = kiln.mul %x, %one : tensor<2x3xf32>
  %1 = kiln.mul %one, %x : tensor<2x3xf32>
  %ione = kiln.constant dense<1> : tensor<4xi32>
  %2 = kiln.mul %ione, %i : tensor<4xi32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>
}

// -----

// x * 0 is not 0 for NaN or infinite x (and -0 for negative x): it stays.
// CHECK-LABEL: func.func @mul_zero_kept(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK: %[[ZERO:.+]] = kiln.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK: %[[R:.+]] = kiln.mul %[[X]], %[[ZERO]] : tensor<2x3xf32>
// CHECK: return %[[R]] : tensor<2x3xf32>
func.func @mul_zero_kept(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = kiln.constant dense<0.0> : tensor<2x3xf32>
  %0 = kiln.mul %x, %zero : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Only a splat one folds; a constant with a one among other values does not.
// CHECK-LABEL: func.func @mul_non_splat_kept(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2xf32>
// CHECK: %[[C:.+]] = kiln.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.+]] = kiln.mul %[[X]], %[[C]] : tensor<2xf32>
// CHECK: return %[[R]] : tensor<2xf32>
func.func @mul_non_splat_kept(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.mul %x, %c : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @div_one(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[I:[^:]+]]: tensor<3xi64>
// CHECK-NOT: kiln.
// CHECK: return %[[X]], %[[I]] : tensor<2x3xf32>, tensor<3xi64>
func.func @div_one(%x: tensor<2x3xf32>, %i: tensor<3xi64>) -> (tensor<2x3xf32>, tensor<3xi64>) {
  %one = kiln.constant dense<1.0> : tensor<2x3xf32>
  %0 = kiln.div %x, %one : tensor<2x3xf32>
  %ione = kiln.constant dense<1> : tensor<3xi64>
  %1 = kiln.div %i, %ione : tensor<3xi64>
  return %0, %1 : tensor<2x3xf32>, tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @div_kept(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK-DAG: %[[TWO:.+]] = kiln.constant dense<2.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[ONE:.+]] = kiln.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK: %[[R:.+]] = kiln.div %[[X]], %[[TWO]] : tensor<2x3xf32>
// CHECK: %[[S:.+]] = kiln.div %[[ONE]], %[[X]] : tensor<2x3xf32>
// CHECK: return %[[R]], %[[S]] : tensor<2x3xf32>, tensor<2x3xf32>
func.func @div_kept(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %two = kiln.constant dense<2.0> : tensor<2x3xf32>
  %0 = kiln.div %x, %two : tensor<2x3xf32>
  %one = kiln.constant dense<1.0> : tensor<2x3xf32>
  %1 = kiln.div %one, %x : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_float_constants()
// CHECK-DAG: %[[SUM:.+]] = kiln.constant dense<[1.750000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[DIFF:.+]] = kiln.constant dense<[1.250000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[PROD:.+]] = kiln.constant dense<[3.750000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[SPLAT:.+]] = kiln.constant dense<6.000000e+00> : tensor<3xf16>
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.sub
// CHECK-NOT: kiln.mul
// CHECK: return %[[SUM]], %[[DIFF]], %[[PROD]], %[[SPLAT]] : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf16>
func.func @fold_float_constants() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf16>) {
  %a = kiln.constant dense<[1.5, 2.0]> : tensor<2xf32>
  %b = kiln.constant dense<[0.25, -1.0]> : tensor<2xf32>
  %sum = kiln.add %a, %b : tensor<2xf32>
  %diff = kiln.sub %a, %b : tensor<2xf32>
  %prod = kiln.mul %a, %b : tensor<2xf32>
  %c = kiln.constant dense<2.0> : tensor<3xf16>
  %d = kiln.constant dense<3.0> : tensor<3xf16>
  %splat = kiln.mul %c, %d : tensor<3xf16>
  return %sum, %diff, %prod, %splat : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf16>
}

// -----

// CHECK-LABEL: func.func @fold_int_constants()
// CHECK-DAG: %[[SUM:.+]] = kiln.constant dense<[10, 12]> : tensor<2xi64>
// CHECK-DAG: %[[DIFF:.+]] = kiln.constant dense<[4, 6]> : tensor<2xi64>
// CHECK-DAG: %[[PROD:.+]] = kiln.constant dense<[21, 27]> : tensor<2xi64>
// CHECK-DAG: %[[WRAP:.+]] = kiln.constant dense<[-2147483648, 7]> : tensor<2xi32>
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.sub
// CHECK-NOT: kiln.mul
// CHECK: return %[[SUM]], %[[DIFF]], %[[PROD]], %[[WRAP]] : tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi32>
func.func @fold_int_constants() -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi32>) {
  %a = kiln.constant dense<[7, 9]> : tensor<2xi64>
  %b = kiln.constant dense<3> : tensor<2xi64>
  %sum = kiln.add %a, %b : tensor<2xi64>
  %diff = kiln.sub %a, %b : tensor<2xi64>
  %prod = kiln.mul %a, %b : tensor<2xi64>
  // Integers wrap around.
  %max = kiln.constant dense<[2147483647, 5]> : tensor<2xi32>
  %small = kiln.constant dense<[1, 2]> : tensor<2xi32>
  %wrap = kiln.add %max, %small : tensor<2xi32>
  return %sum, %diff, %prod, %wrap : tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi32>
}

// -----

// Division of constants is not folded.
// CHECK-LABEL: func.func @div_constants_kept()
// CHECK-DAG: %[[A:.+]] = kiln.constant dense<[1.500000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[B:.+]] = kiln.constant dense<2.000000e+00> : tensor<2xf32>
// CHECK: %[[R:.+]] = kiln.div %[[A]], %[[B]] : tensor<2xf32>
// CHECK: return %[[R]] : tensor<2xf32>
func.func @div_constants_kept() -> tensor<2xf32> {
  %a = kiln.constant dense<[1.5, 2.0]> : tensor<2xf32>
  %b = kiln.constant dense<2.0> : tensor<2xf32>
  %0 = kiln.div %a, %b : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Constants are uniqued, and dead ones are removed.
// CHECK-LABEL: func.func @constants()
// CHECK: %[[C:.+]] = kiln.constant dense<[1.500000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NOT: kiln.constant
// CHECK: %[[M:.+]] = kiln.maximum %[[C]], %[[C]] : tensor<2xf32>
// CHECK: return %[[M]] : tensor<2xf32>
func.func @constants() -> tensor<2xf32> {
  %a = kiln.constant dense<[1.5, 2.0]> : tensor<2xf32>
  %b = kiln.constant dense<[1.5, 2.0]> : tensor<2xf32>
  %unused = kiln.constant dense<[3.5, 2.0]> : tensor<2xf32>
  %0 = kiln.maximum %a, %b : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @convert_same_type(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<2x3xf32>
func.func @convert_same_type(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.convert %x : tensor<2x3xf32> to tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @convert_kept(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK: %[[R:.+]] = kiln.convert %[[X]] : tensor<2x3xf32> to tensor<2x3xf16>
// CHECK: return %[[R]] : tensor<2x3xf16>
func.func @convert_kept(%x: tensor<2x3xf32>) -> tensor<2x3xf16> {
  %0 = kiln.convert %x : tensor<2x3xf32> to tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_same_shape(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x3xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<4x3xf32>
func.func @broadcast_to_same_shape(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = kiln.broadcast_to %x : tensor<4x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_broadcast_to(
// CHECK-SAME: %[[X:[^:]+]]: tensor<3xf32>
// CHECK: %[[B:.+]] = kiln.broadcast_to %[[X]] : tensor<3xf32> -> tensor<4x2x3xf32>
// CHECK-NOT: kiln.broadcast_to
// CHECK: return %[[B]] : tensor<4x2x3xf32>
func.func @broadcast_to_broadcast_to(%x: tensor<3xf32>) -> tensor<4x2x3xf32> {
  %0 = kiln.broadcast_to %x : tensor<3xf32> -> tensor<2x3xf32>
  %1 = kiln.broadcast_to %0 : tensor<2x3xf32> -> tensor<4x2x3xf32>
  return %1 : tensor<4x2x3xf32>
}

// -----

// The inner broadcast stays while it has another use.
// CHECK-LABEL: func.func @broadcast_to_broadcast_to_shared(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3xf32>
// CHECK-DAG: %[[INNER:.+]] = kiln.broadcast_to %[[X]] : tensor<1x3xf32> -> tensor<2x3xf32>
// CHECK-DAG: %[[OUTER:.+]] = kiln.broadcast_to %[[X]] : tensor<1x3xf32> -> tensor<5x2x3xf32>
// CHECK: return %[[INNER]], %[[OUTER]] : tensor<2x3xf32>, tensor<5x2x3xf32>
func.func @broadcast_to_broadcast_to_shared(%x: tensor<1x3xf32>) -> (tensor<2x3xf32>, tensor<5x2x3xf32>) {
  %0 = kiln.broadcast_to %x : tensor<1x3xf32> -> tensor<2x3xf32>
  %1 = kiln.broadcast_to %0 : tensor<2x3xf32> -> tensor<5x2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<5x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_splat()
// CHECK: %[[C:.+]] = kiln.constant dense<2.500000e+00> : tensor<64x10xf32>
// CHECK-NOT: kiln.broadcast_to
// CHECK: return %[[C]] : tensor<64x10xf32>
func.func @broadcast_to_splat() -> tensor<64x10xf32> {
  %c = kiln.constant dense<2.5> : tensor<f32>
  %0 = kiln.broadcast_to %c : tensor<f32> -> tensor<64x10xf32>
  return %0 : tensor<64x10xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_non_splat_kept()
// CHECK: %[[C:.+]] = kiln.constant dense<[1, 2, 3]> : tensor<3xi32>
// CHECK: %[[B:.+]] = kiln.broadcast_to %[[C]] : tensor<3xi32> -> tensor<2x3xi32>
// CHECK: return %[[B]] : tensor<2x3xi32>
func.func @broadcast_to_non_splat_kept() -> tensor<2x3xi32> {
  %c = kiln.constant dense<[1, 2, 3]> : tensor<3xi32>
  %0 = kiln.broadcast_to %c : tensor<3xi32> -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func.func @reshape_same_type(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<2x3xf32>
func.func @reshape_same_type(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_reshape(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>
// CHECK: %[[R:.+]] = kiln.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NOT: kiln.reshape
// CHECK: return %[[R]] : tensor<24xf32>
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<24xf32> {
  %0 = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = kiln.reshape %0 : tensor<6x4xf32> -> tensor<24xf32>
  return %1 : tensor<24xf32>
}

// -----

// Reshaping back to the original shape leaves the original value.
// CHECK-LABEL: func.func @reshape_round_trip(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<2x3xf32>
func.func @reshape_round_trip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %1 = kiln.reshape %0 : tensor<6xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant()
// CHECK: %[[C:.+]] = kiln.constant dense<{{\[}}[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
// CHECK-NOT: kiln.reshape
// CHECK: return %[[C]] : tensor<3x2xi32>
func.func @reshape_constant() -> tensor<3x2xi32> {
  %c = kiln.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = kiln.reshape %c : tensor<2x3xi32> -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

// CHECK-LABEL: func.func @transpose_identity(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<2x3x4xf32>
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.transpose %x, permutation = [0, 1, 2] : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// transpose(transpose(x, [1, 2, 0]), [1, 2, 0]) is transpose(x, [2, 0, 1]).
// CHECK-LABEL: func.func @transpose_transpose(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>
// CHECK: %[[T:.+]] = kiln.transpose %[[X]], permutation = [2, 0, 1] : tensor<2x3x4xf32>
// CHECK-NOT: kiln.transpose
// CHECK: return %[[T]] : tensor<4x2x3xf32>
func.func @transpose_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = kiln.transpose %x, permutation = [1, 2, 0] : tensor<2x3x4xf32>
  %1 = kiln.transpose %0, permutation = [1, 2, 0] : tensor<3x4x2xf32>
  return %1 : tensor<4x2x3xf32>
}

// -----

// Composing with the inverse permutation gives back the operand.
// CHECK-LABEL: func.func @transpose_transpose_cancel(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<2x3x4xf32>
func.func @transpose_transpose_cancel(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.transpose %x, permutation = [1, 2, 0] : tensor<2x3x4xf32>
  %1 = kiln.transpose %0, permutation = [2, 0, 1] : tensor<3x4x2xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_splat()
// CHECK: %[[C:.+]] = kiln.constant dense<7> : tensor<3x2xi64>
// CHECK-NOT: kiln.transpose
// CHECK: return %[[C]] : tensor<3x2xi64>
func.func @transpose_splat() -> tensor<3x2xi64> {
  %c = kiln.constant dense<7> : tensor<2x3xi64>
  %0 = kiln.transpose %c, permutation = [1, 0] : tensor<2x3xi64>
  return %0 : tensor<3x2xi64>
}

// -----

// CHECK-LABEL: func.func @slice_everything(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x5xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<4x5xf32>
func.func @slice_everything(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %0 = kiln.slice %x start = [0, 0] limit = [4, 5] strides = [1, 1] : tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @slice_kept(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x5xf32>
// CHECK: %[[S:.+]] = kiln.slice %[[X]] start = [1, 0] limit = [4, 5] strides = [1, 1] : tensor<4x5xf32>
// CHECK: return %[[S]] : tensor<3x5xf32>
func.func @slice_kept(%x: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = kiln.slice %x start = [1, 0] limit = [4, 5] strides = [1, 1] : tensor<4x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// CHECK-LABEL: func.func @concat_one(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<2x3xf32>
func.func @concat_one(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.concat %x dim = 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @pad_zero(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xf32>, %[[V:[^:]+]]: tensor<f32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<1x3x8x8xf32>
func.func @pad_zero(%x: tensor<1x3x8x8xf32>, %v: tensor<f32>) -> tensor<1x3x8x8xf32> {
  %0 = kiln.pad %x, %v low = [0, 0, 0, 0] high = [0, 0, 0, 0] : tensor<1x3x8x8xf32>, tensor<f32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @pad_kept(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x2xf32>, %[[V:[^:]+]]: tensor<f32>
// CHECK: %[[P:.+]] = kiln.pad %[[X]], %[[V]] low = [0, 0] high = [0, 1] : tensor<2x2xf32>, tensor<f32>
// CHECK: return %[[P]] : tensor<2x3xf32>
func.func @pad_kept(%x: tensor<2x2xf32>, %v: tensor<f32>) -> tensor<2x3xf32> {
  %0 = kiln.pad %x, %v low = [0, 0] high = [0, 1] : tensor<2x2xf32>, tensor<f32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_no_dims(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x5xf32>, %[[I:[^:]+]]: tensor<3xi32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]], %[[X]], %[[I]] : tensor<4x5xf32>, tensor<4x5xf32>, tensor<3xi32>
func.func @reduce_no_dims(%x: tensor<4x5xf32>, %i: tensor<3xi32>) -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<3xi32>) {
  %0 = kiln.reduce_sum %x dims = [] : tensor<4x5xf32>
  %1 = kiln.reduce_max %x dims = [] keepdim : tensor<4x5xf32>
  %2 = kiln.reduce_min %i dims = [] : tensor<3xi32>
  return %0, %1, %2 : tensor<4x5xf32>, tensor<4x5xf32>, tensor<3xi32>
}

// -----

// Reductions over at least one dimension stay.
// CHECK-LABEL: func.func @reduce_kept(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x5xf32>
// CHECK: %[[S:.+]] = kiln.reduce_sum %[[X]] dims = [1] : tensor<4x5xf32>
// CHECK: %[[M:.+]] = kiln.reduce_max %[[X]] dims = [0] keepdim : tensor<4x5xf32>
// CHECK: %[[N:.+]] = kiln.reduce_min %[[X]] dims = [0, 1] : tensor<4x5xf32>
// CHECK: return %[[S]], %[[M]], %[[N]] : tensor<4xf32>, tensor<1x5xf32>, tensor<f32>
func.func @reduce_kept(%x: tensor<4x5xf32>) -> (tensor<4xf32>, tensor<1x5xf32>, tensor<f32>) {
  %0 = kiln.reduce_sum %x dims = [1] : tensor<4x5xf32>
  %1 = kiln.reduce_max %x dims = [0] keepdim : tensor<4x5xf32>
  %2 = kiln.reduce_min %x dims = [0, 1] : tensor<4x5xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<1x5xf32>, tensor<f32>
}

// -----

// Folds chain: the broadcast of a splat becomes a constant, and adding that
// zero constant then folds away.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x4xf32>
// CHECK-NOT: kiln.
// CHECK: return %[[X]] : tensor<8x4xf32>
func.func @chain(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %zero = kiln.constant dense<0.0> : tensor<f32>
  %b = kiln.broadcast_to %zero : tensor<f32> -> tensor<8x4xf32>
  %t = kiln.transpose %x, permutation = [1, 0] : tensor<8x4xf32>
  %u = kiln.transpose %t, permutation = [1, 0] : tensor<4x8xf32>
  %0 = kiln.sub %u, %b : tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

// For floats, x + 0.0 and x - (-0.0) are not x (-0.0 + 0.0 is +0.0): kept.
// CHECK-LABEL: func.func @float_positive_zero_kept(
// CHECK: kiln.add
// CHECK: kiln.sub
func.func @float_positive_zero_kept(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = kiln.constant dense<0.0> : tensor<4xf32>
  %negzero = kiln.constant dense<-0.0> : tensor<4xf32>
  %0 = kiln.add %x, %zero : tensor<4xf32>
  %1 = kiln.sub %x, %negzero : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Integer splats fold with integer arithmetic.
// CHECK-LABEL: func.func @fold_int_splats()
// CHECK-DAG: kiln.constant dense<7> : tensor<i32>
// CHECK-DAG: kiln.constant dense<-1> : tensor<2xi64>
// CHECK-DAG: kiln.constant dense<12> : tensor<i32>
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.sub
// CHECK-NOT: kiln.mul
func.func @fold_int_splats() -> (tensor<i32>, tensor<2xi64>, tensor<i32>) {
  %a = kiln.constant dense<3> : tensor<i32>
  %b = kiln.constant dense<4> : tensor<i32>
  %c = kiln.add %a, %b : tensor<i32>
  %d = kiln.constant dense<3> : tensor<2xi64>
  %e = kiln.constant dense<4> : tensor<2xi64>
  %f = kiln.sub %d, %e : tensor<2xi64>
  %g = kiln.mul %a, %b : tensor<i32>
  return %c, %f, %g : tensor<i32>, tensor<2xi64>, tensor<i32>
}
