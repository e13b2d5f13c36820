//===- Data.cpp - Datasets, files, samplers, transforms and the DataLoader ===//
//
// Everything here builds realized tensors directly: a buffer is allocated
// and filled with memcpy or a conversion loop. Going through recorded ops
// (select, stack) would compile a program per batch shape and serialize the
// worker threads on compilation.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Data.h"
#include "kiln/frontend/Graph.h"
#include "kiln/runtime/Error.h"

#include <stb_image.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <system_error>
#include <thread>

namespace kiln {
namespace {

std::string shapeString(const Shape &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// A new realized tensor whose bytes the caller overwrites, so they are not
/// zeroed first.
Tensor uninitialized(const Shape &shape, ScalarType dtype) {
  auto impl = std::make_shared<detail::TensorImpl>();
  impl->type = {shape, dtype};
  impl->storage = detail::Storage::allocate(impl->type.bytes(), false);
  return Tensor(std::move(impl));
}

/// Bytes of one row (the tensor without its first dimension).
size_t rowBytes(const Tensor &t) {
  size_t bytes = element_size(t.dtype());
  for (size_t d = 1; d < t.sizes().size(); ++d)
    bytes *= static_cast<size_t>(t.sizes()[d]);
  return bytes;
}

/// A copy of `t[index]` as a new realized tensor.
Tensor copyRow(const Tensor &t, size_t index) {
  Shape shape(t.sizes().begin() + 1, t.sizes().end());
  Tensor row = uninitialized(shape, t.dtype());
  size_t bytes = rowBytes(t);
  if (bytes)
    std::memcpy(row.data_ptr(),
                static_cast<const char *>(t.data_ptr()) + index * bytes, bytes);
  return row;
}

[[noreturn]] void outOfRange(std::string_view who, size_t index, size_t size) {
  throw Error(std::string(who) + ": index " + std::to_string(index) +
              " is out of range for a dataset of " + std::to_string(size) +
              " samples");
}

//===----------------------------------------------------------------------===//
// IDX files
//===----------------------------------------------------------------------===//

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

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

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

//===----------------------------------------------------------------------===//
// Shuffling
//===----------------------------------------------------------------------===//

/// Uniform in [0, bound), by rejection: std::uniform_int_distribution's
/// algorithm differs between standard libraries, this one does not.
uint64_t uniformBelow(std::mt19937_64 &gen, uint64_t bound) {
  uint64_t threshold = (0 - bound) % bound; // 2^64 mod bound
  while (true) {
    uint64_t r = gen();
    if (r >= threshold)
      return r % bound;
  }
}

/// The generator of epoch `epoch` of a sampler seeded with `seed`.
/// seed_seq and mt19937_64 are specified exactly by the standard, so the
/// same (seed, epoch) gives the same draws everywhere.
std::mt19937_64 generator(uint64_t seed, uint64_t epoch) {
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(epoch),
                    uint32_t(epoch >> 32)};
  return std::mt19937_64(seq);
}

/// The generator of (seed, epoch, key): a sample's random transforms (key:
/// its index) or a shard's shuffle buffer (key: the shard).
std::mt19937_64 generator(uint64_t seed, uint64_t epoch, uint64_t key) {
  std::seed_seq seq{uint32_t(seed),  uint32_t(seed >> 32),
                    uint32_t(epoch), uint32_t(epoch >> 32),
                    uint32_t(key),   uint32_t(key >> 32),
                    0x5eedu};
  return std::mt19937_64(seq);
}

/// Uniform in [0, 1) from the top 53 bits of one draw, exactly so on every
/// platform (std::uniform_real_distribution is not).
double uniformUnit(std::mt19937_64 &gen) {
  return static_cast<double>(gen() >> 11) * 0x1.0p-53;
}

void shuffle(std::vector<size_t> &indices, std::mt19937_64 &gen) {
  for (size_t i = indices.size(); i > 1; --i) // Fisher-Yates
    std::swap(indices[i - 1], indices[uniformBelow(gen, i)]);
}

std::vector<size_t> permutation(size_t n, uint64_t seed, uint64_t epoch) {
  std::mt19937_64 gen = generator(seed, epoch);
  std::vector<size_t> indices(n);
  std::iota(indices.begin(), indices.end(), size_t(0));
  shuffle(indices, gen);
  return indices;
}

/// Prefix sums of weights as a Fenwick tree: finds the index a uniform draw
/// over the total weight falls in, and removes an index's weight, each in
/// O(log n), so drawing k of n without replacement costs O((n + k) log n).
class WeightTree {
public:
  explicit WeightTree(const std::vector<double> &weights)
      : tree_(weights.size() + 1, 0.0),
        top_(std::bit_floor(std::max<size_t>(weights.size(), 1))) {
    for (size_t i = 1; i < tree_.size(); ++i) {
      tree_[i] += weights[i - 1];
      size_t parent = i + (i & (0 - i));
      if (parent < tree_.size())
        tree_[parent] += tree_[i];
    }
  }

  double total() const {
    double sum = 0;
    for (size_t i = tree_.size() - 1; i > 0; i -= i & (0 - i))
      sum += tree_[i];
    return sum;
  }

  /// The index whose range of the cumulative weight holds `target`.
  size_t find(double target) const {
    size_t pos = 0;
    for (size_t step = top_; step > 0; step >>= 1)
      if (pos + step < tree_.size() && tree_[pos + step] <= target) {
        pos += step;
        target -= tree_[pos];
      }
    return pos;
  }

  void add(size_t index, double delta) {
    for (size_t i = index + 1; i < tree_.size(); i += i & (0 - i))
      tree_[i] += delta;
  }

private:
  std::vector<double> tree_;
  size_t top_;
};

/// Rounding in the tree's sums can make find() land just off the positive
/// weights (past the end, or on a drawn or zero weight): then the nearest
/// positive weight is the one meant.
size_t nearestPositive(const std::vector<double> &weights, size_t index) {
  index = std::min(index, weights.size() - 1);
  for (size_t i = index + 1; i-- > 0;)
    if (weights[i] > 0)
      return i;
  for (size_t i = index + 1; i < weights.size(); ++i)
    if (weights[i] > 0)
      return i;
  throw Error("WeightedRandomSampler: no positive weight is left to draw");
}

//===----------------------------------------------------------------------===//
// CSV files
//===----------------------------------------------------------------------===//

bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isBlank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back()))
    s.remove_suffix(1);
  return s;
}

/// The cells of `line`, trimmed, without the quotes of quoted ones (which
/// may hold the delimiter). An unterminated quote is an error for `where`.
std::vector<std::string_view> splitCells(std::string_view line, char delimiter,
                                         const std::string &where) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"')
      quoted = !quoted;
    else if (i == line.size() || (line[i] == delimiter && !quoted)) {
      std::string_view cell = trim(line.substr(start, i - start));
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
        cell = cell.substr(1, cell.size() - 2);
      cells.push_back(cell);
      start = i + 1;
    }
  }
  if (quoted)
    throw Error(where + "unterminated quote");
  return cells;
}

/// The number in `cell`, if all of it is one (an optional sign, then what
/// std::from_chars reads: decimal, exponent, inf, nan).
template <typename T> std::optional<T> parseNumber(std::string_view cell) {
  if (cell.size() > 1 && cell.front() == '+' && cell[1] != '-')
    cell.remove_prefix(1);
  T value;
  auto [end, ec] =
      std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || cell.empty())
    return std::nullopt;
  return value;
}

//===----------------------------------------------------------------------===//
// Collation
//===----------------------------------------------------------------------===//

std::string describe(const Tensor &t) {
  return shapeString(t.sizes()) + " " + std::string(dtype_name(t.dtype()));
}

Tensor stackMember(const std::vector<data::Example> &samples,
                   Tensor data::Example::*member, const char *what) {
  const Tensor &first = samples[0].*member;
  for (size_t i = 0; i < samples.size(); ++i) {
    const Tensor &t = samples[i].*member;
    if (!t.defined())
      throw Error("default_collate: sample " + std::to_string(i) +
                  " of the batch has no " + what);
    if (t.sizes() != first.sizes() || t.dtype() != first.dtype())
      throw Error("default_collate: the " + std::string(what) + " of sample " +
                  std::to_string(i) + " of the batch is " + describe(t) +
                  ", that of sample 0 is " + describe(first) +
                  "; stacking needs equal shapes and dtypes (a collate_fn "
                  "can batch them otherwise)");
  }
  Shape shape{static_cast<int64_t>(samples.size())};
  shape.insert(shape.end(), first.sizes().begin(), first.sizes().end());
  Tensor out = uninitialized(shape, first.dtype());
  size_t bytes =
      static_cast<size_t>(first.numel()) * element_size(first.dtype());
  auto *dst = static_cast<char *>(out.data_ptr());
  if (bytes)
    for (size_t i = 0; i < samples.size(); ++i)
      std::memcpy(dst + i * bytes, (samples[i].*member).data_ptr(), bytes);
  return out;
}

//===----------------------------------------------------------------------===//
// Images
//===----------------------------------------------------------------------===//

/// The layout of an image tensor [..., H, W]: `planes` images of h x w.
struct Geometry {
  size_t planes, height, width;
};

Geometry imageGeometry(const Tensor &t, std::string_view who) {
  if (!t.defined())
    throw Error(std::string(who) + ": the input is undefined");
  if (t.dim() < 2)
    throw Error(std::string(who) + ": the input is " + describe(t) +
                "; an image needs its last two dimensions to be height and "
                "width ([C, H, W] or [H, W])");
  if (t.dtype() != kFloat32 && t.dtype() != kFloat64 && t.dtype() != kInt32)
    throw Error(std::string(who) + ": the input is " + describe(t) +
                "; images must be float32, float64 or int32");
  auto h = static_cast<size_t>(t.size(-2)), w = static_cast<size_t>(t.size(-1));
  size_t numel = static_cast<size_t>(t.numel());
  return {h * w ? numel / (h * w) : 0, h, w};
}

/// Calls `f(T{})` with T the C++ type of an image's dtype.
template <typename F> void dispatchImage(ScalarType dtype, F &&f) {
  switch (dtype) {
  case kFloat32:
    f(float{});
    break;
  case kFloat64:
    f(double{});
    break;
  default:
    f(int32_t{});
    break;
  }
}

/// `shape` with its last two dimensions replaced.
Shape withHeightWidth(Shape shape, int64_t h, int64_t w) {
  shape[shape.size() - 2] = h;
  shape[shape.size() - 1] = w;
  return shape;
}

/// Where position `i` of a padded axis of length `n` reads from, or -1 for
/// the fill value.
int64_t padSource(int64_t i, int64_t n, data::transforms::PaddingMode mode) {
  using data::transforms::PaddingMode;
  if (i >= 0 && i < n)
    return i;
  switch (mode) {
  case PaddingMode::Constant:
    return -1;
  case PaddingMode::Edge:
    return std::clamp<int64_t>(i, 0, n - 1);
  case PaddingMode::Reflect: {
    if (n == 1)
      return 0;
    int64_t period = 2 * (n - 1), m = ((i % period) + period) % period;
    return m < n ? m : period - m;
  }
  case PaddingMode::Symmetric: {
    int64_t period = 2 * n, m = ((i % period) + period) % period;
    return m < n ? m : period - 1 - m;
  }
  }
  return -1;
}

/// The h x w window of `input` whose top left corner is (top, left), which
/// may lie outside the image: positions outside read per `mode`. Crops,
/// padding and centre crops are all this.
Tensor window(const Tensor &input, const Geometry &g, int64_t top, int64_t left,
              int64_t h, int64_t w, double fill,
              data::transforms::PaddingMode mode) {
  Tensor out =
      uninitialized(withHeightWidth(input.sizes(), h, w), input.dtype());
  auto H = static_cast<int64_t>(g.height), W = static_cast<int64_t>(g.width);
  std::vector<int64_t> cols(static_cast<size_t>(w));
  for (int64_t x = 0; x < w; ++x)
    cols[static_cast<size_t>(x)] = padSource(left + x, W, mode);
  dispatchImage(input.dtype(), [&]<typename T>(T) {
    const T *in = static_cast<const T *>(input.data_ptr());
    T *dst = static_cast<T *>(out.data_ptr());
    T fillValue = static_cast<T>(fill);
    for (size_t p = 0; p < g.planes; ++p) {
      const T *plane = in + p * g.height * g.width;
      for (int64_t y = 0; y < h; ++y) {
        int64_t sy = padSource(top + y, H, mode);
        for (int64_t x = 0; x < w; ++x) {
          int64_t sx = cols[static_cast<size_t>(x)];
          *dst++ = sy < 0 || sx < 0 ? fillValue : plane[sy * W + sx];
        }
      }
    }
  });
  return out;
}

void checkSize(const data::transforms::ImageSize &size, std::string_view who) {
  if (size.height <= 0 || size.width <= 0)
    throw Error(std::string(who) + ": the size must be positive, got " +
                std::to_string(size.height) + "x" + std::to_string(size.width));
}

//===----------------------------------------------------------------------===//
// Record files (CIFAR-10 and its generalisation)
//===----------------------------------------------------------------------===//

/// The size of a record file, checked to be a non-empty whole number of
/// records. Errors start with "<who>: <path>".
uint64_t recordFileSize(std::string_view who, const std::string &path,
                        size_t recordBytes, const std::string &recordName) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw Error(std::string(who) + ": " + path + " does not exist");
  if (std::filesystem::is_directory(path, ec))
    throw Error(std::string(who) + ": " + path + " is a directory, not a file");
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec)
    throw Error(std::string(who) + ": " + path +
                ": cannot read its size: " + ec.message());
  if (size == 0)
    throw Error(std::string(who) + ": " + path + " is empty");
  if (size % recordBytes != 0)
    throw Error(std::string(who) + ": " + path + ": its size, " +
                std::to_string(size) + " bytes, is not a multiple of the " +
                std::to_string(recordBytes) + "-byte " + recordName +
                " (truncated or not this format: " +
                std::to_string(size / recordBytes) + " whole records and " +
                std::to_string(size % recordBytes) + " bytes more)");
  return size;
}

struct CloseFile {
  void operator()(std::FILE *file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, CloseFile>;

FilePtr openFile(std::string_view who, const std::string &path) {
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file)
    throw Error(std::string(who) + ": cannot open " + path + ": " +
                std::strerror(errno));
  return file;
}

/// Reads exactly `n` bytes; a short read is a file that changed under us.
void readExactly(std::FILE *file, void *dst, size_t n, std::string_view who,
                 const std::string &path, uint64_t offset) {
  if (std::fread(dst, 1, n, file) != n)
    throw Error(std::string(who) + ": " + path + ": " +
                (std::ferror(file)
                     ? std::string("read error: ") + std::strerror(errno)
                     : std::string("truncated")) +
                " at byte " + std::to_string(offset) + " (needed " +
                std::to_string(n) + " more bytes)");
}

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

std::string formatDuration(double seconds) {
  auto total = static_cast<long long>(seconds + 0.5);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld", total / 3600,
                total / 60 % 60, total % 60);
  return buffer;
}

} // namespace

//===----------------------------------------------------------------------===//
// The epoch of a DataLoader
//===----------------------------------------------------------------------===//

namespace detail {

/// The worker threads of a DataLoader with persistent_workers: they outlive
/// epochs, each of which hands them a job and waits for it to return,
/// instead of starting and joining threads of its own.
class WorkerPool {
public:
  explicit WorkerPool(size_t threads) {
    try {
      for (size_t w = 0; w < threads; ++w)
        threads_.emplace_back(&WorkerPool::loop, this, w);
    } catch (const std::system_error &e) {
      shutdown();
      throw Error(std::string("DataLoader: cannot start a worker thread: ") +
                  e.what());
    }
  }
  ~WorkerPool() { shutdown(); }
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  size_t size() const { return threads_.size(); }

  /// Runs job(w) on every thread w and returns at once. The previous job
  /// must have returned (wait()).
  void run(std::function<void(size_t)> job) {
    {
      std::lock_guard lock(mutex_);
      if (running_ != 0)
        throw Error("DataLoader: internal error: the persistent workers are "
                    "still running an epoch");
      job_ = std::move(job);
      running_ = threads_.size();
      ++generation_;
    }
    wake_.notify_all();
  }

  /// Blocks until every thread has returned from the job.
  void wait() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return running_ == 0; });
    job_ = nullptr;
  }

private:
  void shutdown() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    for (std::thread &thread : threads_)
      if (thread.joinable())
        thread.join();
  }

  void loop(size_t worker) {
    uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_)
        return;
      seen = generation_;
      std::function<void(size_t)> job = job_;
      lock.unlock();
      job(worker);
      lock.lock();
      if (--running_ == 0)
        idle_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_; ///< a job arrived, or quit
  std::condition_variable idle_; ///< the job has returned everywhere
  std::function<void(size_t)> job_;
  uint64_t generation_ = 0;
  size_t running_ = 0;
  bool quit_ = false;
  std::vector<std::thread> threads_;
};

/// One pass over the data: what its workers share with the iterating
/// thread. It owns all it uses (dataset, collate function, indices), so it
/// outlives the DataLoader safely; the subclasses' destructors stop the
/// workers before their members go.
class LoaderEpoch {
public:
  LoaderEpoch(uint64_t seed, uint64_t epoch, std::shared_ptr<WorkerPool> pool)
      : seed_(seed), epoch_(epoch), pool_(std::move(pool)) {}
  virtual ~LoaderEpoch() = default;
  LoaderEpoch(const LoaderEpoch &) = delete;
  LoaderEpoch &operator=(const LoaderEpoch &) = delete;

  /// Makes the next batch current; false once the epoch is over. A batch
  /// that failed to load throws here, in the iterating thread.
  bool advance() {
    if (abandoned_)
      throw Error("DataLoader: this epoch was ended by a later begin() of "
                  "its loader (with persistent_workers, one epoch uses the "
                  "workers at a time)");
    return advanceBatch();
  }

  data::Example &current() { return current_; }
  bool finished() const { return finished_; }

  /// Stops the workers, freeing a persistent pool for the next epoch;
  /// advancing afterwards is an error.
  void abandon() {
    stop();
    abandoned_ = true;
  }

protected:
  virtual bool advanceBatch() = 0;
  virtual void work(size_t worker) = 0;

  /// Runs work(0 .. count - 1) on the pool or on new threads.
  void startWorkers(size_t count) {
    if (count == 0)
      return;
    if (pool_) {
      pool_->run([this, count](size_t worker) {
        if (worker < count)
          work(worker);
      });
      poolRunning_ = true;
      return;
    }
    try {
      for (size_t w = 0; w < count; ++w)
        threads_.emplace_back(&LoaderEpoch::work, this, w);
    } catch (const std::system_error &e) {
      stop();
      throw Error(std::string("DataLoader: cannot start a worker thread: ") +
                  e.what());
    }
  }

  bool hasWorkers() const { return poolRunning_ || !threads_.empty(); }

  /// Tells the workers to stop and waits for them; idempotent.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    space_.notify_all();
    for (std::thread &thread : threads_)
      if (thread.joinable())
        thread.join();
    if (poolRunning_) {
      pool_->wait();
      poolRunning_ = false;
    }
  }

  /// "DataLoader: " or "DataLoader: worker <w>: ", for error messages.
  static std::string who(std::optional<size_t> worker) {
    std::string who = "DataLoader: ";
    if (worker)
      who += "worker " + std::to_string(*worker) + ": ";
    return who;
  }

  uint64_t seed_;
  uint64_t epoch_;
  data::Example current_;
  bool finished_ = false;

  std::mutex mutex_;
  std::condition_variable ready_; ///< a worker filed something
  std::condition_variable space_; ///< the iterating thread took something
  std::atomic<bool> stopping_ = false;

private:
  std::shared_ptr<WorkerPool> pool_;
  bool poolRunning_ = false;
  bool abandoned_ = false;
  std::vector<std::thread> threads_;
};

/// An epoch of a map-style dataset: workers claim whole batches within the
/// prefetch window and file them by number; advance() takes them in order.
class MapEpoch : public LoaderEpoch {
public:
  MapEpoch(std::shared_ptr<data::Dataset<data::Example>> dataset,
           data::CollateFn collate, std::vector<size_t> indices,
           size_t batchSize, size_t numBatches, size_t numWorkers,
           size_t prefetchFactor, uint64_t seed, uint64_t epoch,
           std::shared_ptr<WorkerPool> pool)
      : LoaderEpoch(seed, epoch, std::move(pool)), dataset_(std::move(dataset)),
        collate_(std::move(collate)), indices_(std::move(indices)),
        batchSize_(batchSize), numBatches_(numBatches),
        window_(std::max<size_t>(1, numWorkers * prefetchFactor)) {
    startWorkers(std::min(numWorkers, numBatches_));
  }

  ~MapEpoch() override { stop(); }

private:
  /// A loaded batch, or why it could not be loaded.
  struct Slot {
    data::Example batch;
    std::string error;
  };

  bool advanceBatch() override {
    if (next_ == numBatches_) {
      finished_ = true;
      current_ = {};
      return false;
    }
    size_t batch = next_++;
    Slot slot;
    if (!hasWorkers()) {
      slot = load(batch, std::nullopt);
    } else {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return done_.contains(batch); });
      auto it = done_.find(batch);
      slot = std::move(it->second);
      done_.erase(it);
      consumed_ = batch + 1;
      lock.unlock();
      space_.notify_all();
    }
    if (!slot.error.empty())
      throw Error(slot.error);
    current_ = std::move(slot.batch);
    return true;
  }

  /// Loads and collates batch `batch`. Exceptions become the slot's error:
  /// they must cross to the iterating thread, and the message names the
  /// sample so that a bad file or index can be found.
  Slot load(size_t batch, std::optional<size_t> worker) {
    size_t begin = batch * batchSize_;
    size_t end = std::min(begin + batchSize_, indices_.size());
    Slot slot;
    std::vector<data::Example> samples;
    samples.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) {
      if (stopping_) // the epoch is being torn down: nobody will look
        return slot;
      size_t index = indices_[i];
      try {
        data::SampleSeed scope(seed_, epoch_, index);
        samples.push_back(dataset_->get(index));
      } catch (const std::exception &e) {
        slot.error = who(worker) + "loading sample " + std::to_string(index) +
                     " (batch " + std::to_string(batch) +
                     ") failed: " + e.what();
        return slot;
      } catch (...) {
        slot.error = who(worker) + "loading sample " + std::to_string(index) +
                     " (batch " + std::to_string(batch) +
                     ") failed with an unknown exception";
        return slot;
      }
    }
    try {
      slot.batch = collate_(std::move(samples));
    } catch (const std::exception &e) {
      slot.error = who(worker) + "collating batch " + std::to_string(batch) +
                   " (samples " + indexList(begin, end) +
                   ") failed: " + e.what();
    } catch (...) {
      slot.error = who(worker) + "collating batch " + std::to_string(batch) +
                   " (samples " + indexList(begin, end) +
                   ") failed with an unknown exception";
    }
    return slot;
  }

  std::string indexList(size_t begin, size_t end) const {
    std::string s;
    for (size_t i = begin; i < end && i < begin + 8; ++i)
      s += (i > begin ? ", " : "") + std::to_string(indices_[i]);
    return end - begin > 8 ? s + ", ..." : s;
  }

  /// A worker: claims the next batch within the prefetch window, loads it,
  /// and files it for advance(), until the epoch ends or stops.
  void work(size_t worker) override {
    std::unique_lock lock(mutex_);
    while (true) {
      space_.wait(lock, [&] {
        return stopping_ || claimed_ >= numBatches_ ||
               claimed_ < consumed_ + window_;
      });
      if (stopping_ || claimed_ >= numBatches_)
        return;
      size_t batch = claimed_++;
      lock.unlock();
      Slot slot = load(batch, worker);
      lock.lock();
      done_.emplace(batch, std::move(slot));
      ready_.notify_all();
    }
  }

  std::shared_ptr<data::Dataset<data::Example>> dataset_;
  data::CollateFn collate_;
  std::vector<size_t> indices_;
  size_t batchSize_;
  size_t numBatches_;
  /// Batches loaded or being loaded but not yet taken, at most.
  size_t window_;
  size_t next_ = 0; ///< the batch advance() takes next

  std::map<size_t, Slot> done_; ///< loaded, not yet taken
  size_t claimed_ = 0;          ///< batches handed to workers
  size_t consumed_ = 0;         ///< batches taken by advance()
};

/// An epoch of an IterableDataset: worker `w` reads parts w, w + W, ... into
/// a queue of its own, bounded to the prefetch budget; the iterating thread
/// reads the queues in part order and collates, so batches do not depend
/// on the number of workers.
class StreamEpoch : public LoaderEpoch {
public:
  StreamEpoch(std::shared_ptr<data::IterableDataset> dataset,
              data::CollateFn collate, std::vector<size_t> parts,
              size_t batchSize, bool dropLast, size_t numWorkers,
              size_t prefetchFactor, uint64_t seed, uint64_t epoch,
              std::shared_ptr<WorkerPool> pool)
      : LoaderEpoch(seed, epoch, std::move(pool)), dataset_(std::move(dataset)),
        collate_(std::move(collate)), parts_(std::move(parts)),
        batchSize_(batchSize), dropLast_(dropLast),
        capacity_(std::max<size_t>(1, prefetchFactor * batchSize)) {
    size_t threads = std::min(numWorkers, parts_.size());
    queues_.resize(threads);
    startWorkers(threads);
  }

  ~StreamEpoch() override { stop(); }

private:
  /// A sample, the end of a part (neither sample nor error), or a failure.
  struct Item {
    std::optional<data::Example> sample;
    std::string error;
  };

  /// A sample's SampleSeed index: its part and its position there, which
  /// do not depend on who reads it.
  static uint64_t key(size_t part, uint64_t position) {
    return uint64_t(part) << 32 | position;
  }

  bool advanceBatch() override {
    if (finished_)
      return false;
    std::vector<data::Example> samples;
    while (samples.size() < batchSize_ && slot_ < parts_.size()) {
      std::optional<data::Example> sample = nextSample();
      if (sample)
        samples.push_back(std::move(*sample));
      else
        ++slot_;
    }
    if (samples.empty() || (dropLast_ && samples.size() < batchSize_)) {
      finished_ = true;
      current_ = {};
      return false;
    }
    size_t batch = batches_++;
    try {
      current_ = collate_(std::move(samples));
    } catch (const std::exception &e) {
      finished_ = true;
      throw Error("DataLoader: collating batch " + std::to_string(batch) +
                  " failed: " + e.what());
    }
    return true;
  }

  /// The next sample of the current part, or nullopt at its end.
  std::optional<data::Example> nextSample() {
    if (queues_.empty()) {
      size_t part = parts_[slot_];
      Item item = read(part, stream_, position_, std::nullopt);
      ++position_;
      if (!item.error.empty()) {
        finished_ = true;
        throw Error(item.error);
      }
      if (!item.sample) {
        stream_.reset();
        position_ = 0;
      }
      return std::move(item.sample);
    }
    std::deque<Item> &queue = queues_[slot_ % queues_.size()];
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !queue.empty(); });
    Item item = std::move(queue.front());
    queue.pop_front();
    lock.unlock();
    space_.notify_all();
    if (!item.error.empty()) {
      finished_ = true;
      throw Error(item.error);
    }
    return std::move(item.sample);
  }

  /// Reads sample `position` of `part` from `stream`, opening it first
  /// when null; failures become the item's error.
  Item read(size_t part, std::unique_ptr<data::ExampleStream> &stream,
            uint64_t position, std::optional<size_t> worker) {
    Item item;
    std::string what = "opening part " + std::to_string(part);
    try {
      if (!stream)
        stream = dataset_->open(part, epoch_);
      if (!stream)
        throw Error("open() returned no stream");
      what = "loading sample " + std::to_string(position) + " of part " +
             std::to_string(part);
      data::SampleSeed scope(seed_, epoch_, key(part, position));
      item.sample = stream->next();
    } catch (const std::exception &e) {
      item.error = who(worker) + what + " failed: " + e.what();
    } catch (...) {
      item.error = who(worker) + what + " failed with an unknown exception";
    }
    return item;
  }

  void work(size_t worker) override {
    size_t count = queues_.size();
    for (size_t slot = worker; slot < parts_.size(); slot += count) {
      std::unique_ptr<data::ExampleStream> stream;
      for (uint64_t position = 0;; ++position) {
        if (stopping_)
          return;
        Item item = read(parts_[slot], stream, position, worker);
        bool last = !item.sample; // the part's end, or a failure
        bool failed = !item.error.empty();
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] {
          return stopping_ || queues_[worker].size() < capacity_;
        });
        if (stopping_)
          return;
        queues_[worker].push_back(std::move(item));
        lock.unlock();
        ready_.notify_all();
        if (failed)
          return;
        if (last)
          break;
      }
    }
  }

  std::shared_ptr<data::IterableDataset> dataset_;
  data::CollateFn collate_;
  std::vector<size_t> parts_;
  size_t batchSize_;
  bool dropLast_;
  /// Items each worker's queue holds at most.
  size_t capacity_;
  size_t slot_ = 0;    ///< the position in parts_ being read
  size_t batches_ = 0; ///< batches made so far
  // Without workers: the open stream and the next sample's position in it.
  std::unique_ptr<data::ExampleStream> stream_;
  uint64_t position_ = 0;

  std::vector<std::deque<Item>> queues_; ///< one per worker, under mutex_
};

} // namespace detail

namespace data {

//===----------------------------------------------------------------------===//
// Datasets
//===----------------------------------------------------------------------===//

TensorDataset::TensorDataset(Tensor data, Tensor targets)
    : data_(std::move(data)), targets_(std::move(targets)) {
  if (!data_.defined())
    throw Error("TensorDataset: the data tensor is undefined");
  if (data_.dim() == 0)
    throw Error("TensorDataset: the data must have a first dimension that "
                "indexes samples, got a 0-d tensor");
  if (targets_.defined()) {
    if (targets_.dim() == 0)
      throw Error("TensorDataset: the targets must have a first dimension "
                  "that indexes samples, got a 0-d tensor");
    if (targets_.size(0) != data_.size(0))
      throw Error("TensorDataset: the data has " +
                  std::to_string(data_.size(0)) + " samples " +
                  shapeString(data_.sizes()) + " but the targets have " +
                  std::to_string(targets_.size(0)) + " " +
                  shapeString(targets_.sizes()) +
                  "; their first dimensions must match");
    targets_.data_ptr();
  }
  // Realize here, in the constructing thread, not in the first worker.
  data_.data_ptr();
}

Example TensorDataset::get(size_t index) {
  if (index >= size())
    outOfRange("TensorDataset", index, size());
  Example example;
  example.data = copyRow(data_, index);
  if (targets_.defined())
    example.target = copyRow(targets_, index);
  return example;
}

size_t TensorDataset::size() const {
  return static_cast<size_t>(data_.size(0));
}

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

Example MNIST::get(size_t index) {
  if (index >= size())
    outOfRange("MNIST", index, size());
  return {copyRow(images_, index), copyRow(targets_, index)};
}

size_t MNIST::size() const { return static_cast<size_t>(targets_.size(0)); }

//===----------------------------------------------------------------------===//
// Per-sample randomness
//===----------------------------------------------------------------------===//

namespace {
thread_local std::mt19937_64 *currentSampleGenerator = nullptr;
} // namespace

SampleSeed::SampleSeed(uint64_t seed, uint64_t epoch, uint64_t index)
    : previous_(currentSampleGenerator),
      generator_(generator(seed, epoch, index)) {
  currentSampleGenerator = &generator_;
}

SampleSeed::~SampleSeed() { currentSampleGenerator = previous_; }

std::mt19937_64 &sample_generator() {
  if (currentSampleGenerator)
    return *currentSampleGenerator;
  thread_local std::mt19937_64 fallback = generator(0, 0, 0);
  return fallback;
}

//===----------------------------------------------------------------------===//
// CIFAR-10
//===----------------------------------------------------------------------===//

const std::vector<std::string> &CIFAR10::classes() {
  static const std::vector<std::string> names = {
      "airplane", "automobile", "bird",  "cat",  "deer",
      "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

CIFAR10::CIFAR10(const std::string &root, bool train,
                 transforms::TensorTransform transform,
                 transforms::TensorTransform target_transform)
    : train_(train), transform_(std::move(transform)),
      targetTransform_(std::move(target_transform)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw Error("CIFAR10: the root directory " + root + " does not exist");
  fs::path dir = root;
  if (fs::is_directory(dir / "cifar-10-batches-bin", ec))
    dir /= "cifar-10-batches-bin";
  std::vector<std::string> files;
  if (train)
    for (int i = 1; i <= 5; ++i)
      files.push_back((dir / ("data_batch_" + std::to_string(i) + ".bin")));
  else
    files.push_back((dir / "test_batch.bin"));

  // Sizes first, so that a bad file fails before anything is read.
  std::vector<uint64_t> sizes;
  uint64_t total = 0;
  for (const std::string &file : files) {
    sizes.push_back(recordFileSize("CIFAR10", file, kRecordBytes,
                                   "CIFAR-10 record (a "
                                   "label byte and 3072 "
                                   "pixel bytes)"));
    total += sizes.back() / kRecordBytes;
  }
  auto n = static_cast<int64_t>(total);
  images_ = uninitialized({n, 3, 32, 32}, kFloat32);
  targets_ = uninitialized({n}, kInt64);
  float *pixels = images_.data_ptr<float>();
  int64_t *labels = targets_.data_ptr<int64_t>();
  std::vector<unsigned char> record(kRecordBytes);
  size_t at = 0;
  for (size_t f = 0; f < files.size(); ++f) {
    FilePtr file = openFile("CIFAR10", files[f]);
    uint64_t records = sizes[f] / kRecordBytes;
    for (uint64_t r = 0; r < records; ++r, ++at) {
      readExactly(file.get(), record.data(), kRecordBytes, "CIFAR10", files[f],
                  r * kRecordBytes);
      if (record[0] > 9)
        throw Error("CIFAR10: " + files[f] + ": record " + std::to_string(r) +
                    " (byte " + std::to_string(r * kRecordBytes) +
                    ") has label " + std::to_string(record[0]) +
                    "; CIFAR-10 labels are 0..9");
      labels[at] = record[0];
      // Divide in float32, as torchvision's ToTensor does.
      for (size_t i = 0; i < kRecordBytes - 1; ++i)
        pixels[at * (kRecordBytes - 1) + i] =
            static_cast<float>(record[1 + i]) / 255.0f;
    }
  }
}

namespace {
/// Applies a dataset's transform and target transform, naming the sample
/// (and its file, when there is one) in a failure.
Example applyTransforms(Example example, const std::string &who, size_t index,
                        const std::string &file,
                        const transforms::TensorTransform &transform,
                        const transforms::TensorTransform &targetTransform) {
  const char *what = "transform";
  try {
    if (transform)
      example.data = transform(std::move(example.data));
    what = "target transform";
    if (targetTransform)
      example.target = targetTransform(std::move(example.target));
  } catch (const std::exception &e) {
    throw Error(who + ": the " + what + " of sample " + std::to_string(index) +
                (file.empty() ? "" : " (" + file + ")") +
                " failed: " + e.what());
  }
  return example;
}
} // namespace

Example CIFAR10::get(size_t index) {
  if (index >= size())
    outOfRange("CIFAR10", index, size());
  return applyTransforms({copyRow(images_, index), copyRow(targets_, index)},
                         "CIFAR10", index, "", transform_, targetTransform_);
}

//===----------------------------------------------------------------------===//
// Image files
//===----------------------------------------------------------------------===//

namespace {

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
                         transforms::TensorTransform transform,
                         transforms::TensorTransform target_transform)
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

Example ImageFolder::get(size_t index) {
  if (index >= size())
    outOfRange("ImageFolder", index, size());
  const auto &[path, label] = samples_[index];
  Example example;
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

//===----------------------------------------------------------------------===//
// Subsets, concatenation and splits
//===----------------------------------------------------------------------===//

Subset::Subset(std::shared_ptr<Dataset<Example>> dataset,
               std::vector<size_t> indices)
    : dataset_(std::move(dataset)), indices_(std::move(indices)) {
  if (!dataset_)
    throw Error("Subset: the dataset is null");
  size_t n = dataset_->size();
  for (size_t i = 0; i < indices_.size(); ++i)
    if (indices_[i] >= n)
      throw Error("Subset: indices[" + std::to_string(i) +
                  "] = " + std::to_string(indices_[i]) +
                  " is out of range for a dataset of " + std::to_string(n) +
                  " samples");
}

Example Subset::get(size_t index) {
  if (index >= size())
    outOfRange("Subset", index, size());
  return dataset_->get(indices_[index]);
}

ConcatDataset::ConcatDataset(
    std::vector<std::shared_ptr<Dataset<Example>>> datasets)
    : datasets_(std::move(datasets)) {
  if (datasets_.empty())
    throw Error("ConcatDataset: there are no datasets to concatenate");
  size_t total = 0;
  for (size_t i = 0; i < datasets_.size(); ++i) {
    if (!datasets_[i])
      throw Error("ConcatDataset: dataset " + std::to_string(i) + " is null");
    total += datasets_[i]->size();
    offsets_.push_back(total);
  }
}

Example ConcatDataset::get(size_t index) {
  if (index >= size())
    outOfRange("ConcatDataset", index, size());
  // The first dataset whose cumulative size exceeds the index holds it.
  size_t which = static_cast<size_t>(
      std::upper_bound(offsets_.begin(), offsets_.end(), index) -
      offsets_.begin());
  size_t before = which ? offsets_[which - 1] : 0;
  return datasets_[which]->get(index - before);
}

std::vector<Subset> random_split(std::shared_ptr<Dataset<Example>> dataset,
                                 const std::vector<double> &lengths,
                                 uint64_t seed) {
  if (!dataset)
    throw Error("random_split: the dataset is null");
  if (lengths.empty())
    throw Error("random_split: no lengths to split into");
  size_t n = dataset->size();
  double sum = 0;
  for (double length : lengths)
    sum += length;
  std::vector<size_t> counts;
  // PyTorch's test: lengths summing to 1 (math.isclose) are fractions.
  if (std::abs(sum - 1) <= 1e-9 && sum <= static_cast<double>(n)) {
    size_t assigned = 0;
    for (size_t i = 0; i < lengths.size(); ++i) {
      if (!(lengths[i] >= 0 && lengths[i] <= 1))
        throw Error("random_split: fraction " + std::to_string(i) + " is " +
                    number(lengths[i]) + ", not between 0 and 1");
      counts.push_back(
          static_cast<size_t>(std::floor(lengths[i] * static_cast<double>(n))));
      assigned += counts.back();
    }
    for (size_t i = 0; assigned + i < n; ++i)
      ++counts[i % counts.size()];
  } else {
    for (size_t i = 0; i < lengths.size(); ++i) {
      if (!(lengths[i] >= 0) || lengths[i] != std::floor(lengths[i]) ||
          lengths[i] > static_cast<double>(n))
        throw Error("random_split: length " + std::to_string(i) + " is " +
                    number(lengths[i]) +
                    "; lengths are whole counts summing to the dataset's "
                    "size, or fractions summing to 1");
      counts.push_back(static_cast<size_t>(lengths[i]));
    }
    if (sum != static_cast<double>(n))
      throw Error("random_split: the lengths sum to " + number(sum) +
                  " but the dataset has " + std::to_string(n) +
                  " samples; counts must sum to the size, fractions to 1");
  }
  std::vector<size_t> order = permutation(n, seed, 0);
  std::vector<Subset> splits;
  auto next = order.begin();
  for (size_t count : counts) {
    auto end = next + static_cast<std::ptrdiff_t>(count);
    splits.emplace_back(dataset, std::vector<size_t>(next, end));
    next = end;
  }
  return splits;
}

//===----------------------------------------------------------------------===//
// Transforms
//===----------------------------------------------------------------------===//

namespace transforms {

Normalize::Normalize(std::vector<double> mean, std::vector<double> std)
    : mean_(std::move(mean)), std_(std::move(std)) {
  if (mean_.empty() || mean_.size() != std_.size())
    throw Error("Normalize: needs one mean and one std per channel, got " +
                std::to_string(mean_.size()) + " means and " +
                std::to_string(std_.size()) + " stds");
  for (size_t c = 0; c < std_.size(); ++c)
    if (std_[c] == 0 || !std::isfinite(std_[c]) || !std::isfinite(mean_[c]))
      throw Error("Normalize: channel " + std::to_string(c) + " has mean " +
                  number(mean_[c]) + " and std " + number(std_[c]) +
                  "; both must be finite and the std non-zero");
}

namespace {
template <typename T>
void normalizeInto(const T *in, T *out, size_t channels, size_t perChannel,
                   const std::vector<double> &mean,
                   const std::vector<double> &std) {
  for (size_t c = 0; c < channels; ++c) {
    // In the tensor's precision, as torchvision's (x - mean) / std is.
    T m = static_cast<T>(mean[mean.size() == 1 ? 0 : c]);
    T s = static_cast<T>(std[std.size() == 1 ? 0 : c]);
    for (size_t i = c * perChannel; i < (c + 1) * perChannel; ++i)
      out[i] = (in[i] - m) / s;
  }
}
} // namespace

Tensor Normalize::operator()(const Tensor &input) const {
  if (!input.defined())
    throw Error("Normalize: the input is undefined");
  if (input.dtype() != kFloat32 && input.dtype() != kFloat64)
    throw Error("Normalize: the input is " + describe(input) +
                "; it must be float32 or float64");
  size_t channels = mean_.size();
  if (channels > 1 &&
      (input.dim() == 0 || static_cast<size_t>(input.size(0)) != channels))
    throw Error("Normalize: " + std::to_string(channels) +
                " means and stds, but the input " + describe(input) +
                " does not have " + std::to_string(channels) +
                " channels along its first dimension");
  size_t numel = static_cast<size_t>(input.numel());
  if (channels == 1)
    channels = numel ? 1 : 0;
  size_t perChannel = channels ? numel / channels : 0;
  Tensor out = uninitialized(input.sizes(), input.dtype());
  if (input.dtype() == kFloat32)
    normalizeInto(input.data_ptr<float>(), out.data_ptr<float>(), channels,
                  perChannel, mean_, std_);
  else
    normalizeInto(input.data_ptr<double>(), out.data_ptr<double>(), channels,
                  perChannel, mean_, std_);
  return out;
}

Lambda::Lambda(TensorTransform fn) : fn_(std::move(fn)) {
  if (!fn_)
    throw Error("Lambda: the function is empty");
}

Compose::Compose(std::vector<TensorTransform> transforms)
    : transforms_(std::move(transforms)) {
  for (size_t i = 0; i < transforms_.size(); ++i)
    if (!transforms_[i])
      throw Error("Compose: transform " + std::to_string(i) + " is empty");
}

Tensor Compose::operator()(Tensor input) const {
  for (const TensorTransform &transform : transforms_)
    input = transform(std::move(input));
  return input;
}

Tensor ToTensor::operator()(const Tensor &input) const {
  if (!input.defined())
    throw Error("ToTensor: the input is undefined");
  if (input.dtype() != kInt32 || (input.dim() != 2 && input.dim() != 3))
    throw Error("ToTensor: the input is " + describe(input) +
                "; it takes an int32 [H, W, C] or [H, W] image of values "
                "0..255, as load_image gives");
  int64_t h = input.size(0), w = input.size(1);
  int64_t c = input.dim() == 3 ? input.size(2) : 1;
  Tensor out = uninitialized({c, h, w}, kFloat32);
  const int32_t *in = input.data_ptr<int32_t>();
  float *dst = out.data_ptr<float>();
  size_t hw = static_cast<size_t>(h * w), channels = static_cast<size_t>(c);
  for (size_t p = 0; p < hw; ++p)
    for (size_t ch = 0; ch < channels; ++ch) {
      int32_t v = in[p * channels + ch];
      if (v < 0 || v > 255)
        throw Error("ToTensor: value " + std::to_string(v) + " at pixel " +
                    std::to_string(p) + ", channel " + std::to_string(ch) +
                    " is outside 0..255");
      dst[ch * hw + p] = static_cast<float>(v) / 255.0f;
    }
  return out;
}

RandomCrop::RandomCrop(ImageSize size, int64_t padding, bool pad_if_needed,
                       double fill, PaddingMode padding_mode)
    : size_(size), padding_(padding), padIfNeeded_(pad_if_needed), fill_(fill),
      mode_(padding_mode) {
  checkSize(size_, "RandomCrop");
  if (padding_ < 0)
    throw Error("RandomCrop: padding must be non-negative, got " +
                std::to_string(padding_));
}

Tensor RandomCrop::operator()(const Tensor &input) const {
  Geometry g = imageGeometry(input, "RandomCrop");
  // The padded image: `padding` on every side, then, with pad_if_needed,
  // what is still missing on both sides of a dimension (torchvision pads
  // each side by the whole shortfall).
  auto H = static_cast<int64_t>(g.height), W = static_cast<int64_t>(g.width);
  int64_t top = padding_, left = padding_;
  int64_t paddedH = H + 2 * padding_, paddedW = W + 2 * padding_;
  if (padIfNeeded_ && paddedH < size_.height) {
    int64_t more = size_.height - paddedH;
    top += more;
    paddedH += 2 * more;
  }
  if (padIfNeeded_ && paddedW < size_.width) {
    int64_t more = size_.width - paddedW;
    left += more;
    paddedW += 2 * more;
  }
  if (paddedH < size_.height || paddedW < size_.width)
    throw Error("RandomCrop: the crop " + std::to_string(size_.height) + "x" +
                std::to_string(size_.width) + " is larger than the " +
                (padding_ ? "padded " : "") + "image " +
                std::to_string(paddedH) + "x" + std::to_string(paddedW) +
                " (pass pad_if_needed to pad it)");
  int64_t i = 0, j = 0;
  if (paddedH != size_.height || paddedW != size_.width) {
    std::mt19937_64 &gen = sample_generator();
    i = static_cast<int64_t>(
        uniformBelow(gen, static_cast<uint64_t>(paddedH - size_.height + 1)));
    j = static_cast<int64_t>(
        uniformBelow(gen, static_cast<uint64_t>(paddedW - size_.width + 1)));
  }
  return window(input, g, i - top, j - left, size_.height, size_.width, fill_,
                mode_);
}

RandomHorizontalFlip::RandomHorizontalFlip(double p) : p_(p) {
  if (!(p >= 0 && p <= 1))
    throw Error("RandomHorizontalFlip: p must lie in [0, 1], got " + number(p));
}

Tensor RandomHorizontalFlip::operator()(const Tensor &input) const {
  Geometry g = imageGeometry(input, "RandomHorizontalFlip");
  // One draw per sample, flipped or not, as torch.rand(1) < p.
  if (!(uniformUnit(sample_generator()) < p_))
    return input;
  Tensor out = uninitialized(input.sizes(), input.dtype());
  dispatchImage(input.dtype(), [&]<typename T>(T) {
    const T *in = static_cast<const T *>(input.data_ptr());
    T *dst = static_cast<T *>(out.data_ptr());
    for (size_t row = 0; row < g.planes * g.height; ++row)
      std::reverse_copy(in + row * g.width, in + (row + 1) * g.width,
                        dst + row * g.width);
  });
  return out;
}

CenterCrop::CenterCrop(ImageSize size) : size_(size) {
  checkSize(size_, "CenterCrop");
}

Tensor CenterCrop::operator()(const Tensor &input) const {
  Geometry g = imageGeometry(input, "CenterCrop");
  // torchvision's int(round((H - h) / 2.0)), Python rounding halves to
  // even; a crop larger than the image pads it first, (h - H) // 2 before
  // and the rest after.
  auto offset = [](int64_t image, int64_t crop) {
    if (crop > image)
      return -((crop - image) / 2);
    return static_cast<int64_t>(
        std::nearbyint(static_cast<double>(image - crop) / 2.0));
  };
  int64_t top = offset(static_cast<int64_t>(g.height), size_.height);
  int64_t left = offset(static_cast<int64_t>(g.width), size_.width);
  return window(input, g, top, left, size_.height, size_.width, 0,
                PaddingMode::Constant);
}

Resize::Resize(int64_t size) : size_(size), smallerEdge_(true) {
  checkSize(size_, "Resize");
}

Resize::Resize(ImageSize size) : size_(size), smallerEdge_(false) {
  checkSize(size_, "Resize");
}

Tensor Resize::operator()(const Tensor &input) const {
  Geometry g = imageGeometry(input, "Resize");
  if (g.height == 0 || g.width == 0)
    throw Error("Resize: cannot resize the empty image " + describe(input));
  auto H = static_cast<int64_t>(g.height), W = static_cast<int64_t>(g.width);
  int64_t h = size_.height, w = size_.width;
  if (smallerEdge_) {
    int64_t shortSide = std::min(H, W), longSide = std::max(H, W);
    int64_t newLong = size_.height * longSide / shortSide;
    h = H <= W ? size_.height : newLong;
    w = H <= W ? newLong : size_.height;
  }
  // For each output row (column): the two input rows it blends and the
  // weight of the second, from pixel centre to pixel centre.
  struct Tap {
    int64_t first, second;
    double weight;
  };
  auto taps = [](int64_t in, int64_t out) {
    std::vector<Tap> result(static_cast<size_t>(out));
    double scale = static_cast<double>(in) / static_cast<double>(out);
    for (int64_t o = 0; o < out; ++o) {
      double src = std::max(0.0, (static_cast<double>(o) + 0.5) * scale - 0.5);
      auto first = std::min(static_cast<int64_t>(src), in - 1);
      int64_t second = std::min(first + 1, in - 1);
      result[static_cast<size_t>(o)] = {first, second,
                                        src - static_cast<double>(first)};
    }
    return result;
  };
  std::vector<Tap> rows = taps(H, h), cols = taps(W, w);
  Tensor out =
      uninitialized(withHeightWidth(input.sizes(), h, w), input.dtype());
  dispatchImage(input.dtype(), [&]<typename T>(T) {
    const T *in = static_cast<const T *>(input.data_ptr());
    T *dst = static_cast<T *>(out.data_ptr());
    for (size_t p = 0; p < g.planes; ++p) {
      const T *plane = in + p * g.height * g.width;
      for (const Tap &r : rows)
        for (const Tap &c : cols) {
          auto at = [&](int64_t y, int64_t x) {
            return static_cast<double>(plane[y * W + x]);
          };
          double top = at(r.first, c.first) * (1 - c.weight) +
                       at(r.first, c.second) * c.weight;
          double bottom = at(r.second, c.first) * (1 - c.weight) +
                          at(r.second, c.second) * c.weight;
          double v = top * (1 - r.weight) + bottom * r.weight;
          if constexpr (std::is_integral_v<T>)
            *dst++ = static_cast<T>(std::lround(v));
          else
            *dst++ = static_cast<T>(v);
        }
    }
  });
  return out;
}

} // namespace transforms

MapDataset::MapDataset(std::shared_ptr<Dataset<Example>> dataset,
                       transforms::TensorTransform transform,
                       transforms::TensorTransform target_transform)
    : dataset_(std::move(dataset)), transform_(std::move(transform)),
      targetTransform_(std::move(target_transform)) {
  if (!dataset_)
    throw Error("MapDataset: the dataset is null");
}

Example MapDataset::get(size_t index) {
  Example example = dataset_->get(index);
  if (targetTransform_ && !example.target.defined())
    throw Error("MapDataset: sample " + std::to_string(index) +
                " has no target for the target transform");
  const char *what = "transform";
  try {
    if (transform_)
      example.data = transform_(std::move(example.data));
    what = "target transform";
    if (targetTransform_)
      example.target = targetTransform_(std::move(example.target));
  } catch (const std::exception &e) {
    throw Error("MapDataset: the " + std::string(what) + " of sample " +
                std::to_string(index) + " failed: " + e.what());
  }
  return example;
}

//===----------------------------------------------------------------------===//
// CSV files
//===----------------------------------------------------------------------===//

CSVDataset::CSVDataset(const std::string &path, int64_t target_column,
                       bool has_header, char delimiter,
                       ScalarType target_dtype) {
  load(path, target_column, nullptr, has_header, delimiter, target_dtype);
}

CSVDataset::CSVDataset(const std::string &path,
                       const std::string &target_column, char delimiter,
                       ScalarType target_dtype) {
  load(path, 0, &target_column, true, delimiter, target_dtype);
}

void CSVDataset::load(const std::string &path, int64_t targetIndex,
                      const std::string *targetName, bool hasHeader,
                      char delimiter, ScalarType targetDtype) {
  const std::string who = "CSVDataset: ";
  if (targetDtype != kInt64 && targetDtype != kFloat32 &&
      targetDtype != kFloat64)
    throw Error(who +
                "target_dtype must be kInt64, kFloat32 or kFloat64, "
                "got " +
                std::string(dtype_name(targetDtype)));
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
    throw Error(who + "the delimiter cannot be a quote or a line break");
  std::ifstream in(path);
  if (!in)
    throw Error(who + "cannot open " + path + ": " + std::strerror(errno));

  std::string line;
  size_t lineNumber = 0, columns = 0, target = 0;
  bool sawFirst = false;
  std::vector<std::string> header;
  std::vector<float> features;
  std::vector<int64_t> intTargets;
  std::vector<double> floatTargets;
  auto where = [&] {
    return who + path + ":" + std::to_string(lineNumber) + ": ";
  };
  auto columnName = [&](size_t c) {
    std::string name = "column " + std::to_string(c);
    return header.empty() ? name : name + " ('" + header[c] + "')";
  };
  while (std::getline(in, line)) {
    ++lineNumber;
    if (lineNumber == 1 && line.starts_with("\xef\xbb\xbf"))
      line.erase(0, 3); // a UTF-8 byte-order mark is no part of the data
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (trim(line).empty())
      continue;
    std::vector<std::string_view> cells = splitCells(line, delimiter, where());
    if (!sawFirst) {
      sawFirst = true;
      columns = cells.size();
      if (hasHeader)
        header.assign(cells.begin(), cells.end());
      if (targetName) {
        auto it = std::find(header.begin(), header.end(), *targetName);
        if (it == header.end()) {
          std::string names;
          for (const std::string &name : header)
            names += (names.empty() ? "'" : ", '") + name + "'";
          throw Error(where() + "no column is named '" + *targetName +
                      "'; the header has " + names);
        }
        target = static_cast<size_t>(it - header.begin());
      } else {
        int64_t resolved = targetIndex < 0
                               ? targetIndex + static_cast<int64_t>(columns)
                               : targetIndex;
        if (resolved < 0 || resolved >= static_cast<int64_t>(columns))
          throw Error(where() + "target_column " + std::to_string(targetIndex) +
                      " is out of range for " + std::to_string(columns) +
                      " columns");
        target = static_cast<size_t>(resolved);
      }
      for (size_t c = 0; c < header.size(); ++c)
        if (c != target)
          names_.push_back(header[c]);
      if (hasHeader)
        continue;
    }
    if (cells.size() != columns)
      throw Error(where() + "the row has " + std::to_string(cells.size()) +
                  " cells but " + (hasHeader ? "the header" : "the first row") +
                  " has " + std::to_string(columns));
    for (size_t c = 0; c < columns; ++c) {
      std::string_view cell = cells[c];
      auto notNumber = [&](std::string_view expected) {
        return Error(where() + columnName(c) + ": '" + std::string(cell) +
                     "' is not " + std::string(expected));
      };
      if (c != target) {
        std::optional<double> value = parseNumber<double>(cell);
        if (!value)
          throw notNumber("a number");
        features.push_back(static_cast<float>(*value));
      } else if (targetDtype == kInt64) {
        std::optional<int64_t> value = parseNumber<int64_t>(cell);
        if (!value) { // "3.0" and "1e2" are whole numbers too
          std::optional<double> real = parseNumber<double>(cell);
          if (!real || *real != std::floor(*real) || std::abs(*real) > 0x1p62)
            throw notNumber("a whole number (the target is int64; pass "
                            "kFloat32 or kFloat64 as target_dtype for "
                            "real-valued targets)");
          value = static_cast<int64_t>(*real);
        }
        intTargets.push_back(*value);
      } else {
        std::optional<double> value = parseNumber<double>(cell);
        if (!value)
          throw notNumber("a number");
        floatTargets.push_back(*value);
      }
    }
  }
  if (in.bad())
    throw Error(who + "reading " + path + " failed after line " +
                std::to_string(lineNumber));
  if (!sawFirst)
    throw Error(who + path + " is empty" +
                (hasHeader ? ": there is not even a header" : ""));

  auto rows = static_cast<int64_t>(intTargets.size() + floatTargets.size());
  features_ =
      uninitialized({rows, static_cast<int64_t>(columns - 1)}, kFloat32);
  if (!features.empty())
    std::memcpy(features_.data_ptr(), features.data(),
                features.size() * sizeof(float));
  targets_ = uninitialized({rows}, targetDtype);
  if (targetDtype == kInt64) {
    if (!intTargets.empty())
      std::memcpy(targets_.data_ptr(), intTargets.data(),
                  intTargets.size() * sizeof(int64_t));
  } else if (targetDtype == kFloat32) {
    auto *out = targets_.data_ptr<float>();
    for (size_t i = 0; i < floatTargets.size(); ++i)
      out[i] = static_cast<float>(floatTargets[i]);
  } else if (!floatTargets.empty()) {
    std::memcpy(targets_.data_ptr(), floatTargets.data(),
                floatTargets.size() * sizeof(double));
  }
}

Example CSVDataset::get(size_t index) {
  if (index >= size())
    outOfRange("CSVDataset", index, size());
  return {copyRow(features_, index), copyRow(targets_, index)};
}

//===----------------------------------------------------------------------===//
// Streams of shard files
//===----------------------------------------------------------------------===//

namespace {

/// A record file read one record at a time (byte_record_reader).
class RecordStream : public ExampleStream {
public:
  RecordStream(const std::string &path, const Shape &shape, size_t pixels)
      : path_(path), shape_(shape) {
    // The file holds at least one whole record, checked before the record's
    // buffer is allocated: a record cannot be larger than the file.
    records_ = recordFileSize("byte_record_reader", path, 1 + pixels,
                              "record (a label byte and " +
                                  std::to_string(pixels) + " pixel bytes)") /
               (1 + pixels);
    try {
      record_.resize(1 + pixels);
    } catch (const std::bad_alloc &) {
      throw Error("byte_record_reader: " + path + ": cannot allocate a " +
                  std::to_string(1 + pixels) + "-byte record");
    }
    file_ = openFile("byte_record_reader", path);
  }

  std::optional<Example> next() override {
    if (read_ == records_)
      return std::nullopt;
    readExactly(file_.get(), record_.data(), record_.size(),
                "byte_record_reader", path_, read_ * record_.size());
    ++read_;
    Example example{uninitialized(shape_, kFloat32), uninitialized({}, kInt64)};
    float *dst = example.data.data_ptr<float>();
    for (size_t i = 1; i < record_.size(); ++i)
      dst[i - 1] = static_cast<float>(record_[i]) / 255.0f;
    *example.target.data_ptr<int64_t>() = record_[0];
    return example;
  }

private:
  std::string path_;
  Shape shape_;
  std::vector<unsigned char> record_;
  FilePtr file_;
  uint64_t records_ = 0;
  uint64_t read_ = 0;
};

/// One shard of a StreamingDataset: its reader's samples through the
/// shuffle buffer, then the transforms.
class ShardStream : public ExampleStream {
public:
  ShardStream(std::string path, std::unique_ptr<ExampleStream> inner,
              size_t bufferSize, std::mt19937_64 gen,
              const StreamingDatasetOptions &options)
      : path_(std::move(path)), inner_(std::move(inner)),
        bufferSize_(bufferSize), gen_(gen), options_(options) {}

  std::optional<Example> next() override {
    std::optional<Example> example;
    try {
      example = bufferSize_ <= 1 ? inner_->next() : fromBuffer();
    } catch (const std::exception &e) {
      throw Error("StreamingDataset: shard " + path_ + ": " + e.what());
    }
    if (!example)
      return example;
    return applyTransforms(std::move(*example),
                           "StreamingDataset: shard " + path_, emitted_++, "",
                           options_.transform, options_.target_transform);
  }

private:
  /// Fills the buffer, then hands out a random one of its samples; the
  /// next call refills its place.
  std::optional<Example> fromBuffer() {
    while (!exhausted_ && buffer_.size() < bufferSize_) {
      std::optional<Example> read = inner_->next();
      if (!read)
        exhausted_ = true;
      else
        buffer_.push_back(std::move(*read));
    }
    if (buffer_.empty())
      return std::nullopt;
    size_t pick = static_cast<size_t>(uniformBelow(gen_, buffer_.size()));
    std::swap(buffer_[pick], buffer_.back());
    Example out = std::move(buffer_.back());
    buffer_.pop_back();
    return out;
  }

  std::string path_;
  std::unique_ptr<ExampleStream> inner_;
  size_t bufferSize_;
  std::mt19937_64 gen_;
  StreamingDatasetOptions options_;
  std::vector<Example> buffer_;
  bool exhausted_ = false;
  size_t emitted_ = 0;
};

} // namespace

ShardReader byte_record_reader(std::vector<int64_t> shape) {
  // A record is a label byte and the pixels, each read into a float: the
  // product of the sizes is checked so that neither count wraps.
  size_t pixels = 1;
  for (int64_t d : shape) {
    if (d <= 0)
      throw Error("byte_record_reader: the image shape " + shapeString(shape) +
                  " must have positive dimensions");
    if (__builtin_mul_overflow(pixels, static_cast<size_t>(d), &pixels) ||
        pixels > (size_t(INT64_MAX) - 1) / sizeof(float))
      throw Error("byte_record_reader: the image shape " + shapeString(shape) +
                  " has more elements than can be allocated");
  }
  return [shape = Shape(shape), pixels](const std::string &path) {
    return std::unique_ptr<ExampleStream>(
        std::make_unique<RecordStream>(path, shape, pixels));
  };
}

StreamingDataset::StreamingDataset(std::vector<std::string> shards,
                                   ShardReader reader,
                                   StreamingDatasetOptions options)
    : shards_(std::move(shards)), reader_(std::move(reader)),
      options_(std::move(options)) {
  if (shards_.empty())
    throw Error("StreamingDataset: no shards to read");
  if (!reader_)
    throw Error("StreamingDataset: the shard reader is empty");
}

std::vector<size_t> StreamingDataset::parts(uint64_t epoch) const {
  if (options_.shuffle)
    return permutation(shards_.size(), options_.seed, epoch);
  std::vector<size_t> order(shards_.size());
  std::iota(order.begin(), order.end(), size_t(0));
  return order;
}

std::unique_ptr<ExampleStream> StreamingDataset::open(size_t part,
                                                      uint64_t epoch) const {
  if (part >= shards_.size())
    throw Error("StreamingDataset: part " + std::to_string(part) +
                " is out of range for " + std::to_string(shards_.size()) +
                " shards");
  std::unique_ptr<ExampleStream> inner;
  try {
    inner = reader_(shards_[part]);
  } catch (const std::exception &e) {
    throw Error("StreamingDataset: shard " + shards_[part] + ": " + e.what());
  }
  if (!inner)
    throw Error("StreamingDataset: the reader returned no stream for " +
                shards_[part]);
  return std::make_unique<ShardStream>(
      shards_[part], std::move(inner),
      options_.shuffle ? options_.buffer_size : 1,
      generator(options_.seed, epoch, part), options_);
}

//===----------------------------------------------------------------------===//
// Samplers, collation and the DataLoader
//===----------------------------------------------------------------------===//

std::vector<size_t> SequentialSampler::indices(uint64_t) const {
  std::vector<size_t> indices(size_);
  for (size_t i = 0; i < size_; ++i)
    indices[i] = i;
  return indices;
}

RandomSampler::RandomSampler(size_t size, uint64_t seed, bool replacement,
                             std::optional<size_t> num_samples)
    : size_(size), seed_(seed), replacement_(replacement),
      numSamples_(num_samples.value_or(size)) {
  if (num_samples && *num_samples == 0)
    throw Error("RandomSampler: num_samples must be positive, got 0");
  if (num_samples && size == 0)
    throw Error("RandomSampler: cannot draw " + std::to_string(*num_samples) +
                " samples from an empty dataset");
}

std::vector<size_t> RandomSampler::indices(uint64_t epoch) const {
  std::mt19937_64 gen = generator(seed_, epoch);
  std::vector<size_t> out;
  out.reserve(numSamples_);
  if (replacement_) {
    for (size_t i = 0; i < numSamples_; ++i)
      out.push_back(static_cast<size_t>(uniformBelow(gen, size_)));
    return out;
  }
  // Whole permutations while they fit, then the start of one more.
  std::vector<size_t> perm(size_);
  while (out.size() < numSamples_) {
    std::iota(perm.begin(), perm.end(), size_t(0));
    shuffle(perm, gen);
    size_t take = std::min(size_, numSamples_ - out.size());
    out.insert(out.end(), perm.begin(),
               perm.begin() + static_cast<std::ptrdiff_t>(take));
  }
  return out;
}

std::vector<size_t> SubsetRandomSampler::indices(uint64_t epoch) const {
  std::mt19937_64 gen = generator(seed_, epoch);
  std::vector<size_t> out = indices_;
  shuffle(out, gen);
  return out;
}

WeightedRandomSampler::WeightedRandomSampler(std::vector<double> weights,
                                             size_t num_samples,
                                             bool replacement, uint64_t seed)
    : weights_(std::move(weights)), numSamples_(num_samples),
      replacement_(replacement), seed_(seed) {
  if (num_samples == 0)
    throw Error("WeightedRandomSampler: num_samples must be positive, got 0");
  size_t positive = 0;
  double sum = 0;
  for (size_t i = 0; i < weights_.size(); ++i) {
    sum += weights_[i];
    if (!std::isfinite(weights_[i]) || weights_[i] < 0)
      throw Error("WeightedRandomSampler: weight " + std::to_string(i) +
                  " is " + number(weights_[i]) +
                  "; weights must be finite and non-negative");
    positive += weights_[i] > 0;
  }
  if (positive == 0)
    throw Error("WeightedRandomSampler: the " +
                std::to_string(weights_.size()) +
                " weights sum to 0; at least one must be positive");
  if (!std::isfinite(sum))
    throw Error("WeightedRandomSampler: the weights sum to " + number(sum) +
                "; scale them down");
  if (!replacement && num_samples > positive)
    throw Error("WeightedRandomSampler: cannot draw " +
                std::to_string(num_samples) +
                " samples without replacement from " +
                std::to_string(positive) + " positive weights");
}

std::vector<size_t> WeightedRandomSampler::indices(uint64_t epoch) const {
  std::mt19937_64 gen = generator(seed_, epoch);
  std::vector<double> left = weights_;
  WeightTree tree(left);
  double total = tree.total();
  std::vector<size_t> out;
  out.reserve(numSamples_);
  for (size_t i = 0; i < numSamples_; ++i) {
    size_t drawn = tree.find(uniformUnit(gen) * total);
    if (drawn >= left.size() || !(left[drawn] > 0))
      drawn = nearestPositive(left, drawn);
    out.push_back(drawn);
    if (!replacement_) {
      tree.add(drawn, -left[drawn]);
      left[drawn] = 0;
      total = tree.total();
    }
  }
  return out;
}

DistributedSampler::DistributedSampler(size_t size, size_t num_replicas,
                                       size_t rank, bool shuffle, uint64_t seed,
                                       bool drop_last)
    : size_(size), numReplicas_(num_replicas), rank_(rank), shuffle_(shuffle),
      seed_(seed), dropLast_(drop_last) {
  if (num_replicas == 0)
    throw Error("DistributedSampler: num_replicas must be at least 1");
  if (rank >= num_replicas)
    throw Error("DistributedSampler: invalid rank " + std::to_string(rank) +
                ", rank should be in the interval [0, " +
                std::to_string(num_replicas - 1) + "]");
  // PyTorch: with drop_last, ceil((size - replicas) / replicas) when the
  // size does not divide evenly, which is floor(size / replicas).
  numSamples_ = drop_last ? size / num_replicas
                          : (size + num_replicas - 1) / num_replicas;
}

std::vector<size_t> DistributedSampler::indices(uint64_t epoch) const {
  uint64_t e = epoch_.value_or(epoch);
  std::vector<size_t> all;
  if (shuffle_) {
    all = permutation(size_, seed_, e);
  } else {
    all.resize(size_);
    std::iota(all.begin(), all.end(), size_t(0));
  }
  size_t total = numSamples_ * numReplicas_;
  if (all.size() < total && !all.empty()) {
    // Pad by repeating the start, as often as needed.
    size_t original = all.size();
    for (size_t i = 0; all.size() < total; ++i)
      all.push_back(all[i % original]);
  }
  all.resize(std::min(all.size(), total));
  std::vector<size_t> out;
  out.reserve(numSamples_);
  for (size_t i = rank_; i < all.size(); i += numReplicas_)
    out.push_back(all[i]);
  return out;
}

Example default_collate(std::vector<Example> samples) {
  if (samples.empty())
    throw Error("default_collate: no samples to collate");
  bool targets = samples[0].target.defined();
  for (size_t i = 1; i < samples.size(); ++i)
    if (samples[i].target.defined() != targets)
      throw Error("default_collate: sample " + std::to_string(i) +
                  " of the batch " + (targets ? "has no" : "has a") +
                  " target but sample 0 " + (targets ? "has one" : "has none"));
  Example batch;
  batch.data = stackMember(samples, &Example::data, "data");
  if (targets)
    batch.target = stackMember(samples, &Example::target, "target");
  return batch;
}

DataLoader::DataLoader(std::shared_ptr<Dataset<Example>> dataset,
                       DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(std::move(options)) {
  if (!dataset_)
    throw Error("DataLoader: the dataset is null");
  validate();
  if (options_.sampler)
    sampler_ = options_.sampler;
  else if (options_.shuffle)
    sampler_ = std::make_shared<RandomSampler>(dataset_->size(), seed_);
  else
    sampler_ = std::make_shared<SequentialSampler>(dataset_->size());
}

DataLoader::DataLoader(std::shared_ptr<IterableDataset> dataset,
                       DataLoaderOptions options)
    : stream_(std::move(dataset)), options_(std::move(options)) {
  if (!stream_)
    throw Error("DataLoader: the dataset is null");
  if (options_.sampler || options_.shuffle)
    throw Error("DataLoader: an iterable dataset orders its samples itself; "
                "the sampler and shuffle options must be unset");
  validate();
}

void DataLoader::validate() {
  if (options_.batch_size == 0)
    throw Error("DataLoader: batch_size must be at least 1");
  if (options_.num_workers > 0 && options_.prefetch_factor == 0)
    throw Error("DataLoader: prefetch_factor must be at least 1 with "
                "num_workers > 0");
  if (options_.sampler && options_.shuffle)
    throw Error("DataLoader: the sampler option is mutually exclusive with "
                "shuffle");
  if (options_.persistent_workers && options_.num_workers == 0)
    throw Error("DataLoader: persistent_workers needs num_workers > 0");
  seed_ = options_.seed ? *options_.seed : kiln::detail::drawSeed();
}

size_t DataLoader::size() const {
  if (stream_)
    throw Error("DataLoader: an iterable dataset has no length; count the "
                "batches as they come");
  size_t n = sampler_->size(), batch = options_.batch_size;
  return options_.drop_last ? n / batch : n / batch + (n % batch != 0);
}

Dataset<Example> &DataLoader::dataset() const {
  if (!dataset_)
    throw Error("DataLoader: dataset() is for map-style datasets; this "
                "loader reads an iterable one");
  return *dataset_;
}

const Sampler &DataLoader::sampler() const {
  if (!sampler_)
    throw Error("DataLoader: a loader of an iterable dataset has no sampler");
  return *sampler_;
}

DataLoader::Iterator DataLoader::begin() {
  std::shared_ptr<kiln::detail::WorkerPool> pool;
  if (options_.persistent_workers) {
    // One epoch at a time on the pool: a new one ends the one before.
    if (auto previous = workers_.last.lock())
      previous->abandon();
    if (!workers_.pool)
      workers_.pool =
          std::make_shared<kiln::detail::WorkerPool>(options_.num_workers);
    pool = workers_.pool;
  }
  uint64_t epoch = epoch_++;
  size_t batch = options_.batch_size;
  CollateFn collate =
      options_.collate_fn ? options_.collate_fn : CollateFn(default_collate);
  std::shared_ptr<kiln::detail::LoaderEpoch> state;
  if (stream_) {
    std::vector<size_t> parts = stream_->parts(epoch);
    for (size_t part : parts)
      if (part >= stream_->num_parts())
        throw Error("DataLoader: the dataset's parts(" + std::to_string(epoch) +
                    ") lists part " + std::to_string(part) + " of " +
                    std::to_string(stream_->num_parts()));
    if (parts.empty())
      return end();
    state = std::make_shared<kiln::detail::StreamEpoch>(
        stream_, std::move(collate), std::move(parts), batch,
        options_.drop_last, options_.num_workers, options_.prefetch_factor,
        seed_, epoch, std::move(pool));
  } else {
    std::vector<size_t> indices = sampler_->indices(epoch);
    size_t batches = options_.drop_last ? indices.size() / batch
                                        : indices.size() / batch +
                                              (indices.size() % batch != 0);
    if (batches == 0)
      return end();
    state = std::make_shared<kiln::detail::MapEpoch>(
        dataset_, std::move(collate), std::move(indices), batch, batches,
        options_.num_workers, options_.prefetch_factor, seed_, epoch,
        std::move(pool));
  }
  if (options_.persistent_workers)
    workers_.last = state;
  if (!state->advance())
    return end();
  return Iterator(std::move(state));
}

Example &DataLoader::Iterator::operator*() const {
  if (!state_ || state_->finished())
    throw Error("DataLoader: dereferencing the end of an epoch");
  return state_->current();
}

DataLoader::Iterator &DataLoader::Iterator::operator++() {
  if (!state_ || state_->finished())
    throw Error("DataLoader: advancing past the end of an epoch");
  if (!state_->advance())
    state_.reset();
  return *this;
}

bool DataLoader::Iterator::operator==(const Iterator &other) const {
  auto atEnd = [](const auto &state) { return !state || state->finished(); };
  return state_ == other.state_ || (atEnd(state_) && atEnd(other.state_));
}

//===----------------------------------------------------------------------===//
// The progress bar
//===----------------------------------------------------------------------===//

namespace {
double nowSeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
} // namespace

ProgressBar::ProgressBar(size_t total, uint64_t epoch, std::ostream *out,
                         Mode mode, double min_interval)
    : total_(total), epoch_(epoch), out_(out ? out : &std::cout),
      enabled_(mode == Mode::On || (mode == Mode::Auto && out_ == &std::cout &&
                                    ::isatty(STDOUT_FILENO))),
      minInterval_(min_interval), start_(nowSeconds()) {}

ProgressBar::~ProgressBar() {
  try {
    close();
  } catch (...) { // a failing stream must not throw from a destructor
  }
}

void ProgressBar::update(size_t steps, std::optional<double> metric) {
  step_ += steps;
  if (metric)
    metric_ = metric;
  draw(total_ > 0 && step_ >= total_);
}

void ProgressBar::close() {
  if (closed_)
    return;
  if (enabled_) {
    draw(true);
    *out_ << '\n' << std::flush;
  }
  closed_ = true;
}

void ProgressBar::draw(bool force) {
  if (!enabled_ || closed_)
    return;
  double elapsed = nowSeconds() - start_;
  if (!force && lastDraw_ >= 0 && elapsed - lastDraw_ < minInterval_)
    return;
  lastDraw_ = elapsed;
  std::string line = render(elapsed);
  // Blanks over what a longer previous line left on the terminal.
  size_t width = line.size();
  if (width < lastWidth_)
    line.append(lastWidth_ - width, ' ');
  lastWidth_ = width;
  *out_ << '\r' << line << std::flush;
}

std::string ProgressBar::render(double elapsed) const {
  constexpr size_t kBarWidth = 20;
  char buffer[64];
  std::string line = "epoch " + std::to_string(epoch_);
  if (total_ > 0) {
    size_t filled = std::min(kBarWidth, step_ * kBarWidth / total_);
    line += "  [" + std::string(filled, '=');
    if (filled < kBarWidth)
      line += ">" + std::string(kBarWidth - filled - 1, ' ');
    line += "]  " + std::to_string(step_) + "/" + std::to_string(total_);
  } else {
    line += "  " + std::to_string(step_);
  }
  double rate = elapsed > 0 ? static_cast<double>(step_) / elapsed : 0;
  std::snprintf(buffer, sizeof buffer, "  %.1f it/s", rate);
  line += buffer;
  if (total_ > 0) {
    if (step_ >= total_)
      line += "  ETA 00:00:00";
    else if (rate > 0)
      line +=
          "  ETA " + formatDuration(static_cast<double>(total_ - step_) / rate);
    else
      line += "  ETA --:--:--";
  }
  if (metric_) {
    std::snprintf(buffer, sizeof buffer, "%.4f", *metric_);
    line += "  " + metricName_ + " " + buffer;
  }
  return line;
}

} // namespace data
} // namespace kiln
