//===- IdxTest.cpp - IDX files and MNIST ----------------------------------===//
//
// read_idx on plain, gzip and malformed files, and the MNIST dataset.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <random>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

template <typename T> void appendBigEndian(Bytes &out, T value) {
  unsigned char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  for (size_t i = sizeof(T); i-- > 0;) // the tests run on little-endian hosts
    out.push_back(raw[i]);
}

//===----------------------------------------------------------------------===//
// IDX files
//===----------------------------------------------------------------------===//

using IdxTest = TempDir;

TEST_F(IdxTest, ReadsEveryTypeWithItsShape) {
  writeFile(path("labels"), idx(0x08, {5}, {7, 0, 255, 3, 9}));
  Tensor labels = read_idx(path("labels"));
  EXPECT_EQ(labels.sizes(), (Shape{5}));
  EXPECT_EQ(labels.dtype(), kInt32);
  EXPECT_FALSE(labels.is_pending());
  EXPECT_EQ(labels.to_vector<int32_t>(),
            (std::vector<int32_t>{7, 0, 255, 3, 9}));

  Bytes pixels(2 * 2 * 3);
  std::iota(pixels.begin(), pixels.end(), 100);
  writeFile(path("images"), idx(0x08, {2, 2, 3}, pixels));
  Tensor images = read_idx(path("images"));
  EXPECT_EQ(images.sizes(), (Shape{2, 2, 3}));
  EXPECT_EQ(images.to_vector<int32_t>()[11], 111);

  writeFile(path("byte"), idx(0x09, {3}, {0x80, 0xff, 0x7f}));
  EXPECT_EQ(read_idx(path("byte")).to_vector<int32_t>(),
            (std::vector<int32_t>{-128, -1, 127}));

  Bytes shorts;
  for (int16_t v : {int16_t(-2), int16_t(300), int16_t(-32768)})
    appendBigEndian(shorts, v);
  writeFile(path("short"), idx(0x0B, {1, 3}, shorts));
  Tensor s = read_idx(path("short"));
  EXPECT_EQ(s.sizes(), (Shape{1, 3}));
  EXPECT_EQ(s.to_vector<int32_t>(), (std::vector<int32_t>{-2, 300, -32768}));

  Bytes ints;
  for (int32_t v : {-100000, 2147483647})
    appendBigEndian(ints, v);
  writeFile(path("int"), idx(0x0C, {2}, ints));
  EXPECT_EQ(read_idx(path("int")).to_vector<int32_t>(),
            (std::vector<int32_t>{-100000, 2147483647}));

  Bytes floats;
  for (float v : {1.5f, -0.25f})
    appendBigEndian(floats, v);
  writeFile(path("float"), idx(0x0D, {2}, floats));
  Tensor f = read_idx(path("float"));
  EXPECT_EQ(f.dtype(), kFloat32);
  EXPECT_EQ(f.to_vector<float>(), (std::vector<float>{1.5f, -0.25f}));

  Bytes doubles;
  appendBigEndian(doubles, 3.125);
  writeFile(path("double"), idx(0x0E, {1, 1}, doubles));
  Tensor d = read_idx(path("double"));
  EXPECT_EQ(d.dtype(), kFloat64);
  EXPECT_EQ(d.item<double>(), 3.125);

  // A zero dimension is an empty tensor, whatever the others are.
  writeFile(path("empty"), idx(0x08, {0, 0xffffffff, 28}, {}));
  EXPECT_EQ(read_idx(path("empty")).sizes(), (Shape{0, 0xffffffff, 28}));
  EXPECT_EQ(read_idx(path("empty")).numel(), 0);
}

TEST_F(IdxTest, ReadsGzipByContent) {
  Bytes pixels(4 * 5 * 6);
  for (size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = static_cast<unsigned char>(i * 7);
  Bytes file = idx(0x08, {4, 5, 6}, pixels);
  writeFile(path("images"), file);
  writeGz(path("images.gz"), file);
  // The content decides, not the name.
  writeGz(path("images-without-suffix"), file);
  auto plain = read_idx(path("images")).to_vector<int32_t>();
  EXPECT_EQ(read_idx(path("images.gz")).to_vector<int32_t>(), plain);
  EXPECT_EQ(read_idx(path("images-without-suffix")).sizes(), (Shape{4, 5, 6}));
  EXPECT_EQ(read_idx(path("images-without-suffix")).to_vector<int32_t>(),
            plain);

  // Larger than the reader's first 64 KiB chunk, so the buffer grows.
  Bytes big(300 * 28 * 28);
  std::mt19937 gen(1);
  for (auto &b : big)
    b = static_cast<unsigned char>(gen());
  writeGz(path("big.gz"), idx(0x08, {300, 28, 28}, big));
  auto values = read_idx(path("big.gz")).to_vector<int32_t>();
  ASSERT_EQ(values.size(), big.size());
  EXPECT_TRUE(std::equal(values.begin(), values.end(), big.begin()));
}

TEST_F(IdxTest, CorruptFilesAreErrorsNamingFileAndProblem) {
  expectError([&] { read_idx(path("missing")); },
              {"read_idx", path("missing"), "cannot open"});
  expectError([&] { read_idx(dir.string()); }, {"is a directory"});
  writeFile(path("empty"), {});
  expectError([&] { read_idx(path("empty")); }, {path("empty"), "empty"});
  writeFile(path("short"), {0, 0});
  expectError([&] { read_idx(path("short")); }, {"truncated", "magic"});
  writeFile(path("magic"), {'P', 'K', 3, 4, 0, 0, 0, 0});
  expectError([&] { read_idx(path("magic")); },
              {path("magic"), "bad magic number 0x504b0304"});
  writeFile(path("type"), idx(0x0A, {1}, {0}));
  expectError([&] { read_idx(path("type")); },
              {path("type"), "unsupported type code 0x0a"});
  writeFile(path("rank0"), {0, 0, 8, 0});
  expectError([&] { read_idx(path("rank0")); }, {"zero dimensions"});
  writeFile(path("header"), {0, 0, 8, 3, 0, 0, 0, 1, 0, 0});
  expectError([&] { read_idx(path("header")); },
              {"truncated header", "3 dimensions need 12 bytes"});
  writeFile(path("truncated"), idx(0x08, {2, 3, 3}, Bytes(17)));
  expectError([&] { read_idx(path("truncated")); },
              {path("truncated"), "truncated", "[2, 3, 3] of ubyte need 18",
               "16-byte header", "has 17"});
  writeFile(path("trailing"), idx(0x0C, {2}, Bytes(9)));
  expectError([&] { read_idx(path("trailing")); },
              {"trailing data", "need 8", "has 9"});
  // 2^32 - 1 in each of 255 dimensions wraps any integer type.
  writeFile(path("huge"),
            idx(0x0E, std::vector<uint32_t>(255, 0xffffffff), Bytes(16)));
  expectError([&] { read_idx(path("huge")); }, {"more than 2^40 bytes"});
  // The product of the non-zero dimensions counts too.
  writeFile(path("huge-empty"),
            idx(0x08, {0xffffffff, 0xffffffff, 0xffffffff, 0}, {}));
  expectError([&] { read_idx(path("huge-empty")); }, {"more than 2^40"});

  // gzip: truncated streams, corrupt data and sizes that do not match.
  Bytes valid = idx(0x08, {10, 10}, Bytes(100, 42));
  writeGz(path("ok.gz"), valid);
  Bytes gz = readFile(path("ok.gz"));
  Bytes cut(gz.begin(), gz.begin() + static_cast<long>(gz.size() / 2));
  writeFile(path("cut.gz"), cut);
  expectError([&] { read_idx(path("cut.gz")); }, {path("cut.gz"), "truncated"});
  Bytes noTrailer(gz.begin(), gz.end() - 4); // data complete, length missing
  writeFile(path("trailer.gz"), noTrailer);
  expectError([&] { read_idx(path("trailer.gz")); }, {"truncated gzip stream"});
  Bytes badCrc = gz;
  badCrc[badCrc.size() - 6] ^= 0x55;
  writeFile(path("crc.gz"), badCrc);
  expectError([&] { read_idx(path("crc.gz")); }, {"corrupt gzip stream"});
  writeGz(path("short.gz"), Bytes(valid.begin(), valid.end() - 1));
  expectError([&] { read_idx(path("short.gz")); },
              {"truncated", "the decompressed data has only 99"});
  Bytes longer = valid;
  longer.push_back(0);
  writeGz(path("long.gz"), longer);
  expectError([&] { read_idx(path("long.gz")); },
              {"trailing data", "the decompressed data has more"});
  writeGz(path("empty.gz"), {});
  expectError([&] { read_idx(path("empty.gz")); }, {"empty"});
}

/// Reads `bytes` as an IDX file; only a kiln::Error may come out.
void expectLoadsOrErrors(const fs::path &file, const Bytes &bytes, bool gz) {
  if (gz)
    writeGz(file, bytes);
  else
    writeFile(file, bytes);
  try {
    Tensor t = read_idx(file.string());
    // What loads must be consistent with itself.
    int64_t numel = 1;
    for (int64_t d : t.sizes())
      numel *= d;
    EXPECT_EQ(t.numel(), numel);
  } catch (const kiln::Error &) {
  } catch (const std::exception &e) {
    ADD_FAILURE() << "not a kiln::Error: " << e.what();
  }
}

TEST_F(IdxTest, FuzzedFilesLoadOrThrowKilnError) {
  std::mt19937 gen(20240601);
  auto byte = [&] { return static_cast<unsigned char>(gen()); };
  fs::path file = dir / "fuzz";
  // Random byte strings; half of them with a plausible magic number so that
  // the dimensions and data get parsed too.
  for (int i = 0; i < 200; ++i) {
    Bytes bytes(gen() % 64);
    for (auto &b : bytes)
      b = byte();
    if (i % 2 && bytes.size() >= 4) {
      bytes[0] = bytes[1] = 0;
      bytes[2] = std::array<unsigned char, 6>{8, 9, 11, 12, 13, 14}[gen() % 6];
      bytes[3] = static_cast<unsigned char>(gen() % 4);
    }
    expectLoadsOrErrors(file, bytes, /*gz=*/false);
  }
  // Truncations and bit flips of a valid file, plain and compressed.
  Bytes payload(3 * 4 * 5);
  for (auto &b : payload)
    b = byte();
  Bytes valid = idx(0x08, {3, 4, 5}, payload);
  writeGz(dir / "valid.gz", valid);
  Bytes validGz = readFile(dir / "valid.gz");
  for (int i = 0; i < 200; ++i) {
    bool gz = i % 2;
    Bytes bytes = gz ? validGz : valid;
    if (gen() % 2) {
      bytes.resize(gen() % bytes.size());
    } else {
      for (int flips = 1 + gen() % 3; flips > 0; --flips)
        bytes[gen() % bytes.size()] ^=
            static_cast<unsigned char>(1u << (gen() % 8));
    }
    // Written as is: the reader sniffs the gzip magic itself.
    expectLoadsOrErrors(file, bytes, /*gz=*/false);
  }
  // Random content compressed correctly: the gzip layer is fine, the IDX
  // inside is not.
  for (int i = 0; i < 50; ++i) {
    Bytes bytes = valid;
    bytes[gen() % 16] = byte();
    expectLoadsOrErrors(file, bytes, /*gz=*/true);
  }
}

TEST(Digits, BundledFilesReadAsDocumented) {
  Tensor images = read_idx(kDigits + "/train-images-idx3-ubyte");
  Tensor labels = read_idx(kDigits + "/train-labels-idx1-ubyte");
  EXPECT_EQ(images.sizes(), (Shape{1437, 8, 8}));
  EXPECT_EQ(labels.sizes(), (Shape{1437}));
  auto pixels = images.to_vector<int32_t>();
  // Pixel values are 0..16, not 0..255 (data/digits/README.md).
  EXPECT_EQ(*std::min_element(pixels.begin(), pixels.end()), 0);
  EXPECT_EQ(*std::max_element(pixels.begin(), pixels.end()), 16);
  EXPECT_EQ(std::accumulate(pixels.begin(), pixels.end(), int64_t(0)), 449368);
  EXPECT_EQ(std::vector<int32_t>(pixels.begin(), pixels.begin() + 8),
            (std::vector<int32_t>{0, 0, 8, 16, 16, 12, 0, 0}));
  auto y = labels.to_vector<int32_t>();
  EXPECT_EQ(std::vector<int32_t>(y.begin(), y.begin() + 10),
            (std::vector<int32_t>{3, 9, 1, 3, 1, 9, 4, 4, 2, 8}));
  std::vector<int> counts(10);
  for (int32_t label : y) {
    ASSERT_GE(label, 0);
    ASSERT_LE(label, 9);
    ++counts[label];
  }
  EXPECT_EQ(counts, (std::vector<int>{142, 146, 142, 146, 145, 145, 145, 143,
                                      139, 144}));

  Tensor testImages = read_idx(kDigits + "/t10k-images-idx3-ubyte");
  Tensor testLabels = read_idx(kDigits + "/t10k-labels-idx1-ubyte");
  EXPECT_EQ(testImages.sizes(), (Shape{360, 8, 8}));
  std::vector<int> testCounts(10);
  for (int32_t label : testLabels.to_vector<int32_t>())
    ++testCounts.at(label);
  EXPECT_EQ(testCounts,
            (std::vector<int>{36, 36, 35, 37, 36, 37, 36, 36, 35, 36}));
  EXPECT_EQ(std::accumulate(testCounts.begin(), testCounts.end(), 0) +
                std::accumulate(counts.begin(), counts.end(), 0),
            1797);
}

//===----------------------------------------------------------------------===//
// MNIST
//===----------------------------------------------------------------------===//

TEST(MNIST, LoadsBothSplitsOfTheDigits) {
  MNIST train(kDigits, true, MNIST::kDigitsMaxValue);
  EXPECT_TRUE(train.is_train());
  EXPECT_EQ(train.size(), 1437u);
  EXPECT_EQ(train.images().sizes(), (Shape{1437, 1, 8, 8}));
  EXPECT_EQ(train.targets().sizes(), (Shape{1437}));
  EXPECT_EQ(train.targets().dtype(), kInt64);
  auto pixels = train.images().to_vector<float>();
  EXPECT_EQ(*std::min_element(pixels.begin(), pixels.end()), 0.0f);
  EXPECT_EQ(*std::max_element(pixels.begin(), pixels.end()), 1.0f);

  Example<> first = train.get(0);
  EXPECT_EQ(first.data.sizes(), (Shape{1, 8, 8}));
  EXPECT_EQ(first.data.dtype(), kFloat32);
  EXPECT_EQ(first.target.dim(), 0);
  EXPECT_EQ(first.target.dtype(), kInt64);
  EXPECT_EQ(first.target.item<int64_t>(), 3);
  auto row = first.data.to_vector<float>();
  EXPECT_EQ(std::vector<float>(row.begin(), row.begin() + 8),
            (std::vector<float>{0, 0, 0.5, 1, 1, 0.75, 0, 0}));
  EXPECT_EQ(train.get(9).target.item<int64_t>(), 8);
  expectError([&] { train.get(1437); }, {"MNIST", "index 1437", "1437"});

  MNIST test(kDigits, false, MNIST::kDigitsMaxValue);
  EXPECT_FALSE(test.is_train());
  EXPECT_EQ(test.size(), 360u);
  EXPECT_EQ(test.get(0).target.item<int64_t>(), 7);
  EXPECT_EQ(test.get(0).data.to_vector<float>()[3], 13.0f / 16);

  // PyTorch's scaling (/255) loads them too, into [0, 16/255].
  MNIST raw(kDigits);
  EXPECT_FLOAT_EQ(raw.get(0).data.to_vector<float>()[3], 16.0f / 255);
  // A max_value below the data is caught, not silently exceeded.
  expectError(
      [&] { MNIST(kDigits, true, 10); },
      {"train-images-idx3-ubyte", "pixel value 16", "exceeds max_value 10 "});
  expectError([&] { MNIST(kDigits, true, 0); }, {"max_value"});
}

using MNISTFiles = TempDir;

TEST_F(MNISTFiles, GzipAndBadFiles) {
  // The digits compressed: the same samples.
  for (std::string name :
       {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"})
    writeGz(dir / (name + ".gz"), readFile(kDigits + "/" + name));
  MNIST gz(dir.string(), true, MNIST::kDigitsMaxValue);
  MNIST plain(kDigits, true, MNIST::kDigitsMaxValue);
  EXPECT_EQ(gz.images().to_vector<float>(), plain.images().to_vector<float>());
  EXPECT_EQ(gz.targets().to_vector<int64_t>(),
            plain.targets().to_vector<int64_t>());

  expectError([&] { MNIST(dir.string(), false); },
              {"t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz"});
  expectError([&] { MNIST(path("nowhere")); }, {"nowhere", "does not exist"});

  writeFile(dir / "t10k-images-idx3-ubyte", idx(0x08, {2, 2, 2}, Bytes(8)));
  writeFile(dir / "t10k-labels-idx1-ubyte", idx(0x08, {3}, {1, 2, 3}));
  expectError([&] { MNIST(dir.string(), false); }, {"2 images", "3 labels"});
  writeFile(dir / "t10k-labels-idx1-ubyte", idx(0x08, {2, 1}, {1, 2}));
  expectError([&] { MNIST(dir.string(), false); },
              {"t10k-labels-idx1-ubyte", "expected 1-d ubyte labels"});
  writeFile(dir / "t10k-images-idx3-ubyte", idx(0x0D, {1, 1, 1}, Bytes(4)));
  expectError([&] { MNIST(dir.string(), false); },
              {"expected 3-d ubyte images", "float"});
  writeFile(dir / "t10k-images-idx3-ubyte", idx(0x08, {2, 2, 2}, Bytes(7)));
  expectError([&] { MNIST(dir.string(), false); },
              {"MNIST", "t10k-images-idx3-ubyte", "truncated"});
}

} // namespace
