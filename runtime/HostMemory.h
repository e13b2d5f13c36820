//===- HostMemory.h - A cache of freed tensor buffers -----------*- C++ -*-===//
//
// Tensor buffers come and go at the rate of a training loop: every step frees
// the last step's activations, gradients and parameters and asks for the same
// sizes again. A buffer of more than a few hundred kilobytes is a fresh
// mapping to malloc, so each step would pay the kernel for page faults and
// zeroed pages (for a 64 MB tensor, more time than the arithmetic). Freed
// buffers therefore go to a cache of size classes (at most 12.5% larger than
// asked for) and the next request of that class takes one back without
// calling the system, like PyTorch's CUDA caching allocator.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_HOSTMEMORY_H
#define KILN_RUNTIME_HOSTMEMORY_H

#include <cstddef>
#include <cstdint>

namespace kiln::runtime {

/// A 64-byte aligned block of at least `bytes` bytes, from the cache when it
/// holds one of the same size class. Its contents are unspecified. Returns
/// null when the system has no memory left.
void *allocateHost(size_t bytes);

/// Gives back a block from allocateHost of `bytes` bytes (the size asked
/// for). The cache keeps it unless it would then hold more than its limit.
void freeHost(void *block, size_t bytes);

struct HostMemoryStats {
  int64_t systemAllocations = 0; ///< blocks the cache could not provide
  int64_t cacheHits = 0;         ///< blocks taken back from the cache
  int64_t cachedBytes = 0;       ///< bytes of freed blocks held now
  int64_t limitBytes = 0;        ///< the most the cache holds
};

HostMemoryStats hostMemoryStats();

/// Returns every cached block to the system.
void emptyHostCache();

/// Sets the most bytes the cache holds (0 turns it off), releasing blocks
/// above the new limit. The default is 1 GiB.
void setHostCacheLimit(size_t bytes);

} // namespace kiln::runtime

#endif // KILN_RUNTIME_HOSTMEMORY_H
