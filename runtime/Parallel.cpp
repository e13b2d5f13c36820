//===- Parallel.cpp - kiln_parallel_for on libgomp's thread pool ----------===//
#include "kiln/runtime/Parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdint>

// libgomp's entry points (its stable ABI; the runtime is built without
// -fopenmp, and clang's OpenMP code generation would target libomp).
extern "C" {
void GOMP_parallel(void (*fn)(void *), void *data, unsigned numThreads,
                   unsigned flags);
int omp_get_thread_num();
int omp_get_num_threads();
int omp_get_max_threads();
int omp_in_parallel();
}

namespace {

/// Below this many operations per thread, forking costs more than it saves.
constexpr int64_t kMinWorkPerThread = 16384;

std::atomic<uint64_t> sharedLoops{0};

struct Job {
  KilnParallelBody body;
  void *context;
  int64_t count;
};

void runShare(void *data) {
  const Job &job = *static_cast<const Job *>(data);
  int64_t thread = omp_get_thread_num(), threads = omp_get_num_threads();
  int64_t begin = job.count * thread / threads;
  int64_t end = job.count * (thread + 1) / threads;
  if (begin < end)
    job.body(job.context, begin, end);
}

} // namespace

extern "C" void kiln_parallel_for(KilnParallelBody body, void *context,
                                  int64_t count, int64_t cost) {
  if (count <= 0)
    return;
  int64_t threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  int64_t work;
  if (__builtin_mul_overflow(count, std::max<int64_t>(cost, 1), &work))
    work = INT64_MAX;
  threads = std::min({threads, count, work / kMinWorkPerThread});
  if (threads <= 1) {
    body(context, 0, count);
    return;
  }
  sharedLoops.fetch_add(1, std::memory_order_relaxed);
  Job job{body, context, count};
  GOMP_parallel(runShare, &job, static_cast<unsigned>(threads), 0);
}

uint64_t kiln::runtime::sharedLoopCount() {
  return sharedLoops.load(std::memory_order_relaxed);
}
