//===- Data.h - Datasets, samplers and the DataLoader -----------*- C++ -*-===//
//
// PyTorch's data pipeline (torch.utils.data and torchvision's MNIST): a
// map-style Dataset yields Examples by index, a Sampler orders the indices of
// an epoch, and a DataLoader batches them, optionally loading in worker
// threads. Every tensor made here is realized at once from plain memory:
// loading data never records ops or compiles code.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_H
#define KILN_FRONTEND_DATA_H

#include "kiln/frontend/Tensor.h"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace kiln::detail {
class LoaderEpoch;
} // namespace kiln::detail

namespace kiln::data {

/// One sample, or a batch of them: the input and its label. `target` may be
/// undefined for data without labels.
struct Example {
  /// The input (a batch: stacked along a new first dimension).
  Tensor data;
  /// The label (a batch: stacked likewise), or undefined.
  Tensor target;
};

/// A map-style dataset (PyTorch's `torch.utils.data.Dataset`): samples
/// addressed by an index in [0, size()). A DataLoader with workers calls
/// get() from several threads at once, so get() must be safe to call
/// concurrently; reading realized tensors, as the datasets here do, is.
template <typename ExampleType = Example> class Dataset {
public:
  /// What get() returns.
  using ExampleT = ExampleType;

  /// Datasets are used through base pointers.
  virtual ~Dataset() = default;
  /// The sample at `index`; throws kiln::Error when it is out of range.
  virtual ExampleType get(size_t index) = 0;
  /// The number of samples.
  virtual size_t size() const = 0;
};

/// Samples that are rows of tensors (PyTorch's `TensorDataset`): sample `i`
/// is `{data[i], targets[i]}`, each a new realized tensor with the first
/// dimension dropped.
class TensorDataset : public Dataset<Example> {
public:
  /// `data` and `targets` index samples along their first dimension, so they
  /// need at least one dimension and the same length there (a kiln::Error
  /// otherwise). `targets` may be undefined: the samples then have none.
  /// Pending tensors are realized here, once.
  TensorDataset(Tensor data, Tensor targets = {});

  /// `{data[index], targets[index]}`; throws kiln::Error out of range.
  Example get(size_t index) override;
  /// The length of the first dimension.
  size_t size() const override;

  /// All samples' inputs.
  const Tensor &data() const { return data_; }
  /// All samples' labels (undefined when there are none).
  const Tensor &targets() const { return targets_; }

private:
  Tensor data_;
  Tensor targets_;
};

/// Reads an IDX file (the format of MNIST, FashionMNIST, KMNIST, EMNIST),
/// plain or gzip-compressed (detected from the content, so a `.gz` suffix is
/// not needed), into a new realized tensor with the file's dimensions.
/// Kiln has no 8- or 16-bit integer dtypes, so unsigned and signed bytes and
/// shorts widen to int32 with their values unchanged; ints are int32, floats
/// float32 and doubles float64. A missing, truncated or malformed file (bad
/// magic, an unknown type code, dimensions that do not match the amount of
/// data, corrupt gzip data) is a kiln::Error naming the path and the problem.
Tensor read_idx(const std::string &path);

/// The MNIST digits in IDX files (PyTorch C++'s `torch::data::datasets::MNIST`,
/// torchvision's `MNIST`): `root` holds `train-images-idx3-ubyte` and
/// `train-labels-idx1-ubyte` (or `t10k-*` for the test split), each also
/// accepted with a `.gz` suffix. Sample images are float32 [1, H, W] in
/// [0, 1]; targets are int64 scalars.
class MNIST : public Dataset<Example> {
public:
  /// The largest pixel value of real MNIST; pixels are divided by it.
  static constexpr double kMaxValue = 255;
  /// The largest pixel value of the bundled 8x8 digits (data/digits), which
  /// are 0..16, not 0..255.
  static constexpr double kDigitsMaxValue = 16;

  /// Loads the train or test split from `root`. Pixels are divided by
  /// `max_value` (255 as in PyTorch; pass kDigitsMaxValue for data/digits).
  /// A pixel above `max_value` is a kiln::Error rather than a silently
  /// out-of-range input, as are missing files, images that are not 3-d
  /// ubyte, labels that are not 1-d ubyte, and differing counts.
  explicit MNIST(const std::string &root, bool train = true,
                 double max_value = kMaxValue);

  /// `{image [1, H, W] float32, label int64 scalar}`.
  Example get(size_t index) override;
  /// The number of images.
  size_t size() const override;

  /// Whether this is the training split.
  bool is_train() const { return train_; }
  /// All images, float32 [N, 1, H, W] in [0, 1].
  const Tensor &images() const { return images_; }
  /// All labels, int64 [N].
  const Tensor &targets() const { return targets_; }

private:
  Tensor images_;
  Tensor targets_;
  bool train_;
};

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

/// A random permutation of 0..size - 1 per epoch, without replacement
/// (PyTorch's `RandomSampler`). The permutation of epoch `e` depends only on
/// (seed, e), the same on every platform.
class RandomSampler : public Sampler {
public:
  /// Permutes `size` indices, drawing from `seed`.
  explicit RandomSampler(size_t size, uint64_t seed = 0)
      : size_(size), seed_(seed) {}
  /// The permutation of epoch `epoch`.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices.
  size_t size() const override { return size_; }
  /// The seed the permutations derive from.
  uint64_t seed() const { return seed_; }

private:
  size_t size_;
  uint64_t seed_;
};

/// Turns a batch's samples into one Example.
using CollateFn = std::function<Example(std::vector<Example>)>;

/// Stacks the samples' data, and their targets, along a new first dimension
/// (PyTorch's `default_collate` for tensors) into new realized tensors. The
/// samples must agree in shape and dtype, and either all have targets or
/// none; anything else is a kiln::Error naming the first sample that differs.
Example default_collate(std::vector<Example> samples);

/// How a DataLoader batches (PyTorch's DataLoader arguments). An aggregate,
/// for designated initializers: `DataLoaderOptions{.batch_size = 64,
/// .shuffle = true}`.
struct DataLoaderOptions {
  /// Samples per batch.
  size_t batch_size = 1;
  /// Whether each epoch visits the samples in a new random order.
  bool shuffle = false;
  /// Whether to drop the last batch when it would be smaller than
  /// batch_size (otherwise it is kept, smaller).
  bool drop_last = false;
  /// Worker threads loading batches ahead; 0 loads in the iterating thread.
  size_t num_workers = 0;
  /// The seed of the shuffle: epoch `e` uses a permutation derived from
  /// (seed, e), so equal seeds give equal batches for any num_workers.
  /// PyTorch draws it from the global generator; Kiln keeps it explicit, so
  /// that shuffling does not depend on which other random draws ran before.
  uint64_t seed = 0;
  /// Batches each worker may have loaded ahead of the iterating thread.
  size_t prefetch_factor = 2;
  /// Makes a batch of the samples; empty means default_collate. Workers
  /// call it concurrently, so it must be thread-safe.
  CollateFn collate_fn = nullptr;
  /// Orders the indices instead of shuffle's RandomSampler or the default
  /// SequentialSampler; setting both it and shuffle is a kiln::Error.
  std::shared_ptr<Sampler> sampler = nullptr;
};

/// Iterates a dataset in batches (PyTorch's `DataLoader`): each range-for
/// over it is one epoch, and each epoch asks the sampler afresh, so a
/// shuffled loader reshuffles.
///
///     DataLoader loader(MNIST("data/digits", true, MNIST::kDigitsMaxValue),
///                       {.batch_size = 32, .shuffle = true, .seed = 1});
///     for (int epoch = 0; epoch < 10; ++epoch)
///       for (Example &batch : loader) // data [32, 1, 8, 8], target [32]
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
    using value_type = Example;
    /// Unused, for the traits.
    using difference_type = std::ptrdiff_t;
    /// Points at the current batch.
    using pointer = Example *;
    /// The current batch.
    using reference = Example &;

    /// The end of every epoch.
    Iterator() = default;
    /// The current batch.
    Example &operator*() const;
    /// Members of the current batch.
    Example *operator->() const { return &**this; }
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
  DataLoader(std::shared_ptr<Dataset<Example>> dataset,
             DataLoaderOptions options = {});
  /// Loads from a copy of `dataset` (moved in when an rvalue); pass a
  /// shared_ptr to share one instead.
  template <typename D>
    requires std::derived_from<std::remove_cvref_t<D>, Dataset<Example>> &&
             (!std::is_abstract_v<std::remove_cvref_t<D>>)
  DataLoader(D &&dataset, DataLoaderOptions options = {})
      : DataLoader(
            std::make_shared<std::remove_cvref_t<D>>(std::forward<D>(dataset)),
            std::move(options)) {}

  /// Starts a new epoch and loads its first batch; an empty epoch is end().
  Iterator begin();
  /// The end of every epoch.
  Iterator end() const { return Iterator(); }
  /// The number of batches per epoch (PyTorch's `len(loader)`).
  size_t size() const;
  /// The number of epochs begun so far; the next begin() uses it as its
  /// epoch number.
  uint64_t epoch() const { return epoch_; }
  /// The options, as given.
  const DataLoaderOptions &options() const { return options_; }
  /// The dataset loaded from.
  Dataset<Example> &dataset() const { return *dataset_; }
  /// The sampler that orders each epoch's indices.
  const Sampler &sampler() const { return *sampler_; }

private:
  std::shared_ptr<Dataset<Example>> dataset_;
  DataLoaderOptions options_;
  std::shared_ptr<Sampler> sampler_;
  uint64_t epoch_ = 0;
};

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_H
