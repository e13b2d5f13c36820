//===- Shapes.h - Shape rules shared with the frontend ----------*- C++ -*-===//
//
// Pure functions on shapes (no MLIR types), so that the frontend reports the
// same errors at record time that the verifiers report on IR.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IR_SHAPES_H
#define KILN_IR_SHAPES_H

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kiln::ir {

using Shape = std::vector<int64_t>;

/// Renders a shape as PyTorch prints sizes: `[2, 3]`.
std::string formatShape(std::span<const int64_t> shape);

/// The NumPy broadcast of two shapes, or nullopt when a pair of aligned
/// dimensions differs and neither is 1.
std::optional<Shape> broadcastShapes(std::span<const int64_t> lhs,
                                     std::span<const int64_t> rhs);

/// Whether `from` broadcasts to exactly `to` by NumPy's rule.
bool isBroadcastableTo(std::span<const int64_t> from,
                       std::span<const int64_t> to);

/// The dimensions 0..rank-1 without `kept` (what batch norm reduces over
/// when `kept` is the channel dimension).
Shape allDimsExcept(int64_t rank, int64_t kept);

/// The product of the dimensions (1 for a 0-d shape); INT64_MAX when it
/// overflows (or a dimension is negative), so that a hostile shape can never
/// wrap around to a small count.
int64_t numElements(std::span<const int64_t> shape);

/// The most bytes one tensor may have (1 TiB): far beyond what a machine
/// holds, far below where counting bytes in int64 could overflow. Types
/// beyond it fail verification and ops making them fail to record.
inline constexpr int64_t kMaxTensorBytes = int64_t(1) << 40;

/// Whether a tensor of `shape` with `elementBytes`-byte elements fits
/// kMaxTensorBytes.
bool fitsTensorLimit(std::span<const int64_t> shape, int64_t elementBytes);

/// Output spatial size of a convolution or pooling window along one
/// dimension; nullopt when the window does not fit even once.
std::optional<int64_t> windowOutputSize(int64_t input, int64_t kernel,
                                        int64_t stride, int64_t padding,
                                        int64_t dilation);

} // namespace kiln::ir

#endif // KILN_IR_SHAPES_H
