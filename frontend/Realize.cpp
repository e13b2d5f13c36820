//===- Realize.cpp - Plans to compiled, cached programs, and running them -===//
//
// realize() cuts the pending part of a thread's trace into a plan (Plan.cpp),
// looks its key up in the program cache, compiles the plan's module
// (ModuleBuilder.cpp) on a miss, and runs the program on the plan's buffers.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cuda/CudaProgram.h"
#include "kiln/frontend/ModuleBuilder.h"
#include "kiln/frontend/Plan.h"
#include "kiln/frontend/Stats.h"
#include "kiln/runtime/AtomicFile.h"
#include "kiln/runtime/Environment.h"
#include "kiln/runtime/Error.h"
#include "kiln/runtime/HostMemory.h"
#include "kiln/runtime/Parallel.h"
#include "kiln/runtime/System.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <list>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace kiln::detail {

/// A compiled plan.
struct Program {
  std::unique_ptr<codegen::Program> function;
};

/// Compiled programs by plan key, shared by all threads, the least
/// recently used evicted beyond a limit (set_program_cache_limit). The
/// cache itself is never destroyed: JIT code must outlive every static
/// destructor that could still run it. An evicted program lives on while a
/// thread still holds it (its last program, or one it is running).
struct ProgramCache {
  struct Entry {
    std::shared_ptr<Program> program;
    std::list<const PlanKey *>::iterator recency;
  };
  std::mutex mutex;
  std::unordered_map<PlanKey, Entry, PlanKeyHash> programs;
  /// Keys of `programs`, the most recently used first.
  std::list<const PlanKey *> recency;
  size_t limit = 1024;
  uint64_t evictions = 0;

  /// The program for `key`, now the most recently used; null if none.
  /// Call with `mutex` held.
  std::shared_ptr<Program> find(const PlanKey &key) {
    auto it = programs.find(key);
    if (it == programs.end())
      return nullptr;
    recency.splice(recency.begin(), recency, it->second.recency);
    return it->second.program;
  }

  /// Adds `program` for `key` unless another thread did first, evicting
  /// beyond the limit; returns the cached one. Call with `mutex` held.
  std::shared_ptr<Program> insert(const PlanKey &key,
                                  std::shared_ptr<Program> program) {
    auto [it, added] = programs.try_emplace(key, Entry{std::move(program), {}});
    if (!added)
      return find(key);
    it->second.recency = recency.insert(recency.begin(), &it->first);
    std::shared_ptr<Program> result = it->second.program;
    evictBeyondLimit();
    return result;
  }

  void evictBeyondLimit() {
    while (programs.size() > limit) {
      auto victim = programs.find(*recency.back());
      recency.pop_back();
      programs.erase(victim);
      ++evictions;
    }
  }
};
ProgramCache &programCache() {
  static auto *cache = new ProgramCache;
  return *cache;
}

namespace {

std::mutex countersMutex;

/// With KILN_DUMP=DIR, writes each program about to be compiled to
/// DIR/program-N.mlir (with the user's source lines), for `kiln dump` and
/// `kiln plan`. A folder that cannot be written is reported once.
void dumpProgram(mlir::ModuleOp module) {
  std::string dir = runtime::envPath("KILN_DUMP");
  if (dir.empty())
    return;
  static std::atomic<int> programs{0};
  std::string path = dir + "/program-" + std::to_string(++programs) + ".mlir";
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os, mlir::OpPrintingFlags().enableDebugInfo(
                       /*enable=*/true, /*prettyForm=*/false));
  try {
    std::filesystem::create_directories(dir);
    runtime::writeFileAtomically(path, "KILN_DUMP",
                                 [&](std::ostream &out) { out << text; });
  } catch (const std::exception &e) {
    static std::once_flag warned;
    std::call_once(
        warned, [&] { std::cerr << "kiln: KILN_DUMP: " << e.what() << "\n"; });
  }
}

/// Lists `program`'s kernels: each one's op, source line, and registers and
/// spills per architecture (KILN_LOG=cuda).
void logCudaKernels(const codegen::cuda::CudaProgram &program) {
  std::ostringstream out;
  for (const codegen::cuda::KernelLaunch &launch : program.spec().launches) {
    out << "kiln: cuda kernel " << launch.name << " (" << launch.op;
    if (!launch.location.empty())
      out << " at " << launch.location;
    out << ")";
    for (const auto &[arch, kernels] : program.resources())
      for (const codegen::cuda::KernelResources &k : kernels)
        if (k.name == launch.name)
          out << ", " << arch << ": " << k.registers << " registers, "
              << k.spillStores << " bytes spilled";
    out << "\n";
  }
  std::cerr << out.str();
}

/// Compiles `plan` in `compiler`'s context.
std::shared_ptr<Program> compile(Trace::Compiler &compiler, const Plan &plan) {
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(
      &compiler.context, [&](mlir::Diagnostic &d) {
        llvm::raw_string_ostream os(diagnostics);
        os << d.getLocation() << ": " << d << "\n";
        return mlir::success();
      });
  auto module = compiler.builder.build(plan);
  if (mlir::failed(mlir::verify(*module)))
    throw Error("internal error: the recorded graph does not verify:\n" +
                diagnostics);
  if (runtime::envListHas("KILN_LOG", "ir"))
    module->print(llvm::errs());
  dumpProgram(*module);
  std::string error;
  auto program = std::make_shared<Program>();
  codegen::CodegenOptions options;
  options.deterministic = plan.deterministic;
  options.fuse = plan.fuse;
  options.epilogues = plan.epilogues;
  if (runtime::envSwitch("KILN_DISK_CACHE", true))
    options.cacheDirectory = runtime::cacheDirectory();
  // The CUDA backend's check compiles the same graph from a copy (the CPU's
  // compile consumes the module).
  static const bool checkCuda = runtime::envSwitch("KILN_CHECK_CUDA", false);
  mlir::OwningOpRef<mlir::ModuleOp> cudaCopy;
  if (checkCuda)
    cudaCopy = module->clone();
  std::unique_ptr<codegen::Program> compiled =
      codegen::JitFunction::compile(*module, "main", error, options);
  if (!compiled)
    throw Error("internal error: compiling the recorded graph failed: " +
                error + "\n" + diagnostics);
  if (checkCuda) {
    codegen::cuda::CudaOptions cudaOptions;
    cudaOptions.fuse = plan.fuse;
    cudaOptions.cacheDirectory = options.cacheDirectory;
    auto cuda =
        codegen::cuda::CudaProgram::compile(*cudaCopy, "main", cudaOptions);
    if (runtime::envListHas("KILN_LOG", "cuda"))
      logCudaKernels(*cuda);
    compiled =
        codegen::cuda::crossChecked(std::move(compiled), std::move(cuda));
  }
  program->function = std::move(compiled);
  const std::string &note = program->function->cacheNote();
  if (note.starts_with("the kernel cache")) {
    static std::once_flag warned;
    std::call_once(warned,
                   [&] { std::cerr << "kiln: warning: " << note << "\n"; });
  } else if (!note.empty() && runtime::envListHas("KILN_LOG", "compile")) {
    std::cerr << "kiln: ignored a disk cache entry: " << note << "\n";
  }
  return program;
}

/// Counts a compilation of `plan` into `program` that took `seconds`, and
/// reports it under KILN_LOG=compile.
void countCompile(const Plan &plan, const Program &program, double seconds) {
  const codegen::Program &fn = *program.function;
  {
    std::lock_guard c(countersMutex);
    ++counters().compiles;
    counters().compile_seconds += seconds;
    counters().last_compiled = {
        plan.nodes.size(), static_cast<uint64_t>(fn.kernels()), fn.arenaBytes(),
        fn.arenaLowerBound(), fn.naiveBytes()};
  }
  if (runtime::envListHas("KILN_LOG", "compile"))
    std::cerr << "kiln: "
              << (fn.fromDiskCache() ? "loaded from the disk cache"
                                     : "compiled")
              << " a program of " << plan.nodes.size() << " ops, "
              << plan.leaves.size() << " inputs, " << plan.outputs.size()
              << " outputs in " << seconds * 1e3 << " ms: " << fn.kernels()
              << " kernels, arena " << fn.arenaBytes() << " bytes (lower bound "
              << fn.arenaLowerBound() << ", apart " << fn.naiveBytes() << ")\n";
}

/// Runs `program` on `plan`'s leaves; its outputs become realized.
void run(const Program &program, Plan &plan) {
  llvm::SmallVector<void *, 8> inputs, outputData;
  for (TensorImpl *leaf : plan.leaves)
    inputs.push_back(leaf->storage->data);
  // A donated leaf's buffer becomes its output's: updated in place.
  llvm::SmallVector<std::shared_ptr<Storage>, 4> storages(plan.outputs.size());
  for (const auto &d : program.function->donations())
    storages[d.output] = plan.leaves[d.input]->storage;
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    if (!storages[i])
      storages[i] =
          Storage::allocate(plan.outputs[i]->type.bytes(), /*zero=*/false);
    outputData.push_back(storages[i]->data);
  }
  program.function->run(inputs, outputData);
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    plan.outputs[i]->storage = std::move(storages[i]);
    plan.outputs[i]->node.reset();
  }
}

} // namespace

Counters &counters() {
  static Counters counters;
  return counters;
}

void Trace::realize(std::span<TensorImpl *const> requested) {
  TraceLock lock(mutex_);
  realizeLocked(requested);
}

void Trace::realizeLocked(std::span<TensorImpl *const> requested) {
  size_t recorded = recordedSinceRealize_;
  recordedSinceRealize_ = 0;
  startRecording();
  // The scratch buffers are taken for the duration, in case something in
  // here realizes on this trace again.
  std::unique_ptr<Scratch> scratch = std::move(scratch_);
  if (!scratch)
    scratch = std::make_unique<Scratch>();
  Plan &plan = scratch->plan;
  auto giveBack = llvm::make_scope_exit([&] {
    plan.outputs.clear();
    scratch_ = std::move(scratch);
  });
  takeOutputs(requested, plan.outputs);
  if (plan.outputs.empty())
    return;

  makePlan(plan, scratch->planScratch, recorded);
  // Keeps a program that is not the last one alive while it runs.
  std::shared_ptr<Program> held;
  Program *program = nullptr;
  if (scratch->lastProgram && plan.key == scratch->lastKey) {
    program = scratch->lastProgram.get();
  } else {
    std::lock_guard cacheLock(programCache().mutex);
    held = programCache().find(plan.key);
    program = held.get();
  }
  bool hit = program != nullptr;
  if (!hit) {
    auto start = std::chrono::steady_clock::now();
    if (!compiler_)
      compiler_ = std::make_unique<Compiler>();
    std::shared_ptr<Program> compiled = compile(*compiler_, plan);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    {
      // Another thread may have compiled the same plan meanwhile: the
      // cache keeps the first.
      std::lock_guard cacheLock(programCache().mutex);
      held = programCache().insert(plan.key, std::move(compiled));
      program = held.get();
    }
    countCompile(plan, *program, seconds);
  }
  if (program != scratch->lastProgram.get()) {
    // The old key's buffer takes the next plan's key.
    std::swap(scratch->lastKey, plan.key);
    scratch->lastProgram = std::move(held);
  }
  run(*program, plan);
  // Computing the outputs freed the graph behind them: the intermediates'
  // entries go now, so that their memory is reused by the next recording
  // rather than after the next realize.
  std::erase_if(pending_, [](auto &entry) { return entry.weak.expired(); });
  std::lock_guard c(countersMutex);
  ++counters().realizes;
  if (hit)
    ++counters().cache_hits;
}

void Trace::takeOutputs(std::span<TensorImpl *const> requested,
                        std::vector<std::shared_ptr<TensorImpl>> &outputs) {
  outputs.clear();
  // The requested tensors (one, or the few results of an op in eager mode:
  // a linear search), and every pending one a handle refers to; the rest
  // are intermediates, referenced only by the graph.
  auto isRequested = [&](TensorImpl *impl) {
    return std::find(requested.begin(), requested.end(), impl) !=
           requested.end();
  };
  // The leftovers are compacted in place, which keeps the list's capacity
  // for the next recording.
  size_t kept = 0;
  bool alone = singleThreaded();
  for (size_t i = 0; i < pending_.size(); ++i) {
    // Alone, nobody can free the tensor meanwhile: a live one can be read
    // through its plain pointer, and most are not outputs.
    std::shared_ptr<TensorImpl> locked;
    TensorImpl *impl = nullptr;
    if (alone) {
      if (!pending_[i].weak.expired())
        impl = pending_[i].impl;
    } else {
      locked = pending_[i].weak.lock();
      impl = locked.get();
    }
    if (!impl || !impl->pending())
      continue;
    if ((impl->handles > 0 && !impl->symbolic) || isRequested(impl))
      outputs.push_back(locked ? std::move(locked) : impl->shared_from_this());
    else if (kept++ != i) // no handle yet: it may get one later
      pending_[kept - 1] = std::move(pending_[i]);
  }
  pending_.erase(pending_.begin() + kept, pending_.end());
  // A requested tensor this trace adopted from an ended thread is not in
  // its pending list.
  for (TensorImpl *impl : requested)
    if (impl->pending() &&
        std::none_of(outputs.begin(), outputs.end(),
                     [&](auto &out) { return out.get() == impl; }))
      outputs.push_back(impl->shared_from_this());
}

mlir::OwningOpRef<mlir::ModuleOp>
Trace::exportGraph(std::span<TensorImpl *const> outputs,
                   std::vector<TensorImpl *> &arguments,
                   mlir::MLIRContext &context) {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<TensorImpl>> pending;
  for (TensorImpl *out : outputs) {
    if (!out->pending() || out->node->trace != this)
      throw Error("internal error: exporting a tensor this trace does not "
                  "compute");
    pending.push_back(out->shared_from_this());
  }
  Plan plan;
  plan.outputs = pending;
  PlanScratch scratch;
  makePlan(plan, scratch);
  plan.donatable.clear(); // an export never overwrites its weights
  // The program's results in the caller's order (makePlan sorts them), its
  // arguments the given ones first, then whatever else the graph reads.
  plan.outputs = std::move(pending);
  std::unordered_set<TensorImpl *> given(arguments.begin(), arguments.end());
  for (TensorImpl *leaf : plan.leaves)
    if (given.insert(leaf).second)
      arguments.push_back(leaf);
  plan.leaves = arguments;
  auto module = ModuleBuilder(context).build(plan);
  if (mlir::failed(mlir::verify(*module)))
    throw Error("internal error: the traced graph does not verify");
  return module;
}

} // namespace kiln::detail

namespace kiln {

namespace {
uint64_t programCacheSize() {
  detail::ProgramCache &cache = detail::programCache();
  std::lock_guard lock(cache.mutex);
  return cache.programs.size();
}
uint64_t programCacheEvictions() {
  detail::ProgramCache &cache = detail::programCache();
  std::lock_guard lock(cache.mutex);
  return cache.evictions;
}
} // namespace

Stats stats() {
  std::lock_guard c(detail::countersMutex);
  const detail::Counters &c2 = detail::counters();
  return Stats{c2.realizes,
               c2.compiles,
               c2.cache_hits,
               c2.compile_seconds,
               runtime::sharedLoopCount() - c2.parallel_loops_before,
               c2.last_compiled,
               uint64_t(runtime::hostMemoryStats().systemAllocations -
                        c2.buffer_allocations_before),
               programCacheSize(),
               programCacheEvictions() - c2.program_evictions_before};
}

void set_program_cache_limit(size_t programs) {
  detail::ProgramCache &cache = detail::programCache();
  std::lock_guard lock(cache.mutex);
  cache.limit = programs;
  cache.evictBeyondLimit();
}

void empty_cache() { runtime::emptyHostCache(); }

void set_buffer_cache_limit(size_t bytes) { runtime::setHostCacheLimit(bytes); }

void reset_stats() {
  std::lock_guard c(detail::countersMutex);
  detail::counters() = {};
  detail::counters().parallel_loops_before = runtime::sharedLoopCount();
  detail::counters().buffer_allocations_before =
      runtime::hostMemoryStats().systemAllocations;
  detail::counters().program_evictions_before = programCacheEvictions();
}

void sync() { detail::Trace::current().realize({}); }

void sync(std::span<const Tensor> tensors) {
  detail::Trace &trace = detail::Trace::current();
  std::vector<detail::TensorImpl *> own;
  for (const Tensor &t : tensors) {
    if (!t.defined() || !t.impl()->pending())
      continue;
    // Whose trace holds it is settled under the ownership lock, which
    // realizeForeign takes: one of this thread's is realized below.
    detail::TensorImpl &impl = *t.impl();
    bool mine;
    {
      std::lock_guard lock(detail::ownershipMutex());
      mine = impl.pending() && impl.node->trace == &trace;
    }
    if (mine)
      own.push_back(&impl);
    else
      detail::realize(impl);
  }
  trace.realize(own);
}

} // namespace kiln
