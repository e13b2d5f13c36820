//===- CudaProgram.h - A compiled CUDA program ------------------*- C++ -*-===//
//
// The CUDA backend's implementation of codegen::Program: the emitted
// kernels compiled with NVRTC for each architecture asked for (and checked
// with ptxas), run in order by a KernelRunner. Without a GPU the runner is
// the host execution of the same source (HostExecution.h), which is how CI
// runs every kernel; the CUDA runtime supplies a runner on a device.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CUDA_CUDAPROGRAM_H
#define KILN_CODEGEN_CUDA_CUDAPROGRAM_H

#include "kiln/codegen/Program.h"
#include "kiln/codegen/cuda/Emitter.h"
#include "kiln/codegen/cuda/Nvrtc.h"

#include <map>
#include <memory>
#include <mutex>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace kiln::codegen::cuda {

class HostModule;

/// What compiling a CUDA program does beyond emitting it.
struct CudaOptions {
  bool fuse = true;
  /// Compile with NVRTC for these architectures and assemble each with
  /// ptxas (sm_80, sm_90); none: emit only.
  std::vector<std::string> architectures = {"sm_80", "sm_90"};
  /// Compile the source as host C++ too, to run it without a GPU.
  bool hostExecution = true;
  /// The disk cache's folder for NVRTC's output (keyed by the source, the
  /// architecture, NVRTC's options and version); empty: no disk cache.
  std::string cacheDirectory;
};

class CudaProgram : public Program {
public:
  ~CudaProgram() override;

  /// Lowers `module` (in place), emits its function `name`, and compiles it
  /// as `options` ask. Throws kiln::Error on failure.
  static std::unique_ptr<CudaProgram> compile(mlir::ModuleOp module,
                                              llvm::StringRef name,
                                              const CudaOptions &options = {});

  /// Runs every launch in order through the host execution (buffers are
  /// host memory). Throws kiln::Error if it was not compiled for it.
  void run(llvm::ArrayRef<void *> inputs,
           llvm::ArrayRef<void *> outputs) const override;

  llvm::StringRef backend() const override { return "cuda"; }

  const CudaProgramSpec &spec() const { return spec_; }
  /// The architectures whose NVRTC output came from the disk cache.
  const std::vector<std::string> &cachedArchitectures() const {
    return cached_;
  }
  /// NVRTC's output per architecture.
  const std::map<std::string, NvrtcResult> &binaries() const {
    return binaries_;
  }
  /// ptxas's report per architecture.
  const std::map<std::string, std::vector<KernelResources>> &resources() const {
    return resources_;
  }

private:
  CudaProgram() = default;

  CudaProgramSpec spec_;
  std::map<std::string, NvrtcResult> binaries_;
  std::map<std::string, std::vector<KernelResources>> resources_;
  std::unique_ptr<HostModule> host_;
  std::vector<std::string> cached_;
};

/// A program that runs `cuda` and then `reference` on the same inputs and
/// throws kiln::Error when an output differs beyond the tolerance of its
/// element type. It reports `reference`'s figures.
std::unique_ptr<Program> crossChecked(std::unique_ptr<Program> reference,
                                      std::unique_ptr<CudaProgram> cuda);

} // namespace kiln::codegen::cuda

#endif // KILN_CODEGEN_CUDA_CUDAPROGRAM_H
