//===- Passes.h - Kiln's code generation passes -----------------*- C++ -*-===//
#ifndef KILN_CODEGEN_PASSES_H
#define KILN_CODEGEN_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
} // namespace arith
namespace func {
class FuncDialect;
class FuncOp;
} // namespace func
namespace memref {
class MemRefDialect;
} // namespace memref
namespace LLVM {
class LLVMDialect;
} // namespace LLVM
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace math {
class MathDialect;
} // namespace math
namespace scf {
class SCFDialect;
} // namespace scf
namespace tensor {
class TensorDialect;
} // namespace tensor
} // namespace mlir

namespace kiln {

#define GEN_PASS_DECL
#include "codegen/Passes.h.inc"

/// Marks `fn` to take each buffer (a memref, or a tensor that becomes one)
/// as a single pointer to its data when lowered to LLVM (`llvm.bareptr`):
/// its shape, strides and offset are in its type. False, leaving `fn` as it
/// is, when some buffer's shape or layout is not static; it then takes
/// memref descriptors.
bool takeBarePointers(mlir::func::FuncOp fn);

/// Registers every code generation pass with the global pass registry.
#define GEN_PASS_REGISTRATION
#include "codegen/Passes.h.inc"

} // namespace kiln

#endif // KILN_CODEGEN_PASSES_H
