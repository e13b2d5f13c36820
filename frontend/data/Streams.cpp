//===- Streams.cpp - Streams of shard files -------------------------------===//
//
// StreamingDataset, which opens each shard when its turn comes and shuffles
// it through a buffer, and byte_record_reader, which reads a record at a time.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/Streams.h"
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/runtime/Error.h"

#include <climits>
#include <new>
#include <numeric>
#include <random>

namespace kiln::data {

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

  std::optional<Example<>> next() override {
    if (read_ == records_)
      return std::nullopt;
    readExactly(file_.get(), record_.data(), record_.size(),
                "byte_record_reader", path_, read_ * record_.size());
    ++read_;
    Example<> example{uninitialized(shape_, kFloat32),
                      uninitialized({}, kInt64)};
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

  std::optional<Example<>> next() override {
    std::optional<Example<>> example;
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
  std::optional<Example<>> fromBuffer() {
    while (!exhausted_ && buffer_.size() < bufferSize_) {
      std::optional<Example<>> read = inner_->next();
      if (!read)
        exhausted_ = true;
      else
        buffer_.push_back(std::move(*read));
    }
    if (buffer_.empty())
      return std::nullopt;
    size_t pick = static_cast<size_t>(uniformBelow(gen_, buffer_.size()));
    std::swap(buffer_[pick], buffer_.back());
    Example<> out = std::move(buffer_.back());
    buffer_.pop_back();
    return out;
  }

  std::string path_;
  std::unique_ptr<ExampleStream> inner_;
  size_t bufferSize_;
  std::mt19937_64 gen_;
  StreamingDatasetOptions options_;
  std::vector<Example<>> buffer_;
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

} // namespace kiln::data
