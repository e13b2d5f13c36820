//===- Transforms.h - Transforms of samples ---------------------*- C++ -*-===//
//
// torchvision's transforms: Normalize, Lambda, Compose, ToTensor and the
// image transforms (crops, flips, resizing).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_TRANSFORMS_H
#define KILN_FRONTEND_DATA_TRANSFORMS_H

#include "kiln/frontend/data/Dataset.h"

#include <cstdint>
#include <vector>

namespace kiln::data {

/// Transforms of a sample's input or target (torchvision's transforms,
/// LibTorch's `torch::data::transforms`). Like the datasets, they compute
/// new realized tensors directly and never record ops.
namespace transforms {

/// `(x - mean[c]) / std[c]` for each channel `c` (torchvision's
/// `Normalize`). The channel is the first dimension of the sample: C of a
/// [C, H, W] image, the feature of a [F] vector. One mean and one std apply
/// to every channel.
class Normalize {
public:
  /// `mean` and `std` must have equal, non-zero lengths, and no std may be
  /// zero (kiln::Error otherwise).
  Normalize(std::vector<double> mean, std::vector<double> std);
  /// A new float32 or float64 tensor like `input`, which must be floating
  /// point with mean().size() entries along its first dimension (or any
  /// shape when there is one mean); anything else is a kiln::Error.
  Tensor operator()(const Tensor &input) const;

  /// The per-channel means.
  const std::vector<double> &mean() const { return mean_; }
  /// The per-channel standard deviations.
  const std::vector<double> &std() const { return std_; }

private:
  std::vector<double> mean_;
  std::vector<double> std_;
};

/// A user function as a transform (torchvision's `Lambda`).
class Lambda {
public:
  /// Applies `fn`; an empty one is a kiln::Error.
  explicit Lambda(TensorTransform fn);
  /// `fn(input)`.
  Tensor operator()(Tensor input) const { return fn_(std::move(input)); }

private:
  TensorTransform fn_;
};

/// Transforms applied one after another, first to last (torchvision's
/// `Compose`).
class Compose {
public:
  /// Composes `transforms`; an empty one among them is a kiln::Error.
  Compose(std::vector<TensorTransform> transforms);
  /// The last transform of ... of the first transform of `input`.
  Tensor operator()(Tensor input) const;

private:
  std::vector<TensorTransform> transforms_;
};

/// An image as a float tensor (torchvision's `ToTensor`): an int32 [H, W, C]
/// or [H, W] tensor of values 0..255, what load_image gives, becomes a new
/// float32 [C, H, W] (or [1, H, W]) tensor divided by 255. Another dtype or
/// rank, or a value outside 0..255, is a kiln::Error.
class ToTensor {
public:
  /// The float CHW image.
  Tensor operator()(const Tensor &input) const;
};

/// An image size: height and width.
struct ImageSize {
  /// A square of `side` x `side`.
  ImageSize(int64_t side) : height(side), width(side) {}
  /// `height` x `width`.
  ImageSize(int64_t height, int64_t width) : height(height), width(width) {}
  /// Rows.
  int64_t height;
  /// Columns.
  int64_t width;
};

/// How RandomCrop fills the padding (torchvision's `padding_mode`).
enum class PaddingMode {
  /// The `fill` value.
  Constant,
  /// The nearest edge pixel, repeated.
  Edge,
  /// Mirrored without repeating the edge: 2 1 | 0 1 2 | 1 0.
  Reflect,
  /// Mirrored with the edge repeated: 1 0 | 0 1 2 | 2 1.
  Symmetric,
};

// The image transforms below take tensors whose last two dimensions are
// height and width ([C, H, W], or [H, W]), of dtype float32, float64 or
// int32, and return new realized tensors of the same dtype. Those that draw
// random numbers draw from sample_generator(), so inside a DataLoader they
// depend on (seed, epoch, sample index) only.

/// Crops a `size` region at a random position (torchvision's `RandomCrop`),
/// after padding the image by `padding` on every side; with
/// `pad_if_needed`, an image still smaller than `size` is padded to it
/// rather than being a kiln::Error. Negative sizes or padding, or a `size`
/// larger than the padded image without pad_if_needed, are kiln::Errors.
class RandomCrop {
public:
  /// Crops to `size` after padding with `padding` pixels of `fill` (or per
  /// `padding_mode`).
  explicit RandomCrop(ImageSize size, int64_t padding = 0,
                      bool pad_if_needed = false, double fill = 0,
                      PaddingMode padding_mode = PaddingMode::Constant);
  /// The crop of `input`.
  Tensor operator()(const Tensor &input) const;

private:
  ImageSize size_;
  int64_t padding_;
  bool padIfNeeded_;
  double fill_;
  PaddingMode mode_;
};

/// Mirrors the image left-right with probability `p` (torchvision's
/// `RandomHorizontalFlip`); otherwise returns it unchanged.
class RandomHorizontalFlip {
public:
  /// Flips with probability `p`, which must lie in [0, 1].
  explicit RandomHorizontalFlip(double p = 0.5);
  /// `input`, flipped or not.
  Tensor operator()(const Tensor &input) const;

private:
  double p_;
};

/// Crops the central `size` region (torchvision's `CenterCrop`): the top
/// left corner is at round((H - h) / 2), round((W - w) / 2). An image
/// smaller than `size` is padded with zeros first, as in torchvision:
/// (h - H) / 2 rows before it, the rest after (likewise for columns).
class CenterCrop {
public:
  /// Crops to `size`; a non-positive side is a kiln::Error.
  explicit CenterCrop(ImageSize size);
  /// The central crop of `input`.
  Tensor operator()(const Tensor &input) const;

private:
  ImageSize size_;
};

/// Resizes with bilinear interpolation (torchvision's `Resize` with
/// antialias=False, i.e. `interpolate(mode="bilinear",
/// align_corners=False)`): pixel centres map to pixel centres. An int32
/// image's values are rounded back to integers. A single size (the int
/// constructor) sets the smaller edge and keeps the aspect ratio, as in
/// torchvision; a pair sets both.
class Resize {
public:
  /// Resizes the smaller edge to `size`, the other to
  /// floor(size * long / short).
  explicit Resize(int64_t size);
  /// Resizes to `size` exactly.
  explicit Resize(ImageSize size);
  /// The resized image.
  Tensor operator()(const Tensor &input) const;

private:
  ImageSize size_;
  bool smallerEdge_;
};

} // namespace transforms

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_TRANSFORMS_H
