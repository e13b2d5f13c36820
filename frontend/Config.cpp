//===- Config.cpp - Build and machine configuration, threads, CUDA --------===//
#include "kiln/frontend/Config.h"
#include "kiln/frontend/Graph.h"
#include "kiln/runtime/Environment.h"
#include "kiln/runtime/System.h"

#include <llvm/Config/llvm-config.h>

#include <sstream>

namespace kiln {

namespace detail {

std::atomic<bool> &deterministicAlgorithms() {
  static std::atomic<bool> on{false};
  return on;
}

std::atomic<bool> &fusionEnabled() {
  // KILN_FUSION=0 starts with fusion off, to compare whole test suites.
  static std::atomic<bool> on{runtime::envSwitch("KILN_FUSION", true)};
  return on;
}

std::atomic<bool> &epiloguesEnabled() {
  // KILN_POST_OPS=0 leaves a contraction's epilogue a loop of its own, to
  // measure what oneDNN's post-ops save.
  static std::atomic<bool> on{runtime::envSwitch("KILN_POST_OPS", true)};
  return on;
}

} // namespace detail

std::string version() { return runtime::kilnVersion(); }

std::string show_config() {
  runtime::CudaStatus cuda = runtime::probeCuda();
  std::ostringstream os;
  os << "Kiln " << version() << "\n"
     << "  LLVM/MLIR: " << LLVM_VERSION_STRING << "\n"
     << "  oneDNN: " << runtime::onednnVersion() << "\n"
     << "  threads: " << get_num_threads() << "\n"
     << "  cache directory: " << runtime::cacheDirectory() << "\n";
  if (cuda.driverLoaded)
    os << "  CUDA driver: " << cuda.driverVersion / 1000 << "."
       << cuda.driverVersion % 1000 / 10 << ", " << cuda.deviceCount
       << " GPU(s)\n";
  else
    os << "  CUDA driver: not available (" << cuda.detail << ")\n";
  os << "  NVRTC: "
     << (cuda.nvrtcVersion.empty() ? "not available" : cuda.nvrtcVersion)
     << "\n";
  return os.str();
}

int get_num_threads() { return runtime::numThreads(); }

void set_num_threads(int n) { runtime::setNumThreads(n); }

void use_deterministic_algorithms(bool on) {
  detail::deterministicAlgorithms().store(on, std::memory_order_relaxed);
}

void set_fusion_enabled(bool on) {
  detail::fusionEnabled().store(on, std::memory_order_relaxed);
}

bool is_fusion_enabled() {
  return detail::fusionEnabled().load(std::memory_order_relaxed);
}

void set_post_ops_enabled(bool on) {
  detail::epiloguesEnabled().store(on, std::memory_order_relaxed);
}

bool is_post_ops_enabled() {
  return detail::epiloguesEnabled().load(std::memory_order_relaxed);
}

bool are_deterministic_algorithms_enabled() {
  return detail::deterministicAlgorithms().load(std::memory_order_relaxed);
}

namespace cuda {

bool is_available() {
  runtime::CudaStatus status = runtime::probeCuda();
  return status.driverLoaded && status.deviceCount > 0;
}

int device_count() { return runtime::probeCuda().deviceCount; }

} // namespace cuda
} // namespace kiln
