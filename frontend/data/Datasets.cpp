//===- Datasets.cpp - Tensor datasets, subsets and splits -----------------===//
//
// TensorDataset (Kiln's and LibTorch's), Subset, ConcatDataset, random_split
// and MapDataset, and the helpers of DataInternal.h that every data file
// uses.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/data/BatchDataset.h"
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/frontend/data/DataLoader.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>

namespace kiln::data {

namespace {

/// Bytes of one row (the tensor without its first dimension).
size_t rowBytes(const Tensor &t) {
  size_t bytes = element_size(t.dtype());
  for (size_t d = 1; d < t.sizes().size(); ++d)
    bytes *= static_cast<size_t>(t.sizes()[d]);
  return bytes;
}

} // namespace

std::string shapeString(const Shape &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Tensor uninitialized(const Shape &shape, ScalarType dtype) {
  auto impl = std::make_shared<detail::TensorImpl>();
  impl->type = {shape, dtype};
  impl->storage = detail::Storage::allocate(impl->type.bytes(), false);
  return Tensor(std::move(impl));
}

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

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string describe(const Tensor &t) {
  return shapeString(t.sizes()) + " " + std::string(dtype_name(t.dtype()));
}

Example<> applyTransforms(Example<> example, const std::string &who,
                          size_t index, const std::string &file,
                          const transforms::TensorFunction &transform,
                          const transforms::TensorFunction &targetTransform) {
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

Example<> TensorDataset::get(size_t index) {
  if (index >= size())
    outOfRange("TensorDataset", index, size());
  Example<> example;
  example.data = copyRow(data_, index);
  if (targets_.defined())
    example.target = copyRow(targets_, index);
  return example;
}

size_t TensorDataset::size() const {
  return static_cast<size_t>(data_.size(0));
}

//===----------------------------------------------------------------------===//
// LibTorch's TensorDataset
//===----------------------------------------------------------------------===//

namespace datasets {

namespace {
Tensor stacked(const std::vector<Tensor> &tensors) {
  if (tensors.empty())
    throw Error("TensorDataset: no tensors to stack");
  std::vector<Example<>> rows;
  rows.reserve(tensors.size());
  for (const Tensor &t : tensors)
    rows.emplace_back(t, Tensor());
  return default_collate(std::move(rows)).data;
}
} // namespace

TensorDataset::TensorDataset(const std::vector<Tensor> &tensors)
    : TensorDataset(stacked(tensors)) {}

TensorDataset::TensorDataset(Tensor tensor) : tensor(std::move(tensor)) {
  if (!this->tensor.defined() || this->tensor.dim() == 0)
    throw Error("TensorDataset: the tensor must have a first dimension that "
                "indexes examples");
  this->tensor.data_ptr(); // realized here, not in the first worker
}

TensorExample TensorDataset::get(size_t index) {
  size_t rows = static_cast<size_t>(tensor.size(0));
  if (index >= rows)
    outOfRange("TensorDataset", index, rows);
  return TensorExample(copyRow(tensor, index));
}

std::optional<size_t> TensorDataset::size() const {
  return static_cast<size_t>(tensor.size(0));
}

} // namespace datasets

//===----------------------------------------------------------------------===//
// Subsets, concatenation and splits
//===----------------------------------------------------------------------===//

Subset::Subset(std::shared_ptr<Dataset<Example<>>> dataset,
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

Example<> Subset::get(size_t index) {
  if (index >= size())
    outOfRange("Subset", index, size());
  return dataset_->get(indices_[index]);
}

ConcatDataset::ConcatDataset(
    std::vector<std::shared_ptr<Dataset<Example<>>>> datasets)
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

Example<> ConcatDataset::get(size_t index) {
  if (index >= size())
    outOfRange("ConcatDataset", index, size());
  // The first dataset whose cumulative size exceeds the index holds it.
  size_t which = static_cast<size_t>(
      std::upper_bound(offsets_.begin(), offsets_.end(), index) -
      offsets_.begin());
  size_t before = which ? offsets_[which - 1] : 0;
  return datasets_[which]->get(index - before);
}

std::vector<Subset> random_split(std::shared_ptr<Dataset<Example<>>> dataset,
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
// Transformed samples
//===----------------------------------------------------------------------===//

MapDataset::MapDataset(std::shared_ptr<Dataset<Example<>>> dataset,
                       transforms::TensorFunction transform,
                       transforms::TensorFunction target_transform)
    : dataset_(std::move(dataset)), transform_(std::move(transform)),
      targetTransform_(std::move(target_transform)) {
  if (!dataset_)
    throw Error("MapDataset: the dataset is null");
}

Example<> MapDataset::get(size_t index) {
  Example<> example = dataset_->get(index);
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

} // namespace kiln::data
