//===- KilnOps.td - Operations of the kiln dialect ---------*- tablegen -*-===//
#ifndef KILN_OPS_TD
#define KILN_OPS_TD

include "KilnDialect.td"
include "KilnInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpAsmInterface.td"

// Every tensor an op reads or makes holds at most 1 TiB
// (ir::kMaxTensorBytes): a model file with a larger (or overflowing) type
// fails verification before anything plans or allocates for it.
def Kiln_BoundedTensors : NativeOpTrait<"BoundedTensors"> {
  let cppNamespace = "::kiln::ir";
}

// How an op's loops relate to its operands': what kiln-fuse may group and a
// backend emits as one kernel (ir::fusionClass). Elementwise ops carry
// upstream's `Elementwise`; splat constants are recognized by value.
// out[i] = in[project(i)]: broadcast_to, and fill of its 0-d operand.
def Kiln_Broadcast : NativeOpTrait<"BroadcastClass"> {
  let cppNamespace = "::kiln::ir";
}
// Moves or picks elements (transpose, reshape, slice, concat, pad, gather):
// a kernel of its own.
def Kiln_Injective : NativeOpTrait<"InjectiveClass"> {
  let cppNamespace = "::kiln::ir";
}
// Reduces dimensions (reduce_*, argmax, argmin): fuses with the elementwise
// producers of its operand.
def Kiln_Reduction : NativeOpTrait<"ReductionClass"> {
  let cppNamespace = "::kiln::ir";
}
// A contraction (matmul, conv2d): a library call where it can be.
def Kiln_Contraction : NativeOpTrait<"ContractionClass"> {
  let cppNamespace = "::kiln::ir";
}

class Kiln_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kiln_Dialect, mnemonic, !listconcat(traits, [Kiln_BoundedTensors])>;

// An op that states its vector-Jacobian product; ir/KilnVJP.cpp implements
// `emitVJP` for each.
defvar Kiln_VJP = DeclareOpInterfaceMethods<Kiln_VJPOpInterface>;

// An op whose result type follows from its operands and attributes; the C++
// side implements `inferReturnTypes(context, location, adaptor, types)`.
// These ops all compute values, so all of them state their adjoint.
class Kiln_InferredOp<string mnemonic, list<Trait> traits = []>
    : Kiln_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor, Kiln_VJP]>;

//===----------------------------------------------------------------------===//
// Constants and creation
//===----------------------------------------------------------------------===//

def Kiln_ConstantOp : Kiln_InferredOp<"constant", [ConstantLike]> {
  let summary = "A tensor whose elements are known at compile time";
  let description = [{
    Produces the tensor held by the `value` attribute. Splat constants are
    how the frontend writes scalars that appear in user expressions.

    ```mlir
    %c = kiln.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    %zero = kiln.constant dense<0.0> : tensor<f32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Kiln_IotaOp : Kiln_Op<"iota", [Pure, Kiln_VJP]> {
  let summary = "Element indices along one dimension";
  let description = [{
    Each element of the result is its own index along `dim`, converted to
    the result's element type. `kiln::arange` is an iota scaled and shifted.

    ```mlir
    // [[0, 1, 2], [0, 1, 2]]
    %i = kiln.iota dim = 1 : tensor<2x3xi64>
    ```
  }];
  let arguments = (ins I64Attr:$dim);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "`dim` `=` $dim attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Kiln_FillOp : Kiln_Op<"fill", [Kiln_Broadcast, Pure, Kiln_VJP]> {
  let summary = "A tensor filled with one run-time value";
  let description = [{
    Splats the 0-d `value` over the result shape. Unlike a splat
    `kiln.constant`, the value is known only when the program runs (a
    learning rate, a user-provided scalar tensor).

    ```mlir
    %t = kiln.fill %lr : tensor<f32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Scalar:$value);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$value attr-dict `:` type($value) `->` type($result)";
  let hasVerifier = 1;
}

class Kiln_RngOp<string mnemonic, string distribution>
    : Kiln_Op<mnemonic, [Pure, Kiln_VJP]> {
  let summary = "Counter-based random numbers, " # distribution;
  let description = [{
    Random numbers from Philox-4x32-10 keyed by `seed`: element `i` (in
    row-major order) is drawn from counter `offset + i`. The result depends
    only on seed, offset and shape, never on threads or devices, and two
    calls with the same operands give the same tensor. The frontend's
    generator advances `offset` by the element count after each use.
  }] # "\n\nDistribution: " # distribution # [{.

    ```mlir
  }] # "  %r = kiln." # mnemonic # [{ %seed, %offset : tensor<64x784xf32>
    ```
  }];
  let arguments = (ins Kiln_I64Scalar:$seed, Kiln_I64Scalar:$offset);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$seed `,` $offset attr-dict `:` type($result)";
}

def Kiln_RngUniformOp : Kiln_RngOp<"rng_uniform", "uniform on [0, 1)">;
def Kiln_RngNormalOp : Kiln_RngOp<"rng_normal",
    "standard normal (mean 0, standard deviation 1)">;

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

class Kiln_UnaryOp<string mnemonic, Type type, string formula,
                   list<Trait> traits = []>
    : Kiln_Op<mnemonic, traits # [Pure, Elementwise,
                                 SameOperandsAndResultType,
                                 InferTypeOpInterface, Kiln_VJP]> {
  let summary = "Elementwise " # formula;
  let description = "Computes `" # formula # "` for every element.\n\n"
      # "```mlir\n%y = kiln." # mnemonic # " %x : tensor<2x3xf32>\n```";
  let arguments = (ins type:$operand);
  let results = (outs type:$result);
  let assemblyFormat = "$operand attr-dict `:` type($result)";
}

def Kiln_NegOp : Kiln_UnaryOp<"neg", Kiln_NumericTensor, "-x">;
def Kiln_AbsOp : Kiln_UnaryOp<"abs", Kiln_NumericTensor, "|x|">;
def Kiln_ExpOp : Kiln_UnaryOp<"exp", Kiln_FloatTensor, "e^x">;
def Kiln_LogOp : Kiln_UnaryOp<"log", Kiln_FloatTensor, "ln(x)">;
def Kiln_Log1pOp : Kiln_UnaryOp<"log1p", Kiln_FloatTensor, "ln(1 + x)">;
def Kiln_ErfOp : Kiln_UnaryOp<"erf", Kiln_FloatTensor, "erf(x)">;
def Kiln_SqrtOp : Kiln_UnaryOp<"sqrt", Kiln_FloatTensor, "sqrt(x)">;
def Kiln_RsqrtOp : Kiln_UnaryOp<"rsqrt", Kiln_FloatTensor, "1 / sqrt(x)">;
def Kiln_ReciprocalOp
    : Kiln_UnaryOp<"reciprocal", Kiln_FloatTensor, "1 / x">;
def Kiln_TanhOp : Kiln_UnaryOp<"tanh", Kiln_FloatTensor, "tanh(x)">;
def Kiln_SigmoidOp
    : Kiln_UnaryOp<"sigmoid", Kiln_FloatTensor, "1 / (1 + e^-x)">;
def Kiln_ReluOp : Kiln_UnaryOp<"relu", Kiln_NumericTensor, "max(x, 0)">;
def Kiln_SinOp : Kiln_UnaryOp<"sin", Kiln_FloatTensor, "sin(x)">;
def Kiln_CosOp : Kiln_UnaryOp<"cos", Kiln_FloatTensor, "cos(x)">;
def Kiln_SignOp : Kiln_UnaryOp<"sign", Kiln_NumericTensor,
                               "sign(x) (-1, 0 or 1)">;
def Kiln_FloorOp : Kiln_UnaryOp<"floor", Kiln_FloatTensor, "floor(x)">;
def Kiln_NotOp : Kiln_UnaryOp<"not", Kiln_LogicalTensor,
                              "logical not (i1) or bitwise not (integers)">;

def Kiln_GeluOp : Kiln_Op<"gelu", [Pure, Elementwise,
                                   SameOperandsAndResultType,
                                   InferTypeOpInterface, Kiln_VJP]> {
  let summary = "Elementwise Gaussian error linear unit";
  let description = [{
    `x * Phi(x)` with `Phi` the standard normal CDF, computed with erf when
    `approximate = none` and with PyTorch's tanh formula
    `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))` when `approximate = tanh`.

    ```mlir
    %y = kiln.gelu %x approximate = tanh : tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$operand,
                       Kiln_GeluApproximation:$approximate);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat =
      "$operand `approximate` `=` $approximate attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Elementwise binary
//===----------------------------------------------------------------------===//

class Kiln_BinaryOp<string mnemonic, Type type, string formula,
                    list<Trait> traits = []>
    : Kiln_Op<mnemonic, traits # [Pure, Elementwise,
                                 SameOperandsAndResultType,
                                 InferTypeOpInterface, Kiln_VJP]> {
  let summary = "Elementwise " # formula;
  let description = "Computes `" # formula # "` for every pair of elements. "
      # "Operands have equal types: broadcast them first with "
      # "`kiln.broadcast_to`.\n\n"
      # "```mlir\n%z = kiln." # mnemonic # " %x, %y : tensor<2x3xf32>\n```";
  let arguments = (ins type:$lhs, type:$rhs);
  let results = (outs type:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def Kiln_AddOp : Kiln_BinaryOp<"add", Kiln_NumericTensor, "lhs + rhs",
                               [Commutative]> {
  let hasFolder = 1;
}
def Kiln_SubOp : Kiln_BinaryOp<"sub", Kiln_NumericTensor, "lhs - rhs"> {
  let hasFolder = 1;
}
def Kiln_MulOp : Kiln_BinaryOp<"mul", Kiln_NumericTensor, "lhs * rhs",
                               [Commutative]> {
  let hasFolder = 1;
}
def Kiln_DivOp : Kiln_BinaryOp<"div", Kiln_NumericTensor,
    "lhs / rhs (integers: truncating division)"> {
  let hasFolder = 1;
}
def Kiln_PowOp : Kiln_BinaryOp<"pow", Kiln_FloatTensor, "lhs ^ rhs">;
def Kiln_MaximumOp : Kiln_BinaryOp<"maximum", Kiln_NumericTensor,
    "max(lhs, rhs) (NaN if either is NaN)", [Commutative]>;
def Kiln_MinimumOp : Kiln_BinaryOp<"minimum", Kiln_NumericTensor,
    "min(lhs, rhs) (NaN if either is NaN)", [Commutative]>;
def Kiln_AndOp : Kiln_BinaryOp<"and", Kiln_LogicalTensor,
    "lhs and rhs (logical for i1, bitwise for integers)", [Commutative]>;
def Kiln_OrOp : Kiln_BinaryOp<"or", Kiln_LogicalTensor,
    "lhs or rhs (logical for i1, bitwise for integers)", [Commutative]>;

def Kiln_CompareOp : Kiln_InferredOp<"compare", [Elementwise,
                                                 SameTypeOperands]> {
  let summary = "Elementwise comparison giving i1";
  let description = [{
    Compares two tensors of equal type element by element. Integers compare
    as signed; floats compare ordered (any comparison with NaN is false,
    except `ne`, which is true), as in C++ and PyTorch.

    ```mlir
    %mask = kiln.compare lt, %x, %y : tensor<4xf32>
    ```
  }];
  let arguments = (ins Kiln_CompareDirection:$direction,
                       Kiln_Tensor:$lhs, Kiln_Tensor:$rhs);
  let results = (outs Kiln_BoolTensor:$result);
  let assemblyFormat =
      "$direction `,` $lhs `,` $rhs attr-dict `:` type($lhs)";
}

def Kiln_SelectOp : Kiln_Op<"select", [Pure, Elementwise,
    AllTypesMatch<["on_true", "on_false", "result"]>,
    DeclareOpInterfaceMethods<InferTypeOpInterface>, Kiln_VJP]> {
  let summary = "Elementwise choice between two tensors";
  let description = [{
    Takes `on_true` where `cond` is true and `on_false` elsewhere. `cond`
    has the shape of the other operands. `kiln::where` and `masked_fill`
    record this op.

    ```mlir
    %r = kiln.select %mask, %x, %y : tensor<4xi1>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Kiln_BoolTensor:$cond, Kiln_Tensor:$on_true,
                       Kiln_Tensor:$on_false);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$cond `,` $on_true `,` $on_false attr-dict `:` "
                       "type($cond) `,` type($result)";
}

def Kiln_ConvertOp : Kiln_Op<"convert", [Pure, Elementwise, Kiln_VJP]> {
  let summary = "Elementwise dtype conversion";
  let description = [{
    Converts every element to the result's element type, as `Tensor::to`
    does: floats round to nearest, float to integer truncates toward zero,
    to i1 tests for non-zero, from i1 gives 0 or 1.

    ```mlir
    %h = kiln.convert %x : tensor<2x3xf32> to tensor<2x3xf16>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$operand);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `to` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$operand, "::mlir::Type":$elementType)>
  ];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

def Kiln_BroadcastToOp : Kiln_Op<"broadcast_to", [Kiln_Broadcast, Pure, Kiln_VJP]> {
  let summary = "Explicit NumPy-style broadcast";
  let description = [{
    Broadcasts the operand to the result shape by NumPy's rule: shapes align
    on the right, a missing or size-1 operand dimension stretches to the
    result's size, any other dimension must be equal.

    ```mlir
    %b = kiln.broadcast_to %bias : tensor<10xf32> -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$operand);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$operand,
                   "::llvm::ArrayRef<int64_t>":$shape)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_ReshapeOp : Kiln_Op<"reshape", [Kiln_Injective, Pure, Kiln_VJP]> {
  let summary = "Same elements in row-major order, another shape";
  let description = [{
    Reinterprets the operand's elements, in row-major order, with the result
    shape. The element counts must be equal.

    ```mlir
    %flat = kiln.reshape %x : tensor<64x1x28x28xf32> -> tensor<64x784xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$operand);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$operand,
                   "::llvm::ArrayRef<int64_t>":$shape)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_TransposeOp : Kiln_InferredOp<"transpose", [Kiln_Injective]> {
  let summary = "Permutes dimensions";
  let description = [{
    Result dimension `i` is operand dimension `permutation[i]`, as
    `Tensor::permute` does.

    ```mlir
    %t = kiln.transpose %x, permutation = [1, 0] : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$operand, DenseI64ArrayAttr:$permutation);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$operand `,` `permutation` `=` $permutation attr-dict "
                       "`:` type($operand)";
  let hasFolder = 1;
}

def Kiln_SliceOp : Kiln_InferredOp<"slice", [Kiln_Injective]> {
  let summary = "A strided box of elements";
  let description = [{
    Takes, along each dimension `d`, the indices `start[d]`,
    `start[d] + strides[d]`, ... below `limit[d]`. Starts and limits are
    already clamped to the shape by the frontend; strides are positive.

    ```mlir
    // x[0:2, 1:4:2]
    %s = kiln.slice %x start = [0, 1] limit = [2, 4] strides = [1, 2]
         : tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$operand, DenseI64ArrayAttr:$start,
                       DenseI64ArrayAttr:$limit, DenseI64ArrayAttr:$strides);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$operand `start` `=` $start `limit` `=` $limit "
                       "`strides` `=` $strides attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Kiln_ConcatOp : Kiln_InferredOp<"concat", [Kiln_Injective]> {
  let summary = "Joins tensors along one dimension";
  let description = [{
    Concatenates the inputs along `dim`; all other dimensions and the element
    type must be equal. `kiln::cat` records it, `kiln::stack` records
    reshapes and then this op.

    ```mlir
    %c = kiln.concat %a, %b dim = 0 : tensor<2x3xf32>, tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Variadic<Kiln_Tensor>:$inputs, I64Attr:$dim);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$inputs `dim` `=` $dim attr-dict `:` type($inputs)";
  let hasFolder = 1;
}

def Kiln_PadOp : Kiln_InferredOp<"pad", [Kiln_Injective]> {
  let summary = "Adds a border filled with a scalar";
  let description = [{
    Adds `low[d]` elements before and `high[d]` after dimension `d`, filled
    with the 0-d `padding_value` (a run-time value, so max pooling pads with
    -inf and convolutions with 0 through the same op).

    ```mlir
    %p = kiln.pad %x, %zero low = [0, 0, 1, 1] high = [0, 0, 1, 1]
         : tensor<1x3x8x8xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$operand, Kiln_Scalar:$padding_value,
                       DenseI64ArrayAttr:$low, DenseI64ArrayAttr:$high);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$operand `,` $padding_value `low` `=` $low `high` `=` "
      "$high attr-dict `:` type($operand) `,` type($padding_value)";
  let hasFolder = 1;
}

def Kiln_GatherOp : Kiln_InferredOp<"gather", [Kiln_Injective]> {
  let summary = "Index select along one dimension (embedding lookup)";
  let description = [{
    Picks slices of `operand` along `dim` at `indices`. The result shape is
    `operand.shape[:dim] + indices.shape + operand.shape[dim+1:]`, so a 1-d
    index is `index_select` and a `[batch, seq]` index into a
    `[vocab, dim]` table is an embedding lookup. Indices must lie in
    `[0, operand.shape[dim])`; the frontend checks the ones it can see.

    ```mlir
    %e = kiln.gather %table, %tokens dim = 0
         : tensor<1000x64xf32>, tensor<8x16xi64>   // -> tensor<8x16x64xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$operand, Kiln_IndexTensor:$indices,
                       I64Attr:$dim);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$operand `,` $indices `dim` `=` $dim attr-dict `:` "
                       "type($operand) `,` type($indices)";
}

def Kiln_ScatterAddOp : Kiln_InferredOp<"scatter_add"> {
  let summary = "Adds slices into a tensor at indices (gather's adjoint)";
  let description = [{
    Returns `operand` with each slice of `updates` added at its index along
    `dim`; slices that hit the same index accumulate (PyTorch's
    `index_add`). `updates` has the shape of `kiln.gather`'s result for
    the same operand and indices.

    ```mlir
    %g = kiln.scatter_add %zeros, %tokens, %grad dim = 0
         : tensor<1000x64xf32>, tensor<8x16xi64>, tensor<8x16x64xf32>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$operand, Kiln_IndexTensor:$indices,
                       Kiln_NumericTensor:$updates, I64Attr:$dim);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$operand `,` $indices `,` $updates `dim` `=` $dim "
      "attr-dict `:` type($operand) `,` type($indices) `,` type($updates)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Kiln_ReduceOp<string mnemonic, string what, Type type>
    : Kiln_InferredOp<mnemonic, [Kiln_Reduction]> {
  let summary = "The " # what # " over a list of dimensions";
  let description = "Reduces `dims` (distinct, in range) to their " # what
      # "; with `keepdim` they stay as size-1 dimensions. An empty list "
      # "reduces nothing.\n\n"
      # "```mlir\n%r = kiln." # mnemonic
      # " %x dims = [1] keepdim : tensor<64x10xf32>  // -> tensor<64x1xf32>\n```";
  let arguments = (ins type:$operand, DenseI64ArrayAttr:$dims,
                       UnitAttr:$keepdim);
  let results = (outs type:$result);
  let assemblyFormat = "$operand `dims` `=` $dims (`keepdim` $keepdim^)? "
                       "attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Kiln_ReduceSumOp : Kiln_ReduceOp<"reduce_sum", "sum", Kiln_NumericTensor>;
def Kiln_ReduceMaxOp
    : Kiln_ReduceOp<"reduce_max", "maximum", Kiln_NumericTensor>;
def Kiln_ReduceMinOp
    : Kiln_ReduceOp<"reduce_min", "minimum", Kiln_NumericTensor>;

class Kiln_ArgReduceOp<string mnemonic, string what>
    : Kiln_InferredOp<mnemonic, [Kiln_Reduction]> {
  let summary = "Index of the " # what # " along one dimension";
  let description = "The i64 index of the " # what # " along `dim`; the "
      # "first one when several are equal, as in PyTorch.\n\n"
      # "```mlir\n%i = kiln." # mnemonic
      # " %logits dim = 1 : tensor<64x10xf32>  // -> tensor<64xi64>\n```";
  let arguments = (ins Kiln_NumericTensor:$operand, I64Attr:$dim,
                       UnitAttr:$keepdim);
  let results = (outs Kiln_I64Tensor:$result);
  let assemblyFormat = "$operand `dim` `=` $dim (`keepdim` $keepdim^)? "
                       "attr-dict `:` type($operand)";
}

def Kiln_ArgmaxOp : Kiln_ArgReduceOp<"argmax", "largest element">;
def Kiln_ArgminOp : Kiln_ArgReduceOp<"argmin", "smallest element">;

//===----------------------------------------------------------------------===//
// Contractions and NN primitives
//===----------------------------------------------------------------------===//

def Kiln_MatmulOp : Kiln_InferredOp<"matmul", [Kiln_Contraction]> {
  let summary = "Batched matrix product with broadcast batch dimensions";
  let description = [{
    `lhs` is `[..., M, K]`, `rhs` is `[..., K, N]`; the leading (batch)
    dimensions broadcast by NumPy's rule and the result is
    `[broadcast(...), M, N]`. Vector operands of `kiln::matmul` are reshaped
    by the frontend, so both operands here have rank 2 or more.

    ```mlir
    %y = kiln.matmul %x, %w : tensor<64x784xf32>, tensor<784x256xf32>
    %z = kiln.matmul %q, %k : tensor<8x4x16x32xf32>, tensor<4x32x16xf32>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$lhs, Kiln_NumericTensor:$rhs);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Kiln_Conv2dOp : Kiln_InferredOp<"conv2d", [Kiln_Contraction]> {
  let summary = "2-D convolution, NCHW";
  let description = [{
    PyTorch's `conv2d` without bias (bias is a broadcast add that fusion
    folds back in): `input` is `[N, C, H, W]`, `filter` is
    `[O, C / groups, KH, KW]`, the result is `[N, O, OH, OW]` with
    `OH = (H + 2 padding[0] - dilation[0] (KH - 1) - 1) / stride[0] + 1`.

    ```mlir
    %y = kiln.conv2d %x, %w stride = [1, 1] padding = [1, 1]
         dilation = [1, 1] groups = 1
         : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$filter,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $filter `stride` `=` $stride `padding` `=` "
      "$padding `dilation` `=` $dilation `groups` `=` $groups attr-dict `:` "
      "type($input) `,` type($filter)";
}

def Kiln_Conv2dGradInputOp : Kiln_Op<"conv2d_grad_input",
                                     [Pure, Kiln_VJP]> {
  let summary = "Gradient of conv2d with respect to its input";
  let description = [{
    Given the gradient of a `kiln.conv2d` result and its filter, computes the
    gradient of its input (a transposed convolution). The result type is the
    input's, which the output shape alone does not determine when strides
    drop rows; the verifier checks that a conv2d of that input shape gives
    `grad_output`'s shape.

    ```mlir
    %dx = kiln.conv2d_grad_input %dy, %w stride = [2, 2] padding = [1, 1]
          dilation = [1, 1] groups = 1
          : tensor<8x16x16x16xf32>, tensor<16x3x3x3xf32> -> tensor<8x3x32x32xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$grad_output, Kiln_FloatTensor:$filter,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad_output `,` $filter `stride` `=` $stride "
      "`padding` `=` $padding `dilation` `=` $dilation `groups` `=` $groups "
      "attr-dict `:` type($grad_output) `,` type($filter) `->` type($result)";
  let hasVerifier = 1;
}

def Kiln_Conv2dGradFilterOp : Kiln_Op<"conv2d_grad_filter",
                                      [Pure, Kiln_VJP]> {
  let summary = "Gradient of conv2d with respect to its filter";
  let description = [{
    Given a `kiln.conv2d`'s input and the gradient of its result, computes
    the gradient of its filter. The result type is the filter's; the
    verifier checks that a conv2d with that filter gives `grad_output`'s
    shape.

    ```mlir
    %dw = kiln.conv2d_grad_filter %x, %dy stride = [1, 1] padding = [1, 1]
          dilation = [1, 1] groups = 1
          : tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32> -> tensor<16x3x3x3xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$grad_output,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $grad_output `stride` `=` $stride "
      "`padding` `=` $padding `dilation` `=` $dilation `groups` `=` $groups "
      "attr-dict `:` type($input) `,` type($grad_output) `->` type($result)";
  let hasVerifier = 1;
}

class Kiln_PoolAttrs {
  dag poolAttrs = (ins DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$padding);
  string poolFormat = "`kernel` `=` $kernel `stride` `=` $stride `padding` "
                      "`=` $padding";
}

def Kiln_MaxPool2dOp : Kiln_InferredOp<"max_pool2d">, Kiln_PoolAttrs {
  let summary = "2-D max pooling, NCHW";
  let description = [{
    The maximum of each `kernel` window, windows `stride` apart, over the
    input padded with -inf by `padding` on each side (at most half the
    kernel, as in PyTorch). Output size as for `kiln.conv2d`.

    ```mlir
    %p = kiln.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0]
         : tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = !con((ins Kiln_FloatTensor:$input), poolAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input " # poolFormat # " attr-dict `:` type($input)";
}

def Kiln_MaxPool2dGradOp
    : Kiln_InferredOp<"max_pool2d_grad">, Kiln_PoolAttrs {
  let summary = "Gradient of max_pool2d with respect to its input";
  let description = [{
    Routes each element of `grad_output` to the position of its window's
    maximum in `input` (the first one on ties, as PyTorch does); positions
    that are no window's maximum get zero.

    ```mlir
    %dx = kiln.max_pool2d_grad %x, %dy kernel = [2, 2] stride = [2, 2]
          padding = [0, 0] : tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>
    ```
  }];
  let arguments = !con((ins Kiln_FloatTensor:$input,
                            Kiln_FloatTensor:$grad_output), poolAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $grad_output " # poolFormat
      # " attr-dict `:` type($input) `,` type($grad_output)";
}

def Kiln_AvgPool2dOp : Kiln_InferredOp<"avg_pool2d">, Kiln_PoolAttrs {
  let summary = "2-D average pooling, NCHW";
  let description = [{
    The mean of each window over the zero-padded input. With
    `count_include_pad` (PyTorch's default) the divisor is the full window
    size; without it, the number of unpadded elements in the window.

    ```mlir
    %p = kiln.avg_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0]
         count_include_pad = true : tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = !con((ins Kiln_FloatTensor:$input), poolAttrs,
                       (ins BoolAttr:$count_include_pad));
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input " # poolFormat # " `count_include_pad` `=` "
                       "$count_include_pad attr-dict `:` type($input)";
}

def Kiln_AvgPool2dGradOp : Kiln_Op<"avg_pool2d_grad", [Pure, Kiln_VJP]>,
                           Kiln_PoolAttrs {
  let summary = "Gradient of avg_pool2d with respect to its input";
  let description = [{
    Spreads each element of `grad_output` evenly over its window. The result
    type is the pooled input's; the verifier checks that pooling it gives
    `grad_output`'s shape.

    ```mlir
    %dx = kiln.avg_pool2d_grad %dy kernel = [2, 2] stride = [2, 2]
          padding = [0, 0] count_include_pad = true
          : tensor<8x16x16x16xf32> -> tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = !con((ins Kiln_FloatTensor:$grad_output), poolAttrs,
                       (ins BoolAttr:$count_include_pad));
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad_output " # poolFormat # " `count_include_pad` "
      "`=` $count_include_pad attr-dict `:` type($grad_output) `->` "
      "type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Composites: kept whole so IR stays readable and maps to libraries
//===----------------------------------------------------------------------===//

class Kiln_SoftmaxLikeOp<string mnemonic, string formula>
    : Kiln_InferredOp<mnemonic> {
  let summary = formula # " along one dimension";
  let description = "Computes `" # formula # "` along `dim`, stably "
      # "(the maximum is subtracted first).\n\n"
      # "```mlir\n%p = kiln." # mnemonic
      # " %logits dim = 1 : tensor<64x10xf32>\n```";
  let arguments = (ins Kiln_FloatTensor:$operand, I64Attr:$dim);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$operand `dim` `=` $dim attr-dict `:` type($operand)";
}

def Kiln_SoftmaxOp
    : Kiln_SoftmaxLikeOp<"softmax", "exp(x) / sum(exp(x))">;
def Kiln_LogSoftmaxOp
    : Kiln_SoftmaxLikeOp<"log_softmax", "x - log(sum(exp(x)))">;

def Kiln_LayerNormOp : Kiln_InferredOp<"layer_norm"> {
  let summary = "Layer normalization over the trailing dimensions";
  let description = [{
    Normalizes over dimensions `axis` to the last:
    `(x - mean) / sqrt(var + eps) * weight + bias`, with the biased variance
    as PyTorch uses. `weight` and `bias` have the normalized shape
    (`x.shape[axis:]`); a layer without affine parameters passes ones and
    zeros, which canonicalization removes.

    ```mlir
    %y = kiln.layer_norm %x, %gamma, %beta axis = 2 eps = 1.0e-05
         : tensor<8x16x64xf32>, tensor<64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$operand, Kiln_FloatTensor:$weight,
                       Kiln_FloatTensor:$bias, I64Attr:$axis, F64Attr:$eps);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$operand `,` $weight `,` $bias `axis` `=` $axis "
      "`eps` `=` $eps attr-dict `:` type($operand) `,` type($weight) `,` "
      "type($bias)";
}

def Kiln_BatchNormTrainingOp : Kiln_InferredOp<"batch_norm_training"> {
  let summary = "Batch normalization with batch statistics";
  let description = [{
    Normalizes each channel (dimension 1 of `[N, C, ...]`) with the mean and
    biased variance of the batch, then scales by `weight` and shifts by
    `bias`. Also returns the batch mean and biased variance, from which the
    frontend updates the running statistics (with the unbiased variance, as
    PyTorch does).

    ```mlir
    %y, %mean, %var = kiln.batch_norm_training %x, %gamma, %beta eps = 1.0e-05
        : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$operand, Kiln_FloatTensor:$weight,
                       Kiln_FloatTensor:$bias, F64Attr:$eps);
  let results = (outs Kiln_FloatTensor:$result, Kiln_FloatTensor:$batch_mean,
                      Kiln_FloatTensor:$batch_var);
  let assemblyFormat = "$operand `,` $weight `,` $bias `eps` `=` $eps "
      "attr-dict `:` type($operand) `,` type($weight) `,` type($bias)";
}

def Kiln_BatchNormInferenceOp : Kiln_InferredOp<"batch_norm_inference"> {
  let summary = "Batch normalization with running statistics";
  let description = [{
    `(x - mean) / sqrt(var + eps) * weight + bias` per channel (dimension 1),
    with the given running mean and variance: batch norm in `eval()` mode.

    ```mlir
    %y = kiln.batch_norm_inference %x, %gamma, %beta, %mean, %var eps = 1.0e-05
        : tensor<8x16x32x32xf32>, tensor<16xf32>, tensor<16xf32>,
          tensor<16xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$operand, Kiln_FloatTensor:$weight,
                       Kiln_FloatTensor:$bias, Kiln_FloatTensor:$mean,
                       Kiln_FloatTensor:$variance, F64Attr:$eps);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$operand `,` $weight `,` $bias `,` $mean `,` $variance "
      "`eps` `=` $eps attr-dict `:` type($operand) `,` type($weight) `,` "
      "type($bias) `,` type($mean) `,` type($variance)";
}

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def Kiln_GradOp : Kiln_Op<"grad", [Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "A request for the gradient of a function";
  let description = [{
    Calls `callee` on `inputs` and also returns the gradient of its result
    with respect to each input listed in `wrt`. The results are the callee's
    results followed by one gradient per `wrt` entry (of that input's type).
    Without `seed` the callee returns one 0-d float tensor (a loss); with
    `seed`, the cotangent of the callee's single result, of its type (as in
    `backward(gradient)`). The `kiln-autodiff` pass expands this op.

    ```mlir
    func.func private @loss(%w: tensor<4x3xf32>, %x: tensor<8x4xf32>) -> tensor<f32>
    %l, %dw = kiln.grad @loss(%w, %x) wrt [0]
        : (tensor<4x3xf32>, tensor<8x4xf32>) -> (tensor<f32>, tensor<4x3xf32>)
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                       Variadic<Kiln_Tensor>:$inputs,
                       Optional<Kiln_FloatTensor>:$seed,
                       DenseI64ArrayAttr:$wrt);
  let results = (outs Variadic<Kiln_Tensor>:$results);
  let assemblyFormat = "$callee `(` $inputs `)` (`seed` `(` $seed^ `:` "
      "type($seed) `)`)? `wrt` $wrt attr-dict `:` "
      "functional-type($inputs, $results)";
  let hasVerifier = 1;
}

def Kiln_CustomVJPOp : Kiln_Op<"custom_vjp", [Pure, Kiln_VJP,
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Values whose gradient a function of the user's gives";
  let description = [{
    The forward of a custom autograd function: the results are `outputs`
    unchanged (computed from the `primals` without history). Differentiating
    them calls `backward` on the results' cotangents followed by the `saved`
    values; it returns the cotangents of the primals listed in `gradients`,
    in order. Nothing flows back to `outputs` or `saved`: the primals are
    operands only to receive gradients. `kiln-autodiff` replaces the op by
    `outputs` once every gradient request is expanded.

    ```mlir
    func.func private @exp_backward(%g: tensor<4xf32>, %y: tensor<4xf32>)
        -> tensor<4xf32>
    %r = kiln.custom_vjp @exp_backward(%x : tensor<4xf32>)
        outputs(%y : tensor<4xf32>) saved(%y : tensor<4xf32>) gradients [0]
        -> tensor<4xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$backward,
                       Variadic<Kiln_Tensor>:$primals,
                       Variadic<Kiln_Tensor>:$outputs,
                       Variadic<Kiln_Tensor>:$saved,
                       DenseI64ArrayAttr:$gradients);
  let results = (outs Variadic<Kiln_Tensor>:$results);
  let assemblyFormat = "$backward `(` $primals `:` type($primals) `)` "
      "`outputs` `(` $outputs `:` type($outputs) `)` "
      "(`saved` `(` $saved^ `:` type($saved) `)`)? `gradients` $gradients "
      "attr-dict `->` type($results)";
  let hasVerifier = 1;
}

def Kiln_FusionOp : Kiln_Op<"fusion", [IsolatedFromAbove, SingleBlock,
    RecursiveMemoryEffects]> {
  let summary = "A region of ops that becomes one kernel";
  let description = [{
    Produced by `kiln-fuse`: the body computes the results from the block
    arguments (one per input) and ends in `kiln.yield`. Codegen emits one
    loop nest (CPU) or one kernel (CUDA) for each fusion.

    ```mlir
    %r = kiln.fusion ins(%x, %b : tensor<64x10xf32>, tensor<64x10xf32>)
        -> tensor<64x10xf32> {
    ^bb0(%a: tensor<64x10xf32>, %c: tensor<64x10xf32>):
      %s = kiln.add %a, %c : tensor<64x10xf32>
      %y = kiln.relu %s : tensor<64x10xf32>
      kiln.yield %y : tensor<64x10xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<Kiln_Tensor>:$inputs);
  let results = (outs Variadic<Kiln_Tensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "(`ins` `(` $inputs^ `:` type($inputs) `)`)? "
      "(`->` type($results)^)? attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def Kiln_YieldOp : Kiln_Op<"yield", [Pure, Terminator, ReturnLike,
                                     HasParent<"FusionOp">]> {
  let summary = "Ends a kiln.fusion body with its results";
  let description = [{
    The operands become the enclosing `kiln.fusion`'s results.

    ```mlir
    kiln.yield %y : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins Variadic<Kiln_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // KILN_OPS_TD
