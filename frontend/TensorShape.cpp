//===- TensorShape.cpp - Shape ops ----------------------------------------===//
//
// Ops that move elements without computing: reshape and view, transpose and
// permute, squeeze and expand, slicing and indexing, cat and stack.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <variant>

namespace kiln {

using namespace detail;

namespace {

/// `base` with the elements of its slice [start, end) by `step` along
/// `dim` replaced by `value` (the write of a slice view into its base): the
/// value spread out to the base's shape by a gather, and a mask of the
/// positions the slice covers.
Tensor scatterSlice(const Tensor &base, const Tensor &value, int64_t dim,
                    int64_t start, int64_t end, int64_t step) {
  int64_t size = base.size(dim);
  if (value.size(dim) == 0)
    return base;
  std::vector<int64_t> from(size, 0);
  std::vector<int64_t> covered(size, 0);
  for (int64_t i = start; i < end; i += step) {
    from[i] = (i - start) / step;
    covered[i] = 1;
  }
  Tensor spread = value.index_select(dim, tensor(from));
  Shape maskShape(base.dim(), 1);
  maskShape[dim] = size;
  Tensor mask = tensor(covered).to(kBool).reshape(maskShape);
  return where(mask, spread, base);
}

} // namespace

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

Tensor Tensor::reshape(IntArrayRef size, Loc loc) const {
  checkDefined(*this, "reshape", loc);
  const Shape shape = size.vec();
  Shape out = shape;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      if (infer >= 0)
        fail(loc, "reshape", "only one dimension can be -1 in " + str(shape));
      infer = static_cast<int64_t>(i);
    } else if (out[i] < 0) {
      fail(loc, "reshape", "invalid dimension in " + str(shape));
    } else if (__builtin_mul_overflow(known, out[i], &known)) {
      known = INT64_MAX; // no input has that many elements
    }
  }
  if (infer >= 0) {
    if (known == 0 || numel() % known != 0)
      fail(loc, "reshape",
           "shape " + str(shape) + " is invalid for input of size " +
               std::to_string(numel()) + " " + str(sizes()));
    out[infer] = numel() / known;
  }
  if (ir::numElements(out) != numel())
    fail(loc, "reshape",
         "shape " + str(shape) + " is invalid for input of size " +
             std::to_string(numel()) + " " + str(sizes()));
  if (out == sizes())
    return *this;
  return markView(
      record("kiln.reshape", {*this}, {}, {out, dtype()}, loc), *this,
      [out](const Tensor &base) { return base.reshape(out); },
      [](const Tensor &base, const Tensor &value) {
        return value.reshape(base.sizes());
      });
}

Tensor Tensor::view(IntArrayRef shape, Loc loc) const {
  return reshape(shape, loc);
}

Tensor Tensor::view_as(const Tensor &other, Loc loc) const {
  checkDefined(other, "view_as", loc);
  return reshape(other.sizes(), loc);
}

Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim, Loc loc) const {
  checkDefined(*this, "flatten", loc);
  if (dim() == 0)
    return reshape({1}, loc);
  int64_t s = normDim(start_dim, dim(), "flatten", loc);
  int64_t e = normDim(end_dim, dim(), "flatten", loc);
  if (s > e)
    fail(loc, "flatten",
         "start_dim " + std::to_string(start_dim) + " comes after end_dim " +
             std::to_string(end_dim));
  Shape out(sizes().begin(), sizes().begin() + s);
  int64_t n = 1;
  for (int64_t d = s; d <= e; ++d)
    n *= size(d);
  out.push_back(n);
  out.insert(out.end(), sizes().begin() + e + 1, sizes().end());
  return reshape(out, loc);
}

Tensor Tensor::squeeze(Loc loc) const {
  checkDefined(*this, "squeeze", loc);
  Shape out;
  for (int64_t d : sizes())
    if (d != 1)
      out.push_back(d);
  return reshape(out, loc);
}

Tensor Tensor::squeeze(int64_t d, Loc loc) const {
  checkDefined(*this, "squeeze", loc);
  if (dim() == 0)
    return *this;
  int64_t n = normDim(d, dim(), "squeeze", loc);
  if (size(n) != 1)
    return *this;
  Shape out = sizes();
  out.erase(out.begin() + n);
  return reshape(out, loc);
}

Tensor Tensor::unsqueeze(int64_t d, Loc loc) const {
  checkDefined(*this, "unsqueeze", loc);
  int64_t n = normDim(d, dim() + 1, "unsqueeze", loc);
  Shape out = sizes();
  out.insert(out.begin() + n, 1);
  return reshape(out, loc);
}

Tensor Tensor::expand(const Shape &shape, Loc loc) const {
  checkDefined(*this, "expand", loc);
  if (shape.size() < sizes().size())
    fail(loc, "expand",
         "the target " + str(shape) + " has fewer dimensions than the tensor " +
             str(sizes()));
  Shape out = shape;
  size_t lead = shape.size() - sizes().size();
  for (size_t i = 0; i < out.size(); ++i)
    if (out[i] == -1) {
      if (i < lead)
        fail(loc, "expand", "-1 is not allowed for a new leading dimension");
      out[i] = sizes()[i - lead];
    }
  Tensor expanded = broadcastTo(*this, out, "expand", loc);
  return expanded.impl() == impl() ? expanded : markView(expanded);
}

Tensor Tensor::expand_as(const Tensor &other, Loc loc) const {
  return expand(other.sizes(), loc);
}

Tensor Tensor::permute(const Shape &dims, Loc loc) const {
  checkDefined(*this, "permute", loc);
  if (static_cast<int64_t>(dims.size()) != dim())
    fail(loc, "permute",
         "needs " + std::to_string(dim()) +
             " dimensions for a tensor of shape " + str(sizes()) + ", got " +
             str(dims));
  Shape perm, out;
  std::vector<bool> seen(dim(), false);
  for (int64_t d : dims) {
    int64_t n = normDim(d, dim(), "permute", loc);
    if (seen[n])
      fail(loc, "permute",
           "dimension " + std::to_string(d) + " appears twice in " + str(dims));
    seen[n] = true;
    perm.push_back(n);
    out.push_back(size(n));
  }
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i)
    identity = identity && perm[i] == static_cast<int64_t>(i);
  if (identity)
    return *this;
  Shape inverse(perm.size());
  for (size_t i = 0; i < perm.size(); ++i)
    inverse[perm[i]] = static_cast<int64_t>(i);
  return markView(
      record("kiln.transpose", {*this}, {{"permutation", perm}}, {out, dtype()},
             loc),
      *this, [perm](const Tensor &base) { return base.permute(perm); },
      [inverse](const Tensor &, const Tensor &value) {
        return value.permute(inverse);
      });
}

Tensor Tensor::transpose(int64_t dim0, int64_t dim1, Loc loc) const {
  checkDefined(*this, "transpose", loc);
  if (dim() == 0)
    return *this;
  int64_t a = normDim(dim0, dim(), "transpose", loc);
  int64_t b = normDim(dim1, dim(), "transpose", loc);
  Shape perm(dim());
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[a], perm[b]);
  return permute(perm, loc);
}

Tensor Tensor::t(Loc loc) const {
  checkDefined(*this, "t", loc);
  if (dim() > 2)
    fail(loc, "t",
         "expects a tensor with <= 2 dimensions, got " + str(sizes()) +
             " (use transpose or permute)");
  return dim() < 2 ? *this : transpose(0, 1, loc);
}

Tensor transpose(const Tensor &x, int64_t d0, int64_t d1, Loc loc) {
  return x.transpose(d0, d1, loc);
}
Tensor permute(const Tensor &x, const Shape &dims, Loc loc) {
  return x.permute(dims, loc);
}
Tensor reshape(const Tensor &x, IntArrayRef shape, Loc loc) {
  return x.reshape(shape, loc);
}
Tensor flatten(const Tensor &x, int64_t s, int64_t e, Loc loc) {
  return x.flatten(s, e, loc);
}

Tensor Tensor::slice(int64_t d, std::optional<int64_t> start,
                     std::optional<int64_t> end, int64_t step, Loc loc) const {
  checkDefined(*this, "slice", loc);
  int64_t n = normDim(d, dim(), "slice", loc);
  if (step < 1)
    fail(loc, "slice", "step must be positive, got " + std::to_string(step));
  int64_t size = sizes()[n];
  // Python's clamping: negative counts from the end, out of range clamps.
  auto clampIndex = [&](int64_t i) {
    if (i < 0)
      i += size;
    return std::clamp<int64_t>(i, 0, size);
  };
  int64_t s = start ? clampIndex(*start) : 0;
  int64_t e = end ? clampIndex(*end) : size;
  e = std::max(e, s);
  if (s == 0 && e == size && step == 1)
    return *this;
  Shape startV(dim(), 0), limit = sizes(), strides(dim(), 1);
  startV[n] = s;
  limit[n] = e;
  strides[n] = step;
  Shape out = sizes();
  out[n] = (e - s + step - 1) / step;
  return markView(
      record("kiln.slice", {*this},
             {{"start", startV}, {"limit", limit}, {"strides", strides}},
             {out, dtype()}, loc),
      *this,
      [n, s, e, step](const Tensor &base) { return base.slice(n, s, e, step); },
      [n, s, e, step](const Tensor &base, const Tensor &value) {
        return scatterSlice(base, value, n, s, e, step);
      });
}

Tensor Tensor::select(int64_t d, int64_t index, Loc loc) const {
  checkDefined(*this, "select", loc);
  int64_t n = normDim(d, dim(), "select", loc);
  int64_t size = sizes()[n];
  if (index < -size || index >= size)
    fail(loc, "select",
         "index " + std::to_string(index) + " is out of bounds for dimension " +
             std::to_string(d) + " with size " + std::to_string(size));
  if (index < 0)
    index += size;
  Tensor s = slice(n, index, index + 1, 1, loc);
  Shape out = sizes();
  out.erase(out.begin() + n);
  return s.reshape(out, loc);
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length, Loc loc) const {
  checkDefined(*this, "narrow", loc);
  int64_t n = normDim(d, dim(), "narrow", loc);
  if (start < 0)
    start += size(n);
  if (start < 0 || length < 0 || start + length > size(n))
    fail(loc, "narrow",
         "start " + std::to_string(start) + " and length " +
             std::to_string(length) + " exceed dimension " + std::to_string(d) +
             " of " + str(sizes()));
  return slice(n, start, start + length, 1, loc);
}

TensorIndex::TensorIndex(const char *ellipsis) : value(indexing::Ellipsis) {
  if (ellipsis == nullptr || std::string_view(ellipsis) != "...")
    throw Error("index: a string index must be \"...\" (Ellipsis), got \"" +
                std::string(ellipsis ? ellipsis : "") + "\"");
}

namespace {

/// Tensor indices resolved against a tensor: where their run of
/// dimensions starts, how many it covers, and the indices as one flat list
/// of positions into those dimensions (row-major), with the shape the
/// indices broadcast to.
struct IndexRun {
  int64_t start = 0, dims = 0;
  std::vector<int64_t> positions;
  Shape shape;
};

/// Whether an index tensor is a mask: bool, or uint8 as PyTorch's older
/// byte masks.
bool isMask(const Tensor &t) {
  return t.dtype() == kBool || t.dtype() == kUInt8;
}

/// The positions `tensors` (integer indices, or bool masks spanning as
/// many dimensions as they have) pick from dimensions [start, ...) of
/// `sizes`. Indices are read now: a pending index tensor is computed.
IndexRun resolveIndices(const std::vector<Tensor> &tensors, const Shape &sizes,
                        int64_t start, const Loc &loc) {
  IndexRun run;
  run.start = start;
  // Masks become integer indices, one per dimension they span.
  std::vector<std::vector<int64_t>> lists;
  std::vector<Shape> shapes;
  int64_t d = start;
  for (const Tensor &t : tensors) {
    checkDefined(t, "index", loc);
    if (isMask(t)) {
      if (d + t.dim() > static_cast<int64_t>(sizes.size()))
        fail(loc, "index",
             "a bool mask of shape " + str(t.sizes()) +
                 " indexes past the last dimension of a tensor of shape " +
                 str(sizes));
      for (int64_t k = 0; k < t.dim(); ++k)
        if (t.size(k) != sizes[d + k])
          fail(loc, "index",
               "the bool mask of shape " + str(t.sizes()) +
                   " does not match the indexed dimensions " +
                   str(Shape(sizes.begin() + d, sizes.begin() + d + t.dim())) +
                   " at dimension " + std::to_string(d + k));
      std::vector<int64_t> flags = t.to_vector<int64_t>();
      std::vector<std::vector<int64_t>> coords(t.dim());
      for (int64_t i = 0; i < static_cast<int64_t>(flags.size()); ++i) {
        if (!flags[i])
          continue;
        int64_t rest = i;
        for (int64_t k = t.dim() - 1; k >= 0; --k) {
          coords[k].push_back(rest % t.size(k));
          rest /= t.size(k);
        }
      }
      for (auto &c : coords) {
        shapes.push_back({static_cast<int64_t>(c.size())});
        lists.push_back(std::move(c));
      }
      d += t.dim();
    } else if (is_integral(t.dtype())) {
      if (d >= static_cast<int64_t>(sizes.size()))
        fail(loc, "index",
             "too many indices for a tensor of shape " + str(sizes));
      std::vector<int64_t> values = t.to_vector<int64_t>();
      for (int64_t &v : values) {
        if (v < -sizes[d] || v >= sizes[d])
          fail(loc, "index",
               "index " + std::to_string(v) +
                   " is out of bounds for dimension " + std::to_string(d) +
                   " with size " + std::to_string(sizes[d]));
        if (v < 0)
          v += sizes[d];
      }
      lists.push_back(std::move(values));
      shapes.push_back(t.sizes());
      ++d;
    } else {
      fail(loc, "index",
           "tensors used as indices must be integer or bool, got " +
               str(t.dtype()));
    }
  }
  run.dims = d - start;
  // The indices broadcast together.
  Shape shape;
  for (const Shape &s : shapes) {
    auto b = ir::broadcastShapes(shape, s);
    if (!b)
      fail(loc, "index",
           "shape mismatch: indexing tensors could not be broadcast together "
           "with shapes " +
               str(shape) + " and " + str(s));
    shape = *b;
  }
  run.shape = shape;
  int64_t count = ir::numElements(shape);
  run.positions.assign(count, 0);
  int64_t stride = 1;
  for (int64_t k = static_cast<int64_t>(lists.size()) - 1; k >= 0; --k) {
    const Shape &s = shapes[k];
    // Element i of the broadcast shape reads element j of list k.
    for (int64_t i = 0; i < count; ++i) {
      int64_t rest = i, j = 0, inner = 1;
      for (int64_t a = static_cast<int64_t>(shape.size()) - 1,
                   b = static_cast<int64_t>(s.size()) - 1;
           a >= 0; --a, --b) {
        int64_t coord = rest % shape[a];
        rest /= shape[a];
        if (b >= 0 && s[b] != 1)
          j += coord * inner;
        if (b >= 0)
          inner *= s[b];
      }
      run.positions[i] += lists[k][j] * stride;
    }
    stride *= sizes[start + k];
  }
  return run;
}

/// Splits `indices` into the basic ones (applied as views) and the run of
/// tensors; the tensors' first dimension is counted in the result of the
/// basic indices. Tensors must be adjacent.
struct SplitIndices {
  std::vector<TensorIndex> basic;
  std::vector<Tensor> tensors;
  int64_t tensorStart = -1; ///< in the dimensions of the basic result
};

SplitIndices splitIndices(const std::vector<TensorIndex> &indices, int64_t rank,
                          const Loc &loc) {
  SplitIndices split;
  int64_t consuming = 0, ellipses = 0;
  for (const TensorIndex &i : indices) {
    if (std::holds_alternative<int64_t>(i.value) ||
        std::holds_alternative<indexing::Slice>(i.value))
      ++consuming;
    else if (auto *t = std::get_if<Tensor>(&i.value))
      consuming += t->defined() && isMask(*t) ? t->dim() : 1;
    else if (std::holds_alternative<indexing::EllipsisIndexType>(i.value))
      ++ellipses;
  }
  if (ellipses > 1)
    fail(loc, "index", "an index can only have a single ellipsis");
  if (consuming > rank)
    fail(loc, "index",
         "too many indices (" + std::to_string(consuming) +
             ") for a tensor of " + std::to_string(rank) + " dimensions");
  // Dimensions of the basic result seen so far.
  int64_t d = 0;
  bool runEnded = false;
  for (const TensorIndex &i : indices) {
    if (auto *t = std::get_if<Tensor>(&i.value)) {
      if (runEnded)
        fail(loc, "index",
             "tensor indices must be adjacent (Kiln does not move the "
             "indexed dimensions to the front as PyTorch does for separated "
             "ones)");
      if (split.tensorStart < 0)
        split.tensorStart = d;
      split.tensors.push_back(*t);
      int64_t spans = t->defined() && isMask(*t) ? t->dim() : 1;
      // Keep those dimensions in the basic result.
      for (int64_t k = 0; k < spans; ++k)
        split.basic.push_back(indexing::Slice());
      d += spans;
      continue;
    }
    if (split.tensorStart >= 0)
      runEnded = true;
    split.basic.push_back(i);
    if (std::holds_alternative<indexing::Slice>(i.value) ||
        std::holds_alternative<indexing::NoneIndexType>(i.value))
      ++d;
    else if (std::holds_alternative<indexing::EllipsisIndexType>(i.value))
      d += rank - consuming;
  }
  return split;
}

/// The basic indices (integers, slices, None, Ellipsis) as views.
Tensor basicIndex(const Tensor &self, const std::vector<TensorIndex> &indices,
                  const Loc &loc) {
  int64_t consuming = 0;
  for (const TensorIndex &i : indices)
    if (std::holds_alternative<int64_t>(i.value) ||
        std::holds_alternative<indexing::Slice>(i.value))
      ++consuming;
  Tensor r = self;
  int64_t d = 0;
  for (const TensorIndex &i : indices) {
    if (auto *n = std::get_if<int64_t>(&i.value)) {
      r = r.select(d, *n, loc);
    } else if (auto *s = std::get_if<indexing::Slice>(&i.value)) {
      r = r.slice(d, s->start, s->stop, s->step, loc);
      ++d;
    } else if (std::holds_alternative<indexing::NoneIndexType>(i.value)) {
      r = r.unsqueeze(d, loc);
      ++d;
    } else {
      d += self.dim() - consuming;
    }
  }
  return r;
}

/// `t` with dimensions [start, start + dims) flattened into one.
Tensor flattenRun(const Tensor &t, int64_t start, int64_t dims,
                  const Loc &loc) {
  if (dims == 0)
    return t.unsqueeze(start, loc);
  return t.flatten(start, start + dims - 1, loc);
}

} // namespace

Tensor Tensor::index(std::initializer_list<TensorIndex> indices,
                     Loc loc) const {
  return index(std::vector<TensorIndex>(indices), loc);
}

Tensor Tensor::index(const std::vector<TensorIndex> &indices, Loc loc) const {
  checkDefined(*this, "index", loc);
  SplitIndices split = splitIndices(indices, dim(), loc);
  Tensor r = basicIndex(*this, split.basic, loc);
  if (split.tensors.empty())
    return r;
  IndexRun run =
      resolveIndices(split.tensors, r.sizes(), split.tensorStart, loc);
  // The run's dimensions become one, which the positions gather from, and
  // then the shape the indices broadcast to.
  Tensor flat = flattenRun(r, run.start, run.dims, loc);
  Tensor picked = flat.index_select(run.start, tensor(run.positions), loc);
  Shape out(r.sizes().begin(), r.sizes().begin() + run.start);
  out.insert(out.end(), run.shape.begin(), run.shape.end());
  out.insert(out.end(), r.sizes().begin() + run.start + run.dims,
             r.sizes().end());
  // A copy, as PyTorch's advanced indexing gives.
  return picked.reshape(out, loc).clone();
}

const Tensor &Tensor::index_put_(const std::vector<TensorIndex> &indices,
                                 const Tensor &values, bool accumulate,
                                 Loc loc) const {
  checkDefined(*this, "index_put_", loc);
  checkDefined(values, "index_put_", loc);
  SplitIndices split = splitIndices(indices, dim(), loc);
  Tensor target = basicIndex(*this, split.basic, loc);
  if (split.tensors.empty()) {
    if (accumulate)
      target.add_(values.to(target.dtype()).expand(target.sizes()));
    else
      target.copy_(values, loc);
    return *this;
  }
  IndexRun run =
      resolveIndices(split.tensors, target.sizes(), split.tensorStart, loc);
  // The indexed part of `target` is [pre..., G, post...] once the run is
  // flattened; the values broadcast to [pre..., count, post...].
  Tensor flat = flattenRun(target, run.start, run.dims, loc);
  int64_t groupSize = flat.size(run.start);
  int64_t count = static_cast<int64_t>(run.positions.size());
  Shape picked(target.sizes().begin(), target.sizes().begin() + run.start);
  picked.insert(picked.end(), run.shape.begin(), run.shape.end());
  picked.insert(picked.end(), target.sizes().begin() + run.start + run.dims,
                target.sizes().end());
  if (!ir::isBroadcastableTo(values.sizes(), picked))
    fail(loc, "index_put_",
         "the values of shape " + str(values.sizes()) +
             " cannot be broadcast to the indexed shape " + str(picked));
  Shape spreadShape = flat.sizes();
  spreadShape[run.start] = count;
  Tensor spreadFrom =
      values.to(dtype()).expand(picked).reshape(spreadShape, loc);
  Shape maskShape(flat.dim(), 1);
  maskShape[run.start] = groupSize;
  Tensor updated;
  if (accumulate) {
    // Repeated positions add up: round r adds each position's r-th value
    // (a gather and a mask per round, as many rounds as the most repeated
    // position has writes), in the tensor's own dtype.
    std::vector<std::vector<int64_t>> writers(groupSize);
    size_t rounds = 0;
    for (int64_t i = 0; i < count; ++i) {
      writers[run.positions[i]].push_back(i);
      rounds = std::max(rounds, writers[run.positions[i]].size());
    }
    updated = flat;
    for (size_t r = 0; r < rounds; ++r) {
      std::vector<int64_t> from(groupSize, 0), covered(groupSize, 0);
      for (int64_t g = 0; g < groupSize; ++g)
        if (r < writers[g].size()) {
          from[g] = writers[g][r];
          covered[g] = 1;
        }
      Tensor spread = spreadFrom.index_select(run.start, tensor(from), loc);
      Tensor mask = tensor(covered).to(kBool).reshape(maskShape);
      updated = updated + where(mask, spread, zeros_like(spread));
    }
  } else {
    // The last write to a position wins, as on PyTorch's CPU.
    std::vector<int64_t> from(groupSize, 0), covered(groupSize, 0);
    for (int64_t i = 0; i < count; ++i) {
      from[run.positions[i]] = i;
      covered[run.positions[i]] = 1;
    }
    Tensor spread = spreadFrom.index_select(run.start, tensor(from), loc);
    Tensor mask = tensor(covered).to(kBool).reshape(maskShape);
    updated = where(mask, spread, flat);
  }
  target.copy_(updated.reshape(target.sizes(), loc), loc);
  return *this;
}

const Tensor &Tensor::index_put_(const std::vector<TensorIndex> &indices,
                                 Scalar value, Loc loc) const {
  return index_put_(indices, full({}, value, dtype(), loc), false, loc);
}

Tensor Tensor::index_select(int64_t d, const Tensor &index, Loc loc) const {
  checkDefined(*this, "index_select", loc);
  checkDefined(index, "index_select", loc);
  int64_t n = normDim(d, std::max<int64_t>(dim(), 1), "index_select", loc);
  if (index.dim() > 1 || !is_integral(index.dtype()))
    fail(loc, "index_select",
         "the index must be a 0-d or 1-d int32/int64 "
         "tensor, got " +
             str(index.dtype()) + " " + str(index.sizes()));
  if (dim() == 0)
    return index_select(0, index, loc).reshape({}, loc);
  // Indices already computed are checked here; a computed index is clamped
  // into range by the compiled code.
  if (!index.is_pending())
    for (int64_t i = 0; i < index.numel(); ++i) {
      auto v = static_cast<int64_t>(detail::readElement(index, i));
      if (v < 0 || v >= size(n))
        fail(loc, "index_select",
             "index " + std::to_string(v) + " is out of range for dimension " +
                 std::to_string(d) + " of size " + std::to_string(size(n)));
    }
  Tensor idx = index.dim() == 0 ? index.reshape({1}, loc) : index;
  Shape out = sizes();
  out[n] = idx.numel();
  return record("kiln.gather", {*this, idx}, {{"dim", n}}, {out, dtype()}, loc);
}

Tensor index_select(const Tensor &x, int64_t d, const Tensor &index, Loc loc) {
  return x.index_select(d, index, loc);
}

std::vector<Tensor> Tensor::split(int64_t split_size, int64_t d,
                                  Loc loc) const {
  checkDefined(*this, "split", loc);
  int64_t n = normDim(d, dim(), "split", loc);
  if (split_size < 1)
    fail(loc, "split",
         "split_size must be positive, got " + std::to_string(split_size));
  std::vector<Tensor> parts;
  for (int64_t s = 0; s < size(n) || (s == 0 && size(n) == 0);
       s += split_size) {
    parts.push_back(slice(n, s, std::min(s + split_size, size(n)), 1, loc));
    if (size(n) == 0)
      break;
  }
  return parts;
}

std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t d, Loc loc) const {
  checkDefined(*this, "chunk", loc);
  if (chunks < 1)
    fail(loc, "chunk",
         "the number of chunks must be positive, got " +
             std::to_string(chunks));
  int64_t n = normDim(d, dim(), "chunk", loc);
  int64_t size = sizes()[n];
  return split(std::max<int64_t>(1, (size + chunks - 1) / chunks), n, loc);
}

Tensor cat(const std::vector<Tensor> &tensors, int64_t d, Loc loc) {
  if (tensors.empty())
    fail(loc, "cat", "needs at least one tensor");
  for (const Tensor &t : tensors)
    checkDefined(t, "cat", loc);
  const Tensor &first = tensors[0];
  if (first.dim() == 0)
    fail(loc, "cat", "zero-dimensional tensors cannot be concatenated");
  int64_t n = normDim(d, first.dim(), "cat", loc);
  ScalarType dtype = first.dtype();
  Shape out = first.sizes();
  out[n] = 0;
  for (const Tensor &t : tensors) {
    dtype = promote_types(dtype, t.dtype());
    bool same = t.dim() == first.dim();
    for (int64_t k = 0; same && k < first.dim(); ++k)
      same = k == n || t.size(k) == first.size(k);
    if (!same)
      fail(loc, "cat",
           "shapes " + str(first.sizes()) + " and " + str(t.sizes()) +
               " differ outside the concatenated dimension " +
               std::to_string(d));
    out[n] += t.size(n);
  }
  std::vector<Tensor> inputs;
  for (const Tensor &t : tensors)
    inputs.push_back(convertTo(t, dtype, loc));
  if (inputs.size() == 1)
    return inputs[0];
  return record("kiln.concat", inputs, {{"dim", n}}, {out, dtype}, loc);
}

Tensor stack(const std::vector<Tensor> &tensors, int64_t d, Loc loc) {
  if (tensors.empty())
    fail(loc, "stack", "needs at least one tensor");
  for (const Tensor &t : tensors) {
    checkDefined(t, "stack", loc);
    if (t.sizes() != tensors[0].sizes())
      fail(loc, "stack",
           "all tensors need the same shape, got " + str(tensors[0].sizes()) +
               " and " + str(t.sizes()));
  }
  int64_t n = normDim(d, tensors[0].dim() + 1, "stack", loc);
  std::vector<Tensor> expanded;
  for (const Tensor &t : tensors)
    expanded.push_back(t.unsqueeze(n, loc));
  return cat(expanded, n, loc);
}

} // namespace kiln

namespace kiln {

void Tensor::set_data(const Tensor &new_data) const {
  Loc loc = Loc::current();
  checkDefined(*this, "set_data", loc);
  checkDefined(new_data, "set_data", loc);
  if (impl_ == new_data.impl_)
    return;
  if (new_data.impl()->symbolic)
    fail(loc, "set_data",
         "cannot take a value computed from a placeholder gradient");
  // As an in-place write: uses recorded before keep the old value.
  Trace::current().assign(impl_, new_data.impl_ptr());
  impl_->type = new_data.impl()->type;
  impl_->device = new_data.impl()->device;
  // The tensor holds a value of its own now, no longer a view's.
  impl_->isView = false;
  impl_->viewOf.reset();
}

const Tensor &Tensor::resize_(IntArrayRef size, Loc loc) const {
  checkDefined(*this, "resize_", loc);
  if (requires_grad())
    fail(loc, "resize_", "cannot resize a tensor that requires grad");
  Shape shape(size.begin(), size.end());
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      fail(loc, "resize_",
           "sizes must be non-negative, got " + ir::formatShape(shape));
    count = ir::numElements(shape);
  }
  if (!ir::fitsTensorLimit(shape, kiln::element_size(dtype())))
    fail(loc, "resize_",
         "the shape " + ir::formatShape(shape) + " is too large");
  NoGradGuard noGrad;
  Tensor flat = reshape({-1}, loc);
  int64_t have = flat.numel();
  Tensor kept = count <= have
                    ? flat.slice(0, 0, count, 1, loc)
                    : cat({flat, zeros({count - have}, dtype(), loc)}, 0, loc);
  set_data(kept.reshape(shape, loc));
  return *this;
}

} // namespace kiln

namespace kiln {

std::vector<int64_t> Tensor::strides() const {
  checkDefined(*this, "strides", Loc::current());
  std::vector<int64_t> out(static_cast<size_t>(dim()));
  int64_t stride = 1;
  for (int64_t d = dim() - 1; d >= 0; --d) {
    out[static_cast<size_t>(d)] = stride;
    stride *= std::max<int64_t>(size(d), 1);
  }
  return out;
}

int64_t Tensor::stride(int64_t d) const {
  Loc loc = Loc::current();
  checkDefined(*this, "stride", loc);
  return strides()[static_cast<size_t>(normDim(d, dim(), "stride", loc))];
}

int64_t Tensor::element_size() const {
  checkDefined(*this, "element_size", Loc::current());
  return static_cast<int64_t>(kiln::element_size(dtype()));
}

bool Tensor::is_signed() const {
  checkDefined(*this, "is_signed", Loc::current());
  return dtype() != kBool && dtype() != kUInt8;
}

bool Tensor::is_same_size(const Tensor &other) const {
  checkDefined(*this, "is_same_size", Loc::current());
  checkDefined(other, "is_same_size", Loc::current());
  return sizes() == other.sizes();
}

namespace {
/// A shape op in place: the tensor takes `value` (its own data in a new
/// shape) from now on.
const Tensor &reshapeInPlace(const Tensor &self, const Tensor &value,
                             std::string_view op, const Loc &loc) {
  if (self.requires_grad() && gradModeEnabled())
    fail(loc, op,
         "cannot change the shape of a tensor that requires grad in place "
         "while gradients are recorded");
  self.set_data(value);
  return self;
}
} // namespace

const Tensor &Tensor::unsqueeze_(int64_t d, Loc loc) const {
  checkDefined(*this, "unsqueeze_", loc);
  return reshapeInPlace(*this, unsqueeze(d, loc), "unsqueeze_", loc);
}

const Tensor &Tensor::squeeze_(Loc loc) const {
  checkDefined(*this, "squeeze_", loc);
  return reshapeInPlace(*this, squeeze(loc), "squeeze_", loc);
}

const Tensor &Tensor::squeeze_(int64_t d, Loc loc) const {
  checkDefined(*this, "squeeze_", loc);
  return reshapeInPlace(*this, squeeze(d, loc), "squeeze_", loc);
}

const Tensor &Tensor::t_(Loc loc) const {
  checkDefined(*this, "t_", loc);
  return reshapeInPlace(*this, t(loc), "t_", loc);
}

const Tensor &Tensor::transpose_(int64_t dim0, int64_t dim1, Loc loc) const {
  checkDefined(*this, "transpose_", loc);
  return reshapeInPlace(*this, transpose(dim0, dim1, loc), "transpose_", loc);
}

} // namespace kiln
