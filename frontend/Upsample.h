//===- Upsample.h - Resizing images: interpolate and Upsample ---*- C++ -*-===//
//
// LibTorch's F::interpolate and nn::Upsample over 1, 2 or 3 spatial
// dimensions: nearest, (bi/tri)linear, bicubic and area modes, with
// PyTorch's coordinate rules (align_corners, a given scale factor). Each
// mode is separable, so a resize is one weighted sum of index_selects per
// dimension, differentiable like any other op.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_UPSAMPLE_H
#define KILN_FRONTEND_UPSAMPLE_H

#include "kiln/frontend/Enum.h"
#include "kiln/frontend/Module.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/Tensor.h"

#include <optional>
#include <ostream>
#include <vector>

namespace kiln::nn {

/// Options of Upsample: the output's spatial `size` or a `scale_factor`
/// per dimension (one of the two), the `mode` (kNearest, kLinear,
/// kBilinear, kBicubic, kTrilinear) and, for the interpolating modes,
/// `align_corners`.
struct UpsampleOptions {
  KILN_ARG(std::optional<std::vector<int64_t>>, size) = std::nullopt;
  KILN_ARG(std::optional<std::vector<double>>, scale_factor) = std::nullopt;
  KILN_ARG(Mode, mode) = kNearest;
  KILN_ARG(std::optional<bool>, align_corners) = std::nullopt;
};

namespace functional {

/// Options of F::interpolate: Upsample's, kArea (adaptive average
/// pooling) among the modes, and `recompute_scale_factor`, which maps
/// coordinates with the output size's own ratio instead of the given
/// scale.
struct InterpolateFuncOptions {
  KILN_ARG(std::optional<std::vector<int64_t>>, size) = std::nullopt;
  KILN_ARG(std::optional<std::vector<double>>, scale_factor) = std::nullopt;
  KILN_ARG(Mode, mode) = kNearest;
  KILN_ARG(std::optional<bool>, align_corners) = std::nullopt;
  KILN_ARG(std::optional<bool>, recompute_scale_factor) = std::nullopt;
  KILN_ARG(bool, antialias) = false;
};

/// Resizes the spatial dimensions of [N, C, L], [N, C, H, W] or
/// [N, C, D, H, W].
Tensor interpolate(const Tensor &input,
                   const InterpolateFuncOptions &options = {},
                   Loc loc = Loc::current());

} // namespace functional

/// F::interpolate with the module's options.
class UpsampleImpl : public detail::ClonableFromOptions<UpsampleImpl> {
public:
  explicit UpsampleImpl(const UpsampleOptions &options = {})
      : options(options) {}
  Tensor forward(const Tensor &input);
  void pretty_print(std::ostream &stream) const override;
  UpsampleOptions options;
};
KILN_MODULE(Upsample);

} // namespace kiln::nn

#endif // KILN_FRONTEND_UPSAMPLE_H
