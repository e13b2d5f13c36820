//===- Functional.cpp - Convolution, pooling, normalization, dropout ------===//
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/ir/Shapes.h"

#include <algorithm>

namespace kiln {

using namespace detail;

namespace {

std::string str(const Shape &shape) { return ir::formatShape(shape); }

/// A size argument given as one number (both dimensions) or two.
Shape pair(const Shape &value, std::string_view op, std::string_view name,
           const Loc &loc) {
  if (value.size() == 1)
    return {value[0], value[0]};
  if (value.size() == 2)
    return value;
  fail(loc, op,
       std::string(name) + " must have 1 or 2 entries, got " + str(value));
}

/// Runs `fn` on a batched view of a `[C, H, W]` input and drops the batch
/// dimension again; `[N, C, H, W]` inputs pass straight through.
template <typename Fn>
Tensor batched(const Tensor &input, std::string_view op, const Loc &loc,
               Fn fn) {
  checkDefined(input, op, loc);
  if (input.dim() == 3)
    return fn(input.unsqueeze(0, loc)).squeeze(0, loc);
  if (input.dim() != 4)
    fail(loc, op,
         "expects a 3-d [C, H, W] or 4-d [N, C, H, W] input, got " +
             str(input.sizes()));
  return fn(input);
}

void checkFloat(const Tensor &t, std::string_view op, const Loc &loc) {
  if (!t.is_floating_point())
    fail(loc, op,
         "needs a floating point tensor, got " +
             std::string(dtype_name(t.dtype())));
}

/// Checks that realized integer `indices` lie in [0, size).
void checkIndices(const Tensor &indices, int64_t size, std::string_view op,
                  const Loc &loc) {
  if (!is_integral(indices.dtype()))
    fail(loc, op,
         "indices must be int32 or int64, got " +
             std::string(dtype_name(indices.dtype())));
  if (indices.is_pending())
    return; // computed indices are clamped into range by the compiled code
  for (int64_t i = 0; i < indices.numel(); ++i) {
    auto v = static_cast<int64_t>(readElement(indices, i));
    if (v < 0 || v >= size)
      fail(loc, op,
           "index " + std::to_string(v) + " is out of range [0, " +
               std::to_string(size) + ")");
  }
}

Tensor recordPool(std::string_view opName, std::string_view op, const Tensor &x,
                  const Shape &kernel, const Shape &stride,
                  const Shape &padding, Attrs extra, const Loc &loc) {
  checkFloat(x, op, loc);
  Shape out = {x.size(0), x.size(1)};
  for (int i = 0; i < 2; ++i) {
    if (padding[i] < 0 || padding[i] * 2 > kernel[i])
      fail(loc, op,
           "padding " + str(padding) +
               " must be non-negative and at most half of kernel " +
               str(kernel));
    auto size = ir::windowOutputSize(x.size(2 + i), kernel[i], stride[i],
                                     padding[i], 1);
    if (!size)
      fail(loc, op,
           "kernel " + str(kernel) + " with stride " + str(stride) +
               " does not fit input " + str(x.sizes()));
    out.push_back(*size);
  }
  Attrs attrs = {{"kernel", kernel}, {"stride", stride}, {"padding", padding}};
  attrs.insert(attrs.end(), extra.begin(), extra.end());
  return record(opName, {x}, std::move(attrs), {out, x.dtype()}, loc);
}

/// The attributes of kiln.conv2d and its gradients.
Attrs convolutionAttrs(const Shape &stride, const Shape &padding,
                       const Shape &dilation, int64_t groups) {
  return {{"stride", stride},
          {"padding", padding},
          {"dilation", dilation},
          {"groups", groups}};
}
} // namespace

Tensor conv2d(const Tensor &input, const Tensor &weight, const Tensor &bias,
              const Shape &strideArg, const Shape &paddingArg,
              const Shape &dilationArg, int64_t groups, Loc loc) {
  Shape stride = pair(strideArg, "conv2d", "stride", loc);
  Shape padding = pair(paddingArg, "conv2d", "padding", loc);
  Shape dilation = pair(dilationArg, "conv2d", "dilation", loc);
  checkDefined(weight, "conv2d", loc);
  return batched(input, "conv2d", loc, [&](const Tensor &x) {
    checkFloat(x, "conv2d", loc);
    if (weight.dim() != 4)
      fail(loc, "conv2d",
           "weight must be 4-d [O, C/groups, KH, KW], got " +
               str(weight.sizes()));
    if (weight.dtype() != x.dtype())
      fail(loc, "conv2d",
           "input and weight dtypes differ: " +
               std::string(dtype_name(x.dtype())) + " and " +
               std::string(dtype_name(weight.dtype())));
    for (int64_t v : stride)
      if (v < 1)
        fail(loc, "conv2d", "stride must be positive, got " + str(stride));
    for (int64_t v : dilation)
      if (v < 1)
        fail(loc, "conv2d", "dilation must be positive, got " + str(dilation));
    for (int64_t v : padding)
      if (v < 0)
        fail(loc, "conv2d",
             "padding must be non-negative, got " + str(padding));
    if (groups < 1 || x.size(1) % groups != 0 || weight.size(0) % groups != 0 ||
        weight.size(1) * groups != x.size(1))
      fail(
          loc, "conv2d",
          "input " + str(x.sizes()) + " and weight " + str(weight.sizes()) +
              " do not agree on channels for groups=" + std::to_string(groups));
    Shape out = {x.size(0), weight.size(0)};
    for (int i = 0; i < 2; ++i) {
      auto size = ir::windowOutputSize(x.size(2 + i), weight.size(2 + i),
                                       stride[i], padding[i], dilation[i]);
      if (!size)
        fail(loc, "conv2d",
             "kernel " + str(weight.sizes()) +
                 " is larger than the padded input " + str(x.sizes()));
      out.push_back(*size);
    }
    Tensor y = record("kiln.conv2d", {x, weight},
                      convolutionAttrs(stride, padding, dilation, groups),
                      {out, x.dtype()}, loc);
    if (!bias.defined())
      return y;
    if (bias.sizes() != Shape{weight.size(0)})
      fail(loc, "conv2d",
           "bias must be [" + std::to_string(weight.size(0)) + "], got " +
               str(bias.sizes()));
    return y + bias.reshape({1, weight.size(0), 1, 1}, loc);
  });
}

Tensor conv1d(const Tensor &input, const Tensor &weight, const Tensor &bias,
              int64_t stride, int64_t padding, int64_t dilation, int64_t groups,
              Loc loc) {
  checkDefined(input, "conv1d", loc);
  checkDefined(weight, "conv1d", loc);
  if (input.dim() != 2 && input.dim() != 3)
    fail(loc, "conv1d",
         "expects a 2-d [C, L] or 3-d [N, C, L] input, got " +
             str(input.sizes()));
  if (weight.dim() != 3)
    fail(loc, "conv1d",
         "weight must be 3-d [O, C/groups, K], got " + str(weight.sizes()));
  if (groups < 1 || weight.size(1) * groups != input.size(-2))
    fail(loc, "conv1d",
         "input " + str(input.sizes()) + " and weight " + str(weight.sizes()) +
             " do not agree on channels for groups=" + std::to_string(groups));
  // A height of one: the length becomes the width.
  int64_t height = input.dim() - 1;
  return conv2d(input.unsqueeze(height, loc), weight.unsqueeze(2, loc), bias,
                {1, stride}, {0, padding}, {1, dilation}, groups, loc)
      .squeeze(height, loc);
}

Tensor conv_transpose2d(const Tensor &input, const Tensor &weight,
                        const Tensor &bias, const Shape &strideArg,
                        const Shape &paddingArg, const Shape &outputPaddingArg,
                        int64_t groups, const Shape &dilationArg, Loc loc) {
  constexpr std::string_view op = "conv_transpose2d";
  Shape stride = pair(strideArg, op, "stride", loc);
  Shape padding = pair(paddingArg, op, "padding", loc);
  Shape outputPadding = pair(outputPaddingArg, op, "output_padding", loc);
  Shape dilation = pair(dilationArg, op, "dilation", loc);
  checkDefined(weight, op, loc);
  return batched(input, op, loc, [&](const Tensor &x) {
    checkFloat(x, op, loc);
    if (weight.dim() != 4)
      fail(loc, op,
           "weight must be 4-d [C, O/groups, KH, KW], got " +
               str(weight.sizes()));
    if (weight.dtype() != x.dtype())
      fail(loc, op,
           "input and weight dtypes differ: " +
               std::string(dtype_name(x.dtype())) + " and " +
               std::string(dtype_name(weight.dtype())));
    for (int i = 0; i < 2; ++i) {
      if (stride[i] < 1 || dilation[i] < 1)
        fail(loc, op,
             "stride " + str(stride) + " and dilation " + str(dilation) +
                 " must be positive");
      if (padding[i] < 0)
        fail(loc, op, "padding must be non-negative, got " + str(padding));
      if (outputPadding[i] < 0 || outputPadding[i] >= stride[i])
        fail(loc, op,
             "output_padding " + str(outputPadding) +
                 " must be non-negative and smaller than stride " +
                 str(stride));
    }
    if (groups < 1 || x.size(1) != weight.size(0) || x.size(1) % groups != 0)
      fail(
          loc, op,
          "input " + str(x.sizes()) + " and weight " + str(weight.sizes()) +
              " do not agree on channels for groups=" + std::to_string(groups));
    Shape out = {x.size(0), weight.size(1) * groups};
    for (int i = 0; i < 2; ++i) {
      int64_t size = (x.size(2 + i) - 1) * stride[i] - 2 * padding[i] +
                     dilation[i] * (weight.size(2 + i) - 1) + outputPadding[i] +
                     1;
      if (size < 1)
        fail(loc, op,
             "padding " + str(padding) + " leaves no output for input " +
                 str(x.sizes()) + " and weight " + str(weight.sizes()));
      out.push_back(size);
    }
    // The gradient of conv2d with respect to its input is exactly this
    // transposed convolution; weight is that conv2d's [O, C/groups, KH, KW]
    // filter with the roles of O and C swapped. output_padding < stride makes
    // the conv2d of `out` come back to the input's shape.
    Tensor y = record("kiln.conv2d_grad_input", {x, weight},
                      convolutionAttrs(stride, padding, dilation, groups),
                      {out, x.dtype()}, loc);
    if (!bias.defined())
      return y;
    if (bias.sizes() != Shape{out[1]})
      fail(loc, op,
           "bias must be [" + std::to_string(out[1]) + "], got " +
               str(bias.sizes()));
    return y + bias.reshape({1, out[1], 1, 1}, loc);
  });
}

Tensor max_pool2d(const Tensor &input, IntArrayRef kernelArg,
                  const Shape &strideArg, const Shape &paddingArg,
                  const Shape &dilation, bool ceil_mode, Loc loc) {
  Shape kernel = pair(kernelArg.vec(), "max_pool2d", "kernel_size", loc);
  Shape stride =
      strideArg.empty() ? kernel : pair(strideArg, "max_pool2d", "stride", loc);
  Shape padding = pair(paddingArg, "max_pool2d", "padding", loc);
  if (pair(dilation, "max_pool2d", "dilation", loc) != Shape{1, 1} || ceil_mode)
    fail(loc, "max_pool2d", "dilation and ceil_mode are not supported yet");
  return batched(input, "max_pool2d", loc, [&](const Tensor &x) {
    return recordPool("kiln.max_pool2d", "max_pool2d", x, kernel, stride,
                      padding, {}, loc);
  });
}

Tensor avg_pool2d(const Tensor &input, IntArrayRef kernelArg,
                  const Shape &strideArg, const Shape &paddingArg,
                  bool ceil_mode, bool count_include_pad, Loc loc) {
  Shape kernel = pair(kernelArg.vec(), "avg_pool2d", "kernel_size", loc);
  Shape stride =
      strideArg.empty() ? kernel : pair(strideArg, "avg_pool2d", "stride", loc);
  Shape padding = pair(paddingArg, "avg_pool2d", "padding", loc);
  if (ceil_mode)
    fail(loc, "avg_pool2d", "ceil_mode is not supported yet");
  return batched(input, "avg_pool2d", loc, [&](const Tensor &x) {
    return recordPool("kiln.avg_pool2d", "avg_pool2d", x, kernel, stride,
                      padding, {{"count_include_pad", count_include_pad}}, loc);
  });
}

Tensor adaptive_avg_pool2d(const Tensor &input, const Shape &outputSizeArg,
                           Loc loc) {
  constexpr std::string_view op = "adaptive_avg_pool2d";
  Shape outputSize = pair(outputSizeArg, op, "output_size", loc);
  if (outputSize[0] < 1 || outputSize[1] < 1)
    fail(loc, op, "output_size must be positive, got " + str(outputSize));
  return batched(input, op, loc, [&](const Tensor &x) {
    checkFloat(x, op, loc);
    int64_t h = x.size(2), w = x.size(3);
    if (h % outputSize[0] == 0 && w % outputSize[1] == 0) {
      Shape kernel = {h / outputSize[0], w / outputSize[1]};
      return avg_pool2d(x, kernel, kernel, {0}, false, true, loc);
    }
    // Uneven windows: an average over a rectangle is an average over rows of
    // averages over columns, so two averaging matrices do it.
    auto averaging = [&](int64_t out, int64_t in) {
      std::vector<double> m(out * in, 0.0);
      for (int64_t i = 0; i < out; ++i) {
        int64_t start = i * in / out, end = ((i + 1) * in + out - 1) / out;
        for (int64_t j = start; j < end; ++j)
          m[i * in + j] = 1.0 / static_cast<double>(end - start);
      }
      return tensor(m, x.dtype(), loc).reshape({out, in}, loc);
    };
    return averaging(outputSize[0], h)
        .matmul(x.matmul(averaging(outputSize[1], w).t(loc), loc), loc);
  });
}

Tensor layer_norm(const Tensor &input, const Shape &normalized_shape,
                  const Tensor &weight, const Tensor &bias, double eps,
                  Loc loc) {
  checkDefined(input, "layer_norm", loc);
  checkFloat(input, "layer_norm", loc);
  int64_t n = static_cast<int64_t>(normalized_shape.size());
  if (n == 0 || n > input.dim() ||
      !std::equal(normalized_shape.begin(), normalized_shape.end(),
                  input.sizes().end() - n))
    fail(loc, "layer_norm",
         "normalized_shape " + str(normalized_shape) +
             " is not the trailing shape of the input " + str(input.sizes()));
  auto param = [&](const Tensor &t, double fill, const char *name) {
    if (!t.defined())
      return splat(normalized_shape, input.dtype(), fill, loc);
    if (t.sizes() != normalized_shape)
      fail(loc, "layer_norm",
           std::string(name) + " must have shape " + str(normalized_shape) +
               ", got " + str(t.sizes()));
    return convertTo(t, input.dtype(), loc);
  };
  return record("kiln.layer_norm",
                {input, param(weight, 1, "weight"), param(bias, 0, "bias")},
                {{"axis", input.dim() - n}, {"eps", eps}},
                {input.sizes(), input.dtype()}, loc);
}

Tensor group_norm(const Tensor &input, int64_t num_groups, const Tensor &weight,
                  const Tensor &bias, double eps, Loc loc) {
  checkDefined(input, "group_norm", loc);
  checkFloat(input, "group_norm", loc);
  if (input.dim() < 2)
    fail(loc, "group_norm",
         "expects an input of rank >= 2 [N, C, ...], got " +
             str(input.sizes()));
  int64_t channels = input.size(1);
  if (num_groups < 1 || channels % num_groups != 0)
    fail(loc, "group_norm",
         "num_groups " + std::to_string(num_groups) + " must divide the " +
             std::to_string(channels) + " channels of input " +
             str(input.sizes()));
  int64_t groupSize = channels / num_groups;
  for (int64_t d = 2; d < input.dim(); ++d)
    groupSize *= input.size(d);
  Tensor y =
      layer_norm(input.reshape({input.size(0), num_groups, groupSize}, loc),
                 {groupSize}, {}, {}, eps, loc)
          .reshape(input.sizes(), loc);
  Shape perChannel(input.dim(), 1);
  perChannel[1] = channels;
  auto param = [&](const Tensor &t, const char *name) {
    if (t.sizes() != Shape{channels})
      fail(loc, "group_norm",
           std::string(name) + " must have shape [" + std::to_string(channels) +
               "], got " + str(t.sizes()));
    return t.reshape(perChannel, loc);
  };
  if (weight.defined())
    y = y * param(weight, "weight");
  if (bias.defined())
    y = y + param(bias, "bias");
  return y;
}

Tensor batch_norm(const Tensor &input, const Tensor &running_mean,
                  const Tensor &running_var, const Tensor &weight,
                  const Tensor &bias, bool training, double momentum,
                  double eps, Loc loc) {
  checkDefined(input, "batch_norm", loc);
  checkFloat(input, "batch_norm", loc);
  if (input.dim() < 2)
    fail(loc, "batch_norm",
         "expects an input of rank >= 2 [N, C, ...], got " +
             str(input.sizes()));
  Shape channels = {input.size(1)};
  auto param = [&](const Tensor &t, double fill, const char *name) {
    if (!t.defined())
      return splat(channels, input.dtype(), fill, loc);
    if (t.sizes() != channels)
      fail(loc, "batch_norm",
           std::string(name) + " must have shape " + str(channels) + ", got " +
               str(t.sizes()));
    return convertTo(t, input.dtype(), loc);
  };
  Tensor w = param(weight, 1, "weight"), b = param(bias, 0, "bias");
  if (!training) {
    if (!running_mean.defined() || !running_var.defined())
      fail(loc, "batch_norm", "evaluation needs running_mean and running_var");
    return record("kiln.batch_norm_inference",
                  {input, w, b, param(running_mean, 0, "running_mean"),
                   param(running_var, 1, "running_var")},
                  {{"eps", eps}}, {input.sizes(), input.dtype()}, loc);
  }
  int64_t count = input.numel() / input.size(1);
  if (count <= 1)
    fail(loc, "batch_norm",
         "expected more than 1 value per channel when "
         "training, got input " +
             str(input.sizes()));
  NodeInputs inputs = {input.impl_ptr(), w.impl_ptr(), b.impl_ptr()};
  auto results = Trace::current().record("kiln.batch_norm_training",
                                         std::move(inputs), {{"eps", eps}},
                                         {{input.sizes(), input.dtype()},
                                          {channels, input.dtype()},
                                          {channels, input.dtype()}},
                                         loc);
  Tensor y(results[0]), mean(results[1]), var(results[2]);
  // Running statistics move towards the batch's, with the unbiased variance.
  if (running_mean.defined()) {
    Tensor updated = running_mean * (1 - momentum) +
                     convertTo(mean, running_mean.dtype(), loc) * momentum;
    assign(running_mean, updated);
  }
  if (running_var.defined()) {
    double unbias = static_cast<double>(count) / static_cast<double>(count - 1);
    Tensor updated =
        running_var * (1 - momentum) +
        convertTo(var, running_var.dtype(), loc) * (momentum * unbias);
    assign(running_var, updated);
  }
  return y;
}

Tensor leaky_relu(const Tensor &input, double negative_slope, Loc loc) {
  checkDefined(input, "leaky_relu", loc);
  checkFloat(input, "leaky_relu", loc);
  return where(input > 0, input, input * negative_slope, loc);
}

Tensor silu(const Tensor &input, Loc loc) {
  checkDefined(input, "silu", loc);
  checkFloat(input, "silu", loc);
  return input * input.sigmoid(loc);
}

Tensor embedding(const Tensor &weight, const Tensor &indices, Loc loc) {
  checkDefined(weight, "embedding", loc);
  checkDefined(indices, "embedding", loc);
  if (weight.dim() != 2)
    fail(loc, "embedding",
         "weight must be 2-d [num_embeddings, dim], got " +
             str(weight.sizes()));
  checkIndices(indices, weight.size(0), "embedding", loc);
  Shape out = indices.sizes();
  out.push_back(weight.size(1));
  return record("kiln.gather", {weight, indices}, {{"dim", int64_t{0}}},
                {out, weight.dtype()}, loc);
}

Tensor index_add(const Tensor &self, int64_t dim, const Tensor &index,
                 const Tensor &source, Loc loc) {
  checkDefined(self, "index_add", loc);
  checkDefined(index, "index_add", loc);
  checkDefined(source, "index_add", loc);
  int64_t d = normDim(dim, self.dim(), "index_add", loc);
  if (index.dim() != 1)
    fail(loc, "index_add", "index must be 1-d, got " + str(index.sizes()));
  checkIndices(index, self.size(d), "index_add", loc);
  Shape expected = self.sizes();
  expected[d] = index.numel();
  if (source.sizes() != expected)
    fail(loc, "index_add",
         "source must have shape " + str(expected) + ", got " +
             str(source.sizes()));
  if (source.dtype() != self.dtype() || self.dtype() == kBool)
    fail(loc, "index_add", "self and source need the same numeric dtype");
  return record("kiln.scatter_add", {self, index, source}, {{"dim", d}},
                {self.sizes(), self.dtype()}, loc);
}

Tensor constant_pad_nd(const Tensor &input, const Shape &pad, Scalar value,
                       Loc loc) {
  checkDefined(input, "constant_pad_nd", loc);
  if (pad.size() % 2 != 0 || static_cast<int64_t>(pad.size()) > 2 * input.dim())
    fail(loc, "constant_pad_nd",
         "pad " + str(pad) + " needs (before, after) pairs for at most " +
             std::to_string(input.dim()) + " dimensions");
  Shape low(input.dim(), 0), high(input.dim(), 0), out = input.sizes();
  for (size_t i = 0; i < pad.size() / 2; ++i) {
    int64_t d = input.dim() - 1 - static_cast<int64_t>(i);
    if (pad[2 * i] < 0 || pad[2 * i + 1] < 0)
      fail(loc, "constant_pad_nd",
           "negative padding is not supported: " + str(pad));
    low[d] = pad[2 * i];
    high[d] = pad[2 * i + 1];
    out[d] += low[d] + high[d];
  }
  return record("kiln.pad", {input, splat({}, input.dtype(), value, loc)},
                {{"low", low}, {"high", high}}, {out, input.dtype()}, loc);
}

Tensor dropout(const Tensor &input, double p, bool train, Loc loc) {
  checkDefined(input, "dropout", loc);
  if (p < 0 || p > 1)
    fail(loc, "dropout",
         "probability must be in [0, 1], got " + std::to_string(p));
  if (!train || p == 0)
    return input;
  checkFloat(input, "dropout", loc);
  if (p == 1)
    return input * 0;
  Tensor keep = uniform(input.sizes(), kFloat32, "dropout", loc) >= p;
  return where(keep, input * (1 / (1 - p)), zeros_like(input, loc), loc);
}

} // namespace kiln
