//===- SimtShim.h - CUDA's kernel language as host C++ ----------*- C++ -*-===//
//
// Host execution compiles the CUDA kernel source that NVRTC would see, as
// plain C++ for the CPU, after this header. It gives the subset of CUDA that
// emitted kernels use CUDA's meaning. What it declares and does not define
// lives in the SIMT runtime (SimtRuntime.cpp), compiled once per process
// into a shared object that every kernel module links against:
//
// - A launch runs the grid on the calling thread, one block after another.
//   Kernels without barriers run each thread as a call, in a loop; kernels
//   with barriers (__syncthreads, warp shuffles) run each thread of a block
//   as a fiber, switched at the barriers.
// - Thread identity (threadIdx and friends) is thread_local in the runtime,
//   set before a thread runs; kernels read it through the runtime's symbols.
//   `__shared__` arrays are static thread_local, shared by the fibers of the
//   block being run.
//
// This header stays small, and the per-kernel code it makes small, because
// it is compiled with every program: the barriers and shuffles are calls
// into the runtime, and a kernel's entry point only unpacks its arguments.
// It is not part of Kiln's build: the library embeds its text and writes it
// where it compiles kernels, which also keeps the fiber switches out of
// Kiln's sanitizer builds.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_SIMT_SHIM_H
#define KILN_SIMT_SHIM_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <type_traits>
#include <utility>

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
  type *const name = static_cast<type *>(kiln_simt_dynamic_shared())

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

/// A variable or function of the SIMT runtime, which every kernel module
/// links against.
#define KILN_SIMT_RUNTIME_API __attribute__((visibility("default")))

// Defined in the runtime under these names; constinit spares the reads a
// call to check for dynamic initialization.
KILN_SIMT_RUNTIME_API extern thread_local constinit uint3
    threadIdx __asm__("kiln_simt_threadIdx");
KILN_SIMT_RUNTIME_API extern thread_local constinit uint3
    blockIdx __asm__("kiln_simt_blockIdx");
KILN_SIMT_RUNTIME_API extern thread_local constinit dim3
    blockDim __asm__("kiln_simt_blockDim");
KILN_SIMT_RUNTIME_API extern thread_local constinit dim3
    gridDim __asm__("kiln_simt_gridDim");
constexpr int warpSize = 32;

// --- The rest of the runtime's interface -----------------------------------------

extern "C" {
/// The launch's dynamic shared memory for the running block.
KILN_SIMT_RUNTIME_API void *kiln_simt_dynamic_shared();
/// __syncthreads.
KILN_SIMT_RUNTIME_API void kiln_simt_syncthreads();
/// __syncwarp.
KILN_SIMT_RUNTIME_API void kiln_simt_syncwarp();
/// A warp shuffle of `bits` (`mode` a kiln_simt::ShuffleMode; `b` and `c`
/// the operands of PTX's shfl.sync): the bits of the lane it reads.
KILN_SIMT_RUNTIME_API uint64_t kiln_simt_shuffle(uint64_t bits, unsigned mode,
                                                 unsigned b, unsigned c);
/// Runs the grid given by `dims` (grid x, y, z, then block x, y, z), calling
/// `entry(args)` for each thread, as fibers if `barriers`. Null on success,
/// else why not, valid until the thread's next launch.
KILN_SIMT_RUNTIME_API const char *
kiln_simt_launch(void (*entry)(void **args), void **args, const unsigned *dims,
                 size_t dynamicSharedBytes, bool barriers);
}

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

// --- Kernel entry points and warp shuffles --------------------------------------

namespace kiln_simt {

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

enum class ShuffleMode : unsigned { Index, Up, Down, Xor };

/// The segment operand CUDA's intrinsics pass for `width`.
__forceinline__ unsigned shuffleSegment(int width, bool clampToTop) {
  return (static_cast<unsigned>(warpSize - width) << 8) |
         (clampToTop ? 31u : 0u);
}

template <class T>
__forceinline__ T shuffle(T value, ShuffleMode mode, unsigned b, unsigned c) {
  static_assert(sizeof(T) <= sizeof(uint64_t), "shuffles move 64 bits at most");
  uint64_t bits = 0;
  __builtin_memcpy(&bits, &value, sizeof(T));
  bits = kiln_simt_shuffle(bits, static_cast<unsigned>(mode), b, c);
  __builtin_memcpy(&value, &bits, sizeof(T));
  return value;
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

/// The exported entry point of kernel `name`, which the executor looks up and
/// passes to kiln_simt_launch: calls the kernel with the arguments `args`
/// points at.
#define KILN_SIMT_HOST_ENTRY(name)                                             \
  extern "C" __attribute__((visibility("default"))) void kiln_host_##name(     \
      void **args) {                                                           \
    ::kiln_simt::callKernel(&name, args);                                      \
  }

// --- Barriers and warp shuffles ----------------------------------------------------

__forceinline__ void __syncthreads() { kiln_simt_syncthreads(); }
__forceinline__ void __syncwarp(unsigned mask = 0xffffffffu) {
  kiln_simt_syncwarp();
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
