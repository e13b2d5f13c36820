//===- Pipeline.cpp - kiln → linalg → LLVM dialect, stage by stage --------===//
//
// The one file that includes the heavy conversion and bufferization headers.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/Pipeline.h"
#include "kiln/codegen/Passes.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/passes/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

#include <string>

using namespace mlir;

namespace kiln::codegen {

namespace {

/// Copies between buffers as linalg.copy, which lowers to loops (memref.copy
/// of a strided view would call into a runtime library).
LogicalResult linalgCopy(OpBuilder &b, Location loc, Value from, Value to) {
  b.create<linalg::CopyOp>(loc, from, to);
  return success();
}

void addAutodiff(OpPassManager &pm, const CodegenOptions &) {
  kiln::addAutodiffStage(pm);
}

void addDecomposed(OpPassManager &pm, const CodegenOptions &) {
  kiln::addDecomposeStage(pm);
}

void addFused(OpPassManager &pm, const CodegenOptions &options) {
  kiln::addFuseStage(pm, options.fuse);
}

void addLowered(OpPassManager &pm, const CodegenOptions &options) {
  pm.addPass(kiln::createKilnToLinalg());
  // Producer-consumer fusion of the loops inside each fusion region (they
  // are isolated from above), so that each region becomes one loop nest.
  if (options.fuse)
    pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(kiln::createKilnInlineFusions());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(kiln::createKilnFoldSplatInputs());
  pm.addPass(kiln::createKilnFillSplatConstants());
}

void addPlanned(OpPassManager &pm, const CodegenOptions &options) {
  pm.addPass(kiln::createKilnCopyReturnedArguments());
  // Results become out-parameters after the inputs: kiln-plan-memory's
  // donations count them from here.
  pm.addPass(kiln::createKilnCountInputs());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  bufferization.memCpyFn = linalgCopy;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  bufferization::BufferResultsToOutParamsOpts outParams;
  outParams.hoistStaticAllocs = true;
  outParams.memCpyFn = linalgCopy;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  // Library calls before the memory plan: a call that absorbed its
  // epilogue reads its operands and writes its output in one step, and the
  // plan counts it as one kernel.
  if (!options.deterministic && options.runtimeCalls) {
    kiln::KilnLibraryCallsOptions calls;
    calls.fuseEpilogues = options.fuse && options.epilogues;
    pm.addPass(kiln::createKilnLibraryCalls(calls));
  }
  // Temporaries become views of one caller-provided arena.
  pm.addPass(kiln::createKilnPlanMemory());
}

void addLLVM(OpPassManager &pm, const CodegenOptions &options) {
  pm.addPass(kiln::createKilnOutlineKernels());
  pm.addPass(kiln::createKilnBarePointers());
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);
  pm.addNestedPass<func::FuncOp>(kiln::createKilnContractionLoops());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  if (options.runtimeCalls)
    pm.addPass(kiln::createKilnParallelize());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  // LLVM intrinsics first (its log1p is log(1 + x), inexact for small x, so
  // that one is left to libm), then libm for the rest (erf, tanh, log1p).
  ConvertMathToLLVMPassOptions mathToLLVM;
  mathToLLVM.approximateLog1p = false;
  pm.addPass(createConvertMathToLLVMPass(mathToLLVM));
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void addNothing(OpPassManager &, const CodegenOptions &) {}

const StageInfo kStages[] = {
    {Stage::Traced, "traced", "as read, the default", addNothing},
    {Stage::Autodiff, "autodiff", "kiln.grad expanded", addAutodiff},
    {Stage::Decomposed, "decomposed", "composite ops rewritten", addDecomposed},
    {Stage::Fused, "fused", "ops grouped into kiln.fusion regions", addFused},
    {Stage::Lowered, "lowered", "linalg on tensors", addLowered},
    {Stage::Planned, "planned",
     "bufferized, contractions as oneDNN calls, temporaries in one arena",
     addPlanned},
    {Stage::LLVM, "llvm", "the LLVM dialect the JIT compiles", addLLVM},
};

/// kiln-cpu-pipeline's options: kiln dump's flags.
struct CpuPipelineOptions : PassPipelineOptions<CpuPipelineOptions> {
  Option<std::string> stage{*this, "stage",
                            llvm::cl::desc("The last stage to run"),
                            llvm::cl::init("llvm")};
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("Group ops into kiln.fusion regions"),
                    llvm::cl::init(true)};
  Option<bool> postOps{
      *this, "post-ops",
      llvm::cl::desc("A contraction's call also applies its epilogue"),
      llvm::cl::init(true)};
  Option<bool> libraryCalls{*this, "library-calls",
                            llvm::cl::desc("Call oneDNN and kiln_parallel_for"),
                            llvm::cl::init(true)};
  Option<bool> deterministic{*this, "deterministic",
                             llvm::cl::desc("Kiln's own loops for f32 matmuls"),
                             llvm::cl::init(false)};
};

} // namespace

llvm::ArrayRef<StageInfo> pipelineStages() { return kStages; }

const StageInfo *findStage(llvm::StringRef name) {
  for (const StageInfo &info : kStages)
    if (name == info.name)
      return &info;
  return nullptr;
}

std::string stageNames() {
  std::string names;
  for (const StageInfo &info : kStages)
    names += (names.empty() ? "" : ", ") + std::string(info.name);
  return names;
}

void buildPipeline(OpPassManager &pm, Stage stage,
                   const CodegenOptions &options) {
  for (const StageInfo &info : kStages) {
    info.addPasses(pm, options);
    if (info.stage == stage)
      return;
  }
}

void registerDialects(DialectRegistry &registry) {
  registry.insert<kiln::ir::KilnDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, linalg::LinalgDialect, LLVM::LLVMDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

void registerCpuPipeline() {
  PassPipelineRegistration<CpuPipelineOptions>(
      "kiln-cpu-pipeline",
      "The whole CPU pipeline from traced kiln IR up to `stage` (traced, "
      "autodiff, decomposed, fused, lowered, planned or llvm), as `kiln "
      "dump --stage` runs it",
      [](OpPassManager &pm, const CpuPipelineOptions &o) {
        CodegenOptions options;
        options.fuse = o.fuse;
        options.epilogues = o.postOps;
        options.runtimeCalls = o.libraryCalls;
        options.deterministic = o.deterministic;
        const StageInfo *stage = findStage(o.stage);
        // An unknown stage runs the whole pipeline; kiln dump refuses it.
        buildPipeline(pm, stage ? stage->stage : Stage::LLVM, options);
      });
}

LogicalResult lowerTo(ModuleOp module, Stage stage,
                      const CodegenOptions &options) {
  MLIRContext *context = module.getContext();
  DialectRegistry registry;
  registerDialects(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();
  PassManager pm(context);
  buildPipeline(pm, stage, options);
  return pm.run(module);
}

LogicalResult lowerToLLVMDialect(ModuleOp module,
                                 const CodegenOptions &options) {
  return lowerTo(module, Stage::LLVM, options);
}

} // namespace kiln::codegen
