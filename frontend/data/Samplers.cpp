//===- Samplers.cpp - Shuffling, per-sample seeds and samplers ------------===//
//
// Every random draw of the data pipeline: the generators of (seed, epoch),
// the per-sample generator of the random transforms, and the samplers.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/Samplers.h"
#include "kiln/frontend/Archive.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/data/BatchDataset.h"
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <random>

namespace kiln::data {

//===----------------------------------------------------------------------===//
// Shuffling
//===----------------------------------------------------------------------===//

uint64_t uniformBelow(std::mt19937_64 &gen, uint64_t bound) {
  uint64_t threshold = (0 - bound) % bound; // 2^64 mod bound
  while (true) {
    uint64_t r = gen();
    if (r >= threshold)
      return r % bound;
  }
}

std::mt19937_64 generator(uint64_t seed, uint64_t epoch) {
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(epoch),
                    uint32_t(epoch >> 32)};
  return std::mt19937_64(seq);
}

std::mt19937_64 generator(uint64_t seed, uint64_t epoch, uint64_t key) {
  std::seed_seq seq{uint32_t(seed),  uint32_t(seed >> 32),
                    uint32_t(epoch), uint32_t(epoch >> 32),
                    uint32_t(key),   uint32_t(key >> 32),
                    0x5eedu};
  return std::mt19937_64(seq);
}

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

namespace {

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

} // namespace

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
// Samplers
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

//===----------------------------------------------------------------------===//
// LibTorch's samplers
//===----------------------------------------------------------------------===//

void datasets::detail::throwNotSerializable(const char *what) {
  throw Error(std::string("this dataset cannot ") + what +
              " its state: override save(serialize::OutputArchive&) and "
              "load(serialize::InputArchive&) to make it");
}

namespace samplers {

namespace {
/// The next `batch_size` of `indices` from `index`, advancing it.
std::optional<std::vector<size_t>> nextOf(const std::vector<size_t> &indices,
                                          size_t &index, size_t batch_size,
                                          const char *who) {
  if (batch_size == 0)
    throw Error(std::string(who) + ": next() needs a batch size of at least 1");
  if (index >= indices.size())
    return std::nullopt;
  size_t end = std::min(indices.size(), index + batch_size);
  std::vector<size_t> batch(indices.begin() + index, indices.begin() + end);
  index = end;
  return batch;
}
} // namespace

void detail::throwNotSerializable(const char *what) {
  throw Error(std::string("this sampler cannot ") + what +
              " its state: override save(serialize::OutputArchive&) and "
              "load(serialize::InputArchive&) to make it");
}

namespace {
void writeCount(serialize::OutputArchive &archive, const std::string &key,
                size_t value) {
  archive.write(key, tensor({static_cast<int64_t>(value)}, kInt64),
                /*is_buffer=*/true);
}
void writeIndices(serialize::OutputArchive &archive, const std::string &key,
                  const std::vector<size_t> &indices) {
  archive.write(
      key, tensor(std::vector<int64_t>(indices.begin(), indices.end()), kInt64),
      /*is_buffer=*/true);
}
/// The non-negative integers saved under `key`; anything else is a
/// kiln::Error naming the key (a sampler file is data).
std::vector<size_t> readIndices(serialize::InputArchive &archive,
                                const std::string &key, const char *who) {
  Tensor t;
  archive.read(key, t, /*is_buffer=*/true);
  if (!is_integral(t.dtype()) || t.dim() != 1)
    throw Error(std::string(who) + ": the saved \"" + key +
                "\" must be a 1-d integer tensor, got " +
                std::string(dtype_name(t.dtype())) + " of " +
                std::to_string(t.dim()) + " dimensions");
  std::vector<size_t> out;
  for (int64_t v : t.to_vector<int64_t>()) {
    if (v < 0)
      throw Error(std::string(who) + ": the saved \"" + key +
                  "\" holds the negative value " + std::to_string(v));
    out.push_back(static_cast<size_t>(v));
  }
  return out;
}
size_t readCount(serialize::InputArchive &archive, const std::string &key,
                 const char *who) {
  std::vector<size_t> values = readIndices(archive, key, who);
  if (values.size() != 1)
    throw Error(std::string(who) + ": the saved \"" + key +
                "\" must hold one value, got " + std::to_string(values.size()));
  return values[0];
}
void checkPosition(size_t index, size_t size, const char *who) {
  if (index > size)
    throw Error(std::string(who) + ": the saved index " +
                std::to_string(index) + " is past the " + std::to_string(size) +
                " indices of the epoch");
}
} // namespace

void SequentialSampler::save(serialize::OutputArchive &archive) const {
  writeCount(archive, "index", index_);
}
void SequentialSampler::load(serialize::InputArchive &archive) {
  size_t index = readCount(archive, "index", "SequentialSampler");
  checkPosition(index, size_, "SequentialSampler");
  index_ = index;
}

void RandomSampler::save(serialize::OutputArchive &archive) const {
  writeCount(archive, "index", index_);
  writeIndices(archive, "indices", indices_);
}
/// Whether `indices` is a permutation of 0..n - 1 (a RandomSampler's
/// epoch); a saved file that is not one is a kiln::Error.
static void checkPermutation(const std::vector<size_t> &indices, size_t n,
                             const char *who) {
  std::vector<bool> seen(n, false);
  for (size_t i : indices) {
    if (i >= n || seen[i])
      throw Error(std::string(who) +
                  ": the saved indices are not a permutation of 0.." +
                  std::to_string(n) + " - 1 (" + std::to_string(i) +
                  (i >= n ? " is out of range)" : " appears twice)"));
    seen[i] = true;
  }
}

void RandomSampler::load(serialize::InputArchive &archive) {
  std::vector<size_t> indices =
      readIndices(archive, "indices", "RandomSampler");
  checkPermutation(indices, indices.size(), "RandomSampler");
  size_t index = readCount(archive, "index", "RandomSampler");
  checkPosition(index, indices.size(), "RandomSampler");
  indices_ = std::move(indices);
  index_ = index;
}

void StreamSampler::save(serialize::OutputArchive &archive) const {
  writeCount(archive, "examples_retrieved_so_far", examplesSoFar_);
  writeCount(archive, "epoch_size", epochSize_);
}
void StreamSampler::load(serialize::InputArchive &archive) {
  size_t size = readCount(archive, "epoch_size", "StreamSampler");
  size_t sofar =
      readCount(archive, "examples_retrieved_so_far", "StreamSampler");
  checkPosition(sofar, size, "StreamSampler");
  epochSize_ = size;
  examplesSoFar_ = sofar;
}

void SequentialSampler::reset(std::optional<size_t> new_size) {
  if (new_size)
    size_ = *new_size;
  index_ = 0;
}

std::optional<std::vector<size_t>> SequentialSampler::next(size_t batch_size) {
  if (batch_size == 0)
    throw Error("SequentialSampler: next() needs a batch size of at least 1");
  if (index_ >= size_)
    return std::nullopt;
  size_t end = std::min(size_, index_ + batch_size);
  std::vector<size_t> batch(end - index_);
  std::iota(batch.begin(), batch.end(), index_);
  index_ = end;
  return batch;
}

RandomSampler::RandomSampler(int64_t size) {
  if (size < 0)
    throw Error("RandomSampler: the size must not be negative, got " +
                std::to_string(size));
  reset(static_cast<size_t>(size));
}

void RandomSampler::reset(std::optional<size_t> new_size) {
  indices_ = permutation(new_size ? *new_size : indices_.size(),
                         kiln::detail::drawSeed(), 0);
  index_ = 0;
}

std::optional<std::vector<size_t>> RandomSampler::next(size_t batch_size) {
  return nextOf(indices_, index_, batch_size, "RandomSampler");
}

void StreamSampler::reset(std::optional<size_t> new_size) {
  if (new_size)
    epochSize_ = *new_size;
  examplesSoFar_ = 0;
}

std::optional<BatchSize> StreamSampler::next(size_t batch_size) {
  if (batch_size == 0)
    throw Error("StreamSampler: next() needs a batch size of at least 1");
  if (examplesSoFar_ >= epochSize_)
    return std::nullopt;
  size_t size = std::min(batch_size, epochSize_ - examplesSoFar_);
  examplesSoFar_ += size;
  return BatchSize(size);
}

void detail::checkReplicas(size_t num_replicas, size_t rank) {
  if (num_replicas == 0 || rank >= num_replicas)
    throw Error("DistributedSampler: rank " + std::to_string(rank) + " of " +
                std::to_string(num_replicas) +
                " replicas; needs num_replicas >= 1 and rank < num_replicas");
}

namespace {
/// Replica `rank`'s run of `count` positions of `order`, wrapping around.
std::vector<size_t> share(const std::vector<size_t> &order, size_t rank,
                          size_t count) {
  std::vector<size_t> indices;
  if (order.empty())
    return indices;
  indices.reserve(count);
  for (size_t i = rank * count; i < (rank + 1) * count; ++i)
    indices.push_back(order[i % order.size()]);
  return indices;
}
} // namespace

DistributedRandomSampler::DistributedRandomSampler(size_t size,
                                                   size_t num_replicas,
                                                   size_t rank,
                                                   bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  reset();
}

void DistributedRandomSampler::reset(std::optional<size_t> new_size) {
  if (new_size)
    size_ = *new_size;
  // Seeded by the epoch alone, so that every replica draws the same order.
  indices_ = share(permutation(size_, 0, epoch_), rank_, local_sample_count());
  index_ = 0;
}

void DistributedRandomSampler::save(serialize::OutputArchive &archive) const {
  writeCount(archive, "epoch", epoch_);
  writeCount(archive, "index", index_);
  writeIndices(archive, "indices", indices_);
}
void DistributedRandomSampler::load(serialize::InputArchive &archive) {
  const char *who = "DistributedRandomSampler";
  std::vector<size_t> indices = readIndices(archive, "indices", who);
  for (size_t i : indices)
    if (i >= size_)
      throw Error(std::string(who) + ": the saved index " + std::to_string(i) +
                  " is out of range for " + std::to_string(size_) + " indices");
  size_t index = readCount(archive, "index", who);
  checkPosition(index, indices.size(), who);
  epoch_ = readCount(archive, "epoch", who);
  indices_ = std::move(indices);
  index_ = index;
}

std::optional<std::vector<size_t>>
DistributedRandomSampler::next(size_t batch_size) {
  return nextOf(indices_, index_, batch_size, "DistributedRandomSampler");
}

DistributedSequentialSampler::DistributedSequentialSampler(
    size_t size, size_t num_replicas, size_t rank, bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  reset();
}

void DistributedSequentialSampler::save(
    serialize::OutputArchive &archive) const {
  writeCount(archive, "epoch", epoch_);
  writeCount(archive, "index", index_);
}
void DistributedSequentialSampler::load(serialize::InputArchive &archive) {
  const char *who = "DistributedSequentialSampler";
  size_t index = readCount(archive, "index", who);
  checkPosition(index, indices_.size(), who);
  epoch_ = readCount(archive, "epoch", who);
  index_ = index;
}

void DistributedSequentialSampler::reset(std::optional<size_t> new_size) {
  if (new_size)
    size_ = *new_size;
  std::vector<size_t> order(size_);
  std::iota(order.begin(), order.end(), 0);
  indices_ = share(order, rank_, local_sample_count());
  index_ = 0;
}

std::optional<std::vector<size_t>>
DistributedSequentialSampler::next(size_t batch_size) {
  return nextOf(indices_, index_, batch_size, "DistributedSequentialSampler");
}

} // namespace samplers

} // namespace kiln::data
