//===- Registration.h - Dialects and passes the Kiln tools know -*- C++ -*-===//
#ifndef KILN_TOOLS_REGISTRATION_H
#define KILN_TOOLS_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace kiln {

/// Adds the kiln dialect and the upstream dialects Kiln lowers to (func,
/// arith, math, tensor, linalg, bufferization, memref, scf, cf, vector, llvm)
/// with their bufferization and inlining interfaces.
void registerKilnDialects(mlir::DialectRegistry &registry);

/// Registers every kiln pass and the upstream passes Kiln pipelines use, so
/// that textual pipelines and `kiln-opt` flags can name them.
void registerAllPasses();

} // namespace kiln

#endif // KILN_TOOLS_REGISTRATION_H
