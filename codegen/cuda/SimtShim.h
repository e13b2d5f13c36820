//===- SimtShim.h - CUDA's kernel language as host C++ ----------*- C++ -*-===//
//
// Host execution compiles the CUDA kernel source that NVRTC would see, as
// plain C++ for the CPU, after this header. It gives the subset of CUDA that
// emitted kernels use CUDA's meaning, and it runs a launch's grid on the
// calling thread, one block after another:
//
// - Kernels without barriers run each thread as a call, in a loop.
// - Kernels with barriers (__syncthreads, warp shuffles) run each thread of a
//   block as a fiber with a stack of its own, switched round-robin on the one
//   OS thread; a thread runs until it waits at a barrier. Threads that have
//   returned no longer count at a barrier; when every live thread waits and
//   none can go on, the launch fails as deadlocked instead of hanging.
//
// Thread identity (threadIdx and friends) is thread_local, set before a
// fiber resumes; `__shared__` arrays are static thread_local, shared by the
// fibers of the block being run. This header is not part of Kiln's build:
// the library embeds its text and writes it next to the kernel it compiles,
// which also keeps the fiber switches out of Kiln's sanitizer builds.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_SIMT_SHIM_H
#define KILN_SIMT_SHIM_H

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <type_traits>
#include <unistd.h>
#include <utility>
#if !defined(__x86_64__) || defined(KILN_SIMT_UCONTEXT)
#include <ucontext.h>
#define KILN_SIMT_UCONTEXT 1
#endif

// --- Declaration specifiers --------------------------------------------------

#define __global__
#define __device__
#define __host__
#define __forceinline__ __attribute__((always_inline)) inline
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
#define __shared__ static thread_local
/// Dynamic shared memory, inside a function: `type *name` at the launch's
/// dynamic shared bytes (16-byte aligned) for the running block.
#define KILN_DYNAMIC_SHARED(type, name)                                        \
  type *const name = static_cast<type *>(::kiln_simt::dynamicSharedMemory())

// --- Thread identity ---------------------------------------------------------

struct uint3 {
  unsigned x, y, z;
};

struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned x = 1, unsigned y = 1, unsigned z = 1)
      : x(x), y(y), z(z) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
};

inline thread_local uint3 threadIdx;
inline thread_local uint3 blockIdx;
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;
constexpr int warpSize = 32;

// --- Vector types --------------------------------------------------------------

struct __align__(8) float2 {
  float x, y;
};
struct __align__(16) float4 {
  float x, y, z, w;
};
struct __align__(8) int2 {
  int x, y;
};
struct __align__(16) int4 {
  int x, y, z, w;
};
struct __align__(16) uint4 {
  unsigned x, y, z, w;
};
struct __align__(16) double2 {
  double x, y;
};

__forceinline__ float2 make_float2(float x, float y) { return {x, y}; }
__forceinline__ float4 make_float4(float x, float y, float z, float w) {
  return {x, y, z, w};
}
__forceinline__ int2 make_int2(int x, int y) { return {x, y}; }
__forceinline__ int4 make_int4(int x, int y, int z, int w) {
  return {x, y, z, w};
}
__forceinline__ uint4 make_uint4(unsigned x, unsigned y, unsigned z,
                                 unsigned w) {
  return {x, y, z, w};
}
__forceinline__ double2 make_double2(double x, double y) { return {x, y}; }

// --- Fibers --------------------------------------------------------------------

namespace kiln_simt {

#ifdef KILN_SIMT_UCONTEXT
/// A suspended fiber. glibc's swapcontext also saves the signal mask, a
/// system call each switch; x86-64 has a switch of its own below.
struct Context {
  ucontext_t context;
};

/// Prepares `context` to run `entry`, which must never return, on the stack
/// [bottom, bottom + size).
inline void startContext(Context &context, char *bottom, size_t size,
                         void (*entry)()) {
  getcontext(&context.context);
  context.context.uc_stack.ss_sp = bottom;
  context.context.uc_stack.ss_size = size;
  context.context.uc_link = nullptr;
  makecontext(&context.context, entry, 0);
}

/// Saves the running fiber in `from` and resumes `to`.
inline void switchContext(Context &from, Context &to) {
  swapcontext(&from.context, &to.context);
}
#else
/// A suspended fiber: its stack pointer. The stack holds what the System V
/// ABI says a call preserves (rbx, rbp, r12-r15, the MXCSR and x87 control
/// words) and the address to resume at.
struct Context {
  void *stackPointer;
};

extern "C" void kiln_simt_switch(void **save, void *resume);
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

inline void startContext(Context &context, char *bottom, size_t size,
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

inline void switchContext(Context &from, Context &to) {
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
  void (*body)(void *);   ///< Runs the kernel for the current thread.
  void *bodyContext;
};

/// What the calling OS thread is launching.
struct Launch {
  Block *block = nullptr; ///< Null when threads run as plain calls.
  void *dynamicShared = nullptr;
  const char *misuse = nullptr; ///< A barrier called without fibers.
};
inline thread_local Launch launch;

inline void *dynamicSharedMemory() { return launch.dynamicShared; }

/// Arenas not in use, shared by every OS thread launching from this module.
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
inline StackPool stackPool;

inline void setThread(Block &block, unsigned index) {
  block.current = index;
  threadIdx = block.arena->fibers[index].threadIdx;
}

/// Leaves the running fiber, which has just started to wait, for the next
/// ready one in round-robin order; with none ready, for the scheduler, which
/// reports the deadlock. Returns when the fiber is resumed.
__attribute__((noinline)) inline void switchFromCurrent(Block &block) {
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

inline void releaseSyncthreads(Block &block) {
  block.atSyncthreads = 0;
  for (unsigned i = 0; i < block.count; ++i)
    if (block.arena->fibers[i].state == FiberState::AtSyncthreads)
      block.arena->fibers[i].state = FiberState::Ready;
}

inline void releaseWarp(Block &block, unsigned warp) {
  Warp &w = block.arena->warps[warp];
  w.waiting = 0;
  ++w.generation;
  Fiber *lanes = block.arena->fibers + warp * kWarpSize;
  for (unsigned i = 0; i < w.count; ++i)
    if (lanes[i].state == FiberState::AtWarpBarrier)
      lanes[i].state = FiberState::Ready;
}

/// __syncthreads: waits until every live thread of the block is here.
inline void syncthreads() {
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

/// Waits until every live lane of the running thread's warp is here.
inline void warpBarrier(Block &block) {
  unsigned warp = block.current / kWarpSize;
  Warp &w = block.arena->warps[warp];
  if (++w.waiting == w.live) {
    releaseWarp(block, warp);
    return;
  }
  block.arena->fibers[block.current].state = FiberState::AtWarpBarrier;
  switchFromCurrent(block);
}

inline void syncwarp() {
  if (Block *block = launch.block)
    warpBarrier(*block);
  else
    launch.misuse = "__syncwarp";
}

enum class ShuffleMode { Index, Up, Down, Xor };

/// The lane a shuffle reads, by PTX's definition of shfl.sync: `b` is the
/// lane, delta or mask operand, `c` packs the segment mask (bits 8-12) and
/// the clamp lane (bits 0-4). Out of range, a lane reads its own value.
inline unsigned shuffleSource(ShuffleMode mode, unsigned lane, unsigned b,
                              unsigned c) {
  b &= 31;
  unsigned clamp = c & 31, segmask = (c >> 8) & 31;
  int maxLane = static_cast<int>((lane & segmask) | (clamp & ~segmask));
  int minLane = static_cast<int>(lane & segmask);
  int source = 0;
  bool inRange = false;
  switch (mode) {
  case ShuffleMode::Up:
    source = static_cast<int>(lane) - static_cast<int>(b);
    inRange = source >= maxLane;
    break;
  case ShuffleMode::Down:
    source = static_cast<int>(lane + b);
    inRange = source <= maxLane;
    break;
  case ShuffleMode::Xor:
    source = static_cast<int>(lane ^ b);
    inRange = source <= maxLane;
    break;
  case ShuffleMode::Index:
    source = minLane | static_cast<int>(b & ~segmask);
    inRange = source <= maxLane;
    break;
  }
  return inRange ? static_cast<unsigned>(source) : lane;
}

/// The segment operand CUDA's intrinsics pass for `width`.
inline unsigned shuffleSegment(int width, bool clampToTop) {
  return (static_cast<unsigned>(kWarpSize - width) << 8) |
         (clampToTop ? 31u : 0u);
}

template <class T>
T shuffle(T value, ShuffleMode mode, unsigned b, unsigned c) {
  static_assert(sizeof(T) <= sizeof(uint64_t), "shuffles move 64 bits at most");
  Block *block = launch.block;
  if (!block) {
    launch.misuse = "a warp shuffle";
    return value;
  }
  unsigned lane = block->current % kWarpSize;
  Warp &w = block->arena->warps[block->current / kWarpSize];
  uint64_t *slots = w.lanes[w.generation & 1];
  uint64_t bits = 0;
  memcpy(&bits, &value, sizeof(T));
  slots[lane] = bits;
  warpBarrier(*block);
  unsigned source = shuffleSource(mode, lane, b, c);
  if (source >= w.count)
    source = lane;
  memcpy(&value, &slots[source], sizeof(T));
  return value;
}

/// A fiber's life: runs the current thread, retires it and goes back to the
/// scheduler for good.
[[noreturn]] inline void fiberMain() {
  Block &block = *launch.block;
  block.body(block.bodyContext);
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
inline thread_local char errorMessage[512];

inline const char *deadlock(const Block &block) {
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
inline const char *runBlockWithFibers(Block &block) {
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

/// Runs the grid given by `dims` (grid x, y, z, then block x, y, z); `body`
/// runs the kernel for the current thread. Null on success, else why not.
template <class Body>
const char *runGrid(const unsigned *dims, size_t dynamicSharedBytes,
                    bool fibers, Body body) {
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
    block.body = [](void *context) { (*static_cast<Body *>(context))(); };
    block.bodyContext = &body;
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
              body();
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

template <class... P, size_t... I>
__forceinline__ void callKernel(void (*kernel)(P...), void **args,
                                std::index_sequence<I...>) {
  kernel(*static_cast<P *>(args[I])...);
}

/// Calls `kernel` with its parameters read from `args`, which point at them
/// like cuLaunchKernel's kernelParams.
template <class... P>
__forceinline__ void callKernel(void (*kernel)(P...), void **args) {
  callKernel(kernel, args, std::index_sequence_for<P...>());
}

/// The body of a host entry point: runs `Kernel` over the grid.
template <auto Kernel, bool Barriers>
const char *launchKernel(const unsigned *dims, size_t dynamicSharedBytes,
                         void **args) {
  return runGrid(dims, dynamicSharedBytes, Barriers,
                 [args] { callKernel(Kernel, args); });
}

template <class T, class Update>
__forceinline__ T atomicUpdate(T *address, Update update) {
  T old = __atomic_load_n(address, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(address, &old, update(old), true,
                                      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
  }
  return old;
}

template <class T, class Bits, class Update>
__forceinline__ T atomicUpdateBits(T *address, Update update) {
  Bits old = atomicUpdate(reinterpret_cast<Bits *>(address), [&](Bits bits) {
    return __builtin_bit_cast(Bits, update(__builtin_bit_cast(T, bits)));
  });
  return __builtin_bit_cast(T, old);
}

} // namespace kiln_simt

/// The exported entry point of kernel `name`, which the executor looks up.
#define KILN_SIMT_HOST_ENTRY(name, barriers)                                   \
  extern "C" __attribute__((visibility("default")))                            \
  const char *kiln_host_##name(const unsigned *dims,                           \
                               size_t dynamicSharedBytes, void **args) {       \
    return ::kiln_simt::launchKernel<&name, barriers>(                         \
        dims, dynamicSharedBytes, args);                                       \
  }

// --- Barriers and warp shuffles ----------------------------------------------------

__forceinline__ void __syncthreads() { kiln_simt::syncthreads(); }
__forceinline__ void __syncwarp(unsigned mask = 0xffffffffu) {
  kiln_simt::syncwarp();
}

template <class T>
  requires std::is_arithmetic_v<T>
__forceinline__ T __shfl_sync(unsigned mask, T var, int srcLane,
                              int width = warpSize) {
  return kiln_simt::shuffle(var, kiln_simt::ShuffleMode::Index,
                            static_cast<unsigned>(srcLane),
                            kiln_simt::shuffleSegment(width, true));
}
template <class T>
  requires std::is_arithmetic_v<T>
__forceinline__ T __shfl_up_sync(unsigned mask, T var, unsigned delta,
                                 int width = warpSize) {
  return kiln_simt::shuffle(var, kiln_simt::ShuffleMode::Up, delta,
                            kiln_simt::shuffleSegment(width, false));
}
template <class T>
  requires std::is_arithmetic_v<T>
__forceinline__ T __shfl_down_sync(unsigned mask, T var, unsigned delta,
                                   int width = warpSize) {
  return kiln_simt::shuffle(var, kiln_simt::ShuffleMode::Down, delta,
                            kiln_simt::shuffleSegment(width, true));
}
template <class T>
  requires std::is_arithmetic_v<T>
__forceinline__ T __shfl_xor_sync(unsigned mask, T var, int laneMask,
                                  int width = warpSize) {
  return kiln_simt::shuffle(var, kiln_simt::ShuffleMode::Xor,
                            static_cast<unsigned>(laneMask),
                            kiln_simt::shuffleSegment(width, true));
}

// --- Atomics -----------------------------------------------------------------------

// The overloads CUDA has, no more, so that what compiles here compiles
// with NVRTC too.
#define KILN_SIMT_ATOMIC_ADD(T)                                                \
  __forceinline__ T atomicAdd(T *address, T value) {                           \
    return __atomic_fetch_add(address, value, __ATOMIC_SEQ_CST);               \
  }
#define KILN_SIMT_ATOMIC_MIN_MAX(T)                                            \
  __forceinline__ T atomicMax(T *address, T value) {                           \
    return kiln_simt::atomicUpdate(                                            \
        address, [=](T old) { return old < value ? value : old; });            \
  }                                                                            \
  __forceinline__ T atomicMin(T *address, T value) {                           \
    return kiln_simt::atomicUpdate(                                            \
        address, [=](T old) { return value < old ? value : old; });            \
  }
#define KILN_SIMT_ATOMIC_CAS_EXCH(T)                                           \
  __forceinline__ T atomicCAS(T *address, T compare, T value) {                \
    __atomic_compare_exchange_n(address, &compare, value, false,               \
                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);           \
    return compare;                                                            \
  }                                                                            \
  __forceinline__ T atomicExch(T *address, T value) {                          \
    return __atomic_exchange_n(address, value, __ATOMIC_SEQ_CST);              \
  }
KILN_SIMT_ATOMIC_ADD(int)
KILN_SIMT_ATOMIC_ADD(unsigned)
KILN_SIMT_ATOMIC_ADD(unsigned long long)
KILN_SIMT_ATOMIC_MIN_MAX(int)
KILN_SIMT_ATOMIC_MIN_MAX(unsigned)
KILN_SIMT_ATOMIC_MIN_MAX(long long)
KILN_SIMT_ATOMIC_MIN_MAX(unsigned long long)
KILN_SIMT_ATOMIC_CAS_EXCH(int)
KILN_SIMT_ATOMIC_CAS_EXCH(unsigned)
KILN_SIMT_ATOMIC_CAS_EXCH(unsigned long long)
#undef KILN_SIMT_ATOMIC_ADD
#undef KILN_SIMT_ATOMIC_MIN_MAX
#undef KILN_SIMT_ATOMIC_CAS_EXCH

__forceinline__ float atomicAdd(float *address, float value) {
  return kiln_simt::atomicUpdateBits<float, uint32_t>(
      address, [=](float old) { return old + value; });
}
__forceinline__ double atomicAdd(double *address, double value) {
  return kiln_simt::atomicUpdateBits<double, uint64_t>(
      address, [=](double old) { return old + value; });
}
__forceinline__ float atomicExch(float *address, float value) {
  return kiln_simt::atomicUpdateBits<float, uint32_t>(
      address, [=](float) { return value; });
}
__forceinline__ void __threadfence() {
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

// --- Math and bits beyond <math.h> ---------------------------------------------------

__forceinline__ float rsqrtf(float x) { return 1.0f / sqrtf(x); }
__forceinline__ double rsqrt(double x) { return 1.0 / sqrt(x); }
__forceinline__ float __expf(float x) { return expf(x); }
__forceinline__ float __logf(float x) { return logf(x); }
__forceinline__ float __log2f(float x) { return log2f(x); }
__forceinline__ float __log10f(float x) { return log10f(x); }
__forceinline__ float __powf(float x, float y) { return powf(x, y); }
__forceinline__ float __sinf(float x) { return sinf(x); }
__forceinline__ float __cosf(float x) { return cosf(x); }
__forceinline__ float __tanf(float x) { return tanf(x); }
__forceinline__ float __fdividef(float x, float y) { return x / y; }
/// Clamps to [0, 1]; NaN gives 0.
__forceinline__ float __saturatef(float x) {
  return x >= 1.0f ? 1.0f : (x > 0.0f ? x : 0.0f);
}

__forceinline__ int __float_as_int(float x) {
  return __builtin_bit_cast(int, x);
}
__forceinline__ float __int_as_float(int x) {
  return __builtin_bit_cast(float, x);
}
__forceinline__ unsigned __float_as_uint(float x) {
  return __builtin_bit_cast(unsigned, x);
}
__forceinline__ float __uint_as_float(unsigned x) {
  return __builtin_bit_cast(float, x);
}
__forceinline__ long long __double_as_longlong(double x) {
  return __builtin_bit_cast(long long, x);
}
__forceinline__ double __longlong_as_double(long long x) {
  return __builtin_bit_cast(double, x);
}
__forceinline__ unsigned __umulhi(unsigned x, unsigned y) {
  return static_cast<unsigned>((static_cast<uint64_t>(x) * y) >> 32);
}
__forceinline__ unsigned long long __umul64hi(unsigned long long x,
                                              unsigned long long y) {
  return static_cast<unsigned long long>(
      (static_cast<unsigned __int128>(x) * y) >> 64);
}

template <class T> __forceinline__ T __ldg(const T *address) {
  return *address;
}

// CUDA's min and max, with its mixed-type overloads (the wider or unsigned
// type wins), so that calls are never ambiguous where CUDA accepts them.
#define KILN_SIMT_MIN_MAX(R, A, B)                                             \
  __forceinline__ R min(A a, B b) {                                            \
    return static_cast<R>(a) < static_cast<R>(b) ? static_cast<R>(a)           \
                                                 : static_cast<R>(b);          \
  }                                                                            \
  __forceinline__ R max(A a, B b) {                                            \
    return static_cast<R>(a) < static_cast<R>(b) ? static_cast<R>(b)           \
                                                 : static_cast<R>(a);          \
  }
KILN_SIMT_MIN_MAX(int, int, int)
KILN_SIMT_MIN_MAX(unsigned, unsigned, unsigned)
KILN_SIMT_MIN_MAX(unsigned, int, unsigned)
KILN_SIMT_MIN_MAX(unsigned, unsigned, int)
KILN_SIMT_MIN_MAX(long, long, long)
KILN_SIMT_MIN_MAX(unsigned long, unsigned long, unsigned long)
KILN_SIMT_MIN_MAX(long long, long long, long long)
KILN_SIMT_MIN_MAX(unsigned long long, unsigned long long, unsigned long long)
KILN_SIMT_MIN_MAX(unsigned long long, long long, unsigned long long)
KILN_SIMT_MIN_MAX(unsigned long long, unsigned long long, long long)
KILN_SIMT_MIN_MAX(double, float, double)
KILN_SIMT_MIN_MAX(double, double, float)
#undef KILN_SIMT_MIN_MAX
// NaN-aware like CUDA: the other operand when one is NaN.
__forceinline__ float min(float a, float b) { return fminf(a, b); }
__forceinline__ float max(float a, float b) { return fmaxf(a, b); }
__forceinline__ double min(double a, double b) { return fmin(a, b); }
__forceinline__ double max(double a, double b) { return fmax(a, b); }

#endif // KILN_SIMT_SHIM_H
