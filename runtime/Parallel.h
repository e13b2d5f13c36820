//===- Parallel.h - The parallel-for that compiled loops call ---*- C++ -*-===//
//
// kiln-parallelize outlines the body of each large parallel loop into a
// function and calls kiln_parallel_for, which splits the iterations over the
// OpenMP threads of libgomp: the same pool oneDNN uses, so matmuls and
// generated loops never compete for cores.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_PARALLEL_H
#define KILN_RUNTIME_PARALLEL_H

#include <cstdint>

extern "C" {
/// An outlined loop body: runs iterations [begin, end) with the captured
/// values that `context` points to.
typedef void (*KilnParallelBody)(void *context, int64_t begin, int64_t end);

/// Runs iterations [0, count) of `body`. Each thread gets one contiguous
/// range, fixed by the thread count, so every iteration runs exactly once
/// and in order within its range. Runs serially inside another parallel
/// region, with one thread, or when `count * cost` is too little work to
/// share. `cost` is the work of one iteration, in operations.
void kiln_parallel_for(KilnParallelBody body, void *context, int64_t count,
                       int64_t cost);
}

namespace kiln::runtime {
/// How many loops kiln_parallel_for has shared between threads so far.
uint64_t sharedLoopCount();
} // namespace kiln::runtime

#endif // KILN_RUNTIME_PARALLEL_H
