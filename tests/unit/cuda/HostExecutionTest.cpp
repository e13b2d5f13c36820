//===- HostExecutionTest.cpp - CUDA kernels run on the CPU ----------------===//
//
// Hand-written kernels in the style the CUDA emitter writes, run through
// HostModule and checked against plain C++. With the CUDA toolkit, NVRTC
// compiles each of them too: what runs here must be valid CUDA.
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cuda/HostExecution.h"
#include "kiln/runtime/Error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#ifdef KILN_TEST_NVRTC
#include <nvrtc.h>
#endif

using namespace kiln::codegen::cuda;

namespace {

/// An elementwise kernel: a grid-stride loop over float4, then the tail.
const char *kSaxpy = R"cuda(
static_assert(alignof(float4) == 16, "float4 is 16-byte aligned");

extern "C" __global__ void __launch_bounds__(256)
kiln_saxpy(float *__restrict__ out, const float *__restrict__ x,
           const float *__restrict__ y, float a, long long n) {
  long long stride = (long long)blockDim.x * gridDim.x;
  long long first = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  long long vectors = n / 4;
  const float4 *x4 = reinterpret_cast<const float4 *>(x);
  const float4 *y4 = reinterpret_cast<const float4 *>(y);
  float4 *out4 = reinterpret_cast<float4 *>(out);
  for (long long i = first; i < vectors; i += stride) {
    float4 u = __ldg(&x4[i]), v = __ldg(&y4[i]);
    out4[i] = make_float4(a * u.x + v.x, a * u.y + v.y, a * u.z + v.z,
                          a * u.w + v.w);
  }
  for (long long i = vectors * 4 + first; i < n; i += stride)
    out[i] = a * x[i] + y[i];
}
)cuda";

/// Sums through warp shuffles and a __shared__ array: one block per row,
/// and a full reduction in two passes (partial sums, then one block).
const char *kReductions = R"cuda(
__device__ __forceinline__ float warpSum(float v) {
  for (int offset = 16; offset > 0; offset >>= 1)
    v += __shfl_down_sync(0xffffffffu, v, offset);
  return v;
}

// The block's sum, in thread 0.
__device__ float blockSum(float v) {
  __shared__ float partial[32];
  unsigned lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
  v = warpSum(v);
  if (lane == 0)
    partial[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < blockDim.x / warpSize ? partial[lane] : 0.0f;
    v = warpSum(v);
  }
  return v;
}

extern "C" __global__ void __launch_bounds__(256)
kiln_row_sum(float *__restrict__ out, const float *__restrict__ in,
             long long cols) {
  const float *row = in + blockIdx.x * cols;
  float v = 0.0f;
  for (long long i = threadIdx.x; i < cols; i += blockDim.x)
    v += row[i];
  v = blockSum(v);
  if (threadIdx.x == 0)
    out[blockIdx.x] = v;
}

extern "C" __global__ void __launch_bounds__(256)
kiln_partial_sums(float *__restrict__ partials, const float *__restrict__ in,
                  long long n) {
  float v = 0.0f;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += (long long)blockDim.x * gridDim.x)
    v += in[i];
  v = blockSum(v);
  if (threadIdx.x == 0)
    partials[blockIdx.x] = v;
}

extern "C" __global__ void __launch_bounds__(256)
kiln_final_sum(float *__restrict__ out, const float *__restrict__ partials,
               int count) {
  float v = 0.0f;
  for (int i = threadIdx.x; i < count; i += blockDim.x)
    v += partials[i];
  v = blockSum(v);
  if (threadIdx.x == 0)
    *out = v;
}
)cuda";

/// A transpose through a padded shared tile, with 32x8 blocks.
const char *kTranspose = R"cuda(
extern "C" __global__ void __launch_bounds__(256)
kiln_transpose(float *__restrict__ out, const float *__restrict__ in,
               int rows, int cols) {
  __shared__ float tile[32][33];
  int x = blockIdx.x * 32 + threadIdx.x, y = blockIdx.y * 32 + threadIdx.y;
  for (int j = 0; j < 32; j += blockDim.y)
    if (x < cols && y + j < rows)
      tile[threadIdx.y + j][threadIdx.x] = in[(y + j) * cols + x];
  __syncthreads();
  x = blockIdx.y * 32 + threadIdx.x;
  y = blockIdx.x * 32 + threadIdx.y;
  for (int j = 0; j < 32; j += blockDim.y)
    if (x < rows && y + j < cols)
      out[(y + j) * rows + x] = tile[threadIdx.x][threadIdx.y + j];
}
)cuda";

/// A histogram in shared memory then global memory, a float scatter-add,
/// and the other atomics.
const char *kAtomics = R"cuda(
extern "C" __global__ void __launch_bounds__(128)
kiln_histogram(unsigned *__restrict__ bins, const int *__restrict__ values,
               int n) {
  __shared__ unsigned local[64];
  for (int i = threadIdx.x; i < 64; i += blockDim.x)
    local[i] = 0;
  __syncthreads();
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += blockDim.x * gridDim.x)
    atomicAdd(&local[values[i] & 63], 1u);
  __syncthreads();
  for (int i = threadIdx.x; i < 64; i += blockDim.x)
    if (local[i])
      atomicAdd(&bins[i], local[i]);
}

extern "C" __global__ void __launch_bounds__(256)
kiln_scatter_add(float *__restrict__ out, const float *__restrict__ src,
                 const int *__restrict__ index, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    atomicAdd(&out[index[i]], src[i]);
}

extern "C" __global__ void __launch_bounds__(256)
kiln_atomics(int *extremes, double *sum, unsigned long long *count,
             float *flag, int *first, const int *__restrict__ values, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  atomicMax(&extremes[0], values[i]);
  atomicMin(&extremes[1], values[i]);
  atomicAdd(sum, (double)values[i]);
  unsigned long long seen = *count, assumed;
  do {
    assumed = seen;
    seen = atomicCAS(count, assumed, assumed + 1);
  } while (seen != assumed);
  __threadfence();
  if (values[i] == 7)
    atomicExch(flag, 0.5f);
  atomicCAS(first, 0, i + 1);
}
)cuda";

/// Each block reverses its slice through dynamic shared memory.
const char *kDynamicShared = R"cuda(
extern "C" __global__ void __launch_bounds__(1024)
kiln_reverse_blocks(float *__restrict__ out, const float *__restrict__ in,
                    int *__restrict__ misaligned, int n) {
  KILN_DYNAMIC_SHARED(float, buffer);
  if ((unsigned long long)buffer % 16 != 0)
    *misaligned = 1;
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  buffer[threadIdx.x] = i < n ? in[i] : 0.0f;
  __syncthreads();
  int j = blockIdx.x * blockDim.x + (blockDim.x - 1 - threadIdx.x);
  if (j < n)
    out[j] = buffer[threadIdx.x];
}
)cuda";

/// Every shuffle, with and without width segments, on int, unsigned, double
/// and long long; and a butterfly all-reduce.
const char *kShuffles = R"cuda(
extern "C" __global__ void __launch_bounds__(96)
kiln_shuffles(int *__restrict__ out, double *__restrict__ sums,
              long long *__restrict__ wide) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x % warpSize;
  int v = t * 3 + 1;
  int *row = out + t * 9;
  row[0] = __shfl_down_sync(0xffffffffu, v, 3);
  row[1] = __shfl_up_sync(0xffffffffu, v, 5);
  row[2] = __shfl_xor_sync(0xffffffffu, v, 9);
  row[3] = __shfl_sync(0xffffffffu, v, 7);
  row[4] = __shfl_down_sync(0xffffffffu, v, 3, 8);
  row[5] = __shfl_up_sync(0xffffffffu, v, 2, 8);
  row[6] = __shfl_sync(0xffffffffu, v, lane + 3, 16);
  row[7] = (int)__shfl_xor_sync(0xffffffffu, (unsigned)v, 4, 4);
  row[8] = __shfl_xor_sync(0xffffffffu, v, 2, 4);
  double s = t * 0.5;
  for (int mask = 16; mask > 0; mask >>= 1)
    s += __shfl_xor_sync(0xffffffffu, s, mask);
  sums[t] = s;
  long long w = (long long)t << 40 | t;
  wide[t] = __shfl_sync(0xffffffffu, w, 31 - lane);
}
)cuda";

/// CUDA's math and bit functions beyond <cmath>.
const char *kMath = R"cuda(
extern "C" __global__ void kiln_math(float *__restrict__ f,
                                     double *__restrict__ d,
                                     unsigned long long *__restrict__ u,
                                     const float *__restrict__ x) {
  float v = __ldg(x);
  f[0] = rsqrtf(v);
  f[1] = __saturatef(-v) + __saturatef(8.0f * v) + __saturatef(NAN);
  f[2] = __int_as_float(__float_as_int(v)) + __uint_as_float(__float_as_uint(v));
  f[3] = __fdividef(1.0f, v) + __expf(__logf(v));
  f[4] = fmaxf(v, NAN) + max(v, -INFINITY) + min(v, INFINITY);
  f[5] = erff(v) + tanhf(v) + log1pf(v) + expm1f(v) + powf(v, 2.0f);
  f[6] = (float)(min(-3, 2) + max(3u, 4u) + min(5ll, 6ll));
  f[7] = floorf(2.5f) + fabsf(-v) + sqrtf(v) + sinf(0.0f) + cosf(0.0f);
  d[0] = rsqrt(16.0);
  d[1] = __longlong_as_double(__double_as_longlong(1.5)) + max(1.0, 2.0f);
  u[0] = __umulhi(0x80000000u, 6u);
  u[1] = __umul64hi(1ull << 63, 6ull);
}
)cuda";

/// Half of warp 0 waits at a shuffle for the other half, which waits at
/// __syncthreads for the first: a deadlock on a GPU too.
const char *kDeadlock = R"cuda(
extern "C" __global__ void kiln_deadlock(float *out) {
  float v = threadIdx.x;
  if (threadIdx.x < 16)
    v = __shfl_down_sync(0xffffffffu, v, 1);
  __syncthreads();
  out[threadIdx.x] = v;
}
)cuda";

/// Every kernel source above, for the NVRTC check.
const char *const kSources[] = {kSaxpy,   kReductions,    kTranspose,
                                kAtomics, kDynamicShared, kShuffles,
                                kMath,    kDeadlock};

/// Launches `kernel` with `params`, each passed by address like
/// cuLaunchKernel's kernelParams.
template <class... Params>
void launch(const HostModule &module, const std::string &kernel, Dim3 grid,
            Dim3 block, size_t dynamicSharedBytes, Params... params) {
  void *args[] = {&params...};
  module.launch(kernel, grid, block, dynamicSharedBytes, args);
}

/// Values in [-1, 1) from a fixed sequence.
std::vector<float> values(size_t n, unsigned seed) {
  std::vector<float> v(n);
  for (float &x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(seed >> 8) / static_cast<float>(1u << 23) - 1.0f;
  }
  return v;
}

/// The message of the kiln::Error that `run` throws, or a failure.
template <class Run> std::string errorOf(Run run) {
  try {
    run();
  } catch (const kiln::Error &e) {
    return e.what();
  }
  ADD_FAILURE() << "no kiln::Error was thrown";
  return "";
}

TEST(HostExecutionTest, GridStrideElementwiseWithFloat4) {
  auto module = HostModule::compile(kSaxpy, {{"kiln_saxpy", false}});
  long long n = 10003;
  std::vector<float> x = values(n, 1), y = values(n, 2), out(n);
  ASSERT_EQ(reinterpret_cast<uintptr_t>(x.data()) % 16, 0u);
  launch(*module, "kiln_saxpy", {3}, {128}, 0, out.data(),
         static_cast<const float *>(x.data()),
         static_cast<const float *>(y.data()), 2.5f, n);
  for (long long i = 0; i < n; ++i)
    ASSERT_FLOAT_EQ(out[i], 2.5f * x[i] + y[i]) << "at " << i;
}

TEST(HostExecutionTest, RowSumWithShufflesAndSharedMemory) {
  auto module = HostModule::compile(kReductions, {{"kiln_row_sum", true}});
  int rows = 37;
  long long cols = 1000;
  std::vector<float> in = values(rows * cols, 3), out(rows);
  launch(*module, "kiln_row_sum", {static_cast<unsigned>(rows)}, {256}, 0,
         out.data(), static_cast<const float *>(in.data()), cols);
  for (int r = 0; r < rows; ++r) {
    double sum = 0;
    for (long long c = 0; c < cols; ++c)
      sum += in[r * cols + c];
    EXPECT_NEAR(out[r], sum, 1e-3) << "row " << r;
  }
}

TEST(HostExecutionTest, FullSumInTwoPasses) {
  auto module = HostModule::compile(
      kReductions, {{"kiln_partial_sums", true}, {"kiln_final_sum", true}});
  long long n = (1 << 18) + 123;
  int blocks = 40;
  std::vector<float> in = values(n, 4), partials(blocks);
  float out = 0;
  launch(*module, "kiln_partial_sums", {static_cast<unsigned>(blocks)}, {256},
         0, partials.data(), static_cast<const float *>(in.data()), n);
  launch(*module, "kiln_final_sum", {1}, {256}, 0, &out,
         static_cast<const float *>(partials.data()), blocks);
  double sum = 0;
  for (float v : in)
    sum += v;
  EXPECT_NEAR(out, sum, 1e-2);
}

TEST(HostExecutionTest, TransposeThroughSharedTile) {
  auto module = HostModule::compile(kTranspose, {{"kiln_transpose", true}});
  constexpr int rows = 70, cols = 45;
  std::vector<float> in = values(rows * cols, 5), out(rows * cols, -7.0f);
  launch(*module, "kiln_transpose", {(cols + 31) / 32, (rows + 31) / 32},
         {32, 8}, 0, out.data(), static_cast<const float *>(in.data()), rows,
         cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      ASSERT_EQ(out[c * rows + r], in[r * cols + c]) << r << ", " << c;
}

TEST(HostExecutionTest, AtomicHistogramAndScatterAdd) {
  auto module = HostModule::compile(
      kAtomics, {{"kiln_histogram", true}, {"kiln_scatter_add", false}});
  constexpr int n = 5000;
  std::vector<int> keys(n);
  for (int i = 0; i < n; ++i)
    keys[i] = (i * 7919) % 1000;
  std::vector<unsigned> bins(64), expectedBins(64);
  for (int k : keys)
    ++expectedBins[k & 63];
  launch(*module, "kiln_histogram", {5}, {128}, 0, bins.data(),
         static_cast<const int *>(keys.data()), n);
  EXPECT_EQ(bins, expectedBins);

  // Halves add exactly in any order.
  std::vector<float> src(n), sums(100), expectedSums(100);
  std::vector<int> index(n);
  for (int i = 0; i < n; ++i) {
    src[i] = static_cast<float>(i % 9) * 0.5f;
    index[i] = (i * 31) % 100;
    expectedSums[index[i]] += src[i];
  }
  launch(*module, "kiln_scatter_add", {(n + 255) / 256}, {256}, 0, sums.data(),
         static_cast<const float *>(src.data()),
         static_cast<const int *>(index.data()), n);
  EXPECT_EQ(sums, expectedSums);
}

TEST(HostExecutionTest, OtherAtomics) {
  auto module = HostModule::compile(kAtomics, {{"kiln_atomics", false}});
  int n = 300;
  std::vector<int> v(n);
  for (int i = 0; i < n; ++i)
    v[i] = (i * 37) % 101 - 50;
  v[123] = 7;
  int extremes[2] = {-1000, 1000}, first = 0;
  double sum = 0;
  unsigned long long count = 0;
  float flag = 0;
  launch(*module, "kiln_atomics", {2}, {256}, 0, extremes, &sum, &count, &flag,
         &first, static_cast<const int *>(v.data()), n);
  double expectedSum = 0;
  for (int x : v)
    expectedSum += x;
  EXPECT_EQ(extremes[0], 50);
  EXPECT_EQ(extremes[1], -50);
  EXPECT_EQ(sum, expectedSum);
  EXPECT_EQ(count, static_cast<unsigned long long>(n));
  EXPECT_EQ(flag, 0.5f);
  EXPECT_GE(first, 1);
  EXPECT_LE(first, n);
}

TEST(HostExecutionTest, DynamicSharedMemory) {
  auto module =
      HostModule::compile(kDynamicShared, {{"kiln_reverse_blocks", true}});
  int n = 1000;
  unsigned block = 128;
  std::vector<float> in = values(n, 6), out(n);
  int misaligned = 0;
  launch(*module, "kiln_reverse_blocks", {(n + block - 1) / block}, {block},
         block * sizeof(float), out.data(),
         static_cast<const float *>(in.data()), &misaligned, n);
  EXPECT_EQ(misaligned, 0);
  for (int i = 0; i < n; ++i) {
    int base = i / block * block, j = base + (block - 1 - i % block);
    if (j < n)
      ASSERT_EQ(out[j], in[i]) << i;
  }
}

TEST(HostExecutionTest, ShufflesFollowCuda) {
  auto module = HostModule::compile(kShuffles, {{"kiln_shuffles", true}});
  const int threads = 2 * 96;
  std::vector<int> out(threads * 9);
  std::vector<double> sums(threads);
  std::vector<long long> wide(threads);
  launch(*module, "kiln_shuffles", {2}, {96}, 0, out.data(), sums.data(),
         wide.data());
  // CUDA's rules, per lane and segment of `width` lanes: down and up keep
  // their own value past the segment's end; idx wraps within the segment;
  // xor may read earlier segments but not later ones.
  auto down = [](int lane, int d, int w) {
    return lane % w + d < w ? lane + d : lane;
  };
  auto up = [](int lane, int d, int w) {
    return lane % w >= d ? lane - d : lane;
  };
  auto index = [](int lane, int src, int w) { return lane / w * w + src % w; };
  auto butterfly = [](int lane, int mask, int w) {
    return (lane ^ mask) / w > lane / w ? lane : lane ^ mask;
  };
  for (int t = 0; t < threads; ++t) {
    int lane = t % 96 % 32, base = t - lane;
    auto value = [&](int sourceLane) { return (base + sourceLane) * 3 + 1; };
    const int *row = &out[t * 9];
    EXPECT_EQ(row[0], value(down(lane, 3, 32))) << "thread " << t;
    EXPECT_EQ(row[1], value(up(lane, 5, 32))) << "thread " << t;
    EXPECT_EQ(row[2], value(butterfly(lane, 9, 32))) << "thread " << t;
    EXPECT_EQ(row[3], value(index(lane, 7, 32))) << "thread " << t;
    EXPECT_EQ(row[4], value(down(lane, 3, 8))) << "thread " << t;
    EXPECT_EQ(row[5], value(up(lane, 2, 8))) << "thread " << t;
    EXPECT_EQ(row[6], value(index(lane, lane + 3, 16))) << "thread " << t;
    EXPECT_EQ(row[7], value(butterfly(lane, 4, 4))) << "thread " << t;
    EXPECT_EQ(row[8], value(butterfly(lane, 2, 4))) << "thread " << t;
    double sum = 0;
    for (int l = 0; l < 32; ++l)
      sum += (base + l) * 0.5;
    EXPECT_EQ(sums[t], sum) << "thread " << t;
    long long source = base + 31 - lane;
    EXPECT_EQ(wide[t], source << 40 | source) << "thread " << t;
  }
}

TEST(HostExecutionTest, MathFunctions) {
  auto module = HostModule::compile(kMath, {{"kiln_math", false}});
  std::vector<float> f(8);
  std::vector<double> d(2);
  std::vector<unsigned long long> u(2);
  float x = 0.25f;
  launch(*module, "kiln_math", {1}, {1}, 0, f.data(), d.data(), u.data(),
         static_cast<const float *>(&x));
  EXPECT_FLOAT_EQ(f[0], 2.0f);
  EXPECT_FLOAT_EQ(f[1], 1.0f);
  EXPECT_FLOAT_EQ(f[2], 0.5f);
  EXPECT_FLOAT_EQ(f[3], 4.25f);
  EXPECT_FLOAT_EQ(f[4], 0.75f);
  EXPECT_FLOAT_EQ(f[5], std::erf(x) + std::tanh(x) + std::log1p(x) +
                            std::expm1(x) + x * x);
  EXPECT_FLOAT_EQ(f[6], 6.0f);
  EXPECT_FLOAT_EQ(f[7], 2.0f + 0.25f + 0.5f + 1.0f);
  EXPECT_EQ(d[0], 0.25);
  EXPECT_EQ(d[1], 3.5);
  EXPECT_EQ(u[0], 3u);
  EXPECT_EQ(u[1], 3u);
}

TEST(HostExecutionTest, DeadlockFailsTheLaunch) {
  auto module = HostModule::compile(kDeadlock, {{"kiln_deadlock", true}});
  std::vector<float> out(64);
  std::string message = errorOf(
      [&] { launch(*module, "kiln_deadlock", {1}, {64}, 0, out.data()); });
  EXPECT_NE(message.find("kiln_deadlock"), std::string::npos) << message;
  EXPECT_NE(message.find("deadlock in block (0,0,0)"), std::string::npos)
      << message;
  // The module stays usable: the stacks of the abandoned threads are reused.
  message = errorOf(
      [&] { launch(*module, "kiln_deadlock", {2}, {64}, 0, out.data()); });
  EXPECT_NE(message.find("deadlock"), std::string::npos) << message;
}

TEST(HostExecutionTest, BarrierInAKernelWithoutBarriersFails) {
  auto module = HostModule::compile(kReductions, {{"kiln_row_sum", false}});
  std::vector<float> in(64), out(1);
  std::string message = errorOf([&] {
    launch(*module, "kiln_row_sum", {1}, {64}, 0, out.data(),
           static_cast<const float *>(in.data()), 64ll);
  });
  EXPECT_NE(message.find("without barriers"), std::string::npos) << message;
}

TEST(HostExecutionTest, SyntaxErrorReportsTheCompilerAndTheSource) {
  std::string source = "extern \"C\" __global__ void kiln_bad(float *out) {\n"
                       "  out[0] = 1.0f\n"
                       "}\n";
  std::string message =
      errorOf([&] { HostModule::compile(source, {{"kiln_bad", false}}); });
  EXPECT_NE(message.find("kernel.cu:2"), std::string::npos) << message;
  EXPECT_NE(message.find("expected ';'"), std::string::npos) << message;
  EXPECT_NE(message.find("2 |   out[0] = 1.0f"), std::string::npos) << message;
}

TEST(HostExecutionTest, BadNamesAndShapesAreErrors) {
  auto module = HostModule::compile(kSaxpy, {{"kiln_saxpy", false}});
  std::string message = errorOf([&] {
    launch(*module, "kiln_missing", {1}, {32}, 0,
           static_cast<float *>(nullptr));
  });
  EXPECT_NE(message.find("no kernel named 'kiln_missing'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("kiln_saxpy"), std::string::npos) << message;

  float *none = nullptr;
  message = errorOf([&] {
    launch(*module, "kiln_saxpy", {1}, {1025}, 0, none,
           static_cast<const float *>(none), static_cast<const float *>(none),
           1.0f, 0ll);
  });
  EXPECT_NE(message.find("at most 1024 threads"), std::string::npos) << message;

  message = errorOf(
      [&] { HostModule::compile(kSaxpy, {{"kiln_saxpy(); int x", false}}); });
  EXPECT_NE(message.find("not a kernel name"), std::string::npos) << message;
}

TEST(HostExecutionTest, SameSourceReusesTheModule) {
  auto first = HostModule::compile(kSaxpy, {{"kiln_saxpy", false}});
  auto second = HostModule::compile(kSaxpy, {{"kiln_saxpy", false}});
  first.reset();
  long long n = 8;
  std::vector<float> x = values(n, 7), y = values(n, 8), out(n);
  launch(*second, "kiln_saxpy", {1}, {32}, 0, out.data(),
         static_cast<const float *>(x.data()),
         static_cast<const float *>(y.data()), -1.0f, n);
  for (long long i = 0; i < n; ++i)
    EXPECT_FLOAT_EQ(out[i], y[i] - x[i]);
}

TEST(HostExecutionTest, CompilesAndLaunchesFromSeveralThreads) {
  // Each thread compiles a program of its own (new text: nothing to reuse)
  // and launches it; both kinds of kernel, so fibers run on both threads.
  constexpr int threads = 2, n = 2000;
  std::vector<std::string> failures(threads);
  std::vector<std::vector<float>> sums(threads), scaled(threads);
  std::vector<float> in = values(n, 9);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      try {
        std::string source = std::string(kReductions) + kSaxpy + "// thread " +
                             std::to_string(t) + "\n";
        auto module = HostModule::compile(
            source, {{"kiln_row_sum", true}, {"kiln_saxpy", false}});
        sums[t].resize(4);
        launch(*module, "kiln_row_sum", {4}, {128}, 0, sums[t].data(),
               static_cast<const float *>(in.data()), n / 4ll);
        scaled[t].resize(n);
        launch(*module, "kiln_saxpy", {2}, {256}, 0, scaled[t].data(),
               static_cast<const float *>(in.data()),
               static_cast<const float *>(in.data()), float(t), n * 1ll);
      } catch (const kiln::Error &e) {
        failures[t] = e.what();
      }
    });
  for (std::thread &worker : workers)
    worker.join();
  for (int t = 0; t < threads; ++t) {
    ASSERT_EQ(failures[t], "") << "thread " << t;
    for (int r = 0; r < 4; ++r) {
      double sum = 0;
      for (int c = 0; c < n / 4; ++c)
        sum += in[r * (n / 4) + c];
      EXPECT_NEAR(sums[t][r], sum, 1e-3) << "thread " << t << ", row " << r;
    }
    for (int i = 0; i < n; ++i)
      ASSERT_FLOAT_EQ(scaled[t][i], float(t) * in[i] + in[i])
          << "thread " << t << ", at " << i;
  }
}

#ifdef KILN_TEST_NVRTC
TEST(HostExecutionTest, KernelsAreValidCuda) {
  // What the emitter's NVRTC prelude must give for these kernels (NVRTC
  // has no <math.h> for INFINITY and NAN).
  const std::string prelude = "#define KILN_DYNAMIC_SHARED(type, name) "
                              "extern __shared__ __align__(16) type name[]\n"
                              "#define INFINITY __int_as_float(0x7f800000)\n"
                              "#define NAN __int_as_float(0x7fffffff)\n";
  for (const char *source : kSources) {
    std::string text = prelude + source;
    nvrtcProgram program;
    ASSERT_EQ(nvrtcCreateProgram(&program, text.c_str(), "kernel.cu", 0,
                                 nullptr, nullptr),
              NVRTC_SUCCESS);
    const char *options[] = {"--gpu-architecture=sm_90"};
    nvrtcResult result = nvrtcCompileProgram(program, 1, options);
    size_t logSize = 0;
    nvrtcGetProgramLogSize(program, &logSize);
    std::string log(logSize, '\0');
    nvrtcGetProgramLog(program, log.data());
    log.resize(logSize ? logSize - 1 : 0);
    EXPECT_EQ(result, NVRTC_SUCCESS) << log << "\n" << source;
    size_t cubinSize = 0;
    if (result == NVRTC_SUCCESS)
      nvrtcGetCUBINSize(program, &cubinSize);
    EXPECT_GT(cubinSize, 0u);
    nvrtcDestroyProgram(&program);
  }
}
#endif

} // namespace
