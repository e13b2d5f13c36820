//===- MemoryPlanTest.cpp - The arena planner on synthetic lifetimes ------===//
#include "kiln/runtime/MemoryPlan.h"
#include "kiln/runtime/Error.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

using kiln::runtime::BufferLifetime;
using kiln::runtime::MemoryPlan;
using kiln::runtime::planMemory;

namespace {

/// Every property a plan must have, checked by brute force over all pairs.
void expectValid(const std::vector<BufferLifetime> &buffers,
                 const MemoryPlan &plan, int64_t alignment = 64) {
  ASSERT_EQ(plan.offsets.size(), buffers.size());
  EXPECT_GE(plan.arenaBytes, plan.lowerBoundBytes);
  EXPECT_LE(plan.arenaBytes, plan.naiveBytes);
  auto size = [&](size_t i) {
    return (buffers[i].bytes + alignment - 1) / alignment * alignment;
  };
  for (size_t i = 0; i < buffers.size(); ++i) {
    EXPECT_GE(plan.offsets[i], 0);
    EXPECT_EQ(plan.offsets[i] % alignment, 0);
    EXPECT_LE(plan.offsets[i] + size(i), plan.arenaBytes);
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      bool live = buffers[i].first <= buffers[j].last &&
                  buffers[j].first <= buffers[i].last;
      bool apart = plan.offsets[i] + size(i) <= plan.offsets[j] ||
                   plan.offsets[j] + size(j) <= plan.offsets[i];
      EXPECT_TRUE(!live || apart) << "buffers " << i << " and " << j
                                  << " are live together and overlap";
    }
  }
}

/// The most bytes live at one step, computed step by step.
int64_t peakBytes(const std::vector<BufferLifetime> &buffers) {
  int64_t last = 0, peak = 0;
  for (auto &b : buffers)
    last = std::max(last, b.last);
  for (int64_t step = 0; step <= last; ++step) {
    int64_t live = 0;
    for (auto &b : buffers)
      if (b.first <= step && step <= b.last)
        live += (b.bytes + 63) / 64 * 64;
    peak = std::max(peak, live);
  }
  return peak;
}

} // namespace

TEST(MemoryPlan, Empty) {
  MemoryPlan plan = planMemory({});
  EXPECT_EQ(plan.arenaBytes, 0);
  EXPECT_EQ(plan.lowerBoundBytes, 0);
  EXPECT_EQ(plan.naiveBytes, 0);
}

TEST(MemoryPlan, ChainReusesTwoSlots) {
  // Each buffer feeds the next: a layer-by-layer forward pass.
  std::vector<BufferLifetime> buffers;
  for (int64_t i = 0; i < 10; ++i)
    buffers.push_back({4096, i, i + 1});
  MemoryPlan plan = planMemory(buffers);
  expectValid(buffers, plan);
  EXPECT_EQ(plan.lowerBoundBytes, 8192);
  EXPECT_EQ(plan.arenaBytes, 8192);
  EXPECT_EQ(plan.naiveBytes, 40960);
}

TEST(MemoryPlan, SizesRoundUpToTheAlignment) {
  std::vector<BufferLifetime> buffers = {{1, 0, 0}, {65, 0, 0}, {0, 0, 0}};
  MemoryPlan plan = planMemory(buffers);
  expectValid(buffers, plan);
  EXPECT_EQ(plan.naiveBytes, 64 + 128);
  EXPECT_EQ(plan.arenaBytes, 192);
  MemoryPlan bytewise = planMemory(buffers, 1);
  EXPECT_EQ(bytewise.arenaBytes, 66);
}

TEST(MemoryPlan, DisjointLifetimesShareOneSlot) {
  std::vector<BufferLifetime> buffers = {
      {1000, 0, 1}, {3000, 2, 3}, {2000, 4, 9}, {64, 10, 10}};
  MemoryPlan plan = planMemory(buffers);
  expectValid(buffers, plan);
  EXPECT_EQ(plan.arenaBytes, 3008); // 3000 rounded up
  for (int64_t offset : plan.offsets)
    EXPECT_EQ(offset, 0);
}

TEST(MemoryPlan, AllLiveTogetherNeedTheirSum) {
  std::vector<BufferLifetime> buffers;
  for (int64_t i = 1; i <= 20; ++i)
    buffers.push_back({i * 100, 0, 5});
  MemoryPlan plan = planMemory(buffers);
  expectValid(buffers, plan);
  EXPECT_EQ(plan.arenaBytes, plan.naiveBytes);
  EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes);
}

TEST(MemoryPlan, SmallBuffersFillTheGapOfALargeOne) {
  // A large buffer dies while a long-lived one stays above it; the small
  // buffers that follow fit in the hole instead of growing the arena.
  std::vector<BufferLifetime> buffers = {
      {8192, 0, 1}, {4096, 0, 20}, {1024, 2, 3}, {1024, 3, 4},
      {2048, 4, 6}, {4096, 7, 9},  {1024, 8, 12}};
  MemoryPlan plan = planMemory(buffers);
  expectValid(buffers, plan);
  EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes);
}

TEST(MemoryPlan, AdversarialStaircases) {
  // Growing buffers each live one step longer than the last, then the same
  // shrinking; interleaved tiny long-lived buffers fragment the arena.
  std::vector<BufferLifetime> buffers;
  for (int64_t i = 0; i < 30; ++i) {
    buffers.push_back({(i + 1) * 256, i, i + 3});
    buffers.push_back({(30 - i) * 256, 40 + i, 43 + i});
    buffers.push_back({64, i * 2, i * 2 + 40});
  }
  MemoryPlan plan = planMemory(buffers);
  expectValid(buffers, plan);
  EXPECT_EQ(plan.lowerBoundBytes, peakBytes(buffers));
  EXPECT_LT(plan.arenaBytes, plan.naiveBytes / 2);
}

TEST(MemoryPlan, RandomLifetimesAreNeverOverlappedNorBelowTheBound) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<BufferLifetime> buffers(rng() % 60);
    int64_t steps = 1 + rng() % 40;
    for (auto &b : buffers) {
      // Mostly small, sometimes very large: the sizes of real graphs.
      b.bytes =
          rng() % 4 == 0 ? int64_t(rng() % (1 << 20)) : int64_t(rng() % 4096);
      b.first = rng() % steps;
      b.last = b.first + rng() % (steps - b.first + 1);
    }
    MemoryPlan plan = planMemory(buffers);
    expectValid(buffers, plan);
    EXPECT_EQ(plan.lowerBoundBytes, peakBytes(buffers));
    if (::testing::Test::HasFailure())
      FAIL() << "trial " << trial;
  }
}

TEST(MemoryPlan, BadLifetimesAreErrors) {
  auto message = [](std::vector<BufferLifetime> buffers, int64_t alignment) {
    try {
      planMemory(buffers, alignment);
    } catch (const kiln::Error &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{-1, 0, 0}}, 64).find("buffer 0 has -1 bytes"),
            std::string::npos);
  EXPECT_NE(message({{8, 0, 0}, {8, 5, 2}}, 64)
                .find("buffer 1 has 8 bytes live from step 5 to step 2"),
            std::string::npos);
  EXPECT_NE(message({{8, 0, 0}}, 48).find("power of two, got 48"),
            std::string::npos);
}
