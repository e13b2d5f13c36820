//===- Images.cpp - Image files and ImageFolder ---------------------------===//
//
// load_image, which checks a file before stb_image decodes it, and the
// ImageFolder dataset.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/Images.h"
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/runtime/Error.h"

#include <stb_image.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>

namespace kiln::data {

namespace {

/// Class names are directories; hidden ones (".git") are not classes.
bool hiddenName(const std::filesystem::path &p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

std::string lowerExtension(const std::filesystem::path &p) {
  std::string ext = p.extension().string();
  for (char &c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

/// The most pixels load_image decodes: twice the decompression-bomb
/// threshold of PIL (which torchvision's loader uses), where PIL refuses too.
constexpr uint64_t kMaxImagePixels = 2 * 89478485;

uint32_t loadBigEndian32(const unsigned char *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         p[3];
}

/// Checks a PNG before stb_image decodes it, which checks neither: every
/// chunk's CRC (so a corrupted IDAT is an error, not a wrong image), and that
/// the compressed data can hold the pixels the header claims (deflate
/// expands at most 1032-fold), so a small file cannot claim gigabytes.
void checkPng(const std::vector<unsigned char> &bytes,
              const std::string &prefix) {
  uint64_t width = 0, height = 0, bitsPerPixel = 0, compressed = 0;
  size_t at = 8;
  while (true) {
    if (bytes.size() - at < 12)
      throw Error(prefix + "truncated PNG: the chunk at byte " +
                  std::to_string(at) + " is cut off");
    const unsigned char *chunk = bytes.data() + at;
    uint32_t length = loadBigEndian32(chunk);
    std::string type(reinterpret_cast<const char *>(chunk + 4), 4);
    if (length > bytes.size() - at - 12)
      throw Error(prefix + "truncated PNG: chunk '" + type + "' at byte " +
                  std::to_string(at) + " claims " + std::to_string(length) +
                  " bytes, more than the file holds");
    uLong crc = crc32(0L, chunk + 4, static_cast<uInt>(length + 4));
    if (crc != loadBigEndian32(chunk + 8 + length))
      throw Error(prefix + "corrupt PNG: chunk '" + type + "' at byte " +
                  std::to_string(at) + " fails its CRC check");
    if (type == "IHDR" && length >= 13) {
      width = loadBigEndian32(chunk + 8);
      height = loadBigEndian32(chunk + 12);
      int depth = chunk[16], color = chunk[17];
      int channels = color == 2 ? 3 : color == 4 ? 2 : color == 6 ? 4 : 1;
      bitsPerPixel = static_cast<uint64_t>(channels * depth);
    } else if (type == "IDAT") {
      compressed += length;
    } else if (type == "IEND") {
      break;
    }
    at += 12 + size_t(length);
  }
  // width and height are below 2^32, bitsPerPixel below 2^12: no overflow.
  uint64_t pixelBytes = width * bitsPerPixel / 8 * height;
  if (pixelBytes / 1032 > compressed)
    throw Error(prefix + "corrupt PNG: " + std::to_string(width) + "x" +
                std::to_string(height) + " pixels cannot be in " +
                std::to_string(compressed) + " bytes of compressed data");
}

} // namespace

Tensor load_image(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error("load_image: " + path + " is a directory, not an image");
  FilePtr file = openFile("load_image", path);
  std::vector<unsigned char> bytes;
  unsigned char buffer[1 << 16];
  while (size_t got = std::fread(buffer, 1, sizeof buffer, file.get()))
    bytes.insert(bytes.end(), buffer, buffer + got);
  if (std::ferror(file.get()))
    throw Error("load_image: " + path +
                ": read error: " + std::strerror(errno));
  if (bytes.empty())
    throw Error("load_image: " + path + " is empty");
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    throw Error("load_image: " + path + " is over 2 GiB");
  const std::string prefix = "load_image: " + path + ": ";
  const std::string supported =
      "PNG, JPEG, BMP and PPM/PGM files are supported";
  auto startsWith = [&](std::string_view magic) {
    return bytes.size() >= magic.size() &&
           std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
  };
  // stb_image would take other formats too; only these are tested and
  // documented, and each is checked before anything is allocated.
  bool png = startsWith("\x89PNG\r\n\x1a\n");
  bool jpeg = startsWith("\xff\xd8");
  bool bmp = startsWith("BM");
  bool pnm = startsWith("P5") || startsWith("P6") || startsWith("P2") ||
             startsWith("P3");
  if (!png && !jpeg && !bmp && !pnm)
    throw Error(prefix + "cannot decode the image: not a format Kiln reads (" +
                supported + ")");
  if (png)
    checkPng(bytes, prefix);
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()),
                             &width, &height, &channels)) {
    const char *reason = stbi_failure_reason();
    throw Error(prefix + "cannot decode the image (" +
                (reason ? reason : "unknown reason") + "); " + supported);
  }
  uint64_t claimed = uint64_t(width) * uint64_t(height);
  if (claimed > kMaxImagePixels)
    throw Error(prefix + "the image claims " + std::to_string(width) + "x" +
                std::to_string(height) + " pixels, over the limit of " +
                std::to_string(kMaxImagePixels) + " pixels");
  // Uncompressed (or run-length encoded) formats hold at least one byte
  // per 255 pixels: a header claiming more is corrupt.
  if ((bmp || pnm) && claimed / 255 > bytes.size())
    throw Error(prefix + "the image claims " + std::to_string(width) + "x" +
                std::to_string(height) + " pixels, more than its " +
                std::to_string(bytes.size()) + " bytes can hold");
  // stb_image decodes to 8-bit RGB whatever the file holds (gray, palette,
  // alpha, 16-bit), as torchvision's default_loader converts to "RGB". Its
  // failure reason is thread-local, so workers may decode concurrently.
  std::unique_ptr<unsigned char, void (*)(void *)> pixels(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()),
                            &width, &height, &channels, 3),
      stbi_image_free);
  if (!pixels) {
    const char *reason = stbi_failure_reason();
    throw Error(prefix + "cannot decode the image (" +
                (reason ? reason : "unknown reason") + "); " + supported);
  }
  Tensor out = uninitialized({height, width, 3}, kInt32);
  int32_t *dst = out.data_ptr<int32_t>();
  size_t n = size_t(width) * size_t(height) * 3;
  for (size_t i = 0; i < n; ++i)
    dst[i] = pixels.get()[i];
  return out;
}

const std::vector<std::string> &ImageFolder::extensions() {
  static const std::vector<std::string> exts = {".png", ".jpg", ".jpeg",
                                                ".bmp", ".ppm", ".pgm"};
  return exts;
}

ImageFolder::ImageFolder(const std::string &root,
                         transforms::TensorFunction transform,
                         transforms::TensorFunction target_transform)
    : transform_(std::move(transform)),
      targetTransform_(std::move(target_transform)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw Error("ImageFolder: the root directory " + root + " does not exist");
  for (const fs::directory_entry &entry : fs::directory_iterator(root, ec))
    if (entry.is_directory(ec) && !hiddenName(entry.path()))
      classes_.push_back(entry.path().filename().string());
  if (ec)
    throw Error("ImageFolder: cannot list " + root + ": " + ec.message());
  std::sort(classes_.begin(), classes_.end());
  if (classes_.empty())
    throw Error("ImageFolder: found no class directory in " + root +
                " (ImageFolder expects root/<class>/<image>)");
  const std::vector<std::string> &exts = extensions();
  std::vector<std::string> empty;
  for (size_t c = 0; c < classes_.size(); ++c) {
    fs::path dir = fs::path(root) / classes_[c];
    // Sorted by (directory, file name), as torchvision's sorted os.walk.
    std::vector<std::pair<std::string, std::string>> files;
    // Symlinked folders are followed, as torchvision does, but each folder
    // is listed once: a link to a folder above it would loop.
    std::set<fs::path> visited = {fs::canonical(dir, ec)};
    fs::recursive_directory_iterator it(
        dir, fs::directory_options::follow_directory_symlink, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path &p = it->path();
      if (it->is_directory(ec)) {
        fs::path real = fs::canonical(p, ec);
        if (ec || !visited.insert(real).second)
          it.disable_recursion_pending();
        ec.clear();
        continue;
      }
      if (it->is_regular_file(ec) &&
          std::find(exts.begin(), exts.end(), lowerExtension(p)) != exts.end())
        files.emplace_back(p.parent_path().string(), p.filename().string());
    }
    if (ec)
      throw Error("ImageFolder: cannot list " + dir.string() + ": " +
                  ec.message());
    if (files.empty())
      empty.push_back(classes_[c]);
    std::sort(files.begin(), files.end());
    for (auto &[parent, name] : files)
      samples_.emplace_back((fs::path(parent) / name).string(),
                            static_cast<int64_t>(c));
  }
  if (!empty.empty()) {
    std::string names, list;
    for (const std::string &name : empty)
      names += (names.empty() ? "" : ", ") + name;
    for (const std::string &ext : exts)
      list += (list.empty() ? "" : " ") + ext;
    throw Error("ImageFolder: " + root + ": found no image for the classes " +
                names + " (the extensions taken are " + list + ")");
  }
}

std::map<std::string, int64_t> ImageFolder::class_to_idx() const {
  std::map<std::string, int64_t> out;
  for (size_t c = 0; c < classes_.size(); ++c)
    out.emplace(classes_[c], static_cast<int64_t>(c));
  return out;
}

std::vector<int64_t> ImageFolder::targets() const {
  std::vector<int64_t> out;
  for (const auto &sample : samples_)
    out.push_back(sample.second);
  return out;
}

Example<> ImageFolder::get(size_t index) {
  if (index >= size())
    outOfRange("ImageFolder", index, size());
  const auto &[path, label] = samples_[index];
  Example<> example;
  try {
    example.data = load_image(path);
  } catch (const Error &e) {
    throw Error("ImageFolder: sample " + std::to_string(index) + ": " +
                e.what());
  }
  example.target = uninitialized({}, kInt64);
  *example.target.data_ptr<int64_t>() = label;
  return applyTransforms(std::move(example), "ImageFolder", index, path,
                         transform_, targetTransform_);
}

} // namespace kiln::data
