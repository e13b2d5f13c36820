//===- HostExecution.h - CUDA kernel source run on the CPU ------*- C++ -*-===//
//
// The CUDA backend's kernels, without a GPU: the source NVRTC would compile
// is compiled by the host C++ compiler after SimtShim.h (which gives it
// CUDA's meaning) into a shared object, and a launch runs the grid on the
// calling thread through the SIMT runtime (SimtRuntime.cpp), which the first
// compilation of a process compiles. Tests use it to check emitted kernels on
// machines with no GPU.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CUDA_HOSTEXECUTION_H
#define KILN_CODEGEN_CUDA_HOSTEXECUTION_H

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::codegen::cuda {

/// A grid or block size, like CUDA's dim3.
struct Dim3 {
  unsigned x = 1, y = 1, z = 1;
};

/// A kernel the source defines (`extern "C" __global__ void name(...)`).
struct HostKernel {
  std::string name;
  /// Calls __syncthreads, __syncwarp or a warp shuffle: its threads then run
  /// as fibers, which barriers switch between; otherwise each thread is a
  /// plain call, and a barrier makes the launch fail.
  bool usesBarriers = false;
};

/// Kernels compiled for the host and loaded, ready to launch.
class HostModule {
public:
  /// Compiles `source` (kernel source without a prelude) as host C++
  /// against SimtShim.h into a shared object and loads it, with an entry
  /// point for each of `kernels`. The same text compiled again while its
  /// module is alive reuses that module. Safe to call from several threads
  /// at once. Throws kiln::Error with the compiler's output and the
  /// numbered source when compilation fails.
  static std::unique_ptr<HostModule> compile(const std::string &source,
                                             std::vector<HostKernel> kernels);

  ~HostModule();

  /// Runs `kernel` over `grid` x `block` threads on the calling thread, like
  /// cuLaunchKernel: `args[i]` points at the value of the kernel's i-th
  /// parameter. Throws kiln::Error for an unknown kernel, a grid or block
  /// CUDA would refuse (over 1024 threads a block), and a launch that fails
  /// (a deadlock at a barrier, a barrier in a kernel without usesBarriers).
  void launch(const std::string &kernel, Dim3 grid, Dim3 block,
              size_t dynamicSharedBytes, void **args) const;

private:
  /// A loaded shared object, shared by the modules of the same text.
  struct Library;

  explicit HostModule(std::shared_ptr<const Library> library);

  std::shared_ptr<const Library> library;
};

/// The text of SimtShim.h, which HostModule::compile compiles kernels
/// against.
std::string_view simtShimHeader();

/// The text of SimtRuntime.cpp, which HostModule::compile compiles once per
/// process.
std::string_view simtRuntimeSource();

} // namespace kiln::codegen::cuda

#endif // KILN_CODEGEN_CUDA_HOSTEXECUTION_H
