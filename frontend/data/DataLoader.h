//===- DataLoader.h - Collation and the DataLoader --------------*- C++ -*-===//
//
// default_collate and the DataLoader, which batches a dataset, optionally
// loading in worker threads.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_DATALOADER_H
#define KILN_FRONTEND_DATA_DATALOADER_H

#include "kiln/frontend/data/Dataset.h"
#include "kiln/frontend/data/Samplers.h"
#include "kiln/frontend/data/Streams.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

namespace kiln::detail {
class LoaderEpoch;
class WorkerPool;
} // namespace kiln::detail

namespace kiln::data {

/// Turns a batch's samples into one Example<>.
using CollateFn = std::function<Example<>(std::vector<Example<>>)>;

/// Stacks the samples' data, and their targets, along a new first dimension
/// (PyTorch's `default_collate` for tensors) into new realized tensors. The
/// samples must agree in shape and dtype, and either all have targets or
/// none; anything else is a kiln::Error naming the first sample that differs.
Example<> default_collate(std::vector<Example<>> samples);

/// How a DataLoader batches (PyTorch's DataLoader arguments). An aggregate,
/// for designated initializers: `LoaderOptions{.batch_size = 64,
/// .shuffle = true}`.
struct LoaderOptions {
  /// Samples per batch.
  size_t batch_size = 1;
  /// Whether each epoch visits the samples in a new random order.
  bool shuffle = false;
  /// Whether to drop the last batch when it would be smaller than
  /// batch_size (otherwise it is kept, smaller).
  bool drop_last = false;
  /// Worker threads loading batches ahead; 0 loads in the iterating thread.
  size_t num_workers = 0;
  /// The seed of the shuffle and of the random transforms: epoch `e` uses a
  /// permutation derived from (seed, e), and sample `i` of it transforms
  /// with SampleSeed(seed, e, i), so equal seeds give equal batches for any
  /// num_workers. Unset, it is drawn from the global generator when the
  /// DataLoader is made (as PyTorch draws from its default generator), so
  /// kiln::manual_seed makes it reproducible.
  std::optional<uint64_t> seed = std::nullopt;
  /// Batches each worker may have loaded ahead of the iterating thread.
  size_t prefetch_factor = 2;
  /// Makes a batch of the samples; empty means default_collate. Workers
  /// call it concurrently, so it must be thread-safe.
  CollateFn collate_fn = nullptr;
  /// Orders the indices instead of shuffle's RandomSampler or the default
  /// SequentialSampler; setting both it and shuffle is a kiln::Error.
  std::shared_ptr<Sampler> sampler = nullptr;
  /// PyTorch copies batches into page-locked memory for faster copies to a
  /// GPU. Kiln's tensors all live in host memory and it copies none of them
  /// to a device, so page-locked memory would only cost: batches stay in
  /// plain memory, with or without CUDA. Accepted so that PyTorch code
  /// ports unchanged.
  bool pin_memory = false;
  /// Keeps the worker threads alive between epochs instead of starting
  /// them for each; needs num_workers > 0 (a kiln::Error otherwise). A
  /// begin() while an earlier epoch is still being iterated ends that
  /// epoch: advancing it then is a kiln::Error, as PyTorch resets it.
  bool persistent_workers = false;
};

/// Iterates a dataset in batches (PyTorch's `DataLoader`): each range-for
/// over it is one epoch, and each epoch asks the sampler afresh, so a
/// shuffled loader reshuffles.
///
///     DataLoader loader(MNIST("data/digits", true, MNIST::kDigitsMaxValue),
///                       {.batch_size = 32, .shuffle = true, .seed = 1});
///     for (int epoch = 0; epoch < 10; ++epoch)
///       for (Example<> &batch : loader) // data [32, 1, 8, 8], target [32]
///         train(batch.data, batch.target);
///
/// With num_workers > 0, worker threads load whole batches in parallel, at
/// most prefetch_factor * num_workers ahead of the loop, and the loop still
/// sees them in sampler order. An exception from the dataset or the collate
/// function reaches the loop as a kiln::Error naming the sample or batch.
/// Leaving a loop early stops and joins the workers (they finish the sample
/// they are loading); an epoch's iterators own what it needs, so they stay
/// valid when the DataLoader is destroyed first.
class DataLoader {
public:
  /// An input iterator over one epoch's batches. Copies share the epoch.
  class Iterator {
  public:
    /// Input iterator traits.
    using iterator_category = std::input_iterator_tag;
    /// Batches.
    using value_type = Example<>;
    /// Unused, for the traits.
    using difference_type = std::ptrdiff_t;
    /// Points at the current batch.
    using pointer = Example<> *;
    /// The current batch.
    using reference = Example<> &;

    /// The end of every epoch.
    Iterator() = default;
    /// The current batch.
    Example<> &operator*() const;
    /// Members of the current batch.
    Example<> *operator->() const { return &**this; }
    /// Moves to the next batch, loading it or waiting for a worker;
    /// rethrows a failure to load it as a kiln::Error.
    Iterator &operator++();
    /// Equal when both are at the end, or share an epoch.
    bool operator==(const Iterator &other) const;

  private:
    friend class DataLoader;
    explicit Iterator(std::shared_ptr<kiln::detail::LoaderEpoch> state)
        : state_(std::move(state)) {}
    // Null at the end: the last iterator to let go of an epoch joins its
    // workers.
    std::shared_ptr<kiln::detail::LoaderEpoch> state_;
  };

  /// Loads from `dataset`, which must be safe to call from several threads
  /// when num_workers > 0. Invalid options (batch_size 0, prefetch_factor 0
  /// with workers, a sampler together with shuffle) are a kiln::Error.
  DataLoader(std::shared_ptr<Dataset<Example<>>> dataset,
             LoaderOptions options = {});
  /// Loads from a copy of `dataset` (moved in when an rvalue); pass a
  /// shared_ptr to share one instead.
  template <DatasetValue D>
  DataLoader(D &&dataset, LoaderOptions options = {})
      : DataLoader(make_shared_dataset(std::forward<D>(dataset)),
                   std::move(options)) {}
  /// Loads from a stream dataset: batches of its samples in part order,
  /// the last partial one kept unless drop_last. With workers, worker `w`
  /// reads parts w, w + num_workers, ... of the epoch, keeping at most
  /// prefetch_factor * batch_size samples ahead, and the iterating thread
  /// takes them in order and collates. A sampler or shuffle is a kiln::Error
  /// (the dataset orders itself).
  DataLoader(std::shared_ptr<IterableDataset> dataset,
             LoaderOptions options = {});
  /// Loads from a copy of the stream dataset `dataset`.
  template <typename D>
    requires std::derived_from<std::remove_cvref_t<D>, IterableDataset>
  DataLoader(D &&dataset, LoaderOptions options = {})
      : DataLoader(std::shared_ptr<IterableDataset>(
                       std::make_shared<std::remove_cvref_t<D>>(
                           std::forward<D>(dataset))),
                   std::move(options)) {}

  /// Starts a new epoch and loads its first batch; an empty epoch is end().
  Iterator begin();
  /// The end of every epoch.
  Iterator end() const { return Iterator(); }
  /// The number of batches per epoch (PyTorch's `len(loader)`); a
  /// kiln::Error for a stream dataset, whose length is unknown.
  size_t size() const;
  /// The number of epochs begun so far; the next begin() uses it as its
  /// epoch number.
  uint64_t epoch() const { return epoch_; }
  /// The options, as given.
  const LoaderOptions &options() const { return options_; }
  /// The seed in use: options().seed, or the one drawn for it.
  uint64_t seed() const { return seed_; }
  /// The dataset loaded from; a kiln::Error for a stream dataset.
  Dataset<Example<>> &dataset() const;
  /// The sampler that orders each epoch's indices; a kiln::Error for a
  /// stream dataset.
  const Sampler &sampler() const;

private:
  void validate();

  std::shared_ptr<Dataset<Example<>>> dataset_;
  std::shared_ptr<IterableDataset> stream_;
  LoaderOptions options_;
  std::shared_ptr<Sampler> sampler_;
  uint64_t seed_ = 0;
  uint64_t epoch_ = 0;
  /// With persistent_workers: the threads, and the epoch using them, which
  /// a new begin() ends. A pool runs one epoch at a time, so a copy of the
  /// loader starts threads of its own instead of sharing these.
  struct Workers {
    /// The threads, started by the first begin().
    std::shared_ptr<kiln::detail::WorkerPool> pool;
    /// The epoch that last ran on them.
    std::weak_ptr<kiln::detail::LoaderEpoch> last;
    /// No threads yet.
    Workers() = default;
    /// A copy starts without threads.
    Workers(const Workers &) {}
    /// Assigning drops this loader's threads; the next begin() starts new.
    Workers &operator=(const Workers &other) {
      if (this != &other)
        *this = Workers();
      return *this;
    }
    /// Moving takes the threads along.
    Workers(Workers &&) = default;
    /// Moving takes the threads along.
    Workers &operator=(Workers &&) = default;
  };
  Workers workers_;
};

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_DATALOADER_H
