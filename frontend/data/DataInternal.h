//===- DataInternal.h - Helpers the data files share ------------*- C++ -*-===//
//
// Internal to frontend/data/: not installed, and not for users, who include
// kiln/frontend/Data.h.
//
// Everything in the data pipeline builds realized tensors directly: a buffer
// is allocated and filled with memcpy or a conversion loop. Going through
// recorded ops (select, stack) would compile a program per batch shape and
// serialize the worker threads on compilation.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_DATAINTERNAL_H
#define KILN_FRONTEND_DATA_DATAINTERNAL_H

#include "kiln/frontend/data/Dataset.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::data {

/// "[2, 3]": a shape, for error messages.
std::string shapeString(const Shape &shape);

/// A new realized tensor whose bytes the caller overwrites, so they are not
/// zeroed first.
Tensor uninitialized(const Shape &shape, ScalarType dtype);

/// A copy of `t[index]` as a new realized tensor.
Tensor copyRow(const Tensor &t, size_t index);

/// Throws the kiln::Error of `who` for `index` past a dataset of `size`
/// samples.
[[noreturn]] void outOfRange(std::string_view who, size_t index, size_t size);

/// `value` as printf's %g writes it, for error messages.
std::string number(double value);

/// "[2, 3] float32": a tensor's shape and dtype, for error messages.
std::string describe(const Tensor &t);

/// Applies a dataset's transform and target transform, naming the sample
/// (and its file, when there is one) in a failure.
Example<> applyTransforms(Example<> example, const std::string &who,
                          size_t index, const std::string &file,
                          const transforms::TensorFunction &transform,
                          const transforms::TensorFunction &targetTransform);

//===----------------------------------------------------------------------===//
// Shuffling (Samplers.cpp)
//===----------------------------------------------------------------------===//

/// Uniform in [0, bound), by rejection: std::uniform_int_distribution's
/// algorithm differs between standard libraries, this one does not.
uint64_t uniformBelow(std::mt19937_64 &gen, uint64_t bound);

/// The generator of epoch `epoch` of a sampler seeded with `seed`.
/// seed_seq and mt19937_64 are specified exactly by the standard, so the
/// same (seed, epoch) gives the same draws everywhere.
std::mt19937_64 generator(uint64_t seed, uint64_t epoch);

/// The generator of (seed, epoch, key): a sample's random transforms (key:
/// its index) or a shard's shuffle buffer (key: the shard).
std::mt19937_64 generator(uint64_t seed, uint64_t epoch, uint64_t key);

/// Uniform in [0, 1) from the top 53 bits of one draw, exactly so on every
/// platform (std::uniform_real_distribution is not).
double uniformUnit(std::mt19937_64 &gen);

/// Shuffles `indices` in place (Fisher-Yates) with draws from `gen`.
void shuffle(std::vector<size_t> &indices, std::mt19937_64 &gen);

/// A random permutation of 0..n - 1, the same for the same (seed, epoch).
std::vector<size_t> permutation(size_t n, uint64_t seed, uint64_t epoch);

//===----------------------------------------------------------------------===//
// Record files (Records.cpp)
//===----------------------------------------------------------------------===//

/// The size of a record file, checked to be a non-empty whole number of
/// records. Errors start with "<who>: <path>".
uint64_t recordFileSize(std::string_view who, const std::string &path,
                        size_t recordBytes, const std::string &recordName);

/// Closes a FILE.
struct CloseFile {
  void operator()(std::FILE *file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, CloseFile>;

/// Opens `path` for reading; failing, a kiln::Error that starts with "<who>".
FilePtr openFile(std::string_view who, const std::string &path);

/// Reads exactly `n` bytes; a short read is a file that changed under us.
void readExactly(std::FILE *file, void *dst, size_t n, std::string_view who,
                 const std::string &path, uint64_t offset);

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_DATAINTERNAL_H
