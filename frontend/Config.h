//===- Config.h - Build configuration, threads, CUDA ------------*- C++ -*-===//
#ifndef KILN_FRONTEND_CONFIG_H
#define KILN_FRONTEND_CONFIG_H

#include <string>

namespace kiln {

/// Kiln's version, `major.minor.patch`.
std::string version();

/// A human-readable description of this build and machine: versions of Kiln,
/// LLVM/MLIR and oneDNN, CUDA and NVRTC availability, threads, cache folder
/// (as `torch::show_config()` describes LibTorch).
std::string show_config();

/// The number of threads Kiln's kernels and oneDNN use.
int get_num_threads();

/// Sets the number of threads; throws kiln::Error unless `n >= 1`.
void set_num_threads(int n);

namespace cuda {

/// Whether a CUDA driver and at least one GPU are present.
bool is_available();

/// The number of GPUs the CUDA driver sees (0 without a driver).
int device_count();

} // namespace cuda
} // namespace kiln

#endif // KILN_FRONTEND_CONFIG_H
