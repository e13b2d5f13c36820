//===- Tensor.cpp - Recording tensor ops with PyTorch's semantics ---------===//
//
// Each op checks shapes and dtypes, applies NumPy broadcasting and PyTorch's
// type promotion with explicit kiln.broadcast_to / kiln.convert, and records
// the kiln op. Errors name the op, the shapes and the caller's file:line.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/Graph.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <mutex>
#include <new>
#include <numeric>
#include <sstream>

namespace kiln {

using detail::Attr;
using detail::Attrs;
using detail::EnumValue;
using detail::IntList;
using detail::ResultType;
using detail::SplatValue;
using detail::TensorImpl;
using detail::Trace;
using detail::UnitFlag;
using detail::ValueType;

// Helpers shared with the other frontend files (declared in Graph.h).
namespace detail {

std::string locationString(const Loc &loc) {
  return std::string(loc.file_name()) + ":" + std::to_string(loc.line());
}

[[noreturn]] void fail(const Loc &loc, std::string_view op,
                       const std::string &message) {
  throw Error(std::string(op) + ": " + message + " (at " + locationString(loc) +
              ")");
}

std::string str(const Shape &shape) { return ir::formatShape(shape); }

std::string str(ScalarType t) { return std::string(dtype_name(t)); }

void checkDefined(const Tensor &t, std::string_view op, const Loc &loc) {
  if (!t.defined())
    fail(loc, op, "the tensor is undefined");
}

/// Normalizes a possibly negative dimension index against `rank`.
int64_t normDim(int64_t dim, int64_t rank, std::string_view op,
                const Loc &loc) {
  int64_t n = dim < 0 ? dim + rank : dim;
  if (n < 0 || n >= rank)
    fail(loc, op,
         "dimension " + std::to_string(dim) + " is out of range for a " +
             std::to_string(rank) + "-d tensor (expected in [" +
             std::to_string(-rank) + ", " + std::to_string(rank - 1) + "])");
  return n;
}

Tensor wrap(std::shared_ptr<TensorImpl> impl) {
  return Tensor(std::move(impl));
}

Tensor markView(Tensor t) {
  t.impl()->isView = true;
  return t;
}

void checkNotView(const Tensor &self, std::string_view op, const Loc &loc) {
  if (self.impl()->isView)
    fail(loc, op,
         "the tensor is a view of another (a slice, index, transpose, "
         "reshape or expand): in Kiln a view is a value of its own, and "
         "writing to it in place would not change the tensor it views. "
         "Compute the whole tensor instead, e.g. x = kiln::where(mask, v, x)");
}

/// Records `node` (from Trace::newNode), a single-result op.
Tensor recordNode(std::shared_ptr<detail::Node> node) {
  return wrap(std::move(Trace::current().record(std::move(node))[0]));
}

Tensor record(std::string_view op, llvm::ArrayRef<Tensor> inputs, Attrs attrs,
              ResultType result, const Loc &loc) {
  auto node = Trace::newNode(op, loc);
  for (const Tensor &t : inputs)
    node->inputs.push_back(t.impl_ptr());
  node->attrs = std::move(attrs);
  node->results.push_back(std::move(result));
  return recordNode(std::move(node));
}

/// A constant tensor with every element `value`.
SplatValue splatValue(ScalarType dtype, const Scalar &value) {
  // A float scalar's integer is its value rounded toward zero (saturated:
  // infinities stand for the extreme integers).
  double f = value.to_double();
  int64_t i = value.to_long();
  if (dtype == kBool)
    i = f != 0;
  return {f, i};
}

Tensor splat(const Shape &shape, ScalarType dtype, Scalar value,
             const Loc &loc) {
  return recordNode(
      Trace::newConstant(shape, dtype, splatValue(dtype, value), loc));
}

Tensor convertTo(const Tensor &t, ScalarType dtype, const Loc &loc) {
  if (t.dtype() == dtype)
    return t;
  return record("kiln.convert", {t}, {}, {t.sizes(), dtype}, loc);
}

Tensor broadcastTo(const Tensor &t, const Shape &shape, std::string_view op,
                   const Loc &loc) {
  if (t.sizes() == shape)
    return t;
  if (!ir::isBroadcastableTo(t.sizes(), shape))
    fail(loc, op,
         "cannot broadcast shape " + str(t.sizes()) + " to " + str(shape));
  return record("kiln.broadcast_to", {t}, {}, {shape, t.dtype()}, loc);
}

Shape broadcastShapes(const Shape &a, const Shape &b, std::string_view op,
                      const Loc &loc) {
  auto shape = ir::broadcastShapes(a, b);
  if (!shape)
    fail(loc, op,
         "shapes " + str(a) + " and " + str(b) +
             " cannot be broadcast together");
  return *shape;
}

/// PyTorch's result_type: dimensioned tensors outrank 0-d tensors, which
/// outrank plain numbers, unless a lower rank brings a higher category.
struct Participant {
  ScalarType dtype;
  enum { Dimensioned, ZeroDim, Wrapped } rank;
};

std::optional<ScalarType> combineCategories(std::optional<ScalarType> higher,
                                            std::optional<ScalarType> lower) {
  if (!higher)
    return lower;
  if (!lower || is_floating_point(*higher))
    return higher;
  if (*higher == kBool || is_floating_point(*lower))
    return promote_types(*higher, *lower);
  return higher;
}

ScalarType resultType(std::initializer_list<Participant> participants) {
  std::optional<ScalarType> groups[3];
  for (const Participant &p : participants) {
    auto &g = groups[p.rank];
    g = g ? promote_types(*g, p.dtype) : p.dtype;
  }
  return *combineCategories(groups[0], combineCategories(groups[1], groups[2]));
}

Participant participant(const Tensor &t) {
  return {t.dtype(),
          t.dim() == 0 ? Participant::ZeroDim : Participant::Dimensioned};
}

enum class Kind {
  Arithmetic, ///< result in the promoted type
  TrueDivide, ///< like Arithmetic, but integers divide as floats
  Compare,    ///< operands promoted, result bool
  Bitwise,    ///< integers and bools only
};

/// An operand of a binary op: a tensor or a number, referred to rather than
/// copied (copying a handle updates two atomic counts, and elementwise ops
/// are the bulk of what gets recorded).
struct BinaryOperand {
  BinaryOperand(const Tensor &t) : tensor(&t) {}
  BinaryOperand(const Scalar &s) : scalar(&s) {}
  BinaryOperand(const std::variant<Tensor, Scalar> &v)
      : tensor(std::get_if<Tensor>(&v)), scalar(std::get_if<Scalar>(&v)) {}
  const Tensor *tensor = nullptr; ///< set for a tensor
  const Scalar *scalar = nullptr; ///< set for a number
};

/// Whether two shapes are equal. Inline rather than through memcmp: shapes
/// are short, and a binary op mostly compares an operand's shape with
/// itself.
bool sameShape(const Shape &a, const Shape &b) {
  if (&a == &b)
    return true;
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i])
      return false;
  return true;
}

/// A binary elementwise op between tensors and/or numbers.
Tensor binary(std::string_view name, std::string_view op, BinaryOperand lhs,
              BinaryOperand rhs, Kind kind, const Loc &loc) {
  auto part = [](const BinaryOperand &v) {
    if (v.tensor)
      return participant(*v.tensor);
    return Participant{v.scalar->default_dtype(), Participant::Wrapped};
  };
  for (auto *v : {&lhs, &rhs})
    if (v->tensor)
      checkDefined(*v->tensor, name, loc);
  ScalarType common = resultType({part(lhs), part(rhs)});
  if (kind == Kind::TrueDivide && !is_floating_point(common))
    common = kFloat32;
  if (kind == Kind::Bitwise && is_floating_point(common))
    fail(loc, name, "needs integer or bool tensors, got " + str(common));
  // The result's shape: usually an operand's, which is referred to rather
  // than copied; only broadcasting two different shapes makes a new one.
  static const Shape scalarShape;
  Shape broadcast;
  const Shape *shapePtr = &scalarShape;
  if (lhs.tensor && rhs.tensor &&
      !sameShape(lhs.tensor->sizes(), rhs.tensor->sizes())) {
    broadcast =
        broadcastShapes(lhs.tensor->sizes(), rhs.tensor->sizes(), name, loc);
    shapePtr = &broadcast;
  } else if (lhs.tensor) {
    shapePtr = &lhs.tensor->sizes();
  } else if (rhs.tensor) {
    shapePtr = &rhs.tensor->sizes();
  }
  const Shape &shape = *shapePtr;
  // A tensor operand of the result's shape and dtype is used as it is;
  // others are recorded into `made`. A number becomes the trace's shared
  // constant, which no handle refers to.
  auto operand = [&](const BinaryOperand &v,
                     Tensor &made) -> std::shared_ptr<TensorImpl> {
    if (v.tensor && sameShape(v.tensor->sizes(), shape) &&
        v.tensor->dtype() == common)
      return v.tensor->impl_ptr();
    if (!v.tensor)
      return Trace::current().constant(shape, common,
                                       splatValue(common, *v.scalar), loc);
    made = convertTo(broadcastTo(*v.tensor, shape, name, loc), common, loc);
    return made.impl_ptr();
  };
  Tensor madeA, madeB;
  auto node = Trace::newNode(op, loc);
  node->inputs.push_back(operand(lhs, madeA));
  node->inputs.push_back(operand(rhs, madeB));
  ScalarType resultDtype = common;
  if (kind == Kind::Compare) {
    resultDtype = kBool;
    static const std::pair<std::string_view, int> directions[] = {
        {"eq", 0}, {"ne", 1}, {"lt", 2}, {"le", 3}, {"gt", 4}, {"ge", 5}};
    for (auto [n, v] : directions)
      if (n == name)
        node->attrs.push_back({"direction", EnumValue{v}});
  }
  node->results.emplace_back(shape, resultDtype);
  return recordNode(std::move(node));
}

/// A unary elementwise op; `floating` ops compute integers as float32.
Tensor unary(std::string_view name, std::string_view op, const Tensor &x,
             bool floating, const Loc &loc, Attrs attrs = {}) {
  checkDefined(x, name, loc);
  Tensor converted; // x as float32, for a floating op on integers
  if (floating && !is_floating_point(x.dtype()))
    converted = convertTo(x, kFloat32, loc);
  else if (!floating && x.dtype() == kBool && op != "kiln.not")
    fail(loc, name, "is not defined for bool tensors");
  const Tensor &in = converted.defined() ? converted : x;
  auto node = Trace::newNode(op, loc);
  node->inputs.push_back(in.impl_ptr());
  if (!attrs.empty()) // most unary ops have none
    node->attrs = std::move(attrs);
  node->results.emplace_back(in.sizes(), in.dtype());
  return recordNode(std::move(node));
}

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
  IntList shape = reducedShape(x.sizes(), dims, keepdim);
  Attrs attrs = {{"dims", IntList(dims)}};
  if (keepdim)
    attrs.push_back({"keepdim", UnitFlag{}});
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
  return record(op, {x}, std::move(attrs),
                {reducedShape(x.sizes(), {d}, keepdim), kInt64}, loc);
}

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

// float <-> IEEE half and bfloat16 bits (round to nearest even).
float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else { // subnormal: normalize
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while (!(mant & 0x400));
      bits = sign | ((127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  return std::bit_cast<float>(bits);
}

uint16_t floatToHalf(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) // inf or NaN
    return static_cast<uint16_t>(sign | 0x7c00u |
                                 (absx > 0x7f800000u ? 0x200u : 0));
  if (absx >= 0x477ff000u) // rounds to beyond the largest half
    return static_cast<uint16_t>(sign | 0x7c00u);
  if (absx < 0x38800000u) { // subnormal half or zero
    float scaled = std::bit_cast<float>(absx) * 16777216.0f; // 2^24
    return static_cast<uint16_t>(sign |
                                 static_cast<uint32_t>(std::nearbyint(scaled)));
  }
  uint32_t mant = absx & 0x7fffffu, exp = (absx >> 23) - 127 + 15;
  uint32_t half = (exp << 10) | (mant >> 13);
  uint32_t rest = mant & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1)))
    ++half;
  return static_cast<uint16_t>(sign | half);
}

float bf16ToFloat(uint16_t b) {
  return std::bit_cast<float>(static_cast<uint32_t>(b) << 16);
}

uint16_t floatToBf16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  if ((x & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((x >> 16) | 0x40);
  uint32_t rounding = 0x7fffu + ((x >> 16) & 1);
  return static_cast<uint16_t>((x + rounding) >> 16);
}

void writeElement(void *data, int64_t i, ScalarType dtype, double v) {
  switch (dtype) {
  case kBool:
    static_cast<uint8_t *>(data)[i] = v != 0;
    break;
  case kInt32:
    static_cast<int32_t *>(data)[i] = static_cast<int32_t>(v);
    break;
  case kInt64:
    static_cast<int64_t *>(data)[i] = static_cast<int64_t>(v);
    break;
  case kFloat16:
    static_cast<uint16_t *>(data)[i] = floatToHalf(static_cast<float>(v));
    break;
  case kBFloat16:
    static_cast<uint16_t *>(data)[i] = floatToBf16(static_cast<float>(v));
    break;
  case kFloat32:
    static_cast<float *>(data)[i] = static_cast<float>(v);
    break;
  case kFloat64:
    static_cast<double *>(data)[i] = v;
    break;
  }
}

} // namespace detail

using namespace detail;

//===----------------------------------------------------------------------===//
// Tensor: properties and values
//===----------------------------------------------------------------------===//

/// Counts a new handle of `impl`. In a single-threaded process the count is
/// updated without a locked instruction: handles come and go with nearly
/// every op.
static void addHandle(TensorImpl &impl) {
  if (singleThreaded())
    impl.handles.store(impl.handles.load(std::memory_order_relaxed) + 1,
                       std::memory_order_relaxed);
  else
    ++impl.handles;
}

/// Drops a handle. With the last one gone nobody can read the tensor's
/// .grad() any more; dropping it also breaks the cycle leaf -> grad ->
/// kiln.grad node -> leaf.
static void release(TensorImpl &impl) {
  int left;
  if (singleThreaded()) {
    left = impl.handles.load(std::memory_order_relaxed) - 1;
    impl.handles.store(left, std::memory_order_relaxed);
  } else {
    left = --impl.handles;
  }
  if (left == 0 && impl.grad.defined())
    impl.grad = Tensor();
}

Tensor::Tensor(std::shared_ptr<detail::TensorImpl> impl)
    : impl_(std::move(impl)) {
  if (impl_)
    addHandle(*impl_);
}

Tensor::Tensor(const Tensor &other) : impl_(other.impl_) {
  if (impl_)
    addHandle(*impl_);
}

Tensor::Tensor(Tensor &&other) noexcept : impl_(std::move(other.impl_)) {}

Tensor &Tensor::operator=(const Tensor &other) {
  if (this != &other)
    *this = Tensor(other);
  return *this;
}

Tensor &Tensor::operator=(Tensor &&other) noexcept {
  if (this != &other) {
    if (impl_)
      release(*impl_);
    impl_ = std::move(other.impl_);
  }
  return *this;
}

Tensor::~Tensor() {
  if (impl_)
    release(*impl_);
}

static const TensorImpl &implOf(const Tensor &t) {
  if (!t.defined())
    throw Error("the tensor is undefined");
  return *t.impl();
}

const Shape &Tensor::sizes() const { return implOf(*this).type.shape; }
int64_t Tensor::numel() const { return implOf(*this).type.numel(); }
ScalarType Tensor::dtype() const { return implOf(*this).type.dtype; }
Device Tensor::device() const { return implOf(*this).device; }
bool Tensor::is_pending() const { return implOf(*this).pending(); }
TensorOptions Tensor::options() const {
  return TensorOptions().dtype(dtype()).device(device());
}

int64_t Tensor::size(int64_t dim, Loc loc) const {
  return sizes()[normDim(dim, this->dim(), "size", loc)];
}

void *Tensor::data_ptr() const {
  detail::realize(*impl_);
  return implOf(*this).storage->data;
}

namespace detail {

double readElement(const Tensor &t, int64_t i) {
  const void *data = t.data_ptr();
  switch (t.dtype()) {
  case kBool:
    return static_cast<const uint8_t *>(data)[i] != 0;
  case kInt32:
    return static_cast<const int32_t *>(data)[i];
  case kInt64:
    return static_cast<double>(static_cast<const int64_t *>(data)[i]);
  case kFloat16:
    return halfToFloat(static_cast<const uint16_t *>(data)[i]);
  case kBFloat16:
    return bf16ToFloat(static_cast<const uint16_t *>(data)[i]);
  case kFloat32:
    return static_cast<const float *>(data)[i];
  case kFloat64:
    return static_cast<const double *>(data)[i];
  }
  return 0;
}

void checkItem(const Tensor &t, const Loc &loc) {
  checkDefined(t, "item", loc);
  if (t.numel() != 1)
    fail(loc, "item",
         "needs a tensor with one element, got shape " + str(t.sizes()) + " (" +
             std::to_string(t.numel()) + " elements)");
}

void checkDataPtr(const Tensor &t, ScalarType requested, const Loc &loc) {
  checkDefined(t, "data_ptr", loc);
  if (t.dtype() != requested)
    fail(loc, "data_ptr",
         "the tensor holds " + str(t.dtype()) + ", not " + str(requested));
}

Tensor tensorFromDoubles(const std::vector<double> &values, const Shape &shape,
                         ScalarType dtype, TensorOptions options, Loc loc) {
  if (options.has_dtype())
    dtype = options.dtype();
  if (!options.device().is_cpu())
    fail(loc, "tensor", "only the cpu device is supported so far");
  auto impl = makeRealized({shape, dtype});
  for (size_t i = 0; i < values.size(); ++i)
    writeElement(impl->storage->data, static_cast<int64_t>(i), dtype,
                 values[i]);
  impl->requires_grad = options.requires_grad();
  return wrap(impl);
}

} // namespace detail

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
                                          : kFloat32;
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

Tensor full(const Shape &shape, Scalar value, TensorOptions options, Loc loc) {
  checkShape(shape, "full", loc);
  ScalarType dtype =
      options.has_dtype() ? options.dtype() : value.default_dtype();
  Tensor t = splat(shape, dtype, value, loc);
  t.impl()->requires_grad = options.requires_grad();
  return t;
}

Tensor zeros(const Shape &shape, TensorOptions options, Loc loc) {
  return full(shape, 0.0, options.dtype(options.dtype()), loc);
}

Tensor ones(const Shape &shape, TensorOptions options, Loc loc) {
  return full(shape, 1.0, options.dtype(options.dtype()), loc);
}

Tensor empty(const Shape &shape, TensorOptions options, Loc loc) {
  checkShape(shape, "empty", loc);
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
  return detail::tensorFromDoubles(values, {n}, floating ? kFloat32 : kInt64,
                                   options, loc);
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
  return detail::tensorFromDoubles(values, {steps}, kFloat32, options, loc);
}

Tensor eye(int64_t n, std::optional<int64_t> m, TensorOptions options,
           Loc loc) {
  int64_t cols = m.value_or(n);
  if (n < 0 || cols < 0)
    fail(loc, "eye", "sizes must be >= 0");
  std::vector<double> values(n * cols, 0.0);
  for (int64_t i = 0; i < std::min(n, cols); ++i)
    values[i * cols + i] = 1;
  return detail::tensorFromDoubles(values, {n, cols}, kFloat32, options, loc);
}

Tensor from_blob(void *data, const Shape &shape, TensorOptions options,
                 Loc loc) {
  checkShape(shape, "from_blob", loc);
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

Tensor rand(const Shape &shape, TensorOptions options, Loc loc) {
  return random("kiln.rng_uniform", shape, options.dtype(), "rand", loc);
}

Tensor randn(const Shape &shape, TensorOptions options, Loc loc) {
  return random("kiln.rng_normal", shape, options.dtype(), "randn", loc);
}

Tensor randint(int64_t low, int64_t high, const Shape &shape,
               TensorOptions options, Loc loc) {
  if (high <= low)
    fail(loc, "randint",
         "needs low < high, got [" + std::to_string(low) + ", " +
             std::to_string(high) + ")");
  Tensor u = random("kiln.rng_uniform", shape, kFloat64, "randint", loc);
  Tensor scaled = floor(u * static_cast<double>(high - low), loc) +
                  static_cast<double>(low);
  return convertTo(scaled, options.dtype(), loc);
}

Tensor randint(int64_t high, const Shape &shape, TensorOptions options,
               Loc loc) {
  return randint(0, high, shape, options, loc);
}

Tensor rand_like(const Tensor &t, Loc loc) {
  return rand(t.sizes(), t.dtype(), loc);
}
Tensor randn_like(const Tensor &t, Loc loc) {
  return randn(t.sizes(), t.dtype(), loc);
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

Tensor Tensor::to(ScalarType dtype, Loc loc) const {
  checkDefined(*this, "to", loc);
  return convertTo(*this, dtype, loc);
}

Tensor Tensor::to(Device device, Loc loc) const {
  checkDefined(*this, "to", loc);
  if (!device.is_cpu())
    fail(loc, "to",
         "device " + device.str() +
             " is not supported yet: Kiln runs on the cpu");
  return *this;
}

Tensor Tensor::clone(Loc loc) const {
  checkDefined(*this, "clone", loc);
  if (!is_pending()) {
    auto impl = detail::makeRealized(impl_->type);
    std::memcpy(impl->storage->data, impl_->storage->data, impl_->type.bytes());
    return wrap(impl);
  }
  return record("kiln.reshape", {*this}, {}, impl_->type, loc);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

#define KILN_FLOAT_UNARY(name, op)                                             \
  Tensor Tensor::name(Loc loc) const {                                         \
    return unary(#name, op, *this, true, loc);                                 \
  }
KILN_FLOAT_UNARY(exp, "kiln.exp")
KILN_FLOAT_UNARY(log, "kiln.log")
KILN_FLOAT_UNARY(log1p, "kiln.log1p")
KILN_FLOAT_UNARY(sqrt, "kiln.sqrt")
KILN_FLOAT_UNARY(rsqrt, "kiln.rsqrt")
KILN_FLOAT_UNARY(reciprocal, "kiln.reciprocal")
KILN_FLOAT_UNARY(tanh, "kiln.tanh")
KILN_FLOAT_UNARY(sigmoid, "kiln.sigmoid")
KILN_FLOAT_UNARY(sin, "kiln.sin")
KILN_FLOAT_UNARY(cos, "kiln.cos")
#undef KILN_FLOAT_UNARY

Tensor Tensor::neg(Loc loc) const {
  return unary("neg", "kiln.neg", *this, false, loc);
}
Tensor Tensor::abs(Loc loc) const {
  return unary("abs", "kiln.abs", *this, false, loc);
}
Tensor Tensor::relu(Loc loc) const {
  return unary("relu", "kiln.relu", *this, false, loc);
}
Tensor Tensor::sign(Loc loc) const {
  return unary("sign", "kiln.sign", *this, false, loc);
}
Tensor Tensor::floor(Loc loc) const {
  checkDefined(*this, "floor", loc);
  if (!is_floating_point())
    return *this; // integers are their own floor
  return unary("floor", "kiln.floor", *this, true, loc);
}
Tensor Tensor::logical_not(Loc loc) const {
  checkDefined(*this, "logical_not", loc);
  Tensor b = dtype() == kBool ? *this : ne(full({}, 0, dtype(), loc), loc);
  return unary("logical_not", "kiln.not", b, false, loc);
}

Tensor gelu(const Tensor &x, const std::string &approximate, Loc loc) {
  if (approximate != "none" && approximate != "tanh")
    fail(loc, "gelu",
         "approximate must be \"none\" or \"tanh\", got \"" + approximate +
             "\"");
  return unary("gelu", "kiln.gelu", x, true, loc,
               {{"approximate", EnumValue{approximate == "tanh" ? 1 : 0}}});
}

Tensor Tensor::add(const Tensor &o, Loc loc) const {
  return binary("add", "kiln.add", *this, o, Kind::Arithmetic, loc);
}
Tensor Tensor::sub(const Tensor &o, Loc loc) const {
  return binary("sub", "kiln.sub", *this, o, Kind::Arithmetic, loc);
}
Tensor Tensor::mul(const Tensor &o, Loc loc) const {
  return binary("mul", "kiln.mul", *this, o, Kind::Arithmetic, loc);
}
Tensor Tensor::div(const Tensor &o, Loc loc) const {
  return binary("div", "kiln.div", *this, o, Kind::TrueDivide, loc);
}
Tensor Tensor::pow(const Tensor &o, Loc loc) const {
  return binary("pow", "kiln.pow", *this, o, Kind::TrueDivide, loc);
}
Tensor Tensor::pow(Scalar o, Loc loc) const {
  // An integer tensor to an integer power stays an integer, exactly (by
  // squaring, wrapping on overflow as PyTorch does); a negative power is an
  // error, as in PyTorch.
  if (defined() && is_integral(dtype(), /*include_bool=*/true) &&
      o.kind() != Scalar::Kind::Floating) {
    int64_t n = o.to_long();
    if (n < 0)
      fail(loc, "pow",
           "integers to negative integer powers are not allowed (a " +
               std::string(dtype_name(dtype())) + " tensor to the power " +
               std::to_string(n) + ")");
    Tensor base = dtype() == kBool ? to(kInt64, loc) : *this;
    Tensor result = ones_like(base, loc);
    for (; n > 0; n >>= 1) {
      if (n & 1)
        result = result.mul(base, loc);
      if (n > 1)
        base = base.mul(base, loc);
    }
    return result;
  }
  return binary("pow", "kiln.pow", *this, o, Kind::TrueDivide, loc);
}
Tensor Tensor::maximum(const Tensor &o, Loc loc) const {
  return binary("maximum", "kiln.maximum", *this, o, Kind::Arithmetic, loc);
}
Tensor Tensor::minimum(const Tensor &o, Loc loc) const {
  return binary("minimum", "kiln.minimum", *this, o, Kind::Arithmetic, loc);
}
#define KILN_COMPARE(name)                                                     \
  Tensor Tensor::name(const Tensor &o, Loc loc) const {                        \
    return binary(#name, "kiln.compare", *this, o, Kind::Compare, loc);        \
  }
KILN_COMPARE(eq)
KILN_COMPARE(ne)
KILN_COMPARE(lt)
KILN_COMPARE(le)
KILN_COMPARE(gt)
KILN_COMPARE(ge)
#undef KILN_COMPARE

Tensor add(const Tensor &a, const Tensor &b, Loc loc) { return a.add(b, loc); }
Tensor sub(const Tensor &a, const Tensor &b, Loc loc) { return a.sub(b, loc); }
Tensor mul(const Tensor &a, const Tensor &b, Loc loc) { return a.mul(b, loc); }
Tensor div(const Tensor &a, const Tensor &b, Loc loc) { return a.div(b, loc); }
Tensor pow(const Tensor &a, const Tensor &b, Loc loc) { return a.pow(b, loc); }
Tensor pow(const Tensor &a, Scalar b, Loc loc) { return a.pow(b, loc); }
Tensor maximum(const Tensor &a, const Tensor &b, Loc loc) {
  return a.maximum(b, loc);
}
Tensor minimum(const Tensor &a, const Tensor &b, Loc loc) {
  return a.minimum(b, loc);
}

static Tensor toBool(const Tensor &t, const Loc &loc) {
  return t.dtype() == kBool ? t : t.ne(full({}, 0, t.dtype(), loc), loc);
}

Tensor logical_and(const Tensor &a, const Tensor &b, Loc loc) {
  return binary("logical_and", "kiln.and", toBool(a, loc), toBool(b, loc),
                Kind::Bitwise, loc);
}
Tensor logical_or(const Tensor &a, const Tensor &b, Loc loc) {
  return binary("logical_or", "kiln.or", toBool(a, loc), toBool(b, loc),
                Kind::Bitwise, loc);
}

Tensor where(const Tensor &cond, const Tensor &a, const Tensor &b, Loc loc) {
  for (const Tensor *t : {&cond, &a, &b})
    checkDefined(*t, "where", loc);
  if (cond.dtype() != kBool)
    fail(loc, "where",
         "the condition must be a bool tensor, got " + str(cond.dtype()));
  Shape shape =
      broadcastShapes(broadcastShapes(cond.sizes(), a.sizes(), "where", loc),
                      b.sizes(), "where", loc);
  ScalarType common = resultType({participant(a), participant(b)});
  return record("kiln.select",
                {broadcastTo(cond, shape, "where", loc),
                 convertTo(broadcastTo(a, shape, "where", loc), common, loc),
                 convertTo(broadcastTo(b, shape, "where", loc), common, loc)},
                {}, {shape, common}, loc);
}

Tensor Tensor::masked_fill(const Tensor &mask, Scalar value, Loc loc) const {
  checkDefined(*this, "masked_fill", loc);
  checkDefined(mask, "masked_fill", loc);
  if (mask.dtype() != kBool)
    fail(loc, "masked_fill",
         "the mask must be a bool tensor, got " + str(mask.dtype()));
  if (!ir::isBroadcastableTo(mask.sizes(), sizes()))
    fail(loc, "masked_fill",
         "mask of shape " + str(mask.sizes()) + " does not broadcast to " +
             str(sizes()));
  return where(mask, full({}, value, dtype(), loc), *this, loc);
}

Tensor masked_fill(const Tensor &x, const Tensor &mask, Scalar value, Loc loc) {
  return x.masked_fill(mask, value, loc);
}

Tensor Tensor::clamp(std::optional<Scalar> min, std::optional<Scalar> max,
                     Loc loc) const {
  checkDefined(*this, "clamp", loc);
  if (!min && !max)
    fail(loc, "clamp", "at least one of min and max must be given");
  Tensor r = *this;
  if (min)
    r = binary("clamp", "kiln.maximum", r, *min, Kind::Arithmetic, loc);
  if (max)
    r = binary("clamp", "kiln.minimum", r, *max, Kind::Arithmetic, loc);
  return r;
}

Tensor clamp(const Tensor &x, std::optional<Scalar> min,
             std::optional<Scalar> max, Loc loc) {
  return x.clamp(min, max, loc);
}

//===----------------------------------------------------------------------===//
// Operators
//===----------------------------------------------------------------------===//

#define KILN_OPERATOR(sym, name, op, kind)                                     \
  Tensor operator sym(const Tensor &a, const Operand &b) {                     \
    return binary(name, op, a, b.value, kind, b.loc);                          \
  }
KILN_OPERATOR(+, "add", "kiln.add", Kind::Arithmetic)
KILN_OPERATOR(-, "sub", "kiln.sub", Kind::Arithmetic)
KILN_OPERATOR(*, "mul", "kiln.mul", Kind::Arithmetic)
KILN_OPERATOR(/, "div", "kiln.div", Kind::TrueDivide)
KILN_OPERATOR(==, "eq", "kiln.compare", Kind::Compare)
KILN_OPERATOR(!=, "ne", "kiln.compare", Kind::Compare)
KILN_OPERATOR(<, "lt", "kiln.compare", Kind::Compare)
KILN_OPERATOR(<=, "le", "kiln.compare", Kind::Compare)
KILN_OPERATOR(>, "gt", "kiln.compare", Kind::Compare)
KILN_OPERATOR(>=, "ge", "kiln.compare", Kind::Compare)
KILN_OPERATOR(&, "bitwise_and", "kiln.and", Kind::Bitwise)
KILN_OPERATOR(|, "bitwise_or", "kiln.or", Kind::Bitwise)
#undef KILN_OPERATOR

#define KILN_SCALAR_OPERATOR(sym, name, op, kind)                              \
  Tensor operator sym(Scalar a, const Operand &b) {                            \
    return binary(name, op, a, b.value, kind, b.loc);                          \
  }
KILN_SCALAR_OPERATOR(+, "add", "kiln.add", Kind::Arithmetic)
KILN_SCALAR_OPERATOR(-, "sub", "kiln.sub", Kind::Arithmetic)
KILN_SCALAR_OPERATOR(*, "mul", "kiln.mul", Kind::Arithmetic)
KILN_SCALAR_OPERATOR(/, "div", "kiln.div", Kind::TrueDivide)
#undef KILN_SCALAR_OPERATOR

//===----------------------------------------------------------------------===//
// In-place ops
//===----------------------------------------------------------------------===//

namespace {

/// Whether an in-place op may write a `from` result into a `to` tensor
/// (PyTorch's can_cast): no float into an integer, only bool into bool.
bool canCast(ScalarType from, ScalarType to) {
  if (is_floating_point(from) && !is_floating_point(to))
    return false;
  return to != kBool || from == kBool;
}

/// Runs in-place op `name` on `self`: `compute` gives the new value from the
/// old one, which then takes the old one's place.
Tensor &inPlace(Tensor &self, std::string_view name, const Tensor *other,
                const Loc &loc, const std::function<Tensor()> &compute) {
  checkDefined(self, name, loc);
  if (other)
    checkDefined(*other, name, loc);
  checkNotView(self, name, loc);
  if (gradModeEnabled() &&
      (self.requires_grad() || (other && other->requires_grad())))
    fail(loc, name,
         self.requires_grad() && self.is_leaf()
             ? "a leaf tensor that requires grad cannot be changed in place "
               "while gradients are recorded; update it under "
               "kiln::NoGradGuard, as optimizers do"
             : "in-place ops do not record gradients; write `x = x op y` "
               "instead, or use kiln::NoGradGuard");
  Tensor value = compute();
  if (value.sizes() != self.sizes())
    fail(loc, name,
         "the result's shape " + str(value.sizes()) +
             " does not match the tensor's shape " + str(self.sizes()) +
             " written in place");
  if (value.dtype() != self.dtype()) {
    if (!canCast(value.dtype(), self.dtype()))
      fail(loc, name,
           "the result type " + str(value.dtype()) +
               " cannot be cast to the tensor's dtype " + str(self.dtype()) +
               " in place");
    value = convertTo(value, self.dtype(), loc);
  }
  assign(self, value, loc);
  return self;
}

/// `alpha * other`, for add_ and sub_.
Operand scaled(const Operand &other, const Scalar &alpha) {
  if (alpha.kind() != Scalar::Kind::Floating && alpha.to_long() == 1)
    return other;
  if (const Tensor *t = std::get_if<Tensor>(&other.value))
    return Operand(*t * Operand(alpha.to_double(), other.loc), other.loc);
  const Scalar &s = std::get<Scalar>(other.value);
  if (s.kind() == Scalar::Kind::Floating ||
      alpha.kind() == Scalar::Kind::Floating)
    return Operand(s.to_double() * alpha.to_double(), other.loc);
  return Operand(s.to_long() * alpha.to_long(), other.loc);
}

const Tensor *tensorOf(const Operand &operand) {
  return std::get_if<Tensor>(&operand.value);
}

} // namespace

Tensor &Tensor::add_(const Operand &other, Scalar alpha) {
  return inPlace(*this, "add_", tensorOf(other), other.loc,
                 [&] { return *this + scaled(other, alpha); });
}
Tensor &Tensor::sub_(const Operand &other, Scalar alpha) {
  return inPlace(*this, "sub_", tensorOf(other), other.loc,
                 [&] { return *this - scaled(other, alpha); });
}
Tensor &Tensor::mul_(const Operand &other) {
  return inPlace(*this, "mul_", tensorOf(other), other.loc,
                 [&] { return *this * other; });
}
Tensor &Tensor::div_(const Operand &other) {
  return inPlace(*this, "div_", tensorOf(other), other.loc,
                 [&] { return *this / other; });
}
Tensor &Tensor::operator+=(const Operand &other) { return add_(other); }
Tensor &Tensor::operator-=(const Operand &other) { return sub_(other); }
Tensor &Tensor::operator*=(const Operand &other) { return mul_(other); }
Tensor &Tensor::operator/=(const Operand &other) { return div_(other); }

Tensor &Tensor::fill_(Scalar value, Loc loc) {
  return inPlace(*this, "fill_", nullptr, loc,
                 [&] { return full(sizes(), value, dtype(), loc); });
}

Tensor &Tensor::copy_(const Tensor &src, Loc loc) {
  checkDefined(*this, "copy_", loc);
  checkDefined(src, "copy_", loc);
  // Any dtype converts, as PyTorch's copy_ does.
  return inPlace(*this, "copy_", &src, loc, [&] {
    return convertTo(broadcastTo(src, sizes(), "copy_", loc), dtype(), loc);
  });
}

Tensor &Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max,
                       Loc loc) {
  return inPlace(*this, "clamp_", nullptr, loc,
                 [&] { return clamp(min, max, loc); });
}

Tensor &Tensor::relu_(Loc loc) {
  return inPlace(*this, "relu_", nullptr, loc, [&] { return relu(loc); });
}

Tensor operator-(const Tensor &a) { return a.neg(Loc::current()); }

Tensor operator~(const Tensor &a) {
  Loc loc = Loc::current();
  checkDefined(a, "bitwise_not", loc);
  if (a.is_floating_point())
    fail(loc, "bitwise_not",
         "needs an integer or bool tensor, got " + str(a.dtype()));
  return unary("bitwise_not", "kiln.not", a, false, loc);
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

Tensor Tensor::matmul(const Tensor &other, Loc loc) const {
  checkDefined(*this, "matmul", loc);
  checkDefined(other, "matmul", loc);
  const Tensor &a = *this, &b = other;
  if (a.dim() == 0 || b.dim() == 0)
    fail(loc, "matmul",
         "both arguments need at least 1 dimension, got " + str(a.sizes()) +
             " and " + str(b.sizes()));
  if (a.dtype() != b.dtype())
    fail(loc, "matmul",
         "expected both operands to have the same dtype, got " +
             str(a.dtype()) + " and " + str(b.dtype()));
  if (a.dtype() == kBool)
    fail(loc, "matmul", "is not defined for bool tensors");
  // Vectors become matrices for the product and lose that dimension after.
  Tensor lhs = a.dim() == 1 ? a.unsqueeze(0, loc) : a;
  Tensor rhs = b.dim() == 1 ? b.unsqueeze(1, loc) : b;
  int64_t k1 = lhs.size(-1), k2 = rhs.size(-2);
  if (k1 != k2)
    fail(loc, "matmul",
         "shapes " + str(a.sizes()) + " and " + str(b.sizes()) +
             " cannot be multiplied (" + std::to_string(k1) + " vs " +
             std::to_string(k2) + ")");
  Shape lb(lhs.sizes().begin(), lhs.sizes().end() - 2);
  Shape rb(rhs.sizes().begin(), rhs.sizes().end() - 2);
  Shape shape = broadcastShapes(lb, rb, "matmul", loc);
  shape.push_back(lhs.size(-2));
  shape.push_back(rhs.size(-1));
  Tensor product =
      record("kiln.matmul", {lhs, rhs}, {}, {shape, a.dtype()}, loc);
  Shape out = shape;
  if (b.dim() == 1)
    out.erase(out.end() - 1);
  if (a.dim() == 1)
    out.erase(out.end() - (b.dim() == 1 ? 1 : 2));
  return out == shape ? product : product.reshape(out, loc);
}

Tensor Tensor::mm(const Tensor &other, Loc loc) const {
  checkDefined(*this, "mm", loc);
  checkDefined(other, "mm", loc);
  if (dim() != 2 || other.dim() != 2)
    fail(loc, "mm",
         "needs two 2-d tensors, got " + str(sizes()) + " and " +
             str(other.sizes()));
  return matmul(other, loc);
}

Tensor Tensor::bmm(const Tensor &other, Loc loc) const {
  checkDefined(*this, "bmm", loc);
  checkDefined(other, "bmm", loc);
  if (dim() != 3 || other.dim() != 3 || size(0) != other.size(0))
    fail(loc, "bmm",
         "needs two 3-d tensors with equal batch sizes, got " + str(sizes()) +
             " and " + str(other.sizes()));
  return matmul(other, loc);
}

Tensor matmul(const Tensor &a, const Tensor &b, Loc loc) {
  return a.matmul(b, loc);
}
Tensor mm(const Tensor &a, const Tensor &b, Loc loc) { return a.mm(b, loc); }
Tensor bmm(const Tensor &a, const Tensor &b, Loc loc) { return a.bmm(b, loc); }

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

Tensor Tensor::reshape(const Shape &shape, Loc loc) const {
  checkDefined(*this, "reshape", loc);
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
  return markView(record("kiln.reshape", {*this}, {}, {out, dtype()}, loc));
}

Tensor Tensor::view(const Shape &shape, Loc loc) const {
  return reshape(shape, loc);
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
  return markView(record("kiln.transpose", {*this}, {{"permutation", perm}},
                         {out, dtype()}, loc));
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
Tensor reshape(const Tensor &x, const Shape &shape, Loc loc) {
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
             {out, dtype()}, loc));
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

Tensor Tensor::index(std::initializer_list<TensorIndex> indices,
                     Loc loc) const {
  checkDefined(*this, "index", loc);
  int64_t consuming = 0, ellipses = 0;
  for (const TensorIndex &i : indices) {
    if (std::holds_alternative<int64_t>(i.value) ||
        std::holds_alternative<indexing::Slice>(i.value))
      ++consuming;
    if (std::holds_alternative<indexing::EllipsisIndexType>(i.value))
      ++ellipses;
  }
  if (ellipses > 1)
    fail(loc, "index", "an index can only have a single ellipsis");
  if (consuming > dim())
    fail(loc, "index",
         "too many indices (" + std::to_string(consuming) +
             ") for a tensor of shape " + str(sizes()));
  Tensor r = *this;
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
      d += dim() - consuming;
    }
  }
  return r;
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

} // namespace kiln
