//===- CsvFuzz.cpp - CSVDataset on hostile files --------------------------===//
#include "FuzzUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

using kiln::fuzz::Gen;

namespace {

std::string cell(Gen &g) {
  if (g.chance(70))
    return g.pick<const char *>({"1", "-2.5", "+3", "1e308", "1e999", "nan",
                                 "inf", "-0", "9223372036854775807",
                                 "9223372036854775808", "3.0", "", " 4 ",
                                 "\"5\"", "\"a,b\"", "x"});
  return g.text(g.length());
}

/// Rows of cells, a header or not, a byte-order mark, quotes and line
/// endings of every kind, rows of differing lengths.
std::string generate(Gen &g) {
  std::string out = g.chance(20) ? "\xEF\xBB\xBF" : "";
  size_t columns = 1 + g.below(g.chance(95) ? 5 : 3000);
  size_t rows = g.below(g.chance(95) ? 6 : 2000);
  if (g.chance(70)) {
    for (size_t c = 0; c < columns; ++c)
      out += (c ? "," : "") + std::string(g.chance(90) ? "c" : "") +
             std::to_string(c);
    out += "\n";
  }
  for (size_t r = 0; r < rows && out.size() < (1 << 18); ++r) {
    size_t n = g.chance(95) ? columns : 1 + g.below(columns + 2);
    for (size_t c = 0; c < n && out.size() < (1 << 18); ++c)
      out += (c ? "," : "") + cell(g);
    out += g.pick<const char *>({"\n", "\r\n", "\n\n", "\r"});
  }
  return out;
}

} // namespace

KILN_FUZZ_STRUCTURED(generate)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = kiln::fuzz::writeInput(data, size, "input.csv");
  try {
    kiln::data::CSVDataset(path, -1);
  } catch (const kiln::Error &) {
  }
  try {
    kiln::data::CSVDataset(path, 0, false, ';', kiln::kFloat64);
  } catch (const kiln::Error &) {
  }
  try {
    kiln::data::CSVDataset(path, "c0");
  } catch (const kiln::Error &) {
  }
  return 0;
}
