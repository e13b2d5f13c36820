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

/// Sets the number of threads; throws kiln::Error unless `n >= 1` and at
/// most 4 per hardware thread (and at most 256 on small machines).
void set_num_threads(int n);

/// With `on`, every computation gives bitwise-identical results whatever the
/// thread count (PyTorch's torch.use_deterministic_algorithms). Kiln's own
/// loops are deterministic anyway: a parallel loop splits output elements
/// between threads and each reduction runs in order in one thread. What the
/// flag changes is f32 matmul, which leaves oneDNN (whose kernels may split
/// the inner dimension by thread count) for Kiln's loops: several times
/// slower on large matrices (bench/matmul prints the cost). Programs
/// compiled under one setting are not reused under the other.
void use_deterministic_algorithms(bool on);
bool are_deterministic_algorithms_enabled();

/// Whether programs compiled from now on fuse ops into shared loop nests
/// (the default; the environment variable KILN_FUSION=0 starts with it
/// off). Without fusion every op is a loop nest of its own and every
/// intermediate a buffer: slower, for comparing results and speed.
void set_fusion_enabled(bool on);
bool is_fusion_enabled();

/// Whether programs compiled from now on hand a matmul's or convolution's
/// elementwise epilogue (bias, relu, gelu, tanh, sigmoid, a residual add)
/// to oneDNN as post-ops of the same call (the default; KILN_POST_OPS=0
/// starts with it off), instead of running it as a loop of its own.
void set_post_ops_enabled(bool on);
bool is_post_ops_enabled();

namespace cuda {

/// Whether a CUDA driver and at least one GPU are present.
bool is_available();

/// The number of GPUs the CUDA driver sees (0 without a driver).
int device_count();

} // namespace cuda
} // namespace kiln

#endif // KILN_FRONTEND_CONFIG_H
