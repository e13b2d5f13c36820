//===- Print.cpp - Printing tensors the way LibTorch does -----------------===//
#include "kiln/frontend/Tensor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace kiln {

namespace {

std::string_view typeName(ScalarType t) {
  switch (t) {
  case kBool:
    return "CPUBoolType";
  case kUInt8:
    return "CPUByteType";
  case kInt8:
    return "CPUCharType";
  case kInt16:
    return "CPUShortType";
  case kInt32:
    return "CPUIntType";
  case kInt64:
    return "CPULongType";
  case kFloat16:
    return "CPUHalfType";
  case kBFloat16:
    return "CPUBFloat16Type";
  case kFloat32:
    return "CPUFloatType";
  case kFloat64:
    return "CPUDoubleType";
  }
  return "CPUUnknownType";
}

/// How every element of one tensor is written: integers when all values are
/// integral, fixed with 4 decimals, or scientific for extreme magnitudes.
struct Format {
  enum { Integer, Fixed, Scientific } style = Integer;
  size_t width = 1;

  std::string operator()(double v) const {
    if (std::isnan(v))
      return "nan";
    if (std::isinf(v))
      return v > 0 ? "inf" : "-inf";
    char buf[64];
    if (style == Integer)
      std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (style == Fixed)
      std::snprintf(buf, sizeof buf, "%.4f", v);
    else
      std::snprintf(buf, sizeof buf, "%.4e", v);
    return buf;
  }
};

Format chooseFormat(const std::vector<double> &values, bool integral) {
  Format f;
  double maxAbs = 0, minAbs = INFINITY;
  bool allIntegers = true;
  for (double v : values) {
    if (!std::isfinite(v))
      continue;
    allIntegers = allIntegers && v == std::nearbyint(v);
    maxAbs = std::max(maxAbs, std::abs(v));
    if (v != 0)
      minAbs = std::min(minAbs, std::abs(v));
  }
  if (!integral && !allIntegers)
    f.style =
        (maxAbs >= 1e8 || minAbs < 1e-4) ? Format::Scientific : Format::Fixed;
  else if (!integral && maxAbs >= 1e8)
    f.style = Format::Scientific;
  // LibTorch's column width: the widest magnitude plus a slot for the sign.
  for (double v : values)
    f.width = std::max(f.width, f(std::abs(v)).size() + 1);
  return f;
}

void printMatrix(std::ostream &os, const std::vector<double> &values,
                 int64_t offset, int64_t rows, int64_t cols, const Format &f,
                 const std::string &indent) {
  for (int64_t r = 0; r < rows; ++r) {
    os << indent;
    for (int64_t c = 0; c < cols; ++c) {
      if (c > 0)
        os << ' ';
      os << std::setw(static_cast<int>(f.width))
         << f(values[offset + r * cols + c]);
    }
    os << '\n';
  }
}

} // namespace

std::ostream &operator<<(std::ostream &os, const Tensor &t) {
  if (!t.defined())
    return os << "[ Tensor (undefined) ]";
  const Shape &shape = t.sizes();
  std::ostringstream out;
  std::vector<double> values(t.numel());
  for (int64_t i = 0; i < t.numel(); ++i)
    values[i] = detail::readElement(t, i);
  Format f = chooseFormat(values, !t.is_floating_point());
  if (t.numel() > 0) {
    if (t.dim() == 0) {
      out << f(values[0]) << '\n';
    } else if (t.dim() == 1) {
      printMatrix(out, values, 0, shape[0], 1, f, "");
    } else if (t.dim() == 2) {
      printMatrix(out, values, 0, shape[0], shape[1], f, "");
    } else {
      // One matrix per index of the leading dimensions: (i,j,.,.) =
      int64_t rows = shape[t.dim() - 2], cols = shape[t.dim() - 1];
      int64_t matrices = t.numel() / (rows * cols);
      for (int64_t m = 0; m < matrices; ++m) {
        std::vector<int64_t> index(t.dim() - 2);
        for (int64_t d = t.dim() - 3, rest = m; d >= 0; --d) {
          index[d] = rest % shape[d];
          rest /= shape[d];
        }
        if (m > 0)
          out << '\n';
        out << '(';
        for (int64_t i : index)
          out << i + 1 << ',';
        out << ".,.) = \n";
        printMatrix(out, values, m * rows * cols, rows, cols, f, "");
      }
    }
  }
  out << "[ " << typeName(t.dtype()) << '{';
  for (size_t i = 0; i < shape.size(); ++i)
    out << (i ? "," : "") << shape[i];
  out << "} ]";
  return os << out.str();
}

} // namespace kiln
