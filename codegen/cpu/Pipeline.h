//===- Pipeline.h - The compiler's stages, in one table ---------*- C++ -*-===//
//
// The whole pipeline, from traced kiln IR to the LLVM dialect, as a table
// of named stages: each adds the passes that take the previous stage's IR
// to its own. lowerTo(), `kiln dump --stage` and kiln-opt's
// `-kiln-cpu-pipeline` all read it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CPU_PIPELINE_H
#define KILN_CODEGEN_CPU_PIPELINE_H

#include "kiln/codegen/cpu/Jit.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class DialectRegistry;
class OpPassManager;
} // namespace mlir

namespace kiln::codegen {

/// One stage of the pipeline.
struct StageInfo {
  Stage stage;
  const char *name;        ///< as `kiln dump --stage=` names it
  const char *description; ///< what the IR is after it
  /// Adds the passes that take the previous stage's IR to this one.
  void (*addPasses)(mlir::OpPassManager &pm, const CodegenOptions &options);
};

/// Every stage, in pipeline order (the first, traced, adds no pass).
llvm::ArrayRef<StageInfo> pipelineStages();

/// The stage called `name`; null if none is.
const StageInfo *findStage(llvm::StringRef name);

/// The stages' names, in order, joined by ", ".
std::string stageNames();

/// Adds the passes of every stage up to `stage`, in order, to `pm`.
void buildPipeline(mlir::OpPassManager &pm, Stage stage,
                   const CodegenOptions &options);

/// Every dialect and external interface the pipeline needs.
void registerDialects(mlir::DialectRegistry &registry);

/// Registers `kiln-cpu-pipeline` (buildPipeline, its options as kiln dump's
/// flags) for kiln-opt.
void registerCpuPipeline();

} // namespace kiln::codegen

#endif // KILN_CODEGEN_CPU_PIPELINE_H
