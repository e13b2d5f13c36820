//===- torch.h - What a rename of torch:: to kiln:: cannot reach -*- C++ -*-===//
//
// An opt-in header for porting a LibTorch program: after renaming `torch::`
// to `kiln::` and `<torch/torch.h>` to `<kiln/kiln.h>`, include
// `<kiln/compat/torch.h>` too for the names that live outside `torch::` in
// LibTorch (`c10::irange`, `c10::optional`, `at::Tensor`) and its macros
// (`TORCH_MODULE`, `TORCH_ARG`, `TORCH_CHECK`, `AT_ASSERT`). Kiln's own code
// and new programs use the kiln:: spellings instead.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPAT_TORCH_H
#define KILN_COMPAT_TORCH_H

#include "kiln/kiln.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

#include <unistd.h>

namespace c10 {

/// The integers [begin, end) for a range-for: `for (auto i : irange(n))`.
template <typename T> class integer_range {
public:
  class iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T *;
    using reference = T;
    explicit iterator(T value) : value_(value) {}
    T operator*() const { return value_; }
    iterator &operator++() {
      ++value_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++value_;
      return old;
    }
    bool operator==(const iterator &other) const {
      return value_ == other.value_;
    }
    bool operator!=(const iterator &other) const { return !(*this == other); }

  private:
    T value_;
  };
  integer_range(T begin, T end)
      : begin_(begin), end_(end < begin ? begin : end) {}
  iterator begin() const { return iterator(begin_); }
  iterator end() const { return iterator(end_); }

private:
  T begin_, end_;
};

/// 0, 1, ..., end - 1 (nothing when end <= 0).
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
integer_range<T> irange(T end) {
  return {T(0), end};
}
/// begin, ..., end - 1, in the wider of the two types.
template <
    typename B, typename E,
    typename = std::enable_if_t<std::is_integral_v<B> && std::is_integral_v<E>>>
auto irange(B begin, E end) {
  using T = std::common_type_t<B, E>;
  return integer_range<T>(T(begin), T(end));
}

/// The exception LibTorch throws: Kiln's kiln::Error.
using Error = kiln::Error;
using IndexError = kiln::Error;
using ValueError = kiln::Error;

/// The parts streamed into one string: `c10::str("x = ", 3)`, and a module
/// or tensor as `operator<<` prints it.
template <typename... Parts> std::string str(const Parts &...parts) {
  std::ostringstream os;
  (os << ... << parts);
  return os.str();
}

/// A file created under the temporary directory and removed with this
/// object: `auto file = c10::make_tempfile(); kiln::save(x, file.name);`.
struct TempFile {
  explicit TempFile(std::string path) : name(std::move(path)) {}
  TempFile(TempFile &&other) noexcept : name(std::move(other.name)) {
    other.name.clear();
  }
  TempFile(const TempFile &) = delete;
  TempFile &operator=(const TempFile &) = delete;
  ~TempFile() {
    if (!name.empty())
      std::remove(name.c_str());
  }
  std::string name;
};

inline TempFile make_tempfile(std::string_view prefix = "kiln-file-") {
  const char *dir = std::getenv("TMPDIR");
  std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/" +
                        std::string(prefix) + "XXXXXX";
  int fd = ::mkstemp(pattern.data());
  if (fd < 0)
    throw kiln::Error("make_tempfile: cannot create a file like " + pattern);
  ::close(fd);
  return TempFile(pattern);
}

using std::make_optional;
using std::nullopt;
using std::optional;

using kiln::ArrayRef;
using kiln::Device;
using kiln::DeviceType;
using kiln::IntArrayRef;
using kiln::kCPU;
using kiln::kCUDA;
using kiln::OrderedDict;
using kiln::Scalar;
using kiln::ScalarType;
using kiln::TensorOptions;
// TensorOptions' free builders, which c10 also holds.
using kiln::device;
using kiln::dtype;
using kiln::requires_grad;

} // namespace c10

namespace caffe2 {
/// LibTorch's dtype descriptor, where Kiln's dtypes are ScalarType values:
/// `set_default_dtype(caffe2::TypeMeta::fromScalarType(kiln::kDouble))`.
struct TypeMeta {
  static constexpr kiln::ScalarType fromScalarType(kiln::ScalarType type) {
    return type;
  }
  template <typename T> static constexpr kiln::ScalarType Make() {
    return kiln::dtype_of<T>();
  }
};
} // namespace caffe2

namespace c10::guts {
/// The value as an ostream prints it (a pointer as "0x...").
template <typename T> std::string to_string(const T &value) {
  std::ostringstream os;
  os << value;
  return os.str();
}
} // namespace c10::guts

/// ATen's namespace: `at::Tensor`, `at::kFloat`, `at::IntArrayRef`.
namespace at = kiln;

namespace kiln::detail {
/// Joins the message parts of TORCH_CHECK.
template <typename... Parts> std::string checkMessage(const Parts &...parts) {
  std::ostringstream os;
  (os << ... << parts);
  return os.str();
}
} // namespace kiln::detail

/// LibTorch's module macro: `TORCH_MODULE(Net)` declares the holder `Net` of
/// `NetImpl`.
#define TORCH_MODULE(Name) KILN_MODULE(Name)
#define TORCH_MODULE_IMPL(Name, Impl) KILN_MODULE_IMPL(Name, Impl)
/// LibTorch's option macro: a chainable setter and a getter.
#define TORCH_ARG(T, name) KILN_ARG(T, name)

/// Throws a kiln::Error with the joined message parts when `cond` is false.
#define TORCH_CHECK(cond, ...)                                                 \
  do {                                                                         \
    if (!(cond))                                                               \
      throw ::kiln::Error(::kiln::detail::checkMessage(                        \
          "Expected " #cond " to be true. ", ##__VA_ARGS__));                  \
  } while (false)
#define TORCH_INTERNAL_ASSERT(cond, ...) TORCH_CHECK(cond, ##__VA_ARGS__)
#define AT_ASSERT(cond, ...) TORCH_CHECK(cond, ##__VA_ARGS__)
#define TORCH_WARN(...)                                                        \
  (void)(std::cerr << "Warning: " << ::kiln::detail::checkMessage(__VA_ARGS__) \
                   << '\n')

#endif // KILN_COMPAT_TORCH_H
