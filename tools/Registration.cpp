//===- Registration.cpp - Dialects and passes the Kiln tools know ---------===//
#include "kiln/tools/Registration.h"
#include "kiln/codegen/Passes.h"
#include "kiln/codegen/cpu/Pipeline.h"
#include "kiln/passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void kiln::registerKilnDialects(mlir::DialectRegistry &registry) {
  codegen::registerDialects(registry);
}

void kiln::registerAllPasses() {
  kiln::registerKilnPasses();
  kiln::registerKilnCodegenPasses();
  // The pipelines: the kiln-level stages, and the whole CPU pipeline.
  kiln::registerKilnPipeline();
  codegen::registerCpuPipeline();
  // Upstream cleanups (canonicalize, cse, inline, symbol-dce, ...), and the
  // linalg, bufferization, memref and conversion passes of the CPU pipeline.
  mlir::registerTransformsPasses();
  mlir::registerConversionPasses();
  mlir::registerLinalgPasses();
  mlir::bufferization::registerBufferizationPasses();
  mlir::memref::registerMemRefPasses();
}
