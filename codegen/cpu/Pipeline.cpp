//===- Pipeline.cpp - kiln → linalg → LLVM dialect, and the JIT -----------===//
//
// The one file that includes the heavy conversion and bufferization headers.
//
//===----------------------------------------------------------------------===//
#include "mlir/Pass/Pass.h"

#include "kiln/codegen/Passes.h"
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cpu/Object.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/KilnOps.h"
#include "kiln/passes/Passes.h"
#include "kiln/runtime/Error.h"

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
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

using namespace mlir;

namespace kiln::codegen {

namespace {

/// Copies between buffers as linalg.copy, which lowers to loops (memref.copy
/// of a strided view would call into a runtime library).
LogicalResult linalgCopy(OpBuilder &b, Location loc, Value from, Value to) {
  b.create<linalg::CopyOp>(loc, from, to);
  return success();
}

/// Registers what the lowering needs on `module`'s context (once per context).
void prepareContext(MLIRContext *context) {
  DialectRegistry registry;
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
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();
}

/// Makes every returned value a distinct value computed by the function.
/// Results become caller-provided out-parameters, and MLIR 19's
/// buffer-results-to-out-params crashes on a result that is an argument
/// (x * 1 folds to x; the gradient of x * y with respect to y is x) or that
/// is returned twice (two handles on tensors that fold to one value): such
/// results are returned as copies.
void copyReturnedArguments(ModuleOp module) {
  module.walk([](func::ReturnOp ret) {
    OpBuilder b(ret);
    llvm::SmallPtrSet<Value, 8> returned;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value value = operand.get();
      if (!isa<BlockArgument>(value) && returned.insert(value).second)
        continue;
      auto type = cast<RankedTensorType>(value.getType());
      Value empty = b.create<tensor::EmptyOp>(ret.getLoc(), type.getShape(),
                                              type.getElementType());
      operand.set(
          b.create<linalg::CopyOp>(ret.getLoc(), value, empty).getResult(0));
    }
  });
}

/// A loop that reads a splat constant reads its scalar instead, as the
/// fused loops do (elementwise fusion folds them the same way): with fusion
/// off, `x + 1` is still one loop reading one array.
void foldSplatInputs(ModuleOp module) {
  module.walk([](linalg::GenericOp generic) {
    Block &body = generic.getRegion().front();
    for (int i = generic.getNumDpsInputs() - 1; i >= 0; --i) {
      auto constant = generic.getInputs()[i].getDefiningOp<arith::ConstantOp>();
      auto value = constant ? dyn_cast<SplatElementsAttr>(constant.getValue())
                            : SplatElementsAttr();
      if (!value)
        continue;
      // The other operands must still give every loop its bounds (not so
      // for the sum of a constant, say).
      SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
      maps.erase(maps.begin() + i);
      if (!inversePermutation(concatAffineMaps(maps)))
        continue;
      OpBuilder b(generic);
      Value scalar = b.create<arith::ConstantOp>(
          constant.getLoc(), value.getSplatValue<TypedAttr>());
      body.getArgument(i).replaceAllUsesWith(scalar);
      body.eraseArgument(i);
      generic.setIndexingMapsAttr(b.getAffineMapArrayAttr(maps));
      generic.getInputsMutable().erase(i);
    }
  });
}

/// Splat tensor constants still used as tensors (by a library call or as a
/// result) become a fill of a new tensor. Bufferized as they are, each
/// would be a constant global of its full size in the program, and MLIR 19
/// writes a global of negative zeros as zero bits (its LLVM translation
/// tests a splat with isZeroValue(), which holds for -0.0 too).
void fillSplatConstants(ModuleOp module) {
  module.walk([](arith::ConstantOp op) {
    if (op->use_empty()) {
      op.erase();
      return;
    }
    auto type = dyn_cast<RankedTensorType>(op.getType());
    auto value = dyn_cast<SplatElementsAttr>(op.getValue());
    if (!type || !value)
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value scalar =
        b.create<arith::ConstantOp>(loc, value.getSplatValue<TypedAttr>());
    Value empty =
        b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
    op.replaceAllUsesWith(
        b.create<linalg::FillOp>(loc, scalar, empty).getResult(0));
    op.erase();
  });
}

/// Replaces each kiln.fusion by its body (lowered by now): the loops it
/// fused stay one loop nest.
void inlineFusions(ModuleOp module) {
  SmallVector<kiln::ir::FusionOp> fusions;
  module.walk([&](kiln::ir::FusionOp fusion) { fusions.push_back(fusion); });
  for (kiln::ir::FusionOp fusion : fusions) {
    Block &body = fusion.getBody().front();
    auto yield = cast<kiln::ir::YieldOp>(body.getTerminator());
    for (auto [argument, input] :
         llvm::zip(body.getArguments(), fusion.getInputs()))
      argument.replaceAllUsesWith(input);
    fusion->replaceAllUsesWith(yield.getValues());
    yield->erase();
    fusion->getBlock()->getOperations().splice(fusion->getIterator(),
                                               body.getOperations());
    fusion->erase();
  }
}

} // namespace

LogicalResult lowerToLLVMDialect(ModuleOp module,
                                 const CodegenOptions &options) {
  return lowerTo(module, Stage::LLVM, options);
}

LogicalResult lowerTo(ModuleOp module, Stage stage,
                      const CodegenOptions &options) {
  MLIRContext *context = module.getContext();
  prepareContext(context);
  // Every buffer a function takes is one pointer: its shape is in its type.
  // (A memref descriptor is five or more words: a program with a thousand
  // outputs would take thousands of arguments, and LLVM's interprocedural
  // passes grow with the square of a call's arguments.)
  if (stage == Stage::LLVM)
    for (auto fn : module.getOps<func::FuncOp>())
      if (!fn.isDeclaration() && !kiln::takeBarePointers(fn))
        return fn.emitError("@")
               << fn.getName() << " takes a buffer whose shape is not static: "
               << fn.getFunctionType();

  PassManager pm(context);
  // Gradient requests become ordinary ops first; the private functions they
  // differentiated are then unused and go.
  pm.addPass(kiln::createKilnAutodiff());
  pm.addPass(createSymbolDCEPass());
  // A gradient request differentiates a copy of the forward computation: the
  // forward the program also returns (the loss) is then computed twice
  // unless common subexpressions merge.
  pm.addPass(createCSEPass());
  if (stage == Stage::Autodiff)
    return pm.run(module);
  pm.addPass(kiln::createKilnDecompose());
  pm.addPass(createCanonicalizerPass());
  if (stage == Stage::Decomposed)
    return pm.run(module);
  if (options.fuse)
    pm.addPass(kiln::createKilnFuse());
  if (stage == Stage::Fused)
    return pm.run(module);
  pm.addPass(kiln::createKilnToLinalg());
  // Producer-consumer fusion of the loops inside each fusion region (they
  // are isolated from above), so that each region becomes one loop nest.
  if (options.fuse)
    pm.addPass(createLinalgElementwiseOpFusionPass());
  if (failed(pm.run(module)))
    return failure();
  inlineFusions(module);
  pm.clear();
  pm.addPass(createCanonicalizerPass());
  if (failed(pm.run(module)))
    return failure();
  foldSplatInputs(module);
  fillSplatConstants(module);
  if (stage == Stage::Lowered)
    return success();
  copyReturnedArguments(module);
  // Results become out-parameters after the inputs: kiln-plan-memory's
  // donations count them from here.
  for (auto fn : module.getOps<func::FuncOp>())
    if (fn->hasAttr("kiln.donatable"))
      fn->setAttr("kiln.num_inputs",
                  IntegerAttr::get(IntegerType::get(context, 64),
                                   fn.getNumArguments()));

  pm.clear();
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
  if (stage == Stage::Planned)
    return pm.run(module);
  pm.addPass(kiln::createKilnOutlineKernels());
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
  return pm.run(module);
}

JitFunction::~JitFunction() {
  for (void *arena : freeArenas_)
    std::free(arena);
}

void *JitFunction::takeArena() const {
  {
    std::lock_guard lock(arenaMutex_);
    if (!freeArenas_.empty()) {
      void *arena = freeArenas_.back();
      freeArenas_.pop_back();
      return arena;
    }
  }
  // Offsets are multiples of 64: so is the arena's address.
  size_t bytes = (static_cast<size_t>(arenaBytes_) + 63) / 64 * 64;
  void *arena = std::aligned_alloc(64, std::max<size_t>(bytes, 64));
  if (!arena)
    throw kiln::Error("out of memory allocating the " + std::to_string(bytes) +
                      " bytes of a program's temporaries");
  return arena;
}

void JitFunction::returnArena(void *arena) const {
  std::lock_guard lock(arenaMutex_);
  freeArenas_.push_back(arena);
}

std::unique_ptr<JitFunction>
JitFunction::compile(ModuleOp module, llvm::StringRef name, std::string &error,
                     const CodegenOptions &options) {
  auto fn = module.lookupSymbol<func::FuncOp>(name);
  if (!fn) {
    error = "no function @" + name.str() + " to compile";
    return nullptr;
  }
  std::unique_ptr<JitFunction> jit(new JitFunction);
  jit->numInputs_ = fn.getNumArguments();
  llvm::SmallVector<size_t> argumentBytes;
  for (Type type : fn.getArgumentTypes()) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    size_t width = tensor && tensor.getElementType().isIntOrFloat()
                       ? (tensor.getElementTypeBitWidth() + 7) / 8
                       : 0;
    argumentBytes.push_back(tensor && tensor.hasStaticShape()
                                ? tensor.getNumElements() * width
                                : 0);
  }
  for (Type type :
       llvm::concat<const Type>(fn.getArgumentTypes(), fn.getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape()) {
      error = "@" + name.str() + " must take and return static tensors";
      return nullptr;
    }
    jit->shapes_.emplace_back(tensor.getShape());
  }

  // The disk cache's key: the compiler, the options and the module as given
  // (which determine the lowered module), so a hit skips the compiler.
  DiskCache cache(options.cacheDirectory, &jit->cacheNote_);
  std::string key;
  if (cache.enabled()) {
    llvm::raw_string_ostream os(key);
    os << compilerIdentity() << "\nfunction " << name << " deterministic "
       << options.deterministic << " fuse " << options.fuse << " runtime calls "
       << options.runtimeCalls << " epilogues " << options.epilogues << "\n";
    module.print(os);
  }
  std::optional<CachedProgram> program = cache.load(key, &jit->cacheNote_);
  jit->fromDiskCache_ = program.has_value();
  if (!program) {
    if (failed(lowerToLLVMDialect(module, options))) {
      error = "lowering @" + name.str() + " to LLVM failed";
      return nullptr;
    }
    program.emplace();
    auto lowered = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
    auto planned = [&](llvm::StringRef attr, int64_t &value) {
      auto integer =
          lowered ? lowered->getAttrOfType<IntegerAttr>(attr) : IntegerAttr();
      if (integer)
        value = integer.getInt();
      return bool(integer);
    };
    if (!planned("kiln.arena_bytes", program->arenaBytes) ||
        !planned("kiln.arena_lower_bound", program->arenaLowerBound) ||
        !planned("kiln.arena_naive_bytes", program->naiveBytes) ||
        !planned("kiln.kernels", program->kernels)) {
      error = "@" + name.str() + " has no memory plan";
      return nullptr;
    }
    if (auto donations =
            lowered->getAttrOfType<DenseI64ArrayAttr>("kiln.donations"))
      program->donations.assign(donations.asArrayRef().begin(),
                                donations.asArrayRef().end());
    std::optional<std::string> object = emitObject(module, name, error);
    if (!object)
      return nullptr;
    program->object = std::move(*object);
    cache.store(key, *program);
  }
  jit->arenaBytes_ = program->arenaBytes;
  jit->arenaLowerBound_ = program->arenaLowerBound;
  jit->naiveBytes_ = program->naiveBytes;
  jit->kernels_ = program->kernels;
  for (size_t i = 0; i + 1 < program->donations.size(); i += 2) {
    int64_t input = program->donations[i], output = program->donations[i + 1];
    if (input < 0 || size_t(input) >= jit->numInputs_ || output < 0 ||
        size_t(output) >= jit->numOutputs()) {
      error = "@" + name.str() + " donates a buffer it does not have";
      return nullptr;
    }
    jit->donations_.push_back(
        {size_t(input), size_t(output), argumentBytes[input]});
  }
  jit->jit_ = loadObject(program->object, error);
  if (!jit->jit_)
    return nullptr;
  auto entry = jit->jit_->lookup(("_kiln_packed_" + name).str());
  if (!entry) {
    error = llvm::toString(entry.takeError());
    return nullptr;
  }
  jit->entry_ = entry->toPtr<void (*)(void **)>();
  return jit;
}

// Generated code has no type signature before its entry points, which
// UndefinedBehaviorSanitizer's -fsanitize=function reads before an
// indirect call (past the start of the JIT's memory, for the first one).
__attribute__((no_sanitize("function"))) void
JitFunction::run(llvm::ArrayRef<void *> inputs,
                 llvm::ArrayRef<void *> outputs) const {
  // One data pointer per buffer, then the arena's.
  size_t count = shapes_.size();
  llvm::SmallVector<void *, 16> packed(count + 1);
  for (size_t i = 0; i < count; ++i)
    packed[i] = i < numInputs_ ? inputs[i] : outputs[i - numInputs_];
  // The function reads a donated input from its output's buffer.
  for (const Donation &d : donations_)
    if (inputs[d.input] != outputs[d.output])
      std::memcpy(outputs[d.output], inputs[d.input], d.bytes);
  void *arena = takeArena();
  packed[count] = arena;
  entry_(packed.data());
  returnArena(arena);
}

} // namespace kiln::codegen
