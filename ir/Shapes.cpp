//===- Shapes.cpp - Shape rules shared by verifiers and the frontend ------===//
#include "kiln/ir/Shapes.h"

#include <algorithm>
#include <cstdint>

namespace kiln::ir {

std::string formatShape(std::span<const int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::optional<Shape> broadcastShapes(std::span<const int64_t> lhs,
                                     std::span<const int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < lhs.size() ? lhs[lhs.size() - 1 - i] : 1;
    int64_t r = i < rhs.size() ? rhs[rhs.size() - 1 - i] : 1;
    if (l != r && l != 1 && r != 1)
      return std::nullopt;
    result[rank - 1 - i] = l == 1 ? r : l;
  }
  return result;
}

bool isBroadcastableTo(std::span<const int64_t> from,
                       std::span<const int64_t> to) {
  if (from.size() > to.size())
    return false;
  size_t lead = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i)
    if (from[i] != 1 && from[i] != to[lead + i])
      return false;
  return true;
}

Shape allDimsExcept(int64_t rank, int64_t kept) {
  Shape dims;
  for (int64_t d = 0; d < rank; ++d)
    if (d != kept)
      dims.push_back(d);
  return dims;
}

int64_t numElements(std::span<const int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return INT64_MAX;
  return n;
}

bool fitsTensorLimit(std::span<const int64_t> shape, int64_t elementBytes) {
  int64_t bytes;
  return !__builtin_mul_overflow(numElements(shape), elementBytes, &bytes) &&
         bytes <= kMaxTensorBytes;
}

std::optional<int64_t> windowOutputSize(int64_t input, int64_t kernel,
                                        int64_t stride, int64_t padding,
                                        int64_t dilation) {
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t padded = input + 2 * padding;
  if (kernel < 1 || stride < 1 || padding < 0 || dilation < 1 || padded < span)
    return std::nullopt;
  return (padded - span) / stride + 1;
}

} // namespace kiln::ir
