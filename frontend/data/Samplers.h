//===- Samplers.h - Samplers ------------------------------------*- C++ -*-===//
//
// The samplers that order the indices of each epoch: sequential, random,
// subset, weighted and distributed; and LibTorch's stateful samplers
// (samplers::SequentialSampler, RandomSampler, StreamSampler and the
// distributed ones), which hand out one batch request at a time.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_SAMPLERS_H
#define KILN_FRONTEND_DATA_SAMPLERS_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace kiln::serialize {
class OutputArchive;
class InputArchive;
} // namespace kiln::serialize

namespace kiln::data {

/// Orders the dataset indices of each epoch (PyTorch's `Sampler`). Unlike
/// PyTorch's iterable samplers, an epoch's indices are a function of the
/// epoch number, which makes a shuffled run reproducible from its seed alone.
class Sampler {
public:
  /// Samplers are used through base pointers.
  virtual ~Sampler() = default;
  /// The indices of epoch `epoch` (counting from 0), in loading order.
  virtual std::vector<size_t> indices(uint64_t epoch) const = 0;
  /// How many indices each epoch has.
  virtual size_t size() const = 0;
};

/// 0, 1, ..., size - 1 in every epoch (PyTorch's `SequentialSampler`).
class SequentialSampler : public Sampler {
public:
  /// Samples `size` indices.
  explicit SequentialSampler(size_t size) : size_(size) {}
  /// 0, 1, ..., size() - 1, whatever the epoch.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices.
  size_t size() const override { return size_; }

private:
  size_t size_;
};

/// Random indices in 0..size - 1 (PyTorch's `RandomSampler`): by default a
/// random permutation per epoch. The draws of epoch `e` depend only on
/// (seed, e), the same on every platform.
class RandomSampler : public Sampler {
public:
  /// Draws `num_samples` indices (default `size`) below `size` from `seed`.
  /// Without replacement they are a permutation, or, as in PyTorch, when
  /// num_samples exceeds size, whole permutations followed by part of one.
  /// With replacement each is drawn uniformly and independently.
  /// num_samples 0, or drawing from size 0, is a kiln::Error.
  explicit RandomSampler(size_t size, uint64_t seed = 0,
                         bool replacement = false,
                         std::optional<size_t> num_samples = std::nullopt);
  /// The indices of epoch `epoch`.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices per epoch (num_samples).
  size_t size() const override { return numSamples_; }
  /// The seed the draws derive from.
  uint64_t seed() const { return seed_; }
  /// Whether indices are drawn with replacement.
  bool replacement() const { return replacement_; }

private:
  size_t size_;
  uint64_t seed_;
  bool replacement_;
  size_t numSamples_;
};

/// A random permutation of the given indices per epoch (PyTorch's
/// `SubsetRandomSampler`), e.g. to load a validation split of one dataset.
class SubsetRandomSampler : public Sampler {
public:
  /// Permutes `indices`, drawing from `seed`.
  explicit SubsetRandomSampler(std::vector<size_t> indices, uint64_t seed = 0)
      : indices_(std::move(indices)), seed_(seed) {}
  /// The permutation of epoch `epoch`.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices.
  size_t size() const override { return indices_.size(); }

private:
  std::vector<size_t> indices_;
  uint64_t seed_;
};

/// `num_samples` indices drawn with probability proportional to `weights`
/// (PyTorch's `WeightedRandomSampler`), e.g. to balance classes: index `i`
/// is drawn with probability weights[i] / sum(weights). Without replacement
/// each index is drawn at most once, from the weights of those not drawn
/// yet. The draws of epoch `e` depend only on (seed, e).
class WeightedRandomSampler : public Sampler {
public:
  /// Weights must be finite and non-negative with a positive, finite sum,
  /// and
  /// without replacement num_samples may not exceed the number of positive
  /// weights; otherwise, or for num_samples 0, a kiln::Error.
  WeightedRandomSampler(std::vector<double> weights, size_t num_samples,
                        bool replacement = true, uint64_t seed = 0);
  /// The draws of epoch `epoch`.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// num_samples.
  size_t size() const override { return numSamples_; }
  /// The weights, as given.
  const std::vector<double> &weights() const { return weights_; }

private:
  std::vector<double> weights_;
  size_t numSamples_;
  bool replacement_;
  uint64_t seed_;
};

/// The share of one process among `num_replicas` (PyTorch's
/// `DistributedSampler`): each epoch, the indices 0..size - 1 (permuted by
/// (seed, epoch) with shuffle) are padded by repeating their start, or with
/// drop_last cut, to a multiple of num_replicas, and replica `rank` takes
/// every num_replicas-th of them from position rank. The replicas thus get
/// equal, disjoint shares (disjoint but for the padding) that together
/// cover the data, and must all use the same seed.
class DistributedSampler : public Sampler {
public:
  /// Takes share `rank` of `num_replicas`: num_replicas 0 or rank >=
  /// num_replicas is a kiln::Error.
  DistributedSampler(size_t size, size_t num_replicas, size_t rank,
                     bool shuffle = true, uint64_t seed = 0,
                     bool drop_last = false);
  /// The share of epoch `epoch`, or of the epoch given to set_epoch once it
  /// has been called (as PyTorch users call it before each epoch).
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices per replica: ceil(size / num_replicas), or
  /// floor with drop_last.
  size_t size() const override { return numSamples_; }
  /// Fixes the epoch the shuffle uses, instead of the DataLoader's count.
  void set_epoch(uint64_t epoch) { epoch_ = epoch; }

private:
  size_t size_;
  size_t numReplicas_;
  size_t rank_;
  bool shuffle_;
  uint64_t seed_;
  bool dropLast_;
  size_t numSamples_;
  std::optional<uint64_t> epoch_;
};

/// LibTorch's samplers (`torch::data::samplers`): stateful, they hand out
/// the next batch request with next() until the epoch is over, and reset()
/// starts the next epoch. make_data_loader asks them for the batches.
namespace samplers {

namespace detail {
/// Throws the kiln::Error of a sampler that cannot `what` ("save"/"load").
[[noreturn]] void throwNotSerializable(const char *what);
} // namespace detail

/// Hands out the batch requests of an epoch (LibTorch's `Sampler`).
template <typename BatchRequest = std::vector<size_t>> class Sampler {
public:
  /// What next() returns.
  using BatchRequestType = BatchRequest;
  /// Samplers are used through base pointers too.
  virtual ~Sampler() = default;
  /// Starts a new epoch, over `new_size` indices when given.
  virtual void reset(std::optional<size_t> new_size) = 0;
  /// The next request of at most `batch_size` indices; nullopt once the
  /// epoch is over.
  virtual std::optional<BatchRequest> next(size_t batch_size) = 0;
  /// Writes where the epoch stands (`kiln::save(sampler, stream)`); Kiln's
  /// samplers override these, and a sampler of your own may.
  virtual void save(serialize::OutputArchive &archive) const {
    detail::throwNotSerializable("save");
  }
  /// Reads what save() wrote (`kiln::load(sampler, stream)`).
  virtual void load(serialize::InputArchive &archive) {
    detail::throwNotSerializable("load");
  }
};

/// 0, 1, ..., size - 1 (LibTorch's `SequentialSampler`).
class SequentialSampler : public Sampler<> {
public:
  /// Samples `size` indices.
  explicit SequentialSampler(size_t size) : size_(size) {}
  /// Back to index 0, over `new_size` indices when given.
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  /// The next `batch_size` indices or fewer; nullopt at the end.
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  void save(serialize::OutputArchive &archive) const override;
  void load(serialize::InputArchive &archive) override;
  /// How many indices this epoch has handed out.
  size_t index() const noexcept { return index_; }

private:
  size_t size_;
  size_t index_ = 0;
};

/// A new random permutation of 0..size - 1 each epoch (LibTorch's
/// `RandomSampler`), drawn from the global generator (kiln::manual_seed
/// makes it reproducible).
class RandomSampler : public Sampler<> {
public:
  /// Permutes `size` indices; a negative size is a kiln::Error.
  explicit RandomSampler(int64_t size);
  /// A new permutation, of `new_size` indices when given.
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  /// The next `batch_size` indices of the permutation or fewer; nullopt at
  /// the end.
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  void save(serialize::OutputArchive &archive) const override;
  void load(serialize::InputArchive &archive) override;
  /// How many indices this epoch has handed out.
  size_t index() const noexcept { return index_; }

private:
  std::vector<size_t> indices_;
  size_t index_ = 0;
};

/// A batch request that is only a count (LibTorch's `BatchSize`), what
/// StreamSampler hands to a dataset that reads a stream.
struct BatchSize {
  /// `size` examples.
  BatchSize(size_t size) : size_(size) {}
  /// The number of examples.
  size_t size() const noexcept { return size_; }
  /// The number of examples.
  operator size_t() const noexcept { return size_; }
  /// The number of examples.
  size_t size_;
};

/// Counts of examples adding up to `epoch_size` (LibTorch's
/// `StreamSampler`), for a BatchDataset whose requests are BatchSizes.
class StreamSampler : public Sampler<BatchSize> {
public:
  /// Hands out `epoch_size` examples per epoch.
  explicit StreamSampler(size_t epoch_size) : epochSize_(epoch_size) {}
  /// Starts again, with `new_size` examples when given.
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  /// min(batch_size, what is left); nullopt at the end.
  std::optional<BatchSize> next(size_t batch_size) override;
  void save(serialize::OutputArchive &archive) const override;
  void load(serialize::InputArchive &archive) override;

private:
  size_t epochSize_;
  size_t examplesSoFar_ = 0;
};

namespace detail {
/// Throws the kiln::Error of DistributedSampler for a bad num_replicas or
/// rank.
void checkReplicas(size_t num_replicas, size_t rank);
} // namespace detail

/// The share of one of `num_replicas` processes (LibTorch's
/// `DistributedSampler`): replica `rank` takes the rank-th of num_replicas
/// contiguous runs of the epoch's indices. With allow_duplicates each run
/// has ceil(size / num_replicas) indices, the last ones wrapping around to
/// the start, so that every replica has as many batches; without, it has
/// floor(size / num_replicas) and the rest are left out.
template <typename BatchRequest = std::vector<size_t>>
class DistributedSampler : public Sampler<BatchRequest> {
public:
  /// num_replicas 0, or rank >= num_replicas, is a kiln::Error.
  DistributedSampler(size_t size, size_t num_replicas = 1, size_t rank = 0,
                     bool allow_duplicates = true)
      : size_(size), num_replicas_(num_replicas), rank_(rank),
        allow_duplicates_(allow_duplicates) {
    detail::checkReplicas(num_replicas, rank);
  }
  /// The epoch the next reset() shuffles for; every replica must use the
  /// same one.
  void set_epoch(size_t epoch) { epoch_ = epoch; }
  /// The epoch set.
  size_t epoch() const { return epoch_; }

protected:
  /// The number of indices of each replica.
  size_t local_sample_count() const {
    return allow_duplicates_ ? (size_ + num_replicas_ - 1) / num_replicas_
                             : size_ / num_replicas_;
  }
  size_t size_;
  size_t num_replicas_;
  size_t rank_;
  size_t epoch_ = 0;
  bool allow_duplicates_;
};

/// This replica's share of a permutation of 0..size - 1 that depends only
/// on the epoch (LibTorch's `DistributedRandomSampler`): all replicas draw
/// the same permutation, so their shares do not overlap.
class DistributedRandomSampler : public DistributedSampler<> {
public:
  /// Takes share `rank` of `num_replicas`.
  DistributedRandomSampler(size_t size, size_t num_replicas = 1,
                           size_t rank = 0, bool allow_duplicates = true);
  /// The share of the epoch set, over `new_size` indices when given.
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  /// The next `batch_size` indices of the share or fewer; nullopt at the end.
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  void save(serialize::OutputArchive &archive) const override;
  void load(serialize::InputArchive &archive) override;
  /// How many indices this epoch has handed out.
  size_t index() const noexcept { return index_; }

private:
  std::vector<size_t> indices_;
  size_t index_ = 0;
};

/// This replica's contiguous share of 0..size - 1 (LibTorch's
/// `DistributedSequentialSampler`).
class DistributedSequentialSampler : public DistributedSampler<> {
public:
  /// Takes share `rank` of `num_replicas`.
  DistributedSequentialSampler(size_t size, size_t num_replicas = 1,
                               size_t rank = 0, bool allow_duplicates = true);
  /// Back to the start of the share, over `new_size` indices when given.
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  /// The next `batch_size` indices of the share or fewer; nullopt at the end.
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  void save(serialize::OutputArchive &archive) const override;
  void load(serialize::InputArchive &archive) override;
  /// How many indices this epoch has handed out.
  size_t index() const noexcept { return index_; }

private:
  std::vector<size_t> indices_;
  size_t index_ = 0;
};

} // namespace samplers

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_SAMPLERS_H
