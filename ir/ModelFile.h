//===- ModelFile.h - What IR read from a file may contain -------*- C++ -*-===//
//
// A model folder's graph.mlir, and any .mlir file the kiln CLI reads, is
// data: it may hold only what Kiln itself writes. These checks run before
// (the text) and after (the module) parsing, and before anything compiles.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IR_MODELFILE_H
#define KILN_IR_MODELFILE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace kiln::ir {

/// The deepest nesting of brackets (`(`, `[`, `{`, `<`) that IR text read
/// from a file may have. MLIR's parser recurses once per level, so a deeper
/// file could overflow the stack; Kiln's own IR stays far below it.
inline constexpr unsigned kMaxNesting = 128;

/// Fails when `text` nests brackets deeper than kMaxNesting; `error` then
/// names the line.
mlir::LogicalResult checkNesting(llvm::StringRef text, std::string &error);

/// What a module read from a file is checked for.
enum class ModuleSource {
  /// An exported model's graph.mlir: @forward's arguments carry kiln.input
  /// or kiln.weight names, its results kiln.output names.
  ExportedModel,
  /// A program as Kiln records it (KILN_DUMP, `kiln dump` and `kiln plan`
  /// input): also private functions that kiln.grad differentiates, and
  /// kiln.donatable arguments.
  Program,
};

/// Checks that `module` is built only from what Kiln writes: a module of
/// func.func definitions (never a declaration of an external function)
/// whose bodies hold kiln ops and func.return, with no discardable
/// attributes but the argument and result names of `source`, and no
/// function that differentiates itself through kiln.grad. Violations are
/// emitted as errors at the offending op.
mlir::LogicalResult verifyModuleFromFile(mlir::ModuleOp module,
                                         ModuleSource source);

} // namespace kiln::ir

#endif // KILN_IR_MODELFILE_H
