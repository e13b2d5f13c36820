//===- TensorReduction.cpp - Reductions -----------------------------------===//
//
// Reductions over dimensions: sum, mean, max/min, amax/amin, argmax/argmin,
// softmax and log_softmax.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/TensorInternal.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace kiln {

using detail::Attrs;
using detail::IntList;
using detail::UnitFlag;

namespace detail {

/// 0, 1, ..., rank - 1.
IntList allDims(int64_t rank) {
  IntList dims;
  dims.resize(rank);
  std::iota(dims.begin(), dims.end(), 0);
  return dims;
}

/// Normalized, de-duplicated-checked reduction dimensions.
IntList reductionDims(const Tensor &x, llvm::ArrayRef<int64_t> dims,
                      std::string_view op, const Loc &loc) {
  IntList out;
  for (int64_t d : dims) {
    int64_t n = normDim(d, x.dim(), op, loc);
    if (std::find(out.begin(), out.end(), n) != out.end())
      fail(loc, op,
           "dimension " + std::to_string(d) +
               " appears twice in the reduction dims");
    out.push_back(n);
  }
  return out;
}

IntList reducedShape(llvm::ArrayRef<int64_t> shape,
                     llvm::ArrayRef<int64_t> dims, bool keepdim) {
  IntList out;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
    bool reduced = std::find(dims.begin(), dims.end(), d) != dims.end();
    if (!reduced)
      out.push_back(shape[d]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

Tensor reduce(std::string_view name, std::string_view op, const Tensor &x,
              llvm::ArrayRef<int64_t> dims, bool keepdim, const Loc &loc) {
  IntList shape =
      reducedShape(llvm::ArrayRef<int64_t>(x.sizes().data(), x.sizes().size()),
                   dims, keepdim);
  Attrs attrs = {{"dims", IntList(dims)}};
  if (keepdim)
    attrs.push_back({"keepdim", UnitFlag{}});
  if (op != "kiln.reduce_sum" && x.dtype() == kUInt8) // signless i8
    return convertTo(
        reduce(name, op, widenUnsigned(x, loc), dims, keepdim, loc), kUInt8,
        loc);
  if (op != "kiln.reduce_sum")
    for (int64_t d : dims)
      if (x.size(d) == 0)
        fail(loc, name,
             "cannot reduce the empty dimension " + std::to_string(d) + " of " +
                 str(x.sizes()) + ": the operation has no identity");
  return record(op, {x}, std::move(attrs), {shape, x.dtype()}, loc);
}

Tensor argReduce(std::string_view name, std::string_view op, const Tensor &x,
                 std::optional<int64_t> dim, bool keepdim, const Loc &loc) {
  checkDefined(x, name, loc);
  if (x.dtype() == kBool)
    fail(loc, name, "is not defined for bool tensors");
  if (x.dtype() == kUInt8) // signless i8: rank the zero-extended values
    return argReduce(name, op, widenUnsigned(x, loc), dim, keepdim, loc);
  if (!dim) {
    // Over all elements: the index into the flattened tensor.
    Tensor flat = x.reshape({x.numel()}, loc);
    Tensor r = argReduce(name, op, flat, 0, false, loc);
    return keepdim ? r.reshape(Shape(x.dim(), 1), loc) : r;
  }
  if (x.dim() == 0)
    return argReduce(name, op, x.reshape({1}, loc), 0, false, loc)
        .reshape({}, loc);
  int64_t d = normDim(*dim, x.dim(), name, loc);
  if (x.size(d) == 0)
    fail(loc, name,
         "cannot take the " + std::string(name) + " of an empty dimension (" +
             str(x.sizes()) + ")");
  Attrs attrs = {{"dim", d}};
  if (keepdim)
    attrs.push_back({"keepdim", UnitFlag{}});
  return record(
      op, {x}, std::move(attrs),
      {reducedShape(llvm::ArrayRef<int64_t>(x.sizes().data(), x.sizes().size()),
                    {d}, keepdim),
       kInt64},
      loc);
}

} // namespace detail

using namespace detail;

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// sum() over normalized dimensions.
static Tensor sumOver(const Tensor &x, llvm::ArrayRef<int64_t> dims,
                      bool keepdim, const Loc &loc) {
  // PyTorch sums integers and bools as int64, and half types in float32.
  ScalarType dtype = x.dtype();
  Tensor in = x;
  if (!kiln::is_floating_point(dtype))
    in = convertTo(in, kInt64, loc);
  else if (dtype == kFloat16 || dtype == kBFloat16)
    in = convertTo(in, kFloat32, loc);
  Tensor r = reduce("sum", "kiln.reduce_sum", in, dims, keepdim, loc);
  return kiln::is_floating_point(dtype) ? convertTo(r, dtype, loc) : r;
}

Tensor Tensor::sum(const Shape &dims, bool keepdim, Loc loc) const {
  checkDefined(*this, "sum", loc);
  return sumOver(*this, reductionDims(*this, dims, "sum", loc), keepdim, loc);
}

Tensor Tensor::sum(int64_t d, bool keepdim, Loc loc) const {
  return sum(Shape{d}, keepdim, loc);
}

Tensor Tensor::sum(Loc loc) const {
  checkDefined(*this, "sum", loc);
  return sumOver(*this, allDims(dim()), false, loc);
}

Tensor Tensor::mean(const Shape &dims, bool keepdim, Loc loc) const {
  checkDefined(*this, "mean", loc);
  if (!is_floating_point())
    fail(loc, "mean", "needs a floating point tensor, got " + str(dtype()));
  IntList ds = reductionDims(*this, dims, "mean", loc);
  int64_t count = 1;
  for (int64_t d : ds)
    count *= size(d);
  // The mean of nothing is NaN, as in PyTorch.
  return sumOver(*this, ds, keepdim, loc) / static_cast<double>(count);
}

Tensor Tensor::mean(int64_t d, bool keepdim, Loc loc) const {
  return mean(Shape{d}, keepdim, loc);
}

Tensor Tensor::mean(Loc loc) const {
  checkDefined(*this, "mean", loc);
  IntList all = allDims(dim());
  return mean(Shape(all.begin(), all.end()), false, loc);
}

Tensor Tensor::amax(const Shape &dims, bool keepdim, Loc loc) const {
  checkDefined(*this, "amax", loc);
  if (dtype() == kBool)
    fail(loc, "amax", "is not defined for bool tensors");
  return reduce("amax", "kiln.reduce_max", *this,
                reductionDims(*this, dims, "amax", loc), keepdim, loc);
}

Tensor Tensor::amin(const Shape &dims, bool keepdim, Loc loc) const {
  checkDefined(*this, "amin", loc);
  if (dtype() == kBool)
    fail(loc, "amin", "is not defined for bool tensors");
  return reduce("amin", "kiln.reduce_min", *this,
                reductionDims(*this, dims, "amin", loc), keepdim, loc);
}

Tensor Tensor::max(Loc loc) const {
  checkDefined(*this, "max", loc);
  IntList all = allDims(dim());
  return amax(Shape(all.begin(), all.end()), false, loc);
}

Tensor Tensor::min(Loc loc) const {
  checkDefined(*this, "min", loc);
  IntList all = allDims(dim());
  return amin(Shape(all.begin(), all.end()), false, loc);
}

std::tuple<Tensor, Tensor> Tensor::max(int64_t d, bool keepdim, Loc loc) const {
  checkDefined(*this, "max", loc);
  int64_t n = normDim(d, std::max<int64_t>(dim(), 1), "max", loc);
  if (dim() == 0)
    return {*this, argmax(n, keepdim, loc)};
  return {amax({n}, keepdim, loc), argmax(n, keepdim, loc)};
}

std::tuple<Tensor, Tensor> Tensor::min(int64_t d, bool keepdim, Loc loc) const {
  checkDefined(*this, "min", loc);
  int64_t n = normDim(d, std::max<int64_t>(dim(), 1), "min", loc);
  if (dim() == 0)
    return {*this, argmin(n, keepdim, loc)};
  return {amin({n}, keepdim, loc), argmin(n, keepdim, loc)};
}

Tensor Tensor::argmax(std::optional<int64_t> d, bool keepdim, Loc loc) const {
  return argReduce("argmax", "kiln.argmax", *this, d, keepdim, loc);
}

Tensor Tensor::argmin(std::optional<int64_t> d, bool keepdim, Loc loc) const {
  return argReduce("argmin", "kiln.argmin", *this, d, keepdim, loc);
}

Tensor argmax(const Tensor &x, std::optional<int64_t> d, bool keepdim,
              Loc loc) {
  return x.argmax(d, keepdim, loc);
}
Tensor sum(const Tensor &x, Loc loc) { return x.sum(loc); }
Tensor mean(const Tensor &x, Loc loc) { return x.mean(loc); }
Tensor sum(const Tensor &x, IntArrayRef dim, bool keepdim, Loc loc) {
  return x.sum(dim.vec(), keepdim, loc);
}
Tensor mean(const Tensor &x, IntArrayRef dim, bool keepdim, Loc loc) {
  return x.mean(dim.vec(), keepdim, loc);
}
Tensor max(const Tensor &x, Loc loc) { return x.max(loc); }
Tensor min(const Tensor &x, Loc loc) { return x.min(loc); }
std::tuple<Tensor, Tensor> max(const Tensor &x, int64_t dim, bool keepdim,
                               Loc loc) {
  return x.max(dim, keepdim, loc);
}
std::tuple<Tensor, Tensor> min(const Tensor &x, int64_t dim, bool keepdim,
                               Loc loc) {
  return x.min(dim, keepdim, loc);
}
Tensor max(const Tensor &a, const Tensor &b, Loc loc) {
  return a.maximum(b, loc);
}
Tensor min(const Tensor &a, const Tensor &b, Loc loc) {
  return a.minimum(b, loc);
}

static Tensor softmaxLike(std::string_view name, std::string_view op,
                          const Tensor &x, int64_t d, const Loc &loc) {
  checkDefined(x, name, loc);
  Tensor in = x.is_floating_point() ? x : convertTo(x, kFloat32, loc);
  if (in.dim() == 0)
    return softmaxLike(name, op, in.reshape({1}, loc), 0, loc).reshape({}, loc);
  int64_t n = normDim(d, in.dim(), name, loc);
  return record(op, {in}, {{"dim", n}}, {in.sizes(), in.dtype()}, loc);
}

Tensor Tensor::softmax(int64_t d, Loc loc) const {
  return softmaxLike("softmax", "kiln.softmax", *this, d, loc);
}
Tensor Tensor::log_softmax(int64_t d, Loc loc) const {
  return softmaxLike("log_softmax", "kiln.log_softmax", *this, d, loc);
}
Tensor softmax(const Tensor &x, int64_t d, Loc loc) {
  return x.softmax(d, loc);
}
Tensor log_softmax(const Tensor &x, int64_t d, Loc loc) {
  return x.log_softmax(d, loc);
}

//===----------------------------------------------------------------------===//
// Norms and moments
//===----------------------------------------------------------------------===//

/// The reduction dims `dims` names; none means all of them.
static Shape dimsOrAll(const Tensor &x, IntArrayRef dims, std::string_view op,
                       const Loc &loc) {
  IntList ds =
      dims.empty() ? allDims(x.dim()) : reductionDims(x, dims.vec(), op, loc);
  return Shape(ds.begin(), ds.end());
}

static void checkFloating(const Tensor &x, std::string_view op,
                          const Loc &loc) {
  checkDefined(x, op, loc);
  if (!x.is_floating_point())
    fail(loc, op, "needs a floating point tensor, got " + str(x.dtype()));
}

Tensor Tensor::norm(std::optional<Scalar> p, IntArrayRef d, bool keepdim,
                    Loc loc) const {
  checkFloating(*this, "norm", loc);
  Shape dims = dimsOrAll(*this, d, "norm", loc);
  double order = p ? p->to_double() : 2.0;
  Tensor a = abs(loc);
  if (std::isinf(order))
    return order > 0 ? a.amax(dims, keepdim, loc) : a.amin(dims, keepdim, loc);
  if (order == 0)
    return convertTo(convertTo(*this, kBool, loc), dtype(), loc)
        .sum(dims, keepdim, loc);
  if (order == 1)
    return a.sum(dims, keepdim, loc);
  Tensor s = order == 2 ? mul(*this, loc).sum(dims, keepdim, loc)
                        : a.pow(order, loc).sum(dims, keepdim, loc);
  // The root of a zero sum is 0 with gradient 0 (a subgradient), not the
  // NaN that 0 * (d root / ds = infinity) would give.
  Tensor zero = splat({}, dtype(), 0, loc);
  Tensor isZero = s.eq(zero, loc);
  Tensor safe = kiln::where(isZero, splat({}, dtype(), 1, loc), s, loc);
  Tensor root = order == 2 ? safe.sqrt(loc) : safe.pow(1.0 / order, loc);
  return kiln::where(isZero, zero, root, loc);
}

Tensor Tensor::norm(Scalar p, Loc loc) const {
  return norm(std::optional<Scalar>(p), {}, false, loc);
}

Tensor norm(const Tensor &x, Scalar p, Loc loc) { return x.norm(p, loc); }
Tensor norm(const Tensor &x, std::optional<Scalar> p, IntArrayRef dim,
            bool keepdim, Loc loc) {
  return x.norm(p, dim, keepdim, loc);
}

Tensor Tensor::var(IntArrayRef d, bool unbiased, bool keepdim, Loc loc) const {
  checkFloating(*this, "var", loc);
  Shape dims = dimsOrAll(*this, d, "var", loc);
  int64_t count = 1;
  for (int64_t n : dims)
    count *= size(n);
  Tensor centered = sub(mean(dims, /*keepdim=*/true, loc), loc);
  // With one element the unbiased variance is 0 / 0 = NaN, as in PyTorch.
  double divisor = std::max<int64_t>(count - (unbiased ? 1 : 0), 0);
  return centered.mul(centered, loc).sum(dims, keepdim, loc) / divisor;
}

Tensor Tensor::var(Loc loc) const {
  return var(IntArrayRef{}, true, false, loc);
}

Tensor Tensor::std(IntArrayRef d, bool unbiased, bool keepdim, Loc loc) const {
  checkFloating(*this, "std", loc);
  return var(d, unbiased, keepdim, loc).sqrt(loc);
}

Tensor Tensor::std(Loc loc) const {
  return std(IntArrayRef{}, true, false, loc);
}

Tensor var(const Tensor &x, Loc loc) { return x.var(loc); }
std::tuple<Tensor, Tensor> var_mean(const Tensor &x, IntArrayRef dim,
                                    bool unbiased, bool keepdim, Loc loc) {
  return {x.var(dim, unbiased, keepdim, loc), x.mean(dim.vec(), keepdim, loc)};
}
std::tuple<Tensor, Tensor> std_mean(const Tensor &x, IntArrayRef dim,
                                    bool unbiased, bool keepdim, Loc loc) {
  return {x.std(dim, unbiased, keepdim, loc), x.mean(dim.vec(), keepdim, loc)};
}

Tensor var(const Tensor &x, IntArrayRef dim, bool unbiased, bool keepdim,
           Loc loc) {
  return x.var(dim, unbiased, keepdim, loc);
}
Tensor std(const Tensor &x, Loc loc) { return x.std(loc); }
Tensor std(const Tensor &x, IntArrayRef dim, bool unbiased, bool keepdim,
           Loc loc) {
  return x.std(dim, unbiased, keepdim, loc);
}

//===----------------------------------------------------------------------===//
// all, any
//===----------------------------------------------------------------------===//

/// Whether any element over `dims` is nonzero (with `negate`, zero), as a
/// count: a sum has an identity, so an empty tensor gives false.
static Tensor anyOver(const Tensor &x, llvm::ArrayRef<int64_t> dims,
                      bool keepdim, bool negate, const Loc &loc) {
  Tensor truth = convertTo(x, kBool, loc);
  if (negate)
    truth = truth.logical_not(loc);
  Tensor count = sumOver(convertTo(truth, kInt64, loc), dims, keepdim, loc);
  return convertTo(count, kBool, loc);
}

Tensor Tensor::any(Loc loc) const {
  checkDefined(*this, "any", loc);
  return anyOver(*this, detail::allDims(dim()), false, false, loc);
}

Tensor Tensor::any(int64_t d, bool keepdim, Loc loc) const {
  checkDefined(*this, "any", loc);
  // A 0-d tensor takes dimension 0 or -1, which reduce nothing.
  int64_t n = normDim(d, std::max<int64_t>(dim(), 1), "any", loc);
  IntList dims;
  if (dim() > 0)
    dims.push_back(n);
  return anyOver(*this, dims, keepdim, false, loc);
}

Tensor Tensor::all(Loc loc) const {
  checkDefined(*this, "all", loc);
  return anyOver(*this, detail::allDims(dim()), false, true, loc)
      .logical_not(loc);
}

Tensor Tensor::all(int64_t d, bool keepdim, Loc loc) const {
  checkDefined(*this, "all", loc);
  // A 0-d tensor takes dimension 0 or -1, which reduce nothing.
  int64_t n = normDim(d, std::max<int64_t>(dim(), 1), "all", loc);
  IntList dims;
  if (dim() > 0)
    dims.push_back(n);
  return anyOver(*this, dims, keepdim, true, loc).logical_not(loc);
}

Tensor all(const Tensor &x, Loc loc) { return x.all(loc); }
Tensor any(const Tensor &x, Loc loc) { return x.any(loc); }

} // namespace kiln
