//===- RandomValues.h - Platform-independent test inputs --------*- C++ -*-===//
#ifndef KILN_TESTS_UNIT_RANDOMVALUES_H
#define KILN_TESTS_UNIT_RANDOMVALUES_H

#include <cstdint>
#include <vector>

namespace kiln::testing {

/// `count` deterministic values in [-1, 1), from a 64-bit LCG (so the same on
/// every platform, unlike the standard distributions).
inline std::vector<double> randomValues(int64_t count, uint64_t seed) {
  std::vector<double> values(count);
  uint64_t state = seed * 0x9E3779B97F4A7C15u + 1;
  for (double &v : values) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    v = static_cast<double>(state >> 11) * 0x1.0p-52 - 1;
  }
  return values;
}

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_RANDOMVALUES_H
