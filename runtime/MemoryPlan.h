//===- MemoryPlan.h - Static placement of buffers in one arena --*- C++ -*-===//
//
// A Program's temporary buffers have sizes and live intervals known at
// compile time. planMemory gives each an offset in one arena so that buffers
// live at the same time never overlap: best fit in a few orders (decreasing
// size, first use, longest life, largest bytes x steps), keeping the
// smallest arena.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_MEMORYPLAN_H
#define KILN_RUNTIME_MEMORYPLAN_H

#include <cstdint>
#include <span>
#include <vector>

namespace kiln::runtime {

/// A buffer of `bytes` bytes, live from step `first` to step `last`
/// (inclusive): two buffers conflict when their intervals intersect.
struct BufferLifetime {
  int64_t bytes = 0;
  int64_t first = 0;
  int64_t last = 0;
};

struct MemoryPlan {
  std::vector<int64_t> offsets; ///< one per buffer, multiples of alignment
  int64_t arenaBytes = 0;       ///< the arena the offsets fit in
  /// The most bytes live at any one step: no placement can do better.
  int64_t lowerBoundBytes = 0;
  /// Every buffer in its own memory: what the plan saves against.
  int64_t naiveBytes = 0;
};

/// Places `buffers` in one arena. Sizes are rounded up to `alignment` (a
/// power of two), so every offset is aligned. Throws kiln::Error for a
/// negative size, an interval that ends before it starts, or an alignment
/// that is not a power of two.
MemoryPlan planMemory(std::span<const BufferLifetime> buffers,
                      int64_t alignment = 64);

} // namespace kiln::runtime

#endif // KILN_RUNTIME_MEMORYPLAN_H
