//===- Transforms.h - Transforms of samples ---------------------*- C++ -*-===//
//
// LibTorch's transform classes (BatchTransform, Transform, Lambda, Stack,
// TensorTransform, Normalize) and torchvision's transforms: Compose,
// ToTensor and the image transforms (crops, flips, resizing).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_TRANSFORMS_H
#define KILN_FRONTEND_DATA_TRANSFORMS_H

#include "kiln/frontend/data/Dataset.h"

#include <cstdint>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace kiln::data {

/// Transforms of a sample's input or target (torchvision's transforms,
/// LibTorch's `torch::data::transforms`). Like the datasets, they compute
/// new realized tensors directly and never record ops.
namespace transforms {

namespace detail {
/// Throws the kiln::Error of Normalize for means and stds that cannot
/// normalize: unequal or zero counts, a zero or non-finite std.
void checkNormalize(const std::vector<double> &mean,
                    const std::vector<double> &std);
/// `(input - mean[c]) / std[c]` per channel, as Normalize computes it.
Tensor normalize(const Tensor &input, const std::vector<double> &mean,
                 const std::vector<double> &std);
/// Throws the kiln::Error of `who` given an empty function.
[[noreturn]] void emptyFunction(const char *who);
} // namespace detail

//===----------------------------------------------------------------------===//
// LibTorch's transform classes: what `dataset.map(...)` applies
//===----------------------------------------------------------------------===//

/// Transforms a whole batch (LibTorch's `BatchTransform`): what
/// datasets::MapDataset applies to each batch its dataset returns.
template <typename InputBatch, typename OutputBatch> class BatchTransform {
public:
  /// The batch taken.
  using InputBatchType = InputBatch;
  /// The batch made.
  using OutputBatchType = OutputBatch;
  /// Transforms are used through base pointers too.
  virtual ~BatchTransform() = default;
  /// The transformed batch.
  virtual OutputBatch apply_batch(InputBatch input_batch) = 0;
};

/// Transforms each example of a batch on its own (LibTorch's `Transform`).
template <typename Input, typename Output>
class Transform
    : public BatchTransform<std::vector<Input>, std::vector<Output>> {
public:
  /// An example taken.
  using InputType = Input;
  /// An example made.
  using OutputType = Output;
  /// The transformed example.
  virtual Output apply(Input input) = 0;
  /// apply() of every example, in order.
  std::vector<Output> apply_batch(std::vector<Input> input_batch) override {
    std::vector<Output> output;
    output.reserve(input_batch.size());
    for (Input &input : input_batch)
      output.push_back(apply(std::move(input)));
    return output;
  }
};

/// A function of a whole batch as a BatchTransform (LibTorch's
/// `BatchLambda`).
template <typename Input, typename Output = Input>
class BatchLambda : public BatchTransform<Input, Output> {
public:
  /// The function's type.
  using FunctionType = std::function<Output(Input)>;
  /// Applies `function`; an empty one is a kiln::Error.
  explicit BatchLambda(FunctionType function) : function_(std::move(function)) {
    if (!function_)
      detail::emptyFunction("BatchLambda");
  }
  /// `function(input_batch)`.
  Output apply_batch(Input input_batch) override {
    return function_(std::move(input_batch));
  }

private:
  FunctionType function_;
};

/// A function of one example as a Transform (LibTorch's `Lambda`;
/// `Lambda<Example<>>`), or of one tensor (torchvision's `Lambda`: with no
/// template arguments, `Lambda(fn)` is a `Lambda<Tensor>`, a tensor
/// transform usable wherever a TensorFunction is).
template <typename Input = Tensor, typename Output = Input>
class Lambda : public Transform<Input, Output> {
public:
  /// The function's type.
  using FunctionType = std::function<Output(Input)>;
  /// Applies `function`; an empty one is a kiln::Error.
  explicit Lambda(FunctionType function) : function_(std::move(function)) {
    if (!function_)
      detail::emptyFunction("Lambda");
  }
  /// `function(input)`.
  Output apply(Input input) override { return function_(std::move(input)); }
  /// `function(input)`.
  Output operator()(Input input) const { return function_(std::move(input)); }

private:
  FunctionType function_;
};

/// `Lambda(fn)` of a tensor function is a Lambda<Tensor>.
Lambda(TensorFunction) -> Lambda<Tensor>;

/// Makes one batch of a batch's examples (LibTorch's `Collation`).
template <typename BatchType, typename RawBatchType = std::vector<BatchType>>
using Collation = BatchTransform<RawBatchType, BatchType>;

/// A function as a Collation (LibTorch's `Collate`).
template <typename BatchType, typename RawBatchType = std::vector<BatchType>>
using Collate = BatchLambda<RawBatchType, BatchType>;

/// Stacks the examples of a batch into one (LibTorch's `Stack`): the data,
/// and the targets, along a new first dimension, as default_collate does.
template <typename T = Example<>> struct Stack;

/// Stacks data and targets: n examples of [d...] and [t...] become one of
/// [n, d...] and [n, t...]. Shapes or dtypes that differ are a kiln::Error.
template <> struct Stack<Example<>> : public Collation<Example<>> {
  /// The stacked example.
  Example<> apply_batch(std::vector<Example<>> examples) override;
};

/// Stacks the tensors of TensorExamples.
template <> struct Stack<TensorExample> : public Collation<TensorExample> {
  /// The stacked example.
  TensorExample apply_batch(std::vector<TensorExample> examples) override;
};

/// Transforms the data of an example and leaves its target (LibTorch's
/// `TensorTransform`): subclasses give operator().
template <typename Target = Tensor>
class TensorTransform
    : public Transform<Example<Tensor, Target>, Example<Tensor, Target>> {
public:
  /// The example transformed.
  using E = Example<Tensor, Target>;
  /// The transformed data.
  virtual Tensor operator()(Tensor input) = 0;
  /// The example with its data transformed.
  E apply(E input) override {
    input.data = (*this)(std::move(input.data));
    return input;
  }
};

/// A function of the data as a TensorTransform (LibTorch's `TensorLambda`).
template <typename Target = Tensor>
class TensorLambda : public TensorTransform<Target> {
public:
  /// The function's type.
  using FunctionType = std::function<Tensor(Tensor)>;
  /// Applies `function`; an empty one is a kiln::Error.
  explicit TensorLambda(FunctionType function)
      : function_(std::move(function)) {
    if (!function_)
      detail::emptyFunction("TensorLambda");
  }
  /// `function(input)`.
  Tensor operator()(Tensor input) override {
    return function_(std::move(input));
  }

private:
  FunctionType function_;
};

/// `(x - mean[c]) / std[c]` for each channel `c` (LibTorch's and
/// torchvision's `Normalize`). The channel is the first dimension of the
/// sample: C of a [C, H, W] image, the feature of a [F] vector. One mean and
/// one std apply to every channel. As a TensorTransform it normalizes an
/// example's data (`dataset.map(Normalize<>(0.1307, 0.3081))`); as a
/// function of a tensor it is a TensorFunction (`Normalize({0.5}, {0.5})`).
template <typename Target = Tensor>
class Normalize : public TensorTransform<Target> {
public:
  /// `mean` and `std` must have equal, non-zero lengths, and no std may be
  /// zero (kiln::Error otherwise).
  Normalize(std::vector<double> mean, std::vector<double> std)
      : mean_(std::move(mean)), std_(std::move(std)) {
    detail::checkNormalize(mean_, std_);
  }
  /// One mean and one std for every channel.
  template <typename M, typename S>
    requires std::is_arithmetic_v<M> && std::is_arithmetic_v<S>
  Normalize(M mean, S std)
      : Normalize(std::vector<double>{static_cast<double>(mean)},
                  std::vector<double>{static_cast<double>(std)}) {}

  /// A new float32 or float64 tensor like `input`, which must be floating
  /// point with mean().size() entries along its first dimension (or any
  /// shape when there is one mean); anything else is a kiln::Error.
  Tensor operator()(Tensor input) const {
    return detail::normalize(input, mean_, std_);
  }
  /// The same, as the TensorTransform.
  Tensor operator()(Tensor input) override {
    return detail::normalize(input, mean_, std_);
  }

  /// The per-channel means.
  const std::vector<double> &mean() const { return mean_; }
  /// The per-channel standard deviations.
  const std::vector<double> &std() const { return std_; }

private:
  std::vector<double> mean_;
  std::vector<double> std_;
};

/// Transforms applied one after another, first to last (torchvision's
/// `Compose`).
class Compose {
public:
  /// Composes `transforms`; an empty one among them is a kiln::Error.
  Compose(std::vector<TensorFunction> transforms);
  /// The last transform of ... of the first transform of `input`.
  Tensor operator()(Tensor input) const;

private:
  std::vector<TensorFunction> transforms_;
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
