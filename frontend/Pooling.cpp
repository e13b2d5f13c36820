//===- Pooling.cpp - Windows over N-d inputs: pools, fold, 3-d conv -------===//
#include "kiln/frontend/Pooling.h"
#include "kiln/frontend/ConvCommon.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/Layers.h"
#include "kiln/frontend/NN.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/runtime/Error.h"

#include <cmath>
#include <limits>

namespace kiln::nn {

using detail::fail;
using detail::str;

namespace functional {

namespace {

/// A window element that lies in the padding, or past it (only a window
/// of ceil mode reaches there, and no average counts it).
constexpr int64_t kPadding = -1;
constexpr int64_t kBeyond = -2;

/// One spatial dimension's windows: for each output position, the input
/// positions its window covers (or kPadding/kBeyond), all of one length.
using DimTable = std::vector<std::vector<int64_t>>;

struct Sliding {
  int64_t kernel, stride, padding, dilation;
};

DimTable slidingTable(int64_t size, const Sliding &s, bool ceilMode,
                      std::string_view op, const Loc &loc) {
  if (s.kernel <= 0 || s.stride <= 0 || s.dilation <= 0 || s.padding < 0)
    fail(loc, op,
         "kernel size, stride and dilation must be positive and padding "
         "non-negative, got kernel " +
             std::to_string(s.kernel) + ", stride " + std::to_string(s.stride) +
             ", padding " + std::to_string(s.padding) + ", dilation " +
             std::to_string(s.dilation));
  int64_t span = s.dilation * (s.kernel - 1) + 1;
  int64_t room = size + 2 * s.padding - span;
  if (room < 0)
    fail(loc, op,
         "the window (" + std::to_string(span) +
             " elements with dilation) is larger than the padded input (" +
             std::to_string(size + 2 * s.padding) + ")");
  int64_t outputs =
      (ceilMode ? (room + s.stride - 1) / s.stride : room / s.stride) + 1;
  // As PyTorch: in ceil mode, the last window must start inside the input
  // or its left padding.
  if (ceilMode && (outputs - 1) * s.stride >= size + s.padding)
    --outputs;
  DimTable table(outputs, std::vector<int64_t>(s.kernel));
  for (int64_t o = 0; o < outputs; ++o)
    for (int64_t k = 0; k < s.kernel; ++k) {
      int64_t p = o * s.stride - s.padding + k * s.dilation;
      table[o][k] = p >= 0 && p < size                        ? p
                    : p >= -s.padding && p < size + s.padding ? kPadding
                                                              : kBeyond;
    }
  return table;
}

/// PyTorch's adaptive windows: window i of n over a dimension of size L
/// spans [floor(i L / n), ceil((i + 1) L / n)).
DimTable adaptiveTable(int64_t size, int64_t outputs, std::string_view op,
                       const Loc &loc) {
  if (outputs <= 0)
    fail(loc, op,
         "the output size must be positive, got " + std::to_string(outputs));
  if (size == 0)
    fail(loc, op, "cannot pool an empty dimension");
  int64_t longest = 0;
  std::vector<std::pair<int64_t, int64_t>> spans;
  for (int64_t i = 0; i < outputs; ++i) {
    int64_t start = (i * size) / outputs;
    int64_t end = ((i + 1) * size + outputs - 1) / outputs;
    spans.emplace_back(start, end);
    longest = std::max(longest, end - start);
  }
  DimTable table(outputs, std::vector<int64_t>(longest, kBeyond));
  for (int64_t i = 0; i < outputs; ++i)
    for (int64_t p = spans[i].first; p < spans[i].second; ++p)
      table[i][p - spans[i].first] = p;
  return table;
}

/// The windows of [N, C, S1..Sd]: `values` [N, C, O1..Od, K] (K the
/// product of the per-dimension window lengths), and `source`, the flat
/// input position of each (output, window element), kPadding or kBeyond.
struct Windows {
  Tensor values;
  Shape outputs;
  int64_t window = 1;
  std::vector<int64_t> source; ///< [O1..Od, K], row-major
};

Windows gatherWindows(const Tensor &x, const std::vector<DimTable> &tables,
                      double padValue, const Loc &loc) {
  size_t d = tables.size();
  Shape spatial(x.sizes().end() - d, x.sizes().end());
  int64_t plane = 1;
  for (int64_t s : spatial)
    plane *= s;
  Windows w;
  std::vector<int64_t> kernels;
  for (const DimTable &t : tables) {
    w.outputs.push_back(static_cast<int64_t>(t.size()));
    kernels.push_back(t.empty() ? 0 : static_cast<int64_t>(t[0].size()));
    w.window *= kernels.back();
  }
  int64_t cells = 1;
  for (int64_t o : w.outputs)
    cells *= o;
  w.source.reserve(static_cast<size_t>(cells * w.window));
  std::vector<int64_t> o(d, 0), k(d, 0);
  for (int64_t cell = 0; cell < cells; ++cell) {
    for (int64_t rest = cell, i = static_cast<int64_t>(d) - 1; i >= 0; --i) {
      o[i] = rest % w.outputs[i];
      rest /= w.outputs[i];
    }
    for (int64_t e = 0; e < w.window; ++e) {
      for (int64_t rest = e, i = static_cast<int64_t>(d) - 1; i >= 0; --i) {
        k[i] = rest % kernels[i];
        rest /= kernels[i];
      }
      int64_t flat = 0;
      bool padding = false, beyond = false;
      for (size_t i = 0; i < d; ++i) {
        int64_t p = tables[i][o[i]][k[i]];
        beyond = beyond || p == kBeyond;
        padding = padding || p == kPadding;
        flat = flat * spatial[i] + std::max<int64_t>(p, 0);
      }
      w.source.push_back(beyond ? kBeyond : padding ? kPadding : flat);
    }
  }
  // One extra element of `padValue` stands for every padded position.
  std::vector<int64_t> picks(w.source.size());
  for (size_t i = 0; i < picks.size(); ++i)
    picks[i] = w.source[i] < 0 ? plane : w.source[i];
  Shape batch(x.sizes().begin(), x.sizes().end() - d);
  Shape flatShape = batch;
  flatShape.push_back(plane);
  Tensor flat = x.reshape(flatShape, loc);
  Shape padShape = batch;
  padShape.push_back(1);
  Tensor padded = cat({flat, full(padShape, padValue, x.dtype(), loc)},
                      static_cast<int64_t>(batch.size()), loc);
  Tensor index = tensor(picks, kInt64, loc);
  Shape shape = batch;
  shape.insert(shape.end(), w.outputs.begin(), w.outputs.end());
  shape.push_back(w.window);
  w.values = padded.index_select(static_cast<int64_t>(batch.size()), index, loc)
                 .reshape(shape, loc);
  return w;
}

/// `input` with its batch dimension: [N, C, S...] from [C, S...] too.
std::pair<Tensor, bool> batched(const Tensor &input, size_t d,
                                std::string_view op, const Loc &loc) {
  detail::checkDefined(input, op, loc);
  auto rank = static_cast<int64_t>(d);
  if (input.dim() != rank + 1 && input.dim() != rank + 2) {
    std::string spatial = d == 1 ? "L" : d == 2 ? "H, W" : "D, H, W";
    fail(loc, op,
         "expects [N, C, " + spatial + "] or [C, " + spatial + "], got " +
             str(input.sizes()));
  }
  bool hasBatch = input.dim() == rank + 2;
  return {hasBatch ? input : input.unsqueeze(0, loc), hasBatch};
}

Tensor unbatched(const Tensor &x, bool hasBatch, const Loc &loc) {
  return hasBatch ? x : x.squeeze(0, loc);
}

template <size_t D>
std::vector<DimTable>
slidingTables(const Tensor &x, const ExpandingArray<D> &kernel,
              const ExpandingArray<D> &stride, const ExpandingArray<D> &padding,
              const ExpandingArray<D> &dilation, bool ceilMode,
              std::string_view op, const Loc &loc) {
  std::vector<DimTable> tables;
  for (size_t i = 0; i < D; ++i)
    tables.push_back(slidingTable(
        x.size(x.dim() - D + i),
        {kernel[i], stride[i], padding[i], dilation[i]}, ceilMode, op, loc));
  return tables;
}

/// The windows of an adaptive pool of `x` to `sizes` (a missing size keeps
/// the input's).
template <size_t D>
std::vector<DimTable> adaptiveTables(const Tensor &x,
                                     const AdaptiveOutputSize<D> &sizes,
                                     std::string_view op, const Loc &loc) {
  Shape outputs = resolveSizes(sizes, x.sizes());
  std::vector<DimTable> tables;
  for (size_t i = 0; i < D; ++i)
    tables.push_back(
        adaptiveTable(x.size(x.dim() - D + i), outputs[i], op, loc));
  return tables;
}

/// The maximum of each window and its flat input index.
std::tuple<Tensor, Tensor> windowMax(const Windows &w, const Loc &loc) {
  auto [values, where] = w.values.max(-1, false, loc);
  // The window's maximum element k of cell c came from source[c K + k].
  int64_t cells = static_cast<int64_t>(w.source.size()) / w.window;
  Shape cellShape = w.outputs;
  Tensor cell = arange(cells, kInt64, loc).reshape(cellShape, loc);
  std::vector<int64_t> sources(w.source.begin(), w.source.end());
  for (int64_t &s : sources)
    s = std::max<int64_t>(s, 0);
  Tensor table = tensor(sources, kInt64, loc);
  Tensor flatPick = cell * w.window + where;
  Shape all = flatPick.sizes();
  Tensor indices =
      table.index_select(0, flatPick.reshape({-1}, loc), loc).reshape(all, loc);
  return {values, indices};
}

template <size_t D>
std::tuple<Tensor, Tensor>
maxPoolWithIndices(const Tensor &input, const MaxPoolOptions<D> &options,
                   std::string_view op, const Loc &loc) {
  auto [x, hasBatch] = batched(input, D, op, loc);
  for (size_t i = 0; i < D; ++i)
    if (options.padding()[i] * 2 > options.kernel_size()[i])
      fail(loc, op,
           "padding " + std::to_string(options.padding()[i]) +
               " must be at most half the kernel size " +
               std::to_string(options.kernel_size()[i]));
  Windows w =
      gatherWindows(x,
                    slidingTables<D>(x, options.kernel_size(), options.stride(),
                                     options.padding(), options.dilation(),
                                     options.ceil_mode(), op, loc),
                    -std::numeric_limits<double>::infinity(), loc);
  auto [values, indices] = windowMax(w, loc);
  return {unbatched(values, hasBatch, loc), unbatched(indices, hasBatch, loc)};
}

template <size_t D>
std::tuple<Tensor, Tensor>
adaptiveMaxWithIndices(const Tensor &input,
                       const AdaptiveMaxPoolOptions<D> &options,
                       std::string_view op, const Loc &loc) {
  auto [x, hasBatch] = batched(input, D, op, loc);
  Windows w =
      gatherWindows(x, adaptiveTables<D>(x, options.output_size(), op, loc),
                    -std::numeric_limits<double>::infinity(), loc);
  auto [values, indices] = windowMax(w, loc);
  return {unbatched(values, hasBatch, loc), unbatched(indices, hasBatch, loc)};
}

/// The sum of each window over the count of its elements the average
/// divides by (see AvgPoolOptions).
Tensor windowMean(const Windows &w, bool countPadding,
                  std::optional<int64_t> divisor, const Loc &loc) {
  Tensor sums = w.values.sum(-1, false, loc);
  if (divisor)
    return sums / static_cast<double>(*divisor);
  int64_t cells = static_cast<int64_t>(w.source.size()) / w.window;
  std::vector<double> counts(cells, 0);
  for (int64_t c = 0; c < cells; ++c)
    for (int64_t e = 0; e < w.window; ++e) {
      int64_t s = w.source[c * w.window + e];
      counts[c] += s >= 0 || (countPadding && s == kPadding) ? 1 : 0;
    }
  return sums / tensor(counts, sums.dtype(), loc).reshape(w.outputs, loc);
}

template <size_t D>
Tensor avgPool(const Tensor &input, const AvgPoolOptions<D> &options,
               std::string_view op, const Loc &loc) {
  auto [x, hasBatch] = batched(input, D, op, loc);
  if (!x.is_floating_point())
    fail(loc, op, "expects a floating point input, got " + str(x.dtype()));
  for (size_t i = 0; i < D; ++i)
    if (options.padding()[i] * 2 > options.kernel_size()[i])
      fail(loc, op,
           "padding " + std::to_string(options.padding()[i]) +
               " must be at most half the kernel size " +
               std::to_string(options.kernel_size()[i]));
  if (options.divisor_override() && *options.divisor_override() == 0)
    fail(loc, op, "divisor_override must not be 0");
  Windows w =
      gatherWindows(x,
                    slidingTables<D>(x, options.kernel_size(), options.stride(),
                                     options.padding(), ExpandingArray<D>(1),
                                     options.ceil_mode(), op, loc),
                    0.0, loc);
  return unbatched(windowMean(w, options.count_include_pad(),
                              options.divisor_override(), loc),
                   hasBatch, loc);
}

template <size_t D>
Tensor lpPool(const Tensor &input, const LPPoolOptions<D> &options,
              std::string_view op, const Loc &loc) {
  auto [x, hasBatch] = batched(input, D, op, loc);
  if (!x.is_floating_point())
    fail(loc, op, "expects a floating point input, got " + str(x.dtype()));
  double p = options.norm_type();
  if (!(p > 0))
    fail(loc, op, "norm_type must be positive, got " + std::to_string(p));
  Windows w =
      gatherWindows(x,
                    slidingTables<D>(x, options.kernel_size(), options.stride(),
                                     ExpandingArray<D>(0), ExpandingArray<D>(1),
                                     options.ceil_mode(), op, loc),
                    0.0, loc);
  Tensor sums = w.values.pow(p, loc).sum(-1, false, loc);
  // As PyTorch: sign(s) relu(|s|)^(1/p).
  Tensor out = sums.sign(loc) * sums.abs(loc).relu(loc).pow(1 / p, loc);
  return unbatched(out, hasBatch, loc);
}

template <size_t D>
Tensor maxUnpool(const Tensor &input, const Tensor &indices,
                 const MaxUnpoolFuncOptions<D> &options, std::string_view op,
                 const Loc &loc) {
  auto [x, hasBatch] = batched(input, D, op, loc);
  detail::checkDefined(indices, op, loc);
  if (indices.sizes() != input.sizes())
    fail(loc, op,
         "indices " + str(indices.sizes()) + " must have the input's shape " +
             str(input.sizes()));
  if (!is_integral(indices.dtype()))
    fail(loc, op, "indices must be integers, got " + str(indices.dtype()));
  Shape out;
  if (options.output_size()) {
    Shape given = *options.output_size();
    if (given.size() == D + 2 || given.size() == D + 1)
      given.erase(given.begin(), given.end() - D);
    if (given.size() != D)
      fail(loc, op,
           "output_size must have " + std::to_string(D) +
               " spatial sizes, got " + str(*options.output_size()));
    out = given;
  } else {
    for (size_t i = 0; i < D; ++i)
      out.push_back((x.size(x.dim() - D + i) - 1) * options.stride()[i] -
                    2 * options.padding()[i] + options.kernel_size()[i]);
  }
  int64_t plane = 1;
  for (int64_t s : out)
    plane *= s;
  int64_t n = x.size(0), c = x.size(1);
  int64_t count = x.numel() / (n * c);
  // The indices decide where values go: an index outside the plane is an
  // error (even if that means computing them first), never a clamped write.
  for (int64_t v : indices.to_vector<int64_t>())
    if (v < 0 || v >= plane)
      fail(loc, op,
           "index " + std::to_string(v) +
               " is out of range for an output "
               "plane of " +
               std::to_string(plane) + " elements " + str(out));
  // Every (sample, channel) plane is a block of the flat output.
  Tensor planeStart =
      (arange(n * c, kInt64, loc) * plane).reshape({n * c, 1}, loc);
  Tensor where =
      (indices.to(kInt64, loc).reshape({n * c, count}, loc) + planeStart)
          .reshape({-1}, loc);
  // Indices may repeat (overlapping windows pick the same element, with
  // the same value): the values that land on one place are averaged.
  Tensor sums = index_add(zeros({n * c * plane}, x.dtype(), loc), 0, where,
                          x.reshape({-1}, loc), loc);
  Tensor counts = index_add(zeros({n * c * plane}, x.dtype(), loc), 0, where,
                            ones({x.numel()}, x.dtype(), loc), loc);
  Tensor flat = sums / counts.clamp_min(1, loc);
  Shape shape = {n, c};
  shape.insert(shape.end(), out.begin(), out.end());
  return unbatched(flat.reshape(shape, loc), hasBatch, loc);
}

/// `x` with `stride - 1` zeros between its elements along `dim`.
Tensor dilate(const Tensor &x, int64_t dim, int64_t stride, const Loc &loc) {
  if (stride == 1 || x.size(dim) == 0)
    return x;
  Shape zerosShape = x.sizes();
  zerosShape.insert(zerosShape.begin() + dim + 1, stride - 1);
  Tensor spread =
      cat({x.unsqueeze(dim + 1, loc), zeros(zerosShape, x.dtype(), loc)},
          dim + 1, loc);
  Shape merged = x.sizes();
  merged[dim] *= stride;
  return spread.reshape(merged, loc)
      .narrow(dim, 0, (x.size(dim) - 1) * stride + 1, loc);
}

/// `x` with `before` zeros ahead of dimension `dim` and `after` behind it;
/// a negative amount crops instead.
Tensor padOrCrop(const Tensor &x, int64_t dim, int64_t before, int64_t after,
                 const Loc &loc) {
  Tensor y = x;
  if (before < 0)
    y = y.narrow(dim, -before, y.size(dim) + before, loc);
  if (after < 0)
    y = y.narrow(dim, 0, y.size(dim) + after, loc);
  std::vector<Tensor> parts;
  auto zerosOf = [&](int64_t n) {
    Shape shape = y.sizes();
    shape[dim] = n;
    return zeros(shape, y.dtype(), loc);
  };
  if (before > 0)
    parts.push_back(zerosOf(before));
  parts.push_back(y);
  if (after > 0)
    parts.push_back(zerosOf(after));
  return parts.size() == 1 ? y : cat(parts, dim, loc);
}

void checkConvWeight(const Tensor &x, const Tensor &weight, int64_t groups,
                     int64_t d, bool transposed, std::string_view op,
                     const Loc &loc) {
  detail::checkDefined(weight, op, loc);
  if (weight.dim() != d + 2)
    fail(loc, op,
         "expects a weight with " + std::to_string(d + 2) +
             " dimensions, got " + str(weight.sizes()));
  if (groups < 1)
    fail(loc, op, "groups must be positive, got " + std::to_string(groups));
  int64_t channels = x.size(1);
  int64_t expected = transposed ? weight.size(0) : weight.size(1) * groups;
  if (channels != expected || (!transposed && weight.size(0) % groups != 0) ||
      (transposed && channels % groups != 0))
    fail(loc, op,
         "the input " + str(x.sizes()) + " has " + std::to_string(channels) +
             " channels; the weight " + str(weight.sizes()) + " with " +
             std::to_string(groups) + " groups expects " +
             std::to_string(expected));
}

/// PyTorch's fractional pooling intervals: the starts of `outputs` windows
/// of `kernel` over `size`, stepping by alpha = (size - kernel) /
/// (outputs - 1) shifted by `sample` in [0, 1), the last at the end.
/// Computed in the input's precision, as PyTorch does, so that the same
/// samples give the same windows.
template <typename Real>
std::vector<int64_t> fractionalStarts(Real sample, int64_t size,
                                      int64_t outputs, int64_t kernel) {
  std::vector<int64_t> starts(static_cast<size_t>(outputs));
  if (outputs > 1) {
    Real alpha =
        static_cast<Real>(size - kernel) / static_cast<Real>(outputs - 1);
    for (int64_t i = 0; i < outputs - 1; ++i)
      starts[i] =
          static_cast<int64_t>((static_cast<Real>(i) + sample) * alpha) -
          static_cast<int64_t>(sample * alpha);
  }
  starts[outputs - 1] = size - kernel;
  return starts;
}

template <size_t D>
std::tuple<Tensor, Tensor>
fractionalMaxPool(const Tensor &input,
                  const FractionalMaxPoolOptions<D> &options,
                  std::string_view op, const Loc &loc) {
  auto [x, hasBatch] = batched(input, D, op, loc);
  if (!x.is_floating_point())
    fail(loc, op, "expects a floating point input, got " + str(x.dtype()));
  if (options.output_size().has_value() == options.output_ratio().has_value())
    fail(loc, op,
         "needs exactly one of output_size and output_ratio, got " +
             std::string(options.output_size() ? "both" : "neither"));
  int64_t n = x.size(0), c = x.size(1);
  Shape spatial(x.sizes().end() - D, x.sizes().end());
  Shape kernel(options.kernel_size().begin(), options.kernel_size().end());
  Shape outputs(D);
  for (size_t i = 0; i < D; ++i) {
    if (options.output_ratio()) {
      double ratio = (*options.output_ratio())[i];
      if (!(ratio > 0 && ratio < 1))
        fail(loc, op,
             "output_ratio must be between 0 and 1, got " +
                 std::to_string(ratio));
      outputs[i] =
          static_cast<int64_t>(static_cast<double>(spatial[i]) * ratio);
    } else {
      outputs[i] = (*options.output_size())[i];
    }
    if (kernel[i] < 1 || outputs[i] < 1)
      fail(loc, op,
           "kernel_size and the output size must be positive, got " +
               str(kernel) + " and " + str(outputs));
    if (outputs[i] + kernel[i] - 1 > spatial[i])
      fail(loc, op,
           "the output size " + str(outputs) + " with kernel_size " +
               str(kernel) + " is too large for the input's " + str(spatial) +
               " (output + kernel - 1 must not exceed the input)");
  }
  Tensor samples = options._random_samples();
  Shape samplesShape = {n, c, static_cast<int64_t>(D)};
  if (samples.defined()) {
    if (samples.sizes() != samplesShape)
      fail(loc, op,
           "_random_samples must be [N, C, " + std::to_string(D) +
               "] = " + str(samplesShape) + ", got " + str(samples.sizes()));
  } else {
    samples = rand(samplesShape, x.dtype(), loc);
  }
  std::vector<double> u = samples.to_vector<double>();
  // Samples outside [0, 1) would start windows outside the plane.
  for (double v : u)
    if (!(v >= 0 && v < 1))
      fail(loc, op,
           "_random_samples must lie in [0, 1), got " + std::to_string(v));
  int64_t plane = 1, cells = 1, window = 1;
  for (size_t i = 0; i < D; ++i) {
    plane *= spatial[i];
    cells *= outputs[i];
    window *= kernel[i];
  }
  // Every window element's flat position in its plane, for every plane:
  // [N C, cells, window]. PyTorch's 2-d pooling reads a plane's samples as
  // (W, H), its 3-d pooling as (T, H, W).
  std::vector<int64_t> source(static_cast<size_t>(n * c * cells * window));
  std::vector<int64_t> picks(source.size());
  bool single = x.dtype() != kFloat64;
  std::vector<int64_t> o(D), k(D);
  for (int64_t p = 0; p < n * c; ++p) {
    std::vector<std::vector<int64_t>> starts(D);
    for (size_t i = 0; i < D; ++i) {
      double sample = u[p * D + (D == 2 ? 1 - i : i)];
      starts[i] =
          single ? fractionalStarts<float>(static_cast<float>(sample),
                                           spatial[i], outputs[i], kernel[i])
                 : fractionalStarts<double>(sample, spatial[i], outputs[i],
                                            kernel[i]);
    }
    for (int64_t cell = 0; cell < cells; ++cell) {
      for (int64_t rest = cell, i = D - 1; i >= 0; --i) {
        o[i] = rest % outputs[i];
        rest /= outputs[i];
      }
      for (int64_t e = 0; e < window; ++e) {
        for (int64_t rest = e, i = D - 1; i >= 0; --i) {
          k[i] = rest % kernel[i];
          rest /= kernel[i];
        }
        int64_t flat = 0;
        for (size_t i = 0; i < D; ++i)
          flat = flat * spatial[i] + starts[i][o[i]] + k[i];
        size_t at = static_cast<size_t>((p * cells + cell) * window + e);
        source[at] = flat;
        picks[at] = p * plane + flat;
      }
    }
  }
  Shape gathered = {n, c};
  gathered.insert(gathered.end(), outputs.begin(), outputs.end());
  Shape cellShape = gathered;
  gathered.push_back(window);
  Tensor values = x.reshape({-1}, loc)
                      .index_select(0, tensor(picks, kInt64, loc), loc)
                      .reshape(gathered, loc);
  auto [maxima, where] = values.max(-1, false, loc);
  // The maximum's position in its plane: source[(p cells + cell) window +
  // where].
  Tensor slot =
      arange(n * c * cells, kInt64, loc).reshape(cellShape, loc) * window +
      where;
  Tensor indices = tensor(source, kInt64, loc)
                       .index_select(0, slot.reshape({-1}, loc), loc)
                       .reshape(cellShape, loc);
  return {unbatched(maxima, hasBatch, loc), unbatched(indices, hasBatch, loc)};
}

} // namespace

Tensor conv3d(const Tensor &input, const Tensor &weight,
              const Conv3dFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "conv3d";
  auto [x, hasBatch] = batched(input, 3, op, loc);
  int64_t groups = options.groups();
  checkConvWeight(x, weight, groups, 3, false, op, loc);
  ExpandingArray<3> kernel(
      std::array<int64_t, 3>{weight.size(2), weight.size(3), weight.size(4)});
  Windows w = gatherWindows(
      x,
      slidingTables<3>(x, kernel, options.stride(), options.padding(),
                       options.dilation(), false, op, loc),
      0.0, loc);
  // [N, C, O..., K] -> per group [N O, C/g K] times [C/g K, out/g].
  int64_t n = x.size(0), c = x.size(1), out = weight.size(0);
  int64_t cells = w.outputs[0] * w.outputs[1] * w.outputs[2];
  int64_t cg = c / groups, og = out / groups;
  Tensor columns = w.values.reshape({n, groups, cg, cells, w.window}, loc)
                       .permute({1, 0, 3, 2, 4}, loc)
                       .reshape({groups, n * cells, cg * w.window}, loc);
  Tensor weights =
      weight.reshape({groups, og, cg * w.window}, loc).transpose(1, 2, loc);
  Tensor y =
      bmm(columns, weights, loc)
          .reshape({groups, n, cells, og}, loc)
          .permute({1, 0, 3, 2}, loc)
          .reshape({n, out, w.outputs[0], w.outputs[1], w.outputs[2]}, loc);
  if (options.bias().defined())
    y = y + options.bias().reshape({1, out, 1, 1, 1}, loc);
  return unbatched(y, hasBatch, loc);
}

Tensor conv_transpose1d(const Tensor &input, const Tensor &weight,
                        const ConvTranspose1dFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "conv_transpose1d";
  auto [x, hasBatch] = batched(input, 1, op, loc);
  checkConvWeight(x, weight, options.groups(), 1, true, op, loc);
  Tensor y = kiln::conv_transpose2d(
      x.unsqueeze(2, loc), weight.unsqueeze(2, loc), options.bias(),
      {1, options.stride()[0]}, {0, options.padding()[0]},
      {0, options.output_padding()[0]}, options.groups(),
      {1, options.dilation()[0]}, loc);
  return unbatched(y.squeeze(2, loc), hasBatch, loc);
}

Tensor conv_transpose3d(const Tensor &input, const Tensor &weight,
                        const ConvTranspose3dFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "conv_transpose3d";
  auto [x, hasBatch] = batched(input, 3, op, loc);
  int64_t groups = options.groups();
  checkConvWeight(x, weight, groups, 3, true, op, loc);
  // The convolution of the input spread out by the stride, padded so that
  // every window that met an input element is there, by the weight
  // flipped and with its channel roles swapped.
  Tensor y = x;
  for (int64_t i = 0; i < 3; ++i) {
    int64_t s = options.stride()[i], p = options.padding()[i],
            d = options.dilation()[i], k = weight.size(2 + i),
            extra = options.output_padding()[i];
    if (s < 1 || d < 1 || p < 0 || extra < 0 || extra >= std::max(s, d))
      fail(loc, op,
           "needs a positive stride and dilation, non-negative padding and "
           "an output_padding smaller than the stride or the dilation");
    int64_t edge = d * (k - 1) - p;
    y = padOrCrop(dilate(y, 2 + i, s, loc), 2 + i, edge, edge + extra, loc);
  }
  int64_t cin = weight.size(0), og = weight.size(1);
  Tensor flipped = weight
                       .reshape({groups, cin / groups, og, weight.size(2),
                                 weight.size(3), weight.size(4)},
                                loc)
                       .transpose(1, 2, loc)
                       .reshape({groups * og, cin / groups, weight.size(2),
                                 weight.size(3), weight.size(4)},
                                loc)
                       .flip({2, 3, 4}, loc);
  Tensor out = conv3d(y, flipped,
                      Conv3dFuncOptions()
                          .bias(options.bias())
                          .dilation(options.dilation())
                          .groups(groups),
                      loc);
  return unbatched(out, hasBatch, loc);
}

Tensor max_pool3d(const Tensor &input, const MaxPool3dFuncOptions &options,
                  Loc loc) {
  return std::get<0>(maxPoolWithIndices<3>(input, options, "max_pool3d", loc));
}

Tensor avg_pool3d(const Tensor &input, const AvgPool3dFuncOptions &options,
                  Loc loc) {
  return avgPool<3>(input, options, "avg_pool3d", loc);
}

Tensor adaptive_max_pool3d(const Tensor &input,
                           const AdaptiveMaxPool3dFuncOptions &options,
                           Loc loc) {
  return std::get<0>(
      adaptiveMaxWithIndices<3>(input, options, "adaptive_max_pool3d", loc));
}

Tensor adaptive_avg_pool3d(const Tensor &input,
                           const AdaptiveAvgPool3dFuncOptions &options,
                           Loc loc) {
  constexpr std::string_view op = "adaptive_avg_pool3d";
  auto [x, hasBatch] = batched(input, 3, op, loc);
  if (!x.is_floating_point())
    fail(loc, op, "expects a floating point input, got " + str(x.dtype()));
  Windows w = gatherWindows(
      x, adaptiveTables<3>(x, options.output_size(), op, loc), 0.0, loc);
  return unbatched(windowMean(w, false, std::nullopt, loc), hasBatch, loc);
}

std::tuple<Tensor, Tensor>
max_pool1d_with_indices(const Tensor &input, const MaxPoolOptions<1> &options,
                        Loc loc) {
  return maxPoolWithIndices<1>(input, options, "max_pool1d_with_indices", loc);
}
std::tuple<Tensor, Tensor>
max_pool2d_with_indices(const Tensor &input, const MaxPoolOptions<2> &options,
                        Loc loc) {
  return maxPoolWithIndices<2>(input, options, "max_pool2d_with_indices", loc);
}
std::tuple<Tensor, Tensor>
max_pool3d_with_indices(const Tensor &input, const MaxPoolOptions<3> &options,
                        Loc loc) {
  return maxPoolWithIndices<3>(input, options, "max_pool3d_with_indices", loc);
}
std::tuple<Tensor, Tensor> adaptive_max_pool1d_with_indices(
    const Tensor &input, const AdaptiveMaxPoolOptions<1> &options, Loc loc) {
  return adaptiveMaxWithIndices<1>(input, options,
                                   "adaptive_max_pool1d_with_indices", loc);
}
std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(
    const Tensor &input, const AdaptiveMaxPoolOptions<2> &options, Loc loc) {
  return adaptiveMaxWithIndices<2>(input, options,
                                   "adaptive_max_pool2d_with_indices", loc);
}
Tensor fractional_max_pool2d(const Tensor &input,
                             const FractionalMaxPool2dFuncOptions &options,
                             Loc loc) {
  return std::get<0>(
      fractionalMaxPool<2>(input, options, "fractional_max_pool2d", loc));
}
Tensor fractional_max_pool3d(const Tensor &input,
                             const FractionalMaxPool3dFuncOptions &options,
                             Loc loc) {
  return std::get<0>(
      fractionalMaxPool<3>(input, options, "fractional_max_pool3d", loc));
}
std::tuple<Tensor, Tensor> fractional_max_pool2d_with_indices(
    const Tensor &input, const FractionalMaxPool2dFuncOptions &options,
    Loc loc) {
  return fractionalMaxPool<2>(input, options,
                              "fractional_max_pool2d_with_indices", loc);
}
std::tuple<Tensor, Tensor> fractional_max_pool3d_with_indices(
    const Tensor &input, const FractionalMaxPool3dFuncOptions &options,
    Loc loc) {
  return fractionalMaxPool<3>(input, options,
                              "fractional_max_pool3d_with_indices", loc);
}

std::tuple<Tensor, Tensor> adaptive_max_pool3d_with_indices(
    const Tensor &input, const AdaptiveMaxPoolOptions<3> &options, Loc loc) {
  return adaptiveMaxWithIndices<3>(input, options,
                                   "adaptive_max_pool3d_with_indices", loc);
}

Tensor max_unpool1d(const Tensor &input, const Tensor &indices,
                    const MaxUnpool1dFuncOptions &options, Loc loc) {
  return maxUnpool<1>(input, indices, options, "max_unpool1d", loc);
}
Tensor max_unpool2d(const Tensor &input, const Tensor &indices,
                    const MaxUnpool2dFuncOptions &options, Loc loc) {
  return maxUnpool<2>(input, indices, options, "max_unpool2d", loc);
}
Tensor max_unpool3d(const Tensor &input, const Tensor &indices,
                    const MaxUnpool3dFuncOptions &options, Loc loc) {
  return maxUnpool<3>(input, indices, options, "max_unpool3d", loc);
}

Tensor lp_pool1d(const Tensor &input, const LPPool1dFuncOptions &options,
                 Loc loc) {
  return lpPool<1>(input, options, "lp_pool1d", loc);
}
Tensor lp_pool2d(const Tensor &input, const LPPool2dFuncOptions &options,
                 Loc loc) {
  return lpPool<2>(input, options, "lp_pool2d", loc);
}
Tensor lp_pool3d(const Tensor &input, const LPPool3dFuncOptions &options,
                 Loc loc) {
  return lpPool<3>(input, options, "lp_pool3d", loc);
}

Tensor unfold(const Tensor &input, const UnfoldFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "unfold";
  auto [x, hasBatch] = batched(input, 2, op, loc);
  Windows w = gatherWindows(
      x,
      slidingTables<2>(x, options.kernel_size(), options.stride(),
                       options.padding(), options.dilation(), false, op, loc),
      0.0, loc);
  // [N, C, OH, OW, K] -> [N, C, K, OH OW] -> [N, C K, L].
  int64_t n = x.size(0), c = x.size(1);
  int64_t blocks = w.outputs[0] * w.outputs[1];
  Tensor columns = w.values.reshape({n, c, blocks, w.window}, loc)
                       .transpose(2, 3, loc)
                       .reshape({n, c * w.window, blocks}, loc);
  return unbatched(columns, hasBatch, loc);
}

Tensor fold(const Tensor &input, const FoldFuncOptions &options, Loc loc) {
  constexpr std::string_view op = "fold";
  detail::checkDefined(input, op, loc);
  if (input.dim() != 2 && input.dim() != 3)
    fail(loc, op,
         "expects columns [N, C kh kw, L] or [C kh kw, L], got " +
             str(input.sizes()));
  bool hasBatch = input.dim() == 3;
  Tensor x = hasBatch ? input : input.unsqueeze(0, loc);
  int64_t height = options.output_size()[0], width = options.output_size()[1];
  std::vector<DimTable> tables = {
      slidingTable(height,
                   {options.kernel_size()[0], options.stride()[0],
                    options.padding()[0], options.dilation()[0]},
                   false, op, loc),
      slidingTable(width,
                   {options.kernel_size()[1], options.stride()[1],
                    options.padding()[1], options.dilation()[1]},
                   false, op, loc)};
  int64_t window = options.kernel_size()[0] * options.kernel_size()[1];
  int64_t blocks = static_cast<int64_t>(tables[0].size() * tables[1].size());
  if (x.size(1) % window != 0 || x.size(2) != blocks)
    fail(loc, op,
         "expects columns [N, C " + std::to_string(window) + ", " +
             std::to_string(blocks) + "] for the output size " +
             str(options.output_size()) + ", got " + str(input.sizes()));
  int64_t n = x.size(0), c = x.size(1) / window;
  // The windows' positions in the image (the padding goes to one extra
  // element, dropped at the end), in the order Unfold lays them out.
  std::vector<int64_t> target;
  int64_t plane = height * width;
  for (int64_t k = 0; k < window; ++k)
    for (int64_t b = 0; b < blocks; ++b) {
      int64_t p = tables[0][b / tables[1].size()][k / options.kernel_size()[1]];
      int64_t q = tables[1][b % tables[1].size()][k % options.kernel_size()[1]];
      target.push_back(p < 0 || q < 0 ? plane : p * width + q);
    }
  Tensor flat = index_add(zeros({n, c, plane + 1}, x.dtype(), loc), 2,
                          tensor(target, kInt64, loc),
                          x.reshape({n, c, window * blocks}, loc), loc);
  Tensor image =
      flat.narrow(2, 0, plane, loc).reshape({n, c, height, width}, loc);
  return hasBatch ? image : image.squeeze(0, loc);
}

} // namespace functional

namespace F = functional;

Tensor MaxPool3dImpl::forward(const Tensor &input) {
  return F::max_pool3d(input, options);
}
std::tuple<Tensor, Tensor>
MaxPool3dImpl::forward_with_indices(const Tensor &input) {
  return F::max_pool3d_with_indices(input, options);
}
void MaxPool3dImpl::pretty_print(std::ostream &os) const {
  os << std::boolalpha
     << "kiln::nn::MaxPool3d(kernel_size=" << options.kernel_size()
     << ", stride=" << options.stride() << ", padding=" << options.padding()
     << ", dilation=" << options.dilation()
     << ", ceil_mode=" << options.ceil_mode() << ")";
}

Tensor AvgPool3dImpl::forward(const Tensor &input) {
  return F::avg_pool3d(input, options);
}
void AvgPool3dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AvgPool3d(kernel_size=" << options.kernel_size()
     << ", stride=" << options.stride() << ", padding=" << options.padding()
     << ")";
}

Tensor AdaptiveMaxPool3dImpl::forward(const Tensor &input) {
  return F::adaptive_max_pool3d(input, options);
}
std::tuple<Tensor, Tensor>
AdaptiveMaxPool3dImpl::forward_with_indices(const Tensor &input) {
  return F::adaptive_max_pool3d_with_indices(input, options);
}
void AdaptiveMaxPool3dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AdaptiveMaxPool3d(output_size=" << options.output_size()
     << ")";
}

Tensor AdaptiveAvgPool3dImpl::forward(const Tensor &input) {
  return F::adaptive_avg_pool3d(input, options);
}
void AdaptiveAvgPool3dImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::AdaptiveAvgPool3d(output_size=" << options.output_size()
     << ")";
}

template <size_t D>
Tensor MaxUnpoolImpl<D>::forward(
    const Tensor &input, const Tensor &indices,
    const std::optional<std::vector<int64_t>> &output_size) {
  MaxUnpoolFuncOptions<D> func(options.kernel_size());
  func.stride(options.stride()).padding(options.padding());
  func.output_size(output_size);
  if constexpr (D == 1)
    return F::max_unpool1d(input, indices, func);
  else if constexpr (D == 2)
    return F::max_unpool2d(input, indices, func);
  else
    return F::max_unpool3d(input, indices, func);
}
template <size_t D>
void MaxUnpoolImpl<D>::pretty_print(std::ostream &os) const {
  os << "kiln::nn::MaxUnpool" << D << "d(kernel_size=" << options.kernel_size()
     << ", stride=" << options.stride() << ", padding=" << options.padding()
     << ")";
}
template class MaxUnpoolImpl<1>;
template class MaxUnpoolImpl<2>;
template class MaxUnpoolImpl<3>;

template <size_t D> Tensor LPPoolImpl<D>::forward(const Tensor &input) {
  if constexpr (D == 1)
    return F::lp_pool1d(input, options);
  else if constexpr (D == 2)
    return F::lp_pool2d(input, options);
  else
    return F::lp_pool3d(input, options);
}
template <size_t D> void LPPoolImpl<D>::pretty_print(std::ostream &os) const {
  os << std::boolalpha << "kiln::nn::LPPool" << D
     << "d(norm_type=" << options.norm_type()
     << ", kernel_size=" << options.kernel_size()
     << ", stride=" << options.stride() << ", ceil_mode=" << options.ceil_mode()
     << ")";
}
template class LPPoolImpl<1>;
template class LPPoolImpl<2>;
template class LPPoolImpl<3>;

template <size_t D> void FractionalMaxPoolImpl<D>::reset() {
  const auto &o = options;
  std::string name = "FractionalMaxPool" + std::to_string(D) + "d";
  if (!o.output_size() && !o.output_ratio())
    throw Error(name + " requires specifying either an output size, or a "
                       "pooling ratio");
  if (o.output_size() && o.output_ratio())
    throw Error(name + ": only one of output_size and output_ratio may be "
                       "specified");
  if (o.output_ratio())
    for (size_t i = 0; i < D; ++i) {
      double ratio = (*o.output_ratio())[i];
      if (!(ratio > 0 && ratio < 1))
        throw Error(name + ": output_ratio must be between 0 and 1 (got " +
                    std::to_string(ratio) + ")");
    }
  if (o._random_samples().defined())
    _random_samples =
        this->register_buffer("_random_samples", o._random_samples());
}
template <size_t D>
std::tuple<Tensor, Tensor>
FractionalMaxPoolImpl<D>::forward_with_indices(const Tensor &input) {
  FractionalMaxPoolOptions<D> o = options;
  o._random_samples(_random_samples);
  if constexpr (D == 2)
    return F::fractional_max_pool2d_with_indices(input, o);
  else
    return F::fractional_max_pool3d_with_indices(input, o);
}
template <size_t D>
Tensor FractionalMaxPoolImpl<D>::forward(const Tensor &input) {
  return std::get<0>(forward_with_indices(input));
}
template <size_t D>
void FractionalMaxPoolImpl<D>::pretty_print(std::ostream &os) const {
  os << "kiln::nn::FractionalMaxPool" << D << "d()";
}
template class FractionalMaxPoolImpl<2>;
template class FractionalMaxPoolImpl<3>;

Tensor UnfoldImpl::forward(const Tensor &input) {
  return F::unfold(input, options);
}
void UnfoldImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Unfold(kernel_size=" << options.kernel_size()
     << ", dilation=" << options.dilation() << ", padding=" << options.padding()
     << ", stride=" << options.stride() << ")";
}

Tensor FoldImpl::forward(const Tensor &input) {
  return F::fold(input, options);
}
void FoldImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::Fold(output_size=" << options.output_size()
     << ", kernel_size=" << options.kernel_size()
     << ", dilation=" << options.dilation() << ", padding=" << options.padding()
     << ", stride=" << options.stride() << ")";
}

namespace {

/// PyTorch's default: weight and bias uniform in +-1/sqrt(fan_in).
void resetConv(Tensor &weight, Tensor &bias, double fanIn) {
  double bound = 1.0 / std::sqrt(fanIn);
  init::uniform_(weight, -bound, bound);
  if (bias.defined())
    init::uniform_(bias, -bound, bound);
}

} // namespace

Conv3dImpl::Conv3dImpl(Conv3dOptions options_) : options(std::move(options_)) {
  reset();
}

void Conv3dImpl::reset() {
  const Conv3dOptions &o = options;
  detail::checkChannels("Conv3d", o.in_channels(), o.out_channels(), o.groups(),
                        *o.kernel_size());
  detail::checkPaddingMode("Conv3d", o.padding_mode());
  weight = register_parameter(
      "weight",
      empty({o.out_channels(), o.in_channels() / o.groups(), o.kernel_size()[0],
             o.kernel_size()[1], o.kernel_size()[2]}));
  bias = register_parameter(
      "bias", o.bias() ? empty({o.out_channels()}) : Tensor(), o.bias());
  reset_parameters();
}

void Conv3dImpl::reset_parameters() {
  const ExpandingArray<3> &k = options.kernel_size();
  resetConv(weight, bias,
            static_cast<double>(options.in_channels() / options.groups() *
                                k[0] * k[1] * k[2]));
}

Tensor Conv3dImpl::forward(const Tensor &input) {
  F::Conv3dFuncOptions func;
  func.bias(bias)
      .stride(options.stride())
      .padding(options.padding())
      .dilation(options.dilation())
      .groups(options.groups());
  if (options.padding_mode() == kZeros)
    return F::conv3d(input, weight, func);
  return F::conv3d(
      detail::padForConv<3>(input, options.padding(), options.padding_mode()),
      weight, func.padding(0));
}

void Conv3dImpl::pretty_print(std::ostream &os) const {
  detail::printConv(os, "Conv3d", options);
}

template <size_t D>
ConvTransposeNdImpl<D>::ConvTransposeNdImpl(ConvTransposeOptions<D> options_)
    : options(std::move(options_)) {
  reset();
}

template <size_t D> void ConvTransposeNdImpl<D>::reset() {
  const ConvTransposeOptions<D> &o = options;
  std::string layer = "ConvTranspose" + std::to_string(D) + "d";
  detail::checkChannels(layer.c_str(), o.in_channels(), o.out_channels(),
                        o.groups(), *o.kernel_size());
  detail::checkPaddingMode(layer.c_str(), o.padding_mode(),
                           /*transposed=*/true);
  for (size_t i = 0; i < D; ++i)
    if (o.output_padding()[i] < 0 ||
        o.output_padding()[i] >= std::max(o.stride()[i], o.dilation()[i]))
      throw Error(layer + ": output_padding " + str(*o.output_padding()) +
                  " must be non-negative and smaller than the stride " +
                  str(*o.stride()) + " or the dilation");
  Shape shape = {o.in_channels(), o.out_channels() / o.groups()};
  for (size_t i = 0; i < D; ++i)
    shape.push_back(o.kernel_size()[i]);
  weight = this->register_parameter("weight", kiln::empty(shape));
  bias = this->register_parameter(
      "bias", o.bias() ? empty({o.out_channels()}) : Tensor(), o.bias());
  reset_parameters();
}

template <size_t D> void ConvTransposeNdImpl<D>::reset_parameters() {
  // PyTorch's fan_in of a transposed weight [C_in, C_out/g, k...] counts
  // its second dimension.
  double fanIn = static_cast<double>(options.out_channels() / options.groups());
  for (size_t i = 0; i < D; ++i)
    fanIn *= static_cast<double>(options.kernel_size()[i]);
  resetConv(weight, bias, fanIn);
}

template <size_t D>
Tensor ConvTransposeNdImpl<D>::forward(
    const Tensor &input,
    const std::optional<std::vector<int64_t>> &output_size) {
  ExpandingArray<D> outputPadding = options.output_padding();
  if (output_size) {
    if (output_size->size() < D)
      throw Error("ConvTranspose" + std::to_string(D) +
                  "d: output_size needs at least " + std::to_string(D) +
                  " sizes, got " + str(*output_size));
    for (size_t i = 0; i < D; ++i) {
      int64_t in = input.size(input.dim() - D + i);
      int64_t smallest =
          (in - 1) * options.stride()[i] - 2 * options.padding()[i] +
          options.dilation()[i] * (options.kernel_size()[i] - 1) + 1;
      int64_t wanted = (*output_size)[output_size->size() - D + i];
      int64_t extra = wanted - smallest;
      if (extra < 0 ||
          extra >= std::max(options.stride()[i], options.dilation()[i]))
        throw Error("ConvTranspose" + std::to_string(D) + "d: output_size " +
                    str(*output_size) + " cannot be reached from the input " +
                    str(input.sizes()));
      outputPadding[i] = extra;
    }
  }
  F::ConvTransposeFuncOptions<D> func;
  func.bias(bias)
      .stride(options.stride())
      .padding(options.padding())
      .output_padding(outputPadding)
      .groups(options.groups())
      .dilation(options.dilation());
  if constexpr (D == 1)
    return F::conv_transpose1d(input, weight, func);
  else
    return F::conv_transpose3d(input, weight, func);
}

template <size_t D>
void ConvTransposeNdImpl<D>::pretty_print(std::ostream &os) const {
  detail::printConv(os, "ConvTranspose" + std::to_string(D) + "d", options);
}

template class ConvTransposeNdImpl<1>;
template class ConvTransposeNdImpl<3>;

// The max pools declared with the other layers return their indices here.
std::tuple<Tensor, Tensor>
MaxPool1dImpl::forward_with_indices(const Tensor &input) {
  return F::max_pool1d_with_indices(input, options);
}
std::tuple<Tensor, Tensor>
MaxPool2dImpl::forward_with_indices(const Tensor &input) {
  return F::max_pool2d_with_indices(input, options);
}
std::tuple<Tensor, Tensor>
AdaptiveMaxPool1dImpl::forward_with_indices(const Tensor &input) {
  return F::adaptive_max_pool1d_with_indices(input, options);
}
std::tuple<Tensor, Tensor>
AdaptiveMaxPool2dImpl::forward_with_indices(const Tensor &input) {
  return F::adaptive_max_pool2d_with_indices(input, options);
}

} // namespace kiln::nn
