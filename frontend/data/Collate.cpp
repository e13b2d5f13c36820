//===- Collate.cpp - Collation of samples into batches --------------------===//
//
// default_collate and transforms::Stack: stack the samples of a batch into
// new realized tensors.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/frontend/data/DataLoader.h"
#include "kiln/frontend/data/Transforms.h"
#include "kiln/runtime/Error.h"

#include <cstring>

namespace kiln::data {

namespace {

Tensor stackMember(const std::vector<data::Example<>> &samples,
                   Tensor data::Example<>::*member, const char *what) {
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

Example<> default_collate(std::vector<Example<>> samples) {
  if (samples.empty())
    throw Error("default_collate: no samples to collate");
  bool targets = samples[0].target.defined();
  for (size_t i = 1; i < samples.size(); ++i)
    if (samples[i].target.defined() != targets)
      throw Error("default_collate: sample " + std::to_string(i) +
                  " of the batch " + (targets ? "has no" : "has a") +
                  " target but sample 0 " + (targets ? "has one" : "has none"));
  Example<> batch;
  batch.data = stackMember(samples, &Example<>::data, "data");
  if (targets)
    batch.target = stackMember(samples, &Example<>::target, "target");
  return batch;
}

namespace transforms {

Example<> Stack<Example<>>::apply_batch(std::vector<Example<>> examples) {
  return default_collate(std::move(examples));
}

TensorExample
Stack<TensorExample>::apply_batch(std::vector<TensorExample> examples) {
  std::vector<Example<>> samples;
  samples.reserve(examples.size());
  for (TensorExample &example : examples)
    samples.emplace_back(std::move(example.data), Tensor());
  return TensorExample(default_collate(std::move(samples)).data);
}

} // namespace transforms

} // namespace kiln::data
