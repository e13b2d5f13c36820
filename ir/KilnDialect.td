//===- KilnDialect.td - The kiln dialect definition --------*- tablegen -*-===//
#ifndef KILN_DIALECT_TD
#define KILN_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let summary = "Tensor operations recorded by Kiln's C++ frontend";
  let description = [{
    The `kiln` dialect is the one IR every stage of Kiln speaks: the frontend
    records user code into it, autodiff writes backward graphs in it, fusion
    groups it into `kiln.fusion` regions, and codegen lowers it to native code.

    Values are builtin ranked tensors with static shapes and element types
    f16, bf16, f32, f64, i1, i32 or i64. Integers are signless; ops that care
    about signedness (division, comparison, min/max, argmax) treat them as
    signed, as PyTorch does.

    Implicit broadcasting belongs to the frontend. In the IR the operands of an
    elementwise op have equal types, and broadcasting is an explicit
    `kiln.broadcast_to`, so that autodiff and lowering see simple ops.
  }];
  let cppNamespace = "::kiln::ir";
  let dependentDialects = ["::mlir::func::FuncDialect"];
  let hasConstantMaterializer = 1;
  let usePropertiesForAttributes = 1;
  // The attributes the pipeline leaves on functions, arguments and calls
  // (KilnDialect.h names them; KilnDialect.cpp checks them):
  // - `donatable`: the inputs a recorded program may overwrite (realize);
  // - `num_inputs`: where the out-parameters start (kiln-count-inputs);
  // - `donations`, `arena_bytes`, `arena_lower_bound`, `arena_naive_bytes`,
  //   `arena_buffers`, `kernels`: the memory plan (kiln-plan-memory);
  // - `epilogue`: what a library call absorbed (kiln-library-calls);
  // - `input`, `weight`, `output`: the names of an exported model's
  //   arguments and results.
  let discardableAttrs = (ins
    "::mlir::DenseI64ArrayAttr":$donatable,
    "::mlir::IntegerAttr":$num_inputs,
    "::mlir::DenseI64ArrayAttr":$donations,
    "::mlir::IntegerAttr":$arena_bytes,
    "::mlir::IntegerAttr":$arena_lower_bound,
    "::mlir::IntegerAttr":$arena_naive_bytes,
    "::mlir::ArrayAttr":$arena_buffers,
    "::mlir::IntegerAttr":$kernels,
    "::mlir::ArrayAttr":$epilogue,
    "::mlir::StringAttr":$input,
    "::mlir::StringAttr":$weight,
    "::mlir::StringAttr":$output);
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

class Kiln_TensorOf<list<Type> elementTypes>
    : StaticShapeTensorOf<elementTypes>;

def Kiln_Tensor : Kiln_TensorOf<[F16, BF16, F32, F64, I1, I8, I16, I32, I64]>;
def Kiln_FloatTensor : Kiln_TensorOf<[F16, BF16, F32, F64]>;
def Kiln_NumericTensor
    : Kiln_TensorOf<[F16, BF16, F32, F64, I8, I16, I32, I64]>;
def Kiln_LogicalTensor : Kiln_TensorOf<[I1, I8, I16, I32, I64]>;
def Kiln_BoolTensor : Kiln_TensorOf<[I1]>;
def Kiln_IndexTensor : Kiln_TensorOf<[I32, I64]>;
def Kiln_I64Tensor : Kiln_TensorOf<[I64]>;
def Kiln_Scalar : 0DTensorOf<[F16, BF16, F32, F64, I1, I8, I16, I32, I64]>;
def Kiln_I64Scalar : 0DTensorOf<[I64]> {
  let builderCall =
      "::mlir::RankedTensorType::get({}, $_builder.getIntegerType(64))";
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Kiln_CompareDirection : I32EnumAttr<"CompareDirection",
    "comparison direction", [
      I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::kiln::ir";
}

def Kiln_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "how gelu is computed (PyTorch's `approximate`)", [
      I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"tanh", 1>]> {
  let cppNamespace = "::kiln::ir";
}

#endif // KILN_DIALECT_TD
