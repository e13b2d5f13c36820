//===- Data.cpp - Datasets, IDX files, samplers and the DataLoader --------===//
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

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <random>
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
  // A gzip stream's length shows only as it decompresses: grow the buffer
  // with the data that arrives, so a corrupt header cannot make us allocate
  // what the stream does not hold.
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

std::vector<size_t> permutation(size_t n, uint64_t seed, uint64_t epoch) {
  // seed_seq and mt19937_64 are specified exactly by the standard, so the
  // same (seed, epoch) gives the same permutation everywhere.
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(epoch),
                    uint32_t(epoch >> 32)};
  std::mt19937_64 gen(seq);
  std::vector<size_t> indices(n);
  for (size_t i = 0; i < n; ++i)
    indices[i] = i;
  for (size_t i = n; i > 1; --i) // Fisher-Yates
    std::swap(indices[i - 1], indices[uniformBelow(gen, i)]);
  return indices;
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

} // namespace

//===----------------------------------------------------------------------===//
// The epoch of a DataLoader
//===----------------------------------------------------------------------===//

namespace detail {

/// One pass over the data: the batches' indices, the worker threads and the
/// batches they have loaded. It owns all it uses (dataset, collate function,
/// indices), so it outlives the DataLoader safely; its destructor stops and
/// joins the workers.
class LoaderEpoch {
public:
  LoaderEpoch(std::shared_ptr<data::Dataset<data::Example>> dataset,
              data::CollateFn collate, std::vector<size_t> indices,
              size_t batchSize, size_t numBatches, size_t numWorkers,
              size_t prefetchFactor)
      : dataset_(std::move(dataset)), collate_(std::move(collate)),
        indices_(std::move(indices)), batchSize_(batchSize),
        numBatches_(numBatches),
        window_(std::max<size_t>(1, numWorkers * prefetchFactor)) {
    size_t threads = std::min(numWorkers, numBatches_);
    try {
      for (size_t w = 0; w < threads; ++w)
        workers_.emplace_back(&LoaderEpoch::work, this, w);
    } catch (const std::system_error &e) {
      stop();
      throw Error(std::string("DataLoader: cannot start a worker thread: ") +
                  e.what());
    }
  }

  ~LoaderEpoch() { stop(); }

  LoaderEpoch(const LoaderEpoch &) = delete;
  LoaderEpoch &operator=(const LoaderEpoch &) = delete;

  /// Makes the next batch current; false once the epoch is over. A batch
  /// that failed to load throws here, in the iterating thread.
  bool advance() {
    if (next_ == numBatches_) {
      finished_ = true;
      current_ = {};
      return false;
    }
    size_t batch = next_++;
    Slot slot;
    if (workers_.empty()) {
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

  data::Example &current() { return current_; }
  bool finished() const { return finished_; }

private:
  /// A loaded batch, or why it could not be loaded.
  struct Slot {
    data::Example batch;
    std::string error;
  };

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    space_.notify_all();
    for (std::thread &worker : workers_)
      if (worker.joinable())
        worker.join();
  }

  /// Loads and collates batch `batch`. Exceptions become the slot's error:
  /// they must cross to the iterating thread, and the message names the
  /// sample so that a bad file or index can be found.
  Slot load(size_t batch, std::optional<size_t> worker) {
    std::string who = "DataLoader: ";
    if (worker)
      who += "worker " + std::to_string(*worker) + ": ";
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
        samples.push_back(dataset_->get(index));
      } catch (const std::exception &e) {
        slot.error = who + "loading sample " + std::to_string(index) +
                     " (batch " + std::to_string(batch) +
                     ") failed: " + e.what();
        return slot;
      } catch (...) {
        slot.error = who + "loading sample " + std::to_string(index) +
                     " (batch " + std::to_string(batch) +
                     ") failed with an unknown exception";
        return slot;
      }
    }
    try {
      slot.batch = collate_(std::move(samples));
    } catch (const std::exception &e) {
      slot.error = who + "collating batch " + std::to_string(batch) +
                   " (samples " + indexList(begin, end) +
                   ") failed: " + e.what();
    } catch (...) {
      slot.error = who + "collating batch " + std::to_string(batch) +
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
  void work(size_t worker) {
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
  data::Example current_;
  bool finished_ = false;

  std::mutex mutex_;
  std::condition_variable ready_; ///< a batch was filed in done_
  std::condition_variable space_; ///< the window moved, or stop
  std::map<size_t, Slot> done_;   ///< loaded, not yet taken
  size_t claimed_ = 0;            ///< batches handed to workers
  size_t consumed_ = 0;           ///< batches taken by advance()
  std::atomic<bool> stopping_ = false;
  std::vector<std::thread> workers_;
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
// Samplers, collation and the DataLoader
//===----------------------------------------------------------------------===//

std::vector<size_t> SequentialSampler::indices(uint64_t) const {
  std::vector<size_t> indices(size_);
  for (size_t i = 0; i < size_; ++i)
    indices[i] = i;
  return indices;
}

std::vector<size_t> RandomSampler::indices(uint64_t epoch) const {
  return permutation(size_, seed_, epoch);
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
  if (options_.batch_size == 0)
    throw Error("DataLoader: batch_size must be at least 1");
  if (options_.num_workers > 0 && options_.prefetch_factor == 0)
    throw Error("DataLoader: prefetch_factor must be at least 1 with "
                "num_workers > 0");
  if (options_.sampler && options_.shuffle)
    throw Error("DataLoader: the sampler option is mutually exclusive with "
                "shuffle");
  if (options_.sampler)
    sampler_ = options_.sampler;
  else if (options_.shuffle)
    sampler_ = std::make_shared<RandomSampler>(dataset_->size(), options_.seed);
  else
    sampler_ = std::make_shared<SequentialSampler>(dataset_->size());
}

size_t DataLoader::size() const {
  size_t n = sampler_->size(), batch = options_.batch_size;
  return options_.drop_last ? n / batch : n / batch + (n % batch != 0);
}

DataLoader::Iterator DataLoader::begin() {
  std::vector<size_t> indices = sampler_->indices(epoch_++);
  size_t batch = options_.batch_size;
  size_t batches = options_.drop_last
                       ? indices.size() / batch
                       : indices.size() / batch + (indices.size() % batch != 0);
  if (batches == 0)
    return end();
  CollateFn collate =
      options_.collate_fn ? options_.collate_fn : CollateFn(default_collate);
  auto state = std::make_shared<kiln::detail::LoaderEpoch>(
      dataset_, std::move(collate), std::move(indices), batch, batches,
      options_.num_workers, options_.prefetch_factor);
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

} // namespace data
} // namespace kiln
