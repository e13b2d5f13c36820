//===- ConvCommon.h - What the convolution layers share --------*- C++ -*-===//
//
// Internal to the frontend: the checks of a convolution's channels, groups
// and padding mode, the padding of the non-zero padding modes, and
// LibTorch's printing of a convolution's options.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_CONVCOMMON_H
#define KILN_FRONTEND_CONVCOMMON_H

#include "kiln/frontend/Enum.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <ostream>
#include <string>
#include <vector>

namespace kiln::detail {

/// Checks the channels and groups every convolution shares.
inline void checkChannels(const char *layer, int64_t in, int64_t out,
                          int64_t groups, const std::vector<int64_t> &kernel) {
  bool kernelOk = true;
  for (int64_t k : kernel)
    kernelOk = kernelOk && k >= 1;
  if (in < 1 || out < 1 || !kernelOk || groups < 1 || in % groups != 0 ||
      out % groups != 0)
    throw Error(std::string(layer) +
                ": invalid channels, kernel or groups (in_channels=" +
                std::to_string(in) + ", out_channels=" + std::to_string(out) +
                ", kernel_size=" + ir::formatShape(kernel) +
                ", groups=" + std::to_string(groups) + ")");
}

inline void checkPaddingMode(const char *layer, const Mode &mode,
                             bool transposed = false) {
  bool padded = mode == kReflect || mode == kReplicate || mode == kCircular;
  if (mode != kZeros && (transposed || !padded))
    throw Error(std::string(layer) + ": padding_mode '" + mode.str() +
                "' is not supported; " +
                (transposed ? "only 'zeros' is"
                            : "'zeros', 'reflect', 'replicate' and 'circular' "
                              "are"));
}

/// `input` padded by `padding` (per spatial dimension, both sides) in a
/// conv's non-zero padding mode, as PyTorch pads before such a conv.
template <size_t D>
Tensor padForConv(const Tensor &input, const ExpandingArray<D> &padding,
                  const Mode &mode) {
  std::vector<int64_t> sides;
  for (size_t i = D; i-- > 0;) {
    sides.push_back(padding[i]);
    sides.push_back(padding[i]);
  }
  return nn::functional::pad(input,
                             nn::functional::PadFuncOptions(sides).mode(mode));
}

template <typename Options>
void printConv(std::ostream &os, const std::string &layer, const Options &o) {
  os << "kiln::nn::" << layer << "(" << o.in_channels() << ", "
     << o.out_channels() << ", kernel_size=" << o.kernel_size()
     << ", stride=" << o.stride();
  if (!(o.padding() == decltype(o.padding())(0)))
    os << ", padding=" << o.padding();
  if (!(o.dilation() == decltype(o.dilation())(1)))
    os << ", dilation=" << o.dilation();
  if (!(o.output_padding() == decltype(o.output_padding())(0)))
    os << ", output_padding=" << o.output_padding();
  if (o.groups() != 1)
    os << ", groups=" << o.groups();
  if (!o.bias())
    os << ", bias=false";
  if (o.padding_mode() != kZeros)
    os << ", padding_mode=" << constantName(o.padding_mode());
  os << ")";
}

} // namespace kiln::detail

#endif // KILN_FRONTEND_CONVCOMMON_H
