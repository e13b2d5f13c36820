//===- Nvrtc.h - CUDA C++ to PTX and CUBIN at run time ----------*- C++ -*-===//
//
// NVRTC is loaded with dlopen on first use, like the driver: Kiln builds
// and runs without the CUDA toolkit, and only compiling for a GPU needs
// it. Compiling needs no GPU and no driver. `ptxas`, the toolkit's PTX
// assembler, checks PTX for a target the same way and reports each
// kernel's registers and spills.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CUDA_NVRTC_H
#define KILN_CODEGEN_CUDA_NVRTC_H

#include <string>
#include <vector>

namespace kiln::codegen::cuda {

/// Whether NVRTC could be loaded; if not, why not in `why`.
bool nvrtcAvailable(std::string *why = nullptr);

/// NVRTC's version, "13.0"; empty if it is not available.
std::string nvrtcVersion();

struct NvrtcResult {
  std::string ptx;
  std::vector<char> cubin; ///< empty for a virtual architecture (compute_XX)
  std::string log;         ///< NVRTC's warnings
  std::vector<std::string> options;
};

/// The options compileWithNvrtc passes for `arch`.
std::vector<std::string> nvrtcOptions(const std::string &arch);

/// Compiles `source` (a self-contained translation unit) for `arch`
/// ("sm_90" gives PTX and CUBIN, "compute_90" PTX only). Throws kiln::Error
/// with NVRTC's log and the numbered source on failure, or when NVRTC is
/// not available.
NvrtcResult compileWithNvrtc(const std::string &source,
                             const std::string &arch);

/// What ptxas reports for one kernel.
struct KernelResources {
  std::string name;
  int registers = 0;
  int spillStores = 0, spillLoads = 0; ///< bytes
  int sharedBytes = 0;                 ///< static shared memory
};

/// The ptxas program, if one is found (the toolkit's or on PATH).
std::string ptxasPath();

/// Assembles `ptx` for `arch` (sm_80, sm_90) with ptxas and returns each
/// kernel's resources. Throws kiln::Error with ptxas's output on failure.
std::vector<KernelResources> assembleWithPtxas(const std::string &ptx,
                                               const std::string &arch);

/// `source` with each line numbered, for error messages.
std::string numberLines(const std::string &source);

} // namespace kiln::codegen::cuda

#endif // KILN_CODEGEN_CUDA_NVRTC_H
