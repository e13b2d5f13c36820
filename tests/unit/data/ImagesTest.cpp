//===- ImagesTest.cpp - Image files and ImageFolder -----------------------===//
//
// load_image on each format, and ImageFolder.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <filesystem>
#include <map>
#include <random>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// Images and ImageFolder
//===----------------------------------------------------------------------===//

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
  Example<> b = folder.get(3);
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
  for (Example<> &batch : loader) {
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
          for (Example<> &batch : loader) {
            EXPECT_EQ(batch.data.sizes(), (Shape{1, 3, 3, 3}));
            ++seen;
          }
        },
        {"DataLoader", "sample 1", path("bee/1.png"), "cannot decode"});
    EXPECT_EQ(seen, 1) << workers << " workers";
  }
}

} // namespace
