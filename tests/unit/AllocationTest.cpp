//===- AllocationTest.cpp - Heap allocations of a cache-hit step ----------===//
//
// Replaces the global operator new with a counting one and checks that
// recording and realizing a graph whose program is cached allocates
// nothing: nodes, tensors and storages are recycled, and result buffers come
// from the runtime's cache of freed buffers. A binary of its own, since the
// replacement covers the whole program.
//
//===----------------------------------------------------------------------===//
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_TEST_ASAN
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define KILN_TEST_ASAN
#endif

namespace {
std::atomic<uint64_t> allocations{0};
} // namespace

// AddressSanitizer brings its own operator new, and the frontend recycles
// nothing under it (so that it sees every use after free): there the test
// is skipped, and operator new left alone.
#ifndef KILN_TEST_ASAN
void *operator new(std::size_t bytes) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void *p = std::malloc(bytes ? bytes : 1))
    return p;
  throw std::bad_alloc();
}

void *operator new(std::size_t bytes, std::align_val_t align) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  size_t alignment = static_cast<size_t>(align);
  size_t rounded = (bytes + alignment - 1) / alignment * alignment;
  if (void *p = std::aligned_alloc(alignment, rounded ? rounded : alignment))
    return p;
  throw std::bad_alloc();
}

void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
#endif

namespace {

/// The allocations `f` makes.
template <typename F> uint64_t allocationsOf(F &&f) {
  uint64_t before = allocations.load();
  f();
  return allocations.load() - before;
}

/// 25 x (mul, relu, add) on a small tensor, and the sum of the result:
/// elementwise ops with scalar constants, as in bench/realize_overhead.
kiln::Tensor chain(const kiln::Tensor &x) {
  kiln::Tensor y = x;
  for (int i = 0; i < 25; ++i)
    y = kiln::relu(y * 0.5f) + 0.25f;
  return y.sum();
}

TEST(Allocations, CacheHitRecordAndRealizeAllocatesNothing) {
#ifdef KILN_TEST_ASAN
  GTEST_SKIP() << "nothing is recycled under AddressSanitizer";
#endif
  kiln::Tensor x = kiln::ones({4, 4});
  float expected = 0;
  // Compiles, then warms the caches: the program's, and the thread's
  // recycled nodes, tensors and plan buffers.
  for (int i = 0; i < 3; ++i)
    expected = chain(x).item<float>();

  kiln::Stats before = kiln::stats();
  float value = 0;
  uint64_t step = allocationsOf([&] { value = chain(x).item<float>(); });
  kiln::Stats after = kiln::stats();
  EXPECT_EQ(after.compiles, before.compiles);
  EXPECT_EQ(after.cache_hits, before.cache_hits + 1);
  EXPECT_EQ(value, expected);
  EXPECT_EQ(step, 0u) << "the step allocated " << step << " times";
}

TEST(Allocations, CountingWorks) {
#ifdef KILN_TEST_ASAN
  GTEST_SKIP() << "operator new is AddressSanitizer's";
#endif
  // A failed count would make the test above pass for nothing. (Called by
  // name: the compiler may elide a new-expression paired with a delete.)
  EXPECT_EQ(allocationsOf([] { ::operator delete(::operator new(16)); }), 1u);
}

} // namespace
