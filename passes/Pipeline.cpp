//===- Pipeline.cpp - The kiln-level stages of the compiler ---------------===//
#include "kiln/passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace kiln {

void addAutodiffStage(mlir::OpPassManager &pm) {
  // Gradient requests become ordinary ops first; the private functions they
  // differentiated are then unused and go.
  pm.addPass(createKilnAutodiff());
  pm.addPass(mlir::createSymbolDCEPass());
  // A gradient request differentiates a copy of the forward computation: the
  // forward the program also returns (the loss) is then computed twice
  // unless common subexpressions merge.
  pm.addPass(mlir::createCSEPass());
}

void addDecomposeStage(mlir::OpPassManager &pm, bool keepRowOps) {
  KilnDecomposeOptions options;
  options.keepRowOps = keepRowOps;
  pm.addPass(createKilnDecompose(options));
  pm.addPass(mlir::createCanonicalizerPass());
}

void addFuseStage(mlir::OpPassManager &pm, bool fuse) {
  if (fuse)
    pm.addPass(createKilnFuse());
}

void buildKilnPipeline(mlir::OpPassManager &pm,
                       const KilnPipelineOptions &options) {
  addAutodiffStage(pm);
  addDecomposeStage(pm);
  addFuseStage(pm, options.fuse);
}

void registerKilnPipeline() {
  mlir::PassPipelineRegistration<KilnPipelineOptions>(
      "kiln-pipeline",
      "The kiln-level stages any backend starts from: autodiff, decompose, "
      "fuse",
      buildKilnPipeline);
}

} // namespace kiln
