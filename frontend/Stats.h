//===- Stats.h - Compile-cache counters and explicit sync -------*- C++ -*-===//
#ifndef KILN_FRONTEND_STATS_H
#define KILN_FRONTEND_STATS_H

#include <cstddef>
#include <cstdint>

namespace kiln {

/// What one compiled program does when it runs.
struct ProgramInfo {
  uint64_t ops = 0;     ///< recorded ops it computes
  uint64_t kernels = 0; ///< loop nests and library calls it runs
  /// Its temporaries' arena, the most bytes live at once (no arena can be
  /// smaller), and their bytes if each had its own memory.
  int64_t arena_bytes = 0;
  int64_t arena_lower_bound = 0;
  int64_t arena_naive_bytes = 0;
};

/// What realize has done so far in this process. A loop that records the same
/// graph every iteration shows one compile and then only cache hits.
struct Stats {
  uint64_t realizes = 0;   ///< programs run
  uint64_t compiles = 0;   ///< programs compiled (cache misses)
  uint64_t cache_hits = 0; ///< programs found in the cache
  double compile_seconds = 0;
  /// Compiled loops that ran on more than one thread (large loops are
  /// shared between set_num_threads() threads; small ones run serially).
  uint64_t parallel_loops = 0;
  ProgramInfo last_compiled; ///< the most recently compiled program
  /// Tensor buffers taken from the system. Freed buffers are cached by size
  /// class and handed out again, so a loop's steady state allocates none.
  uint64_t buffer_allocations = 0;
  /// Compiled programs in the in-memory cache now, and how many it dropped
  /// (the least recently used beyond set_program_cache_limit).
  uint64_t program_cache_size = 0;
  uint64_t program_cache_evictions = 0;
};

/// The counters since the start or the last reset_stats().
Stats stats();
void reset_stats();

/// Returns the cached memory of freed tensors to the system.
void empty_cache();

/// Sets the most bytes of freed tensor memory kept for reuse (default 1 GiB;
/// 0 keeps none).
void set_buffer_cache_limit(size_t bytes);

/// Sets how many compiled programs the in-memory cache keeps (default 1024);
/// beyond it, the least recently used is dropped (a program a thread still
/// runs lives on until it is done). A dropped program compiles again when
/// its graph comes back, from the disk cache when that has it.
void set_program_cache_limit(size_t programs);

/// Computes every pending tensor of the calling thread now.
void sync();

} // namespace kiln

#endif // KILN_FRONTEND_STATS_H
