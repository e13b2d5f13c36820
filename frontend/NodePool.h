//===- NodePool.h - Recycled memory for recorded nodes ----------*- C++ -*-===//
//
// Internal to the frontend. Each thread keeps the blocks of the nodes and
// pending tensors it freed, and the buffers of their shapes, for the next
// ones it records. A graph is recorded and released in bursts of hundreds
// of allocations of a few sizes, which overflow malloc's small per-thread
// caches into its slow paths: before this, those were about half of the
// host time of a cache-hit record+realize.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_NODEPOOL_H
#define KILN_FRONTEND_NODEPOOL_H

#include "kiln/frontend/Graph.h"

#include <cstddef>
#include <new>
#include <span>

namespace kiln::detail {

/// A block of at least `bytes` bytes, from the calling thread's cache when
/// it has one of that size class.
void *takeBlock(size_t bytes);
/// Gives back a block of takeBlock(`bytes`), to the calling thread's cache.
void returnBlock(void *p, size_t bytes);

/// The allocator that std::allocate_shared uses for recorded nodes and
/// their pending tensors (object and reference counts in one block).
template <typename T> struct RecycledAllocator {
  using value_type = T;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
  RecycledAllocator() = default;
  template <typename U> RecycledAllocator(const RecycledAllocator<U> &) {}
  T *allocate(size_t n) { return static_cast<T *>(takeBlock(n * sizeof(T))); }
  void deallocate(T *p, size_t n) { returnBlock(p, n * sizeof(T)); }
  template <typename U> bool operator==(const RecycledAllocator<U> &) const {
    return true;
  }
};

/// Sets the empty `out` to `shape`, in the buffer of a recycled shape where
/// the calling thread has one: the shapes of pending tensors come and go by
/// the hundred with each realize.
void assignShape(Shape &out, std::span<const int64_t> shape);

} // namespace kiln::detail

#endif // KILN_FRONTEND_NODEPOOL_H
