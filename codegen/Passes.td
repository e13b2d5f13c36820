//===- Passes.td - Kiln's code generation passes -----------*- tablegen -*-===//
#ifndef KILN_CODEGEN_PASSES_TD
#define KILN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnToLinalg : Pass<"kiln-to-linalg"> {
  let summary = "Lower kiln ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every kiln op becomes ops of the upstream tensor-level dialects: elementwise
    ops, broadcasts, reductions, iota and the counter-based RNG become
    `linalg.generic` loops whose bodies use `arith` and `math`; transposes,
    matmuls and fills become named linalg ops; reshapes, slices, concatenation
    and padding become `tensor` ops. Composite ops must have been decomposed
    first (`kiln-decompose`). The result is ready for one-shot bufferization.

    Integer division by zero (and INT_MIN / -1) yields 0 instead of trapping;
    gather indices outside the table are clamped into it, so no index can read
    outside a buffer.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect",
    "::mlir::scf::SCFDialect"
  ];
}

#endif // KILN_CODEGEN_PASSES_TD
