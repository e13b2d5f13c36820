//===- Aot.h - A model as a native object and a C header --------*- C++ -*-===//
//
// `kiln compile` turns an exported model into `prefix.o` and `prefix.h`:
// the compiled forward with its static memory plan, the weights as read-only
// data (or read from the safetensors file at init), and a small C API
// around them. Nothing of MLIR or LLVM is needed to link or run it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CPU_AOT_H
#define KILN_CODEGEN_CPU_AOT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace kiln::codegen {

/// How `compileAot` builds the object.
struct AotOptions {
  /// The prefix of every C symbol and macro (`prefix_run`, `PREFIX_...`).
  std::string prefix = "model";
  /// "host" or an LLVM x86 CPU name ("x86-64-v3"): the machines it runs on.
  std::string target = "host";
  /// Call Kiln's static runtime (oneDNN contractions, threads). Without it
  /// the object needs only libc and libm and runs on the calling thread.
  bool runtimeCalls = true;
  /// Read the weights from the safetensors file at `prefix_create` instead
  /// of carrying them in the object.
  bool externalWeights = false;
  /// With external weights: the file's first bytes (its 8-byte header
  /// length and JSON header). `prefix_create` refuses a file whose header
  /// differs: other names, shapes, dtypes or offsets.
  std::string weightsHeader;
};

/// One weight argument of the model.
struct AotWeight {
  /// Its raw little-endian data (embedded weights).
  llvm::StringRef bytes;
  /// Its byte range in the safetensors file's data section (external).
  uint64_t begin = 0, end = 0;
};

/// What `compileAot` produces.
struct AotArtifacts {
  std::string object; ///< a relocatable, position-independent ELF object
  std::string header; ///< the C header declaring its API
  int64_t workspaceBytes = 0;
  int64_t weightBytes = 0;
};

/// Compiles function `name` of `module` (kiln dialect, consumed) ahead of
/// time. Its arguments are the inputs (`kiln.input = "x"`) followed by the
/// weights (`kiln.weight = "fc1.weight"`), one `weights` entry each, and
/// its results carry `kiln.output` names. Returns nullopt and fills `error`
/// when the function, the weights or the target do not fit.
std::optional<AotArtifacts> compileAot(mlir::ModuleOp module,
                                       llvm::StringRef name,
                                       llvm::ArrayRef<AotWeight> weights,
                                       const AotOptions &options,
                                       std::string &error);

} // namespace kiln::codegen

#endif // KILN_CODEGEN_CPU_AOT_H
