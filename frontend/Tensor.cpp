//===- Tensor.cpp - Tensor properties, values and operators ---------------===//
//
// The helpers every op uses (recording, broadcasting, type promotion, the
// elementwise builders), the Tensor handle and its values, conversions and
// the operators. The ops themselves live in one file per family:
// TensorCreation, TensorElementwise, TensorShape, TensorReduction and
// TensorContraction.cpp.
//
// Each op checks shapes and dtypes, applies NumPy broadcasting and PyTorch's
// type promotion with explicit kiln.broadcast_to / kiln.convert, and records
// the kiln op. Errors name the op, the shapes and the caller's file:line.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <cxxabi.h>
#include <optional>

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

Tensor markView(
    Tensor t, const Tensor &base,
    std::function<Tensor(const Tensor &base)> view,
    std::function<Tensor(const Tensor &base, const Tensor &value)> scatter) {
  t.impl()->isView = true;
  // A fresh result only: a view op that returned a tensor it did not make
  // (an expand to the same shape) leaves it as it is.
  if (t.impl() != base.impl())
    t.impl()->viewOf = std::make_shared<ViewOf>(
        ViewOf{base.impl_ptr(), std::move(view), std::move(scatter),
               base.impl()->version});
  return t;
}

void checkNotView(const Tensor &self, std::string_view op, const Loc &loc) {
  if (self.impl()->isView && !self.impl()->viewOf)
    fail(loc, op,
         "the tensor is an expanded view, whose elements alias: a write to "
         "it in place has no single meaning. Write the tensor it expands, or "
         "take a copy with .clone() first");
}

void refreshView(const Tensor &self) {
  ViewOf *of = self.impl()->viewOf.get();
  if (!of)
    return;
  Tensor base = wrap(of->base);
  refreshView(base);
  if (of->baseVersion == of->base->version)
    return;
  Tensor current;
  {
    NoGradGuard noGrad;
    current = of->view(base);
  }
  assign(self, current, Loc::current());
  of->baseVersion = of->base->version;
}

void assignThroughViews(const Tensor &self, const Tensor &value,
                        const Loc &loc) {
  if (ViewOf *of = self.impl()->viewOf.get()) {
    Tensor base = wrap(of->base);
    Tensor written;
    {
      NoGradGuard noGrad;
      written = of->scatter(base, value);
    }
    checkNotView(base, "a write through a view", loc);
    assignThroughViews(base, written, loc);
    of->baseVersion = of->base->version;
  }
  assign(self, value, loc);
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

Tensor widenUnsigned(const Tensor &t, const Loc &loc) {
  Tensor wide = record("kiln.convert", {t}, {}, {t.sizes(), kInt16}, loc);
  static const Scalar byteMask(int64_t{0xff});
  return binary("to", "kiln.and", wide, byteMask, Kind::Bitwise, loc);
}

Tensor convertTo(const Tensor &t, ScalarType dtype, const Loc &loc) {
  if (t.dtype() == dtype)
    return t;
  // uint8 is the IR's signless i8: to a wider type it is zero-extended.
  if (t.dtype() == kUInt8 && dtype != kInt8 && dtype != kBool)
    return convertTo(widenUnsigned(t, loc), dtype, loc);
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

/// Whether two shapes are equal. Inline rather than through memcmp: shapes
/// are short, and a binary op mostly compares an operand's shape with
/// itself.
bool sameShape(IntArrayRef a, IntArrayRef b) {
  if (a.data() == b.data() && a.size() == b.size())
    return true;
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i])
      return false;
  return true;
}

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
    common = get_default_dtype();
  // uint8 compares and takes extrema on its zero-extended values (the IR's
  // i8 is signless); the extrema narrow back.
  if (common == kUInt8 &&
      (kind == Kind::Compare || op == "kiln.maximum" || op == "kiln.minimum")) {
    auto widened = [&](const BinaryOperand &v) -> std::variant<Tensor, Scalar> {
      if (v.tensor)
        return convertTo(*v.tensor, kInt16, loc);
      return *v.scalar;
    };
    auto a = widened(lhs), b = widened(rhs);
    Tensor r = binary(name, op, a, b, kind, loc);
    return kind == Kind::Compare ? r : convertTo(r, kUInt8, loc);
  }
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
    shapePtr = &lhs.tensor->impl()->type.shape;
  } else if (rhs.tensor) {
    shapePtr = &rhs.tensor->impl()->type.shape;
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

Tensor unary(std::string_view name, std::string_view op, const Tensor &x,
             bool floating, const Loc &loc, Attrs attrs) {
  checkDefined(x, name, loc);
  Tensor converted; // x as float32, for a floating op on integers
  if (floating && !is_floating_point(x.dtype()))
    converted = convertTo(x, get_default_dtype(), loc);
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
  case kUInt8: // narrow integers wrap, as a C++ conversion does
    static_cast<uint8_t *>(data)[i] =
        static_cast<uint8_t>(static_cast<int64_t>(v));
    break;
  case kInt8:
    static_cast<int8_t *>(data)[i] =
        static_cast<int8_t>(static_cast<int64_t>(v));
    break;
  case kInt16:
    static_cast<int16_t *>(data)[i] =
        static_cast<int16_t>(static_cast<int64_t>(v));
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

Tensor &Tensor::operator=(const Tensor &other) & {
  if (this != &other)
    *this = Tensor(other);
  return *this;
}

Tensor &Tensor::operator=(const Tensor &other) && {
  copy_(other, Loc::current());
  return *this;
}

Tensor &Tensor::operator=(Scalar value) && {
  fill_(value, Loc::current());
  return *this;
}

Tensor &Tensor::operator=(Tensor &&other) & noexcept {
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

IntArrayRef Tensor::sizes() const { return implOf(*this).type.shape; }
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
  case kUInt8:
    return static_cast<const uint8_t *>(data)[i];
  case kInt8:
    return static_cast<const int8_t *>(data)[i];
  case kInt16:
    return static_cast<const int16_t *>(data)[i];
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

} // namespace detail

Scalar Tensor::item(Loc loc) const {
  detail::checkItem(*this, loc);
  if (dtype() == kBool)
    return Scalar(item<bool>(loc));
  if (!is_floating_point())
    return Scalar(item<int64_t>(loc));
  return Scalar(item<double>(loc));
}

namespace detail {

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
  if (options.requires_grad() && !kiln::is_floating_point(dtype))
    fail(loc, "tensor",
         "only tensors of floating point dtype can require gradients, this "
         "one is " +
             str(dtype));
  auto impl = makeRealized({shape, dtype});
  for (size_t i = 0; i < values.size(); ++i)
    writeElement(impl->storage->data, static_cast<int64_t>(i), dtype,
                 values[i]);
  impl->requires_grad = options.requires_grad();
  return wrap(impl);
}

} // namespace detail

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

Tensor Tensor::to(Device device, ScalarType dtype, Loc loc) const {
  return to(device, loc).to(dtype, loc);
}

Tensor Tensor::to(const TensorOptions &options, bool non_blocking, bool copy,
                  Loc loc) const {
  Tensor moved = to(options.device(), loc);
  if (options.has_dtype())
    moved = moved.to(options.dtype(), loc);
  return copy && moved.is_same(*this) ? clone(loc) : moved;
}

Tensor Tensor::to(const Tensor &other, Loc loc) const {
  checkDefined(other, "to", loc);
  return to(other.device(), other.dtype(), loc);
}

int64_t Tensor::_version() const { return defined() ? impl_->version : 0; }

bool Tensor::is_nonzero(Loc loc) const { return item(loc).toBool(); }
int64_t Tensor::output_nr() const { return defined() ? impl_->result : 0; }

std::string detail::demangledName(const std::type_info &type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void *)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : type.name();
}

void detail::throwIndexOutOfRange(const char *op, size_t i, size_t size) {
  throw Error(std::string(op) + ": index " + std::to_string(i) +
              " is out of range for " + std::to_string(size) + " elements");
}

int64_t IntArrayRef::at(size_t i) const {
  if (i >= size_)
    throw Error("IntArrayRef::at: index " + std::to_string(i) +
                " is out of range for " + std::to_string(size_) + " elements");
  return data_[i];
}

IntArrayRef IntArrayRef::slice(size_t start) const {
  if (start > size_)
    throw Error("IntArrayRef::slice: start " + std::to_string(start) +
                " is past the " + std::to_string(size_) + " elements");
  return slice(start, size_ - start);
}

IntArrayRef IntArrayRef::slice(size_t start, size_t n) const {
  if (start > size_ || n > size_ - start)
    throw Error("IntArrayRef::slice: [" + std::to_string(start) + ", " +
                std::to_string(start + n) + ") is out of range for " +
                std::to_string(size_) + " elements");
  // A bare integer's copy refers to its own element already.
  IntArrayRef result = *this;
  result.size_ = n;
  if (n == 0)
    result.data_ = nullptr;
  else if (data_ != &one_)
    result.data_ = data_ + start;
  return result;
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

} // namespace kiln
