//===- BatchDataset.h - LibTorch's dataset classes --------------*- C++ -*-===//
//
// LibTorch's `torch::data::datasets`: BatchDataset, the CRTP Dataset a user
// derives from, StatefulDataset, MapDataset (what `dataset.map(transform)`
// returns) and TensorDataset.
// make_data_loader (StatelessDataLoader.h) loads any of them.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_BATCHDATASET_H
#define KILN_FRONTEND_DATA_BATCHDATASET_H

#include "kiln/frontend/data/Dataset.h"

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace kiln::serialize {
class OutputArchive;
class InputArchive;
} // namespace kiln::serialize

namespace kiln::data::datasets {

template <typename SourceDataset, typename AppliedTransform> class MapDataset;

namespace detail {
/// Throws the kiln::Error of a dataset that cannot `what` ("save"/"load").
[[noreturn]] void throwNotSerializable(const char *what);
template <typename T> struct IsOptional : std::false_type {};
template <typename T> struct IsOptional<std::optional<T>> : std::true_type {};
} // namespace detail

/// A dataset that answers a whole batch request at once (LibTorch's
/// `BatchDataset`), the base of every dataset make_data_loader loads. `Self`
/// is the deriving class (CRTP), so that `map()` returns a dataset holding
/// a copy of it by value. A Batch that is a std::optional marks a stateful
/// dataset, which says when it has run out by returning nullopt.
template <typename Self, typename Batch = std::vector<Example<>>,
          typename BatchRequest = ArrayRef<size_t>>
class BatchDataset {
public:
  /// The deriving class.
  using SelfType = Self;
  /// What get_batch returns.
  using BatchType = Batch;
  /// What get_batch takes: indices, or for a stateful dataset a count.
  using BatchRequestType = BatchRequest;
  /// Whether get_batch returns an optional (StatefulDataset).
  static constexpr bool is_stateful = detail::IsOptional<Batch>::value;

  /// Datasets are used through base pointers too.
  virtual ~BatchDataset() = default;
  /// The batch for `request`.
  virtual Batch get_batch(BatchRequest request) = 0;
  /// The number of samples, or nullopt when unknown.
  virtual std::optional<size_t> size() const = 0;

  /// A copy of this dataset whose batches pass through `transform`, a
  /// BatchTransform (LibTorch's `dataset.map(transform)`): Normalize and the
  /// other Transforms change each example, Stack collates the batch.
  template <typename TransformType>
  MapDataset<Self, TransformType> map(TransformType transform) & {
    return MapDataset<Self, TransformType>(static_cast<Self &>(*this),
                                           std::move(transform));
  }
  /// The same, moving this dataset into the result.
  template <typename TransformType>
  MapDataset<Self, TransformType> map(TransformType transform) && {
    return MapDataset<Self, TransformType>(
        std::move(static_cast<Self &>(*this)), std::move(transform));
  }
};

/// A map-style dataset (LibTorch's `torch::data::datasets::Dataset`): derive
/// `class MyData : public Dataset<MyData>` and override `get(index)` and
/// `size()`; a batch is the vector of get() of its indices. The DataLoader
/// gives each worker thread a copy of the dataset, so get() need not be
/// thread-safe, but copies must be cheap or share their data.
template <typename Self, typename SingleExample = Example<>>
class Dataset : public BatchDataset<Self, std::vector<SingleExample>> {
public:
  /// What get() returns.
  using ExampleType = SingleExample;

  /// The example at `index`.
  virtual ExampleType get(size_t index) = 0;

  /// get() of each index, in order.
  std::vector<ExampleType> get_batch(ArrayRef<size_t> indices) override {
    std::vector<ExampleType> batch;
    batch.reserve(indices.size());
    for (size_t index : indices)
      batch.push_back(get(index));
    return batch;
  }
};

/// A dataset that produces batches in its own order until it runs out
/// (LibTorch's `StatefulDataset`): get_batch(batch_size) returns nullopt at
/// the end of an epoch, and reset() starts the next.
template <typename Self, typename Batch = std::vector<Example<>>,
          typename BatchRequest = size_t>
class StatefulDataset
    : public BatchDataset<Self, std::optional<Batch>, BatchRequest> {
public:
  /// Starts a new epoch.
  virtual void reset() = 0;
  /// Writes the dataset's state (`kiln::save(dataset, stream)`); a dataset
  /// of your own overrides these to be saved and loaded.
  virtual void save(serialize::OutputArchive &archive) const {
    detail::throwNotSerializable("save");
  }
  /// Reads what save() wrote (`kiln::load(dataset, stream)`).
  virtual void load(serialize::InputArchive &archive) {
    detail::throwNotSerializable("load");
  }
};

/// A dataset whose batches pass through a BatchTransform (LibTorch's
/// `MapDataset`), what `dataset.map(transform)` returns. It holds both by
/// value.
template <typename SourceDataset, typename AppliedTransform>
class MapDataset
    : public BatchDataset<
          MapDataset<SourceDataset, AppliedTransform>,
          std::conditional_t<
              SourceDataset::is_stateful,
              std::optional<typename AppliedTransform::OutputBatchType>,
              typename AppliedTransform::OutputBatchType>,
          typename SourceDataset::BatchRequestType> {
  using Base = typename MapDataset::BatchDataset;

public:
  /// The dataset the batches come from.
  using DatasetType = SourceDataset;
  /// The transform applied to them.
  using TransformType = AppliedTransform;

  /// Transforms the batches of `dataset` with `transform`.
  MapDataset(SourceDataset dataset, AppliedTransform transform)
      : dataset_(std::move(dataset)), transform_(std::move(transform)) {}

  /// The source's batch, transformed (nullopt when a stateful source has
  /// run out).
  typename Base::BatchType
  get_batch(typename Base::BatchRequestType request) override {
    if constexpr (SourceDataset::is_stateful) {
      auto batch = dataset_.get_batch(std::move(request));
      if (!batch)
        return std::nullopt;
      return transform_.apply_batch(std::move(*batch));
    } else {
      return transform_.apply_batch(dataset_.get_batch(std::move(request)));
    }
  }
  /// The source's size.
  std::optional<size_t> size() const override { return dataset_.size(); }
  /// Resets a stateful source.
  void reset()
    requires SourceDataset::is_stateful
  {
    dataset_.reset();
  }

  /// The source dataset.
  const SourceDataset &dataset() const { return dataset_; }
  /// The transform.
  const AppliedTransform &transform() const { return transform_; }

private:
  SourceDataset dataset_;
  AppliedTransform transform_;
};

/// `MapDataset(dataset, transform)` (LibTorch's `datasets::map`).
template <typename DatasetType, typename TransformType>
  requires requires { typename std::remove_cvref_t<DatasetType>::SelfType; }
MapDataset<std::remove_cvref_t<DatasetType>, TransformType>
map(DatasetType &&dataset, TransformType transform) {
  return MapDataset<std::remove_cvref_t<DatasetType>, TransformType>(
      std::forward<DatasetType>(dataset), std::move(transform));
}

/// Rows of one tensor (LibTorch's `datasets::TensorDataset`): example `i`
/// is the TensorExample `tensor[i]`. Kiln's `data::TensorDataset(data,
/// targets)`, rows of inputs with their labels, is the other one.
class TensorDataset : public Dataset<TensorDataset, TensorExample> {
public:
  /// The tensors, stacked along a new first dimension; they must agree in
  /// shape and dtype (a kiln::Error otherwise).
  explicit TensorDataset(const std::vector<Tensor> &tensors);
  /// The rows of `tensor`, which needs at least one dimension; it is
  /// realized here, once.
  explicit TensorDataset(Tensor tensor);

  /// `tensor[index]`, a new realized tensor; out of range, a kiln::Error.
  TensorExample get(size_t index) override;
  /// The length of the first dimension.
  std::optional<size_t> size() const override;

  /// All rows.
  Tensor tensor;
};

} // namespace kiln::data::datasets

#endif // KILN_FRONTEND_DATA_BATCHDATASET_H
