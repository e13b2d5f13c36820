//===- Jit.cpp - Compiled programs loaded into this process ---------------===//
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cpu/Object.h"
#include "kiln/ir/KilnDialect.h"
#include "kiln/runtime/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace mlir;

namespace kiln::codegen {

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
  jit->numOutputs_ = fn.getNumResults();

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
    std::optional<kiln::ir::MemoryPlanAttrs> plan =
        lowered ? kiln::ir::MemoryPlanAttrs::read(lowered) : std::nullopt;
    if (!plan) {
      error = "@" + name.str() + " has no memory plan";
      return nullptr;
    }
    program->arenaBytes = plan->arenaBytes;
    program->arenaLowerBound = plan->arenaLowerBound;
    program->naiveBytes = plan->naiveBytes;
    program->kernels = plan->kernels;
    if (plan->donations)
      program->donations.assign(plan->donations->begin(),
                                plan->donations->end());
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
