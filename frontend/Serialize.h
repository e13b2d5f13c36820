//===- Serialize.h - State dicts in the safetensors format ------*- C++ -*-===//
//
// The format PyTorch's safetensors writes: an 8-byte little-endian header
// length, a JSON header naming each tensor's dtype, shape and byte range, then
// the raw little-endian data. Files written here load in PyTorch, and files
// PyTorch writes load here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_SERIALIZE_H
#define KILN_FRONTEND_SERIALIZE_H

#include "kiln/frontend/Tensor.h"

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace kiln {

/// Named tensors in order, as nn::Module::state_dict() returns them.
using StateDict = std::vector<std::pair<std::string, Tensor>>;

/// Writes `tensors` to `path` in the safetensors format, atomically (a
/// temporary file renamed into place). Names must be unique.
void save(const StateDict &tensors, const std::string &path);

/// The same to a stream (not atomic: the caller owns the stream).
void save(const StateDict &tensors, std::ostream &stream);

/// Reads a safetensors file. A missing, truncated or malformed file, or an
/// unsupported dtype, is a kiln::Error naming the file and the problem.
StateDict load(const std::string &path);
/// The same from a stream, which must be seekable (a file or a string
/// stream).
StateDict load(std::istream &stream);

} // namespace kiln

#endif // KILN_FRONTEND_SERIALIZE_H
