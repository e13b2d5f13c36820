//===- TensorElementwise.cpp - Elementwise and in-place ops ---------------===//
//
// Unary and binary elementwise ops with broadcasting and type promotion,
// and their in-place forms.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Graph.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/ir/Shapes.h"

#include <cmath>
#include <optional>
#include <variant>

namespace kiln {

using detail::EnumValue;

using namespace detail;

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
KILN_FLOAT_UNARY(erf, "kiln.erf")
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
// uint8 is never negative: abs and relu are the identity and sign is
// whether an element is nonzero (the IR's i8 would read 200 as negative).
Tensor Tensor::abs(Loc loc) const {
  if (defined() && dtype() == kUInt8)
    return clone(loc);
  return unary("abs", "kiln.abs", *this, false, loc);
}
Tensor Tensor::relu(Loc loc) const {
  if (defined() && dtype() == kUInt8)
    return clone(loc);
  return unary("relu", "kiln.relu", *this, false, loc);
}
Tensor Tensor::sign(Loc loc) const {
  if (defined() && dtype() == kUInt8)
    return ne(0, loc).to(kUInt8, loc);
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

#define KILN_SCALAR_BINARY(name, op, kind)                                     \
  Tensor Tensor::name(Scalar o, Loc loc) const {                               \
    return binary(#name, op, *this, o, kind, loc);                             \
  }
KILN_SCALAR_BINARY(add, "kiln.add", Kind::Arithmetic)
KILN_SCALAR_BINARY(sub, "kiln.sub", Kind::Arithmetic)
KILN_SCALAR_BINARY(mul, "kiln.mul", Kind::Arithmetic)
KILN_SCALAR_BINARY(div, "kiln.div", Kind::TrueDivide)
KILN_SCALAR_BINARY(eq, "kiln.compare", Kind::Compare)
KILN_SCALAR_BINARY(ne, "kiln.compare", Kind::Compare)
KILN_SCALAR_BINARY(lt, "kiln.compare", Kind::Compare)
KILN_SCALAR_BINARY(le, "kiln.compare", Kind::Compare)
KILN_SCALAR_BINARY(gt, "kiln.compare", Kind::Compare)
KILN_SCALAR_BINARY(ge, "kiln.compare", Kind::Compare)
#undef KILN_SCALAR_BINARY

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
const Tensor &inPlace(const Tensor &self, std::string_view name,
                      const Tensor *other, const Loc &loc,
                      const std::function<Tensor()> &compute) {
  checkDefined(self, name, loc);
  if (other)
    checkDefined(*other, name, loc);
  checkNotView(self, name, loc);
  refreshView(self);
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
  assignThroughViews(self, value, loc);
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

const Tensor &Tensor::add_(const Operand &other, Scalar alpha) const {
  return inPlace(*this, "add_", tensorOf(other), other.loc,
                 [&] { return *this + scaled(other, alpha); });
}
const Tensor &Tensor::sub_(const Operand &other, Scalar alpha) const {
  return inPlace(*this, "sub_", tensorOf(other), other.loc,
                 [&] { return *this - scaled(other, alpha); });
}
const Tensor &Tensor::mul_(const Operand &other) const {
  return inPlace(*this, "mul_", tensorOf(other), other.loc,
                 [&] { return *this * other; });
}
const Tensor &Tensor::div_(const Operand &other) const {
  return inPlace(*this, "div_", tensorOf(other), other.loc,
                 [&] { return *this / other; });
}
Tensor &Tensor::operator+=(const Operand &other) {
  add_(other);
  return *this;
}
Tensor &Tensor::operator-=(const Operand &other) {
  sub_(other);
  return *this;
}
Tensor &Tensor::operator*=(const Operand &other) {
  mul_(other);
  return *this;
}
Tensor &Tensor::operator/=(const Operand &other) {
  div_(other);
  return *this;
}

const Tensor &Tensor::fill_(Scalar value, Loc loc) const {
  return inPlace(*this, "fill_", nullptr, loc,
                 [&] { return full(sizes(), value, dtype(), loc); });
}

const Tensor &Tensor::uniform_(double from, double to, Loc loc) const {
  checkDefined(*this, "uniform_", loc);
  if (!kiln::is_floating_point(dtype()))
    fail(loc, "uniform_", "needs a floating-point tensor, got " + str(dtype()));
  if (!(from <= to))
    fail(loc, "uniform_",
         "expects from <= to, got from=" + std::to_string(from) +
             " and to=" + std::to_string(to));
  return inPlace(*this, "uniform_", nullptr, loc, [&] {
    return uniform(sizes(), dtype(), "uniform_", loc) * (to - from) + from;
  });
}

const Tensor &Tensor::normal_(double mean, double std, Loc loc) const {
  checkDefined(*this, "normal_", loc);
  if (!kiln::is_floating_point(dtype()))
    fail(loc, "normal_", "needs a floating-point tensor, got " + str(dtype()));
  if (!(std >= 0))
    fail(loc, "normal_", "expects std >= 0, got " + std::to_string(std));
  return inPlace(*this, "normal_", nullptr, loc,
                 [&] { return randn(sizes(), dtype(), loc) * std + mean; });
}

const Tensor &Tensor::random_(int64_t from, std::optional<int64_t> to,
                              Loc loc) const {
  checkDefined(*this, "random_", loc);
  int64_t end = 0;
  if (to) {
    end = *to;
  } else {
    switch (dtype()) {
    case kBool:
      end = 2;
      break;
    case kFloat16:
      end = (int64_t{1} << 11) + 1;
      break;
    case kBFloat16:
      end = (int64_t{1} << 8) + 1;
      break;
    case kFloat32:
      end = (int64_t{1} << 24) + 1;
      break;
    case kInt32:
      end = (int64_t{1} << 31) - 1;
      break;
    default: // float64, int64: what a double draw reaches exactly
      end = (int64_t{1} << 53) + 1;
    }
  }
  if (from >= end)
    fail(loc, "random_",
         "expects from < to, got from=" + std::to_string(from) +
             " and to=" + std::to_string(end));
  return inPlace(*this, "random_", nullptr, loc, [&] {
    // floor(from + u (to - from)) for u in [0, 1), in float64, clamped to
    // to - 1 against the rounding of the product.
    double span = static_cast<double>(end - from);
    Tensor draw = (uniform(sizes(), kFloat64, "random_", loc) * span +
                   static_cast<double>(from))
                      .floor(loc)
                      .clamp(std::nullopt, static_cast<double>(end - 1), loc);
    return convertTo(draw, dtype(), loc);
  });
}

const Tensor &Tensor::random_(int64_t to, Loc loc) const {
  return random_(0, to, loc);
}

const Tensor &Tensor::random_(Loc loc) const {
  return random_(0, std::nullopt, loc);
}

const Tensor &Tensor::copy_(const Tensor &src, Loc loc) const {
  checkDefined(*this, "copy_", loc);
  checkDefined(src, "copy_", loc);
  // Any dtype converts, as PyTorch's copy_ does.
  return inPlace(*this, "copy_", &src, loc, [&] {
    return convertTo(broadcastTo(src, sizes(), "copy_", loc), dtype(), loc);
  });
}

const Tensor &Tensor::clamp_(std::optional<Scalar> min,
                             std::optional<Scalar> max, Loc loc) const {
  return inPlace(*this, "clamp_", nullptr, loc,
                 [&] { return clamp(min, max, loc); });
}

const Tensor &Tensor::relu_(Loc loc) const {
  return inPlace(*this, "relu_", nullptr, loc, [&] { return relu(loc); });
}

const Tensor &Tensor::neg_(Loc loc) const {
  return inPlace(*this, "neg_", nullptr, loc, [&] { return neg(loc); });
}
const Tensor &Tensor::abs_(Loc loc) const {
  return inPlace(*this, "abs_", nullptr, loc, [&] { return abs(loc); });
}
const Tensor &Tensor::exp_(Loc loc) const {
  return inPlace(*this, "exp_", nullptr, loc, [&] { return exp(loc); });
}
const Tensor &Tensor::log_(Loc loc) const {
  return inPlace(*this, "log_", nullptr, loc, [&] { return log(loc); });
}
const Tensor &Tensor::log1p_(Loc loc) const {
  return inPlace(*this, "log1p_", nullptr, loc, [&] { return log1p(loc); });
}
const Tensor &Tensor::erf_(Loc loc) const {
  return inPlace(*this, "erf_", nullptr, loc, [&] { return erf(loc); });
}
const Tensor &Tensor::sqrt_(Loc loc) const {
  return inPlace(*this, "sqrt_", nullptr, loc, [&] { return sqrt(loc); });
}
const Tensor &Tensor::rsqrt_(Loc loc) const {
  return inPlace(*this, "rsqrt_", nullptr, loc, [&] { return rsqrt(loc); });
}
const Tensor &Tensor::reciprocal_(Loc loc) const {
  return inPlace(*this, "reciprocal_", nullptr, loc,
                 [&] { return reciprocal(loc); });
}
const Tensor &Tensor::tanh_(Loc loc) const {
  return inPlace(*this, "tanh_", nullptr, loc, [&] { return tanh(loc); });
}
const Tensor &Tensor::sigmoid_(Loc loc) const {
  return inPlace(*this, "sigmoid_", nullptr, loc, [&] { return sigmoid(loc); });
}
const Tensor &Tensor::sin_(Loc loc) const {
  return inPlace(*this, "sin_", nullptr, loc, [&] { return sin(loc); });
}
const Tensor &Tensor::cos_(Loc loc) const {
  return inPlace(*this, "cos_", nullptr, loc, [&] { return cos(loc); });
}
const Tensor &Tensor::sign_(Loc loc) const {
  return inPlace(*this, "sign_", nullptr, loc, [&] { return sign(loc); });
}
const Tensor &Tensor::floor_(Loc loc) const {
  return inPlace(*this, "floor_", nullptr, loc, [&] { return floor(loc); });
}
const Tensor &Tensor::ceil_(Loc loc) const {
  return inPlace(*this, "ceil_", nullptr, loc, [&] { return ceil(loc); });
}
const Tensor &Tensor::round_(Loc loc) const {
  return inPlace(*this, "round_", nullptr, loc, [&] { return round(loc); });
}
const Tensor &Tensor::trunc_(Loc loc) const {
  return inPlace(*this, "trunc_", nullptr, loc, [&] { return trunc(loc); });
}
const Tensor &Tensor::frac_(Loc loc) const {
  return inPlace(*this, "frac_", nullptr, loc, [&] { return frac(loc); });
}
const Tensor &Tensor::pow_(Scalar exponent, Loc loc) const {
  return inPlace(*this, "pow_", nullptr, loc,
                 [&] { return pow(exponent, loc); });
}
const Tensor &Tensor::pow_(const Tensor &exponent, Loc loc) const {
  return inPlace(*this, "pow_", &exponent, loc,
                 [&] { return pow(exponent, loc); });
}
const Tensor &Tensor::clamp_min_(Scalar min, Loc loc) const {
  return inPlace(*this, "clamp_min_", nullptr, loc,
                 [&] { return clamp(min, std::nullopt, loc); });
}
const Tensor &Tensor::clamp_max_(Scalar max, Loc loc) const {
  return inPlace(*this, "clamp_max_", nullptr, loc,
                 [&] { return clamp(std::nullopt, max, loc); });
}
const Tensor &Tensor::masked_fill_(const Tensor &mask, Scalar value,
                                   Loc loc) const {
  return inPlace(*this, "masked_fill_", nullptr, loc,
                 [&] { return masked_fill(mask, value, loc); });
}
const Tensor &Tensor::remainder_(Scalar other, Loc loc) const {
  return inPlace(*this, "remainder_", nullptr, loc,
                 [&] { return remainder(other, loc); });
}
const Tensor &Tensor::fmod_(Scalar other, Loc loc) const {
  return inPlace(*this, "fmod_", nullptr, loc,
                 [&] { return fmod(other, loc); });
}
const Tensor &Tensor::lerp_(const Tensor &end, Scalar weight, Loc loc) const {
  return inPlace(*this, "lerp_", &end, loc,
                 [&] { return lerp(end, weight, loc); });
}
const Tensor &Tensor::fill_diagonal_(Scalar value, bool wrap, Loc loc) const {
  checkDefined(*this, "fill_diagonal_", loc);
  if (dim() < 2)
    fail(loc, "fill_diagonal_",
         "needs at least 2 dimensions, got " + str(sizes()));
  for (int64_t d = 1; d < dim() && dim() > 2; ++d)
    if (size(d) != size(0))
      fail(loc, "fill_diagonal_",
           "a tensor of more than 2 dimensions must have all sizes equal, "
           "got " +
               str(sizes()));
  return inPlace(*this, "fill_diagonal_", nullptr, loc, [&] {
    // Element (i, i, ...) of the flattened row-major order: every
    // (1 + size(1) + size(1) size(2) + ...)-th one; for a tall matrix
    // with `wrap`, the diagonal starts again after each block of
    // size(1) + 1 rows (PyTorch's numpy-style wrap).
    int64_t step = 0, stride = 1;
    for (int64_t d = dim() - 1; d >= 0; --d) {
      step += stride;
      stride *= size(d);
    }
    int64_t count = numel();
    int64_t rows = size(0), cols = size(1);
    int64_t limit = dim() == 2 && !wrap ? std::min(rows, cols) * cols : count;
    Tensor position = arange(count, kInt64, loc);
    Tensor on = position.remainder(step, loc) == 0;
    on = on & (position < limit);
    return where(on.reshape(sizes(), loc), full({}, value, dtype(), loc), *this,
                 loc);
  });
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
// Closeness and equality of whole tensors
//===----------------------------------------------------------------------===//

Tensor isclose(const Tensor &a, const Tensor &b, double rtol, double atol,
               bool equal_nan, Loc loc) {
  checkDefined(a, "isclose", loc);
  checkDefined(b, "isclose", loc);
  if (a.dtype() != b.dtype())
    fail(loc, "isclose",
         "the tensors must have the same dtype, got " + str(a.dtype()) +
             " and " + str(b.dtype()));
  broadcastShapes(a.sizes(), b.sizes(), "isclose", loc);
  if (!(rtol >= 0) || !(atol >= 0))
    fail(loc, "isclose",
         "rtol and atol must be >= 0, got rtol=" + std::to_string(rtol) +
             " and atol=" + std::to_string(atol));
  Tensor close = a.eq(b, loc);
  if (a.dtype() == kBool || (rtol == 0 && atol == 0))
    return close;
  Tensor x = a, y = b;
  if (!a.is_floating_point()) {
    x = convertTo(a, kFloat32, loc);
    y = convertTo(b, kFloat32, loc);
  }
  if (equal_nan)
    close =
        logical_or(close, logical_and(x.ne(x, loc), y.ne(y, loc), loc), loc);
  // Infinities are close only to themselves, which `close` already holds:
  // the error must be finite (NaN and infinity fail `< infinity`).
  Tensor error = x.sub(y, loc).abs(loc);
  Tensor allowed = y.mul(splat({}, x.dtype(), rtol, loc), loc)
                       .abs(loc)
                       .add(splat({}, x.dtype(), atol, loc), loc);
  Tensor finite = error.lt(splat({}, x.dtype(), INFINITY, loc), loc);
  return logical_or(close, logical_and(finite, error.le(allowed, loc), loc),
                    loc);
}

bool allclose(const Tensor &a, const Tensor &b, double rtol, double atol,
              bool equal_nan, Loc loc) {
  NoGradGuard noGrad;
  return isclose(a, b, rtol, atol, equal_nan, loc).all(loc).item<bool>(loc);
}

bool Tensor::allclose(const Tensor &other, double rtol, double atol,
                      bool equal_nan, Loc loc) const {
  return kiln::allclose(*this, other, rtol, atol, equal_nan, loc);
}

bool equal(const Tensor &a, const Tensor &b, Loc loc) {
  checkDefined(a, "equal", loc);
  checkDefined(b, "equal", loc);
  if (a.sizes() != b.sizes())
    return false;
  NoGradGuard noGrad;
  return a.eq(b, loc).all(loc).item<bool>(loc);
}

bool Tensor::equal(const Tensor &other, Loc loc) const {
  return kiln::equal(*this, other, loc);
}

} // namespace kiln
