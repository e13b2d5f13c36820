//===- Types.h - Dtypes, devices, tensor options and scalars ----*- C++ -*-===//
#ifndef KILN_FRONTEND_TYPES_H
#define KILN_FRONTEND_TYPES_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <source_location>
#include <string>
#include <string_view>
#include <type_traits>

namespace kiln {

/// LibTorch's `torch::optional` and `torch::nullopt` (std's).
using std::nullopt;
using std::optional;

/// The element types a tensor can hold (PyTorch's `ScalarType`).
enum class ScalarType : uint8_t {
  Bool,
  Int32,
  Int64,
  Float16,
  BFloat16,
  Float32,
  Float64,
  UInt8,
  Int8,
  Int16,
};
using Dtype = ScalarType;

inline constexpr ScalarType kBool = ScalarType::Bool;
inline constexpr ScalarType kUInt8 = ScalarType::UInt8;
inline constexpr ScalarType kByte = ScalarType::UInt8;
inline constexpr ScalarType kInt8 = ScalarType::Int8;
inline constexpr ScalarType kChar = ScalarType::Int8;
inline constexpr ScalarType kInt16 = ScalarType::Int16;
inline constexpr ScalarType kShort = ScalarType::Int16;
inline constexpr ScalarType kInt32 = ScalarType::Int32;
inline constexpr ScalarType kInt = ScalarType::Int32;
inline constexpr ScalarType kInt64 = ScalarType::Int64;
inline constexpr ScalarType kLong = ScalarType::Int64;
inline constexpr ScalarType kFloat16 = ScalarType::Float16;
inline constexpr ScalarType kHalf = ScalarType::Float16;
inline constexpr ScalarType kBFloat16 = ScalarType::BFloat16;
inline constexpr ScalarType kFloat32 = ScalarType::Float32;
inline constexpr ScalarType kFloat = ScalarType::Float32;
inline constexpr ScalarType kFloat64 = ScalarType::Float64;
inline constexpr ScalarType kDouble = ScalarType::Float64;

/// The dtype of floating point tensors created without one and of Python
/// floats in arithmetic (float32 unless set; PyTorch's
/// `torch.set_default_dtype`). Only float16, bfloat16, float32 and float64
/// are accepted; the setting is global, as in PyTorch.
ScalarType get_default_dtype();
ScalarType get_default_dtype_as_scalartype();
void set_default_dtype(ScalarType type);

/// How a tensor's elements are laid out: Kiln's are all dense (strided).
enum class Layout : uint8_t { Strided };
inline constexpr Layout kStrided = Layout::Strided;

/// Bytes per element.
size_t element_size(ScalarType type);
/// PyTorch's spelling: "torch.float32" becomes "kiln.float32".
std::string_view dtype_name(ScalarType type);
bool is_floating_point(ScalarType type);
bool is_integral(ScalarType type, bool include_bool = false);
/// The smallest type both `a` and `b` convert to without loss (PyTorch's
/// `promote_types`).
ScalarType promote_types(ScalarType a, ScalarType b);
std::ostream &operator<<(std::ostream &os, ScalarType type);

/// The C++ type of a dtype's elements as seen by `item<T>()` and friends.
template <typename T> constexpr ScalarType dtype_of() {
  if constexpr (std::is_same_v<T, bool>)
    return kBool;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return kUInt8;
  else if constexpr (std::is_same_v<T, int8_t>)
    return kInt8;
  else if constexpr (std::is_same_v<T, int16_t>)
    return kInt16;
  else if constexpr (std::is_same_v<T, int32_t>)
    return kInt32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return kInt64;
  else if constexpr (std::is_same_v<T, float>)
    return kFloat32;
  else if constexpr (std::is_same_v<T, double>)
    return kFloat64;
  else
    static_assert(sizeof(T) == 0, "no kiln dtype for this C++ type");
}

enum class DeviceType : uint8_t { CPU, CUDA };
inline constexpr DeviceType kCPU = DeviceType::CPU;
inline constexpr DeviceType kCUDA = DeviceType::CUDA;

/// Where a tensor lives: `Device("cpu")`, `Device("cuda:0")`, `kCPU`.
class Device {
public:
  using Type = DeviceType;
  Device(DeviceType type = kCPU, int index = 0) : type_(type), index_(index) {}
  /// Parses "cpu", "cuda" or "cuda:N"; throws kiln::Error otherwise.
  Device(const std::string &spec);
  Device(const char *spec) : Device(std::string(spec)) {}

  DeviceType type() const { return type_; }
  int index() const { return index_; }
  bool has_index() const { return index_ >= 0; }
  bool is_cpu() const { return type_ == kCPU; }
  bool is_cuda() const { return type_ == kCUDA; }
  std::string str() const;
  bool operator==(const Device &) const = default;

private:
  DeviceType type_;
  int index_;
};
std::ostream &operator<<(std::ostream &os, const Device &device);

/// dtype, device and requires_grad for creation functions, with PyTorch's
/// chained setters: `TensorOptions().dtype(kFloat64).requires_grad(true)`.
class TensorOptions {
public:
  TensorOptions() = default;
  TensorOptions(ScalarType dtype) : dtype_(dtype) {}
  TensorOptions(Device device) : device_(device) {}
  TensorOptions(DeviceType device) : device_(device) {}

  TensorOptions dtype(ScalarType dtype) const {
    auto copy = *this;
    copy.dtype_ = dtype;
    return copy;
  }
  /// The dtype of C++ type T: `TensorOptions().dtype<double>()`.
  template <typename T> TensorOptions dtype() const {
    return dtype(dtype_of<T>());
  }
  /// The dtype, or the default dtype (float32 unless set) when none was.
  ScalarType dtype() const { return dtype_ ? *dtype_ : get_default_dtype(); }
  /// Whether a dtype was set (creation functions that infer one need this).
  bool has_dtype() const { return dtype_.has_value(); }
  TensorOptions device(Device device) const {
    auto copy = *this;
    copy.device_ = device;
    return copy;
  }
  TensorOptions requires_grad(bool requires_grad) const {
    auto copy = *this;
    copy.requires_grad_ = requires_grad;
    return copy;
  }

  Device device() const { return device_; }
  bool requires_grad() const { return requires_grad_; }

private:
  std::optional<ScalarType> dtype_;
  Device device_;
  bool requires_grad_ = false;
};

inline TensorOptions dtype(ScalarType type) { return TensorOptions(type); }
template <typename T> TensorOptions dtype() { return dtype(dtype_of<T>()); }
inline TensorOptions device(Device d) { return TensorOptions(d); }
inline TensorOptions requires_grad(bool r = true) {
  return TensorOptions().requires_grad(r);
}

/// A number used where a tensor could stand (`x + 1`, `full(shape, 0.5)`):
/// it remembers whether it was a bool, an integer or a floating value, which
/// decides type promotion as in PyTorch.
class Scalar {
public:
  enum class Kind : uint8_t { Bool, Integer, Floating };

  Scalar(bool v) : kind_(Kind::Bool), integer_(v), floating_(v) {}
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  Scalar(T v)
      : kind_(Kind::Integer), integer_(static_cast<int64_t>(v)),
        floating_(static_cast<double>(v)) {}
  template <typename T>
    requires std::is_floating_point_v<T>
  Scalar(T v)
      : kind_(Kind::Floating), integer_(truncated(static_cast<double>(v))),
        floating_(static_cast<double>(v)) {}

  Kind kind() const { return kind_; }
  double to_double() const { return floating_; }
  int64_t to_long() const { return integer_; }

  // LibTorch's spelling. An integer read from a floating value is rounded
  // toward zero; a bool is whether the value is nonzero.
  /// The value as T: `item().to<float>()`.
  template <typename T> T to() const {
    if constexpr (std::is_same_v<T, bool>)
      return kind_ == Kind::Floating ? floating_ != 0 : integer_ != 0;
    else if constexpr (std::is_integral_v<T>)
      return static_cast<T>(integer_);
    else
      return static_cast<T>(floating_);
  }
  double toDouble() const { return to<double>(); }
  float toFloat() const { return to<float>(); }
  int64_t toLong() const { return to<int64_t>(); }
  int toInt() const { return to<int>(); }
  bool toBool() const { return to<bool>(); }
  bool isFloatingPoint() const { return kind_ == Kind::Floating; }
  /// Whether the value is an integer (or, with `includeBool`, a bool).
  bool isIntegral(bool includeBool = false) const {
    return kind_ == Kind::Integer || (includeBool && kind_ == Kind::Bool);
  }
  bool isBoolean() const { return kind_ == Kind::Bool; }
  /// The dtype a PyTorch "wrapped number" of this kind has: bool, int64 or
  /// the default float dtype (float32 unless set).
  ScalarType default_dtype() const {
    return kind_ == Kind::Bool      ? kBool
           : kind_ == Kind::Integer ? kInt64
                                    : get_default_dtype();
  }

private:
  /// `v` rounded toward zero; 0 for NaN, the int64 limits beyond them
  /// (a plain cast of an infinite mask value would be undefined).
  static int64_t truncated(double v) {
    if (v != v)
      return 0;
    if (v >= 9223372036854775807.0)
      return INT64_MAX;
    if (v <= -9223372036854775808.0)
      return INT64_MIN;
    return static_cast<int64_t>(v);
  }
  Kind kind_;
  int64_t integer_;
  double floating_;
};

/// Prints the value as its kind reads: `true`, `3` or `2.5`.
std::ostream &operator<<(std::ostream &os, const Scalar &s);

/// Where in the user's code an op was recorded; attached to errors and IR.
using SourceLocation = std::source_location;

} // namespace kiln

#endif // KILN_FRONTEND_TYPES_H
