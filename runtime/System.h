//===- System.h - Threads, CUDA, cache folder -------------------*- C++ -*-===//
#ifndef KILN_RUNTIME_SYSTEM_H
#define KILN_RUNTIME_SYSTEM_H

#include <string>

namespace kiln::runtime {

/// Kiln's version, `major.minor.patch`.
std::string kilnVersion();

/// The oneDNN library loaded at run time, `major.minor.patch (cpu runtime)`.
std::string onednnVersion();

/// The number of threads parallel kernels and oneDNN use (OpenMP's setting,
/// which `OMP_NUM_THREADS` controls).
int numThreads();

/// Sets the thread count for parallel kernels and oneDNN; `n` must be >= 1.
/// The most threads setNumThreads accepts: 4 per hardware thread, at least
/// 256.
int maxNumThreads();

/// Sets OpenMP's thread count; throws kiln::Error outside 1..maxNumThreads().
void setNumThreads(int n);

/// The kernel cache folder: `$KILN_CACHE_DIR`, else `$XDG_CACHE_HOME/kiln`,
/// else `$HOME/.cache/kiln`.
std::string cacheDirectory();

/// Why `directory` cannot hold a cache of code that Kiln runs, or an empty
/// string when it can. A missing folder is created, private to the user; an
/// existing one must be the user's, and neither it nor any folder above it
/// writable by another user (who could swap in code of their own).
std::string cacheFolderProblem(const std::string &directory);

/// What CUDA support this process can reach. The driver and NVRTC are loaded
/// with dlopen, so a machine without them simply reports them missing.
struct CudaStatus {
  bool driverLoaded = false; ///< libcuda.so.1 was found and initialized.
  int driverVersion = 0;     ///< e.g. 13000 for CUDA 13.0; 0 if unknown.
  int deviceCount = 0;       ///< GPUs the driver sees.
  std::string nvrtcVersion;  ///< "13.0", or empty when NVRTC is missing.
  std::string detail;        ///< Why the driver is unavailable, if it is.
};

/// Probes the CUDA driver and NVRTC (cheap; results are not cached).
CudaStatus probeCuda();

} // namespace kiln::runtime

#endif // KILN_RUNTIME_SYSTEM_H
