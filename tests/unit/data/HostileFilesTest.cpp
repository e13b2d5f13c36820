//===- HostileFilesTest.cpp - Hostile files for every reader --------------===//
//
// Each malformed file is a kiln::Error naming it, before any large
// allocation.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

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
