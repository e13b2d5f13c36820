//===- Streams.h - Iterable datasets and shard files ------------*- C++ -*-===//
//
// IterableDataset, whose samples come as streams, and StreamingDataset,
// which reads them lazily from shard files.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_STREAMS_H
#define KILN_FRONTEND_DATA_STREAMS_H

#include "kiln/frontend/data/Dataset.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiln::data {

/// One part of an IterableDataset, read front to back.
class ExampleStream {
public:
  /// Streams are used through base pointers.
  virtual ~ExampleStream() = default;
  /// The next sample, or nullopt at the end of the part.
  virtual std::optional<Example<>> next() = 0;
};

/// An iterable-style dataset (PyTorch's `IterableDataset`): samples come as
/// streams rather than by index, so that data need never be held or indexed
/// in memory as a whole. An epoch is divided into parts (shard files, say),
/// each a stream whose content depends only on (part, epoch); a DataLoader
/// reads the parts in parts(epoch) order, and with workers reads several at
/// once, so its batches are the same for any num_workers. Sample `i` of part
/// `p` is read under SampleSeed(seed, epoch, p * 2^32 + i), so random
/// transforms in a stream are as reproducible as in a map-style dataset.
class IterableDataset {
public:
  /// Datasets are used through base pointers.
  virtual ~IterableDataset() = default;
  /// The number of parts; ids are 0 .. num_parts() - 1.
  virtual size_t num_parts() const = 0;
  /// The parts of epoch `epoch`, in reading order (a subset or a
  /// permutation of the ids).
  virtual std::vector<size_t> parts(uint64_t epoch) const = 0;
  /// A stream of part `part` in epoch `epoch`. Workers call it concurrently
  /// (each then reads its own stream), so it must be thread-safe.
  virtual std::unique_ptr<ExampleStream> open(size_t part,
                                              uint64_t epoch) const = 0;
};

/// Opens one shard file as a stream of samples, reading it lazily.
using ShardReader =
    std::function<std::unique_ptr<ExampleStream>(const std::string &path)>;

/// A ShardReader of fixed-size records, the CIFAR-10 binary format
/// generalised: each record is one label byte followed by the bytes of an
/// image of `shape` (e.g. {3, 32, 32}: CIFAR-10 batch files are shards as
/// they are). Samples are `{image float32 shape in [0, 1], label int64}`.
/// Records are read one at a time through a buffered file. A missing file,
/// or one whose size is not a multiple of the record size (checked when it
/// is opened), is a kiln::Error naming the path and the sizes.
ShardReader byte_record_reader(std::vector<int64_t> shape);

/// How a StreamingDataset orders its samples. An aggregate, for designated
/// initializers.
struct StreamingDatasetOptions {
  /// Whether each epoch reads the shards in a new random order and shuffles
  /// within each shard through a buffer.
  bool shuffle = false;
  /// Samples held by the within-shard shuffle buffer: a sample is drawn at
  /// random from the buffer and replaced by the next one read (WebDataset's
  /// and tf.data's shuffle buffer). Larger shuffles better, smaller holds
  /// less; 1 keeps the shard's order. Unused without shuffle.
  size_t buffer_size = 1000;
  /// The shuffles of epoch `e` derive from (seed, e) only.
  uint64_t seed = 0;
  /// Applied to each sample's input when it leaves the stream.
  transforms::TensorFunction transform = nullptr;
  /// Applied to each sample's target.
  transforms::TensorFunction target_transform = nullptr;
};

/// Samples streamed from shard files (WebDataset, torchdata's sharded
/// pipelines): a shard is opened only when its turn comes and read through
/// its reader, so memory holds at most the shuffle buffer per open shard
/// and the loader's prefetched samples, never the data set.
///
///     StreamingDataset train({"shard-0.bin", "shard-1.bin"},
///                            byte_record_reader({3, 32, 32}),
///                            {.shuffle = true, .buffer_size = 512});
///     DataLoader loader(train, {.batch_size = 64, .num_workers = 2});
class StreamingDataset : public IterableDataset {
public:
  /// Reads `shards` with `reader`. No shards, or an empty reader, is a
  /// kiln::Error; a shard that cannot be read fails when it is opened,
  /// naming it.
  StreamingDataset(std::vector<std::string> shards, ShardReader reader,
                   StreamingDatasetOptions options = {});

  /// The number of shards.
  size_t num_parts() const override { return shards_.size(); }
  /// The shards in order, or, with shuffle, permuted by (seed, epoch).
  std::vector<size_t> parts(uint64_t epoch) const override;
  /// Shard `part`'s samples, shuffled through the buffer with a generator
  /// of (seed, epoch, part), then transformed.
  std::unique_ptr<ExampleStream> open(size_t part,
                                      uint64_t epoch) const override;

  /// The shard paths.
  const std::vector<std::string> &shards() const { return shards_; }
  /// The options, as given.
  const StreamingDatasetOptions &options() const { return options_; }

private:
  std::vector<std::string> shards_;
  ShardReader reader_;
  StreamingDatasetOptions options_;
};

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_STREAMS_H
