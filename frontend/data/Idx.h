//===- Idx.h - IDX files and MNIST ------------------------------*- C++ -*-===//
//
// read_idx and the MNIST dataset, read from IDX files, plain or gzip, as
// Kiln's data::MNIST and as LibTorch's datasets::MNIST.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_IDX_H
#define KILN_FRONTEND_DATA_IDX_H

#include "kiln/frontend/data/BatchDataset.h"
#include "kiln/frontend/data/Dataset.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace kiln::data {

/// Reads an IDX file (the format of MNIST, FashionMNIST, KMNIST, EMNIST),
/// plain or gzip-compressed (detected from the content, so a `.gz` suffix is
/// not needed), into a new realized tensor with the file's dimensions.
/// Kiln has no 8- or 16-bit integer dtypes, so unsigned and signed bytes and
/// shorts widen to int32 with their values unchanged; ints are int32, floats
/// float32 and doubles float64. A missing, truncated or malformed file (bad
/// magic, an unknown type code, dimensions that do not match the amount of
/// data, corrupt gzip data) is a kiln::Error naming the path and the problem.
Tensor read_idx(const std::string &path);

/// The MNIST digits in IDX files (torchvision's `MNIST`; LibTorch's is
/// datasets::MNIST below): `root` holds `train-images-idx3-ubyte` and
/// `train-labels-idx1-ubyte` (or `t10k-*` for the test split), each also
/// accepted with a `.gz` suffix. Sample images are float32 [1, H, W] in
/// [0, 1]; targets are int64 scalars.
class MNIST : public Dataset<Example<>> {
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
  Example<> get(size_t index) override;
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

namespace datasets {

/// The MNIST digits as LibTorch loads them (`torch::data::datasets::MNIST`):
/// the files of data::MNIST, pixels divided by 255, examples
/// `{image [1, H, W] float32, label int64 scalar}`. The bundled 8x8 digits
/// (data/digits, pixels 0..16) load the same way, into [0, 16 / 255].
class MNIST : public Dataset<MNIST> {
public:
  /// Which split to load.
  enum class Mode {
    /// `train-*-ubyte`.
    kTrain,
    /// `t10k-*-ubyte`.
    kTest
  };

  /// Loads split `mode` from `root`; a missing, truncated or corrupt file
  /// is a kiln::Error naming it.
  explicit MNIST(const std::string &root, Mode mode = Mode::kTrain)
      : mnist_(root, mode == Mode::kTrain) {}

  /// Example `index`; out of range, a kiln::Error.
  Example<> get(size_t index) override { return mnist_.get(index); }
  /// The number of examples.
  std::optional<size_t> size() const override { return mnist_.size(); }
  /// Whether this is the training split.
  bool is_train() const noexcept { return mnist_.is_train(); }
  /// All images, float32 [N, 1, H, W].
  const Tensor &images() const { return mnist_.images(); }
  /// All labels, int64 [N].
  const Tensor &targets() const { return mnist_.targets(); }

private:
  data::MNIST mnist_;
};

} // namespace datasets

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_IDX_H
