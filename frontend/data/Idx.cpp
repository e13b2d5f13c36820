//===- Idx.cpp - IDX files and MNIST --------------------------------------===//
//
// Reads IDX files, plain or gzip-compressed, checking every size the header
// claims before trusting it with an allocation.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/Idx.h"
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/runtime/Error.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>
#include <type_traits>

namespace kiln::data {

namespace {

/// Reads a file's bytes, decompressing it when it is gzip. Every failure is a
/// kiln::Error that starts with "<who>: <path>: ".
class ByteReader {
public:
  ByteReader(std::string_view who, const std::string &path)
      : prefix_(std::string(who) + ": " + path + ": "), path_(path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      fail("is a directory, not a file");
    file_.reset(std::fopen(path.c_str(), "rb"));
    if (!file_)
      throw Error(std::string(who) + ": cannot open " + path + ": " +
                  std::strerror(errno));
    unsigned char head[2];
    size_t got = std::fread(head, 1, 2, file_.get());
    if (got == 2 && head[0] == 0x1f && head[1] == 0x8b) {
      // zlib's own reader handles multi-member streams and checks the CRC.
      file_.reset();
      auto size = std::filesystem::file_size(path, ec);
      if (!ec)
        compressedSize_ = size;
      gz_.reset(gzopen(path.c_str(), "rb"));
      if (!gz_)
        fail("cannot open the gzip stream");
      return;
    }
    if (std::fseek(file_.get(), 0, SEEK_SET) != 0)
      fail(std::string("cannot seek: ") + std::strerror(errno));
    auto size = std::filesystem::file_size(path, ec);
    if (!ec)
      remaining_ = size;
  }

  /// Reads up to `n` bytes; fewer only at the end of the data.
  size_t read(void *dst, size_t n) {
    auto *out = static_cast<unsigned char *>(dst);
    size_t total = 0;
    if (gz_) {
      while (total < n) {
        unsigned chunk =
            static_cast<unsigned>(std::min<size_t>(n - total, size_t(1) << 30));
        int got = gzread(gz_.get(), out + total, chunk);
        checkGzip();
        if (got <= 0)
          break;
        total += static_cast<size_t>(got);
      }
      return total;
    }
    while (total < n) {
      size_t got = std::fread(out + total, 1, n - total, file_.get());
      if (got == 0) {
        if (std::ferror(file_.get()))
          fail(std::string("read error: ") + std::strerror(errno));
        break;
      }
      total += got;
    }
    if (remaining_)
      *remaining_ -= std::min<uint64_t>(*remaining_, total);
    return total;
  }

  /// Bytes left in a plain file, when known; unknown for gzip streams, whose
  /// length shows only by decompressing them.
  std::optional<uint64_t> remaining() const { return remaining_; }
  bool compressed() const { return gz_ != nullptr; }
  /// The size of a gzip file (not of its data), when known.
  std::optional<uint64_t> compressedSize() const { return compressedSize_; }

  [[noreturn]] void fail(const std::string &what) const {
    throw Error(prefix_ + what);
  }

private:
  /// Throws when zlib has seen an error: Z_BUF_ERROR is its word for a
  /// stream that ends early (which gzread itself reports as a short read).
  void checkGzip() {
    int code = Z_OK;
    std::string message = gzerror(gz_.get(), &code);
    if (code == Z_OK)
      return;
    // zlib puts the path in front, which our prefix already names.
    if (message.starts_with(path_ + ": "))
      message.erase(0, path_.size() + 2);
    fail(std::string(code == Z_BUF_ERROR ? "truncated" : "corrupt") +
         " gzip stream (" + message + ")");
  }

  struct CloseFile {
    void operator()(std::FILE *file) const { std::fclose(file); }
  };
  struct CloseGz {
    void operator()(gzFile gz) const { gzclose(gz); }
  };

  std::string prefix_;
  std::string path_;
  std::unique_ptr<std::FILE, CloseFile> file_;
  std::unique_ptr<gzFile_s, CloseGz> gz_;
  std::optional<uint64_t> remaining_;
  std::optional<uint64_t> compressedSize_;
};

/// An IDX element type: its code in the magic number, its size and the
/// dtype read_idx gives it.
struct IdxType {
  uint8_t code;
  const char *name;
  size_t size;
  ScalarType dtype;
};

constexpr IdxType kIdxTypes[] = {
    {0x08, "ubyte", 1, kInt32},   {0x09, "byte", 1, kInt32},
    {0x0B, "short", 2, kInt32},   {0x0C, "int", 4, kInt32},
    {0x0D, "float", 4, kFloat32}, {0x0E, "double", 8, kFloat64},
};

constexpr uint8_t kUbyte = 0x08;

/// The largest amount of data an IDX file may claim (1 TiB): beyond it the
/// header is taken as corrupt rather than trusted with an allocation.
constexpr uint64_t kMaxIdxBytes = uint64_t(1) << 40;

/// An IDX file as read: the element type, the dimensions and the elements'
/// bytes, big-endian as stored.
struct IdxData {
  const IdxType *type = nullptr;
  Shape dims;
  std::vector<unsigned char> bytes;
};

std::string hex(uint64_t value, int digits) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "0x%0*llx", digits,
                static_cast<unsigned long long>(value));
  return buffer;
}

IdxData readIdxData(std::string_view who, const std::string &path) {
  ByteReader in(who, path);
  const std::string file =
      in.compressed() ? "the decompressed data" : "the file";
  unsigned char magic[4];
  size_t got = in.read(magic, 4);
  if (got == 0)
    in.fail("the file is empty (an IDX file starts with a 4-byte magic "
            "number)");
  if (got < 4)
    in.fail("truncated: " + file + " has " + std::to_string(got) +
            " bytes, less than the 4-byte magic number");
  uint32_t magicValue = uint32_t(magic[0]) << 24 | uint32_t(magic[1]) << 16 |
                        uint32_t(magic[2]) << 8 | magic[3];
  if (magic[0] != 0 || magic[1] != 0)
    in.fail("bad magic number " + hex(magicValue, 8) +
            ": not an IDX file (its first two bytes must be zero)");
  IdxData data;
  for (const IdxType &type : kIdxTypes)
    if (type.code == magic[2])
      data.type = &type;
  if (!data.type)
    in.fail("unsupported type code " + hex(magic[2], 2) + " in magic number " +
            hex(magicValue, 8) +
            " (IDX has 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d "
            "float and 0x0e double)");
  size_t rank = magic[3];
  if (rank == 0)
    in.fail("the magic number " + hex(magicValue, 8) +
            " gives zero dimensions");

  std::vector<unsigned char> header(4 * rank);
  got = in.read(header.data(), header.size());
  if (got < header.size())
    in.fail("truncated header: " + std::to_string(rank) + " dimensions need " +
            std::to_string(header.size()) + " bytes after the magic number, " +
            file + " has only " + std::to_string(got));
  bool empty = false;
  for (size_t d = 0; d < rank; ++d) {
    const unsigned char *p = &header[4 * d];
    uint32_t size = uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 |
                    uint32_t(p[2]) << 8 | p[3];
    data.dims.push_back(size);
    empty |= size == 0;
  }
  // The product is checked for overflow at each step, as 255 dimensions of
  // up to 2^32 - 1 each wrap any integer type. Zero dimensions are skipped
  // there (they make the data empty), but the others must still multiply to
  // a sane number: tensor code computes the product of all dimensions in
  // int64_t, and [2^32 - 1, 2^32 - 1, 2^32 - 1, 0] would overflow it.
  std::string described =
      "the dimensions " + shapeString(data.dims) + " of " + data.type->name;
  uint64_t need = data.type->size;
  for (int64_t size : data.dims)
    if (size != 0 &&
        (__builtin_mul_overflow(need, static_cast<uint64_t>(size), &need) ||
         need > kMaxIdxBytes))
      in.fail(described + " describe more than 2^40 bytes; the header is "
                          "corrupt");
  if (empty)
    need = 0;

  uint64_t headerBytes = 4 + header.size();
  if (auto remaining = in.remaining()) {
    // A plain file's length is known: compare before allocating anything.
    if (*remaining != need)
      in.fail((*remaining < need ? "truncated: " : "trailing data: ") +
              described + " need " + std::to_string(need) +
              " bytes after the " + std::to_string(headerBytes) +
              "-byte header, but the file has " + std::to_string(*remaining) +
              " bytes there");
    data.bytes.resize(need);
    if (in.read(data.bytes.data(), need) != need)
      in.fail("the file shrank while being read");
    return data;
  }
  // A gzip stream's length shows only as it decompresses, but deflate
  // expands at most 1032-fold: a header claiming more is refused at once.
  if (auto compressed = in.compressedSize();
      compressed && need / 1032 > *compressed)
    in.fail(described + " need " + std::to_string(need) +
            " bytes, more than a gzip file of " + std::to_string(*compressed) +
            " bytes can hold");
  // Otherwise grow the buffer with the data that arrives, so a corrupt
  // header cannot make us allocate what the stream does not hold.
  size_t have = 0;
  while (have < need) {
    size_t target = static_cast<size_t>(
        std::min<uint64_t>(need, std::max<uint64_t>(2 * have, 1 << 16)));
    data.bytes.resize(target);
    size_t read = in.read(data.bytes.data() + have, target - have);
    have += read;
    if (have < target)
      break;
  }
  if (have < need)
    in.fail("truncated: " + described + " need " + std::to_string(need) +
            " bytes after the " + std::to_string(headerBytes) +
            "-byte header, " + file + " has only " + std::to_string(have));
  unsigned char extra;
  if (in.read(&extra, 1) != 0)
    in.fail("trailing data: " + described + " need " + std::to_string(need) +
            " bytes after the " + std::to_string(headerBytes) +
            "-byte header, " + file + " has more");
  return data;
}

template <typename T> T loadBigEndian(const unsigned char *p) {
  std::make_unsigned_t<std::conditional_t<
      std::is_floating_point_v<T>,
      std::conditional_t<sizeof(T) == 4, int32_t, int64_t>, T>>
      bits = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    bits = static_cast<decltype(bits)>(bits << 8 | p[i]);
  return std::bit_cast<T>(bits);
}

Tensor idxToTensor(const IdxData &data) {
  Tensor out = uninitialized(data.dims, data.type->dtype);
  size_t n = data.bytes.size() / data.type->size;
  const unsigned char *in = data.bytes.data();
  void *buffer = out.data_ptr();
  switch (data.type->code) {
  case 0x08:
    for (size_t i = 0; i < n; ++i)
      static_cast<int32_t *>(buffer)[i] = in[i];
    break;
  case 0x09:
    for (size_t i = 0; i < n; ++i)
      static_cast<int32_t *>(buffer)[i] = static_cast<int8_t>(in[i]);
    break;
  case 0x0B:
    for (size_t i = 0; i < n; ++i)
      static_cast<int32_t *>(buffer)[i] = loadBigEndian<int16_t>(in + 2 * i);
    break;
  case 0x0C:
    for (size_t i = 0; i < n; ++i)
      static_cast<int32_t *>(buffer)[i] = loadBigEndian<int32_t>(in + 4 * i);
    break;
  case 0x0D:
    for (size_t i = 0; i < n; ++i)
      static_cast<float *>(buffer)[i] = loadBigEndian<float>(in + 4 * i);
    break;
  case 0x0E:
    for (size_t i = 0; i < n; ++i)
      static_cast<double *>(buffer)[i] = loadBigEndian<double>(in + 8 * i);
    break;
  }
  return out;
}

/// `root/name`, or `root/name.gz` when only that exists.
std::string findMnistFile(const std::string &root, const std::string &name) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec))
    throw Error("MNIST: the root directory " + root + " does not exist");
  auto plain = std::filesystem::path(root) / name;
  if (std::filesystem::exists(plain, ec))
    return plain.string();
  auto gz = std::filesystem::path(root) / (name + ".gz");
  if (std::filesystem::exists(gz, ec))
    return gz.string();
  throw Error("MNIST: neither " + plain.string() + " nor " + gz.string() +
              " exists");
}

} // namespace

Tensor read_idx(const std::string &path) {
  return idxToTensor(readIdxData("read_idx", path));
}

MNIST::MNIST(const std::string &root, bool train, double max_value)
    : train_(train) {
  if (!(max_value > 0) || !std::isfinite(max_value))
    throw Error("MNIST: max_value must be positive and finite, got " +
                number(max_value));
  std::string prefix = train ? "train" : "t10k";
  std::string imagesPath = findMnistFile(root, prefix + "-images-idx3-ubyte");
  std::string labelsPath = findMnistFile(root, prefix + "-labels-idx1-ubyte");
  IdxData images = readIdxData("MNIST", imagesPath);
  if (images.type->code != kUbyte || images.dims.size() != 3)
    throw Error("MNIST: " + imagesPath +
                ": expected 3-d ubyte images (N x H "
                "x W), got " +
                std::to_string(images.dims.size()) + "-d " + images.type->name +
                " " + shapeString(images.dims));
  IdxData labels = readIdxData("MNIST", labelsPath);
  if (labels.type->code != kUbyte || labels.dims.size() != 1)
    throw Error("MNIST: " + labelsPath + ": expected 1-d ubyte labels, got " +
                std::to_string(labels.dims.size()) + "-d " + labels.type->name +
                " " + shapeString(labels.dims));
  int64_t n = images.dims[0];
  if (labels.dims[0] != n)
    throw Error("MNIST: " + imagesPath + " has " + std::to_string(n) +
                " images but " + labelsPath + " has " +
                std::to_string(labels.dims[0]) + " labels");

  images_ = uninitialized({n, 1, images.dims[1], images.dims[2]}, kFloat32);
  auto *pixels = images_.data_ptr<float>();
  // Divide in float32, as PyTorch's `x.float() / 255` does.
  float scale = static_cast<float>(max_value);
  size_t perImage = static_cast<size_t>(images.dims[1] * images.dims[2]);
  for (size_t i = 0; i < images.bytes.size(); ++i) {
    unsigned char v = images.bytes[i];
    if (v > max_value)
      throw Error("MNIST: " + imagesPath + ": pixel value " +
                  std::to_string(v) + " of image " +
                  std::to_string(i / perImage) + " exceeds max_value " +
                  number(max_value) +
                  " (real MNIST needs 255, the "
                  "8x8 digits 16)");
    pixels[i] = static_cast<float>(v) / scale;
  }
  targets_ = uninitialized({n}, kInt64);
  auto *targets = targets_.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i)
    targets[i] = labels.bytes[static_cast<size_t>(i)];
}

Example<> MNIST::get(size_t index) {
  if (index >= size())
    outOfRange("MNIST", index, size());
  return {copyRow(images_, index), copyRow(targets_, index)};
}

size_t MNIST::size() const { return static_cast<size_t>(targets_.size(0)); }

} // namespace kiln::data
