//===- Registration.h - Dialects and passes the Kiln tools know -*- C++ -*-===//
#ifndef KILN_TOOLS_REGISTRATION_H
#define KILN_TOOLS_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace kiln {

/// Adds the kiln dialect and the upstream dialects Kiln lowers to, with
/// their interfaces: the pipeline's own registration
/// (codegen::registerDialects).
void registerKilnDialects(mlir::DialectRegistry &registry);

/// Registers every kiln pass, the kiln-level and CPU pipelines
/// (`kiln-pipeline`, `kiln-cpu-pipeline`) and the upstream passes Kiln
/// pipelines use, so that textual pipelines and `kiln-opt` flags can name
/// them.
void registerAllPasses();

} // namespace kiln

#endif // KILN_TOOLS_REGISTRATION_H
