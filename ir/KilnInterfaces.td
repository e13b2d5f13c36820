//===- KilnInterfaces.td - Interfaces of kiln ops ----------*- tablegen -*-===//
#ifndef KILN_INTERFACES_TD
#define KILN_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Kiln_VJPOpInterface : OpInterface<"VJPOpInterface"> {
  let cppNamespace = "::kiln::ir";
  let description = [{
    An op that states its vector-Jacobian product (its adjoint) in `kiln`
    ops, which is how `kiln-autodiff` differentiates it. Because adjoints are
    ordinary kiln ops, a backward graph can itself be differentiated again
    (gradients of gradients).

    Every kiln op that computes something implements the interface. Ops that
    are piecewise constant or whose results are not floats (`constant`,
    `iota`, `rng_uniform`, `rng_normal`, `compare`, `sign`, `floor`, `not`,
    `and`, `or`, `argmax`, `argmin`) implement it too and return null
    cotangents: their derivative is zero wherever it exists, so nothing flows
    back through them. Operands that are not floats (indices, seeds, masks,
    integer tensors) always get a null cotangent. An op that does *not*
    implement the interface (`kiln.fusion`, ops of other dialects) has no
    gradient, and `kiln-autodiff` reports it when it lies on a path from a
    differentiated input to the differentiated output.
  }];
  let methods = [
    InterfaceMethod<[{
        Emits, with `b` (whose insertion point is after the op and all its
        uses in the forward computation), the cotangent of each operand given
        the cotangent of each result, and appends one value per operand to
        `operandCotangents`, of that operand's type. `resultCotangents` has
        one entry per result, each of its result's type or null where that
        result receives no cotangent (an unused result of a multi-result op);
        at least one is not null. A null entry in `operandCotangents` means a
        zero cotangent (or a non-differentiable operand). The op's own
        operands and results may be used: they are the forward values.
      }],
      "::llvm::LogicalResult", "emitVJP",
      (ins "::mlir::OpBuilder &":$b, "::mlir::ValueRange":$resultCotangents,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandCotangents)>
  ];
}

#endif // KILN_INTERFACES_TD
