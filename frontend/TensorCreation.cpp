//===- TensorCreation.cpp - Creation ops and the global generator ---------===//
//
// Tensors from values (tensor, full, zeros, arange, ...) and random draws
// from the generator behind manual_seed.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/ir/Shapes.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <new>
#include <optional>

namespace kiln {

using detail::TensorImpl;

namespace detail {

/// The generator state behind manual_seed: a seed and a running counter.
struct Generator {
  std::mutex mutex;
  uint64_t seed = 0x4b696c6e; // "Kiln"
  uint64_t offset = 0;
};
Generator &generator() {
  static Generator g;
  return g;
}

Tensor scalarLeaf(int64_t value) {
  auto impl = detail::makeRealized({{}, kInt64});
  std::memcpy(impl->storage->data, &value, sizeof value);
  return wrap(impl);
}

Tensor random(std::string_view op, const Shape &shape, ScalarType dtype,
              std::string_view name, const Loc &loc) {
  if (!is_floating_point(dtype))
    fail(loc, name, "needs a floating point dtype, got " + str(dtype));
  for (int64_t d : shape)
    if (d < 0)
      fail(loc, name, "negative dimension in shape " + str(shape));
  uint64_t seed, offset;
  {
    Generator &g = generator();
    std::lock_guard lock(g.mutex);
    seed = g.seed;
    offset = g.offset;
    g.offset += static_cast<uint64_t>(ir::numElements(shape));
  }
  // Seed and offset are inputs, not constants: a new draw reuses the program.
  return record(op,
                {scalarLeaf(static_cast<int64_t>(seed)),
                 scalarLeaf(static_cast<int64_t>(offset))},
                {}, {shape, dtype}, loc);
}

Tensor uniform(const Shape &shape, ScalarType dtype, std::string_view op,
               const Loc &loc) {
  return random("kiln.rng_uniform", shape, dtype, op, loc);
}

} // namespace detail

using namespace detail;

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

TensorData::TensorData(std::initializer_list<TensorData> rows)
    : kind_(Scalar::Kind::Bool) {
  shape_.push_back(static_cast<int64_t>(rows.size()));
  const Shape *inner = nullptr;
  for (const TensorData &row : rows) {
    if (inner && row.shape_ != *inner)
      ragged_ = true;
    inner = &row.shape_;
    ragged_ = ragged_ || row.ragged_;
    values_.insert(values_.end(), row.values_.begin(), row.values_.end());
    kind_ = std::max(kind_, row.kind_);
  }
  if (inner)
    shape_.insert(shape_.end(), inner->begin(), inner->end());
}

ScalarType TensorData::inferred_dtype() const {
  return Scalar::Kind::Bool == kind_      ? kBool
         : Scalar::Kind::Integer == kind_ ? kInt64
                                          : get_default_dtype();
}

Tensor tensor(TensorData data, TensorOptions options, Loc loc) {
  // A row of a list is ragged when its siblings have other shapes.
  int64_t expected = ir::numElements(data.shape());
  if (expected != static_cast<int64_t>(data.values().size()))
    fail(loc, "tensor", "the nested lists are ragged: rows differ in length");
  return detail::tensorFromDoubles(data.values(), data.shape(),
                                   data.inferred_dtype(), options, loc);
}

static void checkShape(const Shape &shape, std::string_view op,
                       const Loc &loc) {
  for (int64_t d : shape)
    if (d < 0)
      fail(loc, op, "negative dimension in shape " + str(shape));
  if (!ir::fitsTensorLimit(shape, 1))
    fail(loc, op,
         "the shape " + str(shape) + " holds more than 2^40 elements" +
             (ir::numElements(shape) == INT64_MAX
                  ? " (its element count overflows)"
                  : ""));
}

/// Refuses requires_grad() in the options of a non-floating creation.
static void checkRequiresGrad(const TensorOptions &options, ScalarType dtype,
                              std::string_view op, const Loc &loc) {
  if (options.requires_grad() && !is_floating_point(dtype))
    fail(loc, op,
         "only tensors of floating point dtype can require gradients, this "
         "one is " +
             str(dtype));
}

Tensor full(IntArrayRef size, Scalar value, TensorOptions options, Loc loc) {
  Shape shape = size.vec();
  checkShape(shape, "full", loc);
  ScalarType dtype =
      options.has_dtype() ? options.dtype() : value.default_dtype();
  checkRequiresGrad(options, dtype, "full", loc);
  Tensor t = splat(shape, dtype, value, loc);
  t.impl()->requires_grad = options.requires_grad();
  return t;
}

Tensor zeros(IntArrayRef shape, TensorOptions options, Loc loc) {
  return full(shape, 0.0, options.dtype(options.dtype()), loc);
}

Tensor ones(IntArrayRef shape, TensorOptions options, Loc loc) {
  return full(shape, 1.0, options.dtype(options.dtype()), loc);
}

Tensor empty(IntArrayRef size, TensorOptions options, Loc loc) {
  Shape shape = size.vec();
  checkShape(shape, "empty", loc);
  checkRequiresGrad(options, options.dtype(), "empty", loc);
  auto impl = detail::makeRealized({shape, options.dtype()});
  impl->requires_grad = options.requires_grad();
  return wrap(impl);
}

Tensor zeros_like(const Tensor &t, Loc loc) {
  return zeros(t.sizes(), t.dtype(), loc);
}
Tensor ones_like(const Tensor &t, Loc loc) {
  return ones(t.sizes(), t.dtype(), loc);
}
Tensor full_like(const Tensor &t, Scalar value, Loc loc) {
  return full(t.sizes(), value, t.dtype(), loc);
}

/// `n` values on the host for a creation op, or an error naming the op
/// when the memory cannot be had.
static std::vector<double> hostValues(int64_t n, std::string_view op,
                                      const Loc &loc) {
  try {
    return std::vector<double>(static_cast<size_t>(n));
  } catch (const std::bad_alloc &) {
    fail(loc, op,
         "cannot allocate " + std::to_string(n) + " values (" +
             std::to_string(n * 8) + " bytes)");
  }
}

Tensor arange(Scalar end, TensorOptions options, Loc loc) {
  return arange(0, end, 1, options, loc);
}

Tensor arange(Scalar start, Scalar end, TensorOptions options, Loc loc) {
  return arange(start, end, 1, options, loc);
}

Tensor arange(Scalar start, Scalar end, Scalar step, TensorOptions options,
              Loc loc) {
  double s = start.to_double(), e = end.to_double(), st = step.to_double();
  if (st == 0 || !std::isfinite(s) || !std::isfinite(e) || !std::isfinite(st))
    fail(loc, "arange", "needs finite bounds and a non-zero step");
  if ((e - s) / st < 0)
    fail(loc, "arange",
         "the step has the wrong sign for [" + std::to_string(s) + ", " +
             std::to_string(e) + ")");
  bool floating = start.kind() == Scalar::Kind::Floating ||
                  end.kind() == Scalar::Kind::Floating ||
                  step.kind() == Scalar::Kind::Floating;
  double count = std::ceil((e - s) / st);
  if (!(count <= double(ir::kMaxTensorBytes)))
    fail(loc, "arange",
         "[" + std::to_string(s) + ", " + std::to_string(e) + ") in steps of " +
             std::to_string(st) + " holds more than 2^40 elements");
  auto n = static_cast<int64_t>(count);
  std::vector<double> values = hostValues(n, "arange", loc);
  for (int64_t i = 0; i < n; ++i)
    values[i] = s + static_cast<double>(i) * st;
  return detail::tensorFromDoubles(
      values, {n}, floating ? get_default_dtype() : kInt64, options, loc);
}

Tensor linspace(double start, double end, int64_t steps, TensorOptions options,
                Loc loc) {
  if (steps < 0)
    fail(loc, "linspace",
         "the number of steps must be >= 0, got " + std::to_string(steps));
  if (steps > ir::kMaxTensorBytes)
    fail(loc, "linspace",
         std::to_string(steps) + " steps is more than 2^40 elements");
  std::vector<double> values = hostValues(steps, "linspace", loc);
  for (int64_t i = 0; i < steps; ++i)
    values[i] = steps == 1 ? start
                           : start + (end - start) * static_cast<double>(i) /
                                         static_cast<double>(steps - 1);
  return detail::tensorFromDoubles(values, {steps}, get_default_dtype(),
                                   options, loc);
}

Tensor eye(int64_t n, std::optional<int64_t> m, TensorOptions options,
           Loc loc) {
  int64_t cols = m.value_or(n);
  if (n < 0 || cols < 0)
    fail(loc, "eye", "sizes must be >= 0");
  std::vector<double> values(n * cols, 0.0);
  for (int64_t i = 0; i < std::min(n, cols); ++i)
    values[i * cols + i] = 1;
  return detail::tensorFromDoubles(values, {n, cols}, get_default_dtype(),
                                   options, loc);
}

Tensor from_blob(void *data, IntArrayRef size, TensorOptions options, Loc loc) {
  Shape shape = size.vec();
  checkShape(shape, "from_blob", loc);
  checkRequiresGrad(options, options.dtype(), "from_blob", loc);
  if (!data && ir::numElements(shape) > 0)
    fail(loc, "from_blob", "null data pointer");
  auto impl = std::make_shared<TensorImpl>();
  impl->type = {shape, options.dtype()};
  impl->storage = std::make_shared<detail::Storage>();
  impl->storage->data = data;
  impl->storage->bytes = impl->type.bytes();
  impl->requires_grad = options.requires_grad();
  return wrap(impl);
}

Tensor from_blob(void *data, IntArrayRef size,
                 const std::function<void(void *)> &deleter,
                 TensorOptions options, Loc loc) {
  Tensor t = from_blob(data, size, options, loc);
  t.impl()->storage->deleter = deleter;
  return t;
}

Tensor from_blob(void *data, IntArrayRef size, IntArrayRef strides,
                 TensorOptions options, Loc loc) {
  Shape shape = size.vec();
  checkShape(shape, "from_blob", loc);
  if (strides.size() != shape.size())
    fail(loc, "from_blob",
         "expects one stride per dimension, got " +
             std::to_string(strides.size()) + " for " + str(shape));
  Shape dense(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    dense[d] = dense[d + 1] * shape[d + 1];
  bool rowMajor = true;
  for (size_t d = 0; d < shape.size(); ++d)
    rowMajor = rowMajor && (shape[d] <= 1 || strides[d] == dense[d]);
  if (rowMajor)
    return from_blob(data, size, options, loc);
  for (int64_t s : strides)
    if (s < 0)
      fail(loc, "from_blob", "strides must be non-negative");
  if (!data && ir::numElements(shape) > 0)
    fail(loc, "from_blob", "null data pointer");
  // Gather the elements into Kiln's own dense memory.
  ScalarType dtype = options.dtype();
  size_t width = element_size(dtype);
  int64_t count = ir::numElements(shape);
  Tensor out = empty(shape, TensorOptions(dtype), loc);
  auto *dst = static_cast<char *>(out.data_ptr());
  const auto *src = static_cast<const char *>(data);
  for (int64_t i = 0; i < count; ++i) {
    int64_t rest = i, offset = 0;
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      offset += (rest % shape[d]) * strides[d];
      rest /= shape[d];
    }
    std::memcpy(dst + i * width, src + offset * width, width);
  }
  if (options.requires_grad())
    out.requires_grad_(true, loc);
  return out;
}

void manual_seed(uint64_t seed) {
  Generator &g = generator();
  std::lock_guard lock(g.mutex);
  g.seed = seed;
  g.offset = 0;
}

uint64_t detail::drawSeed() {
  uint64_t seed, offset;
  {
    Generator &g = generator();
    std::lock_guard lock(g.mutex);
    seed = g.seed;
    offset = g.offset++;
  }
  // splitmix64 of the (seed, offset) pair: consecutive draws, and seeds
  // that differ in one bit, give unrelated values.
  uint64_t z = seed ^ (offset + 1) * 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// A draw as the options ask: a leaf that requires grad is computed now,
/// as requires_grad_() computes any pending leaf.
static Tensor draw(std::string_view op, IntArrayRef shape,
                   const TensorOptions &options, std::string_view name,
                   const Loc &loc) {
  Tensor t = random(op, shape.vec(), options.dtype(), name, loc);
  if (options.requires_grad())
    t.requires_grad_(true, loc);
  return t;
}

Tensor rand(IntArrayRef shape, TensorOptions options, Loc loc) {
  return draw("kiln.rng_uniform", shape, options, "rand", loc);
}

Tensor randn(IntArrayRef shape, TensorOptions options, Loc loc) {
  return draw("kiln.rng_normal", shape, options, "randn", loc);
}

Tensor randint(int64_t low, int64_t high, IntArrayRef shape,
               TensorOptions options, Loc loc) {
  if (high <= low)
    fail(loc, "randint",
         "needs low < high, got [" + std::to_string(low) + ", " +
             std::to_string(high) + ")");
  // int64 unless the options name a dtype, as in LibTorch.
  ScalarType dtype = options.has_dtype() ? options.dtype() : kInt64;
  checkRequiresGrad(options, dtype, "randint", loc);
  Tensor u = random("kiln.rng_uniform", shape.vec(), kFloat64, "randint", loc);
  Tensor scaled = floor(u * static_cast<double>(high - low), loc) +
                  static_cast<double>(low);
  Tensor r = convertTo(scaled, dtype, loc);
  if (options.requires_grad())
    r.requires_grad_(true, loc);
  return r;
}

Tensor randint(int64_t high, IntArrayRef shape, TensorOptions options,
               Loc loc) {
  return randint(0, high, shape, options, loc);
}

Tensor rand_like(const Tensor &t, Loc loc) {
  return rand(t.sizes(), t.dtype(), loc);
}
Tensor randn_like(const Tensor &t, Loc loc) {
  return randn(t.sizes(), t.dtype(), loc);
}

} // namespace kiln
