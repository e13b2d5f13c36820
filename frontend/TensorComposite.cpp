//===- TensorComposite.cpp - Tensor ops composed of other tensor ops ------===//
//
// LibTorch's ops that Kiln states in terms of its own: remainders, running
// sums, flips, triangles, gathers and scatters (by one-hot comparison),
// sorting (by ranking every pair). They record only existing ops, so they
// fuse, compile and differentiate like the ops they are made of.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <cmath>
#include <limits>
#include <numeric>

namespace kiln {

using namespace detail;

namespace {

/// The dtype of a number as an operand of type promotion.
Participant participant(const Scalar &s) {
  ScalarType dtype = s.isFloatingPoint() ? kFloat64
                     : s.isIntegral()    ? kInt64
                                         : kBool;
  return {dtype, Participant::Wrapped};
}

/// a - round(a / b) * b with `round` floor (remainder) or trunc (fmod), in
/// the promoted dtype; integers go through float64 (exact to 2^53).
Tensor remainderOf(const Tensor &a, const Tensor &b, ScalarType result,
                   bool floorRound, const Loc &loc) {
  // Integers have no value for x % 0 (PyTorch raises); the divisor is
  // computed to check it.
  if (!is_floating_point(result) && b.eq(0, loc).any(loc).item<bool>())
    fail(loc, floorRound ? "remainder" : "fmod", "integer division by zero");
  ScalarType compute = is_floating_point(result) ? result : kFloat64;
  Tensor x = a.to(compute, loc), y = b.to(compute, loc);
  Tensor q = x.div(y, loc);
  q = floorRound ? q.floor(loc) : q.trunc(loc);
  return (x - q * y).to(result, loc);
}

/// `x` with dimension `dim` moved last (a transpose, undone by the same).
Tensor dimLast(const Tensor &x, int64_t dim, const Loc &loc) {
  return dim == x.dim() - 1 ? x : x.transpose(dim, -1, loc);
}

/// Whether every index of `index` lies in [0, size), computed now.
void checkIndexRange(const Tensor &index, int64_t size, std::string_view op,
                     const Loc &loc) {
  if (index.numel() == 0)
    return;
  Tensor wide = index.to(kInt64, loc);
  int64_t low = wide.min(loc).item<int64_t>();
  int64_t high = wide.max(loc).item<int64_t>();
  if (low < 0 || high >= size)
    fail(loc, op,
         "index " + std::to_string(low < 0 ? low : high) +
             " is out of bounds for a dimension of size " +
             std::to_string(size));
}

/// The checks gather and scatter share: an integer index of the tensor's
/// rank, no larger than `bounds` outside `dim`.
void checkScatterIndex(const Tensor &self, int64_t dim, const Tensor &index,
                       const Shape &bounds, std::string_view op,
                       const Loc &loc) {
  checkDefined(index, op, loc);
  if (!is_integral(index.dtype()))
    fail(loc, op,
         "the index must be an integer tensor, got " + str(index.dtype()));
  if (index.dim() != self.dim())
    fail(loc, op,
         "the index " + str(index.sizes()) + " must have the tensor's " +
             std::to_string(self.dim()) + " dimensions " + str(self.sizes()));
  for (int64_t d = 0; d < self.dim(); ++d)
    if (d != dim && index.size(d) > bounds[d])
      fail(loc, op,
           "the index " + str(index.sizes()) + " is larger than " +
               str(bounds) + " in dimension " + std::to_string(d));
}

/// [B..., m, n] one-hot of `idx` [B..., m] against 0..n-1.
Tensor oneHot(const Tensor &idx, int64_t n, const Loc &loc) {
  return idx.to(kInt64, loc).unsqueeze(-1, loc) == arange(n, kInt64, loc);
}

/// `x`'s first sizes(d) elements along each dimension but `dim` of `like`.
Tensor narrowTo(const Tensor &x, int64_t dim, const Tensor &like,
                const Loc &loc) {
  Tensor out = x;
  for (int64_t d = 0; d < x.dim(); ++d)
    if (d != dim && like.size(d) < x.size(d))
      out = out.narrow(d, 0, like.size(d), loc);
  return out;
}

/// `x` padded with zeros to `shape` at the end of each dimension.
Tensor padTo(const Tensor &x, const Shape &shape, const Loc &loc) {
  Tensor out = x;
  for (int64_t d = 0; d < x.dim(); ++d)
    if (out.size(d) < shape[d]) {
      Shape pad = out.sizes();
      pad[d] = shape[d] - out.size(d);
      out = cat({out, zeros(pad, out.dtype(), loc)}, d, loc);
    }
  return out;
}

/// Along the last dimension of `x` [B..., n]: out[..., j] = x[..., idx[j]]
/// for `idx` [B..., m].
Tensor gatherLast(const Tensor &x, const Tensor &idx, const Loc &loc) {
  Tensor hot = oneHot(idx, x.size(-1), loc); // [B..., m, n]
  Tensor picked =
      where(hot, x.unsqueeze(-2, loc), zeros({}, x.dtype(), loc), loc);
  return picked.sum(-1, false, loc).to(x.dtype(), loc);
}

/// The rank of each element of the last dimension in sorted order (ties by
/// position), by comparing every pair.
Tensor ranks(const Tensor &x, bool descending, const Loc &loc) {
  int64_t n = x.size(-1);
  Tensor a = x.unsqueeze(-1, loc), b = x.unsqueeze(-2, loc); // i, j
  Tensor before, same;
  if (is_floating_point(x.dtype())) {
    Tensor nanA = a.isnan(loc), nanB = b.isnan(loc);
    Tensor less = descending ? b > a : b < a;
    // NaN sorts as the largest.
    less = descending ? logical_or(less, nanB & ~nanA, loc)
                      : logical_or(less, nanA & ~nanB, loc);
    before = less;
    same = logical_or(b == a, nanA & nanB, loc);
  } else {
    Tensor xi = x.dtype() == kBool ? x.to(kInt64, loc) : x;
    a = xi.unsqueeze(-1, loc);
    b = xi.unsqueeze(-2, loc);
    before = descending ? b > a : b < a;
    same = b == a;
  }
  Tensor earlier = arange(n, kInt64, loc).unsqueeze(0, loc) <
                   arange(n, kInt64, loc).unsqueeze(1, loc); // j < i
  Tensor precedes = logical_or(before, same & earlier, loc);
  return precedes.to(kInt64, loc).sum(-1, false, loc);
}

} // namespace

// --- Remainders and rounding

Tensor Tensor::remainder(const Tensor &other, Loc loc) const {
  checkDefined(*this, "remainder", loc);
  checkDefined(other, "remainder", loc);
  ScalarType result = resultType({participant(*this), participant(other)});
  return remainderOf(*this, other, result, true, loc);
}

Tensor Tensor::remainder(Scalar other, Loc loc) const {
  checkDefined(*this, "remainder", loc);
  ScalarType result = resultType({participant(*this), participant(other)});
  return remainderOf(*this, full({}, other, result, loc), result, true, loc);
}

Tensor Tensor::fmod(const Tensor &other, Loc loc) const {
  checkDefined(*this, "fmod", loc);
  checkDefined(other, "fmod", loc);
  ScalarType result = resultType({participant(*this), participant(other)});
  return remainderOf(*this, other, result, false, loc);
}

Tensor Tensor::fmod(Scalar other, Loc loc) const {
  checkDefined(*this, "fmod", loc);
  ScalarType result = resultType({participant(*this), participant(other)});
  return remainderOf(*this, full({}, other, result, loc), result, false, loc);
}

Tensor operator%(const Tensor &a, const Operand &b) {
  if (const Tensor *t = std::get_if<Tensor>(&b.value))
    return a.remainder(*t, b.loc);
  return a.remainder(std::get<Scalar>(b.value), b.loc);
}

Tensor Tensor::trunc(Loc loc) const {
  checkDefined(*this, "trunc", loc);
  if (!is_floating_point())
    return *this;
  // Toward zero: floor for the positive, -floor(-x) for the negative.
  return where(*this < 0, neg(loc).floor(loc).neg(loc), floor(loc), loc);
}

Tensor Tensor::ceil(Loc loc) const {
  checkDefined(*this, "ceil", loc);
  if (!is_floating_point())
    return *this;
  return neg(loc).floor(loc).neg(loc);
}

Tensor Tensor::round(Loc loc) const {
  checkDefined(*this, "round", loc);
  if (!is_floating_point())
    return *this;
  // Half to even, as PyTorch: floor(x + 0.5), one less where x + 0.5 is an
  // odd integer reached exactly.
  Tensor up = (*this + 0.5).floor(loc);
  Tensor tie = (*this + 0.5) == up;
  Tensor odd = up.remainder(2.0, loc) == 1;
  return where(tie & odd, up - 1, up, loc);
}

Tensor Tensor::frac(Loc loc) const {
  checkDefined(*this, "frac", loc);
  return *this - trunc(loc);
}

Tensor Tensor::isnan(Loc loc) const {
  checkDefined(*this, "isnan", loc);
  if (!is_floating_point())
    return zeros(sizes(), kBool, loc);
  return ne(*this, loc);
}

Tensor Tensor::isinf(Loc loc) const {
  checkDefined(*this, "isinf", loc);
  if (!is_floating_point())
    return zeros(sizes(), kBool, loc);
  return abs(loc) == std::numeric_limits<double>::infinity();
}

Tensor Tensor::isfinite(Loc loc) const {
  checkDefined(*this, "isfinite", loc);
  if (!is_floating_point())
    return ones(sizes(), kBool, loc);
  return logical_or(isnan(loc), isinf(loc), loc).logical_not(loc);
}

Tensor Tensor::nan_to_num(std::optional<double> nan,
                          std::optional<double> posinf,
                          std::optional<double> neginf, Loc loc) const {
  checkDefined(*this, "nan_to_num", loc);
  if (!is_floating_point())
    return *this;
  double largest = 0;
  switch (dtype()) {
  case kFloat16:
    largest = 65504.0;
    break;
  case kBFloat16:
    largest = 3.3895313892515355e38;
    break;
  case kFloat32:
    largest = std::numeric_limits<float>::max();
    break;
  default:
    largest = std::numeric_limits<double>::max();
  }
  Tensor out =
      where(isnan(loc), full({}, nan.value_or(0.0), dtype(), loc), *this, loc);
  Tensor inf = out.isinf(loc);
  out = where(inf & (out > 0), full({}, posinf.value_or(largest), dtype(), loc),
              out, loc);
  return where(inf & (out < 0),
               full({}, neginf.value_or(-largest), dtype(), loc), out, loc);
}

Tensor Tensor::clamp_min(Scalar min, Loc loc) const {
  return clamp(min, std::nullopt, loc);
}

Tensor Tensor::clamp_max(Scalar max, Loc loc) const {
  return clamp(std::nullopt, max, loc);
}

Tensor Tensor::lerp(const Tensor &end, Scalar weight, Loc loc) const {
  checkDefined(*this, "lerp", loc);
  checkDefined(end, "lerp", loc);
  return *this + (end - *this) * weight;
}

Tensor Tensor::lerp(const Tensor &end, const Tensor &weight, Loc loc) const {
  checkDefined(*this, "lerp", loc);
  checkDefined(end, "lerp", loc);
  checkDefined(weight, "lerp", loc);
  return *this + (end - *this) * weight;
}

// --- Products

Tensor Tensor::addmm(const Tensor &mat1, const Tensor &mat2, Scalar beta,
                     Scalar alpha, Loc loc) const {
  checkDefined(*this, "addmm", loc);
  Tensor product = mat1.mm(mat2, loc);
  if (alpha.to<double>() != 1)
    product = product * alpha;
  if (beta.to<double>() == 0) // PyTorch ignores self then, NaN included
    return product + zeros_like(product, loc);
  return (beta.to<double>() == 1 ? *this : *this * beta) + product;
}

Tensor Tensor::outer(const Tensor &vec2, Loc loc) const {
  checkDefined(*this, "outer", loc);
  checkDefined(vec2, "outer", loc);
  if (dim() != 1 || vec2.dim() != 1)
    fail(loc, "outer",
         "expects two vectors, got " + str(sizes()) + " and " +
             str(vec2.sizes()));
  return unsqueeze(1, loc) * vec2.unsqueeze(0, loc);
}

Tensor Tensor::dot(const Tensor &other, Loc loc) const {
  checkDefined(*this, "dot", loc);
  checkDefined(other, "dot", loc);
  if (dim() != 1 || other.dim() != 1 || size(0) != other.size(0))
    fail(loc, "dot",
         "expects two vectors of one length, got " + str(sizes()) + " and " +
             str(other.sizes()));
  return (*this * other).sum(loc);
}

Tensor Tensor::prod(int64_t d, bool keepdim, Loc loc) const {
  checkDefined(*this, "prod", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "prod", loc);
  Tensor x = dim() == 0 ? reshape({1}, loc) : *this;
  if (x.dtype() == kBool || x.dtype() == kInt32)
    x = x.to(kInt64, loc);
  x = dimLast(x, axis, loc);
  // Pairwise products, halving the dimension each round: no division, so
  // zeros and their gradients come out right.
  while (x.size(-1) > 1) {
    if (x.size(-1) % 2) {
      Shape one = x.sizes();
      one.back() = 1;
      x = cat({x, ones(one, x.dtype(), loc)}, -1, loc);
    }
    Shape pairs = x.sizes();
    pairs.back() /= 2;
    pairs.push_back(2);
    x = x.reshape(pairs, loc);
    x = x.select(-1, 0, loc) * x.select(-1, 1, loc);
  }
  if (x.size(-1) == 0) {
    Shape one = x.sizes();
    one.back() = 1;
    x = ones(one, x.dtype(), loc);
  }
  x = dimLast(x, axis, loc);
  if (dim() == 0)
    return x.reshape({}, loc);
  return keepdim ? x : x.squeeze(axis, loc);
}

Tensor Tensor::prod(Loc loc) const {
  checkDefined(*this, "prod", loc);
  return reshape({-1}, loc).prod(0, false, loc);
}

Tensor Tensor::logsumexp(IntArrayRef dims, bool keepdim, Loc loc) const {
  checkDefined(*this, "logsumexp", loc);
  Tensor x = is_floating_point() ? *this : to(kFloat32, loc);
  Shape d(dims.begin(), dims.end());
  if (d.empty())
    for (int64_t i = 0; i < x.dim(); ++i)
      d.push_back(i);
  Tensor m;
  {
    NoGradGuard noGrad;
    m = x.amax(d, true, loc).detach();
    m = where(m.isinf(loc), zeros({}, m.dtype(), loc), m, loc);
  }
  Tensor out = (x - m).exp(loc).sum(d, true, loc).log(loc) + m;
  return keepdim ? out : out.sum(d, false, loc);
}

Tensor Tensor::cumsum(int64_t d, Loc loc) const {
  checkDefined(*this, "cumsum", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "cumsum", loc);
  Tensor x = is_floating_point() ? *this : to(kInt64, loc);
  if (dim() == 0)
    return x;
  int64_t n = x.size(axis);
  // Hillis and Steele: each round adds the value `shift` places before.
  for (int64_t shift = 1; shift < n; shift *= 2) {
    Shape pad = x.sizes();
    pad[axis] = shift;
    x = x + cat({zeros(pad, x.dtype(), loc), x.narrow(axis, 0, n - shift, loc)},
                axis, loc);
  }
  return x;
}

Tensor Tensor::cumprod(int64_t d, Loc loc) const {
  checkDefined(*this, "cumprod", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "cumprod", loc);
  Tensor x = is_floating_point() ? *this : to(kInt64, loc);
  if (dim() == 0)
    return x;
  int64_t n = x.size(axis);
  for (int64_t shift = 1; shift < n; shift *= 2) {
    Shape pad = x.sizes();
    pad[axis] = shift;
    x = x * cat({ones(pad, x.dtype(), loc), x.narrow(axis, 0, n - shift, loc)},
                axis, loc);
  }
  return x;
}

// --- Rearranging

Tensor Tensor::flip(IntArrayRef dims, Loc loc) const {
  checkDefined(*this, "flip", loc);
  Tensor x = *this;
  std::vector<bool> seen(std::max<int64_t>(dim(), 1), false);
  for (int64_t d : dims) {
    int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "flip", loc);
    if (seen[axis])
      fail(loc, "flip", "dimension " + std::to_string(axis) + " appears twice");
    seen[axis] = true;
    if (dim() == 0)
      continue;
    int64_t n = x.size(axis);
    x = x.index_select(axis, arange(n - 1, -1, -1, kInt64, loc), loc);
  }
  return x;
}

Tensor Tensor::roll(IntArrayRef shifts, IntArrayRef dims, Loc loc) const {
  checkDefined(*this, "roll", loc);
  if (dims.size() == 0) {
    if (shifts.size() != 1)
      fail(loc, "roll",
           "without dims, expects one shift, got " +
               std::to_string(shifts.size()));
    return reshape({-1}, loc).roll(shifts, {0}, loc).reshape(sizes(), loc);
  }
  if (shifts.size() != dims.size())
    fail(loc, "roll",
         "expects one shift per dimension, got " +
             std::to_string(shifts.size()) + " shifts and " +
             std::to_string(dims.size()) + " dimensions");
  Tensor x = *this;
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t axis = normDim(dims[i], std::max<int64_t>(dim(), 1), "roll", loc);
    int64_t n = x.size(axis);
    if (n == 0)
      continue;
    int64_t s = ((shifts[i] % n) + n) % n;
    if (s == 0)
      continue;
    x = cat({x.narrow(axis, n - s, s, loc), x.narrow(axis, 0, n - s, loc)},
            axis, loc);
  }
  return x;
}

namespace {
/// Keeps the elements of the last two dimensions with col - row >= k
/// (upper) or <= k (lower).
Tensor triangle(const Tensor &x, int64_t k, bool upper, std::string_view op,
                const Loc &loc) {
  checkDefined(x, op, loc);
  if (x.dim() < 2)
    fail(loc, op,
         "expects a tensor of at least 2 dimensions, got " + str(x.sizes()));
  Tensor rows = arange(x.size(-2), kInt64, loc).unsqueeze(1, loc);
  Tensor cols = arange(x.size(-1), kInt64, loc).unsqueeze(0, loc);
  Tensor offset = cols - rows;
  Tensor keep = upper ? offset >= k : offset <= k;
  return where(keep, x, zeros({}, x.dtype(), loc), loc);
}
} // namespace

Tensor Tensor::tril(int64_t diagonal, Loc loc) const {
  return triangle(*this, diagonal, false, "tril", loc);
}

Tensor Tensor::triu(int64_t diagonal, Loc loc) const {
  return triangle(*this, diagonal, true, "triu", loc);
}

Tensor Tensor::diag(int64_t k, Loc loc) const {
  checkDefined(*this, "diag", loc);
  if (dim() == 1) {
    int64_t n = size(0), shift = std::abs(k), size = n + shift;
    Tensor filler = zeros({shift}, dtype(), loc);
    Tensor column =
        k >= 0 ? cat({*this, filler}, 0, loc) : cat({filler, *this}, 0, loc);
    Tensor rows = arange(size, kInt64, loc).unsqueeze(1, loc);
    Tensor cols = arange(size, kInt64, loc).unsqueeze(0, loc);
    return where(cols - rows == k,
                 column.unsqueeze(1, loc).expand({size, size}, loc),
                 zeros({}, dtype(), loc), loc);
  }
  if (dim() != 2)
    fail(loc, "diag", "expects a vector or a matrix, got " + str(sizes()));
  int64_t r = size(0), c = size(1);
  int64_t length = k >= 0 ? std::min(r, c - k) : std::min(r + k, c);
  if (length <= 0)
    return zeros({0}, dtype(), loc);
  Tensor rows = arange(r, kInt64, loc).unsqueeze(1, loc);
  Tensor cols = arange(c, kInt64, loc).unsqueeze(0, loc);
  Tensor kept = where(cols - rows == k, *this, zeros({}, dtype(), loc), loc);
  // Row i holds element (i, i + k); column j holds (j - k, j).
  Tensor line = k >= 0 ? kept.sum(1, false, loc) : kept.sum(0, false, loc);
  return line.narrow(0, 0, length, loc).to(dtype(), loc);
}

Tensor Tensor::trace(Loc loc) const {
  checkDefined(*this, "trace", loc);
  if (dim() != 2)
    fail(loc, "trace", "expects a matrix, got " + str(sizes()));
  return diag(0, loc).sum(loc);
}

Tensor Tensor::repeat(IntArrayRef repeats, Loc loc) const {
  checkDefined(*this, "repeat", loc);
  int64_t n = static_cast<int64_t>(repeats.size());
  if (n < dim())
    fail(loc, "repeat",
         "needs at least as many repeats as dimensions: " + std::to_string(n) +
             " for " + str(sizes()));
  Shape padded(n - dim(), 1);
  padded.insert(padded.end(), sizes().begin(), sizes().end());
  Shape spread, expanded, result;
  for (int64_t d = 0; d < n; ++d) {
    if (repeats[d] < 0)
      fail(loc, "repeat",
           "repeats must be non-negative, got " + std::to_string(repeats[d]));
    spread.insert(spread.end(), {1, padded[d]});
    expanded.insert(expanded.end(), {repeats[d], padded[d]});
    result.push_back(repeats[d] * padded[d]);
  }
  return reshape(spread, loc).expand(expanded, loc).reshape(result, loc);
}

std::vector<Tensor> Tensor::unbind(int64_t d, Loc loc) const {
  checkDefined(*this, "unbind", loc);
  int64_t axis = normDim(d, dim(), "unbind", loc);
  std::vector<Tensor> out;
  for (int64_t i = 0; i < size(axis); ++i)
    out.push_back(select(axis, i, loc));
  return out;
}

// --- Gathers and scatters, by one-hot comparison

Tensor Tensor::gather(int64_t d, const Tensor &index, Loc loc) const {
  checkDefined(*this, "gather", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "gather", loc);
  checkScatterIndex(*this, axis, index, sizes(), "gather", loc);
  if (dim() == 0)
    return *this;
  checkIndexRange(index, size(axis), "gather", loc);
  Tensor x = dimLast(narrowTo(*this, axis, index, loc), axis, loc);
  Tensor idx = dimLast(index, axis, loc);
  return dimLast(gatherLast(x, idx, loc), axis, loc);
}

Tensor Tensor::scatter_add(int64_t d, const Tensor &index, const Tensor &src,
                           Loc loc) const {
  checkDefined(*this, "scatter_add", loc);
  checkDefined(src, "scatter_add", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "scatter_add", loc);
  checkScatterIndex(*this, axis, index, sizes(), "scatter_add", loc);
  checkScatterIndex(*this, axis, index, src.sizes(), "scatter_add", loc);
  if (index.size(axis) > src.size(axis))
    fail(loc, "scatter_add",
         "the index " + str(index.sizes()) + " is larger than the source " +
             str(src.sizes()) + " in dimension " + std::to_string(axis));
  checkIndexRange(index, size(axis), "scatter_add", loc);
  Tensor values = src.narrow(axis, 0, index.size(axis), loc);
  values = dimLast(narrowTo(values, axis, index, loc), axis, loc);
  Tensor hot = oneHot(dimLast(index, axis, loc), size(axis), loc);
  Tensor spread = where(hot, values.to(dtype(), loc).unsqueeze(-1, loc),
                        zeros({}, dtype(), loc), loc)
                      .sum(-2, false, loc)
                      .to(dtype(), loc);
  spread = dimLast(spread, axis, loc);
  return *this + padTo(spread, sizes(), loc).to(dtype(), loc);
}

Tensor Tensor::scatter(int64_t d, const Tensor &index, const Tensor &src,
                       Loc loc) const {
  checkDefined(*this, "scatter", loc);
  checkDefined(src, "scatter", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "scatter", loc);
  checkScatterIndex(*this, axis, index, sizes(), "scatter", loc);
  checkScatterIndex(*this, axis, index, src.sizes(), "scatter", loc);
  if (index.size(axis) > src.size(axis))
    fail(loc, "scatter",
         "the index " + str(index.sizes()) + " is larger than the source " +
             str(src.sizes()) + " in dimension " + std::to_string(axis));
  checkIndexRange(index, size(axis), "scatter", loc);
  Tensor values = src.narrow(axis, 0, index.size(axis), loc);
  values = dimLast(narrowTo(values, axis, index, loc), axis, loc);
  Tensor idx = dimLast(index, axis, loc);
  int64_t m = idx.size(-1), n = size(axis);
  // The last write to each position wins: the largest j with idx[j] = k.
  Tensor hot = oneHot(idx, n, loc); // [B..., m, n]
  Tensor order = (arange(m, kInt64, loc) + 1).unsqueeze(-1, loc);
  Tensor last = where(hot, order, zeros({}, kInt64, loc), loc)
                    .amax({-2}, false, loc); // [B..., n]
  Tensor written = last > 0;
  Tensor picked =
      gatherLast(values.to(dtype(), loc), (last - 1).clamp_min(0, loc), loc);
  // Outside the index's extent the tensor is unchanged.
  Tensor mask = padTo(dimLast(written, axis, loc), sizes(), loc);
  Tensor update = padTo(dimLast(picked, axis, loc), sizes(), loc);
  return where(mask, update, *this, loc);
}

Tensor Tensor::scatter(int64_t d, const Tensor &index, Scalar value,
                       Loc loc) const {
  checkDefined(*this, "scatter", loc);
  checkDefined(index, "scatter", loc);
  return scatter(d, index, full(index.sizes(), value, dtype(), loc), loc);
}

// --- Sorting, by ranking every pair

std::tuple<Tensor, Tensor> Tensor::sort(int64_t d, bool descending,
                                        Loc loc) const {
  checkDefined(*this, "sort", loc);
  if (dim() == 0)
    return {*this, zeros({}, kInt64, loc)};
  int64_t axis = normDim(d, dim(), "sort", loc);
  Tensor x = dimLast(*this, axis, loc);
  int64_t n = x.size(-1);
  Tensor rank = ranks(x, descending, loc);
  // indices[r] = the i whose rank is r.
  Tensor hot = oneHot(rank, n, loc); // [B..., i, r]
  Tensor positions = arange(n, kInt64, loc).unsqueeze(-1, loc);
  Tensor indices =
      where(hot, positions, zeros({}, kInt64, loc), loc).sum(-2, false, loc);
  Tensor values = gatherLast(x, indices, loc);
  return {dimLast(values, axis, loc), dimLast(indices, axis, loc)};
}

Tensor Tensor::argsort(int64_t d, bool descending, Loc loc) const {
  return std::get<1>(sort(d, descending, loc));
}

std::tuple<Tensor, Tensor> Tensor::topk(int64_t k, int64_t d, bool largest,
                                        bool sorted, Loc loc) const {
  checkDefined(*this, "topk", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "topk", loc);
  int64_t n = dim() == 0 ? 1 : size(axis);
  if (k < 0 || k > n)
    fail(loc, "topk",
         "k = " + std::to_string(k) + " is out of range for a dimension of " +
             std::to_string(n) + " elements");
  auto [values, indices] = sort(axis, largest, loc);
  if (dim() == 0)
    return {values, indices};
  return {values.narrow(axis, 0, k, loc), indices.narrow(axis, 0, k, loc)};
}

const Tensor &Tensor::bernoulli_(double p, Loc loc) const {
  checkDefined(*this, "bernoulli_", loc);
  if (!(p >= 0 && p <= 1))
    fail(loc, "bernoulli_", "expects 0 <= p <= 1, got p=" + std::to_string(p));
  Tensor draw = (rand(sizes(), kFloat64, loc) < p).to(dtype(), loc);
  return copy_(draw, loc);
}

// --- Value-dependent shapes, and order statistics

Tensor Tensor::nonzero(Loc loc) const {
  checkDefined(*this, "nonzero", loc);
  std::vector<bool> on = ne(0, loc).reshape({-1}, loc).to_vector<bool>();
  std::vector<int64_t> indices;
  int64_t count = 0, rank = dim();
  std::vector<int64_t> index(static_cast<size_t>(rank), 0);
  for (bool value : on) {
    if (value) {
      indices.insert(indices.end(), index.begin(), index.end());
      ++count;
    }
    // The next row-major index.
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[static_cast<size_t>(d)] < size(d))
        break;
      index[static_cast<size_t>(d)] = 0;
    }
  }
  return tensor(indices, kInt64, loc).reshape({count, rank}, loc);
}

Tensor Tensor::masked_select(const Tensor &mask, Loc loc) const {
  checkDefined(*this, "masked_select", loc);
  checkDefined(mask, "masked_select", loc);
  if (mask.dtype() != kBool)
    fail(loc, "masked_select",
         "the mask must be a bool tensor, got " + str(mask.dtype()));
  Shape shape = broadcastShapes(sizes(), mask.sizes(), "masked_select", loc);
  Tensor flat = expand(shape, loc).reshape({-1}, loc);
  std::vector<bool> on =
      mask.expand(shape, loc).reshape({-1}, loc).to_vector<bool>();
  std::vector<int64_t> positions;
  for (size_t i = 0; i < on.size(); ++i)
    if (on[i])
      positions.push_back(static_cast<int64_t>(i));
  return flat.index_select(0, tensor(positions, kInt64, loc), loc);
}

std::tuple<Tensor, Tensor> Tensor::kthvalue(int64_t k, int64_t d, bool keepdim,
                                            Loc loc) const {
  checkDefined(*this, "kthvalue", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "kthvalue", loc);
  int64_t n = dim() == 0 ? 1 : size(axis);
  if (k < 1 || k > n)
    fail(loc, "kthvalue",
         "k = " + std::to_string(k) + " is out of range for a dimension of " +
             std::to_string(n) + " elements");
  auto [values, indices] = sort(axis, false, loc);
  if (dim() == 0)
    return {values, indices};
  Tensor v = values.narrow(axis, k - 1, 1, loc);
  Tensor i = indices.narrow(axis, k - 1, 1, loc);
  if (!keepdim) {
    v = v.squeeze(axis, loc);
    i = i.squeeze(axis, loc);
  }
  return {v, i};
}

std::tuple<Tensor, Tensor> Tensor::median(int64_t d, bool keepdim,
                                          Loc loc) const {
  checkDefined(*this, "median", loc);
  int64_t axis = normDim(d, std::max<int64_t>(dim(), 1), "median", loc);
  int64_t n = dim() == 0 ? 1 : size(axis);
  if (n == 0)
    fail(loc, "median", "cannot take the median of an empty dimension");
  return kthvalue((n + 1) / 2, axis, keepdim, loc);
}

Tensor Tensor::median(Loc loc) const {
  checkDefined(*this, "median", loc);
  if (numel() == 0)
    fail(loc, "median", "cannot take the median of no elements");
  return std::get<0>(reshape({-1}, loc).median(0, false, loc));
}

// --- Free forms

Tensor nonzero(const Tensor &x, Loc loc) { return x.nonzero(loc); }
Tensor masked_select(const Tensor &x, const Tensor &mask, Loc loc) {
  return x.masked_select(mask, loc);
}
std::tuple<Tensor, Tensor> kthvalue(const Tensor &x, int64_t k, int64_t dim,
                                    bool keepdim, Loc loc) {
  return x.kthvalue(k, dim, keepdim, loc);
}

Tensor remainder(const Tensor &a, const Tensor &b, Loc loc) {
  return a.remainder(b, loc);
}
Tensor fmod(const Tensor &a, const Tensor &b, Loc loc) {
  return a.fmod(b, loc);
}
Tensor isnan(const Tensor &x, Loc loc) { return x.isnan(loc); }
Tensor isinf(const Tensor &x, Loc loc) { return x.isinf(loc); }
Tensor isfinite(const Tensor &x, Loc loc) { return x.isfinite(loc); }
Tensor outer(const Tensor &a, const Tensor &b, Loc loc) {
  return a.outer(b, loc);
}
Tensor dot(const Tensor &a, const Tensor &b, Loc loc) { return a.dot(b, loc); }
Tensor addmm(const Tensor &self, const Tensor &mat1, const Tensor &mat2,
             Scalar beta, Scalar alpha, Loc loc) {
  return self.addmm(mat1, mat2, beta, alpha, loc);
}
Tensor lerp(const Tensor &start, const Tensor &end, Scalar weight, Loc loc) {
  return start.lerp(end, weight, loc);
}
Tensor prod(const Tensor &x, Loc loc) { return x.prod(loc); }
Tensor logsumexp(const Tensor &x, IntArrayRef dim, bool keepdim, Loc loc) {
  return x.logsumexp(dim, keepdim, loc);
}
Tensor cumsum(const Tensor &x, int64_t dim, Loc loc) {
  return x.cumsum(dim, loc);
}
Tensor cumprod(const Tensor &x, int64_t dim, Loc loc) {
  return x.cumprod(dim, loc);
}
Tensor flip(const Tensor &x, IntArrayRef dims, Loc loc) {
  return x.flip(dims, loc);
}
Tensor roll(const Tensor &x, IntArrayRef shifts, IntArrayRef dims, Loc loc) {
  return x.roll(shifts, dims, loc);
}
Tensor tril(const Tensor &x, int64_t diagonal, Loc loc) {
  return x.tril(diagonal, loc);
}
Tensor triu(const Tensor &x, int64_t diagonal, Loc loc) {
  return x.triu(diagonal, loc);
}
Tensor diag(const Tensor &x, int64_t diagonal, Loc loc) {
  return x.diag(diagonal, loc);
}
Tensor trace(const Tensor &x, Loc loc) { return x.trace(loc); }
std::vector<Tensor> unbind(const Tensor &x, int64_t dim, Loc loc) {
  return x.unbind(dim, loc);
}
Tensor gather(const Tensor &x, int64_t dim, const Tensor &index, Loc loc) {
  return x.gather(dim, index, loc);
}
Tensor scatter_add(const Tensor &x, int64_t dim, const Tensor &index,
                   const Tensor &src, Loc loc) {
  return x.scatter_add(dim, index, src, loc);
}
std::tuple<Tensor, Tensor> sort(const Tensor &x, int64_t dim, bool descending,
                                Loc loc) {
  return x.sort(dim, descending, loc);
}
Tensor argsort(const Tensor &x, int64_t dim, bool descending, Loc loc) {
  return x.argsort(dim, descending, loc);
}
std::tuple<Tensor, Tensor> topk(const Tensor &x, int64_t k, int64_t dim,
                                bool largest, bool sorted, Loc loc) {
  return x.topk(k, dim, largest, sorted, loc);
}

Tensor randperm(int64_t n, TensorOptions options, Loc loc) {
  if (n < 0)
    fail(loc, "randperm", "n must be non-negative, got " + std::to_string(n));
  ScalarType dtype = options.has_dtype() ? options.dtype() : kInt64;
  if (n == 0)
    return zeros({0}, dtype, loc);
  return rand({n}, kFloat64, loc).argsort(0, false, loc).to(dtype, loc);
}

Tensor bernoulli(const Tensor &p, Loc loc) {
  checkDefined(p, "bernoulli", loc);
  if (!p.is_floating_point())
    fail(loc, "bernoulli",
         "expects floating point probabilities, got " + str(p.dtype()));
  return (rand(p.sizes(), p.dtype(), loc) < p).to(p.dtype(), loc);
}

} // namespace kiln
