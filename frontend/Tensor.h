//===- Tensor.h - The Tensor handle and the ops on it -----------*- C++ -*-===//
//
// Tensors look eager but are lazy: each op is recorded with its result shape
// and dtype (checked at once, errors name the caller's line), and computed
// when a value is needed (item, to_vector, data_ptr, printing, kiln::sync).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_TENSOR_H
#define KILN_FRONTEND_TENSOR_H

#include "kiln/frontend/Types.h"

#include <algorithm>
#include <concepts>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <variant>
#include <vector>

namespace kiln {

namespace detail {
struct TensorImpl;
} // namespace detail
namespace autograd {
class Node;
} // namespace autograd

class Tensor;
using Shape = std::vector<int64_t>;
using Loc = SourceLocation;

namespace detail {
/// A kiln::Error: index `i` of `op` is out of range for `size` elements.
[[noreturn]] void throwIndexOutOfRange(const char *op, size_t i, size_t size);
/// The readable name of a C++ type ("int", "kiln::Tensor").
std::string demangledName(const std::type_info &type);
} // namespace detail

/// Sizes or dimensions as an argument (LibTorch's IntArrayRef): `{2, 3}`, a
/// Shape such as `x.sizes()`, or a bare integer, `5` meaning `{5}`. It refers
/// to the caller's values, so it lives no longer than the call it is
/// passed to.
class IntArrayRef {
public:
  using value_type = int64_t;
  using iterator = const int64_t *;
  using const_iterator = const int64_t *;
  IntArrayRef() = default;
  IntArrayRef(int64_t size) : one_(size), data_(&one_), size_(1) {}
  IntArrayRef(std::initializer_list<int64_t> sizes)
      : data_(sizes.begin()), size_(sizes.size()) {}
  IntArrayRef(const Shape &sizes) : data_(sizes.data()), size_(sizes.size()) {}
  IntArrayRef(const int64_t *data, size_t size) : data_(data), size_(size) {}
  IntArrayRef(const IntArrayRef &other) { *this = other; }
  IntArrayRef &operator=(const IntArrayRef &other) {
    one_ = other.one_;
    data_ = other.data_ == &other.one_ ? &one_ : other.data_;
    size_ = other.size_;
    return *this;
  }

  const int64_t *begin() const { return data_; }
  const int64_t *end() const { return data_ + size_; }
  const int64_t *data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t operator[](size_t i) const { return data_[i]; }
  /// A copy that outlives the call.
  Shape vec() const { return Shape(begin(), end()); }
  /* implicit */ operator Shape() const { return vec(); }
  /* implicit */ operator std::span<const int64_t>() const {
    return {data_, size_};
  }
  /// The first and last elements, checked.
  int64_t front() const { return at(0); }
  int64_t back() const { return at(size_ - 1); }
  /// The element at `i`, checked.
  int64_t at(size_t i) const;
  /// The `n` elements from `start` (all from `start` without `n`).
  IntArrayRef slice(size_t start) const;
  IntArrayRef slice(size_t start, size_t n) const;
  bool equals(IntArrayRef other) const {
    return std::equal(begin(), end(), other.begin(), other.end());
  }
  friend bool operator==(IntArrayRef a, IntArrayRef b) { return a.equals(b); }

private:
  int64_t one_ = 0;
  const int64_t *data_ = nullptr;
  size_t size_ = 0;
};

/// A list of values as an argument (LibTorch's ArrayRef): `{1, 2, 3}`, a
/// vector or one value. Like IntArrayRef it refers to the caller's values.
template <typename T> class ArrayRef {
public:
  using value_type = T;
  using iterator = const T *;
  using const_iterator = const T *;
  ArrayRef() = default;
  ArrayRef(const T &one) : data_(&one), size_(1) {}
  ArrayRef(std::initializer_list<T> values)
      : data_(values.begin()), size_(values.size()) {}
  template <typename A>
  ArrayRef(const std::vector<T, A> &values)
    requires(!std::is_same_v<T, bool>)
      : data_(values.data()), size_(values.size()) {}
  ArrayRef(const T *data, size_t size) : data_(data), size_(size) {}

  const T *begin() const { return data_; }
  const T *end() const { return data_ + size_; }
  const T *data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T &operator[](size_t i) const { return data_[i]; }
  const T &front() const { return at(0); }
  const T &back() const { return at(size_ - 1); }
  /// The element at `i`, checked.
  const T &at(size_t i) const {
    if (i >= size_)
      throwOutOfRange(i, size_);
    return data_[i];
  }
  /// A copy that outlives the call.
  std::vector<T> vec() const { return std::vector<T>(begin(), end()); }
  operator std::vector<T>() const { return vec(); }
  operator IntArrayRef() const
    requires std::is_same_v<T, int64_t>
  {
    return IntArrayRef(data_, size_);
  }

private:
  [[noreturn]] static void throwOutOfRange(size_t i, size_t size) {
    detail::throwIndexOutOfRange("ArrayRef::at", i, size);
  }
  const T *data_ = nullptr;
  size_t size_ = 0;
};

class Tensor;
/// LibTorch's list of tensors as an argument.
using TensorList = ArrayRef<Tensor>;

/// A tensor handle. Copies share the same tensor, as in PyTorch.
class Tensor {
public:
  /// An undefined tensor (`defined()` is false).
  Tensor() = default;
  explicit Tensor(std::shared_ptr<detail::TensorImpl> impl);
  // Handles are counted: a realize computes every pending tensor that a
  // handle still refers to, along with the one asked for.
  Tensor(const Tensor &other);
  Tensor(Tensor &&other) noexcept;
  Tensor &operator=(const Tensor &other) &;
  Tensor &operator=(Tensor &&other) & noexcept;
  /// Assigning to a temporary writes into the tensor it views, as in
  /// LibTorch: `t[0] = v` and `t.index({Slice(), 1}) = 0` are `copy_(v)`
  /// and `fill_(0)` of that view (and so of `t`).
  Tensor &operator=(const Tensor &other) &&;
  Tensor &operator=(Scalar value) &&;
  ~Tensor();

  bool defined() const { return impl_ != nullptr; }

  // --- Properties -----------------------------------------------------------
  /// The sizes, as LibTorch's IntArrayRef (a Shape where one is needed:
  /// `Shape s = x.sizes()`); it refers to the tensor's own, so it lives no
  /// longer than the tensor's shape stays the same.
  IntArrayRef sizes() const;
  IntArrayRef shape() const { return sizes(); }
  /// The size of dimension `dim` (negative counts from the end).
  int64_t size(int64_t dim, Loc loc = Loc::current()) const;
  int64_t dim() const { return static_cast<int64_t>(sizes().size()); }
  int64_t ndimension() const { return dim(); }
  int64_t numel() const;
  ScalarType dtype() const;
  ScalarType scalar_type() const { return dtype(); }
  Device device() const;
  TensorOptions options() const;
  /// Kiln materializes every result densely, so this is always true; it
  /// exists so that PyTorch code calling it ports unchanged.
  bool is_contiguous() const { return true; }
  bool is_floating_point() const { return kiln::is_floating_point(dtype()); }
  /// Whether the value is still to be computed (recorded, not realized).
  bool is_pending() const;

  // --- Values (these realize) -----------------------------------------------
  /// The single element, converted to T; throws unless numel() == 1.
  template <typename T> T item(Loc loc = Loc::current()) const;
  /// The single element as a Scalar: a bool, an int64 for integer dtypes or
  /// a double for floating ones (`x.item().toDouble()`).
  Scalar item(Loc loc = Loc::current()) const;
  /// Whether every element of this and `other` (broadcast together) is
  /// close: |this - other| <= atol + rtol * |other| (see kiln::isclose).
  bool allclose(const Tensor &other, double rtol = 1e-05, double atol = 1e-08,
                bool equal_nan = false, Loc loc = Loc::current()) const;
  /// Whether `other` has the same sizes and the same elements (NaN equals
  /// nothing).
  bool equal(const Tensor &other, Loc loc = Loc::current()) const;
  /// Every element in row-major order, converted to T.
  template <typename T>
  std::vector<T> to_vector(Loc loc = Loc::current()) const;
  /// The buffer; T must match dtype(). Writes through it change the tensor.
  template <typename T> T *data_ptr(Loc loc = Loc::current()) const;
  /// LibTorch's older spelling of data_ptr<T>().
  template <typename T> T *data(Loc loc = Loc::current()) const {
    return data_ptr<T>(loc);
  }
  void *data_ptr() const;

  // --- Conversions ----------------------------------------------------------
  Tensor to(ScalarType dtype, Loc loc = Loc::current()) const;
  Tensor to(Device device, Loc loc = Loc::current()) const;
  Tensor to(DeviceType device, Loc loc = Loc::current()) const {
    return to(Device(device), loc);
  }
  Tensor to(Device device, ScalarType dtype, Loc loc = Loc::current()) const;
  /// The options' device, and dtype where they name one.
  Tensor to(const TensorOptions &options, bool non_blocking = false,
            bool copy = false, Loc loc = Loc::current()) const;
  /// `other`'s dtype and device.
  Tensor to(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor type_as(const Tensor &other, Loc loc = Loc::current()) const {
    return to(other.dtype(), loc);
  }
  Tensor cpu(Loc loc = Loc::current()) const { return to(kCPU, loc); }
  Tensor cuda(Loc loc = Loc::current()) const { return to(kCUDA, loc); }
  Tensor contiguous() const { return *this; }
  /// The strides of a row-major tensor of this shape (Kiln's tensors are
  /// values: every one is contiguous), in elements.
  std::vector<int64_t> strides() const;
  int64_t stride(int64_t dim) const;
  /// 0: a tensor starts at its own first element.
  int64_t storage_offset() const { return 0; }
  /// Bytes per element, and of all elements.
  int64_t element_size() const;
  int64_t nbytes() const { return numel() * element_size(); }
  /// Whether the dtype holds negative values (every one but bool).
  bool is_signed() const;
  bool is_same_size(const Tensor &other) const;
  /// Whether both handles are the same tensor.
  bool is_same(const Tensor &other) const { return impl_ == other.impl_; }
  /// LibTorch's since tensors and variables merged: true for every tensor.
  bool is_variable() const { return defined(); }
  Layout layout() const { return kStrided; }
  bool is_cpu() const { return device().is_cpu(); }
  bool is_cuda() const { return device().is_cuda(); }
  /// The device index; -1 on the cpu, as in LibTorch.
  int64_t get_device() const { return is_cpu() ? -1 : device().index(); }
  /// How many times this tensor was written in place.
  int64_t _version() const;
  /// The single element as a bool; throws unless numel() == 1.
  bool is_nonzero(Loc loc = Loc::current()) const;
  /// Which result of the op that computed it this tensor is (0 for a leaf
  /// and for single-result ops).
  int64_t output_nr() const;
  Tensor clone(Loc loc = Loc::current()) const;
  /// The tensor as `dtype` (LibTorch's older spelling of `to(dtype)`).
  Tensor toType(ScalarType dtype, Loc loc = Loc::current()) const {
    return to(dtype, loc);
  }

  // --- Elementwise ----------------------------------------------------------
  Tensor neg(Loc loc = Loc::current()) const;
  Tensor abs(Loc loc = Loc::current()) const;
  Tensor exp(Loc loc = Loc::current()) const;
  Tensor log(Loc loc = Loc::current()) const;
  Tensor log1p(Loc loc = Loc::current()) const;
  Tensor erf(Loc loc = Loc::current()) const;
  Tensor sqrt(Loc loc = Loc::current()) const;
  Tensor rsqrt(Loc loc = Loc::current()) const;
  Tensor reciprocal(Loc loc = Loc::current()) const;
  Tensor tanh(Loc loc = Loc::current()) const;
  Tensor sigmoid(Loc loc = Loc::current()) const;
  Tensor relu(Loc loc = Loc::current()) const;
  Tensor sin(Loc loc = Loc::current()) const;
  Tensor cos(Loc loc = Loc::current()) const;
  Tensor sign(Loc loc = Loc::current()) const;
  Tensor floor(Loc loc = Loc::current()) const;
  Tensor logical_not(Loc loc = Loc::current()) const;
  Tensor pow(const Tensor &exponent, Loc loc = Loc::current()) const;
  Tensor pow(Scalar exponent, Loc loc = Loc::current()) const;
  Tensor add(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor sub(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor mul(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor div(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor maximum(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor minimum(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor eq(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor ne(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor lt(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor le(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor gt(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor ge(const Tensor &other, Loc loc = Loc::current()) const;
  /// The same with a number: `t.add(1)`, `t.eq(0)`.
  Tensor add(Scalar other, Loc loc = Loc::current()) const;
  Tensor sub(Scalar other, Loc loc = Loc::current()) const;
  Tensor mul(Scalar other, Loc loc = Loc::current()) const;
  Tensor div(Scalar other, Loc loc = Loc::current()) const;
  Tensor eq(Scalar other, Loc loc = Loc::current()) const;
  Tensor ne(Scalar other, Loc loc = Loc::current()) const;
  Tensor lt(Scalar other, Loc loc = Loc::current()) const;
  Tensor le(Scalar other, Loc loc = Loc::current()) const;
  Tensor gt(Scalar other, Loc loc = Loc::current()) const;
  Tensor ge(Scalar other, Loc loc = Loc::current()) const;
  Tensor clamp(std::optional<Scalar> min, std::optional<Scalar> max = {},
               Loc loc = Loc::current()) const;
  Tensor masked_fill(const Tensor &mask, Scalar value,
                     Loc loc = Loc::current()) const;

  // --- Contractions
  // -----------------------------------------------------------
  Tensor matmul(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor mm(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor bmm(const Tensor &other, Loc loc = Loc::current()) const;

  // --- Shape
  // ------------------------------------------------------------------
  Tensor reshape(IntArrayRef shape, Loc loc = Loc::current()) const;
  Tensor view(IntArrayRef shape, Loc loc = Loc::current()) const;
  /// This tensor with `other`'s sizes.
  Tensor view_as(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1,
                 Loc loc = Loc::current()) const;
  Tensor squeeze(Loc loc = Loc::current()) const;
  Tensor squeeze(int64_t dim, Loc loc = Loc::current()) const;
  Tensor unsqueeze(int64_t dim, Loc loc = Loc::current()) const;
  Tensor expand(const Shape &shape, Loc loc = Loc::current()) const;
  Tensor expand_as(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor t(Loc loc = Loc::current()) const;
  Tensor transpose(int64_t dim0, int64_t dim1, Loc loc = Loc::current()) const;
  Tensor permute(const Shape &dims, Loc loc = Loc::current()) const;
  Tensor slice(int64_t dim = 0, std::optional<int64_t> start = {},
               std::optional<int64_t> end = {}, int64_t step = 1,
               Loc loc = Loc::current()) const;
  Tensor select(int64_t dim, int64_t index, Loc loc = Loc::current()) const;
  /// `select(0, index)`: `t[i]` reads row i (a view).
  Tensor operator[](int64_t index) const { return select(0, index); }
  Tensor narrow(int64_t dim, int64_t start, int64_t length,
                Loc loc = Loc::current()) const;
  Tensor index_select(int64_t dim, const Tensor &index,
                      Loc loc = Loc::current()) const;
  std::vector<Tensor> chunk(int64_t chunks, int64_t dim = 0,
                            Loc loc = Loc::current()) const;
  std::vector<Tensor> split(int64_t split_size, int64_t dim = 0,
                            Loc loc = Loc::current()) const;

  // --- Reductions
  // -------------------------------------------------------------
  Tensor sum(Loc loc = Loc::current()) const;
  Tensor sum(const Shape &dims, bool keepdim = false,
             Loc loc = Loc::current()) const;
  Tensor sum(int64_t dim, bool keepdim = false, Loc loc = Loc::current()) const;
  Tensor mean(Loc loc = Loc::current()) const;
  Tensor mean(const Shape &dims, bool keepdim = false,
              Loc loc = Loc::current()) const;
  Tensor mean(int64_t dim, bool keepdim = false,
              Loc loc = Loc::current()) const;
  /// The maximum of all elements.
  Tensor max(Loc loc = Loc::current()) const;
  /// (values, indices) of the maximum along `dim`.
  std::tuple<Tensor, Tensor> max(int64_t dim, bool keepdim = false,
                                 Loc loc = Loc::current()) const;
  Tensor min(Loc loc = Loc::current()) const;
  std::tuple<Tensor, Tensor> min(int64_t dim, bool keepdim = false,
                                 Loc loc = Loc::current()) const;
  Tensor amax(const Shape &dims, bool keepdim = false,
              Loc loc = Loc::current()) const;
  Tensor amin(const Shape &dims, bool keepdim = false,
              Loc loc = Loc::current()) const;
  /// Index of the maximum over all elements (flattened), or along `dim`.
  Tensor argmax(std::optional<int64_t> dim = {}, bool keepdim = false,
                Loc loc = Loc::current()) const;
  Tensor argmin(std::optional<int64_t> dim = {}, bool keepdim = false,
                Loc loc = Loc::current()) const;
  Tensor softmax(int64_t dim, Loc loc = Loc::current()) const;
  Tensor log_softmax(int64_t dim, Loc loc = Loc::current()) const;
  /// The p-norm of all elements: (sum |x|^p)^(1/p); p may be 0 (the count
  /// of nonzeros) or +-infinity (the largest or smallest |x|).
  Tensor norm(Scalar p = 2, Loc loc = Loc::current()) const;
  /// The p-norm over `dim` (none, `{}`, means all); no `p` means 2.
  Tensor norm(std::optional<Scalar> p, IntArrayRef dim, bool keepdim = false,
              Loc loc = Loc::current()) const;
  /// The variance of all elements, divided by N - 1 (Bessel's correction).
  Tensor var(Loc loc = Loc::current()) const;
  /// The variance, divided by N - 1 if `unbiased`, else by N. Only a bool
  /// selects this overload: `x.var(1)` is the variance over dimension 1.
  template <std::same_as<bool> Bool>
  Tensor var(Bool unbiased, Loc loc = Loc::current()) const {
    return var(IntArrayRef{}, unbiased, false, loc);
  }
  /// The variance over `dim` (none, `{}`, means all).
  Tensor var(IntArrayRef dim, bool unbiased = true, bool keepdim = false,
             Loc loc = Loc::current()) const;
  /// The standard deviation: the square root of var().
  Tensor std(Loc loc = Loc::current()) const;
  template <std::same_as<bool> Bool>
  Tensor std(Bool unbiased, Loc loc = Loc::current()) const {
    return std(IntArrayRef{}, unbiased, false, loc);
  }
  Tensor std(IntArrayRef dim, bool unbiased = true, bool keepdim = false,
             Loc loc = Loc::current()) const;
  /// Whether every element is nonzero, as a bool tensor.
  Tensor all(Loc loc = Loc::current()) const;
  Tensor all(int64_t dim, bool keepdim = false, Loc loc = Loc::current()) const;
  /// Whether any element is nonzero, as a bool tensor.
  Tensor any(Loc loc = Loc::current()) const;
  Tensor any(int64_t dim, bool keepdim = false, Loc loc = Loc::current()) const;

  // --- Composed of the ops above (frontend/TensorComposite.cpp): each is
  // differentiable through them.
  /// The remainder with the divisor's sign (Python's %, `t % 3`), and with
  /// the dividend's (C's fmod). Integers are exact up to 2^53.
  Tensor remainder(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor remainder(Scalar other, Loc loc = Loc::current()) const;
  Tensor fmod(const Tensor &other, Loc loc = Loc::current()) const;
  Tensor fmod(Scalar other, Loc loc = Loc::current()) const;
  Tensor trunc(Loc loc = Loc::current()) const;
  Tensor ceil(Loc loc = Loc::current()) const;
  Tensor round(Loc loc = Loc::current()) const;
  Tensor frac(Loc loc = Loc::current()) const;
  Tensor isnan(Loc loc = Loc::current()) const;
  Tensor isinf(Loc loc = Loc::current()) const;
  Tensor isfinite(Loc loc = Loc::current()) const;
  /// NaN to `nan`, +-infinity to `posinf`/`neginf` (default: the dtype's
  /// largest and lowest finite values).
  Tensor nan_to_num(std::optional<double> nan = 0.0,
                    std::optional<double> posinf = std::nullopt,
                    std::optional<double> neginf = std::nullopt,
                    Loc loc = Loc::current()) const;
  Tensor clamp_min(Scalar min, Loc loc = Loc::current()) const;
  Tensor clamp_max(Scalar max, Loc loc = Loc::current()) const;
  /// self + weight * (end - self).
  Tensor lerp(const Tensor &end, Scalar weight, Loc loc = Loc::current()) const;
  Tensor lerp(const Tensor &end, const Tensor &weight,
              Loc loc = Loc::current()) const;
  /// beta * self + alpha * (mat1 @ mat2).
  Tensor addmm(const Tensor &mat1, const Tensor &mat2, Scalar beta = 1,
               Scalar alpha = 1, Loc loc = Loc::current()) const;
  /// The outer product of two vectors.
  Tensor outer(const Tensor &vec2, Loc loc = Loc::current()) const;
  /// The inner product of two vectors.
  Tensor dot(const Tensor &other, Loc loc = Loc::current()) const;
  /// The product of all elements, or along `dim`.
  Tensor prod(Loc loc = Loc::current()) const;
  Tensor prod(int64_t dim, bool keepdim = false,
              Loc loc = Loc::current()) const;
  /// log(sum(exp(x))) over `dim`, computed without overflow.
  Tensor logsumexp(IntArrayRef dim, bool keepdim = false,
                   Loc loc = Loc::current()) const;
  /// Running sums and products along `dim` (integers and bools give int64).
  Tensor cumsum(int64_t dim, Loc loc = Loc::current()) const;
  Tensor cumprod(int64_t dim, Loc loc = Loc::current()) const;
  /// The elements in reverse order along each of `dims`.
  Tensor flip(IntArrayRef dims, Loc loc = Loc::current()) const;
  /// The elements shifted cyclically by `shifts` along `dims` (none: the
  /// flattened tensor, reshaped back).
  Tensor roll(IntArrayRef shifts, IntArrayRef dims = {},
              Loc loc = Loc::current()) const;
  /// The lower (upper) triangle of the last two dimensions, from diagonal
  /// `diagonal` on; the rest zero.
  Tensor tril(int64_t diagonal = 0, Loc loc = Loc::current()) const;
  Tensor triu(int64_t diagonal = 0, Loc loc = Loc::current()) const;
  /// A vector's diagonal matrix, or a matrix's diagonal as a vector.
  Tensor diag(int64_t diagonal = 0, Loc loc = Loc::current()) const;
  /// The sum of a matrix's diagonal.
  Tensor trace(Loc loc = Loc::current()) const;
  /// The tensor tiled `repeats` times along each dimension (more repeats
  /// than dimensions add leading ones).
  Tensor repeat(IntArrayRef repeats, Loc loc = Loc::current()) const;
  /// The slices along `dim`.
  std::vector<Tensor> unbind(int64_t dim = 0, Loc loc = Loc::current()) const;
  /// out[...i...] = self[...index[...i...]...] along `dim`; `index` has
  /// this tensor's rank and no larger sizes elsewhere. An index out of
  /// range is a kiln::Error (the indices are computed to check them).
  Tensor gather(int64_t dim, const Tensor &index,
                Loc loc = Loc::current()) const;
  /// A copy with `src`'s elements added (written) at `index` along `dim`;
  /// of repeated indices scatter keeps the last write.
  Tensor scatter_add(int64_t dim, const Tensor &index, const Tensor &src,
                     Loc loc = Loc::current()) const;
  Tensor scatter(int64_t dim, const Tensor &index, const Tensor &src,
                 Loc loc = Loc::current()) const;
  Tensor scatter(int64_t dim, const Tensor &index, Scalar value,
                 Loc loc = Loc::current()) const;
  /// (values, indices) in ascending (descending) order along `dim`; NaN
  /// sorts as the largest. It compares every pair of a slice, so it suits
  /// slices of up to a few thousand elements.
  std::tuple<Tensor, Tensor> sort(int64_t dim = -1, bool descending = false,
                                  Loc loc = Loc::current()) const;
  Tensor argsort(int64_t dim = -1, bool descending = false,
                 Loc loc = Loc::current()) const;
  /// The `k` largest (smallest) elements along `dim`, in order, and their
  /// indices.
  std::tuple<Tensor, Tensor> topk(int64_t k, int64_t dim = -1,
                                  bool largest = true, bool sorted = true,
                                  Loc loc = Loc::current()) const;
  /// Fills with 1 with probability `p`, else 0.
  const Tensor &bernoulli_(double p = 0.5, Loc loc = Loc::current()) const;
  /// The indices of the nonzero elements, [count, dim] int64, in row-major
  /// order (computed now: the count depends on the values).
  Tensor nonzero(Loc loc = Loc::current()) const;
  Tensor argwhere(Loc loc = Loc::current()) const { return nonzero(loc); }
  /// The elements where `mask` (broadcast with this tensor) is true, as a
  /// vector; differentiable in this tensor.
  Tensor masked_select(const Tensor &mask, Loc loc = Loc::current()) const;
  /// The lower median of all elements, or (values, indices) along `dim`.
  Tensor median(Loc loc = Loc::current()) const;
  std::tuple<Tensor, Tensor> median(int64_t dim, bool keepdim = false,
                                    Loc loc = Loc::current()) const;
  /// The k-th smallest element (k from 1) along `dim`, and its index.
  std::tuple<Tensor, Tensor> kthvalue(int64_t k, int64_t dim = -1,
                                      bool keepdim = false,
                                      Loc loc = Loc::current()) const;

  // --- Autograd (see Autograd.h)
  // ----------------------------------------------
  /// Marks a leaf as needing gradients; a pending leaf is computed first.
  const Tensor &requires_grad_(bool requires_grad = true,
                               Loc loc = Loc::current()) const;
  bool requires_grad() const;
  /// LibTorch's setter form of requires_grad_().
  const Tensor &set_requires_grad(bool requires_grad,
                                  Loc loc = Loc::current()) const {
    return requires_grad_(requires_grad, loc);
  }
  /// The gradient accumulated by backward(); undefined until one ran.
  const Tensor &grad() const;
  /// The gradient slot itself, to reset or replace it.
  Tensor &mutable_grad() const;
  /// Records the gradient of this tensor with respect to every leaf that
  /// requires grad; they are computed at the next sync point, in the same
  /// program as the forward. Scalars need no `gradient`. The history is
  /// kept for another backward with `retain_graph`, which defaults to
  /// `create_graph`. On a leaf that requires grad, the gradient (one for a
  /// scalar) accumulates into its own .grad(), as in PyTorch.
  void backward(const Tensor &gradient = {},
                std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false,
                std::optional<TensorList> inputs = std::nullopt,
                Loc loc = Loc::current()) const;
  void backward(const Tensor &gradient, std::optional<bool> retain_graph,
                bool create_graph, Loc loc) const {
    backward(gradient, retain_graph, create_graph, std::nullopt, loc);
  }
  /// Makes backward() fill .grad() of this non-leaf tensor too (leaves
  /// always get theirs).
  void retain_grad();
  /// Whether this non-leaf tensor had retain_grad() (false for leaves, as
  /// in PyTorch).
  bool retains_grad() const;
  /// Calls `hook(grad)` with the gradient of this tensor; a hook that
  /// returns a tensor replaces the gradient with it
  /// (`x.register_hook([](kiln::Tensor g) { return g * 2; })`). Returns a
  /// handle for remove_hook. On a leaf the hook sees each gradient that
  /// backward() accumulates. On a computed tensor it changes the gradient
  /// that flows on to the tensor's inputs (from every use of it); such a
  /// hook is recorded, like a custom Function's backward, on a placeholder
  /// gradient when a backward is requested, so it can compute with the
  /// gradient but not read its values.
  template <typename Hook>
  unsigned register_hook(Hook &&hook, Loc loc = Loc::current()) const {
    if constexpr (std::is_void_v<std::invoke_result_t<Hook, Tensor>>)
      return registerHook(
          [hook = std::forward<Hook>(hook)](const Tensor &grad) mutable {
            hook(grad);
            return Tensor();
          },
          loc);
    else
      return registerHook(
          [hook = std::forward<Hook>(hook)](const Tensor &grad) mutable {
            return Tensor(hook(grad));
          },
          loc);
  }
  void remove_hook(unsigned handle) const;
  /// The same value, without autograd history.
  Tensor detach() const;
  /// LibTorch's `.data()`: the same values without history, as detach().
  Tensor data() const { return detach(); }
  /// The same values, without history (LibTorch's tensor_data()).
  Tensor tensor_data() const { return detach(); }
  /// Makes this tensor (every handle of it, a module's parameter included)
  /// hold `new_data`'s value, shape and dtype from now on; ops recorded
  /// before keep reading the old value. Its requires_grad stays.
  void set_data(const Tensor &new_data) const;
  /// Drops this tensor's autograd history, in place: every handle of it
  /// becomes a leaf that does not require grad.
  const Tensor &detach_() const;
  /// Whether this is a leaf of the autograd graph (no history).
  bool is_leaf() const;
  /// What computed this tensor (null for leaves and tensors without
  /// history): `grad_fn()->name()` is "MulBackward0" for a product.
  std::shared_ptr<autograd::Node> grad_fn() const;
  /// Sets every element to zero, in place.
  const Tensor &zero_(Loc loc = Loc::current()) const;

  // --- In place, as PyTorch's ops ending in _: every handle of this tensor
  // sees the new value; ops recorded before keep reading the old one. The
  // result must have this tensor's shape (`other` broadcasts to it) and be
  // castable to its dtype (no float into an integer tensor). On a tensor
  // that requires grad they need kiln::NoGradGuard, as optimizers use.
  // ----------------------------------------------------------------------
  /// this += alpha * other.
  const Tensor &add_(const struct Operand &other, Scalar alpha = 1) const;
  /// this -= alpha * other.
  const Tensor &sub_(const struct Operand &other, Scalar alpha = 1) const;
  const Tensor &mul_(const struct Operand &other) const;
  const Tensor &div_(const struct Operand &other) const;
  Tensor &operator+=(const struct Operand &other);
  Tensor &operator-=(const struct Operand &other);
  Tensor &operator*=(const struct Operand &other);
  Tensor &operator/=(const struct Operand &other);
  const Tensor &fill_(Scalar value, Loc loc = Loc::current()) const;
  /// Fills with uniform draws from [from, to) / normal draws, from the
  /// global generator (floating-point tensors).
  const Tensor &uniform_(double from = 0, double to = 1,
                         Loc loc = Loc::current()) const;
  const Tensor &normal_(double mean = 0, double std = 1,
                        Loc loc = Loc::current()) const;
  /// Integers drawn uniformly from [from, to) (as floats for a float
  /// tensor); to defaults to one past the largest value the dtype holds
  /// exactly (2^24 for float32, 2^53 for float64 and int64, 2^31 - 1 for
  /// int32).
  const Tensor &random_(int64_t from, std::optional<int64_t> to,
                        Loc loc = Loc::current()) const;
  /// Integers drawn uniformly from [0, to).
  const Tensor &random_(int64_t to, Loc loc = Loc::current()) const;
  const Tensor &random_(Loc loc = Loc::current()) const;
  /// Gives this tensor the shape `size`, keeping its first elements in
  /// order; new elements are zero (PyTorch leaves them uninitialized). A
  /// tensor that requires grad cannot be resized.
  const Tensor &resize_(IntArrayRef size, Loc loc = Loc::current()) const;
  /// Copies `src` (broadcast to this shape, converted to this dtype).
  const Tensor &copy_(const Tensor &src, Loc loc = Loc::current()) const;
  const Tensor &clamp_(std::optional<Scalar> min,
                       std::optional<Scalar> max = {},
                       Loc loc = Loc::current()) const;
  const Tensor &relu_(Loc loc = Loc::current()) const;
  /// The elementwise ops in place (`x.exp_()`), as every in-place op: the
  /// value of the op replaces this tensor's, through views too.
  const Tensor &neg_(Loc loc = Loc::current()) const;
  const Tensor &abs_(Loc loc = Loc::current()) const;
  const Tensor &exp_(Loc loc = Loc::current()) const;
  const Tensor &log_(Loc loc = Loc::current()) const;
  const Tensor &log1p_(Loc loc = Loc::current()) const;
  const Tensor &erf_(Loc loc = Loc::current()) const;
  const Tensor &sqrt_(Loc loc = Loc::current()) const;
  const Tensor &rsqrt_(Loc loc = Loc::current()) const;
  const Tensor &reciprocal_(Loc loc = Loc::current()) const;
  const Tensor &tanh_(Loc loc = Loc::current()) const;
  const Tensor &sigmoid_(Loc loc = Loc::current()) const;
  const Tensor &sin_(Loc loc = Loc::current()) const;
  const Tensor &cos_(Loc loc = Loc::current()) const;
  const Tensor &sign_(Loc loc = Loc::current()) const;
  const Tensor &floor_(Loc loc = Loc::current()) const;
  const Tensor &ceil_(Loc loc = Loc::current()) const;
  const Tensor &round_(Loc loc = Loc::current()) const;
  const Tensor &trunc_(Loc loc = Loc::current()) const;
  const Tensor &frac_(Loc loc = Loc::current()) const;
  const Tensor &pow_(Scalar exponent, Loc loc = Loc::current()) const;
  const Tensor &pow_(const Tensor &exponent, Loc loc = Loc::current()) const;
  const Tensor &clamp_min_(Scalar min, Loc loc = Loc::current()) const;
  const Tensor &clamp_max_(Scalar max, Loc loc = Loc::current()) const;
  const Tensor &masked_fill_(const Tensor &mask, Scalar value,
                             Loc loc = Loc::current()) const;
  const Tensor &remainder_(Scalar other, Loc loc = Loc::current()) const;
  const Tensor &fmod_(Scalar other, Loc loc = Loc::current()) const;
  const Tensor &lerp_(const Tensor &end, Scalar weight,
                      Loc loc = Loc::current()) const;
  /// Sets the main diagonal (of a 2-d tensor, or of every leading index of
  /// a square one) to `value`.
  const Tensor &fill_diagonal_(Scalar value, bool wrap = false,
                               Loc loc = Loc::current()) const;
  /// Shape ops in place: this tensor (every handle of it) takes the new
  /// shape, as set_data would.
  const Tensor &unsqueeze_(int64_t dim, Loc loc = Loc::current()) const;
  const Tensor &squeeze_(Loc loc = Loc::current()) const;
  const Tensor &squeeze_(int64_t dim, Loc loc = Loc::current()) const;
  const Tensor &t_(Loc loc = Loc::current()) const;
  const Tensor &transpose_(int64_t dim0, int64_t dim1,
                           Loc loc = Loc::current()) const;

  /// PyTorch's `x.index({Slice(0, 2), 1, Ellipsis, None})`. Integers,
  /// slices and None give a view (a write to it reaches this tensor);
  /// tensor indices (integer or bool mask) give a copy, as in PyTorch.
  Tensor index(std::initializer_list<struct TensorIndex> indices,
               Loc loc = Loc::current()) const;
  Tensor index(const std::vector<struct TensorIndex> &indices,
               Loc loc = Loc::current()) const;
  /// Writes `values` (broadcast) at `indices`: `x.index_put_({mask}, 0)`,
  /// `x.index_put_({rows, cols}, v)`. With `accumulate`, repeated indices
  /// add up. Tensor indices must come as one run of dimensions.
  const Tensor &index_put_(const std::vector<struct TensorIndex> &indices,
                           const Tensor &values, bool accumulate = false,
                           Loc loc = Loc::current()) const;
  const Tensor &index_put_(const std::vector<struct TensorIndex> &indices,
                           Scalar value, Loc loc = Loc::current()) const;

  unsigned registerHook(std::function<Tensor(const Tensor &)> hook,
                        Loc loc) const;

  detail::TensorImpl *impl() const { return impl_.get(); }
  /// LibTorch's name for the same pointer (an optimizer's state key).
  detail::TensorImpl *unsafeGetTensorImpl() const { return impl_.get(); }
  const std::shared_ptr<detail::TensorImpl> &impl_ptr() const { return impl_; }

private:
  std::shared_ptr<detail::TensorImpl> impl_;
};

// --- Indexing
// ------------------------------------------------------------------

namespace indexing {
struct EllipsisIndexType {};
inline constexpr EllipsisIndexType Ellipsis;
struct NoneIndexType {};
inline constexpr NoneIndexType None;

/// A bound of a Slice: an index, or None for "to the end".
struct SliceBound {
  SliceBound(std::nullopt_t = std::nullopt) {}
  SliceBound(NoneIndexType) {}
  SliceBound(int64_t v) : value(v) {}
  SliceBound(int v) : value(v) {}
  std::optional<int64_t> value;
};

/// `start:stop:step` on one dimension; missing bounds mean the whole range.
struct Slice {
  Slice(SliceBound start = {}, SliceBound stop = {}, int64_t step = 1)
      : start(start.value), stop(stop.value), step(step) {}
  std::optional<int64_t> start, stop;
  int64_t step;
};
} // namespace indexing

/// One entry of Tensor::index: an integer, a Slice, Ellipsis (or "..."),
/// None (or nullopt), or a tensor: integer indices into the dimension, or
/// a bool mask over as many dimensions as it has.
struct TensorIndex {
  TensorIndex(int64_t i) : value(i) {}
  TensorIndex(int i) : value(static_cast<int64_t>(i)) {}
  TensorIndex(indexing::Slice s) : value(s) {}
  TensorIndex(indexing::EllipsisIndexType e) : value(e) {}
  /// "...", as LibTorch takes it for Ellipsis.
  TensorIndex(const char *ellipsis);
  TensorIndex(indexing::NoneIndexType n) : value(n) {}
  TensorIndex(std::nullopt_t) : value(indexing::None) {}
  TensorIndex(Tensor t) : value(std::move(t)) {}
  std::variant<int64_t, indexing::Slice, indexing::EllipsisIndexType,
               indexing::NoneIndexType, Tensor>
      value;
};

// --- Creation ----------------------------------------------------------------

/// Nested initializer lists for kiln::tensor: `tensor({{1, 2}, {3, 4}})`.
class TensorData {
public:
  template <typename T>
    requires std::is_arithmetic_v<T>
  TensorData(T v) : values_{static_cast<double>(v)}, kind_(Scalar(v).kind()) {}
  TensorData(std::initializer_list<TensorData> rows);

  const std::vector<double> &values() const { return values_; }
  const Shape &shape() const { return shape_; }
  /// bool, int64 or float32, as PyTorch infers from Python values.
  ScalarType inferred_dtype() const;

private:
  std::vector<double> values_;
  Shape shape_;
  Scalar::Kind kind_;
  bool ragged_ = false;
};

Tensor tensor(TensorData data, TensorOptions options = {},
              Loc loc = Loc::current());
template <typename T>
Tensor tensor(const std::vector<T> &values, TensorOptions options = {},
              Loc loc = Loc::current());
/// A 1-d tensor of `values`, its dtype from T as for a vector.
template <typename T>
Tensor tensor(ArrayRef<T> values, TensorOptions options = {},
              Loc loc = Loc::current()) {
  return tensor(values.vec(), options, loc);
}
Tensor zeros(IntArrayRef shape, TensorOptions options = {},
             Loc loc = Loc::current());
Tensor ones(IntArrayRef shape, TensorOptions options = {},
            Loc loc = Loc::current());
Tensor full(IntArrayRef shape, Scalar value, TensorOptions options = {},
            Loc loc = Loc::current());
Tensor empty(IntArrayRef shape, TensorOptions options = {},
             Loc loc = Loc::current());
Tensor zeros_like(const Tensor &t, Loc loc = Loc::current());
Tensor ones_like(const Tensor &t, Loc loc = Loc::current());
Tensor full_like(const Tensor &t, Scalar value, Loc loc = Loc::current());
Tensor arange(Scalar end, TensorOptions options = {}, Loc loc = Loc::current());
Tensor arange(Scalar start, Scalar end, Scalar step = 1,
              TensorOptions options = {}, Loc loc = Loc::current());
Tensor arange(Scalar start, Scalar end, TensorOptions options,
              Loc loc = Loc::current());
Tensor linspace(double start, double end, int64_t steps,
                TensorOptions options = {}, Loc loc = Loc::current());
Tensor eye(int64_t n, std::optional<int64_t> m = {}, TensorOptions options = {},
           Loc loc = Loc::current());
/// Wraps the caller's memory without copying; it must outlive the tensor.
Tensor from_blob(void *data, IntArrayRef shape, TensorOptions options = {},
                 Loc loc = Loc::current());
/// from_blob whose memory is handed over: `deleter(data)` runs once no
/// tensor uses it.
Tensor from_blob(void *data, IntArrayRef shape,
                 const std::function<void(void *)> &deleter,
                 TensorOptions options = {}, Loc loc = Loc::current());
/// from_blob of memory laid out with `strides` (in elements); the elements
/// are copied into a dense tensor unless the strides are the row-major ones.
Tensor from_blob(void *data, IntArrayRef shape, IntArrayRef strides,
                 TensorOptions options = {}, Loc loc = Loc::current());

/// Seeds the generator behind rand/randn/randint (and dropout, initializers).
void manual_seed(uint64_t seed);
Tensor rand(IntArrayRef shape, TensorOptions options = {},
            Loc loc = Loc::current());
Tensor randn(IntArrayRef shape, TensorOptions options = {},
             Loc loc = Loc::current());
/// Integers uniform in [low, high), int64 unless options say otherwise.
Tensor randint(int64_t low, int64_t high, IntArrayRef shape,
               TensorOptions options = kInt64, Loc loc = Loc::current());
Tensor randint(int64_t high, IntArrayRef shape, TensorOptions options = kInt64,
               Loc loc = Loc::current());
Tensor rand_like(const Tensor &t, Loc loc = Loc::current());
Tensor randn_like(const Tensor &t, Loc loc = Loc::current());

// --- Free-function forms (PyTorch's kiln::relu(x), kiln::matmul(a, b)) -------

#define KILN_UNARY(name)                                                       \
  inline Tensor name(const Tensor &x, Loc loc = Loc::current()) {              \
    return x.name(loc);                                                        \
  }
KILN_UNARY(neg)
KILN_UNARY(abs)
KILN_UNARY(exp)
KILN_UNARY(log)
KILN_UNARY(log1p)
KILN_UNARY(erf)
KILN_UNARY(sqrt)
KILN_UNARY(rsqrt)
KILN_UNARY(reciprocal)
KILN_UNARY(tanh)
KILN_UNARY(sigmoid)
KILN_UNARY(relu)
KILN_UNARY(sin)
KILN_UNARY(cos)
KILN_UNARY(sign)
KILN_UNARY(floor)
KILN_UNARY(logical_not)
KILN_UNARY(t)
#undef KILN_UNARY

Tensor gelu(const Tensor &x, const std::string &approximate = "none",
            Loc loc = Loc::current());
Tensor add(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor sub(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor mul(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor div(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor pow(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor pow(const Tensor &a, Scalar b, Loc loc = Loc::current());
Tensor maximum(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor minimum(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor logical_and(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor logical_or(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor where(const Tensor &cond, const Tensor &a, const Tensor &b,
             Loc loc = Loc::current());
Tensor clamp(const Tensor &x, std::optional<Scalar> min,
             std::optional<Scalar> max = {}, Loc loc = Loc::current());
Tensor matmul(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor mm(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor bmm(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor cat(const std::vector<Tensor> &tensors, int64_t dim = 0,
           Loc loc = Loc::current());
Tensor stack(const std::vector<Tensor> &tensors, int64_t dim = 0,
             Loc loc = Loc::current());
Tensor reshape(const Tensor &x, IntArrayRef shape, Loc loc = Loc::current());
Tensor flatten(const Tensor &x, int64_t start_dim = 0, int64_t end_dim = -1,
               Loc loc = Loc::current());
Tensor transpose(const Tensor &x, int64_t dim0, int64_t dim1,
                 Loc loc = Loc::current());
Tensor permute(const Tensor &x, const Shape &dims, Loc loc = Loc::current());
Tensor index_select(const Tensor &x, int64_t dim, const Tensor &index,
                    Loc loc = Loc::current());
Tensor masked_fill(const Tensor &x, const Tensor &mask, Scalar value,
                   Loc loc = Loc::current());
Tensor softmax(const Tensor &x, int64_t dim, Loc loc = Loc::current());
Tensor log_softmax(const Tensor &x, int64_t dim, Loc loc = Loc::current());
Tensor sum(const Tensor &x, Loc loc = Loc::current());
Tensor mean(const Tensor &x, Loc loc = Loc::current());
Tensor sum(const Tensor &x, IntArrayRef dim, bool keepdim = false,
           Loc loc = Loc::current());
Tensor mean(const Tensor &x, IntArrayRef dim, bool keepdim = false,
            Loc loc = Loc::current());
/// The largest (smallest) element, (values, indices) along `dim`, or the
/// elementwise maximum (minimum) of two tensors, as LibTorch's overloads.
Tensor max(const Tensor &x, Loc loc = Loc::current());
Tensor min(const Tensor &x, Loc loc = Loc::current());
std::tuple<Tensor, Tensor> max(const Tensor &x, int64_t dim,
                               bool keepdim = false, Loc loc = Loc::current());
std::tuple<Tensor, Tensor> min(const Tensor &x, int64_t dim,
                               bool keepdim = false, Loc loc = Loc::current());
Tensor max(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor min(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor argmax(const Tensor &x, std::optional<int64_t> dim = {},
              bool keepdim = false, Loc loc = Loc::current());
Tensor norm(const Tensor &x, Scalar p = 2, Loc loc = Loc::current());
Tensor norm(const Tensor &x, std::optional<Scalar> p, IntArrayRef dim,
            bool keepdim = false, Loc loc = Loc::current());
/// The variance (or standard deviation) over `dim` and the mean, as a
/// pair (LibTorch's var_mean and std_mean).
std::tuple<Tensor, Tensor> var_mean(const Tensor &x, IntArrayRef dim,
                                    bool unbiased = true, bool keepdim = false,
                                    Loc loc = Loc::current());
std::tuple<Tensor, Tensor> std_mean(const Tensor &x, IntArrayRef dim,
                                    bool unbiased = true, bool keepdim = false,
                                    Loc loc = Loc::current());
Tensor var(const Tensor &x, Loc loc = Loc::current());
template <std::same_as<bool> Bool>
Tensor var(const Tensor &x, Bool unbiased, Loc loc = Loc::current()) {
  return x.var(unbiased, loc);
}
Tensor var(const Tensor &x, IntArrayRef dim, bool unbiased = true,
           bool keepdim = false, Loc loc = Loc::current());
Tensor std(const Tensor &x, Loc loc = Loc::current());
template <std::same_as<bool> Bool>
Tensor std(const Tensor &x, Bool unbiased, Loc loc = Loc::current()) {
  return x.std(unbiased, loc);
}
Tensor std(const Tensor &x, IntArrayRef dim, bool unbiased = true,
           bool keepdim = false, Loc loc = Loc::current());
Tensor all(const Tensor &x, Loc loc = Loc::current());
Tensor any(const Tensor &x, Loc loc = Loc::current());

// --- Comparison of whole tensors (these realize) ------------------------------

/// Elementwise closeness of `a` and `b` (broadcast together, same dtype):
/// a == b, or |a - b| <= atol + rtol * |b| with a finite difference; NaNs
/// are close to each other only with `equal_nan`.
// The free forms of the composed ops (kiln::cumsum(x, 1), ...).
Tensor remainder(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor fmod(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor isnan(const Tensor &x, Loc loc = Loc::current());
Tensor isinf(const Tensor &x, Loc loc = Loc::current());
Tensor isfinite(const Tensor &x, Loc loc = Loc::current());
Tensor outer(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor dot(const Tensor &a, const Tensor &b, Loc loc = Loc::current());
Tensor addmm(const Tensor &self, const Tensor &mat1, const Tensor &mat2,
             Scalar beta = 1, Scalar alpha = 1, Loc loc = Loc::current());
Tensor lerp(const Tensor &start, const Tensor &end, Scalar weight,
            Loc loc = Loc::current());
Tensor prod(const Tensor &x, Loc loc = Loc::current());
Tensor logsumexp(const Tensor &x, IntArrayRef dim, bool keepdim = false,
                 Loc loc = Loc::current());
Tensor cumsum(const Tensor &x, int64_t dim, Loc loc = Loc::current());
Tensor cumprod(const Tensor &x, int64_t dim, Loc loc = Loc::current());
Tensor flip(const Tensor &x, IntArrayRef dims, Loc loc = Loc::current());
Tensor roll(const Tensor &x, IntArrayRef shifts, IntArrayRef dims = {},
            Loc loc = Loc::current());
Tensor tril(const Tensor &x, int64_t diagonal = 0, Loc loc = Loc::current());
Tensor triu(const Tensor &x, int64_t diagonal = 0, Loc loc = Loc::current());
Tensor diag(const Tensor &x, int64_t diagonal = 0, Loc loc = Loc::current());
Tensor trace(const Tensor &x, Loc loc = Loc::current());
std::vector<Tensor> unbind(const Tensor &x, int64_t dim = 0,
                           Loc loc = Loc::current());
Tensor gather(const Tensor &x, int64_t dim, const Tensor &index,
              Loc loc = Loc::current());
Tensor scatter_add(const Tensor &x, int64_t dim, const Tensor &index,
                   const Tensor &src, Loc loc = Loc::current());
std::tuple<Tensor, Tensor> sort(const Tensor &x, int64_t dim = -1,
                                bool descending = false,
                                Loc loc = Loc::current());
Tensor argsort(const Tensor &x, int64_t dim = -1, bool descending = false,
               Loc loc = Loc::current());
std::tuple<Tensor, Tensor> topk(const Tensor &x, int64_t k, int64_t dim = -1,
                                bool largest = true, bool sorted = true,
                                Loc loc = Loc::current());
Tensor nonzero(const Tensor &x, Loc loc = Loc::current());
Tensor masked_select(const Tensor &x, const Tensor &mask,
                     Loc loc = Loc::current());
std::tuple<Tensor, Tensor> kthvalue(const Tensor &x, int64_t k,
                                    int64_t dim = -1, bool keepdim = false,
                                    Loc loc = Loc::current());
/// A random permutation of 0..n-1 (int64 unless `options` name a dtype).
Tensor randperm(int64_t n, TensorOptions options = {},
                Loc loc = Loc::current());
/// 1 with probability `p` (elementwise), else 0, in `p`'s dtype.
Tensor bernoulli(const Tensor &p, Loc loc = Loc::current());
Tensor isclose(const Tensor &a, const Tensor &b, double rtol = 1e-05,
               double atol = 1e-08, bool equal_nan = false,
               Loc loc = Loc::current());
/// Whether isclose holds for every element.
bool allclose(const Tensor &a, const Tensor &b, double rtol = 1e-05,
              double atol = 1e-08, bool equal_nan = false,
              Loc loc = Loc::current());
/// Whether `a` and `b` have the same sizes and the same elements.
bool equal(const Tensor &a, const Tensor &b, Loc loc = Loc::current());

// --- Operators, with scalars on either side
// ------------------------------------

/// An operand of an operator: a tensor or a number. Its constructor records
/// where the expression is, so errors name the user's line.
struct Operand {
  Operand(const Tensor &t, Loc loc = Loc::current()) : value(t), loc(loc) {}
  template <typename T>
    requires std::is_arithmetic_v<T>
  Operand(T v, Loc loc = Loc::current()) : value(Scalar(v)), loc(loc) {}
  /// A Scalar, such as `t.item()` returns.
  Operand(Scalar s, Loc loc = Loc::current()) : value(s), loc(loc) {}
  std::variant<Tensor, Scalar> value;
  Loc loc;
};

Tensor operator+(const Tensor &a, const Operand &b);
Tensor operator-(const Tensor &a, const Operand &b);
Tensor operator*(const Tensor &a, const Operand &b);
Tensor operator/(const Tensor &a, const Operand &b);
Tensor operator==(const Tensor &a, const Operand &b);
Tensor operator!=(const Tensor &a, const Operand &b);
Tensor operator<(const Tensor &a, const Operand &b);
Tensor operator<=(const Tensor &a, const Operand &b);
Tensor operator>(const Tensor &a, const Operand &b);
Tensor operator>=(const Tensor &a, const Operand &b);
/// The remainder with the divisor's sign, as Python's and LibTorch's %.
Tensor operator%(const Tensor &a, const Operand &b);
Tensor operator&(const Tensor &a, const Operand &b);
Tensor operator|(const Tensor &a, const Operand &b);
Tensor operator+(Scalar a, const Operand &b);
Tensor operator-(Scalar a, const Operand &b);
Tensor operator*(Scalar a, const Operand &b);
Tensor operator/(Scalar a, const Operand &b);
Tensor operator-(const Tensor &a);
/// Logical not of a bool tensor, bitwise not of an integer one.
Tensor operator~(const Tensor &a);

/// Prints like LibTorch: the values, then `[ CPUFloatType{2,3} ]`.
std::ostream &operator<<(std::ostream &os, const Tensor &t);

/// Computes `tensors` now, together with every pending tensor of the
/// calling thread (as sync() does); one that another thread recorded is
/// computed in that thread's trace.
void sync(std::span<const Tensor> tensors);
/// kiln::sync(a, b, ...).
template <typename... Tensors>
  requires(sizeof...(Tensors) > 0 &&
           (std::is_convertible_v<const Tensors &, const Tensor &> && ...))
void sync(const Tensors &...tensors) {
  const Tensor all[] = {tensors...};
  sync(std::span<const Tensor>(all));
}

// --- numpy bridge
// --------------------------------------------------------------

/// Writes `t` as a .npy file (atomically: a temporary file, then rename).
void save_npy(const Tensor &t, const std::string &path);
/// Reads a .npy file (little-endian bool, int32, int64, float16, float32 or
/// float64, C order); a malformed file is a kiln::Error naming the problem.
Tensor load_npy(const std::string &path);

// --- Templates
// -------------------------------------------------------------------

namespace detail {
/// Reads element `i` of a realized tensor, converted to double.
double readElement(const Tensor &t, int64_t i);
void checkDataPtr(const Tensor &t, ScalarType requested, const Loc &loc);
void checkItem(const Tensor &t, const Loc &loc);
Tensor tensorFromDoubles(const std::vector<double> &values, const Shape &shape,
                         ScalarType dtype, TensorOptions options, Loc loc);
} // namespace detail

template <typename T> T Tensor::item(Loc loc) const {
  detail::checkItem(*this, loc);
  if constexpr (std::is_same_v<T, int64_t>)
    if (dtype() == kInt64)
      return *static_cast<const int64_t *>(data_ptr());
  return static_cast<T>(detail::readElement(*this, 0));
}

template <typename T> std::vector<T> Tensor::to_vector(Loc loc) const {
  std::vector<T> out(numel());
  if (dtype() == dtype_of<T>() && numel() > 0) {
    const T *data = data_ptr<T>(loc);
    out.assign(data, data + numel());
    return out;
  }
  for (int64_t i = 0; i < numel(); ++i)
    out[i] = static_cast<T>(detail::readElement(*this, i));
  return out;
}

template <typename T> T *Tensor::data_ptr(Loc loc) const {
  detail::checkDataPtr(*this, dtype_of<T>(), loc);
  return static_cast<T *>(data_ptr());
}

template <typename T>
Tensor tensor(const std::vector<T> &values, TensorOptions options, Loc loc) {
  std::vector<double> doubles(values.begin(), values.end());
  ScalarType dtype = Scalar(T{}).default_dtype();
  if constexpr (std::is_same_v<T, double>)
    dtype = kFloat64;
  else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int16_t> ||
                     std::is_same_v<T, int8_t> || std::is_same_v<T, uint8_t>)
    dtype = dtype_of<T>();
  return detail::tensorFromDoubles(
      doubles, {static_cast<int64_t>(values.size())}, dtype, options, loc);
}

namespace native {
/// LibTorch's `at::native::is_nonzero`: the single element as a bool.
inline bool is_nonzero(const Tensor &t) { return t.is_nonzero(); }
} // namespace native

} // namespace kiln

#endif // KILN_FRONTEND_TENSOR_H
