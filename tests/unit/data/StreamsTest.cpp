//===- StreamsTest.cpp - Streams of shard files ---------------------------===//
//
// StreamingDataset and byte_record_reader, alone and in a DataLoader.
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
#include <filesystem>
#include <memory>
#include <numeric>
#include <random>
#include <stdexcept>
#include <thread>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// StreamingDataset
//===----------------------------------------------------------------------===//

/// Shards of 2-pixel records whose label is a global sample id: shard s
/// holds `sizes[s]` records. Returns the paths.
std::vector<std::string> writeShards(const fs::path &dir,
                                     const std::vector<int> &sizes) {
  std::vector<std::string> paths;
  int id = 0;
  for (size_t s = 0; s < sizes.size(); ++s) {
    Bytes bytes;
    for (int r = 0; r < sizes[s]; ++r, ++id)
      bytes.insert(bytes.end(), {static_cast<unsigned char>(id),
                                 static_cast<unsigned char>(2 * id),
                                 static_cast<unsigned char>(255 - id)});
    paths.push_back((dir / ("shard-" + std::to_string(s) + ".bin")).string());
    writeFile(paths.back(), bytes);
  }
  return paths;
}

/// Every batch of an epoch as sample ids (the labels).
std::vector<std::vector<int64_t>> streamEpoch(DataLoader &loader) {
  std::vector<std::vector<int64_t>> out;
  for (Example<> &batch : loader)
    out.push_back(batch.target.to_vector<int64_t>());
  return out;
}

using StreamTest = TempDir;

TEST_F(StreamTest, ReadsShardsInOrderForAnyNumberOfWorkers) {
  auto shards = writeShards(dir, {3, 1, 4, 2});
  StreamingDataset ds(shards, byte_record_reader({1, 2}));
  EXPECT_EQ(ds.num_parts(), 4u);
  auto stream = ds.open(2, 0);
  std::optional<Example<>> first = stream->next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->target.item<int64_t>(), 4);
  EXPECT_EQ(first->data.sizes(), (Shape{1, 2}));
  EXPECT_EQ(first->data.to_vector<float>(),
            (std::vector<float>{8 / 255.0f, 251 / 255.0f}));
  for (size_t workers : {0, 1, 2, 4}) {
    DataLoader loader(ds, {.batch_size = 3, .num_workers = workers});
    expectError([&] { loader.size(); }, {"no length"});
    EXPECT_EQ(streamEpoch(loader), (std::vector<std::vector<int64_t>>{
                                       {0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9}}))
        << workers << " workers";
    DataLoader dropping(
        ds, {.batch_size = 4, .drop_last = true, .num_workers = workers});
    EXPECT_EQ(streamEpoch(dropping).size(), 2u);
  }
  expectError([&] { DataLoader(ds, {.shuffle = true}); },
              {"iterable", "sampler and shuffle"});
  expectError([] { StreamingDataset({}, byte_record_reader({1})); },
              {"no shards"});
  expectError([&] { StreamingDataset(shards, nullptr); }, {"reader is empty"});
  expectError([] { byte_record_reader({0, 2}); }, {"positive"});
}

TEST_F(StreamTest, ShufflesShardsAndBuffersBySeedAndEpoch) {
  auto shards = writeShards(dir, {10, 7, 12, 5, 9});
  auto run = [&](size_t workers, uint64_t seed) {
    DataLoader loader(
        StreamingDataset(shards, byte_record_reader({1, 2}),
                         {.shuffle = true, .buffer_size = 4, .seed = seed}),
        {.batch_size = 5, .num_workers = workers});
    std::vector<std::vector<std::vector<int64_t>>> epochs;
    for (int e = 0; e < 3; ++e)
      epochs.push_back(streamEpoch(loader));
    return epochs;
  };
  auto reference = run(0, 1);
  for (const auto &epoch : reference) {
    std::vector<int64_t> all;
    for (const auto &batch : epoch)
      all.insert(all.end(), batch.begin(), batch.end());
    std::vector<int64_t> sorted = all;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> expected(43);
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(sorted, expected);
    EXPECT_NE(all, expected); // shuffled
  }
  EXPECT_NE(reference[0], reference[1]);
  EXPECT_NE(reference[1], reference[2]);
  for (size_t workers : {1, 2, 4})
    EXPECT_EQ(run(workers, 1), reference) << workers << " workers";
  EXPECT_NE(run(2, 2), reference);
  // The shard order is a permutation by (seed, epoch); a buffer of 1 keeps
  // each shard's own order.
  StreamingDataset ordered(shards, byte_record_reader({1, 2}),
                           {.shuffle = true, .buffer_size = 1, .seed = 1});
  auto parts = ordered.parts(0);
  EXPECT_EQ(parts, RandomSampler(5, 1).indices(0));
  DataLoader loader(ordered, {.batch_size = 50});
  std::vector<int64_t> got = streamEpoch(loader).at(0);
  const int starts[] = {0, 10, 17, 29, 34}, sizes[] = {10, 7, 12, 5, 9};
  std::vector<int64_t> want;
  for (size_t part : parts)
    for (int r = 0; r < sizes[part]; ++r)
      want.push_back(starts[part] + r);
  EXPECT_EQ(got, want);
}

/// Shards of `per` samples each, generated rather than read, counting the
/// samples made and shards opened, so a test can see how much is read
/// ahead; shard `throwShard` throws at sample `throwAt`.
class CountingStreams : public IterableDataset {
public:
  CountingStreams(size_t shards, size_t per, size_t throwShard = SIZE_MAX,
                  size_t throwAt = 0)
      : shards_(shards), per_(per), throwShard_(throwShard), throwAt_(throwAt) {
  }
  size_t num_parts() const override { return shards_; }
  std::vector<size_t> parts(uint64_t) const override {
    std::vector<size_t> out(shards_);
    std::iota(out.begin(), out.end(), size_t(0));
    return out;
  }
  std::unique_ptr<ExampleStream> open(size_t part, uint64_t) const override {
    ++opened;
    return std::make_unique<Stream>(*this, part);
  }

  mutable std::atomic<int> opened = 0;
  mutable std::atomic<int> made = 0;

private:
  struct Stream : ExampleStream {
    Stream(const CountingStreams &owner, size_t part)
        : owner(owner), part(part) {}
    std::optional<Example<>> next() override {
      if (at == owner.per_)
        return std::nullopt;
      if (part == owner.throwShard_ && at == owner.throwAt_)
        throw std::runtime_error("shard is corrupt");
      ++owner.made;
      // Random draws see the loader's per-sample seed.
      double noise = static_cast<double>(sample_generator()() % 1000);
      auto id = static_cast<int64_t>(part * owner.per_ + at++);
      return Example<>{tensor(std::vector<double>{noise}),
                       tensor(std::vector<int64_t>{id}).reshape({})};
    }
    const CountingStreams &owner;
    size_t part;
    size_t at = 0;
  };
  size_t shards_, per_, throwShard_, throwAt_;
};

TEST_F(StreamTest, ReadsLazilyWithinThePrefetchBound) {
  for (size_t workers : {0, 2}) {
    auto ds = std::make_shared<CountingStreams>(50, 100);
    DataLoader loader(
        ds, {.batch_size = 4, .num_workers = workers, .prefetch_factor = 2});
    auto it = loader.begin();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    // The first batch, plus at most one queue of 2 x 4 per worker (and the
    // sample each worker holds while it waits for room).
    EXPECT_LE(ds->made, 4 + static_cast<int>(workers) * 9) << workers;
    EXPECT_LE(ds->opened, 1 + static_cast<int>(workers)) << workers;
    EXPECT_EQ(it->target.to_vector<int64_t>(),
              (std::vector<int64_t>{0, 1, 2, 3}));
  }
  // The per-sample seed is (seed, epoch, part << 32 | position): the same
  // for any number of workers.
  auto noise = [](size_t workers) {
    DataLoader loader(std::make_shared<CountingStreams>(6, 5),
                      {.batch_size = 4, .num_workers = workers, .seed = 3});
    std::vector<double> out;
    for (Example<> &batch : loader)
      for (double v : batch.data.to_vector<double>())
        out.push_back(v);
    return out;
  };
  auto reference = noise(0);
  EXPECT_EQ(reference.size(), 30u);
  EXPECT_EQ(noise(3), reference);
  SampleSeed seed(3, 0, uint64_t(2) << 32 | 4);
  EXPECT_EQ(reference[2 * 5 + 4],
            static_cast<double>(sample_generator()() % 1000));
}

TEST_F(StreamTest, ErrorsReachTheLoopNamingPartAndSample) {
  for (size_t workers : {0, 1, 3}) {
    DataLoader loader(std::make_shared<CountingStreams>(4, 5, 2, 3),
                      {.batch_size = 4, .num_workers = workers});
    std::vector<std::vector<int64_t>> before;
    expectError(
        [&] {
          for (Example<> &batch : loader)
            before.push_back(batch.target.to_vector<int64_t>());
        },
        {"DataLoader", "sample 3 of part 2", "shard is corrupt"});
    EXPECT_EQ(before, (std::vector<std::vector<int64_t>>{
                          {0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}))
        << workers << " workers";
  }
  // A truncated shard file is named, with its size, when its turn comes.
  auto shards = writeShards(dir, {2, 3, 2});
  Bytes bytes = readFile(shards[1]);
  bytes.pop_back();
  writeFile(shards[1], bytes);
  fs::remove(shards[2]);
  for (size_t workers : {0, 2}) {
    DataLoader loader(StreamingDataset(shards, byte_record_reader({2})),
                      {.batch_size = 1, .num_workers = workers});
    int seen = 0;
    expectError(
        [&] {
          for (Example<> &batch : loader) {
            (void)batch;
            ++seen;
          }
        },
        {"opening part 1", shards[1], "8 bytes", "not a multiple of the 3"});
    EXPECT_EQ(seen, 2);
  }
  StreamingDataset missing({shards[2]}, byte_record_reader({2}));
  expectError([&] { missing.open(0, 0); }, {shards[2], "does not exist"});
  // A failing transform names the shard and sample.
  StreamingDataset failing(
      {shards[0]}, byte_record_reader({2}),
      {.transform = [](Tensor) -> Tensor { throw Error("no transform"); }});
  DataLoader failingLoader(failing, {.batch_size = 1, .num_workers = 1});
  expectError([&] { failingLoader.begin(); },
              {"sample 0 of part 0", shards[0], "transform", "no transform"});
}

TEST_F(StreamTest, FuzzedShardsLoadOrThrowKilnError) {
  auto shards = writeShards(dir, {6});
  Bytes valid = readFile(shards[0]);
  std::mt19937 gen(20240604);
  for (int i = 0; i < 100; ++i) {
    Bytes bytes = valid;
    bytes.resize(gen() % (bytes.size() + 1));
    writeFile(shards[0], bytes);
    try {
      DataLoader loader(
          StreamingDataset(shards, byte_record_reader({2})),
          {.batch_size = 4, .num_workers = static_cast<size_t>(i % 3)});
      size_t n = 0;
      for (Example<> &batch : loader)
        n += static_cast<size_t>(batch.data.size(0));
      EXPECT_EQ(n * 3, bytes.size());
    } catch (const kiln::Error &e) {
      EXPECT_NE(std::string(e.what()).find(shards[0]), std::string::npos);
    } catch (const std::exception &e) {
      ADD_FAILURE() << "not a kiln::Error: " << e.what();
    }
  }
}

TEST_F(StreamTest, BreakingEarlyStopsTheWorkers) {
  for (int round = 0; round < 5; ++round) {
    auto ds = std::make_shared<CountingStreams>(20, 50);
    {
      DataLoader loader(ds, {.batch_size = 2,
                             .num_workers = 3,
                             .persistent_workers = round % 2 == 1});
      for (int epoch = 0; epoch < 2; ++epoch) {
        int seen = 0;
        for (Example<> &batch : loader) {
          (void)batch;
          if (++seen == 3)
            break;
        }
      }
    }
    int made = ds->made;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(ds->made, made);
    EXPECT_LT(made, 1000);
  }
}

} // namespace
