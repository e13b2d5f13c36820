//===- Safetensors.h - The safetensors header, read and checked -*- C++ -*-===//
//
// Internal to the frontend: checkpoints (Serialize.cpp) and exported models
// (Export.cpp) read their weights through it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_SAFETENSORS_H
#define KILN_FRONTEND_SAFETENSORS_H

#include "kiln/frontend/Tensor.h"

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::detail {

/// One tensor of a safetensors file, as its header describes it.
struct SafetensorsEntry {
  std::string name;
  ScalarType dtype;
  Shape shape;
  uint64_t begin = 0, end = 0; ///< Its bytes in the data section.
};
/// A safetensors file's header, checked against the file: the tensors'
/// byte ranges match their shapes and dtypes and tile the data section
/// exactly, so a torn, truncated or extended file is refused.
struct SafetensorsHeader {
  std::string prefix; ///< The file's first bytes: the length, the JSON.
  uint64_t dataSize = 0;
  std::vector<SafetensorsEntry> entries; ///< In the order of their data.
};
/// Reads the header of the safetensors file `path` open as `in`; errors
/// are kiln::Errors "`op`: `path`: <why>".
SafetensorsHeader readSafetensorsHeader(std::istream &in,
                                        const std::string &path,
                                        std::string_view op);

} // namespace kiln::detail

#endif // KILN_FRONTEND_SAFETENSORS_H
