//===- HostMemory.cpp - A cache of freed tensor buffers -------------------===//
#include "kiln/runtime/HostMemory.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <mutex>

#if defined(__SANITIZE_ADDRESS__)
#define KILN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_ASAN 1
#endif
#endif
#ifdef KILN_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace kiln::runtime {
namespace {

// Up to 4 KiB, classes are multiples of 64 bytes; above, each power of two
// is split into 8 classes, so a block is at most 1/8 larger than asked for.
constexpr size_t kSmallLimit = 4096;
constexpr int kSmallClasses = kSmallLimit / 64;
constexpr int kLargestPower = 47; // 128 TiB: above, nothing is cached
constexpr int kClasses = kSmallClasses + (kLargestPower - 11) * 8;

struct SizeClass {
  int index = -1; ///< -1: too large to cache
  size_t bytes = 0;
};

SizeClass sizeClass(size_t bytes) {
  size_t rounded = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
  if (rounded < bytes) // wrapped around
    return {-1, bytes};
  if (rounded <= kSmallLimit)
    return {int(rounded / 64) - 1, rounded};
  int power = std::bit_width(rounded - 1) - 1; // 2^power < rounded
  if (power >= kLargestPower)
    return {-1, rounded};
  size_t step = size_t(1) << (power - 3);
  size_t classBytes = (rounded + step - 1) / step * step;
  int sub = int(classBytes / step) - 9; // 0..7
  return {kSmallClasses + (power - 12) * 8 + sub, classBytes};
}

/// A cached block: its first bytes link to the next of its class.
struct FreeBlock {
  FreeBlock *next;
};

struct Cache {
  std::mutex mutex;
  FreeBlock *heads[kClasses] = {};
  size_t cachedBytes = 0;
  size_t limitBytes = size_t(1) << 30;
  int64_t systemAllocations = 0;
  int64_t cacheHits = 0;

  /// Frees cached blocks until at most `target` bytes are held; the
  /// largest classes go first. Call with the mutex held.
  void trim(size_t target) {
    for (int c = kClasses - 1; c >= 0 && cachedBytes > target; --c)
      while (heads[c] && cachedBytes > target) {
        FreeBlock *block = heads[c];
        heads[c] = block->next;
        cachedBytes -= classBytes(c);
        std::free(block);
      }
  }

  static size_t classBytes(int index) {
    if (index < kSmallClasses)
      return size_t(index + 1) * 64;
    int power = (index - kSmallClasses) / 8 + 12;
    int sub = (index - kSmallClasses) % 8;
    return (size_t(1) << (power - 3)) * size_t(sub + 9);
  }
};

/// Never destroyed: tensors may be freed by static destructors.
Cache &cache() {
  static auto *instance = new Cache;
  return *instance;
}

} // namespace

void *allocateHost(size_t bytes) {
  SizeClass size = sizeClass(bytes);
  Cache &c = cache();
  if (size.index >= 0) {
    std::lock_guard lock(c.mutex);
    if (FreeBlock *block = c.heads[size.index]) {
#ifdef KILN_ASAN
      ASAN_UNPOISON_MEMORY_REGION(block, size.bytes);
#endif
      c.heads[size.index] = block->next;
      c.cachedBytes -= size.bytes;
      ++c.cacheHits;
      return block;
    }
    ++c.systemAllocations;
  } else {
    std::lock_guard lock(c.mutex);
    ++c.systemAllocations;
  }
  return std::aligned_alloc(64, size.bytes);
}

void freeHost(void *block, size_t bytes) {
  if (!block)
    return;
  SizeClass size = sizeClass(bytes);
  Cache &c = cache();
  if (size.index >= 0) {
    std::lock_guard lock(c.mutex);
    if (c.cachedBytes + size.bytes <= c.limitBytes) {
      auto *free = static_cast<FreeBlock *>(block);
      free->next = c.heads[size.index];
      c.heads[size.index] = free;
      c.cachedBytes += size.bytes;
#ifdef KILN_ASAN
      // All but the link: LeakSanitizer follows it to the cached blocks.
      ASAN_POISON_MEMORY_REGION(free + 1, size.bytes - sizeof(FreeBlock));
#endif
      return;
    }
  }
  std::free(block);
}

HostMemoryStats hostMemoryStats() {
  Cache &c = cache();
  std::lock_guard lock(c.mutex);
  return {c.systemAllocations, c.cacheHits, int64_t(c.cachedBytes),
          int64_t(c.limitBytes)};
}

void emptyHostCache() {
  Cache &c = cache();
  std::lock_guard lock(c.mutex);
  c.trim(0);
}

void setHostCacheLimit(size_t bytes) {
  Cache &c = cache();
  std::lock_guard lock(c.mutex);
  c.limitBytes = bytes;
  c.trim(bytes);
}

} // namespace kiln::runtime
