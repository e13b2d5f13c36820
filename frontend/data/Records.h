//===- Records.h - CIFAR-10 record files ------------------------*- C++ -*-===//
//
// The CIFAR10 dataset, read from the fixed-size records of its binary files.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_RECORDS_H
#define KILN_FRONTEND_DATA_RECORDS_H

#include "kiln/frontend/data/Dataset.h"

#include <cstddef>
#include <string>
#include <vector>

namespace kiln::data {

/// CIFAR-10 from its binary version (torchvision's `CIFAR10`, reading the
/// `cifar-10-batches-bin` files rather than the Python pickles): the
/// training split is `data_batch_1.bin` .. `data_batch_5.bin`, the test split
/// `test_batch.bin`. Each file is a sequence of 3073-byte records: a label
/// byte (0..9), then a 32x32 image as 1024 red, 1024 green and 1024 blue
/// bytes, row-major. Sample images are float32 [3, 32, 32] in [0, 1]
/// (torchvision's CIFAR10 followed by ToTensor); targets are int64 scalars.
class CIFAR10 : public Dataset<Example<>> {
public:
  /// Bytes per record: the label byte and 3 * 32 * 32 pixels.
  static constexpr size_t kRecordBytes = 1 + 3 * 32 * 32;
  /// The class names, by label.
  static const std::vector<std::string> &classes();

  /// Loads the train or test split from `root`, which holds the .bin files
  /// or the `cifar-10-batches-bin` directory that does. `transform` and
  /// `target_transform`, when set, apply in get(), as in torchvision. A
  /// missing file (named by its path), an empty one, a size that is not a
  /// multiple of 3073 bytes (named, with the size) or a label above 9 is a
  /// kiln::Error naming the file.
  explicit CIFAR10(const std::string &root, bool train = true,
                   transforms::TensorFunction transform = nullptr,
                   transforms::TensorFunction target_transform = nullptr);

  /// `{image [3, 32, 32] float32, label int64 scalar}`, transformed.
  Example<> get(size_t index) override;
  /// The number of images.
  size_t size() const override { return static_cast<size_t>(targets_.size(0)); }

  /// Whether this is the training split.
  bool is_train() const { return train_; }
  /// All images, float32 [N, 3, 32, 32] in [0, 1], untransformed.
  const Tensor &images() const { return images_; }
  /// All labels, int64 [N].
  const Tensor &targets() const { return targets_; }

private:
  Tensor images_;
  Tensor targets_;
  bool train_;
  transforms::TensorFunction transform_;
  transforms::TensorFunction targetTransform_;
};

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_RECORDS_H
