//===- Enum.h - LibTorch's enum constants: kMean, kReLU, ... ----*- C++ -*-===//
//
// LibTorch spells a choice among a few modes as a constant of its own type:
// `F::MSELossFuncOptions().reduction(kiln::kSum)`,
// `nn::RNNOptions(4, 8).nonlinearity(kiln::kReLU)`,
// `nn::init::kaiming_uniform_(w, 0, kiln::kFanIn, kiln::kReLU)`. Kiln keeps
// the same constants; an option that takes one stores it as a Mode, which
// also takes PyTorch's string ("mean", "relu") so Python-style code works
// too. A mode an option does not know is a kiln::Error naming the choices.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_ENUM_H
#define KILN_FRONTEND_ENUM_H

#include <ostream>
#include <string>

namespace kiln {

namespace enumtype {
#define KILN_ENUM_TYPE(Name, text)                                             \
  struct Name {                                                                \
    static constexpr const char *name = text;                                  \
  };
KILN_ENUM_TYPE(kLinear, "linear")
KILN_ENUM_TYPE(kConv1D, "conv1d")
KILN_ENUM_TYPE(kConv2D, "conv2d")
KILN_ENUM_TYPE(kConv3D, "conv3d")
KILN_ENUM_TYPE(kConvTranspose1D, "conv_transpose1d")
KILN_ENUM_TYPE(kConvTranspose2D, "conv_transpose2d")
KILN_ENUM_TYPE(kConvTranspose3D, "conv_transpose3d")
KILN_ENUM_TYPE(kSigmoid, "sigmoid")
KILN_ENUM_TYPE(kTanh, "tanh")
KILN_ENUM_TYPE(kReLU, "relu")
KILN_ENUM_TYPE(kGELU, "gelu")
KILN_ENUM_TYPE(kSiLU, "silu")
KILN_ENUM_TYPE(kMish, "mish")
KILN_ENUM_TYPE(kLeakyReLU, "leaky_relu")
KILN_ENUM_TYPE(kSELU, "selu")
KILN_ENUM_TYPE(kFanIn, "fan_in")
KILN_ENUM_TYPE(kFanOut, "fan_out")
KILN_ENUM_TYPE(kConstant, "constant")
KILN_ENUM_TYPE(kReflect, "reflect")
KILN_ENUM_TYPE(kReplicate, "replicate")
KILN_ENUM_TYPE(kCircular, "circular")
KILN_ENUM_TYPE(kZeros, "zeros")
KILN_ENUM_TYPE(kNearest, "nearest")
KILN_ENUM_TYPE(kNearestExact, "nearest-exact")
KILN_ENUM_TYPE(kBilinear, "bilinear")
KILN_ENUM_TYPE(kBicubic, "bicubic")
KILN_ENUM_TYPE(kTrilinear, "trilinear")
KILN_ENUM_TYPE(kArea, "area")
KILN_ENUM_TYPE(kBorder, "border")
KILN_ENUM_TYPE(kReflection, "reflection")
KILN_ENUM_TYPE(kSum, "sum")
KILN_ENUM_TYPE(kMean, "mean")
KILN_ENUM_TYPE(kMax, "max")
KILN_ENUM_TYPE(kNone, "none")
KILN_ENUM_TYPE(kBatchMean, "batchmean")
KILN_ENUM_TYPE(kRNN_TANH, "RNN_TANH")
KILN_ENUM_TYPE(kRNN_RELU, "RNN_RELU")
KILN_ENUM_TYPE(kLSTM, "LSTM")
KILN_ENUM_TYPE(kGRU, "GRU")
#undef KILN_ENUM_TYPE
} // namespace enumtype

inline constexpr enumtype::kLinear kLinear{};
inline constexpr enumtype::kConv1D kConv1D{};
inline constexpr enumtype::kConv2D kConv2D{};
inline constexpr enumtype::kConv3D kConv3D{};
inline constexpr enumtype::kConvTranspose1D kConvTranspose1D{};
inline constexpr enumtype::kConvTranspose2D kConvTranspose2D{};
inline constexpr enumtype::kConvTranspose3D kConvTranspose3D{};
inline constexpr enumtype::kSigmoid kSigmoid{};
inline constexpr enumtype::kTanh kTanh{};
inline constexpr enumtype::kReLU kReLU{};
inline constexpr enumtype::kGELU kGELU{};
inline constexpr enumtype::kSiLU kSiLU{};
inline constexpr enumtype::kMish kMish{};
inline constexpr enumtype::kLeakyReLU kLeakyReLU{};
inline constexpr enumtype::kSELU kSELU{};
inline constexpr enumtype::kFanIn kFanIn{};
inline constexpr enumtype::kFanOut kFanOut{};
inline constexpr enumtype::kConstant kConstant{};
inline constexpr enumtype::kReflect kReflect{};
inline constexpr enumtype::kReplicate kReplicate{};
inline constexpr enumtype::kCircular kCircular{};
inline constexpr enumtype::kZeros kZeros{};
inline constexpr enumtype::kNearest kNearest{};
inline constexpr enumtype::kNearestExact kNearestExact{};
inline constexpr enumtype::kBilinear kBilinear{};
inline constexpr enumtype::kBicubic kBicubic{};
inline constexpr enumtype::kTrilinear kTrilinear{};
inline constexpr enumtype::kArea kArea{};
inline constexpr enumtype::kBorder kBorder{};
inline constexpr enumtype::kReflection kReflection{};
inline constexpr enumtype::kSum kSum{};
inline constexpr enumtype::kMean kMean{};
inline constexpr enumtype::kMax kMax{};
inline constexpr enumtype::kNone kNone{};
inline constexpr enumtype::kBatchMean kBatchMean{};
inline constexpr enumtype::kRNN_TANH kRNN_TANH{};
inline constexpr enumtype::kRNN_RELU kRNN_RELU{};
inline constexpr enumtype::kLSTM kLSTM{};
inline constexpr enumtype::kGRU kGRU{};

/// The type of one of the constants above.
template <typename E>
concept ModeConstant = requires { E::name; };

/// One of the constants above, or its name as PyTorch's Python spells it.
/// Options store modes as this; `mode == kiln::kSum` and `mode == "sum"`
/// both compare.
class Mode {
public:
  template <typename E>
    requires requires { E::name; }
  constexpr Mode(E) : name_(E::name) {}
  Mode(const char *name) : name_(name) {}
  Mode(std::string name) : name_(std::move(name)) {}

  const std::string &str() const noexcept { return name_; }
  bool operator==(const char *other) const { return name_ == other; }
  bool operator==(const std::string &other) const { return name_ == other; }
  template <typename E>
    requires requires { E::name; }
  bool operator==(E) const {
    return name_ == E::name;
  }
  bool operator==(const Mode &other) const = default;

private:
  std::string name_;
};

inline std::ostream &operator<<(std::ostream &os, const Mode &mode) {
  return os << mode.str();
}

/// The name of a mode constant or a Mode: "sum" for kiln::kSum.
inline std::string enumName(const Mode &mode) { return mode.str(); }

/// The constant's own name, as LibTorch prints options: "kReLU" for
/// kiln::kReLU (or "relu"); the text itself for a name no constant has.
std::string constantName(const Mode &mode);

} // namespace kiln

#endif // KILN_FRONTEND_ENUM_H
