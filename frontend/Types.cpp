//===- Types.cpp - Dtypes, devices and their conversions ------------------===//
#include "kiln/frontend/Types.h"
#include "kiln/frontend/Enum.h"
#include "kiln/runtime/Error.h"

#include <atomic>
#include <bit>
#include <cstring>

namespace kiln {

namespace {
std::atomic<ScalarType> defaultDtype{kFloat32};
} // namespace

ScalarType get_default_dtype() {
  return defaultDtype.load(std::memory_order_relaxed);
}
ScalarType get_default_dtype_as_scalartype() { return get_default_dtype(); }

void set_default_dtype(ScalarType type) {
  if (!is_floating_point(type))
    throw Error("set_default_dtype: only floating point dtypes can be the "
                "default, got " +
                std::string(dtype_name(type)));
  defaultDtype.store(type, std::memory_order_relaxed);
}

size_t element_size(ScalarType type) {
  switch (type) {
  case kBool:
  case kUInt8:
  case kInt8:
    return 1;
  case kInt16:
  case kFloat16:
  case kBFloat16:
    return 2;
  case kInt32:
  case kFloat32:
    return 4;
  case kInt64:
  case kFloat64:
    return 8;
  }
  return 0;
}

std::string_view dtype_name(ScalarType type) {
  switch (type) {
  case kBool:
    return "kiln.bool";
  case kUInt8:
    return "kiln.uint8";
  case kInt8:
    return "kiln.int8";
  case kInt16:
    return "kiln.int16";
  case kInt32:
    return "kiln.int32";
  case kInt64:
    return "kiln.int64";
  case kFloat16:
    return "kiln.float16";
  case kBFloat16:
    return "kiln.bfloat16";
  case kFloat32:
    return "kiln.float32";
  case kFloat64:
    return "kiln.float64";
  }
  return "kiln.unknown";
}

std::ostream &operator<<(std::ostream &os, ScalarType type) {
  return os << dtype_name(type);
}

bool is_floating_point(ScalarType type) {
  return type == kFloat16 || type == kBFloat16 || type == kFloat32 ||
         type == kFloat64;
}

bool is_integral(ScalarType type, bool include_bool) {
  return type == kUInt8 || type == kInt8 || type == kInt16 || type == kInt32 ||
         type == kInt64 || (include_bool && type == kBool);
}

ScalarType promote_types(ScalarType a, ScalarType b) {
  if (a == b)
    return a;
  bool fa = is_floating_point(a), fb = is_floating_point(b);
  if (fa != fb)
    return fa ? a : b;
  if (fa) {
    // f16 and bf16 have no common 16-bit type.
    if ((a == kFloat16 && b == kBFloat16) || (a == kBFloat16 && b == kFloat16))
      return kFloat32;
    auto rank = [](ScalarType t) {
      return t == kFloat64 ? 3 : t == kFloat32 ? 2 : 1;
    };
    return rank(a) >= rank(b) ? a : b;
  }
  // bool < uint8 < int16 < int32 < int64 and int8 < int16: uint8 with int8
  // meets at int16, the smallest type holding both ranges.
  if (a == kBool || b == kBool)
    return a == kBool ? b : a;
  if ((a == kUInt8 && b == kInt8) || (a == kInt8 && b == kUInt8))
    return kInt16;
  auto rank = [](ScalarType t) {
    return t == kInt64 ? 4 : t == kInt32 ? 3 : t == kInt16 ? 2 : 1;
  };
  return rank(a) >= rank(b) ? a : b;
}

std::ostream &operator<<(std::ostream &os, const Scalar &s) {
  if (s.isBoolean())
    return os << (s.toBool() ? "true" : "false");
  if (s.isIntegral())
    return os << s.toLong();
  return os << s.toDouble();
}

Device::Device(const std::string &spec) : type_(kCPU), index_(0) {
  if (spec == "cpu")
    return;
  if (spec == "cuda") {
    type_ = kCUDA;
    return;
  }
  if (spec.rfind("cuda:", 0) == 0 && spec.size() > 5 &&
      spec.find_first_not_of("0123456789", 5) == std::string::npos &&
      spec.size() < 10) {
    type_ = kCUDA;
    index_ = std::stoi(spec.substr(5));
    return;
  }
  throw Error("invalid device '" + spec +
              "': expected \"cpu\", \"cuda\" or \"cuda:N\"");
}

std::string Device::str() const {
  return is_cpu() ? "cpu" : "cuda:" + std::to_string(index_);
}

std::ostream &operator<<(std::ostream &os, const Device &device) {
  return os << device.str();
}

std::string constantName(const Mode &mode) {
  static const std::pair<std::string_view, std::string_view> constants[] = {
      {"linear", "kLinear"},
      {"conv1d", "kConv1D"},
      {"conv2d", "kConv2D"},
      {"conv3d", "kConv3D"},
      {"conv_transpose1d", "kConvTranspose1D"},
      {"conv_transpose2d", "kConvTranspose2D"},
      {"conv_transpose3d", "kConvTranspose3D"},
      {"sigmoid", "kSigmoid"},
      {"tanh", "kTanh"},
      {"relu", "kReLU"},
      {"gelu", "kGELU"},
      {"silu", "kSiLU"},
      {"mish", "kMish"},
      {"leaky_relu", "kLeakyReLU"},
      {"selu", "kSELU"},
      {"fan_in", "kFanIn"},
      {"fan_out", "kFanOut"},
      {"constant", "kConstant"},
      {"reflect", "kReflect"},
      {"replicate", "kReplicate"},
      {"circular", "kCircular"},
      {"zeros", "kZeros"},
      {"nearest", "kNearest"},
      {"nearest-exact", "kNearestExact"},
      {"bilinear", "kBilinear"},
      {"bicubic", "kBicubic"},
      {"trilinear", "kTrilinear"},
      {"area", "kArea"},
      {"border", "kBorder"},
      {"reflection", "kReflection"},
      {"sum", "kSum"},
      {"mean", "kMean"},
      {"max", "kMax"},
      {"none", "kNone"},
      {"batchmean", "kBatchMean"},
      {"RNN_TANH", "kRNN_TANH"},
      {"RNN_RELU", "kRNN_RELU"},
      {"LSTM", "kLSTM"},
      {"GRU", "kGRU"},
  };
  for (auto [text, name] : constants)
    if (mode.str() == text)
      return std::string(name);
  return mode.str();
}

} // namespace kiln
