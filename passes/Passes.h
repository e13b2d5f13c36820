//===- Passes.h - Kiln's compiler passes ------------------------*- C++ -*-===//
#ifndef KILN_PASSES_PASSES_H
#define KILN_PASSES_PASSES_H

#include "kiln/ir/KilnDialect.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

#include <memory>

namespace kiln {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

/// Registers every Kiln pass with the global pass registry.
#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

// The kiln-level half of the compiler, before any backend: each adds the
// passes that take the previous stage's IR to its own (see
// codegen/cpu/Pipeline.h for the stages that follow on the CPU).

/// kiln.grad requests expanded into backward ops (then the private forward
/// functions dropped, and common subexpressions merged: the forward a
/// program also returns is otherwise computed twice).
void addAutodiffStage(mlir::OpPassManager &pm);
/// Composite ops rewritten into primitive kiln ops, then canonicalized;
/// `keepRowOps` keeps softmax, log_softmax and layer_norm whole (a backend
/// with row kernels for them).
void addDecomposeStage(mlir::OpPassManager &pm, bool keepRowOps = false);
/// Ops grouped into kiln.fusion regions (nothing without `fuse`).
void addFuseStage(mlir::OpPassManager &pm, bool fuse);

struct KilnPipelineOptions : mlir::PassPipelineOptions<KilnPipelineOptions> {
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("Group ops into kiln.fusion regions"),
                    llvm::cl::init(true)};
};

/// The three kiln-level stages in order: what any backend starts from.
void buildKilnPipeline(mlir::OpPassManager &pm,
                       const KilnPipelineOptions &options);

/// Registers `kiln-pipeline` (buildKilnPipeline) for kiln-opt.
void registerKilnPipeline();

} // namespace kiln

#endif // KILN_PASSES_PASSES_H
