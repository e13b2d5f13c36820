//===- RecordsTest.cpp - CIFAR-10 record files ----------------------------===//
//
// The CIFAR10 dataset on record files.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <stdexcept>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// CIFAR-10
//===----------------------------------------------------------------------===//

/// `n` CIFAR-10 records: record r of a file `seed` has label (seed + r) % 10
/// and pixel i equal to (seed * 31 + r * 7 + i) % 256.
Bytes cifarRecords(int n, int seed) {
  Bytes out;
  for (int r = 0; r < n; ++r) {
    out.push_back(static_cast<unsigned char>((seed + r) % 10));
    for (int i = 0; i < 3072; ++i)
      out.push_back(static_cast<unsigned char>((seed * 31 + r * 7 + i) % 256));
  }
  return out;
}

using CIFAR10Test = TempDir;

TEST_F(CIFAR10Test, ReadsBothSplitsFromTheBinaryBatches) {
  const int counts[] = {2, 1, 3, 1, 2};
  for (int b = 1; b <= 5; ++b)
    writeFile(path("data_batch_" + std::to_string(b) + ".bin"),
              cifarRecords(counts[b - 1], b));
  writeFile(path("test_batch.bin"), cifarRecords(4, 9));

  CIFAR10 train(dir.string());
  EXPECT_TRUE(train.is_train());
  ASSERT_EQ(train.size(), 9u);
  EXPECT_EQ(train.images().sizes(), (Shape{9, 3, 32, 32}));
  EXPECT_EQ(train.targets().to_vector<int64_t>(),
            (std::vector<int64_t>{1, 2, 2, 3, 4, 5, 4, 5, 6}));
  // Sample 3 is record 0 of data_batch_3: the bytes are CHW as stored.
  Example<> sample = train.get(3);
  EXPECT_EQ(sample.data.sizes(), (Shape{3, 32, 32}));
  EXPECT_EQ(sample.data.dtype(), kFloat32);
  EXPECT_EQ(sample.target.dim(), 0);
  EXPECT_EQ(sample.target.item<int64_t>(), 3);
  std::vector<float> pixels = sample.data.to_vector<float>();
  for (int i : {0, 1, 1023, 1024, 2048, 3071})
    EXPECT_EQ(pixels[i], static_cast<float>((3 * 31 + i) % 256) / 255.0f) << i;
  expectError([&] { train.get(9); }, {"CIFAR10", "index 9", "9 samples"});

  // Also under LibTorch's name.
  datasets::CIFAR10 test(dir.string(), false);
  EXPECT_FALSE(test.is_train());
  EXPECT_EQ(test.size(), 4u);
  EXPECT_EQ(CIFAR10::classes().at(3), "cat");

  // The extracted archive's directory is found from its parent too.
  fs::create_directories(dir / "parent");
  fs::rename(dir / "test_batch.bin", dir / "parent" / "test_batch.bin");
  fs::rename(dir / "parent", dir / "cifar-10-batches-bin");
  EXPECT_EQ(CIFAR10(dir.string(), false).size(), 4u);
}

TEST_F(CIFAR10Test, TransformHooksApplyInGet) {
  writeFile(path("test_batch.bin"), cifarRecords(2, 0));
  CIFAR10 plain(dir.string(), false);
  CIFAR10 mapped(
      dir.string(), false, transforms::Normalize({0.5}, {0.5}),
      [](Tensor t) { return tensor(std::vector<int64_t>{t.item<int64_t>()}); });
  Example<> a = plain.get(1), b = mapped.get(1);
  std::vector<float> x = a.data.to_vector<float>(),
                     y = b.data.to_vector<float>();
  for (size_t i = 0; i < x.size(); i += 97)
    EXPECT_FLOAT_EQ(y[i], (x[i] - 0.5f) / 0.5f);
  EXPECT_EQ(b.target.sizes(), (Shape{1}));
  // The stored images stay untransformed.
  EXPECT_EQ(mapped.images().to_vector<float>(),
            plain.images().to_vector<float>());
  CIFAR10 failing(dir.string(), false, [](Tensor) -> Tensor {
    throw std::runtime_error("bad transform");
  });
  expectError([&] { failing.get(0); },
              {"CIFAR10", "transform of sample 0", "bad transform"});
}

TEST_F(CIFAR10Test, BadFilesAreErrorsNamingTheFile) {
  expectError([&] { CIFAR10(path("nowhere")); },
              {"CIFAR10", "nowhere", "does not exist"});
  for (int b = 1; b <= 5; ++b)
    writeFile(path("data_batch_" + std::to_string(b) + ".bin"),
              cifarRecords(1, b));
  // A missing batch is named by its path.
  fs::remove(dir / "data_batch_3.bin");
  expectError([&] { CIFAR10(dir.string()); },
              {path("data_batch_3.bin"), "does not exist"});
  expectError([&] { CIFAR10(dir.string(), false); },
              {path("test_batch.bin"), "does not exist"});
  // A size that is not a multiple of 3073 is named, with the size.
  Bytes bytes = cifarRecords(2, 3);
  bytes.resize(bytes.size() - 1);
  writeFile(path("data_batch_3.bin"), bytes);
  expectError([&] { CIFAR10(dir.string()); },
              {path("data_batch_3.bin"), "6145 bytes",
               "not a multiple of the 3073-byte"});
  writeFile(path("data_batch_3.bin"), {});
  expectError([&] { CIFAR10(dir.string()); },
              {path("data_batch_3.bin"), "is empty"});
  // A label outside 0..9 names the record.
  bytes = cifarRecords(3, 3);
  bytes[3073] = 10;
  writeFile(path("data_batch_3.bin"), bytes);
  expectError([&] { CIFAR10(dir.string()); },
              {path("data_batch_3.bin"), "record 1", "label 10"});
  fs::create_directories(dir / "test_batch.bin");
  expectError([&] { CIFAR10(dir.string(), false); },
              {path("test_batch.bin"), "is a directory"});
}

TEST_F(CIFAR10Test, FuzzedFilesLoadOrThrowKilnError) {
  std::mt19937 gen(20240602);
  Bytes valid = cifarRecords(3, 1);
  int loaded = 0;
  for (int i = 0; i < 200; ++i) {
    Bytes bytes = valid;
    if (i % 2) {
      bytes.resize(gen() % (bytes.size() + 1));
    } else {
      for (int flips = 1 + gen() % 4; flips > 0; --flips)
        bytes[gen() % bytes.size()] ^=
            static_cast<unsigned char>(1u << (gen() % 8));
    }
    writeFile(path("test_batch.bin"), bytes);
    try {
      CIFAR10 ds(dir.string(), false);
      EXPECT_EQ(ds.size() * CIFAR10::kRecordBytes, bytes.size());
      for (int64_t label : ds.targets().to_vector<int64_t>())
        EXPECT_TRUE(label >= 0 && label <= 9);
      ++loaded;
    } catch (const kiln::Error &) {
    } catch (const std::exception &e) {
      ADD_FAILURE() << "not a kiln::Error: " << e.what();
    }
  }
  // Flips in pixels load; flips in labels and truncations mostly do not.
  EXPECT_GT(loaded, 20);
  EXPECT_LT(loaded, 200);
}

} // namespace
