//===- Passes.td - Kiln's compiler passes ------------------*- tablegen -*-===//
#ifndef KILN_PASSES_TD
#define KILN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnAutodiff : Pass<"kiln-autodiff", "::mlir::ModuleOp"> {
  let summary = "Expand kiln.grad requests into forward and backward kiln ops";
  let description = [{
    Replaces every `kiln.grad` with the callee's body, inlined at the request
    (calls inside it are inlined too), followed by its reverse-mode adjoint:
    the output's cotangent is seeded (a 1 for a scalar loss, or the given
    `seed`), the ops are visited in reverse and each states its
    vector-Jacobian product through `VJPOpInterface`, and the cotangents of a
    value with several uses are summed with `kiln.add`. Forward values are
    computed once and reused by the adjoints. The results are the callee's
    results followed by one gradient per `wrt` input; an input that does not
    influence the output gets a zero constant.

    Only ops that lie on a path from a differentiated input to the output are
    differentiated, and only through float values. Such an op without the
    interface is an error (`kiln-autodiff: 'kiln.fusion' has no gradient`).
    The callee is left untouched for its other users; once it has none, a
    private callee can be removed by `symbol-dce`.

    Requests nested in callees (gradients of gradients) are expanded first,
    callees before callers, so that the adjoint of a backward graph is taken
    like any other. A function that differentiates or calls itself is an
    error.

    ```mlir
    func.func private @f(%x: tensor<3xf32>) -> tensor<f32> {
      %y = kiln.tanh %x : tensor<3xf32>
      %l = kiln.reduce_sum %y dims = [0] : tensor<3xf32>
      return %l : tensor<f32>
    }
    %l, %dx = kiln.grad @f(%x) wrt [0]
        : (tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>)
    // becomes tanh and reduce_sum, then dx = 1 - y * y from the same tanh
    ```
  }];
  let dependentDialects = ["::kiln::ir::KilnDialect"];
  let statistics = [
    Statistic<"numExpanded", "expanded", "kiln.grad ops expanded">,
    Statistic<"numAdjoints", "adjoints",
              "Ops whose vector-Jacobian product was emitted">
  ];
}

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
  let options = [
    Option<"keepRowOps", "keep-row-ops", "bool", /*default=*/"false",
           "Keep softmax, log_softmax and layer_norm whole, for a backend "
           "that computes each as one row kernel (CUDA)">
  ];
  let statistics = [
    Statistic<"numDecomposed", "decomposed", "Composite ops rewritten">
  ];
}

def KilnFuse : Pass<"kiln-fuse"> {
  let summary = "Group ops into kiln.fusion regions, one kernel each";
  let description = [{
    Classifies each op (elementwise, broadcast, injective, reduction,
    contraction, opaque) and grows groups along producer-consumer edges: an
    elementwise or broadcast producer joins its consumer's group when the
    consumer is elementwise or a reduction and the producer has no other
    user (so nothing is computed twice and the group has one result). A
    group of two or more ops becomes a `kiln.fusion` whose body the code
    generator turns into one loop nest; splat constants are cloned into the
    regions that use them. A group takes at most `max-inputs` inputs and
    holds at most `max-ops` ops: one loop body of thousands of ops (a loop
    that never syncs records such chains) would cost the code generator
    time that grows with its square, and save nothing measurable over a
    few kernels of a few hundred ops each.

    What does not fuse, and why: injective ops (transpose, reshape, slice,
    concat, pad) and contractions (matmul, conv2d) are kernels of their own,
    as are producers with several users and reductions feeding elementwise
    consumers. With `remarks`, every decision on a producer-consumer edge is
    reported as a remark on the consumer, with its reason.

    ```mlir
    %s = kiln.mul %x, %w : tensor<64xf32>
    %t = kiln.add %s, %b : tensor<64xf32>
    %r = kiln.relu %t : tensor<64xf32>
    // becomes
    %r = kiln.fusion ins(%x, %w, %b : ...) -> tensor<64xf32> {
    ^bb0(%a: tensor<64xf32>, %c: tensor<64xf32>, %d: tensor<64xf32>):
      ...mul, add, relu...
      kiln.yield %r2 : tensor<64xf32>
    }
    ```
  }];
  let options = [
    Option<"maxInputs", "max-inputs", "unsigned", /*default=*/"16",
           "Most inputs one fusion region may take">,
    Option<"maxOps", "max-ops", "unsigned", /*default=*/"64",
           "Most ops one fusion region may hold">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Report each fusion decision and its reason as a remark">
  ];
  let dependentDialects = ["::kiln::ir::KilnDialect"];
  let statistics = [
    Statistic<"numFusions", "fusions", "kiln.fusion regions formed">,
    Statistic<"numFused", "fused-ops", "Ops moved into fusion regions">
  ];
}

#endif // KILN_PASSES_TD
