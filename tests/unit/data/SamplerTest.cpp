//===- SamplerTest.cpp - Samplers -----------------------------------------===//
//
// Every sampler, the distributed one included.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <set>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// Samplers
//===----------------------------------------------------------------------===//

std::vector<size_t> countsOf(const std::vector<size_t> &indices, size_t n) {
  std::vector<size_t> counts(n);
  for (size_t i : indices)
    ++counts.at(i);
  return counts;
}

TEST(Samplers, RandomWithReplacementOrMoreSamples) {
  // Without replacement, 12 of 5: two permutations, then 2 distinct.
  RandomSampler more(5, 3, false, 12);
  EXPECT_EQ(more.size(), 12u);
  std::vector<size_t> drawn = more.indices(0);
  ASSERT_EQ(drawn.size(), 12u);
  for (size_t start : {0, 5}) {
    std::vector<size_t> part(drawn.begin() + start, drawn.begin() + start + 5);
    EXPECT_EQ(countsOf(part, 5), (std::vector<size_t>(5, 1)));
  }
  EXPECT_NE(drawn[10], drawn[11]);
  // Fewer than the size: the start of a permutation.
  std::vector<size_t> fewer = RandomSampler(10, 0, false, 4).indices(0);
  EXPECT_EQ(fewer, (std::vector<size_t>{8, 2, 3, 5}));

  // With replacement: uniform, independent draws (each count is 250 with a
  // standard deviation near 14).
  RandomSampler with(4, 1, true, 1000);
  EXPECT_TRUE(with.replacement());
  std::vector<size_t> counts = countsOf(with.indices(0), 4);
  for (size_t c : counts) {
    EXPECT_GT(c, 190u);
    EXPECT_LT(c, 310u);
  }
  EXPECT_EQ(with.indices(2), RandomSampler(4, 1, true, 1000).indices(2));
  EXPECT_NE(with.indices(0), with.indices(1));
  // With replacement and no num_samples: size draws, repeats allowed.
  std::vector<size_t> repeats = RandomSampler(6, 0, true).indices(0);
  EXPECT_EQ(repeats.size(), 6u);
  EXPECT_NE(countsOf(repeats, 6), (std::vector<size_t>(6, 1)));

  DataLoader loader(
      numbered(3), {.batch_size = 4,
                    .sampler = std::make_shared<RandomSampler>(3, 0, true, 8)});
  EXPECT_EQ(loader.size(), 2u);
  for (auto &batch : epochIds(loader))
    EXPECT_EQ(batch.size(), 4u);

  expectError([] { RandomSampler(3, 0, true, 0); },
              {"RandomSampler", "num_samples", "got 0"});
  expectError([] { RandomSampler(0, 0, false, 2); },
              {"RandomSampler", "draw 2", "empty dataset"});
  EXPECT_TRUE(RandomSampler(0).indices(0).empty());
}

TEST(Samplers, SubsetRandomPermutesTheGivenIndices) {
  auto sampler =
      std::make_shared<SubsetRandomSampler>(std::vector<size_t>{7, 3, 9, 1}, 2);
  EXPECT_EQ(sampler->size(), 4u);
  std::set<std::vector<size_t>> orders;
  for (uint64_t e = 0; e < 6; ++e) {
    std::vector<size_t> order = sampler->indices(e);
    orders.insert(order);
    std::sort(order.begin(), order.end());
    EXPECT_EQ(order, (std::vector<size_t>{1, 3, 7, 9}));
    EXPECT_EQ(sampler->indices(e),
              SubsetRandomSampler({7, 3, 9, 1}, 2).indices(e));
  }
  EXPECT_GT(orders.size(), 1u);
  DataLoader loader(numbered(10), {.batch_size = 3, .sampler = sampler});
  std::vector<int64_t> seen;
  for (auto &batch : epochIds(loader))
    seen.insert(seen.end(), batch.begin(), batch.end());
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 3, 7, 9}));
  EXPECT_TRUE(SubsetRandomSampler({}).indices(0).empty());
}

TEST(Samplers, WeightedDrawsInProportionToTheWeights) {
  // With replacement: index 2 three times as often as 1, 0 never (1000 and
  // 3000 expected, standard deviation near 27).
  WeightedRandomSampler sampler({0, 1, 3}, 4000);
  EXPECT_EQ(sampler.size(), 4000u);
  std::vector<size_t> counts = countsOf(sampler.indices(0), 3);
  EXPECT_EQ(counts[0], 0u);
  EXPECT_GT(counts[1], 880u);
  EXPECT_LT(counts[1], 1120u);
  EXPECT_EQ(counts[1] + counts[2], 4000u);
  EXPECT_EQ(sampler.indices(1),
            WeightedRandomSampler({0, 1, 3}, 4000).indices(1));
  EXPECT_NE(sampler.indices(0), sampler.indices(1));

  // Without replacement: every positive weight once when all are drawn.
  std::vector<size_t> once =
      WeightedRandomSampler({0, 1, 3, 0, 2}, 3, false, 4).indices(0);
  std::sort(once.begin(), once.end());
  EXPECT_EQ(once, (std::vector<size_t>{1, 2, 4}));
  std::vector<double> ramp(1000);
  std::iota(ramp.begin(), ramp.end(), 1.0);
  std::vector<size_t> all = WeightedRandomSampler(ramp, 1000, false).indices(0);
  EXPECT_EQ(countsOf(all, 1000), (std::vector<size_t>(1000, 1)));
  // The first draw of {1, 3} without replacement is index 1 three times in
  // four: over 400 epochs, 300 expected (standard deviation near 9).
  WeightedRandomSampler pair({1, 3}, 2, false, 9);
  size_t firstIsOne = 0;
  for (uint64_t e = 0; e < 400; ++e) {
    std::vector<size_t> order = pair.indices(e);
    EXPECT_NE(order[0], order[1]);
    firstIsOne += order[0] == 1;
  }
  EXPECT_GT(firstIsOne, 260u);
  EXPECT_LT(firstIsOne, 340u);

  // Balancing classes in a DataLoader: samples 0..3 have weight 1, sample 4
  // weight 4, so about half the draws are 4.
  DataLoader loader(numbered(5),
                    {.batch_size = 100,
                     .sampler = std::make_shared<WeightedRandomSampler>(
                         std::vector<double>{1, 1, 1, 1, 4}, 1000, true, 3)});
  EXPECT_EQ(loader.size(), 10u);
  size_t fours = 0;
  for (auto &batch : epochIds(loader))
    fours += static_cast<size_t>(std::count(batch.begin(), batch.end(), 4));
  EXPECT_GT(fours, 440u);
  EXPECT_LT(fours, 560u);

  expectError([] { WeightedRandomSampler({1, -1}, 2); },
              {"WeightedRandomSampler", "weight 1 is -1", "non-negative"});
  expectError([] { WeightedRandomSampler({1, NAN}, 2); }, {"weight 1 is nan"});
  expectError([] { WeightedRandomSampler({0, 0}, 2); }, {"sum to 0"});
  expectError([] { WeightedRandomSampler({1e308, 1e308}, 2); }, {"sum to inf"});
  expectError([] { WeightedRandomSampler({}, 2); }, {"sum to 0"});
  expectError([] { WeightedRandomSampler({1, 0, 2}, 3, false); },
              {"cannot draw 3", "without replacement", "2 positive"});
  expectError([] { WeightedRandomSampler({1}, 0); }, {"num_samples", "got 0"});
}

//===----------------------------------------------------------------------===//
// DistributedSampler
//===----------------------------------------------------------------------===//

TEST(DistributedSampler, EqualSharesPaddedAsPyTorch) {
  auto share = [](size_t size, size_t replicas, size_t rank, bool dropLast) {
    return DistributedSampler(size, replicas, rank, false, 0, dropLast)
        .indices(0);
  };
  // 10 over 3: padded with 0 and 1 to 12.
  EXPECT_EQ(share(10, 3, 0, false), (std::vector<size_t>{0, 3, 6, 9}));
  EXPECT_EQ(share(10, 3, 1, false), (std::vector<size_t>{1, 4, 7, 0}));
  EXPECT_EQ(share(10, 3, 2, false), (std::vector<size_t>{2, 5, 8, 1}));
  EXPECT_EQ(DistributedSampler(10, 3, 2, false).size(), 4u);
  // drop_last: cut to 9.
  EXPECT_EQ(share(10, 3, 1, true), (std::vector<size_t>{1, 4, 7}));
  EXPECT_EQ(DistributedSampler(10, 3, 0, false, 0, true).size(), 3u);
  // Fewer samples than replicas: the padding repeats them.
  std::vector<size_t> tiny;
  for (size_t rank = 0; rank < 5; ++rank)
    tiny.push_back(share(2, 5, rank, false).at(0));
  EXPECT_EQ(tiny, (std::vector<size_t>{0, 1, 0, 1, 0}));

  // Shuffled: the shares partition a permutation that changes with the
  // epoch, equal across replicas for the same seed.
  for (uint64_t epoch : {0, 1}) {
    std::vector<size_t> all;
    for (size_t rank = 0; rank < 4; ++rank) {
      auto part = DistributedSampler(21, 4, rank, true, 5).indices(epoch);
      EXPECT_EQ(part.size(), 6u);
      all.insert(all.end(), part.begin(), part.end());
    }
    std::vector<size_t> counts = countsOf(all, 21);
    EXPECT_EQ(std::count(counts.begin(), counts.end(), 1), 18);
    EXPECT_EQ(std::count(counts.begin(), counts.end(), 2), 3);
  }
  DistributedSampler sampler(21, 4, 1, true, 5);
  auto e0 = sampler.indices(0), e1 = sampler.indices(1);
  EXPECT_NE(e0, e1);
  // set_epoch overrides the loader's epoch count.
  sampler.set_epoch(1);
  EXPECT_EQ(sampler.indices(0), e1);
  EXPECT_EQ(sampler.indices(7), e1);
  // In a loader, each replica sees its share.
  DataLoader loader(
      numbered(10),
      {.batch_size = 2,
       .sampler = std::make_shared<DistributedSampler>(10, 3, 1, false)});
  EXPECT_EQ(epochIds(loader),
            (std::vector<std::vector<int64_t>>{{1, 4}, {7, 0}}));
  expectError([] { DistributedSampler(4, 2, 2); },
              {"DistributedSampler", "rank 2", "[0, 1]"});
  expectError([] { DistributedSampler(4, 0, 0); }, {"num_replicas"});
}

} // namespace
