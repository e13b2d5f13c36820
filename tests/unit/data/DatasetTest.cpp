//===- DatasetTest.cpp - Tensor datasets, collation, subsets and splits ---===//
//
// TensorDataset, default_collate, Subset, ConcatDataset and random_split.
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

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// TensorDataset and default_collate
//===----------------------------------------------------------------------===//

TEST(TensorDataset, RowsAreSamples) {
  TensorDataset ds = numbered(4);
  EXPECT_EQ(ds.size(), 4u);
  Example<> e = ds.get(2);
  EXPECT_EQ(e.data.sizes(), (Shape{3}));
  EXPECT_FALSE(e.data.is_pending());
  EXPECT_EQ(e.data.to_vector<float>(), (std::vector<float>{2, 2.5, -2}));
  EXPECT_EQ(e.target.dim(), 0);
  EXPECT_EQ(e.target.item<int64_t>(), 20);
  // Samples are copies: writing one leaves the dataset alone.
  e.data.data_ptr<float>()[0] = 99;
  EXPECT_EQ(ds.get(2).data.to_vector<float>()[0], 2);

  expectError([&] { ds.get(4); }, {"TensorDataset", "index 4", "4 samples"});
  expectError([&] { TensorDataset(zeros({3, 2}), zeros({4})); },
              {"TensorDataset", "3 samples", "have 4", "[4]"});
  expectError([&] { TensorDataset(tensor(1.0)); }, {"0-d"});
  expectError([&] { TensorDataset(zeros({2}), tensor(1)); }, {"0-d"});
  expectError([&] { TensorDataset{Tensor{}}; }, {"undefined"});

  // Without targets, samples have none.
  TensorDataset unlabeled(zeros({2, 2, 2}, kInt32));
  EXPECT_FALSE(unlabeled.get(1).target.defined());
  EXPECT_EQ(unlabeled.get(1).data.sizes(), (Shape{2, 2}));

  // Pending inputs are computed once, up front.
  TensorDataset lazy(arange(6, kFloat32).reshape({3, 2}) * 2);
  EXPECT_EQ(lazy.get(2).data.to_vector<float>(), (std::vector<float>{8, 10}));
}

TEST(DefaultCollate, StacksAndRejectsMismatches) {
  Example<> batch = default_collate(
      {{tensor({1, 2}), tensor(5)}, {tensor({3, 4}), tensor(6)}});
  EXPECT_EQ(batch.data.sizes(), (Shape{2, 2}));
  EXPECT_EQ(batch.data.to_vector<int64_t>(),
            (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(batch.target.sizes(), (Shape{2}));
  EXPECT_EQ(batch.target.to_vector<int64_t>(), (std::vector<int64_t>{5, 6}));

  Example<> noTargets =
      default_collate({{zeros({0, 3}), {}}, {zeros({0, 3}), {}}});
  EXPECT_EQ(noTargets.data.sizes(), (Shape{2, 0, 3}));
  EXPECT_FALSE(noTargets.target.defined());

  expectError([] { default_collate({}); }, {"no samples"});
  expectError(
      [] { default_collate({{zeros({2}), {}}, {zeros({3}), {}}}); },
      {"sample 1", "[3] kiln.float32", "[2] kiln.float32", "collate_fn"});
  expectError(
      [] { default_collate({{zeros({2}), {}}, {zeros({2}, kInt32), {}}}); },
      {"sample 1", "int32"});
  expectError(
      [] { default_collate({{zeros({2}), tensor(1)}, {zeros({2}), {}}}); },
      {"sample 1", "has no target"});
  expectError([] { default_collate({{Tensor(), {}}}); }, {"has no data"});
}

//===----------------------------------------------------------------------===//
// Subsets, concatenation and splits
//===----------------------------------------------------------------------===//

/// The sample numbers of every sample of a `numbered`-derived dataset.
std::vector<int64_t> allIds(Dataset<Example<>> &ds) {
  std::vector<int64_t> out;
  for (size_t i = 0; i < ds.size(); ++i)
    out.push_back(ds.get(i).target.item<int64_t>() / 10);
  return out;
}

TEST(Subset, PicksSamplesInTheGivenOrder) {
  Subset subset(numbered(6), {4, 1, 1, 5});
  EXPECT_EQ(subset.size(), 4u);
  EXPECT_EQ(allIds(subset), (std::vector<int64_t>{4, 1, 1, 5}));
  EXPECT_EQ(subset.get(0).data.to_vector<float>(),
            (std::vector<float>{4, 4.5, -4}));
  EXPECT_EQ(subset.dataset().size(), 6u);
  EXPECT_EQ(Subset(numbered(3), {}).size(), 0u);

  // A subset of a subset, and a DataLoader over one.
  auto shared = std::make_shared<Subset>(subset, std::vector<size_t>{3, 0});
  EXPECT_EQ(allIds(*shared), (std::vector<int64_t>{5, 4}));
  DataLoader loader(subset, {.batch_size = 3});
  EXPECT_EQ(epochIds(loader),
            (std::vector<std::vector<int64_t>>{{4, 1, 1}, {5}}));

  expectError([] { Subset(numbered(3), {0, 3}); },
              {"Subset", "indices[1] = 3", "3 samples"});
  expectError([&] { subset.get(4); }, {"Subset", "index 4", "4 samples"});
  expectError([] { Subset(std::shared_ptr<Dataset<Example<>>>(), {}); },
              {"null"});
}

TEST(ConcatDataset, IndexesAcrossTheDatasets) {
  auto a = std::make_shared<TensorDataset>(numbered(2));
  auto empty = std::make_shared<Subset>(numbered(1), std::vector<size_t>{});
  auto b = std::make_shared<Subset>(numbered(9), std::vector<size_t>{7, 8, 6});
  ConcatDataset both({a, empty, b});
  EXPECT_EQ(both.size(), 5u);
  EXPECT_EQ(both.cumulative_sizes(), (std::vector<size_t>{2, 2, 5}));
  EXPECT_EQ(allIds(both), (std::vector<int64_t>{0, 1, 7, 8, 6}));
  EXPECT_EQ(both.get(2).data.to_vector<float>(),
            (std::vector<float>{7, 7.5, -7}));
  DataLoader loader(both, {.batch_size = 2});
  EXPECT_EQ(epochIds(loader),
            (std::vector<std::vector<int64_t>>{{0, 1}, {7, 8}, {6}}));

  expectError([&] { both.get(5); }, {"ConcatDataset", "index 5", "5 samples"});
  expectError([&] { ConcatDataset({a, nullptr}); }, {"dataset 1 is null"});
  expectError([] { ConcatDataset({}); }, {"no datasets"});
}

TEST(RandomSplit, PartitionsTheIndicesReproducibly) {
  auto ds = std::make_shared<TensorDataset>(numbered(10));
  std::vector<Subset> splits = random_split(ds, {3, 7}, 0);
  ASSERT_EQ(splits.size(), 2u);
  EXPECT_EQ(splits[0].size(), 3u);
  EXPECT_EQ(splits[1].size(), 7u);
  // The splits cut RandomSampler(10, seed)'s first permutation, pinned in
  // ShufflesEveryEpochReproducibly: {8, 2, 3, 5, 1, 6, 9, 7, 0, 4}.
  EXPECT_EQ(splits[0].indices(), (std::vector<size_t>{8, 2, 3}));
  EXPECT_EQ(splits[1].indices(), (std::vector<size_t>{5, 1, 6, 9, 7, 0, 4}));
  EXPECT_EQ(allIds(splits[0]), (std::vector<int64_t>{8, 2, 3}));
  // Equal seeds repeat; the splits of any seed partition the indices.
  EXPECT_EQ(random_split(ds, {3, 7}, 5)[1].indices(),
            random_split(ds, {3, 7}, 5)[1].indices());
  EXPECT_NE(random_split(ds, {3, 7}, 5)[0].indices(), splits[0].indices());
  for (uint64_t seed = 0; seed < 5; ++seed) {
    std::vector<size_t> all;
    for (Subset &split : random_split(ds, {4, 0, 6}, seed))
      all.insert(all.end(), split.indices().begin(), split.indices().end());
    std::sort(all.begin(), all.end());
    std::vector<size_t> expected(10);
    std::iota(expected.begin(), expected.end(), size_t(0));
    EXPECT_EQ(all, expected) << "seed " << seed;
  }

  // Fractions: floor(f * n) each, the remainder one by one from the first.
  auto sizes = [](std::vector<Subset> splits) {
    std::vector<size_t> out;
    for (Subset &split : splits)
      out.push_back(split.size());
    return out;
  };
  EXPECT_EQ(sizes(random_split(ds, {0.5, 0.3, 0.2})),
            (std::vector<size_t>{5, 3, 2}));
  EXPECT_EQ(sizes(random_split(ds, {1.0 / 3, 1.0 / 3, 1.0 / 3})),
            (std::vector<size_t>{4, 3, 3}));
  EXPECT_EQ(sizes(random_split(numbered(11), {0.5, 0.5}, 1)),
            (std::vector<size_t>{6, 5}));
  // A split by value shares one copy of the dataset.
  std::vector<Subset> byValue = random_split(numbered(4), {1, 3}, 2);
  EXPECT_EQ(&byValue[0].dataset(), &byValue[1].dataset());

  expectError([&] { random_split(ds, {3, 6}); },
              {"random_split", "sum to 9", "10 samples"});
  expectError([&] { random_split(ds, {2.5, 7.5}); }, {"length 0 is 2.5"});
  expectError([&] { random_split(ds, {-1, 11}); }, {"length 0 is -1"});
  expectError([&] { random_split(ds, {1.5, -0.5}); },
              {"fraction 0 is 1.5", "between 0 and 1"});
  expectError([&] { random_split(ds, {}); }, {"no lengths"});
  expectError([] { random_split(std::shared_ptr<Dataset<Example<>>>(), {1}); },
              {"null"});
}

} // namespace
