//===- SimtRuntime.cpp - The scheduler behind SimtShim.h ----------*- C++ -*-===//
//
// What kernels compiled against SimtShim.h call: the launch of a grid, the
// fibers that run the threads of a block with barriers, the barriers and
// the warp shuffles, and the thread identity. Host execution compiles this
// once per process into a shared object, which every kernel module links
// against; like SimtShim.h, it is not part of Kiln's build, which keeps the
// fiber switches out of Kiln's sanitizer builds.
//
// A launch runs its grid on the calling thread, one block after another:
//
// - Kernels without barriers run each thread as a call, in a loop.
// - Kernels with barriers (__syncthreads, warp shuffles) run each thread of a
//   block as a fiber with a stack of its own, switched round-robin on the one
//   OS thread; a thread runs until it waits at a barrier. Threads that have
//   returned no longer count at a barrier; when every live thread waits and
//   none can go on, the launch fails as deadlocked instead of hanging.
//
//===----------------------------------------------------------------------===//
#include "SimtShim.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#if !defined(__x86_64__) || defined(KILN_SIMT_UCONTEXT)
#include <ucontext.h>
#define KILN_SIMT_UCONTEXT 1
#endif

thread_local constinit uint3 threadIdx = {};
thread_local constinit uint3 blockIdx = {};
thread_local constinit dim3 blockDim;
thread_local constinit dim3 gridDim;

#ifndef KILN_SIMT_UCONTEXT
extern "C" void kiln_simt_switch(void **save, void *resume);
#endif

namespace {

// --- Fibers --------------------------------------------------------------------

#ifdef KILN_SIMT_UCONTEXT
/// A suspended fiber. glibc's swapcontext also saves the signal mask, a
/// system call each switch; x86-64 has a switch of its own below.
struct Context {
  ucontext_t context;
};

/// Prepares `context` to run `entry`, which must never return, on the stack
/// [bottom, bottom + size).
void startContext(Context &context, char *bottom, size_t size,
                  void (*entry)()) {
  getcontext(&context.context);
  context.context.uc_stack.ss_sp = bottom;
  context.context.uc_stack.ss_size = size;
  context.context.uc_link = nullptr;
  makecontext(&context.context, entry, 0);
}

/// Saves the running fiber in `from` and resumes `to`.
void switchContext(Context &from, Context &to) {
  swapcontext(&from.context, &to.context);
}
#else
/// A suspended fiber: its stack pointer. The stack holds what the System V
/// ABI says a call preserves (rbx, rbp, r12-r15, the MXCSR and x87 control
/// words) and the address to resume at.
struct Context {
  void *stackPointer;
};

asm(R"(
  .text
  .p2align 4
  .globl kiln_simt_switch
  .hidden kiln_simt_switch
  .type kiln_simt_switch,@function
kiln_simt_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size kiln_simt_switch, .-kiln_simt_switch
)");

void startContext(Context &context, char *bottom, size_t size,
                  void (*entry)()) {
  // The frame kiln_simt_switch pops, with `entry` as the return address at a
  // 16-byte boundary: `entry` starts as if called, with no return address.
  auto *top = reinterpret_cast<uint64_t *>(
      reinterpret_cast<uintptr_t>(bottom + size) & ~uintptr_t(15));
  *--top = 0;
  *--top = reinterpret_cast<uint64_t>(entry);
  for (int i = 0; i < 6; ++i)
    *--top = 0;
  uint32_t mxcsr;
  uint16_t x87;
  asm volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(mxcsr), "=m"(x87));
  *--top = mxcsr | static_cast<uint64_t>(x87) << 32;
  context.stackPointer = top;
}

void switchContext(Context &from, Context &to) {
  kiln_simt_switch(&from.stackPointer, to.stackPointer);
}
#endif

// --- The scheduler -------------------------------------------------------------

/// The most threads a block may have, as on every CUDA GPU.
constexpr unsigned kMaxThreads = 1024;
constexpr unsigned kWarpSize = 32;
constexpr size_t kStackBytes = 64 * 1024;

enum class FiberState : unsigned char {
  Ready,
  AtSyncthreads,
  AtWarpBarrier,
  Finished
};

struct Fiber {
  Context context;
  uint3 threadIdx;
  FiberState state;
};

/// A warp's meeting point. Shuffle values pass through `lanes`, two sets
/// used alternately, so that a lane that leaves one shuffle and enters the
/// next cannot overwrite a value that a slower lane has still to read.
struct Warp {
  uint64_t lanes[2][kWarpSize];
  unsigned count;      ///< Lanes the warp has (fewer in a partial warp).
  unsigned live;       ///< Lanes that have not returned.
  unsigned waiting;    ///< Lanes at the warp barrier.
  unsigned generation; ///< Warp barriers completed.
};

/// Fibers, warps and stacks for a block of up to kMaxThreads threads, made
/// once and reused by later launches (see StackPool).
struct Arena {
  Fiber fibers[kMaxThreads];
  Warp warps[kMaxThreads / kWarpSize];
  char *stacks;      ///< kMaxThreads stacks, each above a guard page.
  size_t stride;     ///< Bytes from one stack to the next.
  Context scheduler; ///< Where the launch waits while fibers run.
  Arena *next;
};

/// The state of the block that the calling OS thread runs with fibers.
struct Block {
  Arena *arena;
  unsigned count;         ///< Threads in the block.
  unsigned live;          ///< Threads that have not returned.
  unsigned atSyncthreads; ///< Threads waiting at __syncthreads.
  unsigned current;       ///< The running thread's linear index.
  void (*entry)(void **); ///< Runs the kernel for the current thread...
  void **args;            ///< ...with these arguments.
};

/// What the calling OS thread is launching.
struct Launch {
  Block *block = nullptr; ///< Null when threads run as plain calls.
  void *dynamicShared = nullptr;
  const char *misuse = nullptr; ///< A barrier called without fibers.
};
thread_local Launch launch;

/// Arenas not in use, shared by every OS thread that launches.
class StackPool {
public:
  Arena *take() {
    pthread_mutex_lock(&mutex);
    Arena *arena = free;
    if (arena)
      free = arena->next;
    pthread_mutex_unlock(&mutex);
    return arena ? arena : create();
  }
  void give(Arena *arena) {
    pthread_mutex_lock(&mutex);
    arena->next = free;
    free = arena;
    pthread_mutex_unlock(&mutex);
  }
  ~StackPool() {
    while (Arena *arena = free) {
      free = arena->next;
      munmap(arena->stacks, arena->stride * kMaxThreads);
      ::free(arena);
    }
  }

private:
  static Arena *create() {
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_t stride = kStackBytes + page;
    void *stacks = mmap(nullptr, stride * kMaxThreads, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (stacks == MAP_FAILED)
      return nullptr;
    // A stack that overflows hits its guard page instead of its neighbour.
    for (unsigned i = 0; i < kMaxThreads; ++i)
      mprotect(static_cast<char *>(stacks) + i * stride, page, PROT_NONE);
    auto *arena = static_cast<Arena *>(calloc(1, sizeof(Arena)));
    if (!arena) {
      munmap(stacks, stride * kMaxThreads);
      return nullptr;
    }
    arena->stacks = static_cast<char *>(stacks);
    arena->stride = stride;
    return arena;
  }

  pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  Arena *free = nullptr;
};
StackPool stackPool;

void setThread(Block &block, unsigned index) {
  block.current = index;
  threadIdx = block.arena->fibers[index].threadIdx;
}

/// Leaves the running fiber, which has just started to wait, for the next
/// ready one in round-robin order; with none ready, for the scheduler, which
/// reports the deadlock. Returns when the fiber is resumed.
void switchFromCurrent(Block &block) {
  Fiber *fibers = block.arena->fibers;
  unsigned self = block.current;
  for (unsigned step = 1; step <= block.count; ++step) {
    unsigned next = (self + step) % block.count;
    if (fibers[next].state != FiberState::Ready)
      continue;
    if (next == self)
      return;
    setThread(block, next);
    switchContext(fibers[self].context, fibers[next].context);
    return;
  }
  switchContext(fibers[self].context, block.arena->scheduler);
}

void releaseSyncthreads(Block &block) {
  block.atSyncthreads = 0;
  for (unsigned i = 0; i < block.count; ++i)
    if (block.arena->fibers[i].state == FiberState::AtSyncthreads)
      block.arena->fibers[i].state = FiberState::Ready;
}

void releaseWarp(Block &block, unsigned warp) {
  Warp &w = block.arena->warps[warp];
  w.waiting = 0;
  ++w.generation;
  Fiber *lanes = block.arena->fibers + warp * kWarpSize;
  for (unsigned i = 0; i < w.count; ++i)
    if (lanes[i].state == FiberState::AtWarpBarrier)
      lanes[i].state = FiberState::Ready;
}

/// Waits until every live lane of the running thread's warp is here.
void warpBarrier(Block &block) {
  unsigned warp = block.current / kWarpSize;
  Warp &w = block.arena->warps[warp];
  if (++w.waiting == w.live) {
    releaseWarp(block, warp);
    return;
  }
  block.arena->fibers[block.current].state = FiberState::AtWarpBarrier;
  switchFromCurrent(block);
}

/// The lane a shuffle reads, by PTX's definition of shfl.sync: `b` is the
/// lane, delta or mask operand, `c` packs the segment mask (bits 8-12) and
/// the clamp lane (bits 0-4). Out of range, a lane reads its own value.
unsigned shuffleSource(kiln_simt::ShuffleMode mode, unsigned lane, unsigned b,
                       unsigned c) {
  b &= 31;
  unsigned clamp = c & 31, segmask = (c >> 8) & 31;
  int maxLane = static_cast<int>((lane & segmask) | (clamp & ~segmask));
  int minLane = static_cast<int>(lane & segmask);
  int source = 0;
  bool inRange = false;
  switch (mode) {
  case kiln_simt::ShuffleMode::Up:
    source = static_cast<int>(lane) - static_cast<int>(b);
    inRange = source >= maxLane;
    break;
  case kiln_simt::ShuffleMode::Down:
    source = static_cast<int>(lane + b);
    inRange = source <= maxLane;
    break;
  case kiln_simt::ShuffleMode::Xor:
    source = static_cast<int>(lane ^ b);
    inRange = source <= maxLane;
    break;
  case kiln_simt::ShuffleMode::Index:
    source = minLane | static_cast<int>(b & ~segmask);
    inRange = source <= maxLane;
    break;
  }
  return inRange ? static_cast<unsigned>(source) : lane;
}

/// A fiber's life: runs the current thread, retires it and goes back to the
/// scheduler for good.
[[noreturn]] void fiberMain() {
  Block &block = *launch.block;
  block.entry(block.args);
  unsigned index = block.current;
  Warp &w = block.arena->warps[index / kWarpSize];
  block.arena->fibers[index].state = FiberState::Finished;
  --block.live;
  --w.live;
  if (block.atSyncthreads && block.atSyncthreads == block.live)
    releaseSyncthreads(block);
  if (w.waiting && w.waiting == w.live)
    releaseWarp(block, index / kWarpSize);
  switchContext(block.arena->fibers[index].context, block.arena->scheduler);
  __builtin_unreachable();
}

/// Why the launch failed; valid until the thread's next launch.
thread_local char errorMessage[512];

const char *deadlock(const Block &block) {
  unsigned atWarp = 0;
  for (unsigned i = 0; i < block.count; ++i)
    atWarp += block.arena->fibers[i].state == FiberState::AtWarpBarrier;
  snprintf(errorMessage, sizeof errorMessage,
           "deadlock in block (%u,%u,%u): %u of %u threads wait at "
           "__syncthreads and %u at a warp shuffle or __syncwarp, and none can "
           "go on (%u have returned); every thread that has not returned must "
           "reach each barrier",
           blockIdx.x, blockIdx.y, blockIdx.z, block.atSyncthreads, block.count,
           atWarp, block.count - block.live);
  return errorMessage;
}

/// Runs the current block (blockIdx) with one fiber per thread.
const char *runBlockWithFibers(Block &block) {
  Arena &arena = *block.arena;
  for (unsigned i = 0; i < block.count; ++i) {
    Fiber &fiber = arena.fibers[i];
    startContext(fiber.context,
                 arena.stacks + i * arena.stride + (arena.stride - kStackBytes),
                 kStackBytes, fiberMain);
    fiber.state = FiberState::Ready;
  }
  for (unsigned w = 0; w * kWarpSize < block.count; ++w) {
    unsigned lanes = block.count - w * kWarpSize;
    arena.warps[w].count = lanes < kWarpSize ? lanes : kWarpSize;
    arena.warps[w].live = arena.warps[w].count;
    arena.warps[w].waiting = 0;
  }
  block.live = block.count;
  block.atSyncthreads = 0;
  block.current = block.count - 1;
  // Back here whenever a fiber returns or none is ready.
  while (block.live > 0) {
    unsigned next = block.count;
    for (unsigned step = 1; step <= block.count && next == block.count;
         ++step) {
      unsigned i = (block.current + step) % block.count;
      if (arena.fibers[i].state == FiberState::Ready)
        next = i;
    }
    if (next == block.count)
      return deadlock(block);
    setThread(block, next);
    switchContext(arena.scheduler, arena.fibers[next].context);
  }
  return nullptr;
}

/// kiln_simt_launch.
const char *runGrid(void (*entry)(void **), void **args, const unsigned *dims,
                    size_t dynamicSharedBytes, bool fibers) {
  gridDim = dim3(dims[0], dims[1], dims[2]);
  blockDim = dim3(dims[3], dims[4], dims[5]);
  launch = Launch();
  // Padded for 16-byte vector accesses, and never null.
  size_t sharedBytes = (dynamicSharedBytes + 63) / 64 * 64;
  launch.dynamicShared = aligned_alloc(64, sharedBytes ? sharedBytes : 64);
  Block block{};
  const char *error = nullptr;
  if (!launch.dynamicShared)
    error = "out of memory for the dynamic shared memory";
  else if (fibers && !(block.arena = stackPool.take()))
    error = "out of memory for the threads' stacks";
  if (block.arena) {
    block.count = blockDim.x * blockDim.y * blockDim.z;
    block.entry = entry;
    block.args = args;
    unsigned index = 0;
    for (unsigned z = 0; z < blockDim.z; ++z)
      for (unsigned y = 0; y < blockDim.y; ++y)
        for (unsigned x = 0; x < blockDim.x; ++x)
          block.arena->fibers[index++].threadIdx = uint3{x, y, z};
    launch.block = &block;
  }
  for (unsigned bz = 0; bz < gridDim.z && !error; ++bz)
    for (unsigned by = 0; by < gridDim.y && !error; ++by)
      for (unsigned bx = 0; bx < gridDim.x && !error; ++bx) {
        blockIdx = uint3{bx, by, bz};
        if (fibers) {
          error = runBlockWithFibers(block);
          continue;
        }
        for (unsigned z = 0; z < blockDim.z; ++z)
          for (unsigned y = 0; y < blockDim.y; ++y)
            for (unsigned x = 0; x < blockDim.x; ++x) {
              threadIdx = uint3{x, y, z};
              entry(args);
            }
        if (launch.misuse) {
          snprintf(errorMessage, sizeof errorMessage,
                   "the kernel calls %s but was compiled as a kernel "
                   "without barriers",
                   launch.misuse);
          error = errorMessage;
        }
      }
  // A deadlocked block's fibers are abandoned where they wait: the next
  // launch makes new contexts, so the arena can be reused.
  if (block.arena)
    stackPool.give(block.arena);
  free(launch.dynamicShared);
  launch = Launch();
  return error;
}

} // namespace

// --- The interface ----------------------------------------------------------------

void *kiln_simt_dynamic_shared() { return launch.dynamicShared; }

/// Waits until every live thread of the block is here.
void kiln_simt_syncthreads() {
  Block *block = launch.block;
  if (!block) {
    launch.misuse = "__syncthreads";
    return;
  }
  if (++block->atSyncthreads == block->live) {
    releaseSyncthreads(*block);
    return;
  }
  block->arena->fibers[block->current].state = FiberState::AtSyncthreads;
  switchFromCurrent(*block);
}

void kiln_simt_syncwarp() {
  if (Block *block = launch.block)
    warpBarrier(*block);
  else
    launch.misuse = "__syncwarp";
}

uint64_t kiln_simt_shuffle(uint64_t bits, unsigned mode, unsigned b,
                           unsigned c) {
  Block *block = launch.block;
  if (!block) {
    launch.misuse = "a warp shuffle";
    return bits;
  }
  unsigned lane = block->current % kWarpSize;
  Warp &w = block->arena->warps[block->current / kWarpSize];
  uint64_t *slots = w.lanes[w.generation & 1];
  slots[lane] = bits;
  warpBarrier(*block);
  unsigned source =
      shuffleSource(static_cast<kiln_simt::ShuffleMode>(mode), lane, b, c);
  if (source >= w.count)
    source = lane;
  return slots[source];
}

const char *kiln_simt_launch(void (*entry)(void **args), void **args,
                             const unsigned *dims, size_t dynamicSharedBytes,
                             bool barriers) {
  return runGrid(entry, args, dims, dynamicSharedBytes, barriers);
}
