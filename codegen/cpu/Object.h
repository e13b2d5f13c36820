//===- Object.h - Objects: emission, loading, disk cache --------*- C++ -*-===//
//
// A compiled program is a relocatable object for the host CPU. The JIT
// emits it from the LLVM dialect, loads it into an ORC LLJIT next to the
// runtime's entry points, and keeps it in the disk cache so that the next
// process skips the whole compiler.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CPU_OBJECT_H
#define KILN_CODEGEN_CPU_OBJECT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class Module;
class TargetMachine;
namespace orc {
class LLJIT;
} // namespace orc
} // namespace llvm

namespace kiln::codegen {

/// Translates the LLVM-dialect `module` to LLVM IR, adds the packed entry
/// `_kiln_packed_<name>(void **args)` for its function `name`, optimizes
/// (O3) and emits a position-independent object for the host CPU. Returns
/// nullopt and fills `error` on failure.
std::optional<std::string> emitObject(mlir::ModuleOp module,
                                      llvm::StringRef name, std::string &error);

/// A position-independent target machine for `cpu`: "host" (this machine's
/// CPU and features) or an LLVM x86 CPU name such as "x86-64-v3"; an
/// unknown name is an error.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
targetMachine(llvm::StringRef cpu);

/// Optimizes `module` for `machine` (O3; with `vectorMath`, loops over
/// expf, tanhf, logf... vectorize into calls of glibc's libmvec) and emits
/// it as a relocatable object. Returns nullopt and fills `error` on failure.
std::optional<std::string> optimizeAndEmit(llvm::Module &module,
                                           llvm::TargetMachine &machine,
                                           bool vectorMath, std::string &error);

/// Whether generated code may call the process's `name`: a libm or
/// libmvec math function, a C memory function or a compiler-rt conversion.
bool isRuntimeLibrarySymbol(llvm::StringRef name);

/// An LLJIT holding `object`, whose undefined symbols resolve to the
/// runtime's entry points and then to the process's symbols that
/// isRuntimeLibrarySymbol allows; any other is an error when it loads.
std::unique_ptr<llvm::orc::LLJIT> loadObject(const std::string &object,
                                             std::string &error);

/// What the disk cache keeps for a program: its object and its memory plan.
struct CachedProgram {
  std::string object;
  int64_t arenaBytes = 0, arenaLowerBound = 0, naiveBytes = 0, kernels = 0;
  /// Pairs (input, output): the caller passes one buffer for both.
  std::vector<int64_t> donations;
};

/// Compiled programs under a folder, one file per key. Entries are written
/// atomically; an entry that fails its checksum, schema or key check is
/// ignored and replaced. A folder that other users can write is refused (it
/// holds code this process would run).
class DiskCache {
public:
  /// The cache in `directory` (created, private to the user, if missing).
  /// When the folder is unusable the cache is off and `warning` says why.
  explicit DiskCache(const std::string &directory, std::string *warning);

  bool enabled() const { return !directory_.empty(); }
  const std::string &directory() const { return directory_; }

  /// The entry for `key` (any text that determines the program), or
  /// nullopt. A damaged entry is removed; `why` then says what was wrong.
  std::optional<CachedProgram> load(llvm::StringRef key,
                                    std::string *why = nullptr) const;
  /// Stores `program` for `key`; failures (a full disk) are not errors.
  void store(llvm::StringRef key, const CachedProgram &program) const;

  /// The file of `key`'s entry.
  std::string path(llvm::StringRef key) const;

private:
  std::string directory_;
};

/// What identifies the code generator itself in cache keys: Kiln's and
/// LLVM's versions, the cache schema, the host CPU and its features, and
/// the binary that holds the compiler (so that any rebuild starts afresh).
const std::string &compilerIdentity();

} // namespace kiln::codegen

#endif // KILN_CODEGEN_CPU_OBJECT_H
