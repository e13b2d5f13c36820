//===- DataLoaderTest.cpp - The DataLoader and its options ----------------===//
//
// Batching, workers, errors and the options of the DataLoader.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <thread>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// DataLoader
//===----------------------------------------------------------------------===//

TEST(DataLoader, BatchesInOrderWithTheLastOnePartial) {
  DataLoader loader(numbered(10), {.batch_size = 4});
  EXPECT_EQ(loader.size(), 3u);
  std::vector<Shape> shapes;
  std::vector<int64_t> seen;
  for (Example<> &batch : loader) {
    shapes.push_back(batch.data.sizes());
    EXPECT_EQ(batch.target.sizes(), (Shape{batch.data.size(0)}));
    EXPECT_FALSE(batch.data.is_pending());
    for (int64_t id : ids(batch))
      seen.push_back(id);
    // The data are the samples' rows.
    auto data = batch.data.to_vector<float>();
    auto batchIds = ids(batch);
    for (size_t i = 0; i < batchIds.size(); ++i)
      EXPECT_EQ(data[3 * i + 1], float(batchIds[i]) + 0.5f);
  }
  EXPECT_EQ(shapes, (std::vector<Shape>{{4, 3}, {4, 3}, {2, 3}}));
  std::vector<int64_t> expected(10);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(loader.epoch(), 1u);

  DataLoader dropping(numbered(10), {.batch_size = 4, .drop_last = true});
  EXPECT_EQ(dropping.size(), 2u);
  EXPECT_EQ(epochIds(dropping),
            (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}}));
  // An exact multiple has no partial batch either way.
  EXPECT_EQ(DataLoader(numbered(8), {.batch_size = 4}).size(), 2u);
  EXPECT_EQ(
      DataLoader(numbered(8), {.batch_size = 4, .drop_last = true}).size(), 2u);
  // Fewer samples than a batch: one small batch, or none with drop_last.
  DataLoader small(numbered(3), {.batch_size = 4, .num_workers = 2});
  EXPECT_EQ(epochIds(small), (std::vector<std::vector<int64_t>>{{0, 1, 2}}));
  DataLoader none(numbered(3), {.batch_size = 4, .drop_last = true});
  EXPECT_EQ(none.size(), 0u);
  EXPECT_TRUE(none.begin() == none.end());
  DataLoader emptyLoader(numbered(0), {.num_workers = 2});
  EXPECT_EQ(emptyLoader.size(), 0u);
  EXPECT_TRUE(epochIds(emptyLoader).empty());
  // The default batch size is PyTorch's, 1.
  EXPECT_EQ(DataLoader(numbered(5)).size(), 5u);
}

TEST(DataLoader, ShufflesEveryEpochReproducibly) {
  DataLoader loader(numbered(23),
                    {.batch_size = 5, .shuffle = true, .seed = 7});
  std::vector<std::vector<int64_t>> epochs;
  for (int e = 0; e < 3; ++e) {
    std::vector<int64_t> order;
    for (auto &batch : epochIds(loader))
      order.insert(order.end(), batch.begin(), batch.end());
    std::vector<int64_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> all(23);
    std::iota(all.begin(), all.end(), 0);
    EXPECT_EQ(sorted, all) << "epoch " << e << " is not a permutation";
    epochs.push_back(order);
  }
  EXPECT_NE(epochs[0], epochs[1]);
  EXPECT_NE(epochs[1], epochs[2]);
  // Epoch e's order is RandomSampler(seed).indices(e).
  RandomSampler sampler(23, 7);
  for (uint64_t e = 0; e < 3; ++e) {
    auto indices = sampler.indices(e);
    EXPECT_EQ(epochs[e], std::vector<int64_t>(indices.begin(), indices.end()));
  }
  // A new loader with the same seed repeats; another seed does not.
  DataLoader again(numbered(23), {.batch_size = 5, .shuffle = true, .seed = 7});
  DataLoader other(numbered(23), {.batch_size = 5, .shuffle = true, .seed = 8});
  auto first = epochIds(again);
  EXPECT_EQ(first.front().size(), 5u);
  EXPECT_NE(epochIds(other), first);
  std::vector<int64_t> flat;
  for (auto &batch : first)
    flat.insert(flat.end(), batch.begin(), batch.end());
  EXPECT_EQ(flat, epochs[0]);
  // The permutation is pinned: it must not change between platforms or
  // standard libraries (mt19937_64 and seed_seq are exact, the bounded
  // draws are ours).
  auto pinned = RandomSampler(10, 0).indices(0);
  EXPECT_EQ(pinned, (std::vector<size_t>{8, 2, 3, 5, 1, 6, 9, 7, 0, 4}));
  EXPECT_EQ(SequentialSampler(3).indices(5), (std::vector<size_t>{0, 1, 2}));
}

/// A dataset that sleeps a little per sample, longer for some indices, so
/// that workers finish out of order; and counts calls.
class SlowDataset : public Dataset<Example<>> {
public:
  SlowDataset(size_t n, std::chrono::microseconds delay, int64_t throwAt = -1,
              bool throwKilnError = false)
      : inner_(numbered(static_cast<int64_t>(n))), delay_(delay),
        throwAt_(throwAt), throwKilnError_(throwKilnError) {}

  Example<> get(size_t index) override {
    int now = ++active;
    int seen = maxActive.load();
    while (now > seen && !maxActive.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(delay_ * (1 + (index * 7) % 3));
    ++calls;
    --active;
    if (static_cast<int64_t>(index) == throwAt_) {
      if (throwKilnError_)
        throw kiln::Error("sample file is corrupt");
      throw std::runtime_error("cannot decode sample");
    }
    return inner_.get(index);
  }
  size_t size() const override { return inner_.size(); }

  std::atomic<int> calls = 0;
  std::atomic<int> active = 0;
  std::atomic<int> maxActive = 0;

private:
  TensorDataset inner_;
  std::chrono::microseconds delay_;
  int64_t throwAt_;
  bool throwKilnError_;
};

TEST(DataLoader, SameSeedSameBatchesForAnyNumberOfWorkers) {
  auto run = [](size_t workers) {
    auto ds = std::make_shared<SlowDataset>(37, std::chrono::microseconds(50));
    DataLoader loader(ds, {.batch_size = 4,
                           .shuffle = true,
                           .num_workers = workers,
                           .seed = 1234});
    std::vector<std::vector<std::vector<int64_t>>> epochs;
    for (int e = 0; e < 3; ++e)
      epochs.push_back(epochIds(loader));
    EXPECT_EQ(ds->calls, 3 * 37);
    return epochs;
  };
  auto reference = run(0);
  EXPECT_EQ(reference[0].size(), 10u);
  EXPECT_EQ(reference[0].back().size(), 1u);
  for (size_t workers : {1, 2, 4})
    EXPECT_EQ(run(workers), reference) << workers << " workers";
}

TEST(DataLoader, WorkersLoadInParallelWithinThePrefetchBound) {
  // Parallel: with 4 workers, several samples load at once.
  auto slow = std::make_shared<SlowDataset>(16, std::chrono::milliseconds(5));
  DataLoader parallel(slow, {.batch_size = 1, .num_workers = 4});
  EXPECT_EQ(epochIds(parallel).size(), 16u);
  EXPECT_GE(slow->maxActive, 2);

  // Bounded: 2 workers * prefetch_factor 3 = 6 batches may be loaded or in
  // flight beyond the ones taken; the loop has taken 1.
  auto counted =
      std::make_shared<SlowDataset>(50, std::chrono::microseconds(0));
  DataLoader loader(counted,
                    {.batch_size = 1, .num_workers = 2, .prefetch_factor = 3});
  auto it = loader.begin();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (counted->calls < 7 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(counted->calls, 7);
  ++it;
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (counted->calls < 8 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(counted->calls, 8);
  EXPECT_EQ(ids(*it), (std::vector<int64_t>{1}));
}

TEST(DataLoader, DatasetErrorsReachTheLoopNamingTheSample) {
  for (size_t workers : {0, 1, 3}) {
    for (bool kilnError : {false, true}) {
      auto ds = std::make_shared<SlowDataset>(20, std::chrono::microseconds(20),
                                              13, kilnError);
      DataLoader loader(ds, {.batch_size = 4, .num_workers = workers});
      std::vector<std::vector<int64_t>> before;
      expectError(
          [&] {
            for (Example<> &batch : loader)
              before.push_back(ids(batch));
          },
          {"DataLoader", "sample 13", "batch 3",
           kilnError ? "sample file is corrupt" : "cannot decode sample"});
      // The batches before the bad one arrived, in order.
      EXPECT_EQ(before, (std::vector<std::vector<int64_t>>{
                            {0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}))
          << workers << " workers";
    }
  }
  // In the first batch: begin() throws.
  auto ds = std::make_shared<SlowDataset>(8, std::chrono::microseconds(0), 0);
  DataLoader first(ds, {.batch_size = 2, .num_workers = 2});
  expectError([&] { first.begin(); }, {"worker", "sample 0"});
  // A collate failure names the batch and its samples.
  DataLoader failing(numbered(6),
                     {.batch_size = 3,
                      .num_workers = 2,
                      .collate_fn = [](std::vector<Example<>>) -> Example<> {
                        throw std::runtime_error("no collation");
                      }});
  expectError([&] { failing.begin(); },
              {"collating batch 0", "samples 0, 1, 2", "no collation"});
}

TEST(DataLoader, BreakingEarlyAndDestroyingMidEpochStopTheWorkers) {
  auto ds = std::make_shared<SlowDataset>(200, std::chrono::microseconds(500));
  {
    DataLoader loader(ds, {.batch_size = 2, .shuffle = true, .num_workers = 4});
    int seen = 0;
    for (Example<> &batch : loader) {
      EXPECT_EQ(batch.data.size(0), 2);
      if (++seen == 2)
        break;
    }
    // The workers are joined once the loop's iterator is gone: no more
    // samples load.
    int calls = ds->calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(ds->calls, calls);
    EXPECT_LT(calls, 200);
    // The loader still starts fresh epochs.
    EXPECT_EQ(epochIds(loader).size(), 100u);
  }

  // The loader goes first: the epoch owns what it needs and finishes.
  auto loader = std::make_unique<DataLoader>(
      ds, LoaderOptions{.batch_size = 8, .num_workers = 3});
  auto it = loader->begin();
  auto end = loader->end();
  loader.reset();
  std::vector<int64_t> seen;
  for (; it != end; ++it)
    for (int64_t id : ids(*it))
      seen.push_back(id);
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  // Both go mid-epoch, with workers blocked on the prefetch bound and others
  // in the middle of a slow sample.
  for (int round = 0; round < 10; ++round) {
    auto slow =
        std::make_shared<SlowDataset>(64, std::chrono::microseconds(300));
    auto l = std::make_unique<DataLoader>(
        slow, LoaderOptions{.batch_size = 1, .num_workers = 4});
    auto i = std::make_unique<DataLoader::Iterator>(l->begin());
    if (round % 2)
      l.reset();
    std::this_thread::sleep_for(std::chrono::microseconds(100 * round));
    i.reset();
    l.reset();
    EXPECT_LT(slow->calls, 64);
    EXPECT_EQ(slow->active, 0);
  }
}

TEST(DataLoader, OptionsSamplersAndCollate) {
  expectError([] { DataLoader(numbered(3), {.batch_size = 0}); },
              {"batch_size"});
  expectError(
      [] { DataLoader(numbered(3), {.num_workers = 1, .prefetch_factor = 0}); },
      {"prefetch_factor"});
  expectError(
      [] {
        DataLoader(numbered(3),
                   {.shuffle = true,
                    .sampler = std::make_shared<SequentialSampler>(3)});
      },
      {"mutually exclusive"});
  expectError([] { DataLoader(std::shared_ptr<Dataset<Example<>>>()); },
              {"null"});

  /// Every other index, backwards.
  class EveryOther : public Sampler {
  public:
    std::vector<size_t> indices(uint64_t) const override { return {8, 6, 4}; }
    size_t size() const override { return 3; }
  };
  DataLoader sampled(numbered(10), {.batch_size = 2,
                                    .sampler = std::make_shared<EveryOther>()});
  EXPECT_EQ(sampled.size(), 2u);
  EXPECT_EQ(epochIds(sampled),
            (std::vector<std::vector<int64_t>>{{8, 6}, {4}}));
  // Out-of-range sampler indices are the dataset's error, named.
  DataLoader outOfRange(numbered(2),
                        {.sampler = std::make_shared<EveryOther>()});
  expectError([&] { outOfRange.begin(); }, {"sample 8", "out of range"});

  // A collate_fn replaces stacking: here, batches of ragged samples.
  DataLoader ragged(
      numbered(5), {.batch_size = 2,
                    .num_workers = 2,
                    .collate_fn = [](std::vector<Example<>> s) {
                      std::vector<int64_t> targets;
                      for (auto &e : s)
                        targets.push_back(e.target.item<int64_t>());
                      return Example<>{tensor({static_cast<int64_t>(s.size())}),
                                       tensor(targets)};
                    }});
  std::vector<int64_t> sizes;
  for (auto &batch : ragged)
    sizes.push_back(batch.data.item<int64_t>());
  EXPECT_EQ(sizes, (std::vector<int64_t>{2, 2, 1}));

  // Iterators: end is not dereferenceable; copies share the epoch.
  DataLoader loader(numbered(4), {.batch_size = 2});
  expectError([&] { *loader.end(); }, {"end of an epoch"});
  auto it = loader.begin();
  auto copy = it;
  EXPECT_TRUE(it == copy);
  EXPECT_EQ(it->data.size(0), 2);
  ++it;
  ++it;
  EXPECT_TRUE(it == loader.end());
  EXPECT_TRUE(copy == loader.end()); // the shared epoch is over
  expectError([&] { ++it; }, {"past the end"});
  EXPECT_EQ(&loader.sampler(), &loader.sampler());
  EXPECT_EQ(loader.dataset().size(), 4u);
}

TEST(DataLoader, DigitsWithWorkersNeverCompile) {
  MNIST train(kDigits, true, MNIST::kDigitsMaxValue);
  DataLoader loader(
      train, {.batch_size = 32, .shuffle = true, .num_workers = 2, .seed = 3});
  EXPECT_EQ(loader.size(), 45u); // 44 * 32 + 29
  Stats before = stats();
  size_t samples = 0, batches = 0;
  std::vector<int> counts(10);
  for (Example<> &batch : loader) {
    ++batches;
    samples += static_cast<size_t>(batch.data.size(0));
    EXPECT_EQ(batch.data.dtype(), kFloat32);
    EXPECT_EQ(batch.data.sizes(), (Shape{batch.data.size(0), 1, 8, 8}));
    EXPECT_EQ(batch.target.dtype(), kInt64);
    for (int64_t label : batch.target.to_vector<int64_t>())
      ++counts.at(static_cast<size_t>(label));
    if (batches == loader.size())
      EXPECT_EQ(batch.data.size(0), 29);
  }
  EXPECT_EQ(samples, 1437u);
  EXPECT_EQ(counts, (std::vector<int>{142, 146, 142, 146, 145, 145, 145, 143,
                                      139, 144}));
  Stats after = stats();
  EXPECT_EQ(after.compiles, before.compiles);
  EXPECT_EQ(after.realizes, before.realizes);
}

//===----------------------------------------------------------------------===//
// DataLoader options
//===----------------------------------------------------------------------===//

/// Counts the threads that have loaded a sample: each thread's first call
/// constructs its thread_local marker.
std::atomic<int> loadingThreads = 0;
struct ThreadMarker {
  ThreadMarker() { ++loadingThreads; }
};

class ThreadCountingDataset : public Dataset<Example<>> {
public:
  Example<> get(size_t index) override {
    thread_local ThreadMarker marker;
    (void)marker;
    // Slow enough that both workers usually get batches to load.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return inner_.get(index);
  }
  size_t size() const override { return inner_.size(); }

private:
  TensorDataset inner_ = numbered(24);
};

TEST(DataLoader, PersistentWorkersSurviveEpochs) {
  auto run = [](bool persistent) {
    loadingThreads = 0;
    DataLoader loader(ThreadCountingDataset(),
                      {.batch_size = 3,
                       .shuffle = true,
                       .num_workers = 2,
                       .seed = 4,
                       .persistent_workers = persistent});
    std::vector<std::vector<std::vector<int64_t>>> epochs;
    for (int e = 0; e < 3; ++e)
      epochs.push_back(epochIds(loader));
    return epochs;
  };
  // Without persistence every epoch loads on new threads (two, unless a
  // loaded machine starves one for a whole epoch), so at least one per
  // epoch; with it the same two throughout, however the work falls.
  auto fresh = run(false);
  EXPECT_GE(loadingThreads, 3);
  auto persistent = run(true);
  EXPECT_LE(loadingThreads, 2);
  EXPECT_GE(loadingThreads, 1);
  EXPECT_EQ(persistent, fresh);

  // A new epoch ends one still being iterated.
  DataLoader loader(
      numbered(20),
      {.batch_size = 2, .num_workers = 2, .persistent_workers = true});
  auto old = loader.begin();
  EXPECT_EQ(ids(*old), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(epochIds(loader).size(), 10u);
  expectError([&] { ++old; }, {"DataLoader", "ended by a later begin()"});
  // Breaking out early and starting again works, and leaves no thread
  // behind once the loader goes.
  for (int round = 0; round < 3; ++round)
    for (Example<> &batch : loader) {
      (void)batch;
      break;
    }
  EXPECT_EQ(epochIds(loader).size(), 10u);
  // A copy has workers of its own: both iterate at once, neither ends the
  // other's epoch.
  DataLoader copy = loader;
  DataLoader assigned(numbered(4), {.batch_size = 2});
  assigned = loader;
  auto a = loader.begin(), b = copy.begin(), c = assigned.begin();
  std::vector<int64_t> seenA, seenB, seenC;
  for (; a != loader.end(); ++a, ++b, ++c) {
    for (int64_t id : ids(*a))
      seenA.push_back(id);
    for (int64_t id : ids(*b))
      seenB.push_back(id);
    for (int64_t id : ids(*c))
      seenC.push_back(id);
  }
  EXPECT_EQ(seenA.size(), 20u);
  EXPECT_EQ(seenB, seenA);
  EXPECT_EQ(seenC, seenA);
  expectError([] { DataLoader(numbered(3), {.persistent_workers = true}); },
              {"persistent_workers", "num_workers > 0"});
}

TEST(DataLoader, DefaultSeedFollowsManualSeed) {
  auto order = [](DataLoader &loader) {
    std::vector<int64_t> out;
    for (auto &batch : epochIds(loader))
      out.insert(out.end(), batch.begin(), batch.end());
    return out;
  };
  manual_seed(3);
  DataLoader a(numbered(30), {.batch_size = 30, .shuffle = true});
  DataLoader a2(numbered(30), {.batch_size = 30, .shuffle = true});
  manual_seed(3);
  DataLoader b(numbered(30), {.batch_size = 30, .shuffle = true});
  manual_seed(4);
  DataLoader c(numbered(30), {.batch_size = 30, .shuffle = true});
  EXPECT_EQ(a.seed(), b.seed());
  EXPECT_NE(a.seed(), a2.seed()); // the generator moved on
  EXPECT_NE(a.seed(), c.seed());
  auto first = order(a);
  EXPECT_EQ(order(b), first);
  EXPECT_NE(order(c), first);
  EXPECT_NE(order(a2), first);
  // An explicit seed ignores the generator.
  manual_seed(99);
  DataLoader explicitSeed(numbered(30),
                          {.batch_size = 30, .shuffle = true, .seed = 7});
  EXPECT_EQ(explicitSeed.seed(), 7u);
  auto pinned = RandomSampler(30, 7).indices(0);
  EXPECT_EQ(order(explicitSeed),
            std::vector<int64_t>(pinned.begin(), pinned.end()));
}

TEST(DataLoader, PinMemoryGivesTheSameBatches) {
  DataLoader plain(numbered(9), {.batch_size = 4, .seed = 1});
  DataLoader pinned(numbered(9),
                    {.batch_size = 4, .seed = 1, .pin_memory = true});
  EXPECT_TRUE(pinned.options().pin_memory);
  EXPECT_EQ(epochIds(pinned), epochIds(plain));
}

} // namespace
