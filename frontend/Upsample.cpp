//===- Upsample.cpp - Resizing images: interpolate and Upsample -----------===//
#include "kiln/frontend/Upsample.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/Layers.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/Pooling.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/runtime/Error.h"

#include <cmath>

namespace kiln::nn {

using detail::fail;
using detail::str;

namespace functional {

namespace {

/// One output position's taps along a dimension: input indices and their
/// weights.
struct Taps {
  std::vector<std::vector<int64_t>> index; ///< [tap][output]
  std::vector<std::vector<double>> weight; ///< [tap][output]
};

/// PyTorch's input coordinate scale for output size `out` of `in`.
double coordinateScale(int64_t in, int64_t out, bool alignCorners,
                       std::optional<double> scale) {
  if (alignCorners)
    return out > 1 ? static_cast<double>(in - 1) / static_cast<double>(out - 1)
                   : 0.0;
  if (scale && *scale > 0)
    return 1.0 / *scale;
  return static_cast<double>(in) / static_cast<double>(out);
}

Taps taps(const std::string &mode, int64_t in, int64_t out, bool alignCorners,
          std::optional<double> scale) {
  double s = coordinateScale(in, out, alignCorners, scale);
  auto clampIndex = [&](int64_t i) {
    return std::min<int64_t>(std::max<int64_t>(i, 0), in - 1);
  };
  Taps t;
  auto add = [&](size_t tap, int64_t index, double weight) {
    if (t.index.size() <= tap) {
      t.index.resize(tap + 1);
      t.weight.resize(tap + 1);
    }
    t.index[tap].push_back(clampIndex(index));
    t.weight[tap].push_back(weight);
  };
  for (int64_t o = 0; o < out; ++o) {
    if (mode == "nearest") {
      add(0, static_cast<int64_t>(std::floor(static_cast<double>(o) * s)), 1);
    } else if (mode == "nearest-exact") {
      add(0,
          static_cast<int64_t>(std::floor((static_cast<double>(o) + 0.5) * s)),
          1);
    } else if (mode == "bicubic") {
      double src = alignCorners ? o * s : (o + 0.5) * s - 0.5;
      double base = std::floor(src);
      double x = src - base;
      constexpr double a = -0.75;
      auto near = [&](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };
      auto far = [&](double d) {
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
      };
      auto i = static_cast<int64_t>(base);
      add(0, i - 1, far(x + 1));
      add(1, i, near(x));
      add(2, i + 1, near(1 - x));
      add(3, i + 2, far(2 - x));
    } else { // linear
      double src = alignCorners ? o * s : std::max((o + 0.5) * s - 0.5, 0.0);
      auto i = static_cast<int64_t>(std::floor(src));
      double lambda = src - static_cast<double>(i);
      add(0, i, 1 - lambda);
      add(1, i + 1 < in ? i + 1 : i, lambda);
    }
  }
  return t;
}

/// `x` resized along `dim` with `t`'s taps.
Tensor resizeDim(const Tensor &x, int64_t dim, const Taps &t, const Loc &loc) {
  Shape weightShape(x.dim(), 1);
  weightShape[dim] = static_cast<int64_t>(t.index[0].size());
  Tensor out;
  for (size_t k = 0; k < t.index.size(); ++k) {
    Tensor picked = x.index_select(dim, tensor(t.index[k], kInt64, loc), loc);
    bool ones = std::all_of(t.weight[k].begin(), t.weight[k].end(),
                            [](double w) { return w == 1; });
    Tensor term =
        ones
            ? picked
            : picked *
                  tensor(t.weight[k], x.dtype(), loc).reshape(weightShape, loc);
    out = out.defined() ? out + term : term;
  }
  return out;
}

} // namespace

Tensor interpolate(const Tensor &input, const InterpolateFuncOptions &options,
                   Loc loc) {
  constexpr std::string_view op = "interpolate";
  detail::checkDefined(input, op, loc);
  const std::string &mode = options.mode().str();
  int64_t spatial = input.dim() - 2;
  if (spatial < 1 || spatial > 3)
    fail(loc, op,
         "expects [N, C, L], [N, C, H, W] or [N, C, D, H, W], got " +
             str(input.sizes()));
  int64_t needed = mode == "linear"      ? 1
                   : mode == "bilinear"  ? 2
                   : mode == "bicubic"   ? 2
                   : mode == "trilinear" ? 3
                                         : spatial;
  if (mode != "nearest" && mode != "nearest-exact" && mode != "linear" &&
      mode != "bilinear" && mode != "bicubic" && mode != "trilinear" &&
      mode != "area")
    fail(loc, op,
         "mode must be kNearest, kNearestExact, kLinear, kBilinear, kBicubic, "
         "kTrilinear or kArea, got \"" +
             mode + "\"");
  if (needed != spatial)
    fail(loc, op,
         "mode \"" + mode + "\" resizes " + std::to_string(needed) +
             " spatial dimensions, the input " + str(input.sizes()) + " has " +
             std::to_string(spatial));
  bool interpolating = mode == "linear" || mode == "bilinear" ||
                       mode == "bicubic" || mode == "trilinear";
  if (options.align_corners() && !interpolating)
    fail(loc, op,
         "align_corners only applies to the linear and bicubic modes, not \"" +
             mode + "\"");
  if (options.antialias())
    fail(loc, op, "antialias is not supported");
  if (options.size().has_value() == options.scale_factor().has_value())
    fail(loc, op, "give exactly one of size and scale_factor");
  if (!input.is_floating_point())
    fail(loc, op, "expects a floating point input, got " + str(input.dtype()));
  // The output sizes, and the scales that map coordinates.
  Shape out;
  std::vector<std::optional<double>> scales(spatial);
  if (options.size()) {
    Shape given = *options.size();
    if (given.size() == 1 && spatial > 1)
      given.assign(spatial, given[0]);
    if (static_cast<int64_t>(given.size()) != spatial)
      fail(loc, op,
           "size must have " + std::to_string(spatial) + " values, got " +
               std::to_string(given.size()));
    out = given;
  } else {
    std::vector<double> factors = *options.scale_factor();
    if (factors.size() == 1 && spatial > 1)
      factors.assign(spatial, factors[0]);
    if (static_cast<int64_t>(factors.size()) != spatial)
      fail(loc, op,
           "scale_factor must have " + std::to_string(spatial) +
               " values, got " + std::to_string(factors.size()));
    for (int64_t d = 0; d < spatial; ++d) {
      if (!(factors[d] > 0))
        fail(loc, op, "scale factors must be positive");
      out.push_back(static_cast<int64_t>(
          std::floor(static_cast<double>(input.size(d + 2)) * factors[d])));
      if (!options.recompute_scale_factor().value_or(false))
        scales[d] = factors[d];
    }
  }
  for (int64_t o : out)
    if (o <= 0)
      fail(loc, op, "the output size " + str(out) + " must be positive");
  if (mode == "area") {
    if (spatial == 1)
      return adaptive_avg_pool1d(input, AdaptiveAvgPool1dOptions(out[0]), loc);
    if (spatial == 2)
      return kiln::adaptive_avg_pool2d(input, out, loc);
    return adaptive_avg_pool3d(
        input, AdaptiveAvgPool3dOptions({out[0], out[1], out[2]}), loc);
  }
  bool alignCorners = options.align_corners().value_or(false);
  Tensor x = input;
  for (int64_t d = 0; d < spatial; ++d)
    x = resizeDim(x, d + 2,
                  taps(interpolating && mode != "bicubic" ? "linear" : mode,
                       input.size(d + 2), out[d], alignCorners, scales[d]),
                  loc);
  return x;
}

} // namespace functional

namespace F = functional;

Tensor UpsampleImpl::forward(const Tensor &input) {
  return F::interpolate(input, F::InterpolateFuncOptions()
                                   .size(options.size())
                                   .scale_factor(options.scale_factor())
                                   .mode(options.mode())
                                   .align_corners(options.align_corners()));
}

void UpsampleImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Upsample(";
  auto list = [&](const auto &values) {
    os << "[";
    for (size_t i = 0; i < values.size(); ++i)
      os << (i ? ", " : "") << values[i];
    os << "]";
  };
  if (options.scale_factor()) {
    os << "scale_factor=";
    list(*options.scale_factor());
  } else if (options.size()) {
    os << "size=";
    list(*options.size());
  }
  os << ", mode=" << constantName(options.mode()) << ")";
}

} // namespace kiln::nn
