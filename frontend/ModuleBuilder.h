//===- ModuleBuilder.h - Recorded nodes to a kiln module --------*- C++ -*-===//
//
// Internal to the frontend. Builds the kiln module of a plan, as the Toy
// tutorial's MLIRGen builds one from its AST: realize() compiles it, and
// export_model writes it out.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_MODULEBUILDER_H
#define KILN_FRONTEND_MODULEBUILDER_H

#include "kiln/frontend/Plan.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <functional>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace kiln::detail {

/// Builds kiln modules in one MLIRContext (which it loads the kiln and func
/// dialects into).
class ModuleBuilder {
public:
  explicit ModuleBuilder(mlir::MLIRContext &context);

  /// `func.func @<name>` computing `plan.outputs` from `plan.leaves` (its
  /// arguments, in order) through `plan.nodes`, each op located at the
  /// user's source line; the donatable leaves are marked on the function.
  /// kiln.grad nodes also get their forward functions, private to the
  /// module.
  mlir::OwningOpRef<mlir::ModuleOp> build(const Plan &plan,
                                          llvm::StringRef name = "main");

  mlir::RankedTensorType tensorType(std::span<const int64_t> shape,
                                    ScalarType dtype);

private:
  using ValueOf =
      std::function<mlir::Value(const std::shared_ptr<TensorImpl> &)>;

  mlir::Type elementType(ScalarType dtype);
  mlir::Attribute attribute(const AttrValue &value, const ResultType &result);
  /// Emits `node` at `b` with operands from `valueOf`.
  mlir::Operation *emitNode(mlir::OpBuilder &b, mlir::ModuleOp module,
                            const Node &node, const ValueOf &valueOf);
  /// The private function computing `fn`'s output from its arguments.
  mlir::func::FuncOp emitGradFunction(mlir::ModuleOp module,
                                      const GradFunction &fn);
  /// The private function computing a custom function's gradients from
  /// the cotangents and saved values.
  mlir::func::FuncOp emitCustomBackward(mlir::ModuleOp module,
                                        const CustomFunction &fn);

  mlir::MLIRContext &context_;
  int functionCount_ = 0;
};

/// A thread's MLIR state for realize: its own context (programs compile one
/// at a time per thread) and a builder in it.
struct Trace::Compiler {
  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
  ModuleBuilder builder{context};
};

} // namespace kiln::detail

#endif // KILN_FRONTEND_MODULEBUILDER_H
