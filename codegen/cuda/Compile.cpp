//===- Compile.cpp - kiln modules to CUDA programs ------------------------===//
#include "kiln/codegen/cuda/Compile.h"

#include "kiln/passes/Passes.h"
#include "kiln/runtime/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln::codegen::cuda {

mlir::LogicalResult lowerForCuda(mlir::ModuleOp module, bool fuse) {
  mlir::PassManager pm(module.getContext());
  kiln::addAutodiffStage(pm);
  kiln::addDecomposeStage(pm, /*keepRowOps=*/true);
  kiln::addFuseStage(pm, fuse);
  return pm.run(module);
}

CudaProgramSpec emitFunction(mlir::ModuleOp module, llvm::StringRef name,
                             bool fuse) {
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(
      module.getContext(), [&](mlir::Diagnostic &d) {
        llvm::raw_string_ostream os(diagnostics);
        os << d.getLocation() << ": " << d << "\n";
        return mlir::success();
      });
  if (mlir::failed(lowerForCuda(module, fuse)))
    throw Error("the kiln-level stages failed for the CUDA backend:\n" +
                diagnostics);
  auto function = module.lookupSymbol<mlir::func::FuncOp>(name);
  if (!function)
    throw Error("no function @" + name.str() + " to compile for CUDA");
  return emitProgram(function);
}

std::string nvrtcSource(const CudaProgramSpec &spec) {
  return std::string(nvrtcPrelude()) + "\n" + spec.source;
}

std::string describe(const CudaProgramSpec &spec, llvm::StringRef name) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// ===== CUDA program @" << name << ": " << spec.launches.size()
     << " launches, arena " << spec.arenaBytes << " bytes (lower bound "
     << spec.arenaLowerBound << ", apart " << spec.naiveBytes << ")\n";
  auto bufferName = [&](int id) {
    const BufferSpec &b = spec.buffers[id];
    switch (b.kind) {
    case BufferKind::Input:
      return "input " + std::to_string(b.index);
    case BufferKind::Output:
      return "output " + std::to_string(b.index);
    case BufferKind::Constant:
      return "constant " + std::to_string(b.index);
    case BufferKind::Temporary:
      return "arena+" + std::to_string(b.offset);
    }
    return std::string();
  };
  for (const KernelLaunch &launch : spec.launches) {
    os << "// launch " << launch.name << " grid(" << launch.grid[0] << ","
       << launch.grid[1] << "," << launch.grid[2] << ") block("
       << launch.block[0] << "," << launch.block[1] << "," << launch.block[2]
       << ")";
    for (size_t i = 0; i < launch.buffers.size(); ++i)
      os << (i ? ", " : ": ") << "p" << i << "="
         << bufferName(launch.buffers[i]);
    os << "\n";
  }
  for (const BufferCopy &copy : spec.copies)
    os << "// copy " << bufferName(copy.from) << " -> " << bufferName(copy.to)
       << " (" << copy.bytes << " bytes)\n";
  os << spec.kernels;
  return text;
}

} // namespace kiln::codegen::cuda
