//===- Transforms.cpp - Transforms of samples -----------------------------===//
//
// Normalize, Lambda, Compose, ToTensor and the image transforms, which all
// read an image through one window of [..., H, W] planes.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/Transforms.h"
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <type_traits>
#include <vector>

namespace kiln::data {

//===----------------------------------------------------------------------===//
// Images
//===----------------------------------------------------------------------===//

namespace {

/// The layout of an image tensor [..., H, W]: `planes` images of h x w.
struct Geometry {
  size_t planes, height, width;
};

Geometry imageGeometry(const Tensor &t, std::string_view who) {
  if (!t.defined())
    throw Error(std::string(who) + ": the input is undefined");
  if (t.dim() < 2)
    throw Error(std::string(who) + ": the input is " + describe(t) +
                "; an image needs its last two dimensions to be height and "
                "width ([C, H, W] or [H, W])");
  if (t.dtype() != kFloat32 && t.dtype() != kFloat64 && t.dtype() != kInt32)
    throw Error(std::string(who) + ": the input is " + describe(t) +
                "; images must be float32, float64 or int32");
  auto h = static_cast<size_t>(t.size(-2)), w = static_cast<size_t>(t.size(-1));
  size_t numel = static_cast<size_t>(t.numel());
  return {h * w ? numel / (h * w) : 0, h, w};
}

/// Calls `f(T{})` with T the C++ type of an image's dtype.
template <typename F> void dispatchImage(ScalarType dtype, F &&f) {
  switch (dtype) {
  case kFloat32:
    f(float{});
    break;
  case kFloat64:
    f(double{});
    break;
  default:
    f(int32_t{});
    break;
  }
}

/// `shape` with its last two dimensions replaced.
Shape withHeightWidth(Shape shape, int64_t h, int64_t w) {
  shape[shape.size() - 2] = h;
  shape[shape.size() - 1] = w;
  return shape;
}

/// Where position `i` of a padded axis of length `n` reads from, or -1 for
/// the fill value.
int64_t padSource(int64_t i, int64_t n, data::transforms::PaddingMode mode) {
  using data::transforms::PaddingMode;
  if (i >= 0 && i < n)
    return i;
  switch (mode) {
  case PaddingMode::Constant:
    return -1;
  case PaddingMode::Edge:
    return std::clamp<int64_t>(i, 0, n - 1);
  case PaddingMode::Reflect: {
    if (n == 1)
      return 0;
    int64_t period = 2 * (n - 1), m = ((i % period) + period) % period;
    return m < n ? m : period - m;
  }
  case PaddingMode::Symmetric: {
    int64_t period = 2 * n, m = ((i % period) + period) % period;
    return m < n ? m : period - 1 - m;
  }
  }
  return -1;
}

/// The h x w window of `input` whose top left corner is (top, left), which
/// may lie outside the image: positions outside read per `mode`. Crops,
/// padding and centre crops are all this.
Tensor window(const Tensor &input, const Geometry &g, int64_t top, int64_t left,
              int64_t h, int64_t w, double fill,
              data::transforms::PaddingMode mode) {
  Tensor out =
      uninitialized(withHeightWidth(input.sizes(), h, w), input.dtype());
  auto H = static_cast<int64_t>(g.height), W = static_cast<int64_t>(g.width);
  std::vector<int64_t> cols(static_cast<size_t>(w));
  for (int64_t x = 0; x < w; ++x)
    cols[static_cast<size_t>(x)] = padSource(left + x, W, mode);
  dispatchImage(input.dtype(), [&]<typename T>(T) {
    const T *in = static_cast<const T *>(input.data_ptr());
    T *dst = static_cast<T *>(out.data_ptr());
    T fillValue = static_cast<T>(fill);
    for (size_t p = 0; p < g.planes; ++p) {
      const T *plane = in + p * g.height * g.width;
      for (int64_t y = 0; y < h; ++y) {
        int64_t sy = padSource(top + y, H, mode);
        for (int64_t x = 0; x < w; ++x) {
          int64_t sx = cols[static_cast<size_t>(x)];
          *dst++ = sy < 0 || sx < 0 ? fillValue : plane[sy * W + sx];
        }
      }
    }
  });
  return out;
}

void checkSize(const data::transforms::ImageSize &size, std::string_view who) {
  if (size.height <= 0 || size.width <= 0)
    throw Error(std::string(who) + ": the size must be positive, got " +
                std::to_string(size.height) + "x" + std::to_string(size.width));
}

} // namespace

//===----------------------------------------------------------------------===//
// Transforms
//===----------------------------------------------------------------------===//

namespace transforms {

void detail::checkNormalize(const std::vector<double> &mean_,
                            const std::vector<double> &std_) {
  if (mean_.empty() || mean_.size() != std_.size())
    throw Error("Normalize: needs one mean and one std per channel, got " +
                std::to_string(mean_.size()) + " means and " +
                std::to_string(std_.size()) + " stds");
  for (size_t c = 0; c < std_.size(); ++c)
    if (std_[c] == 0 || !std::isfinite(std_[c]) || !std::isfinite(mean_[c]))
      throw Error("Normalize: channel " + std::to_string(c) + " has mean " +
                  number(mean_[c]) + " and std " + number(std_[c]) +
                  "; both must be finite and the std non-zero");
}

namespace {
template <typename T>
void normalizeInto(const T *in, T *out, size_t channels, size_t perChannel,
                   const std::vector<double> &mean,
                   const std::vector<double> &std) {
  for (size_t c = 0; c < channels; ++c) {
    // In the tensor's precision, as torchvision's (x - mean) / std is.
    T m = static_cast<T>(mean[mean.size() == 1 ? 0 : c]);
    T s = static_cast<T>(std[std.size() == 1 ? 0 : c]);
    for (size_t i = c * perChannel; i < (c + 1) * perChannel; ++i)
      out[i] = (in[i] - m) / s;
  }
}
} // namespace

Tensor detail::normalize(const Tensor &input, const std::vector<double> &mean_,
                         const std::vector<double> &std_) {
  if (!input.defined())
    throw Error("Normalize: the input is undefined");
  if (input.dtype() != kFloat32 && input.dtype() != kFloat64)
    throw Error("Normalize: the input is " + describe(input) +
                "; it must be float32 or float64");
  size_t channels = mean_.size();
  if (channels > 1 &&
      (input.dim() == 0 || static_cast<size_t>(input.size(0)) != channels))
    throw Error("Normalize: " + std::to_string(channels) +
                " means and stds, but the input " + describe(input) +
                " does not have " + std::to_string(channels) +
                " channels along its first dimension");
  size_t numel = static_cast<size_t>(input.numel());
  if (channels == 1)
    channels = numel ? 1 : 0;
  size_t perChannel = channels ? numel / channels : 0;
  Tensor out = uninitialized(input.sizes(), input.dtype());
  if (input.dtype() == kFloat32)
    normalizeInto(input.data_ptr<float>(), out.data_ptr<float>(), channels,
                  perChannel, mean_, std_);
  else
    normalizeInto(input.data_ptr<double>(), out.data_ptr<double>(), channels,
                  perChannel, mean_, std_);
  return out;
}

void detail::emptyFunction(const char *who) {
  throw Error(std::string(who) + ": the function is empty");
}

Compose::Compose(std::vector<TensorFunction> transforms)
    : transforms_(std::move(transforms)) {
  for (size_t i = 0; i < transforms_.size(); ++i)
    if (!transforms_[i])
      throw Error("Compose: transform " + std::to_string(i) + " is empty");
}

Tensor Compose::operator()(Tensor input) const {
  for (const TensorFunction &transform : transforms_)
    input = transform(std::move(input));
  return input;
}

Tensor ToTensor::operator()(const Tensor &input) const {
  if (!input.defined())
    throw Error("ToTensor: the input is undefined");
  if (input.dtype() != kInt32 || (input.dim() != 2 && input.dim() != 3))
    throw Error("ToTensor: the input is " + describe(input) +
                "; it takes an int32 [H, W, C] or [H, W] image of values "
                "0..255, as load_image gives");
  int64_t h = input.size(0), w = input.size(1);
  int64_t c = input.dim() == 3 ? input.size(2) : 1;
  Tensor out = uninitialized({c, h, w}, kFloat32);
  const int32_t *in = input.data_ptr<int32_t>();
  float *dst = out.data_ptr<float>();
  size_t hw = static_cast<size_t>(h * w), channels = static_cast<size_t>(c);
  for (size_t p = 0; p < hw; ++p)
    for (size_t ch = 0; ch < channels; ++ch) {
      int32_t v = in[p * channels + ch];
      if (v < 0 || v > 255)
        throw Error("ToTensor: value " + std::to_string(v) + " at pixel " +
                    std::to_string(p) + ", channel " + std::to_string(ch) +
                    " is outside 0..255");
      dst[ch * hw + p] = static_cast<float>(v) / 255.0f;
    }
  return out;
}

RandomCrop::RandomCrop(ImageSize size, int64_t padding, bool pad_if_needed,
                       double fill, PaddingMode padding_mode)
    : size_(size), padding_(padding), padIfNeeded_(pad_if_needed), fill_(fill),
      mode_(padding_mode) {
  checkSize(size_, "RandomCrop");
  if (padding_ < 0)
    throw Error("RandomCrop: padding must be non-negative, got " +
                std::to_string(padding_));
}

Tensor RandomCrop::operator()(const Tensor &input) const {
  Geometry g = imageGeometry(input, "RandomCrop");
  // The padded image: `padding` on every side, then, with pad_if_needed,
  // what is still missing on both sides of a dimension (torchvision pads
  // each side by the whole shortfall).
  auto H = static_cast<int64_t>(g.height), W = static_cast<int64_t>(g.width);
  int64_t top = padding_, left = padding_;
  int64_t paddedH = H + 2 * padding_, paddedW = W + 2 * padding_;
  if (padIfNeeded_ && paddedH < size_.height) {
    int64_t more = size_.height - paddedH;
    top += more;
    paddedH += 2 * more;
  }
  if (padIfNeeded_ && paddedW < size_.width) {
    int64_t more = size_.width - paddedW;
    left += more;
    paddedW += 2 * more;
  }
  if (paddedH < size_.height || paddedW < size_.width)
    throw Error("RandomCrop: the crop " + std::to_string(size_.height) + "x" +
                std::to_string(size_.width) + " is larger than the " +
                (padding_ ? "padded " : "") + "image " +
                std::to_string(paddedH) + "x" + std::to_string(paddedW) +
                " (pass pad_if_needed to pad it)");
  int64_t i = 0, j = 0;
  if (paddedH != size_.height || paddedW != size_.width) {
    std::mt19937_64 &gen = sample_generator();
    i = static_cast<int64_t>(
        uniformBelow(gen, static_cast<uint64_t>(paddedH - size_.height + 1)));
    j = static_cast<int64_t>(
        uniformBelow(gen, static_cast<uint64_t>(paddedW - size_.width + 1)));
  }
  return window(input, g, i - top, j - left, size_.height, size_.width, fill_,
                mode_);
}

RandomHorizontalFlip::RandomHorizontalFlip(double p) : p_(p) {
  if (!(p >= 0 && p <= 1))
    throw Error("RandomHorizontalFlip: p must lie in [0, 1], got " + number(p));
}

Tensor RandomHorizontalFlip::operator()(const Tensor &input) const {
  Geometry g = imageGeometry(input, "RandomHorizontalFlip");
  // One draw per sample, flipped or not, as torch.rand(1) < p.
  if (!(uniformUnit(sample_generator()) < p_))
    return input;
  Tensor out = uninitialized(input.sizes(), input.dtype());
  dispatchImage(input.dtype(), [&]<typename T>(T) {
    const T *in = static_cast<const T *>(input.data_ptr());
    T *dst = static_cast<T *>(out.data_ptr());
    for (size_t row = 0; row < g.planes * g.height; ++row)
      std::reverse_copy(in + row * g.width, in + (row + 1) * g.width,
                        dst + row * g.width);
  });
  return out;
}

CenterCrop::CenterCrop(ImageSize size) : size_(size) {
  checkSize(size_, "CenterCrop");
}

Tensor CenterCrop::operator()(const Tensor &input) const {
  Geometry g = imageGeometry(input, "CenterCrop");
  // torchvision's int(round((H - h) / 2.0)), Python rounding halves to
  // even; a crop larger than the image pads it first, (h - H) // 2 before
  // and the rest after.
  auto offset = [](int64_t image, int64_t crop) {
    if (crop > image)
      return -((crop - image) / 2);
    return static_cast<int64_t>(
        std::nearbyint(static_cast<double>(image - crop) / 2.0));
  };
  int64_t top = offset(static_cast<int64_t>(g.height), size_.height);
  int64_t left = offset(static_cast<int64_t>(g.width), size_.width);
  return window(input, g, top, left, size_.height, size_.width, 0,
                PaddingMode::Constant);
}

Resize::Resize(int64_t size) : size_(size), smallerEdge_(true) {
  checkSize(size_, "Resize");
}

Resize::Resize(ImageSize size) : size_(size), smallerEdge_(false) {
  checkSize(size_, "Resize");
}

Tensor Resize::operator()(const Tensor &input) const {
  Geometry g = imageGeometry(input, "Resize");
  if (g.height == 0 || g.width == 0)
    throw Error("Resize: cannot resize the empty image " + describe(input));
  auto H = static_cast<int64_t>(g.height), W = static_cast<int64_t>(g.width);
  int64_t h = size_.height, w = size_.width;
  if (smallerEdge_) {
    int64_t shortSide = std::min(H, W), longSide = std::max(H, W);
    int64_t newLong = size_.height * longSide / shortSide;
    h = H <= W ? size_.height : newLong;
    w = H <= W ? newLong : size_.height;
  }
  // For each output row (column): the two input rows it blends and the
  // weight of the second, from pixel centre to pixel centre.
  struct Tap {
    int64_t first, second;
    double weight;
  };
  auto taps = [](int64_t in, int64_t out) {
    std::vector<Tap> result(static_cast<size_t>(out));
    double scale = static_cast<double>(in) / static_cast<double>(out);
    for (int64_t o = 0; o < out; ++o) {
      double src = std::max(0.0, (static_cast<double>(o) + 0.5) * scale - 0.5);
      auto first = std::min(static_cast<int64_t>(src), in - 1);
      int64_t second = std::min(first + 1, in - 1);
      result[static_cast<size_t>(o)] = {first, second,
                                        src - static_cast<double>(first)};
    }
    return result;
  };
  std::vector<Tap> rows = taps(H, h), cols = taps(W, w);
  Tensor out =
      uninitialized(withHeightWidth(input.sizes(), h, w), input.dtype());
  dispatchImage(input.dtype(), [&]<typename T>(T) {
    const T *in = static_cast<const T *>(input.data_ptr());
    T *dst = static_cast<T *>(out.data_ptr());
    for (size_t p = 0; p < g.planes; ++p) {
      const T *plane = in + p * g.height * g.width;
      for (const Tap &r : rows)
        for (const Tap &c : cols) {
          auto at = [&](int64_t y, int64_t x) {
            return static_cast<double>(plane[y * W + x]);
          };
          double top = at(r.first, c.first) * (1 - c.weight) +
                       at(r.first, c.second) * c.weight;
          double bottom = at(r.second, c.first) * (1 - c.weight) +
                          at(r.second, c.second) * c.weight;
          double v = top * (1 - r.weight) + bottom * r.weight;
          if constexpr (std::is_integral_v<T>)
            *dst++ = static_cast<T>(std::lround(v));
          else
            *dst++ = static_cast<T>(v);
        }
    }
  });
  return out;
}

} // namespace transforms

} // namespace kiln::data
