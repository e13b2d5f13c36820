//===- Functional.h - Convolution, pooling, normalization -------*- C++ -*-===//
//
// The neural-network primitives of `torch::` (not yet the `nn` modules), with
// PyTorch's argument order and defaults. Sizes given as one number apply to
// both spatial dimensions, as PyTorch's `IntArrayRef` arguments do.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_FUNCTIONAL_H
#define KILN_FRONTEND_FUNCTIONAL_H

#include "kiln/frontend/Tensor.h"

#include <optional>

namespace kiln {

/// 2-D convolution of `input` `[N, C, H, W]` (or `[C, H, W]`) by `weight`
/// `[O, C/groups, KH, KW]`, plus `bias` `[O]` when defined.
Tensor conv2d(const Tensor &input, const Tensor &weight,
              const Tensor &bias = {}, const Shape &stride = {1},
              const Shape &padding = {0}, const Shape &dilation = {1},
              int64_t groups = 1, Loc loc = Loc::current());

/// 1-D convolution of `input` `[N, C, L]` (or `[C, L]`) by `weight`
/// `[O, C/groups, K]`, plus `bias` `[O]` when defined: conv2d over a height
/// of one.
Tensor conv1d(const Tensor &input, const Tensor &weight,
              const Tensor &bias = {}, int64_t stride = 1, int64_t padding = 0,
              int64_t dilation = 1, int64_t groups = 1,
              Loc loc = Loc::current());

/// Transposed 2-D convolution (the gradient of conv2d with respect to its
/// input) of `input` `[N, C, H, W]` (or `[C, H, W]`) by `weight`
/// `[C, O/groups, KH, KW]`, plus `bias` `[O]` when defined. The result has
/// `(H - 1) stride - 2 padding + dilation (KH - 1) + output_padding + 1`
/// rows; `output_padding` must be smaller than `stride`.
Tensor conv_transpose2d(const Tensor &input, const Tensor &weight,
                        const Tensor &bias = {}, const Shape &stride = {1},
                        const Shape &padding = {0},
                        const Shape &output_padding = {0}, int64_t groups = 1,
                        const Shape &dilation = {1}, Loc loc = Loc::current());

/// Max pooling; `stride` defaults to the kernel size. Dilation and ceil_mode
/// are not supported yet and must keep their defaults.
Tensor max_pool2d(const Tensor &input, IntArrayRef kernel_size,
                  const Shape &stride = {}, const Shape &padding = {0},
                  const Shape &dilation = {1}, bool ceil_mode = false,
                  Loc loc = Loc::current());

/// Average pooling; `stride` defaults to the kernel size.
Tensor avg_pool2d(const Tensor &input, IntArrayRef kernel_size,
                  const Shape &stride = {}, const Shape &padding = {0},
                  bool ceil_mode = false, bool count_include_pad = true,
                  Loc loc = Loc::current());

/// Average pooling to an `output_size` grid: output cell `i` averages input
/// rows `floor(i H / out)` to `ceil((i + 1) H / out)`, as PyTorch's windows.
Tensor adaptive_avg_pool2d(const Tensor &input, const Shape &output_size,
                           Loc loc = Loc::current());

/// Normalizes over the trailing `normalized_shape` dimensions, then scales
/// by `weight` and shifts by `bias` when they are defined.
Tensor layer_norm(const Tensor &input, const Shape &normalized_shape,
                  const Tensor &weight = {}, const Tensor &bias = {},
                  double eps = 1e-5, Loc loc = Loc::current());

/// Normalizes `input` `[N, C, ...]` over each of `num_groups` groups of
/// channels (and every position), then scales by `weight` `[C]` and shifts
/// by `bias` `[C]` when they are defined.
Tensor group_norm(const Tensor &input, int64_t num_groups,
                  const Tensor &weight = {}, const Tensor &bias = {},
                  double eps = 1e-5, Loc loc = Loc::current());

/// Batch normalization over dimension 1 of `[N, C, ...]`. In training it
/// normalizes with the batch statistics and, when they are defined, updates
/// `running_mean` and `running_var` in place (the variance unbiased), as
/// PyTorch does; otherwise it uses the running statistics.
Tensor batch_norm(const Tensor &input, const Tensor &running_mean,
                  const Tensor &running_var, const Tensor &weight = {},
                  const Tensor &bias = {}, bool training = false,
                  double momentum = 0.1, double eps = 1e-5,
                  Loc loc = Loc::current());

/// `x` where it is positive, `negative_slope * x` elsewhere.
Tensor leaky_relu(const Tensor &input, double negative_slope = 0.01,
                  Loc loc = Loc::current());

/// x * sigmoid(x), also known as swish.
Tensor silu(const Tensor &input, Loc loc = Loc::current());

/// Rows of `weight` `[num_embeddings, dim]` picked by integer `indices` of
/// any shape: the result is `indices.shape + [dim]`.
Tensor embedding(const Tensor &weight, const Tensor &indices,
                 Loc loc = Loc::current());

/// `self` with `source` added at `index` along `dim` (accumulating where
/// indices repeat).
Tensor index_add(const Tensor &self, int64_t dim, const Tensor &index,
                 const Tensor &source, Loc loc = Loc::current());

/// Pads with `value`: `pad` lists (before, after) pairs starting from the last
/// dimension, as `torch::constant_pad_nd` does. Only non-negative padding.
Tensor constant_pad_nd(const Tensor &input, const Shape &pad, Scalar value = 0,
                       Loc loc = Loc::current());

/// Zeroes each element with probability `p` and scales the rest by
/// 1 / (1 - p) when `train`; the identity otherwise. The mask comes from the
/// generator that manual_seed seeds.
Tensor dropout(const Tensor &input, double p = 0.5, bool train = true,
               Loc loc = Loc::current());

} // namespace kiln

#endif // KILN_FRONTEND_FUNCTIONAL_H
