//===- Passes.td - Kiln's compiler passes ------------------*- tablegen -*-===//
#ifndef KILN_PASSES_TD
#define KILN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnDecompose : Pass<"kiln-decompose"> {
  let summary = "Rewrite composite ops into primitive kiln ops";
  let description = [{
    Composites (`kiln.softmax`, `kiln.log_softmax`, `kiln.layer_norm`,
    `kiln.batch_norm_training`, `kiln.batch_norm_inference`) stay whole
    through autodiff, where their adjoints are cheaper to state, and are
    rewritten here into reductions, broadcasts and elementwise ops that
    fusion and codegen handle. The rewrites are numerically the usual stable
    forms: softmax subtracts the row maximum first, normalizations use the
    biased variance of the centred input.

    ```mlir
    %p = kiln.softmax %x dim = 1 : tensor<4x10xf32>
    // becomes reduce_max, broadcast_to, sub, exp, reduce_sum, div
    ```
  }];
  let dependentDialects = ["::kiln::ir::KilnDialect"];
  let statistics = [
    Statistic<"numDecomposed", "decomposed", "Composite ops rewritten">
  ];
}

#endif // KILN_PASSES_TD
