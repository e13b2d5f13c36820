//===- Jit.h - Lower kiln modules to native code and run them ---*- C++ -*-===//
#ifndef KILN_CODEGEN_CPU_JIT_H
#define KILN_CODEGEN_CPU_JIT_H

#include "kiln/codegen/Program.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace kiln::codegen {

/// The stages of the lowering (codegen/cpu/Pipeline.h has their table).
enum class Stage {
  Traced,     ///< as recorded or read: no pass has run
  Autodiff,   ///< kiln.grad requests expanded into backward ops
  Decomposed, ///< composite ops rewritten into primitive kiln ops
  Fused,      ///< ops grouped into kiln.fusion regions, one kernel each
  Lowered,    ///< linalg, tensor, arith and math on tensors, fused
  Planned,    ///< bufferized; temporaries are views of one arena
  LLVM,       ///< bufferized and lowered to the LLVM dialect
};

/// Choices that change the generated code (and so belong in a cache key).
struct CodegenOptions {
  /// Results that do not depend on the thread count: f32 matmuls run as
  /// Kiln's own loops (each output element summed in order by one thread)
  /// instead of oneDNN, whose kernels may split the inner dimension
  /// differently for different thread counts.
  bool deterministic = false;
  /// Group ops into kiln.fusion regions and fuse each region's loops into
  /// one loop nest; without it every op is a loop nest of its own.
  bool fuse = true;
  /// Call into Kiln's runtime: oneDNN for f32 contractions and
  /// kiln_parallel_for for large loops. Without it the code is one thread
  /// of loops that needs nothing but libc and libm (AOT objects built with
  /// `--no-library-calls`).
  bool runtimeCalls = true;
  /// With fusion and library calls: a contraction's call also applies the
  /// elementwise loop that finishes its result (oneDNN's bias and
  /// post-ops) instead of leaving it a loop nest of its own.
  bool epilogues = true;
  /// The disk cache's folder; empty: compile without it.
  std::string cacheDirectory;
};

/// Lowers a module of `func.func`s on kiln ops, in place, up to `stage`.
/// Errors are emitted as diagnostics on the module's context.
mlir::LogicalResult lowerTo(mlir::ModuleOp module, Stage stage,
                            const CodegenOptions &options = {});

/// lowerTo(module, Stage::LLVM): results become out-parameters, and each
/// function takes every buffer as one pointer to its data.
mlir::LogicalResult lowerToLLVMDialect(mlir::ModuleOp module,
                                       const CodegenOptions &options = {});

/// A function compiled to native code in this process: every argument and
/// result is a dense row-major buffer of a statically shaped tensor.
class JitFunction : public Program {
public:
  ~JitFunction() override;

  /// Lowers `module` (consumed: it is rewritten in place) and JIT-compiles
  /// its function `name`. Returns null and fills `error` on failure.
  static std::unique_ptr<JitFunction>
  compile(mlir::ModuleOp module, llvm::StringRef name, std::string &error,
          const CodegenOptions &options = {});

  /// Each concurrent run takes an arena from a pool, so a steady state of
  /// runs allocates nothing.
  void run(llvm::ArrayRef<void *> inputs,
           llvm::ArrayRef<void *> outputs) const override;

  llvm::StringRef backend() const override { return "cpu"; }

private:
  JitFunction() = default;

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  void (*entry_)(void **) = nullptr;
  void *takeArena() const;
  void returnArena(void *arena) const;

  std::vector<std::vector<int64_t>> shapes_; ///< inputs, then outputs
  mutable std::mutex arenaMutex_;
  mutable std::vector<void *> freeArenas_;
};

} // namespace kiln::codegen

#endif // KILN_CODEGEN_CPU_JIT_H
