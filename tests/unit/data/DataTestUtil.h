//===- DataTestUtil.h - Helpers shared by the data tests --------*- C++ -*-===//
//
// Files written for the readers to read, the numbered dataset whose samples
// are known, and a fresh directory per test.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_DATA_DATATESTUTIL_H
#define KILN_TESTS_UNIT_DATA_DATATESTUTIL_H

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace kiln::data::testing {

namespace fs = std::filesystem;

using Bytes = std::vector<unsigned char>;

/// An IDX file: magic (0, 0, type, rank), big-endian dimensions, payload.
inline Bytes idx(unsigned char type, const std::vector<uint32_t> &dims,
                 const Bytes &payload) {
  Bytes out = {0, 0, type, static_cast<unsigned char>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<unsigned char>(d >> shift));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

inline void writeFile(const fs::path &path, const Bytes &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

inline Bytes readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

/// Compresses with zlib's gz* API, as gzip(1) would.
inline void writeGz(const fs::path &path, const Bytes &bytes) {
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

/// data[i] = {i, i + 0.5, -i}, targets[i] = 10 * i: every sample is known.
inline TensorDataset numbered(int64_t n) {
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
inline std::vector<int64_t> ids(const Example<> &batch) {
  std::vector<int64_t> out;
  for (int64_t t : batch.target.to_vector<int64_t>())
    out.push_back(t / 10);
  return out;
}

/// Every batch of one epoch, as sample numbers.
inline std::vector<std::vector<int64_t>> epochIds(DataLoader &loader) {
  std::vector<std::vector<int64_t>> out;
  for (Example<> &batch : loader)
    out.push_back(ids(batch));
  return out;
}

/// Writes `text` to `path` as it is.
inline void writeText(const fs::path &path, const std::string &text) {
  writeFile(path, Bytes(text.begin(), text.end()));
}

/// A w x h image of `channels` channels whose byte at (y, x, c) is
/// (17 * y + 5 * x + 60 * c + seed) % 256.
inline Bytes pattern(int w, int h, int channels, int seed) {
  Bytes out;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c)
        out.push_back(
            static_cast<unsigned char>((17 * y + 5 * x + 60 * c + seed) % 256));
  return out;
}

inline void writePng(const fs::path &file, int w, int h, int channels,
                     int seed) {
  Bytes pixels = pattern(w, h, channels, seed);
  ASSERT_NE(
      stbi_write_png(file.c_str(), w, h, channels, pixels.data(), w * channels),
      0)
      << file;
}

} // namespace kiln::data::testing

#endif // KILN_TESTS_UNIT_DATA_DATATESTUTIL_H
