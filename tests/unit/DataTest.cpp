//===- DataTest.cpp - Datasets, files, samplers, transforms, DataLoader ---===//
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

using namespace kiln;
using namespace kiln::data;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<unsigned char>;

using kiln::testing::expectError;

/// An IDX file: magic (0, 0, type, rank), big-endian dimensions, payload.
Bytes idx(unsigned char type, const std::vector<uint32_t> &dims,
          const Bytes &payload) {
  Bytes out = {0, 0, type, static_cast<unsigned char>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<unsigned char>(d >> shift));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

template <typename T> void appendBigEndian(Bytes &out, T value) {
  unsigned char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  for (size_t i = sizeof(T); i-- > 0;) // the tests run on little-endian hosts
    out.push_back(raw[i]);
}

void writeFile(const fs::path &path, const Bytes &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

Bytes readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

/// Compresses with zlib's gz* API, as gzip(1) would.
void writeGz(const fs::path &path, const Bytes &bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr) << path;
  if (!bytes.empty())
    ASSERT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(gz), Z_OK);
}

/// A fresh directory per test, removed afterwards.
class TempDir : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("kiln-data-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string path(const std::string &name) const {
    return (dir / name).string();
  }
  fs::path dir;
};

const std::string kDigits = std::string(KILN_SOURCE_DIR) + "/data/digits";

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

  Example first = train.get(0);
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

//===----------------------------------------------------------------------===//
// TensorDataset and default_collate
//===----------------------------------------------------------------------===//

/// data[i] = {i, i + 0.5, -i}, targets[i] = 10 * i: every sample is known.
TensorDataset numbered(int64_t n) {
  std::vector<float> data;
  std::vector<int64_t> targets;
  for (int64_t i = 0; i < n; ++i) {
    data.insert(data.end(), {float(i), float(i) + 0.5f, -float(i)});
    targets.push_back(10 * i);
  }
  Tensor x = empty({n, 3});
  if (n > 0)
    std::memcpy(x.data_ptr<float>(), data.data(), data.size() * 4);
  return TensorDataset(x, tensor(targets));
}

/// The sample numbers of a batch of `numbered` samples.
std::vector<int64_t> ids(const Example &batch) {
  std::vector<int64_t> out;
  for (int64_t t : batch.target.to_vector<int64_t>())
    out.push_back(t / 10);
  return out;
}

TEST(TensorDataset, RowsAreSamples) {
  TensorDataset ds = numbered(4);
  EXPECT_EQ(ds.size(), 4u);
  Example e = ds.get(2);
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
  Example batch = default_collate(
      {{tensor({1, 2}), tensor(5)}, {tensor({3, 4}), tensor(6)}});
  EXPECT_EQ(batch.data.sizes(), (Shape{2, 2}));
  EXPECT_EQ(batch.data.to_vector<int64_t>(),
            (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(batch.target.sizes(), (Shape{2}));
  EXPECT_EQ(batch.target.to_vector<int64_t>(), (std::vector<int64_t>{5, 6}));

  Example noTargets =
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
// DataLoader
//===----------------------------------------------------------------------===//

/// Every batch of one epoch, as sample numbers.
std::vector<std::vector<int64_t>> epochIds(DataLoader &loader) {
  std::vector<std::vector<int64_t>> out;
  for (Example &batch : loader)
    out.push_back(ids(batch));
  return out;
}

TEST(DataLoader, BatchesInOrderWithTheLastOnePartial) {
  DataLoader loader(numbered(10), {.batch_size = 4});
  EXPECT_EQ(loader.size(), 3u);
  std::vector<Shape> shapes;
  std::vector<int64_t> seen;
  for (Example &batch : loader) {
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
class SlowDataset : public Dataset<Example> {
public:
  SlowDataset(size_t n, std::chrono::microseconds delay, int64_t throwAt = -1,
              bool throwKilnError = false)
      : inner_(numbered(static_cast<int64_t>(n))), delay_(delay),
        throwAt_(throwAt), throwKilnError_(throwKilnError) {}

  Example get(size_t index) override {
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
            for (Example &batch : loader)
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
                      .collate_fn = [](std::vector<Example>) -> Example {
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
    for (Example &batch : loader) {
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
      ds, DataLoaderOptions{.batch_size = 8, .num_workers = 3});
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
        slow, DataLoaderOptions{.batch_size = 1, .num_workers = 4});
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
  expectError([] { DataLoader(std::shared_ptr<Dataset<Example>>()); },
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
  DataLoader ragged(numbered(5),
                    {.batch_size = 2,
                     .num_workers = 2,
                     .collate_fn = [](std::vector<Example> s) {
                       std::vector<int64_t> targets;
                       for (auto &e : s)
                         targets.push_back(e.target.item<int64_t>());
                       return Example{tensor({static_cast<int64_t>(s.size())}),
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
  for (Example &batch : loader) {
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
// Subsets, concatenation and splits
//===----------------------------------------------------------------------===//

/// The sample numbers of every sample of a `numbered`-derived dataset.
std::vector<int64_t> allIds(Dataset<Example> &ds) {
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
  expectError([] { Subset(std::shared_ptr<Dataset<Example>>(), {}); },
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
  expectError([] { random_split(std::shared_ptr<Dataset<Example>>(), {1}); },
              {"null"});
}

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
// Transforms
//===----------------------------------------------------------------------===//

TEST(Transforms, NormalizePerChannelOrFeature) {
  // Channel 0 is 1..4 with mean 2 and std 2, channel 1 10..40 with 10, 10.
  Tensor image =
      tensor({1.f, 2.f, 3.f, 4.f, 10.f, 20.f, 30.f, 40.f}).reshape({2, 2, 2});
  image.data_ptr(); // realized, as a dataset's samples are
  transforms::Normalize normalize({2, 10}, {2, 10});
  Tensor out = normalize(image);
  EXPECT_EQ(out.sizes(), (Shape{2, 2, 2}));
  EXPECT_EQ(out.dtype(), kFloat32);
  EXPECT_FALSE(out.is_pending());
  EXPECT_EQ(out.to_vector<float>(),
            (std::vector<float>{-0.5, 0, 0.5, 1, 0, 1, 2, 3}));
  EXPECT_EQ(image.to_vector<float>()[0], 1); // the input is left alone

  // Per feature of a vector; float64 stays float64.
  Tensor features = tensor(std::vector<double>{1, 2, 3}, kFloat64);
  Tensor scaled = transforms::Normalize({1, 1, 1}, {1, 2, 4})(features);
  EXPECT_EQ(scaled.dtype(), kFloat64);
  EXPECT_EQ(scaled.to_vector<double>(), (std::vector<double>{0, 0.5, 0.5}));
  // One mean and std: every element, whatever the shape.
  EXPECT_EQ(transforms::Normalize({0.5}, {0.25})(tensor(1.5f)).item<float>(),
            4);
  EXPECT_EQ(transforms::Normalize({1}, {2})(zeros({0, 3})).sizes(),
            (Shape{0, 3}));

  expectError([] { transforms::Normalize({1, 2}, {1}); },
              {"Normalize", "2 means and 1 stds"});
  expectError([] { transforms::Normalize({}, {}); }, {"0 means"});
  expectError([] { transforms::Normalize({0, 0}, {1, 0}); },
              {"channel 1", "std 0", "non-zero"});
  expectError([&] { normalize(tensor({1, 2})); },
              {"Normalize", "[2] kiln.int64", "float32 or float64"});
  expectError([&] { normalize(zeros({3, 2})); },
              {"2 means", "[3, 2] kiln.float32", "2 channels"});
  expectError([&] { normalize(tensor(1.f)); }, {"[] kiln.float32"});
  expectError([&] { normalize(Tensor()); }, {"undefined"});
}

TEST(Transforms, LambdaAndCompose) {
  transforms::Lambda twice([](Tensor x) { return x * 2; });
  EXPECT_EQ(twice(tensor({1.f, 3.f})).to_vector<float>(),
            (std::vector<float>{2, 6}));
  // Normalize, then the lambda: (x - 1) / 2 * 10.
  transforms::Compose pipeline(
      {transforms::Normalize({1}, {2}),
       transforms::Lambda([](Tensor x) { return x * 10; })});
  EXPECT_EQ(pipeline(tensor({1.f, 2.f, 5.f})).to_vector<float>(),
            (std::vector<float>{0, 5, 20}));
  // Order matters: the lambda first gives (10x - 1) / 2.
  transforms::Compose reversed(
      {[](Tensor x) { return x * 10; }, transforms::Normalize({1}, {2})});
  EXPECT_EQ(reversed(tensor({1.f})).to_vector<float>(),
            (std::vector<float>{4.5}));
  EXPECT_EQ(transforms::Compose({})(tensor({7.f})).to_vector<float>(),
            (std::vector<float>{7}));

  expectError([] { transforms::Lambda(nullptr); }, {"Lambda", "empty"});
  expectError(
      [] { transforms::Compose({transforms::Normalize({0}, {1}), nullptr}); },
      {"Compose", "transform 1 is empty"});
}

TEST(MapDataset, TransformsSamplesAndTargets) {
  // numbered's sample 2 is {2, 2.5, -2} with target 20.
  MapDataset mapped = map(numbered(4), transforms::Normalize({0.5}, {0.5}));
  EXPECT_EQ(mapped.size(), 4u);
  Example e = mapped.get(2);
  EXPECT_EQ(e.data.to_vector<float>(), (std::vector<float>{3, 4, -5}));
  EXPECT_EQ(e.target.item<int64_t>(), 20);

  // Per feature, with a target transform, over a Subset, in workers.
  MapDataset both(
      std::make_shared<Subset>(numbered(6), std::vector<size_t>{5, 0, 3}),
      transforms::Normalize({1, 0.5, 0}, {1, 1, -1}),
      transforms::Lambda([](Tensor t) {
        Tensor out = empty({}, kInt64);
        out.data_ptr<int64_t>()[0] = t.item<int64_t>() + 1;
        return out;
      }));
  DataLoader loader(both, {.batch_size = 2, .num_workers = 2});
  std::vector<float> data;
  std::vector<int64_t> targets;
  for (Example &batch : loader) {
    for (float v : batch.data.to_vector<float>())
      data.push_back(v);
    for (int64_t t : batch.target.to_vector<int64_t>())
      targets.push_back(t);
  }
  EXPECT_EQ(data, (std::vector<float>{4, 5, 5, -1, 0, 0, 2, 3, 3}));
  EXPECT_EQ(targets, (std::vector<int64_t>{51, 1, 31}));

  // A failing transform names the sample, also through the DataLoader.
  MapDataset failing = map(numbered(3), transforms::Normalize({0, 0}, {1, 1}));
  expectError([&] { failing.get(1); },
              {"MapDataset", "transform of sample 1", "2 channels"});
  DataLoader failingLoader(failing, {.batch_size = 3});
  expectError([&] { failingLoader.begin(); },
              {"sample 0", "MapDataset", "Normalize"});
  MapDataset noTargets(std::make_shared<TensorDataset>(zeros({2, 2})), nullptr,
                       transforms::Lambda([](Tensor t) { return t; }));
  expectError([&] { noTargets.get(1); },
              {"sample 1", "no target", "target transform"});
  expectError(
      [] {
        MapDataset(std::shared_ptr<Dataset<Example>>(),
                   transforms::Normalize({0}, {1}));
      },
      {"null"});
  // No transform at all passes samples through.
  MapDataset identity(std::make_shared<TensorDataset>(numbered(2)), nullptr);
  EXPECT_EQ(identity.get(1).data.to_vector<float>(),
            (std::vector<float>{1, 1.5, -1}));
}

//===----------------------------------------------------------------------===//
// CSV files
//===----------------------------------------------------------------------===//

using CSVTest = TempDir;

void writeText(const fs::path &path, const std::string &text) {
  writeFile(path, Bytes(text.begin(), text.end()));
}

TEST_F(CSVTest, ReadsFeaturesAndTargets) {
  writeText(path("iris.csv"), "a,b,label,c\n"
                              "1,2.5,0,-3\n"
                              "\n"
                              " 4 , +5e-1 ,2, 6\r\n"
                              "7,8,1.0,9e1\n");
  CSVDataset ds(path("iris.csv"), 2);
  EXPECT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds.features().sizes(), (Shape{3, 3}));
  EXPECT_EQ(ds.features().dtype(), kFloat32);
  EXPECT_EQ(ds.features().to_vector<float>(),
            (std::vector<float>{1, 2.5, -3, 4, 0.5, 6, 7, 8, 90}));
  EXPECT_EQ(ds.targets().dtype(), kInt64);
  EXPECT_EQ(ds.targets().to_vector<int64_t>(), (std::vector<int64_t>{0, 2, 1}));
  EXPECT_EQ(ds.feature_names(), (std::vector<std::string>{"a", "b", "c"}));
  Example e = ds.get(1);
  EXPECT_EQ(e.data.to_vector<float>(), (std::vector<float>{4, 0.5, 6}));
  EXPECT_EQ(e.target.dim(), 0);
  EXPECT_EQ(e.target.item<int64_t>(), 2);
  expectError([&] { ds.get(3); }, {"CSVDataset", "index 3", "3 samples"});

  // By name, and from the end.
  EXPECT_EQ(CSVDataset(path("iris.csv"), "label").features().to_vector<float>(),
            ds.features().to_vector<float>());
  CSVDataset last(path("iris.csv"), -1, true, ',', kFloat64);
  EXPECT_EQ(last.targets().to_vector<double>(),
            (std::vector<double>{-3, 6, 90}));
  EXPECT_EQ(last.feature_names(),
            (std::vector<std::string>{"a", "b", "label"}));

  // No header, another delimiter, quoted cells, float32 targets.
  writeText(path("plain.tsv"), "0.25\t\"1\"\n-1.5\t2\n");
  CSVDataset plain(path("plain.tsv"), 0, false, '\t', kFloat32);
  EXPECT_EQ(plain.targets().to_vector<float>(),
            (std::vector<float>{0.25, -1.5}));
  EXPECT_EQ(plain.features().to_vector<float>(), (std::vector<float>{1, 2}));
  EXPECT_TRUE(plain.feature_names().empty());

  // A quoted header name may hold the delimiter; a header alone is no rows.
  writeText(path("header.csv"), "\"x, in m\",y\n");
  CSVDataset header(path("header.csv"), "y");
  EXPECT_EQ(header.size(), 0u);
  EXPECT_EQ(header.features().sizes(), (Shape{0, 1}));
  EXPECT_EQ(header.feature_names(), (std::vector<std::string>{"x, in m"}));

  DataLoader loader(ds, {.batch_size = 2});
  Example batch = *loader.begin();
  EXPECT_EQ(batch.data.sizes(), (Shape{2, 3}));
  EXPECT_EQ(batch.target.to_vector<int64_t>(), (std::vector<int64_t>{0, 2}));
}

TEST_F(CSVTest, BadFilesAreErrorsNamingFileAndLine) {
  expectError([&] { CSVDataset(path("missing.csv"), 0); },
              {"CSVDataset", "cannot open", "missing.csv",
               "No such file or directory"});
  writeText(path("empty.csv"), "\n\n");
  expectError([&] { CSVDataset(path("empty.csv"), 0); },
              {"empty.csv is empty", "header"});
  writeText(path("ragged.csv"), "a,b,c\n1,2,3\n\n4,5\n");
  expectError([&] { CSVDataset(path("ragged.csv"), 0); },
              {"ragged.csv:4:", "2 cells", "the header has 3"});
  writeText(path("long.csv"), "1,2\n3,4,5\n");
  expectError([&] { CSVDataset(path("long.csv"), 0, false); },
              {"long.csv:2:", "3 cells", "the first row has 2"});
  writeText(path("text.csv"), "a,b,y\n1,2,0\n3,abc,1\n");
  expectError([&] { CSVDataset(path("text.csv"), 2); },
              {"text.csv:3:", "column 1 ('b')", "'abc' is not a number"});
  writeText(path("blank.csv"), "1,,0\n");
  expectError([&] { CSVDataset(path("blank.csv"), 2, false); },
              {"blank.csv:1:", "column 1:", "'' is not a number"});
  writeText(path("real.csv"), "x,y\n1,0\n2,1.5\n");
  expectError([&] { CSVDataset(path("real.csv"), "y"); },
              {"real.csv:3:", "column 1 ('y')", "'1.5' is not a whole number",
               "target_dtype"});
  EXPECT_EQ(CSVDataset(path("real.csv"), "y", ',', kFloat32)
                .targets()
                .to_vector<float>(),
            (std::vector<float>{0, 1.5}));
  expectError([&] { CSVDataset(path("real.csv"), "z"); },
              {"real.csv:1:", "no column is named 'z'", "'x', 'y'"});
  expectError([&] { CSVDataset(path("real.csv"), 2); },
              {"real.csv:1:", "target_column 2", "2 columns"});
  expectError([&] { CSVDataset(path("real.csv"), -3); }, {"target_column -3"});
  writeText(path("quote.csv"), "a,b\n1,\"2\n");
  expectError([&] { CSVDataset(path("quote.csv"), 0); },
              {"quote.csv:2:", "unterminated quote"});
  expectError([&] { CSVDataset(path("real.csv"), 0, true, ',', kInt32); },
              {"target_dtype", "int32"});
  expectError([&] { CSVDataset(path("real.csv"), 0, true, '"'); },
              {"delimiter"});
}

TEST_F(CSVTest, FuzzedFilesLoadOrThrowKilnError) {
  // Mutations of a valid file (bytes changed to characters that matter to
  // the parser, truncations, insertions) either load or are a kiln::Error:
  // never a crash, a hang or another exception.
  const std::string valid = "a,b,\"c\",y\n1,2.5,-3,0\n4e2,5,6,1\n7,8,9,2\n";
  const std::string alphabet = ",\"\n\r0123456789.-+eE x\t;";
  std::mt19937 gen(20261123);
  for (int i = 0; i < 300; ++i) {
    std::string text = valid;
    for (int edits = 1 + gen() % 4; edits > 0 && !text.empty(); --edits) {
      size_t at = gen() % text.size();
      switch (gen() % 3) {
      case 0:
        text[at] = alphabet[gen() % alphabet.size()];
        break;
      case 1:
        text.resize(at);
        break;
      default:
        text.insert(at, 1, alphabet[gen() % alphabet.size()]);
      }
    }
    writeText(path("fuzz.csv"), text);
    for (bool header : {true, false}) {
      try {
        CSVDataset csv(path("fuzz.csv"), -1, header);
        if (csv.size() > 0)
          csv.get(0);
      } catch (const kiln::Error &) {
      } catch (const std::exception &e) {
        ADD_FAILURE() << "not a kiln::Error: " << e.what() << " for:\n" << text;
      }
    }
  }
}

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
  Example sample = train.get(3);
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
  Example a = plain.get(1), b = mapped.get(1);
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

//===----------------------------------------------------------------------===//
// Images and ImageFolder
//===----------------------------------------------------------------------===//

/// A w x h image of `channels` channels whose byte at (y, x, c) is
/// (17 * y + 5 * x + 60 * c + seed) % 256.
Bytes pattern(int w, int h, int channels, int seed) {
  Bytes out;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c)
        out.push_back(
            static_cast<unsigned char>((17 * y + 5 * x + 60 * c + seed) % 256));
  return out;
}

void writePng(const fs::path &file, int w, int h, int channels, int seed) {
  Bytes pixels = pattern(w, h, channels, seed);
  ASSERT_NE(
      stbi_write_png(file.c_str(), w, h, channels, pixels.data(), w * channels),
      0)
      << file;
}

void writeJpeg(const fs::path &file, int w, int h, int seed) {
  Bytes pixels = pattern(w, h, 3, seed);
  ASSERT_NE(stbi_write_jpg(file.c_str(), w, h, 3, pixels.data(), 95), 0)
      << file;
}

using ImageTest = TempDir;

TEST_F(ImageTest, LoadImageDecodesToRGB) {
  writePng(dir / "rgb.png", 5, 3, 3, 0);
  Tensor rgb = load_image(path("rgb.png"));
  EXPECT_EQ(rgb.sizes(), (Shape{3, 5, 3}));
  EXPECT_EQ(rgb.dtype(), kInt32);
  Bytes expected = pattern(5, 3, 3, 0);
  EXPECT_EQ(rgb.to_vector<int32_t>(),
            std::vector<int32_t>(expected.begin(), expected.end()));
  // Gray repeats in all three channels; alpha is dropped.
  writePng(dir / "gray.png", 4, 2, 1, 9);
  std::vector<int32_t> gray = load_image(path("gray.png")).to_vector<int32_t>();
  Bytes g = pattern(4, 2, 1, 9);
  ASSERT_EQ(gray.size(), 24u);
  for (size_t p = 0; p < 8; ++p)
    for (size_t c = 0; c < 3; ++c)
      EXPECT_EQ(gray[3 * p + c], g[p]);
  writePng(dir / "rgba.png", 2, 2, 4, 1);
  std::vector<int32_t> rgba = load_image(path("rgba.png")).to_vector<int32_t>();
  Bytes a = pattern(2, 2, 4, 1);
  for (size_t p = 0; p < 4; ++p)
    for (size_t c = 0; c < 3; ++c)
      EXPECT_EQ(rgba[3 * p + c], a[4 * p + c]);
  // JPEG is lossy: close, not exact.
  writeJpeg(dir / "photo.jpg", 8, 8, 40);
  std::vector<int32_t> jpeg =
      load_image(path("photo.jpg")).to_vector<int32_t>();
  Bytes j = pattern(8, 8, 3, 40);
  ASSERT_EQ(jpeg.size(), j.size());
  double error = 0;
  for (size_t i = 0; i < j.size(); ++i)
    error += std::abs(jpeg[i] - static_cast<int32_t>(j[i]));
  EXPECT_LT(error / static_cast<double>(j.size()), 20);

  expectError([&] { load_image(path("missing.png")); },
              {"load_image", "missing.png", "cannot open"});
  writeFile(dir / "bad.png", {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm'});
  expectError([&] { load_image(path("bad.png")); },
              {"load_image", "bad.png", "cannot decode"});
  writeFile(dir / "empty.png", {});
  expectError([&] { load_image(path("empty.png")); }, {"empty.png", "empty"});
  expectError([&] { load_image(dir.string()); }, {"is a directory"});
}

TEST_F(ImageTest, FuzzedImagesDecodeOrThrowKilnError) {
  std::mt19937 gen(20240603);
  writePng(dir / "valid.png", 6, 5, 3, 2);
  writeJpeg(dir / "valid.jpg", 8, 8, 3);
  const Bytes sources[] = {readFile(dir / "valid.png"),
                           readFile(dir / "valid.jpg")};
  int decoded = 0;
  for (int i = 0; i < 300; ++i) {
    Bytes bytes = sources[i % 2];
    if (gen() % 2) {
      bytes.resize(gen() % bytes.size());
    } else {
      for (int flips = 1 + gen() % 3; flips > 0; --flips)
        bytes[gen() % bytes.size()] ^=
            static_cast<unsigned char>(1u << (gen() % 8));
    }
    fs::path file = dir / (i % 2 ? "fuzz.jpg" : "fuzz.png");
    writeFile(file, bytes);
    try {
      Tensor image = load_image(file.string());
      ASSERT_EQ(image.dim(), 3);
      EXPECT_EQ(image.size(2), 3);
      for (int32_t v : image.to_vector<int32_t>())
        ASSERT_TRUE(v >= 0 && v <= 255);
      ++decoded;
    } catch (const kiln::Error &e) {
      EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos)
          << e.what();
    } catch (const std::exception &e) {
      ADD_FAILURE() << "not a kiln::Error: " << e.what();
    }
  }
  EXPECT_LT(decoded, 300);
}

TEST_F(ImageTest, ImageFolderClassesAreSortedSubdirectories) {
  fs::create_directories(dir / "dog");
  fs::create_directories(dir / "cat" / "more");
  fs::create_directories(dir / ".hidden");
  writePng(dir / "dog" / "b.png", 4, 4, 3, 1);
  writePng(dir / "dog" / "a.PNG", 4, 4, 1, 2);
  writeJpeg(dir / "cat" / "z.jpeg", 4, 4, 3);
  writePng(dir / "cat" / "more" / "y.png", 4, 4, 3, 4);
  writePng(dir / ".hidden" / "x.png", 4, 4, 3, 5);
  writeFile(dir / "dog" / "notes.txt", {'h', 'i'});
  writeFile(dir / "stray.png", {});

  ImageFolder folder(dir.string());
  EXPECT_EQ(folder.classes(), (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(folder.class_to_idx(),
            (std::map<std::string, int64_t>{{"cat", 0}, {"dog", 1}}));
  ASSERT_EQ(folder.size(), 4u);
  // Sorted by directory, then name, as torchvision's sorted os.walk: the
  // files of cat/ before those of cat/more/.
  std::vector<std::pair<std::string, int64_t>> expected = {
      {path("cat/z.jpeg"), 0},
      {path("cat/more/y.png"), 0},
      {path("dog/a.PNG"), 1},
      {path("dog/b.png"), 1}};
  EXPECT_EQ(folder.samples(), expected);
  EXPECT_EQ(folder.targets(), (std::vector<int64_t>{0, 0, 1, 1}));
  Example b = folder.get(3);
  EXPECT_EQ(b.data.sizes(), (Shape{4, 4, 3}));
  Bytes pixels = pattern(4, 4, 3, 1);
  EXPECT_EQ(b.data.to_vector<int32_t>(),
            std::vector<int32_t>(pixels.begin(), pixels.end()));
  EXPECT_EQ(b.target.item<int64_t>(), 1);
  EXPECT_EQ(b.target.dim(), 0);

  // With the transforms, through a loader: float CHW batches.
  ImageFolder tensors(dir.string(), transforms::ToTensor(),
                      [](Tensor t) { return t; });
  DataLoader loader(tensors, {.batch_size = 4, .num_workers = 2});
  int batches = 0;
  for (Example &batch : loader) {
    EXPECT_EQ(batch.data.sizes(), (Shape{4, 3, 4, 4}));
    EXPECT_EQ(batch.target.to_vector<int64_t>(),
              (std::vector<int64_t>{0, 0, 1, 1}));
    ++batches;
  }
  EXPECT_EQ(batches, 1);
}

TEST_F(ImageTest, ImageFolderErrorsNameTheDirectoryOrFile) {
  expectError([&] { ImageFolder(path("nowhere")); },
              {"ImageFolder", "nowhere", "does not exist"});
  expectError([&] { ImageFolder(dir.string()); },
              {"ImageFolder", "no class directory", dir.string()});
  fs::create_directories(dir / "ant");
  fs::create_directories(dir / "bee");
  writePng(dir / "ant" / "0.png", 3, 3, 3, 0);
  writeFile(dir / "bee" / "readme.md", {'x'});
  expectError([&] { ImageFolder(dir.string()); },
              {"ImageFolder", "no image for the classes bee", ".png"});
  // A file that does not decode fails in get(), named with its sample, also
  // from a worker.
  writeFile(dir / "bee" / "1.png", {1, 2, 3, 4, 5});
  writePng(dir / "bee" / "2.png", 3, 3, 3, 1);
  ImageFolder folder(dir.string());
  ASSERT_EQ(folder.size(), 3u);
  expectError([&] { folder.get(1); },
              {"ImageFolder", "sample 1", path("bee/1.png"), "cannot decode"});
  for (size_t workers : {0, 2}) {
    DataLoader loader(folder, {.batch_size = 1, .num_workers = workers});
    int seen = 0;
    expectError(
        [&] {
          for (Example &batch : loader) {
            EXPECT_EQ(batch.data.sizes(), (Shape{1, 3, 3, 3}));
            ++seen;
          }
        },
        {"DataLoader", "sample 1", path("bee/1.png"), "cannot decode"});
    EXPECT_EQ(seen, 1) << workers << " workers";
  }
}

//===----------------------------------------------------------------------===//
// Image transforms
//===----------------------------------------------------------------------===//

/// A float32 [C, H, W] tensor with the given values.
Tensor image(const Shape &shape, const std::vector<float> &values) {
  Tensor t = empty(shape);
  std::memcpy(t.data_ptr<float>(), values.data(), values.size() * 4);
  return t;
}

/// A [C, H, W] image whose value at (c, y, x) is 100c + 10y + x.
Tensor coordinates(int64_t c, int64_t h, int64_t w) {
  std::vector<float> v;
  for (int64_t k = 0; k < c; ++k)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        v.push_back(static_cast<float>(100 * k + 10 * y + x));
  return image({c, h, w}, v);
}

TEST(ImageTransforms, ToTensorMakesFloatCHW) {
  Tensor hwc =
      tensor(std::vector<int32_t>{0, 255, 51, 102, 3, 4, 5, 6, 7, 8, 9, 10})
          .reshape({2, 2, 3});
  Tensor chw = transforms::ToTensor()(hwc);
  EXPECT_EQ(chw.sizes(), (Shape{3, 2, 2}));
  EXPECT_EQ(chw.dtype(), kFloat32);
  std::vector<float> expected;
  for (int v : {0, 102, 5, 8, 255, 3, 6, 9, 51, 4, 7, 10})
    expected.push_back(static_cast<float>(v) / 255.0f);
  EXPECT_EQ(chw.to_vector<float>(), expected);
  Tensor gray = tensor(std::vector<int32_t>{0, 255}).reshape({1, 2});
  EXPECT_EQ(transforms::ToTensor()(gray).sizes(), (Shape{1, 1, 2}));
  expectError([] { transforms::ToTensor()(empty({2, 2, 3})); },
              {"ToTensor", "float32", "int32 [H, W, C]"});
  expectError(
      [] {
        transforms::ToTensor()(
            tensor(std::vector<int32_t>{1, 256}).reshape({1, 2}));
      },
      {"ToTensor", "value 256", "0..255"});
}

TEST(ImageTransforms, RandomCropPadsAndCoversEveryOffset) {
  Tensor img = coordinates(2, 4, 5);
  // As large as the image: no draw, the image itself.
  EXPECT_EQ(transforms::RandomCrop({4, 5})(img).to_vector<float>(),
            img.to_vector<float>());
  // 3x3 crops of the image padded by 1 with fill -1: every one of the
  // 4 x 5 offsets turns up, and each crop is that window.
  transforms::RandomCrop crop(3, 1, false, -1);
  std::set<std::pair<int64_t, int64_t>> offsets;
  for (uint64_t index = 0; index < 400; ++index) {
    SampleSeed seed(1, 0, index);
    Tensor out = crop(img);
    ASSERT_EQ(out.sizes(), (Shape{2, 3, 3}));
    std::vector<float> v = out.to_vector<float>();
    // Find the offset from the channel-1 values, which are never -1 inside.
    int64_t top = -1, left = -1;
    for (int64_t i = 0; i < 3 && top < 0; ++i)
      for (int64_t j = 0; j < 3 && top < 0; ++j)
        if (v[9 + 3 * i + j] >= 0) {
          int64_t value = static_cast<int64_t>(v[9 + 3 * i + j]) - 100;
          top = value / 10 - i + 1;
          left = value % 10 - j + 1;
        }
    for (int64_t k = 0; k < 2; ++k)
      for (int64_t i = 0; i < 3; ++i)
        for (int64_t j = 0; j < 3; ++j) {
          int64_t y = top + i - 1, x = left + j - 1;
          float want = y < 0 || y >= 4 || x < 0 || x >= 5
                           ? -1.0f
                           : static_cast<float>(100 * k + 10 * y + x);
          ASSERT_EQ(v[static_cast<size_t>(9 * k + 3 * i + j)], want);
        }
    offsets.emplace(top, left);
  }
  EXPECT_EQ(offsets.size(), 4u * 5u);

  // Padding modes on one row [0, 1, 2], padded by 2 and cropped whole.
  Tensor row = image({1, 1, 3}, {0, 1, 2});
  auto padded = [&](transforms::PaddingMode mode) {
    return transforms::RandomCrop({5, 7}, 2, false, 9, mode)(row)
        .to_vector<float>();
  };
  auto middle = [](std::vector<float> v) {
    return std::vector<float>(v.begin() + 14, v.begin() + 21);
  };
  using transforms::PaddingMode;
  EXPECT_EQ(middle(padded(PaddingMode::Constant)),
            (std::vector<float>{9, 9, 0, 1, 2, 9, 9}));
  EXPECT_EQ(middle(padded(PaddingMode::Edge)),
            (std::vector<float>{0, 0, 0, 1, 2, 2, 2}));
  EXPECT_EQ(middle(padded(PaddingMode::Reflect)),
            (std::vector<float>{2, 1, 0, 1, 2, 1, 0}));
  EXPECT_EQ(middle(padded(PaddingMode::Symmetric)),
            (std::vector<float>{1, 0, 0, 1, 2, 2, 1}));
  // pad_if_needed pads a small image up to the crop; without it, an error.
  EXPECT_EQ(transforms::RandomCrop({1, 6}, 0, true)(row).sizes(),
            (Shape{1, 1, 6}));
  expectError(
      [&] { transforms::RandomCrop({1, 6})(row); },
      {"RandomCrop", "1x6", "larger than the image 1x3", "pad_if_needed"});
  expectError([] { transforms::RandomCrop(0); }, {"RandomCrop", "positive"});
  expectError([] { transforms::RandomCrop(2, -1); }, {"padding"});
  expectError([] { transforms::RandomCrop(2)(empty({4})); },
              {"RandomCrop", "height and width"});
}

TEST(ImageTransforms, FlipCenterCropAndResize) {
  Tensor img = coordinates(1, 2, 3);
  EXPECT_EQ(transforms::RandomHorizontalFlip(1)(img).to_vector<float>(),
            (std::vector<float>{2, 1, 0, 12, 11, 10}));
  EXPECT_EQ(transforms::RandomHorizontalFlip(0)(img).to_vector<float>(),
            img.to_vector<float>());
  // p = 0.5 flips about half the samples, the same ones for the same seeds.
  transforms::RandomHorizontalFlip flip;
  int flipped = 0;
  for (uint64_t index = 0; index < 1000; ++index) {
    SampleSeed seed(3, 1, index);
    bool now = flip(img).to_vector<float>()[0] == 2;
    flipped += now;
    SampleSeed again(3, 1, index);
    EXPECT_EQ(flip(img).to_vector<float>()[0] == 2, now);
  }
  EXPECT_GT(flipped, 430);
  EXPECT_LT(flipped, 570);
  expectError([] { transforms::RandomHorizontalFlip(1.5); }, {"p must lie"});

  // Centre crops: 4x4 -> 2x2 is the middle; 3x3 -> 2x2 starts at
  // round(0.5) = 0, as torchvision's int(round(0.5)); larger pads with 0.
  Tensor square = coordinates(1, 4, 4);
  EXPECT_EQ(transforms::CenterCrop(2)(square).to_vector<float>(),
            (std::vector<float>{11, 12, 21, 22}));
  EXPECT_EQ(transforms::CenterCrop(2)(coordinates(1, 3, 3)).to_vector<float>(),
            (std::vector<float>{0, 1, 10, 11}));
  EXPECT_EQ(
      transforms::CenterCrop({2, 4})(coordinates(1, 2, 2)).to_vector<float>(),
      (std::vector<float>{0, 0, 1, 0, 0, 10, 11, 0}));
  // An odd amount of padding: the smaller half before, as torchvision.
  EXPECT_EQ(transforms::CenterCrop({1, 5})(image({1, 1, 2}, {5, 6}))
                .to_vector<float>(),
            (std::vector<float>{0, 5, 6, 0, 0}));

  // Bilinear, pixel centres to pixel centres (PyTorch's interpolate with
  // align_corners=False).
  Tensor small = image({1, 2, 2}, {0, 1, 2, 3});
  EXPECT_EQ(transforms::Resize({4, 4})(small).to_vector<float>(),
            (std::vector<float>{0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5,
                                1.75, 2.25, 2.5, 2, 2.25, 2.75, 3}));
  EXPECT_EQ(
      transforms::Resize({1, 2})(image({1, 2, 4}, {0, 1, 2, 3, 4, 5, 6, 7}))
          .to_vector<float>(),
      (std::vector<float>{2.5, 4.5}));
  // One size: the smaller edge, the other scaled and truncated.
  EXPECT_EQ(transforms::Resize(2)(coordinates(3, 4, 9)).sizes(),
            (Shape{3, 2, 4}));
  EXPECT_EQ(transforms::Resize(3)(coordinates(1, 7, 2)).sizes(),
            (Shape{1, 10, 3}));
  // int32 images stay int32, rounded.
  Tensor ints = tensor(std::vector<int32_t>{0, 3}).reshape({1, 2});
  EXPECT_EQ(transforms::Resize({1, 4})(ints).to_vector<int32_t>(),
            (std::vector<int32_t>{0, 1, 2, 3}));
  expectError([] { transforms::Resize(0); }, {"Resize", "positive"});
}

TEST(ImageTransforms, SampleSeedsNestAndDefaultPerThread) {
  // Outside any SampleSeed, a new thread starts from (0, 0, 0).
  uint64_t fresh = 0, seeded = 0;
  std::thread([&] { fresh = sample_generator()(); }).join();
  {
    SampleSeed zero(0, 0, 0);
    seeded = sample_generator()();
  }
  EXPECT_EQ(fresh, seeded);
  uint64_t a, b, inner;
  {
    SampleSeed s(1, 2, 3);
    a = sample_generator()();
    {
      SampleSeed t(1, 2, 4);
      inner = sample_generator()();
    }
    b = sample_generator()();
  }
  SampleSeed s(1, 2, 3);
  EXPECT_EQ(sample_generator()(), a);
  EXPECT_EQ(sample_generator()(), b);
  EXPECT_NE(a, inner);
  SampleSeed otherEpoch(1, 3, 3), otherSeed(2, 2, 3);
  EXPECT_NE(sample_generator()(), a);
}

/// Images whose pixels encode their index, as int32 [8, 8, 3].
class IndexedImages : public Dataset<Example> {
public:
  explicit IndexedImages(size_t n) : n_(n) {}
  Example get(size_t index) override {
    std::vector<int32_t> v(8 * 8 * 3);
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = static_cast<int32_t>((index * 13 + i) % 256);
    return {tensor(v).reshape({8, 8, 3}),
            tensor(std::vector<int64_t>{static_cast<int64_t>(index)})};
  }
  size_t size() const override { return n_; }

private:
  size_t n_;
};

TEST(ImageTransforms, RandomBatchesDoNotDependOnWorkers) {
  auto pipeline = transforms::Compose(
      {transforms::ToTensor(), transforms::RandomCrop(6, 1),
       transforms::RandomHorizontalFlip(),
       transforms::Normalize({0.5, 0.5, 0.5}, {0.25, 0.25, 0.25})});
  auto run = [&](size_t workers, uint64_t seed) {
    DataLoader loader(map(IndexedImages(30), pipeline), {.batch_size = 4,
                                                         .shuffle = true,
                                                         .num_workers = workers,
                                                         .seed = seed});
    std::vector<std::vector<float>> out;
    for (int epoch = 0; epoch < 2; ++epoch)
      for (Example &batch : loader) {
        EXPECT_EQ(batch.data.size(1), 3);
        EXPECT_EQ(batch.data.size(2), 6);
        out.push_back(batch.data.to_vector<float>());
      }
    return out;
  };
  auto reference = run(0, 11);
  ASSERT_EQ(reference.size(), 16u);
  for (size_t workers : {1, 2, 4})
    EXPECT_EQ(run(workers, 11), reference) << workers << " workers";
  EXPECT_NE(run(2, 12), reference);
  // Sample `i` is transformed with SampleSeed(seed, epoch, i): the first
  // batch of epoch 0 can be rebuilt by hand.
  auto order = RandomSampler(30, 11).indices(0);
  MapDataset mapped = map(IndexedImages(30), pipeline);
  std::vector<float> first;
  for (size_t k = 0; k < 4; ++k) {
    SampleSeed seed(11, 0, order[k]);
    std::vector<float> v = mapped.get(order[k]).data.to_vector<float>();
    first.insert(first.end(), v.begin(), v.end());
  }
  EXPECT_EQ(first, reference[0]);
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

//===----------------------------------------------------------------------===//
// DataLoader options
//===----------------------------------------------------------------------===//

/// Counts the threads that have loaded a sample: each thread's first call
/// constructs its thread_local marker.
std::atomic<int> loadingThreads = 0;
struct ThreadMarker {
  ThreadMarker() { ++loadingThreads; }
};

class ThreadCountingDataset : public Dataset<Example> {
public:
  Example get(size_t index) override {
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
    for (Example &batch : loader) {
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
  for (Example &batch : loader)
    out.push_back(batch.target.to_vector<int64_t>());
  return out;
}

using StreamTest = TempDir;

TEST_F(StreamTest, ReadsShardsInOrderForAnyNumberOfWorkers) {
  auto shards = writeShards(dir, {3, 1, 4, 2});
  StreamingDataset ds(shards, byte_record_reader({1, 2}));
  EXPECT_EQ(ds.num_parts(), 4u);
  auto stream = ds.open(2, 0);
  std::optional<Example> first = stream->next();
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
    std::optional<Example> next() override {
      if (at == owner.per_)
        return std::nullopt;
      if (part == owner.throwShard_ && at == owner.throwAt_)
        throw std::runtime_error("shard is corrupt");
      ++owner.made;
      // Random draws see the loader's per-sample seed.
      double noise = static_cast<double>(sample_generator()() % 1000);
      auto id = static_cast<int64_t>(part * owner.per_ + at++);
      return Example{tensor(std::vector<double>{noise}),
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
    for (Example &batch : loader)
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
          for (Example &batch : loader)
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
          for (Example &batch : loader) {
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
      for (Example &batch : loader)
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
        for (Example &batch : loader) {
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

//===----------------------------------------------------------------------===//
// ProgressBar
//===----------------------------------------------------------------------===//

TEST(ProgressBar, RendersEpochStepsRateEtaAndMetric) {
  std::ostringstream out;
  ProgressBar bar(10, 2, &out, ProgressBar::Mode::On);
  EXPECT_EQ(bar.render(0), "epoch 2  [>                   ]  0/10  0.0 it/s  "
                           "ETA --:--:--");
  bar.update(3, 0.5);
  EXPECT_EQ(bar.render(1.5), "epoch 2  [======>             ]  3/10  2.0 "
                             "it/s  ETA 00:00:04  loss 0.5000");
  bar.set_metric_name("acc");
  bar.update(7);
  EXPECT_EQ(bar.step(), 10u);
  EXPECT_EQ(bar.render(4000),
            "epoch 2  [====================]  10/10  0.0 it/s  ETA 00:00:00  "
            "acc 0.5000");
  ProgressBar slow(100000, 0, &out, ProgressBar::Mode::On);
  slow.update(1);
  EXPECT_NE(slow.render(1).find("ETA 27:46:39"), std::string::npos);
  // Unknown length (a stream): steps and rate only.
  ProgressBar open(0, 1, &out, ProgressBar::Mode::Off);
  open.update(5);
  EXPECT_EQ(open.render(2), "epoch 1  5  2.5 it/s");
}

TEST(ProgressBar, DrawsInPlaceOnlyWhenOn) {
  std::ostringstream out;
  {
    ProgressBar bar(3, 0, &out, ProgressBar::Mode::On, 0);
    EXPECT_TRUE(bar.enabled());
    for (int i = 0; i < 3; ++i)
      bar.update(1, 1.0 / (i + 1));
    bar.close();
    bar.update(1); // after close: nothing
  }
  std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 4); // 3 + close
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text.find("\repoch 0  [======>             ]  1/3"),
            std::string::npos);
  EXPECT_NE(text.find("3/3"), std::string::npos);
  EXPECT_NE(text.find("loss 0.3333"), std::string::npos);
  // Redraws are rate limited.
  std::ostringstream limited;
  {
    ProgressBar bar(1000, 0, &limited, ProgressBar::Mode::On, 3600);
    for (int i = 0; i < 999; ++i)
      bar.update();
  } // the destructor closes
  text = limited.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 2);
  // Auto draws only to a terminal std::cout; Off never.
  std::ostringstream quiet;
  ProgressBar autoBar(5, 0, &quiet);
  ProgressBar off(5, 0, &quiet, ProgressBar::Mode::Off);
  autoBar.update(5);
  off.update(5);
  autoBar.close();
  off.close();
  EXPECT_EQ(quiet.str(), "");
  EXPECT_FALSE(autoBar.enabled());
  ProgressBar console(5);
  EXPECT_EQ(console.enabled(), ::isatty(STDOUT_FILENO) != 0);
}

//===----------------------------------------------------------------------===//
// Hostile files: each is a kiln::Error naming it, before any large allocation
//===----------------------------------------------------------------------===//

using HostileTest = TempDir;

void appendBigEndian32(Bytes &out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<unsigned char>(value >> shift));
}

/// A PNG chunk with its length and CRC.
void appendPngChunk(Bytes &out, const std::string &type, const Bytes &data) {
  appendBigEndian32(out, static_cast<uint32_t>(data.size()));
  Bytes body(type.begin(), type.end());
  body.insert(body.end(), data.begin(), data.end());
  out.insert(out.end(), body.begin(), body.end());
  appendBigEndian32(out, static_cast<uint32_t>(crc32(
                             0, body.data(), static_cast<uInt>(body.size()))));
}

TEST_F(HostileTest, PngChunksAreCheckedBeforeDecoding) {
  writePng(dir / "ok.png", 8, 8, 3, 5);
  Bytes valid = readFile(dir / "ok.png");
  EXPECT_EQ(load_image(path("ok.png")).sizes(), (Shape{8, 8, 3}));
  // The last byte of the image data (the zlib stream's Adler-32, which
  // stb_image does not check) changed: the chunk's CRC catches it.
  size_t idat = 8;
  while (std::string(valid.begin() + idat + 4, valid.begin() + idat + 8) !=
         "IDAT")
    idat += 12 + ((size_t(valid[idat + 2]) << 8) | valid[idat + 3]);
  size_t length = (size_t(valid[idat + 2]) << 8) | valid[idat + 3];
  Bytes corrupt = valid;
  corrupt[idat + 8 + length - 1] ^= 0x40;
  writeFile(dir / "corrupt.png", corrupt);
  expectError([&] { load_image(path("corrupt.png")); },
              {"load_image", "corrupt.png", "chunk 'IDAT'", "CRC"});

  // A 270-byte file that claims 60000 x 60000 RGBA pixels (14 GB): refused
  // from the chunk sizes, before the decoder allocates.
  Bytes bomb = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes header;
  appendBigEndian32(header, 60000);
  appendBigEndian32(header, 60000);
  header.insert(header.end(), {8, 6, 0, 0, 0});
  appendPngChunk(bomb, "IHDR", header);
  Bytes raw(512, 0);
  uLongf size = compressBound(raw.size());
  Bytes compressed(size);
  ASSERT_EQ(compress(compressed.data(), &size, raw.data(), raw.size()), Z_OK);
  compressed.resize(size);
  appendPngChunk(bomb, "IDAT", compressed);
  appendPngChunk(bomb, "IEND", {});
  writeFile(dir / "bomb.png", bomb);
  expectError([&] { load_image(path("bomb.png")); },
              {"bomb.png", "60000x60000 pixels cannot be in"});
}

TEST_F(HostileTest, ImagesClaimingMorePixelsThanTheirBytesAreRefused) {
  // A 54-byte BMP header claiming 100000 x 100000 pixels.
  Bytes bmp = {'B', 'M'};
  auto le32 = [&](uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8)
      bmp.push_back(static_cast<unsigned char>(v >> shift));
  };
  le32(54);
  le32(0);
  le32(54);
  le32(40);
  le32(100000);
  le32(100000);
  bmp.insert(bmp.end(), {1, 0, 24, 0});
  for (int i = 0; i < 6; ++i)
    le32(0);
  writeFile(dir / "huge.bmp", bmp);
  expectError([&] { load_image(path("huge.bmp")); },
              {"huge.bmp", "100000x100000 pixels"});
  // Formats other than the documented ones are not handed to the decoder.
  Bytes pixels = pattern(2, 2, 3, 0);
  ASSERT_NE(stbi_write_tga(path("x.tga").c_str(), 2, 2, 3, pixels.data()), 0);
  expectError([&] { load_image(path("x.tga")); },
              {"x.tga", "not a format Kiln reads"});
}

TEST_F(HostileTest, ImageFolderListsASymlinkLoopOnce) {
  fs::create_directories(dir / "cat" / "sub");
  writePng(dir / "cat" / "a.png", 2, 2, 3, 0);
  writePng(dir / "cat" / "sub" / "b.png", 2, 2, 3, 1);
  fs::create_directory_symlink(dir / "cat", dir / "cat" / "sub" / "up");
  fs::create_directory_symlink(dir / "cat" / "sub", dir / "cat" / "again");
  ImageFolder folder(dir.string());
  std::vector<std::string> files;
  for (const auto &[file, label] : folder.samples())
    files.push_back(fs::path(file).filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"a.png", "b.png"}));
}

TEST_F(HostileTest, CsvByteOrderMarkIsNotPartOfTheFirstName) {
  writeText(path("bom.csv"), "\xEF\xBB\xBF"
                             "x,y,label\n1,2,0\n");
  CSVDataset byIndex(path("bom.csv"), 2);
  EXPECT_EQ(byIndex.feature_names(), (std::vector<std::string>{"x", "y"}));
  CSVDataset byName(path("bom.csv"), "x");
  EXPECT_EQ(byName.feature_names(), (std::vector<std::string>{"y", "label"}));
  writeText(path("bom-data.csv"), "\xEF\xBB\xBF"
                                  "1,2\n3,4\n");
  CSVDataset data(path("bom-data.csv"), 1, false);
  EXPECT_EQ(data.features().to_vector<float>(), (std::vector<float>{1, 3}));
}

TEST_F(HostileTest, GzipIdxClaimingMoreThanDeflateCanHoldIsRefused) {
  // 1 GiB claimed by a gzip file of a few dozen bytes: refused from the
  // sizes, not after decompressing what there is.
  writeGz(path("claims.gz"), idx(0x08, {1024, 1024, 1024}, Bytes(64, 1)));
  expectError(
      [&] { read_idx(path("claims.gz")); },
      {"claims.gz", "need 1073741824 bytes", "more than a gzip file of"});
}

TEST_F(HostileTest, ByteRecordSizesAreCheckedBeforeAllocating) {
  // The product of the sizes wraps to 0 in 64 bits.
  expectError([&] { byte_record_reader({int64_t(1) << 32, int64_t(1) << 32}); },
              {"byte_record_reader", "more elements than can be allocated"});
  // A record of 2^40 bytes against a 3-byte file: refused from the size.
  writeFile(dir / "small.bin", {1, 2, 3});
  ShardReader reader = byte_record_reader({int64_t(1) << 20, int64_t(1) << 20});
  expectError([&] { reader(path("small.bin")); },
              {"byte_record_reader", "small.bin", "not a multiple"});
}

} // namespace
