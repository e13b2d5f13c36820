//===- HostMemoryTest.cpp - The cache of freed tensor buffers -------------===//
#include "kiln/runtime/HostMemory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

using namespace kiln::runtime;

namespace {

/// Starts every test from an empty cache with the default limit.
struct HostMemoryTest : ::testing::Test {
  void SetUp() override {
    setHostCacheLimit(size_t(1) << 30);
    emptyHostCache();
  }
  void TearDown() override { setHostCacheLimit(size_t(1) << 30); }
};

TEST_F(HostMemoryTest, BlocksAreAlignedAndWritable) {
  for (size_t bytes : {size_t(0), size_t(1), size_t(63), size_t(64),
                       size_t(4097), size_t(1) << 20, (size_t(3) << 20) + 7}) {
    void *block = allocateHost(bytes);
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % 64, 0u) << bytes;
    std::memset(block, 0xab, bytes);
    freeHost(block, bytes);
  }
}

TEST_F(HostMemoryTest, AFreedBlockIsReusedForTheSameSizeClass) {
  HostMemoryStats before = hostMemoryStats();
  void *a = allocateHost(1000000);
  freeHost(a, 1000000);
  EXPECT_GT(hostMemoryStats().cachedBytes, 0);
  // A slightly smaller request falls in the same class (classes are at most
  // 1/8 apart) and gets the same block back without the system.
  void *b = allocateHost(999000);
  EXPECT_EQ(a, b);
  HostMemoryStats after = hostMemoryStats();
  EXPECT_EQ(after.systemAllocations - before.systemAllocations, 1);
  EXPECT_EQ(after.cacheHits - before.cacheHits, 1);
  EXPECT_EQ(after.cachedBytes, 0);
  freeHost(b, 999000);
}

TEST_F(HostMemoryTest, DifferentClassesDoNotShareBlocks) {
  void *small = allocateHost(128);
  freeHost(small, 128);
  void *large = allocateHost(192); // the next class up
  EXPECT_NE(small, large);
  freeHost(large, 192);
  void *twice = allocateHost(2000000);
  freeHost(twice, 2000000);
  void *half = allocateHost(1000000); // half the size: another class
  EXPECT_NE(twice, half);
  freeHost(half, 1000000);
}

TEST_F(HostMemoryTest, ASteadyLoopTakesNothingFromTheSystem) {
  std::vector<size_t> sizes = {64, 4096, 100000, 3 << 20, 17, 250000};
  HostMemoryStats before;
  for (int step = 0; step < 50; ++step) {
    if (step == 1) // the first step warmed the cache up
      before = hostMemoryStats();
    std::vector<void *> blocks;
    for (size_t bytes : sizes)
      blocks.push_back(allocateHost(bytes));
    for (size_t i = 0; i < sizes.size(); ++i)
      freeHost(blocks[i], sizes[i]);
  }
  EXPECT_EQ(hostMemoryStats().systemAllocations, before.systemAllocations);
}

TEST_F(HostMemoryTest, TheLimitBoundsWhatIsKept) {
  setHostCacheLimit(1 << 20);
  void *a = allocateHost(600000), *b = allocateHost(600000);
  freeHost(a, 600000);
  freeHost(b, 600000); // would exceed 1 MiB: goes back to the system
  EXPECT_LE(hostMemoryStats().cachedBytes, 1 << 20);
  EXPECT_GT(hostMemoryStats().cachedBytes, 0);
  setHostCacheLimit(0); // releases everything, keeps nothing
  EXPECT_EQ(hostMemoryStats().cachedBytes, 0);
  void *c = allocateHost(600000);
  freeHost(c, 600000);
  EXPECT_EQ(hostMemoryStats().cachedBytes, 0);
}

TEST_F(HostMemoryTest, EmptyCacheReleasesEverything) {
  std::vector<void *> blocks;
  for (int i = 1; i <= 20; ++i)
    blocks.push_back(allocateHost(size_t(i) * 5000));
  for (int i = 1; i <= 20; ++i)
    freeHost(blocks[i - 1], size_t(i) * 5000);
  EXPECT_GT(hostMemoryStats().cachedBytes, 20 * 5000);
  emptyHostCache();
  EXPECT_EQ(hostMemoryStats().cachedBytes, 0);
}

TEST_F(HostMemoryTest, LiveBlocksNeverOverlapAcrossThreads) {
  // Blocks allocated on one thread and freed on another, as the data loader
  // does with its batches: every live block must be distinct.
  constexpr int kThreads = 4, kRounds = 2000;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([t, &failures] {
      std::vector<std::pair<unsigned char *, size_t>> live;
      for (int i = 0; i < kRounds; ++i) {
        size_t bytes = 64 + size_t((i * 7919 + t * 104729) % 20000);
        auto *block = static_cast<unsigned char *>(allocateHost(bytes));
        std::memset(block, t + 1, bytes);
        live.push_back({block, bytes});
        if (live.size() > 8) {
          auto [old, oldBytes] = live.front();
          for (size_t k = 0; k < oldBytes; ++k)
            failures[t] += old[k] != t + 1;
          freeHost(old, oldBytes);
          live.erase(live.begin());
        }
      }
      for (auto [block, bytes] : live)
        freeHost(block, bytes);
    });
  for (auto &thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(failures[t], 0) << "thread " << t;
}

} // namespace
