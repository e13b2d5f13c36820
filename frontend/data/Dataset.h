//===- Dataset.h - Examples, datasets, subsets and splits -------*- C++ -*-===//
//
// The dataset interface (Example, Dataset) and the datasets made of tensors
// or of other datasets: TensorDataset, Subset, ConcatDataset, random_split
// and MapDataset.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_DATASET_H
#define KILN_FRONTEND_DATA_DATASET_H

#include "kiln/frontend/Tensor.h"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

namespace kiln::data {

/// One sample, or a batch of them: an input and its label (LibTorch's
/// `torch::data::Example<>`). `target` may be undefined for data without
/// labels; `Example<Tensor, example::NoTarget>` (TensorExample) has none.
template <typename Data = Tensor, typename Target = Tensor> struct Example {
  /// The type of `data`.
  using DataType = Data;
  /// The type of `target`.
  using TargetType = Target;

  /// Empty members.
  Example() = default;
  /// Holds `data` and `target`.
  Example(Data data, Target target)
      : data(std::move(data)), target(std::move(target)) {}

  /// The input (a batch: stacked along a new first dimension).
  Data data;
  /// The label (a batch: stacked likewise), or undefined.
  Target target;
};

namespace example {
/// The target type of an example that has none.
struct NoTarget {};
} // namespace example

/// An example without a target: only `data` (LibTorch's specialization).
template <typename Data> struct Example<Data, example::NoTarget> {
  /// The type of `data`.
  using DataType = Data;
  /// There is no target.
  using TargetType = example::NoTarget;

  /// An empty example.
  Example() = default;
  /// Holds `data`.
  Example(Data data) : data(std::move(data)) {}

  /// `data`, LibTorch's name for it in a TensorExample.
  Data &tensor() { return data; }
  /// `data`, LibTorch's name for it in a TensorExample.
  const Data &tensor() const { return data; }
  /// The example is its data: `Tensor t = dataset.get(0)`.
  operator Data &() { return data; }
  operator const Data &() const { return data; }

  /// The input.
  Data data;
};

/// A single tensor as an example (LibTorch's `TensorExample`), what
/// datasets::TensorDataset yields.
using TensorExample = Example<Tensor, example::NoTarget>;

/// A map-style dataset (PyTorch's `torch.utils.data.Dataset`): samples
/// addressed by an index in [0, size()). A DataLoader with workers calls
/// get() from several threads at once, so get() must be safe to call
/// concurrently; reading realized tensors, as the datasets here do, is.
template <typename ExampleType = Example<>> class Dataset {
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

namespace transforms {
/// A transform of one tensor; Normalize, Lambda, Compose and the image
/// transforms are ones.
using TensorFunction = std::function<Tensor(Tensor)>;
} // namespace transforms

/// Makes the random transforms of the current thread draw from a generator
/// derived from (seed, epoch, index) while it lives, so that a sample's
/// random crop or flip depends on the loader's seed, the epoch and the
/// sample's index only, never on which worker loads it or when. The
/// DataLoader puts one around every sample it loads; nest them freely (the
/// innermost wins, the previous one comes back on destruction).
class SampleSeed {
public:
  /// Seeds the current thread's sample generator from (seed, epoch, index).
  SampleSeed(uint64_t seed, uint64_t epoch, uint64_t index);
  /// Restores the generator that was current before.
  ~SampleSeed();
  SampleSeed(const SampleSeed &) = delete;
  SampleSeed &operator=(const SampleSeed &) = delete;

private:
  std::mt19937_64 *previous_;
  std::mt19937_64 generator_;
};

/// The generator random transforms draw from on this thread: the innermost
/// live SampleSeed's, or, outside any (a dataset read by hand), a per-thread
/// generator seeded with 0 when the thread first asks. User transforms that
/// draw from it are as reproducible as the built-in ones.
std::mt19937_64 &sample_generator();

/// A concrete dataset type, held by value: what the constructors taking a
/// dataset by value accept.
template <typename D>
concept DatasetValue =
    std::derived_from<std::remove_cvref_t<D>, Dataset<Example<>>> &&
    !std::is_abstract_v<std::remove_cvref_t<D>>;

/// A copy of `dataset` (moved in when an rvalue) that can be shared.
template <DatasetValue D>
std::shared_ptr<Dataset<Example<>>> make_shared_dataset(D &&dataset) {
  return std::make_shared<std::remove_cvref_t<D>>(std::forward<D>(dataset));
}

/// Samples that are rows of tensors (PyTorch's `TensorDataset`): sample `i`
/// is `{data[i], targets[i]}`, each a new realized tensor with the first
/// dimension dropped.
class TensorDataset : public Dataset<Example<>> {
public:
  /// `data` and `targets` index samples along their first dimension, so they
  /// need at least one dimension and the same length there (a kiln::Error
  /// otherwise). `targets` may be undefined: the samples then have none.
  /// Pending tensors are realized here, once.
  TensorDataset(Tensor data, Tensor targets = {});

  /// `{data[index], targets[index]}`; throws kiln::Error out of range.
  Example<> get(size_t index) override;
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

/// The samples of `dataset` at `indices`, in that order (PyTorch's
/// `Subset`): sample `i` is `dataset[indices[i]]`. Indices may repeat.
class Subset : public Dataset<Example<>> {
public:
  /// Every index must be below `dataset->size()` (a kiln::Error naming the
  /// first that is not).
  Subset(std::shared_ptr<Dataset<Example<>>> dataset,
         std::vector<size_t> indices);
  /// Takes a copy of `dataset` (moved in when an rvalue).
  template <DatasetValue D>
  Subset(D &&dataset, std::vector<size_t> indices)
      : Subset(make_shared_dataset(std::forward<D>(dataset)),
               std::move(indices)) {}

  /// `dataset()[indices()[index]]`; throws kiln::Error out of range.
  Example<> get(size_t index) override;
  /// The number of indices.
  size_t size() const override { return indices_.size(); }

  /// The dataset the samples come from.
  Dataset<Example<>> &dataset() const { return *dataset_; }
  /// The indices into it.
  const std::vector<size_t> &indices() const { return indices_; }

private:
  std::shared_ptr<Dataset<Example<>>> dataset_;
  std::vector<size_t> indices_;
};

/// Datasets one after another (PyTorch's `ConcatDataset`): the samples of
/// the first, then those of the second, and so on.
class ConcatDataset : public Dataset<Example<>> {
public:
  /// Concatenates `datasets`; a null one is a kiln::Error. Their sizes are
  /// read once, here, so they must not change afterwards.
  explicit ConcatDataset(
      std::vector<std::shared_ptr<Dataset<Example<>>>> datasets);

  /// The sample of the dataset that `index` falls in; throws kiln::Error out
  /// of range.
  Example<> get(size_t index) override;
  /// The sum of the datasets' sizes.
  size_t size() const override {
    return offsets_.empty() ? 0 : offsets_.back();
  }

  /// The datasets, in order.
  const std::vector<std::shared_ptr<Dataset<Example<>>>> &datasets() const {
    return datasets_;
  }
  /// PyTorch's `cumulative_sizes`: entry `i` is the number of samples in
  /// datasets 0..i.
  const std::vector<size_t> &cumulative_sizes() const { return offsets_; }

private:
  std::vector<std::shared_ptr<Dataset<Example<>>>> datasets_;
  std::vector<size_t> offsets_;
};

/// Splits `dataset` into Subsets of the given lengths whose indices are a
/// random partition of 0..size - 1 (PyTorch's `random_split`). `lengths` are
/// either whole counts summing to the dataset's size, or, as in PyTorch,
/// fractions summing to 1: each split then gets floor(fraction * size)
/// samples and the remainder goes one each to the splits in turn, from the
/// first. The permutation depends only on `seed` (PyTorch's generator), so
/// equal seeds give equal splits. Anything else (a negative or non-whole
/// count, counts with the wrong sum) is a kiln::Error.
std::vector<Subset> random_split(std::shared_ptr<Dataset<Example<>>> dataset,
                                 const std::vector<double> &lengths,
                                 uint64_t seed = 0);
/// random_split of a copy of `dataset`, shared by the splits.
template <DatasetValue D>
std::vector<Subset> random_split(D &&dataset,
                                 const std::vector<double> &lengths,
                                 uint64_t seed = 0) {
  return random_split(make_shared_dataset(std::forward<D>(dataset)), lengths,
                      seed);
}

/// A dataset whose samples pass through transforms (LibTorch's
/// `MapDataset`; torchvision datasets' `transform` and `target_transform`).
/// The transforms run in get(), so in the DataLoader's workers: they must
/// be thread-safe.
class MapDataset : public Dataset<Example<>> {
public:
  /// Applies `transform` to each sample's input and `target_transform`, when
  /// set, to its target. An empty `transform` leaves inputs as they are.
  MapDataset(std::shared_ptr<Dataset<Example<>>> dataset,
             transforms::TensorFunction transform,
             transforms::TensorFunction target_transform = nullptr);

  /// The transformed sample; a failing transform is a kiln::Error naming
  /// the sample.
  Example<> get(size_t index) override;
  /// The size of the underlying dataset.
  size_t size() const override { return dataset_->size(); }

  /// The dataset the samples come from.
  Dataset<Example<>> &dataset() const { return *dataset_; }

private:
  std::shared_ptr<Dataset<Example<>>> dataset_;
  transforms::TensorFunction transform_;
  transforms::TensorFunction targetTransform_;
};

/// A copy of `dataset` (moved in when an rvalue) whose samples pass through
/// the transforms (LibTorch's `dataset.map(transform)`):
///
///     auto train = map(MNIST("data/mnist"),
///                      transforms::Normalize({0.1307}, {0.3081}));
template <DatasetValue D>
MapDataset map(D &&dataset, transforms::TensorFunction transform,
               transforms::TensorFunction target_transform = nullptr) {
  return MapDataset(make_shared_dataset(std::forward<D>(dataset)),
                    std::move(transform), std::move(target_transform));
}

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_DATASET_H
